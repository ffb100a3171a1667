"""The Pelican plugin: validates the data, renders the charts and lets Markdown pages place them.

Pelican loads it from ``PLUGINS`` and calls :func:`register`; the settings it reads, with their
defaults, are listed in :mod:`plugin.hooks`. Importing the package loads nothing else, so the
settings file and the build's up-to-date check can use :mod:`plugin.reports` cheaply.
"""


def register() -> None:
    """Connect the plugin to Pelican's signals (:func:`plugin.hooks.register`)."""
    from plugin.hooks import register as connect

    connect()


__all__ = ["register"]

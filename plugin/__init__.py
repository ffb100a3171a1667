"""The Pelican plugin: validates the data, renders the charts and lets Markdown pages place them.

Pelican loads it from ``PLUGINS`` and calls :func:`register`; the settings it reads, with their
defaults, are listed in :mod:`plugin.hooks`.
"""
from plugin.hooks import register

__all__ = ["register"]

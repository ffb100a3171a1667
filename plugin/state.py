"""The one object a build of the site works from.

:func:`plugin.hooks.initialize` creates it when Pelican starts and keeps it in Pelican's
settings under :data:`STATE`; the Markdown reader, the chart pages and :mod:`tools.build`
read it from there. No module keeps build state of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from charting.editions import Edition
from charting.pipeline import Prepared
from dataset.errors import BuildError, Problem
from plugin.extension import ChartsExtension
from plugin.figures import Renderer
from plugin.urls import ChartUrls

#: Where initialize() keeps the build's state in Pelican's settings, the one place it lives.
STATE = "CHARTS_STATE"


@dataclass(frozen=True)
class EditionState:
    """One language's part of the build: its data and charts, figure HTML and chart URLs."""

    edition: Edition
    prepared: Prepared
    renderer: Renderer
    urls: ChartUrls

    @property
    def lang(self) -> str:
        return self.edition.lang


@dataclass
class BuildState:
    """What one build of the site works from, created by :func:`initialize` and kept in
    ``settings[STATE]``, where readers, generators and :mod:`tools.build` find it."""

    prepared: Prepared
    renderer: Renderer
    extension: ChartsExtension
    #: Where the chart pages and their files live (CHARTS_URL and friends).
    urls: ChartUrls
    #: Every edition by language, English (the fields above) first.
    editions: dict[str, EditionState] = field(default_factory=dict)
    #: Errors found while Pelican read and wrote pages; Pelican logs only a file name, so we keep the reason.
    errors: list[BuildError] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [problem for error in self.errors for problem in error.problems]


def state_of(settings) -> BuildState | None:
    """The build's state, or None when initialize() never finished (the build has failed)."""
    return settings.get(STATE)

"""Find the chart modules in :mod:`charts` and check what each declares.

A chart module has a docstring (title, then a sentence on what it shows), a ``FURNITURE``
and a ``build(data, layout)`` that returns an Altair chart laid out for that artboard (see
:class:`charting.theme.Layout`), whose data is a DataFrame of the plotted rows, each with
``source`` and ``status``. The module's name is the chart's permanent id.

``build`` is called once per artboard and edition, with the data in that edition's language
(:func:`charting.editions.localize`): text a chart writes itself goes through
``data.gettext("...")`` (or ``data.pgettext``, ``data.ngettext``), and numbers and dates through
:mod:`charting.formatting`, so each edition's chart speaks its language. The furniture is
written in English and translated in the catalogues, one string per field, in the context
``chart <id>: <field>``.
"""
from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import altair as alt
import pandas as pd

from charting import theme  # theme registers the house style before any chart is built
from charting.editions import N_
from dataset.errors import ChartError, Problem
from dataset.errors import display_path as _shown

CATALOG = "charts"
DEFAULT_CREDIT = N_("Chart by the explainer team")
REQUIRED_COLUMNS = ("source", "status")


@dataclass(frozen=True)
class Furniture:
    """What surrounds a chart on the page and in every download."""

    headline: str
    subhead: str
    alt: str
    description: str
    notes: tuple[str, ...] = ()
    credit: str = DEFAULT_CREDIT


@dataclass(frozen=True)
class BuiltChart:
    """A chart built from the data: its Altair object, spec and plotted rows."""

    id: str
    furniture: Furniture
    #: The Altair chart; None when the chart came from the memo (charting/memo.py), which keeps the spec.
    chart: alt.TopLevelMixin | None
    spec: dict
    plotted: pd.DataFrame
    module_path: str
    layout: theme.Layout = theme.MAIN_LAYOUT
    #: The evidence statuses the chart shows, in the order of the data package's key.
    statuses: tuple[str, ...] = ()
    #: The language of the edition it was built for: its labels, numbers and dates.
    lang: str = "en"

    @property
    def source_ids(self) -> list[str]:
        return sorted(set(self.plotted["source"]))


@dataclass(frozen=True)
class ChartModule:
    id: str
    module: ModuleType
    furniture: Furniture
    build: Callable = field(repr=False)

    @property
    def path(self) -> str:
        return _shown(Path(self.module.__file__))

    def make(self, data, layout: theme.Layout = theme.MAIN_LAYOUT) -> BuiltChart:
        """Build the chart for one artboard and check it against the data it plots."""
        try:
            chart = self.build(data, layout)
        except Exception as exc:  # a chart module's bug must name the module and line
            raise ChartError(Problem(self.path, f"build() raised {type(exc).__name__}: {exc}", line=_line_in(exc, self.module))) from exc
        if not isinstance(chart, alt.TopLevelMixin):
            raise ChartError(Problem(self.path, f"build() returned {type(chart).__name__}, not an Altair chart"))
        plotted = chart.data if isinstance(chart.data, pd.DataFrame) else None
        if plotted is None:
            raise ChartError(Problem(self.path, "build() must attach the plotted rows as a DataFrame at the top level (chart.data)"))
        missing = [c for c in REQUIRED_COLUMNS if c not in plotted.columns]
        if missing:
            raise ChartError(Problem(self.path, f"plotted data has no {', '.join(missing)} column; every plotted row keeps its source and status"))
        # Schema validation waits until the spec is rendered (charting.render): a cached spec passed it.
        spec = _in_font(chart.to_dict(validate=False), theme.font(data.lang))
        unknown = sorted(_encoded_fields(spec) - set(plotted.columns) - _derived_fields(spec))
        if unknown:
            raise ChartError(Problem(self.path, f"encodes column {unknown[0]!r}, which is not in the plotted data (columns: {', '.join(plotted.columns)})"))
        statuses = tuple(status.name for status in data.evidence.ordered(plotted["status"]))
        return BuiltChart(self.id, self.furniture, chart, spec, plotted.reset_index(drop=True), self.path, layout, statuses, data.lang)


def discover(package: str = CATALOG) -> dict[str, ChartModule]:
    """Import every module in the catalog, in id order; raise ChartError if one is incomplete."""
    catalog = importlib.import_module(package)
    charts = {}
    for info in sorted(pkgutil.iter_modules(catalog.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        charts[info.name] = _check_module(info.name, module)
    return charts


def _check_module(chart_id: str, module: ModuleType) -> ChartModule:
    path = _shown(Path(module.__file__))
    if not (module.__doc__ or "").strip():
        raise ChartError(Problem(path, "has no docstring; start it with the chart's title"))
    furniture = getattr(module, "FURNITURE", None)
    if not isinstance(furniture, Furniture):
        raise ChartError(Problem(path, "defines no FURNITURE = Furniture(...)"))
    for name in ("headline", "alt", "description"):
        if not str(getattr(furniture, name)).strip():
            label = "alt text" if name == "alt" else name
            raise ChartError(Problem(path, f"chart {chart_id!r} has no {label} (FURNITURE.{name})"))
    build = getattr(module, "build", None)
    if not callable(build):
        raise ChartError(Problem(path, "defines no build(data, layout) function"))
    if len(inspect.signature(build).parameters) != 2:
        raise ChartError(Problem(path, "build() must take (data, layout): each chart is laid out once per artboard (phone, desktop)"))
    return ChartModule(chart_id, module, furniture, build)


def _in_font(spec: dict, font: str) -> dict:
    """The spec set in ``font`` instead of the house font, wherever the theme put it."""
    if font == theme.FONT:
        return spec
    house = json.dumps(theme.FONT)[1:-1]
    return json.loads(json.dumps(spec).replace(house, json.dumps(font)[1:-1]))


def _encoded_fields(spec, plotted: str | None = None) -> set[str]:
    """Field names the encodings read from the plotted rows, across layers and concatenations.

    A view with data of its own (a map's land, labels set for one artboard) is left out: its
    fields are not columns of the plotted rows.
    """
    found: set[str] = set()
    if isinstance(spec, dict):
        own = spec.get("data")
        if plotted is None:
            plotted = own.get("name") if isinstance(own, dict) else None
        elif isinstance(own, dict) and own.get("name") != plotted:
            return found
        for key, value in spec.items():
            if key == "encoding" and isinstance(value, dict):
                for channel in value.values():
                    for definition in channel if isinstance(channel, list) else [channel]:
                        if isinstance(definition, dict) and isinstance(definition.get("field"), str):
                            found.add(definition["field"].split(".")[0])
            if key not in ("data", "datasets"):
                found |= _encoded_fields(value, plotted)
    elif isinstance(spec, list):
        for item in spec:
            found |= _encoded_fields(item, plotted)
    return found


def _derived_fields(spec) -> set[str]:
    """Field names produced by transforms (``as``), which need not be in the data."""
    found: set[str] = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "transform":
                for step in value:
                    names = step.get("as", [])
                    found |= {names} if isinstance(names, str) else set(names)
                    for part in step.get("aggregate", []) + step.get("window", []):
                        found.add(part.get("as"))
            found |= _derived_fields(value)
    elif isinstance(spec, list):
        for item in spec:
            found |= _derived_fields(item)
    return found


def _line_in(exc: BaseException, module: ModuleType) -> int | None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == module.__file__]
    return frames[-1].lineno if frames else None

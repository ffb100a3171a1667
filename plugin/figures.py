"""HTML for what pages place: chart figures, figure references and generated tables.

The markup lives in the theme's ``partials/`` templates, so one template owns each piece of
furniture; this module only gathers what they show.
"""
from __future__ import annotations

import dataclasses
import re

import jinja2
from markupsafe import Markup

from charting import formatting, references
from charting.editions import DATA_CONTEXT, N_, unit_text
from charting.pipeline import Prepared, inline_svg, live_spec_name
from dataset import publication
from plugin.reports import CONTACT_ANCHOR, CONTACTS, Reports
from plugin.urls import ChartUrls

#: The catalogue context of the published tables' titles (the data package's resources).
RESOURCE_TITLE_CONTEXT = DATA_CONTEXT.format(table="resources", column="title")
#: Tables a page can place with ``{{table <name>}}``; each has a ``partials/table_<name>.html``.
TABLES = ("figures", "events", "places", "sources", "statuses", "units", "corrections", "dataset")
#: Columns a chart's data table shows, in order, when the plotted rows have them.
TABLE_COLUMNS = (
    ("label", N_("What")),
    ("place", N_("Place or route")),
    ("what", N_("What the sources say")),
    ("drawn", N_("How the map places it")),
    ("title", N_("Event")),
    ("item", N_("Item")),
    ("direction", N_("Direction")),
    ("category", N_("Kind")),
    ("value_text", N_("Value")),
    ("date_text", N_("When")),
    ("period", N_("Period")),
    ("status_label", N_("Evidence")),
    ("citation", N_("Source")),
)


class Renderer:
    def __init__(
        self,
        prepared: Prepared,
        env: jinja2.Environment | None = None,
        urls: ChartUrls | None = None,
        method_page: str = "pages/method.md",
        timeline_page: str = "pages/timeline.md",
        site_name: str = "",
        map_page: str = "pages/explainer.md",
        map_chart: str = "route_map",
        package_path: str = "data/datapackage.yaml",
        reports: Reports | None = None,
        contact_page: str = "pages/about.md",
    ):
        self.prepared = prepared
        self.map_page = in_edition(map_page, prepared.lang)
        self.map_chart = map_chart
        self.site_name = site_name
        self.urls = urls or ChartUrls("")
        self.site_url = self.urls.site_url
        # A page in another edition links to that edition's pages: method.ko.md beside method.md.
        self.method_page = in_edition(method_page, prepared.lang)
        self.timeline_page = in_edition(timeline_page, prepared.lang)
        self.package_path = package_path
        self.reports = reports or Reports()
        #: Where a report goes when it cannot be prefilled: the contact page's section on reporting an error.
        self.report_fallback = f"{{filename}}/{in_edition(contact_page, prepared.lang)}#{CONTACT_ANCHOR}"
        #: Pelican's Jinja environment, with the theme's templates and the site's filters; the
        #: plugin hands it over when Pelican creates its generators, before any page is read.
        self.env = env

    @property
    def data(self):
        return self.prepared.data

    def _render(self, template: str, **context) -> str:
        """A theme template in the edition's language (its gettext reads ``lang``)."""
        return self.env.get_template(template).render(lang=self.data.lang, **context)

    def chart_url(self, chart_id: str, name: str) -> str:
        return self.urls.url(chart_id, name)

    def _bundle(self, chart_id: str):
        if chart_id not in self.prepared.charts:
            known = ", ".join(self.prepared.charts)
            raise references.UnknownReference(f"unknown chart {chart_id!r}; registered charts are {known}")
        return self.prepared.charts[chart_id]

    def _figure_context(self, bundle) -> dict:
        return {
            "chart": bundle,
            # Phone artboard first: with styles off, the smaller drawing comes first.
            "artboards": [(name, Markup(inline_svg(bundle, name)), self.chart_url(bundle.id, live_spec_name(bundle.id, name))) for name in bundle.artboards],
            "statuses": [(s, self.data.evidence[s].label, self.data.statuses[s]) for s in bundle.built.statuses],
            "source_line": bundle.source_line(self.data),
            "home": self.chart_url(bundle.id, ""),
            "SITENAME": self.site_name,
            "as_of": self.as_of(bundle.built.source_ids),
        }

    def chart(self, chart_id: str, link_home: bool = True, heading_level: int = 2) -> str:
        """The chart as a page shows it: figure, caption, downloads and data table."""
        bundle = self._bundle(chart_id)
        plotted = bundle.built.plotted
        columns = [(name, self.data.gettext(title)) for name, title in TABLE_COLUMNS if name in plotted.columns]
        return self._render(
            "partials/chart_figure.html",
            **self._figure_context(bundle),
            link_home=link_home,
            heading_level=heading_level,
            columns=columns,
            rows=plotted[[name for name, _ in columns]].to_dict("records"),
            links={
                "csv": self.chart_url(chart_id, f"{chart_id}.csv"),
                "png": self.chart_url(chart_id, f"{chart_id}.png"),
                "svg": self.chart_url(chart_id, f"{chart_id}.svg"),
                "vega_lite": self.chart_url(chart_id, f"{chart_id}.vl.json"),
            },
        )

    def embed_figure(self, chart_id: str) -> str:
        """The chart as an embed shows it: headline, chart, one-line source, link home."""
        return self._render("partials/chart_embed_figure.html", **self._figure_context(self._bundle(chart_id)))

    def reference(self, kind: str, ref_id: str, variant: str | None) -> str:
        if kind == "contact":
            if ref_id not in CONTACTS:
                raise references.UnknownReference(f"unknown contact {ref_id!r}; write {{{{contact editors}}}}")
            return self._render("partials/contact_ref.html", **self.reports.editors()).strip()
        text = references.resolve(kind, ref_id, variant, self.data)
        if kind == "place":
            place = self.data.places.loc[ref_id]
            title = self.data.gettext("{what} ({status}). On the map.").format(what=place["what_happened"], status=self.data.evidence[place["status"]].label)
            return self._render("partials/place_ref.html", text=text, href=f"{{filename}}/{self.map_page}#chart-{self.map_chart}", title=title).strip()
        if kind == "source":
            source = self.data.sources[ref_id]
            return self._render("partials/source_ref.html", text=text, href=f"{{filename}}/{self.method_page}#source-{ref_id}", title=source.title).strip()
        row = self.data.event(ref_id) if kind == "date" else self.data.figure(ref_id)
        if variant == references.STATUS_FORM:
            return self._render("partials/status_badge.html", status=row["status"], label=text).strip()
        title = f"{self.data.evidence[row['status']].label} · {self.citations(kind, ref_id)}"
        if kind == "date":
            return self._render(
                "partials/date_ref.html",
                text=text, href=f"{{filename}}/{self.timeline_page}#event-{ref_id}", iso=row["date"], status=row["status"], title=title
            ).strip()
        return self._render(
            "partials/figure_ref.html",
            text=text,
            # The source's own words are a quotation, not the value written our way.
            value=None if variant == "printed" else _machine_number(float(row["value"])),
            href=f"{{filename}}/{self.method_page}#figure-{ref_id}",
            status=row["status"],
            title=title,
        ).strip()

    def as_of(self, source_ids=()) -> dict:
        """What the data behind something is as of, for ``partials/data_as_of.html``: the latest
        date its sources printed (every source's, for something that uses none), as a date and
        as words, and how many of its sources printed none."""
        found = self.data.as_of(source_ids)
        return {"date": found.date, "text": formatting.date_text(found.date, "as_printed", self.data) if found.date else "", "undated": found.undated}

    def sources_of(self, references) -> set[str]:
        """Every source that ``(kind, id)`` references rest on: a figure's (all of a derived
        one's), an event's, a place's, a chart's and those of every row a table shows."""
        data, found = self.data, set()
        for kind, ref_id in references:
            if kind == "fig":
                found.update(data.sources_of(ref_id))
            elif kind == "date":
                found.add(data.events.at[ref_id, "source"])
            elif kind == "place":
                found.add(data.places.at[ref_id, "source"])
            elif kind == "source":
                found.add(ref_id)
            elif kind == "chart":
                found.update(self._bundle(ref_id).built.source_ids)
            elif kind == "table":
                found.update(self._table_sources(ref_id))
        return found

    def _table_sources(self, name: str) -> set[str]:
        data = self.data
        rows = {"figures": [data.figures], "events": [data.events], "places": [data.places, data.routes]}
        if name in rows:
            return {source for table in rows[name] for source in table["source"]}
        # The list of sources and the whole dataset rest on every source; the key, the units and the corrections on none.
        return set(data.sources) if name in ("sources", "dataset") else set()

    def citations(self, kind: str, ref_id: str) -> str:
        """Every source a figure or event rests on, as a reader cites them: a derived figure
        names each source its formula draws on, not only the one in its row."""
        if kind == "date":
            names = [self.data.event(ref_id)["source"]]
        else:
            names = self.data.sources_of(ref_id)
        return "; ".join(formatting.citation(self.data.sources[name], self.data) for name in names)

    def table(self, name: str, page_url: str = "") -> str:
        """A generated table; ``page_url`` is the address of the page it is placed on, which a
        figure's error report names."""
        if name not in TABLES:
            raise references.UnknownReference(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
        return self._render(f"partials/table_{name}.html", **self._table_context(name), page_url=page_url, report_fallback=self.report_fallback, report_url=self.reports.url)

    def _readable(self, table: str, row_id: str, note: str) -> str:
        """A data note as readers see it, refused if it names a row or source by its id: an id
        is not a word, and a note must read as a sentence in the table it appears in."""
        for word in re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", note):
            if word in self._ids():
                raise references.UnknownReference(
                    f"the note of {row_id!r} in data/{table}.csv names {word!r}, an id readers would see as it is; write what it stands for in words"
                )
        return note

    def _ids(self) -> set[str]:
        data = self.data
        return {*data.figures.index, *data.events.index, *data.flows["flow_id"], *data.places.index, *data.routes.index, *data.sources}

    def _table_context(self, name: str) -> dict:
        data = self.data
        if name == "figures":
            rows = []
            for figure_id, figure in data.figures.iterrows():
                rows.append(
                    {
                        "id": figure_id,
                        "value": formatting.value_text(figure, data),
                        "period": formatting.period_text(figure, data),
                        "as_printed": figure["as_printed"],
                        "status": figure["status"],
                        "status_label": self.data.evidence[figure["status"]].label,
                        "formula": figure["formula"],
                        "sources": [formatting.citation(data.sources[name], data) for name in data.sources_of(figure_id)],
                        "note": self._readable("figures", figure_id, figure["note"]),
                    }
                )
            return {"rows": rows}
        if name == "events":
            # Undated events go last; ties keep id order. The index is the id, so sort on a copy without it.
            events = data.events.reset_index(drop=True)
            events["sort"] = events["date"].where(events["date"] != "", "9999")
            rows = [
                {
                    "id": event_id,
                    "when": formatting.date_text(event["date"], event["date_qualifier"], data, event["date_as_printed"]),
                    "iso": event["date"],
                    "as_printed": event["date_as_printed"],
                    "title": event["title"],
                    "status": event["status"],
                    "status_label": self.data.evidence[event["status"]].label,
                    "source": formatting.citation(data.sources[event["source"]], data),
                    "note": self._readable("events", event_id, event["note"]),
                }
                for event_id, event in events.sort_values(["sort", "event_id"]).set_index("event_id", drop=False).iterrows()
            ]
            return {"rows": rows}
        if name == "places":
            rows = []
            for place_id, place in data.places.iterrows():
                routes = data.routes[(data.routes["origin"] == place_id) | (data.routes["destination"] == place_id)]
                rows.append(
                    {
                        "id": place_id,
                        "name": place["name"],
                        "what": place["what_happened"],
                        "where": f"{abs(place['latitude']):.2f}° {'N' if place['latitude'] >= 0 else 'S'}, {abs(place['longitude']):.2f}° {'E' if place['longitude'] >= 0 else 'W'}",
                        "located": place["located"],
                        "routes": list(routes["label"]),
                        "status": place["status"],
                        "status_label": data.evidence[place["status"]].label,
                        "source": formatting.citation(data.sources[place["source"]], data),
                        "note": self._readable("places", place_id, place["note"]),
                    }
                )
            return {"rows": rows}
        if name == "sources":
            return {"sources": [(source, references.resolve("source", source.name, "date", data), formatting.citation(source, data)) for source in data.sources.values()]}
        if name == "statuses":
            return {"statuses": [(s.name, s.label, s.meaning) for s in data.evidence]}
        if name == "units":
            return {
                "units": [
                    {"key": unit.key, "written": unit_text(data, "label", unit.label) or data.gettext("a plain number"), "description": unit_text(data, "description", unit.description)}
                    for unit in data.units.values()
                ]
            }
        if name == "dataset":
            files = [(self.urls.data_file(table.path), dataclasses.replace(table, title=data.pgettext(RESOURCE_TITLE_CONTEXT, table.title))) for table in publication.tables(self.package_path, data)]
            return {"descriptor": self.urls.data_file(publication.DESCRIPTOR), "descriptor_name": publication.DESCRIPTOR, "files": files}
        return {"rows": data.corrections.sort_values("date", ascending=False).to_dict("records")}


def in_edition(path: str, lang: str) -> str:
    """A page's file in an edition: ``pages/method.md`` -> ``pages/method.ko.md`` (English: itself)."""
    if lang == formatting.SOURCE.lang:
        return path
    stem, dot, suffix = path.rpartition(".")
    return f"{stem}.{lang}.{suffix}" if dot else f"{path}.{lang}"


def _machine_number(value: float) -> str:
    """A number for a ``<data value>`` attribute: no exponent, no needless decimals."""
    return str(int(value)) if value.is_integer() else repr(value)

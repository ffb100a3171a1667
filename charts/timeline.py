"""Timeline, 1990s to 2026: food, trade, aid and arms between Russia and North Korea.

Every event the sources date, one labelled row each in date order, with its date as the
source gives it and its evidence status. On a phone the rows run down a line and a period is a
bar beside the events that fell within it; on a desktop each row has its place on a time axis:
a dot for a day or a month, a bar from start to end for a period, a bracket across the year for
an event known only to its year. The decades in which the sources date nothing are cut out of
both, behind a break.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from charting import formatting, plotting, theme
from charting.editions import N_
from charting.registry import Furniture
from charting.theme import status_encodings
from dataset import evidence
from dataset.dates import parse_span

FURNITURE = Furniture(
    headline="Nearly every event the sources date falls from {{date flour_directive_2021}} on; before that, only the famine",
    subhead="Dated events in Russia–North Korea food, aid, diplomacy and arms, by evidence status",
    alt=(
        "Timeline. After the famine of the {{date famine_1990s}}, the sources date nothing until Kim Jong Un's order to "
        "eat rice and flour instead of corn, in {{date flour_directive_2021}}. Then come the first Flour Food Exhibition "
        "({{date flour_food_exhibition_2022}}); arms sales a middleman arranged, the US alleges, in {{date weapons_middleman_2022}}; "
        "the White House's claim that Russia offered food for munitions, {{date food_for_munitions_claim_2023}}; "
        "estimated shell transfers to Russia, {{date artillery_transfers_2023}}; Putin's visit to Pyongyang and the treaty "
        "on {{date putin_visit_2024}}; goats sent to Rason {{date goats_to_rason_2024}}; Tomsk firms at the Pyongyang fair "
        "in {{date trade_fair_2025}}; three inspections of Kuzbass flour and its shipment in {{date kuzbass_shipment_2026}}; "
        "and Sibagro's plan to sell pork in North Korea, announced on {{date sibagro_announcement_2026}}."
    ),
    description=(
        "One row per dated event, in date order, each with a short label, its date as the source gives it and a mark "
        "drawn in its evidence status: solid for confirmed and reported, lighter for estimates, a dashed outline for "
        "allegations. On a phone the rows run down a line, evenly spaced and not to scale, with a dot on the line for "
        "each event and, beside it, a bar for each period that runs past the events that fell within it. On a wider "
        "screen each row has its place on a time axis: a dot for an event dated to a day or a month, a bar from start "
        "to end for a period, and a bracket across the year for an event the source dates only to a year. Bars with "
        "faded ends are spans the source gives only in vague words. The famine of the {{date famine_1990s}} is the only "
        "event before {{date flour_directive_2021}}: the decades between, when the sources date nothing, are cut out "
        "behind a break, and on the axis the 1990s are squeezed into a short stretch. The flour-aid pledge has no date "
        "and is not drawn."
    ),
    notes=(
        ("Not to scale across the break: the years between the famine and {{date flour_directive_2021}}, when the sources "
        "date nothing, are left out, and the 1990s are squeezed. On phones the events are evenly spaced in date order."),
        "A date marked year inferred or date inferred is our reading, not printed by the source; the timeline page says how each was worked out.",
        "A date marked about, and a bar with faded ends, is our reading of vague words in the source.",
        "An event drawn as a bracket across a year happened at some time in that year; the source gives no month.",
        "Putin's pledge of flour aid has no date in its source and cannot be placed; it is listed on the timeline page.",
    ),
)

#: A stretch of more years than this in which the sources date nothing is cut out, behind a break.
QUIET_YEARS = 5
DATE_SIZE = theme.LABEL_SIZE - 1
DATE_LINE = 16
LABEL_LINE = 17
#: Space above and below the text of a row.
ROW_PAD = 5
DOT_SIZE = 90
#: Width of a period bar, and the faded share at each end of a bar whose dates are approximate.
BAR = 10
FADE = 0.2


#: What a board says about each event (a field an artboard does not use is left empty).
PLACE_FIELDS = [
    "row_top", "row_bottom", "date_x", "date_y", "date_shown", "label_x", "label_y", "label_shown", "label_align", "shape",
    "mark_x", "mark_y", "bar_x", "bar_x2", "bar_y", "bar_y2", "fade_x", "fade_x2", "fade_y", "fade_y2", "fade_end_x", "fade_end_x2", "fade_end_y", "fade_end_y2", "link_x", "link_x2",
    "box_x", "box_x2", "box_y", "box_y2",
]


def decimal_year(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    return round(day.year + (day - start).days / (dt.date(day.year + 1, 1, 1) - start).days, 5)


def event_rows(data) -> pd.DataFrame:
    """One plotted row per dated event, in date order: what, when (as the data gives it), status."""
    rows = []
    for event_id, event in data.events[data.events["date"] != ""].iterrows():
        span = parse_span(event["date"])
        rows.append(
            {
                "event_id": event_id,
                "label": event["label"],
                "title": event["title"],
                "date": event["date"],
                "date_text": formatting.date_text(event["date"], event["date_qualifier"], data, event["date_as_printed"]),
                "precision": "span" if span.end is not None else span.start.precision,
                "approximate": event["date_qualifier"] == "approximate",
                "start": decimal_year(span.first_day()),
                "end": decimal_year(span.last_day() + dt.timedelta(days=1)),
                **plotting.provenance(data, event),
            }
        )
    # Earliest first; of two starting together, the longer first, so a period heads what falls within it.
    plotted = pd.DataFrame(rows)
    plotted = plotted.iloc[sorted(range(len(plotted)), key=lambda i: (plotted["start"][i], -plotted["end"][i]))]
    return plotted.reset_index(drop=True)


def quiet_stretches(plotted) -> list[tuple[float, float]]:
    """(last end, next start) of each stretch of more than QUIET_YEARS with no event."""
    stretches, reach = [], None
    for start, end in zip(plotted["start"], plotted["end"]):
        if reach is not None and start - reach > QUIET_YEARS:
            stretches.append((reach, start))
        reach = end if reach is None else max(reach, end)
    return stretches


def first_after_quiet(plotted) -> dict[int, tuple[float, float]]:
    """Row number -> the quiet stretch that ends just before it."""
    return {int((plotted["start"] >= stretch[1]).idxmax()): stretch for stretch in quiet_stretches(plotted)}


def quiet_years_text(data, stretch: tuple[float, float]) -> str:
    first, last = int(-(-stretch[0] // 1)), int(-(-stretch[1] // 1)) - 1
    # Translators: the years a timeline leaves out, in which the sources date nothing ("1999 to 2020").
    return data.gettext("{first} to {last}").format(first=first, last=last)


def text_width(text: str, size: int = theme.LABEL_SIZE) -> float:
    return theme.text_units(text) * theme.CHAR_WIDTH * size / theme.LABEL_SIZE


def wrap(text: str, width: float, size: int = theme.LABEL_SIZE) -> list[str]:
    """Lines that fit ``width`` pixels, broken only at spaces (so joining them gives the text back);
    a Korean character takes the room of two Latin ones."""
    chars = max(8, int(width / (theme.CHAR_WIDTH * size / theme.LABEL_SIZE)))
    return theme.wrap(text, chars, break_on_hyphens=False, break_long_words=False) or [text]


def vega_text(pattern: str, **fields: str) -> str:
    """A Vega expression that writes ``pattern`` (a catalogue string) with each ``{name}`` taken
    from the column ``fields[name]`` of the row: "{title}, {date}" -> datum.title + ', ' + datum.date_text."""
    parts = []
    for i, piece in enumerate(re.split(r"\{([a-z_]+)\}", pattern)):
        if i % 2:
            parts.append(f"datum.{fields[piece]}")
        elif piece:
            parts.append("'" + piece.replace("\\", "\\\\").replace("'", "\\'") + "'")
    return " + ".join(parts)


def date_lines(text: str, width: float) -> list[str]:
    """A date that does not fit on one line puts our reading of it, in brackets, on lines of its own."""
    if text_width(text, DATE_SIZE) <= width or " (" not in text:
        return wrap(text, width, DATE_SIZE)
    said, reading = text.split(" (", 1)
    return wrap(said, width, DATE_SIZE) + wrap("(" + reading, width, DATE_SIZE)


@dataclass
class Board:
    """Where everything goes on one artboard, in pixels from the top left of the plot."""

    width: float
    height: float = 0
    #: event_id -> positions and the text as wrapped for this artboard.
    places: dict = field(default_factory=dict)
    #: Axis, grid, spine, break marks and the note in the break: {"kind", "x", "y", "x2", "y2", "text"}.
    guides: list = field(default_factory=list)

    def guide(self, kind: str, x: float, y: float, x2: float | None = None, y2: float | None = None, text: str = "") -> None:
        self.guides.append({"kind": kind, "x": x, "y": y, "x2": x if x2 is None else x2, "y2": y if y2 is None else y2, "text": text})

    def slash(self, x: float, y: float, vertical: bool) -> None:
        """One stroke of a break mark, across a line that runs down (vertical) or along."""
        if vertical:
            self.guide("axis", x - 6, y + 3, x + 6, y - 3)
        else:
            self.guide("axis", x - 3, y + 6, x + 3, y - 6)


def phone_board(data, plotted, layout) -> Board:
    """A list down a line: date over label on the right; a period's bar beside the events within it."""
    board = Board(layout.width - 8)
    lane, spine, text_x = 6, 20, 34
    text_width_px = board.width - text_x
    quiet = first_after_quiet(plotted)
    y, rows, gaps = 0.0, [], []
    for i, event in plotted.iterrows():
        if i in quiet:
            gaps.append((y, y + 2 * ROW_PAD + 2 * DATE_LINE + 6, quiet[i]))
            y = gaps[-1][1]
        dates = date_lines(event["date_text"], text_width_px)
        labels = wrap(event["label"], text_width_px)
        height = 2 * ROW_PAD + len(dates) * DATE_LINE + 2 + len(labels) * LABEL_LINE
        rows.append((y, y + height))
        board.places[event["event_id"]] = {
            "row_top": y,
            "row_bottom": y + height,
            "date_x": text_x,
            "date_y": y + ROW_PAD,
            "date_shown": "\n".join(dates),
            "label_x": text_x,
            "label_y": y + ROW_PAD + len(dates) * DATE_LINE + 2 + len(labels) * LABEL_LINE / 2,
            "label_shown": "\n".join(labels),
            "label_align": "left",
            "mark_x": spine,
            "mark_y": y + ROW_PAD + DATE_LINE / 2,
            "shape": "bar" if event["precision"] == "span" else "dot",
        }
        y += height
    board.height = y
    # A period runs from its own row to the last row that starts before it ends.
    starts = list(plotted["start"])
    for i, event in plotted.iterrows():
        place = board.places[event["event_id"]]
        if place["shape"] != "bar":
            continue
        last = max(j for j in range(i, len(starts)) if starts[j] < event["end"])
        top, bottom = place["mark_y"] - 4, rows[last][1] - ROW_PAD
        place.update(_bar(lane - 3, lane + 3, top, bottom, event["approximate"], along=False))
        place["link_x"], place["link_x2"] = lane, spine
    # The spine, cut at each quiet stretch with a break mark and a line saying what was cut.
    marks_y = [board.places[e]["mark_y"] for e in plotted["event_id"]]
    top = marks_y[0]
    for gap_top, gap_bottom, stretch in gaps:
        middle = (gap_top + gap_bottom) / 2
        board.guide("axis", spine, top, spine, middle - 5)
        board.slash(spine, middle - 5, vertical=True)
        board.slash(spine, middle + 5, vertical=True)
        top = middle + 5
        board.guide("note", text_x, gap_top + ROW_PAD, text=quiet_years_text(data, stretch))
        # Translators: a note on a phone's timeline where it leaves out years in which the sources date nothing; the line is cut there.
        board.guide("note", text_x, gap_top + ROW_PAD + DATE_LINE, text=data.gettext("Nothing dated: not to scale"))
    board.guide("axis", spine, top, spine, marks_y[-1])
    return board


def desktop_board(data, plotted, layout) -> Board:
    """Rows in date order on a time axis: dates in a column, each label beside its mark."""
    board = Board(layout.width - 8)
    date_width = 232
    track = date_width + 18
    axis_y = 24
    quiet = first_after_quiet(plotted)
    scale = TimeScale.fit(plotted, list(quiet.values()), track, board.width)
    _axis(data, board, scale, axis_y, above=True)
    y, side = axis_y + 8.0, "right"
    for i, event in plotted.iterrows():
        if i in quiet:
            board.guide("note", 0, y + ROW_PAD, text=quiet_years_text(data, quiet[i]))
            # Translators: a note on the timeline's time axis where it leaves out years in which the sources date nothing.
            note = data.gettext("Nothing dated in the sources: the axis is broken here")
            board.guide("note", track, y + ROW_PAD, text=note)
            board.guide("knockout", track - 3, y + ROW_PAD - 2, track + text_width(note, DATE_SIZE) + 3, y + ROW_PAD + DATE_LINE)
            y += 2 * ROW_PAD + DATE_LINE + 4
        dates = date_lines(event["date_text"], date_width)
        height = 2 * ROW_PAD + max(len(dates) * DATE_LINE, LABEL_LINE)
        mark_y = y + ROW_PAD + LABEL_LINE / 2
        x0, x1 = scale(event["start"]), scale(event["end"])
        shape = "bar" if event["precision"] == "span" else "bracket" if event["precision"] == "year" else "dot"
        place = {
            "row_top": y,
            "row_bottom": y + height,
            "date_x": 0,
            "date_y": y + ROW_PAD + 1,
            "date_shown": "\n".join(dates),
            "label_shown": event["label"],
            "mark_x": (x0 + x1) / 2,
            "mark_y": mark_y,
            "shape": shape,
        }
        if shape == "bar":
            place.update(_bar(x0, max(x1, x0 + 3), mark_y - BAR / 2, mark_y + BAR / 2, event["approximate"], along=True))
        elif shape == "bracket":
            place.update({"bar_x": x0 + 1, "bar_x2": x1 - 1, "bar_y": mark_y, "bar_y2": mark_y})
        left, right = (x0, x1) if shape != "dot" else (place["mark_x"] - 6, place["mark_x"] + 6)
        label = text_width(event["label"])
        # Labels go after their marks until one does not fit; from there on, before them.
        side = "right" if side == "right" and right + 8 + label <= board.width else "left"
        label_x = right + 8 if side == "right" else left - 8
        box = (label_x - 3, label_x + label + 3) if side == "right" else (label_x - label - 3, label_x + 3)
        place.update(label_align="left" if side == "right" else "right", label_x=label_x, label_y=mark_y, box_x=box[0], box_x2=box[1], box_y=mark_y - 9, box_y2=mark_y + 9)
        board.places[event["event_id"]] = place
        y += height
    # The axis again at the foot, for the rows far below its head.
    foot = y + 4
    board.height = foot + 24
    _axis(data, board, scale, foot, above=False)
    for _, x in scale.ticks():
        board.guide("grid", x, axis_y, x, foot)
    return board


def _axis(data, board: Board, scale: TimeScale, y: float, above: bool) -> None:
    """A time axis along the track, labelled above or below: cut with a break mark at each quiet
    stretch, and ticked at every year of a squeezed run."""
    outward = -1 if above else 1
    for start, stop in scale.pieces:
        board.guide("axis", start, y, stop, y)
    for x in scale.squeezed_years():
        board.guide("axis", x, y, x, y + 4 * outward)
    for cut in scale.cuts:
        for x in cut:
            board.slash(x, y, vertical=False)
    # Translators: a decade on the timeline's axis ("1990s"); {decade} is its first year.
    decade = data.pgettext("time axis", "{decade}s")
    for year, x in scale.ticks(decade):
        board.guide("tick", x + 3, y + 12 * outward, text=year)


def _bar(x: float, x2: float, y: float, y2: float, approximate: bool, along: bool) -> dict:
    """A period's bar; when its dates are approximate, a veil of the page's colour over each end
    (reaching past the edge, which it fades too)."""
    place = {"bar_x": x, "bar_x2": x2, "bar_y": y, "bar_y2": y2}
    if approximate:
        edge = evidence.EDGE_WIDTH
        if along:
            inset = (x2 - x) * FADE
            place.update(fade_x=x - edge, fade_x2=x + inset, fade_end_x=x2 - inset, fade_end_x2=x2 + edge)
            place.update(fade_y=y - edge, fade_y2=y2 + edge, fade_end_y=y - edge, fade_end_y2=y2 + edge)
        else:
            inset = (y2 - y) * FADE
            place.update(fade_y=y - edge, fade_y2=y + inset, fade_end_y=y2 - inset, fade_end_y2=y2 + edge)
            place.update(fade_x=x - edge, fade_x2=x2 + edge, fade_end_x=x - edge, fade_end_x2=x2 + edge)
    return place


@dataclass
class TimeScale:
    """Decimal years to pixels: the last run of events to scale, each earlier run squeezed into a
    short stretch labelled by its decade, with a gap (the break) before the next."""

    #: (first year, last year, first x, last x) of each run, earliest first.
    runs: list
    #: (x where the axis stops, x where it resumes) at each break.
    cuts: list
    #: (first x, last x) of each stretch of axis line drawn between the breaks.
    pieces: list

    EARLY_WIDTH = 72
    CUT_WIDTH = 26

    @classmethod
    def fit(cls, plotted, quiet, left: float, right: float) -> TimeScale:
        bounds = [float(plotted["start"].min()), *[v for stretch in quiet for v in stretch], float(plotted["end"].max())]
        runs, cuts, pieces, x = [], [], [], left
        for k in range(0, len(bounds), 2):
            first = float(int(bounds[k]))
            if k + 2 < len(bounds):
                last = float(-(-bounds[k + 1] // 1))
                runs.append((first, last, x, x + cls.EARLY_WIDTH))
                pieces.append((x, x + cls.EARLY_WIDTH))
                cuts.append((x + cls.EARLY_WIDTH, x + cls.EARLY_WIDTH + cls.CUT_WIDTH))
                x += cls.EARLY_WIDTH + cls.CUT_WIDTH
            else:
                # Room after the last year's tick for its label.
                last_tick = float(int(bounds[k + 1]))
                room = 36
                span = max(bounds[k + 1] + 0.1, first + (last_tick - first) * (right - x) / (right - x - room)) - first
                runs.append((first, first + span, x, right))
                pieces.append((x, right))
        return cls(runs, cuts, pieces)

    def __call__(self, year: float) -> float:
        for first, last, x0, x1 in self.runs:
            if year <= last or (first, last, x0, x1) == self.runs[-1]:
                return round(x0 + (year - first) / (last - first) * (x1 - x0), 2)
        raise ValueError(year)

    def squeezed_years(self) -> list[float]:
        """A tick at each year of the squeezed runs: their crowding shows the scale is not the same."""
        return [self(float(year)) for first, last, _, _ in self.runs[:-1] for year in range(int(first), int(last) + 1)]

    def ticks(self, decade: str = "{decade}s") -> list[tuple[str, float]]:
        """A decade name at the start of each squeezed run (written by the pattern ``decade``),
        then every year of the last run."""
        found = [(decade.format(decade=int(first) // 10 * 10), x0) for first, _, x0, _ in self.runs[:-1]]
        first, last, _, _ = self.runs[-1]
        return found + [(str(year), self(year)) for year in range(int(first), int(last) + 1)]


def build(data, layout):
    plotted = event_rows(data)
    board = phone_board(data, plotted, layout) if layout.is_phone else desktop_board(data, plotted, layout)
    positions = [{"event_id": event_id, **{name: place.get(name) for name in PLACE_FIELDS}} for event_id, place in board.places.items()]
    # Where each event goes on this artboard, joined to the plotted rows (which are the same on every artboard).
    events = alt.Chart().transform_lookup(
        lookup="event_id", from_=alt.LookupData(alt.InlineData(values=positions), key="event_id", fields=PLACE_FIELDS), as_=PLACE_FIELDS
    )
    key_title = data.gettext(theme.EVIDENCE)
    area = status_encodings(data.evidence, plotted["status"], title=key_title)
    line = status_encodings(data.evidence, plotted["status"], marks="line", title=key_title)

    def px(name: str, channel=alt.X):
        return channel(f"{name}:Q", scale=None, axis=None)

    def guides(kind: str) -> alt.Chart:
        return (
            alt.Chart(alt.InlineData(values=[g for g in board.guides if g["kind"] == kind] or [{"kind": kind}]))
            .transform_filter(f"datum.kind === '{kind}' && isValid(datum.x)")
            .transform_calculate(guide_x="datum.x", guide_y="datum.y", guide_x2="datum.x2", guide_y2="datum.y2", guide_text="datum.text")
        )

    guide_line = {"x": px("guide_x"), "y": px("guide_y", alt.Y), "x2": alt.X2("guide_x2:Q"), "y2": alt.Y2("guide_y2:Q")}
    paper = guides("knockout").mark_rect(color=theme.PAPER[0], aria=False).encode(**guide_line)
    grid = guides("grid").mark_rule(color=theme.GRID[0], strokeWidth=1, aria=False).encode(**guide_line)
    axis = guides("axis").mark_rule(color=theme.DOMAIN[0], strokeWidth=1.5, aria=False).encode(**guide_line)
    ticks = guides("tick").mark_text(align="left", baseline="middle", fontSize=DATE_SIZE, aria=False).encode(x=px("guide_x"), y=px("guide_y", alt.Y), text="guide_text:N")
    note = guides("note").mark_text(align="left", baseline="top", fontSize=DATE_SIZE, color=theme.MUTED[0], fontStyle="italic", aria=False).encode(
        x=px("guide_x"), y=px("guide_y", alt.Y), text="guide_text:N"
    )

    dates = events.mark_text(align="left", baseline="top", fontSize=DATE_SIZE, lineHeight=DATE_LINE, lineBreak="\n", color=theme.MUTED[0], aria=False).encode(
        x=px("date_x"), y=px("date_y", alt.Y), text="date_shown:N"
    )
    bar = {"x": px("bar_x"), "x2": alt.X2("bar_x2:Q"), "y": px("bar_y", alt.Y), "y2": alt.Y2("bar_y2:Q")}
    # A bar, not a rect: Vega-Lite drops strokeDash from rect marks, and the edge carries the status.
    bars = events.mark_bar(strokeWidth=evidence.EDGE_WIDTH, aria=False).encode(**bar, **area).transform_filter("datum.shape === 'bar'")
    # A period with approximate dates fades out at both ends.
    fades = [
        events.mark_rect(color=theme.PAPER[0], opacity=0.6, aria=False)
        .encode(x=px(f"{end}_x"), x2=alt.X2(f"{end}_x2:Q"), y=px(f"{end}_y", alt.Y), y2=alt.Y2(f"{end}_y2:Q"))
        .transform_filter(f"isValid(datum.{end}_x)")
        for end in ("fade", "fade_end")
    ]
    links = events.mark_rule(strokeWidth=2, aria=False).encode(x=px("link_x"), x2=alt.X2("link_x2:Q"), y=px("mark_y", alt.Y), **line).transform_filter("isValid(datum.link_x)")
    brackets = events.mark_rule(strokeWidth=2, aria=False).encode(**bar, **line).transform_filter("datum.shape === 'bracket'")
    bracket_ends = [
        events.mark_rule(strokeWidth=2, aria=False)
        .encode(x=px(end), y=px("bracket_top", alt.Y), y2=alt.Y2("bracket_bottom:Q"), **line)
        .transform_filter("datum.shape === 'bracket'")
        .transform_calculate(bracket_top="datum.mark_y - 5", bracket_bottom="datum.mark_y + 5")
        for end in ("bar_x", "bar_x2")
    ]
    dots = events.mark_point(shape="circle", size=DOT_SIZE, filled=True, opacity=1, aria=False).encode(x=px("mark_x"), y=px("mark_y", alt.Y), **area).transform_filter("datum.shape === 'dot'")
    label = {"x": px("label_x"), "y": px("label_y", alt.Y), "text": "label_shown:N"}
    # The page's colour behind each label, so grid lines do not run through its words.
    knockouts = events.mark_rect(color=theme.PAPER[0], aria=False).encode(x=px("box_x"), x2=alt.X2("box_x2:Q"), y=px("box_y", alt.Y), y2=alt.Y2("box_y2:Q")).transform_filter("isValid(datum.box_x)")
    labels = [
        events.mark_text(align=align, baseline="middle", lineHeight=LABEL_LINE, lineBreak="\n", aria=False).encode(**label).transform_filter(f"datum.label_align === '{align}'")
        for align in ("left", "right")
    ]
    # Each event's whole row answers the pointer and the keyboard, so events on one day are each reachable.
    # Translators: what a screen reader says of a timeline's row: the event, its date and its evidence status ("Putin visits Pyongyang, 19 June 2024 (Confirmed)").
    description = vega_text(data.gettext("{event}, {date} ({status})"), event="title", date="date_text", status="status_label")
    hover = events.mark_rect(color=theme.PAPER[0], fillOpacity=0, strokeWidth=0).encode(
        x=alt.value(0), x2=alt.value(board.width), y=px("row_top", alt.Y), y2=alt.Y2("row_bottom:Q"),
        tooltip=plotting.tooltip(
            data,
            # Translators: a tooltip's heading for an event of the timeline.
            ("title", N_("Event")),
            ("date_text", N_("When")),
        ),
        description="row_description:N",
    ).transform_calculate(row_description=description)
    layers = [grid, paper, axis, ticks, note, dates, knockouts, bars, *fades, links, brackets, *bracket_ends, dots, *labels, hover]
    return alt.layer(*layers, data=plotted).properties(width=board.width, height=round(board.height), autosize={"type": "pad"})

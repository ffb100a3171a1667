"""The house style, registered once as an Altair theme; no chart repeats it.

Every colour has a light and a dark value. Charts are drawn with the light values; the site's
stylesheet swaps each one for its dark twin under ``prefers-color-scheme: dark`` (see
:func:`stylesheet`), so the static SVG and the live Vega view change together.
"""
from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass

import altair as alt

from charting.editions import N_
from dataset import evidence

THEME_NAME = "explainer"
#: Arial and its metric twins, so text measured at build time (vl-convert) takes the same
#: room in the reader's browser, where a static chart's labels are laid out in advance. They
#: hold Latin and Cyrillic.
FONT = 'Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif'
#: The Korean edition's charts: Noto Sans CJK first, for Hangul (and the Latin beside it), since
#: vl-convert sets a whole label in the first installed font that holds its characters, and
#: would otherwise pick a serif CJK face (see also :func:`charting.render.drawing_font`).
WIDE_TEXT_FONT = '"Noto Sans CJK KR", "Noto Sans KR", Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif'
#: The font list of each edition whose script the Latin fonts do not hold.
EDITION_FONTS = {"ko": WIDE_TEXT_FONT}


def font(lang: str) -> str:
    """The font list an edition's charts are set in."""
    return EDITION_FONTS.get(lang, FONT)
#: Page backgrounds the colours are checked against (the stylesheet uses the same values).
BACKGROUND = {"light": "#ffffff", "dark": "#111418"}

#: Role -> (light, dark). Both pass WCAG 2.2 AA against their background (tests/charting/test_formatting.py).
INK = ("#1f2328", "#e6edf3")
MUTED = ("#59636e", "#9aa4ae")
GRID = ("#d1d9e0", "#343b43")
DOMAIN = ("#6e7781", "#8b949e")
#: The page itself, for gaps drawn between touching marks.
PAPER = (BACKGROUND["light"], BACKGROUND["dark"])
#: The whole a share is of, behind its bar: paler than any mark of the evidence key.
TRACK = ("#eceff2", "#22282e")
#: Land on maps: the countries the story is about a shade darker than their neighbours; water
#: is the page itself, and borders are drawn in PAPER, as gaps between the countries.
LAND = ("#e9ecef", "#1d2228")
LAND_STORY = ("#d8dee4", "#2b333c")



@dataclass(frozen=True)
class Layout:
    """One artboard: a chart laid out for the width it is shown at, drawn at 1:1.

    Text keeps the same size on every artboard; what changes is the room for the plot, where
    labels go and how long lines may run (ai2html's artboards, Reuters' and the NYT's
    responsive graphics).
    """

    name: str
    #: The whole chart's width in CSS pixels, axes and labels included.
    width: int
    #: Characters that fit on one line of a label set in LABEL_SIZE at this width's margins
    #: (Latin characters: a Korean one counts as two, see :func:`text_units`).
    label_chars: int

    @property
    def line_chars(self) -> int:
        """Characters of label text that fit across the whole artboard (as :func:`text_units` counts them)."""
        return int((self.width - 8) / CHAR_WIDTH)

    @property
    def is_phone(self) -> bool:
        return self.name == "phone"


#: A 375 px phone less the page's 16 px margins; the wide column of a desktop page.
PHONE = Layout("phone", width=343, label_chars=18)
DESKTOP = Layout("desktop", width=736, label_chars=34)
LAYOUTS = (PHONE, DESKTOP)
#: The layout whose rendering is downloaded, embedded in social cards and archived in versions.
MAIN_LAYOUT = DESKTOP
#: From this screen width (CSS px) a page shows the desktop artboard, the phone one below it;
#: the generated stylesheet holds the rule. 768 px leaves a desktop drawing 720 px or more room.
DESKTOP_MIN_WIDTH = 768
LABEL_SIZE = 14
#: Average width of a label character at LABEL_SIZE, in pixels (Arial, 14 px): room for labels
#: is worked out from it before Vega lays them out.
CHAR_WIDTH = 7.4
TITLE_SIZE = 19
#: Characters per headline line in downloads, where the title is drawn into the image.
TITLE_WRAP = 60
#: The evidence legend's title, and the tooltips' heading for a row's status.
# Translators: the title of the evidence key (Confirmed, Reported, Estimate, Alleged...) under a chart, and a tooltip's heading for a mark's evidence status.
EVIDENCE = N_("Evidence")


def is_wide(char: str) -> bool:
    """Whether a character is set about two Latin characters wide: Hangul, CJK ideographs and
    the other East Asian wide and full-width forms (Unicode's East Asian Width W and F)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def text_units(text) -> int:
    """How much room text takes in a label, counted in average Latin characters (CHAR_WIDTH
    each at LABEL_SIZE): ``len(text)``, with each wide character (a Korean syllable) counted
    twice, so a Korean label wraps and gets room as it is drawn."""
    text = str(text)
    return len(text) + sum(1 for char in text if is_wide(char))


#: Stands in, while text is wrapped, for the second half of a wide character's room; it occurs
#: in no text (a private-use character).
_WIDE_FILLER = "\ue000"


def wrap(text, width: int, **options) -> list[str]:
    """``textwrap.wrap`` measuring by :func:`text_units`: lines of at most ``width`` Latin
    characters' room, a Korean syllable taking two. Korean breaks between words at spaces as
    English does; text with no wide character is wrapped exactly as ``textwrap.wrap`` wraps it."""
    text = str(text)
    if not any(is_wide(char) for char in text):
        return textwrap.wrap(text, width, **options)
    widened = "".join(char + _WIDE_FILLER if is_wide(char) else char for char in text)
    return [line.replace(_WIDE_FILLER, "") for line in textwrap.wrap(widened, width, **options)]


@alt.theme.register(THEME_NAME, enable=True)
def explainer_theme() -> alt.theme.ThemeConfig:
    ink, muted, grid, domain = INK[0], MUTED[0], GRID[0], DOMAIN[0]
    # Axes and legends label alike: ink for labels, muted for their titles.
    labels = {
        "labelColor": ink,
        "labelFont": FONT,
        "labelFontSize": LABEL_SIZE,
        "titleColor": muted,
        "titleFont": FONT,
        "titleFontSize": LABEL_SIZE,
        "titleFontWeight": "normal",
    }
    axis = {**labels, "gridColor": grid, "domainColor": domain, "tickColor": domain}
    return {
        "background": "transparent",
        "padding": {"left": 0, "right": 4, "top": 8, "bottom": 8},
        # Charts set their width to their artboard's; the plot fills what axes and labels leave.
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            # No ARIA from Vega: the page names the chart (its alt text and data table), and the
            # live view labels each mark with its formatted tooltip; Vega's own descriptions read
            # out raw values ("values from 1,994 to 2,027") and leave empty mark groups unnamed.
            "aria": False,
            "mark": {"aria": False},
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": DESKTOP.width, "continuousHeight": 260},
            "title": {
                "anchor": "start",
                "color": ink,
                "font": FONT,
                "fontSize": TITLE_SIZE,
                "fontWeight": 600,
                "subtitleColor": muted,
                "subtitleFont": FONT,
                "subtitleFontSize": LABEL_SIZE + 1,
                "offset": 14,
            },
            "axis": axis,
            "axisBand": {"grid": False, "domain": False, "ticks": False, "labelPadding": 6},
            # Pages show the evidence key in HTML under the chart; downloads draw this legend.
            "legend": {
                **labels,
                "orient": "bottom",
                "direction": "horizontal",
                "symbolType": "square",
                "symbolSize": 150,
                "symbolStrokeWidth": evidence.EDGE_WIDTH,
                "labelLimit": 0,
                "columns": 3,
                "rowPadding": 4,
                "columnPadding": 14,
            },
            "header": {"labelColor": ink, "labelFont": FONT, "labelFontSize": LABEL_SIZE, "titleColor": muted, "titleFont": FONT},
            "text": {"color": ink, "font": FONT, "fontSize": LABEL_SIZE},
            "bar": {"strokeWidth": evidence.EDGE_WIDTH},
            "point": {"strokeWidth": evidence.EDGE_WIDTH, "size": 90, "filled": True},
            "rule": {"color": muted},
        },
    }


def _status_scale(values: dict, present: list[str]) -> alt.Scale:
    # Ordinal: a point scale (Vega-Lite's default for opacity) would read the range as an interval.
    return alt.Scale(type="ordinal", domain=present, range=[values[s] for s in present])


def status_encodings(key, statuses, field: str = "status", marks: str = "area", *, title: str = EVIDENCE) -> dict:
    """Fill, edge and dash for the evidence statuses present, as the key draws them.

    Every channel shares one legend, so where Vega draws it (the downloadable specs) a swatch
    looks like the marks:
    ``mark.encode(**status_encodings(data.evidence, plotted["status"], title=data.gettext(theme.EVIDENCE)), ...)``.
    ``title`` is the legend's title in the edition's language: a chart passes its translation
    (the English default is for English-only callers). For ``marks="line"`` (rules, lines)
    there is no inside to fill: colour and dash carry the status.
    """
    present = [s.name for s in key.ordered(statuses)]
    legend = alt.Legend(title=title, labelExpr=_label_expr(key))
    colours = {s.name: s.colour for s in key}
    encodings = {
        "stroke": alt.Stroke(f"{field}:N", scale=_status_scale(colours, present), legend=legend),
        "strokeDash": alt.StrokeDash(f"{field}:N", scale=_status_scale({s.name: s.dash for s in key}, present), legend=legend),
    }
    if marks == "area":
        encodings["fill"] = alt.Fill(f"{field}:N", scale=_status_scale(colours, present), legend=legend)
        encodings["fillOpacity"] = alt.FillOpacity(f"{field}:N", scale=_status_scale({s.name: s.fill_opacity for s in key}, present), legend=legend)
    return encodings


def _label_expr(key) -> str:
    cases = " : ".join(f"datum.label === '{s.name}' ? '{_quoted(s.label)}'" for s in key)
    return f"{cases} : datum.label"


def _quoted(text: str) -> str:
    """Text for a single-quoted Vega string: a translated label may hold an apostrophe."""
    return text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")


def colour_pairs(key) -> list[tuple[str, str]]:
    """Every (light, dark) pair the charts use."""
    return [INK, MUTED, GRID, DOMAIN, TRACK, PAPER, LAND, LAND_STORY, *key.colour_pairs()]


def blend(colour: str, background: str, opacity: float) -> str:
    """The colour a fill of ``opacity`` shows over ``background``, as #rrggbb."""
    over = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    under = [int(background[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(a * opacity + b * (1 - opacity)):02x}" for a, b in zip(over, under))


#: How a badge's border draws each edge of the key.
_BORDER = {"solid": "solid", "dashed": "dashed", "dotted": "dotted"}


def stylesheet(key, scope: str = ".chart svg") -> str:
    """The generated stylesheet: the evidence key's colours and looks for badges and swatches,
    and dark-mode repaints of every chart colour, matching SVG presentation attributes.

    Generated from the key and the theme so the HTML cannot draw a status differently from
    the charts; the site's own stylesheet only uses the ``--<status>`` variables set here.
    Dark mode applies when the reader's system asks for it and the page is not fixed light, or
    when the page is fixed dark (an embed's ``?theme=`` sets ``data-theme`` on the root element).
    """
    # Each status's colour, and its fill as the marks show it over the page (a tint, worked out
    # here because the HTML checker does not know color-mix()).
    light = ";".join(f"--{s.name}:{s.colour};--{s.name}-fill:{blend(s.colour, BACKGROUND['light'], s.fill_opacity)}" for s in key)
    dark = ";".join(f"--{s.name}:{s.dark_colour};--{s.name}-fill:{blend(s.dark_colour, BACKGROUND['dark'], s.fill_opacity)}" for s in key)
    # Badges, figure references and key swatches read their status's colour and edge from here.
    looks = "".join(f".status-{s.name}{{--status:var(--{s.name});--status-fill:var(--{s.name}-fill);--edge:{_BORDER[s.edge]}}}" for s in key)
    # Dark mode: the variables, then every chart colour repainted, under each way of asking for it.
    def dark_mode(root: str) -> str:
        repaints = "".join(f'{root} {scope} [{prop}="{light_colour}"]{{{prop}:{dark_colour}}}' for light_colour, dark_colour in colour_pairs(key) for prop in ("fill", "stroke"))
        return f"{root}{{{dark}}}{repaints}"

    system, forced = dark_mode(':root:not([data-theme="light"])'), dark_mode(':root[data-theme="dark"]')
    # One artboard on show: the phone's below DESKTOP_MIN_WIDTH, the desktop's from there on.
    artboards = f".chart-art-desktop{{display:none}}@media (min-width:{DESKTOP_MIN_WIDTH}px){{.chart-art-phone{{display:none}}.chart-art-desktop{{display:block}}}}"
    return f":root{{{light}}}\n{looks}\n{artboards}\n@media (prefers-color-scheme:dark){{{system}}}\n{forced}\n"

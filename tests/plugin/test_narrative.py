"""The narrative as a reader gets it: plain sentences, no internal ids, no doubled dates, no
figure or date typed by hand, dates flagged honestly, the key facts first, and every source of
a derived figure named."""
from __future__ import annotations

import html
import html.parser
import re
from pathlib import Path

import pytest

from charting import formatting
from dataset.dates import parse_span
from tests.conftest import edition_of

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "content" / "pages").glob("*.md"))
NARRATIVE = {"index.html": "explainer", "timeline/index.html": "timeline", "food-for-munitions/index.html": "food-for-munitions", "sources-and-method/index.html": "method"}

#: Elements whose text a reader does not see as prose: code shows ids on purpose.
HIDDEN = {"code", "pre", "script", "style", "textarea", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE = re.compile(rf"\b(?:\d{{1,2}} )?(?:{MONTHS}) \d{{4}}\b|\b\d{{4}}\b")
URL = re.compile(r"(?:https?://|/)\S*|\S+\.(?:csv|png|svg|json|html|txt)\b")


class _VisibleText(html.parser.HTMLParser):
    """Each run of text a reader sees, outside code and outside tags and their attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.runs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if data.strip() and not HIDDEN.intersection(self.open):
            self.runs.append(data)


def visible_runs(page: Path) -> list[str]:
    parser = _VisibleText()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser.runs


def data_ids(dataset) -> set[str]:
    """Ids a reader could mistake for words are left out (a flow called ``goats``); the rest
    are snake_case and never English."""
    ids = {*dataset.figures.index, *dataset.events.index, *dataset.flows["flow_id"], *dataset.sources}
    return {i for i in ids if "_" in i}


def ids_in_text(runs: list[str], ids: set[str]) -> list[str]:
    found = []
    for run in runs:
        text = URL.sub(" ", run)
        found += [f"{word!r} in {run.strip()[:120]!r}" for word in re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", text) if word in ids]
    return found


def doubled_dates(runs: list[str]) -> list[str]:
    """A date said twice in a row within one run of text: '3 February 2026 (3 February 2026)'."""
    found = []
    for run in runs:
        for match in DATE.finditer(run):
            if re.match(r"\W{1,4}" + re.escape(match.group(0)) + r"\b", run[match.end() :]):
                found.append(run.strip()[:160])
    return found


def test_no_data_id_reaches_a_reader(built_site, dataset):
    ids = data_ids(dataset)
    leaks = {str(page.relative_to(built_site)): found for page in sorted(built_site.rglob("*.html")) if (found := ids_in_text(visible_runs(page), ids))}
    assert not leaks, leaks


def test_no_date_is_said_twice(built_site):
    doubled = {str(page.relative_to(built_site)): found for page in sorted(built_site.rglob("*.html")) if (found := doubled_dates(visible_runs(page)))}
    assert not doubled, doubled


def test_the_checks_catch_what_they_look_for(dataset):
    """The two detectors above, on the sentences the fact-check found."""
    ids = data_ids(dataset)
    assert ids_in_text(["See the figure harvest_shortfall_2022."], ids)
    assert ids_in_text(["year inferred as for flour_exports_2025_jan_jul."], ids)
    assert not ids_in_text(["447 goats", "/charts/two_way_ledger/two_way_ledger.csv"], ids)
    assert doubled_dates(["Year inferred from NK News, 3 February 2026 (3 February 2026)."])
    assert not doubled_dates(["18 June 2024 (year inferred)", "from 2023 to 2024"])


def _prose(markdown: str) -> list[tuple[int, str]]:
    """Each line of a page as a reader reads it: references, code, link addresses, HTML tags
    and the ``Date:`` metadata line taken out."""
    lines, fenced = [], False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith("    ") or re.match(r"^(Date|Slug|Save_as|Url|Nav_order|Card_chart):", line):
            continue
        line = re.sub(r"\{\{.*?\}\}", "", line)
        line = re.sub(r"`[^`]*`", "", line)
        line = re.sub(r"\]\([^)]*\)", "]", line)
        line = re.sub(r"<[^>]*>|\{:[^}]*\}", "", line)
        lines.append((number, line))
    return lines


TYPED = re.compile(rf"\b(?:1[89]\d\d|20\d\d)s?\b|\b(?:{MONTHS})\b|\b\d+(?:st|nd|rd|th)\b")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_date_year_or_ordinal_is_typed_into_a_page(page):
    typed = [f"line {n}: {m.group(0)!r} in {text.strip()[:100]!r}" for n, text in _prose(page.read_text(encoding="utf-8")) for m in TYPED.finditer(text)]
    assert not typed, typed


def test_the_typed_date_check_sees_through_references_only():
    found = _prose("Date: 2026-11-23\n\nIn {{date treaty_2024}}, the 17th fair; in 2024; in January.\n\n```\n2024\n```\n")
    assert [m.group(0) for _, text in found for m in TYPED.finditer(text)] == ["17th", "2024", "January"]


def test_printed_qualifiers_are_honest(dataset):
    """A date given 'as printed' has its year in the printed words; one whose year we inferred
    does not (else it was printed after all)."""
    wrong = []
    for event_id, event in dataset.events.iterrows():
        if not event["date"]:
            continue
        span = parse_span(event["date"])
        years = {str(span.start.year), str((span.end or span.start).year)}
        printed = event["date_as_printed"]
        if event["date_qualifier"] == "as_printed" and not all(year in printed for year in years):
            wrong.append(f"{event_id}: as_printed, but {printed!r} gives no year {sorted(years)}")
        if event["date_qualifier"] == "year_inferred" and formatting.printed_year(printed):
            wrong.append(f"{event_id}: year_inferred, but {printed!r} prints a year")
    assert not wrong, wrong


def test_a_vague_date_of_inferred_year_says_both(dataset):
    assert formatting.date_text("2024-07", "approximate", dataset, "early July") == "early July (about July 2024, year inferred)"
    assert formatting.date_text("1994/1999", "approximate", dataset, "mid-to-late 1990s") == "mid-to-late 1990s (about 1994–1999)"
    assert formatting.date_text("2022-10/2023-03", "approximate", dataset, "late 2022 or early 2023") == "late 2022 or early 2023 (about October 2022 – March 2023)"
    assert formatting.date_text("2023-03", "approximate", dataset) == "about March 2023"


def _refs(fragment: str) -> list[tuple[str, str, str, str]]:
    """``(kind, status, target id, shown text)`` of each figure and date reference."""
    found = re.findall(r'<a class="(figure|date)-ref status-([a-z]+)" href="[^"#]*#(?:figure|event)-([a-z0-9_]+)" title="[^"]*">(.*?)</a>', fragment)
    return [(kind, status, ref_id, html.unescape(re.sub(r"<[^>]+>", "", text))) for kind, status, ref_id, text in found]


def test_explainer_opens_with_key_facts(built_site, dataset):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    prose = page[page.index('<div class="prose">') :]
    box = re.search(r'<section[^>]*class="key-facts"[^>]*>(.*?)</section>', prose, re.DOTALL)
    assert box, "no key-facts section"
    assert prose.index('class="key-facts"') < prose.index("<p>"), "the key facts come before the first paragraph"
    assert re.search(r'aria-labelledby="key-facts"', box.group(0)) and re.search(r'<h2 id="key-facts">Key facts</h2>', box.group(1))
    items = re.findall(r"<li>(.*?)</li>", box.group(1), re.DOTALL)
    assert 4 <= len(items) <= 5, items
    for item in items:
        badge = re.match(r'<span class="status status-([a-z]+)">([^<]+)</span>', item)
        assert badge, f"a key fact starts with its evidence status: {item[:80]}"
        assert badge.group(2) == dataset.evidence[badge.group(1)].label
        refs = _refs(item)
        assert refs, f"a key fact quotes the data: {item[:80]}"
        assert {status for _, status, _, _ in refs} == {badge.group(1)}, item
        assert not re.search(r"\d", re.sub(r"<a .*?</a>|<[^>]+>", "", item)), f"a number typed into a key fact: {item}"


def test_explainer_binds_the_fall_in_farm_sales_other_than_flour(built_site, dataset):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    paragraphs = [p for p in re.findall(r"<p>(.*?)</p>", page, re.DOTALL) if "figure-non_flour_ag_exports_fall_2025" in p]
    assert paragraphs, "the explainer quotes the fall in farm sales other than flour"
    paragraph = paragraphs[0]
    shown = {(ref_id, text) for _, _, ref_id, text in _refs(paragraph)}
    for figure_id in ("non_flour_ag_exports_2024_jan_jul", "non_flour_ag_exports_2025_jan_jul", "non_flour_ag_exports_fall_2025"):
        assert (figure_id, formatting.value_text(dataset.figure(figure_id), dataset)) in shown, (figure_id, shown)
    assert "flour" in paragraph and "arithmetic" in paragraph and "both reports" in paragraph  # the caveat sits with the finding


def test_every_reference_names_every_source_it_rests_on(built_site, dataset, edition_data):
    """In every edition, each source cited as that edition writes a citation."""
    checked = 0
    for page in sorted(built_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        data = edition_data[edition_of(built_site, page)]
        for figure_id, title in re.findall(r'class="figure-ref status-[a-z]+" href="[^"#]*#figure-([a-z0-9_]+)" title="([^"]*)"', text):
            title = html.unescape(title)
            for source in dataset.sources_of(figure_id):
                assert formatting.citation(data.sources[source], data) in title, (page, figure_id, title)
            checked += len(dataset.sources_of(figure_id)) > 1
    assert checked >= 5, "derived figures from two reports are quoted in the pages"


def test_figure_table_names_every_source_of_a_derived_row(built_site, dataset):
    page = (built_site / "sources-and-method" / "index.html").read_text(encoding="utf-8")
    for figure_id in dataset.figures.index:
        entry = page[page.index(f'id="figure-{figure_id}"') :]
        entry = html.unescape(entry[: entry.index("</li>")])
        sources = dataset.sources_of(figure_id)
        label = "Sources" if len(sources) > 1 else "Source"
        assert f"<dt>{label}</dt><dd>{'; '.join(dataset.sources[s].citation for s in sources)}</dd>" in entry, (figure_id, entry)


def test_dates_in_pages_are_the_data_s(built_site, dataset):
    """Every date reference in the narrative shows its event's date as the data gives it."""
    seen = 0
    for name in NARRATIVE:
        for kind, _, ref_id, text in _refs((built_site / name).read_text(encoding="utf-8")):
            if kind != "date":
                continue
            event = dataset.event(ref_id)
            assert text in {formatting.date_text(event["date"], event["date_qualifier"], dataset, event["date_as_printed"]), formatting.year_text(event["date"], dataset)}, (name, ref_id, text)
            seen += 1
    assert seen >= 20

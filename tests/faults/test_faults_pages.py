"""Bad pages, one at a time: each stops the build with the page (or written file) and line,
and leaves the previous output/ exactly as it was.

No ``{{`` reaches a reader, no raw HTML a page never needs gets through, two pages never
write to one place, and the build reads nothing outside the project.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dataset.errors import BuildError
from tests.conftest import ENGLISH_ONLY, snapshot
from tools import build as building

ROOT = Path(__file__).resolve().parents[2]

HEADER = """Title: A page with one fault
Date: 2025-01-01
Slug: fault
Nav_title: Fault
Nav_order: 9
Summary: A page that a test breaks.
Standfirst: It has exactly one thing wrong with it.
"""
REFERENCE_SYNTAX = "write {{fig <figure_id>}}, {{date <event_id>}}, {{chart <chart_id>}} or {{table <name>}}"


@pytest.fixture()
def content(tmp_path) -> Path:
    """A writable copy of content/."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def _page(content: Path, body: str, header: str = HEADER, name: str = "fault.md") -> Path:
    path = content / "pages" / name
    path.write_text(header + "\n" + body + "\n", encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    """The first line holding ``needle``, counted as a person does (also in a file that is not UTF-8)."""
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def _refused(good_site, render_cache, expected: str, **overrides) -> str:
    """Build over the good site; it must fail with ``expected`` as one line of the message."""
    output, before = good_site
    with pytest.raises(BuildError) as caught:
        building.build(output=output, overrides={"CHARTS_CACHE_DIR": str(render_cache), **overrides})
    message = str(caught.value)
    assert expected in message.splitlines(), message
    assert snapshot(output) == before
    return message


# Each body fault: (id, body, the text on the line it names, column or None, message).
REFERENCE_FAULTS = [
    ("fig-with-no-id", "Goats: {{fig}}.", "{{fig}}", 8, "'{{fig}}' names no figure; write {{fig <figure_id>}}"),
    ("date-with-no-id", "On {{date}} it began.", "{{date}}", 4, "'{{date}}' names no event; write {{date <event_id>}}"),
    ("empty-reference", "Goats: {{ }}.", "{{ }}", 8, f"'{{{{ }}}}' is an empty reference; {REFERENCE_SYNTAX}"),
    ("empty-form", "Goats: {{fig goats_to_rason:}}.", "goats_to_rason:", 8, "'{{fig goats_to_rason:}}' has nothing after ':'; use one of bare, period, printed, status, year, or no ':'"),
    ("unknown-kind", "Goats: {{unknown thing}}.", "unknown thing", 8, f"'{{{{unknown thing}}}}' is not a reference: unknown kind 'unknown'; {REFERENCE_SYNTAX}"),
    ("unclosed-reference", "Goats: {{fig goats_to_rason and more.", "and more", 8, f"'{{{{' opens a reference that is not closed on the same line; {REFERENCE_SYNTAX}"),
    ("reference-in-link-address", "See [the goats]({{fig goats_to_rason}}).", "See [the goats]", 17, "{{fig goats_to_rason}}: a reference cannot go in a link address, an image's text or an attribute; put it in the text"),
    ("reference-in-link-text", "See [{{fig goats_to_rason}}](https://example.org/).", "See [", 6, "{{fig goats_to_rason}}: a reference cannot go inside a link's text; it is a link itself"),
    ("reference-in-raw-html-tag", '<p title="{{fig goats_to_rason}}">Goats</p>', "<p title", 11, "{{fig goats_to_rason}}: a reference cannot go inside an HTML tag or comment"),
    ("chart-inside-a-sentence", "As {{chart food_scale}} shows.", "As {{chart", 4, "a chart or table reference must stand on a line of its own"),
]


@pytest.mark.parametrize(("name", "body", "needle", "column", "message"), REFERENCE_FAULTS, ids=[f[0] for f in REFERENCE_FAULTS])
def test_reference_that_would_leak(good_site, content, render_cache, name, body, needle, column, message):
    page = _page(content, "A first paragraph.\n\n" + body + "\n\nA last paragraph.")
    expected = f"{page}, line {_line(page, needle)}, column 'character {column}': {message}"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_references_after_an_unclosed_fence(good_site, content, render_cache):
    page = _page(content, "Before.\n\n```\n{{fig goats_to_rason}} and {{fig}}\n\nThe page goes on.")
    expected = f"{page}, line {_line(page, '```')}: ```: this code fence is never closed; end the code block with ``` on a line of its own"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_fence_that_does_not_start_the_line(good_site, content, render_cache):
    page = _page(content, "Before.\n\n  ```\n{{fig goats_to_rason}}\n  ```\n\nAfter.")
    first = _line(page, "```")
    expected = f"{page}, line {first}: ```: a code fence must start at the beginning of the line; as it is, the block is not code"
    message = _refused(good_site, render_cache, expected, PATH=str(content))
    assert f"{page}, line {first + 2}: ```: a code fence must start" in message


METADATA_FAULTS = [
    ("standfirst", "Standfirst: It has exactly one thing wrong with it.", "Standfirst: Goats: {{fig}}.", 20, "Standfirst: '{{fig}}' names no figure; write {{fig <figure_id>}}"),
    ("title", "Title: A page with one fault", "Title: {{fig goat_census}}", 8, "Title: unknown figure 'goat_census'; figure ids are in data/figures.csv"),
    ("summary", "Summary: A page that a test breaks.", "Summary: Since {{date treaty_2024:long}}.", 16, "Summary: unknown form ':long' for date 'treaty_2024'; use one of status, year"),
    ("kicker", "Nav_order: 9", "Nav_order: 9\nKicker: {{ }}", 9, f"Kicker: '{{{{ }}}}' is an empty reference; {REFERENCE_SYNTAX}"),
]


@pytest.mark.parametrize(("name", "old", "new", "column", "message"), METADATA_FAULTS, ids=[f[0] for f in METADATA_FAULTS])
def test_reference_in_metadata(good_site, content, render_cache, name, old, new, column, message):
    page = _page(content, "Body.", header=HEADER.replace(old, new))
    needle = new.splitlines()[-1]
    expected = f"{page}, line {_line(page, needle)}, column 'character {column}': {message}"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_reference_in_metadata_that_is_not_text(good_site, content, render_cache):
    page = _page(content, "Body.", header=HEADER + "Card_chart: {{chart food_scale}}\n")
    expected = f"{page}, line {_line(page, 'Card_chart')}: Card_chart: a reference cannot go in this metadata; only Title, Summary, Standfirst, Kicker, Nav_title, Description can hold {{{{fig ...}}}} or {{{{date ...}}}}"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_unresolved_text_that_reaches_a_written_page(good_site, tmp_path, render_cache):
    """The last net: a template that prints '{{' (not a page) is caught in the written site."""
    output, _ = good_site
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    template = theme / "templates" / "page.html"
    text = template.read_text(encoding="utf-8")
    assert '<div class="prose">' in text
    template.write_text(text.replace('<div class="prose">', '<div class="prose"><p>{{ "{{fig goats_to_rason}}" }}</p><pre>{{ "{{fig shown_as_code}}" }}</pre>'), encoding="utf-8")
    line = _line(output / "about" / "index.html", '<div class="prose">')
    expected = f"output/about/index.html, line {line}: '{{{{fig goats_to_rason}}}}' is left in the written file outside code: a reference or template text was never resolved"
    message = _refused(good_site, render_cache, expected, THEME=str(theme))
    assert "shown_as_code" not in message  # inside <pre> it is an example, not a leak


# Each raw HTML fault: (id, body, the text on the line it names, message).
HTML_FAULTS = [
    ("script", "Goats.<script>alert(1)</script>", "Goats.<script>", "raw HTML <script> is not allowed in a page"),
    ("script-upper-case-over-lines", '<SCRIPT\n  src="https://example.org/x.js"></SCRIPT>', "<SCRIPT", "raw HTML <script> is not allowed in a page"),
    ("iframe", '<iframe src="https://example.org/"></iframe>', "<iframe", "raw HTML <iframe> is not allowed in a page"),
    ("object", 'A film: <object data="film.swf"></object>', "<object", "raw HTML <object> is not allowed in a page"),
    ("embed", 'A film: <embed src="film.swf">', "<embed", "raw HTML <embed> is not allowed in a page"),
    ("event-handler-over-lines", '<img src="/theme/img/icon.svg" alt=""\n     OnError="alert(1)">', "OnError", "raw HTML event-handler attribute onerror= is not allowed in a page"),
    ("javascript-url-in-html", '<a href=" JavaScript:alert(1)">goats</a>', "JavaScript:", "a javascript: URL is not allowed in a page (href of <a>)"),
    ("javascript-url-as-entities", '<a href="&#106;avascript:alert(1)">goats</a>', "&#106;", "a javascript: URL is not allowed in a page (href of <a>)"),
    ("javascript-url-in-markdown-link", "See [the goats](javascript:alert(1)).", "javascript:", "a javascript: URL is not allowed in a page (href of <a>)"),
    ("javascript-url-in-link-definition", "See [the goats][goats].\n\n[goats]: javascript:alert(1)", "[goats]: javascript:", "a javascript: URL is not allowed in a page (href of <a>)"),
    ("meta-http-equiv", '<meta http-equiv="refresh" content="0; url=https://example.org/">', "http-equiv", "raw HTML <meta http-equiv> is not allowed in a page"),
]


@pytest.mark.parametrize(("name", "body", "needle", "message"), HTML_FAULTS, ids=[f[0] for f in HTML_FAULTS])
def test_raw_html_a_page_never_needs(good_site, content, render_cache, name, body, needle, message):
    page = _page(content, "A first paragraph, with `<script>` in code, which is fine.\n\n" + body + "\n\nA last paragraph.")
    expected = f"{page}, line {_line(page, needle)}: {message}"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_raw_html_in_metadata(good_site, content, render_cache):
    page = _page(content, "Body.", header=HEADER.replace("Summary: A page that a test breaks.", "Summary: A page <script>alert(1)</script>"))
    expected = f"{page}, line {_line(page, 'Summary:')}: Summary: raw HTML <script> is not allowed in a page"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_two_pages_with_one_slug(good_site, content, render_cache):
    page = _page(content, "Body.", header=HEADER.replace("Slug: fault", "Slug: about"), name="zz-about-again.md")
    about = content / "pages" / "about.md"
    expected = f"{page}, line {_line(page, 'Slug:')}: Slug 'about' gives the output path about/index.html, which {about} also writes; give each page its own Slug"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_page_slug_that_takes_the_chart_pages_path(good_site, content, render_cache):
    page = _page(content, "Body.", header=HEADER.replace("Slug: fault", "Slug: charts"))
    expected = f"{page}, line {_line(page, 'Slug:')}: Slug 'charts' gives the output path charts/index.html, which belongs to the chart pages and the site's own files; give the page another Slug"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_page_that_is_not_utf8(good_site, content, render_cache):
    page = content / "pages" / "latin.md"
    page.write_bytes((HEADER.replace("Slug: fault", "Slug: latin") + "\nThe B").encode() + b"\xe8er is cold.\n")
    expected = f"{page}, line {_line(page, 'The B')}: is not UTF-8: byte 0xe8 at character 6; save the file as UTF-8"
    _refused(good_site, render_cache, expected, PATH=str(content))


@pytest.mark.parametrize("date", ["2025-02-30", "2025-13-01", "last Tuesday"])
def test_impossible_date(good_site, content, render_cache, date):
    page = _page(content, "Body.", header=HEADER.replace("Date: 2025-01-01", f"Date: {date}"))
    expected = f"{page}, line {_line(page, 'Date:')}: Date: {date!r} is not a real date; write it as YYYY-MM-DD"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_symlink_out_of_content(good_site, content, render_cache, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(HEADER.replace("Slug: fault", "Slug: secret") + "\nNot ours.\n", encoding="utf-8")
    link = content / "pages" / "secret.md"
    os.symlink(secret, link)
    expected = f"{link}: is a symbolic link to {secret}, outside the project; the build reads only files inside it (copy the file in instead)"
    _refused(good_site, render_cache, expected, PATH=str(content))


def test_symlink_out_of_theme(good_site, render_cache, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    link = theme / "static" / "borrowed"
    os.symlink(outside, link)
    expected = f"{link}: is a symbolic link to {outside}, outside the project; the build reads only files inside it (copy the file in instead)"
    _refused(good_site, render_cache, expected, THEME=str(theme))


def test_symlink_out_of_data(good_site, data_copy, render_cache, tmp_path):
    outside = tmp_path / "notes.txt"
    outside.write_text("not ours\n", encoding="utf-8")
    link = data_copy / "notes.txt"
    os.symlink(outside, link)
    expected = f"{link}: is a symbolic link to {outside}, outside the project; the build reads only files inside it (copy the file in instead)"
    _refused(good_site, render_cache, expected, CHARTS_DATA_PACKAGE=str(data_copy / "datapackage.yaml"))


def test_symlink_inside_content_is_fine(tmp_path, content, render_cache):
    os.symlink(content / "pages" / "about.md", content / "pages" / "about-again.md.txt")
    building.build(output=tmp_path / "output", overrides={"PATH": str(content), "CHARTS_CACHE_DIR": str(render_cache)})


EXAMPLES = """Write a figure as `{{fig goats_to_rason}}`, or ``{{fig goats_to_rason:bare}}``; an empty `{{ }}` is an error.

```markdown
{{chart food_scale}}
The visit was on {{date putin_visit_2024}}; {{fig}} names no figure.
<script src="https://example.org/x.js"></script>
```

An indented example:

    {{table figures}}
    <iframe src="https://example.org/"></iframe> and [x](javascript:alert(1))

Raw HTML such as `<a onclick="x">` is refused outside code.

The real thing: {{fig goats_to_rason}}.
"""


def test_code_shows_references_and_html_literally(tmp_path, content, render_cache):
    """Inline code, fenced and indented blocks render what they show, so the syntax can be documented."""
    header = HEADER.replace("Standfirst: It has exactly one thing wrong with it.", "Standfirst: Goats sent: {{fig goats_to_rason}}.")
    _page(content, EXAMPLES, header=header.replace("Slug: fault", "Slug: syntax"), name="syntax.md")
    output = building.build(output=tmp_path / "output", overrides={"PATH": str(content), "CHARTS_CACHE_DIR": str(render_cache), **ENGLISH_ONLY}).output
    page = (output / "syntax" / "index.html").read_text(encoding="utf-8")
    assert "<code>{{fig goats_to_rason}}</code>" in page
    assert "<code>{{fig goats_to_rason:bare}}</code>" in page and "<code>{{ }}</code>" in page
    assert '<pre><code class="language-markdown">{{chart food_scale}}\nThe visit was on {{date putin_visit_2024}}; {{fig}} names no figure.\n&lt;script src=&quot;https://example.org/x.js&quot;&gt;&lt;/script&gt;\n</code></pre>' in page
    assert '<pre><code>{{table figures}}\n&lt;iframe src="https://example.org/"&gt;&lt;/iframe&gt; and [x](javascript:alert(1))\n</code></pre>' in page
    assert '<code>&lt;a onclick="x"&gt;</code>' in page
    assert 'The real thing: <a class="figure-ref' in page and "447 goats</data></a>." in page
    assert '<p class="standfirst">Goats sent: 447 goats.</p>' in page  # metadata references are plain text
    assert "<figure" not in page.split('<div class="prose">')[1]  # the chart in the example stays an example

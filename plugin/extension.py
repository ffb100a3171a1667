"""Python-Markdown extension: place charts, quote figures and dates, and draw data tables.

In a page::

    {{chart agricultural_exports}}          a chart, on a line of its own
    Exports were {{fig ag_exports_2025_jan_jul}} in January–July.
    The visit was on {{date putin_visit_2024}}.
    {{table figures}}                       a generated table, on a line of its own

Every ``{{`` outside code is a reference or an error naming the page, line and column: an
unknown id, a reference with no id (``{{fig}}``), an empty one (``{{ }}``), an unknown kind,
a form with nothing after ``:``, or no closing ``}}`` on the line. Inside code (inline code,
fenced and indented blocks) references are left as written, so pages can show the syntax.

How: before Markdown reads the page, each ``{{...}}`` is swapped for a marker that remembers
its line and column; once Markdown has parsed the page, each marker is resolved where
Markdown put it, or written back literally where Markdown made it code. Markdown itself so
decides what is code, and a reference can never leak as text.

Raw HTML a page never needs is refused, outside code: ``<script>``, ``<iframe>``,
``<object>``, ``<embed>`` (and ``<frame>``, ``<frameset>``, ``<applet>``, ``<base>``),
``<meta http-equiv>``, ``on...=`` event handlers and ``javascript:`` URLs, in raw HTML and in
Markdown links. A code fence that is never closed is an error too.
"""
from __future__ import annotations

import html
import html.parser
import re
from dataclasses import dataclass, field

from markdown import Extension, util
from markdown.extensions import meta as meta_ext
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from charting import references
from dataset.errors import PageReferenceError, Problem

#: Stands for the n-th reference of a page while Markdown parses it. STX and ETX cannot be
#: in a page (Markdown removes them first), so no page text can forge or break a marker.
MARKER = util.STX + "chartref:{}" + util.ETX
MARKER_RE = re.compile(re.escape(util.STX) + r"chartref:(\d+)" + re.escape(util.ETX))
#: A line holding nothing but a chart or table reference: such a line is a block of its own.
ALONE = re.compile(r"^ {0,3}\{\{\s*(chart|table)\b[^{}]*\}\}\s*$")
#: A line that opens (or closes) a fenced code block, as Python-Markdown's fences go.
FENCE_LINE = re.compile(r"^( {0,3})(`{3,}(?=[^`]*$)|~{3,})")
CODE_TAGS = ("code", "pre")

#: Raw HTML elements a page never needs; each can run or load something.
FORBIDDEN_TAGS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base")
_FORBIDDEN_TAG_RE = re.compile(r"<(" + "|".join(FORBIDDEN_TAGS) + r")(?=[\s/>]|$)", re.IGNORECASE)
_HANDLER_RE = re.compile(r"<[a-zA-Z][^>]*?[\s/\"'](on[a-zA-Z]+)\s*=", re.DOTALL)
#: Attributes whose value is a list of values or a script, in which a URL can hide.
_SCRIPTABLE_ATTRIBUTES = ("values", "to", "from", "by")


@dataclass
class _Reference:
    raw: str
    line: int
    column: int


@dataclass
class _PageState:
    """What the preprocessor learned about one page, for the tree processor."""

    source_path: str
    text: str  # the page with references swapped for markers, one line per line of the file
    first_line: int
    references: list[_Reference] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    fenced: list[tuple[int, int]] = field(default_factory=list)  # character spans of fenced code
    cursor: dict = field(default_factory=dict)

    def add(self, message: str, line: int | None, column: int | None = None) -> None:
        self.problems.append(Problem(self.source_path, message, line=line, column=f"character {column}" if column else None))


class ChartsExtension(Extension):
    """Configured by the Pelican plugin with a :class:`plugin.figures.Renderer` per edition."""

    def __init__(self, renderers: dict, **kwargs):
        #: One renderer per edition, by language; the reader sets ``lang`` to the page's.
        self.renderers = renderers
        self.lang = next(iter(renderers))
        self.source_path = "<page>"
        #: Added to every line number: the line a converted metadata field starts on, less one.
        self.line_offset = 0
        #: The address of the page being read, which tables on it may name.
        self.page_url = ""
        #: ``(kind, id)`` of every reference resolved since the reader began the page: what the
        #: page's data rests on.
        self.referenced: list[tuple[str, str]] = []
        super().__init__(**kwargs)

    @property
    def renderer(self):
        return self.renderers[self.lang]

    def extendMarkdown(self, md):
        md.registerExtension(self)
        # After whitespace normalising (30), which would strip the markers, and before the meta
        # extension (27) removes the header, so line numbers stay those of the file.
        md.preprocessors.register(ReferencePreprocessor(md, self), "chart_references", 28)
        # After inline parsing (20) and attribute lists (8), before abbreviations (7), smart
        # quotes (6) and the table of contents (5), which must see the resolved text.
        md.treeprocessors.register(ReferenceTreeprocessor(md, self), "chart_references", 7.5)


class ReferencePreprocessor(Preprocessor):
    def __init__(self, md, extension: ChartsExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        offset = self.extension.line_offset
        header = metadata_length(lines) if "meta" in self.md.preprocessors else 0
        marked: list[str] = list(lines[:header])
        state = _PageState(self.extension.source_path, "", offset + 1)
        for number, line in enumerate(lines[header:], start=header + 1 + offset):
            pieces, position = [], 0
            for start, end, raw in references.tokens(line):
                pieces += [line[position:start], MARKER.format(len(state.references))]
                state.references.append(_Reference(raw, number, start + 1))
                position = end
            marked.append("".join(pieces) + line[position:])
        state.text = "\n".join(marked)
        state.fenced = [m.span() for m in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(state.text)]
        self.md.charts_page = state

        out, starts = [], _line_starts(state.text)
        for index, line in enumerate(marked):
            in_fence = _inside(state.fenced, starts[index])
            fence = FENCE_LINE.match(line) if index >= header else None
            if fence and not in_fence:
                if fence.group(1):
                    state.add(f"{fence.group(2)}: a code fence must start at the beginning of the line; as it is, the block is not code", index + 1 + offset)
                else:
                    state.add(f"{fence.group(2)}: this code fence is never closed; end the code block with {fence.group(2)} on a line of its own", index + 1 + offset)
            if index >= header and not in_fence and ALONE.match(lines[index]):
                # A chart or table stands as a block of its own, even right after a paragraph.
                out += ["", line, ""]
            else:
                out.append(line)
        return out


class ReferenceTreeprocessor(Treeprocessor):
    def __init__(self, md, extension: ChartsExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, root):
        state: _PageState | None = getattr(self.md, "charts_page", None)
        if state is None:
            return
        self.state = state
        stash = self.md.htmlStash.rawHtmlBlocks
        authored = len(stash)  # everything stashed so far came from the page: raw HTML and code
        for entry in list(stash[:authored]):
            if isinstance(entry, str):
                self._check_raw_html(entry)
        section = 1  # the page title is the h1; a chart's headline sits one level below its section
        for child in list(root):
            heading = re.fullmatch(r"h([1-6])", child.tag) if isinstance(child.tag, str) else None
            if heading:
                section = int(heading.group(1))
            if not self._place_block(child, section):
                self._walk(child, code=False, link=False)
            if child.tail:
                child.tail = self._text(child.tail, code=False, link=False)
        for index in range(authored):
            entry = stash[index]
            if isinstance(entry, str) and MARKER_RE.search(entry):
                stash[index] = self._raw_html_references(entry)
        problems, state.problems = state.problems, []
        self.md.charts_page = None
        if problems:
            raise PageReferenceError(sorted(problems, key=lambda p: (p.line or 0, int((p.column or "character 0").split()[-1]))))
        return

    # Charts and tables: a paragraph of its own at the top level of the page.
    def _place_block(self, element, section: int) -> bool:
        if element.tag != "p" or len(element) or not element.text:
            return False
        marker = MARKER_RE.fullmatch(element.text.strip())
        if not marker:
            return False
        reference = self.state.references[int(marker.group(1))]
        try:
            kind, name, _ = references.parse(reference.raw)
        except references.UnknownReference:
            return False  # reported, with its column, by the text walk
        if kind not in ("chart", "table"):
            return False
        renderer = self.extension.renderer
        try:
            block = renderer.chart(name, heading_level=min(section + 1, 6)) if kind == "chart" else renderer.table(name, page_url=self.extension.page_url)
        except references.UnknownReference as exc:
            self.state.add(str(exc), reference.line)
            element.text = ""
            return True
        element.text = self.md.htmlStash.store(block)
        self.extension.referenced.append((kind, name))
        return True

    def _walk(self, element, code: bool, link: bool) -> None:
        code = code or element.tag in CODE_TAGS
        link = link or element.tag == "a"
        self._check_element(element)
        for name, value in element.attrib.items():
            for marker in MARKER_RE.finditer(value):
                reference = self.state.references[int(marker.group(1))]
                self.state.add(f"{reference.raw}: a reference cannot go in a link address, an image's text or an attribute; put it in the text", reference.line, reference.column)
            element.attrib[name] = MARKER_RE.sub("", value)
        if element.text:
            element.text = self._text(element.text, code, link)
        for child in element:
            self._walk(child, code, link)
            if child.tail:
                child.tail = self._text(child.tail, code, link)

    def _text(self, text: str, code: bool, link: bool) -> str:
        if not MARKER_RE.search(text):
            return text

        def replace(marker: re.Match) -> str:
            reference = self.state.references[int(marker.group(1))]
            if code:
                return util.code_escape(reference.raw)
            return self._resolve(reference, link)

        new = MARKER_RE.sub(replace, text)
        return util.AtomicString(new) if isinstance(text, util.AtomicString) else new

    def _resolve(self, reference: _Reference, link: bool = False) -> str:
        """The stashed HTML of an inline reference, or '' after recording what is wrong."""
        try:
            kind, ref_id, variant = references.parse(reference.raw)
            if kind not in references.INLINE_KINDS:
                raise references.UnknownReference("a chart or table reference must stand on a line of its own")
            if link:
                raise references.UnknownReference(f"{reference.raw}: a reference cannot go inside a link's text; it is a link itself")
            rendered = self.extension.renderer.reference(kind, ref_id, variant)
            self.extension.referenced.append((kind, ref_id))
            return self.md.htmlStash.store(rendered)
        except references.UnknownReference as exc:
            self.state.add(str(exc), reference.line, reference.column)
            return ""

    def _raw_html_references(self, entry: str) -> str:
        """References in raw HTML: literal inside <pre>/<code>, resolved in text, refused in tags."""
        out, depth, link = [], 0, 0
        for piece in re.split(r"(<!--.*?-->|<[^>]*>)", entry, flags=re.DOTALL):
            if piece.startswith("<"):
                for marker in MARKER_RE.finditer(piece):
                    reference = self.state.references[int(marker.group(1))]
                    self.state.add(f"{reference.raw}: a reference cannot go inside an HTML tag or comment", reference.line, reference.column)
                tag = re.match(r"<(/?)([a-zA-Z][^\s/>]*)", piece)
                if tag and tag.group(2).lower() in CODE_TAGS:
                    depth = max(0, depth + (-1 if tag.group(1) else 1))
                if tag and tag.group(2).lower() == "a":
                    link = max(0, link + (-1 if tag.group(1) else 1))
                out.append(MARKER_RE.sub("", piece))
            elif depth:
                out.append(MARKER_RE.sub(lambda m: html.escape(self.state.references[int(m.group(1))].raw), piece))
            else:
                out.append(MARKER_RE.sub(lambda m, inside=bool(link): self._resolve(self.state.references[int(m.group(1))], inside), piece))
        return "".join(out)

    # Raw HTML a page never needs.
    def _check_raw_html(self, entry: str) -> None:
        if not re.search(r"<[a-zA-Z]", entry):
            return  # code blocks are escaped; no tag can be in them
        found = unsafe_html(entry)
        tags = {problem_tag for _, _, problem_tag in found}
        for match in _FORBIDDEN_TAG_RE.finditer(entry):  # a second look, by pattern, in case the parser missed one
            if match.group(1).lower() not in tags:
                found.append((entry.count("\n", 0, match.start()) + 1, f"raw HTML <{match.group(1).lower()}> is not allowed in a page", match.group(1).lower()))
        if not any("event-handler" in message for _, message, _ in found):
            for match in _HANDLER_RE.finditer(entry):
                found.append((entry.count("\n", 0, match.start(1)) + 1, f"raw HTML event-handler attribute {match.group(1).lower()}= is not allowed in a page", "?"))
        if not found:
            return
        start = self._locate(entry)
        for line, message, _ in found:
            self.state.add(message, None if start is None else start + line - 1)

    def _check_element(self, element) -> None:
        """Elements Markdown made: links and images (their URLs) and HTML parsed as Markdown."""
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        raw = dict(element.attrib.items())
        for message, attribute in unsafe_element(tag, [(name.lower(), html.unescape(value)) for name, value in raw.items()]):
            value = next((v for n, v in raw.items() if n.lower() == attribute), "")
            line = self._locate(value) if value and value in self.state.text else None
            if line is None:
                fallback = rf"\b{re.escape(attribute)}\s*=" if attribute and attribute.startswith("on") else r"javascript|vbscript|&#"
                line = self._locate(re.compile(fallback, re.IGNORECASE))
            self.state.add(message, line)

    def _locate(self, needle) -> int | None:
        """The file line where ``needle`` (text or pattern) first occurs outside code, in order."""
        text, key = self.state.text, needle if isinstance(needle, str) else needle.pattern
        start = self.state.cursor.get(key, 0)
        found = []
        for match in (re.finditer(re.escape(needle), text) if isinstance(needle, str) else needle.finditer(text)):
            if match.start() >= start:
                found.append(match.start())
        if not found:
            return None
        position = next((p for p in found if not _probably_code(text, p, self.state.fenced)), found[0])
        self.state.cursor[key] = position + 1
        return text.count("\n", 0, position) + self.state.first_line


def unsafe_html(fragment: str) -> list[tuple[int, str, str]]:
    """``(line in fragment, message, tag)`` for each thing in raw HTML a page never needs; an
    attribute's line is its own, in a tag spread over lines."""
    parser = _TagCollector()
    parser.feed(fragment)
    parser.close()
    found = []
    for line, tag, attributes, source in parser.tags:
        for message, attribute in unsafe_element(tag, attributes):
            where = re.search(r"[\s/\"']" + re.escape(attribute) + r"(?=[\s=/>])", source, re.IGNORECASE) if attribute else None
            found.append((line + (source.count("\n", 0, where.start() + 1) if where else 0), message, tag))
    return found


def unsafe_element(tag: str, attributes: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """``(message, attribute or None)`` for each thing a page never needs in one element."""
    found = []
    if tag in FORBIDDEN_TAGS:
        found.append((f"raw HTML <{tag}> is not allowed in a page", None))
    if tag == "meta" and any(name == "http-equiv" for name, _ in attributes):
        found.append(("raw HTML <meta http-equiv> is not allowed in a page", "http-equiv"))
    for name, value in attributes:
        if name.startswith("on"):
            found.append((f"raw HTML event-handler attribute {name}= is not allowed in a page", name))
        if value and _script_url(value, anywhere=name in _SCRIPTABLE_ATTRIBUTES):
            found.append((f"a javascript: URL is not allowed in a page ({name} of <{tag}>)", name))
    return found


def _script_url(value: str, anywhere: bool = False) -> bool:
    # Browsers ignore control characters and spaces around and inside a URL's scheme.
    squeezed = re.sub(r"[\x00-\x20]+", "", html.unescape(value)).lower()
    if anywhere:
        return "javascript:" in squeezed or "vbscript:" in squeezed
    return squeezed.startswith(("javascript:", "vbscript:"))


class _TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((self.getpos()[0], tag, attrs, self.get_starttag_text() or ""))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", text)]
    return starts


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


def _probably_code(text: str, position: int, fenced: list[tuple[int, int]]) -> bool:
    """A guess, used only to find which line to name: is ``position`` in code?"""
    if _inside(fenced, position):
        return True
    line_start = text.rfind("\n", 0, position) + 1
    line = text[line_start : text.find("\n", position) if "\n" in text[position:] else len(text)]
    if re.match(r"^( {4}|\t)", line):
        return True
    return len(re.findall(r"`+", text[line_start:position])) % 2 == 1


def metadata_length(lines: list[str]) -> int:
    """How many lines at the top the meta extension takes as the ``Key: value`` header."""
    return len(metadata_lines(lines)[1])


def metadata_lines(lines: list[str]) -> tuple[list[tuple[str, int, int, str]], list[str]]:
    """The header as Python-Markdown's meta extension reads it: ``(key, line, column, value)``
    for each value line (continuation lines under their key), and the header's own lines."""
    found: list[tuple[str, int, int, str]] = []
    key, index = None, 0
    if lines and meta_ext.BEGIN_RE.match(lines[0]):
        index = 1
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.strip() == "" or meta_ext.END_RE.match(line):
            break
        first = meta_ext.META_RE.match(line)
        if first:
            key = first.group("key").lower().strip()
            found.append((key, index, first.start("value") + 1, first.group("value").strip()))
            continue
        more = meta_ext.META_MORE_RE.match(line)
        if more and key:
            found.append((key, index, more.start("value") + 1, more.group("value").strip()))
            continue
        index -= 1
        break
    return found, lines[:index]

"""Python-Markdown extension: place charts, quote figures and dates, and draw data tables.

In a page::

    {{chart agricultural_exports}}          a chart, on a line of its own
    Exports were {{fig ag_exports_2025_jan_jul}} in January–July.
    The visit was on {{date putin_visit_2024}}.
    {{table figures}}                       a generated table, on a line of its own

An unknown id stops the build with the page, line and column. Fenced code is left alone,
so pages can show the syntax itself.
"""
from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

from charts import references
from charts.errors import PageReferenceError, Problem

BLOCK = re.compile(r"^\s*\{\{\s*(chart|table)\s+([A-Za-z0-9_]+)\s*\}\}\s*$")
ANY_BLOCK = re.compile(r"\{\{\s*(chart|table)\b")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s")


class ChartsExtension(Extension):
    """Configured by the Pelican plugin with a :class:`charts.html.Renderer`."""

    def __init__(self, renderer, **kwargs):
        self.renderer = renderer
        self.source_path = "<page>"
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.registerExtension(self)
        # After whitespace normalising (30), which would strip the stash markers, and before
        # the meta extension (27) removes the header, so line numbers stay those of the file.
        md.preprocessors.register(ReferencePreprocessor(md, self), "chart_references", 28)


class ReferencePreprocessor(Preprocessor):
    def __init__(self, md, extension: ChartsExtension):
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        renderer, out, fenced = self.extension.renderer, [], False
        header = _metadata_length(lines)
        out.extend(lines[:header])
        section = 1  # the page title is the h1; a chart's headline sits one level below its section

        for number, line in enumerate(lines[header:], start=header + 1):
            if FENCE.match(line):
                fenced = not fenced
            if fenced or FENCE.match(line):
                out.append(line)
                continue
            heading = HEADING.match(line)
            if heading:
                section = len(heading.group(1))
            block = BLOCK.match(line)
            try:
                if block:
                    kind, name = block.groups()
                    html = renderer.chart(name, heading_level=min(section + 1, 6)) if kind == "chart" else renderer.table(name)
                    out.extend(["", self.md.htmlStash.store(html), ""])
                    continue
                if ANY_BLOCK.search(line):
                    raise references.UnknownReference("a chart or table reference must stand on a line of its own", column=ANY_BLOCK.search(line).start() + 1)
                out.append(references.substitute(line, lambda *ref: self.md.htmlStash.store(renderer.reference(*ref))))
            except references.UnknownReference as exc:
                column = f"character {exc.column}" if exc.column else None
                raise PageReferenceError(Problem(self.extension.source_path, str(exc), line=number, column=column)) from None
        return out


def _metadata_length(lines: list[str]) -> int:
    """How many lines at the top are ``Key: value`` metadata, which references must not touch."""
    count = 0
    for line in lines:
        if re.match(r"^[A-Za-z0-9_-]+:\s", line) or (count and re.match(r"^\s{4,}\S", line)):
            count += 1
        else:
            break
    return count

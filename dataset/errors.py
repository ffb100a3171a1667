"""Errors a maintainer sees when the data, a chart or a page is wrong."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path | str) -> str:
    """A path as a maintainer would type it: relative to the working directory when possible."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as a person would look for it."""

    path: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class BuildError(Exception):
    """The build cannot go on; the message says where and why."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, (Problem, str)):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class DataError(BuildError):
    """The data package failed validation."""


class ChartError(BuildError):
    """A chart module is missing furniture, raised, or produced an invalid spec."""


class PageReferenceError(BuildError):
    """A page refers to a chart, figure or event that does not exist."""

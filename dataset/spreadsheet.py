"""CSV files that are safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a cell that begins with ``=``, ``+``, ``-`` or ``@``
as a formula, and some treat a leading tab or carriage return the same way, so a label such as
``=HYPERLINK("http://x","y")`` in a published CSV would become a live link (or worse) on a
reader's machine. Following the OWASP guidance on CSV injection, such a cell is written with a
single quote in front, which spreadsheets show as text, and in double quotes. A cell that is a
plain number (``-447``, ``+4``, ``1.5e6``) stays as it is: numbers must stay numbers.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

#: What a spreadsheet may read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_risky(text: str) -> bool:
    """Whether a spreadsheet could take this cell for a formula."""
    return text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text)


def cell(value) -> str:
    """One cell as it goes into the file: quoted, and neutralised with a leading ' if risky."""
    text = "" if value is None else str(value)
    if is_risky(text):
        return '"' + ("'" + text).replace('"', '""') + '"'
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_rows(path: Path | str, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write a header and rows of values as a safe CSV (UTF-8, one line per row)."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.writelines(",".join(cell(value) for value in row) + "\n" for row in [header, *rows])


def write_records(path: Path | str, records: Sequence[dict]) -> None:
    """Write dicts that share their keys (the first one's order is the header) as a safe CSV."""
    header = list(records[0]) if records else []
    write_rows(path, header, ([record.get(key) for key in header] for record in records))


def write_frame(path: Path | str, frame: pd.DataFrame) -> None:
    """Write a DataFrame as a safe CSV, with pandas' own text for each value (447.0, empty for NaN)."""
    text = frame.to_csv(index=False, lineterminator="\n")
    records = list(csv.reader(io.StringIO(text, newline="")))
    write_rows(path, records[0], records[1:])

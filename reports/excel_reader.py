"""The one Excel reader, sibling of ``reports/excel.py``: ``.xlsx`` bytes in, sheets of rows
out (openpyxl), within limits.

A sheet's first row is its header; every further row keeps its Excel row number, so a report
about the data can say "第 5 行". Rows with nothing in them are skipped. Text is stripped;
numbers stay numbers; formulas are read as their cached values (``data_only``), never run. The
file is refused before openpyxl expands it when it is not an ``.xlsx`` (zip) file or would
expand past ``MAX_EXPANDED_BYTES`` (a zip bomb), and when a sheet holds more than ``max_rows``
rows.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook

from core.errors import VanguardError

MAX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 30


class ExcelUnreadable(VanguardError):
    """The file is not a readable ``.xlsx`` workbook, or is larger than the limits."""


@dataclass(frozen=True)
class ReadSheet:
    """One worksheet as read: its title, header and rows as ``(Excel row number, values)``."""

    title: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read_workbook(
    data: bytes, *, max_rows: int = MAX_ROWS, max_columns: int = MAX_COLUMNS
) -> dict[str, ReadSheet]:
    """Every sheet of the ``.xlsx`` file ``data`` by its title (``ExcelUnreadable`` when it
    cannot be read or is over the limits)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ExcelUnreadable(key="reports.excel.not_xlsx") from None
    if expanded > MAX_EXPANDED_BYTES:
        raise ExcelUnreadable(key="reports.excel.too_large")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise ExcelUnreadable(key="reports.excel.not_xlsx") from None
    try:
        return {ws.title: _sheet(ws, max_rows, max_columns) for ws in book.worksheets}
    finally:
        book.close()


def _sheet(ws: Any, max_rows: int, max_columns: int) -> ReadSheet:
    header: list[str] = []
    rows: list[tuple[int, list[Any]]] = []
    for number, raw in enumerate(ws.iter_rows(max_col=max_columns, values_only=True), start=1):
        values = [_value(v) for v in raw]
        if not any(v not in ("", None) for v in values):
            continue
        if not header:  # the first row with anything in it
            header = [str(v) for v in values]
            continue
        if len(rows) >= max_rows:
            raise ExcelUnreadable(
                key="reports.excel.too_many_rows", values={"sheet": ws.title, "n": max_rows}
            )
        rows.append((number, values))
    while header and header[-1] == "":
        header.pop()
    return ReadSheet(ws.title, header, rows)


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value

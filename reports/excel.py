"""The one Excel writer: sheets of rows in, ``.xlsx`` bytes out (openpyxl).

Every sheet gets a bold header row that stays in view (frozen first row) and columns as wide as
their widest value, Chinese characters counted double. Text is always stored as text: a value
typed as ``=HYPERLINK(...)`` reaches the reader as those characters, never as a formula.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60
# Excel refuses these in sheet titles; longer titles are cut to its 31 characters.
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab title, header and rows (numbers stay numbers)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """The ``.xlsx`` file holding ``sheets`` in order."""
    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title.translate(_TITLE_FORBIDDEN)[:31] or "Sheet")
        widths = [_width(h) for h in sheet.header]
        for row_index, row in enumerate([list(sheet.header), *map(list, sheet.rows)], start=1):
            for col_index, value in enumerate(row, start=1):
                cell = ws.cell(row=row_index, column=col_index, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # openpyxl would take "=..." for a formula
                if row_index == 1:
                    cell.font = Font(bold=True)
                if col_index > len(widths):
                    widths.append(0)
                widths[col_index - 1] = max(widths[col_index - 1], _width(value))
        for col_index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col_index)].width = min(width + 2, MAX_WIDTH)
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

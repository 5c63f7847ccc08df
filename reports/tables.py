"""Tables of wrapped paragraphs, sized to the page, that split across pages (even inside a row)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from reports.document import CONTENT_WIDTH
from reports.fonts import cjk_font
from reports.markup import para
from reports.styles import styles

GRID = colors.HexColor("#8c8c8c")
HEAD_FILL = colors.HexColor("#f1e4e4")
LABEL_FILL = colors.HexColor("#f5f5f5")

# A table cell: plain text (escaped for you) or a ready flowable.
Cell: TypeAlias = "str | Flowable"


def _cell(value: Cell, head: bool = False) -> Flowable:
    if isinstance(value, Flowable):
        return value
    return para(value, styles().cell_head if head else styles().cell)


def cell_font() -> tuple[str, tuple[int, int], tuple[int, int], str]:
    """The table-style command that sets every cell in the CJK font.

    A table sets its cells' font before drawing them even when they hold paragraphs, and
    ReportLab's default is Helvetica: a PDF would then list an unembedded Type 1 font."""
    return ("FONTNAME", (0, 0), (-1, -1), cjk_font().name)


def _style(fill: tuple[str, tuple[int, int], tuple[int, int], colors.Color]) -> TableStyle:
    """The style every report table shares (CJK font, grid, top-aligned padded cells) and
    the ``fill`` of its header row or label column."""
    return TableStyle(
        [
            cell_font(),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            fill,
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
    )


def _widths(weights: Sequence[float], width: float) -> list[float]:
    total = sum(weights) or 1
    return [width * w / total for w in weights]


def grid_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    weights: Sequence[float],
    *,
    width: float = CONTENT_WIDTH,
) -> Table:
    """A table with a repeated header row; plain strings are escaped into wrapped paragraphs."""
    data = [[_cell(h, head=True) for h in header]]
    data += [[_cell(c) for c in row] for row in rows]
    # splitInRow lets one very tall row (a long measure) continue on the next page instead of
    # failing the whole build with a LayoutError.
    table = Table(data, colWidths=_widths(weights, width), repeatRows=1, splitInRow=1)
    table.setStyle(_style(("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)))
    return table


def kv_table(
    rows: Sequence[tuple[str, Cell]], *, width: float = CONTENT_WIDTH, label_weight: float = 0.28
) -> Table:
    """A two-column label/value table."""
    data = [[_cell(label), _cell(value)] for label, value in rows]
    table = Table(
        data,
        colWidths=_widths([label_weight, 1 - label_weight], width),
        splitInRow=1,
    )
    table.setStyle(_style(("BACKGROUND", (0, 0), (0, -1), LABEL_FILL)))
    return table

"""Bar charts for dossiers: one bar per branch, drawn with ReportLab's own graphics."""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors

from reports.document import CONTENT_WIDTH
from reports.fonts import cjk_font

BAR = colors.HexColor("#b22222")
ROW = 13  # points per bar, less when many branches must fit one page
MAX_HEIGHT = 620
LABEL_WIDTH = 120


def bar_chart(
    labels: Sequence[str], values: Sequence[float], value_format: str = "{:g}"
) -> Drawing:
    """Horizontal bars, first label on top, each value printed at its bar's end."""
    font = cjk_font().name
    row = min(ROW, (MAX_HEIGHT - 24) / max(len(labels), 1))
    height = max(row * len(labels), row) + 24
    drawing = Drawing(CONTENT_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = LABEL_WIDTH, 16
    chart.width, chart.height = CONTENT_WIDTH - LABEL_WIDTH - 40, height - 24
    # HorizontalBarChart draws the first category at the bottom: reverse to read top-down.
    chart.data = [list(reversed([float(v) for v in values]))]
    chart.categoryAxis.categoryNames = list(reversed([str(label)[:16] for label in labels]))
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = 1
    if "%" in value_format:  # a share: 0 to 100% in steps of 20%
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = 1, 0.2
    else:  # a count: whole-number steps, and an axis to 5 when nothing is recorded yet
        step = max(1, math.ceil(max([float(v) for v in values] + [0.0]) / 5))
        chart.valueAxis.valueMax, chart.valueAxis.valueStep = step * 5, step
    chart.valueAxis.labelTextFormat = value_format.format
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = value_format.format
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing

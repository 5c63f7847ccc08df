"""Paragraph styles of every report, all set in the embedded CJK font with ``wordWrap='CJK'``."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from reports.fonts import cjk_font


@dataclass(frozen=True)
class Styles:
    """The named styles a builder picks from."""

    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    code: ParagraphStyle
    label: ParagraphStyle
    cert_title: ParagraphStyle
    cert_body: ParagraphStyle
    cert_sign: ParagraphStyle


def _style(name: str, font: str, size: float, **extra: object) -> ParagraphStyle:
    options: dict[str, object] = {
        "fontName": font,
        "fontSize": size,
        "leading": round(size * 1.5, 1),
        "wordWrap": "CJK",
        "alignment": TA_LEFT,
    }
    options.update(extra)
    return ParagraphStyle(name, **options)


@functools.cache
def styles() -> Styles:
    """The shared styles (built once, after the font is registered)."""
    font = cjk_font().name
    ink = colors.HexColor("#1a1a1a")
    red = colors.HexColor("#b22222")
    return Styles(
        cover_title=_style(
            "cover_title", font, 26, alignment=TA_CENTER, textColor=red, spaceAfter=18
        ),
        cover_subtitle=_style(
            "cover_subtitle", font, 16, alignment=TA_CENTER, textColor=ink, spaceAfter=10
        ),
        title=_style("title", font, 18, alignment=TA_CENTER, textColor=ink, spaceAfter=10),
        h1=_style("h1", font, 15, keepWithNext=1, textColor=red, spaceBefore=10, spaceAfter=6),
        h2=_style("h2", font, 13, keepWithNext=1, textColor=ink, spaceBefore=8, spaceAfter=4),
        h3=_style("h3", font, 11.5, keepWithNext=1, textColor=ink, spaceBefore=6, spaceAfter=3),
        body=_style("body", font, 10.5, alignment=TA_JUSTIFY, textColor=ink, spaceAfter=4),
        small=_style("small", font, 8.5, textColor=colors.HexColor("#555555")),
        cell=_style("cell", font, 9.5, textColor=ink),
        cell_head=_style("cell_head", font, 9.5, textColor=ink),
        # identifiers (rule ids, hashes): never split inside a word, only at spaces
        code=_style("code", font, 8.5, textColor=ink, wordWrap=None, splitLongWords=0),
        label=_style("label", font, 9.5, textColor=colors.HexColor("#333333")),
        cert_title=_style(
            "cert_title", font, 40, leading=56, alignment=TA_CENTER, textColor=red, spaceAfter=36
        ),
        cert_body=_style("cert_body", font, 20, leading=36, textColor=ink, firstLineIndent=40),
        cert_sign=_style("cert_sign", font, 16, leading=28, alignment=2, textColor=ink),
    )

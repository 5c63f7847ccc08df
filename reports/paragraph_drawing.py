"""A plain paragraph's lines written straight into the page, where ReportLab would draw them.

ReportLab draws a paragraph through a text object, a saved and restored canvas state and a
translation, line by line through code that also handles links, underlines, images and word
spacing; in a campaign dossier that was a third of each part's layout. A paragraph whose lines
are plain text in one TrueType font, size and colour (what ``reports.markup.para`` makes from
user text) needs none of it: ``plain_text_operators`` writes the same text, glyph codes,
font subsets and positions as PDF operators in one string. Anything else returns ``None`` and
is drawn by ReportLab. ``tests/unit/test_reports_paragraph_drawing.py`` compares the two.
"""

from __future__ import annotations

from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# Fragment attributes a plain run of text may carry; anything else (links, underline, images,
# background) is broken into lines and drawn by ReportLab's own code.
PLAIN_KEYS = frozenset(
    {"rise", "greek", "link", "fontName", "bold", "italic", "fontSize", "textColor"}
    | {"us_lines", "__tag__", "text", "lineBreak"}
)
_ALIGNED = {TA_LEFT: 0.0, TA_JUSTIFY: 0.0, TA_CENTER: 0.5, TA_RIGHT: 1.0}


def _line_texts(para: Any) -> tuple[str, float, Any, list[tuple[float, str]]] | None:
    """``(font name, size, colour, [(extra space, text) per line])`` of a paragraph whose
    lines are plain text in one font, size and colour, none of them spaced out; else ``None``."""
    blpara = para.blPara
    if blpara.kind != 0:
        return _fragment_line_texts(blpara.lines)
    if blpara.us_lines or blpara.link or getattr(blpara, "rise", 0):
        return None
    lines = []
    for extra, words in blpara.lines:
        text = " ".join(words)
        if len(words) + text.count("\xa0") > 1:  # ReportLab would spread its spaces
            return None
        lines.append((extra, text))
    return blpara.fontName, blpara.fontSize, blpara.textColor, lines


def _fragment_line_texts(
    fragment_lines: list[Any],
) -> tuple[str, float, Any, list[tuple[float, str]]] | None:
    """``_line_texts`` of lines made of fragments (ReportLab's kind 1)."""
    style: tuple[str, float, Any] | None = None
    lines = []
    for line in fragment_lines:
        texts = []
        for word in line.words:
            attrs = word.__dict__
            if not PLAIN_KEYS.issuperset(attrs) or any(
                map(attrs.get, ("link", "us_lines", "rise"))
            ):
                return None
            if "lineBreak" in attrs and not word.text:
                continue
            this = (word.fontName, word.fontSize, word.textColor)
            if style is not None and this != style:
                return None
            style = this
            texts.append(word.text)
        text = "".join(texts)
        if line.wordCount + text.count("\xa0") > 1:
            return None
        lines.append((line.extraSpace, text))
    if style is None:
        return None
    return style[0], style[1], style[2], lines


def plain_text_operators(para: Any, canvas: Canvas, x: float, y: float) -> str | None:
    """The PDF operators that draw ``para`` (wrapped, kind 0 or 1) with its bottom left
    corner at ``x, y``, as ReportLab's ``Paragraph.drawOn`` would; ``None`` when the
    paragraph is not plain text in one TrueType font, size and colour."""
    style = para.style
    if (
        para.debug
        or para.bulletText
        or getattr(para, "_offsets", None)
        or getattr(para, "_showBoundary", False)
        or style.backColor
        or (style.borderColor and style.borderWidth)
        or style.endDots
        or style.wordWrap == "RTL"
        or style.alignment not in _ALIGNED
        or getattr(para, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
        or not canvas.bottomup
        or not getattr(para, "blPara", None)
        or not para.blPara.lines
    ):
        return None
    found = _line_texts(para)
    if found is None:
        return None
    font_name, size, color, lines = found
    font = getFont(font_name)
    if not isinstance(font, TTFont) or font.shapable or not _plain_colour(color):
        return None
    top = para.height - (size if rl_config.paraFontSizeHeightOffset else para.blPara.ascent)
    code = [
        f"q {fill_colour(color)} BT 1 0 0 1 {fp_str(x + style.leftIndent, y + top)} Tm"
        f" {fp_str(style.leading)} TL"
    ]
    writer = TextWriter(canvas, font, size)
    share = _ALIGNED[style.alignment]
    shift = 0.0  # of the current line's start from the paragraph's left edge
    for index, (extra, text) in enumerate(lines):
        move = (style.firstLineIndent if index == 0 else 0.0) + share * extra - shift
        if move > 1e-6 or move < -1e-6:
            code.append(f"{fp_str(move)} 0 Td")
            shift += move
        writer.show(text, code)
        code.append("T*")
    code.append("ET Q")
    return " ".join(code)


class TextWriter:
    """Text in one font and size as the PDF operators that show it on a canvas's pages, with
    the glyph codes and font subsets ReportLab's own text output would use there (a
    TrueType font's subsets are numbered per document; ReportLab embeds those used)."""

    def __init__(self, canvas: Canvas, font: Any, size: float) -> None:
        self.doc = canvas._doc  # the document the font's subsets are numbered in
        self.font = font
        self.size = fp_str(size)
        self.selects: dict[int, str] = {}  # the operator that selects each subset
        self.subset = -1  # selected now (none at the start of a text object)

    def show(self, text: str, code: list[str]) -> None:
        """Append to ``code`` what shows ``text`` from the current text position."""
        font = self.font
        if not isinstance(font, TTFont):  # a CID font (STSong-Light): one font, two-byte codes
            code.append(f"{self.doc.getInternalFontName(font.fontName)} {self.size} Tf")
            code.append(f"({font.formatForPdf(text)}) Tj")
            return
        for subset, chars in font.splitString(text, self.doc):
            if subset != self.subset:
                select = self.selects.get(subset)
                if select is None:
                    name = font.getSubsetInternalName(subset, self.doc)
                    select = self.selects[subset] = f"{name} {self.size} Tf"
                code.append(select)
                self.subset = subset
            code.append(f"({escapePDF(chars)}) Tj")


def fill_colour(color: Color) -> str:
    """The operator that sets ``color`` (RGB) as the fill colour."""
    return f"{fp_str(color.red, color.green, color.blue)} rg"


def _plain_colour(color: Any) -> bool:
    return (
        isinstance(color, Color)
        and not isinstance(color, CMYKColor)
        and getattr(color, "alpha", 1) in (1, None)
    )

"""``Paragraph`` that lays out Chinese text fast, line for line as ReportLab does.

ReportLab's CJK wrapping (``wordWrap='CJK'``) measures every character with a ``stringWidth``
call and, for a paragraph of several fragments (every ``<br/>`` or entity starts one), wraps
each character in an object of its own and compares fragments character by character; tables
wrap every cell two or three times (to size rows, to split them, to draw them). In a campaign
dossier that was two thirds of the build.

``Paragraph`` here keeps ReportLab's algorithm and its output shape and changes only the
bookkeeping: character widths come from a per-font table filled through ``stringWidth`` (so
they are the same numbers), a paragraph whose fragments share one style is broken over plain
strings, and a wrap at the width of the previous one reuses its lines; such a paragraph is
drawn by ``reports.paragraph_drawing``. Anything else (mixed fonts, images, links, bullets,
auto leading) goes to ReportLab unchanged.
``tests/unit/test_reports_paragraphs.py`` compares the lines with ReportLab's own.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from unicodedata import category

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_START, dumbSplit
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.paragraph import FragLine, ParaLines
from reportlab.rl_config import _FUZZ

from reports.paragraph_drawing import PLAIN_KEYS, plain_text_operators

_SAME = ("fontName", "fontSize", "textColor", "rise")


@functools.cache
def _width_table(font_name: str, font_size: float) -> dict[str, float]:
    return {}


def char_widths(text: str, font_name: str, font_size: float) -> list[float]:
    """The width of each character of ``text``, as ``stringWidth`` gives it, from a table."""
    table = _width_table(font_name, font_size)
    missing = set(text).difference(table)
    for char in missing:
        table[char] = stringWidth(char, font_name, font_size)
    return [table[c] for c in text]


def _plain(frags: list[Any]) -> bool:
    """Every fragment is text (or a line break) in the first one's font, size and colour."""
    first = frags[0].__dict__
    for frag in frags:
        attrs = frag.__dict__
        if not PLAIN_KEYS.issuperset(attrs) or attrs.get("link") or attrs.get("us_lines"):
            return False
        if any(attrs.get(key) != first.get(key) for key in _SAME):
            return False
    return True


def _break_plain(frags: list[Any], max_widths: list[float]) -> ParaLines:
    """``cjkFragSplit`` over plain fragments: the same lines, measured from a width table."""
    text_frag = next((f for f in frags if not hasattr(f, "lineBreak")), frags[0])
    break_frag = next((f for f in frags if hasattr(f, "lineBreak")), None)
    font, size = text_frag.fontName, text_frag.fontSize
    # One entry per character; a line break is one empty, zero-width entry (as ReportLab has it).
    chars: list[str] = []
    breaks: set[int] = set()
    for frag in frags:
        text = frag.text or ""
        if hasattr(frag, "lineBreak"):  # every character of a break ends a line
            breaks.update(range(len(chars), len(chars) + max(1, len(text))))
        chars.extend(text or [""])
    table = _width_table(font, size)
    char_widths("".join(chars), font, size)  # fills the table
    widths = [table[c] if c else 0.0 for c in chars]
    ascent, descent = getAscentDescent(font, size)

    def line(start: int, stop: int, used: float, extra: float, hard: bool) -> FragLine:
        # A line ends at the first break it reaches, so a break can only be its last entry.
        text = "".join(chars[start : stop - 1 if hard else stop])
        words = [text_frag.clone(text=text)] if text else []
        if hard and break_frag is not None:
            words.append(break_frag.clone(text=chars[stop - 1]))
        return FragLine(
            kind=1,
            extraSpace=extra,
            wordCount=1,
            words=words,
            fontSize=size,
            ascent=ascent,
            descent=descent,
            maxWidth=max_width,
            currentWidth=used,
            lineBreak=hard,
        )

    lines: list[FragLine] = []
    i = start = 0
    used = 0.0
    max_width = max_widths[0]
    count = len(chars)
    while i < count:
        hard = i in breaks
        used += widths[i]
        i += 1
        if (used > max_width + _FUZZ and used > 0) or hard:
            extra = max_width - used
            if not hard:
                i, extra = _overflow(chars, widths, start, i, extra)
            lines.append(line(start, i, used, extra, hard))
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            start = i
            used = 0
    if used > 0:
        lines.append(line(start, count, used, max_width - used, False))
    return ParaLines(kind=1, lines=lines)


def _overflow(
    chars: list[str], widths: list[float], start: int, i: int, extra: float
) -> tuple[int, float]:
    """Where a line that overflowed at character ``i - 1`` ends, and its unused width."""
    c, w = chars[i - 1], widths[i - 1]
    if c and ord(c) < 0x3000:
        i, extra, w, c = _back_to_word_start(chars, widths, start, i, extra, w, c)
    # The character goes to the next line unless it may not start one (、。」): then it hangs.
    if c not in ALL_CANNOT_START and i > start + 1:
        return i - 1, extra + w
    return i, extra


def _back_to_word_start(
    chars: list[str], widths: list[float], start: int, i: int, extra: float, w: float, c: str
) -> tuple[int, float, float, str]:
    """Latin text inside Chinese overflowed at ``i``: go back to a space or a CJK character in
    the second half of the line, as ReportLab does; returns the new ``i, extra, w, c``."""
    for j in range(i - 1, (start + i) >> 1, -1):
        cj = chars[j]
        if cj and (category(cj) == "Zs" or ord(cj) >= 0x3000):
            k = j + 1
            if k < i:
                return k + 1, extra + sum(widths[k + 1 : i]), widths[k], chars[k]
    return i, extra, w, c


class Paragraph(rl_paragraph.Paragraph):
    """ReportLab's ``Paragraph`` with fast CJK breaking and wraps remembered per width."""

    _wrapped_at: tuple[float, Any] | None = None
    _plain_frags = False  # set by ``plain_paragraph``, whose fragments are plain by making

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self._wrapped_at
        if memo is not None and memo[0] == availWidth and getattr(self, "blPara", None) is memo[1]:
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_at = (availWidth, getattr(self, "blPara", None))
        return width, height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        code = plain_text_operators(self, canvas, self._hAlignAdjust(x, _sW), y)
        if code is None:
            super().drawOn(canvas, x, y, _sW)
        else:
            canvas.addLiteral(code)

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        frags = self.frags
        style = self.style
        if (
            not frags
            or self.bulletText
            or style.endDots
            or getattr(self, "_splitpara", 0)
            or getattr(self, "autoLeading", getattr(style, "autoLeading", "")) not in ("", "off")
            or rl_paragraph._processed_frags(frags)
            or not (self._plain_frags or _plain(frags))
        ):
            return super().breakLinesCJK(maxWidths)
        widths = list(maxWidths) if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        self.height = 0
        if len(frags) == 1:
            f = frags[0]
            lines = dumbSplit(f.text, char_widths(f.text, f.fontName, f.fontSize), widths)
            wrapped = [(space, [text]) for space, text in lines]
            return f.clone(kind=0, lines=wrapped, ascent=f.fontSize, descent=-0.2 * f.fontSize)
        return _break_plain(frags, widths)


@functools.lru_cache(maxsize=64)
def _templates(style: ParagraphStyle) -> tuple[Any, Any]:
    """The text and line-break fragments ReportLab's parser makes for ``style``."""
    frags = rl_paragraph.Paragraph("x<br/>x", style).frags
    return frags[0], frags[1]


_ENTITY = re.compile(r"([&<>])")
_NEWLINES = re.compile(r"\r\n|\r|\n")
# Characters the parser treats in ways of its own (whitespace other than what it is known to
# clean like ``str.split``; characters beyond U+FFFF, which get fragments of their own): text
# holding any is parsed.
_PARSED_APART = re.compile(r"[^\S \t\r\n\u3000]|\u200b|[\U00010000-\U0010FFFF]")


def plain_paragraph(text: str, style: ParagraphStyle, markup: str) -> Paragraph | None:
    """``Paragraph(markup, style)`` for ``markup`` = ``text`` escaped with newlines as
    ``<br/>``, built without ReportLab's markup parser; ``None`` when ``text`` holds a character
    the parser treats specially (then parse ``markup``)."""
    if _PARSED_APART.search(text) or style.textTransform or getattr(style, "bulletText", None):
        return None
    text_frag, break_frag = _templates(style)
    # The parser first joins every run of whitespace into one space and trims both ends.
    lines = _NEWLINES.split(text)
    last = len(lines) - 1
    frags = []
    for index, line in enumerate(lines):
        if index:
            frags.append(break_frag.clone())
        cleaned = " ".join(line.split())
        if cleaned and line[:1].isspace() and index:
            cleaned = " " + cleaned
        if cleaned and line[-1:].isspace() and index < last:
            cleaned += " "
        if not cleaned and line and index not in (0, last):
            cleaned = " "
        # the parser gives each escaped character (& < >) a fragment of its own
        frags.extend(text_frag.clone(text=part) for part in _ENTITY.split(cleaned) if part)
    built = Paragraph(markup, style, frags=frags)
    built._plain_frags = True
    return built

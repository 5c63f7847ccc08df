"""User text into ReportLab ``Paragraph`` markup, safely.

``Paragraph`` parses its text as XML-ish markup: ``a<b`` raises, ``<script>`` vanishes, ``R&D`` is
mangled and ``<img src="/local/file">`` embeds a local file. Every string that reaches a
``Paragraph`` goes through ``escape`` (or ``para``), so text prints exactly as typed.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

from reportlab.lib.styles import ParagraphStyle

from reports.fonts import font_runs
from reports.paragraphs import Paragraph, plain_paragraph

# C0 control characters other than tab and newline, and DEL: they break ReportLab's parser and
# have no visible form.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def escape(text: object) -> str:
    """``text`` as Paragraph markup that renders literally, newlines turned into ``<br/>``, and
    characters the main font lacks (𠮷, emoji) set in a fallback font that has them."""
    cleaned = _CONTROL.sub("", str(text))
    parts = []
    for font, run in font_runs(cleaned):
        markup = _NEWLINES.sub("<br/>", xml_escape(run))
        parts.append(markup if font is None else f'<font name="{font}">{markup}</font>')
    return "".join(parts)


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A Paragraph showing ``text`` exactly as typed."""
    cleaned = _CONTROL.sub("", str(text))
    markup = escape(cleaned)
    if "<font" not in markup:  # one font: no need to parse what we just wrote
        built = plain_paragraph(cleaned, style, markup)
        if built is not None:
            return built
    return Paragraph(markup, style)


def para_lines(lines: list[str], style: ParagraphStyle) -> Paragraph:
    """One Paragraph with each of ``lines`` (escaped) on its own line."""
    return para("\n".join(lines), style)  # escaped, each newline a <br/>

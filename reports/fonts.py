"""The CJK font every PDF is set in, embedded so that any viewer shows the Chinese text.

ReportLab's built-in CID font ``STSong-Light`` is not embedded (blank text or boxes where the
viewer lacks Adobe's Asian font pack), so a TrueType font is looked up and embedded instead, in
this order: the file named by ``VANGUARD_PDF_FONT``, WenQuanYi Zen Hei (Debian
``fonts-wqy-zenhei``), AR PL UMing (``fonts-arphic-uming``). Only when none loads do we fall back
to ``STSong-Light``, with a warning naming the package to install. OpenType/CFF fonts (Noto CJK)
cannot be loaded by ReportLab's TTF reader and are skipped with a warning.

The main font lacks CJK Extension B (𠮷, 𩸽) and emoji. ``font_runs`` cuts text into runs by the
font that has each character, trying ``FALLBACK_FONTS`` (Hanazono, Symbola) where the main font
has no glyph, and ``reports.markup.escape`` sets each run in its font.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from core.settings import settings, variable

log = logging.getLogger(__name__)

FONT_ENV = variable("pdf_font")
FONT_NAME = "VanguardCJK"
FALLBACK_CID_FONT = "STSong-Light"
INSTALL_HINT = "apt-get install fonts-wqy-zenhei"

# System fonts tried after the env override, best first.
SYSTEM_FONTS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
    Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
)


@dataclass(frozen=True)
class PdfFont:
    """The registered font: its ReportLab name, whether it is embedded, and where it came from."""

    name: str
    embedded: bool
    source: str


def candidate_paths() -> list[Path]:
    """Font files to try, the ``VANGUARD_PDF_FONT`` override first."""
    paths: list[Path] = []
    override = settings().pdf_font
    if override:
        paths.append(override)
    paths.extend(SYSTEM_FONTS)
    return paths


def select_font(paths: Iterable[Path], name: str = FONT_NAME) -> PdfFont:
    """Register the first loadable TrueType font of ``paths`` as ``name``; else the CID fallback.

    Failures are logged, never raised: a PDF in a non-embedded font beats no PDF at all.
    """
    for path in paths:
        if not path.is_file():
            continue
        try:
            # subfontIndex 0 is the proportional face of a .ttc collection (ignored for .ttf).
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        except (TTFError, OSError, ValueError) as exc:
            log.warning("PDF 字体 %s 无法加载（%s），尝试下一个字体", path, exc)
            continue
        _map_styles(name)
        return PdfFont(name=name, embedded=True, source=str(path))
    log.warning(
        "没有找到可嵌入的中文 TrueType 字体，PDF 改用不嵌入的 %s，部分阅读器会显示空白或方框。"
        "请安装 fonts-wqy-zenhei（%s），或用环境变量 %s 指定一个 .ttf/.ttc 字体文件。",
        FALLBACK_CID_FONT,
        INSTALL_HINT,
        FONT_ENV,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID_FONT))
    _map_styles(FALLBACK_CID_FONT)
    return PdfFont(name=FALLBACK_CID_FONT, embedded=False, source="cid")


def _map_styles(name: str) -> None:
    # CJK fonts here have one weight; mapping bold/italic to the same face keeps <b> from failing.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)


@functools.cache
def cjk_font() -> PdfFont:
    """The font all reports use, registered once per process."""
    return select_font(candidate_paths())


# Fonts for characters the main font lacks, tried in order for each such character: HanaMin A
# and B (Debian ``fonts-hanazono``: CJK Extension A and B, e.g. 𠮷 U+20BB7, 𩸽 U+29E3D) and
# Symbola (``fonts-symbola``: emoji and symbols, in one colour). Colour emoji fonts (Noto Color
# Emoji, CBDT bitmaps) and CFF fonts cannot be embedded by ReportLab.
FALLBACK_FONTS: tuple[tuple[str, Path], ...] = (
    ("VanguardHanaA", Path("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf")),
    ("VanguardHanaB", Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")),
    ("VanguardSymbola", Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf")),
)
FALLBACK_HINT = "apt-get install fonts-hanazono fonts-symbola"
# Characters that only shape their neighbours (emoji variation selectors, zero-width joiner):
# no font draws them, so they are dropped rather than shown as boxes.
_INVISIBLE = frozenset("\ufe0e\ufe0f\u200d")


def _glyphs(name: str) -> frozenset[int] | None:
    font = pdfmetrics.getFont(name)
    face = getattr(font, "face", None)
    return frozenset(face.charToGlyph) if face is not None else None


@functools.cache
def fallback_fonts() -> tuple[tuple[str, frozenset[int]], ...]:
    """The fallback fonts installed here, registered, each with the characters it has."""
    found = []
    for name, path in FALLBACK_FONTS:
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (TTFError, OSError, ValueError) as exc:
            log.warning("PDF 备用字体 %s 无法加载（%s）", path, exc)
            continue
        _map_styles(name)
        glyphs = _glyphs(name)
        if glyphs:
            found.append((name, glyphs))
    if not found:
        log.warning("没有备用字体，生僻字和表情会显示为方框：请安装 %s", FALLBACK_HINT)
    return tuple(found)


@functools.cache
def _main_glyphs() -> frozenset[int] | None:
    return _glyphs(cjk_font().name)


def font_runs(text: str) -> list[tuple[str | None, str]]:
    """``text`` cut into runs of ``(font, characters)``: ``None`` for the main font, else the
    first fallback font that has the run's characters. A character no font has stays with the
    main font (it prints as a box); variation selectors and joiners are dropped."""
    main = _main_glyphs()
    if main is None or main.issuperset(map(ord, text)):
        return [(None, text)] if text else []
    runs: list[tuple[str | None, str]] = []
    for char in text:
        if char in _INVISIBLE:
            continue
        code = ord(char)
        font = None
        if code not in main:
            font = next((name for name, glyphs in fallback_fonts() if code in glyphs), None)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be").hex().upper()


_REPORTLAB_TO_UNICODE = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode map with characters above U+FFFF written as UTF-16 surrogate
    pairs, as PDF requires: ReportLab 5.1 writes ``<20BB7>`` (five hex digits), so 𠮷 and emoji
    printed right but copied or extracted as garbage."""
    text: str = _REPORTLAB_TO_UNICODE(fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            text = text.replace(
                f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{_utf16_hex(code)}>"
            )
    return text


ttfonts.makeToUnicodeCMap = _to_unicode_cmap

"""The CJK font every PDF is set in, embedded so that any viewer shows the Chinese text.

ReportLab's built-in CID font ``STSong-Light`` is not embedded (blank text or boxes where the
viewer lacks Adobe's Asian font pack), so a TrueType font is looked up and embedded instead, in
this order: the file named by ``VANGUARD_PDF_FONT``, WenQuanYi Zen Hei (Debian
``fonts-wqy-zenhei``), AR PL UMing (``fonts-arphic-uming``). Only when none loads do we fall back
to ``STSong-Light``, with a warning naming the package to install. OpenType/CFF fonts (Noto CJK)
cannot be loaded by ReportLab's TTF reader and are skipped with a warning.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
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

"""The page frame every report shares: A4, page numbers, generation time, PDF metadata."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate

from i18n import Lang, format_time, now_local, t
from reports.fonts import cjk_font

# Streams are written as compressed binary, not also ASCII85-encoded (a quarter larger as text):
# PDFs about a tenth smaller, and faster to join (reports.dossier_parts).
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 22 * mm
# Width available to flowables: tables size their columns from it.
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X


@dataclass(frozen=True)
class DocInfo:
    """What the frame prints and stores: PDF title/author/subject and the generation time."""

    title: str
    generated_at: str
    lang: Lang = "zh"
    author: str = ""
    subject: str = ""


def generated_at(meta: Mapping[str, Any] | None) -> str:
    """The generation time to print, in the school's time zone: ``meta["generated_at"]`` if
    given, else now."""
    given = (meta or {}).get("generated_at")
    if given:
        return format_time(given)
    return now_local()


def doc_info(title: str, meta: Mapping[str, Any] | None, lang: Lang, subject: str = "") -> DocInfo:
    """A ``DocInfo`` for a report titled ``title``; ``meta["author"]`` overrides the author."""
    author = str((meta or {}).get("author") or t("reports.author", lang))
    return DocInfo(
        title=title, generated_at=generated_at(meta), lang=lang, author=author, subject=subject
    )


# The page number at the foot of every page, right-aligned at the right margin.
FOOTER_SIZE = 8.5
FOOTER_INK = colors.HexColor("#555555")
FOOTER_TEXT_Y = 10 * mm


def page_label(info: DocInfo, page: int) -> str:
    """``第 n 页`` (or ``Page n``) in the report's language."""
    return t("reports.footer.page", info.lang, n=page)


def footer_painter(
    info: DocInfo, page_width: float = PAGE_WIDTH, *, numbered: bool = True
) -> Callable[[Canvas, int], None]:
    """What every page carries at its foot: a rule, the generation time and ``第 n 页``
    (unless not ``numbered``); ``paint(canvas, n)`` draws it on the canvas's current page."""
    font = cjk_font().name
    footer_time = t("reports.footer.generated", info.lang, time=info.generated_at)

    def paint(canvas: Canvas, page: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, 15 * mm, page_width - MARGIN_X, 15 * mm)
        canvas.setFont(font, FOOTER_SIZE)
        canvas.setFillColor(FOOTER_INK)
        canvas.drawString(MARGIN_X, FOOTER_TEXT_Y, footer_time)
        if numbered:
            canvas.drawRightString(page_width - MARGIN_X, FOOTER_TEXT_Y, page_label(info, page))
        canvas.restoreState()

    return paint


def render(
    story: Sequence[Flowable],
    info: DocInfo,
    progress: Callable[[int, int], None] | None = None,
    *,
    pagesize: tuple[float, float] = A4,
    footer: bool = True,
) -> bytes:
    """Lay ``story`` out on ``pagesize`` pages (A4 portrait unless told, e.g.
    ``landscape(A4)`` for certificates) with the shared footer and return the PDF bytes.

    ``progress(done, total)`` is called as flowables are placed (``done`` of ``total``).
    ``footer=False`` leaves the foot of every page blank, for a part of a longer document
    whose page numbers are printed once the parts are joined (``reports.dossier_parts``)."""
    font = cjk_font().name
    paint = footer_painter(info, pagesize[0])

    def draw_footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        if footer:
            paint(canvas, doc.page)

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        author=info.author,
        subject=info.subject,
        creator="Vanguard",
        displayDocTitle=True,
        initialFontName=font,
        lang=pdf_lang(info.lang),
    )
    if progress is not None:
        doc.setProgressCallBack(_progress_reporter(progress))
    doc.build(list(story), onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def pdf_lang(lang: Lang) -> str:
    """The PDF's ``/Lang`` for a report in ``lang``."""
    return "zh-CN" if lang == "zh" else "en"


def _progress_reporter(progress: Callable[[int, int], None]) -> Callable[[str, int], None]:
    """ReportLab's progress events (``SIZE_EST`` then ``PROGRESS`` per flowable) as
    ``progress(done, total)``, at most about a hundred calls per document."""
    total = 0
    last = -1

    def report(kind: str, value: int) -> None:
        nonlocal total, last
        if kind == "SIZE_EST":
            total = max(int(value), 1)
        elif kind == "PROGRESS" and total:
            step = int(value) * 100 // total
            if step != last:
                last = step
                progress(min(int(value), total), total)

    return report

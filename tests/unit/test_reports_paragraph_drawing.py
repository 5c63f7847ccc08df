"""A plain paragraph written straight into the page (reports.paragraph_drawing) shows the same
glyphs at the same places as ReportLab's own drawing of it, and the pages look the same."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import Paragraph as ReportLabParagraph

from reports import paragraphs
from reports.campaign_dossier import CampaignDossier, branch_story, front_story
from reports.document import doc_info, render
from reports.markup import para
from reports.paragraph_drawing import plain_text_operators
from reports.samples import real_campaign_dossier
from reports.styles import styles

PIECES = list("先锋工程支部党员学习，。、；：！？“”（）《》") + list("abcXYZ 019-")
PIECES += ["\n", "\r\n", "  ", "\t", "&", "<b>", "\u3000", "\xa0", "𠮷", "😀"]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=160).map("".join)
widths = st.sampled_from([30.0, 97.5, 200.0, 455.3])
style_names = st.sampled_from(
    ["body", "cell", "h2", "small", "title", "cover_title", "cert_body", "cert_sign", "code"]
)


@contextmanager
def reportlab_drawing() -> Iterator[None]:
    """Every paragraph drawn by ReportLab's own ``drawOn`` while inside."""
    ours = paragraphs.Paragraph.drawOn
    paragraphs.Paragraph.drawOn = ReportLabParagraph.drawOn  # type: ignore[method-assign]
    try:
        yield
    finally:
        paragraphs.Paragraph.drawOn = ours  # type: ignore[method-assign]


def shown(pdf: bytes) -> list[list[tuple[str, float, float, float]]]:
    """Per page, each piece of text shown: its text, where it starts and its size."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        found: list[tuple[str, float, float, float]] = []

        # pypdf puts a space before a piece it finds far from the last: its guess, not the page's
        def visit(text: str, cm: Any, tm: Any, _font: Any, size: float, found: Any = found) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append((text.strip(), round(x, 3), round(y, 3), size))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def one_page(draw: Callable[[Canvas], None]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(text=texts, width=widths, name=style_names)
def test_a_paragraph_shows_the_same_text_where_reportlab_shows_it(
    text: str, width: float, name: str
) -> None:
    paragraph = para(text, getattr(styles(), name))
    _, height = paragraph.wrap(width, 5000)

    def draw(canvas: Canvas) -> None:
        paragraph.drawOn(canvas, 57.3, 800 - height)

    ours = one_page(draw)
    with reportlab_drawing():
        theirs = one_page(draw)
    assert shown(ours) == shown(theirs)


def test_plain_text_is_written_directly_and_anything_else_is_left_to_reportlab() -> None:
    canvas = Canvas(io.BytesIO(), pagesize=A4)
    plain = para("先锋工程\n第二行 with Latin", styles().body)
    plain.wrap(300, 1000)
    assert plain_text_operators(plain, canvas, 0, 0) is not None
    rare = para("先锋𠮷工程", styles().body)  # a fallback font inside: mixed fonts
    rare.wrap(300, 1000)
    assert plain_text_operators(rare, canvas, 0, 0) is None
    linked = paragraphs.Paragraph('<a href="https://example.org">先锋</a>', styles().body)
    linked.wrap(300, 1000)
    assert plain_text_operators(linked, canvas, 0, 0) is None


def _dossier_story() -> list[Flowable]:
    data = CampaignDossier.model_validate(real_campaign_dossier(1))
    entry = data.branches[0]
    return [*front_story(data, "zh"), *branch_story(entry, "zh", True, None)]


def _images(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(folder / name)], check=True)
    return [png.read_bytes() for png in sorted(folder.glob(f"{name}-*.png"))]


def test_a_dossier_branch_looks_the_same_page_for_page(tmp_path: Path) -> None:
    info = doc_info("比较", {"generated_at": "2025-06-01"}, "zh")
    ours = render(_dossier_story(), info)
    with reportlab_drawing():
        theirs = render(_dossier_story(), info)
    assert len(ours) < len(theirs)  # the same text in fewer operators: the fast path ran
    assert shown(ours) == shown(theirs)
    ours_png, theirs_png = _images(ours, tmp_path, "ours"), _images(theirs, tmp_path, "theirs")
    assert len(ours_png) > 20
    assert ours_png == theirs_png

"""《机关工作简报》 (S10): one numbered issue made of published news reports, as a PDF.

Input shape (``Bulletin``)::

    {"issue": 3, "date": "2025-06-01", "title": "机关工作简报", "publisher": "机关党委",
     "reports": [{"title", "branch", "category", "date", "body",
                  "author", "photographer", "reviewer"}, ...]}

Report records may be ``news_report`` form data as stored; fields not listed are ignored.
``images`` are ``{"data": <image bytes>, "caption"}``: the caller reads them from its store
(reports never reach storage). An image ReportLab cannot read prints as a note, not an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable, Spacer, Table

from forms.fields import field
from i18n import Lang, t
from reports.document import CONTENT_WIDTH, doc_info, render
from reports.images import image_flowables
from reports.markup import para
from reports.styles import styles
from reports.tables import Cell, cell_font, grid_table
from reports.values import EMPTY

_RED = colors.HexColor("#b22222")
_BLANK_LINES = re.compile(r"\n\s*\n")


class BulletinImage(BaseModel):
    """An image printed under an article, with its caption."""

    data: bytes
    caption: str = field("图片说明", en="Caption", default="", max_length=200)


class BulletinArticle(BaseModel):
    """A published news report as printed in the bulletin."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    title: str = field("标题", en="Headline", min_length=1, max_length=200)
    branch: str = field("支部", en="Branch", default="", max_length=100)
    category: str = field("类别", en="Category", default="", max_length=20)
    date: dt.date | None = field("日期", en="Date", default=None)
    body: str = field("正文", en="Body", default="", max_length=20000)
    author: str = field("撰稿", en="Author", default="", max_length=50)
    photographer: str = field("摄影", en="Photographer", default="", max_length=50)
    reviewer: str = field("审稿", en="Reviewed by", default="", max_length=50)
    images: list[BulletinImage] = field("图片", en="Images", default_factory=list, max_length=20)


class Bulletin(BaseModel):
    """One issue of the committee's bulletin."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = field("简报名称", en="Bulletin title", default="机关工作简报", max_length=50)
    issue: int = field("期号", en="Issue number", ge=1, le=10000)
    date: dt.date = field("出刊日期", en="Issue date")
    publisher: str = field("编印单位", en="Publisher", default="机关党委", max_length=100)
    reports: list[BulletinArticle] = field("刊发报道", en="Reports", default_factory=list)


def _masthead(issue: Bulletin, lang: Lang) -> list[Flowable]:
    st = styles()
    masthead = ParagraphStyle("masthead", parent=st.cover_title, fontSize=34, leading=44)
    line = ParagraphStyle("mast_line", parent=st.body, alignment=1)
    return [
        para(issue.title, masthead),
        para(t("reports.bulletin.issue", lang, n=issue.issue), line),
        _publisher_line(issue.publisher, issue.date.isoformat()),
        HRFlowable(width="100%", thickness=2, color=_RED, spaceBefore=2, spaceAfter=10),
    ]


def _publisher_line(left: str, right: str) -> Flowable:
    """Publisher on the left and the date on the right, on one borderless line."""
    row = [[para(left, styles().body), para(right, _right(styles().body))]]
    table = Table(row, colWidths=[CONTENT_WIDTH / 2] * 2)
    table.setStyle(
        [
            cell_font(),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    return table


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", parent=style, alignment=2)


def _contents(issue: Bulletin, lang: Lang) -> list[Flowable]:
    header = [t(f"reports.bulletin.col.{c}", lang) for c in ("title", "branch", "category")]
    rows: list[list[Cell]] = [
        [a.title, a.branch or EMPTY, a.category or EMPTY] for a in issue.reports
    ]
    return [
        para(t("reports.bulletin.contents", lang), styles().h2),
        grid_table(header, rows, [5, 2.5, 1.5]),
        Spacer(1, 12),
    ]


def _article(article: BulletinArticle, lang: Lang) -> list[Flowable]:
    st = styles()
    headline = ParagraphStyle("headline", parent=st.h1, alignment=1)
    byline = ParagraphStyle("byline", parent=st.small, alignment=1, spaceAfter=6)
    body = ParagraphStyle("article_body", parent=st.body, firstLineIndent=2 * st.body.fontSize)
    info = " · ".join(
        x
        for x in (article.branch, article.category, article.date and article.date.isoformat())
        if x
    )
    out: list[Flowable] = [CondPageBreak(80), para(article.title, headline)]
    if info:
        out.append(para(info, byline))
    for chunk in _BLANK_LINES.split(article.body) if article.body else [EMPTY]:
        out.append(para(chunk.strip(), body))
    out += image_flowables(((i.data, i.caption) for i in article.images), lang)
    credits = [
        t(f"reports.bulletin.credit.{role}", lang, name=name)
        for role, name in (
            ("author", article.author),
            ("photographer", article.photographer),
            ("reviewer", article.reviewer),
        )
        if name
    ]
    if credits:
        out.append(para(" ".join(credits), _right(st.small)))
    out.append(HRFlowable(width="100%", thickness=0.5, color=colors.grey, spaceBefore=6))
    return out


# An image is at most this wide and tall on the page (points).
def build_bulletin_pdf(
    data: Mapping[str, Any] | Bulletin,
    *,
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
) -> bytes:
    """One bulletin issue as PDF bytes; raises ``pydantic.ValidationError`` on a bad shape."""
    issue = data if isinstance(data, Bulletin) else Bulletin.model_validate(dict(data))
    story = _masthead(issue, lang)
    if issue.reports:
        story += _contents(issue, lang)
        for article in issue.reports:
            story += _article(article, lang)
    else:
        story.append(para(t("reports.bulletin.empty", lang), styles().body))
    title = t("reports.bulletin.pdf_title", lang, title=issue.title, n=issue.issue)
    return render(story, doc_info(title, meta, lang, subject="bulletin"))

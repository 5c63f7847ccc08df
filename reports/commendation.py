"""The July-1 internal commendation (内部表彰, S13): the list by award, then one certificate a page.

Input shape (``Commendation``)::

    {"title": "2025年度“先锋工程”内部表彰名单", "year": 2025, "date": "2025-07-01",
     "issuer": "中共某某大学机关委员会", "certificates": true,
     "entries": [{"award": "优秀共产党员", "name": "张三", "branch": "机关第一党支部"},
                 {"award": "先进党支部", "name": "", "branch": "机关第二党支部"}, ...]}

An entry without ``name`` commends the branch itself. ``build_commendation_zip`` gives the list
as one PDF and each certificate as its own A4-landscape PDF, all in one zip file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Spacer

from forms.fields import field
from i18n import Lang, t
from reports.document import doc_info, render
from reports.markup import para
from reports.sections import heading
from reports.styles import styles
from reports.tables import Cell, grid_table
from reports.values import EMPTY


class Commendee(BaseModel):
    """One commended person or branch."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    award: str = field("表彰类别", en="Award", min_length=1, max_length=50)
    name: str = field("姓名", en="Name", default="", max_length=50)
    branch: str = field("支部", en="Branch", default="", max_length=100)

    @model_validator(mode="after")
    def _someone(self) -> Commendee:
        if not self.name and not self.branch:
            raise ValueError("请填写姓名或支部（表彰支部时只填支部）")
        return self

    @property
    def recipient(self) -> str:
        """Who the certificate names: the person, else the branch."""
        return self.name or self.branch


class Commendation(BaseModel):
    """The commendation list and whether to print certificates."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = field("名单标题", en="Title", default="“先锋工程”内部表彰名单", max_length=200)
    year: int | None = field("年度", en="Year", default=None, ge=2000, le=2100)
    date: dt.date = field("表彰日期", en="Date")
    issuer: str = field("颁发单位", en="Issuer", default="机关党委", max_length=100)
    certificates: bool = field("打印荣誉证书", en="Print certificates", default=True)
    entries: list[Commendee] = field("表彰名单", en="Entries", min_length=1)


def _grouped(entries: list[Commendee]) -> dict[str, list[Commendee]]:
    groups: dict[str, list[Commendee]] = {}
    for entry in entries:
        groups.setdefault(entry.award, []).append(entry)
    return groups


def _list_pages(doc: Commendation, lang: Lang) -> list[Flowable]:
    story: list[Flowable] = [para(doc.title, styles().title), Spacer(1, 8)]
    for award, entries in _grouped(doc.entries).items():
        story.append(
            heading(t("reports.commendation.award_heading", lang, award=award, n=len(entries)), 2)
        )
        # a branch award (先进党支部) names branches only: no column of 姓名 left blank
        people = any(e.name for e in entries)
        columns = ("index", "name", "branch") if people else ("index", "branch")
        header = [t(f"reports.commendation.col.{c}", lang) for c in columns]
        rows: list[list[Cell]] = [
            [str(i), e.name or EMPTY, e.branch or EMPTY] if people else [str(i), e.branch]
            for i, e in enumerate(entries, start=1)
        ]
        story.append(grid_table(header, rows, [0.6, 2.5, 4] if people else [0.6, 6.5]))
    story.append(Spacer(1, 16))
    story.append(para(f"{doc.issuer}\n{_written(doc.date)}", styles().cert_sign))
    return story


def _certificate(
    doc: Commendation, entry: Commendee, lang: Lang, *, top: float = 90, gap: float = 80
) -> list[Flowable]:
    year = doc.year or doc.date.year
    key = "reports.commendation.cert_person" if entry.name else "reports.commendation.cert_branch"
    text = t(key, lang, name=entry.name, branch=entry.branch, award=entry.award, year=year)
    salutation, *lines = text.split("\n")
    flush_left = ParagraphStyle("cert_salutation", parent=styles().cert_body, firstLineIndent=0)
    return [
        PageBreak(),
        Spacer(1, top),
        para(t("reports.commendation.cert_title", lang), styles().cert_title),
        para(salutation, flush_left),
        *(para(line, styles().cert_body) for line in lines),
        Spacer(1, gap),
        para(f"{doc.issuer}\n{_written(doc.date)}", styles().cert_sign),
    ]


def build_commendation_pdf(
    data: Mapping[str, Any] | Commendation,
    *,
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
) -> bytes:
    """The commendation list and, if asked, one certificate page per entry, as PDF bytes.

    Raises ``pydantic.ValidationError`` on a bad shape.
    """
    doc = data if isinstance(data, Commendation) else Commendation.model_validate(dict(data))
    story = _list_pages(doc, lang)
    if doc.certificates:
        for entry in doc.entries:
            story += _certificate(doc, entry, lang)
    return render(story, doc_info(doc.title, meta, lang, subject="commendation"))


def build_certificate_pdf(
    doc: Commendation, entry: Commendee, *, meta: Mapping[str, Any] | None = None, lang: Lang = "zh"
) -> bytes:
    """One certificate (荣誉证书) for ``entry`` on an A4 landscape page."""
    story = _certificate(doc, entry, lang, top=40, gap=40)[1:]  # no page break before it
    title = f"{t('reports.commendation.cert_title', lang)} · {entry.recipient}"
    info = doc_info(title, meta, lang, subject="certificate")
    # framed and hung, not filed: no "generated at" or page number at its foot
    return render(story, info, pagesize=landscape(A4), footer=False)


def build_commendation_zip(
    data: Mapping[str, Any] | Commendation,
    *,
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
) -> bytes:
    """A zip of the commendation list (``表彰名单.pdf``) and one certificate PDF per entry
    (``证书/NN-奖项-姓名.pdf``, A4 landscape). Raises ``pydantic.ValidationError`` on a bad
    shape."""
    doc = data if isinstance(data, Commendation) else Commendation.model_validate(dict(data))
    listing = doc.model_copy(update={"certificates": False})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        list_name = t("reports.commendation.zip_list", lang)
        archive.writestr(f"{list_name}.pdf", build_commendation_pdf(listing, meta=meta, lang=lang))
        folder = t("reports.commendation.zip_folder", lang)
        for index, entry in enumerate(doc.entries, start=1):
            name = _safe(f"{index:02d}-{entry.award}-{entry.recipient}")
            pdf = build_certificate_pdf(doc, entry, meta=meta, lang=lang)
            archive.writestr(f"{folder}/{name}.pdf", pdf)
    return buffer.getvalue()


def _safe(name: str) -> str:
    """A file name without path separators or characters file systems refuse."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(". ")[:80] or "_"


def _written(day: dt.date) -> str:
    """A date as a commendation is signed: 2026年7月1日."""
    return f"{day.year}年{day.month}月{day.day}日"

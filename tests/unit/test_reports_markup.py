"""User text prints exactly as typed and never becomes markup (reports.markup)."""

from __future__ import annotations

import io

import pypdf

from reports.form import build_form_pdf
from reports.markup import escape
from reports.plan import build_plan_pdf
from reports.samples import sample_plan

HOSTILE = ["a<b", "R&D", '<img src="/etc/passwd">', "<script>alert(1)</script>", "x > y &amp; z"]


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _has_images(pdf: bytes) -> bool:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject")
        if xobjects and any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values()):
            return True
    return False


def test_escape_turns_markup_into_text_and_newlines_into_breaks() -> None:
    assert escape("a<b & c>d") == "a&lt;b &amp; c&gt;d"
    assert escape("第一行\n第二行\r\n第三行") == "第一行<br/>第二行<br/>第三行"
    assert escape("bell\x07") == "bell"


def test_hostile_user_text_prints_exactly_as_typed_and_loads_no_file() -> None:
    plan = sample_plan()
    plan["goals"] = "\n".join(HOSTILE)
    plan["items"][0]["measures"] = '<img src="/etc/passwd"> R&D'
    plan["activity_forms"] = ["a<b", "<script>"]
    pdf = build_plan_pdf(plan)
    text = _text(pdf)
    for typed in HOSTILE:
        assert typed in text
    assert "<script>" in text
    assert not _has_images(pdf)


def test_hostile_text_in_every_builder_path_of_the_generic_form() -> None:
    data = {
        "branch": "R&D 支部",
        "title": "a<b 标题",
        "category": "典型事例",
        "date": "2025-05-01",
        "body": '<img src="/etc/passwd">\n<b>粗体</b>',
        "author": "<script>",
    }
    pdf = build_form_pdf("news_report", data)
    text = _text(pdf)
    for typed in ("R&D 支部", "a<b 标题", '<img src="/etc/passwd">', "<b>粗体</b>", "<script>"):
        assert typed in text
    assert not _has_images(pdf)

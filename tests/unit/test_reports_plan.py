"""The plan PDF (S2–S4): Chinese cover, sections, tables, rule report and review trail."""

from __future__ import annotations

import io
import re

import pypdf

from reports.plan import build_plan_pdf
from reports.samples import sample_meta, sample_plan, sample_report, sample_reviews


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(pdf).pages)


def _flat(text: str) -> str:
    # Table cells wrap: compare without line breaks and spaces.
    return re.sub(r"\s+", "", text)


def test_plan_pdf_shows_chinese_heading_fields_items_and_schedule() -> None:
    plan = sample_plan(items=3)
    pdf = build_plan_pdf(plan, meta=sample_meta())
    text = _text(pdf)
    flat = _flat(text)
    assert "支部“先锋工程”实施方案" in text
    assert plan["title"] in text
    for heading in ("一、指导思想与目标", "二、主要内容", "三、阶段安排", "六、特色与亮点"):
        assert heading in text
    for item in plan["items"]:
        assert _flat(item["content"]) in flat
        assert item["owner"] in text
        assert item["deadline"] in text
    # Items table columns: content / measures / owner / deadline.
    for column in ("工作内容", "具体措施", "责任人", "完成时限"):
        assert column in text
    # Schedule stages are printed in words, not codes.
    for stage in ("启动阶段", "实施阶段", "评估总结阶段"):
        assert stage in text
    assert "2025-11-01" in text
    assert "审核通过" in text  # meta status in Chinese
    assert "2025年度“先锋工程”" in text


def test_plan_pdf_carries_rule_report_stamp_results_and_field_names() -> None:
    pdf = build_plan_pdf(sample_plan(), report=sample_report())
    text = _text(pdf)
    flat = _flat(text)
    assert "规则检查报告" in text
    assert "plan_quality" in text and "9f2c1ab34de5" in flat
    assert "退回修改" in text  # the decision
    assert _flat("特色与亮点只有 30 字，请至少写 50 字") in flat
    assert "未通过" in text and "提醒" in text and "\n通过\n" in text  # results in words
    # items.1.deadline named in words
    assert "「主要内容」第2项的「完成时限」" in flat


def test_plan_pdf_shows_review_trail_with_decisions_in_chinese_and_field_reasons() -> None:
    pdf = build_plan_pdf(sample_plan(), reviews=sample_reviews())
    text = _text(pdf)
    flat = _flat(text)
    assert "审核记录" in text
    assert "赵审核" in text and "2025-03-20 10:30" in text
    assert "退回修改" in text and "审核通过" in text
    assert _flat("特色不突出，请修改后重新提交") in flat
    assert _flat("「特色与亮点」：照搬通用表述") in flat


def test_plan_pdf_is_a4_with_page_numbers_footer_time_and_metadata() -> None:
    pdf = build_plan_pdf(sample_plan(items=20), report=sample_report(), meta=sample_meta())
    reader = _reader(pdf)
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        page_text = page.extract_text()
        assert f"第 {number} 页" in page_text
        assert "生成时间：2025-03-26 08:00" in page_text
    assert reader.metadata is not None
    assert (
        reader.metadata.title
        == "实施方案 · 机关第一党支部 · 2025年机关第一党支部“先锋工程”实施方案"
    )
    assert reader.metadata.author == "机关党委 先锋工程管理平台"


def test_draft_plan_that_does_not_validate_is_still_printed() -> None:
    draft = {"branch": "机关第一党支部", "title": "草", "items": [{"content": "只写了内容"}]}
    text = _text(build_plan_pdf(draft))
    assert "只写了内容" in text
    assert "—" in text  # empty sections


def test_plan_pdf_in_english_uses_english_labels() -> None:
    text = _text(build_plan_pdf(sample_plan(), reviews=sample_reviews(), lang="en"))
    assert "Branch implementation plan" in text
    assert "1. Guiding ideas and goals" in text
    assert "Returned" in text and "Approved" in text and "Page 1" in text

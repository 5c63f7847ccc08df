"""Bulletin (S10), commendation (S13), dossiers (S16) and the stand-alone rule report."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from pydantic import ValidationError

from reports.branch_dossier import build_branch_dossier_pdf
from reports.bulletin import build_bulletin_pdf
from reports.campaign_dossier import build_campaign_dossier_pdf
from reports.commendation import build_commendation_pdf
from reports.rule_report import build_rule_report_pdf
from reports.samples import (
    sample_branch_dossier,
    sample_bulletin,
    sample_campaign_dossier,
    sample_commendation,
    sample_report,
)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_bulletin_issue_prints_number_date_reports_and_credits() -> None:
    issue = sample_bulletin(reports=2)
    issue["reports"][1]["body"] = "第一段 R&D。\n\n第二段 a<b。"
    text = "\n".join(_pages(build_bulletin_pdf(issue)))
    flat = _flat(text)
    assert "机关工作简报" in text and "第 3 期" in text and "2025-06-01" in text
    for report in issue["reports"]:
        assert _flat(report["title"]) in flat
    assert "机关第二党支部" in text and "典型事例" in text
    assert "撰稿：孙宣传" in text and "摄影：周摄影" in text and "审稿：钱审稿" in text
    assert "第一段 R&D。" in text and "第二段 a<b。" in text


def test_bulletin_without_reports_says_so_and_bad_issue_number_is_refused() -> None:
    text = "\n".join(_pages(build_bulletin_pdf({"issue": 1, "date": "2025-01-01"})))
    assert "本期暂无刊发报道" in text
    with pytest.raises(ValidationError):
        build_bulletin_pdf({"issue": 0, "date": "2025-01-01"})


def test_commendation_list_by_award_and_one_certificate_page_per_entry() -> None:
    data = sample_commendation()
    pages = _pages(build_commendation_pdf(data))
    assert len(pages) == 1 + len(data["entries"])
    listing = pages[0]
    assert "2025年度“先锋工程”内部表彰名单" in listing
    for award in ("先进党支部", "优秀共产党员", "优秀党务工作者"):
        assert award in listing
    assert "张建国" in listing and "李晓红" in listing
    branches, people = listing.split("优秀共产党员", 1)
    assert "姓名" not in branches and "姓名" in people  # a branch award lists branches only
    certificates = pages[1:]
    assert all("荣誉证书" in page for page in certificates)
    assert "机关第一党支部" in certificates[0] and "先进党支部" in certificates[0]
    assert "张建国 同志" in certificates[1] and "“优秀共产党员”" in _flat(certificates[1])
    assert "中共示例大学机关委员会" in certificates[2] and "2025年7月1日" in certificates[2]


def test_commendation_without_certificates_is_the_list_only() -> None:
    data = sample_commendation() | {"certificates": False}
    assert len(_pages(build_commendation_pdf(data))) == 1


def test_branch_dossier_has_branch_info_statistics_and_each_submission_as_a_form() -> None:
    text = "\n".join(_pages(build_branch_dossier_pdf(sample_branch_dossier())))
    flat = _flat(text)
    assert "机关第一党支部“先锋工程”工作材料" in text and "报送学校党委" in text
    assert "党委办公室" in text and "18" in text  # unit, members
    assert "数据统计" in text and "平均出席率" in text and "88.9%" in text
    # the plan, rendered like a form, with status, rule report and review trail
    assert "支部“先锋工程”实施方案" in text and "审核通过" in text
    assert "规则检查报告" in text and "审核记录" in text
    # the study session, returned
    assert "组织生活学习记录" in text and "学习全国教育大会精神" in text and "退回修改" in flat


def test_campaign_dossier_has_progress_by_branch_and_stage_and_a_section_per_branch() -> None:
    pages = _pages(build_campaign_dossier_pdf(sample_campaign_dossier(branches=2)))
    first = pages[0]
    assert "各支部进展" in first
    for stage in ("启动阶段", "实施阶段", "评估总结阶段"):
        assert stage in first
    assert "已通过 1/3，退回 1" in first and "已通过 0/2" in first  # the cells it was given
    text = "\n".join(pages)
    assert "机关第一党支部" in text and "机关第二党支部" in text
    assert "学习全国教育大会精神" in text


def test_campaign_dossier_can_leave_out_the_forms() -> None:
    data = sample_campaign_dossier(branches=2) | {"include_forms": False}
    text = "\n".join(_pages(build_campaign_dossier_pdf(data)))
    assert "各支部进展" in text and "数据统计" in text
    assert "学习全国教育大会精神" not in text


def test_rule_report_alone_shows_form_stamp_decision_and_results() -> None:
    text = "\n".join(_pages(build_rule_report_pdf(sample_report())))
    flat = _flat(text)
    assert "规则检查报告" in text and "支部“先锋工程”实施方案" in text
    assert "plan_quality" in text and "退回修改" in text
    assert "features_specific" in flat and "特色与亮点" in text


def test_scored_rule_report_shows_score_grade_and_points() -> None:
    report = sample_report() | {"score": 87.5, "grade": "较好", "decision": "pass"}
    report["results"][0]["points"] = -2
    text = "\n".join(_pages(build_rule_report_pdf(report)))
    assert "87.5" in text and "较好" in text and "分值" in text and "-2" in text


def test_similarity_evidence_names_the_similar_document_and_shared_passage() -> None:
    report = sample_report()
    report["results"][0]["evidence"] = {
        "name": "实施方案",
        "branch": "后勤党支部",
        "score": "0.9100",
        "passage": "以服务师生为中心",
    }
    flat = _flat("\n".join(_pages(build_rule_report_pdf(report))))
    assert "后勤党支部" in flat and "91%" in flat and "以服务师生为中心" in flat  # 0.91 as 91%

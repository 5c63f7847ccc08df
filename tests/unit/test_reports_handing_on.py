"""Issue 10 point 6: PDFs people can hand on."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from reports.rule_report import build_rule_report_pdf
from reports.samples import sample_report
from reports.sections import result_in_words
from tests.unit.workflow_world import YEAR, make_world


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def test_results_read_in_words() -> None:
    assert result_in_words({"passed": True, "severity": "error"}, "zh") == "通过"
    assert result_in_words({"passed": False, "severity": "error"}, "zh") == "未通过"
    assert result_in_words({"passed": False, "severity": "warning"}, "zh") == "提醒"
    assert result_in_words({"passed": False, "severity": "veto"}, "zh") == "未通过（一票否决）"


def test_rule_ids_stay_whole_on_one_line_in_the_appendix() -> None:
    report = sample_report()
    report["results"][0]["rule"] = "features_specific_and_not_boilerplate_at_all"
    lines = _text(build_rule_report_pdf(report)).splitlines()
    assert "features_specific_and_not_boilerplate_at_all" in [line.strip() for line in lines]
    body = _text(build_rule_report_pdf(report)).split("附录")[0]
    assert "features_specific" not in body, "ids are for the appendix, not the findings"


def test_review_trail_lists_the_submitter_not_under_a_reviewer_heading() -> None:
    world = make_world()
    plan = world.submitted_plan(0)
    text = _text(world.services.documents.submission_pdf(world.reviewer, plan.id))
    trail = text.split("审核记录")[-1]
    assert "审核人" not in trail and "经办人" in trail


def test_pdf_file_names_are_chinese_and_meaningful() -> None:
    world = make_world()
    plan = world.submitted_plan(0)
    name = world.services.documents.filename(world.reviewer, plan.id)
    branch = world.branches[0].name
    assert name == f"{YEAR}年-{branch}-支部“先锋工程”实施方案-第1版.pdf"
    assert not re.search(r'[\\/:*?"<>|]', name)

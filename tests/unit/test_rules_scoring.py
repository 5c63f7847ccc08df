"""Scoring comes from YAML: bonus, deduction, caps, veto, grades, weights (issue 5, §3)."""

from __future__ import annotations

from pathlib import Path

from rules.engine import check, load_ruleset
from tests.unit.rules_fixtures import write_rules

NOMINATION = {
    "branch": "一支部",
    "award": "先进党支部",
    "deeds": "事迹" * 150,
    "self_score": 95,
    "committee_score": 92,
    "summary_grade": "先进",
}

CUSTOM = """
name: custom
form: demo_site
version: 1
rules:
  - id: short_reasons
    expression: reasons.length >= 10
    deduct: 15
    category: 材料
    message: {zh: 理由太短, en: short}
  - id: short_plan
    expression: plan_summary.length >= 10
    deduct: 15
    category: 材料
    message: {zh: 思路太短, en: short}
  - id: anniversary
    when: "'校庆' in central_work"
    expression: "true"
    bonus: 8
    message: {zh: 结合校庆加 8 分, en: bonus}
scoring:
  base: 70
  categories:
    材料: {max_deduction: 20}
  grades:
    - {name: 甲, min: 80}
    - {name: 乙, min: 50}
    - {name: 丙, min: 0}
"""


def test_weighted_self_and_committee_score_gives_grade_band() -> None:
    report = check("nomination", NOMINATION)
    assert report is not None
    assert report.score == 93.2 and report.grade == "先进"  # 95*0.4 + 92*0.6
    lower = check("nomination", {**NOMINATION, "self_score": 70, "committee_score": 65})
    assert lower is not None and lower.score == 67.0 and lower.grade == "一般"


def test_veto_blocks_and_sets_the_lowest_grade() -> None:
    report = check("nomination", {**NOMINATION, "discipline_violation": True})
    assert report is not None
    assert report.decision == "veto" and not report.passed and report.grade == "后进"


def test_branch_graded_average_cannot_be_top_grade() -> None:
    report = check("nomination", {**NOMINATION, "summary_grade": "一般"})
    assert report is not None and report.score == 93.2 and report.grade == "较好"


def test_grade_bands_caps_and_bonus_are_read_from_yaml(tmp_path: Path) -> None:
    ruleset = load_ruleset(write_rules(tmp_path, CUSTOM))
    base = {
        "branch": "一支部",
        "title": "示范点",
        "reasons": "理由充分详尽写满十个字",
        "plan_summary": "思路清楚措施具体写满十个字",
        "central_work": ["校庆"],
    }
    good = ruleset.check(base)
    assert good.score == 78 and good.grade == "乙"
    bonus = next(r for r in good.results if r.rule == "anniversary")
    assert bonus.points == 8 and bonus.message == "结合校庆加 8 分"
    poor = ruleset.check({**base, "reasons": "短", "plan_summary": "短", "central_work": []})
    # two deductions of 15 in one category capped at 20
    assert poor.score == 50 and poor.grade == "乙"
    assert [r.points for r in poor.results] == [-15, -15]


def test_demo_site_priority_bonus_is_capped_per_category() -> None:
    data = {
        "branch": "一支部",
        "title": "示范点",
        "reasons": "理" * 60,
        "plan_summary": "思" * 90,
        "expected_outcomes": "成" * 40,
    }
    none = check("demo_site", data)
    two = check("demo_site", {**data, "central_work": ["校庆", "学科建设"]})
    four = check(
        "demo_site", {**data, "central_work": ["校庆", "本科教学评估", "学科建设", "学位点建设"]}
    )
    assert none is not None and two is not None and four is not None
    assert (none.score, two.score, four.score) == (60, 80, 80)

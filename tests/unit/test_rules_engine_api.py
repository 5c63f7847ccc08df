"""The engine API the workflow calls: check, ruleset_for, load_ruleset (issue 5, §2 and §7)."""

from __future__ import annotations

from pathlib import Path

from rules.engine import check, load_ruleset, ruleset_for
from rules.similarity import Comparable
from tests.unit.rules_fixtures import GOOD_PLAN, plan, write_rules

SIMPLE = """
name: custom
form: plan
version: "7"
settings: {min_goals: 10}
rules:
  - id: goals_long
    expression: goals.length >= $settings.min_goals
    fields: [goals]
    message:
      zh: "“指导思想与目标”只有 {goals.length} 字，至少 {$settings.min_goals} 字"
      en: "goals has {goals.length} characters, needs {$settings.min_goals}"
"""


def test_check_returns_none_for_a_form_without_rule_set() -> None:
    assert ruleset_for("innovation_activity") is None
    assert check("innovation_activity", {"branch": "x"}) is None


def test_good_plan_passes_plan_quality_and_report_is_stamped() -> None:
    report = check("plan", plan())
    assert report is not None
    assert report.passed and report.decision == "pass"
    ruleset = ruleset_for("plan")
    assert ruleset is not None
    assert (report.ruleset, report.version, report.hash) == (
        "plan_quality",
        ruleset.version,
        ruleset.hash,
    )
    assert len(report.hash) == 64 and report.checked_at


def test_failed_result_explains_with_actual_values_in_both_languages() -> None:
    report = check("plan", plan(goals="加强建设"))
    assert report is not None and report.decision == "return"
    result = next(r for r in report.results if r.rule == "goals_substantive")
    assert not result.passed and result.severity == "error" and result.fields == ["goals"]
    assert "只有 4 字" in result.message and "至少需要 50 字" in result.message
    assert "has 4 characters" in result.message_en


def test_settings_override_changes_thresholds_without_touching_the_file() -> None:
    data = plan(goals="年内服务投诉为零，加强建设")  # short, but with a measurable target
    assert check("plan", data, settings={"min_goals": 5}).passed  # type: ignore[union-attr]
    assert not check("plan", data).passed  # type: ignore[union-attr]


def test_compiled_once_per_file_content(tmp_path: Path) -> None:
    path = write_rules(tmp_path, SIMPLE)
    first = load_ruleset(path)
    assert load_ruleset(path) is first
    assert load_ruleset(str(path)) is first


def test_hash_follows_content_not_comments(tmp_path: Path) -> None:
    a = load_ruleset(write_rules(tmp_path, SIMPLE, "a.yaml"))
    b = load_ruleset(write_rules(tmp_path, "# a comment\n" + SIMPLE, "b.yaml"))
    c = load_ruleset(
        write_rules(tmp_path, SIMPLE.replace("min_goals: 10", "min_goals: 11"), "c.yaml")
    )
    assert a.hash == b.hash != c.hash
    assert a.version == "7"


def test_others_accept_comparables_and_dicts() -> None:
    other = {"name": "他人方案", "branch": "二支部", "data": dict(GOOD_PLAN)}
    by_dict = check("plan", plan(), others=[other])
    by_obj = check("plan", plan(), others=[Comparable("他人方案", "二支部", dict(GOOD_PLAN))])
    assert by_dict is not None and by_obj is not None
    assert by_dict.decision == by_obj.decision == "return"
    result = next(r for r in by_dict.results if r.rule == "features_distinct")
    assert "二支部的《他人方案》" in result.message
    assert result.evidence is not None and result.evidence["name"] == "他人方案"

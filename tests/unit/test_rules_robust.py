"""A rule that cannot be computed reports why and the others still run (issue 5, §8)."""

from __future__ import annotations

from pathlib import Path

from rules.engine import load_ruleset
from tests.unit.rules_fixtures import write_rules

RULES = """
name: custom
form: study_session
version: 1
rules:
  - id: ratio
    expression: attendees / (members - members) > 0
    message: {zh: 比例, en: ratio}
  - id: notes_long
    expression: notes.length > 5
    message: {zh: "学习情况只有 {notes.length} 字", en: short}
  - id: topic_set
    expression: topic.length > 1
    message: {zh: 主题, en: topic}
"""


def test_division_by_zero_missing_field_and_none_become_failed_errors(tmp_path: Path) -> None:
    ruleset = load_ruleset(write_rules(tmp_path, RULES))
    # members present, notes None, topic missing altogether
    report = ruleset.check({"branch": "一支部", "members": 10, "attendees": 8, "notes": None})
    by_id = {r.rule: r for r in report.results}
    assert set(by_id) == {"ratio", "notes_long", "topic_set"}
    for result in by_id.values():
        assert not result.passed and result.severity == "error"
        assert "无法计算" in result.message and "could not be evaluated" in result.message_en
    assert "除以零" in by_id["ratio"].message
    assert "缺少字段“topic”" in by_id["topic_set"].message
    assert report.decision == "return"


def test_one_broken_rule_does_not_hide_the_results_of_the_others(tmp_path: Path) -> None:
    ruleset = load_ruleset(write_rules(tmp_path, RULES))
    report = ruleset.check(
        {
            "branch": "一支部",
            "members": 10,
            "attendees": 8,
            "notes": "认真学习了文件",
            "topic": "学习",
        }
    )
    by_id = {r.rule: r for r in report.results}
    assert not by_id["ratio"].passed
    assert by_id["notes_long"].passed and by_id["topic_set"].passed


def test_a_number_where_a_date_belongs_is_reported_not_raised() -> None:
    from rules.engine import check

    report = check(
        "plan",
        {
            "branch": "x",
            "title": "标题",
            "schedule": [
                {"stage": "launch", "start": "2025-01-01", "end": 20250131, "tasks": ""},
                {"stage": "implement", "start": "2025-02-01", "end": "2025-03-01", "tasks": ""},
            ],
        },
    )
    assert report is not None
    order = next(r for r in report.results if r.rule == "schedule_in_order")
    assert not order.passed and "无法计算" in order.message

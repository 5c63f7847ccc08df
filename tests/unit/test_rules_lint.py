"""Rule files are validated with file:line messages and suggestions (issue 5, §1 and §7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.engine import load_ruleset
from rules.errors import RuleLoadError
from tests.unit.rules_fixtures import write_rules

HEADER = """
name: custom
form: plan
version: 1
settings: {min_goals: 10}
rules:
"""


def problems(tmp_path: Path, body: str) -> list[str]:
    path = write_rules(tmp_path, HEADER.lstrip() + body)
    with pytest.raises(RuleLoadError) as info:
        load_ruleset(path)
    return [str(p) for p in info.value.problems]


def test_misspelt_field_names_the_line_and_suggests_the_right_field(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: gaols.length > 10
    message: {zh: 目标太短, en: too short}
""",
    )
    assert len(found) == 1
    assert found[0].endswith("custom.yaml:7: 表单没有字段 “gaols”，是不是 “goals”？")


def test_misspelt_nested_field_is_found_at_load(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: owners
    expression: "[i for i in items if i.ownr == ''].length == 0"
    message: {zh: 缺责任人, en: owner}
""",
    )
    assert ":7: " in found[0] and "ownr" in found[0] and "owner" in found[0]


def test_unknown_key_is_reported_with_suggestion(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expresion: goals.length > 10
    message: {zh: 目标太短, en: too short}
""",
    )
    assert any(":7: 未知的键 “expresion”，是不是 “expression”？" in p for p in found)


def test_wrong_type_and_bad_severity_are_reported_on_their_lines(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: goals.length > 10
    severity: fatal
    deduct: lots
    message: {zh: 目标太短, en: too short}
""",
    )
    assert any(":8: 「rules」第 1 项的「severity」只能从以下选项中选择" in p for p in found)
    assert any(":9: 「rules」第 1 项的「deduct」应为数字" in p for p in found)


def test_expression_comparing_text_with_number_fails_type_check(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: goals > 10
    message: {zh: 目标太短, en: too short}
""",
    )
    assert ":7: 表达式类型不匹配" in found[0]


def test_expression_that_is_not_true_or_false_is_rejected(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: goals.length
    message: {zh: 目标太短, en: too short}
""",
    )
    assert "true/false" in found[0]


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: goals.length >
    message: {zh: 目标太短, en: too short}
""",
    )
    assert ":7: 表达式语法错误" in found[0]


def test_unknown_setting_is_reported_with_suggestion(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: goals.length > $settings.min_goal
    message: {zh: 目标太短, en: too short}
""",
    )
    assert "min_goal" in found[0] and "min_goals" in found[0]


def test_message_placeholder_must_be_a_field_or_value(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: goals.length > 10
    message: {zh: "只有 {gaols} 字", en: too short}
""",
    )
    assert ":8: " in found[0] and "gaols" in found[0]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: goals_long
    expression: goals.length > 10
    message: {zh: 目标太短, en: too short
  - id: other
""",
    )
    assert found[0].startswith(str(tmp_path)) and "YAML 格式错误" in found[0]


def test_all_problems_of_a_file_are_reported_together(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
  - id: one
    expression: gaols.length > 10
    message: {zh: a, en: a}
  - id: two
    expression: titel.length > 1
    fields: [budjet]
    message: {zh: b, en: b}
""",
    )
    assert len(found) == 3
    assert [p.split(":")[1] for p in found] == ["7", "10", "11"]


def test_unknown_form_type_is_reported(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        """
        name: custom
        form: plna
        version: 1
        rules:
          - {id: a, expression: "true", message: {zh: a, en: a}}
        """,
    )
    with pytest.raises(RuleLoadError) as info:
        load_ruleset(path)
    assert ":2: 未知的表单类型 'plna'" in str(info.value)

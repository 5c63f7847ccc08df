"""Messages a branch secretary can act on: what is missing, 未填写 for empty, an example."""

from __future__ import annotations

from typing import Any

import pytest

from forms.registry import default_registry
from rules.engine import check, load_ruleset, shipped_rulesets

SHIPPED = [path.stem for path in shipped_rulesets()]
# Rules whose fix is a decision, not wording: the message says what to do instead.
NOT_ABOUT_WORDING = {
    ("evaluation", "no_discipline_violation"),
    ("evaluation", "branch_summary_good_enough"),
}


@pytest.mark.parametrize("name", SHIPPED)
def test_every_message_gives_a_short_example_of_what_to_write(name: str) -> None:
    """Every rule set (not only plan and summary): each message that can return or warn says
    what to write instead, with an example, in both languages; bonus-only rules praise."""
    for rule in load_ruleset(name).spec.rules:
        if rule.bonus is not None and rule.expression == "true":
            continue
        if (name, rule.id) in NOT_ABOUT_WORDING:
            assert "请改为" in rule.message.zh, (name, rule.id)
            continue
        assert "例如" in rule.message.zh, (name, rule.id)
        assert "e.g." in rule.message.en or "for example" in rule.message.en.lower(), (
            name,
            rule.id,
        )


def _emptied(value: Any) -> Any:
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    return value


@pytest.mark.parametrize("name", SHIPPED)
def test_an_empty_field_is_called_not_filled_in_never_only_0(name: str) -> None:
    """Each rule set's first example with every text and list emptied: no message says
    "只有 0"; empty is "未填写"."""
    ruleset = load_ruleset(name)
    given = ruleset.spec.tests[0].given
    data = {key: _emptied(value) for key, value in given.items() if key != "branch"}
    report = ruleset.check({**data, "branch": given.get("branch", "")})
    failed = [r for r in report.results if not r.passed]
    assert failed, name
    for result in failed:
        assert "只有 0 " not in result.message, (name, result.rule, result.message)


def test_empty_fields_say_not_filled_in_and_items_say_which_part_is_missing() -> None:
    plan = {
        "branch": "测试党支部",
        "title": "方案",
        "items": [
            {
                "content": "校庆志愿服务",
                "measures": "组建十人志愿服务队分三批接待",
                "owner": "李华",
            },
            {"content": "", "measures": "", "owner": "", "deadline": "每月"},
        ],
    }
    report = check("plan", default_registry().get("plan").model_validate(plan).model_dump())
    assert report is not None
    messages = {r.rule: r.message for r in report.results if not r.passed}
    assert messages["goals_substantive"].startswith("“指导思想与目标”未填写")
    assert "只有 0 字" not in messages["goals_substantive"]
    four = messages["items_four_fixed"]
    assert "第1项缺完成时限" in four and "第2项缺工作内容、具体措施、责任人" in four

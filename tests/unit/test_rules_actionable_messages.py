"""Messages a branch secretary can act on: what is missing, 未填写 for empty, an example."""

from __future__ import annotations

import pytest

from forms.registry import default_registry
from rules.engine import check, load_ruleset


@pytest.mark.parametrize("name", ["plan_quality", "summary_quality"])
def test_every_message_gives_a_short_example_of_what_to_write(name: str) -> None:
    for rule in load_ruleset(name).spec.rules:
        assert "例如" in rule.message.zh, rule.id


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

"""Settings changed in a form are written into the rule file; its tests keep their settings."""

from __future__ import annotations

import pytest

from rules.engine import load_text, resolve_path
from rules.file_tests import run_tests
from rules.settings_edit import apply_settings, editable_settings

TEXT = resolve_path("plan_quality").read_text(encoding="utf-8")


def test_editable_settings_are_numbers_and_phrase_lists_with_their_comments() -> None:
    found = {s.name: s for s in editable_settings(TEXT)}
    assert found["min_goals"].kind == "number" and found["min_goals"].value == 50
    assert found["min_goals"].note == "指导思想与目标 至少字数"
    assert found["boilerplate"].kind == "phrases" and "统一思想" in found["boilerplate"].value
    assert "central_work_words" not in found  # pairs are edited in YAML only


def test_a_changed_threshold_is_written_in_place_and_the_tests_keep_the_old_value() -> None:
    text = apply_settings(TEXT, {"min_goals": 500, "boilerplate": ["加强学习", "统一思想"]})
    ruleset = load_text(text, "plan_quality.yaml")
    assert ruleset.settings["min_goals"] == 500
    assert ruleset.settings["boilerplate"] == ["加强学习", "统一思想"]
    assert ruleset.spec.test_settings["min_goals"] == 50
    assert "  min_goals: 500  # 指导思想与目标 至少字数" in text  # comment kept
    assert text.split("\nrules:", 1)[1] == TEXT.split("\nrules:", 1)[1]  # rules, tests untouched
    assert all(outcome.ok for outcome in run_tests(ruleset))
    # Without the pins the same change fails the built-in tests.
    unpinned = text.replace("test_settings:", "unused_settings_note:", 1)
    unpinned = unpinned.split("unused_settings_note:")[0] + "rules:" + text.split("\nrules:", 1)[1]
    assert not all(o.ok for o in run_tests(load_text(unpinned, "unpinned.yaml")))


def test_a_second_change_keeps_the_first_pin() -> None:
    once = apply_settings(TEXT, {"min_goals": 60})
    twice = apply_settings(once, {"min_goals": 70, "min_items": 4})
    spec = load_text(twice, "plan_quality.yaml").spec
    assert spec.settings["min_goals"] == 70 and spec.settings["min_items"] == 4
    assert spec.test_settings == {"min_goals": 50, "min_items": 3}
    assert apply_settings(TEXT, {"min_goals": 50}) == TEXT  # no change, no pin


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"no_such": 1}, "没有可在表单中修改的设置“no_such”"),
        ({"min_goals": "五十"}, "设置“min_goals”应为数字"),
        ({"boilerplate": "加强学习"}, "设置“boilerplate”应为短语列表"),
    ],
)
def test_unknown_settings_and_wrong_kinds_are_refused(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        apply_settings(TEXT, changes)

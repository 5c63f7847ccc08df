"""core.errors: one root for every error, structured fields, messages worded per language."""

from __future__ import annotations

import pytest

from core.errors import BadInput, VanguardError
from forms.errors import CrossFieldError, FormError
from forms.expressions import ExpressionError
from rules.errors import Problem, RuleLoadError, RulesError, RuleSetNotFound
from storage import errors as storage_errors
from workflow import errors as workflow_errors


@pytest.mark.parametrize(
    "error",
    [
        storage_errors.NotFound("plans", "p1"),
        storage_errors.StoreNotEmpty(),
        workflow_errors.PermissionDenied("不行"),
        workflow_errors.Conflict("plans", "p1", 1, {"rev": 2}),
        workflow_errors.ValidationFailed({"title": "「标题」必须填写,请填写"}),
        RuleSetNotFound("plan_qualty", ["plan_quality"]),
        RuleLoadError([Problem("f.yaml", 3, "坏")]),
        CrossFieldError("结束早于开始", fields=("end",)),
        ExpressionError("bad"),
        BadInput(["第一行", "第二行"]),
    ],
    ids=lambda error: type(error).__name__,
)
def test_every_package_error_is_a_vanguard_error(error: Exception) -> None:
    assert isinstance(error, VanguardError)


def test_old_roots_and_value_error_contracts_still_hold() -> None:
    conflict = workflow_errors.Conflict("plans", "p1", 1, {"rev": 2})
    assert isinstance(conflict, storage_errors.Conflict)
    assert isinstance(conflict, workflow_errors.DomainError)
    assert isinstance(RuleSetNotFound("x", []), RulesError)
    assert isinstance(CrossFieldError("x"), ValueError) and isinstance(
        CrossFieldError("x"), FormError
    )


def test_storage_errors_carry_the_record_and_are_worded_in_either_language() -> None:
    error = storage_errors.Conflict("plans", "p1", 1, {"rev": 2})
    assert error.record == "plans/p1"
    assert str(error) == "已被他人修改:plans/p1 的当前版本是 2,你的修改基于版本 1"
    assert error.message("en") == (
        "Changed by someone else: plans/p1 is at version 2; your change was based on version 1"
    )
    missing = storage_errors.NotFound("users", "bob")
    assert (missing.record, str(missing)) == ("users/bob", "找不到记录 users/bob")
    assert missing.message("en") == "No record users/bob"


def test_a_suggestion_is_a_field_worded_after_the_message() -> None:
    error = RuleSetNotFound("plan_qualty", ["plan_quality", "summary"])
    assert error.suggestion == "plan_quality"
    assert str(error) == (
        "找不到规则集 'plan_qualty'（可用的有：plan_quality, summary），是不是 “plan_quality”？"
    )
    assert error.message("en").endswith("; did you mean “plan_quality”?")
    problem = Problem("f.yaml", 7, "未知的键 “expresion”", "expression")
    assert str(problem) == "f.yaml:7: 未知的键 “expresion”，是不是 “expression”？"


def test_keyed_domain_errors_speak_the_raisers_language_and_translate_when_shown() -> None:
    error = workflow_errors.PermissionDenied.keyed("workflow.denied.accounts", "en")
    assert str(error) == error.message("en") != error.message("zh")
    assert error.message("zh") and "workflow.denied" not in error.message("zh")


def test_validation_failed_keeps_the_field_errors_and_names_the_first_field() -> None:
    error = workflow_errors.ValidationFailed({"title": "「标题」必须填写,请填写", "year": "年"})
    assert error.field == "title"
    assert str(error) == "表单有 2 处需要修改:「标题」必须填写,请填写;年"
    assert error.message("en").startswith("The form has 2 thing(s) to correct")


def test_plain_text_errors_fall_back_to_their_text_and_carry_english_when_given() -> None:
    cross = CrossFieldError("结束早于开始", fields=("end", "start"), message_en="End before start")
    assert (str(cross), cross.text("en"), cross.field) == (
        "结束早于开始",
        "End before start",
        "end",
    )
    assert workflow_errors.QuotaExceeded("名额已满").message("en") == "名额已满"
    assert BadInput(["a", "b"]).lines == ["a", "b"] and str(BadInput("a")) == "a"

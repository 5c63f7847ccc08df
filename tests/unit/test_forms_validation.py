"""Issue 4: server-side validation names the field and the fix, in Chinese or English."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.launch import Plan, StudySession
from forms.previous import PlanV1
from forms.registry import default_registry
from forms.validation import prepare, validate
from tests.form_strategies import garbage_data

FORM_TYPES = sorted(default_registry().all_forms())


def test_bad_date_in_a_repeat_row_is_reported_at_that_row_in_chinese() -> None:
    # Version 1 of the plan (deadlines were dates) still explains its errors as it did.
    data = {"branch": "数学系", "title": "方案", "items": [{}, {"deadline": "2025/6/1"}]}
    instance, errors = validate(PlanV1, data)
    assert instance is None
    assert errors == {
        "items.1.deadline": "「主要内容」第 2 项的「完成时限」不是有效日期,请按 YYYY-MM-DD 填写"
    }


def test_unreadable_deadline_in_a_repeat_row_is_reported_at_that_row_with_examples() -> None:
    data = {"branch": "数学系", "title": "方案", "items": [{}, {"deadline": "明天"}]}
    instance, errors = validate(Plan, data)
    assert instance is None
    assert list(errors) == ["items.1.deadline"]
    assert errors["items.1.deadline"].startswith(
        "「主要内容」第 2 项的「完成时限」:“明天”不是能看懂的时限"
    )
    assert "每学期" in errors["items.1.deadline"] and "2019年12月底" in errors["items.1.deadline"]
    _, english = validate(Plan, data, "en")
    assert "is not a deadline we can read" in english["items.1.deadline"]


def test_errors_are_in_english_when_the_user_reads_english() -> None:
    _, errors = validate(StudySession, {"branch": "", "date": "x"}, "en")
    assert errors["branch"] == "“Branch” is required; please fill it in"
    assert errors["date"] == "“Date” is not a valid date; please use YYYY-MM-DD"
    assert errors["members"] == "“Members” is required; please fill it in"


def test_cross_field_error_shows_at_the_top_and_at_each_field_involved() -> None:
    data = {"branch": "数学系", "date": "2025-03-01", "topic": "学习", "members": 3}
    _, errors = validate(StudySession, {**data, "attendees": 5, "hours": 1})
    message = "实到人数不能多于支部党员数,请核对两项人数"
    assert errors == {"": message, "attendees": message, "members": message}


def test_row_level_error_is_keyed_by_the_row_and_its_fields() -> None:
    row = {"stage": "launch", "start": "2025-03-02", "end": "2025-03-01"}
    _, errors = validate(Plan, {"branch": "b", "title": "方案", "schedule": [row]})
    assert set(errors) == {"schedule.0", "schedule.0.start", "schedule.0.end"}


def test_bounds_and_unknown_fields_name_the_fix() -> None:
    data = {"branch": "b", "date": "2025-03-01", "topic": "学习", "members": 0, "attendees": 0}
    _, errors = validate(StudySession, {**data, "hours": 0.3, "colour": "red"})
    assert errors["members"] == "「支部党员数」不能小于 1,请修改"
    assert errors["hours"] == "「学习时长(小时)」应为 0.5 的整数倍,请修改"
    assert errors["colour"] == "「colour」不是本表单的栏目,请删除"


def test_hidden_field_is_dropped_before_validation_and_not_stored() -> None:
    nomination = default_registry().get("nomination")
    data = {"branch": "b", "award": "先进党支部", "nominee": "x" * 500, "self_score": 80}
    instance, errors = validate(nomination, data)
    assert errors == {}
    assert instance is not None and instance.model_dump()["nominee"] == ""
    assert "nominee" not in prepare(nomination, data)


def test_shown_conditional_field_is_validated() -> None:
    nomination = default_registry().get("nomination")
    data = {"branch": "b", "award": "优秀共产党员", "nominee": "x" * 500, "self_score": 80}
    _, errors = validate(nomination, data)
    assert errors == {"nominee": "「被推荐人」最多 50 个字,请删减"}


def test_calculated_total_is_computed_by_the_server_not_taken_from_the_browser() -> None:
    volunteer = default_registry().get("volunteer_service")
    data = {
        "branch": "b",
        "member": "张三",
        "date": "2025-03-01",
        "hours": 2,
        "place": "社区",
        "kind": "社区服务",
        "participants": [{"name": "李四", "hours": 1.5}, {"name": "王五", "hours": 3}],
        "total_hours": 999,
    }
    instance, errors = validate(volunteer, data)
    assert errors == {}
    assert instance is not None and instance.model_dump()["total_hours"] == 6.5


def test_data_that_is_not_a_form_is_a_root_error() -> None:
    assert validate(Plan, ["not", "a", "form"]) == (None, {"": "表单数据格式不对,请重新填写"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(FORM_TYPES).flatmap(
        lambda ft: st.tuples(st.just(ft), garbage_data(default_registry().get(ft)))
    ),
    st.sampled_from(["zh", "en"]),
)
def test_garbage_data_yields_field_errors_never_an_exception(
    case: tuple[str, dict[str, Any]], lang: str
) -> None:
    form_type, data = case
    instance, errors = validate(default_registry().get(form_type), data, lang)  # type: ignore[arg-type]
    assert (instance is None) == bool(errors)
    assert all(isinstance(k, str) and isinstance(v, str) and v for k, v in errors.items())
    assert not any("Input should" in message for message in errors.values())


def test_stored_data_is_validated_alike_without_walking_it_for_unstorable_text() -> None:
    from reports.samples import sample_plan

    data = sample_plan(items=4)
    assert validate(Plan, data, stored=True)[0] == validate(Plan, data)[0] is not None
    typed = {**data, "features": "带\x00空字符"}  # only typed input can hold one
    assert "features" in validate(Plan, typed)[1]
    assert "features" not in validate(Plan, typed, stored=True)[1]

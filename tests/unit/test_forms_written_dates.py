"""Deadlines and schedule dates as real plans write them."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.launch import Plan, ScheduleRow
from forms.registry import default_registry
from forms.validation import validate
from forms.written_dates import read_deadline, read_month_or_date


@pytest.mark.parametrize(
    ("text", "precision", "latest"),
    [
        ("2025-06-30", "day", dt.date(2025, 6, 30)),
        ("2019年12月31日", "day", dt.date(2019, 12, 31)),
        ("2010-07", "month", dt.date(2010, 7, 31)),
        ("2019年12月底", "month", dt.date(2019, 12, 31)),
        ("2024年2月", "month", dt.date(2024, 2, 29)),
        ("2025年上半年", "year", dt.date(2025, 6, 30)),
        ("年底", "year", None),
        ("12月底", "year", None),
        ("每月", "recurring", None),
        ("每季度", "recurring", None),
        ("每学期", "recurring", None),
        ("每月一次", "recurring", None),
        ("长期", "ongoing", None),
        ("常态化", "ongoing", None),
        ("七一前", "event", None),
        ("十八大召开前", "event", None),
    ],
)
def test_deadlines_are_read_with_their_precision(
    text: str, precision: str, latest: dt.date | None
) -> None:
    written = read_deadline(text)
    assert written is not None
    assert (written.text, written.precision, written.latest) == (text, precision, latest)


@pytest.mark.parametrize("text", ["明天", "尽快", "2025-13-01", "2025-02-30", "x" * 30, "3000年"])
def test_unreadable_deadlines_are_refused(text: str) -> None:
    assert read_deadline(text) is None


def test_deadlines_are_stored_and_shown_as_written() -> None:
    data = {
        "branch": "测试党支部",
        "title": "方案",
        "items": [
            {"content": "学习", "deadline": "2019年12月底"},
            {"content": "党日", "deadline": "每月"},
            {"content": "评估", "deadline": dt.date(2025, 6, 30)},
        ],
    }
    plan, errors = validate(Plan, data)
    assert errors == {} and plan is not None
    dumped = plan.model_dump(mode="json")
    assert [i["deadline"] for i in dumped["items"]] == ["2019年12月底", "每月", "2025-06-30"]


def test_schedule_rows_take_months_have_names_and_any_number_of_steps() -> None:
    steps = ["动员部署", "全面争创", "整改提升", "总结表彰"]
    stages = ["launch", "implement", "implement", "evaluate"]
    months = ["2010-04", "2010年7月", "2011-07", "2011-12-01"]
    rows = [
        {"name": n, "stage": s, "start": m, "end": m}
        for n, s, m in zip(steps, stages, months, strict=True)
    ]
    plan, errors = validate(Plan, {"branch": "x", "title": "方案", "schedule": rows})
    assert errors == {} and plan is not None
    assert [r.name for r in plan.schedule] == steps
    assert [r.start for r in plan.schedule] == ["2010-04", "2010-07", "2011-07", "2011-12-01"]
    assert read_month_or_date("2010年7月") is not None and read_month_or_date("每月") is None


def test_a_schedule_step_ending_before_it_starts_is_refused() -> None:
    _, errors = validate(ScheduleRow, {"stage": "launch", "start": "2025-05", "end": "2025-04-30"})
    assert "结束日期早于开始日期" in errors["start"]
    _, same_month = validate(ScheduleRow, {"stage": "launch", "start": "2025-05", "end": "2025-05"})
    assert same_month == {}


def test_owner_holds_a_leading_group_and_sections_are_optional() -> None:
    group = (
        "由支部书记任组长，支部副书记任副组长，组织委员、宣传委员、纪检委员、"
        "各科室负责人及党员骨干为成员的先锋工程建设工作领导小组（领导小组办公室设在组织委员处，"
        "负责日常推进）"
    )
    assert 80 < len(group) <= 100
    plan, errors = validate(
        Plan,
        {
            "branch": "x",
            "title": "方案",
            "items": [{"owner": group}],
            "organisation": "成立领导小组",
            "central_work": ["其他"],
            "central_work_other": "实验室安全",
        },
    )
    assert errors == {} and plan is not None
    assert plan.safeguards == "" and plan.central_work_other == "实验室安全"
    _, too_long = validate(Plan, {"branch": "x", "title": "方案", "items": [{"owner": "人" * 101}]})
    assert "items.0.owner" in too_long


def test_other_central_work_description_is_dropped_when_other_is_not_chosen() -> None:
    plan, _ = validate(
        Plan,
        {"branch": "x", "title": "方案", "central_work": ["校庆"], "central_work_other": "别的"},
    )
    assert plan is not None and plan.central_work_other == ""


def test_old_plans_and_summaries_keep_validating_under_version_1() -> None:
    old_plan = {
        "branch": "x",
        "title": "方案",
        "items": [{"content": "学习", "owner": "张明", "deadline": "2025-06-30"}],
        "schedule": [{"stage": "launch", "start": "2025-03-01", "end": "2025-03-31"}],
    }
    v1 = default_registry().get("plan", 1)
    assert v1.form_version == 1 and default_registry().get("plan").form_version == 2
    assert validate(v1, old_plan)[1] == {}
    # A version-1 plan with no deadline (null) stays valid under its own version.
    assert validate(v1, {**old_plan, "items": [{"deadline": None}]})[1] == {}
    summary_v1 = default_registry().get("summary", 1)
    assert "rectification" not in summary_v1.model_fields
    assert "rectification" in default_registry().get("summary").model_fields

"""Issue 16 (2): simple rules as the rule builder writes them — ordinary rule-file rules that
load, type-check against the form and read back as the same simple rule; anything else stays
text. Editing a rule file in place keeps its comments and other rules."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import load_text
from rules.simple_rules import (
    CONDITIONS,
    DEFAULT_PHRASES,
    SimpleRule,
    from_rule,
    new_rule_set,
    problems,
    remove,
    to_rule,
    upsert,
)

KINDS = {"place": "text", "content": "textarea", "hours": "float", "people": "int",
         "day": "date", "targets": "multiselect", "members": "repeat"}  # fmt: skip
FIELD_FOR = {"required": "place", "min_chars": "content", "min_items": "targets",
             "no_boilerplate": "content", "date_before": "day", "number_range": "hours",
             "distinct": "content"}  # fmt: skip
_MESSAGE = (
    st.text(alphabet="填写内容{}请写明abc 。", min_size=1, max_size=20).map(str.strip).filter(bool)
)


@st.composite
def simple_rules(draw: Any) -> SimpleRule:
    condition = draw(st.sampled_from(CONDITIONS))
    field = FIELD_FOR[condition]
    if condition == "required":
        field = draw(st.sampled_from(sorted(KINDS)))
    number = upper = None
    date = ""
    phrases: tuple[str, ...] = ()
    if condition in ("min_chars", "min_items"):
        number = float(draw(st.integers(1, 500)))
    elif condition == "number_range":
        low, high = draw(st.sampled_from([(0.0, 24.0), (None, 8.5), (1.0, None), (-2.5, 2.5)]))
        number, upper = low, high
    elif condition == "distinct":
        number = draw(st.sampled_from([0.5, 0.8, 0.75]))
    elif condition == "date_before":
        date = draw(st.dates(min_value=dt.date(1900, 1, 2))).isoformat()
    elif condition == "no_boilerplate":
        phrases = tuple(draw(st.lists(st.sampled_from(DEFAULT_PHRASES), min_size=1, unique=True)))
    return SimpleRule(
        id=f"r_{condition}",
        field=field,
        condition=condition,
        severity=draw(st.sampled_from(["error", "warning", "veto"])),
        number=number,
        upper=upper,
        date=date,
        phrases=phrases,
        points=draw(st.sampled_from([None, 1.0, 2.5])),
        message_zh=draw(_MESSAGE),
        message_en=draw(_MESSAGE),
    )


@settings(max_examples=80, deadline=None)
@given(simple_rules())
def test_a_simple_rule_reads_back_as_itself(rule: SimpleRule) -> None:
    assert problems(rule, KINDS[rule.field]) == []
    written = to_rule(rule, KINDS[rule.field])
    assert from_rule(written, KINDS) == rule


def test_a_rule_the_builder_did_not_write_stays_complex() -> None:
    written = to_rule(SimpleRule("r", "content", "min_chars", number=10, message_zh="a",
                                 message_en="b"), "textarea")  # fmt: skip
    assert from_rule({**written, "when": "hours > 1"}, KINDS) is None
    assert from_rule({**written, "expression": "content.length >= 10 and hours > 1"}, KINDS) is None
    assert from_rule({**written, "fields": ["nowhere"]}, KINDS) is None


VISIT = """\
form_type: visit
title: {zh: 走访记录}
stage: implement
fields:
  - {name: place, type: text, label: {zh: 地点}}
  - {name: content, type: textarea, label: {zh: 内容}}
  - {name: hours, type: float, label: {zh: 时长}}
  - {name: people, type: int, label: {zh: 人数}}
  - {name: day, type: date, label: {zh: 日期}}
  - {name: targets, type: multiselect, label: {zh: 对象}, options: [老人, 学生]}
  - name: members
    type: group
    label: {zh: 成员}
    fields: [{name: who, type: text, label: {zh: 姓名}}]
"""


@pytest.fixture
def forms() -> Any:
    from forms.yaml_definitions import load_text as load_form
    from workflow.form_types import standard_forms

    registry = standard_forms()
    registry.register(load_form(VISIT))
    return registry


def test_every_condition_loads_and_type_checks_against_the_form(forms: Any) -> None:
    text = new_rule_set("visit", "visit", "走访记录")
    rules = [
        SimpleRule("a", "place", "required", message_zh="x", message_en="x"),
        SimpleRule("b", "content", "min_chars", number=10, message_zh="x", message_en="x"),
        SimpleRule("c", "targets", "min_items", number=1, message_zh="x", message_en="x"),
        SimpleRule("d", "content", "no_boilerplate", phrases=DEFAULT_PHRASES, message_zh="x",
                   message_en="x"),
        SimpleRule("e", "day", "date_before", date="2026-06-30", message_zh="x", message_en="x"),
        SimpleRule("f", "hours", "number_range", number=0.5, upper=24, severity="warning",
                   points=2, message_zh="x {y}", message_en="x"),
        SimpleRule("g", "content", "distinct", number=0.8, severity="veto", message_zh="x",
                   message_en="x"),
        SimpleRule("h", "members", "required", message_zh="x", message_en="x"),
        SimpleRule("i", "hours", "required", message_zh="x", message_en="x"),
    ]  # fmt: skip
    for rule in rules:
        text = upsert(text, to_rule(rule, KINDS.get(rule.field, "repeat")))
    ruleset = load_text(text, "visit.yaml", forms=forms)
    report = ruleset.check({"place": "", "content": "短", "hours": 30, "day": "2026-07-01",
                            "targets": [], "members": []})  # fmt: skip
    failing = sorted(r.rule for r in report.results if not r.passed)
    assert failing == ["a", "b", "c", "e", "f", "h"], failing
    assert report.decision == "return"
    empty = ruleset.check({"place": "x", "content": "长" * 20, "targets": ["老人"], "hours": None,
                           "day": None, "members": [{"who": "李四"}]})  # fmt: skip
    assert sorted(r.rule for r in empty.results if not r.passed) == ["i"]  # empty passes f, e
    assert next(r for r in report.results if r.rule == "f").message == "x {y}"  # braces literal


def test_upsert_replaces_one_rule_in_place_and_keeps_comments() -> None:
    text = (
        "name: visit\nform: visit\nversion: '1'\n# 规则\nrules:\n"
        "  # 地点必填\n  - id: a\n    expression: place != ''\n    message: {zh: 甲, en: a}\n"
        "  # 第二条\n  - id: b\n    expression: 'true'\n    message: {zh: 乙, en: b}\n"
        "tests: []\n"
    )
    rule = to_rule(SimpleRule("a", "content", "min_chars", number=5, message_zh="丙",
                              message_en="c"), "textarea")  # fmt: skip
    changed = upsert(text, rule)
    assert "# 规则" in changed and "# 地点必填" in changed and "# 第二条" in changed
    assert "id: b" in changed and "tests: []" in changed and "place != ''" not in changed
    assert changed.index("id: a") < changed.index("# 第二条")
    added = upsert(changed, {**rule, "id": "z"})
    assert added.index("id: z") > added.index("id: b") and added.index("id: z") < added.index(
        "tests"
    )
    removed = remove(added, "a")
    assert "id: a" not in removed and "# 第二条" in removed and "id: z" in removed


def test_the_builder_refuses_rules_it_cannot_write() -> None:
    rule = SimpleRule("r", "content", "min_chars", number=0, message_zh="x", message_en="x")
    assert problems(rule, "textarea") == ["“至少 N 字/项”的 N 应为不小于 1 的整数"]
    assert problems(replace(rule, condition="date_before"), "textarea")  # not a date field
    assert problems(replace(rule, condition="number_range", number=5, upper=1), "float")
    assert problems(replace(rule, condition="distinct", number=1.5), "textarea")
    too_many = tuple(f"套话{i}" for i in range(101))
    assert problems(replace(rule, condition="no_boilerplate", phrases=too_many), "textarea")


NESTED = """\
form_type: outing
title: {zh: 外出服务}
stage: implement
fields:
  - {name: month, type: month, label: {zh: 月份}}
  - {name: agreed, type: bool, label: {zh: 已承诺}}
  - name: detail
    type: section
    label: {zh: 服务情况}
    fields:
      - {name: summary, type: textarea, label: {zh: 概述}}
      - name: rows
        type: group
        label: {zh: 参加人员}
        fields:
          - {name: name, type: text, label: {zh: 姓名}}
          - {name: hours, type: float, label: {zh: 时长}}
          - {name: day, type: date, label: {zh: 日期}}
"""


@pytest.fixture
def nested() -> Any:
    from tests.unit.workflow_world import make_world

    world = make_world()
    world.services.form_definitions.save(world.admin, NESTED)
    return world.services, world.admin


def test_the_builder_offers_section_fields_groups_and_every_rows_fields(nested: Any) -> None:
    svc, admin = nested
    offered = {f.name: (f.label, f.conditions) for f in svc.rule_builder.fields(admin, "outing")}
    assert offered == {
        "month": ("月份", ("required", "date_before")),  # no 相似度 for YYYY-MM
        "agreed": ("已承诺", ("required",)),
        "detail.summary": ("服务情况 › 概述", ("required", "min_chars", "no_boilerplate",
                                                "distinct")),
        "detail.rows": ("服务情况 › 参加人员", ("required", "min_items")),
        "detail.rows.name": ("服务情况 › 参加人员每一行的姓名", ("required", "min_chars")),
        "detail.rows.hours": ("服务情况 › 参加人员每一行的时长", ("required", "number_range")),
        "detail.rows.day": ("服务情况 › 参加人员每一行的日期", ("required", "date_before")),
    }  # fmt: skip


NESTED_RULES = [
    SimpleRule("month_date_before", "month", "date_before", date="2026-07"),
    SimpleRule("agreed_required", "agreed", "required"),
    SimpleRule("detail_summary_min_chars", "detail.summary", "min_chars", number=5),
    SimpleRule("detail_rows_min_items", "detail.rows", "min_items", number=1),
    SimpleRule("detail_rows_name_required", "detail.rows.name", "required"),
    SimpleRule("detail_rows_name_min_chars", "detail.rows.name", "min_chars", number=2),
    SimpleRule("detail_rows_hours_number_range", "detail.rows.hours", "number_range", number=0,
               upper=8),
    SimpleRule("detail_rows_day_date_before", "detail.rows.day", "date_before",
               date="2026-07-01"),
]  # fmt: skip


def test_nested_rules_are_written_checked_and_read_back_through_the_service(nested: Any) -> None:
    svc, admin = nested
    builder = svc.rule_builder
    for rule in NESTED_RULES:
        builder.save_rule(
            admin,
            "outing",
            replace(rule, id=f"{rule.field}_{rule.condition}"),
            base_rev=builder.rules(admin, "outing").rev,
        )  # fmt: skip (page's ids)
    read = builder.rules(admin, "outing")
    assert read.complex == ()
    assert [r.id for r in read.simple] == [r.id for r in NESTED_RULES]  # dots made underscores
    assert [replace(r, message_zh="", message_en="") for r in read.simple] == [
        replace(r, number=None if r.number is None else float(r.number),
                upper=None if r.upper is None else float(r.upper)) for r in NESTED_RULES
    ]  # fmt: skip
    rows_msg = next(r.message_zh for r in read.simple if r.id == "detail_rows_name_min_chars")
    assert rows_msg.startswith("「服务情况 › 参加人员每一行的姓名」写得太简单")
    ticked = next(r.message_zh for r in read.simple if r.id == "agreed_required")
    assert ticked == "「已承诺」还没有勾选:请确认后勾选。"

    ruleset = load_text(read.text, "outing.yaml", forms=svc.forms)
    bad = {"month": "2026-07", "agreed": False,
           "detail": {"summary": "短", "rows": [
               {"name": "张三", "hours": 2, "day": "2026-06-01"},
               {"name": "李", "hours": 9, "day": "2026-07-02"},
               {"name": "", "hours": None, "day": None}]}}  # fmt: skip
    failing = sorted(r.rule for r in ruleset.check(bad).results if not r.passed)
    assert failing == sorted(r.id for r in NESTED_RULES if r.id != "detail_rows_min_items")
    good = {"month": "2026-06", "agreed": True,
            "detail": {"summary": "五个字以上", "rows": [
                {"name": "张三", "hours": 2, "day": "2026-06-01"}]}}  # fmt: skip
    assert [r.rule for r in ruleset.check(good).results if not r.passed] == []
    empty = {"month": None, "agreed": True, "detail": {"summary": "五个字以上", "rows": []}}
    assert [r.rule for r in ruleset.check(empty).results if not r.passed] == [
        "detail_rows_min_items"  # no row: every-row rules hold, 至少 N 项 is its own rule
    ]


def test_a_month_takes_year_and_month_and_a_checkbox_must_be_ticked() -> None:
    rule = SimpleRule("m", "month", "date_before", date="2026-07-01")
    assert problems(rule, "month") == ["月份字段的“日期早于”请写年-月,如 2026-03"]
    assert problems(replace(rule, date="2026-13"), "month")
    assert problems(replace(rule, date="2026-07"), "month") == []
    assert problems(replace(rule, date="2026-07"), "row:month") == []
    assert problems(replace(rule, condition="distinct", number=0.8), "month")  # not offered
    assert to_rule(SimpleRule("b", "agreed", "required"), "bool")["expression"] == (
        "agreed == true"
    )
    assert to_rule(SimpleRule("b", "agreed", "required"), "yesno")["expression"] == (
        "agreed != null"
    )

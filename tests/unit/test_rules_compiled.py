"""Issue 15 point 7: rule expressions compiled into Python closures (``rules.expression_compiler``)
give exactly what rule-engine gives — the same value (type and repr) or the same error (class and
message) — for every expression of every shipped rule set, on every rule-file test's data and on
random forms, and for expressions that exercise every compiled node kind; a node kind left to
rule-engine is counted, and no shipped expression needs one."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rule_engine.types import DataType

from rules import engine
from rules.compiler import compile_text
from rules.evaluation import Expression, TrustedData
from rules.file_tests import given_data
from rules.form_types import Record, TypeDef, engine_types
from rules.ruleset import RuleSet
from tests.unit.rules_fixtures import plan

SHIPPED = [engine.load_ruleset(p) for p in engine.shipped_rulesets()]


def expressions(ruleset: RuleSet) -> Iterator[tuple[str, Expression]]:
    """Every expression of a rule set: each rule's expression, ``when`` and values, the base."""
    for rule in ruleset.rules:
        parts = {"expression": rule.expression, "when": rule.when, **rule.values}
        for part, expression in parts.items():
            if expression is not None:
                yield f"{rule.spec.id}.{part}", expression
    if ruleset.base is not None:
        yield "scoring.base", ruleset.base


def outcome(evaluate: Any, thing: Any) -> tuple[Any, ...]:
    try:
        value = evaluate(thing)
    except Exception as exc:
        return ("error", type(exc), str(exc))
    return ("value", type(value), repr(value))


def same_everywhere(ruleset: RuleSet, thing: dict[str, Any]) -> None:
    """The compiled closures and rule-engine agree on every expression of ``ruleset``."""
    assert type(thing) is TrustedData
    for name, expression in expressions(ruleset):
        assert expression.compiled is not None, name
        compiled = outcome(expression.evaluate, thing)
        reference = outcome(expression.typed.evaluate, thing)
        assert compiled == reference, name


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _test_cases() -> list[tuple[RuleSet, str, dict[str, Any]]]:
    cases = []
    for ruleset in SHIPPED:
        for test in ruleset.spec.tests:
            data = given_data(ruleset, test)
            if not test.raw:
                data = ruleset.model.model_validate(data).model_dump(mode="json")
            target = ruleset.with_settings(test.settings) if test.settings else ruleset
            cases.append((target, test.name, _json(data)))
    return cases


CASES = _test_cases()


@pytest.mark.parametrize(
    ("ruleset", "name", "data"), CASES, ids=[f"{c[0].name}:{c[1]}" for c in CASES]
)
def test_compiled_expressions_match_rule_engine_on_every_rule_file_test(
    ruleset: RuleSet, name: str, data: dict[str, Any]
) -> None:
    assert ruleset.field_check is not None
    thing = ruleset.field_check.trust(ruleset.converter(data))
    if type(thing) is not TrustedData:  # raw test data of the wrong type: rule-engine runs it
        for _, expression in expressions(ruleset):
            assert outcome(expression.evaluate, thing) == outcome(expression.typed.evaluate, thing)
        return
    same_everywhere(ruleset, thing)


def test_the_rule_file_tests_run_the_compiled_path() -> None:
    """Otherwise the equality above would compare rule-engine with itself."""
    trusted = 0
    for ruleset, _, data in CASES:
        assert ruleset.field_check is not None
        trusted += type(ruleset.field_check.trust(ruleset.converter(data))) is TrustedData
    assert trusted >= len(CASES) * 0.8


def test_no_shipped_expression_falls_back_to_rule_engine() -> None:
    counted = {
        f"{ruleset.name}:{name}": expression.compiled.fallbacks
        for ruleset in SHIPPED
        for name, expression in expressions(ruleset)
        if expression.compiled is not None
    }
    assert len(counted) == sum(len(list(expressions(r))) for r in SHIPPED)
    assert {name: kinds for name, kinds in counted.items() if kinds} == {}


# ----- random forms, valid for their model's types (the compiled path) -----------------------

_TEXT = st.one_of(
    st.text(alphabet="先锋工程支部党员学习目标每月a1-", max_size=30),
    st.sampled_from(["launch", "implement", "evaluate", "校庆", "", "每月检查", "其他"]),
)
_NUMBER = st.one_of(
    st.integers(min_value=-5, max_value=120), st.floats(-10, 200, allow_nan=False, width=32)
)
_DATE = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),
    max_value=dt.datetime(2026, 12, 31),
    timezones=st.just(dt.UTC),
).map(lambda d: d.replace(hour=0, minute=0, second=0, microsecond=0))


def typed_values(type_def: TypeDef, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of ``type_def`` as ``rules.form_types.Converter`` gives them."""
    if DataType.is_type(type_def, DataType.NULLABLE):
        return st.one_of(st.none(), typed_values(type_def.inner_type, depth))
    if DataType.is_type(type_def, DataType.ARRAY):
        member = typed_values(type_def.value_type, depth + 1)
        return st.lists(member, max_size=4 if depth == 0 else 2).map(tuple)
    if DataType.is_type(type_def, DataType.OBJECT):
        attributes = {
            name: typed_values(t, depth + 1) for name, t in sorted(type_def.attributes.items())
        }
        return st.fixed_dictionaries({}, optional=attributes).map(Record)
    simple = {
        DataType.STRING: _TEXT,
        DataType.FLOAT: _NUMBER,
        DataType.BOOLEAN: st.booleans(),
        DataType.DATETIME: _DATE,
    }
    for kind, strategy in simple.items():
        if type_def == kind:
            return strategy
    if DataType.is_type(type_def, DataType.MAPPING):
        return st.dictionaries(_TEXT, _TEXT, max_size=3)
    return st.one_of(st.none(), _TEXT, _NUMBER)


def random_things(
    ruleset: RuleSet, given: dict[str, Any] | None = None
) -> st.SearchStrategy[dict[str, Any]]:
    """The data of ``given`` (default: the rule set's first test) with up to six fields
    replaced by random values of their types."""
    types = engine_types(ruleset.model)
    start = given if given is not None else given_data(ruleset, ruleset.spec.tests[0])
    base = ruleset.converter(_json(ruleset.model.model_validate(start).model_dump(mode="json")))

    @st.composite
    def thing(draw: st.DrawFn) -> dict[str, Any]:
        data = dict(base)
        for name in draw(st.lists(st.sampled_from(sorted(types)), max_size=6, unique=True)):
            data[name] = draw(typed_values(types[name]))
        return data

    return thing()


@pytest.mark.parametrize("ruleset", SHIPPED, ids=[r.name for r in SHIPPED])
def test_compiled_expressions_match_rule_engine_on_random_forms(ruleset: RuleSet) -> None:
    assert ruleset.field_check is not None
    field_check = ruleset.field_check

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(random_things(ruleset))
    def check(data: dict[str, Any]) -> None:
        thing = field_check.trust(data)
        assume(type(thing) is TrustedData)
        same_everywhere(ruleset, thing)

    check()


# ----- every compiled node kind, on edge values ----------------------------------------------

NODE_KINDS = {
    "slice": "goals[1:4] + title[:2] + (items[-1:] == [] ? 'none' : 'some')",
    "item_text": "title[0] + title[-1]",
    "item_float_index": "items[1.5].owner",
    "item_missing": "items[10].owner",
    "safe_item": "(items&[10]) == null",
    "mapping_missing": "{'a': 1}[goals]",
    "mapping_lookup": "{'launch': 1, 'implement': 2}[schedule[0].stage]",
    "ternary_coalesce": "(budget ?? -1) > 0 ? (budget ?? 0) * 2 / 3 : -(budget ?? 0)",
    "division_by_zero": "items.length / (items.length - items.length)",
    "floor_mod_pow": "[items.length // 2, items.length % 2, 2 ** items.length]",
    "text_plus_number": "(budget == null ? title : items.length) + title",
    "datetime_arithmetic": "$parse_datetime(schedule[0].start) - t'P1D' "
    "< $parse_datetime(schedule[0].end) + t'PT1H'",
    "datetime_difference": "($parse_datetime(schedule[0].end) - "
    "$parse_datetime(schedule[0].start)).days",
    "datetime_attributes": "[$parse_datetime(s.start).year for s in schedule]",
    "array_ordered": "[1, 2] < [1, 2, 3] and [2] > [1, 5] and [] <= []",
    "equality_of_types": "[(budget == null ? true : 'x') == 1, (budget ?? 0) == 0, "
    "(budget == null ? false : 'y') != 0]",
    "mixed_equality": "[budget] == ['3'] or [goals] != [3] or [1] == [1.0]",
    "contains_text": "'目标' in goals and not ('x' in title)",
    "contains_type": "(budget == null ? 3 : '党') in title",
    "contains_array": "'校庆' in central_work",
    "regex_match": "goals =~ '.*目标.*' and title !~ '^x' and supervision =~~ '每月'",
    "regex_dynamic": "goals =~ title and $re_groups == []",
    "regex_groups": "goals =~ '(.)(.)' ? $re_groups : []",
    "regex_null": "(budget == null ? null : goals) =~ 'a' "
    "or goals =~ (budget == null ? null : 'b')",
    "comprehension": "[i.owner for i in items if i.owner.length > 1]",
    "nested_comprehension": "[[c for c in central_work] for i in items]",
    "shadowed_variable": "[[i for i in [1, 2]] for i in items]",
    "comprehension_text": "[c for c in title.to_ary if c != '党']",
    "range_sum": "$sum([n * 2 for n in $range(items.length)]) + $sum($range(3))",
    "split_map": "$split(title, '党')[0].length",
    "functions": "[$min([3, items.length]), $max([1, 2]), $abs(-2), $parse_float(title)]",
    "function_failing": "$parse_datetime(goals)",
    "attributes": "[goals.as_upper.length, title.to_ary.length, central_work.to_set.length, "
    "activity_forms.is_empty, goals.to_str, items.length.to_str, central_work.ends_with(['x'])]",
    "length_of_set": "{1, 2, 2}.length",
    "settings": "$settings.min_goals + $settings.min_items",
    "unary": "not goals and -items.length < 0",
    "missing_field": "organisation.length > 0",
    "attribute_of_null": "(budget == null ? null : goals).length",
    "safe_attribute": "(budget&.to_str) == null",
    "bit_shift_fallback": "(items.length << 2) > 1 and (items.length & 1) >= 0",
}


@functools.cache
def node_kind_ruleset() -> RuleSet:
    values = "\n".join(
        f"      {name}: {json.dumps(text, ensure_ascii=False)}" for name, text in NODE_KINDS.items()
    )
    text = f"""\
name: node_kinds
form: plan
version: "1"
settings: {{min_goals: 50, min_items: 3}}
rules:
  - id: every_kind
    expression: "true"
    values:
{values}
    message: {{zh: "x", en: "x"}}
tests: []
"""
    return compile_text(text, "node_kinds.yaml")


@pytest.fixture(scope="module")
def kinds() -> RuleSet:
    return node_kind_ruleset()


def test_every_node_kind_compiles(kinds: RuleSet) -> None:
    """Only the expression with bit operations leaves nodes to rule-engine, and it says which."""
    values = kinds.rules[0].values
    assert set(values) == set(NODE_KINDS), "an expression did not parse"
    assert [name for name, e in values.items() if e.compiled is None] == []
    fallbacks = {name: e.compiled.fallbacks for name, e in values.items() if e.compiled}
    assert {n: f for n, f in fallbacks.items() if f} == {
        "bit_shift_fallback": ("_BoundedShift", "BitwiseExpression")
    }


def _plans() -> list[dict[str, Any]]:
    return [
        plan(),
        plan(budget=3),
        plan(budget=0, items=[]),
        plan(goals="", title="xy", central_work=[], activity_forms=[]),
        plan(schedule=list(reversed(plan()["schedule"]))),
        plan(items=[{**plan()["items"][0], "owner": ""}, *plan()["items"]]),
    ]


@pytest.mark.parametrize("index", range(len(_plans())))
def test_every_node_kind_matches_rule_engine(kinds: RuleSet, index: int) -> None:
    data = kinds.model.model_validate(_plans()[index]).model_dump(mode="json")
    assert kinds.field_check is not None
    thing = kinds.field_check.trust(kinds.converter(data))
    same_everywhere(kinds, thing)
    thing_without = kinds.field_check.trust(kinds.converter({k: data[k] for k in list(data)[:3]}))
    same_everywhere(kinds, thing_without)  # missing fields: the same SymbolResolutionError


@settings(max_examples=60, deadline=None, derandomize=True)
@given(data=st.data())
def test_every_node_kind_matches_rule_engine_on_random_forms(data: st.DataObject) -> None:
    ruleset = node_kind_ruleset()
    assert ruleset.field_check is not None
    thing = ruleset.field_check.trust(data.draw(random_things(ruleset, plan())))
    assume(type(thing) is TrustedData)
    same_everywhere(ruleset, thing)

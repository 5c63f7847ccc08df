"""Issue 5 (speed): rules run on trusted compiles when a form's fields pass the typed check once;
the reports must be identical to those of the fully typed rules, for every shipped rule set's
tests and for random (valid, broken and garbage) data."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import engine
from rules.evaluation import TrustedData
from rules.file_tests import given_data
from rules.ruleset import RuleSet
from tests.unit.rules_fixtures import plan

SHIPPED = [engine.load_ruleset(p) for p in engine.shipped_rulesets()]


def typed_only(ruleset: RuleSet) -> RuleSet:
    """The same compiled rules with the per-form field check off: every rule runs typed."""
    return dataclasses.replace(ruleset, field_check=None, variants={})


def comparable(report: Any) -> dict[str, Any]:
    data = report.model_dump(mode="json")
    data.pop("checked_at", None)
    return data


def same_reports(ruleset: RuleSet, data: dict[str, Any], others: list[Any] | None = None) -> None:
    fast = ruleset.check(data, others=others or [])
    typed = typed_only(ruleset).check(data, others=others or [])
    assert comparable(fast) == comparable(typed)


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _test_cases() -> list[tuple[RuleSet, str, dict[str, Any], list[Any], dict[str, Any]]]:
    cases = []
    for ruleset in SHIPPED:
        for test in ruleset.spec.tests:
            data = given_data(ruleset, test)
            if not test.raw:
                data = ruleset.model.model_validate(data).model_dump(mode="json")
            others = [_json(o.model_dump()) for o in test.others]
            cases.append((ruleset, test.name, _json(data), others, test.settings))
    return cases


CASES = _test_cases()


@pytest.mark.parametrize(
    ("ruleset", "name", "data", "others", "overrides"),
    CASES,
    ids=[f"{c[0].name}:{c[1]}" for c in CASES],
)
def test_fast_evaluation_gives_the_typed_report_for_every_shipped_test(
    ruleset: RuleSet, name: str, data: dict[str, Any], others: list[Any], overrides: dict[str, Any]
) -> None:
    target = ruleset.with_settings(overrides) if overrides else ruleset
    same_reports(target, data, others)


def test_valid_forms_take_the_trusted_path() -> None:
    """Otherwise the speed-up (and the equality above) would prove nothing."""
    ruleset = engine.load_ruleset("plan_quality")
    assert ruleset.field_check is not None
    thing = ruleset.field_check.trust(ruleset.converter(plan()))
    assert type(thing) is TrustedData
    for compiled in ruleset.rules:
        if compiled.expression is not None:
            assert compiled.expression.compiled is not None, compiled.spec.id


def test_data_of_the_wrong_type_falls_back_to_the_typed_rules() -> None:
    ruleset = engine.load_ruleset("plan_quality")
    assert ruleset.field_check is not None
    for changes in (
        {"goals": 17},
        {"activity_forms": [1, 2]},
        {"items": ["学习", "实践"]},
        {"items": [None]},
        {"items": [plan()["items"][0], "学习"]},
    ):
        broken = plan() | changes
        thing = ruleset.field_check.trust(ruleset.converter(broken))
        assert type(thing) is not TrustedData, changes
        same_reports(ruleset, broken)


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=200),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(alphabet="先锋工程支部党员学习校庆目标每月a1-", max_size=80),
    st.sampled_from(["2025-03-01", "2025-13-40", "launch", "evaluate", "校庆", ""]),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["content", "x"]), inner)
    ),
    max_leaves=12,
)


def _mutations(ruleset: RuleSet) -> st.SearchStrategy[dict[str, Any]]:
    fields = sorted(ruleset.model.model_fields)
    base = _json(
        ruleset.model.model_validate(given_data(ruleset, ruleset.spec.tests[0])).model_dump(
            mode="json"
        )
    )

    @st.composite
    def mutate(draw: st.DrawFn) -> dict[str, Any]:
        data = dict(base)
        for name in draw(st.lists(st.sampled_from(fields), max_size=4, unique=True)):
            current = data.get(name)
            if (
                isinstance(current, list)
                and current
                and isinstance(current[0], dict)
                and draw(st.booleans())
            ):
                # keep the list of objects, break one attribute of one row
                rows = [dict(r) for r in current]
                row = draw(st.integers(0, len(rows) - 1))
                key = draw(st.sampled_from(sorted(rows[row])))
                rows[row][key] = draw(_VALUES)
                data[name] = draw(st.sampled_from([rows, rows[:1], rows * 2, []]))
            elif draw(st.booleans()):
                data.pop(name, None)
            else:
                data[name] = draw(_VALUES)
        return data

    return mutate()


@pytest.mark.parametrize("ruleset", SHIPPED, ids=[r.name for r in SHIPPED])
def test_fast_evaluation_gives_the_typed_report_on_random_data(ruleset: RuleSet) -> None:
    @settings(
        max_examples=120,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_mutations(ruleset))
    def check(data: dict[str, Any]) -> None:
        same_reports(ruleset, data)

    check()

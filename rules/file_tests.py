"""Run the ``tests:`` written inside rule files (``python -m rules test``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pydantic

from forms.explain import explain
from rules.report import RuleReport
from rules.ruleset import RuleSet
from rules.schema import Expect, RuleTest


@dataclass
class TestOutcome:
    """One test of one rule set: passed or the list of differences."""

    ruleset: str
    name: str
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _json(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def given_data(ruleset: RuleSet, test: RuleTest) -> dict[str, Any]:
    """The test's data with its ``extends`` chain applied (later keys win)."""
    by_name = {t.name: t for t in ruleset.spec.tests}
    chain = [test]
    while chain[-1].extends and chain[-1].extends in by_name and len(chain) < 20:
        chain.append(by_name[chain[-1].extends])
    data: dict[str, Any] = {}
    for step in reversed(chain):
        data.update(step.given)
    return data


def compare(expect: Expect, report: RuleReport) -> list[str]:
    """Every way ``report`` differs from ``expect``."""
    out: list[str] = []
    failing = sorted(r.rule for r in report.results if not r.passed)
    if expect.passed is not None and report.passed != expect.passed:
        out.append(f"passed 应为 {expect.passed}，实际 {report.passed}")
    if expect.decision is not None and report.decision != expect.decision:
        out.append(f"decision 应为 {expect.decision}，实际 {report.decision}")
    if expect.failing is not None and failing != sorted(expect.failing):
        out.append(f"未通过的规则应为 {sorted(expect.failing)}，实际 {failing}")
    if expect.score is not None and (
        report.score is None or abs(report.score - expect.score) > 0.01
    ):
        out.append(f"score 应为 {expect.score}，实际 {report.score}")
    if expect.grade is not None and report.grade != expect.grade:
        out.append(f"grade 应为 {expect.grade}，实际 {report.grade}")
    messages = {r.rule: r.message for r in report.results}
    for rule_id, fragment in (expect.messages or {}).items():
        if fragment not in messages.get(rule_id, ""):
            out.append(f"{rule_id} 的消息应包含 “{fragment}”，实际 “{messages.get(rule_id, '')}”")
    return out


def run_test(ruleset: RuleSet, test: RuleTest) -> TestOutcome:
    """Run one test block."""
    outcome = TestOutcome(ruleset.name, test.name)
    data = given_data(ruleset, test)
    if test.raw:
        data = _json(data)
    else:
        try:
            data = ruleset.model.model_validate(data).model_dump(mode="json")
        except pydantic.ValidationError as exc:
            outcome.differences = [
                "given 数据不符合表单：" + ";".join(explain(exc, ruleset.model).values())
            ]
            return outcome
    others = [_json(o.model_dump()) for o in test.others]
    # The settings the tests were written for (test_settings), then the test's own.
    settings = {**ruleset.spec.test_settings, **test.settings}
    report = ruleset.check(data, others=others, settings=settings or None)
    outcome.differences = compare(test.expect, report)
    return outcome


def run_tests(ruleset: RuleSet) -> list[TestOutcome]:
    """Run every test block of a rule set."""
    return [run_test(ruleset, test) for test in ruleset.spec.tests]

"""The scope a rule set's check evaluates in (``RuleSet.evaluating``): each rule runs within its
own budget (``forms.expression_engine``: one second, ``MAX_STEPS`` steps), although a check
opens one budget scope for all its rules and restarts it per rule; a compiled comprehension
counts every step and reads the clock while it loops; every expression computes in the rule
set's decimal context, in whatever thread the check runs, as rule-engine does."""

from __future__ import annotations

import decimal
import json
import textwrap
import threading

import pytest

from forms import expression_engine
from rules.compiler import compile_text
from rules.ruleset import RuleSet
from tests.unit.rules_fixtures import plan

# $range(30000) charges 30,000 steps and the loop over it 2 per item: 90,000 of 100,000
HEAVY = "[n for n in $range(30000) if n >= 0].length == 30000"
TOO_HEAVY = "[n for n in $range(40000) if n >= 0].length == 40000"  # 120,000


def _ruleset(*expressions: str) -> RuleSet:
    rules = "".join(
        f"  - id: r{n}\n    expression: {json.dumps(e)}\n    message: {{zh: x, en: x}}\n"
        for n, e in enumerate(expressions)
    )
    text = textwrap.dedent("""\
        name: budgets
        form: plan
        version: 1
        rules:
        """)
    return compile_text(text + rules, "budgets.yaml")


def test_every_rule_of_a_check_gets_the_whole_allowance() -> None:
    ruleset = _ruleset(HEAVY, HEAVY, TOO_HEAVY, HEAVY)
    report = ruleset.check(plan())
    outcome = {r.rule: r.passed for r in report.results}
    assert outcome == {"r0": True, "r1": True, "r2": False, "r3": True}
    (over,) = [r for r in report.results if not r.passed]
    assert f"计算量超过 {expression_engine.MAX_STEPS} 步" in over.message


def test_a_long_compiled_comprehension_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock is read before the loop and every few dozen items, not only at the start:
    with a clock that moves 50 ms per reading, 5,000 items pass the one-second limit."""
    ruleset = _ruleset("[n for n in $range(5000) if n >= 0].length == 5000")
    data = plan()
    assert ruleset.check(data).passed  # within the budget on a real clock
    now = [0.0]

    def slow_clock() -> float:
        now[0] += 0.05
        return now[0]

    monkeypatch.setattr(expression_engine.time, "monotonic", slow_clock)
    (result,) = ruleset.check(data).results
    assert not result.passed
    assert "计算用时超过 1 秒" in result.message, result.message


def test_a_check_computes_in_the_rule_sets_decimal_context_in_any_thread() -> None:
    """rule-engine computes in a copy of the decimal context of the thread that compiled the
    rule set; a check opens one such copy for all its expressions (at a precision of 5,
    3000 / 7 is 428.57)."""
    with decimal.localcontext(prec=5):
        ruleset = _ruleset("(budget ?? 1) / 7 > 428.5714")
    data = plan(budget=3000)
    expression = ruleset.rules[0].expression
    assert expression is not None
    assert expression.typed.evaluate(ruleset.converter(data)) is False  # rule-engine itself
    reports = [ruleset.check(data)]
    worker = threading.Thread(target=lambda: reports.append(ruleset.check(data)))
    worker.start()
    worker.join()
    assert [r.results[0].passed for r in reports] == [False, False]

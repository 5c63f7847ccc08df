"""Rule checking speed: 1,000 plans × 32 rules through the engine (expressions compiled into
Python closures, ``rules.expression_compiler``) and through rule-engine's own evaluation, beside
the same rules written by hand in Python (``bench.rules_python``, the baseline), in one process.

The 32 rules are 15 of ``plan_quality`` (two of them similarity rules, here with no other
plans to compare; its phrase-list rules are left out: they are not rule-engine expressions)
plus 17 field checks of the kind admins add. Two comparisons, each side doing the same work
(checked on every plan before timing): the full check, where both sides return the same
``RuleReport`` (results, failing rules' messages with their values, decision), and each
rule's verdict alone. Figures: total seconds for the batch, median milliseconds for one form,
and each as a ratio to the baseline. Times are this process's CPU time
(``time.process_time``), the sides taking turns batch by batch: the machine is shared, and
wall time mostly measures the other jobs.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import gc
import json
import os
import random
import statistics
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import yaml

from bench import summary
from bench.rules_python import EXTRA_RULES, python_checks, python_report
from forms.registry import default_registry
from rules.compiler import compile_text
from rules.engine import RULES_DIR, load_ruleset
from rules.report import RuleReport
from rules.ruleset import RuleSet

T = TypeVar("T")


def bench_ruleset() -> RuleSet:
    """plan_quality's rules that have a hand-written twin (its phrase-list rules are not
    rule-engine expressions, and two warnings have no twin here) plus the extra rules."""
    text = (RULES_DIR / "plan_quality.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(text.split("\ntests:\n", 1)[0])
    twins = [rule_id for rule_id, _ in python_checks(spec["settings"])]
    rules = {rule["id"]: rule for rule in spec["rules"]}
    spec["rules"] = [rules[rule_id] for rule_id in twins if rule_id in rules]
    spec["rules"] += [
        {
            "id": rule_id,
            "expression": expression,
            "message": {"zh": f"未通过 {rule_id}", "en": f"failed {rule_id}"},
        }
        for rule_id, expression, _ in EXTRA_RULES
    ]
    return compile_text(yaml.safe_dump(spec, allow_unicode=True), "bench_plan_quality.yaml")


def make_plans(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """``n`` varied plans (some failing different rules), as ``model_dump(mode="json")``."""
    rng = random.Random(seed)
    # the passing plan written in plan_quality.yaml's own tests
    base = json.loads(json.dumps(load_ruleset("plan_quality").spec.tests[0].given, default=str))
    base["budget"] = 3000
    model = default_registry().get("plan")
    plans = []
    for i in range(n):
        data = copy.deepcopy(base)
        data["branch"] = f"第{i}党支部"
        data["title"] = f"第{i}党支部先锋工程实施方案"
        data["items"] = [
            {
                "content": f"工作{k}",
                "measures": "每月评选服务之星并在支部公示栏公示" * rng.randint(0, 1),
                "owner": rng.choice(["张明", "李华", ""]),
                "deadline": f"2025-0{k + 4}-30",
            }
            for k in range(rng.randint(2, 5))
        ]
        order = ["launch", "implement", "evaluate"]
        if rng.random() < 0.2:
            order = ["implement", "launch", "evaluate"]
        data["schedule"] = [
            {
                "stage": stage,
                "start": f"2025-{2 + 3 * k:02d}-01",
                "end": f"2025-{3 + 3 * k:02d}-28",
                "tasks": "任务",
            }
            for k, stage in enumerate(order[: rng.randint(2, 3)])
        ]
        if rng.random() < 0.3:
            data["goals"] = "加强支部建设。"
        if rng.random() < 0.2:
            data["features"] = "充分发挥党支部战斗堡垒作用，充分发挥党员先锋模范作用，取得实效。"
        plans.append(model.model_validate(data).model_dump(mode="json"))
    return plans


def time_batch(run: Callable[[dict[str, Any]], object], plans: Sequence[dict[str, Any]]) -> float:
    """CPU seconds of ``run`` over ``plans``, the garbage collector off (as ``timeit``)."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        for data in plans:
            run(data)
        return time.process_time() - start
    finally:
        gc.enable()


def verdicts(ruleset: RuleSet) -> Callable[[dict[str, Any]], list[tuple[str, bool]]]:
    """Each rule's pass/fail on a form and nothing else (what ``python_checks`` computes):
    the form converted and type-checked once, then every rule's expression in its own allowance;
    no ``when``, messages or report. A similarity rule (no expression) passes, as its twin
    does here."""

    def run(data: dict[str, Any]) -> list[tuple[str, bool]]:
        thing = ruleset.converter(data)
        if ruleset.field_check is not None:
            thing = ruleset.field_check.trust(thing)
        out = []
        with ruleset.evaluating(thing) as allowance:  # as RuleSet.check
            for rule in ruleset.rules:
                allowance.restart()
                try:
                    passed = rule.expression is None or bool(
                        rule.expression.evaluate_in_check(thing)
                    )
                except Exception:
                    passed = False
                out.append((rule.spec.id, passed))
        return out

    return run


def in_turn(
    sides: Mapping[str, Callable[[dict[str, Any]], object]],
    plans: Sequence[dict[str, Any]],
    rounds: int,
) -> dict[str, float]:
    """Each side's fastest of ``rounds`` batches, the sides taking turns batch by batch, so a
    change of the shared machine's load falls on all of them alike."""
    best = dict.fromkeys(sides, float("inf"))
    for _ in range(rounds):
        for name, run in sides.items():
            best[name] = min(best[name], time_batch(run, plans))
    return best


def one_form(
    sides: Mapping[str, Callable[[dict[str, Any]], object]], plans: Sequence[dict[str, Any]]
) -> dict[str, float]:
    """Each side's median CPU seconds for one form over 200 forms, the sides taking turns form
    by form, the garbage collector off."""
    samples: dict[str, list[float]] = {name: [] for name in sides}
    gc.disable()
    try:
        for data in plans[:200]:
            for name, run in sides.items():
                start = time.process_time()
                run(data)
                samples[name].append(time.process_time() - start)
    finally:
        gc.enable()
    return {name: statistics.median(times) for name, times in samples.items()}


def in_other_thread(measure: Callable[[], T]) -> T:
    """``measure()`` run in a thread other than the one that compiled the rules, as in the
    app: a rule set is compiled once per process, by the first session to need it, and
    every session's script runs in a thread of its own."""
    out: list[T] = []
    worker = threading.Thread(target=lambda: out.append(measure()))
    worker.start()
    worker.join()
    return out[0]


def _same(report: RuleReport) -> dict[str, Any]:
    return report.model_dump(exclude={"checked_at"})


def _load() -> str:
    return "/".join(f"{n:.1f}" for n in os.getloadavg())


def main(argv: Sequence[str] | None = None) -> int:
    """Print the engine's figures beside the hand-written baseline."""
    parser = argparse.ArgumentParser(prog="python -m bench rules")
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(list(argv or []))
    ruleset = bench_ruleset()
    checks = python_checks(ruleset.settings)
    assert [r.spec.id for r in ruleset.rules] == [rule_id for rule_id, _ in checks], [
        r.spec.id for r in ruleset.rules
    ]
    plans = make_plans(args.forms)
    by_hand = python_report(ruleset)

    def baseline(data: dict[str, Any]) -> list[tuple[str, bool]]:
        return [(rule_id, check(data)) for rule_id, check in checks]

    # the two sides of each comparison must give the same answers before their speed means
    # anything: the whole report, and each rule's verdict
    for data in plans:
        assert _same(ruleset.check(data)) == _same(by_hand(data)), data["branch"]
    for data in plans[:200]:
        assert verdicts(ruleset)(data) == baseline(data), data["branch"]
    failing = sum(not r.passed for data in plans for r in ruleset.check(data).results)
    load_before = _load()
    # the same rules evaluated by rule-engine itself (the per-form field check off, so no
    # form is trusted and no compiled closure runs): the path before rules.expression_compiler
    engine = dataclasses.replace(ruleset, field_check=None, variants={})
    full, verdict, slow, one = in_other_thread(
        lambda: (
            in_turn({"compiled": ruleset.check, "python": by_hand}, plans, args.rounds),
            in_turn({"compiled": verdicts(ruleset), "python": baseline}, plans, args.rounds),
            in_turn({"full": engine.check, "verdict": verdicts(engine)}, plans, 1),
            one_form({"compiled": ruleset.check, "python": by_hand, "engine": engine.check}, plans),
        )
    )
    n = len(plans)
    print(
        f"rules: {n} plans × {len(checks)} rules ({failing} results failing); CPU seconds, "
        f"best of {args.rounds} batches taken in turn (rule-engine: 1 batch), in a thread "
        "other than the one that compiled the rules (as in the app); "
        f"load average {load_before} → {_load()}"
    )
    print(
        "full check: both sides return the same RuleReport (checked equal on every plan): a "
        "RuleResult for each rule whose `when` holds, each failing rule's message in zh and en "
        "with its values, computed only then, and the decision"
    )
    print(
        f"  compiled {full['compiled']:7.3f} s   python {full['python']:7.4f} s   "
        f"ratio {full['compiled'] / full['python']:5.1f}×   rule-engine {slow['full']:6.2f} s "
        f"({slow['full'] / full['python']:5.1f}×)   (target ≤ 20×)"
    )
    print(
        f"  one form, median: compiled {one['compiled'] * 1e3:6.3f} ms   python "
        f"{one['python'] * 1e3:6.3f} ms   ratio {one['compiled'] / one['python']:5.1f}×   "
        f"rule-engine {one['engine'] * 1e3:6.3f} ms"
    )
    print(
        "verdicts: each rule's pass/fail only (compiled: the form converted and type-checked "
        "once, each expression in its budget; python: one lambda per rule on the JSON data)"
    )
    print(
        f"  compiled {verdict['compiled']:7.3f} s   python {verdict['python']:7.4f} s   "
        f"ratio {verdict['compiled'] / verdict['python']:5.1f}×   rule-engine "
        f"{slow['verdict']:6.2f} s ({slow['verdict'] / verdict['python']:5.1f}×)   (target ≤ 20×)"
    )
    plans_rules = f"{n:,} plans × {len(checks)} rules"
    summary.record(
        "rules",
        f"full check of {plans_rules}, compiled (same RuleReport as by hand), CPU",
        f"{full['compiled']:.2f} s",
        f"by hand in Python {full['python'] * 1e3:.0f} ms",
        full["compiled"] / full["python"],
    )
    summary.record(
        "rules",
        f"each rule's verdict alone, {plans_rules}, compiled, CPU",
        f"{verdict['compiled'] * 1e3:.0f} ms",
        f"by hand in Python {verdict['python'] * 1e3:.1f} ms",
        verdict["compiled"] / verdict["python"],
    )
    summary.record(
        "rules",
        f"full check of {plans_rules} by rule-engine itself, CPU",
        f"{slow['full']:.1f} s",
        f"by hand in Python {full['python'] * 1e3:.0f} ms",
        slow["full"] / full["python"],
    )
    print(
        f"per rule, full check: compiled {full['compiled'] / (n * len(checks)) * 1e6:.1f} µs, "
        f"python {full['python'] / (n * len(checks)) * 1e6:.1f} µs, "
        f"rule-engine {slow['full'] / (n * len(checks)) * 1e6:.1f} µs"
    )
    return 0

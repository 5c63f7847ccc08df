"""Rule checking speed: 1,000 plans × 32 rules through the engine (expressions compiled into
Python closures, ``rules.expression_compiler``) and through rule-engine's own evaluation, beside
the same 32 checks hand-written in Python (the baseline), run in the same process.

The 32 rules are 15 of ``plan_quality`` (two of them similarity rules, here with no other
plans to compare; its phrase-list rules are left out: they are not rule-engine expressions)
plus 17 field checks of the kind admins add; their Python twins return the same pass/fail for
every plan (checked before timing). Figures: total seconds for the batch,
median milliseconds for one form, and each as a ratio to the baseline. Times are this process's
CPU time (``time.process_time``): the machine is shared, and wall time mostly measures the
other jobs.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import yaml

from forms.expression_engine import budget
from forms.registry import default_registry
from rules.compiler import compile_text
from rules.engine import RULES_DIR, load_ruleset
from rules.ruleset import RuleSet

EXTRA_RULES = [
    ("title_long", "title.length >= 6", lambda d: len(d["title"]) >= 6),
    ("title_short", "title.length <= 60", lambda d: len(d["title"]) <= 60),
    ("branch_named", "branch.length > 0", lambda d: len(d["branch"]) > 0),
    ("title_names_branch", "branch in title", lambda d: d["branch"] in d["title"]),
    ("goals_short", "goals.length <= 3000", lambda d: len(d["goals"]) <= 3000),
    ("goals_mention_goal", "goals =~ '.*目标.*'", lambda d: "目标" in d["goals"]),
    ("requirements_short", "requirements.length <= 3000", lambda d: len(d["requirements"]) <= 3000),
    ("features_short", "features.length <= 3000", lambda d: len(d["features"]) <= 3000),
    ("supervision_short", "supervision.length <= 2000", lambda d: len(d["supervision"]) <= 2000),
    ("items_not_too_many", "items.length <= 20", lambda d: len(d["items"]) <= 20),
    ("schedule_not_too_long", "schedule.length <= 9", lambda d: len(d["schedule"]) <= 9),
    ("forms_not_too_many", "activity_forms.length <= 10", lambda d: len(d["activity_forms"]) <= 10),
    ("work_not_only_other", "central_work != ['其他']", lambda d: d["central_work"] != ["其他"]),
    ("budget_sane", "(budget ?? 0) <= 100000", lambda d: (d["budget"] or 0) <= 100000),
    ("budget_given", "budget != null", lambda d: d["budget"] is not None),
    ("features_not_goals", "features != goals", lambda d: d["features"] != d["goals"]),
    (
        "supervision_monthly",
        "supervision =~~ '每月|每季度'",
        lambda d: "每月" in d["supervision"] or "每季度" in d["supervision"],
    ),
]

STAGES = {"launch": 1, "implement": 2, "evaluate": 3}


def python_checks(settings: dict[str, Any]) -> list[tuple[str, Callable[[dict[str, Any]], bool]]]:
    """The plan_quality rules written by hand (the baseline), same order as the YAML."""
    s = settings

    def four_fixed(d: dict[str, Any]) -> bool:
        return all(
            i["content"]
            and len(i["measures"]) >= s["min_measures"]
            and i["owner"]
            and i["deadline"] is not None
            for i in d["items"]
        )

    def in_order(d: dict[str, Any]) -> bool:
        rows = d["schedule"]
        if len(rows) < 2:
            return True
        return all(
            rows[n]["end"] <= rows[n + 1]["start"]
            and STAGES[rows[n]["stage"]] <= STAGES[rows[n + 1]["stage"]]
            for n in range(len(rows) - 1)
        )

    return [
        ("goals_substantive", lambda d: len(d["goals"]) >= s["min_goals"]),
        ("requirements_substantive", lambda d: len(d["requirements"]) >= s["min_requirements"]),
        ("supervision_substantive", lambda d: len(d["supervision"]) >= s["min_supervision"]),
        ("items_enough", lambda d: len(d["items"]) >= s["min_items"]),
        ("items_four_fixed", four_fixed),
        ("schedule_all_stages", lambda d: set(STAGES) <= {r["stage"] for r in d["schedule"]}),
        ("schedule_in_order", in_order),
        ("items_distinct", lambda d: len({i["content"] for i in d["items"]}) == len(d["items"])),
        ("owners_varied", lambda d: len({i["owner"] for i in d["items"]}) > 1),
        ("deadlines_varied", lambda d: len({i["deadline"] for i in d["items"]}) > 1),
        ("features_substantive", lambda d: len(d["features"]) >= s["min_features"]),
        ("features_distinct", lambda d: True),
        ("plan_distinct", lambda d: True),
        ("central_work_tied", lambda d: len(d["central_work"]) > 0),
        ("activity_forms_varied", lambda d: len(d["activity_forms"]) >= s["min_activity_forms"]),
        *[(rule_id, check) for rule_id, _, check in EXTRA_RULES],
    ]


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
    start = time.process_time()
    for data in plans:
        run(data)
    return time.process_time() - start


def verdicts(ruleset: RuleSet) -> Callable[[dict[str, Any]], list[tuple[str, bool]]]:
    """Each rule's pass/fail on a form and nothing else (what the hand-written checks compute):
    the form converted and type-checked once, then every rule's expression in its budget; no
    messages, no report. A similarity rule (no expression) passes, as its twin does here."""

    def run(data: dict[str, Any]) -> list[tuple[str, bool]]:
        thing = ruleset.converter(data)
        if ruleset.field_check is not None:
            thing = ruleset.field_check.trust(thing)
        out = []
        for rule in ruleset.rules:
            with budget():
                try:
                    passed = rule.expression is None or bool(rule.expression.evaluate(thing))
                except Exception:
                    passed = False
            out.append((rule.spec.id, passed))
        return out

    return run


def best_batch(
    run: Callable[[dict[str, Any]], object], plans: Sequence[dict[str, Any]], rounds: int = 3
) -> float:
    """The fastest of ``rounds`` batches (the machine is shared: the others measure its load)."""
    return min(time_batch(run, plans) for _ in range(rounds))


def time_one(run: Callable[[dict[str, Any]], object], plans: Sequence[dict[str, Any]]) -> float:
    samples = []
    for data in plans[:200]:
        start = time.process_time()
        run(data)
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the engine's figures beside the hand-written baseline."""
    parser = argparse.ArgumentParser(prog="python -m bench rules")
    parser.add_argument("--forms", type=int, default=1000)
    args = parser.parse_args(list(argv or []))
    ruleset = bench_ruleset()
    checks = python_checks(ruleset.settings)
    assert [r.spec.id for r in ruleset.rules] == [rule_id for rule_id, _ in checks], [
        r.spec.id for r in ruleset.rules
    ]
    plans = make_plans(args.forms)

    def baseline(data: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"rule": rule_id, "passed": check(data)} for rule_id, check in checks]

    for data in plans[:100]:  # the two sides must agree before their speed means anything
        engine_outcome = [(r.rule, r.passed) for r in ruleset.check(data).results]
        reported = {rule for rule, _ in engine_outcome}
        # a warning is not reported beside a failed error on the same fields; the baseline
        # computes it anyway (which can only make the ratio look better for the engine)
        python_outcome = [(r["rule"], r["passed"]) for r in baseline(data) if r["rule"] in reported]
        assert engine_outcome == python_outcome, (engine_outcome, python_outcome)

    for data in plans[:100]:
        assert verdicts(ruleset)(data) == [(r["rule"], r["passed"]) for r in baseline(data)]
    ruleset.check(plans[0])  # warm up
    # the same rules evaluated by rule-engine itself (the per-form field check off, so no
    # form is trusted and no compiled closure runs): the path before rules.expression_compiler
    engine = dataclasses.replace(ruleset, field_check=None, variants={})
    compiled_total = best_batch(ruleset.check, plans)
    engine_total = best_batch(engine.check, plans, rounds=1)
    python_total = best_batch(baseline, plans, rounds=20)  # ≈ 10 ms a batch: noise dominates
    compiled_one = time_one(ruleset.check, plans)
    engine_one = time_one(engine.check, plans)
    python_one = time_one(baseline, plans)
    verdicts_compiled = best_batch(verdicts(ruleset), plans)
    verdicts_engine = best_batch(verdicts(engine), plans, rounds=1)
    n = len(plans)
    print(f"rules: {n} plans × {len(checks)} rules (best of 3 batches; rule-engine: 1 batch)")
    print(
        f"batch   compiled {compiled_total:7.3f} s   rule-engine {engine_total:7.3f} s   "
        f"python {python_total:7.4f} s   ratio {compiled_total / python_total:6.1f}× "
        f"(rule-engine {engine_total / python_total:6.1f}×)   (target ≤ 20×, ≤ 2 s)"
    )
    print(
        f"one     compiled {compiled_one * 1e3:7.3f} ms  rule-engine {engine_one * 1e3:7.3f} ms  "
        f"python {python_one * 1e3:7.4f} ms  ratio {compiled_one / python_one:6.1f}× "
        f"(rule-engine {engine_one / python_one:6.1f}×)   (target ≤ 10 ms)"
    )
    print(
        f"verdict compiled {verdicts_compiled:7.3f} s   rule-engine {verdicts_engine:7.3f} s   "
        f"ratio {verdicts_compiled / python_total:6.1f}× "
        f"(rule-engine {verdicts_engine / python_total:6.1f}×)   "
        "(pass/fail of each rule only, no messages or report)"
    )
    print(
        f"per rule: compiled {compiled_total / (n * len(checks)) * 1e6:.1f} µs, "
        f"rule-engine {engine_total / (n * len(checks)) * 1e6:.1f} µs"
    )
    return 0

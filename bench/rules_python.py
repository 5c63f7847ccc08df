"""The benchmark's rules written by hand in Python: the baseline ``python -m bench rules``
compares the engine with.

Two levels, each doing exactly the work of the engine path it is compared with:

- ``python_checks``: each rule's pass/fail on a form's JSON data, nothing else (the twin of
  ``bench.rules.verdicts``).
- ``python_report``: the whole ``RuleReport`` that ``RuleSet.check`` returns — a ``when`` that
  does not hold gives no result, every other rule a ``RuleResult`` built the same way, each
  failing rule's message in Chinese and English with its actual values (computed only then),
  the decision. The bench checks that both give equal reports (``checked_at`` aside) on every
  plan before timing them. Message texts are the rule file's own, turned once into
  ``str.format`` strings with the settings filled in (as a program would hold them as
  constants); the values are computed by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from rules.report import RuleReport, RuleResult
from rules.ruleset import RuleSet

Data = dict[str, Any]

STAGES = {"launch": 1, "implement": 2, "evaluate": 3}
STAGE_NAMES = {"launch": "启动阶段", "implement": "实施阶段", "evaluate": "评估总结阶段"}

# The 17 field checks of the kind admins add: id, expression, hand-written twin.
EXTRA_RULES: list[tuple[str, str, Callable[[Data], bool]]] = [
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


def _lacks(item: Data, min_measures: int) -> str:
    """What an item misses of 四落实, each followed by 、 ("" when it has all four)."""
    measures = len(item["measures"])
    return (
        ("" if item["content"] else "工作内容、")
        + ("" if measures else "具体措施、")
        + ("足够具体的措施、" if 0 < measures < min_measures else "")
        + ("" if item["owner"] else "责任人、")
        + ("" if item["deadline"] else "完成时限、")
    )


def _out_of_order(rows: list[Data]) -> list[int]:
    """Indexes ``n`` of schedule rows that end after row ``n + 1`` starts or are in a later
    stage than it."""
    return [
        n
        for n in range(len(rows) - 1)
        if rows[n]["end"] > rows[n + 1]["start"]
        or STAGES[rows[n]["stage"]] > STAGES[rows[n + 1]["stage"]]
    ]


def python_checks(settings: Mapping[str, Any]) -> list[tuple[str, Callable[[Data], bool]]]:
    """The plan_quality rules written by hand (the baseline), same order as the YAML."""
    s = settings

    def four_fixed(d: Data) -> bool:
        return not any(_lacks(i, s["min_measures"]) for i in d["items"])

    return [
        ("goals_substantive", lambda d: len(d["goals"]) >= s["min_goals"]),
        ("requirements_substantive", lambda d: len(d["requirements"]) >= s["min_requirements"]),
        ("supervision_substantive", lambda d: len(d["supervision"]) >= s["min_supervision"]),
        ("items_enough", lambda d: len(d["items"]) >= s["min_items"]),
        ("items_four_fixed", four_fixed),
        ("schedule_all_stages", lambda d: set(STAGES) <= {r["stage"] for r in d["schedule"]}),
        ("schedule_in_order", lambda d: not _out_of_order(d["schedule"])),
        ("items_distinct", lambda d: len({i["content"] for i in d["items"]}) == len(d["items"])),
        ("owners_varied", lambda d: len({i["owner"] for i in d["items"]}) > 1),
        ("deadlines_varied", lambda d: len({i["deadline"] for i in d["items"]}) > 1),
        ("features_substantive", lambda d: len(d["features"]) >= s["min_features"]),
        ("features_distinct", lambda d: True),  # no other plans to compare with
        ("plan_distinct", lambda d: True),
        ("central_work_tied", lambda d: len(d["central_work"]) > 0),
        ("activity_forms_varied", lambda d: len(d["activity_forms"]) >= s["min_activity_forms"]),
        *[(rule_id, check) for rule_id, _, check in EXTRA_RULES],
    ]


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


def message_format(template: str, settings: Mapping[str, Any]) -> str:
    """A rule file's message as a ``str.format`` string: ``{$settings.NAME}`` filled in,
    ``{items[0].owner}`` a field named ``items_0_owner``, ``{x:spec}`` kept with its spec."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)  # {{ and }} mean the same to str.format
        name, colon, spec = match.group(1).strip().partition(":")
        if name.startswith("$settings."):
            return str(settings[name.removeprefix("$settings.")])
        return "{" + re.sub(r"\W+", "_", name).strip("_") + colon + spec + "}"

    return _PLACEHOLDER.sub(replace, template)


def _state(count: int, unit: str) -> str:
    return "未填写" if count == 0 else f"只有 {count} {unit}"


def _length_values(field: str, unit: str) -> Callable[[Data], dict[str, Any]]:
    def values(d: Data) -> dict[str, Any]:
        count = len(d[field])
        return {"state": _state(count, unit), f"{field}_length": count}

    return values


def _message_values(settings: Mapping[str, Any]) -> dict[str, Callable[[Data], dict[str, Any]]]:
    """The values each failing rule's messages show, by rule id."""

    def four_fixed(d: Data) -> dict[str, Any]:
        rows, missing = [], []
        for n, item in enumerate(d["items"], 1):
            lacks = _lacks(item, settings["min_measures"])
            if lacks:
                rows.append(str(n))
                missing.append(f"第{n}项缺{lacks[:-1]}")
        return {"rows": "、".join(rows), "missing": "、".join(missing)}

    def all_stages(d: Data) -> dict[str, Any]:
        present = {r["stage"] for r in d["schedule"]}
        absent = [s for s in STAGES if s not in present]
        return {
            "missing": "、".join(STAGE_NAMES[s] for s in absent),
            "missing_en": "、".join(absent),
        }

    return {
        "goals_substantive": _length_values("goals", "字"),
        "requirements_substantive": _length_values("requirements", "字"),
        "supervision_substantive": _length_values("supervision", "字"),
        "items_enough": _length_values("items", "项"),
        "items_four_fixed": four_fixed,
        "schedule_all_stages": all_stages,
        "schedule_in_order": lambda d: {
            "rows": "、".join(str(n + 2) for n in _out_of_order(d["schedule"]))
        },
        "owners_varied": lambda d: {"items_0_owner": d["items"][0]["owner"]},
        "deadlines_varied": lambda d: {"items_0_deadline": d["items"][0]["deadline"]},
        "features_substantive": _length_values("features", "字"),
        "activity_forms_varied": _length_values("activity_forms", "种"),
    }


# A rule applies only when its ``when`` holds (the rule file's, by hand).
WHEN: dict[str, Callable[[Data], bool]] = {
    "items_distinct": lambda d: len(d["items"]) >= 2,
    "owners_varied": lambda d: len(d["items"]) >= 3,
    "deadlines_varied": lambda d: len(d["items"]) >= 3,
    "schedule_in_order": lambda d: len(d["schedule"]) >= 2,
}


def python_report(ruleset: RuleSet) -> Callable[[Data], RuleReport]:
    """The whole report of the bench's rule set on one plan, by hand (see the module doc)."""
    settings = ruleset.settings
    checks = python_checks(settings)
    explain = _message_values(settings)
    rules = []
    for (rule_id, check), rule in zip(checks, ruleset.rules, strict=True):
        spec = rule.spec
        kind = spec.similarity or spec.phrases
        rules.append(
            (
                rule_id,
                check,
                WHEN.get(rule_id),
                explain.get(rule_id, lambda d: {}),
                spec.severity,
                spec.fields or (kind.fields if kind is not None else []),
                message_format(spec.message.zh, settings),
                message_format(spec.message.en, settings),
            )
        )

    def report(d: Data) -> RuleReport:
        results = []
        veto = error = False
        for rule_id, check, when, values, severity, fields, zh, en in rules:
            if when is not None and not when(d):
                continue
            passed = check(d)
            message = message_en = ""
            if not passed:
                named = values(d)
                message, message_en = zh.format_map(named), en.format_map(named)
                veto = veto or severity == "veto"
                error = error or severity == "error"
            results.append(
                RuleResult(
                    rule=rule_id,
                    severity=severity,
                    passed=passed,
                    fields=list(fields),
                    message=message,
                    message_en=message_en,
                )
            )
        decision = "veto" if veto else "return" if error else "pass"
        return RuleReport(
            ruleset=ruleset.name,
            version=ruleset.version,
            hash=ruleset.hash,
            form=ruleset.form,
            passed=decision == "pass",
            decision=decision,
            results=results,
            checked_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )

    return report

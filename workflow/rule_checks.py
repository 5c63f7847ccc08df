"""The bridge to the rule engine: the rule set in force, which results block, what to compare.

The rule set in force is the latest version an admin published in the store
(``workflow.rule_sets.RuleSetService.active``), else the file shipped in ``rules/``; the report
records its version and hash, so every check says which rules it ran under.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from forms import registry
from rules.report import RuleReport, RuleResult
from rules.similarity import Comparable
from storage.base import Repository
from workflow.rule_sets import RuleSetService

__all__ = ["BLOCKING_SEVERITIES", "Comparable", "blocking_failures", "run_check"]

BLOCKING_SEVERITIES = frozenset({"error", "veto"})


def run_check(
    repo: Repository,
    form_type: str,
    data: dict[str, Any],
    others: Sequence[Comparable] = (),
) -> RuleReport | None:
    """Check ``data`` with the rule set in force for ``form_type`` (None when it has none)."""
    name = registry.get(form_type).ruleset
    if not name:
        return None
    return RuleSetService(repo).active(name).check(data, others=others)


def blocking_failures(report: RuleReport | None) -> list[RuleResult]:
    """Failed results that stop a submission: severity ``error`` or ``veto``."""
    if report is None:
        return []
    return [r for r in report.failures() if r.severity in BLOCKING_SEVERITIES]

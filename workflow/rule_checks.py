"""The bridge to the rule engine: which rule results block, and what similarity compares with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rules.engine import check
from rules.report import RuleReport, RuleResult
from rules.similarity import Comparable

__all__ = ["BLOCKING_SEVERITIES", "Comparable", "blocking_failures", "run_check"]

BLOCKING_SEVERITIES = frozenset({"error", "veto"})


def run_check(
    form_type: str, data: dict[str, Any], others: Sequence[Comparable] = ()
) -> RuleReport | None:
    """``rules.engine.check`` for ``form_type`` (None when no rule set checks that form)."""
    return check(form_type, data, others=others)


def blocking_failures(report: RuleReport | None) -> list[RuleResult]:
    """Failed results that stop a submission: severity ``error`` or ``veto``."""
    if report is None:
        return []
    return [r for r in report.failures() if r.severity in BLOCKING_SEVERITIES]

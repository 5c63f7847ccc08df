"""The bridge to the rule engine: the rule set in force, which results block, what to compare.

The rule set in force is the latest version an admin published in the store
(``workflow.rule_sets.RuleSetService.active``), else the file shipped in ``rules/``; the report
records its version and hash, so every check says which rules it ran under. It is type-checked
against the form version the submission was filled in, not only the current one.
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
    form_version: int | None = None,
) -> RuleReport | None:
    """Check ``data``, filled in ``form_version`` of ``form_type`` (default: the current
    version), with the rule set in force compiled against that version (None when the form
    has no rule set). A rule set that does not fit the version gives a report with one
    ``ruleset.form_version`` warning instead of an exception (``RuleSetService.check``)."""
    name = registry.get(form_type, form_version).ruleset
    if not name:
        return None
    return RuleSetService(repo).check(name, data, form_version=form_version, others=others)


def blocking_failures(report: RuleReport | None) -> list[RuleResult]:
    """Failed results that stop a submission: severity ``error`` or ``veto``."""
    if report is None:
        return []
    return [r for r in report.failures() if r.severity in BLOCKING_SEVERITIES]

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
from i18n import Lang, t
from rules.errors import RuleSetNotFound
from rules.report import RuleReport, RuleResult
from rules.similarity import Comparable
from storage.base import Repository
from workflow.errors import RuleSetMissing
from workflow.rule_sets import RuleSetService

__all__ = ["BLOCKING_SEVERITIES", "Comparable", "blocking_failures", "run_check"]

BLOCKING_SEVERITIES = frozenset({"error", "veto"})


def run_check(
    repo: Repository,
    form_type: str,
    data: dict[str, Any],
    others: Sequence[Comparable] = (),
    form_version: int | None = None,
    lang: Lang = "zh",
) -> RuleReport | None:
    """Check ``data``, filled in ``form_version`` of ``form_type`` (default: the current
    version), with the rule set in force compiled against that version (None when the form
    has no rule set). A rule set that does not fit the version gives a report with one
    ``ruleset.form_version`` warning instead of an exception (``RuleSetService.check``).

    A form naming a rule set that exists nowhere (neither shipped in ``rules/`` nor published
    in the store) raises ``RuleSetMissing``, whose message in ``lang`` names the rule set and
    tells the admin to publish it or remove ``ruleset:`` from the form definition.
    """
    model = registry.get(form_type, form_version)
    name = model.ruleset
    if not name:
        return None
    try:
        return RuleSetService(repo).check(name, data, form_version=form_version, others=others)
    except RuleSetNotFound:
        form = model.title_en if lang == "en" else model.title_zh
        raise RuleSetMissing(
            t("workflow.rules.ruleset_missing", lang, name=name, form=form)
        ) from None


def blocking_failures(report: RuleReport | None) -> list[RuleResult]:
    """Failed results that stop a submission: severity ``error`` or ``veto``."""
    if report is None:
        return []
    return [r for r in report.failures() if r.severity in BLOCKING_SEVERITIES]

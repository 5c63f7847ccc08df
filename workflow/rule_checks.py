"""The bridge to the rule engine: the rule set in force, which results block, what to compare.

The rule set in force is the latest version an admin published in the store
(``workflow.rule_sets.RuleSetService.in_force``), else the file shipped in ``rules/``; the report
records its version and hash, so every check says which rules it ran under. It is type-checked
against the form version the submission was filled in, not only the current one.

``check_form`` is the one place a form's data meets a rule set: the check on submit, the
submit preview, the reviewers' batch checks and the rule-set impact preview all call it, with
the corpus of ``workflow.similarity_corpus``, read only when the rule set compares documents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from forms.registry import FormRegistry
from i18n import Lang
from rules.errors import RuleSetNotFound
from rules.report import RuleReport, RuleResult
from rules.similarity import Comparable
from storage.base import Repository
from workflow.errors import RuleSetMissing
from workflow.form_types import standard_forms
from workflow.models import Campaign
from workflow.rule_sets import FormRules, RuleSetService
from workflow.similarity_corpus import SimilarityCorpus

__all__ = [
    "BLOCKING_SEVERITIES",
    "Comparable",
    "FormRules",
    "blocking_failures",
    "check_form",
    "follows_rules_in_force",
    "pinned_version",
    "rules_in_force",
]

BLOCKING_SEVERITIES = frozenset({"error", "veto"})
CAMPAIGNS = "campaigns"


def rules_in_force(
    repo: Repository,
    form_type: str,
    form_version: int | None = None,
    lang: Lang = "zh",
    forms: FormRegistry | None = None,
    campaign_id: str | None = None,
) -> FormRules | None:
    """The rule set in force for ``form_version`` of ``form_type`` (default: the current
    version), None when the form has no rule set: the one that version names, else the one
    the form's current version names (``FormType.ruleset_at``). A rule set that does not fit
    that version checks with one ``ruleset.form_version`` warning instead
    (``RuleSetService.in_force``).

    In a campaign (``campaign_id``) that records a version of the rule set
    (``Campaign.rule_set_versions``), that version checks its forms — the submit check, its
    preview and the reviewers' batch checks all ask here — else the one in force.

    A form naming a rule set that exists nowhere (neither shipped in ``rules/`` nor published
    in the store) raises ``RuleSetMissing``, whose message in ``lang`` names the rule set and
    tells the admin to publish it or remove ``ruleset:`` from the form definition. ``forms``:
    the form types (default ``standard_forms()``; services pass their store's).
    """
    forms = forms if forms is not None else standard_forms()
    model = forms.get(form_type, form_version)
    name = forms.form_type(form_type).ruleset_at(form_version)
    if not name:
        return None
    service = RuleSetService(repo, forms)
    try:
        number = pinned_version(repo, campaign_id, name)
        if number is not None:
            try:
                return service.version_rules(name, number, form_version)
            except RuleSetNotFound:  # a pin to a version this store lacks: the one in force
                pass
        return service.in_force(name, form_version)
    except RuleSetNotFound:
        form = model.title_in(lang)
        raise RuleSetMissing.keyed(
            "workflow.rules.ruleset_missing", lang, name=name, form=form
        ) from None


def pinned_version(repo: Repository, campaign_id: str | None, name: str) -> int | None:
    """The version of rule set ``name`` campaign ``campaign_id`` records, if any."""
    doc = repo.get(CAMPAIGNS, campaign_id) if campaign_id else None
    return Campaign.model_validate(doc).rule_set_versions.get(name) if doc else None


def follows_rules_in_force(campaign: Campaign, name: str, service: RuleSetService) -> bool:
    """Whether ``campaign``'s forms are checked with rule set ``name`` in force, whichever
    version that is: it records no version of ``name``, or one the store lacks (as
    ``rules_in_force`` decides)."""
    number = campaign.rule_set_versions.get(name)
    if number is None:
        return True
    try:
        service.version_source(name, number)
    except RuleSetNotFound:
        return True
    return False


def check_form(
    rules: FormRules,
    data: Mapping[str, Any],
    branch_id: str,
    corpus: Callable[[], SimilarityCorpus],
) -> RuleReport:
    """Check one branch's form ``data`` (the validated form's dump) with ``rules``.

    Similarity rules compare it with ``corpus().others_for(branch_id)``; ``corpus`` is called
    only when the rule set has a similarity rule, so other checks read no other documents.
    """
    others = corpus().others_for(branch_id) if rules.compares else []
    return rules.check(data, others)


def blocking_failures(report: RuleReport | None) -> list[RuleResult]:
    """Failed results that stop a submission: severity ``error`` or ``veto``."""
    if report is None:
        return []
    return [r for r in report.failures() if r.severity in BLOCKING_SEVERITIES]

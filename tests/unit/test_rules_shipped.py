"""Every shipped rule set loads cleanly and passes the tests written inside it (issue 5, §6)."""

from __future__ import annotations

import pytest

from forms.registry import default_registry
from rules.engine import load_ruleset, shipped_rulesets
from rules.file_tests import run_tests

SHIPPED = shipped_rulesets()


def test_every_required_rule_set_is_shipped() -> None:
    names = {p.stem for p in SHIPPED}
    assert {
        "study_session",
        "plan_quality",
        "demo_site",
        "news_report",
        "summary_quality",
        "evaluation",
    } <= names


def test_every_form_naming_a_rule_set_has_one_that_checks_that_form() -> None:
    for form_type, model in default_registry().all_forms().items():
        if model.ruleset:
            assert load_ruleset(model.ruleset).form == form_type


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_rule_set_passes_its_own_tests(path) -> None:  # type: ignore[no-untyped-def]
    ruleset = load_ruleset(path)
    outcomes = run_tests(ruleset)
    assert len(outcomes) >= 3, "each rule set carries its own tests"
    failed = {o.name: o.differences for o in outcomes if not o.ok}
    assert failed == {}

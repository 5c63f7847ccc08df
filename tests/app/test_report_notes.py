"""A rule that passed with a note (the branch carrying on its own earlier plan) is shown to the
reviewer, escaped; a failed rule's evidence (another branch's text) is escaped too."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from rules.report import RuleReport, RuleResult

APP = str(Path(__file__).parent / "apps" / "report_app.py")
NOTE = "与本支部往年的《2024 · *机关*》相似度 90%，视为延续本支部的做法（提示，不算雷同）。"


def _report(*results: RuleResult) -> dict[str, object]:
    passed = all(r.passed for r in results)
    return RuleReport(
        ruleset="plan_quality",
        version="1",
        hash="0" * 64,
        form="plan",
        passed=passed,
        decision="pass" if passed else "return",
        results=list(results),
    ).model_dump(mode="json")


def _run(report: dict[str, object]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["report"] = report
    at.run()
    assert not at.exception
    return at


def test_a_continuity_note_is_shown_for_a_rule_that_passed() -> None:
    note = RuleResult(
        rule="features_distinct",
        severity="error",
        passed=True,
        message=NOTE,
        evidence={"continuity": "true", "passage": "把服务送到家"},
    )
    at = _run(_report(note))
    assert [i.value for i in at.info] == [NOTE.replace("*", "\\*")]  # Markdown escaped
    quiet = RuleResult(rule="goals_substantive", severity="error", passed=True)
    assert list(_run(_report(quiet)).info) == []


def test_evidence_of_a_failed_rule_is_escaped() -> None:
    failed = RuleResult(
        rule="features_distinct",
        severity="error",
        passed=False,
        message="没有特色",
        evidence={"passage": "**粗体**[链接](http://x)"},
    )
    captions = [c.value for c in _run(_report(failed)).caption]
    assert any("\\*\\*粗体\\*\\*" in c for c in captions), captions

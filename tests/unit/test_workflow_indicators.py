"""Indicators (考核指标) of a 先进党支部 nomination: points in the evaluation rule set, earned on
the evidence of the branch's own records (the figures the server binds, never typed)."""

from __future__ import annotations

from tests.unit.test_workflow_field_roles import nomination
from tests.unit.test_workflow_statistics import session
from tests.unit.test_workflow_summary_figures import submitted
from tests.unit.workflow_world import make_world


def test_a_branch_nomination_earns_indicator_points_on_its_records_not_on_what_it_types() -> None:
    world = make_world()
    submitted(world, "study_session", session(world, 0, 8))
    submitted(world, "study_session", session(world, 0, 10))
    typed = {**nomination(), "statistics": {"study_sessions": 99, "published_reports": 9}}
    sent = submitted(world, "nomination", typed)
    assert sent.data["statistics"]["study_sessions"] == 2  # bound: counted, not typed
    report = sent.report
    assert report is not None
    given = {r["rule"]: r for r in report["results"] if (r.get("points") or 0) > 0}
    assert set(given) == {"indicator_attendance"}  # 2 sessions at 90%: attendance only
    assert "0.9" in given["indicator_attendance"]["message"]  # the evidence, in words
    assert report["score"] == 95 + 2  # weighted (self score while unscored) + the indicator

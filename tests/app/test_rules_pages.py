"""Issue 5 in the app: admins edit, lint, test, preview and publish rule sets; reviewers re-check
submissions of a stage and filter them by outcome; branch staff reach neither."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from forms.markdown import escape_markdown
from i18n import t
from rules.engine import load_ruleset, resolve_path
from tests.app.campaign_fixture import PASSWORD, build_campaign, good_plan
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.test_forms_remount import mounted
from workflow.errors import PermissionDenied
from workflow.models import User
from workflow.services import Services

NAME = "plan_quality"
EDITOR = f"ar_text:{NAME}"


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def shipped_text() -> str:
    return resolve_path(NAME).read_text(encoding="utf-8")


def without_tests(text: str, min_goals: int) -> str:
    """The shipped rules with a different ``min_goals`` and no tests (publishable as is)."""
    head = text.split("\ntests:\n", 1)[0]
    return head.replace("min_goals: 50", f"min_goals: {min_goals}") + "\n"


def open_editor(app: AppTest) -> AppTest:
    login(app, "admin", PASSWORD)
    open_page(app, "pages/admin_rules.py")
    app.selectbox(key="ar_name").select(NAME)
    app.run()
    no_traceback(app)
    return app


def edit(app: AppTest, text: str) -> None:
    app.text_area(key=EDITOR).input(text)
    app.run()
    no_traceback(app)


def test_admin_rules_broken_edit_shows_file_line_errors_and_keeps_the_draft(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    open_editor(app)
    broken = shipped_text().replace("goals.length >= $settings.min_goals", "gaols.length >= 1", 1)
    edit(app, broken)
    assert t("rules.page.lint_errors", count=1) in texts(app)
    problems = "\n".join(c.value for c in app.code)
    assert re.search(rf"{NAME}\.yaml:\d+: .*gaols.*goals", problems), problems
    assert svc.rule_sets.draft_text(users["admin"], NAME) == broken  # nothing typed is lost
    button(app, t("rules.page.publish")).click()
    app.run()
    no_traceback(app)
    assert svc.rule_sets.versions(NAME) == []  # a broken draft is never published


def test_admin_rules_run_tests_reports_each_test(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    open_editor(app)
    button(app, t("rules.page.run_tests")).click()
    app.run()
    no_traceback(app)
    count = len(load_ruleset(NAME).spec.tests)
    assert t("rules.page.tests_result", passed=count, failed=0) in texts(app)

    edit(app, shipped_text().replace("min_goals: 50", "min_goals: 500"))
    shown = texts(app)
    assert t("rules.page.lint_ok") in shown
    assert "0 个失败" not in shown and "个失败" in shown  # a test now fails, and says which
    assert "❌ 合格的方案" in shown


def test_admin_rules_publish_creates_a_new_version_in_force(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    open_editor(app)
    stricter = shipped_text().replace("min_activity_forms: 2", "min_activity_forms: 3")
    edit(app, stricter.replace('version: "2025.1"', 'version: "2025.2"'))
    button(app, t("rules.page.publish")).click()
    app.run()
    no_traceback(app)
    versions = svc.rule_sets.versions(NAME)
    assert [v["number"] for v in versions] == [1] and versions[0]["version"] == "2025.2"
    assert t("rules.page.published", number=1) in texts(app)
    assert svc.rule_sets.active(NAME).hash == versions[0]["hash"]
    history = app.dataframe[-1].value
    in_force = history[history[t("rules.page.in_force_col")] == "✓"]
    assert list(in_force[t("rules.page.version")]) == ["2025.2"]


def test_admin_rules_impact_lists_the_submission_whose_outcome_would_change(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    open_editor(app)
    edit(app, without_tests(shipped_text(), min_goals=5000))
    button(app, t("rules.page.impact")).click()
    app.run()
    no_traceback(app)
    assert t("rules.page.impact_summary", total=1, changed=1) in texts(app)
    table = app.dataframe[0].value
    assert list(table[t("rules.page.branch")]) == ["教务处党支部"]
    assert t("rules.page.decision_return") in table[t("rules.page.after")].iloc[0]
    after = table[t("rules.page.after")].iloc[0]  # what the rule says, as a branch reads it
    assert "“指导思想与目标”只有" in after and "goals_substantive" not in after
    assert table[t("rules.page.before")].iloc[0] == t("rules.page.decision_pass")


def test_reviewer_checks_a_stage_and_filters_by_outcome(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    campaign = svc.campaigns.current()
    assert campaign is not None
    own = good_plan("党政办公室党支部")
    draft = svc.submissions.save_draft(
        users["branch1"], campaign_id=campaign.id, form_type="plan", data=own
    )
    svc.submissions.submit(users["branch1"], draft.id, draft.rev)
    other_goals = next(
        s.data["goals"]
        for s in svc.submissions.list(users["admin"], campaign_id=campaign.id, form_type="plan")
        if s.branch_id != draft.branch_id
    )
    # published after both were submitted: only the plan with the shorter goals now fails
    threshold = max(len(own["goals"]), len(other_goals))
    assert len(own["goals"]) != len(other_goals)
    failing_branch = "党政办公室党支部" if len(own["goals"]) < threshold else "教务处党支部"
    passing_branch = "教务处党支部" if failing_branch == "党政办公室党支部" else "党政办公室党支部"
    text = without_tests(shipped_text(), threshold)
    saved = svc.rule_sets.save_draft(users["admin"], NAME, text, base_rev=0)
    svc.rule_sets.publish(users["admin"], NAME, base_rev=saved.rev)

    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/review_checks.py")
    button(app, t("rules.checks.run")).click()
    app.run()
    no_traceback(app)
    assert t("rules.checks.summary", total=2, passed=1, returned=1, vetoed=0) in texts(app)

    app.selectbox(key="rc_outcome").select("return")
    app.run()
    button(app, t("rules.checks.run")).click()
    app.run()
    no_traceback(app)
    labels = [e.label for e in app.expander]
    assert len(labels) == 1, labels
    assert labels[0].startswith(failing_branch + " · ")
    assert labels[0].endswith(" · " + t("rules.page.decision_return"))
    shown = texts(app)
    assert "指导思想与目标" in shown  # the failing rule names its field
    assert f"至少需要 {threshold} 字" in shown  # and says how to fix it

    app.selectbox(key="rc_outcome").select("pass")
    app.run()
    button(app, t("rules.checks.run")).click()
    app.run()
    assert [e.label.split(" · ")[0] for e in app.expander] == [passing_branch]

    button(app, t("rules.checks.open")).click()
    app.run()
    no_traceback(app)
    branch_ids = {b.name: b.id for b in svc.branches.list()}
    opened = app.session_state["rv_default"]  # the review page, with that submission open
    assert svc.submissions.get(users["reviewer"], opened).branch_id == branch_ids[passing_branch]
    assert any(h.value.startswith(passing_branch) for h in app.subheader)


def test_branch_staff_cannot_reach_the_rules_pages_nor_their_services(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    login(app, "branch1", PASSWORD)
    for page in ("admin_rules", "review_checks"):
        with pytest.raises(ValueError, match=r"Could not find a navigation page"):
            app.switch_page(f"pages/{page}.py")
    staff = users["branch1"]
    campaign = svc.campaigns.current()
    assert campaign is not None
    with pytest.raises(PermissionDenied):
        svc.rule_sets.save_draft(staff, NAME, shipped_text(), base_rev=0)
    with pytest.raises(PermissionDenied):
        svc.rule_sets.history(staff, NAME)
    with pytest.raises(PermissionDenied):
        svc.batch_checks.check(staff, campaign_id=campaign.id, stage="launch")
    with pytest.raises(PermissionDenied):
        svc.rule_sets.publish(users["reviewer"], NAME, base_rev=0)


def test_admin_changes_a_threshold_in_the_form_previews_and_publishes_without_yaml(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    open_editor(app)
    app.number_input(key=f"ar_set:{NAME}:min_goals").set_value(5000)
    button(app, t("rules.page.settings_save")).click()
    app.run()
    no_traceback(app)
    draft = svc.rule_sets.draft_text(users["admin"], NAME)
    assert app.text_area(key=EDITOR).value == draft  # the YAML editor shows what was saved
    assert "min_goals: 5000" in draft and "test_settings:\n  min_goals: 50" in draft
    # The file's own tests still run with the settings they were written for: all pass.
    count = len(load_ruleset(NAME).spec.tests)
    shown = texts(app)
    assert t("rules.page.tests_result", passed=count, failed=0) in shown
    button(app, t("rules.page.impact")).click()
    app.run()
    no_traceback(app)
    assert t("rules.page.impact_summary", total=1, changed=1) in texts(app)
    after = app.dataframe[0].value[t("rules.page.after")].iloc[0]
    assert "“指导思想与目标”只有" in after  # the rule's message, not its id
    button(app, t("rules.page.publish")).click()
    app.run()
    no_traceback(app)
    assert [v["number"] for v in svc.rule_sets.versions(NAME)] == [1]
    assert svc.rule_sets.active(NAME).settings["min_goals"] == 5000


def test_admin_settings_form_refuses_a_share_above_one_and_shows_a_bad_phrase_by_line(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    open_editor(app)
    app.number_input(key=f"ar_set:{NAME}:max_stock_share").set_value(1.5)
    button(app, t("rules.page.settings_save")).click()
    app.run()
    no_traceback(app)
    # error boxes show messages as typed (Markdown-escaped: max\_stock\_share)
    refused = escape_markdown(t("rules.settings.out_of_range", "zh", name="max_stock_share"))
    assert refused in texts(app)
    assert svc.rule_sets.draft_text(users["admin"], NAME) == shipped_text()  # nothing saved
    app.number_input(key=f"ar_set:{NAME}:max_stock_share").set_value(0.5)
    phrases = app.text_area(key=f"ar_set:{NAME}:boilerplate")
    phrases.input(phrases.value + "\n加强(学习")
    button(app, t("rules.page.settings_save")).click()
    app.run()
    no_traceback(app)
    problems = "\n".join(c.value for c in app.code)
    assert re.search(rf"{NAME}\.yaml:\d+: 短语“加强\(学习”的括号不配对", problems), problems
    assert svc.rule_sets.versions(NAME) == []


def test_the_rule_text_shows_in_a_browser_that_missed_the_run_that_loaded_it(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    open_editor(app)  # the run that loaded the draft: its messages never reach the browser
    app.run()  # the rerun the admin's next click asked for
    assert mounted(app.text_area(key=EDITOR)) == shipped_text()

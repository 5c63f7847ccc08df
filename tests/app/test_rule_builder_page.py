"""Issue 16 (2, 3) in the app: an admin adds three simple rules to a built form on the 规则设计
screen (必填 as a veto, 至少 N 字 returning with points, 数值范围 as a reminder), sees the draft's
tests and the impact preview list the submitted form they would return, publishes (the form's
version 2 links the rule set, and the reviewers' re-check returns that version-1 form as the
preview said), and the branch's next short form is returned with the rule's suggested wording.
Complex rules of a shipped rule set are listed read-only; a rule set's simple rules copy onto
another form with 从其他规则集复制 (ticked, into the draft; a rule the draft holds already is
refused by name)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from forms.builder import BuilderField
from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import APP
from tests.app.driver import button, login, no_traceback, open_page, texts
from workflow.errors import RulesFailed
from workflow.models import Status, User
from workflow.services import Services

FORM = "service_log"
FIELDS = (
    BuilderField("place", "text", "服务地点"),
    BuilderField("content", "textarea", "服务内容"),
    BuilderField("hours", "float", "服务时长"),
)
SHORT = {"place": "社区", "content": "帮忙", "hours": 30.0}


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    users = build_campaign(svc)
    admin = users["admin"]
    form = replace(svc.form_builder.blank(admin, FORM, "服务记录", "launch"), fields=FIELDS)
    check = svc.form_builder.save_draft(admin, form, base_rev=0)
    svc.form_builder.publish(admin, FORM, base_rev=check.rev)
    return users


def submit(svc: Services, staff: User, data: dict[str, object]) -> str:
    campaign = svc.campaigns.current()
    assert campaign is not None
    draft = svc.submissions.save_draft(staff, campaign_id=campaign.id, form_type=FORM, data=data)
    svc.submissions.submit(staff, draft.id, draft.rev)
    return draft.id


def add_rule(at: AppTest, field: str, condition: str, severity: str, **inputs: object) -> None:
    at.selectbox(key="rb:field").set_value(field).run()
    at.selectbox(key="rb:condition").set_value(condition).run()
    for key, value in inputs.items():
        at.number_input(key=f"rb:{key}").set_value(value)
    at.radio(key="rb:severity").set_value(severity)
    at.button(key="rb:save").click().run()
    no_traceback(at)


def test_three_simple_rules_previewed_published_and_returning_a_submission(
    svc: Services, users: dict[str, User]
) -> None:
    first = submit(svc, users["branch1"], SHORT)  # passes: the form has no rules yet
    at = login(AppTest.from_file(APP, default_timeout=90), "admin", PASSWORD)
    open_page(at, "pages/admin_rule_builder.py")
    at.selectbox(key="rb:form").set_value(FORM).run()
    no_traceback(at)
    assert t("builder.rules.none") in texts(at)

    add_rule(at, "content", "min_chars", "error", n=10, points=2.0)
    add_rule(at, "hours", "number_range", "warning", low=0.5, high=24.0)
    add_rule(at, "place", "required", "veto")
    shown = texts(at)
    assert t("rules.page.tests_result", passed=0, failed=0) in shown, shown
    table = at.dataframe[0].value
    assert list(table[t("builder.rules.col.id")]) == [
        "content_min_chars", "hours_number_range", "place_required"]  # fmt: skip
    assert list(table[t("builder.rules.col.severity")]) == ["退回", "提醒", "一票否决"]
    draft = svc.rule_sets.draft_text(users["admin"], FORM)
    assert '(content ?? "").length >= 10' in draft and "severity: veto" in draft

    button(at, t("rules.page.impact")).click()
    at.run()
    no_traceback(at)
    assert t("rules.page.impact_summary", total=1, changed=1) in texts(at)
    impact = at.dataframe[-1].value
    after = impact[t("rules.page.after")].iloc[0]
    # each rule as its message says it (a generated id like content_min_chars means nothing)
    assert t("rules.page.decision_return") in after and "「服务内容」写得太简单" in after
    assert "「服务时长」应在" in after  # a reminder is listed, it does not return
    assert "content_min_chars" not in after

    button(at, t("rules.page.publish")).click()
    at.run()
    no_traceback(at)
    shown = texts(at)
    assert t("rules.page.published", number=1) in shown
    assert t("builder.rules.linked", version=2) in shown
    assert svc.forms.get(FORM).ruleset == FORM and svc.forms.versions(FORM) == [1, 2]
    campaign = svc.campaigns.current()
    assert campaign is not None
    again = svc.batch_checks.check(users["admin"], campaign_id=campaign.id, stage="launch")
    # the preview's figure holds: the version-1 form is returned by the rules linked at v2
    assert {c.submission.id: c.outcome for c in again if c.submission.form_type == FORM} == {
        first: "return"
    }

    with pytest.raises(RulesFailed) as caught:
        submit(svc, users["branch1"], SHORT)
    failing = {r.rule: r.message for r in caught.value.report.failures()}
    assert set(failing) == {"content_min_chars", "hours_number_range"}  # returned, and reminded
    assert caught.value.report.decision == "return"
    assert (
        failing["content_min_chars"]
        == "「服务内容」写得太简单:至少需要 10 字,请写明具体做法和效果。"
    )
    mine = svc.submissions.list(users["branch1"], campaign_id=campaign.id, form_type=FORM)
    assert sorted(s.status for s in mine) == [Status.DRAFT, Status.SUBMITTED]


def test_complex_rules_are_read_only_and_simple_ones_copy_to_another_form(
    svc: Services, users: dict[str, User]
) -> None:
    at = login(AppTest.from_file(APP, default_timeout=90), "admin", PASSWORD)
    open_page(at, "pages/admin_rule_builder.py")
    at.selectbox(key="rb:form").set_value("volunteer_service").run()
    no_traceback(at)
    shown = texts(at)
    expanders = [e.label for e in at.expander]
    assert t("builder.rules.complex", n=2) in expanders  # written by hand: text, read-only
    assert "other_kind_named" in shown

    admin = users["admin"]
    rules = svc.rule_builder
    rules.save_rule(admin, FORM, _rule("content", "min_chars", 10), base_rev=0)
    published = rules.rules(admin, FORM)
    rules.publish(admin, FORM, base_rev=published.rev)
    other = replace(svc.form_builder.blank(admin, "service_log_2", "服务记录二", "launch"),
                    fields=FIELDS[1:])  # fmt: skip
    check = svc.form_builder.save_draft(admin, other, base_rev=0)
    svc.form_builder.publish(admin, "service_log_2", base_rev=check.rev)
    at.run()  # the form list now holds service_log_2
    at.selectbox(key="rb:form").set_value("service_log_2").run()
    with_copy = next(e for e in at.expander if e.label == t("builder.copy.title"))
    assert with_copy is not None
    at.selectbox(key="rb:copy_source:service_log_2").set_value(f"{FORM}@1").run()
    no_traceback(at)
    assert [c.key for c in at.checkbox] == [f"rb:copy:{FORM}@1:content_min_chars"]
    at.button(key="rb:copy").click().run()
    no_traceback(at)
    assert [r.id for r in rules.rules(admin, "service_log_2").simple] == ["content_min_chars"]
    assert svc.rule_sets.versions("service_log_2") == []  # a draft: tests, impact, publish
    assert t("builder.copy.done", n=1) in texts(at)
    assert t("rules.page.tests_result", passed=0, failed=0) in texts(at)

    at.button(key="rb:copy").click().run()  # again: the draft holds it already
    no_traceback(at)
    refused = [e.value.replace("\\", "") for e in at.error]  # shown escaped
    assert any("content_min_chars" in m and "删去草稿里的同名规则" in m for m in refused), refused


def _rule(field: str, condition: str, number: float) -> object:
    from rules.simple_rules import SimpleRule

    return SimpleRule(f"{field}_{condition}", field, condition, number=number)

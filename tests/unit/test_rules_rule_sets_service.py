"""Admins draft, test, preview and publish rule-set versions; nothing typed is lost (§7)."""

from __future__ import annotations

import pytest

from rules import engine
from storage.memory import MemoryRepository
from tests.unit.rules_fixtures import plan
from workflow.errors import PermissionDenied
from workflow.models import Role, User
from workflow.rule_sets import RuleSetInvalid, RuleSetService

ADMIN = User(login="admin", display_name="管理员", role=Role.ADMIN)
REVIEWER = User(login="rev", display_name="审核员", role=Role.REVIEWER)
BRANCH = User(login="staff", display_name="支部", role=Role.BRANCH, branch_id="b1")


@pytest.fixture
def service() -> RuleSetService:
    repo = MemoryRepository()
    for user in (ADMIN, REVIEWER, BRANCH):  # services re-read the acting user from the store
        repo.insert("users", {**user.model_dump(mode="json"), "id": user.login}, actor="test")
    return RuleSetService(repo)


def test_broken_draft_is_kept_but_cannot_be_published(service: RuleSetService) -> None:
    text = service.draft_text(ADMIN, "plan_quality").replace("goals.length", "gaols.length", 1)
    check = service.save_draft(ADMIN, "plan_quality", text, base_rev=0)
    assert not check.publishable and "gaols" in str(check.problems[0])
    assert service.draft_text(ADMIN, "plan_quality") == text
    with pytest.raises(RuleSetInvalid) as info:
        service.publish(ADMIN, "plan_quality", base_rev=check.rev)
    assert "gaols" in str(info.value)


def test_draft_with_failing_tests_cannot_be_published(service: RuleSetService) -> None:
    text = service.current_text("plan_quality").replace("min_goals: 50", "min_goals: 500")
    check = service.save_draft(ADMIN, "plan_quality", text, base_rev=0)
    assert not check.problems and not check.publishable
    with pytest.raises(RuleSetInvalid):
        service.publish(ADMIN, "plan_quality", base_rev=check.rev)


def test_published_version_is_used_by_checks(service: RuleSetService) -> None:
    data = plan(goals="围绕校庆开展一岗一承诺活动，全年十次。" * 3)  # 57 characters, measurable
    assert engine.check("plan", data).passed  # type: ignore[union-attr]
    text = service.current_text("plan_quality").replace("min_goals: 50", "min_goals: 55")
    text = text.replace("只有 7 字，至少需要 50 字", "只有 7 字，至少需要 55 字")
    check = service.save_draft(ADMIN, "plan_quality", text, base_rev=0)
    assert check.publishable and check.diff is not None
    assert "min_goals" in check.diff.settings
    assert service.publish(ADMIN, "plan_quality", base_rev=check.rev) == 1
    report = service.check("plan_quality", data.copy() | {"goals": "围绕校庆。" * 10})
    assert report is not None and not report.passed
    assert report.hash == service.versions("plan_quality")[0]["hash"]
    assert service.draft_text(ADMIN, "plan_quality") == text  # no draft left: text in force


def test_only_admins_change_rule_sets(service: RuleSetService) -> None:
    text = service.draft_text(REVIEWER, "plan_quality")
    with pytest.raises(PermissionDenied):
        service.save_draft(REVIEWER, "plan_quality", text, base_rev=0)
    with pytest.raises(PermissionDenied):
        service.draft_text(BRANCH, "plan_quality")


def test_discard_drops_the_draft_and_keeps_versions(service: RuleSetService) -> None:
    shipped = service.current_text("study_session")
    saved = service.save_draft(ADMIN, "study_session", shipped + "\n# 改动\n", base_rev=0)
    service.discard(ADMIN, "study_session", base_rev=saved.rev)
    assert service.draft_text(ADMIN, "study_session") == shipped
    assert service.versions("study_session") == []

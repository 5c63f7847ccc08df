"""Access: who may become administrator, read a draft, pick a spot-check sample or keep using
an account after it was disabled. Each test replays an attack that worked before the fix."""

from __future__ import annotations

import pytest

from rules import engine
from storage.memory import MemoryRepository
from tests.unit.workflow_world import FAST_HASHER, PASSWORD, World, make_world
from workflow.errors import AuthFailed, PermissionDenied, SessionEnded, ValidationFailed
from workflow.models import Role, User
from workflow.services import build_services
from workflow.setup import needs_setup

DRAFT_SECRET = "只在草稿里的秘密XYZ"


def _promoted_admin(world: World) -> User:
    """An account created as reviewer and promoted: its revision 1 has role reviewer."""
    accounts = world.services.accounts
    boss = accounts.create_user(
        world.admin, login="boss", display_name="老板", role=Role.REVIEWER, password=PASSWORD
    )
    return accounts.update_user(world.admin, boss.model_copy(update={"role": Role.ADMIN}), 1)


# -- 1. nobody becomes administrator through a back door ------------------------------------


def test_restoring_the_last_admins_reviewer_revision_is_refused() -> None:
    world = make_world()
    boss = _promoted_admin(world)
    accounts, audit = world.services.accounts, world.services.audit
    admin = accounts.get_user(boss, "admin")
    accounts.update_user(boss, admin.model_copy(update={"role": Role.READER}), admin.rev)
    with pytest.raises(ValidationFailed) as refused:
        audit.restore(boss, "users", "boss", 1)  # rev 1: role reviewer
    assert "没有启用的管理员" in refused.value.errors["role"]
    assert world.repo.get("users", "boss")["role"] == "admin"  # type: ignore[index]


def test_setup_stays_closed_for_good_once_the_store_had_an_admin() -> None:
    world = make_world()
    doc = world.repo.get("users", "admin")
    assert doc is not None  # every admin gone, by whatever route (here: the store itself)
    world.repo.update("users", {**doc, "active": False}, actor="x", expected_rev=doc["rev"])
    assert not needs_setup(world.repo)
    assert world.services.setup.token() is None
    with pytest.raises(PermissionDenied, match="永久关闭"):
        world.services.setup.create_first_admin(
            token="anything", login="intruder", display_name="x", password="Intruder-pass-77"
        )
    with pytest.raises(PermissionDenied):
        world.services.setup.seed_demo(token="anything")


def test_first_run_setup_needs_the_one_time_token_from_the_console() -> None:
    services = build_services(MemoryRepository(), hasher=FAST_HASHER)
    for wrong in ("", "guess", "x" * 32):
        with pytest.raises(PermissionDenied, match="设置口令不正确"):
            services.setup.create_first_admin(
                token=wrong, login="intruder", display_name="x", password="Intruder-pass-77"
            )
        with pytest.raises(PermissionDenied, match="设置口令不正确"):
            services.setup.seed_demo(token=wrong)
    assert services.repo.find("users") == []
    token = services.setup.token()
    assert token and len(token) >= 32 and services.setup.token() == token  # one per store
    services.setup.create_first_admin(
        token=token, login="root", display_name="管理员", password=PASSWORD
    )
    assert services.setup.token() is None  # used up, and setup is closed
    with pytest.raises(PermissionDenied):
        services.setup.create_first_admin(
            token=token, login="again", display_name="x", password=PASSWORD
        )


# -- 2. restore never brings an old password back ----------------------------------------


def test_restoring_an_account_keeps_its_current_password() -> None:
    world = make_world()
    accounts = world.services.accounts
    accounts.set_password(world.admin, "reader", "Leaked-old-pass-1")
    leaked_rev = world.repo.get("users", "reader")["rev"]  # type: ignore[index]
    accounts.set_password(world.admin, "reader", "Fresh-new-pass-2")
    world.services.audit.restore(world.admin, "users", "reader", leaked_rev)
    with pytest.raises(AuthFailed):
        accounts.authenticate("reader", "Leaked-old-pass-1")
    assert accounts.authenticate("reader", "Fresh-new-pass-2").login == "reader"


def test_system_records_cannot_be_restored() -> None:
    world = make_world()
    with pytest.raises(PermissionDenied):
        world.services.audit.restore(world.admin, "meta", "admins", 1)


# -- 3. a draft is seen by its own branch only ----------------------------------------------


def _draft_with_secret(world: World) -> str:
    plan = world.good_plan(0)
    plan["goals"] = plan["goals"] + DRAFT_SECRET
    draft = world.services.submissions.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type="plan", data=plan
    )
    return draft.id


def _audit_text(world: World, submission_id: str) -> str:
    audit = world.services.audit
    rows = audit.rows(world.admin)
    parts = [row.changes_text for row in rows]  # the table and its CSV download
    parts += [str(e) for e in audit.events(world.admin, kind="submissions")]
    history = audit.history(world.admin, "submissions", submission_id)
    parts += [str(d) for d in history]
    for doc in history:
        changes = audit.revision_changes(world.admin, "submissions", submission_id, doc["rev"])
        parts += [f"{c.old} {c.new}" for c in changes]
    return "\n".join(parts)


def test_audit_log_never_shows_draft_text_to_admins() -> None:
    world = make_world()
    draft_id = _draft_with_secret(world)
    assert DRAFT_SECRET not in _audit_text(world, draft_id)
    draft = world.services.submissions.get(world.staff[0], draft_id)
    world.services.submissions.submit(world.staff[0], draft_id, draft.rev)
    assert DRAFT_SECRET in _audit_text(world, draft_id)  # submitted: now everyone's to read


def test_returned_plan_being_revised_shows_reviewers_only_what_was_submitted() -> None:
    world = make_world()
    subs = world.services.submissions
    plan = world.submitted_plan(0)
    returned = subs.return_(world.reviewer, plan.id, plan.rev, "请重写目标")
    revised = {**returned.data, "goals": returned.data["goals"] + DRAFT_SECRET}
    subs.save_draft(
        world.staff[0],
        campaign_id=world.campaign.id,
        form_type="plan",
        data=revised,
        submission_id=plan.id,
        expected_rev=returned.rev,
    )
    assert DRAFT_SECRET in subs.get(world.staff[0], plan.id).data["goals"]
    for reader in (world.reviewer, world.admin, world.reader):
        assert DRAFT_SECRET not in str(subs.get(reader, plan.id).data)
        assert DRAFT_SECRET not in str(
            [s.data for s in subs.list(reader, campaign_id=plan.campaign_id)]
        )
    assert DRAFT_SECRET not in _audit_text(world, plan.id)


def test_impact_preview_is_no_oracle_over_drafts() -> None:
    world = make_world()
    world.submitted_plan(1)
    _draft_with_secret(world)
    probe = engine.resolve_path("plan_quality").read_text(encoding="utf-8")
    probe = probe.replace("rules:\n", "rules:\n" + _PROBE_RULE, 1)
    total, rows = world.services.batch_checks.preview_impact(world.reviewer, "plan_quality", probe)
    assert total == 1  # the submitted plan only; the draft is not evaluated
    assert all(row.branch_id != world.branches[0].id for row in rows)
    admin_total, admin_rows = world.services.batch_checks.preview_impact(
        world.admin, "plan_quality", probe
    )
    assert (admin_total, [r.submission_id for r in admin_rows]) == (1, [])


_PROBE_RULE = f"""  - id: probe
    expression: "not (goals =~ '.*{DRAFT_SECRET}.*')"
    fields: [goals]
    message:
      zh: 探测
      en: probe

"""


# -- 4. the reviewer does not choose the spot-check sample ----------------------------------


def test_spot_check_seed_comes_from_the_system_and_is_recorded_first() -> None:
    world = make_world()
    for i in range(3):
        world.submitted_plan(i)
    checks = world.services.spot_checks
    with pytest.raises(TypeError):
        checks.draw(world.reviewer, campaign_id=world.campaign.id, count=1, seed=0)  # type: ignore[call-arg]
    drawn = checks.draw(world.reviewer, campaign_id=world.campaign.id, count=1)
    stored = world.repo.get("spot_checks", drawn.id)
    assert stored is not None and stored["seed"] == drawn.seed
    assert stored["sample"] == drawn.sample
    assert checks.reproduce(world.reader, drawn.id) == drawn.sample
    seeds = {
        checks.draw(world.reviewer, campaign_id=world.campaign.id, count=1).seed for _ in range(5)
    }
    assert len(seeds) > 1


# -- 6. a disabled account stops at once ----------------------------------------------------


def test_disabled_user_cannot_download_with_the_user_object_a_callback_kept() -> None:
    world = make_world()
    plan = world.submitted_plan(0)
    kept = world.reviewer  # what a download button's callback closed over
    assert world.services.documents.submission_pdf(kept, plan.id).startswith(b"%PDF")
    accounts = world.services.accounts
    stored = accounts.get_user(world.admin, "reviewer")
    accounts.update_user(world.admin, stored.model_copy(update={"active": False}), stored.rev)
    with pytest.raises(SessionEnded):
        world.services.documents.submission_pdf(kept, plan.id)
    with pytest.raises(SessionEnded):
        world.services.submissions.list(kept, campaign_id=world.campaign.id)


def test_a_demoted_admin_with_an_old_user_object_cannot_manage_accounts() -> None:
    world = make_world()
    boss = _promoted_admin(world)
    stored = world.services.accounts.get_user(world.admin, "boss")
    world.services.accounts.update_user(
        world.admin, stored.model_copy(update={"role": Role.READER}), stored.rev
    )
    with pytest.raises(PermissionDenied):
        world.services.accounts.create_user(
            boss, login="mole", display_name="x", role=Role.ADMIN, password=PASSWORD
        )
    assert world.repo.get("users", "mole") is None

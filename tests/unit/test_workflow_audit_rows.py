"""The audit log rows the admin page shows: display-ready, in the reader's language."""

from __future__ import annotations

from tests.unit.workflow_world import make_world


def test_password_change_is_listed_without_the_hash() -> None:
    world = make_world()
    world.services.accounts.set_password(world.admin, "branch1", "another-horse-2")
    rows = world.services.audit.rows(world.admin, kind="users")
    newest = rows[0]
    assert (newest.action, newest.kind, newest.record) == ("修改", "账号", "branch1")
    assert [(c.label, c.old, c.new) for c in newest.changes] == [("密码", "***", "***")]
    assert "argon2" not in repr(rows)


def test_submission_rows_name_the_branch_form_version_and_changed_fields_in_english() -> None:
    world = make_world()
    plan = world.submitted_plan(1)
    reader = world.services.accounts.set_language(world.admin, "en")
    row = world.services.audit.rows(reader, kind="submissions")[0]
    assert (row.action, row.kind) == ("Changed", "Submission")
    assert row.record == f"{world.branches[1].name} · Branch implementation plan · v1"
    changed = {c.label: (c.old, c.new) for c in row.changes}
    assert changed["Status"] == ("Draft", "Awaiting review")
    assert changed["Submitted version"] == ("0", "1")
    assert plan.rev == row.rev

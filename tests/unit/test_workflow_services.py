"""Every service a page needs is in ``workflow/`` and reachable from ``Services``: first-run
setup, the audit log and attachments run over the same store as the rest."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher

from storage.memory import MemoryRepository
from tests.sample_files import PNG
from workflow.errors import PermissionDenied
from workflow.services import build_services
from workflow.setup import create_first_admin


@dataclass
class _Upload:
    path: str
    name: str
    content_type: str
    data: bytes


FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def test_setup_audit_and_attachments_are_services_over_the_same_store() -> None:
    repo = MemoryRepository()
    services = build_services(repo, hasher=FAST)
    assert services.setup.needs_setup()
    token = services.setup.token()
    assert token
    admin = services.setup.create_first_admin(
        token=token, login="admin", display_name="管理员", password="correct-horse-1"
    )
    assert not services.setup.needs_setup()
    with pytest.raises(PermissionDenied):  # a second "first" admin is refused
        services.setup.create_first_admin(
            token=token, login="x", display_name="x", password="correct-horse-1"
        )
    assert "users" in services.audit.kinds(admin)
    assert services.audit.events(admin, kind="users")[0]["new"]["password_hash"] == "***"
    with pytest.raises(PermissionDenied):  # the audit log is for administrators only
        services.audit.kinds(admin.model_copy(update={"role": "reader"}))


def test_attachment_service_stores_the_bytes_and_refuses_non_branch_staff() -> None:
    repo = MemoryRepository()
    services = build_services(repo, hasher=FAST)
    admin = create_first_admin(
        repo, login="admin", display_name="管理员", password="correct-horse-1", hasher=FAST
    )
    branch = services.branches.create(admin, {"name": "教务处党支部", "member_count": 10})
    staff = services.accounts.create_user(
        admin,
        login="staff",
        display_name="书记",
        role="branch",
        password="correct-horse-1",
        branch_id=branch.id,
    )
    upload = _Upload("attachments", "签到表.png", "image/png", PNG)
    data = services.attachments.attach(
        staff, services.forms.get("study_session"), {"topic": "学习"}, [upload, upload]
    )
    (record,) = data["attachments"]
    assert record["name"] == "签到表.png" and record["size"] == len(upload.data)
    assert repo.get_blob(record["blob"]) == upload.data
    with pytest.raises(PermissionDenied):
        services.attachments.attach(admin, services.forms.get("study_session"), {}, [upload])

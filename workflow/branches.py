"""Branches (党支部): read by everyone, written by admins."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from i18n import Lang, t
from storage.base import Repository
from workflow import permissions
from workflow.errors import NotFound, ValidationFailed
from workflow.model_errors import errors_by_field
from workflow.models import Branch, User
from workflow.store_calls import stored_update

KIND = "branches"
CENTRAL_WORK = ("校庆", "本科教学评估", "学科建设", "学位点建设", "其他")


class BranchService:
    """Branches in kind ``branches``; names are unique."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def list(self) -> list[Branch]:
        """Every branch, by name."""
        return sorted(
            (Branch.model_validate(d) for d in self.repo.find(KIND)), key=lambda b: b.name
        )

    def get(self, id: str) -> Branch:
        """One branch; raises ``NotFound``."""
        doc = self.repo.get(KIND, id)
        if doc is None:
            raise NotFound(KIND, id)
        return Branch.model_validate(doc)

    def create(self, actor: User, branch: Branch | Mapping[str, Any]) -> Branch:
        """Store a new branch (admins only); ``ValidationFailed`` names the field (a name
        already used, a member count out of range, an unknown central-work tie)."""
        permissions.require(
            permissions.may_manage_branches(actor), actor, "workflow.denied.branches"
        )
        return self.insert_branch(branch, actor=actor.login, lang=actor.lang)

    def insert_branch(
        self, branch: Branch | Mapping[str, Any], *, actor: str, lang: Lang = "zh"
    ) -> Branch:
        """Validate and store a new branch without a permission check (setup and CLI use)."""
        new = self._parse(branch, lang)
        self._check(new, lang, own_id=None)
        doc = new.model_dump(mode="json", exclude={"rev", "updated_at", "updated_by"})
        if not doc["id"]:
            del doc["id"]
        return Branch.model_validate(self.repo.insert(KIND, doc, actor=actor))

    def update(self, actor: User, branch: Branch | Mapping[str, Any], expected_rev: int) -> Branch:
        """Replace a branch's fields (admins only); raises ``Conflict`` on a stale revision."""
        permissions.require(
            permissions.may_manage_branches(actor), actor, "workflow.denied.branches"
        )
        new = self._parse(branch, actor.lang)
        self.get(new.id)
        self._check(new, actor.lang, own_id=new.id)
        return Branch.model_validate(
            stored_update(
                self.repo,
                KIND,
                new.model_dump(mode="json"),
                actor=actor.login,
                expected_rev=expected_rev,
            )
        )

    @staticmethod
    def _parse(branch: Branch | Mapping[str, Any], lang: Lang) -> Branch:
        try:
            data = branch.model_dump() if isinstance(branch, Branch) else dict(branch)
            return Branch.model_validate(data)
        except ValidationError as error:
            raise ValidationFailed(errors_by_field(error, lang)) from None

    def _check(self, branch: Branch, lang: Lang, own_id: str | None) -> None:
        errors: dict[str, str] = {}
        name = branch.name.strip()
        if any(b.name.strip() == name and b.id != own_id for b in self.list()):
            errors["name"] = t("workflow.branch.name_taken", lang, name=name)
        unknown = [w for w in branch.central_work if w not in CENTRAL_WORK]
        if unknown:
            errors["central_work"] = t(
                "workflow.branch.central_work_unknown",
                lang,
                value="、".join(unknown),
                choices="、".join(CENTRAL_WORK),
            )
        if errors:
            raise ValidationFailed(errors)

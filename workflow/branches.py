"""Branches (党支部): read by everyone, written by admins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, get_args

from forms.launch import CentralWork
from i18n import Lang, t
from workflow import permissions
from workflow.admin_records import AdminRecordService
from workflow.choice_sources import choice_lists
from workflow.errors import ValidationFailed
from workflow.models import Branch, Campaign, User

KIND = "branches"
# The plan form's choices: a branch is tied to the same central work its plan can name.
CENTRAL_WORK: tuple[str, ...] = get_args(CentralWork)


class BranchService(AdminRecordService[Branch]):
    """Branches in kind ``branches``; names are unique."""

    kind = KIND
    model = Branch
    may_manage = staticmethod(permissions.may_manage_branches)
    denied_key = "workflow.denied.branches"

    def list(self) -> list[Branch]:
        """Every branch, by name."""
        return sorted(
            (Branch.model_validate(d) for d in self.repo.find(KIND)), key=lambda b: b.name
        )

    def of_campaign(self, campaign: Campaign) -> Sequence[Branch]:
        """The branches taking part in ``campaign`` (every branch when it names none), by
        name; a named branch deleted since is left out."""
        branches = self.list()
        if not campaign.branch_ids:
            return branches
        taking_part = set(campaign.branch_ids)
        return [b for b in branches if b.id in taking_part]

    def choices(self, actor: User) -> dict[str, Sequence[str]]:
        """The lists form fields with ``choices=`` pick from, as offered to ``actor``: the
        other branches' names (``workflow.choice_sources``)."""
        return dict(choice_lists(self.repo, actor.branch_id)) if actor.active else {}

    def create(self, actor: User, branch: Branch | Mapping[str, Any]) -> Branch:
        """Store a new branch (admins only); ``ValidationFailed`` names the field (a name
        already used, a member count out of range, an unknown central-work tie)."""
        return super().create(actor, branch)

    def insert_branch(
        self, branch: Branch | Mapping[str, Any], *, actor: str, lang: Lang = "zh"
    ) -> Branch:
        """Validate and store a new branch without a permission check (setup and CLI use)."""
        return self._insert(branch, actor=actor, lang=lang)

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

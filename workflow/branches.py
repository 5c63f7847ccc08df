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
        return super().create(actor, _new(branch))

    def insert_branch(
        self, branch: Branch | Mapping[str, Any], *, actor: str, lang: Lang = "zh"
    ) -> Branch:
        """Validate and store a new branch without a permission check (setup and CLI use)."""
        return self._insert(_new(branch), actor=actor, lang=lang)

    def update(self, actor: User, record: Branch | Mapping[str, Any], expected_rev: int) -> Branch:
        """Change a branch (admins only); a new name keeps the old one among
        ``former_names``, whatever former names the caller sent."""
        data = record.model_dump() if isinstance(record, Branch) else dict(record)
        stored = self.repo.get(KIND, str(data.get("id") or ""))
        if stored is not None:
            data["former_names"] = _renamed(Branch.model_validate(stored), str(data.get("name")))
        return super().update(actor, data, expected_rev)

    def check_restore(self, id: str, data: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
        """As ``AdminRecordService.check_restore``; the restored revision keeps every former
        name the branch has had, and the current name when it goes back to an earlier one."""
        stored = self.repo.get(KIND, id)
        if stored is not None:
            former = _renamed(Branch.model_validate(stored), str(data.get("name")))
            data = {**data, "former_names": former}
        return super().check_restore(id, data, lang)

    def _check(self, branch: Branch, lang: Lang, own_id: str | None) -> None:
        errors: dict[str, str] = {}
        name = branch.name.strip()
        others = [b for b in self.list() if b.id != own_id]
        holder = next((b for b in others if name in b.former_names), None)
        if any(b.name.strip() == name for b in others):
            errors["name"] = t("workflow.branch.name_taken", lang, name=name)
        elif holder is not None:
            errors["name"] = t("workflow.branch.name_former", lang, name=name, holder=holder.name)
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


def _new(branch: Branch | Mapping[str, Any]) -> dict[str, Any]:
    """A new branch's data: it has had no other name (``former_names`` is the service's)."""
    data = branch.model_dump() if isinstance(branch, Branch) else dict(branch)
    return {**data, "former_names": []}


def _renamed(stored: Branch, name: str) -> list[str]:
    """``stored``'s former names once it is called ``name``: its current name joins them when
    it changes, and ``name`` leaves them when the branch takes an earlier name back."""
    former = [n for n in stored.former_names if n != name.strip()]
    old = stored.name.strip()
    if old != name.strip() and old not in former:
        former.append(old)
    return former

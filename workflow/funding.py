"""The funding ledger (经费台账) of a campaign's demo sites (S5).

Reviewers grant approved sites money from the campaign budget (the setting ``budget``); a site's
own branch records what it spent, each spending with its receipts (uploads, checked by
``AttachmentService``). Neither balance goes below zero — the budget left to grant, and each
site's granted money left to spend — also when several people write at once: the ledger is one
document per campaign, changed only by ``store_calls.change_document``, so every balance is
checked on the revision the new entry is written on. Everything is exported as one Excel file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from forms.base import DEFAULT_MAX_BYTES, Attachment, FormModel
from forms.fields import field
from i18n import Lang, format_time, t
from reports.excel import Sheet, workbook
from storage.base import Document, Repository
from workflow import permissions
from workflow.accounts import acting_user
from workflow.attachments import AttachmentService, Upload
from workflow.campaigns import CampaignService
from workflow.clock import now_iso
from workflow.demo_site_register import DemoSiteRegister
from workflow.demo_site_states import DemoSite
from workflow.errors import NotFound, ValidationFailed
from workflow.models import Campaign, Record, User
from workflow.store_calls import change_document

KIND = "ledgers"
MAX_AMOUNT = 10_000_000  # one entry; more is a typing slip


class LedgerEntry(BaseModel):
    """One line of the ledger: a grant to a site or a spending of it."""

    no: int
    kind: Literal["grant", "spend"]
    submission_id: str
    branch_id: str
    amount: float
    note: str = ""
    receipts: list[Attachment] = Field(default_factory=list)
    by: str
    at: str


class Ledger(Record):
    """Every entry of one campaign, oldest first."""

    campaign_id: str
    entries: list[LedgerEntry] = Field(default_factory=list)

    def granted(self, submission_id: str | None = None) -> float:
        """Money granted (to one site, or in all)."""
        return _sum(self.entries, "grant", submission_id)

    def spent(self, submission_id: str | None = None) -> float:
        """Money spent (by one site, or in all)."""
        return _sum(self.entries, "spend", submission_id)


class Receipts(FormModel):
    """Where a spending's receipts go: the upload checks read this field's types and size."""

    receipts: list[Attachment] = field(
        "收据",
        en="Receipts",
        widget="file",
        accept=[".jpg", ".jpeg", ".png", ".pdf"],
        max_bytes=DEFAULT_MAX_BYTES,
        default_factory=list,
    )


class SiteFunds(BaseModel):
    """One site's money: granted, spent and what is left to spend."""

    site: DemoSite
    granted: float
    spent: float

    @property
    def balance(self) -> float:
        return round(self.granted - self.spent, 2)


class FundingSummary(BaseModel):
    """The campaign's budget, what was granted and spent, and each site's part."""

    budget: float
    granted: float
    spent: float
    sites: list[SiteFunds]

    @property
    def left_to_grant(self) -> float:
        return round(self.budget - self.granted, 2)


class FundingService:
    """Grants, spending with receipts, balances and the Excel export of the ledger."""

    def __init__(
        self,
        repo: Repository,
        campaigns: CampaignService,
        sites: DemoSiteRegister,
        attachments: AttachmentService,
    ) -> None:
        self.repo = repo
        self.campaigns = campaigns
        self.sites = sites
        self.attachments = attachments
        campaigns.checks.append(self.budget_errors)  # no budget below what was granted

    # -- reading ---------------------------------------------------------------------------

    def ledger(self, actor: User, campaign_id: str) -> Ledger:
        """The campaign's ledger: whole for reviewers, admins and readers; a branch's staff
        see the entries of their own sites only."""
        ledger = self._ledger(campaign_id)
        if permissions.may_view_ledger(actor):
            return ledger
        ledger.entries = [
            e for e in ledger.entries if permissions.may_view_branch_records(actor, e.branch_id)
        ]
        return ledger

    def receipt(self, actor: User, campaign_id: str, blob: str) -> bytes:
        """The bytes of one receipt of an entry ``actor`` may see in the ledger (see
        ``ledger``); a key no such entry refers to is ``NotFound``, so nobody fetches another
        branch's receipt by guessing its key."""
        actor = acting_user(self.repo, actor)
        if not any(
            r.blob == blob for e in self.ledger(actor, campaign_id).entries for r in e.receipts
        ):
            raise NotFound("blob", blob)
        return self.repo.get_blob(blob)

    def summary(self, actor: User, campaign_id: str) -> FundingSummary:
        """Budget, granted, spent and every site's balance (a branch: its own sites)."""
        campaign = self.campaigns.get(campaign_id)
        ledger = self._ledger(campaign_id)
        visible = [
            s
            for s in self.sites.sites(campaign_id)
            if permissions.may_view_ledger(actor)
            or permissions.may_view_branch_records(actor, s.branch_id)
        ]
        return FundingSummary(
            budget=campaign.settings.budget,
            granted=ledger.granted(),
            spent=ledger.spent(),
            sites=[
                SiteFunds(
                    site=s,
                    granted=ledger.granted(s.submission_id),
                    spent=ledger.spent(s.submission_id),
                )
                for s in visible
            ],
        )

    def budget_errors(self, campaign: Campaign, lang: Lang) -> dict[str, str]:
        """``settings.budget`` → why, when ``campaign``'s budget is below what its sites were
        already granted (granted money is not taken back, and 剩余 would go negative); run by
        ``CampaignService`` before a campaign is stored, so nothing is stored then."""
        granted = self._ledger(campaign.id).granted() if campaign.id else 0
        if round(campaign.settings.budget, 2) >= granted:
            return {}
        message = t("demo_sites.funds.budget_below_granted", lang, granted=_yuan(granted))
        return {"settings.budget": message}

    # -- writing ---------------------------------------------------------------------------

    def grant(
        self, actor: User, campaign_id: str, submission_id: str, amount: float, note: str = ""
    ) -> LedgerEntry:
        """Grant an approved site ``amount`` yuan from the campaign budget (reviewers not of
        the site's branch; ``PermissionDenied`` saying so for one who is).

        ``ValidationFailed`` at ``amount`` when it is not a positive sum of yuan and fen or
        exceeds the budget left to grant (the message says how much is left); nothing is stored.
        """
        actor = acting_user(self.repo, actor)
        site = self.sites.site(campaign_id, submission_id)
        permissions.require_grant_funds(actor, site.branch_id)
        amount = _amount(amount, actor.lang)

        def check(ledger: Ledger) -> None:
            # the budget as it is now, on every attempt: an admin may have just changed it
            budget = self.campaigns.get(campaign_id).settings.budget
            left = round(budget - ledger.granted(), 2)
            if amount > left:
                message = t("demo_sites.funds.over_budget", actor.lang, left=_yuan(left))
                raise ValidationFailed({"amount": message}, actor.lang)

        with self.campaigns.writing():  # no budget change between the check and the grant
            return self._append(actor, campaign_id, site, "grant", amount, note, [], check)

    def spend(
        self,
        actor: User,
        campaign_id: str,
        submission_id: str,
        amount: float,
        note: str,
        receipts: Iterable[Upload],
    ) -> LedgerEntry:
        """Record that the site's branch spent ``amount`` yuan, with at least one receipt.

        Only the site's own staff record spending. ``ValidationFailed`` names the field: an
        amount over the site's balance (granted minus spent), no receipt, a receipt that is not
        the image or PDF it claims to be, an empty purpose. Nothing is stored then.
        """
        site = self.sites.site(campaign_id, submission_id)
        permissions.require(
            permissions.may_carry_out_demo_site(actor, site.branch_id),
            actor,
            "demo_sites.denied.spend",
        )
        amount = _amount(amount, actor.lang)
        if not note.strip():
            raise ValidationFailed({"note": t("demo_sites.funds.note_required", actor.lang)})
        uploads = [_ReceiptUpload(u.name, u.content_type, u.data) for u in receipts]
        if not uploads:
            raise ValidationFailed(
                {"receipts": t("demo_sites.funds.receipt_required", actor.lang)}, actor.lang
            )
        stored = self.attachments.attach(actor, Receipts, {"receipts": []}, uploads)
        records = [Attachment.model_validate(r) for r in stored["receipts"]]

        def check(ledger: Ledger) -> None:
            left = round(ledger.granted(site.submission_id) - ledger.spent(site.submission_id), 2)
            if amount > left:
                message = t("demo_sites.funds.over_balance", actor.lang, left=_yuan(left))
                raise ValidationFailed({"amount": message}, actor.lang)

        return self._append(actor, campaign_id, site, "spend", amount, note, records, check)

    # -- export ----------------------------------------------------------------------------

    def export_xlsx(self, actor: User, campaign_id: str, names: dict[str, str]) -> bytes:
        """The ledger as an Excel file: a sheet of the sites' balances, one of every entry
        (``names``: branch id → name). What ``actor`` may see, in ``actor``'s language."""
        lang = actor.lang
        summary = self.summary(actor, campaign_id)
        ledger = self.ledger(actor, campaign_id)
        titles = {s.site.submission_id: s.site.title for s in summary.sites}

        def label(key: str) -> str:
            return t(f"demo_sites.funds.col.{key}", lang)

        balances = Sheet(
            t("demo_sites.funds.sheet.balances", lang),
            [label(k) for k in ("branch", "site", "state", "granted", "spent", "balance")],
            [
                [
                    names.get(s.site.branch_id, s.site.branch_id),
                    s.site.title,
                    t(f"demo_sites.state.{s.site.state.value}", lang),
                    s.granted,
                    s.spent,
                    s.balance,
                ]
                for s in summary.sites
            ],
        )
        entries = Sheet(
            t("demo_sites.funds.sheet.entries", lang),
            [
                label(k)
                for k in ("no", "at", "kind", "branch", "site", "amount", "note", "receipts", "by")
            ],
            [
                [
                    e.no,
                    format_time(e.at),
                    t(f"demo_sites.funds.kind.{e.kind}", lang),
                    names.get(e.branch_id, e.branch_id),
                    titles.get(e.submission_id, ""),
                    e.amount,
                    e.note,
                    "、".join(r.name for r in e.receipts),
                    e.by,
                ]
                for e in ledger.entries
            ],
        )
        return workbook([balances, entries])

    # -- internals -------------------------------------------------------------------------

    def _ledger(self, campaign_id: str) -> Ledger:
        doc = self.repo.get(KIND, campaign_id)
        return Ledger.model_validate(doc) if doc else Ledger(campaign_id=campaign_id)

    def _append(
        self,
        actor: User,
        campaign_id: str,
        site: DemoSite,
        kind: Literal["grant", "spend"],
        amount: float,
        note: str,
        receipts: list[Attachment],
        check: Callable[[Ledger], None],
    ) -> LedgerEntry:
        entry: LedgerEntry | None = None

        def add(doc: Document) -> Document:
            nonlocal entry
            ledger = Ledger.model_validate(doc)
            check(ledger)
            entry = LedgerEntry(
                no=len(ledger.entries) + 1,
                kind=kind,
                submission_id=site.submission_id,
                branch_id=site.branch_id,
                amount=amount,
                note=note.strip()[:500],
                receipts=receipts,
                by=actor.login,
                at=now_iso(),
            )
            ledger.entries.append(entry)
            return ledger.model_dump(mode="json")

        empty = Ledger(campaign_id=campaign_id).model_dump(
            mode="json", exclude={"id", "rev", "updated_at", "updated_by"}
        )
        change_document(self.repo, KIND, campaign_id, add, actor=actor.login, empty=empty)
        assert entry is not None
        return entry


@dataclass
class _ReceiptUpload:
    """A receipt as the attachment service takes it: always at the ``receipts`` field."""

    name: str
    content_type: str
    data: bytes
    path: str = "receipts"


def _sum(entries: list[LedgerEntry], kind: str, submission_id: str | None) -> float:
    total = sum(
        e.amount
        for e in entries
        if e.kind == kind and (submission_id is None or e.submission_id == submission_id)
    )
    return round(total, 2)


def _amount(value: float, lang: Lang) -> float:
    """A positive sum of yuan and fen, or ``ValidationFailed`` at ``amount`` saying so."""
    try:
        amount = float(value)
    except (TypeError, ValueError):
        amount = math.nan
    if not math.isfinite(amount) or amount <= 0 or amount > MAX_AMOUNT:
        message = t("demo_sites.funds.amount_invalid", lang, max=_yuan(MAX_AMOUNT))
        raise ValidationFailed({"amount": message}, lang)
    if round(amount, 2) != amount:
        raise ValidationFailed({"amount": t("demo_sites.funds.amount_fen", lang)}, lang)
    return amount


def _yuan(value: float) -> str:
    return f"{value:,.2f}"

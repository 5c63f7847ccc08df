"""《机关工作简报》 (S10): admins compose an issue from published news, preview it as PDF and
issue it; issued issues are numbered per year, frozen, and readable by every account.

An issue is a draft while it is composed (pick reports, order them, edit the summary printed
for each). Issuing gives it the next number of its year — reserved by inserting a document
whose id is ``<year>-<number>``, so two admins issuing at once never get the same number —
renders the PDF once and stores it: what was issued is what everyone downloads, whatever
changes later.
"""

from __future__ import annotations

import builtins
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from forms.explain import explain
from forms.thumbnails import PRINT
from i18n import t
from reports.bulletin import Bulletin, BulletinArticle, BulletinImage, build_bulletin_pdf
from storage import errors as storage_errors
from storage.base import Repository
from workflow import permissions
from workflow.accounts import acting_user
from workflow.clock import now_iso
from workflow.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from workflow.models import BulletinIssue, BulletinPick, User
from workflow.news import ColumnEntry, NewsService
from workflow.store_calls import stored_update

KIND = "bulletins"
NUMBERS = "bulletin_numbers"
MAX_PICKS = 30
# Numbers tried when issuing before giving up (each try loses only to a concurrent issue).
NUMBER_TRIES = 50
SUMMARY_CHARS = 300
_PARAGRAPHS = re.compile(r"\n\s*\n")


class BulletinService:
    """Compose, preview, issue and read bulletin issues."""

    def __init__(self, repo: Repository, news: NewsService) -> None:
        self.repo = repo
        self.news = news

    # -- composing (admins) ----------------------------------------------------------------

    def create(self, actor: User, *, date: dt.date, title: str = "") -> BulletinIssue:
        """A new draft issue dated ``date`` (its year numbers it)."""
        self._require_compose(actor)
        issue = BulletinIssue(
            year=date.year, date=date, title=title.strip() or "机关工作简报", created_by=actor.login
        )
        doc = issue.model_dump(mode="json", exclude={"id", "rev", "updated_at", "updated_by"})
        return BulletinIssue.model_validate(self.repo.insert(KIND, doc, actor=actor.login))

    def compose(
        self,
        actor: User,
        issue_id: str,
        expected_rev: int,
        picks: Iterable[BulletinPick | Mapping[str, Any]],
    ) -> BulletinIssue:
        """Set the reports of a draft, in print order, each with its summary (an empty
        summary prints the report's opening). Only published reports, each once, at most
        ``MAX_PICKS`` (``ValidationFailed``, nothing stored)."""
        self._require_compose(actor)
        issue = self._draft(actor, issue_id)
        issue.picks = self._checked_picks(actor, picks)
        return self._save(issue, actor, expected_rev)

    def default_summary(self, entry: ColumnEntry) -> str:
        """What a pick prints when the admin wrote no summary: the report's first paragraph,
        cut at ``SUMMARY_CHARS`` characters."""
        first = _PARAGRAPHS.split(entry.body.strip(), maxsplit=1)[0].strip()
        return first if len(first) <= SUMMARY_CHARS else first[:SUMMARY_CHARS] + "……"

    def preview(
        self,
        actor: User,
        issue_id: str,
        picks: Iterable[BulletinPick | Mapping[str, Any]] | None = None,
    ) -> bytes:
        """The PDF a draft would be issued as, numbered with its year's next number.

        ``picks``: the reports and summaries as the editor shows them now, saved or not,
        checked as ``compose`` checks them (``ValidationFailed``) but not stored; None: the
        draft as last saved."""
        self._require_compose(actor)
        issue = self._draft(actor, issue_id)
        if picks is not None:
            issue.picks = self._checked_picks(actor, picks)
        return self._pdf(actor, issue, self.next_number(issue.year))

    def issue(
        self,
        actor: User,
        issue_id: str,
        expected_rev: int,
        picks: Iterable[BulletinPick | Mapping[str, Any]] | None = None,
    ) -> BulletinIssue:
        """Number, render and freeze a draft; from then on it is read-only for everyone.

        ``picks``: the reports and summaries as the editor shows them now; checked as
        ``compose`` checks them and stored with the issue in the same write, so what is
        issued is exactly what was on screen (None: the draft as last saved)."""
        self._require_compose(actor)
        issue = self._draft(actor, issue_id)
        if picks is not None:
            issue.picks = self._checked_picks(actor, picks)
        if not issue.picks:
            raise ValidationFailed({"picks": t("news.bulletin.empty", actor.lang)}, actor.lang)
        if issue.rev != expected_rev:
            raise Conflict(KIND, issue.id, expected_rev, issue.model_dump(mode="json"))
        number, reservation = self._reserve_number(actor, issue)
        try:
            pdf = self._pdf(actor, issue, number)
            issue.headlines = [self.news.entry(actor, p.submission_id).title for p in issue.picks]
            issue.number, issue.status = number, "issued"
            issue.pdf_blob = self.repo.put_blob(pdf)
            issue.issued_by, issue.issued_at = actor.login, now_iso()
            return self._save(issue, actor, expected_rev)
        except Exception:  # nothing was issued: give the number back, leave no gap
            self.repo.delete(NUMBERS, reservation["id"], actor=actor.login, expected_rev=1)
            raise

    def next_number(self, year: int) -> int:
        """The number the next issue of ``year`` would get."""
        taken = [int(d.get("number") or 0) for d in self.repo.find(NUMBERS, {"year": year})]
        return max(taken, default=0) + 1

    # -- reading ---------------------------------------------------------------------------

    def drafts(self, actor: User) -> builtins.list[BulletinIssue]:
        """The issues being composed (admins), oldest first."""
        self._require_compose(actor)
        return [BulletinIssue.model_validate(d) for d in self.repo.find(KIND, {"status": "draft"})]

    def archive(self, actor: User) -> builtins.list[BulletinIssue]:
        """The issued issues, newest first (year, then number); every active account."""
        permissions.require(permissions.may_read_column(actor), actor, "news.denied.column")
        issued = [
            BulletinIssue.model_validate(d) for d in self.repo.find(KIND, {"status": "issued"})
        ]
        return sorted(issued, key=lambda i: (i.year, i.number or 0), reverse=True)

    def get(self, actor: User, issue_id: str) -> BulletinIssue:
        """One issue: issued ones for every account, drafts for admins."""
        doc = self.repo.get(KIND, issue_id)
        if doc is None:
            raise NotFound(KIND, issue_id)
        issue = BulletinIssue.model_validate(doc)
        if issue.status == "issued":
            permissions.require(permissions.may_read_column(actor), actor, "news.denied.column")
        else:
            self._require_compose(actor)
        return issue

    def pdf(self, actor: User, issue_id: str) -> bytes:
        """The PDF of an issued issue, exactly as issued."""
        issue = self.get(actor, issue_id)
        if issue.status != "issued":
            raise InvalidTransition.keyed("news.bulletin.not_issued", actor.lang)
        return self.repo.get_blob(issue.pdf_blob)

    @staticmethod
    def filename(issue: BulletinIssue) -> str:
        """``机关工作简报-2026-第3期.pdf``."""
        return f"{issue.title}-{issue.year}-第{issue.number}期.pdf"

    # -- internals -------------------------------------------------------------------------

    def _checked_picks(
        self, actor: User, picks: Iterable[BulletinPick | Mapping[str, Any]]
    ) -> builtins.list[BulletinPick]:
        """``picks`` as ``BulletinPick``s, in their order: only published reports, each once,
        at most ``MAX_PICKS``, each summary within its length (``ValidationFailed``)."""
        lang = actor.lang
        try:
            chosen = [
                p if isinstance(p, BulletinPick) else BulletinPick.model_validate(p) for p in picks
            ]
        except ValidationError as error:
            raise ValidationFailed(explain(error, BulletinPick, lang), lang) from None
        if len(chosen) > MAX_PICKS:
            raise ValidationFailed({"picks": t("news.bulletin.too_many", lang, n=MAX_PICKS)}, lang)
        seen: set[str] = set()
        for pick in chosen:
            if pick.submission_id in seen:
                raise ValidationFailed({"picks": t("news.bulletin.twice", lang)}, lang)
            seen.add(pick.submission_id)
            try:
                self.news.entry(actor, pick.submission_id)
            except NotFound:
                raise ValidationFailed(
                    {"picks": t("news.bulletin.not_published", lang)}, lang
                ) from None
        return chosen

    def _require_compose(self, actor: User) -> None:
        acting_user(self.repo, actor)  # a session signed out or changed since cannot act
        permissions.require(permissions.may_compose_bulletin(actor), actor, "news.denied.bulletin")

    def _draft(self, actor: User, issue_id: str) -> BulletinIssue:
        issue = self.get(actor, issue_id)
        if issue.status != "draft":
            raise InvalidTransition.keyed("news.bulletin.frozen", actor.lang, n=issue.number)
        return issue

    def _reserve_number(self, actor: User, issue: BulletinIssue) -> tuple[int, dict[str, Any]]:
        number = self.next_number(issue.year)
        for _ in range(NUMBER_TRIES):
            doc = {"id": f"{issue.year}-{number}", "year": issue.year, "number": number}
            try:
                return number, self.repo.insert(
                    NUMBERS, dict(doc, issue_id=issue.id), actor=actor.login
                )
            except storage_errors.AlreadyExists:
                number += 1
        raise InvalidTransition.keyed("news.bulletin.busy", actor.lang)

    def _pdf(self, actor: User, issue: BulletinIssue, number: int) -> bytes:
        articles = [self._article(actor, pick) for pick in issue.picks]
        data = Bulletin(
            title=issue.title,
            issue=number,
            date=issue.date,
            publisher=issue.publisher,
            reports=articles,
        )
        return build_bulletin_pdf(data, meta={"author": actor.login}, lang=actor.lang)

    def _article(self, actor: User, pick: BulletinPick) -> BulletinArticle:
        entry = self.news.entry(actor, pick.submission_id)
        images = [
            BulletinImage(
                data=self.news.image(actor, entry.id, image.blob, longest=PRINT),
                caption=image.caption,
            )
            for image in entry.images
        ]
        try:
            return BulletinArticle(
                title=entry.title,
                branch=entry.branch,
                category=entry.category,
                date=entry.date or None,
                body=pick.summary.strip() or self.default_summary(entry),
                author=entry.author,
                photographer=entry.photographer,
                reviewer=entry.reviewer,
                images=images,
            )
        except ValidationError as error:
            raise ValidationFailed(
                explain(error, BulletinArticle, actor.lang), actor.lang
            ) from None

    def _save(self, issue: BulletinIssue, actor: User, expected_rev: int) -> BulletinIssue:
        doc = issue.model_dump(mode="json")
        return BulletinIssue.model_validate(
            stored_update(self.repo, KIND, doc, actor=actor.login, expected_rev=expected_rev)
        )

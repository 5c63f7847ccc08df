"""Awards (评优评先, S12): ranking of the nominations, selection within quotas, 公示 with
objections, the final list.

Nominations are ordinary submissions of a form type whose rule set scores them (the
``evaluation`` rule set: self and committee scores weighted, vetoes, grades, all in YAML); the
committee's decisions live in the campaign's ``AwardBook``. Every change to the book is a
compare-and-set on its revision: a concurrent change makes the loser read the book again and
re-check the quota, so a quota holds under any number of reviewers selecting at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError as PydanticValidationError

from forms.explain import explain
from forms.registry import FormRegistry
from i18n import Lang, t
from reports.commendation import Commendation, build_commendation_zip
from storage.base import Repository
from storage.errors import AlreadyExists
from storage.errors import Conflict as StoreConflict
from workflow import clock, permissions
from workflow.award_book import KIND, AwardBook, Notice, Objection, Selection, book_id, quotas
from workflow.branches import BranchService
from workflow.campaigns import CampaignService
from workflow.clock import now_iso
from workflow.errors import InvalidTransition, NotFound, QuotaExceeded, ValidationFailed
from workflow.models import Status, Submission, User
from workflow.submissions import SubmissionService

MAX_TRIES = 20  # compare-and-set attempts before giving up under heavy contention
MAX_TEXT = 2000
MAX_OBJECTIONS = 3  # objections one account may raise in one campaign's 公示


@dataclass(frozen=True)
class RankRow:
    """One nomination in the ranking: its place within its award and the scores it got."""

    submission_id: str
    award: str
    branch_id: str
    branch: str
    nominee: str
    self_score: float | None
    committee_score: float | None
    score: float | None
    grade: str | None
    vetoed: bool
    status: str
    # the rule check's decision: "pass", "return" (a rule the nomination fails: 不符合条件) or
    # "veto" (否决); only a passing one can be selected, and ``reasons`` say why another cannot
    decision: str
    reasons: tuple[str, ...]
    rank: int
    selected: bool

    @property
    def eligible(self) -> bool:
        """The nomination passed its rule check (or has none) and may be selected."""
        return self.decision == "pass"


class AwardService:
    """Ranking, selection within quotas, 公示 and the final list of one campaign."""

    def __init__(
        self,
        repo: Repository,
        submissions: SubmissionService,
        campaigns: CampaignService,
        branches: BranchService,
        forms: FormRegistry,
        today: Callable[[], dt.date] = clock.today,
    ) -> None:
        """``forms``: a form type whose ``nominates`` is set holds nominations; ``today``: the
        school's date the 公示 is judged by (tests replace it)."""
        self.today = today
        self.repo = repo
        self.forms = forms
        self.submissions = submissions
        self.campaigns = campaigns
        self.branches = branches

    # -- reading ---------------------------------------------------------------------------

    def book(self, actor: User, campaign_id: str) -> AwardBook:
        """The campaign's award book (empty before the first selection)."""
        permissions.require(permissions.may_view_awards(actor), actor, "workflow.denied.awards")
        return self._book(campaign_id)

    def quotas(self, actor: User, campaign_id: str) -> dict[str, int]:
        """Places per award from the campaign's settings and its branches and members."""
        permissions.require(permissions.may_view_awards(actor), actor, "workflow.denied.awards")
        return self._quotas(campaign_id)

    def ranking(self, actor: User, campaign_id: str) -> list[RankRow]:
        """Every submitted nomination, best score first within each award; those the rules
        block after the eligible ones, vetoed ones last."""
        book = self.book(actor, campaign_id)
        chosen = {s.submission_id for s in book.selections}
        names = {b.id: b.name for b in self.branches.list()}
        found = [
            s
            for form_type in self._nomination_types()
            for s in self.submissions.list(actor, campaign_id=campaign_id, form_type=form_type)
        ]
        rows: list[RankRow] = []
        for award in sorted({str(s.data.get("award", "")) for s in found}):
            entries = sorted(
                (s for s in found if s.data.get("award") == award and s.status != Status.DRAFT),
                key=lambda s: (_BLOCK_ORDER[_decision(s)], -(_score(s) or 0), s.created_at),
            )
            for place, s in enumerate(entries, start=1):
                rows.append(_row(s, names, place, s.id in chosen, actor.lang))
        return rows

    def final_list(self, actor: User, campaign_id: str) -> list[Selection]:
        """The selections after the 公示 period ended with every objection resolved."""
        book = self.book(actor, campaign_id)
        lang = actor.lang
        if book.notice is None:
            raise InvalidTransition.keyed("workflow.awards.no_notice", lang)
        if self.today() <= book.notice.end:
            raise InvalidTransition.keyed(
                "workflow.awards.notice_running", lang, end=book.notice.end.isoformat()
            )
        if book.open_objections():
            raise InvalidTransition.keyed(
                "workflow.awards.objections_open", lang, n=len(book.open_objections())
            )
        return list(book.selections)

    def commendation_zip(
        self, actor: User, campaign_id: str, date: dt.date, issuer: str = ""
    ) -> bytes:
        """The 七一 commendation of the final list (S13): the list PDF and one A4-landscape
        certificate PDF per winner, in one zip file."""
        final = self.final_list(actor, campaign_id)
        campaign = self.campaigns.get(campaign_id)
        branch_awards = set(campaign.settings.branch_awards)
        data = {
            "title": t("workflow.awards.commendation_title", actor.lang, year=campaign.year),
            "year": campaign.year,
            "date": date,
            "entries": [
                {
                    "award": s.award,
                    "name": "" if s.award in branch_awards else s.nominee,
                    "branch": s.branch,
                }
                for s in final
            ],
        }
        if issuer.strip():
            data["issuer"] = issuer.strip()
        try:
            commendation = Commendation.model_validate(data)
        except PydanticValidationError as error:
            raise ValidationFailed(explain(error, Commendation, actor.lang)) from None
        return build_commendation_zip(commendation, lang=actor.lang)

    # -- the committee's decisions ---------------------------------------------------------

    def select(self, actor: User, campaign_id: str, submission_id: str) -> AwardBook:
        """Select a nomination for its award (reviewers). ``QuotaExceeded`` when the award's
        places are taken, also when another reviewer takes the last one at the same time."""
        self._require_manage(actor)
        submission = self.submissions.get(actor, submission_id)
        lang = actor.lang
        if submission.campaign_id != campaign_id or not self._is_nomination(submission):
            raise ValidationFailed({"submission_id": t("workflow.awards.not_nomination", lang)})
        if submission.status not in (Status.SUBMITTED, Status.APPROVED):
            raise InvalidTransition.keyed("workflow.awards.not_submitted", lang)
        _require_eligible(submission, lang)
        award = str(submission.data.get("award", ""))
        places = self._quotas(campaign_id).get(award, 0)
        names = {b.id: b.name for b in self.branches.list()}
        row = _row(submission, names, 0, True, lang)
        branch_award = award in self.campaigns.get(campaign_id).settings.branch_awards
        who = _awardee(award, row.branch_id, row.nominee, branch_award)

        def change(book: AwardBook) -> None:
            if book.notice is not None:
                raise InvalidTransition.keyed("workflow.awards.notice_started", lang)
            if any(s.submission_id == submission_id for s in book.selections):
                return
            twin = next(
                (
                    s
                    for s in book.selections
                    if _awardee(s.award, s.branch_id, s.nominee, branch_award) == who
                ),
                None,
            )
            if twin is not None:  # the one already selected is named
                raise InvalidTransition.keyed(
                    "workflow.awards.branch_twice"
                    if branch_award
                    else "workflow.awards.nominee_twice",
                    lang,
                    award=award,
                    branch=twin.branch,
                    nominee=twin.nominee,
                )
            taken = len(book.selected(award))
            if taken >= places:
                raise QuotaExceeded.keyed(
                    "workflow.awards.quota_exceeded", lang, award=award, quota=places, taken=taken
                )
            book.selections.append(
                Selection(
                    submission_id=submission_id,
                    award=award,
                    branch_id=submission.branch_id,
                    branch=row.branch,
                    nominee=row.nominee,
                    score=row.score,
                    grade=row.grade,
                    selected_by=actor.login,
                    selected_at=now_iso(),
                )
            )

        return self._change(actor, campaign_id, change)

    def unselect(self, actor: User, campaign_id: str, submission_id: str) -> AwardBook:
        """Take a nomination off the list (before the 公示 starts)."""
        self._require_manage(actor)

        def change(book: AwardBook) -> None:
            if book.notice is not None:
                raise InvalidTransition.keyed("workflow.awards.notice_started", actor.lang)
            book.selections = [s for s in book.selections if s.submission_id != submission_id]

        return self._change(actor, campaign_id, change)

    def start_notice(
        self, actor: User, campaign_id: str, start: dt.date, end: dt.date
    ) -> AwardBook:
        """Publish the list for 公示 from ``start`` to ``end`` (both included). Once: the
        period starts today or later (a back-dated one would be a notice nobody saw), and a
        notice already published is neither restarted nor re-dated, so the list cannot skip
        its public notice; after it a problem goes through objections."""
        self._require_manage(actor)
        lang = actor.lang
        today = self.today()
        if start < today:
            raise ValidationFailed(
                {
                    "start": t(
                        "workflow.awards.notice_past",
                        lang,
                        start=start.isoformat(),
                        today=today.isoformat(),
                    )
                }
            )
        if end < start:
            raise ValidationFailed({"end": t("workflow.awards.notice_reversed", lang)})
        # a nomination checked again after it was selected (its 总结定级 set to 一般 …) may
        # no longer pass: the list is not published with it
        for chosen in self._book(campaign_id).selections:
            try:
                _require_eligible(self.submissions.get(actor, chosen.submission_id), lang)
            except InvalidTransition as error:
                raise InvalidTransition.keyed(
                    "workflow.awards.selection_blocked",
                    lang,
                    who=f"{chosen.award} · {chosen.branch} {chosen.nominee}".strip(),
                    why=error.message(lang),
                ) from None

        def change(book: AwardBook) -> None:
            if book.notice is not None:
                raise InvalidTransition.keyed(
                    "workflow.awards.notice_exists",
                    lang,
                    start=book.notice.start.isoformat(),
                    end=book.notice.end.isoformat(),
                )
            if not book.selections:
                raise InvalidTransition.keyed("workflow.awards.nothing_selected", lang)
            book.notice = Notice(start=start, end=end)

        return self._change(actor, campaign_id, change)

    def objections_left(self, actor: User, campaign_id: str) -> int:
        """How many more objections ``actor`` may raise in the campaign's 公示."""
        book = self.book(actor, campaign_id)
        return max(0, MAX_OBJECTIONS - len(_raised_by(book, actor.login)))

    def object(self, actor: User, campaign_id: str, submission_id: str, text: str) -> AwardBook:
        """Record an objection to a selection during the 公示 period (any signed-in user):
        at most ``MAX_OBJECTIONS`` per account and campaign, each of 1 to ``MAX_TEXT``
        characters, and not the same text twice against the same selection."""
        permissions.require(actor.active, actor, "workflow.denied.awards")
        lang = actor.lang
        text = text.strip()
        if not text or len(text) > MAX_TEXT:
            raise ValidationFailed(
                {"text": t("workflow.awards.objection_text", lang, n=MAX_TEXT, given=len(text))}
            )

        def change(book: AwardBook) -> None:
            notice = book.notice
            if notice is None or not notice.start <= self.today() <= notice.end:
                raise InvalidTransition.keyed("workflow.awards.not_in_notice", lang)
            if not any(s.submission_id == submission_id for s in book.selections):
                raise NotFound("selections", submission_id)
            mine = _raised_by(book, actor.login)
            if any(o.submission_id == submission_id and o.text == text for o in mine):
                raise InvalidTransition.keyed("workflow.awards.objection_repeated", lang)
            if len(mine) >= MAX_OBJECTIONS:  # counted in the book written: holds under races
                raise QuotaExceeded.keyed(
                    "workflow.awards.objections_limit", lang, n=MAX_OBJECTIONS
                )
            book.objections.append(
                Objection(
                    id=uuid.uuid4().hex,
                    submission_id=submission_id,
                    text=text,
                    raised_by=actor.login,
                    raised_at=now_iso(),
                )
            )

        return self._change(actor, campaign_id, change)

    def resolve(
        self, actor: User, campaign_id: str, objection_id: str, *, upheld: bool, resolution: str
    ) -> AwardBook:
        """Resolve an objection (reviewers) with the reason; upheld withdraws the selection."""
        self._require_manage(actor)
        lang = actor.lang
        resolution = resolution.strip()
        if not resolution or len(resolution) > MAX_TEXT:
            raise ValidationFailed(
                {"resolution": t("workflow.awards.resolution_text", lang, n=MAX_TEXT)}
            )

        def change(book: AwardBook) -> None:
            found = next((o for o in book.objections if o.id == objection_id), None)
            if found is None:
                raise NotFound("objections", objection_id)
            if found.resolved:
                raise InvalidTransition.keyed("workflow.awards.already_resolved", lang)
            found.resolved, found.upheld, found.resolution = True, upheld, resolution
            found.resolved_by, found.resolved_at = actor.login, now_iso()
            if upheld:
                book.selections = [
                    s for s in book.selections if s.submission_id != found.submission_id
                ]

        return self._change(actor, campaign_id, change)

    # -- internals -------------------------------------------------------------------------

    def _require_manage(self, actor: User) -> None:
        permissions.require(
            permissions.may_manage_awards(actor), actor, "workflow.denied.manage_awards"
        )

    def _nomination_types(self) -> list[str]:
        return [ft.name for ft in self.forms.form_types(lambda ft: ft.nominates)]

    def _is_nomination(self, submission: Submission) -> bool:
        return submission.form_type in self._nomination_types()

    def _quotas(self, campaign_id: str) -> dict[str, int]:
        """Shares count the campaign's own branches and their members, not every branch."""
        campaign = self.campaigns.get(campaign_id)
        return quotas(campaign.settings, self.branches.of_campaign(campaign))

    def _book(self, campaign_id: str) -> AwardBook:
        doc = self.repo.get(KIND, book_id(campaign_id))
        return AwardBook.model_validate(doc) if doc else AwardBook(campaign_id=campaign_id)

    def _change(
        self, actor: User, campaign_id: str, change: Callable[[AwardBook], None]
    ) -> AwardBook:
        """Apply ``change`` to the stored book by compare-and-set, re-reading it and applying
        again after a concurrent write (at most ``MAX_TRIES`` times)."""
        self.campaigns.get(campaign_id)
        for _ in range(MAX_TRIES):
            book = self._book(campaign_id)
            change(book)
            doc = book.model_dump(mode="json")
            try:
                if book.rev == 0:
                    doc["id"] = book_id(campaign_id)
                    stored = self.repo.insert(KIND, doc, actor=actor.login)
                else:
                    stored = self.repo.update(KIND, doc, actor=actor.login, expected_rev=book.rev)
            except (StoreConflict, AlreadyExists):
                continue
            return AwardBook.model_validate(stored)
        raise InvalidTransition.keyed("workflow.awards.busy", actor.lang)


def _raised_by(book: AwardBook, login: str) -> list[Objection]:
    """The objections ``login`` raised in ``book``."""
    return [o for o in book.objections if o.raised_by == login]


def _awardee(award: str, branch_id: str, nominee: str, branch_award: bool) -> tuple[str, ...]:
    """Who an award goes to: the branch for a branch award, else the person in the branch
    (names compared without spaces, so “张 明” is “张明”)."""
    person = "" if branch_award else "".join(nominee.split())
    return (award, branch_id, person)


_BLOCK_ORDER = {"pass": 0, "return": 1, "veto": 2}


def _decision(submission: Submission) -> str:
    """The rule check's decision on a nomination; one without a report is not blocked."""
    decision = (submission.report or {}).get("decision", "pass")
    return decision if decision in _BLOCK_ORDER else "pass"


def _reasons(submission: Submission, lang: Lang) -> tuple[str, ...]:
    """The messages of the rules that block the nomination (vetoes first), in ``lang``."""
    results = [
        r
        for r in (submission.report or {}).get("results") or []
        if isinstance(r, dict) and not r.get("passed") and r.get("severity") in ("veto", "error")
    ]
    results.sort(key=lambda r: r.get("severity") != "veto")
    return tuple(
        str((r.get("message_en") if lang == "en" else None) or r.get("message") or r.get("rule"))
        for r in results
    )


def _require_eligible(submission: Submission, lang: Lang) -> None:
    """Refuse a nomination its rule check vetoes or returns (一般及以下不能评为先进 …), with the
    rules' own messages."""
    decision = _decision(submission)
    if decision == "pass":
        return
    key = "workflow.awards.vetoed" if decision == "veto" else "workflow.awards.not_eligible"
    reasons = ";".join(_reasons(submission, lang)) or t("workflow.awards.no_reason", lang)
    raise InvalidTransition.keyed(key, lang, reasons=reasons)


def _score(submission: Submission) -> float | None:
    score = (submission.report or {}).get("score")
    return float(score) if isinstance(score, int | float) else None


def _vetoed(submission: Submission) -> bool:
    return _decision(submission) == "veto"


def _row(
    submission: Submission, names: dict[str, str], place: int, chosen: bool, lang: Lang = "zh"
) -> RankRow:
    data, report = submission.data, submission.report or {}
    return RankRow(
        submission_id=submission.id,
        award=str(data.get("award", "")),
        branch_id=submission.branch_id,
        branch=names.get(submission.branch_id, submission.branch_id),
        nominee=str(data.get("nominee") or ""),
        self_score=data.get("self_score"),
        committee_score=data.get("committee_score"),
        score=_score(submission),
        grade=report.get("grade"),
        vetoed=_vetoed(submission),
        status=submission.status.value,
        decision=_decision(submission),
        reasons=_reasons(submission, lang),
        rank=place,
        selected=chosen,
    )

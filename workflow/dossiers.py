"""Dossiers for the school committee (S16): a branch's, and the whole campaign's, as PDFs.

What goes in is read here and only here: a branch's submissions that are done (approved,
forwarded, published) as last submitted, with their rule reports, review trails and photos, and
the branch's statistics; a campaign dossier adds the progress of every branch, charts of their
figures and the final award list (``workflow.awards``). Drafts, and returned submissions
awaiting their branch's new version, never appear. The PDFs are built in the background
(``workflow.background``) so the screen shows a progress bar and other users' clicks go on.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from typing import Any

from forms.evaluate import SummaryStatistics
from forms.specs import describe
from i18n import Lang, t
from i18n.numbers import format_percent
from reports.branch_dossier import (
    DONE,
    BranchDossier,
    BranchEntry,
    DossierBranch,
    DossierCampaign,
    DossierPhoto,
    DossierSubmission,
    build_branch_dossier_pdf,
)
from reports.campaign_dossier import (
    CampaignDossier,
    DossierAward,
    DossierChart,
    DossierProgress,
    build_campaign_dossier_pdf,
)
from reports.dossier_parts import PartCache
from reports.photos import thumbnail
from storage.base import Repository
from storage.errors import NotFound as BlobMissing
from workflow import permissions
from workflow.attachments import files_in
from workflow.awards import AwardService
from workflow.background import BackgroundBuilds, Job
from workflow.branches import BranchService
from workflow.campaigns import CampaignService
from workflow.documents import safe_file_name_part
from workflow.dossier_cache import configured_cache
from workflow.errors import InvalidTransition, NotFound
from workflow.models import Branch, Campaign, Stage, Submission, User
from workflow.progress import ProgressService, stage_text
from workflow.similarity_corpus import submitted_data
from workflow.statistics import StatisticsService
from workflow.submissions import SubmissionService

# Image types printed as photos; other attachments are listed by the form's file table.
PHOTO_TYPES = frozenset({"image/jpeg", "image/png"})
# Photos printed per submission (the file table lists them all).
MAX_PHOTOS = 6


class DossierService:
    """Builds branch and campaign dossiers for reviewers, admins and readers."""

    def __init__(
        self,
        repo: Repository,
        submissions: SubmissionService,
        statistics: StatisticsService,
        campaigns: CampaignService | None = None,
        builds: BackgroundBuilds | None = None,
        awards: AwardService | None = None,
        parts: PartCache | None = None,
        progress: ProgressService | None = None,
        branches: BranchService | None = None,
    ) -> None:
        """``parts`` keeps branch sections between campaign dossier builds (default: the
        ``dossier_cache`` directory of the settings); ``progress`` words the progress table
        (without it the campaign dossier has none); ``branches`` says which branches take
        part in a campaign."""
        self.repo = repo
        self.branches = branches or BranchService(repo)
        self.progress = progress
        self.parts = parts if parts is not None else configured_cache()
        self.awards = awards
        self.submissions = submissions
        self.statistics = statistics
        self.campaigns = campaigns or CampaignService(repo)
        self.builds = builds or BackgroundBuilds()

    # -- what goes in -----------------------------------------------------------------------

    def branch_dossier(self, actor: User, campaign_id: str, branch_id: str) -> BranchDossier:
        """One branch's dossier input; ``PermissionDenied`` unless ``actor`` may build dossiers,
        ``NotFound`` for an unknown campaign or branch."""
        self._require(actor)
        campaign = self._campaign(campaign_id)
        branch = self._branch(branch_id)
        entry = self._entry(actor, campaign, branch, self._done(actor, campaign.id, branch.id))
        return BranchDossier(campaign=_campaign_head(campaign), **dict(entry))

    def campaign_branches(self, actor: User, campaign_id: str) -> list[Branch]:
        """The branches taking part in the campaign (every branch when it names none), by
        name: the sections of its dossier and the branches the screen offers one of."""
        self._require(actor)
        campaign = self._campaign(campaign_id)
        return sorted(self.branches.of_campaign(campaign), key=lambda b: b.name)

    def campaign_dossier(self, actor: User, campaign_id: str) -> CampaignDossier:
        """The campaign dossier input: each branch taking part (by name) with its done
        submissions, charts of study attendance, activities and news per branch, and the
        final award list."""
        self._require(actor)
        campaign = self._campaign(campaign_id)
        done = self._done(actor, campaign.id)
        by_branch: dict[str, list[Submission]] = {}
        for submission in done:
            by_branch.setdefault(submission.branch_id, []).append(submission)
        branches = sorted(self.branches.of_campaign(campaign), key=lambda b: b.name)
        entries = [self._entry(actor, campaign, b, by_branch.get(b.id, [])) for b in branches]
        figures = [self.statistics.statistics(actor, campaign.id, b.id) for b in branches]
        return CampaignDossier(
            campaign=_campaign_head(campaign),
            branches=entries,
            charts=_charts([b.name for b in branches], figures, actor.lang),
            awards=self._awards(actor, campaign.id),
            progress=self._progress(actor, campaign),
        )

    # -- building ---------------------------------------------------------------------------

    def start_branch_dossier(
        self, actor: User, campaign_id: str, branch_id: str, lang: Lang | None = None
    ) -> Job:
        """Read the branch dossier now and lay it out in the background; returns the job."""
        lang = lang or actor.lang
        dossier = self.branch_dossier(actor, campaign_id, branch_id)
        title = t("reports.dossier.branch_title", lang, branch=dossier.branch.name)
        name = _filename(dossier.campaign, dossier.branch.name, lang)
        return self._start(actor, title, name, lang, build_branch_dossier_pdf, dossier)

    def start_campaign_dossier(
        self, actor: User, campaign_id: str, lang: Lang | None = None
    ) -> Job:
        """Read the campaign dossier now and lay it out in the background; returns the job."""
        lang = lang or actor.lang
        dossier = self.campaign_dossier(actor, campaign_id)
        title = t("reports.dossier.campaign_title", lang, campaign=dossier.campaign.title)
        name = _filename(dossier.campaign, t("workflow.dossier.whole_campaign", lang), lang)
        # A forked build lays branch sections out on every core; one in a thread stays in it.
        workers = 1 if self.builds.in_process else part_workers()
        builder = functools.partial(build_campaign_dossier_pdf, cache=self.parts, workers=workers)
        return self._start(actor, title, name, lang, builder, dossier)

    def _start(
        self, actor: User, title: str, name: str, lang: Lang, builder: Any, dossier: Any
    ) -> Job:
        forms, meta = self.submissions.forms, {"author": actor.display_name}
        return self.builds.start(
            actor.id,
            title,
            name,
            lambda progress: builder(dossier, lang=lang, forms=forms, progress=progress, meta=meta),
        )

    def jobs(self, actor: User) -> list[Job]:
        """The actor's own builds, newest first."""
        return self.builds.jobs_of(actor.id)

    def result(self, actor: User, job_id: str) -> Job:
        """The actor's finished job ``job_id`` (its PDF in ``result``); ``NotFound`` if it is
        not theirs, gone, or not finished."""
        job = self.builds.job(actor.id, job_id)
        if job is None or job.result is None:
            raise NotFound("dossiers", job_id)
        return job

    # -- internals --------------------------------------------------------------------------

    def _require(self, actor: User) -> None:
        permissions.require(
            permissions.may_build_dossiers(actor), actor, "workflow.denied.dossiers"
        )

    def _campaign(self, campaign_id: str) -> Campaign:
        found = self.repo.get("campaigns", campaign_id)
        if found is None:
            raise NotFound("campaigns", campaign_id)
        return Campaign.model_validate(found)

    def _branch(self, branch_id: str) -> Branch:
        found = self.repo.get("branches", branch_id)
        if found is None:
            raise NotFound("branches", branch_id)
        return Branch.model_validate(found)

    def _progress(self, actor: User, campaign: Campaign) -> list[DossierProgress]:
        """Each branch's tasks per stage, by branch name, as ``workflow.progress`` has them."""
        if self.progress is None:
            return []
        table = self.progress.table(actor, campaign)
        return [
            DossierProgress(
                branch=row.branch.name,
                stages=[stage_text(table.stage_cells(row, stage), actor.lang) for stage in Stage],
            )
            for row in sorted(table.rows, key=lambda row: row.branch.name)
        ]

    def _done(
        self, actor: User, campaign_id: str, branch_id: str | None = None
    ) -> list[Submission]:
        """Submissions that are done; drafts and returned ones are never among them."""
        found = self.submissions.list(actor, campaign_id=campaign_id, branch_id=branch_id)
        return [s for s in found if s.status.value in DONE]

    def _entry(
        self, actor: User, campaign: Campaign, branch: Branch, done: Iterable[Submission]
    ) -> BranchEntry:
        figures = self.statistics.statistics(actor, campaign.id, branch.id)
        return BranchEntry(
            branch=DossierBranch.model_validate(branch.model_dump()),
            submissions=[self._submission(s) for s in done],
            statistics=_statistics_rows(figures, actor.lang),
        )

    def _submission(self, submission: Submission) -> DossierSubmission:
        data = submitted_data(submission)
        last = submission.versions[-1] if submission.versions else None
        return DossierSubmission(
            form_type=submission.form_type,
            form_version=submission.form_version,
            status=submission.status.value,
            version=submission.version,
            stage=submission.stage.value,
            data=data,
            report=last.report if last and last.report else submission.report,
            reviews=[r.model_dump(mode="json", exclude={"report"}) for r in submission.reviews],
            updated_at=submission.updated_at,
            photos=self._photos(data),
        )

    def _awards(self, actor: User, campaign_id: str) -> list[DossierAward]:
        """The final award list once its public notice ended with every objection resolved;
        none before (the dossier then says there is no list yet)."""
        if self.awards is None:
            return []
        try:
            final = self.awards.final_list(actor, campaign_id)
        except InvalidTransition:
            return []
        return [DossierAward(award=s.award, name=s.nominee, branch=s.branch) for s in final]

    def _photos(self, data: dict[str, Any]) -> list[DossierPhoto]:
        photos = []
        for record in files_in(data):
            if record.get("content_type") not in PHOTO_TYPES:
                continue
            try:
                small = thumbnail(self.repo.get_blob(str(record["blob"])))
            except BlobMissing:
                continue
            if small is not None:
                photos.append(DossierPhoto(name=str(record["name"]), jpeg=small))
            if len(photos) >= MAX_PHOTOS:
                break
        return photos


def part_workers() -> int:
    """Processes that lay out a campaign dossier's branch sections at once: one per core this
    process may use (they run at a lower priority than the app's requests)."""
    return max(1, len(os.sched_getaffinity(0)))


def _campaign_head(campaign: Campaign) -> DossierCampaign:
    return DossierCampaign(title=campaign.title, year=campaign.year, stage=campaign.stage.value)


def _statistics_rows(figures: SummaryStatistics, lang: Lang) -> dict[str, Any]:
    """The branch's figures by their labels, the attendance rate as a percentage and coded
    values in words."""
    rows: dict[str, Any] = {}
    for spec in describe(SummaryStatistics):
        value = getattr(figures, spec.name)
        if spec.name == "average_attendance":
            value = format_percent(value)
        elif spec.options:
            value = spec.option_text(value, lang)  # a code (none) in words (未申报)
        rows[spec.label(lang)] = value
    return rows


def _charts(names: list[str], figures: list[SummaryStatistics], lang: Lang) -> list[DossierChart]:
    labels = {spec.name: spec.label(lang) for spec in describe(SummaryStatistics)}
    return [
        DossierChart(
            title=labels["average_attendance"],
            labels=names,
            values=[f.average_attendance for f in figures],
            value_format="percent",
        ),
        DossierChart(
            title=t("workflow.dossier.activities_chart", lang),
            labels=names,
            values=[f.theme_activities + f.innovation_activities for f in figures],
        ),
        DossierChart(
            title=labels["news_reports"], labels=names, values=[f.news_reports for f in figures]
        ),
    ]


def _filename(campaign: DossierCampaign | None, who: str, lang: Lang) -> str:
    parts = [
        t("workflow.filename.year", lang, year=campaign.year) if campaign and campaign.year else ""
    ]
    parts += [who, t("workflow.dossier.filename", lang)]
    return "-".join(safe_file_name_part(p) for p in parts if p) + ".pdf"

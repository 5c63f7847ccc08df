"""Dashboards of a campaign (S15): who has done which task, the figures behind the charts,
the year-on-year comparison (同比) and every ledger (台账) as one Excel workbook.

Only submitted work is counted or listed: no draft reaches a dashboard, a chart or a ledger.
What a returned submission shows is its last submitted version, as reviewers see it. The
branch × form status matrix is ``workflow.progress``'s table over every form type, so it reads
the same as the home page's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from forms.conversion import display_text
from forms.evaluate import SummaryStatistics
from forms.form_type import FormType
from forms.registry import FormRegistry, UnknownFormType
from forms.specs import describe
from i18n import Lang, format_time, t
from reports.excel import MIME, Sheet, workbook
from storage.base import Repository
from workflow import permissions
from workflow.award_book import Selection
from workflow.awards import AwardService, RankRow
from workflow.branches import BranchService
from workflow.campaigns import CampaignService
from workflow.errors import InvalidTransition, NotFound
from workflow.joint_work import named_in, partners_index
from workflow.models import Branch, Campaign, Stage, Status, Submission, User
from workflow.progress import Progress, ProgressService, TaskStatus, cell_text
from workflow.similarity_corpus import as_submitted
from workflow.statistics import COUNTED, StatisticsService

STAGES = tuple(Stage)
MAX_YEARS = 10  # campaigns compared year on year, newest first
LEDGERS_MIME = MIME  # what ``ledgers`` returns, for the download


@dataclass(frozen=True)
class PassRate:
    """Of a form type's submitted records, how many passed its rule set when last checked."""

    form_type: str
    checked: int
    passed: int

    @property
    def rate(self) -> float:
        """passed / checked (0 when nothing was checked)."""
        return self.passed / self.checked if self.checked else 0.0


@dataclass(frozen=True)
class YearFigures:
    """One campaign's totals for the year-on-year comparison."""

    year: int
    title: str
    branches_reporting: int
    totals: SummaryStatistics
    pass_rate: float


@dataclass(frozen=True)
class CampaignFigures:
    """What the dashboard's charts draw for one campaign."""

    by_branch: list[tuple[Branch, SummaryStatistics]]
    news_by_month: list[tuple[str, int, int]]  # (YYYY-MM, sent, published)
    pass_rates: list[PassRate]


class DashboardService:
    """Status matrix, chart figures, 同比 and ledgers; for reviewers, admins and readers."""

    def __init__(
        self,
        repo: Repository,
        campaigns: CampaignService,
        branches: BranchService,
        forms: FormRegistry,
        statistics: StatisticsService,
        progress: ProgressService,
        awards: AwardService | None = None,
    ) -> None:
        """``statistics`` counts each branch's figures, as its summary shows them;
        ``progress`` gives the status matrix; ``awards`` the award ranking and final list
        of the ledgers (without it they have none)."""
        self.progress = progress
        self.awards = awards
        self.repo = repo
        self.campaigns = campaigns
        self.branches = branches
        self.forms = forms
        self.statistics = statistics

    def figures(self, actor: User, campaign_id: str) -> CampaignFigures:
        """Per branch figures (attendance, activities, news), news per month and the rule
        pass rate of every form type with a rule set: submitted records only."""
        campaign = self._campaign(actor, campaign_id)
        records = self._records(campaign.id)
        own = _by_branch(records)
        joint = partners_index(records, self.statistics.forms)  # joint work counts too
        by_branch = [
            (
                branch,
                self.statistics.count(
                    own.get(branch.id, []), named_in(joint, branch.id, branch.names)
                ),
            )
            for branch in self.branches.of_campaign(campaign)
        ]
        return CampaignFigures(by_branch, self._news_by_month(records), _pass_rates(records))

    def year_on_year(self, actor: User) -> list[YearFigures]:
        """Each campaign's totals, newest year first (at most ``MAX_YEARS``): 同比."""
        permissions.require(
            permissions.may_view_dashboards(actor), actor, "workflow.denied.dashboards"
        )
        years: list[YearFigures] = []
        for campaign in self.campaigns.list()[:MAX_YEARS]:
            records = self._records(campaign.id)
            own = _by_branch(records)
            figures = [self.statistics.count(own[b]) for b in sorted(own)]
            rates = _pass_rates(records)
            checked = sum(r.checked for r in rates)
            years.append(
                YearFigures(
                    year=campaign.year,
                    title=campaign.title,
                    branches_reporting=len(own),
                    totals=_totals(figures),
                    pass_rate=sum(r.passed for r in rates) / checked if checked else 0.0,
                )
            )
        return years

    def ledgers(self, actor: User, campaign_id: str) -> bytes:
        """Every ledger (台账) of the campaign as one ``.xlsx``: the status matrix, each
        branch's figures, the year-on-year totals, then one sheet per form type listing its
        submitted records (as last submitted) with a column per field, then the award
        ranking and, once the 公示 has ended with every objection resolved, the final list.
        Times are the school's (``VANGUARD_TZ``)."""
        lang = actor.lang
        matrix = self.progress.table(actor, self._campaign(actor, campaign_id), every_form=True)
        figures = self.figures(actor, campaign_id)
        sheets = [
            _matrix_sheet(matrix, self.forms, lang),
            _figures_sheet(figures, lang),
            _years_sheet(self.year_on_year(actor), lang),
        ]
        records = self._records(campaign_id)
        names = {b.id: b.name for b in self.branches.list()}
        for task in self._tasks():
            own = [r for r in records if r.form_type == task.name]
            if own:
                sheets.append(_ledger_sheet(task, own, names, lang))
        sheets.extend(self._award_sheets(actor, campaign_id))
        return workbook(sheets)

    # -- helpers -----------------------------------------------------------------------------

    def _campaign(self, actor: User, campaign_id: str) -> Campaign:
        permissions.require(
            permissions.may_view_dashboards(actor), actor, "workflow.denied.dashboards"
        )
        found = self.repo.get("campaigns", campaign_id)
        if found is None:
            raise NotFound("campaigns", campaign_id)
        return Campaign.model_validate(found)

    def _records(self, campaign_id: str, *, with_drafts: bool = False) -> list[Submission]:
        found = (
            Submission.model_validate(d)
            for d in self.repo.find("submissions", {"campaign_id": campaign_id})
        )
        return [as_submitted(s) for s in found if with_drafts or s.status in COUNTED]

    def _award_sheets(self, actor: User, campaign_id: str) -> list[Sheet]:
        """The ranking of every submitted nomination (when there is one) and the final list
        (when the 公示 is over), as the 评优与公示 screen shows them."""
        if self.awards is None:
            return []
        ranking = self.awards.ranking(actor, campaign_id)
        if not ranking:
            return []
        sheets = [_ranking_sheet(ranking, actor.lang)]
        try:
            final = self.awards.final_list(actor, campaign_id)
        except InvalidTransition:  # no notice yet, still running, or objections open
            return sheets
        return [*sheets, _final_sheet(final, actor.lang)]

    def _tasks(self) -> list[FormType]:
        tasks = self.forms.form_types(lambda ft: True)
        return sorted(tasks, key=lambda ft: STAGES.index(Stage(ft.stage)))

    def _news_by_month(self, records: Iterable[Submission]) -> list[tuple[str, int, int]]:
        months: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for record in records:
            if self._counter(record.form_type) != "news_reports":
                continue
            month = str(record.data.get("date") or record.submitted_at())[:7]
            months[month][0] += 1
            months[month][1] += record.status == Status.PUBLISHED
        return [(month, sent, published) for month, (sent, published) in sorted(months.items())]

    def _counter(self, form_type: str) -> str | None:
        try:
            return self.forms.form_type(form_type).counted_in
        except UnknownFormType:
            return None


def _pass_rates(records: Iterable[Submission]) -> list[PassRate]:
    checked: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        if record.report is not None:
            checked[record.form_type].append(bool(record.report.get("passed")))
    return [PassRate(name, len(v), sum(v)) for name, v in sorted(checked.items())]


def _totals(figures: Sequence[SummaryStatistics]) -> SummaryStatistics:
    """Counts added up; the attendance averaged over the branches that held sessions."""
    held = [f.average_attendance for f in figures if f.study_sessions]
    return SummaryStatistics(
        study_sessions=sum(f.study_sessions for f in figures),
        average_attendance=round(sum(held) / len(held), 4) if held else 0,
        theme_activities=sum(f.theme_activities for f in figures),
        innovation_activities=sum(f.innovation_activities for f in figures),
        innovation_posts=sum(f.innovation_posts for f in figures),
        news_reports=sum(f.news_reports for f in figures),
        published_reports=sum(f.published_reports for f in figures),
    )


FIGURE_COLUMNS = (
    "study_sessions",
    "average_attendance",
    "theme_activities",
    "innovation_activities",
    "innovation_posts",
    "news_reports",
    "published_reports",
)


def figure_label(name: str, lang: Lang) -> str:
    """The label of one ``SummaryStatistics`` figure in ``lang``."""
    spec = next(s for s in describe(SummaryStatistics) if s.name == name)
    return spec.label(lang)


def _matrix_sheet(matrix: Progress, forms: FormRegistry, lang: Lang) -> Sheet:
    titles = (forms.form_type(task.form_type).title(lang) for task in matrix.tasks)
    header = [t("workflow.dashboard.branch", lang), *titles]
    rows: list[list[Any]] = [
        [row.branch.name, *(cell_text(cell, lang) for cell in row.cells)] for row in matrix.rows
    ]
    return Sheet(t("workflow.dashboard.sheet_matrix", lang), header, rows)


def _figures_sheet(figures: CampaignFigures, lang: Lang) -> Sheet:
    header = [
        t("workflow.dashboard.branch", lang),
        *(figure_label(c, lang) for c in FIGURE_COLUMNS),
    ]
    rows = [
        [branch.name, *(getattr(stats, c) for c in FIGURE_COLUMNS)]
        for branch, stats in figures.by_branch
    ]
    return Sheet(t("workflow.dashboard.sheet_figures", lang), header, rows)


def _years_sheet(years: Sequence[YearFigures], lang: Lang) -> Sheet:
    header = [
        t("workflow.dashboard.year", lang),
        t("workflow.dashboard.campaign", lang),
        t("workflow.dashboard.branches_reporting", lang),
        *(figure_label(c, lang) for c in FIGURE_COLUMNS),
        t("workflow.dashboard.pass_rate", lang),
    ]
    rows = [
        [
            y.year,
            y.title,
            y.branches_reporting,
            *(getattr(y.totals, c) for c in FIGURE_COLUMNS),
            round(y.pass_rate, 4),
        ]
        for y in years
    ]
    return Sheet(t("workflow.dashboard.sheet_years", lang), header, rows)


def _ledger_sheet(
    task: FormType,
    records: Sequence[Submission],
    names: dict[str, str],
    lang: Lang,
) -> Sheet:
    """One form type's records, a column per top-level field of its current version (nested
    sections are left to the record itself; repeat groups show how many rows they hold)."""
    specs = [s for s in describe(task.model) if s.kind not in ("section", "readonly")]
    header = [
        t("workflow.dashboard.branch", lang),
        t("workflow.dashboard.status", lang),
        t("workflow.dashboard.version", lang),
        t("workflow.dashboard.submitted_at", lang),
        *(s.label(lang) for s in specs if s.name != "branch"),
    ]
    rows = []
    for record in records:
        row: list[Any] = [
            names.get(record.branch_id, record.branch_id),
            TaskStatus(str(record.status)).text(lang),
            record.version,
            format_time(record.submitted_at()),
        ]
        for spec in specs:
            if spec.name == "branch":
                continue
            value = record.data.get(spec.name)
            if spec.kind == "repeat":
                row.append(len(value) if isinstance(value, list) else 0)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                row.append(value)
            else:
                row.append(display_text(spec, value, lang))
        rows.append(row)
    return Sheet(task.title(lang), header, rows)


def _ranking_sheet(rows: Sequence[RankRow], lang: Lang) -> Sheet:
    header = [
        t("pages.awards.col.award", lang),
        t("pages.awards.col.rank", lang),
        t("pages.awards.col.branch", lang),
        t("pages.awards.col.nominee", lang),
        t("pages.awards.col.self", lang),
        t("pages.awards.col.committee", lang),
        t("pages.awards.col.score", lang),
        t("pages.awards.col.grade", lang),
        t("pages.awards.col.eligibility", lang),
        t("workflow.dashboard.status", lang),
        t("pages.awards.col.selected", lang),
    ]
    body: list[list[Any]] = [
        [
            r.award,
            r.rank,
            r.branch,
            r.nominee,
            r.self_score,
            r.committee_score,
            r.score,
            r.grade or "",
            t(f"pages.awards.decision.{r.decision}", lang),  # as the awards screen says it
            TaskStatus(r.status).text(lang),
            "✔" if r.selected else "",
        ]
        for r in rows
    ]
    return Sheet(t("workflow.dashboard.sheet_ranking", lang), header, body)


def _final_sheet(final: Sequence[Selection], lang: Lang) -> Sheet:
    header = [
        t("pages.awards.col.award", lang),
        t("pages.awards.col.branch", lang),
        t("pages.awards.col.nominee", lang),
        t("pages.awards.col.score", lang),
        t("pages.awards.col.grade", lang),
    ]
    body: list[list[Any]] = [
        [s.award, s.branch, s.nominee, s.score, s.grade or ""]
        for s in sorted(final, key=lambda s: (s.award, -(s.score or 0)))
    ]
    return Sheet(t("workflow.dashboard.sheet_final", lang), header, body)


def _by_branch(records: Iterable[Submission]) -> dict[str, list[Submission]]:
    """``records`` grouped by branch in one pass (figures per branch read each group once)."""
    groups: dict[str, list[Submission]] = defaultdict(list)
    for record in records:
        groups[record.branch_id].append(record)
    return groups

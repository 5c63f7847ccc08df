"""All workflow services over one store, built once per app process (``build_services``)."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher

from forms.registry import FormRegistry
from storage.base import Repository
from workflow.account_import import AccountImportService
from workflow.accounts import AccountService
from workflow.activities import ActivityService
from workflow.attachments import AttachmentService
from workflow.audit_log import AuditService
from workflow.awards import AwardService
from workflow.batch_checks import BatchCheckService
from workflow.branches import BranchService
from workflow.bulletins import BulletinService
from workflow.campaigns import CampaignService
from workflow.dashboards import DashboardService
from workflow.demo_site_register import DemoSiteRegister
from workflow.demo_sites import DemoSiteService
from workflow.documents import DocumentService
from workflow.dossiers import DossierService
from workflow.form_builder import FormBuilderService
from workflow.form_definitions import FormDefinitions
from workflow.form_types import standard_forms
from workflow.funding import FundingService
from workflow.news import NewsService
from workflow.next_year import NextYearService
from workflow.progress import ProgressService
from workflow.rule_builder import RuleBuilderService
from workflow.rule_sets import RuleSetService
from workflow.sessions import SessionService
from workflow.setup import SetupService
from workflow.spot_check import SpotCheckService
from workflow.statistics import StatisticsService
from workflow.submissions import SubmissionService


@dataclass
class Services:
    """The services a page calls; each method takes the acting ``User`` first (``setup``
    excepted: it runs before anyone can sign in). ``repo`` is the store they share, for the
    CLI and tests; pages go through the services. ``forms`` are the form types of this store
    (built-in, shipped YAML, and those its admins defined; never another store's)."""

    repo: Repository
    forms: FormRegistry
    accounts: AccountService
    account_import: AccountImportService
    campaigns: CampaignService
    branches: BranchService
    progress: ProgressService
    submissions: SubmissionService
    spot_checks: SpotCheckService
    documents: DocumentService
    dossiers: DossierService
    statistics: StatisticsService
    awards: AwardService
    dashboards: DashboardService
    next_year: NextYearService
    rule_sets: RuleSetService
    form_definitions: FormDefinitions
    form_builder: FormBuilderService
    rule_builder: RuleBuilderService
    batch_checks: BatchCheckService
    audit: AuditService
    attachments: AttachmentService
    news: NewsService
    bulletins: BulletinService
    setup: SetupService
    demo_sites: DemoSiteService
    funding: FundingService
    sessions: SessionService
    activities: ActivityService


def build_services(repo: Repository, *, hasher: PasswordHasher | None = None) -> Services:
    """Wire every service to ``repo``. ``hasher`` replaces the argon2 defaults (tests use a
    cheaper one; production keeps the default)."""
    forms = standard_forms()
    campaigns = CampaignService(repo)
    rule_sets = RuleSetService(repo, forms)
    statistics = StatisticsService(repo, forms)
    sites = DemoSiteRegister(repo, campaigns)
    submissions = SubmissionService(repo, campaigns, forms, sites, statistics)
    branches = BranchService(repo)
    attachments = AttachmentService(repo, submissions)
    form_definitions = FormDefinitions(repo, forms, rule_sets)
    news = NewsService(repo, submissions, forms, attachments)
    form_definitions.register_stored()  # forms admins defined behave like built-in ones
    forms.follow(form_definitions.sync)  # and those another app process saves appear here too
    accounts = AccountService(repo, hasher)
    statistics = StatisticsService(repo, forms)
    awards = AwardService(repo, submissions, campaigns, branches, forms)
    batch_checks = BatchCheckService(submissions)
    progress = ProgressService(campaigns, branches, submissions, forms)
    return Services(
        repo=repo,
        forms=forms,
        accounts=accounts,
        account_import=AccountImportService(repo, accounts, branches),
        campaigns=campaigns,
        branches=branches,
        progress=progress,
        submissions=submissions,
        spot_checks=SpotCheckService(repo, campaigns),
        documents=DocumentService(repo, submissions, campaigns),
        statistics=statistics,
        awards=awards,
        dossiers=DossierService(
            repo,
            submissions,
            statistics,
            campaigns,
            awards=awards,
            progress=progress,
            branches=branches,
        ),
        dashboards=DashboardService(
            repo, campaigns, branches, forms, statistics, progress, awards=awards
        ),
        next_year=NextYearService(repo, campaigns, branches, rule_sets, forms),
        rule_sets=rule_sets,
        form_definitions=form_definitions,
        form_builder=FormBuilderService(repo, form_definitions, campaigns),
        rule_builder=RuleBuilderService(rule_sets, form_definitions, batch_checks),
        batch_checks=batch_checks,
        audit=AuditService(repo, forms, accounts, records=(campaigns, branches)),
        attachments=attachments,
        news=news,
        bulletins=BulletinService(repo, news),
        setup=SetupService(repo, hasher),
        demo_sites=DemoSiteService(submissions, sites, forms, branches),
        funding=FundingService(repo, campaigns, sites, attachments),
        sessions=SessionService(repo),
        activities=ActivityService(repo, submissions, forms, branches),
    )

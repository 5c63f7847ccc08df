"""以点带面: what each approved demo site does for others, as every signed-in account reads it.

For every site of a campaign whose application is approved (立项 or later) the page shows its
name, branch, state and what it is about (the application's ``showcase_fields``), then its
branch's approved activities (form types with ``outreach``, theme or innovation by their
``activity_list``), its published news (each opening in the
先锋工程 column) and the joint work naming other branches: its own records with partners and
other branches' records naming it, with the branches that took part. Which record shows is
``permissions.may_view_demo_site_showcase``: never a draft, a returned or a pending record.
The application's other fields (reasons, the money asked for) and the site's funding stay with
its branch and the committee (``workflow.funding``).
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from forms.registry import FormRegistry
from forms.specs import field_spec
from storage.base import Repository
from workflow import permissions
from workflow.accounts import acting_user
from workflow.branches import BranchService
from workflow.demo_site_register import DemoSiteRegister
from workflow.demo_site_states import DemoSite
from workflow.joint_work import ids_by_name, submitted_partners
from workflow.models import Status, Submission, User
from workflow.similarity_corpus import by_age

KIND = "submissions"
# The fields a record's date is read from, first found wins (an activity's day, a period's start).
DATE_FIELDS = ("date", "start")


class ShowcaseItem(BaseModel):
    """One record on a site's page: what it is called, who ran it, when, and with whom."""

    id: str
    form_type: str
    title: str
    branch: str
    date: str = ""
    partners: list[str] = Field(default_factory=list)  # the other branches that took part


class SiteShowcase(BaseModel):
    """One approved demo site as every account reads it."""

    site: DemoSite
    branch: str
    about: list[tuple[str, str]] = Field(default_factory=list)  # (field label, text)
    theme: list[ShowcaseItem] = Field(default_factory=list)
    innovation: list[ShowcaseItem] = Field(default_factory=list)
    news: list[ShowcaseItem] = Field(default_factory=list)
    joint: list[ShowcaseItem] = Field(default_factory=list)


class DemoSiteShowcase:
    """Assembles the demo-site page (以点带面); the page only renders what this returns."""

    def __init__(
        self,
        repo: Repository,
        register: DemoSiteRegister,
        forms: FormRegistry,
        branches: BranchService,
    ) -> None:
        self.repo = repo
        self.register = register
        self.forms = forms
        self.branches = branches

    def sites(self, actor: User, campaign_id: str) -> list[SiteShowcase]:
        """Every approved site of ``campaign_id`` with what ``actor`` may read of it, in the
        order they were approved (an application not approved has no page)."""
        actor = acting_user(self.repo, actor)
        branches = self.branches.list()
        names = {b.id: b.name for b in branches}
        ids = ids_by_name(branches)
        records = self._records(campaign_id)
        by_id = {r.id: r for r in records}
        partners = {r.id: self._partners(r) for r in records}
        partner_ids = {
            rid: frozenset(ids[n] for n in named if n in ids) for rid, named in partners.items()
        }
        in_order = by_age(records)
        shown: list[SiteShowcase] = []
        for site in self.register.sites(campaign_id):
            application = by_id.get(site.submission_id)
            if application is None or not permissions.may_view_demo_site_showcase(
                actor, application, application
            ):
                continue
            page = SiteShowcase(
                site=site,
                branch=names.get(site.branch_id, ""),
                about=self._about(application, actor.lang),
            )
            for record in in_order:
                named = partners[record.id]
                if record.id == application.id or not permissions.may_view_demo_site_showcase(
                    actor, application, record, partner_ids[record.id]
                ):
                    continue
                item = _item(record, names, sorted(named))
                form = self.forms.form_type(record.form_type)
                own = record.branch_id == site.branch_id
                if own and form.outreach == "activities":
                    (page.theme if form.activity_list == "theme" else page.innovation).append(item)
                # news as the column shows it (published), so its link opens there
                elif own and form.outreach == "news" and record.status == Status.PUBLISHED:
                    page.news.append(item)
                if named:
                    page.joint.append(item)
            shown.append(page)
        return shown

    def _records(self, campaign_id: str) -> list[Submission]:
        """The campaign's records of every form type the page may show."""
        wanted = self.forms.form_types(
            lambda ft: (
                ft.founds_demo_site or ft.outreach is not None or ft.partners_field is not None
            )
        )
        return [
            Submission.model_validate(doc)
            for form in wanted
            for doc in self.repo.find(KIND, {"campaign_id": campaign_id, "form_type": form.name})
        ]

    def _partners(self, record: Submission) -> set[str]:
        field = self.forms.form_type(record.form_type).partners_field
        return submitted_partners(record, field) if field else set()

    def _about(self, application: Submission, lang: str) -> list[tuple[str, str]]:
        """The application's showcase fields, labelled in ``lang``, as approved."""
        form = self.forms.form_type(application.form_type)
        model = form.at(application.form_version)
        data = application.versions[-1].data if application.versions else {}
        about: list[tuple[str, str]] = []
        for name in form.showcase_fields:
            spec = field_spec(model, name)
            text = str(data.get(name) or "").strip()
            if spec is not None and text:
                about.append((spec.label(lang), text))
        return about


def _item(record: Submission, names: dict[str, str], partners: Iterable[str]) -> ShowcaseItem:
    date = next((str(record.data[f]) for f in DATE_FIELDS if record.data.get(f)), "")
    return ShowcaseItem(
        id=record.id,
        form_type=record.form_type,
        title=record.title(),
        branch=names.get(record.branch_id, ""),
        date=date,
        partners=list(partners),
    )

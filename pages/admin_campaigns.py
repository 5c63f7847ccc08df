"""Admin: campaigns (year, title, stage, stage dates, spot-check ratio, demo-site quota, budget,
award quotas)."""

from __future__ import annotations

import streamlit as st

from forms.renderer import clear_form, render_form
from forms.specs import describe
from i18n.numbers import format_percent
from pages.common import (
    NEW_RECORD,
    field_errors,
    flash,
    guarded,
    lang,
    pick_record,
    require_role,
    run,
    services,
    set_field_errors,
    stage_label,
    tr,
)
from pages.confirm import confirmed_button
from workflow.admin_inputs import CampaignInput, campaign_input, campaign_record
from workflow.clock import current_year
from workflow.models import Campaign, CampaignSettingsFields, Role


def _version(number: int, *, shipped: bool = False) -> str:
    return tr("pages.campaigns.shipped") if shipped else tr("pages.campaigns.version_n", n=number)


def _archive_panel(campaign: Campaign, archived: bool, is_current: bool) -> None:
    """Archive a past campaign (its records read-only, out of every app process's memory) or
    reopen an archived one; the workflow refuses the current campaign and non-admins."""
    with st.expander(tr("pages.campaigns.archive.title"), expanded=archived):
        st.caption(tr("pages.campaigns.archive.hint"))
        if is_current:
            st.info(tr("pages.campaigns.archive.current"))
            return
        action = "reopen" if archived else "archive"
        if archived:
            st.info(tr("pages.campaigns.archive.is_archived"))

        def act() -> None:
            step = services().campaigns.unarchive if archived else services().campaigns.archive
            count = step(user, campaign.id)
            flash(tr(f"pages.campaigns.archive.{action}_done", title=campaign.title, n=count))
            st.rerun()

        confirmed_button(
            tr(f"pages.campaigns.archive.{action}"),
            key=f"campaign_{action}:{campaign.id}",
            consequence=tr(f"pages.campaigns.archive.{action}_consequence", title=campaign.title),
            action=act,
        )


TEMPLATE = ""  # the 从模板开始 choice of the shipped template (every other is a campaign id)
user = require_role(Role.ADMIN)
st.title(tr("pages.campaigns.title"))
FORM = "campaign_form"
labels = {spec.name: spec.label(lang()) for spec in describe(CampaignInput)}
settings_labels = {spec.name: spec.label(lang()) for spec in describe(CampaignSettingsFields)}

campaigns = services().campaigns.list()
archived = services().campaigns.archived()
if campaigns:
    st.dataframe(
        [
            {
                labels["year"]: c.year,
                labels["title"]: c.title,
                labels["stage"]: stage_label(c.stage),
                settings_labels["spot_check_ratio"]: format_percent(c.settings.spot_check_ratio),
                settings_labels["demo_site_quota"]: c.settings.demo_site_quota,
                settings_labels["budget"]: c.settings.budget,
                tr("pages.campaigns.col.archived"): (
                    tr("pages.campaigns.archive.is_archived_short") if c.id in archived else ""
                ),
            }
            for c in campaigns
        ],
        hide_index=True,
    )
current = pick_record(
    tr("pages.campaigns.edit"),
    campaigns,
    name=lambda c: c.title,
    new_label=tr("pages.campaigns.new"),
    key="campaign_pick",
)
form_key = f"{FORM}:{current.id if current else NEW_RECORD}"
with st.form(form_key):
    values = render_form(
        CampaignInput,
        campaign_input(current, current_year()),
        key=form_key,
        lang=lang(),
        errors=field_errors(FORM),
    )
    saved = st.form_submit_button(tr("pages.common.save"), type="primary")

if saved:
    with guarded(form_key=FORM):
        data = campaign_record(values, current, lang())
        if current is None:
            services().campaigns.create(user, data)
        else:
            services().campaigns.update(user, data, current.rev)
        set_field_errors(FORM, {})
        clear_form(form_key)
        flash(tr("pages.common.saved_named", name=data["title"]))
        st.rerun()

if current is not None:
    with st.expander(tr("pages.campaigns.versions")):
        st.caption(tr("pages.campaigns.versions_hint"))
        pins = [
            *(
                (tr("pages.campaigns.rule_set", name=n), _version(v, shipped=v == 0))
                for n, v in current.rule_set_versions.items()
            ),
            *(
                (tr("pages.campaigns.form", name=n), _version(v))
                for n, v in current.form_versions.items()
            ),
        ]
        if pins:
            st.dataframe(
                [
                    {tr("pages.campaigns.col.what"): what, tr("pages.campaigns.col.version"): v}
                    for what, v in pins
                ],
                hide_index=True,
            )
        else:
            st.info(tr("pages.campaigns.versions_none"))

if current is not None:
    _archive_panel(current, current.id in archived, current.id == campaigns[0].id)

st.subheader(tr("pages.campaigns.from_template"))
st.caption(tr("pages.campaigns.from_template_hint"))
sources = {c.id: c for c in campaigns}
with st.form("campaign_next"):
    source = st.selectbox(
        tr("pages.campaigns.source"),
        [*sources, TEMPLATE],
        format_func=lambda k: tr("pages.campaigns.template") if k == TEMPLATE else sources[k].title,
        key="next_source",
    )
    next_year = campaigns[0].year + 1 if campaigns else current_year()
    year = st.number_input(
        labels["year"],
        min_value=2000,
        max_value=2100,
        value=next_year,
        step=1,
        key="next_year_year",
    )
    title = st.text_input(labels["title"], value=f"{next_year}年机关“先锋工程”建设")
    started = st.form_submit_button(tr("pages.campaigns.start_next"))
if started:
    done = tr("pages.common.saved_named", name=title)
    source_id = None if source == TEMPLATE else str(source)
    if run(services().next_year.start_from, user, int(year), title, source_id, success=done):
        st.rerun()

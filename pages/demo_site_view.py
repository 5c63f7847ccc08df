"""What the demo-site screens share: a site's name and state, the funding overview with its
Excel export, and a site's page (以点带面: what it is about, its activities, news, joint work)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from forms.markdown import escape_label
from forms.markdown import escape_markdown as escape
from i18n import format_time
from pages.common import run, services, tr
from pages.news_view import share_link
from workflow.demo_site_showcase import ShowcaseItem, SiteShowcase
from workflow.demo_site_states import Action, DemoSite
from workflow.funding import LedgerEntry
from workflow.models import Campaign, User


def branch_names() -> dict[str, str]:
    """Branch id → name."""
    return {b.id: b.name for b in services().branches.list()}


def state_label(site: DemoSite) -> str:
    """The site's state in words (已立项, 实施中 …)."""
    return tr(f"demo_sites.state.{site.state.value}")


def site_label(site: DemoSite, names: dict[str, str]) -> str:
    """``branch · title · state``, as pickers show a site."""
    return f"{names.get(site.branch_id, '?')} · {site.title} · {state_label(site)}"


def site_steps(site: DemoSite) -> None:
    """The site's steps so far, each with who took it, when, and its report or reasons."""
    for step in site.steps:
        line = f"{format_time(step.at)} · {tr(f'demo_sites.action.{step.action}')} · {step.by}"
        st.markdown(f"- {escape(line)}")
        if step.text:
            st.caption(escape(step.text))


def step_button(
    user: User,
    campaign: Campaign,
    site: DemoSite,
    action: Action,
    *,
    text: str = "",
    where: Any = st,
    primary: bool = False,
) -> None:
    """A button taking the step ``action`` of ``site`` (its report or reasons in ``text``)."""
    sid = site.submission_id
    label = tr(f"demo_sites.action.{action}")
    clicked = where.button(label, key=f"{action}:{sid}", type="primary" if primary else "secondary")
    demo = services().demo_sites
    if clicked and run(demo.advance, user, campaign.id, sid, action, text, success=label):
        st.rerun()


def funds_overview(user: User, campaign: Campaign) -> None:
    """Budget, granted and left; each site's money; every entry; the Excel export."""
    funding = services().funding
    summary = funding.summary(user, campaign.id)
    names = branch_names()
    budget_col, granted_col, spent_col, left_col = st.columns(4)
    budget_col.metric(tr("demo_sites.funds.budget"), f"{summary.budget:,.2f}")
    granted_col.metric(tr("demo_sites.funds.granted"), f"{summary.granted:,.2f}")
    spent_col.metric(tr("demo_sites.funds.spent"), f"{summary.spent:,.2f}")
    left_col.metric(tr("demo_sites.funds.left"), f"{summary.left_to_grant:,.2f}")
    if not summary.sites:
        st.info(tr("demo_sites.funds.no_sites"))
        return
    st.dataframe(
        [
            {
                tr("demo_sites.funds.col.branch"): names.get(s.site.branch_id, "?"),
                tr("demo_sites.funds.col.site"): s.site.title,
                tr("demo_sites.funds.col.state"): state_label(s.site),
                tr("demo_sites.funds.col.granted"): s.granted,
                tr("demo_sites.funds.col.spent"): s.spent,
                tr("demo_sites.funds.col.balance"): s.balance,
            }
            for s in summary.sites
        ],
        hide_index=True,
    )
    entries = funding.ledger(user, campaign.id).entries
    titles = {s.site.submission_id: s.site.title for s in summary.sites}
    st.subheader(tr("demo_sites.funds.entries"))
    if not entries:
        st.info(tr("demo_sites.funds.no_entries"))
    else:
        st.dataframe(
            [
                {
                    tr("demo_sites.funds.col.no"): e.no,
                    tr("demo_sites.funds.col.at"): format_time(e.at),
                    tr("demo_sites.funds.col.kind"): tr(f"demo_sites.funds.kind.{e.kind}"),
                    tr("demo_sites.funds.col.site"): titles.get(e.submission_id, ""),
                    tr("demo_sites.funds.col.amount"): e.amount,
                    tr("demo_sites.funds.col.note"): e.note,
                    tr("demo_sites.funds.col.receipts"): "、".join(r.name for r in e.receipts),
                    tr("demo_sites.funds.col.by"): e.by,
                }
                for e in entries
            ],
            hide_index=True,
        )
        receipts_section(user, campaign, entries)

    def export() -> bytes:
        return funding.export_xlsx(user, campaign.id, names)

    st.download_button(
        tr("demo_sites.funds.export"),
        data=export,
        file_name=f"ledger-{campaign.year}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="funds_export",
        on_click="ignore",
    )


def receipts_section(user: User, campaign: Campaign, entries: list[LedgerEntry]) -> None:
    """Every receipt of the ledger's spending, downloadable (fetched only when clicked)."""
    spent = [(e, r) for e in entries for r in e.receipts]
    if not spent:
        return
    funding = services().funding
    with st.expander(tr("demo_sites.funds.receipts_download", n=len(spent))):
        for entry, receipt in spent:

            def fetch(blob: str = receipt.blob) -> bytes:
                return funding.receipt(user, campaign.id, blob)

            st.download_button(
                # a button's label is Markdown: the name the uploader chose, made inert
                tr("demo_sites.funds.receipt_of", no=entry.no, name=escape_label(receipt.name)),
                data=fetch,
                file_name=receipt.name,
                mime=receipt.content_type,
                key=f"receipt:{entry.no}:{receipt.blob}",
                on_click="ignore",
            )


def site_page(page: SiteShowcase) -> None:
    """One approved site as every account reads it: name, branch and state, what it is about,
    its steps, then what it does for others (以点带面)."""
    site = page.site
    st.subheader(escape(site.title))
    st.caption(escape(f"{page.branch} · {state_label(site)}"))
    for label, text in page.about:
        st.markdown(f"**{escape(label)}**")
        st.markdown(escape(text))
    with st.expander(tr("demo_sites.page.steps")):
        site_steps(site)
    showcase_sections(page)


def showcase_sections(page: SiteShowcase) -> None:
    """The site's approved activities, its published news (each a link into the 先锋工程
    column) and the joint work naming other branches, one line each (legible on a phone)."""
    for title_key, items, empty_key in (
        ("demo_sites.page.theme", page.theme, "demo_sites.page.no_theme"),
        ("demo_sites.page.innovation", page.innovation, "demo_sites.page.no_innovation"),
        ("demo_sites.page.news", page.news, "demo_sites.page.no_news"),
        ("demo_sites.page.joint", page.joint, "demo_sites.page.no_joint"),
    ):
        st.markdown(f"**{tr(title_key)}**")
        if not items:
            st.caption(tr(empty_key))
        for item in items:
            news = items is page.news
            st.markdown(f"- {_item_line(item, link=share_link(item.id) if news else '')}")


def _item_line(item: ShowcaseItem, *, link: str = "") -> str:
    """``title · branch · date``; joint work names who ran it and the other branches."""
    title = f"[{escape(item.title)}]({link})" if link else f"**{escape(item.title)}**"
    parts = [
        tr("activities.innovation.led_by", branch=item.branch) if item.partners else item.branch
    ]
    if item.partners:
        parts.append(tr("demo_sites.page.with", branches="、".join(item.partners)))
    if item.date:
        parts.append(item.date)
    return " · ".join([title, *(escape(p) for p in parts if p)])

"""评优与公示 (S12, S13): the ranking by weighted score, selection within quotas, the 公示 with
its objections, the final list and the 七一 commendation (list and certificates as one zip)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from forms.renderer import escape_markdown
from pages.common import flash, guarded, require_campaign, require_role, services, tr
from workflow.award_book import AwardBook
from workflow.awards import MAX_OBJECTIONS, MAX_TEXT
from workflow.errors import DomainError
from workflow.models import Campaign, Role, User
from workflow.permissions import may_manage_awards

user = require_role(Role.REVIEWER, Role.ADMIN, Role.READER, Role.BRANCH)
st.title(tr("pages.awards.title"))
campaign = require_campaign()
awards = services().awards
manage = may_manage_awards(user)


def _ranking(user: User, campaign: Campaign, book: AwardBook) -> None:
    st.subheader(tr("pages.awards.ranking"))
    places = awards.quotas(user, campaign.id)
    taken = {a: len(book.selected(a)) for a in places}
    st.caption(
        " · ".join(
            tr("pages.awards.quota", award=a, n=n, taken=taken[a]) for a, n in places.items()
        )
    )
    rows = awards.ranking(user, campaign.id)
    if not rows:
        st.info(tr("pages.awards.no_nominations"))
        return
    st.dataframe(
        [
            {
                tr("pages.awards.col.award"): r.award,
                tr("pages.awards.col.rank"): r.rank,
                tr("pages.awards.col.branch"): r.branch,
                tr("pages.awards.col.nominee"): r.nominee or "—",
                tr("pages.awards.col.self"): r.self_score,
                tr("pages.awards.col.committee"): r.committee_score,
                tr("pages.awards.col.score"): r.score,
                tr("pages.awards.col.grade"): r.grade or "—",
                tr("pages.awards.col.eligibility"): tr(f"pages.awards.decision.{r.decision}"),
                tr("pages.awards.col.selected"): "✔" if r.selected else "",
            }
            for r in rows
        ],
        hide_index=True,
    )
    blocked = [r for r in rows if not r.eligible]
    if blocked:
        with st.expander(tr("pages.awards.blocked", n=len(blocked))):
            for r in blocked:
                who = escape_markdown(f"{r.award} · {r.branch} {r.nominee}".strip())
                why = tr(f"pages.awards.decision.{r.decision}")
                reasons = "".join(f"\n- {escape_markdown(x)}" for x in r.reasons)
                st.markdown(f"**{who}**({why}){reasons}")
    if not manage or book.notice is not None:
        return
    labels = {
        r.submission_id: f"{r.award} · {r.branch} {r.nominee}".strip()
        + ("" if r.eligible else f"({tr(f'pages.awards.decision.{r.decision}')})")
        for r in rows
    }
    picked = st.selectbox(
        tr("pages.awards.pick"), list(labels), format_func=labels.__getitem__, key="aw_pick"
    )
    select_col, unselect_col = st.columns(2)
    if select_col.button(tr("pages.awards.select"), key="aw_select", type="primary"):
        with guarded():
            awards.select(user, campaign.id, picked)
            flash(tr("pages.awards.selected"))
            st.rerun()
    if unselect_col.button(tr("pages.awards.unselect"), key="aw_unselect"):
        with guarded():
            awards.unselect(user, campaign.id, picked)
            flash(tr("pages.awards.unselected"))
            st.rerun()


def _notice(user: User, campaign: Campaign, book: AwardBook) -> None:
    st.subheader(tr("pages.awards.notice"))
    if book.notice is not None:
        st.info(tr("pages.awards.notice_dates", start=book.notice.start, end=book.notice.end))
    if manage and book.selections and book.notice is None:  # published once, never re-dated
        today = awards.today()
        start_col, end_col = st.columns(2)
        start = start_col.date_input(
            tr("pages.awards.notice_start"), today, min_value=today, key="aw_start"
        )
        end = end_col.date_input(
            tr("pages.awards.notice_end"),
            today + dt.timedelta(days=6),
            min_value=today,
            key="aw_end",
        )
        if st.button(tr("pages.awards.start_notice"), key="aw_notice"):
            with guarded():
                awards.start_notice(user, campaign.id, start, end)
                flash(tr("pages.awards.notice_saved"))
                st.rerun()
    if book.notice is None:
        return
    chosen = {
        s.submission_id: f"{s.award} · {s.branch} {s.nominee}".strip() for s in book.selections
    }
    left = awards.objections_left(user, campaign.id)
    if chosen and not left:
        st.info(tr("pages.awards.no_objections_left", n=MAX_OBJECTIONS))
    elif chosen:
        with st.form("aw_objection", clear_on_submit=True):
            target = st.selectbox(
                tr("pages.awards.object_to"), list(chosen), format_func=chosen.__getitem__
            )
            text = st.text_area(tr("pages.awards.objection"), max_chars=MAX_TEXT, key="aw_text")
            st.caption(tr("pages.awards.objections_left", n=left, chars=MAX_TEXT))
            if st.form_submit_button(tr("pages.awards.raise")):
                with guarded():
                    awards.object(user, campaign.id, target, text)
                    flash(tr("pages.awards.raised"))
                    st.rerun()
    for objection in book.objections:
        state = (
            tr("pages.awards.upheld" if objection.upheld else "pages.awards.dismissed")
            if objection.resolved
            else tr("pages.awards.open")
        )
        st.markdown(
            f"**{escape_markdown(chosen.get(objection.submission_id, objection.submission_id))}**"
            f" · {state}  \n{escape_markdown(objection.text)}"
            + (f"  \n→ {escape_markdown(objection.resolution)}" if objection.resolved else "")
        )
        if manage and not objection.resolved:
            _resolve_form(user, campaign, objection.id)


def _resolve_form(user: User, campaign: Campaign, objection_id: str) -> None:
    key = f"aw_res:{objection_id}"
    resolution = st.text_input(tr("pages.awards.resolution"), key=f"{key}:text")
    upheld = st.checkbox(tr("pages.awards.uphold"), key=f"{key}:upheld")
    if st.button(tr("pages.awards.resolve"), key=f"{key}:go"):
        with guarded():
            awards.resolve(user, campaign.id, objection_id, upheld=upheld, resolution=resolution)
            flash(tr("pages.awards.resolved"))
            st.rerun()


def _final(user: User, campaign: Campaign) -> None:
    st.subheader(tr("pages.awards.final"))
    try:
        final = awards.final_list(user, campaign.id)
    except DomainError as error:
        st.info(error.message(user.lang))
        return
    st.dataframe(
        [
            {
                tr("pages.awards.col.award"): s.award,
                tr("pages.awards.col.branch"): s.branch,
                tr("pages.awards.col.nominee"): s.nominee or "—",
                tr("pages.awards.col.score"): s.score,
            }
            for s in final
        ],
        hide_index=True,
    )
    date = st.date_input(
        tr("pages.awards.commendation_date"), dt.date(campaign.year, 7, 1), key="aw_date"
    )
    issuer = st.text_input(tr("pages.awards.issuer"), key="aw_issuer")

    def build() -> bytes:
        return awards.commendation_zip(user, campaign.id, date, issuer)

    st.download_button(
        tr("pages.awards.download"),
        data=build,
        file_name=f"commendation-{campaign.year}.zip",
        mime="application/zip",
        key="aw_zip",
        on_click="ignore",
    )


with guarded():
    book = awards.book(user, campaign.id)
    _ranking(user, campaign, book)
    _notice(user, campaign, book)
    _final(user, campaign)

"""数据看板 (S15): per campaign the branch × task matrix, charts of attendance, activities per
branch, news per month and rule pass rates, the year-on-year comparison, and every ledger as
one Excel file. Reviewers, admins and readers; a branch's draft reads as 未提交 (drafts are
its own), as on the home page."""

from __future__ import annotations

import altair as alt
import streamlit as st

from i18n.numbers import format_percent
from pages.common import form_title, lang, require_role, run, services, tr
from workflow.dashboards import FIGURE_COLUMNS, LEDGERS_MIME, figure_label
from workflow.models import Role
from workflow.progress import cell_text

user = require_role(Role.REVIEWER, Role.ADMIN, Role.READER)
st.title(tr("pages.dashboard.title"))
campaigns = services().campaigns.list()
if not campaigns:
    st.info(tr("pages.common.no_campaign"))
    st.stop()
by_id = {c.id: c for c in campaigns}
campaign = by_id[
    st.selectbox(
        tr("pages.dashboard.campaign"),
        list(by_id),
        format_func=lambda i: by_id[i].title,
        key="dash_campaign",
    )
]
dashboards = services().dashboards
shown = run(
    lambda: (
        services().progress.table(user, campaign, every_form=True),
        dashboards.figures(user, campaign.id),
        dashboards.year_on_year(user),
    )
)
if shown is None:
    st.stop()
    raise AssertionError("unreachable")
matrix, figures, years = shown


def bars(values: list[dict[str, object]], x: alt.X, y: alt.Y, **more: object) -> None:
    st.altair_chart(
        alt.Chart(alt.Data(values=values)).mark_bar().encode(x=x, y=y, **more),
        width="stretch",
    )


st.subheader(tr("pages.dashboard.matrix"))
st.caption(tr("pages.dashboard.matrix_hint"))
st.dataframe(
    [
        {
            tr("pages.dashboard.branch"): row.branch.name,
            **{
                form_title(task.form_type): cell_text(cell, lang())
                for task, cell in zip(matrix.tasks, row.cells, strict=True)
            },
        }
        for row in matrix.rows
    ],
    hide_index=True,
)

BRANCH, COUNT, KIND = (
    tr("pages.dashboard.branch"),
    tr("pages.dashboard.count"),
    tr("pages.dashboard.kind"),
)
PERCENT = alt.Axis(format="%")
left, right = st.columns(2)
with left:
    st.subheader(tr("pages.dashboard.attendance"))
    attendance = figure_label("average_attendance", lang())
    bars(
        [{"branch": b.name, "rate": f.average_attendance} for b, f in figures.by_branch],
        alt.X("rate:Q", title=attendance, axis=PERCENT, scale=alt.Scale(domain=[0, 1])),
        alt.Y("branch:N", title=BRANCH, sort="-x"),
        tooltip=[
            alt.Tooltip("branch:N", title=BRANCH),
            alt.Tooltip("rate:Q", title=attendance, format=".1%"),
        ],
    )
with right:
    st.subheader(tr("pages.dashboard.activities"))
    bars(
        [
            {"branch": b.name, "kind": figure_label(kind, lang()), "n": getattr(f, kind)}
            for b, f in figures.by_branch
            for kind in ("theme_activities", "innovation_activities")
        ],
        alt.X("sum(n):Q", title=COUNT),
        alt.Y("branch:N", title=BRANCH),
        color=alt.Color("kind:N", title=KIND),
        tooltip=[
            alt.Tooltip("branch:N", title=BRANCH),
            alt.Tooltip("kind:N", title=KIND),
            alt.Tooltip("sum(n):Q", title=COUNT),
        ],
    )

left, right = st.columns(2)
with left:
    st.subheader(tr("pages.dashboard.news"))
    MONTH = tr("pages.dashboard.month")
    news = [
        {"month": month, "kind": figure_label(kind, lang()), "n": n}
        for month, sent, published in figures.news_by_month
        for kind, n in (("news_reports", sent), ("published_reports", published))
    ]
    if news:
        st.altair_chart(
            alt.Chart(alt.Data(values=news))
            .mark_line(point=True)
            .encode(
                x=alt.X("month:O", title=MONTH),
                y=alt.Y("n:Q", title=COUNT),
                color=alt.Color("kind:N", title=KIND),
                tooltip=[
                    alt.Tooltip("month:O", title=MONTH),
                    alt.Tooltip("kind:N", title=KIND),
                    alt.Tooltip("n:Q", title=COUNT),
                ],
            ),
            width="stretch",
        )
    else:
        st.caption(tr("pages.dashboard.no_news"))
with right:
    st.subheader(tr("pages.dashboard.pass_rates"))
    if figures.pass_rates:
        rate, form = tr("pages.dashboard.pass_rate"), tr("pages.dashboard.form")
        bars(
            [
                {"form": form_title(r.form_type), "rate": r.rate, "n": r.checked}
                for r in figures.pass_rates
            ],
            alt.X("rate:Q", title=rate, axis=PERCENT, scale=alt.Scale(domain=[0, 1])),
            alt.Y("form:N", title=form),
            tooltip=[
                alt.Tooltip("form:N", title=form),
                alt.Tooltip("rate:Q", title=rate, format=".1%"),
                alt.Tooltip("n:Q", title=COUNT),
            ],
        )
    else:
        st.caption(tr("pages.dashboard.no_checks"))

st.subheader(tr("pages.dashboard.years"))
YEAR = tr("pages.dashboard.year")
st.dataframe(
    [
        {
            YEAR: str(y.year),
            tr("pages.dashboard.branches_reporting"): y.branches_reporting,
            **{
                figure_label(c, lang()): (
                    format_percent(getattr(y.totals, c))
                    if c == "average_attendance"
                    else getattr(y.totals, c)
                )
                for c in FIGURE_COLUMNS
            },
            tr("pages.dashboard.pass_rate"): format_percent(y.pass_rate),
        }
        for y in years
    ],
    hide_index=True,
)
if len(years) > 1:
    st.altair_chart(
        alt.Chart(
            alt.Data(
                values=[
                    {
                        "year": str(y.year),
                        "kind": figure_label(c, lang()),
                        "n": getattr(y.totals, c),
                    }
                    for y in years
                    for c in ("study_sessions", "theme_activities", "news_reports")
                ]
            )
        )
        .mark_bar()
        .encode(
            x=alt.X("year:N", title=YEAR),
            y=alt.Y("n:Q", title=COUNT),
            color=alt.Color("year:N", title=YEAR),
            column=alt.Column("kind:N", title=KIND),
            tooltip=[
                alt.Tooltip("kind:N", title=KIND),
                alt.Tooltip("year:N", title=YEAR),
                alt.Tooltip("n:Q", title=COUNT),
            ],
        )
    )


def ledgers() -> bytes:
    return dashboards.ledgers(user, campaign.id)


st.download_button(
    tr("pages.dashboard.export"),
    data=ledgers,
    file_name=f"ledgers-{campaign.year}.xlsx",
    mime=LEDGERS_MIME,
    key="dash_export",
    on_click="ignore",
)

"""Where a form in the builder comes from: a draft or form to continue, a blank new form, or a
copy of any version (built-in, shipped, or one an earlier campaign used) as a new form type."""

from __future__ import annotations

import streamlit as st

from forms.builder import BuilderForm
from forms.builder_table import to_rows
from forms.definition_checks import STAGES
from forms.markdown import escape_markdown
from pages.common import flash, lang, run, stage_label, tr
from workflow.form_builder import FormBuilderService, Template
from workflow.models import User

FORM, REV, CHECK, BASE, EPOCH = "fb:form", "fb:rev", "fb:check", "fb:base", "fb:epoch"


def load(form: BuilderForm, rev: int) -> None:
    """Put ``form`` (saved at draft revision ``rev``) into the builder: a fresh table."""
    st.session_state[FORM], st.session_state[REV] = form, rev
    st.session_state[BASE] = to_rows(form)
    st.session_state[EPOCH] = st.session_state.get(EPOCH, 0) + 1
    st.session_state.pop(CHECK, None)


def _template_name(row: Template) -> str:
    title = row.title_en if lang() == "en" else row.title_zh
    used = "、".join(row.campaigns[:5]) or tr("builder.start.unused")
    return tr(
        "builder.start.template",
        title=title,
        form=row.form_type,
        version=row.form_version,
        source=tr(f"admin_forms.source.{row.source}"),
        used=used,
    )


def start_panel(user: User, builder: FormBuilderService) -> None:
    """Open, create or copy a form; the builder shows it below. Folded while a form is open,
    and then not drawn at all (its lists of forms and of the campaigns that used them are
    read only when the admin unfolds it)."""
    panel = st.expander(
        tr("builder.start.title"),
        expanded=FORM not in st.session_state,
        key="fb:start",
        on_change="rerun",
    )
    if not panel.open:
        return
    with panel:
        mode = st.radio(
            tr("builder.start.mode"),
            ["open", "new", "copy"],
            format_func=lambda m: tr(f"builder.start.{m}"),
            horizontal=True,
            key="fb:mode",
        )
        if mode == "open":
            _open(user, builder)
        elif mode == "new":
            _new(user, builder)
        else:
            _copy(user, builder)


def _open(user: User, builder: FormBuilderService) -> None:
    drafts = [str(d["form_type"]) for d in builder.drafts(user)]
    editable = [t for t in builder.templates(user, campaigns=False) if t.source != "builtin"]
    names = list(dict.fromkeys([*drafts, *(t.form_type for t in editable)]))
    titles = {t.form_type: t.title_en if lang() == "en" else t.title_zh for t in editable}
    picked = st.selectbox(
        tr("builder.start.pick"),
        names,
        format_func=lambda n: tr(
            "builder.start.draft" if n in drafts else "builder.start.current",
            title=titles.get(n, n),
            form=n,
        ),
        key="fb:open_pick",
    )
    if st.button(tr("builder.start.open_button"), key="fb:open", disabled=not names):
        form, rev = builder.open(user, str(picked))
        load(form, rev)
        st.rerun()


def _name_inputs(prefix: str) -> tuple[str, str]:
    name_col, title_col = st.columns(2)
    name = name_col.text_input(
        tr("builder.start.form_type"),
        key=f"fb:{prefix}_type",
        help=tr("builder.start.form_type_help"),
    )
    title = title_col.text_input(tr("builder.start.title_zh"), key=f"fb:{prefix}_title")
    return name.strip(), title.strip()


def _new(user: User, builder: FormBuilderService) -> None:
    name, title = _name_inputs("new")
    stage = st.selectbox(
        tr("builder.form.stage"), STAGES, index=1, format_func=stage_label, key="fb:new_stage"
    )
    if st.button(tr("builder.start.new_button"), key="fb:new", type="primary"):
        load(builder.blank(user, name, title, stage), 0)
        st.rerun()


def _copy(user: User, builder: FormBuilderService) -> None:
    templates = {f"{t.form_type}@{t.form_version}": t for t in builder.templates(user)}
    picked = st.selectbox(
        tr("builder.start.source"),
        list(templates),
        format_func=lambda k: _template_name(templates[k]),
        key="fb:copy_pick",
    )
    leaves_out = (
        builder.copy_leaves_out(user, templates[picked].form_type, templates[picked].form_version)
        if isinstance(picked, str)
        else []
    )
    if leaves_out:  # said before the copy is made, and again once it is
        st.info(_not_carried(leaves_out))
    name, title = _name_inputs("copy")
    if st.button(tr("builder.start.copy_button"), key="fb:copy", type="primary") and picked:
        source = templates[str(picked)]
        copied = run(
            builder.copy_as_draft,
            user,
            source.form_type,
            source.form_version,
            name,
            title,
            success=tr(
                "builder.start.copied", title=escape_markdown(title), form=escape_markdown(name)
            ),
        )
        if copied is not None:
            if leaves_out:
                flash(_not_carried(leaves_out), "warning")
            load(*copied)
            st.rerun()


def _not_carried(items: list[str]) -> str:
    """What a copy does not carry, as a list under one line (the labels are escaped)."""
    lines = "\n".join(f"- {escape_markdown(item)}" for item in items)
    return f"{tr('builder.start.not_carried')}\n\n{lines}"

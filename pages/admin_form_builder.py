"""Admin: build a form as a table of fields, see it as branch staff will, publish a version.

The table (one row per field) becomes a ``forms.builder.BuilderForm``; every change is kept as
the draft (``workflow.form_builder``), checked with the checks every YAML definition gets, and
drawn beside the table by the renderer branch staff see. The YAML it produces is shown read-only
under 高级; publishing makes it the form's next version. Starting points (new, copy of any
version, the next version of a form) are in ``pages/form_builder_start.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

import streamlit as st

from forms.builder import BUILDER_KINDS, BuilderForm
from forms.builder_table import COLUMNS, apply_rows, to_rows
from forms.definition_checks import CONTAINER_TYPES, STAGES
from forms.markdown import escape_markdown
from forms.renderer import clear_form, render_form
from pages.common import flash, guarded, lang, require_role, services, stage_label, tr
from pages.form_builder_start import BASE, CHECK, EPOCH, FORM, REV, load, start_panel
from workflow.form_builder import BuilderCheck
from workflow.models import Role

PREVIEW = "fb:preview"
_EDIT_KEYS = ("edited_rows", "added_rows", "deleted_rows")  # st.data_editor's state

user = require_role(Role.ADMIN)
builder = services().form_builder
st.title(tr("builder.form.title"))
st.caption(tr("builder.form.intro"))


def _columns(form: BuilderForm) -> dict[str, Any]:
    """The table's columns: labels, widgets, and choices picked from the form's own fields."""
    config = st.column_config
    names = {item.name: item.label(lang()) or item.name for item, _ in form.walk()}
    containers = [item.name for item, _ in form.walk() if item.kind in CONTAINER_TYPES]
    return {
        "order": config.NumberColumn(tr("builder.col.order"), help=tr("builder.col.order_help")),
        "parent": config.SelectboxColumn(
            tr("builder.col.parent"),
            options=["", *containers],
            format_func=lambda n: names.get(str(n), str(n)) if n else "—",
            help=tr("builder.col.parent_help"),
        ),
        "name": config.TextColumn(tr("builder.col.name"), help=tr("builder.col.name_help")),
        "kind": config.SelectboxColumn(
            tr("builder.col.kind"),
            options=list(BUILDER_KINDS),
            format_func=lambda k: tr(f"builder.kind.{k}"),
            required=True,
            default="text",
        ),
        "label_zh": config.TextColumn(tr("builder.col.label_zh"), required=True, max_chars=100),
        "label_en": config.TextColumn(tr("builder.col.label_en"), max_chars=100),
        "required": config.CheckboxColumn(tr("builder.col.required"), default=False),
        "options": config.TextColumn(
            tr("builder.col.options"), help=tr("builder.col.options_help")
        ),
        "minimum": config.NumberColumn(tr("builder.col.minimum"), help=tr("builder.col.limits")),
        "maximum": config.NumberColumn(tr("builder.col.maximum"), help=tr("builder.col.limits")),
        "help_zh": config.TextColumn(tr("builder.col.help_zh"), max_chars=500),
        "help_en": config.TextColumn(tr("builder.col.help_en"), max_chars=500),
        "show_field": config.SelectboxColumn(
            tr("builder.col.show_field"),
            options=["", *names],
            format_func=lambda n: names.get(str(n), str(n)) if n else "—",
            help=tr("builder.col.show_help"),
        ),
        "show_value": config.TextColumn(tr("builder.col.show_value"), max_chars=100),
    }


def _table(form: BuilderForm) -> list[dict[str, Any]]:
    """The editable table; its rows as the admin left them (the base stays fixed while the
    editor's edits, which are relative to it, live)."""
    import pandas as pd  # a Streamlit dependency

    editor_key = f"fb:table:{st.session_state.get(EPOCH, 0)}"
    base = st.session_state.setdefault(BASE, to_rows(form))
    frame = pd.DataFrame(base, columns=list(COLUMNS))
    for column in ("order", "minimum", "maximum"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame["required"] = frame["required"].fillna(False).astype("bool")
    edited = st.data_editor(
        frame,
        key=editor_key,
        num_rows="dynamic",
        # from the rows the editor starts from: a config that changes resets the editor
        column_config=_columns(apply_rows(form, base)),
        column_order=list(COLUMNS),
        hide_index=True,
        width="stretch",
        # room for the rows and some more without scrolling inside the table; fixed while
        # the editor lives (a changed height would reset it)
        height=35 * (len(base) + 10) + 3,
    )
    rows = list(edited.to_dict("records"))
    if _no_edits(st.session_state.get(editor_key)) and apply_rows(form, rows) != form:
        load(form, st.session_state.get(REV, 0))  # its edits are gone: redraw the saved form
        st.rerun()
    return rows


def _no_edits(state: Any) -> bool:
    """Whether the editor's state (a mapping, or its JSON) holds no edits: it was drawn anew
    (another screen, a lost session) while the draft holds more than its base rows."""
    if isinstance(state, str):
        try:
            state = json.loads(state)
        except ValueError:
            return False
    return isinstance(state, dict) and not any(state.get(k) for k in _EDIT_KEYS)


def _settings(form: BuilderForm) -> BuilderForm:
    """Title, stage and one-per-campaign of the form being built."""
    epoch = st.session_state.get(EPOCH, 0)
    zh_col, en_col, stage_col = st.columns([2, 2, 1])
    title_zh = zh_col.text_input(tr("builder.form.title_zh"), form.title_zh, key=f"fb:tz:{epoch}")
    title_en = en_col.text_input(tr("builder.form.title_en"), form.title_en, key=f"fb:te:{epoch}")
    stage = stage_col.selectbox(
        tr("builder.form.stage"),
        STAGES,
        index=STAGES.index(form.stage) if form.stage in STAGES else 1,
        format_func=stage_label,
        key=f"fb:st:{epoch}",
    )
    once = st.checkbox(tr("builder.form.once"), form.one_per_campaign, key=f"fb:once:{epoch}")
    return replace(
        form, title_zh=title_zh.strip(), title_en=title_en.strip(), stage=stage,
        one_per_campaign=once,
    )  # fmt: skip


def _preview(check: BuilderCheck) -> None:
    """The form as branch staff will see it, drawn by their renderer; or why it cannot be."""
    for problem in check.problems:
        st.error(escape_markdown(problem))
    if check.messages:
        st.error(tr("builder.form.messages", n=len(check.messages)))
        st.code("\n".join(check.messages), language=None)
    if check.model is None:
        return
    digest = hashlib.sha256(check.text.encode("utf-8")).hexdigest()[:16]
    if st.session_state.get(PREVIEW) not in (None, digest):
        clear_form(f"fb:preview:{st.session_state[PREVIEW]}")  # its widgets are gone
    st.session_state[PREVIEW] = digest
    st.caption(tr("builder.form.preview_caption", count=len(check.model.model_fields)))
    with st.container(border=True):
        render_form(check.model, {}, key=f"fb:preview:{digest}", lang=lang())


def _publish(form: BuilderForm, check: BuilderCheck) -> None:
    """The changes against the version in force, the acknowledgement, publish and discard."""
    if check.changes:
        st.warning(tr("builder.publish.changes"))
        for change in check.changes:
            key = "builder.publish.removed" if change.after is None else "builder.publish.retyped"
            st.markdown(
                "- "
                + tr(
                    key,
                    field=escape_markdown(change.label),
                    before=tr(f"builder.kind.{change.before}"),
                    after=tr(f"builder.kind.{change.after}") if change.after else "",
                    count=change.affected,
                )
            )
    acknowledged = False
    if check.needs_acknowledgement:
        acknowledged = st.checkbox(tr("builder.publish.acknowledge"), key="fb:ack")
    publish_col, discard_col = st.columns(2)
    if publish_col.button(
        tr("builder.publish.button"),
        key="fb:publish",
        type="primary",
        disabled=not check.publishable,
    ):
        with guarded():
            model = builder.publish(
                user, form.form_type, base_rev=st.session_state[REV], acknowledged=acknowledged
            )
            flash(
                tr(
                    "builder.publish.done",
                    title=escape_markdown(model.title_zh),
                    version=model.form_version,
                )
            )
            for key in (FORM, CHECK, BASE, REV):
                st.session_state.pop(key, None)
            st.rerun()
    if discard_col.button(tr("builder.publish.discard"), key="fb:discard"):
        with guarded():
            builder.discard(user, form.form_type)
            flash(tr("builder.publish.discarded"))
            for key in (FORM, CHECK, BASE, REV):
                st.session_state.pop(key, None)
            st.rerun()


with guarded():
    start_panel(user, builder)
    form = st.session_state.get(FORM)
    if not isinstance(form, BuilderForm):
        st.info(tr("builder.form.pick_first"))
        st.stop()
    st.subheader(tr("builder.form.editing", form=form.form_type, version=form.form_version))
    design_tab, yaml_tab, publish_tab = st.tabs(
        [tr("builder.tab.fields"), tr("builder.tab.advanced"), tr("builder.tab.publish")]
    )
    with design_tab:
        table_col, preview_col = st.columns([3, 2])
        with table_col:
            st.caption(tr("builder.form.kinds_help"))
            rows = _table(form)
            # read against the rows the editor started from (its edits are relative to them),
            # so a row's old type is the one it had there, whatever was saved since
            started = apply_rows(form, st.session_state[BASE])
            changed = apply_rows(_settings(started), rows)
            if st.button(tr("builder.form.tidy"), key="fb:tidy", help=tr("builder.form.tidy_help")):
                load(changed, st.session_state.get(REV, 0))  # a fresh table: sorted, rows named
                st.rerun()
        if changed != form or CHECK not in st.session_state:
            saved = builder.save_draft(user, changed, base_rev=st.session_state.get(REV, 0))
            st.session_state[FORM], st.session_state[CHECK] = changed, saved
            st.session_state[REV] = saved.rev
        check = st.session_state[CHECK]
        with preview_col:
            st.markdown(f"**{tr('builder.form.preview')}**")
            _preview(check)
    with yaml_tab:
        st.caption(tr("builder.form.yaml_caption"))
        st.code(check.text, language="yaml", line_numbers=True)
    with publish_tab:
        _publish(changed, check)

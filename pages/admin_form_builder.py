"""Admin: build a form as a table of fields, see it as branch staff will, publish a version.

The table (one row per field) becomes a ``forms.builder.BuilderForm``; every change is kept as
the draft (``workflow.form_builder``; merely opening a form saves nothing), checked with the
checks every YAML definition gets, and drawn beside the table by the renderer branch staff see.
A section or repeat group added to the table is offered as a parent at once (the table starts
anew from the rows as typed); a row whose parent is not a section or repeat group above it is
named with the fix. "仅当" conditions are set below the table: only fields above can be picked,
and a choice or yes/no field's value is picked from its options. When another admin saved the
draft meanwhile, the screen says so and offers to load theirs or keep one's own. The YAML it
produces is shown read-only under 高级; publishing makes it the form's next version. Starting
points (new, copy of any version, the next version of a form) are in
``pages/form_builder_start.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from typing import Any

import streamlit as st

from forms.builder import (
    BUILDER_KINDS,
    BuilderForm,
    ShowWhen,
    condition_targets,
    condition_values,
    with_condition,
)
from forms.builder_table import COLUMNS, apply_rows, named_rows, row_problems, to_rows
from forms.definition_checks import CONTAINER_TYPES, STAGES
from forms.markdown import escape_markdown
from forms.renderer import clear_form, render_form
from i18n import format_time
from pages.common import flash, guarded, lang, require_role, services, stage_label, tr
from pages.form_builder_start import BASE, CHECK, EPOCH, FORM, REV, load, start_panel
from workflow.errors import Conflict
from workflow.form_builder import BuilderCheck
from workflow.models import Role

PREVIEW = "fb:preview"
COND_FIELD = "fb:cond_field"
CONFLICT = "fb:conflict"  # the draft another admin saved (None: published or discarded since)
_EDIT_KEYS = ("edited_rows", "added_rows", "deleted_rows")  # st.data_editor's state

user = require_role(Role.ADMIN)
builder = services().form_builder
st.title(tr("builder.form.title"))
st.caption(tr("builder.form.intro"))


def _columns(form: BuilderForm) -> dict[str, Any]:
    """The table's columns: labels, widgets, and choices picked from the form's own fields
    (those of the rows the editor starts from: a changed config would reset the editor, so
    the table starts anew when the rows add, rename or remove a section or repeat group)."""
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
            disabled=True,  # set below the table, from the fields above and their options
        ),
        "show_value": config.TextColumn(
            tr("builder.col.show_value"), help=tr("builder.col.show_help"), disabled=True
        ),
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


def _publish(form: BuilderForm, check: BuilderCheck, *, blocked: bool) -> None:
    """The changes against the version in force, the acknowledgement, publish and discard
    (publishing is ``blocked`` while the table's rows or another admin's save are unresolved)."""
    if not st.session_state.get(REV):
        st.info(tr("builder.publish.unchanged"))  # nothing saved yet: nothing to publish
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
        disabled=blocked or not check.publishable or not st.session_state.get(REV),
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
    if discard_col.button(
        tr("builder.publish.discard"), key="fb:discard", disabled=not st.session_state.get(REV)
    ):
        with guarded():
            builder.discard(user, form.form_type)
            flash(tr("builder.publish.discarded"))
            for key in (FORM, CHECK, BASE, REV):
                st.session_state.pop(key, None)
            st.rerun()


def _condition_panel(form: BuilderForm) -> tuple[str, ShowWhen | None] | None:
    """Set or clear one field's "仅当" condition: the fields above it to test, and the value
    picked from that field's options (是 / 否 for a yes/no field) or typed. Returns the field
    and its new condition (None: always shown) when a button was pressed."""
    epoch = st.session_state.get(EPOCH, 0)
    targets = condition_targets(form)
    items = {item.name: item for item, _ in form.walk()}
    names = [n for n in items if targets.get(n)]
    st.markdown(f"**{tr('builder.cond.title')}**")
    if not names:
        st.caption(tr("builder.cond.none"))
        return None
    label = {n: items[n].label(lang()) or n for n in items}
    field_col, target_col, value_col = st.columns(3)
    last = st.session_state.get(COND_FIELD)  # the field last given a condition stays picked
    name = str(
        field_col.selectbox(
            tr("builder.cond.field"),
            names,
            index=names.index(last) if last in names else 0,
            format_func=label.__getitem__,
            key=f"fb:cf:{epoch}",
        )
    )
    current = items[name].show_when
    choices = [t.name for t in targets[name]]
    target_name = str(
        target_col.selectbox(
            tr("builder.cond.target"),
            choices,
            index=choices.index(current.field) if current and current.field in choices else 0,
            format_func=label.__getitem__,
            key=f"fb:ct:{epoch}:{name}",
        )
    )
    values = condition_values(items[target_name])
    before = current.value if current and current.field == target_name else ""
    if values:
        value = value_col.selectbox(
            tr("builder.cond.value"),
            values,
            index=values.index(before) if before in values else 0,
            key=f"fb:cv:{epoch}:{name}:{target_name}",
        )
    else:
        value = value_col.text_input(
            tr("builder.cond.value"),
            before,
            max_chars=100,
            help=tr("builder.cond.typed_help"),
            key=f"fb:cv:{epoch}:{name}:{target_name}",
        )
    st.caption(
        tr(
            "builder.cond.current",
            field=escape_markdown(label[name]),
            target=escape_markdown(label.get(current.field, current.field)),
            value=escape_markdown(current.value),
        )
        if current
        else tr("builder.cond.always", field=escape_markdown(label[name]))
    )
    set_col, clear_col = st.columns(2)
    if set_col.button(tr("builder.cond.set"), key="fb:cond_set"):
        st.session_state[COND_FIELD] = name
        return name, ShowWhen(target_name, str(value or "").strip())
    if clear_col.button(tr("builder.cond.clear"), key="fb:cond_clear", disabled=current is None):
        st.session_state[COND_FIELD] = name
        return name, None
    return None


def _save(form: BuilderForm) -> bool:
    """Keep ``form`` as the draft; False (and the conflict remembered) when another admin
    saved it since this screen read it."""
    try:
        saved = builder.save_draft(user, form, base_rev=st.session_state.get(REV, 0))
    except Conflict as exc:
        st.session_state[CONFLICT] = exc.current
        return False
    st.session_state[FORM], st.session_state[CHECK] = form, saved
    st.session_state[REV] = saved.rev
    return True


def _conflict(form: BuilderForm) -> None:
    """Another admin saved (or published, or discarded) this draft since it was read: say so,
    and offer to load theirs or to keep one's own over it; nothing is saved meanwhile."""
    theirs = st.session_state[CONFLICT]
    if isinstance(theirs, dict):
        st.warning(
            tr(
                "builder.conflict.saved",
                by=escape_markdown(str(theirs.get("by", ""))),
                at=format_time(theirs.get("at")),
            )
        )
    else:
        st.warning(tr("builder.conflict.gone"))
    reload_col, keep_col = st.columns(2)
    if reload_col.button(tr("builder.conflict.reload"), key="fb:reload", type="primary"):
        st.session_state.pop(CONFLICT, None)
        load(*builder.open(user, form.form_type))
        st.rerun()
    if keep_col.button(tr("builder.conflict.keep"), key="fb:keep"):
        st.session_state.pop(CONFLICT, None)
        st.session_state[REV] = int(theirs["rev"]) if isinstance(theirs, dict) else 0
        st.rerun()  # the next run saves this screen's form over theirs


def _restart(rows: list[dict[str, Any]]) -> None:
    """Start the table anew from ``rows`` (the draft already holds what they say)."""
    st.session_state[BASE] = rows
    st.session_state[EPOCH] = st.session_state.get(EPOCH, 0) + 1
    st.rerun()


def _containers(form: BuilderForm) -> list[tuple[str, str]]:
    """The sections and repeat groups the 所属 column offers, with their labels."""
    return [
        (item.name, item.label(lang())) for item, _ in form.walk() if item.kind in CONTAINER_TYPES
    ]


with guarded():
    start_panel(user, builder)
    form = st.session_state.get(FORM)
    if not isinstance(form, BuilderForm):
        st.info(tr("builder.form.pick_first"))
        st.stop()
    st.subheader(tr("builder.form.editing", form=form.form_type, version=form.form_version))
    notice = st.container()  # another admin's save, once this run has tried to save
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
            row_issues = row_problems(rows, lang())
            if st.button(
                tr("builder.form.tidy"),
                key="fb:tidy",
                help=tr("builder.form.tidy_help"),
                disabled=bool(row_issues),  # tidying would drop the row's parent unseen
            ):
                load(changed, st.session_state.get(REV, 0))  # a fresh table: sorted, rows named
                st.rerun()
            with st.container(border=True):
                condition = _condition_panel(changed)
        if CONFLICT not in st.session_state:
            if condition is not None and _save(with_condition(changed, *condition)):
                # the table starts anew from the rows as typed, with the condition in its row
                name, show = condition
                cells = {
                    "show_field": show.field if show else "",
                    "show_value": show.value if show else "",
                }
                _restart([{**r, **cells} if r["name"] == name else r for r in named_rows(rows)])
            base = st.session_state[BASE]
            saved = changed == form or _save(changed)
            if saved and (
                _containers(changed) != _containers(started)
                or row_issues != row_problems(base, lang())
            ):
                # a section or repeat group added, renamed or removed: the table starts anew
                # from the rows as typed, so the 所属 column offers it; so too when a row's
                # parent went wrong or right, so the table keeps the row as typed while the
                # draft (which cannot say it) holds the field at the top level
                _restart(named_rows(rows))
        if CONFLICT in st.session_state:
            check = builder.check(user, changed)  # shown, not saved, until the admin decides
            with notice:
                _conflict(form)
        else:
            if CHECK not in st.session_state:  # opened, not changed: nothing is saved
                st.session_state[CHECK] = builder.check(user, form)
            check = st.session_state[CHECK]
        with preview_col:
            st.markdown(f"**{tr('builder.form.preview')}**")
            for issue in row_issues:
                st.error(escape_markdown(issue))
            _preview(check)
    with yaml_tab:
        st.caption(tr("builder.form.yaml_caption"))
        st.code(check.text, language="yaml", line_numbers=True)
    with publish_tab:
        _publish(changed, check, blocked=bool(row_issues) or CONFLICT in st.session_state)

"""Admin: YAML form definitions — list versions, edit or upload with a live preview, save.

The preview is the real renderer (``forms.renderer.render_form``) over the model the text
compiles to; problems show as ``file:line: message``; fields of the version in force the text
removes or retypes are listed with the submitted forms using them, and saving then needs 我已知晓.
Saving goes through ``workflow.form_definitions`` (which refuses non-admins, and such a version
unacknowledged, whatever this page shows).
"""

from __future__ import annotations

import hashlib
import re

import streamlit as st

from forms.markdown import escape_markdown
from forms.renderer import clear_form, render_form
from i18n import format_time
from pages.common import flash, guarded, lang, require_role, services, stage_label, tr
from pages.text_editor import replace, text_editor
from workflow.form_definitions import NEW_DEFINITION, Preview
from workflow.models import Role

TEXT_KEY = "admin_forms:text"
UPLOAD_SEEN_KEY = "admin_forms:upload_seen"
PREVIEW_KEY = "admin_forms:preview"
NEW = ""

user = require_role(Role.ADMIN)
definitions = services().form_definitions
st.title(tr("admin_forms.title"))
st.caption(tr("admin_forms.intro"))


def _with_version(text: str, version: int) -> str:
    """``text`` with its ``form_version`` set to ``version`` (the next free one)."""
    line = f"form_version: {version}"
    if re.search(r"(?m)^form_version:.*$", text):
        return re.sub(r"(?m)^form_version:.*$", line, text, count=1)
    return re.sub(r"(?m)^(form_type:.*)$", rf"\1\n{line}", text, count=1)


def _preview(text: str) -> Preview:
    """The compiled preview of ``text``, reused while the text is unchanged (one model class
    per text, not one per rerun)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    kept = st.session_state.get(PREVIEW_KEY)
    if isinstance(kept, tuple) and kept[0] == digest:
        return kept[1]
    if isinstance(kept, tuple):
        clear_form(f"admin_forms:{kept[0]}")  # the old preview's widgets are gone
    preview = definitions.preview(user, text, tr("admin_forms.source"))
    st.session_state[PREVIEW_KEY] = (digest, preview)
    return preview


with guarded():
    rows = definitions.catalogue(user)
    st.subheader(tr("admin_forms.list"))
    st.dataframe(
        [
            {
                tr("admin_forms.col.form_type"): r.form_type,
                tr("admin_forms.col.title"): r.title_en if lang() == "en" else r.title_zh,
                tr("admin_forms.col.stage"): stage_label(r.stage),
                tr("admin_forms.col.version"): r.form_version,
                tr("admin_forms.col.source"): tr(f"admin_forms.source.{r.source}"),
                tr("admin_forms.col.current"): "✓" if r.current else "",
                tr("admin_forms.col.saved"): f"{r.saved_by} {format_time(r.saved_at)}",
            }
            for r in rows
        ],
        hide_index=True,
    )

    editable = {f"{r.form_type}@{r.form_version}": r for r in rows if r.source != "builtin"}
    start_col, load_col = st.columns([4, 1], vertical_alignment="bottom")
    start = start_col.selectbox(
        tr("admin_forms.start_from"),
        [NEW, *editable],
        format_func=lambda k: (
            tr("admin_forms.start.new")
            if k == NEW
            else tr(
                "admin_forms.start.version",
                title=editable[k].title_en if lang() == "en" else editable[k].title_zh,
                form=editable[k].form_type,
                version=editable[k].form_version,
                next=definitions.next_version(editable[k].form_type),
            )
        ),
        key="admin_forms:start",
    )
    if load_col.button(tr("admin_forms.load"), key="admin_forms:load"):
        if start == NEW:
            replace(TEXT_KEY, NEW_DEFINITION)
        else:
            row = editable[start]
            text = definitions.text_of(user, row.form_type, row.form_version)
            replace(TEXT_KEY, _with_version(text, definitions.next_version(row.form_type)))

    upload = st.file_uploader(tr("admin_forms.upload"), type=["yaml", "yml"], key="admin_forms:up")
    if upload is not None and st.session_state.get(UPLOAD_SEEN_KEY) != upload.file_id:
        st.session_state[UPLOAD_SEEN_KEY] = upload.file_id  # load it once, then let them edit
        try:
            replace(TEXT_KEY, upload.getvalue().decode("utf-8-sig"))
            st.success(tr("admin_forms.uploaded", name=upload.name))
        except UnicodeDecodeError:
            st.error(tr("admin_forms.not_utf8", name=upload.name))

    edit_col, preview_col = st.columns(2)
    with edit_col:
        text = text_editor(
            tr("admin_forms.editor"),
            TEXT_KEY,
            initial=NEW_DEFINITION,
            height=560,
            help=tr("admin_forms.editor_help"),
        )
        save = st.button(tr("admin_forms.save"), key="admin_forms:save", type="primary")
    preview = _preview(text)
    with preview_col:
        st.subheader(tr("admin_forms.preview"))
        if preview.model is None:
            st.error(tr("admin_forms.problems", n=len(preview.messages)))
            st.code("\n".join(preview.messages), language=None)
        else:
            model = preview.model
            st.caption(
                tr(
                    "admin_forms.preview_caption",
                    title=model.title_in(lang()),
                    version=model.form_version,
                    count=len(model.model_fields),
                )
            )
            with st.container(border=True):
                render_form(
                    model, {}, key=f"admin_forms:{st.session_state[PREVIEW_KEY][0]}", lang=lang()
                )
    acknowledged = False
    if preview.changes:  # fields of the version in force removed or retyped
        st.warning(tr("builder.publish.changes"))
        for change in preview.changes:
            key = "builder.publish.removed" if change.after is None else "builder.publish.retyped"
            after = tr(f"builder.kind.{change.after}") if change.after else ""
            before = tr(f"builder.kind.{change.before}")
            label = escape_markdown(change.label)
            st.markdown("- " + tr(key, field=label, before=before, after=after,
                                  count=change.affected))  # fmt: skip
        if any(c.affected for c in preview.changes):
            acknowledged = st.checkbox(  # per text: a tick never carries over to other changes
                tr("builder.publish.acknowledge"),
                key=f"admin_forms:ack:{st.session_state[PREVIEW_KEY][0]}",
            )
    if save:
        saved = definitions.save(user, text, acknowledged=acknowledged)
        title = saved.title_en if lang() == "en" else saved.title_zh
        flash(
            tr(
                "admin_forms.saved",
                title=escape_markdown(title),  # the admin typed it; the message is Markdown
                form=escape_markdown(saved.form_type),
                version=saved.form_version,
            )
        )
        st.rerun()

"""An attachment field: the files already kept (each removable) and a picker for new ones.

Picked files are checked (type by content, size: ``forms.file_content``) as they are picked
and handed to the caller as ``PendingUpload``s; storing them (and checking them again) is the
caller's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import streamlit as st

from forms.field_hints import file_hint, label
from forms.file_content import upload_problem
from forms.markdown import escape_markdown
from forms.specs import FieldSpec
from i18n import t

if TYPE_CHECKING:
    from forms.renderer import FormRun


@dataclass(frozen=True)
class PendingUpload:
    """A file picked in the attachment widget at ``path``, not stored yet.

    The caller stores ``data`` (e.g. ``repo.put_blob``) and appends an ``Attachment`` record
    (name, content_type, size, blob) to the list at ``path`` before saving.
    """

    path: str
    name: str
    content_type: str
    data: bytes


def draw_files(run: FormRun, spec: FieldSpec, raw: Any, path: str, wkey: str) -> list[Any]:
    """Draw the attachment field ``spec``; return the attachments kept (new ones go to
    ``run.uploads``)."""
    kept_key = f"{wkey}:kept"
    kept: list[Any] = run.store["values"].setdefault(
        kept_key, [a for a in raw if isinstance(a, Mapping)] if isinstance(raw, list) else []
    )
    st.markdown(f"**{label(spec, run.lang)}**")
    for index, attachment in enumerate(list(kept)):
        name_col, caption_col, button_col = st.columns([2, 3, 1])
        name_col.text(str(attachment.get("name", "")))
        # A caption travels with the image into the column and the bulletin.
        attachment["caption"] = caption_col.text_input(
            t("forms.file.caption", run.lang),
            value=str(attachment.get("caption", "")),
            max_chars=200,
            key=f"{wkey}:caption:{attachment.get('blob', index)}",
            disabled=run.disabled,
        )
        button_col.button(
            t("forms.file.remove", run.lang),
            key=f"{wkey}:drop:{index}:{attachment.get('blob', '')}",
            on_click=kept.pop,
            args=(index,),
            disabled=run.disabled,
        )
    picked = st.file_uploader(
        t("forms.file.pick", run.lang),
        accept_multiple_files=True,
        key=f"{wkey}:upload",
        help=file_hint(spec, run.lang),
        disabled=run.disabled,
    )
    for upload in picked or []:
        problem = upload_problem(spec, upload.name, upload.getvalue(), run.lang)
        if problem:
            st.error(escape_markdown(problem))  # names the uploaded file
            continue
        run.uploads.append(
            PendingUpload(
                path=path,
                name=upload.name,
                content_type=upload.type or "application/octet-stream",
                data=upload.getvalue(),
            )
        )
    return [dict(a) for a in kept]

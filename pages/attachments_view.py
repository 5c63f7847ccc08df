"""The files attached to a submission, inline: photos and scans as thumbnails (scaled copies,
``forms.thumbnails``) with the original one click away, other files (PDF, Word, Excel) to
download."""

from __future__ import annotations

from typing import Any

import streamlit as st

from forms.markdown import escape_label, escape_markdown
from forms.thumbnails import THUMBNAIL
from pages.common import guarded, services, tr
from workflow.models import Submission, User

THUMBS_PER_ROW = 4
THUMB_WIDTH = 180


def is_image(attachment: dict[str, Any]) -> bool:
    """True for a file a browser draws as a picture (by its type, else its name)."""
    kind = str(attachment.get("content_type") or "")
    name = str(attachment.get("name") or "").lower()
    return kind.startswith("image/") or name.endswith((".png", ".jpg", ".jpeg", ".gif", ".webp"))


def show_attachments(user: User, submission: Submission) -> None:
    """Every file attached to ``submission``: images as thumbnails, the rest as downloads."""
    with guarded():
        files = services().attachments.files(user, submission.id)
        if not files:
            return
        st.markdown(f"**{tr('pages.attachments.title', n=len(files))}**")
        images = [f for f in files if is_image(f)]
        others = [f for f in files if not is_image(f)]
        for start in range(0, len(images), THUMBS_PER_ROW):
            row = images[start : start + THUMBS_PER_ROW]
            for column, image in zip(st.columns(THUMBS_PER_ROW), row, strict=False):
                blob = str(image["blob"])
                thumb = services().attachments.read(user, submission.id, blob, longest=THUMBNAIL)
                # an image's caption is Markdown: the file name the uploader chose, made inert
                column.image(thumb, caption=escape_markdown(str(image["name"])), width=THUMB_WIDTH)
                with column:
                    _download(user, submission, image, tr("pages.attachments.original"))
        for other in others:
            name = escape_label(str(other["name"]))  # a button's label is Markdown too
            _download(user, submission, other, tr("pages.attachments.download", name=name))


def _download(user: User, submission: Submission, file: dict[str, Any], label: str) -> None:
    """A button that fetches the stored file only when clicked."""
    blob = str(file["blob"])

    def fetch() -> bytes:
        return services().attachments.read(user, submission.id, blob)

    st.download_button(
        label,
        data=fetch,
        file_name=str(file["name"]),
        mime=str(file.get("content_type") or "application/octet-stream"),
        key=f"att:{submission.id}:{blob}:{file['name']}",
        icon=":material/download:",
        on_click="ignore",
    )

"""The files attached to a submission, inline: photos and scans as thumbnails that enlarge
(Streamlit's full-screen button on each image), other files (PDF, Word, Excel) to download."""

from __future__ import annotations

from typing import Any

import streamlit as st

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
                data = services().attachments.read(user, submission.id, str(image["blob"]))
                column.image(data, caption=str(image["name"]), width=THUMB_WIDTH)
        for index, other in enumerate(others):
            blob = str(other["blob"])

            def fetch(blob: str = blob) -> bytes:
                return services().attachments.read(user, submission.id, blob)

            st.download_button(
                tr("pages.attachments.download", name=str(other["name"])),
                data=fetch,
                file_name=str(other["name"]),
                mime=str(other.get("content_type") or "application/octet-stream"),
                key=f"att:{submission.id}:{index}:{blob}",
                icon=":material/download:",
                on_click="ignore",
            )

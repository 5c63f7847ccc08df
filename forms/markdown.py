"""User text made inert for Streamlit's Markdown: no formatting, links or HTML.

No Streamlit here, so anything that builds Markdown (pages, reports' previews) can use it.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: str) -> str:
    """User text made inert for ``st.markdown``: no formatting, links or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")

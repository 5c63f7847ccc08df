"""User text made inert for Streamlit's Markdown: no formatting, links or HTML.

No Streamlit here, so anything that builds Markdown (pages, reports' previews) can use it.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")


def escape_markdown(text: str) -> str:
    """User text made inert for ``st.markdown`` and the message boxes (``st.error`` …, which
    render Markdown too): no formatting, links, remote images, HTML or ``:red[…]`` colours
    (escaped brackets and dots also stop bare URLs becoming links); line breaks kept. Every
    piece of user text shown through Markdown goes through here."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")

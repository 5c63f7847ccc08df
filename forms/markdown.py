"""User text made inert for Streamlit's Markdown: no formatting, links or HTML.

No Streamlit here, so anything that builds Markdown (pages, reports' previews) can use it.
"""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&])")
# A widget label is also its accessible name, read as typed by screen readers (and browser
# tests): parentheses, as in 经费预算(元), stay bare. Without an unescaped ``[…]`` before them
# they can never form a link, so nothing else changes.
_LABEL_SPECIAL = re.compile(r"([\\`*_{}\[\]#+\-.!|<>~$&])")


def escape_markdown(text: str) -> str:
    """User text made inert for ``st.markdown`` and the message boxes (``st.error`` …, which
    render Markdown too): no formatting, links, remote images, HTML or ``:red[…]`` colours
    (escaped brackets and dots also stop bare URLs becoming links); line breaks kept. Every
    piece of user text shown through Markdown goes through here."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def escape_label(text: str) -> str:
    """``escape_markdown`` for a widget's label: the same, but parentheses are kept as typed
    (the label is the input's accessible name too; brackets stay escaped, so no link)."""
    return _LABEL_SPECIAL.sub(r"\\\1", text).replace("\n", " ")

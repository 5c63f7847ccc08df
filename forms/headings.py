"""Group headings on screens, one size smaller per level of nesting.

A form's sections and repeat groups can hold further sections and groups; drawn all as
``st.subheader`` they read as one level. Here the depth of a group's path (``plan.items.0.
details`` is depth 2: row numbers do not count) picks the heading: the editor starts at a
subheader (h3), the read-only view, which sits under a page's own subheaders, one size below;
past the smallest heading, bold text.
"""

from __future__ import annotations

import streamlit as st

SMALLEST = 6  # markdown heading level past which a heading is bold text


def depth_of(path: str) -> int:
    """How deep a field's dotted path sits in groups (a top-level field is 0)."""
    return sum(1 for part in path.split(".") if part and not part.isdigit()) - 1


def group_heading(text: str, path: str, *, readonly: bool = False) -> None:
    """Show ``text`` (already escaped for Markdown) as the heading of the group at ``path``."""
    level = 3 + max(depth_of(path), 0) + (1 if readonly else 0)
    if level == 3:
        st.subheader(text)
    elif level > SMALLEST:
        st.markdown(f"**{text}**")
    else:
        st.markdown(f"{'#' * level} {text}")

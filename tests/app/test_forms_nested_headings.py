"""Nested groups read as nested (issue 10, defect): a section inside a section, and a group
inside that, get a heading one size smaller per level, in the editor and read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from forms.headings import depth_of

APP = str(Path(__file__).parent / "apps" / "nested_app.py")


def _headings(app: AppTest) -> dict[str, int]:
    """Heading text → markdown level (0: bold text), of the markdown the page shows."""
    found: dict[str, int] = {}
    for element in app.subheader:
        found[str(element.value)] = 3
    for element in app.markdown:
        text = str(element.value)
        if text.startswith("#"):
            hashes = len(text) - len(text.lstrip("#"))
            found[text[hashes:].strip()] = hashes
        elif text.startswith("**") and text.endswith("**"):
            found[text.strip("*")] = 0
    return found


@pytest.mark.parametrize(("readonly", "top"), [(False, 3), (True, 4)])
def test_each_level_of_nesting_has_a_smaller_heading(readonly: bool, top: int) -> None:
    app = AppTest.from_file(APP, default_timeout=30)
    app.session_state["readonly"] = readonly
    app.run()
    assert not app.exception
    levels = _headings(app)
    assert levels["基本信息"] == top
    assert levels["联系人"] == top + 1
    assert levels["成员"] == top + 1  # a repeat group inside the section


def test_depth_counts_groups_not_row_numbers() -> None:
    assert depth_of("title") == 0
    assert depth_of("details.contact") == 1
    assert depth_of("items.0.details.members") == 2

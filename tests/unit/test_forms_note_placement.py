"""Issue 5 point 2: where a failed rule's note goes on a form, and the anchor a report links to."""

from __future__ import annotations

import re

import pytest

from forms.evaluate import Summary
from forms.launch import Plan
from forms.notes import FieldNote, anchor_id, place_notes, placement

SAFE_ID = re.compile(r"^vg-f-[a-z0-9_-]+$")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("items", "vg-f-items"),
        ("items.0.owner", "vg-f-items-0-owner"),
        ("central_work", "vg-f-central_work"),
        ("statistics.study_sessions", "vg-f-statistics-study_sessions"),
        ("", "vg-f-form"),
    ],
)
def test_anchor_id_is_a_strict_slug_of_the_field_path(path: str, expected: str) -> None:
    assert anchor_id(path) == expected


@pytest.mark.parametrize(
    "path",
    ['items"><script>alert(1)</script>', "a b#c?d=e&f", "主要内容", "Items.0", "x'onmouseover=1"],
)
def test_anchor_id_leaves_nothing_that_breaks_out_of_an_attribute_or_a_fragment(path: str) -> None:
    assert SAFE_ID.match(anchor_id(path)), anchor_id(path)


def test_a_field_path_the_form_draws_is_noted_at_that_field() -> None:
    assert placement(Plan, "items") == "items"
    assert placement(Plan, "items.0.owner") == "items.0.owner"
    assert placement(Plan, "features") == "features"


def test_a_column_of_every_row_is_noted_at_its_group() -> None:
    assert placement(Plan, "items.owner") == "items"
    assert placement(Plan, "schedule.stage") == "schedule"


def test_a_field_of_a_section_is_noted_at_that_field() -> None:
    assert placement(Summary, "statistics.study_sessions") == "statistics.study_sessions"
    assert placement(Summary, "statistics") == "statistics"


def test_an_unknown_path_is_noted_at_its_last_known_part_or_the_form() -> None:
    assert placement(Plan, "items.0.nonexistent") == "items.0"
    assert placement(Plan, "features.0") == "features"
    assert placement(Plan, "nonexistent") == ""


def test_one_rule_naming_several_columns_is_noted_once_at_the_group() -> None:
    note = FieldNote("“主要内容”第 2 项没有做到四落实", "error", "items_four_fixed")
    warning = FieldNote("“主要内容”建议再具体些", "warning", "other")
    placed = place_notes(
        Plan,
        {
            "items.content": [note],
            "items.owner": [note],
            "items.deadline": [note, warning],
            "items.1.owner": [warning],
        },
    )
    assert placed == {"items": [note, warning], "items.1.owner": [warning]}

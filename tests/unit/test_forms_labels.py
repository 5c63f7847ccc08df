"""A widget's label renders Markdown and is also the input's accessible name: an admin's label
cannot become a link or formatting, and 经费预算(元) reads as typed (no backslashes)."""

from __future__ import annotations

from forms.field_hints import label
from forms.launch import Plan
from forms.markdown import escape_label
from forms.specs import field_spec


def test_parentheses_in_a_label_stay_as_typed() -> None:
    spec = field_spec(Plan, "budget")
    assert spec is not None
    assert label(spec, "zh") == "经费预算(元)"


def test_a_label_cannot_become_a_link_or_formatting() -> None:
    assert escape_label("[点我](http://evil.example)") == r"\[点我\](http://evil\.example)"
    assert escape_label("**粗体** <b>x</b>") == r"\*\*粗体\*\* \<b\>x\</b\>"

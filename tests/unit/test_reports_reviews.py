"""The reports read the review trail without importing the workflow: every decision the
workflow records is one the PDFs can print, and anything else is refused, naming the field."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest
from pydantic import ValidationError

from reports.cli import main
from reports.reviews import ReviewEntry, decision_codes
from reports.samples import sample_plan
from workflow.models import Review

DECISIONS = typing.get_args(Review.model_fields["decision"].annotation)


@pytest.mark.parametrize("decision", DECISIONS)
def test_every_recorded_decision_is_a_printable_entry(decision: str) -> None:
    review = Review(reviewer="王审核", at="2026-03-01T09:00:00+00:00", decision=decision, version=1)
    assert ReviewEntry.model_validate(review.model_dump()).decision == decision
    assert decision in decision_codes()


def test_an_unknown_decision_is_refused_like_a_choice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValidationError, match="literal_error"):
        ReviewEntry.model_validate({"reviewer": "a", "at": "x", "decision": "maybe", "version": 1})
    review = {"reviewer": "a", "at": "2026-03-01", "decision": "maybe", "version": 1}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"data": sample_plan(), "reviews": [review]}), encoding="utf-8")
    assert main(["plan", str(path), "-o", str(tmp_path / "out.pdf")]) == 2
    err = capsys.readouterr().err
    assert "「decision」只能从以下选项中选择" in err and "'approve'" in err

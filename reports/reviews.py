"""A review-trail entry as the PDFs read it, so input files are checked without the workflow.

The workflow stores each reviewer decision as ``workflow.models.Review``; a dump of one is a valid
``ReviewEntry``. The decisions a PDF can print are those the catalogues name
(``reports.reviews.decision.<code>``), so a new decision needs its words there first.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from i18n import catalogue

DECISION_KEY = "reports.reviews.decision."


def decision_codes() -> list[str]:
    """The decisions the review trail can print, in the catalogue's order."""
    return [k.removeprefix(DECISION_KEY) for k in catalogue("zh") if k.startswith(DECISION_KEY)]


def _printable(code: str) -> str:
    codes = decision_codes()
    if code not in codes:
        expected = ", ".join(repr(c) for c in codes)
        raise PydanticCustomError(
            "literal_error", "Input should be {expected}", {"expected": expected}
        )
    return code


class ReviewEntry(BaseModel):
    """One step of the review trail: who decided what on which version, and why."""

    reviewer: str
    at: str
    decision: Annotated[str, AfterValidator(_printable)]
    reasons: str = ""
    field_reasons: dict[str, str] = Field(default_factory=dict)
    version: int
    report: dict[str, Any] | None = None

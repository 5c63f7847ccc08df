"""What a rule check returns: one result per rule and the report that stamps them.

The JSON shape is a contract: ``python -m rules check`` prints it and ``python -m reports``
reads it back (docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from i18n import Lang, t
from i18n.numbers import format_percent

Severity = Literal["error", "warning", "veto"]
Decision = Literal["pass", "return", "veto"]


class RuleResult(BaseModel):
    rule: str
    severity: Severity
    passed: bool
    fields: list[str] = Field(default_factory=list)
    message: str = ""  # zh-CN: what is wrong, with the actual values, and how to fix it
    message_en: str = ""
    points: float | None = None
    category: str | None = None
    # For similarity rules: the most similar document and the shared passage.
    evidence: dict[str, str] | None = None


class RuleReport(BaseModel):
    ruleset: str
    version: str
    hash: str
    form: str
    passed: bool
    decision: Decision
    score: float | None = None
    grade: str | None = None
    results: list[RuleResult] = Field(default_factory=list)
    checked_at: str = ""

    def failures(self) -> list[RuleResult]:
        """Results that did not pass, errors and vetoes first."""
        order = {"veto": 0, "error": 1, "warning": 2}
        return sorted((r for r in self.results if not r.passed), key=lambda r: order[r.severity])


def similarity_sentence(
    evidence: Mapping[str, Any], form_title: str, lang: Lang, *, max_passage: int = 80
) -> str:
    """A similarity finding as people say it: 与 研究生院党支部 的方案重复 92%：“……”.

    ``evidence`` is a ``RuleResult.evidence`` of a similarity rule (branch, score, passage);
    the passage is cut to ``max_passage`` characters.
    """
    passage = str(evidence.get("passage") or "")
    if len(passage) > max_passage:
        passage = passage[:max_passage] + "……"
    return t(
        "rules.similar_sentence",
        lang,
        branch=evidence.get("branch") or evidence.get("name") or "?",
        form=form_title,
        score=format_percent(evidence.get("score")),
        passage=passage,
    )

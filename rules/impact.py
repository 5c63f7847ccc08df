"""Re-run a candidate rule set on stored submissions and list whose outcome would change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rules.engine import check_version
from rules.report import RuleReport
from rules.ruleset import RuleSet
from rules.similarity import Comparable
from storage.base import Repository


@dataclass(frozen=True)
class Outcome:
    """What a reviewer sees of a report: decision, grade and the rules that failed."""

    decision: str
    grade: str | None
    failing: tuple[str, ...]

    def describe(self) -> str:
        grade = f"，定级 {self.grade}" if self.grade else ""
        failing = "、".join(self.failing) or "无"
        return f"{self.decision}{grade}，未通过：{failing}"


NOT_CHECKED = Outcome("未检查", None, ())


def outcome_of(report: Mapping[str, Any] | RuleReport | None) -> Outcome:
    """The outcome of a stored report (a dict) or a fresh one."""
    if report is None:
        return NOT_CHECKED
    data = report.model_dump() if isinstance(report, RuleReport) else report
    failing = tuple(sorted(r["rule"] for r in data.get("results", []) if not r.get("passed")))
    return Outcome(str(data.get("decision", "")), data.get("grade"), failing)


@dataclass(frozen=True)
class ImpactRow:
    """One submission whose outcome would change under the candidate."""

    submission_id: str
    branch_id: str
    campaign_id: str
    title: str
    before: Outcome
    after: Outcome

    def line(self) -> str:
        change = f"{self.before.describe()} → {self.after.describe()}"
        return f"{self.submission_id}\t{self.title}\t{change}"


def comparable_of(submission: Mapping[str, Any]) -> Comparable:
    """A stored submission as a document to compare with."""
    data = submission.get("data") or {}
    name = str(data.get("title") or data.get("theme") or submission.get("id", ""))
    branch = str(data.get("branch") or submission.get("branch_id", ""))
    return Comparable(name, branch, data)


def _check(
    candidate: RuleSet, submission: Mapping[str, Any], others: list[Comparable]
) -> RuleReport:
    """The candidate's report on a stored submission, compiled against the form version the
    submission was filled in (a rule-set-level warning where it does not fit that version)."""
    data = submission.get("data") or {}
    version = submission.get("form_version")
    if not isinstance(version, int) or version == candidate.form_version:
        return candidate.check(data, others=others)
    return check_version(candidate.text, candidate.path, data, form_version=version, others=others)


def impact(candidate: RuleSet, repo: Repository) -> tuple[int, list[ImpactRow]]:
    """How many submissions of the candidate's form were re-checked, and those that change.

    Each is checked against the form version it was filled in, and similarity rules compare
    it with the other branches' submissions of the same campaign, as the live check does.
    """
    submissions = repo.find("submissions", {"form_type": candidate.form})
    by_campaign: dict[str, list[Mapping[str, Any]]] = {}
    for sub in submissions:
        by_campaign.setdefault(str(sub.get("campaign_id", "")), []).append(sub)
    rows: list[ImpactRow] = []
    for sub in submissions:
        peers = by_campaign[str(sub.get("campaign_id", ""))]
        others = [comparable_of(p) for p in peers if p.get("branch_id") != sub.get("branch_id")]
        after = outcome_of(_check(candidate, sub, others))
        before = outcome_of(sub.get("report"))
        if after != before:
            rows.append(
                ImpactRow(
                    str(sub.get("id", "")),
                    str(sub.get("branch_id", "")),
                    str(sub.get("campaign_id", "")),
                    comparable_of(sub).name,
                    before,
                    after,
                )
            )
    return len(submissions), rows

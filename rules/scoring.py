"""Score and grade from rule results, as a rule file's ``scoring:`` block says.

Nothing here is a constant of the school's scheme: the base (a number or the weighted
self/committee score), caps per category, grade bands and the veto grade all come from YAML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rules.report import RuleResult
from rules.schema import Scoring


@dataclass(frozen=True)
class Outcome:
    score: float | None
    grade: str | None


def capped_points(scoring: Scoring, results: list[RuleResult]) -> float:
    """Bonus minus deductions, each category's totals held to its caps."""
    bonus: dict[str, float] = defaultdict(float)
    deduction: dict[str, float] = defaultdict(float)
    for result in results:
        if not result.points:
            continue
        key = result.category or ""
        if result.points > 0:
            bonus[key] += result.points
        else:
            deduction[key] -= result.points
    total = 0.0
    for key, amount in bonus.items():
        cap = scoring.categories.get(key)
        total += min(amount, cap.max_bonus) if cap and cap.max_bonus is not None else amount
    for key, amount in deduction.items():
        cap = scoring.categories.get(key)
        limit = cap.max_deduction if cap else None
        total -= min(amount, limit) if limit is not None else amount
    return total


def grade_for(scoring: Scoring, score: float) -> str | None:
    """The first band (highest first) whose minimum the score reaches."""
    for band in scoring.grades:
        if score >= band.min:
            return band.name
    return scoring.grades[-1].name if scoring.grades else None


def worse_of(scoring: Scoring, grade: str | None, cap: str) -> str | None:
    """The lower of two grades by their position in the bands."""
    names = [g.name for g in scoring.grades]
    if grade is None or cap not in names or grade not in names:
        return grade
    return names[max(names.index(grade), names.index(cap))]


def score_and_grade(
    scoring: Scoring, base: float | None, results: list[RuleResult], caps: list[str], veto: bool
) -> Outcome:
    """The final score (None when the base could not be computed) and grade."""
    if base is None:
        return Outcome(None, None)
    score = round(min(max(base + capped_points(scoring, results), scoring.min), scoring.max), 2)
    grade = grade_for(scoring, score)
    for cap in caps:
        grade = worse_of(scoring, grade, cap)
    if veto and scoring.grades:
        grade = scoring.veto_grade or scoring.grades[-1].name
    return Outcome(score, grade)

"""The rule-file format as Pydantic models (documented in docs/rules.md).

Only the shape is checked here (unknown keys, wrong types, missing keys); whether expressions
and field names make sense for the form is checked by ``rules.compiler``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rules.report import Severity

Identifier = Field(
    pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
    max_length=80,
    description="只能用字母、数字和下划线，且不能以数字开头",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Message(Strict):
    """What the reviewer and the branch read when a rule fails, in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Similarity(Strict):
    """Compare the form's text with other documents (其他支部的方案、往年方案)."""

    fields: list[str] = Field(min_length=1)
    # Highest similarity (0..1) still accepted; a number or "$settings.NAME".
    max_similarity: float | str
    # Texts shorter than this are not compared (too short to mean anything).
    min_length: int = Field(default=20, ge=1)
    # Campaign-prescribed wording removed before comparing: a list or "$settings.NAME".
    prescribed: list[str] | str = Field(default_factory=list)


class Phrases(Strict):
    """Judge a text point by point against a phrase catalogue (``rules.phrases``).

    ``expect: absent`` (stock phrases, denials): the rule fails when more than ``max_share`` of
    the points count. ``expect: present`` (a concrete detail, a measurable target): the rule
    fails when no point counts. A point counts when the patterns cover at least ``point_share``
    of it (0: any match). Patterns, lead-ins and shares may name settings (``$settings.NAME``).
    """

    fields: list[str] = Field(min_length=1)
    patterns: list[str] | str
    lead_ins: list[str] | str = Field(default_factory=list)
    point_share: float | str = 0.5
    max_share: float | str = 0.5
    expect: Literal["absent", "present"] = "absent"


class Rule(Strict):
    """One check: ``expression`` true means the form passes it."""

    id: str = Identifier
    expression: str | None = None
    similarity: Similarity | None = None
    phrases: Phrases | None = None
    severity: Severity = "error"
    fields: list[str] = Field(default_factory=list)
    message: Message
    values: dict[str, str] = Field(default_factory=dict)
    when: str | None = None
    category: str | None = None
    # 扣分 when the rule fails / 加分 when it holds (both positive numbers).
    deduct: float | None = Field(default=None, gt=0)
    bonus: float | None = Field(default=None, gt=0)
    # When the rule fails, the grade can be no better than this band.
    max_grade: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Rule:
        kinds = [k for k in (self.expression, self.similarity, self.phrases) if k is not None]
        if len(kinds) != 1:
            raise ValueError("每条规则必须且只能有 expression、similarity 或 phrases 之一")
        if self.deduct is not None and self.bonus is not None:
            raise ValueError("一条规则不能同时有 deduct（扣分）和 bonus（加分）")
        return self

    @field_validator("values")
    @classmethod
    def _value_names(cls, values: dict[str, str]) -> dict[str, str]:
        for name in values:
            if not name.isidentifier():
                raise ValueError(f"values 的名称 {name!r} 只能用字母、数字和下划线")
        return values


class Grade(Strict):
    """A grade band: the score must be at least ``min``."""

    name: str = Field(min_length=1)
    min: float


class Category(Strict):
    """Caps per category: at most ``max_deduction`` taken and ``max_bonus`` given."""

    max_deduction: float | None = Field(default=None, ge=0)
    max_bonus: float | None = Field(default=None, ge=0)


class Scoring(Strict):
    """How results become a score and a grade."""

    # A number, or an expression over the form (e.g. the weighted self/committee score).
    base: float | str = 100
    min: float = 0
    max: float = 100
    categories: dict[str, Category] = Field(default_factory=dict)
    grades: list[Grade] = Field(default_factory=list)
    # Grade given when a veto rule fails (default: the lowest band).
    veto_grade: str | None = None

    @field_validator("grades")
    @classmethod
    def _descending(cls, grades: list[Grade]) -> list[Grade]:
        mins = [g.min for g in grades]
        if mins != sorted(mins, reverse=True):
            raise ValueError("grades 必须按 min 从高到低排列")
        return grades


class Comparable(Strict):
    """Another document to compare with, as written in a test."""

    name: str
    branch: str = ""
    data: dict[str, Any]


class Expect(Strict):
    """What a test expects."""

    passed: bool | None = None
    decision: Literal["pass", "return", "veto"] | None = None
    failing: list[str] | None = None
    score: float | None = None
    grade: str | None = None
    messages: dict[str, str] | None = None  # rule id → text the zh message must contain


class RuleTest(Strict):
    """Sample data and the outcome the rule set must give for it."""

    name: str = Field(min_length=1)
    extends: str | None = None
    given: dict[str, Any] = Field(default_factory=dict)
    # Skip form validation (to test how rules survive broken data).
    raw: bool = False
    others: list[Comparable] = Field(default_factory=list)
    settings: dict[str, Any] = Field(default_factory=dict)
    expect: Expect


class RuleSetFile(Strict):
    """A whole rule file."""

    name: str = Identifier
    form: str = Field(min_length=1)
    version: str | int | float
    description: str = ""
    settings: dict[str, Any] = Field(default_factory=dict)
    # The settings the file's tests were written for, where they differ from ``settings``: an
    # admin who changes a threshold in the form does not break the built-in tests.
    test_settings: dict[str, Any] = Field(default_factory=dict)
    rules: list[Rule] = Field(min_length=1)
    scoring: Scoring | None = None
    tests: list[RuleTest] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> RuleSetFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"规则 id {rule.id!r} 重复")
            seen.add(rule.id)
        return self

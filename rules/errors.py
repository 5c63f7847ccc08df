"""Errors of the rules package: each names the file, the line, what is wrong and a fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rule file, shown as ``file:line: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RulesError(Exception):
    """Base class of the errors this package raises."""


class RuleLoadError(RulesError):
    """A rule file cannot be used; ``problems`` lists everything found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RuleSetNotFound(RulesError):
    """No rule file with that name or path."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"找不到规则集 {name!r}，可用的有：{', '.join(known) or '无'}")

"""Errors of the rules package: each names the file, the line, what is wrong and a fix.

They are ``core.errors.VanguardError``s; a close name a misspelling most likely meant is kept
as ``suggestion`` and worded when the problem is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import VanguardError, close_match
from i18n import t


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a rule file, shown as ``file:line: message``."""

    file: str
    line: int
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        hint = (
            t("core.error.suggestion", "zh", suggestion=self.suggestion) if self.suggestion else ""
        )
        return f"{self.file}:{self.line}: {self.message}{hint}"


class RulesError(VanguardError):
    """Base class of the errors this package raises."""


class RuleLoadError(RulesError):
    """A rule file cannot be used; ``problems`` lists everything found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RuleSetNotFound(RulesError):
    """No rule file with that name or path; ``known`` lists the shipped ones, ``suggestion``
    the one a misspelt name most likely meant."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name, self.known = name, known
        super().__init__(
            key="rules.error.not_found",
            values={"name": repr(name), "known": ", ".join(known) or "-"},
            record=name,
            suggestion=close_match(name, known),
        )

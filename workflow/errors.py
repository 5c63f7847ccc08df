"""Domain errors: each carries a Chinese message for the person who caused it.

Pages turn them into ``st.error``; the CLI prints them. Every error here is a ``DomainError``,
so ``except DomainError`` catches them all. ``Conflict`` and ``NotFound`` are also the storage
errors of the same name (the services translate the store's into these), so code catching
``storage.errors.Conflict`` keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storage import errors as storage_errors

if TYPE_CHECKING:
    from rules.report import RuleReport

__all__ = [
    "AuthFailed",
    "Conflict",
    "DomainError",
    "InvalidTransition",
    "NotFound",
    "NothingToDraw",
    "PermissionDenied",
    "QuotaExceeded",
    "RuleSetMissing",
    "RulesFailed",
    "ValidationFailed",
]


class DomainError(Exception):
    """Base class; ``str(error)`` is the message shown to the user."""


class PermissionDenied(DomainError):
    """The user may not do this (checked in workflow/permissions.py)."""


class InvalidTransition(DomainError):
    """The record's status does not allow this step (e.g. approving a returned plan)."""


class QuotaExceeded(DomainError):
    """A campaign quota (demo sites, awards) would be exceeded."""


class ValidationFailed(DomainError):
    """Form data failed validation; ``errors`` maps a field path (e.g. ``items.0.owner``)
    to a Chinese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("表单有 {} 处需要修改:{}".format(len(errors), ";".join(errors.values())))


class Conflict(DomainError, storage_errors.Conflict):
    """Someone saved the record since it was loaded (已被他人修改); ``current`` holds theirs."""


class NotFound(DomainError, storage_errors.NotFound):
    """No record with that id (or none the user may see)."""


class AuthFailed(DomainError):
    """Login or password wrong; one message for both so a login's existence is not revealed."""


class RulesFailed(DomainError):
    """A submission failed an ``error`` or ``veto`` rule; ``report`` says which and how to fix."""

    def __init__(self, message: str, report: RuleReport) -> None:
        self.report = report
        super().__init__(message)


class RuleSetMissing(DomainError):
    """A form names a rule set (``ruleset:``) that is neither shipped nor published, so its
    submissions cannot be checked; the message names it and what an admin should do."""


class NothingToDraw(DomainError):
    """A spot-check found no submitted plans to draw from."""

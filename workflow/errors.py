"""Domain errors: each carries a message for the person who caused it.

Pages turn them into ``st.error`` (``error.message(lang)``); the CLI prints them. Every error
here is a ``DomainError``, itself a ``core.errors.VanguardError``, so ``except DomainError``
catches them all and ``except VanguardError`` catches them with the storage and rules errors.
``Conflict`` and ``NotFound`` are also the storage errors of the same name (the services
translate the store's into these), so code catching ``storage.errors.Conflict`` keeps working.

An error raised with ``keyed(key, lang, **values)`` is worded from the message catalogue in
whichever language it is shown in; ``str(error)`` is the message in ``lang``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from core.errors import VanguardError
from i18n import lookup
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
    "SessionEnded",
    "ValidationFailed",
]


class DomainError(VanguardError):
    """Base class; ``str(error)`` is the message shown to the user."""

    @classmethod
    def keyed(cls, key: str, lang: str = "zh", /, **values: Any) -> Self:
        """The error whose message is the catalogue's ``key`` filled with ``values``;
        ``str()`` words it in ``lang``, ``message(other)`` in another language."""
        return cls(key=key, values=values, lang=lang)


class PermissionDenied(DomainError):
    """The user may not do this (checked in workflow/permissions.py)."""


class SessionEnded(PermissionDenied):
    """The signed-in account was disabled, removed, or had its password, role or branch
    changed since the session began: the session must end (sign in again)."""


class InvalidTransition(DomainError):
    """The record's status does not allow this step (e.g. approving a returned plan)."""


class QuotaExceeded(DomainError):
    """A campaign quota (demo sites, awards) would be exceeded."""


class ValidationFailed(DomainError):
    """Form data failed validation; ``errors`` maps a field path (e.g. ``items.0.owner``)
    to a message in the user's language (``forms.explain``); ``field`` is the first path."""

    def __init__(self, errors: dict[str, str], lang: str = "zh") -> None:
        self.errors = errors
        super().__init__(
            key="workflow.invalid.summary",
            values={"count": len(errors), "details": ";".join(errors.values())},
            lang=lang,
            field=next(iter(errors), None),
        )


class Conflict(DomainError, storage_errors.Conflict):
    """Someone saved the record since it was loaded (已被他人修改); ``current`` holds theirs."""


class NotFound(DomainError, storage_errors.NotFound):
    """No record with that id (or none the user may see).

    Its message says in words what is missing and what to do (``workflow.not_found.<kind>``,
    else ``workflow.not_found.record``), never the store's kind and id, which stay in
    ``kind``, ``id`` and ``record`` for logs and callers."""

    def __init__(self, kind: str, id: str) -> None:
        super().__init__(kind, id)
        specific = f"workflow.not_found.{kind}"
        self.key = specific if lookup(specific) is not None else "workflow.not_found.record"
        self.values = {"id": id}


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

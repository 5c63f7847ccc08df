"""Domain errors: each carries a Chinese message for the person who caused it.

Pages turn them into ``st.error``; the CLI prints them. ``Conflict`` comes from the store.
"""

from __future__ import annotations

from storage.errors import Conflict, NotFound

__all__ = [
    "Conflict",
    "DomainError",
    "InvalidTransition",
    "NotFound",
    "PermissionDenied",
    "QuotaExceeded",
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

"""Merging an edit that met 已被他人修改 (a stale save) with the version stored meanwhile.

The editor holds what the user typed (*mine*) and the revision it started from (*base*); the
store holds the version someone else saved (*theirs*). A field changed on one side only takes
that side's value; a field both sides changed to different values keeps the user's value (what
they typed is never lost) and is reported by its label so they can check it before saving.
The three-way merge itself is ``storage.merge``; ``SubmissionService.merge_conflict`` loads the
versions and checks permissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from forms.specs import path_label
from i18n import Lang
from storage.merge import apply_choices, three_way_merge


@dataclass(frozen=True)
class FieldClash:
    """A field both sides changed: its path (``items.0.owner``) and how the form names it."""

    path: str
    label: str


@dataclass(frozen=True)
class MergeOutcome:
    """The merged data and what the user must check.

    ``data`` holds every one-sided change and, where both sides changed a field, the user's
    value. ``rev`` is the stored revision the merge was made against: save ``data`` with
    ``expected_rev=rev``.
    """

    data: dict[str, Any]
    rev: int
    clashes: list[FieldClash] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when no field was changed on both sides."""
        return not self.clashes

    @property
    def labels(self) -> list[str]:
        """The labels of the fields both sides changed, in form order."""
        return [clash.label for clash in self.clashes]


def merge_edits(
    model: type[BaseModel],
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    *,
    rev: int,
    lang: Lang = "zh",
) -> MergeOutcome:
    """Merge ``mine`` and ``theirs`` (stored at ``rev``), both edited from ``base``.

    Both-side changes keep ``mine`` and are listed with their labels in ``lang``.
    """
    result = three_way_merge(base, mine, theirs)
    paths = [conflict.path for conflict in result.conflicts]
    merged = apply_choices(result, set(paths))
    clashes = [FieldClash(path, path_label(model, path, lang)) for path in paths]
    return MergeOutcome(merged, rev, clashes)

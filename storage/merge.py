"""Three-way merge of two versions of a document over their common base revision.

When a save meets ``Conflict`` (已被他人修改), the page holds three versions: the *base* revision
the user started editing, *mine* (what the user typed) and *theirs* (``Conflict.current``).
A field changed on one side only takes that side's value; a field changed on both sides to
different values is a conflict for the user to decide. Nested dicts are merged field by field
(``data.title``); lists and other values are compared whole. Pure: no storage access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Keys the store owns; never reported as conflicts (the merge takes theirs).
STORE_KEYS = frozenset({"id", "rev", "updated_at", "updated_by"})


class _Missing:
    """A field absent from one version (distinct from a field set to None)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class FieldConflict:
    """One field both sides changed differently; ``MISSING`` marks a removed field."""

    path: str
    base: Any
    mine: Any
    theirs: Any


@dataclass(frozen=True)
class MergeResult:
    """``merged`` holds every non-conflicting change and, for conflicts, theirs (the stored
    value) until the user decides; save it with ``expected_rev=merged["rev"]``."""

    merged: dict[str, Any]
    conflicts: list[FieldConflict] = field(default_factory=list)
    mine_changed: list[str] = field(default_factory=list)
    theirs_changed: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when nothing needs a person's decision."""
        return not self.conflicts


def three_way_merge(
    base: Mapping[str, Any], mine: Mapping[str, Any], theirs: Mapping[str, Any]
) -> MergeResult:
    """Merge ``mine`` and ``theirs``, both derived from ``base``."""
    conflicts: list[FieldConflict] = []
    mine_changed: list[str] = []
    theirs_changed: list[str] = []
    merged = _merge(base, mine, theirs, "", conflicts, mine_changed, theirs_changed)
    for key in STORE_KEYS:
        if key in theirs:
            merged[key] = theirs[key]
    return MergeResult(merged, conflicts, mine_changed, theirs_changed)


def apply_choices(result: MergeResult, choose_mine: set[str]) -> dict[str, Any]:
    """``result.merged`` with the conflicts whose path is in ``choose_mine`` set to mine."""
    merged = _deep_copy(result.merged)
    for conflict in result.conflicts:
        if conflict.path in choose_mine:
            _set_path(merged, conflict.path, conflict.mine)
    return merged


def _merge(
    base: Mapping[str, Any],
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    prefix: str,
    conflicts: list[FieldConflict],
    mine_changed: list[str],
    theirs_changed: list[str],
) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    keys = list(dict.fromkeys([*base, *mine, *theirs]))
    for key in keys:
        if not prefix and key in STORE_KEYS:
            continue
        path = f"{prefix}{key}"
        b, m, t = base.get(key, MISSING), mine.get(key, MISSING), theirs.get(key, MISSING)
        if all(isinstance(v, Mapping) for v in (b, m, t)):
            merged[key] = _merge(b, m, t, f"{path}.", conflicts, mine_changed, theirs_changed)
            continue
        mine_diff, theirs_diff = m != b, t != b
        if mine_diff:
            mine_changed.append(path)
        if theirs_diff:
            theirs_changed.append(path)
        if mine_diff and theirs_diff and m != t:
            conflicts.append(FieldConflict(path, b, m, t))
            value = t
        else:
            value = m if mine_diff else t
        if value is not MISSING:
            merged[key] = _deep_copy(value)
    return merged


def _set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc.setdefault(part, {})
    if value is MISSING:
        doc.pop(last, None)
    else:
        doc[last] = _deep_copy(value)


def _deep_copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value

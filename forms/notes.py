"""Remarks shown at a form's fields (a failed rule's message), where each goes, and its anchor.

A rule names the fields it concerns by path: ``items`` (a repeat group), ``items.0.owner`` (a
field of one row), ``statistics.study_sessions`` (a field of a section) or ``items.owner`` (a
column of every row). ``placement`` turns such a path into the place the renderer draws: the
field itself, or the nearest enclosing group when no single widget stands for it (a column of
every row is noted at its group). ``anchor_id`` is the HTML id of the light anchor drawn just
before that place, so a report can link to it (``#vg-f-items``).

No Streamlit here: the pages turn rule reports into notes, the renderer draws them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from forms.specs import describe

NoteSeverity = Literal["error", "warning", "veto"]
ANCHOR_PREFIX = "vg-f-"
_UNSAFE = re.compile(r"[^a-z0-9_]+")


@dataclass(frozen=True)
class FieldNote:
    """A remark to show at a field: a failed rule's message, styled by its severity."""

    message: str
    severity: NoteSeverity = "error"
    rule: str = ""  # the rule it comes from (two rules with one message stay two notes)


def anchor_id(path: str) -> str:
    """The HTML id of the anchor before the field at ``path``: ``vg-f-`` and a strict slug.

    Only ``a-z``, ``0-9``, ``_`` and ``-`` survive (any other run of characters, the dots of a
    path included, becomes one ``-``), so the id is safe in an attribute and in a URL fragment.
    """
    slug = _UNSAFE.sub("-", path.lower()).strip("-")
    return ANCHOR_PREFIX + (slug or "form")


def placement(model: type[BaseModel], path: str) -> str:
    """Where a note about ``path`` is drawn in a form of ``model`` ("" = the top of the form).

    The path itself when the form has a field there; a repeat group's column without a row
    (``items.owner``) or a row number past a plain field goes to the enclosing group or field;
    an unknown name stops at the last known part.
    """
    parts = [p for p in path.split(".") if p]
    kept: list[str] = []
    current: type[BaseModel] | None = model
    index = 0
    while index < len(parts) and current is not None:
        spec = next((s for s in describe(current) if s.name == parts[index]), None)
        if spec is None:
            break
        kept.append(spec.name)
        index += 1
        current = None
        if spec.model is None:
            break
        if spec.kind == "repeat":
            if index < len(parts) and parts[index].isdigit():
                kept.append(parts[index])
                index += 1
                current = spec.model
        elif spec.kind in ("section", "readonly"):
            current = spec.model
    return ".".join(kept)


def place_notes(
    model: type[BaseModel], notes: Mapping[str, Sequence[FieldNote]] | None
) -> dict[str, list[FieldNote]]:
    """``notes`` keyed by where they are drawn (see ``placement``), each note once per place."""
    placed: dict[str, dict[FieldNote, None]] = {}
    for path, items in (notes or {}).items():
        at = placed.setdefault(placement(model, path), {})
        for note in items:
            at[note] = None
    return {path: list(items) for path, items in placed.items() if items}

"""Similarity between a form's text and other documents ("没有特色").

Texts are compared after removing whitespace and punctuation, with rapidfuzz's normalised
Indel similarity (character based, so it works for Chinese without word segmentation). The most
similar document is reported with the longest passage both share, as evidence a reviewer can read.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
PASSAGE_LIMIT = 4000  # characters searched for the shared passage


@dataclass(frozen=True)
class Comparable:
    """Another document to compare with: a display name, its branch and its form data."""

    name: str
    branch: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """The most similar document, how similar (0..1) and the longest shared passage."""

    name: str
    branch: str
    score: float
    passage: str


def _collect(value: Any, rest: list[str], out: list[str]) -> None:
    if value is None:
        return
    if isinstance(value, list | tuple):
        for item in value:
            _collect(item, rest, out)
    elif isinstance(value, Mapping):
        if rest:
            _collect(value.get(rest[0]), rest[1:], out)
        else:
            for item in value.values():
                _collect(item, [], out)
    elif not rest:
        out.append(str(value))


def text_of(data: Mapping[str, Any], fields: Iterable[str]) -> str:
    """The text of ``fields`` (dotted paths such as ``items.content`` allowed), one per line."""
    out: list[str] = []
    for path in fields:
        head, *rest = path.split(".")
        _collect(data.get(head), rest, out)
    return "\n".join(t for t in out if t)


def normalise(text: str) -> str:
    """Text without whitespace and punctuation, which carry no meaning for the comparison."""
    return _NOISE.sub("", text)


def shared_passage(a: str, b: str) -> str:
    """The longest passage (after normalising) that both texts contain."""
    a, b = normalise(a)[:PASSAGE_LIMIT], normalise(b)[:PASSAGE_LIMIT]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    found = matcher.find_longest_match(0, len(a), 0, len(b))
    return a[found.a : found.a + found.size]


def most_similar(
    text: str, others: Iterable[Comparable], fields: list[str], min_length: int
) -> Match | None:
    """The other document whose ``fields`` are most similar to ``text`` (None if none compare)."""
    mine = normalise(text)
    if len(mine) < min_length:
        return None
    best: tuple[float, Comparable, str] | None = None
    for other in others:
        their_text = text_of(other.data, fields)
        theirs = normalise(their_text)
        if len(theirs) < min_length:
            continue
        score = fuzz.ratio(mine, theirs) / 100.0
        if best is None or score > best[0]:
            best = (score, other, their_text)
    if best is None:
        return None
    score, other, their_text = best
    return Match(other.name, other.branch, round(score, 4), shared_passage(text, their_text))

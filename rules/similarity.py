"""Similarity between a form's text and other documents ("没有特色").

Texts are compared after removing whitespace, punctuation and the wording the campaign itself
prescribes (an admin-kept phrase list such as 亮身份、作承诺 or 三会一课: two branches doing the
prescribed thing in the prescribed words are not copying each other), with rapidfuzz's
normalised Indel similarity (character based, so it works for Chinese without word
segmentation). The most similar document of another branch is reported with the longest passage
both share, as written (punctuation kept) and at most ``QUOTE_LIMIT`` characters, as evidence a
reviewer can read. The branch's own earlier documents are compared apart: carrying on last
year's 党建品牌 is continuity, reported as a note, not as "没有特色".
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from rules.phrases import Catalogue

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
_KEPT = re.compile(r"[^\s\W_]+", re.UNICODE)  # runs of the characters _NOISE leaves
PASSAGE_LIMIT = 4000  # characters searched for the shared passage
QUOTE_LIMIT = 40  # characters of the shared passage quoted in a message


@dataclass(frozen=True)
class Comparable:
    """Another document to compare with: a display name, its branch and its form data."""

    name: str
    branch: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    # its text per tuple of fields: one corpus serves every plan of a stage's check
    _texts: dict[tuple[str, ...], str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def text(self, fields: Iterable[str]) -> str:
        """``text_of`` its data, worked out once per set of fields."""
        key = tuple(fields)
        if key not in self._texts:
            self._texts[key] = text_of(self.data, key)
        return self._texts[key]


@dataclass(frozen=True)
class Match:
    """The most similar document, how similar (0..1) and the longest shared passage (quoted
    from ``text``, found when first asked for: only a rule that fails or notes quotes it)."""

    name: str
    branch: str
    score: float
    text: str = field(repr=False)
    their_text: str = field(repr=False)
    prescribed: Catalogue | None = field(default=None, repr=False)

    @functools.cached_property
    def passage(self) -> str:
        """The longest passage both texts contain, as ``shared_passage`` quotes it."""
        return shared_passage(self.text, self.their_text, self.prescribed)


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


def _plain(text: str, prescribed: Catalogue | None) -> tuple[str, list[int]]:
    """``text`` normalised and without prescribed wording, with each character's position in
    ``text`` (so a passage found in the plain text can be quoted as written)."""
    runs = [(m.start(), m.group()) for m in _KEPT.finditer(text[: PASSAGE_LIMIT * 2])]
    plain = "".join(run for _, run in runs)
    where = [start + n for start, run in runs for n in range(len(run))]
    drop = _prescribed_spans(plain, prescribed)
    if drop:
        kept = [n for n in range(len(plain)) if n not in drop]
        plain = "".join(plain[n] for n in kept)
        where = [where[n] for n in kept]
    return plain, where


def _prescribed_spans(plain: str, prescribed: Catalogue | None) -> set[int]:
    """Positions in ``plain`` covered by prescribed wording."""
    drop: set[int] = set()
    for pattern in prescribed.compiled if prescribed is not None else ():
        for match in pattern.finditer(plain):
            drop.update(range(*match.span()))
    return drop


def comparable_text(text: str, prescribed: Catalogue | None = None) -> str:
    """What is compared: ``text`` normalised, prescribed wording removed.

    Remembered for the last few thousand texts: a stage's batch check compares every plan
    with every other, so each text would otherwise be normalised once per plan."""
    return _comparable(text, prescribed)


@functools.lru_cache(maxsize=4096)
def _comparable(text: str, prescribed: Catalogue | None) -> str:
    plain = _NOISE.sub("", text[: PASSAGE_LIMIT * 2])
    drop = _prescribed_spans(plain, prescribed)
    return "".join(c for n, c in enumerate(plain) if n not in drop) if drop else plain


def shared_passage(a: str, b: str, prescribed: Catalogue | None = None) -> str:
    """The longest passage both texts contain (prescribed wording aside), quoted from ``a`` as
    written — punctuation kept — and cut to ``QUOTE_LIMIT`` characters."""
    plain_a, where = _plain(a, prescribed)
    plain_a, plain_b = plain_a[:PASSAGE_LIMIT], _plain(b, prescribed)[0][:PASSAGE_LIMIT]
    matcher = difflib.SequenceMatcher(None, plain_a, plain_b, autojunk=False)
    found = matcher.find_longest_match(0, len(plain_a), 0, len(plain_b))
    if not found.size:
        return ""
    quoted = a[where[found.a] : where[found.a + found.size - 1] + 1]
    return quoted if len(quoted) <= QUOTE_LIMIT else quoted[: QUOTE_LIMIT - 1] + "…"


def most_similar(
    text: str,
    others: Iterable[Comparable],
    fields: list[str],
    min_length: int,
    prescribed: Catalogue | None = None,
) -> Match | None:
    """The other document whose ``fields`` are most similar to ``text`` (None if none compare),
    prescribed wording removed from both before comparing."""
    mine = comparable_text(text, prescribed)
    if len(mine) < min_length:
        return None
    best: tuple[float, Comparable, str] | None = None
    for other in others:
        their_text = other.text(fields)
        theirs = comparable_text(their_text, prescribed)
        if len(theirs) < min_length:
            continue
        score = _ratio(mine, theirs) if mine <= theirs else _ratio(theirs, mine)
        if best is None or score > best[0]:
            best = (score, other, their_text)
    if best is None:
        return None
    score, other, their_text = best
    return Match(other.name, other.branch, round(score, 4), text, their_text, prescribed)


@functools.lru_cache(maxsize=16384)
def _ratio(a: str, b: str) -> float:
    """Indel similarity 0..1, symmetric, so a stage's check (every plan against every other)
    works each pair out once; ``a <= b`` keeps one order per pair."""
    return fuzz.ratio(a, b) / 100.0


def split_own(
    others: Iterable[Comparable], branch: str
) -> tuple[list[Comparable], list[Comparable]]:
    """``(other branches' documents, this branch's own earlier ones)``: a document is the
    branch's own when it names the same branch."""
    theirs: list[Comparable] = []
    own: list[Comparable] = []
    for other in others:
        (own if branch and other.branch == branch else theirs).append(other)
    return theirs, own

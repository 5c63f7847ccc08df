"""Stock phrases as families, matched per point of a text.

A rule file keeps its phrase catalogue as data (``settings``): each entry is one *family* written
in a small pattern language, e.g. ``理论学习…(不够|不深|不系统)`` or ``有待(进一步)?(提高|加强)``:

- ``…`` stands for up to ``GAP`` characters in between (at most ``MAX_GAPS`` per pattern);
- ``(a|b)`` is a choice, ``(…)?`` optional; groups may nest;
- ``{数}`` is a number, in digits or Chinese numerals;
- everything else is literal text. No other regular-expression syntax is accepted, so a
  pattern cannot be slow or match everything.

A text is cut into *points* (sentences, and the items of "一是……二是……" numbering); numbering is
removed, and so are lead-ins ("对照上级要求，仍存在以下不足：") given as patterns. Matches are
made on the point without punctuation; overlapping matches of different families cover a
character once, so a point's share is never counted twice. A point *counts* when its covered
share reaches the rule's ``point_share`` (0: any match).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

GAP = 10
MAX_GAPS = 2
MAX_PATTERN = 200
# Characters of one text looked at: the longest form field is 10,000 characters.
TEXT_LIMIT = 10_000
NUMBER = "[0-9０-９零〇一二三四五六七八九十百千万两几]{1,8}"

_FORBIDDEN = set("[]{}*+\\.^$")
_SPLIT = re.compile(r"[。；;！!？?\n\r]+|[:：](?=\s*[（(]?[一二三四五六七八九十0-9①-⑩])")
_NUMBERING = re.compile(
    r"(?:^|(?<=[，,、\s]))\s*(?:"
    r"[一二三四五六七八九十]+是|第[一二三四五六七八九十]+[，,、是]?|"
    r"[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[、.．)）]|[一二三四五六七八九十]+、|[①-⑩]|"
    r"首先|其次|再次|最后|此外|另外|同时"
    r")\s*"
)
# Punctuation and spaces carry no content; quotes, book-title marks and per cent signs are kept
# (a quoted name or a rate is a concrete detail).
_NOISE = re.compile(r"[^\w“”《》\"%％]+|_", re.UNICODE)


class PatternError(ValueError):
    """A pattern that is not in the phrase-pattern language; the message says what is wrong."""


_TOKENS = {"\0": NUMBER, "…": f".{{0,{GAP}}}?", "(": "(?:", ")": ")", "|": "|", "?": "?"}


def _check_pattern(pattern: str) -> None:
    if not pattern or len(pattern) > MAX_PATTERN:
        raise PatternError(f"短语“{pattern[:20]}”为空或超过 {MAX_PATTERN} 字")
    bad = next((c for c in pattern.replace("{数}", "") if c in _FORBIDDEN), None)
    if bad is not None:
        raise PatternError(
            f"短语“{pattern}”含有不支持的符号“{bad}”：只能用文字、…、(a|b)、? 和 {{数}}"
        )
    if any(empty in pattern for empty in ("()", "(|", "||", "|)")):
        raise PatternError(f"短语“{pattern}”有空的选项：(a|b) 的每一项都要有字")
    if pattern.count("…") > MAX_GAPS:
        raise PatternError(f"短语“{pattern}”的 … 超过 {MAX_GAPS} 处")
    depth = 0
    for position, char in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
        if char == "?" and (position == 0 or pattern[position - 1] in "(|?…"):
            raise PatternError(f"短语“{pattern}”中的 ? 前面要有字或括号")
    if depth:
        raise PatternError(f"短语“{pattern}”的括号不配对")


def _compile_pattern(pattern: str) -> str:
    """The regular expression of a phrase pattern; raises ``PatternError``."""
    _check_pattern(pattern)
    out: list[str] = []
    for char in pattern.replace("{数}", "\0"):
        if char in _TOKENS:
            out.append(_TOKENS[char])
        elif not _NOISE.fullmatch(char):  # punctuation in a pattern is ignored, as in the text
            out.append(re.escape(char))
    return "".join(out)


@dataclass(frozen=True)
class Catalogue:
    """Compiled phrase families (and the lead-ins removed before matching)."""

    patterns: tuple[str, ...]
    compiled: tuple[re.Pattern[str], ...]
    lead_ins: tuple[re.Pattern[str], ...] = ()


def catalogue(patterns: Iterable[str], lead_ins: Iterable[str] = ()) -> Catalogue:
    """Compile ``patterns`` and ``lead_ins``; raises ``PatternError`` naming the bad one."""
    texts = tuple(str(p) for p in patterns)
    compiled = tuple(re.compile(_compile_pattern(p)) for p in texts)
    leads = tuple(re.compile("^" + _compile_pattern(str(p))) for p in lead_ins)
    return Catalogue(texts, compiled, leads)


def normalise(text: str) -> str:
    """The text without punctuation and spaces (quotes and 《》 kept)."""
    return _NOISE.sub("", text)


def points(text: str, lead_ins: Sequence[re.Pattern[str]] = ()) -> list[tuple[str, str]]:
    """The points of ``text`` as ``(as written, normalised)``, numbering and lead-ins removed;
    points left with fewer than 2 characters (a lone heading number) are dropped."""
    out: list[tuple[str, str]] = []
    for piece in _SPLIT.split(text[:TEXT_LIMIT]):
        for part in _NUMBERING.split(piece):
            written = part.strip(" \t，,、:：")
            plain = normalise(written)
            for lead in lead_ins:
                plain = lead.sub("", plain, count=1)
            if len(plain) >= 2:
                out.append((written, plain))
    return out


def covered(plain: str, compiled: Sequence[re.Pattern[str]]) -> tuple[int, list[str]]:
    """How many characters of ``plain`` the families cover (overlaps counted once) and the
    matched passages."""
    spans: list[tuple[int, int]] = []
    for pattern in compiled:
        spans.extend(m.span() for m in pattern.finditer(plain) if m.end() > m.start())
    spans.sort()
    total, end = 0, -1
    passages: list[str] = []
    for start, stop in spans:
        if start >= end:
            total += stop - start
            passages.append(plain[start:stop])
            end = stop
        elif stop > end:
            total += stop - end
            passages[-1] = passages[-1] + plain[end:stop]
            end = stop
    return total, passages


@dataclass(frozen=True)
class PointsOutcome:
    """How many points a text has, which count (matched enough) and what matched."""

    total: int
    counted: list[str]
    matches: list[str]

    @property
    def share(self) -> float:
        """The share of points that count (0 when the text has none)."""
        return len(self.counted) / self.total if self.total else 0.0


def judge(texts: Iterable[str], found: Catalogue, point_share: float) -> PointsOutcome:
    """Cut every text into points and count those the families cover to ``point_share``."""
    total = 0
    counted: list[str] = []
    matches: list[str] = []
    for text in texts:
        for written, plain in points(text, found.lead_ins):
            total += 1
            length, passages = covered(plain, found.compiled)
            if passages and length / len(plain) >= point_share:
                counted.append(written)
                matches.extend(passages)
    return PointsOutcome(total, counted, list(dict.fromkeys(matches)))

"""What changed in a text between two versions, word by word (each Chinese character a word).

``difflib`` over whole strings would match by lines; people read a changed sentence by its
words, and Chinese has no spaces, so text is cut into tokens first: a run of Latin letters or
digits is one token, every other character (a Chinese character, a punctuation mark, a space)
one token of its own.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

_TOKEN = re.compile(r"[A-Za-z0-9_]+|\s+|.", re.DOTALL)
# Matching is quadratic in the worst case; past this many tokens a side the text is shown as
# one deletion and one insertion instead of hanging the page.
MAX_TOKENS = 6000

Op = Literal["same", "deleted", "inserted"]


@dataclass(frozen=True)
class Piece:
    """A run of text that is unchanged, deleted from the old version or inserted in the new."""

    op: Op
    text: str


def tokens(text: str) -> list[str]:
    """``text`` cut into words: Latin/digit runs whole, every other character alone."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Piece]:
    """The pieces that turn ``old`` into ``new``, in reading order; adjacent pieces of one kind
    are joined. A replaced word reads as its deletion followed by its insertion."""
    a, b = tokens(old), tokens(new)
    if len(a) > MAX_TOKENS or len(b) > MAX_TOKENS:
        return _joined([Piece("deleted", old), Piece("inserted", new)])
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("deleted", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("inserted", "".join(b[j1:j2])))
    return _joined(pieces)


def _joined(pieces: list[Piece]) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if out and out[-1].op == piece.op:
            out[-1] = Piece(piece.op, out[-1].text + piece.text)
        else:
            out.append(piece)
    return out

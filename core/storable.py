"""What every store can hold: the one definition the forms, the services and the backends ask.

PostgreSQL's ``jsonb`` cannot hold the NUL character, and a lone surrogate (half of a UTF-16
pair, which Python strings can carry) cannot be written as UTF-8 by any backend or backup; JSON
nested thousands deep overflows the encoder's recursion; JSON has no NaN or infinity, an
integer of thousands of digits cannot even be printed by Python, and a float from 1e16 up comes
back from PostgreSQL as an integer. TinyDB and memory would take
some of these and PostgreSQL not, so ``storage copy`` tinydb → postgres could fail on data already
stored. Instead the same values are refused everywhere: at the form, with a message at the
field (``forms.validation.unstorable_errors``), and as a last line in ``storage.documents``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["MAX_DEPTH", "MAX_FLOAT", "MAX_INTEGER", "Unstorable", "find_unstorable"]

MAX_DEPTH = 64  # lists and mappings inside each other; stored documents nest about 10 deep
MAX_INTEGER = 10**1000  # larger integers are refused: Python prints at most 4,300 digits
# From 1e16 on JSON writes a float in exponent form, and PostgreSQL's jsonb (numeric) gives it
# back as an integer of other digits (3.960472264019155e+16 → 39604722640191550): refused.
MAX_FLOAT = 1e16


@dataclass(frozen=True)
class Unstorable:
    """Where the first value no store can hold is (``path`` of keys and list indexes), why
    (``nul``, ``surrogate``, ``depth`` or ``number``) and, for text, at which character
    (1-based)."""

    path: tuple[str | int, ...]
    reason: Literal["nul", "surrogate", "depth", "number"]
    position: int = 0
    code: str = ""


def _bad_text(text: str) -> tuple[Literal["nul", "surrogate"], int, str] | None:
    if text.isascii():
        nul = text.find("\x00")
        return None if nul < 0 else ("nul", nul + 1, "U+0000")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return "surrogate", error.start + 1, f"U+{ord(text[error.start]):04X}"
    nul = text.find("\x00")
    return None if nul < 0 else ("nul", nul + 1, "U+0000")


def find_unstorable(value: Any, max_depth: int = MAX_DEPTH) -> Unstorable | None:
    """The first text (value or key) or nesting in ``value`` no store can hold, else None.

    Walks lists, tuples and mappings without recursion, so a value nested 100,000 deep is
    answered, not crashed on. Other values (numbers, dates…) are left to the JSON encoder.
    """
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            bad = _bad_text(item)
            if bad is not None:
                return Unstorable(path, *bad)
            continue
        if isinstance(item, float) and not (math.isfinite(item) and abs(item) < MAX_FLOAT):
            return Unstorable(path, "number")
        if isinstance(item, int) and abs(item) >= MAX_INTEGER:
            return Unstorable(path, "number")
        if isinstance(item, Mapping):
            children: list[tuple[str | int, Any]] = []
            for key, child in item.items():
                if isinstance(key, str) and (bad := _bad_text(key)) is not None:
                    return Unstorable((*path, key), *bad)
                children.append((key, child))
        elif isinstance(item, list | tuple):
            children = list(enumerate(item))
        else:
            continue
        if len(path) >= max_depth:
            return Unstorable(path, "depth")
        stack.extend(((*path, key), child) for key, child in reversed(children))
    return None

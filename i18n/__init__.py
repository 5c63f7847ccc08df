"""Message catalogues: zh-CN (default) and en.

Each area of the code keeps its messages in its own file, ``i18n/<lang>/<area>.yaml``
(``common``, ``pages``, ``forms``, ``rules``, ...), as a flat mapping ``key: text``; keys are
namespaced by area (``pages.login.title``). Texts use ``str.format`` placeholders.
A key missing in ``en`` falls back to ``zh-CN``. A key missing everywhere is a bug: with the
setting ``strict_messages`` (the tests turn it on) ``t`` raises ``UnknownMessageKey``; otherwise
the page shows ``⟦key⟧`` and the log names the key, so a forgotten message is visible, never a
crash. ``lookup`` is for callers that ask whether a message exists (a label for a stored code).
``tests/unit/test_i18n.py`` checks that both catalogues have the same keys and every key the
code names.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml

from core import errors as core_errors
from core.settings import settings
from i18n.times import format_time, now_local, school_zone

__all__ = [
    "DEFAULT_LANG",
    "Lang",
    "UnknownMessageKey",
    "catalogue",
    "format_time",
    "lookup",
    "now_local",
    "school_zone",
    "t",
]
Lang = Literal["zh", "en"]
DEFAULT_LANG: Lang = "zh"
_DIRS = {"zh": "zh-CN", "en": "en"}
_ROOT = Path(__file__).parent
log = logging.getLogger(__name__)


class UnknownMessageKey(Exception):
    """A message key no catalogue has (a misspelt or forgotten key): a bug, not bad input."""


@functools.cache
def catalogue(lang: Lang) -> dict[str, str]:
    """Every message of one language, merged from its area files."""
    merged: dict[str, str] = {}
    for path in sorted((_ROOT / _DIRS[lang]).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, text in data.items():
            if key in merged:
                raise ValueError(f"{path}: message key {key!r} is defined twice")
            merged[str(key)] = str(text)
    return merged


def lookup(key: str, lang: Lang = DEFAULT_LANG) -> str | None:
    """The message ``key`` in ``lang`` (else Chinese), unformatted; None if no catalogue has it."""
    return catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key)


def t(key: str, lang: Lang = DEFAULT_LANG, /, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in.

    An unknown key raises ``UnknownMessageKey`` under ``strict_messages``, else shows ``⟦key⟧``.
    """
    text = lookup(key, lang)
    if text is None:
        if settings().strict_messages:
            raise UnknownMessageKey(f"message key {key!r} is in no catalogue (i18n/*/*.yaml)")
        log.warning("message key %r is in no catalogue; shown as ⟦%s⟧", key, key)
        return f"⟦{key}⟧"
    return text.format(**values) if values else text


def join_words(parts: Iterable[str], lang: Lang = DEFAULT_LANG) -> str:
    """``parts`` (empty ones left out) as one phrase, with the language's own list comma:
    "表单为“A”，状态为“B”" but "form “A”, status “B”"."""
    return t("common.list_separator", lang).join(p for p in parts if p)


core_errors.word_with(t)  # errors raised with a message key are worded from these catalogues

"""The one root of every error the project raises on purpose, and what errors carry.

Every package's errors (``storage.errors``, ``workflow.errors``, ``rules.errors``,
``forms.errors``) subclass ``VanguardError``, so a screen or a command catches the one root and
shows ``error.message(lang)``. Like rule-engine's ``errors.py``, an error keeps its facts as
fields — the field path it concerns (``field``), the record (``record``, ``kind/id``), a
``suggestion`` (a close name, a valid value) — and builds its message from them:

- an error made with ``key`` (a message-catalogue key) and ``values`` is worded in any language
  at the moment it is shown;
- an error made with a ready ``text`` (and optionally ``text_en``) shows that text.

``str(error)`` is the message in the language the error was raised for (Chinese by default), as
every caller printed it before. This module imports nothing of the project, so every package
may import it; the message catalogue (``i18n``, the layer above) hands it its ``t`` on import
(``word_with``), which words keyed messages and suggestions.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Translate = Callable[..., str]  # i18n.t: (key, lang, /, **values) -> text


def _unworded(key: str, lang: str, /, **values: Any) -> str:
    return f"⟦{key}⟧"  # visible, never a crash: the catalogue was not loaded


_translate: Translate = _unworded


def word_with(translate: Translate) -> None:
    """Word keyed messages with ``translate`` (``i18n.t``; called when ``i18n`` loads)."""
    global _translate
    _translate = translate


def close_match(word: str, choices: Sequence[str]) -> str | None:
    """The choice a misspelt ``word`` most likely meant (an error's ``suggestion``), if any."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


class VanguardError(Exception):
    """Root of the project's errors; ``message(lang)`` is what a person reads."""

    def __init__(
        self,
        text: str = "",
        *,
        text_en: str = "",
        key: str | None = None,
        values: Mapping[str, Any] | None = None,
        lang: str = "zh",
        field: str | None = None,
        record: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.text_zh, self.text_en = text, text_en
        self.key, self.values = key, dict(values or {})
        self.lang = lang
        self.field, self.record, self.suggestion = field, record, suggestion
        super().__init__(text or key or "")

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: the language it was raised for), with the
        suggestion, if any, worded after it."""
        lang = lang or self.lang
        if self.key:
            text = _translate(self.key, _lang(lang), **self.values)
        else:
            text = (self.text_en or self.text_zh) if lang == "en" else self.text_zh
        if self.suggestion:
            text += _translate("core.error.suggestion", _lang(lang), suggestion=self.suggestion)
        return text

    def __str__(self) -> str:
        return self.message()


def _lang(lang: str) -> Any:
    return "en" if lang == "en" else "zh"


class BadInput(VanguardError):
    """Command-line arguments or an input file that cannot be used (exit status 2); ``lines``
    name each problem and its fix."""

    def __init__(self, lines: str | Sequence[str]) -> None:
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))

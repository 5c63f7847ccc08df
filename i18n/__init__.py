"""Message catalogues: zh-CN (default) and en.

Each area of the code keeps its messages in its own file, ``i18n/<lang>/<area>.yaml``
(``common``, ``pages``, ``forms``, ``rules``, ...), as a flat mapping ``key: text``; keys are
namespaced by area (``pages.login.title``). Texts use ``str.format`` placeholders.
A key missing in ``en`` falls back to ``zh-CN``; a key missing everywhere is shown as itself,
so a forgotten message is visible, never a crash. ``tests/unit/test_i18n.py`` checks that both
catalogues have the same keys.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Literal

import yaml

from i18n.times import format_time, now_local, school_zone

__all__ = ["DEFAULT_LANG", "Lang", "catalogue", "format_time", "now_local", "school_zone", "t"]
Lang = Literal["zh", "en"]
DEFAULT_LANG: Lang = "zh"
_DIRS = {"zh": "zh-CN", "en": "en"}
_ROOT = Path(__file__).parent


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


def t(key: str, lang: Lang = DEFAULT_LANG, /, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANG).get(key) or key
    return text.format(**values) if values else text

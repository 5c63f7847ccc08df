"""Change a rule file's settings without writing YAML: read the editable ones, write new values.

An admin changes thresholds (``min_goals: 50``) and phrase lists (``stock_phrases``) in a form;
``apply_settings`` rewrites only those lines of the rule file, keeping every comment and the
layout, and pins the old values under ``test_settings:`` — the settings the file's own tests
were written for — so a threshold change never fails the built-in tests while the impact preview
shows which stored submissions change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import yaml

SettingKind = Literal["number", "phrases"]
_KEY = re.compile(r"^  ([A-Za-z_][A-Za-z0-9_]*):(.*)$")
_PIN_NOTE = "# 内置测试按这些设置编写：在页面上改了设置，测试仍按这些值运行。"


@dataclass(frozen=True)
class Setting:
    """One setting an admin may change in the form: a number or a list of phrases."""

    name: str
    kind: SettingKind
    value: float | int | list[str]
    note: str = ""


def _document(text: str) -> dict[str, Any]:
    loaded = yaml.safe_load(text)
    return loaded if isinstance(loaded, dict) else {}


def _block(lines: list[str], header: str) -> tuple[int, int] | None:
    """``(first, end)`` line indexes of a top-level block's body (``header:`` excluded)."""
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"{header}:"), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "#"))):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start + 1, end


def _notes(lines: list[str]) -> dict[str, str]:
    span = _block(lines, "settings")
    notes: dict[str, str] = {}
    if span is None:
        return notes
    above = ""
    for line in lines[span[0] : span[1]]:
        if line.strip().startswith("#"):
            above = line.strip().lstrip("#").strip()  # a comment line explains the next key
        elif match := _KEY.match(line):
            notes[match.group(1)] = match.group(2).partition("#")[2].strip() or above
            above = ""
    return notes


def editable_settings(text: str) -> list[Setting]:
    """The settings of a rule file that the form edits: numbers and lists of texts, in file
    order, each with the comment written beside it (its explanation for the admin)."""
    settings = _document(text).get("settings") or {}
    notes = _notes(text.split("\n"))
    out: list[Setting] = []
    for name, value in settings.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            out.append(Setting(name, "number", value, notes.get(name, "")))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out.append(Setting(name, "phrases", list(value), notes.get(name, "")))
    return out


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _replace(lines: list[str], span: tuple[int, int], name: str, value: Any) -> list[str]:
    first, end = span
    at = next(i for i in range(first, end) if (m := _KEY.match(lines[i])) and m.group(1) == name)
    stop = at + 1
    while stop < end and (not lines[stop].strip() or lines[stop].startswith("   ")):
        stop += 1
    comment = lines[at].partition("#")[2] if "#" in lines[at] else ""
    suffix = f"  # {comment.strip()}" if comment.strip() else ""
    if isinstance(value, list):
        new = [f"  {name}:{suffix}", *(f"    - {_scalar(v)}" for v in value)]
    else:
        new = [f"  {name}: {_scalar(value)}{suffix}"]
    return [*lines[:at], *new, *lines[stop:]]


def _pin(lines: list[str], pins: Mapping[str, Any]) -> list[str]:
    entries = [f"  {name}: {_scalar(value)}" for name, value in pins.items()]
    span = _block(lines, "test_settings")
    if span is not None:
        return [*lines[: span[1]], *entries, *lines[span[1] :]]
    rules_at = next(i for i, line in enumerate(lines) if line.rstrip() == "rules:")
    return [*lines[:rules_at], _PIN_NOTE, "test_settings:", *entries, "", *lines[rules_at:]]


def apply_settings(text: str, changes: Mapping[str, Any]) -> str:
    """The rule file with ``changes`` to its settings written in, the values replaced pinned
    under ``test_settings`` (unless already pinned). Raises ``ValueError`` naming a setting the
    file does not have or a value of another kind than the one it replaces."""
    document = _document(text)
    settings = document.get("settings") or {}
    pinned = document.get("test_settings") or {}
    editable = {s.name: s for s in editable_settings(text)}
    changed = {k: v for k, v in changes.items() if settings.get(k) != v}
    for name, value in changed.items():
        if name not in editable:
            raise ValueError(f"规则集没有可在表单中修改的设置“{name}”")
        expected = editable[name].kind
        is_list = isinstance(value, list) and all(isinstance(v, str) for v in value)
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if (expected == "phrases" and not is_list) or (expected == "number" and not is_number):
            raise ValueError(f"设置“{name}”应为{'短语列表' if expected == 'phrases' else '数字'}")
    if not changed:
        return text
    lines = text.split("\n")
    span = _block(lines, "settings")
    assert span is not None  # editable settings exist only inside a settings block
    for name, value in changed.items():
        lines = _replace(lines, span, name, value)
        span = _block(lines, "settings")
        assert span is not None
    pins = {k: settings[k] for k in changed if k not in pinned}
    if pins:
        lines = _pin(lines, pins)
    result = "\n".join(lines)
    written = _document(result)
    if {**settings, **changed} != written.get("settings") or {**pins, **pinned} != (
        written.get("test_settings") or {}
    ):
        raise ValueError("设置无法写回规则文件，请在 YAML 中修改")
    return result

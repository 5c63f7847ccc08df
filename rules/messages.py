"""Message templates: ``{...}`` placeholders filled from the form's actual values.

A placeholder is either a name — from the rule's ``values:`` map, or one the engine provides such
as ``similar_name`` — optionally with a format spec (``{rate:.0%}``), or any rule-engine
expression over the form (``{items.length}``). Expressions are compiled once with the rule set.
``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from rules.form_types import plain_value

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")
_NAME_WITH_SPEC = re.compile(r"^\s*(\$?[A-Za-z_][\w.]*)\s*(?::(.*))?$")


def placeholders(template: str) -> list[str]:
    """The contents of every placeholder in ``template``, in order."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1) is not None]


def split_name(content: str, names: set[str]) -> tuple[str, str] | None:
    """``(name, spec)`` when the placeholder refers to a named value, else None."""
    match = _NAME_WITH_SPEC.match(content)
    if match and match.group(1) in names:
        return match.group(1), (match.group(2) or "").strip()
    return None


def format_value(value: Any, spec: str = "") -> str:
    """A value as a person reads it: 3 not 3.0, dates as YYYY-MM-DD, lists joined by 、."""
    value = plain_value(value)
    if isinstance(value, decimal.Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if spec:
        try:
            return format(value, spec)
        except (ValueError, TypeError):
            pass
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4g}"
    if isinstance(value, list):
        return "、".join(format_value(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Template:
    """A compiled message: literal text and callables producing each placeholder's text."""

    text: str
    parts: tuple[str | Callable[[Mapping[str, Any]], str], ...]

    def render(self, named: Mapping[str, Any]) -> str:
        """The message with every placeholder filled; a failing one shows ``?``."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            try:
                out.append(part(named))
            except Exception:  # a message must never break the check it explains
                out.append("?")
        return "".join(out)


def _named_part(name: str, spec: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda named: format_value(named[name], spec)


def _expression_part(
    evaluate: Callable[[Mapping[str, Any]], Any], spec: str = ""
) -> Callable[[Mapping[str, Any]], str]:
    return lambda named: format_value(evaluate(named), spec)


def compile_template(
    text: str,
    names: set[str],
    compile_expression: Callable[[str], Callable[[Mapping[str, Any]], Any]],
) -> Template:
    """Compile ``text``; ``names`` are the values given at render time, the rest are
    expressions compiled by ``compile_expression`` (which raises on a bad expression)."""
    parts: list[str | Callable[[Mapping[str, Any]], str]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        parts.append(text[position : match.start()])
        position = match.end()
        if match.group(1) is None:
            parts.append(match.group(0)[0])
            continue
        named = split_name(match.group(1), names)
        with_spec = _NAME_WITH_SPEC.match(match.group(1))
        if named:
            name, spec = named
            parts.append(_named_part(name, spec))
        elif with_spec and with_spec.group(2):  # a field with a format spec: {rate:.0%}
            evaluate = compile_expression(with_spec.group(1))
            parts.append(_expression_part(evaluate, with_spec.group(2).strip()))
        else:
            parts.append(_expression_part(compile_expression(match.group(1).strip())))
    parts.append(text[position:])
    return Template(text, tuple(p for p in parts if p != ""))

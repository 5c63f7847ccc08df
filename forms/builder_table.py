"""The builder's fields as the rows of one editable table, and back.

One row per field, parents before their children: ``order`` (the position; type 2.5 to put a row
between 2 and 3), ``parent`` (the section or repeat group it belongs to, empty at the top),
``name`` (left empty, a new row gets ``field_N``), ``kind``, labels, ``required``, ``options``
(``值|English`` separated by ``;``, ``；`` or a line break), ``minimum`` / ``maximum`` (length,
value or count by kind), help texts, and the condition ``show_field`` / ``show_value``.
``apply_rows`` keeps what a row does not show (``extra``, options the cell cannot spell) from
the field of the same name, so opening a form in the table and saving it changes nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from forms.builder import (
    LIMIT_KEYS,
    MAX_FIELDS,
    MAX_OPTIONS,
    BuilderField,
    BuilderForm,
    Option,
    ShowWhen,
)
from forms.definition_checks import CONTAINER_TYPES, FIELD_TYPES
from i18n import Lang, t

COLUMNS = (  # the label first: a new row is typed from the left
    "label_zh",
    "kind",
    "required",
    "options",
    "minimum",
    "maximum",
    "help_zh",
    "show_field",
    "show_value",
    "parent",
    "order",
    "name",
    "label_en",
    "help_en",
)
_TYPED = ("label_zh", "name", "label_en", "options", "help_zh", "help_en")  # not blank
_SPLIT = re.compile(r"[;；\n]")


def options_text(options: Sequence[Option]) -> str:
    """The options as the table cell spells them."""
    return "；".join(f"{o.value}|{o.en}" if o.en else o.value for o in options)


def parse_options(text: str) -> tuple[Option, ...]:
    """The options a cell spells (at most ``MAX_OPTIONS + 1``, so the budget check sees too
    many without reading them all)."""
    options = []
    for part in _SPLIT.split(text or "", maxsplit=MAX_OPTIONS + 1)[: MAX_OPTIONS + 1]:
        value, _, english = part.partition("|")
        if value.strip():
            options.append(Option(value.strip(), english.strip()))
    return tuple(options)


def to_rows(form: BuilderForm) -> list[dict[str, Any]]:
    """The table rows of ``form``'s fields."""
    rows: list[dict[str, Any]] = []
    for item, parent in _flatten(form.fields, ""):
        rows.append(
            {
                "order": len(rows) + 1,
                "parent": parent,
                "name": item.name,
                "kind": item.kind,
                "label_zh": item.label_zh,
                "label_en": item.label_en,
                "required": item.required,
                "options": options_text(item.options),
                "minimum": item.minimum,
                "maximum": item.maximum,
                "help_zh": item.help_zh,
                "help_en": item.help_en,
                "show_field": item.show_when.field if item.show_when else "",
                "show_value": item.show_when.value if item.show_when else "",
            }
        )
    return rows


def _flatten(fields: Sequence[BuilderField], parent: str) -> list[tuple[BuilderField, str]]:
    out: list[tuple[BuilderField, str]] = []
    stack = [(f, parent) for f in reversed(fields)]
    while stack and len(out) <= MAX_FIELDS:
        item, owner = stack.pop()
        out.append((item, owner))
        stack.extend((c, item.name) for c in reversed(item.children))
    return out


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(number):
        return None
    return int(number) if number.is_integer() else number


def _order(row: Mapping[str, Any], index: int) -> tuple[float, int]:
    number = _number(row.get("order"))
    return (number if number is not None else math.inf, index)


def _named(rows: Sequence[Mapping[str, Any]]) -> list[tuple[int, Mapping[str, Any], str]]:
    """The rows with something typed, in their order, each with its position in the table and
    its name (an unnamed row gets the first free ``field_N``)."""
    kept = [
        (index, row)
        for index, row in enumerate(rows[: MAX_FIELDS + 1])
        if any(_text(row.get(c)) for c in _TYPED)
    ]
    kept.sort(key=lambda pair: _order(pair[1], pair[0]))
    used = {_text(row.get("name")) for _, row in kept}
    counter = 0
    named = []
    for index, row in kept:
        name = _text(row.get("name"))
        if not name:
            counter += 1
            while f"field_{counter}" in used:
                counter += 1
            name = f"field_{counter}"
            used.add(name)
        named.append((index, row, name))
    return named


def apply_rows(form: BuilderForm, rows: Sequence[Mapping[str, Any]]) -> BuilderForm:
    """``form`` with the fields the table ``rows`` spell (see module docstring). Rows with
    nothing typed are skipped; a row naming a parent that is not a section or repeat group
    above it goes to the top level, and ``row_problems`` says so."""
    known = {item.name: item for item, _ in _flatten(form.fields, "")}
    built = [
        (_field(row, name, known.get(name)), _text(row.get("parent")))
        for _, row, name in _named(rows)
    ]
    return BuilderForm(
        form_type=form.form_type,
        title_zh=form.title_zh,
        title_en=form.title_en,
        stage=form.stage,
        form_version=form.form_version,
        ruleset=form.ruleset,
        one_per_campaign=form.one_per_campaign,
        fields=_nest(built),
        extra=form.extra,
    )


def named_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The table ``rows`` as a new starting table: in their order, each named (a new row's
    ``field_N`` written in), rows with nothing typed dropped, every cell else as typed (an
    unknown parent too, so its message stays). ``apply_rows`` reads them as it reads ``rows``."""
    return [{**row, "name": name} for _, row, name in _named(rows)]


def row_problems(rows: Sequence[Mapping[str, Any]], lang: Lang = "zh") -> list[str]:
    """What the table ``rows`` say that the form cannot hold as they say it: a row whose
    所属分节/重复组 is no section or repeat group of the table, or one below it. Each names
    the row as the table shows it (第 N 行) and the fix."""
    named = _named(rows)
    kinds = {name: _text(row.get("kind")) for _, row, name in named}
    above: set[str] = set()
    found = []
    for index, row, name in named:
        parent = _text(row.get("parent"))
        where = _text(row.get("label_zh")) or name
        if parent and parent not in above:
            key = (
                "builder.problem.parent_below"
                if kinds.get(parent) in CONTAINER_TYPES
                else "builder.problem.parent_unknown"
            )
            found.append(t(key, lang, row=index + 1, field=where, parent=parent))
        if kinds.get(name) in CONTAINER_TYPES:
            above.add(name)
    return found


def _field(row: Mapping[str, Any], name: str, before: BuilderField | None) -> BuilderField:
    kind = _text(row.get("kind")) or "text"
    if kind not in FIELD_TYPES:
        kind = "text"
    cell = _text(row.get("options"))
    if before is not None and cell == options_text(before.options):
        options = before.options  # unchanged: kept exactly, whatever the cell can spell
    else:
        options = parse_options(cell)
    show_field = _text(row.get("show_field"))
    low, high = _number(row.get("minimum")), _number(row.get("maximum"))
    if before is not None and LIMIT_KEYS.get(before.kind) != LIMIT_KEYS.get(kind):
        low = high = None  # a new type: its limits mean something else (a value, not a length)
    return BuilderField(
        name=name,
        kind=kind,
        label_zh=_text(row.get("label_zh")),
        label_en=_text(row.get("label_en")),
        help_zh=_text(row.get("help_zh")),
        help_en=_text(row.get("help_en")),
        required=bool(row.get("required")) and not _is_nan(row.get("required")),
        options=options,
        minimum=low,
        maximum=high,
        show_when=ShowWhen(show_field, _text(row.get("show_value"))) if show_field else None,
        extra=dict(before.extra) if before is not None and before.kind == kind else {},
    )


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _nest(built: list[tuple[BuilderField, str]]) -> tuple[BuilderField, ...]:
    """The fields as a tree: each row under its parent, a section or repeat group row *above*
    it (so no cycle can form); a row naming any other parent stays at the top level, where the
    preview shows it, while ``row_problems`` tells the admin which row and how to fix it."""
    latest: dict[str, int] = {}
    parent_of: list[int | None] = []
    for index, (item, parent) in enumerate(built):
        parent_of.append(latest.get(parent) if parent else None)
        if item.kind in CONTAINER_TYPES:
            latest[item.name] = index
    kids: dict[int, list[int]] = {}
    for index, parent_index in enumerate(parent_of):
        if parent_index is not None:
            kids.setdefault(parent_index, []).append(index)

    def grown(index: int) -> BuilderField:
        item = built[index][0]
        if item.kind not in CONTAINER_TYPES:
            return item
        return replace(item, children=tuple(grown(k) for k in kids.get(index, [])))

    return tuple(grown(i) for i, parent_index in enumerate(parent_of) if parent_index is None)

"""Simple rules as the rule builder edits them, written as ordinary rule-file rules and read back.

A ``SimpleRule`` is one field, one condition, a severity, points and a message:

| condition | the rule written | fields it fits |
|---|---|---|
| ``required`` 必填 | ``(f ?? "").length > 0`` / ``(f ?? []).length > 0`` / ``f != null`` | any |
| ``min_chars`` 至少 N 字 | ``(f ?? "").length >= N`` | text |
| ``min_items`` 至少 N 项 | ``(f ?? []).length >= N`` | lists |
| ``no_boilerplate`` 不得含有套话 | ``phrases:`` over the field, ``expect: absent`` | text |
| ``date_before`` 日期早于… | ``(f ?? d'1900-01-01') < d'YYYY-MM-DD'`` | dates |
| ``number_range`` 数值范围 | ``(f ?? a) >= a and (f ?? a) <= b`` (a side may go) | numbers |
| ``distinct`` 与其他支部相似度低于… | ``similarity:`` over the field, ``max_similarity`` | text |

A checkbox (a yes/no never empty, False until ticked) is answered only by ticking it, so its
必填 is ``f == true``, as a required checkbox is in any web form; a yes/no that may be left
unanswered (``yesno``) is ``f != null``. A month (YYYY-MM) takes 日期早于 as
``(f ?? '1900-01') < 'YYYY-MM'`` (months order as text) and no similarity or phrase rule.
Fields are named by dotted path: a section's field (``detail.summary``) as any other, the field
of a repeat group's rows (kind ``row:…``, ``items.owner``) held to the condition in every row:
``[row for row in (items ?? []) if not (<condition on row.owner>)].length == 0``.

``to_rule`` writes the mapping a rule file holds (``rules.schema.Rule``); ``from_rule`` reads one
back only when writing it again gives the very same mapping, so every other rule is complex and
stays text, shown read-only. ``upsert`` / ``remove`` edit a rule file's text in place: only the
lines of that one rule change, comments and the other rules stay as written. Braces an admin
types in a message are doubled (rule messages fill ``{…}`` placeholders).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

from forms import yaml_lines
from i18n import Lang, t

CONDITIONS = (
    "required",
    "min_chars",
    "min_items",
    "no_boilerplate",
    "date_before",
    "number_range",
    "distinct",
)
SEVERITIES = ("error", "warning", "veto")  # 退回 / 提醒 / 一票否决
TEXT_KINDS = ("text", "textarea")
LIST_KINDS = ("multiselect", "tags", "repeat", "file")
NUMBER_KINDS = ("int", "float", "decimal")
DATE_KINDS = ("date", "datetime")
MONTH = "month"  # a text field holding YYYY-MM (a YAML ``month``)
CHECKBOX = "bool"  # a yes/no field that is never empty (False until ticked)
YES_NO = "yesno"  # a yes/no field that may be left unanswered (None)
ROW = "row:"  # kind prefix: the field of every row of the repeat group that holds it
ROW_VAR = "row"  # the name each row goes by in a row rule's expression
MAX_PHRASES = 100
# Stock phrases offered for 不得含有套话 (the admin edits the list; the pattern language of
# rules.phrases: … a short gap, (a|b) a choice).
DEFAULT_PHRASES = (
    "(进一步)?(提高|加强|增强)…(认识|意识|水平)",
    "理论学习…(不够|不深|不系统)",
    "有待(进一步)?(提高|加强)",
    "(充分)?发挥…(战斗堡垒|先锋模范)作用",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
EARLIEST = "1900-01-01"  # what an empty date counts as for 日期早于
EARLIEST_MONTH = "1900-01"  # and an empty month


@dataclass(frozen=True)
class SimpleRule:
    """One rule the builder can show and edit."""

    id: str
    field: str
    condition: str
    severity: str = "error"
    number: float | None = None  # N (min_chars, min_items), the lowest value, or the share
    upper: float | None = None  # the highest value (number_range)
    date: str = ""  # YYYY-MM-DD (date_before)
    phrases: tuple[str, ...] = ()  # no_boilerplate
    points: float | None = None  # 扣分 when the rule fails
    message_zh: str = ""
    message_en: str = ""


def conditions_for(kind: str) -> tuple[str, ...]:
    """The conditions that fit a field of ``kind``: a ``forms.specs`` kind, ``month``,
    ``yesno`` (a yes/no that may be unanswered), or ``row:`` and one of those for the field
    of every row of a repeat group (必填, 至少 N 字, 数值范围, 日期早于: a condition on
    each row; comparing or phrase-judging rows is left to rules written by hand)."""
    if kind.startswith(ROW):
        base = kind.removeprefix(ROW)
        fits = ["required"]
        if base in TEXT_KINDS:
            fits.append("min_chars")
        if base in NUMBER_KINDS:
            fits.append("number_range")
        if base in (*DATE_KINDS, MONTH):
            fits.append("date_before")
        return tuple(fits)
    if kind == MONTH:  # YYYY-MM: compared as such; its text is not prose to judge
        return ("required", "date_before")
    fits = ["required"]
    if kind in TEXT_KINDS:
        fits += ["min_chars", "no_boilerplate", "distinct"]
    if kind in LIST_KINDS:
        fits.append("min_items")
    if kind in DATE_KINDS:
        fits.append("date_before")
    if kind in NUMBER_KINDS:
        fits.append("number_range")
    return tuple(fits)


def _split_row(field: str, kind: str) -> tuple[str, str, str] | None:
    """``(group, name in a row, kind)`` of a row field, None for any other."""
    if not kind.startswith(ROW) or "." not in field:
        return None
    group, name = field.rsplit(".", 1)
    return group, name, kind.removeprefix(ROW)


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _required(field: str, kind: str) -> str:
    if kind in TEXT_KINDS:
        return f'({field} ?? "").length > 0'
    if kind in LIST_KINDS:
        return f"({field} ?? []).length > 0"
    if kind == CHECKBOX:  # never empty: answered is ticked (a required checkbox)
        return f"{field} == true"
    return f"{field} != null"


def expression(rule: SimpleRule, kind: str) -> str | None:
    """The rule-engine expression of ``rule`` (None for the phrase and similarity rules).
    A row rule holds when no row of its group fails the condition (an empty group passes:
    至少 N 项 on the group is its own rule)."""
    row = _split_row(rule.field, kind)
    if row is not None:
        group, name, base = row
        each = expression(replace(rule, field=f"{ROW_VAR}.{name}"), base)
        return f"[{ROW_VAR} for {ROW_VAR} in ({group} ?? []) if not ({each})].length == 0"
    field, low, high = rule.field, _number(rule.number), _number(rule.upper)
    if rule.condition == "required":
        return _required(field, kind)
    if rule.condition == "min_chars":
        return f'({field} ?? "").length >= {low}'
    if rule.condition == "min_items":
        return f"({field} ?? []).length >= {low}"
    if rule.condition == "date_before" and kind == MONTH:  # YYYY-MM orders as text
        return f"({field} ?? '{EARLIEST_MONTH}') < '{rule.date}'"
    if rule.condition == "date_before":  # an empty date passes (必填 is its own rule)
        return f"({field} ?? d'{EARLIEST}') < d'{rule.date}'"
    if rule.condition == "number_range":  # an empty number passes
        empty = low if low is not None else high
        parts = [
            f"({field} ?? {empty}) >= {low}" if low is not None else "",
            f"({field} ?? {empty}) <= {high}" if high is not None else "",
        ]
        return " and ".join(p for p in parts if p)
    return None


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _unescape(text: str) -> str:
    return text.replace("{{", "{").replace("}}", "}")


def to_rule(rule: SimpleRule, kind: str) -> dict[str, Any]:
    """The rule-file mapping of ``rule`` for a field of ``kind``."""
    out: dict[str, Any] = {"id": rule.id}
    if rule.condition == "no_boilerplate":
        out["phrases"] = {
            "fields": [rule.field],
            "patterns": list(rule.phrases),
            "point_share": 0.5,
            "max_share": 0.5,
            "expect": "absent",
        }
    elif rule.condition == "distinct":
        out["similarity"] = {
            "fields": [rule.field],
            "max_similarity": _number(rule.number),
            "min_length": 20,
        }
    else:
        out["expression"] = expression(rule, kind)
    if rule.severity != "error":
        out["severity"] = rule.severity
    out["fields"] = [rule.field]
    out["message"] = {"zh": _escape(rule.message_zh), "en": _escape(rule.message_en)}
    if rule.points is not None:
        out["deduct"] = _number(rule.points)
    return out


_PATTERNS = {
    "required": None,  # read by trying every kind's wording
    "min_chars": re.compile(r'^\((?P<f>[\w.]+) \?\? ""\)\.length >= (?P<n>\d+)$'),
    "min_items": re.compile(r"^\((?P<f>[\w.]+) \?\? \[\]\)\.length >= (?P<n>\d+)$"),
    "date_before": re.compile(
        r"^\((?P<f>[\w.]+) \?\? (?:d'1900-01-01'\) < d'(?P<d>\d{4}-\d{2}-\d{2})'"
        r"|'1900-01'\) < '(?P<m>\d{4}-\d{2})')$"
    ),
    "number_range": re.compile(
        r"^(?:\((?P<f>[\w.]+) \?\? -?[\d.]+\) >= (?P<lo>-?[\d.]+))?(?: and )?"
        r"(?:\((?P<g>[\w.]+) \?\? -?[\d.]+\) <= (?P<hi>-?[\d.]+))?$"
    ),
}
_ROW_RULE = re.compile(
    rf"^\[{ROW_VAR} for {ROW_VAR} in \((?P<group>[\w.]+) \?\? \[\]\) if not \((?P<each>.*)\)\]"
    r"\.length == 0$"
)


def _candidate(rule: Mapping[str, Any], kind: str) -> SimpleRule | None:
    """What the builder would have written ``rule`` from, if anything."""
    fields = rule.get("fields")
    message = rule.get("message")
    if not (isinstance(fields, list) and len(fields) == 1 and isinstance(message, Mapping)):
        return None
    points = rule.get("deduct")
    base = SimpleRule(
        id=str(rule.get("id")),
        field=str(fields[0]),
        condition="required",
        severity=str(rule.get("severity", "error")),
        points=float(points) if isinstance(points, int | float) else None,
        message_zh=_unescape(str(message.get("zh", ""))),
        message_en=_unescape(str(message.get("en", ""))),
    )
    if isinstance(rule.get("phrases"), Mapping):
        patterns = rule["phrases"].get("patterns")
        if isinstance(patterns, list):
            return replace(base, condition="no_boilerplate", phrases=tuple(map(str, patterns)))
        return None
    if isinstance(rule.get("similarity"), Mapping):
        share = rule["similarity"].get("max_similarity")
        if isinstance(share, int | float):
            return replace(base, condition="distinct", number=float(share))
        return None
    text = rule.get("expression")
    if not isinstance(text, str):
        return None
    row = _split_row(base.field, kind)
    field = base.field
    if row is not None:  # the condition each row is held to
        found = _ROW_RULE.match(text)
        if found is None or found["group"] != row[0]:
            return None
        text, field, kind = found["each"], f"{ROW_VAR}.{row[1]}", row[2]
    if text == _required(field, kind):
        return base
    for condition, pattern in _PATTERNS.items():
        found = pattern.match(text) if pattern is not None else None
        if found is None:
            continue
        groups = found.groupdict()
        return replace(
            base,
            condition=condition,
            number=_float(groups.get("n")) if groups.get("n") else _float(groups.get("lo")),
            upper=_float(groups.get("hi")),
            date=groups.get("d") or groups.get("m") or "",
        )
    return None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def from_rule(rule: Mapping[str, Any], kind_of: Mapping[str, str]) -> SimpleRule | None:
    """The simple rule ``rule`` is, or None when the builder cannot show it exactly (then it
    stays text). ``kind_of``: the kinds of the fields a rule may name, by dotted path
    (``conditions_for``)."""
    fields = rule.get("fields")
    field = str(fields[0]) if isinstance(fields, list) and fields else ""
    if field not in kind_of:
        return None
    candidate = _candidate(rule, kind_of[field])
    if candidate is None or candidate.condition not in conditions_for(kind_of[field]):
        return None
    if to_rule(candidate, kind_of[field]) != dict(rule):
        return None
    return _normalised(candidate)


def _normalised(rule: SimpleRule) -> SimpleRule:
    def num(value: float | None) -> float | None:
        number = _number(value)
        return float(number) if number is not None else None

    return replace(rule, number=num(rule.number), upper=num(rule.upper), points=num(rule.points))


def problems(rule: SimpleRule, kind: str | None, lang: Lang = "zh") -> list[str]:
    """What keeps ``rule`` from being written (the rule file's own checks come after)."""
    if kind is None:
        return [t("builder.rule.no_field", lang, field=rule.field)]
    found = []
    if rule.condition not in conditions_for(kind):
        found.append(t("builder.rule.condition_misfit", lang))
    if rule.severity not in SEVERITIES:
        found.append(t("builder.rule.severity", lang))
    if rule.condition in ("min_chars", "min_items") and (
        rule.number is None or rule.number < 1 or not float(rule.number).is_integer()
    ):
        found.append(t("builder.rule.count", lang))
    month = kind.removeprefix(ROW) == MONTH
    if rule.condition == "date_before" and month:
        if not (_MONTH.match(rule.date) and rule.date > EARLIEST_MONTH):
            found.append(t("builder.rule.month", lang))
    elif rule.condition == "date_before" and not (_DATE.match(rule.date) and rule.date > EARLIEST):
        found.append(t("builder.rule.date", lang))
    if rule.condition == "number_range" and (
        (rule.number is None and rule.upper is None)
        or (rule.number is not None and rule.upper is not None and rule.number > rule.upper)
    ):
        found.append(t("builder.rule.range", lang))
    if rule.condition == "distinct" and not (rule.number is not None and 0 < rule.number < 1):
        found.append(t("builder.rule.share", lang))
    if rule.condition == "no_boilerplate" and not 0 < len(rule.phrases) <= MAX_PHRASES:
        found.append(t("builder.rule.phrases", lang, max=MAX_PHRASES))
    if rule.points is not None and rule.points <= 0:
        found.append(t("builder.rule.points", lang))
    return found


def suggested_message(rule: SimpleRule, label: str, lang: Lang, kind: str = "") -> str:
    """The wording the builder offers for ``rule`` on the field labelled ``label`` (of
    ``kind``: a checkbox's 必填 asks for it to be ticked)."""
    values = {
        "field": label,
        "n": _number(rule.number),
        "low": _number(rule.number),
        "high": _number(rule.upper),
        "date": rule.date,
        "share": f"{(rule.number or 0):.0%}",
    }
    key = rule.condition
    if key == "required" and kind == CHECKBOX:
        key = "required_ticked"
    if key == "number_range":
        key += (
            "_both"
            if rule.number is not None and rule.upper is not None
            else "_low"
            if rule.number is not None
            else "_high"
        )
    return t(f"builder.rule.suggest.{key}", lang, **values)


# --- editing a rule file's text in place -------------------------------------------------------


def _rules_span(lines: Sequence[str]) -> tuple[int, int] | None:
    """``(first, end)`` line indexes of the ``rules:`` list's items."""
    start = next((i for i, line in enumerate(lines) if line.rstrip() == "rules:"), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "#", "-"))):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start + 1, end


def _items(lines: Sequence[str], span: tuple[int, int]) -> list[tuple[int, int, str]]:
    """Each rule's ``(first, end, indent)`` inside the span (comments above an item stay with
    the item before)."""
    indents = [
        len(lines[i]) - len(lines[i].lstrip())
        for i in range(*span)
        if lines[i].lstrip().startswith("- ")
    ]
    if not indents:
        return []
    indent = min(indents)
    starts = [i for i in range(*span) if lines[i].startswith(" " * indent + "- ")]
    ends = [*starts[1:], span[1]]
    return [(a, b, " " * indent) for a, b in zip(starts, ends, strict=True)]


def _render(rule: Mapping[str, Any], indent: str) -> list[str]:
    body = yaml.safe_dump(
        [dict(rule)], allow_unicode=True, sort_keys=False, width=1000, default_flow_style=None
    )
    return [indent + line if line else line for line in body.rstrip("\n").split("\n")]


def upsert(text: str, rule: Mapping[str, Any]) -> str:
    """``text`` with ``rule`` in place of the rule of the same id, or added at the end of
    ``rules:`` (a ``rules:`` list is added when the file has none)."""
    lines = text.split("\n")
    span = _rules_span(lines)
    if span is None:
        return text.rstrip("\n") + "\nrules:\n" + "\n".join(_render(rule, "  ")) + "\n"
    items = _items(lines, span)
    indent = items[0][2] if items else "  "
    for first, end, _ in items:
        if _item_id(lines, first, end, indent) == rule.get("id"):
            kept = _trailing_comments(lines, first, end)
            return "\n".join([*lines[:first], *_render(rule, indent), *kept, *lines[end:]])
    at = span[1]
    return "\n".join([*lines[:at], *_render(rule, indent), *lines[at:]])


def _trailing_comments(lines: Sequence[str], first: int, end: int) -> list[str]:
    """Comment and blank lines at the end of an item (they introduce the next one)."""
    cut = end
    while cut > first + 1 and (
        not lines[cut - 1].strip() or lines[cut - 1].lstrip().startswith("#")
    ):
        cut -= 1
    return list(lines[cut:end])


def remove(text: str, rule_id: str) -> str:
    """``text`` without the rule ``rule_id`` (unchanged when there is none)."""
    lines = text.split("\n")
    span = _rules_span(lines)
    if span is None:
        return text
    for first, end, indent in _items(lines, span):
        if _item_id(lines, first, end, indent) == rule_id:
            return "\n".join([*lines[:first], *_trailing_comments(lines, first, end), *lines[end:]])
    return text


def _item_id(lines: Sequence[str], first: int, end: int, indent: str) -> object:
    """The id of the rule written on ``lines[first:end]`` (None when it does not parse)."""
    try:  # the bounded safe loader: admin text (no alias bombs)
        loaded = yaml_lines.load("\n".join(line.removeprefix(indent) for line in lines[first:end]))
    except yaml.YAMLError:
        return None
    if isinstance(loaded, list) and loaded and isinstance(loaded[0], Mapping):
        return loaded[0].get("id")
    return None


def new_rule_set(name: str, form: str, title: str) -> str:
    """The text of a new rule set for ``form`` (its rules are added with ``upsert``)."""
    return (
        f"# {title}:由规则设计页面生成的规则集,规则文件格式见 docs/rules.md。\n"
        + yaml.safe_dump(
            {"name": name, "form": form, "version": "1", "description": f"{title}的规则"},
            allow_unicode=True,
            sort_keys=False,
        )
    )

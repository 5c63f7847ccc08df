"""The form builder's model of a form definition, and its conversion to and from YAML.

An admin builds a form as a table of fields (the 表单设计 screen); ``BuilderForm`` is what that
table means, and ``to_yaml`` turns it into the very YAML definition the project compiles
(``forms.yaml_definitions``), so a built form is checked, versioned, rendered and printed like any
other. ``from_definition`` reads a definition back, so a form saved as YAML (shipped, stored or
built) opens in the builder. What the builder does not edit (a calculation, a hand-written
condition, ``gt`` / ``multiple_of``, accepted file types …) is kept as written in ``extra`` and
written back unchanged. ``from_model`` turns a built-in Python form into a builder form, so
one can be copied and adapted (its Python validators are not carried over: ``not_carried``
says so, and the copy panel shows it).

Every walk over admin input is bounded: ``MAX_FIELDS`` fields in all, ``MAX_OPTIONS`` options
per field, containers nested ``MAX_NESTING`` deep (a repeat group inside a section).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import yaml
from pydantic import BaseModel

from forms.definition_checks import CONTAINER_TYPES
from forms.specs import FieldSpec, describe
from i18n import Lang, t

MAX_FIELDS = 200
MAX_OPTIONS = 100
MAX_NESTING = 2
YES, NO = "是", "否"  # the values of a yes/no condition as the admin picks them

# The kinds the builder offers first (issue 16's list), then the other YAML types.
BUILDER_KINDS = (
    "text",
    "textarea",
    "float",
    "int",
    "date",
    "month",
    "select",
    "multiselect",
    "bool",
    "file",
    "group",
    "section",
    "radio",
    "tags",
    "datetime",
    "time",
)
CHOICE_KINDS = ("select", "radio", "multiselect")
LIST_KINDS = ("multiselect", "tags", "group", "file")
# Which keys the builder's 最小 / 最大 columns stand for, by kind (length, value or count).
LIMIT_KEYS: dict[str, tuple[str, str]] = {
    "text": ("min_length", "max_length"),
    "textarea": ("min_length", "max_length"),
    "int": ("ge", "le"),
    "float": ("ge", "le"),
    **{kind: ("min_length", "max_length") for kind in LIST_KINDS},
}
_FORM_KEYS = ("form_type", "form_version", "title", "stage", "ruleset", "one_per_campaign")
_NAME = r"[a-z][a-z0-9_]*"
_CONDITION_PATTERNS = (
    re.compile(rf"^(?P<field>{_NAME}) == (?P<value>true|false)$"),
    re.compile(rf"^(?P<field>{_NAME}) == (?P<value>-?\d+(?:\.\d+)?)$"),
    re.compile(rf'^"(?P<value>[^"\\\n]*)" in (?P<field>{_NAME})$'),
    re.compile(rf'^(?P<field>{_NAME}) == "(?P<value>[^"\\\n]*)"$'),
)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# Kinds a condition cannot test (besides sections and repeat groups): no one value to compare.
UNCONDITIONAL_KINDS = ("file", "date", "month", "datetime", "time")


@dataclass(frozen=True)
class Option:
    """One choice: the value stored (Chinese) and its English label."""

    value: str
    en: str = ""


@dataclass(frozen=True)
class ShowWhen:
    """Show a field only when an earlier field holds ``value`` (for a yes/no field 是 / 否; for
    a multiple choice, when ``value`` is among those picked)."""

    field: str
    value: str


@dataclass(frozen=True)
class BuilderField:
    """One row of the builder: a field, or a repeat group / section with ``children``."""

    name: str
    kind: str
    label_zh: str
    label_en: str = ""
    help_zh: str = ""
    help_en: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    show_when: ShowWhen | None = None
    children: tuple[BuilderField, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # keys kept as written

    def label(self, lang: Lang) -> str:
        """The label in ``lang`` (English falls back to Chinese)."""
        return (self.label_en or self.label_zh) if lang == "en" else self.label_zh


@dataclass(frozen=True)
class BuilderForm:
    """A whole form as the builder edits it."""

    form_type: str
    title_zh: str
    title_en: str = ""
    stage: str = "implement"
    form_version: int = 1
    ruleset: str | None = None
    one_per_campaign: bool = False
    fields: tuple[BuilderField, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def walk(self) -> Iterator[tuple[BuilderField, int]]:
        """Every field with its nesting depth (0 top level), parents before children; stops
        after ``MAX_FIELDS + 1`` so a huge input is never walked whole."""
        count = 0
        stack = [(f, 0) for f in reversed(self.fields)]
        while stack and count <= MAX_FIELDS:
            node, depth = stack.pop()
            count += 1
            yield node, depth
            if depth <= MAX_NESTING:
                stack.extend((c, depth + 1) for c in reversed(node.children))


class BuilderError(ValueError):
    """A builder form that cannot become a definition; ``problems`` say which row and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


# --- the model → YAML -------------------------------------------------------------------------


def condition_expression(target: BuilderField, value: str) -> str:
    """The ``relevant`` expression "show when ``target`` holds ``value``", written as the
    kind of ``target`` needs it."""
    if target.kind == "bool":
        return f"{target.name} == {'true' if value == YES else 'false'}"
    if target.kind in ("int", "float"):
        return f"{target.name} == {value}"
    if target.kind in ("multiselect", "tags"):
        return f'"{value}" in {target.name}'
    return f'{target.name} == "{value}"'


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _pair(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en} if en else {"zh": zh}


def _field_node(item: BuilderField, scope: Mapping[str, BuilderField]) -> dict[str, Any]:
    node: dict[str, Any] = {"name": item.name, "type": item.kind}
    node["label"] = _pair(item.label_zh, item.label_en)
    if item.help_zh or item.help_en:
        node["help"] = _pair(item.help_zh, item.help_en)
    if item.required:
        node["required"] = True
    if item.options:
        node["options"] = [
            {"value": o.value, "en": o.en} if o.en else {"value": o.value} for o in item.options
        ]
    low_key, high_key = LIMIT_KEYS.get(item.kind, ("", ""))
    for key, value in ((low_key, item.minimum), (high_key, item.maximum)):
        if key and value is not None:
            node[key] = _number(value)
    if item.show_when is not None and item.show_when.field in scope:
        target = scope[item.show_when.field]
        node["relevant"] = condition_expression(target, item.show_when.value)
    node.update(item.extra)
    if item.kind in CONTAINER_TYPES:
        inner = dict(scope)
        node["fields"] = []
        for child in item.children:
            node["fields"].append(_field_node(child, inner))
            inner[child.name] = child
    return node


def to_definition(form: BuilderForm) -> dict[str, Any]:
    """The definition ``form`` stands for, as the mapping ``forms.yaml_definitions`` reads."""
    document: dict[str, Any] = {
        "form_type": form.form_type,
        "form_version": form.form_version,
        "title": _pair(form.title_zh, form.title_en),
        "stage": form.stage,
    }
    if form.ruleset:
        document["ruleset"] = form.ruleset
    if form.one_per_campaign:
        document["one_per_campaign"] = True
    document.update(form.extra)
    scope: dict[str, BuilderField] = {}
    document["fields"] = []
    for item in form.fields:
        document["fields"].append(_field_node(item, scope))
        scope[item.name] = item
    return document


def to_yaml(form: BuilderForm) -> str:
    """The YAML definition of ``form`` (what the 高级 tab shows and what is saved)."""
    body = yaml.safe_dump(
        to_definition(form),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )
    return f"# {form.title_zh}:由表单设计页面生成,字段说明见 docs/forms.md。\n{body}"


# --- YAML → the model -------------------------------------------------------------------------


def _text_pair(value: Any) -> tuple[str, str] | None:
    if isinstance(value, str):
        return value, ""
    if (
        isinstance(value, Mapping)
        and set(value) <= {"zh", "en"}
        and isinstance(value.get("zh"), str)
        and isinstance(value.get("en", ""), str)
    ):
        return str(value["zh"]), str(value.get("en") or "")
    return None


def _options(value: Any) -> tuple[Option, ...] | None:
    if not isinstance(value, list) or len(value) > MAX_OPTIONS:
        return None
    options = []
    for option in value:
        if isinstance(option, str):
            options.append(Option(option))
        elif (
            isinstance(option, Mapping)
            and set(option) <= {"value", "en"}
            and isinstance(option.get("value"), str)
            and isinstance(option.get("en", ""), str)
        ):
            options.append(Option(str(option["value"]), str(option.get("en") or "")))
        else:
            return None
    return tuple(options)


def parse_condition(expression: str) -> ShowWhen | None:
    """The builder's condition an expression written by ``condition_expression`` stands for."""
    for index, pattern in enumerate(_CONDITION_PATTERNS):
        found = pattern.match(expression)
        if found:
            value = found["value"]
            if index == 0:  # the yes/no pattern
                value = YES if value == "true" else NO
            return ShowWhen(found["field"], value)
    return None


def _from_node(
    node: Mapping[str, Any], scope: Mapping[str, BuilderField], depth: int
) -> BuilderField:
    rest = dict(node)
    name, kind = str(rest.pop("name", "")), str(rest.pop("type", "text"))
    label = _text_pair(rest.get("label"))
    label_zh, label_en = label if label is not None else ("", "")
    if label is not None:
        rest.pop("label", None)
    help_pair = _text_pair(rest.get("help")) if "help" in rest else ("", "")
    if help_pair is not None:
        rest.pop("help", None)
    help_zh, help_en = help_pair or ("", "")
    required = rest.get("required") is True
    if isinstance(rest.get("required"), bool):
        rest.pop("required")
    options: tuple[Option, ...] = ()
    if "options" in rest and (parsed := _options(rest["options"])) is not None:
        options = parsed
        rest.pop("options")
    limits: list[float | None] = [None, None]
    for index, key in enumerate(LIMIT_KEYS.get(kind, ())):
        value = rest.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            limits[index] = value
            rest.pop(key)
    show_when = None
    if isinstance(rest.get("relevant"), str):
        found = parse_condition(rest["relevant"])
        target = scope.get(found.field) if found else None
        if found and target and condition_expression(target, found.value) == rest["relevant"]:
            show_when = found
            rest.pop("relevant")
    children: list[BuilderField] = []
    if kind in CONTAINER_TYPES and isinstance(rest.get("fields"), list) and depth < MAX_NESTING:
        inner = dict(scope)
        for child in rest.pop("fields")[:MAX_FIELDS]:
            if isinstance(child, Mapping):
                built = _from_node(child, inner, depth + 1)
                children.append(built)
                inner[built.name] = built
    return BuilderField(
        name=name,
        kind=kind,
        label_zh=label_zh,
        label_en=label_en,
        help_zh=help_zh,
        help_en=help_en,
        required=required,
        options=options,
        minimum=limits[0],
        maximum=limits[1],
        show_when=show_when,
        children=tuple(children),
        extra=rest,
    )


def from_definition(document: Mapping[str, Any]) -> BuilderForm:
    """The builder form of a definition mapping (parsed YAML); what the builder does not edit
    stays in ``extra`` and is written back unchanged."""
    rest = {k: v for k, v in document.items() if k not in (*_FORM_KEYS, "fields")}
    title = _text_pair(document.get("title")) or ("", "")
    version = document.get("form_version", 1)
    scope: dict[str, BuilderField] = {}
    fields: list[BuilderField] = []
    raw_fields = document.get("fields")
    for node in (raw_fields if isinstance(raw_fields, list) else [])[:MAX_FIELDS]:
        if isinstance(node, Mapping):
            built = _from_node(node, scope, 0)
            fields.append(built)
            scope[built.name] = built
    ruleset = document.get("ruleset")
    return BuilderForm(
        form_type=str(document.get("form_type") or ""),
        title_zh=title[0],
        title_en=title[1],
        stage=str(document.get("stage") or "implement"),
        form_version=version if isinstance(version, int) and not isinstance(version, bool) else 1,
        ruleset=str(ruleset) if ruleset else None,
        one_per_campaign=document.get("one_per_campaign") is True,
        fields=tuple(fields),
        extra=rest,
    )


def from_yaml(text: str) -> BuilderForm:
    """``from_definition`` of a YAML text (safe-loaded); ``BuilderError`` when it is not a
    definition mapping."""
    from forms.yaml_definitions import parse  # the same bounded, line-keeping loader

    document = parse(text, "表单定义")
    if not isinstance(document, Mapping):
        raise BuilderError(["表单定义应是一个映射(form_type、title、fields ...)"])
    return from_definition(document)


# --- a built-in Python form as a template -----------------------------------------------------

_KIND_OF_SPEC = {"decimal": "float", "repeat": "group", "readonly": "text"}


def _from_spec(spec: FieldSpec, scope: Mapping[str, BuilderField], depth: int) -> BuilderField:
    kind = _KIND_OF_SPEC.get(spec.kind, spec.kind)
    if spec.choices is not None:  # picked from a server-kept list (partner branches): a
        kind = "tags"  # definition has no such list, so its copy takes names typed one a line
    low_key, high_key = LIMIT_KEYS.get(kind, ("", ""))
    limits = {"ge": spec.ge, "le": spec.le}
    limits.update(min_length=spec.min_length, max_length=spec.max_length)
    names = spec.extra.get("options_en")
    options = tuple(
        Option(str(v), str(names.get(v, "")) if isinstance(names, dict) else "")
        for v in spec.options[:MAX_OPTIONS]
    )
    show_when = parse_condition(spec.relevant or "")
    if show_when is not None and show_when.field not in scope:
        show_when = None
    extra = {"calculate": spec.calculate} if spec.calculate else {}
    children: list[BuilderField] = []
    if spec.model is not None and kind in CONTAINER_TYPES and depth < MAX_NESTING:
        inner = dict(scope)
        for child_spec in describe(spec.model)[:MAX_FIELDS]:
            if child_spec.stores_value:
                child = _from_spec(child_spec, inner, depth + 1)
                children.append(child)
                inner[child.name] = child
    return BuilderField(
        name=spec.name,
        kind=kind,
        label_zh=spec.label_zh,
        label_en=spec.label_en,
        help_zh=spec.help_zh,
        help_en=spec.help_en,
        required=spec.required and kind not in LIST_KINDS,
        options=options,
        minimum=limits.get(low_key) if low_key else None,
        maximum=limits.get(high_key) if high_key else None,
        show_when=show_when,
        children=tuple(children),
        extra=extra,
    )


def from_model(model: type[BaseModel], *, form_type: str, title_zh: str, stage: str) -> BuilderForm:
    """A builder form with the fields of a (built-in) model, to adapt as a new form; what it
    cannot carry (checks written in Python, lists kept by the server, conditions the builder
    cannot spell) is said by ``not_carried``."""
    scope: dict[str, BuilderField] = {}
    fields = []
    for spec in describe(model)[:MAX_FIELDS]:
        if spec.stores_value:
            built = _from_spec(spec, scope, 0)
            fields.append(built)
            scope[built.name] = built
    return BuilderForm(form_type=form_type, title_zh=title_zh, stage=stage, fields=tuple(fields))


def not_carried(model: type[BaseModel], lang: Lang = "zh") -> list[str]:
    """What ``from_model`` leaves out of a copy of ``model``, one sentence each for the admin:
    the checks its Python code makes (validators comparing several answers: no definition can
    say them), fields picked from a list the server keeps (the copy takes names typed one a
    line), and conditions the builder cannot spell."""
    found: list[str] = []

    def visit(current: type[BaseModel], where: str, scope: set[str], depth: int) -> None:
        decorators = current.__pydantic_decorators__
        count = len(decorators.model_validators) + len(decorators.field_validators)
        if count:
            found.append(t("builder.copy_loss.checks", lang, where=where, n=count))
        inner = set(scope)
        for spec in describe(current)[:MAX_FIELDS]:
            if not spec.stores_value:
                continue
            label = spec.label(lang) or spec.name
            if spec.choices is not None:
                found.append(t("builder.copy_loss.choices", lang, field=label))
            shown = parse_condition(spec.relevant or "")
            if spec.relevant and (shown is None or shown.field not in inner):
                found.append(t("builder.copy_loss.condition", lang, field=label))
            if spec.model is not None and depth < MAX_NESTING:
                visit(spec.model, label, inner, depth + 1)
            inner.add(spec.name)

    title = getattr(model, "title_zh", "") if lang != "en" else getattr(model, "title_en", "")
    visit(model, str(title or model.__name__), set(), 0)
    return found


# --- what the builder refuses before the definition's own checks ------------------------------


def problems(form: BuilderForm, lang: Lang = "zh") -> list[str]:
    """What keeps ``form`` from becoming a definition, beyond the checks every definition gets
    (``forms.definition_checks``): budgets, conditions on later or unknown fields, values a
    condition cannot hold, a minimum above the maximum. Empty when fine."""
    found: list[str] = []
    walked = list(form.walk())
    if len(walked) > MAX_FIELDS:
        return [t("builder.problem.too_many_fields", lang, max=MAX_FIELDS)]
    for item, depth in walked:
        where = item.label(lang) or item.name
        if depth > MAX_NESTING or (depth == MAX_NESTING and item.kind in CONTAINER_TYPES):
            found.append(t("builder.problem.too_deep", lang, field=where, max=MAX_NESTING))
        if len(item.options) > MAX_OPTIONS:
            found.append(t("builder.problem.too_many_options", lang, field=where, max=MAX_OPTIONS))
        if item.minimum is not None and item.maximum is not None and item.minimum > item.maximum:
            found.append(t("builder.problem.min_above_max", lang, field=where))
    found.extend(_condition_problems(form.fields, {}, lang))
    return found


def _condition_problems(
    fields: tuple[BuilderField, ...], scope: Mapping[str, BuilderField], lang: Lang
) -> Iterator[str]:
    inner = dict(scope)
    for item in fields[:MAX_FIELDS]:
        if item.show_when is not None:
            yield from _condition_problem(item, inner, lang)
        if item.kind in CONTAINER_TYPES:
            yield from _condition_problems(item.children, inner, lang)
        inner[item.name] = item


def _condition_problem(
    item: BuilderField, scope: Mapping[str, BuilderField], lang: Lang
) -> Iterator[str]:
    assert item.show_when is not None
    where = item.label(lang) or item.name
    target = scope.get(item.show_when.field)
    value = item.show_when.value
    if target is None:
        yield t("builder.problem.condition_later", lang, field=where)
    elif target.kind in CONTAINER_TYPES or target.kind in UNCONDITIONAL_KINDS:
        yield t("builder.problem.condition_kind", lang, field=where, target=target.label(lang))
    elif target.kind == "bool" and value not in (YES, NO):
        yield t("builder.problem.condition_yes_no", lang, field=where)
    elif target.kind in ("int", "float") and not _NUMBER.match(value):
        yield t("builder.problem.condition_number", lang, field=where, value=value)
    elif target.kind in CHOICE_KINDS and value not in {o.value for o in target.options}:
        choices = "、".join(o.value for o in target.options[:MAX_OPTIONS])
        yield t("builder.problem.condition_option", lang, field=where, value=value, options=choices)
    elif any(c in value for c in '"\\\n') or not value:
        yield t("builder.problem.condition_text", lang, field=where)


def condition_targets(form: BuilderForm) -> dict[str, list[BuilderField]]:
    """For each field, the fields its "仅当" condition may test: those above it at its own
    level or an outer one (never later ones, nor inside another section or repeat group), of a
    kind holding one value to compare."""
    targets: dict[str, list[BuilderField]] = {}

    def visit(fields: tuple[BuilderField, ...], scope: list[BuilderField], depth: int) -> None:
        inner = list(scope)
        for item in fields[:MAX_FIELDS]:
            targets[item.name] = list(inner)
            if item.kind in CONTAINER_TYPES and depth < MAX_NESTING:
                visit(item.children, inner, depth + 1)
            if item.kind not in CONTAINER_TYPES and item.kind not in UNCONDITIONAL_KINDS:
                inner.append(item)

    visit(form.fields, [], 0)
    return targets


def condition_values(target: BuilderField) -> tuple[str, ...]:
    """The values a condition on ``target`` is picked from: 是 / 否 for a yes/no field, the
    options of a choice; empty when the value is typed (text, numbers)."""
    if target.kind == "bool":
        return (YES, NO)
    return tuple(o.value for o in target.options[:MAX_OPTIONS])


def with_condition(form: BuilderForm, name: str, show_when: ShowWhen | None) -> BuilderForm:
    """``form`` with the field ``name`` (at any depth) shown only when ``show_when`` holds
    (``None``: always shown)."""

    def changed(fields: tuple[BuilderField, ...], depth: int) -> tuple[BuilderField, ...]:
        out = []
        for item in fields[:MAX_FIELDS]:
            if item.name == name:
                item = replace(item, show_when=show_when)
            if item.children and depth < MAX_NESTING:
                item = replace(item, children=changed(item.children, depth + 1))
            out.append(item)
        return tuple(out)

    return replace(form, fields=changed(form.fields, 0))


def with_fields(form: BuilderForm, fields: tuple[BuilderField, ...]) -> BuilderForm:
    """``form`` with other fields (the rest unchanged)."""
    return replace(form, fields=fields)

"""Compiles YAML form definitions (checked by ``forms.definition_checks``) to ``FormModel``
classes, and loads the shipped ones in ``forms/definitions/`` (a folder of data only).

Every problem is reported as ``file:line: message`` (``FormDefinitionError.messages``). Nothing
here registers a model: the caller adds it to its ``forms.registry.FormRegistry``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, create_model

from forms import yaml_lines
from forms.base import DEFAULT_ATTACHMENT_TYPES, DEFAULT_MAX_BYTES, Attachment, FormModel
from forms.definition_checks import (
    NUMERIC_KEYS,
    FormDefinitionError,
    check_definition,
    shipped_rulesets,
)
from forms.fields import field
from forms.yaml_lines import TextKeyLineLoader

__all__ = [
    "FOLDER",
    "FormDefinitionError",
    "compile_definition",
    "load_file",
    "load_folder",
    "load_text",
    "parse",
    "shipped_rulesets",
]

FOLDER = Path(__file__).parent / "definitions"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"  # a ``month`` field: YYYY-MM
MONTH_HELP = ("格式:年-月,如 2026-03", "Year-month, e.g. 2026-03")


def _options(node: Mapping[str, Any]) -> tuple[tuple[Any, ...], dict[str, str]]:
    values: list[Any] = []
    english: dict[str, str] = {}
    for option in node.get("options") or []:
        if isinstance(option, Mapping):
            values.append(option.get("value"))
            if option.get("en"):
                english[str(option.get("value"))] = str(option["en"])
        else:
            values.append(option)
    return tuple(values), english


_SCALARS: dict[str, Any] = {
    "text": str,
    "textarea": str,
    "int": int,
    "float": float,
    "date": dt.date,
    "datetime": dt.datetime,
    "time": dt.time,
}


def _annotation(node: Mapping[str, Any], model_name: str) -> tuple[Any, dict[str, Any]]:
    """The Python annotation of a field and the ``field()`` keywords for its default."""
    kind = node["type"]
    required = bool(node.get("required", False))
    default = node.get("default")
    if node.get("calculate"):
        return float | None, {"default": None}
    if kind in _COMPOUND:
        return _compound(node, model_name, required)
    if kind in ("text", "textarea"):
        if required:
            return str, {}
        return str, {"default": default if isinstance(default, str) else ""}
    if kind == "bool":
        return bool, {"default": bool(default)}
    if kind in ("select", "radio"):
        options, _ = _options(node)
        choice: Any = Literal.__getitem__(options)
        if required:
            return choice, {}
        return choice | None, {"default": default if default in options else None}
    scalar = _SCALARS[kind]
    if required:
        return scalar, {}
    return scalar | None, {"default": default}


_COMPOUND = ("multiselect", "tags", "file", "group", "section", "month")


def _compound(
    node: Mapping[str, Any], model_name: str, required: bool
) -> tuple[Any, dict[str, Any]]:
    """Lists, nested rows and months: kinds that are more than one plain scalar."""
    kind = node["type"]
    if kind == "multiselect":
        options, _ = _options(node)
        choices: Any = Literal.__getitem__(options)
        return list[choices], {"default_factory": list}
    if kind == "tags":
        return list[str], {"default_factory": list}
    if kind == "file":
        return list[Attachment], {"default_factory": list}
    if kind == "group":
        row = _compile_row(node, model_name)
        return list[row], {"default_factory": list}  # type: ignore[valid-type]
    if kind == "section":  # always present: the form shows it and sends its values
        return _compile_row(node, model_name), {}
    if required:
        return str, {"pattern": MONTH_PATTERN}
    return str | None, {"default": None, "pattern": MONTH_PATTERN}


def _field_definition(node: Mapping[str, Any], model_name: str) -> tuple[Any, Any]:
    annotation, default = _annotation(node, model_name)
    label_zh, label_en = _pair(node.get("label"))
    help_zh, help_en = _pair(node.get("help"))
    if node["type"] == "month":  # the help says how to write it (and pattern errors quote it)
        help_zh, help_en = help_zh or MONTH_HELP[0], help_en or MONTH_HELP[1]
    constraints = {k: node[k] for k in (*NUMERIC_KEYS, "min_length", "max_length") if k in node}
    if node["type"] in ("text", "textarea") and node.get("required"):
        constraints.setdefault("min_length", 1)
    widget = node.get("widget") or _WIDGET_OF_TYPE.get(node["type"])
    _, options_en = _options(node)
    extra_schema: dict[str, Any] = {"options_en": options_en} if options_en else {}
    info = field(
        label_zh,
        en=label_en,
        help=help_zh,
        help_en=help_en,
        widget=widget,
        relevant=node.get("relevant"),
        calculate=node.get("calculate"),
        accept=(node.get("accept") or DEFAULT_ATTACHMENT_TYPES) if node["type"] == "file" else None,
        max_bytes=(node.get("max_bytes") or DEFAULT_MAX_BYTES) if node["type"] == "file" else None,
        **default,
        **constraints,
    )
    if extra_schema and isinstance(info.json_schema_extra, dict):
        info.json_schema_extra.update(extra_schema)
    return annotation, info


_WIDGET_OF_TYPE = {
    "textarea": "textarea",
    "radio": "radio",
    "select": "select",
    "multiselect": "multiselect",
    "tags": "tags",
    "file": "file",
    "group": "cards",
}


def _pair(value: Any) -> tuple[str, str]:
    if isinstance(value, Mapping):
        return str(value.get("zh") or ""), str(value.get("en") or "")
    return (str(value), "") if value else ("", "")


def _class_name(form_type: str) -> str:
    return "".join(part.capitalize() for part in form_type.split("_")) or "Form"


def _compile_row(node: Mapping[str, Any], model_name: str) -> type[BaseModel]:
    name = f"{model_name}{_class_name(str(node['name']))}Row"
    fields = {str(c["name"]): _field_definition(c, name) for c in node["fields"]}
    return create_model(  # type: ignore[call-overload]
        name, __config__=ConfigDict(str_strip_whitespace=True, extra="forbid"), **fields
    )


def compile_definition(document: Mapping[str, Any]) -> type[FormModel]:
    """A ``FormModel`` subclass built from a checked definition (see ``check_definition``)."""
    form_type = str(document["form_type"])
    version = int(document.get("form_version", 1))
    name = f"{_class_name(form_type)}V{version}"
    title_zh, title_en = _pair(document.get("title"))
    base: type[FormModel] = type(
        f"{name}Base",
        (FormModel,),
        {
            "__module__": __name__,
            "__doc__": f"{title_zh} — defined in YAML (version {version}).",
            "form_type": form_type,
            "title_zh": title_zh,
            "title_en": title_en or title_zh,
            "stage": str(document["stage"]),
            "ruleset": document.get("ruleset"),
            "one_per_campaign": bool(document.get("one_per_campaign", False)),
            "form_version": version,
        },
    )
    fields: dict[str, Any] = {
        str(node["name"]): _field_definition(node, name) for node in document["fields"]
    }
    model = create_model(name, __base__=base, __module__=__name__, **fields)
    model.definition = dict(document)  # type: ignore[attr-defined]
    return model


def parse(text: str, source: str = "<definition>") -> Any:
    """The definition in ``text`` parsed with a line-keeping safe loader."""
    try:
        return yaml_lines.load(text, TextKeyLineLoader)  # safe_load + line numbers
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error)
        raise FormDefinitionError([f"{source}:{line}: YAML 格式错误:{problem}"]) from error


def load_text(
    text: str, source: str = "<definition>", rulesets: Collection[str] | None = None
) -> type[FormModel]:
    """Check and compile a YAML definition; raises ``FormDefinitionError`` (not registered).

    ``rulesets``: the rule set names its ``ruleset`` may use (None: not checked).
    """
    document = parse(text, source)
    messages = check_definition(document, source, rulesets)
    if messages:
        raise FormDefinitionError(messages)
    try:
        return compile_definition(document)
    except (TypeError, ValueError) as error:  # e.g. a default that breaks a constraint
        raise FormDefinitionError([f"{source}:1: 无法生成表单:{error}"]) from error


def load_file(path: Path) -> type[FormModel]:
    """Check and compile the definition in ``path``; raises ``FormDefinitionError``. Its
    ``ruleset`` must be one of the shipped ``rules/*.yaml``."""
    return load_text(path.read_text(encoding="utf-8"), str(path), shipped_rulesets())


def load_folder(folder: Path = FOLDER) -> list[type[FormModel]]:
    """Compile every ``*.yaml`` definition in ``folder``, in file name order; raises
    ``FormDefinitionError`` for the first that does not compile."""
    return [load_file(path) for path in sorted(folder.glob("*.yaml"))]

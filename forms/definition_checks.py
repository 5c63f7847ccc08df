"""Checks a parsed YAML form definition and reports every problem as ``file:line: message``.

The format (``forms/definitions/*.yaml``, or a definition an admin saves)::

    form_type: volunteer_service
    form_version: 1
    title: {zh: 党员志愿服务登记, en: Volunteer service record}
    stage: implement
    one_per_campaign: false    # true: a branch writes one per campaign (like the plan)
    fields:
      - name: hours
        type: float            # see FIELD_TYPES
        label: {zh: 服务时长(小时), en: Hours}
        required: true
        gt: 0
        le: 24

Field keys: ``name``, ``type``, ``label`` (zh/en), ``help`` (zh/en), ``required``, ``default``,
``min_length`` / ``max_length`` (text length or number of entries), ``ge`` / ``gt`` / ``le`` /
``lt`` / ``multiple_of``, ``options`` (values, or ``{value, en}``), ``widget``, ``relevant`` and
``calculate`` (rule-engine expressions over the other fields), ``accept`` / ``max_bytes``
(attachments) and ``fields`` (the columns of a ``group``, a repeat group, or the fields of a
``section``, a titled part of the form holding one value of each). A ``month`` is text stored
as ``YYYY-MM``.

``ruleset`` must name a rule set that exists. Which ones exist depends on where the definition
comes from, so the caller says (``rulesets=``): a file read from disk may only use the shipped
``rules/*.yaml``; ``workflow.form_definitions`` adds the rule sets kept only in the store.
Without ``rulesets`` the name is not checked. ``forms.yaml_definitions`` compiles what passes.
"""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from forms.errors import FormError
from forms.expressions import check
from forms.yaml_lines import LineDict

# The shipped rule sets are files of the rules package; forms reads their names from the
# folder without importing rules (rules imports forms, not the other way round).
RULES_FOLDER = Path(__file__).parents[1] / "rules"
FIELD_TYPES = (
    "text",
    "textarea",
    "int",
    "float",
    "bool",
    "date",
    "month",
    "datetime",
    "time",
    "select",
    "radio",
    "multiselect",
    "tags",
    "group",
    "section",
    "file",
)
CONTAINER_TYPES = ("group", "section")  # fields holding fields: a repeat group, a section
STAGES = ("launch", "implement", "evaluate")
_FORM_KEYS = (
    "form_type",
    "form_version",
    "title",
    "stage",
    "ruleset",
    "one_per_campaign",
    "description",
    "fields",
)
_FIELD_KEYS = (
    "name",
    "type",
    "label",
    "help",
    "required",
    "default",
    "min_length",
    "max_length",
    "ge",
    "gt",
    "le",
    "lt",
    "multiple_of",
    "options",
    "widget",
    "relevant",
    "calculate",
    "accept",
    "max_bytes",
    "fields",
)
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
NUMERIC_KEYS = ("ge", "gt", "le", "lt", "multiple_of")


class FormDefinitionError(FormError, ValueError):
    """A definition that cannot be compiled; ``messages`` are ``file:line: message`` lines."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


class _Checker:
    """Collects ``file:line: message`` problems while walking a definition."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def add(self, node: Any, key: str | None, message: str) -> None:
        line = 1
        if isinstance(node, LineDict):
            line = node.key_lines.get(key, node.line) if key else node.line
        self.messages.append(f"{self.source}:{line}: {message}")

    def unknown_keys(self, node: LineDict, allowed: tuple[str, ...], where: str) -> None:
        for key in node:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f",是不是想写 {close[0]!r}?" if close else f";可用的键:{', '.join(allowed)}"
                self.add(node, key, f"{where}不认识的键 {key!r}{hint}")


def _text_pair(checker: _Checker, node: LineDict, key: str, *, required: bool) -> tuple[str, str]:
    value = node.get(key)
    if value is None:
        if required:
            checker.add(node, None, f"缺少 {key}(需要写 zh 和 en 两种文字)")
        return "", ""
    if isinstance(value, str):
        return value, ""
    if isinstance(value, Mapping) and isinstance(value.get("zh"), str):
        return str(value["zh"]), str(value.get("en") or "")
    checker.add(node, key, f"{key} 应写成 {{zh: 中文, en: English}}")
    return "", ""


def _check_field(checker: _Checker, node: Any, names: list[str], seen: set[str]) -> bool:
    if not isinstance(node, LineDict):
        checker.add(node, None, "每个字段应是一个映射(name、type、label ...)")
        return False
    checker.unknown_keys(node, _FIELD_KEYS, "字段中")
    name = node.get("name")
    if not isinstance(name, str) or not _NAME.match(name) or keyword.iskeyword(name):
        checker.add(
            node, "name", f"字段名 {name!r} 无效:请用小写英文字母开头,只含小写字母、数字和下划线"
        )
        return False
    if name in seen:
        checker.add(node, "name", f"字段名 {name!r} 重复,请改成不同的名字")
    seen.add(name)
    kind = node.get("type")
    if kind not in FIELD_TYPES:
        close = difflib.get_close_matches(str(kind), FIELD_TYPES, n=1)
        hint = f",是不是想写 {close[0]!r}?" if close else f";可用的类型:{', '.join(FIELD_TYPES)}"
        checker.add(node, "type", f"字段 {name!r} 的类型 {kind!r} 无效{hint}")
        return False
    _text_pair(checker, node, "label", required=True)
    _check_constraints(checker, node, name, kind)
    if kind in CONTAINER_TYPES:
        _check_group(checker, node, name, names)
    return True


def _check_constraints(checker: _Checker, node: LineDict, name: str, kind: str) -> None:
    for key in NUMERIC_KEYS:
        if key in node and not isinstance(node[key], int | float):
            checker.add(node, key, f"字段 {name!r} 的 {key} 应为数字")
        elif key in node and kind == "int" and not float(node[key]).is_integer():
            checker.add(node, key, f"字段 {name!r} 是整数,{key} 也应为整数(如 {int(node[key])})")
    for key in ("min_length", "max_length", "max_bytes"):
        if key in node and (not isinstance(node[key], int) or node[key] < 0):
            checker.add(node, key, f"字段 {name!r} 的 {key} 应为非负整数")
    if kind in ("select", "radio", "multiselect"):
        options = node.get("options")
        if not isinstance(options, list) or not options:
            where = "options" if "options" in node else None
            checker.add(node, where, f"选择题 {name!r} 需要 options 列表")


def _check_group(checker: _Checker, node: LineDict, name: str, names: list[str]) -> None:
    columns = node.get("fields")
    if not isinstance(columns, list) or not columns:
        key = "fields" if "fields" in node else None
        what = "分节" if node.get("type") == "section" else "重复组"
        checker.add(node, key, f"{what} {name!r} 需要 fields 列表")
        return
    inner: set[str] = set()
    scope = [*names, *(str(c.get("name")) for c in columns if isinstance(c, LineDict))]
    for column in columns:
        if _check_field(checker, column, scope, inner):
            _check_expressions(checker, column, scope)


def _check_expressions(checker: _Checker, node: LineDict, names: list[str]) -> None:
    for key in ("relevant", "calculate"):
        expression = node.get(key)
        if expression is None:
            continue
        if not isinstance(expression, str):
            checker.add(node, key, f"{key} 应为一条表达式(文字)")
            continue
        problem = check(expression, names)
        if problem:
            close = (
                difflib.get_close_matches(problem.split("'")[1], names, n=1)
                if "'" in problem
                else []
            )
            hint = f",是不是想写 {close[0]!r}?" if close else ""
            checker.add(node, key, f"字段 {node.get('name')!r} 的 {key} 表达式有误:{problem}{hint}")


def shipped_rulesets(folder: Path = RULES_FOLDER) -> list[str]:
    """The names of the rule sets shipped as ``rules/<name>.yaml``, sorted."""
    return sorted(path.stem for path in folder.glob("*.yaml"))


def _check_ruleset(checker: _Checker, document: LineDict, rulesets: Collection[str]) -> None:
    name = document.get("ruleset")
    if name is None or name == "" or (isinstance(name, str) and name in rulesets):
        return
    known = sorted(rulesets)
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f",是不是想写 {close[0]!r}?" if close else f";现有的规则集:{', '.join(known) or '无'}"
    checker.add(document, "ruleset", f"规则集 {name!r} 不存在{hint}")


def check_definition(
    document: Any, source: str, rulesets: Collection[str] | None = None
) -> list[str]:
    """Every problem of a parsed definition, as ``file:line: message`` lines (empty when ok).

    ``rulesets``: the rule set names ``ruleset`` may use (None: not checked).
    """
    checker = _Checker(source)
    if not isinstance(document, LineDict):
        checker.add(document, None, "表单定义应是一个映射(form_type、title、fields ...)")
        return checker.messages
    checker.unknown_keys(document, _FORM_KEYS, "表单定义中")
    form_type = document.get("form_type")
    if not isinstance(form_type, str) or not _NAME.match(form_type):
        checker.add(
            document, "form_type", f"form_type {form_type!r} 无效:请用小写英文字母、数字和下划线"
        )
    version = document.get("form_version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        checker.add(document, "form_version", "form_version 应为正整数(1、2、3 ...)")
    _text_pair(checker, document, "title", required=True)
    if document.get("stage") not in STAGES:
        checker.add(document, "stage", f"stage 应为 {' / '.join(STAGES)} 之一")
    if not isinstance(document.get("one_per_campaign", False), bool):
        checker.add(document, "one_per_campaign", "one_per_campaign 应为 true 或 false")
    if rulesets is not None:
        _check_ruleset(checker, document, rulesets)
    fields = document.get("fields")
    if not isinstance(fields, list) or not fields:
        checker.add(document, "fields" if "fields" in document else None, "缺少 fields 字段列表")
        return checker.messages
    names = [str(f.get("name")) for f in fields if isinstance(f, LineDict)]
    seen: set[str] = set()
    for node in fields:
        if _check_field(checker, node, names, seen):
            _check_expressions(checker, node, names)
    return checker.messages

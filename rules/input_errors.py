"""Form data that fails its Pydantic model, explained per field in Chinese (for the CLI)."""

from __future__ import annotations

from typing import Any

import pydantic
from pydantic import BaseModel

_ZH = {
    "missing": "必须填写",
    "string_type": "应为文字",
    "string_too_short": "内容太短",
    "string_too_long": "内容太长",
    "too_short": "项目太少",
    "too_long": "项目太多",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为是或否",
    "bool_parsing": "应为是或否",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "literal_error": "取值不在可选范围内",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than": "数值太大",
    "less_than_equal": "数值太大",
    "multiple_of": "数值不符合步长",
    "extra_forbidden": "不是这个表单的字段，请删除",
    "list_type": "应为列表",
    "model_type": "格式不对",
    "dict_type": "格式不对",
}


def _label(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    labels: list[str] = []
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            labels.append(f"第{part + 1}项")
            continue
        info = getattr(current, "model_fields", {}).get(part)
        labels.append(f"“{info.title}”" if info is not None and info.title else str(part))
        annotation = info.annotation if info is not None else None
        args = getattr(annotation, "__args__", ())
        current = next(
            (a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)),
            None,
        )
    return "".join(labels) or "表单"


def field_errors(model: type[BaseModel], exc: pydantic.ValidationError) -> list[str]:
    """One Chinese line per problem: which field (label and path) and what to fix."""
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        path = ".".join(str(p) for p in loc)
        if error["type"] == "value_error":
            text = str(error["msg"]).removeprefix("Value error, ")
        else:
            text = _ZH.get(error["type"], str(error["msg"]))
            limit = (error.get("ctx") or {}).get("min_length") or (error.get("ctx") or {}).get(
                "max_length"
            )
            if limit is not None and error["type"].endswith(("too_short", "too_long")):
                text += f"（限 {limit}）"
        where = f"{_label(model, loc)}({path})" if path else "表单"
        lines.append(f"{where}：{text}")
    return lines

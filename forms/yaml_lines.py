"""A YAML loader that remembers the line of every key and list item.

It is a ``yaml.SafeLoader`` subclass (so still safe: plain data only); mappings come back as
``LineDict`` and sequences as ``LineList``, which carry 1-based line numbers so that a
Pydantic error location such as ``('rules', 3, 'severity')`` can be turned into a line.
Rule sets (``rules.compiler``) and form definitions (``forms.definitions``) both load with it,
so every ``file:line`` an admin reads is counted the same way.
"""

from __future__ import annotations

from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, SequenceNode


class LineDict(dict[Any, Any]):
    """A dict with ``line`` (where it starts) and ``key_lines`` (where each key is)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list with ``line`` (where it starts) and ``item_lines`` (where each item is)."""

    line: int = 0
    item_lines: list[int]


class LineLoader(yaml.SafeLoader):
    """SafeLoader recording node marks on the containers it builds.

    Keys are kept as YAML reads them and a key written twice in one mapping is an error.
    """

    string_keys: ClassVar[bool] = False


def _construct_mapping(loader: LineLoader, node: MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if loader.string_keys:
            key = str(key)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "键不能是列表或映射", key_node.start_mark
            ) from None
        if key in result and not loader.string_keys:
            raise yaml.constructor.ConstructorError(
                None, None, f"键 {key!r} 重复出现", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: LineLoader, node: SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class TextKeyLineLoader(LineLoader):
    """``LineLoader`` whose keys are always text (YAML reads ``on:`` as ``True``, ``1:`` as an
    int); a key written twice keeps its last value, as ``yaml.safe_load`` does."""

    string_keys = True


def load(text: str, loader: type[LineLoader] = LineLoader) -> Any:
    """Parse YAML text into plain data with line numbers; raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=loader)  # every LineLoader is a SafeLoader subclass


def line_of(root: Any, loc: tuple[Any, ...]) -> int:
    """The line of the deepest node of ``loc`` that exists under ``root`` (1 if none)."""
    line = getattr(root, "line", 1) or 1
    node = root
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line

"""A YAML loader that remembers the line of every key and list item.

It is a ``yaml.SafeLoader`` subclass (so still safe: plain data only); mappings come back as
``LineDict`` and sequences as ``LineList``, which carry 1-based line numbers so that a
Pydantic error location such as ``('rules', 3, 'severity')`` can be turned into a line.
Rule sets (``rules.compiler``) and form definitions (``forms.yaml_definitions``) both load with it,
so every ``file:line`` an admin reads is counted the same way.

Admins paste this text into the browser, so loading is bounded (``MAX_CHARS``, ``MAX_DEPTH``,
``MAX_NODES``): PyYAML shares an aliased node instead of copying it, but everything after
loading (validation, hashing, JSON) walks the expanded tree, so a 400-byte "billion laughs"
file of nested aliases would take minutes and gigabytes there. The expanded size is counted on
the composed node graph before anything is built.
"""

from __future__ import annotations

from typing import Any, ClassVar

import yaml
from yaml.composer import ComposerError
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_CHARS = 200_000  # the largest shipped rule file is 15,000
MAX_DEPTH = 64  # of nested lists and mappings, aliases followed
MAX_NODES = 100_000  # scalars, lists and mappings, every alias counted as a copy


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
    _depth: int = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """PyYAML's, refusing nesting deeper than ``MAX_DEPTH`` before it recurses further."""
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise ComposerError(None, None, f"嵌套超过 {MAX_DEPTH} 层", mark)
            node: Node | None = super().compose_node(parent, index)
            return node
        finally:
            self._depth -= 1

    def get_single_node(self) -> Node | None:
        """The document's node graph, refused when its expansion is too large (see module)."""
        node: Node | None = super().get_single_node()
        if node is not None:
            _check_expansion(node)
        return node


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_expansion(root: Node) -> None:
    """Raise ``ComposerError`` when the tree ``root`` expands to (aliases copied) has more than
    ``MAX_NODES`` nodes, is deeper than ``MAX_DEPTH`` or refers to itself.

    Iterative, memoised per node: linear in the graph whatever the expansion.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_nodes.discard(key)
            children = _children(node)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            if size[key] > MAX_NODES:
                message = f"别名展开后超过 {MAX_NODES} 个节点"
                raise ComposerError(None, None, message, node.start_mark)
            if depth[key] > MAX_DEPTH:
                raise ComposerError(
                    None, None, f"别名展开后嵌套超过 {MAX_DEPTH} 层", node.start_mark
                )
            continue
        if key in size:
            continue
        if key in open_nodes:
            raise ComposerError(None, None, "别名引用了自身", node.start_mark)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in size)


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


class TooLarge(yaml.YAMLError):
    """YAML text longer than ``MAX_CHARS``: refused before parsing."""


def load(text: str, loader: type[LineLoader] = LineLoader) -> Any:
    """Parse YAML text into plain data with line numbers; raises ``yaml.YAMLError`` (also when
    the text or its alias expansion is beyond the limits above)."""
    if len(text) > MAX_CHARS:
        raise TooLarge(f"内容有 {len(text)} 个字符，超过上限 {MAX_CHARS}")
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

"""What a user reads when a record is missing: words for what is missing and what to do, in
their language, never the store's kind and id (``workflow.errors.NotFound``)."""

from __future__ import annotations

import ast
from pathlib import Path

import i18n
from workflow.errors import NotFound

WORKFLOW = Path(__file__).resolve().parents[2] / "workflow"


def _kinds_raised() -> set[str]:
    """The kinds ``NotFound(kind, …)`` is raised with in ``workflow/``, where the code names
    them (a string, or the module's ``KIND``)."""
    kinds = set()
    for path in WORKFLOW.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id: node.value.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
            for target in node.targets
            if isinstance(target, ast.Name) and isinstance(node.value.value, str)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "NotFound"
                and node.args
            ):
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    kinds.add(first.value)
                elif isinstance(first, ast.Name) and first.id in constants:
                    kinds.add(constants[first.id])
    return kinds


def test_every_kind_the_workflow_raises_not_found_for_is_worded() -> None:
    kinds = _kinds_raised()
    assert {"campaigns", "branches", "selections", "objections", "users"} <= kinds
    for lang in ("zh", "en"):
        catalogue = i18n.catalogue(lang)
        assert sorted(k for k in kinds if f"workflow.not_found.{k}" not in catalogue) == []


def test_the_message_names_neither_the_kind_nor_the_id_and_keeps_them_for_the_log() -> None:
    error = NotFound("selections", "3f2a9c")
    assert error.record == "selections/3f2a9c" and (error.kind, error.id) == (
        "selections",
        "3f2a9c",
    )
    for lang in ("zh", "en"):
        text = error.message(lang)
        assert "selections/" not in text and "3f2a9c" not in text
    assert str(error) == i18n.t("workflow.not_found.selections")
    other = NotFound("some_kind_no_one_words", "x1")
    assert str(other) == i18n.t("workflow.not_found.record")
    assert "some_kind" not in other.message("en") and "x1" not in other.message("en")

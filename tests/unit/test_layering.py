"""Layers: each package imports only the packages beneath it, and pages reach the store and the
rule engine only through the workflow services.

    app.py, router.py, pages/ → workflow/ → rules/, reports/, forms/, storage/ → i18n/ → core/

Within the lower layers reports read rules' result types and forms, rules read forms and the
store (``impact``), storage and i18n stand alone. Streamlit is for the screens only (app, pages,
the form renderer in forms/) and the page benchmark. A CLI that drives the workflow lives in
``workflow/`` (``python -m storage create-user`` hands its command line over to
``python -m workflow`` in a child process instead of importing it).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = (
    "app",
    "router",
    "pages",
    "workflow",
    "rules",
    "reports",
    "forms",
    "storage",
    "i18n",
    "core",
)
# Each package → the project packages (and "streamlit") its modules may import.
ALLOWED_IMPORTS: dict[str, set[str]] = {
    "core": set(),
    "i18n": {"core"},
    "storage": {"core", "i18n"},
    "forms": {"core", "i18n", "streamlit"},
    "rules": {"core", "i18n", "forms", "storage"},
    "reports": {"core", "i18n", "forms", "rules"},
    "workflow": {"core", "i18n", "forms", "rules", "reports", "storage"},
    "pages": {"core", "i18n", "forms", "rules", "storage", "workflow", "streamlit"},
    "app": {"core", "i18n", "pages", "workflow", "streamlit"},
    "router": {"core", "i18n", "pages", "workflow", "streamlit"},
    "bench": {*PROJECT, "streamlit"},  # measures every layer
    "scripts": set(),  # starts servers and installs packages; imports none of the app
}
# Pages: the composition root opens the store and turns its errors into messages; nothing else.
PAGES = [ROOT / "app.py", ROOT / "router.py", *sorted((ROOT / "pages").glob("*.py"))]
PAGES_ALLOWED = {"pages/common.py": {"storage.errors", "storage.factory"}}
RESULT_TYPES = {"rules.report"}  # rule reports are result objects pages show, not rules


def _imports(source: str) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _package(path: Path) -> str:
    relative = path.relative_to(ROOT)
    return relative.stem if len(relative.parts) == 1 else relative.parts[0]


def _violations(package: str, source: str) -> list[str]:
    """The imports of ``source`` (a module of ``package``) that reach a package it may not."""
    allowed = ALLOWED_IMPORTS[package] | {package}
    return sorted(
        module
        for module in _imports(source)
        if module.split(".")[0] in (*ALLOWED_IMPORTS, "streamlit")
        and module.split(".")[0] not in allowed
    )


def _modules() -> list[Path]:
    return sorted(
        path
        for path in ROOT.rglob("*.py")
        if path.relative_to(ROOT).parts[0] not in {"tests", "data", ".git", ".venv"}
    )


def test_every_package_has_a_row_in_the_table() -> None:
    packages = {_package(path) for path in _modules()}
    assert packages == set(ALLOWED_IMPORTS)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_each_module_imports_only_the_layers_beneath_it(path: Path) -> None:
    package = _package(path)
    reaching = _violations(package, path.read_text(encoding="utf-8"))
    assert reaching == [], f"{path.relative_to(ROOT)} ({package}) may not import {reaching}"


def test_the_check_catches_a_lower_layer_reaching_up() -> None:
    assert _violations("storage", "def f():\n    from workflow.models import User\n") == [
        "workflow.models"
    ]
    assert _violations("reports", "import streamlit as st\nfrom i18n import t\n") == ["streamlit"]
    assert _violations("workflow", "from storage.base import Repository\n") == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_import_no_storage_and_no_rule_evaluation(path: Path) -> None:
    name = path.relative_to(ROOT).as_posix()
    allowed = PAGES_ALLOWED.get(name, set()) | RESULT_TYPES
    reaching = sorted(
        module
        for module in _imports(path.read_text(encoding="utf-8"))
        if module.split(".")[0] in ("storage", "rules") and module not in allowed
    )
    assert reaching == [], f"{name} reaches past the workflow services: {reaching}"


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_never_hand_the_store_to_anything(path: Path) -> None:
    uses = re.findall(r"^.*\.repo\b.*$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert uses == [], f"{path.name} uses the store directly; call a service"


def test_the_rule_results_pages_show_hold_no_rule_evaluation() -> None:
    for module in RESULT_TYPES:
        path = ROOT / (module.replace(".", "/") + ".py")
        source = path.read_text(encoding="utf-8")
        reaching = sorted(m for m in _imports(source) if m.split(".")[0] in ("rules", "storage"))
        assert reaching == [], f"{module} is meant to hold result types only: {reaching}"

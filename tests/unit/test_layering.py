"""Pages never reach storage or rules directly (they call the services of
``workflow.services.Services``); rule reports are result objects pages may show."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
# The composition root opens the store and turns its errors into messages; nothing else.
ALLOWED = {
    "pages/common.py": {"storage.errors", "storage.factory"},
}
RESULT_TYPES = {"rules.report"}  # rule reports are result objects pages show, not rules


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_import_no_storage_and_no_rule_evaluation(path: Path) -> None:
    name = path.relative_to(ROOT).as_posix()
    allowed = ALLOWED.get(name, set()) | RESULT_TYPES
    reaching = sorted(
        module
        for module in _imports(path)
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
        reaching = sorted(m for m in _imports(path) if m.split(".")[0] in ("rules", "storage"))
        assert reaching == [], f"{module} is meant to hold result types only: {reaching}"

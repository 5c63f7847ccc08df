"""Every screen in Chinese: a ``st.multiselect`` without ``placeholder=`` shows Streamlit's
English "Choose options", so every one in the app, its pages and the form renderer names its
own (translated) placeholder."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "app.py",
    ROOT / "router.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "forms").glob("*.py")),
]


def _multiselects_without_placeholder(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "multiselect"
            and not any(k.arg == "placeholder" for k in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize(
    "path", [p for p in SOURCES if p.exists()], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_every_multiselect_names_a_translated_placeholder(path: Path) -> None:
    missing = _multiselects_without_placeholder(path)
    assert missing == [], f"{path.relative_to(ROOT)}: st.multiselect without placeholder= {missing}"


def test_the_check_finds_a_multiselect_without_placeholder(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text("import streamlit as st\nst.multiselect('a', ['x'])\n", encoding="utf-8")
    assert _multiselects_without_placeholder(page) == [2]

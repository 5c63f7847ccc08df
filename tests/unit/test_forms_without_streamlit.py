"""The parts of the form renderer that need no Streamlit import without it, so value
conversion, field hints and Markdown escaping serve non-UI code (reports, CLIs, workers)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PURE = ("forms.conversion", "forms.field_hints", "forms.markdown", "forms.notes", "forms.specs")


@pytest.mark.parametrize("module", PURE)
def test_module_imports_without_streamlit(module: str) -> None:
    probe = f"import sys, {module}; print('streamlit' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False", f"{module} pulls in Streamlit"


def test_the_probe_sees_a_streamlit_import() -> None:
    probe = "import sys, forms.widgets; print('streamlit' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True"

"""Every message key the code names is in both catalogues, so a misspelt key fails here.

The scan reads every string literal of the code that is shaped like a key of an area the
catalogues have (``pages.login.title``): ``t("…")`` and ``tr("…")`` calls, and keys handed on
(``permissions.require(…, "workflow.denied.review")``, key tables). The head of a key completed
at run time (``f"status.{code}"``) must start some key. Dotted module paths (``"forms.renderer"``)
and file names are not keys.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import i18n

ROOT = Path(__file__).resolve().parents[2]
CODE = sorted(
    p
    for p in ROOT.rglob("*.py")
    if not {".git", "data"} & set(p.relative_to(ROOT).parts) and p != Path(__file__).resolve()
)
# A key, or the head of an f-string key completed at run time (``f"status.{code}"``).
SHAPE = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)*\.?$")
FILE_SUFFIXES = {"py", "yaml", "json", "md", "pdf", "zip", "csv", "xlsx", "txt"}


def _keys() -> set[str]:
    return set(i18n.catalogue("zh")) | set(i18n.catalogue("en"))


def _is_module_path(text: str) -> bool:
    parts = text.split(".")
    return any(
        (ROOT / "/".join(parts[:n])).with_suffix(".py").is_file()
        or (ROOT / "/".join(parts[:n]) / "__init__.py").is_file()
        for n in range(2, len(parts) + 1)
    )


def _named_keys(path: Path, areas: set[str]) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if (
                "." in text
                and SHAPE.match(text)
                and text.split(".")[0] in areas
                and text.rsplit(".", 1)[1] not in FILE_SUFFIXES
                and not _is_module_path(text)
            ):
                found.add(text)
    return found


def _missing(named: set[str], catalogue: set[str]) -> list[str]:
    """The names that are neither a key nor the start of keys completed at run time
    (``"status."`` + ``code``, ``"pages.spot.by_"`` + ``code``)."""

    def completed(start: str) -> bool:
        tail = start if start.endswith(("_", ".")) else f"{start}."
        return any(key.startswith(tail) for key in catalogue)

    return sorted(k for k in named if k not in catalogue and not completed(k))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_key_the_code_names_is_in_the_catalogue(lang: i18n.Lang) -> None:
    catalogue = set(i18n.catalogue(lang))
    areas = {key.split(".")[0] for key in catalogue}
    named = set().union(*(_named_keys(path, areas) for path in CODE))
    assert len(named) > 300
    assert _missing(named, catalogue) == []


def test_a_misspelt_key_is_found() -> None:
    catalogue = _keys()
    named = {"pages.login.titel", "pages.login.title", "status.", "statsu.", "pages.spot.by_"}
    assert _missing(named, catalogue) == ["pages.login.titel", "statsu."]

"""Settings: one typed object read once; the README's configuration table matches it both ways."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import Settings, override, settings, variable, variables

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|$", re.MULTILINE)


def _readme_table() -> dict[str, tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {
        name: (default.strip(), meaning.strip()) for name, default, meaning in ROW.findall(section)
    }


def _shown_default(value: object) -> str:
    if value is None:
        return "unset"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def test_the_readme_documents_every_setting_and_nothing_else() -> None:
    assert sorted(_readme_table()) == sorted(variables())


@pytest.mark.parametrize("name", sorted(variables()))
def test_the_readme_shows_each_settings_default_and_meaning(name: str) -> None:
    default, meaning = _readme_table()[name]
    info = variables()[name]
    assert default.startswith(_shown_default(info.default)), f"{name}: README says {default}"
    assert meaning and info.description, f"{name} needs a meaning in the README and the code"


def test_variables_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VANGUARD_TZ", "Europe/Berlin")
    monkeypatch.setenv("VANGUARD_PDF_FONT", "/fonts/x.ttf")
    monkeypatch.setenv("CI", "1")
    monkeypatch.setenv("VANGUARD_DB", "")  # empty means unset, as before
    read = Settings()
    assert (read.tz, read.pdf_font, read.ci) == ("Europe/Berlin", Path("/fonts/x.ttf"), True)
    assert read.db == "tinydb:///data/vanguard.json"
    assert variable("pdf_font") == "VANGUARD_PDF_FONT" and variable("ci") == "CI"


def test_settings_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    first = settings()
    monkeypatch.setenv("VANGUARD_TZ", "Europe/Berlin")
    assert settings() is first


def test_an_override_is_validated_and_undone() -> None:
    before = settings()
    with override(tz="Europe/Berlin") as changed:
        assert settings() is changed and changed.tz == "Europe/Berlin"
        assert changed.db == before.db
    assert settings() is before
    with pytest.raises(ValidationError), override(strict_messages="perhaps"):
        pass
    assert settings() is before


def test_the_fixture_changes_settings_for_one_test(
    settings_override: Callable[..., Settings],
) -> None:
    assert settings_override(db="memory://").db == settings().db == "memory://"


def test_nothing_but_core_settings_reads_the_environment() -> None:
    # Reads only: a test harness may set variables, and ``{**os.environ, ...}`` feeds a child.
    reading = re.compile(r"os\.environ(\.get\(|\[[^\]]*\](?!\s*=))|getenv\(|in os\.environ")
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if ".git" not in path.parts
        and path != ROOT / "core" / "settings.py"
        and reading.search(path.read_text(encoding="utf-8"))
    )
    assert readers == []

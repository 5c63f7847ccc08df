"""Every form type, rule set and command-line entry point is documented where people look."""

from __future__ import annotations

from pathlib import Path

import pytest

from forms.registry import default_registry

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = [
    "python -m storage init | create-user | seed-demo | backup OUT | restore IN | copy SRC DST",
    "python -m workflow create-user | seed-demo | setup-token",
    "python -m forms list | schema TYPE | validate FILE.yaml",
    "python -m rules lint [PATH…] | test [PATH…] | check --form TYPE FILE.json [--others DIR]",
    "python -m workflow impact NEW.yaml [--db URL]",
    "python -m reports TYPE FILE.json -o OUT.pdf",
    "python -m bench [storage|rules|pages|pdf|checks|scale|concurrency]",
    "python scripts/serve_cluster.py --db postgresql://… --processes N --port 8501",
]


@pytest.mark.parametrize("form_type", sorted(default_registry().all_forms()))
def test_every_registered_form_type_is_documented(form_type: str) -> None:
    assert f"`{form_type}`" in (ROOT / "docs/forms.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("ruleset", sorted(p.stem for p in (ROOT / "rules").glob("*.yaml")))
def test_every_shipped_rule_set_is_documented(ruleset: str) -> None:
    assert f"rules/{ruleset}.yaml" in (ROOT / "docs/forms.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_line_entry_point_is_in_the_readme(command: str) -> None:
    assert command in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```bash\n")[1:3]]
    assert blocks[0].endswith("streamlit run app.py")
    assert blocks[1] in (ROOT / ".ci/run").read_text(encoding="utf-8")

"""Rule expressions cannot reach Python: no attributes, imports or files (issue 5, §1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.engine import load_ruleset
from rules.errors import RuleLoadError
from tests.unit.rules_fixtures import write_rules

ESCAPES = [
    "goals.__class__ == ''",
    "goals.__class__.__mro__.length > 0",
    "__import__('os').system('touch /tmp/pwned') == 0",
    "$__import__('os') == null",
    "open('/etc/passwd').read().length > 0",
    "$open('/etc/passwd') == null",
    "items.__len__() > 0",
    "eval('1') == 1",
    "goals.format('{0.__class__}') == ''",
]


@pytest.mark.parametrize("expression", ESCAPES)
def test_expression_cannot_reach_python_internals(tmp_path: Path, expression: str) -> None:
    path = write_rules(
        tmp_path,
        f"""
        name: custom
        form: plan
        version: 1
        rules:
          - id: escape
            expression: {json.dumps(expression)}
            message: {{zh: x, en: x}}
        """,
    )
    with pytest.raises(RuleLoadError):
        load_ruleset(path)
    assert not Path("/tmp/pwned").exists()


def test_rule_files_are_loaded_safely_without_python_tags(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        """
        name: !!python/object/apply:os.system ["touch /tmp/pwned_yaml"]
        form: plan
        version: 1
        rules: []
        """,
    )
    with pytest.raises(RuleLoadError) as info:
        load_ruleset(path)
    assert "YAML" in str(info.value)
    assert not Path("/tmp/pwned_yaml").exists()

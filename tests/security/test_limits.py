"""Limits: rule files and form definitions are YAML an admin pastes, and rule expressions run
on text a branch types. Each test replays an attack that stalled the server before the fix
(figures in docs/security.md) through the callers that ran it: ``rules lint``, ``save_draft``,
``preview_impact``, the branch's live check and the form-definition preview.

Nothing here measures time: each asserts the refusal that only the limit gives (an unbounded
engine would eventually answer "no match" or a number). Memory is measured with tracemalloc.
"""

from __future__ import annotations

import ast
import json
import textwrap
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from forms import expression_engine, yaml_lines
from forms.expressions import calculate, is_relevant
from forms.specs import FieldSpec
from rules import cli
from rules.report import RuleReport
from tests.unit.workflow_world import World, make_world
from workflow.errors import DomainError

ROOT = Path(__file__).resolve().parents[2]

# 9 aliases per level, 8 levels: 43 million strings once expanded, 551 bytes of text.
BILLION_LAUGHS = (
    "name: plan_quality\nform: plan\nversion: '1'\nsettings:\n"
    '  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"  l{i}: &l{i} [{','.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 8))
    + "rules:\n  - id: x\n    expression: goals.length > 0\n    message: {zh: x, en: x}\n"
)
# Catastrophic backtracking both in Python's re and in the regex package without a timeout.
REDOS = "goals =~ '(a|aa)+$'"
REDOS_TEXT = "a" * 40 + "!"
BIG_RANGE = "$sum([n for n in $range(30000000)]) > 0"
NESTED_LOOPS = "[[goals + goals for x in $range(1000)] for y in $range(1000)].length > 0"
HUGE_SHIFT = "(1 << 30000000) > 0"


def _ruleset(expression: str, rule_id: str = "evil") -> str:
    return textwrap.dedent(
        f"""\
        name: plan_quality
        form: plan
        version: "2099.1"
        rules:
          - id: {rule_id}
            expression: {json.dumps(expression)}
            fields: [goals]
            message: {{zh: 目标不合格, en: bad goals}}
        """
    )


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def peak_mib() -> Iterator[list[float]]:
    """Peak Python memory (MiB) allocated inside the test, filled in at teardown order."""
    tracemalloc.start()
    result: list[float] = []
    try:
        yield result
    finally:
        result.append(tracemalloc.get_traced_memory()[1] / 2**20)
        tracemalloc.stop()


def _budget_failure(report: RuleReport | None, rule_id: str = "evil") -> str:
    assert report is not None
    (result,) = [r for r in report.results if r.rule == rule_id]
    assert not result.passed and result.severity == "error"
    assert report.decision == "return"
    return result.message


# -- YAML: size, depth and alias expansion ------------------------------------------------------


def test_billion_laughs_is_refused_by_rules_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    tracemalloc.start()
    try:
        code = cli.main(["lint", str(path)])
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert code != 0
    assert f"别名展开后超过 {yaml_lines.MAX_NODES} 个节点" in capsys.readouterr().out
    assert peak < 50, f"lint of a 551-byte file peaked at {peak:.0f} MiB"


def test_billion_laughs_is_refused_by_save_draft_and_the_draft_is_kept(world: World) -> None:
    rule_sets = world.services.rule_sets
    check = rule_sets.save_draft(world.admin, "plan_quality", BILLION_LAUGHS, base_rev=0)
    assert not check.publishable
    assert any("别名展开后超过" in p.message for p in check.problems)
    assert rule_sets.draft_text(world.admin, "plan_quality") == BILLION_LAUGHS


def test_billion_laughs_is_refused_by_preview_impact(world: World) -> None:
    world.submitted_plan(0)
    with pytest.raises(DomainError, match="别名展开后超过"):
        world.services.batch_checks.preview_impact(world.admin, "plan_quality", BILLION_LAUGHS)


def test_billion_laughs_is_refused_in_a_form_definition(world: World) -> None:
    definition = (
        "form_type: laughs\ntitle: {zh: 笑, en: laughs}\nstage: implement\n"
        'x0: &x0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"x{i}: &x{i} [{','.join([f'*x{i - 1}'] * 9)}]\n" for i in range(1, 8))
        + "fields: []\n"
    )
    preview = world.services.form_definitions.preview(world.admin, definition)
    assert preview.model is None
    assert any("别名展开后超过" in m for m in preview.messages)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: " + "[" * 2000 + "]" * 2000, f"嵌套超过 {yaml_lines.MAX_DEPTH} 层"),
        ("a: &a [*a]", "别名引用了自身"),
        ("a: " + "x" * (yaml_lines.MAX_CHARS + 1), f"超过上限 {yaml_lines.MAX_CHARS}"),
    ],
    ids=["2000-deep", "self-alias", "too-long"],
)
def test_deep_self_referring_or_huge_yaml_is_a_located_problem(
    world: World, text: str, problem: str
) -> None:
    check = world.services.rule_sets.save_draft(world.admin, "plan_quality", text, base_rev=0)
    assert [p.message for p in check.problems if problem in p.message], check.problems


def test_yaml_within_the_limits_still_shares_anchors(world: World) -> None:
    text = (
        "name: plan_quality\nform: plan\nversion: '1'\nsettings:\n"
        "  words: &w [甲, 乙]\n  again: *w\n"
        "rules:\n  - id: x\n    expression: goals.length > 0\n    message: {zh: x, en: x}\n"
    )
    saved = world.services.rule_sets.save_draft(world.admin, "plan_quality", text, base_rev=0)
    assert saved.problems == []


# -- rule evaluation: regex, ranges, loops, shifts ----------------------------------------------


def _publish(world: World, expression: str) -> None:
    rule_sets = world.services.rule_sets
    base = rule_sets.draft_rev("plan_quality")
    check = rule_sets.save_draft(world.admin, "plan_quality", _ruleset(expression), base_rev=base)
    assert check.problems == []
    rule_sets.publish(world.admin, "plan_quality", base_rev=check.rev)


def _live_check(world: World, goals: str) -> RuleReport | None:
    data = {**world.good_plan(0), "goals": goals}
    return world.services.submissions.preview_report(
        world.staff[0], None, "plan", data, world.campaign.id
    )


@pytest.mark.parametrize(
    ("expression", "goals", "limit"),
    [
        (REDOS, REDOS_TEXT, "正则表达式匹配用时超过"),
        (BIG_RANGE, "目标" * 30, "$range 要生成 30000000 个数"),
        (NESTED_LOOPS, "目标" * 500, f"计算量超过 {expression_engine.MAX_STEPS} 步"),
    ],
    ids=["redos", "range", "nested-loops"],
)
def test_a_rule_over_budget_is_an_error_naming_it_in_the_branch_live_check(
    world: World, peak_mib: list[float], expression: str, goals: str, limit: str
) -> None:
    _publish(world, expression)
    message = _budget_failure(_live_check(world, goals))
    assert message.startswith("规则“evil”无法计算：") and limit in message
    assert "超出计算限制" in message


def test_range_attack_stays_within_memory(world: World) -> None:
    _publish(world, BIG_RANGE)
    tracemalloc.start()
    try:
        _budget_failure(_live_check(world, "目标" * 30))
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert peak < 100, f"$range(30000000) peaked at {peak:.0f} MiB (2.9 GB before the limit)"


def test_a_rule_over_budget_is_reported_by_preview_impact(world: World) -> None:
    sub = world.submitted_plan(0)
    stored = world.repo.get("submissions", sub.id)
    assert stored is not None
    stored["data"] = {**stored["data"], "goals": REDOS_TEXT}
    world.repo.update("submissions", stored, actor="test", expected_rev=stored["rev"])
    checked, rows = world.services.batch_checks.preview_impact(
        world.admin, "plan_quality", _ruleset(REDOS)
    )
    assert checked == 1
    (row,) = rows
    assert row.after.failing == ("evil",) and row.after.decision == "return"


def test_rule_file_tests_see_the_budget_error_in_save_draft(world: World) -> None:
    text = _ruleset(REDOS) + textwrap.dedent(
        f"""\
        tests:
          - name: 回溯
            raw: true
            given: {{goals: {REDOS_TEXT}}}
            expect: {{passed: false, messages: {{evil: 正则表达式匹配用时超过}}}}
        """
    )
    check = world.services.rule_sets.save_draft(world.admin, "plan_quality", text, base_rev=0)
    (outcome,) = check.tests
    assert outcome.ok, outcome.differences


@pytest.mark.parametrize(
    "expression",
    ["'" + REDOS_TEXT + "' =~ '(a|aa)+$'", HUGE_SHIFT],
    ids=["constant-redos", "constant-shift"],
)
def test_constant_expressions_computed_while_linting_are_bounded(
    world: World, expression: str
) -> None:
    check = world.services.rule_sets.save_draft(
        world.admin, "plan_quality", _ruleset(expression), base_rev=0
    )
    assert [p.message for p in check.problems if "表达式超出计算限制" in p.message]


def test_form_expression_over_budget_keeps_the_field_and_computes_nothing() -> None:
    spec = FieldSpec("total", "int", "合计", "total", calculate="$sum($range(30000000))")
    shown = FieldSpec("note", "text", "备注", "note", relevant="note =~ '(a|aa)+$'")
    assert calculate(spec, {}) is None
    assert is_relevant(shown, {"note": REDOS_TEXT}) is True


def test_rules_within_budget_give_the_same_answers(world: World) -> None:
    _publish(world, "goals =~ '^(以|为).*' and $sum([n for n in $range(100)]) == 4950")
    report = _live_check(world, "以服务师生为中心" * 10)
    assert report is not None
    (result,) = [r for r in report.results if r.rule == "evil"]
    assert result.passed


def _rule_engine_rule_calls(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (
                isinstance(owner, ast.Name)
                and owner.id == "rule_engine"
                and node.func.attr in ("Rule", "Context")
            ):
                lines.append(node.lineno)
    return lines


def test_every_expression_is_compiled_through_the_bounded_engine() -> None:
    sources = [
        p
        for folder in ("forms", "rules", "workflow", "reports", "pages")
        for p in (ROOT / folder).rglob("*.py")
        if p.name != "expression_engine.py"
    ]
    unbounded = {
        str(p.relative_to(ROOT)): lines for p in sources if (lines := _rule_engine_rule_calls(p))
    }
    assert unbounded == {}, "compile with forms.expression_engine.Rule / BoundedContext"

"""``python -m rules`` lint, test, check and diff with their exit codes (issue 5, §7)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules.cli import main
from rules.engine import RULES_DIR
from tests.unit.rules_fixtures import GOOD_PLAN, write_rules


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_lint_passes_shipped_rule_sets_and_fails_a_broken_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "lint")[0] == 0
    broken = write_rules(
        tmp_path,
        """
        name: custom
        form: plan
        version: 1
        rules:
          - {id: a, expression: gaols.length > 1, message: {zh: a, en: a}}
        """,
    )
    code, out, _ = run(capsys, "lint", str(broken))
    assert code == 1 and f"{broken}:5: 表单没有字段 “gaols”" in out


def test_test_command_runs_rule_file_tests(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "test", "study_session")
    assert code == 0 and "4 个测试，0 个失败" in out
    wrong = (
        (RULES_DIR / "study_session.yaml")
        .read_text(encoding="utf-8")
        .replace("expect: {passed: true, failing: []}", "expect: {passed: false}", 1)
    )
    code, out, _ = run(capsys, "test", str(write_rules(tmp_path, wrong)))
    assert code == 1 and "失败  study_session :: 完整的学习记录" in out


def test_check_prints_the_json_report_and_exits_by_outcome(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD_PLAN, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--form", "plan", str(good))
    report = json.loads(out)
    assert code == 0 and report["passed"] is True and report["decision"] == "pass"
    for key in ("ruleset", "version", "hash", "form", "score", "grade", "results"):
        assert key in report
    assert {"rule", "severity", "passed", "fields", "message", "points"} <= set(
        report["results"][0]
    )
    poor = tmp_path / "poor.json"
    poor.write_text(json.dumps({**GOOD_PLAN, "goals": "短"}, ensure_ascii=False), "utf-8")
    code, out, _ = run(capsys, "check", "--form", "plan", str(poor))
    assert code == 1 and json.loads(out)["decision"] == "return"


def test_check_compares_with_documents_in_others_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "others").mkdir()
    (tmp_path / "others" / "b2.json").write_text(
        json.dumps({**GOOD_PLAN, "branch": "机关第二党支部", "title": "二支部方案"}), "utf-8"
    )
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(GOOD_PLAN), encoding="utf-8")
    code, out, _ = run(
        capsys, "check", "--form", "plan", str(mine), "--others", str(tmp_path / "others")
    )
    messages = [r["message"] for r in json.loads(out)["results"] if not r["passed"]]
    assert code == 1 and any("《二支部方案》" in m for m in messages)


def test_check_bad_input_exits_2_with_chinese_field_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps({**GOOD_PLAN, "branch": "", "items": [{"deadline": "明天"}]}), encoding="utf-8"
    )
    code, _, err = run(capsys, "check", "--form", "plan", str(bad))
    assert code == 2
    assert "「支部」必须填写" in err
    assert "「主要内容」第 1 项的「完成时限」" in err and "“明天”不是能看懂的时限" in err
    assert run(capsys, "check", "--form", "nope", str(bad))[0] == 2
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    assert run(capsys, "check", "--form", "plan", str(tmp_path / "junk.json"))[0] == 2


def test_diff_lists_changed_added_and_removed_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (RULES_DIR / "plan_quality.yaml").read_text(encoding="utf-8")
    changed = text.replace("min_goals: 50", "min_goals: 80").replace(
        "activity_forms_varied", "activity_forms_many"
    )
    new = write_rules(tmp_path, changed, "new.yaml")
    code, out, _ = run(capsys, "diff", str(RULES_DIR / "plan_quality.yaml"), str(new))
    assert code == 0
    assert "+ 新增规则 activity_forms_many" in out and "- 删除规则 activity_forms_varied" in out
    assert "设置 min_goals：50 → 80" in out


def test_impact_points_to_the_workflow_command_that_reads_the_store(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, "impact", "plan_quality")
    assert code == 2 and "python -m workflow impact plan_quality" in err

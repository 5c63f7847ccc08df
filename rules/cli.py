"""``python -m rules``: lint, test, check, diff and calibrate rule files (docs/rules.md).

The impact preview over a store's submissions runs the workflow's checks, so it lives with
them: ``python -m workflow impact NEW.yaml``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pydantic

from forms.explain import explain
from forms.registry import UnknownFormType, default_registry
from rules import engine
from rules.diff import diff_rulesets
from rules.errors import RuleLoadError, RulesError
from rules.file_tests import run_tests
from rules.similarity import Comparable

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _paths(paths: Sequence[str]) -> list[Path]:
    if not paths:
        return engine.shipped_rulesets()
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        out.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [engine.resolve_path(p)])
    return out


def cmd_lint(args: argparse.Namespace) -> int:
    """Load and type-check rule files; print ``file:line: message`` for each problem."""
    problems = 0
    for path in _paths(args.paths):
        try:
            engine.load_ruleset(path)
        except RuleLoadError as exc:
            for problem in exc.problems:
                print(problem)
            problems += len(exc.problems)
    print(f"检查了规则文件，发现 {problems} 个问题" if problems else "规则文件全部通过检查")
    return EXIT_FAILED if problems else EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    """Run the tests inside rule files."""
    failed = total = 0
    for path in _paths(args.paths):
        try:
            ruleset = engine.load_ruleset(path)
        except RuleLoadError as exc:
            print(exc)
            failed += 1
            continue
        for outcome in run_tests(ruleset):
            total += 1
            if outcome.ok:
                print(f"通过  {ruleset.name} :: {outcome.name}")
            else:
                failed += 1
                print(f"失败  {ruleset.name} :: {outcome.name}")
                for difference in outcome.differences:
                    print(f"      {difference}")
    print(f"{total} 个测试，{failed} 个失败")
    return EXIT_FAILED if failed else EXIT_OK


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _others(directory: str | None) -> list[Comparable]:
    if not directory:
        return []
    out = []
    for path in sorted(Path(directory).glob("*.json")):
        doc = _read_json(path)
        if isinstance(doc, dict) and isinstance(doc.get("data"), dict):
            data = doc["data"]
            out.append(
                Comparable(str(doc.get("name") or path.stem), str(doc.get("branch", "")), data)
            )
        elif isinstance(doc, dict):
            name = str(doc.get("title") or doc.get("theme") or path.stem)
            out.append(Comparable(name, str(doc.get("branch", "")), doc))
    return out


def cmd_check(args: argparse.Namespace) -> int:
    """Check one submission's data; print the JSON report."""
    try:
        model = default_registry().get(args.form)
        raw = _read_json(Path(args.file))
        others = _others(args.others)
    except UnknownFormType as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as exc:
        print(f"无法读取数据文件：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        data = model.model_validate(raw).model_dump(mode="json")
    except pydantic.ValidationError as exc:
        print(f"数据不符合“{model.title_in('zh')}”表单，请修改：", file=sys.stderr)
        for line in explain(exc, model).values():
            print(f"  {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = engine.check(args.form, data, others=others)
    if report is None:
        print(f"“{model.title_in('zh')}”没有规则集，无需检查", file=sys.stderr)
        return EXIT_OK
    print(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2))
    return EXIT_OK if report.passed else EXIT_FAILED


def cmd_diff(args: argparse.Namespace) -> int:
    """List rules added, removed and changed between two rule files."""
    diff = diff_rulesets(engine.load_ruleset(args.old), engine.load_ruleset(args.new))
    for line in diff.lines():
        print(line)
    return EXIT_OK


def cmd_impact(args: argparse.Namespace) -> int:
    """Point to where the impact preview lives (it reads the store through the workflow)."""
    print(
        f"影响预览需要读取存储中的表单，请运行：python -m workflow impact {args.new}",
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Check the judged corpus; print each case, decision, judgement and the agreement rate.
    Fails when the agreement is below the figure recorded with the corpus."""
    from rules import calibration

    folder = Path(args.folder) if args.folder else calibration.CORPUS_DIR
    verdicts = calibration.calibrate(calibration.load_cases(folder))
    for line in calibration.lines(verdicts):
        print(line)
    minimum = calibration.recorded_minimum(folder)
    if minimum is not None and calibration.agreement(verdicts) < minimum:
        print(f"一致率低于记录的 {minimum:.1%}")
        return EXIT_FAILED
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rules", description="规则集工具")
    sub = parser.add_subparsers(dest="command", required=True)
    lint = sub.add_parser("lint", help="检查规则文件的格式、字段和表达式")
    lint.add_argument("paths", nargs="*")
    lint.set_defaults(run=cmd_lint)
    test = sub.add_parser("test", help="运行规则文件中的测试")
    test.add_argument("paths", nargs="*")
    test.set_defaults(run=cmd_test)
    check = sub.add_parser("check", help="检查一份表单数据，输出 JSON 报告")
    check.add_argument("--form", required=True)
    check.add_argument("file")
    check.add_argument("--others", help="其他支部文档所在目录（*.json），用于雷同检查")
    check.set_defaults(run=cmd_check)
    diff = sub.add_parser("diff", help="列出两个版本之间改动的规则")
    diff.add_argument("old")
    diff.add_argument("new")
    diff.set_defaults(run=cmd_diff)
    imp = sub.add_parser("impact", help="已移到 python -m workflow impact")
    imp.add_argument("new")
    imp.add_argument("--db", default=None, help="存储地址，默认取 VANGUARD_DB")
    imp.set_defaults(run=cmd_impact)
    cal = sub.add_parser("calibrate", help="用人工判断过的真实材料检验规则，输出一致率")
    cal.add_argument("folder", nargs="?", help="语料目录，默认 tests/corpus")
    cal.set_defaults(run=cmd_calibrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except RuleLoadError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED if args.command == "lint" else EXIT_BAD_INPUT
    except RulesError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT

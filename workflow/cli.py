"""``python -m workflow``: commands that run the workflow services over a store.

``impact NEW.yaml [--db URL]`` lists the stored submissions whose outcome would change if the
rule file replaced the rule set in force (the admin screen's impact preview, for a terminal):
exit 0, or 2 with a Chinese message when the file does not load.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rules import engine
from rules.errors import RulesError
from storage.errors import StorageError
from storage.factory import open_repository
from workflow.check_runs import CheckRun
from workflow.impact import impact
from workflow.models import Submission
from workflow.services import build_services

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def cmd_impact(args: argparse.Namespace) -> int:
    """Re-run a rule file on the store's submitted forms; list the outcomes that change."""
    candidate = engine.load_ruleset(args.new)
    repo = open_repository(args.db)
    try:
        services = build_services(repo)
        found = repo.find("submissions", {"form_type": candidate.form})
        submissions = [Submission.model_validate(d) for d in found]
        run = CheckRun(services.submissions, services.batch_checks.cache)
        checked, rows = impact(run, submissions, candidate.name, candidate.text, candidate.path)
    finally:
        repo.close()
    for row in rows:
        print(row.line())
    print(f"重新检查了 {checked} 份“{candidate.form}”，{len(rows)} 份结果会改变")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The command line (``python -m workflow --help``)."""
    parser = argparse.ArgumentParser(prog="python -m workflow", description="先锋工程业务命令")
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("impact", help="用新规则重新检查已提交的表单，列出结果会变的")
    imp.add_argument("new", help="规则文件（名称或路径）")
    imp.add_argument("--db", default=None, help="存储地址，默认取 VANGUARD_DB")
    imp.set_defaults(run=cmd_impact)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except RulesError as exc:
        print(exc, file=sys.stderr)
        return EXIT_BAD_INPUT
    except StorageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED

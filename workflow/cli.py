"""``python -m workflow``: commands that run the workflow services over a store.

- ``impact NEW.yaml`` lists the stored submissions whose outcome would change if the rule file
  replaced the rule set in force (the admin screen's impact preview, for a terminal);
- ``create-user`` and ``seed-demo`` make an account or the demo campaign (argon2 accounts, demo
  forms checked by the real rules); ``setup-token`` shows the one-time token the app's first-run
  screen asks for (docs/security.md);
- ``archive-campaign CAMPAIGN --by ADMIN`` archives a past campaign (its records become
  read-only and leave the app's memory, docs/storage.md), ``unarchive-campaign`` reopens one.

``python -m storage create-user | seed-demo | setup-token``
  hands its command line over to these unchanged, so the storage package imports nothing of the
  workflow.

Every command takes ``--db URL`` (default: the setting ``VANGUARD_DB``); exit 0 done, 2 bad input
with a Chinese message (a rule file that does not load, a wrong account field), 1 the store
failed, as ``python -m storage`` (whose ``run`` this shares).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence

from core.settings import settings
from rules import engine
from rules.errors import RulesError
from storage.base import Repository
from storage.cli import BadInput, commands, run
from storage.factory import open_repository
from workflow import setup
from workflow.campaigns import CampaignService
from workflow.check_runs import CheckRun
from workflow.errors import DomainError
from workflow.impact import affected, impact
from workflow.models import Role, User
from workflow.services import build_services


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    return run(build_parser(), sys.argv[1:] if argv is None else argv, bad_input=(RulesError,))


def build_parser() -> argparse.ArgumentParser:
    """The command line (``python -m workflow --help``)."""
    parser, add = commands("python -m workflow", "先锋工程业务命令")
    imp = add("impact", "用新规则重新检查已提交的表单，列出结果会变的", cmd_impact)
    imp.add_argument("new", help="规则文件（名称或路径）")
    user = add("create-user", "创建用户账号", _create_user)
    user.add_argument("--login", required=True, help="登录名(字母、数字、下划线)")
    user.add_argument("--name", required=True, help="显示名称,如 张三")
    user.add_argument("--role", required=True, help="角色:branch / reviewer / admin / reader")
    user.add_argument("--branch", default=None, help="所属支部编号(支部用户必填)")
    user.add_argument(
        "--password", default=None, help="密码(不填则读取 VANGUARD_PASSWORD 或在终端输入)"
    )
    add("seed-demo", "写入演示数据并列出演示账号和密码", _seed_demo)
    add("setup-token", "显示网页首次设置所需的一次性设置口令(已有管理员时说明已关闭)", _setup_token)
    for name, help, step in (
        ("archive-campaign", "归档一期已结束的先锋工程:记录只读,不再常驻内存", _archive),
        ("unarchive-campaign", "恢复一期已归档的先锋工程,使其记录可以修改", _unarchive),
    ):
        cmd = add(name, help, step)
        cmd.add_argument("campaign", help="活动编号或年度,如 2016")
        cmd.add_argument("--by", required=True, help="执行此操作的管理员登录名")
    return parser


def cmd_impact(args: argparse.Namespace) -> int:
    """Re-run a rule file on the store's submitted forms; list the outcomes that change."""
    repo = open_repository(args.db)
    try:
        services = build_services(repo)
        candidate = engine.load_ruleset(args.new, forms=services.forms)  # its store's forms too
        run = CheckRun(services.submissions, services.batch_checks.cache)
        submitted = affected(run, candidate.form, candidate.name)  # never a draft
        checked, rows = impact(run, submitted, candidate.name, candidate.text, candidate.path)
    finally:
        repo.close()
    for row in rows:
        print(row.line())
    print(f"重新检查了 {checked} 份“{candidate.form}”，{len(rows)} 份结果会改变")
    return 0


def _with_store(
    args: argparse.Namespace, action: Callable[..., object], **kwargs: object
) -> object:
    repo = open_repository(args.db)
    try:
        return action(repo, **kwargs)
    # pydantic's ValidationError is a ValueError
    except (ValueError, TypeError, DomainError) as exc:
        raise BadInput(str(exc)) from exc
    finally:
        repo.close()


def _create_user(args: argparse.Namespace) -> int:
    configured = settings().password
    password = args.password or (configured.get_secret_value() if configured else None)
    if not password:
        if not sys.stdin.isatty():
            raise BadInput("请用 --password 或环境变量 VANGUARD_PASSWORD 提供密码")
        password = getpass.getpass("密码:")
    user = _with_store(
        args,
        setup.create_user,
        login=args.login,
        display_name=args.name,
        role=args.role,
        password=password,
        branch_id=args.branch,
        actor="cli",
    )
    print(f"已创建用户 {getattr(user, 'login', args.login)}({args.name},角色 {args.role})")
    return 0


def _seed_demo(args: argparse.Namespace) -> int:
    accounts = _with_store(args, setup.seed_demo)
    print("演示数据已写入。演示账号:")
    branch_of = setup.demo_branches()
    for login, password in dict(accounts).items():  # type: ignore[call-overload]
        branch = branch_of.get(login)
        print(f"  {login}  密码 {password}" + (f"  ({branch})" if branch else ""))
    return 0


def _setup_token(args: argparse.Namespace) -> int:
    token = _with_store(args, setup.setup_token)
    if token is None:
        print("这个存储已经有过管理员,网页首次设置已永久关闭;")
        print("如需新的管理员,请运行 python -m workflow create-user --role admin")
        return 0
    print(f"设置口令:{token}")
    print(f"在首次设置页面填写它,或打开 http://<服务器地址>:8501/?token={token}")
    return 0


def _archive(args: argparse.Namespace) -> int:
    moved = _with_store(args, _campaign_step, campaign=args.campaign, by=args.by, reopen=False)
    print(f"已归档 {args.campaign}:{moved} 条记录移入归档文件,只读;历史记录完整保留")
    return 0


def _unarchive(args: argparse.Namespace) -> int:
    back = _with_store(args, _campaign_step, campaign=args.campaign, by=args.by, reopen=True)
    print(f"已恢复 {args.campaign}:{back} 条记录可以再次修改")
    return 0


def _campaign_step(repo: Repository, *, campaign: str, by: str, reopen: bool) -> int:
    """Archive or reopen ``campaign`` (an id or a year) as the administrator ``by``."""
    found = [User.model_validate(d) for d in repo.find("users", {"login": by})]
    if not found or found[0].role != Role.ADMIN or not found[0].active:
        raise BadInput(f"--by {by}:不是有效的管理员账号,请填写一个管理员的登录名")
    service = CampaignService(repo)
    chosen = [c for c in service.list() if campaign in (c.id, str(c.year))]
    if not chosen:
        known = "、".join(f"{c.year}({c.id})" for c in service.list()) or "无"
        raise BadInput(f"找不到先锋工程 {campaign}。已有的:{known}")
    step = service.unarchive if reopen else service.archive
    return step(found[0], chosen[0].id)

"""``python -m storage``: administration without the browser.

Every command takes ``--db URL`` (default ``VANGUARD_DB`` or ``tinydb:///data/vanguard.json``),
exits 0 on success, 2 with a Chinese message on bad input and 1 when the store itself fails.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from core.settings import settings
from storage.errors import BadStorageURL, StorageError, StoreDamaged, StoreNotEmpty
from storage.factory import open_repository, storage_url
from storage.postgres import redact
from storage.transfer import BadBackup, backup, copy_store, restore_backup

BAD_INPUT, FAILED = 2, 1


class BadInput(Exception):
    """Wrong arguments or data: exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (BadInput, BadStorageURL, BadBackup, StoreNotEmpty) as exc:
        print(f"错误:{exc}", file=sys.stderr)
        return BAD_INPUT
    except StoreDamaged as exc:
        print(f"存储已损坏:{exc}", file=sys.stderr)
        return FAILED
    except StorageError as exc:
        print(f"错误:{exc}", file=sys.stderr)
        return FAILED
    except Exception as exc:  # a person at a terminal gets a sentence, not a traceback
        print(f"操作没有完成({type(exc).__name__}):{exc}", file=sys.stderr)
        return FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m storage", description="先锋工程存储管理")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db", default=None, help="存储地址(默认取 VANGUARD_DB,或 tinydb:///data/vanguard.json)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def add(
        name: str, help: str, run: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, parents=[common], help=help, description=help)
        cmd.set_defaults(run=run)
        return cmd

    add("init", "初始化存储(建立必需的基础数据)", _init)
    user = add("create-user", "创建用户账号", _create_user)
    user.add_argument("--login", required=True, help="登录名(字母、数字、下划线)")
    user.add_argument("--name", required=True, help="显示名称,如 张三")
    user.add_argument("--role", required=True, help="角色:branch / reviewer / admin / reader")
    user.add_argument("--branch", default=None, help="所属支部编号(支部用户必填)")
    user.add_argument(
        "--password", default=None, help="密码(不填则读取 VANGUARD_PASSWORD 或在终端输入)"
    )
    add("seed-demo", "写入演示数据并列出演示账号和密码", _seed_demo)
    out = add("backup", "把存储备份到一个 zip 文件(含附件和校验清单)", _backup)
    out.add_argument("out", type=Path, help="备份文件路径,如 backup-2025.zip")
    into = add("restore", "从备份文件恢复到空的存储", _restore)
    into.add_argument("archive", type=Path, help="备份文件路径")
    copy = add("copy", "把一个存储完整复制到另一个空的存储并校验", _copy)
    copy.add_argument("src", help="源存储地址,如 tinydb:///data/vanguard.json")
    copy.add_argument("dst", help="目标存储地址,如 postgresql://user:pass@host/db")
    return parser


def _run_setup(args: argparse.Namespace, name: str, **kwargs: object) -> object:
    import workflow.setup as setup
    from workflow.errors import DomainError

    function: Callable[..., object] = getattr(setup, name)
    repo = open_repository(args.db)
    try:
        return function(repo, **kwargs)
    # pydantic's ValidationError is a ValueError
    except (ValueError, TypeError, DomainError) as exc:
        raise BadInput(str(exc)) from exc
    finally:
        repo.close()


def _init(args: argparse.Namespace) -> int:
    _run_setup(args, "init_store")
    print(f"存储已初始化:{redact(args.db or storage_url())}")
    return 0


def _create_user(args: argparse.Namespace) -> int:
    configured = settings().password
    password = args.password or (configured.get_secret_value() if configured else None)
    if not password:
        if not sys.stdin.isatty():
            raise BadInput("请用 --password 或环境变量 VANGUARD_PASSWORD 提供密码")
        password = getpass.getpass("密码:")
    user = _run_setup(
        args,
        "create_user",
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
    accounts = _run_setup(args, "seed_demo")
    print("演示数据已写入。演示账号:")
    for login, password in dict(accounts).items():  # type: ignore[call-overload]
        print(f"  {login}  密码 {password}")
    return 0


def _backup(args: argparse.Namespace) -> int:
    repo = open_repository(args.db)
    try:
        manifest = backup(repo, args.out)
    finally:
        repo.close()
    print(f"已备份到 {args.out}")
    for kind, n in sorted(manifest["counts"].items()):
        print(f"  {kind}: {n} 条")
    print(f"  修改记录: {manifest['events']} 条  sha256 {manifest['events_sha256']}")
    print(f"  附件: {len(manifest['blobs'])} 个")
    print(f"  数据校验值 sha256: {manifest['state_sha256']}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    repo = open_repository(args.db)
    try:
        _, loaded = restore_backup(repo, args.archive)
    finally:
        repo.close()
    print(f"已从 {args.archive} 恢复,校验一致:")
    print("\n".join(loaded.lines()))
    return 0


def _copy(args: argparse.Namespace) -> int:
    if args.src == args.dst:
        raise BadInput("源存储和目标存储不能相同")
    src = open_repository(args.src)
    try:
        dst = open_repository(args.dst)
        try:
            expected, copied = copy_store(src, dst)
        finally:
            dst.close()
    finally:
        src.close()
    print(f"源 {redact(args.src)}:")
    print("\n".join(expected.lines()))
    print(f"目标 {redact(args.dst)}:")
    print("\n".join(copied.lines()))
    print("复制完成,记录数和校验值一致。")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m storage``: administration of the store without the browser.

Every command takes ``--db URL`` (default: the setting ``VANGUARD_DB``), exits 0 on success, 2
with a Chinese message on bad input and 1 when the store itself fails.

``init``, ``backup``, ``restore`` and ``copy`` are the store's own. ``create-user``,
``seed-demo`` and ``setup-token`` make accounts, a demo campaign and the first-run token, which is
the workflow's business: they live in
``python -m workflow`` (``workflow/cli.py``), and this command hands their command line over
unchanged to that one (in a child process, so the storage layer never imports the workflow).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from core.errors import BadInput
from storage.errors import BadStorageURL, StorageError, StoreDamaged, StoreNotEmpty
from storage.factory import open_repository, storage_url
from storage.meta import init_store
from storage.postgres import redact
from storage.transfer import BadBackup, backup, copy_store, restore_backup

BAD_INPUT, FAILED = 2, 1
# Commands of the layer above, reached by their own ``python -m PACKAGE``.
FORWARDED = {
    "create-user": ("workflow", "创建用户账号"),
    "seed-demo": ("workflow", "写入演示数据并列出演示账号和密码"),
    "setup-token": ("workflow", "显示网页首次设置所需的一次性设置口令"),
}
Run = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in FORWARDED:
        return forward(FORWARDED[args[0]][0], args)
    return run(_parser(), args)


def run(
    parser: argparse.ArgumentParser,
    argv: Sequence[str],
    bad_input: tuple[type[Exception], ...] = (),
) -> int:
    """Parse ``argv`` and run its command, turning errors into exit statuses and sentences;
    ``bad_input`` names the caller's own exceptions that mean exit 2."""
    args = parser.parse_args(argv)
    refused: tuple[type[Exception], ...] = (BadInput, BadStorageURL, BadBackup, StoreNotEmpty)
    try:
        return int(args.run(args))
    except refused + bad_input as exc:
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


def forward(package: str, argv: Sequence[str]) -> int:
    """``python -m PACKAGE ARGV`` with this process's import path; its exit status."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p or os.getcwd() for p in sys.path)}
    return subprocess.run([sys.executable, "-m", package, *argv], env=env, check=False).returncode


def commands(
    prog: str, description: str
) -> tuple[argparse.ArgumentParser, Callable[[str, str, Run | None], argparse.ArgumentParser]]:
    """A parser and its ``add(name, help, run)``; every command gets ``--db URL``."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=None, help="存储地址(默认取 VANGUARD_DB)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    def add(name: str, help: str, run: Run | None) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, parents=[common], help=help, description=help)
        cmd.set_defaults(run=run)
        return cmd

    return parser, add


def _parser() -> argparse.ArgumentParser:
    parser, add = commands("python -m storage", "先锋工程存储管理")
    add("init", "初始化存储(建立必需的基础数据)", _init)
    for name, (package, help) in FORWARDED.items():
        add(name, f"{help}(即 python -m {package} {name})", None)  # main() hands these over
    out = add("backup", "把存储备份到一个 zip 文件(含附件和校验清单)", _backup)
    out.add_argument("out", type=Path, help="备份文件路径,如 backup-2025.zip")
    into = add("restore", "从备份文件恢复到空的存储", _restore)
    into.add_argument("archive", type=Path, help="备份文件路径")
    copy = add("copy", "把一个存储完整复制到另一个空的存储并校验", _copy)
    copy.add_argument("src", help="源存储地址,如 tinydb:///data/vanguard.json")
    copy.add_argument("dst", help="目标存储地址,如 postgresql://user:pass@host/db")
    return parser


def _init(args: argparse.Namespace) -> int:
    repo = open_repository(args.db)
    try:
        init_store(repo)
    finally:
        repo.close()
    print(f"存储已初始化:{redact(args.db or storage_url())}")
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

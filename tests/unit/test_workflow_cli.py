"""``python -m workflow create-user | seed-demo``, also reached as ``python -m storage …``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from storage.factory import open_repository
from workflow.cli import main

ROOT = Path(__file__).resolve().parents[2]
USER = ["--login", "li.si", "--name", "李四", "--role", "reviewer", "--password", "pass-word-1"]


def test_create_user_stores_a_hashed_account(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"tinydb:///{tmp_path / 'v.json'}"
    assert main(["create-user", "--db", db, *USER]) == 0
    assert "已创建用户 li.si" in capsys.readouterr().out
    repo = open_repository(db)
    try:
        [user] = repo.find("users", {"login": "li.si"})
        assert user["display_name"] == "李四" and "pass-word-1" not in str(user)
    finally:
        repo.close()
    assert main(["create-user", "--db", db, *USER]) == 2  # the login is taken
    assert "li.si" in capsys.readouterr().err


def test_the_password_comes_from_the_setting_when_not_given(
    tmp_path: Path, settings_override: object, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"tinydb:///{tmp_path / 'v.json'}"
    without = USER[:-2]
    assert main(["create-user", "--db", db, *without]) == 2  # no terminal to ask at
    assert "VANGUARD_PASSWORD" in capsys.readouterr().err
    settings_override(password="from-the-env-1")  # type: ignore[operator]
    assert main(["create-user", "--db", db, *without]) == 0


def test_seed_demo_lists_the_demo_accounts_and_refuses_a_second_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"tinydb:///{tmp_path / 'v.json'}"
    assert main(["seed-demo", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "admin  密码" in out and "branch6  密码" in out
    assert main(["seed-demo", "--db", db]) == 2


@pytest.mark.parametrize("package", ["storage", "workflow"])
def test_both_command_lines_run_the_same_command(package: str, tmp_path: Path) -> None:
    db = f"tinydb:///{tmp_path / 'v.json'}"
    done = subprocess.run(
        [sys.executable, "-m", package, "create-user", "--db", db, *USER],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "已创建用户 li.si" in done.stdout
    bad = [sys.executable, "-m", package, "create-user", "--db", db, "--login", "x"]
    refused = subprocess.run(bad, capture_output=True, text=True, check=False, cwd=ROOT)
    assert refused.returncode == 2 and "--name" in refused.stderr

"""``python -m storage``: backup, restore and copy verified by counts and hashes (issue 6.7)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from storage.__main__ import main
from storage.factory import open_repository


def _fill(url: str) -> tuple[str, str]:
    repo = open_repository(url)
    doc = repo.insert("submissions", {"title": "实施方案", "status": "draft"}, actor="zhang")
    repo.update("submissions", {**doc, "status": "submitted"}, actor="zhang", expected_rev=1)
    repo.insert("branches", {"name": "数学系党支部"}, actor="admin")
    key = repo.put_blob("签到表照片".encode() * 100)
    repo.close()
    return doc["id"], key


def test_backup_then_restore_brings_back_documents_history_and_blobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = f"tinydb:///{tmp_path / 'a' / 'v.json'}"
    doc_id, key = _fill(src)
    archive = tmp_path / "backup.zip"
    assert main(["backup", str(archive), "--db", src]) == 0
    backed_up = capsys.readouterr().out
    assert "submissions: 1 条" in backed_up and "修改记录: 3 条" in backed_up

    dst = f"tinydb:///{tmp_path / 'b' / 'v.json'}"
    assert main(["restore", str(archive), "--db", dst]) == 0
    restored = capsys.readouterr().out
    digest = [line for line in backed_up.splitlines() if "数据校验值" in line]
    assert digest and digest[0].strip() in restored
    repo = open_repository(dst)
    try:
        assert repo.get("submissions", doc_id)["status"] == "submitted"  # type: ignore[index]
        assert [h["rev"] for h in repo.history("submissions", doc_id)] == [1, 2]
        assert repo.get_blob(key) == "签到表照片".encode() * 100
    finally:
        repo.close()

    # Restoring over data would mix two stores: refused with exit 2, nothing written.
    assert main(["restore", str(archive), "--db", dst]) == 2
    assert "不是空的" in capsys.readouterr().err


def test_a_tampered_backup_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = f"tinydb:///{tmp_path / 'a' / 'v.json'}"
    _, key = _fill(src)
    archive = tmp_path / "backup.zip"
    assert main(["backup", str(archive), "--db", src]) == 0
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(tampered, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, b"changed" if item.filename == f"blobs/{key}" else data)
    dst = f"tinydb:///{tmp_path / 'b' / 'v.json'}"
    assert main(["restore", str(tampered), "--db", dst]) == 2
    assert "校验值不符" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "missing.zip"), "--db", dst]) == 2


@pytest.mark.postgres
def test_copy_from_tinydb_to_postgresql_prints_matching_counts_and_hashes(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = f"tinydb:///{tmp_path / 'v.json'}"
    doc_id, key = _fill(src)
    assert main(["copy", src, pg_url]) == 0
    out = capsys.readouterr().out
    hashes = [line.split()[-1] for line in out.splitlines() if "数据校验值" in line]
    assert len(hashes) == 2 and hashes[0] == hashes[1]
    assert "vanguard:***@" in out  # the password is not printed
    pg = open_repository(pg_url)
    try:
        assert pg.get("submissions", doc_id)["rev"] == 2  # type: ignore[index]
        assert pg.get_blob(key) == "签到表照片".encode() * 100
        assert pg.audit("submissions", doc_id)[0]["old"]["status"] == "draft"
    finally:
        pg.close()


def test_bad_input_exits_2_with_a_chinese_message(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # capfd: create-user runs as ``python -m workflow`` in a child writing to the same terminal
    assert main(["backup", str(tmp_path / "x.zip"), "--db", "nosuch://x"]) == 2
    assert "无法识别的存储地址" in capfd.readouterr().err
    db = f"tinydb:///{tmp_path / 'v.json'}"
    assert main(["copy", db, db]) == 2
    assert "不能相同" in capfd.readouterr().err
    args = ["--login", "li", "--name", "李四", "--role", "wizard", "--password", "long-enough-1"]
    assert main(["create-user", "--db", db, *args]) == 2
    assert "角色" in capfd.readouterr().err


def test_create_user_stores_an_account(tmp_path: Path) -> None:
    db = f"tinydb:///{tmp_path / 'v.json'}"
    assert main(["init", "--db", db]) == 0
    args = ["--login", "li.si", "--name", "李四", "--role", "reviewer", "--password", "pass-word-1"]
    assert main(["create-user", "--db", db, *args]) == 0
    repo = open_repository(db)
    try:
        users = repo.find("users", {"login": "li.si"})
        assert len(users) == 1 and users[0]["display_name"] == "李四"
        assert "pass-word-1" not in str(users[0])  # stored as a hash only
    finally:
        repo.close()


def test_module_entry_point_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "storage", "backup", str(tmp_path / "b.zip"), "--db", "memory://"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    assert "已备份到" in done.stdout

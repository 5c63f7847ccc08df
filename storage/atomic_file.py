"""Crash-safe file replacement: a file is either its old content or its new one, never half.

The new bytes go to a temp file in the same folder (same filesystem, so ``os.replace`` is
atomic), which is fsynced, renamed over the target, and then the folder is fsynced so the rename
itself survives a power cut. Temp files left by a killed process are removed at start-up.
``AtomicJSONStorage`` offers the same guarantee to plain TinyDB (stock ``JSONStorage`` writes in
place and was measured to leave unreadable files after kill -9 and on a full disk).
"""

from __future__ import annotations

import errno
import json
import os
import threading
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from storage.errors import StorageError, StoreDamaged

TEMP_MARK = ".vgtmp-"


def fsync_dir(folder: Path) -> None:
    """Make a rename or file creation in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """Write every byte (``os.write`` may write fewer than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def disk_error(path: Path, exc: OSError) -> StorageError:
    """A StorageError a person can act on for an OSError raised while writing ``path``."""
    if exc.errno == errno.ENOSPC:
        return StorageError(
            f"磁盘空间不足,未能保存到 {path}。已保存的数据没有受损;请清理磁盘空间后重试。"
        )
    return StorageError(f"写入 {path} 失败({exc.strerror or exc}),数据没有保存,请稍后重试。")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically and durably; raises StorageError on failure."""
    temp = path.with_name(f"{path.name}{TEMP_MARK}{os.getpid()}-{threading.get_ident()}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise disk_error(path, exc) from exc


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files whose writer process is gone; returns how many.

    A temp file is named after its writer's pid, so a live writer's file is left alone.
    """
    removed = 0
    for temp in folder.glob(f"*{TEMP_MARK}*"):
        if _writer_alive(temp.name.rsplit(TEMP_MARK, 1)[1]):
            continue
        temp.unlink(missing_ok=True)
        removed += 1
    return removed


def _writer_alive(suffix: str) -> bool:
    pid_text = suffix.split("-", 1)[0]
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_json(path: Path) -> Any:
    """Parse a JSON file; StoreDamaged (with what to do) if it cannot be read."""
    try:
        return json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreDamaged(
            f"存储文件已损坏,无法读取:{path}({exc})。系统没有改动它。"
            f"请停止服务,把该文件另存备份后,用 python -m storage restore 从最近的备份恢复,"
            f"或联系管理员。"
        ) from exc


class AtomicJSONStorage(Storage):
    """A TinyDB storage whose every write is atomic: ``TinyDB(path, storage=AtomicJSONStorage)``."""

    def __init__(self, path: str, **_: Any) -> None:
        self._path = Path(path)
        self._path.parent.mkdir(parents=True, exist_ok=True)

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The whole database, or None when the file does not exist or is empty."""
        if not self._path.exists() or self._path.stat().st_size == 0:
            return None
        data = read_json(self._path)
        if not isinstance(data, dict):
            raise StoreDamaged(f"存储文件格式不对:{self._path} 应当是一个 JSON 对象。")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Replace the file with ``data`` atomically."""
        write_atomic(self._path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def close(self) -> None:
        """Nothing stays open between operations."""

"""The append-only change log behind the TinyDB backend (one JSON object per line).

A change is appended with one ``write`` and made durable with ``fsync`` before the caller is
told it is saved, so an acknowledged change is always a complete line. A process killed mid-way
leaves at most a partial last line with no newline: it was never acknowledged, and the next
writer (holding the file lock) cuts it off. A damaged line *before* the end cannot come from a
crash, so it is reported (StoreDamaged), never repaired silently.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storage.atomic_file import disk_error, fsync_dir, write_all
from storage.errors import StoreDamaged

CHUNK = 1 << 20


def damaged(path: Path, where: str) -> StoreDamaged:
    """StoreDamaged naming the file, the place and what a person should do."""
    return StoreDamaged(
        f"存储日志已损坏,无法读取:{path}({where})。系统没有改动它。请停止服务,"
        f"把该文件另存备份后,用 python -m storage restore 从最近的备份恢复,或联系管理员。"
    )


class EventLog:
    """Append, tail-read and random-read access to one log file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def stat(self) -> tuple[int, int | None]:
        """(size, inode) of the file; (0, None) when it does not exist yet."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return 0, None
        return st.st_size, st.st_ino

    def scan(self, start: int) -> Iterator[tuple[int, int, dict[str, Any]]]:
        """Yield ``(offset, length, event)`` for every complete line from ``start`` on.

        Stops at a trailing partial line (a write that was never acknowledged).
        """
        for offset, line in self.lines(start):
            yield offset, len(line), self._parse(line[:-1], offset)

    def lines(self, start: int) -> Iterator[tuple[int, bytes]]:
        """Yield ``(offset, line)`` for every complete line from ``start`` on, each line as
        stored (ending with its newline); a trailing partial line is left out."""
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed in finally below
        except FileNotFoundError:
            return
        try:
            handle.seek(start)
            offset, pending = start, b""
            while chunk := handle.read(CHUNK):
                pending += chunk
                lines = pending.split(b"\n")
                pending = lines.pop()
                for line in lines:
                    yield offset, line + b"\n"
                    offset += len(line) + 1
        finally:
            handle.close()

    def parse(self, line: bytes) -> dict[str, Any]:
        """The event of one line as ``lines`` yields it."""
        return self._parse(line.rstrip(b"\n"), 0)

    def truncate(self, end: int) -> None:
        """Cut off an unacknowledged partial line after ``end``."""
        fd = os.open(self.path, os.O_WRONLY)
        try:
            os.ftruncate(fd, end)
            os.fsync(fd)
        finally:
            os.close(fd)

    def append(self, data: bytes, expected_end: int) -> int:
        """Append complete lines durably and return the new end offset.

        On failure (a full disk, an I/O error) the file is cut back to ``expected_end`` and a
        StorageError saying what happened is raised: nothing half-written stays behind.
        """
        created = not self.path.exists()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise disk_error(self.path, exc) from exc
        try:
            write_all(fd, data)
            os.fsync(fd)
            if created:
                fsync_dir(self.path.parent)
        except OSError as exc:
            # If this fails too, the partial line has no newline and the next writer cuts it off.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, expected_end)
            raise disk_error(self.path, exc) from exc
        finally:
            os.close(fd)
        return expected_end + len(data)

    def read_at(self, offset: int, length: int) -> dict[str, Any]:
        """The event stored at ``offset`` (as returned by ``scan``)."""
        fd = os.open(self.path, os.O_RDONLY)
        try:
            line = os.pread(fd, length, offset)
        finally:
            os.close(fd)
        return self._parse(line.rstrip(b"\n"), offset)

    def _parse(self, line: bytes, offset: int) -> dict[str, Any]:
        try:
            event = json.loads(line)
        except (ValueError, UnicodeDecodeError) as exc:
            raise damaged(self.path, f"第 {offset} 字节处:{exc}") from exc
        if not isinstance(event, dict) or "kind" not in event or "id" not in event:
            raise damaged(self.path, f"第 {offset} 字节处不是一条修改记录")
        return event

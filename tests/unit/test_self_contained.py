"""The repository explains itself: no file cites a document outside it, every link resolves."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Documents that live outside the repository; the project's own explanations are in docs/.
OUTSIDE = re.compile(r"DESIGN\.md|NOTES\.md|STYLE\.md|/work/|\bshared/|\bseed/")
LINK = re.compile(r"\]\(([^)#:]+)(?:#[^)]*)?\)")


def _tracked(*suffixes: str) -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [ROOT / name for name in listed if name.endswith(suffixes) and (ROOT / name).is_file()]


def test_no_file_cites_a_document_outside_the_repository() -> None:
    files = _tracked(".py", ".md", ".yaml", ".toml", ".txt", ".sh", "run")
    assert len(files) > 100
    this = Path(__file__).resolve()
    citing = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        if path != this
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert citing == []


def test_every_relative_link_in_the_docs_resolves() -> None:
    broken = [
        f"{path.relative_to(ROOT)}: {target}"
        for path in _tracked(".md")
        for target in LINK.findall(path.read_text(encoding="utf-8"))
        if not (path.parent / target).exists()
    ]
    assert broken == []

"""The one table ``python -m bench`` ends with: a row per headline figure of every benchmark that
ran, beside its baseline and their ratio, under a line naming the machine and its load.

Each benchmark prints its details as it goes and calls ``record`` for its headline figures;
``python -m bench`` prints ``table()`` once all have run, ready for the README's Performance
section.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One headline figure: what was timed, its figure, its baseline and how many times slower
    (or, below 1, faster) the figure is than the baseline."""

    bench: str
    what: str
    figure: str
    baseline: str
    ratio: float | None


_rows: list[Row] = []


def record(bench: str, what: str, figure: str, baseline: str, ratio: float | None) -> None:
    """Keep a headline figure for the closing table."""
    _rows.append(Row(bench, what, figure, baseline, ratio))


def rows() -> list[Row]:
    """The figures recorded so far, in order."""
    return list(_rows)


def machine() -> str:
    """The CPU, cores, memory, Python and load average the figures were taken on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text(encoding="utf-8").split()[1])
        memory = f", {kib / 1_048_576:.0f} GB"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())
    python = platform.python_version()
    return f"{cpu}, {cores} cores{memory}, Python {python}{load}"


def table() -> str:
    """The recorded figures as a Markdown table under the machine's description."""
    lines = [
        f"Machine: {machine()}",
        "",
        "| bench | what | figure | baseline | ratio |",
        "|---|---|---|---|---|",
    ]
    for row in _rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.{2 if row.ratio < 10 else 0}f}×"
        lines.append(f"| {row.bench} | {row.what} | {row.figure} | {row.baseline} | {ratio} |")
    return "\n".join(lines)

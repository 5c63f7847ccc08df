"""``python -m bench [NAME ...]``: run the named benchmarks (all of them when none is named),
then print one table of their headline figures (``bench.summary``)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from bench import summary

BENCHMARKS = ("storage", "rules", "pages", "pdf", "checks", "scale", "concurrency")


def run(name: str, argv: Sequence[str]) -> int:
    """Run ``bench/<name>.py``'s ``main``."""
    module = importlib.import_module(f"bench.{name}")
    return int(module.main(list(argv)) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch; exit 2 for an unknown benchmark name."""
    args = list(sys.argv[1:] if argv is None else argv)
    names: list[str] = []
    options: list[str] = []
    for n, arg in enumerate(args):
        before = args[n - 1] if n else ""
        if arg in BENCHMARKS:
            names.append(arg)
        elif arg.startswith("-") or (before.startswith("-") and "=" not in before):
            options.append(arg)  # an option, or the value of the option before it
        else:
            names.append(arg)  # reported as unknown below
    names = names or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
        return 2
    status = 0
    for name in names:
        print(f"== {name} ==")
        status = max(status, run(name, options))
    if summary.rows():
        print("== summary ==")
        print(summary.table())
    return status


if __name__ == "__main__":
    sys.exit(main())

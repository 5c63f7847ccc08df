"""python -m bench ends with one table of every benchmark's headline figures and the machine."""

from __future__ import annotations

import pytest

from bench import __main__ as bench_main
from bench import summary


def test_the_closing_table_lists_each_recorded_figure_under_the_machine(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(summary, "_rows", [])

    def fake_run(name: str, argv: list[str]) -> int:
        summary.record(name, "submit, 10 campaigns", "17 ms", "1 campaign: 11 ms", 17 / 11)
        return 0

    monkeypatch.setattr(bench_main, "run", fake_run)
    assert bench_main.main(["rules", "scale"]) == 0
    out = capsys.readouterr().out
    table = out.split("== summary ==\n", 1)[1]
    assert table.startswith("Machine: ") and "cores" in table and "load average" in table
    assert "| rules | submit, 10 campaigns | 17 ms | 1 campaign: 11 ms | 1.55× |" in table
    assert "| scale | submit, 10 campaigns |" in table

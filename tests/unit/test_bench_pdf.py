"""python -m bench pdf: the campaign dossier's headline is timed end to end from a store (read
through the services, then laid out) and read against its 10 s goal."""

from __future__ import annotations

import re

import pytest

from bench import pdf, summary


def test_the_dossier_headline_is_read_and_layout_from_a_store_against_the_goal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(summary, "_rows", [])
    pdf.from_store(2)
    (row,) = summary.rows()
    assert row.bench == "pdf" and "from the store" in row.what and "cold" in row.what
    assert row.baseline == "goal ≤ 10 s"
    found = re.match(r"(\d+\.\d\d) s \(read (\d+\.\d\d) s \+ layout (\d+\.\d\d) s", row.figure)
    assert found, row.figure
    total, read, layout = (float(x) for x in found.groups())
    assert read > 0 and layout > 0 and total == pytest.approx(read + layout, abs=0.02)
    assert row.ratio == pytest.approx(total / 10, abs=0.01)
    assert "42 submissions" in capsys.readouterr().out  # 2 branches' real-sized records

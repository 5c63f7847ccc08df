"""The rules keep agreeing with a person's judgement of real plans and summaries.

``tests/corpus`` holds real 党支部 documents transcribed into the forms with the transcriber's
decision written before the rules ran; the agreement may not drop below the recorded figure.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rules import calibration
from rules.cli import main


def test_corpus_holds_at_least_ten_real_plans_and_ten_real_summaries_each_judged() -> None:
    cases = calibration.load_cases()
    for folder in ("plans", "summaries"):
        docs = [
            json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((calibration.CORPUS_DIR / folder).glob("*.json"))
        ]
        real = [d for d in docs if d["kind"] == "real"]
        assert len(real) >= 10, folder
        assert all(d["source"].startswith("http") for d in real)
        assert all(d["judgement"]["decision"] in ("pass", "return") for d in docs)
        assert all(d["judgement"]["why"] for d in docs)
    assert {c.judgement for c in cases} == {"pass", "return"}


def test_agreement_does_not_drop_below_the_recorded_figure() -> None:
    verdicts = calibration.calibrate(calibration.load_cases())
    minimum = calibration.recorded_minimum()
    assert minimum is not None
    wrong = [f"{v.case.name}: {v.decision} / {v.case.judgement}" for v in verdicts if not v.agrees]
    assert calibration.agreement(verdicts) >= minimum, wrong
    # Every case was checked by the rules, none rejected by its form.
    assert all(v.decision in ("pass", "return", "veto") for v in verdicts)


def test_calibrate_prints_each_case_and_fails_below_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(calibration.CORPUS_DIR / "summaries", corpus / "summaries")
    (corpus / "calibration.json").write_text('{"min_agreement": 0.9}', encoding="utf-8")
    assert main(["calibrate", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "一致\ts14_typed_padded_denial\t规则：return\t判断：return" in out
    assert "summary：16/16 一致" in out and "总一致率：100.0%（16 份）" in out
    # Turn two judgements around: the agreement falls below the record and the command fails.
    for name in ("s06_grassroots_half_year_2024", "s07_college_spot_check"):
        path = corpus / "summaries" / f"{name}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["judgement"]["decision"] = "return"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["calibrate", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "不一致\ts06_grassroots_half_year_2024" in out and "一致率低于记录的 90.0%" in out


def test_only_the_judged_fields_decide_a_partly_transcribed_case() -> None:
    case = next(c for c in calibration.load_cases() if c.name == "s06_grassroots_half_year_2024")
    assert case.judged == ("shortcomings",)
    # Its other sections were not transcribed: the length rules on them fail but do not decide.
    verdict = calibration.judge(case, [])
    assert verdict.decision == "pass" and verdict.failing == ()

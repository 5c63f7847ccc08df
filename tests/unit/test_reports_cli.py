"""``python -m reports TYPE FILE.json -o OUT.pdf``: exit 0 with a PDF, exit 2 naming the field."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest

from reports.cli import DOCUMENTS, main
from reports.samples import (
    sample_branch_dossier,
    sample_bulletin,
    sample_campaign_dossier,
    sample_commendation,
    sample_meta,
    sample_plan,
    sample_report,
    sample_reviews,
)

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, content: Any, name: str = "in.json") -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_cli_renders_bare_plan_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.pdf"
    assert main(["plan", str(_write(tmp_path, sample_plan())), "-o", str(out)]) == 0
    assert "支部“先锋工程”实施方案" in _text(out)
    assert str(out) in capsys.readouterr().out


def test_cli_renders_the_envelope_with_report_reviews_and_meta(tmp_path: Path) -> None:
    envelope = {
        "data": sample_plan(),
        "report": sample_report(),
        "reviews": sample_reviews(),
        "meta": sample_meta(),
    }
    out = tmp_path / "plan.pdf"
    assert main(["plan", str(_write(tmp_path, envelope)), "-o", str(out)]) == 0
    text = _text(out)
    assert "规则检查报告" in text and "审核记录" in text and "生成时间：2025-03-26 08:00" in text


@pytest.mark.parametrize(
    ("doc_type", "data", "expected"),
    [
        ("bulletin", sample_bulletin(), "机关工作简报"),
        ("commendation", sample_commendation(), "荣誉证书"),
        ("branch_dossier", sample_branch_dossier(), "报送学校党委"),
        ("campaign_dossier", sample_campaign_dossier(), "各支部进展"),
        ("rule_report", sample_report(), "规则检查报告"),
    ],
)
def test_cli_renders_each_document_type(
    tmp_path: Path, doc_type: str, data: dict[str, Any], expected: str
) -> None:
    assert doc_type in DOCUMENTS
    out = tmp_path / f"{doc_type}.pdf"
    assert main([doc_type, str(_write(tmp_path, data)), "-o", str(out)]) == 0
    assert expected in _text(out)


def test_cli_wrong_fields_exit_2_naming_each_field_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = sample_plan()
    bad["items"][0]["deadline"] = "明天"
    bad["budget"] = -5
    bad["bogus"] = 1
    del bad["title"]
    out = tmp_path / "never.pdf"
    assert main(["plan", str(_write(tmp_path, bad)), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "输入数据有误" in err
    assert "「方案标题」必须填写" in err
    assert "「主要内容」第 1 项的「完成时限」" in err and "“明天”不是能看懂的时限" in err
    assert "「经费预算(元)」不能小于 0" in err
    assert "「bogus」不是本表单的栏目" in err
    assert not out.exists()


def test_cli_model_rule_violation_and_bad_report_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = {"branch": "b", "date": "2025-01-01", "topic": "学习", "members": 5}
    session |= {"attendees": 7, "hours": 1}
    assert main(["study_session", str(_write(tmp_path, session)), "-o", "x.pdf"]) == 2
    assert "实到人数不能多于支部党员数" in capsys.readouterr().err
    envelope = {"data": sample_plan(), "report": {"ruleset": "plan_quality"}}
    assert main(["plan", str(_write(tmp_path, envelope)), "-o", "x.pdf"]) == 2
    assert "规则检查报告" in capsys.readouterr().err


def test_cli_unreadable_or_invalid_json_and_unknown_type_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", str(tmp_path / "missing.json"), "-o", "x.pdf"]) == 2
    assert "无法读取文件" in capsys.readouterr().err
    assert main(["plan", str(_write(tmp_path, '{"branch": ')), "-o", "x.pdf"]) == 2
    assert "不是有效的 JSON（第 1 行" in capsys.readouterr().err
    assert main(["plan", str(_write(tmp_path, "[1, 2]")), "-o", "x.pdf"]) == 2
    assert "应为对象" in capsys.readouterr().err
    assert main(["no_such", str(_write(tmp_path, "{}")), "-o", "x.pdf"]) == 2
    assert "未知的材料类型" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["plan"])  # missing arguments: argparse usage error
    assert exit_info.value.code == 2


def test_cli_that_cannot_write_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no_such_dir" / "out.pdf"
    assert main(["plan", str(_write(tmp_path, sample_plan())), "-o", str(target)]) == 1
    assert "无法写入" in capsys.readouterr().err


def test_python_dash_m_reports_entry_point(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    source = _write(tmp_path, sample_plan())
    ok = subprocess.run(
        [sys.executable, "-m", "reports", "plan", str(source), "-o", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert out.read_bytes().startswith(b"%PDF")
    bad = subprocess.run(
        [sys.executable, "-m", "reports", "plan", str(_write(tmp_path, "{}", "e.json")), "-o", "x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "「支部」必须填写" in bad.stderr

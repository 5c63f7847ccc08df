"""The PDFs rasterise cleanly with poppler (pdftoppm), every page with visible ink.

Text extraction proves the text is there; this proves a real renderer draws it without font
errors (a missing or broken embedded font makes poppler complain on stderr).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from reportlab.platypus import Spacer

from reports.bulletin import build_bulletin_pdf
from reports.commendation import build_commendation_pdf
from reports.document import doc_info, render
from reports.form import build_form_pdf
from reports.plan import build_plan_pdf
from reports.samples import (
    sample_bulletin,
    sample_commendation,
    sample_plan,
    sample_report,
    sample_reviews,
)


def _pgm_dark_fraction(path: Path) -> float:
    """Share of dark pixels in a binary PGM (P5) written by ``pdftoppm -gray``."""
    raw = path.read_bytes()
    fields: list[bytes] = []
    index = 0
    while len(fields) < 4:  # magic, width, height, maxval
        while raw[index : index + 1].isspace():
            index += 1
        start = index
        while not raw[index : index + 1].isspace():
            index += 1
        fields.append(raw[start:index])
    assert fields[0] == b"P5"
    pixels = raw[index + 1 :]
    return sum(1 for value in pixels if value < 200) / max(1, len(pixels))


@pytest.mark.parametrize(
    ("name", "pdf"),
    [
        ("plan", lambda: build_plan_pdf(sample_plan(), report=sample_report())),
        ("form", lambda: build_form_pdf("plan", sample_plan(), reviews=sample_reviews())),
        ("bulletin", lambda: build_bulletin_pdf(sample_bulletin())),
        ("commendation", lambda: build_commendation_pdf(sample_commendation())),
    ],
)
def test_pdf_rasterises_without_font_errors_and_every_page_has_ink(
    tmp_path: Path, name: str, pdf: object
) -> None:
    # A page with nothing but the footer is the baseline every real page must exceed.
    footer_only = render([Spacer(1, 1)], doc_info("空白", {"generated_at": "2025-01-01"}, "zh"))
    baseline = _fractions(tmp_path, "baseline", footer_only)[0]
    assert baseline > 0  # the footer itself is drawn
    fractions = _fractions(tmp_path, name, pdf())  # type: ignore[operator]
    assert fractions
    for number, fraction in enumerate(fractions, start=1):
        assert fraction > baseline * 1.5, f"{name} page {number} has only the footer"


def _fractions(tmp_path: Path, name: str, pdf: bytes) -> list[float]:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    run = subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", str(source), str(tmp_path / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr
    return [_pgm_dark_fraction(page) for page in sorted(tmp_path.glob(f"{name}-*.pgm"))]

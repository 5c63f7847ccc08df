"""The CJK font is a TrueType font embedded in every PDF, with a logged fallback (reports.fonts)."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pypdf
import pytest

from reports import fonts
from reports.plan import build_plan_pdf
from reports.samples import sample_plan

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _fonts(pdf: bytes) -> dict[str, pypdf.generic.DictionaryObject]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def test_pdf_embeds_the_wqy_truetype_font_with_fontfile2() -> None:
    assert WQY.is_file(), "fonts-wqy-zenhei is a system dependency (scripts/install-system-deps.sh)"
    font = fonts.cjk_font()
    assert font.embedded and font.source == str(WQY)
    cjk = {n: f for n, f in _fonts(build_plan_pdf(sample_plan())).items() if "WenQuanYi" in n}
    assert cjk, "no WenQuanYi font in the PDF"
    for descriptor in (f["/FontDescriptor"].get_object() for f in cjk.values()):
        assert "/FontFile2" in descriptor  # the TrueType program is embedded


def test_font_is_registered_once_per_process() -> None:
    assert fonts.cjk_font() is fonts.cjk_font()


def test_env_override_comes_first_and_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, str(DEJAVU))
    paths = fonts.candidate_paths()
    assert paths[0] == DEJAVU
    chosen = fonts.select_font(paths, name="TestOverrideFont")
    assert chosen == fonts.PdfFont("TestOverrideFont", embedded=True, source=str(DEJAVU))


def test_unloadable_font_file_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    with caplog.at_level(logging.WARNING, logger="reports.fonts"):
        chosen = fonts.select_font([broken, DEJAVU], name="TestSkipFont")
    assert chosen.source == str(DEJAVU)
    assert str(broken) in caplog.text


def test_without_any_truetype_font_falls_back_to_cid_and_names_the_package(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="reports.fonts"):
        chosen = fonts.select_font([tmp_path / "missing.ttc"])
    assert chosen == fonts.PdfFont(fonts.FALLBACK_CID_FONT, embedded=False, source="cid")
    assert "fonts-wqy-zenhei" in caplog.text

"""The CJK font is a TrueType font embedded in every PDF, with a logged fallback (reports.fonts)."""

from __future__ import annotations

import io
import logging
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

from reports import fonts
from reports.branch_dossier import build_branch_dossier_pdf
from reports.bulletin import build_bulletin_pdf
from reports.campaign_dossier import build_campaign_dossier_pdf
from reports.commendation import build_commendation_pdf
from reports.form import build_form_pdf
from reports.plan import build_plan_pdf
from reports.rule_report import build_rule_report_pdf
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


def _embedded(font: pypdf.generic.DictionaryObject) -> bool:
    """Whether ``font`` carries its TrueType program (``/FontFile2`` in its descriptor)."""
    ref = font.get("/FontDescriptor")
    descriptor = ref.get_object() if ref is not None else None
    return isinstance(descriptor, pypdf.generic.DictionaryObject) and "/FontFile2" in descriptor


def test_pdf_embeds_the_wqy_truetype_font_with_fontfile2() -> None:
    assert WQY.is_file(), "fonts-wqy-zenhei is a system dependency (scripts/install-system-deps.sh)"
    font = fonts.cjk_font()
    assert font.embedded and font.source == str(WQY)
    cjk = {n: f for n, f in _fonts(build_plan_pdf(sample_plan())).items() if "WenQuanYi" in n}
    assert cjk, "no WenQuanYi font in the PDF"
    for descriptor in (f["/FontDescriptor"].get_object() for f in cjk.values()):
        assert "/FontFile2" in descriptor  # the TrueType program is embedded


@pytest.mark.parametrize(
    ("name", "build"),
    [
        (
            "plan",
            lambda: build_plan_pdf(
                sample_plan(), report=sample_report(), reviews=sample_reviews(), meta=sample_meta()
            ),
        ),
        ("form", lambda: build_form_pdf("plan", sample_plan(), reviews=sample_reviews())),
        ("bulletin", lambda: build_bulletin_pdf(sample_bulletin())),
        ("commendation", lambda: build_commendation_pdf(sample_commendation())),
        ("branch_dossier", lambda: build_branch_dossier_pdf(sample_branch_dossier())),
        ("campaign_dossier", lambda: build_campaign_dossier_pdf(sample_campaign_dossier())),
        ("rule_report", lambda: build_rule_report_pdf(sample_report())),
    ],
)
def test_every_font_a_pdf_references_is_embedded(name: str, build: Callable[[], bytes]) -> None:
    # Tables set their cells' font even around paragraphs; ReportLab's default is an
    # unembedded Helvetica (Type 1), which `pdffonts` listed next to WenQuanYi.
    assert fonts.cjk_font().embedded, "fonts-wqy-zenhei is a system dependency"
    used = _fonts(build())
    assert used, f"{name}: no fonts found"
    unembedded = [font_name for font_name, font in used.items() if not _embedded(font)]
    assert unembedded == [], f"{name} references fonts that are not embedded: {unembedded}"


def test_font_is_registered_once_per_process() -> None:
    assert fonts.cjk_font() is fonts.cjk_font()


def test_env_override_comes_first_and_is_used(settings_override: Callable[..., object]) -> None:
    settings_override(pdf_font=str(DEJAVU))
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


RARE = "𠮷野家、𩸽（ほっけ）、😀👍❤️🎉"


def test_rare_characters_and_emoji_print_in_a_fallback_font_and_extract_as_typed(
    tmp_path: Path,
) -> None:
    # WenQuanYi Zen Hei has no CJK Extension B and no emoji: they printed as boxes. HanaMin
    # (fonts-hanazono) and Symbola (fonts-symbola) are embedded for them, run by run.
    assert [name for name, _ in fonts.fallback_fonts()] == [n for n, _ in fonts.FALLBACK_FONTS]
    plan = {**sample_plan(), "goals": f"目标：{RARE}。", "title": f"{RARE}方案"}
    pdf = build_plan_pdf(plan)
    used = _fonts(pdf)
    assert any("HanaMin" in name for name in used) and any("Symbola" in name for name in used)
    assert all(_embedded(font) for font in used.values())
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert RARE.replace("\ufe0f", "") in text.replace("\n", "")  # the selector prints nothing
    (tmp_path / "plan.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(tmp_path / "plan.pdf"),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    assert (tmp_path / "page-1.png").stat().st_size > 0


def test_each_character_goes_to_the_first_font_that_has_it() -> None:
    main = fonts.cjk_font().name
    runs = fonts.font_runs("中文𠮷😀❤\ufe0fA")
    assert runs[0] == (None, "中文") and runs[-1][1].endswith("A")
    assert "".join(run for _, run in runs) == "中文𠮷😀❤A"
    assert all(font is None or font != main for font, _ in runs)
    assert fonts.font_runs("只有常用字 ABC") == [(None, "只有常用字 ABC")]

"""Times shown to people are minutes in the school's time zone, not raw UTC ISO stamps."""

from __future__ import annotations

import io
import zoneinfo
from collections.abc import Callable

import pytest
from pypdf import PdfReader

from core.settings import Settings
from i18n import format_time, times
from reports.plan import build_plan_pdf
from reports.rule_report import build_rule_report_pdf
from reports.samples import sample_meta, sample_plan, sample_report

STAMP = "2026-11-25T12:33:30.856266+00:00"


@pytest.fixture(autouse=True)
def default_zone(settings_override: Callable[..., object]) -> None:
    settings_override(tz=Settings.model_fields["tz"].default)
    times._zone.cache_clear()


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def test_utc_stamp_is_shown_in_beijing_time_to_the_minute() -> None:
    assert format_time(STAMP) == "2026-11-25 20:33"
    assert format_time("2026-12-31T20:00:00Z") == "2027-01-01 04:00"  # the date moves too
    assert format_time("2026-03-01T09:15:00+08:00") == "2026-03-01 09:15"


def test_bad_or_partial_input_is_shown_as_is() -> None:
    for given in ("昨天下午", "2026-13-45T99:00", "", "2026-03-01"):
        assert format_time(given) == given
    assert format_time(None) == ""
    assert format_time("2025-03-20 10:30") == "2025-03-20 10:30"  # no zone: already local


def test_vanguard_tz_chooses_the_zone(settings_override: Callable[..., object]) -> None:
    settings_override(tz="Europe/Berlin")
    assert format_time(STAMP) == "2026-11-25 13:33"


def test_missing_zone_database_falls_back_to_utc_plus_8(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> zoneinfo.ZoneInfo:
        raise zoneinfo.ZoneInfoNotFoundError(name)

    monkeypatch.setattr(times.zoneinfo, "ZoneInfo", missing)
    assert format_time(STAMP) == "2026-11-25 20:33"


def test_pdf_review_trail_and_rule_check_time_are_local_minutes() -> None:
    reviews = [{"at": STAMP, "reviewer": "reviewer", "version": 1, "decision": "approve"}]
    report = {**sample_report(), "checked_at": "2026-11-25T01:02:03+00:00"}
    text = text_of(
        build_plan_pdf(sample_plan(), report=report, reviews=reviews, meta=sample_meta())
    )
    assert "2026-11-25 20:33" in text and "12:33" not in text
    assert "2026-11-25 09:02" in text and "01:02:03" not in text
    alone = text_of(build_rule_report_pdf(report, meta=sample_meta()))
    assert "2026-11-25 09:02" in alone

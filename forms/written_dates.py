"""Deadlines and schedule dates as real plans write them.

Real 党支部 plans give deadlines as a date (2025-06-30, 2019年12月31日), a month (2019-12,
2019年12月底), a recurring term (每月, 每季度, 每学期), a point in the year (年底, 上半年, 七一前)
or an open term (长期, 常态化). ``read_deadline`` keeps the text as written and says how precise
it is; ``read_month_or_date`` reads schedule dates, which are a day or a month (2010-07).

The text is what is stored and shown; its precision and latest day are read from it here, the
one place that knows these forms, so forms, rules and reports never parse dates themselves.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Precision = Literal["day", "month", "year", "recurring", "event", "ongoing"]

PRECISION_ZH: dict[str, str] = {
    "day": "具体日期",
    "month": "月份",
    "year": "年内时段",
    "recurring": "周期性",
    "event": "节点前",
    "ongoing": "长期",
}

# Examples shown when a deadline cannot be read: one per kind of term a plan may use.
DEADLINE_EXAMPLES = "2025-06-30、2025-06、2019年12月底、每月、每季度、每学期、年底、七一前、长期"
MONTH_OR_DATE_EXAMPLES = "2025-03、2025-03-15、2025年3月"

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_CN_DAY = re.compile(rf"^(\d{{4}})年{_MONTH}月(\d{{1,2}})[日号]?(前|之前|以前)?$")
_CN_MONTH = re.compile(rf"^(\d{{4}})年{_MONTH}月(份|底|末|前|中旬|上旬|下旬|初)?(前|之前|以前)?$")
_CN_BARE_MONTH = re.compile(rf"^{_MONTH}月(份|底|末|前|中旬|上旬|下旬|初)?(前|之前|以前)?$")
_CN_YEAR = re.compile(r"^(\d{4})年(底|末|内|上半年|下半年|前)?$")
_RECURRING = re.compile(
    r"^(每|逐)(日|天|周|星期|月|季度|季|学期|半年|年|年度)(一次|1次|两次|2次)?"
    r"|^(月度|季度|学期|年度)$|^(每月|每周)\S{0,8}$"
)
_YEAR_POINTS = re.compile(
    r"^(本?年底|本?年末|年初|年中|上半年|下半年|本年度|年内|全年|学期末|期末|寒假前|暑假前)$"
)
_EVENTS = re.compile(r"^\S{1,12}(前|之前|以前|期间)$")
_ONGOING = re.compile(r"^(长期|常态化|持续|持续推进|长期坚持|经常性|全年持续)$")


@dataclass(frozen=True)
class WrittenDate:
    """A deadline or schedule date as written, how precise it is and its latest day (if any)."""

    text: str
    precision: Precision
    latest: dt.date | None = None
    earliest: dt.date | None = None


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + (_CN_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    return _CN_DIGITS[text]


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month(year: int, month: int) -> tuple[dt.date, dt.date] | None:
    if not 1 <= month <= 12 or not 1900 <= year <= 2100:
        return None
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def _dated(text: str) -> WrittenDate | None:
    """A text naming a day or a month of a given year, else None."""
    if match := _ISO_DAY.match(text) or _CN_DAY.match(text):
        year, month = int(match.group(1)), _month_number(match.group(2))
        day = _day(year, month, int(match.group(3)))
        return WrittenDate(text, "day", day, day) if day else None
    if match := _ISO_MONTH.match(text) or _CN_MONTH.match(text):
        span = _month(int(match.group(1)), _month_number(match.group(2)))
        return WrittenDate(text, "month", span[1], span[0]) if span else None
    return None


def read_deadline(text: str) -> WrittenDate | None:
    """How precise a written deadline is (None when it is not a deadline one can read)."""
    text = re.sub(r"\s+", "", text or "")
    if not text or len(text) > 20:
        return None
    if dated := _dated(text):
        return dated
    if match := _CN_YEAR.match(text):
        year = int(match.group(1))
        if not 1900 <= year <= 2100:
            return None
        last = dt.date(year, 6, 30) if match.group(2) == "上半年" else dt.date(year, 12, 31)
        return WrittenDate(text, "year", last, dt.date(year, 1, 1))
    if _CN_BARE_MONTH.match(text) or _YEAR_POINTS.match(text):
        return WrittenDate(text, "year")
    if _RECURRING.match(text):
        return WrittenDate(text, "recurring")
    if _ONGOING.match(text):
        return WrittenDate(text, "ongoing")
    if _EVENTS.match(text):
        return WrittenDate(text, "event")
    return None


def read_month_or_date(text: str) -> WrittenDate | None:
    """A schedule date: a day or a month of a given year (None otherwise)."""
    return _dated(re.sub(r"\s+", "", text or ""))


def iso_text(written: WrittenDate) -> str:
    """A schedule date as stored: ``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month."""
    assert written.earliest is not None
    if written.precision == "day":
        return written.earliest.isoformat()
    return written.earliest.isoformat()[:7]

"""Stored time stamps as people read them: minutes, in the school's time zone.

The store and the rule engine record UTC ISO 8601 (``2026-11-25T12:33:30.856266+00:00``);
people in the school read ``2026-11-25 20:33``. The zone is ``VANGUARD_TZ`` (an IANA name,
default ``Asia/Shanghai``, see ``core.settings``).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from core.settings import settings

# China has kept UTC+8 without daylight saving since 1991: the right answer for the default zone
# even where the zone database is missing (a fresh Debian without tzdata, Python without the
# tzdata package).
_CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


@functools.cache
def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # An unknown name (or no zone database at all): the school is in China.
        return _CHINA_STANDARD_TIME


def school_zone() -> dt.tzinfo:
    """The time zone times are shown in: ``VANGUARD_TZ``, default ``Asia/Shanghai``."""
    return _zone(settings().tz)


def format_time(iso: object) -> str:
    """``iso`` (an ISO 8601 time stamp) as ``YYYY-MM-DD HH:MM`` in the school's time zone.

    Stamps with an offset are converted; stamps without one are taken as already local; a
    date without a time, an empty value or anything that is not a time stamp is shown as is.
    """
    text = "" if iso is None else str(iso).strip()
    if len(text) <= len("2026-01-01"):
        return text
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(school_zone())
    return moment.strftime("%Y-%m-%d %H:%M")


def now_local() -> str:
    """The current time as ``format_time`` shows it (for "generated at" lines)."""
    return format_time(dt.datetime.now(dt.UTC).isoformat())

"""The workflow's one clock: time stamps records carry (ISO 8601, UTC), like the store's
``updated_at``, and the school's calendar date ("today" in ``VANGUARD_TZ``) that dated steps
such as the 公示 period are judged by.

A service that judges dates takes ``today`` as a replaceable callable defaulting to
:func:`today`, so a unit test injects a fixed date. A browser test cannot reach into the app
process: there the test-only setting ``VANGUARD_TODAY_FILE`` names a file whose ``YYYY-MM-DD``
content is today's date while it holds one (read on every call, so the test moves the app's
calendar on without restarting it). Production leaves it unset.
"""

from __future__ import annotations

import datetime as dt

from core.settings import settings
from i18n.times import school_zone


def now_iso() -> str:
    """Current UTC time as ISO 8601 with microseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in the school's time zone (``VANGUARD_TZ``), not the server's: a server
    on UTC would still be on yesterday until 08:00 in Beijing. ``now``: the moment (default:
    this one). The test-only ``VANGUARD_TODAY_FILE`` replaces it while that file holds a date."""
    path = settings().today_file
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError:
            text = ""
        if text:
            return dt.date.fromisoformat(text)
    return (now or dt.datetime.now(dt.UTC)).astimezone(school_zone()).date()


def current_year() -> int:
    """This year by the school's calendar (campaigns are named by school year)."""
    return today().year

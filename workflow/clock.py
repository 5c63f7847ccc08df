"""The time stamps workflow records carry (ISO 8601, UTC), like the store's ``updated_at``."""

from __future__ import annotations

import datetime as dt


def now_iso() -> str:
    """Current UTC time as ISO 8601 with microseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def current_year() -> int:
    """This year by the local calendar (campaigns are named by school year)."""
    return dt.date.today().year

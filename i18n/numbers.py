"""Ratios as people read them: percentages with at most one decimal (94.4%, 30%)."""

from __future__ import annotations

import math


def format_percent(ratio: object) -> str:
    """``ratio`` (0.944, 0.3, "0.9234") as ``94.4%`` / ``30%``; anything else as text, "" for None.

    One decimal at most, and none when it is zero, so a quota of 0.3 reads 30%, never 30.0%.
    """
    if ratio is None or isinstance(ratio, bool):
        return "" if ratio is None else str(ratio)
    try:
        number = float(ratio)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(ratio)
    if not math.isfinite(number):
        return str(ratio)
    text = f"{number * 100:.1f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text}%"

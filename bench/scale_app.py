"""The app's side of ``python -m bench scale``: a fresh process serving one store, as a server
that just started would.

The child (``python -m bench.scale_app URL LOGIN PASSWORD STARTED RERUNS``) drives the whole app
(``router.py``) in AppTest: the first page (cold start: from the parent starting the process,
so Python, imports and loading the store count), signing in, the process's resident memory
after sign-in, then the heavy screens — home, review queue, rule checks, audit log — each
opened and then rerun ``RERUNS`` times (what every click on it costs). It prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROUTER = Path(__file__).resolve().parents[1] / "router.py"
SCREENS = {
    "home": "pages/home.py",
    "review queue": "pages/review.py",
    "rule checks": "pages/review_checks.py",
    "audit log": "pages/audit.py",
}


def rss_mb() -> float:
    """This process's resident memory in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def app_figures(url: str, login: str, password: str, reruns: int = 3) -> dict[str, float]:
    """Start a child on ``url`` and return its figures (seconds, MB)."""
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale_app", url, login, password, str(started), str(reruns)],
        env={**os.environ, "VANGUARD_DB": url},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROUTER.parent,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        raise RuntimeError(f"app child failed on {url}: {done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(lines[-1])
    return figures


def _child(login: str, password: str, started: float, reruns: int) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    from i18n import t

    at = AppTest.from_file(str(ROUTER), default_timeout=1800)
    _run(at)
    figures: dict[str, Any] = {"cold start to first page": time.time() - started}
    at.text_input(key="login_name").input(login)
    at.text_input(key="login_password").input(password)
    submit = {t("pages.login.submit"), t("pages.login.submit", "en")}
    next(b for b in at.button if b.label in submit).click()
    _run(at)
    figures["RSS after sign-in (MB)"] = rss_mb()
    for name, path in SCREENS.items():
        at.switch_page(path)
        _run(at)
        times = []
        for _ in range(reruns):
            began = time.perf_counter()
            _run(at)
            times.append(time.perf_counter() - began)
        figures[f"rerun: {name}"] = statistics.median(times)
    return figures


def _run(at: Any) -> None:
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].message)


if __name__ == "__main__":
    _, _url, who, secret, since, count = sys.argv
    print(json.dumps(_child(who, secret, float(since), int(count))))

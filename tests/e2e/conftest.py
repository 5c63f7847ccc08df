"""Start the real app (``streamlit run app.py``: ``router.py`` and its cookie routes) on a
temporary TinyDB store, and chromium.

The server runs as a subprocess on a free port; the browser is Debian's chromium driven by
Playwright. Screenshots of each step go to ``/tmp/e2e-shots/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from storage.factory import open_repository
from workflow.setup import seed_demo

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path("/tmp/e2e-shots")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


@pytest.fixture(scope="module")
def passwords(store_url: str) -> dict[str, str]:
    """The demo campaign, loaded before the app starts (ask for it before ``app_url``); a
    journey that needs more in its store defines its own."""
    repo = open_repository(store_url)
    try:
        return seed_demo(repo)
    finally:
        repo.close()


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"tinydb:///{tmp_path_factory.mktemp('e2e-store') / 'db.json'}"


@pytest.fixture(scope="module")
def server_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the app server's console output goes (the setup token is printed there)."""
    return tmp_path_factory.mktemp("e2e-log") / "streamlit.log"


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    """More environment for the app server; a journey module overrides it to set a test-only
    setting (``VANGUARD_TODAY_FILE``)."""
    return {}


@pytest.fixture(scope="module")
def app_url(store_url: str, server_log: Path, server_env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    log_path = server_log
    env = {**os.environ, "VANGUARD_DB": store_url, "PYTHONUNBUFFERED": "1", **server_env}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
    ]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    (SHOTS / "streamlit.log").parent.mkdir(parents=True, exist_ok=True)
    (SHOTS / "streamlit.log").write_bytes(log_path.read_bytes())


@pytest.fixture
def setup_url(page: Page, app_url: str, server_log: Path) -> str:
    """The first-run link the server printed on its console (``/?token=…``), as the operator
    reads it there; the first visit makes the app print it."""
    page.goto(app_url)
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=30_000)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = re.search(r"\?token=([\w-]+)", server_log.read_text(encoding="utf-8"))
        if found:
            return f"{app_url}/?token={found.group(1)}"
        time.sleep(0.2)
    raise AssertionError(f"no setup link in the server's console output ({server_log})")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-system-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> dict[str, int]:
    """The browser window's size; a journey module overrides it to try another screen."""
    return {"width": 1400, "height": 1000}


@pytest.fixture
def page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)  # a rerun on a busy 2-core runner can take seconds
    yield page
    context.close()

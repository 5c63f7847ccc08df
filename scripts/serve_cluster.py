"""Serve Vanguard from several app processes on one PostgreSQL store behind HAProxy.

    python scripts/serve_cluster.py --db postgresql://user:pass@host/db --processes 3 --port 8501

starts ``--processes`` ``streamlit run app.py`` servers on the ports after ``--port`` and, with
more than one, HAProxy on ``--port`` in front of them, balancing new browsers round robin and
keeping each browser on its process with a cookie (``VANGUARD_NODE``). Why the stickiness:
sign-in sessions live in the store, so any process resumes them, but a Streamlit session's
widgets, uploads (``/_stcore/upload_file``) and downloads (``/media``) live in the memory of the
process that serves its websocket. With ``--processes 1`` it serves one process on ``--port``
and no proxy. Runs until interrupted (Ctrl-C or SIGTERM), then stops everything it started.
See docs/deployment.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAPROXY_CONFIG = """\
global
    maxconn 4096

defaults
    mode http
    option forwardfor
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h

frontend vanguard
    bind {host}:{port}
    default_backend apps

backend apps
    balance roundrobin
    option httpchk GET /_stcore/health
    cookie VANGUARD_NODE insert indirect nocache httponly
{servers}
"""


def haproxy_config(host: str, port: int, app_ports: list[int]) -> str:
    """The HAProxy configuration for ``app_ports`` behind ``host:port`` (sticky by cookie)."""
    servers = "\n".join(
        f"    server app{n} 127.0.0.1:{p} check cookie app{n}" for n, p in enumerate(app_ports, 1)
    )
    return HAPROXY_CONFIG.format(host=host, port=port, servers=servers)


def wait_healthy(url: str, children: list[subprocess.Popen[bytes]], timeout: float) -> None:
    """Wait until ``url``/_stcore/health answers 200; fail if a child exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children:
            if child.poll() is not None:
                raise SystemExit(f"a server exited with status {child.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} not healthy after {timeout:.0f} s")


def app_process(host: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """One ``streamlit run app.py`` on ``host:port``, its output in ``log``."""
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", host, "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def main(argv: list[str] | None = None) -> int:
    """Start the processes (and the proxy), wait until interrupted, stop them all."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="the store's URL (VANGUARD_DB of each process)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--host", default="127.0.0.1", help="where the proxy listens")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--logs", type=Path, default=None, help="folder for the servers' output")
    args = parser.parse_args(argv)
    if args.processes > 1 and not args.db.startswith("postgresql"):
        parser.error("several processes need the PostgreSQL store (--db postgresql://…)")
    if args.processes > 1 and shutil.which("haproxy") is None:
        parser.error("HAProxy is missing: apt-get install haproxy (scripts/install-system-deps.sh)")
    logs = args.logs or Path(tempfile.mkdtemp(prefix="vanguard-cluster-"))
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "VANGUARD_DB": args.db, "PYTHONUNBUFFERED": "1"}
    single = args.processes == 1
    app_ports = [args.port] if single else [args.port + n for n in range(1, args.processes + 1)]
    app_host = args.host if single else "127.0.0.1"  # behind the proxy: not reachable directly
    children = [app_process(app_host, p, env, logs / f"app-{p}.log") for p in app_ports]
    stop = {"now": False}

    def interrupted(signum: int, frame: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    try:
        for port in app_ports:
            wait_healthy(f"http://127.0.0.1:{port}", children, timeout=120)
        if not single:
            config = logs / "haproxy.cfg"
            config.write_text(haproxy_config(args.host, args.port, app_ports), encoding="utf-8")
            with open(logs / "haproxy.log", "wb") as out:
                children.append(
                    subprocess.Popen(
                        ["haproxy", "-db", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT
                    )
                )
            wait_healthy(f"http://127.0.0.1:{args.port}", children, timeout=30)
        print(
            f"Vanguard: http://{args.host}:{args.port} ({args.processes} process"
            f"{'es' if args.processes > 1 else ''}; logs in {logs})",
            flush=True,
        )
        while not stop["now"] and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        for child in reversed(children):
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

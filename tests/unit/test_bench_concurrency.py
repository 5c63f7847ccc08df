"""The concurrency benchmark's lost-write check and the cluster script's proxy configuration:
a benchmark that cannot see a lost write, or a proxy that does not pin a browser to its
process, would measure nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bench.concurrency import Account, Outcome, lost_writes, typed_title
from storage.factory import open_repository

ROOT = Path(__file__).resolve().parents[2]
PLAN = {
    "title": "示例方案",
    "goals": "全年组织专题学习十次",
    "organisation": None,
    "schedule": [{"stage": "launch", "tasks": "动员"}],
}


def _store(tmp_path: Path, saved: list[dict[str, object]]) -> tuple[str, list[Account]]:
    url = f"tinydb:///{tmp_path / 'v.json'}"
    repo = open_repository(url)
    accounts = []
    for n, doc in enumerate(saved):
        stored = repo.insert("submissions", doc, actor="t")
        accounts.append(Account(f"branch{n + 1}", f"支部{n + 1}", stored["id"], dict(PLAN)))
    repo.close()
    return url, accounts


def test_a_field_lost_after_the_screen_said_saved_is_counted_and_named(tmp_path: Path) -> None:
    account = Account("x", "x", "x", dict(PLAN))
    as_saved = {**PLAN, "title": typed_title(account), "organisation": ""}
    # the editor stores a blank field as "" and a row's unused name: not a loss
    as_saved["schedule"] = [{"stage": "launch", "tasks": "动员", "name": ""}]
    wiped = {**as_saved, "goals": ""}
    url, accounts = _store(
        tmp_path,
        [
            {"data": as_saved, "status": "submitted"},
            {"data": wiped, "status": "draft"},
            {"data": dict(PLAN), "status": "draft"},  # the screen said submitted
            {"data": dict(PLAN), "status": "draft"},  # took no part
        ],
    )
    submitted = Outcome(times={"save": 1.0, "submit": 1.0})
    outcomes = [submitted, Outcome(times={"save": 1.0}), submitted]
    assert lost_writes(url, accounts, outcomes) == [
        "branch2: goals not as saved",
        "branch3: title not as saved",
        "branch3: status draft, not submitted",
    ]


def test_the_proxy_pins_each_browser_to_its_process_by_a_cookie() -> None:
    spec = importlib.util.spec_from_file_location(
        "serve_cluster", ROOT / "scripts/serve_cluster.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = module.haproxy_config("0.0.0.0", 8501, [8502, 8503])
    assert "bind 0.0.0.0:8501" in config
    assert "cookie VANGUARD_NODE insert indirect nocache" in config
    assert "server app1 127.0.0.1:8502 check cookie app1" in config
    assert "server app2 127.0.0.1:8503 check cookie app2" in config
    assert "timeout tunnel" in config  # websockets outlive the HTTP timeouts

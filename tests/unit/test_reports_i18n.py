"""Every message the PDF reports print exists in both catalogues (i18n/*/reports.yaml)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"""["'](reports\.[a-z_.]+[a-z_])["']""")
# Keys built at run time from a fixed set of codes.
FAMILIES = {
    "reports.rules.col": ("result", "rule", "fields", "message", "points"),
    "reports.rules.outcome": ("pass", "return", "veto"),
    "reports.rules.severity": ("error", "warning", "veto"),
    "reports.reviews.col": ("at", "actor", "version", "decision", "reasons"),
    "reports.reviews.decision": ("approve", "return", "forward", "publish"),
    "reports.files": ("name", "type", "size"),
    "reports.bulletin.col": ("title", "branch", "category"),
    "reports.bulletin.credit": ("author", "photographer", "reviewer"),
    "reports.commendation.col": ("index", "name", "branch"),
    "reports.dossier.col": ("form", "total", "done", "returned", "branch"),
}


def _catalogue(lang_dir: str) -> dict[str, str]:
    path = ROOT / "i18n" / lang_dir / "reports.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _used_keys() -> set[str]:
    used: set[str] = set()
    for source in (ROOT / "reports").glob("*.py"):
        used |= set(KEY.findall(source.read_text(encoding="utf-8")))
    used -= set(FAMILIES)  # prefixes passed to reports.labels.coded
    for family, codes in FAMILIES.items():
        used |= {f"{family}.{code}" for code in codes}
    return used


def test_reports_catalogues_have_the_same_keys_in_chinese_and_english() -> None:
    zh, en = _catalogue("zh-CN"), _catalogue("en")
    assert set(zh) == set(en)
    assert all(key.startswith("reports.") for key in zh)


def test_every_message_key_used_by_the_reports_code_is_in_both_catalogues() -> None:
    used = _used_keys()
    assert len(used) > 50
    for lang_dir in ("zh-CN", "en"):
        missing = used - set(_catalogue(lang_dir))
        assert not missing, f"{lang_dir}: {sorted(missing)}"

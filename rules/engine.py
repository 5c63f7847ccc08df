"""The public face of the rules package: load rule sets and check forms.

``check(form_type, data)`` is what workflow services call; it finds the form's rule set
(``FormModel.ruleset`` → ``rules/<name>.yaml``), compiled once per file content and reused.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from forms import registry
from rules.compiler import compile_text
from rules.errors import RuleSetNotFound
from rules.report import RuleReport
from rules.ruleset import RuleSet
from rules.similarity import Comparable

__all__ = [
    "RULES_DIR",
    "Comparable",
    "RuleSet",
    "check",
    "load_ruleset",
    "load_text",
    "ruleset_for",
    "shipped_rulesets",
    "use_published",
]

RULES_DIR = Path(__file__).parent

_lock = threading.Lock()
_by_stat: dict[tuple[str, int, int], RuleSet] = {}
_by_content: dict[str, RuleSet] = {}
_published: Callable[[str], str | None] | None = None


def use_published(lookup: Callable[[str], str | None] | None) -> None:
    """Make ``ruleset_for``/``check`` use published versions: ``lookup(name)`` returns the
    published text of a rule set, or None to fall back to the shipped file. The app wires
    ``RuleSetService.published_text`` here; None restores the shipped files only."""
    global _published
    _published = lookup


def shipped_rulesets() -> list[Path]:
    """The rule files shipped in ``rules/``, by name."""
    return sorted(RULES_DIR.glob("*.yaml"))


def resolve_path(name_or_path: str | Path) -> Path:
    """``plan_quality`` → ``rules/plan_quality.yaml``; a path is taken as it is."""
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(text)
    else:
        path = RULES_DIR / f"{text}.yaml"
    if not path.is_file():
        raise RuleSetNotFound(text, [p.stem for p in shipped_rulesets()])
    return path


def load_text(text: str, label: str = "<rules>") -> RuleSet:
    """Compile rule-file text (e.g. a stored version); cached by content."""
    key = hashlib.sha256(f"{label}\0{text}".encode()).hexdigest()
    with _lock:
        cached = _by_content.get(key)
    if cached is not None:
        return cached
    ruleset = compile_text(text, label)
    with _lock:
        _by_content[key] = ruleset
    return ruleset


def load_ruleset(name_or_path: str | Path) -> RuleSet:
    """A rule set by name or path, compiled once per file content.

    Raises ``RuleSetNotFound`` or ``RuleLoadError`` (whose ``problems`` say ``file:line``).
    """
    path = resolve_path(name_or_path)
    stat = path.stat()
    stat_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _by_stat.get(stat_key)
    if cached is not None:
        return cached
    ruleset = load_text(path.read_text(encoding="utf-8"), str(path))
    with _lock:
        _by_stat[stat_key] = ruleset
    return ruleset


def ruleset_for(form_type: str) -> RuleSet | None:
    """The rule set that checks ``form_type`` (None if it has none); raises UnknownFormType."""
    name = registry.get(form_type).ruleset
    if not name:
        return None
    text = _published(name) if _published is not None else None
    return load_text(text, f"{name}.yaml") if text else load_ruleset(name)


def check(
    form_type: str,
    data: Mapping[str, Any],
    *,
    others: Iterable[Comparable | Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
) -> RuleReport | None:
    """Check one form's data (its ``model_dump(mode="json")``) with its rule set.

    ``others`` are the documents to compare with for "没有特色" (other branches' plans in the
    same campaign, the branch's own from the previous one). ``settings`` overrides thresholds of
    the rule file. Returns None when the form type has no rule set.
    """
    ruleset = ruleset_for(form_type)
    if ruleset is None:
        return None
    return ruleset.check(data, others=others, settings=settings)

"""The public face of the rules package: load rule sets and check forms.

``check(form_type, data)`` finds the form's rule set (``FormModel.ruleset`` →
``rules/<name>.yaml``), compiled once per file content and reused. A rule set is type-checked
against one version of its form: ``load_text``/``load_ruleset`` take the ``form_version`` a
submission was filled in, and ``check_version`` turns a rule set that does not fit that version
into a clear rule-set-level warning (``misfit_report``) instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from forms.base import FormModel
from forms.registry import FormRegistry, UnknownFormType, default_registry
from i18n import t
from rules.compiler import compile_text, header
from rules.errors import Problem, RuleLoadError, RuleSetNotFound
from rules.report import RuleReport, RuleResult
from rules.ruleset import RuleSet
from rules.similarity import Comparable

__all__ = [
    "MISFIT_RULE",
    "RULES_DIR",
    "Comparable",
    "RuleSet",
    "check",
    "check_version",
    "load_ruleset",
    "load_text",
    "misfit_report",
    "ruleset_for",
    "shipped_rulesets",
    "shipped_text",
]

RULES_DIR = Path(__file__).parent
# The result id of a rule set that does not type-check against the form version it checks.
MISFIT_RULE = "ruleset.form_version"

_lock = threading.Lock()
_text_by_stat: dict[tuple[str, int, int], str] = {}
# (label + text digest, form model) → compiled rule set; the digest → the form it names.
_by_content: dict[tuple[str, type[FormModel]], RuleSet] = {}
_form_of: dict[str, str] = {}


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


def _model_of(
    form: str, form_version: int | None, forms: FormRegistry | None
) -> type[FormModel] | None:
    try:
        return (forms or default_registry()).get(form, form_version)
    except UnknownFormType:
        return None


def load_text(
    text: str,
    label: str = "<rules>",
    form_version: int | None = None,
    forms: FormRegistry | None = None,
) -> RuleSet:
    """Compile rule-file text (e.g. a stored version) against ``form_version`` of its form in
    ``forms`` (default: the current version; ``default_registry()``); cached by content and form
    model, so a form version registered again (or a new current version) gets a fresh compile.

    Raises ``RuleLoadError``, e.g. when the rule set does not type-check against that version.
    """
    key = hashlib.sha256(f"{label}\0{text}".encode()).hexdigest()
    with _lock:
        form = _form_of.get(key)
    model = _model_of(form, form_version, forms) if form is not None else None
    if model is not None:
        with _lock:
            cached = _by_content.get((key, model))
        if cached is not None:
            return cached
    ruleset = compile_text(text, label, form_version, forms)
    with _lock:
        _form_of[key] = ruleset.form
        _by_content[(key, ruleset.model)] = ruleset
    return ruleset


def shipped_text(name_or_path: str | Path) -> tuple[str, str]:
    """The text of a rule file by name or path and its label (the path), read once per file
    content. Raises ``RuleSetNotFound``."""
    path = resolve_path(name_or_path)
    stat = path.stat()
    stat_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    with _lock:
        text = _text_by_stat.get(stat_key)
    if text is None:
        text = path.read_text(encoding="utf-8")
        with _lock:
            _text_by_stat[stat_key] = text
    return text, str(path)


def load_ruleset(
    name_or_path: str | Path, form_version: int | None = None, forms: FormRegistry | None = None
) -> RuleSet:
    """A rule set by name or path, compiled once per file content and form version (see
    ``load_text``).

    Raises ``RuleSetNotFound`` or ``RuleLoadError`` (whose ``problems`` say ``file:line``).
    """
    return load_text(*shipped_text(name_or_path), form_version, forms)


def misfit_report(
    text: str,
    label: str,
    form_version: int | None,
    problems: Sequence[Problem],
    forms: FormRegistry | None = None,
) -> RuleReport:
    """The report of a rule set that does not type-check against ``form_version`` of its form
    (default: the current version): one failed ``warning`` result, ``ruleset.form_version``,
    naming the rule set, the form version and what does not fit.

    A warning, not an error: the branch cannot fix a rule set that does not fit the version of
    the form it filled in, so its submission is not blocked; the reviewer sees that the rules
    did not run and checks by hand, and an admin can publish a version that fits.
    """
    spec, digest = header(text, label)
    model = _model_of(spec.form, form_version, forms)
    number = model.form_version if model is not None else form_version
    title_zh = model.title_zh if model is not None else spec.form
    title_en = model.title_en if model is not None else spec.form
    details = "; ".join(p.message for p in problems[:3]) + ("…" if len(problems) > 3 else "")
    values = {"name": spec.name, "version": spec.version, "form_version": number}
    return RuleReport(
        ruleset=spec.name,
        version=str(spec.version),
        hash=digest,
        form=spec.form,
        passed=True,
        decision="pass",
        results=[
            RuleResult(
                rule=MISFIT_RULE,
                severity="warning",
                passed=False,
                message=t("rules.misfit", "zh", form=title_zh, details=details, **values),
                message_en=t("rules.misfit", "en", form=title_en, details=details, **values),
            )
        ],
        checked_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def check_version(
    text: str,
    label: str,
    data: Mapping[str, Any],
    *,
    form_version: int | None = None,
    others: Iterable[Comparable | Mapping[str, Any]] = (),
    forms: FormRegistry | None = None,
) -> RuleReport:
    """Check ``data`` filled in ``form_version`` of the form (default: the current version)
    with the rule-file ``text`` compiled against that version; a rule set that does not
    type-check against it gives ``misfit_report`` instead of an exception."""
    try:
        ruleset = load_text(text, label, form_version, forms)
    except RuleLoadError as exc:
        return misfit_report(text, label, form_version, exc.problems, forms)
    return ruleset.check(data, others=others)


def ruleset_for(form_type: str, forms: FormRegistry | None = None) -> RuleSet | None:
    """The shipped rule set that checks ``form_type`` of ``forms`` (default
    ``default_registry()``; None if it has none); raises UnknownFormType. Versions an admin
    published live in a store: see ``workflow.rule_sets.RuleSetService``."""
    forms = forms or default_registry()
    name = forms.form_type(form_type).ruleset
    return load_ruleset(name, forms=forms) if name else None


def check(
    form_type: str,
    data: Mapping[str, Any],
    *,
    others: Iterable[Comparable | Mapping[str, Any]] = (),
    settings: Mapping[str, Any] | None = None,
    forms: FormRegistry | None = None,
) -> RuleReport | None:
    """Check one form's data (its ``model_dump(mode="json")``) with its shipped rule set.

    ``others`` are the documents to compare with for "没有特色" (other branches' plans in the
    same campaign, the branch's own from the previous one). ``settings`` overrides thresholds of
    the rule file. Returns None when the form type has no rule set.
    """
    ruleset = ruleset_for(form_type, forms)
    if ruleset is None:
        return None
    return ruleset.check(data, others=others, settings=settings)

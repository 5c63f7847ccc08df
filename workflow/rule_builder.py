"""The rule builder's service: simple rules of a form, written into its rule set's draft.

An admin picks a form, a field, a condition, a severity, points and a message
(``rules.simple_rules``); the rule is written into the draft of the form's rule set (named by
the form, else a new rule set named after the form) through ``RuleSetService.save_draft``, so
the draft is linted and its tests run as for any edit; the impact preview and publishing are the
rule set's own. Rules the builder cannot show exactly stay text, listed read-only.

Publishing a rule set the form's current version does not name yet also publishes the form's
next version naming it (YAML forms only; a published form version is never changed in place);
from then on it checks the form's every version that names no rule set of its own
(``FormType.ruleset_at``), so drafts started on an earlier version are checked when submitted,
and the impact preview counts those forms. A built-in Python form naming no rule set cannot be
linked so: the builder refuses to write rules for it (copy it as a new form to add rules).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml
from pydantic import BaseModel

from forms import yaml_lines
from forms.builder import from_yaml, to_yaml
from forms.specs import FieldSpec, describe
from forms.yaml_definitions import MONTH_PATTERN
from i18n import Lang, t
from rules.errors import RuleLoadError, RuleSetNotFound
from rules.simple_rules import (
    DEFAULT_PHRASES,
    LIST_KINDS,
    MONTH,
    ROW,
    SEVERITIES,
    YES_NO,
    SimpleRule,
    conditions_for,
    from_rule,
    new_rule_set,
    problems,
    remove,
    suggested_message,
    to_rule,
    upsert,
)
from workflow.batch_checks import BatchCheckService
from workflow.errors import DomainError
from workflow.form_definitions import FormDefinitions, source_of
from workflow.impact import ImpactRow
from workflow.models import User
from workflow.permissions import may_build_forms, require
from workflow.rule_sets import DraftCheck, RuleSetService

# What the screen needs of rules/ comes through this service (pages import no rules/).
__all__ = [
    "DEFAULT_PHRASES",
    "SEVERITIES",
    "CopyChoice",
    "FieldChoice",
    "FormRules",
    "RuleBuilderService",
    "RuleSource",
    "SimpleRule",
]
MAX_RULES = 300  # rules read from one rule set for the builder's lists


@dataclass(frozen=True)
class FieldChoice:
    """A field a simple rule can check (``name``: its dotted path), and the conditions that
    fit it (``kind``: as ``rules.simple_rules.conditions_for`` knows it)."""

    name: str
    label: str
    kind: str
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class RuleSource:
    """A rule-set version the builder copies simple rules from: a published version (of
    this or an earlier campaign) or the file shipped in ``rules/`` (number 0)."""

    name: str
    number: int
    version: str


@dataclass(frozen=True)
class CopyChoice:
    """The rules of a source as offered for copying into a form: the simple rules that fit
    its fields, and the ids of the others (written by hand, or naming fields it lacks)."""

    fitting: tuple[SimpleRule, ...]
    not_fitting: tuple[str, ...]


@dataclass(frozen=True)
class FormRules:
    """A form's rule set as the builder shows it: simple rules, complex rules (text) and the
    draft's revision to save against."""

    name: str
    simple: tuple[SimpleRule, ...]
    complex: tuple[tuple[str, str], ...]  # (id, YAML), read-only
    text: str
    rev: int


class RuleBuilderService:
    """Simple rules of a form's rule set (admins only)."""

    def __init__(
        self,
        rule_sets: RuleSetService,
        definitions: FormDefinitions,
        batch_checks: BatchCheckService,
    ) -> None:
        """The rule sets written to, the forms (and their next versions), the impact preview."""
        self.rule_sets = rule_sets
        self.definitions = definitions
        self.batch_checks = batch_checks
        self.forms = definitions.forms

    def _require(self, actor: User) -> None:
        require(may_build_forms(actor), actor, "builder.error.denied")

    def rule_set_name(self, form_type: str) -> str:
        """The rule set of ``form_type``: the one its current version names, else its name."""
        return self.forms.form_type(form_type).ruleset or form_type

    def fields(self, actor: User, form_type: str) -> list[FieldChoice]:
        """The form's fields a simple rule can check, with the conditions that fit each:
        top-level ones, those of its sections (``detail.summary``), each repeat group (至少
        N 项) and the fields of its rows (``items.owner``: held to the condition in every
        row)."""
        self._require(actor)
        return list(_choices(self.forms.get(form_type), actor.lang))

    def rules(self, actor: User, form_type: str) -> FormRules:
        """The draft (else the rules in force, else nothing yet) split into simple and complex."""
        self._require(actor)
        name = self.rule_set_name(form_type)
        text = self._text(actor, name)
        kinds = {f.name: f.kind for f in self.fields(actor, form_type)}
        simple: list[SimpleRule] = []
        complex_: list[tuple[str, str]] = []
        for rule in _rules_of(text):
            built = from_rule(rule, kinds)
            if built is not None:
                simple.append(built)
            else:
                shown = yaml.safe_dump(rule, allow_unicode=True, sort_keys=False)
                complex_.append((str(rule.get("id")), shown))
        return FormRules(name, tuple(simple), tuple(complex_), text, self.rule_sets.draft_rev(name))

    def _text(self, actor: User, name: str) -> str:
        if name in self.rule_sets.names():
            return self.rule_sets.draft_text(actor, name)
        return ""

    def suggestion(self, actor: User, form_type: str, rule: SimpleRule) -> tuple[str, str]:
        """The suggested wording (zh, en) of ``rule``."""
        model = self.forms.get(form_type)
        zh = {c.name: c for c in _choices(model, "zh")}
        en = {c.name: c.label for c in _choices(model, "en")}
        choice = zh.get(rule.field)
        kind = choice.kind if choice else ""
        label_zh = choice.label if choice else rule.field
        label_en = en.get(rule.field, rule.field)
        return (
            suggested_message(rule, label_zh, "zh", kind),
            suggested_message(rule, label_en, "en", kind),
        )

    def save_rule(
        self, actor: User, form_type: str, rule: SimpleRule, *, base_rev: int
    ) -> DraftCheck:
        """Write ``rule`` (new, or replacing the rule of its id) into the draft of the form's
        rule set and return the draft's check (lint, tests). ``DomainError`` for a rule the
        builder refuses (nothing saved); ``DraftConflict`` when the draft changed since
        ``base_rev``."""
        self._require(actor)
        self._links(actor, form_type, self.rule_set_name(form_type))
        kinds = {f.name: f.kind for f in self.fields(actor, form_type)}
        found = problems(rule, kinds.get(rule.field), actor.lang)
        if found:
            raise DomainError("\n".join(found))
        suggested = self.suggestion(actor, form_type, rule)
        rule = replace(
            rule,
            id=rule.id.replace(".", "_"),  # a rule id is a name: a dotted path is not one
            message_zh=rule.message_zh.strip() or suggested[0],
            message_en=rule.message_en.strip() or suggested[1],
        )
        name = self.rule_set_name(form_type)
        text = self._text(actor, name)
        if not text.strip():
            title = self.forms.get(form_type).title_zh
            text = new_rule_set(name, form_type, title)
        text = upsert(text, to_rule(rule, kinds[rule.field]))
        return self.rule_sets.save_draft(actor, name, text, base_rev=base_rev)

    def remove_rule(
        self, actor: User, form_type: str, rule_id: str, *, base_rev: int
    ) -> DraftCheck:
        """Take the rule ``rule_id`` out of the draft and return the draft's check."""
        self._require(actor)
        name = self.rule_set_name(form_type)
        text = remove(self._text(actor, name), rule_id)
        return self.rule_sets.save_draft(actor, name, text, base_rev=base_rev)

    def copy_sources(self, actor: User) -> list[RuleSource]:
        """Every rule-set version simple rules can be copied from: each published version
        (newest first) and the file shipped in ``rules/``, by rule set."""
        self._require(actor)
        return [
            RuleSource(name, int(row["number"]), str(row.get("version") or ""))
            for name in self.rule_sets.names()
            for row in self._versions(actor, name)
        ]

    def _versions(self, actor: User, name: str) -> list[dict[str, Any]]:
        try:
            return self.rule_sets.history(actor, name)
        except (RuleSetNotFound, RuleLoadError):  # one broken set must not hide the others
            return self.rule_sets.versions(name)

    def copy_choice(self, actor: User, form_type: str, source: RuleSource) -> CopyChoice:
        """The simple rules of ``source`` that fit ``form_type`` (its field, of a type the
        condition fits) and the ids of those that do not."""
        self._require(actor)
        kinds = {f.name: f.kind for f in self.fields(actor, form_type)}
        fitting: list[SimpleRule] = []
        not_fitting: list[str] = []
        for rule in _rules_of(self.rule_sets.version_text(source.name, source.number)):
            built = from_rule(rule, kinds)
            if built is None:
                not_fitting.append(str(rule.get("id")))
            else:
                fitting.append(built)
        return CopyChoice(tuple(fitting), tuple(not_fitting))

    def copy_rules(
        self,
        actor: User,
        form_type: str,
        source: RuleSource,
        rule_ids: Sequence[str],
        *,
        base_rev: int,
    ) -> DraftCheck:
        """Add the ticked simple rules ``rule_ids`` of ``source`` to the draft of the form's
        rule set and return the draft's check; it still needs its tests, the impact preview
        and publishing. ``DomainError`` naming the rules (nothing saved) when one is not a
        fitting rule of the source or the draft already holds a rule of its id."""
        self._require(actor)
        self._links(actor, form_type, self.rule_set_name(form_type))
        offered = {r.id: r for r in self.copy_choice(actor, form_type, source).fitting}
        unknown = [i for i in rule_ids if i not in offered]
        if unknown or not rule_ids:
            ids = "、".join(unknown) or "-"
            raise DomainError.keyed("builder.copy.not_offered", actor.lang, ids=ids)
        name = self.rule_set_name(form_type)
        text = self._text(actor, name) or new_rule_set(
            name, form_type, self.forms.get(form_type).title_zh
        )
        held = {str(r.get("id")) for r in _rules_of(text)}
        clash = [i for i in rule_ids if i in held]
        if clash:
            raise DomainError.keyed(
                "builder.copy.clash", actor.lang, ids="、".join(clash), name=name
            )
        kinds = {f.name: f.kind for f in self.fields(actor, form_type)}
        for rule_id in dict.fromkeys(rule_ids):
            rule = offered[rule_id]
            text = upsert(text, to_rule(rule, kinds[rule.field]))
        return self.rule_sets.save_draft(actor, name, text, base_rev=base_rev)

    def _links(self, actor: User, form_type: str, name: str) -> bool:
        """Whether publishing rule set ``name`` also links ``form_type`` to it (its current
        version names no rule set or another). A built-in Python form cannot get a version
        naming it: ``DomainError`` saying so, before any rule is written."""
        model = self.forms.get(form_type)
        if model.ruleset == name:
            return False
        if source_of(model) == "builtin":
            raise DomainError.keyed(
                "builder.rules.builtin_unlinked", actor.lang, form=model.title_in(actor.lang)
            )
        return True

    def impact(self, actor: User, form_type: str) -> tuple[int, list[ImpactRow]]:
        """The impact preview of the draft: submitted forms whose outcome would change once
        published, following the link the publish makes (``FormType.ruleset_at``)."""
        self._require(actor)
        name = self.rule_set_name(form_type)
        linking = self._links(actor, form_type, name)
        text = self.rule_sets.draft_text(actor, name)
        return self.batch_checks.preview_impact(actor, name, text, linking=linking)

    def publish(self, actor: User, form_type: str, *, base_rev: int) -> tuple[int, int | None]:
        """Publish the draft (``RuleSetService.publish``: refused with problems or failing
        tests) and, when the form's current version does not name this rule set, publish the
        form's next version naming it first. Returns the rule set's version number and the new
        form version (None when none was needed).

        Link and publish stand or fall together: the draft is checked as publishing checks
        it, then the linked form version is saved, then the rule set published, all inside
        ``RuleSetService.writing`` so no draft is saved in between; when the form version
        cannot be saved nothing is published and the draft is kept. A built-in form
        naming no rule set is refused (``DomainError``) before anything is stored."""
        self._require(actor)
        name = self.rule_set_name(form_type)
        if not self._links(actor, form_type, name):
            return self.rule_sets.publish(actor, name, base_rev=base_rev), None
        with self.rule_sets.writing():  # no draft saved between the check and the publish
            self.rule_sets.require_publishable(actor, name, base_rev=base_rev)
            model = self.forms.get(form_type)
            text = self.definitions.text_of(actor, form_type, model.form_version)
            linked = replace(
                from_yaml(text),
                ruleset=name,
                form_version=self.definitions.next_version(form_type),
            )
            version = self.definitions.save(actor, to_yaml(linked)).form_version
            return self.rule_sets.publish(actor, name, base_rev=base_rev), version


def _choices(
    model: type[BaseModel], lang: Lang, prefix: str = "", parent: str = ""
) -> Iterator[FieldChoice]:
    """The fields of ``model`` a simple rule can check, by dotted path (``fields``)."""
    for spec in describe(model):
        if not spec.stores_value:
            continue
        path, label = f"{prefix}{spec.name}", spec.label(lang)
        if parent:
            label = t("builder.rules.nested_label", lang, parent=parent, field=label)
        if spec.kind == "section":
            if spec.model is not None:
                yield from _choices(spec.model, lang, f"{path}.", label)
            continue
        kind = _rule_kind(model, spec)
        yield FieldChoice(path, label, kind, conditions_for(kind))
        if spec.kind == "repeat" and spec.model is not None:
            for row in describe(spec.model):
                row_kind = _rule_kind(spec.model, row)
                if not row.stores_value or row.model is not None or row_kind in LIST_KINDS:
                    continue  # a list or a nested part in a row: written by hand
                row_label = t("builder.rules.row_label", lang, group=label, field=row.label(lang))
                kind = ROW + row_kind
                yield FieldChoice(f"{path}.{row.name}", row_label, kind, conditions_for(kind))


def _rule_kind(model: type[BaseModel], spec: FieldSpec) -> str:
    """The kind ``rules.simple_rules`` knows ``spec`` by: its ``forms.specs`` kind, except a
    YAML month (text of pattern YYYY-MM) and a yes/no that may be left unanswered."""
    if spec.kind == "bool" and spec.optional:
        return YES_NO
    if spec.kind == "text":
        info = model.model_fields.get(spec.name)
        patterns = {getattr(m, "pattern", None) for m in (info.metadata if info else [])}
        if MONTH_PATTERN in patterns:
            return MONTH
    return spec.kind


def _rules_of(text: str) -> list[dict[str, Any]]:
    """The rule mappings of a rule file (at most ``MAX_RULES``), none when it is broken."""
    loaded = _safe_load(text)
    raw = loaded.get("rules") if isinstance(loaded, dict) else None
    return [r for r in (raw if isinstance(raw, list) else [])[:MAX_RULES] if isinstance(r, dict)]


def _safe_load(text: str) -> Any:
    """The rule file as plain data (the bounded safe loader: admin text), {} when broken."""
    try:
        loaded = yaml_lines.load(text) if text.strip() else {}
    except yaml.YAMLError:
        return {}
    return json.loads(json.dumps(loaded, default=str))  # plain dicts and lists

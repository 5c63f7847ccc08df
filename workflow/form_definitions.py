"""Forms an admin defines in YAML, kept in the store and registered as new form versions.

Documents of kind ``form_definitions``: ``{form_type, form_version, text}``. Saving checks and
compiles the YAML (``forms.yaml_definitions.load_text``), refuses a version that already exists
(old submissions keep theirs) and registers the model in this store's ``FormRegistry`` (never in
another store's); ``register_stored`` loads every stored definition into it at start-up and
``sync`` picks up those another app process saved (``workflow.services.build_services`` wires
both, so pages never call them).

A registered form type is one of three sources: ``builtin`` (a Python model in ``forms/``),
``shipped`` (``forms/definitions/*.yaml``) or ``stored`` (saved here). Built-in Python models
carry validators and computed fields a YAML definition cannot express, so they are not
redefined here; YAML forms (shipped or stored) get new versions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from forms.base import FormModel
from forms.definition_checks import CONTAINER_TYPES
from forms.registry import FormRegistry, UnknownFormType
from forms.specs import describe
from forms.yaml_definitions import FOLDER, FormDefinitionError, load_text
from i18n import t
from storage.base import Repository
from workflow.campaigns import CampaignService
from workflow.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from workflow.form_types import standard_forms
from workflow.models import User
from workflow.permissions import is_admin
from workflow.rule_sets import RuleSetService
from workflow.similarity_corpus import SUBMITTED_STATES, submitted_data

KIND = "form_definitions"
SUBMISSIONS = "submissions"
Source = Literal["builtin", "shipped", "stored"]
log = logging.getLogger("vanguard.form_definitions")

# Where an admin starts a form from scratch: every common kind of field once, with comments.
NEW_DEFINITION = """\
# 新表单定义:改好后点"保存为新版本"。字段类型见 docs/forms.md。
form_type: new_form            # 英文小写字母、数字和下划线,保存后不可更改
form_version: 1
title: {zh: 新表单, en: New form}
stage: implement               # launch / implement / evaluate
fields:
  - name: branch
    type: text
    label: {zh: 支部, en: Branch}
    required: true
    max_length: 100
  - name: date
    type: date
    label: {zh: 日期, en: Date}
    required: true
  - name: kind
    type: select
    label: {zh: 类别, en: Kind}
    options:
      - {value: 学习, en: Study}
      - {value: 实践, en: Practice}
  - name: notes
    type: textarea
    label: {zh: 情况说明, en: Notes}
    max_length: 2000
"""


@dataclass(frozen=True)
class DefinitionVersion:
    """One registered version of a form type, as the admin page lists it."""

    form_type: str
    form_version: int
    title_zh: str
    title_en: str
    stage: str
    source: Source
    current: bool
    saved_by: str = ""
    saved_at: str = ""


@dataclass(frozen=True)
class FieldChange:
    """A field of the version in force that a new version removes or gives another type, and
    how many submitted forms hold a value in it (``path``: dotted, through sections and repeat
    groups)."""

    path: str
    label: str
    before: str
    after: str | None  # None: removed
    affected: int


@dataclass(frozen=True)
class Preview:
    """What a definition text compiles to (``model``) or why it does not (``messages``, each
    ``file:line: message``), and the fields of the version in force it removes or retypes
    (``changes``); nothing is stored or registered."""

    model: type[FormModel] | None
    messages: tuple[str, ...]
    changes: tuple[FieldChange, ...] = ()


def source_of(model: type[FormModel]) -> Source:
    """Where a registered model comes from (see module docstring)."""
    definition = getattr(model, "definition", None)
    if not isinstance(definition, dict):
        return "builtin"
    return "stored" if getattr(model, "stored", False) else "shipped"


class FormDefinitions:
    """Save, list and register admin-defined forms."""

    def __init__(
        self,
        repo: Repository,
        forms: FormRegistry | None = None,
        rule_sets: RuleSetService | None = None,
    ) -> None:
        """``forms``: the registry this store's definitions go into (default: a new one,
        ``standard_forms()``)."""
        self.repo = repo
        self.forms = forms if forms is not None else standard_forms()
        self.rule_sets = rule_sets or RuleSetService(repo, self.forms)

    def preview(self, actor: User, text: str, source: str = "表单定义") -> Preview:
        """Check and compile ``text`` without saving it (admins only): the live preview, with
        the same checks as ``save``."""
        self._require_admin(actor)
        try:
            model = load_text(text, source, self.rule_sets.names())
        except FormDefinitionError as error:
            return Preview(None, tuple(error.messages))
        return Preview(model, (), tuple(self.changes(actor, model)))

    def title_owner(self, form_type: str, title_zh: str) -> str | None:
        """Another form type whose current version is titled ``title_zh`` (branch staff pick
        forms by title: two of one title would be told apart by nobody), None when free."""
        title = title_zh.strip()
        same = [
            ft.name
            for ft in self.forms.form_types()
            if ft.name != form_type and ft.title("zh").strip() == title
        ]
        return same[0] if same else None

    def require_free_title(self, actor: User, form_type: str, title_zh: str) -> None:
        """``DomainError`` naming the form that holds the title already (``title_owner``):
        checked when a form is created and again whenever a version is saved, so a title
        renamed after creation cannot take another form's."""
        owner = self.title_owner(form_type, title_zh)
        if owner is not None:
            raise DomainError.keyed(
                "builder.error.title_taken", actor.lang, title=title_zh.strip(), form=owner
            )

    def changes(self, actor: User, model: type[FormModel]) -> list[FieldChange]:
        """Fields of the version in force of ``model``'s form type that ``model`` removes or
        gives another type, at any depth (fields of sections and of repeat groups, and of
        groups inside sections), each with the number of submitted forms (never drafts)
        holding a value in it. Both versions are read through ``forms.specs``, so a field
        that did not change reads the same on both sides (a calculated field is ``readonly``
        in both)."""
        self._require_admin(actor)
        try:
            current = self.forms.get(model.form_type)
        except UnknownFormType:
            return []
        before = dict(_kinds_of_model(current))
        after = {path: kind for path, (kind, _) in _kinds_of_model(model)}
        changed = [
            (path, kind, after.get(path))
            for path, (kind, _) in before.items()
            if after.get(path) != kind
        ]
        if not changed:
            return []
        data = [
            submitted_data(d)
            for d in self.repo.find(SUBMISSIONS, {"form_type": model.form_type})
            if d.get("status") in SUBMITTED_STATES
        ]
        return [
            FieldChange(
                path,
                before[path][1],
                kind,
                new_kind,
                sum(1 for d in data if _holds_value(d, path.split("."))),
            )
            for path, kind, new_kind in changed
        ]

    def save(self, actor: User, text: str, *, acknowledged: bool = False) -> type[FormModel]:
        """Check, store and register ``text`` as a new version of its form type.

        Raises ``PermissionDenied`` for non-admins, ``ValidationFailed`` (key ``definition``,
        ``file:line: message`` lines) for a bad definition, among them a ``ruleset`` that is
        neither shipped nor in the store, and ``DomainError`` for a version that exists already,
        a form type defined in Python, a Chinese title another form type has
        (``require_free_title``), and a version removing or retyping fields submitted
        forms hold (``changes``) unless ``acknowledged`` (the 我已知晓 of both the YAML screen
        and the form builder, which publishes through here).
        """
        self._require_admin(actor)
        source = t("admin_forms.source", actor.lang)
        try:
            model = load_text(text, source, self.rule_sets.names())
        except FormDefinitionError as error:
            raise ValidationFailed({"definition": "\n".join(error.messages)}) from error
        known = self.forms.versions(model.form_type)
        if known and source_of(self.forms.get(model.form_type)) == "builtin":
            raise DomainError.keyed("admin_forms.error.builtin", actor.lang, form=model.form_type)
        stored = self.repo.find(KIND, {"form_type": model.form_type})
        if model.form_version in set(known) | {_version(d) for d in stored}:
            raise DomainError(
                t(
                    "admin_forms.error.version_exists",
                    actor.lang,
                    form=model.form_type,
                    version=model.form_version,
                    next=self.next_version(model.form_type),
                )
            )
        self.require_free_title(actor, model.form_type, model.title_zh)
        affected = [c for c in self.changes(actor, model) if c.affected]
        if affected and not acknowledged:
            raise DomainError.keyed(
                "builder.error.acknowledge",
                actor.lang,
                fields="、".join(c.label for c in affected),
                count=max(c.affected for c in affected),
            )
        doc = self.repo.insert(
            KIND,
            {"form_type": model.form_type, "form_version": model.form_version, "text": text},
            actor=actor.login,
        )
        registered = self.forms.register(_mark_stored(model, doc))
        CampaignService(self.repo).adopt(
            actor, "form_versions", model.form_type, model.form_version
        )
        return registered

    def stored(self) -> list[dict[str, object]]:
        """Every stored definition, oldest first."""
        return sorted(self.repo.find(KIND), key=lambda d: (str(d["form_type"]), _version(d)))

    def register_stored(self) -> list[type[FormModel]]:
        """Compile and register every stored definition (call once at start-up).

        A definition that no longer compiles (e.g. after an upgrade) is logged and skipped, so
        one bad record never keeps the app from starting.
        """
        return [m for m in (self._register_stored(d) for d in self.stored()) if m is not None]

    def sync(self) -> list[type[FormModel]]:
        """Register the stored definitions this process has not registered yet: those another
        app process (sharing the store) saved since start-up. One store query when nothing is
        new; safe to call on every page run."""
        models = []
        for doc in self.stored():
            try:
                known = self.forms.get(str(doc["form_type"]), _version(doc))
            except UnknownFormType:
                known = None
            if known is not None and getattr(known, "stored_id", None) == doc["id"]:
                continue
            if known is not None and source_of(known) != "stored":
                continue  # a shipped or built-in version of the same number stays in force
            model = self._register_stored(doc)
            if model is not None:
                models.append(model)
        return models

    def catalogue(self, actor: User) -> list[DefinitionVersion]:
        """Every registered version of every form type, by form type then version (admins)."""
        self._require_admin(actor)
        saved = {(str(d["form_type"]), _version(d)): d for d in self.stored()}
        rows = []
        for form_type in self.forms.form_types():
            versions = form_type.versions
            for version in versions:
                model = form_type.at(version)
                doc = saved.get((form_type.name, version), {})
                rows.append(
                    DefinitionVersion(
                        form_type=form_type.name,
                        form_version=version,
                        title_zh=model.title_zh,
                        title_en=model.title_en,
                        stage=model.stage,
                        source=source_of(model),
                        current=version == versions[-1],
                        saved_by=str(doc.get("updated_by") or ""),
                        saved_at=str(doc.get("updated_at") or ""),
                    )
                )
        return rows

    def text_of(self, actor: User, form_type: str, version: int) -> str:
        """The YAML of a stored or shipped definition, to start a new version from (admins).

        Raises ``NotFound`` for built-in Python forms and unknown versions.
        """
        self._require_admin(actor)
        for doc in self.stored():
            if doc["form_type"] == form_type and _version(doc) == version:
                return str(doc["text"])
        try:
            model = self.forms.get(form_type, version)
        except UnknownFormType:
            raise NotFound(KIND, f"{form_type}@{version}") from None
        if source_of(model) == "shipped":
            for path in sorted(Path(FOLDER).glob("*.yaml")):
                text = path.read_text(encoding="utf-8")
                try:
                    found = load_text(text, str(path))
                except FormDefinitionError:
                    continue
                if (found.form_type, found.form_version) == (form_type, version):
                    return text
        raise NotFound(KIND, f"{form_type}@{version}")

    def next_version(self, form_type: str) -> int:
        """The version number a new definition of ``form_type`` should carry."""
        stored = [_version(d) for d in self.repo.find(KIND, {"form_type": form_type})]
        return max([*self.forms.versions(form_type), *stored, 0]) + 1

    def _register_stored(self, doc: dict[str, object]) -> type[FormModel] | None:
        """Compile and register one stored definition; one that no longer compiles is logged
        and skipped (None), so a bad record never keeps the app from starting."""
        try:
            model = load_text(str(doc["text"]), f"store:{doc['id']}")
        except FormDefinitionError as error:
            log.error("stored form definition skipped: %s", "; ".join(error.messages))
            return None
        return self.forms.register(_mark_stored(model, doc))

    def _require_admin(self, actor: User) -> None:
        if not is_admin(actor):
            raise PermissionDenied.keyed("admin_forms.error.denied", actor.lang)


def _version(doc: dict[str, object]) -> int:
    return int(str(doc.get("form_version") or 1))


def _mark_stored(model: type[FormModel], doc: dict[str, object]) -> type[FormModel]:
    model.stored = True  # type: ignore[attr-defined]
    model.stored_id = str(doc["id"])  # type: ignore[attr-defined]
    return model


def _kinds_of_model(
    model: type[BaseModel], prefix: str = ""
) -> Iterator[tuple[str, tuple[str, str]]]:
    """Every stored field of ``model`` by dotted path, with its kind and Chinese label,
    through sections and repeat groups at any depth."""
    for spec in describe(model):
        if not spec.stores_value:
            continue
        kind = {"repeat": "group", "decimal": "float"}.get(spec.kind, spec.kind)
        yield f"{prefix}{spec.name}", (kind, spec.label_zh)
        if spec.model is not None and kind in CONTAINER_TYPES:
            yield from _kinds_of_model(spec.model, f"{prefix}{spec.name}.")


def _holds_value(data: Any, path: list[str]) -> bool:
    if isinstance(data, list):
        return any(_holds_value(row, path) for row in data[:1000])
    if not path:
        return data not in (None, "", [], {})
    if not isinstance(data, Mapping):
        return False
    return _holds_value(data.get(path[0]), path[1:])

"""The form builder's service: drafts of built forms, their checks, templates and publishing.

An admin builds a form on the 表单设计 screen as a table (``forms.builder``); this service keeps
the draft (kind ``form_drafts``, id = the form type: ``{form_type, text, by, at}``, the YAML the
builder produces), checks it with the same checks every definition gets (``file:line``
messages), and publishes it through ``workflow.form_definitions.FormDefinitions.save`` as the
form's next version: a published version is never changed in place, and submissions keep the
version they were filled in. Before publishing, ``changes`` compares the draft with the version
in force and counts the submitted forms holding a value in each field it removes or retypes;
publishing such a draft needs ``acknowledged=True`` (the screen's "我已知晓"). The published
version names the rule set the version in force names (the builder does not edit that link).

Templates: any registered version (built-in, shipped, stored; with the campaigns whose forms
were filled in it) can be copied as a new form type (``copy``), or opened as the next version
of its own form (``open``; built-in Python forms can only be copied).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from forms.base import FormModel
from forms.builder import BuilderForm, from_model, from_yaml, not_carried, problems, to_yaml
from forms.registry import UnknownFormType
from i18n import t
from storage.base import Repository
from storage.errors import AlreadyExists
from storage.errors import Conflict as StoreConflict
from workflow.campaigns import CampaignService
from workflow.clock import now_iso
from workflow.errors import Conflict, DomainError, NotFound
from workflow.form_definitions import FieldChange, FormDefinitions, source_of
from workflow.models import User
from workflow.permissions import may_build_forms, require
from workflow.similarity_corpus import SUBMITTED_STATES

KIND = "form_drafts"
_FORM_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")  # as forms.definition_checks asks
SUBMISSIONS = "submissions"


@dataclass(frozen=True)
class BuilderCheck:
    """What the admin sees beside a draft: the builder's own problems, the definition's
    ``file:line`` messages, the compiled preview model, the YAML and the field changes."""

    text: str
    problems: tuple[str, ...]
    messages: tuple[str, ...]
    model: type[FormModel] | None
    changes: tuple[FieldChange, ...] = ()
    rev: int = 0

    @property
    def publishable(self) -> bool:
        return not self.problems and not self.messages and self.model is not None

    @property
    def needs_acknowledgement(self) -> bool:
        return any(c.affected for c in self.changes)


@dataclass(frozen=True)
class Template:
    """A form version a new form can start from."""

    form_type: str
    form_version: int
    title_zh: str
    title_en: str
    source: str  # builtin | shipped | stored
    campaigns: tuple[str, ...]  # titles of the campaigns whose submitted forms used it


class FormBuilderService:
    """Drafts, checks, templates and publishing of built forms (admins only)."""

    def __init__(
        self, repo: Repository, definitions: FormDefinitions, campaigns: CampaignService
    ) -> None:
        """``definitions``: where published versions go (and the registry they join)."""
        self.repo = repo
        self.definitions = definitions
        self.forms = definitions.forms
        self.campaigns = campaigns

    def _require(self, actor: User) -> None:
        require(may_build_forms(actor), actor, "builder.error.denied")

    # --- starting points -----------------------------------------------------------------

    def templates(self, actor: User, *, campaigns: bool = True) -> list[Template]:
        """Every registered form version, with the campaigns that used it (``campaigns=False``:
        without, reading no submission), by form type."""
        self._require(actor)
        used: dict[tuple[str, int], set[str]] = {}
        for status in SUBMITTED_STATES if campaigns else ():
            # by the indexed status, and only the three fields it needs
            for doc in self.repo.find(
                SUBMISSIONS,
                {"status": status.value},
                fields=("form_type", "form_version", "campaign_id"),
            ):
                key = (str(doc.get("form_type")), int(doc.get("form_version") or 1))
                used.setdefault(key, set()).add(str(doc.get("campaign_id")))
        titles = {c.id: c.title for c in self.campaigns.list()} if campaigns else {}
        rows = []
        for form_type in self.forms.form_types():
            for version in form_type.versions:
                model = form_type.at(version)
                ids = used.get((form_type.name, version), set())
                rows.append(
                    Template(
                        form_type.name,
                        version,
                        model.title_zh,
                        model.title_en,
                        source_of(model),
                        tuple(sorted(titles.get(i, i) for i in ids)),
                    )
                )
        return rows

    def blank(self, actor: User, form_type: str, title_zh: str, stage: str) -> BuilderForm:
        """A new form with no fields yet (``DomainError`` for a name that is not free)."""
        self._require(actor)
        self._require_new_name(actor, form_type, title_zh)
        return BuilderForm(form_type=form_type, title_zh=title_zh, stage=stage)

    def _require_new_name(self, actor: User, form_type: str, title_zh: str) -> None:
        if not _FORM_TYPE.match(form_type):
            raise DomainError.keyed("builder.error.form_type", actor.lang, form=form_type)
        if form_type in self.forms or self.repo.get(KIND, form_type) is not None:
            raise DomainError.keyed("builder.error.exists", actor.lang, form=form_type)
        self.definitions.require_free_title(actor, form_type, title_zh)

    def copy(
        self, actor: User, source: str, version: int, form_type: str, title_zh: str
    ) -> BuilderForm:
        """Version ``version`` of form ``source`` as the first version of a new form type
        (its fields, stage and settings; not its rule set, which names the old form, nor a
        built-in form's Python checks: ``copy_leaves_out`` lists what is left out)."""
        self._require(actor)
        self._require_new_name(actor, form_type, title_zh)
        built = self._as_builder(actor, source, version)
        return replace(
            built, form_type=form_type, title_zh=title_zh, title_en="", form_version=1, ruleset=None
        )

    def copy_leaves_out(self, actor: User, source: str, version: int) -> list[str]:
        """What ``copy`` of version ``version`` of ``source`` does not carry, one sentence each
        in the actor's language: a built-in form's Python checks and server-kept lists
        (``forms.builder.not_carried``), and the rule set, which names the old form."""
        self._require(actor)
        try:
            model = self.forms.get(source, version)
        except UnknownFormType:
            raise NotFound(KIND, f"{source}@{version}") from None
        found = not_carried(model, actor.lang) if source_of(model) == "builtin" else []
        if model.ruleset:
            found.append(t("builder.copy_loss.ruleset", actor.lang, ruleset=model.ruleset))
        return found

    def copy_as_draft(
        self, actor: User, source: str, version: int, form_type: str, title_zh: str
    ) -> tuple[BuilderForm, int]:
        """``copy`` kept at once as the new form type's draft (复制表单: e.g. 党员志愿服务登记
        from 主题实践活动), to edit and publish; returns it and the draft revision to save
        against. Nothing is stored when the name is not free."""
        form = self.copy(actor, source, version, form_type, title_zh)
        return form, self.save_draft(actor, form, base_rev=0).rev

    def open(self, actor: User, form_type: str) -> tuple[BuilderForm, int]:
        """The form to edit and the draft revision to save against: the saved draft, else the
        version in force as the next version. Built-in Python forms can only be copied."""
        self._require(actor)
        doc = self.repo.get(KIND, form_type)
        if doc is not None:
            return from_yaml(str(doc["text"])), int(doc["rev"])
        model = self.forms.get(form_type)
        if source_of(model) == "builtin":
            raise DomainError.keyed("admin_forms.error.builtin", actor.lang, form=form_type)
        built = self._as_builder(actor, form_type, model.form_version)
        return replace(built, form_version=self.definitions.next_version(form_type)), 0

    def _as_builder(self, actor: User, form_type: str, version: int) -> BuilderForm:
        try:
            model = self.forms.get(form_type, version)
        except UnknownFormType:
            raise NotFound(KIND, f"{form_type}@{version}") from None
        if source_of(model) == "builtin":
            return from_model(
                model, form_type=form_type, title_zh=model.title_zh, stage=model.stage
            )
        return from_yaml(self.definitions.text_of(actor, form_type, version))

    def drafts(self, actor: User) -> list[dict[str, Any]]:
        """The saved drafts (form type, who, when), by form type."""
        self._require(actor)
        return sorted(
            ({k: d.get(k) for k in ("form_type", "by", "at", "rev")} for d in self.repo.find(KIND)),
            key=lambda d: str(d["form_type"]),
        )

    # --- checking, saving, publishing ----------------------------------------------------

    def check(self, actor: User, form: BuilderForm) -> BuilderCheck:
        """The builder's problems, the definition's messages and the preview (nothing saved)."""
        self._require(actor)
        text = to_yaml(form)
        found = tuple(problems(form, actor.lang))
        owner = self.definitions.title_owner(form.form_type, form.title_zh)
        if owner is not None:  # renamed to another form's title: publishing refuses it
            taken = t("builder.error.title_taken", actor.lang, title=form.title_zh.strip(),
                      form=owner)  # fmt: skip
            found = (*found, taken)
        preview = self.definitions.preview(actor, text)
        return BuilderCheck(text, found, preview.messages, preview.model, preview.changes)

    def save_draft(self, actor: User, form: BuilderForm, *, base_rev: int) -> BuilderCheck:
        """Keep ``form`` as the draft of its form type (whatever its state: nothing typed is
        lost) and return its check, whose ``rev`` is the next ``base_rev``. ``Conflict`` when
        another admin saved or published this draft since ``base_rev``."""
        check = self.check(actor, form)
        doc = {"form_type": form.form_type, "text": check.text, "by": actor.login, "at": now_iso()}
        current = self.repo.get(KIND, form.form_type)
        try:
            if current is None:
                if base_rev:
                    raise Conflict(KIND, form.form_type, base_rev, None)
                stored = self.repo.insert(KIND, {"id": form.form_type, **doc}, actor=actor.login)
            else:
                stored = self.repo.update(
                    KIND, {**current, **doc}, actor=actor.login, expected_rev=base_rev
                )
        except (AlreadyExists, StoreConflict):
            current = self.repo.get(KIND, form.form_type)
            raise Conflict(KIND, form.form_type, base_rev, current) from None
        return replace(check, rev=int(stored["rev"]))

    def discard(self, actor: User, form_type: str) -> None:
        """Throw the draft away (published versions stay)."""
        self._require(actor)
        doc = self.repo.get(KIND, form_type)
        if doc is not None:
            self.repo.delete(KIND, form_type, actor=actor.login, expected_rev=int(doc["rev"]))

    def publish(
        self, actor: User, form_type: str, *, base_rev: int, acknowledged: bool = False
    ) -> type[FormModel]:
        """Publish the saved draft as the form's next version and drop the draft.

        Raises ``NotFound`` without a draft, ``Conflict`` when the draft changed since
        ``base_rev``, ``ValidationFailed`` (``file:line`` messages) for a definition that does
        not compile, ``DomainError`` for the builder's own problems, and for a draft removing
        or retyping fields submitted forms hold unless ``acknowledged``
        (``FormDefinitions.save`` decides, as for the YAML screen)."""
        self._require(actor)
        doc = self.repo.get(KIND, form_type)
        if doc is None:
            raise NotFound(KIND, form_type)
        if int(doc["rev"]) != base_rev:
            raise Conflict(KIND, form_type, base_rev, doc)
        form = from_yaml(str(doc["text"]))
        form = replace(
            form,
            form_version=self.definitions.next_version(form_type),
            ruleset=self._link_in_force(form),
        )
        found = problems(form, actor.lang)
        if found:
            raise DomainError("\n".join(found))
        model = self.definitions.save(actor, to_yaml(form), acknowledged=acknowledged)
        self.repo.delete(KIND, form_type, actor=actor.login, expected_rev=base_rev)
        return model

    def _link_in_force(self, form: BuilderForm) -> str | None:
        """The rule set the published version names: the one the version in force names.
        The builder does not edit the link (the rule builder and the YAML screen do), so a
        draft opened before the rule builder linked the form keeps the link when published."""
        try:
            return self.forms.get(form.form_type).ruleset
        except UnknownFormType:
            return form.ruleset

    def changes(self, actor: User, form: BuilderForm) -> list[FieldChange]:
        """Fields of the version in force that ``form`` removes or gives another type, each
        with the number of submitted forms holding a value in it
        (``FormDefinitions.changes`` of the compiled draft; none while it does not compile)."""
        self._require(actor)
        return list(self.definitions.preview(actor, to_yaml(form)).changes)

"""Stored rule-set versions: an admin drafts a change, sees its lint, tests and impact, then
publishes it as a new version or discards it (issue 5, §7). No Streamlit here.

One document per rule set in kind ``rule_sets`` (id = the rule set's name)::

    {name, form, draft: {text, by, at} | None,
     published: [{number, version, hash, text, by, at}, ...]}   # oldest first

The shipped file ``rules/<name>.yaml`` is the version in force until one is published. Drafts
are saved even when they have problems, so nothing an admin types is lost. Saving, publishing
and discarding name the revision of the document the admin's editor started from
(``draft_rev``); if another admin saved, published or discarded since, the change is refused
with ``DraftConflict`` saying who and when, instead of silently overwriting their work.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

from core.storable import find_unstorable
from forms.registry import FormRegistry
from i18n import format_time, t
from rules import engine
from rules.diff import RuleSetDiff, diff_rulesets
from rules.errors import Problem, RuleLoadError, RuleSetNotFound
from rules.file_tests import TestOutcome, run_tests
from rules.report import RuleReport
from rules.settings_edit import Setting, apply_settings, editable_settings
from rules.similarity import Comparable
from storage.base import Repository
from storage.errors import AlreadyExists
from storage.errors import Conflict as StoreConflict
from workflow.accounts import acting_user
from workflow.campaigns import CampaignService
from workflow.clock import now_iso
from workflow.errors import Conflict, DomainError, ValidationFailed
from workflow.form_types import standard_forms
from workflow.models import User
from workflow.permissions import is_admin, require

KIND = "rule_sets"
# Every write of a rule set holds this store lock, so a publish of several steps (the rule
# builder's check, linked form version, publication) sees no draft saved in between.
WRITE_LOCK = "rule-sets"


class RuleSetInvalid(DomainError):
    """A draft cannot be published: its problems or failing tests are listed."""


class DraftConflict(Conflict):
    """Another admin saved, published or discarded this rule set's draft since the editor
    loaded it; nothing was changed. The message says who and when."""

    def __init__(self, name: str, expected: int, current: dict[str, Any] | None, actor: User):
        super().__init__(KIND, name, expected, current)
        by = str((current or {}).get("updated_by", ""))
        at = format_time((current or {}).get("updated_at"))
        self.key, self.lang = "rules.service.draft_conflict", actor.lang
        self.values = {"name": name, "by": by, "at": at}


@dataclass(frozen=True)
class DraftCheck:
    """What the admin sees beside a draft: problems, test outcomes and the diff."""

    problems: list[Problem]
    tests: list[TestOutcome]
    diff: RuleSetDiff | None
    rev: int = 0  # the stored document's revision after a save (the next ``base_rev``)

    @property
    def publishable(self) -> bool:
        return not self.problems and all(o.ok for o in self.tests)


def may_read_rule_sets(actor: User) -> bool:
    """Reviewers and administrators read rule sets, their drafts and impact previews."""
    return actor.active and actor.role in ("admin", "reviewer")


@dataclass(frozen=True)
class FormRules:
    """A rule set compiled against one version of its form, or, when it does not fit that
    version, the report saying so (``engine.misfit_report``: the rules did not run)."""

    hash: str
    ruleset: engine.RuleSet | None = None
    misfit: RuleReport | None = None

    @property
    def compares(self) -> bool:
        """Whether a similarity rule needs the corpus of other documents."""
        return self.ruleset is not None and any(r.spec.similarity for r in self.ruleset.rules)

    def check(self, data: Mapping[str, Any], others: Sequence[Comparable] = ()) -> RuleReport:
        """The report on ``data`` (a copy of the misfit report when the rules did not run)."""
        if self.ruleset is None:
            assert self.misfit is not None
            return self.misfit.model_copy(deep=True)
        return self.ruleset.check(data, others=others)


def rules_of_text(
    text: str, label: str, form_version: int | None = None, forms: FormRegistry | None = None
) -> FormRules:
    """Rule-file ``text`` compiled against ``form_version`` of its form in ``forms`` (default:
    current; ``default_registry()``); a rule set that does not type-check against it gives
    ``engine.misfit_report``."""
    try:
        ruleset = engine.load_text(text, label, form_version, forms)
    except RuleLoadError as exc:
        misfit = engine.misfit_report(text, label, form_version, exc.problems, forms)
        return FormRules(misfit.hash, misfit=misfit)
    return FormRules(ruleset.hash, ruleset=ruleset)


class RuleSetService:
    """Drafts, publication and impact previews of rule sets over a Repository."""

    def __init__(self, repo: Repository, forms: FormRegistry | None = None) -> None:
        """``forms``: the form types rule sets are type-checked against (default:
        ``standard_forms()``; ``build_services`` passes the store's registry)."""
        self.repo = repo
        self.forms = forms if forms is not None else standard_forms()

    def names(self) -> list[str]:
        """Every rule set: shipped ones and any stored only in the store."""
        stored = {d["id"] for d in self.repo.find(KIND)}
        return sorted({p.stem for p in engine.shipped_rulesets()} | stored)

    def _doc(self, name: str) -> dict[str, Any] | None:
        return self.repo.get(KIND, name)

    def published_text(self, name: str) -> str | None:
        """The text of the latest published version, None when only the shipped file exists."""
        doc = self._doc(name)
        return doc["published"][-1]["text"] if doc and doc.get("published") else None

    def version_text(self, name: str, number: int) -> str:
        """The text of published version ``number`` of ``name``; 0 is the file shipped in
        ``rules/``. ``RuleSetNotFound`` when there is no such version."""
        return self.version_source(name, number)[0]

    def version_source(self, name: str, number: int) -> tuple[str, str]:
        """``version_text`` and the label its problems are reported under."""
        if number == 0:
            return engine.shipped_text(name)
        doc = self._doc(name)
        for published in (doc or {}).get("published", []):
            if int(published.get("number", 0)) == number:
                return str(published["text"]), f"{name}.yaml"
        raise RuleSetNotFound(f"{name}@{number}", self.names())

    def version_rules(self, name: str, number: int, form_version: int | None = None) -> FormRules:
        """Version ``number`` of ``name`` (0: the shipped file) compiled against
        ``form_version`` of its form, or its misfit report (as ``in_force``)."""
        return rules_of_text(*self.version_source(name, number), form_version, self.forms)

    def number_in_force(self, name: str) -> int:
        """The number of the version in force: the latest published, else 0 (shipped)."""
        doc = self._doc(name)
        published = (doc or {}).get("published") or []
        return int(published[-1]["number"]) if published else 0

    def current_text(self, name: str) -> str:
        """The text in force: the latest published version, else the shipped file."""
        return self.source(name)[0]

    def source(self, name: str) -> tuple[str, str]:
        """The text in force and the label its problems are reported under (``RuleSetNotFound``
        when it is neither published nor shipped)."""
        text = self.published_text(name)
        if text:
            return text, f"{name}.yaml"
        return engine.shipped_text(name)

    def active(self, name: str, form_version: int | None = None) -> engine.RuleSet:
        """The compiled rule set in force, type-checked against ``form_version`` of its form
        (default: the current version); ``RuleLoadError`` when it does not fit that version."""
        return engine.load_text(*self.source(name), form_version, self.forms)

    def in_force(self, name: str, form_version: int | None = None) -> FormRules:
        """The rule set in force compiled against ``form_version`` of its form (default: the
        current version), or its misfit report when it does not type-check against it."""
        return rules_of_text(*self.source(name), form_version, self.forms)

    def check(
        self,
        name: str,
        data: Mapping[str, Any],
        *,
        form_version: int | None = None,
        others: Sequence[Comparable] = (),
    ) -> RuleReport:
        """Check ``data``, filled in ``form_version`` of the form (default: the current one),
        with the rule set in force compiled against that version. A rule set that does not
        type-check against it gives one rule-set-level warning (``engine.misfit_report``:
        the rules did not run, check by hand) rather than an exception."""
        return self.in_force(name, form_version).check(data, others)

    def draft_text(self, actor: User, name: str) -> str:
        """The admin's saved draft, or the text in force when there is none."""
        require(may_read_rule_sets(actor), actor, "rules.service.read_only_staff")
        doc = self._doc(name)
        if doc and doc.get("draft"):
            return str(doc["draft"]["text"])
        return self.current_text(name)

    def draft_rev(self, name: str) -> int:
        """The revision of the rule set's stored document (0: none yet): pass it back as
        ``base_rev`` when saving, publishing or discarding what the editor shows."""
        doc = self._doc(name)
        return int(doc["rev"]) if doc else 0

    def save_draft(self, actor: User, name: str, text: str, *, base_rev: int) -> DraftCheck:
        """Keep the draft (whatever its state) and return its check, whose ``rev`` is the
        next ``base_rev``. ``DraftConflict`` (nothing saved) when the stored document is no
        longer at ``base_rev``: another admin changed it since."""
        actor = self._admin(actor)
        found = find_unstorable(text)
        if found is not None:
            field = t("rules.service.text_field", actor.lang)
            message = t(
                "forms.error.unstorable",
                actor.lang,
                field=field,
                position=found.position,
                code=found.code,
            )
            raise ValidationFailed({"text": message}, actor.lang)
        draft = {"text": text, "by": actor.login, "at": now_iso()}
        doc = self._based_on(actor, name, base_rev)
        if doc is None:
            new = {"id": name, "name": name, "draft": draft, "published": []}
            try:
                with self.writing():
                    stored = self.repo.insert(KIND, new, actor=actor.login)
            except AlreadyExists:
                raise DraftConflict(name, base_rev, self._doc(name), actor) from None
        else:
            doc["draft"] = draft
            stored = self._update(actor, name, doc, base_rev)
        return replace(self.check_text(name, text), rev=int(stored["rev"]))

    def _admin(self, actor: User) -> User:
        actor = acting_user(self.repo, actor)
        require(is_admin(actor), actor, "rules.service.admin_only")
        return actor

    def _based_on(self, actor: User, name: str, base_rev: int) -> dict[str, Any] | None:
        """The stored document, if it is still at ``base_rev``; else ``DraftConflict``."""
        doc = self._doc(name)
        if (int(doc["rev"]) if doc else 0) != base_rev:
            raise DraftConflict(name, base_rev, doc, actor)
        return doc

    def writing(self) -> AbstractContextManager[None]:
        """Hold ``WRITE_LOCK``: no rule set is written by anyone else meanwhile."""
        return self.repo.locked(WRITE_LOCK)

    def _update(self, actor: User, name: str, doc: dict[str, Any], base_rev: int) -> Any:
        try:
            with self.writing():
                return self.repo.update(KIND, doc, actor=actor.login, expected_rev=base_rev)
        except StoreConflict as error:  # saved by another admin between read and write
            raise DraftConflict(name, base_rev, error.current, actor) from None

    def settings(self, actor: User, name: str) -> list[Setting]:
        """The settings of the draft (else the rules in force) an admin may change in the form:
        thresholds and phrase lists, each with the comment the file gives it."""
        return editable_settings(self.draft_text(actor, name))

    def save_settings(
        self, actor: User, name: str, changes: Mapping[str, Any], *, base_rev: int
    ) -> tuple[str, DraftCheck]:
        """Write ``changes`` to the draft's settings (the file's tests keep the values they
        were written for, ``test_settings``), save it as the draft and return its text and
        check. Raises ``RuleSetInvalid`` for a setting the file does not have, a value of the
        wrong kind, a negative number or a share above 1; nothing is saved then. Like
        ``save_draft``, ``DraftConflict`` when the draft changed since ``base_rev``."""
        actor = self._admin(actor)
        for key, value in changes.items():
            if isinstance(value, int | float) and (
                value < 0 or (value > 1 and key.endswith(("share", "similarity")))
            ):
                raise RuleSetInvalid(t("rules.settings.out_of_range", actor.lang, name=key))
        try:
            text = apply_settings(self.draft_text(actor, name), changes)
        except ValueError as exc:
            raise RuleSetInvalid(str(exc)) from None
        return text, self.save_draft(actor, name, text, base_rev=base_rev)

    def check_text(self, name: str, text: str) -> DraftCheck:
        """Lint the text, run its tests and diff it against the version in force."""
        try:  # compiled once (and cached): its problems are the lint
            candidate = engine.load_text(text, f"{name}.yaml", forms=self.forms)
        except RuleLoadError as exc:
            return DraftCheck(exc.problems, [], None)
        in_force = self._in_force(name)
        diff = diff_rulesets(in_force, candidate) if in_force is not None else None
        return DraftCheck([], run_tests(candidate), diff)

    def _in_force(self, name: str) -> engine.RuleSet | None:
        """The rule set in force, None for a new one (neither shipped nor published yet) or
        one that no longer fits the current form version."""
        try:
            return self.active(name)
        except (RuleSetNotFound, RuleLoadError):
            return None

    def check_draft(self, actor: User, name: str, text: str) -> DraftCheck:
        """``check_text`` for an admin's editor, without saving (lint, tests, diff)."""
        self._admin(actor)
        return self.check_text(name, text)

    def publish(self, actor: User, name: str, *, base_rev: int) -> int:
        """Publish the saved draft as the next version; returns its number. ``DraftConflict``
        when the stored document is no longer at ``base_rev`` (the draft shown is not the
        draft stored)."""
        actor = self._admin(actor)
        doc, text = self._publishable(actor, name, base_rev)
        ruleset = engine.load_text(text, f"{name}.yaml", forms=self.forms)
        number = len(doc.get("published", [])) + 1
        doc.setdefault("published", []).append(
            {
                "number": number,
                "version": ruleset.version,
                "hash": ruleset.hash,
                "text": text,
                "by": actor.login,
                "at": now_iso(),
            }
        )
        doc["form"] = ruleset.form
        doc["draft"] = None
        self._update(actor, name, doc, base_rev)
        CampaignService(self.repo).adopt(actor, "rule_set_versions", name, number)
        return number

    def require_publishable(self, actor: User, name: str, *, base_rev: int) -> None:
        """Raise what ``publish`` would raise before storing anything (no draft, a draft not
        at ``base_rev``, problems or failing tests); nothing is stored. The rule builder asks
        before it links a form to the rule set, so a form never names rules that fail."""
        self._publishable(self._admin(actor), name, base_rev)

    def _publishable(self, actor: User, name: str, base_rev: int) -> tuple[dict[str, Any], str]:
        doc = self._based_on(actor, name, base_rev)
        if not doc or not doc.get("draft"):
            raise RuleSetInvalid.keyed("rules.service.no_draft", actor.lang, name=name)
        text = str(doc["draft"]["text"])
        check = self.check_text(name, text)
        if not check.publishable:
            lines = [str(p) for p in check.problems] + [
                f"{o.name}: {'; '.join(o.differences)}" for o in check.tests if not o.ok
            ]
            raise RuleSetInvalid(
                t("rules.service.not_publishable", actor.lang, details="\n".join(lines))
            )
        return doc, text

    def discard(self, actor: User, name: str, *, base_rev: int) -> None:
        """Throw the draft away (published versions stay); ``DraftConflict`` when the stored
        document is no longer at ``base_rev``."""
        actor = self._admin(actor)
        doc = self._based_on(actor, name, base_rev)
        if doc and doc.get("draft"):
            doc["draft"] = None
            self._update(actor, name, doc, base_rev)

    def history(self, actor: User, name: str) -> list[dict[str, Any]]:
        """``versions`` for reviewers and admins, plus the shipped file as number 0, newest
        first; each row has ``number, version, hash, by, at`` and ``in_force``."""
        require(may_read_rule_sets(actor), actor, "rules.service.read_only_staff")
        rows = self.versions(name)
        if name in {p.stem for p in engine.shipped_rulesets()}:
            shipped = engine.load_ruleset(name, forms=self.forms)
            rows.append(
                {"number": 0, "version": shipped.version, "hash": shipped.hash, "by": "", "at": ""}
            )
        in_force = self.active(name).hash if rows else None
        found = False
        for row in rows:  # the newest row with the hash in force is the one in force
            row["in_force"] = not found and row["hash"] == in_force
            found = found or row["in_force"]
        return rows

    def versions(self, name: str) -> list[dict[str, Any]]:
        """Published versions, newest first (without their text)."""
        doc = self._doc(name)
        rows = [
            {k: v for k, v in p.items() if k != "text"} for p in (doc or {}).get("published", [])
        ]
        return list(reversed(rows))

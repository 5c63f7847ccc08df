"""The audit log and record history for administrators: who changed what, and going back.

Reads the store's audit events and revision history; restoring writes an old revision's data
as a new revision (``storage.history.restore``), so nothing is lost and the restore is itself
audited. Each restore is also noted in a small ledger (``audit_restores``) so the log can call
that write 恢复 rather than 修改.

``rows`` and ``revision_changes`` give the page display-ready text: actions, record kinds and
field names in the reader's language, records by name (a submission as branch · form · version,
an account by login), times in the school's time zone, password hashes and setup tokens never
shown, and no submission's unsubmitted text (a draft, or a returned submission being revised):
a draft is seen by its own branch only (``permissions.may_view_content``), and the log is for
administrators. Accounts are restored through ``AccountService.restore`` (the password hash
stays, the last active administrator stays); system records (kind ``meta``) are not restored,
nor records whose rules a service keeps (``GUARDED``: issued bulletins and their numbers, the
funding ledger, the demo-site register, the award book, upload usage), and a rule set only to a
revision with the same published versions: each refusal says where to make the change instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from forms.base import FormModel
from forms.registry import FormRegistry, UnknownFormType
from forms.specs import describe
from i18n import Lang, format_time, t
from reports.labels import coded
from storage.base import Document, Repository
from storage.history import restore as restore_revision
from workflow import permissions, sessions
from workflow.accounts import KIND as USERS
from workflow.accounts import META_KIND, AccountService
from workflow.admin_records import AdminRecordService
from workflow.attachments import USAGE
from workflow.award_book import KIND as AWARDS
from workflow.bulletins import KIND as BULLETINS
from workflow.bulletins import NUMBERS as BULLETIN_NUMBERS
from workflow.demo_site_register import KIND as DEMO_SITE_REGISTERS
from workflow.errors import PermissionDenied
from workflow.form_types import standard_forms
from workflow.funding import KIND as LEDGERS
from workflow.models import User
from workflow.rule_sets import KIND as RULE_SETS
from workflow.rule_sets import WRITE_LOCK as RULE_SETS_LOCK

SUBMISSIONS = "submissions"
RESTORES = "audit_restores"  # the ledger of restores; bookkeeping, not shown as a kind
# Bookkeeping kinds: not shown in the log, and never restored (a restored session would sign
# a signed-out or disabled user back in).
BOOKKEEPING = frozenset({RESTORES, sessions.KIND, sessions.KEY_KIND})
# Kinds a service keeps rules on that no single old revision respects (an issued bulletin stays
# issued, its number unique; the ledger and the registers only grow through their services,
# within budget and quotas; the upload counter bounds every account): restoring one is refused
# with the message (audit.restore_elsewhere.<kind>) naming the screen where it is changed.
GUARDED = frozenset({BULLETINS, BULLETIN_NUMBERS, LEDGERS, DEMO_SITE_REGISTERS, AWARDS, USAGE})
# Store bookkeeping, and an account's session counter: not shown as changes.
STORE_KEYS = frozenset({"id", "rev", "updated_at", "updated_by", "session_epoch"})
SECRET_KEYS = frozenset({"password_hash", "token", "token_hash", "handoff_hash", "key"})
SECRET = "***"
CODED = {"status": "status", "role": "role", "stage": "stage"}  # field → message key prefix
_SHORT = 60


@dataclass(frozen=True)
class FieldChange:
    """One changed field, named and valued for display."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditRow:
    """One audit event as the log shows it."""

    at: str  # local time, minutes
    actor: str
    action: str  # 新建 / 修改 / 删除 / 恢复
    kind: str  # 提交材料 / 支部 / 账号 …
    record: str  # 党政办公室党支部 · 实施方案 · v2
    rev: int
    changes: tuple[FieldChange, ...]
    kind_code: str  # the store's kind and id, to pick the record's history
    id: str

    @property
    def changes_text(self) -> str:
        """The changes on one line: ``标题: 旧 → 新; 状态: 草稿 → 待审核``."""
        return "; ".join(f"{c.label}: {c.old} → {c.new}" for c in self.changes)


class AuditService:
    """Audit events and record history; administrators only."""

    def __init__(
        self,
        repo: Repository,
        forms: FormRegistry | None = None,
        accounts: AccountService | None = None,
        records: Sequence[AdminRecordService[Any]] = (),
    ) -> None:
        """``forms``: the form types records are named and labelled by (default: the
        built-in and shipped ones; ``build_services`` passes the store's registry);
        ``accounts``: who is acting, re-read at each call, and how accounts are restored;
        ``records``: the services whose checks a restored campaign or branch passes first."""
        self.repo = repo
        self.records = {service.kind: service for service in records}
        self.forms = forms if forms is not None else standard_forms()
        self.accounts = accounts or AccountService(repo)

    def _require_admin(self, actor: User) -> User:
        actor = self.accounts.acting(actor)
        permissions.require(permissions.is_admin(actor), actor, "audit.denied")
        return actor

    def events(
        self, actor: User, *, kind: str | None = None, id: str | None = None, limit: int = 200
    ) -> list[Document]:
        """Audit events, newest first: ``{at, actor, action, kind, id, rev, old, new}``.

        Password hashes never leave the store: they are blanked in ``old`` and ``new``; so is
        the data of submission revisions ``actor`` may not read (drafts).
        """
        actor = self._require_admin(actor)
        return [_without_secrets(e, actor) for e in self.repo.audit(kind, id, limit)]

    def kinds(self, actor: User) -> list[str]:
        """Every kind of record the store holds (the restore ledger left out)."""
        self._require_admin(actor)
        return sorted(k for k in self.repo.kinds() if k not in BOOKKEEPING)

    def kind_label(self, kind: str, lang: Lang) -> str:
        """A record kind in words (``submissions`` → 提交材料); unknown kinds as stored."""
        return coded("audit.kind", kind, lang)

    def rows(self, actor: User, *, kind: str | None = None, limit: int = 300) -> list[AuditRow]:
        """The audit log, newest first, ready to show in ``actor``'s language."""
        actor = self._require_admin(actor)
        lang = actor.lang
        restored = self._restored()
        names = _Names(self.repo, lang, self.forms)
        out: list[AuditRow] = []
        for event in self.repo.audit(kind, None, limit):
            if event["kind"] in BOOKKEEPING:
                continue
            key = (str(event["kind"]), str(event["id"]), int(event.get("rev") or 0))
            action = "restore" if key in restored else str(event["action"])
            old, new = _hidden(event.get("old"), actor), _hidden(event.get("new"), actor)
            out.append(
                AuditRow(
                    at=format_time(event.get("at")),
                    actor=str(event.get("actor") or ""),
                    action=coded("audit.action", action, lang),
                    kind=self.kind_label(key[0], lang),
                    record=names.record(key[0], key[1], new or old),
                    rev=key[2],
                    changes=tuple(_changes(key[0], old, new, names)),
                    kind_code=key[0],
                    id=key[1],
                )
            )
        return out

    def record_label(self, actor: User, kind: str, id: str) -> str:
        """A record by name, as ``rows`` shows it (kind in words first)."""
        actor = self._require_admin(actor)
        history = self.repo.history(kind, id)
        names = _Names(self.repo, actor.lang, self.forms)
        name = names.record(kind, id, history[-1] if history else None)
        return f"{self.kind_label(kind, actor.lang)} · {name}"

    def history(self, actor: User, kind: str, id: str) -> list[Document]:
        """Every revision of one record, oldest first (secrets blanked, drafts' data hidden)."""
        actor = self._require_admin(actor)
        return [_blank(_hidden(d, actor)) for d in self.repo.history(kind, id)]

    def revision_label(self, actor: User, revision: Mapping[str, Any]) -> str:
        """One revision for a picker: ``第 3 版 · 2026-11-25 20:33 · admin``."""
        return t(
            "audit.revision",
            actor.lang,
            rev=revision.get("rev", ""),
            at=format_time(revision.get("updated_at")),
            by=revision.get("updated_by", ""),
        )

    def revision_changes(self, actor: User, kind: str, id: str, rev: int) -> list[FieldChange]:
        """What restoring revision ``rev`` would change: current value → that revision's."""
        actor = self._require_admin(actor)
        revisions = [_hidden(d, actor) for d in self.repo.history(kind, id)]
        chosen = next((d for d in reversed(revisions) if d.get("rev") == rev), None)
        if chosen is None or not revisions:
            return []
        return _changes(kind, revisions[-1], chosen, _Names(self.repo, actor.lang, self.forms))

    def restore(self, actor: User, kind: str, id: str, rev: int) -> Document:
        """Make revision ``rev`` of a record current again, as a new audited revision.

        Accounts go through ``AccountService.restore`` (current password hash kept, never
        the last active administrator); system records (``meta``: the first-run setup mark
        and token) and the kinds in ``GUARDED`` are refused with ``PermissionDenied`` saying
        where to change them; a rule set's revision only when its published versions are the
        current ones (a draft comes back, no published version is withdrawn or altered)."""
        actor = self._require_admin(actor)
        permissions.require(kind not in BOOKKEEPING, actor, "audit.not_restorable")
        if kind == META_KIND:
            raise PermissionDenied.keyed("workflow.audit.meta_restore", actor.lang)
        if kind in GUARDED:
            raise PermissionDenied.keyed(f"audit.restore_elsewhere.{kind}", actor.lang)
        if kind == USERS:
            restored = self.accounts.restore(actor, id, rev)
        elif kind in self.records:
            service = self.records[kind]
            with service.writing():
                restored = restore_revision(
                    self.repo,
                    kind,
                    id,
                    rev,
                    actor=actor.login,
                    adjust=lambda data, _current: service.check_restore(id, data, actor.lang),
                )
        elif kind == RULE_SETS:
            with self.repo.locked(RULE_SETS_LOCK):
                restored = restore_revision(
                    self.repo, kind, id, rev, actor=actor.login, adjust=_published_kept(actor)
                )
        elif kind == SUBMISSIONS:
            restored = restore_revision(
                self.repo, kind, id, rev, actor=actor.login, adjust=self._decision_kept(actor)
            )
        else:
            restored = restore_revision(self.repo, kind, id, rev, actor=actor.login)
        self.repo.insert(
            RESTORES,
            {"kind": kind, "record_id": id, "from_rev": rev, "restored_rev": restored["rev"]},
            actor=actor.login,
        )
        return _blank(restored)

    def _restored(self) -> set[tuple[str, str, int]]:
        return {
            (str(d.get("kind")), str(d.get("record_id")), int(d.get("restored_rev") or 0))
            for d in self.repo.find(RESTORES)
        }

    def _decision_kept(self, actor: User) -> Callable[[Document, Document | None], Document]:
        """A ``restore`` adjustment refusing to change the status of a submission whose
        decision holds a counted place (a demo-site application's 立项 takes one of the
        campaign's quota and founds the site in its register): undoing it here would leave
        the place taken or give it twice. Its content may still come back."""

        def adjust(data: Document, current: Document | None) -> Document:
            if current is None or data.get("status") == current.get("status"):
                return data
            try:
                form_type = self.forms.form_type(str(current.get("form_type") or ""))
            except UnknownFormType:
                return data
            if form_type.founds_demo_site or form_type.approval_quota:
                raise PermissionDenied.keyed("audit.restore_elsewhere.decision", actor.lang)
            return data

        return adjust


def _published_kept(actor: User) -> Callable[[Document, Document | None], Document]:
    """A ``restore`` adjustment refusing a rule-set revision whose published versions differ
    from the stored ones: checks already run and campaigns name those versions."""

    def adjust(data: Document, current: Document | None) -> Document:
        if current is None or data.get("published") != current.get("published"):
            raise PermissionDenied.keyed("audit.restore_elsewhere.rule_sets", actor.lang)
        return data

    return adjust


class _Names:
    """Readable names of records, looking up branches once per call."""

    def __init__(self, repo: Repository, lang: Lang, forms: FormRegistry) -> None:
        self.repo = repo
        self.lang = lang
        self.forms = forms
        self._branches: dict[str, str] = {}

    def branch(self, branch_id: str) -> str:
        if branch_id not in self._branches:
            doc = self.repo.get("branches", branch_id) if branch_id else None
            self._branches[branch_id] = str(doc["name"]) if doc else branch_id
        return self._branches[branch_id]

    def record(self, kind: str, id: str, doc: Mapping[str, Any] | None) -> str:
        if not doc:
            return id
        if kind == SUBMISSIONS:
            title = _form_title(
                self.forms, str(doc.get("form_type", "")), doc.get("form_version"), self.lang
            )
            version = t("audit.record.version", self.lang, n=doc.get("version", 0))
            return " · ".join((self.branch(str(doc.get("branch_id") or "")), title, version))
        if kind == "users":
            return str(doc.get("login") or id)
        if kind == "form_definitions":
            title = _form_title(
                self.forms, str(doc.get("form_type", "")), doc.get("form_version"), self.lang
            )
            return f"{title} · v{doc.get('form_version', '')}"
        if kind == "spot_checks":
            title = _form_title(self.forms, str(doc.get("form_type", "")), None, self.lang)
            return f"{title} · {format_time(doc.get('drawn_at'))}"
        if kind == "meta":
            return t("audit.record.meta", self.lang)
        for key in ("name", "title", "login"):
            if doc.get(key):
                return str(doc[key])
        return id


def _form_model(forms: FormRegistry, form_type: str, version: Any) -> type[FormModel] | None:
    """The form model a record was filled in, else the current one, else None."""
    for wanted in (version if isinstance(version, int) else None, None):
        try:
            return forms.get(form_type, version=wanted)
        except UnknownFormType:
            continue
    return None


def _form_title(forms: FormRegistry, form_type: str, version: Any, lang: Lang) -> str:
    model = _form_model(forms, form_type, version)
    if model is None:
        return form_type
    return model.title_in(lang)


def _form_labels(forms: FormRegistry, doc: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    model = _form_model(forms, str(doc.get("form_type", "")), doc.get("form_version"))
    return {spec.name: spec.label(lang) for spec in describe(model)} if model else {}


def _changes(kind: str, old: Any, new: Any, names: _Names) -> list[FieldChange]:
    """Top-level fields whose values differ (store bookkeeping left out); a submission's
    ``data`` is opened up into its form fields, named as the form names them."""
    lang = names.lang
    old = old if isinstance(old, Mapping) else {}
    new = new if isinstance(new, Mapping) else {}
    out: list[FieldChange] = []
    for key in [*old, *(k for k in new if k not in old)]:
        if key in STORE_KEYS or old.get(key) == new.get(key):
            continue
        if kind == SUBMISSIONS and key == "data":
            out += _data_changes(old, new, lang, names.forms)
            continue
        label = coded("audit.field", key, lang)
        if key in SECRET_KEYS:
            out.append(FieldChange(label, SECRET if old.get(key) else "—", SECRET))
            continue
        before, after = old.get(key), new.get(key)
        if key == "branch_id":
            before = names.branch(str(before)) if before else before
            after = names.branch(str(after)) if after else after
        out.append(FieldChange(label, _value(key, before, lang), _value(key, after, lang)))
    return out


def _data_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], lang: Lang, forms: FormRegistry
) -> list[FieldChange]:
    before = _mapping(old.get("data"))
    after = _mapping(new.get("data"))
    labels = _form_labels(forms, new or old, lang)
    data_label = coded("audit.field", "data", lang)
    out: list[FieldChange] = []
    for key in [*before, *(k for k in after if k not in before)]:
        if before.get(key) == after.get(key):
            continue
        label = f"{data_label}·{labels.get(key, key)}"
        out.append(FieldChange(label, _short(before.get(key), lang), _short(after.get(key), lang)))
    return out


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _value(key: str, value: Any, lang: Lang) -> str:
    """A top-level value; coded ones (status, role, stage) in words."""
    if key in CODED and isinstance(value, str) and value:
        return coded(CODED[key], value, lang)
    return _short(value, lang)


def _short(value: Any, lang: Lang) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("audit.value.yes" if value else "audit.value.no", lang)
    if isinstance(value, list):
        return t("audit.value.items", lang, n=len(value))
    if isinstance(value, Mapping):
        return t("audit.value.group", lang)
    text = str(value)
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def _blank(doc: Any) -> Any:
    if isinstance(doc, dict) and any(doc.get(k) for k in SECRET_KEYS):
        return {**doc, **{k: SECRET for k in SECRET_KEYS if doc.get(k)}}
    return doc


def _hidden(doc: Any, reader: User) -> Any:
    """A submission revision with its data replaced by a notice where ``reader`` may not read
    it (a draft, or a returned submission being revised); any other document unchanged."""
    if not isinstance(doc, dict) or "form_type" not in doc or "status" not in doc:
        return doc
    if permissions.may_view_content(reader, str(doc.get("branch_id") or ""), doc["status"]):
        return doc
    notice = t("workflow.audit.draft_hidden", reader.lang)
    return {**doc, "data": {key: notice for key in _mapping(doc.get("data"))}}


def _without_secrets(event: Document, reader: User) -> Document:
    return {
        **event,
        "old": _blank(_hidden(event.get("old"), reader)),
        "new": _blank(_hidden(event.get("new"), reader)),
    }

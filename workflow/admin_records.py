"""Records that everyone reads and only admins write (campaigns, branches).

One place for what their services share: reading one by id, admin-only create and update,
turning a pydantic error into ``ValidationFailed`` that names the field, and storing the
record without its bookkeeping fields. Each service adds its listing order and its own
checks (``_check``) on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import ValidationError

from forms.explain import explain
from forms.validation import unstorable_errors
from i18n import Lang
from storage.base import Repository
from workflow import permissions
from workflow.errors import NotFound, ValidationFailed
from workflow.models import Record, User
from workflow.store_calls import stored_update

R = TypeVar("R", bound=Record)


class AdminRecordService(Generic[R]):
    """Admin-written records of one kind; subclasses set the class attributes and ``_check``."""

    kind: ClassVar[str]
    model: type[R]
    denied_key: ClassVar[str]
    # The store lock (``Repository.locked``) under which a record is checked and stored, when
    # a ``_check`` reads other kinds that other services change under the same lock.
    write_lock: ClassVar[str | None] = None

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def get(self, id: str) -> R:
        """One record; raises ``NotFound``."""
        doc = self.repo.get(self.kind, id)
        if doc is None:
            raise NotFound(self.kind, id)
        return self.model.model_validate(doc)

    @staticmethod
    def may_manage(actor: User) -> bool:
        """Whether ``actor`` may write records of this kind (a ``workflow.permissions`` rule)."""
        raise NotImplementedError

    def writing(self) -> AbstractContextManager[None]:
        """Hold ``write_lock`` (if any) across a record's checks and its store."""
        return self.repo.locked(self.write_lock) if self.write_lock else nullcontext()

    def _require_admin(self, actor: User) -> None:
        permissions.require(self.may_manage(actor), actor, self.denied_key)

    def create(self, actor: User, record: R | Mapping[str, Any]) -> R:
        """Store a new record (admins only); ``ValidationFailed`` names the field."""
        self._require_admin(actor)
        with self.writing():
            return self._insert(record, actor=actor.login, lang=actor.lang)

    def validate_new(self, record: R | Mapping[str, Any], lang: Lang = "zh") -> R:
        """The new record ``record`` makes, checked as ``create`` checks it but not stored;
        ``ValidationFailed`` names each wrong field."""
        new = self._parse(record, lang)
        self._check(new, lang, own_id=None)
        return new

    def _insert(self, record: R | Mapping[str, Any], *, actor: str, lang: Lang) -> R:
        new = self.validate_new(record, lang)
        doc = new.model_dump(mode="json", exclude={"rev", "updated_at", "updated_by"})
        if not doc["id"]:
            del doc["id"]
        return self.model.model_validate(self.repo.insert(self.kind, doc, actor=actor))

    def update(self, actor: User, record: R | Mapping[str, Any], expected_rev: int) -> R:
        """Replace a record's fields (admins only); raises ``Conflict`` on a stale revision."""
        self._require_admin(actor)
        new = self._parse(record, actor.lang)
        self.get(new.id)
        with self.writing():
            self._check(new, actor.lang, own_id=new.id)
            stored = stored_update(
                self.repo,
                self.kind,
                new.model_dump(mode="json"),
                actor=actor.login,
                expected_rev=expected_rev,
            )
        return self.model.model_validate(stored)

    def _parse(self, record: R | Mapping[str, Any], lang: Lang) -> R:
        try:
            data = record.model_dump() if isinstance(record, self.model) else dict(record)
            unstorable = unstorable_errors(self.model, data, lang)
            if unstorable:
                raise ValidationFailed(unstorable, lang)
            return self.model.model_validate(data)
        except ValidationError as error:
            raise ValidationFailed(explain(error, self.model, lang)) from None

    def check_restore(self, id: str, data: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
        """An old revision's ``data`` of record ``id``, checked as ``update`` checks a change
        (``ValidationFailed`` naming the field) before the audit log restores it (inside
        ``writing()``)."""
        self._check(self._parse({**data, "id": id}, lang), lang, own_id=id)
        return dict(data)

    def _check(self, record: R, lang: Lang, own_id: str | None) -> None:
        """Raise ``ValidationFailed`` for what the model alone cannot see (e.g. a taken name)."""
        raise NotImplementedError

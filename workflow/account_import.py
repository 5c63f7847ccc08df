"""Accounts and branches imported from one Excel workbook (admins), all or nothing.

The workbook has a sheet of branches (支部) and a sheet of accounts (账号), headed with the
same labels the admin screens use (``template`` writes it, with a sheet explaining each
column). Every row is checked as the admin screens check one record (``BranchService.
validate_new``, ``AccountService.new_account``), and also against the other rows (a name or
login used twice, an account naming a branch neither stored nor in the sheet). Any problem is
reported by sheet, Excel row number and column with the fix, and **nothing is stored**: a
half-imported sheet would leave the admin to find which rows went in. Otherwise the branches
and then the accounts are created, each account with a readable generated password
(``workflow.passwords.readable_password``) that is shown once, with its branch. A write that
fails after the checks (someone created the same login meanwhile) removes what this import
created and reports that row.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from i18n import Lang, t
from reports.excel import MIME, Sheet, workbook
from reports.excel_reader import ReadSheet, read_workbook
from storage import errors as storage_errors
from storage.base import Repository
from workflow import permissions
from workflow.accounts import ACCOUNTS_LOCK, AccountService
from workflow.accounts import KIND as USERS
from workflow.branches import CENTRAL_WORK, BranchService
from workflow.branches import KIND as BRANCHES
from workflow.errors import ValidationFailed
from workflow.models import Branch, Role, User
from workflow.passwords import readable_password

EXCEL_MIME = MIME  # what the screens label the template and the passwords with
MAX_ROWS = 500  # per sheet: each account costs one argon2 hash
BRANCH_COLUMNS = ("name", "unit", "member_count", "secretary", "central_work")
ACCOUNT_COLUMNS = ("login", "display_name", "role", "branch_id")
REQUIRED = {"name", "member_count", "login", "display_name", "role"}
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")
_PENDING = "pending:"  # id of a branch this import is about to create


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong in the workbook: where (sheet, Excel row, column) and how to fix it."""

    sheet: str
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ImportedAccount:
    """An account the import created, with its one-time password and branch name."""

    login: str
    display_name: str
    role: Role
    branch: str
    password: str


@dataclass
class ImportResult:
    """What an import did: its problems (then nothing was stored), or what it created."""

    problems: list[RowProblem] = field(default_factory=list)
    branches: list[Branch] = field(default_factory=list)
    accounts: list[ImportedAccount] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def sheet_title(kind: str, lang: Lang) -> str:
    """The title of the ``branches`` or ``accounts`` sheet in ``lang``."""
    return t(f"workflow.import.sheet_{kind}", lang)


def column_label(name: str, lang: Lang) -> str:
    """A column's header: the field's label on the admin screens."""
    return t(f"workflow.field.{name}", lang)


@dataclass
class _Planned:
    branches: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    accounts: list[tuple[int, User]] = field(default_factory=list)


class AccountImportService:
    """The Excel template, and importing its rows (admins only)."""

    def __init__(self, repo: Repository, accounts: AccountService, branches: BranchService):
        self.repo = repo
        self.accounts = accounts
        self.branches = branches

    def template(self, lang: Lang = "zh") -> bytes:
        """The workbook to fill in: the two sheets with their headers, and a sheet saying what
        each column takes."""
        roles = "、".join(t(f"role.{r.value}", lang) for r in Role)
        notes = {
            "name": t("workflow.import.note_branch_name", lang),
            "member_count": t("workflow.import.note_member_count", lang),
            "central_work": t(
                "workflow.import.note_central_work", lang, choices="、".join(CENTRAL_WORK)
            ),
            "login": t("workflow.field.login_help", lang),
            "role": t("workflow.import.note_role", lang, roles=roles),
            "branch_id": t("workflow.import.note_branch", lang),
        }
        required, optional = (
            t("workflow.import.required", lang),
            t("workflow.import.optional", lang),
        )
        explained = [
            [
                sheet_title(kind, lang),
                column_label(c, lang),
                required if c in REQUIRED else optional,
                notes.get(c, ""),
            ]
            for kind, columns in (("branches", BRANCH_COLUMNS), ("accounts", ACCOUNT_COLUMNS))
            for c in columns
        ]
        return workbook(
            [
                Sheet(
                    sheet_title("branches", lang),
                    [column_label(c, lang) for c in BRANCH_COLUMNS],
                    [],
                ),
                Sheet(
                    sheet_title("accounts", lang),
                    [column_label(c, lang) for c in ACCOUNT_COLUMNS],
                    [],
                ),
                Sheet(
                    t("workflow.import.sheet_notes", lang),
                    [
                        t(f"workflow.import.notes_{h}", lang)
                        for h in ("sheet", "column", "required", "how")
                    ],
                    explained,
                ),
            ]
        )

    def import_workbook(self, actor: User, data: bytes) -> ImportResult:
        """Check every row of the workbook ``data``; store its branches and accounts only if
        no row has a problem (``ImportResult.problems`` says which and how to fix them).
        ``ExcelUnreadable`` when the file is not a workbook within the reader's limits."""
        actor = self.accounts.acting(actor)
        permissions.require(
            permissions.may_manage_accounts(actor) and permissions.may_manage_branches(actor),
            actor,
            "workflow.denied.accounts",
        )
        lang = actor.lang
        sheets = read_workbook(data, max_rows=MAX_ROWS)
        with self.repo.locked(ACCOUNTS_LOCK):
            result = ImportResult()
            planned = self._plan(sheets, lang, result.problems)
            if result.problems:
                return result
            self._store(actor, planned, lang, result)
            return result

    def passwords_workbook(self, result: ImportResult, lang: Lang = "zh") -> bytes:
        """The created accounts with their passwords and branches, to hand on."""
        header = [column_label(c, lang) for c in ("login", "display_name", "role", "branch_id")]
        header.append(column_label("password", lang))
        rows = [
            [a.login, a.display_name, t(f"role.{a.role.value}", lang), a.branch, a.password]
            for a in result.accounts
        ]
        return workbook([Sheet(sheet_title("accounts", lang), header, rows)])

    # -- checking ----------------------------------------------------------------------------

    def _plan(
        self, sheets: dict[str, ReadSheet], lang: Lang, problems: list[RowProblem]
    ) -> _Planned:
        planned = _Planned()
        branch_sheet = _find_sheet(sheets, "branches")
        account_sheet = _find_sheet(sheets, "accounts")
        if branch_sheet is None and account_sheet is None:
            names = "、".join(f"“{sheet_title(k, lang)}”" for k in ("branches", "accounts"))
            problems.append(
                RowProblem("", 1, "", t("workflow.import.no_sheets", lang, names=names))
            )
            return planned
        known = {b.name: b.id for b in self.branches.list()}
        if branch_sheet is not None:
            self._plan_branches(branch_sheet, lang, problems, planned, known)
        if account_sheet is not None:
            self._plan_accounts(account_sheet, lang, problems, planned, known)
        if not planned.branches and not planned.accounts and not problems:
            problems.append(RowProblem("", 1, "", t("workflow.import.empty", lang)))
        return planned

    def _plan_branches(
        self,
        sheet: ReadSheet,
        lang: Lang,
        problems: list[RowProblem],
        planned: _Planned,
        known: dict[str, str],
    ) -> None:
        columns = _columns(sheet, BRANCH_COLUMNS, lang, problems)
        if columns is None:
            return
        first_row: dict[str, int] = {}
        for number, values in sheet.rows:
            record = {name: _cell(values, i) for name, i in columns.items()}
            record["central_work"] = [
                w for w in _LIST_SPLIT.split(str(record.get("central_work") or "")) if w
            ]
            where = _Where(sheet.title, number, lang, problems)
            try:
                self.branches.validate_new(record, lang)
            except ValidationFailed as refused:
                where.fields(refused.errors)
                continue
            name = str(record["name"]).strip()
            if name in first_row:
                where.at("name", t("workflow.import.repeated", lang, row=first_row[name]))
                continue
            first_row[name] = number
            known[name] = _PENDING + name
            planned.branches.append((number, record))

    def _plan_accounts(
        self,
        sheet: ReadSheet,
        lang: Lang,
        problems: list[RowProblem],
        planned: _Planned,
        known: dict[str, str],
    ) -> None:
        columns = _columns(sheet, ACCOUNT_COLUMNS, lang, problems)
        if columns is None:
            return
        roles = _role_words()
        pending = frozenset(v for v in known.values() if v.startswith(_PENDING))
        first_row: dict[str, int] = {}
        for number, values in sheet.rows:
            cells = {name: str(_cell(values, i)) for name, i in columns.items()}
            where = _Where(sheet.title, number, lang, problems)
            role = roles.get(cells["role"].strip().lower())
            if role is None:
                choices = "、".join(t(f"role.{r.value}", lang) for r in Role)
                where.at(
                    "role",
                    t("workflow.import.role_unknown", lang, value=cells["role"], choices=choices),
                )
                continue
            branch_name = cells.get("branch_id", "").strip()
            branch_id = known.get(branch_name) if branch_name else None
            if branch_name and branch_id is None:
                where.at("branch_id", t("workflow.import.branch_unknown", lang, name=branch_name))
                continue
            try:
                user = self.accounts.new_account(
                    login=cells["login"],
                    display_name=cells["display_name"],
                    role=role,
                    branch_id=branch_id,
                    lang=lang,
                    pending_branches=pending,
                )
            except ValidationFailed as refused:
                where.fields(refused.errors)
                continue
            if user.login in first_row:
                where.at("login", t("workflow.import.repeated", lang, row=first_row[user.login]))
                continue
            first_row[user.login] = number
            planned.accounts.append((number, user))

    # -- storing -----------------------------------------------------------------------------

    def _store(self, actor: User, planned: _Planned, lang: Lang, result: ImportResult) -> None:
        ids: dict[str, str] = {}
        names = {b.id: b.name for b in self.branches.list()}
        at = ("", 0, "")  # the row being written, named if its write is refused
        try:
            for number, record in planned.branches:
                at = (sheet_title("branches", lang), number, "name")
                branch = self.branches.insert_branch(record, actor=actor.login, lang=lang)
                result.branches.append(branch)
                ids[_PENDING + branch.name] = branch.id
                names[branch.id] = branch.name
            for number, user in planned.accounts:
                at = (sheet_title("accounts", lang), number, "login")
                branch_id = ids.get(user.branch_id or "", user.branch_id)
                password = readable_password()
                created = self.accounts.insert_user(
                    login=user.login,
                    display_name=user.display_name,
                    role=user.role,
                    password=password,
                    branch_id=branch_id,
                    actor=actor.login,
                    lang=lang,
                )
                result.accounts.append(
                    ImportedAccount(
                        created.login,
                        created.display_name,
                        created.role,
                        names.get(branch_id or "", ""),
                        password,
                    )
                )
        except ValidationFailed as refused:  # changed by someone else since the checks
            self._undo(actor, result)
            message = next(iter(refused.errors.values()), "")
            result.problems.append(RowProblem(at[0], at[1], column_label(at[2], lang), message))

    def _undo(self, actor: User, result: ImportResult) -> None:
        for kind, ids in (
            (USERS, [a.login for a in result.accounts]),
            (BRANCHES, [b.id for b in result.branches]),
        ):
            for id in ids:
                doc = self.repo.get(kind, id)
                if doc is not None:
                    with contextlib.suppress(storage_errors.Conflict, storage_errors.NotFound):
                        self.repo.delete(kind, id, actor=actor.login, expected_rev=int(doc["rev"]))
        result.branches.clear()
        result.accounts.clear()


@dataclass
class _Where:
    """Where the problems of one row go."""

    sheet: str
    row: int
    lang: Lang
    problems: list[RowProblem]

    def at(self, name: str, message: str) -> None:
        column = column_label(name, self.lang) if name else ""
        self.problems.append(RowProblem(self.sheet, self.row, column, message))

    def fields(self, errors: dict[str, str]) -> None:
        for path, message in errors.items():
            self.at(path.split(".")[0], message)


def _find_sheet(sheets: dict[str, ReadSheet], kind: str) -> ReadSheet | None:
    titles = {sheet_title(kind, "zh"), sheet_title(kind, "en")}
    return next((s for title, s in sheets.items() if title.strip() in titles), None)


def _columns(
    sheet: ReadSheet, names: Sequence[str], lang: Lang, problems: list[RowProblem]
) -> dict[str, int] | None:
    """Field name → column index by the header; a missing required column is a problem."""
    found: dict[str, int] = {}
    for name in names:
        labels = {column_label(name, "zh"), column_label(name, "en")}
        index = next((i for i, h in enumerate(sheet.header) if h.strip() in labels), None)
        if index is not None:
            found[name] = index
        elif name in REQUIRED:
            problems.append(
                RowProblem(
                    sheet.title,
                    1,
                    column_label(name, lang),
                    t("workflow.import.column_missing", lang, column=column_label(name, lang)),
                )
            )
    return found if all(n in found for n in names if n in REQUIRED) else None


def _cell(values: list[Any], index: int) -> Any:
    return values[index] if index < len(values) else ""


def _role_words() -> dict[str, Role]:
    """What a role cell may say: its Chinese or English name, or its code."""
    words: dict[str, Role] = {}
    for role in Role:
        for word in (role.value, t(f"role.{role.value}", "zh"), t(f"role.{role.value}", "en")):
            words[word.lower()] = role
    return words

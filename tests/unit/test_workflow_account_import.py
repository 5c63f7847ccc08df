"""Importing accounts and branches from Excel (issue 10 point 8): every bad row is reported by
sheet, row number, column and fix, in Chinese, and then nothing is stored; a clean workbook
creates its branches and accounts with readable one-time passwords and their branches."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from reports.excel_reader import ExcelUnreadable, read_workbook
from tests.unit.workflow_world import World, make_world
from workflow.account_import import RowProblem
from workflow.errors import PermissionDenied
from workflow.models import Role
from workflow.passwords import password_problem

BRANCH_HEADER = ["支部名称", "所在单位", "党员人数", "支部书记", "结合学校中心工作"]
ACCOUNT_HEADER = ["登录名", "姓名", "角色", "所属支部"]


@pytest.fixture
def world() -> World:
    return make_world()


def xlsx(branches: list[list[Any]] | None, accounts: list[list[Any]] | None) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in (
        ("支部", BRANCH_HEADER, branches),
        ("账号", ACCOUNT_HEADER, accounts),
    ):
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _stored(world: World) -> tuple[int, int]:
    return len(world.repo.find("branches")), len(world.repo.find("users"))


def test_a_clean_workbook_creates_branches_and_accounts_with_readable_passwords(
    world: World,
) -> None:
    data = xlsx(
        [["财务处党支部", "财务处", 12, "王五", "校庆、学科建设"]],
        [
            ["caiwu1", "财务处组织委员", "支部", "财务处党支部"],
            ["kyc2", "科研处宣传委员", "branch", world.branches[2].name],
            ["audit2", "审核员二", "审核员", ""],
        ],
    )
    result = world.services.account_import.import_workbook(world.admin, data)
    assert result.problems == []
    assert [b.name for b in result.branches] == ["财务处党支部"]
    assert result.branches[0].central_work == ["校庆", "学科建设"]
    made = {a.login: a for a in result.accounts}
    assert made["caiwu1"].branch == "财务处党支部" and made["caiwu1"].role is Role.BRANCH
    assert made["kyc2"].branch == world.branches[2].name
    assert made["audit2"].branch == "" and made["audit2"].role is Role.REVIEWER
    for account in result.accounts:
        assert not set("0Oo1lIi") & set(account.password)
        assert password_problem(account.password, account.login) is None
        assert world.services.accounts.authenticate(account.login, account.password)
    stored = world.repo.get("users", "caiwu1")
    assert stored is not None and stored["branch_id"] == result.branches[0].id
    handed_on = load_workbook(io.BytesIO(world.services.account_import.passwords_workbook(result)))
    rows = list(handed_on.worksheets[0].values)
    assert rows[0] == ("登录名", "姓名", "角色", "所属支部", "密码")
    assert ("caiwu1", "财务处组织委员", "支部", "财务处党支部", made["caiwu1"].password) in rows


def test_every_bad_row_is_reported_with_row_column_and_fix_and_nothing_is_stored(
    world: World,
) -> None:
    before = _stored(world)
    data = xlsx(
        [
            ["财务处党支部", "财务处", 12, "", ""],
            ["", "无名", 5, "", ""],  # row 3: no name
            ["财务处党支部", "财务处", 8, "", ""],  # row 4: repeats row 2
            ["宣传部党支部", "宣传部", "十二", "", ""],  # row 5: count not a number
            ["组织部党支部", "组织部", 9, "", "校庆、校史"],  # row 6: unknown tie
            [world.branches[0].name, "", 3, "", ""],  # row 7: taken name
        ],
        [
            ["good1", "好账号", "支部", "财务处党支部"],  # row 2: fine
            ["bad login", "张三", "支部", "财务处党支部"],  # row 3: malformed login
            ["admin", "重名", "审核员", ""],  # row 4: login taken
            ["good1", "又一个", "读者", ""],  # row 5: repeats row 2
            ["lisi", "李四", "书记", ""],  # row 6: unknown role
            ["wangwu", "王五", "支部", "不存在党支部"],  # row 7: unknown branch
            ["zhaoliu", "赵六", "支部", ""],  # row 8: branch staff without a branch
        ],
    )
    result = world.services.account_import.import_workbook(world.admin, data)
    assert _stored(world) == before
    assert result.branches == [] and result.accounts == []
    where = {(p.sheet, p.row, p.column) for p in result.problems}
    assert where == {
        ("支部", 3, "支部名称"),
        ("支部", 4, "支部名称"),
        ("支部", 5, "党员人数"),
        ("支部", 6, "结合学校中心工作"),
        ("支部", 7, "支部名称"),
        ("账号", 3, "登录名"),
        ("账号", 4, "登录名"),
        ("账号", 5, "登录名"),
        ("账号", 6, "角色"),
        ("账号", 7, "所属支部"),
        ("账号", 8, "所属支部"),
    }
    said = {(p.sheet, p.row): p.message for p in result.problems}
    assert "第 2 行重复" in said[("支部", 4)]
    assert "校史" in said[("支部", 6)] and "学位点建设" in said[("支部", 6)]
    assert "已存在" in said[("支部", 7)]
    assert "已被使用" in said[("账号", 4)]
    assert "支部、审核员、管理员、读者" in said[("账号", 6)]
    assert "不存在党支部" in said[("账号", 7)] and "先在“支部”表中添加" in said[("账号", 7)]
    assert all(any("\u4e00" <= c <= "\u9fff" for c in p.message) for p in result.problems)


def test_a_workbook_without_the_sheets_or_columns_says_to_use_the_template(world: World) -> None:
    book = Workbook()
    book.active.title = "Sheet1"
    book.active.append(["x"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = world.services.account_import.import_workbook(world.admin, buffer.getvalue())
    assert len(result.problems) == 1 and "模板" in result.problems[0].message

    book = Workbook()
    book.active.title = "账号"
    book.active.append(["登录名", "姓名"])
    book.active.append(["zhangsan", "张三"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = world.services.account_import.import_workbook(world.admin, buffer.getvalue())
    assert result.problems == [
        RowProblem("账号", 1, "角色", "缺少“角色”列:请使用模板中的表头(第 1 行)")
    ]


def test_the_template_reads_back_with_the_headers_the_import_expects(world: World) -> None:
    sheets = read_workbook(world.services.account_import.template("zh"))
    assert sheets["支部"].header == BRANCH_HEADER
    assert sheets["账号"].header == ACCOUNT_HEADER
    assert any("校庆" in str(row) for _, row in sheets["填写说明"].rows)
    result = world.services.account_import.import_workbook(
        world.admin, world.services.account_import.template("zh")
    )
    assert [p.message for p in result.problems] == [
        "工作表中没有要导入的行:请在表头下面逐行填写后再上传"
    ]


def test_only_admins_import(world: World) -> None:
    with pytest.raises(PermissionDenied):
        world.services.account_import.import_workbook(world.reviewer, xlsx(None, []))


def test_a_file_that_is_not_a_workbook_or_too_big_is_refused_in_words() -> None:
    with pytest.raises(ExcelUnreadable) as refused:
        read_workbook(b"<html>not a workbook</html>")
    assert "xlsx" in refused.value.message("zh")
    with pytest.raises(ExcelUnreadable) as too_many:
        read_workbook(xlsx([[f"支部{i}", "", 3, "", ""] for i in range(30)], None), max_rows=20)
    assert "20 行" in too_many.value.message("zh")


def test_a_write_refused_after_the_checks_takes_back_what_the_import_created(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone creates the same login between the checks and the writes: the branches and
    accounts this import already made are removed again and that row is reported."""
    before = _stored(world)
    accounts = world.services.accounts
    real_insert = accounts.insert_user

    def meanwhile(**kwargs: Any) -> Any:
        if kwargs["login"] == "second":
            real_insert(**{**kwargs, "actor": "someone-else"})  # taken meanwhile
        return real_insert(**kwargs)

    monkeypatch.setattr(accounts, "insert_user", meanwhile)
    data = xlsx(
        [["财务处党支部", "财务处", 12, "", ""]],
        [["first", "一号", "支部", "财务处党支部"], ["second", "二号", "读者", ""]],
    )
    result = world.services.account_import.import_workbook(world.admin, data)
    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("账号", 3, "登录名")]
    assert "已被使用" in result.problems[0].message
    assert world.repo.get("users", "first") is None
    assert not world.repo.find("branches", {"name": "财务处党支部"})
    assert _stored(world) == (before[0], before[1] + 1)  # only the other writer's account

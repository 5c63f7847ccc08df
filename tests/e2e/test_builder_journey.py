"""Issue 16 in a real browser at 1366×768: build a form and its rules without YAML.

On the demo store the admin creates 党员服务日登记 on 表单设计 and types its fields into the table
cell by cell — a text, a long text, a number, a month, a choice with its options, a section with
a whole number in it, a repeat group with a name in it (each picked in the 所属 column as soon
as it is added), a date, a multiple choice, a yes/no and an upload — sets 其他类别说明 to show
only when 服务类别 is 其他 under the table, sees the form drawn beside the table and its YAML
under 高级, and publishes it: what tests/app/test_form_builder_page.py builds as an AppTest.
Branch 1 fills every field (the conditional one appears once 其他 is picked), uploads a photo,
submits, and the PDF it downloads shows what was filled. On 规则设计 the admin adds three rules
(服务内容 至少 20 字 退回, 服务时长 0.5–24 提醒, 服务地点 必填 一票否决); the impact preview
says the one submitted form, its 服务内容 too short, would now be returned; the admin publishes,
and the form's next version names the rule set. Branch 1 fills the form again: a short
服务内容 is returned with the rule's wording; written out in full it is submitted. The admin
then copies 主题实践活动记录 as 党员志愿服务日登记 (复制为新表单 keeps it as a draft), moves it
to the launch stage and publishes it; branch 1 finds it on 填报 with the copied fields. Every
step waits for its outcome, never for a fixed time; no screen ever shows a traceback.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from forms.builder import BUILDER_KINDS
from forms.builder_table import COLUMNS
from i18n import t
from tests.e2e.conftest import SHOTS
from tests.e2e.test_launch_journey import (
    click,
    field,
    idle,
    login,
    logout,
    main,
    open_menu,
    open_options,
    pick,
    pick_many,
    shot,
)
from tests.e2e.test_news_journey import _photo, type_date

pytestmark = pytest.mark.e2e


@pytest.fixture
def viewport() -> dict[str, int]:
    return {"width": 1366, "height": 768}


def passwords_of(page: Page) -> dict[str, str]:
    """Each demo login → its password, as the sign-in screen lists them (login, password …)."""
    rows = page.get_by_test_id("stTable").locator("tbody tr")
    expect(rows.first).to_be_visible()
    found = {}
    for i in range(rows.count()):
        cells = [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        found[cells[0]] = cells[1]
    return found


def open_screen(page: Page, title: str) -> None:
    """Open a menu entry, unfolding the menu first when it shows only its first entries."""
    more = page.get_by_test_id("stSidebarNav").get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.click()
    open_menu(page, title)


def box(page: Page, label: str, nth: int = 0) -> Locator:
    return main(page).get_by_role("textbox", name=label).nth(nth)


def type_in(page: Page, target: Locator, text: str) -> None:
    target.click()
    target.fill(text)
    target.press("Tab")
    idle(page)


ROW = 35  # glide-data-grid's row and header height in Streamlit
MARKER = 33  # the row-marker column on the left


def cell(page: Page, row: int, column_x: int) -> tuple[float, float]:
    """Where a cell is on the screen, scrolling the page until it is in view."""
    found = grid(page).bounding_box()
    assert found is not None
    x, y = found["x"] + MARKER + column_x, found["y"] + ROW * (row + 1) + ROW / 2
    if not 80 < y < 768 - 60:
        grid(page).evaluate("el => el.scrollIntoView({block: 'start'})")
        expect(grid(page)).to_be_in_viewport()
        found = grid(page).bounding_box()
        assert found is not None
        x, y = found["x"] + MARKER + column_x, found["y"] + ROW * (row + 1) + ROW / 2
    return x, y


def grid(page: Page) -> Locator:
    return main(page).get_by_test_id("stDataFrame").first


LABEL = 20  # x of a cell in the first column (标题), from the row markers
# columns from the first one, moved across with the arrow keys (the table scrolls along)
KIND, OPTIONS, PARENT = (COLUMNS.index(c) for c in ("kind", "options", "parent"))


def select_cell(page: Page, row: int, column: int) -> None:
    """Select a cell as a person does: click the row's first cell, then arrow to the right."""
    scroller = grid(page).locator(".dvn-scroller").first
    scroller.evaluate("el => { el.scrollLeft = 0; }")  # back to the first columns
    expect(scroller).to_have_js_property("scrollLeft", 0)
    x, y = cell(page, row, LABEL)
    page.mouse.click(x, y)
    for _ in range(column):
        page.keyboard.press("ArrowRight")


def edit_cell(
    page: Page, row: int, column: int, text: str, *, pick: bool = False, value: str | None = None
) -> None:
    """Open a cell's editor (Enter), type ``text`` and leave it: Tab for a text cell, Enter to
    take the option a list cell narrowed to. The cell must then hold ``value`` (what was typed,
    unless given); a keystroke lost while a run redraws the table is typed again, as a person
    seeing the cell empty would."""
    value = text if value is None else value
    editor = page.locator("#portal .gdg-clip-region")  # the cell's editor, over the table
    shown = main(page).get_by_test_id(f"glide-cell-{column + 1}-{row}")
    for _ in range(3):
        idle(page)
        select_cell(page, row, column)
        page.keyboard.press("Enter")
        try:
            expect(editor).to_be_visible(timeout=5_000)
        except AssertionError:
            continue
        page.keyboard.type(text)
        page.keyboard.press("Enter" if pick else "Tab")
        expect(editor).to_have_count(0)
        idle(page)
        try:
            expect(shown).to_have_text(value, timeout=5_000)
            return
        except AssertionError:
            continue
    expect(shown).to_have_text(value)


def add_field(
    page: Page, row: int, label: str, kind: str | None, options: str = "", parent: str = ""
) -> None:
    """Add a table row; type its label, pick its type, type its options, and pick the section
    or repeat group it belongs to."""
    rows = grid(page)
    before = main(page).get_by_test_id(f"glide-cell-1-{row}")
    for _ in range(3):
        rows.hover()  # shows the table's toolbar
        main(page).get_by_role("button", name="Add row").first.click(force=True)
        idle(page)
        if before.count():
            break
    edit_cell(page, row, 0, label)
    if kind:
        edit_cell(page, row, KIND, kind, pick=True, value=KINDS[kind])
    if options:
        edit_cell(page, row, OPTIONS, options)
    if parent:
        edit_cell(page, row, PARENT, parent, pick=True, value=NAMES[parent])


SECTION, GROUP = "服务成效", "一同参加的党员"
FIELDS = [
    ("服务地点", None, "", ""),
    ("服务内容", "多行文字", "", ""),
    ("服务时长", "数字", "", ""),
    ("计入月份", "月份", "", ""),
    ("服务类别", "单选(下拉)", "社区服务；校园服务；其他", ""),
    (SECTION, "分节", "", ""),
    ("受益人数", "整数", "", SECTION),
    (GROUP, "重复组", "", ""),
    ("姓名", None, "", GROUP),
    ("服务日期", "日期", "", ""),
    ("服务对象", "多选", "老人；学生；残障人士", ""),
    ("同意公开", "是/否", "", ""),
    ("现场照片", "上传附件", "", ""),
    ("其他类别说明", None, "", ""),
]  # the same kinds tests/app/test_form_builder_page.py builds
KINDS = {t(f"builder.kind.{k}"): k for k in BUILDER_KINDS}  # the cell holds the kind's name
NAMES = {SECTION: "field_6", GROUP: "field_8"}  # the names the table gives the new rows
SHORT = "帮忙打扫"
FULL = "为社区孤寡老人打扫卫生、讲解防范电信诈骗知识,并帮助三户老人安装反诈软件。"


def pick_option(page: Page, label: str, option: str) -> None:
    pick(page, main(page).get_by_label(label, exact=True), option)


def show_only_when(page: Page, field_label: str, target: str, value: str) -> None:
    """Under the table: show ``field_label`` only when ``target`` (a field above) is ``value``,
    picked from the target's own options."""
    pick_option(page, "要设条件的字段", field_label)
    pick_option(page, "仅当此字段(只列前面的字段)", target)
    pick_option(page, "为此值时显示", value)
    click(page, "设定条件")
    expect(
        main(page).get_by_text(f"现在:「{field_label}」仅当「{target}」为“{value}”时显示")
    ).to_be_visible()


def build_form(page: Page) -> None:
    open_screen(page, "表单设计")
    main(page).get_by_text("新建空白表单").click()
    idle(page)
    type_in(page, box(page, "表单英文名"), "service_days")
    type_in(page, box(page, "表单名称(中文)"), "党员服务日登记")
    pick_option(page, "所属阶段", "启动阶段")
    click(page, "新建")
    grid(page).scroll_into_view_if_needed()
    for row, (label, kind, options, parent) in enumerate(FIELDS):
        add_field(page, row, label, kind, options, parent)
    preview = main(page).get_by_test_id("stWidgetLabel")  # the form drawn beside the table
    for label in ("计入月份", "服务类别", "受益人数", "服务日期", "服务对象", "同意公开"):
        expect(preview.filter(has_text=label).first).to_be_visible()
    expect(main(page).locator("strong", has_text="现场照片")).to_be_visible()  # the upload
    for heading in (SECTION, GROUP):
        expect(main(page).get_by_role("heading", name=heading)).to_be_visible()
    expect(main(page).get_by_test_id("glide-cell-1-3")).to_have_text("计入月份")  # the table
    show_only_when(page, "其他类别说明", "服务类别", "其他")
    expect(preview.filter(has_text="其他类别说明")).to_have_count(0)  # until 其他 is picked
    shot(page, "b01-form-table-and-preview")
    main(page).get_by_role("tab", name="高级").click()
    yaml = main(page).get_by_test_id("stCode")
    for text in ("type: month", "type: section", "type: group", "type: date",
                 "type: multiselect", "type: bool", "type: file", '== "其他"'):  # fmt: skip
        expect(yaml.filter(has_text=text)).to_have_count(1)
    shot(page, "b02-form-yaml")
    main(page).get_by_role("tab", name="发布").click()
    click(page, "发布为新版本")
    expect(page.get_by_text("已发布《党员服务日登记》第 1 版")).to_be_visible()
    shot(page, "b03-form-published")


PHOTO = "service-day.png"
FILLED = ("社区服务中心", SHORT, "2.5", "2026-03", "其他", "义务理发", "30", "李四",
          "2026-03-05", "老人", "学生", PHOTO)  # fmt: skip


def fill_every_field(page: Page) -> None:
    """Branch 1 fills every field of the built form, uploads a photo and submits; the PDF it
    downloads shows what was filled."""
    open_screen(page, "填报")
    pick_option(page, "表单类型", "党员服务日登记")
    type_in(page, box(page, "服务地点"), "社区服务中心")
    type_in(page, box(page, "服务内容"), SHORT)
    type_in(page, main(page).get_by_label("服务时长", exact=True), "2.5")
    type_in(page, box(page, "计入月份"), "2026-03")
    expect(box(page, "其他类别说明")).to_have_count(0)
    pick_option(page, "服务类别", "其他")
    type_in(page, box(page, "其他类别说明"), "义务理发")  # shown now that 其他 is picked
    type_in(page, main(page).get_by_label("受益人数", exact=True), "30")
    click(page, f"添加一项:{GROUP}")
    type_in(page, box(page, "姓名"), "李四")
    type_date(page, "服务日期", "20260305")
    pick_many(page, field(page, "服务对象"), ["老人", "学生"])
    main(page).get_by_text("同意公开", exact=True).click()
    idle(page)
    expect(main(page).get_by_role("checkbox", name="同意公开")).to_be_checked()
    photo = SHOTS / PHOTO
    photo.write_bytes(_photo())
    main(page).locator("input[type=file]").first.set_input_files(str(photo))
    idle(page)
    expect(main(page).get_by_text(PHOTO).first).to_be_visible()
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    text = downloaded_pdf_text(page)
    for value in FILLED:
        assert value in text, (value, text)
    shot(page, "b04-submitted-every-field")


def downloaded_pdf_text(page: Page) -> str:
    with page.expect_download() as download:
        main(page).get_by_role("button", name="下载PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def add_rule(page: Page, field: str, condition: str, severity: str, **numbers: str) -> None:
    pick_option(page, "字段", field)
    pick_option(page, "条件", condition)
    for label, value in numbers.items():
        type_in(page, main(page).get_by_label(label, exact=True), value)
    main(page).get_by_text(severity, exact=True).click()
    idle(page)
    click(page, "保存规则到草稿")


def build_rules(page: Page) -> None:
    open_screen(page, "规则设计")
    pick_option(page, "表单", "党员服务日登记(service_days)")
    add_rule(page, "服务内容", "至少 N 字", "退回", N="20")
    add_rule(
        page, "服务时长", "数值范围", "提醒", **{"最小值(可不填)": "0.5", "最大值(可不填)": "24"}
    )
    add_rule(page, "服务地点", "必填", "一票否决")
    rules = main(page).get_by_test_id("stDataFrame").first
    expect(rules).to_be_visible()
    shot(page, "b04-three-rules")
    click(page, "预览影响")
    # branch 1's submitted form, its 服务内容 too short, would now be returned
    expect(
        main(page).get_by_text(t("rules.page.impact_summary", total=1, changed=1))
    ).to_be_visible()
    impact = main(page).get_by_test_id("stDataFrame").last
    expect(impact.get_by_test_id("glide-cell-0-0")).to_have_text("党政办公室党支部")  # branch
    before, after = t("rules.page.not_checked"), t("rules.page.decision_return")
    expect(impact.get_by_test_id("glide-cell-2-0")).to_have_text(before)  # no rule set yet
    expect(impact.get_by_test_id("glide-cell-3-0")).to_have_text(re.compile(f"^{after}"))
    shot(page, "b05-impact")
    click(page, "发布为新版本")
    expect(page.get_by_text(re.compile("已发布为第 1 版"))).to_be_visible()
    expect(page.get_by_text("表单已发布第 2 版")).to_be_visible()
    shot(page, "b06-rules-published")


COPY = "党员志愿服务日登记"


def copy_form(page: Page) -> None:
    """Copy the built-in 主题实践活动记录 as a new form, adapt its stage, publish it."""
    open_screen(page, "表单设计")
    copy_mode = main(page).get_by_text("复制模板或往期表单")
    if not copy_mode.is_visible():  # the start panel is folded while a form is open
        main(page).get_by_text("打开、新建或复制表单").click()
        idle(page)
    expect(copy_mode).to_be_visible()
    copy_mode.click()
    idle(page)
    open_options(main(page).get_by_label("复制哪一张表单", exact=True))
    page.get_by_role(
        "option", name=re.compile(r"^主题实践活动记录\(theme_activity 第 1 版")
    ).click()
    idle(page)
    type_in(page, box(page, "表单英文名"), "volunteer_days")
    type_in(page, box(page, "表单名称(中文)"), COPY)
    click(page, "复制为新表单")
    expect(page.get_by_text(re.compile(f"已复制为新表单《{COPY}》"))).to_be_visible()
    pick_option(page, "所属阶段", "启动阶段")  # adapted: branches fill it in this stage
    shot(page, "b09-copied-form")
    main(page).get_by_role("tab", name="发布").click()
    click(page, "发布为新版本")
    expect(page.get_by_text(f"已发布《{COPY}》第 1 版")).to_be_visible()


def test_builder_journey(page: Page, setup_url: str) -> None:
    page.goto(setup_url)
    expect(page.get_by_role("button", name="载入演示数据")).to_be_visible(timeout=30_000)
    click(page, "载入演示数据")
    expect(page.get_by_text("演示数据已载入")).to_be_visible(timeout=30_000)
    passwords = passwords_of(page)
    login(page, "admin", passwords["admin"])
    build_form(page)
    logout(page)

    login(page, "branch1", passwords["branch1"])
    fill_every_field(page)
    logout(page)

    login(page, "admin", passwords["admin"])
    build_rules(page)
    copy_form(page)
    logout(page)

    login(page, "branch1", passwords["branch1"])
    open_screen(page, "填报")
    pick_option(page, "表单类型", "党员服务日登记")
    type_in(page, box(page, "服务地点"), "社区服务中心")
    type_in(page, box(page, "服务内容"), SHORT)
    type_in(page, main(page).get_by_label("服务时长", exact=True), "2.5")
    type_in(page, box(page, "计入月份"), "2026-03")
    click(page, "提交")
    expect(main(page).get_by_text("写得太简单").first).to_be_visible()
    shot(page, "b07-returned-by-rule")
    type_in(page, box(page, "服务内容"), FULL)
    click(page, "提交")
    expect(page.get_by_text("已提交,等待审核。")).to_be_visible()
    assert FULL[:12] in downloaded_pdf_text(page)
    shot(page, "b08-submitted")
    open_screen(page, "填报")
    pick_option(page, "表单类型", COPY)
    expect(box(page, "活动主题")).to_be_visible()
    shot(page, "b10-branch-fills-the-copy")

"""Issue 16 (1, 4) in the app: an admin builds a form of every field type on the 表单设计 screen
(the table, seeded as the browser sends its edits), sees it drawn by the branch renderer and its
YAML under 高级, publishes it; branch staff fill and submit it, and it prints as a PDF. A later
version removing a field that submitted forms hold warns with their number, and the submitted
form keeps printing with its own version."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from forms.builder_table import COLUMNS
from i18n import t
from pages.editor import key_for
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.conftest import APP
from tests.app.driver import button, login, no_traceback, open_page, texts
from tests.app.form_filler import fill_form
from tests.sample_files import PNG
from workflow.form_builder import FormBuilderService
from workflow.models import Status, User
from workflow.services import Services

FORM_TYPE = "service_days"


def row(**values: Any) -> dict[str, Any]:
    """One table row as the browser adds it (unset cells empty)."""
    return {column: values.get(column) for column in COLUMNS}


# One field of every type the issue lists, a section with a condition inside, a repeat group.
ROWS = [
    row(kind="text", label_zh="服务地点", label_en="Place", required=True, maximum=50),
    row(kind="textarea", label_zh="服务内容", minimum=5, maximum=500, help_zh="写明为谁做了什么"),
    row(kind="float", label_zh="服务时长(小时)", minimum=0.5, maximum=24, required=True),
    row(kind="date", label_zh="服务日期", required=True),
    row(kind="month", label_zh="计入月份", required=True),
    row(kind="select", name="kind", label_zh="服务类别", required=True,
        options="社区服务|Community；校园服务|Campus；其他|Other"),
    row(kind="text", label_zh="其他类别说明", show_field="kind", show_value="其他"),
    row(kind="multiselect", label_zh="服务对象", options="老人；学生；残障人士", maximum=2),
    row(kind="bool", name="public", label_zh="同意在简报中公开"),
    row(kind="file", label_zh="现场照片"),
    row(kind="group", name="people", label_zh="一同参加的党员"),
    row(kind="text", parent="people", label_zh="姓名", required=True),
    row(kind="float", parent="people", label_zh="时长", minimum=0),
    row(kind="section", name="effect", label_zh="服务成效"),
    row(kind="int", parent="effect", label_zh="受益人数", minimum=0),
    row(kind="textarea", parent="effect", label_zh="群众反映", show_field="public",
        show_value="是"),
]  # fmt: skip


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def session(as_login: str) -> AppTest:
    return login(AppTest.from_file(APP, default_timeout=90), as_login, PASSWORD)


def start_new_form(at: AppTest, stage: str) -> None:
    open_page(at, "pages/admin_form_builder.py")
    at.radio(key="fb:mode").set_value("new").run()
    at.text_input(key="fb:new_type").input(FORM_TYPE)
    at.text_input(key="fb:new_title").input("党员服务日登记")
    at.selectbox(key="fb:new_stage").set_value(stage)
    at.button(key="fb:new").click().run()
    no_traceback(at)


def edit_table(at: AppTest, **edits: Any) -> None:
    """Send table edits as the browser does (``added_rows``, ``edited_rows`` …): added to those
    the table already holds, an edit of an added row changing that row."""
    key = f"fb:table:{at.session_state['fb:epoch']}"
    state: dict[str, Any] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []}
    if key in at.session_state:
        kept = at.session_state[key]
        state.update(json.loads(kept) if isinstance(kept, str) else dict(kept))
    base = len(at.session_state["fb:base"])
    added = [dict(r) for r in state["added_rows"]]
    edited = {int(k): dict(v) for k, v in state["edited_rows"].items()}
    for index, change in edits.get("edited_rows", {}).items():
        if index >= base:
            added[index - base].update(change)
        else:
            edited[index] = {**edited.get(index, {}), **change}
    at.session_state[key] = {
        "edited_rows": edited,
        "added_rows": added + list(edits.get("added_rows", [])),
        "deleted_rows": [*state["deleted_rows"], *edits.get("deleted_rows", [])],
    }
    at.run()
    no_traceback(at)
    at.run()  # and once more, as the browser's next click does
    no_traceback(at)


FILLED = {
    "field_1": "社区服务中心",
    "field_2": "为社区老人讲解防范电信诈骗知识",
    "field_3": 2.5,
    "field_4": "2026-03-05",
    "field_5": "2026-03",
    "kind": "其他",
    "field_6": "义务理发",
    "field_7": ["老人", "学生"],
    "public": True,
    "people": [{"field_9": "李四", "field_10": 1.5}],
    "effect": {"field_11": 30, "field_12": "老人们很满意"},
}


def publish(at: AppTest) -> None:
    button(at, t("builder.publish.button")).click()
    at.run()
    no_traceback(at)


def fill_and_submit(
    form_type: str,
    data: dict[str, Any],
    svc: Services,
    staff: User,
    upload: tuple[str, bytes, str] | None = None,
) -> AppTest:
    """Branch 1 fills ``data`` on 填报 (and puts ``upload`` into the form's upload field), and
    submits."""
    at = session("branch1")
    open_page(at, "pages/fill.py")
    at.selectbox(key="fill_type").set_value(form_type).run()
    # adding the group's row saves the draft (autosave), and its editor moves to the record's key
    at.button(key=f"vanguard.form:{key_for(form_type, None)}:0|people:add").click().run()
    campaign = svc.campaigns.current()
    assert campaign is not None
    (draft,) = svc.submissions.list(staff, campaign_id=campaign.id, form_type=form_type)
    key = key_for(form_type, draft.id)
    fill_form(at, svc.forms.get(form_type), data, key=f"{key}:{at.session_state[key]['nonce']}")
    if upload is not None:
        at.get("file_uploader")[0].set_value([upload])  # type: ignore[union-attr]
        at.run()
        no_traceback(at)
    button(at, t("common.submit")).click()
    at.run()
    no_traceback(at)
    return at


def pdf_text(svc: Services, user: User, submission_id: str) -> str:
    pdf = svc.documents.submission_pdf(user, submission_id)
    assert pdf.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_admin_builds_every_field_type_publishes_and_branch_staff_fill_submit_and_print(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    start_new_form(at, "launch")
    edit_table(at, added_rows=ROWS)
    shown = texts(at)
    # the live preview is the branch renderer: labels, the section and the repeat group
    labels = [w.label for w in (*at.text_input, *at.text_area, *at.number_input)]
    assert "服务地点 \\*" in labels or "服务地点 *" in labels, labels
    assert "服务成效" in shown and "一同参加的党员" in shown
    # the 高级 tab holds the YAML the project compiles
    assert "type: month" in shown and 'relevant: kind == "其他"' in shown
    assert "relevant: public == true" in shown
    assert preview_order(at)[:2] == ["服务地点", "计入月份"]
    # 计入月份 moved to the top by its 序号: the live preview and the YAML follow at once
    month = [r["label_zh"] for r in at.session_state["fb:base"]].index("计入月份")
    edit_table(at, edited_rows={month: {"order": 0.5}})
    assert preview_order(at)[:2] == ["计入月份", "服务地点"]
    shown = texts(at)
    assert shown.index("label: {zh: 计入月份}") < shown.index("label: {zh: 服务地点")
    publish(at)
    assert t("builder.publish.done", title="党员服务日登记", version=1) in texts(at)
    assert svc.forms.versions(FORM_TYPE) == [1]
    assert svc.form_builder.drafts(users["admin"]) == []
    assert list(svc.forms.get(FORM_TYPE).model_fields)[:2] == ["field_5", "field_1"]

    photo = ("service-day.png", PNG, "image/png")
    filled = fill_and_submit(FORM_TYPE, FILLED, svc, users["branch1"], upload=photo)
    campaign = svc.campaigns.current()
    assert campaign is not None
    found = svc.submissions.list(users["branch1"], campaign_id=campaign.id, form_type=FORM_TYPE)
    assert len(found) == 1 and found[0].status == Status.SUBMITTED, texts(filled)
    data = found[0].data
    assert data["field_5"] == "2026-03" and data["field_7"] == ["老人", "学生"]
    assert data["effect"] == {"field_11": 30, "field_12": "老人们很满意"}
    assert data["people"] == [{"field_9": "李四", "field_10": 1.5}]
    [stored] = data["field_8"]  # the upload field holds the real file
    assert stored["name"] == "service-day.png" and svc.repo.get_blob(stored["blob"]) == PNG

    text = pdf_text(svc, users["reviewer"], found[0].id)
    for expected in ("党员服务日登记", "服务地点", "计入月份", "2026-03", "服务成效",
                     "老人们很满意", "一同参加的党员", "李四", "义务理发", "现场照片",
                     "service-day.png"):  # fmt: skip
        assert expected in text, (expected, text)
    assert text.index("计入月份") < text.index("服务地点")  # printed in the order built


def test_a_bad_row_shows_file_line_messages_and_publish_is_refused(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    start_new_form(at, "launch")
    edit_table(
        at,
        added_rows=[
            row(kind="select", label_zh="类别"),
            row(kind="text", name="Bad Name", label_zh="甲"),
        ],
    )
    shown = texts(at)
    assert "表单定义:" in shown and "选择题 'field_1' 需要 options 列表" in shown, shown
    assert "字段名 'Bad Name' 无效" in shown
    assert button(at, t("builder.publish.button")).disabled
    assert svc.forms.versions(FORM_TYPE) == []
    kept = svc.form_builder.open(users["admin"], FORM_TYPE)[0]  # nothing typed is lost
    assert [f.label_zh for f in kept.fields] == ["类别", "甲"]


def test_removing_a_used_field_warns_with_the_count_and_old_forms_keep_their_version(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    start_new_form(at, "launch")
    edit_table(at, added_rows=ROWS)
    publish(at)
    fill_and_submit(FORM_TYPE, FILLED, svc, users["branch1"])

    at = session("admin")
    open_page(at, "pages/admin_form_builder.py")
    at.radio(key="fb:mode").set_value("open").run()
    at.selectbox(key="fb:open_pick").set_value(FORM_TYPE).run()
    at.button(key="fb:open").click().run()
    no_traceback(at)
    assert "将发布为第 2 版" in texts(at)
    edit_table(
        at, deleted_rows=[0], edited_rows={2: {"kind": "text"}}
    )  # 服务地点 gone, 时长 retyped
    shown = texts(at)
    assert t("builder.publish.removed", field="服务地点", before="单行文字", count=1) in shown, (
        shown
    )
    assert t("builder.publish.retyped", field=r"服务时长\(小时\)", before="数字", after="单行文字",
             count=1) in shown  # fmt: skip
    publish(at)  # without the acknowledgement: refused, nothing published
    assert svc.forms.versions(FORM_TYPE) == [1]
    at.checkbox(key="fb:ack").check().run()
    publish(at)
    assert svc.forms.versions(FORM_TYPE) == [1, 2]
    assert "field_1" not in svc.forms.get(FORM_TYPE).model_fields

    campaign = svc.campaigns.current()
    assert campaign is not None
    old = svc.submissions.list(users["reviewer"], campaign_id=campaign.id, form_type=FORM_TYPE)[0]
    assert old.form_version == 1
    assert "社区服务中心" in pdf_text(svc, users["reviewer"], old.id)  # printed with version 1


def test_labels_and_help_an_admin_types_are_escaped_in_the_preview(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    start_new_form(at, "launch")
    label = "![x](http://evil.example/p.png) 地点"
    edit_table(at, added_rows=[row(kind="text", name="place", label_zh=label,
                                   help_zh="[点我](javascript:alert(1))")])  # fmt: skip
    shown = [w for w in at.text_input if w.label.endswith("地点")]
    assert len(shown) == 1, [w.label for w in at.text_input]
    assert "![x](" not in shown[0].label and r"\!\[x\]" in shown[0].label
    assert shown[0].help is not None and "[点我](" not in shown[0].help


def test_copying_a_form_keeps_a_draft_to_edit_publish_and_fill(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    open_page(at, "pages/admin_form_builder.py")
    at.radio(key="fb:mode").set_value("copy").run()
    at.selectbox(key="fb:copy_pick").set_value("theme_activity@1").run()
    at.text_input(key="fb:copy_type").input("volunteer_reg")
    at.text_input(key="fb:copy_title").input("党员志愿服务登记")
    at.button(key="fb:copy").click().run()
    no_traceback(at)  # the shipped volunteer_service has that title: branches could not tell
    assert "已有名为《党员志愿服务登记》的表单" in texts(at).replace("\\", "")
    assert svc.form_builder.drafts(users["admin"]) == []
    at.text_input(key="fb:copy_title").input("党员志愿服务日登记")
    at.button(key="fb:copy").click().run()
    no_traceback(at)
    assert [d["form_type"] for d in svc.form_builder.drafts(users["admin"])] == ["volunteer_reg"]
    assert "已复制为新表单《党员志愿服务日登记》" in texts(at)
    rows = at.session_state["fb:base"]
    theme = next(i for i, r in enumerate(rows) if r["name"] == "theme")
    edit_table(at, edited_rows={theme: {"label_zh": "志愿服务项目"}})
    publish(at)
    assert t("builder.publish.done", title="党员志愿服务日登记", version=1) in texts(at)

    campaign = svc.campaigns.current()  # the copy is of the implementation stage, as its source
    assert campaign is not None
    data = {**campaign.model_dump(mode="json"), "stage": "implement"}
    svc.campaigns.update(users["admin"], data, campaign.rev)
    branch = session("branch1")
    open_page(branch, "pages/fill.py")
    branch.selectbox(key="fill_type").set_value("volunteer_reg").run()
    no_traceback(branch)
    assert "志愿服务项目 *" in [w.label for w in branch.text_input]  # the edited label


def preview_order(at: AppTest) -> list[str]:
    """The labels of the preview's one-line inputs, top to bottom (required marks dropped)."""
    return [
        w.label.replace(" \\*", "").replace(" *", "")
        for w in at.text_input
        if "fb:preview" in (w.key or "")
    ]


def parent_choices(at: AppTest) -> list[str]:
    """The values the table's 所属分节/重复组 column offers."""
    columns = json.loads(at.dataframe[0].proto.columns)
    return [o["value"] for o in columns["parent"]["type_config"]["options"]]


def test_a_section_just_added_is_a_parent_at_once_and_a_wrong_parent_is_named(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    start_new_form(at, "launch")
    edit_table(at, added_rows=[row(kind="section", name="effect", label_zh="服务成效")])
    assert parent_choices(at) == ["", "effect"]  # without 整理表格
    edit_table(at, added_rows=[row(kind="int", parent="effect", label_zh="受益人数")])
    built = svc.form_builder.open(users["admin"], FORM_TYPE)[0]
    assert [c.label_zh for c in built.fields[0].children] == ["受益人数"]

    edit_table(at, added_rows=[row(kind="text", parent="nowhere", label_zh="甲")])
    message = t("builder.problem.parent_unknown", row=3, field="甲", parent="nowhere")
    assert message in [e.value for e in at.error]
    assert button(at, t("builder.publish.button")).disabled
    assert button(at, t("builder.form.tidy")).disabled  # tidying would drop it unseen
    at.run()  # the row stays as typed, and so does its message
    assert message in [e.value for e in at.error]

    # a child above its section: named, with the fix; moved below it, the message goes
    edit_table(at, edited_rows={2: {"parent": "", "order": 0.5}})
    assert not at.error, [e.value for e in at.error]
    assert [r["label_zh"] for r in at.session_state["fb:base"]] == ["甲", "服务成效", "受益人数"]
    edit_table(at, edited_rows={2: {"order": -1}})  # the table then sorts it to the top
    assert t("builder.problem.parent_below", row=1, field="受益人数", parent="effect") in [
        e.value for e in at.error
    ]


def test_a_condition_offers_the_fields_above_and_picks_the_value_from_their_options(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    start_new_form(at, "launch")
    edit_table(
        at,
        added_rows=[
            row(kind="select", name="kind", label_zh="服务类别", options="社区服务；其他"),
            row(kind="text", name="other", label_zh="其他类别说明"),
            row(kind="bool", name="public", label_zh="同意公开"),
            row(kind="textarea", name="feedback", label_zh="群众反映"),
        ],
    )
    epoch = at.session_state["fb:epoch"]
    picked = at.selectbox(key=f"fb:cf:{epoch}")
    assert picked.options == ["其他类别说明", "同意公开", "群众反映"]  # 服务类别 has none above
    picked.set_value("other").run()
    assert at.selectbox(key=f"fb:ct:{epoch}:other").options == ["服务类别"]  # only those above
    value = at.selectbox(key=f"fb:cv:{epoch}:other:kind")
    assert value.options == ["社区服务", "其他"]  # the choice's own options
    value.set_value("其他")
    at.button(key="fb:cond_set").click().run()
    no_traceback(at)
    assert 'relevant: kind == "其他"' in texts(at)
    rows = at.session_state["fb:base"]
    assert [(r["show_field"], r["show_value"]) for r in rows if r["name"] == "other"] == [
        ("kind", "其他")
    ]

    epoch = at.session_state["fb:epoch"]
    assert at.selectbox(key=f"fb:cf:{epoch}").value == "other"  # still the field just set
    at.selectbox(key=f"fb:cf:{epoch}").set_value("feedback").run()
    target = f"fb:ct:{epoch}:feedback"
    assert at.selectbox(key=target).options == ["服务类别", "其他类别说明", "同意公开"]
    at.selectbox(key=target).set_value("public").run()
    assert at.selectbox(key=f"fb:cv:{epoch}:feedback:public").options == ["是", "否"]
    at.selectbox(key=target).set_value("other").run()  # a text field: the value is typed
    at.text_input(key=f"fb:cv:{epoch}:feedback:other").input("义务理发")
    at.button(key="fb:cond_set").click().run()
    no_traceback(at)
    assert 'relevant: other == "义务理发"' in texts(at)
    saved = svc.form_builder.open(users["admin"], FORM_TYPE)[0]
    assert [f.show_when.value for f in saved.fields if f.show_when] == ["其他", "义务理发"]

    epoch = at.session_state["fb:epoch"]
    at.selectbox(key=f"fb:cf:{epoch}").set_value("feedback").run()
    at.button(key="fb:cond_clear").click().run()
    assert "relevant: other" not in texts(at)


def open_on_page(at: AppTest, form_type: str) -> None:
    open_page(at, "pages/admin_form_builder.py")
    at.radio(key="fb:mode").set_value("open").run()
    at.selectbox(key="fb:open_pick").set_value(form_type).run()
    at.button(key="fb:open").click().run()
    no_traceback(at)


def test_opening_a_published_form_keeps_no_draft_until_it_is_changed(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    start_new_form(at, "launch")
    edit_table(at, added_rows=ROWS[:3])
    publish(at)
    assert svc.form_builder.drafts(users["admin"]) == []

    at = session("admin")
    open_on_page(at, FORM_TYPE)
    at.run()
    assert svc.form_builder.drafts(users["admin"]) == []  # looking is not changing
    assert t("builder.publish.unchanged") in texts(at)
    assert button(at, t("builder.publish.button")).disabled
    edit_table(at, edited_rows={0: {"label_zh": "服务场所"}})
    assert [d["form_type"] for d in svc.form_builder.drafts(users["admin"])] == [FORM_TYPE]
    assert not button(at, t("builder.publish.button")).disabled


def test_when_another_admin_saved_the_draft_the_page_says_so_and_offers_theirs(
    svc: Services, users: dict[str, User]
) -> None:
    mine = session("admin")
    start_new_form(mine, "launch")
    edit_table(mine, added_rows=[row(kind="text", label_zh="甲")])
    theirs = session("admin")
    open_on_page(theirs, FORM_TYPE)
    edit_table(theirs, edited_rows={0: {"label_zh": "乙"}})  # saved by the other admin

    edit_table(mine, edited_rows={0: {"label_zh": "丙"}})
    warning = t("builder.conflict.saved", by="admin", at="")[:12]
    assert any(warning in w.value for w in mine.warning), texts(mine)
    assert not mine.error, [e.value for e in mine.error]  # said once, not failing each run
    mine.run()
    no_traceback(mine)
    assert any(warning in w.value for w in mine.warning) and not mine.error
    assert svc.form_builder.open(users["admin"], FORM_TYPE)[0].fields[0].label_zh == "乙"
    assert button(mine, t("builder.publish.button")).disabled

    button(mine, t("builder.conflict.reload")).click()
    mine.run()
    no_traceback(mine)
    assert not mine.warning
    assert [r["label_zh"] for r in mine.session_state["fb:base"]] == ["乙"]
    edit_table(mine, edited_rows={0: {"label_zh": "丁"}})  # saved on top of theirs now
    assert svc.form_builder.open(users["admin"], FORM_TYPE)[0].fields[0].label_zh == "丁"

    edit_table(theirs, edited_rows={0: {"label_zh": "戊"}})  # their turn to be told
    button(theirs, t("builder.conflict.keep")).click()
    theirs.run()
    edit_table(theirs, edited_rows={0: {"label_zh": "戊"}})
    assert not theirs.warning
    assert svc.form_builder.open(users["admin"], FORM_TYPE)[0].fields[0].label_zh == "戊"


def test_the_start_panel_reads_no_template_while_a_form_is_being_built(
    svc: Services, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[bool] = []
    original = FormBuilderService.templates

    def counted(self: FormBuilderService, actor: User, *, campaigns: bool = True) -> list[Any]:
        calls.append(campaigns)
        return original(self, actor, campaigns=campaigns)

    monkeypatch.setattr(FormBuilderService, "templates", counted)
    at = session("admin")
    open_on_page(at, "volunteer_service")
    assert calls and calls == [False] * len(calls)  # the open list needs no campaigns
    calls.clear()
    edit_table(at, edited_rows={1: {"label_zh": "党员姓名(全名)"}})
    assert calls == []  # the folded panel is not drawn
    at.session_state["fb:start"] = True  # the admin unfolds it and picks 复制
    at.run()
    at.radio(key="fb:mode").set_value("copy").run()
    assert True in calls


def test_copying_a_built_in_form_says_what_the_copy_does_not_carry(
    svc: Services, users: dict[str, User]
) -> None:
    at = session("admin")
    open_page(at, "pages/admin_form_builder.py")
    at.radio(key="fb:mode").set_value("copy").run()
    at.selectbox(key="fb:copy_pick").set_value("plan@1").run()
    checks = t("builder.copy_loss.checks", where="阶段安排", n=1)
    rules = t("builder.copy_loss.ruleset", ruleset="plan_quality")
    before = " ".join(str(i.value) for i in at.info).replace("\\", "")
    assert checks in before and rules in before, before  # said before copying
    at.text_input(key="fb:copy_type").input("plan_copy")
    at.text_input(key="fb:copy_title").input("实施方案(复制)")
    at.button(key="fb:copy").click().run()
    no_traceback(at)
    after = " ".join(str(w.value) for w in at.warning).replace("\\", "")
    assert checks in after and rules in after, texts(at)  # and again once made
    assert [d["form_type"] for d in svc.form_builder.drafts(users["admin"])] == ["plan_copy"]

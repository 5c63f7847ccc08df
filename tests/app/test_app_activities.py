"""The activity screens (S7, S8): 主题实践 (a branch's list, the variety of its forms, the
near-repeat warning; the committee's table per branch) and 创新活动 (partner branches picked
from the branch list, joint activities on the partner's page once submitted, member posts)."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from i18n import t
from tests.app.campaign_fixture import PASSWORD, build_campaign
from tests.app.driver import login, open_page, texts
from workflow.models import Submission, User
from workflow.services import Services


@pytest.fixture
def users(svc: Services) -> dict[str, User]:
    return build_campaign(svc)


def _save(svc: Services, user: User, form_type: str, data: dict[str, Any]) -> Submission:
    campaign = svc.campaigns.current()
    assert campaign is not None
    return svc.submissions.save_draft(user, campaign_id=campaign.id, form_type=form_type, data=data)


def _submit(svc: Services, user: User, form_type: str, data: dict[str, Any]) -> Submission:
    draft = _save(svc, user, form_type, data)
    return svc.submissions.submit(user, draft.id, draft.rev)


def _theme(name: str, forms: list[str]) -> dict[str, Any]:
    return {"theme": name, "date": "2026-05-04", "forms": forms, "participants": 10}


def _joint(title: str, partner: str) -> dict[str, Any]:
    return {
        "title": title,
        "area": "服务质量",
        "mode": "跨支部联合",
        "partner_branches": [partner],
        "start": "2026-05-01",
        "end": "2026-06-30",
    }


def test_a_branch_sees_the_variety_of_its_forms_and_a_near_repeat_warning(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    _submit(
        svc, users["branch2"], "theme_activity", _theme("迎校庆·党员讲解员走进校史馆", ["座谈"])
    )
    _submit(
        svc,
        users["branch1"],
        "theme_activity",
        _theme("迎校庆·党员讲解员进校史馆", ["参观学习", "志愿服务"]),
    )
    _submit(svc, users["branch1"], "theme_activity", _theme("窗口服务开放日", ["志愿服务"]))
    login(app, "branch1", PASSWORD)
    open_page(app, "pages/theme_activities.py")
    shown = texts(app)
    assert "活动形式 2 种:志愿服务 ×2、参观学习 ×1" in shown
    (warning,) = [w.value for w in app.warning]
    assert "迎校庆·党员讲解员进校史馆" in warning and "教务处党支部" in warning
    assert "窗口服务开放日" in list(app.dataframe[0].value.iloc[:, 2])


def test_the_committee_reads_every_branchs_counts_and_picks_one(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    _submit(svc, users["branch1"], "theme_activity", _theme("窗口服务开放日", ["志愿服务"]))
    _save(svc, users["branch2"], "theme_activity", _theme("教务处草稿主题", ["座谈"]))
    login(app, "reviewer", PASSWORD)
    open_page(app, "pages/theme_activities.py")
    table = app.dataframe[0].value
    counts = dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))
    assert counts == {"党政办公室党支部": 1, "教务处党支部": 0}  # a draft counts for nobody
    app.selectbox(key="act_branch").set_value(users["branch2"].branch_id).run()
    assert "教务处草稿主题" not in texts(app)


def test_partners_are_offered_from_the_branch_list_and_see_joint_work_once_submitted(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    draft = _save(
        svc, users["branch1"], "innovation_activity", _joint("联合服务日草稿", "教务处党支部")
    )
    login(app, "branch2", PASSWORD)
    open_page(app, "pages/innovation.py")
    assert "联合服务日草稿" not in texts(app)

    svc.submissions.submit(users["branch1"], draft.id, draft.rev)
    app.run()
    assert "联合服务日草稿" in texts(app) and "党政办公室党支部发起" in texts(app)
    assert t("activities.innovation.counted", n=1) in texts(app)

    app.radio(key=_key(app, "mode")).set_value("跨支部联合").run()
    partners = next(m for m in app.multiselect if m.label == "合作支部")
    assert list(partners.options) == ["党政办公室党支部"]  # the other branches, not its own


def test_member_posts_are_listed_on_the_innovation_page(
    app: AppTest, svc: Services, users: dict[str, User]
) -> None:
    post = {
        "member": "张明",
        "post": "优质岗",
        "position": "教务服务窗口",
        "commitment": "一次告知、限时办结",
        "start": "2026-03-01",
        "end": "2026-12-31",
    }
    _submit(svc, users["branch2"], "member_post", post)
    login(app, "reader", PASSWORD)
    open_page(app, "pages/innovation.py")
    app.selectbox(key="act_branch").set_value(users["branch2"].branch_id).run()
    assert _tables_with(app, "张明") and _tables_with(app, "教务服务窗口")


def _tables_with(app: AppTest, text: str) -> bool:
    return any(text in frame.value.to_string() for frame in app.dataframe)


def _key(app: AppTest, field: str) -> str:
    return next(str(r.key) for r in app.radio if str(r.key).endswith(f"|{field}"))

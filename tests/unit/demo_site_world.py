"""Demo-site applications and receipts for the demo-site tests (not a test module).

``applied(world, i)`` has branch ``i`` apply and submit; ``receipt()`` is a real PNG, so it
passes any check of an upload by its content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from tests.unit.workflow_world import World
from workflow import demo_data
from workflow.models import Branch, Role, Submission, User

REASONS = (
    "支部党员全部在财务、教务等窗口岗位,服务师生面广量大,近三年获得校级文明窗口称号两次,"
    "具备建设示范点的基础。"
)
PLAN = (
    "以“党员先锋岗”为抓手,推行预约办理、一次办结和上门服务三项举措,每季度开展一次服务之星评选,"
    "年底前形成可复制的窗口服务规范并在全校推广,由支部书记牵头,组织委员负责台账。"
)


def application(title: str, central_work: list[str]) -> dict[str, Any]:
    """A demo-site application that passes its rule set; ``central_work`` sets its priority."""
    return {
        "title": title,
        "central_work": central_work,
        "reasons": REASONS,
        "plan_summary": PLAN,
        "expected_outcomes": "服务投诉为零,一次办结率达到九成以上,形成窗口服务规范一套。",
        "budget_requested": 5000,
    }


def applied(
    world: World, i: int, central_work: list[str] | None = None, title: str = ""
) -> Submission:
    """Branch ``i``'s demo-site application, saved and submitted."""
    subs = world.services.submissions
    data = application(title or f"示范点{i + 1}", central_work or [])
    draft = subs.save_draft(
        world.staff[i], campaign_id=world.campaign.id, form_type="demo_site", data=data
    )
    return subs.submit(world.staff[i], draft.id, draft.rev)


def add_branches(world: World, count: int) -> None:
    """Grow the world to ``count`` branches, each with one staff account."""
    services = world.services
    for i in range(len(world.branches), count):
        spec = demo_data.BRANCHES[i] if i < len(demo_data.BRANCHES) else {"name": f"第{i}党支部"}
        branch: Branch = services.branches.create(
            world.admin, {"member_count": 10, **spec, "name": f"{spec['name']}"}
        )
        world.branches.append(branch)
        staff: User = services.accounts.create_user(
            world.admin,
            login=f"branch{i + 1}",
            display_name=f"branch{i + 1}",
            role=Role.BRANCH,
            password="correct-horse-1",
            branch_id=branch.id,
        )
        world.staff.append(staff)


def set_settings(world: World, **changes: Any) -> None:
    """Change the campaign's settings (quota, budget) as an admin would."""
    campaign = world.services.campaigns.get(world.campaign.id)
    data = campaign.model_dump(mode="json")
    data["settings"].update(changes)
    world.campaign = world.services.campaigns.update(world.admin, data, campaign.rev)


@dataclass
class Receipt:
    """A picked receipt file, as the page hands it over."""

    name: str
    content_type: str
    data: bytes
    path: str = "receipts"


def receipt(name: str = "收据.png") -> Receipt:
    """A small real PNG."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return Receipt(name, "image/png", buffer.getvalue())

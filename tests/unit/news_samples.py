"""A news report that passes the ``news_report`` rules, with a stored image (not a test module)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from workflow.models import Submission, User
from workflow.services import Services

BODY = (
    "九月二十日上午,机关第一党支部组织全体党员走进校史馆,开展“迎校庆、学校史、办实事”主题党日活动。"
    * 8
)


def png(color: str = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    """A small real PNG image."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def news_data(
    services: Services,
    title: str = "机关第一党支部开展校庆志愿服务",
    image_color: str = "red",
    **over: Any,
) -> dict[str, Any]:
    """A report that passes the rules; its one image is stored in ``services``' blob store."""
    blob = services.repo.put_blob(png(image_color))
    data: dict[str, Any] = {
        "branch": "",
        "title": title,
        "category": "活动报道",
        "date": "2026-09-20",
        "body": BODY,
        "author": "张三",
        "photographer": "李四",
        "reviewer": "王五",
        "images": [
            {
                "name": "现场.png",
                "content_type": "image/png",
                "size": 10,
                "blob": blob,
                "caption": "党员在校史馆参观学习",
            }
        ],
    }
    data.update(over)
    return data


def submitted_news(services: Services, staff: User, campaign_id: str, **over: Any) -> Submission:
    """A report saved and submitted by ``staff``."""
    subs = services.submissions
    draft = subs.save_draft(
        staff, campaign_id=campaign_id, form_type="news_report", data=news_data(services, **over)
    )
    return subs.submit(staff, draft.id, draft.rev)

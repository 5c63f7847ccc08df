"""Small helpers shared by the rules tests: valid form data and rule files written to tmp."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

from forms.registry import default_registry

GOOD_PLAN: dict[str, Any] = {
    "branch": "机关第一党支部",
    "title": "机关第一党支部实施方案",
    "goals": "以服务师生为中心，围绕校庆和本科教学评估，通过一岗一承诺活动，"
    "使支部党员在窗口服务中亮身份、树形象，年内实现服务投诉为零、一次办结率九成以上。",
    "items": [
        {
            "content": f"第{n}项工作",
            "measures": "每月评选服务之星并在支部公示栏公示",
            "owner": "张明",
            "deadline": "2025-06-30",
        }
        for n in range(1, 4)
    ],
    "schedule": [
        {"stage": "launch", "start": "2025-03-01", "end": "2025-03-31", "tasks": "动员"},
        {"stage": "implement", "start": "2025-04-01", "end": "2025-10-31", "tasks": "实施"},
        {"stage": "evaluate", "start": "2025-11-01", "end": "2025-12-15", "tasks": "总结"},
    ],
    "requirements": "全体党员按时参加支部活动，每项工作落实到人，支部委员每月碰头一次通报进展。",
    "activity_forms": ["专题学习", "志愿服务"],
    "features": "推出财务报销预约制和党员代办岗，"
    "由党员轮流为离退休教师上门办理报销，把服务送到家门口。",
    "central_work": ["校庆"],
    "supervision": "支部书记每月检查台账，季度在支部大会上通报进展，年底由党员群众测评打分。",
}


def plan(**changes: Any) -> dict[str, Any]:
    """A valid plan (as ``model_dump(mode="json")``) with ``changes`` applied."""
    data = copy.deepcopy(GOOD_PLAN)
    data.update(changes)
    return default_registry().get("plan").model_validate(data).model_dump(mode="json")


def write_rules(tmp_path: Path, text: str, name: str = "custom.yaml") -> Path:
    """Write a rule file (dedented) and return its path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path

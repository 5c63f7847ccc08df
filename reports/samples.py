"""Realistic sample documents: used by ``python -m bench pdf``, the tests and as input examples.

Every function returns fresh plain data in the shapes the builders and ``python -m reports``
accept, so a sample can also be dumped to JSON and fed to the CLI.
"""

from __future__ import annotations

from typing import Any

_OWNERS = ("张建国", "李晓红", "王海涛", "刘芳", "陈志强")


def sample_plan(items: int = 3) -> dict[str, Any]:
    """A branch plan with ``items`` main content items and a three-stage schedule."""
    return {
        "branch": "机关第一党支部",
        "title": "2025年机关第一党支部“先锋工程”实施方案",
        "goals": (
            "以习近平新时代中国特色社会主义思想为指导，围绕学校本科教学评估和七十周年校庆，"
            "建设一支政治坚定、服务优良、作风过硬的机关党支部。\n"
            "全年组织专题学习不少于十次，党员参学率达到百分之九十五以上。"
        ),
        "items": [
            {
                "content": f"第{n}项重点工作：服务师生“最多跑一次”",
                "measures": (
                    "梳理办事流程，编制服务指南；设立党员先进岗，公开承诺，"
                    "每月收集师生意见并在支委会上逐条回应。"
                ),
                "owner": _OWNERS[n % len(_OWNERS)],
                "deadline": f"2025-{(n % 9) + 3:02d}-28",
            }
            for n in range(1, items + 1)
        ],
        "schedule": [
            {"stage": "launch", "start": "2025-03-01", "end": "2025-03-31", "tasks": "动员部署"},
            {"stage": "implement", "start": "2025-04-01", "end": "2025-10-31", "tasks": "实施"},
            {"stage": "evaluate", "start": "2025-11-01", "end": "2025-12-15", "tasks": "总结"},
        ],
        "requirements": "支委会每月研究一次推进情况，党员人人有岗位、个个有承诺。",
        "activity_forms": ["专题学习", "主题党日", "志愿服务", "座谈交流"],
        "features": "打造“一岗一品”服务品牌：每个党员先进岗提出一项服务改进，年底评比。",
        "central_work": ["本科教学评估", "校庆"],
        "supervision": "支部书记每季度督查一次，结果在支部大会上通报。",
        "budget": 5000,
    }


def sample_report() -> dict[str, Any]:
    """A rule report (``rules.report.RuleReport`` dump) that returns the plan."""
    return {
        "ruleset": "plan_quality",
        "version": "3",
        "hash": "9f2c1ab34de56789aa",
        "form": "plan",
        "passed": False,
        "decision": "return",
        "score": None,
        "grade": None,
        "checked_at": "2025-03-20 10:00",
        "results": [
            {
                "rule": "features_specific",
                "severity": "error",
                "passed": False,
                "fields": ["features"],
                "message": "特色与亮点只有 30 字，请至少写 50 字，写出本支部独有的做法",
                "message_en": "Distinctive features has 30 characters; write at least 50",
            },
            {
                "rule": "items_deadline",
                "severity": "warning",
                "passed": False,
                "fields": ["items.1.deadline"],
                "message": "第2项没有完成时限，请补上",
            },
            {
                "rule": "goals_present",
                "severity": "error",
                "passed": True,
                "fields": ["goals"],
                "message": "",
            },
        ],
    }


def sample_reviews() -> list[dict[str, Any]]:
    """A return followed by an approval (``workflow.models.Review`` dumps)."""
    return [
        {
            "reviewer": "赵审核",
            "at": "2025-03-20 10:30",
            "decision": "return",
            "reasons": "特色不突出，请修改后重新提交",
            "field_reasons": {"features": "照搬通用表述，没有本支部特点"},
            "version": 1,
        },
        {
            "reviewer": "赵审核",
            "at": "2025-03-25 09:00",
            "decision": "approve",
            "reasons": "",
            "field_reasons": {},
            "version": 2,
        },
    ]


def sample_meta() -> dict[str, Any]:
    """Meta for a plan PDF."""
    return {
        "branch": "机关第一党支部",
        "campaign": "2025年度“先锋工程”",
        "status": "approved",
        "version": 2,
        "generated_at": "2025-03-26 08:00",
    }


def sample_news(n: int = 1) -> dict[str, Any]:
    """One published news report (``news_report`` form data)."""
    return {
        "branch": "机关第二党支部",
        "title": f"机关第二党支部开展“服务师生”主题党日活动(之{n})",
        "category": "典型事例",
        "date": "2025-05-20",
        "body": (
            "5月20日，机关第二党支部组织全体党员走进学生宿舍，面对面收集意见建议。\n\n"
            "支部书记表示，要把师生满意作为检验工作的标准，对收集到的 12 条意见逐条落实。"
        ),
        "author": "孙宣传",
        "photographer": "周摄影",
        "reviewer": "钱审稿",
        "images": [],
    }


def sample_bulletin(reports: int = 2) -> dict[str, Any]:
    """A bulletin issue with ``reports`` articles."""
    return {
        "issue": 3,
        "date": "2025-06-01",
        "reports": [sample_news(n) for n in range(1, reports + 1)],
    }


def sample_commendation() -> dict[str, Any]:
    """A commendation list with a branch and two people."""
    return {
        "title": "2025年度“先锋工程”内部表彰名单",
        "year": 2025,
        "date": "2025-07-01",
        "issuer": "中共示例大学机关委员会",
        "entries": [
            {"award": "先进党支部", "name": "", "branch": "机关第一党支部"},
            {"award": "优秀共产党员", "name": "张建国", "branch": "机关第一党支部"},
            {"award": "优秀党务工作者", "name": "李晓红", "branch": "机关第二党支部"},
        ],
    }


def sample_branch_entry(name: str = "机关第一党支部") -> dict[str, Any]:
    """A branch with an approved plan and a returned study record."""
    plan = sample_plan()
    plan["branch"] = name
    return {
        "branch": {
            "name": name,
            "unit": "党委办公室",
            "member_count": 18,
            "secretary": "张建国",
            "central_work": ["本科教学评估"],
        },
        "submissions": [
            {
                "form_type": "plan",
                "status": "approved",
                "version": 2,
                "stage": "launch",
                "data": plan,
                "report": sample_report(),
                "reviews": sample_reviews(),
            },
            {
                "form_type": "study_session",
                "status": "returned",
                "version": 1,
                "stage": "launch",
                "data": {
                    "branch": name,
                    "date": "2025-03-12",
                    "topic": "学习全国教育大会精神",
                    "documents": ["全国教育大会讲话"],
                    "members": 18,
                    "attendees": 16,
                    "hours": 2,
                    "notes": "集中学习后分组讨论。",
                },
            },
        ],
        "statistics": {"学习次数": 1, "平均出席率": "88.9%"},
    }


def sample_branch_dossier() -> dict[str, Any]:
    """A branch dossier input."""
    return {"campaign": {"title": "2025年度“先锋工程”", "year": 2025}, **sample_branch_entry()}


def sample_campaign_dossier(branches: int = 2) -> dict[str, Any]:
    """A campaign dossier input with ``branches`` branches."""
    names = ["机关第一党支部", "机关第二党支部", "后勤党支部", "图书馆党支部"]
    return {
        "campaign": {"title": "2025年度“先锋工程”", "year": 2025, "stage": "implement"},
        "branches": [sample_branch_entry(names[i % len(names)]) for i in range(branches)],
        "progress": [sample_progress(names[i % len(names)]) for i in range(branches)],
    }


def sample_progress(branch: str) -> dict[str, Any]:
    """A branch's row of the progress table, as the workflow words it."""
    return {"branch": branch, "stages": ["已通过 2/2", "已通过 1/3，退回 1", "已通过 0/2"]}


# Sentences real branch documents are made of; ``real_text`` strings them together so every
# branch's text differs while reading like the real thing (punctuation, numbers, names).
_SENTENCES = (
    "支部以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神。",
    "坚持“三会一课”制度，全年召开支部党员大会{n}次、支委会{m}次，讲党课{k}次。",
    "围绕本科教学评估，党员带头梳理办事流程，编制服务指南，公开服务承诺。",
    "设立党员先进岗{k}个，每月收集师生意见建议并在支委会上逐条研究回应。",
    "组织党员赴革命纪念馆开展现场教学，{n}名党员重温入党誓词。",
    "结合校庆筹备工作，党员志愿者参与接待校友{m}人次，获得广泛好评。",
    "对照上级要求，仍存在以下不足：一是理论学习的系统性还不够强；二是创新举措不多。",
    "下一步，支部将把党建工作与业务工作同部署、同推进、同考核。",
    "建立“一岗一品”服务品牌，每名党员提出一项服务改进措施，年底评比表彰。",
    "支部书记每季度督查一次推进情况，结果在支部大会上通报，督促整改落实。",
    "开展“我为师生办实事”活动，解决师生急难愁盼问题{m}件，满意率达到{p}%。",
    "通过线上线下相结合的方式开展专题学习，党员参学率达到{p}%以上。",
)


def real_text(rng: Any, size: int) -> str:
    """About ``size`` characters of branch prose drawn with ``rng`` (a ``random.Random``)."""
    out: list[str] = []
    length = 0
    while length < size:
        sentence = rng.choice(_SENTENCES).format(
            n=rng.randint(3, 30), m=rng.randint(5, 200), k=rng.randint(2, 12), p=rng.randint(85, 99)
        )
        out.append(sentence)
        length += len(sentence)
        if rng.random() < 0.2:
            out.append("\n")
    return "".join(out).strip()


def _photo(rng: Any, n: int) -> dict[str, Any]:
    return {
        "name": f"活动照片{n}.jpg",
        "content_type": "image/jpeg",
        "size": rng.randint(800_000, 4_000_000),
        "blob": f"{rng.getrandbits(128):032x}",
    }


def _evidence(n: int) -> dict[str, Any]:
    return {
        "name": "获奖证书.pdf",
        "content_type": "application/pdf",
        "size": 350_000,
        "blob": f"evidence{n:024x}",
    }


def _submitted(
    form_type: str, stage: str, data: dict[str, Any], report: dict[str, Any] | None = None
) -> dict[str, Any]:
    reviews = sample_reviews()
    reviews[0]["decision"] = "submit"
    return {
        "form_type": form_type,
        "status": "approved",
        "version": 2,
        "stage": stage,
        "data": data,
        "report": report,
        "reviews": reviews,
    }


def real_branch_entry(index: int) -> dict[str, Any]:
    """A branch as a real campaign ends: a 20-item plan, 8 study sessions, 4 theme activities
    with photos, 2 innovation activities, 3 news reports, a summary and 2 nominations, all
    approved, each with its rule report and review trail (~25 pages in a dossier)."""
    import random  # only the sample generators draw

    rng = random.Random(index)
    name = f"示例单位{index + 1}党支部"
    plan = sample_plan(items=20)
    plan.update(
        branch=name,
        title=f"2025年{name}“先锋工程”实施方案",
        goals=real_text(rng, 400),
        features=real_text(rng, 200),
        requirements=real_text(rng, 150),
        supervision=real_text(rng, 120),
    )
    for item in plan["items"]:
        item["measures"] = real_text(rng, 120)
    subs = [_submitted("plan", "launch", plan, sample_report())]
    for n in range(8):
        session = {
            "branch": name,
            "date": f"2025-{n + 3:02d}-1{n % 9}",
            "topic": f"第{n + 1}次专题学习：{real_text(rng, 20)[:30]}",
            "documents": ["全国教育大会讲话", "党章"],
            "members": 18,
            "attendees": 14 + n % 4,
            "hours": 2,
            "notes": real_text(rng, 300),
        }
        subs.append(_submitted("study_session", "launch", session))
    for n in range(4):
        activity = {
            "branch": name,
            "theme": f"主题党日活动{n + 1}",
            "date": f"2025-{n + 4:02d}-20",
            "forms": ["参观学习", "志愿服务"],
            "central_work": ["校庆"],
            "participants": 15 + n,
            "description": real_text(rng, 600),
            "photos": [_photo(rng, k) for k in range(2)],
        }
        subs.append(_submitted("theme_activity", "implement", activity))
    for n in range(2):
        innovation = {
            "branch": name,
            "title": f"创新能力建设活动{n + 1}",
            "area": "服务质量",
            "posts": ["党员先进岗"],
            "mode": "本支部独立开展",
            "start": "2025-04-01",
            "end": "2025-10-31",
            "description": real_text(rng, 500),
            "outcomes": real_text(rng, 300),
        }
        subs.append(_submitted("innovation_activity", "implement", innovation))
    for n in range(3):
        news = sample_news(n + 1)
        news.update(branch=name, body=real_text(rng, 800), images=[_photo(rng, 1)])
        subs.append(_submitted("news_report", "implement", news))
    summary = {"branch": name}
    for key in ("basic_info", "practices", "achievements", "shortcomings", "next_steps"):
        summary[key] = real_text(rng, 500)
    subs.append(_submitted("summary", "evaluate", summary))
    for award, nominee in (("先进党支部", name), ("优秀共产党员", _OWNERS[index % 5])):
        nomination = {
            "branch": name,
            "award": award,
            "nominee": nominee,
            "deeds": real_text(rng, 600),
            "self_score": 92,
            "committee_score": 90,
            "discipline_violation": False,
            "summary_grade": "较好",
        }
        if award != "先进党支部":  # a personal award carries evidence of its deeds
            nomination["evidence"] = [_evidence(index)]
        subs.append(_submitted("nomination", "evaluate", nomination))
    return {
        "branch": {
            "name": name,
            "unit": f"示例单位{index + 1}",
            "member_count": 18,
            "secretary": _OWNERS[index % 5],
            "central_work": ["校庆"],
        },
        "submissions": subs,
        "statistics": {"学习次数": 8, "平均出席率": "88.9%"},
    }


def real_campaign_dossier(branches: int = 50) -> dict[str, Any]:
    """A campaign dossier input of ``branches`` real-sized branches (``real_branch_entry``)."""
    entries = [real_branch_entry(i) for i in range(branches)]
    return {
        "campaign": {"title": "2025年度“先锋工程”", "year": 2025, "stage": "evaluate"},
        "branches": entries,
        "progress": [sample_progress(str(entry["branch"]["name"])) for entry in entries],
    }

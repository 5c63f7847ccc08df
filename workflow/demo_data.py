"""The demo campaign's content: six office branches, study sessions and two finished plans.

Plain data, filled in by ``workflow.setup.seed_demo``; dates fall in the given year.
"""

from __future__ import annotations

from typing import Any

BRANCHES: list[dict[str, Any]] = [
    {
        "name": "党政办公室党支部",
        "unit": "党政办公室",
        "member_count": 18,
        "secretary": "王丽",
        "central_work": ["校庆"],
    },
    {
        "name": "教务处党支部",
        "unit": "教务处",
        "member_count": 15,
        "secretary": "李明",
        "central_work": ["本科教学评估"],
    },
    {
        "name": "科研处党支部",
        "unit": "科研处",
        "member_count": 12,
        "secretary": "张伟",
        "central_work": ["学科建设", "学位点建设"],
    },
    {
        "name": "学生工作部党支部",
        "unit": "学生工作部(学生处)",
        "member_count": 16,
        "secretary": "刘洋",
        "central_work": ["校庆", "本科教学评估"],
    },
    {
        "name": "后勤管理处党支部",
        "unit": "后勤管理处",
        "member_count": 22,
        "secretary": "陈刚",
        "central_work": [],
    },
    {
        "name": "图书馆党支部",
        "unit": "图书馆",
        "member_count": 14,
        "secretary": "赵敏",
        "central_work": ["学科建设"],
    },
]

# (login, display name, role, index into BRANCHES or None)
ACCOUNTS: list[tuple[str, str, str, int | None]] = [
    ("admin", "系统管理员", "admin", None),
    ("reviewer", "机关党委审核员", "reviewer", None),
    *[(f"branch{i + 1}", f"{b['name']}组织委员", "branch", i) for i, b in enumerate(BRANCHES)],
    ("reader", "学校党委办公室", "reader", None),
]


def campaign(year: int) -> dict[str, Any]:
    """The demo campaign of ``year``, in its launch stage."""
    return {
        "year": year,
        "title": f"{year}年机关“先锋工程”建设",
        "stage": "launch",
        "stage_dates": {
            "launch": {"start": f"{year}-03-01", "end": f"{year}-04-30"},
            "implement": {"start": f"{year}-05-01", "end": f"{year}-10-31"},
            "evaluate": {"start": f"{year}-11-01", "end": f"{year}-12-31"},
        },
        "settings": {"demo_site_quota": 2, "spot_check_ratio": 0.3, "budget": 20000},
    }


def study_sessions(year: int, branch: dict[str, Any]) -> list[dict[str, Any]]:
    """Two study sessions of ``branch`` in March of ``year`` (S1)."""
    members = int(branch["member_count"])
    return [
        {
            "branch": branch["name"],
            "date": f"{year}-03-12",
            "topic": "学习贯彻全国教育大会精神,部署支部“先锋工程”建设",
            "documents": [
                "全国教育大会重要讲话精神",
                f"关于开展{year}年机关“先锋工程”建设的实施意见",
            ],
            "members": members,
            "attendees": members - 1,
            "hours": 2,
            "notes": "书记领学实施意见,党员逐一发言,围绕校庆筹备服务工作讨论支部实施方案框架。"
            "1 名党员因公出差请假,会后由组织委员单独传达学习内容。",
        },
        {
            "branch": branch["name"],
            "date": f"{year}-03-26",
            "topic": "学习《中国共产党支部工作条例(试行)》,讨论修改支部实施方案",
            "documents": ["中国共产党支部工作条例(试行)"],
            "members": members,
            "attendees": members - 2,
            "hours": 1.5,
            "notes": "对照条例逐条检查支部工作台账,讨论实施方案征求意见稿,收集修改意见 11 条。",
        },
    ]


def plan_of_academic_affairs(year: int) -> dict[str, Any]:
    """教务处党支部's plan, tied to the undergraduate teaching evaluation."""
    return {
        "branch": "教务处党支部",
        "title": f"教务处党支部{year}年“先锋工程”实施方案",
        "goals": "以迎接本科教学审核评估为中心,把支部建设与教学管理服务深度融合,"
        "做到评估材料零差错、教学运行零事故、师生咨询件件有回音,"
        "使支部成为全校教学管理的先锋队。",
        "items": [
            {
                "content": "评估材料党员责任区",
                "measures": "将审核评估 24 个观测点分解到每名党员,党员对所负责观测点的支撑材料"
                "实行挂牌认领、周报进度,支委每两周抽查一次材料质量。",
                "owner": "李明",
                "deadline": f"{year}-09-30",
            },
            {
                "content": "教学运行“党员先锋岗”",
                "measures": "在排课、考务、学籍三个窗口设立党员先锋岗,公开承诺办结时限,"
                "每月评议一次,评议结果在支部会议上通报。",
                "owner": "周静",
                "deadline": f"{year}-12-15",
            },
            {
                "content": "走进院系听课调研",
                "measures": "每名党员每学期深入一个院系听课不少于 4 次,形成调研报告,"
                "梳理的问题在教务例会上逐项交办、限期反馈。",
                "owner": "孙浩",
                "deadline": f"{year}-11-30",
            },
        ],
        "schedule": [
            {
                "stage": "launch",
                "start": f"{year}-03-01",
                "end": f"{year}-04-30",
                "tasks": "学习动员,分解评估观测点,制定并公示支部方案。",
            },
            {
                "stage": "implement",
                "start": f"{year}-05-01",
                "end": f"{year}-10-31",
                "tasks": "责任区推进评估准备,先锋岗运行,院系听课调研。",
            },
            {
                "stage": "evaluate",
                "start": f"{year}-11-01",
                "end": f"{year}-12-31",
                "tasks": "对照评估反馈自查整改,撰写总结,开展党员评议。",
            },
        ],
        "requirements": "支委会每月听取一次进度汇报;党员责任区完成情况纳入年度民主评议;"
        "活动过程材料及时归入支部台账。",
        "activity_forms": ["专题学习", "党员先锋岗", "院系调研", "经验交流会"],
        "features": "把本科教学审核评估的观测点直接变成党员责任区,"
        "评估准备的进度就是支部建设的进度,党员在评估一线亮身份、作表率。",
        "central_work": ["本科教学评估"],
        "supervision": "支部书记每月检查责任区台账,机关党委季度督查时现场抽查两个观测点的材料。",
        "budget": 3000,
    }


def plan_of_research_office(year: int) -> dict[str, Any]:
    """科研处党支部's plan, tied to discipline and degree-programme building."""
    return {
        "branch": "科研处党支部",
        "title": f"科研处党支部{year}年“先锋工程”实施方案",
        "goals": "围绕学科建设和学位点申报,以优质服务支撑科研团队,"
        "年内为申报团队提供材料预审全覆盖,科研项目经费报销平均周期缩短三分之一。",
        "items": [
            {
                "content": "学位点申报材料预审",
                "measures": "组建党员预审小组,对新增学位点申报材料实行“一点一组”预审,"
                "每份材料至少两轮审读并出具书面意见。",
                "owner": "张伟",
                "deadline": f"{year}-07-15",
            },
            {
                "content": "科研服务“最多跑一次”",
                "measures": "梳理项目立项、结题、经费报销流程,编制办事指南,"
                "党员对照指南提供一次性告知服务,每季度统计群众跑腿次数。",
                "owner": "吴倩",
                "deadline": f"{year}-10-31",
            },
            {
                "content": "党员联系学科团队",
                "measures": "每名党员联系一个重点学科团队,每月走访一次,"
                "收集的诉求建立清单,办结一项销号一项。",
                "owner": "郑凯",
                "deadline": f"{year}-12-15",
            },
        ],
        "schedule": [
            {
                "stage": "launch",
                "start": f"{year}-03-01",
                "end": f"{year}-04-30",
                "tasks": "学习部署,确定联系团队和预审分组,公布服务承诺。",
            },
            {
                "stage": "implement",
                "start": f"{year}-05-01",
                "end": f"{year}-10-31",
                "tasks": "开展预审和走访,优化报销流程,每季度通报一次诉求办结情况。",
            },
            {
                "stage": "evaluate",
                "start": f"{year}-11-01",
                "end": f"{year}-12-31",
                "tasks": "请学科团队评议服务,总结经验,查找不足。",
            },
        ],
        "requirements": "党员走访和预审情况按月记入台账,支委会每季度专题研究一次学科团队诉求。",
        "activity_forms": ["主题党日", "走访调研", "服务承诺", "专题座谈"],
        "features": "用学科团队的“诉求清单”倒逼服务改进,学科团队打分作为支部评价的主要依据,"
        "让学科建设的成效检验支部建设的成效。",
        "central_work": ["学科建设", "学位点建设"],
        "supervision": "诉求清单在支部公示栏公开,学科团队可随时查询办理进度;"
        "机关党委每季度抽查清单办结情况。",
        "budget": 2500,
    }


def _schedule(year: int, launch: str, implement: str, evaluate: str) -> list[dict[str, Any]]:
    return [
        {"stage": "launch", "start": f"{year}-03-01", "end": f"{year}-04-30", "tasks": launch},
        {
            "stage": "implement",
            "start": f"{year}-05-01",
            "end": f"{year}-10-31",
            "tasks": implement,
        },
        {"stage": "evaluate", "start": f"{year}-11-01", "end": f"{year}-12-31", "tasks": evaluate},
    ]


def plan_of_student_affairs(year: int) -> dict[str, Any]:
    """学生工作部党支部's plan, tied to the anniversary and the teaching evaluation."""
    return {
        "branch": "学生工作部党支部",
        "title": f"学生工作部党支部{year}年“先锋工程”实施方案",
        "goals": "紧扣建校七十周年校庆志愿服务和学风建设两件大事,让每名党员联系一个学生班级,"
        "把思想引领落到宿舍、课堂和网络,全年学生满意度测评达到九成以上。",
        "items": [
            {
                "content": "校庆志愿者队伍组建与培训",
                "measures": "党员牵头招募三百名学生志愿者,分礼仪、引导、校友接待三组,"
                "开展四轮岗前培训并组织一次全流程演练。",
                "owner": "刘洋",
                "deadline": f"{year}-09-20",
            },
            {
                "content": "党员联系班级",
                "measures": "每名党员每月深入所联系班级一次,参加班会、走访宿舍,"
                "学生反映的困难登记在册,一周内答复。",
                "owner": "何芳",
                "deadline": f"{year}-12-20",
            },
            {
                "content": "网络思政工作室",
                "measures": "开设学生事务答疑公众号专栏,党员轮值回复留言,"
                "每月汇总高频问题推动相关部门改进。",
                "owner": "马超",
                "deadline": f"{year}-11-15",
            },
        ],
        "schedule": _schedule(
            year,
            "召开动员会,确定党员联系班级名单和志愿者招募方案。",
            "志愿者培训上岗,联系班级常态化运行,公众号专栏上线。",
            "开展学生满意度测评,评选优秀联系人,总结问题与不足。",
        ),
        "requirements": "联系班级情况每月在支部会上交流;志愿服务时长如实登记;"
        "学生困难处理情况纳入党员年度评议。",
        "activity_forms": ["志愿服务", "班级走访", "网络答疑"],
        "features": "把校庆志愿服务变成学生党员和青年学生的成长课堂,"
        "机关党员当带队老师,服务结束后每支志愿小队都要写一份复盘报告。",
        "central_work": ["校庆", "本科教学评估"],
        "supervision": "支委每月抽查联系班级记录,学生代表每学期对党员联系工作打分。",
    }


def plan_of_library(year: int) -> dict[str, Any]:
    """图书馆党支部's plan, tied to discipline building."""
    return {
        "branch": "图书馆党支部",
        "title": f"图书馆党支部{year}年“先锋工程”实施方案",
        "goals": "面向重点学科提供文献保障和查新服务,建成三个学科专题数据库,"
        "馆员党员人人成为学科联络馆员,文献传递请求当天响应率达到百分之九十五。",
        "items": [
            {
                "content": "学科联络馆员制度",
                "measures": "党员馆员分别对接十二个学院,每学期上门开展一次数据库使用培训,"
                "并收集教师的文献需求。",
                "owner": "赵敏",
                "deadline": f"{year}-12-10",
            },
            {
                "content": "学科专题数据库建设",
                "measures": "围绕材料、机械、教育三个学科整理外文期刊与学位论文目录,"
                "按季度更新并在主页开放检索。",
                "owner": "钱进",
                "deadline": f"{year}-10-30",
            },
            {
                "content": "阅览区延时开放党员值守",
                "measures": "考试周阅览区延长至晚十一点,党员轮流值守,记录读者意见并次日处理。",
                "owner": "冯雪",
                "deadline": f"{year}-12-31",
            },
        ],
        "schedule": _schedule(
            year,
            "调研各学院文献需求,确定联络馆员分工。",
            "建设专题数据库,开展入院培训,考试周延时值守。",
            "统计服务数据,征求学院评价,形成总结。",
        ),
        "requirements": "联络馆员每月提交服务记录;数据库建设进度在馆务会上通报;"
        "读者意见处理情况公开。",
        "activity_forms": ["上门培训", "专题数据库", "延时值守"],
        "features": "以馆员党员的专业能力服务学科建设,专题数据库由党员与学科带头人共同选题,"
        "建成后由学院教师评价使用效果。",
        "central_work": ["学科建设"],
        "supervision": "馆长和支部书记每季度检查联络记录与数据库更新日志。",
    }


PLANS = [
    plan_of_academic_affairs,
    plan_of_research_office,
    plan_of_student_affairs,
    plan_of_library,
]

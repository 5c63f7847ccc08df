"""Stock phrases as families: variants, numbering and lead-ins, overlaps counted once."""

from __future__ import annotations

import pytest

from rules import engine
from rules.phrases import PatternError, catalogue, covered, judge, points

FAMILIES = [
    "(政治)?理论学习…(不够|不深|不系统)(系统|深入)?(深入)?",
    "有待(进一步)?(提高|加强|增强)",
    "创新意识(不强|不够)",
    "办法不多",
    "联系群众…不(够|紧密)",
    "先锋模范作用…没有(充分)?发挥",
]
LEAD_INS = ["对照…要求…(存在|有)以下(不足|问题)"]


def test_variants_of_one_family_are_recognised() -> None:
    found = catalogue(FAMILIES)
    for text in ("政治理论学习还不够系统深入", "理论学习不深", "理论学习仍然不够", "有待增强"):
        length, _ = covered(text, found.compiled)
        assert length / len(text) >= 0.5, text
    assert covered("青年党员参加理论学习的出勤率只有七成", found.compiled)[0] == 0


def test_numbering_and_lead_ins_are_removed_before_judging_points() -> None:
    found = catalogue(FAMILIES, LEAD_INS)
    text = (
        "对照上级要求，支部工作仍存在以下不足：一是政治理论学习还不够系统深入；"
        "二是服务意识有待进一步增强；（三）创新意识不强，办法不多；4. 联系群众还不够紧密。"
    )
    assert [plain for _, plain in points(text, found.lead_ins)] == [
        "政治理论学习还不够系统深入",
        "服务意识有待进一步增强",
        "创新意识不强办法不多",
        "联系群众还不够紧密",
    ]
    outcome = judge([text], found, 0.5)
    assert outcome.total == 4 and outcome.share == 1.0
    assert outcome.counted[0] == "政治理论学习还不够系统深入"


def test_overlapping_entries_cover_a_character_once() -> None:
    found = catalogue(["充分发挥党支部战斗堡垒作用", "战斗堡垒作用"])
    text = "充分发挥党支部战斗堡垒作用"
    assert covered(text, found.compiled)[0] == len(text)
    # Counting each entry would make the share 19/13 — above 100%.
    specific = "充分发挥党支部战斗堡垒作用推出财务报销预约制由党员轮流为离退休教师上门办理报销"
    length, _ = covered(specific, found.compiled)
    assert length == len(text) and length / len(specific) < 0.5


def test_a_mostly_specific_point_does_not_count() -> None:
    found = catalogue(FAMILIES)
    outcome = judge(
        ["理论学习还不够深入，全年只组织了3次集中学习，青年教师有5人一次未到。"], found, 0.5
    )
    assert outcome.total == 1 and outcome.counted == []


@pytest.mark.parametrize(
    "pattern",
    ["(a|b", "a)", "a.*b", "[abc]", "x+", "a…b…c…d", "(|a)", "?a", r"a\d"],
)
def test_patterns_outside_the_language_are_refused(pattern: str) -> None:
    with pytest.raises(PatternError):
        catalogue([pattern])


def test_numbers_in_digits_and_chinese_numerals() -> None:
    found = catalogue(["{数}(次|名|%)"])
    for text in ("全年开展12次", "只有七名党员参加", "参学率90%"):
        assert covered(text, found.compiled)[0] > 0, text
    assert covered("服务意识有待进一步增强", found.compiled)[0] == 0


@pytest.mark.parametrize(
    "text",
    [
        "经支部委员会认真自查和广泛征求党员群众意见，本年度支部各项工作均按计划完成，未发现明显不足和薄弱环节。",
        "暂无明显不足。",
        "本支部没有发现突出问题",
        "经自查，不存在明显短板。",
    ],
)
def test_denials_are_returned_whatever_their_length(text: str) -> None:
    report = engine.check("summary", {"branch": "测试党支部", "shortcomings": text})
    assert report is not None
    denial = next(r for r in report.results if r.rule == "shortcomings_not_denial")
    assert not denial.passed and report.decision == "return"
    assert "不论写多长" in denial.message


def test_a_real_shortcoming_that_mentions_problems_is_not_a_denial() -> None:
    text = "支部没有形成固定的上门服务制度，全年只开了两次组织生活会，会议记录没有写明请假人员。"
    report = engine.check("summary", {"branch": "测试党支部", "shortcomings": text})
    assert report is not None
    denial = next(r for r in report.results if r.rule == "shortcomings_not_denial")
    concrete = next(r for r in report.results if r.rule == "shortcomings_concrete")
    assert denial.passed and concrete.passed


def test_stock_points_are_named_in_the_message() -> None:
    text = "一是理论业务学习不够；二是服务意识需进一步加强；三是会议记录没有写明请假人员。"
    report = engine.check("summary", {"branch": "测试党支部", "shortcomings": text})
    assert report is not None
    stock = next(r for r in report.results if r.rule == "shortcomings_not_boilerplate")
    assert not stock.passed
    assert "3 条中有 2 条是套话" in stock.message
    assert "“理论业务学习不够”" in stock.message and "请假人员" not in stock.message

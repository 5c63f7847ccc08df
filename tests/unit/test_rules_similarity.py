"""Plans too similar to another branch's are "没有特色", naming the document (issue 5, §5)."""

from __future__ import annotations

import pytest

from rules import similarity
from rules.engine import check
from rules.similarity import Comparable, most_similar, shared_passage
from tests.unit.rules_fixtures import GOOD_PLAN, plan

OWN_FEATURES = "设立学科馆员党员责任区，每名党员联系一个学院，定期上门推送最新文献和查新服务。"


def test_most_similar_document_is_named_with_the_shared_passage() -> None:
    others = [
        Comparable("图书馆方案", "图书馆党支部", {"features": OWN_FEATURES}),
        Comparable("财务处方案", "财务处党支部", {"features": GOOD_PLAN["features"]}),
    ]
    match = most_similar(GOOD_PLAN["features"] + "另外", others, ["features"], 10)
    assert match is not None and match.name == "财务处方案" and match.score > 0.9
    assert "党员代办岗" in match.passage


def test_copied_features_are_returned_as_without_distinction() -> None:
    other = Comparable("二支部方案", "机关第二党支部", {"features": GOOD_PLAN["features"]})
    report = check("plan", plan(), others=[other])
    assert report is not None and report.decision == "return"
    result = next(r for r in report.results if r.rule == "features_distinct")
    assert "没有特色" in result.message and "《二支部方案》" in result.message
    assert result.evidence and "离退休教师上门办理报销" in result.evidence["passage"]


def test_distinct_features_pass_and_threshold_comes_from_settings() -> None:
    other = Comparable("图书馆方案", "图书馆党支部", {"features": OWN_FEATURES})
    report = check("plan", plan(), others=[other])
    assert report is not None and report.passed
    near = Comparable("近似方案", "三支部", {"features": GOOD_PLAN["features"][:30] + OWN_FEATURES})
    strict = check("plan", plan(), others=[near], settings={"max_features_similarity": 0.2})
    assert strict is not None
    assert not next(r for r in strict.results if r.rule == "features_distinct").passed


def test_shared_passage_ignores_punctuation_and_spacing() -> None:
    # Found without punctuation and spacing, quoted as written (punctuation kept).
    assert shared_passage("我们 推行“预约制”，效果好", "他们也推行预约制。") == "推行“预约制"


def test_a_stage_of_plans_compares_each_pair_once_and_quotes_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    similarity._ratio.cache_clear()
    compared: list[tuple[str, str]] = []
    quoted: list[str] = []
    real_ratio, real_passage = similarity.fuzz.ratio, similarity.shared_passage

    def ratio(a: str, b: str) -> float:
        compared.append((a, b))
        return float(real_ratio(a, b))

    def passage(a: str, b: str, prescribed: object = None) -> str:
        quoted.append(a)
        return real_passage(a, b)

    monkeypatch.setattr(similarity.fuzz, "ratio", ratio)
    monkeypatch.setattr(similarity, "shared_passage", passage)
    plans = [
        Comparable(f"方案{i}", f"支部{i}", {"features": f"第{i}支部" + OWN_FEATURES[i:] * (i + 1)})
        for i in range(5)
    ]
    matches = [
        most_similar(p.text(["features"]), [o for o in plans if o is not p], ["features"], 10)
        for p in plans
    ]
    assert len(compared) == 10  # 5 plans: 10 pairs, not 20 comparisons
    assert quoted == []
    found = matches[0]
    assert found is not None and found.passage  # worked out now, when a message needs it
    assert len(quoted) == 1

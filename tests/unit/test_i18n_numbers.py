"""Rates read as percentages with at most one decimal."""

from __future__ import annotations

import pytest

from i18n.numbers import format_percent


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (0.944, "94.4%"),
        (0.3, "30%"),
        (17 / 18, "94.4%"),
        (1, "100%"),
        (0, "0%"),
        ("0.9234", "92.3%"),
        (0.0004, "0%"),
        (-0.0001, "0%"),
    ],
)
def test_ratios_show_as_percentages(ratio: object, shown: str) -> None:
    assert format_percent(ratio) == shown


def test_what_is_not_a_ratio_is_shown_as_is() -> None:
    assert format_percent(None) == ""
    assert format_percent("高") == "高"
    assert format_percent(float("nan")) == "nan"


def test_similarity_finding_reads_as_a_sentence_with_a_percentage() -> None:
    from rules.report import similarity_sentence

    evidence = {"branch": "研究生院党支部", "score": "0.9234", "passage": "甲" * 100}
    sentence = similarity_sentence(evidence, "方案", "zh")
    assert sentence.startswith("与 研究生院党支部 的方案重复 92.3%：“" + "甲" * 80 + "……")

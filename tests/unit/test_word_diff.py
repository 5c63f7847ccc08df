"""Version changes word by word: Chinese characters one by one, Latin words whole."""

from __future__ import annotations

from workflow.word_diff import MAX_TOKENS, Piece, tokens, word_diff


def test_chinese_is_compared_character_by_character() -> None:
    assert word_diff("每月组织一次学习", "每季度组织两次学习") == [
        Piece("same", "每"),
        Piece("deleted", "月"),
        Piece("inserted", "季度"),
        Piece("same", "组织"),
        Piece("deleted", "一"),
        Piece("inserted", "两"),
        Piece("same", "次学习"),
    ]


def test_latin_words_and_numbers_are_whole_tokens() -> None:
    assert tokens("PPT v2 2026年") == ["PPT", " ", "v2", " ", "2026", "年"]
    assert word_diff("版本 v2", "版本 v3") == [
        Piece("same", "版本 "),
        Piece("deleted", "v2"),
        Piece("inserted", "v3"),
    ]


def test_pieces_rebuild_both_versions() -> None:
    old, new = (
        "党员先锋岗,每月评议一次。\n结果通报。",
        "党员先锋岗和优质岗,每季度评议。\n结果公示。",
    )
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op != "inserted") == old
    assert "".join(p.text for p in pieces if p.op != "deleted") == new


def test_huge_text_is_one_replacement_not_a_hang() -> None:
    old, new = "甲" * (MAX_TOKENS + 1), "乙" * 10
    assert word_diff(old, new) == [Piece("deleted", old), Piece("inserted", new)]


def test_unchanged_text_is_one_piece() -> None:
    assert word_diff("相同", "相同") == [Piece("same", "相同")]

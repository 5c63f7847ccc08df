"""storage/merge.py: a save that meets 已被他人修改 keeps both people's work where it can."""

from __future__ import annotations

from storage.merge import MISSING, apply_choices, three_way_merge

BASE = {
    "id": "s1",
    "rev": 3,
    "updated_by": "zhang",
    "status": "draft",
    "data": {"title": "方案", "goals": "目标", "features": "特色", "items": [{"content": "学习"}]},
}


def _with(data: dict[str, object], **top: object) -> dict[str, object]:
    return {**BASE, **top, "data": {**BASE["data"], **data}}  # type: ignore[dict-item]


def test_fields_changed_on_one_side_only_merge_without_conflict() -> None:
    mine = _with({"title": "新方案"})
    theirs = _with({"goals": "新目标"}, rev=4, updated_by="li")
    result = three_way_merge(BASE, mine, theirs)
    assert result.clean
    assert result.merged["data"]["title"] == "新方案"
    assert result.merged["data"]["goals"] == "新目标"
    assert result.merged["data"]["features"] == "特色"
    assert result.merged["rev"] == 4 and result.merged["updated_by"] == "li"
    assert result.mine_changed == ["data.title"]
    assert result.theirs_changed == ["data.goals"]


def test_fields_changed_on_both_sides_differently_are_reported_as_conflicts() -> None:
    mine = _with({"title": "我的标题", "goals": "同样的修改"})
    theirs = _with({"title": "他的标题", "goals": "同样的修改"}, rev=4)
    result = three_way_merge(BASE, mine, theirs)
    assert not result.clean
    assert [(c.path, c.base, c.mine, c.theirs) for c in result.conflicts] == [
        ("data.title", "方案", "我的标题", "他的标题")
    ]
    # Until the user decides, the stored value stands; the identical change is no conflict.
    assert result.merged["data"]["title"] == "他的标题"
    assert result.merged["data"]["goals"] == "同样的修改"
    assert apply_choices(result, {"data.title"})["data"]["title"] == "我的标题"
    assert apply_choices(result, set())["data"]["title"] == "他的标题"


def test_lists_are_compared_whole_and_removed_fields_are_changes() -> None:
    mine = _with({"items": [{"content": "学习"}, {"content": "调研"}]})
    theirs = _with({}, rev=4)
    del theirs["data"]["features"]  # type: ignore[attr-defined]
    result = three_way_merge(BASE, mine, theirs)
    assert result.clean
    assert result.merged["data"]["items"] == [{"content": "学习"}, {"content": "调研"}]
    assert "features" not in result.merged["data"]

    both = three_way_merge(BASE, _with({"features": "我的特色"}), theirs)
    assert [(c.path, c.mine, c.theirs) for c in both.conflicts] == [
        ("data.features", "我的特色", MISSING)
    ]
    assert apply_choices(both, {"data.features"})["data"]["features"] == "我的特色"


def test_merge_does_not_modify_its_inputs() -> None:
    mine = _with({"items": [{"content": "新"}]})
    theirs = _with({}, rev=4)
    result = three_way_merge(BASE, mine, theirs)
    result.merged["data"]["items"][0]["content"] = "改了"
    assert mine["data"]["items"] == [{"content": "新"}]  # type: ignore[index]

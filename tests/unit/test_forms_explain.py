"""forms.explain: the one translation of Pydantic errors, for every layer, in zh and en."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ValidationError

from forms.explain import explain, explain_each
from forms.fields import field
from forms.specs import describe, path_label, strip_optional
from workflow.models import Campaign, User


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Row(BaseModel):
    owner: str = field("责任人", en="Owner", min_length=1)
    deadline: dt.date = field("完成时限", en="Deadline")


class Sample(BaseModel):
    title: str = field("标题", en="Title", min_length=2)
    kind: Literal["a", "b"] = field(
        "类别", en="Kind", options_zh={"a": "甲", "b": "乙"}, options_en={"a": "A-type"}
    )
    colour: Colour = field("颜色", en="Colour")
    amount: int | str | None = field("数量", en="Amount", default=None)
    items: list[Row] = field("主要内容", en="Items", default_factory=list)


def _error(model: type[BaseModel], data: dict[str, Any]) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return caught.value


GOOD = {"title": "标题", "kind": "a", "colour": "red"}


def test_missing_fields_are_named_and_say_fill_it_in_in_both_languages() -> None:
    error = _error(Sample, {})
    assert explain(error, Sample)["title"] == "「标题」必须填写,请填写"
    assert explain(error, Sample, "en")["title"] == "“Title” is required; please fill it in"


def test_nested_row_errors_are_keyed_by_dotted_path_and_name_the_row() -> None:
    error = _error(Sample, {**GOOD, "items": [{"owner": "张", "deadline": "2025-01-01"}, {}]})
    zh, en = explain(error, Sample), explain(error, Sample, "en")
    assert zh["items.1.owner"] == "「主要内容」第 2 项的「责任人」必须填写,请填写"
    assert en["items.1.deadline"] == "“Deadline” in row 2 of “Items” is required; please fill it in"
    assert set(zh) == {"items.1.owner", "items.1.deadline"}


def test_choice_errors_list_the_allowed_values_as_the_reader_reads_them() -> None:
    error = _error(Sample, {**GOOD, "kind": "x", "colour": "green"})
    zh, en = explain(error, Sample), explain(error, Sample, "en")
    assert zh["kind"] == "「类别」只能从以下选项中选择:甲、乙"
    assert en["kind"] == "“Kind” must be one of: A-type, b"
    assert zh["colour"] == "「颜色」只能从以下选项中选择:red、blue"


def test_multi_arm_union_errors_land_on_the_field_not_on_the_arm_pydantic_tried() -> None:
    error = _error(Sample, {**GOOD, "amount": [1]})
    items = explain_each(error, Sample)
    assert [item.loc for item in items] == [("amount",), ("amount",)]  # one per arm
    assert explain(error, Sample) == {"amount": "「数量」填写有误,请检查后重新填写"}
    assert strip_optional(int | str | None) == (int | str, True)
    assert next(s for s in describe(Sample) if s.name == "amount").is_union


def test_core_records_are_explained_with_their_own_labels_and_help_as_format_hint() -> None:
    campaign = _error(Campaign, {"year": 1999, "title": "x", "settings": {"budget": -1}})
    zh = explain(campaign, Campaign)
    assert zh["year"] == "「年度」不能小于 2000,请修改"
    assert zh["settings.budget"] == "「设置」的「经费预算(元)」不能小于 0,请修改"
    assert explain(campaign, Campaign, "en")["title"] == (
        "“Title” needs at least 2 characters; please add more"
    )
    login = _error(User, {"login": "a b", "display_name": "x", "role": "admin"})
    assert explain(login, User)["login"] == (
        "「登录名」格式不对:只能使用英文字母、数字、点、下划线和减号,例如 zhangsan"
    )


def test_a_model_without_labels_names_fields_by_their_keys() -> None:
    error = _error(Sample, {**GOOD, "items": [{"owner": "", "deadline": "x"}]})
    assert explain(error, None)["items.0.deadline"] == (
        "「items」第 1 项的「deadline」不是有效日期,请按 YYYY-MM-DD 填写"
    )


def test_path_label_accepts_dotted_bracketed_and_loc_paths() -> None:
    assert path_label(Sample, "items.0.owner") == "「主要内容」第 1 项的「责任人」"
    assert path_label(Sample, ("items", 0, "owner"), "en") == "“Owner” in row 1 of “Items”"
    assert path_label(Sample, "items[].owner") == "「主要内容」的「责任人」"
    assert path_label(Sample, "") == "本表单"

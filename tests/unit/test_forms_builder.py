"""Issue 16 (1): the form builder's model ⇄ YAML definition ⇄ table rows, round trips.

Hypothesis builds forms of every field type (sections and repeat groups, conditions on earlier
fields, limits, options with English labels) and checks that the YAML the builder writes
compiles with the project's own loader, into the fields the builder holds, and reads back as
the same builder form; and that the builder's table gives the same form back.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.builder import (
    MAX_FIELDS,
    MAX_OPTIONS,
    NO,
    YES,
    BuilderField,
    BuilderForm,
    Option,
    ShowWhen,
    condition_targets,
    condition_values,
    from_model,
    from_yaml,
    not_carried,
    problems,
    to_yaml,
    with_condition,
)
from forms.builder_table import apply_rows, named_rows, row_problems, to_rows
from forms.registry import default_registry
from forms.specs import describe
from forms.yaml_definitions import FOLDER, load_text
from i18n import t

SCALARS = ("text", "textarea", "float", "int", "date", "month", "select", "multiselect", "bool",
           "file", "radio", "tags", "datetime", "time")  # fmt: skip
_LABEL = (
    st.text(
        alphabet="先锋工程支部党员学习计划abcXYZ019-_,。:#{}[]'\"&<>% ", min_size=1, max_size=12
    )
    .map(str.strip)
    .filter(bool)
)
_VALUE = (
    st.text(alphabet="社区校园服务其他ab12 -", min_size=1, max_size=6).map(str.strip).filter(bool)
)


@st.composite
def scalar_field(draw: Any, name: str, scope: dict[str, BuilderField]) -> BuilderField:
    kind = draw(st.sampled_from(SCALARS))
    options: tuple[Option, ...] = ()
    if kind in ("select", "radio", "multiselect"):
        values = draw(st.lists(_VALUE, min_size=1, max_size=5, unique=True))
        options = tuple(Option(v, draw(st.sampled_from(["", "Other", "A b"]))) for v in values)
    low = high = None
    if kind in ("text", "textarea", "multiselect", "tags", "file"):
        low, high = draw(st.sampled_from([(None, None), (1, None), (None, 200), (2, 30)]))
    elif kind == "int":
        low, high = draw(st.sampled_from([(None, None), (0, None), (None, 24), (-3, 12)]))
    elif kind == "float":
        low, high = draw(st.sampled_from([(None, None), (0, None), (None, 24), (0.5, 12.25)]))
    targets = [
        f for f in scope.values() if f.kind in ("text", "select", "bool", "int", "multiselect")
    ]
    show_when = None
    if targets and draw(st.booleans()):
        target = draw(st.sampled_from(targets))
        if target.kind == "bool":
            value = draw(st.sampled_from([YES, NO]))
        elif target.kind == "int":
            value = str(draw(st.integers(0, 99)))
        elif target.options:
            value = draw(st.sampled_from([o.value for o in target.options]))
        else:
            value = draw(_VALUE)
        show_when = ShowWhen(target.name, value)
    return BuilderField(
        name=name,
        kind=kind,
        label_zh=draw(_LABEL),
        label_en=draw(st.sampled_from(["", "Label", "Hours (h)"])),
        help_zh=draw(st.sampled_from(["", "请写明", "例如:每月一次"])),
        required=draw(st.booleans()) if kind not in ("file", "multiselect", "tags") else False,
        options=options,
        minimum=low,
        maximum=high,
        show_when=show_when,
        extra={"multiple_of": 0.5} if kind == "float" and draw(st.booleans()) else {},
    )


@st.composite
def builder_forms(draw: Any) -> BuilderForm:
    scope: dict[str, BuilderField] = {}
    fields = []
    for index in range(draw(st.integers(1, 6))):
        name = f"f{index}"
        if draw(st.integers(0, 4)) == 0:
            kind = draw(st.sampled_from(["group", "section"]))
            inner = dict(scope)
            children = []
            for child_index in range(draw(st.integers(1, 3))):
                child = draw(scalar_field(f"{name}_c{child_index}", inner))
                children.append(child)
                inner[child.name] = child
            item = BuilderField(name, kind, draw(_LABEL), children=tuple(children))
        else:
            item = draw(scalar_field(name, scope))
        fields.append(item)
        scope[name] = item
    return BuilderForm(
        form_type="built_form",
        title_zh=draw(_LABEL),
        title_en=draw(st.sampled_from(["", "Built form"])),
        stage=draw(st.sampled_from(["launch", "implement", "evaluate"])),
        form_version=draw(st.integers(1, 9)),
        one_per_campaign=draw(st.booleans()),
        fields=tuple(fields),
    )


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(builder_forms())
def test_builder_yaml_compiles_to_its_fields_and_reads_back_as_the_same_form(
    form: BuilderForm,
) -> None:
    assert problems(form) == []
    text = to_yaml(form)
    model = load_text(text, "表单定义")  # the project's own checks and compiler
    assert [s.name for s in describe(model)] == [f.name for f in form.fields]
    assert model.title_zh == form.title_zh and model.form_version == form.form_version
    assert from_yaml(text) == form
    assert to_yaml(from_yaml(text)) == text


@PROPERTY
@given(builder_forms())
def test_builder_table_rows_give_the_same_form_back(form: BuilderForm) -> None:
    assert apply_rows(form, to_rows(form)) == form


def test_a_yaml_definition_keeps_what_the_builder_does_not_edit() -> None:
    text = (FOLDER / "volunteer_service.yaml").read_text(encoding="utf-8")
    built = from_yaml(text)
    hours = next(f for f in built.fields if f.name == "hours")
    assert hours.extra == {"gt": 0, "multiple_of": 0.5} and hours.maximum == 24
    kind_other = next(f for f in built.fields if f.name == "kind_other")
    assert kind_other.show_when == ShowWhen("kind", "其他")
    total = next(f for f in built.fields if f.name == "total_hours")
    assert "calculate" in total.extra
    again = load_text(to_yaml(built))
    assert again.model_json_schema() == load_text(text).model_json_schema()


def test_a_condition_the_builder_cannot_show_stays_as_written() -> None:
    text = (FOLDER / "volunteer_service.yaml").read_text(encoding="utf-8")
    odd = text.replace('relevant: kind == "其他"', 'relevant: kind != "其他" and hours > 1')
    kind_other = next(f for f in from_yaml(odd).fields if f.name == "kind_other")
    assert kind_other.show_when is None
    assert kind_other.extra["relevant"] == 'kind != "其他" and hours > 1'


@pytest.mark.parametrize("form_type", [ft.name for ft in default_registry().form_types()])
def test_every_registered_form_can_be_copied_into_the_builder_and_compiles(form_type: str) -> None:
    model = default_registry().get(form_type)
    copied = from_model(model, form_type=f"{form_type}_copy", title_zh="复制", stage=model.stage)
    compiled = load_text(to_yaml(copied))
    stored = [s.name for s in describe(model) if s.stores_value]
    assert [s.name for s in describe(compiled)] == stored


def test_builder_refuses_conditions_on_later_fields_and_values_that_are_not_options() -> None:
    kind = BuilderField("kind", "select", "类别", options=(Option("甲"), Option("乙")))
    note = BuilderField("note", "text", "说明", show_when=ShowWhen("kind", "丙"))
    early = BuilderField("early", "text", "提前", show_when=ShowWhen("kind", "甲"))
    found = problems(BuilderForm("f", "表", fields=(early, kind, note)))
    assert any("「提前」的显示条件只能选它前面" in p for p in found), found
    assert any("「说明」的显示条件值“丙”不是该选择题的选项" in p and "甲、乙" in p for p in found)


def test_builder_budgets_on_fields_options_and_nesting() -> None:
    many = tuple(BuilderField(f"f{i}", "text", f"字段{i}") for i in range(MAX_FIELDS + 1))
    assert problems(BuilderForm("f", "表", fields=many)) == [
        f"字段太多:一张表单最多 {MAX_FIELDS} 个字段(含分节和重复组里的),请删去一些或拆成两张表单"
    ]
    options = tuple(Option(str(i)) for i in range(MAX_OPTIONS + 1))
    wide = BuilderField("kind", "select", "类别", options=options)
    assert any("选项太多" in p for p in problems(BuilderForm("f", "表", fields=(wide,))))
    innermost = BuilderField("c", "group", "丙", children=(BuilderField("d", "text", "丁"),))
    deep = BuilderField(
        "a", "section", "甲", children=(BuilderField("b", "section", "乙", children=(innermost,)),)
    )
    assert any("「丙」嵌套太深" in p for p in problems(BuilderForm("f", "表", fields=(deep,))))


def test_table_rows_nest_under_a_parent_above_them_and_new_rows_get_names() -> None:
    form = BuilderForm("f", "表")
    rows = [
        {"order": 2, "parent": "people", "name": "", "kind": "text", "label_zh": "姓名"},
        {"order": 1, "parent": "", "name": "people", "kind": "group", "label_zh": "参加人"},
        {"order": 3, "parent": "nobody", "name": "", "kind": "bool", "label_zh": "是否公开"},
        {"order": 4, "parent": "", "name": "", "kind": "text", "label_zh": ""},  # blank: skipped
    ]
    built = apply_rows(form, rows)
    assert [f.name for f in built.fields] == ["people", "field_2"]
    assert [c.label_zh for c in built.fields[0].children] == ["姓名"]
    assert built.fields[0].children[0].name == "field_1"


def test_a_row_whose_parent_is_unknown_or_below_it_is_named_with_the_fix() -> None:
    rows = [
        {"order": 1, "parent": "effect", "name": "", "kind": "int", "label_zh": "受益人数"},
        {"order": 2, "parent": "", "name": "effect", "kind": "section", "label_zh": "服务成效"},
        {"order": 3, "parent": "nobody", "name": "", "kind": "bool", "label_zh": "是否公开"},
        {"order": 4, "parent": "effect", "name": "", "kind": "text", "label_zh": "反映"},
    ]
    found = row_problems(rows)
    assert found == [
        t("builder.problem.parent_below", row=1, field="受益人数", parent="effect"),
        t("builder.problem.parent_unknown", row=3, field="是否公开", parent="nobody"),
    ]
    assert "第 1 行" in found[0] and "序号" in found[0]
    # named_rows keeps the rows as typed (the bad parent too) and writes in the new names
    named = named_rows(rows)
    assert [r["name"] for r in named] == ["field_1", "effect", "field_2", "field_3"]
    assert named[2]["parent"] == "nobody" and row_problems(named)[1].startswith("第 3 行")
    assert apply_rows(BuilderForm("f", "表"), named) == apply_rows(BuilderForm("f", "表"), rows)


def test_a_condition_offers_only_fields_above_it_and_a_choices_values() -> None:
    kind = BuilderField("kind", "select", "类别", options=(Option("社区"), Option("其他")))
    public = BuilderField("public", "bool", "公开")
    photo = BuilderField("photo", "file", "照片")
    inner = BuilderField("note", "text", "说明")
    group = BuilderField("people", "group", "参加人", children=(inner,))
    last = BuilderField("last", "text", "备注")
    form = BuilderForm("f", "表", fields=(kind, public, photo, group, last))
    targets = condition_targets(form)
    assert targets["kind"] == []
    assert [f.name for f in targets["photo"]] == ["kind", "public"]
    assert [f.name for f in targets["note"]] == ["kind", "public"]  # outer fields above
    assert [f.name for f in targets["last"]] == ["kind", "public"]  # not inside the group
    assert condition_values(kind) == ("社区", "其他") and condition_values(public) == ("是", "否")
    assert condition_values(last) == ()  # typed
    shown = with_condition(form, "note", ShowWhen("public", "是"))
    assert shown.fields[3].children[0].show_when == ShowWhen("public", "是")
    assert with_condition(shown, "note", None) == form


def test_a_copy_of_a_built_in_form_says_what_it_does_not_carry() -> None:
    registry = default_registry()
    innovation = not_carried(registry.get("innovation_activity"))
    assert innovation == [
        t("builder.copy_loss.checks", where="创新能力建设活动", n=1),  # dates, partners
        t("builder.copy_loss.choices", field="合作支部"),  # the branch list
    ]
    assert not_carried(registry.get("plan")) == [
        t("builder.copy_loss.checks", where="阶段安排", n=1)  # a schedule row's months
    ]
    assert not_carried(registry.get("theme_activity")) == []

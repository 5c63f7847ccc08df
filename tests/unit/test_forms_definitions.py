"""Issue 4 (6, 7): forms an admin defines in YAML are checked, compiled, versioned, registered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from forms.base import FormModel
from forms.registry import FormRegistry, UnknownFormVersion, default_registry
from forms.validation import validate
from forms.yaml_definitions import (
    FOLDER,
    FormDefinitionError,
    load_file,
    load_text,
    shipped_rulesets,
)

MINIMAL = """\
form_type: club_meeting
form_version: {version}
title: {{zh: 支部会议, en: Meeting}}
stage: launch
fields:
  - name: topic
    type: text
    label: {{zh: 议题, en: Topic}}
    required: true
  - name: size
    type: int
    label: {{zh: 人数, en: Size}}
    ge: 1
"""


def test_yaml_definition_compiles_to_a_form_model_that_validates_like_a_built_in_one() -> None:
    model = load_text(MINIMAL.format(version=1))
    assert issubclass(model, FormModel)
    assert (model.form_type, model.form_version, model.title_zh) == ("club_meeting", 1, "支部会议")
    assert validate(model, {"topic": "学习", "size": 3})[1] == {}
    assert validate(model, {"topic": "", "size": 0})[1] == {
        "topic": "「议题」必须填写,请填写",
        "size": "「人数」不能小于 1,请修改",
    }


def test_definition_errors_are_reported_as_file_line_message_with_a_suggestion() -> None:
    text = (
        MINIMAL.format(version=1)
        .replace("type: int", "type: integer")
        .replace("    ge: 1\n", "    ge: 1\n    relevant: topik != ''\n")
    )
    with pytest.raises(FormDefinitionError) as caught:
        load_text(text, "club.yaml")
    assert caught.value.messages == [
        "club.yaml:11: 字段 'size' 的类型 'integer' 无效,是不是想写 'int'?",
    ]
    text = MINIMAL.format(version=1) + "    relevant: topik != ''\n    lable: x\n"
    with pytest.raises(FormDefinitionError) as caught:
        load_text(text, "club.yaml")
    assert caught.value.messages == [
        "club.yaml:15: 字段中不认识的键 'lable',是不是想写 'label'?",
        "club.yaml:14: 字段 'size' 的 relevant 表达式有误:未知的字段 'topik',是不是想写 'topic'?",
    ]


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(FormDefinitionError) as caught:
        load_text("form_type: x\nfields: [\n", "x.yaml")
    assert caught.value.messages[0].startswith("x.yaml:3: YAML 格式错误")


def test_old_versions_stay_loadable_after_a_new_version_is_registered() -> None:
    registry = FormRegistry.with_shipped()
    first = registry.register(load_text(MINIMAL.format(version=1)))
    second = registry.register(load_text(MINIMAL.format(version=2)))
    assert registry.get("club_meeting") is second
    assert registry.get("club_meeting", version=1) is first
    assert registry.versions("club_meeting") == [1, 2]
    with pytest.raises(UnknownFormVersion):
        registry.get("club_meeting", version=7)


def test_volunteer_service_is_defined_only_in_yaml_and_registered_by_default() -> None:
    model = default_registry().get("volunteer_service")
    assert (FOLDER / "volunteer_service.yaml").exists()
    assert model.__module__ == "forms.yaml_definitions"
    assert model.model_fields["kind_other"].json_schema_extra["relevant"]  # type: ignore[index]
    assert model.model_fields["total_hours"].json_schema_extra["calculate"]  # type: ignore[index]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "forms", *args], capture_output=True, text=True, check=False
    )


def test_cli_validate_exits_1_with_file_line_messages(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.format(version=1).replace("stage: launch", "stage: later"))
    result = run_cli("validate", str(bad))
    assert result.returncode == 1
    assert f"{bad}:4: stage 应为 launch / implement / evaluate 之一" in result.stderr
    good = run_cli("validate", str(FOLDER / "volunteer_service.yaml"))
    assert good.returncode == 0, good.stderr


def test_cli_lists_every_form_type_and_prints_its_schema() -> None:
    listed = run_cli("list")
    assert listed.returncode == 0
    assert {line.split("\t")[0] for line in listed.stdout.splitlines()} == set(
        default_registry().all_forms()
    )
    schema = run_cli("schema", "plan")
    assert schema.returncode == 0 and '"title": "方案标题"' in schema.stdout
    assert run_cli("schema", "nope").returncode == 1


def test_a_definition_file_naming_a_rule_set_that_does_not_exist_says_where_and_suggests(
    tmp_path: Path,
) -> None:
    shipped = (FOLDER / "volunteer_service.yaml").read_text(encoding="utf-8")
    assert "ruleset: volunteer_service\n" in shipped
    typo = tmp_path / "typo.yaml"
    typo.write_text(shipped.replace("ruleset: volunteer_service", "ruleset: volunteer_servise"))
    line = shipped.splitlines().index("ruleset: volunteer_service") + 1
    with pytest.raises(FormDefinitionError) as caught:
        load_file(typo)
    assert caught.value.messages == [
        f"{typo}:{line}: 规则集 'volunteer_servise' 不存在,是不是想写 'volunteer_service'?"
    ]
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(shipped.replace("ruleset: volunteer_service", "ruleset: zzz"))
    with pytest.raises(FormDefinitionError) as caught:
        load_file(unknown)
    assert caught.value.messages == [
        f"{unknown}:{line}: 规则集 'zzz' 不存在;现有的规则集:{', '.join(shipped_rulesets())}"
    ]
    result = run_cli("validate", str(typo))
    assert result.returncode == 1
    assert f"{typo}:{line}: 规则集 'volunteer_servise' 不存在" in result.stderr


def test_rule_set_names_are_checked_only_against_the_names_the_caller_gives() -> None:
    text = MINIMAL.format(version=1).replace("stage: launch", "stage: launch\nruleset: club_rules")
    assert load_text(text).ruleset == "club_rules"  # the store may hold it: not checked here
    assert load_text(text, "club.yaml", ["club_rules"]).ruleset == "club_rules"
    with pytest.raises(FormDefinitionError) as caught:
        load_text(text, "club.yaml", ["plan_quality"])
    assert caught.value.messages == [
        "club.yaml:5: 规则集 'club_rules' 不存在;现有的规则集:plan_quality"
    ]


def test_every_shipped_definition_names_a_shipped_rule_set() -> None:
    names = shipped_rulesets()
    assert "plan_quality" in names and "volunteer_service" in names
    for path in sorted(FOLDER.glob("*.yaml")):
        assert load_file(path).form_type

"""Issue 4 (4): English readers see English option labels; the stored value stays Chinese."""

from __future__ import annotations

import json
from collections.abc import Iterator

from pydantic import BaseModel

from forms.__main__ import main as forms_cli
from forms.launch import Plan, ScheduleRow
from forms.registry import default_registry
from forms.specs import FieldSpec, describe
from forms.validation import validate


def choice_fields(model: type[BaseModel], where: str) -> Iterator[tuple[str, FieldSpec]]:
    for spec in describe(model):
        if spec.model is not None:
            yield from choice_fields(spec.model, f"{where}.{spec.name}")
        elif spec.options:
            yield f"{where}.{spec.name}", spec


def test_every_choice_of_every_registered_form_has_an_english_label() -> None:
    missing = [
        f"{path}={option!r}"
        for form_type, model in default_registry().all_forms().items()
        for path, spec in choice_fields(model, form_type)
        for option in spec.options
        if option != "" and spec.option_text(option, "en") == str(option)
    ]
    assert not missing, missing


def test_option_text_translates_for_english_and_keeps_chinese_values_for_chinese() -> None:
    spec = next(s for s in describe(Plan) if s.name == "central_work")
    assert spec.option_text("校庆", "en") == "University anniversary"
    assert spec.option_text("校庆", "zh") == "校庆"
    stage = next(s for s in describe(ScheduleRow) if s.name == "stage")
    assert stage.option_text("launch", "zh") == "启动阶段"  # a stored code reads as Chinese


def test_schema_command_shows_the_english_option_labels(capsys) -> None:  # type: ignore[no-untyped-def]
    assert forms_cli(["schema", "plan"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["central_work"]["options_en"]["校庆"] == "University anniversary"


def test_english_choice_error_lists_english_labels() -> None:
    _, errors = validate(Plan, {"branch": "b", "title": "方案", "central_work": ["校友"]}, "en")
    message = errors["central_work.0"]
    assert "University anniversary" in message and "校庆" not in message

"""Issue 4: every form type goes through the widgets and back unchanged (no lost work)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from forms.base import FormModel
from forms.binding import bound_fields
from forms.registry import default_registry
from forms.specs import describe
from forms.validation import validate
from tests.app.form_filler import fill_form
from tests.form_strategies import garbage_data, valid_data

APP = str(Path(__file__).parent / "apps" / "form_app.py")
FORM_TYPES = sorted(default_registry().all_forms())
SETTINGS = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    # Shrinking re-runs the app hundreds of times; the failing example is printed anyway.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def run_form(
    form_type: str,
    data: dict[str, Any],
    lang: str = "zh",
    choices: dict[str, list[str]] | None = None,
) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["form_type"] = form_type
    at.session_state["data"] = data
    at.session_state["lang"] = lang
    at.session_state["choices"] = choices or {}
    at.run()
    assert not at.exception, at.exception
    return at


def stored(form_type: str, values: dict[str, Any]) -> dict[str, Any]:
    model = default_registry().get(form_type)
    instance, errors = validate(model, values)
    assert errors == {}
    assert instance is not None
    return instance.model_dump(mode="json", exclude=set(model.model_computed_fields))


def offered(model: type[FormModel], data: dict[str, Any]) -> dict[str, list[str]]:
    """The server-kept lists (``choices=``) holding every value ``data`` picks from them."""
    lists: dict[str, list[str]] = {}
    for spec in describe(model):
        picked = data.get(spec.name)
        if spec.choices is not None and isinstance(picked, list):
            lists.setdefault(str(spec.choices), []).extend(str(v) for v in picked)
    return lists


@pytest.mark.parametrize("form_type", FORM_TYPES)
def test_saved_draft_comes_back_from_the_widgets_unchanged(form_type: str) -> None:
    model = default_registry().get(form_type)

    @SETTINGS
    @given(valid_data(model))
    def check(data: dict[str, Any]) -> None:
        at = run_form(form_type, data)
        assert stored(form_type, at.session_state["values"]) == data
        at.run()  # a rerun keeps everything
        assert stored(form_type, at.session_state["values"]) == data

    check()


@pytest.mark.parametrize("form_type", FORM_TYPES)
def test_typing_a_valid_form_into_the_widgets_yields_that_form(form_type: str) -> None:
    model = default_registry().get(form_type)

    @settings(SETTINGS, max_examples=2)
    @given(valid_data(model))
    def check(data: dict[str, Any]) -> None:
        # The page renders a new form with the server-bound fields (the branch) filled in, and
        # the files already attached (uploading is tests/app/test_forms_widgets.py's part: a
        # form may require them, as a personal nomination requires its evidence).
        attached = {s.name for s in describe(model) if s.kind == "file"}
        at = run_form(
            form_type,
            {k: data[k] for k in (*bound_fields(model), *attached) if k in data},
            choices=offered(model, data),  # the server's lists hold what the form picks
        )
        fill_form(at, model, data, key=f"test:{form_type}")
        assert not at.exception, at.exception
        typed = stored(form_type, at.session_state["values"])
        # Read-only parts are never typed: those keep their defaults (bound ones the value the
        # page passed), as do fields reserved to a role the page did not pass (shown read-only).
        untyped = {
            s.name: s.default
            for s in describe(model)
            if (s.kind == "readonly" or s.role is not None)
            and not s.calculate
            and s.name not in bound_fields(model)
            and s.name not in attached
        }
        assert typed == {**data, **untyped}

    check()


@pytest.mark.parametrize("form_type", FORM_TYPES)
def test_garbage_draft_renders_without_a_traceback(form_type: str) -> None:
    model = default_registry().get(form_type)

    @SETTINGS
    @given(garbage_data(model), st.sampled_from(["zh", "en"]))
    def check(data: dict[str, Any], lang: str) -> None:
        at = run_form(form_type, data, lang)
        assert isinstance(at.session_state["values"], dict)

    check()

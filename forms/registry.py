"""The registry of form types: built-in models and those compiled from YAML definitions."""

from __future__ import annotations

from forms.base import FormModel
from forms.evaluate import Nomination, Summary
from forms.implement import DemoSiteApplication, InnovationActivity, NewsReport, ThemeActivity
from forms.launch import Plan, StudySession

_FORMS: dict[str, type[FormModel]] = {}


class UnknownFormType(KeyError):
    """Raised for a form type that is not registered; the message lists the known ones."""

    def __str__(self) -> str:
        return f"未知的表单类型 {self.args[0]!r},可用的有:{', '.join(sorted(_FORMS))}"


def register(model: type[FormModel]) -> type[FormModel]:
    """Register (or replace) a form type under its ``form_type``."""
    _FORMS[model.form_type] = model
    return model


def get(form_type: str) -> type[FormModel]:
    """The model of a registered form type; raises ``UnknownFormType``."""
    try:
        return _FORMS[form_type]
    except KeyError:
        raise UnknownFormType(form_type) from None


def all_forms() -> dict[str, type[FormModel]]:
    """Every registered form type, by name."""
    return dict(_FORMS)


for _model in (
    StudySession,
    Plan,
    DemoSiteApplication,
    ThemeActivity,
    InnovationActivity,
    NewsReport,
    Summary,
    Nomination,
):
    register(_model)

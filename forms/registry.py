"""The registry of form types: built-in models and those compiled from YAML definitions."""

from __future__ import annotations

from forms.base import FormModel
from forms.definitions import load_folder
from forms.evaluate import Nomination, Summary
from forms.implement import DemoSiteApplication, InnovationActivity, NewsReport, ThemeActivity
from forms.launch import Plan, StudySession

_FORMS: dict[str, type[FormModel]] = {}
# Every version of every form type, so that old submissions keep the model they were filled in.
_VERSIONS: dict[str, dict[int, type[FormModel]]] = {}


class UnknownFormType(KeyError):
    """Raised for a form type that is not registered; the message lists the known ones."""

    def __str__(self) -> str:
        return f"未知的表单类型 {self.args[0]!r},可用的有:{', '.join(sorted(_FORMS))}"


class UnknownFormVersion(UnknownFormType):
    """Raised for a version of a registered form type that does not exist."""

    def __str__(self) -> str:
        form_type, version = self.args
        known = "、".join(str(v) for v in versions(form_type))
        return f"表单类型 {form_type!r} 没有第 {version} 版,现有版本:{known}"


def register(model: type[FormModel]) -> type[FormModel]:
    """Register a form type under its ``form_type`` and ``form_version``.

    The highest registered version is the current one (what ``get(form_type)`` returns);
    registering a version again replaces it.
    """
    by_version = _VERSIONS.setdefault(model.form_type, {})
    by_version[model.form_version] = model
    _FORMS[model.form_type] = by_version[max(by_version)]
    return model


def get(form_type: str, version: int | None = None) -> type[FormModel]:
    """The model of a registered form type (its current version unless ``version`` is given);
    raises ``UnknownFormType`` / ``UnknownFormVersion``."""
    if form_type not in _FORMS:
        raise UnknownFormType(form_type)
    if version is None:
        return _FORMS[form_type]
    try:
        return _VERSIONS[form_type][version]
    except KeyError:
        raise UnknownFormVersion(form_type, version) from None


def versions(form_type: str) -> list[int]:
    """The registered versions of a form type, oldest first (empty when unknown)."""
    return sorted(_VERSIONS.get(form_type, {}))


def all_forms() -> dict[str, type[FormModel]]:
    """Every registered form type, by name (current versions)."""
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

# Forms defined only in YAML (forms/definitions/*.yaml) behave like the built-in ones.
load_folder(register)

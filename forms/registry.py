"""``FormRegistry``: the form types one app (or one command) knows, built explicitly.

There is no process-wide registry. ``workflow.services.build_services`` builds one per store
(built-ins, the shipped YAML folder, the forms admins saved in that store) and hands it to whoever
needs it; commands without a store use ``default_registry()`` (built-ins and shipped YAML).
Built-ins and YAML forms go through the same ``register``, like plugins do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from forms.base import FormModel
from forms.evaluate import Nomination, Summary
from forms.form_type import FormType, PdfBuilder, UnknownFormType, UnknownFormVersion
from forms.implement import (
    DemoSiteApplication,
    InnovationActivity,
    MemberPost,
    NewsReport,
    ThemeActivity,
)
from forms.launch import Plan, StudySession
from forms.previous import NominationV1, PlanV1, SummaryV1
from forms.yaml_definitions import FOLDER, load_folder

__all__ = [
    "BUILTIN_MODELS",
    "FormRegistry",
    "UnknownFormType",
    "UnknownFormVersion",
    "default_registry",
]

BUILTIN_MODELS: tuple[type[FormModel], ...] = (
    StudySession,
    PlanV1,
    Plan,
    DemoSiteApplication,
    ThemeActivity,
    InnovationActivity,
    MemberPost,
    NewsReport,
    SummaryV1,
    Summary,
    NominationV1,
    Nomination,
)


class FormRegistry:
    """Form types by name, each with every registered version (old submissions keep the
    model they were filled in)."""

    def __init__(self, models: Iterable[type[FormModel]] = ()) -> None:
        self._types: dict[str, FormType] = {}
        self._frozen = False
        self._refresh: Callable[[], object] | None = None
        self._refreshing = False
        for model in models:
            self.register(model)

    @classmethod
    def with_shipped(cls, folder: Path = FOLDER) -> FormRegistry:
        """A new registry of the built-in models and the YAML definitions in ``folder``."""
        return cls([*BUILTIN_MODELS, *load_folder(folder)])

    def register(self, model: type[FormModel]) -> type[FormModel]:
        """Register ``model`` under its ``form_type`` and ``form_version``.

        The highest registered version is the current one; registering a version again
        replaces it. Raises ``RuntimeError`` on a frozen registry (``default_registry()``).
        """
        self._require_open()
        known = self._types.get(model.form_type)
        self._types[model.form_type] = (
            known.with_version(model) if known is not None else FormType.of(model)
        )
        return model

    def attach(self, model: type[FormModel], *, pdf_builder: PdfBuilder) -> None:
        """Give the form type of ``model`` a hook a higher layer implements (its PDF layout)."""
        self._require_open()
        known = self.form_type(model.form_type)
        self._types[known.name] = FormType(known.name, known.models, pdf_builder=pdf_builder)

    def follow(self, refresh: Callable[[], object]) -> None:
        """Call ``refresh`` before listing form types and when a name is missing, so that the
        registry picks up forms saved elsewhere (another app process sharing the store)."""
        self._refresh = refresh

    def _pick_up(self) -> None:
        if self._refresh is None or self._refreshing:
            return
        self._refreshing = True  # refresh registers through this registry: no recursion
        try:
            self._refresh()
        finally:
            self._refreshing = False

    def form_type(self, name: str) -> FormType:
        """The form type ``name``; raises ``UnknownFormType`` (listing the known ones)."""
        if name not in self._types:
            self._pick_up()
        try:
            return self._types[name]
        except KeyError:
            raise UnknownFormType(name, self._types) from None

    def get(self, name: str, version: int | None = None) -> type[FormModel]:
        """The model of form type ``name`` (its current version unless ``version`` is given);
        raises ``UnknownFormType`` / ``UnknownFormVersion``."""
        known = self.form_type(name)
        if version is not None and version not in known.models:
            self._pick_up()
            known = self.form_type(name)
        return known.at(version)

    def versions(self, name: str) -> list[int]:
        """The registered versions of a form type, oldest first (empty when unknown)."""
        self._pick_up()
        known = self._types.get(name)
        return known.versions if known is not None else []

    def form_types(self, where: Callable[[FormType], bool] = lambda _: True) -> list[FormType]:
        """The registered form types (those ``where`` accepts), by name."""
        self._pick_up()
        return [self._types[name] for name in sorted(self._types) if where(self._types[name])]

    def all_forms(self) -> dict[str, type[FormModel]]:
        """Every registered form type's current model, by name."""
        self._pick_up()
        return {name: self._types[name].model for name in sorted(self._types)}

    def __contains__(self, name: object) -> bool:
        if name not in self._types:
            self._pick_up()
        return name in self._types

    def copy(self) -> FormRegistry:
        """An open registry with the same form types, to add to without touching this one."""
        other = FormRegistry()
        other._types = dict(self._types)
        return other

    def freeze(self) -> FormRegistry:
        """Refuse further registrations (a shared registry stays what it was built as)."""
        self._frozen = True
        return self

    def _require_open(self) -> None:
        if self._frozen:
            raise RuntimeError("this form registry is shared and frozen: register into a copy()")


@cache
def default_registry() -> FormRegistry:
    """The built-in and shipped YAML form types, frozen: for commands and code without a store.
    An app's registry (with the forms admins saved) is ``Services.forms``."""
    return FormRegistry.with_shipped().freeze()

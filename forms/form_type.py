"""A form type: every version of one form and the facts that decide how the system treats it.

Code that behaves differently per form type asks the ``FormType`` (``one_per_campaign``,
``remind_if_missing``, ``published_news``, ``pdf_builder``, ``stage``, ``ruleset``, ``title``,
``approval_quota``, ``founds_demo_site``, ``outreach``, ``showcase_fields``, ``partners_field``,
``nominates``, ``activity_list``) instead of comparing form-type names. A Python model
declares its facts as class variables (``forms.base.FormModel``),
a YAML definition as keys (``forms.definition_checks``); hooks that live in higher layers, such
as a dedicated PDF layout, are attached by ``FormRegistry.attach``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Protocol

from pydantic import BaseModel

from core.errors import close_match
from forms.base import FormModel
from forms.errors import FormError
from i18n import Lang


class PdfBuilder(Protocol):
    """A dedicated PDF layout of a form type (without one, the generic form layout is used)."""

    def __call__(
        self,
        data: Mapping[str, Any],
        *,
        report: Mapping[str, Any] | BaseModel | None = None,
        reviews: Iterable[Mapping[str, Any] | BaseModel] = (),
        meta: Mapping[str, Any] | None = None,
        lang: Lang = "zh",
    ) -> bytes: ...


class UnknownFormType(FormError, KeyError):
    """Raised for a form type that is not registered; the message lists the known ones and
    suggests the closest name."""

    def __init__(self, form_type: str, known: Iterable[str] = ()) -> None:
        self.form_type = form_type
        self.known = sorted(known)
        super().__init__(
            key="forms.error.unknown_type",
            values={"form_type": form_type, "known": ", ".join(self.known)},
            suggestion=close_match(form_type, self.known),
        )

    def __str__(self) -> str:  # KeyError's own __str__ would quote the arguments
        return self.message()


class UnknownFormVersion(UnknownFormType):
    """Raised for a version of a registered form type that does not exist."""

    def __init__(self, form_type: str, version: int, known: Iterable[int] = ()) -> None:
        self.form_type, self.version = form_type, version
        self.known, self.known_versions = [], sorted(known)
        FormError.__init__(
            self,
            key="forms.error.unknown_version",
            values={
                "form_type": form_type,
                "version": version,
                "known": "、".join(str(v) for v in self.known_versions),
            },
        )


@dataclass(frozen=True)
class FormType:
    """One form type: its models by version (the highest is current) and its hooks.

    The facts of the form as a whole are those its current version declares.
    """

    name: str
    models: Mapping[int, type[FormModel]]
    pdf_builder: PdfBuilder | None = field(default=None, compare=False)

    @classmethod
    def of(cls, model: type[FormModel]) -> FormType:
        """A form type with one version, ``model``."""
        return cls(model.form_type, MappingProxyType({model.form_version: model}))

    def with_version(self, model: type[FormModel]) -> FormType:
        """This form type with ``model`` added (or replacing the same version)."""
        return replace(self, models=MappingProxyType({**self.models, model.form_version: model}))

    @property
    def model(self) -> type[FormModel]:
        """The current (highest) version's model."""
        return self.models[max(self.models)]

    @property
    def versions(self) -> list[int]:
        """The registered versions, oldest first."""
        return sorted(self.models)

    def at(self, version: int | None) -> type[FormModel]:
        """The model of ``version`` (None: the current one); raises ``UnknownFormVersion``."""
        if version is None:
            return self.model
        try:
            return self.models[version]
        except KeyError:
            raise UnknownFormVersion(self.name, version, self.models) from None

    @property
    def stage(self) -> str:
        """launch | implement | evaluate."""
        return self.model.stage

    @property
    def ruleset(self) -> str | None:
        """The rule set that checks this form, if any."""
        return self.model.ruleset

    def ruleset_at(self, version: int | None, linked: str | None = None) -> str | None:
        """The rule set that checks forms filled in ``version`` (None: the current one): the
        one that version names, else the one the current version names. A form that gains
        rules in a later version (the rule builder links them so) has them check what was
        filled in its earlier versions too, each typed against its own fields: drafts
        submitted after the link, and the reviewers' re-checks of forms submitted before.
        ``linked``: the rule set the current version is about to name (the rule builder's
        impact preview, before its publish links it). The submit check, the batch checks
        and the impact preview all ask here."""
        return self.at(version).ruleset or linked or self.model.ruleset

    @property
    def one_per_campaign(self) -> bool:
        """A branch writes one of these per campaign; further edits go to the same one."""
        return self.model.one_per_campaign

    @property
    def remind_if_missing(self) -> bool:
        """A branch without one is reminded on its home page."""
        return self.model.remind_if_missing

    @property
    def counted_in(self) -> str | None:
        """The count of a branch's summary statistics each submitted one adds to, if any."""
        return self.model.counted_in

    @property
    def approval_quota(self) -> str | None:
        """The campaign setting capping approvals of this form per campaign, if any."""
        return self.model.approval_quota

    @property
    def founds_demo_site(self) -> bool:
        """An approved one becomes a demo site (立项 → 实施 → 验收, funded from the budget)."""
        return self.model.founds_demo_site

    @property
    def outreach(self) -> str | None:
        """The section of a demo site's page a submitted one shows in (activities | news)."""
        return self.model.outreach

    @property
    def showcase_fields(self) -> tuple[str, ...]:
        """The fields of an approved one shown to every account on the demo site's page."""
        return self.model.showcase_fields

    @property
    def partners_field(self) -> str | None:
        """The field naming partners; a record whose partners are filled in is joint work."""
        return self.model.partners_field

    @property
    def nominates(self) -> bool:
        """Each one is a nomination for an award (ranked and selected within quotas)."""
        return self.model.nominates

    @property
    def weak_points(self) -> str | None:
        """The field in which a branch names its weak points (recalled next year), if any."""
        return self.model.weak_points

    @property
    def recalls_weak_points(self) -> bool:
        """Its branch sees last campaign's weak points beside it."""
        return self.model.recalls_weak_points

    @property
    def published_news(self) -> bool:
        """Approved ones are forwarded to the school committee and published in the column."""
        return self.model.published_news

    @property
    def activity_list(self) -> str | None:
        """The activity list of a branch's pages a record shows in (theme | innovation |
        posts)."""
        return self.model.activity_list

    def title(self, lang: str, version: int | None = None) -> str:
        """The title in ``lang`` (of ``version``, default the current one)."""
        model = self.at(version)
        return model.title_en if lang == "en" else model.title_zh

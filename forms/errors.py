"""Errors of the forms package, shaped so the renderer can place them.

``FormError`` is the package's root, a ``core.errors.VanguardError``; errors Pydantic must see
as ``ValueError`` (raised from validators) are also ``ValueError``s.
"""

from __future__ import annotations

from core.errors import VanguardError


class FormError(VanguardError):
    """Base class of the errors this package raises."""


class CrossFieldError(FormError, ValueError):
    """A model-level error that involves named fields (e.g. end date before start date).

    Raise it from a ``model_validator``: the renderer shows the message at the top of the form
    (or of the repeat-group row) and again at each field in ``fields``. ``message_en`` is shown
    when the user reads the form in English.
    """

    def __init__(self, message: str, *, fields: tuple[str, ...] = (), message_en: str = "") -> None:
        super().__init__(message, text_en=message_en, field=fields[0] if fields else None)
        self.message_en = message_en or message
        self.fields = fields

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return self.message(lang)

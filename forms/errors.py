"""Errors a form model raises from its validators, shaped so the renderer can place them."""

from __future__ import annotations


class CrossFieldError(ValueError):
    """A model-level error that involves named fields (e.g. end date before start date).

    Raise it from a ``model_validator``: the renderer shows the message at the top of the form
    (or of the repeat-group row) and again at each field in ``fields``. ``message_en`` is shown
    when the user reads the form in English.
    """

    def __init__(self, message: str, *, fields: tuple[str, ...] = (), message_en: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message
        self.fields = fields

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return self.message_en if lang == "en" else self.message

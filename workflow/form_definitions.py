"""Forms an admin defines in YAML, kept in the store and registered as new form versions.

Documents of kind ``form_definitions``: ``{form_type, form_version, text}``. Saving checks and
compiles the YAML (``forms.definitions.load_text``), refuses a version that already exists (old
submissions keep theirs) and registers the model; ``register_stored`` loads every stored
definition into the registry at start-up.
"""

from __future__ import annotations

from forms import registry
from forms.base import FormModel
from forms.definitions import FormDefinitionError, load_text
from storage.base import Repository
from workflow.errors import DomainError, PermissionDenied, ValidationFailed
from workflow.models import User
from workflow.permissions import is_admin

KIND = "form_definitions"


class FormDefinitions:
    """Save, list and register admin-defined forms."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo

    def save(self, actor: User, text: str) -> type[FormModel]:
        """Check, store and register ``text`` as a new version of its form type.

        Raises ``PermissionDenied`` for non-admins, ``ValidationFailed`` (key ``definition``,
        ``file:line: message`` lines) for a bad definition and ``DomainError`` for a version
        that exists already.
        """
        if not is_admin(actor):
            raise PermissionDenied("只有管理员可以定义表单")
        try:
            model = load_text(text, "表单定义")
        except FormDefinitionError as error:
            raise ValidationFailed({"definition": "\n".join(error.messages)}) from error
        if model.form_version in registry.versions(model.form_type):
            newest = max(registry.versions(model.form_type))
            raise DomainError(
                f"表单 {model.form_type} 已有第 {model.form_version} 版,"
                f"请把 form_version 改为 {newest + 1} 后保存为新版本"
            )
        self.repo.insert(
            KIND,
            {"form_type": model.form_type, "form_version": model.form_version, "text": text},
            actor=actor.login,
        )
        return registry.register(model)

    def stored(self) -> list[dict[str, object]]:
        """Every stored definition, oldest first."""
        return self.repo.find(KIND)

    def register_stored(self) -> list[type[FormModel]]:
        """Compile and register every stored definition (call once at start-up)."""
        models = []
        for doc in self.stored():
            models.append(registry.register(load_text(str(doc["text"]), f"store:{doc['id']}")))
        return models

"""The form types an app knows: built-ins and shipped YAML forms (``forms``), their dedicated PDF
layouts (``reports``) and, in ``workflow.services.build_services``, the forms admins saved in
the store. Each layer adds its part to the same ``FormRegistry``, as plugins would."""

from __future__ import annotations

from forms.registry import FormRegistry, default_registry
from reports.layouts import with_layouts


def standard_forms() -> FormRegistry:
    """A new, open registry of the built-in and shipped form types with their PDF layouts
    (what a service built without ``build_services`` works with: no store-defined forms)."""
    return with_layouts(default_registry())

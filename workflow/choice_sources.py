"""The server-kept lists that form fields declared with ``choices=`` pick from.

``"branches"``: the names of the other branches (a joint activity's partners). The editor
offers these lists (``BranchService.choices``) and submitting refuses a value not on them
(``choice_errors``), so a partner named in a record is always a branch that exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from forms.specs import describe
from i18n import Lang, t
from storage.base import Repository

BRANCHES = "branches"


def choice_lists(repo: Repository, branch_id: str | None) -> dict[str, list[str]]:
    """Every list a field may pick from, as offered to ``branch_id``'s staff."""
    others = [
        str(b.get("name") or "") for b in repo.find("branches") if str(b.get("id")) != branch_id
    ]
    return {BRANCHES: sorted(n for n in others if n)}


def choice_errors(
    repo: Repository,
    model: type[BaseModel],
    data: Mapping[str, Any],
    branch_id: str,
    lang: Lang,
) -> dict[str, str]:
    """Field → message for each top-level field of ``model`` holding a value not on its list
    (a branch renamed or removed since it was picked, the own branch, a typed name)."""
    lists: dict[str, list[str]] | None = None
    errors: dict[str, str] = {}
    for spec in describe(model):
        if spec.choices is None or not isinstance(data.get(spec.name), list):
            continue
        lists = lists if lists is not None else choice_lists(repo, branch_id)
        allowed = set(lists.get(spec.choices, ()))
        wrong = [str(v) for v in data[spec.name] if str(v) not in allowed]
        if wrong:
            errors[spec.name] = t(
                "workflow.choice.unknown",
                lang,
                field=spec.label(lang),
                value="、".join(wrong[:5]),
            )
    return errors

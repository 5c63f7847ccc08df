"""Joint work (S8): records of other branches that name a branch as a partner.

A form type's ``partners_field`` lists the partner branches by name (picked from the branch
list); a branch renamed since is still found under its former names (``Branch.names``). Such
a record appears on every partner's pages and counts for each of them — once
submitted: a draft is its own branch's alone, and what counts is what was last submitted (a
returned record being revised keeps counting as it was submitted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from forms.registry import FormRegistry, UnknownFormType
from storage.base import Repository
from workflow.models import Branch, Status, Submission
from workflow.similarity_corpus import by_age

KIND = "submissions"
# Partner lists longer than this are cut (a record is user input).
MAX_PARTNERS = 100


def partner_records(
    repo: Repository,
    forms: FormRegistry,
    campaign_id: str,
    branch_id: str,
    branch_names: Collection[str],
) -> list[Submission]:
    """Other branches' submitted (never draft) records of ``campaign_id`` whose partners name
    one of ``branch_names`` (the branch's ``Branch.names``), oldest first."""
    if not branch_names:
        return []
    found: list[Submission] = []
    for form in forms.form_types(lambda ft: ft.partners_field is not None):
        docs = repo.find(KIND, {"campaign_id": campaign_id, "form_type": form.name})
        found.extend(Submission.model_validate(d) for d in docs)
    return named_in(partners_index(found, forms), branch_id, branch_names)


def partners_index(
    records: Iterable[Submission], forms: FormRegistry
) -> dict[str, list[Submission]]:
    """Of ``records``, the submitted ones by each branch name their partners list: read once,
    so every branch of a campaign finds its joint work without another pass."""
    index: dict[str, list[Submission]] = defaultdict(list)
    for record in records:
        if record.status == Status.DRAFT:
            continue
        try:
            field = forms.form_type(record.form_type).partners_field
        except UnknownFormType:  # a form type no longer defined names nobody
            continue
        if field:
            for name in submitted_partners(record, field):
                index[name].append(record)
    return index


def named_in(
    index: dict[str, list[Submission]], branch_id: str, branch_names: Collection[str]
) -> list[Submission]:
    """From ``partners_index``, the other branches' records naming one of ``branch_names``,
    each once, oldest first."""
    found = {r.id: r for n in branch_names for r in index.get(n, []) if r.branch_id != branch_id}
    return by_age(found.values())


def ids_by_name(branches: Iterable[Branch]) -> dict[str, str]:
    """Every name a branch is known by in records (``Branch.names``) → its id; a current
    name wins over another branch's former one."""
    branches = list(branches)
    former = {name: b.id for b in branches for name in b.former_names}
    return former | {b.name.strip(): b.id for b in branches}


def submitted_partners(record: Submission, field: str) -> set[str]:
    """The partner branches a record's last submitted version names (edits of a draft or of a
    returned record count once submitted)."""
    data = record.versions[-1].data if record.versions else {}
    value = data.get(field)
    if not isinstance(value, list):
        return set()
    return {str(v).strip() for v in value[:MAX_PARTNERS]} - {""}

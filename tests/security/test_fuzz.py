"""Fuzz: 10,000 payloads, valid, garbage and hostile, over every form type and the workflow
services that take what people type, on memory and TinyDB (and PostgreSQL where it runs: CI).

Each call must end one of two ways: the input is **stored** (and reads back as sent, but for
the fields the server fills: branch, statistics), or it is **refused with field errors**
(``ValidationFailed``, every message non-empty; on submit also ``RulesFailed``, whose failed rules
name their fields; ``PermissionDenied`` with its message for a field reserved to reviewers) and
the store is
exactly as before (same documents, same change log, same blobs). Anything else — a raw
exception, a refusal that wrote something — fails. Read-only calls (``validate``, the live
check) may answer or refuse, never raise anything else.

Budget: ``EXAMPLES`` per backend adds up to 10,000, about a minute of CPU in all (measured:
memory 6,000 in 32 s, TinyDB 3,000 in 18 s, PostgreSQL 1,000 in 8 s plus the server's share);
marked ``fuzz`` and ``slow`` (``-m "not fuzz"`` leaves it out). Two things kept it there: the
strategies are built once per model, and "changed nothing" compares the newest change and the
blobs after each call, while the whole store is compared with its change log once at the end.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.base import FormModel
from forms.binding import bound_fields
from forms.validation import validate
from storage.base import Repository
from storage.transfer import summarize, summarize_events, transferable
from tests.form_strategies import garbage_data, valid_data
from tests.sample_files import PNG
from tests.security.test_backup import fresh_store
from tests.unit.workflow_world import World, make_world
from workflow.errors import PermissionDenied, RulesFailed, ValidationFailed
from workflow.models import Status

EXAMPLES = {"memory": 6_000, "tinydb": 3_000, "postgres": 1_000}  # 10,000 payloads in all


def _nest(depth: int) -> Any:
    value: Any = "底"
    for i in range(depth):
        value = [value] if i % 2 else {"层": value}
    return value


HOSTILE_VALUES: list[Any] = [
    "目标\x00",
    "半个\ud800字",
    "\udfff",
    "第一段\u2028第二段\u2029\x85",
    "<script>alert(1)</script>",
    "![x](http://evil.example/x.png) :red[红] [link](javascript:alert(1))",
    "'; DROP TABLE documents; --",
    "{{7*7}} ${jndi:ldap://x} %s%n",
    "\u202egnp.exe",
    "𠮷😀" * 50,
    "长" * 20_000,
    _nest(40),
    _nest(2_000),
    10**400,
    -(2**80),
    1e308,
    float("inf"),
    float("nan"),
    -0.0,
    True,
    None,
    [],
    {},
    {"$gt": ""},
    ["\x00"],
    {"\x00": 1},
]
_ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30)


def hostile(model: type[FormModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Valid data with some fields (or new keys) replaced by hostile values."""
    names = [*model.model_fields, "不存在的字段", "__proto__"]
    replacement = st.dictionaries(
        st.sampled_from(names), st.one_of(st.sampled_from(HOSTILE_VALUES), _ANY_TEXT), max_size=3
    )
    return st.tuples(valid_data(model), replacement).map(lambda pair: {**pair[0], **pair[1]})


@functools.cache
def payloads(model: type[FormModel]) -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(valid_data(model), garbage_data(model), hostile(model), hostile(model))


TEXTS = st.one_of(st.sampled_from([v for v in HOSTILE_VALUES if isinstance(v, str)]), _ANY_TEXT)


def _state(repo: Repository) -> tuple[Any, ...]:
    """The newest change and the blobs: every write appends a change (``logged_completely``
    checks that at the end), so an unchanged newest change means nothing was written. Cheaper
    than digesting the whole store after each of 10,000 calls, which grew with the store."""
    newest = repo.audit(limit=1)
    last = [(e["kind"], e["id"], e["rev"], e["action"], e["at"]) for e in newest]
    return last, transferable(repo).blob_keys()


def logged_completely(repo: Repository) -> None:
    """What the store holds is exactly what replaying its change log builds."""
    held, replayed = summarize(repo), summarize_events(transferable(repo).export_events())
    assert (held.counts, held.events, held.state_sha256) == (
        replayed.counts,
        replayed.events,
        replayed.state_sha256,
    )


def _jsonish(value: Any) -> Any:
    """What a store gives back for ``value`` (tuples are lists; -0.0 is 0.0)."""
    if isinstance(value, dict):
        return {k: _jsonish(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonish(v) for v in value]
    return value


class Fuzzer:
    """One world on one backend; each ``run`` sends one payload to one service."""

    def __init__(self, world: World, backend: str) -> None:
        self.world, self.backend = world, backend
        self.forms = sorted(world.services.forms.all_forms().items())
        self.drafts: dict[str, Any] = {}

    def refused_or_stored(self, call: Callable[[], Any]) -> Any:
        """Run a writing call: it stores, or it raises ValidationFailed and changes nothing."""
        before = _state(self.world.repo)
        try:
            return call()
        except ValidationFailed as refusal:
            assert refusal.errors and all(refusal.errors.values()), refusal.errors
        except PermissionDenied as refusal:  # a field reserved to reviewers, say
            assert refusal.message("zh"), refusal
        except RulesFailed as refusal:  # submit: the rules name the fields to fix
            assert [r for r in refusal.report.results if not r.passed and r.message]
        assert _state(self.world.repo) == before, "a refusal changed the store"
        return None

    def save(self, form_type: str, data: dict[str, Any]) -> None:
        world, subs = self.world, self.world.services.submissions
        staff = world.staff[0]
        draft = self.drafts.get(form_type)
        if draft is not None and draft.status not in (Status.DRAFT, Status.RETURNED):
            draft = None
        saved = self.refused_or_stored(
            lambda: subs.save_draft(
                staff,
                campaign_id=world.campaign.id,
                form_type=form_type,
                data=data,
                submission_id=draft.id if draft else None,
                expected_rev=draft.rev if draft else None,
            )
        )
        if saved is None:
            return
        self.drafts[form_type] = saved
        server_owned = bound_fields(world.services.forms.get(form_type))  # branch, statistics
        sent = {k: v for k, v in _jsonish(data).items() if k not in server_owned}
        stored = subs.get(staff, saved.id).data
        kept = {k: v for k, v in stored.items() if k not in server_owned}
        assert kept == sent, "a stored draft does not read back as sent"

    def check(self, form_type: str, model: type[FormModel], data: dict[str, Any]) -> None:
        world = self.world
        instance, errors = validate(model, data)
        assert (instance is None) == bool(errors)
        draft = self.drafts.get(form_type)
        try:
            world.services.submissions.preview_report(
                world.staff[0], draft.id if draft else None, form_type, data, world.campaign.id
            )
        except ValidationFailed as refusal:
            assert refusal.errors

    def submit_and_return(self, form_type: str, reasons: str, field: str, why: str) -> None:
        world, subs = self.world, self.world.services.submissions
        draft = self.drafts.get(form_type)
        if draft is None or draft.status != Status.DRAFT:
            return
        submitted = self.refused_or_stored(lambda: subs.submit(world.staff[0], draft.id, draft.rev))
        if submitted is None:
            return
        self.drafts[form_type] = submitted
        returned = self.refused_or_stored(
            lambda: subs.return_(world.reviewer, submitted.id, submitted.rev, reasons, {field: why})
        )
        if returned is not None:
            self.drafts[form_type] = returned

    def admin_text(self, text: str) -> None:
        world = self.world
        rule_sets = world.services.rule_sets
        base_rev = rule_sets.draft_rev("plan_quality")
        self.refused_or_stored(
            lambda: rule_sets.save_draft(world.admin, "plan_quality", text, base_rev=base_rev)
        )
        world.services.form_definitions.preview(world.admin, text)
        branch = world.services.branches.get(world.branches[2].id)
        self.refused_or_stored(
            lambda: world.services.branches.update(
                world.admin, branch.model_copy(update={"secretary": text[:50]}), branch.rev
            )
        )

    def attach(self, form_type: str, model: type[FormModel], name: str, data: bytes) -> None:
        fields = [n for n, f in model.model_fields.items() if "attachments" in n or "images" in n]
        if not fields:
            return
        world = self.world
        self.refused_or_stored(
            lambda: world.services.attachments.attach(
                world.staff[0], model, {}, [_Upload(fields[0], name, "image/png", data)]
            )
        )


class _Upload:
    def __init__(self, path: str, name: str, content_type: str, data: bytes) -> None:
        self.path, self.name, self.content_type, self.data = path, name, content_type, data


@st.composite
def steps(draw: st.DrawFn, fuzzer: Fuzzer) -> Callable[[], None]:
    form_type, model = draw(st.sampled_from(fuzzer.forms))
    kind = draw(st.sampled_from(["save", "save", "check", "submit", "admin", "attach"]))
    if kind == "save":
        data = draw(payloads(model))
        return lambda: fuzzer.save(form_type, data)
    if kind == "check":
        data = draw(payloads(model))
        return lambda: fuzzer.check(form_type, model, data)
    if kind == "submit":
        reasons, field, why = (
            draw(TEXTS),
            draw(st.sampled_from(list(model.model_fields))),
            draw(TEXTS),
        )
        return lambda: fuzzer.submit_and_return(form_type, reasons, field, why)
    if kind == "admin":
        text = draw(TEXTS)
        return lambda: fuzzer.admin_text(text)
    name = draw(TEXTS)
    data = draw(st.sampled_from([PNG, b"<html>", PNG[:30], b""]))
    return lambda: fuzzer.attach(form_type, model, name, data)


@pytest.fixture
def fuzzer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Fuzzer]:
    backend = request.param
    if backend == "postgres":
        request.getfixturevalue("pg_url")
    with fresh_store(backend, tmp_path) as repo:
        yield Fuzzer(make_world(repo), backend)


def _fuzz_test(backend: str) -> Callable[..., None]:
    @settings(
        max_examples=EXAMPLES[backend],
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )
    @given(data=st.data())
    def run(fuzzer: Fuzzer, data: st.DataObject) -> None:
        data.draw(steps(fuzzer))()

    return run


@pytest.mark.parametrize(
    "fuzzer",
    ["memory", "tinydb", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
@pytest.mark.slow
@pytest.mark.fuzz
def test_fuzz(fuzzer: Fuzzer) -> None:
    _fuzz_test(fuzzer.backend)(fuzzer)
    logged_completely(fuzzer.world.repo)

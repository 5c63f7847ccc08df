"""Issue 9 (4): form types carry their own facts, and each store's services own their registry.

What a form type does differently (one per campaign, its PDF layout, a home-page reminder) is
asked of its ``FormType``, never decided by comparing its name; forms an admin saves in one store
never appear in another store's services.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, ClassVar

import pytest

from forms.base import FormModel
from forms.evaluate import SummaryStatistics
from forms.fields import field
from forms.launch import Plan
from forms.registry import FormRegistry, UnknownFormType, default_registry
from forms.yaml_definitions import load_text
from storage.memory import MemoryRepository
from tests.unit.workflow_world import FAST_HASHER, World, make_world
from workflow.errors import ValidationFailed
from workflow.models import Role, User
from workflow.services import build_services

ROOT = Path(__file__).parents[2]
ADMIN = User(login="admin", display_name="管理员", role=Role.ADMIN)

MEETING = """\
form_type: branch_meeting
form_version: 1
title: {{zh: 支部大会记录, en: Branch meeting}}
stage: launch
{extra}fields:
  - name: branch
    type: text
    label: {{zh: 支部, en: Branch}}
  - name: topic
    type: text
    label: {{zh: 议题, en: Topic}}
"""


def _draft(world: World, form_type: str, data: dict[str, Any]) -> Any:
    return world.services.submissions.save_draft(
        world.staff[0], campaign_id=world.campaign.id, form_type=form_type, data=data
    )


def test_a_yaml_form_declared_one_per_campaign_gets_one_submission_per_branch_without_code() -> (
    None
):
    world = make_world()
    world.services.form_definitions.save(
        world.admin, MEETING.format(extra="one_per_campaign: true\n")
    )
    assert world.services.forms.form_type("branch_meeting").one_per_campaign
    _draft(world, "branch_meeting", {"topic": "换届"})
    with pytest.raises(ValidationFailed) as caught:
        _draft(world, "branch_meeting", {"topic": "again"})
    assert "支部大会记录" in caught.value.errors["form_type"]


def test_a_yaml_form_not_declared_one_per_campaign_takes_several_submissions() -> None:
    world = make_world()
    world.services.form_definitions.save(world.admin, MEETING.format(extra=""))
    assert not world.services.forms.form_type("branch_meeting").one_per_campaign
    first = _draft(world, "branch_meeting", {"topic": "一"})
    second = _draft(world, "branch_meeting", {"topic": "二"})
    assert first.id != second.id


def test_one_per_campaign_is_asked_of_the_form_type_not_of_its_name() -> None:
    """A plan version that declares itself repeatable is repeatable: nothing keys on "plan"."""

    class RepeatablePlan(Plan):
        form_version: ClassVar[int] = 2
        one_per_campaign: ClassVar[bool] = False

    world = make_world()
    _draft(world, "plan", world.good_plan(0))
    with pytest.raises(ValidationFailed):
        _draft(world, "plan", world.good_plan(0))
    world.services.forms.register(RepeatablePlan)
    assert _draft(world, "plan", world.good_plan(0)).form_version == 2


def test_one_per_campaign_in_yaml_must_be_true_or_false() -> None:
    with pytest.raises(ValueError, match="one_per_campaign 应为 true 或 false"):
        load_text(MEETING.format(extra="one_per_campaign: 2\n"), "meeting.yaml")


def test_a_form_saved_in_one_store_is_not_seen_by_another_stores_services() -> None:
    first = build_services(MemoryRepository(), hasher=FAST_HASHER)
    second = build_services(MemoryRepository(), hasher=FAST_HASHER)
    first.form_definitions.save(ADMIN, MEETING.format(extra=""))
    assert "branch_meeting" in first.forms
    assert "branch_meeting" not in second.forms
    assert "branch_meeting" not in [d.form_type for d in second.form_definitions.catalogue(ADMIN)]
    assert "branch_meeting" not in default_registry()
    with pytest.raises(UnknownFormType):
        second.forms.form_type("branch_meeting")


def test_services_over_the_same_store_pick_up_a_form_the_other_saved() -> None:
    """Two app processes share one store: what one saves the other lists without a sync call."""
    repo = MemoryRepository()
    saving = build_services(repo, hasher=FAST_HASHER)
    other = build_services(repo, hasher=FAST_HASHER)
    saving.form_definitions.save(ADMIN, MEETING.format(extra=""))
    assert "branch_meeting" in [ft.name for ft in other.forms.form_types()]
    assert other.forms.get("branch_meeting").title_zh == "支部大会记录"


def test_the_shared_default_registry_refuses_registrations() -> None:
    with pytest.raises(RuntimeError, match="copy"):
        default_registry().register(load_text(MEETING.format(extra="")))
    copied = default_registry().copy()
    copied.register(load_text(MEETING.format(extra="")))
    assert "branch_meeting" in copied and "branch_meeting" not in default_registry()


def test_a_form_type_with_its_own_pdf_layout_is_printed_with_it() -> None:
    world = make_world()
    world.services.form_definitions.save(world.admin, MEETING.format(extra=""))
    printed: list[dict[str, Any]] = []

    def layout(data: Any, **options: Any) -> bytes:
        printed.append(dict(data))
        return b"%PDF-meeting"

    meeting = world.services.forms.get("branch_meeting")
    world.services.forms.attach(meeting, pdf_builder=layout)
    draft = _draft(world, "branch_meeting", {"topic": "换届"})
    assert world.services.documents.submission_pdf(world.staff[0], draft.id) == b"%PDF-meeting"
    assert printed[0]["topic"] == "换届"
    # the plan's own layout is a hook too, attached to the services' registry
    assert world.services.forms.form_type("plan").pdf_builder is not None
    assert default_registry().form_type("plan").pdf_builder is None


def test_home_page_reminders_are_the_form_types_that_ask_for_them() -> None:
    forms = FormRegistry.with_shipped()
    assert [ft.name for ft in forms.form_types(lambda ft: ft.remind_if_missing)] == ["plan"]
    assert {ft.name for ft in forms.form_types(lambda ft: ft.one_per_campaign)} == {
        "plan",
        "summary",
    }


def _literal_names(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        return [n for e in node.elts for n in _literal_names(e)]
    if isinstance(node, ast.Call) and node.args:  # frozenset({...}), set([...])
        return _literal_names(node.args[0])
    return []


def _names_a_set_of_form_types(value: ast.expr, names: set[str]) -> bool:
    return isinstance(value, ast.Call) and len(set(_literal_names(value)) & names) >= 2


@pytest.mark.parametrize("package", ["workflow", "pages", "reports", "rules", "app.py"])
def test_no_code_outside_forms_decides_by_comparing_a_form_type_with_its_name(
    package: str,
) -> None:
    """``form_type == "plan"`` or ``form_type in ONE_PER_CAMPAIGN``-style sets of names are how
    per-type behaviour used to hide; the facts live on the form types instead."""
    names = set(default_registry().all_forms())
    root = ROOT / package
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    found = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                literal = {n for side in sides for n in _literal_names(side)} & names
                if literal and "form_type" in ast.unparse(node):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
            if isinstance(node, ast.Assign) and _names_a_set_of_form_types(node.value, names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_an_unknown_form_type_is_a_vanguard_error_that_suggests_the_closest_name() -> None:
    from core.errors import VanguardError

    with pytest.raises(UnknownFormType) as caught:
        default_registry().form_type("plann")
    assert isinstance(caught.value, VanguardError)
    assert caught.value.suggestion == "plan"
    assert "plann" in caught.value.message("en") and "plan”" in caught.value.message("en")


def test_summary_statistics_count_what_the_form_types_declare_they_count_in() -> None:
    """A new form type that declares ``counted_in`` adds to the summary's figures, no code."""

    class ServiceDay(FormModel):
        form_type: ClassVar[str] = "service_day"
        title_zh: ClassVar[str] = "主题党日"
        title_en: ClassVar[str] = "Service day"
        stage: ClassVar[str] = "launch"
        counted_in: ClassVar[str | None] = "theme_activities"

        topic: str = field("主题", en="Topic", default="")

    forms = default_registry().all_forms().values()
    assert {m.counted_in for m in forms if m.counted_in} <= set(SummaryStatistics.model_fields)
    world = make_world()
    world.services.forms.register(ServiceDay)
    draft = _draft(world, "service_day", {"topic": "社区服务"})
    world.services.submissions.submit(world.staff[0], draft.id, draft.rev)
    figures = world.services.statistics.statistics(
        world.admin, world.campaign.id, world.branches[0].id
    )
    assert figures.theme_activities == 1

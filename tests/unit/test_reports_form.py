"""Any registered form type renders as a PDF from its own field metadata (reports.form)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.conversion import display_text
from forms.evaluate import SummaryStatistics
from forms.registry import default_registry
from forms.specs import FieldSpec, describe
from reports.form import build_form_pdf, field_kind


def _text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sample_value(spec: FieldSpec) -> Any:
    """A valid-looking value for any field, marked with the field name to find it in the PDF."""
    name = spec.name
    if spec.options and not spec.many:
        return spec.options[-1]
    if spec.many:
        if spec.model is not None:
            return [{s.name: _sample_value(s) for s in describe(spec.model) if s.required}]
        if spec.options:  # list of Literal
            return [spec.options[0]]
        return [f"{name}条目"]
    if spec.value_type is bool:
        return True
    if spec.value_type is int:
        return 7
    if spec.value_type is float:
        return 3.5
    if spec.value_type is dt.date:
        return "2025-04-01"
    if spec.model is not None:
        return {}
    return f"{name}值" + "字" * max(0, (spec.min_length or 0) - len(name) - 1)


def _sample(form_type: str) -> dict[str, Any]:
    model = default_registry().get(form_type)
    return {s.name: _sample_value(s) for s in describe(model) if s.stores_value}


@pytest.mark.parametrize("form_type", sorted(default_registry().all_forms()))
def test_every_registered_form_type_renders_with_title_labels_and_values(form_type: str) -> None:
    model = default_registry().get(form_type)
    data = _sample(form_type)
    text = _text(build_form_pdf(form_type, data, meta={"status": "submitted", "version": 1}))
    flat = _flat(text)
    assert model.title_zh in text
    assert "待审核" in text
    for spec in describe(model):
        if not spec.stores_value:
            continue
        kind, _ = field_kind(spec)
        if kind in ("scalar", "text", "tags", "model_list", "files"):
            assert _flat(spec.label_zh) in flat, f"label of {spec.name} missing"
        value = data[spec.name]
        if isinstance(value, str) and value:
            assert _flat(value) in flat, f"value of {spec.name} missing"


@pytest.mark.parametrize("form_type", sorted(default_registry().all_forms()))
def test_every_registered_form_type_renders_in_english(form_type: str) -> None:
    text = _text(build_form_pdf(form_type, _sample(form_type), lang="en"))
    assert default_registry().get(form_type).title_en in text
    assert "Page 1" in text


def test_nested_model_is_a_titled_section_and_computed_fields_are_shown() -> None:
    summary = {
        "branch": "机关第一党支部",
        "shortcomings": "宣传报道数量偏少",
        "statistics": {"study_sessions": 12, "average_attendance": 0.95},
    }
    text = _text(build_form_pdf("summary", summary))
    assert "数据统计" in text and "学习次数" in text and "12" in text and "95%" in text
    session = {
        "branch": "b",
        "date": "2025-03-01",
        "topic": "专题学习",
        "members": 20,
        "attendees": 15,
        "hours": 2,
    }
    text = _text(build_form_pdf("study_session", session))
    assert "出席率" in text and "75%" in text and "0.75" not in text  # ratios read as percentages


def test_attachments_print_as_a_file_list_and_empty_values_as_dash() -> None:
    data = {
        "branch": "b",
        "theme": "服务校庆",
        "date": "2025-05-01",
        "participants": 30,
        "photos": [
            {"name": "合影.jpg", "content_type": "image/jpeg", "size": 2097152, "blob": "k1"}
        ],
    }
    text = _text(build_form_pdf("theme_activity", data))
    assert "合影.jpg" in text and "2 MB" in text
    assert "—" in text  # empty description and forms


def test_literal_values_print_as_is_and_irrelevant_conditional_fields_are_left_out() -> None:
    data = {
        "branch": "b",
        "title": "窗口创优",
        "area": "服务质量",
        "posts": ["党员先进岗"],
        "start": "2025-04-01",
        "end": "2025-05-01",
    }
    text = _text(build_form_pdf("innovation_activity", data))
    assert "服务质量" in text and "党员先进岗" in text and "本支部独立开展" in text
    assert "合作单位" not in text  # relevant only for joint activities


def test_unknown_form_type_is_refused_with_the_known_types() -> None:
    from forms.registry import UnknownFormType

    with pytest.raises(UnknownFormType, match="plan"):
        build_form_pdf("no_such_form", {})


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form_type=st.sampled_from(sorted(default_registry().all_forms())), data=st.data())
def test_any_stored_data_shape_still_prints_a_pdf_never_a_traceback(
    form_type: str, data: st.DataObject
) -> None:
    names = list(default_registry().get(form_type).model_fields)
    stored = data.draw(st.dictionaries(st.sampled_from(names), _JSON, max_size=len(names)))
    assert build_form_pdf(form_type, stored).startswith(b"%PDF")


def test_very_long_text_and_table_cells_flow_over_pages() -> None:
    plan = {
        "branch": "b",
        "title": "长文本",
        "goals": "目标" * 4000,
        "items": [{"content": "内容", "measures": "措施很长" * 700, "owner": "o"}],
    }
    reader = pypdf.PdfReader(io.BytesIO(build_form_pdf("plan", plan)))
    assert len(reader.pages) >= 4


def test_ratio_fields_read_as_percentages_on_screen_too() -> None:
    spec = next(s for s in describe(SummaryStatistics) if s.name == "average_attendance")
    assert display_text(spec, 0.9167, "zh") == "91.7%"
    count = next(s for s in describe(SummaryStatistics) if s.name == "study_sessions")
    assert display_text(count, 12, "zh") == "12"

"""Form rerun speed: the largest form (44 fields, two repeat groups of 20 rows) in AppTest,
beside a page with one ``st.text_input`` (the baseline), run in the same process.

Each rerun types one character into a field, as a user does; the figure is the median time of
a rerun in milliseconds and its ratio to the baseline. Goal: <= 150 ms per rerun of the form.
A third figure draws the same form with a rule report's notes at 12 fields (issue 5.2).
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, create_model
from streamlit.testing.v1 import AppTest

from bench import summary
from forms.base import FormModel
from forms.fields import field
from pages import session_state_lookup

GOAL_MS = 150.0
ROWS = 20


class BenchRow(BaseModel):
    """A repeat-group row of four columns, like the plan's items."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    content: str = field("内容", en="Content", default="", max_length=200)
    owner: str = field("责任人", en="Owner", default="", max_length=50)
    hours: float | None = field("时长", en="Hours", default=None, ge=0, le=100)
    deadline: dt.date | None = field("时限", en="Deadline", default=None)


def _bench_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    kinds: list[tuple[Any, Callable[[int], Any]]] = [
        (str, lambda i: field(f"文本{i}", en=f"Text {i}", default="", max_length=200)),
        (str, lambda i: field(f"长文本{i}", en=f"Long {i}", widget="textarea", default="")),
        (int | None, lambda i: field(f"整数{i}", en=f"Int {i}", default=None, ge=0, le=1000)),
        (float | None, lambda i: field(f"数字{i}", en=f"Number {i}", default=None, ge=0)),
        (dt.date | None, lambda i: field(f"日期{i}", en=f"Date {i}", default=None)),
        (
            Literal["甲", "乙", "丙"] | None,
            lambda i: field(f"选择{i}", en=f"Choice {i}", widget="select", default=None),
        ),
        (bool, lambda i: field(f"是否{i}", en=f"Flag {i}", default=False)),
        (
            list[str],
            lambda i: field(f"标签{i}", en=f"Tags {i}", widget="tags", default_factory=list),
        ),
    ]
    for i in range(42):
        annotation, make = kinds[i % len(kinds)]
        fields[f"f{i:02d}"] = (annotation, make(i))
    for group in ("group_a", "group_b"):
        fields[group] = (list[BenchRow], field(group, en=group, default_factory=list))
    return fields


def _table_fields() -> dict[str, Any]:
    """The same form with both repeat groups as tables (``widget="table"``)."""
    fields = _bench_fields()
    for group in ("group_a", "group_b"):
        fields[group] = (
            list[BenchRow],
            field(group, en=group, widget="table", default_factory=list),
        )
    return fields


class _BenchBase(FormModel):
    form_type = "bench_large"
    title_zh = "基准测试大表单"
    title_en = "Benchmark form"
    stage = "launch"


BenchForm = create_model("BenchForm", __base__=_BenchBase, **_bench_fields())
BenchTableForm = create_model("BenchTableForm", __base__=_BenchBase, **_table_fields())


def bench_data() -> dict[str, Any]:
    """A filled instance of the benchmark form: every field set, 20 rows in each group."""
    row = {"content": "开展专题学习", "owner": "张三", "hours": 2.0, "deadline": "2025-06-30"}
    data: dict[str, Any] = {"group_a": [dict(row) for _ in range(ROWS)]}
    data["group_b"] = [dict(row) for _ in range(ROWS)]
    for spec_name, info in BenchForm.model_fields.items():
        if spec_name.startswith("f"):
            title = info.title or ""
            value: Any = "内容"
            if title.startswith("整数"):
                value = 12
            elif title.startswith("数字"):
                value = 3.5
            elif title.startswith("日期"):
                value = "2025-05-01"
            elif title.startswith("选择"):
                value = "乙"
            elif title.startswith("是否"):
                value = True
            elif title.startswith("标签"):
                value = ["学习", "实践"]
            data[spec_name] = value
    return data


def bench_notes() -> dict[str, Any]:
    """A rule report's notes on 12 fields: 8 fields, a group, two row fields, a column."""
    from forms.notes import FieldNote

    error = FieldNote("“文本”只有 2 字,至少需要 20 字:请写具体。", "error", "r1")
    warning = FieldNote("建议再补充一些内容。", "warning", "r2")
    paths = [f"f{i:02d}" for i in range(0, 40, 5)]
    paths += ["group_a", "group_a.3.owner", "group_b.10.deadline", "group_b.content"]
    return {path: [error, warning] if n % 3 == 0 else [error] for n, path in enumerate(paths)}


FORM_SCRIPT = """
from bench.pages import BenchForm, bench_data
from forms.renderer import render_form
render_form(BenchForm, bench_data(), key="bench")
"""
TABLE_SCRIPT = """
from bench.pages import BenchTableForm, bench_data
from forms.renderer import render_form
render_form(BenchTableForm, bench_data(), key="bench")
"""
NOTES_SCRIPT = """
from bench.pages import BenchForm, bench_data, bench_notes
from forms.renderer import render_form
render_form(BenchForm, bench_data(), key="bench", notes=bench_notes())
"""
BASELINE_SCRIPT = """
import streamlit as st
st.text_input("文本", key="f00")
"""


def _median_rerun_ms(script: str, widget_key: str, reruns: int) -> tuple[float, int]:
    at = AppTest.from_string(script, default_timeout=120)
    at.run()
    if at.exception:
        raise RuntimeError(at.exception[0].message)
    times = []
    for n in range(reruns):
        at.text_input(key=widget_key).input(f"内容{n}")
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    inputs = len(at.text_input) + len(at.text_area) + len(at.number_input) + len(at.dataframe)
    return statistics.median(times), inputs


def main(argv: Sequence[str] | None = None) -> None:
    """Print the median rerun time of the large form and of the baseline page, and the ratio."""
    reruns = 15
    base_ms, _ = _median_rerun_ms(BASELINE_SCRIPT, "f00", reruns)
    form_ms, widgets = _median_rerun_ms(FORM_SCRIPT, "vanguard.form:bench|f00", reruns)
    fields = len(BenchForm.model_fields)
    print(f"pages: baseline one text_input rerun   {base_ms:8.1f} ms   ratio 1.0")
    print(
        f"pages: form {fields} fields + 2x{ROWS} rows rerun {form_ms:8.1f} ms   "
        f"ratio {form_ms / base_ms:.1f}   ({widgets} inputs; goal <= {GOAL_MS:.0f} ms: "
        f"{'met' if form_ms <= GOAL_MS else 'NOT met'})"
    )
    notes_ms, _ = _median_rerun_ms(NOTES_SCRIPT, "vanguard.form:bench|f00", reruns)
    print(
        f"pages: same form, rule notes at 12 fields {notes_ms:8.1f} ms   "
        f"ratio {notes_ms / base_ms:.1f}   ({notes_ms / form_ms:.2f}x without notes)"
    )
    table_ms, table_widgets = _median_rerun_ms(TABLE_SCRIPT, "vanguard.form:bench|f00", reruns)
    print(
        f"pages: same form, 2x{ROWS} rows as tables {table_ms:8.1f} ms   "
        f"ratio {table_ms / base_ms:.1f}   ({table_widgets} inputs incl. 2 grids; "
        f"{table_ms / form_ms:.2f}x the card layout)"
    )
    # As the app serves it: router.py installs the one-key session-state lookup (streamlit#9415);
    # installed for the rest of this process, so taken after the stock figures above.
    session_state_lookup.install()
    served_ms, _ = _median_rerun_ms(FORM_SCRIPT, "vanguard.form:bench|f00", reruns)
    print(
        f"pages: the same form as the app serves it {served_ms:8.1f} ms   "
        f"ratio {served_ms / base_ms:.1f}   ({served_ms / form_ms:.2f}x stock Streamlit's; "
        f"goal <= {GOAL_MS:.0f} ms: {'met' if served_ms <= GOAL_MS else 'NOT met'})"
    )
    baseline = f"one text_input {base_ms:.1f} ms"
    for what, ms in (
        (f"rerun of a {fields}-field form with 2x{ROWS} rows", form_ms),
        ("the same as the app serves it (one-key session-state lookup)", served_ms),
        ("the same with rule notes at 12 fields", notes_ms),
        ("the same with the rows as tables", table_ms),
    ):
        summary.record("pages", what, f"{ms:.0f} ms", baseline, ms / base_ms)


if __name__ == "__main__":
    main()

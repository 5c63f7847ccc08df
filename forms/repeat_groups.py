"""A repeat group as cards: one bordered card per row, a menu per row (move up or down,
remove) and an "add" button under the last card.

Each row keeps an id in the form's store (``d<n>`` for the n-th row of the data, ``n<k>`` for
added ones) so its widgets keep their values when rows move or are removed. The callbacks run
before the rerun, so the new order shows at once.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

import streamlit as st

from forms.headings import group_heading
from forms.markdown import escape_markdown
from forms.notes_view import show_anchor
from forms.specs import FieldSpec, describe
from i18n import t

if TYPE_CHECKING:
    from forms.renderer import FormRun


def draw_cards(
    run: FormRun, spec: FieldSpec, raw: Any, path: str, wkey: str, context: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Draw the rows of repeat group ``spec`` as cards and return their values."""
    assert spec.model is not None
    source_rows = (
        [r if isinstance(r, Mapping) else {} for r in raw] if isinstance(raw, list) else []
    )
    rows: list[str] = run.store["rows"].setdefault(wkey, [f"d{i}" for i in range(len(source_rows))])
    group_heading(escape_markdown(spec.label(run.lang)), path)
    run.help_caption(spec)
    run.show_error(path)
    values: list[dict[str, Any]] = []
    for index, row_id in enumerate(list(rows)):
        row_path = f"{path}.{index}"
        origin = int(row_id[1:]) if row_id.startswith("d") else -1
        source = source_rows[origin] if 0 <= origin < len(source_rows) else {}
        if not source:
            source = {s.name: s.default for s in describe(spec.model) if s.stores_value}
        with st.container(border=True):
            if row_path in run.notes:
                show_anchor(row_path)
            st.markdown(f"**{t('forms.repeat.row', run.lang, n=index + 1)}**")
            run.show_error(row_path)
            values.append(
                run.scope(
                    spec.model,
                    source,
                    path=row_path,
                    prefix=f"{wkey}#{row_id}.",
                    previous=source,
                    outer=context,
                )
            )
            _row_menu(run, wkey, rows, index, row_id)
    full = spec.max_length is not None and len(rows) >= spec.max_length
    st.button(
        t("forms.repeat.add", run.lang, label=escape_markdown(spec.label(run.lang))),
        key=f"{wkey}:add",
        on_click=_add_row,
        args=(run.store, wkey),
        disabled=run.disabled or full,
    )
    return values


def _row_menu(run: FormRun, wkey: str, rows: list[str], index: int, row_id: str) -> None:
    """One menu per row (上移 / 下移 / 删除此项): one widget instead of three buttons, so
    a form with many rows reruns faster; moves that cannot happen are left out."""
    actions = [
        action
        for action, possible in (
            ("up", index > 0),
            ("down", index < len(rows) - 1),
            ("remove", True),
        )
        if possible
    ]
    key = f"{wkey}:row:{row_id}"
    lang = run.lang
    st.menu_button(
        t("forms.repeat.actions", lang),
        actions,
        key=key,
        on_click=_row_action,
        args=(run.store, rows, row_id, f"{wkey}#{row_id}.", key),
        format_func=lambda action: t(f"forms.repeat.{action}", lang),
        disabled=run.disabled,
        type="tertiary",
    )


def _add_row(store: MutableMapping[str, Any], wkey: str) -> None:
    store["counter"] += 1
    store["rows"].setdefault(wkey, []).append(f"n{store['counter']}")


def _row_action(
    store: MutableMapping[str, Any], rows: list[str], row_id: str, prefix: str, key: str
) -> None:
    """Carry out the action picked in a row's menu: move the row up or down, or remove it."""
    action = st.session_state.get(key)
    if action == "remove":
        _remove_row(store, rows, row_id, prefix)
    elif action in ("up", "down") and row_id in rows:
        _move_row(rows, rows.index(row_id), -1 if action == "up" else 1)


def _move_row(rows: list[str], index: int, step: int) -> None:
    other = index + step
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]


def _remove_row(store: MutableMapping[str, Any], rows: list[str], row_id: str, prefix: str) -> None:
    if row_id in rows:
        rows.remove(row_id)
    for name in [k for k in store["values"] if k.startswith(prefix)]:
        del store["values"][name]
    for name in [k for k in store["rows"] if k.startswith(prefix)]:
        del store["rows"][name]
    for name in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[name]

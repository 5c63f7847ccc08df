"""One Streamlit widget per scalar field kind (text, number, date, choice ...).

``draw_widget`` draws the widget of ``spec`` under the session key ``wkey`` and returns the
widget's value; limits come from the spec (``forms.field_hints``).

Every widget is drawn with the value it should show as its default (``Widget.default``), not
only through ``st.session_state``: Streamlit tells the browser a value set through the Session
State API in the one run that set it, and when that run is interrupted (the user edits another
field while a big form still streams) its unsent messages are dropped. The browser then mounts
the widget from the next run's message, which carries only the default: without one, the field
showed empty and the next edit sent the blank back. With ``key=`` a widget's identity does not
depend on its default, so a default that follows the value never resets what was typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from forms.conversion import option_format
from forms.field_hints import DATE_MAX, DATE_MIN, number_format, number_step
from forms.specs import FieldSpec
from i18n import Lang, t


@dataclass(frozen=True)
class Widget:
    """What every widget of one field needs: its spec, label, session key, help and value.

    ``asserted`` says ``current`` was set through the Session State API in this run (which
    then sends it to the browser itself); the widget gets no default then, as Streamlit wants.
    """

    spec: FieldSpec
    label: str
    key: str
    help: str | None
    current: Any
    lang: Lang
    disabled: bool
    asserted: bool = False

    @property
    def default(self) -> Any:
        """The widget's default: the value it shows when the browser mounts it afresh."""
        return None if self.asserted else self.current


def draw_widget(w: Widget) -> Any:
    """Draw the widget of ``w.spec.kind`` and return its value."""
    return _WIDGETS[w.spec.kind](w)


def _text(w: Widget) -> Any:
    spec = w.spec
    fits = spec.max_length is not None and len(str(w.current or "")) <= spec.max_length
    max_chars = spec.max_length if fits else None
    password = spec.extra.get("widget") == "password"
    if spec.kind == "textarea":
        return st.text_area(
            w.label,
            value=w.default,
            key=w.key,
            help=w.help,
            max_chars=max_chars,
            disabled=w.disabled,
        )
    return st.text_input(
        w.label,
        value=w.default,
        key=w.key,
        help=w.help,
        max_chars=max_chars,
        disabled=w.disabled,
        type="password" if password else "default",
    )


def _tags(w: Widget) -> Any:
    return st.text_area(w.label, value=w.default, key=w.key, help=w.help, disabled=w.disabled)


def _number(w: Widget) -> Any:
    spec, current = w.spec, w.current
    cast: Callable[[Any], Any] = int if spec.kind == "int" else float
    low, high = spec.ge, spec.le
    if current is not None and low is not None and current < low:
        low = None
    if current is not None and high is not None and current > high:
        high = None
    return st.number_input(
        w.label,
        value=w.default,
        key=w.key,
        help=w.help,
        min_value=None if low is None else cast(low),
        max_value=None if high is None else cast(high),
        step=cast(number_step(spec)),
        format=number_format(spec),
        placeholder=t("forms.placeholder.number", w.lang),
        disabled=w.disabled,
    )


def _bool(w: Widget) -> Any:
    return st.checkbox(w.label, value=bool(w.default), key=w.key, help=w.help, disabled=w.disabled)


def _date(w: Widget) -> Any:
    current = w.current
    low = min(DATE_MIN, current) if isinstance(current, dt.date) else DATE_MIN
    high = max(DATE_MAX, current) if isinstance(current, dt.date) else DATE_MAX
    return st.date_input(
        w.label,
        value=w.default,
        key=w.key,
        help=w.help,
        min_value=low,
        max_value=high,
        format="YYYY-MM-DD",
        disabled=w.disabled,
    )


def _datetime(w: Widget) -> Any:
    return st.datetime_input(
        w.label,
        value=w.default,
        key=w.key,
        help=w.help,
        format="YYYY-MM-DD",
        disabled=w.disabled,
    )


def _time(w: Widget) -> Any:
    return st.time_input(w.label, value=w.default, key=w.key, help=w.help, disabled=w.disabled)


def _choice(w: Widget) -> Any:
    spec = w.spec
    options = list(spec.options)
    shared: dict[str, Any] = {
        "index": options.index(w.default) if w.default in options else None,
        "key": w.key,
        "help": w.help,
        "format_func": option_format(spec, w.lang),
        "disabled": w.disabled,
    }
    if spec.kind == "radio":
        return st.radio(w.label, spec.options, horizontal=True, **shared)
    return st.selectbox(
        w.label, spec.options, placeholder=t("forms.placeholder.choose", w.lang), **shared
    )


def _multi(w: Widget) -> Any:
    picked = w.default if isinstance(w.default, list) else []
    return st.multiselect(
        w.label,
        w.spec.options,
        default=[v for v in picked if v in w.spec.options] or None,
        key=w.key,
        help=w.help,
        format_func=option_format(w.spec, w.lang),
        placeholder=t("forms.placeholder.choose_many", w.lang),
        disabled=w.disabled,
    )


_WIDGETS: dict[str, Callable[[Widget], Any]] = {
    "text": _text,
    "textarea": _text,
    "tags": _tags,
    "int": _number,
    "float": _number,
    "decimal": _number,
    "bool": _bool,
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "select": _choice,
    "radio": _choice,
    "multiselect": _multi,
}

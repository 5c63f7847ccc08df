"""A long text editor (a rule set's or a form definition's YAML) that never mounts blank.

A widget whose text is set only through the Session State API has no default of its own. When
the run that set it never reaches the browser (cut short by the user's next click, or a lost
connection), the browser mounts the text area from a later run's message alone, shows it
empty, and sends the empty text back: the admin's YAML is gone. So the text is also kept under
a key of its own and given to the text area as its default, and new text from elsewhere
(loaded, uploaded, saved through a form) is pushed through ``replace``, as the form renderer
does for form fields.
"""

from __future__ import annotations

from typing import Any

import streamlit as st


def _kept(key: str) -> str:
    return f"{key}:kept"


def _pushed(key: str) -> str:
    return f"{key}:pushed"


def kept_text(key: str) -> str | None:
    """The text the editor ``key`` holds for this session, ``None`` before it held any."""
    text = st.session_state.get(_kept(key))
    return None if text is None else str(text)


def replace(key: str, text: str) -> None:
    """Show ``text`` in the editor ``key`` from this run on, also in a browser that has it on
    screen already. Call before the editor is drawn in the run."""
    st.session_state[_kept(key)] = text
    st.session_state[key] = text
    st.session_state[_pushed(key)] = True


def forget(key: str) -> None:
    """Drop the editor's text, so the page loads it afresh."""
    for name in (key, _kept(key), _pushed(key)):
        st.session_state.pop(name, None)


def text_editor(label: str, key: str, *, initial: str = "", **options: Any) -> str:
    """A text area under ``key`` showing the text it holds (``initial`` before it holds any);
    ``options`` go to ``st.text_area``. Returns the text as the user left it."""
    pushed = st.session_state.pop(_pushed(key), False)
    kept = kept_text(key)
    if kept is None:
        kept = initial
    # Streamlit wants no default beside a value set through the Session State API in this run.
    text = st.text_area(label, value=None if pushed else kept, key=key, **options)
    st.session_state[_kept(key)] = text or ""
    return text or ""

"""One key of Streamlit's session state looked up alone, instead of the whole state rebuilt
for every widget drawn.

Streamlit 1.67's text, number, select, radio, slider and date widgets each ask
``get_session_state().filtered_state`` whether their key was set to None, and that property
builds a dict of the entire session state (every widget's value) to answer for one key: a
screen of n widgets does n² work on every run (streamlit#9415). The plan editor draws about
150 widgets; that rebuild was 42% of its runs' time and a quarter of what a branch user's
sign-in-save-submit journey costs the server under Python's one lock.

``install()`` makes ``filtered_state`` a read-only mapping that answers a lookup (``in``,
``[]``, ``get``) from the one key, by the same rules the dict follows (no generated widget
ids, no internal keys; a widget's user key gives its value), and builds the whole dict only
when iterated or counted. ``tests/app/test_session_state_lookup.py`` compares the two on a
live session, so a Streamlit upgrade that changes the rules fails there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from streamlit.runtime.state import safe_session_state
from streamlit.runtime.state.common import is_element_id
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

SafeSessionState = safe_session_state.SafeSessionState
# Streamlit's own property, for iterating (kept on the class too: a re-import after install()
# must not take the replacement for the original)
_WHOLE: property = SafeSessionState.__dict__.get(
    "_streamlit_filtered_state", SafeSessionState.__dict__["filtered_state"]
)


class FilteredState(Mapping[str, Any]):
    """``filtered_state`` of one session, looked up a key at a time."""

    def __init__(self, safe: Any) -> None:
        self._safe = safe

    def __getitem__(self, key: str) -> Any:
        if not isinstance(key, str) or is_element_id(key):
            raise KeyError(key)
        if key.startswith(STREAMLIT_INTERNAL_KEY_PREFIX):
            raise KeyError(key)
        with self._safe._lock:
            return self._safe._state[key]

    def whole(self) -> dict[str, Any]:
        """The dict Streamlit builds."""
        assert _WHOLE.fget is not None
        built: dict[str, Any] = _WHOLE.fget(self._safe)
        return built

    def __iter__(self) -> Iterator[str]:
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())


def _filtered_state(self: Any) -> FilteredState:
    return FilteredState(self)


def install() -> None:
    """Look keys up one at a time from now on in this process (idempotent)."""
    SafeSessionState._streamlit_filtered_state = _WHOLE  # type: ignore[attr-defined]
    SafeSessionState.filtered_state = property(_filtered_state)  # type: ignore[method-assign,assignment]

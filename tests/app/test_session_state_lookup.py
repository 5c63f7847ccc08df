"""``pages/session_state_lookup.py`` answers every lookup of ``filtered_state`` as Streamlit's
own dict does, on a live session: user keys, keys set to None, keyed and unkeyed widgets,
generated widget ids, internal keys, keys never set."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest


def probing_app() -> None:
    import streamlit as st
    from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX
    from streamlit.runtime.state.session_state_proxy import get_session_state

    from pages.session_state_lookup import FilteredState, install

    INTERNAL = f"{STREAMLIT_INTERNAL_KEY_PREFIX}_probe"

    install()
    st.session_state.setdefault("plain", 1)
    st.session_state.setdefault("emptied", None)
    st.session_state.setdefault(INTERNAL, 2)
    if "typed" not in st.session_state:
        st.session_state["typed"] = "set before the widget"
    st.text_input("typed", key="typed")
    st.text_input("keyless")
    st.selectbox("chosen", ["a", "b"], key="chosen")
    st.number_input("count", key="count", value=None)
    view = get_session_state().filtered_state
    assert isinstance(view, FilteredState)
    whole = view.whole()
    ids = list(get_session_state()._state._key_id_mapper.id_key_mapping)
    probes = [*whole, *ids, "missing", INTERNAL, "keyless", 3]
    listed = (dict(view) == whole, len(view) == len(whole))
    st.session_state["probed"] = {
        str(k): (k in view, view.get(k, "∅"), k in whole, whole.get(k, "∅")) for k in probes
    }
    st.session_state["listed"] = listed


def test_each_lookup_answers_as_streamlits_whole_dict() -> None:
    at = AppTest.from_function(probing_app, default_timeout=30)
    at.run()
    at.text_input(key="typed").input("typed by the user")
    at.selectbox(key="chosen").select("b")
    at.run()
    assert not at.exception
    probed: dict[str, Any] = at.session_state["probed"]
    assert {"plain", "emptied", "typed", "chosen", "count"} <= set(probed)
    assert probed["typed"][1] == "typed by the user" and probed["chosen"][1] == "b"
    assert probed["emptied"][:2] == (True, None) and probed["count"][:2] == (True, None)
    internal = [k for k in probed if k.startswith("$$STREAMLIT_INTERNAL_KEY")]
    assert internal and not any(probed[k][0] for k in internal) and not probed["missing"][0]
    mismatched = {k: v for k, v in probed.items() if v[:2] != v[2:]}
    assert mismatched == {}
    assert at.session_state["listed"] == (True, True)

"""The store an app process loads is frozen out of the garbage collection Streamlit runs after
every click (issue 15 point 4): with a large store that collection took ~1 s per click."""

from __future__ import annotations

import gc


def test_loading_the_store_freezes_its_objects(fresh_store: None) -> None:
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    from pages.common import services

    services()
    assert gc.get_freeze_count() > 0

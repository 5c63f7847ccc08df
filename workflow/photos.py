"""Scaled copies of stored photos (``forms.thumbnails``), kept in memory while they are asked for.

Blobs are keyed by the sha256 of their bytes, so a scaled copy stays right for its key in every
store and never needs invalidating; the cache is bounded by the bytes it holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from forms.file_content import is_image
from forms.thumbnails import scaled
from storage.base import Repository

CACHE_BYTES = 32 * 1024 * 1024

_cache: OrderedDict[tuple[str, int], bytes] = OrderedDict()
_held = 0
_lock = threading.Lock()


def scaled_blob(repo: Repository, blob: str, longest: int) -> bytes:
    """The bytes of ``blob`` scaled to at most ``longest`` pixels (unchanged when it is not a
    photo or is small already); ``storage`` raises for a missing key."""
    global _held
    key = (blob, longest)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    data = scaled(repo.get_blob(blob), longest)
    with _lock:
        if key not in _cache and len(data) <= CACHE_BYTES // 8:
            _cache[key] = data
            _held += len(data)
            while _held > CACHE_BYTES:
                _, dropped = _cache.popitem(last=False)
                _held -= len(dropped)
    return data


def photos(repo: Repository, blobs: list[str], longest: int, limit: int) -> dict[str, bytes]:
    """Blob key → scaled bytes for the first ``limit`` of ``blobs`` that are photos."""
    found: dict[str, bytes] = {}
    for blob in dict.fromkeys(blobs):
        if len(found) >= limit:
            break
        data = scaled_blob(repo, blob, longest)
        if is_image(data):
            found[blob] = data
    return found

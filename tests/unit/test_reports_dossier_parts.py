"""The campaign dossier laid out in parts (reports.dossier_parts): the joined PDF numbers its
pages through, bookmarks each branch where it starts, and a rebuild lays out only the branches
whose content changed."""

from __future__ import annotations

import io
import re
from typing import Any

import pypdf

from reports import document, dossier_parts, fonts
from reports.campaign_dossier import build_campaign_dossier_pdf
from reports.dossier_parts import MemoryPartCache
from reports.samples import sample_campaign_dossier

HOSTILE = '<script>alert(1)</script> a<b & R&D <img src="/etc/passwd"/>'


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def dossier(branches: int = 3) -> dict[str, Any]:
    data = sample_campaign_dossier(branches=branches)
    for index, entry in enumerate(data["branches"]):
        entry["branch"]["name"] = f"第{index + 1}党支部"
    return data


class CountingCache(MemoryPartCache):
    """A cache that counts the parts laid out (put) since the last ``reset``."""

    def __init__(self) -> None:
        super().__init__()
        self.laid_out = 0

    def put(self, key: str, pdf: bytes) -> None:
        self.laid_out += 1
        super().put(key, pdf)


def test_pages_are_numbered_through_and_each_branch_is_bookmarked_where_it_starts() -> None:
    reader = _reader(build_campaign_dossier_pdf(dossier(3), meta={"generated_at": "2025-06-01"}))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) > 4
    for number, text in enumerate(texts, start=1):
        assert re.findall(r"第 \d+ 页", text) == [f"第 {number} 页"], number
        assert text.count("生成时间：2025-06-01") == 1
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _ in outline] == [
        "2025年度“先锋工程”工作材料汇编",
        "第1党支部",
        "第2党支部",
        "第3党支部",
    ]
    starts = [page for _, page in outline]
    assert starts[0] == 0 and starts == sorted(set(starts))
    for title, page in outline[1:]:
        assert texts[page].lstrip().startswith(title)  # the branch starts its page
        assert not texts[page - 1].lstrip().startswith(title)  # the page before is another's
    assert reader.metadata is not None and reader.metadata.title == outline[0][0]


def test_laid_out_in_worker_processes_the_pages_are_the_same() -> None:
    data = dossier(3)
    meta = {"generated_at": "2025-06-01"}
    one = [p.extract_text() for p in _reader(build_campaign_dossier_pdf(data, meta=meta)).pages]
    two = build_campaign_dossier_pdf(data, meta=meta, workers=2)
    assert [p.extract_text() for p in _reader(two).pages] == one


def test_user_text_prints_literally_in_a_branch_part() -> None:
    data = dossier(2)
    data["branches"][1]["submissions"][0]["data"]["title"] = HOSTILE
    text = "\n".join(p.extract_text() for p in _reader(build_campaign_dossier_pdf(data)).pages)
    assert _flat(HOSTILE) in _flat(text)


def test_a_rebuild_lays_out_only_the_branch_that_changed_and_prints_the_change() -> None:
    cache = CountingCache()
    data = dossier(3)
    first = build_campaign_dossier_pdf(data, cache=cache)
    assert cache.laid_out == 3  # the front part is never cached: it depends on every branch
    cache.laid_out = 0
    assert build_campaign_dossier_pdf(data, cache=cache) is not None
    assert cache.laid_out == 0
    data["branches"][1]["submissions"][0]["data"]["title"] = "第二支部改过的学习主题"
    second = build_campaign_dossier_pdf(data, cache=cache)
    assert cache.laid_out == 1
    text = _flat("".join(p.extract_text() for p in _reader(second).pages))
    assert "第二支部改过的学习主题" in text
    assert "第二支部改过的学习主题" not in _flat(
        "".join(p.extract_text() for p in _reader(first).pages)
    )


def test_a_cached_part_is_not_reused_in_another_language_or_without_forms() -> None:
    cache = CountingCache()
    data = dossier(2)
    build_campaign_dossier_pdf(data, cache=cache)
    build_campaign_dossier_pdf(data, cache=cache, lang="en")
    build_campaign_dossier_pdf(data | {"include_forms": False}, cache=cache)
    assert cache.laid_out == 6


def test_pages_are_numbered_in_the_cid_font_when_no_truetype_font_was_found(
    monkeypatch: Any,
) -> None:
    cid = fonts.select_font([])  # no font file: ReportLab's STSong-Light, not embedded
    monkeypatch.setattr(document, "cjk_font", lambda: cid)
    monkeypatch.setattr(dossier_parts, "cjk_font", lambda: cid)
    reader = _reader(build_campaign_dossier_pdf(dossier(2), meta={"generated_at": "2025-06-01"}))
    texts = [page.extract_text() for page in reader.pages]
    assert len(texts) > 2
    for number, text in enumerate(texts, start=1):
        assert re.findall(r"第 \d+ 页", text) == [f"第 {number} 页"], number

"""A long document laid out in parts, in parallel, each part kept by the hash of what it prints.

A campaign dossier is a front part (overview, progress, charts, awards) and one part per
branch, each starting on a new page. A branch's part depends only on what it prints (its done
submissions, reports, reviews, photos, statistics), the layout code and the form versions
it names, so ``Part.key`` hashes exactly those: a rebuild after one branch changed lays out
that branch again and takes the others from the ``PartCache``. Parts missing from the cache
are laid out by ``workers`` forked processes at once (each a ``render(..., footer=False)``
of its own), then ``join`` puts the pages together with pikepdf (qpdf: the parts' objects are
copied as they are, not parsed in Python as pypdf did, which took 2 s for 1,500 pages), prints
every page's footer (generation time, ``第 n 页`` counted over the whole document) and adds a
bookmark per part.

Each part embeds its own subset of the CJK font, so the joined PDF is larger than a single
layout of the same story (about 70 KB more per part: 8 MB instead of 4 MB for 50 real-sized
branches).
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol

import pikepdf
import reportlab
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from reports.document import (
    FOOTER_INK,
    FOOTER_SIZE,
    FOOTER_TEXT_Y,
    MARGIN_X,
    DocInfo,
    footer_painter,
    page_label,
    pdf_lang,
    render,
)
from reports.fonts import cjk_font
from reports.forked_map import forked_map
from reports.paragraph_drawing import TextWriter, fill_colour

# The footer of each page is a form XObject of this name in the page's resources; layout code
# never names one so (ReportLab's own are ``FormXob.<hash>``).
_FOOTER = "/VanguardFooter"
# Worker processes yield to the app's requests (nice is relative to the parent's).
WORKER_NICENESS = 5


class PartCache(Protocol):
    """Laid-out parts by ``Part.key``."""

    def get(self, key: str) -> bytes | None:
        """The PDF of the part with ``key``, or ``None``."""

    def put(self, key: str, pdf: bytes) -> None:
        """Keep ``pdf`` as the part with ``key``."""


class MemoryPartCache:
    """A ``PartCache`` in this process's memory (tests, benchmarks, command lines)."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.parts.get(key)

    def put(self, key: str, pdf: bytes) -> None:
        self.parts[key] = pdf


@dataclass(frozen=True)
class Part:
    """One part: its bookmark, its story (made in the worker that lays it out) and, if it may be
    cached, the key of what it prints (``content_key``)."""

    title: str
    story: Callable[[], list[Flowable]]
    key: str | None = None


def _plain(value: object) -> str:
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()  # photos: their hash stands for them
    return str(value)  # dates and other scalars a record may hold, as they print


def content_key(*content: Any) -> str:
    """The hash of ``content`` (plain data: dicts, lists, strings, numbers, bytes) together with
    everything else a part's pages depend on (``layout_fingerprint``)."""
    text = json.dumps(
        [layout_fingerprint(), *content],
        sort_keys=True,
        ensure_ascii=False,
        default=_plain,
    )
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def layout_fingerprint() -> str:
    """A hash of what lays a part out besides its content: the reports and forms code and the
    message catalogues of this installation, the ReportLab version and the CJK font in use. A
    new release or another font makes every cached part stale."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(f"{reportlab.Version}|{cjk_font().name}|{cjk_font().source}".encode())
    sources = [*root.glob("reports/*.py"), *root.glob("forms/*.py"), *root.glob("i18n/*/*.yaml")]
    for path in sorted(sources):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_parts(
    parts: Sequence[Part],
    info: DocInfo,
    *,
    cache: PartCache | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Lay out every part (taking cached ones from ``cache``, the others in ``workers``
    processes) and join them into one PDF; ``progress(done, total)`` counts parts."""
    total = len(parts) + 1  # the join is the last step
    pdfs: list[bytes | None] = [cache.get(p.key) if cache and p.key else None for p in parts]
    missing = [i for i, pdf in enumerate(pdfs) if pdf is None]
    done = len(parts) - len(missing)
    if progress:
        progress(done, total)
    # What this process holds (in the app, a store's worth) is not scanned again by every
    # garbage collection of the layout, here or in the workers forked from here: a seventh of
    # each part's time. Objects the caller froze stay frozen.
    frozen = gc.get_freeze_count()
    gc.freeze()
    try:
        for index, pdf in _lay_out([parts[i] for i in missing], info, workers):
            part = parts[missing[index]]
            pdfs[missing[index]] = pdf
            if cache and part.key:
                cache.put(part.key, pdf)
            done += 1
            if progress:
                progress(done, total)
    finally:
        if not frozen:
            gc.unfreeze()
    joined = join([(p.title, pdf or b"") for p, pdf in zip(parts, pdfs, strict=True)], info)
    if progress:
        progress(total, total)
    return joined


def _lay_out_one(job: tuple[Part, DocInfo]) -> bytes:
    part, info = job
    return render(part.story(), info, footer=False)


def _lay_out(parts: list[Part], info: DocInfo, workers: int) -> Iterable[tuple[int, bytes]]:
    """``(index, pdf)`` for each of ``parts``, in the order they are done."""
    jobs = [(part, info) for part in parts]
    if workers <= 1 or len(parts) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return ((index, _lay_out_one(job)) for index, job in enumerate(jobs))
    return forked_map(_lay_out_one, jobs, workers, niceness=WORKER_NICENESS)


def join(parts: Sequence[tuple[str, bytes]], info: DocInfo) -> bytes:
    """The pages of ``parts`` (bookmark title, PDF) in order, each with the footer of its page
    number in the whole, a bookmark at the first page of each part and ``info`` as metadata."""
    joined = pikepdf.new()
    # qpdf copies a part's objects when the whole is written: keep the parts open until then.
    sources = [pikepdf.open(BytesIO(pdf)) for _title, pdf in parts]
    starts = []
    for source in sources:
        starts.append(len(joined.pages))
        joined.pages.extend(source.pages)
    footers, template = _footer_forms(joined, info, len(joined.pages))
    _print_footers(joined, footers)
    with joined.open_outline() as outline:
        for (title, _pdf), start in zip(parts, starts, strict=True):
            if start < len(joined.pages):
                outline.root.append(pikepdf.OutlineItem(title, start))
    joined.docinfo["/Title"] = info.title
    joined.docinfo["/Author"] = info.author
    joined.docinfo["/Subject"] = info.subject
    joined.docinfo["/Creator"] = "Vanguard"
    joined.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    joined.Root.Lang = pikepdf.String(pdf_lang(info.lang))
    joined.Root.PageMode = pikepdf.Name.UseOutlines
    buffer = BytesIO()
    # The parts' streams are compressed already (and the footers by ReportLab): qpdf's default
    # would look at every stream again, which was four fifths of the time of writing.
    joined.save(
        buffer,
        compress_streams=False,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
    )
    for source in [*sources, template]:
        source.close()
    return buffer.getvalue()


def _footer_forms(
    joined: pikepdf.Pdf, info: DocInfo, count: int
) -> tuple[list[pikepdf.Object], pikepdf.Pdf]:
    """The footer of each of ``count`` pages as a form XObject of ``joined``: the rule and the
    generation time, drawn once by ReportLab and shared, and the page's number written as text
    operators in the same font subsets (drawing 1,500 footer pages in ReportLab took 0.4 s);
    and the PDF they come from, to keep open until ``joined`` is written."""
    width, height = A4
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=cjk_font().name)
    footer_painter(info, width, numbered=False)(canvas, 0)
    font = getFont(cjk_font().name)
    writer = TextWriter(canvas, font, FOOTER_SIZE)
    right = width - MARGIN_X
    numbers = []
    for page in range(1, count + 1):  # before the save: the digits' glyphs go into the subsets
        label = page_label(info, page)
        code = [
            f"BT 1 0 0 1 {fp_str(right - font.stringWidth(label, FOOTER_SIZE), FOOTER_TEXT_Y)} Tm"
        ]
        writer.subset = -1
        writer.show(label, code)
        code.append("ET")
        numbers.append(" ".join(code).encode("latin-1"))
    canvas.showPage()
    canvas.save()
    template = pikepdf.open(BytesIO(buffer.getvalue()))
    frame = joined.copy_foreign(template.pages[0].as_form_xobject())
    resources = joined.make_indirect(
        pikepdf.Dictionary(
            Font=frame.Resources.Font, XObject=pikepdf.Dictionary(VanguardFrame=frame)
        )
    )
    ink = f"{fill_colour(FOOTER_INK)} ".encode()
    forms: list[pikepdf.Object] = []
    for number in numbers:
        form = pikepdf.Stream(joined, b"q /VanguardFrame Do Q q " + ink + number + b" Q")
        form.Type = pikepdf.Name.XObject
        form.Subtype = pikepdf.Name.Form
        form.BBox = frame.BBox
        form.Resources = resources
        forms.append(joined.make_indirect(form))
    return forms, template


def _print_footers(joined: pikepdf.Pdf, footers: list[pikepdf.Object]) -> None:
    """Draw each page's footer on top of its content, as a form XObject of the page's own, so
    no font name of the page can clash with the footer's."""
    # The page's content runs inside q … Q, so whatever state it leaves does not reach the footer.
    before = joined.make_indirect(pikepdf.Stream(joined, b"q\n"))
    after = joined.make_indirect(pikepdf.Stream(joined, f"\nQ\nq {_FOOTER} Do Q\n".encode()))
    for page, form in zip(joined.pages, footers, strict=True):
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        # A part's pages may share their resources: the footer goes into a copy of the page's own.
        resources = pikepdf.Dictionary(dict(resources.items()))
        xobjects = resources.get("/XObject", pikepdf.Dictionary())
        xobjects = pikepdf.Dictionary({**dict(xobjects.items()), _FOOTER: form})
        resources.XObject = xobjects
        page.obj.Resources = resources
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj.Contents = pikepdf.Array([before, *[s for s in streams if s is not None], after])

"""A long document laid out in parts, in parallel, each part kept by the hash of what it prints.

A campaign dossier is a front part (overview, progress, charts, awards) and one part per
branch, each starting on a new page. A branch's part depends only on what it prints (its done
submissions, reports, reviews, photos, statistics), the layout code and the form versions
it names, so ``Part.key`` hashes exactly those: a rebuild after one branch changed lays out
that branch again and takes the others from the ``PartCache``. Parts missing from the cache
are laid out by ``workers`` forked processes at once (each a ``render(..., footer=False)``
of its own), then ``join`` puts the pages together with pypdf, prints every page's footer
(generation time, ``第 n 页`` counted over the whole document) and adds a bookmark per part.

Each part embeds its own subset of the CJK font, so the joined PDF is larger than a single
layout of the same story (about 70 KB more per part: 8 MB instead of 4 MB for 50 real-sized
branches).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol

import reportlab
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from reports.document import DocInfo, footer_painter, pdf_lang, render
from reports.fonts import cjk_font
from reports.forked_map import forked_map

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
    for index, pdf in _lay_out([parts[i] for i in missing], info, workers):
        part = parts[missing[index]]
        pdfs[missing[index]] = pdf
        if cache and part.key:
            cache.put(part.key, pdf)
        done += 1
        if progress:
            progress(done, total)
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
    writer = PdfWriter()
    starts = []
    for _title, pdf in parts:
        starts.append(len(writer.pages))
        writer.append(PdfReader(BytesIO(pdf)), import_outline=False)
    _print_footers(writer, info)
    for (title, _pdf), start in zip(parts, starts, strict=True):
        if start < len(writer.pages):
            writer.add_outline_item(title=title, page_number=start)
    writer.add_metadata(
        {
            "/Title": info.title,
            "/Author": info.author,
            "/Subject": info.subject,
            "/Creator": "Vanguard",
        }
    )
    preferences = writer.create_viewer_preferences()
    preferences[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    writer.root_object[NameObject("/Lang")] = TextStringObject(pdf_lang(info.lang))
    writer.page_mode = "/UseOutlines"
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _print_footers(writer: PdfWriter, info: DocInfo) -> None:
    """Draw each page's footer (from a ReportLab page of footers) on top of its content, as a
    form XObject of the page's own, so no font name of the page can clash with the footer's."""
    count = len(writer.pages)
    width, height = A4
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), initialFontName=cjk_font().name)
    paint = footer_painter(info, width)
    for number in range(1, count + 1):
        paint(canvas, number)
        canvas.showPage()
    canvas.save()
    footers = PdfReader(BytesIO(buffer.getvalue())).pages
    # ReportLab's pages share one font dictionary: every footer form shares one copy of it.
    shared = writer._add_object(footers[0][NameObject("/Resources")].clone(writer))
    bbox = ArrayObject(
        [NumberObject(0), NumberObject(0), NumberObject(width), NumberObject(height)]
    )
    # The page's content runs inside q … Q, so whatever state it leaves does not reach the footer.
    before = writer._add_object(_stream(b"q\n"))
    after = writer._add_object(_stream(f"\nQ\nq {_FOOTER} Do Q\n".encode()))
    for page, footer in zip(writer.pages, footers, strict=True):
        form = footer[NameObject("/Contents")].get_object()
        assert isinstance(form, StreamObject)  # a ReportLab page has one content stream
        form = form.clone(writer)
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): bbox,
                NameObject("/Resources"): shared,
            }
        )
        resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject(_FOOTER)] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        contents = page.get("/Contents")
        own = contents.get_object() if contents is not None else ArrayObject()
        streams = list(own) if isinstance(own, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([before, *streams, after])


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream

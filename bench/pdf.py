"""``python -m bench pdf``: how long the PDF builders take, against a minimal ReportLab document.

The baseline is a one-paragraph ReportLab document (Helvetica, no embedded font) built in the same
process, so each figure is read as a ratio that holds across machines. Figures are medians of
several builds after one warm-up (the first build also registers and parses the CJK font).

Then the campaign dossier of 50 real-sized branches (``reports.samples.real_branch_entry``:
~30 pages each, ~1,500 pages): laid out in one pass as it was before its branch sections became
parts (``reports.dossier_parts``), then in parts with one process and with one per core, cold,
warm (every section cached) and after one branch changed, each beside the one-pass figure, with
its CPU time (this process and the layout workers) and the machine's load average (a busy
machine slows every wall time, and starves the workers, which run at a lower priority); and the
same dossier of 5 branches laid out with ReportLab's own ``Paragraph``, with ours drawn by
ReportLab and with ours (``reports.paragraphs``, ``reports.paragraph_drawing``), alternately,
for the speed-ups. ``--branches=N`` changes the 50.

The headline is the campaign dossier as a user waits for it, against its goal of ``GOAL_S``
seconds for the whole school: from a TinyDB store holding 50 branches' real-sized approved
records (built as ``bench.scale`` builds its stores), read through ``DossierService`` and laid
out cold in parts on one process per core, as the app's first build does.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from io import BytesIO

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import PageBreak, SimpleDocTemplate
from reportlab.platypus import Paragraph as ReportLabParagraph

from bench import summary
from reports import markup
from reports.bulletin import build_bulletin_pdf
from reports.campaign_dossier import (
    CampaignDossier,
    branch_story,
    build_campaign_dossier_pdf,
    front_story,
)
from reports.document import doc_info, render
from reports.dossier_parts import MemoryPartCache
from reports.form import build_form_pdf
from reports.markup import para
from reports.paragraphs import Paragraph, plain_paragraph
from reports.plan import build_plan_pdf
from reports.samples import (
    real_campaign_dossier,
    sample_bulletin,
    sample_campaign_dossier,
    sample_plan,
    sample_report,
    sample_reviews,
)
from reports.styles import styles
from workflow.dossiers import part_workers

REPEAT = 7
GOAL_S = 10.0  # the campaign dossier of the whole school, from the store to the PDF


def baseline_pdf() -> bytes:
    """A one-paragraph A4 document, the least ReportLab can do."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    doc.build([ReportLabParagraph("Vanguard baseline paragraph.", getSampleStyleSheet()["Normal"])])
    return buffer.getvalue()


def median_ms(build: Callable[[], bytes], repeat: int = REPEAT) -> tuple[float, int]:
    """Median build time in ms over ``repeat`` runs after a warm-up, and the PDF size."""
    size = len(build())
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        build()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), size


def one_paragraph_report() -> bytes:
    """One paragraph through the reports frame: embedded CJK font subset, footer, metadata."""
    story = [para("先锋工程 baseline", styles().body)]
    return render(story, doc_info("基线", {"generated_at": "2025-01-01 00:00"}, "zh"))


def pages(pdf: bytes) -> int:
    """The number of pages of ``pdf``."""
    return len(PdfReader(BytesIO(pdf)).pages)


def timed_build(build: Callable[[], bytes]) -> tuple[float, int, bytes]:
    """Seconds one call of ``build`` takes, the pages of the PDF it made, and the PDF."""
    start = time.perf_counter()
    pdf = build()
    return time.perf_counter() - start, pages(pdf), pdf


def single_pass(dossier: CampaignDossier) -> bytes:
    """The campaign dossier laid out as one ReportLab document, as it was before parts: the
    same flowables, one process, nothing cached (the comparison for ``real_dossier``)."""
    story = front_story(dossier, "zh")
    for entry in dossier.branches:
        story += [PageBreak(), *branch_story(entry, "zh", dossier.include_forms, None)]
    return render(story, doc_info("single pass", None, "zh"))


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the layout workers): on a busy
    machine the wall time says how long a user waits, this how much work the build was."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def real_dossier(branches: int, base_ms: float) -> None:
    """The campaign dossier of ``branches`` real-sized branches: laid out in one pass as before,
    then in parts with one process and with one per core, cold (nothing cached), warm (every
    branch cached) and after one branch changed; each once, beside the one-pass figure."""
    data = CampaignDossier.model_validate(real_campaign_dossier(branches))
    start, cpu = time.perf_counter(), _cpu_seconds()
    before = single_pass(data)
    one_pass_ms = (time.perf_counter() - start) * 1000
    n = pages(before)
    print(
        f"pdf: campaign dossier, {branches} real-sized branches, one pass (before) "
        f"{one_pass_ms:9.0f} ms  cpu {_cpu_seconds() - cpu:5.1f} s  {len(before):>8} bytes"
        f"  {n} pages, {one_pass_ms / n:.1f} ms/page"
        f"  vs baseline {base_ms:.2f} ms  ratio {one_pass_ms / base_ms:6.0f}x  {_load()}"
    )
    cores = len(os.sched_getaffinity(0))
    changed = data.model_copy(deep=True)
    changed.branches[0].submissions[0].data["title"] = "改过的标题"
    cache = MemoryPartCache()
    runs = [
        ("in parts, 1 process, cold", data, 1, MemoryPartCache()),
        (f"in parts, {cores} processes, cold", data, cores, cache),
        (f"in parts, {cores} processes, warm", data, cores, cache),
        ("in parts, one branch changed", changed, cores, cache),
    ]
    for name, dossier, workers, parts in runs:
        start, cpu = time.perf_counter(), _cpu_seconds()
        pdf = build_campaign_dossier_pdf(dossier, cache=parts, workers=workers)
        ms = (time.perf_counter() - start) * 1000
        used = _cpu_seconds() - cpu
        print(
            f"pdf: campaign dossier, {branches} branches, {name:<28} {ms:9.0f} ms"
            f"  cpu {used:5.1f} s  {len(pdf):>8} bytes  {pages(pdf)} pages"
            f"  vs one pass ratio {one_pass_ms / ms:5.1f}x faster  {_load()}"
        )
        if workers > 1:
            summary.record(
                "pdf",
                f"campaign dossier, {branches} real-sized branches ({n} pages), {name}",
                f"{ms / 1000:.2f} s (cpu {used:.1f} s)",
                f"one pass: {one_pass_ms / 1000:.1f} s",
                ms / one_pass_ms,
            )


def from_store(branches: int) -> None:
    """The campaign dossier end to end, as a user waits for the app's first build: read from
    a TinyDB store of ``branches`` branches' real-sized approved records through
    ``DossierService``, then laid out cold in parts on one process per core; against the goal."""
    from bench import scale  # imported here: bench.scale times its dossiers with timed_build

    folder = tempfile.mkdtemp(prefix="vanguard-pdf-")
    try:
        began = time.perf_counter()
        store = scale.build(f"tinydb:///{folder}/store.json", 1, branches)
        built = time.perf_counter() - began
        try:
            dossiers, forms, workers = store.services.dossiers, store.services.forms, part_workers()
            start, cpu = time.perf_counter(), _cpu_seconds()
            data = dossiers.campaign_dossier(store.admin, store.campaign_id)
            read = time.perf_counter() - start
            layout, n, pdf = timed_build(
                lambda: build_campaign_dossier_pdf(
                    data, forms=forms, cache=MemoryPartCache(), workers=workers
                )
            )
            used = _cpu_seconds() - cpu
        finally:
            store.services.repo.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    total = read + layout
    verdict = "met" if total <= GOAL_S else "NOT met"
    print(
        f"pdf: campaign dossier, {branches} branches from the store ({store.documents:,}"
        f" submissions, built in {built:.0f} s): read {read:.2f} s + layout {layout:.2f} s"
        f" on {workers} processes = {total:.2f} s  cpu {used:5.1f} s  {len(pdf):>8} bytes"
        f"  {n} pages  goal <= {GOAL_S:.0f} s: {verdict}  {_load()}"
    )
    summary.record(
        "pdf",
        f"campaign dossier, {branches} real-sized branches ({n} pages) from the store: read +"
        f" layout in parts on {workers} processes, cold",
        f"{total:.2f} s (read {read:.2f} s + layout {layout:.2f} s; cpu {used:.1f} s)",
        f"goal ≤ {GOAL_S:.0f} s",
        total / GOAL_S,
    )


def _parse_instead(text: str, style: ParagraphStyle, markup: str) -> None:
    return None  # as ReportLab does: every paragraph goes through its markup parser


_OUR_DRAWING = Paragraph.drawOn


def _use(variant: str) -> None:
    """Lay reports out with ReportLab's ``Paragraph`` (``reportlab``), with ours drawn by
    ReportLab (``drawn by reportlab``) or with ours (``ours``)."""
    stock = variant == "reportlab"
    # markup.para is the one place reports make paragraphs
    markup.Paragraph = ReportLabParagraph if stock else Paragraph  # type: ignore[misc]
    markup.plain_paragraph = _parse_instead if stock else plain_paragraph
    ours_drawn = variant == "ours"
    Paragraph.drawOn = _OUR_DRAWING if ours_drawn else ReportLabParagraph.drawOn  # type: ignore[method-assign]


def against_reportlab(branches: int = 5, rounds: int = 2) -> None:
    """The same dossier with ReportLab's ``Paragraph``, with ours drawn by ReportLab's own
    code (lines broken fast, ``reports.paragraphs``) and with ours (lines broken and drawn
    fast, ``reports.paragraph_drawing``), alternately, in this process."""
    data = real_campaign_dossier(branches)
    variants = ("reportlab", "drawn by reportlab", "ours")
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name in variants:
            _use(name)
            start = time.perf_counter()
            build_campaign_dossier_pdf(data)
            times[name].append((time.perf_counter() - start) * 1000)
    _use("ours")
    theirs, drawn, ours = (statistics.median(times[name]) for name in variants)
    summary.record(
        "pdf",
        f"dossier of {branches} real-sized branches, our Paragraph (lines and drawing)",
        f"{ours:.0f} ms",
        f"ReportLab's Paragraph: {theirs:.0f} ms; ours drawn by ReportLab: {drawn:.0f} ms",
        ours / theirs,
    )
    print(
        f"pdf: dossier of {branches} real-sized branches, ReportLab's Paragraph {theirs:9.0f} ms"
        f"  ours drawn by ReportLab {drawn:9.0f} ms  ours {ours:9.0f} ms"
        f"  ratios {theirs / ours:4.1f}x / {drawn / ours:4.1f}x faster  {_load()}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Print each figure beside the baseline and their ratio."""
    parser = argparse.ArgumentParser(prog="python -m bench pdf")
    parser.add_argument("--branches", type=int, default=50)
    args, _ = parser.parse_known_args(list(argv or []))
    plan20 = sample_plan(items=20)
    report, reviews = sample_report(), sample_reviews()
    cases: list[tuple[str, Callable[[], bytes]]] = [
        ("one paragraph in the reports frame", one_paragraph_report),
        (
            "plan, 20 items + report + reviews",
            lambda: build_plan_pdf(plan20, report=report, reviews=reviews),
        ),
        ("generic form (plan), 20 items", lambda: build_form_pdf("plan", plan20)),
        ("bulletin, 10 reports", lambda: build_bulletin_pdf(sample_bulletin(reports=10))),
        (
            "campaign dossier, 10 branches",
            lambda: build_campaign_dossier_pdf(sample_campaign_dossier(branches=10)),
        ),
    ]
    base_ms, base_size = median_ms(baseline_pdf)
    print(f"baseline: one-paragraph ReportLab PDF  {base_ms:8.2f} ms  {base_size:>8} bytes")
    for name, build in cases:
        ms, size = median_ms(build)
        print(
            f"pdf: {name:<36} {ms:8.2f} ms  {size:>8} bytes  "
            f"vs baseline {base_ms:.2f} ms  ratio {ms / base_ms:6.1f}x"
        )
    real_dossier(args.branches, base_ms)
    from_store(args.branches)
    against_reportlab()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

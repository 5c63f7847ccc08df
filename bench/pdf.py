"""``python -m bench pdf``: how long the PDF builders take, against a minimal ReportLab document.

The baseline is a one-paragraph ReportLab document (Helvetica, no embedded font) built in the same
process, so each figure is read as a ratio that holds across machines. Figures are medians of
several builds after one warm-up (the first build also registers and parses the CJK font).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from reports.bulletin import build_bulletin_pdf
from reports.campaign_dossier import build_campaign_dossier_pdf
from reports.document import doc_info, render
from reports.form import build_form_pdf
from reports.markup import para
from reports.plan import build_plan_pdf
from reports.samples import (
    sample_bulletin,
    sample_campaign_dossier,
    sample_plan,
    sample_report,
    sample_reviews,
)
from reports.styles import styles

REPEAT = 7


def baseline_pdf() -> bytes:
    """A one-paragraph A4 document, the least ReportLab can do."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    doc.build([Paragraph("Vanguard baseline paragraph.", getSampleStyleSheet()["Normal"])])
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


def main(argv: Sequence[str] | None = None) -> None:
    """Print each figure beside the baseline and their ratio (``argv`` is accepted, unused)."""
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


if __name__ == "__main__":
    main()

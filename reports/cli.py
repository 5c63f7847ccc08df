"""``python -m reports TYPE FILE.json -o OUT.pdf``: render one JSON file as a PDF, no app needed.

TYPE is any registered form type (``python -m forms list``: plan, study_session, summary, …) or
one of the documents below. FILE.json holds either the bare data or an envelope
``{"data": ..., "report": ..., "reviews": [...], "meta": {...}}`` where ``report`` is a rule
report (``python -m rules check`` output), ``reviews`` the review trail and ``meta`` may carry
``branch``, ``campaign``, ``status``, ``version``, ``generated_at``, ``author``.

Documents with their own data shapes (see each module's docstring):

  bulletin          {"issue": 3, "date": "2025-06-01", "reports": [{"title", "branch",
                     "category", "body", "author", "photographer", "reviewer"}]}
  commendation      {"date": "2025-07-01", "year": 2025, "issuer": "...", "certificates": true,
                     "entries": [{"award", "name", "branch"}]}
  branch_dossier    {"campaign": {"title", "year"}, "branch": {"name", "unit", "member_count",
                     "secretary", "central_work"}, "submissions": [{"form_type", "status",
                     "version", "data", "report", "reviews"}], "statistics": {...}}
  campaign_dossier  {"campaign": {"title", "year", "stage"}, "branches": [{"branch": {...},
                     "submissions": [...]}], "include_forms": true}
  rule_report       a rule report as printed by ``python -m rules check``

Exit status: 0 written; 2 bad input (unreadable file, not JSON, wrong fields: the message names
the field and the fix); 1 the PDF could not be written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError

from core.errors import BadInput
from forms.explain import explain_each
from forms.registry import FormRegistry, default_registry
from i18n import Lang, t
from reports.branch_dossier import BranchDossier, build_branch_dossier_pdf
from reports.bulletin import Bulletin, build_bulletin_pdf
from reports.campaign_dossier import CampaignDossier, build_campaign_dossier_pdf
from reports.commendation import Commendation, build_commendation_pdf
from reports.layouts import print_form, with_layouts
from reports.reviews import ReviewEntry
from reports.rule_report import build_rule_report_pdf
from reports.values import format_number
from rules.report import RuleReport

ENVELOPE_KEYS = frozenset({"data", "report", "reviews", "meta"})
EXIT_OK, EXIT_WRITE, EXIT_BAD_INPUT = 0, 1, 2

Builder = Callable[..., bytes]
DOCUMENTS: dict[str, tuple[type[BaseModel], Builder]] = {
    "bulletin": (Bulletin, build_bulletin_pdf),
    "commendation": (Commendation, build_commendation_pdf),
    "branch_dossier": (BranchDossier, build_branch_dossier_pdf),
    "campaign_dossier": (CampaignDossier, build_campaign_dossier_pdf),
    "rule_report": (RuleReport, build_rule_report_pdf),
}


@dataclass(frozen=True)
class Envelope:
    """The parts of an input file."""

    data: Any
    report: Any = None
    reviews: Any = ()
    meta: Any = None


def known_types() -> list[str]:
    """Every TYPE the command accepts."""
    return sorted(default_registry().all_forms()) + sorted(DOCUMENTS)


def _forms() -> FormRegistry:
    """The form types a file may hold: built-in and shipped YAML ones, with their layouts."""
    return with_layouts(default_registry())


def load_envelope(path: Path, lang: Lang) -> Envelope:
    """Read FILE.json as bare data or a ``{"data", "report", "reviews", "meta"}`` envelope."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise BadInput([t("reports.cli.unreadable", lang, file=path, reason=exc.strerror)]) from exc
    except UnicodeDecodeError as exc:
        raise BadInput([t("reports.cli.not_utf8", lang, file=path)]) from exc
    except json.JSONDecodeError as exc:
        line = t("reports.cli.not_json", lang, file=path, line=exc.lineno, col=exc.colno)
        raise BadInput([f"{line}{exc.msg}"]) from exc
    if isinstance(raw, dict) and "data" in raw and set(raw) <= ENVELOPE_KEYS:
        return Envelope(raw["data"], raw.get("report"), raw.get("reviews") or (), raw.get("meta"))
    return Envelope(raw)


def _shown(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


def describe(
    exc: ValidationError, model: type[BaseModel] | None, lang: Lang, prefix: str = ""
) -> list[str]:
    """One line per error (``forms.explain``), after ``prefix`` (the part of the input it is
    in, e.g. the rule report), with the value given when it was a single wrong value."""
    lines: list[str] = []
    for item in explain_each(exc, model, lang):
        text = f"{prefix} {item.message}" if prefix else item.message
        shown = item.kind not in ("missing", "extra_forbidden", "value_error")
        if shown and not isinstance(item.given, dict | list | BaseException):
            text += t("reports.error.given", lang, value=_shown(item.given))
        lines.append(text)
    return lines


def _validated(model: type[BaseModel], value: Any, lang: Lang, prefix: str = "") -> BaseModel:
    if not isinstance(value, dict):
        where = prefix or t("reports.path.form", lang)
        raise BadInput([t("reports.cli.not_object", lang, where=where)])
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise BadInput(describe(exc, model, lang, prefix)) from exc


def build(doc_type: str, envelope: Envelope, lang: Lang) -> bytes:
    """Validate the envelope for ``doc_type`` and build its PDF; raises ``BadInput``."""
    meta = envelope.meta if isinstance(envelope.meta, dict) else None
    if envelope.meta is not None and meta is None:
        raise BadInput([t("reports.cli.not_object", lang, where="meta")])
    if doc_type in DOCUMENTS:
        model, builder = DOCUMENTS[doc_type]
        return builder(_validated(model, envelope.data, lang), meta=meta, lang=lang)
    forms = _forms()
    form = _validated(forms.get(doc_type), envelope.data, lang)
    report = None
    if envelope.report is not None:
        prefix = t("reports.rules.heading", lang)
        report = _validated(RuleReport, envelope.report, lang, prefix).model_dump(mode="json")
    try:
        reviews = TypeAdapter(list[ReviewEntry]).validate_python(envelope.reviews)
    except ValidationError as exc:
        raise BadInput(describe(exc, None, lang, t("reports.reviews.heading", lang))) from exc
    data = form.model_dump(mode="json")
    options: dict[str, Any] = {"report": report, "reviews": reviews, "meta": meta, "lang": lang}
    return print_form(doc_type, data, **options, forms=forms)


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` so that a crash never leaves half a PDF behind."""
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parser(lang: Lang) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reports",
        description=t("reports.cli.description", lang),
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("type", metavar="TYPE", help=t("reports.cli.help_type", lang))
    parser.add_argument(
        "file", metavar="FILE.json", type=Path, help=t("reports.cli.help_file", lang)
    )
    parser.add_argument(
        "-o", "--output", required=True, type=Path, help=t("reports.cli.help_output", lang)
    )
    parser.add_argument("--lang", choices=("zh", "en"), default="zh", help="zh | en")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 cannot write, 2 bad input)."""
    args = _parser("zh").parse_args(argv)
    lang = cast(Lang, args.lang)
    if args.type not in known_types():
        print(
            t("reports.cli.unknown_type", lang, type=args.type, known="、".join(known_types())),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        pdf = build(args.type, load_envelope(args.file, lang), lang)
    except BadInput as exc:
        print(t("reports.cli.bad_input", lang, file=args.file), file=sys.stderr)
        for line in exc.lines:
            print(f"  - {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        write_atomically(args.output, pdf)
    except OSError as exc:
        print(
            t("reports.cli.cannot_write", lang, file=args.output, reason=exc.strerror),
            file=sys.stderr,
        )
        return EXIT_WRITE
    print(t("reports.cli.written", lang, file=args.output, size=len(pdf)))
    return EXIT_OK

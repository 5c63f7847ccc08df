"""A PDF of any registered form type, laid out from the model's own field metadata.

Fields are walked in model order and shown by their Chinese ``title`` (English ``label_en`` with
``lang="en"``): short values gather in a label/value table, long text (``widget="textarea"``)
gets a heading and flowing paragraphs, nested models become titled sub-sections, lists of models
become tables, attachments a file list with the photos among them printed beneath (when the
caller hands their bytes in, ``images``); computed fields follow the declared ones. Choice values
print as the field's ``options_zh`` / ``options_en`` texts in the report's language (a stored
``launch`` reads 启动阶段 or Launch); values without a text print as stored. Empty values print
as "—". Data that does not validate (a draft) is printed as stored rather than refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, Unpack

from pydantic import BaseModel, ValidationError
from reportlab.platypus import Flowable, Spacer

from forms.base import Attachment
from forms.registry import FormRegistry, default_registry
from forms.specs import FieldSpec, describe
from i18n import Lang, t
from i18n.numbers import format_percent
from reports.document import doc_info, render
from reports.images import image_flowables
from reports.labels import form_title
from reports.markup import para, para_lines
from reports.sections import heading, meta_block, review_trail_section, rule_report_section
from reports.styles import styles
from reports.tables import Cell, grid_table, kv_table
from reports.values import EMPTY, format_size, format_value, is_empty

Kind = Literal["scalar", "text", "tags", "model", "model_list", "files"]

_CN_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Layout:
    """How ``form_body`` lays fields out.

    ``numbered`` gives every field its own numbered section (一、二、…) as in the plan;
    ``skip`` names fields printed elsewhere (e.g. on a cover page); ``value_labels`` maps a
    field name to display texts of its stored codes (``{"stage": {"launch": "启动阶段"}}``),
    on top of the texts the fields' own ``options_zh`` / ``options_en`` give (``option_labels``).
    """

    numbered: bool = False
    skip: frozenset[str] = frozenset()
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    images: Mapping[str, bytes] = field(default_factory=dict)  # blob key → a photo's bytes


def option_labels(model: type[BaseModel], lang: Lang) -> dict[str, dict[str, str]]:
    """Field name → stored choice value → its text in ``lang``, for the fields of ``model``
    whose choices read differently from their stored values (``FieldSpec.option_text``)."""
    out: dict[str, dict[str, str]] = {}
    for spec in describe(model):
        codes = [*spec.options]
        for key in ("options_en", "options_zh"):
            names = spec.extra.get(key)
            codes += list(names) if isinstance(names, dict) else []
        texts = {str(code): spec.option_text(code, lang) for code in codes}
        texts = {code: text for code, text in texts.items() if code != text}
        if texts:
            out[spec.name] = texts
    return out


def _labels_for(
    model: type[BaseModel], lang: Lang, overrides: Mapping[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    labels = option_labels(model, lang)
    for name, texts in overrides.items():
        labels[name] = {**labels.get(name, {}), **texts}
    return labels


def field_kind(spec: FieldSpec) -> tuple[Kind, type[BaseModel] | None]:
    """How a field is printed, and the nested model for ``model`` / ``model_list`` fields."""
    if spec.kind == "computed":
        return "scalar", None
    if spec.kind == "file" or (spec.model is not None and issubclass(spec.model, Attachment)):
        return "files", None
    if spec.many:
        return ("model_list", spec.model) if spec.model is not None else ("tags", None)
    if spec.model is not None:
        return "model", spec.model
    if spec.widget == "textarea":
        return "text", None
    return "scalar", None


def prepared_data(model: type[BaseModel], data: Mapping[str, Any]) -> dict[str, Any]:
    """The data as JSON values with computed fields filled in, or as given if it does not
    validate (drafts are printed, not refused)."""
    try:
        return model.model_validate(dict(data)).model_dump(mode="json")
    except ValidationError:
        return dict(data)


def _section_title(label: str, index: int, lang: Lang) -> str:
    if lang == "en":
        return f"{index}. {label}"
    if index <= len(_CN_NUMERALS):
        numeral = _CN_NUMERALS[index - 1]
    else:
        numeral = "十" + _CN_NUMERALS[index - 11] if index < 20 else str(index)
    return f"{numeral}、{label}"


def _tags_cell(value: Any, widget: str | None, lang: Lang, labels: dict[str, str]) -> Cell:
    if is_empty(value) or not isinstance(value, list):
        return format_value(value, lang, labels)
    if widget == "tags":  # free strings, possibly long: one per line
        return para_lines([f"· {format_value(v, lang, labels)}" for v in value], styles().cell)
    return format_value(value, lang, labels)


def _shown(spec: FieldSpec, value: Any) -> Any:
    """``value``, or its percentage text for a ratio field (``field(..., percent=True)``)."""
    if spec.percent and isinstance(value, int | float) and not isinstance(value, bool):
        return format_percent(value)
    return value


def _column_weight(spec: FieldSpec) -> float:
    kind, _ = field_kind(spec)
    if kind == "text":
        return 3.0
    if spec.max_length is None or spec.max_length > 100:
        return 2.0
    # Dates and terms (2025-03-01, 2019年12月底) are short but must not wrap mid-date.
    return 1.4 if spec.max_length <= 20 else 1.0


def model_table(
    model: type[BaseModel], rows: list[Any], lang: Lang, value_labels: dict[str, dict[str, str]]
) -> Flowable:
    """A list of ``model`` records as a numbered table, one column per field (choice values
    in ``lang``, ``value_labels`` on top)."""
    labels = _labels_for(model, lang, value_labels)
    specs = [spec for spec in describe(model) if spec.stores_value]
    header = ["#"] + [spec.label(lang) for spec in specs]
    weights = [0.35] + [_column_weight(spec) for spec in specs]
    body: list[list[Cell]] = []
    for index, row in enumerate(rows, start=1):
        record = row if isinstance(row, Mapping) else {}
        cells: list[Cell] = [str(index)]
        for spec in specs:
            cells.append(
                format_value(_shown(spec, record.get(spec.name)), lang, labels.get(spec.name))
            )
        body.append(cells)
    return grid_table(header, body, weights)


def files_table(value: Any, lang: Lang) -> Flowable:
    """Attachments as a file list: name, type, size."""
    files = value if isinstance(value, list) else [value]
    header = [t(f"reports.files.{c}", lang) for c in ("name", "type", "size")]
    body: list[list[Cell]] = [
        [
            str(f.get("name") or EMPTY),
            str(f.get("content_type") or EMPTY),
            format_size(f.get("size")),
        ]
        for f in files
        if isinstance(f, Mapping)
    ]
    return grid_table(header, body, [5, 2.5, 1.5])


def _block(
    kind: Kind,
    sub: type[BaseModel] | None,
    value: Any,
    lang: Lang,
    level: int,
    value_labels: dict[str, dict[str, str]],
    labels: dict[str, str],
    images: Mapping[str, bytes],
) -> list[Flowable]:
    """The content under a field's heading (``labels``: texts of this field's choices;
    ``images``: the bytes of the photos among attachments, printed beneath their list)."""
    if is_empty(value):
        return [para(EMPTY, styles().body)]
    if kind == "model" and sub is not None and isinstance(value, Mapping):
        return form_body(
            sub,
            value,
            lang,
            level=level + 1,
            layout=Layout(value_labels=value_labels, images=images),
        )
    if kind == "model_list" and sub is not None and isinstance(value, list):
        return [model_table(sub, value, lang, value_labels), Spacer(1, 6)]
    if kind == "files":
        files = [
            f for f in (value if isinstance(value, list) else [value]) if isinstance(f, Mapping)
        ]
        photos = [
            (images[str(f.get("blob"))], str(f.get("caption") or f.get("name") or ""))
            for f in files
            if str(f.get("blob")) in images
        ]
        return [files_table(value, lang), *image_flowables(photos, lang), Spacer(1, 6)]
    if kind == "tags" and isinstance(value, list):
        texts = [format_value(v, lang, labels) for v in value]
        return [para_lines([f"· {text}" for text in texts], styles().body)]
    return [para(format_value(value, lang, labels), styles().body)]


def form_body(
    model: type[BaseModel],
    data: Mapping[str, Any],
    lang: Lang,
    *,
    level: int = 1,
    layout: Layout | None = None,
) -> list[Flowable]:
    """The fields of ``model`` filled from ``data``, in model order (see module docstring)."""
    layout = layout or Layout()
    choices = _labels_for(model, lang, layout.value_labels)
    out: list[Flowable] = []
    pending: list[tuple[str, Cell]] = []
    section = 0

    def flush() -> None:
        if pending:
            out.extend([kv_table(list(pending)), Spacer(1, 6)])
            pending.clear()

    for spec in describe(model):
        if spec.name in layout.skip:
            continue
        value = _shown(spec, data.get(spec.name))
        labels = choices.get(spec.name, {})
        if spec.relevant and is_empty(value):
            continue  # a conditional field that does not apply to this record
        kind, sub = field_kind(spec)
        label = spec.label(lang)
        if layout.numbered:
            section += 1
            out.append(heading(_section_title(label, section, lang), level))
            out.extend(
                _block(kind, sub, value, lang, level, layout.value_labels, labels, layout.images)
            )
        elif kind in ("scalar", "tags"):
            pending.append((label, _tags_cell(value, spec.widget, lang, labels)))
        else:
            flush()
            out.append(heading(label, level + 1))
            out.extend(
                _block(kind, sub, value, lang, level, layout.value_labels, labels, layout.images)
            )
    flush()
    return out


class FormPrintOptions(TypedDict, total=False):
    """The keywords of ``form_story`` that ``build_form_pdf`` passes on (see ``form_story``)."""

    report: Mapping[str, Any] | BaseModel | None
    reviews: Iterable[Mapping[str, Any] | BaseModel]
    meta: Mapping[str, Any] | None
    lang: Lang
    form_version: int | None
    forms: FormRegistry | None
    images: Mapping[str, bytes] | None


def form_story(
    form_type: str,
    data: Mapping[str, Any],
    *,
    report: Mapping[str, Any] | BaseModel | None = None,
    reviews: Iterable[Mapping[str, Any] | BaseModel] = (),
    meta: Mapping[str, Any] | None = None,
    lang: Lang = "zh",
    level: int = 1,
    form_version: int | None = None,
    forms: FormRegistry | None = None,
    images: Mapping[str, bytes] | None = None,
) -> list[Flowable]:
    """The flowables of one form (title, meta, fields, rule report, review trail).

    ``level`` 1 makes a stand-alone document; dossiers embed forms at level 2.
    ``form_version`` picks the version of the form in ``forms`` (default: the current one of
    ``default_registry()``). ``images`` holds the bytes of photo attachments by blob key.
    """
    forms = forms or default_registry()
    model = forms.get(form_type, form_version)
    title = form_title(form_type, lang, form_version, forms)
    story: list[Flowable] = [para(title, styles().title) if level == 1 else heading(title, level)]
    if meta and meta.get("branch") and meta.get("branch") == data.get("branch"):
        meta = {k: v for k, v in meta.items() if k != "branch"}  # printed with the fields
    story += meta_block(meta, lang)
    layout = Layout(images=dict(images or {}))
    story += form_body(model, prepared_data(model, data), lang, level=level, layout=layout)
    story += rule_report_section(
        report, lang, level=level + 1, form_version=form_version, forms=forms
    )
    story += review_trail_section(
        reviews, lang, form_type=form_type, level=level + 1, form_version=form_version, forms=forms
    )
    return story


def build_form_pdf(
    form_type: str, data: Mapping[str, Any], **options: Unpack[FormPrintOptions]
) -> bytes:
    """A PDF of one filled form of any type of ``forms`` (default ``default_registry()``).

    ``report`` is a ``rules.report.RuleReport`` dump, ``reviews`` are ``workflow.models.Review``
    dumps, ``meta`` may carry ``branch``, ``campaign``, ``status``, ``version``,
    ``generated_at`` and ``author``. ``form_version`` prints a stored submission with the
    labels of the form version it was filled in (default: the current version). Raises
    ``forms.registry.UnknownFormType``. The generic layout: ``FormType.pdf_builder`` names a
    form type's own.
    """
    story = form_story(form_type, data, **options)
    lang, meta = options.get("lang", "zh"), options.get("meta")
    title = form_title(form_type, lang, options.get("form_version"), options.get("forms"))
    branch = (meta or {}).get("branch") or data.get("branch")
    pdf_title = f"{title} · {branch}" if branch else title
    return render(story, doc_info(pdf_title, meta, lang, subject=form_type))

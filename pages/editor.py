"""The editor every form screen shares: fill, save a draft, check, submit, resolve a stale save.

Nothing typed is lost: the renderer keeps its widget state under a key that survives reruns
and page switches, and the revision the user started from is remembered in the session so a
save over someone else's change is caught (已被他人修改) instead of silently overwriting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from forms.base import FormModel
from forms.binding import STATISTICS, bound_fields
from forms.renderer import clear_form, escape_markdown, render_form, render_readonly, show_value
from forms.specs import describe
from forms.validation import validate
from i18n import format_time
from pages.common import field_errors, flash, guarded, lang, services, set_field_errors, tr
from pages.history_view import show_versions
from pages.report_view import latest_return, rule_notes, show_report, show_reviews
from workflow.errors import Conflict, RulesFailed, ValidationFailed
from workflow.models import Campaign, Status, Submission, User
from workflow.next_year import WeakPoint
from workflow.rule_checks import blocking_failures
from workflow.submissions import EDITABLE


@dataclass(frozen=True)
class _Editor:
    """One open editor: who edits which record of which form, under which session key."""

    user: User
    campaign: Campaign
    model: type[FormModel]
    submission: Submission | None
    key: str


def _state(key: str, submission: Submission | None, user: User) -> dict[str, Any]:
    """What the editor remembers: the data and revision the user's edits are based on."""
    if key not in st.session_state:
        st.session_state[key] = {
            "nonce": 0,
            "rev": submission.rev if submission else None,
            "data": dict(submission.data) if submission else _blank(user),
            "pristine": None,
        }
    state: dict[str, Any] = st.session_state[key]
    return state


def _blank(user: User) -> dict[str, Any]:
    """A new form's first data: the user's branch name (the server binds it on save anyway)."""
    branch = services().branches.get(user.branch_id) if user.branch_id else None
    return {"branch": branch.name if branch else ""}


def _restart(key: str, state: dict[str, Any], rev: int | None, data: dict[str, Any]) -> None:
    """Start the widgets over from ``data`` (new renderer key; the old one is forgotten)."""
    clear_form(f"{key}:{state['nonce']}")
    state.update(nonce=state["nonce"] + 1, rev=rev, data=dict(data), pristine=None)


def edit_submission(
    user: User,
    campaign: Campaign,
    model: type[FormModel],
    submission: Submission | None,
    *,
    key: str | None = None,
) -> None:
    """Show ``submission`` (or a new form of ``model``) with its report, reviews and actions.

    ``key`` names the editor's state in the session (default: per record, see ``key_for``).
    """
    key = key or key_for(model.form_type, submission.id if submission else None)
    if submission is not None:
        st.caption(
            tr("pages.editor.status_line", status=tr(f"status.{submission.status}"))
            + f" · {tr('pages.history.version_n', n=submission.version)}"
        )
        returned = latest_return(submission.reviews)
        if submission.status == Status.RETURNED and returned is not None:
            st.warning(tr("pages.editor.returned", reasons=escape_markdown(returned.reasons)))
    if submission is not None and submission.status not in EDITABLE:
        render_readonly(model, submission.data, lang=lang())
        _after_form(user, model, submission)
        return
    state = _state(key, submission, user)
    errors = _errors_to_show(key, submission)
    aside = [name for name, source in bound_fields(model).items() if source == STATISTICS]
    reminders = _weak_points(user, campaign, model)
    beside = bool(aside or reminders)
    form_col, side_col = st.columns([3, 1]) if beside else (st.container(), st.container())
    with form_col:
        values = render_form(
            model,
            state["data"],
            key=f"{key}:{state['nonce']}",
            lang=lang(),
            errors=errors,
            notes=rule_notes(st.session_state.get(f"{key}:report")),
            disabled=False,
            aside=aside,
            role=user.role,
            choices=services().branches.choices(user),
        )
    if aside:
        _figures_aside(user, campaign, model, aside, side_col)
    if reminders:
        with side_col:
            for point in reminders:
                st.info(
                    tr("pages.editor.weak_points", year=point.year, label=point.label)
                    + "\n\n"
                    + escape_markdown(point.text)
                )
    if state["pristine"] is None:
        state["pristine"] = values
    stale = submission is not None and submission.rev != state["rev"]
    if stale and values == state["pristine"] and not st.session_state.get(f"{key}:conflict"):
        # Someone changed it and this user typed nothing since: show the stored version.
        assert submission is not None
        _restart(key, state, submission.rev, submission.data)
        st.rerun()
    ed = _Editor(user, campaign, model, submission, key)
    if st.session_state.get(f"{key}:conflict"):
        _resolve_conflict(ed, values)
        return
    _autosave(ed, values)
    _actions(ed, values)
    _after_form(user, model, submission)


def _autosave(ed: _Editor, values: dict[str, Any]) -> None:
    """Save the draft whenever a field changed (Streamlit reruns on every widget change), so a
    reload, a closed tab or an ended sign-in loses at most the field being typed. Drafts may be
    invalid; the changed fields' old errors go, and what was shown is checked again."""
    state = st.session_state[ed.key]
    uploads = list(getattr(values, "uploads", []))
    if values == state["pristine"] and not uploads:
        return
    changed = _changed_fields(state["pristine"] or {}, values)
    with guarded(form_key=ed.key):  # a refused upload is named at its field
        saved = _save(ed, values)
        key = _moved(ed.key, ed.model.form_type, saved)
        st.session_state[key]["saved_at"] = saved.updated_at
        shown_again = _recheck(ed, key, saved, changed)
        # new widget keys, or errors and notes the form above was drawn with: draw it again
        if key != ed.key or uploads or shown_again:
            st.rerun()


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {name for name in {*before, *after} if before.get(name) != after.get(name)}


def _recheck(ed: _Editor, key: str, saved: Submission, changed: set[str]) -> bool:
    """After a save: drop the changed fields' errors, validate again what was shown as wrong,
    and check the rules again when their report is on screen. True when what the form shows
    at its fields changed."""
    errors = field_errors(key)
    report_key = f"{key}:report"
    before = (errors, st.session_state.get(report_key))
    if errors:
        kept = {
            path: message for path, message in errors.items() if path.split(".")[0] not in changed
        }
        _, fresh = validate(ed.model, saved.data, lang())
        set_field_errors(
            key, {p: m for p, m in fresh.items() if p in kept or p.split(".")[0] in changed}
        )
    if report_key in st.session_state:
        st.session_state[report_key] = services().submissions.preview_report(
            ed.user, saved.id, ed.model.form_type, saved.data, ed.campaign.id
        )
    return (field_errors(key), st.session_state.get(report_key)) != before


def _saved_at(key: str) -> None:
    """已自动保存 14:32 (local time), or what autosave does before the first save."""
    saved_at = st.session_state.get(key, {}).get("saved_at")
    if saved_at:
        st.caption(tr("pages.editor.autosaved", time=format_time(saved_at).split(" ")[-1]))
    else:
        st.caption(tr("pages.editor.autosave_hint"))


def _notice(key: str, kind: str, message: str) -> None:
    """A message about a button's outcome, shown under the buttons on the next run."""
    st.session_state[f"{key}:notice"] = (kind, message)


def _show_notice(key: str) -> None:
    found = st.session_state.pop(f"{key}:notice", None)
    if found:
        getattr(st, found[0])(found[1])


def _weak_points(user: User, campaign: Campaign, model: type[FormModel]) -> list[WeakPoint]:
    """What the user's branch named as its weak points last campaign, when this form recalls
    them (the plan): a reminder for its own staff only."""
    if not user.branch_id or not services().forms.form_type(model.form_type).recalls_weak_points:
        return []
    with guarded():
        return services().next_year.weak_points(user, campaign.id, model.form_type, user.branch_id)
    return []


def _figures_aside(
    user: User, campaign: Campaign, model: type[FormModel], names: list[str], col: Any
) -> None:
    """Figures the server counts from the branch's records, read-only beside the form and
    recounted on every run (they follow the records; saving binds them again anyway)."""
    with col, guarded():
        live = services().submissions.live_data(user, campaign.id, model.form_type, {})
        for spec in describe(model):
            if spec.name in names:
                show_value(spec, live.get(spec.name), lang())


def _errors_to_show(key: str, submission: Submission | None) -> dict[str, str]:
    """Validation errors of the last try, else the reviewer's per-field reasons of a return."""
    errors: dict[str, str] = {}
    if submission is not None and submission.status == Status.RETURNED:
        returned = latest_return(submission.reviews)
        if returned is not None:
            errors.update(
                {
                    path: tr("pages.editor.field_returned", reason=reason)
                    for path, reason in returned.field_reasons.items()
                }
            )
    errors.update(field_errors(key))
    return errors


def _save(ed: _Editor, values: dict[str, Any]) -> Submission:
    state = st.session_state[ed.key]
    uploads = list(getattr(values, "uploads", []))
    data = services().attachments.attach(ed.user, ed.model, dict(values), uploads)
    try:
        saved = services().submissions.save_draft(
            ed.user,
            campaign_id=ed.campaign.id,
            form_type=ed.model.form_type,
            data=data,
            submission_id=ed.submission.id if ed.submission else None,
            expected_rev=state["rev"],
        )
    except Conflict as exc:  # 已被他人修改: the next run shows both versions and the choices
        st.session_state[f"{ed.key}:conflict"] = {"mine": dict(values), "theirs": exc.current}
        st.rerun()
    state.update(rev=saved.rev, data=dict(saved.data), pristine=values)
    if uploads:  # the files are stored now: empty the file picker, list them as kept
        _restart(ed.key, state, saved.rev, saved.data)
    st.session_state[f"vg_ed_current:{ed.model.form_type}"] = saved.id
    return saved


def key_for(form_type: str, submission_id: str | None) -> str:
    """The session key of one record's editor (``new`` for a form not saved yet)."""
    return f"vg_ed:{form_type}:{submission_id or 'new'}"


def _moved(key: str, form_type: str, saved: Submission) -> str:
    """A new form just got its id: its editor state moves to the id's key (nothing is lost)."""
    if not key.endswith(":new"):
        return key
    new_key = key_for(form_type, saved.id)
    for suffix in ("", ":report", ":notice"):
        if key + suffix in st.session_state:
            st.session_state[new_key + suffix] = st.session_state.pop(key + suffix)
    clear_form(f"{key}:{st.session_state[new_key]['nonce']}")  # "+ new" starts blank again
    st.session_state[new_key]["nonce"] += 1  # the new key's widgets start from the saved data
    set_field_errors(new_key, field_errors(key))
    set_field_errors(key, {})
    return new_key


def _actions(ed: _Editor, values: dict[str, Any]) -> None:
    save_col, check_col, submit_col = st.columns(3)
    save = save_col.button(tr("common.save_draft"), key=f"{ed.key}:save")
    check = check_col.button(tr("pages.editor.check"), key=f"{ed.key}:check")
    submit = submit_col.button(tr("common.submit"), key=f"{ed.key}:submit", type="primary")
    _saved_at(ed.key)
    _show_notice(ed.key)
    if save:
        with guarded(form_key=ed.key):
            saved = _save(ed, values)
            key = _moved(ed.key, ed.model.form_type, saved)
            st.session_state[key]["saved_at"] = saved.updated_at
            set_field_errors(key, {})
            _notice(key, "success", tr("pages.editor.saved"))
            st.rerun()
    if check:
        with guarded(form_key=ed.key):
            report = services().submissions.preview_report(
                ed.user,
                ed.submission.id if ed.submission else None,
                ed.model.form_type,
                values,
                ed.campaign.id,
            )
            st.session_state[f"{ed.key}:report"] = report
            st.rerun()  # the form above is drawn again, its fields marked by the report
    if submit:
        _submit(ed, values)
    if f"{ed.key}:report" in st.session_state:  # checked: a report, or None without rules
        report = st.session_state[f"{ed.key}:report"]
        st.subheader(tr("pages.editor.report_title"))
        show_report(report, ed.model, link=True)


def _submit(ed: _Editor, values: dict[str, Any]) -> None:
    user, model, key = ed.user, ed.model, ed.key
    with guarded():
        saved = _save(ed, values)
        key = _moved(key, model.form_type, saved)
        try:
            services().submissions.submit(user, saved.id, saved.rev)
        except ValidationFailed as exc:
            set_field_errors(key, exc.errors)
            flash(tr("pages.error.validation", count=len(exc.errors)), "error")
            _notice(key, "error", tr("pages.error.validation", count=len(exc.errors)))
            st.session_state.pop(f"{key}:report", None)
            st.rerun()
        except RulesFailed as exc:
            set_field_errors(key, {})
            st.session_state[f"{key}:report"] = exc.report
            flash(_problem_list(exc), "error")  # above the form, one problem per line
            count = len(blocking_failures(exc.report)) or 1
            _notice(key, "error", tr("pages.editor.submit_stopped", n=count))
            st.rerun()
        set_field_errors(key, {})
        st.session_state.pop(f"{key}:report", None)
        done = st.session_state.pop(key, None)
        if done:
            clear_form(f"{key}:{done['nonce']}")
        flash(tr("pages.editor.submitted"))
        st.rerun()


def _problem_list(exc: RulesFailed) -> str:
    """The rule failures that stopped a submit, one per line as a list."""
    failures = blocking_failures(exc.report)
    if not failures:
        return exc.message(lang())
    english = lang() == "en"
    lines = [escape_markdown(r.message_en if english else r.message) for r in failures]
    title = tr("pages.editor.rules_failed", n=len(failures))
    return title + "\n\n" + "\n".join(f"- {line}" for line in lines)


def _resolve_conflict(ed: _Editor, values: dict[str, Any]) -> None:
    """已被他人修改: show both versions; keep mine, take theirs, or merge the two."""
    conflict = st.session_state[f"{ed.key}:conflict"]
    theirs: dict[str, Any] = conflict["theirs"] or {}
    state = st.session_state[ed.key]
    st.error(tr("pages.editor.conflict", who=theirs.get("updated_by", "?")))
    mine_col, theirs_col = st.columns(2)
    with mine_col:
        st.markdown(f"**{tr('pages.editor.conflict_mine')}**")
        render_readonly(ed.model, conflict["mine"], lang=lang())
    with theirs_col:
        st.markdown(f"**{tr('pages.editor.conflict_theirs')}**")
        render_readonly(ed.model, theirs.get("data", {}), lang=lang())
    keep, take, merge = st.columns(3)
    if keep.button(tr("pages.editor.keep_mine"), key=f"{ed.key}:keep"):
        state["rev"] = theirs.get("rev")
        _close_conflict(ed.key)
        with guarded():
            _moved(ed.key, ed.model.form_type, _save(ed, conflict["mine"]))
            flash(tr("pages.editor.saved"))
        st.rerun()
    if take.button(tr("pages.editor.take_theirs"), key=f"{ed.key}:take"):
        _close_conflict(ed.key)
        _restart(ed.key, state, theirs.get("rev"), theirs.get("data", {}))
        st.rerun()
    if merge.button(tr("pages.editor.merge"), key=f"{ed.key}:merge"):
        with guarded():
            assert ed.submission is not None  # a stale save is only possible on a stored record
            outcome = services().submissions.merge_conflict(
                ed.user, ed.submission.id, state["rev"], conflict["mine"]
            )  # both changed: the user's value is kept and the field named
            _close_conflict(ed.key)
            _restart(ed.key, state, outcome.rev, outcome.data)
            if outcome.clashes:
                flash(tr("pages.editor.merge_clashes", fields="、".join(outcome.labels)), "warning")
            else:
                flash(tr("pages.editor.merged"), "info")
            st.rerun()
    del values


def _close_conflict(key: str) -> None:
    st.session_state.pop(f"{key}:conflict", None)


def _after_form(user: User, model: type[FormModel], submission: Submission | None) -> None:
    """Reviews, version history with a compare, and the PDF download."""
    if submission is None:
        return
    if submission.reviews:
        with st.expander(tr("pages.editor.reviews"), expanded=submission.status == "returned"):
            show_reviews(submission.reviews, model)
    show_versions(user, submission)
    pdf_button(user, submission)


def pdf_button(user: User, submission: Submission) -> None:
    """下载PDF: the PDF is built only when the button is clicked."""

    def build() -> bytes:
        return services().documents.submission_pdf(user, submission.id)

    st.download_button(
        tr("pages.editor.download_pdf"),
        data=build,
        file_name=services().documents.filename(user, submission.id),
        mime="application/pdf",
        key=f"pdf:{submission.id}:{submission.rev}",
        on_click="ignore",
    )

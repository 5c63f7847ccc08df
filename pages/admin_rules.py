"""Admin: rule sets — change thresholds and phrase lists in a form or edit the YAML (saved as a
draft and linted on every change), run its tests, preview which stored submissions would change
outcome, publish or discard; versions."""

from __future__ import annotations

import streamlit as st

from i18n import format_time
from pages.common import flash, guarded, require_role, run, services, tr
from pages.impact_view import show_impact
from pages.text_editor import forget, kept_text, replace, text_editor
from workflow.models import Role
from workflow.rule_sets import DraftCheck, Setting

user = require_role(Role.ADMIN)
rule_sets = services().rule_sets
st.title(tr("rules.page.title"))

name = str(st.selectbox(tr("rules.page.pick"), rule_sets.names(), key="ar_name"))
TEXT = f"ar_text:{name}"
CHECK = f"ar_check:{name}"
EDITED = f"ar_edited:{name}"
IMPACT = f"ar_impact:{name}"
REV = f"ar_rev:{name}"  # the stored revision the editor's text is based on

if kept_text(TEXT) is None:
    st.session_state[REV] = rule_sets.draft_rev(name)
    replace(TEXT, run(rule_sets.draft_text, user, name) or "")


def _edited() -> None:
    # the save itself runs in the page body below, where its errors can be shown in place
    st.session_state[EDITED] = True


def _forget_editor() -> None:
    forget(TEXT)
    for key in (CHECK, IMPACT, REV):
        st.session_state.pop(key, None)


def _show_check(check: DraftCheck) -> None:
    if check.problems:
        st.error(tr("rules.page.lint_errors", count=len(check.problems)))
        st.code("\n".join(str(p) for p in check.problems), language=None)
        st.caption(tr("rules.page.tests_not_run"))
        return
    st.success(tr("rules.page.lint_ok"))
    failed = [o for o in check.tests if not o.ok]
    summary = tr(
        "rules.page.tests_result", passed=len(check.tests) - len(failed), failed=len(failed)
    )
    (st.error if failed else st.success)(summary)
    for outcome in check.tests:
        if outcome.ok:
            st.markdown(tr("rules.page.test_ok", name=outcome.name))
        else:
            st.markdown(
                tr(
                    "rules.page.test_failed",
                    name=outcome.name,
                    details="；".join(outcome.differences),
                )
            )
    if check.diff is not None:
        st.caption(tr("rules.page.diff"))
        st.code("\n".join(check.diff.lines()), language=None)


def _setting_input(setting: Setting) -> float | int | list[str]:
    key = f"ar_set:{name}:{setting.name}"
    label = f"{setting.name}（{setting.note}）" if setting.note else setting.name
    if setting.kind == "phrases":
        assert isinstance(setting.value, list)
        typed = st.text_area(
            label, value="\n".join(setting.value), key=key, help=tr("rules.page.settings_lines")
        )
        return [line.strip() for line in str(typed).split("\n") if line.strip()]
    assert isinstance(setting.value, int | float)
    if isinstance(setting.value, int):
        return int(st.number_input(label, value=setting.value, min_value=0, step=1, key=key))
    return float(
        st.number_input(label, value=float(setting.value), min_value=0.0, step=0.05, key=key)
    )


def _settings_form() -> None:
    """Thresholds and phrase lists without YAML: saved as the draft (tests keep the values
    they were written for), then previewed and published like any draft."""
    settings = run(rule_sets.settings, user, name) or []
    if not settings:
        return
    with st.expander(tr("rules.page.settings"), expanded=True):
        st.caption(tr("rules.page.settings_help"))
        with st.form(f"ar_settings_form:{name}"):
            values = {setting.name: _setting_input(setting) for setting in settings}
            submitted = st.form_submit_button(tr("rules.page.settings_save"))
    if submitted:
        saved = run(rule_sets.save_settings, user, name, values, base_rev=st.session_state[REV])
        if saved is not None:
            text, st.session_state[CHECK] = saved
            replace(TEXT, text)
            st.session_state[REV] = saved[1].rev
            st.session_state.pop(IMPACT, None)
            st.toast(tr("rules.page.draft_saved"))


_settings_form()
in_force = run(rule_sets.active, name)
if in_force is not None:
    st.caption(tr("rules.page.in_force", version=in_force.version, hash=in_force.hash[:12]))
text_editor(
    tr("rules.page.editor"),
    TEXT,
    height=480,
    help=tr("rules.page.editor_help"),
    on_change=_edited,
)
if st.session_state.pop(EDITED, False):
    saved = run(
        rule_sets.save_draft, user, name, st.session_state[TEXT], base_rev=st.session_state[REV]
    )
    if saved is not None:
        st.session_state[REV] = saved.rev
        st.session_state[CHECK] = saved
        st.session_state.pop(IMPACT, None)
        st.toast(tr("rules.page.draft_saved"))

tests_col, impact_col, publish_col, discard_col = st.columns(4)
if tests_col.button(tr("rules.page.run_tests"), key="ar_tests"):
    checked = run(rule_sets.check_draft, user, name, st.session_state[TEXT])
    if checked is not None:
        st.session_state[CHECK] = checked
if impact_col.button(tr("rules.page.impact"), key="ar_impact"):
    st.session_state[IMPACT] = run(
        services().batch_checks.preview_impact, user, name, st.session_state[TEXT]
    )
if publish_col.button(tr("rules.page.publish"), key="ar_publish", type="primary"):
    with guarded():
        shown = rule_sets.save_draft(  # publish what is shown
            user, name, st.session_state[TEXT], base_rev=st.session_state[REV]
        )
        number = rule_sets.publish(user, name, base_rev=shown.rev)
        flash(tr("rules.page.published", number=number))
        _forget_editor()
        st.rerun()
if discard_col.button(tr("rules.page.discard"), key="ar_discard"):
    with guarded():
        rule_sets.discard(user, name, base_rev=st.session_state[REV])
        flash(tr("rules.page.discarded"))
        _forget_editor()
        st.rerun()

check = st.session_state.get(CHECK)
if isinstance(check, DraftCheck):
    _show_check(check)

impact = st.session_state.get(IMPACT)
if impact is not None:
    total, rows = impact
    show_impact(total, rows, tr("rules.page.impact_none"))

st.subheader(tr("rules.page.versions"))
history = run(rule_sets.history, user, name) or []
st.dataframe(
    [
        {
            tr("rules.page.number"): str(row["number"] or tr("rules.page.shipped")),
            tr("rules.page.version"): str(row["version"]),
            tr("rules.page.hash"): str(row["hash"])[:12],
            tr("rules.page.by"): str(row["by"]),
            tr("rules.page.at"): format_time(row["at"]),
            tr("rules.page.in_force_col"): "✓" if row["in_force"] else "",
        }
        for row in history
    ],
    hide_index=True,
)

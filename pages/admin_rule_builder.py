"""Admin: simple rules of a form without YAML — pick a field, a condition, a severity, points and
a message; the rule goes into the draft of the form's rule set (``workflow.rule_builder``),
whose lint and tests show at once; preview which submitted forms change outcome, then publish.
Rules too complex for the builder are listed read-only (the 规则集 screen edits them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from forms.markdown import escape_label, escape_markdown
from pages.common import flash, guarded, lang, require_role, run, services, tr
from pages.impact_view import show_impact
from workflow.models import Role
from workflow.rule_builder import (
    DEFAULT_PHRASES,
    SEVERITIES,
    FieldChoice,
    FormRules,
    RuleSource,
    SimpleRule,
)
from workflow.rule_sets import DraftCheck

user = require_role(Role.ADMIN)
builder = services().rule_builder
st.title(tr("builder.rules.title"))
st.caption(tr("builder.rules.intro"))

kinds = {ft.name: ft for ft in services().forms.form_types()}
form_type = str(
    st.selectbox(
        tr("builder.rules.form"),
        list(kinds),
        format_func=lambda n: f"{kinds[n].title(lang())}({n})",
        key="rb:form",
    )
)
CHECK, IMPACT = f"rb:check:{form_type}", f"rb:impact:{form_type}"


def _shown(number: float | None) -> str:
    return "" if number is None else f"{number:g}"


def _describe(rule: SimpleRule, labels: dict[str, str]) -> dict[str, str]:
    if rule.condition == "number_range":
        detail = f"{_shown(rule.number)}–{_shown(rule.upper)}"
    elif rule.condition == "date_before":
        detail = rule.date
    elif rule.condition == "no_boilerplate":
        detail = tr("builder.rules.phrase_count", n=len(rule.phrases))
    else:
        detail = "" if rule.number is None else f"{rule.number:g}"
    return {
        tr("builder.rules.col.id"): rule.id,
        tr("builder.rules.col.field"): labels.get(rule.field, rule.field),
        tr("builder.rules.col.condition"): tr(f"builder.cond.{rule.condition}"),
        tr("builder.rules.col.detail"): detail,
        tr("builder.rules.col.severity"): tr(f"builder.severity.{rule.severity}"),
        tr("builder.rules.col.points"): "" if rule.points is None else f"{rule.points:g}",
        tr("builder.rules.col.message"): rule.message_en if lang() == "en" else rule.message_zh,
    }


def _rule_inputs(fields: list[FieldChoice]) -> SimpleRule | None:
    """The rule being added, from the inputs (None while no field can take one)."""
    if not fields:
        st.info(tr("builder.rules.no_fields"))
        return None
    by_name = {f.name: f for f in fields}
    field_col, condition_col = st.columns(2)
    name = str(
        field_col.selectbox(
            tr("builder.rules.field"),
            list(by_name),
            format_func=lambda n: by_name[n].label,
            key="rb:field",
        )
    )
    choice = by_name[name]
    condition = str(
        condition_col.selectbox(
            tr("builder.rules.condition"),
            choice.conditions,
            format_func=lambda c: tr(f"builder.cond.{c}"),
            key="rb:condition",
        )
    )
    number = upper = None
    date = ""
    phrases: tuple[str, ...] = ()
    if condition in ("min_chars", "min_items"):
        number = float(st.number_input(tr("builder.rules.n"), 1, 100_000, 10, key="rb:n"))
    elif condition == "number_range":
        low_col, high_col = st.columns(2)
        low = low_col.number_input(tr("builder.rules.low"), value=None, key="rb:low")
        high = high_col.number_input(tr("builder.rules.high"), value=None, key="rb:high")
        number = None if low is None else float(low)
        upper = None if high is None else float(high)
    elif condition == "date_before" and choice.kind.endswith("month"):  # YYYY-MM
        date = str(st.text_input(tr("builder.rules.month"), placeholder="2026-03", key="rb:month"))
    elif condition == "date_before":
        picked = st.date_input(
            tr("builder.rules.date"), value=None, min_value=dt.date(1900, 1, 2), key="rb:date"
        )
        date = picked.isoformat() if isinstance(picked, dt.date) else ""
    elif condition == "distinct":
        number = float(
            st.number_input(tr("builder.rules.share"), 0.05, 0.95, 0.8, 0.05, key="rb:share")
        )
    elif condition == "no_boilerplate":
        typed = st.text_area(
            tr("builder.rules.phrases"), "\n".join(DEFAULT_PHRASES), key="rb:phrases"
        )
        phrases = tuple(line.strip() for line in str(typed).split("\n")[:200] if line.strip())
    severity_col, points_col = st.columns(2)
    severity = str(
        severity_col.radio(
            tr("builder.rules.severity"),
            SEVERITIES,
            format_func=lambda s: tr(f"builder.severity.{s}"),
            horizontal=True,
            key="rb:severity",
        )
    )
    points = points_col.number_input(
        tr("builder.rules.points"), min_value=0.0, value=None, step=0.5, key="rb:points"
    )
    return SimpleRule(
        id=f"{name}_{condition}",
        field=name,
        condition=condition,
        severity=severity,
        number=number,
        upper=upper,
        date=date,
        phrases=phrases,
        points=float(points) if points else None,
    )


def _show_check(check: DraftCheck) -> None:
    if check.problems:
        st.error(tr("rules.page.lint_errors", count=len(check.problems)))
        st.code("\n".join(str(p) for p in check.problems), language=None)
        return
    failed = [o for o in check.tests if not o.ok]
    (st.error if failed else st.success)(
        tr("rules.page.tests_result", passed=len(check.tests) - len(failed), failed=len(failed))
    )
    for outcome in failed:
        st.markdown(
            tr("rules.page.test_failed", name=escape_markdown(outcome.name),
               details=escape_markdown("；".join(outcome.differences)))
        )  # fmt: skip


def _rules_section(current: FormRules, labels: dict[str, str]) -> None:
    st.subheader(tr("builder.rules.rule_set", name=current.name))
    if current.simple:
        st.dataframe([_describe(r, labels) for r in current.simple], hide_index=True)
        remove_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
        picked = remove_col.selectbox(
            tr("builder.rules.remove_pick"), [r.id for r in current.simple], key="rb:remove_pick"
        )
        if button_col.button(tr("builder.rules.remove"), key="rb:remove"):
            st.session_state[CHECK] = builder.remove_rule(
                user, form_type, str(picked), base_rev=current.rev
            )
            st.session_state.pop(IMPACT, None)
            st.rerun()
    else:
        st.caption(tr("builder.rules.none"))
    if current.complex:
        with st.expander(tr("builder.rules.complex", n=len(current.complex))):
            st.caption(tr("builder.rules.complex_help"))
            for rule_id, text in current.complex:
                st.markdown(f"**{escape_markdown(rule_id)}**")
                st.code(text, language="yaml")


def _source_name(source: RuleSource) -> str:
    key = "builder.copy.shipped" if source.number == 0 else "builder.copy.published"
    return tr(key, name=source.name, number=source.number, version=source.version or "-")


def _copy_section(current: FormRules, labels: dict[str, str]) -> None:
    """从其他规则集复制: pick a source, tick its simple rules that fit, add them to the draft."""
    with st.expander(tr("builder.copy.title")):
        st.caption(tr("builder.copy.intro"))
        sources = {f"{s.name}@{s.number}": s for s in builder.copy_sources(user)}
        picked = st.selectbox(
            tr("builder.copy.source"),
            list(sources),
            format_func=lambda k: _source_name(sources[k]),
            key=f"rb:copy_source:{form_type}",
        )
        if picked is None:
            return
        source = sources[str(picked)]
        choice = builder.copy_choice(user, form_type, source)
        ticked = [
            rule.id
            for rule in choice.fitting
            if st.checkbox(
                escape_label(" · ".join(v for v in _describe(rule, labels).values() if v)),
                value=True,
                key=f"rb:copy:{picked}:{rule.id}",
            )
        ]
        if not choice.fitting:
            st.info(tr("builder.copy.none_fit"))
        if choice.not_fitting:
            st.caption(
                tr("builder.copy.not_fitting", ids=escape_markdown("、".join(choice.not_fitting)))
            )
        if st.button(tr("builder.copy.button"), key="rb:copy", disabled=not choice.fitting):
            check = run(
                builder.copy_rules,
                user,
                form_type,
                source,
                ticked,
                base_rev=current.rev,
                success=tr("builder.copy.done", n=len(ticked)),
            )
            if check is not None:
                st.session_state[CHECK] = check
                st.session_state.pop(IMPACT, None)
                st.rerun()


with guarded():
    current = builder.rules(user, form_type)
    fields = builder.fields(user, form_type)
    labels = {f.name: f.label for f in fields}
    _rules_section(current, labels)
    _copy_section(current, labels)

    st.subheader(tr("builder.rules.add"))
    rule = _rule_inputs(fields)
    if rule is not None:
        suggested_zh, suggested_en = builder.suggestion(user, form_type, rule)
        message_zh = st.text_area(
            tr("builder.rules.message_zh"), key="rb:message_zh", placeholder=suggested_zh
        )
        message_en = st.text_input(
            tr("builder.rules.message_en"), key="rb:message_en", placeholder=suggested_en
        )
        st.caption(tr("builder.rules.suggested", text=escape_markdown(suggested_zh)))
        if st.button(tr("builder.rules.save"), key="rb:save", type="primary"):
            st.session_state[CHECK] = builder.save_rule(
                user,
                form_type,
                replace(rule, message_zh=message_zh, message_en=message_en),
                base_rev=current.rev,
            )
            st.session_state.pop(IMPACT, None)
            flash(tr("builder.rules.saved", id=rule.id))
            st.rerun()

    check = st.session_state.get(CHECK)
    if isinstance(check, DraftCheck):
        _show_check(check)
    impact_col, publish_col = st.columns(2)
    if impact_col.button(tr("rules.page.impact"), key="rb:impact"):
        st.session_state[IMPACT] = builder.impact(user, form_type)
    if publish_col.button(tr("rules.page.publish"), key="rb:publish", type="primary"):
        number, linked = builder.publish(user, form_type, base_rev=current.rev)
        flash(tr("rules.page.published", number=number))
        if linked is not None:
            flash(tr("builder.rules.linked", version=linked))
        for key in (CHECK, IMPACT):
            st.session_state.pop(key, None)
        st.rerun()
    impact = st.session_state.get(IMPACT)
    if impact is not None:
        total, rows = impact
        show_impact(total, rows, tr("builder.rules.impact_none", total=total))

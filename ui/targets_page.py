"""Mục tiêu & kinh phí: the plan's targets with status and progress, entry of actuals, funding and reports.

Everything shown comes from :mod:`reports.plan_inputs` (the same figures as ``baoyen targets`` and the
report), the status rule is :data:`analysis.targets.STATUS_RULES`, the funding check
:func:`analysis.funding.consistency_check`. Entries are appended to the store (``target_actuals``,
``disbursements``) in one transaction each, stamped with who and when.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from analysis.funding import (
    by_project,
    by_sector,
    by_source,
    consistency_check,
    disbursement_summary,
    sector_reconciliation,
    statements_from_frames,
)
from analysis.targets import (
    PLAN_END,
    STATUS_COLORS,
    STATUS_RULES,
    STATUSES,
    TargetResult,
    evidence_text,
    last_closed_period,
    next_report_deadline,
    overdue_count,
    status_counts,
    status_label,
    with_deadline,
)
from geo.errors import PlanError
from geo.numbers import format_number
from services.targets import (
    ISSUER_DEFAULT,
    PlanInputs,
    build_report,
    gather_inputs,
    parse_issuer,
    record_actual,
    record_disbursement,
    report_periods,
    targets_status,
)
from ui import common, state
from ui.common import lang, show_error, tr
from ui.display import editor_label, number_table, when_text
from ui.escape import html_text


def _fmt(value: float | None, language: str, digits: int = 2) -> str:
    """A figure in the session's locale with at most ``digits`` decimals ("6.699,5" in Vietnamese)."""
    if value is None:
        return "—"
    return format_number(round(float(value), digits), language)


def _badge(status: str, language: str, deadline_note: str = "") -> str:
    """A status as a coloured badge, with its deadline wording ("quá hạn (hạn 2025)") when it is late."""
    color = STATUS_COLORS.get(status, "#bdbdbd")
    return (
        f"<span style='background:{color};color:#111;padding:2px 8px;border-radius:8px;font-size:0.85em;"
        "white-space:nowrap'>"
        f"{html_text(with_deadline(status_label(status, language), deadline_note))}</span>"
    )


def _card(result: TargetResult, language: str) -> None:
    target = result.target
    with st.container(border=True):
        st.markdown(
            f"**{html_text(target.label)} {html_text(target.title(language))}** &nbsp; "
            f"{_badge(result.status, language, result.deadline_note(language))}",
            unsafe_allow_html=True,
        )
        for mr in result.measures:
            m = mr.measure
            method = tr(f"targets.method.{m.method}")
            line = html_text(
                f"{m.label(language)} — {tr('targets.goal')}: {m.goal_text(language)} {m.unit_label(language)}; "
                f"{tr('targets.actual')}: {_fmt(mr.actual, language)}; {method}"
            )
            st.markdown(
                f"{line} &nbsp; {_badge(mr.status, language, mr.deadline_note(language))}", unsafe_allow_html=True
            )
            if mr.progress_pct is not None:
                st.progress(
                    min(max(mr.progress_pct, 0.0), 100.0) / 100.0,
                    text=f"{tr('targets.progress')}: {_fmt(mr.progress_pct, language, 1)} %",
                )
            st.caption(f"{tr('targets.basis')}: {mr.text(language)}")
        with st.expander(tr("targets.plan_text")):
            st.write(target.text(language))
            st.caption(f"{tr('targets.source')}: {target.source} · {tr('targets.responsible')}: {target.responsible}")
            if any(mr.evidence for mr in result.measures):
                lines = [evidence_text(e, language) for mr in result.measures for e in mr.evidence]
                st.caption(f"{tr('targets.evidence')}: " + "; ".join(lines))


def _targets_section(inputs: PlanInputs, as_of: dt.date, language: str) -> None:
    results = targets_status(common.store(), as_of=as_of, lang=language, inputs=inputs).results
    counts = status_counts(results)
    cols = st.columns(len(STATUSES))
    for col, status in zip(cols, STATUSES, strict=True):
        col.metric(status_label(status, language), counts[status])
    if as_of > PLAN_END:
        st.warning(tr("targets.plan_ended").format(n=overdue_count(results)))
    with st.expander(tr("targets.rules")):
        st.write(STATUS_RULES[language])
        for note in inputs.note_texts(language):
            st.caption(note)
    st.markdown(f"#### {tr('targets.section.cards')}")
    left, right = st.columns(2)
    for n, result in enumerate(results):
        with left if n % 2 == 0 else right:
            _card(result, language)


def _entry_section(inputs: PlanInputs, language: str) -> None:
    st.markdown(f"#### {tr('targets.section.entry')}")
    st.caption(tr("targets.entry.help"))
    choices = [(t, m) for t in inputs.targets for m in t.measures if m.method == "recorded"]
    labels = [f"{t.label} {m.label(language)} ({m.unit_label(language)})" for t, m in choices]
    with st.form("targets_actual_form", clear_on_submit=True):
        pick = st.selectbox(tr("targets.entry.measure"), range(len(choices)), format_func=lambda i: labels[i])
        period = st.text_input(tr("targets.entry.period"), value=last_closed_period(dt.date.today()).label)
        value = st.text_input(tr("targets.entry.value"))
        source = st.text_input(tr("targets.entry.source"))
        note = st.text_input(tr("targets.entry.note"))
        submitted = st.form_submit_button(tr("targets.entry.submit"))
    if submitted:
        target, measure = choices[int(pick)]
        try:
            done = record_actual(
                common.store(),
                actor=common.actor(),
                target_id=target.id,
                measure=measure.key,
                period=period,
                value=value,
                source=source,
                note=note,
            )
        except PlanError as exc:
            show_error(exc)
        else:
            rec, user = done.row, done.user
            st.session_state[state.TARGETS_SAVED] = tr("targets.entry.saved").format(
                what=f"{target.label} {measure.label(language)}",
                value=_fmt(float(rec["value"]), language),
                unit=measure.unit_label(language),
                period=rec["period"],
                user=user,
            )
            st.rerun()
    history = inputs.actuals
    with st.expander(tr("targets.entry.history")):
        if history.empty:
            st.caption(tr("targets.entry.none"))
        else:
            st.dataframe(number_table(_history(history, inputs, language), language), hide_index=True, width="stretch")


def _funding_section(inputs: PlanInputs, as_of: dt.date, language: str) -> None:
    lines, costs = inputs.funding_lines, inputs.project_costs
    st.markdown(f"#### {tr('targets.section.funding')}")
    left, right = st.columns(2)
    src = by_source(lines, lang=language)
    left.caption(tr("targets.funding.by_source"))
    left.bar_chart(src.set_index("label")["stated_bn_vnd"], horizontal=True)
    sec = by_sector(lines, lang=language).groupby("label", sort=False)["amount_bn_vnd"].sum()
    right.caption(tr("targets.funding.by_sector"))
    right.bar_chart(sec, horizontal=True)
    _table(
        src,
        {
            "label": tr("targets.col.label"),
            "stated_bn_vnd": tr("targets.col.stated"),
            "parts_bn_vnd": tr("targets.col.parts"),
        },
    )
    st.markdown(f"**{tr('targets.funding.checks')}**")
    st.caption(tr("targets.funding.checks_help"))
    findings = consistency_check(lines, costs)
    if not findings:
        st.success(tr("targets.funding.none"))
    for f in findings:
        st.warning(f.message(language))
    with st.expander(tr("targets.funding.reconciliation")):
        rec = sector_reconciliation(lines, costs, lang=language)
        _table(
            rec,
            {
                "label": tr("targets.col.label"),
                "line_bn_vnd": tr("targets.col.line"),
                "itemised_bn_vnd": tr("targets.col.itemised"),
                "not_itemised_bn_vnd": tr("targets.col.rest"),
                "projects": tr("targets.col.projects"),
            },
        )
    with st.expander(tr("targets.funding.projects")):
        projects = by_project(costs, lang=language)
        _table(
            projects,
            {
                "label": tr("targets.col.label"),
                "source": tr("targets.col.section"),
                "amount_bn_vnd": tr("targets.col.amount"),
            },
        )
    st.markdown(f"#### {tr('targets.section.disbursement')}")
    summary = disbursement_summary(inputs.disbursements, lines, costs, as_of=as_of, lang=language)
    if summary.empty:
        st.caption(tr("targets.disb.none"))
    else:
        st.dataframe(
            number_table(
                summary[["label", "planned_bn_vnd", "disbursed_bn_vnd", "disbursed_pct", "periods"]].rename(
                    columns={
                        "label": tr("targets.col.label"),
                        "planned_bn_vnd": tr("targets.col.planned"),
                        "disbursed_bn_vnd": tr("targets.col.disbursed"),
                        "disbursed_pct": tr("targets.col.share"),
                        "periods": tr("targets.col.periods"),
                    }
                ),
                language,
            ),
            hide_index=True,
            width="stretch",
        )
    statements = statements_from_frames(lines, costs)
    with st.form("targets_disbursement_form", clear_on_submit=True):
        pick = st.selectbox(
            tr("targets.disb.line"),
            range(len(statements)),
            format_func=lambda i: f"{statements[i].label(language)} ({statements[i].section})",
        )
        period = st.text_input(tr("targets.entry.period"), value=last_closed_period(dt.date.today()).label)
        amount = st.text_input(tr("targets.disb.amount"))
        source = st.text_input(tr("targets.entry.source"))
        submitted = st.form_submit_button(tr("targets.disb.submit"))
    if submitted:
        line = statements[int(pick)]
        try:
            done = record_disbursement(
                common.store(),
                actor=common.actor(),
                line_id=line.id,
                period=period,
                amount_bn_vnd=amount,
                source=source,
            )
        except PlanError as exc:
            show_error(exc)
        else:
            st.session_state[state.TARGETS_SAVED] = tr("targets.disb.saved").format(
                amount=_fmt(float(done.row["amount_bn_vnd"]), language),
                line=line.label(language),
                period=done.row["period"],
                user=done.user,
            )
            st.rerun()


def _table(frame: pd.DataFrame, labels: dict[str, str]) -> None:
    """Show the columns named in ``labels`` (column -> label in the session language), in that order."""
    st.dataframe(number_table(frame[list(labels)].rename(columns=labels), lang()), hide_index=True, width="stretch")


def _history(history: pd.DataFrame, inputs: PlanInputs, language: str) -> pd.DataFrame:
    """The recorded values, newest first, as the page writes them.

    The target and measure by their labels, the unit in words, who and when as the other pages write them.
    """
    measures = {(m.target_id, m.key): (t, m) for t in inputs.targets for m in t.measures}

    def what(row: pd.Series) -> str:
        hit = measures.get((str(row["target_id"]), str(row["measure"])))
        return f"{hit[0].label} {hit[1].label(language)}" if hit else f"{row['target_id']} {row['measure']}"

    def unit(row: pd.Series) -> str:
        hit = measures.get((str(row["target_id"]), str(row["measure"])))
        return hit[1].unit_label(language) if hit and str(row["unit"]) == hit[1].unit else str(row["unit"] or "")

    rows = history.iloc[::-1]
    return pd.DataFrame(
        {
            tr("targets.entry.measure"): [what(r) for _, r in rows.iterrows()],
            tr("targets.entry.period"): rows["period"].astype(str).to_numpy(),
            tr("targets.entry.value"): rows["value"].astype(float).to_numpy(),
            tr("targets.col.unit"): [unit(r) for _, r in rows.iterrows()],
            tr("targets.entry.source"): rows["source"].fillna("").astype(str).to_numpy(),
            tr("targets.entry.note"): rows["note"].fillna("").astype(str).to_numpy(),
            tr("targets.col.user"): [editor_label(u, language) for u in rows["user"]],
            tr("targets.col.recorded_at"): [when_text(a, language) for a in rows["recorded_at"]],
        }
    )


def _report_section(language: str) -> None:
    st.markdown(f"#### {tr('targets.section.report')}")
    left, mid, right = st.columns([2, 1, 1])
    periods, due = report_periods(dt.date.today())
    labels = [p.label for p in periods]
    titles = {p.label: p.title(language) for p in periods}
    period = left.selectbox(
        tr("targets.report.period"),
        labels,
        index=labels.index(due.label) if due.label in labels else 0,
        format_func=lambda label: f"{titles[label]} ({label})",
    )
    report_lang = mid.selectbox(
        tr("targets.report.lang"),
        ("vi", "en"),
        index=0 if language == "vi" else 1,
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
    )
    issuer_text = st.text_input(
        tr("targets.report.issuer"), value=" | ".join(ISSUER_DEFAULT), help=tr("targets.report.issuer_help")
    )
    if right.button(tr("targets.report.make"), width="stretch"):
        try:
            store = common.store()
            issuer = parse_issuer(issuer_text)
            st.session_state[state.TARGETS_REPORT] = {
                "period": period,
                "lang": report_lang,
                "docx": build_report(store, period, fmt="docx", lang=report_lang, issuer=issuer).data,
                "xlsx": build_report(store, period, fmt="xlsx", lang=report_lang, issuer=issuer).data,
            }
        except PlanError as exc:
            show_error(exc)
    made = st.session_state.get(state.TARGETS_REPORT)
    if made:
        from analysis.targets import parse_period

        st.success(tr("targets.report.ready").format(title=parse_period(made["period"]).title(language)))
        name = f"bao_cao_{made['period']}"
        a, b = st.columns(2)
        a.download_button(
            tr("targets.report.docx"),
            made["docx"],
            file_name=f"{name}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        b.download_button(
            tr("targets.report.xlsx"),
            made["xlsx"],
            file_name=f"{name}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


def render() -> None:
    language = lang()
    st.subheader(tr("targets.title"))
    st.caption(tr("targets.caption"))
    today = dt.date.today()
    nxt = next_report_deadline(today)
    st.info(
        tr("targets.next_report").format(
            title=nxt.period.title(language), due=nxt.due.strftime("%d/%m/%Y"), days=nxt.days_left
        )
    )
    common.show_flash(state.TARGETS_SAVED)
    as_of = st.date_input(tr("targets.as_of"), value=today, key=state.TARGETS_AS_OF, format="DD/MM/YYYY")
    try:
        inputs = gather_inputs(common.store(), as_of=as_of)
    except PlanError as exc:
        show_error(exc)
        return
    _targets_section(inputs, as_of, language)
    _entry_section(inputs, language)
    _funding_section(inputs, as_of, language)
    _report_section(language)

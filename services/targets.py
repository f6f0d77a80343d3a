"""Targets, funding and the periodic reports: status on a day, the budget check, recording, building a report.

The page and the command show the same figures because both call these; the acting user is recorded with every
appended row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.funding import (
    Finding,
    by_sector,
    by_source,
    consistency_check,
    new_disbursement_row,
    sector_reconciliation,
)
from analysis.targets import (
    STATUS_RULES,
    ReportDue,
    ReportPeriod,
    TargetResult,
    new_actual_row,
    next_report_deadline,
    parse_number,
    parse_period,
    status_counts,
    targets_from_frames,
)
from geo.errors import InputDataError
from geo.text import nfc
from layers.store import Store
from reports.plan_inputs import PlanInputs, evaluate, gather
from reports.report import ISSUER_DEFAULT
from reports.report import build_report as _build_report
from services.accounts import require
from services.context import Actor

REPORT_FORMATS = ("docx", "xlsx")

__all__ = [
    "ISSUER_DEFAULT",
    "REPORT_FORMATS",
    "PlanInputs",
    "as_of_day",
    "budget_check",
    "build_report",
    "gather_inputs",
    "parse_issuer",
    "record_actual",
    "record_disbursement",
    "report_periods",
    "targets_status",
]


def as_of_day(*, period: str | None = None, day: dt.date | None = None, today: dt.date | None = None) -> dt.date:
    """The day targets are evaluated on: the end of ``period``, else ``day``, else today (not both)."""
    if period and day:
        raise InputDataError("give either a day or a period, not both", code="targets.day_and_period")
    if period:
        return parse_period(period).end
    return day or today or dt.date.today()


@dataclass(frozen=True)
class TargetsStatus:
    """Every target's status on a day, with the next report due and the notes on the inputs."""

    as_of: dt.date
    inputs: PlanInputs
    results: tuple[TargetResult, ...]
    next_report: ReportDue
    lang: str

    @property
    def counts(self) -> dict[str, int]:
        """Targets per status."""
        return status_counts(self.results)

    def to_dict(self) -> dict[str, Any]:
        """The targets JSON: as_of, counts, next_report, rules, notes, targets with their measures."""
        lang, nxt = self.lang, self.next_report
        return {
            "as_of": self.as_of.isoformat(),
            "counts": self.counts,
            "next_report": {
                "period": nxt.period.label,
                "title": nxt.period.title(lang),
                "due_before": nxt.due.isoformat(),
                "days_left": nxt.days_left,
            },
            "rules": STATUS_RULES[lang],
            "notes": self.inputs.note_texts(lang),
            "targets": [
                {
                    "id": r.target.id,
                    "status": r.status,
                    "overdue": bool(r.deadline_note(lang)),
                    "status_text": r.status_text(lang),
                    "text": r.target.text(lang),
                    "source": r.target.source,
                    "responsible": r.target.responsible,
                    "measures": [
                        {
                            "key": mr.measure.key,
                            "label": mr.measure.label(lang),
                            "unit": mr.measure.unit,
                            "method": mr.measure.method,
                            "target": mr.measure.target,
                            "min": mr.measure.min_value,
                            "max": mr.measure.max_value,
                            "deadline": mr.measure.deadline.isoformat(),
                            "actual": mr.actual,
                            "progress_pct": mr.progress_pct,
                            "status": mr.status,
                            "overdue": bool(mr.deadline_note(lang)),
                            "status_text": mr.status_text(lang),
                            "basis": mr.basis,
                            "evidence": list(mr.evidence),
                        }
                        for mr in r.measures
                    ],
                }
                for r in self.results
            ],
        }


def gather_inputs(store: Store, *, as_of: dt.date) -> PlanInputs:
    """The tables and layers the targets, the funding and the reports are computed from."""
    return gather(store, as_of=as_of)


def targets_status(
    store: Store, *, as_of: dt.date, lang: str = "vi", inputs: PlanInputs | None = None
) -> TargetsStatus:
    """The status of the plan's targets on ``as_of`` from the store's tables and layers."""
    inputs = inputs or gather(store, as_of=as_of)
    return TargetsStatus(as_of, inputs, evaluate(inputs, as_of=as_of), next_report_deadline(as_of), lang)


@dataclass(frozen=True)
class BudgetCheck:
    """Funding by source and sector, and every place where the plan's figures disagree."""

    lines: pd.DataFrame
    costs: pd.DataFrame
    findings: tuple[Finding, ...]
    lang: str

    def by_source(self) -> pd.DataFrame:
        """Stated amount and sum of parts per funding source."""
        return by_source(self.lines, lang=self.lang)

    def to_dict(self) -> dict[str, Any]:
        """The budget-check JSON."""
        lang = self.lang
        return {
            "findings": [
                {
                    "kind": f.kind,
                    "subject": f.subject,
                    "label": f.label(lang),
                    "sections": list(f.sections),
                    "stated_bn_vnd": f.stated,
                    "computed_bn_vnd": f.computed,
                    "difference_bn_vnd": f.difference,
                    "statements": [
                        {
                            "id": s.id,
                            "section": s.section,
                            "amount_bn_vnd": s.amount_bn_vnd,
                            "scope": list(s.scope),
                            "stated_as": s.stated_as,
                        }
                        for s in f.statements
                    ],
                    "message": f.message(lang),
                }
                for f in self.findings
            ],
            "by_source": self.by_source().to_dict("records"),
            "by_sector": by_sector(self.lines, lang=lang).to_dict("records"),
            "sector_reconciliation": sector_reconciliation(self.lines, self.costs, lang=lang).to_dict("records"),
            "funding_line_ids": self.lines["id"].tolist(),
            "project_cost_ids": self.costs["id"].tolist(),
        }


def budget_check(store: Store, *, lang: str = "vi") -> BudgetCheck:
    """Funding tables of the store and their consistency check."""
    lines, costs = store.read_table("funding_lines"), store.read_table("project_costs")
    return BudgetCheck(lines, costs, consistency_check(lines, costs), lang)


def _number(value: float | str, what: str) -> float:
    if isinstance(value, str):
        return parse_number(value)
    return float(value)


@dataclass(frozen=True)
class Recorded:
    """A row appended to an append-only table, with who recorded it."""

    table: str
    row: dict[str, Any]
    user: str

    def to_dict(self) -> dict[str, Any]:
        """``{"recorded": {... the row ..., "user": ...}}``."""
        return {"recorded": {**self.row, "user": self.user}}


def record_actual(
    store: Store,
    *,
    actor: Actor,
    target_id: str,
    period: str,
    value: float | str,
    measure: str | None = None,
    source: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Recorded:
    """Record a target's actual value for a period (append-only, with who and when); needs ``w`` on the table."""
    require(store, actor, "w", "target_actuals")
    targets = targets_from_frames(store.read_table("targets"), store.read_table("target_measures"))
    row = new_actual_row(
        targets,
        target_id=target_id,
        measure=measure,
        period=period,
        value=_number(value, "value"),
        source=source,
        note=note,
        recorded_on=today or dt.date.today(),
    )
    store.append_rows("target_actuals", row, user=actor.user)
    return Recorded("target_actuals", {str(k): v for k, v in row.iloc[0].to_dict().items()}, actor.user)


def record_disbursement(
    store: Store,
    *,
    actor: Actor,
    line_id: str,
    period: str,
    amount_bn_vnd: float | str,
    source: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Recorded:
    """Record an amount disbursed for a funding line or project cost (append-only); needs ``w`` on the table."""
    require(store, actor, "w", "disbursements")
    row = new_disbursement_row(
        store.read_table("funding_lines"),
        store.read_table("project_costs"),
        line_id=line_id,
        period=period,
        amount_bn_vnd=_number(amount_bn_vnd, "amount"),
        source=source,
        note=note,
        recorded_on=today or dt.date.today(),
    )
    store.append_rows("disbursements", row, user=actor.user)
    return Recorded("disbursements", {str(k): v for k, v in row.iloc[0].to_dict().items()}, actor.user)


def parse_issuer(text: str | None) -> tuple[str, ...]:
    """The issuing body's lines from ``"ỦY BAN NHÂN DÂN | XÃ BẢO YÊN"``; None gives the plan's own issuer."""
    if text is None:
        return ISSUER_DEFAULT
    lines = tuple(nfc(part.strip()) for part in str(text).split("|") if part.strip())
    if not lines:
        raise InputDataError(
            "the issuing body is empty; write its lines separated by |, e.g. 'ỦY BAN NHÂN DÂN|XÃ BẢO YÊN'",
            code="report.empty_issuer",
        )
    return lines


def report_periods(today: dt.date) -> tuple[list[ReportPeriod], ReportPeriod]:
    """Every period a report can be written for up to ``today``, newest first, and the one due next.

    Six-month and annual periods of every year from the plan's start whose data period has begun, the
    mid-term summaries (2021–2023) and the end-of-term summary (2021–2025); the default is the report due next.
    """
    due = next_report_deadline(today).period
    out: list[ReportPeriod] = []
    for year in range(2021, today.year + 2):
        for label in (f"{year}-H1", str(year)):
            p = parse_period(label)
            if p.start <= today or p.label == due.label:
                out.append(p)
    for label in ("2021-2023", "2021-2025"):
        p = parse_period(label)
        if p.start <= today:
            out.append(p)
    out.sort(key=lambda p: (p.end, p.kind != "span"), reverse=True)
    return out, due


@dataclass(frozen=True)
class BuiltReport:
    """A periodic report document."""

    period: ReportPeriod
    fmt: str
    lang: str
    data: bytes

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (not the bytes)."""
        return {"period": self.period.label, "format": self.fmt, "lang": self.lang, "bytes": len(self.data)}


def build_report(
    store: Store,
    period: str,
    *,
    fmt: str = "docx",
    lang: str = "vi",
    today: dt.date | None = None,
    issuer: tuple[str, ...] = ISSUER_DEFAULT,
) -> BuiltReport:
    """The periodic report for ``period`` as a DOCX or XLSX document."""
    from services.terrain import SITES_LAYER, decree32

    p = parse_period(period)
    gate = decree32(store).to_dict(lang)
    sites = store.read_layer(SITES_LAYER) if store.has_layer(SITES_LAYER) else None
    data = _build_report(p.label, store=store, fmt=fmt, lang=lang, today=today, issuer=issuer, gate=gate, sites=sites)
    return BuiltReport(p, fmt, lang, data)

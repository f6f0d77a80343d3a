"""The cluster page's figures: the occupancy gauge and numbers, the lot table, occupancy over time, the what-if.

Also how the page writes numbers (:func:`fmt_num`) and option labels in the session's language.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from analysis.occupancy import (
    EXPANSION_MIN_PCT,
    NEW_CLUSTER_MIN_PCT,
    STATUSES,
    OccupancyResult,
    occupancy_series,
    what_if,
)
from geo.numbers import format_number
from ui import state
from ui.common import lang, tr
from ui.display import date_format, number_table
from ui.escape import html_text
from ui.i18n import t

CANDIDATES: tuple[str, ...] = ("aluminium_glass", "vehicle_repair", "mechanical", "other_polluting")
SERIES_START = dt.date(2021, 1, 1)


def fmt_num(value: float, decimals: int, language: str) -> str:
    """A number with thousands separators in the language's style (vi: 1.234,5; en: 1,234.5)."""
    return format_number(value, language, decimals=decimals)


def gauge_svg(pct: float, *, target_pct: float, expansion_pct: float, language: str) -> str:
    """A half-circle gauge of ``pct`` with marks at the target and at the expansion line, as inline SVG."""
    cx, cy, r = 150.0, 150.0, 100.0

    def at(p: float, radius: float = r) -> tuple[float, float]:
        a = math.pi * (1.0 - max(0.0, min(100.0, p)) / 100.0)
        return cx + radius * math.cos(a), cy - radius * math.sin(a)

    def arc(p0: float, p1: float, color: str, width: float) -> str:
        (x0, y0), (x1, y1) = at(p0), at(p1)
        return (
            f'<path d="M {x0:.2f} {y0:.2f} A {r} {r} 0 0 1 {x1:.2f} {y1:.2f}" fill="none" stroke="{color}" '
            f'stroke-width="{width}" stroke-linecap="butt"/>'
        )

    color = "#1a9850" if pct >= expansion_pct else "#fdae61" if pct >= target_pct else "#d73027"
    parts = [arc(0, 100, "#e6e6e6", 22)]
    if pct > 0:
        parts.append(arc(0, pct, color, 22))
    # the target's label goes left of its tick, the expansion line's right of its tick, so they never collide
    for value, key, anchor, dx in (
        (target_pct, "clusters.gauge.target", "end", -3),
        (expansion_pct, "clusters.gauge.expansion", "start", 3),
    ):
        (xi, yi), (xo, yo) = at(value, r - 16), at(value, r + 16)
        (xt, yt) = at(value, r + 18)
        label = html_text(t(key, language).format(pct=fmt_num(value, 0, language)))
        parts.append(
            f'<line x1="{xi:.2f}" y1="{yi:.2f}" x2="{xo:.2f}" y2="{yo:.2f}" stroke="#333" stroke-width="2"/>'
            f'<text x="{xt + dx:.2f}" y="{yt:.2f}" font-size="12" text-anchor="{anchor}" fill="#333">{label}</text>'
        )
    parts.append(
        f'<text x="{cx}" y="{cy - 10}" font-size="30" font-weight="600" text-anchor="middle" fill="{color}">'
        f"{fmt_num(pct, 1, language)} %</text>"
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 165" width="300" height="165" role="img" '
        'font-family="Source Sans Pro, Segoe UI, Roboto, Arial, sans-serif" '
        f'aria-label="{fmt_num(pct, 1, language)} %">' + "".join(parts) + "</svg>"
    )


def status_label(status: str, language: str) -> str:
    return t(f"clusters.status.{status}", language) if status in STATUSES else status


def option_labels(prefix: str) -> Any:
    """A format_func for widget options: the label of ``prefix + option`` in this run's language.

    Bound to the language now, not looked up when called (Streamlit may call it outside the script run).
    """
    language = lang()
    return lambda option: t(f"{prefix}{option}", language)


# --- sections ---------------------------------------------------------------------------------------------------------


def show_summary(result: OccupancyResult) -> None:
    language = lang()
    g, m = st.columns([1, 1.3])
    with g:
        # shown as an image: st.html would strip the SVG
        svg = gauge_svg(
            result.occupancy_pct, target_pct=result.target_pct, expansion_pct=EXPANSION_MIN_PCT, language=language
        )
        pct = fmt_num(result.occupancy_pct, 1, language)
        st.image(svg, width=340, alt=f"{tr('clusters.metric.occupancy')}: {pct} %")
    with m:
        a, b = st.columns(2)
        a.metric(tr("clusters.metric.occupancy"), f"{fmt_num(result.occupancy_pct, 1, language)} %")
        b.metric(
            tr("clusters.metric.gap").format(pct=fmt_num(result.target_pct, 0, language)),
            f"{fmt_num(result.gap_ha, 2, language)} ha",
        )
        st.metric(
            tr("clusters.metric.occupied"),
            f"{fmt_num(result.occupied_ha, 2, language)} / {fmt_num(result.leasable_ha, 2, language)} ha",
        )
        st.caption(tr(f"clusters.basis.{result.basis}"))
        st.caption(
            tr("clusters.decree").format(
                new=fmt_num(NEW_CLUSTER_MIN_PCT, 0, language),
                exp=fmt_num(EXPANSION_MIN_PCT, 0, language),
                new_ok=tr("clusters.yes" if result.occupancy_pct > NEW_CLUSTER_MIN_PCT else "clusters.no"),
                exp_ok=tr("clusters.yes" if result.meets_expansion else "clusters.no"),
            )
        )
    for notice in result.notices:
        st.warning(notice.text(language))
    by_status = pd.DataFrame(
        {
            tr("clusters.col.status"): [status_label(s, lang()) for s in STATUSES],
            tr("clusters.col.area_ha"): [round(result.by_status[s], 4) for s in STATUSES],
        }
    )
    with st.expander(tr("clusters.by_status")):
        st.dataframe(number_table(by_status, lang()), hide_index=True, width="stretch")


def show_lots(table: pd.DataFrame) -> None:
    if table.empty:
        st.info(tr("clusters.lots.empty"))
        return
    cols = {
        "id": "clusters.col.id",
        "lot_no": "clusters.col.lot",
        "status": "clusters.col.status",
        "tenant": "clusters.col.tenant",
        "sector": "clusters.col.sector",
        "leased_on": "clusters.col.leased_on",
        "relocated_from": "clusters.col.relocated_from",
        "area_ha": "clusters.col.area_ha",
    }
    shown = table[[c for c in cols if c in table.columns]].copy()
    shown["status"] = [status_label(s, lang()) for s in shown["status"]]
    shown["area_ha"] = shown["area_ha"].round(4)
    dates = {tr("clusters.col.leased_on"): st.column_config.DateColumn(format=date_format(lang()))}
    st.dataframe(
        number_table(shown.rename(columns={c: tr(k) for c, k in cols.items()}), lang()),
        hide_index=True,
        width="stretch",
        column_config=dates,
    )


def show_series(
    boundary: gpd.GeoDataFrame,
    lots: gpd.GeoDataFrame,
    zoning: gpd.GeoDataFrame | None,
    leasable: float | None,
    result: OccupancyResult,
) -> None:
    import altair as alt

    st.caption(tr("clusters.time.caption"))
    series = occupancy_series(boundary, lots, zoning=zoning, leasable_ha=leasable, start=SERIES_START)
    line = (
        alt.Chart(series)
        .mark_line(interpolate="step-after", point=True)
        .encode(
            x=alt.X("date:T", title=tr("clusters.time.x"), axis=alt.Axis(format="%m/%Y")),  # no English month names
            y=alt.Y("occupancy_pct:Q", title=tr("clusters.time.y"), scale=alt.Scale(domain=[0, 100])),
            tooltip=[alt.Tooltip("date:T"), alt.Tooltip("occupancy_pct:Q", format=".1f"), "occupied_ha:Q"],
        )
    )
    marks = pd.DataFrame(
        {
            "pct": [result.target_pct, EXPANSION_MIN_PCT],
            "label": [
                tr("clusters.gauge.target").format(pct=fmt_num(result.target_pct, 0, lang())),
                tr("clusters.gauge.expansion").format(pct=fmt_num(EXPANSION_MIN_PCT, 0, lang())),
            ],
        }
    )
    rules = (
        alt.Chart(marks)
        .mark_rule(strokeDash=[5, 4])
        .encode(y="pct:Q", color=alt.Color("label:N", title=tr("clusters.time.line")))
    )
    st.altair_chart(line + rules, width="stretch")


def show_what_if(result: OccupancyResult, facilities: pd.DataFrame, *, layer_rows: int) -> None:
    """The relocation what-if: categories of workshops and the facilities of ``ttcn_facilities`` marked to relocate.

    ``facilities`` are the candidates of :func:`ui.cluster_edits.relocation_candidates`; ``layer_rows`` is how many
    facilities the layer holds, to tell an empty layer from one without facilities to relocate. Facilities carry
    no area: the planner enters what each needs.
    """
    language = lang()
    st.caption(tr("clusters.whatif.caption"))
    if len(facilities):
        st.caption(tr("clusters.whatif.facilities").format(n=fmt_num(len(facilities), 0, language)))
    else:
        key = "clusters.whatif.layer_empty" if layer_rows == 0 else "clusters.whatif.none_marked"
        st.info(tr(key).format(page=tr("nav.data")))
    labels = {c: t(f"clusters.cand.{c}", language) for c in CANDIDATES}
    labels.update(zip(facilities["key"].astype(str), facilities["label"].astype(str), strict=True))
    picked_before = st.session_state.get(state.CLUSTERS_WHATIF)
    if picked_before and any(k not in labels for k in picked_before):
        # a facility picked for another cluster, since moved inside or no longer marked, leaves the choice
        st.session_state[state.CLUSTERS_WHATIF] = [k for k in picked_before if k in labels]
    picked = st.multiselect(
        tr("clusters.whatif.pick"),
        options=list(labels),
        format_func=lambda option: labels.get(option, option),
        key=state.CLUSTERS_WHATIF,
    )
    added = 0.0
    for key in picked:
        area = st.number_input(
            tr("clusters.whatif.area").format(name=labels[key]),
            min_value=0.0,
            value=0.0,
            step=0.1,
            key=state.CLUSTERS_WHATIF_HA + key,
        )
        added += float(area or 0.0)
    projection = what_if(result, added_area_ha=added)
    delta = projection.projected_pct - result.occupancy_pct
    st.metric(
        tr("clusters.whatif.projected"),
        f"{fmt_num(projection.projected_pct, 1, language)} %",
        delta=f"{fmt_num(delta, 1, language)} %" if added else None,
    )
    if projection.unplaced_ha > 0:
        st.warning(
            tr("clusters.whatif.unplaced").format(
                ha=fmt_num(projection.unplaced_ha, 2, language), free=fmt_num(projection.free_ha, 2, language)
            )
        )
    pct = fmt_num(result.target_pct, 0, language)
    if projection.meets_target:
        st.success(tr("clusters.whatif.meets").format(pct=pct))
    else:
        st.info(tr("clusters.whatif.short").format(ha=fmt_num(projection.gap_ha, 2, language), pct=pct))

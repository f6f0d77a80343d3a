"""Cụm công nghiệp: land occupancy of each cluster against the plan's 50 % target and Decree 32/2024's lines.

For the chosen cluster: a gauge of occupancy with the 50 % target and the 60 % expansion line, the hectares still
needed, the lots on a map coloured by status, the table of lots, occupancy over time from the lease dates, a
relocation what-if, and the import of a boundary, zoning or lot file, lots drawn (or reshaped) on the map with
Leaflet.draw (served by the app, :mod:`ui.assets`) or entered from their corner coordinates, the editing of the
lots' attributes and the deletion of a lot, each saved as a new version of the store layer with who and when.

The measure itself is :func:`analysis.occupancy.occupancy`; this page only gathers inputs and shows results.
The page is this outline; its sections live in :mod:`ui.cluster_figures` (gauge, figures, lot table, occupancy
over time, what-if), :mod:`ui.cluster_map` (the map, drawing and reshaping lots) and :mod:`ui.cluster_forms` (import,
edit, add, delete, history), on the pure helpers of :mod:`ui.cluster_edits`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.clusters import choose_from, inputs_of
from analysis.occupancy import lots_table
from geo.errors import PlanError
from services.clusters import measure
from ui import cluster_figures, cluster_forms, cluster_map, common, state
from ui.cluster_edits import relocation_candidates
from ui.cluster_forms import store_layer
from ui.common import show_error, tr
from ui.display import date_format

PHO_RANG = "ccn_pho_rang"


def render() -> None:
    """The industrial clusters page."""
    st.subheader(tr("clusters.title"))
    st.caption(tr("clusters.intro"))
    common.show_flash(state.CLUSTERS_FLASH)
    try:
        _page()
    except PlanError as exc:
        show_error(exc)


def _page() -> None:
    clusters = common.layer_frame("clusters")
    if clusters.empty:
        st.info(tr("clusters.lots.empty"))
        return
    names = dict(zip(clusters["id"].astype(str), clusters["name"].astype(str), strict=True))
    ids = list(names)
    cluster_id = st.selectbox(
        tr("clusters.pick"),
        options=ids,
        index=ids.index(PHO_RANG) if PHO_RANG in ids else 0,
        format_func=lambda i: names.get(i, i),
        key=state.CLUSTERS_PICK,
    )
    choice = choose_from(store_layer("cluster_boundaries"), clusters, cluster_id, require_boundary=False)
    boundary = choice.boundary
    lots, zoning = inputs_of(choice, store_layer("cluster_lots"), store_layer("cluster_zoning"))
    if cluster_id == PHO_RANG and (boundary.empty or lots.empty):
        # the import form is right below while there is no boundary; the tabs (and «Import and edit») come after
        where = tr("clusters.where.below" if boundary.empty else "clusters.where.tab")
        st.info(tr("clusters.pho_rang_note").format(where=where))
    if boundary.empty:
        st.warning(tr("clusters.no_boundary").format(name=names[cluster_id]))
        cluster_forms.show_import(cluster_id, boundary)
        return

    c1, c2 = st.columns(2)
    with c1:
        as_of = st.date_input(
            tr("clusters.as_of"),
            value=None,
            format=date_format(common.lang()),
            help=tr("clusters.as_of.help"),
            key=state.CLUSTERS_AS_OF,
        )
    with c2:
        leasable = st.number_input(
            tr("clusters.leasable"),
            min_value=0.01,
            value=None,
            step=0.1,
            help=tr("clusters.leasable.help"),
            key=state.CLUSTERS_LEASABLE + cluster_id,
        )
    zoning_in = zoning
    result = measure(choice, lots, zoning, as_of=as_of or None, leasable_ha=leasable).result
    cluster_figures.show_summary(result)

    tabs = st.tabs(
        [
            tr("clusters.tab.map"),
            tr("clusters.tab.lots"),
            tr("clusters.tab.time"),
            tr("clusters.tab.whatif"),
            tr("clusters.tab.data"),
        ]
    )
    table = lots_table(lots)
    with tabs[0]:
        cluster_map.show_map(cluster_id, boundary, zoning_in, lots, table)
    with tabs[1]:
        cluster_figures.show_lots(table)
    with tabs[2]:
        cluster_figures.show_series(boundary, lots, zoning_in, leasable, result)
    with tabs[3]:
        facilities = store_layer("ttcn_facilities")
        candidates = relocation_candidates(facilities, boundary, commune_names=_commune_names())
        cluster_figures.show_what_if(result, candidates, layer_rows=len(facilities))
    with tabs[4]:
        cluster_forms.show_import(cluster_id, boundary)
        cluster_forms.show_edit(cluster_id, lots)
        cluster_forms.show_add_lot(cluster_id)
        cluster_forms.show_delete_lot(cluster_id, lots)
        cluster_forms.show_history()


def _commune_names() -> dict[str, str]:
    """Legacy commune code -> name, to name the commune of a facility that gives only its code."""
    communes = store_layer("communes_legacy")
    if not {"ma_xa", "ten_xa"} <= set(communes.columns):
        return {}
    return {str(c): str(n) for c, n in zip(communes["ma_xa"], communes["ten_xa"], strict=True) if pd.notna(c)}

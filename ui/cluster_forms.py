"""The cluster page's data tab: import, edit, add and delete lots, and the lot layer's history.

A boundary, zoning or lot file replaces the cluster's features of that layer; the lots' attributes are edited in a
table; a lot is added from its corner coordinates or deleted. Also the store reads and writes the page shares: every
save is one new version of the store layer, with who and when.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from analysis.occupancy import STATUSES, lots_table
from geo.crs import WORK_CRS
from geo.errors import InputDataError, PlanError
from layers.model import GEOM_QUALITIES
from services import data as data_service
from ui import common, mapkit, state
from ui.cluster_edits import (
    apply_edits,
    for_store,
    lot_choice_labels,
    polygon_from_corners,
    replace_cluster_features,
    without_lot,
)
from ui.cluster_figures import option_labels
from ui.common import lang, tr

IMPORT_LAYERS: tuple[str, ...] = ("cluster_lots", "cluster_boundaries", "cluster_zoning")


def store_layer(layer_id: str) -> gpd.GeoDataFrame:
    """A store layer in EPSG:9208 (cached per version), or an empty frame when the store lacks it."""
    if not common.store().has_layer(layer_id):
        return gpd.GeoDataFrame({"id": [], "cluster_id": []}, geometry=gpd.GeoSeries([], crs=WORK_CRS))
    return common.layer_frame(layer_id, crs=WORK_CRS)


def _quality_labels(language: str) -> Any:
    return lambda quality: mapkit.quality_label(quality, language)


def save_layer(layer_id: str, frame: gpd.GeoDataFrame, message: str, *, base: int, clear_drawing: bool = False) -> None:
    """Write a new version through the use case, remember a message for the next run, and rerun to re-read it.

    ``base`` is the version the person's change was made on (:func:`ui.common.seen_version`): when someone else
    saved the layer since, nothing is written and the page says so. ``clear_drawing``: once written, the map is
    made anew (a new st_folium key), so the saved drawings leave it.
    """
    actor = common.actor()
    try:
        saved = data_service.save_layer(
            common.store(), layer_id, frame, actor=actor, base_version=base, message=message, origin="edited"
        )
    except PlanError as exc:
        common.show_error(exc)
        return
    user, version = saved.user, saved.version
    if clear_drawing:
        st.session_state[state.CLUSTERS_DRAW_GEN] = st.session_state.get(state.CLUSTERS_DRAW_GEN, 0) + 1
    title = tr(f"clusters.import.layer.{layer_id}") if layer_id in IMPORT_LAYERS else layer_id
    st.session_state[state.CLUSTERS_FLASH] = tr("clusters.saved").format(layer=title, version=version, user=user)
    st.rerun()


# --- the data tab's sections ------------------------------------------------------------------------------------------


def show_import(cluster_id: str, boundary: gpd.GeoDataFrame) -> None:
    from geo.io import read_vector

    st.markdown(f"**{tr('clusters.import.title')}**")
    options = list(IMPORT_LAYERS) if len(boundary) else ["cluster_boundaries"]
    layer_id = st.radio(
        tr("clusters.import.layer"),
        options=options,
        format_func=option_labels("clusters.import.layer."),
        horizontal=True,
        key=state.CLUSTERS_IMPORT_LAYER,
    )
    quality = st.selectbox(
        tr("clusters.import.quality"),
        options=[q for q in GEOM_QUALITIES if q != "unlocated"],
        index=1,
        format_func=_quality_labels(lang()),
        key=state.CLUSTERS_QUALITY,
    )
    base = common.seen_version("clusters.import", layer_id)
    upload = st.file_uploader(tr("clusters.import.file"), help=tr("clusters.import.help"), key=state.CLUSTERS_UPLOAD)
    if upload is None:
        return
    settings = common.settings()
    with tempfile.TemporaryDirectory(prefix="baoyen-upload-") as tmp:
        path = Path(tmp) / Path(upload.name).name
        data = upload.getvalue()
        if len(data) > settings.limits.upload_bytes:
            raise InputDataError(
                f"`{upload.name}` is larger than the upload limit ({settings.limits.upload_bytes // 2**20} MB)"
            )
        path.write_bytes(data)
        frame, report = read_vector(path, limits=settings.limits, label=upload.name)
    st.caption(tr("clusters.import.read").format(n=report.features, crs=report.crs))
    for w in report.warnings:
        st.warning(w)
    if report.errors:
        for e in report.errors:
            st.error(e)
        return
    if layer_id == "cluster_boundaries":
        ids = [str(v) for v in frame["id"].tolist()] if "id" in frame.columns else []
        if len(set(ids)) > 1:
            part = st.selectbox(tr("clusters.import.part"), options=ids, key=state.CLUSTERS_UPLOAD_PART)
            frame = frame[frame["id"].astype(str) == part]
    new = for_store(frame, layer_id, cluster_id=cluster_id, source=f"import: {upload.name}", geom_quality=quality)
    current = store_layer(layer_id)
    old = int((current["cluster_id"].astype("string") == cluster_id).sum()) if "cluster_id" in current else 0
    st.caption(tr("clusters.import.replace").format(old=old, new=len(new)))
    if st.button(tr("clusters.import.save"), key=f"{state.CLUSTERS_UPLOAD}.save", type="primary"):
        merged = replace_cluster_features(current, new, cluster_id)
        save_layer(layer_id, merged, f"{upload.name} imported for {cluster_id} on the clusters page", base=base)


def show_edit(cluster_id: str, lots: gpd.GeoDataFrame) -> None:
    if lots.empty:
        return
    st.markdown(f"**{tr('clusters.edit.title')}**")
    base = common.seen_version("clusters.edit", "cluster_lots")
    table = lots_table(lots)
    cols = [c for c in ("id", "lot_no", "status", "tenant", "sector", "leased_on", "relocated_from") if c in table]
    view = table[cols].copy()
    for col in ("lot_no", "tenant", "sector", "relocated_from"):
        if col in view.columns:
            view[col] = view[col].astype(object).where(view[col].notna(), None)
    edited = st.data_editor(
        view,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=["id"],
        column_config={
            "id": st.column_config.TextColumn(tr("clusters.col.id")),
            "lot_no": st.column_config.TextColumn(tr("clusters.col.lot")),
            "status": st.column_config.SelectboxColumn(
                tr("clusters.col.status"),
                options=list(STATUSES),
                format_func=option_labels("clusters.status."),
                required=True,
            ),
            "tenant": st.column_config.TextColumn(tr("clusters.col.tenant")),
            "sector": st.column_config.TextColumn(tr("clusters.col.sector")),
            "leased_on": st.column_config.DateColumn(tr("clusters.col.leased_on"), format="DD/MM/YYYY"),
            "relocated_from": st.column_config.TextColumn(tr("clusters.col.relocated_from")),
        },
        key=state.CLUSTERS_EDITOR + cluster_id,
    )
    if st.button(tr("clusters.edit.save"), key=f"{state.CLUSTERS_EDITOR}{cluster_id}.save"):
        layer = store_layer("cluster_lots")
        updated, changed = apply_edits(layer, edited)
        if not changed:
            st.info(tr("clusters.edit.none"))
            return
        save_layer("cluster_lots", updated, tr("clusters.edit.message").format(n=changed), base=base)


def show_add_lot(cluster_id: str) -> None:
    st.markdown(f"**{tr('clusters.add.title')}**")
    base = common.seen_version("clusters.add", "cluster_lots")
    corners = st.text_area(tr("clusters.add.corners"), key=state.CLUSTERS_CORNERS, height=120)
    a, b, c, d = st.columns(4)
    lot_no = a.text_input(tr("clusters.col.lot"), key=state.CLUSTERS_NEW_LOT_NO)
    status = b.selectbox(
        tr("clusters.col.status"),
        options=list(STATUSES),
        format_func=option_labels("clusters.status."),
        key=state.CLUSTERS_NEW_STATUS,
    )
    tenant = c.text_input(tr("clusters.col.tenant"), key=state.CLUSTERS_NEW_TENANT)
    leased = d.date_input(tr("clusters.col.leased_on"), value=None, key=state.CLUSTERS_NEW_LEASED)
    if not st.button(tr("clusters.add.button"), key=f"{state.CLUSTERS_CORNERS}.add"):
        return
    shape = polygon_from_corners(corners or "")
    layer = store_layer("cluster_lots")
    taken = set(layer["id"].astype(str)) if "id" in layer.columns else set()
    n = 1
    while f"{cluster_id}.lot{n}" in taken:
        n += 1
    row = gpd.GeoDataFrame(
        {
            "id": [f"{cluster_id}.lot{n}"],
            "name": [f"Lô {lot_no}" if lot_no else f"{cluster_id}.lot{n}"],
            "source": [f"corner coordinates entered by {common.actor().user}"],
            "geom_quality": [st.session_state.get(state.CLUSTERS_QUALITY, "digitised")],
            "cluster_id": [cluster_id],
            "lot_no": [lot_no or None],
            "status": [status],
            "tenant": [tenant or None],
            "leased_on": [leased],
        },
        geometry=[shape],
        crs=WORK_CRS,
    )
    merged = row if layer.empty else gpd.GeoDataFrame(pd.concat([layer, row], ignore_index=True), crs=WORK_CRS)
    save_layer("cluster_lots", merged, tr("clusters.add.message").format(lot=lot_no or row["id"].iloc[0]), base=base)


def show_delete_lot(cluster_id: str, lots: gpd.GeoDataFrame) -> None:
    if lots.empty:
        return
    st.markdown(f"**{tr('clusters.delete.title')}**")
    base = common.seen_version("clusters.delete", "cluster_lots")
    choices = lot_choice_labels(lots_table(lots))
    picked = st.selectbox(
        tr("clusters.delete.pick"),
        options=list(choices),
        index=None,
        placeholder=tr("clusters.reshape.placeholder"),
        format_func=lambda lot_id: choices.get(lot_id, lot_id),
        key=state.CLUSTERS_DELETE + cluster_id,
    )
    st.caption(tr("clusters.delete.caption"))
    if picked is None or not st.button(tr("clusters.delete.button"), key=f"{state.CLUSTERS_DELETE}{cluster_id}.go"):
        return
    label = choices[str(picked)].split(" · ")[0]
    save_layer(
        "cluster_lots",
        without_lot(store_layer("cluster_lots"), str(picked)),
        tr("clusters.delete.message").format(lot=label),
        base=base,
    )


def show_history() -> None:
    store = common.store()
    if not store.has_layer("cluster_lots"):
        return
    versions = store.history("cluster_lots")
    with st.expander(tr("clusters.history")):
        rows = [(v.version, v.written_at, v.user, v.message) for v in sorted(versions, key=lambda v: -v.version)[:20]]
        cols = [tr(f"clusters.col.{k}") for k in ("version", "written_at", "user", "message")]
        st.dataframe(pd.DataFrame(rows, columns=cols), hide_index=True, width="stretch")

"""The cluster page's data tab: import, edit, add and delete lots, and the lot layer's history.

A boundary, zoning or lot file replaces the cluster's features of that layer; the lots' attributes are edited in a
table; a lot is added from its corner coordinates or deleted. Also the store reads and writes the page shares: every
save is one new version of the store layer, with who and when.

No lost edits: a save refused because someone saved the layer after the version the planner's change was made on
keeps the planner's frame in the session (:data:`ui.state.CLUSTERS_PENDING`); :func:`show_pending`, at the top of the
data tab, says who changed the layer and when and re-applies the change on the current version lot by lot
(:mod:`services.edits`), the lots both changed shown side by side with a choice each. The lot table keeps showing the
version it was edited on while it holds edits (its edits are by row), so they land on the lots the planner edited.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from analysis.occupancy import STATUSES, lots_table
from geo.crs import WORK_CRS, area_ha
from geo.errors import InputDataError, PlanError
from geo.merge import MINE, THEIRS, Conflict
from layers.model import GEOM_QUALITIES
from layers.store import VersionConflictError
from services import data as data_service
from services import edits
from ui import common, mapkit, state
from ui.cluster_edits import (
    apply_edits,
    corner_source,
    for_store,
    lot_choice_labels,
    lot_labels,
    polygon_from_corners,
    replace_cluster_features,
    text_or_none,
    without_lot,
)
from ui.cluster_figures import fmt_num, option_labels
from ui.common import lang, tr
from ui.display import date_format, editor_label, version_note

IMPORT_LAYERS: tuple[str, ...] = ("cluster_lots", "cluster_boundaries", "cluster_zoning")


def store_layer(layer_id: str) -> gpd.GeoDataFrame:
    """A store layer in EPSG:9208 (cached per version), or an empty frame when the store lacks it."""
    if not common.store().has_layer(layer_id):
        return gpd.GeoDataFrame({"id": [], "cluster_id": []}, geometry=gpd.GeoSeries([], crs=WORK_CRS))
    return common.layer_frame(layer_id, crs=WORK_CRS)


def _quality_labels(language: str) -> Any:
    return lambda quality: mapkit.quality_label(quality, language)


def layer_version(layer_id: str, version: int) -> gpd.GeoDataFrame:
    """One stored version of a layer in EPSG:9208 (cached per store and version: a version never changes)."""
    return _version_frame(common.store_key(), layer_id, int(version))


@st.cache_data(show_spinner=False, max_entries=8)
def _version_frame(path: str, layer_id: str, version: int) -> gpd.GeoDataFrame:
    return common.store().read_version(layer_id, version, crs=WORK_CRS)


def layer_title(layer_id: str) -> str:
    return tr(f"clusters.import.layer.{layer_id}") if layer_id in IMPORT_LAYERS else layer_id


def save_layer(
    layer_id: str,
    frame: gpd.GeoDataFrame,
    message: str,
    *,
    base: int,
    clear_drawing: bool = False,
    reset: Sequence[str] = (),
) -> None:
    """Write a new version through the use case, remember a message for the next run, and rerun to re-read it.

    ``base`` is the version the person's change was made on (:func:`ui.common.seen_version`): when someone else
    saved the layer since, nothing is written, the change is kept (:func:`keep_pending`) and the page offers to
    re-apply it. ``clear_drawing``: once written (or kept), the map is made anew (a new st_folium key), so the
    drawings leave it; ``reset`` are the session keys of the widgets holding the change, emptied likewise.
    """
    actor = common.actor()
    try:
        saved = data_service.save_layer(
            common.store(), layer_id, frame, actor=actor, base_version=base, message=message, origin="edited"
        )
    except VersionConflictError:
        keep_pending(layer_id, frame, message, base=base)
        _after_write(clear_drawing, reset)
        st.rerun()
    except PlanError as exc:
        common.show_error(exc)
        return
    _after_write(clear_drawing, reset)
    st.session_state[state.CLUSTERS_FLASH] = tr("clusters.saved").format(
        layer=layer_title(layer_id), version=saved.version, user=saved.user
    )
    st.rerun()


def _after_write(clear_drawing: bool, reset: Sequence[str]) -> None:
    ss = st.session_state
    if clear_drawing:
        ss[state.CLUSTERS_DRAW_GEN] = ss.get(state.CLUSTERS_DRAW_GEN, 0) + 1
    for key in reset:
        ss.pop(key, None)


# --- a change refused because the layer moved on: kept, and re-applied on the current version ------------------------


def keep_pending(layer_id: str, frame: gpd.GeoDataFrame, message: str, *, base: int) -> None:
    """Keep a refused change of ``layer_id`` (the whole frame the person wanted to save, made on ``base``)."""
    ss = st.session_state
    n = int(ss.get(state.CLUSTERS_PENDING_SEQ, 0)) + 1
    ss[state.CLUSTERS_PENDING_SEQ] = n
    entry = {"n": n, "layer": layer_id, "frame": frame, "base": int(base), "message": message, "new": True}
    ss[state.CLUSTERS_PENDING] = [*ss.get(state.CLUSTERS_PENDING, []), entry]


def _drop_pending(n: int) -> None:
    ss = st.session_state
    ss[state.CLUSTERS_PENDING] = [e for e in ss.get(state.CLUSTERS_PENDING, []) if e["n"] != n]
    for key in [k for k in ss if str(k).startswith(f"{state.CLUSTERS_PENDING_CHOICE}{n}.")]:
        del ss[key]


def when_text(at: str, language: str) -> str:
    """A store timestamp (ISO 8601, UTC) as the page writes it: dd/mm/yyyy HH:MM in Vietnamese, else ISO-like."""
    if not at:
        return "-"
    moment = pd.Timestamp(at)
    return moment.strftime("%d/%m/%Y %H:%M" if language == "vi" else "%Y-%m-%d %H:%M")


def feature_labels(*frames: pd.DataFrame) -> dict[str, str]:
    """Feature id -> the label lots are listed by (lot number, else id), from the first frame that has the id."""
    out: dict[str, str] = {}
    for frame in frames:
        if "id" not in frame.columns or not len(frame):
            continue
        for fid, label in zip(frame["id"].astype(str), lot_labels(pd.DataFrame(frame)), strict=True):
            out.setdefault(fid, label)
    return out


def _cell(field: str, value: object, language: str) -> str:
    if field == "status" and isinstance(value, str) and value:
        return tr(f"clusters.status.{value}")
    if isinstance(value, (dt.date, pd.Timestamp)) and not pd.isna(value):
        return pd.Timestamp(value).strftime("%d/%m/%Y" if language == "vi" else "%Y-%m-%d")
    if isinstance(value, float):
        return "" if pd.isna(value) else fmt_num(value, 2, language)
    return text_or_none(value) or ""


#: the lot fields the side-by-side view always shows (others only where the two versions differ)
SHOWN_FIELDS: tuple[str, ...] = ("lot_no", "status", "tenant", "sector", "leased_on", "relocated_from")
_FIELD_LABELS = {"lot_no": "clusters.col.lot"}


def side_by_side(conflict: Conflict, *, base: int, current: int, user: str, language: str) -> pd.DataFrame:
    """One row per field of a conflicting lot: before, yours, theirs, and whether yours and theirs differ (text)."""
    rows = (conflict.base, conflict.mine, conflict.theirs)
    geometry = next((k for r in rows if r for k, v in r.items() if isinstance(v, shapely.Geometry)), None)
    present = [k for r in rows if r for k in r if k not in ("id", geometry)]
    fields = [f for f in SHOWN_FIELDS if f in present] + [f for f in conflict.fields if f in present]
    fields = list(dict.fromkeys(fields))
    missing = (tr("conflicts.absent"), tr("conflicts.deleted"), tr("conflicts.deleted"))

    def value(i: int, field: str | None) -> str:
        row = rows[i]
        if row is None:
            return missing[i]
        if field is None:
            shape = row.get(geometry) if geometry else None
            if not isinstance(shape, shapely.Geometry) or shape.is_empty:
                return ""
            return f"{fmt_num(area_ha(gpd.GeoSeries([shape], crs=WORK_CRS)).iloc[0], 4, language)} ha"
        return _cell(field, row.get(field), language)

    labels = [tr(_FIELD_LABELS.get(f, f"clusters.col.{f}")) if f in SHOWN_FIELDS else f for f in fields]
    table: dict[str, list[Any]] = {tr("conflicts.col.field"): [*labels, tr("conflicts.shape")]}
    heads = (
        tr("conflicts.col.base").format(version=base),
        tr("conflicts.col.mine"),
        tr("conflicts.col.theirs").format(user=user, version=current),
    )
    for i, head in enumerate(heads):
        table[head] = [value(i, f) for f in [*fields, None]]
    differs = set(conflict.fields)
    geom_differs = (geometry is not None and geometry in differs) or (conflict.mine is None or conflict.theirs is None)
    table[tr("conflicts.col.differs")] = ["≠" if d else "" for d in [*(f in differs for f in fields), geom_differs]]
    return pd.DataFrame(table)


def show_pending() -> None:
    """The changes kept after a refusal, each with who changed the layer, what applies and what conflicts."""
    entries = list(st.session_state.get(state.CLUSTERS_PENDING) or [])
    for entry in entries:
        if entry.get("new"):  # the refusal may have come from another tab of the page: say where the change is
            st.toast(tr("conflicts.toast").format(tab=tr("clusters.tab.data")))
            entry["new"] = False
        with st.container(border=True):
            _pending(entry)


def _pending(entry: Mapping[str, Any]) -> None:
    n, layer_id, language = int(entry["n"]), str(entry["layer"]), lang()
    title = layer_title(layer_id)
    st.markdown(f"**{tr('conflicts.title')}** · {title}")
    store = common.store()
    try:
        rebase = edits.rebase_edit(store, layer_id, entry["frame"], base_version=int(entry["base"]))
    except PlanError as exc:
        common.show_error(exc)
        _discard_button(n)
        return
    st.warning(
        tr("conflicts.changed").format(
            layer=title,
            user=rebase.changed_by,
            at=when_text(rebase.changed_at, language),
            version=rebase.current_version,
            base=rebase.base_version,
        )
    )
    if len(rebase.changes.users) > 1:
        st.caption(tr("conflicts.writers").format(base=rebase.base_version, users=", ".join(rebase.changes.users)))
    merge = rebase.merge
    if merge.clean and not merge.applied:  # the other writer made the same change: writing it again adds nothing
        st.info(tr("conflicts.nothing_left"))
        _discard_button(n)
        return
    names = feature_labels(entry["frame"], merge.frame, store_layer(layer_id))
    for c in merge.conflicts:  # a lot only the base held (deleted by both sides) is named from its base row
        if c.id not in names and c.base is not None:
            names[c.id] = feature_labels(pd.DataFrame([c.base]))[c.id]
    if merge.applied:
        st.caption(tr("conflicts.clean").format(lots=", ".join(names.get(i, i) for i in merge.applied)))
    else:
        st.caption(tr("conflicts.none_clean"))
    choices: dict[str, str] = {}
    if merge.conflicts:
        st.caption(tr("conflicts.conflicting").format(lots=", ".join(names.get(c.id, c.id) for c in merge.conflicts)))
    for c in merge.conflicts:
        label = names.get(c.id, c.id)
        st.markdown(f"**{tr('conflicts.lot').format(lot=label)}** — {tr(f'conflicts.kind.{c.kind}')}")
        # an HTML table (not the canvas grid): readable, selectable and printed with the page
        st.table(
            side_by_side(
                c, base=rebase.base_version, current=rebase.current_version, user=rebase.changed_by, language=language
            ).set_index(tr("conflicts.col.field"))
        )
        choices[c.id] = st.radio(
            tr("conflicts.keep").format(lot=label),
            options=[THEIRS, MINE],
            format_func=option_labels("conflicts.keep."),
            horizontal=True,
            key=f"{state.CLUSTERS_PENDING_CHOICE}{n}.{c.id}",
        )
    left, right = st.columns(2)
    clicked = left.button(
        tr("conflicts.apply").format(version=rebase.current_version),
        type="primary",
        key=f"{state.CLUSTERS_PENDING_APPLY}{n}",
    )
    with right:
        _discard_button(n)
    if not clicked:
        return
    message = tr("conflicts.message").format(message=entry["message"], version=rebase.current_version)
    try:
        done = edits.save_rebased(store, layer_id, rebase, choices, actor=common.actor(), message=message)
    except VersionConflictError:
        st.rerun()  # saved again meanwhile: the next run merges into that version
    except PlanError as exc:
        common.show_error(exc)
        return
    _drop_pending(n)
    st.session_state[state.CLUSTERS_FLASH] = tr("conflicts.saved").format(
        layer=title,
        version=done.saved.version,
        user=done.saved.user,
        applied=len(done.applied),
        mine=len(done.kept_mine),
        theirs=len(done.kept_theirs),
    )
    st.rerun()


def _discard_button(n: int) -> None:
    if st.button(tr("conflicts.discard"), key=f"{state.CLUSTERS_PENDING_DROP}{n}"):
        _drop_pending(n)
        st.session_state[state.CLUSTERS_FLASH] = tr("conflicts.discarded")
        st.rerun()


# --- the data tab's sections ------------------------------------------------------------------------------------------


def show_import(cluster_id: str, boundary: gpd.GeoDataFrame) -> None:
    """The data tab's first section (also the page's only one before a boundary): kept changes, then the import."""
    from geo.io import read_vector

    show_pending()
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
    st.caption(tr("upload.caption").format(mb=common.settings().limits.upload_bytes // 2**20))
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
        st.warning(common.notice_text(w))
    if report.errors:
        for e in report.errors:
            st.error(common.notice_text(e))
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


def _has_edits(editor: object) -> bool:
    return isinstance(editor, Mapping) and bool(editor.get("edited_rows"))


def edited_version(cluster_id: str, current: int) -> int:
    """The version the lot table shows: the one it was edited on while it holds edits, else ``current``.

    The table's edits are by row; drawn on another version (a lot deleted or added meanwhile), they would land on
    other lots. Kept on the version they were made on, they are saved by lot id and re-applied if the layer moved.
    """
    ss = st.session_state
    key = state.CLUSTERS_EDITOR_VERSION + cluster_id
    held = ss.get(key) if _has_edits(ss.get(state.CLUSTERS_EDITOR + cluster_id)) else None
    version = int(held) if held is not None else current
    ss[key] = version
    return version


def show_edit(cluster_id: str, lots: gpd.GeoDataFrame) -> None:
    if lots.empty:
        return
    st.markdown(f"**{tr('clusters.edit.title')}**")
    current = data_service.current_version(common.store(), "cluster_lots")
    base = edited_version(cluster_id, current)
    if base != current:
        changes = edits.changes_since(common.store(), "cluster_lots", base)
        st.caption(tr("conflicts.held").format(held=base, current=current, user=changes.changed_by))
        layer = layer_version("cluster_lots", base)
        ids = set(lots["id"].astype(str)) if "id" in lots.columns else set()
        ours = layer["id"].astype(str).isin(ids)
        if "cluster_id" in layer.columns:
            ours |= (layer["cluster_id"].astype("string") == cluster_id).fillna(False)
        lots = layer[ours.to_numpy(dtype=bool)]
    table = lots_table(lots)
    cols = [c for c in ("id", "lot_no", "status", "tenant", "sector", "leased_on", "relocated_from") if c in table]
    view = table[cols].copy()
    for col in ("lot_no", "tenant", "sector", "relocated_from"):
        if col in view.columns:
            view[col] = view[col].astype(object).where(view[col].notna(), None)
    editor_key = state.CLUSTERS_EDITOR + cluster_id
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
            "leased_on": st.column_config.DateColumn(tr("clusters.col.leased_on"), format=date_format(lang())),
            "relocated_from": st.column_config.TextColumn(tr("clusters.col.relocated_from")),
        },
        key=editor_key,
    )
    if st.button(tr("clusters.edit.save"), key=f"{state.CLUSTERS_EDITOR}{cluster_id}.save"):
        # the edits are applied by lot id to the version they were made on; a newer one is merged with them
        layer = layer_version("cluster_lots", base) if base else store_layer("cluster_lots")
        updated, changed = apply_edits(layer, edited)
        if not changed:
            st.info(tr("clusters.edit.none"))
            return
        save_layer(
            "cluster_lots",
            updated,
            tr("clusters.edit.message").format(n=changed),
            base=base,
            reset=(editor_key, state.CLUSTERS_EDITOR_VERSION + cluster_id),
        )


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
    leased = d.date_input(
        tr("clusters.col.leased_on"), value=None, format=date_format(lang()), key=state.CLUSTERS_NEW_LEASED
    )
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
            "source": [corner_source(common.actor().user, dt.date.today())],
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
        language = lang()
        rows = [
            (
                v.version,
                when_text(v.written_at, language),
                editor_label(v.user, language),
                version_note(v.message, language),
            )
            for v in sorted(versions, key=lambda v: -v.version)[:20]
        ]
        cols = [tr(f"clusters.col.{k}") for k in ("version", "written_at", "user", "message")]
        st.dataframe(pd.DataFrame(rows, columns=cols), hide_index=True, width="stretch")

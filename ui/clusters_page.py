"""Cụm công nghiệp: land occupancy of each cluster against the plan's 50 % target and Decree 32/2024's lines.

For the chosen cluster: a gauge of occupancy with the 50 % target and the 60 % expansion line, the hectares still
needed, the lots on a map coloured by status, the table of lots, occupancy over time from the lease dates, a
relocation what-if, and the import of a boundary, zoning or lot file (or a lot from its corner coordinates) and the
editing of the lots' attributes, each saved as a new version of the store layer with who and when.

The measure itself is :func:`analysis.occupancy.occupancy`; this page only gathers inputs and shows results.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from analysis.occupancy import (
    EXPANSION_MIN_PCT,
    NEW_CLUSTER_MIN_PCT,
    PLAN_TARGET_PCT,
    STATUSES,
    OccupancyResult,
    lots_of_cluster,
    lots_table,
    normalise_statuses,
    normalise_uses,
    occupancy,
    occupancy_series,
    parse_dates,
    what_if,
)
from geo.crs import WORK_CRS, to_display, to_work
from geo.errors import DataSourceError, InputDataError, PlanError
from geo.text import fold
from layers.catalogue import CATALOGUE
from layers.model import GEOM_QUALITIES
from ui import assets, common, mapkit, state
from ui.common import lang, show_error, tr
from ui.i18n import t

PHO_RANG = "ccn_pho_rang"
CANDIDATES: tuple[str, ...] = ("aluminium_glass", "vehicle_repair", "mechanical", "other_polluting")
#: colours from the catalogue, so the page, the planning map and its legend agree
STATUS_COLORS: dict[str, str] = dict(CATALOGUE.get("cluster_lots").style.color_map)
USE_COLORS: dict[str, str] = dict(CATALOGUE.get("cluster_zoning").style.color_map)
BOUNDARY_COLOR = "#762a83"
IMPORT_LAYERS: tuple[str, ...] = ("cluster_lots", "cluster_boundaries", "cluster_zoning")
LOT_FIELDS: tuple[str, ...] = ("lot_no", "status", "tenant", "sector", "leased_on", "relocated_from", "area_note")
#: column names planners write (folded) -> the lot layer's field
LOT_ALIASES: dict[str, str] = {
    "trang thai": "status",
    "tinh trang": "status",
    "trang_thai": "status",
    "tinh_trang": "status",
    "ngay thue": "leased_on",
    "ngay_thue": "leased_on",
    "don vi thue": "tenant",
    "don_vi_thue": "tenant",
    "nganh nghe": "sector",
    "nganh_nghe": "sector",
    "so lo": "lot_no",
    "so_lo": "lot_no",
    "lo": "lot_no",
    "di doi tu": "relocated_from",
    "di_doi_tu": "relocated_from",
    "muc dich": "use",
    "muc_dich": "use",
    "chuc nang": "use",
    "chuc_nang": "use",
    "loai dat": "use",
    "loai_dat": "use",
}
SERIES_START = dt.date(2021, 1, 1)
MAP_HEIGHT_PX = 520


# --- pure helpers (tested without a browser) ----------------------------------------------------------------------


def fmt_num(value: float, decimals: int, language: str) -> str:
    """A number with thousands separators in the language's style (vi: 1.234,5; en: 1,234.5)."""
    text = f"{value:,.{decimals}f}"
    if language == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


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
        label = html.escape(t(key, language).format(pct=fmt_num(value, 0, language)))
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


_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def polygon_from_corners(text: str) -> shapely.Polygon:
    """A lot polygon in EPSG:9208 from corner coordinates as Vietnamese marker tables give them.

    One corner a line, "X Y" with X the northing and Y the easting (metres, VN-2000 / TM-3 104°45′); a leading
    marker number ("1 2460100.5 472000.2") is ignored; decimal commas are accepted. Invalid rings are repaired with
    ``shapely.make_valid``.

    Raises
    ------
    InputDataError
        Fewer than three corners, a line that is not two numbers, coordinates that cannot be Lào Cai in
        EPSG:9208 (e.g. X and Y swapped), or a ring without area.
    """
    corners: list[tuple[float, float]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens = [tok.strip(",") for tok in re.split(r"[\s;]+", line) if tok.strip(",")]
        if len(tokens) == 1 and tokens[0].count(",") == 1:  # "2460100.5,472000.2"
            tokens = tokens[0].split(",")
        if len(tokens) not in (2, 3) or not all(_NUMBER.match(tok) for tok in tokens):
            raise InputDataError(f"corner line {n} ('{line}') is not 'X Y'; write the northing and the easting")
        x_north, y_east = (float(tok.replace(",", ".")) for tok in tokens[-2:])
        corners.append((y_east, x_north))
    if len({c for c in corners}) < 3:
        raise InputDataError("a lot needs at least three different corners, one 'X Y' a line")
    east = np.array([c[0] for c in corners])
    north = np.array([c[1] for c in corners])
    if not ((east > 100_000) & (east < 900_000)).all() or not ((north > 2_000_000) & (north < 2_700_000)).all():
        raise InputDataError(
            "the corners are not in Lào Cai in EPSG:9208: X (northing) should be about 2 460 000 and Y (easting) "
            "about 470 000; check that X and Y are not swapped and that the table is in VN-2000 / TM-3 104°45′"
        )
    ring = shapely.Polygon(corners)
    if not ring.is_valid:
        ring = shapely.make_valid(ring, method="structure", keep_collapsed=False)
    if ring.is_empty or ring.area <= 0:
        raise InputDataError("the corners enclose no area; list them in order around the lot")
    return ring


def standard_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rename the columns planners write in Vietnamese (trạng thái, ngày thuê, …) to the layer's field names."""
    renames: dict[str, str] = {}
    taken = set(frame.columns)
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        target = LOT_ALIASES.get(fold(str(col)))
        if target and target not in taken and target not in renames.values():
            renames[col] = target
    return frame.rename(columns=renames) if renames else frame


def for_store(
    frame: gpd.GeoDataFrame,
    layer_id: str,
    *,
    cluster_id: str,
    source: str,
    geom_quality: str,
) -> gpd.GeoDataFrame:
    """An uploaded frame shaped as the store layer's features of one cluster (EPSG:9208, canonical values).

    Statuses and uses become the canonical English keys, lease dates become dates; every feature gets
    ``cluster_id``, ``source``, ``geom_quality`` and an ``id`` (kept when the file has unique ones).

    Raises
    ------
    InputDataError
        Unknown statuses or uses, bad dates, a lot layer without ``status``, a zoning layer without ``use``.
    """
    work = standard_columns(to_work(frame, "the file")).copy()
    n = len(work)
    out = gpd.GeoDataFrame(index=pd.RangeIndex(n), geometry=gpd.GeoSeries(work.geometry.to_numpy(), crs=WORK_CRS))
    ids = work["id"].astype("string") if "id" in work.columns else None
    if ids is not None and ids.notna().all() and ids.is_unique:
        out["id"] = [f"{cluster_id}.{v}" if not str(v).startswith(cluster_id) else str(v) for v in ids]
    else:
        kind = {"cluster_lots": "lot", "cluster_boundaries": "boundary", "cluster_zoning": "zone"}[layer_id]
        out["id"] = [f"{cluster_id}.{kind}{i + 1}" for i in range(n)]
    out["source"] = source
    out["geom_quality"] = geom_quality
    out["cluster_id"] = cluster_id
    labels = out["id"].tolist()
    if layer_id == "cluster_lots":
        if "status" not in work.columns:
            raise InputDataError(
                "the lot file has no `status` field (or trạng thái); give each lot vacant, allocated, building or "
                "operating (trống, đã cho thuê, đang xây dựng, đang hoạt động)"
            )
        for col in LOT_FIELDS:
            out[col] = work[col].to_numpy() if col in work.columns else None
        out["status"] = normalise_statuses(work["status"].tolist(), labels=labels)
        if "leased_on" in work.columns:
            days = parse_dates(work["leased_on"], labels=labels)
            out["leased_on"] = [None if pd.isna(d) else d.date() for d in days]
        names = work["name"] if "name" in work.columns else None
        out["name"] = [
            str(names.iloc[i]) if names is not None and pd.notna(names.iloc[i]) else _lot_name(out, i) for i in range(n)
        ]
    elif layer_id == "cluster_zoning":
        if "use" not in work.columns:
            raise InputDataError(
                "the zoning file has no `use` field; give each polygon industrial, road, green, technical or other "
                "(đất công nghiệp, đất giao thông, đất cây xanh, đất hạ tầng kỹ thuật, …)"
            )
        out["use"] = normalise_uses(work["use"].tolist(), labels=labels)
        out["name"] = work["name"].to_numpy() if "name" in work.columns else out["use"]
    else:
        out["name"] = work["name"].to_numpy() if "name" in work.columns else cluster_id
    return out


def _lot_name(frame: pd.DataFrame, i: int) -> str:
    lot = frame["lot_no"].iloc[i] if "lot_no" in frame.columns else None
    return f"Lô {lot}" if lot is not None and pd.notna(lot) and str(lot).strip() else str(frame["id"].iloc[i])


def replace_cluster_features(current: gpd.GeoDataFrame, new: gpd.GeoDataFrame, cluster_id: str) -> gpd.GeoDataFrame:
    """The layer with ``cluster_id``'s features replaced by ``new``; other clusters' features are kept."""
    if "cluster_id" in current.columns and len(current):
        keep = current[current["cluster_id"].astype("string") != cluster_id]
    else:
        keep = current.iloc[0:0]
    if not len(keep):
        return new.reset_index(drop=True)
    keep = to_work(keep, "the layer")
    return gpd.GeoDataFrame(pd.concat([keep, new], ignore_index=True), crs=WORK_CRS)


def apply_edits(lots: gpd.GeoDataFrame, edited: pd.DataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """The lot layer with the edited attributes of the rows whose ``id`` is in ``edited``; returns (layer, changed)."""
    out = lots.copy()
    index = {str(v): i for i, v in enumerate(out["id"].tolist())}
    changed = 0
    labels = [str(v) for v in edited["id"].tolist()]
    statuses = normalise_statuses(edited["status"].tolist(), labels=labels) if "status" in edited else None
    days = parse_dates(edited["leased_on"], labels=labels) if "leased_on" in edited else None
    for row_no, lot_id in enumerate(labels):
        if lot_id not in index:
            continue
        i = index[lot_id]
        row_changed = False
        for col in ("lot_no", "tenant", "sector", "relocated_from", "status", "leased_on"):
            if col not in edited.columns:
                continue
            if col == "status" and statuses is not None:
                new: Any = statuses[row_no]
            elif col == "leased_on" and days is not None:
                new = None if pd.isna(days.iloc[row_no]) else days.iloc[row_no].date()
            else:
                v = edited[col].iloc[row_no]
                new = None if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA else str(v)
            if col not in out.columns:
                out[col] = None
            old = out[col].iloc[i]
            old_norm = None if old is None or (not isinstance(old, str) and pd.isna(old)) else old
            if col == "leased_on" and old_norm is not None and not isinstance(old_norm, dt.date):
                old_norm = pd.Timestamp(old_norm).date()
            if old_norm != new:
                out[col] = out[col].astype(object)
                out.iat[i, out.columns.get_loc(col)] = new
                row_changed = True
        changed += row_changed
    return out, changed


# --- data of the page ---------------------------------------------------------------------------------------------


def _layer(layer_id: str) -> gpd.GeoDataFrame:
    """A store layer in EPSG:9208 (cached per version), or an empty frame when the store lacks it."""
    if not common.store().has_layer(layer_id):
        return gpd.GeoDataFrame({"id": [], "cluster_id": []}, geometry=gpd.GeoSeries([], crs=WORK_CRS))
    return common.layer_frame(layer_id, crs=WORK_CRS)


def _boundary_of(boundaries: gpd.GeoDataFrame, cluster_id: str) -> gpd.GeoDataFrame:
    mask = np.zeros(len(boundaries), dtype=bool)
    for col in ("cluster_id", "id"):
        if col in boundaries.columns:
            mask |= (boundaries[col].astype("string") == cluster_id).fillna(False).to_numpy(dtype=bool)
    return boundaries[mask]


def _lot_labels(table: pd.DataFrame) -> list[str]:
    """Lot number, else id, for tooltips."""
    out = []
    for i in range(len(table)):
        lot = table["lot_no"].iloc[i] if "lot_no" in table.columns else None
        if lot is None or pd.isna(lot) or not str(lot).strip():
            lot = table["id"].iloc[i] if "id" in table.columns else ""
        out.append(str(lot))
    return out


def _status_label(status: str, language: str) -> str:
    return t(f"clusters.status.{status}", language) if status in STATUSES else status


def _quality_labels(language: str) -> Any:
    return lambda quality: mapkit.quality_label(quality, language)


def _labels(prefix: str) -> Any:
    """A format_func for widget options: the label of ``prefix + option`` in this run's language.

    Bound to the language now, not looked up when called (Streamlit may call it outside the script run).
    """
    language = lang()
    return lambda option: t(f"{prefix}{option}", language)


def _save(layer_id: str, frame: gpd.GeoDataFrame, message: str) -> None:
    """Write a new version (one transaction), remember a message for the next run, and rerun to re-read it."""
    user = common.settings().user
    version = common.store().write_layer(layer_id, frame, user=user, message=message, origin="edited")
    title = tr(f"clusters.import.layer.{layer_id}") if layer_id in IMPORT_LAYERS else layer_id
    st.session_state[state.CLUSTERS_FLASH] = tr("clusters.saved").format(layer=title, version=version, user=user)
    st.rerun()


# --- sections ----------------------------------------------------------------------------------------------------


def render() -> None:
    """The industrial clusters page."""
    st.subheader(tr("clusters.title"))
    st.caption(tr("clusters.intro"))
    flash = st.session_state.pop(state.CLUSTERS_FLASH, None)
    if flash:
        st.success(flash)
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
    row = clusters[clusters["id"].astype(str) == cluster_id].iloc[0]
    target = row.get("occupancy_target_pct")
    target_pct = float(target) if target is not None and pd.notna(target) else PLAN_TARGET_PCT

    boundary = _boundary_of(_layer("cluster_boundaries"), cluster_id)
    lots = lots_of_cluster(_layer("cluster_lots"), boundary) if len(boundary) else _layer("cluster_lots").iloc[0:0]
    zoning = lots_of_cluster(_layer("cluster_zoning"), boundary) if len(boundary) else None
    if cluster_id == PHO_RANG and (boundary.empty or lots.empty):
        st.info(tr("clusters.pho_rang_note"))
    if boundary.empty:
        st.warning(tr("clusters.no_boundary").format(name=names[cluster_id]))
        _import(cluster_id, boundary)
        return

    c1, c2 = st.columns(2)
    with c1:
        as_of = st.date_input(
            tr("clusters.as_of"), value=None, help=tr("clusters.as_of.help"), key=state.CLUSTERS_AS_OF
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
    zoning_in = zoning if zoning is not None and len(zoning) else None
    result = occupancy(
        boundary, lots, zoning=zoning_in, leasable_ha=leasable, as_of=as_of or None, target_pct=target_pct
    )
    _summary(result)

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
        _map(cluster_id, boundary, zoning_in, lots, table)
    with tabs[1]:
        _lots(table)
    with tabs[2]:
        _series(boundary, lots, zoning_in, leasable, result)
    with tabs[3]:
        _what_if(result)
    with tabs[4]:
        _import(cluster_id, boundary)
        _edit(cluster_id, lots)
        _add_lot(cluster_id)
        _history()


def _summary(result: OccupancyResult) -> None:
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
            tr("clusters.col.status"): [_status_label(s, lang()) for s in STATUSES],
            tr("clusters.col.area_ha"): [round(result.by_status[s], 4) for s in STATUSES],
        }
    )
    with st.expander(tr("clusters.by_status")):
        st.dataframe(by_status, hide_index=True, width="stretch")


def _map(
    cluster_id: str,
    boundary: gpd.GeoDataFrame,
    zoning: gpd.GeoDataFrame | None,
    lots: gpd.GeoDataFrame,
    table: pd.DataFrame,
) -> None:
    try:
        assets.check()
    except DataSourceError as exc:
        st.warning(f"{tr('clusters.map.assets')}: {exc}")
        return
    outline = to_display(boundary, "the cluster boundary")
    minx, miny, maxx, maxy = outline.total_bounds
    center = ((miny + maxy) / 2, (minx + maxx) / 2)
    span_deg = max(maxx - minx, maxy - miny, 1e-4)
    zoom = int(max(12, min(18, math.floor(math.log2(360 / span_deg)) + 1)))  # the cluster spans 256–512 px
    group = folium.FeatureGroup(name="cluster", control=False)
    if zoning is not None:
        z = to_display(zoning, "the zoning")
        uses = normalise_uses(zoning["use"].tolist())
        data = gpd.GeoDataFrame({"_c": [USE_COLORS[u] for u in uses]}, geometry=z.geometry.to_numpy(), crs=z.crs)
        folium.GeoJson(
            data.to_json(),
            style_function=lambda f: {
                "color": "#999",
                "weight": 0.5,
                "fillColor": f["properties"]["_c"],
                "fillOpacity": 0.5,
            },
            interactive=False,
        ).add_to(group)
    folium.GeoJson(
        gpd.GeoDataFrame(geometry=outline.geometry.to_numpy(), crs=outline.crs).to_json(),
        style_function=lambda f: {"color": BOUNDARY_COLOR, "weight": 2.5, "fill": False, "dashArray": "6 4"},
        interactive=False,
    ).add_to(group)
    if len(lots):
        shown = to_display(lots, "the lots")
        present = ~(shapely.is_missing(shown.geometry.to_numpy()) | shapely.is_empty(shown.geometry.to_numpy()))
        rows = table[present]
        data = gpd.GeoDataFrame(
            {
                "lot": _lot_labels(rows),
                "status": [_status_label(s, lang()) for s in rows["status"]],
                "tenant": ["" if pd.isna(v) else str(v) for v in rows.get("tenant", pd.Series([None] * len(rows)))],
                "area": [f"{fmt_num(a, 4, lang())} ha" for a in rows["area_ha"]],
                "_c": [STATUS_COLORS.get(s, "#cccccc") for s in rows["status"]],
            },
            geometry=shown.geometry.to_numpy()[present],
            crs=shown.crs,
        )
        folium.GeoJson(
            data.to_json(),
            style_function=lambda f: {
                "color": "#333",
                "weight": 1,
                "fillColor": f["properties"]["_c"],
                "fillOpacity": 0.75,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["lot", "status", "tenant", "area"],
                aliases=[
                    tr("clusters.col.lot"),
                    tr("clusters.col.status"),
                    tr("clusters.col.tenant"),
                    tr("clusters.col.area_ha"),
                ],
            ),
        ).add_to(group)
    basemap = st.session_state.get(state.MAP_BASEMAP, "none")
    st_folium(
        mapkit.base_map(center=center, zoom=zoom, lang=None),
        key=state.CLUSTERS_MAP + cluster_id,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=[mapkit.context_group(basemap=basemap, lang=lang()), mapkit.use_local_assets(group)],
    )
    swatch = (
        '<span style="display:inline-block;width:14px;height:10px;margin:0 4px 0 12px;border:1px solid #333;'
        'background:{c}"></span>{t}'
    )
    items = [swatch.format(c=STATUS_COLORS[s], t=html.escape(_status_label(s, lang()))) for s in STATUSES]
    items.append(
        f'<span style="display:inline-block;width:14px;height:0;margin:0 4px 3px 12px;border-top:2px dashed '
        f'{BOUNDARY_COLOR}"></span>{html.escape(tr("clusters.legend.boundary"))}'
    )
    st.html(f'<div style="font-size:0.85rem">{html.escape(tr("clusters.legend"))}: {"".join(items)}</div>')
    st.caption(tr("clusters.draw_note"))


def _lots(table: pd.DataFrame) -> None:
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
    shown["status"] = [_status_label(s, lang()) for s in shown["status"]]
    shown["area_ha"] = shown["area_ha"].round(4)
    st.dataframe(shown.rename(columns={c: tr(k) for c, k in cols.items()}), hide_index=True, width="stretch")


def _series(
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


def _what_if(result: OccupancyResult) -> None:
    language = lang()
    st.caption(tr("clusters.whatif.caption"))
    picked = st.multiselect(
        tr("clusters.whatif.pick"),
        options=list(CANDIDATES),
        format_func=_labels("clusters.cand."),
        key=state.CLUSTERS_WHATIF,
    )
    added = 0.0
    for key in picked:
        area = st.number_input(
            tr("clusters.whatif.area").format(name=tr(f"clusters.cand.{key}")),
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


def _import(cluster_id: str, boundary: gpd.GeoDataFrame) -> None:
    from geo.io import read_vector

    st.markdown(f"**{tr('clusters.import.title')}**")
    options = list(IMPORT_LAYERS) if len(boundary) else ["cluster_boundaries"]
    layer_id = st.radio(
        tr("clusters.import.layer"),
        options=options,
        format_func=_labels("clusters.import.layer."),
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
    current = _layer(layer_id)
    old = int((current["cluster_id"].astype("string") == cluster_id).sum()) if "cluster_id" in current else 0
    st.caption(tr("clusters.import.replace").format(old=old, new=len(new)))
    if st.button(tr("clusters.import.save"), key=f"{state.CLUSTERS_UPLOAD}.save", type="primary"):
        merged = replace_cluster_features(current, new, cluster_id)
        _save(layer_id, merged, f"{upload.name} imported for {cluster_id} on the clusters page")


def _edit(cluster_id: str, lots: gpd.GeoDataFrame) -> None:
    if lots.empty:
        return
    st.markdown(f"**{tr('clusters.edit.title')}**")
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
                format_func=_labels("clusters.status."),
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
        layer = _layer("cluster_lots")
        updated, changed = apply_edits(layer, edited)
        if not changed:
            st.info(tr("clusters.edit.none"))
            return
        _save("cluster_lots", updated, tr("clusters.edit.message").format(n=changed))


def _add_lot(cluster_id: str) -> None:
    st.markdown(f"**{tr('clusters.add.title')}**")
    corners = st.text_area(tr("clusters.add.corners"), key=state.CLUSTERS_CORNERS, height=120)
    a, b, c, d = st.columns(4)
    lot_no = a.text_input(tr("clusters.col.lot"), key=state.CLUSTERS_NEW_LOT_NO)
    status = b.selectbox(
        tr("clusters.col.status"),
        options=list(STATUSES),
        format_func=_labels("clusters.status."),
        key=state.CLUSTERS_NEW_STATUS,
    )
    tenant = c.text_input(tr("clusters.col.tenant"), key=state.CLUSTERS_NEW_TENANT)
    leased = d.date_input(tr("clusters.col.leased_on"), value=None, key=state.CLUSTERS_NEW_LEASED)
    if not st.button(tr("clusters.add.button"), key=f"{state.CLUSTERS_CORNERS}.add"):
        return
    shape = polygon_from_corners(corners or "")
    layer = _layer("cluster_lots")
    taken = set(layer["id"].astype(str)) if "id" in layer.columns else set()
    n = 1
    while f"{cluster_id}.lot{n}" in taken:
        n += 1
    row = gpd.GeoDataFrame(
        {
            "id": [f"{cluster_id}.lot{n}"],
            "name": [f"Lô {lot_no}" if lot_no else f"{cluster_id}.lot{n}"],
            "source": [f"corner coordinates entered by {common.settings().user}"],
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
    _save("cluster_lots", merged, tr("clusters.add.message").format(lot=lot_no or row["id"].iloc[0]))


def _history() -> None:
    store = common.store()
    if not store.has_layer("cluster_lots"):
        return
    versions = store.history("cluster_lots")
    with st.expander(tr("clusters.history")):
        rows = [(v.version, v.written_at, v.user, v.message) for v in sorted(versions, key=lambda v: -v.version)[:20]]
        cols = [tr(f"clusters.col.{k}") for k in ("version", "written_at", "user", "message")]
        st.dataframe(pd.DataFrame(rows, columns=cols), hide_index=True, width="stretch")

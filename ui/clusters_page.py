"""Cụm công nghiệp: land occupancy of each cluster against the plan's 50 % target and Decree 32/2024's lines.

For the chosen cluster: a gauge of occupancy with the 50 % target and the 60 % expansion line, the hectares still
needed, the lots on a map coloured by status, the table of lots, occupancy over time from the lease dates, a
relocation what-if, and the import of a boundary, zoning or lot file, lots drawn (or reshaped) on the map with
Leaflet.draw (served by the app, :mod:`ui.assets`) or entered from their corner coordinates, the editing of the
lots' attributes and the deletion of a lot, each saved as a new version of the store layer with who and when.

The measure itself is :func:`analysis.occupancy.occupancy`; this page only gathers inputs and shows results.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from branca.element import MacroElement
from folium.plugins import Draw
from folium.template import Template
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
from geo.crs import DISPLAY_CRS, WORK_CRS, area_ha, to_display, to_work
from geo.errors import DataSourceError, InputDataError, PlanError
from geo.geometry import repair
from geo.text import fold, nfc
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

#: Drawing on the cluster map: lots are areas, so only the polygon and rectangle tools; edges may not cross.
DRAWN_COLOR = "#d7301f"
DRAW_OPTIONS: dict[str, Any] = {
    "polyline": False,
    "circle": False,
    "marker": False,
    "circlemarker": False,
    "polygon": {"allowIntersection": False, "showArea": True, "shapeOptions": {"color": DRAWN_COLOR, "weight": 2}},
    "rectangle": {"showArea": True, "shapeOptions": {"color": DRAWN_COLOR, "weight": 2}},
}
EDIT_OPTIONS: dict[str, Any] = {"poly": {"allowIntersection": False}}
#: what st_folium sends back: only the drawings, so panning and zooming never rerun the page
RETURNED_OBJECTS: tuple[str, ...] = ("all_drawings",)
#: property marking the stored lot put on the map for reshaping (the browser sends it back with the shape)
RESHAPE_FLAG = "baoyen_reshape"
#: more shapes than this in one save is not a planner drawing lots by hand
MAX_DRAWN = 200
#: a drawn shape smaller than this is a slip of the mouse, not a lot
MIN_DRAWN_M2 = 1.0
#: ``source`` of a lot drawn (or reshaped) on the map
DRAW_SOURCE = "vẽ trên bản đồ ({user}, {day})"
#: a reshaped lot closer than this to its stored shape everywhere is unchanged (the round trip through
#: EPSG:4326 and 7-decimal degrees moves corners by about a centimetre)
RESHAPE_TOLERANCE_M = 0.05
#: Leaflet.draw's labels (paths into ``L.drawLocal``) the page translates; i18n keys are "clusters.draw.js." + path
DRAW_LOCAL: tuple[str, ...] = (
    "draw.toolbar.actions.title",
    "draw.toolbar.actions.text",
    "draw.toolbar.finish.title",
    "draw.toolbar.finish.text",
    "draw.toolbar.undo.title",
    "draw.toolbar.undo.text",
    "draw.toolbar.buttons.polygon",
    "draw.toolbar.buttons.rectangle",
    "draw.handlers.polygon.tooltip.start",
    "draw.handlers.polygon.tooltip.cont",
    "draw.handlers.polygon.tooltip.end",
    "draw.handlers.polyline.error",
    "draw.handlers.rectangle.tooltip.start",
    "draw.handlers.simpleshape.tooltip.end",
    "edit.toolbar.actions.save.title",
    "edit.toolbar.actions.save.text",
    "edit.toolbar.actions.cancel.title",
    "edit.toolbar.actions.cancel.text",
    "edit.toolbar.actions.clearAll.title",
    "edit.toolbar.actions.clearAll.text",
    "edit.toolbar.buttons.edit",
    "edit.toolbar.buttons.editDisabled",
    "edit.toolbar.buttons.remove",
    "edit.toolbar.buttons.removeDisabled",
    "edit.handlers.edit.tooltip.text",
    "edit.handlers.edit.tooltip.subtext",
    "edit.handlers.remove.tooltip.text",
)


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
    ring = repair(np.array([shapely.Polygon(corners)], dtype=object))[0][0]
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


# --- lots drawn on the map ------------------------------------------------------------------------------------------


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a repaired geometry (make_valid can return lines beside the polygons), kept valid."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return shapely.Polygon()
    # parts of a collection may share edges, which a MultiPolygon may not: their union is valid
    return shapely.union_all(parts)


def drawn_polygons(features: Sequence[Mapping[str, Any]] | None) -> gpd.GeoDataFrame:
    """The shapes drawn on the cluster map, from streamlit-folium's ``all_drawings`` (GeoJSON features, EPSG:4326).

    Returns a frame in EPSG:9208, one row per feature in drawing order, with ``repaired`` (the shape crossed
    itself and was repaired with ``shapely.make_valid``, every part kept) and ``reshaped`` (the feature is the
    stored lot put on the map for reshaping, marked with :data:`RESHAPE_FLAG`).

    Raises
    ------
    InputDataError
        A feature that is not a polygon, coordinates that are not longitude/latitude, a shape enclosing less
        than :data:`MIN_DRAWN_M2`, or more than :data:`MAX_DRAWN` features.
    """
    items = list(features or [])
    if len(items) > MAX_DRAWN:
        raise InputDataError(
            f"{len(items)} shapes were drawn; save at most {MAX_DRAWN} at a time, or import the lots as a file"
        )
    shapes: list[shapely.Geometry] = []
    reshaped: list[bool] = []
    for n, feature in enumerate(items, start=1):
        geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
        kind = geometry.get("type") if isinstance(geometry, Mapping) else None
        if kind not in ("Polygon", "MultiPolygon"):
            raise InputDataError(
                f"drawing {n} is a {kind or 'shape without geometry'}, not a polygon; draw lots with the polygon or "
                "rectangle tool"
            )
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise InputDataError(f"drawing {n} is not a valid GeoJSON polygon ({exc}); draw it again") from exc
        xy = shapely.get_coordinates(shape)
        if not len(xy) or not np.isfinite(xy).all() or (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
            raise InputDataError(f"drawing {n} has coordinates that are not longitude/latitude; draw it again")
        shapes.append(shape)
        props = feature.get("properties") or {}
        reshaped.append(bool(props.get(RESHAPE_FLAG)) if isinstance(props, Mapping) else False)
    work = gpd.GeoSeries(shapes, crs=DISPLAY_CRS).to_crs(WORK_CRS)
    out: list[shapely.Geometry] = []
    repaired: list[bool] = []
    fixed, invalid = repair(np.asarray(work.to_numpy(), dtype=object))
    for n, (shape, bad) in enumerate(zip(fixed, invalid, strict=True), start=1):
        if bad:
            shape = _polygonal(shape)
        if shape.is_empty or shape.area < MIN_DRAWN_M2:
            raise InputDataError(
                f"drawing {n} encloses no area (less than {MIN_DRAWN_M2:g} m²); draw the lot again around its corners"
            )
        out.append(shape)
        repaired.append(bool(bad))
    return gpd.GeoDataFrame(
        {"repaired": repaired, "reshaped": reshaped}, geometry=gpd.GeoSeries(out, crs=WORK_CRS), crs=WORK_CRS
    )


def _blank(value: object) -> str | None:
    """Stripped NFC text, or None for empty values."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    text = nfc(str(value)).strip()
    return text or None


def draw_source(user: str, day: dt.date) -> str:
    """The ``source`` of a lot drawn or reshaped on the map by ``user`` on ``day``."""
    return DRAW_SOURCE.format(user=user, day=day.isoformat())


def next_lot_ids(taken: Sequence[str] | set[str], cluster_id: str, count: int) -> list[str]:
    """``count`` new lot ids ``<cluster_id>.lot<n>``, the lowest numbers not in ``taken``."""
    used = set(taken)
    out: list[str] = []
    n = 1
    while len(out) < count:
        candidate = f"{cluster_id}.lot{n}"
        if candidate not in used:
            out.append(candidate)
            used.add(candidate)
        n += 1
    return out


def lots_from_drawings(
    shapes: gpd.GeoDataFrame,
    attrs: Sequence[Mapping[str, object]],
    *,
    cluster_id: str,
    user: str,
    day: dt.date,
    existing: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """New rows of the lot layer from shapes drawn on the map (:func:`drawn_polygons`) and the planner's form.

    ``attrs`` holds one mapping per shape with ``lot_no``, ``status`` (English or Vietnamese), ``tenant``,
    ``sector``, ``leased_on`` (date or text) and ``relocated_from``. Every row gets a new id, ``cluster_id``,
    ``geom_quality`` "digitised" and ``source`` "vẽ trên bản đồ (<user>, <date>)"; ``existing`` is the lot layer
    (ids and lot numbers already taken). Returns a frame in EPSG:9208.

    Raises
    ------
    InputDataError
        An unknown status, a bad date, or a lot number already used in this cluster (or twice in the drawing).
    """
    if len(attrs) != len(shapes):
        raise ValueError(f"{len(shapes)} shapes but {len(attrs)} attribute rows")
    taken = [str(v) for v in existing["id"].tolist()] if "id" in existing.columns else []
    ids = next_lot_ids(taken, cluster_id, len(shapes))
    used: dict[str, str] = {}
    if "lot_no" in existing.columns and "cluster_id" in existing.columns:
        mine = existing[(existing["cluster_id"].astype("string") == cluster_id).fillna(False).to_numpy(dtype=bool)]
        for lot_id, lot_no in zip(mine["id"].astype(str), mine["lot_no"], strict=True):
            if (text := _blank(lot_no)) is not None:
                used[fold(text)] = lot_id
    lot_nos = [_blank(a.get("lot_no")) for a in attrs]
    for lot_id, lot_no in zip(ids, lot_nos, strict=True):
        if lot_no is None:
            continue
        if fold(lot_no) in used:
            raise InputDataError(
                f"lot number {lot_no} is already used in this cluster (lot {used[fold(lot_no)]}); give each lot its "
                "own number"
            )
        used[fold(lot_no)] = lot_id
    statuses = normalise_statuses([a.get("status") for a in attrs], labels=ids)
    days = parse_dates(pd.Series([a.get("leased_on") for a in attrs], dtype=object), labels=ids)
    rows = pd.DataFrame(
        {
            "id": ids,
            "name": [f"Lô {no}" if no else lot_id for lot_id, no in zip(ids, lot_nos, strict=True)],
            "source": draw_source(user, day),
            "geom_quality": "digitised",
            "cluster_id": cluster_id,
            "lot_no": lot_nos,
            "status": statuses,
            "tenant": [_blank(a.get("tenant")) for a in attrs],
            "sector": [_blank(a.get("sector")) for a in attrs],
            "leased_on": [None if pd.isna(d) else d.date() for d in days],
            "relocated_from": [_blank(a.get("relocated_from")) for a in attrs],
        }
    )
    geometry = gpd.GeoSeries(to_work(shapes, "the drawn lots").geometry.to_numpy(), crs=WORK_CRS)
    return gpd.GeoDataFrame(rows, geometry=geometry, crs=WORK_CRS)


def append_lots(layer: gpd.GeoDataFrame, rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The lot layer with ``rows`` added (EPSG:9208)."""
    if layer.empty:
        return rows.reset_index(drop=True)
    return gpd.GeoDataFrame(pd.concat([to_work(layer, "the lot layer"), rows], ignore_index=True), crs=WORK_CRS)


def without_lot(layer: gpd.GeoDataFrame, lot_id: str) -> gpd.GeoDataFrame:
    """The lot layer without the lot ``lot_id``.

    Raises
    ------
    InputDataError
        No lot has that id (it was deleted meanwhile).
    """
    keep = (layer["id"].astype("string") != lot_id).fillna(True).to_numpy(dtype=bool)
    if keep.all():
        raise InputDataError(f"there is no lot `{lot_id}` in the lot layer any more; reload the page")
    return layer[keep].reset_index(drop=True)


def reshaped_lot(
    layer: gpd.GeoDataFrame, lot_id: str, shape: shapely.Geometry, *, user: str, day: dt.date
) -> gpd.GeoDataFrame:
    """The lot layer with lot ``lot_id`` given the new ``shape`` (EPSG:9208), drawn on the map by ``user``.

    The lot's ``geom_quality`` becomes "digitised" and its ``source`` says who reshaped it and when.

    Raises
    ------
    InputDataError
        No lot has that id.
    """
    out = to_work(layer, "the lot layer").copy()
    hits = np.flatnonzero((out["id"].astype("string") == lot_id).fillna(False).to_numpy(dtype=bool))
    if not len(hits):
        raise InputDataError(f"there is no lot `{lot_id}` in the lot layer any more; reload the page")
    geoms = out.geometry.to_numpy().copy()
    geoms[hits] = shape
    out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=WORK_CRS))
    for col, value in (("geom_quality", "digitised"), ("source", draw_source(user, day))):
        if col not in out.columns:
            out[col] = None
        out[col] = out[col].astype(object)
        out.iloc[hits, out.columns.get_loc(col)] = value
    return out


def shape_changed(old: shapely.Geometry, new: shapely.Geometry, *, tolerance_m: float = RESHAPE_TOLERANCE_M) -> bool:
    """Whether a reshaped lot differs from its stored shape by more than ``tolerance_m`` anywhere (EPSG:9208)."""
    return bool(shapely.hausdorff_distance(old, new) > tolerance_m)


def edit_latlngs(shape: shapely.Polygon, *, decimals: int = 7) -> list[list[list[float]]]:
    """A polygon in EPSG:4326 as Leaflet's ``L.polygon`` takes it: rings of [lat, lon], not closed."""
    rings = [shape.exterior, *shape.interiors]
    return [[[round(y, decimals), round(x, decimals)] for x, y in ring.coords[:-1]] for ring in rings]


class _DrawLabels(MacroElement):
    """Leaflet.draw's labels in the page's language (``L.drawLocal``), and the toolbar buttons' titles.

    Put in a feature group, so a language switch replaces this script only, never the map (drawings stay).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (labels) {
  Object.keys(labels).forEach(function (path) {
    var keys = path.split("."), o = L.drawLocal;
    for (var i = 0; i < keys.length - 1; i++) { o = o[keys[i]] = o[keys[i]] || {}; }
    o[keys[keys.length - 1]] = labels[path];
  });
  var d = L.drawLocal.draw.toolbar.buttons, e = L.drawLocal.edit.toolbar.buttons;
  function title(cls, on, off) {
    document.querySelectorAll(cls).forEach(function (a) {
      a.title = a.classList.contains("leaflet-disabled") ? off : on;
    });
  }
  title(".leaflet-draw-draw-polygon", d.polygon, d.polygon);
  title(".leaflet-draw-draw-rectangle", d.rectangle, d.rectangle);
  title(".leaflet-draw-edit-edit", e.edit, e.editDisabled);
  title(".leaflet-draw-edit-remove", e.remove, e.removeDisabled);
})({{ this.draw_labels|tojson }});
{% endmacro %}"""
    )

    def __init__(self, labels: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "DrawLabels"
        self.draw_labels = dict(labels)


class _EditableLot(MacroElement):
    """A stored lot as a plain ``L.polygon`` in Leaflet.draw's feature group, so its corners can be dragged.

    It carries :data:`RESHAPE_FLAG` in its GeoJSON properties; only numbers reach the script (no planner text).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.polygon({{ this.latlngs|tojson }}, {{ this.style|tojson }});
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{{ this.get_name() }}.feature = {type: "Feature", properties: {}};
{{ this.get_name() }}.feature.properties[{{ this.flag|tojson }}] = true;
{% endmacro %}"""
    )

    def __init__(self, latlngs: list[list[list[float]]]) -> None:
        super().__init__()
        self._name = "EditableLot"
        self.latlngs = latlngs
        self.style = {"color": DRAWN_COLOR, "weight": 3, "dashArray": "6 4", "fillOpacity": 0.15}
        self.flag = RESHAPE_FLAG


def draw_map(
    *,
    center: tuple[float, float],
    zoom: int,
    reshape: shapely.Polygon | None = None,
) -> folium.Map:
    """The cluster map with Leaflet.draw's polygon and rectangle tools (and editing), loading only local assets.

    ``reshape`` (EPSG:4326) is a stored lot put into the drawing layer so its corners can be edited.
    """
    m = mapkit.base_map(center=center, zoom=zoom, lang=None)
    group = None
    if reshape is not None:
        group = folium.FeatureGroup(name="reshape", control=False).add_to(m)
        _EditableLot(edit_latlngs(reshape)).add_to(group)
    Draw(
        position="topleft",
        show_geometry_on_click=False,
        draw_options=DRAW_OPTIONS,
        edit_options=EDIT_OPTIONS,
        feature_group=group,
    ).add_to(m)
    return mapkit.use_local_assets(m)


def draw_labels(language: str) -> dict[str, str]:
    """Leaflet.draw's labels in ``language``: L.drawLocal path -> text."""
    return {path: t(f"clusters.draw.js.{path}", language) for path in DRAW_LOCAL}


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


def _save(layer_id: str, frame: gpd.GeoDataFrame, message: str, *, clear_drawing: bool = False) -> None:
    """Write a new version (one transaction), remember a message for the next run, and rerun to re-read it.

    ``clear_drawing``: once written, the map is made anew (a new st_folium key), so the saved drawings leave it.
    """
    user = common.settings().user
    version = common.store().write_layer(layer_id, frame, user=user, message=message, origin="edited")
    if clear_drawing:
        st.session_state[state.CLUSTERS_DRAW_GEN] = st.session_state.get(state.CLUSTERS_DRAW_GEN, 0) + 1
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
        _delete_lot(cluster_id, lots)
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
    lots_all = lots
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
    gen = int(st.session_state.get(state.CLUSTERS_DRAW_GEN, 0))
    reshape_id = _reshape_pick(cluster_id, lots, table, gen)
    reshape = None
    if reshape_id is not None:
        reshape = to_display(lots[lots["id"].astype(str) == reshape_id], "the lot").geometry.iloc[0]
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
    if reshape_id is not None:  # drawn by Leaflet.draw's layer instead, with its corners
        keep = (lots["id"].astype(str) != reshape_id).to_numpy()
        lots, table = lots[keep], table[keep]
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
    _DrawLabels(draw_labels(lang())).add_to(group)
    basemap = st.session_state.get(state.MAP_BASEMAP, "none")
    key = f"{state.CLUSTERS_MAP}{cluster_id}.{gen}" + (f".{reshape_id}" if reshape_id is not None else "")
    out = st_folium(
        draw_map(center=center, zoom=zoom, reshape=reshape),
        key=key,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=list(RETURNED_OBJECTS),
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
    features = (out or {}).get("all_drawings")
    if features:
        try:  # an error here is the drawing's: the rest of the page still shows
            _drawn(cluster_id, boundary, lots_all, features, reshape_id, gen)
        except PlanError as exc:
            show_error(exc)


def _lot_choice_labels(table: pd.DataFrame) -> dict[str, str]:
    """Lot id -> "lot number · tenant" for pickers (lot number, else id)."""
    labels = _lot_labels(table)
    tenants = table["tenant"] if "tenant" in table.columns else pd.Series([None] * len(table), index=table.index)
    out: dict[str, str] = {}
    for lot_id, label, tenant in zip(table["id"].astype(str), labels, tenants, strict=True):
        text = _blank(tenant)
        out[lot_id] = f"{label} · {text}" if text else label
    return out


def _reshape_pick(cluster_id: str, lots: gpd.GeoDataFrame, table: pd.DataFrame, gen: int) -> str | None:
    """The drawing help, and the picker of a stored lot to reshape on the map (single-part lots only)."""
    st.caption(tr("clusters.draw.caption"))
    if lots.empty:
        return None
    single = (lots.geometry.geom_type == "Polygon").to_numpy()
    choices = _lot_choice_labels(table[single]) if single.any() else {}
    if not choices:
        return None
    picked = st.selectbox(
        tr("clusters.reshape.pick"),
        options=list(choices),
        index=None,
        placeholder=tr("clusters.reshape.placeholder"),
        format_func=lambda lot_id: choices.get(lot_id, lot_id),
        help=tr("clusters.reshape.help"),
        key=f"{state.CLUSTERS_RESHAPE}{cluster_id}.{gen}",
    )
    return str(picked) if picked is not None else None


def _drawn(
    cluster_id: str,
    boundary: gpd.GeoDataFrame,
    lots: gpd.GeoDataFrame,
    features: Sequence[Mapping[str, Any]],
    reshape_id: str | None,
    gen: int,
) -> None:
    """What the planner drew: the reshaped lot's save button, and the form that saves new lots."""
    language = lang()
    shapes = drawn_polygons(features)
    inside = shapely.union_all(to_work(boundary, "the cluster boundary").geometry.to_numpy())
    user = common.settings().user
    today = dt.date.today()
    is_reshaped = shapes["reshaped"].to_numpy(dtype=bool)
    hit = lots[lots["id"].astype(str) == reshape_id] if reshape_id is not None else lots.iloc[0:0]
    label = _lot_labels(lots_table(hit))[0] if len(hit) else str(reshape_id)
    # new shapes are numbered as in the form below; the reshaped lot is named by its number
    names = np.where(is_reshaped, label, np.cumsum(~is_reshaped).astype(str))
    for name, shape, repaired in zip(names, shapes.geometry, shapes["repaired"], strict=True):
        ha = area_ha(gpd.GeoSeries([shape], crs=WORK_CRS)).iloc[0]
        if repaired:
            st.warning(tr("clusters.draw.repaired").format(i=name, ha=fmt_num(ha, 4, language)))
        outside = shape.difference(inside).area / 10_000.0
        if outside >= 0.0001:
            st.warning(tr("clusters.draw.outside").format(i=name, ha=fmt_num(outside, 4, language)))
    reshaped = shapes[is_reshaped]
    if reshape_id is not None and len(reshaped):
        new_shape = reshaped.geometry.iloc[0]
        if len(hit) and not shape_changed(hit.geometry.iloc[0], new_shape):
            st.info(tr("clusters.reshape.unchanged").format(lot=label))
        elif len(hit):
            old_ha = area_ha(hit.geometry).iloc[0]
            new_ha = area_ha(gpd.GeoSeries([new_shape], crs=WORK_CRS)).iloc[0]
            st.caption(
                tr("clusters.reshape.changed").format(
                    lot=label, old=fmt_num(old_ha, 4, language), new=fmt_num(new_ha, 4, language)
                )
            )
            if st.button(
                tr("clusters.reshape.save").format(lot=label), key=state.CLUSTERS_RESHAPE_SAVE, type="primary"
            ):
                updated = reshaped_lot(_layer("cluster_lots"), reshape_id, new_shape, user=user, day=today)
                _save("cluster_lots", updated, tr("clusters.reshape.message").format(lot=label), clear_drawing=True)
    new = shapes[~is_reshaped]
    if new.empty:
        return
    st.markdown(f"**{tr('clusters.draw.title')}**")
    prefix = f"{state.CLUSTERS_DRAW_FORM}{cluster_id}.{gen}."
    attrs: list[dict[str, object]] = []
    with st.form(f"{prefix}form", border=True):
        for i, shape in enumerate(new.geometry, start=1):
            ha = area_ha(gpd.GeoSeries([shape], crs=WORK_CRS)).iloc[0]
            st.caption(tr("clusters.draw.shape").format(i=i, ha=fmt_num(ha, 4, language)))
            a, b, c = st.columns(3)
            d, e, f = st.columns(3)
            attrs.append(
                {
                    "lot_no": a.text_input(tr("clusters.col.lot"), key=f"{prefix}{i}.lot_no"),
                    "status": b.selectbox(
                        tr("clusters.col.status"),
                        options=list(STATUSES),
                        format_func=_labels("clusters.status."),
                        key=f"{prefix}{i}.status",
                    ),
                    "tenant": c.text_input(tr("clusters.col.tenant"), key=f"{prefix}{i}.tenant"),
                    "sector": d.text_input(tr("clusters.col.sector"), key=f"{prefix}{i}.sector"),
                    "leased_on": e.date_input(
                        tr("clusters.col.leased_on"), value=None, format="DD/MM/YYYY", key=f"{prefix}{i}.leased_on"
                    ),
                    "relocated_from": f.text_input(
                        tr("clusters.col.relocated_from"), key=f"{prefix}{i}.relocated_from"
                    ),
                }
            )
        submitted = st.form_submit_button(tr("clusters.draw.save"), type="primary", key=state.CLUSTERS_DRAW_SAVE)
    if not submitted:
        return
    layer = _layer("cluster_lots")
    rows = lots_from_drawings(new, attrs, cluster_id=cluster_id, user=user, day=today, existing=layer)
    listed = ", ".join(_blank(no) or str(lot_id) for lot_id, no in zip(rows["id"], rows["lot_no"], strict=True))
    _save(
        "cluster_lots",
        append_lots(layer, rows),
        tr("clusters.draw.message").format(n=len(rows), lots=listed),
        clear_drawing=True,
    )


def _delete_lot(cluster_id: str, lots: gpd.GeoDataFrame) -> None:
    if lots.empty:
        return
    st.markdown(f"**{tr('clusters.delete.title')}**")
    choices = _lot_choice_labels(lots_table(lots))
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
    _save(
        "cluster_lots",
        without_lot(_layer("cluster_lots"), str(picked)),
        tr("clusters.delete.message").format(lot=label),
    )


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

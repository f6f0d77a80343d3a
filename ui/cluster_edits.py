"""The cluster page's edits of its store layers, as pure functions (no Streamlit): testable on their own.

Uploaded files shaped as a cluster's features (Vietnamese column names standardised), lots from corner-coordinate
tables and from shapes drawn on the map (streamlit-folium's GeoJSON), new lot ids, attribute edits, reshaping and
deletion of a lot, the labels lots are listed by, and the facilities of ``ttcn_facilities`` the what-if offers to
relocate. Everything is returned in EPSG:9208.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.occupancy import normalise_statuses, normalise_uses, parse_dates
from geo.crs import DISPLAY_CRS, WORK_CRS, to_work
from geo.errors import InputDataError
from geo.geometry import repair
from geo.text import fold, nfc

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
#: property marking the stored lot put on the map for reshaping (the browser sends it back with the shape)
RESHAPE_FLAG = "baoyen_reshape"
#: more shapes than this in one save is not a planner drawing lots by hand
MAX_DRAWN = 200
#: a drawn shape smaller than this is a slip of the mouse, not a lot
MIN_DRAWN_M2 = 1.0
#: ``source`` of a lot drawn (or reshaped) on the map
DRAW_SOURCE = "vẽ trên bản đồ ({user}, {day})"
#: ``source`` of a lot made from corner coordinates typed in (written in Vietnamese, as all authored data text)
CORNER_SOURCE = "tọa độ góc do {user} nhập ({day})"
#: a reshaped lot closer than this to its stored shape everywhere is unchanged (the round trip through
#: EPSG:4326 and 7-decimal degrees moves corners by about a centimetre)
RESHAPE_TOLERANCE_M = 0.05


# --- files, corner tables and edited attributes -----------------------------------------------------------------------


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
            raise InputDataError(
                f"corner line {n} ('{line}') is not 'X Y'; write the northing and the easting",
                code="corners.not_xy",
                n=n,
                line=line,
            )
        x_north, y_east = (float(tok.replace(",", ".")) for tok in tokens[-2:])
        corners.append((y_east, x_north))
    if len({c for c in corners}) < 3:
        raise InputDataError("a lot needs at least three different corners, one 'X Y' a line", code="corners.too_few")
    east = np.array([c[0] for c in corners])
    north = np.array([c[1] for c in corners])
    if not ((east > 100_000) & (east < 900_000)).all() or not ((north > 2_000_000) & (north < 2_700_000)).all():
        raise InputDataError(
            "the corners are not in Lào Cai in EPSG:9208: X (northing) should be about 2 460 000 and Y (easting) "
            "about 470 000; check that X and Y are not swapped and that the table is in VN-2000 / TM-3 104°45′",
            code="corners.not_lao_cai",
        )
    ring = repair(np.array([shapely.Polygon(corners)], dtype=object))[0][0]
    if ring.is_empty or ring.area <= 0:
        raise InputDataError("the corners enclose no area; list them in order around the lot", code="corners.no_area")
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
                "operating (trống, đã cho thuê, đang xây dựng, đang hoạt động)",
                code="lots.no_status_field",
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
                "(đất công nghiệp, đất giao thông, đất cây xanh, đất hạ tầng kỹ thuật, …)",
                code="lots.no_use_field",
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


# --- lots drawn on the map --------------------------------------------------------------------------------------------


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
            f"{len(items)} shapes were drawn; save at most {MAX_DRAWN} at a time, or import the lots as a file",
            code="draw.too_many",
            count=len(items),
            limit=MAX_DRAWN,
        )
    shapes: list[shapely.Geometry] = []
    reshaped: list[bool] = []
    for n, feature in enumerate(items, start=1):
        geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
        kind = geometry.get("type") if isinstance(geometry, Mapping) else None
        if kind not in ("Polygon", "MultiPolygon"):
            raise InputDataError(
                f"drawing {n} is a {kind or 'shape without geometry'}, not a polygon; draw lots with the polygon or "
                "rectangle tool",
                code="draw.not_polygon",
                n=n,
                kind=str(kind or ""),
            )
        try:
            shape = shapely.geometry.shape(geometry)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise InputDataError(
                f"drawing {n} is not a valid GeoJSON polygon ({exc}); draw it again", code="draw.invalid", n=n
            ) from exc
        xy = shapely.get_coordinates(shape)
        if not len(xy) or not np.isfinite(xy).all() or (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
            raise InputDataError(
                f"drawing {n} has coordinates that are not longitude/latitude; draw it again",
                code="draw.not_lonlat",
                n=n,
            )
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
                f"drawing {n} encloses no area (less than {MIN_DRAWN_M2:g} m²); draw the lot again around its corners",
                code="draw.no_area",
                n=n,
                min_m2=float(MIN_DRAWN_M2),
            )
        out.append(shape)
        repaired.append(bool(bad))
    return gpd.GeoDataFrame(
        {"repaired": repaired, "reshaped": reshaped}, geometry=gpd.GeoSeries(out, crs=WORK_CRS), crs=WORK_CRS
    )


def drawn_overlaps(
    shapes: Sequence[shapely.Geometry],
    names: Sequence[str],
    lots: gpd.GeoDataFrame,
    *,
    skip_id: str | None = None,
    min_ha: float = 0.0001,
) -> list[tuple[str, float, list[str]]]:
    """How each drawn shape overlaps the stored lots and the shapes drawn before it, while drawing.

    Parameters
    ----------
    shapes
        The drawn shapes in EPSG:9208 (as :func:`drawn_polygons` returns them), in drawing order.
    names
        What the page calls each shape (its number, or the reshaped lot's label).
    lots
        The cluster's stored lots (any CRS; measured in EPSG:9208).
    skip_id
        The lot being reshaped: its stored shape is not an overlap of its new one.
    min_ha
        Overlaps smaller than this (hectares) are slivers of drawing by hand, not reported.

    Returns
    -------
    list of (name, overlap_ha, [the lots or shapes it overlaps])
        One entry per shape that overlaps anything by ``min_ha`` or more.
    """
    stored = to_work(lots, "the lots") if len(lots) else lots
    if len(stored) and skip_id is not None and "id" in stored.columns:
        stored = stored[(stored["id"].astype(str) != skip_id).to_numpy()]
    stored_labels = lot_labels(pd.DataFrame(stored.drop(columns=stored.geometry.name))) if len(stored) else []
    stored_geoms = list(stored.geometry) if len(stored) else []
    out: list[tuple[str, float, list[str]]] = []
    for k, (name, shape) in enumerate(zip(names, shapes, strict=True)):
        others = [*zip(stored_labels, stored_geoms, strict=True), *zip(names[:k], shapes[:k], strict=True)]
        hits = [(label, shape.intersection(geom).area / 10_000.0) for label, geom in others if geom is not None]
        hits = [(label, ha) for label, ha in hits if ha >= min_ha]
        if hits:
            overlap = shapely.union_all([shape.intersection(g) for _, g in others if g is not None]).area / 10_000.0
            out.append((str(name), float(overlap), [label for label, _ in hits]))
    return out


def text_or_none(value: object) -> str | None:
    """Stripped NFC text, or None for empty values."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    text = nfc(str(value)).strip()
    return text or None


def corner_source(user: str, day: dt.date) -> str:
    """The ``source`` of a lot made from corner coordinates typed in by ``user`` on ``day``."""
    return CORNER_SOURCE.format(user=user, day=day.isoformat())


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
            if (text := text_or_none(lot_no)) is not None:
                used[fold(text)] = lot_id
    lot_nos = [text_or_none(a.get("lot_no")) for a in attrs]
    for lot_id, lot_no in zip(ids, lot_nos, strict=True):
        if lot_no is None:
            continue
        if fold(lot_no) in used:
            raise InputDataError(
                f"lot number {lot_no} is already used in this cluster (lot {used[fold(lot_no)]}); give each lot its "
                "own number",
                code="lots.number_taken",
                lot_no=lot_no,
                lot=used[fold(lot_no)],
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
            "tenant": [text_or_none(a.get("tenant")) for a in attrs],
            "sector": [text_or_none(a.get("sector")) for a in attrs],
            "leased_on": [None if pd.isna(d) else d.date() for d in days],
            "relocated_from": [text_or_none(a.get("relocated_from")) for a in attrs],
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
        raise InputDataError(
            f"there is no lot `{lot_id}` in the lot layer any more; reload the page", code="lots.gone", lot=lot_id
        )
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
        raise InputDataError(
            f"there is no lot `{lot_id}` in the lot layer any more; reload the page", code="lots.gone", lot=lot_id
        )
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


# --- how lots are listed ----------------------------------------------------------------------------------------------


def lot_labels(table: pd.DataFrame) -> list[str]:
    """Lot number, else id, for tooltips."""
    out = []
    for i in range(len(table)):
        lot = table["lot_no"].iloc[i] if "lot_no" in table.columns else None
        if lot is None or pd.isna(lot) or not str(lot).strip():
            lot = table["id"].iloc[i] if "id" in table.columns else ""
        out.append(str(lot))
    return out


def lot_choice_labels(table: pd.DataFrame) -> dict[str, str]:
    """Lot id -> "lot number · tenant" for pickers (lot number, else id)."""
    labels = lot_labels(table)
    tenants = table["tenant"] if "tenant" in table.columns else pd.Series([None] * len(table), index=table.index)
    out: dict[str, str] = {}
    for lot_id, label, tenant in zip(table["id"].astype(str), labels, tenants, strict=True):
        text = text_or_none(tenant)
        out[lot_id] = f"{label} · {text}" if text else label
    return out


# --- facilities to relocate into the cluster (the what-if's candidates) -----------------------------------------------

#: what-if option key of a facility of ``ttcn_facilities``: this prefix + its id (category keys have no colon)
FACILITY_KEY = "facility:"


def relocation_candidates(
    facilities: gpd.GeoDataFrame,
    boundary: gpd.GeoDataFrame,
    *,
    commune_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The facilities marked ``to_relocate`` that are not in the cluster yet, as what-if candidates.

    A facility is a candidate when its ``to_relocate`` is true (a missing or false value is not) and its point is
    not within the cluster ``boundary`` (a point on the boundary line counts as within). A facility without a
    position cannot be in the cluster and stays a candidate. Facilities carry no area: the planner enters it.

    Parameters
    ----------
    facilities
        The ``ttcn_facilities`` layer (points; ``to_relocate`` bool; ``name``, ``sector``, ``commune_name`` or
        ``commune_code`` used when present).
    boundary
        The cluster's boundary polygon(s); an empty frame has nothing inside.
    commune_names
        Commune code -> name, to name a facility's ``commune_code``.

    Returns
    -------
    pandas.DataFrame
        One row per candidate, in layer order: ``key`` (:data:`FACILITY_KEY` + id, unique), ``id``, ``name``,
        ``sector``, ``commune`` (None when absent) and ``label`` ("name · sector · commune").
    """
    columns = ["key", "id", "name", "sector", "commune", "label"]
    if len(facilities) == 0 or "to_relocate" not in facilities.columns:
        return pd.DataFrame(columns=columns, dtype=object)
    flagged = np.array([v is True or (isinstance(v, np.bool_) and bool(v)) for v in facilities["to_relocate"]])
    inside = np.zeros(len(facilities), dtype=bool)
    if len(boundary):
        shape = shapely.union_all(to_work(boundary, "the cluster boundary").geometry.to_numpy())
        points = to_work(facilities, "the facilities").geometry.to_numpy()
        located = ~(shapely.is_missing(points) | shapely.is_empty(points))
        inside[located] = shapely.covers(shape, points[located])
    names = commune_names or {}
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for i in np.flatnonzero(flagged & ~inside):
        row = facilities.iloc[i]
        fid = text_or_none(row.get("id")) or str(i)
        key = FACILITY_KEY + fid
        n = 2
        while key in seen:  # user data may repeat an id; each row stays its own option
            key, n = f"{FACILITY_KEY}{fid}#{n}", n + 1
        seen.add(key)
        name = text_or_none(row.get("name")) or fid
        sector = text_or_none(row.get("sector"))
        code = text_or_none(row.get("commune_code"))
        commune = text_or_none(row.get("commune_name")) or (names.get(code, code) if code else None)
        label = " · ".join(part for part in (name, sector, commune) if part)
        rows.append({"key": key, "id": fid, "name": name, "sector": sector, "commune": commune, "label": label})
    return pd.DataFrame(rows, columns=columns, dtype=object)  # None stays None (not NaN) where a part is absent

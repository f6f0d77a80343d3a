"""Land occupancy of an industrial cluster (tỷ lệ lấp đầy) against the plan's 50 % target.

The plan's target II.(7): by 2025 the facilities moved into CCN Phố Ràng occupy 50 % of its planned area.
Decree 32/2024/NĐ-CP uses the same measure: a new cluster needs the existing ones above 50 % occupancy, an
expansion needs at least 60 %.

occupancy = area(union(lots allocated | building | operating) ∩ cluster ∩ leasable land) ÷ area(leasable land)

Leasable land is the union of the zoning polygons whose use is industrial, clipped to the cluster; without
such zoning, a leasable area in hectares (argument, else the cluster's ``leasable_ha`` attribute); else the
cluster's gross area (basis "gross"). Every area is measured in EPSG:9208.

Speed: lots that overlap no other lot (nearly all of them, in real data) are measured one by one and summed,
vectorised; only the few lots involved in an overlap are unioned. The lots involved are found among STRtree
candidates: pairs whose envelopes merely touch drop out at once, pairs of which one is a convex lot with the
other wholly beyond one of its edges drop out by exact-sign orientation tests in numpy (a separating edge), and
the rest are confirmed by pairwise intersection, so no per-row Python loop runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import M2_PER_HA, require_crs, to_work
from geo.errors import InputDataError
from geo.geometry import envelope_pairs, repair
from geo.numbers import format_number
from geo.safety import CodedNote
from geo.text import fold, nfc
from layers.catalogue import CLUSTER_USE_CHOICES, LOT_STATUS_CHOICES

# --- thresholds -------------------------------------------------------------------------------------------

#: Plan target II.(7): facilities moved into CCN Phố Ràng occupy 50 % of its planned area by 2025.
PLAN_TARGET_PCT = 50.0
PLAN_TARGET_YEAR = 2025
#: Decree 32/2024/NĐ-CP: a new cluster only when the existing clusters' average occupancy is above 50 % ...
NEW_CLUSTER_MIN_PCT = 50.0
#: ... or when no more than 100 ha of industrial land is still unleased.
NEW_CLUSTER_UNLEASED_MAX_HA = 100.0
#: Decree 32/2024/NĐ-CP: expanding a cluster needs at least 60 % occupancy ...
EXPANSION_MIN_PCT = 60.0
#: ... and the cluster may be at most 75 ha after expansion.
EXPANSION_MAX_HA = 75.0

# --- vocabularies -----------------------------------------------------------------------------------------

#: lot statuses and zoning uses: the catalogue's choices (labels: LOT_STATUS_LABELS, USE_LABELS there)
STATUSES: tuple[str, ...] = LOT_STATUS_CHOICES
#: statuses whose lots count as occupied
OCCUPIED_STATUSES: tuple[str, ...] = ("allocated", "building", "operating")
USES: tuple[str, ...] = CLUSTER_USE_CHOICES

# Written as planners write them; matched after geo.text.fold (no diacritics, case-folded).
_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "vacant": ("vacant", "trống", "còn trống", "chưa cho thuê", "đất trống", "empty", "free"),
    "allocated": ("allocated", "đã cho thuê", "cho thuê", "đã thuê", "đã giao đất", "leased"),
    "building": ("building", "đang xây dựng", "xây dựng", "under construction", "construction"),
    "operating": ("operating", "đang hoạt động", "hoạt động", "in operation", "đã đi vào hoạt động"),
}
_USE_WORDS: dict[str, tuple[str, ...]] = {
    "industrial": (
        "industrial",
        "đất công nghiệp",
        "công nghiệp",
        "đất xây dựng nhà máy",
        "đất nhà máy, kho tàng",
        "đất xây dựng nhà máy, kho tàng",
        "đất sản xuất công nghiệp",
        "cn",
        "skn",
    ),
    "road": ("road", "roads", "đất giao thông", "giao thông", "đường giao thông", "gt"),
    "green": ("green", "đất cây xanh", "cây xanh", "đất cây xanh, mặt nước", "cây xanh cách ly", "cx"),
    "technical": (
        "technical",
        "đất hạ tầng kỹ thuật",
        "hạ tầng kỹ thuật",
        "đất đầu mối hạ tầng kỹ thuật",
        "đất công trình đầu mối hạ tầng kỹ thuật",
        "htkt",
        "ht",
    ),
    "other": (
        "other",
        "đất khác",
        "khác",
        "services",
        "đất dịch vụ",
        "đất trung tâm điều hành, dịch vụ",
        "đất hành chính, dịch vụ",
        "water",
        "mặt nước",
        "dv",
    ),
}


def _index(words: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, variants in words.items():
        for w in variants:
            out[fold(w)] = canonical
    return out


_STATUS_INDEX = _index(_STATUS_WORDS)
_USE_INDEX = _index(_USE_WORDS)

# --- notices (warnings) -----------------------------------------------------------------------------------

_NOTICE_TEXT: dict[str, tuple[str, str]] = {
    "no_lots": (
        "lớp lô đất trống: tỷ lệ lấp đầy 0 %; hãy nhập hoặc vẽ các lô đất của cụm",
        "the lot layer is empty: occupancy is 0 %; import or draw the cluster's lots",
    ),
    "gross_basis": (
        "không có quy hoạch đất công nghiệp và diện tích cho thuê (leasable_ha): tỷ lệ tính trên tổng diện tích "
        "cụm ({cluster_ha} ha); Nghị định 32/2024 tính trên đất công nghiệp có thể cho thuê — hãy nhập lớp quy "
        "hoạch sử dụng đất hoặc diện tích cho thuê",
        "no industrial zoning and no leasable_ha: occupancy is over the cluster's gross area ({cluster_ha} ha); "
        "Decree 32/2024 divides by leasable industrial land, so give the zoning or the leasable area (ha)",
    ),
    "zoning_no_industrial": (
        "lớp quy hoạch sử dụng đất không có đất công nghiệp trong ranh giới cụm; dùng cơ sở tính khác",
        "the zoning has no industrial land inside the cluster boundary; another basis is used",
    ),
    "leasable_ignored": (
        "bỏ qua diện tích cho thuê {given_ha} ha: quy hoạch đất công nghiệp cho {zoned_ha} ha",
        "leasable_ha {given_ha} ha was ignored: the industrial zoning gives {zoned_ha} ha",
    ),
    "industrial_outside": (
        "{area_ha} ha đất công nghiệp trong lớp quy hoạch nằm ngoài ranh giới cụm, không được tính",
        "{area_ha} ha of industrial zoning lies outside the cluster boundary and is not counted",
    ),
    "leasable_exceeds_gross": (
        "diện tích cho thuê {leasable_ha} ha lớn hơn tổng diện tích cụm {cluster_ha} ha; hãy kiểm tra",
        "leasable_ha {leasable_ha} ha is larger than the cluster's gross area {cluster_ha} ha; check it",
    ),
    "over_leasable": (
        "diện tích đã lấp đầy ({occupied_ha} ha) vượt diện tích cho thuê ({leasable_ha} ha); tỷ lệ được giới hạn "
        "ở 100 %; hãy kiểm tra diện tích cho thuê",
        "occupied land ({occupied_ha} ha) exceeds leasable_ha ({leasable_ha} ha); occupancy is capped at 100 %; "
        "check leasable_ha",
    ),
    "repaired": (
        "{count} lô có hình học không hợp lệ đã được sửa bằng make_valid: {lots}",
        "{count} invalid lot geometries were repaired with make_valid: {lots}",
    ),
    "no_geometry": (
        "{count} lô không có hình học, bị bỏ qua: {lots}",
        "{count} lots have no geometry and were skipped: {lots}",
    ),
    "outside": (
        "{area_ha} ha của các lô đã cho thuê nằm ngoài ranh giới cụm, không được tính: {lots}",
        "{area_ha} ha of the counted lots lies outside the cluster boundary and is excluded: {lots}",
    ),
    "not_leasable": (
        "{area_ha} ha của các lô đã cho thuê nằm trên đất không phải đất công nghiệp (giao thông, cây xanh, "
        "hạ tầng), không được tính",
        "{area_ha} ha of the counted lots lies on land that is not industrial (roads, green, technical) and is "
        "excluded",
    ),
    "overlap": (
        "các lô đã cho thuê chồng lấn nhau {area_ha} ha (chỉ tính một lần): {lots}",
        "the counted lots overlap on {area_ha} ha (counted once): {lots}",
    ),
    "undated": (
        "{count} lô đã cho thuê không có ngày thuê (leased_on), không được tính đến ngày {as_of}: {lots}",
        "{count} leased lots have no leased_on date and are not counted as of {as_of}: {lots}",
    ),
}


@dataclass(frozen=True)
class Notice:
    """A warning of the measure: a code and its values, readable in Vietnamese or English.

    The values are kept as they are and formatted for the language asked (``1,0724 ha`` in Vietnamese,
    ``1.0724 ha`` in English; days as dd/mm/yyyy in Vietnamese).
    """

    code: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        """The warning in ``lang`` ("vi" or "en")."""
        vi, en = _NOTICE_TEXT[self.code]
        return (en if lang == "en" else vi).format(**{k: _fmt(v, lang) for k, v in self.values})


def _notice(code: str, **values: object) -> Notice:
    return Notice(code, tuple(values.items()))


def _fmt(value: object, lang: str) -> str:
    if isinstance(value, float):
        return format_number(value, lang) if value else "0"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()
    return str(value)


def _some(labels: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(labels[:limit])
    return shown + (f" … (+{len(labels) - limit})" if len(labels) > limit else "")


#: how many features an error names (the rest are counted)
_NAMED = 10


def _named(items: Sequence[str]) -> dict[str, object]:
    """The params that name the features of an error: the first few (``features``), how many more (``more``)."""
    return {"count": len(items), "features": list(items[:_NAMED]), "more": max(0, len(items) - _NAMED)}


def _row(n: int) -> CodedNote:
    """The label of a feature without an id: its 1-based row, said in the message's language."""
    return CodedNote(f"row {n}", "occupancy.row", row=n)


def _valued(label: str, value: object) -> CodedNote:
    """A feature and the value it gives (``L2 ('đang đàm phán')``, ``L3 (empty)``), for an error's list."""
    if _blank(value):
        return CodedNote(f"{label} (empty)", "occupancy.value_empty", feature=label)
    text = nfc(str(value))
    return CodedNote(f"{label} ({text!r})", "occupancy.value", feature=label, value=text)


# --- results ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupancyResult:
    """Occupancy of one cluster. Areas in hectares (EPSG:9208), percentages 0–100."""

    basis: str
    cluster_ha: float
    leasable_ha: float
    occupied_ha: float
    occupancy_pct: float
    target_pct: float
    gap_ha: float
    outside_ha: float
    overlap_ha: float
    repaired: int
    by_status: Mapping[str, float]
    notices: tuple[Notice, ...] = ()
    as_of: dt.date | None = None

    @property
    def warnings(self) -> list[str]:
        """The warnings in English (the CLI's language)."""
        return [n.text("en") for n in self.notices]

    @property
    def meets_target(self) -> bool:
        """True when occupancy reaches ``target_pct``."""
        return self.occupancy_pct >= self.target_pct

    @property
    def meets_expansion(self) -> bool:
        """True when occupancy reaches Decree 32/2024's 60 % for an expansion."""
        return self.occupancy_pct >= EXPANSION_MIN_PCT

    def to_dict(self) -> dict[str, Any]:
        """Exactly the keys of the ``baoyen occupancy --json`` object (ha to 1 m², % to 0.001)."""
        return {
            "basis": self.basis,
            "cluster_ha": round(self.cluster_ha, 4),
            "leasable_ha": round(self.leasable_ha, 4),
            "occupied_ha": round(self.occupied_ha, 4),
            "occupancy_pct": round(self.occupancy_pct, 3),
            "target_pct": self.target_pct,
            "gap_ha": round(self.gap_ha, 4),
            "outside_ha": round(self.outside_ha, 4),
            "overlap_ha": round(self.overlap_ha, 4),
            "repaired": self.repaired,
            "by_status": {k: round(v, 4) for k, v in self.by_status.items()},
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class WhatIfResult:
    """Projected occupancy after relocating facilities that need ``added_ha`` of leasable land."""

    base: OccupancyResult
    added_ha: float
    placed_ha: float
    free_ha: float
    projected_occupied_ha: float
    projected_pct: float
    gap_ha: float

    @property
    def unplaced_ha(self) -> float:
        """Area the cluster's free leasable land cannot take."""
        return self.added_ha - self.placed_ha

    @property
    def meets_target(self) -> bool:
        """True when the projection reaches the base result's target."""
        return self.projected_pct >= self.base.target_pct

    @property
    def meets_expansion(self) -> bool:
        """True when the projection reaches Decree 32/2024's 60 %."""
        return self.projected_pct >= EXPANSION_MIN_PCT


# --- normalisation ----------------------------------------------------------------------------------------


def normalise_statuses(values: Iterable[object], *, labels: Sequence[str] | None = None) -> list[str]:
    """Canonical lot statuses (vacant | allocated | building | operating) for English or Vietnamese input.

    Raises
    ------
    InputDataError
        Naming the lots with an unknown or missing status and listing the allowed values.
    """
    return _normalise(values, _STATUS_INDEX, STATUSES, _STATUS_WORDS, "status", labels, code="occupancy.unknown_status")


def normalise_uses(values: Iterable[object], *, labels: Sequence[str] | None = None) -> list[str]:
    """Canonical zoning uses (industrial | road | green | technical | other) for English or Vietnamese input.

    Raises
    ------
    InputDataError
        Naming the polygons with an unknown or missing use and listing the allowed values.
    """
    return _normalise(values, _USE_INDEX, USES, _USE_WORDS, "use", labels, code="occupancy.unknown_use")


def _normalise(
    values: Iterable[object],
    index: Mapping[str, str],
    allowed: Sequence[str],
    words: Mapping[str, tuple[str, ...]],
    what: str,
    labels: Sequence[str] | None,
    *,
    code: str,
) -> list[str]:
    raw = list(values)
    lookup: dict[object, str | None] = {}
    for v in set(raw):
        lookup[v] = index.get(fold(v)) if isinstance(v, str) else None
    out = [lookup[v] for v in raw]
    bad: list[str] = []
    if None in lookup.values():
        for n, (v, hit) in enumerate(zip(raw, out, strict=True)):
            if hit is None:
                bad.append(_valued(labels[n] if labels is not None else _row(n + 1), v))
    if bad:
        vi = "; ".join(f"{k} ({words[k][1]})" for k in allowed)
        raise InputDataError(
            f"unknown {what} in {len(bad)} feature(s): {_some(bad)}; allowed values are {vi} "
            "(Vietnamese terms are accepted too)",
            code=code,
            **_named(bad),
        )
    return [v or "" for v in out]


def _blank(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))  # type: ignore[call-overload]


def feature_labels(frame: pd.DataFrame) -> list[str]:
    """How features are named in messages: their ``id``, else ``lot_no``/``name``, else the row number."""
    for col in ("id", "lot_no", "name"):
        if col in frame.columns:
            text = frame[col].astype("string").str.strip()
            blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
            out = text.to_numpy(dtype=object, na_value="")
            out[blank] = [_row(int(n) + 1) for n in np.flatnonzero(blank)]
            return [v if isinstance(v, str) else str(v) for v in out]
    return [_row(n + 1) for n in range(len(frame))]


def parse_dates(values: pd.Series, *, labels: Sequence[str] | None = None, what: str = "leased_on") -> pd.Series:
    """Dates from ISO text (2023-05-31), Vietnamese day-first text (31/05/2023), dates or datetimes.

    Returns a ``datetime64[ns]`` series (NaT where empty). Raises :class:`InputDataError` naming the features
    whose value is not a date.
    """
    s = pd.Series(values).reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return out.dt.normalize().astype("datetime64[ns]")
    # NaT is a datetime too: test for blanks first
    text = s.map(lambda v: None if _blank(v) else v.isoformat() if isinstance(v, dt.date) else str(v).strip())
    iso = pd.to_datetime(text.str.slice(0, 10), format="%Y-%m-%d", errors="coerce")
    vn = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    out = iso.fillna(vn)
    bad = out.isna() & text.notna()
    if bad.any():
        names = labels if labels is not None else [_row(n + 1) for n in range(len(s))]
        shown = [_valued(names[int(i)], text.iloc[i]) for i in np.flatnonzero(bad.to_numpy())]
        raise InputDataError(
            f"`{what}` is not a date in {len(shown)} feature(s): {_some(shown)}; write dates as YYYY-MM-DD "
            "(or DD/MM/YYYY)",
            code="occupancy.bad_dates",
            field=what,
            **_named(shown),
        )
    return out.astype("datetime64[ns]")


# --- choosing a cluster -----------------------------------------------------------------------------------


def cluster_ids(clusters: pd.DataFrame) -> list[str]:
    """The ids of the clusters in a boundary frame, in order, without repeats.

    A boundary file names its clusters by ``id``; the store's ``cluster_boundaries`` layer refers to the
    clusters layer by ``cluster_id`` (one cluster may have several boundary parts), which then wins.
    """
    col = None
    if "cluster_id" in clusters.columns and len(clusters) and not clusters["cluster_id"].map(_blank).any():
        col = "cluster_id"
    elif "id" in clusters.columns:
        col = "id"
    if col is None:
        return []
    return list(dict.fromkeys(str(v) for v in clusters[col].tolist() if not _blank(v)))


def pick_cluster(clusters: gpd.GeoDataFrame, cluster_id: str | None = None) -> gpd.GeoDataFrame:
    """The boundary feature(s) of one cluster.

    ``cluster_id`` matches the ``id`` field, else the ``cluster_id`` field (the store's boundary layer
    refers to the clusters layer that way). Without an id the frame must hold one cluster (features
    without any id field are read as the parts of one cluster).

    Raises
    ------
    InputDataError
        When the frame is empty, the id is unknown, or there are several clusters and no id; the message
        lists the ids.
    """
    if len(clusters) == 0:
        raise InputDataError(
            "the cluster boundary layer is empty; import the cluster's boundary first (store layer "
            "`cluster_boundaries`, or a boundary file)",
            code="cluster.empty",
        )
    if cluster_id is not None:
        want = str(cluster_id).strip()
        for col in ("id", "cluster_id"):
            if col in clusters.columns:
                hit = clusters[clusters[col].astype("string").str.strip() == want]
                if len(hit):
                    return hit
        held = ", ".join(cluster_ids(clusters)) or "no `id` field (its features are read as one cluster)"
        raise InputDataError(
            f"no cluster has the id '{want}'; the boundary layer holds: {held}",
            code="cluster.unknown",
            id=want,
            ids=cluster_ids(clusters),
        )
    ids = cluster_ids(clusters)
    if len(ids) > 1:
        raise InputDataError(
            f"the boundary layer holds several clusters ({', '.join(ids)}); choose one of them",
            code="cluster.several",
            ids=ids,
        )
    return clusters


def lots_of_cluster(frame: gpd.GeoDataFrame, cluster: gpd.GeoDataFrame, *, key: str = "cluster_id") -> gpd.GeoDataFrame:
    """The rows of a shared lot (or zoning) layer that belong to ``cluster``.

    A row belongs when its ``cluster_id`` equals the cluster's ``cluster_id`` or ``id``; a row without a
    ``cluster_id`` belongs when it intersects the cluster. A frame without the field is returned whole.
    """
    if key not in frame.columns or len(frame) == 0:
        return frame
    own = {str(v) for col in ("cluster_id", "id") if col in cluster.columns for v in cluster[col] if not _blank(v)}
    ref = frame[key]
    blank = ref.isna() | (ref.astype("string").str.strip() == "")
    mine = ref.astype("string").str.strip().isin(own).fillna(False).to_numpy(dtype=bool)
    if blank.any():
        shape = shapely.union_all(to_work(cluster, "the cluster boundary").geometry.to_numpy())
        work = to_work(frame, "the lots").geometry.to_numpy()
        near = np.zeros(len(frame), dtype=bool)
        near[blank.to_numpy()] = shapely.intersects(work[blank.to_numpy()], shape)
        mine = mine | near
    return frame[mine]


# --- geometry helpers -------------------------------------------------------------------------------------


def _polygonal(geoms: np.ndarray) -> np.ndarray:
    """Keep the polygonal parts of each geometry (make_valid may return a collection with lines)."""
    out = geoms.copy()
    kinds = shapely.get_type_id(out)
    coll = np.flatnonzero(kinds == 7)
    for i in coll:  # rare: only repaired geometries that collapsed partly
        parts = shapely.get_parts(out[i])
        polys = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
        out[i] = shapely.union_all(polys) if len(polys) else shapely.Polygon()
    return out


def _repair(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valid polygonal geometries and the mask of the ones that were invalid.

    Repair is ``shapely.make_valid``: a zero-width buffer can drop half of a bow-tie.
    """
    fixed, invalid = repair(geoms)
    if invalid.any():
        fixed[invalid] = _polygonal(fixed[invalid])
    return fixed, invalid


def _region(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> BaseGeometry:
    work = to_work(frame, what)
    geoms = work.geometry.to_numpy() if isinstance(work, gpd.GeoDataFrame) else work.to_numpy()
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    geoms, _ = _repair(geoms)
    geoms = geoms[np.isin(shapely.get_type_id(geoms), (3, 6))]
    return shapely.union_all(geoms) if len(geoms) else shapely.Polygon()


def _clipped_area(geoms: np.ndarray, region: BaseGeometry) -> np.ndarray:
    """Area (m²) of each geometry inside ``region``; whole lots inside are not intersected at all."""
    area = np.zeros(len(geoms))
    if region.is_empty or len(geoms) == 0:
        return area
    shapely.prepare(region)
    hit = shapely.intersects(region, geoms)
    inside = hit & shapely.contains_properly(region, geoms)
    area[inside] = shapely.area(geoms[inside])
    edge = hit & ~inside
    if edge.any():
        area[edge] = shapely.area(shapely.intersection(geoms[edge], region))
    return area


@dataclass(frozen=True)
class _Overlaps:
    """Lots whose interiors meet another lot's, and the confirmed pairs with their intersections."""

    involved: np.ndarray  # bool per lot
    first: np.ndarray  # int, pair member
    second: np.ndarray  # int, pair member
    shapes: np.ndarray  # intersection geometries (positive area)


def _find_overlaps(geoms: np.ndarray) -> _Overlaps:
    n = len(geoms)
    none = _Overlaps(np.zeros(n, dtype=bool), np.zeros(0, int), np.zeros(0, int), np.empty(0, dtype=object))
    if n < 2:
        return none
    # two lots can only overlap when their envelopes overlap with positive area
    a, b = envelope_pairs(geoms)
    if len(a) > n // 2:
        # Rotated or irregular lots: most neighbours' envelopes overlap. A pair is dropped when an edge of one
        # of them, a convex lot, has the other wholly on its outer side (then their interiors cannot meet);
        # that is decided with exact-sign orientation tests, and every pair it cannot decide is intersected.
        apart = _proved_apart(geoms, a, b)
        a, b = a[~apart], b[~apart]
    if len(a) == 0:
        return none
    inter = shapely.intersection(geoms[a], geoms[b])
    real = shapely.area(inter) > 0.0
    involved = np.zeros(n, dtype=bool)
    involved[a[real]] = True
    involved[b[real]] = True
    return _Overlaps(involved, a[real], b[real], inter[real])


#: the most vertices a lot may have for the separating-edge test (lots with more are intersected)
_SAT_VERTICES = 16
#: Shewchuk's error bound of the 2D orientation determinant: a computed sign beyond it is the exact sign
_EPS = np.finfo(np.float64).eps / 2
_ORIENT_BOUND = (3.0 + 16.0 * _EPS) * _EPS
#: pairs per block of the separating-edge test (bounds its memory: about 40 MB a block)
_SAT_BLOCK = 20_000


def _orient(
    ax: np.ndarray, ay: np.ndarray, bx: np.ndarray, by: np.ndarray, cx: np.ndarray, cy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Orientation of c against the line a→b (positive: c on the left), and whether its sign is certain."""
    left = (ax - cx) * (by - cy)
    right = (ay - cy) * (bx - cx)
    det = left - right
    return det, np.abs(det) >= _ORIENT_BOUND * (np.abs(left) + np.abs(right))


def _convex_outlines(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each lot's outer ring padded to :data:`_SAT_VERTICES` vertices, and which lots are certainly convex.

    Returns ``(xy, edges, sign, outlined, convex)``: vertices ``(n, K, 2)`` with K the most vertices of a ring
    that fits (padding repeats the first), the mask
    of real edges ``(n, K)`` (edge k runs from vertex k to k+1), the ring's orientation (+1 counter-clockwise),
    whether ``xy`` holds the lot's outer ring (a single polygon of at most K vertices: the lot lies inside the
    hull of these vertices) and whether the lot is such a polygon without holes whose every turn is certainly
    to the same side.
    """
    n = len(geoms)
    idx = np.flatnonzero(shapely.get_type_id(geoms) == 3)
    rings = shapely.get_exterior_ring(geoms[idx])
    m = shapely.get_num_coordinates(rings) - 1  # the closing vertex repeats the first
    fits = (m >= 3) & (m <= _SAT_VERTICES)
    idx, rings, m = idx[fits], rings[fits], m[fits]
    k = int(m.max()) if idx.size else 3  # as wide as the largest ring (4 for rectangular lots)
    xy = np.zeros((n, k + 1, 2))
    edges = np.zeros((n, k), dtype=bool)
    sign = np.zeros(n)
    outlined = np.zeros(n, dtype=bool)
    convex = np.zeros(n, dtype=bool)
    if not idx.size:
        return xy[:, :k], edges, sign, outlined, convex
    outlined[idx] = True
    coords, which = shapely.get_coordinates(rings, return_index=True)
    start = np.concatenate([[0], np.cumsum(m + 1)[:-1]])
    pos = np.arange(len(coords)) - start[which]
    xy[idx] = np.repeat(coords[start][:, None, :], k + 1, axis=1)  # padding: the first vertex again
    xy[idx[which], pos] = coords  # vertices 0..m, vertex m closing the ring
    edges[idx] = np.arange(k)[None, :] < m[:, None]
    # the ring's orientation (shoelace) and its turns at every vertex, each certain or not
    sub = xy[idx]
    x, y = sub[:, :, 0], sub[:, :, 1]
    area2 = (x[:, :-1] * y[:, 1:] - x[:, 1:] * y[:, :-1]).sum(axis=1)
    sign[idx] = np.sign(area2)
    nxt = np.where(np.arange(k)[None, :] + 1 < m[:, None], np.arange(k)[None, :] + 1, 0)
    nxt2 = np.take_along_axis(nxt, nxt, axis=1)
    rows = np.arange(len(idx))[:, None]
    turn, sure = _orient(x[:, :k], y[:, :k], x[rows, nxt], y[rows, nxt], x[rows, nxt2], y[rows, nxt2])
    ok = (sure & (turn * sign[idx][:, None] >= 0)) | ~edges[idx]
    holes = shapely.get_num_interior_rings(geoms[idx]) > 0
    convex[idx] = ok.all(axis=1) & (sign[idx] != 0) & ~holes
    return xy[:, :k], edges, sign, outlined, convex


def _proved_apart(geoms: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each pair (a[i], b[i]): True when their interiors certainly do not meet (a separating edge).

    An edge of a convex lot with every vertex of the other lot on or beyond its line, each orientation of a
    sign that is certain, proves the two lots share at most that line. Pairs it does not prove are False.
    """
    xy, edges, sign, outlined, convex = _convex_outlines(geoms)
    out = np.zeros(len(a), dtype=bool)
    for lo in range(0, len(a), _SAT_BLOCK):
        pa, pb = a[lo : lo + _SAT_BLOCK], b[lo : lo + _SAT_BLOCK]
        done = np.zeros(len(pa), dtype=bool)
        for p, q in ((pa, pb), (pb, pa)):
            test = convex[p] & outlined[q] & ~done
            if not test.any():
                continue
            p, q = p[test], q[test]
            e0, e1 = xy[p], np.roll(xy[p], -1, axis=1)  # edge k: vertex k → k+1 (padding edges masked below)
            v = xy[q]  # (pairs, K, 2): every vertex of the other lot (padding repeats one)
            det, sure = _orient(
                e0[:, :, None, 0], e0[:, :, None, 1], e1[:, :, None, 0], e1[:, :, None, 1],
                v[:, None, :, 0], v[:, None, :, 1],
            )  # fmt: skip
            outside = (sure & (det * sign[p][:, None, None] <= 0)).all(axis=2) & edges[p]
            done[np.flatnonzero(test)[outside.any(axis=1)]] = True
        out[lo : lo + _SAT_BLOCK] = done
    return out


# --- the prepared inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    """Everything the measure needs, computed once: geometries in EPSG:9208, per-lot clipped areas."""

    basis: str
    cluster: BaseGeometry
    leasable: BaseGeometry  # the region where occupancy is counted (cluster ∩ industrial land, or cluster)
    cluster_m2: float
    leasable_m2: float
    numeric_leasable: bool
    geoms: np.ndarray
    status: np.ndarray  # canonical status per lot
    leased_on: np.ndarray  # datetime64[ns] per lot (NaT if none)
    labels: list[str]
    area_m2: np.ndarray
    in_cluster_m2: np.ndarray
    in_leasable_m2: np.ndarray
    overlaps: _Overlaps
    repaired: int
    notices: tuple[Notice, ...] = field(default=())
    empty_layer: bool = False


def _prepare(
    cluster: gpd.GeoDataFrame | gpd.GeoSeries,
    lots: gpd.GeoDataFrame,
    *,
    zoning: gpd.GeoDataFrame | None,
    leasable_ha: float | None,
) -> _Prepared:
    notices: list[Notice] = []
    require_crs(cluster, "the cluster boundary")
    if isinstance(cluster, gpd.GeoDataFrame):
        ids = cluster_ids(cluster)
        if len(ids) > 1:
            raise InputDataError(
                f"the cluster boundary holds several clusters ({', '.join(ids)}); choose one of them",
                code="cluster.several",
                ids=ids,
            )
    shape = _region(cluster, "the cluster boundary")
    cluster_m2 = float(shape.area)
    if cluster_m2 <= 0.0:
        raise InputDataError(
            "the cluster boundary has no area; give the cluster's boundary as a polygon", code="occupancy.no_area"
        )
    shapely.prepare(shape)

    given = _given_leasable_ha(cluster, leasable_ha)
    basis, region, leasable_m2, numeric = "gross", shape, cluster_m2, False
    if zoning is not None and len(zoning):
        if "use" not in zoning.columns:
            raise InputDataError(
                "the zoning layer has no `use` field; give each polygon a use: industrial, road, green, "
                "technical or other (or the Vietnamese term, e.g. đất công nghiệp)",
                code="occupancy.no_use_field",
            )
        uses = np.array(normalise_uses(zoning["use"].tolist(), labels=feature_labels(zoning)), dtype=object)
        industrial = zoning[uses == "industrial"]
        zoned = _region(industrial, "the zoning") if len(industrial) else shapely.Polygon()
        clipped = shapely.intersection(zoned, shape) if not zoned.is_empty else zoned
        if clipped.area > 0.0:
            outside_m2 = zoned.area - clipped.area
            if outside_m2 / M2_PER_HA >= 1e-4:
                notices.append(_notice("industrial_outside", area_ha=outside_m2 / M2_PER_HA))
            basis, region, leasable_m2 = "leasable", clipped, float(clipped.area)
            shapely.prepare(region)
            if given is not None:
                notices.append(_notice("leasable_ignored", given_ha=given, zoned_ha=leasable_m2 / M2_PER_HA))
        else:
            notices.append(_notice("zoning_no_industrial"))
    if basis == "gross" and given is not None:
        basis, leasable_m2, numeric = "leasable", given * M2_PER_HA, True
        if leasable_m2 > cluster_m2 * (1 + 1e-9):
            notices.append(_notice("leasable_exceeds_gross", leasable_ha=given, cluster_ha=cluster_m2 / M2_PER_HA))
    if basis == "gross":
        notices.append(_notice("gross_basis", cluster_ha=cluster_m2 / M2_PER_HA))

    empty_layer = len(lots) == 0
    if empty_layer:
        notices.append(_notice("no_lots"))
        nothing = np.zeros(0)
        return _Prepared(
            basis,
            shape,
            region,
            cluster_m2,
            leasable_m2,
            numeric,
            np.empty(0, dtype=object),
            np.empty(0, dtype=object),
            np.empty(0, dtype="datetime64[ns]"),
            [],
            nothing,
            nothing,
            nothing,
            _find_overlaps(np.empty(0, dtype=object)),
            0,
            tuple(notices),
            True,
        )

    require_crs(lots, "the lot layer")
    if "status" not in lots.columns:
        raise InputDataError(
            "the lot layer has no `status` field; give each lot a status: vacant, allocated, building or "
            "operating (or trống, đã cho thuê, đang xây dựng, đang hoạt động)",
            code="occupancy.no_status_field",
        )
    work = to_work(lots, "the lot layer")
    labels = feature_labels(lots)
    geoms = work.geometry.to_numpy()
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    kinds = shapely.get_type_id(geoms)
    wrong = ~missing & ~np.isin(kinds, (3, 6))
    if wrong.any():
        names = [
            CodedNote(
                f"{labels[i]} ({geoms[i].geom_type})", "occupancy.lot_kind", feature=labels[i], have=geoms[i].geom_type
            )
            for i in np.flatnonzero(wrong)
        ]
        raise InputDataError(
            f"{len(names)} lot(s) are not polygons: {_some(names)}; a lot must be a polygon (close the line "
            "or draw the lot's outline)",
            code="occupancy.not_polygons",
            **_named(names),
        )
    status = np.array(normalise_statuses(lots["status"].tolist(), labels=labels), dtype=object)
    if "leased_on" in lots.columns:
        leased = parse_dates(lots["leased_on"], labels=labels).to_numpy(dtype="datetime64[ns]")
    else:
        leased = np.full(len(lots), np.datetime64("NaT"), dtype="datetime64[ns]")
    if missing.any():
        notices.append(
            _notice("no_geometry", count=int(missing.sum()), lots=_some([labels[i] for i in np.flatnonzero(missing)]))
        )
    keep = ~missing
    geoms, invalid = _repair(geoms[keep])
    repaired = int(invalid.sum())
    kept_labels = [lab for lab, k in zip(labels, keep, strict=True) if k]
    if repaired:
        notices.append(
            _notice("repaired", count=repaired, lots=_some([kept_labels[i] for i in np.flatnonzero(invalid)]))
        )
    in_cluster = _clipped_area(geoms, shape)
    in_leasable = in_cluster if region is shape else _clipped_area(geoms, region)
    return _Prepared(
        basis=basis,
        cluster=shape,
        leasable=region,
        cluster_m2=cluster_m2,
        leasable_m2=leasable_m2,
        numeric_leasable=numeric,
        geoms=geoms,
        status=status[keep],
        leased_on=leased[keep],
        labels=kept_labels,
        area_m2=shapely.area(geoms),
        in_cluster_m2=in_cluster,
        in_leasable_m2=in_leasable,
        overlaps=_find_overlaps(geoms),
        repaired=repaired,
        notices=tuple(notices),
    )


def _given_leasable_ha(cluster: gpd.GeoDataFrame | gpd.GeoSeries, leasable_ha: float | None) -> float | None:
    if leasable_ha is not None:
        value = float(leasable_ha)
        if not np.isfinite(value) or value <= 0:
            raise InputDataError(
                f"leasable_ha must be a positive number of hectares, not {leasable_ha!r}",
                code="occupancy.bad_leasable",
                value=leasable_ha,
            )
        return value
    if isinstance(cluster, gpd.GeoDataFrame) and "leasable_ha" in cluster.columns:
        vals = pd.to_numeric(cluster["leasable_ha"], errors="coerce").dropna().unique()
        vals = vals[vals > 0]
        if len(vals) > 1:
            raise InputDataError(
                f"the cluster's parts give different leasable_ha ({', '.join(map(str, vals))}); keep one value",
                code="occupancy.leasable_differs",
                values=[float(v) for v in vals],
            )
        if len(vals) == 1:
            return float(vals[0])
    return None


@dataclass(frozen=True)
class _Measure:
    occupied_m2: float
    outside_m2: float
    in_cluster_m2: float
    overlap_m2: float
    overlap_lots: tuple[int, ...]
    outside_lots: tuple[int, ...]


def _union_area(p: _Prepared, mask: np.ndarray) -> tuple[float, float, float]:
    """Area of union(lots[mask]) in total, inside the cluster and inside leasable land (m²)."""
    lone = mask & ~p.overlaps.involved
    total = float(p.area_m2[lone].sum())
    in_c = float(p.in_cluster_m2[lone].sum())
    in_l = float(p.in_leasable_m2[lone].sum())
    grouped = mask & p.overlaps.involved
    if grouped.any():
        u = shapely.union_all(p.geoms[grouped])
        total += u.area
        uc = shapely.intersection(u, p.cluster)
        in_c += uc.area
        in_l += uc.area if p.leasable is p.cluster else shapely.intersection(u, p.leasable).area
    return total, in_c, in_l


def _measure(p: _Prepared, mask: np.ndarray) -> _Measure:
    total, in_c, in_l = _union_area(p, mask)
    ov = p.overlaps
    both = mask[ov.first] & mask[ov.second] if len(ov.first) else np.zeros(0, dtype=bool)
    overlap_m2 = float(shapely.union_all(ov.shapes[both]).area) if both.any() else 0.0
    overlap_lots = tuple(sorted(set(ov.first[both].tolist()) | set(ov.second[both].tolist())))
    outside = mask & (p.area_m2 - p.in_cluster_m2 > 1e-6)
    return _Measure(in_l, max(0.0, total - in_c), in_c, overlap_m2, overlap_lots, tuple(np.flatnonzero(outside)))


def _counted(p: _Prepared, as_of: dt.date | None) -> tuple[np.ndarray, np.ndarray]:
    """Mask of the counted lots (occupied status, leased on or before ``as_of``) and of undated leased lots."""
    occupied = np.isin(p.status, OCCUPIED_STATUSES)
    if as_of is None:
        return occupied, np.zeros(len(occupied), dtype=bool)
    undated = occupied & np.isnat(p.leased_on)
    return occupied & ~undated & (p.leased_on <= np.datetime64(as_of, "ns")), undated


def _result(p: _Prepared, *, as_of: dt.date | None, target_pct: float) -> OccupancyResult:
    notices = list(p.notices)
    counted, undated = _counted(p, as_of)
    if undated.any():
        notices.append(
            _notice(
                "undated",
                count=int(undated.sum()),
                as_of=as_of,
                lots=_some([p.labels[i] for i in np.flatnonzero(undated)]),
            )
        )
    m = _measure(p, counted)
    occupied_ha = m.occupied_m2 / M2_PER_HA
    leasable_ha = p.leasable_m2 / M2_PER_HA
    pct = 100.0 * m.occupied_m2 / p.leasable_m2 if p.leasable_m2 > 0 else 0.0
    if pct > 100.0:
        if p.numeric_leasable:
            notices.append(_notice("over_leasable", occupied_ha=occupied_ha, leasable_ha=leasable_ha))
        pct = 100.0
    if m.outside_m2 / M2_PER_HA >= 1e-4:
        notices.append(
            _notice("outside", area_ha=m.outside_m2 / M2_PER_HA, lots=_some([p.labels[i] for i in m.outside_lots]))
        )
    if p.leasable is not p.cluster and (m.in_cluster_m2 - m.occupied_m2) / M2_PER_HA >= 1e-4:
        notices.append(_notice("not_leasable", area_ha=(m.in_cluster_m2 - m.occupied_m2) / M2_PER_HA))
    if m.overlap_m2 / M2_PER_HA >= 1e-4:
        notices.append(
            _notice("overlap", area_ha=m.overlap_m2 / M2_PER_HA, lots=_some([p.labels[i] for i in m.overlap_lots]))
        )
    by_status: dict[str, float] = {}
    for s in STATUSES:
        mask = (counted if s in OCCUPIED_STATUSES else np.ones(len(p.status), dtype=bool)) & (p.status == s)
        by_status[s] = _union_area(p, mask)[2] / M2_PER_HA if mask.any() else 0.0
    return OccupancyResult(
        basis=p.basis,
        cluster_ha=p.cluster_m2 / M2_PER_HA,
        leasable_ha=leasable_ha,
        occupied_ha=occupied_ha,
        occupancy_pct=pct,
        target_pct=float(target_pct),
        gap_ha=max(0.0, target_pct / 100.0 * leasable_ha - occupied_ha),
        outside_ha=m.outside_m2 / M2_PER_HA,
        overlap_ha=m.overlap_m2 / M2_PER_HA,
        repaired=p.repaired,
        by_status=by_status,
        notices=tuple(notices),
        as_of=as_of,
    )


# --- public measures --------------------------------------------------------------------------------------


def occupancy(
    cluster_geom_frame: gpd.GeoDataFrame | gpd.GeoSeries,
    lots: gpd.GeoDataFrame,
    *,
    zoning: gpd.GeoDataFrame | None = None,
    leasable_ha: float | None = None,
    as_of: dt.date | None = None,
    target_pct: float = PLAN_TARGET_PCT,
) -> OccupancyResult:
    """Occupancy of one cluster: occupied leasable land ÷ leasable land, in EPSG:9208.

    Parameters
    ----------
    cluster_geom_frame
        The cluster's boundary (one cluster, possibly in several parts; see :func:`pick_cluster`), any CRS.
        An optional ``leasable_ha`` attribute gives the leasable area when there is no zoning.
    lots
        Lot polygons with ``status`` (vacant | allocated | building | operating, or Vietnamese), optional
        ``leased_on`` dates, any CRS. Invalid geometries are repaired with ``shapely.make_valid``.
    zoning
        Optional land use inside the cluster with ``use``; its industrial polygons, clipped to the cluster,
        are the leasable land.
    leasable_ha
        Leasable area in hectares when there is no industrial zoning (beats the cluster's attribute).
    as_of
        Count only lots leased on or before this day (the day included).
    target_pct
        The target the gap is measured against (the plan's 50 %).

    Returns
    -------
    OccupancyResult
        ``to_dict()`` gives the keys of ``baoyen occupancy --json``.

    Raises
    ------
    InputDataError
        Unknown statuses or uses, non-polygon lots, bad dates, an empty boundary, several clusters.
    CRSError
        When an input has no CRS.
    """
    if not 0.0 < float(target_pct) <= 100.0:
        raise InputDataError(
            f"the occupancy target must be above 0 and at most 100 %, not {target_pct!r}",
            code="occupancy.bad_target",
            value=float(target_pct),
        )
    if isinstance(as_of, dt.datetime):  # a day, not an instant: the whole day counts
        as_of = as_of.date()
    p = _prepare(cluster_geom_frame, lots, zoning=zoning, leasable_ha=leasable_ha)
    return _result(p, as_of=as_of, target_pct=float(target_pct))


def occupancy_series(
    cluster_geom_frame: gpd.GeoDataFrame | gpd.GeoSeries,
    lots: gpd.GeoDataFrame,
    *,
    zoning: gpd.GeoDataFrame | None = None,
    leasable_ha: float | None = None,
    start: dt.date = dt.date(2021, 1, 1),
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Occupancy over time from the lease dates: one row at ``start``, at each lease date, and at ``end``.

    The measure of each row is :func:`occupancy` ``as_of`` that day (lots keep their current status; a
    leased lot without a ``leased_on`` date cannot be placed in time and is left out). Columns: ``date``
    (datetime64), ``occupied_ha``, ``occupancy_pct``, ``lots`` (number of counted lots).
    """
    end = end or dt.date.today()
    if end < start:
        raise InputDataError(f"the series ends ({end}) before it starts ({start}); swap the dates")
    p = _prepare(cluster_geom_frame, lots, zoning=zoning, leasable_ha=leasable_ha)
    occupied = np.isin(p.status, OCCUPIED_STATUSES) & ~np.isnat(p.leased_on)
    lo, hi = np.datetime64(start, "ns"), np.datetime64(end, "ns")
    events = np.unique(p.leased_on[occupied])
    days = np.unique(np.concatenate([[lo], events[(events > lo) & (events <= hi)], [hi]]))
    # Lots that overlap nothing add their own area: a cumulative sum over lease dates. Only the few lots in
    # an overlap are unioned per day.
    lone = occupied & ~p.overlaps.involved
    order = np.argsort(p.leased_on[lone], kind="stable")
    lone_days = p.leased_on[lone][order]
    lone_cum = np.concatenate([[0.0], np.cumsum(p.in_leasable_m2[lone][order])])
    grouped = occupied & p.overlaps.involved
    rows = []
    for day in days:
        occ_m2 = float(lone_cum[np.searchsorted(lone_days, day, side="right")])
        mask = grouped & (p.leased_on <= day)
        if mask.any():
            occ_m2 += _union_area(p, mask)[2]
        pct = min(100.0, 100.0 * occ_m2 / p.leasable_m2) if p.leasable_m2 > 0 else 0.0
        count = int((occupied & (p.leased_on <= day)).sum())
        rows.append((day, occ_m2 / M2_PER_HA, pct, count))
    frame = pd.DataFrame(rows, columns=["date", "occupied_ha", "occupancy_pct", "lots"])
    frame["date"] = frame["date"].astype("datetime64[ns]")
    return frame


def what_if(result: OccupancyResult, *, added_area_ha: float) -> WhatIfResult:
    """Projected occupancy when facilities needing ``added_area_ha`` of leasable land move into the cluster.

    They can only take free leasable land (leasable − occupied); what does not fit is reported as
    :attr:`WhatIfResult.unplaced_ha`.
    """
    added = float(added_area_ha)
    if not np.isfinite(added) or added < 0:
        raise InputDataError(
            f"the area to relocate must be zero or more hectares, not {added_area_ha!r}",
            code="occupancy.bad_relocation_area",
            value=added,
        )
    free = max(0.0, result.leasable_ha - result.occupied_ha)
    placed = min(added, free)
    projected = result.occupied_ha + placed
    pct = min(100.0, 100.0 * projected / result.leasable_ha) if result.leasable_ha > 0 else 0.0
    return WhatIfResult(
        base=result,
        added_ha=added,
        placed_ha=placed,
        free_ha=free,
        projected_occupied_ha=projected,
        projected_pct=pct,
        gap_ha=max(0.0, result.target_pct / 100.0 * result.leasable_ha - projected),
    )


def lots_table(lots: gpd.GeoDataFrame) -> pd.DataFrame:
    """The lots as a plain table with canonical ``status``, parsed ``leased_on`` and ``area_ha`` (EPSG:9208).

    Invalid geometries are measured after ``make_valid``; lots without geometry get ``area_ha`` 0.
    """
    table = pd.DataFrame(lots.drop(columns=lots.geometry.name)).reset_index(drop=True)
    if len(lots) == 0:
        table["area_ha"] = pd.Series(dtype=float)
        return table
    labels = feature_labels(lots)
    if "status" in lots.columns:
        table["status"] = normalise_statuses(lots["status"].tolist(), labels=labels)
    if "leased_on" in lots.columns:
        table["leased_on"] = parse_dates(lots["leased_on"], labels=labels).dt.date
    geoms = to_work(lots, "the lot layer").geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    area = np.zeros(len(geoms))
    fixed, _ = _repair(geoms[present])
    area[present] = shapely.area(fixed)
    table["area_ha"] = area / M2_PER_HA
    return table


__all__ = [
    "EXPANSION_MAX_HA",
    "EXPANSION_MIN_PCT",
    "NEW_CLUSTER_MIN_PCT",
    "NEW_CLUSTER_UNLEASED_MAX_HA",
    "OCCUPIED_STATUSES",
    "PLAN_TARGET_PCT",
    "STATUSES",
    "USES",
    "Notice",
    "OccupancyResult",
    "WhatIfResult",
    "cluster_ids",
    "feature_labels",
    "lots_of_cluster",
    "lots_table",
    "normalise_statuses",
    "normalise_uses",
    "occupancy",
    "occupancy_series",
    "parse_dates",
    "pick_cluster",
    "what_if",
]

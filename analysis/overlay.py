"""Overlay of zone polygons (e.g. plantations by species) with administrative units, in hectares.

Rules (issue 6):

* everything is measured in the working CRS, EPSG:9208;
* the zones of one class are dissolved first: where two polygons of the same class overlap, the overlap
  counts once (overlaps between *different* classes count for each class);
* units may overlap and leave gaps, as real boundary layers do: every piece of zone area is counted exactly
  once — an overlap between units goes to the unit with the **lowest id** (string order, so ``"02947"`` comes
  before ``"02950"``), and area outside every unit is reported as *unassigned*;
* for every class, the hectares in units plus the unassigned hectares equal the class's dissolved area.

How it is made fast (100,000 zones × 25,000 units in a few seconds):

1. Overlaps are found with GEOS' coverage validator (``shapely.coverage_invalid_edges``): a polygon with no
   invalid edge overlaps nothing, so only the flagged few go through pairwise work. Overlapping polygons are
   made disjoint by priority (each loses what an earlier one holds), which has the area of a dissolve
   without building huge dissolved shapes.
2. Polygons with many vertices are cut on a recursive bisection grid into pieces of bounded vertex count, so
   that one 60,000-vertex zone does not get clipped in full against every small unit it touches.
3. Zone pieces are matched to unit pieces with an STR-tree; pairs where the unit covers the zone piece take
   the piece's area, the others are clipped with shapely's vectorised ``intersection`` in a few threads
   (GEOS releases the GIL), and the areas are summed with ``numpy.bincount``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.crs import M2_PER_HA, WORK_CRS, to_work
from geo.errors import InputDataError
from geo.geometry import envelope_pairs, repair

#: Pieces with more coordinates than this are cut before clipping (see module docstring).
DEFAULT_MAX_VERTICES = 256

_POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
#: Clip in chunks of this many pairs, spread over threads.
_CHUNK = 20_000
#: at most this many candidate pairs per polygon are tested one by one (else the coverage check picks them)
_PAIRS_PER_POLYGON = 1.5


@dataclass(frozen=True, eq=False)
class OverlayResult:
    """Hectares of each zone class in each unit.

    Attributes
    ----------
    rows
        Frame with columns ``unit`` (str), ``zone`` (str) and ``area_ha`` (float), one row per unit and class
        with a positive area, sorted by unit then zone.
    unit_totals
        Hectares of all classes in each unit (only units with zone area).
    zone_totals
        Dissolved hectares of each class, *including* the part outside every unit.
    unassigned_by_zone
        Hectares of each class outside every unit.
    unassigned_ha
        Hectares outside every unit, all classes.
    crs
        The CRS the areas were measured in (always ``"EPSG:9208"``).
    """

    rows: pd.DataFrame
    unit_totals: dict[str, float]
    zone_totals: dict[str, float]
    unassigned_by_zone: dict[str, float]
    unassigned_ha: float
    crs: str = WORK_CRS
    units: tuple[str, ...] = field(default=())

    @property
    def total_ha(self) -> float:
        """Dissolved zone area of all classes (rows plus unassigned)."""
        return float(sum(self.zone_totals.values()))

    def to_dict(self, *, decimals: int = 6) -> dict[str, Any]:
        """The JSON shape of ``baoyen overlay --json``.

        ``{"rows": [{"unit", "zone", "area_ha"}], "unit_totals": {}, "zone_totals": {}, "unassigned_ha",
        "unassigned_by_zone": {}, "total_ha", "crs"}``; hectares rounded to ``decimals``.
        """

        def r(x: float) -> float:
            return round(float(x), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0

        return {
            "rows": [
                {"unit": u, "zone": z, "area_ha": r(a)}
                for u, z, a in zip(self.rows["unit"], self.rows["zone"], self.rows["area_ha"], strict=True)
            ],
            "unit_totals": {k: r(v) for k, v in self.unit_totals.items()},
            "zone_totals": {k: r(v) for k, v in self.zone_totals.items()},
            "unassigned_ha": r(self.unassigned_ha),
            "unassigned_by_zone": {k: r(v) for k, v in self.unassigned_by_zone.items()},
            "total_ha": r(self.total_ha),
            "crs": self.crs,
        }

    def pivot(self) -> pd.DataFrame:
        """Wide table: one row per unit, one column per zone class, hectares (0 where none)."""
        if self.rows.empty:
            return pd.DataFrame(index=pd.Index([], name="unit", dtype=str))
        table = self.rows.pivot_table(index="unit", columns="zone", values="area_ha", aggfunc="sum", fill_value=0.0)
        table.columns.name = None
        return table


# --------------------------------------------------------------------------------------------------- helpers


def id_strings(values: Iterable[Any]) -> list[str]:
    """Ids as strings, as written: ``"02947"`` stays ``"02947"``; integral floats lose their ``.0``."""
    out: list[str] = []
    for v in values:
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, (float, np.floating)) and float(v).is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v))
    return out


def polygonal(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    """Valid polygonal geometries: invalid ones repaired with ``make_valid``, lines and points dropped.

    Missing or empty results become ``None``.
    """
    geoms = np.asarray(geoms, dtype=object)
    out, _ = repair(geoms)
    missing = shapely.is_missing(out)
    types = shapely.get_type_id(out)
    other = ~missing & ~np.isin(types, _POLYGONAL)
    if other.any():
        # GeometryCollections (from make_valid or clipping) keep their polygonal parts only
        idx = np.flatnonzero(other)
        parts, part_index = shapely.get_parts(out[idx], return_index=True)
        keep = np.isin(shapely.get_type_id(parts), _POLYGONAL)
        parts, part_index = parts[keep], part_index[keep]
        # multipolygons() wants polygons, so open up MultiPolygon parts as well
        polys, poly_index = shapely.get_parts(parts, return_index=True)
        owner = part_index[poly_index]
        rebuilt = np.full(len(idx), None, dtype=object)
        if len(polys):
            present = np.unique(owner)
            made = shapely.multipolygons(polys, indices=np.searchsorted(present, owner))
            rebuilt[present] = made
        out[idx] = rebuilt
    empty = shapely.is_empty(out)
    out[empty] = None
    return out


def _check_field(frame: gpd.GeoDataFrame, name: str, what: str, holds: str, *, code: str) -> None:
    if name not in frame.columns:
        fields = [str(c) for c in frame.columns if c != frame.geometry.name]
        raise InputDataError(
            f"the {what} have no field '{name}' (fields: {', '.join(fields) or 'none'}); choose the field that "
            f"holds their {holds}",
            code=code,
            field=name,
            fields=fields,
        )


def priority_disjoint(
    geoms: NDArray[np.object_],
    rank: NDArray[np.int64],
    *,
    group: NDArray[np.int64] | None = None,
    workers: int = 1,
) -> NDArray[np.object_]:
    """Make polygons area-disjoint: where two overlap, the one with the lower ``rank`` keeps the overlap.

    Only polygons of the same ``group`` are compared (all of them when ``group`` is None). Every polygon
    loses the union of the lower-ranked polygons whose interior meets its own, so the result covers the same
    area as a dissolve of each group, with no overlaps. Inputs must be valid polygonal geometries; result
    parts that become empty are ``None``. The groups are checked in ``workers`` threads.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(geoms))
    if len(present) < 2:
        return geoms
    a, b = _interior_pairs(geoms, present, group, workers)
    if len(a) == 0:
        return geoms
    # the later polygon loses the overlap
    later = np.where(rank[a] > rank[b], a, b)
    earlier = np.where(rank[a] > rank[b], b, a)
    # union of the earlier polygons per later one, vectorised over a padded 2-D array
    order = np.argsort(later, kind="stable")
    later, earlier = later[order], earlier[order]
    targets, starts, counts = np.unique(later, return_index=True, return_counts=True)
    width = int(counts.max())
    padded = np.full((len(targets), width), None, dtype=object)
    slot = np.arange(len(later)) - np.repeat(starts, counts)
    padded[np.repeat(np.arange(len(targets)), counts), slot] = geoms[earlier]
    cutters = padded[:, 0] if width == 1 else shapely.union_all(padded, axis=1)
    out = geoms.copy()
    out[targets] = polygonal(shapely.difference(geoms[targets], cutters))
    return out


def _interior_pairs(
    geoms: NDArray[np.object_],
    present: NDArray[np.int64],
    group: NDArray[np.int64] | None,
    workers: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The pairs (a, b) of ``geoms`` (same ``group``) whose interiors meet, each pair once in some order.

    Group by group, in ``workers`` threads. Two ways, the same pairs: where neighbours are few (the pairs of the
    group whose envelopes overlap with positive area, at most :data:`_PAIRS_PER_POLYGON` per polygon: plots of one
    species among others), each such pair is tested itself (``relate``: interiors meet); where they are many (a
    tiling: every neighbour shares an edge), GEOS' coverage validator first flags the polygons that may overlap,
    and only the pairs with a flagged polygon are tested.
    """
    if group is None:
        parts = [present]
    else:
        order = present[np.argsort(group[present], kind="stable")]
        parts = np.split(order, np.flatnonzero(np.diff(group[order])) + 1)
    found = _map_threads(lambda idx: _pairs_in(geoms, idx), parts, workers)
    a = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=np.int64)
    b = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.int64)
    if len(a) == 0:
        return a, b
    step = max(1, -(-len(a) // max(1, workers)))
    meets = _map_threads(
        lambda lo: shapely.relate_pattern(geoms[a[lo : lo + step]], geoms[b[lo : lo + step]], "T********"),
        list(range(0, len(a), step)),
        workers,
    )
    inside = np.concatenate(meets).astype(bool)
    return a[inside], b[inside]


def _pairs_in(geoms: NDArray[np.object_], idx: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The candidate pairs of the polygons ``geoms[idx]`` (indices into ``geoms``) for :func:`_interior_pairs`."""
    sub = geoms[idx]
    qa, qb = envelope_pairs(sub)  # interiors can only meet where the envelopes overlap with positive area
    if len(qa) > _PAIRS_PER_POLYGON * len(idx):
        flagged = _overlapping(sub)
        either = flagged[qa] | flagged[qb]
        qa, qb = qa[either], qb[either]
    return idx[qa], idx[qb]


def _overlapping(geoms: NDArray[np.object_]) -> NDArray[np.bool_]:
    """Flag polygons that may overlap another one of ``geoms``.

    A superset: GEOS' coverage validator also flags neighbours whose shared edges do not match vertex for vertex.
    """
    if len(geoms) < 2:
        return np.zeros(len(geoms), dtype=bool)
    return ~shapely.is_empty(shapely.coverage_invalid_edges(geoms))


def subdivide(
    geoms: NDArray[np.object_], *, max_vertices: int = DEFAULT_MAX_VERTICES, max_depth: int = 24
) -> tuple[NDArray[np.object_], NDArray[np.int64]]:
    """Cut polygons with more than ``max_vertices`` coordinates into pieces by recursive bisection.

    Each large polygon is split in two along the longer side of its bounding box, again and again, until
    every piece is small enough (or ``max_depth`` halvings were made). The pieces do not overlap and their
    areas add up to the polygon's area.

    Returns
    -------
    pieces, owner
        The pieces and, for each, the index of the input geometry it came from. Small inputs are passed
        through unchanged; missing inputs are dropped.
    """
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    idx = np.flatnonzero(present)
    geoms = geoms[idx]
    nverts = shapely.get_num_coordinates(geoms)
    big = nverts > max_vertices
    out_geoms = [geoms[~big]]
    out_owner = [idx[~big]]
    work, owner = geoms[big], idx[big]
    depth = 0
    while len(work):
        bounds = shapely.bounds(work)
        minx, miny, maxx, maxy = bounds.T
        pad = np.maximum(maxx - minx, maxy - miny) * 0.01 + 1.0
        vertical = (maxx - minx) >= (maxy - miny)
        midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
        lo = shapely.box(
            minx - pad, miny - pad, np.where(vertical, midx, maxx + pad), np.where(vertical, maxy + pad, midy)
        )
        hi = shapely.box(
            np.where(vertical, midx, minx - pad), np.where(vertical, miny - pad, midy), maxx + pad, maxy + pad
        )
        halves = polygonal(np.concatenate([shapely.intersection(work, lo), shapely.intersection(work, hi)]))
        owner = np.concatenate([owner, owner])
        ok = ~shapely.is_missing(halves)
        # the parts of a cut are independent pieces: many are small enough already
        halves, part_of = shapely.get_parts(halves[ok], return_index=True)
        owner = owner[ok][part_of]
        depth += 1
        still = shapely.get_num_coordinates(halves) > max_vertices
        if depth >= max_depth:
            still[:] = False
        out_geoms.append(halves[~still])
        out_owner.append(owner[~still])
        work, owner = halves[still], owner[still]
    return np.concatenate(out_geoms), np.concatenate(out_owner).astype(np.int64)


def free_edges(polygons: NDArray[np.object_]) -> NDArray[np.object_]:
    """Ring segments of ``polygons`` that no other ring repeats exactly, as two-point lines.

    For area-disjoint polygons every segment of the boundary of their union is among these (a segment shared
    exactly by two disjoint polygons has one on each side, so it is inside the union); segments of neighbours
    whose vertices do not match are included too, which only makes the set larger.
    """
    rings = shapely.get_rings(shapely.get_parts(np.asarray(polygons, dtype=object)))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    # one direction per segment, so that a→b and b→a compare equal
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    lo, hi = np.where(swap[:, None], b, a), np.where(swap[:, None], a, b)
    segs, counts = np.unique(np.hstack([lo, hi]), axis=0, return_counts=True)
    free = segs[counts == 1]
    return shapely.linestrings(free.reshape(-1, 2, 2)) if len(free) else np.array([], dtype=object)


def _areas_of_pairs(
    zone_pieces: NDArray[np.object_],
    unit_pieces: NDArray[np.object_],
    zi: NDArray[np.int64],
    ui: NDArray[np.int64],
    *,
    workers: int,
) -> NDArray[np.float64]:
    """Area (m²) of zone_pieces[zi] ∩ unit_pieces[ui], for single polygons and area-disjoint unit pieces.

    Clipping is the cost, so it is skipped where the answer is known: a zone piece that meets no *free edge*
    of the units (:func:`free_edges`) lies wholly inside the union of the units (it is one connected polygon,
    so leaving the union would cross its boundary). Such a piece matched to one unit takes its own area; matched
    to k units it is clipped k - 1 times and the last unit takes the rest. Pieces near a free edge are tested
    with a prepared ``covers`` (when matched once) or clipped.
    """
    areas = np.zeros(len(zi), dtype=float)
    if len(zi) == 0:
        return areas
    edges = free_edges(unit_pieces)
    near = np.zeros(len(zone_pieces), dtype=bool)
    if len(edges):
        near[np.unique(shapely.STRtree(edges).query(zone_pieces, predicate="intersects")[0])] = True
    counts = np.bincount(zi, minlength=len(zone_pieces))
    zone_area = shapely.area(zone_pieces)
    order = np.argsort(zi, kind="stable")
    first = np.zeros(len(zi), dtype=bool)
    first[order[np.concatenate([[True], zi[order][1:] != zi[order][:-1]])]] = True
    inner = ~near[zi]
    known = inner & (counts[zi] == 1)
    derived = inner & (counts[zi] > 1) & first  # takes what the other units of its zone piece leave
    areas[known] = zone_area[zi[known]]
    # near a free edge, one match: the unit may still cover the piece
    single = np.flatnonzero(~inner & (counts[zi] == 1))
    if len(single):
        shapely.prepare(unit_pieces)
        covered = shapely.covers(unit_pieces[ui[single]], zone_pieces[zi[single]])
        areas[single[covered]] = zone_area[zi[single[covered]]]
        known[single[covered]] = True
    rest = np.flatnonzero(~known & ~derived)

    def clip(chunk: NDArray[np.int64]) -> NDArray[np.float64]:
        return np.asarray(shapely.area(shapely.intersection(zone_pieces[zi[chunk]], unit_pieces[ui[chunk]])))

    chunks = [rest[i : i + _CHUNK] for i in range(0, len(rest), _CHUNK)]
    results = _map_threads(clip, chunks, workers)
    if results:
        areas[rest] = np.concatenate(results)
    if derived.any():
        others = np.bincount(zi[~derived], weights=areas[~derived], minlength=len(zone_pieces))
        d = np.flatnonzero(derived)
        areas[d] = zone_area[zi[d]] - others[zi[d]]
    return areas


def _map_threads(func: Callable[[Any], Any], items: Sequence[Any], workers: int) -> list[Any]:
    """``[func(x) for x in items]``, in up to ``workers`` threads (GEOS releases the GIL in shapely's functions)."""
    if workers <= 1 or len(items) <= 1:
        return [func(x) for x in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(func, items))


def _default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


# --------------------------------------------------------------------------------------------------- overlay


def overlay_by_unit(
    zones: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    zone_field: str,
    unit_field: str,
    max_vertices: int = DEFAULT_MAX_VERTICES,
    workers: int | None = None,
) -> OverlayResult:
    """Hectares of each zone class in each unit, each piece of zone area counted exactly once.

    Parameters
    ----------
    zones
        Polygons with a class field (e.g. species). Any CRS; measured in EPSG:9208.
    units
        Polygons with an id field (e.g. ``ma_xa``). Any CRS. Several rows with the same id form one unit.
    zone_field
        The class field of ``zones``.
    unit_field
        The id field of ``units``; ids are kept as strings as written (leading zeros kept).
    max_vertices
        Polygons with more coordinates are cut into pieces first (speed only; the result does not change).
    workers
        Threads for clipping (default: up to 4, as many as there are CPUs).

    Returns
    -------
    OverlayResult
        Rows (unit, zone, area_ha), totals per unit and per class, and the unassigned hectares.

    Raises
    ------
    InputDataError
        A field is missing, a zone has no class or a unit no id.
    CRSError
        An input has no CRS.
    """
    _check_field(zones, zone_field, "zones", "class", code="overlay.zones_no_field")
    _check_field(units, unit_field, "units", "id", code="overlay.units_no_field")
    zones_w = to_work(zones, "the zones")
    units_w = to_work(units, "the units")

    zone_missing = zones_w[zone_field].isna().to_numpy()
    zone_geom = np.asarray(zones_w.geometry.array, dtype=object)
    has_geom = ~(shapely.is_missing(zone_geom) | shapely.is_empty(zone_geom))
    if (zone_missing & has_geom).any():
        count = int((zone_missing & has_geom).sum())
        raise InputDataError(
            f"{count} zone polygon(s) have no value in '{zone_field}'; fill the field or remove those polygons",
            code="overlay.zone_no_class",
            count=count,
            field=zone_field,
        )
    unit_missing = units_w[unit_field].isna().to_numpy()
    if unit_missing.any():
        count = int(unit_missing.sum())
        raise InputDataError(
            f"{count} unit(s) have no value in '{unit_field}'; fill the id or remove those units",
            code="overlay.unit_no_id",
            count=count,
            field=unit_field,
        )

    # zone classes → codes; zones dissolved within a class by priority (row order)
    zgeom = polygonal(zone_geom[has_geom])
    zcls_text = np.array(id_strings(zones_w[zone_field].to_numpy()[has_geom]), dtype=object)
    ok = ~shapely.is_missing(zgeom)
    zgeom, zcls_text = zgeom[ok], zcls_text[ok]
    classes, zcode = _sorted_codes(zcls_text)
    n_workers = workers or _default_workers()
    # the zones' and the units' overlap checks are independent: run them side by side
    pool = ThreadPoolExecutor(max_workers=1)
    zones_job = pool.submit(
        priority_disjoint, zgeom, np.arange(len(zgeom), dtype=np.int64), group=zcode, workers=n_workers
    )

    # units: one geometry per id, in id order; overlaps go to the lowest id
    uids_all = np.array(id_strings(units_w[unit_field].to_numpy()), dtype=object)
    ugeom_all = polygonal(np.asarray(units_w.geometry.array, dtype=object))
    unit_ids, ucode_all = _sorted_codes(uids_all)
    ugeom = _union_by_code(ugeom_all, ucode_all, len(unit_ids))
    try:
        ugeom = priority_disjoint(ugeom, np.arange(len(ugeom), dtype=np.int64))
        zgeom = zones_job.result()
    finally:
        pool.shutdown(wait=True)

    # cut large polygons, match pieces, clip, sum
    zpieces, zowner = subdivide(zgeom, max_vertices=max_vertices)
    zpieces, part_of = shapely.get_parts(zpieces, return_index=True)  # single polygons (see _areas_of_pairs)
    zowner = zowner[part_of]
    upieces, uowner = subdivide(ugeom, max_vertices=max_vertices)
    zpiece_area = shapely.area(zpieces)
    class_total = np.bincount(zcode[zowner], weights=zpiece_area, minlength=len(classes))
    n_cls = len(classes)
    assigned = np.zeros(len(unit_ids) * n_cls, dtype=float)
    if len(zpieces) and len(upieces):
        tree = shapely.STRtree(zpieces)
        step = max(1, -(-len(upieces) // n_workers))
        found = _map_threads(
            lambda lo: tree.query(upieces[lo : lo + step], predicate="intersects"),
            list(range(0, len(upieces), step)),
            n_workers,
        )
        ui = np.concatenate([q[0] + lo for q, lo in zip(found, range(0, len(upieces), step), strict=True)])
        zi = np.concatenate([q[1] for q in found])
        areas = _areas_of_pairs(zpieces, upieces, zi, ui, workers=n_workers)
        key = uowner[ui] * n_cls + zcode[zowner[zi]]
        assigned = np.bincount(key, weights=areas, minlength=len(unit_ids) * n_cls)
    table = assigned.reshape(len(unit_ids), n_cls) / M2_PER_HA
    class_total_ha = class_total / M2_PER_HA
    unassigned = class_total_ha - table.sum(axis=0)

    nz_u, nz_c = np.nonzero(table > 0)
    rows = pd.DataFrame(
        {
            "unit": pd.array(unit_ids[nz_u].tolist(), dtype=str),
            "zone": pd.array(classes[nz_c].tolist(), dtype=str),
            "area_ha": table[nz_u, nz_c],
        }
    )
    unit_sum = table.sum(axis=1)
    return OverlayResult(
        rows=rows.reset_index(drop=True),
        unit_totals={str(u): float(a) for u, a in zip(unit_ids, unit_sum, strict=True) if a > 0},
        zone_totals={str(c): float(a) for c, a in zip(classes, class_total_ha, strict=True)},
        unassigned_by_zone={str(c): float(a) for c, a in zip(classes, unassigned, strict=True)},
        unassigned_ha=float(unassigned.sum()),
        crs=WORK_CRS,
        units=tuple(str(u) for u in unit_ids),
    )


def _sorted_codes(values: NDArray[np.object_]) -> tuple[NDArray[np.object_], NDArray[np.int64]]:
    """``np.unique(values, return_inverse=True)`` for strings: the sorted distinct values and each one's code.

    By hashing (pandas' factorize), then sorting the few distinct values: 100,000 strings in 2 ms, not 36 ms.
    """
    codes, uniques = pd.factorize(values, sort=True)
    return np.asarray(uniques, dtype=object), np.asarray(codes, dtype=np.int64)


def _union_by_code(geoms: NDArray[np.object_], code: NDArray[np.int64], n: int) -> NDArray[np.object_]:
    """One geometry per code: the union of the geometries with that code (unchanged when alone)."""
    counts = np.bincount(code, minlength=n)
    if (counts <= 1).all():
        out = np.full(n, None, dtype=object)
        out[code] = geoms
        return out
    order = np.argsort(code, kind="stable")
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    padded = np.full((n, int(counts.max())), None, dtype=object)
    padded[code[order], np.arange(len(code)) - starts[code[order]]] = geoms[order]
    return polygonal(shapely.union_all(padded, axis=1))


def merge_results(result: OverlayResult, mapping: dict[str, str]) -> OverlayResult:
    """Regroup an overlay's units: ``mapping`` sends each unit id to a new id (several may share one).

    Hectares are summed per new id; unassigned hectares and class totals are unchanged.

    Raises
    ------
    InputDataError
        When a unit of the result has no entry in ``mapping``.
    """
    missing = sorted(set(result.units) - set(mapping))
    if missing:
        raise InputDataError(
            f"no successor unit for {', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}; "
            "complete the legacy→2025 table (successor_code) for those units",
            code="overlay.no_successor",
            units=missing[:10],
            more=max(0, len(missing) - 10),
        )
    renamed = result.rows.copy()
    renamed["unit"] = pd.array([mapping[u] for u in renamed["unit"]], dtype=str)
    rows = renamed.groupby(["unit", "zone"], as_index=False, sort=True).agg(area_ha=("area_ha", "sum"))
    unit_totals = rows.groupby("unit", sort=True)["area_ha"].sum()
    return OverlayResult(
        rows=rows,
        unit_totals={str(k): float(v) for k, v in unit_totals.items()},
        zone_totals=dict(result.zone_totals),
        unassigned_by_zone=dict(result.unassigned_by_zone),
        unassigned_ha=result.unassigned_ha,
        crs=result.crs,
        units=tuple(sorted(set(mapping[u] for u in result.units))),
    )

"""Checks of a frame before anything is stored: region and CRS, geometries, ids, fields against a schema.

Everything here is a pure function of frames and plain values; it knows Lào Cai's extent (to guess a
missing CRS and to notice a wrong one) but nothing about the plan's layers: a target schema is any
sequence of field definitions with ``name``, ``dtype``, ``required`` and ``choices`` (the catalogue's
``FieldDef`` fits).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from geo.crs import crs_label, transformer
from geo.errors import CRSError, InputDataError
from geo.geometry import is_valid, repair
from geo.numbers import ColumnNumbers, decimal_mark, format_number, parse_column
from geo.numbers import parse_number as _parse_number
from geo.safety import CodedNote
from geo.text import fold, header_key, nfc

# --- text -------------------------------------------------------------------------------------------------


def nfc_texts(column: pd.Series) -> tuple[np.ndarray, bool]:
    """The values of a pandas text column in Unicode NFC (None where missing), and whether any value changed.

    Only the values that are not ASCII are normalised (ASCII text is NFC already; Arrow finds them at once).
    """
    values = column.to_numpy(dtype=object)
    if not len(values):
        return values, False
    values[column.isna().to_numpy(dtype=bool)] = None
    import pyarrow as pa
    import pyarrow.compute as pc

    ascii_ = pc.string_is_ascii(pa.array(column.array)).fill_null(True).to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(~ascii_)
    if not idx.size:
        return values, False
    given = values[idx].tolist()
    # one C call for the usual case (text already in NFC): a line break composes with nothing, so the joined text is
    # in NFC exactly when every value is
    if unicodedata.is_normalized("NFC", "\n".join(given)):
        return values, False
    normal = [nfc(v) for v in given]
    changed = normal != given
    if changed:
        values[idx] = normal
    return values, changed


# --- Lào Cai's extent -----------------------------------------------------------------------------------

#: Lào Cai province as merged on 1 July 2025 (with the former Yên Bái), in degrees (lon/lat), with a
#: margin of ~0.2°: the pre-2025 province spans about 103.5–104.65 E, 21.85–22.85 N; Yên Bái reaches
#: 105.1 E and 21.3 N.
LAO_CAI_LONLAT: tuple[float, float, float, float] = (103.3, 21.1, 105.3, 23.0)

#: Data farther than this outside the extent is reported as "CRS probably wrong".
FAR_OUTSIDE_KM = 50.0

#: CRSs a user may choose when a file has none, best first.
CRS_CHOICES: tuple[int, ...] = (9208, 3405, 4326)

Bounds = tuple[float, float, float, float]


@lru_cache(maxsize=8)
def region_bounds(epsg: int) -> Bounds:
    """Lào Cai's extent in the CRS ``epsg`` (densified edges transformed, so the box contains the region)."""
    lon0, lat0, lon1, lat1 = LAO_CAI_LONLAT
    if epsg == 4326:
        return LAO_CAI_LONLAT
    t = transformer("EPSG:4326", f"EPSG:{epsg}")
    x0, y0, x1, y1 = t.transform_bounds(lon0, lat0, lon1, lat1, densify_pts=21)
    return (float(x0), float(y0), float(x1), float(y1))


def _inside(b: Bounds, box: Bounds, margin: float = 0.0) -> bool:
    return b[0] >= box[0] - margin and b[1] >= box[1] - margin and b[2] <= box[2] + margin and b[3] <= box[3] + margin


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4f}"


def guess_crs(bounds: Sequence[float]) -> tuple[int | None, str]:
    """Guess the CRS of coordinates whose CRS is not declared, from their ranges around Lào Cai.

    Returns ``(epsg, reason)``; ``epsg`` is None when no candidate fits (the reason then says what the
    ranges look like, e.g. swapped axes). Candidates: EPSG:4326 (degrees), EPSG:9208 (VN-2000 / TM-3
    104°45′, the province's projection, preferred) and EPSG:3405 (VN-2000 / UTM 48N). The two VN-2000
    projections overlap over Lào Cai, so a fit in both gives 9208 with a note that 3405 would also fit.
    The reason is a :class:`~geo.safety.CodedNote` (``crs.guess_*``, with the ``bounds``): its English text,
    said in the user's language where it is shown.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    b = (minx, miny, maxx, maxy)
    if not all(np.isfinite(b)):
        return None, CodedNote("the coordinates are not finite numbers", code="crs.guess_not_finite")
    rng = f"x {_fmt(minx)}…{_fmt(maxx)}, y {_fmt(miny)}…{_fmt(maxy)}"

    def why(text: str, code: str, **params: object) -> CodedNote:
        return CodedNote(f"{rng} {text}", code=code, bounds=[minx, miny, maxx, maxy], **params)

    if minx >= -180 and maxx <= 180 and miny >= -180 and maxy <= 180:
        if _inside(b, LAO_CAI_LONLAT, 0.5):
            return 4326, why("look like longitude/latitude in degrees around Lào Cai (WGS 84)", "crs.guess_lonlat")
        if _inside((miny, minx, maxy, maxx), LAO_CAI_LONLAT, 0.5):
            return None, why(
                "look like latitude/longitude in swapped order (x is latitude); swap the axes",
                "crs.guess_latlon_swapped",
            )
        if maxy <= 90 and miny >= -90:
            return 4326, why("look like degrees but lie outside Lào Cai; check the data", "crs.guess_degrees_outside")
    fits = {epsg: _inside(b, region_bounds(epsg), 20_000.0) for epsg in (9208, 3405)}
    if fits[9208]:
        note = (
            "; EPSG:3405 (VN-2000 / UTM 48N) would also fit and place the data about 26 km farther west"
            if fits[3405]
            else ""
        )
        return 9208, why(f"fit VN-2000 / TM-3 104°45′ over Lào Cai (metres){note}", "crs.guess_tm", also_utm=fits[3405])
    if fits[3405]:
        return 3405, why("fit VN-2000 / UTM zone 48N over Lào Cai (metres)", "crs.guess_utm")
    swapped = (miny, minx, maxy, maxx)
    if any(_inside(swapped, region_bounds(e), 20_000.0) for e in (9208, 3405)):
        return None, why(
            "look like northing/easting in swapped order (x is the northing); swap the axes", "crs.guess_en_swapped"
        )
    return None, why("fit none of EPSG:9208, EPSG:3405 or EPSG:4326 around Lào Cai", "crs.guess_none")


def km_outside_region(bounds_lonlat: Sequence[float]) -> float:
    """How far (km, roughly) the centre of a lon/lat box lies outside Lào Cai's extent; 0 when inside."""
    minx, miny, maxx, maxy = bounds_lonlat
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    lon0, lat0, lon1, lat1 = LAO_CAI_LONLAT
    dx = max(lon0 - cx, 0.0, cx - lon1) * 111.32 * np.cos(np.radians(22.3))
    dy = max(lat0 - cy, 0.0, cy - lat1) * 110.6
    return float(np.hypot(dx, dy))


def region_warning(frame: gpd.GeoDataFrame, *, label: str) -> str | None:
    """A warning when the data lies far outside Lào Cai (the CRS is then probably wrong); else None."""
    if frame.crs is None:
        return None
    arr = np.asarray(frame.geometry.values, dtype=object)
    present = arr[~(shapely.is_missing(arr) | shapely.is_empty(arr))] if len(arr) else arr
    if not len(present):
        return None
    with np.errstate(all="ignore"):
        b = lonlat_envelope(shapely.total_bounds(present), frame.crs)
    if b is None:
        return None
    km = km_outside_region(b)
    if km > FAR_OUTSIDE_KM:
        return CodedNote(
            f"{label} lies about {km:,.0f} km outside Lào Cai in {crs_label(frame.crs)} "
            f"(lon {b[0]:.3f}…{b[2]:.3f}, lat {b[1]:.3f}…{b[3]:.3f}): the CRS is probably wrong; "
            "choose the CRS the data was made in (VN-2000 TM-3 104°45′ is EPSG:9208)",
            code="read.far_outside",
            source=label,
            km=float(round(km)),
            crs=crs_label(frame.crs),
            lon0=round(float(b[0]), 3),
            lon1=round(float(b[2]), 3),
            lat0=round(float(b[1]), 3),
            lat1=round(float(b[3]), 3),
        )
    return None


# --- Vietnam's extent -----------------------------------------------------------------------------------

#: Vietnam's mainland in degrees (lon/lat): about 102.1–109.5 E, 8.4–23.4 N. Data of a Vietnamese plan that
#: lies wholly outside it is in the wrong CRS (or its axes are swapped), whatever the file says.
VIETNAM_LONLAT: tuple[float, float, float, float] = (102.1, 8.4, 109.5, 23.4)

#: margin around :data:`VIETNAM_LONLAT` in degrees (about 30 km), for data drawn across a border
VIETNAM_MARGIN_DEG = 0.3


@dataclass(frozen=True)
class OutsideVietnam:
    """Features that lie wholly outside Vietnam once their CRS is applied (:func:`outside_vietnam`)."""

    #: 1-based feature numbers, at most ``max_listed`` of them
    rows: tuple[int, ...]
    count: int
    total: int
    #: how far (km, roughly) the centre of those features lies from Vietnam; None when it cannot be placed
    distance_km: float | None
    #: their extent in lon/lat when it is finite
    bounds_lonlat: tuple[float, float, float, float] | None
    #: True when they would lie in Vietnam with x and y swapped
    swapped: bool
    #: False when the CRS cannot be converted to longitude/latitude at all (a local engineering CRS)
    convertible: bool = True


#: how many points each edge of an envelope is densified with before it is transformed
DENSIFY_PTS = 21


def lonlat_envelope(bounds: Sequence[float] | np.ndarray, crs: object) -> tuple[float, float, float, float] | None:
    """The lon/lat box of an envelope given in ``crs`` (its densified edges transformed); None when not finite.

    Transforming the envelope instead of every geometry costs a few points whatever the number of features;
    the box contains every feature's position (up to the densification, metres over a district).
    """
    b = tuple(float(v) for v in bounds)
    if len(b) != 4 or not all(np.isfinite(b)):
        return None
    if crs_label(crs) == "EPSG:4326":
        out = b
    else:
        try:
            out = transformer(crs, "EPSG:4326").transform_bounds(*b, densify_pts=DENSIFY_PTS, errcheck=True)
        except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError):
            return None
    if not all(np.isfinite(v) for v in out):
        return None
    return (float(out[0]), float(out[1]), float(out[2]), float(out[3]))


def _lonlat_boxes(bounds: np.ndarray, crs: object, *, swap: bool = False) -> np.ndarray:
    """Per-feature (minlon, minlat, maxlon, maxlat) from per-feature bounds in ``crs`` (corners transformed)."""
    x0, y0, x1, y1 = (bounds[:, k] for k in range(4))
    if swap:
        x0, y0, x1, y1 = y0, x0, y1, x1
    xs = np.stack([x0, x1, x0, x1])
    ys = np.stack([y0, y0, y1, y1])
    if crs_label(crs) != "EPSG:4326":
        t = transformer(crs, "EPSG:4326")
        with np.errstate(all="ignore"):
            lon, lat = t.transform(xs.ravel(), ys.ravel(), errcheck=False)
        xs = np.asarray(lon, dtype=float).reshape(xs.shape)
        ys = np.asarray(lat, dtype=float).reshape(ys.shape)
    with np.errstate(invalid="ignore"):
        return np.stack([xs.min(axis=0), ys.min(axis=0), xs.max(axis=0), ys.max(axis=0)], axis=1)


def _off_vietnam(boxes: np.ndarray) -> np.ndarray:
    """True for each lon/lat box that does not touch Vietnam (with the margin) or cannot be placed at all."""
    lon0, lat0, lon1, lat1 = VIETNAM_LONLAT
    m = VIETNAM_MARGIN_DEG
    finite = np.isfinite(boxes).all(axis=1)
    world = finite & (boxes[:, 1] >= -90) & (boxes[:, 3] <= 90) & (boxes[:, 0] >= -180) & (boxes[:, 2] <= 180)
    with np.errstate(invalid="ignore"):
        apart = (
            (boxes[:, 2] < lon0 - m) | (boxes[:, 0] > lon1 + m) | (boxes[:, 3] < lat0 - m) | (boxes[:, 1] > lat1 + m)
        )
    return ~world | apart


def km_outside_vietnam(bounds_lonlat: Sequence[float]) -> float | None:
    """How far (km, roughly) the centre of a lon/lat box lies from Vietnam's extent; None off the globe."""
    minx, miny, maxx, maxy = (float(v) for v in bounds_lonlat)
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    if not (np.isfinite(cx) and np.isfinite(cy)) or abs(cy) > 90 or abs(cx) > 180:
        return None
    lon0, lat0, lon1, lat1 = VIETNAM_LONLAT
    near_lat = min(max(cy, lat0), lat1)
    dx = max(lon0 - cx, 0.0, cx - lon1) * 111.32 * np.cos(np.radians(near_lat))
    dy = max(lat0 - cy, 0.0, cy - lat1) * 110.6
    return float(np.hypot(dx, dy))


def outside_vietnam(frame: gpd.GeoDataFrame, *, max_listed: int = 10) -> OutsideVietnam | None:
    """The features of ``frame`` that lie wholly outside Vietnam in the frame's CRS; None when there are none.

    A feature is outside when its bounding box, placed in lon/lat, does not touch Vietnam's extent
    (:data:`VIETNAM_LONLAT` with :data:`VIETNAM_MARGIN_DEG`), or cannot be placed on the globe at all (a
    latitude of 104°, a projected coordinate the CRS cannot invert). A river that crosses the border is
    inside; a layer read in the wrong CRS, or with latitude and longitude swapped, is outside.
    """
    if frame.crs is None or frame.empty:
        return None
    arr = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    if not present.any():
        return None
    idx = np.flatnonzero(present)
    if _all_in_vietnam(shapely.total_bounds(arr[idx]), frame.crs):
        return None
    bounds = shapely.bounds(arr[idx])
    try:
        boxes = _lonlat_boxes(bounds, frame.crs)
    except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError):
        n = int(idx.size)
        return OutsideVietnam(tuple(int(r) + 1 for r in idx[:max_listed]), n, n, None, None, False, False)
    off = _off_vietnam(boxes)
    if not off.any():
        return None
    rows = idx[off]
    out_boxes = boxes[off]
    finite = out_boxes[np.isfinite(out_boxes).all(axis=1)]
    ext: tuple[float, float, float, float] | None = None
    if finite.size:
        ext = (
            float(finite[:, 0].min()),
            float(finite[:, 1].min()),
            float(finite[:, 2].max()),
            float(finite[:, 3].max()),
        )
    swapped = bool(not _off_vietnam(_lonlat_boxes(bounds[off], frame.crs, swap=True)).any())
    return OutsideVietnam(
        rows=tuple(int(r) + 1 for r in rows[:max_listed]),
        count=int(rows.size),
        total=int(idx.size),
        distance_km=km_outside_vietnam(ext) if ext is not None else None,
        bounds_lonlat=ext,
        swapped=swapped,
    )


#: how far inside Vietnam's box (with its margin) the whole layer's box must lie to skip the per-feature check (°)
_SAFE_DEG = 0.01


def _all_in_vietnam(total: np.ndarray, crs: object) -> bool:
    """True when the envelope of every feature lies well inside Vietnam's box: then no feature lies outside.

    The common case, decided from the transformed envelope alone; anything else (an envelope that crosses the
    box's edge or cannot be placed) is left to the per-feature check.
    """
    with np.errstate(all="ignore"):
        box = lonlat_envelope(total, crs)
    if box is None:
        return False
    lon0, lat0, lon1, lat1 = VIETNAM_LONLAT
    m = VIETNAM_MARGIN_DEG - _SAFE_DEG
    return box[0] >= lon0 - m and box[1] >= lat0 - m and box[2] <= lon1 + m and box[3] <= lat1 + m


def outside_vietnam_error(found: OutsideVietnam, *, label: str, crs: object) -> CRSError:
    """The :class:`~geo.errors.CRSError` (code ``crs.outside_vietnam``) for features outside Vietnam.

    A CRS that cannot be converted to longitude/latitude at all gives code ``crs.not_convertible``.
    """
    where = crs_label(crs)
    if not found.convertible:
        return CRSError(
            f"{label} is in {where}, which cannot be converted to longitude/latitude, so it cannot be placed in "
            "Vietnam; choose the CRS the data was made in (VN-2000 / TM-3 104°45′ is EPSG:9208)",
            code="crs.not_convertible",
            source=label,
            crs=where,
        )
    listed = ", ".join(str(r) for r in found.rows) + (" …" if found.count > len(found.rows) else "")
    far = f", about {found.distance_km:,.0f} km from Vietnam" if found.distance_km is not None else ""
    fix = (
        "x and y look swapped (latitude written before longitude): swap them, or choose the CRS the data was made in"
        if found.swapped
        else "the CRS is wrong: choose the CRS the data was made in"
    )
    return CRSError(
        f"{label} lies outside Vietnam in {where} ({found.count} of {found.total} features: {listed}{far}); "
        f"{fix} (VN-2000 / TM-3 104°45′ is EPSG:9208)",
        code="crs.outside_vietnam",
        source=label,
        crs=where,
        count=found.count,
        total=found.total,
        features=listed,
        distance_km=None if found.distance_km is None else float(round(found.distance_km)),
        swapped=found.swapped,
    )


# --- geometries -----------------------------------------------------------------------------------------

_FAMILY = {
    "Point": "Point",
    "MultiPoint": "Point",
    "LineString": "LineString",
    "MultiLineString": "LineString",
    "LinearRing": "LineString",
    "Polygon": "Polygon",
    "MultiPolygon": "Polygon",
    "GeometryCollection": "GeometryCollection",
}


@dataclass(frozen=True)
class GeometryCheck:
    """What :func:`check_geometries` found and repaired."""

    repaired: int
    #: 1-based feature numbers repaired with make_valid
    repaired_rows: tuple[int, ...]
    empty: int
    empty_rows: tuple[int, ...]
    #: feature count by geometry family (Point, LineString, Polygon, GeometryCollection)
    types: Mapping[str, int]

    @property
    def mixed(self) -> bool:
        return len(self.types) > 1


def geometry_family(geom_type: str) -> str:
    """Point, LineString, Polygon or GeometryCollection for any (multi) geometry type name."""
    return _FAMILY.get(geom_type, geom_type)


def check_geometries(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, GeometryCheck]:
    """Repair invalid geometries with :func:`shapely.make_valid` and count empty, null and mixed ones.

    Repair keeps each geometry's dimension (``method="structure"``, collapsed parts dropped), so a
    self-intersecting polygon stays a (multi)polygon. Returns the repaired copy and what was found.
    """
    geoms = frame.geometry.values
    arr = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(arr)
    empty_mask = missing | shapely.is_empty(arr)
    valid = is_valid(arr) | empty_mask
    bad = np.flatnonzero(~valid)
    out = frame
    if bad.size:
        fixed, _ = repair(arr)
        out = frame.copy()
        out[frame.geometry.name] = gpd.GeoSeries(fixed, index=frame.index, crs=frame.crs)
        out = out.set_geometry(frame.geometry.name)
        arr = fixed
        empty_mask = shapely.is_missing(arr) | shapely.is_empty(arr)
    kinds = shapely.get_type_id(arr[~empty_mask]) if (~empty_mask).any() else np.array([], dtype=int)
    names = {0: "Point", 1: "LineString", 2: "LineString", 3: "Polygon", 4: "Point", 5: "LineString", 6: "Polygon"}
    # counted per type id, then per family in the order the families first occur
    ids, first, counts = np.unique(kinds, return_index=True, return_counts=True)
    seen: dict[str, tuple[int, int]] = {}
    for k, at, n in zip(ids.tolist(), first.tolist(), counts.tolist(), strict=True):
        fam = names.get(int(k), "GeometryCollection")
        was = seen.get(fam, (at, 0))
        seen[fam] = (min(was[0], at), was[1] + n)
    types = {fam: n for fam, (_, n) in sorted(seen.items(), key=lambda kv: kv[1][0])}
    empty_rows = np.flatnonzero(empty_mask)
    return out, GeometryCheck(
        repaired=int(bad.size),
        repaired_rows=tuple(int(i) + 1 for i in bad),
        empty=int(empty_rows.size),
        empty_rows=tuple(int(i) + 1 for i in empty_rows),
        types=types,
    )


# --- ids ------------------------------------------------------------------------------------------------

ID_FIELDS = ("id", "fid", "objectid", "ma", "code")


def id_field_of(columns: Iterable[object]) -> str | None:
    """The column that carries feature ids (``id``, ``fid``, ``objectid``... case-insensitively), if any."""
    by_fold = {str(c).strip().lower(): c for c in columns}
    for name in ID_FIELDS:
        if name in by_fold:
            return str(by_fold[name])
    return None


def duplicate_ids(frame: pd.DataFrame, id_field: str | None) -> list[Any]:
    """Id values that occur more than once in ``id_field`` (nulls ignored), in first-seen order."""
    if id_field is None or id_field not in frame.columns:
        return []
    s = frame[id_field].dropna()
    if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
        s = s.astype(str).str.strip()
        s = s[s != ""]
    dup = s[s.duplicated(keep="first")]
    return list(pd.unique(dup))


# --- fields against a target schema ----------------------------------------------------------------------


class FieldLike(Protocol):
    """What a target field must tell (the catalogue's ``FieldDef`` fits)."""

    @property
    def name(self) -> str: ...
    @property
    def dtype(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def choices(self) -> tuple[str, ...] | None: ...


@dataclass(frozen=True)
class RowFailure:
    """One value that cannot be converted to its target field's type."""

    row: int  # 1-based feature number
    field: str
    value: str
    expected: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field} = {self.value!r} is not {self.expected}"

    def note(self) -> str:
        """The failure as a coded note (its English text, composed in the user's language by the edges)."""
        return CodedNote(
            str(self), code="schema.bad_value", row=self.row, field=self.field, value=self.value, expected=self.expected
        )


@dataclass(frozen=True)
class AmbiguousValues:
    """Values of one numeric field that two readings fit (``2.150``: 2150 or 2.15), and how they were read.

    They were read with ``mark`` as the decimal mark: the mark the column's other values prove when they
    agree, else the language's. Nothing blocks the import, but the planner is told which rows and which
    reading (:meth:`SchemaCheck.warnings`).
    """

    field: str
    #: 1-based feature numbers
    rows: tuple[int, ...]
    texts: tuple[str, ...]
    values: tuple[float, ...]
    #: the decimal mark the values were read with
    mark: str
    lang: str
    #: True when the column's other values disagree on the mark; False when none of them shows one
    conflicting: bool = False

    #: how many rows a message lists (the rest are counted)
    MAX_LISTED = 10

    def __str__(self) -> str:
        return str(self.note())

    def note(self, source: str | None = None) -> CodedNote:
        """The values as a coded note: rows, texts and readings (numbers), the mark used, and why.

        ``source`` (a file's label) leads the text when given.
        """
        n = self.MAX_LISTED
        rows = [
            CodedNote(
                f"row {r} '{t}' as {format_number(v, self.lang, group=False)}",
                code="schema.ambiguous_row",
                row=r,
                written=t,
                reading=v,
            )
            for r, t, v in zip(self.rows[:n], self.texts, self.values, strict=False)
        ]
        left = max(0, len(self.rows) - n)
        more = f" and {left} more" if left else ""
        group = "." if self.mark == "," else ","
        why = (
            "the column's values disagree on the decimal mark"
            if self.conflicting
            else "no other value of the column shows which mark it uses"
        )
        lead = f"{source}: " if source else ""
        return CodedNote(
            f"{lead}field {self.field}: {', '.join(rows)}{more} — read with '{self.mark}' as the decimal mark and "
            f"'{group}' between thousands because {why}; check these values, and write them without a "
            "thousands separator (or with a different number of decimals) if that reading is wrong",
            code="schema.ambiguous_conflicting" if self.conflicting else "schema.ambiguous",
            source=source or "",
            field=self.field,
            rows=rows,
            more=left,
            mark=self.mark,
            group=group,
        )


@dataclass(frozen=True)
class SchemaCheck:
    """How a frame's fields fit a target schema after the field mapping."""

    #: target field -> source column used
    mapping: Mapping[str, str]
    missing_required: tuple[str, ...]
    missing_optional: tuple[str, ...]
    #: source columns not mapped to any target field (dropped on import)
    unmapped: tuple[str, ...]
    failures: tuple[RowFailure, ...] = ()
    rows_without_required: tuple[tuple[int, str], ...] = ()
    #: numeric values two readings fit, per field (they do not block an import; see :meth:`warnings`)
    ambiguous: tuple[AmbiguousValues, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing_required or self.failures or self.rows_without_required)

    def errors(self, *, max_listed: int = 20) -> list[str]:
        """One-line descriptions of what blocks an import."""
        out: list[str] = []
        if self.missing_required:
            out.append(
                CodedNote(
                    f"required field(s) {', '.join(self.missing_required)} have no source column; map a column to them",
                    code="schema.required_unmapped",
                    fields=", ".join(self.missing_required),
                )
            )
        for f in self.failures[:max_listed]:
            out.append(f.note())
        if len(self.failures) > max_listed:
            left = len(self.failures) - max_listed
            out.append(CodedNote(f"… and {left} more values that do not convert", code="schema.more_bad", count=left))
        missing_rows = self.rows_without_required
        if missing_rows:
            cells = [
                CodedNote(f"row {r} ({f})", code="schema.cell", row=r, field=f) for r, f in missing_rows[:max_listed]
            ]
            left = len(missing_rows) - max_listed if len(missing_rows) > max_listed else 0
            more = f" and {left} more" if left else ""
            out.append(
                CodedNote(
                    f"required value missing in {', '.join(cells)}{more}",
                    code="schema.required_missing",
                    cells=cells,
                    more=left,
                )
            )
        return out

    def warnings(self, *, source: str | None = None) -> list[str]:
        """What the import did that the planner should check (ambiguous numbers), as coded notes.

        ``source`` (the file's label) leads each when given.
        """
        return [a.note(source) for a in self.ambiguous]


def suggest_mapping(
    columns: Iterable[object],
    fields: Sequence[FieldLike],
    *,
    labels: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, str]:
    """Propose target field -> source column by name (diacritic- and case-insensitive), then by label.

    ``labels`` gives other names a field may carry in files (e.g. its Vietnamese and English labels).
    Each source column is used at most once.
    """
    cols = [str(c) for c in columns]
    by_norm: dict[str, str] = {}
    for c in cols:
        by_norm.setdefault(header_key(c), c)
    used: set[str] = set()
    mapping: dict[str, str] = {}
    for f in fields:
        names = [f.name, *((labels or {}).get(f.name, ()))]
        for n in names:
            col = by_norm.get(header_key(n))
            if col is not None and col not in used:
                mapping[f.name] = col
                used.add(col)
                break
    return mapping


_TRUE = {"true", "1", "yes", "y", "x", "co", "dung", "t"}
_FALSE = {"false", "0", "no", "n", "khong", "sai", "f", ""}


def parse_number(value: object, *, lang: str = "vi") -> float | None:
    """A float from a number or text in ``lang``'s or the other language's writing; None if not one.

    A thin wrapper of :func:`geo.numbers.parse_number` for one cell whose language is the project's:
    ``1,5`` and ``1.5`` are 1.5, ``2.460.000,5`` and ``2,460,000.5`` are 2460000.5, and text that two
    readings fit is read as ``lang`` writes it (Vietnamese ``2.150`` is 2150, ``2,150`` is 2.15). Blanks,
    text that is no number and non-finite values give None. A whole column is better read with
    :func:`geo.numbers.parse_column`, which decides from the column's own values.
    """
    if _is_blank(value) or isinstance(value, bool):
        return None
    try:
        return _parse_number(value, lang, strict=False)
    except InputDataError:
        return None


def _is_blank(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, (float, np.floating)) and np.isnan(v):
        return True
    if v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, str) and not v.strip()


def _convert_value(v: object, dtype: str) -> tuple[bool, object]:
    """(ok, converted) for one non-blank value."""
    if dtype == "str":
        if isinstance(v, float) and v.is_integer():
            return True, str(int(v))
        return True, nfc(str(v).strip())
    if dtype in ("float", "int"):
        return _convert_number(parse_number(v), dtype)
    if dtype == "bool":
        if isinstance(v, (bool, np.bool_)):
            return True, bool(v)
        key = fold(str(v))
        if key in _TRUE:
            return True, True
        if key in _FALSE:
            return True, False
        return False, None
    if dtype == "date":
        if isinstance(v, (dt.date, pd.Timestamp)):
            return True, pd.Timestamp(v).date().isoformat()
        text = str(v).strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y"):
            try:
                return True, dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        return False, None
    return True, v


def _convert_number(x: float | None, dtype: str) -> tuple[bool, object]:
    """(ok, converted) for a value already read as a number (None when it is not one)."""
    if x is None or not np.isfinite(x):
        return False, None
    if dtype == "int":
        return (True, int(x)) if float(x).is_integer() else (False, None)
    return True, x


_EXPECTED = {
    "str": "text",
    "float": "a number",
    "int": "a whole number",
    "bool": "yes/no",
    "date": "a date (YYYY-MM-DD or DD/MM/YYYY)",
}


def apply_schema(
    frame: gpd.GeoDataFrame,
    fields: Sequence[FieldLike],
    *,
    mapping: Mapping[str, str],
    normalise_choice: Callable[[Any, str], str | None] | None = None,
    keep_unmapped: bool = False,
    lang: str = "vi",
) -> tuple[gpd.GeoDataFrame, SchemaCheck]:
    """Build a frame with the target fields (typed) from the source columns named by ``mapping``.

    Every value is converted to its field's dtype (dates ISO or DD/MM/YYYY; text is NFC); values that do
    not convert, or that are not one of a field's ``choices`` (after ``normalise_choice(field, value)``),
    are listed as :class:`RowFailure` with their row. Target fields with no source column are added empty.
    Source columns not in the mapping are dropped unless ``keep_unmapped``.

    Numeric fields are read a column at a time with :func:`geo.numbers.parse_column`: the column's own
    values decide its decimal mark (``1.234,5`` proves a decimal comma, ``1,234.5`` a decimal point), and
    values two readings fit (``2.150``) are read with it. When no value decides, those values are read as
    ``lang`` writes numbers and listed in :attr:`SchemaCheck.ambiguous`; a value whose mark contradicts the
    column's is a :class:`RowFailure`.
    """
    cols = {str(c) for c in frame.columns if c != frame.geometry.name}
    unknown = [src for src in mapping.values() if src not in cols]
    mapping = {t: s for t, s in mapping.items() if s in cols}
    data: dict[str, pd.Series] = {}
    failures: list[RowFailure] = []
    missing_values: list[tuple[int, str]] = []
    ambiguous: list[AmbiguousValues] = []
    for f in fields:
        src = mapping.get(f.name)
        if src is None:
            data[f.name] = _empty_series(f.dtype, len(frame), frame.index)
            continue
        fast = _convert_column(frame[src], f, normalise_choice)
        if fast is not None:
            series, col_failures, col_missing = fast
            data[f.name] = series
            failures.extend(col_failures)
            missing_values.extend(col_missing)
            continue
        raw = frame[src].tolist()
        numbers = parse_column(raw, lang=lang) if f.dtype in ("float", "int") else None
        conflicts = _conflicting_rows(numbers)
        values: list[object] = []
        for i, v in enumerate(raw):
            if _is_blank(v):
                values.append(None)
                if f.required:
                    missing_values.append((i + 1, f.name))
                continue
            if numbers is not None:
                if i in conflicts:
                    failures.append(RowFailure(i + 1, f.name, str(v), conflicts[i]))
                    values.append(None)
                    continue
                ok, conv = _convert_number(numbers.values[i], f.dtype)
            else:
                ok, conv = _convert_value(v, f.dtype)
            if ok and f.choices and conv is not None:
                canon = (
                    normalise_choice(f, str(conv)) if normalise_choice else (str(conv) if conv in f.choices else None)
                )
                ok, conv = canon is not None, canon
                if not ok:
                    failures.append(RowFailure(i + 1, f.name, str(v), "one of " + ", ".join(f.choices)))
                    values.append(None)
                    continue
            if not ok:
                failures.append(RowFailure(i + 1, f.name, str(v), _EXPECTED.get(f.dtype, f.dtype)))
                values.append(None)
                continue
            values.append(conv)
        if numbers is not None and numbers.ambiguous:
            listed = [(i, t) for i, t in numbers.ambiguous if values[i] is not None]
            if listed:
                ambiguous.append(
                    AmbiguousValues(
                        field=f.name,
                        rows=tuple(i + 1 for i, _ in listed),
                        texts=tuple(t for _, t in listed),
                        values=tuple(_as_float(numbers.values[i]) for i, _ in listed),
                        mark=numbers.decimal_mark or decimal_mark(lang),
                        lang=lang,
                        conflicting=numbers.decimal_mark is not None,
                    )
                )
        data[f.name] = _typed_series(values, f.dtype, frame.index)
    used = set(mapping.values())
    unmapped = tuple(c for c in frame.columns if c != frame.geometry.name and str(c) not in used)
    if keep_unmapped:
        for c in unmapped:
            if str(c) not in data:
                data[str(c)] = frame[c]
    out = gpd.GeoDataFrame(data, geometry=frame.geometry.values, crs=frame.crs, index=frame.index)
    names = {f.name for f in fields}
    check = SchemaCheck(
        mapping=dict(mapping),
        missing_required=tuple(f.name for f in fields if f.required and f.name not in mapping),
        missing_optional=tuple(f.name for f in fields if not f.required and f.name not in mapping),
        unmapped=tuple(str(c) for c in unmapped if str(c) not in names or keep_unmapped),
        failures=tuple(failures),
        rows_without_required=tuple(missing_values),
        ambiguous=tuple(ambiguous),
    )
    if unknown:
        check = replace(
            check,
            failures=check.failures + tuple(RowFailure(0, "mapping", s, "a column of the file") for s in unknown),
        )
    return out, check


def _numeric_dtype(dtype: Any) -> bool:
    """A column of numbers (not booleans, not text, not Python objects)."""
    return bool(pd.api.types.is_numeric_dtype(dtype)) and not pd.api.types.is_bool_dtype(dtype)


def _convert_column(
    column: pd.Series, f: FieldLike, normalise_choice: Callable[[Any, str], str | None] | None
) -> tuple[pd.Series, list[RowFailure], list[tuple[int, str]]] | None:
    """Convert one source column a whole column at a time; None when only the value-by-value way applies.

    Gives what :func:`apply_schema`'s value-by-value conversion gives, from arrays: numbers into a number field
    (finite numbers kept, whole numbers checked for ``int``), and text (or numbers into a text field) through
    the value-by-value conversion applied once per distinct value. Text into a number field is never here:
    its decimal mark is decided by the column's cells (:func:`geo.numbers.parse_column`).
    """
    dtype = column.dtype
    n = len(column)
    rows = np.arange(1, n + 1)
    if f.dtype in ("float", "int") and not f.choices and _numeric_dtype(dtype):
        x = column.to_numpy(dtype=np.float64, na_value=np.nan)
        blank = np.isnan(x)
        ok = np.isfinite(x)
        if f.dtype == "int":
            with np.errstate(invalid="ignore"):
                ok &= np.floor(x) == x
            if (np.abs(x[ok]) >= 2.0**63).any():
                return None  # beyond int64: the value-by-value way says what the store makes of it
        bad = ~blank & ~ok
        raw = column.to_numpy(dtype=object)
        failures = [RowFailure(int(i) + 1, f.name, str(raw[i]), _EXPECTED[f.dtype]) for i in np.flatnonzero(bad)]
        missing = [(int(r), f.name) for r in rows[blank]] if f.required else []
        if f.dtype == "int":
            series = pd.Series(pd.arrays.IntegerArray(np.where(ok, x, 0).astype(np.int64), ~ok), index=column.index)
        else:
            series = pd.Series(np.where(ok, x, np.nan), index=column.index, dtype="float64")
        return series, failures, missing
    text = isinstance(dtype, pd.StringDtype) or (
        pd.api.types.is_object_dtype(dtype) and pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    )
    if not (text or (f.dtype == "str" and _numeric_dtype(dtype))) or f.dtype in ("float", "int"):
        return None
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    # each distinct value once: (blank, converted or None, what was expected when it does not convert)
    results: list[tuple[bool, object, str | None]] = []
    distinct = uniques.tolist()
    if text and f.dtype == "str" and not f.choices:
        # what _is_blank and _convert_value make of text, without their checks of the value's type
        stripped = [u.strip() for u in distinct]
        blank_t = [not t for t in stripped]
        conv_t = [None if not t else t if t.isascii() else nfc(t) for t in stripped]  # ASCII text is NFC
        results = list(zip(blank_t, conv_t, [None] * len(conv_t), strict=True))
    for u in distinct if not results else ():
        if _is_blank(u):
            results.append((True, None, None))
            continue
        good, conv = _convert_value(u, f.dtype)
        if good and f.choices and conv is not None:
            canon = normalise_choice(f, str(conv)) if normalise_choice else (str(conv) if conv in f.choices else None)
            if canon is None:
                results.append((False, None, "one of " + ", ".join(f.choices)))
                continue
            conv = canon
        results.append((False, conv, None) if good else (False, None, _EXPECTED.get(f.dtype, f.dtype)))
    blank_u = np.array([b for b, _, _ in results] + [True], dtype=bool)
    fail_u = np.array([e is not None for _, _, e in results] + [False], dtype=bool)
    conv_u = np.empty(len(results) + 1, dtype=object)
    conv_u[:-1] = [c for _, c, _ in results]
    conv_u[-1] = None
    at = np.where(codes < 0, len(results), codes)  # a missing value (None, NaN) is blank
    failed = np.flatnonzero(fail_u[at])
    failures = [
        RowFailure(int(i) + 1, f.name, str(distinct[codes[i]]), str(results[codes[i]][2])) for i in failed.tolist()
    ]
    missing = [(int(r), f.name) for r in rows[blank_u[at]]] if f.required else []
    return _typed_series(conv_u[at], f.dtype, column.index), failures, missing


def _as_float(x: float | None) -> float:
    assert x is not None  # only values that converted are listed
    return x


def _conflicting_rows(numbers: ColumnNumbers | None) -> dict[int, str]:
    """0-based row -> what was expected, for the values whose decimal mark contradicts their column's."""
    if numbers is None or numbers.decimal_mark is None:
        return {}
    mark = numbers.decimal_mark
    group = "." if mark == "," else ","
    out: dict[int, str] = {}
    for i, text, _ in numbers.problems:
        if parse_number(text) is not None:  # a number, but written with the other mark
            out[i] = CodedNote(
                f"a number written like the column's other values ('{mark}' decimal mark, '{group}' thousands)",
                code="schema.expected_mark",
                mark=mark,
                group=group,
            )
    return out


def _empty_series(dtype: str, n: int, index: pd.Index) -> pd.Series:
    return _typed_series([None] * n, dtype, index)


def _typed_series(values: list[object] | np.ndarray, dtype: str, index: pd.Index) -> pd.Series:
    if dtype == "int":
        return pd.Series(pd.array(values, dtype="Int64"), index=index)  # type: ignore[call-overload]
    if dtype == "float":
        return pd.Series([np.nan if v is None else v for v in values], index=index, dtype="float64")
    if dtype == "bool":
        return pd.Series(pd.array(values, dtype="boolean"), index=index)  # type: ignore[call-overload]
    return pd.Series(values, index=index, dtype=object)

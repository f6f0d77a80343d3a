"""Load the project's authored plan data (``data/``) into typed GeoDataFrames in EPSG:9208.

Sources are text files reviewable in diffs (``docs/DATA.md`` describes each one):

* ``communes_legacy.csv`` and ``communes_2025.csv``: official codes, names, centre points and the legacy ->
  2025 conversion, generated from the ``vietnamadminunits`` package by ``data/tools/make_communes.py``;
* one YAML file per authored layer (``hydropower.yaml`` ...): a list of features with the plan's figures as
  typed attributes, ``source`` and ``geom_quality``, and a position ``at`` that names where the feature sits:

  ``at: {commune: Bảo Hà}``
      a point at that legacy commune's official centre: a stand-in for a site the plan does not give, which
      can lie many kilometres away, so its quality is ``schematic``;
  ``at: {communes: [Tân Dương, Thượng Hà]}``
      for a point layer, the midpoint of those centres (``schematic``, a stand-in too); for a polygon layer,
      the union of their schematic cells (``schematic``);
  ``at: {lon: 104.47, lat: 22.13}``
      an explicit EPSG:4326 position placed from a description of the site (``approximate``, or ``schematic``
      for a rougher one); ``location_note`` must say which description it was placed from;
  ``at: district``
      (polygon layers) the whole schematic district (``schematic``);
  no ``at``
      the plan gives no place: no geometry, quality ``unlocated``.

Commune polygons are schematic: the Voronoi cells of the 17 official centre points, clipped to a schematic
district extent (the convex hull of the centres buffered by :data:`DISTRICT_BUFFER_M`), all in EPSG:9208.
They are deterministic and replaceable by real boundaries (``baoyen import-boundaries``).

Column dtypes follow each :class:`~layers.model.FieldDef`: ``str`` -> pandas ``str``, ``int`` -> ``Int64``,
``float`` -> ``float64``, ``date`` -> ``datetime64[ms]`` (naive, midnight), ``bool`` -> ``boolean``.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from geo.crs import DISPLAY_CRS, WORK_CRS, transformer
from geo.errors import InputDataError
from geo.text import fold, nfc
from layers.catalogue import CATALOGUE, normalise_choice
from layers.model import COMMON_FIELDS, GEOM_QUALITIES, FieldDef, LayerDef

#: Buffer around the convex hull of the commune centres that makes the schematic district extent (metres).
DISTRICT_BUFFER_M = 6_000.0

#: Qualities authored data may claim: nothing the project authors is better than approximate.
AUTHORED_QUALITIES: tuple[str, ...] = ("approximate", "schematic", "unlocated")

LEGACY_FILE = "communes_legacy.csv"
NEW_FILE = "communes_2025.csv"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED = ("at",)

_PANDAS_DTYPES: dict[str, str] = {
    "str": "str",
    "int": "Int64",
    "float": "float64",
    "date": "datetime64[ms]",
    "bool": "boolean",
}

# The notes below are stored in the features' ``location_note`` and shown as they are on every page: the project's
# own data text is written in Vietnamese only, as a planner's is (docs/DECISIONS.md).
_CENTRE_NOTE = (
    "điểm trung tâm chính thức của xã, thị trấn cũ (theo vietnamadminunits; mã hóa địa lý, không đo đạc): không "
    "phải trụ sở UBND xã, không phải vị trí đo đạc"
)
_CELL_NOTE = (
    "ranh giới sơ đồ, không phải ranh giới pháp lý: ô Voronoi quanh điểm trung tâm chính thức, cắt theo phạm vi "
    "huyện sơ đồ (thay bằng ranh giới thật: trang Dữ liệu hoặc lệnh `import-boundaries`)"
)
_NEW_CELL_NOTE = "ranh giới sơ đồ: hợp các ô sơ đồ của các xã, thị trấn cũ đã sáp nhập thành xã này"
_NEW_CELL_WHOLE = (
    "; theo bảng chuyển đổi vietnamadminunits, đó là tất cả các đơn vị hợp thành xã (không có đơn vị nào của "
    "huyện khác)"
)
_NEW_CELL_OUTSIDE = (
    "; xã mới thực tế còn gồm {units} ngoài huyện cũ (bảng chuyển đổi vietnamadminunits), hình này thiếu phần đó"
)


def pandas_dtype(fdef: FieldDef) -> str:
    """The pandas dtype a column of this field has in every frame the project builds."""
    return _PANDAS_DTYPES[fdef.dtype]


# --- communes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    """A legacy unit as read from ``communes_legacy.csv``."""

    code: str
    name: str
    unit_type: str
    lat: float
    lon: float
    successor_code: str
    successor_name: str
    successor_split: bool
    source: str
    x: float
    y: float


@dataclass(frozen=True)
class CommuneGeometry:
    """The 17 legacy units with their schematic cells in EPSG:9208, and lookups by code and name."""

    communes: tuple[Commune, ...]
    cells: tuple[BaseGeometry, ...]
    extent: BaseGeometry

    def by_name(self, name: str) -> int | None:
        """Index of the unit whose name matches ``name`` diacritic- and case-insensitively (or its code)."""
        key = fold(name)
        for i, c in enumerate(self.communes):
            if key in (fold(c.name), c.code):
                return i
        return None


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise InputDataError(f"`{path}` is missing; regenerate it with data/tools/make_communes.py")
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(fh)]


def _csv_float(path: Path, line: int, row: Mapping[str, str], column: str) -> float:
    try:
        return float(row[column])
    except (KeyError, TypeError, ValueError):
        raise InputDataError(
            f"`{path.name}` line {line}: column '{column}' must be a number, got {row.get(column)!r}; fix the value"
        ) from None


def _csv_optional_float(path: Path, line: int, row: Mapping[str, str], column: str) -> float | None:
    if not (row.get(column) or "").strip():
        return None
    return _csv_float(path, line, row, column)


def read_communes(data_dir: Path) -> CommuneGeometry:
    """Read the 17 legacy units and build their schematic cells (deterministic, EPSG:9208)."""
    path = data_dir / LEGACY_FILE
    rows = _read_csv(path)
    need = ("ma_xa", "ten_xa", "loai", "centre_lat", "centre_lon", "successor_code", "successor_name", "source")
    fwd = transformer(DISPLAY_CRS, WORK_CRS)
    communes: list[Commune] = []
    for line, row in enumerate(rows, start=2):
        missing = [c for c in need if not (row.get(c) or "").strip()]
        if missing:
            raise InputDataError(f"`{path.name}` line {line}: empty or missing column(s) {missing}; fill them in")
        if not re.fullmatch(r"\d{5}", row["ma_xa"]) or not re.fullmatch(r"\d{5}", row["successor_code"]):
            raise InputDataError(
                f"`{path.name}` line {line}: official codes are five digits with leading zeros (e.g. 02947), "
                f"got {row['ma_xa']!r} / {row['successor_code']!r}"
            )
        lat = _csv_float(path, line, row, "centre_lat")
        lon = _csv_float(path, line, row, "centre_lon")
        x, y = fwd.transform(lon, lat)
        communes.append(
            Commune(
                code=row["ma_xa"],
                name=row["ten_xa"],
                unit_type=row["loai"],
                lat=lat,
                lon=lon,
                successor_code=row["successor_code"],
                successor_name=row["successor_name"],
                successor_split=(row.get("successor_split") or "").strip().lower() == "true",
                source=row["source"],
                x=x,
                y=y,
            )
        )
    codes = [c.code for c in communes]
    if len(set(codes)) != len(codes) or len(communes) < 3:
        raise InputDataError(f"`{path.name}`: needs at least three units with distinct codes, got {codes}")
    cells, extent = schematic_cells([(c.x, c.y) for c in communes], buffer_m=DISTRICT_BUFFER_M)
    return CommuneGeometry(tuple(communes), cells, extent)


def schematic_cells(
    points_xy: Iterable[tuple[float, float]], *, buffer_m: float
) -> tuple[tuple[BaseGeometry, ...], BaseGeometry]:
    """Voronoi cells of ``points_xy`` (projected metres), clipped to their buffered convex hull.

    Returns the cells in input order and the extent. Each cell contains its own point.
    """
    pts = [Point(x, y) for x, y in points_xy]
    multi = MultiPoint(pts)
    extent = multi.convex_hull.buffer(buffer_m)
    diagram = shapely.voronoi_polygons(multi, extend_to=extent, ordered=True)
    cells = tuple(shapely.make_valid(cell.intersection(extent)) for cell in diagram.geoms)
    if len(cells) != len(pts) or not all(cell.contains(p) for cell, p in zip(cells, pts, strict=True)):
        raise InputDataError("two commune centres coincide, so their schematic cells cannot be built; fix the CSV")
    return cells, extent


# --- YAML features -------------------------------------------------------------------------------------------


class _Problems:
    """Collects every problem of one file, raised once (validate once, at the boundary)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, text: str) -> None:
        self.items.append(f"{where}: {text}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = "; ".join(self.items[:20])
            more = f" (and {len(self.items) - 20} more)" if len(self.items) > 20 else ""
            raise InputDataError(f"`data/{self.path.name}` has {len(self.items)} problem(s): {shown}{more}")


def _convert(fdef: FieldDef, value: Any) -> tuple[Any, str | None]:
    """Convert a YAML value to the field's type; return (value, problem)."""
    if value is None:
        return None, None
    kind = fdef.dtype
    if kind == "str":
        if not isinstance(value, str):
            return None, f"field '{fdef.name}' must be text, got {value!r}; quote it"
        text = nfc(value.strip())
        if fdef.choices is not None:
            canon = normalise_choice(fdef, text)
            if canon is None:
                return None, f"field '{fdef.name}' is {text!r}, not one of {', '.join(fdef.choices)}"
            return canon, None
        return text, None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"field '{fdef.name}' must be a whole number, got {value!r}"
        return value, None
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"field '{fdef.name}' must be a number ({fdef.unit or 'no unit'}), got {value!r}"
        return float(value), None
    if kind == "bool":
        if not isinstance(value, bool):
            return None, f"field '{fdef.name}' must be true or false, got {value!r}"
        return value, None
    if kind == "date":
        if isinstance(value, dt.date):
            return value, None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value), None
            except ValueError:
                pass
        return None, f"field '{fdef.name}' must be a date YYYY-MM-DD, got {value!r}"
    return None, f"field '{fdef.name}' has unknown type {kind!r} in the catalogue"


def _position(
    layer: LayerDef, at: Any, geo: CommuneGeometry, where: str, problems: _Problems
) -> tuple[BaseGeometry | None, list[int]]:
    """Resolve ``at`` to a geometry in EPSG:9208 and the indexes of the communes it names."""
    polygon = layer.geometry_type == "Polygon"
    if at == "district":
        if not polygon:
            problems.add(where, "'at: district' is for polygon layers only")
            return None, []
        return geo.extent, []
    if not isinstance(at, Mapping):
        problems.add(where, f"'at' must be district or a mapping (commune / communes / lon+lat), got {at!r}")
        return None, []
    keys = set(at)
    if keys == {"lon", "lat"}:
        lon, lat = at["lon"], at["lat"]
        if polygon or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lon, lat)):
            problems.add(where, "'at: {lon, lat}' takes two numbers (EPSG:4326 degrees) and suits point layers only")
            return None, []
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            problems.add(where, f"lon/lat {lon}, {lat} are not EPSG:4326 degrees")
            return None, []
        x, y = transformer(DISPLAY_CRS, WORK_CRS).transform(float(lon), float(lat))
        return Point(x, y), []
    if keys == {"commune"}:
        names = [at["commune"]]
    elif keys == {"communes"} and isinstance(at["communes"], list) and at["communes"]:
        names = at["communes"]
    else:
        problems.add(where, f"'at' has keys {sorted(keys)}; use commune, communes, lon+lat or district")
        return None, []
    idx: list[int] = []
    for name in names:
        i = geo.by_name(str(name))
        if i is None:
            problems.add(where, f"'at' names {name!r}, which is not one of the 17 legacy units in {LEGACY_FILE}")
        else:
            idx.append(i)
    if len(idx) != len(names):
        return None, []
    if polygon:
        return shapely.union_all([geo.cells[i] for i in idx]), idx
    xs = [geo.communes[i].x for i in idx]
    ys = [geo.communes[i].y for i in idx]
    return Point(sum(xs) / len(xs), sum(ys) / len(ys)), idx


def position_qualities(layer: LayerDef, at: Any) -> tuple[str, ...]:
    """The qualities a feature placed by ``at`` may claim, the expected one first.

    Only a position placed from a description of the site (an explicit ``lon``/``lat``) may be
    ``approximate``. A commune centre, or the midpoint of several, is a stand-in for a site the plan does not
    give, which can lie many kilometres away: ``schematic``, like every shape built from the communes' cells.
    """
    if layer.geometry_type != "Polygon" and isinstance(at, Mapping) and set(at) == {"lon", "lat"}:
        return ("approximate", "schematic")
    return ("schematic",)


def _placement(at: Any) -> str:
    if isinstance(at, Mapping) and set(at) == {"lon", "lat"}:
        return "a position from 'at: {lon, lat}'"
    if isinstance(at, Mapping) and set(at) <= {"commune", "communes"}:
        return "a stand-in position at commune centres ('at: commune(s)')"
    return "a position from 'at'"


def _read_yaml_features(layer: LayerDef, data_dir: Path, geo: CommuneGeometry) -> gpd.GeoDataFrame:
    assert layer.data_file is not None
    path = data_dir / layer.data_file
    if not path.is_file():
        raise InputDataError(f"`data/{layer.data_file}` is missing; layer '{layer.id}' is authored from it")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputDataError(f"`data/{layer.data_file}` is not valid YAML ({exc}); fix the syntax") from exc
    if not isinstance(doc, Mapping) or doc.get("layer") != layer.id or not isinstance(doc.get("features"), list):
        raise InputDataError(
            f"`data/{layer.data_file}` must be a mapping with 'layer: {layer.id}' and a 'features' list"
        )
    problems = _Problems(path)
    fields = {f.name: f for f in layer.fields}
    records: list[dict[str, Any]] = []
    geoms: list[BaseGeometry | None] = []
    seen: set[str] = set()
    for n, feat in enumerate(doc["features"], start=1):
        if not isinstance(feat, Mapping):
            problems.add(f"feature {n}", "is not a mapping of fields")
            continue
        fid = feat.get("id")
        where = f"feature {n} (id {fid!r})"
        rec: dict[str, Any] = {}
        if not isinstance(fid, str) or not _ID.fullmatch(fid):
            problems.add(where, "'id' must be a plain identifier like hydro_bao_ha")
        elif fid in seen:
            problems.add(where, "duplicate id")
        else:
            seen.add(fid)
        rec["id"] = fid
        for common in ("name", "source"):
            value = feat.get(common)
            if not isinstance(value, str) or not value.strip():
                problems.add(where, f"'{common}' is missing or empty; every feature needs it")
            rec[common] = nfc(value.strip()) if isinstance(value, str) else None
        quality = feat.get("geom_quality")
        if quality not in GEOM_QUALITIES:
            problems.add(where, f"'geom_quality' is {quality!r}; use one of {', '.join(AUTHORED_QUALITIES)}")
        elif quality not in AUTHORED_QUALITIES:
            problems.add(
                where, f"'geom_quality' {quality!r} is not allowed: nothing authored is better than approximate"
            )
        rec["geom_quality"] = quality
        for key, value in feat.items():
            if key in COMMON_FIELDS or key in _RESERVED:
                continue
            fdef = fields.get(key)
            if fdef is None:
                problems.add(where, f"unknown field '{key}' (layer '{layer.id}' has {', '.join(fields)})")
                continue
            converted, problem = _convert(fdef, value)
            if problem:
                problems.add(where, problem)
            rec[key] = converted
        for fdef in layer.fields:
            if fdef.required and rec.get(fdef.name) is None:
                problems.add(where, f"required field '{fdef.name}' is missing")
        geom: BaseGeometry | None = None
        if "at" in feat:
            geom, idx = _position(layer, feat["at"], geo, where, problems)
            allowed = position_qualities(layer, feat["at"])
            if quality == "unlocated":
                problems.add(where, "an unlocated feature has no 'at'; remove it or set the quality")
            elif quality in AUTHORED_QUALITIES and quality not in allowed:
                problems.add(where, f"{_placement(feat['at'])} on a {layer.geometry_type} layer is '{allowed[0]}'")
            if allowed == ("approximate", "schematic") and not rec.get("location_note"):
                problems.add(
                    where, "an explicit lon/lat needs a 'location_note' naming the description of the site it is from"
                )
            _fill_commune_fields(rec, fields, [geo.communes[i] for i in idx])
        elif quality in AUTHORED_QUALITIES and quality != "unlocated":
            problems.add(where, f"quality {quality!r} needs a position 'at'; without one the feature is 'unlocated'")
        records.append(rec)
        geoms.append(geom)
    problems.raise_if_any()
    return _frame(layer, records, geoms)


def _fill_commune_fields(rec: dict[str, Any], fields: Mapping[str, FieldDef], communes: list[Commune]) -> None:
    """Fill commune code/name fields from the position unless the file gives them."""
    if not communes:
        return
    if len(communes) == 1:
        if "commune_code" in fields:
            rec.setdefault("commune_code", communes[0].code)
        if "commune_name" in fields:
            rec.setdefault("commune_name", communes[0].name)
    if "communes" in fields:
        rec.setdefault("communes", "; ".join(c.name for c in communes))
    if "commune_codes" in fields:
        rec.setdefault("commune_codes", "; ".join(c.code for c in communes))


# --- frames --------------------------------------------------------------------------------------------------


def _column(fdef: FieldDef | None, values: list[Any]) -> pd.Series:
    dtype = "str" if fdef is None else pandas_dtype(fdef)
    if dtype == "datetime64[ms]":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype="datetime64[ms]")
    if dtype == "float64":
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    return pd.Series(values, dtype=dtype)


def _frame(layer: LayerDef, records: list[dict[str, Any]], geoms: list[BaseGeometry | None]) -> gpd.GeoDataFrame:
    data: dict[str, pd.Series] = {}
    for name in COMMON_FIELDS:
        data[name] = _column(None, [r.get(name) for r in records])
    for fdef in layer.fields:
        data[fdef.name] = _column(fdef, [r.get(fdef.name) for r in records])
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=WORK_CRS), crs=WORK_CRS)


def empty_frame(layer: LayerDef) -> gpd.GeoDataFrame:
    """A frame with the layer's columns and dtypes and no rows (EPSG:9208)."""
    return _frame(layer, [], [])


def _communes_legacy(layer: LayerDef, geo: CommuneGeometry) -> gpd.GeoDataFrame:
    records = [
        {
            "id": f"commune_{c.code}",
            "name": f"{c.unit_type} {c.name}",
            "source": c.source,
            "geom_quality": "schematic",
            "ma_xa": c.code,
            "ten_xa": c.name,
            "loai": c.unit_type,
            "successor_code": c.successor_code,
            "successor_name": c.successor_name,
            "successor_split": c.successor_split,
            "centre_lat": c.lat,
            "centre_lon": c.lon,
            "location_note": _CELL_NOTE,
        }
        for c in geo.communes
    ]
    return _frame(layer, records, list(geo.cells))


def _commune_centres(layer: LayerDef, geo: CommuneGeometry) -> gpd.GeoDataFrame:
    records = [
        {
            "id": f"centre_{c.code}",
            "name": f"{c.unit_type} {c.name}",
            "source": c.source,
            "geom_quality": "approximate",
            "ma_xa": c.code,
            "ten_xa": c.name,
            "successor_code": c.successor_code,
            "location_note": _CENTRE_NOTE,
        }
        for c in geo.communes
    ]
    return _frame(layer, records, [Point(c.x, c.y) for c in geo.communes])


def _communes_2025(layer: LayerDef, data_dir: Path, geo: CommuneGeometry) -> gpd.GeoDataFrame:
    path = data_dir / NEW_FILE
    rows = _read_csv(path)
    by_successor: dict[str, list[int]] = {}
    for i, c in enumerate(geo.communes):
        by_successor.setdefault(c.successor_code, []).append(i)
    records, geoms = [], []
    for line, row in enumerate(rows, start=2):
        code = row.get("ma_xa", "")
        members = by_successor.pop(code, None)
        if not members or not (row.get("source") or "").strip():
            raise InputDataError(
                f"`{NEW_FILE}` line {line}: code {code!r} is no successor in {LEGACY_FILE} or has no source; "
                "regenerate both files with data/tools/make_communes.py"
            )
        area = _csv_optional_float(path, line, row, "area_km2")
        other_area = _csv_optional_float(path, line, row, "other_area_km2")
        other_source = (row.get("other_source") or "").strip() or None
        if area is None and other_area is None:
            raise InputDataError(f"`{NEW_FILE}` line {line}: give 'area_km2' or 'other_area_km2' (with other_source)")
        if other_area is not None and other_source is None:
            raise InputDataError(
                f"`{NEW_FILE}` line {line}: 'other_area_km2' needs 'other_source' saying why it is not the official "
                "area"
            )
        outside = (row.get("outside_units") or "").strip() or None
        note = _NEW_CELL_NOTE + (
            _NEW_CELL_OUTSIDE.format(units=outside.replace("; ", " và ")) if outside else _NEW_CELL_WHOLE
        )
        records.append(
            {
                "id": f"commune2025_{code}",
                "name": f"Xã {row['ten_xa']}",
                "source": row["source"],
                "geom_quality": "schematic",
                "ma_xa": code,
                "ten_xa": row["ten_xa"],
                "area_km2": area,
                "other_area_km2": other_area,
                "other_source": other_source,
                "legacy_codes": "; ".join(geo.communes[i].code for i in members),
                "outside_units": outside,
                "centre_lat": _csv_float(path, line, row, "centre_lat"),
                "centre_lon": _csv_float(path, line, row, "centre_lon"),
                "location_note": note,
            }
        )
        geoms.append(shapely.union_all([geo.cells[i] for i in members]))
    if by_successor:
        raise InputDataError(
            f"`{NEW_FILE}` lacks the successor code(s) {sorted(by_successor)} named in {LEGACY_FILE}; regenerate both"
        )
    return _frame(layer, records, geoms)


#: Qualities from best to worst, for the quality of a shape built from several parts (its poorest part's).
_PART_RANK: tuple[str, ...] = ("surveyed", "digitised", "approximate", "unknown", "schematic", "sample")
ZONE_DISTRICT_NOTE = (
    "Kế hoạch chỉ nêu tổng diện tích toàn huyện; hình là toàn huyện (hợp ranh giới các xã, thị trấn), không phải "
    "vùng trồng"
)
ZONE_COMMUNES_NOTE = "Kế hoạch chỉ nêu tên các xã; hình là hợp ranh giới của {names}, không phải vùng trồng"
#: what a re-derived zone's ``source`` adds after the plan's sections (``{plan}; ranh giới xã: {shapes}``); the
#: bilingual separator of earlier versions is still recognised, so re-deriving such a zone does not pile it up
ZONE_SOURCE_SEP = "; ranh giới xã: "
_OLD_ZONE_SOURCE_SEPS: tuple[str, ...] = ("; ranh giới xã / commune boundaries: ",)


def worst_quality(qualities: Iterable[object]) -> str:
    """The poorest of these geometry qualities (a shape made of parts is worth its poorest part)."""
    ranked = [q if q in _PART_RANK else "unknown" for q in qualities]
    return max(ranked, key=_PART_RANK.index) if ranked else "unknown"


def rederive_plan_zones(zones: gpd.GeoDataFrame, legacy: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The plan's raw-material zones rebuilt from the legacy commune polygons ``legacy`` holds now.

    The loader draws a zone as the union of its communes' schematic cells (``commune_codes``) and a district
    total as the schematic district; after real boundaries are imported the same rule is applied to the real
    polygons: a zone becomes the union of its communes' boundaries, a district total the union of all the
    units. Ids, attributes and order are kept; each rebuilt shape takes the quality of its poorest commune
    (digitised boundaries give a digitised zone, a unit still on its schematic cell keeps the zone schematic),
    its ``source`` adds the communes' sources, and ``location_note`` says it is the communes, not the stands.
    Zones without a place (``unlocated``) and zones whose communes the layer lacks are left as they are.
    """
    legacy = legacy.to_crs(WORK_CRS)
    located = legacy[legacy.geometry.notna() & ~legacy.geometry.is_empty]
    by_code = {str(c): i for i, c in located["ma_xa"].items()}
    out = zones.to_crs(WORK_CRS).copy()
    for i, row in out.iterrows():
        geom = out.geometry[i]
        if geom is None or geom.is_empty or str(row.get("geom_quality")) == "unlocated":
            continue
        codes_text = row.get("commune_codes")
        codes = [c.strip() for c in str(codes_text).split(";") if c.strip()] if isinstance(codes_text, str) else []
        if str(row.get("scope")) == "district" or not codes:
            parts = located
            note = ZONE_DISTRICT_NOTE
        else:
            if any(c not in by_code for c in codes):
                continue
            parts = located.loc[[by_code[c] for c in codes]]
            names = ", ".join(str(n) for n in parts["ten_xa"])
            note = ZONE_COMMUNES_NOTE.format(names=names)
        if parts.empty:
            continue
        out.at[i, "geometry"] = shapely.union_all(parts.geometry.to_numpy())
        out.at[i, "geom_quality"] = worst_quality(parts["geom_quality"].astype(str))
        plan_source = str(row["source"])
        for sep in (ZONE_SOURCE_SEP, *_OLD_ZONE_SOURCE_SEPS):
            plan_source = plan_source.split(sep)[0]
        shapes = "; ".join(dict.fromkeys(str(s) for s in parts["source"]))
        out.at[i, "source"] = f"{plan_source}{ZONE_SOURCE_SEP}{shapes}"
        if "location_note" in out.columns:
            out.at[i, "location_note"] = note
    return out


def _load(layer: LayerDef, data_dir: Path, geo: CommuneGeometry) -> gpd.GeoDataFrame:
    if layer.user_data:
        return empty_frame(layer)
    if layer.id == "communes_legacy":
        return _communes_legacy(layer, geo)
    if layer.id == "commune_centres":
        return _commune_centres(layer, geo)
    if layer.id == "communes_2025":
        return _communes_2025(layer, data_dir, geo)
    if layer.data_file is None or not layer.data_file.endswith(".yaml"):
        raise InputDataError(f"layer '{layer.id}' is neither user data nor authored from a YAML file under data/")
    return _read_yaml_features(layer, data_dir, geo)


def load_layer(layer: LayerDef, data_dir: Path) -> gpd.GeoDataFrame:
    """Load one catalogue layer from ``data_dir`` as a typed frame in EPSG:9208.

    Parameters
    ----------
    layer
        The catalogue entry; user-data layers come back empty with the right columns.
    data_dir
        The folder holding the authored files (``Settings.data_dir``).

    Raises
    ------
    InputDataError
        Naming the file and the feature or line, for missing ``source``/``geom_quality``, unknown fields,
        bad types or values, or a quality that authored data may not claim.
    """
    return _load(layer, Path(data_dir), read_communes(Path(data_dir)))


def load_all(data_dir: Path) -> dict[str, gpd.GeoDataFrame]:
    """Load every catalogue layer (authored ones from ``data_dir``, user-data ones empty), in catalogue order."""
    data_dir = Path(data_dir)
    geo = read_communes(data_dir)
    frames = {layer.id: _load(layer, data_dir, geo) for layer in CATALOGUE}
    seen: dict[str, str] = {}
    for layer_id, frame in frames.items():
        for fid in frame["id"]:
            if fid in seen:
                raise InputDataError(
                    f"feature id {fid!r} occurs in layers '{seen[fid]}' and '{layer_id}'; ids are unique"
                )
            seen[fid] = layer_id
    return frames

"""Raw-material zones: species names, the plan against mapped stands, legacy → 2025 units, supply areas.

* :func:`species_key` turns what people write ("Quế", "que", "cinnamon", "Trầu", "Bò Đê", "Xả" …) into the
  project's species keys (those of the ``material_zones_*`` layers), with :func:`geo.text.fold`.
* :func:`plan_vs_mapped` compares each plan zone (district totals and commune-level zones) with the mapped
  stands: planned ha, mapped ha of its species inside its communes, %, and mapped ha elsewhere.
* :func:`successor_mapping` / :func:`to_successors` regroup legacy-unit figures to the 2025 communes.
* :func:`supply_area` measures the mapped area of a plant's species within a straight-line distance, or
  along a road network (see its docstring for the approximation).

Pure functions: frames and keyword options in, frames or frozen dataclasses out; everything measured in
EPSG:9208.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from shapely.ops import substring

if TYPE_CHECKING:  # networkx costs a quarter of a second to import: only the road distance needs it
    import networkx as nx

from analysis.overlay import OverlayResult, id_strings, merge_results, overlay_by_unit, polygonal
from geo.crs import M2_PER_HA, WORK_CRS, to_work
from geo.errors import InputDataError
from geo.safety import CodedNote
from geo.text import fold, nfc, plain, unit_name_key
from layers.catalogue import SPECIES_LABELS

# ------------------------------------------------------------------------------------------------ species

#: Species keys with their Vietnamese and English names: the catalogue's (the choices of the
#: ``material_zones_plan`` / ``material_zones_mapped`` layers), then stands a planner may map that the plan's
#: zones draw on (lemongrass for the essential-oil zone, plantation wood for the MDF plant).
SPECIES_NAMES: dict[str, tuple[str, str]] = {
    **SPECIES_LABELS,
    "sa": ("Sả", "Lemongrass"),
    "keo": ("Keo", "Acacia"),
    "bach_dan": ("Bạch đàn", "Eucalyptus"),
    "dau_tam": ("Dâu tằm", "Mulberry"),
    "may": ("Mây", "Rattan"),
}

#: More ways people write a species (compared after :func:`normal_text`). The plan itself writes
#: "Trầu" (betel) for what forestry calls Trẩu (tung-oil tree), "Bò Đê" for Bồ Đề and both "sả" and "xả".
_ALIASES: dict[str, tuple[str, ...]] = {
    "que": ("cinnamon", "cassia", "cinnamomum cassia", "cay que", "rung que"),
    "mo": ("manglietia", "manglietia conifera", "manglietia glauca", "cay mo", "rung mo"),
    "trau": ("trau", "tung", "tung oil tree", "tung tree", "vernicia", "vernicia montana", "cay trau"),
    "bo_de": ("bo de", "styrax", "styrax tonkinensis", "cay bo de"),
    "tre_vau": ("tre", "vau", "tre vau", "bamboo", "luong", "tre luong", "dendrocalamus"),
    "hong_khong_hat": ("hong khong hat", "seedless persimmon", "persimmon", "hong"),
    "que_sa": ("que sa", "que va sa", "que va xa", "cinnamon lemongrass", "cinnamon and lemongrass"),
    "che": ("tea", "che o long", "o long", "oolong", "camellia sinensis", "che shan"),
    "go_mdf": ("go mdf", "go nguyen lieu mdf", "mdf"),
    "may_tre": ("may tre", "may tre dan", "rattan bamboo", "rattan and bamboo"),
    "nong_lam": ("nong lam", "nong lam san", "nong lam san tap trung", "agro forestry"),
    "sa": ("xa", "lemongrass", "cymbopogon", "cay sa", "cay xa"),
    "keo": ("acacia", "acacia mangium", "keo lai", "keo tai tuong"),
    "bach_dan": ("eucalyptus", "bach dan"),
    "dau_tam": ("mulberry", "dau tam", "morus"),
    "may": ("rattan", "calamus"),
}

#: Which mapped species count for a plan zone of each kind. A kind not listed counts only itself.
#: ``None``: every species (the agro-forestry hub takes farm and forest produce alike).
#: go_mdf is this project's reading, not the plan's (which names no species): the MDF plant makes MDF,
#: plywood, veneer and bamboo board, i.e. plantation wood (acacia, eucalyptus, Styrax, Manglietia) and bamboo.
ZONE_MEMBERS: dict[str, tuple[str, ...] | None] = {
    "que_sa": ("que_sa", "que", "sa"),
    "go_mdf": ("go_mdf", "keo", "bach_dan", "bo_de", "mo", "tre_vau"),
    "may_tre": ("may_tre", "may", "tre_vau"),
    "nong_lam": None,
}

#: Mixed stands written as two species that form a plan zone kind.
_COMBINATIONS: dict[frozenset[str], str] = {
    frozenset({"que", "sa"}): "que_sa",
    frozenset({"may", "tre_vau"}): "may_tre",
}

_SPLIT = re.compile(r"\s*(?:[,;+/&]|\bva\b|\band\b)\s*")


def normal_text(text: str) -> str:
    """Folded text with punctuation as single spaces: ``"Tre, Vầu"`` → ``"tre vau"`` (:func:`geo.text.plain`)."""
    return plain(text)


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for key, (vi, en) in SPECIES_NAMES.items():
        for name in (key, vi, en, *_ALIASES.get(key, ())):
            lookup.setdefault(normal_text(name), key)
    return lookup


_LOOKUP = _build_lookup()


def species_key(text: object) -> str:
    """The species key for a written species name.

    Known names (any case, with or without diacritics, Vietnamese or English) give their key
    (``"Quế"`` → ``"que"``, ``"Bò Đê"`` → ``"bo_de"``, ``"Xả"`` → ``"sa"``). A combination ("Quế + sả")
    gives its zone kind when there is one (``"que_sa"``). Unknown names are kept as a folded key
    (``"Cây Sơn"`` → ``"cay_son"``), so that they still group together.

    Raises
    ------
    InputDataError
        When the text is empty.
    """
    norm = "" if text is None or (isinstance(text, float) and math.isnan(text)) else normal_text(str(text))
    if not norm:
        raise InputDataError(
            "a species is empty; write the species (e.g. Quế, Mỡ, Bồ Đề) for every stand", code="materials.no_species"
        )
    whole = _one_species(str(text))
    if whole is not None:
        return whole
    pieces = [p for p in _SPLIT.split(fold(nfc(str(text)))) if normal_text(p)]
    if len(pieces) > 1:
        parts = {_one_species(p) or normal_text(p).replace(" ", "_") for p in pieces}
        if len(parts) == 1:
            return parts.pop()
        return _COMBINATIONS.get(frozenset(parts), "+".join(sorted(parts)))
    return norm.replace(" ", "_")


def _one_species(text: str) -> str | None:
    """The key of one species name, also when parentheses explain it ("Trầu (Trẩu)"); None if unknown."""
    for candidate in (text, text.split("(")[0]):
        key = _LOOKUP.get(normal_text(candidate))
        if key is not None:
            return key
    return None


def species_label(key: str, lang: str = "vi") -> str:
    """A species key's name in ``lang`` ("vi" or "en"); the key itself when unknown."""
    names = SPECIES_NAMES.get(key)
    if names is None:
        return key
    return names[1] if lang == "en" else names[0]


def zone_members(kind: str) -> tuple[str, ...] | None:
    """Mapped species keys that count for a plan zone of ``kind`` (None: all species)."""
    key = species_key(kind)
    if key in ZONE_MEMBERS:
        return ZONE_MEMBERS[key]
    return (key,)


def with_species_keys(frame: gpd.GeoDataFrame, *, species_field: str = "species") -> gpd.GeoDataFrame:
    """A copy of ``frame`` with a ``species_key`` column from ``species_field``.

    Raises
    ------
    InputDataError
        When the field is missing or a row has no species.
    """
    if species_field not in frame.columns:
        raise InputDataError(
            f"the mapped stands have no field '{species_field}'; add the species of each stand (e.g. Quế, Mỡ)",
            code="materials.no_species_field",
            field=species_field,
        )
    out = frame.copy()
    out["species_key"] = [species_key(v) for v in frame[species_field]]
    return out


# ------------------------------------------------------------------------------------------ legacy → 2025


def successor_mapping(
    legacy: pd.DataFrame, *, code_field: str = "ma_xa", successor_field: str = "successor_code"
) -> dict[str, str]:
    """Legacy unit code → 2025 commune code, from the ``communes_legacy`` layer.

    A legacy unit split between several 2025 communes (``successor_split``) is sent whole to the successor
    the conversion names first; the area of such a unit is not divided.

    Raises
    ------
    InputDataError
        When a field is missing or a unit has no successor.
    """
    for name in (code_field, successor_field):
        if name not in legacy.columns:
            raise InputDataError(
                f"the legacy units have no field '{name}'; update the project store from the project data",
                code="materials.legacy_no_field",
                field=name,
            )
    codes = id_strings(legacy[code_field])
    successors = legacy[successor_field]
    missing = [c for c, s in zip(codes, successors, strict=True) if pd.isna(s) or str(s).strip() == ""]
    if missing:
        raise InputDataError(
            f"no 2025 successor for {', '.join(missing)}; fill successor_code for those units",
            code="materials.no_successor",
            units=missing,
        )
    return dict(zip(codes, id_strings(successors), strict=True))


def to_successors(result: OverlayResult, legacy: pd.DataFrame) -> OverlayResult:
    """An overlay on the legacy units regrouped to the 2025 communes (hectares summed)."""
    return merge_results(result, successor_mapping(legacy))


def aggregate_to_successors(
    frame: pd.DataFrame,
    legacy: pd.DataFrame,
    *,
    unit_column: str = "unit",
    value_columns: Sequence[str] = ("area_ha",),
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """Sum ``value_columns`` of rows keyed by legacy unit into rows keyed by 2025 commune code.

    ``by`` names further grouping columns (e.g. ``("zone",)``). The result's ``unit_column`` holds the 2025
    codes.
    """
    mapping = successor_mapping(legacy)
    units = id_strings(frame[unit_column])
    unknown = sorted(set(units) - set(mapping))
    if unknown:
        raise InputDataError(
            f"unit(s) {', '.join(unknown)} are not legacy units; use the ma_xa codes of communes_legacy",
            code="materials.not_legacy",
            units=unknown,
        )
    out = frame.copy()
    out[unit_column] = [mapping[u] for u in units]
    return out.groupby([unit_column, *by], as_index=False, sort=True)[list(value_columns)].sum()


# ------------------------------------------------------------------------------------------ plan vs mapped


def _split_list(value: object) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [nfc(str(v)).strip() for v in value if str(v).strip()]
    return [nfc(p).strip() for p in re.split(r"[;,|]", str(value)) if p.strip()]


def resolve_communes(
    values: object, units: pd.DataFrame, *, unit_field: str = "ma_xa", name_field: str | None = "ten_xa"
) -> tuple[str, ...]:
    """Unit codes for a list of commune codes or names (``"02965; 02953"``, ``["Tân Dương", "xã Nghĩa Đô"]``).

    Raises
    ------
    InputDataError
        When a name or code is not one of the units.
    """
    codes = id_strings(units[unit_field])
    by_code = set(codes)
    by_name: dict[str, str] = {}
    if name_field and name_field in units.columns:
        by_name = {unit_name_key(str(n)): c for n, c in zip(units[name_field], codes, strict=True)}
    out: list[str] = []
    for item in _split_list(values):
        if item in by_code:
            out.append(item)
        elif unit_name_key(item) in by_name:
            out.append(by_name[unit_name_key(item)])
        else:
            raise InputDataError(
                f"commune '{item}' is not one of the units ({', '.join(sorted(by_code)[:5])} …); "
                "write its official code or its name as in the commune layer",
                code="materials.unknown_commune",
                commune=item,
                known=sorted(by_code)[:5],
            )
    return tuple(dict.fromkeys(out))


PLAN_COLUMNS = (
    "id",
    "name",
    "species",
    "scope",
    "communes",
    "planned_ha",
    "mapped_in_ha",
    "pct",
    "mapped_outside_ha",
    "mapped_unassigned_ha",
    "counted_species",
)


def plan_vs_overlay(
    plan: pd.DataFrame,
    overlay: OverlayResult,
    units: pd.DataFrame,
    *,
    unit_field: str = "ma_xa",
    name_field: str | None = "ten_xa",
) -> pd.DataFrame:
    """Each plan zone against an overlay of the mapped stands (zone class = species key) on the legacy units.

    Parameters
    ----------
    plan
        Rows of ``material_zones_plan``: ``species`` (key or name), ``planned_ha`` (may be empty), and the
        zone's communes in ``commune_codes`` or ``communes`` (codes or names). A district-scope zone, or one
        that names no commune, is compared with the whole district (all units).
    overlay
        :func:`analysis.overlay.overlay_by_unit` of the mapped stands by ``species_key`` on ``units``.
    units
        The legacy units (``ma_xa``, ``ten_xa``).
    unit_field, name_field
        The units' code and name fields (names resolve plan zones that list commune names).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`PLAN_COLUMNS`: ``communes`` is "" for the whole district; ``pct`` = mapped_in_ha /
        planned_ha × 100 (NaN without a planned figure); ``mapped_outside_ha`` is the zone's species in the
        other units, ``mapped_unassigned_ha`` outside every unit.
    """
    if "species" not in plan.columns:
        raise InputDataError(
            "the plan zones have no field 'species'; update the project store from the project data",
            code="materials.plan_no_species",
        )
    rows = overlay.rows
    all_units = id_strings(units[unit_field])
    records: list[dict[str, Any]] = []
    for i, zone in plan.reset_index(drop=True).iterrows():
        kind = species_key(zone["species"])
        members = zone_members(kind)
        counted = sorted(overlay.zone_totals) if members is None else list(members)
        codes_value = zone.get("commune_codes")
        names_value = zone.get("communes")
        communes = resolve_communes(codes_value, units, unit_field=unit_field, name_field=name_field)
        if not communes:
            communes = resolve_communes(names_value, units, unit_field=unit_field, name_field=name_field)
        scope = str(zone.get("scope") or ("communes" if communes else "district"))
        inside_units = set(communes) if communes and scope != "district" else set(all_units)
        sel = rows[rows["zone"].isin(counted)]
        in_ha = float(sel.loc[sel["unit"].isin(inside_units), "area_ha"].sum())
        out_ha = float(sel.loc[~sel["unit"].isin(inside_units), "area_ha"].sum())
        unassigned = float(sum(overlay.unassigned_by_zone.get(c, 0.0) for c in counted))
        planned = zone.get("planned_ha")
        planned_f = float(planned) if planned is not None and not pd.isna(planned) else math.nan
        pct = in_ha / planned_f * 100.0 if planned_f > 0 else math.nan
        records.append(
            {
                "id": str(zone.get("id", i)),
                "name": nfc(str(zone.get("name", kind))),
                "species": kind,
                "scope": scope,
                "communes": "; ".join(communes) if inside_units != set(all_units) else "",
                "planned_ha": planned_f,
                "mapped_in_ha": in_ha,
                "pct": pct,
                "mapped_outside_ha": out_ha,
                "mapped_unassigned_ha": unassigned,
                "counted_species": "; ".join(counted),
            }
        )
    return pd.DataFrame.from_records(records, columns=list(PLAN_COLUMNS))


def plan_vs_mapped(
    plan: pd.DataFrame,
    mapped: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    species_field: str = "species",
    unit_field: str = "ma_xa",
    name_field: str | None = "ten_xa",
) -> pd.DataFrame:
    """Planned against mapped hectares for each plan zone (see :func:`plan_vs_overlay` for the columns).

    The mapped stands are overlaid on ``units`` with their species normalised (:func:`species_key`); stands
    of one species that overlap count once.
    """
    overlay = mapped_overlay(mapped, units, species_field=species_field, unit_field=unit_field)
    return plan_vs_overlay(plan, overlay, units, unit_field=unit_field, name_field=name_field)


def mapped_overlay(
    mapped: gpd.GeoDataFrame, units: gpd.GeoDataFrame, *, species_field: str = "species", unit_field: str = "ma_xa"
) -> OverlayResult:
    """Hectares of each (normalised) species of the mapped stands in each unit."""
    keyed = with_species_keys(mapped, species_field=species_field)
    return overlay_by_unit(keyed, units, zone_field="species_key", unit_field=unit_field)


# ------------------------------------------------------------------------------------------- supply areas


@dataclass(frozen=True)
class SupplyResult:
    """What a plant can draw on within a distance.

    ``area_ha`` is the dissolved area of the counted species (a stand mapped under two counted species
    counts once); ``by_species`` gives each species' own hectares. ``reach`` is the straight-line circle or
    the reachable road lines (EPSG:9208), ``catchment`` the counted stands' area. ``supply`` =
    area_ha × yield_per_ha (None without a yield), ``capacity_ratio`` = supply / capacity.
    """

    plant_id: str
    species: tuple[str, ...] | None
    distance_km: float
    method: str
    area_ha: float
    by_species: dict[str, float]
    reach: Any
    catchment: Any
    yield_per_ha: float | None = None
    supply: float | None = None
    supply_unit: str | None = None
    capacity: float | None = None
    capacity_ratio: float | None = None
    notes: tuple[str, ...] = field(default=())
    crs: str = WORK_CRS

    def to_dict(self, *, decimals: int = 4) -> dict[str, Any]:
        """JSON-ready summary (geometries left out)."""

        def r(x: float | None) -> float | None:
            return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(float(x), decimals) + 0.0

        return {
            "plant": self.plant_id,
            "species": list(self.species) if self.species is not None else None,
            "distance_km": self.distance_km,
            "method": self.method,
            "area_ha": r(self.area_ha),
            "by_species": {k: r(v) for k, v in self.by_species.items()},
            "yield_per_ha": self.yield_per_ha,
            "supply": r(self.supply),
            "supply_unit": self.supply_unit,
            "capacity": self.capacity,
            "capacity_ratio": None if self.capacity_ratio is None else round(self.capacity_ratio, 6) + 0.0,
            "notes": list(self.notes),
            "crs": self.crs,
        }


def _plant_point(plant: gpd.GeoDataFrame | gpd.GeoSeries) -> shapely.Point:
    work = to_work(plant if isinstance(plant, gpd.GeoDataFrame) else gpd.GeoDataFrame(geometry=plant), "the plant")
    geoms = [g for g in work.geometry if g is not None and not g.is_empty]
    if len(geoms) != 1:
        raise InputDataError(
            "give exactly one located plant (a point); this plant has no location", code="supply.no_plant_point"
        )
    point = geoms[0]
    if point.geom_type != "Point":
        point = point.centroid
    return point


def _selected_stands(
    zones: gpd.GeoDataFrame, species: Iterable[str] | None, species_field: str
) -> tuple[gpd.GeoDataFrame, tuple[str, ...] | None]:
    keyed = with_species_keys(to_work(zones, "the mapped stands"), species_field=species_field)
    wanted: tuple[str, ...] | None = None
    if species is not None:
        keys: list[str] = []
        for s in species:
            members = zone_members(s)
            if members is None:
                wanted = None
                keys = []
                break
            keys.extend(members)
        else:
            wanted = tuple(dict.fromkeys(keys))
        if wanted is not None:
            keyed = keyed[keyed["species_key"].isin(wanted)]
    return keyed, wanted


def supply_area(
    plant: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    distance_km: float,
    species: Iterable[str] | None = None,
    species_field: str = "species",
    roads: gpd.GeoDataFrame | None = None,
    yield_per_ha: float | None = None,
    supply_unit: str = "t",
    capacity: float | None = None,
    plant_id: str = "",
    cell_m: float = 250.0,
    snap_m: float = 25.0,
) -> SupplyResult:
    """Mapped area of a plant's species within ``distance_km``, straight or along roads.

    Parameters
    ----------
    plant
        One point (a frame or series with a CRS).
    zones
        Mapped stands with a species field.
    distance_km
        The distance limit, km.
    species
        Species keys or names, or plan zone kinds (``"que_sa"`` counts cinnamon and lemongrass; see
        :data:`ZONE_MEMBERS`). None: all species.
    roads
        A line layer. Without it the reach is a circle (a buffer of the point in EPSG:9208). With it the
        distance is measured along the network — an approximation, stated here so that nobody over-reads it:
        the graph joins lines where they share a vertex or cross (crossings become junctions, also where one
        road bridges another), and line ends closer than ``snap_m`` metres; the plant and each stand reach
        the network by a straight leg to the nearest point of a road, and that leg counts into the distance;
        stands are cut into ``cell_m`` metre cells and a cell counts whole when its centre is within reach.
        No speeds, slopes, one-way roads or tracks that are not in the layer.
    yield_per_ha
        Optional yield per hectare (per year), in ``supply_unit`` (e.g. "t" or "m3"), turning hectares into a
        supply figure.
    supply_unit
        The unit of ``yield_per_ha`` and ``capacity`` ("t", "m3", …), carried into the result.
    capacity
        Optional capacity of the plant in the same unit, for the supply/capacity ratio.
    species_field
        The species field of ``zones``.
    plant_id
        The plant's id, carried into the result.
    cell_m, snap_m
        Cell size for stands and snapping distance for dangling road ends, metres (road distance only).

    Raises
    ------
    InputDataError
        Distance not positive, no plant point, a road layer without lines, a species field missing.
    """
    if not (isinstance(distance_km, (int, float)) and distance_km > 0 and math.isfinite(distance_km)):
        raise InputDataError(
            f"distance {distance_km!r} km is not a positive number; give a distance in kilometres above 0 (e.g. 20)",
            code="supply.bad_distance",
            distance_km=distance_km,
        )
    if yield_per_ha is not None and (not math.isfinite(yield_per_ha) or yield_per_ha < 0):
        raise InputDataError(
            f"yield {yield_per_ha!r} per ha is not a non-negative number", code="supply.bad_yield", value=yield_per_ha
        )
    point = _plant_point(plant)
    distance_m = float(distance_km) * 1000.0
    stands, wanted = _selected_stands(zones, species, species_field)
    circle = point.buffer(distance_m, quad_segs=64)
    notes: list[str] = []
    if roads is None:
        method = "straight"
        reach: Any = circle
        catchment, by_species = _stands_within(stands, circle)
    else:
        method = "road"
        reach, catchment, by_species, road_notes = _road_supply(
            point, stands, roads, distance_m=distance_m, cell_m=cell_m, snap_m=snap_m, circle=circle
        )
        notes.extend(road_notes)
    area_ha = float(shapely.area(catchment)) / M2_PER_HA if catchment is not None else 0.0
    supply = area_ha * yield_per_ha if yield_per_ha is not None else None
    ratio = supply / capacity if supply is not None and capacity else None
    return SupplyResult(
        plant_id=plant_id,
        species=wanted,
        distance_km=float(distance_km),
        method=method,
        area_ha=area_ha,
        by_species=by_species,
        reach=reach,
        catchment=catchment,
        yield_per_ha=yield_per_ha,
        supply=supply,
        supply_unit=supply_unit if yield_per_ha is not None else None,
        capacity=capacity,
        capacity_ratio=ratio,
        notes=tuple(notes),
    )


def _stands_within(stands: gpd.GeoDataFrame, area: shapely.Geometry) -> tuple[Any, dict[str, float]]:
    """Dissolved stands inside ``area`` and hectares per species (overlaps within a species count once)."""
    if stands.empty:
        return shapely.Polygon(), {}
    frame = gpd.GeoDataFrame({"u": ["reach"]}, geometry=[area], crs=WORK_CRS)
    result = overlay_by_unit(stands, frame, zone_field="species_key", unit_field="u")
    by_species = {str(z): float(a) for z, a in zip(result.rows["zone"], result.rows["area_ha"], strict=True)}
    geoms = polygonal(np.asarray(stands.geometry.array, dtype=object))
    near = geoms[shapely.STRtree(geoms).query(area, predicate="intersects")]
    inside = shapely.intersection(shapely.union_all(near), area) if len(near) else shapely.Polygon()
    return inside, by_species


def _road_lines(roads: gpd.GeoDataFrame) -> NDArray[np.object_]:
    work = to_work(roads, "the road layer")
    parts = shapely.get_parts(np.asarray(work.geometry.array, dtype=object))
    lines = parts[
        np.isin(shapely.get_type_id(parts), [shapely.GeometryType.LINESTRING, shapely.GeometryType.LINEARRING])
    ]
    lines = lines[shapely.length(lines) > 0]
    if len(lines) == 0:
        raise InputDataError("the road layer has no lines; give a layer of road centre lines", code="supply.no_roads")
    return np.asarray(lines, dtype=object)


@dataclass(frozen=True)
class RoadNetwork:
    """Straight segments of a noded road layer, as a graph (nodes: segment ends; weights: metres)."""

    graph: nx.Graph
    seg_u: NDArray[np.int64]
    seg_v: NDArray[np.int64]
    segments: NDArray[np.object_]
    length: NDArray[np.float64]
    nodes_xy: NDArray[np.float64]
    tree: shapely.STRtree


def road_network(roads: gpd.GeoDataFrame, *, snap_m: float = 25.0) -> RoadNetwork:
    """Build the road graph described in :func:`supply_area`."""
    lines = _road_lines(roads)
    noded = shapely.get_parts(shapely.node(shapely.multilinestrings(lines)))
    coords, line_index = shapely.get_coordinates(noded, return_index=True)
    # consecutive coordinates of the same line make a segment
    same = line_index[1:] == line_index[:-1]
    a_xy, b_xy = coords[:-1][same], coords[1:][same]
    keep = np.hypot(*(b_xy - a_xy).T) > 0
    a_xy, b_xy = a_xy[keep], b_xy[keep]
    # nodes: coordinates rounded to the millimetre, so shared vertices are one node
    allxy = np.round(np.concatenate([a_xy, b_xy]), 3)
    nodes_xy, inverse = np.unique(allxy, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    seg_u, seg_v = inverse[: len(a_xy)], inverse[len(a_xy) :]
    length = np.hypot(*(b_xy - a_xy).T)
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(len(nodes_xy)))
    for u, v, w in zip(seg_u.tolist(), seg_v.tolist(), length.tolist(), strict=True):
        if u != v and (not graph.has_edge(u, v) or graph[u][v]["weight"] > w):
            graph.add_edge(u, v, weight=w)
    segments = shapely.linestrings(np.stack([a_xy, b_xy], axis=1))
    tree = shapely.STRtree(segments)
    if snap_m > 0:
        nodes_xy = _snap_dangling_ends(graph, nodes_xy, seg_u, seg_v, segments, length, tree, snap_m=snap_m)
    return RoadNetwork(graph, seg_u, seg_v, segments, length, nodes_xy, tree)


def _snap_dangling_ends(
    graph: nx.Graph,
    nodes_xy: NDArray[np.float64],
    seg_u: NDArray[np.int64],
    seg_v: NDArray[np.int64],
    segments: NDArray[np.object_],
    length: NDArray[np.float64],
    tree: shapely.STRtree,
    *,
    snap_m: float,
) -> NDArray[np.float64]:
    """Join each road end that stops within ``snap_m`` of another road to the nearest point of that road.

    The point becomes a new node linked to the segment's two ends; returns the extended node coordinates.
    """
    degree = np.bincount(np.concatenate([seg_u, seg_v]), minlength=len(nodes_xy))
    ends = np.flatnonzero(degree == 1)
    if len(ends) == 0:
        return nodes_xy
    points = shapely.points(nodes_xy[ends])
    qi, si = tree.query(points, predicate="dwithin", distance=snap_m)
    own = (seg_u[si] == ends[qi]) | (seg_v[si] == ends[qi])
    qi, si = qi[~own], si[~own]
    if len(qi) == 0:
        return nodes_xy
    gap = shapely.distance(points[qi], segments[si])
    order = np.lexsort((gap, qi))
    qi, si, gap = qi[order], si[order], gap[order]
    first = np.concatenate([[True], qi[1:] != qi[:-1]])  # the nearest segment of each end
    qi, si, gap = qi[first], si[first], gap[first]
    along = shapely.line_locate_point(segments[si], points[qi])
    joints = shapely.get_coordinates(shapely.line_interpolate_point(segments[si], along))
    base = len(nodes_xy)
    for k, (e, s, g, t) in enumerate(zip(ends[qi].tolist(), si.tolist(), gap.tolist(), along.tolist(), strict=True)):
        joint = base + k
        graph.add_edge(e, joint, weight=float(g))
        graph.add_edge(joint, int(seg_u[s]), weight=float(t))
        graph.add_edge(joint, int(seg_v[s]), weight=float(length[s] - t))
    return np.concatenate([nodes_xy, joints])


def _locate(
    net: RoadNetwork, points: NDArray[np.object_]
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Nearest segment of each point, the distance along it (from seg_u) and the straight leg to it."""
    pi, si = net.tree.query_nearest(points, all_matches=False)
    seg = np.empty(len(points), dtype=np.int64)
    seg[pi] = si
    along = shapely.line_locate_point(net.segments[seg], points)
    leg = shapely.distance(net.segments[seg], points)
    return seg, np.asarray(along, dtype=float), np.asarray(leg, dtype=float)


def _road_supply(
    point: shapely.Point,
    stands: gpd.GeoDataFrame,
    roads: gpd.GeoDataFrame,
    *,
    distance_m: float,
    cell_m: float,
    snap_m: float,
    circle: shapely.Geometry,
) -> tuple[Any, Any, dict[str, float], list[str]]:
    net = road_network(roads, snap_m=snap_m)
    notes: list[str] = [
        CodedNote(
            "road distance: plant and stands join the nearest road by a straight leg; crossings are junctions; "
            f"stands counted by {cell_m:g} m cells whose centre is within reach",
            code="supply.road_method",
            cell_m=float(cell_m),
        )
    ]
    pseg, palong, pleg = _locate(net, np.array([point], dtype=object))
    ps, pa, pl = int(pseg[0]), float(palong[0]), float(pleg[0])
    budget = distance_m - pl
    dist = np.full(len(net.nodes_xy), np.inf)
    if budget < 0:
        notes.append(
            CodedNote(
                f"the plant is {pl / 1000:.1f} km from the nearest road, beyond the distance",
                code="supply.far_from_road",
                distance_km=round(pl / 1000, 1),
            )
        )
        return shapely.MultiLineString(), shapely.Polygon(), {}, notes
    graph = net.graph.copy()
    source = -1
    graph.add_edge(source, int(net.seg_u[ps]), weight=pa)
    graph.add_edge(source, int(net.seg_v[ps]), weight=float(net.length[ps]) - pa)
    import networkx as nx

    for node, d in nx.single_source_dijkstra_path_length(graph, source, cutoff=budget, weight="weight").items():
        if node != source:
            dist[node] = d
    reach = _reachable_lines(net, dist, budget, ps, pa)
    if stands.empty:
        return reach, shapely.Polygon(), {}, notes
    # stands within the circle (nothing farther can be nearer by road), cut into cells
    geoms = polygonal(np.asarray(stands.geometry.array, dtype=object))
    near = shapely.intersection(geoms, circle)
    ok = ~(shapely.is_missing(near) | shapely.is_empty(near))
    near, keys = polygonal(near[ok]), stands["species_key"].to_numpy()[ok]
    ok = ~shapely.is_missing(near)
    near, keys = near[ok], keys[ok]
    if len(near) == 0:
        return reach, shapely.Polygon(), {}, notes
    minx, miny, maxx, maxy = circle.bounds
    xs = np.arange(minx, maxx, cell_m)
    ys = np.arange(miny, maxy, cell_m)
    gx, gy = np.meshgrid(xs, ys)
    cells = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + cell_m, gy.ravel() + cell_m)
    ci, si = shapely.STRtree(near).query(cells, predicate="intersects")
    pieces = polygonal(shapely.intersection(near[si], cells[ci]))
    ok = ~shapely.is_missing(pieces)
    pieces, piece_keys = pieces[ok], keys[si[ok]]
    centres = shapely.point_on_surface(pieces)
    seg, along, leg = _locate(net, centres)
    via_u = dist[net.seg_u[seg]] + along
    via_v = dist[net.seg_v[seg]] + (net.length[seg] - along)
    on_road = np.minimum(via_u, via_v)
    same = seg == ps
    on_road[same] = np.minimum(on_road[same], np.abs(along[same] - pa))
    within = on_road + leg <= budget
    counted, counted_keys = pieces[within], piece_keys[within]
    by_species: dict[str, float] = {}
    for key in np.unique(counted_keys) if len(counted_keys) else []:
        by_species[str(key)] = float(shapely.area(shapely.union_all(counted[counted_keys == key]))) / M2_PER_HA
    catchment = shapely.union_all(counted) if len(counted) else shapely.Polygon()
    return reach, catchment, by_species, notes


def _reachable_lines(net: RoadNetwork, dist: NDArray[np.float64], budget: float, ps: int, pa: float) -> Any:
    """The parts of the road segments within ``budget`` metres along the network (for drawing)."""
    parts: list[Any] = []
    du, dv = dist[net.seg_u], dist[net.seg_v]
    for s in np.flatnonzero(np.isfinite(du) | np.isfinite(dv) | (np.arange(len(du)) == ps)):
        seg, length = net.segments[s], float(net.length[s])
        if s == ps:
            lo, hi = max(0.0, pa - budget), min(length, pa + budget)
            parts.append(substring(seg, lo, hi))
            continue
        reach_u = max(0.0, budget - du[s]) if np.isfinite(du[s]) else 0.0
        reach_v = max(0.0, budget - dv[s]) if np.isfinite(dv[s]) else 0.0
        if reach_u + reach_v >= length:
            parts.append(seg)
        else:
            if reach_u > 0:
                parts.append(substring(seg, 0.0, reach_u))
            if reach_v > 0:
                parts.append(substring(seg, length - reach_v, length))
    lines = [p for p in parts if p.geom_type == "LineString" and p.length > 0]
    return shapely.line_merge(shapely.MultiLineString(lines)) if lines else shapely.MultiLineString()


def plant_species(plant: Mapping[str, Any], plan: pd.DataFrame) -> tuple[str, ...] | None:
    """The species a plant draws on: its plan zone's kind (``material_zone`` → plan row → ``species``).

    None when the plant names no zone, or its zone takes every species.
    """
    zone_id = plant.get("material_zone")
    if zone_id is None or (isinstance(zone_id, float) and math.isnan(zone_id)) or "id" not in plan.columns:
        return None
    row = plan[plan["id"].astype(str) == str(zone_id)]
    if row.empty:
        raise InputDataError(
            f"plant's raw-material zone '{zone_id}' is not in material_zones_plan; fix material_zone",
            code="supply.unknown_zone",
            zone=str(zone_id),
        )
    kind = species_key(row["species"].iloc[0])
    members = zone_members(kind)
    return None if members is None else (kind,)

"""Raw-material zones: hectares per unit, and the supply area of a processing plant with its capacity.

The capacity used is the one the person gives, else the plant's own when it is a per-year figure in the wanted
unit; the result says which and why, and the ratio of supply to capacity is computed here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from analysis.materials import SupplyResult, plant_species, supply_area, to_successors
from analysis.overlay import OverlayResult, overlay_by_unit
from geo.crs import WORK_CRS
from geo.errors import InputDataError
from geo.numbers import format_number
from layers.store import Store

PLANTS = "processing_plants"
MAPPED = "material_zones_mapped"
PLAN = "material_zones_plan"
LEGACY = "communes_legacy"
PER_YEAR = ("yr", "year", "năm")


def amount_text(value: float, lang: str) -> str:
    """A capacity or supply figure: grouped thousands, decimals only where it has them."""
    return format_number(value, lang, decimals=0 if float(value).is_integer() else 2)


@dataclass(frozen=True)
class Capacity:
    """The capacity a supply is compared with.

    ``origin`` is "option" (given by the person), "plant" (the plant's data) or None (none usable; ``reason``
    says why: "none", "not_per_year" or "other_unit").
    """

    value: float | None
    unit: str | None
    origin: str | None
    reason: str | None = None
    stated_unit: str = ""
    source: str = ""
    wanted_unit: str | None = None

    def note(self, lang: str = "vi", *, give: tuple[str, str] = ("nhập công suất", "give a capacity")) -> str:
        """Where the capacity comes from, or why there is none, in ``lang``.

        ``give`` is how the person gives a capacity where they are (Vietnamese, English): the page's field or
        the command's option.
        """
        vi = lang == "vi"
        how = give[0] if vi else give[1]
        if self.value is not None and self.unit is not None:
            if self.origin == "option":
                figure = f"{amount_text(self.value, lang)} {self.unit}/{'năm' if vi else 'yr'}"
                return f"{figure} ({'do người dùng nhập' if vi else 'as given'})"
            where = f" — {self.source}" if self.source else ""
            figure = f"{amount_text(self.value, lang)} {self.stated_unit}"
            return f"{figure} {'theo số liệu của nhà máy' if vi else 'from the plant' + chr(39) + 's data'}{where}"
        if self.reason == "not_per_year":
            return (
                f"công suất của nhà máy tính theo '{self.stated_unit}', không theo năm; hãy {how}"
                if vi
                else f"the plant's capacity unit '{self.stated_unit}' is not per year (e.g. m3/yr); {how}"
            )
        if self.reason == "other_unit":
            wanted = self.wanted_unit or ""
            return (
                f"công suất của nhà máy tính bằng {self.stated_unit}, không phải {wanted}/năm; hãy {how} theo {wanted}"
                if vi
                else f"the plant's capacity is in {self.stated_unit}, not {wanted}/yr; {how} in {wanted}"
            )
        return f"số liệu nhà máy không có công suất; hãy {how}" if vi else f"the plant's data gives no capacity; {how}"


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def plant_capacity(plant: pd.Series | dict[str, Any], unit: str | None = None) -> Capacity:
    """The per-year capacity in a plant's data, usable when its unit is per year (and ``unit`` if given)."""
    row = dict(plant)
    value = row.get("capacity")
    source = _text(row.get("capacity_source"))
    stated = _text(row.get("capacity_unit"))
    if value is None or pd.isna(value) or float(value) <= 0:
        return Capacity(None, None, None, "none", stated, source)
    base, sep, period = stated.partition("/")
    if not base.strip() or sep != "/" or period.strip() not in PER_YEAR:
        return Capacity(None, None, None, "not_per_year", stated, source)
    if unit is not None and unit != base.strip():
        return Capacity(None, None, None, "other_unit", stated, source, unit)
    return Capacity(float(value), base.strip(), "plant", None, stated, source)


@dataclass(frozen=True)
class SupplyReport:
    """A plant's supply area, the capacity it is compared with, and the plant's name."""

    result: SupplyResult
    plant_name: str
    capacity: Capacity
    unit: str

    def to_dict(self, lang: str = "en", *, give: tuple[str, str] | None = None) -> dict[str, Any]:
        """The supply JSON: the result's keys, ``plant_name``, ``capacity_from`` and ``capacity_note``."""
        out = self.result.to_dict()
        out["plant_name"] = self.plant_name
        out["capacity_from"] = self.capacity.origin
        out["capacity_note"] = self.capacity.note(lang, **({"give": give} if give else {}))
        return out


def located_plants(store: Store) -> gpd.GeoDataFrame:
    """The processing plants that have a location, in EPSG:9208."""
    plants = store.read_layer(PLANTS, crs=WORK_CRS)
    missing = shapely.is_missing(plants.geometry.array) | shapely.is_empty(plants.geometry.array)
    return plants[~missing]


def supply(
    store: Store,
    plant_id: str,
    *,
    distance_km: float = 20.0,
    species: tuple[str, ...] | None = None,
    roads: gpd.GeoDataFrame | None = None,
    yield_per_ha: float | None = None,
    unit: str | None = None,
    capacity: float | None = None,
) -> SupplyReport:
    """Mapped raw-material area a plant can draw on within ``distance_km`` (straight, or along ``roads``).

    Raises
    ------
    InputDataError
        Unknown plant, a plant without location, no mapped stands in the store, a bad number.
    """
    for what, value, positive in (("distance", distance_km, True), ("yield", yield_per_ha, False)):
        _check_number(what, value, positive=positive)
    _check_number("capacity", capacity, positive=True)
    plants = store.read_layer(PLANTS)
    match = plants[plants["id"].astype(str) == str(plant_id)]
    if match.empty:
        raise InputDataError(
            f"no processing plant '{plant_id}'; known: {', '.join(plants['id'].astype(str))}",
            code="supply.unknown_plant",
            plant=str(plant_id),
            known=", ".join(plants["id"].astype(str)),
        )
    plant = match.iloc[[0]]
    geom = plant.geometry.iloc[0]
    if geom is None or geom.is_empty:
        raise InputDataError(
            f"plant '{plant_id}' has no location (unlocated in the plan); set its point first",
            code="supply.unlocated",
            plant=str(plant_id),
        )
    zones = store.read_layer(MAPPED) if store.has_layer(MAPPED) else plants.iloc[0:0]
    if len(zones) == 0:
        raise InputDataError(
            "the store holds no mapped raw-material stands yet (layer material_zones_mapped); import the "
            "planners' stand polygons first — the plan's schematic zones are not stands and are not used",
            code="supply.no_stands",
        )
    if species is None:
        species = plant_species(plant.iloc[0].to_dict(), store.read_layer(PLAN))
    unit = unit.strip() if unit and unit.strip() else None
    if capacity is not None:
        cap = Capacity(float(capacity), unit or "t", "option")
    else:
        cap = plant_capacity(plant.iloc[0], unit)
    unit = unit or cap.unit or "t"
    result = supply_area(
        plant,
        zones,
        distance_km=float(distance_km),
        species=species,
        roads=roads,
        yield_per_ha=yield_per_ha,
        supply_unit=unit,
        capacity=cap.value,
        plant_id=str(plant_id),
    )
    return SupplyReport(result, str(plant["name"].iloc[0]), cap, unit)


def _check_number(what: str, value: float | None, *, positive: bool) -> None:
    import math

    if value is None:
        return
    v = float(value)
    if not math.isfinite(v) or v < 0 or (positive and v == 0):
        raise InputDataError(
            f"{what} {value} must be a {'positive' if positive else 'non-negative'} number",
            code="number.not_positive" if positive else "number.negative",
            what=what,
            value=value,
        )


@dataclass(frozen=True)
class UnitOverlay:
    """Hectares of each zone class per unit, and which units they were counted on."""

    result: OverlayResult
    units: str

    def to_dict(self) -> dict[str, Any]:
        """The overlay JSON (``OverlayResult.to_dict`` and ``units``)."""
        return {**self.result.to_dict(), "units": self.units}


def overlay(
    store: Store | None,
    zones: gpd.GeoDataFrame,
    *,
    units: gpd.GeoDataFrame | None = None,
    units_label: str | None = None,
    zone_field: str = "species",
    unit_field: str = "ma_xa",
    to_2025: bool = False,
) -> UnitOverlay:
    """Overlay zones on units (the store's legacy communes by default), optionally regrouped to 2025 communes."""
    if units is None:
        if store is None:
            raise InputDataError("no units to overlay on", code="overlay.no_units")
        units = store.read_layer(LEGACY)
        units_label = units_label or LEGACY
        if len(units) == 0:
            raise InputDataError("the store holds no communes", code="overlay.no_communes")
    result = overlay_by_unit(zones, units, zone_field=zone_field, unit_field=unit_field)
    if to_2025:
        if store is None:
            raise InputDataError(
                "regrouping to 2025 communes needs the store's legacy communes", code="overlay.no_store"
            )
        result = to_successors(result, store.read_layer(LEGACY))
    return UnitOverlay(result, "2025" if to_2025 else (units_label or "units"))

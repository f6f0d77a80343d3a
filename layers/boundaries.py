"""Replace the schematic commune polygons with real boundaries from any vector file.

Units are matched by official code (any field whose values are the 5-digit GSO codes, leading zeros
restored) or, failing that, by diacritic-insensitive name ("Xã Điện Quan", "dien quan", "DIEN QUAN" all
match). What did not match is reported both ways; an unmatched unit keeps its schematic cell, marked so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import WORK_CRS, require_crs
from geo.errors import InputDataError
from geo.safety import CodedNote
from geo.text import unit_name_key

CODE_FIELD = "ma_xa"
NAME_FIELD = "ten_xa"
_CODE = re.compile(r"^\d{1,5}$")


def unit_key(name: str) -> str:
    """Folded name without the unit-type prefix: "Thị trấn Phố Ràng" -> "pho rang" (:func:`geo.text.unit_name_key`)."""
    return unit_name_key(name)


def _as_code(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return text.zfill(5) if _CODE.match(text) else None


@dataclass
class BoundaryMatch:
    """Result of matching a boundary file to the official units."""

    frame: gpd.GeoDataFrame
    matched: dict[str, str] = field(default_factory=dict)  # code -> "code" | "name"
    unmatched_units: list[str] = field(default_factory=list)  # "02947 Thị trấn Phố Ràng"
    unmatched_features: list[str] = field(default_factory=list)  # descriptions of incoming rows
    code_field: str | None = None
    name_field: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "matched": len(self.matched),
            "matched_by": self.matched,
            "unmatched_units": self.unmatched_units,
            "unmatched_features": self.unmatched_features,
            "code_field": self.code_field,
            "name_field": self.name_field,
            "warnings": self.warnings,
        }


def _find_code_field(incoming: pd.DataFrame, codes: set[str]) -> str | None:
    best, best_hits = None, 0
    for col in incoming.columns:
        if col == incoming.geometry.name:
            continue
        hits = sum(1 for v in incoming[col] if _as_code(v) in codes)
        if hits > best_hits:
            best, best_hits = col, hits
    return best


def _find_name_field(incoming: pd.DataFrame, keys: set[str]) -> str | None:
    best, best_hits = None, 0
    for col in incoming.columns:
        if col == incoming.geometry.name:
            continue
        hits = sum(1 for v in incoming[col] if isinstance(v, str) and unit_key(v) in keys)
        if hits > best_hits:
            best, best_hits = col, hits
    return best


def match_boundaries(
    units: gpd.GeoDataFrame,
    incoming: gpd.GeoDataFrame,
    *,
    source: str,
    quality: str = "digitised",
    code_field: str | None = None,
    name_field: str | None = None,
) -> BoundaryMatch:
    """Put the geometry of ``incoming`` onto the official ``units`` (field ``ma_xa``, ``ten_xa``).

    Parameters
    ----------
    units
        The current commune layer (official codes and names, any geometry).
    incoming
        Boundary polygons in any CRS.
    source
        Provenance written into ``source`` of the matched units (file name, date).
    quality
        Geometry quality of the incoming boundaries ("surveyed" or "digitised" for official data).
    code_field, name_field
        Fields of ``incoming`` to match on; found automatically when not given.

    Returns
    -------
    BoundaryMatch
        The new unit frame (EPSG:9208) and what matched how.
    """
    require_crs(incoming, f"the boundary file {source}")
    if incoming.empty:
        raise InputDataError(
            f"{source} holds no features; give a file with the commune polygons",
            code="boundaries.no_features",
            source=str(source),
        )
    polys = incoming[incoming.geometry.notna()].to_crs(WORK_CRS)
    polys = polys[polys.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polys.empty:
        raise InputDataError(
            f"{source} holds no polygons; commune boundaries must be polygons",
            code="boundaries.no_polygons",
            source=str(source),
        )
    codes = {str(c) for c in units[CODE_FIELD]}
    keys = {unit_key(str(n)): str(c) for c, n in zip(units[CODE_FIELD], units[NAME_FIELD], strict=True)}
    if code_field is not None and code_field not in polys.columns:
        raise InputDataError(
            f"{source} has no field '{code_field}'; fields: {', '.join(map(str, polys.columns))}",
            code="boundaries.no_field",
            source=str(source),
            field=code_field,
            fields=[str(c) for c in polys.columns],
        )
    if name_field is not None and name_field not in polys.columns:
        raise InputDataError(
            f"{source} has no field '{name_field}'; fields: {', '.join(map(str, polys.columns))}",
            code="boundaries.no_field",
            source=str(source),
            field=name_field,
            fields=[str(c) for c in polys.columns],
        )
    code_field = code_field or _find_code_field(polys, codes)
    name_field = name_field or _find_name_field(polys, set(keys))
    if code_field is None and name_field is None:
        raise InputDataError(
            f"{source}: no field holds the official commune codes (02947–02998) or names; "
            "say which field holds the codes or the names",
            code="boundaries.no_fields",
            source=str(source),
            fields=[str(c) for c in polys.columns if c != polys.geometry.name],
        )
    result = BoundaryMatch(frame=units, code_field=code_field, name_field=name_field)
    parts: dict[str, list[shapely.Geometry]] = {}
    for _, row in polys.iterrows():
        code = _as_code(row[code_field]) if code_field else None
        how = "code"
        if code not in codes:
            code, how = None, "name"
            if name_field and isinstance(row[name_field], str):
                code = keys.get(unit_key(row[name_field]))
        if code is None:
            label = " / ".join(str(row[f]) for f in (code_field, name_field) if f)
            result.unmatched_features.append(label)
            continue
        parts.setdefault(code, []).append(shapely.make_valid(row.geometry))
        result.matched.setdefault(code, how)
    out = units.to_crs(WORK_CRS).copy()
    for i, code in out[CODE_FIELD].astype(str).items():
        if code not in parts:
            result.unmatched_units.append(f"{code} {out.at[i, NAME_FIELD]}")
            continue
        if len(parts[code]) > 1:
            unit = f"{code} {out.at[i, NAME_FIELD]}"
            result.warnings.append(
                CodedNote(
                    f"{unit}: {len(parts[code])} polygons joined into one unit",
                    code="boundaries.joined",
                    unit=unit,
                    count=len(parts[code]),
                )
            )
        out.at[i, "geometry"] = shapely.union_all(parts[code])
        out.at[i, "geom_quality"] = quality
        out.at[i, "source"] = source
    result.frame = out
    return result

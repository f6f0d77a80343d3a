"""The map's measure tool: lengths and areas of the shapes a planner draws, measured in EPSG:9208.

Leaflet.draw (through streamlit-folium's ``all_drawings``) hands back GeoJSON features in EPSG:4326; every
figure here is computed on the shape projected to the working CRS (VN-2000 / TM-3 104-45, :mod:`geo.crs`), the
same grid the plan's areas are measured in, never in degrees or Web Mercator. Pure functions: no streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import shapely
from shapely.geometry import shape

from geo.crs import DISPLAY_EPSG, M2_PER_HA, WORK_EPSG, transformer
from geo.numbers import format_number

__all__ = ["Measurement", "format_area", "format_length", "measure_drawings", "measure_shape"]

Kind = Literal["line", "polygon"]
#: lengths from this many metres on are also given in km, areas from this many m² also in ha
KM_FROM_M = 1_000.0
HA_FROM_M2 = 1_000.0


@dataclass(frozen=True)
class Measurement:
    """One drawn shape measured in EPSG:9208.

    ``length_m`` is a line's length or a polygon's perimeter; ``area_m2`` is None for a line.
    """

    kind: Kind
    length_m: float
    area_m2: float | None
    n_vertices: int

    @property
    def area_ha(self) -> float | None:
        return None if self.area_m2 is None else self.area_m2 / M2_PER_HA


def _to_work(geom: shapely.Geometry) -> shapely.Geometry:
    to_work = transformer(DISPLAY_EPSG, WORK_EPSG)
    return shapely.transform(geom, lambda xy: np.column_stack(to_work.transform(xy[:, 0], xy[:, 1])))


def measure_shape(geom: shapely.Geometry) -> Measurement | None:
    """Measure a line or polygon given in EPSG:4326 (lon, lat); None for points and empty shapes.

    Multi-part shapes add their parts' lengths and areas.
    """
    if geom is None or geom.is_empty:
        return None
    work = _to_work(shapely.force_2d(geom))
    n = int(shapely.get_num_coordinates(geom))
    if geom.geom_type in ("LineString", "MultiLineString"):
        return Measurement("line", float(work.length), None, n)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return Measurement("polygon", float(work.length), float(work.area), n)
    return None


def measure_drawings(features: Sequence[Mapping[str, Any]] | None) -> list[Measurement]:
    """Measure every line and polygon among Leaflet.draw's GeoJSON features (EPSG:4326), in drawing order.

    Features without a geometry, points and malformed geometries (fewer vertices than the type needs) are
    left out: a shape still being drawn is not an error.
    """
    out: list[Measurement] = []
    for feature in features or ():
        geometry = feature.get("geometry") if isinstance(feature, Mapping) else None
        if not geometry:
            continue
        try:
            geom = shape(geometry)
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            continue
        measured = measure_shape(geom)
        if measured is not None:
            out.append(measured)
    return out


def format_length(length_m: float, lang: str) -> str:
    """A length as the page shows it: ``845,3 m``; from 1 km on also in km: ``12.345,6 m (12,35 km)``."""
    text = f"{format_number(length_m, lang, decimals=1)} m"
    if length_m >= KM_FROM_M:
        text += f" ({format_number(length_m / 1_000.0, lang, decimals=2)} km)"
    return text


def format_area(area_m2: float, lang: str) -> str:
    """An area as the page shows it: ``850,5 m²``; from 1.000 m² on also in ha: ``6.699,5 m² (0,67 ha)``."""
    text = f"{format_number(area_m2, lang, decimals=1)} m²"
    if area_m2 >= HA_FROM_M2:
        text += f" ({format_number(area_m2 / M2_PER_HA, lang, decimals=2)} ha)"
    return text

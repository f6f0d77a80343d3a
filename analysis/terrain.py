"""Terrain of a DEM on an EPSG:9208 grid: slope, aspect, hillshade (Horn's method), and zonal statistics.

Pure functions of arrays and frames. Slope, aspect and hillshade follow ``gdaldem``'s definitions, so that the
figures equal what a QGIS user gets from GDAL: Horn's 3 × 3 weighted differences, the border cells (and any cell
with a no-data neighbour) left as no data (NaN), as ``gdaldem`` does without ``-compute_edges``.

Zonal statistics use exactextract: each cell counts by the fraction of it a polygon covers, so a polygon of a few
cells is measured as exactly as a large one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import M2_PER_HA, WORK_CRS, to_work
from geo.errors import InputDataError
from geo.raster import Raster, open_memory

SLOPE_UNITS = ("percent", "degrees")


def _window(z: np.ndarray) -> tuple[np.ndarray, ...]:
    """The nine neighbours a..i of every interior cell (rows top to bottom, as gdaldem names them)."""
    a, b, c = z[:-2, :-2], z[:-2, 1:-1], z[:-2, 2:]
    d, e, f = z[1:-1, :-2], z[1:-1, 1:-1], z[1:-1, 2:]
    g, h, i = z[2:, :-2], z[2:, 1:-1], z[2:, 2:]
    return a, b, c, d, e, f, g, h, i


def gradients(z: np.ndarray, res_x: float, res_y: float) -> tuple[np.ndarray, np.ndarray]:
    """Horn's dz/dx (eastward) and dz/dy (as gdaldem: toward the bottom row) of the interior; NaN at the border."""
    if z.ndim != 2 or min(z.shape) < 3:
        raise InputDataError("a DEM needs at least 3 × 3 cells for a slope", code="raster.too_small")
    a, b, c, d, _e, f, g, h, i = _window(np.asarray(z, dtype="float64"))
    dx = np.full(z.shape, np.nan)
    dy = np.full(z.shape, np.nan)
    dx[1:-1, 1:-1] = ((c + 2 * f + i) - (a + 2 * d + g)) / (8.0 * res_x)
    dy[1:-1, 1:-1] = ((g + 2 * h + i) - (a + 2 * b + c)) / (8.0 * res_y)
    return dx, dy


def slope(dem: Raster, *, units: str = "percent") -> Raster:
    """Slope of every cell, in percent (100 × rise / run) or degrees; NaN at the border and next to no data."""
    if units not in SLOPE_UNITS:
        raise InputDataError(f"slope units must be percent or degrees, not {units!r}", code="terrain.bad_units")
    dx, dy = gradients(dem.data, *dem.res)
    rise = np.hypot(dx, dy)
    values = 100.0 * rise if units == "percent" else np.degrees(np.arctan(rise))
    return dem.with_data(values, f"slope ({units}) of {dem.source}")


def aspect(dem: Raster) -> Raster:
    """Aspect in degrees clockwise from north (0 = north-facing, 90 = east); NaN where flat, as gdaldem."""
    dx, dy = gradients(dem.data, *dem.res)
    with np.errstate(invalid="ignore"):
        angle = np.degrees(np.arctan2(dy, -dx))
    out = np.where(angle > 90.0, 450.0 - angle, 90.0 - angle)
    out = np.where(out >= 360.0, out - 360.0, out)
    out = np.where((dx == 0) & (dy == 0), np.nan, out)
    return dem.with_data(out, f"aspect of {dem.source}")


def hillshade(dem: Raster, *, azimuth: float = 315.0, altitude: float = 45.0, z_factor: float = 1.0) -> Raster:
    """Shaded relief 1–255 (0 = no data) lit from ``azimuth`` / ``altitude`` degrees, as gdaldem's default."""
    dx, dy = gradients(dem.data, *dem.res)
    # gdaldem: cang = (sin(alt) − (y·cos(az) − x·sin(az))·cos(alt)) / sqrt(1 + x² + y²), its x and y being our
    # −dz/dx and −dz/dy; this equals gdaldem's output to its byte rounding
    x, y = -dx * z_factor, -dy * z_factor
    az, alt = np.radians(azimuth), np.radians(altitude)
    cang = (np.sin(alt) - (y * np.cos(az) - x * np.sin(az)) * np.cos(alt)) / np.sqrt(1 + x * x + y * y)
    shade = np.where(cang <= 0.0, 1.0, 1.0 + 254.0 * cang)
    return dem.with_data(np.where(np.isfinite(shade), shade, np.nan), f"hillshade of {dem.source}")


def slope_classes(slope_pct: Raster, breaks: tuple[float, ...] = (8.0, 15.0, 25.0, 35.0)) -> Raster:
    """Slope classes 1..len(breaks)+1 (class k holds slopes up to ``breaks[k-1]`` %); NaN where no slope."""
    values = slope_pct.data
    classes = np.digitize(values, breaks, right=True).astype("float64") + 1.0
    return slope_pct.with_data(np.where(np.isfinite(values), classes, np.nan), "slope classes")


@dataclass(frozen=True)
class ZonalRow:
    """Terrain of one polygon (areas in ha; slopes in percent; shares in percent of the polygon's DEM area)."""

    id: str
    area_ha: float
    elev_min: float | None
    elev_mean: float | None
    elev_max: float | None
    slope_mean_pct: float | None
    share_below_pct: float | None
    covered_pct: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded to what the DEM supports (cm of elevation, 0.01 % of slope)."""

        def r(v: float | None, n: int) -> float | None:
            return None if v is None or not np.isfinite(v) else round(float(v), n)

        return {
            "id": self.id,
            "area_ha": r(self.area_ha, 4),
            "elev_min": r(self.elev_min, 2),
            "elev_mean": r(self.elev_mean, 2),
            "elev_max": r(self.elev_max, 2),
            "slope_mean_pct": r(self.slope_mean_pct, 2),
            "share_below_pct": r(self.share_below_pct, 2),
            "covered_pct": r(self.covered_pct, 2),
        }


def _exact(rasters: list[Raster], zones: gpd.GeoDataFrame, ops: list[str]) -> pd.DataFrame:
    """The ``ops`` of every band (columns ``band_<n>_<op>``), each cell coverage computed once per polygon."""
    from exactextract import exact_extract

    with open_memory(*rasters) as ds:
        out = pd.DataFrame(exact_extract(ds, zones, ops, output="pandas"))
    if len(rasters) == 1:
        out = out.rename(columns={op: f"band_1_{op}" for op in ops})
    return out


def zonal_stats(
    dem: Raster,
    zones: gpd.GeoDataFrame,
    *,
    id_field: str | None = None,
    max_slope_pct: float | None = None,
    slope_pct: Raster | None = None,
) -> list[ZonalRow]:
    """Elevation min/mean/max, mean slope and the share below ``max_slope_pct`` of every polygon.

    Cells count by the fraction of them each polygon covers (exactextract). ``covered_pct`` is the share of the
    polygon's area that has DEM values; statistics are over that part only.
    """
    work = to_work(zones, "the zones").reset_index(drop=True)
    if id_field is not None and id_field not in work.columns:
        raise InputDataError(
            f"the zones have no field '{id_field}'; fields: {', '.join(map(str, work.columns))}",
            code="terrain.no_id_field",
            field=id_field,
        )
    ids = [str(v) for v in (work[id_field] if id_field else work.get("id", pd.Series(range(1, len(work) + 1))))]
    polys = gpd.GeoDataFrame(geometry=work.geometry.values, crs=WORK_CRS)
    if dem.crs.to_epsg() != 9208:
        raise InputDataError("the DEM must be on an EPSG:9208 grid", code="terrain.not_work_crs")
    slope_pct = slope_pct or slope(dem)
    bands = [dem, slope_pct]
    if max_slope_pct is not None:
        bands.append(
            slope_pct.with_data(
                np.where(np.isfinite(slope_pct.data), (slope_pct.data <= max_slope_pct).astype("float64"), np.nan)
            )
        )
    stats = _exact(bands, polys, ["min", "mean", "max", "count"])
    area_ha = polys.geometry.area.to_numpy() / M2_PER_HA
    cell_ha = dem.cell_area_m2 / M2_PER_HA
    rows = []
    for n, pid in enumerate(ids):
        covered = float(stats["band_1_count"].iloc[n]) * cell_ha
        rows.append(
            ZonalRow(
                id=pid,
                area_ha=float(area_ha[n]),
                elev_min=_num(stats["band_1_min"].iloc[n]),
                elev_mean=_num(stats["band_1_mean"].iloc[n]),
                elev_max=_num(stats["band_1_max"].iloc[n]),
                slope_mean_pct=_num(stats["band_2_mean"].iloc[n]),
                share_below_pct=None if len(bands) < 3 else _pct(stats["band_3_mean"].iloc[n]),
                covered_pct=100.0 * covered / area_ha[n] if area_ha[n] > 0 else 0.0,
            )
        )
    return rows


def _num(value: object) -> float | None:
    v = float(value)  # type: ignore[arg-type]
    return v if np.isfinite(v) else None


def _pct(value: object) -> float | None:
    v = _num(value)
    return None if v is None else 100.0 * v

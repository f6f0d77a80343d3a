"""Candidate sites for a new industrial area from criteria a planner sets, on a DEM's EPSG:9208 grid.

Each criterion carries its value, unit and where the value comes from: neither the plan nor the public facts give
a legal maximum slope or road distance, so the defaults are this app's starting values for the planner to change,
and say so. A cell is suitable when it meets every criterion; contiguous suitable cells (4-connected) of at least
the wanted area are the candidate sites, vectorised, scored and ranked.

Distances are straight lines on the grid (to the nearest cell a road or river line touches), not along the road
network: a first screen for a planner, said so in every result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.terrain import slope
from geo.crs import M2_PER_HA, WORK_CRS, to_work
from geo.errors import InputDataError
from geo.raster import Raster

#: ``source`` of a value nobody set: the app's starting value (the law, the plan and the facts give none)
DEFAULT_SOURCE = "default"
_DEFAULT_TEXT = (
    "giá trị khởi đầu của ứng dụng (luật, kế hoạch và dữ liệu công khai không quy định); người lập quy hoạch cần "
    "xem lại",
    "the app's starting value (no law, plan or public figure sets it); for the planner to set",
)


@dataclass(frozen=True)
class Criterion:
    """One criterion: its value, unit and where the value comes from."""

    key: str
    value: float
    unit: str
    source: str = DEFAULT_SOURCE

    def source_text(self, lang: str = "vi") -> str:
        """Where the value comes from, in ``lang``."""
        if self.source == DEFAULT_SOURCE:
            return _DEFAULT_TEXT[1] if lang == "en" else _DEFAULT_TEXT[0]
        return self.source

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready."""
        return {"key": self.key, "value": self.value, "unit": self.unit, "source": self.source_text(lang)}


@dataclass(frozen=True)
class Criteria:
    """What a site must meet. ``None`` switches a criterion off."""

    max_slope_pct: Criterion | None = Criterion("max_slope_pct", 15.0, "%")
    max_road_m: Criterion | None = Criterion("max_road_m", 2_000.0, "m")
    min_river_m: Criterion | None = Criterion("min_river_m", 100.0, "m")
    min_area_ha: Criterion = Criterion("min_area_ha", 20.0, "ha")

    def items(self) -> list[Criterion]:
        """The criteria in force."""
        return [c for c in (self.max_slope_pct, self.max_road_m, self.min_river_m, self.min_area_ha) if c]


@dataclass(frozen=True)
class SitingResult:
    """The ranked candidate sites (EPSG:9208, quality ``derived``) and the figures behind them."""

    sites: gpd.GeoDataFrame
    criteria: Criteria
    suitable_ha: float
    considered_ha: float
    notes: tuple[tuple[str, str], ...] = field(default=())

    def note_texts(self, lang: str = "vi") -> list[str]:
        """The notes in ``lang``."""
        return [en if lang == "en" else vi for vi, en in self.notes]

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready: the criteria, the totals and the sites without geometry."""
        rows = self.sites.drop(columns=self.sites.geometry.name).to_dict("records")
        return {
            "criteria": [c.to_dict(lang) for c in self.criteria.items()],
            "suitable_ha": round(self.suitable_ha, 4),
            "considered_ha": round(self.considered_ha, 4),
            "candidates": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()} for r in rows],
            "notes": self.note_texts(lang),
            "crs": WORK_CRS,
        }


def _rasterize(frame: gpd.GeoDataFrame | None, dem: Raster, what: str, *, all_touched: bool = True) -> np.ndarray:
    from rasterio.features import rasterize

    if frame is None or len(frame) == 0:
        return np.zeros(dem.shape, dtype=bool)
    geoms = [g for g in to_work(frame, what).geometry if g is not None and not g.is_empty]
    if not geoms:
        return np.zeros(dem.shape, dtype=bool)
    burned = rasterize(
        ((g, 1) for g in geoms), out_shape=dem.shape, transform=dem.transform, fill=0, all_touched=all_touched
    )
    return burned.astype(bool)


def _distance_m(mask: np.ndarray, dem: Raster) -> np.ndarray:
    """Straight-line distance (m) of every cell centre to the nearest cell of ``mask``."""
    from scipy.ndimage import distance_transform_edt

    if not mask.any():
        return np.full(mask.shape, np.inf)
    return distance_transform_edt(~mask, sampling=(dem.res[1], dem.res[0]))


def find_sites(
    dem: Raster,
    *,
    criteria: Criteria | None = None,
    roads: gpd.GeoDataFrame | None = None,
    rivers: gpd.GeoDataFrame | None = None,
    exclusions: Sequence[gpd.GeoDataFrame] = (),
    within: gpd.GeoDataFrame | None = None,
    slope_pct: Raster | None = None,
    limit: int = 20,
) -> SitingResult:
    """Contiguous suitable areas of at least ``min_area_ha``, ranked by score (flatter and nearer a road first).

    ``within`` limits the search to polygons (chosen communes); ``exclusions`` are layers no site may touch
    (protected forest, raw-material zones, settlements). A road criterion without roads, or a river criterion
    without rivers, is not applied and the result says so.
    """
    criteria = criteria or Criteria()
    if dem.crs.to_epsg() != 9208:
        raise InputDataError("the DEM must be on an EPSG:9208 grid", code="terrain.not_work_crs")
    slope_pct = slope_pct or slope(dem)
    notes: list[tuple[str, str]] = [
        ("Khoảng cách tính theo đường thẳng trên lưới DEM.", "Distances are straight lines on the DEM grid."),
    ]
    ok = np.isfinite(dem.data) & np.isfinite(slope_pct.data)
    if within is not None and len(within):
        ok &= _rasterize(within, dem, "the chosen communes", all_touched=False)
    considered_ha = float(ok.sum()) * dem.cell_area_m2 / M2_PER_HA
    if criteria.max_slope_pct is not None:
        ok &= slope_pct.data <= criteria.max_slope_pct.value
    road_dist = None
    if criteria.max_road_m is not None:
        if roads is None or len(roads) == 0:
            notes.append(
                (
                    "Chưa có lớp đường: bỏ qua tiêu chí khoảng cách tới đường.",
                    "No roads: the road criterion is not applied.",
                )
            )
        else:
            road_dist = _distance_m(_rasterize(roads, dem, "the roads"), dem)
            ok &= road_dist <= criteria.max_road_m.value
    if criteria.min_river_m is not None:
        if rivers is None or len(rivers) == 0:
            notes.append(
                ("Chưa có lớp sông suối: bỏ qua tiêu chí cách sông.", "No rivers: the river criterion is not applied.")
            )
        else:
            ok &= _distance_m(_rasterize(rivers, dem, "the rivers"), dem) >= criteria.min_river_m.value
    for n, layer in enumerate(exclusions):
        ok &= ~_rasterize(layer, dem, f"exclusion layer {n + 1}")
    suitable_ha = float(ok.sum()) * dem.cell_area_m2 / M2_PER_HA
    sites = _components(ok, dem, slope_pct, road_dist, criteria)
    sites = sites.head(limit).reset_index(drop=True)
    sites.insert(0, "rank", np.arange(1, len(sites) + 1))
    return SitingResult(sites, criteria, suitable_ha, considered_ha, tuple(notes))


def _components(
    ok: np.ndarray, dem: Raster, slope_pct: Raster, road_dist: np.ndarray | None, criteria: Criteria
) -> gpd.GeoDataFrame:
    from rasterio.features import shapes
    from scipy.ndimage import label

    labels, count = label(ok)
    columns = ["id", "area_ha", "slope_mean_pct", "road_m", "elev_mean", "score", "geom_quality", "source"]
    if count == 0:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=gpd.GeoSeries([], crs=WORK_CRS))
    cell_ha = dem.cell_area_m2 / M2_PER_HA
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    keep = np.flatnonzero(sizes * cell_ha >= criteria.min_area_ha.value)
    keep = keep[keep > 0]
    if len(keep) == 0:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=gpd.GeoSeries([], crs=WORK_CRS))
    index = labels.ravel()

    def per_label(values: np.ndarray) -> np.ndarray:
        finite = np.isfinite(values.ravel())
        total = np.bincount(index[finite], weights=values.ravel()[finite], minlength=count + 1)
        n = np.bincount(index[finite], minlength=count + 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return total / n

    mean_slope, mean_elev = per_label(slope_pct.data), per_label(dem.data)
    mean_road = per_label(road_dist) if road_dist is not None else None
    selected = np.where(np.isin(labels, keep), labels, 0).astype("int32")
    polys: dict[int, list[Any]] = {}
    for geom, value in shapes(selected, mask=selected > 0, transform=dem.transform, connectivity=4):
        polys.setdefault(int(value), []).append(shapely.geometry.shape(geom))
    rows = []
    max_slope = criteria.max_slope_pct.value if criteria.max_slope_pct else max(float(np.nanmax(mean_slope[keep])), 1.0)
    max_road = criteria.max_road_m.value if criteria.max_road_m else None
    for k in keep:
        s = float(mean_slope[k])
        road = float(mean_road[k]) if mean_road is not None else None
        score = 1.0 - min(s / max_slope, 1.0)
        if road is not None and max_road:
            score = 0.5 * score + 0.5 * (1.0 - min(road / max_road, 1.0))
        rows.append(
            {
                "id": f"site_{int(k)}",
                "area_ha": float(sizes[k] * cell_ha),
                "slope_mean_pct": s,
                "road_m": road,
                "elev_mean": float(mean_elev[k]),
                "score": round(score, 4),
                "geom_quality": "derived",
                "source": f"siting on {dem.source}",
                "geometry": shapely.union_all(polys[int(k)]),
            }
        )
    frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs=WORK_CRS)
    return frame.sort_values(["score", "area_ha"], ascending=[False, False], kind="stable")

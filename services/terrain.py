"""Terrain and siting use cases: store a DEM, slope and hillshade, zonal statistics, candidate sites, Decree 32.

The store keeps a DEM as a Cloud-Optimised GeoTIFF in a folder beside the GeoPackage (``<store>.rasters/``), one
file per version, never overwritten; the store's metadata records each version's file, provenance, grid and who
imported it (decision in docs/DECISIONS.md). A DEM is always on an EPSG:9208 grid once stored.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from analysis.clusters import choose_from, inputs_of
from analysis.decree32 import ClusterStatus, GateResult, gate
from analysis.occupancy import occupancy
from analysis.siting import Criteria, SitingResult, find_sites
from analysis.terrain import ZonalRow, hillshade, slope, zonal_stats
from geo.crs import WORK_CRS
from geo.errors import InputDataError
from geo.raster import Raster, RasterReport, read_dem, write_geotiff
from layers.store import Store, VersionConflictError
from services.accounts import require
from services.context import Actor
from services.data import SavedLayer, save_layer

DEM_META = "raster:dem"
SITES_LAYER = "candidate_sites"
#: statuses of a cluster that is established (has its founding decision), as the clusters layer writes them
ESTABLISHED = ("operating", "under_construction", "established")
#: where a real DEM comes from: said wherever the app has none
DEM_SOURCES = (
    "Copernicus DEM GLO-30 (ô N22E104), hoặc DEM của tỉnh (Sở Nông nghiệp và Môi trường Lào Cai)",
    "Copernicus DEM GLO-30 (tile N22E104), or the province's own DEM (Lào Cai Department of Agriculture and "
    "Environment)",
)


def raster_dir(store: Store) -> Path:
    """The folder beside the store that holds its rasters."""
    where = getattr(store, "path", None)
    if where is None:  # a database store: rasters beside it are not done yet
        raise InputDataError(
            "this store keeps no rasters (only a GeoPackage store does, so far)", code="terrain.no_raster_dir"
        )
    path = Path(str(where))
    return path.with_name(path.name + ".rasters")


def dem_versions(store: Store) -> list[dict[str, Any]]:
    """Every stored DEM version, oldest first (file, source, grid, who, when)."""
    text = store.get_meta(DEM_META)
    return list(json.loads(text)) if text else []


@dataclass(frozen=True)
class DemImport:
    """A stored DEM version and what reading it found."""

    version: int
    path: Path
    report: RasterReport
    user: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"version": self.version, "path": str(self.path), "user": self.user, **self.report.to_dict()}


def import_dem(
    store: Store,
    path: str | Path,
    *,
    actor: Actor,
    base_version: int | None,
    crs: str | None = None,
    label: str | None = None,
) -> DemImport:
    """Read a DEM (any CRS; warped to EPSG:9208), store it as a new version; refused when the base is stale.

    Needs the right to write ``dem`` (checked before the file is read).
    """
    require(store, actor, "w", "dem")
    dem, report = read_dem(path, crs=crs, label=label)
    versions = dem_versions(store)
    current = len(versions)
    if base_version is not None and base_version != current:
        raise VersionConflictError(
            f"the DEM was changed by someone else (now version {current}, this change was made on version "
            f"{base_version}); nothing was written",
            code="store.conflict",
            layer="dem",
            current=current,
            base=base_version,
        )
    folder = raster_dir(store)
    folder.mkdir(parents=True, exist_ok=True)
    version = current + 1
    out = write_geotiff(dem, folder / f"dem_v{version}.tif")
    versions.append(
        {
            "version": version,
            "file": out.name,
            "source": label or Path(path).name,
            "crs": report.crs,
            "res_m": list(dem.res),
            "shape": list(dem.shape),
            "bounds": list(dem.bounds),
            "warped": report.warped,
            "user": actor.user,
            "at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        }
    )
    store.set_meta(DEM_META, json.dumps(versions, ensure_ascii=False), user=actor.user)
    return DemImport(version, out, report, actor.user)


def stored_dem(store: Store) -> Raster | None:
    """The current stored DEM, or None when the store holds none."""
    versions = dem_versions(store)
    if not versions:
        return None
    dem, _ = read_dem(raster_dir(store) / versions[-1]["file"], label=f"DEM v{versions[-1]['version']}")
    return dem


def dem_from(store: Store | None, path: str | Path | None, *, crs: str | None = None) -> Raster:
    """A DEM from a file (any CRS), or the store's current one ("stored")."""
    if path is not None and str(path) != "stored":
        return read_dem(path, crs=crs)[0]
    found = stored_dem(store) if store is not None else None
    if found is None:
        raise InputDataError(
            "the store holds no DEM yet; import one first — " + DEM_SOURCES[1],
            code="terrain.no_dem",
        )
    return found


def write_slope(dem: Raster, out: str | Path, *, units: str = "percent") -> Path:
    """The slope raster of the DEM, on the DEM's grid, as a GeoTIFF."""
    return write_geotiff(slope(dem, units=units), out)


def write_hillshade(dem: Raster, out: str | Path) -> Path:
    """The hillshade of the DEM, on the DEM's grid, as a GeoTIFF."""
    return write_geotiff(hillshade(dem), out)


@dataclass(frozen=True)
class Zonal:
    """Terrain of each zone."""

    rows: tuple[ZonalRow, ...]
    max_slope_pct: float | None

    def to_dict(self) -> dict[str, Any]:
        """``{"rows": [...]}`` with the keys of the zonal JSON."""
        return {"rows": [r.to_dict() for r in self.rows], "max_slope_pct": self.max_slope_pct}


def zonal(
    dem: Raster, zones: gpd.GeoDataFrame, *, id_field: str | None = None, max_slope_pct: float | None = None
) -> Zonal:
    """Elevation, slope and the share below a slope of every zone (cells weighted by coverage)."""
    return Zonal(tuple(zonal_stats(dem, zones, id_field=id_field, max_slope_pct=max_slope_pct)), max_slope_pct)


def siting(
    dem: Raster,
    *,
    criteria: Criteria | None = None,
    roads: gpd.GeoDataFrame | None = None,
    rivers: gpd.GeoDataFrame | None = None,
    exclusions: tuple[gpd.GeoDataFrame, ...] = (),
    within: gpd.GeoDataFrame | None = None,
) -> SitingResult:
    """Ranked candidate sites on the DEM for the criteria."""
    return find_sites(dem, criteria=criteria, roads=roads, rivers=rivers, exclusions=exclusions, within=within)


def save_sites(store: Store, result: SitingResult, *, actor: Actor, base_version: int | None) -> SavedLayer:
    """Keep the candidate sites as the layer ``candidate_sites`` (quality ``derived``, never surveyed)."""
    return save_layer(
        store,
        SITES_LAYER,
        result.sites,
        actor=actor,
        base_version=base_version,
        message=f"{len(result.sites)} candidate sites (min {result.criteria.min_area_ha.value:g} ha)",
        origin="derived",
    )


def communes_frame(store: Store, codes: list[str]) -> gpd.GeoDataFrame:
    """The polygons of the given commune codes, legacy or 2025 (both layers are searched)."""
    found = []
    for layer in ("communes_legacy", "communes_2025"):
        if store.has_layer(layer):
            frame = store.read_layer(layer, crs=WORK_CRS)
            found.append(frame[frame["ma_xa"].astype(str).isin(codes)])
    hits = [f for f in found if len(f)]
    if not hits:
        raise InputDataError(f"no commune has the code(s) {', '.join(codes)}", code="terrain.unknown_commune")
    return gpd.GeoDataFrame(pd.concat(hits, ignore_index=True), crs=WORK_CRS)


def decree32(
    store: Store, *, area: str = "district", expand: str | None = None, by_ha: float | None = None
) -> GateResult:
    """The Decree 32 gate for ``area`` (a 2025 or legacy commune code, "district" or "province")."""
    clusters = store.read_layer("clusters", crs=WORK_CRS)
    kind = clusters["kind"].astype(str) if "kind" in clusters.columns else pd.Series("ccn", index=clusters.index)
    est = clusters[(kind == "ccn") & clusters["status"].astype(str).isin(ESTABLISHED)]
    label = area
    if area not in ("district", "province"):
        shape = shapely.union_all(communes_frame(store, [area]).geometry.to_numpy())
        est = est[est.geometry.within(shape)]
    boundaries = store.read_layer("cluster_boundaries", crs=WORK_CRS) if store.has_layer("cluster_boundaries") else None
    lots = store.read_layer("cluster_lots", crs=WORK_CRS) if store.has_layer("cluster_lots") else None
    zoning = store.read_layer("cluster_zoning", crs=WORK_CRS) if store.has_layer("cluster_zoning") else None
    statuses = []
    for _, row in est.iterrows():
        cid, name = str(row["id"]), str(row["name"])
        result, note = None, "no_boundary"
        if boundaries is not None and len(boundaries):
            choice = choose_from(boundaries, clusters, cid, require_boundary=False)
            if choice.has_boundary and lots is not None:
                mine, zoned = inputs_of(choice, lots, zoning)
                if len(mine):
                    result = occupancy(choice.boundary, mine, zoning=zoned, target_pct=choice.target_pct)
                    note = ""
                else:
                    note = "no_lots"
        statuses.append(ClusterStatus(cid, name, result, note))
    return gate(statuses, area=label, expand=expand, by_ha=by_ha)

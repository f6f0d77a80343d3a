"""Industrial clusters: choose a cluster, measure its occupancy against its own target, save its layers.

One rule chooses a cluster's boundary for the page, the command and the reports (:func:`choose_cluster`), and
one function measures it (:func:`measure_cluster`), with the cluster's own ``occupancy_target_pct`` when the
clusters layer gives one, else the plan's 50 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from analysis.clusters import ClusterChoice, choose_from, inputs_of
from analysis.occupancy import OccupancyResult, occupancy
from geo.crs import WORK_CRS
from geo.limits import Limits
from layers.store import Store
from services.inputs import CrsChoice, read_input

BOUNDARIES = "cluster_boundaries"
LOTS = "cluster_lots"
ZONING = "cluster_zoning"
CLUSTERS = "clusters"


def _empty(columns: tuple[str, ...] = ("id", "cluster_id")) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in columns}, geometry=gpd.GeoSeries([], crs=WORK_CRS))


def store_layer(store: Store, layer_id: str) -> gpd.GeoDataFrame:
    """A store layer in EPSG:9208, or an empty frame when the store does not hold it."""
    return store.read_layer(layer_id, crs=WORK_CRS) if store.has_layer(layer_id) else _empty()


def choose_cluster(store: Store, cluster_id: str | None = None, *, require_boundary: bool = True) -> ClusterChoice:
    """:func:`choose_from` on the store's ``cluster_boundaries`` and ``clusters`` layers."""
    clusters = store.read_layer(CLUSTERS) if store.has_layer(CLUSTERS) else _empty(("id", "name"))
    return choose_from(store_layer(store, BOUNDARIES), clusters, cluster_id, require_boundary=require_boundary)


@dataclass(frozen=True)
class ClusterMeasure:
    """A measured cluster: the choice, the inputs used, the occupancy, and what reading the inputs noticed."""

    choice: ClusterChoice
    lots: gpd.GeoDataFrame
    zoning: gpd.GeoDataFrame | None
    result: OccupancyResult
    repaired_on_read: int = 0
    read_warnings: tuple[str, ...] = ()
    as_of: dt.date | None = None
    leasable_ha: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The keys of the occupancy JSON (``OccupancyResult.to_dict``), repairs and warnings of the reads added."""
        out = self.result.to_dict()
        out["repaired"] = out["repaired"] + int(self.repaired_on_read)
        out["warnings"] = [*self.read_warnings, *out["warnings"]]
        return out


def _zoning_or_none(zoning: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    return zoning if zoning is not None and len(zoning) else None


def measure(
    choice: ClusterChoice,
    lots: gpd.GeoDataFrame,
    zoning: gpd.GeoDataFrame | None,
    *,
    as_of: dt.date | None = None,
    leasable_ha: float | None = None,
    target_pct: float | None = None,
    repaired_on_read: int = 0,
    read_warnings: tuple[str, ...] = (),
) -> ClusterMeasure:
    """Occupancy of a chosen cluster against its own target (or ``target_pct`` when given)."""
    zoning = _zoning_or_none(zoning)
    result = occupancy(
        choice.boundary,
        lots,
        zoning=zoning,
        leasable_ha=leasable_ha,
        as_of=as_of,
        target_pct=choice.target_pct if target_pct is None else target_pct,
    )
    return ClusterMeasure(choice, lots, zoning, result, repaired_on_read, read_warnings, as_of, leasable_ha)


def cluster_inputs(store: Store, choice: ClusterChoice) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """The store's lots and zoning of a chosen cluster."""
    return inputs_of(choice, store_layer(store, LOTS), store_layer(store, ZONING))


def measure_cluster(
    store: Store,
    *,
    cluster_id: str | None = None,
    as_of: dt.date | None = None,
    leasable_ha: float | None = None,
) -> ClusterMeasure:
    """Occupancy of one cluster of the store, from its boundary, lots and zoning, against its own target."""
    choice = choose_cluster(store, cluster_id)
    lots, zoning = cluster_inputs(store, choice)
    if "status" not in lots.columns:
        lots = lots.assign(status=pd.Series([], dtype="object")) if len(lots) == 0 else lots
    return measure(choice, lots, zoning, as_of=as_of, leasable_ha=leasable_ha)


@dataclass(frozen=True)
class ClusterFiles:
    """A cluster given as files instead of the store's layers."""

    boundary: Path
    lots: Path
    zoning: Path | None = None


def measure_files(
    files: ClusterFiles,
    *,
    cluster_id: str | None = None,
    crs: CrsChoice | None = None,
    limits: Limits | None = None,
    as_of: dt.date | None = None,
    leasable_ha: float | None = None,
) -> ClusterMeasure:
    """Occupancy of a cluster given as files (any format and CRS the import reads)."""
    clusters, c_rep = read_input(files.boundary, what="cluster", crs=crs, limits=limits)
    lots, l_rep = read_input(files.lots, what="lots", crs=crs, limits=limits, may_be_empty=True)
    reports = [c_rep, l_rep]
    zoning = None
    if files.zoning is not None:
        zoning, z_rep = read_input(files.zoning, what="zoning", crs=crs, limits=limits, may_be_empty=True)
        reports.append(z_rep)
    choice = choose_from(clusters, clusters.iloc[0:0], cluster_id)
    warnings = tuple(w for r in reports for w in r.warnings)
    return measure(
        choice,
        lots,
        zoning,
        as_of=as_of,
        leasable_ha=leasable_ha,
        repaired_on_read=l_rep.repaired,
        read_warnings=warnings,
    )

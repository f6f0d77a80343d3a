"""Choosing one industrial cluster: the one rule for the page, the command and the reports.

A cluster's boundary parts are the features of the boundary layer whose ``id`` or ``cluster_id`` is the cluster's
id; its name and its occupancy target come from the clusters layer (its own ``occupancy_target_pct``, else the
plan's 50 %). Pure: frames in, a :class:`ClusterChoice` out.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from analysis.occupancy import PLAN_TARGET_PCT, cluster_ids, lots_of_cluster, pick_cluster
from geo.errors import InputDataError


@dataclass(frozen=True)
class ClusterChoice:
    """One cluster: its id, name, boundary parts (possibly none yet) and occupancy target."""

    cluster_id: str
    name: str
    boundary: gpd.GeoDataFrame
    target_pct: float
    #: "cluster" when the clusters layer gives the target, "plan" for the plan's 50 %
    target_source: str

    @property
    def has_boundary(self) -> bool:
        """True when the boundary layer holds at least one part of the cluster."""
        return len(self.boundary) > 0


def cluster_target(clusters: pd.DataFrame, cluster_id: str) -> tuple[float, str]:
    """(target %, where it comes from) for a cluster: its own ``occupancy_target_pct``, else the plan's 50 %."""
    if "occupancy_target_pct" in clusters.columns and "id" in clusters.columns:
        rows = clusters[clusters["id"].astype(str) == cluster_id]
        if len(rows):
            value = rows["occupancy_target_pct"].iloc[0]
            if value is not None and pd.notna(value):
                return float(value), "cluster"
    return PLAN_TARGET_PCT, "plan"


def _name(clusters: pd.DataFrame, boundary: pd.DataFrame, cluster_id: str) -> str:
    for frame in (
        clusters[clusters["id"].astype(str) == cluster_id] if "id" in clusters.columns else clusters,
        boundary,
    ):
        if "name" in frame.columns:
            names = [str(v) for v in frame["name"].tolist() if v is not None and pd.notna(v) and str(v).strip()]
            if names:
                return names[0]
    return cluster_id


def choose_from(
    boundaries: gpd.GeoDataFrame,
    clusters: pd.DataFrame,
    cluster_id: str | None = None,
    *,
    require_boundary: bool = True,
) -> ClusterChoice:
    """Choose one cluster from a boundary layer (and the clusters layer that names and targets them).

    ``cluster_id`` matches a boundary feature's ``id`` or ``cluster_id``. Without it the boundary layer must hold
    one cluster. With ``require_boundary=False`` a cluster the clusters layer knows but that has no boundary yet
    is returned with an empty boundary (the page then offers the import).

    Raises
    ------
    InputDataError
        No boundary (when required), an unknown id, or several clusters and no id (the ids are listed).
    """
    known = [str(v) for v in clusters["id"].tolist()] if "id" in clusters.columns else []
    if cluster_id is not None and not require_boundary and str(cluster_id) in known:
        parts = [
            boundaries[(boundaries[col].astype("string").str.strip() == str(cluster_id)).fillna(False)]
            for col in ("cluster_id", "id")
            if col in boundaries.columns
        ]
        hit = pd.concat(parts).drop_duplicates() if parts else boundaries.iloc[0:0]
        boundary = gpd.GeoDataFrame(hit, geometry=boundaries.geometry.name, crs=boundaries.crs)
    else:
        if len(boundaries) == 0:
            raise InputDataError(
                "the cluster boundary layer (cluster_boundaries) is empty; import the cluster's boundary first",
                code="cluster.no_boundary",
                layer="cluster_boundaries",
            )
        boundary = pick_cluster(boundaries, cluster_id)
        if cluster_id is None:
            ids = cluster_ids(boundary)
            cluster_id = ids[0] if ids else ""
    cid = str(cluster_id)
    target, source = cluster_target(clusters, cid)
    return ClusterChoice(cid, _name(clusters, boundary, cid), boundary, target, source)


def inputs_of(
    choice: ClusterChoice, lots: gpd.GeoDataFrame, zoning: gpd.GeoDataFrame | None
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """The lots and the zoning (None when it has none) of a chosen cluster, from the shared layers."""
    if not choice.has_boundary:
        return lots.iloc[0:0], None
    mine = lots_of_cluster(lots, choice.boundary)
    zoned = lots_of_cluster(zoning, choice.boundary) if zoning is not None and len(zoning) else None
    return mine, zoned if zoned is not None and len(zoned) else None

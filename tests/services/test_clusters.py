"""Choosing and measuring a cluster: one rule for the page, the command and the reports."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from analysis.clusters import choose_from, inputs_of
from geo.errors import InputDataError
from services.clusters import measure

CLUSTERS = pd.DataFrame({"id": ["ccn_a", "ccn_b"], "name": ["CCN A", "CCN B"], "occupancy_target_pct": [60.0, None]})


def boundaries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["b1", "b2"], "cluster_id": ["ccn_a", "ccn_b"]},
        geometry=[shapely.box(0, 0, 100, 100), shapely.box(1000, 0, 1100, 100)],
        crs="EPSG:9208",
    )


def test_the_cluster_keeps_its_own_target() -> None:
    a = choose_from(boundaries(), CLUSTERS, "ccn_a")
    assert (a.name, a.target_pct, a.target_source) == ("CCN A", 60.0, "cluster")
    b = choose_from(boundaries(), CLUSTERS, "ccn_b")
    assert (b.target_pct, b.target_source) == (50.0, "plan")


def test_several_clusters_need_an_id_and_an_unknown_id_is_refused() -> None:
    with pytest.raises(InputDataError) as several:
        choose_from(boundaries(), CLUSTERS, None)
    assert several.value.code == "cluster.several"
    with pytest.raises(InputDataError):
        choose_from(boundaries(), CLUSTERS, "ccn_x")


def test_a_known_cluster_without_boundary_is_offered_for_import() -> None:
    only_a = boundaries().iloc[[0]]
    b = choose_from(only_a, CLUSTERS, "ccn_b", require_boundary=False)
    assert not b.has_boundary and b.name == "CCN B"
    assert inputs_of(b, only_a, None)[0].empty


def test_the_measure_is_against_the_clusters_target() -> None:
    lots = gpd.GeoDataFrame(
        {"id": ["l1"], "cluster_id": ["ccn_a"], "status": ["operating"]},
        geometry=[shapely.box(0, 0, 50, 100)],
        crs="EPSG:9208",
    )
    a = choose_from(boundaries(), CLUSTERS, "ccn_a")
    mine, zoning = inputs_of(a, lots, None)
    done = measure(a, mine, zoning)
    assert done.result.target_pct == 60.0 and done.result.occupancy_pct == pytest.approx(50.0)
    assert done.to_dict()["gap_ha"] == pytest.approx(0.1)  # 10 % of 1 ha still needed

"""Cluster occupancy: every rule of issue 4 on hand-built shapes with known areas.

Shapes are rectangles built in EPSG:9208 near Phố Ràng, so their areas are exact square metres; the 4326
case is checked against pyproj.Geod's geodesic area, which knows nothing of our code.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely import affinity

from analysis.occupancy import (
    EXPANSION_MIN_PCT,
    NEW_CLUSTER_MIN_PCT,
    PLAN_TARGET_PCT,
    STATUSES,
    Notice,
    lots_of_cluster,
    lots_table,
    normalise_statuses,
    normalise_uses,
    occupancy,
    occupancy_series,
    parse_dates,
    pick_cluster,
    what_if,
)
from geo.errors import CRSError, InputDataError

WORK = "EPSG:9208"
X0, Y0 = 472_000.0, 2_460_000.0  # EPSG:9208 metres, near Phố Ràng
HA = 10_000.0

KEYS = {
    "basis",
    "cluster_ha",
    "leasable_ha",
    "occupied_ha",
    "occupancy_pct",
    "target_pct",
    "gap_ha",
    "outside_ha",
    "overlap_ha",
    "repaired",
    "by_status",
    "warnings",
}


def rect(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    """A w × h metre rectangle at (x, y) metres from the origin, in EPSG:9208."""
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def cluster_frame(geom: shapely.Geometry | None = None, crs: str = WORK, **attrs: object) -> gpd.GeoDataFrame:
    """A 400 m × 250 m cluster: exactly 10 ha."""
    data = {"id": ["ccn_test"], "name": ["CCN thử"], **{k: [v] for k, v in attrs.items()}}
    return gpd.GeoDataFrame(data, geometry=[geom if geom is not None else rect(0, 0, 400, 250)], crs=crs)


def lots_frame(*rows: tuple[shapely.Geometry, str] | tuple[shapely.Geometry, str, object]) -> gpd.GeoDataFrame:
    geoms = [r[0] for r in rows]
    status = [r[1] for r in rows]
    leased = [r[2] if len(r) > 2 else None for r in rows]
    return gpd.GeoDataFrame(
        {"id": [f"L{n + 1}" for n in range(len(rows))], "status": status, "leased_on": leased},
        geometry=gpd.GeoSeries(geoms, crs=WORK),
    )


def zoning_frame(*rows: tuple[shapely.Geometry, str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"use": [r[1] for r in rows]}, geometry=[r[0] for r in rows], crs=WORK)


def empty_lots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"status": pd.Series(dtype=object)}, geometry=gpd.GeoSeries([], crs=WORK))


# --- the basic measure --------------------------------------------------------------------------------------------


def test_gross_basis_counts_allocated_building_operating_only() -> None:
    lots = lots_frame(
        (rect(0, 0, 100, 100), "allocated"),  # 1 ha
        (rect(100, 0, 100, 100), "operating"),  # 1 ha
        (rect(200, 0, 100, 100), "vacant"),  # 1 ha, not counted
        (rect(300, 0, 50, 100), "building"),  # 0.5 ha
    )
    r = occupancy(cluster_frame(), lots)
    assert r.basis == "gross"
    assert r.cluster_ha == pytest.approx(10.0, abs=1e-9)
    assert r.leasable_ha == pytest.approx(10.0, abs=1e-9)
    assert r.occupied_ha == pytest.approx(2.5, abs=1e-9)
    assert r.occupancy_pct == pytest.approx(25.0, abs=1e-9)
    assert r.target_pct == PLAN_TARGET_PCT == 50.0
    assert r.gap_ha == pytest.approx(2.5, abs=1e-9)  # 50 % × 10 ha − 2.5 ha
    assert r.outside_ha == 0.0 and r.overlap_ha == 0.0 and r.repaired == 0
    assert dict(r.by_status) == pytest.approx({"vacant": 1.0, "allocated": 1.0, "building": 0.5, "operating": 1.0})
    assert any("gross area" in w for w in r.warnings)


def test_to_dict_has_exactly_the_issue_keys_and_canonical_status_keys() -> None:
    r = occupancy(cluster_frame(), lots_frame((rect(0, 0, 10, 10), "đang hoạt động")))
    d = r.to_dict()
    assert set(d) == KEYS
    assert set(d["by_status"]) == set(STATUSES)
    assert d["basis"] in ("leasable", "gross")
    assert isinstance(d["warnings"], list) and all(isinstance(w, str) for w in d["warnings"])


def test_gap_is_zero_once_the_target_is_met() -> None:
    lots = lots_frame((rect(0, 0, 400, 150), "operating"))  # 6 ha of 10
    r = occupancy(cluster_frame(), lots)
    assert r.occupancy_pct == pytest.approx(60.0)
    assert r.gap_ha == 0.0
    assert r.meets_target and r.meets_expansion


def test_custom_target_changes_the_gap_only() -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "allocated"))
    r = occupancy(cluster_frame(), lots, target_pct=60.0)
    assert r.occupancy_pct == pytest.approx(10.0)
    assert r.gap_ha == pytest.approx(5.0)  # 60 % × 10 − 1


def test_decree_thresholds() -> None:
    assert NEW_CLUSTER_MIN_PCT == 50.0
    assert EXPANSION_MIN_PCT == 60.0


# --- leasable land ------------------------------------------------------------------------------------------------


def test_zoning_industrial_land_is_the_denominator_and_roads_are_excluded() -> None:
    zoning = zoning_frame(
        (rect(0, 0, 400, 150), "đất công nghiệp"),  # 6 ha industrial
        (rect(0, 150, 400, 20), "Đất giao thông"),  # 0.8 ha road
        (rect(0, 170, 400, 80), "cây xanh"),  # green
    )
    # 1.2 ha lot: 1 ha on industrial land, 0.2 ha on the road
    lots = lots_frame((rect(0, 50, 100, 120), "allocated"), (rect(200, 0, 100, 100), "vacant"))
    r = occupancy(cluster_frame(), lots, zoning=zoning)
    assert r.basis == "leasable"
    assert r.leasable_ha == pytest.approx(6.0)
    assert r.occupied_ha == pytest.approx(1.0)
    assert r.occupancy_pct == pytest.approx(100 / 6)
    assert r.gap_ha == pytest.approx(2.0)  # 3 − 1
    assert r.by_status["allocated"] == pytest.approx(1.0)
    assert r.by_status["vacant"] == pytest.approx(1.0)
    assert any("not industrial" in w for w in r.warnings)


def test_industrial_zoning_is_clipped_to_the_cluster() -> None:
    zoning = zoning_frame((rect(-100, 0, 300, 100), "industrial"))  # 3 ha, of which 2 ha inside
    r = occupancy(cluster_frame(), lots_frame((rect(0, 0, 50, 100), "allocated")), zoning=zoning)
    assert r.leasable_ha == pytest.approx(2.0)
    assert r.occupancy_pct == pytest.approx(25.0)
    assert any("outside the cluster boundary" in w and "1 ha" in w for w in r.warnings)


def test_leasable_ha_argument_beats_the_attribute_and_zoning_beats_both() -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "allocated"))
    attr = cluster_frame(leasable_ha=4.0)
    assert occupancy(attr, lots).occupancy_pct == pytest.approx(25.0)
    assert occupancy(attr, lots).basis == "leasable"
    assert occupancy(attr, lots, leasable_ha=5.0).occupancy_pct == pytest.approx(20.0)
    zoning = zoning_frame((rect(0, 0, 200, 100), "industrial"))  # 2 ha
    r = occupancy(attr, lots, zoning=zoning, leasable_ha=5.0)
    assert r.leasable_ha == pytest.approx(2.0)
    assert r.occupancy_pct == pytest.approx(50.0)
    assert any("was ignored" in w for w in r.warnings)


def test_zoning_without_industrial_land_falls_back() -> None:
    zoning = zoning_frame((rect(0, 0, 400, 20), "road"))
    lots = lots_frame((rect(0, 100, 100, 100), "allocated"))
    r = occupancy(cluster_frame(), lots, zoning=zoning, leasable_ha=8.0)
    assert r.basis == "leasable" and r.leasable_ha == pytest.approx(8.0)
    r = occupancy(cluster_frame(), lots, zoning=zoning)
    assert r.basis == "gross"
    assert any("no industrial land" in w for w in r.warnings)


def test_numeric_leasable_smaller_than_occupied_is_capped_with_a_warning() -> None:
    lots = lots_frame((rect(0, 0, 300, 100), "allocated"))  # 3 ha
    r = occupancy(cluster_frame(), lots, leasable_ha=2.0)
    assert r.occupancy_pct == 100.0
    assert r.occupied_ha == pytest.approx(3.0)
    assert any("exceeds leasable_ha" in w for w in r.warnings)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan")])
def test_leasable_ha_must_be_positive(bad: float) -> None:
    with pytest.raises(InputDataError, match="leasable_ha"):
        occupancy(cluster_frame(), lots_frame((rect(0, 0, 10, 10), "allocated")), leasable_ha=bad)


# --- overlaps, holes, outside, repairs ----------------------------------------------------------------------------


def test_overlapping_lots_count_once_and_the_overlap_is_reported() -> None:
    lots = lots_frame(
        (rect(0, 0, 100, 100), "allocated"),
        (rect(80, 0, 100, 100), "operating"),  # overlaps the first on 20 × 100 = 0.2 ha
    )
    r = occupancy(cluster_frame(), lots)
    assert r.occupied_ha == pytest.approx(1.8)
    assert r.overlap_ha == pytest.approx(0.2)
    assert any("overlap" in w and "L1" in w and "L2" in w for w in r.warnings)


def test_overlap_is_the_area_covered_twice_or_more_counted_once() -> None:
    lots = lots_frame(
        (rect(0, 0, 100, 100), "allocated"),
        (rect(50, 0, 100, 100), "allocated"),
        (rect(50, 0, 50, 100), "allocated"),  # covered three times on 50 × 100
    )
    r = occupancy(cluster_frame(), lots)
    assert r.occupied_ha == pytest.approx(1.5)
    assert r.overlap_ha == pytest.approx(0.5)


def test_vacant_lots_do_not_make_an_overlap() -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "allocated"), (rect(50, 0, 100, 100), "vacant"))
    r = occupancy(cluster_frame(), lots)
    assert r.overlap_ha == 0.0
    assert r.occupied_ha == pytest.approx(1.0)


def test_a_lot_inside_another_lots_hole_is_not_an_overlap() -> None:
    ring = shapely.Polygon(rect(0, 0, 200, 200).exterior.coords, [rect(50, 50, 100, 100).exterior.coords])
    lots = lots_frame(
        (ring, "allocated"),  # 4 − 1 = 3 ha
        (rect(50, 50, 100, 100), "operating"),  # fills the hole exactly: 1 ha
        (rect(0, 200, 10, 10), "allocated"),
    )
    r = occupancy(cluster_frame(), lots)
    assert r.overlap_ha == 0.0
    assert r.occupied_ha == pytest.approx(4.01)
    smaller = lots_frame((ring, "allocated"), (rect(60, 60, 50, 50), "allocated"))
    r = occupancy(cluster_frame(), smaller)
    assert r.overlap_ha == 0.0
    assert r.occupied_ha == pytest.approx(3.25)


def test_a_lot_nested_inside_another_overlaps_by_its_own_area() -> None:
    lots = lots_frame((rect(0, 0, 200, 200), "allocated"), (rect(50, 50, 10, 10), "building"))
    r = occupancy(cluster_frame(), lots)
    assert r.occupied_ha == pytest.approx(4.0)
    assert r.overlap_ha == pytest.approx(0.01)
    assert r.by_status["building"] == pytest.approx(0.01)


def test_touching_lots_do_not_overlap() -> None:
    lots = lots_frame(*[(rect(20 * i, 0, 20, 20), "allocated") for i in range(10)])
    r = occupancy(cluster_frame(), lots)
    assert r.overlap_ha == 0.0
    assert r.occupied_ha == pytest.approx(0.4)


def test_turned_lots_give_the_same_numbers() -> None:
    """Turned lots take the coverage-validator path of the overlap search (neighbours' envelopes overlap)."""
    grid = [(rect(20 * i, 20 * j, 20, 20), "allocated") for i in range(8) for j in range(8)]
    grid += [(rect(25, 25, 20, 20), "operating"), (rect(100, 100, 40, 40), "building")]
    straight = occupancy(cluster_frame(), lots_frame(*grid))
    origin = (X0, Y0)
    turned_lots = lots_frame(*[(affinity.rotate(g, 37, origin=origin), s) for g, s in grid])
    turned_cluster = cluster_frame(affinity.rotate(rect(0, 0, 400, 250), 37, origin=origin))
    turned = occupancy(turned_cluster, turned_lots)
    # both extra lots lie on the 160 m × 160 m grid: they add nothing and overlap by their own area
    assert straight.occupied_ha == pytest.approx(64 * 0.04)
    assert straight.overlap_ha == pytest.approx(0.04 + 0.16)
    for key in ("occupied_ha", "overlap_ha", "outside_ha", "occupancy_pct"):
        assert getattr(turned, key) == pytest.approx(getattr(straight, key), rel=1e-9, abs=1e-9)


def test_lots_outside_the_cluster_are_excluded_and_reported() -> None:
    lots = lots_frame(
        (rect(-50, 0, 100, 100), "allocated"),  # half outside: 0.5 ha out
        (rect(1000, 1000, 100, 100), "operating"),  # entirely outside: 1 ha out
        (rect(500, 0, 50, 100), "vacant"),  # vacant lots are not counted anywhere
    )
    r = occupancy(cluster_frame(), lots)
    assert r.occupied_ha == pytest.approx(0.5)
    assert r.outside_ha == pytest.approx(1.5)
    assert any("outside the cluster boundary" in w and "L1" in w and "L2" in w for w in r.warnings)


def test_overlap_outside_the_cluster_counts_once_in_outside_ha() -> None:
    lots = lots_frame((rect(-100, 0, 100, 100), "allocated"), (rect(-100, 0, 100, 100), "operating"))
    r = occupancy(cluster_frame(), lots)
    assert r.outside_ha == pytest.approx(1.0)
    assert r.overlap_ha == pytest.approx(1.0)
    assert r.occupied_ha == 0.0


def bow_tie(x: float, y: float, size: float) -> shapely.Polygon:
    return shapely.Polygon(
        [(X0 + x, Y0 + y), (X0 + x + size, Y0 + y + size), (X0 + x + size, Y0 + y), (X0 + x, Y0 + y + size)]
    )


def test_bow_tie_is_repaired_keeping_both_halves() -> None:
    tie = bow_tie(0, 0, 100)
    assert not tie.is_valid
    r = occupancy(cluster_frame(), lots_frame((tie, "allocated")))
    # two triangles of ½ × 100 × 50 m² each
    assert r.occupied_ha == pytest.approx(0.5)
    assert r.repaired == 1
    assert any("repaired" in w and "L1" in w for w in r.warnings)


def test_repaired_counts_every_invalid_lot_as_read() -> None:
    lots = lots_frame(
        (bow_tie(0, 0, 100), "vacant"),
        (bow_tie(200, 0, 100), "allocated", "2030-01-01"),  # not counted as of 2025, still repaired
        (rect(0, 150, 10, 10), "allocated", "2020-01-01"),
    )
    r = occupancy(cluster_frame(), lots, as_of=dt.date(2025, 1, 1))
    assert r.repaired == 2
    assert r.occupied_ha == pytest.approx(0.01)
    assert r.by_status["vacant"] == pytest.approx(0.5)


def test_lots_without_geometry_are_skipped_with_a_warning() -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "allocated"), (None, "allocated"))
    r = occupancy(cluster_frame(), lots)
    assert r.occupied_ha == pytest.approx(1.0)
    assert any("no geometry" in w and "L2" in w for w in r.warnings)


def test_a_point_lot_is_an_error() -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "allocated"), (shapely.Point(X0, Y0), "allocated"))
    with pytest.raises(InputDataError, match=r"not polygons: L2 \(Point\)"):
        occupancy(cluster_frame(), lots)


def test_an_invalid_cluster_boundary_is_repaired_too() -> None:
    r = occupancy(cluster_frame(bow_tie(0, 0, 200)), lots_frame((rect(0, 0, 10, 10), "allocated")))
    assert r.cluster_ha == pytest.approx(2.0)


# --- empty layers -------------------------------------------------------------------------------------------------


def test_empty_lot_layer_gives_zero_and_a_warning() -> None:
    r = occupancy(cluster_frame(), empty_lots())
    assert r.occupancy_pct == 0.0 and r.occupied_ha == 0.0
    assert r.gap_ha == pytest.approx(5.0)
    assert r.by_status == {s: 0.0 for s in STATUSES}
    assert any("lot layer is empty" in w for w in r.warnings)


def test_empty_cluster_is_an_error() -> None:
    with pytest.raises(InputDataError, match="empty"):
        pick_cluster(cluster_frame().iloc[0:0])
    with pytest.raises(InputDataError, match="no area"):
        occupancy(cluster_frame(shapely.Polygon()), empty_lots())


def test_missing_crs_is_a_crs_error() -> None:
    lots = lots_frame((rect(0, 0, 10, 10), "allocated")).set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="EPSG:9208"):
        occupancy(cluster_frame(), lots)


# --- statuses and uses --------------------------------------------------------------------------------------------


def test_vietnamese_statuses_any_case_and_diacritics() -> None:
    assert normalise_statuses(["Trống", "ĐÃ CHO THUÊ", "dang xay dung", "Đang hoạt động", " operating "]) == [
        "vacant",
        "allocated",
        "building",
        "operating",
        "operating",
    ]
    lots = lots_frame(
        (rect(0, 0, 100, 100), "ĐÃ CHO THUÊ"),
        (rect(100, 0, 100, 100), "đang xây dựng"),
        (rect(200, 0, 100, 100), "Dang Hoat Dong"),
        (rect(300, 0, 100, 100), "trong"),
    )
    r = occupancy(cluster_frame(), lots)
    assert r.occupied_ha == pytest.approx(3.0)
    assert dict(r.by_status) == pytest.approx({"vacant": 1.0, "allocated": 1.0, "building": 1.0, "operating": 1.0})


def test_unknown_status_lists_the_lot_and_the_allowed_values() -> None:
    lots = lots_frame(
        (rect(0, 0, 10, 10), "allocated"), (rect(20, 0, 10, 10), "đang đàm phán"), (rect(40, 0, 5, 5), None)
    )
    with pytest.raises(InputDataError) as err:
        occupancy(cluster_frame(), lots)
    text = str(err.value)
    assert "L2 ('đang đàm phán')" in text and "L3 (empty)" in text
    for allowed in ("vacant", "allocated", "building", "operating", "trống", "đã cho thuê"):
        assert allowed in text


def test_missing_status_field_is_an_error() -> None:
    lots = lots_frame((rect(0, 0, 10, 10), "allocated")).drop(columns="status")
    with pytest.raises(InputDataError, match="no `status` field"):
        occupancy(cluster_frame(), lots)


def test_zoning_uses_in_vietnamese_and_unknown_use() -> None:
    assert normalise_uses(["Đất công nghiệp", "đất giao thông", "ĐẤT CÂY XANH", "đất hạ tầng kỹ thuật", "khác"]) == [
        "industrial",
        "road",
        "green",
        "technical",
        "other",
    ]
    with pytest.raises(InputDataError, match=r"unknown use.*industrial"):
        normalise_uses(["đất ở"])
    zoning = zoning_frame((rect(0, 0, 100, 100), "đất nông nghiệp"))
    with pytest.raises(InputDataError, match="đất nông nghiệp"):
        occupancy(cluster_frame(), empty_lots(), zoning=zoning)


# --- dates --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("leased", ["2024-05-01", "01/05/2024", dt.date(2024, 5, 1), pd.Timestamp("2024-05-01 15:30")])
def test_as_of_includes_the_day_itself(leased: object) -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "operating", leased), (rect(100, 0, 100, 100), "allocated", "2020-01-01"))
    assert occupancy(cluster_frame(), lots, as_of=dt.date(2024, 5, 1)).occupied_ha == pytest.approx(2.0)
    assert occupancy(cluster_frame(), lots, as_of=dt.date(2024, 4, 30)).occupied_ha == pytest.approx(1.0)
    assert occupancy(cluster_frame(), lots).occupied_ha == pytest.approx(2.0)


def test_as_of_leaves_out_leased_lots_without_a_date_and_says_so() -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "operating", None), (rect(100, 0, 100, 100), "allocated", "2020-01-01"))
    r = occupancy(cluster_frame(), lots, as_of=dt.date(2024, 1, 1))
    assert r.occupied_ha == pytest.approx(1.0)
    assert any("no leased_on date" in w and "L1" in w for w in r.warnings)


def test_missing_dates_of_every_kind_are_blank() -> None:
    values = pd.Series(
        [None, pd.NaT, float("nan"), "", "  ", dt.date(2024, 1, 2), pd.Timestamp("2024-01-03")], dtype=object
    )
    days = parse_dates(values)
    assert days.isna().tolist() == [True] * 5 + [False, False]
    assert days.iloc[5:].dt.date.tolist() == [dt.date(2024, 1, 2), dt.date(2024, 1, 3)]


def test_bad_dates_are_named() -> None:
    lots = lots_frame((rect(0, 0, 100, 100), "operating", "năm 2023"))
    with pytest.raises(InputDataError, match=r"L1 \('năm 2023'\).*YYYY-MM-DD"):
        occupancy(cluster_frame(), lots, as_of=dt.date(2024, 1, 1))


# --- CRS ----------------------------------------------------------------------------------------------------------


def test_same_occupancy_in_4326_9208_and_3405() -> None:
    lots = lots_frame(
        (rect(0, 0, 120, 80), "allocated"),
        (rect(100, 0, 90, 130), "operating"),
        (rect(200, 100, 150, 100), "building"),
        (rect(380, 200, 60, 60), "allocated"),
    )
    zoning = zoning_frame((rect(0, 0, 400, 180), "industrial"))
    results = [
        occupancy(cluster_frame().to_crs(crs), lots.to_crs(crs), zoning=zoning.to_crs(crs))
        for crs in ("EPSG:9208", "EPSG:4326", "EPSG:3405")
    ]
    base = results[0].occupancy_pct
    assert base > 0
    for r in results[1:]:
        assert abs(r.occupancy_pct - base) <= base * 1e-4  # within 0.01 %
        assert r.occupied_ha == pytest.approx(results[0].occupied_ha, rel=1e-4)


def test_mixed_crs_inputs_are_each_reprojected() -> None:
    lots = lots_frame((rect(50, 50, 100, 100), "allocated"))
    r = occupancy(cluster_frame().to_crs("EPSG:4326"), lots.to_crs("EPSG:3405"))
    assert r.occupied_ha == pytest.approx(1.0, rel=1e-6)
    assert r.cluster_ha == pytest.approx(10.0, rel=1e-5)


def test_geographic_lots_agree_with_geodesic_areas() -> None:
    """Lots drawn in longitude/latitude: our EPSG:9208 hectares against pyproj.Geod's ellipsoidal area."""
    geod = Geod(ellps="WGS84")
    lon0, lat0, d = 104.47, 22.24, 0.001  # about 100 m near Phố Ràng
    shapes = [shapely.box(lon0 + i * d, lat0, lon0 + (i + 1) * d, lat0 + d) for i in range(3)]
    lots = gpd.GeoDataFrame({"status": ["allocated", "operating", "vacant"]}, geometry=shapes, crs="EPSG:4326")
    cluster = gpd.GeoDataFrame(geometry=[shapely.box(lon0 - d, lat0 - d, lon0 + 5 * d, lat0 + 3 * d)], crs="EPSG:4326")
    r = occupancy(cluster, lots)
    geodesic_ha = sum(abs(geod.geometry_area_perimeter(s)[0]) for s in shapes[:2]) / HA
    cluster_geodesic_ha = abs(geod.geometry_area_perimeter(cluster.geometry[0])[0]) / HA
    # TM-3 scale near Phố Ràng makes projected areas differ from the ellipsoid by a few parts in 10 000
    assert r.occupied_ha == pytest.approx(geodesic_ha, rel=5e-4)
    assert r.cluster_ha == pytest.approx(cluster_geodesic_ha, rel=5e-4)
    assert r.occupancy_pct == pytest.approx(100 * geodesic_ha / cluster_geodesic_ha, rel=1e-6)


# --- choosing the cluster and its lots ----------------------------------------------------------------------------


def two_clusters() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["ccn_pho_rang", "ccn_bao_ha"], "name": ["CCN Phố Ràng", "CCN Bảo Hà"]},
        geometry=[rect(0, 0, 400, 250), rect(1000, 0, 200, 100)],
        crs=WORK,
    )


def test_pick_cluster_by_id_and_errors_list_the_ids() -> None:
    clusters = two_clusters()
    assert pick_cluster(clusters, "ccn_bao_ha")["name"].tolist() == ["CCN Bảo Hà"]
    with pytest.raises(InputDataError, match="ccn_pho_rang, ccn_bao_ha"):
        pick_cluster(clusters)
    with pytest.raises(InputDataError, match=r"no cluster has the id 'x'.*ccn_pho_rang, ccn_bao_ha"):
        pick_cluster(clusters, "x")
    assert len(pick_cluster(clusters.iloc[[0]])) == 1


def test_pick_cluster_matches_the_store_field_cluster_id_too() -> None:
    clusters = two_clusters().rename(columns={"id": "cluster_id"})
    clusters["id"] = ["b1", "b2"]
    assert pick_cluster(clusters, "ccn_bao_ha")["id"].tolist() == ["b2"]


def test_occupancy_refuses_several_clusters() -> None:
    with pytest.raises(InputDataError, match="several clusters"):
        occupancy(two_clusters(), empty_lots())


def test_a_cluster_in_two_parts_is_one_area() -> None:
    parts = gpd.GeoDataFrame({"id": ["c", "c"]}, geometry=[rect(0, 0, 100, 100), rect(200, 0, 100, 100)], crs=WORK)
    r = occupancy(pick_cluster(parts), lots_frame((rect(200, 0, 50, 100), "allocated")))
    assert r.cluster_ha == pytest.approx(2.0)
    assert r.occupancy_pct == pytest.approx(25.0)


def test_lots_of_cluster_uses_cluster_id_and_location_for_blank_ids() -> None:
    cluster = pick_cluster(two_clusters().rename(columns={"id": "cluster_id"}), "ccn_pho_rang")
    lots = lots_frame(
        (rect(0, 0, 10, 10), "allocated"),
        (rect(1000, 0, 10, 10), "allocated"),
        (rect(20, 0, 10, 10), "allocated"),
        (rect(1020, 0, 10, 10), "allocated"),
    )
    lots["cluster_id"] = ["ccn_pho_rang", "ccn_bao_ha", None, None]
    assert lots_of_cluster(lots, cluster)["id"].tolist() == ["L1", "L3"]


# --- series, what-if, table ---------------------------------------------------------------------------------------


def test_series_steps_at_lease_dates_and_matches_as_of() -> None:
    lots = lots_frame(
        (rect(0, 0, 100, 100), "operating", "2021-03-01"),
        (rect(50, 0, 100, 100), "building", "2022-06-15"),  # overlaps the first by 0.5 ha
        (rect(200, 0, 100, 100), "allocated", "2023-01-10"),
        (rect(300, 0, 100, 100), "vacant", "2022-01-01"),
        (rect(0, 200, 10, 10), "allocated", "2019-12-31"),  # before the start
    )
    series = occupancy_series(cluster_frame(), lots, start=dt.date(2021, 1, 1), end=dt.date(2024, 1, 1))
    assert series["date"].dt.date.tolist() == [
        dt.date(2021, 1, 1),
        dt.date(2021, 3, 1),
        dt.date(2022, 6, 15),
        dt.date(2023, 1, 10),
        dt.date(2024, 1, 1),
    ]
    assert series["occupied_ha"].tolist() == pytest.approx([0.01, 1.01, 1.51, 2.51, 2.51])
    assert series["lots"].tolist() == [1, 2, 3, 4, 4]
    for day, pct in zip(series["date"].dt.date, series["occupancy_pct"], strict=True):
        assert occupancy(cluster_frame(), lots, as_of=day).occupancy_pct == pytest.approx(pct)


def test_what_if_adds_relocated_area_up_to_the_free_land() -> None:
    base = occupancy(cluster_frame(), lots_frame((rect(0, 0, 300, 100), "operating")))  # 3 of 10 ha
    w = what_if(base, added_area_ha=2.5)
    assert w.projected_occupied_ha == pytest.approx(5.5)
    assert w.projected_pct == pytest.approx(55.0)
    assert w.meets_target and not w.meets_expansion
    assert w.gap_ha == 0.0
    full = what_if(base, added_area_ha=9.0)
    assert full.placed_ha == pytest.approx(7.0) and full.unplaced_ha == pytest.approx(2.0)
    assert full.projected_pct == pytest.approx(100.0)
    assert what_if(base, added_area_ha=0).projected_pct == pytest.approx(base.occupancy_pct)
    with pytest.raises(InputDataError):
        what_if(base, added_area_ha=-1)


def test_lots_table_has_canonical_status_dates_and_areas() -> None:
    lots = lots_frame((bow_tie(0, 0, 100), "ĐÃ CHO THUÊ", "02/03/2023"), (rect(0, 200, 50, 20), "trống"))
    table = lots_table(lots)
    assert table["status"].tolist() == ["allocated", "vacant"]
    assert table["leased_on"].tolist()[0] == dt.date(2023, 3, 2)
    assert table["area_ha"].tolist() == pytest.approx([0.5, 0.1])


def test_every_notice_reads_in_both_languages() -> None:
    lots = lots_frame(
        (bow_tie(0, 0, 100), "allocated", None),
        (rect(-50, 0, 100, 100), "allocated", "2020-01-01"),
        (rect(-50, 0, 100, 100), "allocated", "2020-01-01"),
        (None, "vacant"),
    )
    r = occupancy(cluster_frame(), lots, as_of=dt.date(2024, 1, 1))
    codes = {n.code for n in r.notices}
    assert {"gross_basis", "repaired", "no_geometry", "outside", "overlap", "undated"} <= codes
    for n in r.notices:
        assert n.text("vi") and n.text("en") and n.text("vi") != n.text("en")
    assert Notice("no_lots").text("vi").startswith("lớp lô đất trống")


# --- properties ---------------------------------------------------------------------------------------------------

lot_boxes = st.tuples(
    st.integers(-50, 420), st.integers(-50, 270), st.integers(1, 150), st.integers(1, 150), st.sampled_from(STATUSES)
)


def frame_of(boxes: list[tuple[int, int, int, int, str]]) -> gpd.GeoDataFrame:
    return lots_frame(*[(rect(x, y, w, h), s) for x, y, w, h, s in boxes]) if boxes else empty_lots()


zonings = st.sampled_from([None, "half", "numeric"])


def measure(boxes: list[tuple[int, int, int, int, str]], basis: str | None) -> float:
    if basis == "half":
        zoning = zoning_frame((rect(0, 0, 200, 250), "industrial"), (rect(200, 0, 200, 250), "green"))
        return occupancy(cluster_frame(), frame_of(boxes), zoning=zoning).occupancy_pct
    if basis == "numeric":
        return occupancy(cluster_frame(), frame_of(boxes), leasable_ha=3.0).occupancy_pct
    return occupancy(cluster_frame(), frame_of(boxes)).occupancy_pct


PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.lists(lot_boxes, max_size=12), zonings)
def test_occupancy_is_between_0_and_100(boxes: list[tuple[int, int, int, int, str]], basis: str | None) -> None:
    assert 0.0 <= measure(boxes, basis) <= 100.0


@PROPS
@given(st.lists(lot_boxes, max_size=10), lot_boxes, st.sampled_from(["allocated", "building", "operating"]), zonings)
def test_adding_an_occupied_lot_never_lowers_occupancy(
    boxes: list[tuple[int, int, int, int, str]], extra: tuple[int, int, int, int, str], status: str, basis: str | None
) -> None:
    before = measure(boxes, basis)
    after = measure([*boxes, (*extra[:4], status)], basis)
    assert after >= before - 1e-9


@PROPS
@given(st.lists(lot_boxes, min_size=1, max_size=10), st.data(), zonings)
def test_duplicating_a_lot_never_changes_occupancy(
    boxes: list[tuple[int, int, int, int, str]], data: st.DataObject, basis: str | None
) -> None:
    i = data.draw(st.integers(0, len(boxes) - 1))
    assert measure([*boxes, boxes[i]], basis) == pytest.approx(measure(boxes, basis), abs=1e-9)


@PROPS
@given(st.lists(lot_boxes, min_size=1, max_size=10), st.floats(0, 90))
def test_turning_the_whole_scene_never_changes_occupancy(
    boxes: list[tuple[int, int, int, int, str]], angle: float
) -> None:
    lots = frame_of(boxes)
    plain = occupancy(cluster_frame(), lots)
    turned_lots = lots.copy()
    turned_lots.geometry = lots.geometry.rotate(angle, origin=(X0, Y0))
    turned_cluster = cluster_frame(affinity.rotate(rect(0, 0, 400, 250), angle, origin=(X0, Y0)))
    turned = occupancy(turned_cluster, turned_lots)
    assert turned.occupancy_pct == pytest.approx(plain.occupancy_pct, abs=1e-6)
    assert turned.overlap_ha == pytest.approx(plain.overlap_ha, abs=1e-8)
    assert turned.outside_ha == pytest.approx(plain.outside_ha, abs=1e-8)


def test_overlap_equals_an_independent_grid_count() -> None:
    """Overlap and union areas against counting 1 m cells covered by the integer rectangles."""
    rng = np.random.default_rng(7)
    boxes = [
        (int(x), int(y), int(w), int(h)) for x, y, w, h in rng.integers(0, 60, size=(15, 4)) + np.array([0, 0, 1, 1])
    ]
    cover = np.zeros((130, 130), dtype=int)
    for x, y, w, h in boxes:
        cover[y : y + h, x : x + w] += 1
    r = occupancy(cluster_frame(), frame_of([(*b, "allocated") for b in boxes]))
    assert r.occupied_ha == pytest.approx((cover >= 1).sum() / HA, abs=1e-9)
    assert r.overlap_ha == pytest.approx((cover >= 2).sum() / HA, abs=1e-9)


def test_store_boundary_parts_share_a_cluster_id() -> None:
    parts = gpd.GeoDataFrame(
        {"id": ["b1", "b2", "b3"], "cluster_id": ["ccn_pho_rang", "ccn_pho_rang", "ccn_bao_ha"]},
        geometry=[rect(0, 0, 100, 100), rect(100, 0, 100, 100), rect(1000, 0, 100, 100)],
        crs=WORK,
    )
    with pytest.raises(InputDataError, match="ccn_pho_rang, ccn_bao_ha"):
        pick_cluster(parts)
    one = pick_cluster(parts, "ccn_pho_rang")
    assert one["id"].tolist() == ["b1", "b2"]
    assert occupancy(one, empty_lots()).cluster_ha == pytest.approx(2.0)
    assert pick_cluster(parts, "b3")["cluster_id"].tolist() == ["ccn_bao_ha"]


def test_boundary_without_ids_is_one_cluster_in_parts() -> None:
    parts = gpd.GeoDataFrame(geometry=[rect(0, 0, 100, 100), rect(300, 0, 100, 100)], crs=WORK)
    assert len(pick_cluster(parts)) == 2
    with pytest.raises(InputDataError, match="no `id` field"):
        pick_cluster(parts, "x")


def test_lot_whose_ring_runs_back_on_itself_is_repaired_to_a_valid_area() -> None:
    # GEOS 3.14's make_valid(structure) returns an invalid MultiPolygon for this ring; geo.geometry.repair
    # gives it a second pass. 100 m grid: the lot covers 1.5 ha.
    ring = shapely.Polygon([(0, 100), (100, 0), (0, 300), (0, 100), (100, 0), (0, 0)])
    ring = affinity.translate(ring, 470_000, 2_460_000)
    cluster = gpd.GeoDataFrame(
        {"id": ["c"]}, geometry=[shapely.box(470_000, 2_460_000, 470_400, 2_460_400)], crs="EPSG:9208"
    )
    lots = gpd.GeoDataFrame({"status": ["operating"]}, geometry=[ring], crs="EPSG:9208")
    r = occupancy(cluster, lots)
    assert r.repaired == 1
    assert r.occupied_ha == pytest.approx(1.5)


# --- issue 15: the separating-edge test that replaced GEOS' coverage validator -------------------------------


def _random_lots(rng: np.random.Generator, n: int) -> np.ndarray:
    """Rotated rectangles, L-shapes, triangles, lots with a hole and two-part lots, many overlapping."""
    from geo.geometry import repair

    c = rng.uniform(0, 600, (n, 2))
    w, h = rng.uniform(5, 60, n), rng.uniform(5, 60, n)
    boxes = shapely.box(c[:, 0], c[:, 1], c[:, 0] + w, c[:, 1] + h)
    geoms = np.array([affinity.rotate(g, a) for g, a in zip(boxes, rng.uniform(0, 90, n), strict=True)], dtype=object)
    for kind, idx in enumerate(np.array_split(rng.permutation(n)[: n // 2], 4)):
        for i in idx:
            x, y = c[i]
            geoms[i] = (
                shapely.Polygon(
                    [(x, y), (x + 40, y), (x + 40, y + 10), (x + 10, y + 10), (x + 10, y + 40), (x, y + 40)]
                ),
                shapely.Polygon([(x, y), (x + 30, y + 3), (x + 5, y + 30)]),
                shapely.box(x, y, x + 50, y + 50).difference(shapely.box(x + 10, y + 10, x + 20, y + 20)),
                shapely.MultiPolygon([shapely.box(x, y, x + 9, y + 9), shapely.box(x + 20, y, x + 29, y + 9)]),
            )[kind]
    # a tessellation whose neighbours share edges exactly, turned: touching, never overlapping
    grid = [shapely.box(700 + 20 * i, 20 * j, 720 + 20 * i, 20 * j + 20) for i in range(10) for j in range(10)]
    turned = shapely.get_parts(affinity.rotate(shapely.GeometryCollection(grid), 30, origin=(700, 0)))
    return repair(np.concatenate([geoms, turned]))[0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_lots_proved_apart_never_overlap(seed: int) -> None:
    from analysis.occupancy import _proved_apart

    geoms = _random_lots(np.random.default_rng(seed), 400)
    a, b = shapely.STRtree(geoms).query(geoms)
    a, b = a[a < b], b[a < b]
    apart = _proved_apart(geoms, a, b)
    assert apart.sum() > len(a) // 4  # it decides many pairs, touching neighbours of the turned grid among them
    assert (shapely.area(shapely.intersection(geoms[a[apart]], geoms[b[apart]])) == 0.0).all()


@pytest.mark.parametrize("seed", [4, 5])
def test_overlapping_lots_are_the_pairs_whose_intersection_has_area(seed: int) -> None:
    from analysis.occupancy import _find_overlaps

    geoms = _random_lots(np.random.default_rng(seed), 400)
    found = _find_overlaps(geoms)
    a, b = shapely.STRtree(geoms).query(geoms)
    a, b = a[a < b], b[a < b]
    real = shapely.area(shapely.intersection(geoms[a], geoms[b])) > 0.0
    assert set(zip(found.first.tolist(), found.second.tolist(), strict=True)) == set(
        zip(a[real].tolist(), b[real].tolist(), strict=True)
    )
    involved = np.zeros(len(geoms), dtype=bool)
    involved[a[real]] = involved[b[real]] = True
    assert (found.involved == involved).all()

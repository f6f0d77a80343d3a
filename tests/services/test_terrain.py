"""Terrain use cases: a stored DEM with its versions, slope files, zonal rows, candidate sites, the Decree 32 gate."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely

from analysis.siting import Criteria, Criterion
from geo.raster import Raster, write_geotiff
from layers.store import VersionConflictError, open_store
from services.terrain import (
    decree32,
    dem_from,
    dem_versions,
    import_dem,
    raster_dir,
    save_sites,
    siting,
    write_slope,
    zonal,
)
from tests.conftest import signed
from tests.terrain_data import X0, Y0, jacksboro, plane

ANA = "ana"


def basin() -> Raster:
    """A flat 600 × 600 m floor (60 × 60 cells of 10 m) inside walls rising 1 m per m: one site of known size."""
    n, res = 100, 10.0
    i, j = np.mgrid[0:n, 0:n]
    out_i = np.clip(np.abs(i - 49.5) - 30, 0, None)
    out_j = np.clip(np.abs(j - 49.5) - 30, 0, None)
    return plane(0, 0, n=n, res=res).with_data(300.0 + np.hypot(out_i, out_j) * res, "basin")


def test_a_stored_dem_is_versioned_beside_the_store(store_copy: Path, tmp_path: Path) -> None:
    store = open_store(store_copy)
    src = write_geotiff(jacksboro(), tmp_path / "j.tif")
    first = import_dem(store, src, actor=signed(store, ANA), base_version=0)
    assert first.version == 1 and first.path.parent == raster_dir(store) and first.path.is_file()
    with pytest.raises(VersionConflictError):
        import_dem(store, src, actor=signed(store, "binh"), base_version=0)
    second = import_dem(store, src, actor=signed(store, "binh"), base_version=1)
    assert [v["user"] for v in dem_versions(store)] == ["ana", "binh"] and second.path.name == "dem_v2.tif"
    dem = dem_from(store, "stored")
    assert dem.shape == (344, 403) and dem.transform == jacksboro().transform
    out = write_slope(dem, tmp_path / "slope.tif")
    with rasterio.open(out) as ds:
        assert ds.crs.to_epsg() == 9208 and ds.transform == dem.transform


def test_zonal_rows(tmp_path: Path) -> None:
    zones = gpd.GeoDataFrame({"id": ["z"]}, geometry=[shapely.box(X0 + 50, Y0 + 50, X0 + 250, Y0 + 250)], crs=9208)
    rows = zonal(plane(0.1, 0.0), zones, max_slope_pct=15).to_dict()["rows"]
    assert rows[0]["id"] == "z" and rows[0]["slope_mean_pct"] == pytest.approx(10.0)
    assert rows[0]["share_below_pct"] == pytest.approx(100.0) and rows[0]["area_ha"] == pytest.approx(4.0)


def test_siting_finds_the_flat_floor_and_respects_exclusions(store_copy: Path) -> None:
    dem = basin()
    criteria = Criteria(
        max_slope_pct=Criterion("max_slope_pct", 5.0, "%"),
        max_road_m=None,
        min_river_m=None,
        min_area_ha=Criterion("min_area_ha", 20.0, "ha"),
    )
    found = siting(dem, criteria=criteria)
    assert len(found.sites) == 1
    site = found.sites.iloc[0]
    assert site["rank"] == 1 and site["geom_quality"] == "derived"
    # the 36 ha floor less its rim: Horn's 3 × 3 window sees the wall from the 58 × 58 cells' border ring
    assert site["area_ha"] == pytest.approx(58 * 58 * 100 / 10_000)
    assert site["slope_mean_pct"] < 5.0
    half = gpd.GeoDataFrame(geometry=[shapely.box(*dem.bounds[:2], dem.bounds[0] + 500, dem.bounds[3])], crs=9208)
    assert siting(dem, criteria=criteria, exclusions=(half,)).sites.empty  # what is left is under 20 ha
    store = open_store(store_copy)
    saved = save_sites(store, found, actor=signed(store, ANA), base_version=0)
    assert saved.version == 1 and open_store(store_copy).read_layer("candidate_sites")["geom_quality"].tolist() == [
        "derived"
    ]


def test_decree32_says_no_data_for_clusters_without_lots(store_copy: Path) -> None:
    store = open_store(store_copy)
    gate = decree32(store)
    assert [c.cluster_id for c in gate.clusters] == ["ccn_pho_rang"]
    assert gate.clusters[0].occupancy_pct is None and gate.new_cluster_allowed is None
    out = gate.to_dict("en")
    assert out["average_pct"] is None and out["clusters"][0]["occupancy_pct"] is None  # never 0 %


def test_decree32_with_a_measured_cluster(store_copy: Path) -> None:
    store = open_store(store_copy)
    point = store.read_layer("clusters", crs=9208).set_index("id").loc["ccn_pho_rang", "geometry"]
    x, y = point.x, point.y
    boundary = gpd.GeoDataFrame(
        {"id": ["b"], "cluster_id": ["ccn_pho_rang"]}, geometry=[shapely.box(x, y, x + 500, y + 400)], crs=9208
    )
    lots = gpd.GeoDataFrame(
        {"id": ["l1"], "cluster_id": ["ccn_pho_rang"], "status": ["operating"]},
        geometry=[shapely.box(x, y, x + 500, y + 280)],
        crs=9208,
    )
    store.write_layer("cluster_boundaries", boundary, user="t")
    store.write_layer("cluster_lots", lots, user="t")
    gate = decree32(store, expand="ccn_pho_rang", by_ha=50)
    assert gate.clusters[0].occupancy_pct == pytest.approx(70.0)  # gross basis: 14 of 20 ha
    assert gate.new_cluster_allowed is True and gate.unleased_ha == pytest.approx(6.0)
    assert gate.expansion_allowed is True  # 70 % ≥ 60 %, 20 + 50 = 70 ha ≤ 75 ha
    assert decree32(store, expand="ccn_pho_rang", by_ha=60).expansion_allowed is False  # 80 ha > 75 ha


def test_the_report_has_the_gate_and_the_kept_sites(store_copy: Path) -> None:
    import io

    from docx import Document
    from openpyxl import load_workbook

    from services.targets import build_report

    store = open_store(store_copy)
    criteria = Criteria(max_slope_pct=Criterion("max_slope_pct", 5.0, "%"), max_road_m=None, min_river_m=None)
    save_sites(store, siting(basin(), criteria=criteria), actor=signed(store, ANA), base_version=0)
    doc = Document(io.BytesIO(build_report(store, "2026").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "VII. ĐỊA ĐIỂM ỨNG VIÊN VÀ ĐIỀU KIỆN THEO NGHỊ ĐỊNH 32/2024/NĐ-CP" in text
    assert "Được thành lập cụm công nghiệp mới: chưa đủ số liệu." in text  # no lots yet: no verdict, never 0 %
    assert "Phụ lục: các địa điểm ứng viên" in text and len(doc.inline_shapes) == 2  # the map and the sites annex
    sites = next(t for t in doc.tables if t.rows[0].cells[0].text == "Hạng")
    assert sites.rows[1].cells[2].text == "33,64"  # the basin's floor, in Vietnamese numbers
    wb = load_workbook(io.BytesIO(build_report(store, "2026", fmt="xlsx").data))
    assert {"NĐ 32", "Địa điểm"} <= set(wb.sheetnames)

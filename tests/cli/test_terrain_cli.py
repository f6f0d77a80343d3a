"""`baoyen dem`, `siting`, `decree32`: JSON contracts, files written on the DEM's grid, one-line failures."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import rasterio
import shapely

import cli
from geo.raster import write_geotiff
from tests.terrain_data import X0, Y0, jacksboro


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture()
def dem_file(tmp_path: Path) -> Path:
    return write_geotiff(jacksboro(), tmp_path / "j.tif")


def test_dem_import_slope_zonal(
    store_copy: Path, dem_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(store_copy)
    status, out, _ = run(capsys, "dem", "import", str(dem_file), "--store", store, "--json")
    assert status == 0 and json.loads(out)["version"] == 1
    status, out, _ = run(capsys, "dem", "slope", "--store", store, "-o", str(tmp_path / "s.tif"), "--json")
    assert status == 0
    with rasterio.open(tmp_path / "s.tif") as ds:
        assert ds.crs.to_epsg() == 9208 and (ds.height, ds.width) == (344, 403)
    zones = tmp_path / "z.geojson"
    gpd.GeoDataFrame(
        {"ma": ["a"]}, geometry=[shapely.box(X0 + 1000, Y0 - 3000, X0 + 3000, Y0 - 1000)], crs=9208
    ).to_file(zones, driver="GeoJSON")
    status, out, _ = run(
        capsys,
        "dem",
        "zonal",
        "--store",
        store,
        "--zones",
        str(zones),
        "--id-field",
        "ma",
        "--max-slope-pct",
        "20",
        "--json",
    )
    row = json.loads(out)["rows"][0]
    assert status == 0 and row["id"] == "a" and row["area_ha"] == pytest.approx(400.0)
    assert set(row) >= {"id", "area_ha", "elev_min", "elev_mean", "elev_max", "slope_mean_pct", "share_below_pct"}
    assert 236 <= row["elev_min"] <= row["elev_mean"] <= row["elev_max"] <= 1076


def test_siting_and_decree32_json(store_copy: Path, dem_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(store_copy)
    status, out, _ = run(capsys, "siting", "--dem", str(dem_file), "--store", store, "--min-ha", "5", "--json")
    result = json.loads(out)
    assert status == 0 and result["candidates"]
    first = result["candidates"][0]
    assert first["rank"] == 1 and first["area_ha"] >= 5 and first["geom_quality"] == "derived"
    assert {c["key"] for c in result["criteria"]} >= {"max_slope_pct", "min_area_ha"}
    assert any("--min-ha" in c["source"] for c in result["criteria"])  # a value the planner gave says so
    status, out, _ = run(capsys, "decree32", "--store", store, "--json")
    gate = json.loads(out)
    assert status == 0 and gate["new_cluster_allowed"] is None and gate["clusters"][0]["occupancy_pct"] is None


def test_failures_are_one_line(store_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tif"
    bad.write_text("not a raster")
    for argv in (
        ["dem", "import", str(bad)],
        ["dem", "slope", "-o", str(tmp_path / "x.tif")],  # no DEM stored yet
        ["decree32", "--by-ha", "5"],
    ):
        status, out, err = run(capsys, *argv, "--store", str(store_copy))
        assert status != 0 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err

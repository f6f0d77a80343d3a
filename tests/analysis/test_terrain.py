"""Slope, aspect and hillshade against analytic surfaces and gdaldem; zonal statistics against exact answers and
rasterstats."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely

from analysis.terrain import aspect, hillshade, slope, zonal_stats
from geo.raster import write_geotiff
from tests.terrain_data import X0, Y0, cone, jacksboro, plane


@pytest.mark.parametrize(("a", "b"), [(0.1, 0.0), (0.0, -0.25), (0.3, 0.4), (1.0, 1.0)])
def test_planes_have_their_analytic_slope(a: float, b: float) -> None:
    dem = plane(a, b)
    pct = slope(dem).data
    inner = pct[1:-1, 1:-1]
    assert np.isnan(pct[0]).all() and np.isnan(pct[:, -1]).all()  # the border, as gdaldem without -compute_edges
    assert inner == pytest.approx(np.full(inner.shape, 100 * np.hypot(a, b)), rel=1e-9)
    deg = slope(dem, units="degrees").data[1:-1, 1:-1]
    assert deg == pytest.approx(np.full(deg.shape, np.degrees(np.arctan(np.hypot(a, b)))), rel=1e-9)


def test_aspect_points_downhill() -> None:
    # rising to the east: the slope faces west (270°); rising to the north: it faces south (180°)
    assert aspect(plane(0.2, 0.0)).data[5, 5] == pytest.approx(270.0)
    assert aspect(plane(0.0, 0.2)).data[5, 5] == pytest.approx(180.0)
    assert np.isnan(aspect(plane(0.0, 0.0)).data[5, 5])  # flat


def test_a_cone_has_its_slope_away_from_the_apex() -> None:
    dem = cone(0.35)
    pct = slope(dem).data
    n = pct.shape[0]
    i, j = np.mgrid[0:n, 0:n]
    ring = (np.hypot(i - n // 2, j - n // 2) > 8) & np.isfinite(pct)
    # Horn's 3 × 3 differences on a cone are exact up to the curvature of the contours: within 1 % beyond 8 cells
    assert np.abs(pct[ring] / 35.0 - 1).max() < 0.01


@pytest.fixture(scope="module")
def jacksboro_tif(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dem") / "jacksboro.tif"
    write_geotiff(jacksboro(), path, cog=False)
    return path


def _gdaldem(args: list[str]) -> None:
    if shutil.which("gdaldem") is None:
        if os.environ.get("CI"):
            pytest.fail("gdaldem (Debian gdal-bin) is missing: .ci/run must install it")
        pytest.skip("gdaldem not installed (Debian package gdal-bin)")
    subprocess.run(["gdaldem", *args, "-q"], check=True, capture_output=True)


@pytest.mark.parametrize("units", ["percent", "degrees"])
def test_slope_equals_gdaldem_on_a_real_dem(jacksboro_tif: Path, tmp_path: Path, units: str) -> None:
    out = tmp_path / "slope.tif"
    _gdaldem(["slope", str(jacksboro_tif), str(out), *(["-p"] if units == "percent" else [])])
    with rasterio.open(out) as ds:
        theirs = ds.read(1, masked=True).filled(np.nan).astype("float64")
    with rasterio.open(jacksboro_tif) as ds:
        dem = jacksboro().with_data(ds.read(1).astype("float64"))  # the same float32 values gdaldem read
    ours = slope(dem, units=units).data
    assert (np.isfinite(ours) == np.isfinite(theirs)).all()
    both = np.isfinite(ours) & (theirs > 0.5)
    assert both.sum() > 100_000
    assert np.abs(ours[both] / theirs[both] - 1).max() < 1e-4  # within 0.01 %


def test_hillshade_and_aspect_equal_gdaldem(jacksboro_tif: Path, tmp_path: Path) -> None:
    with rasterio.open(jacksboro_tif) as ds:
        dem = jacksboro().with_data(ds.read(1).astype("float64"))
    _gdaldem(["hillshade", str(jacksboro_tif), str(tmp_path / "h.tif")])
    with rasterio.open(tmp_path / "h.tif") as ds:
        theirs = ds.read(1).astype("float64")
    ours = hillshade(dem).data
    inner = np.isfinite(ours)
    assert np.abs(np.round(ours[inner]) - theirs[inner]).max() <= 1.0  # gdaldem writes bytes
    _gdaldem(["aspect", str(jacksboro_tif), str(tmp_path / "a.tif")])
    with rasterio.open(tmp_path / "a.tif") as ds:
        their_aspect = ds.read(1, masked=True).filled(np.nan).astype("float64")
    ours_a = aspect(dem).data
    both = np.isfinite(ours_a) & np.isfinite(their_aspect)
    diff = np.abs((ours_a[both] - their_aspect[both] + 180) % 360 - 180)
    assert diff.max() < 1e-3


def _boxes() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["a", "b"]},
        geometry=[
            shapely.box(X0 + 20, Y0 + 20, X0 + 220, Y0 + 120),
            shapely.box(X0 + 105, Y0 + 105, X0 + 135, Y0 + 125),
        ],
        crs="EPSG:9208",
    )


def test_zonal_statistics_are_exact_on_a_plane() -> None:
    dem = plane(0.2, 0.0)  # z = 200 + 0.2·x: mean over a box = value at its centre, slope 20 % everywhere
    rows = zonal_stats(dem, _boxes(), id_field="code", max_slope_pct=25.0)
    a, b = rows
    assert (a.id, b.id) == ("a", "b")
    assert a.area_ha == pytest.approx(2.0) and b.area_ha == pytest.approx(0.06)
    assert a.elev_mean == pytest.approx(200 + 0.2 * 120, abs=1e-6)  # x from 20 to 220 m inside the grid
    assert b.elev_mean == pytest.approx(200 + 0.2 * 120, abs=1e-6)  # a box of a few cells, partly covered
    assert a.slope_mean_pct == pytest.approx(20.0) and a.share_below_pct == pytest.approx(100.0)
    assert zonal_stats(dem, _boxes(), max_slope_pct=10.0)[0].share_below_pct == pytest.approx(0.0)
    assert a.covered_pct == pytest.approx(100.0)


def test_zonal_agrees_with_rasterstats_on_the_real_dem(jacksboro_tif: Path) -> None:
    from rasterstats import zonal_stats as rs_zonal

    dem = jacksboro()
    rng = np.random.default_rng(7)
    zones = gpd.GeoDataFrame(
        geometry=[
            shapely.Point(X0 + x, Y0 - y).buffer(r)
            for x, y, r in zip(
                rng.uniform(1500, 10500, 40), rng.uniform(1500, 8800, 40), rng.uniform(300, 900, 40), strict=True
            )
        ],
        crs="EPSG:9208",
    )
    ours = zonal_stats(dem, zones)
    theirs = rs_zonal(zones.geometry, str(jacksboro_tif), stats=["mean"], nodata=float("nan"))
    for o, t in zip(ours, theirs, strict=True):
        assert o.elev_mean == pytest.approx(t["mean"], rel=0.005)

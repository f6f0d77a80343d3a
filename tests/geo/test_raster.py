"""Reading a planner's DEM: any CRS onto the EPSG:9208 grid, and one clear error for a hostile or broken raster."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine
from pyproj import Transformer

from geo.errors import CRSError, DataSourceError, UnsafeInputError
from geo.raster import read_dem, write_geotiff
from services.messages import describe
from tests.terrain_data import X0, Y0, jacksboro, plane


def _write(path: Path, data: np.ndarray, transform: Affine, crs: object, nodata: float | None = None) -> Path:
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=data.shape[1],
        height=data.shape[0],
        count=1,
        dtype=data.dtype,
        crs=crs,
        transform=transform,
        nodata=nodata,
    ) as ds:
        ds.write(data, 1)
    return path


def test_a_dem_in_9208_keeps_its_grid_exactly(tmp_path: Path) -> None:
    dem = jacksboro()
    path = write_geotiff(dem, tmp_path / "j.tif")
    back, report = read_dem(path)
    assert not report.warped and back.transform == dem.transform and back.shape == dem.shape
    assert np.allclose(back.data, dem.data.astype("float32"))
    assert (report.elev_min, report.elev_max) == (236.0, 1076.0)


def test_a_dem_in_degrees_is_warped_to_9208(tmp_path: Path) -> None:
    lon, lat = Transformer.from_crs(9208, 4326, always_xy=True).transform(X0, Y0)
    step = 0.0003  # about 30 m
    z = np.linspace(100, 500, 100 * 120, dtype="float32").reshape(100, 120)
    path = _write(tmp_path / "ll.tif", z, Affine(step, 0, lon, 0, -step, lat), "EPSG:4326")
    dem, report = read_dem(path)
    assert report.warped and dem.crs.to_epsg() == 9208
    assert 25 < dem.res[0] < 40  # about its own resolution, in metres
    assert np.nanmin(dem.data) >= 99.9 and np.nanmax(dem.data) <= 500.1


def test_no_crs_asks_with_a_guess_then_an_assumed_crs_is_used(tmp_path: Path) -> None:
    z = np.full((10, 10), 300.0, dtype="float32")
    path = _write(tmp_path / "nocrs.tif", z, Affine(30, 0, X0, 0, -30, Y0), None)
    with pytest.raises(CRSError) as asked:
        read_dem(path)
    assert asked.value.code == "crs.missing" and asked.value.params["guess"] == 9208
    assert "hệ tọa độ" in describe(asked.value, "vi")
    dem, report = read_dem(path, crs="EPSG:9208")
    assert report.crs_source == "given" and dem.shape == (10, 10)


def test_hostile_and_broken_rasters_get_one_clear_error(tmp_path: Path) -> None:
    good = write_geotiff(plane(0.1, 0.1), tmp_path / "good.tif", cog=False)
    truncated = tmp_path / "cut.tif"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = tmp_path / "not.tif"
    text.write_text("id,x,y\n1,2,3\n")
    for path in (truncated, text):
        with pytest.raises(DataSourceError) as refused:
            read_dem(path)
        assert refused.value.code in ("raster.unreadable", "raster.truncated")
    with pytest.raises(UnsafeInputError) as huge:
        read_dem(good, max_cells=100)
    assert huge.value.code == "raster.too_large"


def test_an_undeclared_nodata_value_is_not_read_as_elevation(tmp_path: Path) -> None:
    z = np.full((20, 20), 450.0, dtype="float32")
    z[:5] = -32768  # a no-data value the file does not declare
    dem, report = read_dem(_write(tmp_path / "nd.tif", z, Affine(30, 0, X0, 0, -30, Y0), "EPSG:9208"))
    assert np.isnan(dem.data[:5]).all() and report.elev_min == 450.0
    assert any("no elevation" in w for w in report.warnings)


def test_a_dem_outside_vietnam_is_refused(tmp_path: Path) -> None:
    z = np.full((10, 10), 300.0, dtype="float32")
    path = _write(tmp_path / "far.tif", z, Affine(30, 0, 500000, 0, -30, 5_000_000), "EPSG:32633")
    with pytest.raises(CRSError) as far:
        read_dem(path)
    assert far.value.code == "raster.outside_vietnam"

"""Test DEMs built in code: analytic surfaces for exact answers, and matplotlib's real USGS DEM on a 9208 grid.

matplotlib's wheel ships ``jacksboro_fault_dem.npz`` (USGS, 344 × 403 cells, 236–1076 m, ~30 m cells); the tests
place it on an EPSG:9208 grid near Bảo Yên (its own coordinates are not Vietnamese: only its shape is used).
"""

from __future__ import annotations

import numpy as np
from affine import Affine
from pyproj import CRS

from geo.raster import Raster

X0, Y0 = 470_000.0, 2_480_000.0  # EPSG:9208, Bảo Yên


def plane(a: float, b: float, *, n: int = 40, res: float = 10.0) -> Raster:
    """z = a·x + b·y (x east, y north, metres): slope 100·√(a² + b²) % everywhere."""
    cols = np.arange(n) * res + res / 2
    rows = np.arange(n) * res + res / 2
    x, y_down = np.meshgrid(cols, rows)
    y = (n * res) - y_down  # rows go south
    z = 200.0 + a * x + b * y
    return Raster(z, Affine(res, 0, X0, 0, -res, Y0 + n * res), CRS.from_epsg(9208), "plane")


def cone(k: float, *, n: int = 81, res: float = 10.0) -> Raster:
    """z = 1000 − k·r around the centre: slope 100·k % away from the apex."""
    c = (n - 1) / 2
    i, j = np.mgrid[0:n, 0:n]
    r = np.hypot((i - c) * res, (j - c) * res)
    return Raster(1000.0 - k * r, Affine(res, 0, X0, 0, -res, Y0 + n * res), CRS.from_epsg(9208), "cone")


def jacksboro() -> Raster:
    """matplotlib's real DEM placed on a 30 m EPSG:9208 grid."""
    import matplotlib.cbook as cbook

    data = cbook.get_sample_data("jacksboro_fault_dem.npz")
    z = np.asarray(data["elevation"], dtype="float64")
    return Raster(z, Affine(30.0, 0, X0, 0, -30.0, Y0), CRS.from_epsg(9208), "jacksboro_fault_dem")

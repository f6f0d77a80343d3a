"""Benchmark: zonal statistics (exactextract) against rasterstats, slope against gdaldem, and siting end to end.

Run: ``.venv/bin/python bench/bench_terrain.py [--size 5000] [--polygons 20000] [--baseline-polygons 2000]``

The DEM is synthetic (a sum of smooth hills and valleys, fixed seed) on a 10 m EPSG:9208 grid near Bảo Yên; the
polygons are random 2–8 ha hexagons inside it. Both zonal methods get the same GeoTIFF and polygons; rasterstats
is timed on ``--baseline-polygons`` of them (it is the slow side) and its rate compared; the mean elevations of
the polygons both measured must agree within 0.5 %. The slope is compared with ``gdaldem slope -p`` run on the
same file in the same run (skipped with a note when gdaldem is not installed).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from pyproj import CRS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.siting import Criteria, Criterion, find_sites
from analysis.terrain import slope, zonal_stats
from geo.raster import Raster, write_geotiff

X0, Y0, RES = 460_000.0, 2_500_000.0, 10.0


def make_dem(size: int, seed: int = 2025) -> Raster:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:size, 0:size].astype("float64") / size
    z = 400.0 + 150.0 * x
    for _ in range(25):
        cx, cy, r, h = rng.uniform(0, 1), rng.uniform(0, 1), rng.uniform(0.03, 0.2), rng.uniform(-120, 300)
        z += h * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
    return Raster(z, Affine(RES, 0, X0, 0, -RES, Y0 + size * RES), CRS.from_epsg(9208), "synthetic")


def make_polygons(n: int, size: int, seed: int = 7) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    extent = size * RES
    r = np.sqrt(rng.uniform(2, 8, n) * 10_000 / 2.6)  # hexagon area ≈ 2.6 r²
    cx = X0 + rng.uniform(200, extent - 200, n)
    cy = Y0 + rng.uniform(200, extent - 200, n)
    angles = np.linspace(0, 2 * np.pi, 7)[:-1]
    rings = np.stack([cx[:, None] + r[:, None] * np.cos(angles), cy[:, None] + r[:, None] * np.sin(angles)], axis=-1)
    return gpd.GeoDataFrame({"id": [f"p{i}" for i in range(n)]}, geometry=shapely.polygons(rings), crs=9208)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=5000)
    ap.add_argument("--polygons", type=int, default=20_000)
    ap.add_argument("--baseline-polygons", type=int, default=2_000)
    args = ap.parse_args()
    t0 = time.perf_counter()
    dem = make_dem(args.size)
    print(f"DEM {args.size} × {args.size} cells of {RES:g} m built in {time.perf_counter() - t0:.1f} s")
    zones = make_polygons(args.polygons, args.size)
    with tempfile.TemporaryDirectory() as tmp:
        tif = write_geotiff(dem, Path(tmp) / "dem.tif", cog=False)

        t0 = time.perf_counter()
        pct = slope(dem)
        ours_slope = time.perf_counter() - t0
        print(f"slope (Horn, percent): {ours_slope:.2f} s")
        if shutil.which("gdaldem"):
            t0 = time.perf_counter()
            subprocess.run(["gdaldem", "slope", "-p", "-q", str(tif), str(Path(tmp) / "s.tif")], check=True)
            gdal_slope = time.perf_counter() - t0
            print(f"gdaldem slope -p: {gdal_slope:.2f} s; ratio gdaldem/ours = {gdal_slope / ours_slope:.2f}×")
        else:
            print("gdaldem not installed (Debian gdal-bin): slope baseline skipped")

        t0 = time.perf_counter()
        rows = zonal_stats(dem, zones, id_field="id", max_slope_pct=15.0, slope_pct=pct)
        ours = time.perf_counter() - t0
        print(f"zonal (exactextract, 5 statistics): {len(rows)} polygons in {ours:.2f} s = {len(rows) / ours:,.0f} /s")

        from rasterstats import zonal_stats as rs_zonal

        k = min(args.baseline_polygons, len(zones))
        t0 = time.perf_counter()
        theirs = rs_zonal(zones.geometry.iloc[:k], str(tif), stats=["min", "mean", "max"], nodata=float("nan"))
        base = time.perf_counter() - t0
        print(f"rasterstats (3 statistics): {k} polygons in {base:.2f} s = {k / base:,.0f} /s")
        print(f"ratio (polygons/s, ours ÷ rasterstats): {(len(rows) / ours) / (k / base):.1f}× (target ≥ 3×)")
        rel = max(abs(o.elev_mean / t["mean"] - 1) for o, t in zip(rows[:k], theirs, strict=True))
        print(f"largest difference of mean elevation: {rel * 100:.3f} % (target ≤ 0.5 %)")

        t0 = time.perf_counter()
        found = find_sites(
            dem,
            criteria=Criteria(max_slope_pct=Criterion("max_slope_pct", 8.0, "%"), max_road_m=None, min_river_m=None),
            slope_pct=pct,
        )
        print(
            f"siting (slope ≤ 8 %, ≥ 20 ha): {len(found.sites)} candidates, {found.suitable_ha:,.0f} ha suitable, "
            f"{time.perf_counter() - t0:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: cluster occupancy of 50,000 lots (target ≤ 1 s) against a naive geopandas overlay + dissolve.

Run: ``.venv/bin/python bench/bench_occupancy.py [--lots N] [--runs R]``

The lots are generated in code with a fixed seed: a grid of 20 m × 20 m lots in EPSG:9208 near Phố Ràng,
with 1 % of them shifted so they overlap their neighbours, 0.2 % bow-ties (invalid, repaired with
make_valid), a ring of lots sticking out of the cluster boundary, two road strips that are not leasable,
and random statuses and lease dates. Both methods get the same frames; the baseline computes only the
occupied area (overlay with the leasable land, dissolve, area) while the measure also computes the overlap,
the outside area, the repairs and the per-status areas. The two occupied areas must agree.
"""

from __future__ import annotations

import argparse
import statistics
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.occupancy import OCCUPIED_STATUSES, occupancy
from geo.crs import M2_PER_HA, WORK_CRS

X0, Y0 = 472_000.0, 2_460_000.0  # EPSG:9208, near Phố Ràng
SIDE_M = 20.0


def make_inputs(
    n_lots: int, *, seed: int = 2021, rotate_deg: float = 0.0
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rng = np.random.default_rng(seed)
    nx = int(np.ceil(np.sqrt(n_lots * 1.25)))
    ny = int(np.ceil(n_lots / nx))
    ix, iy = np.meshgrid(np.arange(nx), np.arange(ny))
    ix, iy = ix.ravel()[:n_lots], iy.ravel()[:n_lots]
    x, y = X0 + ix * SIDE_M, Y0 + iy * SIDE_M
    geoms = shapely.box(x, y, x + SIDE_M, y + SIDE_M)
    shifted = rng.choice(n_lots, n_lots // 100, replace=False)
    geoms[shifted] = shapely.box(x[shifted] + 7, y[shifted] + 5, x[shifted] + SIDE_M + 7, y[shifted] + SIDE_M + 5)
    bows = rng.choice(np.setdiff1d(np.arange(n_lots), shifted), n_lots // 500, replace=False)
    for i in bows:
        geoms[i] = shapely.Polygon(
            [(x[i], y[i]), (x[i] + SIDE_M, y[i] + SIDE_M), (x[i] + SIDE_M, y[i]), (x[i], y[i] + SIDE_M)]
        )
    statuses = rng.choice(["vacant", "allocated", "building", "operating", "đang hoạt động"], n_lots)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 7 * 365, n_lots), unit="D")
    lots = gpd.GeoDataFrame(
        {"id": [f"L{i}" for i in range(n_lots)], "status": statuses, "leased_on": days},
        geometry=geoms,
        crs=WORK_CRS,
    )
    # boundary 1.5 lots inside the grid on every side: the outer lots stick out
    w, h = nx * SIDE_M, ny * SIDE_M
    cluster_shape = shapely.box(X0 + 30, Y0 + 30, X0 + w - 30, Y0 + h - 30)
    cluster = gpd.GeoDataFrame({"id": ["bench"], "name": ["bench cluster"]}, geometry=[cluster_shape], crs=WORK_CRS)
    road_x = shapely.box(X0 + w / 2 - 6, Y0, X0 + w / 2 + 6, Y0 + h)
    road_y = shapely.box(X0, Y0 + h / 2 - 6, X0 + w, Y0 + h / 2 + 6)
    roads = shapely.union(road_x, road_y)
    industrial = shapely.difference(shapely.box(X0, Y0, X0 + w, Y0 + h), roads)
    zoning = gpd.GeoDataFrame(
        {"use": ["đất công nghiệp", "đất giao thông"]}, geometry=[industrial, roads], crs=WORK_CRS
    )
    if rotate_deg:
        # real lots are rarely parallel to the grid: turn the whole scene (neighbours' envelopes then overlap)
        frames = [cluster, lots, zoning]
        for f in frames:
            f.geometry = f.geometry.rotate(rotate_deg, origin=(X0, Y0))
    return cluster, lots, zoning


def naive(cluster: gpd.GeoDataFrame, lots: gpd.GeoDataFrame, zoning: gpd.GeoDataFrame) -> float:
    """The obvious geopandas way: repair, filter, overlay with the leasable land, dissolve, measure (ha)."""
    counted = lots[lots["status"].isin([*OCCUPIED_STATUSES, "đang hoạt động"])].copy()
    counted["geometry"] = counted.geometry.make_valid()
    leasable = gpd.overlay(zoning[zoning["use"] == "đất công nghiệp"], cluster[["geometry"]], how="intersection")
    # keep_geom_type=True: keep only the polygonal parts of the pieces (and say so, rather than be warned)
    pieces = gpd.overlay(counted[["geometry"]], leasable[["geometry"]], how="intersection", keep_geom_type=True)
    return float(pieces.dissolve().area.sum() / M2_PER_HA)


def timed(func, runs: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, value = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lots", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline-runs", type=int, default=1)
    args = parser.parse_args()

    for rotate in (0.0, 30.0):
        cluster, lots, zoning = make_inputs(args.lots, rotate_deg=rotate)
        kind = "lots parallel to the axes" if not rotate else f"lots turned {rotate:g}°"
        print(f"{len(lots):,} lots in one cluster, zoning with roads, EPSG:9208 input, {kind}")
        t_fast, res = timed(lambda: occupancy(cluster, lots, zoning=zoning), args.runs)  # noqa: B023
        t_naive, naive_ha = timed(lambda: naive(cluster, lots, zoning), args.baseline_runs)  # noqa: B023
        r = res.to_dict()  # type: ignore[attr-defined]
        print(
            f"  measure:  {t_fast * 1000:7.0f} ms (median of {args.runs})  occupied {r['occupied_ha']:.4f} ha, "
            f"{r['occupancy_pct']:.3f} %, overlap {r['overlap_ha']:.4f} ha, outside {r['outside_ha']:.4f} ha, "
            f"repaired {r['repaired']}"
        )
        print(
            f"  baseline: {t_naive * 1000:7.0f} ms (overlay + dissolve, median of {args.baseline_runs})  "
            f"occupied {naive_ha:.4f} ha"
        )
        print(
            f"  ratio baseline / measure: {t_naive / t_fast:.1f}x;  target ≤ 1000 ms: "
            f"{'met' if t_fast <= 1.0 else 'NOT met'}"
        )
        diff_m2 = abs(res.occupied_ha - naive_ha) * M2_PER_HA  # type: ignore[attr-defined]
        print(f"  occupied area, measure − baseline: {diff_m2:.4f} m²")
        if diff_m2 > 1.0:
            raise SystemExit("the measure and the baseline disagree on the occupied area")

    lots_4326 = lots.to_crs("EPSG:4326")
    t_geo, _ = timed(lambda: occupancy(cluster, lots_4326, zoning=zoning), args.runs)
    print(f"measure with lots in EPSG:4326 (reprojected inside): {t_geo * 1000:.0f} ms (median of {args.runs})")


if __name__ == "__main__":
    main()

"""Benchmark: cluster occupancy of 50,000 lots (target ≤ 1 s) against the geopandas overlay + dissolve script.

Run: ``.venv/bin/python bench/bench_occupancy.py [--lots N] [--runs R]``

Both sides are run ``--runs`` times (median), in this process and as whole processes (``baoyen occupancy`` on the
three files against a geopandas script that reads them and computes the occupied area the plain way). The
target (≤ 1 s, in process) is judged for lots parallel to the axes and for lots turned 30°.

The lots are generated in code with a fixed seed: a grid of 20 m × 20 m lots in EPSG:9208 near Phố Ràng,
with 1 % of them shifted so they overlap their neighbours, 0.2 % bow-ties (invalid, repaired with
make_valid), a ring of lots sticking out of the cluster boundary, two road strips that are not leasable,
and random statuses and lease dates. Both methods get the same frames; the baseline computes only the
occupied area (overlay with the leasable land, dissolve, area) while the measure also computes the overlap,
the outside area, the repairs and the per-status areas. The two occupied areas must agree.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from measure import baoyen_command, bytecode_note, child_env, in_process, processes, verdict

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


#: the plain geopandas way as a whole program: read the three files, then :func:`naive`
NAIVE_SCRIPT = """
import sys
import geopandas as gpd
cluster, lots, zoning = (gpd.read_file(p) for p in sys.argv[1:4])
counted = lots[lots["status"].isin(["allocated", "building", "operating", "đang hoạt động"])].copy()
counted["geometry"] = counted.geometry.make_valid()
leasable = gpd.overlay(zoning[zoning["use"] == "đất công nghiệp"], cluster[["geometry"]], how="intersection")
pieces = gpd.overlay(counted[["geometry"]], leasable[["geometry"]], how="intersection", keep_geom_type=True)
print(float(pieces.dissolve().area.sum() / 10_000))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lots", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each side (the median is reported)")
    args = parser.parse_args()
    runs = max(1, args.runs)
    print(bytecode_note())

    with tempfile.TemporaryDirectory(prefix="bench-occupancy-") as tmp:
        for rotate in (0.0, 30.0):
            cluster, lots, zoning = make_inputs(args.lots, rotate_deg=rotate)
            kind = "lots parallel to the axes" if not rotate else f"lots turned {rotate:g}°"
            print(f"{len(lots):,} lots in one cluster, zoning with roads, EPSG:9208 input, {kind}")
            t_fast, res = in_process(lambda: occupancy(cluster, lots, zoning=zoning), runs)  # noqa: B023
            t_naive, naive_ha = in_process(lambda: naive(cluster, lots, zoning), runs)  # noqa: B023
            r = res.to_dict()  # type: ignore[attr-defined]
            print(
                f"  in process, measure:   {t_fast.text()}\n"
                f"    occupied {r['occupied_ha']:.4f} ha, {r['occupancy_pct']:.3f} %, "
                f"overlap {r['overlap_ha']:.4f} ha, outside {r['outside_ha']:.4f} ha, repaired {r['repaired']}"
            )
            print(f"  in process, geopandas: {t_naive.text()}  occupied {naive_ha:.4f} ha (overlay + dissolve)")
            diff_m2 = abs(res.occupied_ha - naive_ha) * M2_PER_HA  # type: ignore[attr-defined]
            print(f"  occupied area, measure − geopandas: {diff_m2:.4f} m²")
            if diff_m2 > 1.0:
                raise SystemExit("the measure and the baseline disagree on the occupied area")

            paths = [Path(tmp) / f"{name}-{rotate:g}.gpkg" for name in ("cluster", "lots", "zoning")]
            for frame, path in zip((cluster, lots, zoning), paths, strict=True):
                frame.to_file(path, driver="GPKG")
            files = ["--cluster", str(paths[0]), "--lots", str(paths[1]), "--zoning", str(paths[2]), "--json"]
            env = child_env(BAOYEN_LANG="en", BAOYEN_STORE=str(Path(tmp) / "no-store.gpkg"))
            whole = processes(lambda i: [*baoyen_command(), "occupancy", *files], runs, env=env)  # noqa: B023
            script = processes(lambda i: [sys.executable, "-c", NAIVE_SCRIPT, *map(str, paths)], runs)  # noqa: B023
            print(f"  whole process, baoyen occupancy:   {whole.text()}")
            print(f"  whole process, geopandas script:   {script.text()}")
            print(
                f"  ratio geopandas / measure: in process {t_naive.median / t_fast.median:.1f}×, "
                f"whole process {script.median / whole.median:.1f}×"
            )
            print(f"  target ≤ 1000 ms in process ({kind}): {verdict(t_fast.median <= 1.0)}")

    lots_4326 = lots.to_crs("EPSG:4326")
    t_geo, _ = in_process(lambda: occupancy(cluster, lots_4326, zoning=zoning), runs)
    print(f"measure with lots in EPSG:4326 (reprojected inside): {t_geo.text()}")


if __name__ == "__main__":
    main()

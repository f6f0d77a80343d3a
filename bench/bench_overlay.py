"""Benchmark of analysis.overlay.overlay_by_unit (issue 6); prints its figures.

    python bench/bench_overlay.py            # full sizes (targets: a ≤ 4 s, b ≤ 4 s and < geopandas, c ≤ 10 s)
    python bench/bench_overlay.py --small    # a quick run at a tenth of the sizes

(a) 100,000 zone polygons × the 17 communes (the real communes from ../shared/data when present, else 17
    generated cells); (b) 100,000 × 25,000 polygons, against ``geopandas.overlay(how="intersection")`` in the
    same run; (c) one zone polygon of 60,000 vertices against 20,000 small polygons, against the same overlay
    without subdividing large polygons (the naive way), timed on a subset of the small polygons and scaled.

The inputs are generated (seeded): zone lots and units are jittered-grid tessellations (8 vertices per
polygon, neighbours share edges like real parcel maps), with 2 % of the lots duplicated with a shift (the
same class overlapping itself, which must count once), 1 % of the units grown by 5 m (overlapping their
neighbours) and 1 % removed (gaps).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from analysis.overlay import overlay_by_unit

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CRS = "EPSG:9208"
SPECIES = np.array(["que", "mo", "bo_de", "tre_vau", "che"], dtype=object)


def jittered_grid(nx: int, ny: int, bounds: tuple[float, float, float, float], rng: np.random.Generator) -> np.ndarray:
    """``nx × ny`` cells covering ``bounds``: 8-vertex polygons (corners and edge midpoints jittered, shared)."""
    x0, y0, x1, y1 = bounds
    w, h = (x1 - x0) / nx, (y1 - y0) / ny
    cx = x0 + np.arange(nx + 1) * w
    cy = y0 + np.arange(ny + 1) * h
    corner_x = cx[None, :] + rng.uniform(-0.2, 0.2, (ny + 1, nx + 1)) * w
    corner_y = cy[:, None] + rng.uniform(-0.2, 0.2, (ny + 1, nx + 1)) * h
    # midpoints of horizontal edges (ny+1, nx) and vertical edges (ny, nx+1), jittered across the edge
    hx = (corner_x[:, :-1] + corner_x[:, 1:]) / 2
    hy = (corner_y[:, :-1] + corner_y[:, 1:]) / 2 + rng.uniform(-0.1, 0.1, (ny + 1, nx)) * h
    vx = (corner_x[:-1, :] + corner_x[1:, :]) / 2 + rng.uniform(-0.1, 0.1, (ny, nx + 1)) * w
    vy = (corner_y[:-1, :] + corner_y[1:, :]) / 2
    j, i = np.meshgrid(np.arange(ny), np.arange(nx), indexing="ij")
    ring_x = np.stack(
        [corner_x[j, i], hx[j, i], corner_x[j, i + 1], vx[j, i + 1], corner_x[j + 1, i + 1], hx[j + 1, i],
         corner_x[j + 1, i], vx[j, i]], axis=-1)  # fmt: skip
    ring_y = np.stack(
        [corner_y[j, i], hy[j, i], corner_y[j, i + 1], vy[j, i + 1], corner_y[j + 1, i + 1], hy[j + 1, i],
         corner_y[j + 1, i], vy[j, i]], axis=-1)  # fmt: skip
    coords = np.stack([ring_x, ring_y], axis=-1).reshape(-1, 8, 2)
    return shapely.polygons(coords)


def make_zones(n_target: int, bounds: tuple[float, float, float, float], rng: np.random.Generator) -> gpd.GeoDataFrame:
    x0, y0, x1, y1 = bounds
    aspect = (x1 - x0) / (y1 - y0)
    ny = max(1, round((n_target / aspect) ** 0.5))
    nx = max(1, round(n_target / ny))
    lots = jittered_grid(nx, ny, bounds, rng)
    species = SPECIES[rng.integers(0, len(SPECIES), len(lots))]
    dup = rng.choice(len(lots), size=len(lots) // 50, replace=False)
    shifted = shapely.transform(lots[dup], lambda c: c + rng.uniform(-20, 20, 2))
    geoms = np.concatenate([lots[: len(lots) - len(dup)], shifted])  # keep the count at nx*ny
    classes = np.concatenate([species[: len(lots) - len(dup)], species[dup]])
    return gpd.GeoDataFrame({"species": classes}, geometry=geoms, crs=CRS)


def make_units(n_target: int, bounds: tuple[float, float, float, float], rng: np.random.Generator) -> gpd.GeoDataFrame:
    x0, y0, x1, y1 = bounds
    aspect = (x1 - x0) / (y1 - y0)
    ny = max(1, round((n_target / aspect) ** 0.5))
    nx = max(1, round(n_target / ny))
    cells = jittered_grid(nx, ny, bounds, rng)
    grow = rng.choice(len(cells), size=len(cells) // 100, replace=False)
    cells[grow] = shapely.buffer(cells[grow], 5.0, quad_segs=2)
    keep = np.ones(len(cells), bool)
    keep[rng.choice(len(cells), size=len(cells) // 100, replace=False)] = False
    ids = np.array([f"{k:06d}" for k in range(len(cells))], dtype=object)
    return gpd.GeoDataFrame({"unit_id": ids[keep]}, geometry=cells[keep], crs=CRS)


def timed(label: str, func, *args, **kwargs):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    dt = time.perf_counter() - t0
    print(f"  {label:<58s} {dt:8.2f} s")
    return out, dt


def check(result, zones_frame) -> None:  # type: ignore[no-untyped-def]
    rows = float(result.rows["area_ha"].sum())
    total = result.total_ha
    print(
        f"  rows {rows:,.2f} ha + unassigned {result.unassigned_ha:,.2f} ha = {rows + result.unassigned_ha:,.2f} ha"
        f" (dissolved zone area {total:,.2f} ha; raw polygon sum {zones_frame.area.sum() / 1e4:,.2f} ha)"
    )


def bench_a(n_zones: int, rng: np.random.Generator) -> float:
    communes_file = SHARED / "bao_yen_communes_2020.geojson"
    if communes_file.is_file():
        units = gpd.read_file(communes_file).to_crs(CRS)[["ma_xa", "geometry"]]
        which = f"the 17 real communes from {communes_file.name}"
    else:
        units = make_units(17, (0.0, 0.0, 30_000.0, 30_000.0), rng).rename(columns={"unit_id": "ma_xa"})
        which = "17 generated cells (../shared/data absent)"
    b = units.total_bounds
    pad = 2_000.0  # some lots fall outside the district: unassigned
    zones = make_zones(n_zones, (b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad), rng)
    print(f"(a) {len(zones):,} zone polygons × {len(units)} units — {which}")
    result, dt = timed("overlay_by_unit", overlay_by_unit, zones, units, zone_field="species", unit_field="ma_xa")
    check(result, zones)
    print(f"  target ≤ 4 s: {'met' if dt <= 4 else 'NOT met'}")
    return dt


def bench_b(n_zones: int, n_units: int, rng: np.random.Generator, *, gpd_subset: int | None) -> float:
    bounds = (0.0, 0.0, 40_000.0, 30_000.0)
    units = make_units(n_units, bounds, rng)
    zones = make_zones(n_zones, (-500.0, -500.0, 40_500.0, 30_500.0), rng)
    print(f"(b) {len(zones):,} zone polygons × {len(units):,} units (generated)")
    result, dt = timed("overlay_by_unit", overlay_by_unit, zones, units, zone_field="species", unit_field="unit_id")
    check(result, zones)
    _, dt1 = timed(
        "overlay_by_unit, one thread (workers=1)",
        overlay_by_unit, zones, units, zone_field="species", unit_field="unit_id", workers=1,
    )  # fmt: skip
    # geopandas.overlay: the plain intersection (it neither dissolves a class nor resolves unit overlaps)
    if gpd_subset is None or gpd_subset >= len(zones):
        sub, scale = zones, 1.0
        label = "geopandas.overlay(how='intersection'), all zones"
    else:
        sub = zones.iloc[rng.choice(len(zones), gpd_subset, replace=False)]
        scale = len(zones) / gpd_subset
        label = f"geopandas.overlay, {gpd_subset:,} random zones (× {scale:.1f} below)"
    gres, gdt = timed(label, gpd.overlay, sub, units, how="intersection", keep_geom_type=True)
    gdt_full = gdt * scale
    if scale != 1.0:
        print(f"  geopandas.overlay scaled to all zones ≈ {gdt_full:.2f} s")
    print(
        f"  geopandas.overlay pieces: {len(gres):,}, {gres.area.sum() / 1e4 * scale:,.2f} ha (overlaps counted twice)"
    )
    print(
        f"  ratio geopandas / ours = {gdt_full / dt:.2f}× (one thread: {gdt_full / dt1:.2f}×); "
        "target ≤ 4 s and faster: "
        f"{'met' if dt <= 4 and dt < gdt_full else 'NOT met'}"
    )
    return dt


def wiggly_polygon(n_vertices: int, centre: tuple[float, float], radius: float, rng: np.random.Generator):  # type: ignore[no-untyped-def]
    """A star-shaped polygon with ``n_vertices`` vertices: a noisy circle (a detailed plantation outline)."""
    t = np.linspace(0, 2 * np.pi, n_vertices, endpoint=False)
    noise = np.cumsum(rng.normal(0, 1, n_vertices))
    noise = noise - np.linspace(0, noise[-1], n_vertices)  # closes smoothly
    r = radius * (1 + 0.15 * noise / np.abs(noise).max() + 0.05 * np.sin(7 * t))
    return shapely.Polygon(np.column_stack([centre[0] + r * np.cos(t), centre[1] + r * np.sin(t)]))


def bench_c(n_vertices: int, n_units: int, rng: np.random.Generator, *, naive_subset: int) -> float:
    big = wiggly_polygon(n_vertices, (10_000.0, 10_000.0), 8_000.0, rng)
    zones = gpd.GeoDataFrame({"species": ["que"]}, geometry=[big], crs=CRS)
    units = make_units(n_units, (0.0, 0.0, 20_000.0, 20_000.0), rng)
    print(f"(c) one zone polygon of {shapely.get_num_coordinates(big):,} vertices × {len(units):,} small units")
    result, dt = timed(
        "overlay_by_unit (subdivides large polygons)",
        overlay_by_unit,
        zones,
        units,
        zone_field="species",
        unit_field="unit_id",
    )
    check(result, zones)
    # naive: the same overlay without cutting the big polygon, on units that touch it, scaled
    # (here GeoSeries.intersects(big) grew past 8 GB of memory within 30 s; the spatial index answers at once)
    touching = units.iloc[np.sort(units.sindex.query(big, predicate="intersects"))]
    k = min(naive_subset, len(touching))
    sub = touching.iloc[rng.choice(len(touching), k, replace=False)]
    _, ndt = timed(
        f"naive (no subdivision), {k:,} of {len(touching):,} touching units",
        overlay_by_unit,
        zones,
        sub,
        zone_field="species",
        unit_field="unit_id",
        max_vertices=10**9,
        workers=1,
    )
    naive_full = ndt * len(touching) / k
    print(
        f"  naive scaled to all {len(touching):,} touching units ≈ {naive_full:.1f} s; "
        f"ratio naive / ours = {naive_full / dt:.1f}×; target ≤ 10 s: {'met' if dt <= 10 else 'NOT met'}"
    )
    return dt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="a tenth of the sizes (for a quick check)")
    parser.add_argument("--only", choices=["a", "b", "c"], help="run one case")
    parser.add_argument("--gpd-subset", type=int, default=None, help="zones given to geopandas.overlay in (b)")
    args = parser.parse_args(argv)
    f = 10 if args.small else 1
    rng = np.random.default_rng(20250701)
    print(f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), geopandas {gpd.__version__}")
    if args.only in (None, "a"):
        bench_a(100_000 // f, rng)
    if args.only in (None, "b"):
        bench_b(100_000 // f, 25_000 // f, rng, gpd_subset=args.gpd_subset)
    if args.only in (None, "c"):
        bench_c(60_000, 20_000 // f, rng, naive_subset=200 // f)
    return 0


if __name__ == "__main__":
    sys.exit(main())

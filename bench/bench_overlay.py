"""Benchmark of ``baoyen overlay`` / analysis.overlay.overlay_by_unit (issues 6 and 15); prints its figures.

    python bench/bench_overlay.py                   # full sizes, 3 runs of each side
    python bench/bench_overlay.py --scale 0.01 --runs 1 --only a   # a quick check

Every baseline is what a user would run instead, measured in full (nothing timed on a sample and scaled up):
the plain geopandas script in its best order (``geopandas.overlay`` first, ``dissolve`` by unit and class after,
then the area: dissolving first builds huge shapes and is slower), DuckDB's spatial extension (the same query in
SQL: intersect, union per unit and class, area) where it is installed, QGIS's ``qgis_process`` where it is
installed. A tool that is missing is skipped with a line saying so. Each side is run ``--runs`` times (median).

(a) 100,000 zone polygons × the 17 communes (the real communes from ../shared/data when present, else 17
    generated cells): ``baoyen overlay`` as a whole process against whole-process scripts (target: ≥ 2 × faster
    than the geopandas script), and in process; (b) 100,000 zones × 25,000 generated units, in process;
    (c) one zone polygon of 60,000 vertices × 20,000 small units, in process.

The inputs are generated (seeded): zone lots and units are jittered-grid tessellations (8 vertices per
polygon, neighbours share edges like real parcel maps), with 2 % of the lots duplicated with a shift (the
same class overlapping itself, which must count once), 1 % of the units grown by 5 m (overlapping their
neighbours) and 1 % removed (gaps). The geopandas and DuckDB scripts count an area where two units overlap in
both units (they do not resolve unit overlaps), so their totals may differ slightly; the difference is printed.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from measure import Timing, baoyen_command, bytecode_note, child_env, in_process, processes, tool, verdict

from analysis.overlay import overlay_by_unit

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CRS = "EPSG:9208"
SPECIES = np.array(["que", "mo", "bo_de", "tre_vau", "che"], dtype=object)

#: the geopandas script, best order: overlay first, dissolve by unit and class after (a user's whole program)
GPD_SCRIPT = """
import sys
import geopandas as gpd
zones = gpd.read_file(sys.argv[1])[[sys.argv[3], "geometry"]]
units = gpd.read_file(sys.argv[2])[[sys.argv[4], "geometry"]]
pieces = gpd.overlay(zones, units, how="intersection", keep_geom_type=True)
areas = pieces.dissolve(by=[sys.argv[4], sys.argv[3]]).area / 10_000
areas.rename("area_ha").to_csv(sys.stdout)
"""

#: the same in DuckDB's spatial extension (loaded from the duckdb-ext-spatial package: nothing is downloaded)
DUCKDB_SCRIPT = """
import glob, os, sys
import duckdb, duckdb_ext
ext = glob.glob(os.path.join(list(duckdb_ext.__path__)[0], "extensions", "*", "*", "spatial.duckdb_extension"))[0]
con = duckdb.connect()
con.execute("SET autoinstall_known_extensions = false; SET autoload_known_extensions = false")
con.execute("SET enable_progress_bar = false")
con.execute(f"LOAD '{ext}'")
zf, uf = sys.argv[3], sys.argv[4]
con.execute(f"CREATE TABLE z AS SELECT {zf} AS zone, geom FROM ST_Read('{sys.argv[1]}')")
con.execute(f"CREATE TABLE u AS SELECT {uf} AS unit, geom FROM ST_Read('{sys.argv[2]}')")
rows = con.execute(
    "SELECT unit, zone, ST_Area(ST_Union_Agg(ST_Intersection(z.geom, u.geom))) / 10000 AS area_ha "
    "FROM z JOIN u ON ST_Intersects(z.geom, u.geom) GROUP BY unit, zone ORDER BY unit, zone"
).fetchall()
print(f"{uf},{zf},area_ha")
for unit, zone, ha in rows:
    print(f"{unit},{zone},{ha!r}")
"""


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


def check(result, zones_frame) -> None:  # type: ignore[no-untyped-def]
    rows = float(result.rows["area_ha"].sum())
    total = result.total_ha
    print(
        f"  rows {rows:,.2f} ha + unassigned {result.unassigned_ha:,.2f} ha = {rows + result.unassigned_ha:,.2f} ha"
        f" (dissolved zone area {total:,.2f} ha; raw polygon sum {zones_frame.area.sum() / 1e4:,.2f} ha)"
    )


def gpd_overlay_dissolve(zones: gpd.GeoDataFrame, units: gpd.GeoDataFrame, zf: str, uf: str) -> pd.Series:
    """The geopandas script's computation, in process: hectares by (unit, class)."""
    pieces = gpd.overlay(zones[[zf, "geometry"]], units[[uf, "geometry"]], how="intersection", keep_geom_type=True)
    return pieces.dissolve(by=[uf, zf]).area / 10_000


def ours_by_pair(result) -> pd.Series:  # type: ignore[no-untyped-def]
    rows = result.rows
    return rows.set_index(["unit", "zone"])["area_ha"]


def compare(ours: pd.Series, theirs: pd.Series, name: str) -> None:
    """How far a baseline's hectares are from ours, per (unit, class) and in total."""
    a = ours.copy()
    b = theirs.copy()
    a.index = pd.MultiIndex.from_arrays([a.index.get_level_values(0).astype(str), a.index.get_level_values(1)])
    b.index = pd.MultiIndex.from_arrays([b.index.get_level_values(0).astype(str), b.index.get_level_values(1)])
    both = pd.concat([a.rename("ours"), b.rename("theirs")], axis=1).fillna(0.0)
    worst = float((both["ours"] - both["theirs"]).abs().max()) if len(both) else 0.0
    print(
        f"    {name}: {len(b):,} (unit, class) rows, {b.sum():,.2f} ha (ours {a.sum():,.2f} ha in units); "
        f"largest difference {worst:,.4f} ha"
    )


def csv_areas(text: str) -> pd.Series:
    frame = pd.read_csv(io.StringIO(text), dtype={0: str})
    return frame.set_index(list(frame.columns[:2])).iloc[:, 0]


def duckdb_python() -> str | None:
    """An interpreter with DuckDB and its spatial extension (this one, or $BENCH_DUCKDB_PYTHON), else None."""
    import os

    for py in (sys.executable, os.environ.get("BENCH_DUCKDB_PYTHON")):
        if py and subprocess.run([py, "-c", "import duckdb, duckdb_ext"], capture_output=True).returncode == 0:
            return py
    print(
        "  skip: DuckDB with its spatial extension is not installed here (pip install duckdb duckdb-ext-spatial, "
        "in this environment or one named by BENCH_DUCKDB_PYTHON), so no figure is given for it"
    )
    return None


def target_ratio(what: str, base: Timing, ours: Timing, need: float) -> None:
    r = base.median / ours.median
    print(
        f"  {what}: {base.median:.2f} s / {ours.median:.2f} s = {r:.2f}× faster; "
        f"target ≥ {need:g}×: {verdict(r >= need)}"
    )


def bench_a(n_zones: int, rng: np.random.Generator, runs: int, tmp: Path) -> None:
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
    zpath, upath = tmp / "zones.gpkg", tmp / "units.gpkg"
    zones.to_file(zpath, driver="GPKG")
    units.to_file(upath, driver="GPKG")
    args = [str(zpath), str(upath), "species", "ma_xa"]

    print("  whole processes (read both files, overlay, print the hectares):")
    cmd = [*baoyen_command(), "overlay", "--zones", str(zpath), "--units", str(upath), "--csv"]
    env = child_env(BAOYEN_LANG="en", BAOYEN_STORE=str(tmp / "no-store.gpkg"))
    ours = processes(lambda i: cmd, runs, env=env)
    print(f"    baoyen overlay --csv                        {ours.text()}")
    gpd_run = processes(lambda i: [sys.executable, "-c", GPD_SCRIPT, *args], runs)
    print(f"    geopandas script (overlay, then dissolve)   {gpd_run.text()}")
    duck = duckdb_python()
    duck_run = processes(lambda i: [duck, "-c", DUCKDB_SCRIPT, *args], runs) if duck else None
    if duck_run:
        print(f"    DuckDB spatial (the same in SQL)            {duck_run.text()}")
    if tool("qgis_process"):
        print("    qgis_process is installed but its overlay model is not scripted here; no figure")

    print("  in process (files read already):")
    t_ours, result = in_process(lambda: overlay_by_unit(zones, units, zone_field="species", unit_field="ma_xa"), runs)
    print(f"    overlay_by_unit                             {t_ours.text()}")
    t_gpd, gres = in_process(lambda: gpd_overlay_dissolve(zones, units, "species", "ma_xa"), runs)
    print(f"    geopandas overlay, then dissolve            {t_gpd.text()}")
    check(result, zones)
    ours_rows = ours_by_pair(result)
    compare(ours_rows, gres, "geopandas")  # type: ignore[arg-type]
    if duck:
        out = subprocess.run([duck, "-c", DUCKDB_SCRIPT, *args], capture_output=True, text=True, check=True).stdout
        compare(ours_rows, csv_areas(out), "DuckDB")
    print("  targets:")
    target_ratio("whole process against the geopandas script", gpd_run, ours, 2.0)
    if duck_run:
        print(f"  (DuckDB / baoyen, whole process: {duck_run.median / ours.median:.2f}×)")
    print(f"  in process: geopandas / ours = {t_gpd.median / t_ours.median:.2f}×")
    print(f"  overlay_by_unit in process, target ≤ 4 s (issue 6): {verdict(t_ours.median <= 4)}")


def bench_b(n_zones: int, n_units: int, rng: np.random.Generator, runs: int) -> None:
    bounds = (0.0, 0.0, 40_000.0, 30_000.0)
    units = make_units(n_units, bounds, rng)
    zones = make_zones(n_zones, (-500.0, -500.0, 40_500.0, 30_500.0), rng)
    print(f"(b) {len(zones):,} zone polygons × {len(units):,} units (generated), in process")
    t_ours, result = in_process(lambda: overlay_by_unit(zones, units, zone_field="species", unit_field="unit_id"), runs)
    print(f"    overlay_by_unit                             {t_ours.text()}")
    t_one, _ = in_process(
        lambda: overlay_by_unit(zones, units, zone_field="species", unit_field="unit_id", workers=1), runs
    )
    print(f"    overlay_by_unit, one thread (workers=1)     {t_one.text()}")
    t_gpd, gres = in_process(lambda: gpd_overlay_dissolve(zones, units, "species", "unit_id"), runs)
    print(f"    geopandas overlay, then dissolve            {t_gpd.text()}")
    check(result, zones)
    compare(ours_by_pair(result), gres, "geopandas")  # type: ignore[arg-type]
    print(
        f"  geopandas / ours = {t_gpd.median / t_ours.median:.2f}× (one thread: {t_gpd.median / t_one.median:.2f}×); "
        f"target ≤ 4 s and faster (issue 6): {verdict(t_ours.median <= 4 and t_ours.median < t_gpd.median)}"
    )


def wiggly_polygon(n_vertices: int, centre: tuple[float, float], radius: float, rng: np.random.Generator):  # type: ignore[no-untyped-def]
    """A star-shaped polygon with ``n_vertices`` vertices: a noisy circle (a detailed plantation outline)."""
    t = np.linspace(0, 2 * np.pi, n_vertices, endpoint=False)
    noise = np.cumsum(rng.normal(0, 1, n_vertices))
    noise = noise - np.linspace(0, noise[-1], n_vertices)  # closes smoothly
    r = radius * (1 + 0.15 * noise / np.abs(noise).max() + 0.05 * np.sin(7 * t))
    return shapely.Polygon(np.column_stack([centre[0] + r * np.cos(t), centre[1] + r * np.sin(t)]))


def bench_c(n_vertices: int, n_units: int, rng: np.random.Generator, runs: int) -> None:
    big = wiggly_polygon(n_vertices, (10_000.0, 10_000.0), 8_000.0, rng)
    zones = gpd.GeoDataFrame({"species": ["que"]}, geometry=[big], crs=CRS)
    units = make_units(n_units, (0.0, 0.0, 20_000.0, 20_000.0), rng)
    print(
        f"(c) one zone polygon of {shapely.get_num_coordinates(big):,} vertices × {len(units):,} small units, "
        "in process"
    )
    t_ours, result = in_process(lambda: overlay_by_unit(zones, units, zone_field="species", unit_field="unit_id"), runs)
    print(f"    overlay_by_unit (subdivides large polygons) {t_ours.text()}")
    t_gpd, gres = in_process(lambda: gpd_overlay_dissolve(zones, units, "species", "unit_id"), runs)
    print(f"    geopandas overlay, then dissolve (in full)  {t_gpd.text()}")
    check(result, zones)
    compare(ours_by_pair(result), gres, "geopandas")  # type: ignore[arg-type]
    print(f"  geopandas / ours = {t_gpd.median / t_ours.median:.1f}×; target ≤ 10 s (issue 6): "
          f"{verdict(t_ours.median <= 10)}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full sizes (for a quick check)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (the median is reported)")
    parser.add_argument("--only", choices=["a", "b", "c"], help="run one case")
    args = parser.parse_args(argv)
    f, runs = args.scale, args.runs
    rng = np.random.default_rng(20250701)
    print(f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), geopandas {gpd.__version__}")
    print(bytecode_note())
    with tempfile.TemporaryDirectory(prefix="bench-overlay-") as tmp:
        if args.only in (None, "a"):
            bench_a(max(20, int(100_000 * f)), rng, runs, Path(tmp))
        if args.only in (None, "b"):
            bench_b(max(20, int(100_000 * f)), max(4, int(25_000 * f)), rng, runs)
        if args.only in (None, "c"):
            bench_c(max(100, int(60_000 * f)), max(4, int(20_000 * f)), rng, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())

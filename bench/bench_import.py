"""Benchmark of ``baoyen import`` (issue 15): 100,000 polygons against ``ogr2ogr`` to GeoPackage; prints its figures.

    python bench/bench_import.py                      # 100,000 polygons, 3 runs of each
    python bench/bench_import.py --features 2000 --runs 1

Whole processes, each timed from start to exit with its peak resident memory (the kernel's count for that child):
``baoyen import`` of the file into a copy of a freshly built store (read, check, map onto the layer's fields,
hash, write, read back, commit: everything the command does), ``ogr2ogr -f GPKG`` of the same file, a plain
geopandas script (``read_file`` then ``to_file``), and pyogrio's own read of the file (``read_dataframe``, with and
without Arrow). In-process figures beside them: the library's read-and-check and its store write, against
pyogrio's read and write. Targets: the import ≤ 1.5 × ogr2ogr, its peak memory ≤ 2 × pyogrio's read (the
lower of its two reads). A tool that is not installed is skipped with a line saying so.

The input is generated (seeded): a jittered grid of 8-vertex plantation plots in EPSG:9208 over Bảo Yên, with a
plot id, a species the catalogue knows, an owner (Vietnamese text) and a planting year.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from measure import (
    Timing,
    baoyen_command,
    bytecode_note,
    child_env,
    in_process,
    processes,
    run_process,
    tool,
    verdict,
)

X0, Y0 = 440_000.0, 2_440_000.0  # EPSG:9208, Bảo Yên
PLOT_M = 60.0
SPECIES = np.array(["que", "mo", "bo_de", "tre_vau", "che"], dtype=object)
LAYER = "material_zones_mapped"
PASSWORD = "bench-only-password-15"


def make_plots(n: int, *, seed: int = 15) -> gpd.GeoDataFrame:
    """``n`` plantation plots (a jittered grid cut to exactly ``n``)."""
    from bench_overlay import jittered_grid  # after measure: the repository's code, not an installed copy

    rng = np.random.default_rng(seed)
    nx = int(np.ceil(np.sqrt(n)))
    ny = int(np.ceil(n / nx))
    geoms = jittered_grid(nx, ny, (X0, Y0, X0 + nx * PLOT_M, Y0 + ny * PLOT_M), rng)[:n]
    owners = np.array([f"Hộ ông Nguyễn Văn {k}, thôn Khuổi {k % 37}" for k in range(997)], dtype=object)
    return gpd.GeoDataFrame(
        {
            "id": [f"LO{k:06d}" for k in range(n)],
            "species": SPECIES[rng.integers(0, len(SPECIES), n)],
            "owner": owners[rng.integers(0, len(owners), n)],
            "year_planted": rng.integers(1995, 2025, n),
        },
        geometry=geoms,
        crs="EPSG:9208",
    )


def ratio_line(what: str, ours: Timing, base: Timing | None, name: str, limit: float) -> None:
    if base is None:
        print(f"  {what}: no {name} figure here, so the target is not judged")
        return
    r = ours.median / base.median
    print(f"  {what}: {ours.median:.2f} s / {base.median:.2f} s = {r:.2f}× {name}; target ≤ {limit:g}×: "
          f"{verdict(r <= limit)}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--features", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (the median is reported)")
    args = parser.parse_args(argv)
    n, runs = args.features, args.runs
    print(f"pyogrio {pyogrio.__version__} (GDAL {pyogrio.__gdal_version_string__}), shapely {shapely.__version__}")
    print(bytecode_note())
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        root = Path(tmp)
        src = root / "plots.gpkg"
        pyogrio.write_dataframe(make_plots(n), src, layer="plots", driver="GPKG")
        print(f"input: {n:,} polygons, {src.stat().st_size / 2**20:.1f} MiB GeoPackage, EPSG:9208")

        # a store built as `baoyen init` builds it, copied afresh for every import (the copy is not timed)
        env = child_env(BAOYEN_ADMIN_PASSWORD=PASSWORD, BAOYEN_PASSWORD=PASSWORD, BAOYEN_LANG="en")
        base_store = root / "store.gpkg"
        run_process([*baoyen_command(), "init"], env={**env, "BAOYEN_STORE": str(base_store)})
        stores = [root / f"store-{i}.gpkg" for i in range(runs)]
        for s in stores:
            shutil.copyfile(base_store, s)

        print("whole processes:")

        def import_cmd(i: int) -> list[str]:
            flags = ["--store", str(stores[i]), "--layer", LAYER, "--quality", "digitised", "--user", "admin"]
            return [*baoyen_command(), "import", str(src), *flags]

        ours = processes(import_cmd, runs, env=env)
        stored = pyogrio.read_info(stores[-1], layer=LAYER)["features"]
        print(f"  baoyen import                          {ours.text()}  ({stored:,} features stored)")
        if stored != n:
            raise SystemExit(f"the import stored {stored} features instead of {n}")

        ogr: Timing | None = None
        ogr2ogr = tool("ogr2ogr")
        if ogr2ogr:
            ogr = processes(lambda i: [ogr2ogr, "-f", "GPKG", str(root / f"ogr-{i}.gpkg"), str(src)], runs)
            print(f"  ogr2ogr -f GPKG                        {ogr.text()}")
        script = "import sys, geopandas as g; g.read_file(sys.argv[1]).to_file(sys.argv[2], driver='GPKG')"
        gpd_run = processes(lambda i: [sys.executable, "-c", script, str(src), str(root / f"gpd-{i}.gpkg")], runs)
        print(f"  geopandas read_file + to_file script   {gpd_run.text()}")
        reads = {}
        for arrow in (False, True):
            code = f"import sys, pyogrio; pyogrio.read_dataframe(sys.argv[1], use_arrow={arrow})"
            reads[arrow] = processes(lambda i, code=code: [sys.executable, "-c", code, str(src)], runs)  # type: ignore[misc]
            print(f"  pyogrio.read_dataframe(use_arrow={arrow!s:<5})  {reads[arrow].text()}")

        print("in process (this interpreter, imports done):")
        from layers.importer import prepare_import
        from layers.store import create_store

        t_read, preview = in_process(lambda: prepare_import(src, LAYER, geom_quality="digitised"), runs)
        print(f"  baoyen read + check + map (prepare_import)   {t_read.text()}")
        frame = preview.frame  # type: ignore[attr-defined]
        targets = [create_store(root / f"lib-{i}.gpkg") for i in range(runs)]
        it = iter(targets)
        t_write, _ = in_process(lambda: next(it).write_layer(LAYER, frame, user="bench"), runs)
        print(f"  baoyen store write (write_layer)             {t_write.text()}")
        t_pread, raw = in_process(lambda: pyogrio.read_dataframe(src, use_arrow=True), runs)
        print(f"  pyogrio.read_dataframe(use_arrow=True)       {t_pread.text()}")
        outs = iter(root / f"pw-{i}.gpkg" for i in range(runs))
        t_pwrite, _ = in_process(lambda: pyogrio.write_dataframe(raw, next(outs), driver="GPKG"), runs)
        print(f"  pyogrio.write_dataframe(driver='GPKG')       {t_pwrite.text()}")
        lib = t_read.median + t_write.median
        plain = t_pread.median + t_pwrite.median
        print(f"  in process, read to stored: baoyen {lib:.2f} s, pyogrio {plain:.2f} s ({lib / plain:.2f}×)")

        print("targets:")
        ratio_line("import time against ogr2ogr", ours, ogr, "ogr2ogr", 1.5)
        lowest = min(reads.values(), key=lambda t: t.peak)
        mem = ours.peak / lowest.peak
        print(f"  import peak RSS against pyogrio's read: {ours.peak:,.0f} MiB / {lowest.peak:,.0f} MiB = {mem:.2f}×; "
              f"target ≤ 2×: {verdict(mem <= 2)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

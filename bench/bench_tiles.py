"""Benchmark of the map's large layers from vector tiles: 100,000 plots + 20,000 lots, against the GeoJSON path.

The store holds the project's data, 100,000 synthetic plantation plots (``material_zones_mapped``, EPSG:9208) and
20,000 synthetic cluster lots (``cluster_lots``, 48-vertex polygons as bench_map.py makes them). It prints:

- bytes for the default view: the map's component payload plus the tile bytes the browser fetched (Chromium),
  against the GeoJSON path of the same layers in the same run (the tile threshold switched off: every layer sent
  as GeoJSON, as before issue 15; measured once, its bytes do not vary) -> ratio;
- the tile build time of the 100k layer, its overview image included (median of runs; GDAL and rasterio through
  ``services.tiles.build_now``);
- first map drawn after the page opens (warm server, every tile build done), in a fresh browser profile each time
  and in one profile kept across opens (a returning browser, its HTTP cache warm), and after a store change, in
  Chromium (a fresh profile): a lot's tenant edited (no tile carries it: the tiles of the version before are
  reused), a lot moved (the 20k lots' tiles patched in the background), a plot moved (the 100k plots' tiles
  patched) and the 100k plots rewritten with new names (tiles reused);
- pan/zoom to a new area until every visible tile is drawn, and a toggle of the plots layer (hidden / drawn
  again) by the map's own layer switch (in the browser), and by the sidebar's switch (a rerun), in Chromium.

Medians of ``--runs`` runs (>= 3); each target is printed as met / NOT met.

Run: ``.venv/bin/python bench/bench_tiles.py [--runs 3] [--skip-geojson]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_map import build_store  # noqa: E402  (bench/ is this script's folder)

PLOTS = 100_000
LOTS = 20_000
TARGETS = {"bytes_mb": 1.5, "build_s": 30.0, "warm_s": 3.0, "changed_s": 5.0, "pan_s": 1.0, "toggle_s": 0.5}
DRAWN_JS = "() => window.map && Object.values(window.map._layers).some(l => l.byFeature !== undefined)"
# a tiled layer is on the map (as its tiles, or at the district's views as its overview image) / drawn
TILED_JS = "(id) => window.baoyenMapkit.tiledState(id).length > 0"
PAGE = {"viewport": {"width": 1500, "height": 1050}, "locale": "vi-VN"}
LOADED_JS = """(ids) => ids.every(id => {
  const st = window.baoyenMapkit.tiledState(id);
  return st.length > 0 && st.every(s => s.ready);
})"""
# after a pan: every tiled layer drawn, and each one's tiles of the zoom the map shows now (not the view before)
PANNED_JS = (
    """(ids) => ("""
    + LOADED_JS
    + """)(ids) && (window.map.byTiled || []).every(l => {
  const z = Math.round(window.map.getZoom()) + (l.options.zoomOffset || 0), t = Object.values(l._tiles);
  return l._tileZoom === z && t.length > 0 && t.every(x => x.coords.z === z && x.current);
})"""
)


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def make_store(path: Path) -> None:
    from layers.store import open_store
    from tests.tiles_data import PLOTS_LAYER, plots

    build_store(path, LOTS)
    open_store(path).write_layer(PLOTS_LAYER, plots(PLOTS), user="bench", message="synthetic plots")


def _page() -> None:
    from ui import map_page

    map_page.render()


def geojson_payload(store: Path) -> tuple[int, float]:
    """The component payload (bytes) and server time of the map page with every layer as GeoJSON."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from layers import tiles
    from ui import state

    os.environ["BAOYEN_STORE"] = str(store)
    saved = tiles.TILE_MIN_FEATURES, tiles.TILE_MIN_COORDINATES
    tiles.TILE_MIN_FEATURES = tiles.TILE_MIN_COORDINATES = 10**12  # the GeoJSON path: nothing is tiled
    try:
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_function(_page, default_timeout=900)
        at.session_state[state.LANG] = "vi"
        t0 = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - t0
        assert not at.exception, at.exception
        (component,) = at.get("component_instance")
        return len(component.proto.json_args.encode()), seconds
    finally:
        tiles.TILE_MIN_FEATURES, tiles.TILE_MIN_COORDINATES = saved
        st.cache_resource.clear()
        st.cache_data.clear()


def build_times(store: Path, runs: int) -> list[float]:
    from layers import tiles
    from layers.catalogue import CATALOGUE
    from layers.store import open_store
    from services.tiles import build_now
    from tests.tiles_data import PLOTS_LAYER

    s = open_store(store)
    columns = tiles.tile_columns(CATALOGUE.get(PLOTS_LAYER), s.read_layer(PLOTS_LAYER).columns)
    palette = palette_of(s, PLOTS_LAYER)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            shutil.rmtree(tmp)
            out.append(build_now(s, PLOTS_LAYER, Path(tmp), columns=columns, palette=palette).seconds)
    return out


def palette_of(store, layer_id: str):  # type: ignore[no-untyped-def]
    """The overview palette the map page gives the layer's build (ui.mapkit.overview_palette)."""
    from layers.catalogue import CATALOGUE
    from ui import mapkit

    frame = store.read_layer(layer_id, crs="EPSG:4326")
    return mapkit.overview_palette(mapkit.prepare_tiled_layer(CATALOGUE.get(layer_id), frame))


def browser_figures(store: Path, runs: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    from layers import tiles
    from layers.store import open_store
    from tests.e2e.conftest import CHROMIUM_ARGS, MAP_FRAME, map_frame, start_app, stop_app
    from tests.tiles_data import PLOTS_LAYER, plots
    from ui import assets

    tiled_ids = [PLOTS_LAYER, "cluster_lots"]
    log = store.with_suffix(".log")
    app = start_app(store, log)
    out: dict[str, object] = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

            def open_page(timeout_s: float = 300, context=None):  # type: ignore[no-untyped-def]
                """-> (page, frame, seconds until every tiled layer drawn, tile bytes fetched).

                In a new browser context (a fresh profile: nothing cached) unless ``context`` is given (a returning
                browser: its HTTP cache holds the app's scripts). Notes in ``drawn`` the seconds until the map shows
                its GeoJSON layers (tiles may still build)."""
                page = context.new_page() if context is not None else browser.new_page(**PAGE)
                sizes: list[int] = []
                page.on(
                    "response",
                    lambda r: (
                        sizes.append(int(r.headers.get("content-length", "0"))) if "/static/tiles/" in r.url else None
                    ),
                )
                t0 = time.monotonic()
                page.goto(app.url, wait_until="commit")
                page.wait_for_selector(MAP_FRAME, timeout=timeout_s * 1000)
                frame = map_frame(page, timeout_ms=timeout_s * 1000)  # the map that stays, not one being replaced
                frame.wait_for_function(DRAWN_JS, timeout=timeout_s * 1000, polling=20)
                drawn.append(time.monotonic() - t0)
                frame.wait_for_function(LOADED_JS, arg=tiled_ids, timeout=timeout_s * 1000, polling=20)
                return page, frame, time.monotonic() - t0, sizes

            drawn: list[float] = []

            def layer_tiles(layer_id: str) -> list[Path]:
                return tiles.layer_files(assets.TILES_DIR, str(store), layer_id)

            def wait_written(written, since: float, what: str) -> None:  # type: ignore[no-untyped-def]
                """Poll until ``written()`` holds, at most 300 s after ``since`` (time.monotonic())."""
                while not written():
                    if time.monotonic() - since > 300:
                        raise RuntimeError(f"{what} were not written in 300 s")
                    time.sleep(0.05)

            # first open: the builds run (not timed as "warm"); the map may draw from an overview the build has
            # painted while its tiles are still written, so the warm opens wait until every build is done
            page, frame, first_s, _ = open_page()
            page.close()
            out["first_open_with_builds_s"] = first_s
            t_built = time.monotonic()
            wait_written(lambda: all(layer_tiles(layer_id) for layer_id in tiled_ids), t_built, "the tiles")
            out["builds_done_after_first_open_s"] = time.monotonic() - t_built
            time.sleep(2)  # the build process settles (its files renamed, its memory released)
            # warm opens, a fresh browser profile each (the app's scripts downloaded again), then a returning
            # browser (one profile: the scripts from its HTTP cache, as for a planner who opened the app before)
            warm, tile_bytes = [], 0
            for _ in range(runs):
                page, frame, seconds, sizes = open_page()
                warm.append(seconds)
                page.wait_for_timeout(500)
                tile_bytes = sum(sizes)
                page.close()
            out["warm_s"] = warm
            out["tile_bytes_default_view"] = tile_bytes
            returning = browser.new_context(**PAGE)
            page, *_ = open_page(context=returning)  # this profile's first visit: not timed
            page.close()
            warm_returning = []
            for _ in range(runs):
                page, frame, seconds, _ = open_page(context=returning)
                warm_returning.append(seconds)
                page.close()
            returning.close()
            out["warm_returning_s"] = warm_returning

            # pan/zoom to new areas, and toggles, on one page
            page, frame, _, _ = open_page()
            pans = []
            # the script returns nothing: setView returns the map, which Playwright would serialize whole (the
            # overviews' pixels included) and time with the pan
            for k, (lat, lon) in enumerate([(22.20, 104.32), (22.40, 104.52), (22.27, 104.47), (22.36, 104.30)]):
                t0 = time.monotonic()
                frame.evaluate(
                    "([a, b, z]) => { window.map.setView([a, b], z, {animate: false}); }", [lat, lon, 14 + k % 2]
                )
                frame.wait_for_function(PANNED_JS, arg=tiled_ids, timeout=60_000, polling=10)
                pans.append(time.monotonic() - t0)
            out["pan_s"] = pans
            switch = page.locator('[data-testid="stSidebar"]').get_by_text(
                re.compile(rf"^Vùng nguyên liệu đã khoanh vẽ.*\({PLOTS}\)$")
            )
            # the map's own switch (in the browser, no rerun), then the sidebar's (a rerun: the page sends the layer)
            frame.locator(".by-switch summary").click()
            box = frame.locator(f'.by-switch input[data-layer="{PLOTS_LAYER}"]')
            for key, hide, show in (
                ("toggle", box.uncheck, box.check),
                ("sidebar", switch.click, switch.click),
            ):
                hides, shows = [], []
                for _ in range(runs):
                    t0 = time.monotonic()
                    hide()
                    frame.wait_for_function(f"() => !({TILED_JS})({PLOTS_LAYER!r})", timeout=60_000, polling=10)
                    hides.append(time.monotonic() - t0)
                    t0 = time.monotonic()
                    show()
                    frame.wait_for_function(LOADED_JS, arg=tiled_ids, timeout=60_000, polling=10)
                    shows.append(time.monotonic() - t0)
                out[f"{key}_hide_s"], out[f"{key}_show_s"] = hides, shows
            page.close()

            # after a store change: a lot's tenant edited (no tile carries it: the tiles are reused), a lot moved
            # (the 20k lots' tiles patched), a plot moved (the 100k plots' tiles patched), then the plots rewritten
            # with new names (the tiles reused)
            s = open_store(store)

            for key, layer_id, change in (
                ("changed_lots", "cluster_lots", lambda lots, k: lots.loc.__setitem__((k, "tenant"), f"Công ty {k}")),
                (
                    "moved_lots",
                    "cluster_lots",
                    lambda lots, k: lots.loc.__setitem__((k, "geometry"), translate(lots, k)),
                ),
                (
                    "moved_plots",
                    PLOTS_LAYER,
                    lambda f, k: f.loc.__setitem__((f.index[7 * k], "geometry"), translate(f, 7 * k)),
                ),
            ):
                seconds_list, written_list = [], []
                for k in range(runs):
                    edited = s.read_layer(layer_id)
                    change(edited, k)
                    version = s.write_layer(layer_id, edited, user="bench", message="edit")
                    t_open = time.monotonic()
                    page, frame, seconds, _ = open_page()
                    seconds_list.append(seconds)
                    # drawn may be the new version's overview while its tiles are still written: when are they?
                    wait_written(
                        lambda v=version, lid=layer_id: any(f"-v{v}-" in f.name for f in layer_tiles(lid)),
                        t_open,
                        f"the tiles of {layer_id}",
                    )
                    written_list.append(time.monotonic() - t_open)
                    page.close()
                out[f"{key}_s"] = seconds_list
                out[f"{key}_tiles_written_s"] = written_list
                out[f"{key}_geojson_s"] = drawn[-runs:]
            changed_plots = []
            for k in range(runs):
                s.write_layer(PLOTS_LAYER, plots(PLOTS, tag=f" r{k}"), user="bench", message="plots again")
                page, frame, seconds, _ = open_page()
                changed_plots.append(seconds)
                page.close()
            out["changed_plots_s"] = changed_plots
            out["changed_plots_geojson_s"] = drawn[-runs:]
            browser.close()
    finally:
        stop_app(app)
        for layer_id in ("cluster_lots", PLOTS_LAYER):
            tiles.remove_layer_files(assets.TILES_DIR, str(store), layer_id)
    return out


def translate(lots, k: int):  # type: ignore[no-untyped-def]
    """Feature ``k``'s shape moved 5 m east: an edit of a shape, which the tiles carry."""
    import shapely.affinity

    return shapely.affinity.translate(lots.geometry.iloc[k], 5.0, 0.0)


def tiled_payload(store: Path) -> int:
    """The component payload of the map page with the large layers tiled (tiles ready: built by the browser run)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from layers import tiles
    from layers.catalogue import CATALOGUE
    from layers.store import open_store
    from services.tiles import build_now
    from ui import assets, state

    os.environ["BAOYEN_STORE"] = str(store)
    s = open_store(store)
    for layer_id in ("cluster_lots", "material_zones_mapped"):
        build_now(
            s,
            layer_id,
            assets.TILES_DIR,
            columns=tiles.tile_columns(CATALOGUE.get(layer_id), s.read_layer(layer_id).columns),
            palette=palette_of(s, layer_id),
        )
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_function(_page, default_timeout=300)
    at.session_state[state.LANG] = "vi"
    at.run()
    assert not at.exception, at.exception
    (component,) = at.get("component_instance")
    size = len(component.proto.json_args.encode())
    for layer_id in ("cluster_lots", "material_zones_mapped"):
        tiles.remove_layer_files(assets.TILES_DIR, str(store), layer_id)
    st.cache_resource.clear()
    st.cache_data.clear()
    return size


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-geojson", action="store_true", help="do not measure the GeoJSON baseline (slow)")
    args = parser.parse_args()
    runs = max(3, args.runs)
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.gpkg"
        t0 = time.perf_counter()
        make_store(store)
        print(f"store: project data + {PLOTS} plots + {LOTS} lots, written in {time.perf_counter() - t0:.1f} s")
        builds = build_times(store, runs)
        print(
            f"tile build, {PLOTS} plots: {', '.join(f'{b:.1f}' for b in builds)} s; median {med(builds):.1f} s "
            f"(target <= {TARGETS['build_s']:.0f} s: {verdict(med(builds), TARGETS['build_s'])})"
        )
        ours_payload = tiled_payload(store)
        figures = browser_figures(store, runs)
        tile_bytes = int(figures["tile_bytes_default_view"])  # type: ignore[arg-type]
        ours = ours_payload + tile_bytes
        met = verdict(ours / 1e6, TARGETS["bytes_mb"])
        print(
            f"default view, tiles: {ours / 1e6:.2f} MB = payload {ours_payload / 1e6:.2f} MB + tiles "
            f"{tile_bytes / 1e6:.2f} MB (target <= {TARGETS['bytes_mb']} MB: {met})"
        )
        if not args.skip_geojson:
            naive, naive_s = geojson_payload(store)
            print(
                f"default view, GeoJSON path (same layers, nothing tiled): {naive / 1e6:.2f} MB, server run "
                f"{naive_s:.1f} s -> ratio GeoJSON/tiles {naive / ours:.1f}x"
            )
        for key, label, target in (
            ("warm_s", "first map drawn after page open (warm server; a fresh browser profile)", "warm_s"),
            ("warm_returning_s", "first map drawn after page open (warm server; a returning browser)", "warm_s"),
            ("changed_lots_geojson_s", "after a lot's tenant edited: map with its small layers", "changed_s"),
            ("changed_lots_s", "after a lot's tenant edited: every layer drawn (tiles reused)", "changed_s"),
            ("moved_lots_geojson_s", "after a lot moved: map with its small layers", "changed_s"),
            ("moved_lots_s", "after a lot moved: every layer drawn (the lots from their new overview)", "changed_s"),
            ("moved_lots_tiles_written_s", "after a lot moved: the 20k lots' tiles rebuilt (zoomed in)", "changed_s"),
            ("moved_plots_s", "after a plot moved: every layer drawn (the plots from their new overview)", "changed_s"),
            (
                "moved_plots_tiles_written_s",
                "after a plot moved: the 100k plots' tiles rebuilt (zoomed in)",
                "changed_s",
            ),
            ("changed_plots_geojson_s", "after the plots rewritten, new names: map with its small layers", "changed_s"),
            ("changed_plots_s", "after the plots rewritten, new names: every layer drawn (tiles reused)", "changed_s"),
            ("pan_s", "pan/zoom to a new area, every tile drawn", "pan_s"),
            ("toggle_hide_s", "toggle, the map's own switch: plots hidden", "toggle_s"),
            ("toggle_show_s", "toggle, the map's own switch: plots drawn again", "toggle_s"),
            ("sidebar_hide_s", "sidebar switch (a rerun; the layer is not sent): plots hidden", "toggle_s"),
            ("sidebar_show_s", "sidebar switch (a rerun; the layer is sent again): plots drawn again", "toggle_s"),
        ):
            values = cast(list[float], figures[key])
            m = med(values)
            shown = ", ".join(f"{v:.2f}" for v in values)
            print(
                f"{label}: {shown} s; median {m:.2f} s (target <= {TARGETS[target]} s: {verdict(m, TARGETS[target])})"
            )
        print(
            f"first open, builds running: {figures['first_open_with_builds_s']:.1f} s; every build done "
            f"{figures['builds_done_after_first_open_s']:.1f} s later"
        )
    print(json.dumps({"ok": True}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the planning map: payload size, rerun server time, and process start -> map drawn in Chromium.

Prints, for the project's own data and for the same store with a synthetic user-data layer of N cluster lots
(dense, full-precision polygons, as a planner's CAD import would be):

- the map payload streamlit-folium sends to the browser (the component's JSON arguments) for the default view,
  against a naive ``folium.GeoJson`` of the same layers in the same run (ratio);
- the server time of reruns that do not change the data (plain rerun, layer toggle, language switch), measured
  with streamlit's AppTest (median, p95);
- process start -> map drawn in the system Chromium (``streamlit run app.py``; store already built).

Run: ``.venv/bin/python bench/bench_map.py [--lots 2000] [--reruns 30] [--starts 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import geopandas as gpd
import numpy as np
from shapely.geometry import Polygon

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DRAWN_JS = "() => window.map && Object.values(window.map._layers).some(l => l.byFeature !== undefined)"


def build_store(path: Path, lots: int) -> None:
    from layers.build import ensure_store
    from layers.settings import Settings

    store = ensure_store(Settings.from_env(store=path))
    if lots:
        rng = np.random.default_rng(7)
        angles = np.linspace(0, 2 * np.pi, 48, endpoint=False)
        geoms = []
        for _ in range(lots):
            lon, lat = rng.uniform(104.30, 104.55), rng.uniform(22.15, 22.40)
            r = rng.uniform(0.0003, 0.0008)  # 30-90 m lots
            geoms.append(Polygon(np.c_[lon + r * np.cos(angles), lat + r * 0.93 * np.sin(angles)]))
        frame = gpd.GeoDataFrame(
            {
                "id": [f"lot_{i}" for i in range(lots)],
                "name": [f"Lô {i}" for i in range(lots)],
                "source": ["bench"] * lots,
                "geom_quality": ["digitised"] * lots,
                "cluster_id": ["ccn_pho_rang"] * lots,
                "lot_no": [str(i) for i in range(lots)],
                "status": rng.choice(["leased", "vacant", "reserved", "negotiating"], lots),
                "tenant": ["Công ty TNHH Bảo Yên"] * lots,
            },
            geometry=geoms,
            crs="EPSG:4326",
        )
        store.write_layer("cluster_lots", frame, user="bench", message="synthetic lots", origin="imported")


def _map_page() -> None:
    from ui import map_page

    map_page.render()


def _naive_page() -> None:
    import folium
    from streamlit_folium import st_folium

    from layers.catalogue import CATALOGUE
    from ui import common

    m = folium.Map(location=[22.29, 104.42], zoom_start=11)
    held = set(common.store().layer_ids())
    for layer in CATALOGUE:
        if layer.visible_by_default and layer.id in held:
            frame = common.layer_frame(layer.id)
            frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
            if len(frame):
                folium.GeoJson(frame, name=layer.id).add_to(m)
    st_folium(m, key="naive", height=640, width=None)


def _payload(at) -> int:
    (component,) = at.get("component_instance")
    return len(component.proto.json_args.encode())


def measure_payload_and_reruns(store: Path, reruns: int) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import state

    os.environ["BAOYEN_STORE"] = str(store)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_function(_map_page, default_timeout=300)
    at.session_state[state.LANG] = "vi"
    t0 = time.perf_counter()
    at.run()
    first_s = time.perf_counter() - t0
    assert not at.exception, at.exception
    ours = _payload(at)
    naive_at = AppTest.from_function(_naive_page, default_timeout=300).run()
    assert not naive_at.exception, naive_at.exception
    naive = _payload(naive_at)

    times: list[float] = []
    toggle = state.MAP_WIDGET + state.MAP_VISIBLE + "hydropower"
    for i in range(reruns):
        kind = i % 3
        if kind == 1:
            box = at.checkbox(key=toggle)
            (box.uncheck() if box.value else box.check())
        elif kind == 2:
            at.session_state[state.LANG] = "en" if at.session_state[state.LANG] == "vi" else "vi"
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    times.sort()
    return {
        "payload_bytes": ours,
        "naive_bytes": naive,
        "first_run_s": first_s,
        "rerun_median_s": statistics.median(times),
        "rerun_p95_s": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
    }


def measure_start_to_drawn(store: Path, starts: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(starts):
            import socket

            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            env = {**os.environ, "BAOYEN_STORE": str(store)}
            cmd = [
                str(Path(sys.executable).with_name("streamlit")),
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
            ]
            t0 = time.monotonic()
            proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                url = f"http://localhost:{port}"
                while True:
                    try:
                        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                            break
                    except OSError:
                        if time.monotonic() - t0 > 60:
                            raise TimeoutError("streamlit did not start") from None
                        time.sleep(0.05)
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.goto(url, wait_until="commit")
                page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]', timeout=60_000)
                frame = page.locator('iframe[title="streamlit_folium.st_folium"]').element_handle().content_frame()
                frame.wait_for_function(DRAWN_JS, timeout=60_000, polling=20)
                out.append(time.monotonic() - t0)
                page.close()
            finally:
                proc.terminate()
                proc.wait(15)
        browser.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--lots", type=int, default=2000, help="synthetic cluster lots in the stress store")
    parser.add_argument("--reruns", type=int, default=30)
    parser.add_argument("--starts", type=int, default=3, help="process starts timed in Chromium (0 to skip)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain, stress = Path(tmp) / "plain.gpkg", Path(tmp) / "stress.gpkg"
        build_store(plain, 0)
        build_store(stress, args.lots)
        for label, store in (("project data", plain), (f"project data + {args.lots} synthetic lots", stress)):
            r = measure_payload_and_reruns(store, args.reruns)
            print(f"== {label}")
            print(f"map payload (default view): {r['payload_bytes'] / 1e6:.3f} MB  (budget 1.5 MB)")
            print(
                f"naive folium.GeoJson of the same layers: {r['naive_bytes'] / 1e6:.3f} MB  "
                f"-> ratio naive/ours {r['naive_bytes'] / r['payload_bytes']:.2f}x"
            )
            print(f"first run (cold cache): {r['first_run_s']:.3f} s")
            print(
                f"rerun without data change ({args.reruns}: rerun/toggle/language): "
                f"median {r['rerun_median_s'] * 1000:.0f} ms, p95 {r['rerun_p95_s'] * 1000:.0f} ms  (budget 300 ms)"
            )
        if args.starts and Path(CHROMIUM).is_file():
            times = measure_start_to_drawn(plain, args.starts)
            print("== process start -> map drawn in Chromium (store built)")
            print(
                f"runs: {', '.join(f'{t:.2f} s' for t in times)}; median {statistics.median(times):.2f} s  (budget 5 s)"
            )
        elif args.starts:
            print(f"== start -> drawn skipped: {CHROMIUM} not found")
    print(json.dumps({"ok": True}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

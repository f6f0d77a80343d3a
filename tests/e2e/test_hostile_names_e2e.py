"""Planners' text is only ever shown, never run: a store whose names are HTML, JS and template syntax, every page.

One app start and one browser page for the whole walk (map, clusters with its map and a lot hovered, materials,
terrain, targets, catalogue, data): the document's title never changes, no injected ``img[src=x]`` or ``svg[onload]``
exists in any frame, no dialog opens, and the tooltips show the hostile names as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from tests.e2e.conftest import ARTIFACTS, MAP_FRAME, App, start_app, stop_app

pytestmark = pytest.mark.e2e

PWN = "document.title='pwned'"
#: what a planner's file may carry: markup with a handler, JS template and jinja syntax, a script break-out
PAYLOADS: tuple[str, ...] = (
    f'<img src=x onerror="{PWN}">',
    "${" + PWN + "}",
    "{{7*7}}",
    f"</script><script>{PWN}</script>",
    '"><svg onload=alert(1)>',
    "`+alert(1)+`",
)
CLUSTER = "ccn_pho_rang"
X0, Y0 = 472_000.0, 2_460_000.0  # EPSG:9208, near Phố Ràng
BOUNDARY = shapely.box(X0, Y0, X0 + 400, Y0 + 250)
#: lots of the cluster, each carrying other payloads as tenant and lot number
LOTS = [shapely.box(X0 + 20 + 90 * i, Y0 + 40, X0 + 100 + 90 * i, Y0 + 200) for i in range(4)]
#: every frame of the page: (its title, injected elements)
PROBE_JS = "() => [document.title, document.querySelectorAll('img[src=\"x\"], svg[onload]').length]"
#: a map frame is ready when streamlit-folium's map exists and holds at least ``n`` GeoJSON features
FEATURES_JS = (
    "(n) => { if (!window.map) return false; let k = 0; window.map.eachLayer(l => { if (l.feature) k++; }); "
    "return k >= n; }"
)
#: hover (as Leaflet sees it) every feature and marker of the map, then open its popup: the tooltips' and popups'
#: text, and how many injected elements were seen meanwhile
OPEN_ALL_JS = """() => {
  const texts = [], bad = 'img[src="x"], svg[onload]';
  let injected = 0;
  window.map.eachLayer(l => {
    if (!l.feature && !(l.getTooltip && l.getTooltip())) return;
    const at = l.getBounds ? l.getBounds().getCenter() : (l.getLatLng ? l.getLatLng() : null);
    if (!at) return;
    l.fire("mouseover", {latlng: at});
    document.querySelectorAll(".leaflet-tooltip").forEach(t => texts.push(t.textContent));
    injected += document.querySelectorAll(bad).length;
    l.fire("mouseout", {latlng: at});
    if (l.getPopup && l.getPopup()) {
      l.openPopup(at);
      const e = l.getPopup().getElement();
      if (e) texts.push(e.textContent);
      injected += document.querySelectorAll(bad).length;
      l.closePopup();
    }
  });
  return [texts, injected];
}"""


def _hostile(i: int) -> str:
    return PAYLOADS[i % len(PAYLOADS)]


def _with_names(frame: gpd.GeoDataFrame, columns: tuple[str, ...], start: int = 0) -> gpd.GeoDataFrame:
    out = frame.copy()
    for col in columns:
        out[col] = [f"{_hostile(start + i)} {v}" for i, v in enumerate(out[col].astype(str))]
    return out


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[App]:
    """The app on a store whose lots, facilities, plants, communes and material zones have hostile names."""
    from layers.build import ensure_store
    from layers.settings import Settings
    from ui import assets

    assets.check()
    path = tmp_path_factory.mktemp("e2e-hostile-store") / "baoyen.gpkg"
    store = ensure_store(Settings.from_env(store=path))
    crs = "EPSG:9208"
    boundary = gpd.GeoDataFrame(
        {"id": [f"{CLUSTER}.boundary1"], "name": [_hostile(0)], "cluster_id": [CLUSTER]}, geometry=[BOUNDARY], crs=crs
    )
    lots = gpd.GeoDataFrame(
        {
            "id": [f"{CLUSTER}.lot{i + 1}" for i in range(len(LOTS))],
            "name": [_hostile(i + 2) for i in range(len(LOTS))],
            "source": [_hostile(i + 3) for i in range(len(LOTS))],
            "geom_quality": ["digitised"] * len(LOTS),
            "cluster_id": [CLUSTER] * len(LOTS),
            "lot_no": [_hostile(i + 1) for i in range(len(LOTS))],
            "status": ["operating", "allocated", "vacant", "building"],
            "tenant": [_hostile(i) for i in range(len(LOTS))],
            "sector": [_hostile(i + 4) for i in range(len(LOTS))],
        },
        geometry=LOTS,
        crs=crs,
    )
    facilities = gpd.GeoDataFrame(
        {
            "id": ["fac1", "fac2"],
            "name": [_hostile(0), _hostile(1)],
            "geom_quality": ["approximate", "approximate"],
            "sector": [_hostile(2), _hostile(3)],
            "to_relocate": [True, True],
        },
        geometry=[shapely.Point(X0 + 2000, Y0 + 2000), shapely.Point(X0 + 3000, Y0 + 1000)],
        crs=crs,
    )
    plants = store.read_layer("processing_plants")
    located = ~(plants.geometry.isna() | plants.geometry.is_empty)
    plants.loc[located.to_numpy().nonzero()[0][0], "name"] = "${" + PWN + "}"  # the plant the page shows first
    plants = _with_names(plants, ("name",), start=1)
    communes = _with_names(store.read_layer("communes_legacy"), ("ten_xa", "name"))
    zones = _with_names(store.read_layer("material_zones_plan"), ("name",), start=2)
    for layer_id, frame in (
        ("cluster_boundaries", boundary),
        ("cluster_lots", lots),
        ("ttcn_facilities", facilities),
        ("processing_plants", plants),
        ("communes_legacy", communes),
        ("material_zones_plan", zones),
    ):
        store.write_layer(layer_id, gpd.GeoDataFrame(pd.DataFrame(frame), crs=frame.crs), user="e2e", message="x")
    running = start_app(path, tmp_path_factory.mktemp("e2e-hostile-log") / "streamlit.log")
    yield running
    stop_app(running)


def test_hostile_names_are_shown_as_text_on_every_page(browser: object, hostile_app: App) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1500, "height": 1050}, locale="vi-VN")  # type: ignore[attr-defined]
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    seen: list[str] = []

    def assert_clean(where: str) -> None:
        for frame in pg.frames:
            title, injected = frame.evaluate(PROBE_JS)
            assert "pwned" not in title and injected == 0, (where, frame.url, title, injected)
        assert dialogs == [], (where, dialogs)
        assert pg.locator('[data-testid="stException"]').count() == 0, where

    def open_page(path: str, ready_text: str) -> None:
        pg.goto(f"{hostile_app.url}/{path}", wait_until="domcontentloaded")
        main = pg.locator('[data-testid="stMain"]')
        main.get_by_role("heading", name=ready_text).first.wait_for(timeout=60_000)

    def map_frame(features: int):  # -> playwright Frame
        pg.wait_for_selector(MAP_FRAME, timeout=60_000)
        frame = pg.locator(MAP_FRAME).first.element_handle().content_frame()
        frame.wait_for_function(FEATURES_JS, arg=features, timeout=60_000)
        return frame

    try:
        # the planning map: the facilities and communes, their tooltips and popups
        open_page("", "Bản đồ quy hoạch")
        frame = map_frame(10)
        texts, injected = frame.evaluate(OPEN_ALL_JS)
        assert injected == 0
        seen += texts
        assert_clean("map")

        # the clusters page: its map, and the mouse over each lot
        open_page("cum-cong-nghiep", "Cụm công nghiệp")
        frame = map_frame(len(LOTS))
        pg.locator(MAP_FRAME).first.scroll_into_view_if_needed()
        pg.wait_for_timeout(300)
        box = frame.locator("#map_div").bounding_box()
        centres = gpd.GeoSeries([lot.centroid for lot in LOTS], crs="EPSG:9208").to_crs("EPSG:4326")
        for pt in centres:
            x, y = frame.evaluate(
                "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
                [pt.y, pt.x],
            )
            tip = frame.locator(".leaflet-tooltip").last
            for dx in (0, 4, -4, 8):  # the canvas finds the lot under the mouse on the next move
                pg.mouse.move(box["x"] + x + dx, box["y"] + y, steps=4)
                try:
                    tip.wait_for(timeout=3_000)
                    break
                except PlaywrightTimeout:
                    continue
            tip.wait_for(timeout=3_000)
            seen.append(tip.text_content() or "")
            assert_clean("clusters, a lot hovered")
            if PAYLOADS[0] in seen[-1]:
                pg.screenshot(path=str(ARTIFACTS / "clusters_hostile_tooltip.png"))
            pg.mouse.move(box["x"] + 5, box["y"] + 5)
        assert any(PAYLOADS[0] in text for text in seen)  # the tenant, as text
        assert_clean("clusters")

        # the raw-material page: communes, zones and the plant on its map
        open_page("vung-nguyen-lieu", "Vùng nguyên liệu")
        frame = map_frame(17)
        texts, injected = frame.evaluate(OPEN_ALL_JS)
        assert injected == 0
        seen += texts
        assert any("${" + PWN + "}" in text for text in texts)  # the plant's name, as text
        assert_clean("materials")

        for path, ready in (
            ("dia-hinh", "Địa hình & chọn địa điểm"),
            ("muc-tieu", "Mục tiêu & kinh phí"),
            ("danh-muc", "Danh mục lớp dữ liệu"),
            ("du-lieu", "Dữ liệu"),
        ):
            open_page(path, ready)
            pg.wait_for_timeout(1500)
            assert_clean(path)
        for payload in PAYLOADS:  # each payload reached a tooltip or popup and reads as typed
            assert any(payload in text for text in seen), payload
        pg.wait_for_timeout(500)  # a late onerror or template would have run by now
        assert_clean("end")
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / "hostile_names_failure.png"), full_page=True)
        raise
    finally:
        context.close()

"""Drawing lots on the Cụm công nghiệp map in a real browser (system Chromium), offline: Leaflet.draw is served by the
app, a polygon drawn with the mouse becomes a lot in the store, with who drew it and when."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from layers.store import open_store
from services.accounts import grant
from tests.conftest import signed
from tests.e2e.conftest import (
    MAP_FRAME,
    App,
    Page,
    click_and_wait_saved,
    map_frame,
    save_screenshot,
    sign_in,
    start_app,
    stop_app,
    wait_idle,
)

pytestmark = pytest.mark.e2e

CLUSTER = "ccn_pho_rang"
USER = "chuyen_vien_e2e"
X0, Y0 = 472_000.0, 2_460_000.0  # EPSG:9208, near Phố Ràng
BOUNDARY = shapely.box(X0, Y0, X0 + 400, Y0 + 250)
READY_JS = "() => window.map && document.querySelector('.leaflet-draw-draw-polygon') !== null"
SAVED = re.compile("Đã lưu Lô đất, phiên bản")


@pytest.fixture(scope="module")
def draw_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[App]:
    """The app on a store of its own whose CCN Phố Ràng has a boundary and no lots, run by a known user."""
    from layers.build import ensure_store
    from layers.settings import Settings
    from ui import assets
    from ui.cluster_edits import replace_cluster_features

    assets.check()
    path = tmp_path_factory.mktemp("e2e-draw-store") / "baoyen.gpkg"
    store = ensure_store(Settings.from_env(store=path))
    boundary = gpd.GeoDataFrame(
        {"id": [f"{CLUSTER}.boundary1"], "name": ["CCN Phố Ràng"], "cluster_id": [CLUSTER]},
        geometry=[BOUNDARY],
        crs="EPSG:9208",
    )
    current = store.read_layer("cluster_boundaries") if store.has_layer("cluster_boundaries") else boundary.iloc[0:0]
    store.write_layer(
        "cluster_boundaries", replace_cluster_features(current, boundary, CLUSTER), user="e2e", message="test boundary"
    )
    # the planner who draws: an editor of the cluster layers, signed in with the sidebar's form in each test
    signed(store, USER, role="editor")
    for layer in ("cluster_lots", "cluster_boundaries", "cluster_zoning"):
        grant(store, USER, layer, "rw", actor=signed(store))
    running = start_app(path, tmp_path_factory.mktemp("e2e-draw-log") / "streamlit.log")
    yield running
    stop_app(running)


@pytest.fixture
def draw_page(browser: object, draw_app: App) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 1050}, locale="vi-VN")  # type: ignore[attr-defined]
    pg = context.new_page()
    recorded = Page(pg)
    pg.on("request", lambda req: recorded.requests.append(req.url))
    pg.on("websocket", lambda ws: recorded.requests.append(ws.url))
    yield recorded
    context.close()


def open_clusters_map(page: Page, app: App):  # -> playwright Frame
    sign_in(page, app, USER)
    pg = page.page
    pg.goto(f"{app.url}/cum-cong-nghiep", wait_until="domcontentloaded")
    pg.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = map_frame(pg)
    frame.wait_for_function(READY_JS, timeout=60_000)
    pg.wait_for_timeout(300)
    return frame


def assert_offline(page: Page) -> None:
    assert page.requests, "no request was recorded"
    assert page.foreign_requests() == []


def test_the_draw_toolbar_is_served_by_the_app(draw_page: Page, draw_app: App) -> None:
    frame = open_clusters_map(draw_page, draw_app)
    assert frame.evaluate("() => typeof L.Control.Draw === 'function' && L.drawVersion") == "1.0.2"
    # only the tools for lots: polygon and rectangle, plus editing and deleting what was drawn
    for tool in ("draw-polygon", "draw-rectangle", "edit-edit", "edit-remove"):
        assert frame.locator(f".leaflet-draw-{tool}").count() == 1, tool
    for tool in ("draw-polyline", "draw-circle", "draw-marker", "draw-circlemarker"):
        assert frame.locator(f".leaflet-draw-{tool}").count() == 0, tool
    # in Vietnamese, and its icons come from the vendored sprite sheet
    assert frame.locator(".leaflet-draw-draw-polygon").get_attribute("title") == "Vẽ lô (đa giác)"
    sprite = frame.evaluate("() => getComputedStyle(document.querySelector('.leaflet-draw-toolbar a')).backgroundImage")
    assert "/app/static/vendor/leaflet-draw/images/spritesheet" in sprite
    draw_page.page.wait_for_timeout(500)
    assert any(u.endswith("/app/static/vendor/leaflet-draw/leaflet.draw.js") for u in draw_page.requests)
    assert any(u.endswith("/app/static/vendor/leaflet-draw/leaflet.draw.css") for u in draw_page.requests)
    assert draw_page.page.locator('[data-testid="stException"]').count() == 0
    assert_offline(draw_page)


def test_a_polygon_drawn_with_the_mouse_is_saved_as_a_lot(draw_page: Page, draw_app: App) -> None:
    pg = draw_page.page
    frame = open_clusters_map(draw_page, draw_app)
    store = open_store(draw_app.store)
    before = store.current_version("cluster_lots") if store.has_layer("cluster_lots") else 0
    corners = gpd.GeoSeries(
        [shapely.Point(X0 + dx, Y0 + dy) for dx, dy in ((60, 40), (220, 40), (220, 190), (60, 190))], crs="EPSG:9208"
    ).to_crs("EPSG:4326")
    pg.locator(MAP_FRAME).scroll_into_view_if_needed()  # the mouse only reaches what is on screen
    pg.wait_for_timeout(300)
    box = frame.locator("#map_div").bounding_box()
    points = [
        frame.evaluate(
            "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
            [pt.y, pt.x],
        )
        for pt in corners
    ]
    frame.locator(".leaflet-draw-draw-polygon").click()
    for x, y in [*points, points[0]]:  # the last click, on the first corner, closes the polygon
        pg.mouse.click(box["x"] + x, box["y"] + y)
        pg.wait_for_timeout(250)
    frame.wait_for_function("() => window.drawnItems.getLayers().length === 1", timeout=10_000)
    drawn = frame.evaluate("() => window.drawnItems.toGeoJSON().features[0].geometry")
    form = pg.locator('[data-testid="stForm"]')
    form.wait_for(timeout=90_000)  # the drawing reran the page, which now asks for the lot's details
    pg.get_by_text(re.compile(r"Hình 1: \d+,\d{4} ha")).wait_for(timeout=30_000)  # the form's caption, drawn after it
    assert pg.get_by_text(re.compile(r"Hình 1: \d+,\d{4} ha")).count() == 1
    save_screenshot(draw_page, "clusters_drawn_polygon.png")
    wait_idle(pg)  # the run that drew the form has ended: what is typed now is not raced by it
    form.get_by_label("Số lô").fill("D1")
    form.get_by_label("Đơn vị thuê").fill("Nhôm kính Phố Ràng")
    form.get_by_label("Số lô").press("Tab")
    click_and_wait_saved(
        draw_page,
        form.get_by_role("button", name="Lưu lô"),
        SAVED,
        moved=lambda: open_store(draw_app.store).current_version("cluster_lots") > before,
        app=draw_app,
        shot="failed_new_lot_save.png",
    )

    lots = open_store(draw_app.store).read_layer("cluster_lots")
    assert open_store(draw_app.store).current_version("cluster_lots") == before + 1
    lot = lots[lots["lot_no"] == "D1"].iloc[0]
    expected = gpd.GeoSeries([shapely.geometry.shape(drawn)], crs="EPSG:4326").to_crs("EPSG:9208").iloc[0]
    assert lot.geometry.area == pytest.approx(expected.area, rel=1e-6)
    assert lot.geometry.area == pytest.approx(160 * 150, rel=0.03)  # the corners clicked, to a pixel (≈ 1 m)
    assert (lot["cluster_id"], lot["tenant"], lot["status"]) == (CLUSTER, "Nhôm kính Phố Ràng", "vacant")
    assert (lot["geom_quality"], lot["source"]) == ("digitised", f"vẽ trên bản đồ ({USER}, {dt.date.today()})")
    latest = open_store(draw_app.store).history("cluster_lots")[-1]
    assert latest.user == USER and "D1" in latest.message
    # a new map without the saved drawing; the lot is now drawn among the cluster's lots
    pg.wait_for_timeout(1000)
    frame = map_frame(pg)
    frame.wait_for_function(READY_JS, timeout=30_000)
    assert frame.evaluate("() => window.drawnItems.getLayers().length") == 0
    assert pg.locator('[data-testid="stForm"]').count() == 0
    assert pg.locator('[data-testid="stException"]').count() == 0
    save_screenshot(draw_page, "clusters_saved_lot.png")
    assert_offline(draw_page)


def test_no_leaflet_draw_file_is_missing(draw_app: App) -> None:
    """Every file the vendored stylesheet and script refer to answers from the app's static server."""
    import urllib.request

    for rel in ("leaflet-draw/leaflet.draw.js", "leaflet-draw/leaflet.draw.css", "leaflet-draw/images/spritesheet.svg"):
        with urllib.request.urlopen(f"{draw_app.url}/app/static/vendor/{rel}", timeout=10) as resp:
            assert resp.status == 200 and resp.read(), rel


def test_a_stored_lot_reshaped_on_the_map_keeps_its_id_and_gets_the_new_shape(draw_page: Page, draw_app: App) -> None:
    pg = draw_page.page
    store = open_store(draw_app.store)
    lot = gpd.GeoDataFrame(
        {
            "id": [f"{CLUSTER}.lot90"],
            "name": ["Lô R1"],
            "source": ["hồ sơ thửa đất"],
            "geom_quality": ["surveyed"],
            "cluster_id": [CLUSTER],
            "lot_no": ["R1"],
            "status": ["operating"],
        },
        geometry=[shapely.box(X0 + 250, Y0 + 20, X0 + 350, Y0 + 120)],
        crs="EPSG:9208",
    )
    current = store.read_layer("cluster_lots") if store.has_layer("cluster_lots") else lot.iloc[0:0]
    store.write_layer(
        "cluster_lots",
        gpd.GeoDataFrame(pd.concat([current, lot], ignore_index=True), crs="EPSG:9208"),
        user="e2e",
        message="test lot",
    )
    before = open_store(draw_app.store).current_version("cluster_lots")
    open_clusters_map(draw_page, draw_app)
    picker = pg.locator('[data-testid="stSelectbox"]').filter(has_text="Sửa hình dạng lô trên bản đồ")
    picker.click()
    pg.get_by_role("option", name="R1").click()
    # the map is made anew with the lot in Leaflet.draw's layer
    pg.wait_for_timeout(1500)
    frame = map_frame(pg)
    frame.wait_for_function("() => window.drawnItems && window.drawnItems.getLayers().length === 1", timeout=30_000)
    pg.locator(MAP_FRAME).scroll_into_view_if_needed()
    pg.wait_for_timeout(300)
    box = frame.locator("#map_div").bounding_box()
    frame.locator(".leaflet-draw-edit-edit").click()
    frame.wait_for_selector(".leaflet-editing-icon", timeout=10_000)
    # drag the lot's north-east corner 40 px further north-east
    ne = gpd.GeoSeries([shapely.Point(X0 + 350, Y0 + 120)], crs="EPSG:9208").to_crs("EPSG:4326").iloc[0]
    x, y = frame.evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }", [ne.y, ne.x]
    )
    pg.mouse.move(box["x"] + x, box["y"] + y)
    pg.mouse.down()
    for step in range(1, 9):
        pg.mouse.move(box["x"] + x + 5 * step, box["y"] + y - 5 * step)
        pg.wait_for_timeout(30)
    pg.mouse.up()
    frame.locator(".leaflet-draw-actions a", has_text="Lưu").click()  # the toolbar's save: draw:edited
    shape = frame.evaluate("() => window.drawnItems.toGeoJSON().features[0]")
    assert shape["properties"] == {"baoyen_reshape": True}
    button = pg.get_by_role("button", name="Lưu hình mới của lô R1")
    button.wait_for(timeout=90_000)
    click_and_wait_saved(
        draw_page,
        button,
        SAVED,
        moved=lambda: open_store(draw_app.store).current_version("cluster_lots") > before,
        app=draw_app,
        shot="failed_reshape_save.png",
    )

    saved = open_store(draw_app.store).read_layer("cluster_lots").set_index("id").loc[f"{CLUSTER}.lot90"]
    expected = gpd.GeoSeries([shapely.geometry.shape(shape["geometry"])], crs="EPSG:4326").to_crs("EPSG:9208").iloc[0]
    assert saved.geometry.area == pytest.approx(expected.area, rel=1e-6)
    assert saved.geometry.area > 100 * 100 + 500  # the corner moved out by about 40 m each way
    assert (saved["lot_no"], saved["status"]) == ("R1", "operating")
    assert (saved["geom_quality"], saved["source"]) == ("digitised", f"vẽ trên bản đồ ({USER}, {dt.date.today()})")
    # a new map: the lot is back among the cluster's lots, nothing left in the drawing layer
    pg.wait_for_timeout(1000)
    frame = map_frame(pg)
    frame.wait_for_function(READY_JS, timeout=30_000)
    assert frame.evaluate("() => window.drawnItems.getLayers().length") == 0
    assert pg.locator('[data-testid="stException"]').count() == 0
    pg.wait_for_timeout(300)
    save_screenshot(draw_page, "clusters_reshaped_lot.png")
    assert_offline(draw_page)

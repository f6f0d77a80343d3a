"""The planning map in a real browser (system Chromium), offline: it draws, switches, searches, and stays local."""

from __future__ import annotations

import re

import pytest

from layers.catalogue import CATALOGUE
from layers.store import open_store
from tests.e2e.conftest import MAP_FRAME, App, Page, save_screenshot

pytestmark = pytest.mark.e2e

COUNT_JS = """() => {
  const c = {};
  Object.values(window.map._layers).forEach(l => {
    if (l.byFeature !== undefined) { c[l.byLayer] = (c[l.byLayer] || 0) + 1; }
  });
  return c;
}"""
INK_JS = """() => {
  let n = 0;
  document.querySelectorAll(".leaflet-overlay-pane canvas").forEach(c => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } }
  });
  return n;
}"""
DRAWN_JS = "() => window.map && Object.values(window.map._layers).some(l => l.byFeature !== undefined)"


def located_counts(app: App) -> dict[str, int]:
    store = open_store(app.store)
    out = {}
    for layer_id in store.layer_ids():
        frame = store.read_layer(layer_id)
        n = int((~(frame.geometry.isna() | frame.geometry.is_empty)).sum())
        if n:
            out[layer_id] = n
    return out


def open_map(page: Page, app: App):  # -> playwright Frame
    pg = page.page
    pg.goto(app.url, wait_until="domcontentloaded")
    pg.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = pg.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(DRAWN_JS, timeout=60_000)
    pg.wait_for_timeout(300)  # let the canvas finish its frame
    return frame


def assert_no_exception(page: Page) -> None:
    assert page.page.locator('[data-testid="stException"]').count() == 0


def assert_offline(page: Page) -> None:
    assert page.requests, "no request was recorded"
    assert page.foreign_requests() == []


def test_map_draws_every_default_layer_offline(page: Page, app: App) -> None:
    frame = open_map(page, app)
    counts = located_counts(app)
    expected = {layer.id: counts[layer.id] for layer in CATALOGUE if layer.visible_by_default and layer.id in counts}
    assert frame.evaluate(COUNT_JS) == expected
    assert frame.evaluate(INK_JS) > 10_000  # the canvas really has ink on it
    assert frame.evaluate("() => typeof L !== 'undefined' && L.version") == "1.9.4"
    # the legend shows, with a symbol per visible layer and the note on geometry quality
    legend = page.page.get_by_text("Chú giải", exact=True)
    assert legend.is_visible()
    assert page.page.locator(".by-sym").count() >= len(expected)
    assert page.page.get_by_text("Độ tin cậy hình học", exact=True).is_visible()
    assert_no_exception(page)
    save_screenshot(page, "map_default.png")
    assert_offline(page)
    assert any("/app/static/vendor/leaflet/leaflet.js" in u for u in page.requests)


def test_switching_a_layer_off_removes_its_features_and_keeps_the_view(page: Page, app: App) -> None:
    frame = open_map(page, app)
    n = located_counts(app)["hydropower"]
    assert frame.evaluate(COUNT_JS)["hydropower"] == n
    frame.evaluate("() => window.map.setView([22.3, 104.45], 12)")
    page.page.wait_for_timeout(500)
    sidebar = page.page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(re.compile(rf"^Thủy điện \(sơ đồ\) \({n}\)$")).click()
    frame.wait_for_function("() => !Object.values(window.map._layers).some(l => l.byLayer === 'hydropower')")
    counts = frame.evaluate(COUNT_JS)
    assert "hydropower" not in counts and counts["clusters"] == located_counts(app)["clusters"]
    view = frame.evaluate("() => [window.map.getCenter().lat, window.map.getCenter().lng, window.map.getZoom()]")
    assert view == pytest.approx([22.3, 104.45, 12], abs=1e-6)
    sidebar.get_by_text(re.compile(rf"^Thủy điện \(sơ đồ\) \({n}\)$")).click()
    frame.wait_for_function("() => Object.values(window.map._layers).some(l => l.byLayer === 'hydropower')")
    assert_no_exception(page)
    assert_offline(page)


def test_pan_and_zoom_do_not_rerun_the_page(page: Page, app: App) -> None:
    frame = open_map(page, app)
    frame.evaluate(
        """() => {
          window.__sent = 0;
          const orig = window.Streamlit.setComponentValue;
          window.Streamlit.setComponentValue = function (v) { window.__sent += 1; return orig.call(this, v); };
        }"""
    )
    frame.evaluate("() => { window.map.panBy([120, 80], {animate: false}); window.map.setZoom(13); }")
    page.page.wait_for_timeout(1200)  # streamlit-folium debounces by 250 ms
    assert frame.evaluate("() => window.__sent") == 0
    assert frame.evaluate("() => window.map.getZoom()") == 13


def test_search_pho_rang_lands_on_pho_rang(page: Page, app: App) -> None:
    frame = open_map(page, app)
    box = page.page.locator('input[aria-label="Tìm theo tên"]')
    box.fill("pho rang")
    box.press("Enter")
    frame.wait_for_function(
        "() => [...document.querySelectorAll('.leaflet-tooltip.by-hl')].some(t => t.textContent.includes('Phố Ràng'))",
        timeout=30_000,
    )
    page.page.wait_for_timeout(800)
    near = frame.evaluate(
        """() => {
          const tip = Object.values(window.map._layers)
            .find(l => l instanceof L.Tooltip && l.options.className === 'by-hl');
          return [window.map.getCenter().distanceTo(tip.getLatLng()), window.map.getZoom(),
                  window.map.getBounds().contains(tip.getLatLng())];
        }"""
    )
    distance_m, zoom, inside = near
    assert inside and zoom >= 12 and distance_m < 3000
    # the result's attributes are in the side panel (drawn by the page's run after the map's, on a loaded machine)
    page.page.locator('[data-testid="stTable"]').get_by_text(re.compile("Phố Ràng")).first.wait_for(timeout=60_000)
    assert_no_exception(page)
    save_screenshot(page, "map_search_pho_rang.png")
    assert_offline(page)


def test_clicking_a_feature_opens_its_popup_and_side_panel(page: Page, app: App) -> None:
    frame = open_map(page, app)
    x, y = frame.evaluate(
        """() => {
          const l = Object.values(window.map._layers).find(l => l.byLayer === 'water_plants');
          const p = window.map.latLngToContainerPoint(l.getLatLng());
          return [p.x, p.y];
        }"""
    )
    box = page.page.locator(MAP_FRAME).bounding_box()
    page.page.mouse.click(box["x"] + x, box["y"] + y)
    frame.wait_for_selector(".leaflet-popup-content .by-name", timeout=10_000)
    name = frame.locator(".leaflet-popup-content .by-name").inner_text()
    assert name
    assert frame.locator(".leaflet-popup-content").get_by_text("Nguồn", exact=False).count() >= 1
    table = page.page.locator('[data-testid="stTable"]')
    table.get_by_text(name, exact=True).first.wait_for(timeout=15_000)
    assert_no_exception(page)
    assert_offline(page)


def test_tile_basemap_without_network_keeps_vectors_and_is_remembered(page: Page, app: App) -> None:
    pg = page.page
    # no network: anything not on this machine fails at once, as it would offline
    pg.route(
        re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"),
        lambda route: route.abort("internetdisconnected"),
    )
    frame = open_map(page, app)
    expected = frame.evaluate(COUNT_JS)
    pg.locator('[data-testid="stSidebar"]').get_by_text("OpenStreetMap (cần mạng)").click()
    frame.wait_for_function("() => Object.values(window.map._layers).some(l => l instanceof L.TileLayer)")
    pg.wait_for_timeout(800)
    assert frame.evaluate(COUNT_JS) == expected  # vector layers unaffected by the blank tiles
    assert any("tile.openstreetmap.org" in u for u in page.foreign_requests())
    assert set(page.foreign_requests()) <= {u for u in page.requests if "tile.openstreetmap.org" in u}
    # the choice survives a visit to the other page
    pg.locator('[data-testid="stSidebarNav"]').get_by_text("Danh mục lớp dữ liệu").click()
    pg.wait_for_selector('[data-testid="stDataFrame"]', timeout=30_000)
    pg.locator('[data-testid="stSidebarNav"]').get_by_text("Bản đồ quy hoạch").click()
    pg.wait_for_selector(MAP_FRAME, timeout=30_000)
    frame = pg.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(DRAWN_JS, timeout=30_000)
    frame.wait_for_function("() => Object.values(window.map._layers).some(l => l instanceof L.TileLayer)")
    chosen = pg.locator('[data-testid="stSidebar"] label:has(input:checked)')
    assert chosen.filter(has_text="OpenStreetMap").count() == 1
    assert_no_exception(page)


POPUP_JS = """(fid) => {
  const l = Object.values(window.map._layers).find(x => x.byFeature === fid);
  if (!l) { return null; }
  l.openPopup();
  const el = document.querySelector('.leaflet-popup-content');
  return el ? el.innerText : null;
}"""


def test_popup_gives_figures_quality_targets_and_source(page: Page, app: App) -> None:
    frame = open_map(page, app)
    text = frame.evaluate(POPUP_JS, "hydro_bao_ha")
    assert text is not None, "the Bảo Hà hydropower feature was not drawn"
    assert "75" in text and "MW" in text  # key figure from the plan
    assert "Sơ đồ" in text  # its geometry quality, said in words (a stand-in position: schematic)
    assert "40" in text  # the province's 40 MW proposal is shown beside the plan's 75 MW
    assert "(6) Thủy điện" in text  # the plan target it serves, named, not only numbered
    assert "III.3a" in text  # its source
    assert_no_exception(page)
    assert_offline(page)


CURSOR_JS = "() => { const d = document.querySelector('.by-cursor'); return d ? d.innerText : null; }"
MEASURED = re.compile(r"Đường 1: ([\d.]+,\d) m")


def _vi_number(text: str) -> float:
    from geo.numbers import parse_number

    return parse_number(text, "vi")


def test_cursor_measure_and_print_work_offline(page: Page, app: App) -> None:
    """The QGIS user's tools: the cursor in VN-2000, a measured distance, and the printed map as PNG and PDF."""
    import io

    from PIL import Image
    from pyproj import Geod, Proj

    from geo.crs import transformer

    pg = page.page
    frame = open_map(page, app)
    box = pg.locator(MAP_FRAME).bounding_box()

    def screen(lat: float, lon: float) -> tuple[float, float, float, float]:
        """The page pixel of (lat, lon), and the lat/lon the map gives that exact pixel."""
        x, y, la, lo = frame.evaluate(
            """([lat, lon]) => {
              const p = window.map.latLngToContainerPoint([lat, lon]).round();
              const ll = window.map.containerPointToLatLng(p);
              return [p.x, p.y, ll.lat, ll.lng];
            }""",
            [lat, lon],
        )
        return box["x"] + x, box["y"] + y, la, lo

    # the scale bar is metric only; commune names are written on the map, as text
    assert frame.locator(".leaflet-control-scale-line").count() == 1
    assert not re.search(r"\b(mi|ft)\b", frame.locator(".leaflet-control-scale").inner_text())
    assert frame.locator(".leaflet-tooltip.by-commune").filter(has_text="Phố Ràng").count() == 1

    # cursor: X (northing) and Y (easting) in VN-2000 as pyproj computes them for the degrees shown, to < 1 m
    x, y, lat, lon = screen(22.2446, 104.4782)
    pg.mouse.move(x, y)
    frame.wait_for_function("() => document.querySelector('.by-cursor .by-x') !== null")
    cursor = frame.evaluate(CURSOR_JS)
    shown = {k: frame.locator(f".by-cursor .by-{k}").inner_text() for k in ("x", "y", "lat", "lng")}
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+,\d", shown["x"]), cursor  # Vietnamese number format
    shown_lat, shown_lon = _vi_number(shown["lat"]), _vi_number(shown["lng"])
    assert abs(shown_lat - lat) < 3e-3 and abs(shown_lon - lon) < 3e-3  # within a few pixels (~70 m each)
    easting, northing = transformer(4326, 9208).transform(shown_lon, shown_lat)
    assert abs(_vi_number(shown["x"]) - northing) < 1.0 and abs(_vi_number(shown["y"]) - easting) < 1.0

    # measure: a line of two clicks; the page gives its length in EPSG:9208, i.e. the geodesic one × the TM-3
    # scale factor there (0.99991), to 1e-4 of it plus the pixel rounding of the clicks
    frame.locator(".leaflet-draw-draw-polyline").click()
    ax, ay, alat, alon = screen(22.2446, 104.4782)
    bx, by, blat, blon = screen(22.2446 + 0.02, 104.4782 + 0.03)
    pg.mouse.click(ax, ay)
    pg.wait_for_timeout(300)
    pg.mouse.click(bx, by)
    pg.wait_for_timeout(300)
    pg.mouse.click(bx, by)  # the last point again: finish
    pg.get_by_text(MEASURED).wait_for(timeout=30_000)
    measured = _vi_number(MEASURED.search(pg.get_by_text(MEASURED).inner_text()).group(1))
    geodesic = Geod(ellps="WGS84").inv(alon, alat, blon, blat)[2]
    k = Proj("EPSG:9208").get_factors((alon + blon) / 2, (alat + blat) / 2).meridional_scale
    assert measured == pytest.approx(geodesic * k, rel=1e-4)
    assert 3_000 < measured < 4_500

    # print: the view as the frame, then an A4 landscape PNG at 150 dpi and its PDF, with the legend
    pg.get_by_text("In bản đồ (PNG, PDF)").click()
    pg.get_by_text("Khung in: toàn huyện", exact=False).wait_for(timeout=30_000)
    frame.locator(".by-print a").click()
    pg.get_by_text("Khung in: khung nhìn của bản đồ", exact=False).wait_for(timeout=30_000)
    pg.get_by_role("button", name="Tạo bản in").click()
    pg.get_by_role("button", name="Tải ảnh PNG").wait_for(timeout=90_000)
    with pg.expect_download(timeout=60_000) as png_dl:
        pg.get_by_role("button", name="Tải ảnh PNG").click()
    image = Image.open(io.BytesIO(png_dl.value.path().read_bytes()))
    assert abs(image.size[0] - 297 / 25.4 * 150) < 1 and abs(image.size[1] - 210 / 25.4 * 150) < 1
    legend = image.text["Description"]
    assert legend.startswith("Chú giải: ") and "Thủy điện" in legend and "Sơ đồ" in legend
    assert png_dl.value.suggested_filename.endswith(".png")
    with pg.expect_download(timeout=60_000) as pdf_dl:
        pg.get_by_role("button", name="Tải PDF").click()
    pdf = pdf_dl.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    (media,) = re.findall(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf)
    assert float(media[0]) == pytest.approx(297 / 25.4 * 72, abs=0.1)
    assert float(media[1]) == pytest.approx(210 / 25.4 * 72, abs=0.1)
    assert_no_exception(page)
    save_screenshot(page, "map_tools.png")
    assert_offline(page)

"""Real commune boundaries from the Dữ liệu page, in a real browser (system Chromium), offline: the map then draws
the real communes under a title that says they are digitised, and the report that is due no longer calls the
communes schematic."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from docx import Document

from layers.store import open_store
from tests.conftest import signed
from tests.e2e.conftest import MAP_FRAME, App, Page, map_frame, save_screenshot, sign_in, start_app, stop_app, wait_idle

pytestmark = pytest.mark.e2e

REAL = "bao_yen_communes_2020.geojson"
#: bounds (south, west, north, east) of the features a layer draws, and how many it draws
BOUNDS_JS = """(layerId) => {
  const b = L.latLngBounds([]); let n = 0;
  Object.values(window.map._layers).forEach(l => {
    if (l.byLayer === layerId && l.byFeature !== undefined && l.getBounds) { b.extend(l.getBounds()); n++; }
  });
  return n ? [n, b.getSouth(), b.getWest(), b.getNorth(), b.getEast()] : [0];
}"""


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[App]:
    """The app on a fresh store of its own (schematic communes), with its admin account."""
    from layers.build import ensure_store
    from layers.settings import Settings
    from ui import assets

    assets.check()
    path = tmp_path_factory.mktemp("e2e-boundaries-store") / "baoyen.gpkg"
    signed(ensure_store(Settings.from_env(store=path)))  # the admin, with the test password
    running = start_app(path, tmp_path_factory.mktemp("e2e-boundaries-log") / "streamlit.log")
    yield running
    stop_app(running)


def test_real_boundaries_from_the_data_page_reach_the_map_and_the_report(
    browser: object, fresh_app: App, shared_data: Path
) -> None:
    app = fresh_app
    context = browser.new_context(viewport={"width": 1500, "height": 1050}, locale="vi-VN")  # type: ignore[attr-defined]
    pg = context.new_page()
    page = Page(pg)
    pg.on("request", lambda req: page.requests.append(req.url))
    pg.on("websocket", lambda ws: page.requests.append(ws.url))
    try:
        sign_in(page, app, "admin")

        # Dữ liệu: the commune layer (the first one offered), the real file, the boundary import
        pg.goto(f"{app.url}/du-lieu", wait_until="domcontentloaded")
        target = pg.locator('[data-testid="stSelectbox"]').filter(has_text="Nhập vào lớp")
        target.wait_for(timeout=60_000)
        # the title says what the stored communes are worth: schematic cells before the import
        assert target.get_by_role("combobox").input_value() == "Xã, thị trấn trước 7/2025 (sơ đồ) (communes_legacy)"
        pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(shared_data / REAL))
        commit = pg.get_by_role("button", name="Nhập ranh giới xã")
        commit.wait_for(timeout=60_000)
        wait_idle(pg)
        commit.click()
        # three layers rewritten in one transaction, then the page's rerun: 90 s, as every save's wait
        pg.get_by_text(re.compile(r"Đã khớp 17/17 đơn vị \(theo mã: 17")).wait_for(timeout=90_000)
        store = open_store(app.store)
        assert set(store.read_layer("communes_legacy")["geom_quality"]) == {"digitised"}
        assert set(store.read_layer("material_zones_plan")["geom_quality"]) == {"digitised", "unlocated"}

        # the map: the real communes and the real district are drawn, under titles that say digitised
        pg.goto(app.url, wait_until="domcontentloaded")
        pg.wait_for_selector(MAP_FRAME, timeout=60_000)
        frame = map_frame(pg)
        frame.wait_for_function("() => window.map && Object.values(window.map._layers).some(l => l.byFeature)")
        south, west, north, east = (float(v) for v in gpd.read_file(shared_data / REAL).total_bounds[[1, 0, 3, 2]])
        for layer_id in ("communes_legacy", "material_zones_plan"):
            drawn = frame.evaluate(BOUNDS_JS, layer_id)
            # the schematic extent reached ~6 km (0.05°) beyond the real outline on every side
            assert drawn[0] > 0 and drawn[1:] == pytest.approx([south, west, north, east], abs=0.005), layer_id
        legend = pg.locator(".by-legend")
        legend.wait_for(timeout=30_000)
        assert legend.get_by_text("Xã, thị trấn trước 7/2025 (số hóa)", exact=True).is_visible()
        assert legend.get_by_text("Vùng nguyên liệu theo kế hoạch (số hóa)", exact=True).is_visible()
        body = pg.locator("body").inner_text()
        assert "trước 7/2025 (sơ đồ)" not in body and "kế hoạch (sơ đồ)" not in body
        assert pg.locator('[data-testid="stException"]').count() == 0
        save_screenshot(page, "boundaries_real_map.png")

        # the report for the period due (the targets page's default), as the planner downloads it
        pg.goto(f"{app.url}/muc-tieu", wait_until="domcontentloaded")
        pg.get_by_role("button", name="Lập báo cáo").click(timeout=60_000)
        download = pg.get_by_role("button", name="Tải báo cáo (DOCX)")
        download.wait_for(timeout=120_000)
        with pg.expect_download(timeout=60_000) as got:
            download.click()
        doc = Document(io.BytesIO(Path(got.value.path()).read_bytes()))
        text = "\n".join(p.text for p in doc.paragraphs)
        caption = next(p for p in text.splitlines() if p.startswith("Hình 1."))
        assert "ranh giới xã là sơ đồ" not in caption and "ranh giới xã: số hóa từ bản đồ" in caption
        assert "quá hạn (hạn 2025)" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        assert page.foreign_requests() == []
    finally:
        context.close()

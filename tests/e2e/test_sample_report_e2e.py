"""The whole job on the sample data, in a real browser (system Chromium), offline: a fresh store, the sidebar's
sample button, the sample cluster measured, and the report that is due downloaded — every page says "sample"."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from layers.store import open_store
from services.sample import is_sample
from tests.e2e.conftest import App, Page, save_screenshot, start_app, stop_app

pytestmark = pytest.mark.e2e

BANNER = "Dữ liệu mẫu — không phải số liệu thật"


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[App]:
    """The app on a fresh store of its own, with no sample beside it yet."""
    from layers.build import ensure_store
    from layers.settings import Settings
    from ui import assets

    assets.check()
    path = tmp_path_factory.mktemp("e2e-sample-store") / "baoyen.gpkg"
    ensure_store(Settings.from_env(store=path))
    running = start_app(path, tmp_path_factory.mktemp("e2e-sample-log") / "streamlit.log")
    yield running
    stop_app(running)


def _open(page: Page, name: str) -> None:
    """Go to a page by the sidebar's link (the session, and so the open sample, goes along)."""
    pg = page.page
    pg.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()  # type: ignore[attr-defined]


def test_from_a_fresh_store_to_the_report_on_the_sample(browser: object, fresh_app: App) -> None:
    app = fresh_app
    sample = Path(app.store).with_name("baoyen-sample.gpkg")
    assert not sample.exists()
    context = browser.new_context(viewport={"width": 1500, "height": 1050}, locale="vi-VN")  # type: ignore[attr-defined]
    pg = context.new_page()
    page = Page(pg)
    pg.on("request", lambda req: page.requests.append(req.url))
    pg.on("websocket", lambda ws: page.requests.append(ws.url))
    try:
        pg.goto(app.url, wait_until="domcontentloaded")
        side = pg.locator('[data-testid="stSidebar"]')
        side.get_by_role("button", name="Xem thử với dữ liệu mẫu").click(timeout=60_000)
        pg.get_by_text(BANNER).first.wait_for(timeout=120_000)
        assert is_sample(open_store(sample))  # made beside the planner's store, never in it
        assert not is_sample(open_store(app.store))

        # the sample cluster, measured (one cluster: the page picks it)
        _open(page, "Cụm công nghiệp")
        pg.get_by_text(BANNER).first.wait_for(timeout=60_000)
        picker = pg.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first
        picker.click(timeout=60_000)
        pg.get_by_role("option", name=re.compile("CCN MẪU")).click()
        occupancy = pg.locator('[data-testid="stMetric"]').filter(has_text="Tỷ lệ lấp đầy").first
        occupancy.wait_for(timeout=90_000)
        assert re.search(r"\d+,\d %", occupancy.inner_text())  # measured, as Vietnamese writes a percentage
        save_screenshot(page, "sample_cluster.png")

        # the targets page and the report that is due (the page's default period), downloaded as the planner does
        _open(page, "Mục tiêu")
        pg.get_by_text(BANNER).first.wait_for(timeout=60_000)
        pg.get_by_role("button", name="Lập báo cáo").click(timeout=60_000)
        download = pg.get_by_role("button", name="Tải báo cáo (DOCX)")
        download.wait_for(timeout=120_000)
        with pg.expect_download(timeout=60_000) as got:
            download.click()
        doc = Document(io.BytesIO(Path(got.value.path()).read_bytes()))
        # every printed page says it is sample data
        assert doc.sections and all(s.header.paragraphs[0].text == BANNER.upper() for s in doc.sections)
        cells = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
        training = next(r for r in cells if len(r) > 5 and r[1].startswith("(IV.2) Đào tạo"))
        assert training[5] == "1.860"  # the sample's recorded value, as Vietnamese writes it
        assert any(c.startswith("Không đạt — quá hạn") for c in training)  # 1,860 of 2,000 by the end of 2025
        assert pg.locator('[data-testid="stException"]').count() == 0
        save_screenshot(page, "sample_report.png")
        assert page.foreign_requests() == []
    finally:
        context.close()

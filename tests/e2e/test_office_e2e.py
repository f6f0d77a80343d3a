"""An office in real browsers (system Chromium): two app processes over one PostGIS store, two planners.

- Signed in on one process, the same browser changes data on the other (the session lives in the database, its
  token in a cookie of the host); signing out ends it for both processes.
- The same lot changed from two browser contexts by two users (reshaped on the map by one, deleted by the other):
  the second save is refused as a conflict, the second planner's edit is kept, shown side by side and re-applied on
  his choice; nothing is lost (both versions are in the history).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
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
from tests.layers.test_store_backends import fresh_schema

pytestmark = pytest.mark.e2e

CLUSTER = "ccn_pho_rang"
X0, Y0 = 472_000.0, 2_460_000.0


@dataclass
class Office:
    url: str
    one: App
    two: App


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, chromium_path: Path) -> Iterator[Office]:
    """The project store in PostGIS, two editors (an, bình), one cluster with two lots, two app processes."""
    from layers.build import ensure_store
    from layers.settings import Settings
    from ui import assets

    assets.check()
    with fresh_schema() as url:
        store = ensure_store(Settings.from_env(store=url))
        admin = signed(store)
        for name in ("an", "binh"):
            signed(store, name, role="editor")
            for target in ("cluster_lots", "target_actuals"):
                grant(store, name, target, "rw", actor=admin)
        boundary = gpd.GeoDataFrame(
            {"id": [f"{CLUSTER}.boundary1"], "name": ["CCN Phố Ràng"], "cluster_id": [CLUSTER]},
            geometry=[shapely.box(X0, Y0, X0 + 400, Y0 + 250)],
            crs="EPSG:9208",
        )
        store.write_layer("cluster_boundaries", boundary, user="e2e", message="test boundary")
        lots = gpd.GeoDataFrame(
            {
                "id": [f"{CLUSTER}.lot1", f"{CLUSTER}.lot2"],
                "cluster_id": [CLUSTER, CLUSTER],
                "lot_no": ["R1", "R2"],
                "status": ["operating", "vacant"],
                "tenant": ["Cơ khí Bảo Yên", None],
                "sector": ["cơ khí", None],
                "geom_quality": ["surveyed", "surveyed"],
                "source": ["hồ sơ thửa đất", "hồ sơ thửa đất"],
            },
            geometry=[
                shapely.box(X0 + 20, Y0 + 20, X0 + 120, Y0 + 120),
                shapely.box(X0 + 200, Y0 + 20, X0 + 300, Y0 + 120),
            ],
            crs="EPSG:9208",
        )
        store.write_layer("cluster_lots", lots, user="e2e", message="test lots")
        logs = tmp_path_factory.mktemp("e2e-office-log")
        one = start_app(url, logs / "one.log")
        try:
            two = start_app(url, logs / "two.log")
        except Exception:
            stop_app(one)
            raise
        yield Office(url, one, two)
        stop_app(one)
        stop_app(two)
        getattr(store, "close", lambda: None)()


@pytest.fixture
def new_context(browser: object) -> Iterator[Callable[[], Any]]:
    """Makes browser contexts (separate cookie jars: separate people), closed after the test."""
    made: list[Any] = []

    def new() -> Any:
        context = browser.new_context(viewport={"width": 1500, "height": 1050}, locale="vi-VN")  # type: ignore[attr-defined]
        made.append(context)
        return context

    yield new
    for context in made:
        context.close()


def _page(context: object) -> Page:
    pg = context.new_page()  # type: ignore[attr-defined]
    recorded = Page(pg)
    pg.on("request", lambda req: recorded.requests.append(req.url))
    return recorded


def _sidebar(page: Page):  # -> Locator
    return page.page.locator('[data-testid="stSidebar"]')  # type: ignore[attr-defined]


def test_signed_in_on_one_process_the_browser_changes_data_on_the_other(
    office: Office, new_context: Callable[[], Any]
) -> None:
    new = new_context
    context = new()
    first = _page(context)
    sign_in(first, office.one, "an")
    # the other process finds the session (token in the cookie, its hash in the database)
    second = _page(context)
    second.page.goto(f"{office.two.url}/muc-tieu", wait_until="domcontentloaded")
    _sidebar(second).get_by_text("Đã đăng nhập").wait_for(timeout=60_000)
    assert "an" in _sidebar(second).inner_text()
    form = second.page.locator('[data-testid="stForm"]').filter(has_text="Lưu số liệu")
    wait_idle(second.page)
    form.get_by_label("Giá trị").fill("85")
    form.get_by_label("Nguồn số liệu").fill("UBND xã Nghĩa Đô")
    form.get_by_role("button", name="Lưu số liệu").click()
    second.page.get_by_text(re.compile("Đã lưu")).first.wait_for(timeout=90_000)
    rows = open_store(office.url).read_table("target_actuals")
    assert list(rows["user"]) == ["an"] and list(rows["value"]) == [85.0]
    token = next(c["value"] for c in context.cookies() if c["name"] == "baoyen_session")  # type: ignore[attr-defined]
    # signing out on the second process ends the session everywhere
    _sidebar(second).get_by_role("button", name="Đăng xuất").click()
    _sidebar(second).get_by_role("button", name="Đăng nhập").wait_for(timeout=90_000)
    replay = new()  # a browser that kept the old token: it signs nobody in any more, on either process
    replay.add_cookies([{"name": "baoyen_session", "value": token, "url": office.one.url}])  # type: ignore[attr-defined]
    stale = _page(replay)
    stale.page.goto(office.one.url, wait_until="domcontentloaded")
    _sidebar(stale).get_by_role("button", name="Đăng nhập").wait_for(timeout=60_000)
    assert "Đã đăng nhập" not in _sidebar(stale).inner_text()
    assert stale.page.locator('[data-testid="stException"]').count() == 0


def settle(page: Page) -> None:
    """Wait until the page's script run (a rerun after an edit) has finished: no "running" icon for a while."""
    pg = page.page
    pg.wait_for_timeout(500)  # type: ignore[attr-defined]  # the edit's rerun has been asked for
    wait_idle(pg)
    pg.wait_for_timeout(500)  # type: ignore[attr-defined]


def _reshape_on_the_map(page: Page, app: App, lot: str) -> None:
    """Drag the north-east corner of ``lot`` 40 px further out on the cluster map and save the new shape."""
    pg = page.page
    pg.bring_to_front()  # type: ignore[attr-defined]
    pg.get_by_role("tab", name="Bản đồ").click()  # type: ignore[attr-defined]
    picker = pg.locator('[data-testid="stSelectbox"]').filter(has_text="Sửa hình dạng lô trên bản đồ")  # type: ignore[attr-defined]
    picker.click()
    pg.locator('[role="option"]').filter(has_text=lot).first.click()  # type: ignore[attr-defined]
    pg.wait_for_timeout(1500)  # type: ignore[attr-defined]
    frame = map_frame(pg)  # type: ignore[attr-defined]
    frame.wait_for_function("() => window.drawnItems && window.drawnItems.getLayers().length === 1", timeout=90_000)
    pg.locator(MAP_FRAME).scroll_into_view_if_needed()  # type: ignore[attr-defined]
    pg.wait_for_timeout(300)  # type: ignore[attr-defined]
    box = frame.locator("#map_div").bounding_box()
    frame.locator(".leaflet-draw-edit-edit").click()
    frame.wait_for_selector(".leaflet-editing-icon", timeout=10_000)
    ne = gpd.GeoSeries([shapely.Point(X0 + 120, Y0 + 120)], crs="EPSG:9208").to_crs("EPSG:4326").iloc[0]
    x, y = frame.evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }", [ne.y, ne.x]
    )
    pg.mouse.move(box["x"] + x, box["y"] + y)  # type: ignore[attr-defined]
    pg.mouse.down()  # type: ignore[attr-defined]
    for step in range(1, 9):
        pg.mouse.move(box["x"] + x + 5 * step, box["y"] + y - 5 * step)  # type: ignore[attr-defined]
        pg.wait_for_timeout(30)  # type: ignore[attr-defined]
    pg.mouse.up()  # type: ignore[attr-defined]
    frame.locator(".leaflet-draw-actions a", has_text="Lưu").click()
    button = pg.get_by_role("button", name=f"Lưu hình mới của lô {lot}")  # type: ignore[attr-defined]
    button.wait_for(timeout=90_000)
    before = open_store(app.store).current_version("cluster_lots")
    click_and_wait_saved(
        page,
        button,
        re.compile("Đã lưu Lô đất, phiên bản"),
        moved=lambda: open_store(app.store).current_version("cluster_lots") > before,
        app=app,
        shot="failed_office_reshape_save.png",
    )


def test_the_same_lot_edited_from_two_browsers_loses_nothing(office: Office, new_context: Callable[[], Any]) -> None:
    new = new_context
    an, binh = _page(new()), _page(new())
    for page, app, user in ((an, office.one, "an"), (binh, office.two, "binh")):
        sign_in(page, app, user)
        page.page.goto(f"{app.url}/cum-cong-nghiep", wait_until="domcontentloaded")  # type: ignore[attr-defined]
        page.page.wait_for_selector(MAP_FRAME, timeout=60_000)  # type: ignore[attr-defined]
    before = open_store(office.url).current_version("cluster_lots")
    # Bình picks lot R1 to delete it, on the version he sees
    binh.page.bring_to_front()  # type: ignore[attr-defined]
    binh.page.get_by_role("tab", name="Nhập và sửa").click()  # type: ignore[attr-defined]
    picker = binh.page.locator('[data-testid="stSelectbox"]').filter(has_text="Lô cần xóa")  # type: ignore[attr-defined]
    picker.scroll_into_view_if_needed()
    picker.click()
    binh.page.keyboard.type("R1")  # type: ignore[attr-defined]  # the box searches its options
    binh.page.locator('[role="option"]').filter(has_text="R1").first.click()  # type: ignore[attr-defined]
    settle(binh)
    # meanwhile An reshapes R1 on the map and saves first
    _reshape_on_the_map(an, office.one, "R1")
    assert open_store(office.url).current_version("cluster_lots") == before + 1
    # Bình's delete, made on the version before An's save, is refused and kept
    binh.page.bring_to_front()  # type: ignore[attr-defined]
    wait_idle(binh.page)
    binh.page.get_by_role("button", name="Xóa lô").click()  # type: ignore[attr-defined]
    apply = binh.page.get_by_role("button", name=re.compile("Áp dụng lại trên phiên bản"))  # type: ignore[attr-defined]
    apply.wait_for(timeout=90_000)  # the panel of the kept change (hidden tabs hold no visible button)
    # who changed it and when, and theirs beside his, for the lot both changed
    for text in ("Thay đổi chưa lưu của bạn", "đã được an lưu lúc", "Của an (phiên bản", "(đã xóa)"):
        binh.page.locator(f"text={text} >> visible=true").first.wait_for(timeout=90_000)  # type: ignore[attr-defined]
    binh.page.locator("text=bạn xóa lô này, người kia lại sửa nó >> visible=true").first.wait_for()  # type: ignore[attr-defined]
    assert open_store(office.url).current_version("cluster_lots") == before + 1  # nothing written by the refusal
    save_screenshot(binh, "office_conflict.png")
    binh.page.locator("text=Giữ bản của tôi >> visible=true").first.click()  # type: ignore[attr-defined]
    settle(binh)
    apply.click()
    binh.page.get_by_text(re.compile("Đã áp dụng lại thay đổi của bạn")).wait_for(timeout=90_000)  # type: ignore[attr-defined]
    store = open_store(office.url)
    assert list(store.read_layer("cluster_lots")["lot_no"]) == ["R2"]  # his choice: the lot deleted
    history = store.history("cluster_lots")
    assert [v.user for v in history][-2:] == ["an", "binh"] and history[-1].version == before + 2
    reshaped = store.read_version("cluster_lots", before + 1).set_index("lot_no")
    assert reshaped.loc["R1"].geometry.area > 100 * 100 + 500  # An's new shape is kept in the history, not lost
    for page in (an, binh):
        assert page.page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]

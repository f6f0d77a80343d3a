"""The clusters page: its pure helpers, and the page itself in Streamlit's AppTest against a temporary store."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.errors import InputDataError
from layers.build import ensure_store
from layers.settings import Settings
from layers.store import Store
from ui import state
from ui.clusters_page import (
    apply_edits,
    fmt_num,
    for_store,
    gauge_svg,
    polygon_from_corners,
    replace_cluster_features,
    standard_columns,
)

WORK = "EPSG:9208"
X0, Y0 = 472_000.0, 2_460_000.0


def rect(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


# --- pure helpers -------------------------------------------------------------------------------------------------


def test_numbers_in_vietnamese_and_english_style() -> None:
    assert fmt_num(1234.5, 1, "vi") == "1.234,5"
    assert fmt_num(1234.5, 1, "en") == "1,234.5"


def test_gauge_marks_target_and_expansion_and_colours_by_threshold() -> None:
    low = gauge_svg(25.0, target_pct=50, expansion_pct=60, language="vi")
    assert low.startswith("<svg") and "25,0 %" in low and "Mục tiêu 50 %" in low and "Mở rộng 60 %" in low
    assert "#d73027" in low  # below target: red
    assert "#fdae61" in gauge_svg(55.0, target_pct=50, expansion_pct=60, language="en")
    high = gauge_svg(75.0, target_pct=50, expansion_pct=60, language="en")
    assert "#1a9850" in high and "Target 50 %" in high and "75.0 %" in high


def test_polygon_from_vietnamese_corner_table() -> None:
    text = f"""
    # X (Bắc)      Y (Đông)
    1  {Y0:.2f}  {X0:.2f}
    2  {Y0:.2f}  {X0 + 100:.2f}
    3  {Y0 + 50:.2f}; {X0 + 100:.2f}
    4  {str(Y0 + 50).replace(".", ",")}  {str(X0).replace(".", ",")}
    """
    shape = polygon_from_corners(text)
    assert shape.area == pytest.approx(5000.0)
    assert shape.bounds == pytest.approx((X0, Y0, X0 + 100, Y0 + 50))
    comma_pairs = polygon_from_corners(f"{Y0},{X0}\n{Y0},{X0 + 10}\n{Y0 + 10},{X0 + 10}")
    assert comma_pairs.area == pytest.approx(50.0)


def test_polygon_from_corners_rejects_swapped_axes_and_junk() -> None:
    with pytest.raises(InputDataError, match="swapped"):
        polygon_from_corners(f"{X0} {Y0}\n{X0 + 100} {Y0}\n{X0 + 100} {Y0 + 100}")
    with pytest.raises(InputDataError, match="line 2"):
        polygon_from_corners(f"{Y0} {X0}\ngóc B\n{Y0 + 1} {X0 + 1}")
    with pytest.raises(InputDataError, match="three"):
        polygon_from_corners(f"{Y0} {X0}\n{Y0 + 1} {X0 + 1}")
    with pytest.raises(InputDataError, match="no area"):
        polygon_from_corners(f"{Y0} {X0}\n{Y0 + 1} {X0 + 1}\n{Y0 + 2} {X0 + 2}")


def test_bow_tie_corners_keep_both_halves() -> None:
    shape = polygon_from_corners(f"{Y0} {X0}\n{Y0 + 100} {X0 + 100}\n{Y0} {X0 + 100}\n{Y0 + 100} {X0}")
    assert shape.area == pytest.approx(5000.0)


def test_vietnamese_column_names_are_recognised() -> None:
    frame = gpd.GeoDataFrame(
        {"Trạng thái": ["đang hoạt động"], "Ngày thuê": ["05/06/2023"], "Đơn vị thuê": ["Cơ khí A"], "Số lô": ["A1"]},
        geometry=[rect(0, 0, 10, 10)],
        crs=WORK,
    )
    assert {"status", "leased_on", "tenant", "lot_no"} <= set(standard_columns(frame).columns)
    out = for_store(frame, "cluster_lots", cluster_id="ccn_pho_rang", source="import: a.gpkg", geom_quality="surveyed")
    assert out["status"].tolist() == ["operating"]
    assert out["leased_on"].tolist() == [dt.date(2023, 6, 5)]
    assert out["cluster_id"].tolist() == ["ccn_pho_rang"]
    assert out["id"].tolist() == ["ccn_pho_rang.lot1"]
    assert out["name"].tolist() == ["Lô A1"]
    assert str(out.crs) == WORK


def test_for_store_rejects_unknown_statuses_and_missing_use() -> None:
    lots = gpd.GeoDataFrame({"status": ["đang đàm phán"]}, geometry=[rect(0, 0, 10, 10)], crs=WORK)
    with pytest.raises(InputDataError, match="allowed values"):
        for_store(lots, "cluster_lots", cluster_id="c", source="s", geom_quality="digitised")
    zoning = gpd.GeoDataFrame({"kind": ["x"]}, geometry=[rect(0, 0, 10, 10)], crs=WORK)
    with pytest.raises(InputDataError, match="`use`"):
        for_store(zoning, "cluster_zoning", cluster_id="c", source="s", geom_quality="digitised")


def test_replace_cluster_features_keeps_other_clusters() -> None:
    current = gpd.GeoDataFrame(
        {"id": ["a1", "b1", "a2"], "cluster_id": ["a", "b", "a"]}, geometry=[rect(0, 0, 1, 1)] * 3, crs=WORK
    )
    new = gpd.GeoDataFrame({"id": ["a9"], "cluster_id": ["a"]}, geometry=[rect(5, 5, 1, 1)], crs=WORK)
    merged = replace_cluster_features(current.to_crs("EPSG:4326"), new, "a")
    assert sorted(merged["id"]) == ["a9", "b1"]
    assert str(merged.crs) == WORK
    # back in EPSG:9208 (the 7-parameter datum shift does not invert exactly: millimetres)
    assert merged.geometry.iloc[list(merged["id"]).index("b1")].equals_exact(rect(0, 0, 1, 1), 1e-2)


def test_apply_edits_changes_only_what_was_edited() -> None:
    lots = gpd.GeoDataFrame(
        {
            "id": ["x.lot1", "x.lot2"],
            "status": ["vacant", "allocated"],
            "tenant": [None, "A"],
            "leased_on": [None, dt.date(2022, 1, 1)],
        },
        geometry=[rect(0, 0, 10, 10), rect(10, 0, 10, 10)],
        crs=WORK,
    )
    edited = pd.DataFrame(
        {
            "id": ["x.lot1", "x.lot2"],
            "status": ["đang hoạt động", "allocated"],
            "tenant": ["Nhôm kính B", "A"],
            "leased_on": [dt.date(2024, 2, 3), dt.date(2022, 1, 1)],
        }
    )
    updated, changed = apply_edits(lots, edited)
    assert changed == 1
    assert updated["status"].tolist() == ["operating", "allocated"]
    assert updated["tenant"].tolist() == ["Nhôm kính B", "A"]
    assert updated["leased_on"].tolist() == [dt.date(2024, 2, 3), dt.date(2022, 1, 1)]
    assert apply_edits(lots, edited.iloc[[1]])[1] == 0


# --- the page in AppTest --------------------------------------------------------------------------------------------


def _app() -> None:
    from ui import clusters_page

    clusters_page.render()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("BAOYEN_STORE", str(path))
    monkeypatch.setenv("BAOYEN_USER", "chuyen_vien_a")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield ensure_store(Settings.from_env(store=path))
    st.cache_resource.clear()
    st.cache_data.clear()


def page(lang: str = "vi") -> AppTest:
    at = AppTest.from_function(_app, default_timeout=60)
    at.session_state[state.LANG] = lang
    return at.run()


def texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("info", "warning", "success", "error", "caption", "markdown") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def fill_pho_rang(store: Store) -> None:
    store.write_layer(
        "cluster_boundaries",
        gpd.GeoDataFrame(
            {"id": ["b1"], "name": ["CCN Phố Ràng"], "cluster_id": ["ccn_pho_rang"]},
            geometry=[rect(0, 0, 400, 250)],
            crs=WORK,
        ),
        user="test",
    )
    store.write_layer(
        "cluster_lots",
        gpd.GeoDataFrame(
            {
                "id": ["p.lot1", "p.lot2", "p.lot3"],
                "cluster_id": ["ccn_pho_rang"] * 3,
                "lot_no": ["A1", "A2", "A3"],
                "status": ["operating", "allocated", "vacant"],
                "tenant": ["Nhôm kính Phố Ràng", "Cơ khí Bảo Yên", None],
                "leased_on": [dt.date(2022, 5, 1), dt.date(2024, 3, 1), None],
            },
            geometry=[rect(0, 0, 100, 100), rect(100, 0, 150, 100), rect(250, 0, 100, 100)],
            crs=WORK,
        ),
        user="test",
    )


def test_empty_store_explains_pho_rang_and_offers_the_boundary_import(store: Store) -> None:
    at = page()
    assert not at.exception
    text = texts(at)
    assert "chưa được công bố công khai" in text
    assert "Chưa có ranh giới" in text
    assert at.selectbox(key=state.CLUSTERS_PICK).value == "ccn_pho_rang"
    assert at.radio(key=state.CLUSTERS_IMPORT_LAYER).options == ["Ranh giới cụm"]
    assert not at.metric


def test_page_shows_the_measure_for_a_filled_cluster(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ lấp đầy"] == "25,0 %"  # 2.5 ha of a 10 ha gross area
    assert metrics["Còn thiếu để đạt 50 %"] == "2,50 ha"
    gauges = [base64.b64decode(i.proto.imgs[0].url.split(",", 1)[1]).decode() for i in at.get("image")]
    assert any("25,0 %" in g and "Mục tiêu 50 %" in g for g in gauges)
    assert "tổng diện tích cụm" in texts(at)  # gross basis is said
    assert len(at.dataframe) >= 2  # by-status and the lots table

    at.number_input(key=state.CLUSTERS_LEASABLE + "ccn_pho_rang").set_value(5.0).run()
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy"] == "50,0 %"

    at.date_input(key=state.CLUSTERS_AS_OF).set_value(dt.date(2024, 2, 29)).run()
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy"] == "20,0 %"  # lot 2 leased on 1 March 2024


def test_what_if_projects_relocations(store: Store) -> None:
    fill_pho_rang(store)
    at = page("en")
    at.multiselect(key=state.CLUSTERS_WHATIF).set_value(["aluminium_glass", "mechanical"]).run()
    at.number_input(key=state.CLUSTERS_WHATIF_HA + "aluminium_glass").set_value(1.5).run()
    at.number_input(key=state.CLUSTERS_WHATIF_HA + "mechanical").set_value(1.0).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Projected occupancy"] == "50.0 %"  # (2.5 + 2.5) / 10
    assert any("Reaches the 50 % target" in s.value for s in at.success)
    at.number_input(key=state.CLUSTERS_WHATIF_HA + "mechanical").set_value(9.0).run()
    assert any("does not fit" in w.value for w in at.warning)


def test_importing_a_boundary_file_saves_a_version_with_the_user(store: Store, tmp_path: Path) -> None:
    boundary = gpd.GeoDataFrame({"name": ["CCN Phố Ràng"]}, geometry=[rect(0, 0, 400, 250)], crs=WORK)
    path = tmp_path / "ranh_gioi.geojson"
    boundary.to_crs("EPSG:4326").to_file(path)
    at = page()
    at.file_uploader(key=state.CLUSTERS_UPLOAD).upload("ranh_gioi.geojson", path.read_bytes()).run()
    assert not at.exception, at.exception
    assert any("Đọc được 1 đối tượng" in c.value for c in at.caption)
    at.button(key=f"{state.CLUSTERS_UPLOAD}.save").click().run()
    assert not at.exception, at.exception
    layer = store.read_layer("cluster_boundaries")
    assert layer["cluster_id"].tolist() == ["ccn_pho_rang"]
    assert layer.area.sum() == pytest.approx(100_000.0, rel=1e-5)
    latest = store.history("cluster_boundaries")[-1]
    assert latest.user == "chuyen_vien_a" and "ranh_gioi.geojson" in latest.message
    assert any("phiên bản" in s.value for s in at.success)
    assert at.metric  # the page now measures the cluster


def test_importing_a_lot_file_with_a_bad_status_shows_one_error(store: Store, tmp_path: Path) -> None:
    fill_pho_rang(store)
    lots = gpd.GeoDataFrame({"trang_thai": ["bỏ hoang"]}, geometry=[rect(0, 0, 10, 10)], crs=WORK)
    path = tmp_path / "lo.gpkg"
    lots.to_file(path)
    at = page()
    at.radio(key=state.CLUSTERS_IMPORT_LAYER).set_value("cluster_lots").run()
    at.file_uploader(key=state.CLUSTERS_UPLOAD).upload("lo.gpkg", path.read_bytes()).run()
    assert not at.exception
    assert any("bỏ hoang" in e.value and "allowed values" in e.value for e in at.error)
    assert store.current_version("cluster_lots") == 2  # nothing written


def test_editing_a_lot_status_saves_a_new_version(store: Store) -> None:
    fill_pho_rang(store)
    before = store.current_version("cluster_lots")
    at = page()
    key = state.CLUSTERS_EDITOR + "ccn_pho_rang"
    at.session_state[key] = {"edited_rows": {"2": {"status": "building"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key=f"{key}.save").click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == before + 1
    lots = store.read_layer("cluster_lots")
    assert lots.set_index("id").loc["p.lot3", "status"] == "building"
    assert store.history("cluster_lots")[-1].user == "chuyen_vien_a"
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy"] == "35,0 %"


def test_adding_a_lot_from_corner_coordinates(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    corners = "\n".join(f"{Y0 + y} {X0 + x}" for x, y in ((0, 150), (100, 150), (100, 250), (0, 250)))
    at.text_area(key=state.CLUSTERS_CORNERS).input(corners)
    at.text_input(key=state.CLUSTERS_NEW_LOT_NO).input("B1")
    at.selectbox(key=state.CLUSTERS_NEW_STATUS).set_value("operating")
    at.button(key=f"{state.CLUSTERS_CORNERS}.add").click().run()
    assert not at.exception, at.exception
    lots = store.read_layer("cluster_lots")
    new = lots[lots["lot_no"] == "B1"]
    assert len(new) == 1 and new.area.iloc[0] == pytest.approx(10_000.0)
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy"] == "35,0 %"


def test_bad_corners_show_an_error_not_a_traceback(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    at.text_area(key=state.CLUSTERS_CORNERS).input("472000 2460000\n472100 2460000\n472100 2460100")
    at.button(key=f"{state.CLUSTERS_CORNERS}.add").click().run()
    assert not at.exception
    assert any("swapped" in e.value for e in at.error)


def test_series_chart_runs_from_2021(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    charts = at.get("vega_lite_chart")
    assert charts, "the occupancy-over-time chart is missing"
    spec = json.loads(charts[0].proto.spec)
    assert spec["layer"][0]["mark"]["interpolate"] == "step-after"

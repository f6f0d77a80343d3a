"""The clusters page: its pure helpers, and the page itself in Streamlit's AppTest against a temporary store."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyproj
import pytest
import shapely
import streamlit as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from geo.errors import InputDataError
from layers.build import ensure_store
from layers.settings import Settings
from layers.store import Store
from ui import cluster_edits, cluster_map, state
from ui.cluster_edits import (
    RESHAPE_FLAG,
    apply_edits,
    drawn_overlaps,
    drawn_polygons,
    for_store,
    lots_from_drawings,
    next_lot_ids,
    polygon_from_corners,
    relocation_candidates,
    replace_cluster_features,
    reshaped_lot,
    shape_changed,
    standard_columns,
    without_lot,
)
from ui.cluster_figures import CANDIDATES, fmt_num, gauge_svg
from ui.cluster_map import DRAW_LOCAL, draw_labels, edit_latlngs
from ui.i18n import TEXT

WORK = "EPSG:9208"
X0, Y0 = 472_000.0, 2_460_000.0


GEOD = pyproj.Geod(ellps="WGS84")


def rect(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def drawn(*shapes: shapely.Geometry, properties: dict | None = None) -> list[dict]:
    """Shapes given in EPSG:9208 as streamlit-folium's all_drawings holds them (GeoJSON features in EPSG:4326)."""
    lonlat = gpd.GeoSeries(list(shapes), crs=WORK).to_crs("EPSG:4326")
    return [
        {"type": "Feature", "properties": dict(properties or {}), "geometry": shapely.geometry.mapping(g)}
        for g in lonlat
    ]


def geodesic_m2(feature: dict) -> float:
    return abs(GEOD.geometry_area_perimeter(shapely.geometry.shape(feature["geometry"]))[0])


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


# --- lots drawn on the map --------------------------------------------------------------------------------------


def test_a_drawn_rectangle_becomes_a_polygon_in_9208_with_its_geodesic_area() -> None:
    features = drawn(rect(0, 150, 100, 80))
    shapes = drawn_polygons(features)
    assert str(shapes.crs) == WORK
    assert shapes["repaired"].tolist() == [False] and shapes["reshaped"].tolist() == [False]
    area = shapes.geometry.iloc[0].area
    assert area == pytest.approx(8000.0, rel=1e-6)  # the 9208 → 4326 → 9208 round trip is millimetre-exact
    assert area == pytest.approx(geodesic_m2(features[0]), rel=1e-3)  # TM-3 scale ≈ 0.9999: areas within 0.1 %
    assert shapes.geometry.iloc[0].equals_exact(rect(0, 150, 100, 80), 1e-2)


def test_a_self_intersecting_drawing_is_repaired_keeping_both_halves() -> None:
    a, b = (X0, Y0), (X0 + 100, Y0 + 100)
    bow_tie = shapely.Polygon([a, (X0 + 100, Y0), (X0, Y0 + 100), b, a][:4])
    assert not bow_tie.is_valid
    features = drawn(rect(200, 0, 10, 10)) + [
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(g)}
        for g in gpd.GeoSeries([bow_tie], crs=WORK).to_crs("EPSG:4326")
    ]
    shapes = drawn_polygons(features)
    assert shapes["repaired"].tolist() == [False, True]
    fixed = shapes.geometry.iloc[1]
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon" and len(fixed.geoms) == 2
    assert fixed.area == pytest.approx(5000.0, rel=1e-5)  # two triangles of 2500 m²; a zero-width buffer would keep one


@settings(max_examples=60, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(0, 200), hs.integers(0, 200)), min_size=3, max_size=6))
def test_any_drawn_ring_becomes_a_valid_lot_or_a_clear_error(corners: list[tuple[int, int]]) -> None:
    """Whatever ring the mouse makes (crossing or not), the lot is valid, polygonal and inside what the ring
    encloses, and says whether it was repaired; a ring that needed no repair keeps its area exactly."""
    ring = shapely.Polygon([(X0 + x, Y0 + y) for x, y in corners])
    lonlat = gpd.GeoSeries([ring], crs=WORK).to_crs("EPSG:4326")
    feature = {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(lonlat.iloc[0])}
    # the ring as it comes back in EPSG:9208: millimetres from the one drawn, which can make or unmake a crossing
    received = lonlat.to_crs(WORK).iloc[0]
    try:
        shapes = drawn_polygons([feature])
    except InputDataError as exc:
        assert "no area" in str(exc)
        assert not received.is_valid or received.area < 1.0  # a proper lot is never refused
        return
    shape = shapes.geometry.iloc[0]
    assert shape.is_valid and shape.geom_type in ("Polygon", "MultiPolygon") and shape.area >= 1.0
    assert bool(shapes["repaired"].iloc[0]) == (not received.is_valid)
    if received.is_valid:
        assert shape.area == pytest.approx(received.area, rel=1e-9)
    else:  # the faces of the ring's own linework bound whatever the repair keeps
        faces = shapely.union_all(
            shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.node(received.exterior))))
        )
        assert shape.difference(faces).area < 0.01  # m², numerical slivers along near-collinear edges


def test_drawings_that_are_not_lots_are_refused() -> None:
    point = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [104.48, 22.24]}}
    with pytest.raises(InputDataError, match="drawing 2 is a Point"):
        drawn_polygons([*drawn(rect(0, 0, 10, 10)), point])
    with pytest.raises(InputDataError, match="without geometry"):
        drawn_polygons([{"type": "Feature", "properties": {}}])
    flat = {"type": "Polygon", "coordinates": [[[104.48, 22.24], [104.481, 22.24], [104.482, 22.24], [104.48, 22.24]]]}
    with pytest.raises(InputDataError, match="no area"):
        drawn_polygons([{"type": "Feature", "geometry": flat}])
    far = {
        "type": "Polygon",
        "coordinates": [[[472000, 2460000], [472100, 2460000], [472100, 2460100], [472000, 2460000]]],
    }
    with pytest.raises(InputDataError, match="longitude/latitude"):
        drawn_polygons([{"type": "Feature", "geometry": far}])
    with pytest.raises(InputDataError, match="at most"):
        drawn_polygons(drawn(rect(0, 0, 1, 1)) * (cluster_edits.MAX_DRAWN + 1))
    assert drawn_polygons(None).empty and drawn_polygons([]).empty


def test_the_reshaped_lot_is_told_apart_by_its_flag() -> None:
    shapes = drawn_polygons(drawn(rect(0, 0, 10, 10), properties={RESHAPE_FLAG: True}) + drawn(rect(20, 0, 5, 5)))
    assert shapes["reshaped"].tolist() == [True, False]


def test_lots_from_drawings_fill_the_lot_layer_fields() -> None:
    existing = gpd.GeoDataFrame(
        {
            "id": ["c.lot1", "c.lot3", "d.lot2"],
            "cluster_id": ["c", "c", "d"],
            "lot_no": ["A1", None, "B7"],
        },
        geometry=[rect(0, 0, 10, 10)] * 3,
        crs=WORK,
    )
    shapes = drawn_polygons(drawn(rect(100, 0, 50, 40), rect(200, 0, 30, 30)))
    attrs = [
        {"lot_no": " B7 ", "status": "đang hoạt động", "tenant": "Nhôm kính Phố Ràng", "leased_on": "05/06/2024"},
        {"lot_no": "", "status": "vacant", "sector": "  ", "relocated_from": "thôn Bản Ràng"},
    ]
    rows = lots_from_drawings(
        shapes, attrs, cluster_id="c", user="chuyen_vien_a", day=dt.date(2025, 3, 4), existing=existing
    )
    assert str(rows.crs) == WORK
    assert rows["id"].tolist() == ["c.lot2", "c.lot4"]  # lowest free numbers
    assert rows["lot_no"].iloc[0] == "B7" and pd.isna(rows["lot_no"].iloc[1])  # B7 is another cluster's: allowed
    assert rows["name"].tolist() == ["Lô B7", "c.lot4"]
    assert rows["status"].tolist() == ["operating", "vacant"]
    assert rows["leased_on"].tolist() == [dt.date(2024, 6, 5), None]
    assert rows["tenant"].iloc[0] == "Nhôm kính Phố Ràng" and pd.isna(rows["tenant"].iloc[1])
    assert rows["sector"].isna().all()  # blank text is no value
    assert pd.isna(rows["relocated_from"].iloc[0]) and rows["relocated_from"].iloc[1] == "thôn Bản Ràng"
    assert set(rows["geom_quality"]) == {"digitised"}
    assert set(rows["source"]) == {"vẽ trên bản đồ (chuyen_vien_a, 2025-03-04)"}
    assert set(rows["cluster_id"]) == {"c"}
    assert rows.area.tolist() == pytest.approx([2000.0, 900.0], rel=1e-6)


def test_lots_from_drawings_refuse_taken_lot_numbers_and_bad_values() -> None:
    existing = gpd.GeoDataFrame(
        {"id": ["c.lot1"], "cluster_id": ["c"], "lot_no": ["a1"]}, geometry=[rect(0, 0, 1, 1)], crs=WORK
    )
    one = drawn_polygons(drawn(rect(100, 0, 5, 5)))
    two = drawn_polygons(drawn(rect(100, 0, 5, 5), rect(200, 0, 5, 5)))
    kw = {"cluster_id": "c", "user": "u", "day": dt.date(2025, 1, 1), "existing": existing}
    with pytest.raises(InputDataError, match=r"A1 is already used.*c\.lot1"):
        lots_from_drawings(one, [{"lot_no": "A1", "status": "vacant"}], **kw)
    with pytest.raises(InputDataError, match="b2 is already used"):
        lots_from_drawings(two, [{"lot_no": "B2", "status": "vacant"}, {"lot_no": "b2", "status": "vacant"}], **kw)
    with pytest.raises(InputDataError, match="allowed values"):
        lots_from_drawings(one, [{"lot_no": "C1", "status": "đang đàm phán"}], **kw)
    with pytest.raises(InputDataError):
        lots_from_drawings(one, [{"lot_no": "C1", "status": "vacant", "leased_on": "31/02/2024"}], **kw)
    with pytest.raises(ValueError, match="attribute rows"):
        lots_from_drawings(two, [{"status": "vacant"}], **kw)


def test_next_lot_ids_fill_gaps() -> None:
    assert next_lot_ids({"c.lot1", "c.lot3"}, "c", 3) == ["c.lot2", "c.lot4", "c.lot5"]
    assert next_lot_ids([], "c", 0) == []


def test_deleting_and_reshaping_a_lot() -> None:
    layer = gpd.GeoDataFrame(
        {"id": ["c.lot1", "c.lot2"], "geom_quality": ["surveyed", "surveyed"], "source": ["hồ sơ", "hồ sơ"]},
        geometry=[rect(0, 0, 10, 10), rect(10, 0, 10, 10)],
        crs=WORK,
    )
    assert without_lot(layer, "c.lot1")["id"].tolist() == ["c.lot2"]
    with pytest.raises(InputDataError, match=r"no lot `c\.lot9`"):
        without_lot(layer, "c.lot9")
    out = reshaped_lot(layer, "c.lot2", rect(10, 0, 20, 10), user="u", day=dt.date(2025, 1, 2))
    assert out.area.tolist() == pytest.approx([100.0, 200.0])
    assert out["geom_quality"].tolist() == ["surveyed", "digitised"]
    assert out["source"].tolist() == ["hồ sơ", "vẽ trên bản đồ (u, 2025-01-02)"]
    assert layer.area.tolist() == pytest.approx([100.0, 100.0])  # the input is not changed
    with pytest.raises(InputDataError):
        reshaped_lot(layer, "c.lot9", rect(0, 0, 1, 1), user="u", day=dt.date(2025, 1, 2))


def test_a_lot_sent_to_the_browser_and_back_unchanged_is_unchanged() -> None:
    lot = rect(0, 0, 80, 60)
    lonlat = gpd.GeoSeries([lot], crs=WORK).to_crs("EPSG:4326").iloc[0]
    latlngs = edit_latlngs(lonlat)
    assert len(latlngs) == 1 and len(latlngs[0]) == 4  # one ring, not closed (Leaflet closes it)
    assert latlngs[0][0] == [round(lonlat.exterior.coords[0][1], 7), round(lonlat.exterior.coords[0][0], 7)]
    # what Leaflet's toGeoJSON sends back: [lon, lat], closed
    ring = [[lon, lat] for lat, lon in latlngs[0]]
    back = drawn_polygons([{"geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}}]).geometry.iloc[0]
    assert not shape_changed(lot, back)
    assert shape_changed(lot, rect(0, 0, 80, 60.2))


def test_every_leaflet_draw_label_is_translated() -> None:
    for path in DRAW_LOCAL:
        assert f"clusters.draw.js.{path}" in TEXT
    vi, en = draw_labels("vi"), draw_labels("en")
    assert set(vi) == set(DRAW_LOCAL) == set(en)
    assert vi["draw.toolbar.buttons.polygon"] != en["draw.toolbar.buttons.polygon"]


# --- facilities to relocate (what-if candidates) ---------------------------------------------------------------------


def facilities(to_relocate: list, points: list, **fields: list) -> gpd.GeoDataFrame:
    n = len(points)
    data = {"id": [f"f{i}" for i in range(n)], "name": [f"Cơ sở {i}" for i in range(n)], **fields}
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(points, crs=WORK), crs=WORK)
    frame["to_relocate"] = pd.array(to_relocate, dtype="boolean")  # the store reads a bool field so
    return frame


CLUSTER = gpd.GeoDataFrame({"id": ["b1"]}, geometry=[rect(0, 0, 400, 250)], crs=WORK)
OUT, IN, EDGE = shapely.Point(X0 + 900, Y0 + 900), shapely.Point(X0 + 200, Y0 + 100), shapely.Point(X0 + 400, Y0 + 100)


def test_candidates_are_the_facilities_to_relocate_outside_the_cluster() -> None:
    frame = facilities([True, False, None, True, True, True], [OUT, OUT, OUT, IN, EDGE, None])
    got = relocation_candidates(frame, CLUSTER)
    # f1 not marked, f2 unknown, f3 inside, f4 on the boundary line (inside); f5 has no position: cannot be inside
    assert got["id"].tolist() == ["f0", "f5"]
    assert got["key"].tolist() == ["facility:f0", "facility:f5"]
    assert got["label"].tolist() == ["Cơ sở 0", "Cơ sở 5"]


def test_candidates_do_not_depend_on_the_crs_of_either_input() -> None:
    frame = facilities([True, True, True], [OUT, IN, shapely.Point(X0 + 399.5, Y0 + 249.5)])
    expected = relocation_candidates(frame, CLUSTER)["id"].tolist()
    assert expected == ["f0"]
    for crs in ("EPSG:4326", "EPSG:3405"):
        assert relocation_candidates(frame.to_crs(crs), CLUSTER)["id"].tolist() == expected
        assert relocation_candidates(frame, CLUSTER.to_crs(crs))["id"].tolist() == expected


def test_no_candidates_without_the_field_or_the_facilities() -> None:
    frame = facilities([True], [OUT])
    assert relocation_candidates(frame.drop(columns="to_relocate"), CLUSTER).empty
    assert relocation_candidates(frame.iloc[0:0], CLUSTER).empty
    assert relocation_candidates(facilities([False, None], [OUT, OUT]), CLUSTER).empty
    # an empty boundary has nothing inside
    assert relocation_candidates(facilities([True], [IN]), CLUSTER.iloc[0:0])["id"].tolist() == ["f0"]


def test_candidates_are_named_with_sector_and_commune() -> None:
    frame = facilities(
        [True, True, True, True],
        [OUT, OUT, OUT, OUT],
        sector=["Nhôm kính", None, "Cơ khí", " "],
        commune_code=["02947", "02950", None, "09999"],
        commune_name=[None, "Tân Tiến (cũ)", None, None],
    )
    frame.loc[1, "name"] = None
    got = relocation_candidates(frame, CLUSTER, commune_names={"02947": "Phố Ràng", "02950": "Tân Tiến"})
    assert got["label"].tolist() == [
        "Cơ sở 0 · Nhôm kính · Phố Ràng",
        "f1 · Tân Tiến (cũ)",
        "Cơ sở 2 · Cơ khí",
        "Cơ sở 3 · 09999",
    ]
    assert got["sector"].tolist() == ["Nhôm kính", None, "Cơ khí", None]


def test_repeated_facility_ids_stay_separate_options() -> None:
    frame = facilities([True, True], [OUT, OUT])
    frame["id"] = ["f0", "f0"]
    assert relocation_candidates(frame, CLUSTER)["key"].tolist() == ["facility:f0", "facility:f0#2"]


# --- the page in AppTest --------------------------------------------------------------------------------------------


def _app() -> None:
    from ui import clusters_page

    clusters_page.render()


#: the signed-in session of each test store's planner (empty on a tree without logins)
SESSIONS: dict[str, dict[str, object]] = {}
PASSWORD = "mật-khẩu-đủ-dài-1"  # a test account's


def signed_in(store: Store, name: str) -> dict[str, object]:
    """The session state of a tab where ``name``, an editor of every layer, is signed in.

    On a tree without logins the acting user is ``BAOYEN_USER``, and nothing needs setting.
    """
    try:
        from services import accounts
        from services.context import SYSTEM
    except ImportError:
        return {}
    accounts.add_user(store, name, "editor", PASSWORD, actor=SYSTEM)
    accounts.grant(store, name, "*", "rw", actor=SYSTEM)
    session = accounts.start_session(store, accounts.sign_in(store, name, PASSWORD))
    return {state.SESSION_TOKEN: session.token}


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("BAOYEN_STORE", str(path))
    monkeypatch.setenv("BAOYEN_USER", "chuyen_vien_a")
    st.cache_resource.clear()
    st.cache_data.clear()
    built = ensure_store(Settings.from_env(store=path))
    SESSIONS[str(path)] = signed_in(built, "chuyen_vien_a")
    yield built
    SESSIONS.pop(str(path), None)
    st.cache_resource.clear()
    st.cache_data.clear()


def app_test(lang: str = "vi") -> AppTest:
    """The page, not run yet, in ``lang``, with the planner of the test store signed in."""
    at = AppTest.from_function(_app, default_timeout=60)
    at.session_state[state.LANG] = lang
    for key, value in SESSIONS.get(os.environ.get("BAOYEN_STORE", ""), {}).items():
        at.session_state[key] = value
    return at


def page(lang: str = "vi") -> AppTest:
    return app_test(lang).run()


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


def test_what_if_offers_the_facilities_to_relocate_from_the_store(store: Store) -> None:
    fill_pho_rang(store)
    store.write_layer(
        "ttcn_facilities",
        gpd.GeoDataFrame(
            {
                "id": ["t1", "t2"],
                "name": ["Nhôm kính Hùng Anh", "Cơ khí Phố Ràng"],
                "sector": ["Nhôm kính", "Cơ khí"],
                "employees": [6, 4],
                "to_relocate": [True, True],
                "commune_code": ["02947", "02947"],
            },
            geometry=[shapely.Point(X0 + 900, Y0 + 900), shapely.Point(X0 + 200, Y0 + 150)],  # t2 in the cluster
            crs=WORK,
        ),
        user="test",
    )
    at = page()
    assert not at.exception, at.exception
    pick = at.multiselect(key=state.CLUSTERS_WHATIF)
    assert pick.options[-1] == "Nhôm kính Hùng Anh · Nhôm kính · Phố Ràng"
    assert not any("Cơ khí Phố Ràng" in o for o in pick.options)
    assert "1 cơ sở của lớp Cơ sở tiểu thủ công nghiệp" in texts(at)
    pick.set_value(["facility:t1"]).run()
    area = at.number_input(key=state.CLUSTERS_WHATIF_HA + "facility:t1")
    assert area.label == "Diện tích cần: Nhôm kính Hùng Anh · Nhôm kính · Phố Ràng (ha)"
    area.set_value(1.5).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy dự kiến"] == "40,0 %"  # (2.5 + 1.5) / 10
    # a category and a facility add up
    at.multiselect(key=state.CLUSTERS_WHATIF).set_value(["facility:t1", "mechanical"]).run()
    at.number_input(key=state.CLUSTERS_WHATIF_HA + "mechanical").set_value(1.0).run()
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy dự kiến"] == "50,0 %"
    assert any("Đạt mục tiêu 50 %" in s.value for s in at.success)


def test_what_if_without_facilities_to_relocate_says_how_to_fill_the_layer(store: Store) -> None:
    fill_pho_rang(store)
    at = page("en")
    assert not at.exception, at.exception
    assert any("ttcn_facilities) is empty" in i.value and "on the Data page" in i.value for i in at.info)
    assert at.multiselect(key=state.CLUSTERS_WHATIF).options == [TEXT[f"clusters.cand.{c}"][1] for c in CANDIDATES]
    store.write_layer(
        "ttcn_facilities",
        gpd.GeoDataFrame(
            {"id": ["t1"], "name": ["Mộc Bảo Hà"], "to_relocate": [False]},
            geometry=[shapely.Point(X0 + 900, Y0 + 900)],
            crs=WORK,
        ),
        user="test",
    )
    at.run()
    assert any("holds no facility to relocate" in i.value and "to_relocate" in i.value for i in at.info)


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
    # said in the page's language: the lot, its value and the statuses a lot may have
    assert any("«bỏ hoang»" in e.value and "trạng thái không hợp lệ" in e.value for e in at.error), at.error
    assert not any("allowed values" in e.value for e in at.error)
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
    assert any("bị đổi chỗ" in e.value for e in at.error)  # in the page's language


def test_series_chart_runs_from_2021(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    charts = at.get("vega_lite_chart")
    assert charts, "the occupancy-over-time chart is missing"
    spec = json.loads(charts[0].proto.spec)
    assert spec["layer"][0]["mark"]["interpolate"] == "step-after"


# --- drawing on the map, in AppTest (st_folium replaced by a stand-in that "draws") --------------------------------


class FakeMap:
    """Stands in for st_folium: records each call; the first map instance of the cluster returns ``features``."""

    def __init__(self, features: list[dict], cluster_id: str = "ccn_pho_rang") -> None:
        self.features = features
        self.first_key = f"{state.CLUSTERS_MAP}{cluster_id}.0"
        self.calls: list[tuple[object, dict]] = []

    def __call__(self, fig: object, **kwargs: object) -> dict:
        self.calls.append((fig, kwargs))
        key = str(kwargs["key"])
        first = key == self.first_key or key.startswith(self.first_key + ".")
        return {"all_drawings": self.features if first else None}


def _today_source(user: str = "chuyen_vien_a") -> str:
    return f"vẽ trên bản đồ ({user}, {dt.date.today().isoformat()})"


def test_drawing_a_lot_on_the_map_saves_it_as_a_new_version(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from folium.plugins import Draw

    fill_pho_rang(store)
    before = store.current_version("cluster_lots")
    fake = FakeMap(drawn(rect(0, 150, 100, 100)))
    monkeypatch.setattr(cluster_map, "st_folium", fake)
    at = page()
    assert not at.exception, at.exception
    fig, kwargs = fake.calls[-1]
    assert kwargs["returned_objects"] == ["all_drawings"]  # pan and zoom send nothing back
    draws = [el for el in fig._children.values() if isinstance(el, Draw)]  # type: ignore[attr-defined]
    assert len(draws) == 1
    assert draws[0].draw_options["polyline"] is False and "polygon" in draws[0].draw_options
    html = fig.get_root().render()  # type: ignore[attr-defined]
    assert "https://" not in html and "leaflet-draw/leaflet.draw.js" in html
    assert any("Hình 1: 1,0000 ha" in c.value for c in at.caption)
    prefix = f"{state.CLUSTERS_DRAW_FORM}ccn_pho_rang.0.1."
    at.text_input(key=prefix + "lot_no").input("B1")
    at.selectbox(key=prefix + "status").set_value("operating")
    at.text_input(key=prefix + "tenant").input("Cơ khí Phố Ràng")
    at.date_input(key=prefix + "leased_on").set_value(dt.date(2024, 9, 1))
    at.button(key=state.CLUSTERS_DRAW_SAVE).click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == before + 1  # one write
    lots = store.read_layer("cluster_lots")
    assert len(lots) == 4
    new = lots[lots["lot_no"] == "B1"].iloc[0]
    assert new["id"] == "ccn_pho_rang.lot1"
    assert new.geometry.area == pytest.approx(10_000.0, rel=1e-6)
    assert (new["status"], new["tenant"], new["cluster_id"]) == ("operating", "Cơ khí Phố Ràng", "ccn_pho_rang")
    assert pd.Timestamp(new["leased_on"]).date() == dt.date(2024, 9, 1)
    assert (new["geom_quality"], new["source"]) == ("digitised", _today_source())
    latest = store.history("cluster_lots")[-1]
    assert latest.user == "chuyen_vien_a" and "B1" in latest.message and "bản đồ" in latest.message
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy"] == "35,0 %"  # 2.5 + 1 ha of 10 ha
    assert any("phiên bản" in s.value for s in at.success)
    # the map was made anew (the saved drawing left it) and the form is gone
    assert at.session_state[state.CLUSTERS_DRAW_GEN] == 1
    assert fake.calls[-1][1]["key"] == f"{state.CLUSTERS_MAP}ccn_pho_rang.1"
    assert not [b for b in at.button if b.key == state.CLUSTERS_DRAW_SAVE]


def test_a_bow_tie_drawing_is_repaired_and_the_planner_told(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fill_pho_rang(store)
    a, b, c, d = (X0, Y0 + 150), (X0 + 100, Y0 + 150), (X0, Y0 + 250), (X0 + 100, Y0 + 250)
    bow_tie = gpd.GeoSeries([shapely.Polygon([a, b, c, d])], crs=WORK).to_crs("EPSG:4326").iloc[0]
    features = [{"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(bow_tie)}]
    monkeypatch.setattr(cluster_map, "st_folium", FakeMap(features))
    at = page("en")
    assert not at.exception, at.exception
    assert any("crossed itself" in w.value and "0.5000 ha" in w.value for w in at.warning)
    at.selectbox(key=f"{state.CLUSTERS_DRAW_FORM}ccn_pho_rang.0.1.status").set_value("building")
    at.button(key=state.CLUSTERS_DRAW_SAVE).click().run()
    assert not at.exception, at.exception
    lots = store.read_layer("cluster_lots")
    new = lots[~lots["id"].isin(["p.lot1", "p.lot2", "p.lot3"])].iloc[0]
    assert new.geometry.is_valid and new.geometry.area == pytest.approx(5_000.0, rel=1e-5)
    assert new["status"] == "building"
    message = store.history("cluster_lots")[-1].message
    assert "ccn_pho_rang.lot1" in message and "nan" not in message  # no lot number: the id names it


def test_a_drawing_outside_the_cluster_is_flagged_and_a_taken_number_refused(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_pho_rang(store)
    before = store.current_version("cluster_lots")
    monkeypatch.setattr(cluster_map, "st_folium", FakeMap(drawn(rect(350, 200, 100, 100))))
    at = page()
    assert any("nằm ngoài ranh giới" in w.value and "0,7500 ha" in w.value for w in at.warning)
    at.text_input(key=f"{state.CLUSTERS_DRAW_FORM}ccn_pho_rang.0.1.lot_no").input("A2")
    at.button(key=state.CLUSTERS_DRAW_SAVE).click().run()
    assert not at.exception
    assert any("số lô A2 đã dùng" in e.value for e in at.error)  # in the page's language
    assert store.current_version("cluster_lots") == before  # nothing written


def test_reshaping_a_stored_lot_on_the_map(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    fill_pho_rang(store)
    # the planner dragged lot A3's top corners 50 m up (the browser sends the lot back with the reshape flag)
    fake = FakeMap(drawn(rect(250, 0, 100, 150), properties={RESHAPE_FLAG: True}))
    monkeypatch.setattr(cluster_map, "st_folium", fake)
    at = app_test("vi")
    at.session_state[f"{state.CLUSTERS_RESHAPE}ccn_pho_rang.0"] = "p.lot3"
    at.run()
    assert not at.exception, at.exception
    fig, kwargs = fake.calls[-1]
    assert kwargs["key"] == f"{state.CLUSTERS_MAP}ccn_pho_rang.0.p.lot3"
    script = fig.get_root().render()  # type: ignore[attr-defined]
    assert RESHAPE_FLAG in script and "L.polygon" in script
    assert any("1,0000 ha → 1,5000 ha" in c.value for c in at.caption)
    at.button(key=state.CLUSTERS_RESHAPE_SAVE).click().run()
    assert not at.exception, at.exception
    lot = store.read_layer("cluster_lots").set_index("id").loc["p.lot3"]
    assert lot.geometry.area == pytest.approx(15_000.0, rel=1e-6)
    assert (lot["geom_quality"], lot["source"]) == ("digitised", _today_source())
    assert "A3" in store.history("cluster_lots")[-1].message
    assert at.session_state[state.CLUSTERS_DRAW_GEN] == 1


def test_deleting_a_lot_writes_a_version_without_it(store: Store) -> None:
    fill_pho_rang(store)
    before = store.current_version("cluster_lots")
    at = page()
    picker = at.selectbox(key=state.CLUSTERS_DELETE + "ccn_pho_rang")
    assert picker.options == ["A1 · Nhôm kính Phố Ràng", "A2 · Cơ khí Bảo Yên", "A3"]
    picker.set_value("p.lot2").run()
    at.button(key=f"{state.CLUSTERS_DELETE}ccn_pho_rang.go").click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == before + 1
    assert sorted(store.read_layer("cluster_lots")["id"]) == ["p.lot1", "p.lot3"]
    latest = store.history("cluster_lots")[-1]
    assert latest.user == "chuyen_vien_a" and "A2" in latest.message
    assert {m.label: m.value for m in at.metric}["Tỷ lệ lấp đầy"] == "10,0 %"


# --- no lost edits: a save refused because someone else saved the layer meanwhile -------------------------------------


def other_writer_saves(store: Store, lot_id: str, user: str = "chuyen_vien_b", **values: object) -> int:
    """Another planner's session saves the lot layer with ``values`` for lot ``lot_id``: the new version."""
    layer = store.read_layer("cluster_lots")
    for col, value in values.items():
        layer[col] = layer[col].astype(object)
        layer.loc[layer["id"] == lot_id, col] = value
    return store.write_layer("cluster_lots", layer, user=user, message=f"{user} edits {lot_id}")


def edit_status(at: AppTest, row: int, status: str) -> None:
    at.session_state[state.CLUSTERS_EDITOR + "ccn_pho_rang"] = {
        "edited_rows": {str(row): {"status": status}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()


def apply_button(at: AppTest):  # type: ignore[no-untyped-def]
    (button,) = [b for b in at.button if str(b.key).startswith(state.CLUSTERS_PENDING_APPLY)]
    return button


def test_a_refused_edit_is_kept_and_reapplied_cleanly_on_the_new_version(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    edit_status(at, 2, "building")  # lot A3, on version 2
    other = other_writer_saves(store, "p.lot1", tenant="Nhôm kính Phố Ràng")  # version 3
    at.button(key=f"{state.CLUSTERS_EDITOR}ccn_pho_rang.save").click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == other  # nothing written over the other planner's save
    text = texts(at)
    written = store.history("cluster_lots")[-1].written_at
    when = f"{written[8:10]}/{written[5:7]}/{written[:4]} {written[11:16]}"
    assert f"đã được chuyen_vien_b lưu lúc {when} (UTC) thành phiên bản {other}" in text
    assert "vẫn được giữ lại" in text
    assert "Áp dụng được ngay: A3." in text  # named by lot number
    assert at.session_state[state.CLUSTERS_PENDING][0]["base"] == other - 1
    button = apply_button(at)
    assert button.label == f"Áp dụng lại trên phiên bản {other}"
    button.click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == other + 1
    lots = store.read_layer("cluster_lots").set_index("id")
    assert lots.loc["p.lot3", "status"] == "building"  # the planner's edit
    assert lots.loc["p.lot1", "tenant"] == "Nhôm kính Phố Ràng"  # the other planner's, kept
    assert lots.loc["p.lot2", "status"] == "allocated"
    latest = store.history("cluster_lots")[-1]
    assert latest.user == "chuyen_vien_a" and f"áp dụng lại trên phiên bản {other}" in latest.message
    assert not at.session_state[state.CLUSTERS_PENDING]
    assert any("Đã áp dụng lại" in s.value and "1 lô áp dụng ngay" in s.value for s in at.success)
    assert not [b for b in at.button if str(b.key).startswith(state.CLUSTERS_PENDING_APPLY)]


def test_an_edit_after_a_lot_was_deleted_meanwhile_lands_on_the_lot_edited(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    edit_status(at, 2, "building")  # the third row is lot A3
    layer = store.read_layer("cluster_lots")
    store.write_layer("cluster_lots", layer[layer["id"] != "p.lot1"], user="chuyen_vien_b")  # A1 deleted: rows move up
    at.run()
    assert not at.exception, at.exception
    assert any("Bảng đang hiển thị phiên bản 2" in c.value and "chuyen_vien_b" in c.value for c in at.caption)
    at.button(key=f"{state.CLUSTERS_EDITOR}ccn_pho_rang.save").click().run()
    apply_button(at).click().run()
    assert not at.exception, at.exception
    lots = store.read_layer("cluster_lots").set_index("id")
    assert sorted(lots.index) == ["p.lot2", "p.lot3"]  # A1 stays deleted
    assert (lots.loc["p.lot3", "status"], lots.loc["p.lot2", "status"]) == ("building", "allocated")


def test_the_same_lot_changed_by_both_is_shown_side_by_side_and_kept_as_chosen(store: Store) -> None:
    fill_pho_rang(store)
    at = page("en")
    edit_status(at, 1, "operating")  # lot A2
    other = other_writer_saves(store, "p.lot2", tenant="Cơ khí Phố Ràng")
    at.button(key=f"{state.CLUSTERS_EDITOR}ccn_pho_rang.save").click().run()
    assert not at.exception, at.exception
    text = texts(at)
    assert "Nothing else applies cleanly" in text and "Changed by the other person too: A2." in text
    assert any("Lot A2" in m.value and "both changed this lot" in m.value for m in at.markdown)
    (table,) = [d.value.reset_index() for d in at.table if "Yours" in d.value.columns]
    assert list(table.columns) == [
        "Field",
        f"Before (version {other - 1})",
        "Yours",
        f"chuyen_vien_b's (version {other})",
        "Differs",
    ]
    rows = table.set_index("Field")
    assert rows.loc["Status"].tolist()[:3] == ["Allocated", "Operating", "Allocated"]
    assert rows.loc["Tenant"].tolist()[:3] == ["Cơ khí Bảo Yên", "Cơ khí Bảo Yên", "Cơ khí Phố Ràng"]
    assert (rows.loc["Status", "Differs"], rows.loc["Tenant", "Differs"], rows.loc["Lot", "Differs"]) == ("≠", "≠", "")
    assert rows.loc["Shape (area)"].tolist()[:3] == ["1.5000 ha"] * 3
    choice = at.radio(key=f"{state.CLUSTERS_PENDING_CHOICE}1.p.lot2")
    assert choice.value == "theirs" and choice.label == "Which to keep for lot A2?"
    choice.set_value("mine").run()
    apply_button(at).click().run()
    assert not at.exception, at.exception
    lot = store.read_layer("cluster_lots").set_index("id").loc["p.lot2"]
    assert (lot["status"], lot["tenant"]) == ("operating", "Cơ khí Bảo Yên")  # the planner's whole lot, as chosen
    assert any("1 kept as yours" in s.value for s in at.success)
    assert store.current_version("cluster_lots") == other + 1


def test_a_delete_refused_by_a_newer_version_is_reapplied_and_a_kept_edit_can_be_discarded(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    at.selectbox(key=state.CLUSTERS_DELETE + "ccn_pho_rang").set_value("p.lot2").run()
    other = other_writer_saves(store, "p.lot3", status="building")
    at.button(key=f"{state.CLUSTERS_DELETE}ccn_pho_rang.go").click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == other
    assert "Áp dụng được ngay: A2." in texts(at)
    apply_button(at).click().run()
    lots = store.read_layer("cluster_lots").set_index("id")
    assert sorted(lots.index) == ["p.lot1", "p.lot3"] and lots.loc["p.lot3", "status"] == "building"

    # a second refused change, discarded: nothing is written and the panel goes
    at.selectbox(key=state.CLUSTERS_DELETE + "ccn_pho_rang").set_value("p.lot1").run()
    other_writer_saves(store, "p.lot3", status="operating")
    at.button(key=f"{state.CLUSTERS_DELETE}ccn_pho_rang.go").click().run()
    before = store.current_version("cluster_lots")
    (drop,) = [b for b in at.button if str(b.key).startswith(state.CLUSTERS_PENDING_DROP)]
    drop.click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == before and "p.lot1" in set(store.read_layer("cluster_lots")["id"])
    assert not at.session_state[state.CLUSTERS_PENDING]
    assert any("Đã bỏ thay đổi" in s.value for s in at.success)


def test_a_lot_drawn_while_someone_else_saved_is_kept_and_added_on_the_new_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_pho_rang(store)
    monkeypatch.setattr(cluster_map, "st_folium", FakeMap(drawn(rect(0, 150, 100, 100))))
    at = page()
    at.text_input(key=f"{state.CLUSTERS_DRAW_FORM}ccn_pho_rang.0.1.lot_no").input("B1")
    other = other_writer_saves(store, "p.lot1", status="vacant")
    at.button(key=state.CLUSTERS_DRAW_SAVE).click().run()
    assert not at.exception, at.exception
    assert store.current_version("cluster_lots") == other
    assert at.session_state[state.CLUSTERS_DRAW_GEN] == 1  # the drawing left the map: it is kept below
    assert any("thẻ «Nhập và sửa»" in t.value for t in at.toast)
    assert "Áp dụng được ngay: B1." in texts(at)
    apply_button(at).click().run()
    lots = store.read_layer("cluster_lots").set_index("id")
    assert len(lots) == 4 and lots.loc["p.lot1", "status"] == "vacant"
    assert (lots["lot_no"] == "B1").sum() == 1


def test_a_kept_edit_the_other_planner_made_too_leaves_nothing_to_write(store: Store) -> None:
    fill_pho_rang(store)
    at = page()
    edit_status(at, 0, "building")  # lot A1
    other = other_writer_saves(store, "p.lot1", status="building")  # the very same change
    at.button(key=f"{state.CLUSTERS_EDITOR}ccn_pho_rang.save").click().run()
    assert not at.exception, at.exception
    assert any("đã có đúng thay đổi này" in i.value for i in at.info)
    assert not [b for b in at.button if str(b.key).startswith(state.CLUSTERS_PENDING_APPLY)]
    (drop,) = [b for b in at.button if str(b.key).startswith(state.CLUSTERS_PENDING_DROP)]
    drop.click().run()
    assert store.current_version("cluster_lots") == other and not at.session_state[state.CLUSTERS_PENDING]


def test_overlaps_are_flagged_while_drawing_before_anything_is_saved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_pho_rang(store)  # A1 is the 100 × 100 m lot at the corner
    before = store.current_version("cluster_lots")
    # shape 1 covers half of A1; shape 2 covers a quarter of shape 1 and nothing stored
    monkeypatch.setattr(cluster_map, "st_folium", FakeMap(drawn(rect(50, 0, 100, 100), rect(100, 100, 100, 100))))
    at = page()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("Hình 1 chồng lấn 1,0000 ha lên A1, A2" in w for w in warnings), warnings
    assert not any(w.startswith("Hình 2 chồng lấn") for w in warnings), warnings  # it only touches shape 1's edge
    assert store.current_version("cluster_lots") == before  # shown while drawing: nothing was saved
    at = page("en")
    assert any("Shape 1 overlaps A1, A2 by 1.0000 ha" in w.value for w in at.warning)


def test_drawn_overlaps_skip_the_reshaped_lot_and_count_drawn_shapes() -> None:
    lots = gpd.GeoDataFrame({"id": ["c.lot1"], "lot_no": ["A1"]}, geometry=[rect(0, 0, 100, 100)], crs=WORK)
    shapes = [rect(0, 0, 100, 120), rect(0, 60, 100, 100)]
    found = drawn_overlaps(shapes, ["A1", "1"], lots, skip_id="c.lot1")
    assert [(name, round(ha, 4), others) for name, ha, others in found] == [("1", 0.6, ["A1"])]
    found = drawn_overlaps(shapes[:1], ["1"], lots)
    assert [(name, round(ha, 4), others) for name, ha, others in found] == [("1", 1.0, ["A1"])]

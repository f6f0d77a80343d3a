"""The map page under streamlit.testing (AppTest): layers, language, search, details, unlocated features."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.text import fold
from layers.catalogue import CATALOGUE
from layers.store import open_store
from tests.ui import helpers
from tests.ui.helpers import store_at
from ui import map_page, state

APP = Path(__file__).resolve().parents[2] / "app.py"
MAX_MAP_BYTES = 1_500_000


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store built from data/ in a temporary file; BAOYEN_STORE points at it while this module runs."""
    with store_at(tmp_path_factory.mktemp("store") / "baoyen.gpkg") as path:
        yield path


def run_page(lang: str = "vi", **session: object) -> AppTest:
    return helpers.run_page("map_page", lang, timeout=60, **session)


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    return json.loads(component.proto.json_args)


def drawn_layers(args: dict) -> set[str]:
    return {layer_id for layer_id in CATALOGUE._by_id if f'"id":"{layer_id}"' in args["feature_group"]}


def located_counts(path: Path) -> dict[str, int]:
    store = open_store(path)
    out = {}
    for layer_id in store.layer_ids():
        frame = store.read_layer(layer_id)
        out[layer_id] = int((~(frame.geometry.isna() | frame.geometry.is_empty)).sum())
    return out


def test_default_view_draws_the_visible_layers_within_budget(store_path: Path) -> None:
    at = run_page()
    assert not at.exception
    args = map_args(at)
    counts = located_counts(store_path)
    expected = {layer.id for layer in CATALOGUE if layer.visible_by_default and counts.get(layer.id, 0) > 0}
    assert drawn_layers(args) == expected
    assert len(at.get("component_instance")[0].proto.json_args.encode()) <= MAX_MAP_BYTES
    # every asset the map loads is the app's own
    assert args["js_links"] == [
        "../../app/static/vendor/leaflet/leaflet.js",
        "../../app/static/vendor/proj4/proj4.js",  # the cursor's VN-2000 position
        "../../app/static/vendor/protomaps-leaflet/protomaps-leaflet.js",  # large layers' vector tiles
        "../../app/static/vendor/leaflet-draw/leaflet.draw.js",  # the measure tool
    ]
    assert args["css_links"] == [
        "../../app/static/vendor/leaflet/leaflet.css",
        "../../app/static/vendor/leaflet-draw/leaflet.draw.css",
    ]
    assert "https://" not in args["script"] + args["header"]
    assert "L.tileLayer" not in args["feature_group"]  # no basemap by default (sources may cite web pages)
    # pan/zoom never rerun the page: only a click on a feature and the measure tool's shapes are returned
    assert args["returned_objects"] == ["last_object_clicked_tooltip", "all_drawings"]
    assert args["center"] is None and args["zoom"] is None


def test_switching_a_layer_off_removes_it_and_keeps_the_map(store_path: Path) -> None:
    at = run_page()
    before = map_args(at)
    at.checkbox(key=state.MAP_WIDGET + state.MAP_VISIBLE + "hydropower").uncheck().run()
    after = map_args(at)
    assert "hydropower" in drawn_layers(before) and "hydropower" not in drawn_layers(after)
    assert drawn_layers(before) - drawn_layers(after) == {"hydropower"}
    assert after["script"] == before["script"]  # the base map is unchanged, so the browser keeps it and its view
    at.toggle(key=state.MAP_WIDGET + state.MAP_GROUP_VISIBLE + "admin").set_value(False).run()
    assert not drawn_layers(map_args(at)) & {"communes_legacy", "communes_2025", "commune_centres"}


def test_language_switch_changes_labels_not_the_map(store_path: Path) -> None:
    vi, en = run_page("vi"), run_page("en")
    assert not vi.exception and not en.exception
    assert vi.subheader[0].value == "Bản đồ quy hoạch" and en.subheader[0].value == "Planning map"
    legend_vi = "".join(e.proto.body for e in vi.get("html"))
    legend_en = "".join(e.proto.body for e in en.get("html"))
    assert "Hành chính" in legend_vi and "Administrative units" in legend_en
    assert "Geometry quality" in legend_en
    args_vi, args_en = map_args(vi), map_args(en)
    assert args_vi["script"] == args_en["script"]
    assert '"title":"Hydropower plants (schematic)"' in args_en["feature_group"]
    assert '"title":"Thủy điện (sơ đồ)"' in args_vi["feature_group"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("pho rang", "Phố Ràng"), ("bao ha", "Bảo Hà"), ("PHỐ  RÀNG", "Phố Ràng"), ("thuy dien bao ha", "Bảo Hà")],
)
def test_search_ignores_diacritics_and_case_and_zooms(store_path: Path, query: str, expected: str) -> None:
    at = run_page()
    at.text_input(key=state.MAP_SEARCH).input(query).run()
    assert not at.exception
    results = at.radio(key=state.MAP_PICK + fold(query))
    assert results.options and all(fold(expected) in fold(label) for label in results.options)
    args = map_args(at)
    assert args["center"] is not None and 9 <= args["zoom"] <= 16
    lat, lon = args["center"]
    assert 22.0 < lat < 22.6 and 104.1 < lon < 104.7  # inside Bảo Yên
    assert "baoyenMapkit.highlight" in args["feature_group"] and expected in args["feature_group"]
    # the chosen result's attributes are in the side panel
    assert any(expected in md.value for md in at.markdown)


def test_search_for_nothing_says_so(store_path: Path) -> None:
    at = run_page()
    at.text_input(key=state.MAP_SEARCH).input("zzzz không có").run()
    assert not at.exception
    assert at.info and at.info[0].value == "Không tìm thấy đối tượng nào có tên này."
    assert map_args(at)["center"] is None


def test_clicked_feature_fills_the_side_panel(store_path: Path) -> None:
    store = open_store(store_path)
    plants = store.read_layer("hydropower")
    row = plants[plants["geom_quality"] != "unlocated"].iloc[0]
    at = run_page("en")
    at.session_state[state.MAP_SELECTED] = ("hydropower", str(row["id"]))
    at.run()
    assert not at.exception
    (table,) = at.table
    shown = table.value
    assert row["name"] in shown.to_string()
    assert "Capacity" in shown.index or "Status" in shown.index


def test_unlocated_features_are_listed_under_the_map(store_path: Path) -> None:
    store = open_store(store_path)
    unlocated = sum(
        int((store.read_layer(lid).geometry.isna() | store.read_layer(lid).geometry.is_empty).sum())
        for lid in store.layer_ids()
    )
    at = run_page()
    labels = [e.label for e in at.expander]
    assert f"Chưa xác định vị trí ({unlocated})" in labels


def _go_to(at: AppTest, url_path: str) -> AppTest:
    """Open another st.navigation page of app.py (AppTest.switch_page only knows file pages)."""
    pages = {info.get("url_pathname"): page_hash for page_hash, info in at._registered_pages.items()}
    at._page_hash = pages[url_path]
    return at.run()


def test_basemap_and_layer_choices_are_remembered_across_pages(store_path: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    at.radio(key=state.MAP_WIDGET + state.MAP_BASEMAP).set_value("osm").run()
    at.checkbox(key=state.MAP_WIDGET + state.MAP_VISIBLE + "clusters").uncheck().run()
    assert "tile.openstreetmap.org" in map_args(at)["feature_group"]
    _go_to(at, "danh-muc")
    assert not at.exception and not at.get("component_instance")
    _go_to(at, "")  # the default page (ban-do) is registered under the empty path
    assert not at.exception
    assert at.radio(key=state.MAP_WIDGET + state.MAP_BASEMAP).value == "osm"
    assert "tile.openstreetmap.org" in map_args(at)["feature_group"]
    assert "clusters" not in drawn_layers(map_args(at))


def test_attribute_filter_shows_only_the_matching_features(store_path: Path) -> None:
    frame = open_store(store_path).read_layer("hydropower")
    located = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
    proposed = set(located.loc[located["status"] == "proposed", "id"])
    assert proposed and proposed != set(located["id"])
    at = run_page()
    before = map_args(at)["feature_group"]
    assert all(f'"id":"{fid}"' in before for fid in located["id"])
    at.selectbox(key=state.MAP_FILTER_LAYER).set_value("hydropower").run()
    at.selectbox(key=state.MAP_FILTER_FIELD + "hydropower").set_value("status").run()
    at.multiselect(key=f"{state.MAP_FILTER_VALUES}hydropower.status").set_value(["proposed"]).run()
    assert not at.exception
    after = map_args(at)["feature_group"]
    assert all(f'"id":"{fid}"' in after for fid in proposed)
    assert not any(f'"id":"{fid}"' in after for fid in set(located["id"]) - proposed)
    assert f"{len(proposed)}/{len(located)}" in " ".join(c.value for c in at.caption)
    # the other layers are untouched
    assert drawn_layers(map_args(at)) == drawn_layers({"feature_group": before})


def test_commune_names_colocated_points_and_the_print_box(store_path: Path) -> None:
    at = run_page()
    group = map_args(at)["feature_group"]
    assert "window.baoyenMapkit.names(" in group and "Ph\u1ed1 R\u00e0ng" in group  # commune names on the map
    assert "window.baoyenMapkit.spread(" in group  # schematic points share commune centres: drawn apart
    assert "L.drawLocal" in group and '"draw.toolbar.buttons.polyline"' in group  # the measure tool's labels
    assert map_page.measure_labels("vi")["draw.toolbar.buttons.polyline"] == "Đo khoảng cách (vẽ đường)"
    assert not at.get("download_button")  # nothing to download before the printed map is made
    at.button(key=state.MAP_PRINT_MAKE).click().run()
    assert not at.exception
    made = at.session_state[state.MAP_PRINT_MADE]
    assert made["png"].startswith(b"\x89PNG") and made["pdf"].startswith(b"%PDF")
    assert len(at.get("download_button")) == 2  # the printed map, PNG and PDF, kept across the page's reruns
    at.run()
    assert len(at.get("download_button")) == 2
    at.text_input(key=state.MAP_PRINT_TITLE).input("Bản đồ khác").run()  # a new title: the kept map is not it
    assert not at.get("download_button")
    assert any("Tạo bản in" in c.value for c in at.caption)
    at.toggle(key=state.MAP_WIDGET + state.MAP_NAMES).set_value(False).run()
    assert "window.baoyenMapkit.names(" not in map_args(at)["feature_group"]
    assert map_page.measure_labels("en")["draw.toolbar.buttons.polyline"] == "Measure a distance (draw a line)"


def test_layers_hidden_by_the_maps_own_switch_are_not_printed(store_path: Path) -> None:
    """The print button sends the layers hidden on the map (browser input: only catalogue ids are kept)."""
    view = {"south": 22.1, "west": 104.2, "north": 22.5, "east": 104.6, "zoom": 11}
    assert map_page.print_hidden({**view, "hidden": ["hydropower", "../../etc", 7, None]}) == {"hydropower"}
    assert map_page.print_hidden({**view, "hidden": "hydropower"}) == frozenset()
    assert map_page.print_hidden(None) == frozenset()
    shown = run_page(**{state.MAP_PRINT_VIEW: view})
    assert not any("đã ẩn" in c.value for c in shown.caption)
    at = run_page(**{state.MAP_PRINT_VIEW: {**view, "hidden": ["hydropower"]}})
    assert not at.exception
    assert any(c.value.startswith("Không in các lớp đã ẩn trên bản đồ: Thủy điện") for c in at.caption)


def switch_labels(at: AppTest) -> dict[str, str]:
    """The sidebar's layer switches: layer id -> label (markdown, as Streamlit reads it)."""
    prefix = state.MAP_WIDGET + state.MAP_VISIBLE
    return {str(c.key)[len(prefix) :]: c.label for c in at.checkbox if str(c.key).startswith(prefix)}


def legend_text(at: AppTest) -> str:
    return "".join(e.proto.body for e in at.get("html") if "by-legend" in e.proto.body)


def test_layer_switches_and_legend_say_what_the_stored_data_is_worth(store_path: Path, tmp_path: Path) -> None:
    """Schematic cells are titled "(sơ đồ)"; after a real boundary import the same switches say "(số hóa)"."""
    from services.boundaries import boundary_versions, import_boundary_frame
    from tests.conftest import signed

    counts = located_counts(store_path)
    vi, en = run_page("vi"), run_page("en")
    labels, english = switch_labels(vi), switch_labels(en)
    assert labels["communes_legacy"] == rf"Xã, thị trấn trước 7/2025 \(sơ đồ\) \({counts['communes_legacy']}\)"
    assert labels["material_zones_plan"].startswith(r"Vùng nguyên liệu theo kế hoạch \(sơ đồ\) \(")
    assert labels["hydropower"] == rf"Thủy điện \(sơ đồ\) \({counts['hydropower']}\)"
    assert english["communes_legacy"] == rf"Communes before July 2025 \(schematic\) \({counts['communes_legacy']}\)"
    assert labels["cluster_lots"] == r"Lô đất trong cụm \(chưa có dữ liệu\)"  # nothing stored: no claim
    assert "Xã, thị trấn trước 7/2025 (sơ đồ)" in legend_text(vi)
    assert "Communes before July 2025 (schematic)" in legend_text(en)

    with store_at(tmp_path / "real.gpkg") as real:
        store = open_store(real)
        cells = store.read_layer("communes_legacy")
        frame = cells[["ma_xa", "ten_xa", "geometry"]].rename(columns={"ma_xa": "MaXa", "ten_xa": "TenXa"})
        frame["geometry"] = frame.geometry.buffer(-50)  # "real" boundaries: the cells shrunk a little
        import_boundary_frame(
            store, frame, source="xa.gpkg", actor=signed(store), base_versions=boundary_versions(store)
        )
        at = run_page("vi")
        assert not at.exception
        labels = switch_labels(at)
        assert labels["communes_legacy"] == rf"Xã, thị trấn trước 7/2025 \(số hóa\) \({counts['communes_legacy']}\)"
        assert labels["material_zones_plan"].startswith(r"Vùng nguyên liệu theo kế hoạch \(số hóa\) \(")
        assert labels["hydropower"].startswith(r"Thủy điện \(sơ đồ\)")  # points at commune centres stay schematic
        legend = legend_text(at)
        assert "Xã, thị trấn trước 7/2025 (số hóa)" in legend and "Vùng nguyên liệu theo kế hoạch (số hóa)" in legend
        assert "trước 7/2025 (sơ đồ)" not in legend and "kế hoạch (sơ đồ)" not in legend


def test_a_kept_printed_map_is_stale_once_a_layer_it_shows_has_a_new_version(store_path: Path) -> None:
    """The print's signature names each layer's version and filter, not its features (kept last: it writes)."""
    at = run_page()
    assert "hydropower" in drawn_layers(map_args(at))
    at.button(key=state.MAP_PRINT_MAKE).click().run()
    assert len(at.get("download_button")) == 2
    at.run()
    assert len(at.get("download_button")) == 2  # a rerun alone keeps it
    store = open_store(store_path)
    frame = store.read_layer("hydropower")
    frame.loc[frame.index[0], "name"] = "Thủy điện đổi tên"
    store.write_layer("hydropower", frame, user="test", message="renamed")
    at.run()
    assert not at.exception and not at.get("download_button")
    assert any("Tạo bản in" in c.value for c in at.caption)

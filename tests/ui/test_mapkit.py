"""ui.mapkit: local assets only, display simplification, styles from the catalogue, legend, click references."""

from __future__ import annotations

import json
import math
import re

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point, Polygon

from geo.crs import WORK_CRS
from layers.model import Catalogue, FieldDef, LayerDef, Style
from ui import assets, mapkit

GEOD = Geod(ellps="WGS84")

PLANTS = LayerDef(
    id="plants",
    title_vi="Nhà máy thử",
    title_en="Test plants",
    group="hydropower",
    geometry_type="Point",
    fields=(
        FieldDef("status", "str", "Trạng thái", "Status", choices=("operating", "proposed"), key=True),
        FieldDef("capacity_mw", "float", "Công suất", "Capacity", "MW", key=True),
        FieldDef("target_year", "int", "Năm mục tiêu", "Target year", "year"),
        FieldDef("operator", "str", "Chủ đầu tư", "Operator"),
    ),
    style=Style(
        color="#2166ac",
        fill_color="#67a9cf",
        fill_opacity=0.8,
        size_field="capacity_mw",
        radius_min=5.0,
        radius_max=20.0,
        color_field="status",
        color_map=(("operating", "#2166ac"), ("proposed", "#d1e5f0")),
    ),
    targets=("6",),
)
ZONES = LayerDef(
    id="zones",
    title_vi="Vùng thử",
    title_en="Test zones",
    group="materials",
    geometry_type="Polygon",
    fields=(
        FieldDef("species", "str", "Cây trồng", "Species", choices=("que", "mo"), key=True),
        FieldDef("planned_ha", "float", "Diện tích", "Planned area", "ha", key=True),
    ),
    style=Style(
        color="#1b7837",
        fill_color="#a6dba0",
        hatch=True,
        color_field="species",
        color_map=(("que", "#a6611a"), ("mo", "#1b9e77")),
    ),
)


def plants_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["p1", "p2", "p3", "p4"],
            "name": ["Thủy điện Bảo Hà", "Thủy điện Tân Tiến 1", "Thủy điện Vĩnh Hà", "Thủy điện chưa rõ"],
            "source": ["II.(6)"] * 4,
            "geom_quality": ["approximate", "schematic", "digitised", "unlocated"],
            "status": ["proposed", "proposed", "operating", "proposed"],
            "capacity_mw": [75.0, 75.0 / 4, np.nan, 4.0],
            "target_year": [2025, 2025, 2021, 2030],
            "operator": ["A", None, "C", "D"],
        },
        geometry=[Point(104.5012345678, 22.1), Point(104.3, 22.4), Point(104.42, 22.25), None],
        crs="EPSG:4326",
    )


def circle(lon: float, lat: float, r_deg: float, n: int = 720) -> Polygon:
    a = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return Polygon(np.c_[lon + r_deg * np.cos(a), lat + r_deg * np.sin(a)])


def zones_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["small", "big"],
            "name": ["Vùng Mỡ", "Vùng Quế"],
            "source": ["IV.4", "IV.4"],
            "geom_quality": ["schematic", "schematic"],
            "species": ["mo", "que"],
            "planned_ha": [6789.3, 21184.07],
        },
        geometry=[circle(104.45, 22.3, 0.02), circle(104.45, 22.3, 0.1)],
        crs="EPSG:4326",
    )


def geodesic_area_m2(poly: Polygon) -> float:
    x, y = poly.exterior.coords.xy
    return abs(GEOD.polygon_area_perimeter(x, y)[0])


# --- assets ---------------------------------------------------------------------------------------------------


def test_base_map_loads_only_local_leaflet() -> None:
    html = mapkit.base_map().get_root().render()
    assert re.findall(r"https?://", html) == []
    srcs = re.findall(r'<script src="([^"]+)"', html)
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert srcs == [f"{assets.VENDOR_URL}/leaflet/leaflet.js", f"{assets.VENDOR_URL}/proj4/proj4.js"]
    assert links == [f"{assets.VENDOR_URL}/leaflet/leaflet.css"]
    # folium's own class lists are untouched: only this map's instance changed
    assert any("cdn" in url for _, url in folium.Map.default_js)


def test_tile_basemaps_are_the_only_remote_urls() -> None:
    html = mapkit.base_map(basemap="osm").get_root().render()
    hosts = set(re.findall(r"https?://([^/\"']+)", html))
    assert hosts == {"tile.openstreetmap.org", "www.openstreetmap.org"}
    with pytest.raises(KeyError, match="unknown basemap"):
        mapkit.base_map(basemap="google")


def test_unvendored_plugin_is_refused() -> None:
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    with pytest.raises(ValueError, match="not served by the app"):
        mapkit.use_local_assets(m)


def test_asset_install_checks_locked_version(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(assets, "ASSETS", (assets.LEAFLET,))  # Leaflet alone; leaflet-draw: tests/ui/test_assets.py
    pkg = tmp_path / "node_modules" / "leaflet"
    (pkg / "dist" / "images").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        (pkg / "dist" / name).write_text(f"/* {name} */")
    (pkg / "dist" / "images" / "layers.png").write_bytes(b"png")
    lock = tmp_path / "package-lock.json"
    lock.write_text(json.dumps({"packages": {"node_modules/leaflet": {"version": "1.9.4"}}}))
    (pkg / "package.json").write_text(json.dumps({"version": "1.9.3"}))
    dest = tmp_path / "vendor"
    with pytest.raises(assets.DataSourceError, match=r"pins 1\.9\.4"):
        assets.install(node_modules=tmp_path / "node_modules", dest=dest, lockfile=lock)
    assert assets.missing(dest) == ["leaflet/leaflet.js", "leaflet/leaflet.css"]
    (pkg / "package.json").write_text(json.dumps({"version": "1.9.4"}))
    manifest = assets.install(node_modules=tmp_path / "node_modules", dest=dest, lockfile=lock)
    assert manifest["packages"] == {"leaflet": "1.9.4"}
    assert set(manifest["files"]) == {"leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/images/layers.png"}
    assert assets.missing(dest) == []
    assert (dest / "leaflet" / "leaflet.js").read_text() == "/* leaflet.js */"


# --- display data ---------------------------------------------------------------------------------------------


def test_display_frame_drops_unlocated_rounds_and_reprojects() -> None:
    shown = mapkit.display_frame(plants_frame().to_crs(WORK_CRS))
    assert shown.crs.to_epsg() == 4326
    assert list(shown["id"]) == ["p1", "p2", "p3"]
    x, y = shown.geometry.iloc[0].x, shown.geometry.iloc[0].y
    assert x == pytest.approx(104.50123, abs=1e-9) and y == pytest.approx(22.1, abs=1e-9)


def test_display_frame_simplifies_but_keeps_area() -> None:
    frame = zones_frame()
    shown = mapkit.display_frame(frame)  # 5 m tolerance: a few hundred metres of chord on these circles
    for before, after in zip(frame.geometry, shown.geometry, strict=True):
        assert len(after.exterior.coords) < len(before.exterior.coords) / 2
        assert geodesic_area_m2(after) == pytest.approx(geodesic_area_m2(before), rel=0.01)


@settings(max_examples=50, deadline=None)
@given(
    lon=st.floats(104.0, 105.0, allow_nan=False),
    lat=st.floats(21.9, 22.7, allow_nan=False),
    decimals=st.integers(3, 7),
)
def test_rounding_moves_a_point_at_most_half_a_unit(lon: float, lat: float, decimals: int) -> None:
    frame = gpd.GeoDataFrame({"id": ["a"], "name": ["a"]}, geometry=[Point(lon, lat)], crs="EPSG:4326")
    p = mapkit.display_frame(frame, decimals=decimals).geometry.iloc[0]
    half = 0.5 * 10.0**-decimals + 1e-12
    assert abs(p.x - lon) <= half and abs(p.y - lat) <= half
    assert round(p.x * 10**decimals) == pytest.approx(p.x * 10**decimals, abs=1e-6)


def test_prepare_layer_styles_sizes_and_quality() -> None:
    prepared = mapkit.prepare_layer(PLANTS, plants_frame())
    data = json.loads(prepared.geojson)
    styles = [json.loads(s) for s in prepared.styles]
    by_id = {f["properties"]["id"]: f["properties"] for f in data["features"]}
    assert set(by_id) == {"p1", "p2", "p3"}
    # only popup fields travel: key figures and the target year, not the operator
    assert "operator" not in by_id["p1"] and by_id["p1"]["target_year"] == 2025
    # square-root sizing: the largest value gets radius_max, a quarter of it half-way between min and max
    assert by_id["p1"]["_r"] == 20.0
    assert by_id["p2"]["_r"] == pytest.approx(5.0 + 15.0 * math.sqrt(0.25), abs=0.05)
    assert "_r" in by_id["p3"] and by_id["p3"]["_r"] == PLANTS.style.radius  # capacity unknown: default radius
    approx, schem, exact = (styles[by_id[k]["_s"]] for k in ("p1", "p2", "p3"))
    assert approx["dashArray"] and "dashArray" not in exact
    assert schem["dashArray"] != approx["dashArray"] and schem["fillOpacity"] < approx["fillOpacity"]
    assert exact["fillColor"] == "#2166ac" and approx["fillColor"] == "#d1e5f0"  # colour by status
    assert prepared.unlocated == (("p4", "Thủy điện chưa rõ", "II.(6)"),)
    assert dict(prepared.quality_counts) == {"digitised": 1, "approximate": 1, "schematic": 1, "unlocated": 1}
    assert prepared.n_located == 3 and prepared.size_max == 75.0
    names = {e.feature_id: e for e in prepared.search}
    assert names["p4"].at is None and names["p1"].at == (22.1, 104.50123) and names["p1"].zoom == 15


def test_prepare_layer_hatches_and_orders_polygons_large_first() -> None:
    prepared = mapkit.prepare_layer(ZONES, zones_frame())
    data = json.loads(prepared.geojson)
    assert [f["properties"]["id"] for f in data["features"]] == ["big", "small"]
    styles = [json.loads(s) for s in prepared.styles]
    hatches = {styles[f["properties"]["_s"]]["hatch"] for f in data["features"]}
    assert hatches == {"#a6611a", "#1b9e77"}
    assert all(s["dashArray"] == "2 5" for s in styles)  # schematic
    assert set(prepared.color_values) == {"mo", "que"}
    zooms = {e.feature_id: e.zoom for e in prepared.search}
    assert zooms["big"] < zooms["small"]


def test_prepare_layer_needs_id_and_name() -> None:
    frame = plants_frame().drop(columns=["name"])
    with pytest.raises(mapkit.InputDataError, match="name"):
        mapkit.prepare_layer(PLANTS, frame)


def test_add_layer_sends_data_once_and_labels_in_language() -> None:
    prepared = mapkit.prepare_layer(PLANTS, plants_frame())
    scripts = {}
    for lang in ("vi", "en"):
        m = mapkit.base_map(lang=lang)
        group = folium.FeatureGroup(name="plants")
        mapkit.add_layer(group, PLANTS, prepared, lang=lang)
        group.add_to(m)
        scripts[lang] = m.get_root().render()
    assert scripts["vi"].count(prepared.geojson) == 1
    assert "Nhà máy thử" in scripts["vi"] and "Độ tin cậy vị trí" in scripts["vi"] and "Đề xuất" in scripts["vi"]
    assert "Test plants" in scripts["en"] and "Geometry quality" in scripts["en"] and "Zoom in" in scripts["en"]
    with pytest.raises(ValueError, match="prepared data is for layer"):
        mapkit.add_layer(folium.FeatureGroup(), ZONES, prepared, lang="vi")


def test_data_cannot_close_the_script() -> None:
    frame = plants_frame()
    frame.loc[0, "name"] = "</script><script>alert(1)</script>"
    prepared = mapkit.prepare_layer(PLANTS, frame)
    assert "</script>" not in prepared.geojson
    assert json.loads(prepared.geojson)["features"][0]["properties"]["name"].startswith("</script>")


def test_parse_ref_reads_the_hidden_reference() -> None:
    text = "Thủy điện Bảo Hà\nThủy điện · Gần đúng⟦hydropower/hp_bao_ha/2⟧"
    assert mapkit.parse_ref(text) == ("hydropower", "hp_bao_ha/2")
    assert mapkit.parse_ref("Phố Ràng") is None
    assert mapkit.parse_ref(None) is None


def test_format_value_localises_numbers_units_and_choices() -> None:
    cap = PLANTS.field("capacity_mw")
    assert mapkit.format_value(cap, 1500.5, "vi") == "1.500,5\u00a0MW"
    assert mapkit.format_value(cap, 1500.5, "en") == "1,500.5\u00a0MW"
    assert mapkit.format_value(PLANTS.field("target_year"), 2025, "vi") == "2025"
    assert mapkit.format_value(PLANTS.field("status"), "proposed", "en") == "Proposed / under study"
    assert mapkit.format_value(cap, float("nan"), "vi") == ""
    assert mapkit.format_value(None, True, "vi") == "Có"


# --- legend ---------------------------------------------------------------------------------------------------


def test_legend_matches_styles_and_explains_quality() -> None:
    html = mapkit.legend_html(
        Catalogue((PLANTS, ZONES)),
        "vi",
        size_max={"plants": 75.0},
        qualities={"zones": "schematic", "plants": "approximate"},
        present={"zones": ("que",)},
    )
    assert "Nhà máy thử" in html and "Vùng thử" in html
    assert "Quế" in html and "Mỡ" not in html  # species labels from the catalogue; only present values
    assert html.count("repeating-linear-gradient") == 2  # the zones layer symbol and its one present species
    assert "rgba(166,97,26" in html  # the "que" hatch colour
    assert "rgba(27,158,119" not in html  # "mo" is not present, so it has no entry
    assert "dotted" in html and "dashed" in html  # schematic zones, approximate plants
    assert "75\u00a0MW" in html and "18,75\u00a0MW" in html  # sized symbols labelled with values
    for label in ("Đo đạc", "Số hóa từ bản đồ", "Gần đúng", "Sơ đồ", "Chưa xác định vị trí"):
        assert label in html
    english = mapkit.legend_html([PLANTS], "en")
    assert "Test plants" in english and "Location unknown" in english and "Schematic" in english


def test_highlight_group_carries_the_name() -> None:
    prepared = mapkit.prepare_layer(PLANTS, plants_frame())
    entry = next(e for e in prepared.search if e.feature_id == "p1")
    m = mapkit.base_map()
    mapkit.highlight_group(entry).add_to(m)
    html = m.get_root().render()
    assert "baoyenMapkit.highlight" in html and '"Thủy điện Bảo Hà"' in html


def test_point_radius_grows_with_value() -> None:
    values = [0.5, 1, 2, 4, 8, 16, 32, 64, 75]
    radii = [mapkit._radius(PLANTS.style, v, 75.0) for v in values]
    assert radii == sorted(radii) and radii[-1] == 20.0 and radii[0] >= 5.0
    assert shapely.__version__  # the simplification above relies on shapely 2


def test_template_syntax_in_data_stays_text() -> None:
    """folium re-reads rendered scripts as jinja templates; a name like "{{ 7*7 }}" must not be evaluated."""
    from streamlit_folium import generate_leaflet_string

    frame = plants_frame()
    frame.loc[0, "name"] = "{{ 7*7 }} {% if true %}x{% endif %} {# c #}"
    prepared = mapkit.prepare_layer(PLANTS, frame)
    m = mapkit.base_map()
    group = folium.FeatureGroup(name="plants")
    mapkit.add_layer(group, PLANTS, prepared, lang="vi")
    group.add_to(m)
    html = m.get_root().render()
    # evaluated, the name would read "49 x": look for that, not for "49" (element ids are random hex)
    assert "49 x" not in html
    assert "\\u007b{ 7*7 }}" in html
    group.render()
    script = generate_leaflet_string(group)
    name = json.loads(prepared.geojson)["features"][0]["properties"]["name"]
    assert name == "{{ 7*7 }} {% if true %}x{% endif %} {# c #}"
    assert prepared.geojson in script


@pytest.mark.parametrize("payload", ["{{ 7*7 }}", "{% if true %}7{% endif %}"])
def test_user_text_on_the_page_path_is_never_evaluated(payload: str) -> None:
    # Pages draw planners' own data with plain folium (GeoJson, tooltips, popups) and hand it to st_folium as
    # feature_group_to_add. branca would compile an element's rendered text as a new jinja template if a whole
    # figure were rendered (get_root().render(), save, _repr_html_): st_folium renders each element's macros
    # once, which keeps planners' text inert. This pins that property of the path the app uses
    # (docs/DECISIONS.md: never render a figure holding user data any other way).
    from streamlit_folium import _get_feature_group_string, generate_leaflet_string

    frame = gpd.GeoDataFrame({"tenant": [payload + "TENANT"]}, geometry=[shapely.Point(104.4, 22.2)], crs=4326)
    group = folium.FeatureGroup(name="user data")
    folium.GeoJson(frame.to_json(), tooltip=folium.GeoJsonTooltip(["tenant"])).add_to(group)
    folium.CircleMarker([22.2, 104.4], tooltip=payload + "TIP", popup=payload + "POP").add_to(group)
    m = mapkit.base_map()
    sent = _get_feature_group_string(mapkit.use_local_assets(group), m) + generate_leaflet_string(m, base_id="div")
    sent += m.get_root().header.render() + m.get_root().html.render()
    for marker in ("TENANT", "TIP", "POP"):
        assert "49" + marker not in sent and "7" + marker not in sent.replace(payload, "")
        assert payload.replace('"', '\\"') + marker in sent or payload + marker in sent


def test_popups_name_the_plan_targets() -> None:
    from streamlit_folium import generate_leaflet_string

    prepared = mapkit.prepare_layer(PLANTS, plants_frame())
    group = folium.FeatureGroup(name="plants")
    mapkit.add_layer(group, PLANTS, prepared, lang="vi", target_titles={"6": "Thủy điện {{ x }}"})
    group.add_to(mapkit.base_map())
    group.render()
    script = generate_leaflet_string(group)
    assert '"target_titles":{"6":"Thủy điện \\u007b{ x }}"}' in script  # inert to jinja, intact in the browser
    assert "titles[id]" in mapkit._RUNTIME_JS


# --- map tools: the cursor's CRS, the scale bar, names, co-located points, the attribute filter ---------------


def test_cursor_crs_is_pyprojs_epsg_9208_with_its_datum_shift() -> None:
    from pyproj import Transformer

    from geo.crs import transformer

    text = mapkit.work_crs_proj4()
    assert "+proj=tmerc" in text and "+lon_0=104.75" in text and "+k=0.9999" in text and "+towgs84=" in text
    # the string the browser gets transforms exactly as the working CRS does (EPSG:6960 included), to < 1 mm
    browser = Transformer.from_crs("EPSG:4326", text, always_xy=True)
    for lon, lat in [(104.4782, 22.2446), (104.25, 22.12), (104.6, 22.45)]:
        bx, by = browser.transform(lon, lat)
        wx, wy = transformer(4326, 9208).transform(lon, lat)
        assert abs(bx - wx) < 1e-3 and abs(by - wy) < 1e-3
    # without the shift the position would be tens of metres off: the shift is really in the string
    plain = Transformer.from_crs("EPSG:4326", text.split(" +towgs84")[0], always_xy=True).transform(104.4782, 22.2446)
    assert math.dist(plain, transformer(4326, 9208).transform(104.4782, 22.2446)) > 10


def test_base_map_has_a_metric_scale_bar_the_cursor_and_the_tile_note() -> None:
    from streamlit_folium import _get_map_string

    m = mapkit.base_map(lang=None, print_button=True)
    script = _get_map_string(m)
    assert "L.control.scale()" not in script  # folium's own scale bar (metric and imperial) is off
    assert "L.control.scale({imperial: false, metric: true" in script
    assert "window.baoyenMapkit.controls(" in script and '"print":true' in script and "+towgs84=" in script
    assert "tileerror" in script
    labels = mapkit.map_labels("vi")
    assert labels["marks"] == [".", ","] and mapkit.map_labels("en")["marks"] == [",", "."]
    assert "mạng" in labels["tiles"]  # the note says why the tiles are missing


def test_names_are_sent_as_escaped_text() -> None:
    from streamlit_folium import _get_feature_group_string

    frame = gpd.GeoDataFrame(
        {"name": ["<img src=x onerror=alert(1)>", "Xã Bảo Hà", None]},
        geometry=[circle(104.4, 22.3, 0.01), Point(104.5, 22.2), Point(104.45, 22.25)],
        crs="EPSG:4326",
    )
    items = mapkit.name_items(frame, "name")
    assert [text for _, _, text in items] == ["<img src=x onerror=alert(1)>", "Xã Bảo Hà"]
    assert shapely.Point(items[0][1], items[0][0]).within(frame.geometry.iloc[0])
    group = folium.FeatureGroup(name="names")
    mapkit.add_names(group, items, kind="commune")
    sent = _get_feature_group_string(group, mapkit.base_map())
    assert "<img" not in sent and "\\u003cimg src=x onerror=alert(1)\\u003e" in sent
    assert "window.baoyenMapkit.names(" in sent and '"by-commune"' in sent


def test_two_points_at_one_place_are_drawn_apart_and_clickable() -> None:
    moves = mapkit.spread_colocated(
        [("hydropower/a", 22.3, 104.45), ("clusters/b", 22.3, 104.45), ("water_plants/c", 22.31, 104.46)]
    )
    assert set(moves) == {"hydropower/a", "clusters/b"}  # the lone point stays where it is
    (alat, alon, _), (blat, blon, _) = moves["hydropower/a"], moves["clusters/b"]
    apart = GEOD.inv(alon, alat, blon, blat)[2]
    assert apart == pytest.approx(mapkit.SPREAD_M, rel=2e-3)  # laid out in EPSG:9208 metres: same at any zoom
    for lat, lon, moved in moves.values():  # on a circle round the shared place
        assert GEOD.inv(104.45, 22.3, lon, lat)[2] == pytest.approx(mapkit.SPREAD_M / 2, rel=2e-3)
        assert moved == 75
    three = mapkit.spread_colocated([(k, 22.3, 104.45) for k in ("x/1", "x/2", "x/3")])
    pts = list(three.values())
    for i in range(3):
        a, b = pts[i], pts[(i + 1) % 3]
        assert GEOD.inv(a[1], a[0], b[1], b[0])[2] == pytest.approx(mapkit.SPREAD_M, rel=2e-3)


def test_spread_reaches_the_browser_and_popups_say_a_point_was_moved() -> None:
    from streamlit_folium import _get_feature_group_string

    group = folium.FeatureGroup(name="plan")
    mapkit.add_spread(group, {"hydropower/a": (22.3, 104.45, 75)})
    sent = _get_feature_group_string(group, mapkit.base_map())
    assert "window.baoyenMapkit.spread(" in sent and '"hydropower/a":[22.3,104.45,75]' in sent
    spec = json.loads(mapkit._spec(PLANTS, mapkit.prepare_layer(PLANTS, plants_frame()), "vi"))
    assert "{m} m" in spec["labels"]["moved"]


def test_attribute_filter_by_status() -> None:
    frame = plants_frame()
    fields = {f.name: f for f in mapkit.filter_fields(PLANTS, frame)}
    assert "status" in fields and "name" not in fields and "capacity_mw" not in fields
    values = mapkit.filter_values(fields["status"], frame)
    assert values == sorted(set(frame["status"]), key=("operating", "proposed").index)
    only = mapkit.filter_features(frame, "status", ["proposed"])
    assert len(only) and set(only["status"]) == {"proposed"}
    assert len(mapkit.filter_features(frame, "status", [])) == len(frame)  # nothing picked: no filter
    assert mapkit.filter_label(fields["status"], "proposed", "vi") == "Đề xuất / nghiên cứu"

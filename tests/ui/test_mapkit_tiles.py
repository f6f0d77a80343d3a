"""ui.mapkit for large layers: styles per style key, search without geometry, the tiled layer and the selected popup."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from geo.text import fold
from layers import tiles
from layers.catalogue import CATALOGUE
from tests.tiles_data import PLOTS_LAYER, plots
from ui import assets, mapkit

PLOTS = CATALOGUE.get(PLOTS_LAYER)


def _spec_of(script: str, call: str) -> dict:
    """The JSON spec passed to ``window.baoyenMapkit.<call>(`` in a rendered script."""
    start = script.index(f"window.baoyenMapkit.{call}(") + len(f"window.baoyenMapkit.{call}(")
    spec, _end = json.JSONDecoder().raw_decode(script[start:])
    return spec


def test_a_tiled_layer_gets_the_geojson_layers_styles_for_every_style_key() -> None:
    frame = plots(300)
    tiled = mapkit.prepare_tiled_layer(PLOTS, frame)
    geojson = mapkit.prepare_layer(PLOTS, frame)
    assert tiled.tiled and tiled.geojson == "" and tiled.tile_columns == ("geom_quality", "species")
    assert set(tiled.styles) == set(geojson.styles)
    lookup = dict(tiled.style_lookup)
    features = json.loads(geojson.geojson)["features"]
    for f in features[:60]:  # each feature's style, found by its style key, is the one the GeoJSON layer gives it
        row = frame.set_index("id").loc[f["properties"]["id"]]
        key = mapkit.STYLE_KEY_SEP.join([row["geom_quality"], row["species"]])
        assert tiled.styles[lookup[key]] == geojson.styles[f["properties"]["_s"]]
    assert tiled.quality_counts == geojson.quality_counts and set(tiled.color_values) == set(geojson.color_values)


def test_search_entries_of_a_tiled_layer_match_the_geojson_ones_but_carry_no_geometry() -> None:
    frame = plots(200)
    frame.loc[5, "geometry"] = None
    tiled = {e.feature_id: e for e in mapkit.prepare_tiled_layer(PLOTS, frame).search}
    full = {e.feature_id: e for e in mapkit.prepare_layer(PLOTS, frame).search}
    assert tiled.keys() == full.keys()
    for fid, e in full.items():
        t = tiled[fid]
        assert (t.name, t.folded, t.geometry) == (e.name, e.folded, None)
        # the GeoJSON layer's zoom comes from the rounded, simplified shape: a plot on an edge may differ by one
        assert (t.zoom is None) == (e.zoom is None) and abs((t.zoom or 0) - (e.zoom or 0)) <= 1
        assert t.at == e.at or (t.at is not None and e.at is not None and np.allclose(t.at, e.at, atol=2e-6))
    assert tiled["plot_5"].at is None
    assert mapkit.prepare_tiled_layer(PLOTS, frame).unlocated == (("plot_5", "Lô trồng 5", "synthetic test plots"),)


@given(st.lists(st.text(max_size=12), max_size=20))
def test_folding_many_names_is_folding_each(names: list[str]) -> None:
    assert mapkit.fold_all(names) == [fold(n) for n in names]


def test_the_tiled_layer_names_its_file_styles_and_zooms() -> None:
    prepared = mapkit.prepare_tiled_layer(PLOTS, plots(100))
    m = mapkit.use_tiles(mapkit.base_map(lang="vi"))
    group = folium.FeatureGroup(name="plan")
    url = mapkit.tile_url("abc-material_zones_mapped-v3-0123.pmtiles")
    mapkit.add_tiled_layer(group, PLOTS, prepared, url, lang="vi")
    group.add_to(m)
    html = m.get_root().render()
    assert f'"{assets.TILES_URL}/abc-material_zones_mapped-v3-0123.pmtiles"' in html
    assert f"{assets.VENDOR_URL}/protomaps-leaflet/protomaps-leaflet.js" in html
    assert re.findall(r"https?://[^\s\"'<>)]+", html) == []
    spec = _spec_of(html, "tiled")
    assert spec["keys"] == ["geom_quality", "species"] and spec["tile_layer"] == tiles.TILE_LAYER
    assert spec["maxzoom"] == tiles.MAX_ZOOM and spec["minzoom"] == tiles.MIN_ZOOM + 0.5
    assert len(spec["styles"]) == len(prepared.styles) and spec["lookup"] == dict(prepared.style_lookup)
    assert "Phóng to để xem lớp" in spec["zoom_note"]
    assert spec["pending"] is False and "overview" not in spec
    with pytest.raises(ValueError, match="not a tiled layer"):
        mapkit.add_tiled_layer(group, PLOTS, mapkit.prepare_layer(PLOTS, plots(3)), url, lang="vi")


def test_a_layer_whose_tiles_are_being_built_is_drawn_from_its_overview_alone() -> None:
    prepared = mapkit.prepare_tiled_layer(PLOTS, plots(100))
    url = mapkit.tile_url("abc-material_zones_mapped-v4-0123.pmtiles")
    image = tiles.Overview(12, 22.0, 104.0, 22.5, 104.6, 100, 90)
    group = folium.FeatureGroup(name="plan")
    mapkit.add_tiled_layer(group, PLOTS, prepared, url, lang="vi", overview=image, pending=True)
    m = mapkit.use_tiles(mapkit.base_map(lang="vi"))
    group.add_to(m)
    spec = _spec_of(m.get_root().render(), "tiled")
    assert spec["pending"] is True
    assert spec["overview"] == {"url": url + ".png", "bounds": [[22.0, 104.0], [22.5, 104.6]], "below": 12}
    with pytest.raises(ValueError, match="drawn from its overview"):
        mapkit.add_tiled_layer(group, PLOTS, prepared, url, lang="vi", pending=True)


def test_a_style_value_from_a_file_cannot_close_the_script() -> None:
    frame = plots(10)
    frame["species"] = frame["species"].astype(object)
    frame.loc[0, "species"] = "</script><img src=x onerror=alert(1)>"
    prepared = mapkit.prepare_tiled_layer(PLOTS, frame)
    group = folium.FeatureGroup(name="plan")
    mapkit.add_tiled_layer(group, PLOTS, prepared, mapkit.tile_url("x.pmtiles"), lang="vi")
    m = mapkit.use_tiles(mapkit.base_map())
    group.add_to(m)
    html = m.get_root().render()
    assert "</script><img" not in html and "<img src=x" not in html
    assert any(k.endswith("</script><img src=x onerror=alert(1)>") for k in _spec_of(html, "tiled")["lookup"])


def test_the_selected_feature_s_popup_comes_from_its_row_escaped() -> None:
    frame = plots(20)
    frame.loc[3, "name"] = "<b>Lô</b> {{ 7*7 }}"
    prepared = mapkit.prepare_tiled_layer(PLOTS, frame)
    m = mapkit.use_tiles(mapkit.base_map())
    group = folium.FeatureGroup(name="plan")
    mapkit.add_selected(group, PLOTS, prepared, frame.iloc[3:4], lang="en")
    group.add_to(m)
    html = m.get_root().render()
    assert "<b>Lô</b>" not in html and "\\u007b{ 7*7 }}" in html  # as text: never markup, never a template
    start = html.index("window.baoyenMapkit.selected(") + len("window.baoyenMapkit.selected(")
    decoder = json.JSONDecoder()
    spec, end = decoder.raw_decode(html[start:])
    data, _ = decoder.raw_decode(html[start + end :].lstrip(", "))
    props = data["features"][0]["properties"]
    assert props["name"] == "<b>Lô</b> {{ 7*7 }}" and props["id"] == "plot_3" and props["species"]
    assert spec["title"].startswith("Plantation") or spec["id"] == PLOTS_LAYER
    outline = shapely.geometry.shape(data["features"][0]["geometry"])
    assert outline.area > 0


def test_nothing_is_selected_for_a_feature_without_a_place() -> None:
    frame = plots(5)
    frame.loc[2, "geometry"] = None
    group = folium.FeatureGroup(name="plan")
    mapkit.add_selected(group, PLOTS, mapkit.prepare_tiled_layer(PLOTS, frame), frame.iloc[2:3], lang="vi")
    assert not group._children
    assert mapkit.feature_geojson(frame.iloc[2:3]) is None
    assert json.loads(mapkit.feature_geojson(frame.iloc[1:2]) or "null")["type"] == "Polygon"


def _at(frame, i: int, *, zoom: float = 16.0, dx_m: float = 0.0) -> mapkit.PointRef:  # type: ignore[no-untyped-def]
    """A click on plot ``i``'s interior point, moved ``dx_m`` metres east (EPSG:9208)."""
    p = frame.geometry.iloc[i].point_on_surface()
    lon, lat = shapely.get_coordinates(
        gpd.GeoSeries([shapely.Point(p.x + dx_m, p.y)], crs=frame.crs).to_crs("EPSG:4326")
    )[0]
    return mapkit.PointRef(PLOTS_LAYER, float(lat), float(lon), zoom)


def test_a_click_on_the_tiles_finds_the_plot_it_fell_on() -> None:
    frame = plots(2000)
    shown = frame.to_crs("EPSG:4326")
    geoms = shown.geometry.array
    tree = shapely.STRtree(np.asarray(geoms, dtype=object))
    for i in (0, 7, 1234, 1999):
        assert mapkit.feature_at(geoms, _at(frame, i), tree=tree) == i
        assert mapkit.feature_at(geoms, _at(frame, i)) == i  # the tree is built when none is given
    # beside a plot: picked within 6 screen pixels (13 m at zoom 16 here, 1.7 m at zoom 19), not beyond
    edge_m = (frame.geometry.iloc[7].bounds[2] - frame.geometry.iloc[7].bounds[0]) / 2
    assert mapkit.feature_at(geoms, _at(frame, 7, dx_m=edge_m + 3.0), tree=tree) == 7
    assert mapkit.feature_at(geoms, _at(frame, 7, dx_m=edge_m + 3.0, zoom=19), tree=tree) is None
    assert mapkit.feature_at(geoms[:0], _at(frame, 7)) is None


def test_where_plots_overlap_the_last_one_drawn_is_picked() -> None:
    frame = plots(10)
    frame = gpd.GeoDataFrame(
        pd.concat([frame, frame.iloc[[3]].assign(id="plot_3_copy")], ignore_index=True), crs=frame.crs
    )
    shown = frame.to_crs("EPSG:4326")
    assert mapkit.feature_at(shown.geometry.array, _at(frame, 3)) == 10


def test_the_place_a_click_sends_is_read_strictly() -> None:
    ref = mapkit.parse_point_ref("\u27e6material_zones_mapped@22.2501234,104.4012345,16.00\u27e7")
    assert ref == mapkit.PointRef("material_zones_mapped", 22.2501234, 104.4012345, 16.0)
    assert 12.5 < ref.tolerance_m < 14.0  # 6 px at zoom 16, 22° N: 2.2 m a pixel
    for bad in (
        None,
        "",
        "Phố Ràng",
        "\u27e6hydropower/hp_1\u27e7",  # a GeoJSON feature's reference: parse_ref's
        "\u27e6x@1e400,104,16\u27e7",
        "\u27e6x@NaN,104,16\u27e7",
        "\u27e6x@95.0,104,16\u27e7",
        "\u27e6x@22,200.5,16\u27e7",
        "\u27e6x@22,104,99\u27e7",
        "\u27e6../../etc@22,104,16\u27e7",
        "\u27e6<img src=x>@22,104,16\u27e7",
    ):
        assert mapkit.parse_point_ref(bad) is None, bad


def test_the_overview_palette_paints_each_style_in_the_map_s_colours() -> None:
    frame = plots(600)
    tiled = mapkit.prepare_tiled_layer(PLOTS, frame)
    palette = mapkit.overview_palette(tiled)
    assert palette.lookup == dict(tiled.style_lookup) and len(palette.styles) == len(tiled.styles)
    for text, (fill, stroke) in zip(tiled.styles, palette.styles, strict=True):
        style = json.loads(text)
        assert stroke is not None and stroke[:3] == tuple(int(style["color"][i : i + 2], 16) for i in (1, 3, 5))
        assert stroke[3] == round(255 * style["opacity"])
        if style.get("fill") is False:
            assert fill is None
        else:
            colour = style.get("hatch") or style["fillColor"]
            assert fill is not None and fill[:3] == tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
            assert fill[3] == round(255 * style["fillOpacity"] * (0.25 if style.get("hatch") else 1.0))
    # what the tiles carry picks the same style in the overview as on the map
    shown = tiles.tile_frame(frame, tiled.tile_columns)
    key = "\x1f".join(str(shown.iloc[7][c]) for c in tiled.tile_columns)
    assert palette.lookup[key] == dict(tiled.style_lookup)[key]


def test_a_tile_job_is_what_the_whole_preparation_gives_the_build() -> None:
    for frame in (plots(600), plots(50).assign(geometry=None)):
        tiled = mapkit.prepare_tiled_layer(PLOTS, frame)
        job = mapkit.tile_job(PLOTS, frame)
        assert job.columns == tiled.tile_columns and job.features == tiled.n_located
        assert job.palette == mapkit.overview_palette(tiled)

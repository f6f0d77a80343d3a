"""Layer titles on the maps say what the stored data is worth, in the page's language, and reach the page escaped.

The planning map's layer switches, legend, popups and print subtitle, and the cluster map's commune legend, all
title a layer with :meth:`layers.model.LayerDef.title` and the quality mix of the features at hand (issue 11):
"(sơ đồ)" for the schematic commune cells, "(số hóa)" once real boundaries are imported.
"""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import box

from layers.catalogue import CATALOGUE
from layers.model import FieldDef, LayerDef, Style
from tests.ui.test_escape import PAYLOADS, assert_only_escaped, sent_by
from ui import cluster_map, map_page, mapkit
from ui.escape import html_text, js_json

COMMUNES = CATALOGUE.get("communes_legacy")


def communes(*qualities: str | None) -> gpd.GeoDataFrame:
    """Commune polygons near Phố Ràng (EPSG:4326), one per quality."""
    n = len(qualities)
    return gpd.GeoDataFrame(
        {
            "id": [f"c{i}" for i in range(n)],
            "name": [f"Xã {i}" for i in range(n)],
            "ma_xa": [f"0{i}" for i in range(n)],
            "source": ["test"] * n,
            "geom_quality": list(qualities),
        },
        geometry=[box(104.40 + 0.02 * i, 22.25, 104.42 + 0.02 * i, 22.27) for i in range(n)],
        crs="EPSG:4326",
    )


@pytest.mark.parametrize(
    ("qualities", "vi", "en"),
    [
        (("schematic", "schematic"), r" \(sơ đồ\)", r" \(schematic\)"),
        (("digitised", "digitised"), r" \(số hóa\)", r" \(digitised\)"),
        (("digitised", "schematic"), r" \(một phần sơ đồ\)", r" \(partly schematic\)"),
        (("surveyed", "surveyed"), "", ""),
    ],
)
def test_layer_switch_says_what_the_stored_communes_are_worth(qualities: tuple[str, ...], vi: str, en: str) -> None:
    """The switch's label is markdown (Streamlit's labels are): its parentheses come escaped."""
    prepared = mapkit.prepare_layer(COMMUNES, communes(*qualities))
    assert map_page.switch_label(COMMUNES, prepared, "vi") == rf"Xã, thị trấn trước 7/2025{vi} \(2\)"
    assert map_page.switch_label(COMMUNES, prepared, "en") == rf"Communes before July 2025{en} \(2\)"


def test_an_empty_layer_switch_claims_nothing() -> None:
    assert map_page.switch_label(COMMUNES, None, "vi") == "Xã, thị trấn trước 7/2025 \\(chưa có dữ liệu\\)"
    assert map_page.layer_title("communes_legacy", {}, "en") == "Communes before July 2025"


def test_legend_popups_and_switches_give_one_title() -> None:
    """The page's legend and the popups' spec carry the very title the switch shows, from the same features."""
    for qualities, suffix in ((("schematic",) * 3, " (sơ đồ)"), (("digitised",) * 3, " (số hóa)")):
        prepared = mapkit.prepare_layer(COMMUNES, communes(*qualities))
        title = map_page.layer_title("communes_legacy", {"communes_legacy": prepared}, "vi")
        assert title == "Xã, thị trấn trước 7/2025" + suffix
        legend = mapkit.legend_html(
            [COMMUNES], "vi", qualities={"communes_legacy": qualities[0]}, titles={"communes_legacy": title}
        )
        assert f"<span>{title}</span>" in legend
        group = folium.FeatureGroup(name="plan")
        mapkit.add_layer(group, COMMUNES, prepared, lang="vi")
        assert f'"title":"{title}"' in sent_by(group)


def test_a_missing_quality_is_titled_as_the_data_page_titles_it() -> None:
    """The store counts a missing ``geom_quality`` as "None" (unknown): the map's title must not call it approximate."""
    frame = communes(None, "digitised")
    prepared = mapkit.prepare_layer(COMMUNES, frame)
    data_page_title = COMMUNES.title("vi", {"None": 1, "digitised": 1})  # Store.layer_info's mix
    assert data_page_title == "Xã, thị trấn trước 7/2025 (một phần chưa rõ độ tin cậy)"
    assert mapkit.layer_title(COMMUNES, prepared, "vi") == data_page_title
    assert mapkit.frame_title(COMMUNES, frame, "vi") == data_page_title
    # no geom_quality column at all: nothing is claimed (the store's mix is empty)
    bare = frame.drop(columns="geom_quality")
    assert mapkit.layer_title(COMMUNES, mapkit.prepare_layer(COMMUNES, bare), "vi") == COMMUNES.title_vi


def test_the_printed_filter_line_names_the_layer_with_its_quality() -> None:
    prepared = mapkit.prepare_layer(COMMUNES, communes("digitised", "digitised"))
    quality = FieldDef("geom_quality", "str", "Độ tin cậy hình học", "Geometry quality")
    flt = map_page.AttributeFilter("communes_legacy", quality, ("digitised",))
    line = map_page._filter_text(flt, {"communes_legacy": prepared}, "vi")
    assert "Xã, thị trấn trước 7/2025 (số hóa)" in line


# --- hostile titles: whatever a title holds, it reaches the page as text ----------------------------------------------


def hostile(title: str) -> LayerDef:
    return LayerDef("hostile", title, title, "admin", "Polygon", (), Style(color="#444444", fill_color="#cccccc"))


def assert_html_text(page: str, text: str) -> None:
    """``text`` is in the HTML only as escaped text: no markup of it is there to run (st.html is no template)."""
    assert html_text(text) in page
    if set(text) & set("<>&\"'"):
        assert text not in page
    for raw in ("<img", "<svg", "</script", "<script", "<!--"):
        assert raw not in page, raw


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_is_escaped_in_the_legend_and_the_popups(payload: str) -> None:
    layer = hostile(payload)
    frame = communes("schematic")
    prepared = mapkit.prepare_layer(layer, frame)
    title = mapkit.layer_title(layer, prepared, "vi")
    assert title == payload + " (sơ đồ)"
    for legend in (
        mapkit.legend_html([layer], "vi", titles={"hostile": title}),
        mapkit.legend_html([layer], "vi", mixes={"hostile": {"schematic": 1}}),
    ):
        assert_html_text(legend, title)
    group = folium.FeatureGroup(name="plan")
    mapkit.add_layer(group, layer, prepared, lang="vi")
    sent = sent_by(group)
    assert_only_escaped(sent)
    assert '"title":' + js_json(title) in sent and json.loads(js_json(title)) == title


def test_a_title_in_a_switch_is_shown_as_written_not_read_as_markdown() -> None:
    layer = hostile("[Xem](javascript:alert(1)) **đậm** _nghiêng_ `mã` <b>x</b>")
    label = map_page.switch_label(layer, mapkit.prepare_layer(layer, communes("digitised")), "vi")
    assert re.sub(r"\\(.)", r"\1", label) == "[Xem](javascript:alert(1)) **đậm** _nghiêng_ `mã` <b>x</b> (số hóa) (1)"
    assert not re.search(r"(?<!\\)[\[\]()*_`<>]", label)  # every markdown character is escaped


# --- the cluster map's commune legend ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualities", "lang", "title", "dash"),
    [
        (("schematic", "schematic"), "vi", "Xã, thị trấn trước 7/2025 (sơ đồ)", "dotted"),
        (("digitised", "digitised"), "vi", "Xã, thị trấn trước 7/2025 (số hóa)", "solid"),
        (("digitised", "digitised"), "en", "Communes before July 2025 (digitised)", "solid"),
        (("approximate", "approximate", "schematic"), "vi", "Xã, thị trấn trước 7/2025 (một phần sơ đồ)", "dashed"),
    ],
)
def test_cluster_map_legend_titles_the_communes_by_their_quality(
    qualities: tuple[str, ...], lang: str, title: str, dash: str
) -> None:
    html = cluster_map.commune_legend(communes(*qualities), lang)
    assert html.endswith(f"</span>{title}") and f"border-top:1.5px {dash} " in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cluster_map_legend_escapes_the_title(monkeypatch: pytest.MonkeyPatch, payload: str) -> None:
    monkeypatch.setattr(cluster_map, "CATALOGUE", {"communes_legacy": hostile(payload)})
    assert_html_text(cluster_map.commune_legend(communes("digitised"), "vi"), payload + " (số hóa)")

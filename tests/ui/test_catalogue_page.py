"""The layer catalogue page (AppTest) and its table helpers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from layers.catalogue import CATALOGUE
from layers.store import open_store
from tests.ui import helpers
from tests.ui.helpers import store_at
from ui import catalogue_page


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store built from data/ in a temporary file; BAOYEN_STORE points at it while this module runs."""
    with store_at(tmp_path_factory.mktemp("store") / "baoyen.gpkg") as path:
        yield path


def run_page(lang: str = "vi", **session: object) -> AppTest:
    return helpers.run_page("catalogue_page", lang, timeout=60, **session)


def test_table_lists_every_layer_with_store_counts(store_path: Path) -> None:
    at = run_page()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == len(CATALOGUE)
    assert list(table["Mã lớp"]) == [layer.id for members in CATALOGUE.by_group().values() for layer in members]
    store = open_store(store_path)
    counts = dict(zip(table["Mã lớp"], table["Số đối tượng"], strict=True))
    for layer_id in store.layer_ids():
        assert counts[layer_id] == len(store.read_layer(layer_id))
    row = table.set_index("Mã lớp").loc["communes_legacy"]
    assert row["Độ tin cậy hình học"] == "17 Sơ đồ"
    assert row["Nhóm"] == "Hành chính" and row["Kiểu hình học"] == "Vùng"


def test_english_labels(store_path: Path) -> None:
    at = run_page("en")
    assert not at.exception
    assert at.subheader[0].value == "Layer catalogue"
    table = at.dataframe[0].value
    assert "Geometry quality" in table.columns
    # the title says what the stored features are worth: the plan's hydropower plants stand at commune centres
    assert table.set_index("Layer id").loc["hydropower", "Layer"] == "Hydropower plants (schematic)"
    assert table.set_index("Layer id").loc["communes_legacy", "Layer"] == "Communes before July 2025 (schematic)"


def test_attribute_table_and_csv_download(store_path: Path) -> None:
    at = run_page()
    at.selectbox[0].select("hydropower").run()
    assert not at.exception
    shown = at.dataframe[1].value
    assert {"Công suất", "Tên", "Nguồn", "Hình học (WKT, EPSG:4326)"} <= set(shown.columns)
    (button,) = at.get("download_button")
    assert button.proto.label == "Tải CSV"
    frame = open_store(store_path).read_layer("hydropower", crs="EPSG:4326")
    data = catalogue_page.csv_bytes(catalogue_page.attribute_table(frame))
    assert data.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["name"]) == list(frame["name"])
    assert back["wkt"].notna().sum() == (~frame.geometry.isna()).sum()


def test_empty_user_layer_says_so(store_path: Path) -> None:
    at = run_page()
    at.selectbox[0].select("cluster_lots").run()
    assert not at.exception
    assert at.info[0].value == "Lớp này chưa có đối tượng nào."


def test_quality_mix_and_sources() -> None:
    frame = gpd.GeoDataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "name": ["A", "B", "C", "D"],
            "source": ["II.(6)", "II.(6); III.3a", "III.3a", "https://example.org"],
            "geom_quality": ["schematic", "approximate", "approximate", "unlocated"],
        },
        geometry=[Point(104.4, 22.3)] * 3 + [None],
        crs="EPSG:4326",
    )
    assert catalogue_page.quality_mix(frame, "vi") == "2 Gần đúng, 1 Sơ đồ, 1 Chưa xác định vị trí"
    assert catalogue_page.quality_mix(frame, "en") == "2 Approximate, 1 Schematic, 1 Location unknown"
    layer = CATALOGUE.get("hydropower")
    assert catalogue_page.sources(layer, frame, "vi") == "II.(6); III.3a; https://example.org"
    assert catalogue_page.sources(CATALOGUE.get("cluster_lots"), frame.iloc[:0], "en") == "Entered by users"
    assert catalogue_page.sources(layer, frame.iloc[:0], "vi") == "data/hydropower.yaml"

"""The raw-material zones page under streamlit.testing (AppTest): without and with mapped stands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from layers.store import open_store
from tests.ui import helpers
from tests.ui.helpers import store_at
from ui import state
from ui.i18n import t


@pytest.fixture()
def store_path(tmp_path: Path) -> Iterator[Path]:
    """A store built from data/ in a temporary file; BAOYEN_STORE points at it during the test."""
    with store_at(tmp_path / "baoyen.gpkg") as path:
        yield path


def run_page(lang: str = "vi", **session: object) -> AppTest:
    return helpers.run_page("materials_page", lang, timeout=120, **session)


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.info, *at.caption, *at.markdown, *at.warning)]
    return "\n".join(str(p) for p in parts)


def test_without_mapped_stands_shows_the_plan_and_says_data_is_needed(store_path: Path) -> None:
    at = run_page("vi")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert t("materials.no_mapped", "vi") in [i.value for i in at.info]
    assert t("materials.supply.need_mapped", "vi") in [i.value for i in at.info]
    plan = at.dataframe[0].value
    zone_col = t("materials.col.zone", "vi")
    planned_col = t("materials.col.planned_ha", "vi")
    assert t("materials.col.mapped_in_ha", "vi") not in plan.columns  # no comparison without mapped data
    que = plan[plan[zone_col] == "Vùng nguyên liệu Quế (toàn huyện)"]
    assert float(que[planned_col].iloc[0]) == pytest.approx(21184.07)
    # English, and the 2025 units, work too
    at = run_page("en", **{state.MATERIALS_UNITS: "2025"})
    assert not at.exception and not at.error
    assert t("materials.no_mapped", "en") in [i.value for i in at.info]


def test_with_mapped_stands_compares_plan_and_mapped(store_path: Path) -> None:
    store = open_store(store_path)
    communes = store.read_layer("communes_legacy")
    tan_duong = communes.loc[communes["ma_xa"] == "02965", "geometry"].iloc[0]
    nghia_do = communes.loc[communes["ma_xa"] == "02953", "geometry"].iloc[0]
    stands = gpd.GeoDataFrame(
        {
            "id": ["s1", "s2", "s3"],
            "name": ["Quế Tân Dương", "Quế Nghĩa Đô", "Bồ Đề"],
            "source": ["test"] * 3,
            "geom_quality": ["digitised"] * 3,
            "species": ["Quế", "que", "bo_de"],
        },
        geometry=[tan_duong.buffer(-200), nghia_do.buffer(-200), nghia_do.centroid.buffer(300)],
        crs="EPSG:9208",
    )
    store.write_layer("material_zones_mapped", stands, user="test", message="test stands")
    que_ha = (tan_duong.buffer(-200).area + nghia_do.buffer(-200).area) / 1e4

    at = run_page("vi", **{state.MATERIALS_PLANT: "proc_mdf_bao_yen", state.MATERIALS_DISTANCE: 60})
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert t("materials.no_mapped", "vi") not in [i.value for i in at.info]
    by_commune, plan = at.dataframe[0].value, at.dataframe[1].value
    total = t("materials.col.total", "vi")
    code = t("materials.col.code", "vi")
    rows = by_commune.set_index(code)
    assert rows.loc["02965", total] == pytest.approx(
        tan_duong.buffer(-200).area / 1e4, abs=0.006
    )  # shown rounded to 0.01
    assert rows.loc["02950", total] == 0.0
    zone = plan.set_index(t("materials.col.zone", "vi"))
    inside = zone.loc["Vùng nguyên liệu Quế (toàn huyện)", t("materials.col.mapped_in_ha", "vi")]
    assert inside == pytest.approx(que_ha, abs=0.006)  # shown rounded to 0.01
    pct = zone.loc["Vùng nguyên liệu Quế (toàn huyện)", t("materials.col.pct", "vi")]
    assert pct == pytest.approx(que_ha / 21184.07 * 100, abs=0.006)  # shown rounded to 0.01
    # the MDF plant draws on Bồ Đề (plantation wood), 60 km reaches all of it: π × 300² m²
    metric = next(m for m in at.metric if m.label == t("materials.supply.area", "vi"))
    expected = shapely.Point(0, 0).buffer(300).area / 1e4
    assert metric.value == f"{expected:.1f}".replace(".", ",") + " ha"

    # the 2025 units: Tân Dương (02965) and Nghĩa Đô (02953) went to Xuân Hòa (02962) and Nghĩa Đô (02953)
    at = run_page("en", **{state.MATERIALS_UNITS: "2025"})
    assert not at.exception and not at.error
    rows = at.dataframe[0].value.set_index(t("materials.col.code", "en"))
    assert rows.loc["02962", t("materials.col.total", "en")] == pytest.approx(
        tan_duong.buffer(-200).area / 1e4, abs=0.006
    )
    assert "02965" not in rows.index


def test_capacity_is_prefilled_from_the_plant_and_says_where_it_comes_from(store_path: Path) -> None:
    store = open_store(store_path)
    plant = store.read_layer("processing_plants").set_index("id").loc["proc_mdf_bao_yen", "geometry"]
    stands = gpd.GeoDataFrame(
        {"id": ["s1"], "name": ["Bồ Đề"], "source": ["test"], "geom_quality": ["digitised"], "species": ["bo_de"]},
        geometry=[plant.buffer(1_000)],
        crs="EPSG:9208",
    )
    store.write_layer("material_zones_mapped", stands, user="test", message="test stands")
    area_ha = shapely.Point(0, 0).buffer(1_000).area / 1e4

    at = run_page("vi", **{state.MATERIALS_PLANT: "proc_mdf_bao_yen", state.MATERIALS_YIELD: 10.0})
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    capacity = next(n for n in at.number_input if n.label == t("materials.supply.capacity", "vi"))
    assert capacity.value == 210_000  # the company's stated figure in the plant's data
    captions = [c.value for c in at.caption]
    # the figure and its unit in Vietnamese, and the data's own note on it (authored in Vietnamese) quoted
    assert any(
        c.startswith("Nguồn số liệu công suất: 210.000 m³/năm theo số liệu của nhà máy — Công suất do công ty")
        and "tapchicongthuong.vn" in c
        for c in captions
    ), captions
    assert not any("stated capacity" in c or "chỉ có bằng tiếng Anh" in c for c in captions)
    ratio = next(m for m in at.metric if m.label == t("materials.supply.ratio", "vi"))
    assert ratio.value == f"{10 * area_ha / 210_000 * 100:.1f}".replace(".", ",") + " %"

    at = run_page("en", **{state.MATERIALS_PLANT: "proc_mdf_bao_yen", state.MATERIALS_YIELD: 10.0})
    assert any(
        c.value.startswith("Capacity figure from: 210,000 m³/yr from the plant's data — ")
        and "written in Vietnamese only" in c.value
        for c in at.caption
    ), [c.value for c in at.caption]

    # a plant without a figure starts empty and shows no capacity source
    at = run_page("en", **{state.MATERIALS_PLANT: "proc_persimmon_bao_ha"})
    assert not at.exception and not at.error
    capacity = next(n for n in at.number_input if n.label == t("materials.supply.capacity", "en"))
    assert capacity.value == 0.0
    assert not any(c.value.startswith("Capacity figure from") for c in at.caption)

"""Titles that say what the stored data is worth, and the plan zones re-derived from the commune polygons."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from layers.authored import rederive_plan_zones, worst_quality
from layers.catalogue import CATALOGUE
from layers.model import quality_mix, quality_suffix
from layers.store import open_store


@pytest.mark.parametrize(
    ("mix", "vi", "en"),
    [
        ({"schematic": 17}, " (sơ đồ)", " (schematic)"),
        ({"digitised": 17}, " (số hóa)", " (digitised)"),
        ({"surveyed": 3}, "", ""),
        ({"approximate": 6}, " (gần đúng)", " (approximate)"),
        ({"digitised": 10, "unlocated": 1}, " (số hóa)", " (digitised)"),  # features with no place are not drawn
        ({"digitised": 16, "schematic": 1}, " (một phần sơ đồ)", " (partly schematic)"),
        ({"surveyed": 2, "approximate": 1}, " (một phần gần đúng)", " (partly approximate)"),
        ({"sample": 4}, " (dữ liệu mẫu)", " (sample)"),
        ({"made-up": 1}, " (chưa rõ độ tin cậy)", " (quality unknown)"),
        ({"unlocated": 2}, "", ""),
        ({}, "", ""),
        ({"schematic": 0, "digitised": 5}, " (số hóa)", " (digitised)"),
    ],
)
def test_quality_suffix(mix: dict[str, int], vi: str, en: str) -> None:
    assert quality_suffix(mix, "vi") == vi
    assert quality_suffix(mix, "en") == en


def test_titles_carry_no_fixed_quality_and_follow_the_data() -> None:
    communes = CATALOGUE.get("communes_legacy")
    zones = CATALOGUE.get("material_zones_plan")
    for layer in CATALOGUE:  # the catalogue never claims a quality: only the data can say it
        for title in (layer.title_vi, layer.title_en):
            assert "sơ đồ" not in title and "schematic" not in title.lower(), layer.id
    assert communes.title("vi") == "Xã, thị trấn trước 7/2025"
    assert communes.title("vi", {"schematic": 17}) == "Xã, thị trấn trước 7/2025 (sơ đồ)"
    assert communes.title("en", {"digitised": 17}) == "Communes before July 2025 (digitised)"
    assert zones.title("vi", {"digitised": 10, "unlocated": 1}) == "Vùng nguyên liệu theo kế hoạch (số hóa)"
    assert zones.title("en", {"schematic": 10, "unlocated": 1}) == "Planned raw-material zones (schematic)"


def test_quality_mix_counts_values_and_calls_a_missing_one_unknown() -> None:
    assert quality_mix(["schematic", "schematic", "unlocated", None, ""]) == {
        "schematic": 2,
        "unlocated": 1,
        "unknown": 2,
    }


def test_worst_quality() -> None:
    assert worst_quality(["digitised", "surveyed"]) == "digitised"
    assert worst_quality(["digitised", "schematic", "approximate"]) == "schematic"
    assert worst_quality([]) == "unknown"


def _legacy() -> gpd.GeoDataFrame:
    """Three units in a row, the middle one still on its schematic cell."""
    return gpd.GeoDataFrame(
        {
            "ma_xa": ["00001", "00002", "00003"],
            "ten_xa": ["Một", "Hai", "Ba"],
            "source": ["real.gpkg", "vietnamadminunits", "real.gpkg"],
            "geom_quality": ["digitised", "schematic", "digitised"],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs="EPSG:9208",
    )


def _zones() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["z_district", "z_13", "z_1", "z_none", "z_unknown_code"],
            "scope": ["district", "communes", "communes", "communes", "communes"],
            "commune_codes": [None, "00001; 00003", "00001", None, "00009"],
            "source": ["IV.4", "III.3a", "III.3b", "III.3a", "III.3a"],
            "geom_quality": ["schematic", "schematic", "schematic", "unlocated", "schematic"],
            "location_note": ["old", "old", "old", "no place", "old"],
        },
        geometry=[box(-500, -500, 3500, 1500), box(0, 0, 5, 5), box(0, 0, 5, 5), None, box(0, 0, 5, 5)],
        crs="EPSG:9208",
    )


def test_zones_are_unions_of_their_communes_worth_their_poorest_part() -> None:
    out = rederive_plan_zones(_zones(), _legacy()).set_index("id")
    assert list(out.index) == ["z_district", "z_13", "z_1", "z_none", "z_unknown_code"]
    assert out.geometry["z_district"].equals(shapely.union_all(_legacy().geometry))
    assert out.at["z_district", "geom_quality"] == "schematic"  # one unit is still a schematic cell
    assert out.geometry["z_13"].area == pytest.approx(2_000_000)  # a MultiPolygon: 1 and 3 do not touch
    assert out.at["z_13", "geom_quality"] == "digitised" and out.at["z_1", "geom_quality"] == "digitised"
    assert out.at["z_13", "source"] == "III.3a; ranh giới xã: real.gpkg"
    assert out.at["z_13", "location_note"] == (
        "Kế hoạch chỉ nêu tên các xã; hình là hợp ranh giới của Một, Ba, không phải vùng trồng"
    )
    assert out.at["z_district", "location_note"].startswith("Kế hoạch chỉ nêu tổng diện tích toàn huyện")
    assert out.geometry["z_none"] is None and out.at["z_none", "location_note"] == "no place"
    # a zone naming a unit the layer lacks is left as it was (schematic), not half-built
    assert out.at["z_unknown_code", "geom_quality"] == "schematic" and out.geometry["z_unknown_code"].area == 25
    again = rederive_plan_zones(out.reset_index(), _legacy()).set_index("id")
    assert again.at["z_13", "source"] == out.at["z_13", "source"]  # re-deriving does not pile up sources
    # nor does re-deriving a zone an earlier version derived (its bilingual separator)
    earlier = out.reset_index()
    earlier.loc[earlier["id"] == "z_13", "source"] = "III.3a; ranh giới xã / commune boundaries: real.gpkg"
    assert rederive_plan_zones(earlier, _legacy()).set_index("id").at["z_13", "source"] == out.at["z_13", "source"]


def test_the_built_zones_rebuilt_from_the_schematic_cells_are_what_the_loader_drew(store_copy: Path) -> None:
    """The rule is the loader's: applied to the schematic cells it gives back the authored shapes."""
    store = open_store(store_copy)
    zones = store.read_layer("material_zones_plan")
    out = rederive_plan_zones(zones, store.read_layer("communes_legacy"))
    for before, after in zip(zones.geometry, out.geometry, strict=True):
        if before is None:
            assert after is None
            continue
        assert shapely.symmetric_difference(before, after).area < 1e-6 * before.area
    assert set(out["geom_quality"]) == {"schematic", "unlocated"}

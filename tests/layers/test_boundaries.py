"""Replacing schematic communes with real boundaries (the real 2020 commune polygons)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.crs import area_ha
from geo.errors import InputDataError
from layers.authored import load_all
from layers.boundaries import match_boundaries, unit_key
from layers.settings import DATA_DIR
from layers.successors import rebuild_2025


@pytest.fixture(scope="module")
def authored() -> dict[str, gpd.GeoDataFrame]:
    return load_all(DATA_DIR)


@pytest.fixture(scope="module")
def real(shared_data: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(shared_data / "bao_yen_communes_2020.geojson")


def test_unit_key_strips_type_and_diacritics() -> None:
    assert unit_key("Thị trấn Phố Ràng") == "pho rang"
    assert unit_key("XÃ ĐIỆN QUAN") == "dien quan"
    assert unit_key("Bảo Hà") == "bao ha"


def test_match_by_code(authored: dict[str, gpd.GeoDataFrame], real: gpd.GeoDataFrame) -> None:
    result = match_boundaries(authored["communes_legacy"], real, source="real.geojson")
    assert len(result.matched) == 17 and set(result.matched.values()) == {"code"}
    assert result.unmatched_units == [] and result.unmatched_features == []
    out = result.frame
    assert (out["geom_quality"] == "digitised").all()
    # same areas as the file, measured in EPSG:9208
    by_code = real.set_index(real["ma_xa"].astype(str))
    for _, row in out.iterrows():
        expected = float(area_ha(gpd.GeoSeries([by_code.loc[row["ma_xa"]].geometry], crs=real.crs)).iloc[0])
        assert float(area_ha(gpd.GeoSeries([row.geometry], crs=out.crs)).iloc[0]) == pytest.approx(expected, rel=1e-9)


def test_match_by_name_when_codes_are_missing(authored: dict[str, gpd.GeoDataFrame], real: gpd.GeoDataFrame) -> None:
    names_only = real.drop(columns=["ma_xa"]).assign(TEN=real["ten_xa"].str.upper())
    names_only = names_only.drop(columns=[c for c in names_only.columns if c in ("ten_xa", "ten_ascii")])
    result = match_boundaries(authored["communes_legacy"], names_only.to_crs(9208), source="names.shp")
    assert len(result.matched) == 17 and set(result.matched.values()) == {"name"}
    assert result.name_field == "TEN"


def test_unmatched_both_ways(authored: dict[str, gpd.GeoDataFrame], real: gpd.GeoDataFrame) -> None:
    partial = real[real["ma_xa"].astype(str) != "02989"]
    stray = gpd.GeoDataFrame(
        {"ma_xa": ["09999"], "ten_xa": ["Xã Không Có"]},
        geometry=[shapely.box(104.1, 22.1, 104.11, 22.11)],
        crs=real.crs,
    )
    result = match_boundaries(authored["communes_legacy"], pd.concat([partial, stray]), source="x")
    assert [u.split()[0] for u in result.unmatched_units] == ["02989"]
    assert len(result.unmatched_features) == 1 and "09999" in result.unmatched_features[0]
    kept = result.frame.set_index("ma_xa").loc["02989"]
    assert kept["geom_quality"] == "schematic"  # keeps its schematic cell, marked so


def test_no_matching_field_is_a_clear_error(authored: dict[str, gpd.GeoDataFrame]) -> None:
    other = gpd.GeoDataFrame({"x": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:9208")
    with pytest.raises(InputDataError, match="official commune codes"):
        match_boundaries(authored["communes_legacy"], other, source="other.shp")


def test_2025_units_are_unions_of_their_legacy_units(
    authored: dict[str, gpd.GeoDataFrame], real: gpd.GeoDataFrame
) -> None:
    legacy = match_boundaries(authored["communes_legacy"], real, source="real").frame
    new = rebuild_2025(legacy, authored["communes_2025"])
    assert len(new) == 6
    for _, row in new.iterrows():
        parts = legacy[legacy["successor_code"] == row["ma_xa"]]
        assert len(parts) >= 2
        union = shapely.union_all(parts.geometry.values)
        assert row.geometry.symmetric_difference(union).area < 1e-6 * union.area
    # the real units overlap a little (~0.1 %), so the six unions together slightly exceed the district
    assert float(area_ha(new).sum()) >= float(area_ha(legacy.dissolve()).iloc[0])
    assert set(new["geom_quality"]) == {"approximate"}  # never better: outside land is missing

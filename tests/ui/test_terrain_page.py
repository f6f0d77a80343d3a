"""The terrain page: it says where a DEM comes from when there is none, and shows a stored one's map, zonal
statistics, candidate sites and the Decree 32 gate, in Vietnamese and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.raster import write_geotiff
from layers.store import open_store
from services.terrain import import_dem
from tests.conftest import signed
from tests.terrain_data import jacksboro
from tests.ui.helpers import run_page, store_at


@pytest.fixture()
def store_path(store_copy: Path):  # type: ignore[no-untyped-def]
    with store_at(store_copy) as path:
        yield path


def test_without_a_dem_the_page_says_where_one_comes_from(store_path: Path) -> None:
    at = run_page("terrain_page")
    assert not at.exception, at.exception
    texts = " ".join(i.value for i in at.info)
    assert "Copernicus" in texts and "không tự tạo" in texts
    assert any("Chưa đủ số liệu" in str(m.value) for m in at.metric)  # Decree 32: no data, never 0 %


def test_a_stored_dem_is_mapped_and_summarised(store_path: Path, tmp_path: Path) -> None:
    store = open_store(store_path)
    import_dem(store, write_geotiff(jacksboro(), tmp_path / "j.tif"), actor=signed(store, "t"), base_version=0)
    for lang in ("vi", "en"):
        at = run_page("terrain_page", lang)
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        assert any("EPSG:9208" in c.value for c in at.caption)
    at = run_page("terrain_page")
    table = at.dataframe[0].value  # zonal statistics of the 17 legacy communes (schematic cells over the DEM)
    assert len(table) == 17 and "Độ dốc trung bình (%)" in table.columns
    next(b for b in at.button if b.label == "Tìm địa điểm").click().run()
    assert not at.exception, at.exception
    assert any("địa điểm ứng viên" in m.value for m in at.markdown)

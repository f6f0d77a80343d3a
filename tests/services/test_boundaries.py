"""Real boundaries: both commune layers in one transaction, for the page and the command alike."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from layers.store import VersionConflictError, open_store
from services.boundaries import boundary_versions, import_boundaries, import_boundary_frame
from tests.conftest import signed


def real_like(store_path: Path) -> gpd.GeoDataFrame:
    """The schematic cells shrunk a little, under the file's own field names."""
    units = open_store(store_path).read_layer("communes_legacy")
    frame = units[["ma_xa", "ten_xa", "geometry"]].rename(columns={"ma_xa": "MaXa", "ten_xa": "TenXa"})
    frame["geometry"] = frame.geometry.buffer(-50)
    return frame


def test_both_layers_are_rebuilt_together(store_copy: Path) -> None:
    store = open_store(store_copy)
    before = boundary_versions(store)
    done = import_boundary_frame(
        store, real_like(store_copy), source="test.gpkg", actor=signed(store, "ha"), base_versions=before
    )
    assert len(done.match.matched) == 17 and done.by_code == 17
    after = boundary_versions(store)
    assert after == {k: v + 1 for k, v in before.items()} == done.versions
    units_2025 = store.read_layer("communes_2025")
    assert units_2025["ten_xa"].notna().all() and (units_2025["ten_xa"].astype(str).str.strip() != "").all()
    assert set(store.read_layer("communes_legacy")["geom_quality"]) == {"digitised"}
    assert {v.user for v in store.history("communes_2025")[-1:]} == {"ha"}


def test_a_stale_base_leaves_both_layers_as_they_were(store_copy: Path) -> None:
    store = open_store(store_copy)
    stale = {k: v - 1 for k, v in boundary_versions(store).items()}
    with pytest.raises(VersionConflictError):
        import_boundary_frame(store, real_like(store_copy), source="x", actor=signed(store, "ha"), base_versions=stale)
    assert set(store.read_layer("communes_legacy")["geom_quality"]) == {"schematic"}


def test_from_a_file(store_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "xa.geojson"
    real_like(store_copy).to_crs(4326).to_file(path, driver="GeoJSON")
    store = open_store(store_copy)
    done = import_boundaries(store, path, actor=signed(store, "ha"), base_versions=boundary_versions(store))
    assert len(done.match.matched) == 17 and done.source == "xa.geojson (import-boundaries)"

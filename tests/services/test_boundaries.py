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
    legacy = store.read_layer("communes_legacy")
    assert set(legacy["geom_quality"]) == {"digitised"}
    # the popup says where the boundary came from and what it is worth, in Vietnamese (the data's one language)
    assert (legacy["location_note"] == "Ranh giới lấy từ test.gpkg, chất lượng: số hóa từ bản đồ").all()
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
    assert len(done.match.matched) == 17 and done.source == "xa.geojson (nhập ranh giới xã)"


def _zone_shapes(store_path: Path) -> gpd.GeoDataFrame:
    return open_store(store_path).read_layer("material_zones_plan").set_index("id")


def test_the_real_file_re_derives_the_outline_and_the_plan_zones(store_copy: Path, shared_data: Path) -> None:
    """The real 2020 boundaries: the district totals become the real district, the zones their real communes."""
    import shapely

    from layers.build import sync_store
    from layers.catalogue import CATALOGUE
    from layers.settings import DATA_DIR

    store = open_store(store_copy)
    before = _zone_shapes(store_copy)
    titles = {i.layer_id: CATALOGUE.get(i.layer_id).title("vi", i.quality_mix) for i in store.layer_info()}
    assert titles["communes_legacy"] == "Xã, thị trấn trước 7/2025 (sơ đồ)"
    assert titles["material_zones_plan"] == "Vùng nguyên liệu theo kế hoạch (sơ đồ)"
    bases = boundary_versions(store)
    assert set(bases) == {"communes_legacy", "communes_2025", "material_zones_plan"}

    done = import_boundaries(
        store, shared_data / "bao_yen_communes_2020.geojson", actor=signed(store), base_versions=bases
    )

    assert done.versions == {k: v + 1 for k, v in bases.items()} == boundary_versions(store)
    after = _zone_shapes(store_copy)
    assert list(after.index) == list(before.index)  # ids and order kept
    assert (after.drop(columns="geometry").columns == before.drop(columns="geometry").columns).all()
    real = gpd.read_file(shared_data / "bao_yen_communes_2020.geojson").to_crs(9208)
    outline = gpd.read_file(shared_data / "bao_yen_district_outline.geojson").to_crs(9208).geometry.iloc[0]
    for fid in ("mz_district_que", "mz_district_hong_khong_hat"):
        shape = after.geometry[fid]
        iou = shapely.intersection(shape, outline).area / shapely.union(shape, outline).area
        assert iou > 0.999  # the real district, not the rounded schematic extent
        assert before.geometry[fid].area / outline.area > 1.5  # which was 1,296 km² against 827.8
        assert "bao_yen_communes_2020.geojson" in after.at[fid, "source"]
        assert after.at[fid, "source"].startswith(before.at[fid, "source"])  # the plan's sections stay first
    cinnamon = shapely.union_all(real[real["ma_xa"].isin(["02965", "02953", "02956", "02962", "02998"])].geometry)
    que_sa = after.geometry["mz_que_sa"]
    assert shapely.symmetric_difference(que_sa, cinnamon).area < 1e-6 * cinnamon.area
    assert (
        "Tân Dương" in after.at["mz_que_sa", "location_note"]
        and "không phải vùng trồng" in after.at["mz_que_sa", "location_note"]
    )
    assert after.at["mz_che", "geom_quality"] == "unlocated" and after.geometry["mz_che"] is None
    assert set(after["geom_quality"]) == {"digitised", "unlocated"}
    # the popup of a real commune no longer calls it a Voronoi cell
    legacy = store.read_layer("communes_legacy")
    assert not legacy["location_note"].str.contains("Voronoi|sơ đồ").any()
    assert legacy["location_note"].str.contains("bao_yen_communes_2020.geojson", regex=False).all()
    assert legacy["location_note"].str.endswith("chất lượng: số hóa từ bản đồ").all()

    titles = {i.layer_id: CATALOGUE.get(i.layer_id).title("vi", i.quality_mix) for i in store.layer_info()}
    assert titles["communes_legacy"] == "Xã, thị trấn trước 7/2025 (số hóa)"
    assert titles["material_zones_plan"] == "Vùng nguyên liệu theo kế hoạch (số hóa)"
    assert titles["communes_2025"] == "Xã mới từ 7/2025 (gần đúng)"  # unions of parts, Bảo Hà without Văn Bàn's
    english = {i.layer_id: CATALOGUE.get(i.layer_id).title("en", i.quality_mix) for i in store.layer_info()}
    assert english["communes_legacy"] == "Communes before July 2025 (digitised)"

    # rebuilding the store from data/ keeps what the import derived: no schematic shape comes back
    report = sync_store(store, DATA_DIR, user="system")
    assert {"communes_legacy", "communes_2025", "material_zones_plan"} <= set(report.kept_imported)
    assert set(store.read_layer("material_zones_plan")["geom_quality"]) == {"digitised", "unlocated"}


def test_a_plan_zones_layer_saved_since_refuses_the_whole_import(store_copy: Path) -> None:
    store = open_store(store_copy)
    bases = boundary_versions(store)
    zones = store.read_layer("material_zones_plan")
    store.write_layer("material_zones_plan", zones, user="someone", message="edited meanwhile")
    with pytest.raises(VersionConflictError):
        import_boundary_frame(store, real_like(store_copy), source="x", actor=signed(store), base_versions=bases)
    assert boundary_versions(store) == {**bases, "material_zones_plan": bases["material_zones_plan"] + 1}
    assert set(store.read_layer("communes_legacy")["geom_quality"]) == {"schematic"}

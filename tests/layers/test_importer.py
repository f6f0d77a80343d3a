"""Import into the store: mapping, type conversion, preview, one transaction, nothing changed on failure."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from geo.errors import InputDataError, PlanError
from layers.catalogue import CATALOGUE
from layers.importer import commit_import, import_file, prepare_import, safe_column_name, suggest_layer_mapping
from layers.store import GeoPackageStore, create_store
from tests.geo.test_io_corpus import CASES, E0, LAT0, LON0, N0, sample_frame, shapefile_zip, square


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return create_store(tmp_path / "store.gpkg")


def _lots_file(tmp: Path, **extra: list[object]) -> Path:
    frame = gpd.GeoDataFrame(
        {
            "Mã lô": ["L1", "L2", "L3"],
            "Tên": ["Lô A1", "Lô A2", "Lô B1"],
            "cluster_id": ["ccn_pho_rang"] * 3,
            "Tình trạng": ["đã cho thuê", "Vacant", "ĐANG XÂY DỰNG"],
            **extra,
        },
        geometry=[square(E0 + 2000 * i, side_m=100) for i in range(3)],
        crs=9208,
    )
    p = tmp / "lots.gpkg"
    frame.to_file(p)
    return p


def _snapshot(store: GeoPackageStore) -> tuple[object, ...]:
    return (
        tuple(store.layer_ids()),
        tuple((lid, tuple(v.version for v in store.history(lid))) for lid in store.layer_ids()),
        store.path.read_bytes() if store.path.stat().st_size < 50_000_000 else None,
    )


def test_suggested_mapping_uses_labels() -> None:
    layer = CATALOGUE.get("cluster_lots")
    m = suggest_layer_mapping(["Mã lô", "Tên", "cluster_id", "Tình trạng", "other"], layer)
    assert m["name"] == "Tên"
    assert m["cluster_id"] == "cluster_id"
    assert m["status"] == "Tình trạng"


def test_preview_converts_and_commit_stores_in_9208(store: GeoPackageStore, tmp_path: Path) -> None:
    mapping = {"id": "Mã lô", "name": "Tên", "cluster_id": "cluster_id", "status": "Tình trạng"}
    preview = prepare_import(_lots_file(tmp_path), "cluster_lots", mapping=mapping)
    assert preview.ok, preview.errors
    assert list(preview.frame["status"]) == ["allocated", "vacant", "building"]
    # the file says nothing of how its geometry was made: "unknown" until the planner says
    assert list(preview.frame["geom_quality"]) == ["unknown"] * 3
    assert preview.frame.crs.to_epsg() == 9208
    version = commit_import(store, preview, user="planner")
    assert version == 1
    stored = store.read_layer("cluster_lots")
    assert list(stored["id"]) == ["L1", "L2", "L3"]
    assert store.history("cluster_lots")[0].origin == "imported"


def test_rows_that_do_not_convert_are_listed_and_block(store: GeoPackageStore, tmp_path: Path) -> None:
    p = _lots_file(tmp_path, leased_on=["2024-01-05", "không rõ", "05/06/2025"])
    preview = prepare_import(
        p,
        "cluster_lots",
        mapping={"id": "Mã lô", "cluster_id": "cluster_id", "status": "Tình trạng", "leased_on": "leased_on"},
    )
    assert not preview.ok
    assert any("row 2: leased_on = 'không rõ' is not a date" in e for e in preview.errors)
    before = _snapshot(store)
    with pytest.raises(InputDataError, match="cannot be imported into cluster_lots"):
        commit_import(store, preview, user="planner")
    assert _snapshot(store) == before


def test_wrong_geometry_type_is_refused(tmp_path: Path) -> None:
    pts = gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(E0, N0)], crs=9208)
    p = tmp_path / "pts.geojson"
    pts.to_file(p)
    preview = prepare_import(p, "cluster_lots", mapping={"cluster_id": "name", "status": "name"})
    assert any("holds Polygon geometries but the file has Point" in e for e in preview.errors)


def test_duplicate_ids_block(tmp_path: Path) -> None:
    frame = sample_frame(3)
    frame["id"] = [1, 1, 2]
    p = tmp_path / "dup.gpkg"
    frame.to_file(p)
    preview = prepare_import(p, "my_layer")
    assert any("occur more than once" in e for e in preview.errors)


@pytest.mark.parametrize("bad", ["Lots", "1lots", "lots-2", "../x", "lots;drop", "", "a__v2"])
def test_layer_id_must_be_plain(bad: str, tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="not a valid layer id"):
        prepare_import(shapefile_zip(tmp_path), bad)


def test_free_layer_keeps_fields_under_storable_names(store: GeoPackageStore, tmp_path: Path) -> None:
    frame = sample_frame(2)
    frame["Diện tích (ha)"] = [1.5, 2.0]
    p = tmp_path / "f.gpkg"
    frame.to_file(p)
    version, preview = import_file(store, p, "khu_dat", user="u")
    assert version == 1
    assert safe_column_name("Diện tích (ha)") == "dien_tich_ha"
    assert list(store.read_layer("khu_dat")["dien_tich_ha"]) == [1.5, 2.0]
    assert any("Diện tích (ha) → dien_tich_ha" in w for w in preview.warnings)


def test_replacing_keeps_the_previous_version_and_restore_brings_it_back(
    store: GeoPackageStore, tmp_path: Path
) -> None:
    a = tmp_path / "a"
    a.mkdir()
    b = tmp_path / "b"
    b.mkdir()
    import_file(store, shapefile_zip(a, sample_frame(3)), "lots_test", user="u")
    first = store.read_layer("lots_test")
    import_file(store, shapefile_zip(b, sample_frame(2)), "lots_test", user="u")
    assert len(store.read_layer("lots_test")) == 2
    assert [v.version for v in store.history("lots_test")] == [1, 2]
    store.restore("lots_test", 1, user="u")
    assert_geodataframe_equal(store.read_layer("lots_test"), first)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_inputs_leave_the_store_unchanged(case, store: GeoPackageStore, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_file(store, shapefile_zip(tmp_path / "ok"), "lots_test", user="u")
    before = _snapshot(store)
    path = case.build(tmp_path)
    with pytest.raises(case.error, match=case.match):
        import_file(store, path, "lots_test", user="u", limits=case.limits, crs=case.crs)
    assert _snapshot(store) == before


def test_a_failure_inside_the_write_leaves_the_store_as_it_was(
    store: GeoPackageStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(store, shapefile_zip(tmp_path / "ok"), "lots_test", user="u")
    before = _snapshot(store)
    preview = prepare_import(shapefile_zip(tmp_path / "new", sample_frame(2)), "lots_test")
    assert preview.ok

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    # fail after the previous version has been renamed, inside the transaction
    monkeypatch.setattr(GeoPackageStore, "_create_feature_table", boom)
    with pytest.raises(OSError, match="disk full"):
        commit_import(store, preview, user="u")
    monkeypatch.undo()
    assert _snapshot(store) == before
    assert len(store.read_layer("lots_test")) == 3


def test_csv_points_into_a_catalogue_point_layer(store: GeoPackageStore, tmp_path: Path) -> None:
    p = tmp_path / "ttcn.csv"
    p.write_text(
        "Tên cơ sở,Kinh độ,Vĩ độ,Ngành,Lao động\n"
        f"Xưởng mộc Phố Ràng,{LON0},{LAT0},wood,12\n"
        f"Lò rèn Bảo Hà,{LON0 - 0.1},{LAT0 - 0.07},metal,3\n",
        encoding="utf-8",
    )
    layer = CATALOGUE.get("ttcn_facilities")
    fields = {f.name: f for f in layer.fields}
    mapping = {"name": "Tên cơ sở"}
    if "sector" in fields:
        mapping["sector"] = "Ngành"
    if "employees" in fields:
        mapping["employees"] = "Lao động"
    preview = prepare_import(p, "ttcn_facilities", mapping=mapping)
    assert preview.ok, preview.errors
    version = commit_import(store, preview, user="u")
    stored = store.read_layer("ttcn_facilities", crs="EPSG:4326")
    assert version == 1
    assert stored.geometry.iloc[0].x == pytest.approx(LON0, abs=1e-7)
    assert list(stored["name"]) == ["Xưởng mộc Phố Ràng", "Lò rèn Bảo Hà"]
    if "employees" in fields:
        assert list(stored["employees"]) == [12, 3]


def test_preview_to_dict_is_plain(tmp_path: Path) -> None:
    d = prepare_import(shapefile_zip(tmp_path), "lots_test").to_dict()
    assert d["ok"] is True and d["layer_id"] == "lots_test" and d["features"] == 3
    assert isinstance(d["warnings"], list)


def test_errors_are_plan_errors(tmp_path: Path) -> None:
    with pytest.raises(PlanError):
        prepare_import(tmp_path / "nope.zip", "lots_test")


def _boundaries_file(tmp: Path, leasable: list[object]) -> Path:
    frame = gpd.GeoDataFrame(
        {"cluster_id": [f"ccn_{i}" for i in range(len(leasable))], "Diện tích cho thuê": leasable},
        geometry=[square(E0 + 2000 * i, side_m=100) for i in range(len(leasable))],
        crs=9208,
    )
    p = tmp / "boundaries.geojson"
    frame.to_file(p)
    return p


def test_vietnamese_numbers_follow_the_columns_own_decimal_mark(tmp_path: Path) -> None:
    p = _boundaries_file(tmp_path, ["2.150", "1.234,5", "12,75"])
    mapping = {"cluster_id": "cluster_id", "leasable_ha": "Diện tích cho thuê"}
    preview = prepare_import(p, "cluster_boundaries", mapping=mapping)
    assert preview.ok, preview.errors
    assert list(preview.frame["leasable_ha"]) == [2150.0, 1234.5, 12.75]
    assert not any("leasable_ha" in w for w in preview.warnings)


def test_a_column_that_does_not_show_its_decimal_mark_warns(tmp_path: Path) -> None:
    p = _boundaries_file(tmp_path, ["2.150", "3.400", "15"])
    mapping = {"cluster_id": "cluster_id", "leasable_ha": "Diện tích cho thuê"}
    preview = prepare_import(p, "cluster_boundaries", mapping=mapping)
    assert preview.ok, preview.errors
    assert list(preview.frame["leasable_ha"]) == [2150.0, 3400.0, 15.0]  # read as Vietnamese writes them
    (warning,) = [w for w in preview.warnings if "leasable_ha" in w]
    assert "row 1 '2.150' as 2150" in warning and "row 2 '3.400' as 3400" in warning
    assert "'.' between thousands" in warning
    english = prepare_import(p, "cluster_boundaries", mapping=mapping, lang="en")
    assert list(english.frame["leasable_ha"]) == [2.15, 3.4, 15.0]
    assert any("row 1 '2.150' as 2.15" in w for w in english.warnings)


def test_a_value_against_its_columns_decimal_mark_blocks(tmp_path: Path) -> None:
    p = _boundaries_file(tmp_path, ["1.234,5", "2,5", "7.5"])
    mapping = {"cluster_id": "cluster_id", "leasable_ha": "Diện tích cho thuê"}
    preview = prepare_import(p, "cluster_boundaries", mapping=mapping)
    assert not preview.ok
    assert any(e.startswith("row 3: leasable_ha = '7.5' is not a number written like") for e in preview.errors)


def test_csv_text_numbers_are_read_by_column(tmp_path: Path) -> None:
    p = tmp_path / "ttcn.csv"
    p.write_text(
        "Tên cơ sở,Kinh độ,Vĩ độ,Lao động\n"
        f'Xưởng mộc Phố Ràng,{LON0},{LAT0},"1.200"\n'
        f'Lò rèn Bảo Hà,{LON0 - 0.1},{LAT0 - 0.07},"2.150"\n',
        encoding="utf-8",
    )
    preview = prepare_import(p, "ttcn_facilities", mapping={"name": "Tên cơ sở", "employees": "Lao động"})
    assert preview.ok, preview.errors
    assert list(preview.frame["employees"]) == [1200, 2150]
    assert any("employees: row 1 '1.200' as 1200, row 2 '2.150' as 2150" in w for w in preview.warnings)


# --- issue 14 ---------------------------------------------------------------------------------------------------


def test_a_file_that_says_nothing_of_its_quality_is_unknown(tmp_path: Path) -> None:
    z = shapefile_zip(tmp_path)
    assert set(prepare_import(z, "lots_test").frame["geom_quality"]) == {"unknown"}
    said = prepare_import(z, "lots_test", geom_quality="surveyed")
    assert set(said.frame["geom_quality"]) == {"surveyed"}
    with pytest.raises(InputDataError, match="not a geometry quality"):
        prepare_import(z, "lots_test", geom_quality="guessed")


def test_unknown_is_a_quality_a_file_may_say(tmp_path: Path) -> None:
    frame = sample_frame()
    frame["geom_quality"] = ["unknown", "surveyed", "digitised"]
    p = tmp_path / "q.gpkg"
    frame.to_file(p)
    preview = prepare_import(p, "cluster_lots", mapping={"id": "id", "name": "name", "geom_quality": "geom_quality"})
    assert list(preview.frame["geom_quality"]) == ["unknown", "surveyed", "digitised"]


def test_features_the_working_crs_cannot_place_block_the_import(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import layers.importer as importer

    def to_nowhere(frame: gpd.GeoDataFrame, what: str = "") -> gpd.GeoDataFrame:
        out = frame.to_crs(9208)
        out.geometry.values[1] = shapely.Point(float("inf"), float("inf"))
        return out

    monkeypatch.setattr(importer, "to_work", to_nowhere)
    preview = prepare_import(shapefile_zip(tmp_path), "lots_test")
    assert not preview.ok
    assert "feature(s) 2 cannot be placed in EPSG:9208" in preview.errors[0]


def test_unreadable_geometries_block_the_import_and_store_nothing(store: GeoPackageStore, tmp_path: Path) -> None:
    from tests.geo.test_io_corpus import store_hashes, unclosed_rings

    before = store_hashes(store.path)
    preview = prepare_import(unclosed_rings(tmp_path), "lots_test")
    assert not preview.ok and "polygon ring is not closed" in preview.errors[0]
    with pytest.raises(InputDataError):
        commit_import(store, preview, user="planner")
    assert store_hashes(store.path) == before

"""Copying a whole store: GeoPackage → PostGIS → GeoPackage keeps every version, table and setting as recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.errors import InputDataError
from layers.store import Store, open_store
from services.context import Actor
from services.migrate import migrate_store
from services.terrain import DEM_META
from tests.conftest import signed
from tests.layers.test_store_backends import every_kind, fresh_schema


def _admin(where: object) -> Actor:
    """The admin of the store at ``where`` signed in (an administrator of the source copies a store)."""
    return signed(open_store(where if isinstance(where, str) else Path(str(where))))


@pytest.fixture
def source(store_copy: Path) -> Path:
    """The built store with some history on top: an import, a restore, recorded actuals, a setting."""
    store = open_store(store_copy)
    lots = store.read_layer("cluster_boundaries")
    store.write_layer("cluster_boundaries", lots.iloc[:1], user="planner", message="nhập ranh giới", origin="imported")
    store.restore("cluster_boundaries", 1, user="lan")
    store.write_layer("survey", every_kind(), user="planner", message="đo đạc")
    actuals = store.read_table("target_actuals")
    row = {c: None for c in actuals.columns if c not in ("user", "recorded_at")}
    row.update({"target_id": "1", "period": "2025", "value": 480.0})
    store.append_rows("target_actuals", pd.DataFrame([row]), user="planner")
    store.set_meta("ghi_chu", "Bảo Yên")
    return store_copy


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_schema() as url:
        yield url


def assert_same_store(a: Store, b: Store) -> None:
    """Every layer's every version (frame and record), every table (rows and write log) and every setting."""
    assert a.layer_ids() == b.layer_ids()
    for layer_id in a.layer_ids():
        records = a.version_records(layer_id)
        assert b.version_records(layer_id) == records, layer_id
        assert b.history(layer_id) == a.history(layer_id)
        for record in records:
            assert_geodataframe_equal(
                b.read_version(layer_id, record.version), a.read_version(layer_id, record.version), check_dtype=True
            )
    assert b.layer_info() == a.layer_info()
    assert a.table_names() == b.table_names()
    for name in a.table_names():
        pd.testing.assert_frame_equal(b.read_table(name), a.read_table(name))
        assert b.table_records(name) == a.table_records(name), name
    assert b.meta_items() == a.meta_items()


def test_geopackage_to_postgis_and_back(source: Path, pg_url: str, tmp_path: Path) -> None:
    original = open_store(source)
    there = migrate_store(source, pg_url, actor=_admin(source))
    assert there.source == str(source) and there.target.startswith("postgresql://") and "baoyen-ci" not in there.target
    assert there.layers["cluster_boundaries"] == 3 and there.versions == sum(
        len(original.version_records(x)) for x in original.layer_ids()
    )
    assert there.tables["target_actuals"] == 1 and "ghi_chu" in there.settings and there.left_out == []
    in_db = open_store(pg_url)
    assert_same_store(original, in_db)
    back = tmp_path / "back" / "baoyen.gpkg"
    report = migrate_store(pg_url, back, actor=_admin(pg_url))
    assert report.target == str(back) and report.to_dict()["versions"] == there.versions
    assert_same_store(original, open_store(back))
    assert not list(back.parent.glob(".*migrating*")), "temporary file left behind"
    # the copy is a store like any other: it takes new versions after the copied ones
    assert open_store(back).write_layer("survey", every_kind(2), user="t", base_version=1) == 2


def test_geopackage_to_geopackage_keeps_the_dem_files(source: Path, tmp_path: Path) -> None:
    store = open_store(source)
    rasters = source.with_name(source.name + ".rasters")
    rasters.mkdir()
    (rasters / "dem_v1.tif").write_bytes(b"not really a tif")
    store.set_meta(DEM_META, json.dumps([{"version": 1, "file": "dem_v1.tif"}]))
    target = tmp_path / "copy" / "baoyen.gpkg"
    report = migrate_store(source, target, actor=_admin(source))
    assert DEM_META in report.settings and report.left_out == []
    assert_same_store(store, open_store(target))
    assert (target.with_name("baoyen.gpkg.rasters") / "dem_v1.tif").read_bytes() == b"not really a tif"


def test_a_dem_is_left_out_of_a_postgis_copy_and_said(source: Path, pg_url: str) -> None:
    open_store(source).set_meta(DEM_META, "[]")
    report = migrate_store(source, pg_url, actor=_admin(source))
    assert report.left_out == [DEM_META] and DEM_META not in open_store(pg_url).meta_items()


def test_a_target_that_holds_anything_is_refused_and_left_alone(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "other.gpkg"
    migrate_store(source, target, actor=_admin(source))
    before = target.read_bytes()
    with pytest.raises(InputDataError) as refused:
        migrate_store(source, target, actor=_admin(source))
    assert refused.value.code == "migrate.target_not_empty"
    assert refused.value.params["target"] == str(target) and refused.value.params["layers"] > 0
    assert target.read_bytes() == before
    with pytest.raises(InputDataError) as same:
        migrate_store(source, source, actor=_admin(source))
    assert same.value.code == "migrate.same_store"


def test_a_non_empty_database_is_refused(source: Path, pg_url: str) -> None:
    migrate_store(source, pg_url, actor=_admin(source))
    with pytest.raises(InputDataError) as refused:
        migrate_store(source, pg_url, actor=_admin(source))
    assert refused.value.code == "migrate.target_not_empty"
    with pytest.raises(InputDataError) as same:
        migrate_store(pg_url, pg_url, actor=_admin(pg_url))
    assert same.value.code == "migrate.same_store"


def test_a_failed_copy_leaves_an_empty_database(source: Path, pg_url: str) -> None:
    store = open_store(source)
    # a text PostgreSQL cannot hold (NUL), in the last table copied: refused inside the one transaction
    last = store.table_names()[-1]
    table = store.read_table(last)
    text = next(c for c, k in store.table_records(last)[-1].columns if k == "str")
    table.loc[0, text] = "a\x00b"
    store.write_table(last, table, user="t")
    with pytest.raises(InputDataError) as refused:
        migrate_store(source, pg_url, actor=_admin(source))
    assert refused.value.code == "store.nul_text"
    assert open_store(pg_url).is_empty()

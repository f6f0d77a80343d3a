"""The store contract on both backends: the GeoPackage file and the shared PostGIS database.

Every contract test runs on each backend (``store`` is parametrized, pyogrio-style). The PostGIS database comes
from ``BAOYEN_TEST_PG_URL`` (``.ci/run`` starts a throwaway cluster and sets it); each test gets a schema of its
own, dropped afterwards. Without the variable the PostGIS tests are skipped with the reason — except in CI
(``CI`` set), where they fail: tests that need PostGIS never skip there.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pyproj import CRS

from geo.errors import InputDataError, LayerNotFoundError, StoreError
from layers.settings import Settings
from layers.store import LayerWrite, Store, VersionConflictError, create_store, open_store

PG_ENV = "BAOYEN_TEST_PG_URL"


def pg_base_url() -> str:
    """The test database's URL; skips (fails in CI) when there is none."""
    url = os.environ.get(PG_ENV)
    if not url:
        reason = f"{PG_ENV} is not set, so there is no PostgreSQL with PostGIS to test the PostGIS store on"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; in CI the PostGIS tests never skip (.ci/run starts the database)")
        pytest.skip(f"{reason} (.ci/run starts one; see README)")
    return url


def with_schema(url: str, schema: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}schema={schema}"


@contextmanager
def fresh_schema() -> Iterator[str]:
    """The URL of a store in a schema no other test uses; the schema is dropped afterwards."""
    import psycopg
    from psycopg import sql

    base = pg_base_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        yield with_schema(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as con:
            con.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@dataclass
class Backend:
    """One backend under test: its kind, where its store is (path or URL), and the store."""

    kind: str
    where: str
    store: Store

    def reopen(self) -> Store:
        """Another store object on the same store (as a second program would have)."""
        return open_store(self.where if self.kind == "postgis" else Path(self.where))

    @contextmanager
    def sibling(self) -> Iterator[Store]:
        """A second, empty store of the same backend."""
        if self.kind == "gpkg":
            yield create_store(Path(self.where).with_name("sibling.gpkg"))
            return
        with fresh_schema() as url:
            yield create_store(url)


@pytest.fixture(params=["gpkg", "postgis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "gpkg":
        path = tmp_path / "store.gpkg"
        yield Backend("gpkg", str(path), create_store(path))
        return
    with fresh_schema() as url:
        store = create_store(url)
        yield Backend("postgis", url, store)
        close = getattr(store, "close", None)
        if close is not None:
            close()


@pytest.fixture
def store(backend: Backend) -> Store:
    return backend.store


X0, Y0 = 470_000.0, 2_460_000.0


def every_kind(n: int = 4) -> gpd.GeoDataFrame:
    """A frame with a column of each kind the store knows, each with a missing value, in the restored dtypes."""
    frame = gpd.GeoDataFrame(
        {
            "id": pd.Series([f"f{i}" for i in range(n)], dtype="str"),
            "name": pd.Series(["Phố Ràng", "Bảo Hà", None, "Nghĩa Đô – Xuân Hòa"][:n], dtype="str"),
            "count": pd.array([1, None, 3, -(2**40)][:n], dtype="Int64"),
            "ha": [1.5, float("nan"), 2.25, 1e-9][:n],
            "ok": pd.array([True, False, None, True][:n], dtype="boolean"),
            "on": pd.Series([dt.date(2024, 1, 2), None, dt.date(2025, 6, 15), dt.date(2030, 12, 31)][:n], dtype=object),
            "codes": pd.Series([["02947", "02950"], None, [], {"xã": "Lương Sơn"}][:n], dtype=object),
            "at": pd.to_datetime(["2025-01-02T03:04:05Z", None, "2025-06-30T23:59:59Z", "2021-01-01T00:00:00Z"][:n]),
            "nothing": pd.Series([None] * n, dtype=object),
        },
        geometry=[
            shapely.box(X0, Y0, X0 + 50.25, Y0 + 50.125),
            None,
            shapely.Point(X0 + 1.5, Y0 + 2.5),
            shapely.MultiLineString([[(X0, Y0), (X0 + 10, Y0 + 10)], [(X0 + 20, Y0), (X0 + 30, Y0 + 5)]]),
        ][:n],
        crs="EPSG:9208",
    )
    return frame


def expected_back(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """What the store gives back for ``every_kind``: a column of only None is text."""
    out = frame.copy()
    out["nothing"] = pd.Series([None] * len(frame), dtype="str")
    return out


def test_round_trip_keeps_every_column_kind(store: Store) -> None:
    frame = every_kind()
    assert store.write_layer("things", frame, user="an", message="đầu tiên") == 1
    back = store.read_layer("things")
    assert back.crs.to_epsg() == 9208
    assert_geodataframe_equal(back, expected_back(frame), check_dtype=True, check_less_precise=False)
    assert back["codes"].iloc[3] == {"xã": "Lương Sơn"} and back["on"].iloc[2] == dt.date(2025, 6, 15)
    assert back["at"].dtype == frame["at"].dtype
    assert store.read_layer("things", crs="EPSG:4326").crs.to_epsg() == 4326


def test_null_empty_and_no_features(store: Store) -> None:
    points = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]}, geometry=[shapely.Point(X0, Y0), None, shapely.Point()], crs=9208
    )
    store.write_layer("pts", points, user="t")
    back = store.read_layer("pts")
    assert back.geometry.iloc[0].equals(points.geometry.iloc[0])
    assert back.geometry.iloc[1] is None and back.geometry.iloc[2].is_empty
    store.write_layer("nothing", points.iloc[0:0], user="t")
    assert len(store.read_layer("nothing")) == 0
    store.write_layer("bare", gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=9208), user="t")
    assert list(store.read_layer("bare").columns) == ["geometry"]


def test_versions_history_and_restore(store: Store) -> None:
    assert store.write_layer("things", every_kind(3), user="an", message="first") == 1
    assert store.write_layer("things", every_kind(1), user="bình", message="second", base_version=1) == 2
    history = store.history("things")
    assert [(v.version, v.user, v.message, v.features, v.current) for v in history] == [
        (1, "an", "first", 3, False),
        (2, "bình", "second", 1, True),
    ]
    assert store.current_version("things") == 2
    store.write_layer("others", every_kind(2), user="an")
    assert store.current_versions() == {"things": 2, "others": 1}
    with pytest.raises(VersionConflictError) as stale:
        store.restore("things", 1, user="chi", base_version=1)
    assert stale.value.code == "store.conflict"
    assert store.restore("things", 1, user="chi", base_version=2) == 3
    assert len(store.read_layer("things")) == 3
    assert store.history("things")[-1].message == "restored version 1"
    assert_geodataframe_equal(store.read_version("things", 1), store.read_layer("things"))
    assert store.latest_origin("things")[0] == "imported"
    with pytest.raises(LayerNotFoundError) as missing:
        store.read_version("things", 9)
    assert missing.value.code == "store.version_missing"
    with pytest.raises(LayerNotFoundError) as no_layer:
        store.read_layer("nope")
    assert no_layer.value.code == "store.layer_missing"
    info = {i.layer_id: i for i in store.layer_info()}
    assert info["things"].version == 3 and info["things"].features == 3


def test_layer_info_counts_geometry_quality(store: Store) -> None:
    frame = every_kind().assign(geom_quality=["surveyed", "schematic", None, "schematic"])
    store.write_layer("lots", frame, user="t", origin="authored")
    store.write_layer("plain", every_kind(2), user="t")
    info = {i.layer_id: i for i in store.layer_info()}
    assert list(info) == ["lots", "plain"]
    assert info["lots"].quality_mix == {"None": 1, "schematic": 2, "surveyed": 1}
    assert list(info["lots"].quality_mix) == ["None", "schematic", "surveyed"]
    assert info["lots"].origin == "authored" and info["plain"].quality_mix == {}
    assert store.layer_ids() == ["lots", "plain"] and store.has_layer("lots") and not store.has_layer("x")


def test_write_layers_is_one_transaction(backend: Backend) -> None:
    store = backend.store
    assert store.write_layers([LayerWrite("a", every_kind(2)), LayerWrite("b", every_kind(3))], user="t") == [1, 1]
    before = {x: (store.history(x), store.read_layer(x)) for x in ("a", "b")}
    # the second write is refused inside the transaction, after the first was written in it
    writes = [LayerWrite("a", every_kind(4), base_version=1), LayerWrite("b", every_kind(1), base_version=7)]
    with pytest.raises(VersionConflictError) as refused:
        store.write_layers(writes, user="t")
    assert refused.value.code == "store.conflict"
    params = refused.value.params
    assert {k: params[k] for k in ("layer", "current", "base", "by")} == {
        "layer": "b",
        "current": 1,
        "base": 7,
        "by": "t",
    }
    again = backend.reopen()
    for x, (history, frame) in before.items():
        assert again.history(x) == history
        assert_geodataframe_equal(again.read_layer(x), frame)
    assert again.write_layers(writes[:1], user="t") == [2]


def test_a_write_based_on_an_old_version_is_refused(backend: Backend) -> None:
    mine, theirs = backend.store, backend.reopen()
    mine.write_layer("lots", every_kind(2), user="an", base_version=0)
    seen = theirs.current_version("lots")
    assert mine.write_layer("lots", every_kind(3), user="an", base_version=seen) == 2
    with pytest.raises(VersionConflictError, match="changed by someone else") as late:
        theirs.write_layer("lots", every_kind(1), user="bình", base_version=seen)
    assert late.value.code == "store.conflict"
    at = late.value.params["at"]
    assert late.value.params == {"layer": "lots", "current": 2, "base": 1, "by": "an", "at": at}  # who, and when
    assert at == mine.history("lots")[-1].written_at
    with pytest.raises(VersionConflictError) as exists:
        theirs.write_layer("lots", every_kind(1), user="bình", base_version=0)
    assert exists.value.params["current"] == 2
    assert [v.user for v in mine.history("lots")] == ["an", "an"] and len(mine.read_layer("lots")) == 3


def test_the_same_frames_are_refused_on_both(store: Store) -> None:
    cases: list[tuple[str, gpd.GeoDataFrame, str]] = [
        ("things", every_kind().rename(columns={"name": "bad name"}), "cannot be stored"),
        ("things", every_kind().assign(NAME="x"), "differ only by case"),
        ("things", every_kind().set_crs(None, allow_override=True), "coordinate reference system"),
        ("things", every_kind().assign(ha=[1.0, np.inf, 2.0, 3.0]), "not finite"),
        ("Things", every_kind(), "not a valid layer id"),
        ("gpkg_contents", every_kind(), "not a valid layer id"),
    ]
    for layer_id, frame, message in cases:
        with pytest.raises(InputDataError, match=message):
            store.write_layer(layer_id, frame, user="t")
    assert store.layer_ids() == [] and store.is_empty()


def test_tables_replace_and_append(store: Store) -> None:
    table = pd.DataFrame(
        {
            "target_id": pd.Series(["1", "8"], dtype="str"),
            "value": [529.0, float("nan")],
            "count": pd.array([3, None], dtype="Int64"),
            "done": pd.array([True, None], dtype="boolean"),
            "due": pd.Series([dt.date(2025, 12, 31), None], dtype=object),
            "note": pd.Series(["Kế hoạch số 12/KH-UBND", None], dtype="str"),
            "user": pd.Series(["x", "y"], dtype="str"),
            "recorded_at": pd.Series(["t0", "t1"], dtype="str"),
        }
    )
    store.write_table("targets", table, user="t", message="from data/")
    back = store.read_table("targets")
    pd.testing.assert_frame_equal(back, table)
    store.append_rows("targets", pd.DataFrame({"target_id": ["9"], "value": [50.5]}), user="an")
    grown = store.read_table("targets")
    assert grown["target_id"].tolist() == ["1", "8", "9"] and grown["user"].tolist() == ["x", "y", "an"]
    assert grown["recorded_at"].iloc[2].endswith("Z") and pd.isna(grown["due"].iloc[2])
    with pytest.raises(InputDataError, match="no column"):
        store.append_rows("targets", pd.DataFrame({"oops": [1]}), user="x")
    records = store.table_records("targets")
    assert [(r.user, r.message, r.rows) for r in records] == [("t", "from data/", 2), ("an", "appended 1 row(s)", 1)]
    assert dict(records[0].columns)["due"] == "date"
    store.write_table("targets", table.iloc[:1], user="t")
    assert len(store.read_table("targets")) == 1 and store.table_names() == ["targets"]
    with pytest.raises(LayerNotFoundError) as missing:
        store.read_table("actuals")
    assert missing.value.code == "store.table_missing"


def test_meta(store: Store) -> None:
    assert store.get_meta("data_hash") is None and store.meta_items() == {}
    store.set_meta("data_hash", "abc")
    store.set_meta("data_hash", "def")
    store.set_meta("ghi_chú", "Bảo Yên")
    assert store.get_meta("data_hash") == "def"
    assert store.meta_items() == {"data_hash": "def", "ghi_chú": "Bảo Yên"}
    assert not store.is_empty()


def test_versions_copied_keep_who_when_and_hash(backend: Backend) -> None:
    source = backend.store
    source.write_layer("things", every_kind(3), user="an", message="one")
    source.write_layer("things", every_kind(2), user="bình", message="two", origin="authored")
    records = source.version_records("things")
    assert [(r.version, r.user, r.origin, r.features) for r in records] == [
        (1, "an", "imported", 3),
        (2, "bình", "authored", 2),
    ]
    assert records[1].content_hash == source.latest_origin("things")[1]
    assert dict(records[0].columns)["nothing"] == "str" and records[0].geometry_type == "GEOMETRY"
    with backend.sibling() as copy:
        for record in records:
            copy.write_version(record, source.read_version("things", record.version))
        assert copy.version_records("things") == records
        assert copy.history("things") == source.history("things")
        for record in records:
            assert_geodataframe_equal(
                copy.read_version("things", record.version), source.read_version("things", record.version)
            )
        with pytest.raises(StoreError) as again:
            copy.write_version(records[0], source.read_version("things", 1))
        assert again.value.code == "store.version_exists"


CHILD = r"""
import sys, geopandas as gpd, shapely
from pathlib import Path
from layers.store import open_store
where = sys.argv[1]
store = open_store(where if where.startswith("postgresql://") else Path(where))
n = 40_000
frame = gpd.GeoDataFrame({"id": [f"f{i}" for i in range(n)], "v": list(range(n))},
                         geometry=[shapely.box(470000 + i, 2460000, 470000 + i + 0.5, 2460000.5) for i in range(n)],
                         crs="EPSG:9208")
print("ready", flush=True)
while True:
    store.write_layer("things", frame, user="child")
"""


@pytest.mark.slow
def test_a_killed_write_leaves_the_previous_state(backend: Backend) -> None:
    backend.store.write_layer("things", every_kind(3), user="t")
    child = subprocess.Popen([sys.executable, "-c", CHILD, backend.where], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(1.5)  # somewhere inside a write, whichever
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    reopened = backend.reopen()
    history = reopened.history("things")
    assert len(reopened.read_layer("things")) == history[-1].features
    for v in history:  # every recorded version is complete
        assert v.features in (3, 40_000)
        assert len(reopened.read_version("things", v.version)) == v.features


# --- PostGIS only ------------------------------------------------------------------------------------------


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_schema() as url:
        yield url


def _pg(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    from layers.postgis import split_store_url

    return psycopg.connect(split_store_url(url)[0], autocommit=True)


def test_coordinates_equal_the_geopackage_ones_to_the_millimetre(pg_url: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(9208)
    lon, lat = 104.3 + rng.random(200) * 0.5, 22.0 + rng.random(200) * 0.4
    frame = gpd.GeoDataFrame(
        {"id": [str(i) for i in range(200)]}, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"
    )
    frame.loc[len(frame)] = ["poly", shapely.Polygon([(104.5, 22.1), (104.51, 22.1), (104.51, 22.11)])]
    gpkg, pg = create_store(tmp_path / "s.gpkg"), create_store(pg_url)
    gpkg.write_layer("pts", frame, user="t")
    pg.write_layer("pts", frame, user="t")
    a = shapely.get_coordinates(gpkg.read_layer("pts").geometry.values)
    b = shapely.get_coordinates(pg.read_layer("pts").geometry.values)
    assert a.shape == b.shape and np.abs(a - b).max() < 1e-3
    assert a[:, 0].min() > 400_000 and a[:, 1].max() < 2_500_000  # metres of EPSG:9208, not degrees
    back = pg.read_layer("pts", crs="EPSG:4326")
    assert back.geom_equals_exact(frame.geometry, tolerance=1e-7).all()  # the datum shift does not invert exactly
    assert gpkg.latest_origin("pts")[1] == pg.latest_origin("pts")[1]  # the same content hash


def test_the_epsg_9208_row_is_added_from_pyproj(pg_url: str) -> None:
    import psycopg

    with _pg(pg_url) as con:
        try:
            con.execute("DELETE FROM spatial_ref_sys WHERE srid = 9208")
        except psycopg.errors.InsufficientPrivilege:
            if os.environ.get("CI"):
                raise
            pytest.skip("this database user may not delete from spatial_ref_sys (.ci/run grants it)")
        assert con.execute("SELECT count(*) FROM spatial_ref_sys WHERE srid = 9208").fetchone() == (0,)
    store = create_store(pg_url)
    store.write_layer("pts", gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=9208), user="t")
    with _pg(pg_url) as con:
        row = con.execute(
            "SELECT auth_name, auth_srid, srtext, proj4text FROM spatial_ref_sys WHERE srid = 9208"
        ).fetchone()
        assert row is not None and row[:2] == ("EPSG", 9208)
        assert CRS.from_wkt(row[2]).equals(CRS.from_epsg(9208)) and "+lon_0=104.75" in row[3]
        schema = pg_url.rpartition("=")[2]
        columns = con.execute(
            "SELECT f_table_name, srid, type FROM geometry_columns WHERE f_table_schema = %s ORDER BY 1", (schema,)
        ).fetchall()
    assert ("pts__v1", 9208, "GEOMETRY") in columns and ("pts", 9208, "GEOMETRY") in columns  # the table, the view


def test_every_version_is_a_table_and_the_layer_a_view(pg_url: str) -> None:
    store = create_store(pg_url)
    store.write_layer("lots", every_kind(3), user="t")
    store.write_layer("lots", every_kind(1), user="t")
    long_id = "l" * 63
    store.write_layer(long_id, every_kind(2), user="t")
    store.write_layer(long_id, every_kind(1), user="t")
    schema = pg_url.rpartition("=")[2]
    with _pg(pg_url) as con:
        tables = {
            r[0]: r[1]
            for r in con.execute(
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = %s", (schema,)
            )
        }
        assert con.execute(f'SELECT count(*) FROM "{schema}".lots').fetchone() == (1,)
    assert tables["lots__v1"] == tables["lots__v2"] == "BASE TABLE" and tables["lots"] == "VIEW"
    assert len(store.read_version(long_id, 1)) == 2 and len(store.read_layer(long_id)) == 1
    assert sum(1 for t in tables if t.startswith("l" * 40) and t.endswith(("__v1", "__v2"))) == 2


def test_a_write_in_progress_is_invisible_and_does_not_block_readers(pg_url: str) -> None:
    writer, reader = create_store(pg_url), open_store(pg_url)
    writer.write_layer("lots", every_kind(3), user="t")
    with writer.batch():
        writer.write_layer("lots", every_kind(1), user="t")
        writer.set_meta("k", "v")
        assert writer.current_version("lots") == 2  # the batch sees its own writes
        assert reader.current_version("lots") == 1 and len(reader.read_layer("lots")) == 3
        assert reader.get_meta("k") is None
    assert reader.current_version("lots") == 2 and reader.get_meta("k") == "v"
    with pytest.raises(VersionConflictError), writer.batch():
        writer.write_layer("lots", every_kind(2), user="t")
        writer.write_layer("lots", every_kind(2), user="t", base_version=1)
    assert reader.current_version("lots") == 2  # the whole batch was rolled back


def test_a_writer_waits_for_the_other_then_sees_its_version(pg_url: str) -> None:
    import threading

    first, second = create_store(pg_url), open_store(pg_url)
    first.write_layer("lots", every_kind(3), user="t")
    results: list[object] = []
    with first.batch():
        first.write_layer("lots", every_kind(2), user="an", base_version=1)
        worker = threading.Thread(
            target=lambda: results.append(_attempt(second, base_version=1)),
        )
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive()  # queued on the write lock, as on a GeoPackage
    worker.join(10)
    assert len(results) == 1 and isinstance(results[0], VersionConflictError)
    assert second.current_version("lots") == 2


def _attempt(store: Store, *, base_version: int) -> object:
    try:
        return store.write_layer("lots", every_kind(1), user="bình", base_version=base_version)
    except VersionConflictError as exc:
        return exc


def test_missing_store_unreachable_server_and_foreign_schema(pg_url: str) -> None:
    with pytest.raises(StoreError) as missing:
        open_store(pg_url)
    assert missing.value.code == "store.missing" and "schema=" in str(missing.value.params["path"])
    base = pg_base_url()
    with _pg(pg_url) as con:
        schema = pg_url.rpartition("=")[2]
        con.execute(f'CREATE SCHEMA "{schema}"')
        con.execute(f'CREATE TABLE "{schema}".parcels (id integer)')
    for call in (open_store, create_store):
        with pytest.raises(StoreError) as foreign:
            call(pg_url)
        assert foreign.value.code == "store.pg_schema_in_use"
    with pytest.raises(InputDataError) as bad:
        open_store(with_schema(base, "public"))
    assert bad.value.code == "store.pg_bad_schema"


def test_an_unreachable_server_is_named_without_the_password() -> None:
    # no database needed: nothing listens on port 1
    with pytest.raises(StoreError) as unreachable:
        open_store("postgresql://planner:s3cret@127.0.0.1:1/baoyen?connect_timeout=2")
    assert unreachable.value.code == "store.pg_connect"
    assert "s3cret" not in str(unreachable.value) and "s3cret" not in str(unreachable.value.params)
    assert unreachable.value.params["path"] == "postgresql://planner@127.0.0.1:1/baoyen?connect_timeout=2"
    with pytest.raises(StoreError) as bad:
        open_store("postgres://planner@127.0.0.1:1/baoyen?no_such_option=1")
    assert bad.value.code == "store.pg_bad_url"


def test_settings_keep_a_url_and_a_path_apart(tmp_path: Path) -> None:
    url = "postgresql://planner@db.office:5432/baoyen?schema=lao_cai"
    settings = Settings.from_env(store=url)
    assert settings.store_url == url and str(settings.store_path) == url
    assert Settings.from_env(store=str(settings.store_path)) == settings  # what the pages cache by
    as_file = Settings.from_env(store=str(tmp_path / "s.gpkg"))
    assert as_file.store_url is None and as_file.store_path == tmp_path / "s.gpkg"
    assert Settings(store_path=str(tmp_path / "s.gpkg")).store_path == tmp_path / "s.gpkg"
    assert Settings.from_env(store="POSTGRES://x@h/d").store_url == "POSTGRES://x@h/d"


def test_build_and_sync_inside_the_database(pg_url: str) -> None:
    from layers.build import DATA_HASH_KEY, ensure_store, init_store
    from layers.catalogue import CATALOGUE
    from layers.settings import DATA_DIR

    settings = Settings(store_path=pg_url, data_dir=DATA_DIR, user="tester")
    with pytest.raises(StoreError) as missing:
        ensure_store(settings, create=False)
    assert missing.value.code == "store.missing"
    first = init_store(settings)
    assert first.created and sorted(first.written) == sorted(layer.id for layer in CATALOGUE)
    assert "secret" not in first.store and first.store.startswith("postgresql://")
    again = init_store(settings)
    assert not again.created and again.written == [] and again.tables_written == []
    store = ensure_store(settings, create=False)
    assert {i.layer_id: i.version for i in store.layer_info()} == {layer.id: 1 for layer in CATALOGUE}
    assert store.get_meta(DATA_HASH_KEY) and {"targets", "funding_lines"} <= set(store.table_names())

"""The GeoPackage store: round-trips, versions, transactions that leave nothing half-written."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from geo.errors import InputDataError, LayerNotFoundError, StoreError
from layers.store import GeoPackageStore, LayerWrite, check_layer_id, create_store, open_store


def sample(n: int = 3, crs: str = "EPSG:9208") -> gpd.GeoDataFrame:
    x0, y0 = 470_000.0, 2_460_000.0
    pad = max(0, n - 3)
    return gpd.GeoDataFrame(
        {
            "id": [f"f{i}" for i in range(n)],
            "name": (["Phố Ràng", "Bảo Hà", "Nghĩa Đô"] + ["x"] * pad)[:n],
            "count": pd.array(([1, None, 3] + [4] * pad)[:n], dtype="Int64"),
            "ha": ([1.5, float("nan"), 2.25] + [0.0] * pad)[:n],
            "on": ([dt.date(2024, 1, 2), None, dt.date(2025, 6, 15)] + [None] * pad)[:n],
            "codes": ([["02947", "02950"], None, []] + [None] * pad)[:n],
            "ok": pd.array(([True, False, None] + [True] * pad)[:n], dtype="boolean"),
        },
        geometry=[shapely.box(x0 + i * 100, y0, x0 + i * 100 + 50, y0 + 50) for i in range(n)],
        crs=crs,
    )


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return create_store(tmp_path / "store.gpkg")


def snapshot(path: Path) -> list[tuple]:
    """Everything in the store, table by table, for before/after comparisons."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return [(t, con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables]
    finally:
        con.close()


def test_round_trip_keeps_values_and_types(store: GeoPackageStore) -> None:
    frame = sample()
    store.write_layer("things", frame, user="test")
    back = store.read_layer("things")
    assert back.crs.to_epsg() == 9208
    expected = frame.copy()
    expected["ok"] = expected["ok"].astype("boolean")
    assert_geodataframe_equal(back, expected, check_dtype=False, check_like=False)
    assert back["count"].dtype == "Int64"
    assert back["codes"].iloc[0] == ["02947", "02950"]
    assert back["on"].iloc[2] == dt.date(2025, 6, 15)


def test_reprojects_to_store_crs_and_back(store: GeoPackageStore) -> None:
    frame = sample().to_crs(4326)
    store.write_layer("things", frame, user="test")
    assert store.read_layer("things").crs.to_epsg() == 9208
    back = store.read_layer("things", crs="EPSG:4326")
    assert back.geom_equals_exact(frame.geometry, tolerance=1e-7).all()


def test_is_a_real_geopackage_gdal_reads(store: GeoPackageStore) -> None:
    store.write_layer("things", sample(), user="test")
    store.write_layer("things", sample(2), user="test")
    layers = dict(pyogrio.list_layers(store.path).tolist())
    assert layers["things"] == "Polygon" and "things__v1" in layers
    read = pyogrio.read_dataframe(store.path, layer="things")
    assert len(read) == 2 and read.crs.to_epsg() == 9208
    assert read.geometry.iloc[0].equals(sample(2).geometry.iloc[0])
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_versions_history_and_restore(store: GeoPackageStore) -> None:
    assert store.write_layer("things", sample(3), user="an", message="first") == 1
    assert store.write_layer("things", sample(1), user="binh", message="second") == 2
    history = store.history("things")
    assert [(v.version, v.user, v.features, v.current) for v in history] == [(1, "an", 3, False), (2, "binh", 1, True)]
    assert store.restore("things", 1, user="chi") == 3
    assert len(store.read_layer("things")) == 3
    assert store.history("things")[-1].message == "restored version 1"


def test_null_and_empty_geometries(store: GeoPackageStore) -> None:
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c"]}, geometry=[shapely.Point(470_000, 2_460_000), None, shapely.Point()], crs="EPSG:9208"
    )
    store.write_layer("pts", frame, user="t")
    back = store.read_layer("pts")
    assert back.geometry.iloc[1] is None
    assert back.geometry.iloc[2].is_empty
    empty = frame.iloc[0:0]
    store.write_layer("nothing", empty, user="t")
    assert len(store.read_layer("nothing")) == 0


@pytest.mark.parametrize("bad", ["Lots", "1lots", "lots-2024", "lots;drop table x", "", "a" * 80, "x__v2"])
def test_layer_ids_must_be_plain_identifiers(bad: str, store: GeoPackageStore) -> None:
    with pytest.raises(InputDataError, match="not a valid layer id"):
        check_layer_id(bad)
    with pytest.raises(InputDataError):
        store.write_layer(bad, sample(), user="t")


def test_unknown_layer_and_missing_store(store: GeoPackageStore, tmp_path: Path) -> None:
    with pytest.raises(LayerNotFoundError, match="no layer 'nope'") as missing_layer:
        store.read_layer("nope")
    assert missing_layer.value.code == "store.layer_missing"
    with pytest.raises(StoreError, match="no store at") as missing_store:
        open_store(tmp_path / "absent.gpkg")
    assert missing_store.value.code == "store.missing"
    not_gpkg = tmp_path / "notes.gpkg"
    not_gpkg.write_text("hello")
    with pytest.raises(StoreError, match="not a GeoPackage store"):
        open_store(not_gpkg)


class FailingStore(GeoPackageStore):
    """The real store whose SQLite connections abort after some work: a failure mid-transaction."""

    fail_after = 2000

    def _connect(self) -> sqlite3.Connection:
        con = super()._connect()
        con.set_progress_handler(lambda: 1, self.fail_after)
        return con


def test_failed_write_leaves_store_unchanged(store: GeoPackageStore) -> None:
    store.write_layer("things", sample(3), user="t", message="kept")
    store.write_table("targets", pd.DataFrame({"id": ["1"], "value": [529.0]}), user="t")
    before = snapshot(store.path)
    failing = FailingStore(store.path)
    with pytest.raises(StoreError, match="nothing was changed"):
        failing.write_layer("things", sample(500), user="t", message="lost")
    with pytest.raises(StoreError, match="nothing was changed"):
        failing.write_table("targets", pd.DataFrame({"id": [str(i) for i in range(500)]}), user="t")
    assert snapshot(store.path) == before
    assert len(open_store(store.path).read_layer("things")) == 3


def test_invalid_frames_are_refused_before_writing(store: GeoPackageStore) -> None:
    before = snapshot(store.path)
    with pytest.raises(InputDataError, match="cannot be stored"):
        store.write_layer("things", sample().rename(columns={"name": "bad name"}), user="t")
    with pytest.raises(InputDataError, match="differ only by case"):
        store.write_layer("things", sample().assign(NAME="x"), user="t")
    no_crs = sample().set_crs(None, allow_override=True)
    with pytest.raises(InputDataError, match="coordinate reference system"):
        store.write_layer("things", no_crs, user="t")
    assert snapshot(store.path) == before


def test_tables_replace_and_append_only(store: GeoPackageStore) -> None:
    store.write_table(
        "actuals",
        pd.DataFrame(
            {
                "target_id": pd.Series([], dtype="str"),
                "value": pd.Series([], dtype="float64"),
                "user": pd.Series([], dtype="str"),
                "recorded_at": pd.Series([], dtype="str"),
            }
        ),
        user="t",
    )
    store.append_rows("actuals", pd.DataFrame({"target_id": ["1"], "value": [100.0]}), user="an")
    store.append_rows("actuals", pd.DataFrame({"target_id": ["8"], "value": [50.5]}), user="binh")
    table = store.read_table("actuals")
    assert table["target_id"].tolist() == ["1", "8"]
    assert table["user"].tolist() == ["an", "binh"]
    assert table["recorded_at"].notna().all()
    with pytest.raises(InputDataError, match="no column"):
        store.append_rows("actuals", pd.DataFrame({"oops": [1]}), user="x")
    assert "actuals" in store.table_names()


CHILD = r"""
import sys, geopandas as gpd, shapely
from layers.store import open_store
store = open_store(sys.argv[1])
n = 40_000
frame = gpd.GeoDataFrame({"id": [f"f{i}" for i in range(n)], "v": list(range(n))},
                         geometry=[shapely.box(470000 + i, 2460000, 470000 + i + 0.5, 2460000.5) for i in range(n)],
                         crs="EPSG:9208")
print("ready", flush=True)
while True:
    store.write_layer("things", frame, user="child")
"""


@pytest.mark.slow
def test_kill_during_writes_leaves_a_consistent_store(store: GeoPackageStore, tmp_path: Path) -> None:
    store.write_layer("things", sample(3), user="t")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store.path)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(1.5)  # somewhere inside a write, whichever
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    reopened = open_store(store.path)
    history = reopened.history("things")
    current = reopened.read_layer("things")
    assert len(current) == history[-1].features
    for v in history:  # every recorded version is complete
        assert v.features in (3, 40_000)
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_dtypes_survive_including_empty_text_and_datetime_units(store: GeoPackageStore) -> None:
    frame = gpd.GeoDataFrame(
        {
            "note": pd.Series([None, None], dtype="str"),
            "leased_on": pd.Series(pd.to_datetime(["2024-05-01", None]), dtype="datetime64[ms]"),
            "name": pd.Series(["a", "b"], dtype="str"),
        },
        geometry=[shapely.Point(470_000, 2_460_000)] * 2,
        crs="EPSG:9208",
    )
    store.write_layer("typed", frame, user="t")
    back = store.read_layer("typed")
    assert back["note"].dtype == frame["note"].dtype
    assert back["leased_on"].dtype == frame["leased_on"].dtype
    assert back["leased_on"].iloc[0] == pd.Timestamp("2024-05-01")
    assert pd.isna(back["leased_on"].iloc[1])


def test_text_is_stored_in_nfc(store: GeoPackageStore) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Phố Ràng")
    frame = gpd.GeoDataFrame(
        {"name": [decomposed], "tags": [[decomposed]]}, geometry=[shapely.Point(470_000, 2_460_000)], crs="EPSG:9208"
    )
    store.write_layer("pts", frame, user="t")
    back = store.read_layer("pts")
    assert back["name"].iloc[0] == "Phố Ràng" and back["tags"].iloc[0] == ["Phố Ràng"]
    store.write_table("notes", pd.DataFrame({"note": [decomposed]}), user="t")
    assert store.read_table("notes")["note"].iloc[0] == "Phố Ràng"


# --- nothing unreadable and nothing non-finite is ever written (issue 14) ----------------------------------


def test_non_finite_coordinates_are_refused_before_writing(store: GeoPackageStore) -> None:
    store.write_layer("things", sample(), user="test")
    before = snapshot(store.path)
    nan = sample()
    nan.geometry.values[1] = shapely.Point(float("nan"), 2_460_000.0)
    with pytest.raises(InputDataError, match=r"feature\(s\) 2 are not finite") as info:
        store.write_layer("things", nan, user="test")
    assert info.value.code == "store.not_finite" and info.value.params["layer"] == "things"
    infinite = sample()
    infinite["ha"] = [1.0, float("inf"), 2.0]
    with pytest.raises(InputDataError, match="field ha of feature") as info:
        store.write_layer("things", infinite, user="test")
    assert info.value.code == "store.not_finite"
    assert snapshot(store.path) == before


def test_a_point_the_store_crs_cannot_place_is_refused(store: GeoPackageStore) -> None:
    # latitude and longitude swapped in degrees: "latitude 104" becomes infinite in EPSG:9208
    swapped = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(22.2446, 104.478)], crs="EPSG:4326")
    with pytest.raises(InputDataError, match="not finite") as info:
        store.write_layer("swapped", swapped, user="test")
    assert info.value.code == "store.not_finite"
    assert not store.has_layer("swapped")


def test_every_write_is_read_back_inside_its_transaction(
    store: GeoPackageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write whose stored geometries would not decode is rolled back: every table as it was."""
    import layers.store as store_module

    store.write_layer("things", sample(), user="test")
    before = snapshot(store.path)
    real = store_module._to_gpb

    def damaged(geoms, srs_id, *, wkb=None):  # type: ignore[no-untyped-def]
        blobs = real(geoms, srs_id, wkb=wkb)
        return [None if b is None else b[:-9] for b in blobs]  # the last coordinate cut off

    monkeypatch.setattr(store_module, "_to_gpb", damaged)
    with pytest.raises(StoreError, match="reading it back") as info:
        store.write_layers(
            [LayerWrite("things", sample(4)), LayerWrite("others", sample(2))],
            user="test",
        )
    assert info.value.code == "store.readback_failed" and info.value.params["layer"] == "things"
    assert snapshot(store.path) == before
    assert store.current_version("things") == 1 and not store.has_layer("others")


def test_the_read_back_checks_count_and_extent(store: GeoPackageStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import layers.store as store_module

    real = store_module._to_gpb

    def far_away(geoms, srs_id, *, wkb=None):  # type: ignore[no-untyped-def]
        return real(shapely.transform(geoms, lambda c: c * 1e7), srs_id)  # still finite, off the globe (new WKB)

    monkeypatch.setattr(store_module, "_to_gpb", far_away)
    with pytest.raises(StoreError, match="feature 1 is not the one written") as info:
        store.write_layer("things", sample(), user="test")
    assert info.value.code == "store.readback_failed"
    assert not store.has_layer("things")
    monkeypatch.undo()
    # finite coordinates that no place on Earth has: written as given, refused by the extent the table records
    off = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(3e13, 2e13)], crs="EPSG:9208")
    with pytest.raises(StoreError, match="not on the globe"):
        store.write_layer("things", off, user="test")
    assert not store.has_layer("things")


def test_the_read_back_of_a_copied_version_decodes_every_geometry(
    store: GeoPackageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version copied from another store (no checked WKB at hand) is read back by decoding what was stored."""
    import layers.store as store_module

    source = create_store(store.path.with_name("source.gpkg"))
    source.write_layer("things", sample(), user="test")
    (record,) = source.version_records("things")
    real = store_module._to_gpb

    def damaged(geoms, srs_id, *, wkb=None):  # type: ignore[no-untyped-def]
        return [None if b is None else b[:-9] for b in real(geoms, srs_id, wkb=wkb)]

    monkeypatch.setattr(store_module, "_to_gpb", damaged)
    with pytest.raises(StoreError, match="reading it back"):
        store.write_version(record, source.read_version("things", 1))
    assert not store.has_layer("things")


# --- issue 14: layer ids, and store errors that say what is wrong (the disk, the permission, the lock) ----------


@pytest.mark.parametrize(
    "bad",
    ["big\n", "big\r\n", "gpkg_contents", "gpkg_x", "gpkgext_relations", "rtree_lots_geom", "sqlite_sequence",
     "layer_styles", "baoyen_versions", "baoyen_x", "ogr_empty_table", "qgis_projects", "lots__v1"],
)  # fmt: skip
def test_layer_ids_the_gpkg_or_the_store_use_are_refused(bad: str, store: GeoPackageStore) -> None:
    with pytest.raises(InputDataError, match="not a valid layer id") as info:
        store.write_layer(bad, sample(), user="test")
    assert info.value.code in ("store.bad_layer_id", "store.reserved_layer_id")
    assert "\n" not in str(info.value)  # the id is shown as repr: a message stays on one line
    assert not store.layer_ids()
    store.write_layer("big", sample(), user="test")
    with pytest.raises(InputDataError):
        store.write_layer("big\n", sample(), user="test")  # not a second "big"
    assert store.layer_ids() == ["big"] and store.current_version("big") == 1


@pytest.mark.parametrize("bad", ["name\n", "a\r\n", "x\n\n"])
def test_field_names_with_a_trailing_newline_are_refused(bad: str, store: GeoPackageStore) -> None:
    with pytest.raises(InputDataError, match="cannot be stored"):
        store.write_layer("things", sample().rename(columns={"name": bad}), user="test")
    with pytest.raises(InputDataError, match="column named"):
        store.write_table("targets", pd.DataFrame({bad: ["1"]}), user="test")


def _full_disk(monkeypatch: pytest.MonkeyPatch, pages: int = 0) -> None:
    """Every connection of the store may not grow the file: SQLite's SQLITE_FULL, as on a full disk."""
    real = GeoPackageStore._connect

    def limited(self: GeoPackageStore) -> sqlite3.Connection:
        con = real(self)
        n = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count = {n + pages}")
        return con

    monkeypatch.setattr(GeoPackageStore, "_connect", limited)


def test_a_full_disk_is_named_and_nothing_is_written(store: GeoPackageStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.write_layer("things", sample(3), user="t")
    before = snapshot(store.path)
    _full_disk(monkeypatch)
    with pytest.raises(StoreError) as info:
        store.write_layer("things", sample(2000), user="t")
    exc = info.value
    assert exc.code == "store.disk_full" and "disk" in str(exc) and "is full" in str(exc)
    assert "rollback" not in str(exc) and "remove the file" not in str(exc) and "not a GeoPackage" not in str(exc)
    from services.messages import describe

    assert "ổ đĩa" in describe(exc) and "đã đầy" in describe(exc)
    assert store.layer_ids() == ["things"]  # the store is still read, on the full disk
    monkeypatch.undo()
    assert snapshot(store.path) == before


def test_a_failed_rollback_does_not_hide_the_error(store: GeoPackageStore) -> None:
    # SQLite ends the transaction itself on some errors (a full disk): the ROLLBACK after it fails with
    # "cannot rollback - no transaction is active", which used to replace the real error
    with pytest.raises(InputDataError, match="the real problem"), store._tx() as con:
        con.execute("ROLLBACK")
        raise InputDataError("the real problem")
    with pytest.raises(StoreError) as info, store._tx() as con:
        con.execute("ROLLBACK")
        con.execute("SELECT * FROM no_such_table")
    assert "no such table" in str(info.value) and "cannot rollback" not in str(info.value)
    assert info.value.code == "store.write_failed"


def test_a_read_only_store_is_read_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "store.gpkg"
    create_store(path).write_layer("things", sample(), user="t")
    before = snapshot(path)
    ro = GeoPackageStore(path, read_only=True)  # what a store without write permission opens as (root ignores chmod)
    assert ro.read_only and ro.layer_ids() == ["things"] and len(ro.read_layer("things")) == 3
    assert [v.version for v in ro.history("things")] == [1]
    for write in (
        lambda: ro.write_layer("things", sample(2), user="t"),
        lambda: ro.write_table("targets", pd.DataFrame({"id": ["1"]}), user="t"),
        lambda: ro.set_meta("k", "v"),
        lambda: ro.restore("things", 1, user="t"),
    ):
        with pytest.raises(StoreError) as info:
            write()
        assert info.value.code == "store.read_only" and "read-only" in str(info.value)
        assert "remove" not in str(info.value) and "not a GeoPackage" not in str(info.value)
    assert snapshot(path) == before


def test_a_store_that_cannot_be_written_opens_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "store.gpkg"
    create_store(path).write_layer("things", sample(), user="t")
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)  # as for a file or folder without write
    store = open_store(path)
    assert store.read_only and store.layer_ids() == ["things"]
    with pytest.raises(StoreError) as info:
        store.write_layer("things", sample(), user="t")
    assert info.value.code == "store.read_only"


def test_a_read_only_database_file_is_named_so(tmp_path: Path) -> None:
    # the file's connection is read-only (mode=ro, what a read-only file gives): a write says read-only
    path = tmp_path / "store.gpkg"
    store = create_store(path)
    real = store._connect
    store._connect = lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)  # type: ignore[method-assign]
    with pytest.raises(StoreError) as info:
        store.write_layer("things", sample(), user="t")
    assert info.value.code == "store.read_only" and "nothing was changed" in str(info.value)
    store._connect = real  # type: ignore[method-assign]


def test_a_write_that_waits_past_the_lock_says_to_try_again(
    store: GeoPackageStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import layers.store as store_module

    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.2)
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another program is writing
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            store.write_layer("things", sample(), user="t")
        assert time.monotonic() - started < 10
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert info.value.code == "store.locked" and "try again" in str(info.value)
    store.write_layer("things", sample(), user="t")  # and once the other write is done, it goes through


def test_only_a_file_that_is_not_sqlite_is_called_not_a_geopackage(tmp_path: Path) -> None:
    text = tmp_path / "notes.gpkg"
    text.write_text("not a geopackage")
    with pytest.raises(StoreError) as info:
        open_store(text)
    assert info.value.code == "store.not_gpkg" and "remove the file" in str(info.value)

    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE mine (x)")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as info:
        open_store(other)
    assert info.value.code == "store.other_database" and "remove" not in str(info.value)

    damaged = tmp_path / "damaged.gpkg"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(StoreError) as info:
        open_store(damaged)
    assert info.value.code == "store.damaged" and "remove" not in str(info.value)
    assert "backup" in str(info.value)


def test_a_version_sqlite_cannot_hold_is_no_version(store: GeoPackageStore) -> None:
    store.write_layer("things", sample(), user="t")
    for version in (99999999999999999999, 2**63, 0, -1):
        with pytest.raises(LayerNotFoundError) as info:
            store.restore("things", version, user="t")
        assert info.value.code == "store.version_missing"
    assert store.current_version("things") == 1


def test_a_read_is_one_snapshot(tmp_path: Path) -> None:
    # what a read sees does not change under it when another connection writes a new version meanwhile
    store = create_store(tmp_path / "snap.gpkg")
    frame = gpd.GeoDataFrame({"id": ["a"]}, geometry=[shapely.Point(473_000, 2_460_000)], crs="EPSG:9208")
    store.write_layer("snap", frame, user="t")
    with store._read() as con:
        first = con.execute("SELECT current_version FROM baoyen_layers WHERE layer_id = 'snap'").fetchone()[0]
        other = open_store(tmp_path / "snap.gpkg")
        other.write_layer("snap", pd.concat([frame, frame], ignore_index=True), user="u")
        again = con.execute("SELECT current_version FROM baoyen_layers WHERE layer_id = 'snap'").fetchone()[0]
        rows = con.execute('SELECT count(*) FROM "snap"').fetchone()[0]
    assert (first, again, rows) == (1, 1, 1)
    assert store.current_version("snap") == 2 and len(store.read_layer("snap")) == 2


# --- issue 15: values converted once, whole columns at a time ---------------------------------------------------


def _hash_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b", None],
            "n": pd.array([1, None, 3], dtype="Int64"),
            "x": [0.5, float("nan"), 2.0],
            "ok": pd.array([True, None, False], dtype="boolean"),
            "name": ["Phố Ràng", "Xuân Hoà", ""],
            "day": [dt.date(2024, 1, 2), None, dt.date(2025, 12, 31)],
        },
        geometry=[shapely.Point(472000, 2460000), None, shapely.box(472000, 2460000, 472020, 2460020)],
        crs="EPSG:9208",
    )


def test_the_content_hash_is_the_one_earlier_stores_recorded() -> None:
    """The bytes hashed did not change with the vectorised conversion, so recorded hashes still match.

    The expected value is what the store's value-by-value hash (before issue 15) gave for this frame.
    """
    from layers.store import content_hash

    assert content_hash(_hash_frame()) == "4e6709d118e7e02d520d7b4627608a67f066d914ef7cc428a53d5a4c9ae1f8a1"


@pytest.mark.parametrize(
    "series",
    [
        pd.Series([1, -2, 3]),
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([2**63 + 1, 0], dtype="uint64"),
        pd.Series([1, 2], dtype="int32"),
        pd.Series([0.1, float("nan"), -0.0, 1e300]),
        pd.Series([0.1, 0.2], dtype="float32"),
        pd.Series([True, False]),
        pd.Series([True, None, False], dtype="boolean"),
        pd.Series(["a", None, "Ho\u0300a", "", "Phố"], dtype="str"),
        pd.Series(["e\u0301", None], dtype="string"),
    ],
)
def test_whole_column_values_are_the_value_by_value_ones(series: pd.Series) -> None:
    from layers.store import _kind, _object_sql_values, _to_sql_values

    kind = _kind(series)
    fast, slow = _to_sql_values(series, kind), _object_sql_values(series, kind.partition(":")[0])
    assert [type(v) for v in fast] == [type(v) for v in slow]
    assert [repr(v) for v in fast] == [repr(v) for v in slow]


def test_a_write_converts_each_column_once(store: GeoPackageStore, monkeypatch: pytest.MonkeyPatch) -> None:
    import layers.store as store_module

    calls: list[str] = []
    real = store_module._to_sql_values

    def counting(series, kind):  # type: ignore[no-untyped-def]
        calls.append(str(series.name))
        return real(series, kind)

    monkeypatch.setattr(store_module, "_to_sql_values", counting)
    store.write_layer("things", _hash_frame(), user="test")
    assert sorted(calls) == sorted(c for c in _hash_frame().columns if c != "geometry")
    assert store.latest_origin("things")[1] == "4e6709d118e7e02d520d7b4627608a67f066d914ef7cc428a53d5a4c9ae1f8a1"

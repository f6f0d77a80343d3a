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
from layers.store import GeoPackageStore, check_layer_id, create_store, open_store


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

"""The audit trail on both backends: one entry per change, in the change's transaction, append-only, copied."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from geo.errors import InputDataError
from layers.store import AuditEntry, LayerWrite, Store, VersionConflictError, open_store
from services.migrate import migrate_store
from tests.conftest import signed
from tests.layers import test_store_backends as contract
from tests.layers.test_store_backends import CHILD, Backend, every_kind, fresh_schema

# the store contract's fixtures: every test here runs on the GeoPackage and on PostGIS
backend = contract.backend
store = contract.store


def _raw(backend: Backend, statement: str) -> None:
    """Run SQL on the store's database behind its back, as someone with a database client would."""
    if backend.kind == "gpkg":
        con = sqlite3.connect(backend.where, isolation_level=None)
        try:
            con.execute(statement)
        finally:
            con.close()
        return
    import psycopg

    from layers.postgis import split_store_url

    conninfo, schema, _ = split_store_url(backend.where)
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute(f"SET search_path TO {schema}")
        con.execute(statement)


def _table(n: int = 1) -> pd.DataFrame:
    return pd.DataFrame({"target_id": [str(i) for i in range(n)], "value": [float(i) for i in range(n)]})


def test_every_kind_of_change_appends_exactly_one_entry(store: Store) -> None:
    assert store.audit() == []
    store.write_layer("things", every_kind(3), user="an", message="nhập lần đầu")
    store.write_layer("things", every_kind(2), user="bình", message="sửa", base_version=1)
    store.restore("things", 1, user="chi", base_version=2)
    store.write_layers([LayerWrite("a", every_kind(1)), LayerWrite("b", every_kind(2), message="hai")], user="dũng")
    store.write_table("actuals", _table(2).assign(user="", recorded_at=""), user="an", message="dựng")
    store.append_rows("actuals", _table(3), user="bình")
    store.set_meta("ghi_chu", "Bảo Yên", user="chi")
    store.set_meta("data_hash", "abc")
    entries = store.audit()
    assert all(isinstance(e, AuditEntry) for e in entries)
    assert [(e.action, e.layer, e.user, e.version_before, e.version_after) for e in entries] == [
        ("write_layer", "things", "an", 0, 1),
        ("write_layer", "things", "bình", 1, 2),
        ("restore", "things", "chi", 2, 3),
        ("write_layer", "a", "dũng", 0, 1),
        ("write_layer", "b", "dũng", 0, 1),
        ("write_table", "actuals", "an", None, None),
        ("append_rows", "actuals", "bình", None, None),
        ("set_meta", "ghi_chu", "chi", None, None),
        ("set_meta", "data_hash", "system", None, None),
    ]
    assert [e.summary for e in entries[:5]] == [
        "nhập lần đầu (3 feature(s))",
        "sửa (2 feature(s))",
        "restored version 1 (3 feature(s))",
        "1 feature(s)",
        "hai (2 feature(s))",
    ]
    assert entries[5].summary == "dựng (2 row(s))" and entries[6].summary == "appended 3 row(s)"
    # every version of a layer has its entry
    assert [e.version_after for e in store.audit(layer="things")] == [v.version for v in store.history("things")]
    today = dt.datetime.now(dt.UTC).date()
    for e in entries:
        at = dt.datetime.fromisoformat(e.at)
        assert at.tzinfo is not None and at.utcoffset() == dt.timedelta(0) and at.date() == today
    assert entries[0].to_dict() == {
        "at": entries[0].at,
        "user": "an",
        "action": "write_layer",
        "layer": "things",
        "version_before": 0,
        "version_after": 1,
        "summary": "nhập lần đầu (3 feature(s))",
    }


def test_the_trail_of_one_layer_and_from_a_day(store: Store) -> None:
    store.write_layer("things", every_kind(1), user="an")
    store.write_layer("other", every_kind(1), user="an")
    today = dt.datetime.now(dt.UTC).date()
    assert [e.layer for e in store.audit(layer="other")] == ["other"]
    assert len(store.audit(since=today.isoformat())) == 2
    assert store.audit(since=(today + dt.timedelta(days=1)).isoformat()) == []
    assert store.audit(layer="nope") == []


def test_a_refused_write_appends_no_entry(store: Store) -> None:
    store.write_layer("things", every_kind(3), user="an")
    store.write_table("actuals", _table(1).assign(user="", recorded_at=""), user="an")
    before = store.audit()
    with pytest.raises(VersionConflictError):
        store.write_layer("things", every_kind(1), user="bình", base_version=0)
    with pytest.raises(VersionConflictError):
        store.restore("things", 1, user="bình", base_version=7)
    with pytest.raises(VersionConflictError):  # two layers, one stale: neither is written nor audited
        store.write_layers(
            [LayerWrite("fresh", every_kind(1)), LayerWrite("things", every_kind(1), base_version=5)], user="bình"
        )
    with pytest.raises(InputDataError):
        store.append_rows("actuals", _table(1).assign(nope=1), user="bình")
    with pytest.raises(InputDataError):
        store.write_layer("things", every_kind(1).rename(columns={"id": "fid"}), user="bình")
    assert store.audit() == before
    assert not store.has_layer("fresh")


def test_an_error_inside_the_write_leaves_neither_the_change_nor_the_entry(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = backend.store
    s.write_layer("things", every_kind(3), user="an")
    s.write_table("actuals", _table(1).assign(user="", recorded_at=""), user="an")
    before = s.audit()
    real = type(s)._log

    def log_then_fail(self, con, entries):  # type: ignore[no-untyped-def]
        real(self, con, entries)  # the entry is written ...
        raise RuntimeError("the power went off")  # ... and then the transaction fails

    monkeypatch.setattr(type(s), "_log", log_then_fail)
    with pytest.raises(RuntimeError):
        s.write_layer("things", every_kind(1), user="bình", base_version=1)
    with pytest.raises(RuntimeError):
        s.restore("things", 1, user="bình")
    with pytest.raises(RuntimeError):
        s.append_rows("actuals", _table(2), user="bình")
    with pytest.raises(RuntimeError):
        s.write_table("actuals", _table(5).assign(user="", recorded_at=""), user="bình")
    with pytest.raises(RuntimeError):
        s.set_meta("ghi_chu", "x", user="bình")
    monkeypatch.undo()
    again = backend.reopen()
    assert again.audit() == before
    assert [v.version for v in again.history("things")] == [1] and len(again.read_layer("things")) == 3
    assert len(again.read_table("actuals")) == 1 and again.get_meta("ghi_chu") is None


@pytest.mark.slow
def test_a_killed_write_leaves_one_entry_per_version(backend: Backend) -> None:
    backend.store.write_layer("things", every_kind(3), user="t")
    child = subprocess.Popen([sys.executable, "-c", CHILD, backend.where], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    time.sleep(1.5)  # somewhere inside a write, whichever
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    reopened = backend.reopen()
    entries = reopened.audit(layer="things")
    assert [e.version_after for e in entries] == [v.version for v in reopened.history("things")]
    assert [e.user for e in entries[1:]] == ["child"] * (len(entries) - 1)


def test_the_trail_cannot_be_changed_or_removed(backend: Backend) -> None:
    backend.store.write_layer("things", every_kind(1), user="an")
    before = backend.store.audit()
    if backend.kind == "gpkg":
        refused: tuple[type[BaseException], ...] = (sqlite3.DatabaseError,)
    else:
        import psycopg

        refused = (psycopg.errors.RaiseException,)
    for statement in ("UPDATE baoyen_audit SET \"user\" = 'someone'", "DELETE FROM baoyen_audit"):
        with pytest.raises(refused, match="append-only"):
            _raw(backend, statement)
    if backend.kind == "postgis":
        with pytest.raises(refused, match="append-only"):
            _raw(backend, "TRUNCATE baoyen_audit")
    assert backend.reopen().audit() == before
    # and the store has no way to change or remove an entry: reading and appending only
    assert {n for n in dir(Store) if "audit" in n} == {"audit", "append_audit"}


def test_no_password_is_recorded(store: Store) -> None:
    store.write_layer("things", every_kind(1), user="an", message="import postgresql://an:bí_mật@db:5432/gis")
    store.set_meta("source", "postgresql://an:secret@db/gis", user="an")
    entries = store.audit()
    assert entries[0].summary.startswith("import postgresql://an@db:5432/gis")
    assert not any("bí_mật" in str(e.to_dict()) or "secret" in str(e.to_dict()) for e in entries)


def test_a_store_made_before_the_trail_gets_it_with_its_next_write(backend: Backend) -> None:
    backend.store.write_layer("things", every_kind(1), user="an")
    if backend.kind == "gpkg":
        _raw(backend, "DROP TABLE baoyen_audit")
    else:
        _raw(backend, "DROP TABLE baoyen_audit; DROP FUNCTION baoyen_audit_append_only()")
    old = backend.reopen()
    assert old.audit() == []
    old.write_layer("things", every_kind(2), user="bình", base_version=1)
    assert [(e.user, e.version_before, e.version_after) for e in old.audit()] == [("bình", 1, 2)]


def test_the_copy_of_a_store_keeps_its_trail(tmp_path: Path) -> None:
    source = tmp_path / "source.gpkg"
    from layers.store import create_store

    s = create_store(source)
    s.write_layer("things", every_kind(3), user="an", message="một")
    s.restore("things", 1, user="bình")
    s.write_table("actuals", _table(1).assign(user="", recorded_at=""), user="an")
    s.append_rows("actuals", _table(2), user="chi")
    s.set_meta("ghi_chu", "Bảo Yên", user="chi")
    lan = signed(s, "lan", role="admin")  # the accounts' own entries are part of the trail copied
    original = s.audit()
    back = tmp_path / "back.gpkg"
    with fresh_schema() as url:
        migrate_store(source, url, actor=lan)
        there = open_store(url).audit()
        assert there[:-1] == original
        assert there[-1].action == "migrate" and there[-1].user == "lan" and there[-1].layer is None
        assert "1 layer(s)" in there[-1].summary and str(source) in there[-1].summary
        migrate_store(url, back, actor=signed(open_store(url), "lan"))
    trail = open_store(back).audit()
    assert trail[: len(there)] == there and len(trail) == len(there) + 1 and trail[-1].action == "migrate"
    assert "secret" not in trail[-1].summary

"""The store under stress, on both backends: processes writing at once, and writers killed at random moments.

Concurrency: several OS processes (fresh interpreters) write the same layer and layers of their own at once, each
write based on the version it read and re-read and retried when refused as a conflict, as a planner's session does;
two readers read in a loop while another process changes a layer's columns with every write. Nothing may be lost, no
version number given twice, no frame read that is not one whole version, no "database is locked" surfacing.

Crash: a writer is killed with SIGKILL at a random moment during imports of thousands of polygons, during a
two-layer import and during small edits, many times over one store: every other layer stays as it was, the
interrupted one is its previous version or the whole new one, the database is sound and the audit trail has one
entry per version. The writers are forked from one process that has imported everything once (a fresh
interpreter per kill would spend most of the time importing geopandas); the test kills them by their pid.

The children run :func:`child_main` of this module (``python -c CHILD ROLE WHERE ...``, from the repository).
The PostGIS store comes from ``BAOYEN_TEST_PG_URL`` exactly as in the store contract (skipped without it, except
in CI, where it fails).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
import shapely
from psycopg import sql

from layers.postgis import split_store_url, version_table
from layers.store import LayerWrite, Store, VersionConflictError, VersionRecord, content_hash, open_store
from tests.layers import test_store_backends as contract
from tests.layers.test_store_backends import Backend

# the store contract's fixture: every test here runs on the GeoPackage and on PostGIS
backend = contract.backend

REPO = Path(__file__).resolve().parents[2]
CHILD = "import sys; from tests.layers.test_store_stress import child_main; child_main(sys.argv[1:])"
X0, Y0 = 470_000.0, 2_460_000.0
#: how long a child keeps trying before it gives up (a bound, far above what a run takes)
CHILD_DEADLINE_S = 120.0


def _emit(event: dict[str, Any]) -> None:
    """One JSON line on stdout, written at once (a forked child shares the pipe; lines stay whole)."""
    os.write(1, (json.dumps(event) + "\n").encode())


def _open(where: str) -> Store:
    return open_store(where if where.startswith("postgresql://") else Path(where))


def _error(exc: BaseException) -> dict[str, Any]:
    """What a child reports of an error: the store's code when there is one, and where it came from."""
    return {
        "type": type(exc).__name__,
        "code": getattr(exc, "code", None),
        "message": " ".join(str(exc).split())[:300],
        "traceback": traceback.format_exc(limit=6)[-1500:],
    }


# --- frames -------------------------------------------------------------------------------------------------


def _points(ids: list[str], who: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": pd.Series(ids, dtype="str"),
            "who": pd.Series([who] * len(ids), dtype="str"),
            "n": pd.array(range(len(ids)), dtype="Int64"),
        },
        geometry=shapely.points(X0 + np.arange(len(ids), dtype=float), np.full(len(ids), Y0)),
        crs="EPSG:9208",
    )


def _appended(frame: gpd.GeoDataFrame, fid: str, who: str) -> gpd.GeoDataFrame:
    """``frame`` with one more feature, ``fid``: what a planner drawing one lot saves."""
    row = _points([fid], who)
    row["n"] = pd.array([len(frame)], dtype="Int64")
    row = row.set_geometry([shapely.Point(X0 + len(frame), Y0 + 1.0)], crs=frame.crs)
    return pd.concat([frame, row], ignore_index=True)


def _wide(i: int) -> gpd.GeoDataFrame:
    """Version ``i`` of the column-changing layer: 1-4 columns, each int, text or float by turns, 15-39 rows."""
    rows = 15 + (i * 7) % 25
    data: dict[str, Any] = {"id": pd.Series([f"w{i}-{r}" for r in range(rows)], dtype="str")}
    for j in range(1 + i % 4):
        name = f"c{(i + j) % 5}"
        kind = (i + j) % 3
        if kind == 0:
            data[name] = pd.array([i * 1000 + j * 100 + r for r in range(rows)], dtype="Int64")
        elif kind == 1:
            data[name] = pd.Series([f"{name} {i}/{r}" for r in range(rows)], dtype="str")
        else:
            data[name] = [i + r / 8 for r in range(rows)]
    return gpd.GeoDataFrame(
        data, geometry=shapely.points(X0 + np.arange(rows, dtype=float), np.full(rows, Y0 + i)), crs="EPSG:9208"
    )


def _polygons(rng: random.Random, tag: str, sizes: tuple[int, ...]) -> gpd.GeoDataFrame:
    """An import: thousands of lots (polygons) with a few attributes, all tagged with the write they belong to."""
    n = rng.choice(sizes)
    gen = np.random.default_rng(rng.randrange(2**32))
    x, y, w = X0 + gen.uniform(0, 20_000, n), Y0 + gen.uniform(0, 20_000, n), gen.uniform(5, 80, n)
    return gpd.GeoDataFrame(
        {
            "id": pd.Series([f"{tag}-{k}" for k in range(n)], dtype="str"),
            "tag": pd.Series([tag] * n, dtype="str"),
            "n": pd.array(np.arange(n), dtype="Int64"),
            "ha": w * w / 10_000,
        },
        geometry=shapely.box(x, y, x + w, y + w),
        crs="EPSG:9208",
    )


IMPORT_SIZES = (2000, 3000, 4000)
PAIR_SIZES = (1500, 2500)


def _edited(frame: gpd.GeoDataFrame, rng: random.Random, tag: str) -> gpd.GeoDataFrame:
    """A small edit of a lot layer: one attribute, one geometry, one lot added or one removed."""
    f = frame.copy()
    k = rng.randrange(len(f))
    op = rng.choice(("name", "area", "move", "add", "delete"))
    if op == "name":
        f.loc[k, "name"] = f"Lô {tag}"
    elif op == "area":
        f.loc[k, "ha"] = round(rng.uniform(0.1, 9.0), 3)
    elif op == "move":
        x, y = X0 + rng.uniform(0, 5000), Y0 + rng.uniform(0, 5000)
        f.loc[k, f.geometry.name] = shapely.box(x, y, x + 40, y + 25)
    elif op == "add" or len(f) < 40:
        x, y = X0 + rng.uniform(0, 5000), Y0 + rng.uniform(0, 5000)
        row = _lots(1, tag)
        row = row.set_geometry([shapely.box(x, y, x + 30, y + 30)], crs=f.crs)
        f = pd.concat([f, row], ignore_index=True)
    else:
        f = f.drop(index=k).reset_index(drop=True)
    return f


def _lots(n: int, tag: str) -> gpd.GeoDataFrame:
    x = X0 + np.arange(n, dtype=float) * 50
    return gpd.GeoDataFrame(
        {
            "id": pd.Series([f"{tag}-{k}" for k in range(n)], dtype="str"),
            "name": pd.Series([f"Lô {k}" for k in range(n)], dtype="str"),
            "ha": [0.5 + k / 10 for k in range(n)],
            "n": pd.array(range(n), dtype="Int64"),
        },
        geometry=shapely.box(x, Y0, x + 40, Y0 + 40),
        crs="EPSG:9208",
    )


# --- the children -------------------------------------------------------------------------------------------


def child_main(argv: list[str]) -> None:
    """Entry point of every child process: ``ROLE WHERE [PARAMS-JSON]``."""
    role, where = argv[0], argv[1]
    if role == "zygote":
        _zygote(where)
        return
    params: dict[str, Any] = json.loads(argv[2]) if len(argv) > 2 else {}
    store = _open(where)
    _emit({"ready": os.getpid()})
    if sys.stdin.readline().strip() != "go":
        return
    report = {"shared": _shared_writer, "own": _own_writer, "wide": _wide_writer, "reader": _reader}[role](
        store, params
    )
    _emit({"report": report})


@dataclass
class _Tally:
    """What one concurrent writer did: its successful writes, the conflicts it met, any other error."""

    writes: list[dict[str, Any]] = field(default_factory=list)
    conflicts: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {"writes": self.writes, "conflicts": dict(self.conflicts), "errors": self.errors}


def _until_written(tally: _Tally, attempt: Any) -> None:
    """Call ``attempt`` (read, change, write based on the version read) until it is not refused as a conflict.

    A conflict is re-read and retried, as a planner would; any other store error (``store.locked`` above all)
    is recorded — it would have reached the planner — and the write retried, so the run goes on.
    """
    deadline = time.monotonic() + CHILD_DEADLINE_S
    while True:
        try:
            attempt()
            return
        except VersionConflictError as exc:
            tally.conflicts[str(exc.params.get("layer"))] += 1
        except Exception as exc:  # a bug by definition: reported, never hidden
            tally.errors.append(_error(exc))
            if len(tally.errors) > 20:
                raise
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up after {CHILD_DEADLINE_S:g} s of conflicts")


def _shared_writer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Append one feature at a time to the layer every writer shares."""
    tally, who = _Tally(), f"shared{params['index']}"
    for i in range(params["writes"]):
        fid = f"{who}-{i}"

        def attempt(fid: str = fid) -> None:
            base = store.current_version("shared")
            frame = _appended(store.read_layer("shared"), fid, who)
            version = store.write_layer("shared", frame, user=who, message=fid, base_version=base)
            tally.writes.append({"layer": "shared", "version": version, "id": fid, "hash": content_hash(frame)})

        _until_written(tally, attempt)
    return tally.report()


def _own_writer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Append to a layer no one else writes; every other write is one transaction with the shared layer too."""
    tally, who = _Tally(), f"own{params['index']}"
    own = f"own_{params['index']}"
    for i in range(params["writes"]):
        fid = f"{who}-{i}"

        def attempt(fid: str = fid, joint: bool = i % 2 == 1) -> None:
            base = store.current_version(own)
            frame = _appended(store.read_layer(own), fid, who)
            writes = [LayerWrite(own, frame, message=fid, base_version=base)]
            if joint:
                shared_base = store.current_version("shared")
                shared = _appended(store.read_layer("shared"), fid, who)
                writes.append(LayerWrite("shared", shared, message=fid, base_version=shared_base))
            versions = store.write_layers(writes, user=who)
            for w, version in zip(writes, versions, strict=True):
                tally.writes.append({"layer": w.layer_id, "version": version, "id": fid, "hash": content_hash(w.frame)})

        _until_written(tally, attempt)
    return tally.report()


def _wide_writer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a layer with other columns (names, kinds, count) and another row count every time, for a while."""
    tally = _Tally()
    end = time.monotonic() + params["seconds"]
    i = 0
    while i < params["min_writes"] or time.monotonic() < end:
        i += 1

        def attempt(i: int = i) -> None:
            base = store.current_version("wide")
            frame = _wide(i)
            version = store.write_layer("wide", frame, user="wide", message=f"columns {i}", base_version=base)
            tally.writes.append({"layer": "wide", "version": version, "id": str(i), "hash": content_hash(frame)})

        _until_written(tally, attempt)
    return tally.report()


def _reader(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    """Read both written layers in a loop until told to stop; report the content hash of every frame read."""
    stop = Path(params["stop"])
    seen: dict[str, Counter[str]] = {"wide": Counter(), "shared": Counter()}
    errors: list[dict[str, Any]] = []
    reads = 0
    deadline = time.monotonic() + CHILD_DEADLINE_S
    while (not stop.exists() or reads < params["min_reads"]) and time.monotonic() < deadline:
        for layer in ("wide", "wide", "shared"):  # the column-changing layer is where a read could tear
            try:
                seen[layer][content_hash(store.read_layer(layer))] += 1
            except Exception as exc:  # a torn read that fails, or a lock: reported, never hidden
                errors.append(_error(exc))
            reads += 1
    return {"seen": {k: dict(v) for k, v in seen.items()}, "reads": reads, "errors": errors[:20]}


def _zygote(where: str) -> None:
    """Fork one writer per trial asked for on stdin, wait for it (it is killed) and say how it ended.

    This process never opens the store: each forked writer opens its own connection.
    """
    _emit({"ready": os.getpid()})
    for line in sys.stdin:
        trial = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _trial_writer(where, trial)
            except BaseException as exc:
                _emit({"error": _error(exc)})
                code = 1
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        _emit({"reaped": pid, "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None})


def _trial_writer(where: str, trial: dict[str, Any]) -> None:
    """Write over and over (until killed): imports, a two-layer import or small edits, announcing each write."""
    rng = random.Random(trial["seed"])
    kind, t = trial["kind"], trial["trial"]
    if where.startswith("postgresql://"):
        where += f"{'&' if '?' in where else '?'}application_name={trial['app']}"  # to see its session end
    store = _open(where)
    user = f"kill{t}"
    _emit({"started": os.getpid()})
    for i in range(200):
        tag = f"t{t}-{i}"
        if kind == "import":
            base = {"imp": store.current_version("imp")}
            frames = {"imp": _polygons(rng, tag, IMPORT_SIZES)}
        elif kind == "pair":
            base = {x: store.current_version(x) for x in ("pair_a", "pair_b")}
            frames = {"pair_a": _polygons(rng, tag, IMPORT_SIZES), "pair_b": _polygons(rng, tag, PAIR_SIZES)}
        else:
            base = {"edit": store.current_version("edit")}
            frames = {"edit": _edited(store.read_layer("edit"), rng, tag)}
        _emit({"begin": i, "hashes": {x: content_hash(f) for x, f in frames.items()}})
        writes = [LayerWrite(x, f, message=tag, base_version=base[x]) for x, f in frames.items()]
        versions = store.write_layers(writes, user=user)
        _emit({"end": i, "versions": dict(zip(frames, versions, strict=True))})


# --- concurrency --------------------------------------------------------------------------------------------

SHARED_WRITERS, SHARED_WRITES = 2, 15
OWN_WRITERS, OWN_WRITES = 2, 10
#: the column-changing writer writes at least this often and for at least this long. A torn read is a narrow race:
#: with the GeoPackage's read snapshot taken out (the bug issue 13 measured) about 1 read in 700 tore here, so the
#: check catches that bug in about half of the runs on a busy 2-core machine, not in every run
WIDE_MIN_WRITES, WIDE_SECONDS = 24, 5.0
READERS = 2


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _ids(frame: pd.DataFrame) -> list[str]:
    return [str(x) for x in frame["id"]]


def _audit_matches_history(store: Store, layer: str) -> None:
    """One audit entry per version of the layer, each from the version before to it, by the version's writer."""
    entries = store.audit(layer=layer)
    history = store.history(layer)
    assert [(e.version_before, e.version_after) for e in entries] == [(v.version - 1, v.version) for v in history], (
        f"the audit trail of {layer} does not have exactly one entry per version"
    )
    assert [e.user for e in entries] == [v.user for v in history]


@pytest.mark.slow  # eight fresh interpreters and several seconds of writing (CI runs slow tests)
def test_processes_writing_at_once_lose_nothing_and_read_whole_versions(backend: Backend, tmp_path: Path) -> None:
    store = backend.store
    start = ["s0", "s1", "s2"]
    store.write_layer("shared", _points(start, "setup"), user="setup", base_version=0)
    for k in range(OWN_WRITERS):
        store.write_layer(f"own_{k}", _points([f"o{k}"], "setup"), user="setup", base_version=0)
    store.write_layer("wide", _wide(0), user="setup", base_version=0)
    stop = tmp_path / "stop"
    roles: list[tuple[str, dict[str, Any]]] = [
        *(("shared", {"index": i, "writes": SHARED_WRITES}) for i in range(SHARED_WRITERS)),
        *(("own", {"index": k, "writes": OWN_WRITES}) for k in range(OWN_WRITERS)),
        ("wide", {"min_writes": WIDE_MIN_WRITES, "seconds": WIDE_SECONDS}),
        *(("reader", {"stop": str(stop), "min_reads": 20}) for _ in range(READERS)),
    ]
    began = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, role, backend.where, json.dumps(params)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for role, params in roles
    ]
    reports: list[dict[str, Any]] = []
    try:
        for p in procs:  # every process has imported and opened the store: then all start at once
            assert p.stdout is not None and "ready" in json.loads(p.stdout.readline() or "{}"), "a child did not start"
        running = time.monotonic()
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        for i, p in enumerate(procs):
            if i == len(procs) - READERS:
                stop.touch()  # the writers are done: the readers may stop
            out, _ = p.communicate(timeout=CHILD_DEADLINE_S + 30)
            assert p.returncode == 0, f"child {roles[i][0]} failed (its stderr is above)"
            found = [e["report"] for e in _json_lines(out) if "report" in e]
            assert len(found) == 1, f"child {roles[i][0]} gave no report: {out[-2000:]}"
            reports.append(found[0])
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    elapsed = time.monotonic() - running

    errors = [(role, e) for (role, _), r in zip(roles, reports, strict=True) for e in r["errors"]]
    assert errors == [], f"{len(errors)} error(s) reached the processes (store.locked must never): {errors[:3]}"
    writes = [w for r in reports[:-READERS] for w in r["writes"]]
    conflicts = Counter[str]()
    for r in reports[:-READERS]:
        conflicts.update(r["conflicts"])

    # the shared layer: every successful write is one version, each version adds exactly its writer's feature
    for layer, first in [("shared", start), *((f"own_{k}", [f"o{k}"]) for k in range(OWN_WRITERS))]:
        mine = sorted((w for w in writes if w["layer"] == layer), key=lambda w: w["version"])
        history = store.history(layer)
        assert [v.version for v in history] == list(range(1, len(history) + 1)), f"{layer}: versions not contiguous"
        assert [w["version"] for w in mine] == list(range(2, len(history) + 1)), (
            f"{layer}: the versions the writers were given are not each version after the first exactly once"
        )
        records = {r.version: r for r in store.version_records(layer)}
        ids = list(first)
        assert _ids(store.read_version(layer, 1)) == ids
        for w in mine:
            ids.append(w["id"])
            assert _ids(store.read_version(layer, w["version"])) == ids, f"{layer} v{w['version']}: a lost update"
            assert records[w["version"]].content_hash == w["hash"], f"{layer} v{w['version']} is not what was written"
            assert history[w["version"] - 1].message == w["id"]
        final = store.read_layer(layer)
        assert _ids(final) == ids and len(set(ids)) == len(ids)
        assert content_hash(final) == mine[-1]["hash"], f"{layer}: the final state is not the last successful write"
        _audit_matches_history(store, layer)
    appended = sum(1 for w in writes if w["layer"] == "shared")
    assert appended == SHARED_WRITERS * SHARED_WRITES + OWN_WRITERS * (OWN_WRITES // 2)
    assert len(store.read_layer("shared")) == len(start) + appended
    for k in range(OWN_WRITERS):  # nobody else wrote the layer: a conflict on it would be a wrong version number
        assert conflicts[f"own_{k}"] == 0
        assert len(store.read_layer(f"own_{k}")) == 1 + OWN_WRITES
    assert conflicts["shared"] > 0, "the writers never met: the run did not test concurrent writes"

    # the column-changing layer, and what the readers saw: only whole versions
    wide = sorted((w for w in writes if w["layer"] == "wide"), key=lambda w: w["version"])
    assert len(wide) >= WIDE_MIN_WRITES
    assert [w["version"] for w in wide] == list(range(2, len(wide) + 2))
    assert [w["id"] for w in wide] == [str(i) for i in range(1, len(wide) + 1)]
    versions_of: dict[str, dict[str, int]] = {}
    for layer in ("wide", "shared"):
        history = store.history(layer)
        records = {r.version: r for r in store.version_records(layer)}
        versions_of[layer] = {}
        for v in history:
            back = content_hash(store.read_version(layer, v.version))
            assert back == records[v.version].content_hash, f"{layer} v{v.version} does not read back as written"
            versions_of[layer][back] = v.version
    assert content_hash(store.read_layer("wide")) == wide[-1]["hash"] == content_hash(_wide(len(wide)))
    _audit_matches_history(store, "wide")
    readers = reports[-READERS:]
    for reader in readers:
        for layer, seen in reader["seen"].items():
            torn = {h: n for h, n in seen.items() if h not in versions_of[layer]}
            assert not torn, f"{sum(torn.values())} read(s) of {layer} gave a frame that is no version of it"
    seen_wide = {versions_of["wide"][h] for reader in readers for h in reader["seen"]["wide"]}
    assert len(seen_wide) >= 3, (
        f"the readers saw only versions {seen_wide} of wide: they did not read during the writes"
    )
    reads = sum(reader["reads"] for reader in readers)
    print(
        f"\n[stress] {backend.kind}: {len(procs)} processes in {elapsed:.1f} s "
        f"(with start-up {time.monotonic() - began:.1f} s): shared layer {len(store.history('shared'))} versions "
        f"from {SHARED_WRITERS + OWN_WRITERS} writers, "
        f"{conflicts['shared']} conflicts re-read and retried; {OWN_WRITERS} own layers {OWN_WRITES + 1} versions "
        f"each; wide {len(wide) + 1} column-changing versions; {READERS} readers: {reads} reads saw "
        f"{len(seen_wide)} versions of wide, 0 torn; 0 lock errors"
    )


# --- crash ------------------------------------------------------------------------------------------------

KILLS_PER_KIND = 18
KINDS = ("import", "pair", "edit")
#: a kill comes this long (at most) after the writer opened the store: within its first writes
KILL_WITHIN_S = {"import": 0.5, "pair": 0.6, "edit": 0.3}
SEED = 13_0613


@dataclass
class _Known:
    """What a layer was before a trial: its version records and the fingerprint of its current version, read."""

    records: list[VersionRecord]
    current: str


def _fingerprint(frame: gpd.GeoDataFrame) -> str:
    """A digest of every column's name, dtype and values and of every geometry (WKB) of a frame read back.

    It compares a layer with itself read earlier, several times faster than ``content_hash`` (which converts each
    value as the store writes it, and is the one compared with what a writer recorded).
    """
    h = hashlib.sha256(repr([(str(c), str(frame[c].dtype)) for c in frame.columns]).encode())
    for c in frame.columns:
        if c == frame.geometry.name:
            for wkb in shapely.to_wkb(frame.geometry.values, byte_order=1):
                h.update(b"\x00" if wkb is None else b"\x01" + wkb)
        else:
            h.update(pd.util.hash_pandas_object(frame[c], index=False).to_numpy().tobytes())
    return h.hexdigest()


class _Zygote:
    """The forking process, driven line by line."""

    def __init__(self, where: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, "zygote", where],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert "ready" in self.next(), "the forking process did not start"

    def next(self) -> dict[str, Any]:
        out: IO[str] | None = self.proc.stdout
        assert out is not None
        line = out.readline()
        assert line, "the forking process ended (its stderr is above)"
        event: dict[str, Any] = json.loads(line)
        return event

    def send(self, trial: dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(trial) + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@contextmanager
def _pg_admin(backend: Backend) -> Iterator[Any]:
    """A plain connection to the test database (not the store's), to look at the schema and the sessions."""
    if backend.kind != "postgis":
        yield None
        return
    with psycopg.connect(split_store_url(backend.where)[0], autocommit=True) as con:
        yield con


def _gpkg_sound(path: str) -> None:
    """``PRAGMA integrity_check`` is ok, and every version row names a feature table holding its features."""
    con = sqlite3.connect(path)
    try:
        check = con.execute("PRAGMA integrity_check").fetchall()
        assert check == [("ok",)], f"PRAGMA integrity_check: {check[:5]}"
        rows = con.execute("SELECT layer_id, version, table_name, features FROM baoyen_versions").fetchall()
        current = dict(con.execute("SELECT layer_id, current_version FROM baoyen_layers").fetchall())
        features = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")}
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert features == {r[2] for r in rows} and features <= tables, "feature tables and version rows differ"
        for layer, version, table, n in rows:
            expected = layer if version == current[layer] else f"{layer}__v{version}"
            assert table == expected, f"version {version} of {layer} is in table {table}, not {expected}"
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (n,), f"{table} is not whole"
        for layer, version in current.items():
            assert version == max(v for x, v, _, _ in rows if x == layer), f"{layer}: current is not the last"
    finally:
        con.close()


def _pg_sound(con: Any, schema: str) -> None:
    """Every version row names its table (``version_table``) holding its features; no table without its row."""

    def t(name: str) -> sql.Composable:
        return sql.Identifier(schema, name)

    rows = con.execute(sql.SQL("SELECT layer_id, version, table_name, features FROM {}").format(t("baoyen_versions")))
    rows = rows.fetchall()
    current = dict(con.execute(sql.SQL("SELECT layer_id, current_version FROM {}").format(t("baoyen_layers"))))
    kinds = dict(
        con.execute(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'v')",
            (schema,),
        ).fetchall()
    )
    version_tables = {name for name, kind in kinds.items() if kind == "r" and "__v" in name}
    assert version_tables == {r[2] for r in rows}, "version tables and version rows differ (a killed write left one)"
    for layer, version, table, n in rows:
        assert table == version_table(layer, version), f"version {version} of {layer} is in table {table}"
        assert con.execute(sql.SQL("SELECT count(*) FROM {}").format(t(table))).fetchone() == (n,), f"{table}"
    for layer, version in current.items():
        assert version == max(v for x, v, _, _ in rows if x == layer), f"{layer}: current is not the last"
        assert kinds.get(layer) == "v", f"no view {layer}"
        n = next(f for x, v, _, f in rows if x == layer and v == version)
        assert con.execute(sql.SQL("SELECT count(*) FROM {}").format(t(layer))).fetchone() == (n,), f"view {layer}"


def _wait_disconnected(con: Any, app: str) -> None:
    """Wait until the server has ended the killed writer's session (and rolled back what it had not committed)."""
    deadline = time.monotonic() + 60
    while con.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (app,)).fetchone()[0]:
        assert time.monotonic() < deadline, f"the server still runs the session of the killed writer {app}"
        time.sleep(0.02)


@pytest.mark.slow
def test_writers_killed_at_random_moments_leave_every_layer_whole(backend: Backend) -> None:
    rng = random.Random(SEED)
    store = backend.store
    setup = random.Random(SEED + 1)
    store.write_layer("base_big", _polygons(setup, "base", (4000,)), user="setup", base_version=0)
    store.write_layer("base_small", _lots(12, "small"), user="setup", base_version=0)
    store.write_layer("imp", _polygons(setup, "imp0", IMPORT_SIZES), user="setup", base_version=0)
    store.write_layers(
        [
            LayerWrite("pair_a", _polygons(setup, "pa0", IMPORT_SIZES), base_version=0),
            LayerWrite("pair_b", _polygons(setup, "pb0", PAIR_SIZES), base_version=0),
        ],
        user="setup",
    )
    store.write_layer("edit", _lots(60, "lot"), user="setup", base_version=0)
    known: dict[str, _Known] = {}
    for x in store.layer_ids():
        frame = store.read_layer(x)
        known[x] = _Known(store.version_records(x), _fingerprint(frame))
        assert content_hash(frame) == known[x].records[-1].content_hash
    targets_of = {"import": ("imp",), "pair": ("pair_a", "pair_b"), "edit": ("edit",)}
    schedule = [kind for kind in KINDS for _ in range(KILLS_PER_KIND)]
    rng.shuffle(schedule)
    outcome: Counter[str] = Counter()
    began = time.monotonic()
    zygote = _Zygote(backend.where)
    try:
        with _pg_admin(backend) as admin:
            for t, kind in enumerate(schedule):
                app = f"baoyen-kill-{os.getpid()}-{t}"
                zygote.send({"trial": t, "kind": kind, "seed": rng.randrange(2**31), "app": app})
                started = zygote.next()
                assert "started" in started, f"trial {t}: the writer did not start: {started}"
                time.sleep(rng.uniform(0.0, KILL_WITHIN_S[kind]))
                os.kill(started["started"], signal.SIGKILL)
                events: list[dict[str, Any]] = []
                while "reaped" not in (event := zygote.next()):
                    events.append(event)
                assert [e for e in events if "error" in e] == [], f"trial {t}: the writer failed before the kill"
                assert event["signal"] == signal.SIGKILL, f"trial {t}: the writer ended by itself: {events[-3:]}"
                if admin is not None:
                    _wait_disconnected(admin, app)
                    _pg_sound(admin, split_store_url(backend.where)[1])
                else:
                    _gpkg_sound(backend.where)
                landed = _check_trial(store, known, targets_of[kind], events, f"trial {t} ({kind})")
                outcome.update([kind, landed, f"{kind} {landed}"])
                outcome["writes"] += sum(1 for e in events if "end" in e)
    finally:
        zygote.close()
    trials = len(schedule)
    assert trials >= 50
    for x in store.layer_ids():
        _audit_matches_history(store, x)
    # the test proves something only if many kills interrupted a write
    assert outcome["rolled back"] >= trials // 5, f"too few kills landed inside a write: {dict(outcome)}"
    landings = ("rolled back", "committed", "between writes", "before a write")
    print(
        f"\n[stress] {backend.kind}: {trials} SIGKILLs in {time.monotonic() - began:.1f} s, "
        f"{outcome['writes']} writes committed before them, {sum(len(k.records) for k in known.values())} versions "
        "in the store, 0 damaged. Where the kills landed (rolled back = inside a write, which left the previous "
        "version; committed = after the commit, before it returned):"
    )
    for kind in KINDS:
        print(f"  {kind}: {outcome[kind]} = " + ", ".join(f"{outcome[f'{kind} {w}']} {w}" for w in landings))


def _check_trial(
    store: Store, known: dict[str, _Known], targets: tuple[str, ...], events: list[dict[str, Any]], what: str
) -> str:
    """Check the store after one kill against what the killed writer announced; return where the kill landed."""
    begins = [e for e in events if "begin" in e]
    ends = [e for e in events if "end" in e]
    assert sorted(store.layer_ids()) == sorted(known), f"{what}: the layers changed"
    new_counts = set()
    for x, before in known.items():
        records = store.version_records(x)
        assert [r.version for r in records] == list(range(1, len(records) + 1)), f"{what}: {x} versions not contiguous"
        if x not in targets:
            assert records == before.records, f"{what}: the versions of {x}, not written, changed"
            assert _fingerprint(store.read_layer(x)) == before.current, f"{what}: {x}, not written, changed"
            continue
        assert records[: len(before.records)] == before.records, f"{what}: earlier versions of {x} changed"
        new = records[len(before.records) :]
        new_counts.add(len(new))
        assert len(ends) <= len(new) <= len(begins), f"{what}: {x} has {len(new)} new versions for {len(ends)} writes"
        assert [r.content_hash for r in new] == [b["hashes"][x] for b in begins[: len(new)]], (
            f"{what}: a new version of {x} is not what was written"
        )
        assert [r.version for r in new[: len(ends)]] == [e["versions"][x] for e in ends]
        # the version current before the kill is kept whole (as an earlier one when the write went through) ...
        last = _fingerprint(store.read_version(x, len(before.records)))
        assert last == before.current, f"{what}: the version of {x} current before the kill changed"
        for r in new:  # ... and every new version is complete, as its writer hashed it
            frame = store.read_version(x, r.version)
            assert len(frame) == r.features and content_hash(frame) == r.content_hash, f"{what}: {x} v{r.version}"
            last = _fingerprint(frame)
        current = _fingerprint(store.read_layer(x))
        assert current == last, f"{what}: the current version of {x} is not its last version"
        history = store.history(x)
        assert [v.current for v in history] == [v.version == len(records) for v in history]
        _audit_matches_history(store, x)
        known[x] = _Known(records, current)
    assert len(new_counts) == 1, f"{what}: the layers written in one transaction got different numbers of versions"
    if not begins:
        return "before a write"
    if len(begins) == len(ends):
        return "between writes"
    return "committed" if new_counts == {len(begins)} else "rolled back"

"""Benchmark: an office of planners editing one lot layer at once, on PostGIS and on GeoPackage (issue 13).

Run: ``.venv/bin/python bench/bench_office.py [--planners 20] [--rounds 15] [--processes 2] [--pg-url URL]``

What runs (and what does not): two "app processes" are two OS worker processes (multiprocessing, spawn), each
running half of the planners as threads through the project's use-case tier (``services/``), the same functions a
Streamlit page calls. There is no browser, no Streamlit server and no websocket; everything is on this machine
(the database on loopback). Each planner signs in with a password once (``services.accounts.sign_in``) and
starts a session; then, for ``--rounds`` rounds, it

1. reads a page: resolves its session (``session_actor``, what every page run does), the layer's current version
   and the layer (``Store.current_version`` then ``Store.read_layer``, as ``ui.common.layer_frame`` does);
2. changes the tenant of ONE lot (from a hot set of ``--hot`` lots half the time, so that edits of the same lot
   meet, else any lot) and saves it with ``services.data.save_layer`` based on the version it read;
3. when the save is refused (``VersionConflictError``, code ``store.conflict``) re-applies the edit as the page
   does: ``services.edits.rebase_edit`` (a three-way merge by lot id onto the current version), keeping its own
   value for a lot both changed, and ``services.edits.save_rebased`` based on the version merged onto — up to
   ``--tries`` save attempts per edit in all.

Every save attempt (one call of the use case) is recorded: planner, base version, outcome, new version, times.
After the run the parent checks the store independently of what the attempts were told:

- *conflicts caused*: a refused attempt was overtaken when a save recorded in this run produced the version after
  its base, and that save began before the refusal came back; a successful save whose new version is not
  base + 1 was overtaken without being refused (a lost update). "conflicts detected = caused" holds when every
  refusal was overtaken and no save skipped a version;
- *lost updates*: versions 1..N contiguous, one per successful save; each version differs from the one before it
  by exactly the one tenant its save wrote (every version is read back); the final layer holds, for every lot, the
  tenant of the last successful save that changed it; the audit trail holds one entry per version.

edits/s are successful saves per second of the whole run's wall time (from the start signal to the last planner's
end), reads/s page reads per second of it. By default the planners do not pause (``--think-ms 0``): the store is
saturated, so edits/s is what it sustains with every save contending; ``--think-ms`` adds a pause before each page
read. The script exits non-zero when a check fails (a lost update, an unexplained refusal, a planner's error).

The PostGIS half needs ``BAOYEN_TEST_PG_URL`` (or ``--pg-url``), a ``postgresql://`` URL; the store is made in a
fresh schema that is dropped afterwards. Without it, or when the database does not answer, the GeoPackage half
runs alone and the reason is printed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import random
import sys
import tempfile
import threading
import time
import traceback
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.crs import WORK_CRS
from geo.errors import PlanError
from layers.store import Store, VersionConflictError, create_store, open_store
from services import accounts, edits
from services import data as data_service

LAYER = "cluster_lots"
X0, Y0 = 472_000.0, 2_460_000.0  # EPSG:9208, near Phố Ràng
LOT_W, LOT_H = 40.0, 30.0
STATUSES = ("vacant", "allocated", "building", "operating")
ADMIN_PASSWORD = "bench-admin-password-1"
START_TIMEOUT_S = 120.0


# --- the data and the office ------------------------------------------------------------------------------------------


def make_lots(n: int, seed: int = 13) -> gpd.GeoDataFrame:
    """``n`` lots of 40 m × 30 m in four clusters, with random statuses and tenants where a lot is taken."""
    rng = np.random.default_rng(seed)
    per_row = 20
    ix, iy = np.arange(n) % per_row, np.arange(n) // per_row
    x, y = X0 + ix * (LOT_W + 5), Y0 + iy * (LOT_H + 5)
    status = rng.choice(STATUSES, n)
    tenant = [None if s == "vacant" else f"Công ty {i:03d}" for i, s in enumerate(status)]
    return gpd.GeoDataFrame(
        {
            "id": [f"L{i:03d}" for i in range(n)],
            "cluster_id": [f"cn_bench_{i % 4 + 1}" for i in range(n)],
            "lot_no": [str(i + 1) for i in range(n)],
            "status": status,
            "tenant": tenant,
        },
        geometry=shapely.box(x, y, x + LOT_W, y + LOT_H),
        crs=WORK_CRS,
    )


def password_of(name: str) -> str:
    return f"{name}-bench-pw-2025"


def set_up(where: str | Path, planners: int, lots: int) -> list[str]:
    """A new store with its first admin, ``planners`` editors granted the lot layer, and the lot layer."""
    store = create_store(where)
    accounts.first_start(store, password=ADMIN_PASSWORD)
    admin = accounts.sign_in(store, "admin", ADMIN_PASSWORD)
    names = [f"planner{i + 1}" for i in range(planners)]
    for name in names:
        accounts.add_user(store, name, "editor", password_of(name), actor=admin)
        accounts.grant(store, name, LAYER, "rw", actor=admin)
    data_service.save_layer(
        store, LAYER, make_lots(lots), actor=admin, base_version=0, message="bench", origin="edited"
    )
    _close(store)
    return names


def _close(store: Store) -> None:
    close = getattr(store, "close", None)
    if close is not None:
        close()


# --- one planner ------------------------------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One save attempt: one call of the use case (``save_layer`` first, ``save_rebased`` after a refusal)."""

    planner: str
    process: int
    edit: int  # the planner's round
    attempt: int  # 1 for the first save of the edit
    lot: str
    tenant: str
    base: int
    outcome: str  # "saved", "conflict" or "error"
    new: int | None
    current: int | None  # the version the refusal named
    t_start: float  # time.time(), comparable between the processes
    t_end: float
    seconds: float  # perf_counter duration of the use-case call


@dataclass
class PlannerLog:
    attempts: list[Attempt] = field(default_factory=list)
    reads: int = 0
    read_seconds: list[float] = field(default_factory=list)
    rebase_seconds: list[float] = field(default_factory=list)
    edit_seconds: list[float] = field(default_factory=list)  # first attempt's start to the edit saved
    given_up: int = 0
    errors: list[str] = field(default_factory=list)
    finished: float = 0.0


def run_planner(
    store: Store, name: str, token: str, *, process: int, args: argparse.Namespace, go: Any, log: PlannerLog
) -> None:
    rng = random.Random(f"{args.seed}:{name}")
    go.wait()
    try:
        for edit in range(1, args.rounds + 1):
            if args.think_ms:
                time.sleep(rng.uniform(0, args.think_ms) / 1000)
            # a page run: who is signed in, the version shown, the layer shown
            t0 = time.perf_counter()
            actor = accounts.session_actor(store, token)
            if not actor.signed_in:
                raise RuntimeError(f"the session of {name} no longer signs it in")
            base = store.current_version(LAYER)
            frame = store.read_layer(LAYER)
            log.read_seconds.append(time.perf_counter() - t0)
            log.reads += 1
            ids = frame["id"].astype(str).tolist()
            lot = rng.choice(sorted(ids)[: args.hot]) if rng.random() < args.hot_share else rng.choice(ids)
            tenant = f"{name} r{edit}"
            mine = frame.copy()
            mine.loc[mine["id"].astype(str) == lot, "tenant"] = tenant
            first = time.perf_counter()
            based_on = base
            rebase: edits.Rebase | None = None
            for attempt in range(1, args.tries + 1):
                w0, p0 = time.time(), time.perf_counter()
                try:
                    if rebase is None:
                        saved = data_service.save_layer(
                            store, LAYER, mine, actor=actor, base_version=based_on, message=f"tenant of {lot}"
                        )
                    else:
                        choices = {c.id: "mine" for c in rebase.merge.conflicts}
                        saved = edits.save_rebased(
                            store, LAYER, rebase, choices, actor=actor, message=f"tenant of {lot} (re-applied)"
                        ).saved
                except VersionConflictError as exc:
                    p1, w1 = time.perf_counter(), time.time()
                    if exc.code != "store.conflict":
                        raise
                    current = exc.params.get("current")
                    log.attempts.append(
                        Attempt(
                            planner=name,
                            process=process,
                            edit=edit,
                            attempt=attempt,
                            lot=lot,
                            tenant=tenant,
                            base=based_on,
                            outcome="conflict",
                            new=None,
                            current=None if current is None else int(str(current)),
                            t_start=w0,
                            t_end=w1,
                            seconds=p1 - p0,
                        )
                    )
                    if attempt == args.tries:
                        log.given_up += 1
                        break
                    # the page's re-apply: the kept edit merged by lot id onto the version now current
                    r0 = time.perf_counter()
                    rebase = edits.rebase_edit(store, LAYER, mine, base_version=base)
                    log.rebase_seconds.append(time.perf_counter() - r0)
                    based_on = rebase.current_version
                    continue
                except PlanError as exc:  # any other refusal (a lock held too long, a right): recorded, edit dropped
                    p1, w1 = time.perf_counter(), time.time()
                    log.attempts.append(
                        Attempt(
                            planner=name,
                            process=process,
                            edit=edit,
                            attempt=attempt,
                            lot=lot,
                            tenant=tenant,
                            base=based_on,
                            outcome="error",
                            new=None,
                            current=None,
                            t_start=w0,
                            t_end=w1,
                            seconds=p1 - p0,
                        )
                    )
                    log.errors.append(f"{name} edit {edit} try {attempt}: {exc.code}: {exc}")
                    break
                p1, w1 = time.perf_counter(), time.time()
                log.attempts.append(
                    Attempt(
                        planner=name,
                        process=process,
                        edit=edit,
                        attempt=attempt,
                        lot=lot,
                        tenant=tenant,
                        base=based_on,
                        outcome="saved",
                        new=saved.version,
                        current=None,
                        t_start=w0,
                        t_end=w1,
                        seconds=p1 - p0,
                    )
                )
                log.edit_seconds.append(p1 - first)
                break
    except Exception:
        log.errors.append(f"{name}: {traceback.format_exc()}")
    finally:
        log.finished = time.time()


def worker(where: str, names: list[str], process: int, args: argparse.Namespace, ready: Any, go: Any, out: Any) -> None:
    """One "app process": its own store object, one thread per planner, results sent back to the parent."""
    try:
        store = open_store(where if "://" in where else Path(where))
        tokens = []
        for name in names:
            actor = accounts.sign_in(store, name, password_of(name))
            tokens.append(accounts.start_session(store, actor).token)
        logs = {name: PlannerLog() for name in names}
        threads = [
            threading.Thread(
                target=run_planner,
                args=(store, name, token),
                kwargs={"process": process, "args": args, "go": go, "log": logs[name]},
                daemon=True,
            )
            for name, token in zip(names, tokens, strict=True)
        ]
        for t in threads:
            t.start()
        ready.put(process)
        for t in threads:
            t.join()
        _close(store)
        out.put((process, {n: asdict(log) for n, log in logs.items()}, None))
    except Exception:
        ready.put(process)
        out.put((process, {}, traceback.format_exc()))


# --- one backend ------------------------------------------------------------------------------------------------------


@dataclass
class Checks:
    versions: int = 0
    contiguous: bool = False
    one_version_per_save: bool = False
    skipped: int = 0  # successful saves whose new version is not base + 1
    overtaken: int = 0  # refused attempts another save of this run overtook
    overtaken_clearly: int = 0  # ... with that save already returned when the refused attempt began
    unjustified: list[str] = field(default_factory=list)
    bad_versions: list[str] = field(default_factory=list)  # a version not equal to its predecessor + its save
    undone: int = 0  # saved edits whose value a later save, which did not edit that lot, replaced
    missing: int = 0  # saves whose own change is not in the version they were told they wrote
    final_mismatches: list[str] = field(default_factory=list)
    audit_entries: int = 0
    audit_ok: bool = False

    @property
    def lost_updates(self) -> int:
        """Edits that a save reported as saved and that the history does not keep."""
        return self.undone + self.missing

    @property
    def sound(self) -> bool:
        return not (self.lost_updates or self.skipped or self.bad_versions or self.final_mismatches) and self.audit_ok


@dataclass
class Outcome:
    backend: str
    wall: float
    attempts: list[Attempt]
    logs: dict[str, PlannerLog]
    checks: Checks
    errors: list[str]

    @property
    def saved(self) -> list[Attempt]:
        return [a for a in self.attempts if a.outcome == "saved"]

    @property
    def refused(self) -> list[Attempt]:
        return [a for a in self.attempts if a.outcome == "conflict"]

    @property
    def edits_per_s(self) -> float:
        return len(self.saved) / self.wall if self.wall > 0 else 0.0


def run_backend(backend: str, where: str, args: argparse.Namespace) -> Outcome:
    names = set_up(where, args.planners, args.lots)
    ctx = mp.get_context("spawn")
    ready, out, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    shares = [names[i :: args.processes] for i in range(args.processes)]
    procs = [
        ctx.Process(target=worker, args=(where, share, i + 1, args, ready, go, out), daemon=True)
        for i, share in enumerate(shares)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=START_TIMEOUT_S)  # every planner signed in, its session started
    t0 = time.time()
    go.set()
    results: dict[int, dict[str, Any]] = {}
    errors: list[str] = []
    deadline = time.monotonic() + args.timeout
    while len(results) < len(procs):
        try:
            process, logs, error = out.get(timeout=max(1.0, deadline - time.monotonic()))
        except queue.Empty:
            errors.append(f"timed out after {args.timeout:g} s waiting for the app processes")
            break
        results[process] = logs
        if error:
            errors.append(f"app process {process}: {error}")
    for p in procs:
        p.join(timeout=10)
        if p.is_alive():
            p.terminate()
    plogs: dict[str, PlannerLog] = {}
    for logs in results.values():
        for name, raw in logs.items():
            raw["attempts"] = [Attempt(**a) for a in raw["attempts"]]
            plogs[name] = PlannerLog(**raw)
    attempts = sorted((a for log in plogs.values() for a in log.attempts), key=lambda a: a.t_start)
    errors += [e for log in plogs.values() for e in log.errors]
    ends = [log.finished for log in plogs.values() if log.finished]
    wall = (max(ends) if ends else time.time()) - t0
    store = open_store(where if "://" in where else Path(where))
    try:
        checks = check(store, attempts, args.lots)
    finally:
        _close(store)
    return Outcome(backend, wall, attempts, plogs, checks, errors)


def check(store: Store, attempts: list[Attempt], n_lots: int) -> Checks:
    """The store's final state against the attempts recorded, read back independently."""
    c = Checks()
    history = store.history(LAYER)
    numbers = [v.version for v in history]
    c.versions = len(numbers)
    c.contiguous = numbers == list(range(1, len(numbers) + 1))
    saved = [a for a in attempts if a.outcome == "saved"]
    by_version: dict[int, Attempt] = {}
    for a in saved:
        assert a.new is not None
        if a.new in by_version:
            c.bad_versions.append(f"version {a.new} reported to two saves")
        by_version[a.new] = a
        if a.new != a.base + 1:
            c.skipped += 1
    c.one_version_per_save = sorted(by_version) == numbers[1:] and len(saved) == len(numbers) - 1
    users = {v.version: v.user for v in history}
    for version, a in by_version.items():
        if users.get(version) != a.planner:
            c.bad_versions.append(f"version {version} by {users.get(version)!r}, reported to {a.planner}")
    for a in attempts:
        if a.outcome != "conflict":
            continue
        producer = by_version.get(a.base + 1)
        named_ok = a.current is not None and a.current > a.base and a.current in users
        if producer is not None and producer.t_start < a.t_end and named_ok:
            c.overtaken += 1
            c.overtaken_clearly += producer.t_end <= a.t_start
        else:
            c.unjustified.append(f"{a.planner} edit {a.edit} try {a.attempt}: base {a.base}, named {a.current}")
    # every version is its predecessor with exactly the one tenant its save wrote
    previous = store.read_version(LAYER, 1)
    expected = dict(zip(previous["id"].astype(str), previous["tenant"].astype(object), strict=True))
    geometry = previous.set_index(previous["id"].astype(str)).geometry
    attrs = [c for c in previous.columns if c != previous.geometry.name]
    holder: dict[str, int] = {}  # lot -> the version whose save wrote the tenant the lot holds now
    undone: set[int] = set()
    for version in numbers[1:]:
        frame = store.read_version(LAYER, version)
        a = by_version.get(version)
        if a is None:
            c.bad_versions.append(f"version {version}: no save of this run reported it")
            previous = frame
            continue
        mine = previous.set_index(previous["id"].astype(str))
        now = frame.set_index(frame["id"].astype(str))
        if sorted(now.index) != sorted(mine.index) or len(now) != n_lots:
            c.bad_versions.append(f"version {version}: the lots differ from version {version - 1}'s")
        else:
            now = now.loc[mine.index]
            changed = {
                (fid, col)
                for col in attrs
                for fid, x, y in zip(mine.index, mine[col].astype(object), now[col].astype(object), strict=True)
                if not (x == y or (_missing(x) and _missing(y)))
            }
            own = now.at[a.lot, "tenant"] == a.tenant
            for fid, _ in changed - {(a.lot, "tenant")}:
                if fid in holder:
                    undone.add(holder.pop(fid))
            c.missing += not own
            holder[a.lot] = version
            if changed != {(a.lot, "tenant")} or not own:
                c.bad_versions.append(f"version {version} ({a.planner}): changed {sorted(changed)[:4]}")
            if not bool(now.geometry.geom_equals_exact(geometry.loc[now.index], 1e-6).all()):
                c.bad_versions.append(f"version {version}: a geometry moved")
        expected[a.lot] = a.tenant
        previous = frame
    c.undone = len(undone)
    final = store.read_layer(LAYER)
    for fid, tenant in zip(final["id"].astype(str), final["tenant"].astype(object), strict=True):
        want = expected.get(fid)
        if not (tenant == want or (_missing(tenant) and _missing(want))):
            c.final_mismatches.append(f"{fid}: {tenant!r}, last saved {want!r}")
    audit = [e for e in store.audit(layer=LAYER) if e.action == "write_layer"]
    c.audit_entries = len(audit)
    c.audit_ok = len(audit) == len(numbers) and all(e.version_after == (e.version_before or 0) + 1 for e in audit)
    return c


def _missing(value: object) -> bool:
    if value is None:
        return True
    return np.ndim(value) == 0 and bool(pd.isna(value))


# --- printing ---------------------------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> str:
    """The ``q`` percentile of durations in seconds, as whole milliseconds ("n/a" for none)."""
    if not values:
        return "n/a"
    return f"{np.percentile(np.asarray(values) * 1000, q):.0f}"


def report(o: Outcome, args: argparse.Namespace) -> None:
    c = o.checks
    reads = sum(log.reads for log in o.logs.values())
    edits_total = args.planners * args.rounds
    given_up = sum(log.given_up for log in o.logs.values())
    lat_all = [a.seconds for a in o.attempts]
    lat_ok = [a.seconds for a in o.saved]
    lat_refused = [a.seconds for a in o.refused]
    edit_lat = [s for log in o.logs.values() for s in log.edit_seconds]
    read_lat = [s for log in o.logs.values() for s in log.read_seconds]
    rebase_lat = [s for log in o.logs.values() for s in log.rebase_seconds]
    detected = len(o.refused)
    caused = c.overtaken + c.skipped
    print(f"-- {o.backend}")
    print(
        f"wall {o.wall:.1f} s; {edits_total} edits tried, {len(o.saved)} saved, {given_up} given up after "
        f"{args.tries} refused attempts, {sum(a.outcome == 'error' for a in o.attempts)} ended by another error; "
        f"{len(o.attempts)} save attempts"
    )
    print(f"edits/s (successful saves / wall time): {o.edits_per_s:.1f}")
    print(
        f"save attempt latency (one use-case call): p50 {_pct(lat_all, 50)} ms, p95 {_pct(lat_all, 95)} ms "
        f"(saved p50 {_pct(lat_ok, 50)} / p95 {_pct(lat_ok, 95)} ms; refused p50 "
        f"{_pct(lat_refused, 50)} / p95 {_pct(lat_refused, 95)} ms)"
    )
    print(
        f"edit to saved, re-applies included: p50 {_pct(edit_lat, 50)} ms, p95 {_pct(edit_lat, 95)} ms; "
        f"re-apply merge (rebase_edit) p50 {_pct(rebase_lat, 50)} ms"
    )
    print(
        f"page reads/s (session + version + layer of {args.lots} lots): {reads / o.wall:.1f} ({reads} reads, "
        f"p50 {_pct(read_lat, 50)} ms, p95 {_pct(read_lat, 95)} ms)"
    )
    print(
        f"conflicts detected (refused, store.conflict): {detected}; conflicts caused (checked from the history): "
        f"{caused} = {c.overtaken} overtaken refusals ({c.overtaken_clearly} by a save already returned) + "
        f"{c.skipped} saves that skipped a version"
    )
    print(f"conflicts detected = caused: {'yes' if detected == caused and not c.unjustified else 'NO'}")
    for line in c.unjustified[:5]:
        print(f"  refused without a save in between: {line}")
    yes = {True: "yes", False: "NO"}
    print(
        f"lost updates (saved edits a later save undid, or never written): {c.lost_updates} (versions {c.versions}, "
        f"contiguous: {yes[c.contiguous]}, one per save: {yes[c.one_version_per_save]}; each version = previous + "
        f"its one tenant: {yes[not c.bad_versions]}; final layer = last saves: {yes[not c.final_mismatches]}; audit "
        f"entries {c.audit_entries}, one per version: {yes[c.audit_ok]})"
    )
    for line in (c.bad_versions + c.final_mismatches)[:5]:
        print(f"  {line}")
    for error in o.errors[:3]:
        print(f"  ERROR {error.strip()}")


# --- main -------------------------------------------------------------------------------------------------------------


def _drop_schema(url: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    from layers.postgis import split_store_url

    with psycopg.connect(split_store_url(url)[0], autocommit=True, connect_timeout=10) as con:
        con.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def _pg_reachable(url: str) -> str | None:
    """None when the database answers with PostGIS, else why not."""
    try:
        import psycopg

        from layers.postgis import split_store_url

        with psycopg.connect(split_store_url(url)[0], connect_timeout=5) as con:
            row = con.execute("SELECT to_regtype('geometry')").fetchone()
    except Exception as exc:  # any failure to connect is a reason to skip, printed
        return " ".join(str(exc).split())[:200] or type(exc).__name__
    return None if row and row[0] is not None else "the database has no PostGIS (CREATE EXTENSION postgis)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--planners", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=15, help="edits per planner (a bounded loop)")
    ap.add_argument("--processes", type=int, default=2, help='the "app processes" (OS processes)')
    ap.add_argument("--lots", type=int, default=200)
    ap.add_argument("--hot", type=int, default=10, help="lots in the hot set")
    ap.add_argument("--hot-share", type=float, default=0.5, help="share of edits made to a hot lot")
    ap.add_argument("--tries", type=int, default=5, help="save attempts per edit (the first and re-applies)")
    ap.add_argument("--think-ms", type=float, default=0.0, help="pause before each page read: uniform 0..this")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for a backend's run")
    ap.add_argument("--pg-url", default=os.environ.get("BAOYEN_TEST_PG_URL"), help="default $BAOYEN_TEST_PG_URL")
    ap.add_argument("--backend", choices=("both", "gpkg", "postgis"), default="both")
    args = ap.parse_args()
    args.processes = max(1, min(args.processes, args.planners))
    split = " + ".join(str(len(range(i, args.planners, args.processes))) for i in range(args.processes))
    print(
        f'{args.planners} planners in {args.processes} "app processes" (OS worker processes, multiprocessing spawn, '
        f"{split} planner threads) calling the use-case tier (services/: session_actor, save_layer, rebase_edit, "
        "save_rebased) as a Streamlit page does; no browser, no Streamlit server or websocket; loopback only"
    )
    print(
        f"{args.rounds} edits per planner (one lot's tenant; a hot set of {args.hot} lots {args.hot_share:.0%} of "
        f"the time), up to {args.tries} save attempts per edit, think time 0..{args.think_ms:g} ms; "
        f"layer of {args.lots} lots; {os.cpu_count()} CPUs"
    )
    outcomes: dict[str, Outcome] = {}
    if args.backend in ("both", "postgis"):
        why = "no PostgreSQL URL (set BAOYEN_TEST_PG_URL or give --pg-url)" if not args.pg_url else None
        if why is None:
            why = _pg_reachable(args.pg_url)
        if why is not None:
            print(f"-- PostGIS: not run: {why}")
        else:
            schema = f"bench_office_{uuid.uuid4().hex[:8]}"
            url = f"{args.pg_url}{'&' if '?' in args.pg_url else '?'}schema={schema}"
            try:
                outcomes["PostGIS"] = run_backend("PostGIS", url, args)
            finally:
                _drop_schema(args.pg_url, schema)
            report(outcomes["PostGIS"], args)
    if args.backend in ("both", "gpkg"):
        with tempfile.TemporaryDirectory(prefix="bench_office_") as tmp:
            outcomes["GeoPackage"] = run_backend("GeoPackage", str(Path(tmp) / "office.gpkg"), args)
        report(outcomes["GeoPackage"], args)
    if "PostGIS" in outcomes and "GeoPackage" in outcomes:
        pg, gp = outcomes["PostGIS"].edits_per_s, outcomes["GeoPackage"].edits_per_s
        ratio = f"{pg / gp:.2f}×" if gp > 0 else "n/a (no GeoPackage save)"
        print(f"ratio (edits/s, PostGIS ÷ GeoPackage, same run): {ratio}")
    else:
        print("ratio (edits/s, PostGIS ÷ GeoPackage): not measured (PostGIS half not run)")
    failed = [
        o.backend
        for o in outcomes.values()
        if o.errors or not o.checks.sound or o.checks.unjustified or not o.checks.contiguous
    ]
    if failed:
        print(f"FAILED checks: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

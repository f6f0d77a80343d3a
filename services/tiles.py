"""Vector tiles built in the background: which layer versions have tiles, which are being built, and how far.

A layer version's tiles are built when the app's watch (:meth:`TileBuilds.watch`, every second) sees a version
without tiles, or the first time a map needs them, whichever comes first (:meth:`TileBuilds.ensure`): after an
import, an edit, a restore, or another process writing the store, the build starts without waiting for a page.
The build runs in a thread of the app process that reads exactly the version it was asked for (not "the current
one", which may move meanwhile), has :func:`layers.tiles.build_tiles` write the file in a child process (GDAL's
writer holds the GIL: in the app's own process a 30,000-plot build stalled every other thread for 5.5 of its
5.8 s) and then deletes the files that version superseded. An edit that changed no shape and no attribute the
tiles carry (a tenant, an owner) needs no build: the file of the version before has the same content digest
(:func:`layers.tiles.content_digest`) and is linked under the new version's name. An edit that did (a lot
moved, a plot's species corrected) is patched into the file of the version before when it touches few tiles
(:func:`layers.tiles.patch_tiles`: GDAL encodes again only the tiles it reaches; the file is the one a full build
writes). One :class:`TileBuilds` serves
a whole process (the page keeps one per tiles folder); two processes over one store may both build a version,
each into its own temporary file, and the second rename wins with the same content.

GDAL reports no progress through pyogrio, so a build's progress is an estimate from its elapsed time and the
layer's size (:data:`SECONDS_PER_FEATURE`, measured on the project's two-core machine), never more than 95 %
until the file is there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd

from layers import tiles
from layers.store import Store, StoreError

#: the project's root: the build's child process imports this checkout's packages
REPO = Path(__file__).resolve().parents[1]
#: the build's process runs at this niceness: the pages and the browser on the same machine come first
BUILD_NICENESS = 10
#: measured: 100,000 plots in 19-24 s on the two shared cores (bench/bench_tiles.py)
SECONDS_PER_FEATURE = 2.2e-4
#: the estimate never says "done" before the file is there
MAX_ESTIMATE = 0.95
#: how often a watch (:meth:`TileBuilds.watch`) looks for layer versions without tiles
WATCH_EVERY_S = 1.0

State = Literal["ready", "building", "failed"]


@dataclass(frozen=True)
class TileStatus:
    """Where a layer version's tiles are: ``ready`` (the file ``name`` exists), ``building`` or ``failed``."""

    state: State
    layer_id: str
    version: int
    #: the file's name in the tiles folder (it exists when ``state`` is "ready")
    name: str
    features: int
    #: 0..1; an estimate from the elapsed time while building
    progress: float
    elapsed_s: float
    #: why a build failed (the exception's text)
    error: str = ""
    #: while building, the overview image the build has painted already (:func:`layers.tiles.pending_overview`)
    overview: tiles.Overview | None = None

    @property
    def ready(self) -> bool:
        return self.state == "ready"


@dataclass
class _Job:
    layer_id: str
    version: int
    features: int
    started: float
    thread: threading.Thread
    done: threading.Event
    error: str = ""
    seconds: float = 0.0
    #: the overview the build has painted, once it is found (:func:`layers.tiles.pending_overview`)
    overview: tiles.Overview | None = None


class TileBuilds:
    """The tile builds of one app process over one tiles folder (thread-safe)."""

    def __init__(
        self, tiles_dir: Path, *, seconds_per_feature: float = SECONDS_PER_FEATURE, standby: bool = False
    ) -> None:
        """Builds into ``tiles_dir``; ``standby``: keep a build process started ahead (:func:`start_standby`).

        With it, once a first build has ended, a process waits ready for the next: that build does not wait for a
        new Python to import GDAL, geopandas and rasterio (about a second of the first map after an edit).
        """
        self.tiles_dir = tiles_dir
        self.seconds_per_feature = seconds_per_feature
        self._lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}
        self._keep_standby = standby
        self._standby: subprocess.Popen[str] | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        #: the last exception a watch's check raised (its text), "" when the last check went through
        self.watch_error = ""
        #: (store, layer) -> (version, tile frame) of the last version built or reused: the next version's patch is
        #: compared with it instead of reading that version from the store again (one frame per large layer)
        self._shown: dict[tuple[str, str], tuple[int, gpd.GeoDataFrame]] = {}

    @property
    def standby_pid(self) -> int | None:
        """The process id of the build process started ahead, while one waits."""
        with self._lock:
            child = self._standby
        return child.pid if child is not None and child.poll() is None else None

    def watch(self, check: Callable[[], object], *, every_s: float = WATCH_EVERY_S) -> None:
        """Call ``check`` now and then every ``every_s`` seconds, in a thread of its own, until :meth:`close`.

        ``check`` looks for layer versions that have no tiles yet and starts their builds (:meth:`ensure`): so a
        version written by anyone (an import from the command line, another office's edit in the shared database)
        has its tiles built before a page asks for them. An exception from it is kept in :attr:`watch_error` and
        the next check runs as usual. One watch per instance: a second call changes nothing.
        """
        with self._lock:
            if self._watcher is not None or self._stop.is_set():
                return

            def loop() -> None:
                while not self._stop.is_set():
                    try:
                        check()
                        self.watch_error = ""
                    except Exception as exc:  # a thread's exception would vanish; the next check may go through
                        self.watch_error = f"{type(exc).__name__}: {exc}"
                    self._stop.wait(every_s)

            self._watcher = threading.Thread(target=loop, name="tiles-watch", daemon=True)
            self._watcher.start()

    def close(self) -> None:
        """End the watch and the build process started ahead, if any (a build under way runs to its end)."""
        self._stop.set()
        with self._lock:
            child, self._standby, self._keep_standby = self._standby, None, False
        if child is not None:  # it holds no job (a build takes it under the lock): nothing is lost
            child.kill()
            child.communicate()

    def path(self, name: str) -> Path:
        """The file of a status's ``name``."""
        return self.tiles_dir / name

    def ensure(
        self,
        store: Store,
        layer_id: str,
        version: int,
        *,
        columns: Sequence[str],
        features: int,
        frame: gpd.GeoDataFrame | None = None,
        palette: tiles.Palette | None = None,
    ) -> TileStatus:
        """The status of a layer version's tiles, starting their build when no file exists and none runs.

        ``columns`` are the attributes the tiles carry (:func:`layers.tiles.tile_columns`), ``features`` the number
        of located features (for the progress estimate). ``frame`` is that version when the caller holds it
        already (any CRS; it is not modified): the build then does not read it again. ``palette`` paints the
        layer's overview image (:func:`layers.tiles.build_overview`); without one none is made. A failed build is not
        retried by this process until the layer has a new version: the page shows the error instead.
        """
        name = tiles.tile_name(store.location, layer_id, version, columns)
        with self._lock:
            job = self._jobs.get(name)
            if job is None and self.path(name).is_file():
                return TileStatus("ready", layer_id, version, name, features, 1.0, 0.0)
            if job is None:
                job = self._start(store, layer_id, version, name, tuple(columns), features, frame, palette)
            return self._status(job, name)

    def wait(self, status: TileStatus, *, timeout_s: float) -> TileStatus:
        """Wait for the build behind ``status`` to end (or ``timeout_s``); its status then."""
        with self._lock:
            job = self._jobs.get(status.name)
        if job is not None:
            job.done.wait(timeout_s)
            with self._lock:
                return self._status(job, status.name)
        return status

    def wait_all(self, *, timeout_s: float) -> bool:
        """Wait until every build started so far has ended (or ``timeout_s``); True when none runs any more."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            job.done.wait(max(0.0, deadline - time.monotonic()))
        return all(job.done.is_set() for job in jobs)

    def _status(self, job: _Job, name: str) -> TileStatus:
        elapsed = time.monotonic() - job.started
        if job.done.is_set():
            if job.error:
                return TileStatus("failed", job.layer_id, job.version, name, job.features, 0.0, elapsed, job.error)
            return TileStatus("ready", job.layer_id, job.version, name, job.features, 1.0, job.seconds)
        expected = max(1.0, job.features * self.seconds_per_feature)
        progress = min(MAX_ESTIMATE, elapsed / expected)
        if job.overview is None:  # read until the build has painted it, then kept: it does not change
            job.overview = tiles.pending_overview(self.path(name))
        overview = job.overview
        return TileStatus("building", job.layer_id, job.version, name, job.features, progress, elapsed, "", overview)

    def _start(
        self,
        store: Store,
        layer_id: str,
        version: int,
        name: str,
        columns: tuple[str, ...],
        features: int,
        frame: gpd.GeoDataFrame | None,
        palette: tiles.Palette | None,
    ) -> _Job:
        done = threading.Event()
        thread = threading.Thread(
            target=self._run,
            args=(store, layer_id, version, name, columns, frame, palette),
            name=f"tiles-{layer_id}-v{version}",
            daemon=True,  # a build left behind at shutdown leaves only a temporary file, never a partial .pmtiles
        )
        job = _Job(layer_id, version, features, time.monotonic(), thread, done)
        self._jobs[name] = job
        thread.start()
        return job

    def _run(
        self,
        store: Store,
        layer_id: str,
        version: int,
        name: str,
        columns: tuple[str, ...],
        frame: gpd.GeoDataFrame | None,
        palette: tiles.Palette | None,
    ) -> None:
        with self._lock:
            job = self._jobs[name]
        try:
            if frame is None:
                frame = store.read_version(layer_id, version)
            shown = tiles.tile_frame(frame, columns)
            dest = self.path(name)
            digest = tiles.content_digest(shown, palette)
            if tiles.reuse_same_content(self.tiles_dir, store.location, layer_id, dest, digest):
                job.seconds = 0.0  # an edit that left the tiles as they were: the other version's file is this one
            else:
                with self._lock:
                    known = self._shown.get((store.location, layer_id))
                base, boxes = _patch_from(store, self.tiles_dir, layer_id, dest, columns, shown, known=known)
                with self._lock:
                    child, self._standby = self._standby, None
                try:
                    job.seconds = build_in_process(
                        shown,
                        dest,
                        columns=columns,
                        palette=palette,
                        standby=child,
                        base=base,
                        boxes=boxes,
                        digest=digest,
                    )
                finally:
                    with self._lock:  # the next one is started once this build is done: the two do not compete
                        if self._keep_standby and self._standby is None:
                            self._standby = start_standby()
            tiles.remove_superseded(self.tiles_dir, store.location, layer_id, dest)
            with self._lock:
                self._shown[(store.location, layer_id)] = (version, shown)
        except Exception as exc:  # a thread's exception would vanish: the page shows it instead
            job.error = f"{type(exc).__name__}: {exc}"
        finally:
            job.done.set()


def _patch_from(
    store: Store,
    tiles_dir: Path,
    layer_id: str,
    dest: Path,
    columns: tuple[str, ...],
    shown: gpd.GeoDataFrame,
    *,
    known: tuple[int, gpd.GeoDataFrame] | None = None,
) -> tuple[Path | None, list[tuple[float, float, float, float]] | None]:
    """The earlier version's tile file a build may patch, and where the two versions' tiles differ; else Nones.

    The earlier version is ``known`` (version, tile frame) when it is that one, else read from the store (history
    is never rewritten); the two are compared feature by feature (:func:`layers.tiles.changed_boxes`). A version
    the store no longer reads is built whole.
    """
    base = tiles.patch_base(tiles_dir, store.location, layer_id, dest, columns)
    version = tiles.file_version(base) if base is not None else None
    if base is None or version is None:
        return None, None
    if known is not None and known[0] == version and list(known[1].columns) == [*columns, "geometry"]:
        before = known[1]
    else:
        try:
            before = tiles.tile_frame(store.read_version(layer_id, version), columns)
        except (StoreError, ValueError):
            return None, None
    boxes = tiles.changed_boxes(before, shown)
    return (base, boxes) if boxes is not None else (None, None)


def _child_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    env[tiles.NICENESS_ENV] = str(BUILD_NICENESS)
    return env


def start_standby() -> subprocess.Popen[str]:
    """A build process started ahead of its job (``python -m layers.tiles standby``), at the builds' niceness.

    It imports what a build needs and waits for the job on its standard input (:func:`build_in_process`); when
    this process ends, its standard input closes and it ends too, having built nothing.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "layers.tiles", tiles.STANDBY],
        cwd=REPO,
        env=_child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def build_in_process(
    shown: gpd.GeoDataFrame,
    dest: Path,
    *,
    columns: Sequence[str],
    palette: tiles.Palette | None = None,
    standby: subprocess.Popen[str] | None = None,
    base: Path | None = None,
    boxes: Sequence[Sequence[float]] | None = None,
    digest: str | None = None,
) -> float:
    """Build the tiles of ``shown`` into ``dest`` in a Python process of its own (``python -m layers.tiles``).

    ``shown`` is a :func:`layers.tiles.tile_frame`. GDAL's writer holds the GIL through pyogrio: in a thread of the
    app it stalls every page (the progress bar too) for the whole build. The frame goes to the child as Arrow IPC
    (:func:`layers.tiles.write_frame`), already in EPSG:4326 with its tile columns. ``standby`` is a process
    started ahead (:func:`start_standby`) that takes the job, when it is still there; else a new one is started
    and given it. With ``base`` (an earlier
    version's tile file) and ``boxes`` (where the tiles differ), the child patches that file when it can
    (:func:`layers.tiles.patch_tiles`; ``digest``, the frame's content digest, is not computed again there).
    Returns the build's seconds; raises ``RuntimeError`` with the child's error when it fails.
    """
    with tempfile.TemporaryDirectory(prefix="baoyen-tiles-") as tmp:
        src = Path(tmp) / tiles.FRAME_FILE
        tiles.write_frame(shown, src)
        if palette is not None:
            (Path(tmp) / tiles.PALETTE_FILE).write_text(json.dumps(palette.to_json()), encoding="utf-8")
        if standby is None or standby.poll() is not None:
            if standby is not None:
                standby.communicate()  # it has gone (killed): its pipes are closed and a new process builds
            standby = start_standby()
        job: dict[str, object] = {"frame": str(src), "dest": str(dest), "columns": list(columns)}
        if base is not None and boxes is not None:
            job |= {"base": str(base), "boxes": [list(box) for box in boxes], "digest": digest}
        stdout, stderr = standby.communicate(json.dumps(job) + "\n")
        code = standby.returncode
    if code != 0:
        raise RuntimeError(f"the tile build failed: {stderr.strip().splitlines()[-1:] or code}")
    return float(json.loads(stdout.strip().splitlines()[-1])["seconds"])


def build_now(
    store: Store, layer_id: str, tiles_dir: Path, *, columns: Sequence[str], palette: tiles.Palette | None = None
) -> tiles.TileFile:
    """Build the current version's tiles in this thread (benchmarks, tests, scripts) and remove superseded files."""
    version = store.current_version(layer_id)
    frame = store.read_version(layer_id, version)
    dest = tiles_dir / tiles.tile_name(store.location, layer_id, version, columns)
    shown = tiles.tile_frame(frame, columns)
    if tiles.reuse_same_content(tiles_dir, store.location, layer_id, dest, tiles.content_digest(shown, palette)):
        written = tiles.TileFile(dest, len(shown), 0.0, dest.stat().st_size, tiles.file_overview(dest))
    else:
        written = tiles.build_tiles(shown, dest, columns=columns, palette=palette)
    tiles.remove_superseded(tiles_dir, store.location, layer_id, written.path)
    return written

"""Build the store from the project's authored data (``data/``), idempotently.

- A new store is built in a temporary file beside the target and moved into place in one rename, so a
  half-built store never exists under the real name. A PostGIS store (a ``postgresql://`` URL) is built inside
  its database instead, in one transaction: a build that fails leaves the store as it was.
- An existing store is synchronised: an authored layer is rewritten only when its content changed, and
  never when the current version came from an import (a planner's real data is not replaced by the
  project's schematic data). Tables that start empty (actuals, edit logs) are created once and then left
  to the planners.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from geo.errors import StoreError
from layers.settings import Settings
from layers.store import SYSTEM_USER, Store, content_hash, create_store, open_store

#: bump when the build logic changes in a way that must rewrite stores built by older code
BUILD_VERSION = "1"
DATA_HASH_KEY = "data_hash"


@dataclass
class BuildReport:
    """What a build or synchronisation did."""

    store: str
    created: bool = False
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_imported: list[str] = field(default_factory=list)
    tables_written: list[str] = field(default_factory=list)
    tables_kept: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "store": self.store,
            "created": self.created,
            "layers_written": self.written,
            "layers_unchanged": self.unchanged,
            "layers_kept_imported": self.kept_imported,
            "tables_written": self.tables_written,
            "tables_kept": self.tables_kept,
        }


def data_hash(data_dir: Path) -> str:
    """Hash of every file under ``data_dir`` (names and bytes) and of the build logic version."""
    h = hashlib.sha256(BUILD_VERSION.encode())
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(data_dir)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def sync_store(store: Store, data_dir: Path, *, user: str, report: BuildReport | None = None) -> BuildReport:
    """Write the authored layers and tables that changed into ``store``; keep imported layers."""
    from layers.authored import load_all
    from layers.plan_data import load_tables

    report = report or BuildReport(store=store.location)
    for layer_id, frame in load_all(data_dir).items():
        if store.has_layer(layer_id):
            origin, digest = store.latest_origin(layer_id)
            if origin != "authored":
                report.kept_imported.append(layer_id)
                continue
            if digest == content_hash(frame.to_crs(epsg=store.srs_epsg)):
                report.unchanged.append(layer_id)
                continue
        store.write_layer(layer_id, frame, user=user, message="built from the project's data/", origin="authored")
        report.written.append(layer_id)
    existing = set(store.table_names())
    for name, table in load_tables(data_dir).items():
        key = f"table_hash:{name}"
        digest = content_hash(table)
        if name in existing and (table.empty or store.get_meta(key) == digest):
            # empty authored tables are append-only histories: never replace what planners recorded
            report.tables_kept.append(name)
            continue
        store.write_table(name, table, user=user, message="built from the project's data/")
        store.set_meta(key, digest, user=user)
        report.tables_written.append(name)
    store.set_meta(DATA_HASH_KEY, data_hash(data_dir), user=user)
    return report


def build_store(path: Path, data_dir: Path, *, user: str) -> BuildReport:
    """Build a new store at ``path`` from ``data_dir`` (temporary file, then one atomic rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    try:
        store = create_store(tmp)
        report = sync_store(store, data_dir, user=user, report=BuildReport(store=str(path), created=True))
        os.replace(tmp, path)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    return report


def _sync_database(
    url: str, data_dir: Path, *, user: str, create: bool, always: bool
) -> tuple[Store, BuildReport | None]:
    """Open the PostGIS store of ``url`` (with ``create``, made when missing) and sync it in one transaction.

    Unless ``always``, nothing is synchronised when the store was built from this very data/ (its hash).
    """
    store = create_store(url) if create else open_store(url)
    created = bool(getattr(store, "created", False))
    if not always and not created and store.get_meta(DATA_HASH_KEY) == data_hash(data_dir):
        return store, None
    with store.batch():  # the write lock first: what sync decides from stays true until it commits
        report = sync_store(store, data_dir, user=user, report=BuildReport(store=store.location, created=created))
    return store, report


def init_store(settings: Settings) -> BuildReport:
    """``baoyen init``: build the store if missing, else bring its authored data up to date."""
    if settings.store_url is not None:
        user = settings.user or SYSTEM_USER
        report = _sync_database(settings.store_url, settings.data_dir, user=user, create=True, always=True)[1]
        assert report is not None
        return report
    path = Path(settings.store_path)
    if not path.exists():
        return build_store(path, settings.data_dir, user=settings.user or SYSTEM_USER)
    return sync_store(open_store(path), settings.data_dir, user=settings.user or SYSTEM_USER)


def ensure_store(settings: Settings, *, create: bool = True) -> Store:
    """Open the store, building it first when it is missing and syncing it when data/ has changed."""
    if settings.store_url is not None:  # without ``create`` a store that is not there is refused, not made
        url = settings.store_url
        return _sync_database(url, settings.data_dir, user=settings.user or SYSTEM_USER, create=create, always=False)[0]
    path = Path(settings.store_path)
    if not path.exists():
        if not create:
            raise StoreError(
                f"no store at {path}; build the project store first or choose another store path",
                code="store.missing",
                path=str(path),
            )
        build_store(path, settings.data_dir, user=settings.user or SYSTEM_USER)
        return open_store(path)
    store = open_store(path)
    if store.get_meta(DATA_HASH_KEY) != data_hash(settings.data_dir):
        sync_store(store, settings.data_dir, user=settings.user or SYSTEM_USER)
    return store

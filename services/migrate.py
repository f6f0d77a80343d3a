"""Copy a whole store into an empty one: GeoPackage to PostGIS, PostGIS to GeoPackage, or file to file.

Everything is copied as the source recorded it: every layer with all its versions (who wrote each, when, why,
its origin, feature count, content hash and column kinds — nothing is re-dated or re-hashed), every plain table
with its write log, the store's settings and its audit trail (every entry as it was, then one entry for the
copy). The target must be empty; a target that holds anything is refused before anything is written.

A GeoPackage target is built in a temporary file beside it and moved into place in one rename; a PostGIS target
is written in one transaction. Either way a copy that fails leaves the target as it was (a database where the
store's schema had to be created keeps it, empty). The source is read under
its write lock where it has one (PostGIS), so nobody's save lands half-way through the copy.

A DEM is kept as files beside a GeoPackage (:mod:`services.terrain`): it is copied to a GeoPackage target; a
PostGIS store keeps no rasters yet, so there its versions are left out and the report names them.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import InputDataError
from layers.settings import is_store_url
from layers.store import Store, audit_entry, create_store, open_store
from services.accounts import require
from services.context import Actor
from services.terrain import DEM_META, raster_dir


@dataclass(frozen=True)
class MigrationReport:
    """What a copy copied: layers (with their number of versions), tables (rows), settings, and what it left out."""

    source: str
    target: str
    layers: dict[str, int] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    settings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    #: user accounts copied, by name (with their grants; sessions are not)
    accounts: list[str] = field(default_factory=list)

    @property
    def versions(self) -> int:
        """Versions copied, all layers together."""
        return sum(self.layers.values())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "source": self.source,
            "target": self.target,
            "layers": self.layers,
            "versions": self.versions,
            "tables": self.tables,
            "settings": self.settings,
            "accounts": self.accounts,
            "left_out": self.left_out,
        }


def _has_rasters(store: Store) -> bool:
    """Whether the store keeps rasters beside it (a GeoPackage file does; PostGIS does not yet)."""
    return getattr(store, "path", None) is not None


def _same(source: Store, target: str | Path) -> bool:
    """Whether ``target`` names the source store (a URL is compared as shown, without its password)."""
    if is_store_url(target):
        return source.location == _shown(str(target))
    path = getattr(source, "path", None)
    return path is not None and Path(path).resolve() == Path(target).resolve()


def _shown(url: str) -> str:
    from layers.postgis import split_store_url

    return split_store_url(url)[2]


def _refuse_unless_empty(target: Store, shown: str) -> None:
    layers, tables, settings = target.layer_ids(), target.table_names(), target.meta_items()
    if layers or tables or settings:
        raise InputDataError(
            f"the target store {shown} is not empty ({len(layers)} layer(s), {len(tables)} table(s), "
            f"{len(settings)} setting(s)); copy only into an empty store",
            code="migrate.target_not_empty",
            target=shown,
            layers=len(layers),
            tables=len(tables),
            settings=len(settings),
        )


def _copy(source: Store, target: Store, report: MigrationReport, *, user: str) -> None:
    """Copy every layer version, table, setting and audit entry of ``source`` into the empty ``target``."""
    if target.srs_epsg != source.srs_epsg:
        raise InputDataError(
            f"the target store {target.location} keeps its layers in EPSG:{target.srs_epsg}, the source in "
            f"EPSG:{source.srs_epsg}; copy into an empty store in EPSG:{source.srs_epsg}",
            code="migrate.crs_differs",
            target=target.location,
            target_epsg=target.srs_epsg,
            source_epsg=source.srs_epsg,
        )
    _refuse_unless_empty(target, target.location)
    for layer_id in source.layer_ids():
        records = source.version_records(layer_id)
        for record in records:
            target.write_version(record, source.read_version(layer_id, record.version))
        report.layers[layer_id] = len(records)
    for name in source.table_names():
        frame = source.read_table(name)
        target.write_table_records(name, frame, source.table_records(name))
        report.tables[name] = len(frame)
    settings: dict[str, str] = {}
    for key, value in source.meta_items().items():
        if key == DEM_META and not _has_rasters(target):
            report.left_out.append(key)
            continue
        settings[key] = value
        report.settings.append(key)
    if settings:
        target.write_meta_items(settings)
    target.accounts().copy_from(source.accounts())  # users and grants; sessions stay behind
    report.accounts.extend(u.name for u in source.accounts().users())
    # the copied writes are recorded by the copied entries; the copy itself by one entry of its own
    copied = audit_entry(
        "migrate",
        None,
        user=user,
        summary=f"copied from {source.location}: {len(report.layers)} layer(s), {report.versions} version(s), "
        f"{len(report.tables)} table(s), {len(report.settings)} setting(s)",
    )
    target.append_audit([*source.audit(), copied])


def _copy_rasters(source: Store, final: Path) -> None:
    """The DEM files beside a GeoPackage source, beside the GeoPackage target ``final``."""
    if not _has_rasters(source) or not source.get_meta(DEM_META):
        return
    folder = raster_dir(source)
    if folder.is_dir():
        shutil.copytree(folder, final.with_name(final.name + ".rasters"), dirs_exist_ok=True)


def migrate_store(source: str | Path, target: str | Path, *, actor: Actor) -> MigrationReport:
    """Copy the whole store at ``source`` into the empty store at ``target`` (a file path or a PostGIS URL).

    Parameters
    ----------
    source
        An existing store: a GeoPackage path or a ``postgresql://`` URL.
    target
        An empty store, or a GeoPackage path where there is none yet, or the URL of a database (the store's
        schema is created there when missing).
    actor
        Who copies: an administrator of the source (signed in there); named by the target's audit entry for the copy.

    Returns
    -------
    MigrationReport
        Layers with their number of versions, tables with their rows, the settings copied and any left out.

    Raises
    ------
    InputDataError
        ``migrate.target_not_empty`` when the target holds anything, ``migrate.same_store`` when it is the source,
        ``migrate.crs_differs`` when an existing empty target keeps another CRS. Nothing is written then.
    """
    src = open_store(source if is_store_url(source) else Path(source))
    require(src, actor, "admin", None)
    user = actor.user
    if _same(src, target):
        raise InputDataError(
            f"the source and the target are the same store ({src.location}); choose another target",
            code="migrate.same_store",
            target=src.location,
        )
    with src.batch():  # PostGIS: the source's write lock, so the copy is of one moment
        if is_store_url(target):
            dest = create_store(str(target), srs_epsg=src.srs_epsg)
            report = MigrationReport(source=src.location, target=dest.location)
            with dest.batch():  # one transaction: all copied, or nothing
                _copy(src, dest, report, user=user)
            return report
        return _migrate_to_file(src, Path(target), user=user)


def _migrate_to_file(src: Store, path: Path, *, user: str) -> MigrationReport:
    """Copy into a GeoPackage built beside ``path`` and moved into place in one rename."""
    if path.exists():
        _refuse_unless_empty(open_store(path), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.migrating-{os.getpid()}")
    leftovers = (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    report = MigrationReport(source=src.location, target=str(path))
    try:
        dest = create_store(tmp, srs_epsg=src.srs_epsg)
        _copy(src, dest, report, user=user)
        _copy_rasters(src, path)
        for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):  # of an empty store the copy replaces
            stale.unlink(missing_ok=True)
        os.replace(tmp, path)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
    return report

"""Planners' files in and out, and the store's versions: validate, import, export, save, history, restore.

``validate_file`` runs exactly what ``import_file`` runs, without writing. Every write names the acting user and
the version of the layer it was based on; a layer that moved on in between refuses the write
(:class:`layers.store.VersionConflictError`) and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.errors import InputDataError
from geo.io import MissingCRSError
from geo.limits import Limits
from layers.export import ExportResult, export_layer
from layers.importer import ImportPreview, prepare_import
from layers.store import AuditEntry, LayerVersion, Store, check_layer_id
from services.accounts import require
from services.context import Actor
from services.inputs import CrsChoice, parse_day

#: the layer a file is checked against when validation names no target layer
FREE_LAYER = "validated_file"


def validate_file(
    path: str | Path,
    *,
    target: str | None = None,
    crs: CrsChoice | None = None,
    source_layer: str | None = None,
    mapping: Mapping[str, str] | None = None,
    geom_quality: str | None = None,
    limits: Limits | None = None,
    label: str | None = None,
) -> ImportPreview:
    """Read, check and map a file as an import into ``target`` would, without writing anything.

    Raises
    ------
    MissingCRSError
        The file declares no CRS and ``crs`` assumes none (it carries the guess for the person to confirm).
    PlanError
        Unreadable, unsafe or unusable files.
    """
    crs = crs or CrsChoice()
    layer_id = check_layer_id(target) if target else FREE_LAYER
    options: dict[str, Any] = {
        "source_layer": source_layer,
        "mapping": dict(mapping) if mapping is not None else None,
        "limits": limits,
    }
    if geom_quality is not None:
        options["geom_quality"] = geom_quality
    if label is not None:
        options["label"] = label
    try:
        return prepare_import(path, layer_id, crs=crs.first_try(), **options)
    except MissingCRSError:
        if crs.assume is None:
            raise
        return prepare_import(path, layer_id, crs=crs.assume, **options)


@dataclass(frozen=True)
class ImportResult:
    """A stored import: the preview it came from and the new version."""

    preview: ImportPreview
    version: int
    user: str

    def to_dict(self) -> dict[str, Any]:
        """The preview's summary and the new version (the keys of the import JSON)."""
        return {**self.preview.to_dict(), "version": self.version}


def import_preview(
    store: Store, preview: ImportPreview, *, actor: Actor, base_version: int | None, message: str = ""
) -> ImportResult:
    """Store a checked preview as the new version of its layer, in one transaction.

    Raises
    ------
    InputDataError
        When the preview has problems (nothing is written).
    VersionConflictError
        When the layer is no longer at ``base_version``.
    """
    if not preview.ok:
        raise InputDataError(
            f"{preview.source} cannot be imported into {preview.layer_id}: {preview.errors[0]}"
            + (f" (and {len(preview.errors) - 1} more problems)" if len(preview.errors) > 1 else ""),
            code="import.blocked",
            source=preview.source,
            layer=preview.layer_id,
            first=preview.errors[0],
            more=len(preview.errors) - 1,
        )
    require(store, actor, "w", preview.layer_id)
    version = store.write_layer(
        preview.layer_id,
        preview.frame,
        user=actor.user,
        message=message or f"import {preview.source}",
        origin="imported",
        base_version=base_version,
    )
    return ImportResult(preview, version, actor.user)


def current_version(store: Store, layer_id: str) -> int:
    """The layer's current version, 0 when the store does not hold it (the base of a first write)."""
    return store.current_version(layer_id) if store.has_layer(layer_id) else 0


@dataclass(frozen=True)
class SavedLayer:
    """A layer written by a use case: its id, new version, who wrote it, how many features it holds."""

    layer_id: str
    version: int
    user: str
    features: int
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "layer": self.layer_id,
            "version": self.version,
            "user": self.user,
            "features": self.features,
            **self.extra,
        }


def save_layer(
    store: Store,
    layer_id: str,
    frame: gpd.GeoDataFrame,
    *,
    actor: Actor,
    base_version: int | None,
    message: str,
    origin: str = "edited",
) -> SavedLayer:
    """Save an edited layer as a new version; refused when someone saved it after ``base_version``."""
    require(store, actor, "w", layer_id)
    version = store.write_layer(
        layer_id, frame, user=actor.user, message=message, origin=origin, base_version=base_version
    )
    return SavedLayer(layer_id, version, actor.user, len(frame))


@dataclass(frozen=True)
class History:
    """The versions of one layer, oldest first."""

    layer_id: str
    versions: tuple[LayerVersion, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"layer": ..., "versions": [...]}``."""
        return {"layer": self.layer_id, "versions": [asdict(v) for v in self.versions]}


def layer_history(store: Store, layer_id: str) -> History:
    """Every stored version of a layer (who, when, why)."""
    return History(layer_id, tuple(store.history(layer_id)))


@dataclass(frozen=True)
class Restored:
    """A restore: the version copied and the new current version."""

    layer_id: str
    restored: int
    version: int
    user: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def restore_version(store: Store, layer_id: str, version: int, *, actor: Actor, base_version: int | None) -> Restored:
    """Make an earlier version current again, kept as a new version (history is never rewritten).

    Needs the right to administer the layer (``a``: an admin, or a grant of it).
    """
    require(store, actor, "a", layer_id)
    new = store.restore(layer_id, int(version), user=actor.user, base_version=base_version)
    return Restored(layer_id, int(version), new, actor.user)


@dataclass(frozen=True)
class AuditTrail:
    """The store's audit entries (every change, who made it, when, the versions around it), oldest first."""

    entries: tuple[AuditEntry, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"entries": [{"at", "user", "action", "layer", "version_before", ...}, ...]}``."""
        return {"entries": [e.to_dict() for e in self.entries]}


def audit_trail(store: Store, *, layer: str | None = None, since: str | dt.date | None = None) -> AuditTrail:
    """The audit trail of the store, of one layer, table or setting when ``layer`` names it.

    ``since`` is the first day shown (``2025-12-31`` or ``31/12/2025``, a day in UTC as the entries are stamped).
    """
    day = parse_day(since, what="since")
    return AuditTrail(tuple(store.audit(layer=layer, since=None if day is None else day.isoformat())))


def export(store: Store, layer_id: str, fmt: str, out: str | Path, *, crs: str | None = None) -> ExportResult:
    """Write a layer to ``out`` (gpkg with QGIS styles, zipped shp, geojson, kml, csv, xlsx) in ``crs``.

    ``out`` names a file in an existing folder. The store itself (and its -wal and -shm files), a folder or a
    device are refused; the file is written in full under a temporary name and then renamed over ``out``, and
    an existing file replaced so is named in the result's warnings.
    """
    check_layer_id(layer_id)
    target = Path(out)
    if not target.parent.is_dir():
        raise InputDataError(
            f"folder {target.parent} does not exist; create it or choose another output file",
            code="export.no_folder",
            folder=str(target.parent),
        )
    return export_layer(store, layer_id, fmt, target, crs=crs)


@dataclass(frozen=True)
class LayerRow:
    """One layer of the store as the listing shows it."""

    id: str
    title: str
    group: str | None
    features: int
    version: int | None
    origin: str | None
    geom_quality: dict[str, int]


@dataclass(frozen=True)
class LayerListing:
    """The catalogue's layers (held or not), then the layers imported under ids the catalogue does not know."""

    rows: tuple[LayerRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """``{"layers": [...]}`` with the keys of the layers JSON."""
        return {"layers": [asdict(r) for r in self.rows]}


def list_layers(store: Store, *, lang: str = "vi") -> LayerListing:
    """Id, title, feature count, version, origin and geometry-quality mix of every layer.

    A held layer's title says what its stored data is worth ("… (sơ đồ)", :meth:`layers.model.LayerDef.title`).
    """
    from layers.catalogue import CATALOGUE

    infos = {i.layer_id: i for i in store.layer_info()}
    rows = []
    for layer in CATALOGUE:
        info = infos.pop(layer.id, None)
        rows.append(
            LayerRow(
                layer.id,
                layer.title(lang, dict(info.quality_mix)) if info else layer.title(lang),
                layer.group,
                info.features if info else 0,
                info.version if info else None,
                info.origin if info else None,
                dict(info.quality_mix) if info else {},
            )
        )
    for info in infos.values():
        rows.append(
            LayerRow(
                info.layer_id, info.layer_id, None, info.features, info.version, info.origin, dict(info.quality_mix)
            )
        )
    return LayerListing(tuple(rows))

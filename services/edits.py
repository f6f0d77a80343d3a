"""No lost edits: an edit refused because the layer moved on is re-applied on the current version, feature by feature.

When a save is refused (:class:`layers.store.VersionConflictError`: someone saved the layer after the version the
edit was made on), the person's frame is kept by the page or the command. :func:`rebase_edit` merges it into the
current version (:func:`geo.merge.merge_features`, by feature id, never by row position) and says who changed the
layer and when; :func:`save_rebased` writes the merge, each conflicting feature as the person chose, through
:func:`services.data.save_layer` (so every rule of a save applies), based on the version the merge was made on.
:func:`changes_since` is who wrote which versions after a given one (an import asks again with it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import geopandas as gpd

from geo.crs import WORK_CRS
from geo.merge import MINE, THEIRS, Merge, merge_features
from layers.store import LayerVersion, Store
from services.context import Actor
from services.data import SavedLayer, save_layer


@dataclass(frozen=True)
class LayerChanges:
    """The versions of a layer written after ``base_version``, oldest first, up to ``current_version``."""

    layer_id: str
    base_version: int
    current_version: int
    versions: tuple[LayerVersion, ...]

    @property
    def changed(self) -> bool:
        """True when the layer is no longer at ``base_version``."""
        return self.current_version != self.base_version

    @property
    def changed_by(self) -> str:
        """Who wrote the current version ("" when nothing was written since ``base_version``)."""
        return self.versions[-1].user if self.versions else ""

    @property
    def changed_at(self) -> str:
        """When the current version was written (ISO 8601, UTC, as the store stamps it; "" when unchanged)."""
        return self.versions[-1].written_at if self.versions else ""

    @property
    def users(self) -> tuple[str, ...]:
        """Everyone who wrote a version since ``base_version``, in the order of their first version."""
        return tuple(dict.fromkeys(v.user for v in self.versions))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "layer": self.layer_id,
            "base_version": self.base_version,
            "current_version": self.current_version,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at,
            "versions": [asdict(v) for v in self.versions],
        }


def changes_since(store: Store, layer_id: str, base_version: int) -> LayerChanges:
    """Who wrote which versions of ``layer_id`` after ``base_version`` (0: the layer did not exist yet)."""
    if not store.has_layer(layer_id):
        return LayerChanges(layer_id, int(base_version), 0, ())
    history = store.history(layer_id)
    current = next((v.version for v in history if v.current), 0)
    newer = tuple(v for v in history if int(base_version) < v.version <= current)
    return LayerChanges(layer_id, int(base_version), current, newer)


@dataclass(frozen=True)
class Rebase:
    """An edit made on ``base_version``, merged into ``current_version`` (written by ``changed_by`` at ``changed_at``).

    ``merge.applied`` are the features whose change applies cleanly, ``merge.conflicts`` those the other writer
    changed too (each with its base, mine and theirs rows).
    """

    layer_id: str
    base_version: int
    current_version: int
    changes: LayerChanges
    merge: Merge

    @property
    def changed_by(self) -> str:
        """Who wrote the current version."""
        return self.changes.changed_by

    @property
    def changed_at(self) -> str:
        """When the current version was written (ISO 8601, UTC)."""
        return self.changes.changed_at

    @property
    def clean(self) -> bool:
        """True when nothing conflicts: the whole edit applies on the current version."""
        return self.merge.clean

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the versions, who changed the layer and when, the applied ids and the conflicts."""
        return {
            "layer": self.layer_id,
            "base_version": self.base_version,
            "current_version": self.current_version,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at,
            "versions": [asdict(v) for v in self.changes.versions],
            **self.merge.to_dict(),
        }


def rebase_edit(store: Store, layer_id: str, mine: gpd.GeoDataFrame, *, base_version: int, key: str = "id") -> Rebase:
    """Merge ``mine``, an edit of ``layer_id`` made on ``base_version``, into the layer's current version.

    Parameters
    ----------
    store
        The project store.
    layer_id
        The layer edited.
    mine
        The whole layer as the person wants to save it.
    base_version
        The version the edit was made on (0: the layer did not exist yet).
    key
        The column of the features' ids.

    Returns
    -------
    Rebase
        The merge, the current version it was made on, and who wrote that version and when.

    Raises
    ------
    PlanError
        The base version is not in the layer's history, or a frame's ids are missing or repeated.
    """
    crs = mine.crs if mine.crs is not None else WORK_CRS
    changes = changes_since(store, layer_id, base_version)
    current = changes.current_version
    if base_version:
        base = store.read_version(layer_id, int(base_version), crs=crs)
    else:
        base = gpd.GeoDataFrame({key: []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    if current:
        # the version named, not "the current one": a write in between cannot mix into this merge
        theirs = store.read_version(layer_id, current, crs=crs)
    else:
        theirs = gpd.GeoDataFrame({key: []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    merged = merge_features(base, mine, theirs, key=key)
    return Rebase(layer_id, int(base_version), current, changes, merged)


@dataclass(frozen=True)
class RebaseSaved:
    """A re-applied edit written: the new version, the changes applied, the conflicts kept as mine or as theirs."""

    saved: SavedLayer
    base_version: int
    applied: tuple[str, ...]
    kept_mine: tuple[str, ...]
    kept_theirs: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the saved layer's keys, plus the ids applied and kept."""
        return {
            **self.saved.to_dict(),
            "base_version": self.base_version,
            "applied": list(self.applied),
            "kept_mine": list(self.kept_mine),
            "kept_theirs": list(self.kept_theirs),
        }


def save_rebased(
    store: Store,
    layer_id: str,
    rebase: Rebase,
    choices: Mapping[str, str],
    *,
    actor: Actor,
    message: str,
    origin: str = "edited",
) -> RebaseSaved:
    """Write ``rebase`` as the new version of ``layer_id``, each conflict as ``choices[id]`` ("mine" or "theirs").

    A conflict without a choice keeps theirs (the current version's feature): nobody's work is replaced without
    the person saying so. The write is based on ``rebase.current_version``: when someone saved again since,
    it is refused (:class:`layers.store.VersionConflictError`) and the edit can be rebased again.

    Raises
    ------
    InputDataError
        A choice for a feature that is not in conflict, or a side other than "mine" or "theirs".
    VersionConflictError
        The layer moved on since the rebase.
    """
    if layer_id != rebase.layer_id:
        raise ValueError(f"the rebase is of layer {rebase.layer_id!r}, not {layer_id!r}")
    frame = rebase.merge.resolve(choices)
    saved = save_layer(
        store,
        layer_id,
        frame,
        actor=actor,
        base_version=rebase.current_version,
        message=message,
        origin=origin,
    )
    mine = tuple(c.id for c in rebase.merge.conflicts if choices.get(c.id) == MINE)
    theirs = tuple(c.id for c in rebase.merge.conflicts if choices.get(c.id, THEIRS) == THEIRS)
    return RebaseSaved(saved, rebase.current_version, rebase.merge.applied, mine, theirs)

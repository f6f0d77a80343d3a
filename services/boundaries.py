"""Real commune boundaries in place of the schematic cells: one use case for the Data page and the command.

The boundary file is matched to the 17 official legacy units (by code, else by name); every layer the project
built from the schematic cells is re-derived from the matched polygons: the 2025 communes (unions of their
legacy units) and the plan's raw-material zones (unions of their communes; the district totals the whole
district, which replaces the rounded schematic outline). All of them are written in **one** transaction, based
on the versions the person saw, so no derived layer can be left behind the communes (docs/DECISIONS.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd

from geo.errors import InputDataError
from geo.limits import Limits
from layers.authored import rederive_plan_zones
from layers.boundaries import BoundaryMatch, match_boundaries
from layers.model import GEOM_QUALITY_LABELS
from layers.store import LayerWrite, Store
from layers.successors import rebuild_2025
from services.accounts import require
from services.context import Actor
from services.inputs import CrsChoice, read_input

LEGACY = "communes_legacy"
UNITS_2025 = "communes_2025"
#: the plan's raw-material zones: unions of commune cells and the schematic district, re-derived on import
PLAN_ZONES = "material_zones_plan"
#: every layer a boundary import writes, in the order of the transaction
DERIVED_LAYERS: tuple[str, ...] = (LEGACY, UNITS_2025, PLAN_ZONES)
#: origin of a layer version the import re-derived from the boundaries (not "authored": a rebuild of the
#: store from data/ must not put the schematic shapes back over it)
DERIVED_ORIGIN = "derived"
#: location note of a unit whose real boundary was imported (``{source}``; ``{quality}`` in words,
#: :data:`IMPORTED_QUALITY`), in Vietnamese only like all the project's data text (docs/DECISIONS.md)
IMPORTED_NOTE = "Ranh giới lấy từ {source}, chất lượng: {quality}"
#: how ``source`` names a file read by :func:`import_boundaries` (``{name}``: the file's name)
IMPORTED_SOURCE = "{name} (nhập ranh giới xã)"
QUALITIES = ("surveyed", "digitised", "approximate")
#: the boundary quality in the words the imported note uses (the quality labels', layers.model)
IMPORTED_QUALITY: dict[str, str] = {q: GEOM_QUALITY_LABELS[q][0].lower() for q in QUALITIES}


@dataclass(frozen=True)
class BoundaryImport:
    """What a boundary import matched and the versions it wrote."""

    match: BoundaryMatch
    units: int
    versions: dict[str, int]
    source: str
    user: str

    @property
    def by_code(self) -> int:
        """Units matched by their official code."""
        return sum(1 for how in self.match.matched.values() if how == "code")

    @property
    def by_name(self) -> int:
        """Units matched by name."""
        return sum(1 for how in self.match.matched.values() if how == "name")

    def to_dict(self) -> dict[str, Any]:
        """The match summary (the keys of the import-boundaries JSON) and the versions written."""
        return {**self.match.to_dict(), "versions": dict(self.versions)}


def import_boundary_frame(
    store: Store,
    incoming: gpd.GeoDataFrame,
    *,
    source: str,
    actor: Actor,
    base_versions: dict[str, int] | None,
    quality: str = "digitised",
    code_field: str | None = None,
    name_field: str | None = None,
) -> BoundaryImport:
    """Match ``incoming`` to the official units and write both commune layers in one transaction.

    ``base_versions`` maps ``communes_legacy`` / ``communes_2025`` / ``material_zones_plan`` to the versions the
    person saw (:func:`boundary_versions`; None: no check). The plan zones are re-derived only when the store
    holds them. Raises :class:`InputDataError` when no unit matched (nothing is written).
    """
    if quality not in QUALITIES:
        raise InputDataError(
            f"boundary quality must be one of {', '.join(QUALITIES)}, not '{quality}'",
            code="boundaries.bad_quality",
            quality=quality,
            choices=", ".join(QUALITIES),
        )
    units = store.read_layer(LEGACY)
    result = match_boundaries(
        units, incoming, source=source, quality=quality, code_field=code_field, name_field=name_field
    )
    if not result.matched:
        raise InputDataError(
            f"{source}: no unit matched the {len(units)} official communes; nothing was written",
            code="boundaries.none_matched",
            source=source,
            units=len(units),
        )
    bases = base_versions or {}
    legacy = result.frame.copy()
    if "location_note" in legacy.columns:
        matched = legacy["ma_xa"].astype(str).isin(set(result.matched))
        legacy.loc[matched, "location_note"] = IMPORTED_NOTE.format(source=source, quality=IMPORTED_QUALITY[quality])
    msg = f"boundaries from {source}: {len(result.matched)} of {len(units)} units matched"
    writes = [
        LayerWrite(LEGACY, legacy, message=msg, origin="imported", base_version=bases.get(LEGACY)),
        LayerWrite(
            UNITS_2025,
            rebuild_2025(legacy, store.read_layer(UNITS_2025)),
            message=f"rebuilt from {msg}",
            origin="imported",
            base_version=bases.get(UNITS_2025),
        ),
    ]
    if store.has_layer(PLAN_ZONES):
        writes.append(
            LayerWrite(
                PLAN_ZONES,
                rederive_plan_zones(store.read_layer(PLAN_ZONES), legacy),
                message=f"re-derived from {msg}",
                origin=DERIVED_ORIGIN,
                base_version=bases.get(PLAN_ZONES),
            )
        )
    for w in writes:
        require(store, actor, "w", w.layer_id)
    versions = store.write_layers(writes, user=actor.user)
    return BoundaryImport(
        result, len(units), dict(zip((w.layer_id for w in writes), versions, strict=True)), source, actor.user
    )


def import_boundaries(
    store: Store,
    path: str | Path,
    *,
    actor: Actor,
    base_versions: dict[str, int] | None,
    crs: CrsChoice | None = None,
    source_layer: str | None = None,
    quality: str = "digitised",
    code_field: str | None = None,
    name_field: str | None = None,
    limits: Limits | None = None,
    label: str | None = None,
) -> BoundaryImport:
    """Read a boundary file (any format and CRS the import reads) and :func:`import_boundary_frame` it."""
    name = label or Path(path).name
    incoming, _ = read_input(path, what=name, crs=crs, limits=limits, layer=source_layer)
    return import_boundary_frame(
        store,
        incoming,
        source=IMPORTED_SOURCE.format(name=name),
        actor=actor,
        base_versions=base_versions,
        quality=quality,
        code_field=code_field,
        name_field=name_field,
    )


def boundary_versions(store: Store) -> dict[str, int]:
    """The current versions of the layers a boundary import writes (its base): both communes, the plan zones."""
    return {lid: store.current_version(lid) for lid in DERIVED_LAYERS if store.has_layer(lid)}

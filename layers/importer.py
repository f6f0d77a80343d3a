"""Import a planner's file into a layer of the store: read → validate against the catalogue → preview → commit.

:func:`prepare_import` reads the file (:func:`geo.io.read_vector`), maps its columns onto the layer's fields
(a suggested mapping by name and label, which the caller may change), converts every value to its field's
type and lists the rows that do not convert, checks the geometry type and the ids, and reprojects to
EPSG:9208. Nothing is written: the :class:`ImportPreview` holds the frame to store and every problem.

:func:`commit_import` writes the preview as a new version of the layer in ONE store transaction
(``store.write_layer``); the previous version is kept and can be restored. It refuses a preview with
problems, so ``validate`` and ``import`` agree: what ``baoyen validate`` passes, ``baoyen import`` stores.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import to_work
from geo.errors import InputDataError
from geo.io import ReadReport, read_vector
from geo.limits import Limits
from geo.safety import CodedNote, file_label
from geo.text import fold
from geo.validate import SchemaCheck, apply_schema, geometry_family, suggest_mapping
from layers.authored import pandas_dtype
from layers.catalogue import CATALOGUE, normalise_choice
from layers.model import COMMON_FIELDS, GEOM_QUALITIES, Catalogue, DType, FieldDef, LayerDef
from layers.store import Store, check_layer_id

#: the fields every feature carries, as typed fields (``id`` and ``geom_quality`` are filled in when missing)
COMMON_FIELD_DEFS: tuple[FieldDef, ...] = (
    FieldDef("id", "str", "Mã đối tượng", "Feature id"),
    FieldDef("name", "str", "Tên", "Name"),
    FieldDef("source", "str", "Nguồn", "Source"),
    FieldDef("geom_quality", "str", "Chất lượng vị trí", "Geometry quality", choices=GEOM_QUALITIES),
)

#: other headers files use for the common fields
_COMMON_LABELS: dict[str, tuple[str, ...]] = {
    "id": ("ma", "mã", "code", "objectid", "fid"),
    "name": ("ten", "tên", "ten_xa", "name", "Name", "ten_co_so"),
    "source": ("nguon", "nguồn"),
    "geom_quality": ("chat_luong", "quality"),
}

#: which geometry family each catalogue geometry type accepts
_FAMILIES = {"Point": "Point", "LineString": "LineString", "Polygon": "Polygon"}


@dataclass
class ImportPreview:
    """Everything an import would store, and everything that blocks it."""

    layer_id: str
    source: str
    #: the frame to store: the layer's fields, typed, in EPSG:9208
    frame: gpd.GeoDataFrame
    read: ReadReport
    mapping: dict[str, str]
    schema: SchemaCheck | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the read report plus the layer, mapping, errors and warnings)."""
        d = self.read.to_dict()
        d.update(
            layer_id=self.layer_id,
            mapping=self.mapping,
            features=len(self.frame),
            errors=list(self.errors),
            warnings=list(self.warnings),
            ok=self.ok,
        )
        return d


def target_fields(layer: LayerDef) -> tuple[FieldDef, ...]:
    """The common fields followed by the layer's own (the columns a stored feature has)."""
    own = {f.name for f in layer.fields}
    return tuple(f for f in COMMON_FIELD_DEFS if f.name not in own) + layer.fields


def field_labels(layer: LayerDef) -> dict[str, tuple[str, ...]]:
    """Other names each target field may carry in a file: its labels, and usual headers of common fields."""
    out: dict[str, tuple[str, ...]] = {}
    for f in target_fields(layer):
        # a shapefile cuts field names to 10 characters
        out[f.name] = (f.label_vi, f.label_en, f.name[:10], *_COMMON_LABELS.get(f.name, ()))
    return out


def suggest_layer_mapping(columns: list[str], layer: LayerDef) -> dict[str, str]:
    """Target field -> source column, by name and label (diacritic- and case-insensitive)."""
    return suggest_mapping(columns, target_fields(layer), labels=field_labels(layer))


def safe_column_name(name: str) -> str:
    """A storable column name for a free field: folded to ASCII, ``[a-z0-9_]``, starting with a letter."""
    text = re.sub(r"[^a-z0-9]+", "_", fold(str(name))).strip("_")
    if not text or not text[0].isalpha():
        text = f"f_{text}" if text else "field"
    return text[:60]


def prepare_import(
    path: str | Path,
    layer_id: str,
    *,
    crs: object = None,
    source_layer: str | None = None,
    mapping: Mapping[str, str] | None = None,
    geom_quality: str = "unknown",
    limits: Limits | None = None,
    label: str | None = None,
    catalogue: Catalogue = CATALOGUE,
    lang: str = "vi",
) -> ImportPreview:
    """Read ``path`` and build what importing it into ``layer_id`` would store; write nothing.

    Parameters
    ----------
    path, crs, source_layer, limits, label
        As for :func:`geo.io.read_vector` (``source_layer`` is its ``layer``).
    layer_id
        The target layer: a plain identifier (``[a-z][a-z0-9_]*``). A catalogue layer gets its typed fields;
        another id keeps the file's fields under storable names.
    mapping
        Target field -> source column; None uses :func:`suggest_layer_mapping`.
    geom_quality
        The quality given to features whose file says none: ``unknown`` unless the planner says what the
        geometry is (``surveyed``, ``digitised``...); ``unlocated`` for features without geometry. A file
        is never taken to be better than its planner says.
    catalogue
        The layer catalogue (the project's :data:`~layers.catalogue.CATALOGUE` by default).
    lang
        How the file writes numbers when its own values do not tell (``"vi"``: ``2.150`` is 2150). Numeric
        text is read a column at a time (:func:`geo.numbers.parse_column`): a column whose values show their
        decimal mark (``1.234,5``) is read with it; values that two readings fit in a column that shows
        nothing are read as ``lang`` writes them and named in a warning (field, rows, reading); values that
        contradict their column's mark are errors.

    Raises
    ------
    InputDataError
        For an invalid layer id or geometry quality; and every error :func:`geo.io.read_vector` raises.
    """
    check_layer_id(layer_id)
    if geom_quality not in GEOM_QUALITIES:
        raise InputDataError(f"'{geom_quality}' is not a geometry quality; use one of {', '.join(GEOM_QUALITIES)}")
    name = label or file_label(path)
    frame, report = read_vector(path, layer=source_layer, crs=crs, limits=limits, label=name)
    errors = list(report.errors)
    warnings = list(report.warnings)
    layer = catalogue.get(layer_id) if layer_id in catalogue else None
    geom_col = frame.geometry.name
    columns = [str(c) for c in frame.columns if c != geom_col]

    if layer is not None:
        fields = target_fields(layer)
        chosen = dict(mapping) if mapping is not None else suggest_layer_mapping(columns, layer)
        out, schema = apply_schema(frame, fields, mapping=chosen, normalise_choice=normalise_choice, lang=lang)
        errors.extend(schema.errors())
        warnings.extend(schema.warnings(source=name))
        if schema.unmapped:
            warnings.append(
                CodedNote(
                    f"column(s) not imported (not fields of {layer_id}): {', '.join(schema.unmapped)}",
                    code="import.columns_left",
                    layer=layer_id,
                    columns=", ".join(schema.unmapped),
                )
            )
        errors.extend(_geometry_type_errors(report, layer))
    else:
        chosen = {safe_column_name(c): c for c in columns}
        if len(set(chosen)) != len(columns):
            errors.append(
                CodedNote(
                    f"{name}: two columns give the same field name once folded to ASCII; rename one",
                    code="import.fold_clash",
                    source=name,
                )
            )
        renamed = [f"{c} → {t}" for t, c in chosen.items() if t != c]
        if renamed:
            warnings.append(
                CodedNote(
                    "fields renamed to be storable: " + ", ".join(renamed),
                    code="import.fields_renamed",
                    fields=", ".join(renamed),
                )
            )
        free = tuple(FieldDef(t, _free_dtype(frame[c]), t, t) for t, c in chosen.items() if t not in COMMON_FIELDS)
        fields = tuple(f for f in COMMON_FIELD_DEFS) + free
        for f in COMMON_FIELD_DEFS:
            if f.name not in chosen:
                hit = suggest_mapping(columns, (f,), labels={f.name: _COMMON_LABELS.get(f.name, ())})
                chosen.update(hit)
        out, schema = apply_schema(frame, fields, mapping=chosen, normalise_choice=_plain_choice, lang=lang)
        errors.extend(schema.errors())
        warnings.extend(schema.warnings(source=name))
        if report.mixed_types:
            errors.append(
                CodedNote(
                    f"{name} mixes geometry types; a layer holds one type, split the file first",
                    code="import.mixed_types",
                    source=name,
                )
            )

    out = _fill_common(out, source=name, geom_quality=geom_quality)
    dup = out["id"][out["id"].duplicated(keep=False)]
    if not dup.empty:
        shown = ", ".join(sorted({str(v) for v in dup})[:10])
        errors.append(
            CodedNote(
                f"{name}: the id(s) {shown} occur more than once; ids must be unique in a layer",
                code="import.duplicate_ids",
                source=name,
                ids=shown,
            )
        )
    if layer is not None:
        out = _cast(out, fields)
    if out.crs is not None:
        out = to_work(out, name)
        errors.extend(_placement_errors(out, name))
    if not errors and report.empty_geometries:
        warnings.append(
            CodedNote(
                f"{report.empty_geometries} feature(s) without geometry are stored as 'unlocated'",
                code="import.unlocated",
                count=report.empty_geometries,
            )
        )
    return ImportPreview(
        layer_id=layer_id,
        source=name,
        frame=out,
        read=report,
        mapping=dict(chosen),
        schema=schema,
        errors=errors,
        warnings=warnings,
    )


def _placement_errors(frame: gpd.GeoDataFrame, name: str) -> list[str]:
    """Features whose coordinates are not finite once in EPSG:9208 (a point the working CRS cannot place)."""
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if not len(geoms):
        return []
    present = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    with np.errstate(all="ignore"):
        coords, idx = shapely.get_coordinates(geoms[present], return_index=True)
    if not coords.size:
        return []
    bad = np.unique(present[idx[~np.isfinite(coords).all(axis=1)]]) + 1
    if not bad.size:
        return []
    shown = ", ".join(str(int(r)) for r in bad[:10])
    left = int(bad.size - 10) if bad.size > 10 else 0
    listed = shown + (f" and {left} more" if left else "")
    text = f"{name}: feature(s) {listed} cannot be placed in EPSG:9208 (their coordinates become infinite)"
    return [CodedNote(text, code="import.unplaceable", source=name, features=shown, more=left)]


def _geometry_type_errors(report: ReadReport, layer: LayerDef) -> list[str]:
    want = _FAMILIES.get(layer.geometry_type)
    if want is None:
        return []
    have = {geometry_family(t) for t in report.geometry_types}
    wrong = sorted(have - {want})
    if not wrong:
        return []
    text = (
        f"layer {layer.id} holds {want} geometries but the file has {', '.join(wrong)}; "
        "choose another layer or convert the file"
    )
    return [CodedNote(text, code="import.wrong_geometry", layer=layer.id, want=want, have=", ".join(wrong))]


def _plain_choice(fdef: Any, value: str) -> str | None:
    choices = fdef.choices or ()
    return value if value in choices else next((c for c in choices if fold(c) == fold(value)), None)


def _free_dtype(s: pd.Series) -> DType:
    if pd.api.types.is_bool_dtype(s.dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(s.dtype):
        return "int"
    if pd.api.types.is_float_dtype(s.dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return "date"
    return "str"


def _fill_common(frame: gpd.GeoDataFrame, *, source: str, geom_quality: str) -> gpd.GeoDataFrame:
    out = frame.copy()
    n = len(out)
    ids = out["id"].astype(object)
    blank = (ids.isna() | (ids.astype(str).str.strip() == "")).to_numpy(dtype=bool)
    if blank.any():
        given = ids.astype(str).to_numpy(dtype=object)
        given[blank] = [f"f{i + 1}" for i in np.flatnonzero(blank).tolist()]
        out["id"] = given.tolist()
    today = dt.date.today().isoformat()
    src = out["source"].astype(object)
    no_source = (src.isna() | (src.astype(str).str.strip() == "")).to_numpy(dtype=bool)
    filled = src.to_numpy(dtype=object, copy=True)
    filled[no_source] = f"import {source} {today}"
    out["source"] = filled.tolist()
    geoms = np.asarray(out.geometry.values, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms) if n else np.zeros(0, dtype=bool)
    q = out["geom_quality"].astype(object).to_numpy(dtype=object, copy=True)
    said = np.fromiter((isinstance(v, str) and v != "" for v in q.tolist()), dtype=bool, count=n)
    q[~said] = geom_quality
    q[missing] = "unlocated"
    out["geom_quality"] = q.tolist()
    if "name" in out.columns:
        names = out["name"].astype(object).to_numpy(dtype=object, copy=True)
        names[pd.isna(names)] = None
        out["name"] = names.tolist()
    return out


#: pandas' text dtype (Arrow-backed, NaN for missing)
_STR = pd.api.types.pandas_dtype("str")


def _cast(frame: gpd.GeoDataFrame, fields: tuple[FieldDef, ...]) -> gpd.GeoDataFrame:
    out = frame.copy()
    for f in fields:
        dtype = pandas_dtype(f)
        if dtype == "datetime64[ms]":
            out[f.name] = pd.to_datetime(out[f.name].astype(object), errors="raise").astype("datetime64[ms]")
        elif dtype == "float64":
            # apply_schema has read numeric text already (geo.numbers.parse_column); this only sets the dtype
            out[f.name] = pd.to_numeric(out[f.name], errors="raise").astype("float64")
        elif dtype == "str":
            column = out[f.name]
            if column.dtype != _STR:  # a column of the str dtype already is what this makes of it
                out[f.name] = pd.Series(_text_values(column), index=out.index, dtype="str")
        else:
            out[f.name] = out[f.name].astype(dtype)
    return out


def _text_values(column: pd.Series) -> list[object]:
    """A column's values as text: None and NaN stay missing, anything else is ``str(value)``."""
    values = column.tolist()
    if all(type(v) is str for v in values):
        return values
    # v != v is NaN's test (np.isnan per value costs a microsecond each)
    return [None if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in values]


def commit_import(store: Store, preview: ImportPreview, *, user: str, message: str = "") -> int:
    """Store the preview as the new version of its layer, in one transaction; return the version number.

    Raises
    ------
    InputDataError
        When the preview has problems (nothing is written).
    StoreError
        When the store cannot be written (nothing is written).
    """
    if not preview.ok:
        raise InputDataError(
            f"{preview.source} cannot be imported into {preview.layer_id}: {preview.errors[0]}"
            + (f" (and {len(preview.errors) - 1} more problems)" if len(preview.errors) > 1 else "")
        )
    text = message or f"import {preview.source}"
    return store.write_layer(preview.layer_id, preview.frame, user=user, message=text, origin="imported")


def import_file(
    store: Store,
    path: str | Path,
    layer_id: str,
    *,
    user: str,
    message: str = "",
    **options: Any,
) -> tuple[int, ImportPreview]:
    """:func:`prepare_import` then :func:`commit_import`; returns (version, preview)."""
    preview = prepare_import(path, layer_id, **options)
    return commit_import(store, preview, user=user, message=message), preview

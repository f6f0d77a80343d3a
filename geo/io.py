"""Reading and writing vector data: every format a planning office receives, read safely, with a report.

:func:`read_vector` reads Shapefile (.zip or loose), GeoPackage, GeoJSON, KML, KMZ, DXF, DGN v7, FlatGeobuf,
GeoParquet and CSV/XLSX coordinate tables through pyogrio (GDAL), after the checks of
:mod:`geo.safety` (size, type by content, archives, XML, JSON depth, truncation). It returns the frame and
a :class:`ReadReport` (what was read, CRS and where it came from, text encoding, repaired and empty
geometries, mixed types, duplicate ids, errors that block an import, warnings, GDAL's own messages).

It never assumes a CRS: a file without one raises :class:`MissingCRSError` (a :class:`CRSError`) unless
the caller gives ``crs``, and the error carries a guess from the coordinate ranges (:func:`guess_crs`) with
its reason, for the UI to offer. Data that lies outside Vietnam in the CRS it is read with (declared,
assumed or overridden) is refused (``crs.outside_vietnam``); data in Vietnam but far outside Lào Cai gets a
"CRS probably wrong" warning.

Nothing unreadable passes as "no geometry": a geometry GDAL returns that cannot be decoded (an unclosed
ring) is an error of the report, and GeoJSON coordinates that are not numbers ("104.47") are refused.
Every read is bounded by :class:`~geo.limits.Limits` (features, text length, time), checked before the data
is buffered wherever the format allows; a GeoPackage's views are never read as layers.

Errors are one line naming the file, the problem and the fix: :class:`UnsafeInputError` (hostile or
broken), :class:`DataSourceError` (unreadable), :class:`InputDataError` (wrong content),
:class:`CRSError`. GDAL's messages and Python's warnings are captured into the report, never printed.

A shapefile written by :func:`write_vector` carries ``<name>.fieldnames.json`` with the full field names its
.dbf had to cut to 10 characters; :func:`read_vector` reads them back.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely
from pyproj import CRS

from geo.crs import crs_label, get_crs
from geo.encoding import ENCODING_LABELS, TextRepair, codec_from_cpg, decode_columns, repair_legacy_text
from geo.errors import CRSError, DataSourceError, InputDataError, UnsafeInputError
from geo.limits import Deadline, Limits, text_too_long, too_many_features
from geo.safety import (
    CodedNote,
    check_dgn,
    check_dxf,
    check_fgb,
    check_json,
    check_parquet,
    check_shapefile_parts,
    check_size,
    check_sqlite,
    check_xml,
    coordinate_problems,
    extract_zip,
    file_label,
    geojson_coordinate_problem,
    gpkg_rows,
    gpkg_views,
    inspect_zip,
    require_extension_kind,
    require_kind,
    sniff,
)
from geo.tables import SeveralLayersError, read_table
from geo.text import nfc
from geo.validate import (
    CRS_CHOICES,
    check_geometries,
    duplicate_ids,
    guess_crs,
    id_field_of,
    nfc_texts,
    outside_vietnam,
    outside_vietnam_error,
    region_warning,
)

__all__ = [
    "CRS_CHOICES",
    "DRIVERS",
    "MissingCRSError",
    "ReadReport",
    "SeveralLayersError",
    "guess_crs",
    "read_vector",
    "write_vector",
]

#: file kind (from :func:`geo.safety.sniff`) -> the GDAL driver / reader name shown in reports
DRIVERS = {
    "shp": "ESRI Shapefile",
    "gpkg": "GPKG",
    "geojson": "GeoJSON",
    "kml": "KML",
    "dxf": "DXF",
    "dgn": "DGN",
    "fgb": "FlatGeobuf",
    "parquet": "GeoParquet",
    "csv": "CSV",
    "xlsx": "XLSX",
}

#: columns LIBKML adds to every KML layer; dropped when they hold nothing
_LIBKML_EXTRA = (
    "id",
    "description",
    "timestamp",
    "begin",
    "end",
    "altitudeMode",
    "tessellate",
    "extrude",
    "visibility",
    "drawOrder",
    "icon",
    "snippet",
)


@dataclass
class ReadReport:
    """What reading a file found. ``errors`` block an import; ``warnings`` do not."""

    path: str
    driver: str = ""
    features: int = 0
    crs: str | None = None
    #: "file" (declared by the file), "given" (by the caller) or "guessed" (tables, from value ranges)
    crs_source: str = ""
    encoding: str = ""
    converted_fields: list[str] = field(default_factory=list)
    repaired: int = 0
    empty_geometries: int = 0
    mixed_types: bool = False
    geometry_types: dict[str, int] = field(default_factory=dict)
    duplicate_ids: list[Any] = field(default_factory=list)
    #: features whose geometry is in the file but cannot be decoded (an unclosed ring ...); they are errors
    unreadable_geometries: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gdal_messages: list[str] = field(default_factory=list)
    #: layers (or sheets, or data files of an archive) the source holds, and the one read
    layers: list[str] = field(default_factory=list)
    layer: str | None = None
    #: bounds in the CRS of the data as read (minx, miny, maxx, maxy)
    bounds: list[float] | None = None
    crs_guess: int | None = None
    crs_guess_reason: str = ""

    @property
    def ok(self) -> bool:
        """True when nothing blocks an import."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (with ``ok``)."""
        d = asdict(self)
        d["ok"] = self.ok
        d["duplicate_ids"] = [v.item() if hasattr(v, "item") else v for v in self.duplicate_ids]
        return d


class MissingCRSError(CRSError):
    """The file has no CRS and none was given. Carries the guess from coordinate ranges for the UI.

    Its code is ``crs.missing``; ``params`` holds ``source`` (the file's label), ``guess``, ``reason``,
    ``bounds`` and ``no_prj`` (a shapefile without its .prj) when the raiser gives them.
    """

    def __init__(
        self,
        message: str,
        *,
        guess: int | None,
        reason: str,
        report: ReadReport,
        code: str | None = "crs.missing",
        **params: object,
    ) -> None:
        super().__init__(message, code=code, guess=guess, reason=reason, **params)
        self.guess = guess
        self.reason = reason
        self.report = report


# --- GDAL messages ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _capture_gdal(
    report: ReadReport | None,
    sink: list[str] | None = None,
    *,
    invalid: list[str] | None = None,
    name: str = "",
) -> Iterator[None]:
    """Collect GDAL's messages (pyogrio turns them into RuntimeWarnings) into the report.

    With a ``report`` (reading), every other warning is collected too, never shown: shapely's "Invalid
    WKB" notices (a geometry GDAL returned that cannot be decoded) go to ``invalid``, anything else to the
    report's warnings. Without one (writing), other warnings are emitted again unchanged.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        msg = " ".join(str(w.message).split())
        if issubclass(w.category, RuntimeWarning) and "pyogrio" in (w.filename or ""):
            if report is not None:
                report.gdal_messages.append(msg)
            if sink is not None:
                sink.append(msg)
        elif report is None:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
        elif invalid is not None and msg.startswith("Invalid WKB"):
            invalid.append(msg)
        else:
            _note(report, name, msg)


def _note(report: ReadReport, name: str, msg: str) -> None:
    """A Python warning raised while reading, kept in the report once instead of reaching a terminal."""
    text = f"{name}: while reading: {msg}" if name else f"while reading: {msg}"
    if text not in report.warnings:
        report.warnings.append(CodedNote(text, code="read.library_warning", source=name or "", detail=msg))


@contextlib.contextmanager
def _quiet(report: ReadReport, name: str) -> Iterator[None]:
    """Keep every warning a read raises in its report (pandas, shapely on NaN input, pyproj, GDAL)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for w in caught:
                msg = " ".join(str(w.message).split())
                if issubclass(w.category, RuntimeWarning) and "pyogrio" in (w.filename or ""):
                    report.gdal_messages.append(msg)
                else:
                    _note(report, name, msg)


_PYOGRIO_ERRORS: tuple[type[BaseException], ...] = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
    pyogrio.errors.FeatureError,
)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


# --- reading ----------------------------------------------------------------------------------------------


def read_vector(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    crs: object = None,
    limits: Limits | None = None,
    label: str | None = None,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Read a vector file a user gives us, safely, and say what was found.

    Parameters
    ----------
    path
        The file: a .zip (shapefile, or any one data file), .shp, .gpkg, .geojson, .kml, .kmz, .dxf,
        .dgn, .fgb, .parquet, .csv or .xlsx — recognised by content, not by extension.
    layer
        The layer (GeoPackage/KML layer, workbook sheet, or data file inside an archive) when the
        source holds several; without it such a source is refused with the list of its layers.
    crs
        The CRS of the coordinates ("EPSG:9208", 9208, ...). Needed when the file declares none;
        when the file declares one, ``crs`` overrides it (with a warning). Either way, data that then
        lies wholly outside Vietnam is refused (:class:`CRSError`, code ``crs.outside_vietnam``).
    limits
        Limits for untrusted input (:class:`geo.limits.Limits`): sizes, members, features, text length and
        the time the read may take; each is checked before the data is buffered wherever the format allows.
    label
        Name of the file in messages (defaults to the file name; the UI passes the upload's name).

    Returns
    -------
    (GeoDataFrame, ReadReport)
        The features in the file's CRS (or ``crs``), invalid geometries repaired, text in Unicode NFC.

    Raises
    ------
    UnsafeInputError, DataSourceError
        Hostile, broken, truncated or unreadable input.
    InputDataError
        Content that cannot be used (unknown format, several layers without ``layer``, no coordinates).
    MissingCRSError
        No CRS in the file and none given; carries ``guess`` and ``reason``.
    CRSError
        The data lies outside Vietnam in the CRS it was read with (``crs.outside_vietnam``).

    Notes
    -----
    Nothing is printed: GDAL's messages go to ``gdal_messages`` and every Python warning raised while
    reading (shapely on NaN input, pandas, pyproj) to the report's ``warnings``.
    """
    limits = limits or Limits()
    deadline = limits.deadline()
    p = Path(path)
    name = label or file_label(p)
    report = ReadReport(path=str(p))
    with _quiet(report, name):
        check_size(p, limits, label=name)
        kind = sniff(p)
        ctx = _Ctx(limits, deadline)
        if kind == "zip":
            listing = inspect_zip(p, limits, label=name)
            members = set(listing.members)
            if "[Content_Types].xml" in members and any(m.startswith("xl/") for m in members):
                return _read_any(p, "xlsx", layer=layer, crs=crs, ctx=ctx, name=name, report=report)
            with extract_zip(p, limits, label=name, deadline=deadline) as tmp:
                return _read_archive(tmp, layer=layer, crs=crs, ctx=ctx, name=name, report=report)
        return _read_any(p, kind, layer=layer, crs=crs, ctx=ctx, name=name, report=report)


@dataclass(frozen=True)
class _Ctx:
    """The limits of one read and the time it may take."""

    limits: Limits
    deadline: Deadline

    def check(self, name: str) -> None:
        self.deadline.check(name)


_DATA_KINDS = ("shp", "gpkg", "geojson", "kml", "dxf", "dgn", "fgb", "parquet", "csv", "xlsx")
#: what an archive without data should hold
_ZIP_DATA = "zip a shapefile, GeoPackage, GeoJSON, KML, DXF or CSV"


#: suffix of the file beside a shapefile that keeps its full field names (a .dbf cuts them to 10 characters)
FIELDNAMES_SUFFIX = ".fieldnames.json"
#: the most layers, sheets or files a message lists by name (the rest are counted)
MAX_LISTED = 5


def _listed(names: Sequence[str], n: int = MAX_LISTED) -> str:
    """``names`` joined for a message: the first ``n`` (each cut short), then how many more."""
    return ", ".join(shown_names(names, n))


def shown_names(names: Sequence[str], n: int = MAX_LISTED) -> list[str]:
    """The first ``n`` of ``names`` (each cut to 40 characters), then "… and N more": what a message lists."""
    # a coded name (an archive inside the archive) keeps its code: it is said in the message's language
    shown = [v if len(v) <= 40 or getattr(v, "code", None) else v[:39] + "…" for v in names[:n]]
    more = len(names) - n
    return shown + ([CodedNote(f"… and {more:,} more", code="list.more", count=more)] if more > 0 else [])


def _is_fieldnames_sidecar(f: Path) -> bool:
    """A ``<stem>.fieldnames.json`` written beside a shapefile by :func:`write_vector`."""
    if not f.name.lower().endswith(FIELDNAMES_SUFFIX):
        return False
    stem = f.name[: -len(FIELDNAMES_SUFFIX)]
    return any(g.suffix.lower() == ".shp" and g.stem == stem for g in f.parent.iterdir())


def _read_archive(
    root: Path, *, layer: str | None, crs: object, ctx: _Ctx, name: str, report: ReadReport
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Find the data files inside an extracted archive and read the one (or the one named)."""
    found: list[tuple[str, Path, str]] = []
    skipped: list[str] = []
    for f in sorted(root.rglob("*")):
        ctx.check(name)
        if not f.is_file() or f.is_symlink():
            continue
        rel = f.relative_to(root).as_posix()
        if rel.startswith("__MACOSX/") or PurePosixPath(rel).name.startswith("._"):
            continue
        if _is_fieldnames_sidecar(f):
            continue
        kind = sniff(f) if f.stat().st_size else "empty"
        if kind == "shp" and f.suffix.lower() == ".shx":
            continue
        if kind in ("dbf", "empty") or f.suffix.lower() in (".prj", ".cpg", ".qmd", ".qix", ".sbn", ".sbx", ".xml"):
            if kind == "dbf" and not any(g.stem == f.stem and g.suffix.lower() == ".shp" for g in f.parent.iterdir()):
                skipped.append(rel)
            continue
        if kind == "zip" and f.suffix.lower() == ".xlsx":
            kind = "xlsx"
        if kind in _DATA_KINDS:
            found.append((rel, f, kind))
        elif kind == "zip":
            skipped.append(CodedNote(f"{rel} (archive inside the archive)", code="archive.nested", member=rel))
        elif kind not in ("csv",):
            skipped.append(rel)
    # a KMZ keeps its images and a doc.kml; a shapefile's .dbf orphan etc. are reported
    if not found:
        if any(s.lower().endswith(".dbf") for s in skipped):
            raise UnsafeInputError(
                f"{name} holds a .dbf table without its .shp; zip all parts of the shapefile (.shp .shx .dbf .prj)",
                code="archive.dbf_without_shp",
                source=name,
            )
        if not skipped:
            raise InputDataError(
                f"{name} holds no data file that can be read (it is empty); {_ZIP_DATA}",
                code="archive.empty",
                source=name,
            )
        raise InputDataError(
            f"{name} holds no data file that can be read (found {_listed(skipped)}); {_ZIP_DATA}",
            code="archive.no_data",
            source=name,
            found=shown_names(skipped),
        )
    report.layers = [rel for rel, _, _ in found]
    if len(found) > 1:
        if layer is None:
            raise SeveralLayersError(
                f"{name} holds several data files ({_listed(report.layers)}); choose the one to read",
                layers=report.layers,
                code="source.several_files",
                source=name,
            )
        match = [t for t in found if layer in (t[0], PurePosixPath(t[0]).name, PurePosixPath(t[0]).stem)]
        if not match:
            raise InputDataError(
                f"{name} has no data file '{layer}'; it holds {_listed(report.layers)}; choose one of them",
                code="source.no_file",
                source=name,
                layer=layer,
                layers=shown_names(report.layers),
            )
        rel, f, kind = match[0]
        inner_layer = None
    else:
        rel, f, kind = found[0]
        inner_layer = layer
    frame, rep = _read_any(f, kind, layer=inner_layer, crs=crs, ctx=ctx, name=f"{name} ({rel})", report=report)
    rep.path = report.path
    if len(found) > 1:
        rep.layer = rel
    return frame, rep


def _read_any(
    p: Path, kind: str, *, layer: str | None, crs: object, ctx: _Ctx, name: str, report: ReadReport
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    limits = ctx.limits
    require_kind(kind, label=name)
    require_extension_kind(kind, label=name)
    report.driver = DRIVERS.get(kind, kind)
    given = get_crs(crs) if crs is not None else None
    repair: TextRepair | None = None
    if kind in ("csv", "xlsx"):
        frame, info = read_table(p, kind=kind, sheet=layer, crs=given, limits=limits, label=name)
        report.layers = list(info.sheets) or report.layers
        report.layer = layer
        report.encoding = ENCODING_LABELS.get(info.encoding, info.encoding)
        report.crs_source = info.crs_source
        report.warnings.extend(info.warnings)
        report.errors.extend(info.errors)
        ctx.check(name)
        check_text_lengths(frame, limits, label=name)
        frame, repair = _repair_legacy_text(frame, label=name)
        return _finish(frame, report, repair=repair, given=None, name=name, ctx=ctx, table=True)

    if kind == "shp":
        parts = check_shapefile_parts(p, label=name, limits=limits)
        declared = None
        if "cpg" in parts:
            cpg_text = parts["cpg"].read_text(encoding="ascii", errors="replace")
            declared = codec_from_cpg(cpg_text)
            if declared is None:
                report.warnings.append(
                    CodedNote(
                        f"{name}: its .cpg names an unknown code page ({cpg_text.strip()[:40]!r}); "
                        "the text encoding was detected instead",
                        code="read.cpg_unknown",
                        source=name,
                        cpg=cpg_text.strip()[:40],
                    )
                )
        with parts["dbf"].open("rb") as fh:
            ldid = fh.read(32)[29]
        frame = _gdal_read(p, layer=None, name=name, report=report, ctx=ctx, encoding="latin1")
        ctx.check(name)
        check_text_lengths(frame, limits, label=name)
        frame, repair = decode_columns(frame, declared=declared, ldid=ldid, label=name)
        report.warnings.extend(repair.warnings)
        frame = _restore_field_names(frame, p, name=name, report=report)
        return _finish(frame, report, repair=repair, given=given, name=name, ctx=ctx, no_prj=True)

    data: bytes | None = None
    views: set[str] = set()
    if kind == "gpkg":
        check_sqlite(p, label=name, deadline=ctx.deadline)
        views = gpkg_views(p, label=name, deadline=ctx.deadline)
    elif kind == "geojson":
        data = p.read_bytes()
        check_json(data, limits, label=name)
        _check_geojson_coordinates(data, name)
    elif kind in ("kml", "xml"):
        data = p.read_bytes()
        check_xml(data, label=name, limits=limits)
        require_kind(kind, label=name)
    elif kind == "dxf":
        check_dxf(p, label=name)
    elif kind == "dgn":
        check_dgn(p, label=name)
    elif kind == "fgb":
        check_fgb(p, label=name)
    elif kind == "parquet":
        check_parquet(p, label=name)
        report.encoding = "UTF-8"
        frame = _read_parquet(p, name, limits)
        ctx.check(name)
        check_text_lengths(frame, limits, label=name)
        return _finish(frame, report, repair=None, given=given, name=name, ctx=ctx)
    del data  # GDAL reads the file itself; the bytes were only for the checks
    ctx.check(name)

    layers = _list_layers(p, name=name, report=report)
    if views:
        layers, skipped_views = _without_views(layers, views, layer=layer, name=name)
        if skipped_views:
            report.warnings.append(
                CodedNote(
                    f"{name}: {_listed(skipped_views)} {'is a view' if len(skipped_views) == 1 else 'are views'} "
                    "(stored queries), not read as layers",
                    code="read.views_skipped",
                    source=name,
                    views=", ".join(skipped_views),
                )
            )
    report.layers = [n for n, _ in layers]
    spatial = [n for n, g in layers if g not in (None, "None")]
    if layer is None and len(layers) > 1:
        if len(spatial) != 1:
            listed = _listed([f"{n} ({g or 'table'})" for n, g in layers])
            raise SeveralLayersError(
                f"{name} holds several layers: {listed}; choose the layer to read",
                layers=report.layers,
                code="source.several_layers",
                source=name,
            )
        # one spatial layer beside attribute tables (QGIS styles, metadata): that is the data
        layer = spatial[0]
    if layer is not None and layer not in report.layers:
        raise InputDataError(
            f"{name} has no layer '{layer}'; its layers are {_listed(report.layers)}; choose one of them",
            code="source.no_layer",
            source=name,
            layer=layer,
            layers=shown_names(report.layers),
        )
    report.layer = layer or (report.layers[0] if report.layers else None)
    if kind == "gpkg" and report.layer is not None:
        rows = gpkg_rows(p, report.layer, label=name, deadline=ctx.deadline)
        if rows > limits.max_features:
            raise too_many_features(name, rows, limits.max_features)
    ctx.check(name)
    frame = _gdal_read(p, layer=layer, name=name, report=report, ctx=ctx)
    ctx.check(name)
    check_text_lengths(frame, limits, label=name)
    if kind == "kml":
        frame = _tidy_kml(frame)
    frame = _flatten_objects(frame, report)
    frame, repair = _repair_legacy_text(frame, label=name)
    report.warnings.extend(repair.warnings)
    return _finish(frame, report, repair=repair, given=given, name=name, ctx=ctx)


def _repair_legacy_text(frame: gpd.GeoDataFrame, *, label: str) -> tuple[gpd.GeoDataFrame, TextRepair]:
    """:func:`geo.encoding.repair_legacy_text` on the columns that can hold legacy text, the frame put back.

    Only text that is not ASCII can be legacy Vietnamese, so pandas text columns that are all ASCII (Arrow tells
    at once; ids, codes) are not handed over: the repair decides and converts exactly as on the whole frame.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    geom = getattr(frame, "_geometry_column_name", None)
    skip = [
        c
        for c in frame.columns
        if c != geom
        and isinstance(frame[c].dtype, pd.StringDtype)
        and bool(pc.all(pc.string_is_ascii(pa.array(frame[c].array))).as_py() is not False)
    ]
    if not skip:
        return repair_legacy_text(frame, label=label)
    keep = [c for c in frame.columns if c not in skip]
    part, repair = repair_legacy_text(frame[keep], label=label)
    if not repair.fields_converted:
        return frame, repair
    out = frame.copy()
    for c in repair.fields_converted:
        out[c] = part[c]
    return out, repair


def _without_views(
    layers: list[tuple[str, str | None]], views: set[str], *, layer: str | None, name: str
) -> tuple[list[tuple[str, str | None]], list[str]]:
    """The layers of a GeoPackage that are tables, and the names of those that are views (never read).

    A view is a stored query evaluated on every read (a recursive one never ends), so it is not data to
    import; asking for one, or a GeoPackage whose every layer is a view, is refused.
    """
    kept = [(n, g) for n, g in layers if n.lower() not in views]
    skipped = [n for n, _ in layers if n.lower() in views]
    if layer is not None and layer.lower() in views:
        raise UnsafeInputError(
            f"{name}: layer '{layer}' is a view (a stored query), which is not read; export it as a table",
            code="gpkg.view",
            source=name,
            layer=layer,
        )
    if skipped and not any(g not in (None, "None") for _, g in kept):
        raise UnsafeInputError(
            f"{name} holds no table of features, only views (stored queries), which are not read: "
            f"{_listed(skipped)}; export the layer as a table",
            code="gpkg.views_only",
            source=name,
            views=shown_names(skipped),
        )
    return kept, skipped


def _check_geojson_coordinates(data: bytes, name: str) -> None:
    """Refuse GeoJSON coordinates that are not numbers (text, null): GDAL would read them as no geometry."""
    found = geojson_coordinate_problem(data)
    if found is None:
        return
    feature, token = found
    quoted = token.startswith('"')
    what = "written as text" if quoted else "not numbers"
    raise InputDataError(
        f"{name}: the coordinates of feature {feature} are {what} ({token}), which is not GeoJSON: coordinates "
        'are numbers (104.47, not "104.47"); export the file again from a GIS',
        code="geojson.coordinates_not_numbers",
        source=name,
        feature=feature,
        example=token,
    )


def check_text_lengths(frame: pd.DataFrame, limits: Limits, *, label: str) -> None:
    """Refuse a text value longer than ``limits.max_text_chars`` (before any repair or copy of the text)."""
    geom = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    for c in frame.columns:
        if c == geom:
            continue
        s = frame[c]
        if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
            continue
        try:
            lengths = s.str.len().fillna(0)
        except AttributeError:  # values that are not all text: measure one by one
            lengths = s.map(lambda v: len(v) if isinstance(v, (str, bytes)) else 0)
        if lengths.empty:
            continue
        longest = int(lengths.max())
        if longest > limits.max_text_chars:
            row = int(np.argmax(lengths.to_numpy())) + 1
            raise text_too_long(label, longest, limits.max_text_chars, field=str(c), feature=row)


def _restore_field_names(frame: gpd.GeoDataFrame, shp: Path, *, name: str, report: ReadReport) -> gpd.GeoDataFrame:
    """Give back the full field names a .dbf cut to 10 characters, from the ``.fieldnames.json`` beside it."""
    side = shp.with_name(shp.stem + FIELDNAMES_SUFFIX)
    if not side.is_file():
        return frame
    ignored = f"{name}: its {side.name} (the full field names) was ignored"

    def ignore(why: str, code: str) -> gpd.GeoDataFrame:
        """Keep the short names, and say why the names file was not used."""
        report.warnings.append(CodedNote(f"{ignored}: {why}", code=code, source=name, file=side.name))
        return frame

    try:
        if side.stat().st_size > 1 * 1024 * 1024:
            raise ValueError("too large")
        doc = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return ignore("it is not readable JSON", "read.names_unreadable")
    fields = doc.get("fields") if isinstance(doc, dict) else None
    if not isinstance(fields, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items()):
        return ignore("it does not map field names to names", "read.names_not_map")
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    # a dbf field name is case-insensitive; GDAL may give it back in another case
    by_fold = {c.lower(): c for c in columns}
    renames: dict[str, str] = {}
    for short, full in fields.items():
        col = by_fold.get(short.lower())
        if col is None or not full or len(full) > 63 or full == frame.geometry.name:
            continue
        renames[col] = full
    targets = [renames.get(c, c) for c in columns]
    if len(set(targets)) != len(targets):
        return ignore("it would give two fields the same name", "read.names_clash")
    return frame.rename(columns=renames) if renames else frame


def _list_layers(p: Path, *, name: str, report: ReadReport) -> list[tuple[str, str | None]]:
    try:
        with _capture_gdal(report, name=name):
            arr = pyogrio.list_layers(p)
    except _PYOGRIO_ERRORS as exc:
        raise _unreadable(name, report, exc) from exc
    return [(str(n), None if g is None else str(g)) for n, g in arr]


def _unreadable(name: str, report: ReadReport, exc: BaseException) -> DataSourceError:
    """GDAL could not read the file with the driver its content names."""
    return DataSourceError(
        f"{name} cannot be read as {report.driver} ({_one_line(exc)}); check the file or export it again",
        code="file.unreadable",
        source=name,
        driver=report.driver,
        detail=_one_line(exc),
    )


def _gdal_read(
    p: Path, *, layer: str | None, name: str, report: ReadReport, ctx: _Ctx, encoding: str | None = None
) -> gpd.GeoDataFrame:
    """Read a layer through GDAL, never more than the feature limit; list the geometries that cannot be read."""
    cap = ctx.limits.max_features
    invalid: list[str] = []
    try:
        with _capture_gdal(report, invalid=invalid, name=name):
            frame = pyogrio.read_dataframe(
                p, layer=layer, encoding=encoding, on_invalid="warn", max_features=cap + 1, use_arrow=True
            )
    except _PYOGRIO_ERRORS as exc:
        raise _unreadable(name, report, exc) from exc
    if len(frame) > cap:
        raise too_many_features(name, None, cap)
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputDataError(
            f"{name} has no geometry; a layer needs points, lines or polygons", code="read.not_spatial", source=name
        )
    if invalid:
        rows = _unreadable_rows(p, layer=layer, encoding=encoding, cap=cap, report=report, name=name)
        report.unreadable_geometries = len(rows) or len(invalid)
        why = _unreadable_reason(invalid[0])
        listed = f" (features {_rows(rows)})" if rows else ""
        report.errors.append(
            CodedNote(
                f"{name}: the geometry of {report.unreadable_geometries} feature(s) cannot be read ({why})"
                f"{listed}; correct them in a GIS and export the file again",
                code="read.unreadable_geometry",
                source=name,
                count=report.unreadable_geometries,
                reason=why,
                **_row_params(rows),
            )
        )
    return frame


def _unreadable_rows(
    p: Path, *, layer: str | None, encoding: str | None, cap: int, report: ReadReport, name: str
) -> list[int]:
    """1-based features whose geometry GDAL gave but shapely cannot decode (read again, geometry only)."""
    try:
        with _capture_gdal(report, invalid=[], name=name):
            _meta, _fids, wkb, _fields = pyogrio.raw.read(
                p, layer=layer, encoding=encoding, columns=[], max_features=cap + 1
            )
            decoded = shapely.from_wkb(wkb, on_invalid="ignore") if wkb is not None else None
    except _PYOGRIO_ERRORS:
        return []
    if wkb is None or decoded is None:
        return []
    given = np.array([w is not None for w in wkb], dtype=bool)
    return [int(i) + 1 for i in np.flatnonzero(given & shapely.is_missing(decoded))]


def _unreadable_reason(message: str) -> CodedNote:
    """A short reason from shapely's "Invalid WKB" notice (coded: said in the user's language)."""
    low = message.lower()
    if "closed linestring" in low or "closed ring" in low:
        return CodedNote("a polygon ring is not closed: its last point must repeat its first", code="read.ring_open")
    if "linearring" in low and "must" in low:
        return CodedNote("a polygon ring has too few points", code="read.ring_too_short")
    detail = (message.split(".", 1)[-1].strip() if "." in message else message)[:120]
    if not detail:
        return CodedNote("it is not valid", code="read.wkb_invalid")
    return CodedNote(detail, code="read.wkb_detail", detail=detail)


def _damaged_parquet(name: str, exc: BaseException) -> UnsafeInputError:
    return UnsafeInputError(
        f"{name} is a damaged Parquet file ({_one_line(exc)}); export it again",
        code="parquet.damaged",
        source=name,
        detail=_one_line(exc),
    )


def _read_parquet(p: Path, name: str, limits: Limits) -> gpd.GeoDataFrame:
    import pyarrow
    import pyarrow.parquet

    try:
        rows = pyarrow.parquet.ParquetFile(p).metadata.num_rows
    except (pyarrow.ArrowException, OSError) as exc:
        raise _damaged_parquet(name, exc) from exc
    if rows > limits.max_features:
        raise too_many_features(name, int(rows), limits.max_features)
    try:
        return gpd.read_parquet(p)
    except ValueError as exc:
        raise InputDataError(
            f"{name} is Parquet without geometry metadata (not GeoParquet); export it as GeoParquet",
            code="parquet.not_geoparquet",
            source=name,
        ) from exc
    except (pyarrow.ArrowException, OSError) as exc:
        raise _damaged_parquet(name, exc) from exc


def _tidy_kml(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop the empty columns LIBKML adds to every layer and call the placemark name ``name``."""
    drop = []
    for c in _LIBKML_EXTRA:
        if c in frame.columns:
            s = frame[c]
            blank = s.isna() | (s.astype(str).str.strip() == "")
            if c in ("tessellate", "extrude", "visibility", "drawOrder"):
                blank = blank | s.isin([-1, 0, 1]) if c != "drawOrder" else blank | (s == 0)
            if bool(blank.all()):
                drop.append(c)
    out = frame.drop(columns=drop)
    if "id" in out.columns and "id" not in drop:
        # LIBKML reports each placemark's XML id ("layer.1", ...) as "id" and renames a real "id" field "id2"
        generated = out["id"].astype(str).str.fullmatch(r".+\.\d+").all()
        if generated:
            out = out.drop(columns=["id"])
            if "id2" in out.columns:
                out = out.rename(columns={"id2": "id"})
    if "Name" in out.columns and "name" not in out.columns:
        out = out.rename(columns={"Name": "name"})
    return out


def _flatten_objects(frame: gpd.GeoDataFrame, report: ReadReport) -> gpd.GeoDataFrame:
    """Columns holding dicts or lists (DGN user links, nested JSON) become JSON text."""
    out = frame
    for c in frame.columns:
        if c == frame.geometry.name or frame[c].dtype != object:
            continue
        if frame[c].map(lambda v: isinstance(v, (dict, list, tuple))).any():
            if out is frame:
                out = frame.copy()
            out[c] = frame[c].map(
                lambda v: json.dumps(v, ensure_ascii=False, default=str) if isinstance(v, (dict, list, tuple)) else v
            )
            report.warnings.append(
                CodedNote(
                    f"field {c} holds structured values; they were kept as JSON text", code="read.json_field", field=c
                )
            )
    return out


def _nfc_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame
    for c in frame.columns:
        if c == frame.geometry.name:
            continue
        s = frame[c]
        if isinstance(s.dtype, pd.StringDtype):
            normal, changed = nfc_texts(s)
            vals = pd.Series(normal, index=s.index, dtype=s.dtype) if changed else s
        elif pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            vals = s.map(lambda v: nfc(v) if isinstance(v, str) else v)
        else:
            continue
        if vals is not s and not vals.equals(s):
            if out is frame:
                out = frame.copy()
            out[c] = vals
    renamed = {c: nfc(c) for c in out.columns if isinstance(c, str) and nfc(c) != c}
    return out.rename(columns=renamed) if renamed else out


def _finish(
    frame: gpd.GeoDataFrame,
    report: ReadReport,
    *,
    repair: TextRepair | None,
    given: CRS | None,
    name: str,
    ctx: _Ctx,
    table: bool = False,
    no_prj: bool = False,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """CRS, coordinates, geometries, ids, region: the checks every format shares."""
    limits = ctx.limits
    frame = _nfc_frame(frame)
    if repair is not None:
        if not report.encoding:
            report.encoding = repair.label if repair.source != "as read" else "UTF-8"
        elif repair.source == "detected":
            report.encoding = repair.label
        report.converted_fields = list(repair.fields_converted)
    report.features = len(frame)

    geoms = np.asarray(frame.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    coords, rows = shapely.get_coordinates(geoms[present], return_index=True)
    row_ids = np.flatnonzero(present)[rows] if rows.size else rows
    # the usual case (every coordinate finite and in range) is known from two reductions; the message only else
    sane_range = coords.size == 0 or (
        bool(np.isfinite(coords).all()) and float(np.abs(coords).max()) <= limits.coordinate_magnitude
    )
    problems = [] if sane_range else coordinate_problems(coords, row_ids, limits, label=name)
    report.errors.extend(problems)
    sane = coords if sane_range else coords[np.isfinite(coords).all(axis=1)]
    bounds = [float(v) for v in (*sane.min(axis=0), *sane.max(axis=0))] if sane.size else None
    report.bounds = bounds

    # CRS
    if not table:
        file_crs = frame.crs
        if given is not None:
            if file_crs is not None and not CRS.from_user_input(file_crs).equals(given):
                report.warnings.append(
                    CodedNote(
                        f"{name} declares {crs_label(file_crs)}; it was read as {crs_label(given)} as asked",
                        code="read.crs_overridden",
                        source=name,
                        declared=crs_label(file_crs),
                        used=crs_label(given),
                    )
                )
            frame = frame.set_crs(given, allow_override=True)
            report.crs_source = "given"
        elif file_crs is not None:
            report.crs_source = "file"
        else:
            guess, reason = (
                guess_crs(bounds)
                if bounds
                else (None, CodedNote("it has no coordinates", code="crs.guess_no_coordinates"))
            )
            report.crs_guess, report.crs_guess_reason = guess, reason
            hint = f"the coordinates suggest EPSG:{guess} ({reason})" if guess else f"the coordinates: {reason}"
            no_crs = "has no .prj" if no_prj else "does not say its CRS"
            raise MissingCRSError(
                f"{name} {no_crs}; choose its CRS (VN-2000 / TM-3 104°45′ is EPSG:9208); {hint}",
                guess=guess,
                reason=reason,
                report=report,
                source=name,
                bounds=bounds,
                no_prj=no_prj,
            )
    report.crs = crs_label(frame.crs) if frame.crs is not None else None
    if report.crs_source != "file" and bounds:
        report.crs_guess, report.crs_guess_reason = guess_crs(bounds)
    if not problems:
        # whoever chose the CRS (the file, the person, the ranges), data that lands outside Vietnam is wrong
        off = outside_vietnam(frame)
        if off is not None:
            raise outside_vietnam_error(off, label=name, crs=frame.crs)
    ctx.check(name)

    # geometries
    frame, gcheck = check_geometries(frame)
    report.repaired = gcheck.repaired
    report.empty_geometries = gcheck.empty
    report.geometry_types = dict(gcheck.types)
    report.mixed_types = gcheck.mixed
    if gcheck.repaired:
        report.warnings.append(
            CodedNote(
                f"{name}: {gcheck.repaired} invalid geometr{'y was' if gcheck.repaired == 1 else 'ies were'} "
                f"repaired (features {_rows(gcheck.repaired_rows)})",
                code="read.repaired",
                source=name,
                count=gcheck.repaired,
                **_row_params(gcheck.repaired_rows),
            )
        )
    if gcheck.empty:
        report.warnings.append(
            CodedNote(
                f"{name}: {gcheck.empty} feature(s) without geometry (features {_rows(gcheck.empty_rows)})",
                code="read.no_geometry",
                source=name,
                count=gcheck.empty,
                **_row_params(gcheck.empty_rows),
            )
        )
    if gcheck.mixed:
        # each "3 Point" is coded: its geometry type is said in the user's language
        kinds = [CodedNote(f"{n} {k}", code="read.kind_count", count=n, kind=k) for k, n in gcheck.types.items()]
        report.warnings.append(
            CodedNote(
                f"{name} mixes geometry types ({', '.join(kinds)}); a layer holds one type",
                code="read.mixed_types",
                source=name,
                kinds=kinds,
            )
        )
    if report.features == 0:
        report.errors.append(
            CodedNote(
                f"{name} holds no features; check that the right layer was exported",
                code="read.no_features",
                source=name,
            )
        )

    idf = id_field_of(frame.columns)
    report.duplicate_ids = duplicate_ids(frame, idf)
    if report.duplicate_ids:
        shown = ", ".join(str(v) for v in report.duplicate_ids[:10])
        report.warnings.append(
            CodedNote(
                f"{name}: field {idf} repeats the id(s) {shown}",
                code="read.repeated_ids",
                source=name,
                field=idf,
                ids=shown,
            )
        )

    if not problems:
        warn = region_warning(frame, label=name)
        if warn:
            report.warnings.append(warn)
    ctx.check(name)
    return frame, report


def _rows(rows: Sequence[int], n: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:n])
    return shown + (f" and {len(rows) - n} more" if len(rows) > n else "")


def _row_params(rows: Sequence[int], n: int = 10) -> dict[str, object]:
    """The params of a notice that lists features: the first ``n`` (``rows``, numbers) and how many more."""
    return {"rows": [int(r) for r in rows[:n]], "more": max(0, len(rows) - n)}


# --- writing ----------------------------------------------------------------------------------------------

#: output format -> (GDAL driver, file suffix)
WRITE_DRIVERS = {
    "gpkg": ("GPKG", ".gpkg"),
    "shp": ("ESRI Shapefile", ".shp"),
    "geojson": ("GeoJSON", ".geojson"),
    "kml": ("KML", ".kml"),
    "fgb": ("FlatGeobuf", ".fgb"),
    "parquet": ("Parquet", ".parquet"),
}


def write_vector(
    frame: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    driver: str,
    crs: object = None,
    layer: str | None = None,
) -> list[str]:
    """Write ``frame`` to ``path`` with a GDAL driver (or GeoParquet), atomically; return its notices.

    ``driver`` is a key of :data:`WRITE_DRIVERS` ("gpkg", "shp", "geojson", "kml", "fgb", "parquet") or a
    GDAL driver name. ``crs`` reprojects first (KML is always written in EPSG:4326, as the format
    requires). Shapefiles are written in UTF-8 with a ``.cpg``; the full names of fields the .dbf cuts to
    10 characters go into ``<name>.fieldnames.json`` beside it (read back by :func:`read_vector`), and text
    longer than a .dbf holds (254 bytes) is named in one message that recommends GeoPackage. The file
    appears complete or not at all: it is written beside the target under a temporary name and moved into
    place. The notices are coded notes (:class:`~geo.safety.CodedNote`): GDAL's messages (``export.library_message``,
    as GDAL wrote them), and the cut names and text.
    """
    drv = WRITE_DRIVERS.get(driver, (driver, ""))[0]
    out = Path(path)
    long_text = _long_dbf_text(frame) if drv == "ESRI Shapefile" else []
    if frame.crs is None:
        raise CRSError(
            f"cannot write {file_label(out)}: the data has no CRS; set it first (EPSG:9208 for VN-2000)",
            code="export.no_crs",
            file=file_label(out),
        )
    if crs is not None:
        frame = frame.to_crs(get_crs(crs))
    if drv in ("KML", "LIBKML") and CRS.from_user_input(frame.crs).to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    messages: list[str] = []
    tmpdir = Path(tempfile.mkdtemp(prefix=".baoyen-write-", dir=out.parent))
    try:
        tmp = tmpdir / out.name
        try:
            with _capture_gdal(None, messages):
                if drv == "Parquet":
                    frame.to_parquet(tmp)
                else:
                    kw: dict[str, Any] = {}
                    if drv == "ESRI Shapefile":
                        kw["encoding"] = "UTF-8"
                    if drv == "FlatGeobuf":
                        # the packed spatial index reorders features; keep the order the caller gave
                        kw["layer_options"] = {"SPATIAL_INDEX": "NO"}
                    pyogrio.write_dataframe(frame, tmp, driver=drv, layer=layer, **kw)
                    if drv == "ESRI Shapefile":
                        messages = _keep_field_names(frame, tmp, messages, long_text)
        except _PYOGRIO_ERRORS as exc:
            raise DataSourceError(
                f"cannot write {file_label(out)} as {drv} ({_one_line(exc)}); nothing was written",
                code="export.write_failed",
                file=file_label(out),
                driver=drv,
                detail=_one_line(exc),
            ) from exc
        for f in tmpdir.iterdir():
            os.replace(f, out.parent / f.name)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    # GDAL's own words stay as it wrote them, inside a notice that says who wrote them
    return [m if getattr(m, "code", None) else CodedNote(m, code="export.library_message", detail=m) for m in messages]


#: the most bytes a .dbf text field holds
DBF_TEXT_BYTES = 254


def _long_dbf_text(frame: gpd.GeoDataFrame) -> list[str]:
    """One message per text field with values a .dbf must cut (longer than 254 bytes in UTF-8)."""
    out: list[str] = []
    for c in frame.columns:
        if c == frame.geometry.name:
            continue
        s = frame[c]
        if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
            continue
        too_long = s.map(lambda v: isinstance(v, str) and len(v.encode("utf-8")) > DBF_TEXT_BYTES).to_numpy(bool)
        if too_long.any():
            rows = [int(i) + 1 for i in np.flatnonzero(too_long)]
            out.append(
                CodedNote(
                    f"field {c}: {len(rows)} text value(s) longer than a shapefile holds ({DBF_TEXT_BYTES} bytes) "
                    f"were cut (features {_rows(rows)}); export as GeoPackage (gpkg) to keep them whole",
                    code="export.text_cut",
                    field=str(c),
                    count=len(rows),
                    limit=DBF_TEXT_BYTES,
                    **_row_params(rows),
                )
            )
    return out


def _keep_field_names(frame: gpd.GeoDataFrame, shp: Path, messages: list[str], long_text: list[str]) -> list[str]:
    """Write ``<stem>.fieldnames.json`` when the .dbf cut field names; return the messages to report.

    GDAL's own notices of cut names and cut values are replaced by one line each: the names are kept in
    the file beside the shapefile, the values are named with the fix (GeoPackage).
    """
    written = [str(n) for n in pyogrio.read_info(shp)["fields"]]
    original = [str(c) for c in frame.columns if c != frame.geometry.name]
    renamed = {w: o for w, o in zip(written, original, strict=False) if w != o} if len(written) == len(original) else {}
    kept = [
        m
        for m in messages
        if not (m.startswith("Normalized/laundered field name") and renamed)
        and f"truncated to {DBF_TEXT_BYTES} characters" not in m
    ]
    if renamed:
        side = shp.with_name(shp.stem + FIELDNAMES_SUFFIX)
        doc = {"about": "full field names of the .dbf beside this file", "fields": renamed}
        side.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        names = ", ".join(f"{o} → {w}" for w, o in renamed.items())
        kept.append(
            CodedNote(
                f"the shapefile cuts field names to 10 characters ({names}); the full names are kept in {side.name} "
                "beside it and are restored when the file is imported",
                code="export.names_kept",
                names=names,
                file=side.name,
            )
        )
    return kept + long_text


def zip_files(files: Sequence[Path], target: Path) -> Path:
    """Zip ``files`` (flat) into ``target`` atomically; return ``target``."""
    tmp = target.with_name(f".{target.name}.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, arcname=f.name)
    os.replace(tmp, target)
    return target

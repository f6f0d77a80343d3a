"""Reading and writing vector data: every format a planning office receives, read safely, with a report.

:func:`read_vector` reads Shapefile (.zip or loose), GeoPackage, GeoJSON, KML, KMZ, DXF, DGN v7, FlatGeobuf,
GeoParquet and CSV/XLSX coordinate tables through pyogrio (GDAL), after the checks of
:mod:`geo.safety` (size, type by content, archives, XML, JSON depth, truncation). It returns the frame and
a :class:`ReadReport` (what was read, CRS and where it came from, text encoding, repaired and empty
geometries, mixed types, duplicate ids, errors that block an import, warnings, GDAL's own messages).

It never assumes a CRS: a file without one raises :class:`MissingCRSError` (a :class:`CRSError`) unless
the caller gives ``crs``, and the error carries a guess from the coordinate ranges (:func:`guess_crs`) with
its reason, for the UI to offer. Data far outside Lào Cai gets a "CRS probably wrong" warning.

Errors are one line naming the file, the problem and the fix: :class:`UnsafeInputError` (hostile or
broken), :class:`DataSourceError` (unreadable), :class:`InputDataError` (wrong content),
:class:`CRSError`. GDAL's messages are captured into the report, never printed.
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
from geo.limits import Limits
from geo.safety import (
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
    inspect_zip,
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
def _capture_gdal(report: ReadReport | None, sink: list[str] | None = None) -> Iterator[None]:
    """Collect GDAL's messages (pyogrio turns them into RuntimeWarnings) into the report.

    Other warnings are emitted again unchanged, so nothing unrelated is hidden.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        if issubclass(w.category, RuntimeWarning) and "pyogrio" in (w.filename or ""):
            msg = " ".join(str(w.message).split())
            if report is not None:
                report.gdal_messages.append(msg)
            if sink is not None:
                sink.append(msg)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


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
        when the file declares one, ``crs`` overrides it (with a warning).
    limits
        Limits for untrusted input (:class:`geo.limits.Limits`).
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
    """
    limits = limits or Limits()
    p = Path(path)
    name = label or file_label(p)
    report = ReadReport(path=str(p))
    check_size(p, limits, label=name)
    kind = sniff(p)
    if kind == "zip":
        listing = inspect_zip(p, limits, label=name)
        members = set(listing.members)
        if "[Content_Types].xml" in members and any(m.startswith("xl/") for m in members):
            return _read_any(p, "xlsx", layer=layer, crs=crs, limits=limits, name=name, report=report)
        with extract_zip(p, limits, label=name) as tmp:
            return _read_archive(tmp, layer=layer, crs=crs, limits=limits, name=name, report=report)
    return _read_any(p, kind, layer=layer, crs=crs, limits=limits, name=name, report=report)


_DATA_KINDS = ("shp", "gpkg", "geojson", "kml", "dxf", "dgn", "fgb", "parquet", "csv", "xlsx")


def _read_archive(
    root: Path, *, layer: str | None, crs: object, limits: Limits, name: str, report: ReadReport
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Find the data files inside an extracted archive and read the one (or the one named)."""
    found: list[tuple[str, Path, str]] = []
    skipped: list[str] = []
    for f in sorted(root.rglob("*")):
        if not f.is_file() or f.is_symlink():
            continue
        rel = f.relative_to(root).as_posix()
        if rel.startswith("__MACOSX/") or PurePosixPath(rel).name.startswith("._"):
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
            skipped.append(rel + " (archive inside the archive)")
        elif kind not in ("csv",):
            skipped.append(rel)
    # a KMZ keeps its images and a doc.kml; a shapefile's .dbf orphan etc. are reported
    if not found:
        if any(s.lower().endswith(".dbf") for s in skipped):
            raise UnsafeInputError(
                f"{name} holds a .dbf table without its .shp; zip all parts of the shapefile (.shp .shx .dbf .prj)"
            )
        raise InputDataError(
            f"{name} holds no data file that can be read"
            + (f" (found {', '.join(skipped[:10])})" if skipped else " (it is empty)")
            + "; zip a shapefile, GeoPackage, GeoJSON, KML, DXF or CSV"
        )
    report.layers = [rel for rel, _, _ in found]
    if len(found) > 1:
        if layer is None:
            raise SeveralLayersError(
                f"{name} holds several data files ({', '.join(report.layers)}); choose the one to read",
                layers=report.layers,
                code="source.several_files",
                source=name,
            )
        match = [t for t in found if layer in (t[0], PurePosixPath(t[0]).name, PurePosixPath(t[0]).stem)]
        if not match:
            raise InputDataError(f"{name} has no data file '{layer}'; it holds {', '.join(report.layers)}")
        rel, f, kind = match[0]
        inner_layer = None
    else:
        rel, f, kind = found[0]
        inner_layer = layer
    frame, rep = _read_any(f, kind, layer=inner_layer, crs=crs, limits=limits, name=f"{name} ({rel})", report=report)
    rep.path = report.path
    if len(found) > 1:
        rep.layer = rel
    return frame, rep


def _read_any(
    p: Path, kind: str, *, layer: str | None, crs: object, limits: Limits, name: str, report: ReadReport
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    require_kind(kind, label=name)
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
        frame, repair = repair_legacy_text(frame, label=name)
        return _finish(frame, report, repair=repair, given=None, name=name, limits=limits, table=True)

    if kind == "shp":
        parts = check_shapefile_parts(p, label=name)
        declared = None
        if "cpg" in parts:
            cpg_text = parts["cpg"].read_text(encoding="ascii", errors="replace")
            declared = codec_from_cpg(cpg_text)
            if declared is None:
                report.warnings.append(
                    f"{name}: its .cpg names an unknown code page ({cpg_text.strip()!r}); "
                    "the text encoding was detected instead"
                )
        with parts["dbf"].open("rb") as fh:
            ldid = fh.read(32)[29]
        frame = _gdal_read(p, layer=None, name=name, report=report, encoding="latin1")
        frame, repair = decode_columns(frame, declared=declared, ldid=ldid, label=name)
        report.warnings.extend(repair.warnings)
        return _finish(frame, report, repair=repair, given=given, name=name, limits=limits, no_prj=True)

    data: bytes | None = None
    if kind == "gpkg":
        check_sqlite(p, label=name)
    elif kind == "geojson":
        data = p.read_bytes()
        check_json(data, limits, label=name)
    elif kind in ("kml", "xml"):
        data = p.read_bytes()
        check_xml(data, label=name)
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
        return _finish(_read_parquet(p, name), report, repair=None, given=given, name=name, limits=limits)

    layers = _list_layers(p, name=name, report=report)
    report.layers = [n for n, _ in layers]
    spatial = [n for n, g in layers if g not in (None, "None")]
    if layer is None and len(layers) > 1:
        if len(spatial) != 1:
            listed = ", ".join(f"{n} ({g or 'table'})" for n, g in layers)
            raise SeveralLayersError(
                f"{name} holds several layers: {listed}; choose the layer to read",
                layers=report.layers,
                code="source.several_layers",
                source=name,
            )
        # one spatial layer beside attribute tables (QGIS styles, metadata): that is the data
        layer = spatial[0]
    if layer is not None and layer not in report.layers:
        raise InputDataError(f"{name} has no layer '{layer}'; its layers are {', '.join(report.layers)}")
    report.layer = layer or (report.layers[0] if report.layers else None)
    frame = _gdal_read(p, layer=layer, name=name, report=report)
    if kind == "kml":
        frame = _tidy_kml(frame)
    frame = _flatten_objects(frame, report)
    frame, repair = repair_legacy_text(frame, label=name)
    report.warnings.extend(repair.warnings)
    return _finish(frame, report, repair=repair, given=given, name=name, limits=limits)


def _list_layers(p: Path, *, name: str, report: ReadReport) -> list[tuple[str, str | None]]:
    try:
        with _capture_gdal(report):
            arr = pyogrio.list_layers(p)
    except _PYOGRIO_ERRORS as exc:
        raise DataSourceError(
            f"{name} cannot be read as {report.driver} ({_one_line(exc)}); check the file or export it again"
        ) from exc
    return [(str(n), None if g is None else str(g)) for n, g in arr]


def _gdal_read(
    p: Path, *, layer: str | None, name: str, report: ReadReport, encoding: str | None = None
) -> gpd.GeoDataFrame:
    try:
        with _capture_gdal(report):
            frame = pyogrio.read_dataframe(p, layer=layer, encoding=encoding, on_invalid="ignore")
    except _PYOGRIO_ERRORS as exc:
        raise DataSourceError(
            f"{name} cannot be read as {report.driver} ({_one_line(exc)}); check the file or export it again"
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputDataError(f"{name} has no geometry; a layer needs points, lines or polygons")
    return frame


def _read_parquet(p: Path, name: str) -> gpd.GeoDataFrame:
    import pyarrow

    try:
        return gpd.read_parquet(p)
    except ValueError as exc:
        raise InputDataError(
            f"{name} is Parquet without geometry metadata (not GeoParquet); export it as GeoParquet"
        ) from exc
    except (pyarrow.ArrowException, OSError) as exc:
        raise UnsafeInputError(f"{name} is a damaged Parquet file ({_one_line(exc)}); export it again") from exc


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
            report.warnings.append(f"field {c} holds structured values; they were kept as JSON text")
    return out


def _nfc_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame
    for c in frame.columns:
        if c == frame.geometry.name:
            continue
        s = frame[c]
        if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            vals = s.map(lambda v: nfc(v) if isinstance(v, str) else v)
            if not vals.equals(s):
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
    limits: Limits,
    table: bool = False,
    no_prj: bool = False,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """CRS, coordinates, geometries, ids, region: the checks every format shares."""
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
    problems = coordinate_problems(coords, row_ids, limits)
    report.errors.extend(f"{name}: {p}" for p in problems)
    sane = coords[np.isfinite(coords).all(axis=1)] if coords.size else coords
    bounds = [float(v) for v in (*sane.min(axis=0), *sane.max(axis=0))] if sane.size else None
    report.bounds = bounds

    # CRS
    if not table:
        file_crs = frame.crs
        if given is not None:
            if file_crs is not None and not CRS.from_user_input(file_crs).equals(given):
                report.warnings.append(
                    f"{name} declares {crs_label(file_crs)}; it was read as {crs_label(given)} as asked"
                )
            frame = frame.set_crs(given, allow_override=True)
            report.crs_source = "given"
        elif file_crs is not None:
            report.crs_source = "file"
        else:
            guess, reason = guess_crs(bounds) if bounds else (None, "it has no coordinates")
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

    # geometries
    frame, gcheck = check_geometries(frame)
    report.repaired = gcheck.repaired
    report.empty_geometries = gcheck.empty
    report.geometry_types = dict(gcheck.types)
    report.mixed_types = gcheck.mixed
    if gcheck.repaired:
        report.warnings.append(
            f"{name}: {gcheck.repaired} invalid geometr{'y was' if gcheck.repaired == 1 else 'ies were'} repaired "
            f"(features {_rows(gcheck.repaired_rows)})"
        )
    if gcheck.empty:
        report.warnings.append(
            f"{name}: {gcheck.empty} feature(s) without geometry (features {_rows(gcheck.empty_rows)})"
        )
    if gcheck.mixed:
        kinds = ", ".join(f"{n} {k}" for k, n in gcheck.types.items())
        report.warnings.append(f"{name} mixes geometry types ({kinds}); a layer holds one type")
    if report.features == 0:
        report.errors.append(f"{name} holds no features; check that the right layer was exported")

    idf = id_field_of(frame.columns)
    report.duplicate_ids = duplicate_ids(frame, idf)
    if report.duplicate_ids:
        shown = ", ".join(str(v) for v in report.duplicate_ids[:10])
        report.warnings.append(f"{name}: field {idf} repeats the id(s) {shown}")

    if not problems:
        warn = region_warning(frame, label=name)
        if warn:
            report.warnings.append(warn)
    return frame, report


def _rows(rows: Sequence[int], n: int = 10) -> str:
    shown = ", ".join(str(r) for r in rows[:n])
    return shown + (f" and {len(rows) - n} more" if len(rows) > n else "")


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
    """Write ``frame`` to ``path`` with a GDAL driver (or GeoParquet), atomically; return GDAL's messages.

    ``driver`` is a key of :data:`WRITE_DRIVERS` ("gpkg", "shp", "geojson", "kml", "fgb", "parquet") or a
    GDAL driver name. ``crs`` reprojects first (KML is always written in EPSG:4326, as the format
    requires). Shapefiles are written in UTF-8 with a ``.cpg``. The file appears complete or not at all:
    it is written beside the target under a temporary name and moved into place.
    """
    drv = WRITE_DRIVERS.get(driver, (driver, ""))[0]
    out = Path(path)
    if frame.crs is None:
        raise CRSError(f"cannot write `{out.name}`: the data has no CRS; set it first (EPSG:9208 for VN-2000)")
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
        except _PYOGRIO_ERRORS as exc:
            raise DataSourceError(f"cannot write `{out.name}` as {drv} ({_one_line(exc)})") from exc
        for f in tmpdir.iterdir():
            os.replace(f, out.parent / f.name)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return messages


def zip_files(files: Sequence[Path], target: Path) -> Path:
    """Zip ``files`` (flat) into ``target`` atomically; return ``target``."""
    tmp = target.with_name(f".{target.name}.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, arcname=f.name)
    os.replace(tmp, target)
    return target

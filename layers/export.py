"""Export a layer of the store for QGIS, the web or a report.

Formats: GeoPackage (with the catalogue style embedded as a QGIS ``layer_styles`` row, so QGIS opens the
layer styled), zipped Shapefile (.shp .shx .dbf .prj and a UTF-8 .cpg), GeoJSON, KML, CSV and XLSX
(attributes, ``area_ha`` measured in EPSG:9208 for polygons — ``communes_area_ha`` for the plan's raw-material
zones, whose shapes are the communes they lie in — and the coordinates: ``easting``/``northing``
or ``lon``/``lat`` for points, ``wkt`` for other geometries). Tables keep machine-readable numbers (a dot,
no thousands separator) rounded to what they measure: ``area_ha`` to 4 decimals (1 m²), metres to 3,
degrees to 7 (about 1 cm); attribute values from the store are written as stored. The target CRS is EPSG:9208 by default
(technical use) or any other (EPSG:4326 for the web); KML is always EPSG:4326 as the format requires.
Every file appears complete or not at all (written under a temporary name, then renamed).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from geo.crs import WORK_CRS, area_ha, crs_label, get_crs
from geo.errors import DataSourceError, InputDataError, PlanError
from geo.io import write_vector, zip_files
from geo.numbers import AREA_HA_DECIMALS, round_measured
from geo.safety import CodedNote
from layers.catalogue import CATALOGUE
from layers.model import Catalogue, LayerDef, Style
from layers.store import Store, check_layer_id

FORMATS: tuple[str, ...] = ("gpkg", "shp", "geojson", "kml", "csv", "xlsx")

#: file suffix of each format's output
SUFFIX = {"gpkg": ".gpkg", "shp": ".zip", "geojson": ".geojson", "kml": ".kml", "csv": ".csv", "xlsx": ".xlsx"}


@dataclass
class ExportResult:
    """What an export wrote."""

    path: Path
    fmt: str
    features: int
    crs: str
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "format": self.fmt,
            "features": self.features,
            "crs": self.crs,
            "warnings": self.warnings,
        }


def export_layer(
    store: Store,
    layer_id: str,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    crs: object = WORK_CRS,
    catalogue: Catalogue = CATALOGUE,
) -> ExportResult:
    """Write the current version of ``layer_id`` to ``out`` in format ``fmt`` (one of :data:`FORMATS`).

    Never over the store itself: its file and its -wal, -shm and -journal files are refused, by any path or link.
    """
    check_layer_id(layer_id)
    frame = store.read_layer(layer_id)
    layer = catalogue.get(layer_id) if layer_id in catalogue else None
    return export_frame(frame, fmt, out, crs=crs, layer=layer, layer_name=layer_id, protect=store_files(store))


def export_frame(
    frame: gpd.GeoDataFrame,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    crs: object = WORK_CRS,
    layer: LayerDef | None = None,
    layer_name: str = "layer",
    protect: Sequence[Path] = (),
) -> ExportResult:
    """Write ``frame`` as :func:`export_layer` does (the frame must carry a CRS).

    ``out`` must name a file: a folder, a device and the files in ``protect`` are refused
    (:func:`check_output`). The file is written under a temporary name in its folder and renamed over ``out``
    only when complete; an existing file replaced so is named in the result's warnings.
    """
    if fmt not in FORMATS:
        raise InputDataError(
            f"'{fmt}' is not an export format; use one of {', '.join(FORMATS)}",
            code="export.bad_format",
            format=fmt,
            formats=list(FORMATS),
        )
    target = get_crs(crs)
    path = Path(out)
    replaces = check_output(path, protect=protect, example=f"{layer_name}{SUFFIX[fmt]}")
    warnings: list[str] = []
    data = frame.to_crs(target) if not CRS.from_user_input(frame.crs).equals(target) else frame
    if fmt == "kml" and target.to_epsg() != 4326:
        warnings.append(
            CodedNote(
                f"KML is always in EPSG:4326; {crs_label(target)} was not used",
                code="export.kml_lonlat",
                crs=crs_label(target),
            )
        )
        data = frame.to_crs("EPSG:4326")
    with _replacing(path, fmt) as part:
        if fmt == "gpkg":
            warnings += write_vector(data, part, driver="gpkg", layer=layer_name)
            if layer is not None:
                embed_style(part, layer_name, layer)
        elif fmt == "shp":
            long_names = [c for c in data.columns if c != data.geometry.name and len(str(c)) > 10]
            if long_names:
                names = ", ".join(map(str, long_names))
                warnings.append(
                    CodedNote(
                        f"shapefile field names are cut to 10 characters: {names}",
                        code="export.names_cut",
                        fields=names,
                    )
                )
            data = _shapefile_safe(data)
            with tempfile.TemporaryDirectory(prefix="baoyen-shp-") as tmp:
                shp = Path(tmp) / f"{layer_name}.shp"
                warnings += write_vector(data, shp, driver="shp")
                zip_files(sorted(Path(tmp).iterdir()), part)
        elif fmt in ("geojson", "kml"):
            warnings += write_vector(data, part, driver=fmt, layer=layer_name)
        else:
            area_column = area_column_of(layer)
            table = attribute_table(frame, target, area_column=area_column)
            note_column = f"{area_column}_note"
            unmeasured = int(table[note_column].notna().sum()) if note_column in table.columns else 0
            if unmeasured:
                warnings.append(
                    CodedNote(
                        f"{area_column} left empty for {unmeasured} of {len(frame)} features: their geometry is not "
                        f"surveyed or digitised, so its area is not the feature's (see {note_column})",
                        code="export.area_unmeasured",
                        column=area_column,
                        count=unmeasured,
                        total=len(frame),
                        note_column=note_column,
                    )
                )
            if area_column != AREA_COLUMN and area_column in table.columns and table[area_column].notna().any():
                warnings.append(
                    CodedNote(
                        f"{area_column} is the measured area of each shape, and the shapes of {layer_name} are not "
                        "its features' own outlines (see the layer's description): it is not the features' area",
                        code="export.area_of_shapes",
                        column=area_column,
                        layer=layer_name,
                    )
                )
            formulas = formula_cells(table)
            if formulas:
                warnings.append(
                    CodedNote(
                        f"{formulas} text cell(s) begin like a spreadsheet formula (=, +, -, @); they are written as "
                        "text" + (", with a leading '" if fmt == "csv" else "") + ", so they never run",
                        code="export.formula_cells",
                        count=formulas,
                        csv=fmt == "csv",
                    )
                )
            _write_table(table, part, fmt)
    if replaces:
        warnings.append(CodedNote(f"{path} existed and was replaced", code="export.replaced", path=str(path)))
    return ExportResult(path, fmt, len(frame), crs_label(data.crs), warnings)


def store_files(store: Store) -> list[Path]:
    """The files of a store on disk (the database and SQLite's -wal, -shm and -journal beside it), if it has any."""
    where = getattr(store, "path", None)
    if where is None:
        return []
    base = Path(where)
    return [base, *(base.with_name(base.name + s) for s in ("-wal", "-shm", "-journal"))]


def _same_file(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):  # also through a hard link or another path
            return True
    except OSError:
        pass  # one of them does not exist: compare the names
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        return False


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return 255


def check_output(path: Path, *, protect: Sequence[Path] = (), example: str = "export.gpkg") -> bool:
    """Refuse an output path that is not a file a person can mean to replace; return True when it exists.

    Refused with :class:`InputDataError`: a name longer than the disk allows (``export.name_too_long``), any of
    ``protect`` (``export.onto_store``), a folder (``export.is_directory``; ``example`` names a file to put in
    it) and anything but a regular file, such as a device or a pipe (``export.not_a_file``).
    """
    limit = _name_max(path.parent if path.parent.is_dir() else Path("."))
    length = len(os.fsencode(path.name))
    if length > limit:
        raise InputDataError(
            f"the file name {path.name[:40]}… is too long ({length} bytes; the disk allows {limit}); "
            "choose a shorter name",
            code="export.name_too_long",
            name=path.name[:40] + "…",
            length=length,
            limit=limit,
        )
    if any(_same_file(path, p) for p in protect):
        raise InputDataError(
            f"{path} is the project store or one of its files: writing there would destroy the store and its "
            "history; choose another output file",
            code="export.onto_store",
            path=str(path),
        )
    try:
        mode = path.stat().st_mode  # through a symbolic link: what would be replaced
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    if stat.S_ISDIR(mode):
        raise InputDataError(
            f"{path} is a folder; name the file to write, for example {path / example}",
            code="export.is_directory",
            path=str(path),
            example=str(path / example),
        )
    if not stat.S_ISREG(mode):
        raise InputDataError(
            f"{path} is not a regular file (it is a device, a pipe or a socket); choose a file to write",
            code="export.not_a_file",
            path=str(path),
        )
    return True


def _cannot_write(path: Path, exc: OSError) -> DataSourceError:
    """The error for a file that could not be written, by the system's error number."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DataSourceError(
            f"{path} could not be written: the disk is full; nothing was written there",
            code="export.disk_full",
            path=str(path),
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return DataSourceError(
            f"{path} could not be written: no permission to write there (or the disk is read-only); "
            "nothing was written there",
            code="export.no_permission",
            path=str(path),
        )
    reason = exc.strerror or type(exc).__name__
    return DataSourceError(
        f"{path} could not be written ({reason}); nothing was written there",
        code="export.cannot_write",
        path=str(path),
        reason=reason,
    )


@contextmanager
def _replacing(path: Path, fmt: str) -> Iterator[Path]:
    """A temporary file in ``path``'s folder, renamed over ``path`` when the block ends without an error."""
    try:
        tmpdir = Path(tempfile.mkdtemp(prefix=".baoyen-export-", dir=path.parent))
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    try:
        part = tmpdir / f"export{SUFFIX[fmt]}"  # a short name: the person's may be as long as the disk allows
        yield part
        os.replace(part, path)
    except PlanError:
        raise
    except OSError as exc:
        raise _cannot_write(path, exc) from exc
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def _shapefile_safe(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dates as ISO text (the .dbf date type drops the time zone and fails on missing values)."""
    out = frame
    for c in frame.columns:
        if c != frame.geometry.name and pd.api.types.is_datetime64_any_dtype(frame[c].dtype):
            out = out.copy() if out is frame else out
            out[c] = frame[c].dt.strftime("%Y-%m-%d").astype(object)
    return out


#: geometry qualities whose measured area a table may carry
MEASURED_QUALITIES: tuple[str, ...] = ("surveyed", "digitised")
#: the column of a feature's measured area, when its shape is its own outline (else LayerDef.shape_area_field)
AREA_COLUMN = "area_ha"
AREA_NOTE_COLUMN = "area_ha_note"
AREA_NOTE = (
    "không tính diện tích: hình học '{quality}', không phải đo đạc hay số hóa / no area: the geometry is "
    "'{quality}', neither surveyed nor digitised"
)


def area_column_of(layer: LayerDef | None) -> str:
    """The column a table of ``layer`` gives each shape's measured area under (``area_ha`` unless the layer says).

    A layer whose shapes are not its features' own outlines names another (:attr:`LayerDef.shape_area_field`: the
    plan zones' ``communes_area_ha``), so that area is never read as the features'.
    """
    return (layer.shape_area_field if layer is not None else None) or AREA_COLUMN


def attribute_table(frame: gpd.GeoDataFrame, crs: CRS, *, area_column: str = AREA_COLUMN) -> pd.DataFrame:
    """Attributes, the measured area (EPSG:9208) of polygons, and coordinates in ``crs`` as plain columns.

    The area goes in ``area_column`` (``area_ha``; :func:`area_column_of` names another for shapes that are not the
    features' outlines). It is filled only for surveyed or digitised polygons; the others leave it empty and say
    why in ``<area_column>_note``.
    """
    geoms = frame.geometry
    table = pd.DataFrame(frame.drop(columns=geoms.name))
    present = ~(geoms.isna() | geoms.is_empty)
    kinds = set(geoms[present].geom_type)
    data = frame.to_crs(crs) if not CRS.from_user_input(frame.crs).equals(crs) else frame
    if kinds and kinds <= {"Polygon", "MultiPolygon"}:
        areas = [round_measured(v, AREA_HA_DECIMALS) for v in area_ha(frame)]
        # an area is only as good as its shape: a schematic or approximate one (a whole schematic district for a
        # district-wide total) would pass for a measurement, so only surveyed or digitised shapes get one; a frame
        # without geom_quality says nothing against its shapes
        if "geom_quality" in frame.columns:
            quality = frame["geom_quality"].astype("string")
            measured = present & quality.isin(MEASURED_QUALITIES).fillna(False).astype(bool)
        else:
            quality, measured = None, present
        table[area_column] = pd.Series(areas, index=frame.index, dtype="float64").where(measured)
        if quality is not None and not measured[present].all():
            table[f"{area_column}_note"] = [
                AREA_NOTE.format(quality=q if isinstance(q, str) else "?") if p and not m else None
                for q, p, m in zip(quality.astype(object), present, measured, strict=True)
            ]
    if kinds == {"Point"}:
        names = ("lon", "lat") if crs.is_geographic else ("easting", "northing")
        digits = 7 if crs.is_geographic else 3
        table[names[0]] = data.geometry.x.round(digits).where(present)
        table[names[1]] = data.geometry.y.round(digits).where(present)
    elif kinds:
        table["wkt"] = data.geometry.to_wkt(rounding_precision=7 if crs.is_geographic else 3).where(present)
    return table


def _write_table(table: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write the table to ``path`` (a temporary file of :func:`_replacing`); text never becomes a formula."""
    if fmt == "csv":
        # UTF-8 with BOM so that Excel shows Vietnamese correctly; ISO dates
        safe_csv(table, path, encoding="utf-8-sig", date_format="%Y-%m-%d")
        return
    out = table.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.date
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name="data")
        protect_sheet(writer.sheets["data"])


# --- spreadsheet cells -------------------------------------------------------------------------------------
# Text that begins with =, +, - or @ (or a tab or a carriage return) is a live formula to Excel and LibreOffice:
# "=HYPERLINK(...)" or a DDE call in a tenant's name would run when the file is opened (OWASP "CSV injection").
# Every table the project writes for a spreadsheet goes through these helpers: such text is written as text.

#: characters that start a formula (fullwidth forms too: some input methods type them)
FORMULA_START = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_LEADING_SPACE = " \t\r\n\u00a0\u3000"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?")


def is_formula_text(value: object) -> bool:
    """True when a spreadsheet would read the text ``value`` as a formula.

    Text starting with ``=``, ``+``, ``-`` or ``@`` (also after leading spaces, tabs or line breaks), or with a
    tab or a carriage return, is one; a plain number written as text ("-5", "+84") is not. Non-text never is.
    """
    if not isinstance(value, str) or not value:
        return False
    if value[0] in "\t\r":
        return True
    stripped = value.lstrip(_LEADING_SPACE)
    return bool(stripped) and stripped[0] in FORMULA_START and _PLAIN_NUMBER.fullmatch(stripped) is None


def safe_cell(value: object) -> object:
    """A cell for a CSV file: formula-like text gets a leading ``'`` (the OWASP rule) and stays readable."""
    return "'" + value if isinstance(value, str) and is_formula_text(value) else value


def _text_like(series: pd.Series) -> bool:
    dtype = series.dtype
    return not (
        pd.api.types.is_numeric_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_datetime64_any_dtype(dtype)
        or pd.api.types.is_timedelta64_dtype(dtype)
    )


def formula_cells(table: pd.DataFrame) -> int:
    """How many text cells (and column names) of ``table`` a spreadsheet would read as formulas."""
    n = sum(is_formula_text(c) for c in table.columns)
    for i in range(table.shape[1]):
        column = table.iloc[:, i]
        if _text_like(column):
            n += int(sum(is_formula_text(v) for v in column.tolist()))
    return n


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` for a CSV file: every formula-like text cell and column name through :func:`safe_cell`.

    Numbers, dates and other text are left as they are.
    """
    out = table.copy()
    for i in range(out.shape[1]):
        column = out.iloc[:, i]
        if _text_like(column):
            out.isetitem(i, column.map(safe_cell, na_action="ignore").array)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def safe_csv(table: pd.DataFrame, path: Path | None = None, **options: Any) -> str | None:
    """``table`` as CSV for a spreadsheet (the text when ``path`` is None): formula-like text made inert.

    Cells go through :func:`csv_safe`, and lines end in CRLF (RFC 4180), so that a carriage return or a line
    break inside a value is quoted and never starts a row, whose first cell a spreadsheet would read, of its own.
    ``options`` are pandas' ``to_csv`` options (encoding, date_format).
    """
    return csv_safe(table).to_csv(path, index=False, lineterminator="\r\n", **options)


def protect_sheet(sheet: Any) -> int:
    """Mark every formula-like text cell of an openpyxl worksheet as text; return how many there were.

    openpyxl writes text that starts with ``=`` as a live formula; such a cell is set back to the text type
    (``data_type`` "s") with Excel's quote prefix, so it shows, and stays when edited, as the text it is.
    """
    n = 0
    for row in sheet.iter_rows():
        for cell in row:
            if is_formula_text(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
                n += 1
    return n


# --- QGIS style --------------------------------------------------------------------------------------------


def _rgba(color: str, opacity: float = 1.0) -> str:
    c = color.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},{round(opacity * 255)}"


def _opt(name: str, value: str) -> str:
    return f'<Option type="QString" name="{name}" value={quoteattr(value)}/>'


def _symbol(layer: LayerDef, style: Style, name: str, fill: str | None) -> str:
    geom = layer.geometry_type
    if geom == "Point":
        opts = [
            _opt("name", "circle"),
            _opt("color", _rgba(fill or style.fill_color or style.color, 0.9)),
            _opt("outline_color", _rgba(style.color)),
            _opt("outline_width", "1"),
            _opt("outline_width_unit", "Pixel"),
            _opt("size", f"{style.radius * 2:g}"),
            _opt("size_unit", "Pixel"),
        ]
        kind, cls = "marker", "SimpleMarker"
    elif geom == "LineString":
        opts = [
            _opt("line_color", _rgba(fill or style.color)),
            _opt("line_width", f"{style.weight:g}"),
            _opt("line_width_unit", "Pixel"),
        ]
        kind, cls = "line", "SimpleLine"
    else:
        opts = [
            _opt("color", _rgba(fill or style.fill_color or style.color, style.fill_opacity)),
            _opt("outline_color", _rgba(style.color)),
            _opt("outline_width", f"{style.weight:g}"),
            _opt("outline_width_unit", "Pixel"),
            _opt("style", "b_diagonal" if style.hatch else "solid"),
        ]
        kind, cls = "fill", "SimpleFill"
    return (
        f'<symbol type="{kind}" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="{cls}" enabled="1" pass="0" locked="0"><Option type="Map">{"".join(opts)}</Option></layer>'
        "</symbol>"
    )


def qml_for(layer: LayerDef, *, lang: str = "vi") -> str:
    """A QGIS style (QML) for the layer: single symbol, or categories when the style colours by a field."""
    style = layer.style
    if style.color_field and style.color_map:
        cats = "".join(
            f'<category render="true" symbol="{i}" value={quoteattr(v)} label={quoteattr(v)}/>'
            for i, (v, _) in enumerate(style.color_map)
        )
        syms = "".join(_symbol(layer, style, str(i), c) for i, (_, c) in enumerate(style.color_map))
        renderer = (
            f'<renderer-v2 type="categorizedSymbol" attr={quoteattr(style.color_field)} symbollevels="0" '
            f'enableorderby="0" forceraster="0"><categories>{cats}</categories><symbols>{syms}</symbols>'
            f"<source-symbol>{_symbol(layer, style, '0', None)}</source-symbol></renderer-v2>"
        )
    else:
        renderer = (
            '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0">'
            f"<symbols>{_symbol(layer, style, '0', None)}</symbols></renderer-v2>"
        )
    label_field = "name"
    labeling = (
        '<labeling type="simple"><settings calloutType="simple">'
        f'<text-style fieldName="{label_field}" fontSize="9" textColor="50,50,50,255"/>'
        "</settings></labeling>"
    )
    title = layer.title(lang)
    return (
        '<qgis version="3.34" styleCategories="Symbology|Labeling">'
        f"<layerTitle>{_xml_text(title)}</layerTitle>{renderer}{labeling}</qgis>"
    )


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def embed_style(gpkg: Path, table: str, layer: LayerDef) -> None:
    """Add the layer's QML as the default style in the GeoPackage's QGIS ``layer_styles`` table."""
    qml = qml_for(layer)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    con = sqlite3.connect(gpkg)
    try:
        with con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
                "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
                "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME)"
            )
            geom = con.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
            ).fetchone()
            if con.execute("SELECT 1 FROM gpkg_contents WHERE table_name = 'layer_styles'").fetchone() is None:
                con.execute(
                    "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) "
                    "VALUES ('layer_styles', 'attributes', 'layer_styles', ?)",
                    (now,),
                )
            con.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (table,))
            con.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
                "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', '', ?)",
                (table, geom[0] if geom else "geom", table, qml, layer.title_vi, now),
            )
    finally:
        con.close()

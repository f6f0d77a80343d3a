"""Export a layer of the store for QGIS, the web or a report.

Formats: GeoPackage (with the catalogue style embedded as a QGIS ``layer_styles`` row, so QGIS opens the
layer styled), zipped Shapefile (.shp .shx .dbf .prj and a UTF-8 .cpg), GeoJSON, KML, CSV and XLSX
(attributes, ``area_ha`` measured in EPSG:9208 for polygons, and the coordinates: ``easting``/``northing``
or ``lon``/``lat`` for points, ``wkt`` for other geometries). Tables keep machine-readable numbers (a dot,
no thousands separator) rounded to what they measure: ``area_ha`` to 4 decimals (1 m²), metres to 3,
degrees to 7 (about 1 cm); attribute values from the store are written as stored. The target CRS is EPSG:9208 by default
(technical use) or any other (EPSG:4326 for the web); KML is always EPSG:4326 as the format requires.
Every file appears complete or not at all (written under a temporary name, then renamed).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from geo.crs import WORK_CRS, area_ha, crs_label, get_crs
from geo.errors import InputDataError
from geo.io import write_vector, zip_files
from geo.numbers import AREA_HA_DECIMALS, round_measured
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
    """Write the current version of ``layer_id`` to ``out`` in format ``fmt`` (one of :data:`FORMATS`)."""
    check_layer_id(layer_id)
    frame = store.read_layer(layer_id)
    layer = catalogue.get(layer_id) if layer_id in catalogue else None
    return export_frame(frame, fmt, out, crs=crs, layer=layer, layer_name=layer_id)


def export_frame(
    frame: gpd.GeoDataFrame,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    crs: object = WORK_CRS,
    layer: LayerDef | None = None,
    layer_name: str = "layer",
) -> ExportResult:
    """Write ``frame`` as :func:`export_layer` does (the frame must carry a CRS)."""
    if fmt not in FORMATS:
        raise InputDataError(f"'{fmt}' is not an export format; use one of {', '.join(FORMATS)}")
    target = get_crs(crs)
    path = Path(out)
    warnings: list[str] = []
    data = frame.to_crs(target) if not CRS.from_user_input(frame.crs).equals(target) else frame
    if fmt == "kml" and target.to_epsg() != 4326:
        warnings.append(f"KML is always in EPSG:4326; {crs_label(target)} was not used")
        data = frame.to_crs("EPSG:4326")
    if fmt == "gpkg":
        warnings += write_vector(data, path, driver="gpkg", layer=layer_name)
        if layer is not None:
            embed_style(path, layer_name, layer)
    elif fmt == "shp":
        long_names = [c for c in data.columns if c != data.geometry.name and len(str(c)) > 10]
        if long_names:
            warnings.append("shapefile field names are cut to 10 characters: " + ", ".join(long_names))
        data = _shapefile_safe(data)
        with tempfile.TemporaryDirectory(prefix="baoyen-shp-") as tmp:
            shp = Path(tmp) / f"{layer_name}.shp"
            warnings += write_vector(data, shp, driver="shp")
            zip_files(sorted(Path(tmp).iterdir()), path)
    elif fmt in ("geojson", "kml"):
        warnings += write_vector(data, path, driver=fmt, layer=layer_name)
    else:
        table = attribute_table(frame, target)
        _write_table(table, path, fmt)
    return ExportResult(path, fmt, len(frame), crs_label(data.crs), warnings)


def _shapefile_safe(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dates as ISO text (the .dbf date type drops the time zone and fails on missing values)."""
    out = frame
    for c in frame.columns:
        if c != frame.geometry.name and pd.api.types.is_datetime64_any_dtype(frame[c].dtype):
            out = out.copy() if out is frame else out
            out[c] = frame[c].dt.strftime("%Y-%m-%d").astype(object)
    return out


def attribute_table(frame: gpd.GeoDataFrame, crs: CRS) -> pd.DataFrame:
    """Attributes, ``area_ha`` (EPSG:9208) for polygons, and coordinates in ``crs`` as plain columns."""
    geoms = frame.geometry
    table = pd.DataFrame(frame.drop(columns=geoms.name))
    present = ~(geoms.isna() | geoms.is_empty)
    kinds = set(geoms[present].geom_type)
    data = frame.to_crs(crs) if not CRS.from_user_input(frame.crs).equals(crs) else frame
    if kinds and kinds <= {"Polygon", "MultiPolygon"}:
        areas = [round_measured(v, AREA_HA_DECIMALS) for v in area_ha(frame)]
        table["area_ha"] = pd.Series(areas, index=frame.index, dtype="float64").where(present)
    if kinds == {"Point"}:
        names = ("lon", "lat") if crs.is_geographic else ("easting", "northing")
        digits = 7 if crs.is_geographic else 3
        table[names[0]] = data.geometry.x.round(digits).where(present)
        table[names[1]] = data.geometry.y.round(digits).where(present)
    elif kinds:
        table["wkt"] = data.geometry.to_wkt(rounding_precision=7 if crs.is_geographic else 3).where(present)
    return table


def _write_table(table: pd.DataFrame, path: Path, fmt: str) -> None:
    tmp = path.with_name(f".{path.name}.part")
    try:
        if fmt == "csv":
            # UTF-8 with BOM so that Excel shows Vietnamese correctly; ISO dates
            table.to_csv(tmp, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d")
        else:
            out = table.copy()
            for c in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[c].dtype):
                    out[c] = out[c].dt.date
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                out.to_excel(writer, index=False, sheet_name="data")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


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

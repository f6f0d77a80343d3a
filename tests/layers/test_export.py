"""Export: every format reads back what was written; QGIS style embedded in the GeoPackage."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import defusedxml.ElementTree as SafeET
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from geo.crs import area_ha
from geo.errors import InputDataError
from geo.io import read_vector
from layers.catalogue import CATALOGUE
from layers.export import FORMATS, SUFFIX, export_frame, export_layer, qml_for
from layers.store import GeoPackageStore, create_store
from tests.geo.test_io_corpus import E0, N0, square


def _lots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["L1", "L2", "L3"],
            "name": ["Lô A1", "Lô Phố Ràng", "Lô Bảo Hà"],
            "source": ["test"] * 3,
            "geom_quality": ["surveyed"] * 3,
            "cluster_id": ["ccn_pho_rang"] * 3,
            "status": ["leased", "vacant", "reserved"],
        },
        geometry=[square(E0 + 2000 * i, side_m=100.0 * (i + 1)) for i in range(3)],
        crs=9208,
    )


def _points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["p1", "p2"], "name": ["Xưởng A", "Xưởng B"], "source": ["t", "t"], "geom_quality": ["surveyed"] * 2},
        geometry=[shapely.Point(E0, N0), shapely.Point(E0 + 1234.5, N0 + 321.25)],
        crs=9208,
    )


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    s = create_store(tmp_path / "store.gpkg")
    s.write_layer("cluster_lots", _lots(), user="t", message="test", origin="imported")
    s.write_layer("ttcn_facilities", _points(), user="t", message="test", origin="imported")
    return s


SHP_NAMES = {"geom_quali": "geom_quality", "cluster_id": "cluster_id"}


def _back(path: Path, fmt: str, crs: str) -> gpd.GeoDataFrame:
    frame, report = read_vector(path, crs=crs if fmt in ("csv", "xlsx") else None)
    assert report.ok, report.errors
    frame = frame.rename(columns=SHP_NAMES)
    return frame


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("crs", ["EPSG:9208", "EPSG:4326"])
@pytest.mark.parametrize("layer_id", ["cluster_lots", "ttcn_facilities"])
def test_round_trip(store: GeoPackageStore, tmp_path: Path, fmt: str, crs: str, layer_id: str) -> None:
    out = tmp_path / f"out{SUFFIX[fmt]}"
    result = export_layer(store, layer_id, fmt, out, crs=crs)
    assert result.features == len(store.read_layer(layer_id))
    expected = store.read_layer(layer_id, crs="EPSG:4326" if fmt == "kml" else crs)
    back = _back(out, fmt, result.crs)
    assert back.crs.to_epsg() == expected.crs.to_epsg()
    cols = ["id", "name", "source", "geom_quality"]
    assert_geodataframe_equal(
        back[[*cols, "geometry"]].astype({c: object for c in cols}),
        expected[[*cols, "geometry"]].astype({c: object for c in cols}),
        check_less_precise=True,
        check_dtype=False,
        normalize=True,
    )
    if fmt in ("csv", "xlsx") and layer_id == "cluster_lots":
        np.testing.assert_allclose(back["area_ha"].astype(float), area_ha(expected).round(4))


def test_csv_has_area_in_ha_measured_in_vn2000(store: GeoPackageStore, tmp_path: Path) -> None:
    out = tmp_path / "lots.csv"
    export_layer(store, "cluster_lots", "csv", out, crs="EPSG:4326")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table["area_ha"]) == [1.0, 4.0, 9.0]  # 100 m, 200 m, 300 m squares in EPSG:9208
    assert list(table["name"]) == ["Lô A1", "Lô Phố Ràng", "Lô Bảo Hà"]


def test_zipped_shapefile_has_prj_and_utf8_cpg(store: GeoPackageStore, tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "lots.zip"
    result = export_layer(store, "cluster_lots", "shp", out)
    names = zipfile.ZipFile(out).namelist()
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["cpg", "dbf", "prj", "shp", "shx"]
    assert zipfile.ZipFile(out).read("cluster_lots.cpg").strip() == b"UTF-8"
    assert any("10 characters" in w for w in result.warnings)


def test_geopackage_carries_a_qgis_style(store: GeoPackageStore, tmp_path: Path) -> None:
    out = tmp_path / "lots.gpkg"
    export_layer(store, "cluster_lots", "gpkg", out)
    con = sqlite3.connect(out)
    try:
        rows = con.execute(
            "SELECT f_table_name, f_geometry_column, useAsDefault, styleQML FROM layer_styles"
        ).fetchall()
        contents = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
    finally:
        con.close()
    assert len(rows) == 1
    table, geom, default, qml = rows[0]
    assert (table, geom, default) == ("cluster_lots", "geom", 1)
    assert "layer_styles" in contents
    root = SafeET.fromstring(qml)
    layer = CATALOGUE.get("cluster_lots")
    renderer = root.find("renderer-v2")
    assert renderer is not None
    if layer.style.color_field:
        assert renderer.get("type") == "categorizedSymbol"
        assert renderer.get("attr") == layer.style.color_field
    # the style's colour appears as QGIS r,g,b,a
    c = layer.style.color.lstrip("#")
    rgb = ",".join(str(int(c[i : i + 2], 16)) for i in (0, 2, 4))
    assert rgb in qml
    # and the data still reads as the layer (layer_styles is an attribute table)
    back, _ = read_vector(out)
    assert len(back) == 3


@pytest.mark.parametrize("layer_id", [layer.id for layer in CATALOGUE])
def test_every_catalogue_style_makes_well_formed_qml(layer_id: str) -> None:
    root = SafeET.fromstring(qml_for(CATALOGUE.get(layer_id)))
    assert root.tag == "qgis"
    assert root.find("renderer-v2") is not None


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputDataError, match="not an export format"):
        export_frame(_lots(), "dwg", tmp_path / "x.dwg")


def test_kml_is_always_wgs84(store: GeoPackageStore, tmp_path: Path) -> None:
    result = export_layer(store, "cluster_lots", "kml", tmp_path / "a.kml", crs="EPSG:9208")
    assert result.crs == "EPSG:4326"
    assert any("KML is always in EPSG:4326" in w for w in result.warnings)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_table_areas_are_rounded_to_square_metres(tmp_path: Path, fmt: str) -> None:
    # an irregular polygon drawn in degrees: its area measured in EPSG:9208 carries floating-point noise
    lon, lat = 104.47, 22.24
    ring = [(lon, lat), (lon + 0.0071234, lat + 0.0003), (lon + 0.0069, lat + 0.0065432), (lon - 0.0002, lat + 0.006)]
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b"], "name": ["x", "y"], "measured": [64.9999999236553, 1.5]},
        geometry=[shapely.Polygon(ring), shapely.box(lon, lat, lon + 0.00123, lat + 0.00077)],
        crs=4326,
    )
    raw = area_ha(frame)
    assert any(len(repr(float(v)).split(".")[1]) > 4 for v in raw)  # the noise is there before rounding
    out = tmp_path / f"t{SUFFIX[fmt]}"
    export_frame(frame, fmt, out)
    table = pd.read_csv(out, encoding="utf-8-sig", dtype=str) if fmt == "csv" else pd.read_excel(out, dtype=str)
    for text in table["area_ha"]:
        assert re.fullmatch(r"\d+(\.\d{1,4})?", text), text
    np.testing.assert_allclose(table["area_ha"].astype(float), raw, atol=5e-5)
    assert float(table["measured"][0]) == 64.9999999236553  # a stored value is written as stored

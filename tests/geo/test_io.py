"""read_vector / write_vector over every format, parametrised the way pyogrio runs its I/O tests."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pyproj import Geod

from geo.crs import area_ha
from geo.errors import CRSError, InputDataError
from geo.io import WRITE_DRIVERS, MissingCRSError, ReadReport, guess_crs, read_vector, write_vector
from tests.geo.test_io_corpus import E0, LAT0, LON0, N0, sample_frame, shapefile_zip, square, zip_folder

FORMATS = ["gpkg", "shp", "geojson", "kml", "fgb", "parquet"]


def _normalise(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = frame[["id", "name", "geometry"]].copy()
    out["id"] = out["id"].astype("int64")
    out["name"] = out["name"].astype(object)
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("crs", [9208, 4326])
def test_round_trip(fmt: str, crs: int, tmp_path: Path) -> None:
    frame = sample_frame(4, crs=crs)
    path = tmp_path / f"out{WRITE_DRIVERS[fmt][1]}"
    write_vector(frame, path, driver=fmt)
    back, report = read_vector(path)
    assert report.features == 4
    assert report.crs_source == "file"
    assert report.errors == []
    expected = frame if fmt != "kml" else frame.to_crs(4326)  # KML is always WGS 84
    assert report.crs == f"EPSG:{expected.crs.to_epsg()}"
    assert_geodataframe_equal(
        _normalise(back),
        _normalise(expected),
        check_less_precise=True,
        normalize=True,
        check_dtype=False,
    )
    assert list(back["name"]) == ["Bảo Yên", "Phố Ràng", "Nghĩa Đô", "Lào Cai"]


def test_write_is_atomic_and_leaves_no_temp(tmp_path: Path) -> None:
    write_vector(sample_frame(), tmp_path / "a.gpkg", driver="gpkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gpkg"]


def test_write_needs_a_crs(tmp_path: Path) -> None:
    with pytest.raises(CRSError, match="no CRS"):
        write_vector(sample_frame().set_crs(None, allow_override=True), tmp_path / "a.gpkg", driver="gpkg")


def test_zipped_shapefile_and_loose_shapefile(tmp_path: Path) -> None:
    z = shapefile_zip(tmp_path)
    frame, report = read_vector(z)
    assert report.driver == "ESRI Shapefile"
    assert report.features == 3
    assert report.crs == "EPSG:9208"
    loose, _ = read_vector(tmp_path / "shp" / "lots.shp")
    assert_geodataframe_equal(frame, loose)


def test_zip_with_a_folder_and_macos_junk(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    path = src / "lots.geojson"
    write_vector(sample_frame(), path, driver="geojson")
    target = tmp_path / "a.zip"
    with zipfile.ZipFile(target, "w") as zf:
        zf.write(path, "data/lots.geojson")
        zf.writestr("__MACOSX/data/._lots.geojson", b"junk")
    _frame, report = read_vector(target)
    assert report.features == 3


def test_kmz(tmp_path: Path) -> None:
    kml = tmp_path / "doc.kml"
    write_vector(sample_frame(crs=4326), kml, driver="kml")
    kmz = zip_folder([kml], tmp_path / "places.kmz")
    frame, report = read_vector(kmz)
    assert report.features == 3
    assert list(frame["name"])[:2] == ["Bảo Yên", "Phố Ràng"]


def test_kml_with_several_folders_is_refused_and_listed(tmp_path: Path) -> None:
    placemark = "<Placemark><name>{n}</name><Point><coordinates>104.478,22.2446</coordinates></Point></Placemark>"
    body = "".join(f"<Folder><name>{f}</name>{placemark.format(n=f)}</Folder>" for f in ("Cụm Phố Ràng", "Cụm Bảo Hà"))
    p = tmp_path / "two.kml"
    p.write_text(f'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>')
    with pytest.raises(InputDataError, match="several layers: Cụm Phố Ràng"):
        read_vector(p)
    frame, report = read_vector(p, layer="Cụm Bảo Hà")
    assert list(frame["name"]) == ["Cụm Bảo Hà"]
    assert report.layer == "Cụm Bảo Hà"


def test_geopackage_layer_choice(tmp_path: Path) -> None:
    p = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(sample_frame(2), p, layer="lots", driver="GPKG")
    pyogrio.write_dataframe(sample_frame(1), p, layer="zones", driver="GPKG")
    _frame, report = read_vector(p, layer="zones")
    assert report.features == 1
    assert report.layers == ["lots", "zones"]
    with pytest.raises(InputDataError, match=r"no layer .nope.*lots, zones"):
        read_vector(p, layer="nope")


@pytest.mark.parametrize("driver", ["DXF", "DGN"])
def test_cad_files_need_a_crs(driver: str, tmp_path: Path) -> None:
    p = tmp_path / f"plan.{driver.lower()}"
    geoms = [square(), shapely.LineString([(E0, N0), (E0 + 500, N0 + 500)]), shapely.Point(E0, N0)]
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=geoms, crs=9208), p, driver=driver)
    with pytest.raises(MissingCRSError) as info:
        read_vector(p)
    assert info.value.guess == 9208
    frame, report = read_vector(p, crs="EPSG:9208")
    assert report.crs_source == "given"
    assert report.features == 3
    assert report.mixed_types
    assert frame.crs.to_epsg() == 9208
    assert all(isinstance(v, str) or v is None for c in frame.columns if frame[c].dtype == object for v in frame[c])


def test_invalid_geometry_is_repaired_and_counted(tmp_path: Path) -> None:
    bowtie = shapely.Polygon([(E0, N0), (E0 + 100, N0 + 100), (E0 + 100, N0), (E0, N0 + 100)])
    frame = gpd.GeoDataFrame({"id": [1, 2]}, geometry=[bowtie, square()], crs=9208)
    p = tmp_path / "bad.geojson"
    frame.to_file(p)
    back, report = read_vector(p)
    assert report.repaired == 1
    assert back.geometry.is_valid.all()
    assert back.geometry.iloc[0].geom_type == "MultiPolygon"
    assert back.geometry.iloc[0].area == pytest.approx(5000.0)


def test_empty_and_duplicate_ids_are_reported(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"id": [1, 1, 2]}, geometry=[square(), None, square(E0 + 5000)], crs=9208)
    p = tmp_path / "dup.gpkg"
    frame.to_file(p)
    _, report = read_vector(p)
    assert report.empty_geometries == 1
    assert report.duplicate_ids == [1]
    assert report.ok  # neither blocks reading; the importer decides


def test_wrong_crs_inside_vietnam_gives_a_warning(tmp_path: Path) -> None:
    # VN-2000 metres declared in the TM-3 zone of 106°30′: lands in Vietnam, ~170 km east of Lào Cai
    frame = sample_frame().set_crs(9213, allow_override=True)
    p = tmp_path / "wrong.gpkg"
    frame.to_file(p)
    _, report = read_vector(p)
    assert any("CRS is probably wrong" in w for w in report.warnings)
    _, report_ok = read_vector(p, crs="EPSG:9208")
    assert not any("probably wrong" in w for w in report_ok.warnings)
    assert any("declares EPSG:9213" in w for w in report_ok.warnings)


def test_a_crs_that_puts_the_data_outside_vietnam_is_an_error(tmp_path: Path) -> None:
    # VN-2000 metres declared as if they were UTM 47N: lands in Myanmar, ~650 km west of Lào Cai
    frame = sample_frame().set_crs(32647, allow_override=True)
    p = tmp_path / "wrong.gpkg"
    frame.to_file(p)
    with pytest.raises(CRSError, match=r"outside Vietnam in EPSG:32647 \(3 of 3 features") as info:
        read_vector(p)
    assert info.value.code == "crs.outside_vietnam"
    assert info.value.params["source"] == "`wrong.gpkg`" and info.value.params["crs"] == "EPSG:32647"
    assert info.value.params["distance_km"] == pytest.approx(344, abs=10)
    # the same refusal whoever applies the CRS: the file, an override, or an assumption for a file without one
    with pytest.raises(CRSError, match="outside Vietnam"):
        read_vector(p, crs="EPSG:32647")
    _, ok = read_vector(p, crs="EPSG:9208")
    assert ok.ok and ok.crs == "EPSG:9208"


def test_absurd_coordinates_block_the_import(tmp_path: Path) -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"id": 1}, "geometry": {"type": "Point", "coordinates": [LON0, LAT0]}},
            {"type": "Feature", "properties": {"id": 2}, "geometry": {"type": "Point", "coordinates": [1e12, 5]}},
        ],
    }
    p = tmp_path / "absurd.geojson"
    p.write_text(json.dumps(fc))
    _, report = read_vector(p)
    assert not report.ok
    assert "feature(s) 2" in report.errors[0]


def test_gdal_messages_are_captured_not_printed(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": 1, "properties": {}, "geometry": {"type": "Point", "coordinates": [LON0, LAT0]}},
            {"type": "Feature", "id": 1, "properties": {}, "geometry": {"type": "Point", "coordinates": [LON0, LAT0]}},
        ],
    }
    p = tmp_path / "dupid.geojson"
    p.write_text(json.dumps(fc))
    _, report = read_vector(p)
    assert any("id = 1" in m for m in report.gdal_messages)
    _out, err = capfd.readouterr()
    assert err == ""


def test_report_to_dict_is_json() -> None:
    r = ReadReport(path="x", duplicate_ids=[np.int64(3)])
    d = r.to_dict()
    assert json.loads(json.dumps(d))["duplicate_ids"] == [3]
    assert d["ok"] is True


def test_guess_crs_for_the_ui() -> None:
    assert guess_crs((LON0, LAT0, LON0 + 0.1, LAT0 + 0.1))[0] == 4326
    assert guess_crs((E0, N0, E0 + 1000, N0 + 1000))[0] == 9208
    assert guess_crs((N0, E0, N0 + 1000, E0 + 1000))[0] is None


def test_csv_through_read_vector(tmp_path: Path) -> None:
    p = tmp_path / "points.csv"
    p.write_bytes(f"\ufeffTên;X;Y\r\nCCN Phố Ràng;{N0:.2f};{E0:.2f}\r\n".encode())
    frame, report = read_vector(p)
    assert report.driver == "CSV"
    assert report.crs == "EPSG:9208"
    assert report.crs_source == "guessed"
    assert frame.geometry.iloc[0].equals(shapely.Point(E0, N0))


@pytest.mark.shared_data
def test_real_communes_as_vn2000_shapefile_keep_their_areas(shared_data: Path, tmp_path: Path) -> None:
    communes, report = read_vector(shared_data / "bao_yen_communes_2020.geojson")
    assert report.features == 17
    assert report.crs == "EPSG:4326"
    assert not any("probably wrong" in w for w in report.warnings)
    vn = communes.to_crs(9208)
    folder = tmp_path / "shp"
    folder.mkdir()
    write_vector(vn, folder / "communes.shp", driver="shp")
    z = zip_folder(sorted(folder.iterdir()), tmp_path / "communes.zip")
    back, rep = read_vector(z)
    assert rep.crs == "EPSG:9208"
    assert rep.encoding == "UTF-8"
    assert list(back["ten_xa"]) == list(communes["ten_xa"])
    np.testing.assert_allclose(area_ha(back).to_numpy(), area_ha(vn).to_numpy(), rtol=1e-9)
    # independent check: geodesic areas on the ellipsoid agree with EPSG:9208 to 0.1 %
    geod = Geod(ellps="WGS84")
    geodesic_ha = np.array([abs(geod.geometry_area_perimeter(g)[0]) / 1e4 for g in communes.geometry])
    np.testing.assert_allclose(area_ha(back).to_numpy(), geodesic_ha, rtol=1e-3)
    assert area_ha(back).sum() == pytest.approx(82_778, rel=0.01)


def test_python_warnings_of_a_read_go_into_the_report(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """shapely's "invalid value encountered in from_wkb" on NaN input never reaches the terminal (issue 14)."""
    from tests.geo.test_io_corpus import nan_polygon

    _, report = read_vector(nan_polygon(tmp_path))  # pytest turns an escaped warning into an error
    assert not report.ok
    assert any("invalid value encountered" in w for w in report.warnings), report.warnings
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_unclosed_rings_are_errors_not_missing_geometries(tmp_path: Path) -> None:
    from tests.geo.test_io_corpus import unclosed_rings

    frame, report = read_vector(unclosed_rings(tmp_path))
    assert report.unreadable_geometries == 2
    assert "polygon ring is not closed" in report.errors[0] and "(features 2, 3)" in report.errors[0]
    assert frame.geometry.iloc[0] is not None


def test_geopackage_views_are_skipped_beside_tables(tmp_path: Path) -> None:
    import sqlite3

    p = tmp_path / "with_view.gpkg"
    sample_frame().to_file(p, layer="lots")
    con = sqlite3.connect(p)
    con.executescript(
        """
        CREATE VIEW lots_view AS SELECT * FROM lots;
        INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('lots_view', 'features',
            'lots_view', 9208);
        INSERT INTO gpkg_geometry_columns VALUES ('lots_view', 'geom', 'POLYGON', 9208, 0, 0);
        """
    )
    con.commit()
    con.close()
    frame, report = read_vector(p)
    assert report.layers == ["lots"] and len(frame) == 3
    assert any("lots_view is a view" in w for w in report.warnings)
    with pytest.raises(InputDataError, match="'lots_view' is a view") as info:
        read_vector(p, layer="lots_view")
    assert info.value.code == "gpkg.view"


# --- issue 15: the legacy-text repair skips all-ASCII columns and decides as on the whole frame -----------------


def test_legacy_text_repair_over_the_columns_that_can_hold_it(tmp_path: Path) -> None:
    from geo.encoding import encode_tcvn3, repair_legacy_text
    from geo.io import _repair_legacy_text

    names = ["Phố Ràng", "Xuân Hòa", "Vĩnh Yên", "Lương Sơn"]
    frame = gpd.GeoDataFrame(
        {
            "id": pd.Series([f"X{i}" for i in range(4)], dtype="str"),
            "ten": pd.Series([encode_tcvn3(n).decode("cp1252") for n in names], dtype="str"),
            "plain": pd.Series(["a", "b", None, "c"], dtype="str"),
        },
        geometry=[shapely.Point(i, i) for i in range(4)],
        crs=9208,
    )
    whole, whole_repair = repair_legacy_text(frame, label="f")
    part, part_repair = _repair_legacy_text(frame, label="f")
    assert list(part["ten"]) == names and part_repair == whole_repair
    assert_geodataframe_equal(part, whole)
    # a frame with nothing to repair comes back as it was
    same, nothing = _repair_legacy_text(frame[["id", "plain", "geometry"]], label="f")
    assert nothing.fields_converted == () and same.equals(frame[["id", "plain", "geometry"]])


def test_files_are_read_through_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    real = pyogrio.read_dataframe

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs.get("use_arrow"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "read_dataframe", spy)
    path = tmp_path / "a.gpkg"
    gpd.GeoDataFrame({"id": ["1"]}, geometry=[shapely.Point(472000, 2460000)], crs=9208).to_file(path)
    frame, _ = read_vector(path)
    assert seen == [True] and list(frame["id"]) == ["1"]

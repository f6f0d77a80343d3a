"""Coordinate tables: lon/lat and VN-2000 X/Y (X = northing), CRS by value ranges, encodings, line ends."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import shapely

from geo.encoding import encode_tcvn3
from geo.errors import CRSError, InputDataError, UnsafeInputError
from geo.io import read_vector
from tests.geo.test_io_corpus import E0, LAT0, LON0, N0


def _write(tmp: Path, text: str, *, bom: bool = False, crlf: bool = False, name: str = "t.csv") -> Path:
    if crlf:
        text = text.replace("\n", "\r\n")
    p = tmp / name
    p.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return p


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("crlf", [False, True])
def test_lon_lat_in_vietnamese_headers(tmp_path: Path, bom: bool, crlf: bool) -> None:
    p = _write(tmp_path, f"Tên,Kinh độ,Vĩ độ\nPhố Ràng,{LON0},{LAT0}\nBảo Hà,104.36,22.17\n", bom=bom, crlf=crlf)
    frame, report = read_vector(p)
    assert report.crs == "EPSG:4326"
    assert report.crs_source == "guessed"
    assert any("assumed WGS 84" in w for w in report.warnings)
    assert frame.geometry.iloc[0].equals(shapely.Point(LON0, LAT0))
    assert list(frame["Tên"]) == ["Phố Ràng", "Bảo Hà"]


def test_vietnamese_x_is_northing(tmp_path: Path) -> None:
    p = _write(tmp_path, f"STT;X (m);Y (m)\n1;{N0:.3f};{E0:.3f}\n2;{N0 + 100:.3f};{E0 + 50:.3f}\n")
    frame, report = read_vector(p)
    assert frame.geometry.iloc[1].equals(shapely.Point(E0 + 50, N0 + 100))
    assert report.crs == "EPSG:9208"
    assert any("X = northing" in w for w in report.warnings)
    assert any("EPSG:3405" in w for w in report.warnings)  # says the other projection would fit too


def test_gis_order_x_is_easting(tmp_path: Path) -> None:
    p = _write(tmp_path, f"x,y\n{E0},{N0}\n")
    frame, report = read_vector(p)
    assert frame.geometry.iloc[0].equals(shapely.Point(E0, N0))
    assert any("GIS convention" in w for w in report.warnings)


def test_swapped_lon_lat_columns_are_swapped_back(tmp_path: Path) -> None:
    p = _write(tmp_path, f"lon,lat\n{LAT0},{LON0}\n")
    frame, report = read_vector(p)
    assert frame.geometry.iloc[0].equals(shapely.Point(LON0, LAT0))
    assert any("swapped" in w for w in report.warnings)


def test_given_crs_overrides_the_guess(tmp_path: Path) -> None:
    p = _write(tmp_path, f"X,Y\n{N0},{E0}\n")
    frame, report = read_vector(p, crs="EPSG:3405")
    assert report.crs == "EPSG:3405"
    assert report.crs_source == "given"
    assert frame.geometry.iloc[0].equals(shapely.Point(E0, N0))


def test_decimal_comma_and_thousands(tmp_path: Path) -> None:
    p = _write(tmp_path, 'X;Y\n"2.460.000,5";"473.000,25"\n2460100,5;473100,75\n')
    frame, _ = read_vector(p)
    assert frame.geometry.iloc[0].equals(shapely.Point(473000.25, 2460000.5))
    assert frame.geometry.iloc[1].equals(shapely.Point(473100.75, 2460100.5))


def test_text_coordinates_are_listed(tmp_path: Path) -> None:
    p = _write(tmp_path, f"X,Y\n{N0},{E0}\nabc,{E0}\n{N0},\n")
    _, report = read_vector(p)
    assert not report.ok
    assert "row 3 (X='abc'" in report.errors[0]
    assert "row(s) 4 have only one of X/Y" in report.errors[1]


def test_unknown_ranges_need_a_crs(tmp_path: Path) -> None:
    p = _write(tmp_path, "X,Y\n100,200\n")
    with pytest.raises(CRSError, match="--crs"):
        read_vector(p)


def test_no_coordinate_columns(tmp_path: Path) -> None:
    p = _write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(InputDataError, match="no coordinate columns"):
        read_vector(p)


def test_truncated_csv_is_refused(tmp_path: Path) -> None:
    p = _write(tmp_path, f'name,lon,lat\n"Phố Ràng,{LON0},{LAT0}\n')
    with pytest.raises(UnsafeInputError, match=r"well-formed|truncated"):
        read_vector(p)
    q = _write(tmp_path, f"name,lon,lat,note\nA,{LON0},{LAT0},x\nB,{LON0}", name="cut.csv")
    with pytest.raises(UnsafeInputError, match="middle of a row"):
        read_vector(q)


def test_tcvn3_csv(tmp_path: Path) -> None:
    p = tmp_path / "old.csv"
    p.write_bytes(b"ten,lon,lat\n" + encode_tcvn3("Phố Ràng") + f",{LON0},{LAT0}\n".encode())
    frame, report = read_vector(p)
    assert frame["ten"].iloc[0] == "Phố Ràng"
    assert "TCVN3" in report.encoding


def test_xlsx_with_sheets(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cơ sở"
    ws.append(["Tên", "X", "Y", "Công suất"])
    ws.append(["Nhà máy MDF", N0, E0, 210000])
    ws2 = wb.create_sheet("Ghi chú")
    ws2.append(["a"])
    ws2.append(["b"])
    p = tmp_path / "book.xlsx"
    wb.save(p)
    with pytest.raises(InputDataError, match="several sheets"):
        read_vector(p)
    frame, report = read_vector(p, layer="Cơ sở")
    assert report.driver == "XLSX"
    assert frame.geometry.iloc[0].equals(shapely.Point(E0, N0))
    assert frame["Công suất"].iloc[0] == 210000

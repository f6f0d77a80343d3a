"""Coordinate tables: lon/lat and VN-2000 X/Y (X = northing), CRS by value ranges, encodings, line ends."""

from __future__ import annotations

import csv
import doctest
from pathlib import Path

import openpyxl
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

import geo.tables
from geo.encoding import encode_tcvn3
from geo.errors import CRSError, InputDataError, UnsafeInputError
from geo.io import read_vector
from geo.tables import parse_degrees
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
    with pytest.raises(CRSError, match="choose its CRS") as info:
        read_vector(p)
    assert info.value.code == "crs.undetermined"


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


# --- degrees, minutes, seconds ---------------------------------------------------------------------------


def _dms(d: float, m: float = 0.0, s: float = 0.0) -> float:
    return d + m / 60 + s / 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("104°28'41.5\"E", _dms(104, 28, 41.5)),
        ("22°14'40.6\"N", _dms(22, 14, 40.6)),
        ("104° 28' 41,5\"", _dms(104, 28, 41.5)),
        ("22 14 40.6", _dms(22, 14, 40.6)),
        ("104°28.692'", _dms(104, 28.692)),
        ("22°14′40.6″N", _dms(22, 14, 40.6)),  # primes
        ("22°14’40,6”N", _dms(22, 14, 40.6)),  # curly quotes from a word processor, decimal comma
        ("104º28'41.5''", _dms(104, 28, 41.5)),  # ordinal sign for degrees, two apostrophes for seconds
        ("N22 14.692", _dms(22, 14.692)),  # GPS unit style, hemisphere first
        ("E 104°28.692'", _dms(104, 28.692)),
        ("22°14'40.6\" B", _dms(22, 14, 40.6)),  # Bắc
        ("104°28'41.5\"Đ", _dms(104, 28, 41.5)),  # Đông
        ("104°28'41.5\" Đông", _dms(104, 28, 41.5)),
        ("104 độ 28 phút 41,5 giây", _dms(104, 28, 41.5)),
        ("104\u00a0°\u00a028'", _dms(104, 28)),  # no-break spaces
        ("104.478", 104.478),
        ("104,478", 104.478),
        ("104.478°E", 104.478),
        ("22°", 22.0),
        ("22°14'", _dms(22, 14)),
        ("0°0'59.999\"", 59.999 / 3600),
    ],
)
def test_degree_forms(text: str, expected: float) -> None:
    assert parse_degrees(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22°14'40.6\"S", -_dms(22, 14, 40.6)),
        ("104°28'41.5\"W", -_dms(104, 28, 41.5)),
        ("S 22 14 40.6", -_dms(22, 14, 40.6)),
        ("w104°28.692'", -_dms(104, 28.692)),
        ("22 14 40.6 Nam", -_dms(22, 14, 40.6)),
        ("104°28'41.5\" T", -_dms(104, 28, 41.5)),
        ("104°28'41.5\" Tây", -_dms(104, 28, 41.5)),
        ("-22°14'40.6\"", -_dms(22, 14, 40.6)),
        ("−104.478", -104.478),  # typographic minus
    ],
)
def test_south_and_west_are_negative(text: str, expected: float) -> None:
    assert parse_degrees(text) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("104°61'", "61 minutes; minutes must be below 60"),
        ("22 61 10", "61 minutes"),
        ("22°14'60\"", "60 seconds; seconds must be below 60"),
        ("22°60.0'", "60 minutes"),
        ("28'41.5\"", "no degrees"),
        ("'41.5\"", "unexpected"),
        ("N", "no degrees"),
        ('104°41.5"', "seconds where minutes should be"),
        ("104.5°28'", "only the last"),
        ("22°14.5'30\"", "only the last"),
        ("1 2 3 4", "more than degrees, minutes and seconds"),
        ("abc", "not a hemisphere"),
        ("x104.5", "not a hemisphere"),
        ("D104.5", "not a hemisphere"),  # a bare D is not taken for Đông
        ("12abc34", "unexpected"),
        ("22..5", "unexpected"),
        ("104,478,5", "unexpected"),
        ("-22°S", "both a sign and a hemisphere"),
        ("N22 E", "two hemisphere letters"),
        ("181°", "beyond 180"),
        ("95°N", "beyond 90"),
        ("", "no degrees"),
        ("1" * 100, "longer than"),
    ],
)
def test_values_that_are_not_angles_are_refused(text: str, why: str) -> None:
    with pytest.raises(InputDataError, match=why):
        parse_degrees(text)


def test_axis_refuses_the_other_hemisphere() -> None:
    assert parse_degrees("22°N", axis="lat") == 22.0
    assert parse_degrees("104°E", axis="lon") == 104.0
    with pytest.raises(InputDataError, match=r"latitude .* where a longitude"):
        parse_degrees("22°N", axis="lon")
    with pytest.raises(InputDataError, match=r"longitude .* where a latitude"):
        parse_degrees("104°Đ", axis="lat")
    with pytest.raises(InputDataError, match="not a latitude"):
        parse_degrees("104.5", axis="lat")


def test_docstring_examples() -> None:
    result = doctest.testmod(geo.tables)
    assert result.attempted >= 5
    assert result.failed == 0


def _write_rows(tmp: Path, rows: list[list[str]], name: str) -> Path:
    p = tmp / name
    with p.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)  # quotes the cells that hold " and ,
    return p


_PLACES = [  # (name, longitude text, latitude text, longitude, latitude) — decimals worked out by hand
    ("Phố Ràng", "104°28'41.5\"E", "22°14'40.6\"N", 104 + 28 / 60 + 41.5 / 3600, 22 + 14 / 60 + 40.6 / 3600),
    ("Bảo Hà", "104° 21' 36,0\"", "22 10 12", 104.36, 22.17),
    ("Cam Cọn", "E104°25.5'", "N22°6.12'", 104.425, 22.102),
    ("Xuân Hòa", "104.5123", "22,3456", 104.5123, 22.3456),  # decimal rows mixed with DMS rows
    ("Vĩnh Yên", "104 độ 31 phút 0 giây", "22°17’24”B", 104 + 31 / 60, 22.29),
]


def test_dms_csv_lands_where_decimal_degrees_do(tmp_path: Path) -> None:
    dms = _write_rows(tmp_path, [["Tên", "Kinh độ", "Vĩ độ"]] + [[n, lo, la] for n, lo, la, _, _ in _PLACES], "dms.csv")
    dec = _write_rows(
        tmp_path, [["Tên", "Kinh độ", "Vĩ độ"]] + [[n, repr(lo), repr(la)] for n, _, _, lo, la in _PLACES], "dec.csv"
    )
    frame, report = read_vector(dms)
    reference, _ = read_vector(dec)
    assert report.ok, report.errors
    assert report.crs == "EPSG:4326"
    assert len(frame) == len(_PLACES)
    for got, want, (_, _, _, lon, lat) in zip(frame.geometry, reference.geometry, _PLACES, strict=True):
        assert got.x == pytest.approx(lon, abs=1e-7)
        assert got.y == pytest.approx(lat, abs=1e-7)
        assert got.x == pytest.approx(want.x, abs=1e-7)
        assert got.y == pytest.approx(want.y, abs=1e-7)
    assert list(frame["Tên"]) == [n for n, *_ in _PLACES]


def test_dms_in_a_workbook_with_numeric_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tên", "lon", "lat"])
    ws.append(["A", "104°28'41.5\"E", "22°14'40.6\"N"])
    ws.append(["B", 104.36, 22.17])
    p = tmp_path / "dms.xlsx"
    wb.save(p)
    frame, report = read_vector(p)
    assert report.ok, report.errors
    assert frame.geometry.iloc[0].x == pytest.approx(104 + 28 / 60 + 41.5 / 3600, abs=1e-7)
    assert frame.geometry.iloc[0].y == pytest.approx(22 + 14 / 60 + 40.6 / 3600, abs=1e-7)
    assert frame.geometry.iloc[1].equals(shapely.Point(104.36, 22.17))


def test_bad_dms_rows_are_listed_not_guessed(tmp_path: Path) -> None:
    rows = [
        ["name", "lon", "lat"],
        ["ok", "104°28'41.5\"E", "22°14'40.6\"N"],
        ["minutes", "104°61'10\"E", "22°14'40.6\"N"],
        ["garbage", "gần cầu Bảo Hà", "22.2"],
        ["no degrees", "104.4", "14'40.6\""],
        ["spaced", "104 478", "22.2"],  # not read as 104478 or 104.478
    ]
    frame, report = read_vector(_write_rows(tmp_path, rows, "bad.csv"))
    assert not report.ok
    message = next(e for e in report.errors if "not numbers or degrees" in e)
    for row in (3, 4, 5, 6):
        assert f"row {row} (" in message
    assert "row 2 (" not in message
    assert "minutes must be below 60" in message
    assert "no degrees" in message
    assert frame.geometry.iloc[0] is not None
    assert all(g is None or g.is_empty for g in frame.geometry.iloc[1:])


def test_swapped_dms_columns_are_swapped_back(tmp_path: Path) -> None:
    rows = [["lon", "lat"], ["22°14'40.6\"N", "104°28'41.5\"E"]]
    frame, report = read_vector(_write_rows(tmp_path, rows, "swapped.csv"))
    assert report.ok, report.errors
    assert any("swapped" in w for w in report.warnings)
    assert frame.geometry.iloc[0].x == pytest.approx(104 + 28 / 60 + 41.5 / 3600, abs=1e-9)


def test_hemisphere_letters_that_contradict_their_column(tmp_path: Path) -> None:
    rows = [
        ["lon", "lat"],
        ["104°28'41.5\"E", "22°14'40.6\"N"],
        ["104°28'41.5\"E", "22°14'40.6\"E"],  # fits as a latitude, but its letter says longitude
        ["104°28'41.5\"N", "22°14'40.6\"N"],  # N: a latitude beyond 90°
    ]
    frame, report = read_vector(_write_rows(tmp_path, rows, "hemi.csv"))
    assert not report.ok
    assert any("row(s) 3 have a latitude hemisphere" in e and "longitude hemisphere" in e for e in report.errors)
    assert any("row 4 (" in e and "beyond 90" in e for e in report.errors)
    assert frame.geometry.iloc[0] is not None
    assert frame.geometry.iloc[1] is None
    assert frame.geometry.iloc[2] is None


_MINUTE_MARKS = ["'", "′", "’"]
_SECOND_MARKS = ['"', "″", "”", "''"]


@st.composite
def _formatted(draw: st.DrawFn) -> tuple[float, str]:
    """A decimal angle and one way a planner or a GPS unit could write it."""
    axis = draw(st.sampled_from(["lat", "lon"]))
    limit = 90.0 if axis == "lat" else 180.0
    value = draw(st.floats(min_value=-limit, max_value=limit, allow_nan=False))
    style = draw(st.sampled_from(["dms", "ddm", "spaces", "decimal"]))
    comma = draw(st.booleans())
    degree = draw(st.sampled_from(["°", "º", " độ "]))
    minute = draw(st.sampled_from(_MINUTE_MARKS))
    second = draw(st.sampled_from(_SECOND_MARKS))
    a = abs(value)
    d = int(a)
    if style == "decimal":
        body = f"{a:.9f}"
    elif style == "ddm":
        m = round((a - d) * 60, 6)
        if m >= 60:
            d, m = d + 1, 0.0
        body = f"{d}{degree}{m:.6f}{minute}"
    else:
        m = int((a - d) * 60)
        s = round((a - d - m / 60) * 3600, 4)
        if s >= 60:
            s, m = 0.0, m + 1
        if m >= 60:
            d, m = d + 1, 0
        body = f"{d} {m} {s:.4f}" if style == "spaces" else f"{d}{degree}{m}{minute}{s:.4f}{second}"
    if comma:
        body = body.replace(".", ",")
    letters = {"lat": ("N", "S", "B", "Nam"), "lon": ("E", "W", "Đ", "T")}[axis]
    mark = draw(st.sampled_from(["sign", "letter", "prefix"]))
    positive, negative = (letters[2], letters[3]) if draw(st.booleans()) else (letters[0], letters[1])
    if mark == "sign":
        text = f"-{body}" if value < 0 else body
    else:
        letter = negative if value < 0 else positive
        text = f"{letter} {body}" if mark == "prefix" else f"{body}{letter}"
    return value, text


@given(_formatted())
def test_formatted_degrees_read_back(case: tuple[float, str]) -> None:
    value, text = case
    assert parse_degrees(text) == pytest.approx(value, abs=1e-6), text

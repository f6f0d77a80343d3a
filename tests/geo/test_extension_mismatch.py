"""A file that is not what its name says is told so, in both languages (issue 11, §5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.errors import InputDataError, PlanError, UnsafeInputError
from geo.io import read_vector
from services.messages import describe


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("notes.geojson", "hello\nthis is only text\n", "GeoJSON"),
        ("points.geojson", "ten,x,y\nA,1,2\n", "GeoJSON"),  # a table is text too: the name still misleads
        ("lots.kml", "lot 1, lot 2\n", "KML"),
        ("lots.shp", "not a shapefile\n", "Shapefile"),
    ],
)
def test_plain_text_named_as_a_gis_format_is_told_so(tmp_path: Path, name: str, content: str, fmt: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UnsafeInputError) as info:
        read_vector(path)
    exc = info.value
    assert exc.code == "file.text_not_format"
    assert exc.params["format"] == fmt
    vi, en = describe(exc, "vi"), describe(exc, "en")
    assert name in vi and f"không phải tệp {fmt}" in vi and "văn bản thường" in vi
    assert f"not {fmt}" in en and "plain text" in en
    assert "single column" not in en and "một cột" not in vi


def test_a_text_table_named_csv_or_txt_is_still_read_as_a_table(tmp_path: Path) -> None:
    for name in ("points.csv", "points.txt"):
        path = tmp_path / name
        path.write_text("ten,Kinh độ,Vĩ độ\nA,104.4,22.2\n", encoding="utf-8")
        frame, _ = read_vector(path)
        assert len(frame) == 1


def test_a_one_column_csv_says_so_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("hello\nworld\n", encoding="utf-8")
    with pytest.raises(InputDataError) as info:
        read_vector(path)
    assert info.value.code == "table.single_column"
    assert "chỉ có một cột" in describe(info.value, "vi")


def test_a_table_without_coordinate_columns_names_its_headers_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "lots.csv"
    path.write_text("ten,dien_tich\nA,1\n", encoding="utf-8")
    with pytest.raises(InputDataError) as info:
        read_vector(path)
    assert info.value.code == "table.no_coordinates"
    assert "không có cột tọa độ (các cột: ten, dien_tich)" in describe(info.value, "vi")


@pytest.mark.parametrize(
    ("head", "code", "vi_word"),
    [
        (b"AC1027" + b"\x00" * 64, "file.dwg", "AutoCAD DWG"),
        (b"SQLite format 3\x00" + b"\x00" * 100, "file.sqlite_not_gpkg", "không phải GeoPackage"),
        (b"<?xml version='1.0'?><root/>", "file.xml_not_kml", "không phải KML"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 40, "file.unknown_content", "không khớp với tên tệp"),
    ],
)
def test_unreadable_kinds_have_a_vietnamese_message(tmp_path: Path, head: bytes, code: str, vi_word: str) -> None:
    path = tmp_path / "layer.geojson"
    path.write_bytes(head)
    with pytest.raises(PlanError) as info:
        read_vector(path)
    assert info.value.code == code
    assert vi_word in describe(info.value, "vi")
    assert describe(info.value, "en") != describe(info.value, "vi")

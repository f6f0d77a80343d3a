"""Unit checks of geo.safety: sniffing by content, JSON depth, archive inspection, extraction cleanup."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from geo.errors import DataSourceError, UnsafeInputError
from geo.limits import Limits
from geo.safety import (
    check_json,
    check_size,
    coordinate_problems,
    extract_zip,
    geojson_coordinate_problem,
    gpkg_rows,
    gpkg_views,
    inspect_zip,
    json_depth,
    scan_json,
    sniff,
)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"PK\x03\x04rest", "zip"),
        (b"SQLite format 3\x00" + b"\x00" * 52 + b"GPKG" + b"\x00" * 40, "gpkg"),
        (b"\x00\x00\x27\x0a" + b"\x00" * 96, "shp"),
        (b"fgb\x03fgb\x01", "fgb"),
        (b"PAR1xxxx", "parquet"),
        (b"\x08\x09\xfe\x02" + b"\x00" * 40, "dgn"),
        (b"AC1027" + b"\x00" * 10, "dwg"),
        (b'\xef\xbb\xbf  {"type": 1}', "geojson"),
        (b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2">', "kml"),
        (b"<svg></svg>", "xml"),
        (b"  0\nSECTION\n  2\nHEADER\n", "dxf"),
        (b"X;Y\n2460000;473000\n", "csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "unknown"),
    ],
)
def test_sniff_by_content(tmp_path: Path, head: bytes, kind: str) -> None:
    p = tmp_path / "file.geojson"  # the extension must not matter
    p.write_bytes(head)
    assert sniff(p) == kind


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert json_depth(b'{"a": "[[[[[[", "b": [[1]]}') == (3, True)
    assert json_depth(b'{"a": [1, 2}') == (2, False)
    assert json_depth(b'{"a": [1, 2]') == (2, False)
    assert json_depth(b'{"a": "\\" [["}') == (1, True)


def test_inspect_zip_counts_members(tmp_path: Path) -> None:
    p = tmp_path / "many.zip"
    with zipfile.ZipFile(p, "w") as zf:
        for i in range(12):
            zf.writestr(f"f{i}.txt", b"x")
    assert len(inspect_zip(p, Limits()).members) == 12
    with pytest.raises(UnsafeInputError, match="holds 12 files"):
        inspect_zip(p, Limits(archive_members=10))


def test_extract_removes_its_directory_even_on_error(tmp_path: Path) -> None:
    p = tmp_path / "a.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("a.txt", b"hello")
    with pytest.raises(RuntimeError), extract_zip(p, Limits()) as d:
        assert (d / "a.txt").read_bytes() == b"hello"
        kept = d
        raise RuntimeError("boom")
    assert not kept.exists()


def test_extract_stops_when_the_directory_lies(tmp_path: Path) -> None:
    """A member whose real size exceeds the declared one fails its CRC and is refused, nothing kept."""
    p = tmp_path / "liar.zip"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("a.txt", b"A" * 1000)
    data = bytearray(p.read_bytes())
    data[data.index(b"A" * 10) : data.index(b"A" * 10) + 10] = b"B" * 10
    p.write_bytes(bytes(data))
    with pytest.raises(UnsafeInputError, match="corrupt or truncated"), extract_zip(p, Limits()):
        pass


def test_coordinate_problems() -> None:
    coords = np.array([[1.0, 2.0], [np.nan, 1.0], [np.inf, 0.0], [1e12, 0.0]])
    rows = np.array([0, 1, 2, 3])
    msgs = coordinate_problems(coords, rows, Limits())
    assert msgs == [
        "coordinates not a number (NaN) in feature(s) 2",
        "coordinates infinite in feature(s) 3",
        "coordinates beyond ±1e+08 in feature(s) 4",
    ]


# --- issue 14 ---------------------------------------------------------------------------------------------


def test_json_scan_is_linear_and_finds_the_longest_string() -> None:
    scan = scan_json(b'{"a": "x\\"y", "b": ["' + b"z" * 5000 + b'"]}')
    assert (scan.depth, scan.balanced, scan.longest_string) == (2, True, 5000)
    assert json_depth(b'{"a": "\\\\"}') == (1, True)  # an escaped backslash does not escape the quote
    assert json_depth(b'{"a": "\\\\\\" [["}') == (1, True)  # three: the quote is escaped


def test_long_json_strings_are_refused_before_gdal_reads_them() -> None:
    data = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"n": "'
    data += b"\\u1ea3" * 60_000 + b'"}, "geometry": null}]}'
    with pytest.raises(UnsafeInputError, match="feature 1 holds a text of 60,000 characters") as info:
        check_json(data, Limits(max_text_chars=50_000), label="`x.geojson`")
    assert info.value.code == "input.text_too_long"
    check_json(data, Limits(), label="`x.geojson`")  # 60,000 escapes are 60,000 characters: within 100,000


@pytest.mark.parametrize(
    ("coordinates", "found"),
    [
        ("[104.47, 22.24]", None),
        ("[[[104.4, 22.2], [104.5, 22.2], [104.5, 22.3], [104.4, 22.2]]]", None),
        ("[NaN, -Infinity]", None),  # GDAL reads them; the coordinate checks refuse them after
        ('["104.47", "22.24"]', (1, '"104.47"')),
        ('[[104.4, 22.2], ["104.5", 22.2]]', (1, '"104.5"')),
        ("[null, 22.24]", (1, "null")),
    ],
)
def test_geojson_coordinates_must_be_numbers(coordinates: str, found: tuple[int, str] | None) -> None:
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"coordinates": "[x]"}, '
        f'"geometry": {{"type": "Point", "coordinates": {coordinates}}}}}]}}'
    )
    assert geojson_coordinate_problem(text.encode()) == found


def test_zip_member_count_is_read_from_the_end_record_first(tmp_path: Path) -> None:
    p = tmp_path / "many.zip"
    with zipfile.ZipFile(p, "w") as zf:
        for i in range(3):
            zf.writestr(f"f{i}.txt", b"x")
    data = bytearray(p.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (60_000).to_bytes(2, "little") * 2  # the end record claims 60,000 members
    p.write_bytes(bytes(data))
    with pytest.raises(UnsafeInputError, match="holds 60,000 files, at or above the limit of 10,000") as info:
        inspect_zip(p, Limits())
    assert info.value.code == "archive.too_many_members" and info.value.params["count"] == 60_000


def test_zip_refusals_name_one_member_cut_short(tmp_path: Path) -> None:
    p = tmp_path / "long.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("x" * 2000 + "/a.geojson", b"{}")
    with pytest.raises(UnsafeInputError) as info:
        inspect_zip(p, Limits())
    assert info.value.code == "archive.name_too_long" and len(str(info.value)) < 300


def test_an_unopenable_path_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match="cannot be opened") as info:
        check_size(tmp_path / ("n" * 300 + ".geojson"), Limits())
    assert info.value.code == "file.cannot_open" and len(str(info.value)) < 300


def test_views_of_a_geopackage_are_listed_and_queries_are_bounded(tmp_path: Path) -> None:
    from tests.geo.test_io_corpus import recursive_view

    p = recursive_view(tmp_path)
    assert gpkg_views(p, label="`view.gpkg`") == {"endless"}
    deadline = Limits(max_seconds=0.2).deadline()
    with pytest.raises(UnsafeInputError, match=r"longer than 0\.2 seconds") as info:
        gpkg_rows(p, "endless", label="`view.gpkg`", deadline=deadline)  # never ends without the deadline
    assert info.value.code == "input.too_slow"

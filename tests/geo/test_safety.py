"""Unit checks of geo.safety: sniffing by content, JSON depth, archive inspection, extraction cleanup."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from geo.errors import UnsafeInputError
from geo.limits import Limits
from geo.safety import coordinate_problems, extract_zip, inspect_zip, json_depth, sniff


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

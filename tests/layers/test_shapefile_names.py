"""A shapefile export keeps the full field names beside its .dbf, and the importer gives them back (issue 14).

A .dbf cuts field names to 10 characters (``geom_quality`` → ``geom_quali``, ``other_source`` → ``other_sour``)
and text to 254 bytes; the names travel in ``<layer>.fieldnames.json`` inside the zip, and cut text is named
in one warning that recommends GeoPackage.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest

from geo.io import read_vector
from layers.export import export_frame
from layers.importer import prepare_import
from tests.geo.test_io_corpus import E0, square


def _frame(note: str = "ngắn") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["z1", "z2"],
            "name": ["Vùng quế Bảo Hà", "Vùng chè Nghĩa Đô"],
            "source": ["test", "test"],
            "geom_quality": ["surveyed", "approximate"],
            "other_source": ["Sở NN&PTNT", "UBND xã"],
            "note": [note, "ngắn"],
        },
        geometry=[square(E0), square(E0 + 2000)],
        crs=9208,
    )


def test_full_field_names_survive_a_shapefile_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "zones.zip"
    result = export_frame(_frame(), "shp", out, layer_name="zones")
    names = zipfile.ZipFile(out).namelist()
    assert "zones.fieldnames.json" in names
    side = json.loads(zipfile.ZipFile(out).read("zones.fieldnames.json"))
    assert side["fields"] == {"geom_quali": "geom_quality", "other_sour": "other_source"}
    assert any("fieldnames.json" in w and "restored when the file is imported" in w for w in result.warnings)
    back, report = read_vector(out)
    assert report.ok, report.errors
    assert report.layers == ["zones.shp"]  # the names file is not a second data file
    assert [c for c in back.columns if c != "geometry"] == [
        "id",
        "name",
        "source",
        "geom_quality",
        "other_source",
        "note",
    ]
    assert list(back["geom_quality"]) == ["surveyed", "approximate"]
    assert list(back["other_source"]) == ["Sở NN&PTNT", "UBND xã"]


def test_the_import_maps_the_restored_names(tmp_path: Path) -> None:
    out = tmp_path / "zones.zip"
    export_frame(_frame(), "shp", out, layer_name="zones")
    preview = prepare_import(out, "zones_back")
    assert preview.ok, preview.errors
    assert list(preview.frame["geom_quality"]) == ["surveyed", "approximate"]  # the file's own, not "unknown"
    assert "other_source" in preview.frame.columns


def test_text_a_shapefile_cannot_hold_is_named_with_the_fix(tmp_path: Path) -> None:
    long_note = "Ghi chú về vùng nguyên liệu. " * 20  # ~600 bytes in UTF-8
    result = export_frame(_frame(long_note), "shp", tmp_path / "zones.zip", layer_name="zones")
    cut = [w for w in result.warnings if w.startswith("field note:")]
    assert len(cut) == 1
    assert "1 text value(s) longer than a shapefile holds (254 bytes) were cut (features 1)" in cut[0]
    assert "GeoPackage" in cut[0]
    assert not any("truncated to 254" in w for w in result.warnings)  # GDAL's own notice, with the value, is gone
    back, _ = read_vector(tmp_path / "zones.zip")
    assert long_note.startswith(back["note"].iloc[0]) and len(back["note"].iloc[0].encode()) <= 254


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("not json", "not readable JSON"),
        ('{"fields": ["geom_quality"]}', "does not map"),
        ('{"fields": {"geom_quali": "name"}}', "same name"),
    ],
)
def test_a_broken_names_file_is_ignored_with_a_warning(tmp_path: Path, content: str, why: str) -> None:
    out = tmp_path / "zones.zip"
    export_frame(_frame(), "shp", out, layer_name="zones")
    with zipfile.ZipFile(out) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["zones.fieldnames.json"] = content.encode()
    with zipfile.ZipFile(out, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    back, report = read_vector(out)
    assert "geom_quali" in back.columns
    assert any(why in w for w in report.warnings), report.warnings

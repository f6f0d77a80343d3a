"""A corpus of hostile and broken inputs, built in code, and the one-line refusal each must give.

The builders are shared with the importer and CLI tests (``from tests.geo.test_io_corpus import ...``):
every case says which error class it raises (or that it reads with an error or warning in the report)
and a pattern its message must match.
"""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from geo.encoding import encode_tcvn3, encode_vni
from geo.errors import CRSError, DataSourceError, InputDataError, PlanError, UnsafeInputError
from geo.io import MissingCRSError, read_vector
from geo.limits import Limits

# a point and a square in Bảo Yên (Phố Ràng), in EPSG:9208 metres and in degrees
E0, N0 = 473_000.0, 2_460_000.0
LON0, LAT0 = 104.478, 22.2446


def square(e: float = E0, n: float = N0, side_m: float = 1000.0) -> shapely.Polygon:
    return shapely.box(e, n, e + side_m, n + side_m)


def sample_frame(n: int = 3, crs: int = 9208) -> gpd.GeoDataFrame:
    names = ["Bảo Yên", "Phố Ràng", "Nghĩa Đô", "Lào Cai", "Xuân Hòa"]
    frame = gpd.GeoDataFrame(
        {"id": list(range(1, n + 1)), "name": [names[i % len(names)] for i in range(n)]},
        geometry=[square(E0 + 2000 * i) for i in range(n)],
        crs=9208,
    )
    return frame.to_crs(crs) if crs != 9208 else frame


def write_shapefile(frame: gpd.GeoDataFrame, folder: Path, stem: str = "lots") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.shp"
    pyogrio.write_dataframe(frame, path, driver="ESRI Shapefile", encoding="UTF-8")
    return path


def zip_folder(files: list[Path], target: Path) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, arcname=f.name)
    return target


def shapefile_zip(tmp: Path, frame: gpd.GeoDataFrame | None = None, *, drop: tuple[str, ...] = ()) -> Path:
    shp = write_shapefile(sample_frame() if frame is None else frame, tmp / "shp")
    parts = [p for p in shp.parent.iterdir() if p.suffix.lower().lstrip(".") not in drop]
    return zip_folder(parts, tmp / "lots.zip")


def patch_dbf_text(dbf: Path, field_index: int, values: list[bytes]) -> None:
    """Overwrite the values of one character field of a .dbf with raw bytes (legacy encodings)."""
    data = bytearray(dbf.read_bytes())
    header_len = int.from_bytes(data[8:10], "little")
    record_len = int.from_bytes(data[10:12], "little")
    offset, width = 1, 0
    for k in range((header_len - 33) // 32):
        desc = data[32 + 32 * k : 64 + 32 * k]
        if k == field_index:
            width = desc[16]
            break
        offset += desc[16]
    for i, raw in enumerate(values):
        start = header_len + i * record_len + offset
        data[start : start + width] = raw.ljust(width, b" ")[:width]
    dbf.write_bytes(bytes(data))


def legacy_shapefile(tmp: Path, encoder: Callable[[str], bytes], names: list[str], *, cpg: str | None) -> Path:
    """A shapefile whose ``name`` field holds ``names`` in a legacy encoding (no .cpg unless given)."""
    frame = gpd.GeoDataFrame(
        {"id": list(range(1, len(names) + 1)), "name": ["x" * 30] * len(names)},
        geometry=[square(E0 + 2000 * i) for i in range(len(names))],
        crs=9208,
    )
    shp = write_shapefile(frame, tmp / "legacy")
    patch_dbf_text(shp.with_suffix(".dbf"), 1, [encoder(n) for n in names])
    cpg_file = shp.with_suffix(".cpg")
    if cpg is None:
        cpg_file.unlink()
    else:
        cpg_file.write_text(cpg)
    # GDAL also honours the dBASE language driver id; 0 = "not said", as legacy tools leave it
    dbf = shp.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = 0
    dbf.write_bytes(bytes(data))
    return shp


NAMES = ["Bảo Yên", "Phố Ràng", "Nghĩa Đô", "Lào Cai", "đường Xuân Hòa"]


# --- the corpus -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A hostile or broken input: how to build it, and what reading it must give."""

    name: str
    build: Callable[[Path], Path]
    error: type[PlanError]
    match: str
    limits: Limits = field(default_factory=Limits)


def _zip_bomb(tmp: Path) -> Path:
    target = tmp / "bomb.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.geojson", b"\x00" * (20 * 1024 * 1024))
    return target


def _big_declared(tmp: Path) -> Path:
    target = tmp / "big.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("a.geojson", b" " * (3 * 1024 * 1024))
    return target


def _zip_member(name: str, data: bytes = b"{}", *, mode: int | None = None) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        target = tmp / "evil.zip"
        with zipfile.ZipFile(target, "w") as zf:
            info = zipfile.ZipInfo(name)
            if mode is not None:
                info.external_attr = mode << 16
            zf.writestr(info, data)
        return target

    return build


def _missing(ext: str) -> Callable[[Path], Path]:
    return lambda tmp: shapefile_zip(tmp, drop=(ext,))


def _loose_missing_dbf(tmp: Path) -> Path:
    shp = write_shapefile(sample_frame(), tmp / "loose")
    shp.with_suffix(".dbf").unlink()
    return shp


def _truncated_shp(tmp: Path) -> Path:
    shp = write_shapefile(sample_frame(), tmp / "trunc")
    data = shp.read_bytes()
    shp.write_bytes(data[:-20])
    return shp


def _truncated_dbf(tmp: Path) -> Path:
    shp = write_shapefile(sample_frame(), tmp / "trunc")
    dbf = shp.with_suffix(".dbf")
    dbf.write_bytes(dbf.read_bytes()[:-30])
    return shp


def _mismatched_parts(tmp: Path) -> Path:
    shp = write_shapefile(sample_frame(3), tmp / "a")
    other = write_shapefile(sample_frame(2), tmp / "b")
    shp.with_suffix(".dbf").write_bytes(other.with_suffix(".dbf").read_bytes())
    return shp


def _geojson_text(tmp: Path, text: str, name: str = "data.geojson") -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def _feature_collection(coords: list[list[float]]) -> str:
    feats = [
        {"type": "Feature", "properties": {"id": i + 1}, "geometry": {"type": "Point", "coordinates": c}}
        for i, c in enumerate(coords)
    ]
    return json.dumps({"type": "FeatureCollection", "features": feats})


def _truncated_json(tmp: Path) -> Path:
    text = _feature_collection([[LON0, LAT0], [LON0 + 0.01, LAT0]])
    return _geojson_text(tmp, text[: len(text) - 15])


def _bad_json(tmp: Path) -> Path:
    return _geojson_text(tmp, '{"type": "FeatureCollection", "features": [ {"type": "Feature", oops} ]}')


def _deep_json(tmp: Path) -> Path:
    return _geojson_text(tmp, '{"type": "FeatureCollection", "x": ' + "[" * 500 + "]" * 500 + ', "features": []}')


_KML_BODY = (
    '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&x;</name>'
    "<Point><coordinates>104.478,22.2446</coordinates></Point></Placemark></Document></kml>"
)


def _xxe_kml(tmp: Path) -> Path:
    p = tmp / "xxe.kml"
    p.write_text('<?xml version="1.0"?>\n<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' + _KML_BODY)
    return p


def _entity_bomb_kml(tmp: Path) -> Path:
    ents = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    p = tmp / "bomb.kml"
    p.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE kml [{ents}]>\n' + _KML_BODY.replace("&x;", "&i;"))
    return p


def _doctype_kmz(tmp: Path) -> Path:
    kml = _xxe_kml(tmp)
    target = tmp / "xxe.kmz"
    with zipfile.ZipFile(target, "w") as zf:
        zf.write(kml, arcname="doc.kml")
    return target


def _truncated_kml(tmp: Path) -> Path:
    p = tmp / "cut.kml"
    body = '<?xml version="1.0"?>\n' + _KML_BODY.replace("&x;", "Phố Ràng")
    p.write_text(body[: len(body) - 30])
    return p


def _truncated_gpkg(tmp: Path) -> Path:
    p = tmp / "cut.gpkg"
    pyogrio.write_dataframe(sample_frame(50), p, driver="GPKG")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def _truncated_zip(tmp: Path) -> Path:
    z = shapefile_zip(tmp)
    data = z.read_bytes()
    z.write_bytes(data[: len(data) - 200])
    return z


def _truncated_dxf(tmp: Path) -> Path:
    p = tmp / "cut.dxf"
    pyogrio.write_dataframe(gpd.GeoDataFrame(geometry=[square()], crs=9208), p, driver="DXF")
    data = p.read_bytes()
    p.write_bytes(data[: len(data) - 40])
    return p


def _empty(tmp: Path) -> Path:
    p = tmp / "empty.geojson"
    p.write_bytes(b"")
    return p


def _dwg(tmp: Path) -> Path:
    p = tmp / "drawing.dxf"
    p.write_bytes(b"AC1027" + b"\x00" * 200)
    return p


def _binary(tmp: Path) -> Path:
    p = tmp / "photo.geojson"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return p


def _several_layers(tmp: Path) -> Path:
    p = tmp / "two.gpkg"
    pyogrio.write_dataframe(sample_frame(2), p, layer="lots", driver="GPKG")
    pyogrio.write_dataframe(sample_frame(1), p, layer="zones", driver="GPKG", append=False)
    return p


def _several_files(tmp: Path) -> Path:
    a = _geojson_text(tmp, _feature_collection([[LON0, LAT0]]), "a.geojson")
    b = _geojson_text(tmp, _feature_collection([[LON0, LAT0]]), "b.geojson")
    return zip_folder([a, b], tmp / "two.zip")


def _no_prj(tmp: Path) -> Path:
    return shapefile_zip(tmp, drop=("prj",))


def _oversize(tmp: Path) -> Path:
    return _geojson_text(tmp, _feature_collection([[LON0, LAT0]] * 200))


CASES: tuple[Case, ...] = (
    Case("zip bomb (ratio)", _zip_bomb, UnsafeInputError, r"zip bomb"),
    Case(
        "zip bomb (declared size)",
        _big_declared,
        UnsafeInputError,
        r"would expand to",
        Limits(archive_uncompressed_bytes=1024 * 1024),
    ),
    Case("path traversal", _zip_member("../../evil.geojson"), UnsafeInputError, r"outside the archive"),
    Case("absolute member path", _zip_member("/etc/evil.geojson"), UnsafeInputError, r"absolute path"),
    Case(
        "symlink member",
        _zip_member("link.geojson", b"/etc/passwd", mode=stat.S_IFLNK | 0o777),
        UnsafeInputError,
        r"symbolic link",
    ),
    Case("missing .shx", _missing("shx"), UnsafeInputError, r"lacks its \.shx"),
    Case("missing .dbf (loose)", _loose_missing_dbf, UnsafeInputError, r"lacks its \.dbf"),
    Case("only .dbf and .shx", _missing("shp"), UnsafeInputError, r"\.dbf table without its \.shp"),
    Case("truncated .shp", _truncated_shp, UnsafeInputError, r"truncated"),
    Case("truncated .dbf", _truncated_dbf, UnsafeInputError, r"\.dbf table is truncated"),
    Case("parts of two exports", _mismatched_parts, UnsafeInputError, r"different exports"),
    Case("truncated GeoJSON", _truncated_json, UnsafeInputError, r"not complete JSON"),
    Case("bad JSON", _bad_json, DataSourceError, r"cannot be read as GeoJSON"),
    Case("deeply nested JSON", _deep_json, UnsafeInputError, r"nested \d+ levels"),
    Case("XXE in KML", _xxe_kml, UnsafeInputError, r"DOCTYPE"),
    Case("entity bomb in KML", _entity_bomb_kml, UnsafeInputError, r"DOCTYPE or XML entities"),
    Case("DOCTYPE inside KMZ", _doctype_kmz, UnsafeInputError, r"DOCTYPE"),
    Case("truncated KML", _truncated_kml, UnsafeInputError, r"not well-formed XML"),
    Case("truncated GeoPackage", _truncated_gpkg, UnsafeInputError, r"truncated"),
    Case("truncated zip", _truncated_zip, UnsafeInputError, r"truncated|corrupt|not a readable zip"),
    Case("truncated DXF", _truncated_dxf, UnsafeInputError, r"EOF marker"),
    Case("empty file", _empty, UnsafeInputError, r"is empty"),
    Case("DWG named .dxf", _dwg, DataSourceError, r"DWG.*save it as DXF"),
    Case("binary named .geojson", _binary, UnsafeInputError, r"not a format that can be read"),
    Case("several layers", _several_layers, InputDataError, r"several layers: lots .*zones"),
    Case("several files in a zip", _several_files, InputDataError, r"several data files \(a\.geojson, b\.geojson\)"),
    Case("shapefile without .prj", _no_prj, MissingCRSError, r"has no \.prj.*EPSG:9208"),
    Case("upload too large", _oversize, UnsafeInputError, r"above the 0 MB limit", Limits(upload_bytes=1000)),
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_is_refused_with_one_clear_line(case: Case, tmp_path: Path) -> None:
    path = case.build(tmp_path)
    with pytest.raises(case.error, match=case.match) as info:
        read_vector(path, limits=case.limits)
    message = str(info.value)
    assert "\n" not in message
    assert path.name in message or "`" in message  # names the file
    assert len(message) < 400


def test_missing_crs_error_carries_the_guess(tmp_path: Path) -> None:
    with pytest.raises(MissingCRSError) as info:
        read_vector(_no_prj(tmp_path))
    assert info.value.guess == 9208
    assert "TM-3" in info.value.reason
    assert isinstance(info.value, CRSError)


def test_no_temp_files_left_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    read_vector(shapefile_zip(tmp_path))
    with pytest.raises(UnsafeInputError):
        read_vector(_truncated_zip(tmp_path / "t"))
    (tmp_path / "s").mkdir()
    with pytest.raises(InputDataError):
        read_vector(_several_files(tmp_path / "s"))
    assert list(scratch.iterdir()) == []


def test_legacy_encoders_match_each_other() -> None:
    # sanity of the helpers the corpus uses (the decoders are tested in test_encoding.py)
    assert encode_tcvn3("Bảo Yên") != encode_vni("Bảo Yên")

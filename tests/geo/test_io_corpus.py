"""A corpus of hostile and broken inputs, built in code, and the one-line refusal each must give.

The builders are shared with the importer and CLI tests (``from tests.geo.test_io_corpus import ...``):
every case says which error class it raises (or that it reads with an error or warning in the report)
and a pattern its message must match.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
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
    #: the CRS the reader is given (an override of the file's declaration); None reads as the file says
    crs: str | None = None


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


# --- issue 14: nothing wrong is ever stored ---------------------------------------------------------------


def _collection(geometries: list[object], properties: list[dict[str, object]] | None = None) -> str:
    props = properties or [{"id": i + 1} for i in range(len(geometries))]
    feats = [{"type": "Feature", "properties": p, "geometry": g} for p, g in zip(props, geometries, strict=True)]
    return json.dumps({"type": "FeatureCollection", "features": feats})


def _ring(lon: float = LON0, lat: float = LAT0, d: float = 0.01) -> list[list[float]]:
    return [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]


def unclosed_rings(tmp: Path) -> Path:
    """Polygons whose rings do not come back to their first point (GDAL reads them as no geometry)."""
    good = {"type": "Polygon", "coordinates": [_ring()]}
    open_ring = {"type": "Polygon", "coordinates": [_ring(LON0 + 0.05)[:-1]]}
    return _geojson_text(tmp, _collection([good, open_ring, open_ring]), "unclosed.geojson")


def swapped_axes(tmp: Path) -> Path:
    """Points written latitude first (22.24, 104.47): GeoJSON is longitude first."""
    points = [{"type": "Point", "coordinates": [LAT0 + 0.01 * i, LON0]} for i in range(3)]
    return _geojson_text(tmp, _collection(points), "swapped.geojson")


def text_coordinates(tmp: Path) -> Path:
    """Coordinates written as text ("104.47"): not GeoJSON, and GDAL reads them as no geometry."""
    points = [{"type": "Point", "coordinates": [LON0, LAT0]}, {"type": "Point", "coordinates": ["104.47", "22.24"]}]
    return _geojson_text(tmp, _collection(points), "text_coords.geojson")


def null_coordinates(tmp: Path) -> Path:
    return _geojson_text(tmp, _collection([{"type": "Point", "coordinates": [None, LAT0]}]), "null_coords.geojson")


def nan_polygon(tmp: Path) -> Path:
    """A NaN inside a ring: shapely warns "invalid value encountered in from_wkb" while decoding it."""
    ring = _ring()
    ring[1][0] = float("nan")
    return _geojson_text(tmp, _collection([{"type": "Polygon", "coordinates": [ring]}]), "nan.geojson")


def declared_9208(tmp: Path) -> Path:
    """A correct file that declares EPSG:9208 (the cases override it with a CRS that moves it abroad)."""
    p = tmp / "declared.gpkg"
    pyogrio.write_dataframe(sample_frame(), p, driver="GPKG")
    return p


def declared_wrongly(tmp: Path) -> Path:
    """VN-2000 metres declared as UTM 47N: in Myanmar as declared."""
    p = tmp / "declared_wrongly.gpkg"
    pyogrio.write_dataframe(sample_frame().set_crs(32647, allow_override=True), p, driver="GPKG")
    return p


def long_text(tmp: Path) -> Path:
    props = [{"id": 1, "note": "Bảo Yên " * 20_000}]
    return _geojson_text(tmp, _collection([{"type": "Point", "coordinates": [LON0, LAT0]}], props), "long.geojson")


def recursive_view(tmp: Path) -> Path:
    """A GeoPackage whose only layer is a view that never ends (a recursive query)."""
    p = tmp / "view.gpkg"
    pyogrio.write_dataframe(sample_frame(1), p, layer="lots", driver="GPKG")
    con = sqlite3.connect(p)
    con.executescript(
        """
        CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
            SELECT x AS fid, (SELECT geom FROM lots LIMIT 1) AS geom FROM c;
        DELETE FROM gpkg_geometry_columns WHERE table_name = 'lots';
        DELETE FROM gpkg_contents WHERE table_name = 'lots';
        INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('endless', 'features',
            'endless', 9208);
        INSERT INTO gpkg_geometry_columns VALUES ('endless', 'geom', 'POLYGON', 9208, 0, 0);
        CREATE TRIGGER noisy AFTER INSERT ON lots BEGIN SELECT count(*) FROM endless; END;
        """
    )
    con.commit()
    con.close()
    return p


def _zip_of(names: list[str], data: bytes = b"{}") -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        target = tmp / "odd.zip"
        duplicated = len(set(names)) < len(names)
        expected = pytest.warns(UserWarning, match="Duplicate name") if duplicated else contextlib.nullcontext()
        with zipfile.ZipFile(target, "w") as zf, expected:  # zipfile itself says so when a name repeats
            for n in names:
                zf.writestr(n, data)
        return target

    return build


def many_members(tmp: Path) -> Path:
    """An archive holding exactly as many members as the limit allows none of (10 of 10)."""
    return _zip_of([f"f{i}.txt" for i in range(10)])(tmp)


def many_data_files(tmp: Path) -> Path:
    """Forty GeoJSON files: the refusal names a few and counts the rest."""
    text = _feature_collection([[LON0, LAT0]]).encode()
    return _zip_of([f"folder/layer_{i:03d}_{'x' * 60}.geojson" for i in range(40)], text)(tmp)


def placemarks(n: int) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        marks = "".join(
            f"<Placemark><name>p{i}</name><Point><coordinates>{LON0},{LAT0}</coordinates></Point></Placemark>"
            for i in range(n)
        )
        p = tmp / "many.kml"
        p.write_text(f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{marks}</Document></kml>')
        return p

    return build


def gpkg_rows(n: int) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        p = tmp / "many.gpkg"
        pyogrio.write_dataframe(sample_frame(n), p, driver="GPKG")
        return p

    return build


def csv_rows(tmp: Path) -> Path:
    p = tmp / "many.csv"
    p.write_text("X,Y\n" + "".join(f"{N0 + i},{E0}\n" for i in range(20)), encoding="utf-8")
    return p


FEW = Limits(max_features=5)

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
    # issue 14
    Case("coordinates written as text", text_coordinates, InputDataError, r'feature 2 are written as text \("104'),
    Case("null coordinates", null_coordinates, InputDataError, r"feature 1 are not numbers \(null\)"),
    Case("latitude written first", swapped_axes, CRSError, r"outside Vietnam in EPSG:4326.*swapped"),
    Case("declared CRS outside Vietnam", declared_wrongly, CRSError, r"outside Vietnam in EPSG:32647.*344 km"),
    Case(
        "override that lands outside Vietnam",
        declared_9208,
        CRSError,
        r"outside Vietnam in EPSG:32647",
        crs="EPSG:32647",
    ),
    Case("5-million-character string", long_text, UnsafeInputError, r"text of 160,000 characters, above"),
    Case("recursive view as the only layer", recursive_view, UnsafeInputError, r"only views .*: endless"),
    Case("file and folder of one name", _zip_of(["x", "x/a.geojson"]), UnsafeInputError, r"both a file and a folder"),
    Case("300-character folder name", _zip_of(["d" * 300 + "/a.geojson"]), UnsafeInputError, r"name too long"),
    Case("over-long file name", _zip_of(["a" * 260 + ".geojson"]), UnsafeInputError, r"name too long"),
    Case("same member twice", _zip_of(["a.geojson", "a.geojson"]), UnsafeInputError, r"occurs twice"),
    Case(
        "members at the limit",
        many_members,
        UnsafeInputError,
        r"holds 10 files, at or above the limit of 10",
        Limits(archive_members=10),
    ),
    Case("forty data files", many_data_files, InputDataError, r"several data files .* and 35 more\)"),
    Case("more placemarks than the limit", placemarks(8), UnsafeInputError, r"8 placemarks, above .* 5", FEW),
    Case("more GeoJSON features than the limit", lambda t: _oversize(t), UnsafeInputError, r"200 features", FEW),
    Case(
        "more shapefile shapes than the limit",
        lambda t: shapefile_zip(t, sample_frame(8)),
        UnsafeInputError,
        r"8 features, above the limit of 5",
        FEW,
    ),
    Case("more GeoPackage rows than the limit", gpkg_rows(8), UnsafeInputError, r"8 features, above", FEW),
    Case("more CSV rows than the limit", csv_rows, UnsafeInputError, r"20 rows, above the limit of 5", FEW),
    Case("a read that takes too long", _oversize, UnsafeInputError, r"longer than 0 seconds", Limits(max_seconds=0)),
)

#: inputs that read, but whose report holds an error that blocks an import (the reader never prints)
REPORTED: tuple[tuple[str, Callable[[Path], Path], str], ...] = (
    (
        "unclosed polygon rings",
        unclosed_rings,
        r"geometry of 2 feature\(s\) cannot be read \(a polygon ring is not "
        r"closed.*\(features 2, 3\)",
    ),
    ("NaN inside a ring", nan_polygon, r"coordinates not a number \(NaN\) in feature\(s\) 1"),
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_is_refused_with_one_clear_line(case: Case, tmp_path: Path) -> None:
    path = case.build(tmp_path)
    with pytest.raises(case.error, match=case.match) as info:
        read_vector(path, limits=case.limits, crs=case.crs)
    message = str(info.value)
    assert "\n" not in message
    assert path.name in message or "`" in message  # names the file
    assert len(message) < 400


@pytest.mark.parametrize(("name", "build", "match"), REPORTED, ids=[r[0] for r in REPORTED])
def test_corpus_read_with_a_blocking_error_and_nothing_printed(
    name: str, build: Callable[[Path], Path], match: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _, report = read_vector(build(tmp_path))
    assert not report.ok
    assert re.search(match, report.errors[0]), report.errors
    out, err = capfd.readouterr()
    assert out == "" and err == ""


# --- `baoyen import` refuses each with one line and leaves the store as it was --------------------------------


def store_hashes(path: Path) -> dict[str, str]:
    """A hash of every table of a store (rows in a stable order), to prove a refusal changed nothing."""
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for name in names:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{name}"'))
            out[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


#: (name, build, extra options, exit status, pattern of the one line)
IMPORTS: tuple[tuple[str, Callable[[Path], Path], tuple[str, ...], int, str], ...] = (
    ("unclosed polygon rings", unclosed_rings, (), 1, r"not imported .*polygon ring is not closed"),
    ("latitude written first", swapped_axes, (), 1, r"outside Vietnam.*swapped"),
    ("coordinates written as text", text_coordinates, (), 1, r'not numbers but "104.47".*not GeoJSON'),
    ("null coordinates", null_coordinates, (), 1, r"not numbers but null"),
    ("NaN inside a ring", nan_polygon, (), 1, r"not a number \(NaN\)"),
    ("override that lands outside Vietnam", declared_9208, ("--override-crs", "EPSG:32647"), 1, r"outside Vietnam"),
    ("--crs for a file that declares another", declared_wrongly, ("--crs", "EPSG:9208"), 1, r"EPSG:32647"),
    ("recursive view as the only layer", recursive_view, (), 2, r"only views .*: endless"),
    ("long text", long_text, (), 2, r"characters, above the limit"),
    ("file and folder of one name", _zip_of(["x", "x/a.geojson"]), (), 2, r"both a file and a folder"),
    ("300-character folder name", _zip_of(["d" * 300 + "/a.geojson"]), (), 2, r"name too long"),
    ("forty data files", many_data_files, (), 1, r"and 35 more"),
)


@pytest.mark.parametrize(("name", "build", "extra", "status", "match"), IMPORTS, ids=[c[0] for c in IMPORTS])
def test_import_refuses_with_one_line_and_changes_nothing(
    name: str,
    build: Callable[[Path], Path],
    extra: tuple[str, ...],
    status: int,
    match: str,
    store_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from cli import main

    monkeypatch.setenv("BAOYEN_LANG", "en")
    path = build(tmp_path)
    before = store_hashes(store_copy)
    code = main(["import", str(path), "--layer", "lots_test", "--store", str(store_copy), *extra])
    out, err = capfd.readouterr()
    assert code == status, (out, err)
    lines = (out + err).splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("baoyen import: ") and re.search(match, lines[0]), lines[0]
    assert "Warning" not in err and "Traceback" not in err
    assert store_hashes(store_copy) == before


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

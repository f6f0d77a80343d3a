"""Defences for reading files a user gives us: size, type by content, archives, XML, JSON, truncation.

Every check raises :class:`~geo.errors.UnsafeInputError` (hostile or broken input) or
:class:`~geo.errors.DataSourceError` (cannot be read at all) with a one-line message that names the file,
the problem and the fix. Nothing here trusts a file name's extension: :func:`sniff` looks at the bytes.

Archives are inspected from their central directory *before* anything is decompressed (member count,
declared uncompressed total, compression ratio, member paths, symlinks) and then extracted only into a
private temporary directory that :func:`extract_zip` always removes. Python's :mod:`zipfile` never
writes more than a member's declared size and checks every CRC, so a lying directory is caught while
extracting, and a truncated or corrupt archive is refused rather than half-read.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import sqlite3
import stat
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np

from geo.errors import DataSourceError, UnsafeInputError
from geo.limits import MB, Limits

#: File kinds :func:`sniff` can tell apart.
KINDS = (
    "zip",
    "gpkg",
    "sqlite",
    "shp",
    "shx",
    "dbf",
    "geojson",
    "kml",
    "xml",
    "dxf",
    "dgn",
    "dgn8",
    "dwg",
    "fgb",
    "parquet",
    "csv",
    "xls",
    "unknown",
)

_FIX_SPLIT = "split it into smaller files or raise the limit (BAOYEN_UPLOAD_MB)"


def file_label(path: str | Path) -> str:
    """The name used in messages: the file's base name in backticks."""
    return f"`{Path(path).name}`"


def check_size(path: Path, limits: Limits, *, label: str | None = None) -> int:
    """Return the size of ``path`` in bytes after checking it is a non-empty regular file within limits.

    Raises
    ------
    DataSourceError
        When the file does not exist or is not a regular file.
    UnsafeInputError
        When it is empty or larger than ``limits.upload_bytes``.
    """
    name = label or file_label(path)
    if not path.exists():
        raise DataSourceError(f"{name} does not exist; check the path")
    if not path.is_file():
        raise DataSourceError(f"{name} is not a file; give the path of a data file (or a .zip of it)")
    size = path.stat().st_size
    if size == 0:
        raise UnsafeInputError(f"{name} is empty (0 bytes); the upload or copy was cut off, send the file again")
    if size > limits.upload_bytes:
        raise UnsafeInputError(
            f"{name} is {size / MB:.0f} MB, above the {limits.upload_bytes / MB:.0f} MB limit; {_FIX_SPLIT}"
        )
    return size


def _head(path: Path, n: int = 4096) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def _tail(path: Path, n: int = 4096) -> bytes:
    with path.open("rb") as fh:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - n))
        return fh.read()


_DXF_START = re.compile(rb"^\s*0\s*\r?\n\s*SECTION\s*\r?\n", re.ASCII)
_DXF_ANY_SECTION = re.compile(rb"^\s*(999\s*\r?\n[^\n]*\n\s*)?0\s*\r?\n\s*SECTION", re.ASCII)


def sniff(path: Path) -> str:
    """The kind of file by its first bytes (never by its extension): one of :data:`KINDS`."""
    head = _head(path)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"SQLite format 3\x00"):
        # a GeoPackage carries application_id "GPKG" (or "GP10"/"GP11") at offset 68
        return "gpkg" if head[68:72] in (b"GPKG", b"GP10", b"GP11") else "sqlite"
    if len(head) >= 4 and struct.unpack(">i", head[:4])[0] == 9994:
        # .shp and .shx share the header; the .shx length is always 100 + 8·n bytes
        return "shp"
    if head.startswith(b"fgb\x03fgb"):
        return "fgb"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head[:4] in (b"\x08\x09\xfe\x02", b"\xc8\x09\xfe\x02"):
        return "dgn"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # OLE compound file: MicroStation V8 DGN or an old Excel .xls
        return "xls" if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in _head(path, 1 << 16) else "dgn8"
    if head.startswith(b"AC10") or head.startswith(b"AC1."):
        return "dwg"
    if len(head) >= 32 and head[0] in (0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x83, 0x8B, 0xCB, 0xF5, 0xFB):
        # dBASE: version byte, a plausible date, header length >= 33 and a field terminator
        yy, mm, dd = head[1], head[2], head[3]
        header_len = struct.unpack("<H", head[8:10])[0]
        if 1 <= mm <= 12 and 1 <= dd <= 31 and yy < 200 and header_len >= 33 and b"\x00" in head[:32]:
            return "dbf"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"{", b"[")):
        return "geojson"
    if text.startswith(b"<"):
        low = text[:2048].lower()
        return "kml" if b"<kml" in low or b"opengis.net/kml" in low else "xml"
    if _DXF_START.match(head) or _DXF_ANY_SECTION.match(head):
        return "dxf"
    if _looks_like_text(head):
        return "csv"
    return "unknown"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    # legacy Vietnamese text uses high bytes freely; control characters other than tab/CR/LF do not occur
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return controls == 0


# --- archives -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipListing:
    """What the central directory of an archive declares, after the safety checks passed."""

    members: tuple[str, ...]
    uncompressed_bytes: int
    compressed_bytes: int


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"member '{name}' is a symbolic link"
    if "\x00" in name:
        return f"member name {name!r} holds a NUL byte"
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", name):
        return f"member '{name}' has an absolute path"
    if ".." in posix.parts:
        return f"member '{name}' points outside the archive (..)"
    return None


def inspect_zip(path: Path, limits: Limits, *, label: str | None = None) -> ZipListing:
    """Check an archive from its central directory, before anything is decompressed.

    Refuses: an unreadable directory, too many members, a declared uncompressed total above the limit,
    a compression ratio above the limit (a zip bomb), encrypted members, absolute or ``..`` member
    paths, and symbolic links.
    """
    name = label or file_label(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise UnsafeInputError(
            f"{name} is not a readable zip archive ({exc}); it may be truncated, send the complete file again"
        ) from exc
    if len(infos) > limits.archive_members:
        raise UnsafeInputError(
            f"{name} holds {len(infos)} files, above the limit of {limits.archive_members}; "
            "zip only the files of the layer"
        )
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > limits.archive_uncompressed_bytes:
        raise UnsafeInputError(
            f"{name} would expand to {total / MB:.0f} MB, above the {limits.archive_uncompressed_bytes / MB:.0f} MB "
            "limit (a zip bomb?); send the data files without the archive, or smaller"
        )
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise UnsafeInputError(f"{name}: {problem}, which is refused as unsafe; zip the data files alone")
        if info.flag_bits & 0x1:
            raise UnsafeInputError(f"{name}: member '{info.filename}' is encrypted; send an archive without password")
        if info.file_size > 0 and info.compress_size >= 0:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.archive_ratio and info.file_size > 1 * MB:
                raise UnsafeInputError(
                    f"{name}: member '{info.filename}' expands {ratio:.0f}× (limit {limits.archive_ratio:.0f}×), "
                    "the mark of a zip bomb; it was not extracted"
                )
    if packed and total / packed > limits.archive_ratio and total > 1 * MB:
        raise UnsafeInputError(
            f"{name} expands {total / packed:.0f}× overall (limit {limits.archive_ratio:.0f}×), the mark of a zip "
            "bomb; it was not extracted"
        )
    return ZipListing(tuple(i.filename for i in infos), total, packed)


@contextlib.contextmanager
def extract_zip(path: Path, limits: Limits, *, label: str | None = None) -> Iterator[Path]:
    """Extract a checked archive into a private temporary directory, removed on exit whatever happens.

    Members are written one by one through :mod:`zipfile` (which stops at each member's declared size
    and verifies its CRC), and the running total is held to the limit, so an archive whose directory
    lies is refused part-way and leaves nothing behind.
    """
    name = label or file_label(path)
    inspect_zip(path, limits, label=label)
    tmp = Path(tempfile.mkdtemp(prefix="baoyen-zip-"))
    try:
        written = 0
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir():
                    continue
                rel = PurePosixPath(info.filename.replace("\\", "/"))
                target = tmp.joinpath(*rel.parts)
                if not target.resolve().is_relative_to(tmp.resolve()):
                    raise UnsafeInputError(f"{name}: member '{info.filename}' points outside the archive")
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    with zf.open(info) as src, target.open("wb") as dst:
                        while chunk := src.read(1 << 20):
                            written += len(chunk)
                            if written > limits.archive_uncompressed_bytes:
                                raise UnsafeInputError(
                                    f"{name} expands beyond {limits.archive_uncompressed_bytes / MB:.0f} MB "
                                    "(a zip bomb?); it was not read"
                                )
                            dst.write(chunk)
                except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                    if isinstance(exc, UnsafeInputError):
                        raise
                    raise UnsafeInputError(
                        f"{name}: member '{info.filename}' is corrupt or truncated ({exc}); "
                        "send the complete archive again"
                    ) from exc
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=False)


# --- XML (KML) ----------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_xml(data: bytes, *, label: str) -> None:
    """Refuse XML that declares a DOCTYPE or entities, and XML that is not well formed (e.g. truncated).

    The bytes are scanned for declarations first (in any encoding GDAL would accept, so also UTF-16),
    then parsed with :mod:`defusedxml`, which forbids DTDs, entity declarations and external references.
    """
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    probe = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        probe = data.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    if _DOCTYPE.search(probe):
        raise UnsafeInputError(
            f"{label} declares a DOCTYPE or XML entities, which is refused as unsafe (XXE / entity bomb); "
            "export the file again from Google Earth or QGIS"
        )
    try:
        SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeInputError(
            f"{label} uses XML features refused as unsafe ({type(exc).__name__}); export it again from Google "
            "Earth or QGIS"
        ) from exc
    except SafeET.ParseError as exc:
        raise UnsafeInputError(
            f"{label} is not well-formed XML ({exc}); it may be truncated, send the complete file again"
        ) from exc


# --- JSON ---------------------------------------------------------------------------------------------

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)


def json_depth(data: bytes) -> tuple[int, bool]:
    """Maximum nesting depth of a JSON text and whether its brackets balance (without parsing it).

    Strings are blanked first so brackets inside them do not count. Runs in numpy, linear in the size.
    """
    blank = _JSON_STRING.sub(b'""', data)
    arr = np.frombuffer(blank, dtype=np.uint8)
    step = np.zeros(arr.shape, dtype=np.int32)
    step[(arr == ord("{")) | (arr == ord("["))] = 1
    step[(arr == ord("}")) | (arr == ord("]"))] = -1
    if not step.any():
        return 0, True
    depth = np.cumsum(step)
    balanced = bool(depth[-1] == 0 and depth.min() >= 0)
    return int(depth.max()), balanced


def check_json(data: bytes, limits: Limits, *, label: str) -> None:
    """Refuse JSON nested deeper than the limit, and JSON whose brackets do not close (truncated)."""
    depth, balanced = json_depth(data)
    if depth > limits.json_depth:
        raise UnsafeInputError(
            f"{label} is nested {depth} levels deep (limit {limits.json_depth}), which is refused as unsafe; "
            "export it again as plain GeoJSON"
        )
    if not balanced:
        raise UnsafeInputError(
            f"{label} is not complete JSON (its brackets do not close); it may be truncated, send the complete "
            "file again"
        )


# --- truncation checks of binary formats --------------------------------------------------------------


def check_shapefile_parts(shp: Path, *, label: str) -> dict[str, Path]:
    """Find the parts of a shapefile and refuse missing or truncated ones; return them by extension.

    Checks: .shx and .dbf present; .shp length equals the length in its header; .shx length is
    100 + 8·n; the .dbf holds every record its header declares; .shx and .dbf agree on the count.
    """
    parts: dict[str, Path] = {"shp": shp}
    siblings = {p.suffix.lower().lstrip("."): p for p in shp.parent.iterdir() if p.stem == shp.stem}
    for ext in ("shx", "dbf", "prj", "cpg"):
        if ext in siblings:
            parts[ext] = siblings[ext]
    missing = [f".{ext}" for ext in ("shx", "dbf") if ext not in parts]
    if missing:
        raise UnsafeInputError(
            f"{label} lacks its {' and '.join(missing)} part{'s' if len(missing) > 1 else ''}; a shapefile is "
            "several files (.shp .shx .dbf .prj): zip them all together and send the .zip"
        )
    with shp.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100:
        raise UnsafeInputError(f"{label} is shorter than a shapefile header; send the complete file again")
    declared = struct.unpack(">i", header[24:28])[0] * 2
    actual = shp.stat().st_size
    if actual < declared:
        raise UnsafeInputError(
            f"{label} is truncated ({actual} of {declared} bytes); send the complete shapefile again"
        )
    shx_size = parts["shx"].stat().st_size
    if shx_size < 100 or (shx_size - 100) % 8:
        raise UnsafeInputError(
            f"{label}: its .shx index is truncated ({shx_size} bytes); send the complete shapefile again"
        )
    n_shx = (shx_size - 100) // 8
    with parts["dbf"].open("rb") as fh:
        dbf_head = fh.read(32)
    if len(dbf_head) < 32:
        raise UnsafeInputError(f"{label}: its .dbf table is truncated; send the complete shapefile again")
    n_dbf = struct.unpack("<I", dbf_head[4:8])[0]
    header_len, record_len = struct.unpack("<HH", dbf_head[8:12])
    need = header_len + n_dbf * record_len
    have = parts["dbf"].stat().st_size
    if have < need:
        raise UnsafeInputError(
            f"{label}: its .dbf table is truncated ({have} of {need} bytes); send the complete shapefile again"
        )
    if n_dbf != n_shx:
        raise UnsafeInputError(
            f"{label}: its .shx indexes {n_shx} shapes but its .dbf holds {n_dbf} records; the parts come from "
            "different exports, send them again together"
        )
    return parts


def check_sqlite(path: Path, *, label: str) -> None:
    """Refuse a truncated or corrupt SQLite/GeoPackage file (header size, then ``PRAGMA quick_check``)."""
    head = _head(path, 100)
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", head[28:32])[0]
    actual = path.stat().st_size
    if page_size and pages and actual < page_size * pages:
        raise UnsafeInputError(
            f"{label} is truncated ({actual} of {page_size * pages} bytes); send the complete GeoPackage again"
        )
    uri = f"file:{path.resolve()}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise UnsafeInputError(f"{label} is not a readable GeoPackage ({exc}); send the complete file again") from exc
    if rows != [("ok",)]:
        first = rows[0][0] if rows else "unknown problem"
        raise UnsafeInputError(f"{label} is a damaged GeoPackage ({first}); export it again from QGIS")


def check_dxf(path: Path, *, label: str) -> None:
    """Refuse a DXF that does not end with its ``EOF`` marker (truncated)."""
    tail = _tail(path, 256).rstrip()
    if not tail.endswith(b"EOF"):
        raise UnsafeInputError(f"{label} does not end with the DXF EOF marker; it is truncated, save it again from CAD")


def check_dgn(path: Path, *, label: str) -> None:
    """Refuse a DGN v7 whose last element is not the end-of-design marker (truncated)."""
    tail = _tail(path, 4096).rstrip(b"\x00")
    if not tail.endswith(b"\xff\xff"):
        raise UnsafeInputError(
            f"{label} does not end with the DGN end-of-design marker; it is truncated, save it again from MicroStation"
        )


def check_fgb(path: Path, *, label: str) -> None:
    """Refuse a FlatGeobuf whose declared feature count or index cannot fit the file (truncated)."""
    size = path.stat().st_size
    head = _head(path, 12)
    if len(head) < 12:
        raise UnsafeInputError(f"{label} is truncated; send the complete FlatGeobuf again")
    header_size = struct.unpack("<I", head[8:12])[0]
    if 12 + header_size > size:
        raise UnsafeInputError(f"{label} is truncated inside its header; send the complete FlatGeobuf again")


def check_parquet(path: Path, *, label: str) -> None:
    """Refuse a Parquet file without its closing ``PAR1`` footer (truncated)."""
    if not _tail(path, 4) == b"PAR1":
        raise UnsafeInputError(f"{label} lacks its Parquet footer; it is truncated, send the complete file again")


# --- coordinates --------------------------------------------------------------------------------------


def coordinate_problems(coords: np.ndarray, rows: np.ndarray, limits: Limits, *, max_listed: int = 10) -> list[str]:
    """Describe NaN, infinite and absurdly large coordinates; empty when all are sane.

    ``coords`` is an (n, 2|3) array of coordinates and ``rows`` the feature row of each coordinate.
    """
    problems: list[str] = []
    if coords.size == 0:
        return problems
    xy = coords[:, :2]
    checks = (
        ("not a number (NaN)", np.isnan(xy).any(axis=1)),
        ("infinite", np.isinf(xy).any(axis=1)),
        (
            f"beyond ±{limits.coordinate_magnitude:g}",
            np.nan_to_num(np.abs(xy), nan=0.0, posinf=0.0).max(axis=1) > limits.coordinate_magnitude,
        ),
    )
    for what, mask in checks:
        if mask.any():
            bad = np.unique(rows[mask])
            listed = ", ".join(str(int(r) + 1) for r in bad[:max_listed])
            more = f" and {len(bad) - max_listed} more" if len(bad) > max_listed else ""
            problems.append(f"coordinates {what} in feature(s) {listed}{more}")
    return problems


def require_kind(kind: str, *, label: str) -> None:
    """Refuse kinds we recognise but cannot read, with the fix; and unknown content.

    Formats that cannot be read at all raise :class:`DataSourceError`; a lone part of a shapefile raises
    :class:`UnsafeInputError` (a partial file, like a missing .shx); content of an unknown kind (an
    image or program renamed .geojson) raises :class:`UnsafeInputError` too.
    """
    if kind == "dwg":
        raise DataSourceError(f"{label} is an AutoCAD DWG drawing, which cannot be read; save it as DXF from CAD")
    if kind == "dgn8":
        raise DataSourceError(
            f"{label} is a MicroStation V8 DGN, which cannot be read; save it as DGN V7 or DXF from MicroStation"
        )
    if kind == "xls":
        raise DataSourceError(f"{label} is an old Excel .xls workbook, which cannot be read; save it as .xlsx or .csv")
    if kind in ("shx", "dbf"):
        raise UnsafeInputError(
            f"{label} is only one part of a shapefile; send the .shp with its .shx, .dbf and .prj (best as a .zip)"
        )
    if kind == "sqlite":
        raise DataSourceError(f"{label} is an SQLite database but not a GeoPackage; export the layer as GeoPackage")
    if kind == "xml":
        raise DataSourceError(f"{label} is XML but not KML; export the layer as KML, GeoJSON or GeoPackage")
    if kind == "unknown":
        raise UnsafeInputError(
            f"{label} is not a format that can be read (shapefile .zip, GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, "
            "FlatGeobuf, GeoParquet, CSV/XLSX); its content does not match its name, check the file"
        )

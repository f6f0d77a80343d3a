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
import json
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
from geo.limits import MB, Deadline, Limits, text_too_long, too_many_features, too_slow

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


class CodedNote(str):
    """A warning or a problem noted while reading (or measuring): its English text, with a code and params.

    It is the English text wherever text is expected (read reports, JSON, logs, tests); ``code`` and ``params``
    let an edge compose it in the user's language (``services.messages.describe``), as for an error. Values of
    ``params`` may be coded themselves (an error, another note): they are composed in the same language.
    """

    code: str | None
    params: dict[str, object]

    def __new__(cls, text: str, code: str | None = None, **params: object) -> CodedNote:
        note = super().__new__(cls, text)
        note.code = code
        note.params = dict(params)
        return note


def _mb(size: float) -> float:
    """Bytes as whole megabytes, for a message's params (written with the language's marks)."""
    return float(round(size / MB))


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
    try:
        exists = path.exists()
        is_file = exists and path.is_file()
        size = path.stat().st_size if is_file else 0
    except OSError as exc:  # a name too long for the file system, a folder that cannot be entered, ...
        raise DataSourceError(
            f"{_short(name)} cannot be opened ({exc.strerror or exc}); check the path, or rename the file shorter",
            code="file.cannot_open",
            source=_short(name),
            detail=str(exc.strerror or exc),
        ) from exc
    if not exists:
        raise DataSourceError(f"{name} does not exist; check the path", code="file.missing", source=name)
    if not is_file:
        raise DataSourceError(
            f"{name} is not a file; give the path of a data file (or a .zip of it)", code="file.not_a_file", source=name
        )
    if size == 0:
        raise UnsafeInputError(
            f"{name} is empty (0 bytes); the upload or copy was cut off, send the file again",
            code="file.empty",
            source=name,
        )
    if size > limits.upload_bytes:
        raise UnsafeInputError(
            f"{name} is {size / MB:.0f} MB, above the {limits.upload_bytes / MB:.0f} MB limit; {_FIX_SPLIT}",
            code="file.too_large",
            source=name,
            size_mb=_mb(size),
            limit_mb=_mb(limits.upload_bytes),
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


#: the longest file or folder name most file systems store, in bytes (UTF-8)
NAME_MAX_BYTES = 255


def _short(text: str, n: int = 80) -> str:
    """``text`` cut to ``n`` characters for a message (a hostile name must not fill the screen)."""
    return text if len(text) <= n else text[: n - 1] + "…"


def _member_problem(info: zipfile.ZipInfo, label: str) -> UnsafeInputError | None:
    """A member refused as unsafe: a symbolic link, a NUL in its name, an absolute path, a ``..`` path."""
    name = _short(info.filename)
    mode = info.external_attr >> 16
    posix = PurePosixPath(info.filename.replace("\\", "/"))
    if stat.S_ISLNK(mode):
        problem, code = f"member '{name}' is a symbolic link", "archive.symlink"
    elif "\x00" in info.filename:
        problem, code = f"member name {name!r} holds a NUL byte", "archive.nul_name"
        name = name.replace("\x00", "\\x00")  # shown, not written: a NUL ends a line in some viewers
    elif posix.is_absolute() or re.match(r"^[A-Za-z]:", info.filename):
        problem, code = f"member '{name}' has an absolute path", "archive.absolute_path"
    elif ".." in posix.parts:
        problem, code = f"member '{name}' points outside the archive (..)", "archive.outside"
    else:
        return None
    return UnsafeInputError(
        f"{label}: {problem}, which is refused as unsafe; zip the data files alone",
        code=code,
        source=label,
        member=name,
    )


def _member_name_error(info: zipfile.ZipInfo, limits: Limits, label: str) -> UnsafeInputError | None:
    """A member whose path, or one of whose folder or file names, is too long to be extracted."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    longest = max((len(p.encode("utf-8", "surrogateescape")) for p in parts), default=0)
    if len(name) > limits.archive_name_chars or longest > NAME_MAX_BYTES:
        too_long = len(name) if len(name) > limits.archive_name_chars else longest
        return UnsafeInputError(
            f"{label}: member '{_short(name)}' has a name too long to be extracted ({too_long} characters); "
            "rename the folders and files inside the archive shorter and zip them again",
            code="archive.name_too_long",
            source=label,
            member=_short(name),
            chars=too_long,
        )
    return None


def _layout_error(infos: list[zipfile.ZipInfo], label: str) -> UnsafeInputError | None:
    """Two members that cannot both be extracted: the same name twice, or a name that is a file and a folder."""
    files: set[str] = set()
    folders: set[str] = set()
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        key = path.as_posix()
        folders.update(p.as_posix() for p in path.parents if p.as_posix() != ".")
        if info.is_dir():
            folders.add(key)
            continue
        if key in files:
            return UnsafeInputError(
                f"{label}: member '{_short(key)}' occurs twice; zip each file once",
                code="archive.duplicate_member",
                source=label,
                member=_short(key),
            )
        files.add(key)
    clash = sorted(files & folders)
    if clash:
        return UnsafeInputError(
            f"{label}: '{_short(clash[0])}' is both a file and a folder in the archive; zip the data files again",
            code="archive.file_and_folder",
            source=label,
            member=_short(clash[0]),
        )
    return None


def _declared_members(path: Path) -> int | None:
    """The member count the archive's end record declares, read without reading its directory; None if absent."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        back = min(size, 22 + 65_535)
        fh.seek(size - back)
        tail = fh.read(back)
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        total = int(struct.unpack("<H", tail[at + 10 : at + 12])[0])
        if total == 0xFFFF and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
            # ZIP64: the locator points at the ZIP64 end record, which holds the real count
            offset = int(struct.unpack("<Q", tail[at - 12 : at - 4])[0])
            if 0 <= offset < size:
                fh.seek(offset)
                record = fh.read(56)
                if record[:4] == b"PK\x06\x06" and len(record) >= 40:
                    total = int(struct.unpack("<Q", record[32:40])[0])
    return total


def _too_many_members(label: str, count: int, limits: Limits) -> UnsafeInputError:
    return UnsafeInputError(
        f"{label} holds {count:,} files, at or above the limit of {limits.archive_members:,}; "
        "zip only the files of the layer",
        code="archive.too_many_members",
        source=label,
        count=count,
        limit=limits.archive_members,
    )


def inspect_zip(path: Path, limits: Limits, *, label: str | None = None) -> ZipListing:
    """Check an archive from its central directory, before anything is decompressed.

    Refuses: an unreadable directory, too many members (counted from the end record first, so a directory
    of a million members is never read), a declared uncompressed total above the limit, a compression
    ratio above the limit (a zip bomb), encrypted members, absolute or ``..`` member paths, symbolic
    links, names too long to extract, a name given twice, and a name that is both a file and a folder.
    Every refusal is one line that names at most one member (cut to 80 characters), never the listing.
    """
    name = label or file_label(path)
    declared = _declared_members(path)
    if declared is not None and declared >= limits.archive_members:
        # refused from the end record alone: the directory of a million members is never read
        raise _too_many_members(name, declared, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnsafeInputError(
            f"{name} is not a readable zip archive ({exc}); it may be truncated, send the complete file again",
            code="archive.unreadable",
            source=name,
            detail=str(exc),
        ) from exc
    if len(infos) >= limits.archive_members:
        raise _too_many_members(name, len(infos), limits)
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos)
    if total > limits.archive_uncompressed_bytes:
        raise UnsafeInputError(
            f"{name} would expand to {total / MB:.0f} MB, above the {limits.archive_uncompressed_bytes / MB:.0f} MB "
            "limit (a zip bomb?); send the data files without the archive, or smaller",
            code="archive.too_large",
            source=name,
            size_mb=_mb(total),
            limit_mb=_mb(limits.archive_uncompressed_bytes),
        )
    for info in infos:
        problem = _member_problem(info, name)
        if problem is not None:
            raise problem
        name_error = _member_name_error(info, limits, name)
        if name_error is not None:
            raise name_error
        if info.flag_bits & 0x1:
            raise UnsafeInputError(
                f"{name}: member '{_short(info.filename)}' is encrypted; send an archive without password",
                code="archive.encrypted",
                source=name,
                member=_short(info.filename),
            )
        if info.file_size > 0 and info.compress_size >= 0:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.archive_ratio and info.file_size > 1 * MB:
                raise UnsafeInputError(
                    f"{name}: member '{_short(info.filename)}' expands {ratio:.0f}× "
                    f"(limit {limits.archive_ratio:.0f}×), the mark of a zip bomb; it was not extracted",
                    code="archive.member_bomb",
                    source=name,
                    member=_short(info.filename),
                    ratio=float(round(ratio)),
                    limit=float(round(limits.archive_ratio)),
                )
    layout = _layout_error(infos, name)
    if layout is not None:
        raise layout
    if packed and total / packed > limits.archive_ratio and total > 1 * MB:
        raise UnsafeInputError(
            f"{name} expands {total / packed:.0f}× overall (limit {limits.archive_ratio:.0f}×), the mark of a zip "
            "bomb; it was not extracted",
            code="archive.bomb",
            source=name,
            ratio=float(round(total / packed)),
            limit=float(round(limits.archive_ratio)),
        )
    return ZipListing(tuple(i.filename for i in infos), total, packed)


@contextlib.contextmanager
def extract_zip(
    path: Path, limits: Limits, *, label: str | None = None, deadline: Deadline | None = None
) -> Iterator[Path]:
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
                try:
                    inside = target.resolve().is_relative_to(tmp.resolve())
                    if inside:
                        target.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:  # checked beforehand; a file system's own limits end here, in one line
                    raise UnsafeInputError(
                        f"{name}: member '{_short(info.filename)}' cannot be extracted ({exc.strerror or exc}); "
                        "zip the data files again with short, plain names",
                        code="archive.cannot_extract",
                        source=name,
                        member=_short(info.filename),
                        detail=str(exc.strerror or exc),
                    ) from exc
                if not inside:
                    raise UnsafeInputError(
                        f"{name}: member '{_short(info.filename)}' points outside the archive",
                        code="archive.outside",
                        source=name,
                        member=_short(info.filename),
                    )
                if deadline is not None:
                    deadline.check(name)
                try:
                    with zf.open(info) as src, target.open("wb") as dst:
                        while chunk := src.read(1 << 20):
                            written += len(chunk)
                            if written > limits.archive_uncompressed_bytes:
                                raise UnsafeInputError(
                                    f"{name} expands beyond {limits.archive_uncompressed_bytes / MB:.0f} MB "
                                    "(a zip bomb?); it was not read",
                                    code="archive.expands_beyond",
                                    source=name,
                                    limit_mb=_mb(limits.archive_uncompressed_bytes),
                                )
                            dst.write(chunk)
                except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                    if isinstance(exc, UnsafeInputError):
                        raise
                    raise UnsafeInputError(
                        f"{name}: member '{_short(info.filename)}' is corrupt or truncated ({exc}); "
                        "send the complete archive again",
                        code="archive.member_corrupt",
                        source=name,
                        member=_short(info.filename),
                        detail=str(exc),
                    ) from exc
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=False)


# --- XML (KML) ----------------------------------------------------------------------------------------

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


_PLACEMARK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Placemark[\s>/]")


def kml_placemarks(data: bytes) -> int:
    """How many placemarks (features) a KML text holds, counted on the bytes without parsing."""
    if data.count(b"Placemark") == 0:
        return 0
    return sum(1 for _ in _PLACEMARK.finditer(data))


def check_xml(data: bytes, *, label: str, limits: Limits | None = None) -> None:
    """Refuse XML that declares a DOCTYPE or entities, or that is not well formed (e.g. truncated).

    With ``limits``, also XML that holds more placemarks than ``limits.max_features``. The bytes are
    scanned for declarations first (in any encoding GDAL would accept, so also UTF-16), and placemarks
    are counted on the bytes (GDAL's KML reader builds the whole document in memory before it returns the
    first feature); then the text is parsed with :mod:`defusedxml`, which forbids DTDs, entity
    declarations and external references.
    """
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    probe = data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        probe = data.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    if _DOCTYPE.search(probe):
        raise UnsafeInputError(
            f"{label} declares a DOCTYPE or XML entities, which is refused as unsafe (XXE / entity bomb); "
            "export the file again from Google Earth or QGIS",
            code="xml.doctype",
            source=label,
        )
    if limits is not None and probe.count(b"Placemark") // 2 > limits.max_features:
        count = kml_placemarks(probe)
        if count > limits.max_features:
            raise too_many_features(label, count, limits.max_features, what="placemarks")
    try:
        SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeInputError(
            f"{label} uses XML features refused as unsafe ({type(exc).__name__}); export it again from Google "
            "Earth or QGIS",
            code="xml.unsafe",
            source=label,
            detail=type(exc).__name__,
        ) from exc
    except SafeET.ParseError as exc:
        raise UnsafeInputError(
            f"{label} is not well-formed XML ({exc}); it may be truncated, send the complete file again",
            code="xml.malformed",
            source=label,
            detail=str(exc),
        ) from exc


# --- JSON ---------------------------------------------------------------------------------------------

_CHUNK = 1 << 24  # bytes scanned at a time, so the scan's own arrays stay small


@dataclass(frozen=True)
class JsonScan:
    """What one linear scan of a JSON text found, without parsing it."""

    depth: int
    #: brackets and quotes balance (False for a truncated text)
    balanced: bool
    #: bytes of the longest string (keys and values), escapes included
    longest_string: int
    #: offset of the opening quote of the longest string (-1 when there is none)
    longest_at: int


def _positions(arr: np.ndarray, values: tuple[int, ...]) -> np.ndarray:
    """Offsets of the bytes equal to any of ``values``, found a chunk at a time."""
    dtype = np.int32 if arr.size < 2**31 else np.int64
    found = []
    for start in range(0, arr.size, _CHUNK):
        chunk = arr[start : start + _CHUNK]
        mask = chunk == values[0]
        for v in values[1:]:
            mask |= chunk == v
        found.append(np.flatnonzero(mask).astype(dtype) + start)
    return np.concatenate(found) if found else np.array([], dtype=dtype)


def _string_quotes(arr: np.ndarray) -> np.ndarray:
    """Offsets of the quotes that open or close a JSON string (escaped quotes left out)."""
    quotes = _positions(arr, (0x22,))
    if not quotes.size:
        return quotes
    after_backslash = np.flatnonzero((quotes > 0) & (arr[np.maximum(quotes - 1, 0)] == 0x5C))
    if not after_backslash.size:
        return quotes
    keep = np.ones(quotes.size, dtype=bool)
    # one backslash before the quote escapes it (the usual \"); longer runs are counted one by one
    single = (quotes[after_backslash] < 2) | (arr[np.maximum(quotes[after_backslash] - 2, 0)] != 0x5C)
    keep[after_backslash[single]] = False
    for k in after_backslash[~single]:  # rare: an odd run of backslashes escapes the quote
        i = int(quotes[k]) - 1
        run = 0
        while i >= 0 and arr[i] == 0x5C:
            run += 1
            i -= 1
        keep[k] = run % 2 == 0
    return quotes[keep]


def scan_json(data: bytes) -> JsonScan:
    """Nesting depth, balance and longest string of a JSON text, in one linear pass (no parsing).

    Works on the positions of quotes and brackets only (numpy, a chunk at a time), so its memory is a small
    fraction of the text's and a string of millions of characters costs no more than its bytes.
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    quotes = _string_quotes(arr)
    opens, closes = quotes[0::2], quotes[1::2]
    balanced_quotes = quotes.size % 2 == 0
    if closes.size:
        lengths = closes - opens[: closes.size] - 1
        k = int(np.argmax(lengths))
        longest, longest_at = int(lengths[k]), int(opens[k])
    else:
        longest, longest_at = 0, -1
    brackets = _positions(arr, (0x7B, 0x5B, 0x7D, 0x5D))
    if brackets.size:
        outside = np.searchsorted(quotes, brackets) % 2 == 0
        brackets = brackets[outside]
    if not brackets.size:
        return JsonScan(0, balanced_quotes, longest, longest_at)
    kinds = arr[brackets]
    step = np.where((kinds == 0x7B) | (kinds == 0x5B), 1, -1).astype(np.int32)
    depth = np.cumsum(step)
    balanced = bool(balanced_quotes and depth[-1] == 0 and depth.min() >= 0)
    return JsonScan(int(depth.max()), balanced, longest, longest_at)


def json_depth(data: bytes) -> tuple[int, bool]:
    """Maximum nesting depth of a JSON text and whether its brackets balance (without parsing it).

    Brackets inside strings do not count. Runs in numpy, linear in the size (:func:`scan_json`).
    """
    scan = scan_json(data)
    return scan.depth, scan.balanced


_FEATURE = re.compile(rb'"type"\s*:\s*"Feature"')


def json_feature_count(data: bytes) -> int:
    """How many GeoJSON features a text holds (``"type": "Feature"`` members), counted without parsing."""
    rough = data.count(b'"Feature"')
    if rough == 0:
        return 0
    return sum(1 for _ in _FEATURE.finditer(data))


def check_json(data: bytes, limits: Limits, *, label: str) -> None:
    """Refuse JSON that is too deep, truncated, too long in one string or too rich in features.

    The limits are ``limits.json_depth``, ``limits.max_text_chars`` and ``limits.max_features``; all are
    checked on the bytes (:func:`scan_json`) before GDAL buffers anything.
    """
    scan = scan_json(data)
    if scan.depth > limits.json_depth:
        raise UnsafeInputError(
            f"{label} is nested {scan.depth} levels deep (limit {limits.json_depth}), which is refused as unsafe; "
            "export it again as plain GeoJSON",
            code="json.too_deep",
            source=label,
            depth=scan.depth,
            limit=limits.json_depth,
        )
    if not scan.balanced:
        raise UnsafeInputError(
            f"{label} is not complete JSON (its brackets do not close); it may be truncated, send the complete "
            "file again",
            code="json.incomplete",
            source=label,
        )
    if scan.longest_string > limits.max_text_chars:
        raw = data[scan.longest_at : scan.longest_at + scan.longest_string + 2]
        try:  # count characters as JSON means them (an escape such as \u1ea3 is one)
            chars = len(json.loads(raw))
        except ValueError:
            chars = len(raw.decode("utf-8", errors="replace"))
        if chars > limits.max_text_chars:
            feature = _features_before(data, scan.longest_at) + 1
            raise text_too_long(label, chars, limits.max_text_chars, feature=feature)
    if data.count(b'"Feature"') > limits.max_features:
        count = json_feature_count(data)
        if count > limits.max_features:
            raise too_many_features(label, count, limits.max_features)


def _features_before(data: bytes, offset: int) -> int:
    return max(len(_FEATURE.findall(data, 0, offset)) - 1, 0)


#: a GeoJSON ``coordinates`` member and the run of what may make up its value: numbers, brackets, commas,
#: and GDAL's NaN / Infinity
_COORDINATES = re.compile(rb'"coordinates"\s*:\s*(?=\[)')
_NUMERIC_RUN = re.compile(rb"(?:[\[\]\s,0-9.eE+\-]++|NaN|Infinity)*+")
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.){0,40}"?|[^\s,\]\[}]{1,40}')


def geojson_coordinate_problem(data: bytes) -> tuple[int, str] | None:
    """The first GeoJSON ``coordinates`` value that holds something other than numbers, as (feature, token).

    ``feature`` is the 1-based feature it belongs to and ``token`` the offending text as written (``"104.47"``
    for coordinates written as text, ``null``...). None when every coordinate is a number. GDAL reads such a
    geometry as missing, without a word, so this is checked on the bytes.
    """
    for m in _COORDINATES.finditer(data):
        start = m.end()
        run = _NUMERIC_RUN.match(data, start)
        end = run.end() if run else start
        value = data[start:end]
        if value.count(b"[") == value.count(b"]"):
            continue
        token = _TOKEN.match(data, end)
        shown = (token.group(0) if token else data[end : end + 20]).decode("utf-8", errors="replace")
        return _features_before(data, start) + 1, shown
    return None


# --- truncation checks of binary formats --------------------------------------------------------------


def check_shapefile_parts(shp: Path, *, label: str, limits: Limits | None = None) -> dict[str, Path]:
    """Find the parts of a shapefile and refuse missing or truncated ones; return them by extension.

    Checks: .shx and .dbf present; .shp length equals the length in its header; .shx length is
    100 + 8·n; the .dbf holds every record its header declares; .shx and .dbf agree on the count; and
    (with ``limits``) the count is within ``limits.max_features``, known from the index before reading.
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
            "several files (.shp .shx .dbf .prj): zip them all together and send the .zip",
            code="shapefile.missing_parts",
            source=label,
            parts=missing,
        )
    with shp.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100:
        raise UnsafeInputError(
            f"{label} is shorter than a shapefile header; send the complete file again",
            code="shapefile.no_header",
            source=label,
        )
    declared = struct.unpack(">i", header[24:28])[0] * 2
    actual = shp.stat().st_size
    if actual < declared:
        raise UnsafeInputError(
            f"{label} is truncated ({actual} of {declared} bytes); send the complete shapefile again",
            code="shapefile.truncated",
            source=label,
            size=actual,
            expected=declared,
        )
    shx_size = parts["shx"].stat().st_size
    if shx_size < 100 or (shx_size - 100) % 8:
        raise UnsafeInputError(
            f"{label}: its .shx index is truncated ({shx_size} bytes); send the complete shapefile again",
            code="shapefile.shx_truncated",
            source=label,
            size=shx_size,
        )
    n_shx = (shx_size - 100) // 8
    with parts["dbf"].open("rb") as fh:
        dbf_head = fh.read(32)
    if len(dbf_head) < 32:
        raise UnsafeInputError(
            f"{label}: its .dbf table is truncated; send the complete shapefile again",
            code="shapefile.dbf_truncated",
            source=label,
        )
    n_dbf = struct.unpack("<I", dbf_head[4:8])[0]
    header_len, record_len = struct.unpack("<HH", dbf_head[8:12])
    need = header_len + n_dbf * record_len
    have = parts["dbf"].stat().st_size
    if have < need:
        raise UnsafeInputError(
            f"{label}: its .dbf table is truncated ({have} of {need} bytes); send the complete shapefile again",
            code="shapefile.dbf_truncated",
            source=label,
            size=have,
            expected=need,
        )
    if n_dbf != n_shx:
        raise UnsafeInputError(
            f"{label}: its .shx indexes {n_shx} shapes but its .dbf holds {n_dbf} records; the parts come from "
            "different exports, send them again together",
            code="shapefile.parts_differ",
            source=label,
            shapes=n_shx,
            records=n_dbf,
        )
    if limits is not None and n_shx > limits.max_features:
        raise too_many_features(label, n_shx, limits.max_features)
    return parts


@contextlib.contextmanager
def _sqlite_read_only(path: Path, *, label: str, deadline: Deadline | None) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a file a user gave us; a query that outlives ``deadline`` is interrupted."""
    uri = f"file:{path.resolve()}?mode=ro&immutable=1"
    try:
        con = sqlite3.connect(uri, uri=True)
    except sqlite3.DatabaseError as exc:
        raise _unreadable_gpkg(label, exc) from exc
    if deadline is not None:
        con.set_progress_handler(lambda: 1 if deadline.expired() else 0, 10_000)
    try:
        yield con
    except sqlite3.OperationalError as exc:
        if deadline is not None and deadline.expired():
            raise too_slow(label, deadline.seconds) from exc
        raise _unreadable_gpkg(label, exc) from exc
    except sqlite3.DatabaseError as exc:
        raise _unreadable_gpkg(label, exc) from exc
    finally:
        con.close()


def _unreadable_gpkg(label: str, exc: sqlite3.DatabaseError) -> UnsafeInputError:
    return UnsafeInputError(
        f"{label} is not a readable GeoPackage ({exc}); send the complete file again",
        code="gpkg.unreadable",
        source=label,
        detail=str(exc),
    )


def check_sqlite(path: Path, *, label: str, deadline: Deadline | None = None) -> None:
    """Refuse a truncated or corrupt SQLite/GeoPackage file (header size, then ``PRAGMA quick_check``)."""
    head = _head(path, 100)
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", head[28:32])[0]
    actual = path.stat().st_size
    if page_size and pages and actual < page_size * pages:
        raise UnsafeInputError(
            f"{label} is truncated ({actual} of {page_size * pages} bytes); send the complete GeoPackage again",
            code="gpkg.truncated",
            source=label,
            size=actual,
            expected=page_size * pages,
        )
    with _sqlite_read_only(path, label=label, deadline=deadline) as con:
        rows = con.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        first = rows[0][0] if rows else "unknown problem"
        raise UnsafeInputError(
            f"{label} is a damaged GeoPackage ({first}); export it again from QGIS",
            code="gpkg.damaged",
            source=label,
            detail=str(first),
        )


def gpkg_views(path: Path, *, label: str, deadline: Deadline | None = None) -> set[str]:
    """Names (lower case) of the views of a GeoPackage: stored queries, never read as layers.

    A view is evaluated each time it is read, so a recursive one never ends; GDAL would list it as a layer.
    Triggers are never layers either (and nothing here writes, so none fires).
    """
    with _sqlite_read_only(path, label=label, deadline=deadline) as con:
        rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'view'").fetchall()
    return {str(r[0]).lower() for r in rows}


def gpkg_rows(path: Path, table: str, *, label: str, deadline: Deadline | None = None) -> int:
    """The number of rows of a table of a GeoPackage (counted by SQLite, before GDAL reads any of them)."""
    quoted = '"' + table.replace('"', '""') + '"'
    with _sqlite_read_only(path, label=label, deadline=deadline) as con:
        row = con.execute(f"SELECT count(*) FROM {quoted}").fetchone()
    return int(row[0]) if row else 0


def check_dxf(path: Path, *, label: str) -> None:
    """Refuse a DXF that does not end with its ``EOF`` marker (truncated)."""
    tail = _tail(path, 256).rstrip()
    if not tail.endswith(b"EOF"):
        raise UnsafeInputError(
            f"{label} does not end with the DXF EOF marker; it is truncated, save it again from CAD",
            code="dxf.truncated",
            source=label,
        )


def check_dgn(path: Path, *, label: str) -> None:
    """Refuse a DGN v7 whose last element is not the end-of-design marker (truncated)."""
    tail = _tail(path, 4096).rstrip(b"\x00")
    if not tail.endswith(b"\xff\xff"):
        raise UnsafeInputError(
            f"{label} does not end with the DGN end-of-design marker; it is truncated, save it again from MicroStation",
            code="dgn.truncated",
            source=label,
        )


def check_fgb(path: Path, *, label: str) -> None:
    """Refuse a FlatGeobuf whose declared feature count or index cannot fit the file (truncated)."""
    size = path.stat().st_size
    head = _head(path, 12)
    if len(head) < 12:
        raise UnsafeInputError(
            f"{label} is truncated; send the complete FlatGeobuf again", code="fgb.truncated", source=label
        )
    header_size = struct.unpack("<I", head[8:12])[0]
    if 12 + header_size > size:
        raise UnsafeInputError(
            f"{label} is truncated inside its header; send the complete FlatGeobuf again",
            code="fgb.truncated",
            source=label,
        )


def check_parquet(path: Path, *, label: str) -> None:
    """Refuse a Parquet file without its closing ``PAR1`` footer (truncated)."""
    if not _tail(path, 4) == b"PAR1":
        raise UnsafeInputError(
            f"{label} lacks its Parquet footer; it is truncated, send the complete file again",
            code="parquet.truncated",
            source=label,
        )


# --- coordinates --------------------------------------------------------------------------------------


def coordinate_problems(
    coords: np.ndarray, rows: np.ndarray, limits: Limits, *, max_listed: int = 10, label: str | None = None
) -> list[str]:
    """Describe NaN, infinite and absurdly large coordinates; empty when all are sane.

    ``coords`` is an (n, 2|3) array of coordinates and ``rows`` the feature row of each coordinate. Each
    problem is a :class:`CodedNote` (``coords.nan``, ``coords.infinite``, ``coords.too_large``); with
    ``label`` its text begins with the file's label (``"`a.geojson`: coordinates ..."``), and so does its
    message in another language.
    """
    problems: list[str] = []
    if coords.size == 0:
        return problems
    xy = coords[:, :2]
    magnitude = limits.coordinate_magnitude
    checks = (
        ("not a number (NaN)", "coords.nan", np.isnan(xy).any(axis=1)),
        ("infinite", "coords.infinite", np.isinf(xy).any(axis=1)),
        (
            f"beyond ±{magnitude:g}",
            "coords.too_large",
            np.nan_to_num(np.abs(xy), nan=0.0, posinf=0.0).max(axis=1) > magnitude,
        ),
    )
    prefix = f"{label}: " if label else ""
    located = {"source": label} if label else {}
    for what, code, mask in checks:
        if mask.any():
            bad = np.unique(rows[mask])
            shown = [int(r) + 1 for r in bad[:max_listed]]
            listed = ", ".join(str(r) for r in shown)
            left = len(bad) - max_listed if len(bad) > max_listed else 0
            more = f" and {left} more" if left else ""
            problems.append(
                CodedNote(
                    f"{prefix}coordinates {what} in feature(s) {listed}{more}",
                    code=code,
                    features=shown,
                    more=left,
                    limit=float(magnitude),
                    **located,
                )
            )
    return problems


#: what a file's name says it holds: extension -> (the format's name, the kinds :func:`sniff` may find in it)
EXTENSION_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    ".geojson": ("GeoJSON", ("geojson",)),
    ".json": ("GeoJSON", ("geojson",)),
    ".kml": ("KML", ("kml",)),
    ".kmz": ("KMZ", ("zip",)),
    ".shp": ("Shapefile", ("shp",)),
    ".gpkg": ("GeoPackage", ("gpkg",)),
    ".fgb": ("FlatGeobuf", ("fgb",)),
    ".parquet": ("GeoParquet", ("parquet",)),
    ".dxf": ("DXF", ("dxf",)),
    ".dgn": ("DGN", ("dgn", "dgn8")),
    ".zip": ("ZIP", ("zip",)),
    ".xlsx": ("Excel .xlsx", ("zip",)),
}


def require_extension_kind(kind: str, *, label: str) -> None:
    """Refuse plain text whose name says it is a GIS format (a text file named ``.geojson``), with what it is.

    Content decides the reader everywhere else (a GeoJSON named ``.json`` is read as GeoJSON); but text that
    the name calls GeoJSON, KML, a shapefile… would otherwise be read as a table and refused for having no
    coordinate columns, which misleads: the file is not what its name says.
    """
    suffix = PurePosixPath(label.strip("`'\" ").replace("\\", "/")).suffix.lower()
    expected = EXTENSION_KINDS.get(suffix)
    if expected is None or kind != "csv" or kind in expected[1]:
        return
    raise UnsafeInputError(
        f"{label} is named {suffix} but holds plain text, not {expected[0]}; check that the right file was "
        "chosen, or export it again from the GIS (a table of coordinates is named .csv)",
        code="file.text_not_format",
        source=label,
        extension=suffix,
        format=expected[0],
    )


def require_kind(kind: str, *, label: str) -> None:
    """Refuse kinds we recognise but cannot read, with the fix; and unknown content.

    Formats that cannot be read at all raise :class:`DataSourceError`; a lone part of a shapefile raises
    :class:`UnsafeInputError` (a partial file, like a missing .shx); content of an unknown kind (an
    image or program renamed .geojson) raises :class:`UnsafeInputError` too.
    """
    if kind == "dwg":
        raise DataSourceError(
            f"{label} is an AutoCAD DWG drawing, which cannot be read; save it as DXF from CAD",
            code="file.dwg",
            source=label,
        )
    if kind == "dgn8":
        raise DataSourceError(
            f"{label} is a MicroStation V8 DGN, which cannot be read; save it as DGN V7 or DXF from MicroStation",
            code="file.dgn_old",
            source=label,
        )
    if kind == "xls":
        raise DataSourceError(
            f"{label} is an old Excel .xls workbook, which cannot be read; save it as .xlsx or .csv",
            code="file.xls",
            source=label,
        )
    if kind in ("shx", "dbf"):
        raise UnsafeInputError(
            f"{label} is only one part of a shapefile; send the .shp with its .shx, .dbf and .prj (best as a .zip)",
            code="file.shapefile_part",
            source=label,
        )
    if kind == "sqlite":
        raise DataSourceError(
            f"{label} is an SQLite database but not a GeoPackage; export the layer as GeoPackage",
            code="file.sqlite_not_gpkg",
            source=label,
        )
    if kind == "xml":
        raise DataSourceError(
            f"{label} is XML but not KML; export the layer as KML, GeoJSON or GeoPackage",
            code="file.xml_not_kml",
            source=label,
        )
    if kind == "unknown":
        raise UnsafeInputError(
            f"{label} is not a format that can be read (shapefile .zip, GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, "
            "FlatGeobuf, GeoParquet, CSV/XLSX); its content does not match its name, check the file",
            code="file.unknown_content",
            source=label,
        )

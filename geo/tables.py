"""Tables of coordinates (CSV, XLSX) as point layers.

Vietnamese survey tables label **X = northing and Y = easting** (the reverse of most GIS software), and
decimal commas are common. Columns are found by their headers (lon/lat, "Kinh độ"/"Vĩ độ", X/Y,
easting/northing, with or without diacritics and units in brackets). Longitude/latitude columns also take
degrees-minutes-seconds and degrees with decimal minutes as planners and GPS units write them
(``104°28'41.5"E``, ``22 14 40.6``, ``104°28.692'``; see :func:`parse_degrees`), mixed with decimal degrees;
a value that is not one is listed as a failing row, never guessed. Which column is the northing and
which CRS the numbers are in is decided from the value ranges around Lào Cai unless the caller gives
the CRS, and every decision is reported as a warning that says what was decided.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.crs import crs_label, get_crs
from geo.encoding import ENCODING_LABELS, decode, detect
from geo.errors import CRSError, InputDataError, UnsafeInputError
from geo.limits import Limits, text_too_long, too_many_features
from geo.safety import CodedNote, coordinate_problems
from geo.text import fold, header_key, nfc
from geo.validate import LAO_CAI_LONLAT, _inside, guess_crs, parse_number, region_bounds

_LON = {"lon", "long", "lng", "longitude", "kinh do", "kinhdo", "kd"}
_LAT = {"lat", "latitude", "vi do", "vido", "vd"}
_X = {"x", "toa do x", "x vn2000", "x vn 2000", "x m", "tdx", "x toa do"}
_Y = {"y", "toa do y", "y vn2000", "y vn 2000", "y m", "tdy", "y toa do"}
_EAST = {"easting", "e", "dong"}
_NORTH = {"northing", "n", "bac"}


#: the most layer names a message of :class:`SeveralLayersError` shows
_MAX_NAMED = 5


class SeveralLayersError(InputDataError):
    """The source holds several layers (or sheets, or data files) and none was named; ``layers`` lists them.

    The code says which: ``source.several_layers``, ``source.several_sheets`` or ``source.several_files``;
    ``params`` holds ``source`` (the file's label) and ``layers``.
    """

    def __init__(
        self, message: str, *, layers: Sequence[str], code: str | None = "source.several_layers", **params: object
    ) -> None:
        names = list(layers)
        # a message names a few and counts the rest (an archive of 9,999 files must not give a 170 KB line);
        # ``layers`` keeps them all, for a page's choice
        shown = [v if len(v) <= 40 else v[:39] + "…" for v in names[:_MAX_NAMED]]
        if len(names) > _MAX_NAMED:
            more = len(names) - _MAX_NAMED
            shown.append(CodedNote(f"… and {more:,} more", code="list.more", count=more))
        super().__init__(message, code=code, layers=shown, count=len(names), **params)
        self.layers = names


@dataclass
class TableInfo:
    """What reading a table decided."""

    encoding: str = "utf-8"
    x_column: str = ""
    y_column: str = ""
    crs_source: str = "given"
    sheets: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --- raw rows -------------------------------------------------------------------------------------------


def read_csv_rows(
    path: Path, *, label: str, limits: Limits | None = None
) -> tuple[list[str], list[list[str]], str, list[str]]:
    """Header, rows, encoding and warnings of a CSV (UTF-8 with or without BOM, CRLF or LF, `,` `;` or tab).

    Text that is not UTF-8 is decoded as the legacy Vietnamese encoding that reads best (TCVN3, VNI,
    1258). A row with fewer cells than the header at the end of the file, or an unclosed quote, means
    the file was cut off: refused. With ``limits``, more rows than ``limits.max_features`` and a cell
    longer than ``limits.max_text_chars`` are refused before the text is split into cells.
    """
    raw = path.read_bytes()
    if limits is not None:
        _check_csv_bytes(raw, limits, label=label)
    warnings: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
        encoding = "utf-8" if not raw.isascii() else "ascii"
    except UnicodeDecodeError:
        det = detect(line for line in raw.splitlines())
        encoding = det.encoding
        text = decode(raw, encoding if encoding != "utf-8" else "cp1258")
        shown = ENCODING_LABELS.get(encoding, encoding)
        warnings.append(
            CodedNote(
                f"{label} is not UTF-8; its text was read as {shown}",
                code="table.legacy_encoding",
                source=label,
                encoding=shown,
            )
        )
    lines = text.splitlines()
    if not lines:
        raise UnsafeInputError(
            f"{label} has no rows; send a table with a header row and one row per point",
            code="table.no_rows",
            source=label,
        )
    first = lines[0]
    delim = max((",", ";", "\t", "|"), key=first.count)
    if first.count(delim) == 0:
        raise InputDataError(
            f"{label} has a single column; a coordinate table needs columns such as X and Y or Kinh độ and Vĩ độ",
            code="table.single_column",
            source=label,
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        rows = [r for r in reader]
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # a cell longer than the csv module reads
            limit = limits.max_text_chars if limits is not None else csv.field_size_limit()
            raise text_too_long(label, csv.field_size_limit() + 1, limit) from exc
        raise UnsafeInputError(
            f"{label} is not a well-formed table ({exc}); it may be truncated, send the complete file again",
            code="table.malformed",
            source=label,
            detail=str(exc),
        ) from exc
    rows = [r for r in rows if any(c.strip() for c in r)]
    header, body = rows[0], rows[1:]
    if body and len(body[-1]) < len(header) and not text.endswith(("\n", "\r")):
        raise UnsafeInputError(
            f"{label} ends in the middle of a row (row {len(body) + 1} has {len(body[-1])} of {len(header)} cells); "
            "the file is truncated, send the complete file again",
            code="table.truncated_row",
            source=label,
            row=len(body) + 1,
            cells=len(body[-1]),
            columns=len(header),
        )
    return header, body, encoding, warnings


def read_xlsx_rows(
    path: Path, *, sheet: str | None, label: str, limits: Limits | None = None
) -> tuple[list[str], list[list[object]], tuple[str, ...], str]:
    """Header and rows of one sheet of a workbook; refuses to choose between several non-empty sheets.

    With ``limits``, a sheet of more than ``limits.max_features`` rows is refused before its rows are read.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook; translate at this boundary
        raise UnsafeInputError(
            f"{label} is not a readable Excel workbook ({exc}); save it again as .xlsx",
            code="table.xlsx_unreadable",
            source=label,
            detail=str(exc),
        ) from exc
    try:
        sheets = tuple(wb.sheetnames)
        non_empty = [s for s in sheets if (wb[s].max_row or 0) > 1]
        if sheet is None:
            if len(non_empty) > 1:
                raise SeveralLayersError(
                    f"{label} has several sheets ({', '.join(non_empty[:_MAX_NAMED])}"
                    f"{' …' if len(non_empty) > _MAX_NAMED else ''}); choose the sheet to read",
                    layers=non_empty,
                    code="source.several_sheets",
                    source=label,
                )
            name = non_empty[0] if non_empty else sheets[0]
        elif sheet in sheets:
            name = sheet
        else:
            raise InputDataError(
                f"{label} has no sheet '{sheet}'; its sheets are {', '.join(sheets[:_MAX_NAMED])}",
                code="table.no_sheet",
                source=label,
                sheet=sheet,
                sheets=list(sheets[:_MAX_NAMED]),
            )
        declared = wb[name].max_row or 0
        if limits is not None and declared > limits.max_features + 1:
            raise too_many_features(label, declared - 1, limits.max_features, what="rows")
        rows = []
        for r in wb[name].iter_rows(values_only=True):
            rows.append(list(r))
            if limits is not None and len(rows) > limits.max_features + 1:  # max_row can be missing or lie
                raise too_many_features(label, None, limits.max_features, what="rows")
    finally:
        wb.close()
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)]
    if not rows:
        raise InputDataError(
            f"{label}: sheet '{name}' is empty; put a header row and one row per point",
            code="table.sheet_empty",
            source=label,
            sheet=name,
        )
    header = ["" if v is None else str(v).strip() for v in rows[0]]
    return header, rows[1:], sheets, name


def _check_csv_bytes(raw: bytes, limits: Limits, *, label: str) -> None:
    """Bound the rows and cell lengths of a CSV on its bytes, before it is decoded and split.

    A row is at least a line; a cell is no longer than its run between separators (a quoted cell holding
    separators is bounded by the csv module itself). Runs are matched only from their start, so the scan
    stays linear.
    """
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    if lines > limits.max_features + 1:
        rows = sum(1 for line in raw.splitlines() if line.strip())
        if rows > limits.max_features + 1:
            raise too_many_features(label, rows - 1, limits.max_features, what="rows")
    if len(raw) <= limits.max_text_chars:
        return
    arr = np.frombuffer(raw, dtype=np.uint8)
    separator = np.zeros(256, dtype=bool)
    separator[np.frombuffer(b",;\t|\r\n", dtype=np.uint8)] = True
    parts = [np.array([-1], dtype=np.int64)]
    for start in range(0, arr.size, 1 << 24):  # a chunk at a time: the masks stay small
        chunk = arr[start : start + (1 << 24)]
        parts.append(np.flatnonzero(separator[chunk]).astype(np.int64) + start)
    parts.append(np.array([arr.size], dtype=np.int64))
    bounds = np.concatenate(parts)
    runs = np.diff(bounds) - 1
    k = int(np.argmax(runs))
    if int(runs[k]) > limits.max_text_chars:
        begin = int(bounds[k]) + 1
        chars = len(raw[begin : int(bounds[k + 1])].decode("utf-8", errors="replace"))
        if chars > limits.max_text_chars:
            row = raw.count(b"\n", 0, begin) + 1
            raise text_too_long(label, chars, limits.max_text_chars, line=row)


# --- coordinates ----------------------------------------------------------------------------------------


_WKT = {"wkt", "geometry", "geom", "the geom", "hinh hoc"}


def find_coordinate_columns(header: Sequence[str], *, label: str = "the table") -> tuple[str, int, int]:
    """(kind, i, j): "lonlat" (i = lon, j = lat), "xy" (i = X, j = Y), "en" (easting, northing) or "wkt" (i = j)."""
    norm = [header_key(h) for h in header]

    def find(names: set[str]) -> int | None:
        for i, n in enumerate(norm):
            if n in names:
                return i
        return None

    lon, lat = find(_LON), find(_LAT)
    if lon is not None and lat is not None:
        return "lonlat", lon, lat
    east, north = find(_EAST), find(_NORTH)
    if east is not None and north is not None:
        return "en", east, north
    x, y = find(_X), find(_Y)
    if x is not None and y is not None:
        return "xy", x, y
    w = find(_WKT)
    if w is not None:
        return "wkt", w, w
    raise InputDataError(
        f"{label} has no coordinate columns (headers: " + ", ".join(str(h) for h in header) + "); name them "
        "Kinh độ/Vĩ độ (or lon/lat) for degrees, X/Y for VN-2000 metres (X = northing), or wkt",
        code="table.no_coordinates",
        source=label,
        headers=[str(h) for h in header],
    )


# --- degrees, minutes, seconds --------------------------------------------------------------------------

_DEGREE_MARKS = str.maketrans({"º": "°", "˚": "°", "ᵒ": "°"})
_MINUTE_MARKS = str.maketrans({"′": "'", "’": "'", "‘": "'", "´": "'", "`": "'", "ʹ": "'"})
_SECOND_MARKS = str.maketrans({"″": '"', "”": '"', "“": '"', "ʺ": '"'})
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})
_UNIT_WORDS = (
    (re.compile(r"(?i)(?<![^\W\d_])(độ|do)(?![^\W\d_])"), "°"),
    (re.compile(r"(?i)(?<![^\W\d_])(phút|phut)(?![^\W\d_])"), "'"),
    (re.compile(r"(?i)(?<![^\W\d_])(giây|giay)(?![^\W\d_])"), '"'),
)
# single letters are matched case-insensitively but with their diacritics (Đ is east, a bare D is not accepted);
# N is always north (GPS and English usage), the Vietnamese south is accepted only as the word "Nam"
_HEMISPHERE_LETTERS = {
    "n": ("lat", 1.0),
    "s": ("lat", -1.0),
    "e": ("lon", 1.0),
    "w": ("lon", -1.0),
    "b": ("lat", 1.0),
    "đ": ("lon", 1.0),
    "t": ("lon", -1.0),
}
_HEMISPHERE_WORDS = {"bac": ("lat", 1.0), "nam": ("lat", -1.0), "dong": ("lon", 1.0), "tay": ("lon", -1.0)}
_PREFIX = re.compile(r"^([^\W\d_]+)\.?\s*(.*)$", re.S)
_SUFFIX = re.compile(r"^(.*?)\s*([^\W\d_]+)\.?$", re.S)
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([°'\"]?)")
_UNIT_POSITION = {"°": 0, "'": 1, '"': 2}
_MAX_ANGLE_TEXT = 64
#: degrees, minutes, seconds in Vietnamese (for the messages of parts written out of order)
_NAMES_VI = ("độ", "phút", "giây")


def _hemisphere(token: str) -> tuple[str, float] | None:
    key = token.casefold()
    if len(key) == 1:
        return _HEMISPHERE_LETTERS.get(key)
    return _HEMISPHERE_WORDS.get(fold(token))


def _split_degrees(text: str) -> tuple[float, str | None]:
    """(signed decimal degrees, "lat" | "lon" | None from the hemisphere); InputDataError when not an angle."""

    def refuse(reason: str, code: str, **params: object) -> InputDataError:
        return InputDataError(f"{text!r} is not an angle in degrees: {reason}", code=code, text=text, **params)

    if len(text) > _MAX_ANGLE_TEXT:
        raise refuse(f"longer than {_MAX_ANGLE_TEXT} characters", "degrees.too_long", limit=_MAX_ANGLE_TEXT)
    s = nfc(text).translate(_SPACES).translate(_DEGREE_MARKS).translate(_MINUTE_MARKS)
    s = s.replace("''", '"').translate(_SECOND_MARKS)
    for pattern, mark in _UNIT_WORDS:
        s = pattern.sub(mark, s)
    s = re.sub(r"(?<=\d),(?=\d)", ".", s).strip()
    axis: str | None = None
    sign = 1.0
    for pattern, letters_group, rest_group in ((_PREFIX, 1, 2), (_SUFFIX, 2, 1)):
        m = pattern.match(s)
        if m is None:
            continue
        hemi = _hemisphere(m.group(letters_group))
        if hemi is None:
            raise refuse(
                f"'{m.group(letters_group)}' is not a hemisphere (N, S, E, W, B, Đ, T, Bắc, Nam, Đông, Tây)",
                "degrees.bad_hemisphere",
                letters=m.group(letters_group),
            )
        if axis is not None:
            raise refuse("it has two hemisphere letters", "degrees.two_hemispheres")
        axis, sign = hemi
        s = m.group(rest_group).strip()
    if s and s[0] in "+-−":
        if axis is not None:
            raise refuse("it has both a sign and a hemisphere letter; keep one", "degrees.sign_and_hemisphere")
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:].lstrip()
    if not s:
        raise refuse("no degrees", "degrees.no_degrees")
    names = ("degrees", "minutes", "seconds")
    values: list[tuple[int, str]] = []
    pos = 0
    while pos < len(s):
        m = _PART.match(s, pos)
        if m is None:
            raise refuse(f"unexpected {s[pos:].strip()!r}", "degrees.unexpected", rest=s[pos:].strip())
        expected = len(values)  # the parts come in order, none left out
        if expected > 2:
            raise refuse("more than degrees, minutes and seconds", "degrees.too_many_parts")
        where = _UNIT_POSITION[m.group(2)] if m.group(2) else expected
        if where != expected and expected == 0:
            raise refuse("no degrees", "degrees.no_degrees")
        if where != expected:
            raise refuse(
                f"{names[where]} where {names[expected]} should be",
                "degrees.out_of_order",
                found=names[where],
                found_vi=_NAMES_VI[where],
                expected=names[expected],
                expected_vi=_NAMES_VI[expected],
            )
        values.append((where, m.group(1)))
        pos = m.end()
    if any("." in number for _, number in values[:-1]):
        raise refuse("only the last of degrees, minutes and seconds may have decimals", "degrees.decimals_not_last")
    parts = [float(number) for _, number in values] + [0.0, 0.0]
    degrees, minutes, seconds = parts[:3]
    if minutes >= 60:
        raise refuse(f"{minutes:g} minutes; minutes must be below 60", "degrees.minutes_too_large", minutes=minutes)
    if seconds >= 60:
        raise refuse(f"{seconds:g} seconds; seconds must be below 60", "degrees.seconds_too_large", seconds=seconds)
    total = degrees + minutes / 60 + seconds / 3600
    limit = 90.0 if axis == "lat" else 180.0
    if total > limit:
        raise refuse(f"{total:g}° is beyond {limit:g}°", "degrees.beyond", value=total, limit=limit)
    return sign * total, axis


def parse_degrees(text: str, *, axis: str | None = None) -> float:
    r"""Decimal degrees from a longitude or latitude written the way planners and GPS units write them.

    Accepted:

    * decimal degrees, with a decimal point or comma: ``104.478``, ``104,478``, ``104.478°``;
    * degrees, minutes and seconds (DMS) and degrees with decimal minutes: ``104°28'41.5"``,
      ``104° 28' 41,5"``, ``22 14 40.6`` (space separated), ``104°28.692'``; only the last part may have
      decimals, minutes and seconds must be below 60, degrees must be there;
    * marks: ``°`` (also ``º`` ``˚``), ``'`` (also ``′`` ``’`` ``‘`` ``´``), ``"`` (also ``″`` ``”`` ``“``
      and two apostrophes ``''``), or the Vietnamese words ``độ``, ``phút``, ``giây``;
    * one hemisphere, before or after the number: ``N`` ``S`` ``E`` ``W``, or Vietnamese ``B`` / ``Bắc``
      (north), ``Đ`` / ``Đông`` (east), ``T`` / ``Tây`` (west), ``Nam`` (south, only as a word: a lone
      ``N`` is always north); S and W (Nam, Tây) are negative. A leading ``-`` works instead of a
      hemisphere, not together with one.

    ``axis`` ("lat" or "lon") refuses a hemisphere of the other axis and latitudes beyond 90°.

    Raises
    ------
    InputDataError
        When the text is not such an angle (it is never guessed); the message says why.

    Examples
    --------
    >>> round(parse_degrees("104°28'41.5\"E"), 6)
    104.478194
    >>> round(parse_degrees("22°14′40,6″N"), 6)
    22.244611
    >>> parse_degrees("104°28.692'")
    104.4782
    >>> round(parse_degrees("22 14 40.6 S"), 6)
    -22.244611
    >>> parse_degrees("B 22,5")
    22.5
    >>> parse_degrees("104°61'")
    Traceback (most recent call last):
    ...
    geo.errors.InputDataError: "104°61'" is not an angle in degrees: 61 minutes; minutes must be below 60
    >>> parse_degrees("22°N", axis="lon")
    Traceback (most recent call last):
    ...
    geo.errors.InputDataError: '22°N' is a latitude (N/S) where a longitude is expected
    """
    value, found = _split_degrees(text)
    if axis is not None and found is not None and found != axis:
        want = "longitude" if axis == "lon" else "latitude"
        has = "latitude (N/S)" if found == "lat" else "longitude (E/W)"
        message = f"{text!r} is a {has} where a {want} is expected"
        if found == "lat":
            raise InputDataError(message, code="degrees.latitude_not_longitude", text=text)
        raise InputDataError(message, code="degrees.longitude_not_latitude", text=text)
    if axis == "lat" and abs(value) > 90:
        raise InputDataError(
            f"{text!r} is not a latitude: {abs(value):g}° is beyond 90°",
            code="degrees.not_latitude",
            text=text,
            value=abs(value),
        )
    return value


def _numbers(
    cells: Sequence[object], *, degrees: bool = False
) -> tuple[np.ndarray, dict[int, InputDataError | None], list[int], dict[int, str]]:
    """Floats (NaN for blanks and failures), failing rows (0-based) with the reason, blank rows and hemispheres.

    The reason is the error of :func:`parse_degrees` (None for a cell that is no number).

    With ``degrees`` text cells are read with :func:`parse_degrees` (decimal, DMS or decimal minutes) and
    the hemisphere axis ("lat"/"lon") that a cell names is returned per row; otherwise with ``parse_number``.
    """
    out = np.full(len(cells), np.nan)
    bad: dict[int, InputDataError | None] = {}
    blank: list[int] = []
    axes: dict[int, str] = {}
    for i, c in enumerate(cells):
        if c is None or (isinstance(c, str) and not c.strip()):
            blank.append(i)
            continue
        if degrees and isinstance(c, str):
            try:
                v, axis = _split_degrees(c)
            except InputDataError as exc:
                bad[i] = exc
                continue
            if axis is not None:
                axes[i] = axis
            out[i] = v
            continue
        number = parse_number(c)
        if number is None:
            bad[i] = None
        else:
            out[i] = number
    return out, bad, blank, axes


def _fits(e: np.ndarray, n: np.ndarray, epsg: int) -> bool:
    ok = np.isfinite(e) & np.isfinite(n)
    if not ok.any():
        return False
    b = (float(e[ok].min()), float(n[ok].min()), float(e[ok].max()), float(n[ok].max()))
    margin = 0.5 if epsg in (4326, 4756) else 20_000.0
    return _inside(b, region_bounds(epsg) if epsg != 4756 else LAO_CAI_LONLAT, margin)


def points_from_table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    crs: object = None,
    label: str,
    limits: Limits,
) -> tuple[gpd.GeoDataFrame, TableInfo]:
    """Turn a table with coordinate columns into a point frame, deciding axes and CRS as documented above."""
    info = TableInfo()
    kind, i, j = find_coordinate_columns(header, label=label)
    width = len(header)
    cells = [list(r) + [None] * (width - len(r)) for r in rows]
    if kind == "wkt":
        return _wkt_table(header, cells, i, crs=crs, label=label, limits=limits, info=info)
    degrees = kind == "lonlat"
    a, bad_a, blank_a, axes_a = _numbers([r[i] for r in cells], degrees=degrees)
    b, bad_b, blank_b, axes_b = _numbers([r[j] for r in cells], degrees=degrees)
    hi, hj = header[i], header[j]
    bad = sorted(set(bad_a) | set(bad_b))
    if bad:
        listed = [
            _bad_row(k + 2, f"{hi}={cells[k][i]!r}, {hj}={cells[k][j]!r}", (bad_a.get(k), bad_b.get(k)))
            for k in bad[:10]
        ]
        left = len(bad) - 10 if len(bad) > 10 else 0
        more = f" and {left} more" if left else ""
        what = "numbers or degrees" if degrees else "numbers"
        text = f"{label}: coordinates that are not {what} in {', '.join(listed)}{more}; correct them"
        if degrees:
            info.errors.append(CodedNote(text, code="table.not_degrees", source=label, rows=listed, more=left))
        else:
            info.errors.append(CodedNote(text, code="table.not_numbers", source=label, rows=listed, more=left))
    half = sorted(set(blank_a) ^ set(blank_b))
    if half:
        rows_half = [k + 2 for k in half[:10]]
        info.errors.append(
            CodedNote(
                f"{label}: row(s) {', '.join(map(str, rows_half))} have only one of {hi}/{hj}; fill in both",
                code="table.half_coordinates",
                source=label,
                rows=rows_half,
                x=str(hi),
                y=str(hj),
            )
        )
    none = sorted(set(blank_a) & set(blank_b))
    if none:
        rows_none = [k + 2 for k in none[:10]]
        info.warnings.append(
            CodedNote(
                f"{label}: {len(none)} row(s) without coordinates ({', '.join(map(str, rows_none))}) "
                "are kept without a location",
                code="table.rows_without_coordinates",
                source=label,
                count=len(none),
                rows=rows_none,
            )
        )
    given = get_crs(crs) if crs is not None else None

    # decide (easting, northing) arrays and the CRS
    if kind == "lonlat":
        east, north = a, b
        info.x_column, info.y_column = hi, hj
        epsg_default = 4326
        if not _fits(a, b, 4326) and _fits(b, a, 4326):
            east, north = b, a
            info.x_column, info.y_column = hj, hi
            info.warnings.append(
                CodedNote(
                    f"{label}: the column '{hi}' holds latitudes and '{hj}' longitudes (values around Lào Cai); "
                    "they were swapped",
                    code="table.lonlat_swapped",
                    source=label,
                    first=str(hi),
                    second=str(hj),
                )
            )
        _check_hemispheres(
            east, north, axes_a if east is a else axes_b, axes_b if east is a else axes_a, label=label, info=info
        )
    elif kind == "en":
        east, north = a, b
        info.x_column, info.y_column = hi, hj
        epsg_default = 0
    else:  # X/Y: Vietnamese tables put X = northing
        epsg_guess = 0
        if _looks_northing(a) and not _looks_northing(b):
            east, north = b, a
            info.x_column, info.y_column = hj, hi
            info.warnings.append(
                CodedNote(
                    f"{label}: '{hi}' holds northings and '{hj}' eastings (the Vietnamese X = northing convention); "
                    f"points were made from ({hj}, {hi})",
                    code="table.x_northing",
                    source=label,
                    x=str(hi),
                    y=str(hj),
                )
            )
        elif _looks_northing(b) and not _looks_northing(a):
            east, north = a, b
            info.x_column, info.y_column = hi, hj
            info.warnings.append(
                CodedNote(
                    f"{label}: '{hi}' holds eastings and '{hj}' northings (GIS convention)",
                    code="table.x_easting",
                    source=label,
                    x=str(hi),
                    y=str(hj),
                )
            )
        elif _fits(a, b, 4326) or _fits(b, a, 4326):
            east, north = (a, b) if _fits(a, b, 4326) else (b, a)
            info.x_column, info.y_column = (hi, hj) if _fits(a, b, 4326) else (hj, hi)
            epsg_guess = 4326
            info.warnings.append(
                CodedNote(
                    f"{label}: {hi}/{hj} hold degrees; '{info.x_column}' was taken as longitude and "
                    f"'{info.y_column}' as latitude",
                    code="table.xy_degrees",
                    source=label,
                    x=str(hi),
                    y=str(hj),
                    lon=str(info.x_column),
                    lat=str(info.y_column),
                )
            )
        else:
            east, north = b, a
            info.x_column, info.y_column = hj, hi
            info.warnings.append(
                CodedNote(
                    f"{label}: could not tell northing from easting by the values; took {hi} as northing "
                    "(the Vietnamese convention)",
                    code="table.northing_assumed",
                    source=label,
                    x=str(hi),
                )
            )
        epsg_default = epsg_guess
    if given is not None:
        info.crs_source = "given"
        out_crs: CRS = given
    else:
        info.crs_source = "guessed"
        ok = np.isfinite(east) & np.isfinite(north)
        if not ok.any():
            raise CRSError(
                f"{label} has no usable coordinates to tell its CRS from; choose its CRS "
                "(VN-2000 / TM-3 104°45′ is EPSG:9208)",
                code="crs.no_coordinates",
                source=label,
            )
        bounds = (east[ok].min(), north[ok].min(), east[ok].max(), north[ok].max())
        epsg, reason = guess_crs(bounds)
        if epsg is None and epsg_default:
            epsg = epsg_default
        if epsg is None:
            raise CRSError(
                f"{label} does not say its CRS and its values do not tell it ({reason}); choose its CRS "
                "(VN-2000 / TM-3 104°45′ is EPSG:9208)",
                code="crs.undetermined",
                source=label,
                reason=reason,
                bounds=[float(v) for v in bounds],
            )
        if kind == "lonlat" and epsg != 4326:
            raise CRSError(
                f"{label}: columns {hi}/{hj} are named as degrees but hold {reason}; rename them X/Y or choose "
                "the CRS the values are in",
                code="crs.not_degrees",
                source=label,
                columns=[str(hi), str(hj)],
                reason=reason,
                bounds=[float(v) for v in bounds],
            )
        out_crs = get_crs(epsg)
        assumed = "WGS 84 (EPSG:4326)" if epsg == 4326 else crs_label(out_crs)
        info.warnings.append(
            CodedNote(
                f"{label} does not say its CRS; assumed {assumed} because {reason}; choose another CRS if that is wrong"
                + (" (VN-2000 degrees are EPSG:4756)" if epsg == 4326 else ""),
                code="table.crs_assumed",
                source=label,
                crs=assumed,
                reason=reason,
                bounds=[float(v) for v in bounds],
                wgs84=epsg == 4326,
            )
        )
    coords = np.column_stack([east, north])
    rows_idx = np.arange(len(cells))
    finite_or_blank = np.isnan(coords).all(axis=1)
    info.errors.extend(coordinate_problems(coords[~finite_or_blank], rows_idx[~finite_or_blank], limits, label=label))
    geoms = np.array(
        [None if not (np.isfinite(x) and np.isfinite(y)) else shapely.Point(x, y) for x, y in coords], dtype=object
    )
    attrs = pd.DataFrame({str(h) if str(h) else f"column_{k + 1}": [r[k] for r in cells] for k, h in enumerate(header)})
    attrs = attrs.drop(columns=[c for c in attrs.columns if c in (str(hi), str(hj))])
    frame = gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(geoms, crs=out_crs), crs=out_crs)
    return frame, info


def _check_hemispheres(
    east: np.ndarray,
    north: np.ndarray,
    east_axes: dict[int, str],
    north_axes: dict[int, str],
    *,
    label: str,
    info: TableInfo,
) -> None:
    """List (and drop the location of) rows whose hemisphere letters contradict the column they ended up in."""
    wrong = sorted(
        {k for k, axis in east_axes.items() if axis != "lon"} | {k for k, a in north_axes.items() if a != "lat"}
    )
    if not wrong:
        return
    east[wrong] = np.nan
    north[wrong] = np.nan
    rows = [k + 2 for k in wrong[:10]]
    left = len(wrong) - 10 if len(wrong) > 10 else 0
    more = f" and {left} more" if left else ""
    info.errors.append(
        CodedNote(
            f"{label}: row(s) {', '.join(map(str, rows))}{more} have a latitude hemisphere (N/S/B) in the longitude "
            f"column or a longitude hemisphere (E/W/Đ/T) in the latitude column ({info.x_column}/{info.y_column}); "
            "correct them",
            code="table.hemisphere_mixup",
            source=label,
            rows=rows,
            more=left,
            x=str(info.x_column),
            y=str(info.y_column),
        )
    )


def _bad_row(row: int, cells: str, reasons: Sequence[InputDataError | None]) -> CodedNote:
    """One row of coordinates that could not be read: its number, its cells as written and why (when known)."""
    known = [r for r in reasons if r is not None]
    why = f": {'; '.join(map(str, known))}" if known else ""
    return CodedNote(f"row {row} ({cells}{why})", code="table.bad_row", row=row, cells=cells, reasons=known)


def _wkt_table(
    header: Sequence[str],
    cells: list[list[object]],
    col: int,
    *,
    crs: object,
    label: str,
    limits: Limits,
    info: TableInfo,
) -> tuple[gpd.GeoDataFrame, TableInfo]:
    """A table whose geometries are WKT text in one column."""
    geoms: list[shapely.Geometry | None] = []
    bad: list[int] = []
    for k, r in enumerate(cells):
        text = r[col]
        if text is None or not str(text).strip():
            geoms.append(None)
            continue
        try:
            geoms.append(shapely.from_wkt(str(text)))
        except shapely.errors.GEOSException:
            geoms.append(None)
            bad.append(k)
    if bad:
        rows = [k + 2 for k in bad[:10]]
        info.errors.append(
            CodedNote(
                f"{label}: column {header[col]} is not valid WKT in row(s) {', '.join(map(str, rows))}; correct them",
                code="table.bad_wkt",
                source=label,
                column=str(header[col]),
                rows=rows,
            )
        )
    arr = np.array(geoms, dtype=object)
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    coords, idx = shapely.get_coordinates(arr[present], return_index=True)
    rows_idx = np.flatnonzero(present)[idx] if idx.size else idx
    info.errors.extend(coordinate_problems(coords, rows_idx, limits, label=label))
    info.x_column = info.y_column = str(header[col])
    if crs is not None:
        out_crs, info.crs_source = get_crs(crs), "given"
    else:
        finite = coords[np.isfinite(coords).all(axis=1)] if coords.size else coords
        if not finite.size:
            raise CRSError(
                f"{label} has no usable geometries to tell its CRS from; choose its CRS "
                "(VN-2000 / TM-3 104°45′ is EPSG:9208)",
                code="crs.no_coordinates",
                source=label,
            )
        wkt_bounds = [float(v) for v in (*finite.min(axis=0), *finite.max(axis=0))]
        epsg, reason = guess_crs(wkt_bounds)
        if epsg is None:
            raise CRSError(
                f"{label} does not say its CRS and its values do not tell it ({reason}); choose its CRS "
                "(VN-2000 / TM-3 104°45′ is EPSG:9208)",
                code="crs.undetermined",
                source=label,
                reason=reason,
                bounds=wkt_bounds,
            )
        out_crs, info.crs_source = get_crs(epsg), "guessed"
        info.warnings.append(
            CodedNote(
                f"{label} does not say its CRS; assumed {crs_label(out_crs)} because {reason}; "
                "choose another CRS if that is wrong",
                code="table.crs_assumed",
                source=label,
                crs=crs_label(out_crs),
                reason=reason,
                bounds=wkt_bounds,
                wgs84=False,
            )
        )
    attrs = pd.DataFrame(
        {str(h) if str(h) else f"column_{k + 1}": [r[k] for r in cells] for k, h in enumerate(header) if k != col}
    )
    return gpd.GeoDataFrame(attrs, geometry=gpd.GeoSeries(arr, crs=out_crs), crs=out_crs), info


def _looks_northing(values: np.ndarray) -> bool:
    """Northings over Lào Cai are about 2.33–2.55 million metres (both VN-2000 projections)."""
    v = values[np.isfinite(values)]
    return bool(v.size) and bool(((v > 2_200_000) & (v < 2_700_000)).mean() > 0.9)


def read_table(
    path: Path,
    *,
    kind: str,
    sheet: str | None = None,
    crs: object = None,
    limits: Limits,
    label: str,
) -> tuple[gpd.GeoDataFrame, TableInfo]:
    """Read a CSV (``kind="csv"``) or XLSX (``kind="xlsx"``) table of points."""
    rows: Sequence[Sequence[object]]
    if kind == "csv":
        header, rows, encoding, warnings = read_csv_rows(path, label=label, limits=limits)
        sheets: tuple[str, ...] = ()
    else:
        header, rows, sheets, _ = read_xlsx_rows(path, sheet=sheet, label=label, limits=limits)
        encoding, warnings = "utf-8", []
    if not rows:
        raise InputDataError(
            f"{label} has a header but no rows; add one row per point", code="table.header_only", source=label
        )
    frame, info = points_from_table(header, rows, crs=crs, label=label, limits=limits)
    info.encoding = encoding
    info.sheets = sheets
    info.warnings[:0] = warnings
    return frame, info

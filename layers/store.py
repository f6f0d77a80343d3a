"""The project store: one GeoPackage file behind a small interface.

:class:`Store` is the interface the rest of the project uses; :class:`GeoPackageStore` implements it on
a real GeoPackage (SQLite, WAL journal, ``synchronous=FULL``); :class:`layers.postgis.PostGISStore` implements it
on a shared PostGIS database, with the same semantics. :func:`open_store` opens either (a ``postgresql://`` URL is
the database).

Why we write the GeoPackage through ``sqlite3`` rather than through GDAL: a write here touches several
tables (the new layer table, the renamed previous version, ``gpkg_contents``, ``gpkg_geometry_columns``
and our version registry) and must be one transaction — all or nothing, also when the process is killed.
GDAL opens its own connection per dataset and cannot share our transaction. The file stays a standard
GeoPackage (GDAL, QGIS and pyogrio read it; a test proves it), geometries in GeoPackage binary (GPB).

Layout:
- the current version of layer ``x`` is the feature table ``x`` (what QGIS shows under that name);
- earlier versions are kept as ``x__v<N>`` and can be restored;
- ``baoyen_versions`` records every version (who, when, why, origin, feature count, content hash, column
  types); ``baoyen_layers`` points at the current one;
- plain attribute tables (targets, actuals, ...) are GeoPackage ``attributes`` tables; ``baoyen_tables``
  records their writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import struct
import urllib.parse
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.crs import WORK_EPSG, get_crs, reproject, require_crs, transformer
from geo.errors import InputDataError, LayerNotFoundError, StoreError
from geo.text import nfc
from geo.validate import nfc_texts
from layers.settings import is_store_url

if TYPE_CHECKING:
    from layers.accounts import Accounts

# \Z, not $: "$" also matches before a final newline, so "big\n" would pass as a second "big"
LAYER_ID = re.compile(r"^[a-z][a-z0-9_]{0,62}\Z")
_COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}\Z")
#: table names GeoPackage, SQLite, GDAL and QGIS give a meaning to, and the store's own: never a layer's
RESERVED_PREFIXES: tuple[str, ...] = ("gpkg_", "gpkgext_", "rtree_", "sqlite_", "ogr_", "qgis_", "baoyen_")
RESERVED_NAMES: frozenset[str] = frozenset({"layer_styles"})
#: how long a write waits for another program's write to finish before it gives up (seconds)
LOCK_TIMEOUT_S = 30.0
#: the page cache of a write transaction's connection, KiB (SQLite's default is 2,000 KiB)
WRITE_CACHE_KIB = 65_536
#: the first 16 bytes of every SQLite database file
SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's primary result codes (https://www.sqlite.org/rescode.html) the store tells apart
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 11, 13, 14, 26
GEOM_COLUMN = "geom"
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10300  # GeoPackage 1.3


@dataclass(frozen=True)
class LayerVersion:
    """One stored version of a layer."""

    layer_id: str
    version: int
    written_at: str
    user: str
    message: str
    origin: str
    features: int
    current: bool


@dataclass(frozen=True)
class LayerInfo:
    """What the store holds for one layer (current version)."""

    layer_id: str
    version: int
    features: int
    geometry_type: str
    origin: str
    quality_mix: dict[str, int]


@dataclass(frozen=True)
class LayerWrite:
    """One layer of a multi-layer write (:meth:`Store.write_layers`).

    ``base_version`` is the version the change was made from: the write is refused with
    :class:`VersionConflictError` when the layer has moved on since (0 = the layer did not exist yet;
    None = no check, for builds and tests that own the store).
    """

    layer_id: str
    frame: gpd.GeoDataFrame
    message: str = ""
    origin: str = "imported"
    base_version: int | None = None


@dataclass(frozen=True)
class VersionRecord:
    """Everything the store records about one version of a layer (to copy a store, :mod:`services.migrate`)."""

    layer_id: str
    version: int
    written_at: str
    user: str
    message: str
    origin: str
    features: int
    content_hash: str
    geometry_type: str
    #: (field name, column kind) as written; the kinds decide how values are stored and restored
    columns: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class TableRecord:
    """One write of a plain table (``write_table`` or ``append_rows``), as the store recorded it."""

    name: str
    written_at: str
    user: str
    message: str
    rows: int
    columns: tuple[tuple[str, str], ...]


#: the user an audit entry names when the caller named none (a setting written by the build, say)
SYSTEM_USER = "system"
#: what the audit trail records of a change (``AuditEntry.action``)
AUDIT_ACTIONS: tuple[str, ...] = ("write_layer", "restore", "append_rows", "write_table", "set_meta", "migrate")
# a password in a URL (``postgresql://user:secret@host``): never recorded in the audit trail
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*):[^@\s]*@")


@dataclass(frozen=True)
class AuditEntry:
    """One change of the store, as the audit trail recorded it (in the same transaction as the change).

    ``layer`` is the layer id, the table name or the setting's key (None for a change of the whole store, such as
    a copy); ``version_before``/``version_after`` are the layer's versions around the change (0 before a layer's
    first version; None for tables and settings).
    """

    at: str
    user: str
    action: str
    layer: str | None
    version_before: int | None
    version_after: int | None
    summary: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "at": self.at,
            "user": self.user,
            "action": self.action,
            "layer": self.layer,
            "version_before": self.version_before,
            "version_after": self.version_after,
            "summary": self.summary,
        }


def audit_entry(
    action: str,
    layer: str | None,
    *,
    user: str,
    summary: str,
    before: int | None = None,
    after: int | None = None,
) -> AuditEntry:
    """A new audit entry stamped now; any password in a URL of the user or summary is taken out."""
    return AuditEntry(
        _now(), _URL_PASSWORD.sub(r"\1@", str(user)), action, layer, before, after, _URL_PASSWORD.sub(r"\1@", summary)
    )


def layer_summary(message: str, features: int) -> str:
    """The audit summary of a layer write: its message and feature count."""
    count = f"{features} feature(s)"
    return f"{message} ({count})" if message else count


class VersionConflictError(StoreError):
    """A write based on a version of a layer that is no longer the current one (someone saved in between)."""


def conflict_error(layer_id: str, current: int, base: int, by: tuple[Any, ...] | None) -> VersionConflictError:
    """The refusal of a write made on ``base`` when ``current`` is the layer's version: who wrote that, and when."""
    user, at = (str(by[0]), str(by[1])) if by else ("", "")
    who = f" by {user} at {at}" if user else ""
    return VersionConflictError(
        f"layer '{layer_id}' was changed by someone else (now version {current}{who}, the change was made on version "
        f"{base}); nothing was written",
        code="store.conflict",
        layer=layer_id,
        current=current,
        base=base,
        by=user,
        at=at,
    )


def check_layer_id(layer_id: str) -> str:
    """Return ``layer_id`` if it is a plain identifier the store may use; raise :class:`InputDataError` otherwise.

    Lower-case letters, digits and _, starting with a letter, at most 63 characters, nothing after them (not even a
    newline); not a name GeoPackage, SQLite, GDAL or QGIS treat specially (``gpkg_*``, ``rtree_*``, ``sqlite_*``,
    ``layer_styles`` ...), nor the store's own (``baoyen_*``, ``__v`` for earlier versions).
    """
    shown = repr(layer_id) if isinstance(layer_id, str) else repr(str(layer_id))
    if not isinstance(layer_id, str) or not LAYER_ID.fullmatch(layer_id):
        raise InputDataError(
            f"{shown} is not a valid layer id; use lower-case letters, digits and _ "
            "starting with a letter (for example cluster_lots)",
            code="store.bad_layer_id",
            layer=shown,
        )
    if "__v" in layer_id or layer_id in RESERVED_NAMES or layer_id.startswith(RESERVED_PREFIXES):
        raise InputDataError(
            f"{shown} is not a valid layer id: GeoPackage, GDAL, QGIS or the store itself name their own tables "
            f"so ({', '.join(p + '…' for p in RESERVED_PREFIXES)}, {', '.join(sorted(RESERVED_NAMES))}, "
            "names with __v); choose another layer id",
            code="store.reserved_layer_id",
            layer=shown,
        )
    return layer_id


def _primary(exc: BaseException) -> int | None:
    """SQLite's primary result code of an ``sqlite3`` error (``SQLITE_FULL`` is 13), or None."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _rollback(con: sqlite3.Connection) -> None:
    """Roll back what is still open; a failing ROLLBACK is dropped so the error that caused it is the one raised."""
    if con.in_transaction:
        with contextlib.suppress(sqlite3.Error):  # closing the connection rolls back as well
            con.execute("ROLLBACK")


def _writable(path: Path) -> bool:
    """Whether the store's file and its folder (WAL's -wal and -shm files live there) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _q(name: str) -> str:
    """Quote an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


class SqlTx:
    """One transaction of either backend, for the account records (:mod:`layers.accounts`).

    Queries are written once with ``?`` placeholders and ``{users}``, ``{grants}``, ``{sessions}`` for the
    account tables; this turns them into the backend's quoting and placeholder style. Parameters are always
    bound, never formatted into the SQL.
    """

    def __init__(
        self,
        con: Any,
        *,
        tables: dict[str, str],
        placeholder: str,
        has_table: Any,
        log: Any,
    ) -> None:
        self._con = con
        self._tables = tables
        self._placeholder = placeholder
        self._has_table = has_table
        self._log = log

    def _sql(self, query: str) -> str:
        query = query.format(**self._tables)
        return query if self._placeholder == "?" else query.replace("?", self._placeholder)

    def run(self, query: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; its rows (none for a statement without RETURNING)."""
        cur = self._con.execute(self._sql(query), tuple(params))
        return [tuple(r) for r in cur.fetchall()] if cur.description is not None else []

    def count(self, query: str, params: tuple[Any, ...] | list[Any] = ()) -> int:
        """Run one statement; how many rows it changed."""
        cur = self._con.execute(self._sql(query), tuple(params))
        return max(int(cur.rowcount), 0)

    def has_table(self, name: str) -> bool:
        """True when the store holds the table ``name``."""
        return bool(self._has_table(self._con, name))

    def log(self, entries: list[AuditEntry]) -> None:
        """Append audit entries in this transaction."""
        self._log(self._con, entries)


class Store(ABC):
    """The interface of a project store (GeoPackage now, PostGIS later)."""

    # --- accounts (users, grants, sessions: layers/accounts.py writes its SQL once for both backends) ---

    @abstractmethod
    def _account_sql(self, *, write: bool) -> contextlib.AbstractContextManager[SqlTx]:
        """One transaction over the account tables (laid down first when missing, for a write)."""

    def accounts(self) -> Accounts:
        """The store's user accounts, grants and sessions."""
        from layers.accounts import Accounts

        return Accounts(self)

    # --- checks every backend shares (they use only the store CRS) ---

    def _prepare_write(self, w: LayerWrite) -> PreparedWrite:
        """Check one layer write before the transaction and convert its values once (for the hash and the rows)."""
        layer_id, frame = w.layer_id, w.frame
        check_layer_id(layer_id)
        if not isinstance(frame, gpd.GeoDataFrame):
            raise InputDataError(f"layer '{layer_id}' must be a GeoDataFrame with a geometry column")
        require_crs(frame, f"layer '{layer_id}'")
        frame = reproject(frame, self.srs_epsg) if CRS.from_user_input(frame.crs).to_epsg() != self.srs_epsg else frame
        attrs = frame.drop(columns=frame.geometry.name)
        columns = []
        for name in attrs.columns:
            if not isinstance(name, str) or not _COLUMN.fullmatch(name) or name.lower() in ("fid", GEOM_COLUMN):
                raise InputDataError(
                    f"layer '{layer_id}' has a field named {name!r}, which cannot be stored; rename it to letters, "
                    "digits and _ (not fid or geom)",
                    code="store.bad_field_name",
                    layer=layer_id,
                    field=str(name),
                )
            columns.append([name, _kind(attrs[name])])
        by_case: dict[str, list[str]] = {}
        for c, _ in columns:
            by_case.setdefault(c.lower(), []).append(c)
        clash = next((names for names in by_case.values() if len(names) > 1), None)
        if clash is not None:
            raise InputDataError(
                f"layer '{layer_id}' has two fields whose names differ only by case ({', '.join(clash)}); rename one",
                code="store.field_case_clash",
                layer=layer_id,
                fields=clash,
            )
        _refuse_non_finite(layer_id, frame)
        return prepare_rows(frame, columns)

    def _columns_of(self, name: str, frame: pd.DataFrame) -> list[list[str]]:
        cols = []
        for c in frame.columns:
            if not isinstance(c, str) or not _COLUMN.fullmatch(c) or c.lower() == "fid":
                raise InputDataError(
                    f"table '{name}' has a column named {c!r}; use letters, digits and _ (not fid)",
                    code="store.bad_column_name",
                    table=name,
                    column=str(c),
                )
            cols.append([c, _kind(frame[c])])
        return cols

    @abstractmethod
    def layer_ids(self) -> list[str]:
        """Ids of the layers the store holds."""

    def has_layer(self, layer_id: str) -> bool:
        """True when the store holds ``layer_id``."""
        return layer_id in self.layer_ids()

    @abstractmethod
    def current_version(self, layer_id: str) -> int:
        """Version number of the layer's current version."""

    @abstractmethod
    def current_versions(self) -> dict[str, int]:
        """Every layer's current version number, by layer id, in one read (for noticing changes)."""

    @abstractmethod
    def read_layer(self, layer_id: str, *, crs: object = None) -> gpd.GeoDataFrame:
        """The current version of a layer, in the store CRS or reprojected to ``crs``."""

    def write_layer(
        self,
        layer_id: str,
        frame: gpd.GeoDataFrame,
        *,
        user: str,
        message: str = "",
        origin: str = "imported",
        base_version: int | None = None,
    ) -> int:
        """Store ``frame`` as the new current version of ``layer_id`` (atomic); return its version.

        With ``base_version`` the write is refused (:class:`VersionConflictError`) unless the layer is still at
        that version (0: it must not exist yet).
        """
        return self.write_layers(
            [LayerWrite(layer_id, frame, message=message, origin=origin, base_version=base_version)], user=user
        )[0]

    @abstractmethod
    def write_layers(self, writes: list[LayerWrite], *, user: str) -> list[int]:
        """Write several layers in one transaction (all or none); return their new versions in order."""

    @abstractmethod
    def history(self, layer_id: str) -> list[LayerVersion]:
        """Every stored version of a layer, oldest first."""

    @abstractmethod
    def restore(self, layer_id: str, version: int, *, user: str, base_version: int | None = None) -> int:
        """Make a copy of an earlier version the new current version; return the new version number."""

    @abstractmethod
    def layer_info(self) -> list[LayerInfo]:
        """Feature counts and geometry-quality mix of every layer."""

    @abstractmethod
    def table_names(self) -> list[str]:
        """Names of the plain attribute tables."""

    @abstractmethod
    def read_table(self, name: str) -> pd.DataFrame:
        """A plain attribute table."""

    @abstractmethod
    def write_table(self, name: str, frame: pd.DataFrame, *, user: str, message: str = "") -> None:
        """Replace a plain attribute table (atomic)."""

    @abstractmethod
    def append_rows(self, name: str, frame: pd.DataFrame, *, user: str) -> None:
        """Append rows to an append-only table (atomic), stamping who and when."""

    @abstractmethod
    def get_meta(self, key: str) -> str | None:
        """A store-level setting (e.g. the hash of the data it was built from)."""

    @abstractmethod
    def set_meta(self, key: str, value: str, *, user: str = SYSTEM_USER) -> None:
        """Set a store-level setting (its audit entry names ``user``)."""

    @abstractmethod
    def audit(self, *, layer: str | None = None, since: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first: of one layer, table or setting, and from ``since`` (ISO date or time, UTC).

        Every change appends one entry in the same transaction as the change; entries are never changed or removed.
        """

    @abstractmethod
    def append_audit(self, entries: list[AuditEntry]) -> None:
        """Append entries exactly as another store recorded them (for copying a store; one transaction)."""

    @abstractmethod
    def write_meta_items(self, items: dict[str, str]) -> None:
        """Set settings as another store holds them (for copying a store: the copied audit already records them)."""

    # -- what building and copying a whole store need (layers.build, services.migrate) --

    #: EPSG code of the CRS the store keeps its layers in
    srs_epsg: int

    @property
    def location(self) -> str:
        """Where the store is, as shown to people: its file, or its database URL without the password."""
        return str(getattr(self, "path", type(self).__name__))

    @abstractmethod
    def latest_origin(self, layer_id: str) -> tuple[str, str]:
        """(origin, content hash) of the current version of a layer."""

    @abstractmethod
    def version_records(self, layer_id: str) -> list[VersionRecord]:
        """What the store recorded of every version of a layer, oldest first."""

    @abstractmethod
    def read_version(self, layer_id: str, version: int, *, crs: object = None) -> gpd.GeoDataFrame:
        """One stored version of a layer (current or earlier), in the store CRS or reprojected to ``crs``."""

    @abstractmethod
    def write_version(self, record: VersionRecord, frame: gpd.GeoDataFrame) -> None:
        """Add a version exactly as another store recorded it (who, when, why, hash, kinds); it becomes current.

        For copying a store: ``record.version`` must be above every version the layer has (else
        :class:`StoreError` ``store.version_exists``); nothing is checked against a base version.
        """

    @abstractmethod
    def table_records(self, name: str) -> list[TableRecord]:
        """Every recorded write of a plain table, oldest first."""

    @abstractmethod
    def write_table_records(self, name: str, frame: pd.DataFrame, records: list[TableRecord]) -> None:
        """Create a plain table holding ``frame``, with the column kinds and write log of another store."""

    @abstractmethod
    def meta_items(self) -> dict[str, str]:
        """Every store-level setting."""

    def is_empty(self) -> bool:
        """True when the store holds no layer, no table and no setting."""
        return not self.layer_ids() and not self.table_names() and not self.meta_items()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """A block whose writes are one transaction where the backend can (PostGIS); else each write is its own."""
        yield


# --- GeoPackage binary geometry -------------------------------------------------------------------

_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _to_gpb(geoms: np.ndarray, srs_id: int, *, wkb: np.ndarray | None = None) -> list[bytes | None]:
    """Encode shapely geometries as GeoPackage binary blobs (little-endian, xy envelope).

    The WKB and the envelopes are made for the whole array at once (shapely, numpy); only the joining of each
    blob's three parts is per row. ``wkb`` is the geometries' 2D little-endian WKB when the caller made it already
    (:func:`prepare_rows`, for the content hash), None to make it here.
    """
    out: list[bytes | None] = [None] * len(geoms)
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return out
    idx = np.flatnonzero(present)
    sub = geoms[idx]
    if wkb is not None:
        wkbs = wkb[idx].tolist()
    else:
        wkbs = shapely.to_wkb(sub, byte_order=1, output_dimension=2, flavor="iso").tolist()
    empty = shapely.is_empty(sub).tolist()
    # the GeoPackage envelope is (minx, maxx, miny, maxy); an empty geometry has none
    env = np.ascontiguousarray(shapely.bounds(sub)[:, [0, 2, 1, 3]], dtype="<f8").tobytes()
    head_env = b"GP\x00" + bytes([0b0000_0011]) + struct.pack("<i", srs_id)
    head_empty = b"GP\x00" + bytes([0b0001_0001]) + struct.pack("<i", srs_id)
    for k, i in enumerate(idx.tolist()):
        out[i] = head_empty + wkbs[k] if empty[k] else head_env + env[32 * k : 32 * k + 32] + wkbs[k]
    return out


def _from_gpb(blobs: list[bytes | None]) -> np.ndarray:
    """Decode GeoPackage binary blobs to shapely geometries (None stays missing)."""
    return shapely.from_wkb(np.array(_wkb_of(blobs), dtype=object))


def _wkb_of(blobs: list[bytes | None]) -> list[bytes | None]:
    """The WKB inside GeoPackage binary blobs (None stays missing); raises StoreError for what is not one."""
    wkbs: list[bytes | None] = [None] * len(blobs)
    for i, blob in enumerate(blobs):
        if blob is None:
            continue
        b = blob if isinstance(blob, bytes) else bytes(blob)
        if b[:2] != b"GP":
            raise StoreError(
                "the store holds a geometry that is not GeoPackage binary; the file may be damaged — restore it "
                "from a backup copy",
                code="store.geometry_not_gpkg",
            )
        env = _ENVELOPE_BYTES.get((b[3] >> 1) & 0b111)
        if env is None:
            raise StoreError(
                "the store holds a geometry with an unknown envelope; the file may be damaged — restore it from a "
                "backup copy",
                code="store.geometry_envelope",
            )
        wkbs[i] = b[8 + env :]
    return wkbs


# --- column kinds: how pandas columns are stored and restored -------------------------------------


def _kind(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return f"datetime:{dtype}"  # the exact dtype (unit, time zone) is restored on reading
    values = series.dropna()
    if len(values):
        first = values.iloc[0]
        if isinstance(first, dt.date) and not isinstance(first, dt.datetime):
            return "date"
        if isinstance(first, (dt.datetime, pd.Timestamp)):
            return "datetime"
        if isinstance(first, (list, dict, tuple)):
            return "json"
        if isinstance(first, (bool, np.bool_)):
            return "bool"
    return "str"


_SQL_TYPE = {
    "bool": "BOOLEAN",
    "int": "INTEGER",
    "float": "REAL",
    "datetime": "DATETIME",
    "date": "DATE",
    "json": "TEXT",
    "str": "TEXT",
}


def _to_sql_values(series: pd.Series, kind: str) -> list[Any]:
    """Each value of a column as the store keeps it: None when missing, else a Python int, float or str.

    Typed columns (numbers, booleans, pandas text) are converted with numpy and Arrow in one pass; columns of
    Python objects value by value. Both give the same values.
    """
    base = kind.partition(":")[0]
    dtype = series.dtype
    typed = not pd.api.types.is_object_dtype(dtype) and not pd.api.types.is_string_dtype(dtype)
    if base in ("bool", "int", "float") and typed:
        missing = series.isna().to_numpy(dtype=bool)
        if base == "bool":
            arr = series.to_numpy(dtype=bool, na_value=False).astype(np.int64).astype(object)
        elif base == "int":
            arr = series.to_numpy(dtype=object)  # Python ints, whatever the integer dtype
        else:
            arr = series.to_numpy(dtype=np.float64, na_value=np.nan).astype(object)
        arr[missing] = None
        return list(arr.tolist())
    if base == "str" and isinstance(dtype, pd.StringDtype):
        return list(nfc_texts(series)[0].tolist())  # the project stores text in Unicode NFC, whoever wrote it
    return _object_sql_values(series, base)


def _object_sql_values(series: pd.Series, kind: str) -> list[Any]:
    def conv(v: Any) -> Any:
        if v is None or (not isinstance(v, (list, dict, tuple)) and pd.isna(v)):
            return None
        if kind == "bool":
            return int(bool(v))
        if kind == "int":
            return int(v)
        if kind == "float":
            return float(v)
        if kind == "datetime":
            return pd.Timestamp(v).isoformat()
        if kind == "date":
            return v.isoformat()
        if kind == "json":
            return nfc(json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False))
        return nfc(str(v))  # the project stores text in Unicode NFC, whoever wrote it

    return [conv(v) for v in series.tolist()]


class PreparedWrite(NamedTuple):
    """A layer write checked and converted once, before its transaction (both backends write from this)."""

    frame: gpd.GeoDataFrame
    columns: list[list[str]]
    geometry_type: str
    content_hash: str
    #: each field's values as stored (:func:`_to_sql_values`), in the order of ``columns``
    values: list[list[Any]]
    #: the geometries' little-endian WKB (None where missing) when it is also what the store writes (every
    #: geometry 2D: the hash's WKB and the stored one are the same bytes), else None
    wkb: np.ndarray | None = None


def prepare_rows(frame: gpd.GeoDataFrame, columns: list[list[str]]) -> PreparedWrite:
    """Convert a frame's fields and geometries once: the values both the hash and the stored rows are made of."""
    values = [_to_sql_values(frame[n], k) for n, k in columns]
    geoms = np.asarray(frame.geometry.values, dtype=object)
    wkb = shapely.to_wkb(geoms, byte_order=1)
    known: dict[str, Any] = {n: v for (n, _), v in zip(columns, values, strict=True)}
    known[frame.geometry.name] = wkb
    digest = content_hash(frame, _known=known)
    flat = not shapely.has_z(geoms[~shapely.is_missing(geoms)]).any()  # 2D: ISO and extended WKB are the same
    return PreparedWrite(frame, columns, _geometry_type(frame), digest, values, wkb if flat else None)


def _restore(values: list[Any], kind: str) -> pd.Series:
    kind, _, dtype = kind.partition(":")
    if kind == "bool":
        return pd.Series([None if v is None else bool(v) for v in values], dtype="boolean")
    if kind == "int":
        return pd.Series(values, dtype="Int64")
    if kind == "float":
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if kind == "datetime":
        stamps = pd.to_datetime(pd.Series(values, dtype="object"))
        return stamps.astype(pd.api.types.pandas_dtype(dtype)) if dtype else stamps
    if kind == "date":
        return pd.Series([None if v is None else dt.date.fromisoformat(v) for v in values], dtype="object")
    if kind == "json":
        return pd.Series([None if v is None else json.loads(v) for v in values], dtype="object")
    return pd.Series(values, dtype="str")


def content_hash(frame: pd.DataFrame, *, _known: dict[str, Any] | None = None) -> str:
    """A stable hash of a frame's columns, values and geometries (to skip rewriting unchanged data).

    The bytes hashed are those of each column's stored values as JSON and each geometry's WKB (a zero byte for a
    missing one), so a hash recorded by an earlier version of the store still matches. ``_known`` holds the
    stored values the caller converted already (column -> values; the geometry column -> its WKB, little-endian),
    so nothing is converted twice.
    """
    known = _known or {}
    h = hashlib.sha256()
    h.update(json.dumps([str(c) for c in frame.columns]).encode())
    for col in frame.columns:
        series = frame[col]
        if isinstance(series, gpd.GeoSeries):
            wkb = known[col] if col in known else shapely.to_wkb(np.asarray(series.values, dtype=object), byte_order=1)
            h.update(b"".join(b"\x00" if w is None else w for w in wkb.tolist()))
        else:
            kind = _kind(series)
            h.update(kind.encode())
            values = known[col] if col in known else _to_sql_values(series, kind)
            h.update(json.dumps(values, ensure_ascii=False, default=str).encode())
    if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
        h.update(str(CRS.from_user_input(frame.crs).to_epsg()).encode())
    return h.hexdigest()


# --- the GeoPackage store -------------------------------------------------------------------------

_BASE_SCHEMA = """
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS baoyen_layers (
  layer_id TEXT PRIMARY KEY, current_version INTEGER NOT NULL, geometry_type TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS baoyen_versions (
  layer_id TEXT NOT NULL, version INTEGER NOT NULL, table_name TEXT NOT NULL, written_at TEXT NOT NULL,
  user TEXT NOT NULL, message TEXT NOT NULL, origin TEXT NOT NULL, features INTEGER NOT NULL,
  content_hash TEXT NOT NULL, columns_json TEXT NOT NULL, PRIMARY KEY (layer_id, version));
CREATE TABLE IF NOT EXISTS baoyen_tables (
  name TEXT NOT NULL, written_at TEXT NOT NULL, user TEXT NOT NULL, message TEXT NOT NULL,
  rows INTEGER NOT NULL, columns_json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS baoyen_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

# the audit trail, append-only: triggers refuse every UPDATE and DELETE (statements laid down one by one, inside a
# write's transaction, so a store made before the audit trail gets it with its next write)
_AUDIT_SCHEMA: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS baoyen_audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
    "user TEXT NOT NULL, action TEXT NOT NULL, layer TEXT, version_before INTEGER, version_after INTEGER, "
    "summary TEXT NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS baoyen_audit_no_update BEFORE UPDATE ON baoyen_audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS baoyen_audit_no_delete BEFORE DELETE ON baoyen_audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
)


class GeoPackageStore(Store):
    """A :class:`Store` in one GeoPackage file. Layers are kept in EPSG:9208 unless created otherwise.

    A store whose file or folder cannot be written (or opened with ``read_only``) is opened read-only: it can be
    read, and every write is refused with :class:`StoreError` ``store.read_only``.
    """

    def __init__(
        self, path: str | Path, *, create: bool = False, srs_epsg: int = WORK_EPSG, read_only: bool = False
    ) -> None:
        self.path = Path(path)
        self.srs_epsg = srs_epsg
        self.read_only = read_only or (self.path.exists() and not create and not _writable(self.path))
        if not self.path.exists():
            if not create:
                raise StoreError(
                    f"no store at {self.path}; build the project store first or choose another store path",
                    code="store.missing",
                    path=str(self.path),
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if create:
            self._create_schema()
        with self._read() as con:
            self._check_gpkg(con)

    def _create_schema(self) -> None:
        # executescript commits any open transaction, so the schema (idempotent) is laid down by
        # itself; the SRS rows then go in one transaction.
        con = self._connect()
        try:
            con.execute(f"PRAGMA application_id = {GPKG_APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {GPKG_USER_VERSION}")
            con.executescript(_BASE_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise self._store_error(exc, writing=True) from exc
        finally:
            con.close()
        with self._tx() as tx:
            for epsg in (-1, 0, 4326, self.srs_epsg):
                self._ensure_srs(tx, epsg)
            for ddl in _AUDIT_SCHEMA:
                tx.execute(ddl)

    # -- connections and transactions --

    def _connect(self) -> sqlite3.Connection:
        """A connection in WAL mode; for a read-only store a read-only one, which sets no pragma that writes."""
        if self.read_only:
            return self._connect_read_only()
        try:
            con = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise self._store_error(exc, writing=False) from exc
        try:
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = FULL")
            con.execute("PRAGMA foreign_keys = OFF")
        except sqlite3.DatabaseError as exc:
            con.close()
            raise self._store_error(exc, writing=False) from exc
        return con

    def _connect_read_only(self) -> sqlite3.Connection:
        """A ``mode=ro`` connection; ``immutable`` too when the folder cannot hold WAL's -shm file."""
        base = "file:" + urllib.parse.quote(str(self.path.resolve())) + "?mode=ro"
        error: sqlite3.DatabaseError | None = None
        for uri in (base, base + "&immutable=1"):
            try:
                con = sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT_S, isolation_level=None)
            except sqlite3.Error as exc:
                raise self._store_error(exc, writing=False) from exc
            try:
                con.execute("PRAGMA foreign_keys = OFF")
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the file (and WAL's -shm)
            except sqlite3.DatabaseError as exc:
                con.close()
                error = exc
                if _primary(exc) != _SQLITE_CANTOPEN or os.access(self.path.parent, os.W_OK):
                    break  # immutable is only for a folder nobody can write in
                continue
            return con
        assert error is not None
        raise self._store_error(error, writing=False) from error

    def _not_gpkg(self, exc: sqlite3.Error) -> StoreError:
        return StoreError(
            f"{self.path} is not a GeoPackage store ({exc}); choose another store path or remove the file",
            code="store.not_gpkg",
            path=str(self.path),
            detail=str(exc),
        )

    def _is_sqlite_file(self) -> bool:
        """True unless the file is known not to be an SQLite database (its first bytes are not SQLite's header)."""
        try:
            with self.path.open("rb") as f:
                head = f.read(len(SQLITE_HEADER))
        except OSError:
            return True  # unreadable: not known to be something else, so never advise removing it
        return head == SQLITE_HEADER or head == b""

    def _store_error(self, exc: sqlite3.Error, *, writing: bool) -> StoreError:
        """The store's error for an SQLite error, by SQLite's result code: the disk, the permission, the lock ...

        Only a file that is not SQLite at all is called "not a GeoPackage store" (whose advice is to remove it);
        a full or read-only disk, a lock held too long and a damaged database each say what they are.
        """
        path, code = str(self.path), _primary(exc)
        detail = " ".join(str(exc).split())
        unchanged = "; nothing was changed" if writing else ""
        if code == _SQLITE_FULL:
            return StoreError(
                f"the disk holding the store {path} is full{unchanged}; free some space on it and try again",
                code="store.disk_full",
                path=path,
            )
        if code in (_SQLITE_READONLY, _SQLITE_PERM) or (writing and code == _SQLITE_CANTOPEN and self.path.exists()):
            return StoreError(
                f"the store {path} is read-only: the file, its folder or the disk cannot be written{unchanged}",
                code="store.read_only",
                path=path,
            )
        if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return StoreError(
                f"the store {path} is in use: another program kept it locked for more than {LOCK_TIMEOUT_S:g} s"
                f"{unchanged}; try again in a moment",
                code="store.locked",
                path=path,
                seconds=int(LOCK_TIMEOUT_S),
            )
        if code in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
            if not self._is_sqlite_file():
                return self._not_gpkg(exc)
            return StoreError(
                f"the store {path} is an SQLite file that cannot be read ({detail}); it may be damaged: "
                "restore it from a backup copy",
                code="store.damaged",
                path=path,
                detail=detail,
            )
        if code == _SQLITE_CANTOPEN:
            return StoreError(
                f"the store {path} cannot be opened ({detail}); check that the file and its folder can be read",
                code="store.cannot_open",
                path=path,
                detail=detail,
            )
        if writing:
            return StoreError(
                f"the store {path} could not be written ({detail}); nothing was changed",
                code="store.write_failed",
                path=path,
                detail=detail,
            )
        return StoreError(
            f"the store {path} could not be read ({detail})", code="store.read_failed", path=path, detail=detail
        )

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed when the block ends, rolled back on any exception.

        The error raised is always the first one: when SQLite has already rolled the transaction back (a full
        disk does), the ROLLBACK that follows fails too and must not hide it.
        """
        if self.read_only:
            raise StoreError(
                f"the store {self.path} is read-only: the file, its folder or the disk cannot be written; "
                "nothing was changed",
                code="store.read_only",
                path=str(self.path),
            )
        con = self._connect()
        try:
            try:
                # a layer write goes through SQLite's page cache: at its default 2 MB a 100,000-plot write
                # (33 MB) spills it again and again (0.6 s of inserts; 0.4 s with this). Memory is taken only as
                # pages are written, and given back when the connection closes, at the end of the transaction.
                con.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
                con.execute("BEGIN IMMEDIATE")
                try:
                    yield con
                except BaseException:
                    _rollback(con)
                    raise
                con.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                _rollback(con)
                raise self._store_error(exc, writing=True) from exc
        finally:
            con.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A connection to read with; when the disk is full or cannot be written, a read-only one.

        What is stored stays readable when nothing can be written (the journal cannot be switched to WAL then).
        """
        try:
            con = self._connect()
        except StoreError as exc:
            if self.read_only or exc.code not in ("store.disk_full", "store.read_only"):
                raise
            con = self._connect_read_only()
        try:
            # one snapshot for every statement of the read (WAL readers see the state at their first read), so a
            # layer read while someone writes is the previous version or the new one, never parts of both
            con.execute("BEGIN DEFERRED")
            try:
                yield con
            finally:
                if con.in_transaction:
                    con.execute("ROLLBACK")
        except sqlite3.DatabaseError as exc:
            raise self._store_error(exc, writing=False) from exc
        finally:
            con.close()

    def _check_gpkg(self, con: sqlite3.Connection) -> None:
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            has = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'baoyen_versions'").fetchone()[0]
            tables = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise self._store_error(exc, writing=False) from exc
        if app_id != GPKG_APPLICATION_ID or not has:
            if tables:  # someone's database: never advise removing it
                raise StoreError(
                    f"{self.path} is an SQLite database, but not a project store of this application; choose "
                    "another store path",
                    code="store.other_database",
                    path=str(self.path),
                )
            raise StoreError(
                f"{self.path} is not a project store of this application; choose another store path or remove the file",
                code="store.not_project",
                path=str(self.path),
            )

    def _ensure_srs(self, con: sqlite3.Connection, epsg: int) -> None:
        if con.execute("SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?", (epsg,)).fetchone():
            return
        if epsg == -1:
            row = ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate system")
        elif epsg == 0:
            row = ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate system")
        else:
            crs = get_crs(epsg)
            row = (crs.name, epsg, "EPSG", epsg, crs.to_wkt("WKT1_GDAL"), crs.name)
        con.execute("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", row)

    # -- meta --

    def get_meta(self, key: str) -> str | None:
        """A store-level setting, or None."""
        with self._read() as con:
            row = con.execute("SELECT value FROM baoyen_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str, *, user: str = SYSTEM_USER) -> None:
        """Set a store-level setting (one transaction, with its audit entry)."""
        with self._tx() as con:
            con.execute("INSERT OR REPLACE INTO baoyen_meta VALUES (?, ?)", (key, value))
            self._log(con, [audit_entry("set_meta", key, user=user, summary=f"set {key}")])

    def write_meta_items(self, items: dict[str, str]) -> None:
        """Set settings as another store holds them (copying a store), in one transaction."""
        with self._tx() as con:
            con.executemany("INSERT OR REPLACE INTO baoyen_meta VALUES (?, ?)", list(items.items()))

    # -- accounts --

    @contextmanager
    def _account_sql(self, *, write: bool) -> Iterator[SqlTx]:
        """One transaction over the account tables (created first, for a write to a store made before them)."""
        from layers.accounts import GRANTS, SESSIONS, USERS, create_account_tables

        def has_table(con: sqlite3.Connection, name: str) -> bool:
            row = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
            return row is not None

        tables = {"users": _q(USERS), "grants": _q(GRANTS), "sessions": _q(SESSIONS)}
        with self._tx() if write else self._read() as con:
            tx = SqlTx(con, tables=tables, placeholder="?", has_table=has_table, log=self._log)
            if write and not has_table(con, USERS):
                create_account_tables(tx)
            yield tx

    # -- the audit trail --

    def _log(self, con: sqlite3.Connection, entries: list[AuditEntry]) -> None:
        """Append audit entries inside the caller's transaction (creating the trail in an older store)."""
        for ddl in _AUDIT_SCHEMA:
            con.execute(ddl)
        con.executemany(
            "INSERT INTO baoyen_audit (at, user, action, layer, version_before, version_after, summary) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(e.at, e.user, e.action, e.layer, e.version_before, e.version_after, e.summary) for e in entries],
        )

    def audit(self, *, layer: str | None = None, since: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first, of one layer, table or setting and from ``since`` (ISO, UTC)."""
        query = "SELECT at, user, action, layer, version_before, version_after, summary FROM baoyen_audit WHERE 1 = 1"
        params: list[str] = []
        if layer is not None:
            query += " AND layer = ?"
            params.append(layer)
        if since is not None:
            query += " AND at >= ?"
            params.append(since)
        with self._read() as con:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'baoyen_audit'").fetchone():
                return []  # a store made before the audit trail, not written since
            rows = con.execute(query + " ORDER BY seq", params).fetchall()
        return [_audit_row(r) for r in rows]

    def append_audit(self, entries: list[AuditEntry]) -> None:
        """Append entries exactly as another store recorded them (copying a store), in one transaction."""
        with self._tx() as con:
            self._log(con, entries)

    # -- layers --

    def layer_ids(self) -> list[str]:
        """Ids of the layers the store holds, sorted."""
        with self._read() as con:
            return [r[0] for r in con.execute("SELECT layer_id FROM baoyen_layers ORDER BY layer_id")]

    def current_version(self, layer_id: str) -> int:
        """The current version number of a layer."""
        with self._read() as con:
            return self._current(con, layer_id)[0]

    def current_versions(self) -> dict[str, int]:
        """Every layer's current version number, by layer id."""
        with self._read() as con:
            return {str(k): int(v) for k, v in con.execute("SELECT layer_id, current_version FROM baoyen_layers")}

    def _current(self, con: sqlite3.Connection, layer_id: str) -> tuple[int, str]:
        row = con.execute(
            "SELECT current_version, geometry_type FROM baoyen_layers WHERE layer_id = ?", (layer_id,)
        ).fetchone()
        if row is None:
            raise LayerNotFoundError(
                f"the store has no layer '{layer_id}'; choose one of the layers it holds",
                code="store.layer_missing",
                layer=layer_id,
            )
        return int(row[0]), str(row[1])

    def read_layer(self, layer_id: str, *, crs: object = None) -> gpd.GeoDataFrame:
        """The current version of a layer (EPSG:9208 unless ``crs`` asks for another CRS)."""
        with self._read() as con:
            version, _ = self._current(con, layer_id)
            return self._read_version(con, layer_id, version, crs=crs)

    def _read_version(self, con: sqlite3.Connection, layer_id: str, version: int, *, crs: object) -> gpd.GeoDataFrame:
        # a number SQLite cannot hold (99999999999999999999) is no version either, not an OverflowError
        in_range = isinstance(version, int) and not isinstance(version, bool) and 0 < version < 2**63
        row = (
            con.execute(
                "SELECT table_name, columns_json FROM baoyen_versions WHERE layer_id = ? AND version = ?",
                (layer_id, version),
            ).fetchone()
            if in_range
            else None
        )
        if row is None:
            raise LayerNotFoundError(
                f"layer '{layer_id}' has no version {version}; choose one of the versions in its history",
                code="store.version_missing",
                layer=layer_id,
                version=version,
            )
        table, columns_json = row
        columns: list[list[str]] = json.loads(columns_json)
        srs = con.execute("SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)).fetchone()
        names = [c for c, _ in columns]
        select = ", ".join([_q(GEOM_COLUMN), *(_q(c) for c in names)])
        rows = con.execute(f"SELECT {select} FROM {_q(table)} ORDER BY fid").fetchall()
        cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(names) + 1)]
        data = {name: _restore(list(cols[i + 1]), kind) for i, (name, kind) in enumerate(columns)}
        geoms = _from_gpb(list(cols[0]))
        frame = gpd.GeoDataFrame(
            pd.DataFrame(data, index=pd.RangeIndex(len(geoms))),
            geometry=gpd.GeoSeries(geoms, crs=f"EPSG:{srs[0]}" if srs else None, index=pd.RangeIndex(len(geoms))),
        )
        if crs is not None and len(frame.columns):
            target = get_crs(crs)
            if not target.equals(CRS.from_user_input(frame.crs)):
                frame = reproject(frame, target)
        return frame

    def write_layers(self, writes: list[LayerWrite], *, user: str) -> list[int]:
        """Store each frame as the new current version of its layer, all in one SQLite transaction.

        Frames are reprojected to the store CRS; previous versions are kept (``history``/``restore``). A
        ``base_version`` that is no longer current refuses the whole write. Nothing changes when any step fails.
        Each layer written appends its audit entry in the same transaction.
        """
        return self._write_layers(writes, user=user, action="write_layer")

    def _write_layers(self, writes: list[LayerWrite], *, user: str, action: str) -> list[int]:
        if len({w.layer_id for w in writes}) != len(writes):
            raise InputDataError("a layer can be written only once in one transaction")
        prepared = [self._prepare_write(w) for w in writes]
        versions: list[int] = []
        with self._tx() as con:
            for w, p in zip(writes, prepared, strict=True):
                frame, columns, geom_type, digest = p.frame, p.columns, p.geometry_type, p.content_hash
                row = con.execute("SELECT current_version FROM baoyen_layers WHERE layer_id = ?", (w.layer_id,))
                found = row.fetchone()
                current = 0 if found is None else int(found[0])
                if w.base_version is not None and w.base_version != current:
                    by = con.execute(
                        'SELECT "user", written_at FROM baoyen_versions WHERE layer_id = ? AND version = ?',
                        (w.layer_id, current),
                    ).fetchone()
                    raise conflict_error(w.layer_id, current, w.base_version, by)
                last = con.execute("SELECT max(version) FROM baoyen_versions WHERE layer_id = ?", (w.layer_id,))
                top = last.fetchone()[0]
                version = 1 if top is None else int(top) + 1
                if found is not None:
                    self._archive_current(con, w.layer_id, current)
                self._create_feature_table(con, w.layer_id, w.layer_id, columns, geom_type, frame, w.message, p)
                # read the new table back inside the transaction: what cannot be read is never committed
                self._check_written(con, w.layer_id, len(frame), written_wkb=p.wkb)
                con.execute(
                    "INSERT INTO baoyen_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        w.layer_id,
                        version,
                        w.layer_id,
                        _now(),
                        user,
                        w.message,
                        w.origin,
                        len(frame),
                        digest,
                        json.dumps(columns),
                    ),
                )
                con.execute("INSERT OR REPLACE INTO baoyen_layers VALUES (?, ?, ?)", (w.layer_id, version, geom_type))
                summary = layer_summary(w.message, len(frame))
                self._log(
                    con, [audit_entry(action, w.layer_id, user=user, summary=summary, before=current, after=version)]
                )
                versions.append(version)
        return versions

    def _check_written(
        self, con: sqlite3.Connection, table: str, expected: int, *, written_wkb: np.ndarray | None = None
    ) -> None:
        """Read a table just written back through the transaction; raise :class:`StoreError` unless it is sound.

        Sound means: as many rows as written, every stored geometry decodes, every coordinate is finite, and
        the extent lies on the globe; the extent recorded in ``gpkg_contents`` is finite too. Raising inside
        the transaction rolls the whole write back. ``written_wkb`` is the WKB of the geometries as they were
        checked before writing (finite, on the frame): then each stored blob must hold exactly those bytes, which
        proves all of that without decoding 100,000 geometries again (the extent is the recorded one).
        """

        def refuse(problem: str) -> StoreError:
            return StoreError(
                f"layer '{table}' was not stored: reading it back, {problem}; nothing was written",
                code="store.readback_failed",
                layer=table,
                problem=problem,
            )

        blobs = [r[0] for r in con.execute(f"SELECT {_q(GEOM_COLUMN)} FROM {_q(table)} ORDER BY fid")]
        if len(blobs) != expected:
            raise refuse(f"it holds {len(blobs)} features instead of {expected}")
        if written_wkb is not None:
            try:
                stored_wkb = _wkb_of(blobs)
            except StoreError as exc:
                raise refuse(f"a geometry is not GeoPackage binary ({exc.code})") from exc
            want = written_wkb.tolist()
            if stored_wkb != want:
                first = next(i for i, (a, b) in enumerate(zip(stored_wkb, want, strict=True)) if a != b) + 1
                raise refuse(f"the geometry of feature {first} is not the one written")
            self._check_extent(con, table, refuse)
            return
        try:
            with np.errstate(all="ignore"):
                geoms = _from_gpb(blobs)
        except (StoreError, shapely.errors.ShapelyError, ValueError) as exc:
            raise refuse(f"a geometry does not decode ({' '.join(str(exc).split())[:120]})") from exc
        stored = np.fromiter((b is not None for b in blobs), dtype=bool, count=len(blobs))
        lost = (np.flatnonzero(stored & shapely.is_missing(geoms)) + 1).tolist() if len(blobs) else []
        if lost:
            raise refuse(f"the geometry of feature(s) {_first(lost)} does not decode")
        present = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)] if len(geoms) else geoms
        if not len(present):
            return
        coords = shapely.get_coordinates(present)
        if not np.isfinite(coords).all():
            raise refuse("some coordinates are not finite numbers")
        x0, y0 = coords.min(axis=0)
        x1, y1 = coords.max(axis=0)
        self._check_extent(con, table, refuse)
        self._check_on_globe(float(x0), float(y0), float(x1), float(y1), refuse)

    def _check_extent(self, con: sqlite3.Connection, table: str, refuse: Callable[[str], StoreError]) -> None:
        """The extent recorded in ``gpkg_contents`` is finite and on the globe (none recorded: no geometry)."""
        row = con.execute(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", (table,)
        ).fetchone()
        if row is None:
            raise refuse("its recorded extent is not finite")
        if all(v is None for v in row):
            return
        if any(v is None or not np.isfinite(float(v)) for v in row):
            raise refuse("its recorded extent is not finite")
        x0, y0, x1, y1 = (float(v) for v in row)
        self._check_on_globe(x0, y0, x1, y1, refuse)

    def _check_on_globe(self, x0: float, y0: float, x1: float, y1: float, refuse: Callable[[str], StoreError]) -> None:
        if self.srs_epsg == 4326:
            lon, lat = np.array([x0, x1, x0, x1]), np.array([y0, y0, y1, y1])
        else:
            t = transformer(f"EPSG:{self.srs_epsg}", "EPSG:4326")
            with np.errstate(all="ignore"):
                lon, lat = t.transform([x0, x1, x0, x1], [y0, y0, y1, y1], errcheck=False)
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        on_globe = np.isfinite(lon).all() and np.isfinite(lat).all() and (np.abs(lon) <= 180).all()
        if not (on_globe and (np.abs(lat) <= 90).all()):
            raise refuse(f"its extent ({x0:.0f}, {y0:.0f}, {x1:.0f}, {y1:.0f}) is not on the globe")

    def _archive_current(self, con: sqlite3.Connection, layer_id: str, version: int) -> None:
        """Rename the current table ``x`` to ``x__v<N>`` so the new version can take the name."""
        old = f"{layer_id}__v{version}"
        con.execute(f"ALTER TABLE {_q(layer_id)} RENAME TO {_q(old)}")
        con.execute(
            "UPDATE gpkg_contents SET table_name = ?, identifier = ? WHERE table_name = ?",
            (old, f"{layer_id} (v{version})", layer_id),
        )
        con.execute("UPDATE gpkg_geometry_columns SET table_name = ? WHERE table_name = ?", (old, layer_id))
        con.execute(
            "UPDATE baoyen_versions SET table_name = ? WHERE layer_id = ? AND version = ?", (old, layer_id, version)
        )

    def _create_feature_table(
        self,
        con: sqlite3.Connection,
        table: str,
        layer_id: str,
        columns: list[list[str]],
        geom_type: str,
        frame: gpd.GeoDataFrame,
        description: str,
        prepared: PreparedWrite | None = None,
    ) -> None:
        defs = ", ".join(f"{_q(n)} {_SQL_TYPE[k.partition(':')[0]]}" for n, k in columns)
        con.execute(
            f"CREATE TABLE {_q(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, {_q(GEOM_COLUMN)} {geom_type}"
            + (f", {defs}" if defs else "")
            + ")"
        )
        geoms = np.asarray(frame.geometry.values, dtype=object)
        blobs = _to_gpb(geoms, self.srs_epsg, wkb=prepared.wkb if prepared is not None else None)
        values = prepared.values if prepared is not None else [_to_sql_values(frame[n], k) for n, k in columns]
        placeholders = ", ".join(["?"] * (len(columns) + 1))
        names = ", ".join([_q(GEOM_COLUMN), *(_q(n) for n, _ in columns)])
        con.executemany(
            f"INSERT INTO {_q(table)} ({names}) VALUES ({placeholders})",
            zip(blobs, *values, strict=True) if values else ((b,) for b in blobs),
        )
        present = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)] if len(geoms) else geoms
        bbox = shapely.total_bounds(present) if len(present) else [None] * 4
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, "
            "min_x, min_y, max_x, max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)",
            (table, layer_id, description, _now(), *[None if v is None else float(v) for v in bbox], self.srs_epsg),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)",
            (table, GEOM_COLUMN, geom_type, self.srs_epsg),
        )

    def history(self, layer_id: str) -> list[LayerVersion]:
        """Every version of a layer, oldest first."""
        with self._read() as con:
            current, _ = self._current(con, layer_id)
            rows = con.execute(
                "SELECT version, written_at, user, message, origin, features FROM baoyen_versions "
                "WHERE layer_id = ? ORDER BY version",
                (layer_id,),
            ).fetchall()
        return [LayerVersion(layer_id, int(v), w, u, m, o, int(f), int(v) == current) for v, w, u, m, o, f in rows]

    def restore(self, layer_id: str, version: int, *, user: str, base_version: int | None = None) -> int:
        """Copy an earlier version as the new current version (history is never rewritten)."""
        with self._read() as con:
            self._current(con, layer_id)
            frame = self._read_version(con, layer_id, version, crs=None)
            origin = con.execute(
                "SELECT origin FROM baoyen_versions WHERE layer_id = ? AND version = ?", (layer_id, version)
            ).fetchone()[0]
        write = LayerWrite(
            layer_id, frame, message=f"restored version {version}", origin=origin, base_version=base_version
        )
        return self._write_layers([write], user=user, action="restore")[0]

    def latest_origin(self, layer_id: str) -> tuple[str, str]:
        """(origin, content hash) of the current version of a layer."""
        with self._read() as con:
            version, _ = self._current(con, layer_id)
            row = con.execute(
                "SELECT origin, content_hash FROM baoyen_versions WHERE layer_id = ? AND version = ?",
                (layer_id, version),
            ).fetchone()
        return str(row[0]), str(row[1])

    # -- copying a store (services.migrate) --

    def version_records(self, layer_id: str) -> list[VersionRecord]:
        """What the store recorded of every version of a layer, oldest first."""
        with self._read() as con:
            self._current(con, layer_id)
            rows = con.execute(
                "SELECT v.version, v.written_at, v.user, v.message, v.origin, v.features, v.content_hash, "
                "g.geometry_type_name, v.columns_json FROM baoyen_versions v "
                "LEFT JOIN gpkg_geometry_columns g ON g.table_name = v.table_name "
                "WHERE v.layer_id = ? ORDER BY v.version",
                (layer_id,),
            ).fetchall()
        return [
            VersionRecord(
                layer_id,
                int(v),
                str(w),
                str(u),
                str(m),
                str(o),
                int(f),
                str(h),
                str(g or "GEOMETRY"),
                tuple((str(n), str(k)) for n, k in json.loads(c)),
            )
            for v, w, u, m, o, f, h, g, c in rows
        ]

    def read_version(self, layer_id: str, version: int, *, crs: object = None) -> gpd.GeoDataFrame:
        """One stored version of a layer, in the store CRS or reprojected to ``crs``."""
        with self._read() as con:
            self._current(con, layer_id)
            return self._read_version(con, layer_id, version, crs=crs)

    def write_version(self, record: VersionRecord, frame: gpd.GeoDataFrame) -> None:
        """Add a version as another store recorded it; it becomes the current one (one transaction)."""
        layer_id = check_layer_id(record.layer_id)
        require_crs(frame, f"layer '{layer_id}'")
        if CRS.from_user_input(frame.crs).to_epsg() != self.srs_epsg:
            frame = reproject(frame, self.srs_epsg)
        columns = [[n, k] for n, k in record.columns]
        with self._tx() as con:
            found = con.execute("SELECT current_version FROM baoyen_layers WHERE layer_id = ?", (layer_id,)).fetchone()
            top = con.execute("SELECT max(version) FROM baoyen_versions WHERE layer_id = ?", (layer_id,)).fetchone()[0]
            if top is not None and record.version <= int(top):
                raise StoreError(
                    f"layer '{layer_id}' already has version {int(top)}, so version {record.version} cannot be "
                    "added; nothing was written",
                    code="store.version_exists",
                    layer=layer_id,
                    version=record.version,
                    current=int(top),
                )
            if found is not None:
                self._archive_current(con, layer_id, int(found[0]))
            self._create_feature_table(con, layer_id, layer_id, columns, record.geometry_type, frame, record.message)
            self._check_written(con, layer_id, len(frame))
            con.execute(
                "INSERT INTO baoyen_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    layer_id,
                    record.version,
                    layer_id,
                    record.written_at,
                    record.user,
                    record.message,
                    record.origin,
                    record.features,
                    record.content_hash,
                    json.dumps(columns),
                ),
            )
            con.execute(
                "INSERT OR REPLACE INTO baoyen_layers VALUES (?, ?, ?)",
                (layer_id, record.version, record.geometry_type),
            )

    def table_records(self, name: str) -> list[TableRecord]:
        """Every recorded write of a plain table, oldest first."""
        check_layer_id(name)
        with self._read() as con:
            self._table_columns(con, name)
            rows = con.execute(
                "SELECT written_at, user, message, rows, columns_json FROM baoyen_tables WHERE name = ? ORDER BY rowid",
                (name,),
            ).fetchall()
        return [
            TableRecord(name, str(w), str(u), str(m), int(r), tuple((str(n), str(k)) for n, k in json.loads(c)))
            for w, u, m, r, c in rows
        ]

    def write_table_records(self, name: str, frame: pd.DataFrame, records: list[TableRecord]) -> None:
        """Create a plain table holding ``frame`` with the kinds and write log of ``records`` (one transaction)."""
        check_layer_id(name)
        if not records:
            raise InputDataError(f"table '{name}' comes without its write log; nothing was written")
        columns = [[n, k] for n, k in records[-1].columns]
        with self._tx() as con:
            if con.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (name,)).fetchone():
                con.execute(f"DROP TABLE {_q(name)}")
                con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
                con.execute("DELETE FROM baoyen_tables WHERE name = ?", (name,))
            defs = ", ".join(f"{_q(n)} {_SQL_TYPE[k.partition(':')[0]]}" for n, k in columns)
            con.execute(
                f"CREATE TABLE {_q(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT" + (f", {defs}" if defs else "") + ")"
            )
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                "VALUES (?, 'attributes', ?, ?, ?)",
                (name, name, records[0].message, _now()),
            )
            self._insert_rows(con, name, frame, columns)
            con.executemany(
                "INSERT INTO baoyen_tables VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (name, r.written_at, r.user, r.message, r.rows, json.dumps([[n, k] for n, k in r.columns]))
                    for r in records
                ],
            )

    def meta_items(self) -> dict[str, str]:
        """Every store-level setting, by key."""
        with self._read() as con:
            return {str(k): str(v) for k, v in con.execute("SELECT key, value FROM baoyen_meta ORDER BY key")}

    def layer_info(self) -> list[LayerInfo]:
        """Current version, feature count and geometry-quality mix of every layer."""
        out = []
        with self._read() as con:
            rows = con.execute(
                "SELECT l.layer_id, l.current_version, l.geometry_type, v.origin, v.features, v.columns_json "
                "FROM baoyen_layers l JOIN baoyen_versions v ON v.layer_id = l.layer_id "
                "AND v.version = l.current_version ORDER BY l.layer_id"
            ).fetchall()
            for layer_id, version, gtype, origin, features, columns_json in rows:
                mix: dict[str, int] = {}
                if any(c == "geom_quality" for c, _ in json.loads(columns_json)):
                    for q, n in con.execute(
                        f"SELECT geom_quality, count(*) FROM {_q(layer_id)} GROUP BY geom_quality ORDER BY 1"
                    ):
                        mix[str(q)] = int(n)
                out.append(LayerInfo(layer_id, int(version), int(features), str(gtype), str(origin), mix))
        return out

    # -- plain tables --

    def table_names(self) -> list[str]:
        """Names of the plain attribute tables."""
        with self._read() as con:
            return [
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM gpkg_contents WHERE data_type = 'attributes' ORDER BY table_name"
                )
            ]

    def _table_columns(self, con: sqlite3.Connection, name: str) -> list[list[str]]:
        row = con.execute(
            "SELECT columns_json FROM baoyen_tables WHERE name = ? ORDER BY rowid DESC LIMIT 1", (name,)
        ).fetchone()
        if row is None:
            raise LayerNotFoundError(
                f"the store has no table '{name}'; update the project store from the project data to build it",
                code="store.table_missing",
                table=name,
            )
        return [list(c) for c in json.loads(row[0])]

    def read_table(self, name: str) -> pd.DataFrame:
        """A plain attribute table, with the column types it was written with."""
        check_layer_id(name)
        with self._read() as con:
            columns = self._table_columns(con, name)
            names = [c for c, _ in columns]
            rows = (
                con.execute(f"SELECT {', '.join(_q(c) for c in names)} FROM {_q(name)} ORDER BY fid").fetchall()
                if names
                else []
            )
        cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in names]
        return pd.DataFrame(
            {n: _restore(list(cols[i]), k) for i, (n, k) in enumerate(columns)}, index=pd.RangeIndex(len(rows))
        )

    def write_table(self, name: str, frame: pd.DataFrame, *, user: str, message: str = "") -> None:
        """Replace a plain attribute table in one transaction."""
        check_layer_id(name)
        columns = self._columns_of(name, frame)
        with self._tx() as con:
            if con.execute("SELECT 1 FROM gpkg_contents WHERE table_name = ?", (name,)).fetchone():
                con.execute(f"DROP TABLE {_q(name)}")
                con.execute("DELETE FROM gpkg_contents WHERE table_name = ?", (name,))
            defs = ", ".join(f"{_q(n)} {_SQL_TYPE[k.partition(':')[0]]}" for n, k in columns)
            con.execute(
                f"CREATE TABLE {_q(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT" + (f", {defs}" if defs else "") + ")"
            )
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                "VALUES (?, 'attributes', ?, ?, ?)",
                (name, name, message, _now()),
            )
            self._insert_rows(con, name, frame, columns)
            con.execute(
                "INSERT INTO baoyen_tables VALUES (?, ?, ?, ?, ?, ?)",
                (name, _now(), user, message, len(frame), json.dumps(columns)),
            )
            summary = f"{message} ({len(frame)} row(s))" if message else f"{len(frame)} row(s)"
            self._log(con, [audit_entry("write_table", name, user=user, summary=summary)])

    def append_rows(self, name: str, frame: pd.DataFrame, *, user: str) -> None:
        """Append rows to a table in one transaction; ``user`` and ``recorded_at`` columns are stamped."""
        check_layer_id(name)
        frame = frame.copy()
        frame["user"] = user
        frame["recorded_at"] = _now()
        with self._tx() as con:
            columns = self._table_columns(con, name)
            check_known_columns(name, frame, columns)
            self._insert_rows(con, name, frame, [c for c in columns if c[0] in frame.columns])
            con.execute(
                "INSERT INTO baoyen_tables VALUES (?, ?, ?, ?, ?, ?)",
                (name, _now(), user, f"appended {len(frame)} row(s)", len(frame), json.dumps(columns)),
            )
            self._log(con, [audit_entry("append_rows", name, user=user, summary=f"appended {len(frame)} row(s)")])

    def _insert_rows(self, con: sqlite3.Connection, name: str, frame: pd.DataFrame, columns: list[list[str]]) -> None:
        if not columns or frame.empty:
            return
        values = [_to_sql_values(frame[n], k) for n, k in columns]
        con.executemany(
            f"INSERT INTO {_q(name)} ({', '.join(_q(n) for n, _ in columns)}) "
            f"VALUES ({', '.join(['?'] * len(columns))})",
            zip(*values, strict=True),
        )


def _audit_row(row: tuple[Any, ...]) -> AuditEntry:
    """An audit entry from its stored row (at, user, action, layer, version_before, version_after, summary)."""
    at, user, action, layer, before, after, summary = row
    return AuditEntry(
        str(at),
        str(user),
        str(action),
        None if layer is None else str(layer),
        None if before is None else int(before),
        None if after is None else int(after),
        str(summary),
    )


def check_known_columns(name: str, frame: pd.DataFrame, columns: list[list[str]]) -> None:
    """Refuse rows for table ``name`` with a column the table (of ``columns``, as stored) does not have."""
    known = [c for c, _ in columns]
    extra = [str(c) for c in frame.columns if c not in known]
    if extra:
        raise InputDataError(
            f"table '{name}' has no column(s) {', '.join(extra)}; known: {', '.join(known)}; nothing was written",
            code="store.unknown_columns",
            table=name,
            columns=extra,
            known=known,
        )


def _first(rows: list[int], n: int = 10) -> str:
    return ", ".join(str(r) for r in rows[:n]) + (f" and {len(rows) - n} more" if len(rows) > n else "")


def _refuse_non_finite(layer_id: str, frame: gpd.GeoDataFrame) -> None:
    """Raise :class:`InputDataError` (``store.not_finite``) for NaN or infinite coordinates or numbers.

    Checked on the frame as it will be stored (after reprojection, where a point the CRS cannot hold
    becomes infinite), so nothing non-finite reaches the store.
    """
    geoms = np.asarray(frame.geometry.values, dtype=object)
    bad: set[int] = set()
    what = "coordinates"
    if len(geoms):
        present = np.flatnonzero(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
        with np.errstate(all="ignore"):
            coords, idx = shapely.get_coordinates(geoms[present], return_index=True)
        if coords.size:
            bad.update(int(present[i]) + 1 for i in np.unique(idx[~np.isfinite(coords).all(axis=1)]))
    if not bad:
        for name in frame.columns:
            if name == frame.geometry.name or not pd.api.types.is_float_dtype(frame[name].dtype):
                continue
            values = frame[name].to_numpy(dtype=float, na_value=np.nan)
            infinite = np.flatnonzero(np.isinf(values))
            if infinite.size:
                bad.update(int(i) + 1 for i in infinite)
                what = f"field {name}"
                break
    if bad:
        rows = sorted(bad)
        raise InputDataError(
            f"layer '{layer_id}' cannot be stored: {what} of feature(s) {_first(rows)} are not finite numbers "
            "(NaN or infinite, e.g. a point its CRS cannot place); nothing was written",
            code="store.not_finite",
            layer=layer_id,
            what=what,
            features=_first(rows),
        )


def _geometry_type(frame: gpd.GeoDataFrame) -> str:
    """The GeoPackage geometry type name for a frame (GEOMETRY when mixed or empty)."""
    types = {t for t in frame.geometry.geom_type.dropna().unique() if t}
    if len(types) == 1:
        return str(types.pop()).upper()
    if types and all(t.removeprefix("Multi") == next(iter(types)).removeprefix("Multi") for t in types):
        return "MULTI" + str(next(iter(types))).removeprefix("Multi").upper()
    return "GEOMETRY"


@overload
def open_store(where: os.PathLike[str]) -> GeoPackageStore: ...
@overload
def open_store(where: object) -> Store: ...
def open_store(where: object) -> Store:
    """Open an existing store from a path, a ``postgresql://`` URL or :class:`~layers.settings.Settings`.

    A ``postgresql://`` (or ``postgres://``) URL opens the PostGIS store in that database
    (:class:`layers.postgis.PostGISStore`); anything else is the path of a GeoPackage.
    """
    where = getattr(where, "store_path", where)
    if is_store_url(where):
        from layers.postgis import PostGISStore

        return PostGISStore(str(where))
    return GeoPackageStore(Path(str(where)))


@overload
def create_store(path: os.PathLike[str], *, srs_epsg: int = WORK_EPSG) -> GeoPackageStore: ...
@overload
def create_store(path: str, *, srs_epsg: int = WORK_EPSG) -> Store: ...
def create_store(path: str | os.PathLike[str], *, srs_epsg: int = WORK_EPSG) -> Store:
    """Create an empty store at ``path`` (a new GeoPackage), or in the database of a ``postgresql://`` URL.

    In a database the store's schema is created when missing; a store already there is opened as it is.
    """
    if is_store_url(path):
        from layers.postgis import PostGISStore

        return PostGISStore(str(path), create=True, srs_epsg=srs_epsg)
    return GeoPackageStore(Path(path), create=True, srs_epsg=srs_epsg)

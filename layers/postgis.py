"""The project store in a PostGIS database, behind the same :class:`~layers.store.Store` interface.

An office shares one store in a PostgreSQL database with PostGIS: ``open_store("postgresql://…")`` (or
``BAOYEN_STORE`` set to that URL) opens it. The semantics are the GeoPackage store's, to the dtypes: the same
column kinds (``_kind``, ``_to_sql_values``, ``_restore`` and ``content_hash`` are the GeoPackage module's own),
the same checks of a frame before writing, the same versions, history, restore and conflict refusal.

Layout, in the store's schema (``baoyen``; a URL may choose another with ``?schema=NAME``, which is taken out of
the URL before it is given to PostgreSQL):

- every version of layer ``x`` is its own table ``x__v<N>``, written once and never changed (a new version is a
  new table, as the GeoPackage keeps ``x__v<N>``); the view ``x`` shows the current version, so QGIS lists the
  layers under their ids. Geometries are in a ``geometry(Geometry, 9208)`` column ``geom`` with a GiST index;
- ``baoyen_versions`` (who, when, why, origin, features, content hash, column kinds of every version),
  ``baoyen_layers`` (the current version), ``baoyen_tables`` (every write of a plain table), ``baoyen_meta``
  (settings) and ``baoyen_store`` (the store's CRS and format) are tables of the schema;
- plain attribute tables are tables of the schema, under their names.

Geometries travel as WKB (shapely), coordinates already in the store CRS: reprojection is pyproj's, through
geopandas, exactly as for the GeoPackage — never ``ST_Transform``, whose PROJ and EPSG tables are the server's.
Debian's PostGIS 3.3 has no EPSG:9208 row in ``spatial_ref_sys``; creating a store inserts it from pyproj.

Transactions: a read is one REPEATABLE READ, READ ONLY transaction (one snapshot, also for a layer read from
several tables); a write is one transaction that first takes the store's write lock (``LOCK baoyen_layers IN
EXCLUSIVE MODE``, which readers pass), so writers queue as they do on a GeoPackage and a killed write leaves the
previous state. Only ids that pass :func:`~layers.store.check_layer_id` reach SQL, always quoted as identifiers;
values are always parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import time
import urllib.parse
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import psycopg.errors
import shapely
from psycopg import sql
from pyproj import CRS, Proj

from geo.crs import WORK_EPSG, get_crs, reproject, require_crs
from geo.errors import InputDataError, LayerNotFoundError, StoreError
from layers.store import (
    GEOM_COLUMN,
    LOCK_TIMEOUT_S,
    SYSTEM_USER,
    AuditEntry,
    LayerInfo,
    LayerVersion,
    LayerWrite,
    SqlTx,
    Store,
    TableRecord,
    VersionRecord,
    _audit_row,
    _first,
    _now,
    _restore,
    _to_sql_values,
    audit_entry,
    check_known_columns,
    check_layer_id,
    conflict_error,
    layer_summary,
)

#: the schema a store lives in unless its URL says ``?schema=NAME``
DEFAULT_SCHEMA = "baoyen"
#: bump when the layout changes
STORE_FORMAT = 1
_SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}\Z")
#: PostgreSQL's own column names: no field of a layer or table may take one
SYSTEM_COLUMNS = frozenset({"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"})
_PG_TYPE = {
    "bool": "boolean",
    "int": "bigint",
    "float": "double precision",
    "date": "date",
    "datetime": "text",  # ISO text, as in the GeoPackage: the exact dtype (unit, zone) is restored on reading
    "json": "text",
    "str": "text",
}
#: a connection kept for a thread is checked before reuse when it has been idle this long (seconds)
IDLE_CHECK_S = 30.0
#: PostgreSQL cuts identifiers longer than this (bytes)
MAX_IDENTIFIER = 63
# the audit trail, append-only: a trigger raises on every UPDATE, DELETE and TRUNCATE of it ({s} is the schema)
_AUDIT_DDL: tuple[str, ...] = (
    "CREATE TABLE {s}.baoyen_audit (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at text NOT NULL, "
    '"user" text NOT NULL, action text NOT NULL, layer text, version_before bigint, version_after bigint, '
    "summary text NOT NULL)",
    "CREATE FUNCTION {s}.baoyen_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'the audit trail of the store is append-only: % refused', TG_OP; END $$",
    "CREATE TRIGGER baoyen_audit_append_only BEFORE UPDATE OR DELETE ON {s}.baoyen_audit FOR EACH ROW "
    "EXECUTE FUNCTION {s}.baoyen_audit_append_only()",
    "CREATE TRIGGER baoyen_audit_no_truncate BEFORE TRUNCATE ON {s}.baoyen_audit FOR EACH STATEMENT "
    "EXECUTE FUNCTION {s}.baoyen_audit_append_only()",
)


def split_store_url(url: str) -> tuple[str, str, str]:
    """Split a store URL into (the URL for PostgreSQL, the store's schema, the URL to show people).

    ``schema=NAME`` is the store's own parameter and is taken out of the query (PostgreSQL would refuse it);
    the URL shown has no password, neither in the user part nor as a ``password`` parameter.
    """
    parts = urllib.parse.urlsplit(url)
    schema = DEFAULT_SCHEMA
    kept: list[str] = []
    shown_query: list[str] = []
    for item in parts.query.split("&") if parts.query else []:
        key = urllib.parse.unquote(item.partition("=")[0])
        if key == "schema":
            schema = urllib.parse.unquote(item.partition("=")[2])
            shown_query.append(item)
            continue
        kept.append(item)
        if key != "password":
            shown_query.append(item)
    netloc = parts.netloc
    if "@" in netloc:
        user, _, hosts = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}@{hosts}"
    conninfo = urllib.parse.urlunsplit(parts._replace(query="&".join(kept), fragment=""))
    shown = urllib.parse.urlunsplit(parts._replace(netloc=netloc, query="&".join(shown_query), fragment=""))
    return conninfo, schema, shown


def version_table(layer_id: str, version: int) -> str:
    """The table of one version: ``<layer>__v<N>``, shortened with a digest where PostgreSQL would cut it."""
    suffix = f"__v{version}"
    name = layer_id + suffix
    if len(name) <= MAX_IDENTIFIER:
        return name
    digest = hashlib.sha256(layer_id.encode()).hexdigest()[:8]
    return f"{layer_id[: MAX_IDENTIFIER - len(suffix) - 9]}_{digest}{suffix}"


def _close_all(connections: list[psycopg.Connection[Any]]) -> None:
    for con in connections:
        con.close()
    connections.clear()


def _to_ewkb(geoms: np.ndarray, srid: int) -> list[str | None]:
    """Hex EWKB (2D, with the SRID) of shapely geometries, as COPY gives it to a ``geometry`` column."""
    out: list[str | None] = [None] * len(geoms)
    present = np.flatnonzero(~shapely.is_missing(geoms)) if len(geoms) else np.array([], dtype=int)
    if len(present):
        hexes = shapely.to_wkb(shapely.set_srid(geoms[present], srid), hex=True, output_dimension=2, include_srid=True)
        for i, h in zip(present, hexes, strict=True):
            out[int(i)] = str(h)
    return out


def _refuse_unstorable(
    what: str, frame: pd.DataFrame, columns: list[list[str]], values: list[list[Any]] | None = None
) -> None:
    """Refuse what PostgreSQL cannot hold and SQLite can: a system column name, a NUL character in text.

    ``values`` are the columns' stored values when the caller converted them already (:func:`prepare_rows`).
    """
    for k, (name, kind) in enumerate(columns):
        if name in SYSTEM_COLUMNS:
            raise InputDataError(
                f"'{what}' has a field named {name}, which PostgreSQL keeps for its own (tableoid, xmin, cmin, "
                "xmax, cmax, ctid); rename the field",
                code="store.pg_reserved_field",
                layer=what,
                field=name,
            )
        if kind.partition(":")[0] not in ("str", "json"):
            continue
        stored = values[k] if values is not None else _to_sql_values(frame[name], kind)
        rows = [i + 1 for i, v in enumerate(stored) if v is not None and "\x00" in v]
        if rows:
            raise InputDataError(
                f"'{what}' cannot be stored in the PostGIS store: field {name} of row(s) {_first(rows)} holds a NUL "
                "character, which PostgreSQL text cannot hold; remove it from the data; nothing was written",
                code="store.nul_text",
                layer=what,
                field=name,
                rows=_first(rows),
            )


class PostGISStore(Store):
    """A :class:`~layers.store.Store` in a schema of a PostgreSQL database with PostGIS.

    Parameters
    ----------
    url
        ``postgresql://user@host:port/database`` (``postgres://`` too), optionally with ``?schema=NAME`` (default
        ``baoyen``). The password is best kept out of the URL, in ``PGPASSWORD`` or ``~/.pgpass``, which
        PostgreSQL's client library reads; messages never show it.
    create
        Create the store (its schema and tables) when the schema holds none; a store already there is opened.
    srs_epsg
        The CRS layers are kept in, for a store being created (an existing store keeps its own).
    """

    def __init__(self, url: str, *, create: bool = False, srs_epsg: int = WORK_EPSG) -> None:
        conninfo, schema, self._shown = split_store_url(url)
        if not _SCHEMA_NAME.fullmatch(schema) or schema in ("public", "information_schema") or schema[:3] == "pg_":
            raise InputDataError(
                f"{schema!r} cannot name the store's schema; use lower-case letters, digits and _ starting with a "
                "letter (not public, information_schema or pg_…)",
                code="store.pg_bad_schema",
                schema=repr(schema),
            )
        self.schema = schema
        try:
            params = psycopg.conninfo.conninfo_to_dict(conninfo)
        except psycopg.Error as exc:
            detail = " ".join(str(exc).split())
            raise StoreError(
                f"{self._shown} is not a PostgreSQL URL that can be read ({detail}); write it as "
                "postgresql://user@host:port/database",
                code="store.pg_bad_url",
                path=self._shown,
                detail=detail,
            ) from exc
        params.setdefault("connect_timeout", "10")
        params.setdefault("application_name", "baoyen")
        self._params: dict[str, Any] = params
        self.srs_epsg = srs_epsg
        #: True when this call created the store's tables
        self.created = False
        self._local = threading.local()
        self._connections: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _close_all, self._connections)
        self._open(create=create, srs_epsg=srs_epsg)

    def __repr__(self) -> str:
        return f"PostGISStore({self._shown!r})"

    @property
    def location(self) -> str:
        """The store's URL without its password."""
        return self._shown

    def close(self) -> None:
        """Close the store's connections (also done when the store is garbage collected)."""
        with self._lock:
            _close_all(self._connections)

    # -- connections and transactions --

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            return psycopg.connect(**self._params, autocommit=True, prepare_threshold=None)
        except psycopg.Error as exc:
            detail = " ".join(str(exc).split())
            raise StoreError(
                f"cannot connect to the PostGIS store {self._shown} ({detail}); check that the database server runs "
                "and that the URL's host, port, database, user and password are right",
                code="store.pg_connect",
                path=self._shown,
                detail=detail,
            ) from exc

    def _connection(self) -> psycopg.Connection[Any]:
        """The connection of this thread: kept between calls, checked after a while idle, replaced when broken."""
        con: psycopg.Connection[Any] | None = getattr(self._local, "con", None)
        now = time.monotonic()
        if con is not None and not con.closed and not con.broken:
            if now - getattr(self._local, "used", now) < IDLE_CHECK_S:
                self._local.used = now
                return con
            try:
                con.execute("SELECT 1")
                self._local.used = now
                return con
            except psycopg.Error:
                pass  # the server closed it meanwhile: take a new one
        if con is not None:
            con.close()
            with self._lock:
                if con in self._connections:
                    self._connections.remove(con)
        con = self._connect()
        with self._lock:
            self._connections.append(con)
        self._local.con, self._local.used = con, now
        return con

    def _error(self, exc: psycopg.Error, *, writing: bool) -> StoreError:
        """The store's error for a database error, by its kind: a lock, a right, the disk, else read/write."""
        path, detail = self._shown, " ".join(str(exc).split())[:400]
        unchanged = "; nothing was changed" if writing else ""
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            return StoreError(
                f"the store {path} is in use: another program kept it locked for more than {LOCK_TIMEOUT_S:g} s"
                f"{unchanged}; try again in a moment",
                code="store.locked",
                path=path,
                seconds=int(LOCK_TIMEOUT_S),
            )
        if isinstance(exc, (psycopg.errors.InsufficientPrivilege, psycopg.errors.ReadOnlySqlTransaction)):
            return StoreError(
                f"the database of the store {path} refused the request ({detail}); nothing was changed — its "
                f"administrator can give this user the rights it needs on schema {self.schema}",
                code="store.pg_denied",
                path=path,
                schema=self.schema,
                detail=detail,
            )
        if isinstance(exc, psycopg.errors.DiskFull):
            return StoreError(
                f"the disk holding the store {path} is full{unchanged}; free some space on it and try again",
                code="store.disk_full",
                path=path,
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
    def _read(self) -> Iterator[psycopg.Connection[Any]]:
        """One REPEATABLE READ, READ ONLY transaction: everything read inside sees one snapshot."""
        batch: psycopg.Connection[Any] | None = getattr(self._local, "batch", None)
        if batch is not None:
            yield batch
            return
        con = self._connection()
        try:
            con.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            con.read_only = True
            with con.transaction():
                yield con
        except psycopg.Error as exc:
            raise self._error(exc, writing=False) from exc

    @contextmanager
    def _write(self, *, lock: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction (committed at the end, rolled back on any exception), holding the write lock."""
        batch: psycopg.Connection[Any] | None = getattr(self._local, "batch", None)
        if batch is not None:
            yield batch
            return
        con = self._connection()
        try:
            con.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
            con.read_only = False
            with con.transaction():
                if lock:
                    self._lock_for_writing(con)
                yield con
        except psycopg.Error as exc:
            raise self._error(exc, writing=True) from exc

    def _lock_for_writing(self, con: psycopg.Connection[Any]) -> None:
        # writers queue on this lock (readers pass it); waiting longer than a GeoPackage write would is refused
        con.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{int(LOCK_TIMEOUT_S * 1000)}ms")))
        con.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(self._t("baoyen_layers")))

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every read and write of this thread inside the block is one transaction (all or nothing).

        The write lock is taken at the start, so what the block reads stays true until it commits (a build
        or a copy decides from what it reads).
        """
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        with self._write() as con:
            self._local.batch = con
            try:
                yield
            finally:
                self._local.batch = None

    def _t(self, name: str) -> sql.Identifier:
        """A table of the store's schema, quoted."""
        return sql.Identifier(self.schema, name)

    # -- opening and creating --

    def _relations(self, con: psycopg.Connection[Any]) -> set[str]:
        rows = con.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            (self.schema,),
        ).fetchall()
        return {str(r[0]) for r in rows}

    def _schema_in_use(self) -> StoreError:
        return StoreError(
            f"schema {self.schema} of {self._shown} holds tables that are not a project store of this application; "
            "choose another schema (schema=NAME in the URL)",
            code="store.pg_schema_in_use",
            path=self._shown,
            schema=self.schema,
        )

    def _open(self, *, create: bool, srs_epsg: int) -> None:
        with self._read() as con:
            if con.execute("SELECT to_regtype('geometry')").fetchone() == (None,):
                raise StoreError(
                    f"the database of {self._shown} has no PostGIS; its administrator must enable it once "
                    "(CREATE EXTENSION postgis)",
                    code="store.pg_no_postgis",
                    path=self._shown,
                )
            relations = self._relations(con)
            srs = self._store_srs(con) if "baoyen_store" in relations else None
        if srs is not None:
            self.srs_epsg = srs
            return
        if not create:
            if relations:
                raise self._schema_in_use()
            raise StoreError(
                f"no project store at {self._shown}; build the project store first or choose another store path",
                code="store.missing",
                path=self._shown,
            )
        self._create(srs_epsg)

    def _store_srs(self, con: psycopg.Connection[Any]) -> int:
        row = con.execute(sql.SQL("SELECT srs_epsg FROM {}").format(self._t("baoyen_store"))).fetchone()
        return WORK_EPSG if row is None else int(row[0])

    def _create(self, srs_epsg: int) -> None:
        """Lay down the schema, the store's tables and the CRS rows, in one transaction."""
        with self._write(lock=False) as con:
            # two programs creating the same store at once: the second waits, then finds it made
            con.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"baoyen store {self.schema}",))
            if con.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)).fetchone() is None:
                con.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
            relations = self._relations(con)
            if "baoyen_store" in relations:
                self.srs_epsg = self._store_srs(con)
                return
            if relations:
                raise self._schema_in_use()
            s = sql.Identifier(self.schema)
            for ddl in (
                "CREATE TABLE {s}.baoyen_store (format integer NOT NULL, srs_epsg integer NOT NULL, "
                "created_at text NOT NULL)",
                "CREATE TABLE {s}.baoyen_layers (layer_id text PRIMARY KEY, current_version bigint NOT NULL, "
                "geometry_type text NOT NULL)",
                "CREATE TABLE {s}.baoyen_versions (layer_id text NOT NULL, version bigint NOT NULL, table_name text "
                'NOT NULL, written_at text NOT NULL, "user" text NOT NULL, message text NOT NULL, origin text NOT '
                "NULL, features bigint NOT NULL, content_hash text NOT NULL, columns_json text NOT NULL, "
                "geometry_type text NOT NULL, PRIMARY KEY (layer_id, version))",
                "CREATE TABLE {s}.baoyen_tables (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT "
                'NULL, written_at text NOT NULL, "user" text NOT NULL, message text NOT NULL, rows bigint NOT NULL, '
                "columns_json text NOT NULL)",
                "CREATE TABLE {s}.baoyen_meta (key text PRIMARY KEY, value text NOT NULL)",
                *_AUDIT_DDL,
            ):
                con.execute(sql.SQL(ddl).format(s=s))
            con.execute(
                sql.SQL("INSERT INTO {} VALUES (%s, %s, %s)").format(self._t("baoyen_store")),
                (STORE_FORMAT, srs_epsg, _now()),
            )
            for epsg in dict.fromkeys((4326, srs_epsg)):
                self._ensure_srs(con, epsg)
        self.srs_epsg = srs_epsg
        self.created = True

    def _ensure_srs(self, con: psycopg.Connection[Any], epsg: int) -> None:
        """Add the CRS to ``spatial_ref_sys`` from pyproj when PostGIS lacks it (Debian's 3.3 lacks EPSG:9208)."""
        if con.execute("SELECT 1 FROM spatial_ref_sys WHERE srid = %s", (epsg,)).fetchone():
            return
        crs = CRS.from_epsg(epsg)
        # the PROJ string is stored for old readers only (the WKT is complete); Proj.srs gives it without the
        # lossy-conversion warning of CRS.to_proj4
        proj4 = Proj(crs).srs
        try:
            with con.transaction():  # a savepoint: the refusal is reported as ours, not as an aborted transaction
                con.execute(
                    "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                    "VALUES (%s, 'EPSG', %s, %s, %s)",
                    (epsg, epsg, crs.to_wkt(), proj4),
                )
        except psycopg.errors.InsufficientPrivilege as exc:
            detail = " ".join(str(exc).split())
            raise StoreError(
                f"the database of {self._shown} has no definition of EPSG:{epsg} and this user may not add it "
                f"({detail}); its administrator can allow adding rows to spatial_ref_sys, or create the store once",
                code="store.pg_no_srs",
                path=self._shown,
                epsg=epsg,
                detail=detail,
            ) from exc

    # -- meta --

    def get_meta(self, key: str) -> str | None:
        """A store-level setting, or None."""
        with self._read() as con:
            row = con.execute(
                sql.SQL("SELECT value FROM {} WHERE key = %s").format(self._t("baoyen_meta")), (key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str, *, user: str = SYSTEM_USER) -> None:
        """Set a store-level setting (one transaction, with its audit entry)."""
        with self._write() as con:
            self._put_meta(con, key, value)
            self._log(con, [audit_entry("set_meta", key, user=user, summary=f"set {key}")])

    def _put_meta(self, con: psycopg.Connection[Any], key: str, value: str) -> None:
        con.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value").format(
                self._t("baoyen_meta")
            ),
            (key, value),
        )

    def write_meta_items(self, items: dict[str, str]) -> None:
        """Set settings as another store holds them (copying a store), in one transaction."""
        with self._write() as con:
            for key, value in items.items():
                self._put_meta(con, key, value)

    # -- accounts --

    @contextmanager
    def _account_sql(self, *, write: bool) -> Iterator[SqlTx]:
        """One transaction over the account tables (created first, under the store's lock, when missing).

        Account writes (a sign-in, a new session) do not take the layers' write lock, so a sign-in never waits for
        an import to finish; only laying the tables down does, once.
        """
        from layers.accounts import GRANTS, SESSIONS, USERS, create_account_tables

        def has_table(con: psycopg.Connection[Any], name: str) -> bool:
            row = con.execute("SELECT to_regclass(%s)", (f"{self.schema}.{name}",)).fetchone()
            return row is not None and row[0] is not None

        def quoted(name: str) -> str:
            return f'"{self.schema}"."{name}"'  # the schema name is checked on opening: [a-z][a-z0-9_]*

        tables = {"users": quoted(USERS), "grants": quoted(GRANTS), "sessions": quoted(SESSIONS)}
        if write and not getattr(self, "_accounts_ready", False):
            with self._write(lock=True) as con:
                tx = SqlTx(con, tables=tables, placeholder="%s", has_table=has_table, log=self._log)
                if not has_table(con, USERS):
                    create_account_tables(tx)
            self._accounts_ready = True
        with self._write(lock=False) if write else self._read() as con:
            yield SqlTx(con, tables=tables, placeholder="%s", has_table=has_table, log=self._log)

    # -- the audit trail --

    def _has_audit(self, con: psycopg.Connection[Any]) -> bool:
        row = con.execute("SELECT to_regclass(%s)", (f"{self.schema}.baoyen_audit",)).fetchone()
        return row is not None and row[0] is not None

    def _log(self, con: psycopg.Connection[Any], entries: list[AuditEntry]) -> None:
        """Append audit entries inside the caller's transaction (creating the trail in an older store)."""
        if not self._has_audit(con):
            for ddl in _AUDIT_DDL:
                con.execute(sql.SQL(ddl).format(s=sql.Identifier(self.schema)))
        if not entries:
            return
        with con.cursor() as cur:
            cur.executemany(
                sql.SQL(
                    'INSERT INTO {} (at, "user", action, layer, version_before, version_after, summary) '
                    "VALUES (%s, %s, %s, %s, %s, %s, %s)"
                ).format(self._t("baoyen_audit")),
                [(e.at, e.user, e.action, e.layer, e.version_before, e.version_after, e.summary) for e in entries],
            )

    def audit(self, *, layer: str | None = None, since: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first, of one layer, table or setting and from ``since`` (ISO, UTC)."""
        where: list[sql.Composable] = [sql.SQL("TRUE")]
        params: list[str] = []
        if layer is not None:
            where.append(sql.SQL("layer = %s"))
            params.append(layer)
        if since is not None:
            where.append(sql.SQL("at >= %s"))
            params.append(since)
        query = sql.SQL(
            'SELECT at, "user", action, layer, version_before, version_after, summary FROM {} WHERE {} ORDER BY seq'
        ).format(self._t("baoyen_audit"), sql.SQL(" AND ").join(where))
        with self._read() as con:
            if not self._has_audit(con):
                return []  # a store made before the audit trail, not written since
            rows = con.execute(query, params).fetchall()
        return [_audit_row(r) for r in rows]

    def append_audit(self, entries: list[AuditEntry]) -> None:
        """Append entries exactly as another store recorded them (copying a store), in one transaction."""
        with self._write() as con:
            self._log(con, entries)

    def meta_items(self) -> dict[str, str]:
        """Every store-level setting, by key."""
        with self._read() as con:
            rows = con.execute(sql.SQL("SELECT key, value FROM {}").format(self._t("baoyen_meta"))).fetchall()
        return {str(k): str(v) for k, v in sorted(rows)}

    # -- layers --

    def layer_ids(self) -> list[str]:
        """Ids of the layers the store holds, sorted."""
        with self._read() as con:
            rows = con.execute(sql.SQL("SELECT layer_id FROM {}").format(self._t("baoyen_layers"))).fetchall()
        return sorted(str(r[0]) for r in rows)

    def current_version(self, layer_id: str) -> int:
        """The current version number of a layer."""
        with self._read() as con:
            return self._current(con, layer_id)[0]

    def current_versions(self) -> dict[str, int]:
        """Every layer's current version number, by layer id."""
        with self._read() as con:
            query = sql.SQL("SELECT layer_id, current_version FROM {}").format(self._t("baoyen_layers"))
            return {str(k): int(v) for k, v in con.execute(query).fetchall()}

    def _current(self, con: psycopg.Connection[Any], layer_id: str) -> tuple[int, str]:
        row = con.execute(
            sql.SQL("SELECT current_version, geometry_type FROM {} WHERE layer_id = %s").format(
                self._t("baoyen_layers")
            ),
            (layer_id,),
        ).fetchone()
        if row is None:
            raise LayerNotFoundError(
                f"the store has no layer '{layer_id}'; choose one of the layers it holds",
                code="store.layer_missing",
                layer=layer_id,
            )
        return int(row[0]), str(row[1])

    def read_layer(self, layer_id: str, *, crs: object = None) -> gpd.GeoDataFrame:
        """The current version of a layer (EPSG:9208 unless ``crs`` asks for another CRS), from one snapshot."""
        with self._read() as con:
            version, _ = self._current(con, layer_id)
            return self._read_version(con, layer_id, version, crs=crs)

    def read_version(self, layer_id: str, version: int, *, crs: object = None) -> gpd.GeoDataFrame:
        """One stored version of a layer, in the store CRS or reprojected to ``crs``."""
        with self._read() as con:
            self._current(con, layer_id)
            return self._read_version(con, layer_id, version, crs=crs)

    def _read_version(
        self, con: psycopg.Connection[Any], layer_id: str, version: int, *, crs: object
    ) -> gpd.GeoDataFrame:
        in_range = isinstance(version, int) and not isinstance(version, bool) and 0 < version < 2**63
        row = (
            con.execute(
                sql.SQL("SELECT table_name, columns_json FROM {} WHERE layer_id = %s AND version = %s").format(
                    self._t("baoyen_versions")
                ),
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
        table, columns_json = str(row[0]), str(row[1])
        columns: list[list[str]] = json.loads(columns_json)
        rows = self._select(con, table, columns, geometry=True)
        cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(columns) + 1)]
        data = {name: _restore(_loaded(cols[i + 1], kind), kind) for i, (name, kind) in enumerate(columns)}
        geoms = shapely.from_wkb(np.array([None if b is None else bytes(b) for b in cols[0]], dtype=object))
        index = pd.RangeIndex(len(geoms))
        frame = gpd.GeoDataFrame(
            pd.DataFrame(data, index=index),
            geometry=gpd.GeoSeries(geoms, crs=f"EPSG:{self.srs_epsg}", index=index),
        )
        if crs is not None and len(frame.columns):
            target = get_crs(crs)
            if not target.equals(CRS.from_user_input(frame.crs)):
                frame = reproject(frame, target)
        return frame

    def _select(
        self, con: psycopg.Connection[Any], table: str, columns: list[list[str]], *, geometry: bool
    ) -> list[tuple[Any, ...]]:
        fields: list[sql.Composable] = [sql.Identifier(n) for n, _ in columns]
        if geometry:
            fields.insert(0, sql.SQL("ST_AsBinary({})").format(sql.Identifier(GEOM_COLUMN)))
        if not fields:
            return []
        query = sql.SQL("SELECT {} FROM {} ORDER BY fid").format(sql.SQL(", ").join(fields), self._t(table))
        return con.execute(query).fetchall()

    def write_layers(self, writes: list[LayerWrite], *, user: str) -> list[int]:
        """Store each frame as the new current version of its layer, all in one transaction.

        Frames are reprojected to the store CRS (pyproj); previous versions are kept (``history``/``restore``).
        A ``base_version`` that is no longer current refuses the whole write. Nothing changes when any step fails.
        Each layer written appends its audit entry in the same transaction.
        """
        return self._write_layers(writes, user=user, action="write_layer")

    def _write_layers(self, writes: list[LayerWrite], *, user: str, action: str) -> list[int]:
        if len({w.layer_id for w in writes}) != len(writes):
            raise InputDataError("a layer can be written only once in one transaction")
        # the checks and conversion every backend shares (Store._prepare_write): both refuse the same frames
        prepared = [self._prepare_write(w) for w in writes]
        for w, p in zip(writes, prepared, strict=True):
            _refuse_unstorable(w.layer_id, p.frame, p.columns, p.values)
        versions: list[int] = []
        with self._write() as con:
            for w, p in zip(writes, prepared, strict=True):
                frame, columns, geom_type, digest = p.frame, p.columns, p.geometry_type, p.content_hash
                found = self._current_or_none(con, w.layer_id)
                current = 0 if found is None else found
                if w.base_version is not None and w.base_version != current:
                    by = con.execute(
                        sql.SQL('SELECT "user", written_at FROM {} WHERE layer_id = %s AND version = %s').format(
                            self._t("baoyen_versions")
                        ),
                        (w.layer_id, current),
                    ).fetchone()
                    raise conflict_error(w.layer_id, current, w.base_version, by)
                top = self._top_version(con, w.layer_id)
                version = 1 if top is None else top + 1
                self._insert_version(
                    con,
                    VersionRecord(
                        w.layer_id,
                        version,
                        _now(),
                        user,
                        w.message,
                        w.origin,
                        len(frame),
                        digest,
                        geom_type,
                        tuple((n, k) for n, k in columns),
                    ),
                    frame,
                    p.values,
                )
                summary = layer_summary(w.message, len(frame))
                self._log(
                    con, [audit_entry(action, w.layer_id, user=user, summary=summary, before=current, after=version)]
                )
                versions.append(version)
        return versions

    def _current_or_none(self, con: psycopg.Connection[Any], layer_id: str) -> int | None:
        row = con.execute(
            sql.SQL("SELECT current_version FROM {} WHERE layer_id = %s").format(self._t("baoyen_layers")),
            (layer_id,),
        ).fetchone()
        return None if row is None else int(row[0])

    def _top_version(self, con: psycopg.Connection[Any], layer_id: str) -> int | None:
        row = con.execute(
            sql.SQL("SELECT max(version) FROM {} WHERE layer_id = %s").format(self._t("baoyen_versions")),
            (layer_id,),
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def _insert_version(
        self,
        con: psycopg.Connection[Any],
        record: VersionRecord,
        frame: gpd.GeoDataFrame,
        values: list[list[Any]] | None = None,
    ) -> None:
        """Write one version's table, record it and make it current (inside the caller's transaction).

        ``values`` are the fields' stored values when the caller converted them already.
        """
        layer_id = record.layer_id
        table = version_table(layer_id, record.version)
        columns = [[n, k] for n, k in record.columns]
        defs = [
            sql.SQL(", {} {}").format(sql.Identifier(n), sql.SQL(_PG_TYPE[k.partition(":")[0]])) for n, k in columns
        ]
        con.execute(
            sql.SQL(
                "CREATE TABLE {} (fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, {} geometry(Geometry, {}){})"
            ).format(self._t(table), sql.Identifier(GEOM_COLUMN), sql.Literal(self.srs_epsg), sql.Composed(defs))
        )
        geoms = np.asarray(frame.geometry.values, dtype=object)
        names = [GEOM_COLUMN, *(n for n, _ in columns)]
        self._copy_rows(con, table, names, [_to_ewkb(geoms, self.srs_epsg)], frame, columns, values)
        con.execute(sql.SQL("CREATE INDEX ON {} USING gist ({})").format(self._t(table), sql.Identifier(GEOM_COLUMN)))
        # read the new table back inside the transaction: what is not all there is never committed
        stored = con.execute(sql.SQL("SELECT count(*) FROM {}").format(self._t(table))).fetchone()
        if stored is None or int(stored[0]) != len(frame):
            problem = f"it holds {0 if stored is None else int(stored[0])} features instead of {len(frame)}"
            raise StoreError(
                f"layer '{layer_id}' was not stored: reading it back, {problem}; nothing was written",
                code="store.readback_failed",
                layer=layer_id,
                problem=problem,
            )
        con.execute(
            sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)").format(
                self._t("baoyen_versions")
            ),
            (
                layer_id,
                record.version,
                table,
                record.written_at,
                record.user,
                record.message,
                record.origin,
                record.features,
                record.content_hash,
                json.dumps(columns),
                record.geometry_type,
            ),
        )
        con.execute(
            sql.SQL(
                "INSERT INTO {} VALUES (%s, %s, %s) ON CONFLICT (layer_id) DO UPDATE "
                "SET current_version = EXCLUDED.current_version, geometry_type = EXCLUDED.geometry_type"
            ).format(self._t("baoyen_layers")),
            (layer_id, record.version, record.geometry_type),
        )
        # the view under the layer's own name shows the current version (what QGIS lists)
        con.execute(sql.SQL("DROP VIEW IF EXISTS {}").format(self._t(layer_id)))
        con.execute(sql.SQL("CREATE VIEW {} AS SELECT * FROM {}").format(self._t(layer_id), self._t(table)))

    def _copy_rows(
        self,
        con: psycopg.Connection[Any],
        table: str,
        names: list[str],
        leading: list[list[Any]],
        frame: pd.DataFrame,
        columns: list[list[str]],
        converted: list[list[Any]] | None = None,
    ) -> None:
        """COPY the rows of ``frame`` (``leading`` value lists first, e.g. the geometries) into ``table``.

        ``converted`` are the columns' stored values when the caller has them already.
        """
        fields = converted if converted is not None else [_to_sql_values(frame[n], k) for n, k in columns]
        values = [*leading, *fields]
        if not names or not values or not len(values[0]):
            return
        query = sql.SQL("COPY {} ({}) FROM STDIN").format(
            self._t(table), sql.SQL(", ").join(sql.Identifier(n) for n in names)
        )
        with con.cursor() as cur, cur.copy(query) as copy:
            for row in zip(*values, strict=True):
                copy.write_row(row)

    def version_records(self, layer_id: str) -> list[VersionRecord]:
        """What the store recorded of every version of a layer, oldest first."""
        with self._read() as con:
            self._current(con, layer_id)
            rows = con.execute(
                sql.SQL(
                    'SELECT v.version, v.written_at, v."user", v.message, v.origin, v.features, v.content_hash, '
                    "v.geometry_type, v.columns_json FROM {} v WHERE v.layer_id = %s ORDER BY v.version"
                ).format(self._t("baoyen_versions")),
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
                str(g),
                tuple((str(n), str(k)) for n, k in json.loads(c)),
            )
            for v, w, u, m, o, f, h, g, c in rows
        ]

    def write_version(self, record: VersionRecord, frame: gpd.GeoDataFrame) -> None:
        """Add a version as another store recorded it; it becomes the current one (one transaction)."""
        layer_id = check_layer_id(record.layer_id)
        require_crs(frame, f"layer '{layer_id}'")
        if CRS.from_user_input(frame.crs).to_epsg() != self.srs_epsg:
            frame = reproject(frame, self.srs_epsg)
        _refuse_unstorable(layer_id, frame, [[n, k] for n, k in record.columns])
        with self._write() as con:
            top = self._top_version(con, layer_id)
            if top is not None and record.version <= top:
                raise StoreError(
                    f"layer '{layer_id}' already has version {top}, so version {record.version} cannot be added; "
                    "nothing was written",
                    code="store.version_exists",
                    layer=layer_id,
                    version=record.version,
                    current=top,
                )
            self._insert_version(con, record, frame)

    def history(self, layer_id: str) -> list[LayerVersion]:
        """Every version of a layer, oldest first."""
        with self._read() as con:
            current, _ = self._current(con, layer_id)
            rows = con.execute(
                sql.SQL(
                    'SELECT version, written_at, "user", message, origin, features FROM {} '
                    "WHERE layer_id = %s ORDER BY version"
                ).format(self._t("baoyen_versions")),
                (layer_id,),
            ).fetchall()
        return [
            LayerVersion(layer_id, int(v), str(w), str(u), str(m), str(o), int(f), int(v) == current)
            for v, w, u, m, o, f in rows
        ]

    def restore(self, layer_id: str, version: int, *, user: str, base_version: int | None = None) -> int:
        """Copy an earlier version as the new current version (history is never rewritten)."""
        with self._read() as con:
            self._current(con, layer_id)
            frame = self._read_version(con, layer_id, version, crs=None)
            row = con.execute(
                sql.SQL("SELECT origin FROM {} WHERE layer_id = %s AND version = %s").format(
                    self._t("baoyen_versions")
                ),
                (layer_id, version),
            ).fetchone()
        assert row is not None  # _read_version found the version
        write = LayerWrite(
            layer_id, frame, message=f"restored version {version}", origin=str(row[0]), base_version=base_version
        )
        return self._write_layers([write], user=user, action="restore")[0]

    def latest_origin(self, layer_id: str) -> tuple[str, str]:
        """(origin, content hash) of the current version of a layer."""
        with self._read() as con:
            version, _ = self._current(con, layer_id)
            row = con.execute(
                sql.SQL("SELECT origin, content_hash FROM {} WHERE layer_id = %s AND version = %s").format(
                    self._t("baoyen_versions")
                ),
                (layer_id, version),
            ).fetchone()
        assert row is not None
        return str(row[0]), str(row[1])

    def layer_info(self) -> list[LayerInfo]:
        """Current version, feature count and geometry-quality mix of every layer."""
        out = []
        with self._read() as con:
            rows = con.execute(
                sql.SQL(
                    "SELECT l.layer_id, l.current_version, l.geometry_type, v.origin, v.features, v.columns_json, "
                    "v.table_name FROM {} l JOIN {} v ON v.layer_id = l.layer_id AND v.version = l.current_version"
                ).format(self._t("baoyen_layers"), self._t("baoyen_versions"))
            ).fetchall()
            for layer_id, version, gtype, origin, features, columns_json, table in sorted(rows):
                mix: dict[str, int] = {}
                if any(c == "geom_quality" for c, _ in json.loads(columns_json)):
                    counts = con.execute(
                        sql.SQL("SELECT geom_quality, count(*) FROM {} GROUP BY geom_quality").format(
                            self._t(str(table))
                        )
                    ).fetchall()
                    # the GeoPackage's order: NULL first, then by value
                    for q, n in sorted(counts, key=lambda r: (r[0] is not None, "" if r[0] is None else r[0])):
                        mix[str(q)] = int(n)
                out.append(LayerInfo(str(layer_id), int(version), int(features), str(gtype), str(origin), mix))
        return out

    # -- plain tables --

    def table_names(self) -> list[str]:
        """Names of the plain attribute tables."""
        with self._read() as con:
            rows = con.execute(sql.SQL("SELECT DISTINCT name FROM {}").format(self._t("baoyen_tables"))).fetchall()
        return sorted(str(r[0]) for r in rows)

    def _table_columns(self, con: psycopg.Connection[Any], name: str) -> list[list[str]]:
        row = con.execute(
            sql.SQL("SELECT columns_json FROM {} WHERE name = %s ORDER BY seq DESC LIMIT 1").format(
                self._t("baoyen_tables")
            ),
            (name,),
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
            rows = self._select(con, name, columns, geometry=False)
        cols: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
        return pd.DataFrame(
            {n: _restore(_loaded(cols[i], k), k) for i, (n, k) in enumerate(columns)}, index=pd.RangeIndex(len(rows))
        )

    def _columns_of(self, name: str, frame: pd.DataFrame) -> list[list[str]]:
        # the check every backend shares (Store._columns_of), then PostgreSQL's own
        columns = super()._columns_of(name, frame)
        _refuse_unstorable(name, frame, columns)
        return columns

    def _create_table(self, con: psycopg.Connection[Any], name: str, columns: list[list[str]]) -> None:
        con.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(self._t(name)))
        defs = [
            sql.SQL(", {} {}").format(sql.Identifier(n), sql.SQL(_PG_TYPE[k.partition(":")[0]])) for n, k in columns
        ]
        con.execute(
            sql.SQL("CREATE TABLE {} (fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY{})").format(
                self._t(name), sql.Composed(defs)
            )
        )

    def _log_table(self, con: psycopg.Connection[Any], record: TableRecord) -> None:
        con.execute(
            sql.SQL(
                'INSERT INTO {} (name, written_at, "user", message, rows, columns_json) VALUES (%s, %s, %s, %s, %s, %s)'
            ).format(self._t("baoyen_tables")),
            (
                record.name,
                record.written_at,
                record.user,
                record.message,
                record.rows,
                json.dumps([[n, k] for n, k in record.columns]),
            ),
        )

    def write_table(self, name: str, frame: pd.DataFrame, *, user: str, message: str = "") -> None:
        """Replace a plain attribute table in one transaction."""
        check_layer_id(name)
        columns = self._columns_of(name, frame)
        with self._write() as con:
            self._create_table(con, name, columns)
            self._copy_rows(con, name, [n for n, _ in columns], [], frame, columns)
            self._log_table(con, TableRecord(name, _now(), user, message, len(frame), _pairs(columns)))
            summary = f"{message} ({len(frame)} row(s))" if message else f"{len(frame)} row(s)"
            self._log(con, [audit_entry("write_table", name, user=user, summary=summary)])

    def append_rows(self, name: str, frame: pd.DataFrame, *, user: str) -> None:
        """Append rows to a table in one transaction; ``user`` and ``recorded_at`` columns are stamped."""
        check_layer_id(name)
        frame = frame.copy()
        frame["user"] = user
        frame["recorded_at"] = _now()
        with self._write() as con:
            columns = self._table_columns(con, name)
            check_known_columns(name, frame, columns)
            present = [c for c in columns if c[0] in frame.columns]
            _refuse_unstorable(name, frame, present)
            self._copy_rows(con, name, [n for n, _ in present], [], frame, present)
            self._log_table(
                con, TableRecord(name, _now(), user, f"appended {len(frame)} row(s)", len(frame), _pairs(columns))
            )
            self._log(con, [audit_entry("append_rows", name, user=user, summary=f"appended {len(frame)} row(s)")])

    def table_records(self, name: str) -> list[TableRecord]:
        """Every recorded write of a plain table, oldest first."""
        check_layer_id(name)
        with self._read() as con:
            self._table_columns(con, name)
            rows = con.execute(
                sql.SQL(
                    'SELECT written_at, "user", message, rows, columns_json FROM {} WHERE name = %s ORDER BY seq'
                ).format(self._t("baoyen_tables")),
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
        _refuse_unstorable(name, frame, columns)
        with self._write() as con:
            con.execute(sql.SQL("DELETE FROM {} WHERE name = %s").format(self._t("baoyen_tables")), (name,))
            self._create_table(con, name, columns)
            self._copy_rows(con, name, [n for n, _ in columns], [], frame, columns)
            for record in records:
                self._log_table(con, record)


def _pairs(columns: list[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((n, k) for n, k in columns)


def _loaded(values: tuple[Any, ...], kind: str) -> list[Any]:
    """Values as PostgreSQL returns them, as the GeoPackage's ``_restore`` takes them (dates as ISO text)."""
    if kind.partition(":")[0] == "date":
        return [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    return list(values)

"""User accounts, per-layer grants and sign-in sessions, kept in the store itself (both backends).

The records live next to the layers they protect, so every app process and every command over one store (one
GeoPackage, or one PostGIS schema shared by several Streamlit processes) sees the same users and the same
sessions: nothing another process needs is kept in one process's memory.

This module only stores and reads records; the rules (roles, what a grant allows, lock-out, expiry, hashing)
are the use cases' (:mod:`services.accounts`). What is stored:

- ``baoyen_users``: name, role, the password's argon2id hash (never returned by any use case), failed sign-ins
  in a row and the time a lock-out ends, whether the password must be changed at the next sign-in;
- ``baoyen_grants``: per user and layer/table (or ``*``), the rights held, GeoServer-style letters ``r w a``;
- ``baoyen_sessions``: the SHA-256 of each session token (the token itself is never stored), its user and when
  it ends. Ending a session deletes its row, so a token from a logout or an expired one no longer works.

Every query is parameterised; names are data, never SQL. A change that the audit trail records is appended in
the same transaction (:meth:`Store._account_sql` gives both).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layers.store import AuditEntry, SqlTx, Store

USERS, GRANTS, SESSIONS = "baoyen_users", "baoyen_grants", "baoyen_sessions"
#: the account tables, in the SQL both SQLite and PostgreSQL accept ({users} etc. are the quoted table names)
ACCOUNT_DDL: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS {users} (name TEXT PRIMARY KEY, role TEXT NOT NULL, pw_hash TEXT NOT NULL, "
    "created_at TEXT NOT NULL, changed_at TEXT NOT NULL, failures INTEGER NOT NULL DEFAULT 0, locked_until TEXT, "
    "must_change INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS {grants} (user_name TEXT NOT NULL, target TEXT NOT NULL, rights TEXT NOT NULL, "
    "PRIMARY KEY (user_name, target))",
    "CREATE TABLE IF NOT EXISTS {sessions} (token_hash TEXT PRIMARY KEY, user_name TEXT NOT NULL, "
    "created_at TEXT NOT NULL, expires_at TEXT NOT NULL)",
)
_USER_COLUMNS = "name, role, pw_hash, created_at, changed_at, failures, locked_until, must_change"


@dataclass(frozen=True)
class UserRecord:
    """One account as stored. ``pw_hash`` is left out of ``repr`` so that no log ever shows it."""

    name: str
    role: str
    pw_hash: str = field(repr=False)
    created_at: str
    changed_at: str
    failures: int = 0
    locked_until: str | None = None
    must_change: bool = False


@dataclass(frozen=True)
class GrantRecord:
    """The rights (letters of ``r w a``) one user holds on one layer or table, or on every one (``*``)."""

    user: str
    target: str
    rights: str


@dataclass(frozen=True)
class SessionRecord:
    """A sign-in session: the SHA-256 (hex) of its token, its user, and when it started and ends (ISO, UTC)."""

    token_hash: str
    user: str
    created_at: str
    expires_at: str


def _user(row: tuple[Any, ...]) -> UserRecord:
    return UserRecord(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        str(row[3]),
        str(row[4]),
        int(row[5] or 0),
        None if row[6] is None else str(row[6]),
        bool(row[7]),
    )


def _values(u: UserRecord) -> tuple[Any, ...]:
    return (u.name, u.role, u.pw_hash, u.created_at, u.changed_at, u.failures, u.locked_until, int(u.must_change))


class Accounts:
    """The account records of one store. Each method is one transaction."""

    def __init__(self, store: Store) -> None:
        self._store = store

    # -- reading --

    def users(self) -> list[UserRecord]:
        """Every account, by name."""
        with self._store._account_sql(write=False) as tx:
            if not tx.has_table(USERS):
                return []
            return [_user(r) for r in tx.run(f"SELECT {_USER_COLUMNS} FROM {{users}} ORDER BY name")]

    def user(self, name: str) -> UserRecord | None:
        """The account ``name``, or None."""
        with self._store._account_sql(write=False) as tx:
            if not tx.has_table(USERS):
                return None
            rows = tx.run(f"SELECT {_USER_COLUMNS} FROM {{users}} WHERE name = ?", (name,))
        return _user(rows[0]) if rows else None

    def grants(self, user: str | None = None) -> list[GrantRecord]:
        """The grants of ``user`` (of everybody when None), by user and target."""
        with self._store._account_sql(write=False) as tx:
            if not tx.has_table(GRANTS):
                return []
            query = "SELECT user_name, target, rights FROM {grants}"
            params: tuple[Any, ...] = ()
            if user is not None:
                query += " WHERE user_name = ?"
                params = (user,)
            rows = tx.run(query + " ORDER BY user_name, target", params)
        return [GrantRecord(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    def session(self, token_hash: str) -> SessionRecord | None:
        """The session whose token hashes to ``token_hash``, or None."""
        with self._store._account_sql(write=False) as tx:
            if not tx.has_table(SESSIONS):
                return None
            rows = tx.run(
                "SELECT token_hash, user_name, created_at, expires_at FROM {sessions} WHERE token_hash = ?",
                (token_hash,),
            )
        return SessionRecord(*(str(v) for v in rows[0])) if rows else None

    def session_count(self, user: str) -> int:
        """How many sessions of ``user`` are stored (expired ones included until purged)."""
        with self._store._account_sql(write=False) as tx:
            if not tx.has_table(SESSIONS):
                return 0
            return int(tx.run("SELECT count(*) FROM {sessions} WHERE user_name = ?", (user,))[0][0])

    # -- writing --

    def add_user(self, record: UserRecord, *, audit: AuditEntry | None) -> bool:
        """Add an account; False (and nothing written) when the name is taken."""
        with self._store._account_sql(write=True) as tx:
            added = tx.count(
                f"INSERT INTO {{users}} ({_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO NOTHING",
                _values(record),
            )
            if added and audit is not None:
                tx.log([audit])
        return bool(added)

    def update_user(
        self,
        name: str,
        *,
        audit: AuditEntry | None,
        end_sessions: bool = False,
        **values: Any,
    ) -> bool:
        """Set columns of the account ``name`` (role, pw_hash, changed_at, failures, locked_until, must_change).

        ``end_sessions`` deletes the user's sessions in the same transaction (a new password or role ends them).
        False when there is no such account.
        """
        allowed = {"role", "pw_hash", "changed_at", "failures", "locked_until", "must_change"}
        unknown = set(values) - allowed
        if unknown or not values:
            raise ValueError(f"cannot set {sorted(unknown) or 'nothing'} of an account")
        assignments = ", ".join(f"{column} = ?" for column in values)
        params = [int(v) if isinstance(v, bool) else v for v in values.values()]
        with self._store._account_sql(write=True) as tx:
            changed = tx.count(f"UPDATE {{users}} SET {assignments} WHERE name = ?", (*params, name))
            if changed and end_sessions:
                tx.count("DELETE FROM {sessions} WHERE user_name = ?", (name,))
            if changed and audit is not None:
                tx.log([audit])
        return bool(changed)

    def count_failure(self, name: str, *, limit: int, locked_until: str, audit: AuditEntry | None) -> tuple[int, bool]:
        """One more failed sign-in of ``name``; at ``limit`` in a row the account is locked until ``locked_until``.

        Counted in one statement, so failures from several processes at once are all counted. Returns (failures,
        locked now). The audit entry is appended only when this failure locks the account.
        """
        with self._store._account_sql(write=True) as tx:
            rows = tx.run("UPDATE {users} SET failures = failures + 1 WHERE name = ? RETURNING failures", (name,))
            if not rows:
                return 0, False
            failures = int(rows[0][0])
            locked = failures >= limit
            if locked:
                tx.count("UPDATE {users} SET locked_until = ?, failures = 0 WHERE name = ?", (locked_until, name))
                tx.count("DELETE FROM {sessions} WHERE user_name = ?", (name,))
                if audit is not None:
                    tx.log([audit])
        return failures, locked

    def set_grant(self, user: str, target: str, rights: str, *, audit: AuditEntry | None) -> None:
        """Give ``user`` exactly ``rights`` on ``target`` (no letters: the grant is taken away)."""
        with self._store._account_sql(write=True) as tx:
            tx.count("DELETE FROM {grants} WHERE user_name = ? AND target = ?", (user, target))
            if rights:
                tx.count("INSERT INTO {grants} (user_name, target, rights) VALUES (?, ?, ?)", (user, target, rights))
            if audit is not None:
                tx.log([audit])

    def add_session(self, record: SessionRecord, *, purge_before: str) -> None:
        """Store a new session; sessions that ended before ``purge_before`` are deleted in the same transaction."""
        with self._store._account_sql(write=True) as tx:
            tx.count("DELETE FROM {sessions} WHERE expires_at < ?", (purge_before,))
            tx.count(
                "INSERT INTO {sessions} (token_hash, user_name, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (record.token_hash, record.user, record.created_at, record.expires_at),
            )

    def end_session(self, token_hash: str) -> bool:
        """Delete a session; False when there was none."""
        with self._store._account_sql(write=True) as tx:
            return bool(tx.count("DELETE FROM {sessions} WHERE token_hash = ?", (token_hash,)))

    # -- copying a store --

    def copy_from(self, other: Accounts) -> int:
        """Copy every account and grant of ``other`` (not its sessions) into this store, in one transaction."""
        users, grants = other.users(), other.grants()
        with self._store._account_sql(write=True) as tx:
            for u in users:
                tx.count(
                    f"INSERT INTO {{users}} ({_USER_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (name) DO NOTHING",
                    _values(u),
                )
            for g in grants:
                tx.count(
                    "INSERT INTO {grants} (user_name, target, rights) VALUES (?, ?, ?) "
                    "ON CONFLICT (user_name, target) DO NOTHING",
                    (g.user, g.target, g.rights),
                )
        return len(users)


def create_account_tables(tx: SqlTx) -> None:
    """Lay down the account tables when missing (idempotent)."""
    for ddl in ACCOUNT_DDL:
        tx.count(ddl)

"""People and permissions: accounts, roles, per-layer grants, sign-in, sessions, lock-out.

Written once for the pages and the commands. The rules:

- **Roles**: ``viewer`` reads; ``editor`` also changes the layers and tables it is granted (import, edit lots,
  record actuals); ``admin`` does everything, including users, grants, restore and migrate.
- **Grants**, GeoServer-style letters per layer or table (``*`` for all): ``r`` read, ``w`` write (import, edit,
  record), ``a`` administer the layer (restore an earlier version). An editor without a grant changes nothing; a
  viewer holds no grant (give the role first). Reading needs no grant: the plan's layers are public within the
  office; whether viewing needs a sign-in at all is the server's choice (``BAOYEN_LOGIN``, :func:`check_bind`).
- **Passwords** are hashed with argon2id (argon2-cffi; OWASP's parameters: 19 MiB, 2 passes, 1 lane — a sign-in
  costs ~30 ms on the office's two-core machine) and normalised to NFC first (a Vietnamese password typed with
  another keyboard is the same password). At least :data:`MIN_PASSWORD` characters, not the user's name.
- **Sessions** are random tokens (``secrets.token_urlsafe``, 256 bits); the store keeps only their SHA-256, so a
  copy of the store holds no usable token. A session ends at :data:`SESSION_LIFETIME`, at sign-out, and when
  its user's password or role changes; an ended session no longer signs anyone in, in any process.
- **Lock-out**: :data:`MAX_FAILURES` wrong passwords in a row lock the account for :data:`LOCKOUT`; the lock
  ends its sessions and is recorded in the audit trail. An unknown name costs the same time as a known one.
- **The first start** makes an ``admin`` account (:func:`first_start`): with ``BAOYEN_ADMIN_PASSWORD`` when the
  office sets one, else with a random one-time password that the entry tier shows once (as Jupyter prints its
  token) and that must be changed before the first change to the store.

Every change of an account or grant is appended to the audit trail in its own transaction, without any password
or hash. Every check of a write is :func:`require`, called by each use case that writes, on both backends.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from geo.errors import PlanError
from layers.accounts import GrantRecord, SessionRecord, UserRecord
from layers.store import SYSTEM_USER, Store, audit_entry
from services.context import NOBODY, SYSTEM, Actor

ROLES: tuple[str, ...] = ("viewer", "editor", "admin")
#: the rights a grant may hold: read, write, administer (restore)
RIGHTS = "rwa"
MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
SESSION_LIFETIME = dt.timedelta(hours=12)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
#: the account the first start makes
FIRST_ADMIN = "admin"
#: a user name: a letter first, then letters, digits, ".", "_", "-" (Vietnamese letters included), at most 64
USER_NAME = re.compile(r"^[^\W\d_][\w.-]{0,63}\Z")
#: a grant's target: a layer id or table name (as the store allows them), "dem", or "*" for every one
GRANT_TARGET = re.compile(r"^(\*|[a-z][a-z0-9_]{0,62})\Z")
#: the audit trail's "layer" of account changes
ACCOUNTS_LAYER = "baoyen_users"
#: viewing without signing in is allowed only when the app listens on this machine
LOGIN_MODES: tuple[str, ...] = ("changes", "all")

_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the name is unknown, so that a wrong name takes as long as a wrong password.

    Made at the first sign-in, not at import: hashing costs ~25 ms, paid by every command otherwise.
    """
    return _HASHER.hash("baoyen: no such account")


class AuthError(PlanError, PermissionError):
    """A sign-in refused, or a change its actor may not make."""


@dataclass(frozen=True)
class UserInfo:
    """An account as the use cases show it: never its password or hash."""

    name: str
    role: str
    grants: dict[str, str] = field(default_factory=dict)
    locked_until: str | None = None
    must_change: bool = False
    created_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (no password, no hash)."""
        return {
            "name": self.name,
            "role": self.role,
            "grants": dict(self.grants),
            "locked_until": self.locked_until,
            "must_change": self.must_change,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class UserListing:
    """Every account of a store."""

    users: list[UserInfo]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"users": [u.to_dict() for u in self.users]}


@dataclass(frozen=True)
class Session:
    """A started session: the token to keep (in a cookie), its user and when it ends."""

    token: str = field(repr=False)
    user: str
    expires_at: str


# --- helpers ----------------------------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _parse(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def token_hash(token: str) -> str:
    """What the store keeps of a session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def normal_name(name: object) -> str:
    """A user name as stored: NFC, trimmed, lower case; refused unless it is a plain name."""
    text = unicodedata.normalize("NFC", str(name or "")).strip().lower()
    if not USER_NAME.fullmatch(text):
        raise AuthError(
            f"{str(name)[:80]!r} cannot be a user name: use a letter first, then letters, digits, '.', '_' or '-' "
            "(at most 64)",
            code="auth.bad_name",
            name=str(name)[:80],
        )
    return text


def _normal_password(password: object) -> str:
    return unicodedata.normalize("NFC", str(password or ""))


def check_new_password(name: str, password: str) -> str:
    """The password to hash (NFC), or :class:`AuthError` ``auth.weak_password`` naming what is wrong."""
    text = _normal_password(password)
    if len(text) < MIN_PASSWORD or len(text) > MAX_PASSWORD or text.strip().lower() == name.lower():
        raise AuthError(
            f"the password for {name} must have {MIN_PASSWORD} to {MAX_PASSWORD} characters and not be the user name",
            code="auth.weak_password",
            user=name,
            min=MIN_PASSWORD,
        )
    return text


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (NFC)."""
    return _HASHER.hash(_normal_password(password))


def _verify(pw_hash: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(pw_hash, _normal_password(password)))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _info(store: Store, user: UserRecord, grants: list[GrantRecord] | None = None) -> UserInfo:
    held = grants if grants is not None else store.accounts().grants(user.name)
    locked = _parse(user.locked_until)
    return UserInfo(
        user.name,
        user.role,
        {g.target: g.rights for g in held if g.user == user.name},
        user.locked_until if locked and locked > _now() else None,
        user.must_change,
        user.created_at,
    )


def _audit(action: str, actor: Actor, summary: str) -> Any:
    return audit_entry(action, ACCOUNTS_LAYER, user=actor.user or SYSTEM_USER, summary=summary)


def _refused(message: str, code: str, **params: object) -> AuthError:
    return AuthError(message, code=code, **params)


# --- the first start and recovery -------------------------------------------------------------------------------------


def has_accounts(store: Store) -> bool:
    """True when the store holds at least one account."""
    return bool(store.accounts().users())


def first_start(store: Store, *, password: str | None = None) -> str | None:
    """Make the first admin account when the store has none; the one-time password to show, if one was made.

    ``password`` (``BAOYEN_ADMIN_PASSWORD``) is the office's own choice: used as given, nothing to show. Without
    it a random password is made, returned once, and must be changed before the first change. Two processes
    starting at once make one account (the second finds it made). A read-only store is left as it is.
    """
    if has_accounts(store) or getattr(store, "read_only", False):
        return None
    chosen = password is not None and password != ""
    secret = check_new_password(FIRST_ADMIN, password) if chosen and password else secrets.token_urlsafe(12)
    now = _iso(_now())
    made = store.accounts().add_user(
        UserRecord(FIRST_ADMIN, "admin", hash_password(secret), now, now, must_change=not chosen),
        audit=_audit("user_add", SYSTEM, f"first start: account {FIRST_ADMIN} (admin)"),
    )
    return None if chosen or not made else secret


def recover_admin(store: Store, *, by: str) -> str:
    """A new one-time password for the ``admin`` account (made again when missing, with the admin role).

    For whoever can write the store itself (the GeoPackage file, or the database URL's own credentials); ``by``
    names them in the audit trail. Ends the account's sessions and lock-out.
    """
    secret = secrets.token_urlsafe(12)
    now = _iso(_now())
    accounts = store.accounts()
    actor = Actor(by or SYSTEM_USER, via="system")
    if accounts.user(FIRST_ADMIN) is None:
        accounts.add_user(
            UserRecord(FIRST_ADMIN, "admin", hash_password(secret), now, now, must_change=True),
            audit=_audit("user_add", actor, f"recovery: account {FIRST_ADMIN} made again (admin)"),
        )
        return secret
    accounts.update_user(
        FIRST_ADMIN,
        role="admin",
        pw_hash=hash_password(secret),
        changed_at=now,
        failures=0,
        locked_until=None,
        must_change=True,
        end_sessions=True,
        audit=_audit("user_recover", actor, f"recovery: new one-time password for {FIRST_ADMIN}"),
    )
    return secret


# --- signing in -------------------------------------------------------------------------------------------------------


def sign_in(store: Store, name: str, password: str) -> Actor:
    """The actor ``name`` when ``password`` is theirs; :class:`AuthError` otherwise.

    A wrong name and a wrong password get the same message. A locked account is refused until its lock ends; a
    wrong password counts towards the lock.
    """
    if not str(name or "").strip():
        raise _refused("a change needs a user name and password; nobody is signed in", "auth.sign_in_required")
    try:
        key = normal_name(name)
    except AuthError:
        _verify(_dummy_hash(), password)
        raise _bad_credentials() from None
    accounts = store.accounts()
    user = accounts.user(key)
    if user is None:
        _verify(_dummy_hash(), password)
        raise _bad_credentials()
    now = _now()
    locked = _parse(user.locked_until)
    if locked is not None and locked > now:
        raise _locked(user.name, locked)
    if not _verify(user.pw_hash, password):
        _failures, locked_now = accounts.count_failure(
            user.name,
            limit=MAX_FAILURES,
            locked_until=_iso(now + LOCKOUT),
            audit=_audit("lockout", Actor(user.name, via="none"), f"{user.name} locked after {MAX_FAILURES} failures"),
        )
        if locked_now:
            raise _locked(user.name, now + LOCKOUT)
        raise _bad_credentials()
    if user.failures or user.locked_until:
        accounts.update_user(user.name, failures=0, locked_until=None, audit=None)
    return Actor(user.name, via="password", must_change=user.must_change)


def _bad_credentials() -> AuthError:
    return _refused("the user name or the password is wrong; nothing was changed", "auth.bad_credentials")


def _locked(name: str, until: dt.datetime) -> AuthError:
    return _refused(
        f"the account {name} is locked after {MAX_FAILURES} wrong passwords until {_iso(until)}; wait, or ask an "
        "administrator to set a new password",
        "auth.locked",
        user=name,
        until=_iso(until),
        failures=MAX_FAILURES,
    )


def start_session(store: Store, actor: Actor) -> Session:
    """A new session for an actor just signed in with a password; its token is returned once, never stored."""
    if actor.via != "password":
        raise _refused("a session starts only from a sign-in with a password", "auth.sign_in_required")
    token = secrets.token_urlsafe(32)
    now = _now()
    ends = now + SESSION_LIFETIME
    store.accounts().add_session(
        SessionRecord(token_hash(token), actor.user, _iso(now), _iso(ends)), purge_before=_iso(now)
    )
    return Session(token, actor.user, _iso(ends))


def session_actor(store: Store, token: str | None) -> Actor:
    """Who the session ``token`` signs in, in any app process over this store.

    Nobody when the session ended, expired or is unknown, or its account is gone or locked.
    """
    if not token or len(token) > 256:
        return NOBODY
    accounts = store.accounts()
    found = accounts.session(token_hash(token))
    if found is None:
        return NOBODY
    ends = _parse(found.expires_at)
    if ends is None or ends <= _now():
        accounts.end_session(found.token_hash)
        return NOBODY
    user = accounts.user(found.user)
    if user is None:
        return NOBODY
    locked = _parse(user.locked_until)
    if locked is not None and locked > _now():
        return NOBODY
    return Actor(user.name, via="session", must_change=user.must_change)


def sign_out(store: Store, token: str | None) -> bool:
    """End the session ``token`` everywhere; False when it had already ended."""
    if not token:
        return False
    return store.accounts().end_session(token_hash(token))


# --- permissions ------------------------------------------------------------------------------------------------------


def rights_of(store: Store, actor: Actor, target: str) -> str:
    """The rights ``actor`` holds on ``target`` now (as stored: a role or grant changed meanwhile counts)."""
    if actor.via == "system":
        return RIGHTS
    if not actor.signed_in:
        return ""
    user = store.accounts().user(actor.user)
    if user is None:
        return ""
    if user.role == "admin":
        return RIGHTS
    if user.role != "editor":
        return "r"
    held = {g.target: g.rights for g in store.accounts().grants(user.name)}
    return "r" + "".join(sorted(set(held.get(target, "") + held.get("*", "")) - {"r"}, key=RIGHTS.index))


def require(store: Store, actor: Actor, right: str, target: str | None) -> None:
    """Refuse, with :class:`AuthError`, a change ``actor`` may not make.

    ``right`` is ``w`` (write ``target``), ``a`` (administer ``target``: restore) or ``admin`` (users, grants,
    migrate: the admin role).

    Checked against the store at the moment of the change: an account removed, locked, demoted or with a
    password to change since it signed in is refused.
    """
    if actor.via == "system":
        return
    if not actor.signed_in:
        raise _refused(
            "a change to the store needs a signed-in user; nothing was changed", "auth.sign_in_required", target=target
        )
    user = store.accounts().user(actor.user)
    if user is None:
        raise _refused(
            f"there is no account {actor.user} in this store; nothing was changed", "auth.no_user", user=actor.user
        )
    locked = _parse(user.locked_until)
    if locked is not None and locked > _now():
        raise _locked(user.name, locked)
    if user.must_change:
        raise _refused(
            f"{user.name} signed in with a one-time password: set a new password before changing anything",
            "auth.must_change",
            user=user.name,
        )
    if right == "admin":
        if user.role != "admin":
            raise _refused(
                f"only an administrator may do this; {user.name} is {user.role}; nothing was changed",
                "auth.not_admin",
                user=user.name,
                role=user.role,
            )
        return
    if right not in rights_of(store, actor, target or ""):
        raise _refused(
            f"{user.name} ({user.role}) may not change {target} (needs the right {right!r}); nothing was changed — an "
            "administrator can grant it",
            "auth.no_right",
            user=user.name,
            role=user.role,
            target=target or "",
            right=right,
        )


# --- managing accounts (admin) ----------------------------------------------------------------------------------------


def _role(role: str) -> str:
    if role not in ROLES:
        raise _refused(f"{role!r} is not a role; use one of {', '.join(ROLES)}", "auth.bad_role", role=str(role)[:40])
    return role


def add_user(store: Store, name: str, role: str, password: str, *, actor: Actor) -> UserInfo:
    """Make an account (admin only)."""
    require(store, actor, "admin", None)
    key, role = normal_name(name), _role(role)
    secret = check_new_password(key, password)
    now = _iso(_now())
    made = store.accounts().add_user(
        UserRecord(key, role, hash_password(secret), now, now),
        audit=_audit("user_add", actor, f"account {key} ({role})"),
    )
    if not made:
        raise _refused(f"there is already an account {key}", "auth.user_exists", user=key)
    return UserInfo(key, role, created_at=now)


def _existing(store: Store, name: str) -> UserRecord:
    key = normal_name(name)
    user = store.accounts().user(key)
    if user is None:
        raise _refused(f"there is no account {key} in this store", "auth.no_user", user=key)
    return user


def set_password(store: Store, name: str, new_password: str, *, actor: Actor) -> UserInfo:
    """A new password for ``name``; ends the account's sessions.

    One's own (signed in, also with a one-time password), or anyone's by an admin, who then sets a one-time
    password: its holder changes it before their next change.
    """
    user = _existing(store, name)
    own = actor.signed_in and actor.user == user.name
    if not own:
        require(store, actor, "admin", None)
    secret = check_new_password(user.name, new_password)
    store.accounts().update_user(
        user.name,
        pw_hash=hash_password(secret),
        changed_at=_iso(_now()),
        failures=0,
        locked_until=None,
        must_change=not own,
        end_sessions=True,
        audit=_audit("user_password", actor, f"new password for {user.name}{'' if own else ' (one-time, by admin)'}"),
    )
    return _info(store, _existing(store, user.name))


def set_role(store: Store, name: str, role: str, *, actor: Actor) -> UserInfo:
    """Change the role of ``name`` (admin only); the last administrator keeps the role. Ends their sessions."""
    require(store, actor, "admin", None)
    user, role = _existing(store, name), _role(role)
    if user.role == "admin" and role != "admin":
        admins = [u for u in store.accounts().users() if u.role == "admin"]
        if len(admins) <= 1:
            raise _refused(
                f"{user.name} is the last administrator and keeps the role", "auth.last_admin", user=user.name
            )
    if role == "viewer":
        for grant in store.accounts().grants(user.name):
            store.accounts().set_grant(user.name, grant.target, "", audit=None)
    store.accounts().update_user(
        user.name,
        role=role,
        changed_at=_iso(_now()),
        end_sessions=True,
        audit=_audit("user_role", actor, f"{user.name}: {user.role} -> {role}"),
    )
    return _info(store, _existing(store, user.name))


def grant(store: Store, name: str, target: str, rights: str, *, actor: Actor) -> UserInfo:
    """Give ``name`` exactly ``rights`` on ``target``; admin only.

    ``rights`` are letters of ``rwa`` ("" or "-" takes the grant away); ``target`` a layer id, a table name or
    ``*``. A viewer holds no grant.
    """
    require(store, actor, "admin", None)
    user = _existing(store, name)
    target = str(target or "").strip()
    if not GRANT_TARGET.fullmatch(target):
        raise _refused(
            f"{target[:80]!r} cannot be granted: name a layer or table (lower-case letters, digits, _) or * for all",
            "auth.bad_target",
            target=target[:80],
        )
    letters = "" if rights in ("", "-") else str(rights).strip().lower()
    if any(c not in RIGHTS for c in letters):
        raise _refused(f"{rights!r} are not rights; use letters of r, w, a", "auth.bad_rights", rights=str(rights)[:20])
    if letters and user.role == "viewer" and set(letters) - {"r"}:
        raise _refused(
            f"{user.name} is a viewer and only reads; make them an editor first", "auth.grant_viewer", user=user.name
        )
    ordered = "".join(c for c in RIGHTS if c in letters)
    store.accounts().set_grant(
        user.name,
        target,
        ordered,
        audit=_audit("grant", actor, f"{user.name} on {target}: {ordered or 'none'}"),
    )
    return _info(store, user)


def list_users(store: Store, *, actor: Actor) -> UserListing:
    """Every account with its role and grants (admin only); never a password or hash."""
    require(store, actor, "admin", None)
    grants = store.accounts().grants()
    return UserListing([_info(store, u, grants) for u in store.accounts().users()])


def whoami(store: Store, actor: Actor) -> UserInfo | None:
    """The signed-in actor's own account (role, grants), or None."""
    if not actor.signed_in:
        return None
    user = store.accounts().user(actor.user)
    return None if user is None else _info(store, user)


# --- where the app listens --------------------------------------------------------------------------------------------


def is_local_address(address: str | None) -> bool:
    """True for an address only this machine reaches (loopback, "localhost"); an empty one means every interface."""
    text = (address or "").strip().strip("[]")
    if text.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def check_bind(address: str | None, login: str) -> None:
    """Refuse to listen beyond this machine unless viewing needs a sign-in too (``BAOYEN_LOGIN=all``)."""
    if is_local_address(address) or login == "all":
        return
    raise _refused(
        f"the app would listen on {address or 'every interface'}, where anyone on the network reaches it, and viewing "
        "needs no sign-in; require a sign-in for every page or listen on 127.0.0.1",
        "auth.open_bind",
        address=address or "0.0.0.0",
    )

"""People and permissions on both backends: accounts, roles, grants, sign-in, sessions, lock-out, the audit.

Real parts only: the real store (a GeoPackage file, a PostGIS schema), real argon2id hashes, the real use cases.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import geopandas as gpd
import pytest
import shapely

from layers.store import Store
from services import accounts
from services.accounts import AuthError
from services.context import NOBODY, SYSTEM, Actor
from services.data import restore_version, save_layer
from services.messages import describe
from services.targets import record_actual
from tests.layers.test_store_backends import Backend, backend  # noqa: F401 - the parametrized fixture

ADMIN_PW = "quản-trị-viên-2026"  # a Vietnamese password, NFC


def lots(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"L{i}" for i in range(n)], "status": ["leased"] * n},
        geometry=[shapely.box(470_000 + 60 * i, 2_460_000, 470_050 + 60 * i, 2_460_050) for i in range(n)],
        crs="EPSG:9208",
    )


@pytest.fixture
def store(backend: Backend) -> Store:  # noqa: F811 - the backend fixture, parametrized
    assert accounts.first_start(backend.store, password=ADMIN_PW) is None  # the office chose it: nothing to show
    return backend.store


def admin(store: Store) -> Actor:
    return accounts.sign_in(store, "admin", ADMIN_PW)


def editor(store: Store, name: str = "lan", grants: str | None = "*") -> Actor:
    accounts.add_user(store, name, "editor", f"{name}-mật-khẩu", actor=admin(store))
    if grants:
        accounts.grant(store, name, grants, "rw", actor=admin(store))
    return accounts.sign_in(store, name, f"{name}-mật-khẩu")


def test_the_first_start_makes_one_admin_with_a_one_time_password(backend: Backend) -> None:  # noqa: F811
    s = backend.store
    secret = accounts.first_start(s)
    assert secret and len(secret) >= 16
    assert accounts.first_start(backend.reopen()) is None  # a second start (another process) makes none
    [made] = s.accounts().users()
    assert (made.name, made.role, made.must_change) == ("admin", "admin", True)
    assert made.pw_hash.startswith("$argon2id$") and secret not in made.pw_hash
    first = accounts.sign_in(s, "admin", secret)
    with pytest.raises(AuthError) as refused:  # a one-time password changes nothing but itself
        save_layer(s, "cluster_lots", lots(1), actor=first, base_version=0, message="x")
    assert refused.value.code == "auth.must_change"
    accounts.set_password(s, "admin", "một-mật-khẩu-mới", actor=first)
    with pytest.raises(AuthError):
        accounts.sign_in(s, "admin", secret)
    again = accounts.sign_in(s, "admin", "một-mật-khẩu-mới")
    assert save_layer(s, "cluster_lots", lots(1), actor=again, base_version=0, message="x").user == "admin"


def test_roles_and_grants_decide_every_write(store: Store) -> None:
    boss = admin(store)
    accounts.add_user(store, "xem", "viewer", "người-xem-123", actor=boss)
    viewer = accounts.sign_in(store, "xem", "người-xem-123")
    lan = editor(store, "lan", grants=None)
    for who, code in ((NOBODY, "auth.sign_in_required"), (viewer, "auth.no_right"), (lan, "auth.no_right")):
        with pytest.raises(AuthError) as refused:
            save_layer(store, "cluster_lots", lots(1), actor=who, base_version=0, message="x")
        assert refused.value.code == code
    assert not store.has_layer("cluster_lots")  # nothing written by any refusal
    accounts.grant(store, "lan", "cluster_lots", "w", actor=boss)
    assert save_layer(store, "cluster_lots", lots(1), actor=lan, base_version=0, message="x").version == 1
    with pytest.raises(AuthError) as refused:  # writing another layer still needs its own grant
        save_layer(store, "cluster_zoning", lots(1), actor=lan, base_version=0, message="x")
    assert refused.value.code == "auth.no_right" and refused.value.params["target"] == "cluster_zoning"
    save_layer(store, "cluster_lots", lots(2), actor=lan, base_version=1, message="y")
    with pytest.raises(AuthError):  # restoring needs "a" on the layer
        restore_version(store, "cluster_lots", 1, actor=lan, base_version=2)
    accounts.grant(store, "lan", "cluster_lots", "rwa", actor=boss)
    assert restore_version(store, "cluster_lots", 1, actor=lan, base_version=2).version == 3
    with pytest.raises(AuthError) as refused:  # a viewer holds no write grant
        accounts.grant(store, "xem", "*", "w", actor=boss)
    assert refused.value.code == "auth.grant_viewer"
    with pytest.raises(AuthError) as refused:  # only an admin manages people
        accounts.add_user(store, "mới", "admin", "mật-khẩu-mới-1", actor=lan)
    assert refused.value.code == "auth.not_admin"
    # a role changed since signing in counts at once: the sessions end, and the next write is refused
    session = accounts.start_session(store, accounts.sign_in(store, "lan", "lan-mật-khẩu"))
    accounts.set_role(store, "lan", "viewer", actor=boss)
    assert accounts.session_actor(store, session.token) == NOBODY
    with pytest.raises(AuthError):
        save_layer(store, "cluster_lots", lots(3), actor=lan, base_version=3, message="z")
    with pytest.raises(AuthError) as refused:
        accounts.set_role(store, "admin", "editor", actor=boss)
    assert refused.value.code == "auth.last_admin"


def test_record_and_tables_need_their_grant(store: Store) -> None:
    lan = editor(store, "lan", grants=None)
    with pytest.raises(AuthError):
        record_actual(store, actor=lan, target_id="1", period="2025", value="482")
    assert "target_actuals" not in store.table_names()  # the right is checked before anything is read
    accounts.grant(store, "lan", "target_actuals", "w", actor=admin(store))
    assert accounts.rights_of(store, lan, "target_actuals") == "rw"
    assert accounts.rights_of(store, lan, "disbursements") == "r"


def test_sessions_end_at_sign_out_expiry_and_new_password(backend: Backend, store: Store) -> None:  # noqa: F811
    lan = editor(store)
    session = accounts.start_session(store, lan)
    assert session.token not in json.dumps([r.__dict__ for r in store.accounts().users()])
    other = backend.reopen()  # another app process over the same store
    assert accounts.session_actor(other, session.token) == Actor("lan", via="session")
    assert accounts.sign_out(other, session.token) and not accounts.sign_out(store, session.token)
    assert accounts.session_actor(store, session.token) == NOBODY  # a token from a logout no longer works
    later = accounts.start_session(store, accounts.sign_in(store, "lan", "lan-mật-khẩu"))
    accounts.set_password(store, "lan", "lan-mật-khẩu-mới", actor=Actor("lan", via="session"))
    assert accounts.session_actor(store, later.token) == NOBODY
    assert accounts.session_actor(store, None) == NOBODY and accounts.session_actor(store, "x" * 300) == NOBODY
    with pytest.raises(AuthError):  # sessions start only from a password
        accounts.start_session(store, Actor("lan", via="session"))


def test_an_expired_session_is_refused_and_purged(backend: Backend, store: Store) -> None:  # noqa: F811
    session = accounts.start_session(store, editor(store))
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    _set_session_end(backend, accounts.token_hash(session.token), past)
    assert accounts.session_actor(store, session.token) == NOBODY
    assert store.accounts().session(accounts.token_hash(session.token)) is None


def _set_session_end(where: Backend, token_hash: str, when: str) -> None:
    """Age a session directly in the database, as the passing of SESSION_LIFETIME would."""
    if where.kind == "gpkg":
        with sqlite3.connect(where.where) as con:
            con.execute("UPDATE baoyen_sessions SET expires_at = ? WHERE token_hash = ?", (when, token_hash))
        return
    import psycopg

    from layers.postgis import split_store_url

    conninfo, schema, _ = split_store_url(where.where)
    with psycopg.connect(conninfo, autocommit=True) as con:
        con.execute(f'UPDATE "{schema}".baoyen_sessions SET expires_at = %s WHERE token_hash = %s', (when, token_hash))


def test_wrong_passwords_lock_the_account_and_say_so(store: Store) -> None:
    editor(store)
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(AuthError) as refused:
            accounts.sign_in(store, "lan", "sai-mật-khẩu")
        assert refused.value.code == "auth.bad_credentials"
    with pytest.raises(AuthError) as refused:
        accounts.sign_in(store, "lan", "sai-mật-khẩu")
    assert refused.value.code == "auth.locked"
    with pytest.raises(AuthError) as refused:  # even the right password, while locked
        accounts.sign_in(store, "lan", "lan-mật-khẩu")
    assert refused.value.code == "auth.locked"
    assert "khóa" in describe(refused.value, "vi") and "/" in describe(refused.value, "vi")  # dd/mm/yyyy
    assert [e.action for e in store.audit() if e.action == "lockout"] == ["lockout"]
    accounts.set_password(store, "lan", "lan-mật-khẩu-2", actor=admin(store))  # an admin's reset ends the lock
    assert accounts.sign_in(store, "lan", "lan-mật-khẩu-2").must_change  # ...with a one-time password
    # a wrong name and a wrong password read the same
    with pytest.raises(AuthError) as unknown:
        accounts.sign_in(store, "không-có", "sai-mật-khẩu")
    assert unknown.value.code == "auth.bad_credentials"


def test_sql_in_names_layer_ids_and_passwords_is_inert(store: Store) -> None:
    boss = admin(store)
    for name in ("x'; DROP TABLE baoyen_users; --", "a\nb", "", "1abc", "a" * 65):
        with pytest.raises(AuthError) as refused:
            accounts.add_user(store, name, "editor", "mật-khẩu-dài-đủ", actor=boss)
        assert refused.value.code == "auth.bad_name"
    tricky = "'; DELETE FROM baoyen_users; --  ‘’ \" \\ %s ?"
    accounts.add_user(store, "ngô.thị-hà", "editor", tricky, actor=boss)
    assert accounts.sign_in(store, "NGÔ.THỊ-HÀ", tricky).user == "ngô.thị-hà"  # names are case-free, NFC
    with pytest.raises(AuthError):
        accounts.sign_in(store, "' OR '1'='1", "' OR '1'='1")
    for target in ("x; DROP TABLE y", "../etc", "Lots"):
        with pytest.raises(AuthError) as refused:
            accounts.grant(store, "ngô.thị-hà", target, "w", actor=boss)
        assert refused.value.code == "auth.bad_target"
    assert {u.name for u in store.accounts().users()} == {"admin", "ngô.thị-hà"}


def test_no_password_or_hash_leaves_the_store(store: Store) -> None:
    boss = admin(store)
    accounts.add_user(store, "lan", "editor", "bí-mật-của-lan", actor=boss)
    listing = accounts.list_users(store, actor=boss).to_dict()
    text = json.dumps(listing, ensure_ascii=False) + repr(store.accounts().users())
    assert "argon2" not in text and "bí-mật-của-lan" not in text and ADMIN_PW not in text
    trail = json.dumps([e.to_dict() for e in store.audit()], ensure_ascii=False)
    assert "argon2" not in trail and "bí-mật" not in trail and ADMIN_PW not in trail
    actions = [e.action for e in store.audit() if e.layer == accounts.ACCOUNTS_LAYER]
    assert actions == ["user_add", "user_add"]  # the first start, then lan: each in its own transaction


def test_the_audit_records_every_account_change(store: Store) -> None:
    boss = admin(store)
    accounts.add_user(store, "lan", "editor", "lan-mật-khẩu", actor=boss)
    accounts.grant(store, "lan", "cluster_lots", "rw", actor=boss)
    accounts.set_role(store, "lan", "admin", actor=boss)
    accounts.set_password(store, "lan", "lan-mật-khẩu-2", actor=boss)
    entries = [e for e in store.audit() if e.layer == accounts.ACCOUNTS_LAYER][1:]
    assert [(e.action, e.user) for e in entries] == [
        ("user_add", "admin"),
        ("grant", "admin"),
        ("user_role", "admin"),
        ("user_password", "admin"),
    ]
    assert "lan on cluster_lots: rw" in entries[1].summary and "editor -> admin" in entries[2].summary


def test_system_builds_need_no_sign_in_and_messages_read_in_both_languages(store: Store) -> None:
    assert save_layer(store, "cluster_lots", lots(1), actor=SYSTEM, base_version=0, message="x").user == "system"
    with pytest.raises(AuthError) as refused:
        save_layer(store, "cluster_lots", lots(1), actor=NOBODY, base_version=1, message="x")
    assert describe(refused.value, "vi").startswith("thay đổi kho dữ liệu cần người dùng đã đăng nhập")
    assert describe(refused.value, "en").startswith("a change to the store needs a signed-in user")


@pytest.mark.parametrize(
    "address, login, ok",
    [
        ("127.0.0.1", "changes", True),
        ("localhost", "changes", True),
        ("::1", "changes", True),
        ("0.0.0.0", "changes", False),
        ("", "changes", False),  # Streamlit's default: every interface
        ("192.168.1.20", "changes", False),
        ("0.0.0.0", "all", True),
    ],
)
def test_listening_beyond_this_machine_needs_sign_in_for_viewing(address: str, login: str, ok: bool) -> None:
    if ok:
        accounts.check_bind(address, login)
        return
    with pytest.raises(AuthError) as refused:
        accounts.check_bind(address, login)
    assert refused.value.code == "auth.open_bind"

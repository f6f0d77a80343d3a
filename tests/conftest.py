"""Shared fixtures: where the real third-party data lives, and a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from layers.store import Store
from services.context import Actor

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """``../shared/data`` beside the checkout, or ``$BAOYEN_SHARED_DATA``."""
    env = os.environ.get("BAOYEN_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public geodata (communes, roads, rivers); the test is skipped when it is absent."""
    d = shared_data_dir()
    if not (d / "bao_yen_communes_2020.geojson").is_file():
        pytest.skip(f"real data not found at {d} (set BAOYEN_SHARED_DATA to the shared/data folder)")
    return d


#: the first admin's password in every test store (a test value, never a default of the app)
ADMIN_PASSWORD = "test-admin-password"


def admin_of(store: Store) -> Actor:
    """The admin of ``store`` signed in (made first, as the first start does, when the store has no account)."""
    from services.accounts import first_start, sign_in

    first_start(store, password=ADMIN_PASSWORD)
    return sign_in(store, "admin", ADMIN_PASSWORD)


def password_of(name: str) -> str:
    """The password of the test account ``name``."""
    return ADMIN_PASSWORD if name == "admin" else f"{name}-password-1"


def signed(store: Store, name: str = "admin", role: str = "admin") -> Actor:
    """``name`` signed in on ``store``: the account is made first (by the admin) when missing."""
    from services.accounts import add_user, sign_in

    admin = admin_of(store)
    if name == "admin":
        return admin
    if store.accounts().user(name) is None:
        add_user(store, name, role, password_of(name), actor=admin)
    return sign_in(store, name, password_of(name))


def as_user(monkeypatch: pytest.MonkeyPatch, where: Path | str, name: str, role: str = "admin") -> None:
    """The commands of this test sign in as ``name`` (an account made on the store at ``where``)."""
    from layers.store import open_store

    signed(open_store(where), name, role)
    monkeypatch.setenv("BAOYEN_USER", name)
    monkeypatch.setenv("BAOYEN_PASSWORD", password_of(name))


@pytest.fixture(autouse=True, scope="session")
def _never_the_users_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Point the default store somewhere temporary, so no test can touch a planner's real store."""
    home = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(home))
        mp.setenv("BAOYEN_STORE", str(home / "baoyen" / "session-store.gpkg"))
        # every store a test opens through the entry tier starts with the admin account of this password, and the
        # commands sign in as it; the tests of signing in itself (tests/services/test_accounts.py) unset these
        mp.setenv("BAOYEN_ADMIN_PASSWORD", ADMIN_PASSWORD)
        mp.setenv("BAOYEN_USER", "admin")
        mp.setenv("BAOYEN_PASSWORD", ADMIN_PASSWORD)
        yield


@pytest.fixture(scope="session")
def built_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store built from data/ for the whole session; tests copy it (:func:`store_copy`), never write it."""
    from layers.build import build_store
    from layers.settings import DATA_DIR

    path = tmp_path_factory.mktemp("built") / "baoyen.gpkg"
    build_store(path, DATA_DIR, user="tests")
    return path


@pytest.fixture()
def store_copy(built_store_file: Path, tmp_path: Path) -> Path:
    """A private copy of the session's built store (cheaper than building one per test)."""
    import shutil

    dest = tmp_path / "baoyen.gpkg"
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{built_store_file}{suffix}")
        if src.exists():
            shutil.copy(src, Path(f"{dest}{suffix}"))
    return dest

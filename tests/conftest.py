"""Shared fixtures: where the real third-party data lives, and a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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


@pytest.fixture(autouse=True, scope="session")
def _never_the_users_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Point the default store somewhere temporary, so no test can touch a planner's real store."""
    home = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_DATA_HOME", str(home))
        mp.setenv("BAOYEN_STORE", str(home / "baoyen" / "session-store.gpkg"))
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

"""A built store per test module, copied for each test (building takes a second or two)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layers.build import build_store
from layers.settings import DATA_DIR


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "baoyen.gpkg"
    build_store(path, DATA_DIR, user="builder")
    return path


@pytest.fixture()
def store_path(built_store: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "baoyen.gpkg"
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{built_store}{suffix}")
        if src.exists():
            shutil.copy(src, Path(f"{dest}{suffix}"))
    return dest

"""The report tests work on a private copy of the session's built store (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def built_store(built_store_file: Path) -> Path:
    return built_store_file


@pytest.fixture()
def store_path(store_copy: Path) -> Path:
    return store_copy

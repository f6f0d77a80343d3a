"""The page tests run the app as `make run` serves it: listening on this machine only (127.0.0.1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit import config


@pytest.fixture(autouse=True)
def _listening_on_this_machine() -> Iterator[None]:
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)

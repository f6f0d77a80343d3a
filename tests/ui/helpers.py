"""Shared set-up of the page tests: a store built from data/, and an AppTest run of one page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from layers.build import ensure_store
from layers.settings import Settings
from ui import state


@contextmanager
def store_at(path: Path, **env: str) -> Iterator[Path]:
    """Build a store from data/ at ``path`` and point ``BAOYEN_STORE`` (and ``env``) at it meanwhile.

    ui.common caches the settings and the store per process, so the caches are cleared on the way in and out.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BAOYEN_STORE", str(path))
        for key, value in env.items():
            mp.setenv(key, value)
        ensure_store(Settings.from_env())
        st.cache_resource.clear()
        st.cache_data.clear()
        yield path
        st.cache_resource.clear()
        st.cache_data.clear()


def _render(module: str) -> None:
    import importlib

    importlib.import_module(f"ui.{module}").render()


def run_page(module: str, lang: str = "vi", *, timeout: float = 60, **session: object) -> AppTest:
    """Run ``ui.<module>.render()`` under AppTest in ``lang``, with extra session state."""
    at = AppTest.from_function(_render, args=(module,), default_timeout=timeout)
    at.session_state[state.LANG] = lang
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()

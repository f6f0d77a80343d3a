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


def sign_in_token(user: str = "admin") -> str:
    """A session token of ``user`` (the admin by default) on the store ``BAOYEN_STORE`` names: what the sidebar's
    sign-in keeps for the tab."""
    from services.accounts import start_session
    from services.context import open_store
    from tests.conftest import signed

    store = open_store(Settings.from_env())
    return start_session(store, signed(store, user)).token


def run_page(
    module: str, lang: str = "vi", *, timeout: float = 60, signed_in: str | None = "admin", **session: object
) -> AppTest:
    """Run ``ui.<module>.render()`` under AppTest in ``lang``, with extra session state.

    ``signed_in``: the tab holds a live session of this user (an admin, made through the real sign-in use case);
    None: nobody is signed in.
    """
    at = AppTest.from_function(_render, args=(module,), default_timeout=timeout)
    at.session_state[state.LANG] = lang
    if signed_in:
        at.session_state[state.SESSION_TOKEN] = sign_in_token(signed_in)
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()

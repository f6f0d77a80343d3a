"""What every page shares: settings, the store, the language, cached layer loaders.

Caching lives only here, at the UI edge, keyed by plain values (store path, layer id, version): Streamlit
cannot hash a GeoDataFrame argument and copies cached data on every hit.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from geo.crs import DISPLAY_CRS
from geo.errors import PlanError
from layers.build import ensure_store
from layers.settings import Settings
from layers.store import Store
from ui import state
from ui.i18n import DEFAULT_LANG, t


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return Settings.from_env()


def settings() -> Settings:
    """The settings of this server process (read from the environment once)."""
    return _settings()


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return ensure_store(Settings.from_env(store=path))


def store() -> Store:
    """The project store, built from data/ on first use."""
    return _store(str(settings().store_path))


def lang() -> str:
    """The UI language of this session: "vi" (default) or "en"."""
    value = st.session_state.get(state.LANG, DEFAULT_LANG)
    return value if value in ("vi", "en") else DEFAULT_LANG


def tr(key: str) -> str:
    """The label for ``key`` in this session's language."""
    return t(key, lang())


@st.cache_data(show_spinner=False, max_entries=64)
def _layer(path: str, layer_id: str, version: int, crs: str) -> gpd.GeoDataFrame:
    return _store(path).read_layer(layer_id, crs=crs)


def layer_frame(layer_id: str, *, crs: str = DISPLAY_CRS) -> gpd.GeoDataFrame:
    """A layer of the store, cached per (store, layer, version, CRS); a new version is read afresh."""
    s = store()
    return _layer(str(settings().store_path), layer_id, s.current_version(layer_id), crs)


@st.cache_data(show_spinner=False, max_entries=8)
def _target_titles(path: str, table_hash: str | None, lang: str) -> dict[str, str]:
    if table_hash is None:  # a store built before the plan tables existed
        return {}
    table = _store(path).read_table("targets")
    column = "title_en" if lang == "en" else "title_vi"
    return {str(i): str(title) for i, title in zip(table["id"], table[column], strict=True)}


def target_titles(lang: str) -> dict[str, str]:
    """Plan target id -> short title in ``lang`` (cached until the targets table is rebuilt)."""
    s = store()
    return _target_titles(str(settings().store_path), s.get_meta("table_hash:targets"), lang)


def show_error(exc: PlanError) -> None:
    """Show a user-fixable error as one message box (no traceback)."""
    st.error(f"{tr('app.error')}: {exc}")

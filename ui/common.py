"""What every page shares: settings, the store, the language, cached layer loaders.

Caching lives only here, at the UI edge, keyed by plain values (store path, layer id, version): Streamlit
cannot hash a GeoDataFrame argument and copies cached data on every hit.
"""

from __future__ import annotations

import time

import geopandas as gpd
import streamlit as st

from geo.crs import DISPLAY_CRS
from geo.errors import PlanError
from geo.limits import MB
from layers.settings import Settings
from layers.store import Store
from services.context import Actor, open_store
from services.messages import describe
from ui import state
from ui.error_hints import page_hint
from ui.i18n import DEFAULT_LANG, t


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return Settings.from_env()


def settings() -> Settings:
    """The settings of this server process (read from the environment once)."""
    return _settings()


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    store = open_store(Settings.from_env(store=path))
    if path == str(settings().store_path):
        _first_start(store)
    return store


def _first_start(store: Store) -> None:
    """The planner's store's first start: make the admin account.

    Its one-time password goes to the server's console only (as Jupyter prints its token), never to a page that
    someone else may open first.
    """
    from geo.errors import StoreError
    from services.accounts import first_start

    try:
        secret = first_start(store, password=settings().admin_password)
    except StoreError:
        return
    if secret:
        print(  # the console of the server is where the operator reads it
            f"baoyen: tài khoản quản trị 'admin' — mật khẩu dùng một lần / administrator 'admin', one-time "
            f"password: {secret}",
            flush=True,
        )


def store_key() -> str:
    """Where this session's store is (the planner's, or the sample store while it is open): the caches' key."""
    if st.session_state.get(state.USE_SAMPLE):
        from services.sample import sample_path

        return str(sample_path(settings()))
    return str(settings().store_path)


def store() -> Store:
    """The store of this session: the planner's (built from data/ on first use), or the sample while open."""
    return _store(store_key())


def store_at(path: str) -> Store:
    """The store at ``path`` (a :func:`store_key`), shared by the sessions: for work outside a session's run."""
    return _store(path)


def showing_sample() -> bool:
    """True while this session shows the sample store (every page then says so)."""
    from services.sample import is_sample

    return is_sample(store())


def accounts_store() -> Store:
    """The store holding the accounts and sessions: the planner's (also while the sample store is open)."""
    return _store(str(settings().store_path))


#: the cookie that carries the session token to other tabs and to other app processes on the same host
SESSION_COOKIE = "baoyen_session"


def session_token() -> str | None:
    """The session token of this tab, or None.

    Signed in here, or carried by the cookie of a sign-in elsewhere (another tab, another app process over the
    same store); none after signing out here.
    """
    ss = st.session_state
    token = ss.get(state.SESSION_TOKEN)
    if token:
        return str(token)
    if ss.get(state.SIGNED_OUT):
        return None
    cookie = st.context.cookies.get(SESSION_COOKIE)
    return str(cookie) if cookie else None


def actor() -> Actor:
    """The person this session acts for: the live session's user, or nobody (who may read, not change)."""
    from services.accounts import session_actor

    return session_actor(accounts_store(), session_token())


def seen_version(scope: str, layer_id: str) -> int:
    """The version of ``layer_id`` that the section ``scope`` showed on its previous run: the base of a change.

    A click reruns the page, and by then someone else may have saved the layer; the change the person made is
    based on what the section showed them, which is the version it noted on the run before. The current
    version is noted for the next run. Call it once per run and section, before the section's save button;
    0 stands for a layer the store does not hold yet.
    """
    s = store()
    return seen(f"{scope}:{layer_id}", s.current_version(layer_id) if s.has_layer(layer_id) else 0)


def seen(key: str, current: int) -> int:
    """The version ``key`` had on this session's previous run (``current`` the first time); notes ``current``."""
    versions: dict[str, int] = st.session_state.setdefault(state.SEEN_VERSIONS, {})
    base = versions.get(key, current)
    versions[key] = current
    return base


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
    return _layer(store_key(), layer_id, s.current_version(layer_id), crs)


def layer_frame_at(path: str, layer_id: str, version: int, *, crs: str = DISPLAY_CRS) -> gpd.GeoDataFrame:
    """:func:`layer_frame` of the store at ``path`` (a :func:`store_key`) for a version known to be current."""
    return _layer(path, layer_id, version, crs)


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
    return _target_titles(store_key(), s.get_meta("table_hash:targets"), lang)


def error_text(exc: PlanError) -> str:
    """The error in the session's language, with the page's hint for it (never command-line advice)."""
    text = describe(exc, lang())
    hint = page_hint(exc, lang())
    return f"{text} ({hint})" if hint else text


def notice_text(note: object) -> str:
    """A notice of a read or a measure (a coded note, or plain text) in the session's language."""
    return describe(note if isinstance(note, (PlanError, str)) else str(note), lang())


def show_error(exc: PlanError) -> None:
    """Show a user-fixable error as one message box (no traceback)."""
    st.error(f"{tr('app.error')}: {error_text(exc)}")


#: how long a page's message after a save stays: the map's own reruns (a new map sends its first value) come right
#: after a save's rerun and would otherwise take the message away before anyone has read it
FLASH_SECONDS = 60.0


def show_flash(key: str) -> None:
    """Show the message a save left in ``st.session_state[key]`` (a str).

    It stays on every run for :data:`FLASH_SECONDS` from its first showing, or until another message replaces it.
    """
    ss = st.session_state
    entry = ss.get(key)
    if isinstance(entry, str):  # left by a save: its time starts now
        entry = ss[key] = {"text": entry, "at": time.monotonic()}
    if not isinstance(entry, dict):
        return
    if time.monotonic() - float(entry["at"]) > FLASH_SECONDS:
        ss.pop(key, None)
        return
    st.success(str(entry["text"]))


def css_text(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line ends escaped)."""
    out = []
    for ch in text:
        out.append(f"\\{ord(ch):06x}" if ch in '"\\\n\r<>' or ord(ch) < 0x20 else ch)
    return '"' + "".join(out) + '"'


def widget_texts() -> None:
    """Streamlit's own uploader texts ("Upload", "200MB per file") written over in the page's language.

    Streamlit 1.67 has no option for them (streamlit#13500): the words stay in the page for screen readers and
    the page's CSS shows ours in their place; the caption beside each uploader says the same in words.
    """
    mb = settings().limits.upload_bytes // MB
    button = css_text(tr("upload.button"))
    limit = css_text(tr("upload.limit").format(mb=mb))
    zone = '[data-testid="stFileUploaderDropzone"]'
    st.html(
        "<style>"
        f'{zone} button [data-testid="stMarkdownContainer"] p {{font-size:0}}'
        f'{zone} button [data-testid="stMarkdownContainer"] p::after {{content:{button};font-size:0.875rem}}'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size:0}}'
        f'{zone} [data-testid="stFileUploaderDropzoneInstructions"] span::after {{content:{limit};font-size:0.875rem}}'
        "</style>"
    )


def sample_controls() -> None:
    """The sidebar button that opens the sample store for this session (made first when missing), or closes it."""
    ss = st.session_state
    if ss.get(state.USE_SAMPLE):
        if st.button(tr("app.sample.close"), key=state.SAMPLE_BUTTON):
            ss[state.USE_SAMPLE] = False
            st.rerun()
        return
    if st.button(tr("app.sample.open"), key=state.SAMPLE_BUTTON, help=tr("app.sample.open_help")):
        from services.sample import build_sample, is_sample, sample_path

        path = sample_path(settings())
        try:
            if not (path.exists() and is_sample(_store(str(path)))):
                build_sample(path, settings())
                _store.clear()
        except PlanError as exc:
            show_error(exc)
            return
        ss[state.USE_SAMPLE] = True
        st.rerun()

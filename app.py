"""Streamlit entry point: page config, navigation and the shared sidebar. Pages live in ui/."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

from geo.errors import PlanError
from services.accounts import check_bind
from ui import state
from ui.common import error_text, sample_controls, settings, showing_sample, tr, widget_texts
from ui.i18n import DEFAULT_LANG

st.set_page_config(page_title="Bảo Yên – quy hoạch CN, TTCN, làng nghề", page_icon="🗺️", layout="wide")

if state.LANG not in st.session_state:
    st.session_state[state.LANG] = DEFAULT_LANG

try:  # listening beyond this machine needs a sign-in for viewing too (BAOYEN_LOGIN=all)
    check_bind(st.get_option("server.address"), settings().login)
except PlanError as exc:
    st.error(f"{tr('app.error')}: {error_text(exc)}")
    st.stop()

with st.sidebar:
    st.radio(
        tr("app.language"),
        options=["vi", "en"],
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
        key=state.LANG,
        horizontal=True,
    )
    from ui.login import sidebar as sign_in_sidebar

    person = sign_in_sidebar()
    sample_controls()

if settings().login == "all" and not person.signed_in:
    st.info(tr("auth.required"))
    st.stop()

widget_texts()

if showing_sample():
    st.warning(f"**{tr('app.sample.banner')}** — {tr('app.sample.help')}")


#: (module in ui/, nav label key, url path); the first page is the default
PAGES: tuple[tuple[str, str, str], ...] = (
    ("map_page", "nav.map", "ban-do"),
    ("clusters_page", "nav.clusters", "cum-cong-nghiep"),
    ("materials_page", "nav.materials", "vung-nguyen-lieu"),
    ("terrain_page", "nav.terrain", "dia-hinh"),
    ("targets_page", "nav.targets", "muc-tieu"),
    ("catalogue_page", "nav.catalogue", "danh-muc"),
    ("data_page", "nav.data", "du-lieu"),
)


def _lazy(module: str) -> Callable[[], None]:
    """A page function that imports ``ui.<module>`` on first use.

    A page's heavy imports (scipy via mapclassify, python-docx, matplotlib) are paid when it is opened,
    not when the server starts.
    """

    def render() -> None:
        importlib.import_module(f"ui.{module}").render()

    render.__name__ = module
    return render


def _pages() -> list[st.Page]:
    return [
        st.Page(_lazy(module), title=tr(label), url_path=path, default=(i == 0))
        for i, (module, label, path) in enumerate(PAGES)
    ]


st.navigation(_pages()).run()
st.sidebar.caption(tr("app.plan_source"))

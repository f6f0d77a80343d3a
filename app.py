"""Streamlit entry point: page config, navigation and the shared sidebar. Pages live in ui/."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.common import tr
from ui.i18n import DEFAULT_LANG

st.set_page_config(page_title="Bảo Yên – quy hoạch CN, TTCN, làng nghề", page_icon="🗺️", layout="wide")

if state.LANG not in st.session_state:
    st.session_state[state.LANG] = DEFAULT_LANG

with st.sidebar:
    st.radio(
        tr("app.language"),
        options=["vi", "en"],
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
        key=state.LANG,
        horizontal=True,
    )


def _pages() -> list[st.Page]:
    from ui import catalogue_page, clusters_page, data_page, map_page, materials_page, targets_page

    return [
        st.Page(map_page.render, title=tr("nav.map"), url_path="ban-do", default=True),
        st.Page(clusters_page.render, title=tr("nav.clusters"), url_path="cum-cong-nghiep"),
        st.Page(materials_page.render, title=tr("nav.materials"), url_path="vung-nguyen-lieu"),
        st.Page(targets_page.render, title=tr("nav.targets"), url_path="muc-tieu"),
        st.Page(catalogue_page.render, title=tr("nav.catalogue"), url_path="danh-muc"),
        st.Page(data_page.render, title=tr("nav.data"), url_path="du-lieu"),
    ]


st.navigation(_pages()).run()
st.sidebar.caption(tr("app.plan_source"))

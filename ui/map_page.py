"""Bản đồ quy hoạch: every catalogue layer on one offline map, with legend, search and a feature panel.

The folium map itself never changes (so the browser keeps it, and the view, across reruns); everything that does
change — basemap, labels, the visible layers, a search highlight — is sent as streamlit-folium
``feature_group_to_add`` groups. The map returns only the clicked feature's tooltip, so panning and zooming never
rerun this script. Layers are prepared once per store version (:func:`ui.mapkit.prepare_layer`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.errors import PlanError
from geo.text import fold
from layers.catalogue import CATALOGUE
from layers.model import COMMON_FIELDS, GROUPS, LayerDef
from ui import assets, common, mapkit, state
from ui.common import lang, show_error, tr

MAP_HEIGHT_PX = 640
MAX_RESULTS = 8
#: geometry types drawn first (underneath) to last (on top), so points stay clickable over polygons
_DRAW_ORDER = {"Polygon": 0, "LineString": 1, "Point": 2}


@st.cache_data(show_spinner=False, max_entries=256)
def _prepared(store_path: str, layer_id: str, version: int) -> mapkit.PreparedLayer:
    """A layer ready to draw, computed once per store, layer and version."""
    return mapkit.prepare_layer(CATALOGUE.get(layer_id), common.layer_frame(layer_id))


def prepared_layers() -> dict[str, mapkit.PreparedLayer]:
    """Every catalogue layer the store holds, prepared for the map (cached per layer version)."""
    store = common.store()
    held = set(store.layer_ids())
    path = common.store_key()
    return {
        layer.id: _prepared(path, layer.id, store.current_version(layer.id)) for layer in CATALOGUE if layer.id in held
    }


def _kept(key: str, default: object) -> str:
    """The widget key for persistent state ``key``, seeded from it (widget state is dropped on other pages)."""
    widget = state.MAP_WIDGET + key
    if widget not in st.session_state:
        st.session_state[widget] = st.session_state.get(key, default)
    return widget


def _sidebar(layers: dict[str, mapkit.PreparedLayer]) -> tuple[list[LayerDef], str]:
    """Layer switches (grouped as in the catalogue) and basemap choice; returns the visible layers and basemap."""
    visible: list[LayerDef] = []
    with st.sidebar:
        st.markdown(f"**{tr('map.layers')}**")
        for group, members in CATALOGUE.by_group().items():
            with st.expander(GROUPS[group][1 if lang() == "en" else 0], expanded=True):
                gkey = state.MAP_GROUP_VISIBLE + group
                group_on = st.toggle(tr("map.layers.group"), key=_kept(gkey, True))
                st.session_state[gkey] = group_on
                for layer in members:
                    lkey = state.MAP_VISIBLE + layer.id
                    prepared = layers.get(layer.id)
                    count = prepared.n_located if prepared else 0
                    note = f"{count}" if count else tr("map.layer_empty")
                    on = st.checkbox(
                        f"{layer.title(lang())} ({note})",
                        key=_kept(lkey, layer.visible_by_default),
                        disabled=not group_on,
                    )
                    st.session_state[lkey] = on
                    if group_on and on and prepared is not None and prepared.n_located:
                        visible.append(layer)
        names = {key: tr(f"map.basemap.{key}") for key in mapkit.BASEMAPS}  # labels fixed now, not when called
        basemap = st.radio(
            f"**{tr('map.basemap')}**",
            options=list(names),
            format_func=names.__getitem__,
            key=_kept(state.MAP_BASEMAP, "none"),
        )
        st.session_state[state.MAP_BASEMAP] = basemap
    return visible, basemap


def search(layers: dict[str, mapkit.PreparedLayer], query: str) -> list[mapkit.SearchEntry]:
    """Features whose name matches ``query`` ignoring diacritics and case; best matches first.

    Exact names first, then names starting with the query, then the rest; located features before unlocated
    ones; then catalogue order.
    """
    q = fold(query)
    if not q:
        return []
    order = {layer.id: i for i, layer in enumerate(CATALOGUE)}
    words = q.split()  # geo.text.matches(query, name), with the names folded once when the layer was prepared
    hits = [e for p in layers.values() for e in p.search if all(word in e.folded for word in words)]

    def rank(e: mapkit.SearchEntry) -> tuple[int, int, int, str]:
        closeness = 0 if e.folded == q else 1 if e.folded.startswith(q) else 2
        return (closeness, e.at is None, order.get(e.layer_id, len(order)), e.folded)

    return sorted(hits, key=rank)


def _result_label(entry: mapkit.SearchEntry) -> str:
    where = "" if entry.at is not None else f" ({tr('map.search.no_place')})"
    return f"{entry.name} — {CATALOGUE.get(entry.layer_id).title(lang())}{where}"


def _search_box(layers: dict[str, mapkit.PreparedLayer]) -> mapkit.SearchEntry | None:
    query = st.text_input(tr("map.search"), key=state.MAP_SEARCH, placeholder=tr("map.search.placeholder"))
    hits = search(layers, query)
    if not query.strip():
        return None
    if not hits:
        st.info(tr("map.search.none"))
        return None
    shown = hits[:MAX_RESULTS]
    labels = [_result_label(entry) for entry in shown]
    pick = st.radio(
        tr("map.search.results"),
        options=range(len(shown)),
        format_func=lambda i: labels[i],
        key=state.MAP_PICK + fold(query),
    )
    if len(hits) > len(shown):
        st.caption(tr("map.search.more").format(shown=len(shown), total=len(hits)))
    return shown[pick or 0]


def _plan_group(
    visible: Iterable[LayerDef], layers: dict[str, mapkit.PreparedLayer], basemap: str, hit: mapkit.SearchEntry | None
) -> folium.FeatureGroup:
    """Everything that changes between reruns, in one group (streamlit-folium swaps groups as a whole anyway)."""
    group = mapkit.context_group(basemap=basemap, lang=lang())
    titles = common.target_titles(lang())
    for layer in sorted(visible, key=lambda layer: _DRAW_ORDER.get(layer.geometry_type, 3)):
        mapkit.add_layer(group, layer, layers[layer.id], lang=lang(), target_titles=titles)
    if hit is not None:
        mapkit.add_highlight(group, hit)
    return group


def _select(key: str, ref: tuple[str, str] | None) -> None:
    """Show ``ref`` in the side panel when it differs from the last one seen under ``key`` (a new click/pick)."""
    if ref is not None and st.session_state.get(key) != ref:
        st.session_state[state.MAP_SELECTED] = ref
    st.session_state[key] = ref


def _md(text: str) -> str:
    """Text shown literally inside markdown (names may hold *, _, [ or #)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


def _details(ref: tuple[str, str] | None) -> None:
    st.markdown(f"**{tr('map.details')}**")
    if ref is None or ref[0] not in CATALOGUE:
        st.caption(tr("map.details.empty"))
        return
    layer = CATALOGUE.get(ref[0])
    frame = common.layer_frame(layer.id)
    rows = frame[frame["id"].astype(str) == ref[1]]
    if rows.empty:
        st.caption(tr("map.details.gone"))
        return
    row = rows.iloc[0]
    st.markdown(f"**{_md(str(row.get('name', '')))}**  \n{_md(layer.title(lang()))}")
    fields = {f.name: f for f in layer.fields}
    labels = {"id": tr("map.col.id"), "name": tr("map.col.name"), "source": tr("map.col.source")}
    out = []
    for col in [*COMMON_FIELDS, *(c for c in fields if c not in COMMON_FIELDS)]:
        if col not in frame.columns:
            continue
        fdef = fields.get(col)
        if col == "geom_quality":
            value = mapkit.quality_label(str(row[col]), lang())
            label = tr("map.popup.quality")
        else:
            value = mapkit.format_value(fdef, row[col], lang())
            label = (fdef.label_en if lang() == "en" else fdef.label_vi) if fdef else labels.get(col, col)
        if value:
            out.append((label, value))
    # a layer whose features name their own targets: a feature naming none serves none (CCN Cam Cọn is not
    # target (7)); the layer's targets stand in only for layers without the field
    if layer.targets and "plan_targets" not in frame.columns:
        out.append((tr("map.popup.targets"), ", ".join(layer.targets)))
    table = pd.DataFrame(out, columns=[tr("map.details.field"), tr("map.details.value")])
    st.table(table.set_index(tr("map.details.field")))


def _unlocated(layers: dict[str, mapkit.PreparedLayer]) -> None:
    rows = [
        (CATALOGUE.get(lid).title(lang()), name, source)
        for lid, p in layers.items()
        for _fid, name, source in p.unlocated
    ]
    with st.expander(f"{tr('map.unlocated')} ({len(rows)})"):
        st.caption(tr("map.unlocated.help"))
        if rows:
            cols = [tr("map.col.layer"), tr("map.col.name"), tr("map.col.source")]
            st.dataframe(pd.DataFrame(rows, columns=cols), hide_index=True, width="stretch")


def render() -> None:
    """The planning map page."""
    st.subheader(tr("map.title"))
    try:
        assets.check()
        _page(prepared_layers())
    except PlanError as exc:
        show_error(exc)


def _page(layers: dict[str, mapkit.PreparedLayer]) -> None:
    visible, basemap = _sidebar(layers)
    with st.container():  # always there, so the map's place in the page (and so the browser's map) never moves
        hit = _search_box(layers)
    _select(state.MAP_LAST_PICK, (hit.layer_id, hit.feature_id) if hit else None)

    map_col, side_col = st.columns([3, 1], gap="medium")
    with map_col:
        result = st_folium(
            mapkit.base_map(lang=None),
            key=state.MAP_COMPONENT,
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=["last_object_clicked_tooltip"],
            feature_group_to_add=_plan_group(visible, layers, basemap, hit),
            center=hit.at if hit is not None and hit.at is not None else None,
            zoom=hit.zoom if hit is not None and hit.at is not None else None,
        )
        _unlocated(layers)
    _select(state.MAP_LAST_CLICK, mapkit.parse_ref((result or {}).get("last_object_clicked_tooltip")))
    with side_col:
        _details(st.session_state.get(state.MAP_SELECTED))
        st.markdown(f"**{tr('map.legend')}**")
        st.html(
            mapkit.legend_html(
                visible,
                lang(),
                size_max={lid: p.size_max for lid, p in layers.items() if p.size_max},
                qualities={lid: q for lid, p in layers.items() if (q := p.dominant_quality)},
                present={lid: p.color_values for lid, p in layers.items()},
            )
        )

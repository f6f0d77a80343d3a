"""Bản đồ quy hoạch: every catalogue layer on one offline map, with legend, search and a feature panel.

The folium map itself never changes (so the browser keeps it, and the view, across reruns); everything that does
change — basemap, labels, the visible layers, a search highlight — is sent as streamlit-folium
``feature_group_to_add`` groups. The map returns only the clicked feature's tooltip, so panning and zooming never
rerun this script. Layers are prepared once per store version (:func:`ui.mapkit.prepare_layer`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from folium.plugins import Draw
from streamlit_folium import st_folium

from geo.crs import DISPLAY_CRS
from geo.errors import PlanError
from geo.numbers import format_number
from geo.text import fold
from layers import tiles
from layers.catalogue import CATALOGUE
from layers.model import COMMON_FIELDS, GROUPS, FieldDef, LayerDef
from layers.store import Store
from services.tiles import TileBuilds, TileStatus
from ui import assets, common, mapkit, measure, print_map, state
from ui.common import lang, show_error, tr
from ui.escape import html_text
from ui.i18n import t

MAP_HEIGHT_PX = 640
MAX_RESULTS = 8
#: geometry types drawn first (underneath) to last (on top), so points stay clickable over polygons
_DRAW_ORDER = {"Polygon": 0, "LineString": 1, "Point": 2}
#: the layers whose names are written on the map when "commune names" is on
NAMED_LAYERS: tuple[str, ...] = ("communes_legacy", "communes_2025")
#: what the map sends back: a clicked feature, and the measure tool's shapes (never the view: no rerun on a pan)
RETURNED_OBJECTS: tuple[str, ...] = ("last_object_clicked_tooltip", "all_drawings")
MEASURE_COLOR = "#e31a1c"
#: Leaflet.draw with the measure tool's shapes only: a line (distance) and a polygon (area); the figures are ours
#: (EPSG:9208, Vietnamese number format), so Leaflet.draw's own live figures are off
MEASURE_DRAW: dict[str, Any] = {
    "polyline": {"showLength": False, "shapeOptions": {"color": MEASURE_COLOR, "weight": 3}},
    "polygon": {"allowIntersection": False, "showArea": False, "shapeOptions": {"color": MEASURE_COLOR, "weight": 2}},
    "rectangle": False,
    "circle": False,
    "marker": False,
    "circlemarker": False,
}
#: Leaflet.draw's labels for the measure tool: its own ("map.measure.js." + path) and the drawing ones the
#: cluster map's lots use too ("clusters.draw.js." + path)
MEASURE_LOCAL: tuple[str, ...] = (
    "draw.toolbar.buttons.polyline",
    "draw.toolbar.buttons.polygon",
    "draw.handlers.polyline.tooltip.start",
    "draw.handlers.polyline.tooltip.cont",
    "draw.handlers.polyline.tooltip.end",
    "draw.handlers.polygon.tooltip.start",
    "draw.handlers.polygon.tooltip.cont",
    "draw.handlers.polygon.tooltip.end",
)
SHARED_DRAW_LOCAL: tuple[str, ...] = (
    "draw.toolbar.actions.title",
    "draw.toolbar.actions.text",
    "draw.toolbar.finish.title",
    "draw.toolbar.finish.text",
    "draw.toolbar.undo.title",
    "draw.toolbar.undo.text",
    "draw.handlers.polyline.error",
    "edit.toolbar.actions.save.title",
    "edit.toolbar.actions.save.text",
    "edit.toolbar.actions.cancel.title",
    "edit.toolbar.actions.cancel.text",
    "edit.toolbar.actions.clearAll.title",
    "edit.toolbar.actions.clearAll.text",
    "edit.toolbar.buttons.edit",
    "edit.toolbar.buttons.editDisabled",
    "edit.toolbar.buttons.remove",
    "edit.toolbar.buttons.removeDisabled",
    "edit.handlers.edit.tooltip.text",
    "edit.handlers.edit.tooltip.subtext",
    "edit.handlers.remove.tooltip.text",
)
PAPERS: tuple[str, ...] = tuple(print_map.PAPERS)
ORIENTATIONS: tuple[str, ...] = ("landscape", "portrait")
PRINT_DPI = 150


@dataclass(frozen=True)
class AttributeFilter:
    """The attribute filter the sidebar set: one layer, one field, the values shown (empty: no filter)."""

    layer_id: str
    field: FieldDef
    values: tuple[str, ...]


@st.cache_data(show_spinner=False, max_entries=256)
def _prepared(store_path: str, layer_id: str, version: int) -> mapkit.PreparedLayer:
    """A layer ready to draw, computed once per store, layer and version."""
    return mapkit.prepare_layer(CATALOGUE.get(layer_id), common.layer_frame(layer_id))


@st.cache_data(show_spinner=False, max_entries=64)
def _prepared_filtered(
    store_path: str, layer_id: str, version: int, field: str, values: tuple[str, ...]
) -> mapkit.PreparedLayer:
    """A layer's features that pass an attribute filter, ready to draw (cached per filter and version)."""
    frame = mapkit.filter_features(common.layer_frame(layer_id), field, values)
    return mapkit.prepare_layer(CATALOGUE.get(layer_id), frame)


@st.cache_data(show_spinner=False, max_entries=256)
def _use_tiles(store_path: str, layer_id: str, version: int) -> bool:
    """Whether a layer version is drawn from vector tiles (by its size: :func:`layers.tiles.needs_tiles`)."""
    layer = CATALOGUE.get(layer_id)
    if layer.geometry_type not in tiles.TILED_TYPES:
        return False
    features = next(i.features for i in common.store_at(store_path).layer_info() if i.layer_id == layer_id)
    if tiles.needs_tiles(layer.geometry_type, features=features):
        return True
    # below the count: a layer of few but detailed features (a CAD import) is decided by its coordinates
    frame = common.layer_frame_at(store_path, layer_id, version)
    return tiles.needs_tiles(layer.geometry_type, features=features, coordinates=tiles.coordinates(frame))


@st.cache_resource(show_spinner=False, max_entries=8)
def _large_frame(store_path: str, layer_id: str, version: int) -> gpd.GeoDataFrame:
    """A large layer's version (EPSG:4326), shared read-only by every session: no copy per rerun (cache_data's)."""
    return common.store_at(store_path).read_version(layer_id, version, crs=DISPLAY_CRS)


@st.cache_resource(show_spinner=False, max_entries=8)
def _tiled(store_path: str, layer_id: str, version: int) -> mapkit.PreparedLayer:
    """A large layer ready to draw from its tiles, computed once per store, layer and version (shared)."""
    return mapkit.prepare_tiled_layer(CATALOGUE.get(layer_id), _large_frame(store_path, layer_id, version))


@st.cache_resource(show_spinner=False, max_entries=8)
def _pick_tree(store_path: str, layer_id: str, version: int) -> Any:
    """An STRtree of a large layer version's shapes, for finding what a click on its tiles picked (shared)."""
    return shapely.STRtree(np.asarray(_large_frame(store_path, layer_id, version).geometry.array, dtype=object))


def clicked(text: str | None, layers: Mapping[str, mapkit.PreparedLayer]) -> tuple[str, str] | None:
    """(layer id, feature id) of what the map's last click picked, from the text it sent, or None.

    A GeoJSON feature sends its hidden ``⟦layer/id⟧``; a click on a tiled layer sends where it was
    (``⟦layer@lat,lon,zoom⟧``: the tiles carry no id) and the feature there is looked up in the store's version.
    """
    ref = mapkit.parse_ref(text)
    if ref is not None:
        return ref
    at = mapkit.parse_point_ref(text)
    if at is None or at.layer_id not in layers or not layers[at.layer_id].tiled:
        return None
    version = common.store().current_version(at.layer_id)
    path = common.store_key()
    frame = _large_frame(path, at.layer_id, version)
    row = mapkit.feature_at(frame.geometry.array, at, tree=_pick_tree(path, at.layer_id, version))
    return None if row is None else (at.layer_id, str(frame["id"].iloc[row]))


def build_new_versions(store_path: str, builds: TileBuilds, seen: dict[str, int]) -> None:
    """Start the tile builds of the large layers whose current version is not in ``seen`` (then ``seen`` is it).

    The app's watch (:meth:`services.tiles.TileBuilds.watch`) calls it every second: whoever wrote a version (a
    page, ``baoyen import``, another office in the shared database), its tiles are built before a map asks. It
    prepares the version as the page does (the same shared caches), so the next page finds it ready too.
    """
    store = common.store_at(store_path)
    versions = store.current_versions()
    if versions == seen:
        return
    changed = [
        (layer, versions[layer.id])
        for layer in CATALOGUE
        if layer.geometry_type in tiles.TILED_TYPES
        and layer.id in versions
        and seen.get(layer.id) != versions[layer.id]
    ]
    # seen before they are built: a version that fails here is not tried again every second (a page that draws
    # it still starts its build, and shows why it failed)
    seen.clear()
    seen.update(versions)
    for layer, version in changed:
        if not _use_tiles(store_path, layer.id, version):
            continue
        # the build first (it needs only the styles), then the rest of the page's preparation beside it
        job = mapkit.tile_job(layer, _large_frame(store_path, layer.id, version))
        if job.features:
            _ensure_tiles(builds, store, store_path, layer.id, version, job)
        _tiled(store_path, layer.id, version)


def _ensure_tiles(
    builds: TileBuilds, store: Store, store_path: str, layer_id: str, version: int, job: mapkit.TileJob
) -> TileStatus:
    """:meth:`TileBuilds.ensure` of a large layer version, handed the frame the page holds already."""
    return builds.ensure(
        store,
        layer_id,
        version,
        columns=job.columns,
        features=job.features,
        frame=_large_frame(store_path, layer_id, version),  # held already: not read again
        palette=job.palette,
    )


@st.cache_resource(show_spinner=False, on_release=TileBuilds.close)
def _tile_builds(tiles_dir: str) -> TileBuilds:
    """The tile builds of this server process (their threads outlive a session's run).

    They watch the planner's store (:func:`build_new_versions`) from the first map on. When the cache lets them
    go, the watch and their build process started ahead end.
    """
    builds = TileBuilds(Path(tiles_dir), standby=True)
    path = str(common.settings().store_path)
    seen: dict[str, int] = {}  # the versions the watch has seen
    builds.watch(lambda: build_new_versions(path, builds, seen))
    return builds


def tile_builds() -> TileBuilds:
    """The process's tile builds over the app's tiles folder (static/tiles, served at /app/static/tiles)."""
    return _tile_builds(str(assets.TILES_DIR))


def prepared_layers() -> dict[str, mapkit.PreparedLayer]:
    """Every catalogue layer the store holds, prepared for the map (cached per layer version).

    Large layers (:func:`layers.tiles.needs_tiles`) are prepared for their vector tiles, the others as GeoJSON.
    """
    store = common.store()
    held = set(store.layer_ids())
    path = common.store_key()
    out = {}
    for layer in CATALOGUE:
        if layer.id in held:
            version = store.current_version(layer.id)
            out[layer.id] = (_tiled if _use_tiles(path, layer.id, version) else _prepared)(path, layer.id, version)
    return out


def _frame(layer_id: str) -> gpd.GeoDataFrame:
    """A layer's current version (EPSG:4326): the shared frame for a large layer, else the cached copy."""
    store = common.store()
    version = store.current_version(layer_id)
    path = common.store_key()
    if CATALOGUE.get(layer_id).geometry_type in tiles.TILED_TYPES and _use_tiles(path, layer_id, version):
        return _large_frame(path, layer_id, version)
    return common.layer_frame(layer_id)


def tile_statuses(visible: Iterable[LayerDef], layers: Mapping[str, mapkit.PreparedLayer]) -> dict[str, TileStatus]:
    """The tiles of the visible large layers: ready, or being built (a build starts when none exists yet)."""
    store, builds = common.store(), tile_builds()
    out = {}
    for layer in visible:
        prepared = layers[layer.id]
        if prepared.tiled:
            version = store.current_version(layer.id)
            job = mapkit.TileJob(prepared.tile_columns, prepared.n_located, mapkit.overview_palette(prepared))
            out[layer.id] = _ensure_tiles(builds, store, common.store_key(), layer.id, version, job)
    return out


@st.cache_data(show_spinner=False, max_entries=64)
def tile_overview(name: str) -> tiles.Overview | None:
    """The overview image a ready tile file records (a file's name never changes its content)."""
    return tiles.file_overview(tile_builds().path(name))


def layer_title(layer_id: str, layers: Mapping[str, mapkit.PreparedLayer], language: str) -> str:
    """A layer's title as every part of this page shows it: saying what its stored features are worth.

    From the prepared layer's own ``geom_quality`` values (:func:`ui.mapkit.layer_title`, which is
    :meth:`layers.model.LayerDef.title`): "(sơ đồ)" for the schematic communes, "(số hóa)" once real boundaries
    are imported; the bare title for a layer the store does not hold.
    """
    return mapkit.layer_title(CATALOGUE.get(layer_id), layers.get(layer_id), language)


def switch_label(layer: LayerDef, prepared: mapkit.PreparedLayer | None, language: str) -> str:
    """A layer switch's label: its quality-aware title and how many features it draws, as markdown-safe text.

    Streamlit reads a widget label as markdown, so the text is escaped (:func:`_md`): it shows as written.
    """
    count = prepared.n_located if prepared is not None else 0
    note = str(count) if count else t("map.layer_empty", language)
    return _md(f"{mapkit.layer_title(layer, prepared, language)} ({note})")


def _building_text(status: TileStatus, prepared: mapkit.PreparedLayer) -> str:
    return tr("map.tiles.building").format(
        layer=mapkit.layer_title(CATALOGUE.get(status.layer_id), prepared, lang()),
        n=format_number(status.features, lang()),
        pct=format_number(round(100 * status.progress), lang()),
    )


#: the page is not rerun by the progress bar sooner than this after its last whole run began: the browser may
#: still be mounting that run's map, and a new one arriving then was seen to leave the map without its layers
#: (2 opens in 25 after a patched edit, whose build ends while the page loads)
RERUN_SETTLE_S = 2.5


@st.fragment(run_every=0.5)
def _tile_progress(statuses: Mapping[str, TileStatus]) -> None:
    """A progress bar per tile build under way; the page reruns when they have all ended."""
    store, builds = common.store(), tile_builds()
    settled = time.monotonic() - float(st.session_state.get(state.MAP_RUN_AT, 0.0)) >= RERUN_SETTLE_S
    running = False
    for layer_id, status in statuses.items():
        if status.state != "building":
            continue
        prepared = _tiled(common.store_key(), layer_id, status.version)
        now = builds.ensure(store, layer_id, status.version, columns=prepared.tile_columns, features=status.features)
        if now.state == "building":
            if now.overview is not None and status.overview is None and settled:
                st.rerun()  # the build has painted the overview: the map draws the district's views from it
            running = True
            st.progress(now.progress, text=_building_text(now, prepared))
        elif not settled:
            running = True  # ended: the page reruns at a later look, once its map has settled
            st.progress(1.0, text=_building_text(now, prepared))
    if not running:
        st.rerun()
    st.caption(tr("map.tiles.building_help"))


def _tile_messages(statuses: Mapping[str, TileStatus], layers: Mapping[str, mapkit.PreparedLayer]) -> None:
    for status in statuses.values():
        if status.state == "failed":
            st.error(
                tr("map.tiles.failed_build").format(
                    layer=layer_title(status.layer_id, layers, lang()), error=status.error
                )
            )
    if any(status.state == "building" for status in statuses.values()):
        _tile_progress(statuses)


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
                    on = st.checkbox(
                        switch_label(layer, prepared, lang()),
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
        st.session_state[state.MAP_NAMES] = st.toggle(tr("map.names.communes"), key=_kept(state.MAP_NAMES, True))
    return visible, basemap


def _filter_box(layers: dict[str, mapkit.PreparedLayer], visible: Sequence[LayerDef]) -> AttributeFilter | None:
    """The sidebar's attribute filter: a layer, one of its fields and the values to show."""
    held = [layer for layer in CATALOGUE if layer.id in layers and layers[layer.id].n_located]
    titles = {layer.id: layer_title(layer.id, layers, lang()) for layer in held}
    none = tr("map.filter.none")
    with st.sidebar, st.expander(tr("map.filter"), expanded=False):
        layer_id = st.selectbox(
            tr("map.filter.layer"),
            options=["", *titles],
            format_func=lambda lid: titles.get(lid, none),
            key=state.MAP_FILTER_LAYER,
        )
        if not layer_id:
            return None
        layer = CATALOGUE.get(layer_id)
        frame = common.layer_frame(layer_id)
        fields = {f.name: f for f in mapkit.filter_fields(layer, frame)}
        if not fields:
            st.caption(tr("map.filter.no_fields"))
            return None
        field_name = st.selectbox(
            tr("map.filter.field"),
            options=list(fields),
            format_func=lambda name: fields[name].label_en if lang() == "en" else fields[name].label_vi,
            key=state.MAP_FILTER_FIELD + layer_id,
        )
        fdef = fields[field_name or next(iter(fields))]
        options = mapkit.filter_values(fdef, frame)
        values = st.multiselect(
            tr("map.filter.values"),
            options=options,
            format_func=lambda v: mapkit.filter_label(fdef, v, lang()),
            key=f"{state.MAP_FILTER_VALUES}{layer_id}.{fdef.name}",
            placeholder=tr("map.filter.pick"),
        )
        if not values:
            return None
        chosen = AttributeFilter(layer_id, fdef, tuple(values))
        if layer not in visible:
            st.caption(tr("map.filter.hidden").format(layer=titles[layer_id]))
        return chosen


def _filter_text(flt: AttributeFilter, layers: Mapping[str, mapkit.PreparedLayer], language: str) -> str:
    fdef = flt.field
    return t("map.print.filtered", language).format(
        layer=layer_title(flt.layer_id, layers, language),
        field=(fdef.label_en if language == "en" else fdef.label_vi).lower(),
        values=", ".join(mapkit.filter_label(fdef, v, language) for v in flt.values),
    )


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


def _result_label(entry: mapkit.SearchEntry, layers: Mapping[str, mapkit.PreparedLayer]) -> str:
    where = "" if entry.at is not None else f" ({tr('map.search.no_place')})"
    return f"{entry.name} — {layer_title(entry.layer_id, layers, lang())}{where}"


def _search_box(layers: dict[str, mapkit.PreparedLayer]) -> mapkit.SearchEntry | None:
    query = st.text_input(tr("map.search"), key=state.MAP_SEARCH, placeholder=tr("map.search.placeholder"))
    hits = search(layers, query)
    if not query.strip():
        return None
    if not hits:
        st.info(tr("map.search.none"))
        return None
    shown = hits[:MAX_RESULTS]
    labels = [_result_label(entry, layers) for entry in shown]
    pick = st.radio(
        tr("map.search.results"),
        options=range(len(shown)),
        format_func=lambda i: labels[i],
        key=state.MAP_PICK + fold(query),
    )
    if len(hits) > len(shown):
        st.caption(tr("map.search.more").format(shown=len(shown), total=len(hits)))
    return shown[pick or 0]


def measure_labels(language: str) -> dict[str, str]:
    """Leaflet.draw's labels for the measure tool in ``language``: L.drawLocal path -> text."""
    own = {path: t(f"map.measure.js.{path}", language) for path in MEASURE_LOCAL}
    return {**{path: t(f"clusters.draw.js.{path}", language) for path in SHARED_DRAW_LOCAL}, **own}


def measure_map() -> folium.Map:
    """The planning map: the base map with the print button and Leaflet.draw's line and polygon (the measure tool)."""
    m = mapkit.use_tiles(mapkit.base_map(lang=None, print_button=True))
    Draw(position="topleft", show_geometry_on_click=False, draw_options=MEASURE_DRAW).add_to(m)
    return mapkit.use_local_assets(m)


def spread_moves(visible: Iterable[LayerDef], layers: Mapping[str, mapkit.PreparedLayer]) -> dict[str, Any]:
    """Where the visible point layers' co-located points are drawn (layer/id -> lat, lon, metres moved)."""
    points = tuple(
        (f"{e.layer_id}/{e.feature_id}", e.at[0], e.at[1])
        for layer in visible
        if layer.geometry_type == "Point"
        for e in layers[layer.id].search
        if e.at is not None
    )
    return _spread(points)


@st.cache_data(show_spinner=False, max_entries=64)
def _spread(points: tuple[tuple[str, float, float], ...]) -> dict[str, Any]:
    """:func:`ui.mapkit.spread_colocated`, computed once per set of points.

    Every rerun runs in a new thread, where pyproj makes its transformers again (0.14 s a rerun).
    """
    return dict(mapkit.spread_colocated(points))


def _plan_group(
    visible: Iterable[LayerDef],
    layers: dict[str, mapkit.PreparedLayer],
    basemap: str,
    hit: mapkit.SearchEntry | None,
    *,
    names: bool = True,
    tiled: Mapping[str, str] | None = None,
    pending: Mapping[str, tuple[str, tiles.Overview]] | None = None,
    selected: tuple[str, str] | None = None,
) -> folium.FeatureGroup:
    """Everything that changes between reruns, in one group (streamlit-folium swaps groups as a whole anyway).

    ``tiled`` names the tile file of each large layer whose tiles are ready; ``pending`` the tile file and the
    overview already painted of each whose tiles are being built (drawn as that image alone until they are ready);
    the others are not drawn yet. ``selected`` is the feature of a large layer clicked or picked: outlined, with
    its popup, read from the store.
    """
    group = mapkit.context_group(basemap=basemap, lang=lang())
    titles = common.target_titles(lang())
    shown = sorted(visible, key=lambda layer: _DRAW_ORDER.get(layer.geometry_type, 3))
    tiled, pending = tiled or {}, pending or {}
    for layer in shown:
        if layers[layer.id].tiled:
            if layer.id in tiled:
                name, image, building = tiled[layer.id], tile_overview(tiled[layer.id]), False
            elif layer.id in pending:
                (name, image), building = pending[layer.id], True
            else:
                continue
            mapkit.add_tiled_layer(
                group,
                layer,
                layers[layer.id],
                mapkit.tile_url(name),
                lang=lang(),
                target_titles=titles,
                overview=image,
                pending=building,
            )
            continue
        mapkit.add_layer(group, layer, layers[layer.id], lang=lang(), target_titles=titles)
    mapkit.add_spread(group, spread_moves(shown, layers))
    if names:
        for layer in shown:
            if layer.id in NAMED_LAYERS:
                items = [(e.at[0], e.at[1], e.name) for e in layers[layer.id].search if e.at is not None]
                mapkit.add_names(group, items, kind="commune")
    if hit is not None:
        mapkit.add_highlight(group, hit)
    if selected is not None and (selected[0] in tiled or selected[0] in pending):
        layer = CATALOGUE.get(selected[0])
        rows = feature_rows(selected[0], selected[1])
        if not rows.empty:
            mapkit.add_selected(group, layer, layers[layer.id], rows.iloc[:1], lang=lang(), target_titles=titles)
    mapkit.DrawLabels(measure_labels(lang())).add_to(group)
    return group


def feature_rows(layer_id: str, feature_id: str) -> gpd.GeoDataFrame:
    """The store's rows of a feature (EPSG:4326) by its id: what a popup and the side panel show."""
    frame = _frame(layer_id)
    return frame[frame["id"].astype(str) == feature_id]


def _select(key: str, ref: tuple[str, str] | None) -> None:
    """Show ``ref`` in the side panel when it differs from the last one seen under ``key`` (a new click/pick)."""
    if ref is not None and st.session_state.get(key) != ref:
        st.session_state[state.MAP_SELECTED] = ref
    st.session_state[key] = ref


def _md(text: str) -> str:
    """Text shown literally inside markdown (names may hold *, _, [ or #)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", text)


def _details(ref: tuple[str, str] | None, layers: Mapping[str, mapkit.PreparedLayer]) -> None:
    st.markdown(f"**{tr('map.details')}**")
    if ref is None or ref[0] not in CATALOGUE:
        st.caption(tr("map.details.empty"))
        return
    layer = CATALOGUE.get(ref[0])
    rows = feature_rows(layer.id, ref[1])
    frame = rows
    if rows.empty:
        st.caption(tr("map.details.gone"))
        return
    row = rows.iloc[0]
    st.markdown(f"**{_md(str(row.get('name', '')))}**  \n{_md(layer_title(layer.id, layers, lang()))}")
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
        (layer_title(lid, layers, lang()), name, source)
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


def _measurements(features: Sequence[Mapping[str, Any]] | None) -> None:
    """The measure tool's figures: each drawn line's length, each polygon's area and perimeter (EPSG:9208)."""
    st.markdown(f"**{tr('map.measure')}**")
    found = measure.measure_drawings(features)
    if not found:
        st.caption(tr("map.measure.help"))
        return
    language, lines, polygons, out = lang(), 0, 0, []
    for m in found:
        length = measure.format_length(m.length_m, language)
        if m.area_m2 is None:
            lines += 1
            out.append(tr("map.measure.line").format(i=lines, length=length))
        else:
            polygons += 1
            area = measure.format_area(m.area_m2, language)
            out.append(tr("map.measure.polygon").format(i=polygons, area=area, length=length))
    st.html(
        '<div class="by-measure" style="font-size:0.9rem">'
        + "".join(f"<div>{html_text(line)}</div>" for line in out)
        + "</div>"
    )


def print_bounds(view: Mapping[str, Any] | None) -> tuple[float, float, float, float]:
    """The printed frame (west, south, east, north) from the print button's view, or the whole district."""
    if view:
        try:
            west, south = float(view["west"]), float(view["south"])
            east, north = float(view["east"]), float(view["north"])
        except (KeyError, TypeError, ValueError):
            pass
        else:
            if west < east and south < north:
                return west, south, east, north
    (south, west), (north, east) = mapkit.DISTRICT_BOUNDS
    return west, south, east, north


def print_hidden(view: Mapping[str, Any] | None) -> frozenset[str]:
    """The layers hidden by the map's own switch when the print button was pressed (catalogue ids only).

    The list comes from the browser, so anything but a catalogue layer id is dropped.
    """
    hidden = (view or {}).get("hidden")
    if not isinstance(hidden, list):
        return frozenset()
    return frozenset(h for h in hidden if isinstance(h, str) and h in CATALOGUE)


def print_layers(visible: Iterable[LayerDef], flt: AttributeFilter | None) -> list[print_map.PrintLayer]:
    """The visible layers' features for the printed map, with the attribute filter applied as on screen."""
    out = []
    for layer in visible:
        frame = _frame(layer.id)
        if flt is not None and flt.layer_id == layer.id:
            frame = mapkit.filter_features(frame, flt.field.name, flt.values)
        out.append(print_map.PrintLayer(layer, frame))
    return out


def print_signature(
    visible: Iterable[LayerDef],
    flt: AttributeFilter | None,
    bounds: tuple[float, float, float, float],
    options: print_map.PrintOptions,
) -> str:
    """What a printed map was made from: the layers with their versions and filter, the frame and the options.

    A layer's version and the filter on it decide its features, so none of them is listed (listing 120,000 plot
    and lot ids cost every rerun of the map a third of a second).
    """
    store = common.store()
    parts = [
        (
            layer.id,
            store.current_version(layer.id),
            (flt.field.name, flt.values) if flt is not None and flt.layer_id == layer.id else None,
        )
        for layer in visible
    ]
    return hashlib.sha256(repr((parts, bounds, options)).encode("utf-8")).hexdigest()


def _print_box(
    visible: Sequence[LayerDef], flt: AttributeFilter | None, prepared: Mapping[str, mapkit.PreparedLayer]
) -> None:
    """Paper, orientation and title of the printed map, and its PNG and PDF downloads."""
    with st.expander(tr("map.print")):
        view = st.session_state.get(state.MAP_PRINT_VIEW)
        if view:
            st.caption(tr("map.print.frame.view").format(zoom=format_number(view.get("zoom"), lang())))
        else:
            st.caption(tr("map.print.frame.default"))
        hidden = print_hidden(view)
        if any(layer.id in hidden for layer in visible):  # hidden by the map's own switch: not printed either
            visible = [layer for layer in visible if layer.id not in hidden]
            hidden_titles = ", ".join(layer_title(lid, prepared, lang()) for lid in sorted(hidden) if lid in prepared)
            st.caption(tr("map.print.hidden").format(layers=hidden_titles))
        a, b = st.columns(2)
        paper = a.selectbox(tr("map.print.paper"), options=PAPERS, key=state.MAP_PRINT_PAPER)
        names = {o: tr(f"map.print.{o}") for o in ORIENTATIONS}
        orientation = b.radio(
            tr("map.print.orientation"),
            options=ORIENTATIONS,
            format_func=names.__getitem__,
            horizontal=True,
            key=state.MAP_PRINT_ORIENTATION,
        )
        if state.MAP_PRINT_TITLE not in st.session_state:
            st.session_state[state.MAP_PRINT_TITLE] = tr("map.print.default_title")
        title = st.text_input(tr("map.print.title"), key=state.MAP_PRINT_TITLE)
        printed = flt if flt is not None and flt.layer_id in {v.id for v in visible} else None  # the filter drawn
        options = print_map.PrintOptions(
            title=title,
            paper=str(paper),
            orientation="portrait" if orientation == "portrait" else "landscape",
            dpi=PRINT_DPI,
            lang=lang(),
            made_on=dt.date.today(),
            subtitle=_filter_text(printed, prepared, lang()) if printed is not None else "",
            names_layer=next((lid for lid in NAMED_LAYERS if st.session_state.get(state.MAP_NAMES, True)), None),
        )
        bounds = print_bounds(view)
        # made on a click and kept in the session: a download whose file is made at the click (st.download_button's
        # callable) is lost when the map reruns the page meanwhile ("Deferred file not found" in Streamlit 1.67)
        signature = print_signature(visible, flt, bounds, options)
        if st.button(tr("map.print.make"), key=state.MAP_PRINT_MAKE, type="primary"):
            layers = print_layers(visible, flt)
            with st.spinner(tr("map.print.making")):
                png = print_map.render(layers, bounds, options, "png")
                pdf = print_map.render(layers, bounds, options, "pdf")
            st.session_state[state.MAP_PRINT_MADE] = {"signature": signature, "png": png, "pdf": pdf}
        made = st.session_state.get(state.MAP_PRINT_MADE)
        if not made:
            return
        if made["signature"] != signature:
            st.caption(tr("map.print.stale"))
            return
        stem = f"ban_do_bao_yen_{options.paper}_{options.orientation}"
        c, d = st.columns(2)
        c.download_button(
            tr("map.print.png"),
            data=made["png"],
            file_name=f"{stem}.png",
            mime="image/png",
            on_click="ignore",
            key=state.MAP_PRINT_PNG,
        )
        d.download_button(
            tr("map.print.pdf"),
            data=made["pdf"],
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            on_click="ignore",
            key=state.MAP_PRINT_PDF,
        )


def _page(layers: dict[str, mapkit.PreparedLayer]) -> None:
    st.session_state[state.MAP_RUN_AT] = time.monotonic()
    visible, basemap = _sidebar(layers)
    flt = _filter_box(layers, visible)
    drawn = dict(layers)
    if flt is not None:
        store = common.store()
        drawn[flt.layer_id] = _prepared_filtered(
            common.store_key(), flt.layer_id, store.current_version(flt.layer_id), flt.field.name, flt.values
        )
    with st.container():  # always there, so the map's place in the page (and so the browser's map) never moves
        statuses = tile_statuses([layer for layer in visible if drawn[layer.id].n_located], drawn)
        _tile_messages(statuses, layers)
        hit = _search_box(layers)
        if flt is not None and CATALOGUE.get(flt.layer_id) in visible:
            shown, total = drawn[flt.layer_id].n_located, layers[flt.layer_id].n_located
            st.caption(
                tr("map.filter.shown").format(
                    layer=layer_title(flt.layer_id, layers, lang()),
                    n=shown,
                    total=total,
                    field=(flt.field.label_en if lang() == "en" else flt.field.label_vi).lower(),
                    values=", ".join(mapkit.filter_label(flt.field, v, lang()) for v in flt.values),
                )
            )
    _select(state.MAP_LAST_PICK, (hit.layer_id, hit.feature_id) if hit else None)
    if hit is not None and hit.geometry is None and hit.at is not None:  # a large layer's: outline from the store
        hit = dataclasses.replace(hit, geometry=mapkit.feature_geojson(feature_rows(hit.layer_id, hit.feature_id)))
    visible = [layer for layer in visible if drawn[layer.id].n_located]
    ready = {lid: status.name for lid, status in statuses.items() if status.ready}
    pending = {lid: (s.name, s.overview) for lid, s in statuses.items() if s.state == "building" and s.overview}

    # the click the map sent (st_folium keeps its last value under its key before this run): a large layer's
    # selected feature is drawn by this run's map, not the next one's
    last = st.session_state.get(state.MAP_COMPONENT)
    _select(state.MAP_LAST_CLICK, clicked(last.get("last_object_clicked_tooltip") if last else None, drawn))
    map_col, side_col = st.columns([3, 1], gap="medium")
    with map_col:
        result = st_folium(
            measure_map(),
            key=state.MAP_COMPONENT,
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=list(RETURNED_OBJECTS),
            feature_group_to_add=_plan_group(
                visible,
                drawn,
                basemap,
                hit,
                names=bool(st.session_state.get(state.MAP_NAMES, True)),
                tiled=ready,
                pending=pending,
                selected=st.session_state.get(state.MAP_SELECTED),
            ),
            center=hit.at if hit is not None and hit.at is not None else None,
            zoom=hit.zoom if hit is not None and hit.at is not None else None,
        )
        if (result or {}).get("print_view"):  # sent by the map's print button, kept until it is pressed again
            st.session_state[state.MAP_PRINT_VIEW] = dict(result["print_view"])
        _print_box(visible, flt, layers)
        _unlocated(layers)
    _select(state.MAP_LAST_CLICK, clicked((result or {}).get("last_object_clicked_tooltip"), drawn))
    with side_col:
        _measurements((result or {}).get("all_drawings"))
        _details(st.session_state.get(state.MAP_SELECTED), layers)
        st.markdown(f"**{tr('map.legend')}**")
        st.html(
            mapkit.legend_html(
                visible,
                lang(),
                size_max={lid: p.size_max for lid, p in drawn.items() if p.size_max},
                qualities={lid: q for lid, p in drawn.items() if (q := p.dominant_quality)},
                present={lid: p.color_values for lid, p in drawn.items()},
                titles={layer.id: layer_title(layer.id, drawn, lang()) for layer in visible},
            )
        )

"""Địa hình & chọn địa điểm: a DEM's hillshade and slope classes, zonal statistics, sites, the Decree 32 gate.

Candidate sites come from the planner's criteria; the gate says whether a new or expanded cluster is allowed.

Everything is computed by :mod:`services.terrain`; the page only gathers the planner's choices and shows results.
The map overlays are images made here and embedded in the page (no tile server, works offline).
"""

from __future__ import annotations

import base64
import io
import itertools
import tempfile
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from affine import Affine
from pyproj import CRS, Transformer
from streamlit_folium import st_folium

from analysis.siting import Criteria, Criterion, SitingResult
from analysis.terrain import hillshade, slope, slope_classes
from geo.crs import WORK_CRS
from geo.errors import DataSourceError, PlanError
from geo.numbers import format_number, format_pct
from geo.raster import Raster, warp_to
from services.terrain import DEM_SOURCES, decree32, dem_versions, import_dem, save_sites, siting, stored_dem, zonal
from ui import assets, common, mapkit, state
from ui.common import lang, show_error, tr
from ui.display import number_table

MAP_HEIGHT_PX = 520
#: slope classes (upper bounds, %) and their colours, flat (green) to steep (red)
SLOPE_BREAKS = (8.0, 15.0, 25.0, 35.0)
SLOPE_COLORS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
ZONE_LAYERS = ("communes_legacy", "communes_2025", "cluster_boundaries", "cluster_lots")
#: the largest side (cells) of an overlay image; bigger DEMs are shown decimated (the figures use every cell)
OVERLAY_MAX_PX = 1600


@st.cache_data(show_spinner=False, max_entries=4)
def _dem(path: str, version: int) -> Raster | None:
    return stored_dem(common.store())


@st.cache_data(show_spinner=False, max_entries=4)
def _overlay(path: str, version: int) -> tuple[str, list[list[float]]] | None:
    """The overlay image of a stored DEM version, made once (warping and shading are not redone on a rerun)."""
    dem = _dem(path, version)
    return None if dem is None else _overlay_png(dem)


@st.cache_data(show_spinner=False, max_entries=16)
def _zonal_rows(
    path: str, version: int, layer_id: str, layer_version: int, threshold: float
) -> list[dict[str, object]]:
    """Zonal statistics of a layer version on a DEM version, computed once per choice."""
    dem = _dem(path, version)
    if dem is None:
        return []
    zones = common.layer_frame(layer_id, crs=WORK_CRS)
    id_field = "ma_xa" if "ma_xa" in zones.columns else "id"
    return [r.to_dict() for r in zonal(dem, zones, id_field=id_field, max_slope_pct=threshold).rows]


def _overlay_png(dem: Raster) -> tuple[str, list[list[float]]]:
    """The hillshade tinted by slope class, as a PNG data URL, and its bounds in degrees."""
    from PIL import Image

    step = max(1, int(np.ceil(max(dem.shape) / OVERLAY_MAX_PX)))
    shown = dem
    if step > 1:
        t = dem.transform
        shown = Raster(
            dem.data[::step, ::step], Affine(t.a * step, t.b, t.c, t.d, t.e * step, t.f), dem.crs, dem.source
        )
    mercator = warp_to(shown, CRS.from_epsg(3857))
    shade = hillshade(mercator).data
    classes = slope_classes(slope(mercator), SLOPE_BREAKS).data
    rgba = np.zeros((*shade.shape, 4), dtype="uint8")
    palette = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in SLOPE_COLORS], dtype="float64")
    ok = np.isfinite(shade) & np.isfinite(classes)
    light = np.where(ok, shade, 0) / 255.0
    idx = np.clip(np.nan_to_num(classes, nan=1).astype(int) - 1, 0, len(SLOPE_COLORS) - 1)
    color = palette[idx] * (0.45 + 0.55 * light[..., None])
    rgba[..., :3] = np.clip(color, 0, 255).astype("uint8")
    rgba[..., 3] = np.where(ok, 190, 0).astype("uint8")
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG")
    minx, miny, maxx, maxy = mercator.bounds
    to_ll = Transformer.from_crs(3857, 4326, always_xy=True)
    w, s = to_ll.transform(minx, miny)
    e, n = to_ll.transform(maxx, maxy)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii"), [[s, w], [n, e]]


def render() -> None:
    st.subheader(tr("terrain.title"))
    st.caption(tr("terrain.intro"))
    common.show_flash(state.TERRAIN_FLASH)
    try:
        _page()
    except PlanError as exc:
        show_error(exc)


def _page() -> None:
    language = lang()
    store = common.store()
    versions = dem_versions(store)
    _import_section(common.seen("terrain.dem", len(versions)))
    if not versions:
        st.info(tr("terrain.no_dem").format(sources=DEM_SOURCES[1 if language == "en" else 0]))
        _decree32_section()
        return
    latest = versions[-1]
    dem = _dem(common.store_key(), int(latest["version"]))
    if dem is None:
        return
    st.caption(
        tr("terrain.dem_caption").format(
            version=latest["version"],
            source=latest["source"],
            user=latest["user"],
            res=format_number(dem.res[0], language, decimals=1),
            cols=dem.shape[1],
            rows=dem.shape[0],
        )
    )
    tabs = st.tabs([tr("terrain.tab.map"), tr("terrain.tab.zonal"), tr("terrain.tab.siting"), tr("terrain.tab.decree")])
    version = int(latest["version"])
    with tabs[0]:
        _map(version, None)
    with tabs[1]:
        _zonal_section(version)
    with tabs[2]:
        _siting_section(dem, version)
    with tabs[3]:
        _decree32_section()


def _import_section(base: int) -> None:
    with st.expander(tr("terrain.import")):
        st.caption(tr("terrain.import_help"))
        upload = st.file_uploader(tr("terrain.upload"), key=state.TERRAIN_UPLOAD)
        st.caption(tr("upload.caption").format(mb=common.settings().limits.upload_bytes // 2**20))
        if upload is None or not st.button(tr("terrain.import_button"), key=state.TERRAIN_IMPORT):
            return
        data = upload.getvalue()
        if len(data) > common.settings().limits.upload_bytes:
            st.error(tr("data.too_large").format(mb=common.settings().limits.upload_bytes // 2**20))
            return
        with tempfile.TemporaryDirectory(prefix="baoyen-dem-") as tmp:
            path = Path(tmp) / (Path(upload.name).name or "dem.tif")
            path.write_bytes(data)
            try:
                done = import_dem(common.store(), path, actor=common.actor(), base_version=base, label=upload.name)
            except PlanError as exc:
                show_error(exc)
                return
        _dem.clear()
        st.session_state[state.TERRAIN_FLASH] = tr("terrain.imported").format(version=done.version, user=done.user)
        st.rerun()


def _map(version: int, sites: gpd.GeoDataFrame | None) -> None:
    try:
        assets.check()
    except DataSourceError as exc:
        st.warning(f"{tr('clusters.map.assets')}: {exc}")
        return
    made = _overlay(common.store_key(), version)
    if made is None:
        return
    image, bounds = made
    group = folium.FeatureGroup(name="terrain", control=False)
    folium.raster_layers.ImageOverlay(image=image, bounds=bounds, opacity=0.85, interactive=False).add_to(group)
    if sites is not None and len(sites):
        labelled = sites.assign(
            label=[
                f"#{int(r)} · {format_number(a, lang(), decimals=1)} ha"
                for r, a in zip(sites["rank"], sites["area_ha"], strict=True)
            ]
        )
        mapkit.add_features(
            group,
            labelled,
            style={"color": "#08306b", "weight": 2, "fillColor": "#6baed6", "fillOpacity": 0.35},
            tooltip=[("label", tr("terrain.col.site"))],
        )
    (s, w), (n, e) = bounds
    fmap = mapkit.base_map(lang=None)
    fmap.fit_bounds([[s, w], [n, e]])
    st_folium(
        fmap,
        key=state.TERRAIN_MAP + ("sites" if sites is not None else "dem"),
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=[mapkit.context_group(lang=lang()), mapkit.use_local_assets(group)],
    )
    legend = " ".join(
        f"<span style='background:{c};padding:0 10px;margin-right:4px'>&nbsp;</span>{label}"
        for c, label in zip(SLOPE_COLORS, _class_labels(), strict=True)
    )
    st.markdown(f"{tr('terrain.legend')}: {legend}", unsafe_allow_html=True)
    st.caption(tr("terrain.quality_note"))


def _class_labels() -> list[str]:
    edges = [0.0, *SLOPE_BREAKS]
    out = [f"{format_number(a, lang())}–{format_number(b, lang())} %" for a, b in itertools.pairwise(edges)]
    return [*out, f"> {format_number(SLOPE_BREAKS[-1], lang())} %"]


def _zonal_section(version: int) -> None:
    store = common.store()
    held = [lid for lid in ZONE_LAYERS if store.has_layer(lid) and len(common.layer_frame(lid)) > 0]
    if not held:
        st.info(tr("terrain.zonal.none"))
        return
    c1, c2 = st.columns([2, 1])
    layer_id = c1.selectbox(tr("terrain.zonal.layer"), held, key=state.TERRAIN_ZONES)
    threshold = c2.number_input(tr("terrain.zonal.threshold"), 1.0, 100.0, 15.0, 1.0, key=state.TERRAIN_THRESHOLD)
    zones = common.layer_frame(layer_id, crs=WORK_CRS)
    id_field = "ma_xa" if "ma_xa" in zones.columns else "id"
    rows = pd.DataFrame(
        _zonal_rows(common.store_key(), version, layer_id, store.current_version(layer_id), float(threshold))
    )
    names = dict(
        zip(
            zones[id_field].astype(str),
            zones.get("ten_xa", zones.get("name", zones[id_field])).astype(str),
            strict=True,
        )
    )
    rows.insert(1, "name", rows["id"].map(names))
    labels = {
        "id": tr("terrain.col.id"),
        "name": tr("terrain.col.name"),
        "area_ha": tr("terrain.col.area"),
        "elev_min": tr("terrain.col.elev_min"),
        "elev_mean": tr("terrain.col.elev_mean"),
        "elev_max": tr("terrain.col.elev_max"),
        "slope_mean_pct": tr("terrain.col.slope"),
        "share_below_pct": tr("terrain.col.below").format(t=format_number(threshold, lang())),
        "covered_pct": tr("terrain.col.covered"),
    }
    st.dataframe(number_table(rows[list(labels)].rename(columns=labels), lang()), hide_index=True, width="stretch")


def _siting_section(dem: Raster, version: int) -> None:
    store = common.store()
    lines = sorted(i.layer_id for i in store.layer_info() if "LINE" in i.geometry_type.upper())
    polys = [i.layer_id for i in store.layer_info() if "POLYGON" in i.geometry_type.upper()]
    communes = common.layer_frame("communes_legacy", crs=WORK_CRS)
    with st.form(state.TERRAIN_FORM):
        a, b, c = st.columns(3)
        max_slope = a.number_input(tr("terrain.crit.slope"), 1.0, 100.0, 15.0, 1.0)
        min_ha = b.number_input(tr("terrain.crit.min_ha"), 0.5, 500.0, 20.0, 1.0)
        max_road = c.number_input(tr("terrain.crit.road"), 0.0, 50_000.0, 2_000.0, 100.0)
        d, e, f = st.columns(3)
        roads = d.selectbox(tr("terrain.crit.roads"), ["", *lines], format_func=lambda v: v or tr("terrain.none"))
        rivers = e.selectbox(tr("terrain.crit.rivers"), ["", *lines], format_func=lambda v: v or tr("terrain.none"))
        min_river = f.number_input(tr("terrain.crit.river"), 0.0, 5_000.0, 100.0, 10.0)
        excluded = st.multiselect(tr("terrain.crit.exclude"), [p for p in polys if not p.startswith("communes")])
        names = dict(zip(communes["ma_xa"].astype(str), communes["ten_xa"].astype(str), strict=True))
        within = st.multiselect(tr("terrain.crit.within"), list(names), format_func=lambda code: names.get(code, code))
        go = st.form_submit_button(tr("terrain.crit.run"), type="primary")
    if go:
        source = tr("terrain.crit.source")
        criteria = Criteria(
            max_slope_pct=Criterion("max_slope_pct", float(max_slope), "%", source),
            max_road_m=Criterion("max_road_m", float(max_road), "m", source) if roads else None,
            min_river_m=Criterion("min_river_m", float(min_river), "m", source) if rivers else None,
            min_area_ha=Criterion("min_area_ha", float(min_ha), "ha", source),
        )
        found = siting(
            dem,
            criteria=criteria,
            roads=common.layer_frame(roads, crs=WORK_CRS) if roads else None,
            rivers=common.layer_frame(rivers, crs=WORK_CRS) if rivers else None,
            exclusions=tuple(common.layer_frame(x, crs=WORK_CRS) for x in excluded),
            within=communes[communes["ma_xa"].astype(str).isin(within)] if within else None,
        )
        st.session_state[state.TERRAIN_RESULT] = found
    result: SitingResult | None = st.session_state.get(state.TERRAIN_RESULT)
    if result is None:
        return
    out = result.to_dict(lang())
    st.markdown(
        tr("terrain.sites.summary").format(
            n=len(out["candidates"]),
            suitable=format_number(out["suitable_ha"], lang(), decimals=1),
            considered=format_number(out["considered_ha"], lang(), decimals=1),
        )
    )
    for note in out["notes"]:
        st.caption(note)
    if not out["candidates"]:
        return
    _map(version, result.sites)
    labels = {
        "rank": tr("terrain.col.rank"),
        "id": tr("terrain.col.id"),
        "area_ha": tr("terrain.col.area"),
        "slope_mean_pct": tr("terrain.col.slope"),
        "road_m": tr("terrain.col.road"),
        "elev_mean": tr("terrain.col.elev_mean"),
        "score": tr("terrain.col.score"),
    }
    table = pd.DataFrame(out["candidates"])[list(labels)].rename(columns=labels)
    st.dataframe(number_table(table, lang()), hide_index=True, width="stretch")
    base = common.seen_version("terrain.sites", "candidate_sites")
    if st.button(tr("terrain.sites.save"), key=state.TERRAIN_SAVE):
        try:
            saved = save_sites(common.store(), result, actor=common.actor(), base_version=base)
        except PlanError as exc:
            show_error(exc)
            return
        st.session_state[state.TERRAIN_FLASH] = tr("terrain.sites.saved").format(version=saved.version)
        st.rerun()


def _decree32_section() -> None:
    st.markdown(f"#### {tr('terrain.decree.title')}")
    clusters = common.layer_frame("clusters")
    ids = clusters["id"].astype(str).tolist()
    names = dict(zip(ids, clusters["name"].astype(str), strict=True))
    c1, c2 = st.columns([2, 1])
    expand = c1.selectbox(
        tr("terrain.decree.expand"), ["", *ids], format_func=lambda v: names.get(v, tr("terrain.none"))
    )
    by_ha = c2.number_input(tr("terrain.decree.by_ha"), 0.0, 500.0, 0.0, 1.0)
    result = decree32(common.store(), expand=expand or None, by_ha=float(by_ha) if expand else None)
    language = lang()

    def verdict(v: bool | None) -> str:
        return (
            tr("terrain.decree.nodata") if v is None else (tr("terrain.decree.yes") if v else tr("terrain.decree.no"))
        )

    rows = [
        {
            tr("terrain.col.name"): c.name,
            tr("terrain.decree.occupancy"): format_pct(c.occupancy_pct, language),
            tr("terrain.decree.unleased"): format_number(c.unleased_ha, language, decimals=2),
            tr("terrain.decree.note"): c.note_text(language),
        }
        for c in result.clusters
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.metric(tr("terrain.decree.new"), verdict(result.new_cluster_allowed))
    if expand:
        st.metric(
            tr("terrain.decree.expansion").format(name=names.get(expand, expand)), verdict(result.expansion_allowed)
        )
    for reason in result.reason_texts(language):
        st.caption(reason)

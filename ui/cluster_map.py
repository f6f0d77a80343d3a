"""The cluster page's map, on which lots are drawn, reshaped and saved.

The cluster's boundary, zoning and lots coloured by status, with Leaflet.draw's polygon and rectangle tools (served
by the app, :mod:`ui.assets`) to draw new lots or reshape a stored one, and the forms that save what was drawn.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from branca.element import MacroElement
from folium.plugins import Draw
from folium.template import Template
from streamlit_folium import st_folium

from analysis.occupancy import STATUSES, lots_table, normalise_uses
from geo.crs import WORK_CRS, area_ha, to_display, to_work
from geo.errors import DataSourceError, PlanError
from layers.catalogue import CATALOGUE
from ui import assets, common, mapkit, state
from ui.cluster_edits import (
    RESHAPE_FLAG,
    append_lots,
    drawn_overlaps,
    drawn_polygons,
    lot_choice_labels,
    lot_labels,
    lots_from_drawings,
    reshaped_lot,
    shape_changed,
    text_or_none,
)
from ui.cluster_figures import fmt_num, option_labels, status_label
from ui.cluster_forms import save_layer, store_layer
from ui.common import lang, show_error, tr
from ui.display import date_format
from ui.escape import html_text
from ui.i18n import t

#: colours from the catalogue, so the page, the planning map and its legend agree
STATUS_COLORS: dict[str, str] = dict(CATALOGUE.get("cluster_lots").style.color_map)
USE_COLORS: dict[str, str] = dict(CATALOGUE.get("cluster_zoning").style.color_map)
BOUNDARY_COLOR = "#762a83"
MAP_HEIGHT_PX = 520

#: Drawing on the cluster map: lots are areas, so only the polygon and rectangle tools; edges may not cross.
DRAWN_COLOR = "#d7301f"
DRAW_OPTIONS: dict[str, Any] = {
    "polyline": False,
    "circle": False,
    "marker": False,
    "circlemarker": False,
    "polygon": {"allowIntersection": False, "showArea": True, "shapeOptions": {"color": DRAWN_COLOR, "weight": 2}},
    "rectangle": {"showArea": True, "shapeOptions": {"color": DRAWN_COLOR, "weight": 2}},
}
EDIT_OPTIONS: dict[str, Any] = {"poly": {"allowIntersection": False}}
#: what st_folium sends back: only the drawings, so panning and zooming never rerun the page
RETURNED_OBJECTS: tuple[str, ...] = ("all_drawings",)
#: Leaflet.draw's labels (paths into ``L.drawLocal``) the page translates; i18n keys are "clusters.draw.js." + path
DRAW_LOCAL: tuple[str, ...] = (
    "draw.toolbar.actions.title",
    "draw.toolbar.actions.text",
    "draw.toolbar.finish.title",
    "draw.toolbar.finish.text",
    "draw.toolbar.undo.title",
    "draw.toolbar.undo.text",
    "draw.toolbar.buttons.polygon",
    "draw.toolbar.buttons.rectangle",
    "draw.handlers.polygon.tooltip.start",
    "draw.handlers.polygon.tooltip.cont",
    "draw.handlers.polygon.tooltip.end",
    "draw.handlers.polyline.error",
    "draw.handlers.rectangle.tooltip.start",
    "draw.handlers.simpleshape.tooltip.end",
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


# --- the folium map with Leaflet.draw ---------------------------------------------------------------------------------


def edit_latlngs(shape: shapely.Polygon, *, decimals: int = 7) -> list[list[list[float]]]:
    """A polygon in EPSG:4326 as Leaflet's ``L.polygon`` takes it: rings of [lat, lon], not closed."""
    rings = [shape.exterior, *shape.interiors]
    return [[[round(y, decimals), round(x, decimals)] for x, y in ring.coords[:-1]] for ring in rings]


class _EditableLot(MacroElement):
    """A stored lot as a plain ``L.polygon`` in Leaflet.draw's feature group, so its corners can be dragged.

    It carries :data:`RESHAPE_FLAG` in its GeoJSON properties; only numbers reach the script (no planner text).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.polygon({{ this.latlngs|tojson }}, {{ this.style|tojson }});
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{{ this.get_name() }}.feature = {type: "Feature", properties: {}};
{{ this.get_name() }}.feature.properties[{{ this.flag|tojson }}] = true;
{% endmacro %}"""
    )

    def __init__(self, latlngs: list[list[list[float]]]) -> None:
        super().__init__()
        self._name = "EditableLot"
        self.latlngs = latlngs
        self.style = {"color": DRAWN_COLOR, "weight": 3, "dashArray": "6 4", "fillOpacity": 0.15}
        self.flag = RESHAPE_FLAG


def draw_map(
    *,
    center: tuple[float, float],
    zoom: int,
    reshape: shapely.Polygon | None = None,
) -> folium.Map:
    """The cluster map with Leaflet.draw's polygon and rectangle tools (and editing), loading only local assets.

    ``reshape`` (EPSG:4326) is a stored lot put into the drawing layer so its corners can be edited.
    """
    m = mapkit.base_map(center=center, zoom=zoom, lang=None)
    group = None
    if reshape is not None:
        group = folium.FeatureGroup(name="reshape", control=False).add_to(m)
        _EditableLot(edit_latlngs(reshape)).add_to(group)
    Draw(
        position="topleft",
        show_geometry_on_click=False,
        draw_options=DRAW_OPTIONS,
        edit_options=EDIT_OPTIONS,
        feature_group=group,
    ).add_to(m)
    return mapkit.use_local_assets(m)


def draw_labels(language: str) -> dict[str, str]:
    """Leaflet.draw's labels in ``language``: L.drawLocal path -> text."""
    return {path: t(f"clusters.draw.js.{path}", language) for path in DRAW_LOCAL}


def lot_tooltips(lots: gpd.GeoDataFrame, table: pd.DataFrame, language: str) -> gpd.GeoDataFrame:
    """The lots with the texts their tooltip shows (:func:`lot_fields`): number, status, tenant and area.

    Plain text, as the planner typed it: :func:`ui.mapkit.add_features` escapes it in the browser.
    """
    tenant = table["tenant"] if "tenant" in table.columns else pd.Series([None] * len(table), index=table.index)
    return gpd.GeoDataFrame(
        {
            "lot": lot_labels(table),
            "status": [status_label(s, language) for s in table["status"]],
            "tenant": ["" if pd.isna(v) else str(v) for v in tenant],
            "area": [f"{fmt_num(a, 4, language)} ha" for a in table["area_ha"]],
        },
        geometry=lots.geometry.to_numpy(),
        crs=lots.crs,
    )


def lot_fields() -> list[tuple[str, str]]:
    """The (column, label) pairs of a lot's tooltip, in this run's language."""
    keys = {"lot": "lot", "status": "status", "tenant": "tenant", "area": "area_ha"}
    return [(col, tr(f"clusters.col.{key}")) for col, key in keys.items()]


def lot_styles(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Each lot's path options, filled by its status (:data:`STATUS_COLORS`)."""
    base = {"color": "#333", "weight": 1, "fillOpacity": 0.75}
    return [{**base, "fillColor": STATUS_COLORS.get(s, "#cccccc")} for s in table["status"]]


def lot_names(lots: gpd.GeoDataFrame, table: pd.DataFrame) -> list[tuple[float, float, str]]:
    """(lat, lon, label) of each lot: its number as the planner wrote it (L1, L2 …), never an internal id."""
    labelled = gpd.GeoDataFrame({"label": lot_labels(table)}, geometry=lots.geometry.to_numpy(), crs=lots.crs)
    return mapkit.name_items(labelled, "label")


#: the commune layer drawn behind the cluster, and how (its own catalogue style, by each feature's quality)
COMMUNE_LAYER = "communes_legacy"
COMMUNE_COLOR = CATALOGUE.get(COMMUNE_LAYER).style.color


def commune_backdrop(group: folium.FeatureGroup) -> gpd.GeoDataFrame | None:
    """Draw the communes' outlines and names behind the cluster (no mouse events): the communes drawn, or None."""
    if COMMUNE_LAYER not in common.store().layer_ids():
        return None
    layer = CATALOGUE.get(COMMUNE_LAYER)
    frame = common.layer_frame(COMMUNE_LAYER)
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if frame.empty:
        return None
    styles = [{**mapkit.style_for(layer, quality=str(q)), "fill": False} for q in _qualities(frame)]
    mapkit.add_features(group, frame, style=styles)
    mapkit.add_names(group, mapkit.name_items(frame, "name"), kind="commune")
    return frame


def _qualities(frame: gpd.GeoDataFrame) -> pd.Series:
    """Each commune's geometry quality as it is drawn (approximate when unsaid, as on the planning map)."""
    if "geom_quality" not in frame.columns:
        return pd.Series("approximate", index=frame.index)
    return frame["geom_quality"].astype("string").fillna("approximate")


def commune_legend(communes: gpd.GeoDataFrame, language: str) -> str:
    """The legend entry of the communes drawn behind the cluster, as HTML.

    Titled as the planning map titles the layer (:func:`ui.mapkit.frame_title`: "(sơ đồ)" for the schematic
    cells, "(số hóa)" after a real boundary import), with the outline its features are mostly drawn with (dotted
    for schematic, dashed for approximate, solid for better); the title is escaped.
    """
    layer = CATALOGUE.get(COMMUNE_LAYER)
    qualities = _qualities(communes)
    dominant = str(qualities.mode().iloc[0]) if len(qualities) else None
    return (
        f'<span style="display:inline-block;width:14px;height:0;margin:0 4px 3px 12px;border-top:1.5px '
        f'{mapkit.css_dash(dominant)} {html_text(COMMUNE_COLOR)}"></span>'
        f"{html_text(mapkit.frame_title(layer, communes, language))}"
    )


# --- the map section --------------------------------------------------------------------------------------------------


def show_map(
    cluster_id: str,
    boundary: gpd.GeoDataFrame,
    zoning: gpd.GeoDataFrame | None,
    lots: gpd.GeoDataFrame,
    table: pd.DataFrame,
) -> None:
    lots_all = lots
    try:
        assets.check()
    except DataSourceError as exc:
        st.warning(f"{tr('clusters.map.assets')}: {exc}")
        return
    outline = to_display(boundary, "the cluster boundary")
    minx, miny, maxx, maxy = outline.total_bounds
    center = ((miny + maxy) / 2, (minx + maxx) / 2)
    span_deg = max(maxx - minx, maxy - miny, 1e-4)
    zoom = int(max(12, min(18, math.floor(math.log2(360 / span_deg)) + 1)))  # the cluster spans 256–512 px
    gen = int(st.session_state.get(state.CLUSTERS_DRAW_GEN, 0))
    reshape_id = _reshape_pick(cluster_id, lots, table, gen)
    reshape = None
    if reshape_id is not None:
        reshape = to_display(lots[lots["id"].astype(str) == reshape_id], "the lot").geometry.iloc[0]
    group = folium.FeatureGroup(name="cluster", control=False)
    communes = commune_backdrop(group)
    if zoning is not None:
        uses = normalise_uses(zoning["use"].tolist())
        zone_style = {"color": "#999", "weight": 0.5, "fillOpacity": 0.5}
        mapkit.add_features(group, zoning, style=[{**zone_style, "fillColor": USE_COLORS[u]} for u in uses])
    outline_style = {"color": BOUNDARY_COLOR, "weight": 2.5, "fill": False, "dashArray": "6 4"}
    mapkit.add_features(group, outline, style=outline_style)
    if reshape_id is not None:  # drawn by Leaflet.draw's layer instead, with its corners
        keep = (lots["id"].astype(str) != reshape_id).to_numpy()
        lots, table = lots[keep], table[keep]
    if len(lots):
        mapkit.add_features(group, lot_tooltips(lots, table, lang()), style=lot_styles(table), tooltip=lot_fields())
        mapkit.add_names(group, lot_names(lots, table), kind="lot")
    mapkit.DrawLabels(draw_labels(lang())).add_to(group)
    basemap = st.session_state.get(state.MAP_BASEMAP, "none")
    key = f"{state.CLUSTERS_MAP}{cluster_id}.{gen}" + (f".{reshape_id}" if reshape_id is not None else "")
    out = st_folium(
        draw_map(center=center, zoom=zoom, reshape=reshape),
        key=key,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=list(RETURNED_OBJECTS),
        feature_group_to_add=[mapkit.context_group(basemap=basemap, lang=lang()), mapkit.use_local_assets(group)],
    )
    swatch = (
        '<span style="display:inline-block;width:14px;height:10px;margin:0 4px 0 12px;border:1px solid #333;'
        'background:{c}"></span>{t}'
    )
    items = [swatch.format(c=STATUS_COLORS[s], t=html_text(status_label(s, lang()))) for s in STATUSES]
    items.append(
        f'<span style="display:inline-block;width:14px;height:0;margin:0 4px 3px 12px;border-top:2px dashed '
        f'{BOUNDARY_COLOR}"></span>{html_text(tr("clusters.legend.boundary"))}'
    )
    if communes is not None:
        items.append(commune_legend(communes, lang()))
    st.html(f'<div style="font-size:0.85rem">{html_text(tr("clusters.legend"))}: {"".join(items)}</div>')
    features = (out or {}).get("all_drawings")
    if features:
        try:  # an error here is the drawing's: the rest of the page still shows
            _drawn(cluster_id, boundary, lots_all, features, reshape_id, gen)
        except PlanError as exc:
            show_error(exc)


def _reshape_pick(cluster_id: str, lots: gpd.GeoDataFrame, table: pd.DataFrame, gen: int) -> str | None:
    """The drawing help, and the picker of a stored lot to reshape on the map (single-part lots only)."""
    st.caption(tr("clusters.draw.caption"))
    if lots.empty:
        return None
    single = (lots.geometry.geom_type == "Polygon").to_numpy()
    choices = lot_choice_labels(table[single]) if single.any() else {}
    if not choices:
        return None
    picked = st.selectbox(
        tr("clusters.reshape.pick"),
        options=list(choices),
        index=None,
        placeholder=tr("clusters.reshape.placeholder"),
        format_func=lambda lot_id: choices.get(lot_id, lot_id),
        help=tr("clusters.reshape.help"),
        key=f"{state.CLUSTERS_RESHAPE}{cluster_id}.{gen}",
    )
    return str(picked) if picked is not None else None


def _drawn(
    cluster_id: str,
    boundary: gpd.GeoDataFrame,
    lots: gpd.GeoDataFrame,
    features: Sequence[Mapping[str, Any]],
    reshape_id: str | None,
    gen: int,
) -> None:
    """What the planner drew: the reshaped lot's save button, and the form that saves new lots."""
    language = lang()
    shapes = drawn_polygons(features)
    inside = shapely.union_all(to_work(boundary, "the cluster boundary").geometry.to_numpy())
    user = common.actor().user
    base = common.seen_version("clusters.draw", "cluster_lots")
    today = dt.date.today()
    is_reshaped = shapes["reshaped"].to_numpy(dtype=bool)
    hit = lots[lots["id"].astype(str) == reshape_id] if reshape_id is not None else lots.iloc[0:0]
    label = lot_labels(lots_table(hit))[0] if len(hit) else str(reshape_id)
    # new shapes are numbered as in the form below; the reshaped lot is named by its number
    names = np.where(is_reshaped, label, np.cumsum(~is_reshaped).astype(str))
    for name, shape, repaired in zip(names, shapes.geometry, shapes["repaired"], strict=True):
        ha = area_ha(gpd.GeoSeries([shape], crs=WORK_CRS)).iloc[0]
        if repaired:
            st.warning(tr("clusters.draw.repaired").format(i=name, ha=fmt_num(ha, 4, language)))
        outside = shape.difference(inside).area / 10_000.0
        if outside >= 0.0001:
            st.warning(tr("clusters.draw.outside").format(i=name, ha=fmt_num(outside, 4, language)))
    # overlaps show while drawing, before anything is saved (the measure would count the overlap once)
    for name, ha, others in drawn_overlaps(list(shapes.geometry), list(names), lots, skip_id=reshape_id):
        st.warning(tr("clusters.draw.overlap").format(i=name, ha=fmt_num(ha, 4, language), lots=", ".join(others)))
    reshaped = shapes[is_reshaped]
    if reshape_id is not None and len(reshaped):
        new_shape = reshaped.geometry.iloc[0]
        if len(hit) and not shape_changed(hit.geometry.iloc[0], new_shape):
            st.info(tr("clusters.reshape.unchanged").format(lot=label))
        elif len(hit):
            old_ha = area_ha(hit.geometry).iloc[0]
            new_ha = area_ha(gpd.GeoSeries([new_shape], crs=WORK_CRS)).iloc[0]
            st.caption(
                tr("clusters.reshape.changed").format(
                    lot=label, old=fmt_num(old_ha, 4, language), new=fmt_num(new_ha, 4, language)
                )
            )
            if st.button(
                tr("clusters.reshape.save").format(lot=label), key=state.CLUSTERS_RESHAPE_SAVE, type="primary"
            ):
                updated = reshaped_lot(store_layer("cluster_lots"), reshape_id, new_shape, user=user, day=today)
                save_layer(
                    "cluster_lots",
                    updated,
                    tr("clusters.reshape.message").format(lot=label),
                    base=base,
                    clear_drawing=True,
                )
    new = shapes[~is_reshaped]
    if new.empty:
        return
    st.markdown(f"**{tr('clusters.draw.title')}**")
    prefix = f"{state.CLUSTERS_DRAW_FORM}{cluster_id}.{gen}."
    attrs: list[dict[str, object]] = []
    with st.form(f"{prefix}form", border=True):
        for i, shape in enumerate(new.geometry, start=1):
            ha = area_ha(gpd.GeoSeries([shape], crs=WORK_CRS)).iloc[0]
            st.caption(tr("clusters.draw.shape").format(i=i, ha=fmt_num(ha, 4, language)))
            a, b, c = st.columns(3)
            d, e, f = st.columns(3)
            attrs.append(
                {
                    "lot_no": a.text_input(tr("clusters.col.lot"), key=f"{prefix}{i}.lot_no"),
                    "status": b.selectbox(
                        tr("clusters.col.status"),
                        options=list(STATUSES),
                        format_func=option_labels("clusters.status."),
                        key=f"{prefix}{i}.status",
                    ),
                    "tenant": c.text_input(tr("clusters.col.tenant"), key=f"{prefix}{i}.tenant"),
                    "sector": d.text_input(tr("clusters.col.sector"), key=f"{prefix}{i}.sector"),
                    "leased_on": e.date_input(
                        tr("clusters.col.leased_on"),
                        value=None,
                        format=date_format(language),
                        key=f"{prefix}{i}.leased_on",
                    ),
                    "relocated_from": f.text_input(
                        tr("clusters.col.relocated_from"), key=f"{prefix}{i}.relocated_from"
                    ),
                }
            )
        submitted = st.form_submit_button(tr("clusters.draw.save"), type="primary", key=state.CLUSTERS_DRAW_SAVE)
    if not submitted:
        return
    layer = store_layer("cluster_lots")
    rows = lots_from_drawings(new, attrs, cluster_id=cluster_id, user=user, day=today, existing=layer)
    listed = ", ".join(text_or_none(no) or str(lot_id) for lot_id, no in zip(rows["id"], rows["lot_no"], strict=True))
    save_layer(
        "cluster_lots",
        append_lots(layer, rows),
        tr("clusters.draw.message").format(n=len(rows), lots=listed),
        base=base,
        clear_drawing=True,
    )

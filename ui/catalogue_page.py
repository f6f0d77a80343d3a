"""Danh mục lớp dữ liệu: the catalogue's layers, and the attribute table of one of them with a CSV download.

The table gives each layer's title, group, geometry type, feature count, geometry-quality mix and sources.
"""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo.errors import PlanError
from layers.catalogue import CATALOGUE
from layers.export import safe_csv
from layers.model import GEOM_QUALITIES, GROUPS, LayerDef
from ui import common, mapkit
from ui.common import lang, show_error, tr
from ui.i18n import t

MAX_SOURCES = 4
_ROW_PX = 35  # st.dataframe's row height: show the whole catalogue without an inner scroll bar


def quality_mix(frame: gpd.GeoDataFrame, language: str) -> str:
    """How many features have each geometry quality, best first ("3 Gần đúng, 1 Sơ đồ")."""
    if "geom_quality" not in frame.columns or frame.empty:
        return ""
    counts = Counter(frame["geom_quality"].dropna().astype(str))
    ordered = sorted(counts, key=lambda q: GEOM_QUALITIES.index(q) if q in GEOM_QUALITIES else len(GEOM_QUALITIES))
    return ", ".join(f"{counts[q]} {mapkit.quality_label(q, language)}" for q in ordered)


def sources(layer: LayerDef, frame: gpd.GeoDataFrame, language: str) -> str:
    """The distinct sources the layer's features cite (at most a few), or where the layer's data comes from."""
    cited: list[str] = []
    if "source" in frame.columns:  # a feature may cite several sources, "II.(6); III.3a"
        parts = (part.strip() for text in frame["source"].dropna().astype(str) for part in text.split(";"))
        cited = list(dict.fromkeys(part for part in parts if part))
    if cited:
        more = "; …" if len(cited) > MAX_SOURCES else ""
        return "; ".join(cited[:MAX_SOURCES]) + more
    if layer.user_data:
        return t("catalogue.user_data", language)
    return f"data/{layer.data_file}" if layer.data_file else ""


def catalogue_table(frames: dict[str, gpd.GeoDataFrame], language: str) -> pd.DataFrame:
    """One row per catalogue layer, in the catalogue's group order; layers missing from ``frames`` say so."""
    rows = []
    for group, members in CATALOGUE.by_group().items():
        for layer in members:
            frame = frames.get(layer.id)
            rows.append(
                {
                    tr("catalogue.col.title"): mapkit.frame_title(layer, frame, language),
                    tr("catalogue.col.group"): GROUPS[group][1 if language == "en" else 0],
                    tr("catalogue.col.geometry"): tr(f"catalogue.geometry.{layer.geometry_type}"),
                    tr("catalogue.col.features"): len(frame) if frame is not None else None,
                    tr("catalogue.col.quality"): quality_mix(frame, language)
                    if frame is not None
                    else tr("catalogue.not_in_store"),
                    tr("catalogue.col.source"): sources(layer, frame, language) if frame is not None else "",
                    tr("catalogue.col.targets"): ", ".join(layer.targets),
                    tr("catalogue.col.id"): layer.id,
                }
            )
    return pd.DataFrame(rows)


def attribute_table(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The layer's attributes with its geometry as WKT in EPSG:4326 (what the CSV download holds)."""
    shown = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    shown["wkt"] = frame.geometry.to_wkt(rounding_precision=7).where(frame.geometry.notna(), None)
    return shown


def csv_bytes(table: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so spreadsheet programs show Vietnamese correctly.

    Text that a spreadsheet would run as a formula (``=...``, ``+...``, ``-...``, ``@...``) gets a leading ``'``.
    """
    return str(safe_csv(table)).encode("utf-8-sig")


def render() -> None:
    """The layer catalogue page."""
    st.subheader(tr("catalogue.title"))
    st.caption(tr("catalogue.intro"))
    try:
        held = set(common.store().layer_ids())
        frames = {layer.id: common.layer_frame(layer.id) for layer in CATALOGUE if layer.id in held}
    except PlanError as exc:
        show_error(exc)
        return
    overview = catalogue_table(frames, lang())
    st.dataframe(overview, hide_index=True, width="stretch", height=_ROW_PX * (len(overview) + 1) + 3)

    choices = [layer.id for layer in CATALOGUE if layer.id in frames]
    if not choices:
        return
    titles = {lid: mapkit.frame_title(CATALOGUE.get(lid), frames[lid], lang()) for lid in choices}
    layer_id = st.selectbox(tr("catalogue.pick"), options=choices, format_func=titles.__getitem__)
    layer = CATALOGUE.get(layer_id)
    frame = frames[layer_id]
    if layer.description_vi or layer.description_en:
        st.caption(layer.description_en if lang() == "en" else layer.description_vi)
    if frame.empty:
        st.info(tr("catalogue.empty"))
        return
    table = attribute_table(frame)
    labels = {
        "id": tr("map.col.id"),
        "name": tr("map.col.name"),
        "source": tr("map.col.source"),
        "geom_quality": tr("catalogue.col.quality"),
        "wkt": tr("catalogue.wkt"),
    }
    labels.update({f.name: (f.label_en if lang() == "en" else f.label_vi) for f in layer.fields})
    seen: set[str] = set()
    for col in table.columns:  # two fields may share a label ("name" and "ten_xa" are both "Name")
        label = labels.get(col, col)
        labels[col] = label if label not in seen else f"{label} ({col})"
        seen.add(labels[col])
    st.dataframe(table.rename(columns=labels), hide_index=True, width="stretch")
    st.download_button(
        tr("catalogue.download"),
        data=csv_bytes(table),
        file_name=f"{layer_id}.csv",
        mime="text/csv",
        key=f"catalogue.download.{layer_id}",
    )

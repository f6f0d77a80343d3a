"""Vùng nguyên liệu: hectares per commune for a species, the plan against mapped stands, supply areas of the plants.

Widgets → cached analysis (keyed by store path and layer versions) → map, bars and table. Without mapped stands
the page shows the plan's own figures on the schematic communes and says that mapped data is needed for the
comparison: it never invents stands.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import altair as alt
import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from analysis.materials import (
    SupplyResult,
    mapped_overlay,
    plan_vs_overlay,
    plant_species,
    resolve_communes,
    species_key,
    species_label,
    to_successors,
    zone_members,
)
from analysis.overlay import OverlayResult
from geo.crs import WORK_CRS, to_display
from geo.errors import DataSourceError, PlanError
from geo.numbers import AREA_HA_DECIMALS, format_number, format_pct
from layers.catalogue import CATALOGUE
from layers.export import protect_sheet, safe_csv
from services.materials import Capacity, SupplyReport, plant_capacity
from services.materials import supply as supply_report
from ui import assets, common, mapkit, state
from ui.common import lang, show_error, tr
from ui.display import number_table
from ui.escape import html_text

MAP_HEIGHT_PX = 560
#: ColorBrewer YlGn, light to dark (5 classes); fewer classes take evenly spaced colours
PALETTE = ("#ffffcc", "#c2e699", "#78c679", "#31a354", "#006837")
ZERO_COLOR = "#f4f4f4"
PLAN_COLOR = "#a6dba0"
REACH_COLOR = "#d95f02"
PLANT_STYLE: dict[str, Any] = {
    "radius": 8,
    "color": "#333",
    "weight": 2,
    "fill": True,
    "fillColor": "#fdb863",
    "fillOpacity": 1.0,
}
#: natural breaks by Jenks–Caspall (deterministic; FisherJenks would need numba), quantiles, equal intervals
SCHEMES = ("JenksCaspall", "Quantiles", "EqualInterval")


# --- formatting -----------------------------------------------------------------------------------------------


def fmt_ha(value: float, language: str, decimals: int = 1) -> str:
    """Hectares with the language's separators: 1.234,5 (vi) or 1,234.5 (en)."""
    return format_number(value, language, decimals=decimals)


# --- cached loaders and analyses (keyed by plain values) ------------------------------------------------------


def _version(layer_id: str) -> int:
    s = common.store()
    return s.current_version(layer_id) if s.has_layer(layer_id) else 0


def _work(layer_id: str) -> gpd.GeoDataFrame:
    if not common.store().has_layer(layer_id):
        return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=WORK_CRS))
    return common.layer_frame(layer_id, crs=WORK_CRS)


@st.cache_data(show_spinner=False, max_entries=16)
def _overlay(path: str, mapped_version: int, units_version: int) -> OverlayResult:
    """Mapped stands (species normalised) on the legacy communes, once per store and versions."""
    return mapped_overlay(_work("material_zones_mapped"), _work("communes_legacy"))


@st.cache_data(show_spinner=False, max_entries=32)
def _supply(
    path: str,
    mapped_version: int,
    plants_version: int,
    plant_id: str,
    distance_km: float,
    species: tuple[str, ...] | None,
    roads_layer: str | None,
    roads_version: int,
    yield_per_ha: float | None,
    capacity: float | None,
) -> SupplyReport:
    roads = _work(roads_layer) if roads_layer else None
    return supply_report(
        common.store(),
        plant_id,
        distance_km=distance_km,
        species=species,
        roads=roads,
        yield_per_ha=yield_per_ha,
        capacity=capacity,
    )


# --- pieces of the page ---------------------------------------------------------------------------------------


def _unit_frame(units_choice: str) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """The unit polygons shown (legacy or 2025 communes) and code → name."""
    layer_id = "communes_2025" if units_choice == "2025" else "communes_legacy"
    units = _work(layer_id)
    names = dict(zip(units["ma_xa"].astype(str), units["ten_xa"].astype(str), strict=True))
    return units, names


def _species_options(plan: pd.DataFrame, overlay: OverlayResult) -> list[str]:
    keys = [species_key(s) for s in plan["species"]] if "species" in plan.columns else []
    keys += list(overlay.zone_totals)
    return list(dict.fromkeys(keys)) or ["que"]


def _values_for(result: OverlayResult, species: str) -> pd.Series:
    """Hectares per unit of the stands that count for ``species`` (a species or a plan zone kind)."""
    members = zone_members(species)
    rows = result.rows if members is None else result.rows[result.rows["zone"].isin(members)]
    return rows.groupby("unit")["area_ha"].sum()


def classify(values: pd.Series, scheme: str, k: int = 5) -> tuple[list[str], list[str]]:
    """Colour per value and legend labels: zero has its own colour, positive values get mapclassify classes."""
    language = lang()
    colors = [ZERO_COLOR] * len(values)
    labels = ["0 ha"]
    positive = values[values > 0]
    if positive.empty:
        return colors, labels
    k = max(1, min(k, positive.nunique()))
    if k == 1:
        palette = [PALETTE[-2]]
        yb = np.zeros(len(positive), dtype=int)
        bins = [float(positive.max())]
    else:
        fitted = mapclassify.classify(positive.to_numpy(dtype=float), scheme, k=k)
        bins = [float(b) for b in fitted.bins]
        yb = np.asarray(fitted.yb)
        palette = [PALETTE[round(i * (len(PALETTE) - 1) / (len(bins) - 1))] for i in range(len(bins))]
    pos_index = {u: i for i, u in enumerate(positive.index)}
    for n, unit in enumerate(values.index):
        if unit in pos_index:
            colors[n] = palette[int(yb[pos_index[unit]])]
    low: float | None = None
    for b, c in zip(bins, palette, strict=True):
        text = f"≤ {fmt_ha(b, language)} ha" if low is None else f"{fmt_ha(low, language)} – {fmt_ha(b, language)} ha"
        labels.append(f"{c}|{text}")
        low = b
    return colors, labels


def _legend(labels: list[str]) -> None:
    items = [
        f'<span style="display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;border:1px solid #777;'
        f'background:{ZERO_COLOR}"></span>{html_text(labels[0])}'
    ]
    for entry in labels[1:]:
        color, _, text = entry.partition("|")
        items.append(
            f'<span style="display:inline-block;width:14px;height:10px;margin:0 4px 0 10px;border:1px solid #777;'
            f'background:{color}"></span>{html_text(text)}'
        )
    st.html(f'<div style="font-size:0.85rem">{"".join(items)}</div>')


def _plan_units(plan: pd.DataFrame, species: str, legacy: pd.DataFrame, units_choice: str) -> dict[str, str]:
    """Unit code → the plan's words for the chosen species there (zone name and planned ha, whole zone)."""
    mapping = dict(zip(legacy["ma_xa"].astype(str), legacy["successor_code"].astype(str), strict=True))
    language = lang()
    out: dict[str, list[str]] = {}
    for _, zone in plan.iterrows():
        if species_key(zone["species"]) != species:
            continue
        codes = resolve_communes(zone.get("commune_codes"), legacy) or resolve_communes(zone.get("communes"), legacy)
        if not codes or str(zone.get("scope")) == "district":
            codes = tuple(mapping)
        planned = zone.get("planned_ha")
        figure = (
            tr("materials.plan.no_area")
            if planned is None or pd.isna(planned)
            else tr("materials.plan.zone_ha").format(ha=fmt_ha(float(planned), language))
        )
        text = f"{zone.get('name', species)}: {figure}"
        for code in codes:
            unit = mapping.get(code, code) if units_choice == "2025" else code
            out.setdefault(unit, [])
            if text not in out[unit]:
                out[unit].append(text)
    return {u: "; ".join(t) for u, t in out.items()}


def _map(
    units: gpd.GeoDataFrame,
    names: dict[str, str],
    values: pd.Series | None,
    colors: dict[str, str],
    plan_text: dict[str, str],
    supply: SupplyResult | None,
    plant: gpd.GeoDataFrame | None,
    map_key: str,
) -> None:
    try:
        assets.check()
    except DataSourceError as exc:
        st.warning(f"{tr('materials.map.assets')}: {exc}")
        return
    group = folium.FeatureGroup(name="materials", control=False)
    shown, styles = _unit_tooltips(units, names, values, colors, plan_text)
    mapkit.add_features(group, shown, style=styles, tooltip=_unit_fields())
    if supply is not None:
        reach = gpd.GeoDataFrame(geometry=[supply.reach], crs=WORK_CRS)
        mapkit.add_features(
            group, reach, style={"color": REACH_COLOR, "weight": 2.5, "fill": False, "dashArray": "6 4"}
        )
        if supply.catchment is not None and not shapely.is_empty(supply.catchment):
            caught = to_display(gpd.GeoDataFrame(geometry=[supply.catchment], crs=WORK_CRS)).simplify(1e-5)
            mapkit.add_features(
                group,
                gpd.GeoDataFrame(geometry=caught),
                style={"color": REACH_COLOR, "weight": 0.5, "fillColor": REACH_COLOR, "fillOpacity": 0.35},
            )
    if plant is not None and len(plant):
        mapkit.add_features(group, plant.iloc[:1], style=PLANT_STYLE, tooltip=[("name", tr("materials.supply.plant"))])
    basemap = st.session_state.get(state.MAP_BASEMAP, "none")
    st_folium(
        mapkit.base_map(lang=None),
        key=map_key,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=[mapkit.context_group(basemap=basemap, lang=lang()), mapkit.use_local_assets(group)],
    )


def _unit_fields() -> list[tuple[str, str]]:
    """The (column, label) pairs of a unit's tooltip on the map, in this run's language."""
    return [
        ("unit", tr("materials.col.unit")),
        ("ha", tr("materials.col.mapped_ha")),
        ("plan", tr("materials.col.plan")),
    ]


def _unit_tooltips(
    units: gpd.GeoDataFrame,
    names: dict[str, str],
    values: pd.Series | None,
    colors: dict[str, str],
    plan_text: dict[str, str],
) -> tuple[gpd.GeoDataFrame, list[dict[str, Any]]]:
    """The units with their tooltip's texts (name and code, mapped ha, the plan's zones) and their fill colours.

    Plain text, as the store holds it: :func:`ui.mapkit.add_features` escapes it in the browser.
    """
    language = lang()
    codes = units["ma_xa"].astype(str).tolist()
    data = gpd.GeoDataFrame(
        {
            "unit": [f"{names.get(c, c)} ({c})" for c in codes],
            "ha": [fmt_ha(float(values.get(c, 0.0)), language) + " ha" if values is not None else "–" for c in codes],
            "plan": [plan_text.get(c, "–") for c in codes],
        },
        geometry=units.geometry.to_numpy(),
        crs=units.crs,
    )
    base = {"color": "#555", "weight": 1, "fillOpacity": 0.75}
    return data, [{**base, "fillColor": colors.get(c, ZERO_COLOR)} for c in codes]


def _commune_table(result: OverlayResult, names: dict[str, str]) -> pd.DataFrame:
    """Units × species in ha, with names, a total column and an 'outside every commune' row."""
    language = lang()
    wide = result.pivot()
    wide.columns = [species_label(str(c), language) for c in wide.columns]
    wide[tr("materials.col.total")] = wide.sum(axis=1)
    wide = wide.reindex(sorted(set(names) | set(wide.index)), fill_value=0.0)
    wide.insert(0, tr("materials.col.name"), [names.get(u, "") for u in wide.index])
    wide.index.name = tr("materials.col.code")
    outside: dict[str, object] = {species_label(z, language): v for z, v in result.unassigned_by_zone.items()}
    outside[tr("materials.col.total")] = result.unassigned_ha
    outside[tr("materials.col.name")] = tr("materials.outside")
    extra = pd.DataFrame([outside], index=pd.Index([""], name=wide.index.name))
    return pd.concat([wide, extra[wide.columns.intersection(extra.columns)]]).fillna(0.0).reset_index()


def _plan_table(table: pd.DataFrame, has_mapped: bool) -> pd.DataFrame:
    language = lang()
    out = pd.DataFrame(
        {
            tr("materials.col.zone"): table["name"],
            tr("materials.col.species"): [species_label(s, language) for s in table["species"]],
            tr("materials.col.communes"): [c or tr("materials.district") for c in table["communes"]],
            tr("materials.col.planned_ha"): table["planned_ha"],
        }
    )
    if has_mapped:
        out[tr("materials.col.mapped_in_ha")] = table["mapped_in_ha"]
        out[tr("materials.col.pct")] = table["pct"]
        out[tr("materials.col.mapped_outside_ha")] = table["mapped_outside_ha"]
        out[tr("materials.col.unassigned_ha")] = table["mapped_unassigned_ha"]
        out[tr("materials.col.counted")] = [
            ", ".join(species_label(k, language) for k in str(c).split("; ") if k) for c in table["counted_species"]
        ]
    return out


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The sheets as an XLSX workbook; text that looks like a formula (a zone named "=...") stays text."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
            protect_sheet(writer.sheets[name[:31]])
    return buf.getvalue()


def _csv(frame: pd.DataFrame) -> bytes:
    """The frame as CSV in UTF-8 with a BOM (Excel then opens Vietnamese text correctly); formulas stay text."""
    return str(safe_csv(frame)).encode("utf-8-sig")


def _downloads(sheets: dict[str, pd.DataFrame], stem: str) -> None:
    # machine-readable numbers, rounded to what the measurement supports (1 m² in hectares), not float noise
    sheets = {name: frame.round(AREA_HA_DECIMALS) for name, frame in sheets.items()}
    first = next(iter(sheets.values()))
    a, b = st.columns(2)
    a.download_button(
        tr("materials.download.csv"),
        _csv(first),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=state.MATERIALS_CSV,
    )
    b.download_button(
        tr("materials.download.xlsx"),
        _xlsx(sheets),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=state.MATERIALS_XLSX,
    )


def _bars(table: pd.DataFrame, has_mapped: bool) -> None:
    shown = table[table["planned_ha"].notna()]
    if shown.empty:
        return
    language = lang()
    labels = [
        f"{species_label(sp, language)} ({c.count(';') + 1} {tr('materials.communes_short')})"
        if c
        else f"{species_label(sp, language)} ({tr('materials.district')})"
        for sp, c in zip(shown["species"], shown["communes"], strict=True)
    ]
    bars = pd.DataFrame({"label": labels, tr("materials.col.planned_ha"): shown["planned_ha"].to_numpy()})
    if has_mapped:
        bars[tr("materials.col.mapped_in_ha")] = shown["mapped_in_ha"].to_numpy()
    long = bars.melt("label", var_name="series", value_name="ha")
    # the labels are long ("Quế, sả (12 xã)"): no limit on their width, or Vega-Lite cuts them at 180 px with "…"
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=labels, axis=alt.Axis(labelLimit=0)),
            yOffset=alt.YOffset("series:N"),
            x=alt.X("ha:Q", title="ha"),
            color=alt.Color("series:N", title=None, legend=alt.Legend(orient="bottom", labelLimit=0)),
            tooltip=[alt.Tooltip("label:N", title=tr("materials.col.zone")), "series:N", "ha:Q"],
        )
        .properties(height=alt.Step(14))
    )
    st.altair_chart(chart, use_container_width=True)


#: per-year units as plants' data write them -> (Vietnamese, English) as the page writes them
_YEAR_UNITS: dict[str, tuple[str, str]] = {"yr": ("năm", "năm"), "year": ("năm", "year"), "năm": ("năm", "year")}


def _unit_text(unit: str, language: str) -> str:
    """A unit as the page writes it: "m3/yr" is "m³/năm" in Vietnamese, "m³/yr" in English."""
    base, sep, period = unit.partition("/")
    base = base.strip().replace("m3", "m³").replace("m2", "m²")
    if not sep:
        return base
    word = _YEAR_UNITS.get(period.strip().lower())
    return f"{base}/{(word[0] if language == 'vi' else period.strip()) if word else period.strip()}"


def _looks_vietnamese(text: str) -> bool:
    """Whether a text from the data is written in Vietnamese (it has letters only Vietnamese uses)."""
    return any(
        ch in "ăâđêôơưĂÂĐÊÔƠƯ" or unicodedata.combining(c) for ch in text for c in unicodedata.normalize("NFD", ch)
    )


def capacity_note(recorded: Capacity, language: str) -> str:
    """Where a plant's capacity comes from, in the page's language.

    The figure and its unit are written here; the plant's own note on the figure (``capacity_source``, data) is
    quoted when it is written in the page's language, else the page says where the note is (the data holds one
    language of it; a Vietnamese version of that field is the data's to add).
    """
    value = float(recorded.value or 0.0)
    figure = format_number(value, language, decimals=0 if value.is_integer() else 2)
    unit = _unit_text(str(recorded.stated_unit or ""), language)
    source = str(recorded.source or "").strip()
    same_language = _looks_vietnamese(source) == (language == "vi")
    if not source:
        where = ""
    elif same_language:
        where = f" — {source}"
    else:
        where = f" — {tr('materials.capacity.note_elsewhere')}"
    return f"{figure} {unit} {tr('materials.capacity.from_plant')}{where}"


def _line_layers() -> list[str]:
    """Store layers of lines (e.g. imported roads) the supply area can be measured along."""
    return sorted(info.layer_id for info in common.store().layer_info() if "LINE" in info.geometry_type.upper())


def _supply_section(plants: gpd.GeoDataFrame, plan: pd.DataFrame, has_mapped: bool) -> tuple[Any, Any]:
    st.markdown(f"#### {tr('materials.supply.title')}")
    located = plants[~(shapely.is_missing(plants.geometry.array) | shapely.is_empty(plants.geometry.array))]
    if located.empty:
        st.info(tr("materials.supply.no_plants"))
        return None, None
    names = dict(zip(located["id"].astype(str), located["name"].astype(str), strict=True))
    ids = list(names)
    c1, c2, c3 = st.columns([2, 1, 1])
    plant_id = c1.selectbox(
        tr("materials.supply.plant"), ids, format_func=lambda i: names.get(i, i), key=state.MATERIALS_PLANT
    )
    distance = c2.slider(tr("materials.supply.distance"), 1, 60, 15, key=state.MATERIALS_DISTANCE)
    roads_options = ["", *_line_layers()]
    roads = c3.selectbox(
        tr("materials.supply.roads"),
        roads_options,
        format_func=lambda v: tr("materials.supply.straight") if v == "" else v,
        key=state.MATERIALS_ROADS,
    )
    plant = located[located["id"].astype(str) == plant_id]
    if not has_mapped:
        st.info(tr("materials.supply.need_mapped"))
        return None, plant
    c4, c5 = st.columns(2)
    yield_per_ha = c4.number_input(
        tr("materials.supply.yield"), min_value=0.0, value=0.0, step=1.0, key=state.MATERIALS_YIELD
    )
    recorded = plant_capacity(plant.iloc[0])
    # one input per plant, so that choosing another plant pre-fills that plant's own figure
    capacity = c5.number_input(
        tr("materials.supply.capacity"),
        min_value=0.0,
        value=recorded.value or 0.0,
        step=100.0,
        key=f"{state.MATERIALS_CAPACITY}.{plant_id}",
    )
    language = lang()
    label = CATALOGUE.get("processing_plants").field("capacity_source")
    if recorded.value is not None:
        st.caption(f"{label.label_en if language == 'en' else label.label_vi}: {capacity_note(recorded, language)}")
    else:
        st.caption(recorded.note(language, give=("nhập công suất ở ô bên trên", "enter it in the field above")))
    species = plant_species(plant.iloc[0].to_dict(), plan)
    path = common.store_key()
    given = None if recorded.value is not None and capacity == recorded.value else (capacity or None)
    report = _supply(
        path,
        _version("material_zones_mapped"),
        _version("processing_plants"),
        plant_id,
        float(distance),
        species,
        roads or None,
        _version(roads) if roads else 0,
        yield_per_ha or None,
        given,
    )
    result = report.result
    what = (
        tr("materials.supply.all_species")
        if result.species is None
        else ", ".join(species_label(s, language) for s in result.species)
    )
    # one figure a row: the side column is narrow, and st.metric cuts a long label with "…"
    m1 = m2 = m3 = st.container()
    m1.metric(tr("materials.supply.area"), f"{fmt_ha(result.area_ha, language)} ha")
    if result.supply is not None:
        m2.metric(tr("materials.supply.amount"), fmt_ha(result.supply, language, 0))
        if result.capacity_ratio is not None:
            m3.metric(tr("materials.supply.ratio"), format_pct(result.capacity_ratio * 100, language))
    st.caption(tr("materials.supply.species").format(species=what))
    for note in result.notes:
        st.caption(common.notice_text(note))
    return result, plant


def render() -> None:
    """The raw-material zones page."""
    st.subheader(tr("materials.title"))
    st.caption(tr("materials.intro"))
    try:
        _page()
    except PlanError as exc:
        show_error(exc)


def _page() -> None:
    language = lang()
    path = common.store_key()
    plan = _work("material_zones_plan")
    mapped = _work("material_zones_mapped")
    legacy = _work("communes_legacy")
    plants = _work("processing_plants")
    has_mapped = len(mapped) > 0
    overlay = _overlay(path, _version("material_zones_mapped"), _version("communes_legacy"))

    c1, c2, c3 = st.columns([2, 2, 1])
    options = _species_options(plan, overlay)
    species = c1.selectbox(
        tr("materials.species"),
        options,
        index=options.index("que") if "que" in options else 0,
        format_func=lambda k: species_label(k, language),
        key=state.MATERIALS_SPECIES,
    )
    units_choice = c2.radio(
        tr("materials.units"),
        ["legacy", "2025"],
        format_func=lambda v: tr(f"materials.units.{v}"),
        horizontal=True,
        key=state.MATERIALS_UNITS,
    )
    scheme = c3.selectbox(
        tr("materials.scheme"), SCHEMES, format_func=lambda v: tr(f"materials.scheme.{v}"), key=state.MATERIALS_SCHEME
    )

    units, names = _unit_frame(units_choice)
    result = to_successors(overlay, legacy) if units_choice == "2025" else overlay
    plan_text = _plan_units(plan, species, legacy, units_choice)
    if has_mapped:
        values = _values_for(result, species).reindex(units["ma_xa"].astype(str), fill_value=0.0)
        color_list, labels = classify(values, scheme)
        colors = dict(zip(values.index, color_list, strict=True))
    else:
        st.info(tr("materials.no_mapped"))
        values = None
        colors = {u: PLAN_COLOR for u in plan_text}
        labels = []

    table = plan_vs_overlay(plan, overlay, legacy)
    supply, plant = None, None
    map_col, side_col = st.columns([3, 2], gap="medium")
    with side_col:
        supply, plant = _supply_section(plants, plan, has_mapped)
    with map_col:
        _map(units, names, values, colors, plan_text, supply, plant, state.MATERIALS_MAP)
        if labels:
            _legend(labels)
        else:
            st.caption(tr("materials.plan.legend"))

    st.markdown(f"#### {tr('materials.plan_vs_mapped')}")
    _bars(table, has_mapped)
    plan_sheet = _plan_table(table, has_mapped)
    if has_mapped:
        st.markdown(f"#### {tr('materials.by_commune')}")
        commune_sheet = _commune_table(result, names)
        st.dataframe(number_table(commune_sheet.round(2), lang()), hide_index=True, width="stretch")
        st.markdown(f"#### {tr('materials.plan_table')}")
        st.dataframe(number_table(plan_sheet.round(2), lang()), hide_index=True, width="stretch")
        _downloads(
            {tr("materials.sheet.communes"): commune_sheet, tr("materials.sheet.plan"): plan_sheet},
            f"vung_nguyen_lieu_{units_choice}",
        )
        if result.unassigned_ha > 0:
            st.caption(tr("materials.unassigned").format(ha=fmt_ha(result.unassigned_ha, language)))
    else:
        st.dataframe(number_table(plan_sheet.round(2), lang()), hide_index=True, width="stretch")
        _downloads({tr("materials.sheet.plan"): plan_sheet}, "vung_nguyen_lieu_ke_hoach")

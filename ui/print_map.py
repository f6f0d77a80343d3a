"""The printed map: a page of A4 or A3 (landscape or portrait) drawn server-side with matplotlib, as PNG or PDF.

The page holds the visible layers within a frame (the map's view when the planner pressed the print button), drawn
in EPSG:9208 with the styles of the on-screen map (:func:`ui.mapkit.style_for`), a title, a legend, a metric
scale bar, a north arrow, the commune names, and a note on the geometry quality of the features drawn — counted
from their own ``geom_quality``, so schematic features are never passed off as surveyed ones. Pure: frames and
options in, a matplotlib figure or file bytes out; no streamlit.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import shapely
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from geo.crs import DISPLAY_EPSG, WORK_CRS, WORK_EPSG, transformer
from geo.numbers import format_number
from layers.model import GEOM_QUALITIES, LayerDef, Style
from ui.i18n import TEXT, t
from ui.mapkit import FLAGGED_QUALITIES, choice_label, frame_title, quality_label, style_for

__all__ = [
    "PAPERS",
    "PrintLayer",
    "PrintOptions",
    "build_figure",
    "legend_texts",
    "page_size_mm",
    "quality_counts",
    "quality_note",
    "render",
]

#: ISO 216 paper sizes, portrait (width, height) in mm
PAPERS: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
Orientation = Literal["landscape", "portrait"]
Format = Literal["png", "pdf"]
MM_PER_INCH = 25.4
#: screen pixels (Leaflet's line widths, radii) to printed points
PT_PER_PX = 0.75
_DRAW_ORDER = {"Polygon": 0, "LineString": 1, "Point": 2}
#: the symbol that shows how a geometry quality is drawn (as ui.mapkit.legend_html does)
_QUALITY_SAMPLE = LayerDef("_q", "", "", "admin", "Polygon", (), Style(color="#444444", fill_color=None, weight=2.0))
_DASHES: dict[str, tuple[float, ...]] = {"8 5": (4.0, 2.5), "2 5": (1.0, 2.5), "4 3": (2.0, 1.5), "2 3": (1.0, 1.5)}


@dataclass(frozen=True)
class PrintLayer:
    """A catalogue layer and the features of it to print (any CRS; those outside the frame are left out)."""

    layer: LayerDef
    frame: gpd.GeoDataFrame


@dataclass(frozen=True)
class PrintOptions:
    """What the page looks like: paper, orientation, resolution, title, language, date, and what else to write."""

    title: str
    paper: str = "A4"
    orientation: Orientation = "landscape"
    dpi: int = 150
    lang: str = "vi"
    made_on: dt.date | None = None
    #: a line under the title (the filter applied, the data's store)
    subtitle: str = ""
    #: the layer whose ``name`` is written on the map (commune names), when it is among the printed ones
    names_layer: str | None = None


def page_size_mm(paper: str, orientation: Orientation) -> tuple[float, float]:
    """(width, height) of the page in mm; ValueError for a paper size not in :data:`PAPERS`."""
    try:
        short, long = PAPERS[paper]
    except KeyError:
        raise ValueError(f"unknown paper size {paper!r}; choose one of {', '.join(PAPERS)}") from None
    return (long, short) if orientation == "landscape" else (short, long)


def quality_counts(layers: Sequence[PrintLayer]) -> dict[str, int]:
    """How many of the printed features have each geometry quality (missing quality counts as "unknown")."""
    counts: Counter[str] = Counter()
    for item in layers:
        if "geom_quality" in item.frame.columns:
            counts.update(str(q) if isinstance(q, str) and q else "unknown" for q in item.frame["geom_quality"])
        else:
            counts["unknown"] += len(item.frame)
    order = [*GEOM_QUALITIES, "sample"]
    return dict(sorted(counts.items(), key=lambda qn: order.index(qn[0]) if qn[0] in order else len(order)))


def _quality_text(quality: str, lang: str) -> str:
    key = f"map.quality_note.{quality}"
    return t(key, lang) if key in TEXT else t(f"map.print.quality_note.{quality}", lang)


def quality_note(counts: Mapping[str, int], lang: str) -> str:
    """The page's note on geometry quality: how many features of each quality, and what the poorer ones mean."""
    if not counts:
        return t("map.print.quality.none", lang)
    parts = [f"{quality_label(q, lang).lower()}: {format_number(n, lang)}" for q, n in counts.items()]
    lines = [f"{t('map.print.quality', lang)}: {'; '.join(parts)}."]
    for q in counts:
        if q in (*FLAGGED_QUALITIES, "sample", "unknown"):
            lines.append(f"{quality_label(q, lang)}: {_quality_text(q, lang)}")
    return "\n".join(lines)


def _view_box(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in EPSG:9208 of a (west, south, east, north) frame in degrees."""
    west, south, east, north = bounds
    to_work = transformer(DISPLAY_EPSG, WORK_EPSG)
    xs, ys = to_work.transform([west, east, west, east], [south, south, north, north])
    return min(xs), min(ys), max(xs), max(ys)


def _fit(
    box: tuple[float, float, float, float], width_mm: float, height_mm: float
) -> tuple[float, float, float, float]:
    """The box widened in one direction to the axes' shape, so the frame is all shown at one scale."""
    xmin, ymin, xmax, ymax = box
    per_mm = max((xmax - xmin) / width_mm, (ymax - ymin) / height_mm, 1e-6)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return (
        cx - per_mm * width_mm / 2,
        cy - per_mm * height_mm / 2,
        cx + per_mm * width_mm / 2,
        cy + per_mm * height_mm / 2,
    )


def _nice(length_m: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ metres not above ``length_m``."""
    exp = 10 ** math.floor(math.log10(length_m))
    return max(step * exp for step in (1, 2, 5) if step * exp <= length_m)


def _length_text(metres: float, lang: str) -> str:
    return f"{format_number(metres / 1000, lang)} km" if metres >= 1000 else f"{format_number(metres, lang)} m"


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    c = color.lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255, alpha)


def _linestyle(style: Mapping[str, Any]) -> Any:
    dash = style.get("dashArray")
    return (0, _DASHES.get(str(dash), (2.0, 2.0))) if dash else "solid"


def _feature_style(layer: LayerDef, row: Mapping[str, Any]) -> dict[str, Any]:
    st = layer.style
    fill = None
    if st.color_field and row.get(st.color_field) is not None:
        fill = dict(st.color_map).get(str(row.get(st.color_field)))
    quality = row.get("geom_quality") if isinstance(row.get("geom_quality"), str) else "approximate"
    outline = any(str(row.get(f)) == v for f, v in st.outline_when)
    return style_for(layer, fill=fill, quality=quality, outline=outline)


def _draw_layer(ax: Any, item: PrintLayer, box: tuple[float, float, float, float]) -> list[str]:
    """Draw one layer's features inside ``box`` (EPSG:9208); return the ``color_field`` values drawn."""
    layer = item.layer
    frame = item.frame
    if frame.crs is None or frame.empty:
        return []
    work = frame.to_crs(WORK_CRS) if frame.crs.to_epsg() != WORK_EPSG else frame
    geoms = shapely.force_2d(work.geometry.array)
    clipped = shapely.clip_by_rect(geoms, *box)
    present: list[str] = []
    for i, geom in enumerate(clipped):
        if geom is None or shapely.is_empty(geom):
            continue
        row = work.iloc[i]
        s = _feature_style(layer, row)
        cf = layer.style.color_field
        if cf and row.get(cf) is not None and str(row.get(cf)) not in present:
            present.append(str(row.get(cf)))
        lw = float(s.get("weight", 1.0)) * PT_PER_PX
        edge = _rgba(str(s["color"]), float(s.get("opacity", 1.0)))
        series = gpd.GeoSeries([geom], crs=WORK_CRS)
        if layer.geometry_type == "Point":
            r = float(s.get("radius", 5.0))
            dot = _rgba(str(s.get("fillColor", s["color"])), float(s.get("fillOpacity", 0.8)))
            series.plot(
                ax=ax,
                markersize=(2 * r * PT_PER_PX) ** 2,
                color=[dot],
                edgecolor=[edge],
                linewidth=lw,
                linestyle=_linestyle(s),
                zorder=4,
            )
        elif layer.geometry_type == "LineString":
            series.plot(ax=ax, color=[edge], linewidth=lw, linestyle=_linestyle(s), zorder=3)
        else:
            face: Any = "none"
            if "hatch" in s:
                stripes = _rgba(str(s["hatch"]), float(s.get("fillOpacity", 0.6)))
                series.plot(ax=ax, facecolor="none", edgecolor=[stripes], hatch="////", linewidth=0, zorder=2)
            elif s.get("fill"):
                face = _rgba(str(s.get("fillColor", s["color"])), float(s.get("fillOpacity", 0.3)))
            series.plot(ax=ax, facecolor=face, edgecolor=[edge], linewidth=lw, linestyle=_linestyle(s), zorder=2)
    return present


def _handle(layer: LayerDef, *, fill: str | None = None, quality: str | None = None) -> Any:
    s = style_for(layer, fill=fill, quality=quality)
    edge = _rgba(str(s["color"]), float(s.get("opacity", 1.0)))
    lw = max(float(s.get("weight", 1.0)), 1.0) * PT_PER_PX
    if layer.geometry_type == "Point":
        dot = _rgba(str(s.get("fillColor", s["color"])), float(s.get("fillOpacity", 0.8)))
        return Line2D([], [], marker="o", linestyle="none", markersize=7, markerfacecolor=dot, markeredgecolor=edge)
    if layer.geometry_type == "LineString":
        return Line2D([], [], color=edge, linewidth=lw, linestyle=_linestyle(s))
    if "hatch" in s:
        return Patch(facecolor="none", edgecolor=_rgba(str(s["hatch"]), 0.9), hatch="////", linewidth=lw)
    face: Any = (
        _rgba(str(s.get("fillColor", s["color"])), float(s.get("fillOpacity", 0.3))) if s.get("fill") else "none"
    )
    return Patch(facecolor=face, edgecolor=edge, linewidth=lw, linestyle=_linestyle(s))


def _legend(layers: Sequence[PrintLayer], present: Mapping[str, list[str]], lang: str) -> tuple[list[Any], list[str]]:
    handles: list[Any] = []
    labels: list[str] = []
    for item in layers:
        layer = item.layer
        q = _dominant(item)
        handles.append(_handle(layer, quality=q))
        labels.append(frame_title(layer, item.frame, lang))
        if layer.style.color_field and layer.style.color_map:
            for value, color in layer.style.color_map:
                if value in present.get(layer.id, []):
                    handles.append(_handle(layer, fill=color, quality=q))
                    labels.append(f"   {choice_label(layer.style.color_field, value, lang)}")
    return handles, labels


def _dominant(item: PrintLayer) -> str | None:
    if "geom_quality" not in item.frame.columns or item.frame.empty:
        return None
    counts = Counter(str(q) for q in item.frame["geom_quality"] if isinstance(q, str))
    return counts.most_common(1)[0][0] if counts else None


def _visible(layers: Sequence[PrintLayer], box: tuple[float, float, float, float]) -> list[PrintLayer]:
    """The layers with the features that touch the frame (so the note and legend speak of what is drawn)."""
    frame_box = shapely.box(*box)
    out = []
    for item in layers:
        frame = item.frame
        if frame.crs is None:
            continue
        frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)]
        if frame.empty:
            continue
        work = frame.to_crs(WORK_CRS) if frame.crs.to_epsg() != WORK_EPSG else frame
        keep = shapely.intersects(work.geometry.array, frame_box)
        if keep.any():
            out.append(PrintLayer(item.layer, frame[keep]))
    return out


def _scale_bar(ax: Any, view: tuple[float, float, float, float], lang: str) -> float:
    xmin, ymin, xmax, ymax = view
    width = xmax - xmin
    length = _nice(width / 5)
    x0, y0 = xmin + 0.04 * width, ymin + 0.05 * (ymax - ymin)
    h = 0.012 * (ymax - ymin)
    for k, color in enumerate(("black", "white")):
        ax.add_patch(
            Rectangle((x0 + k * length / 2, y0), length / 2, h, facecolor=color, edgecolor="black", lw=0.6, zorder=6)
        )
    for frac, text in ((0.0, "0"), (0.5, _length_text(length / 2, lang)), (1.0, _length_text(length, lang))):
        ax.text(x0 + frac * length, y0 + 1.6 * h, text, ha="center", va="bottom", fontsize=7, zorder=6)
    return length


def _north_arrow(ax: Any, lang: str) -> None:
    ax.annotate(
        "",
        xy=(0.95, 0.95),
        xytext=(0.95, 0.85),
        xycoords="axes fraction",
        arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=1", "color": "black", "lw": 1.5},
        zorder=7,
    )
    ax.text(
        0.95,
        0.955,
        t("map.print.north", lang),
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=11,
        fontweight="bold",
        zorder=7,
    )


def build_figure(
    layers: Sequence[PrintLayer], bounds: tuple[float, float, float, float], options: PrintOptions
) -> Figure:
    """The printed page as a matplotlib figure (no pyplot: safe off the main thread).

    Parameters
    ----------
    layers
        The visible layers in drawing order of the screen (polygons are drawn under lines, lines under points).
    bounds
        The frame (west, south, east, north) in degrees (EPSG:4326); the page shows all of it at one scale.
    options
        Paper, orientation, dpi, title, language, date.
    """
    lang = options.lang
    width_mm, height_mm = page_size_mm(options.paper, options.orientation)
    fig = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=options.dpi)
    margin = 10.0
    title_h = 16.0 if not options.subtitle else 21.0
    footer_h = 14.0
    landscape = options.orientation == "landscape"
    if landscape:
        legend_w = 72.0
        map_box_mm = (
            margin,
            margin + footer_h,
            width_mm - 2 * margin - legend_w - 4,
            height_mm - 2 * margin - title_h - footer_h,
        )
        legend_box_mm = (width_mm - margin - legend_w, margin + footer_h, legend_w, map_box_mm[3])
    else:
        legend_h = 0.30 * height_mm
        map_h = height_mm - 2 * margin - title_h - footer_h - legend_h - 4
        map_box_mm = (margin, margin + footer_h + legend_h + 4, width_mm - 2 * margin, map_h)
        legend_box_mm = (margin, margin + footer_h, width_mm - 2 * margin, legend_h)

    def frac(box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x, y, w, h = box
        return (x / width_mm, y / height_mm, w / width_mm, h / height_mm)

    fig.text(
        margin / width_mm, 1 - margin / height_mm, options.title, ha="left", va="top", fontsize=16, fontweight="bold"
    )
    if options.subtitle:
        fig.text(
            margin / width_mm,
            1 - (margin + 8.5) / height_mm,
            options.subtitle,
            ha="left",
            va="top",
            fontsize=9.5,
            color="#333333",
        )

    ax = fig.add_axes(frac(map_box_mm))
    view = _fit(_view_box(bounds), map_box_mm[2], map_box_mm[3])
    ax.set_xlim(view[0], view[2])
    ax.set_ylim(view[1], view[3])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)

    shown = _visible(layers, view)
    ordered = sorted(shown, key=lambda item: _DRAW_ORDER.get(item.layer.geometry_type, 3))
    present = {item.layer.id: _draw_layer(ax, item, view) for item in ordered}
    ax.set_xlim(view[0], view[2])  # geopandas' plot may have widened them and named the axes
    ax.set_ylim(view[1], view[3])
    ax.set_xlabel("")
    ax.set_ylabel("")
    names = next((item for item in shown if item.layer.id == options.names_layer), None)
    if names is not None and "name" in names.frame.columns:
        work = names.frame.to_crs(WORK_CRS)
        for name, geom in zip(work["name"], work.geometry.array, strict=True):
            at = geom.representative_point() if geom.geom_type != "Point" else geom
            if view[0] <= at.x <= view[2] and view[1] <= at.y <= view[3] and isinstance(name, str):
                ax.text(at.x, at.y, name, ha="center", va="center", fontsize=7, color="#333333", zorder=5, clip_on=True)
    bar_m = _scale_bar(ax, view, lang)
    _north_arrow(ax, lang)

    lax = fig.add_axes(frac(legend_box_mm))
    lax.set_axis_off()
    handles, labels = _legend(shown, present, lang)
    counts = quality_counts(shown)
    flagged = [q for q in FLAGGED_QUALITIES if q in counts]
    for q in flagged:  # how a poorer quality is drawn
        handles.append(_handle(_QUALITY_SAMPLE, quality=q))
        labels.append(f"{t('map.legend.quality', lang)}: {quality_label(q, lang)}")
    if handles:
        lax.legend(
            handles,
            labels,
            loc="upper left",
            title=t("map.legend", lang),
            fontsize=7.5 if landscape else 7,
            title_fontsize=9,
            frameon=False,
            ncols=1 if landscape else 2,
            alignment="left",
        )
    chars = int(legend_box_mm[2] / 1.45)  # ~1.45 mm per character at 6.8 pt
    note = "\n".join(textwrap.fill(line, chars) for line in quality_note(counts, lang).splitlines())
    color = "#5a3a00" if flagged or "sample" in counts else "#333333"
    lax.text(0.0, 0.0, note, transform=lax.transAxes, ha="left", va="bottom", fontsize=6.8, color=color)

    scale = (view[2] - view[0]) / map_box_mm[2] * 1000  # ground mm per paper mm
    day = options.made_on.strftime("%d/%m/%Y" if lang != "en" else "%Y-%m-%d") if options.made_on else ""
    footer = t("map.print.footer", lang).format(
        scale=format_number(round(scale, -2 if scale > 10_000 else -1), lang),
        paper=f"{options.paper} {t(f'map.print.{options.orientation}', lang).lower()}",
        bar=_length_text(bar_m, lang),
        day=day,
    )
    fig.text(margin / width_mm, margin / height_mm, footer, ha="left", va="bottom", fontsize=7, color="#333333")
    return fig


def render(
    layers: Sequence[PrintLayer], bounds: tuple[float, float, float, float], options: PrintOptions, fmt: Format
) -> bytes:
    """The printed page as PNG or PDF bytes (the page size of :attr:`PrintOptions.paper`, at its dpi)."""
    if fmt not in ("png", "pdf"):
        raise ValueError(f"unknown format {fmt!r}; choose png or pdf")
    fig = build_figure(layers, bounds, options)
    # the legend in the file's own metadata too (PNG Description, PDF Subject): what a document system indexes
    about = f"{t('map.legend', options.lang)}: {'; '.join(legend_texts(fig))}"
    metadata = {"Title": options.title, "Description" if fmt == "png" else "Subject": about}
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=options.dpi, metadata=metadata)
    return out.getvalue()


def legend_texts(fig: Figure) -> list[str]:
    """The entries of a printed page's legend, as written (sub-entries without their indent)."""
    return [text.get_text().strip() for ax in fig.axes if (lg := ax.get_legend()) for text in lg.get_texts()]

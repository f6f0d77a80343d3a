"""Types of the declarative layer catalogue.

A :class:`LayerDef` says what a layer is: id, Vietnamese and English titles, group, geometry type, typed
fields with units, style and legend entry, the plan targets it serves and where its data comes from.
The catalogue itself (the instances) lives in :mod:`layers.catalogue`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

DType = Literal["str", "int", "float", "date", "bool"]
GeomType = Literal["Point", "LineString", "Polygon", "None"]

#: Geometry quality, best first. Nothing authored by this project is better than "approximate".
#: "unknown" is a planner's file that does not say how its geometry was made: it is not taken to be
#: digitised until the planner says so. "unlocated" is our addition: an entity the plan names without a
#: place; it has no geometry and appears in tables and reports but not on the map (docs/DECISIONS.md).
GEOM_QUALITIES: tuple[str, ...] = ("surveyed", "digitised", "approximate", "schematic", "unknown", "unlocated")

GEOM_QUALITY_LABELS: dict[str, tuple[str, str]] = {
    "surveyed": ("Đo đạc", "Surveyed"),
    "digitised": ("Số hóa từ bản đồ", "Digitised"),
    "approximate": ("Gần đúng", "Approximate"),
    "schematic": ("Sơ đồ", "Schematic"),
    "unknown": ("Chưa rõ", "Unknown"),
    "sample": ("Dữ liệu mẫu (không thật)", "Sample (not real)"),
    "unlocated": ("Chưa xác định vị trí", "Location unknown"),
}

#: How a title says the quality of its layer's geometry (Vietnamese, English): nothing for surveyed shapes.
QUALITY_SUFFIXES: dict[str, tuple[str, str]] = {
    "surveyed": ("", ""),
    "digitised": ("số hóa", "digitised"),
    "approximate": ("gần đúng", "approximate"),
    "unknown": ("chưa rõ độ tin cậy", "quality unknown"),
    "schematic": ("sơ đồ", "schematic"),
    "sample": ("dữ liệu mẫu", "sample"),
}
#: Qualities from best to worst as a title ranks them; a quality not listed ranks with "unknown".
_TITLE_RANK: tuple[str, ...] = ("surveyed", "digitised", "approximate", "unknown", "schematic", "sample")


def quality_suffix(quality_mix: Mapping[str, int], lang: str) -> str:
    """What a title adds for a layer whose located features have these qualities: `` (sơ đồ)``, `` (số hóa)``, ``""``.

    ``quality_mix`` maps a ``geom_quality`` to its number of features (as :meth:`Store.layer_info` and
    :class:`ui.mapkit.PreparedLayer` count them); features without a place (``unlocated``) are not drawn and do
    not count. All of one quality: that quality ("(sơ đồ)" only when every located feature is schematic);
    mixed: "một phần" / "partly" and the poorest quality present; all surveyed or nothing located: no suffix.
    """
    present = {q if q in _TITLE_RANK else "unknown" for q, n in quality_mix.items() if n > 0 and q != "unlocated"}
    if not present:
        return ""
    worst = max(present, key=_TITLE_RANK.index)
    vi, en = QUALITY_SUFFIXES[worst]
    if not vi:
        return ""
    word = en if lang == "en" else vi
    if len(present) > 1:
        word = f"partly {word}" if lang == "en" else f"một phần {word}"
    return f" ({word})"


def quality_mix(qualities: Iterable[object]) -> dict[str, int]:
    """Count the ``geom_quality`` values of a layer's features (e.g. ``frame["geom_quality"]``)."""
    mix: dict[str, int] = {}
    for q in qualities:
        key = q if isinstance(q, str) and q else "unknown"
        mix[key] = mix.get(key, 0) + 1
    return mix


#: Layer groups in display order: id -> (Vietnamese, English).
GROUPS: dict[str, tuple[str, str]] = {
    "admin": ("Hành chính", "Administrative units"),
    "clusters": ("Cụm công nghiệp", "Industrial clusters"),
    "materials": ("Vùng nguyên liệu", "Raw-material zones"),
    "minerals": ("Khoáng sản & VLXD", "Minerals & construction materials"),
    "hydropower": ("Thủy điện", "Hydropower"),
    "water": ("Cấp nước", "Water supply"),
    "processing": ("Nhà máy chế biến", "Processing plants"),
    "craft": ("Làng nghề", "Craft villages"),
}

#: Fields every feature of every layer carries.
COMMON_FIELDS: tuple[str, ...] = ("id", "name", "source", "geom_quality")


@dataclass(frozen=True)
class FieldDef:
    """A typed attribute of a layer.

    ``unit`` is the unit of the value ("ha", "MW", "m3/day", "bn VND", "households", ...), or None.
    ``choices`` restricts a text field to canonical values (e.g. a status).
    """

    name: str
    dtype: DType
    label_vi: str
    label_en: str
    unit: str | None = None
    required: bool = False
    choices: tuple[str, ...] | None = None
    #: shown in popups and cards as a key figure
    key: bool = False


@dataclass(frozen=True)
class Style:
    """How a layer is drawn, and so how its legend symbol looks.

    Points are circle markers of ``radius`` pixels, or sized by ``size_field`` (square-root scaling between
    ``radius_min`` and ``radius_max``). Polygons and lines use ``color``/``weight``; polygons fill with
    ``fill_color`` at ``fill_opacity``; ``hatch`` draws a diagonal hatch instead of a flat fill.
    """

    color: str
    fill_color: str | None = None
    fill_opacity: float = 0.3
    weight: float = 2.0
    radius: float = 6.0
    size_field: str | None = None
    radius_min: float = 5.0
    radius_max: float = 18.0
    hatch: bool = False
    #: colour per value of a field (e.g. species, status); falls back to ``fill_color``
    color_field: str | None = None
    color_map: tuple[tuple[str, str], ...] = ()
    #: (field, value) pairs whose features are drawn as outlines in their colour, unfilled: e.g. district-wide
    #: plan totals, which would otherwise cover every commune-level zone with hatching
    outline_when: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LayerDef:
    """One layer of the catalogue."""

    id: str
    title_vi: str
    title_en: str
    group: str
    geometry_type: GeomType
    fields: tuple[FieldDef, ...]
    style: Style
    #: plan target ids this layer serves ("1".."13", "training")
    targets: tuple[str, ...] = ()
    description_vi: str = ""
    description_en: str = ""
    #: True for layers the plan gives only as counts or that wait for the planners' own data (lots, mapped
    #: zones, mines): they ship empty and are filled by import or editing.
    user_data: bool = False
    #: file under data/ that the authored features come from (None for user-data layers)
    data_file: str | None = None
    visible_by_default: bool = True
    #: the column an exported table gives a shape's measured area under, when the layer's shapes are not its
    #: features' own outlines: the plan's raw-material zones are drawn as the union of the communes they lie in,
    #: so that area is "communes_area_ha", beside the plan's own "planned_ha" (docs/DECISIONS.md). None: a shape
    #: is the feature, and its measured area is the feature's ``area_ha``.
    shape_area_field: str | None = None

    def field(self, name: str) -> FieldDef:
        """Return the field called ``name``; KeyError if the layer has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def title(self, lang: str, quality_mix: Mapping[str, int] | None = None) -> str:
        """The layer's title in ``lang``; with the stored features' ``quality_mix``, followed by what it is worth.

        The catalogue's titles say nothing of quality: a layer's quality is its data's (schematic cells until
        real boundaries are imported, then digitised), so only a caller that holds the data can say it
        (:func:`quality_suffix`).
        """
        base = self.title_en if lang == "en" else self.title_vi
        return base + quality_suffix(quality_mix, lang) if quality_mix is not None else base


@dataclass(frozen=True)
class Catalogue:
    """An ordered, id-indexed collection of layers."""

    layers: tuple[LayerDef, ...]
    _by_id: dict[str, LayerDef] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for layer in self.layers:
            if layer.id in self._by_id:
                raise ValueError(f"duplicate layer id {layer.id!r} in the catalogue")
            self._by_id[layer.id] = layer

    def __iter__(self) -> Iterator[LayerDef]:
        return iter(self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def __contains__(self, layer_id: object) -> bool:
        return layer_id in self._by_id

    def get(self, layer_id: str) -> LayerDef:
        """Return the layer with this id; KeyError naming the known ids otherwise."""
        try:
            return self._by_id[layer_id]
        except KeyError:
            raise KeyError(f"no layer {layer_id!r}; known layers: {', '.join(self._by_id)}") from None

    def by_group(self) -> dict[str, list[LayerDef]]:
        """Layers grouped in the order of :data:`GROUPS`."""
        out: dict[str, list[LayerDef]] = {g: [] for g in GROUPS}
        for layer in self.layers:
            out[layer.group].append(layer)
        return {g: ls for g, ls in out.items() if ls}


@dataclass(frozen=True)
class MeasureSpec:
    """One measurable part of a plan target (a target has one or more; the first is the headline).

    Read from ``data/targets.yaml`` by :mod:`layers.plan_data`; :class:`analysis.targets.Measure` adds the
    behaviour the analyses need.
    """

    target_id: str
    key: str
    label_vi: str
    label_en: str
    unit: str
    deadline: dt.date
    method: str
    target: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    baseline: float | None = None
    aggregation: str = "latest"
    derive_kind: str | None = None
    derive_layer: str | None = None
    derive_features: tuple[str, ...] = ()
    derive_ids: tuple[str, ...] = ()
    derive_statuses: tuple[str, ...] = ()
    derive_field: str | None = None
    derive_cluster: str | None = None
    note: str = ""

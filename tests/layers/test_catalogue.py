"""Integrity of the declarative layer catalogue and of the frames it describes."""

from __future__ import annotations

import re
from typing import get_args

import pytest

from layers.authored import load_all, pandas_dtype
from layers.catalogue import CATALOGUE, SPECIES_LABELS, STATUS_CHOICES, TARGET_IDS, normalise_choice
from layers.model import COMMON_FIELDS, GROUPS, DType, GeomType
from layers.settings import DATA_DIR

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LAYERS = list(CATALOGUE)


@pytest.fixture(scope="module")
def frames():
    return load_all(DATA_DIR)


def test_planned_layer_ids_exist():
    planned = [
        *("communes_legacy", "communes_2025", "commune_centres"),
        *("clusters", "cluster_boundaries", "cluster_zoning", "cluster_lots"),
        *("material_zones_plan", "material_zones_mapped"),
        *("mines", "brick_facilities", "mineral_plants"),
        *("hydropower", "water_plants", "processing_plants", "craft_villages", "ttcn_facilities"),
    ]
    assert sorted(planned) == sorted(layer.id for layer in LAYERS)


def test_ids_unique_and_plain():
    ids = [layer.id for layer in LAYERS]
    assert len(ids) == len(set(ids))
    assert all(IDENT.fullmatch(i) for i in ids)


def test_every_group_known_and_used():
    assert {layer.group for layer in LAYERS} == set(GROUPS)
    assert list(CATALOGUE.by_group()) == list(GROUPS)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.id)
def test_layer_definition(layer):
    assert layer.geometry_type in get_args(GeomType)
    assert layer.title_vi and layer.title_en
    names = [f.name for f in layer.fields]
    assert len(names) == len(set(names)), "field names repeat"
    assert not set(names) & set(COMMON_FIELDS), "common fields are implicit"
    for f in layer.fields:
        assert IDENT.fullmatch(f.name)
        assert f.dtype in get_args(DType)
        assert f.label_vi and f.label_en
        if f.choices is not None:
            assert f.dtype == "str" and len(set(f.choices)) == len(f.choices)
    # targets: a known, non-empty set
    assert layer.targets and set(layer.targets) <= set(TARGET_IDS)
    # authored layers name their source file; user-data layers have none
    if layer.user_data:
        assert layer.data_file is None
    else:
        assert layer.data_file is not None and (DATA_DIR / layer.data_file).is_file()


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.id)
def test_style(layer):
    s = layer.style
    colours = [s.color, *([s.fill_color] if s.fill_color else []), *(c for _, c in s.color_map)]
    assert all(COLOUR.fullmatch(c) for c in colours), colours
    assert 0.0 <= s.fill_opacity <= 1.0 and s.radius_min <= s.radius_max
    if s.size_field is not None:
        assert layer.field(s.size_field).dtype in ("int", "float")
    if s.color_field is not None:
        f = layer.field(s.color_field)
        keys = [k for k, _ in s.color_map]
        assert len(keys) == len(set(keys))
        if f.choices is not None:
            assert set(keys) <= set(f.choices)


def test_group_colours_distinct():
    by_group = {g: {layer.style.color for layer in ls} for g, ls in CATALOGUE.by_group().items()}
    for g, colours in by_group.items():
        for other, other_colours in by_group.items():
            if g != other:
                assert not colours & other_colours, (g, other)


def test_required_styles():
    assert CATALOGUE.get("hydropower").style.size_field == "capacity_mw"
    assert CATALOGUE.get("hydropower").field("capacity_mw").unit == "MW"
    assert CATALOGUE.get("water_plants").style.size_field == "capacity_m3_day"
    zones = CATALOGUE.get("material_zones_plan").style
    assert zones.hatch and zones.color_field == "species"
    assert {k for k, _ in zones.color_map} == set(SPECIES_LABELS)
    assert len({c for _, c in zones.color_map}) == len(zones.color_map), "one colour per species"


def test_user_data_layers():
    expected = {
        "cluster_boundaries": (),
        "cluster_zoning": ("use",),
        "cluster_lots": ("status", "tenant", "sector", "leased_on", "relocated_from", "area_note"),
        "material_zones_mapped": ("species",),
        "mines": (),
        "brick_facilities": (),
        "ttcn_facilities": (),
    }
    assert {layer.id for layer in LAYERS if layer.user_data} == set(expected)
    for layer_id, fields in expected.items():
        assert set(fields) <= set(CATALOGUE.get(layer_id).field_names)
    assert CATALOGUE.get("cluster_lots").field("leased_on").dtype == "date"
    assert "4" in CATALOGUE.get("mines").targets
    assert "3" in CATALOGUE.get("brick_facilities").targets
    assert "9" in CATALOGUE.get("ttcn_facilities").targets


def test_every_target_served():
    served = {t for layer in LAYERS for t in layer.targets}
    # target 1 (industrial value) and 8 (small-industry value) are district aggregates; all are served
    assert served == set(TARGET_IDS)


@pytest.mark.parametrize("layer", LAYERS, ids=lambda layer: layer.id)
def test_frames_match_catalogue(frames, layer):
    frame = frames[layer.id]
    assert list(frame.columns) == [*COMMON_FIELDS, *layer.field_names, "geometry"]
    assert frame.crs.to_epsg() == 9208
    for f in layer.fields:
        assert str(frame[f.name].dtype) == pandas_dtype(f), (f.name, frame[f.name].dtype)
    if layer.user_data:
        assert len(frame) == 0
    else:
        assert len(frame) > 0
        kinds = set(frame.geometry.dropna().geom_type)
        allowed = {"Point"} if layer.geometry_type == "Point" else {"Polygon", "MultiPolygon"}
        assert kinds <= allowed
        for f in layer.fields:
            if f.choices is not None:
                assert set(frame[f.name].dropna()) <= set(f.choices)


def test_normalise_choice_accepts_vietnamese():
    status = CATALOGUE.get("hydropower").field("status")
    assert normalise_choice(status, "Đang xây dựng") == "under_construction"
    assert normalise_choice(status, "dang xay dung") == "under_construction"
    assert normalise_choice(status, "OPERATING") == "operating"
    assert normalise_choice(status, "closed") is None
    assert set(STATUS_CHOICES) == set(status.choices or ())
    species = CATALOGUE.get("material_zones_plan").field("species")
    assert normalise_choice(species, "Hồng không hạt") == "hong_khong_hat"


def test_other_sources_are_key_figures_beside_the_plans():
    """What a public source says shows wherever the plan's figure does (popups and cards show key fields)."""
    for layer in LAYERS:
        for f in layer.fields:
            if f.name == "other_source":
                assert f.key, layer.id
    hydro = CATALOGUE.get("hydropower")
    assert hydro.field("capacity_mw").key and hydro.field("other_capacity_mw").key
    assert hydro.field("other_capacity_mw").unit == hydro.field("capacity_mw").unit == "MW"
    assert hydro.field("other_status").choices == hydro.field("status").choices
    assert normalise_choice(hydro.field("other_status"), "Đang hoạt động") == "operating"
    units = CATALOGUE.get("communes_2025")
    assert {"other_area_km2", "other_source", "outside_units"} <= set(units.field_names)
    assert units.field("other_area_km2").key


def test_only_bao_ha_is_said_to_take_in_land_outside_the_old_district():
    layer = CATALOGUE.get("communes_2025")
    for text in (layer.description_vi, layer.description_en):
        assert "02989" in text and "Văn Bàn" in text
    assert "the real communes also take in" not in layer.description_en
    assert "only Bảo Hà" in layer.description_en and "chỉ xã Bảo Hà" in layer.description_vi

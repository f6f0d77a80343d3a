"""The authored plan data, tied to the seed (the plan text) and to the vietnamadminunits package."""

from __future__ import annotations

import math
import re
import shutil
import sqlite3
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geo.crs import area_ha
from geo.errors import InputDataError
from layers.authored import (
    AUTHORED_QUALITIES,
    DISTRICT_BUFFER_M,
    load_all,
    load_layer,
    position_qualities,
    schematic_cells,
)
from layers.catalogue import CATALOGUE
from layers.model import GEOM_QUALITIES
from layers.settings import DATA_DIR
from tests.conftest import REPO

SEED = REPO.parent / "shared" / "seed" / "000_5b51fb190578e84a.txt"
NEW_CODES = {"02947", "02953", "02962", "02968", "02989", "02998"}


@pytest.fixture(scope="module")
def frames() -> dict[str, gpd.GeoDataFrame]:
    return load_all(DATA_DIR)


def _by_id(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.set_index("id")


def _seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"the plan text is not at {SEED}")
    return unicodedata.normalize("NFC", SEED.read_text(encoding="utf-8"))


def _vn_number(text: str) -> float:
    """Vietnamese number format: 21.184,07 -> 21184.07; the seed also writes "3.5MW" with a decimal point."""
    if "," not in text and re.fullmatch(r"\d+\.\d{1,2}", text):
        return float(text)
    return float(text.replace(".", "").replace(",", "."))


# --- the plan's figures -----------------------------------------------------------------------------------------


def test_district_material_totals(frames):
    zones = frames["material_zones_plan"]
    district = zones[zones["scope"] == "district"]
    assert sorted(district["species"]) == sorted(["que", "mo", "trau", "bo_de", "tre_vau", "hong_khong_hat"])
    assert round(math.fsum(district["planned_ha"]), 2) == 34_903.01


def test_district_totals_match_seed_text(frames):
    text = _seed_text()
    part = text[text.index("4. Giải pháp về vùng nguyên liệu") : text.index("5. Giải pháp về mặt bằng")]
    stated = {m[0].strip(): _vn_number(m[1]) for m in re.findall(r"cây ([^:;]+): ([\d.,]+) ha", part)}
    assert len(stated) == 6
    zones = frames["material_zones_plan"]
    district = zones[zones["scope"] == "district"]
    assert sorted(district["planned_ha"]) == sorted(stated.values())
    assert math.isclose(math.fsum(stated.values()), 34_903.01, abs_tol=0.005)


def test_hydropower(frames):
    hydro = frames["hydropower"]
    assert len(hydro) == 9
    proposed = hydro[hydro["status"] == "proposed"]
    assert len(proposed) == 6
    assert round(math.fsum(proposed["capacity_mw"]), 2) == 93.9
    by_id = _by_id(hydro)
    assert by_id.loc["hydro_bao_ha", "capacity_mw"] == 75
    assert "40 MW" in by_id.loc["hydro_bao_ha", "other_source"]
    assert "http" in by_id.loc["hydro_vinh_ha", "source"]
    assert by_id.loc["hydro_phuc_long", "budget_bn"] == 757
    assert by_id.loc["hydro_phuc_long", "target_year"] == 2021


def test_proposed_hydropower_match_seed_text(frames):
    text = _seed_text()
    stated = {
        name: _vn_number(mw)
        for name, mw in re.findall(r"(Tân Tiến \d|Bảo Hà|Xuân Thượng|Nghĩa Đô):? ([\d,.]+) ?MW", text)
    }
    assert len(stated) == 6
    proposed = frames["hydropower"].query("status == 'proposed'")
    got = {
        name.removeprefix("Thủy điện "): mw for name, mw in zip(proposed["name"], proposed["capacity_mw"], strict=True)
    }
    assert got == stated


def test_water_plants(frames):
    water = frames["water_plants"]
    assert len(water) == 3
    assert sorted(water["capacity_m3_day"]) == [1_500, 2_000, 6_000]
    assert sorted(water["budget_bn"]) == [15, 20, 100]
    pairs = dict(zip(water["capacity_m3_day"], water["budget_bn"], strict=True))
    assert pairs == {2_000: 20, 1_500: 15, 6_000: 100}


def test_clusters(frames):
    clusters = _by_id(frames["clusters"])
    assert set(clusters.index) == {"ccn_pho_rang", "ttcn_zone_bao_ha", "ccn_bao_ha", "ccn_cam_con"}
    pr = clusters.loc["ccn_pho_rang"]
    assert (pr["occupancy_target_pct"], pr["target_year"], pr["status"]) == (50, 2025, "under_construction")
    assert pr["budget_bn"] == pr["infrastructure_bn"] + pr["clearance_bn"] == 140
    zone = clusters.loc["ttcn_zone_bao_ha"]
    assert (zone["area_min_ha"], zone["area_max_ha"]) == (20, 30)
    assert "An Khánh" in zone["villages"]
    assert set(clusters.loc[["ccn_bao_ha", "ccn_cam_con"], "status"]) == {"proposed"}


def test_processing_minerals_craft(frames):
    proc = _by_id(frames["processing_plants"])
    assert proc.loc["proc_mdf_bao_yen", "budget_bn"] == 400
    assert proc.loc["proc_agroforestry_hub", "budget_bn"] == 650
    assert proc.loc["proc_agroforestry_hub", "target_year"] == 2023
    for fid in ("proc_trieu_duong", "proc_son_hai", "proc_che_dai_hung", "proc_persimmon_bao_ha"):
        assert proc.loc[fid, "budget_bn"] == 5
    minerals = _by_id(frames["mineral_plants"])
    taimu = minerals.loc["mineral_taimu_tiles"]
    assert (taimu["output_now_m_year"], taimu["output_target_m_year"], taimu["budget_bn"]) == (3, 5, 1.5)
    craft = _by_id(frames["craft_villages"])
    assert craft.loc["craft_votive_bao_ha", "households"] == 150
    assert craft.loc["craft_votive_bao_ha", "cooperatives"] == 1
    brocade = craft[craft["craft"] == "brocade"]
    assert len(brocade) == 2 and brocade["figure_group"].nunique() == 1
    # a figure shared by a group counts once
    once = craft.drop_duplicates("figure_group").query("figure_group.notna()")["households"]
    assert once.tolist() == [80]
    assert craft.loc["craft_rattan_tan_duong", "trial_ha"] == 202
    zones = _by_id(frames["material_zones_plan"])
    assert zones.loc["mz_may_tre", "planned_ha"] == 202
    assert zones.loc["mz_que_sa", "area_min_ha"] == 20_320
    assert zones.loc["mz_que_sa", "communes"].split("; ") == [
        "Tân Dương",
        "Nghĩa Đô",
        "Vĩnh Yên",
        "Xuân Hòa",
        "Phúc Khánh",
    ]


def test_plant_capacities_only_with_a_source(frames):
    proc = _by_id(frames["processing_plants"])
    mdf = proc.loc["proc_mdf_bao_yen"]
    # the company's stated capacity, all products (facts.md: tapchicongthuong.vn; nhandan.vn), not the plan's
    assert (mdf["capacity"], mdf["capacity_unit"]) == (210_000, "m3/yr")
    assert "tapchicongthuong.vn" in mdf["source"] and "nhandan.vn" in mdf["source"]
    assert mdf["source"].startswith("III.3a")
    assert "tapchicongthuong.vn" in mdf["capacity_source"] and "không phải số liệu kế hoạch" in mdf["capacity_source"]
    others = proc.drop(index="proc_mdf_bao_yen")
    assert len(others) == 6
    assert others["capacity"].isna().all()
    assert others["capacity_unit"].isna().all() and others["capacity_source"].isna().all()


def test_cross_references_resolve(frames):
    ids = {fid for frame in frames.values() for fid in frame["id"]}
    zones = frames["material_zones_plan"]
    for supplies in zones["supplies"].dropna():
        assert set(supplies.split("; ")) <= ids
    assert set(frames["processing_plants"]["material_zone"].dropna()) <= ids


# --- communes ---------------------------------------------------------------------------------------------------


def test_legacy_communes(frames):
    legacy = frames["communes_legacy"]
    codes = legacy["ma_xa"].tolist()
    assert len(codes) == 17 and len(set(codes)) == 17
    assert all(isinstance(c, str) and re.fullmatch(r"0\d{4}", c) for c in codes)
    assert min(codes) == "02947" and max(codes) == "02998"
    assert set(legacy["successor_code"]) == NEW_CODES
    assert (legacy.loc[legacy["ten_xa"] == "Phố Ràng", "loai"] == "Thị trấn").all()
    assert (legacy["loai"] == "Xã").sum() == 16


def test_communes_match_package(frames):
    """The CSVs agree with the installed vietnamadminunits package (an independent read)."""
    import vietnamadminunits
    from vietnamadminunits import convert_address

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT wardCode, ward, wardLat, wardLon FROM admin_units_legacy "
            "WHERE district = 'Huyện Bảo Yên' AND province = 'Tỉnh Lào Cai'"
        ).fetchall()
        new = dict(
            con.execute(
                f"SELECT wardCode, wardAreaKm2 FROM admin_units WHERE province = 'Tỉnh Lào Cai' "
                f"AND wardCode IN ({','.join('?' * len(NEW_CODES))})",
                sorted(NEW_CODES),
            ).fetchall()
        )
    legacy = frames["communes_legacy"].set_index("ma_xa")
    assert {r[0] for r in rows} == set(legacy.index)
    for code, ward, lat, lon in rows:
        assert legacy.loc[code, "centre_lat"] == pytest.approx(lat, abs=1e-6)
        assert legacy.loc[code, "centre_lon"] == pytest.approx(lon, abs=1e-6)
        assert convert_address(f"{ward}, Huyện Bảo Yên, Tỉnh Lào Cai").ward_code == legacy.loc[code, "successor_code"]
    new_frame = frames["communes_2025"].set_index("ma_xa")
    assert set(new_frame.index) == NEW_CODES
    for code, km2 in new.items():
        # the package's figure is the official area, or, where it does not fit the units merged (Xuân Hòa),
        # what another source says
        shown = new_frame.loc[code, "area_km2"]
        assert shown == km2 if code != "02962" else new_frame.loc[code, "other_area_km2"] == km2


def test_schematic_cells(frames):
    legacy = frames["communes_legacy"].set_index("ma_xa")
    centres = frames["commune_centres"].set_index("ma_xa")
    assert set(legacy.index) == set(centres.index)
    for code, cell in legacy.geometry.items():
        assert cell.is_valid and cell.contains(centres.geometry[code]), code
        others = legacy.geometry.drop(code)
        assert not others.contains(centres.geometry[code]).any()
    # the cells tile the district: no overlaps, union = buffered hull of the centres
    total = area_ha(legacy).sum()
    extent = shapely.MultiPoint(list(centres.geometry)).convex_hull.buffer(DISTRICT_BUFFER_M)
    assert total == pytest.approx(extent.area / 10_000, rel=1e-9)
    assert legacy.union_all().symmetric_difference(extent).area < 1.0


def test_communes_2025_are_unions(frames):
    legacy = frames["communes_legacy"]
    new = frames["communes_2025"].set_index("ma_xa")
    for code, group in legacy.groupby("successor_code"):
        assert new.loc[code, "legacy_codes"].split("; ") == sorted(group["ma_xa"])
        assert new.geometry[code].symmetric_difference(group.union_all()).area < 1.0
    assert area_ha(new).sum() == pytest.approx(area_ha(legacy).sum(), rel=1e-9)


def test_xuan_hoa_area_conflict_is_shown_not_used(frames):
    """306.0 km² does not fit Xuân Hòa + Tân Dương (~106-108 km²): kept as another source's figure."""
    new = frames["communes_2025"].set_index("ma_xa")
    xuan_hoa = new.loc["02962"]
    assert pd.isna(xuan_hoa["area_km2"])  # not shown as the official area
    assert xuan_hoa["other_area_km2"] == 306.0
    assert "306,0" in xuan_hoa["other_source"] and "106,1" in xuan_hoa["other_source"]
    assert xuan_hoa["legacy_codes"] == "02962; 02965"
    others = new.drop(index="02962")
    assert others["area_km2"].notna().all() and others["other_area_km2"].isna().all()
    assert others["other_source"].isna().all()


@pytest.mark.shared_data
def test_xuan_hoa_legacy_units_sum_to_about_106_km2(frames, shared_data):
    real = gpd.read_file(shared_data / "bao_yen_communes_2020.geojson").set_index("ma_xa")
    stated_km2 = real.loc[["02962", "02965"], "dien_tich_ha_2009"].sum() / 100
    measured_km2 = real.loc[["02962", "02965"]].to_crs("EPSG:9208").area.sum() / 1e6
    assert round(stated_km2, 1) == 106.1 and 106 < measured_km2 < 109
    assert frames["communes_2025"].set_index("ma_xa").loc["02962", "other_area_km2"] > 2.5 * measured_km2


def test_only_bao_ha_takes_in_units_from_outside_the_old_district(frames):
    """By the package's conversion only Bảo Hà (02989) takes in units of another district (old Văn Bàn)."""
    import json

    import vietnamadminunits

    conv = json.loads(
        (Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json").read_text(encoding="utf-8")
    )
    merged = conv["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhlaocai"]
    new = frames["communes_2025"].set_index("ma_xa")
    keys = {"02947": "xabaoyen", "02953": "xanghiado", "02962": "xaxuanhoa"}
    keys |= {"02968": "xathuongha", "02989": "xabaoha", "02998": "xaphuckhanh"}
    for code, key in keys.items():
        outside = [m for m in merged[key] if not m.startswith("tinhlaocai_huyenbaoyen_")]
        recorded = new.loc[code, "outside_units"]
        if code == "02989":
            assert sorted(outside) == ["tinhlaocai_huyenvanban_xatanan", "tinhlaocai_huyenvanban_xatanthuong"]
            assert recorded == "03070 Tân Thượng (Văn Bàn); 03079 Tân An (Văn Bàn)"
            note = new.loc[code, "location_note"]
            assert "03070 Tân Thượng (Văn Bàn) và 03079 Tân An (Văn Bàn)" in note and "hình này thiếu phần đó" in note
        else:
            assert outside == [] and pd.isna(recorded), code
            assert "ngoài huyện cũ" not in new.loc[code, "location_note"], code
            assert "không có đơn vị nào của huyện khác" in new.loc[code, "location_note"], code


def test_rebuilt_2025_units_say_outside_land_only_where_there_is_some(frames):
    from layers.successors import INSIDE_NOTE, WHOLE_NOTE, rebuild_2025

    rebuilt = rebuild_2025(frames["communes_legacy"], frames["communes_2025"]).set_index("ma_xa")
    notes = rebuilt["location_note"]
    assert notes["02989"].startswith(INSIDE_NOTE) and "03070 Tân Thượng (Văn Bàn)" in notes["02989"]
    assert (notes.drop(index="02989") == WHOLE_NOTE).all()
    # a frame that does not say which communes took in outside units keeps the cautious note
    unknown = rebuild_2025(frames["communes_legacy"], frames["communes_2025"].drop(columns="outside_units"))
    assert (unknown["location_note"] == INSIDE_NOTE).all()


def test_district_zones_cover_district(frames):
    zones = frames["material_zones_plan"]
    whole = frames["communes_legacy"].union_all()
    for geom in zones.loc[zones["scope"] == "district"].geometry:
        assert geom.symmetric_difference(whole).area < 1.0
    cells = frames["communes_legacy"].set_index("ten_xa").geometry
    mdf_zone = _by_id(zones).geometry["mz_mdf_wood"]
    expected = shapely.union_all([cells[n] for n in ("Phúc Khánh", "Lương Sơn", "Việt Tiến", "Xuân Thượng")])
    assert mdf_zone.symmetric_difference(expected).area < 1.0


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40_000), st.integers(0, 40_000)),
        min_size=3,
        max_size=25,
        unique=True,
    )
)
def test_schematic_cells_property(points):
    cells, extent = schematic_cells([(float(x), float(y)) for x, y in points], buffer_m=500.0)
    assert len(cells) == len(points)
    for (x, y), cell in zip(points, cells, strict=True):
        assert cell.contains(Point(x, y))
    assert math.isclose(sum(c.area for c in cells), extent.area, rel_tol=1e-9)


# --- provenance and quality -------------------------------------------------------------------------------------


def test_every_feature_has_provenance(frames):
    for layer_id, frame in frames.items():
        assert frame["id"].map(lambda s: isinstance(s, str) and bool(s.strip())).all(), layer_id
        assert frame["source"].map(lambda s: isinstance(s, str) and bool(s.strip())).all(), layer_id
        assert frame["geom_quality"].isin(GEOM_QUALITIES).all(), layer_id
        assert frame["geom_quality"].isin(AUTHORED_QUALITIES).all(), layer_id
        assert not frame["geom_quality"].isin(["surveyed", "digitised"]).any()
        unlocated = frame["geom_quality"] == "unlocated"
        assert frame.geometry[unlocated].isna().all(), layer_id
        located = frame.geometry[~unlocated]
        assert located.notna().all() and not located.is_empty.any(), layer_id
        assert located.is_valid.all(), layer_id
        # approximate positions are points; schematic ones are shapes built from the communes' cells, or points
        # standing in at commune centres
        quality = frame.loc[~unlocated, "geom_quality"]
        kinds = located.geom_type
        assert (kinds[quality == "approximate"] == "Point").all()
        assert kinds[quality == "schematic"].isin(["Polygon", "MultiPolygon", "Point"]).all()


def test_sources_are_seed_sections_or_urls(frames):
    section = re.compile(r"^(I|II|III|IV|V|VI|VII)\.(\(\d+\)|\d+[ab]?)$")
    for layer_id, frame in frames.items():
        if CATALOGUE.get(layer_id).data_file and CATALOGUE.get(layer_id).data_file.endswith(".yaml"):
            for source in frame["source"]:
                for part in source.split("; "):
                    assert section.match(part) or part.startswith("https://"), (layer_id, part)


def test_unlocated_entities(frames):
    expected_unlocated = {
        "hydro_bac_cong",
        "hydro_phuc_long",
        "mineral_taimu_tiles",
        "proc_silk_reeling",
        "proc_trieu_duong",
        "proc_son_hai",
        "proc_che_dai_hung",
        "mz_che",
    }
    unlocated = {fid for f in frames.values() for fid in f.loc[f["geom_quality"] == "unlocated", "id"]}
    assert unlocated == expected_unlocated


POINT_YAML_LAYERS = [
    layer for layer in CATALOGUE if layer.geometry_type == "Point" and (layer.data_file or "").endswith(".yaml")
]


@pytest.mark.parametrize("layer", POINT_YAML_LAYERS, ids=lambda layer: layer.id)
def test_stand_in_positions_are_schematic(frames, layer):
    """A point at a commune centre (or a midpoint of centres) stands in for a site: schematic, never approximate.

    Only a position placed from a description of the site (explicit lon/lat with a location note) may be
    approximate.
    """
    doc = yaml.safe_load((DATA_DIR / layer.data_file).read_text(encoding="utf-8"))
    frame = _by_id(frames[layer.id])
    for feat in doc["features"]:
        at = feat.get("at")
        quality = frame.loc[feat["id"], "geom_quality"]
        if at is None:
            assert quality == "unlocated", feat["id"]
        elif set(at) <= {"commune", "communes"}:
            assert quality == "schematic", feat["id"]
            assert frame.loc[feat["id"], "location_note"].startswith("Vị trí đặt tạm (sơ đồ)"), feat["id"]
        else:
            assert set(at) == {"lon", "lat"}
            assert quality in ("approximate", "schematic"), feat["id"]
            assert frame.loc[feat["id"], "location_note"], feat["id"]
        assert quality in (position_qualities(layer, at) if at is not None else ("unlocated",))


def test_twenty_three_stand_ins_and_one_described_site(frames):
    points = pd.concat([frames[layer.id] for layer in POINT_YAML_LAYERS], ignore_index=True)
    assert (points["geom_quality"] == "schematic").sum() == 23
    assert points.loc[points["geom_quality"] == "approximate", "id"].tolist() == ["proc_mdf_bao_yen"]
    hydro = _by_id(frames["hydropower"])
    assert hydro.loc["hydro_bao_ha", "geom_quality"] == "schematic"
    assert {hydro.loc[f"hydro_tan_tien_{n}", "geom_quality"] for n in (1, 2, 3)} == {"schematic"}


@pytest.mark.shared_data
def test_bao_ha_stand_in_is_kilometres_from_the_red_river(frames, shared_data):
    rivers = gpd.read_file(shared_data / "rivers_red_da_ne10m.geojson").to_crs("EPSG:9208")
    bao_ha = _by_id(frames["hydropower"]).loc["hydro_bao_ha"]
    assert rivers.distance(bao_ha.geometry).min() > 2_000  # a Red River plant: the point is no site
    assert bao_ha["geom_quality"] == "schematic"


def test_explicit_position_needs_its_description(data_copy):
    path = data_copy / "processing_plants.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    mdf = next(f for f in doc["features"] if f["id"] == "proc_mdf_bao_yen")
    del mdf["location_note"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputDataError, match=r"proc_mdf_bao_yen.*explicit lon/lat needs a 'location_note'"):
        load_layer(CATALOGUE.get("processing_plants"), data_copy)


def test_target_7_is_cluster_pho_rang_only(frames):
    """Target (7) of the seed is about CCN Phố Ràng; the proposed CCN Bảo Hà and Cam Cọn serve no numbered target."""
    text = _seed_text()
    seven = text[text.index("(7) ") : text.index("(8) ")]
    assert "Phố Ràng" in seven and "Bảo Hà" not in seven and "Cam Cọn" not in seven
    linked = {
        fid
        for frame in frames.values()
        if "plan_targets" in frame.columns
        for fid, targets in zip(frame["id"], frame["plan_targets"], strict=True)
        if isinstance(targets, str) and "7" in [t.strip() for t in re.split(r"[,;]", targets)]
    }
    assert linked == {"ccn_pho_rang"}
    clusters = _by_id(frames["clusters"])
    assert clusters.loc[["ccn_bao_ha", "ccn_cam_con"], "plan_targets"].isna().all()


def test_public_figures_are_other_sources_beside_the_plan(frames):
    """A public source's figure never sits in a field meant for the plan's own."""
    hydro = _by_id(frames["hydropower"])
    vinh_ha = hydro.loc["hydro_vinh_ha"]
    assert pd.isna(vinh_ha["capacity_mw"]) and pd.isna(vinh_ha["energy_gwh_year"])  # the plan gives none
    assert (vinh_ha["other_capacity_mw"], vinh_ha["other_energy_gwh_year"]) == (21, 89.07)
    assert "vietmylube.com.vn" in vinh_ha["other_source"] and "dantri.com.vn" in vinh_ha["other_source"]
    bao_ha = hydro.loc["hydro_bao_ha"]
    assert (bao_ha["capacity_mw"], bao_ha["other_capacity_mw"]) == (75, 40)
    phuc_long = hydro.loc["hydro_phuc_long"]
    assert (phuc_long["status"], phuc_long["other_status"]) == ("under_construction", "operating")
    assert "1/7/2025" in phuc_long["other_source"] and "kenh14.vn" in phuc_long["other_source"]
    # every other_* figure comes with the words of its source
    for layer_id, frame in frames.items():
        figures = [c for c in frame.columns if c.startswith("other_") and c != "other_source"]
        for c in figures:
            has = frame[c].notna()
            assert frame.loc[has, "other_source"].notna().all(), (layer_id, c)


def test_shared_commune_centres_not_jittered(frames):
    centres = frames["commune_centres"].set_index("ten_xa").geometry
    bao_ha = centres["Bảo Hà"]
    at_bao_ha = [
        _by_id(frames["hydropower"]).geometry["hydro_bao_ha"],
        _by_id(frames["clusters"]).geometry["ttcn_zone_bao_ha"],
        _by_id(frames["clusters"]).geometry["ccn_bao_ha"],
        _by_id(frames["water_plants"]).geometry["water_bao_ha"],
        _by_id(frames["craft_villages"]).geometry["craft_votive_bao_ha"],
        _by_id(frames["mineral_plants"]).geometry["mineral_graphite_bao_ha"],
    ]
    assert all(g.equals_exact(bao_ha, 0.0) for g in at_bao_ha)
    tan_tien = _by_id(frames["hydropower"]).geometry[["hydro_tan_tien_1", "hydro_tan_tien_2", "hydro_tan_tien_3"]]
    assert all(g.equals_exact(centres["Tân Tiến"], 0.0) for g in tan_tien)
    # a midpoint of two centres is equidistant from both
    vinh_ha = _by_id(frames["hydropower"]).geometry["hydro_vinh_ha"]
    assert vinh_ha.distance(centres["Tân Dương"]) == pytest.approx(vinh_ha.distance(centres["Thượng Hà"]), abs=1e-6)


def test_mdf_about_12_km_from_pho_rang(frames):
    mdf = _by_id(frames["processing_plants"]).geometry["proc_mdf_bao_yen"]
    pho_rang = frames["commune_centres"].set_index("ten_xa").geometry["Phố Ràng"]
    assert 11_000 < mdf.distance(pho_rang) < 14_000
    assert mdf.y < pho_rang.y


def test_all_text_is_nfc(frames):
    for path in sorted(DATA_DIR.rglob("*")):
        if path.suffix in (".csv", ".yaml", ".geojson", ".md"):
            text = path.read_text(encoding="utf-8")
            assert unicodedata.normalize("NFC", text) == text, path
    for layer_id, frame in frames.items():
        for column in frame.columns.drop("geometry"):
            for value in frame[column].dropna():
                if isinstance(value, str):
                    assert unicodedata.normalize("NFC", value) == value, (layer_id, column)


# --- the project's own data text is Vietnamese only (docs/DECISIONS.md) -----------------------------------------

#: common English words that no Vietnamese note uses, looked for as whole words
ENGLISH_WORDS = (
    "the",
    "of",
    "and",
    "not",
    "is",
    "from",
    "no",
    "point",
    "shown",
    "schematic",
    "cell",
    "union",
    "official",
)
_ENGLISH = re.compile(r"\b(?:" + "|".join(ENGLISH_WORDS) + r")\b", re.IGNORECASE)
#: what is not prose and keeps its own spelling: `code spans`, URLs, domain and file names, identifiers (a_b)
_NOT_PROSE = re.compile(
    r"`[^`]*`|https?://\S+|[\w.-]+\.(?:vn|com|net|org|io|geojson|gpkg|shp|zip|csv|yaml|json|py)\b|\b\w*_\w*\b",
    re.IGNORECASE,
)
#: not data text: the English pages' own labels beside the Vietnamese ones (targets, funding), and codes the
#: pages say in words (the geometry quality through its translated labels, units)
_NOT_DATA_TEXT = re.compile(r".*_en|unit|geom_quality")


def english_words(text: str) -> list[str]:
    """The words of :data:`ENGLISH_WORDS` in ``text``, outside code spans, URLs, file names and identifiers."""
    return sorted({m.group(0).lower() for m in _ENGLISH.finditer(_NOT_PROSE.sub(" ", text))})


def _english_in(name: str, frame: pd.DataFrame, skip: tuple[str, ...] = ()) -> list[tuple[object, ...]]:
    """(table, feature id, column, English words) of every text value with English words."""
    found: list[tuple[object, ...]] = []
    for column in frame.columns:
        if column == "geometry" or column in skip or _NOT_DATA_TEXT.fullmatch(str(column)):
            continue
        for i, value in frame[column].items():
            if isinstance(value, str) and english_words(value):
                where = frame.at[i, "id"] if "id" in frame.columns else i
                found.append((name, str(where), str(column), english_words(value)))
    return found


def test_english_words_are_found_outside_code_and_names():
    assert english_words("Neither the plan nor any public source found gives its site; no point is shown.") == [
        "is",
        "no",
        "point",
        "shown",
        "the",
    ]
    assert english_words("schematic: union of the schematic cells") == ["of", "schematic", "the", "union"]
    assert english_words("Official centre") == ["official"]
    # Vietnamese words, URLs, file and domain names, commands in code spans and identifiers are not English prose
    assert english_words("Vị trí đặt tạm (sơ đồ): không phải vùng trồng; nông, lâm nghiệp") == []
    assert english_words("https://the-point.org/of/the; is.vn; the_cell.geojson; `baoyen import-boundaries`") == []
    assert english_words("ranh giới xã: bao_yen_communes_2020.geojson (nhập ranh giới xã)") == []


def test_authored_text_is_vietnamese(frames):
    """Every text field of every layer built from data/, and of the plan's tables, is written in Vietnamese."""
    from layers.plan_data import load_tables

    found = []
    for layer_id, frame in frames.items():
        found += _english_in(layer_id, frame)
    for name, table in load_tables(DATA_DIR).items():
        found += _english_in(name, table)
    assert found == []


def test_notes_written_when_real_boundaries_come_are_vietnamese(frames):
    """The notes the re-derivations and the boundary import write (layers.authored, layers.successors, services)."""
    from layers.authored import rederive_plan_zones
    from layers.successors import INSIDE_NOTE, OUTSIDE_NOTE, WHOLE_NOTE, rebuild_2025
    from services.boundaries import IMPORTED_NOTE, IMPORTED_QUALITY, IMPORTED_SOURCE, QUALITIES

    legacy, units = frames["communes_legacy"], frames["communes_2025"]
    found = _english_in("material_zones_plan", rederive_plan_zones(frames["material_zones_plan"], legacy))
    found += _english_in("communes_2025", rebuild_2025(legacy, units), ("other_source",))
    found += _english_in("communes_2025", rebuild_2025(legacy, units.drop(columns="outside_units")), ("other_source",))
    source = IMPORTED_SOURCE.format(name="bao_yen_communes_2020.geojson")
    notes = [IMPORTED_NOTE.format(source=source, quality=IMPORTED_QUALITY[q]) for q in QUALITIES]
    notes += [INSIDE_NOTE, OUTSIDE_NOTE.format(units="03070 Tân Thượng (Văn Bàn)"), WHOLE_NOTE, source]
    found += [(note, english_words(note)) for note in notes if english_words(note)]
    assert found == []
    assert notes[1] == (
        "Ranh giới lấy từ bao_yen_communes_2020.geojson (nhập ranh giới xã), chất lượng: số hóa từ bản đồ"
    )


def test_user_data_layers_empty(frames):
    for layer in CATALOGUE:
        if layer.user_data:
            assert len(frames[layer.id]) == 0


# --- against real boundaries (shared data; skipped when absent) ---------------------------------------------------


@pytest.mark.shared_data
def test_positions_against_real_boundaries(frames, shared_data):
    real = gpd.read_file(shared_data / "bao_yen_communes_2020.geojson").to_crs("EPSG:9208").set_index("ma_xa")
    centres = frames["commune_centres"].set_index("ma_xa")
    for code, point in centres.geometry.items():
        assert real.geometry[code].contains(point), f"official centre of {code} outside its real commune"
    outline = real.union_all().buffer(100)
    for layer_id in ("clusters", "hydropower", "water_plants", "processing_plants", "mineral_plants", "craft_villages"):
        located = frames[layer_id].geometry.dropna()
        assert located.within(outline).all(), layer_id
    roads = gpd.read_file(shared_data / "roads_rail_lao_cai_south.geojson").to_crs("EPSG:9208")
    ql70 = roads.loc[roads["ten"] == "Quốc lộ 70"].union_all()
    assert _by_id(frames["processing_plants"]).geometry["proc_mdf_bao_yen"].distance(ql70) < 1_000


# --- bad data is refused, naming the file and the feature -----------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("tools", "__pycache__"))
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    source: III.3a; https://moitruong.net.vn\n", "", r"hydropower\.yaml.*hydro_bao_ha.*'source' is missing"),
        ("    capacity_mw: 75\n", "    capacity_mw: 75\n    height_m: 30\n", r"unknown field 'height_m'"),
        ("    capacity_mw: 75\n", "    capacity_mw: seventy-five\n", r"'capacity_mw' must be a number"),
        ("    target_year: 2021\n", "    target_year: '2021'\n", r"'target_year' must be a whole number"),
        ("    status: under_construction\n", "    status: demolished\n", r"'status' is 'demolished', not one of"),
        (
            "    geom_quality: schematic\n    at: {commune: Bảo Hà}\n",
            "    geom_quality: surveyed\n    at: {commune: Bảo Hà}\n",
            r"hydro_bao_ha.*'surveyed' is not allowed",
        ),
        # a commune centre stands in for the site: it may not claim to be approximate
        (
            "    geom_quality: schematic\n    at: {commune: Bảo Hà}\n",
            "    geom_quality: approximate\n    at: {commune: Bảo Hà}\n",
            r"hydro_bao_ha.*stand-in position at commune centres.*is 'schematic'",
        ),
        (
            "    geom_quality: schematic\n    at: {communes: [Tân Dương, Thượng Hà]}\n",
            "    geom_quality: approximate\n    at: {communes: [Tân Dương, Thượng Hà]}\n",
            r"hydro_vinh_ha.*stand-in position at commune centres.*is 'schematic'",
        ),
        ("    geom_quality: unlocated\n", "    geom_quality: unlocated\n    at: {commune: Bảo Hà}\n", r"unlocated"),
        ("    at: {commune: Bảo Hà}\n", "", r"needs a position 'at'"),
        ("    at: {commune: Bảo Hà}\n", "    at: {commune: Bảo Thắng}\n", r"Bảo Thắng"),
        ("    at: {commune: Bảo Hà}\n", "    at: {lon: 22.2, lat: 104.4}\n", r"not EPSG:4326 degrees"),
        ("  - id: hydro_nghia_do\n", "  - id: Hydro Nghĩa Đô\n", r"plain identifier"),
        ("  - id: hydro_nghia_do\n", "  - id: hydro_bao_ha\n", r"duplicate id"),
    ],
)
def test_bad_authored_data_is_refused(data_copy, old, new, message):
    _edit(data_copy / "hydropower.yaml", old, new)
    with pytest.raises(InputDataError, match=message):
        load_layer(CATALOGUE.get("hydropower"), data_copy)
    with pytest.raises(InputDataError, match=r"hydropower\.yaml"):
        load_all(data_copy)


def test_all_problems_reported_at_once(data_copy):
    _edit(data_copy / "water_plants.yaml", "    capacity_m3_day: 2000\n", "    capacity_m3_day: lots\n")
    _edit(data_copy / "water_plants.yaml", "    budget_bn: 100\n", "    budget_bn: many\n")
    with pytest.raises(InputDataError, match=r"2 problem\(s\).*water_pho_rang.*water_cam_con"):
        load_layer(CATALOGUE.get("water_plants"), data_copy)


def test_vietnamese_status_accepted(data_copy):
    _edit(data_copy / "water_plants.yaml", "    status: planned\n", "    status: Theo kế hoạch\n")
    frame = load_layer(CATALOGUE.get("water_plants"), data_copy)
    assert _by_id(frame).loc["water_cam_con", "status"] == "planned"


def test_bad_commune_csv(data_copy):
    _edit(data_copy / "communes_legacy.csv", "02989,Bảo Hà,Xã,22.202114", "2989,Bảo Hà,Xã,22.202114")
    with pytest.raises(InputDataError, match=r"communes_legacy\.csv.* line 16.*five digits"):
        load_all(data_copy)


def test_missing_file(data_copy):
    (data_copy / "craft_villages.yaml").unlink()
    with pytest.raises(InputDataError, match=r"craft_villages\.yaml.*missing"):
        load_all(data_copy)


def test_loading_is_deterministic(frames):
    again = load_all(DATA_DIR)
    for layer_id, frame in frames.items():
        pd.testing.assert_frame_equal(
            pd.DataFrame(frame.drop(columns="geometry")), pd.DataFrame(again[layer_id].drop(columns="geometry"))
        )
        assert frame.geometry.geom_equals_exact(again[layer_id].geometry, 0.0).where(frame.geometry.notna(), True).all()

"""Tests of analysis.materials: species names, plan against mapped, legacy → 2025, supply areas."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point, box

from analysis.materials import (
    aggregate_to_successors,
    mapped_overlay,
    plan_vs_mapped,
    plant_species,
    resolve_communes,
    road_network,
    species_key,
    successor_mapping,
    supply_area,
    to_successors,
    zone_members,
)
from geo.errors import CRSError, InputDataError

WORK = "EPSG:9208"
X0, Y0 = 470_000.0, 2_455_000.0


def sq(x: float, y: float, w: float, h: float | None = None) -> shapely.Polygon:
    return box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + (w if h is None else h))


def gdf(values: dict, geoms: list, crs: str = WORK) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(values, geometry=geoms, crs=crs)


# ---------------------------------------------------------------------------------------------- species


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Quế", "que"),
        ("que", "que"),
        ("QUẾ", "que"),
        ("cinnamon", "que"),
        ("Mỡ", "mo"),
        ("Trẩu", "trau"),
        ("Trầu", "trau"),
        ("“Trầu”", "trau"),
        ("Trầu (Trẩu)", "trau"),
        ("Bồ Đề", "bo_de"),
        ("Bò Đê", "bo_de"),
        ("bo_de", "bo_de"),
        ("Tre, Vầu", "tre_vau"),
        ("Vầu", "tre_vau"),
        ("bamboo", "tre_vau"),
        ("Hồng không hạt", "hong_khong_hat"),
        ("Chè", "che"),
        ("tea", "che"),
        ("Sả", "sa"),
        ("Xả", "sa"),
        ("lemongrass", "sa"),
        ("Quế + sả", "que_sa"),
        ("Quế và sả (tinh dầu)", "que_sa"),
        ("Mây, tre đan", "may_tre"),
        ("Keo", "keo"),
        ("Cây Sơn", "cay_son"),
        ("keo, bạch đàn", "bach_dan+keo"),
        ("Que\u0301", "que"),  # decomposed (NFD) input
    ],
)
def test_species_key(text: str, key: str) -> None:
    assert species_key(text) == key


@pytest.mark.parametrize("blank", [None, "", "  ", float("nan")])
def test_species_key_rejects_blank(blank: object) -> None:
    with pytest.raises(InputDataError, match="species is empty"):
        species_key(blank)


def test_zone_members() -> None:
    assert set(zone_members("que_sa") or ()) == {"que", "sa", "que_sa"}
    assert zone_members("Quế") == ("que",)
    assert zone_members("nong_lam") is None


# ------------------------------------------------------------------------------------- plan vs mapped


def units3() -> gpd.GeoDataFrame:
    # three 1 km squares side by side: 100 ha each
    return gdf(
        {"ma_xa": ["02947", "02950", "02953"], "ten_xa": ["Phố Ràng", "Tân Tiến", "Nghĩa Đô"]},
        [sq(0, 0, 1000), sq(1000, 0, 1000), sq(2000, 0, 1000)],
    )


def plan3() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["d_que", "z_que_sa", "z_mo", "z_tea"],
            "name": ["Quế toàn huyện", "Quế, sả", "Mỡ", "Chè"],
            "species": ["que", "que_sa", "Mỡ", "che"],
            "scope": ["district", "communes", "communes", "communes"],
            "planned_ha": [200.0, 40.0, None, 10.0],
            "communes": [None, "xã Tân Tiến", "Phố Ràng; Nghĩa Đô", None],
            "commune_codes": [None, None, None, None],
        }
    )


def test_plan_vs_mapped_hand_built() -> None:
    mapped = gdf(
        {"species": ["Quế", "que", "Xả", "Mỡ", "Mỡ", "Chè"]},
        [
            sq(500, 0, 1000, 100),  # 10 ha of cinnamon: 5 in 02947, 5 in 02950
            sq(1400, 0, 200, 100),  # overlaps the first by 100 × 100 (1 ha) and adds 1 ha in 02950
            sq(1000, 500, 100, 100),  # 1 ha lemongrass in 02950
            sq(2100, 100, 100, 100),  # 1 ha Manglietia in 02953
            sq(5000, 0, 100, 300),  # 3 ha Manglietia outside every unit
            sq(2500, 500, 200, 100),  # 2 ha tea in 02953
        ],
    )
    table = plan_vs_mapped(plan3(), mapped, units3()).set_index("id")
    d = table.loc["d_que"]
    assert d["mapped_in_ha"] == pytest.approx(11.0)
    assert d["pct"] == pytest.approx(11.0 / 200 * 100)
    assert d["mapped_outside_ha"] == pytest.approx(0.0)
    assert d["communes"] == ""
    z = table.loc["z_que_sa"]
    assert z["communes"] == "02950"
    assert z["mapped_in_ha"] == pytest.approx(5 + 1 + 1)  # cinnamon 6 ha + lemongrass 1 ha in Tân Tiến
    assert z["mapped_outside_ha"] == pytest.approx(5.0)  # cinnamon in Phố Ràng
    assert z["pct"] == pytest.approx(7 / 40 * 100)
    m = table.loc["z_mo"]
    assert m["communes"] == "02947; 02953"
    assert m["mapped_in_ha"] == pytest.approx(1.0)
    assert m["mapped_unassigned_ha"] == pytest.approx(3.0)
    assert math.isnan(m["planned_ha"]) and math.isnan(m["pct"])
    t = table.loc["z_tea"]  # no commune named: compared with the whole district
    assert t["communes"] == "" and t["mapped_in_ha"] == pytest.approx(2.0)


def test_plan_vs_mapped_without_mapped_stands() -> None:
    empty = gdf({"species": pd.Series([], dtype=str)}, [])
    table = plan_vs_mapped(plan3(), empty, units3())
    assert table["mapped_in_ha"].eq(0).all()
    assert table.loc[table["id"] == "d_que", "pct"].iloc[0] == 0.0


def test_resolve_communes() -> None:
    u = units3()
    assert resolve_communes("02953; xã Tân Tiến", u) == ("02953", "02950")
    assert resolve_communes(["PHO RANG"], u) == ("02947",)
    assert resolve_communes(None, u) == ()
    with pytest.raises(InputDataError, match="'Bảo Hà' is not one of the units"):
        resolve_communes("Bảo Hà", u)


def test_unknown_species_field() -> None:
    mapped = gdf({"loai": ["Quế"]}, [sq(0, 0, 10)])
    with pytest.raises(InputDataError, match="no field 'species'"):
        mapped_overlay(mapped, units3())


# ------------------------------------------------------------------------------------ legacy → 2025


def legacy() -> pd.DataFrame:
    return pd.DataFrame({"ma_xa": ["02947", "02950", "02953"], "successor_code": ["02947", "02953", "02953"]})


def test_successors_regroup() -> None:
    mapped = gdf({"species": ["que", "que"]}, [sq(0, 0, 1000, 100), sq(1000, 0, 2000, 100)])
    result = mapped_overlay(mapped, units3())
    assert result.unit_totals == pytest.approx({"02947": 10.0, "02950": 10.0, "02953": 10.0})
    merged = to_successors(result, legacy())
    assert merged.unit_totals == pytest.approx({"02947": 10.0, "02953": 20.0})
    assert merged.units == ("02947", "02953")
    table = aggregate_to_successors(result.rows, legacy(), by=("zone",))
    assert table.to_dict("records") == [
        {"unit": "02947", "zone": "que", "area_ha": pytest.approx(10.0)},
        {"unit": "02953", "zone": "que", "area_ha": pytest.approx(20.0)},
    ]


def test_successor_mapping_errors() -> None:
    bad = pd.DataFrame({"ma_xa": ["02947"], "successor_code": [None]})
    with pytest.raises(InputDataError, match="no 2025 successor for 02947"):
        successor_mapping(bad)
    with pytest.raises(InputDataError, match="not legacy units"):
        aggregate_to_successors(pd.DataFrame({"unit": ["99999"], "area_ha": [1.0]}), legacy())


# -------------------------------------------------------------------------------------- supply, straight


def plant(x: float = 0.0, y: float = 0.0, crs: str = WORK) -> gpd.GeoDataFrame:
    return gdf({"id": ["p"]}, [Point(X0 + x, Y0 + y)]).to_crs(crs)


@pytest.mark.parametrize("crs", ["EPSG:9208", "EPSG:4326", "EPSG:3405"])
def test_straight_supply_of_a_uniform_zone_is_pi_r_squared(crs: str) -> None:
    uniform = gdf({"species": ["Quế"]}, [sq(-20_000, -20_000, 40_000).segmentize(500.0)]).to_crs(crs)
    r = supply_area(plant(crs=crs), uniform, distance_km=5, species=["que"], yield_per_ha=2.0, capacity=10_000)
    expected_ha = math.pi * 5000.0**2 / 1e4
    assert r.method == "straight"
    assert r.area_ha == pytest.approx(expected_ha, rel=2e-4)
    assert r.by_species["que"] == pytest.approx(expected_ha, rel=2e-4)
    assert r.supply == pytest.approx(2.0 * r.area_ha)
    assert r.capacity_ratio == pytest.approx(2.0 * r.area_ha / 10_000)
    assert r.to_dict()["crs"] == "EPSG:9208"


def test_straight_supply_counts_overlaps_once_and_filters_species() -> None:
    stands = gdf(
        {"species": ["Quế", "que", "Sả", "Mỡ"]},
        [sq(100, 100, 100), sq(150, 100, 100), sq(-300, -300, 100), sq(0, 300, 100)],
    )
    r = supply_area(plant(), stands, distance_km=1, species=["que_sa"])
    assert set(r.species or ()) == {"que", "sa", "que_sa"}
    assert r.by_species == pytest.approx({"que": 1.5, "sa": 1.0})
    assert r.area_ha == pytest.approx(2.5)
    everything = supply_area(plant(), stands, distance_km=1)
    assert everything.area_ha == pytest.approx(3.5)
    assert everything.supply is None


def test_supply_errors() -> None:
    stands = gdf({"species": ["que"]}, [sq(0, 0, 10)])
    with pytest.raises(InputDataError, match="not a positive number"):
        supply_area(plant(), stands, distance_km=0)
    with pytest.raises(InputDataError, match="no location"):
        supply_area(gdf({"id": ["p"]}, [None]), stands, distance_km=1)
    with pytest.raises(CRSError):
        supply_area(gpd.GeoDataFrame({"id": ["p"]}, geometry=[Point(0, 0)]), stands, distance_km=1)


# ----------------------------------------------------------------------------------------- supply, roads


def roads() -> gpd.GeoDataFrame:
    def line(*pts: tuple[float, float]) -> LineString:
        return LineString([(X0 + x, Y0 + y) for x, y in pts])

    return gdf(
        {"name": ["main", "north", "cross", "far"]},
        [
            line((0, 0), (10_000, 0)),  # east from the plant
            line((10_000, 0), (10_000, 10_000)),  # then north (shares the vertex at the corner)
            line((2_000, -5_000), (2_000, 5_000)),  # crosses "main" at (2000, 0) without a shared vertex
            line((-3_000, 1_000), (-3_000, 4_000)),  # not connected to anything
        ],
    )


def stands_for_roads() -> gpd.GeoDataFrame:
    names = ["A", "B", "C", "D", "E"]
    geoms = [
        sq(4_950, 50, 100),  # A: 5 km along main, 50 m off it → ~5.1 km by road
        sq(10_050, 4_950, 100),  # B: 10 km along main + 5 km north → ~15.1 km by road (11.2 km straight)
        sq(4_950, 2_950, 100),  # C: 5.8 km straight; by road 5 km + 3 km leg (or 2 + 3 + 3 km): ~8 km
        sq(-2_950, 1_950, 100),  # D: 3.6 km straight, next to the unconnected road only
        sq(2_050, 3_950, 100),  # E: via the crossing: 2 km + 4 km + 50 m → ~6.1 km by road
    ]
    return gdf({"species": ["que"] * 5, "name": names}, geoms)


def test_road_network_nodes_crossings() -> None:
    net = road_network(roads(), snap_m=0)
    assert net.graph.number_of_nodes() == 8  # 2+1 (main, north), crossing splits main and cross: +1+2, far: 2
    crossing = np.flatnonzero((np.abs(net.nodes_xy - [X0 + 2_000, Y0]) < 1e-6).all(axis=1))
    assert len(crossing) == 1 and net.graph.degree[int(crossing[0])] == 4


def test_road_supply_on_a_hand_built_network() -> None:
    stands = stands_for_roads()
    straight = supply_area(plant(), stands, distance_km=7, cell_m=50)
    # straight line: A (5 km), C (5.8 km), D (3.6 km), E (4.5 km) but not B (11.2 km)
    assert straight.area_ha == pytest.approx(4.0, rel=1e-6)
    road = supply_area(plant(), stands, distance_km=7, roads=roads(), cell_m=50)
    # by road within 7 km: A (~5.1), E (~6.1 via the crossing); C (~8), B (~15.1), D (not connected): out
    assert road.method == "road"
    assert road.area_ha == pytest.approx(2.0, rel=1e-6)
    assert road.catchment.contains(stands.geometry[0].centroid)
    assert road.catchment.contains(stands.geometry[4].centroid)
    assert road.reach.length == pytest.approx(7_000 + 5_000 + 5_000 + 0, rel=1e-6)  # main 7 km; cross 5 + ≤5 km
    assert any("straight leg" in n for n in road.notes)
    far = supply_area(plant(), stands, distance_km=16, roads=roads(), cell_m=50)
    assert far.area_ha == pytest.approx(4.0, rel=1e-6)  # A, B, C, E; D's road is not connected


def test_road_supply_snaps_short_gaps() -> None:
    # a spur that stops 10 m short of the main road is joined when snap_m ≥ 10
    spur = gdf({"name": ["spur"]}, [LineString([(X0 + 6_000, Y0 + 10), (X0 + 6_000, Y0 + 3_000)])])
    net_roads = pd.concat([roads(), spur], ignore_index=True)
    stand = gdf({"species": ["que"]}, [sq(6_050, 2_000, 100)])
    joined = supply_area(plant(), stand, distance_km=9, roads=net_roads, cell_m=50, snap_m=25)
    apart = supply_area(plant(), stand, distance_km=9, roads=net_roads, cell_m=50, snap_m=0)
    assert joined.area_ha == pytest.approx(1.0, rel=1e-6)
    # without snapping the stand joins the spur, which leads nowhere: unreachable
    assert apart.area_ha == 0.0


def test_road_layer_without_lines() -> None:
    with pytest.raises(InputDataError, match="no lines"):
        road_network(gdf({"n": [1]}, [Point(X0, Y0)]))


# ----------------------------------------------------------------------------------- with the real store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from layers.build import ensure_store
    from layers.settings import Settings

    path: Path = tmp_path_factory.mktemp("store") / "baoyen.gpkg"
    return ensure_store(Settings.from_env(store=str(path)))


def test_plan_from_store_against_a_commune_stand(store) -> None:  # type: ignore[no-untyped-def]
    plan = store.read_layer("material_zones_plan")
    communes = store.read_layer("communes_legacy")
    tan_duong = communes[communes["ma_xa"] == "02965"]
    mapped = gdf({"species": ["Quế"]}, [tan_duong.geometry.iloc[0].buffer(-50)])
    stand_ha = mapped.area.iloc[0] / 1e4
    table = plan_vs_mapped(plan, mapped, communes).set_index("id")
    assert table.loc["mz_que_sa", "mapped_in_ha"] == pytest.approx(stand_ha, rel=1e-9)
    assert table.loc["mz_que_sa", "pct"] == pytest.approx(stand_ha / 20_320 * 100, rel=1e-9)
    assert table.loc["mz_district_que", "mapped_in_ha"] == pytest.approx(stand_ha, rel=1e-9)
    assert table.loc["mz_mdf_wood", "mapped_in_ha"] == 0.0  # cinnamon does not count as MDF wood
    assert table.loc["mz_agroforestry_hub", "mapped_outside_ha"] == pytest.approx(stand_ha, rel=1e-9)
    # 2025: Tân Dương (02965) went into Xuân Hòa (02962)
    merged = to_successors(mapped_overlay(mapped, communes), communes)
    assert merged.unit_totals == pytest.approx({"02962": stand_ha}, rel=1e-9)


def test_plant_species_from_store(store) -> None:  # type: ignore[no-untyped-def]
    plan = store.read_layer("material_zones_plan")
    plants = store.read_layer("processing_plants").set_index("id")
    assert plant_species(plants.loc["proc_mdf_bao_yen"].to_dict(), plan) == ("go_mdf",)
    assert plant_species(plants.loc["proc_agroforestry_hub"].to_dict(), plan) is None
    assert plant_species(plants.loc["proc_silk_reeling"].to_dict(), plan) is None
    with pytest.raises(InputDataError, match="not in material_zones_plan"):
        plant_species({"material_zone": "mz_nowhere"}, plan)

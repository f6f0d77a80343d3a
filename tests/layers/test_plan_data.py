"""The authored targets and funding data: tied to the seed, validated, flattened into the store's tables."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
import yaml

from geo.errors import DataSourceError, InputDataError
from layers.plan_data import (
    ACTUALS_COLUMNS,
    DISBURSEMENT_COLUMNS,
    FUNDING_FILE,
    TARGETS_FILE,
    load_funding,
    load_tables,
    load_targets,
)
from layers.settings import DATA_DIR

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_5b51fb190578e84a.txt"


@pytest.fixture(scope="module")
def tables() -> dict:
    return load_tables(DATA_DIR)


def _copy_data(tmp_path: Path) -> Path:
    for name in (TARGETS_FILE, FUNDING_FILE):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_thirteen_numbered_targets_and_training(tables: dict) -> None:
    ids = list(tables["targets"]["id"])
    assert ids == [str(n) for n in range(1, 14)] + ["training"]
    assert list(tables["targets"]["number"]) == list(range(1, 15))
    assert set(tables["targets"]["source"]) == {f"II.({n})" for n in range(1, 14)} | {"IV.2"}


@pytest.mark.parametrize(
    ("target_id", "key", "goal"),
    [
        ("1", "industry_value", 529.0),
        ("3", "brick_facilities", 22.0),
        ("3", "taimu_capacity", 5.0),
        ("4", "mining_units", 12.0),
        ("5", "water_capacity", 2000.0 + 1500.0 + 6000.0),
        ("7", "occupancy", 50.0),
        ("8", "ttcn_value", 261.0),
        ("9", "ttcn_facilities", 344.0),
        ("11", "bao_ha_households", 150.0),
        ("12", "brocade_households", 80.0),
        ("training", "workers_trained", 2000.0),
    ],
)
def test_each_target_carries_its_figure(tables: dict, target_id: str, key: str, goal: float) -> None:
    m = tables["target_measures"]
    row = m[(m["target_id"] == target_id) & (m["key"] == key)]
    assert len(row) == 1
    assert row["target_value"].iloc[0] == goal
    assert row["deadline"].iloc[0] == "2025-12-31"


def test_bao_ha_zone_is_a_range(tables: dict) -> None:
    m = tables["target_measures"].set_index("key")
    assert (m.loc["bao_ha_zone_area", "min_value"], m.loc["bao_ha_zone_area", "max_value"]) == (20.0, 30.0)
    assert math.isnan(m.loc["bao_ha_zone_area", "target_value"])


def test_methods_follow_the_issue(tables: dict) -> None:
    t = tables["targets"].set_index("id")
    derived = {tid for tid, method in t["method"].items() if method == "derived"}
    assert derived == {"3", "4", "5", "6", "7", "9", "10"}
    m = tables["target_measures"]
    kinds = dict(zip(m["key"], m["derive_kind"], strict=True))
    assert kinds["occupancy"] == "occupancy"
    assert kinds["bao_ha_zone_area"] == "zone_area"
    assert kinds["hydropower_operating"] == "status_count"
    assert kinds["water_capacity"] == "status_sum"
    assert {kinds[k] for k in ("mining_units", "brick_facilities", "ttcn_facilities")} == {"feature_count"}


def test_responsible_office_is_from_section_vi(tables: dict) -> None:
    assert set(tables["targets"]["responsible"]) == {"Phòng Kinh tế & Hạ tầng"}


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed not found at {SEED}")
def test_target_texts_are_the_seeds_words(tables: dict) -> None:
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))
    for text in tables["targets"]["text_vi"]:
        assert re.sub(r"\s+", " ", text) in seed, text[:60]


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed not found at {SEED}")
def test_funding_stated_words_are_in_the_seed(tables: dict) -> None:
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))
    for frame in (tables["funding_lines"], tables["project_costs"]):
        for text in frame["stated_as"]:
            assert text in seed, text


def test_funding_lines_as_stated(tables: dict) -> None:
    lines = tables["funding_lines"].set_index("id")
    assert lines.loc["total", "amount_bn_vnd"] == 6699.5
    assert {s: lines.loc[s, "amount_bn_vnd"] for s in ("central", "province", "district", "enterprise")} == {
        "central": 3.0,
        "province": 140.0,
        "district": 2.0,
        "enterprise": 5224.5,
    }
    infra = lines[lines["parent"] == "province_ccn_infrastructure"]["amount_bn_vnd"]
    assert sorted(infra) == [5.0, 14.5, 16.0, 16.0, 18.0, 35.5]
    assert math.fsum(infra) == 105.0
    assert lines.loc["province_ccn_infrastructure", "amount_bn_vnd"] == 105.0
    assert lines.loc["province_site_clearance", "amount_bn_vnd"] == 35.0
    sectors = lines[lines["parent"] == "enterprise"].set_index("sector")["amount_bn_vnd"].to_dict()
    assert sectors == {"mining_materials": 1330.0, "agro_forestry": 1066.5, "power_water": 4158.0}
    assert set(lines["level"]) == {0, 1, 2, 3}


def test_project_costs_with_sections(tables: dict) -> None:
    costs = tables["project_costs"].set_index("id")
    expected = {
        "water_pho_rang": (20.0, "II.(5)"),
        "water_bao_ha": (15.0, "II.(5)"),
        "water_cam_con": (100.0, "II.(5)"),
        "hydropower_phuc_long": (757.0, "III.3a"),
        "hydropower_six_projects": (3286.0, "III.3a"),
        "hydropower_ii6": (3286.0, "II.(6)"),
        "mdf_phase_2": (400.0, "III.3a"),
        "agro_forestry_hub": (650.0, "III.3a"),
        "essential_oils": (10.0, "III.3a"),
        "tea_o_long": (5.0, "III.3a"),
        "persimmon_plant": (5.0, "III.3a"),
        "taimu_line": (1.5, "III.3a"),
        "bricks_22": (5.0, "II.(3)"),
        "ccn_pho_rang_infrastructure_iii3a": (140.0, "III.3a"),
        "ccn_pho_rang_site_clearance_iii3a": (35.0, "III.3a"),
        "ccn_pho_rang_infrastructure_ii7": (140.0, "II.(7)"),
    }
    assert {i: (costs.loc[i, "amount_bn_vnd"], costs.loc[i, "source"]) for i in expected} == expected
    assert (costs.loc["essential_oils", "quantity"], costs.loc["essential_oils", "unit_cost_bn_vnd"]) == (2.0, 5.0)


def test_every_row_has_a_source(tables: dict) -> None:
    for name in ("targets", "target_measures", "funding_lines", "project_costs"):
        assert (tables[name]["source"].astype(str).str.len() > 0).all(), name


def test_append_only_tables_are_empty_with_columns(tables: dict) -> None:
    assert list(tables["target_actuals"].columns) == list(ACTUALS_COLUMNS)
    assert list(tables["disbursements"].columns) == list(DISBURSEMENT_COLUMNS)
    assert tables["target_actuals"].empty and tables["disbursements"].empty
    assert {"user", "recorded_at"} <= set(ACTUALS_COLUMNS) & set(DISBURSEMENT_COLUMNS)
    assert tables["target_actuals"]["value"].dtype == "float64"


def test_typed_targets() -> None:
    targets = load_targets(DATA_DIR)
    seven = next(t for t in targets if t.id == "7")
    assert seven.method == "derived"
    assert seven.measures[0].deadline.isoformat() == "2025-12-31"
    ten = next(t for t in targets if t.id == "10")
    assert ten.measures[0].derive_ids == ("ttcn_zone_bao_ha",)


def test_missing_file_is_a_data_source_error(tmp_path: Path) -> None:
    with pytest.raises(DataSourceError, match=r"targets\.yaml"):
        load_targets(tmp_path)


def test_all_problems_are_reported_with_file_and_entry(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)

    def break_it(content: dict) -> None:
        content["targets"][0]["measures"][0]["method"] = "guessed"
        content["targets"][1]["id"] = "1"
        del content["targets"][2]["text_vi"]

    _edit(data / TARGETS_FILE, break_it)
    with pytest.raises(InputDataError) as err:
        load_targets(data)
    text = str(err.value)
    assert "`targets.yaml` has 3 problem(s)" in text
    assert "method 'guessed'" in text and "duplicate id" in text and "'text_vi' is missing" in text
    assert "target '3'" in text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["funding_lines"][1].update(parent="nowhere"), "parent 'nowhere' is not a funding line"),
        (lambda c: c["funding_lines"][0].update(amount_bn_vnd="three"), "'amount_bn_vnd' must be a number"),
        (lambda c: c["funding_lines"][0].update(amount_bn_vnd=-3), "must not be negative"),
        (lambda c: c["project_costs"][7].update(amount_bn_vnd=11), "quantity x unit cost = 10"),
        (lambda c: c["funding_lines"][1].update(sector="tourism"), "sector 'tourism'"),
        (lambda c: c["project_costs"][0].update(id="central"), "duplicate id"),
    ],
)
def test_funding_problems(tmp_path: Path, change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = _copy_data(tmp_path)
    _edit(data / FUNDING_FILE, change)
    with pytest.raises(InputDataError, match=re.escape(message)) as err:
        load_funding(data)
    assert "funding.yaml" in str(err.value)


def test_project_cost_target_must_exist(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    _edit(data / FUNDING_FILE, lambda c: c["project_costs"][0].update(target="99"))
    with pytest.raises(InputDataError, match=r"target '99' is not a target"):
        load_tables(data)


def test_invalid_yaml(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    (data / FUNDING_FILE).write_text("total: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="not valid YAML"):
        load_funding(data)

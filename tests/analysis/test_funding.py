"""Funding sums, disbursements and the consistency check over the authored funding data."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from analysis.funding import (
    by_project,
    by_sector,
    by_source,
    consistency_check,
    disbursement_summary,
    disbursements_by_period,
    findings_frame,
    fmt_bn,
    new_disbursement_row,
    project_items,
    sector_reconciliation,
)
from geo.errors import InputDataError
from layers.plan_data import empty_disbursements, load_tables
from layers.settings import DATA_DIR


@pytest.fixture()
def tables() -> dict:
    return load_tables(DATA_DIR)


def _keyed(findings) -> dict:  # type: ignore[no-untyped-def]
    return {(f.kind, f.subject): f for f in findings}


SEVEN_FINDINGS = {
    ("parts_sum", "enterprise"),
    ("parts_sum", "total"),
    ("amounts_differ", "ccn_pho_rang_infrastructure"),
    ("scopes_differ", "ccn_pho_rang_site_clearance"),
    ("scopes_differ", "hydropower_investment"),
    ("sector_itemised", "enterprise_power_water"),
    ("sector_itemised", "enterprise_agro_forestry"),
}


def test_finds_exactly_the_authored_inconsistencies(tables: dict) -> None:
    findings = _keyed(consistency_check(tables["funding_lines"], tables["project_costs"]))
    assert set(findings) == SEVEN_FINDINGS


def test_power_and_water_line_is_the_projects_without_the_pho_rang_water_plant(tables: dict) -> None:
    f = _keyed(consistency_check(tables["funding_lines"], tables["project_costs"]))[
        ("sector_itemised", "enterprise_power_water")
    ]
    # 3,286 (six plants, counted once) + 757 (Phúc Long) + 20 + 15 + 100 (water plants, II.(5))
    assert (f.stated, f.computed, f.difference) == (4158.0, 4178.0, 20.0)
    assert {"V.4", "II.(5)", "III.3a"} == set(f.sections)
    en, vi = f.message("en"), f.message("vi")
    assert "stated 4,158.00 bn VND" in en and "4,178.00" in en
    assert "Without Phố Ràng water plant expansion, 2,000 m³/day (20.00, II.(5))" in en
    assert "exactly the stated 4,158.00" in en
    assert "ghi 4.158,00 tỷ đồng" in vi and "Nếu bỏ Mở rộng Nhà máy nước sạch Phố Ràng" in vi


def test_agro_forestry_line_fits_neither_reading_of_5_bn_per_facility(tables: dict) -> None:
    f = _keyed(consistency_check(tables["funding_lines"], tables["project_costs"]))[
        ("sector_itemised", "enterprise_agro_forestry")
    ]
    # 650 + 400 + 2 x 5 (essential oils, "5 tỷ đồng/cơ sở") + 5 (tea) + 5 (persimmon)
    assert (f.stated, f.computed) == (1066.5, 1070.0)
    assert f.difference == pytest.approx(3.5)
    en, vi = f.message("en"), f.message("vi")
    assert "Reading 'Dự kiến kinh phí 5 tỷ đồng/cơ sở' (III.3a) as 5.00 bn VND for the 2 facilities together" in en
    assert "1,065.00 bn VND, 1.50 bn VND below the stated figure" in en
    assert "1.50 bn VND is exactly the cost of Taimu" in en  # another sector's cost, computed, not asserted as cause
    assert "5,00 tỷ đồng cho cả 2 cơ sở" in vi and "1.065,00 tỷ đồng, ít hơn số ghi 1,50 tỷ đồng" in vi


def test_a_line_larger_than_its_projects_is_no_finding(tables: dict) -> None:
    # mining and building materials: 1,330 stated, 6.5 itemised; the plan need not itemise everything
    found = set(_keyed(consistency_check(tables["funding_lines"], tables["project_costs"])))
    assert ("sector_itemised", "enterprise_mining_materials") not in found
    lines = tables["funding_lines"].copy()
    lines.loc[lines["id"] == "enterprise_power_water", "amount_bn_vnd"] = 4178.0
    found = set(_keyed(consistency_check(lines, tables["project_costs"])))
    assert ("sector_itemised", "enterprise_power_water") not in found


def test_enterprise_lines_sum_to_6554_5(tables: dict) -> None:
    f = _keyed(consistency_check(tables["funding_lines"], tables["project_costs"]))[("parts_sum", "enterprise")]
    assert (f.stated, f.computed, f.difference) == (5224.5, 6554.5, 1330.0)
    assert "5.224,50" in f.message("vi") and "6.554,50" in f.message("vi") and "1.330,00" in f.message("vi")
    assert "6,554.50" in f.message("en")
    # the difference is exactly one of the three sector lines
    assert "Khai thác, chế biến khoáng sản" in f.message("vi")


def test_total_agrees_only_with_the_itemised_enterprise_lines(tables: dict) -> None:
    f = _keyed(consistency_check(tables["funding_lines"], tables["project_costs"]))[("parts_sum", "total")]
    assert (f.stated, f.computed) == (6699.5, 3.0 + 140.0 + 2.0 + 5224.5)
    assert "6,699.50 bn VND, which matches" in f.message("en")


def test_site_clearance_inside_140_in_v_beside_140_in_iii(tables: dict) -> None:
    f = _keyed(consistency_check(tables["funding_lines"], tables["project_costs"]))[
        ("amounts_differ", "ccn_pho_rang_infrastructure")
    ]
    assert (f.stated, f.computed, f.difference) == (105.0, 140.0, 35.0)
    assert set(f.sections) == {"V.2", "II.(7)", "III.3a"}
    text = f.message("en")
    assert "sit inside 'Provincial budget' 140.00" in text
    assert "III.3a states Site clearance of the whole CCN Phố Ràng (35.00) separately, beside it" in text


def test_hydropower_3286_attached_to_different_scopes(tables: dict) -> None:
    f = _keyed(consistency_check(tables["funding_lines"], tables["project_costs"]))[
        ("scopes_differ", "hydropower_investment")
    ]
    assert (f.stated, f.computed, f.difference) == (3286.0, 3286.0, 0.0)
    assert set(f.sections) == {"II.(6)", "III.3a"}
    assert "Phúc Long" in f.statements[0].scope and "Phúc Long" not in f.statements[1].scope
    assert "757" in f.message("vi")  # III.3a costs Phúc Long separately


@pytest.mark.parametrize(
    ("line_id", "new_amount", "expected"),
    [
        # a changed infrastructure item: its parent no longer adds up
        ("province_ccn_roads", 19.0, ("parts_sum", "province_ccn_infrastructure")),
        # a changed district figure: the district line no longer matches its one part
        ("district_planning", 2.5, ("parts_sum", "district")),
    ],
)
def test_a_changed_figure_gives_a_new_finding(tables: dict, line_id: str, new_amount: float, expected) -> None:  # type: ignore[no-untyped-def]
    lines = tables["funding_lines"].copy()
    before = set(_keyed(consistency_check(lines, tables["project_costs"])))
    lines.loc[lines["id"] == line_id, "amount_bn_vnd"] = new_amount
    after = _keyed(consistency_check(lines, tables["project_costs"]))
    assert set(after) - before == {expected}
    f = after[expected]
    assert f.difference == pytest.approx(f.computed - f.stated)


def test_fixing_a_figure_removes_its_finding(tables: dict) -> None:
    lines = tables["funding_lines"].copy()
    lines.loc[lines["id"] == "enterprise", "amount_bn_vnd"] = 6554.5
    found = set(_keyed(consistency_check(lines, tables["project_costs"])))
    assert ("parts_sum", "enterprise") not in found
    assert ("parts_sum", "total") not in found  # 3 + 140 + 2 + 6554.5 = 6699.5


def test_a_changed_project_cost_gives_an_amount_finding(tables: dict) -> None:
    costs = tables["project_costs"].copy()
    costs.loc[costs["id"] == "hydropower_ii6", "amount_bn_vnd"] = 3300.0
    found = _keyed(consistency_check(tables["funding_lines"], costs))
    f = found[("amounts_differ", "hydropower_investment")]
    assert (f.stated, f.computed, f.difference) == (3300.0, 3286.0, -14.0)


def test_open_scopes_are_not_compared(tables: dict) -> None:
    costs = tables["project_costs"].copy()
    # the two CCN statements list different works but both end in "...": no scope finding
    assert not any(
        f.kind == "scopes_differ" and f.subject == "ccn_pho_rang_infrastructure"
        for f in consistency_check(tables["funding_lines"], costs)
    )
    costs["scope_open"] = False
    assert any(
        f.kind == "scopes_differ" and f.subject == "ccn_pho_rang_infrastructure"
        for f in consistency_check(tables["funding_lines"], costs)
    )


def test_findings_frame(tables: dict) -> None:
    frame = findings_frame(consistency_check(tables["funding_lines"], tables["project_costs"]), lang="en")
    assert len(frame) == len(SEVEN_FINDINGS) == 7
    assert list(frame.columns[:3]) == ["kind", "subject", "label"]
    assert findings_frame([]).empty


def test_sums_by_source_and_sector(tables: dict) -> None:
    lines = tables["funding_lines"]
    src = by_source(lines).set_index("funding_source")
    assert src["stated_bn_vnd"].to_dict() == {"central": 3.0, "province": 140.0, "district": 2.0, "enterprise": 5224.5}
    assert src.loc["enterprise", "parts_bn_vnd"] == 6554.5
    assert src.loc["province", "parts_bn_vnd"] == 140.0
    sec = by_sector(lines).set_index("sector")["amount_bn_vnd"]
    assert sec["ccn_infrastructure"] == 105.0 and sec["site_clearance"] == 35.0
    # the itemised lines of V add up to the stated total (not the stated sources)
    assert math.isclose(sec.sum(), 6699.5)


def test_projects_and_reconciliation(tables: dict) -> None:
    costs = tables["project_costs"]
    projects = by_project(costs)
    assert projects.iloc[0]["amount_bn_vnd"] == 3286.0 and len(projects) == len(costs)
    items = project_items(costs).set_index("id")
    # the CCN infrastructure stated in II.(7) and III.3a counts once, as in III.3a
    assert "ccn_pho_rang_infrastructure_iii3a" in items.index and "ccn_pho_rang_infrastructure_ii7" not in items.index
    rec = sector_reconciliation(tables["funding_lines"], costs).set_index("sector")
    assert rec.loc["agro_forestry", "itemised_bn_vnd"] == 650 + 400 + 10 + 5 + 5
    assert rec.loc["power_water", "itemised_bn_vnd"] == 3286 + 757 + 20 + 15 + 100
    assert rec.loc["mining_materials", "itemised_bn_vnd"] == 5 + 1.5
    assert rec.loc["agro_forestry", "not_itemised_bn_vnd"] == pytest.approx(1066.5 - 1070)
    # a line smaller than its itemised projects is a finding of the consistency check, not "for information"
    assert rec["finding"].to_dict() == {"mining_materials": False, "agro_forestry": True, "power_water": True}


def test_disbursements(tables: dict) -> None:
    lines, costs = tables["funding_lines"], tables["project_costs"]
    rows = [
        new_disbursement_row(
            lines,
            costs,
            line_id="province_ccn_roads",
            period="2024",
            amount_bn_vnd=6.0,
            recorded_on=dt.date(2025, 1, 5),
        ),
        new_disbursement_row(
            lines,
            costs,
            line_id="province_ccn_roads",
            period="2025-H1",
            amount_bn_vnd=3.0,
            recorded_on=dt.date(2025, 6, 1),
        ),
        new_disbursement_row(
            lines,
            costs,
            line_id="province_ccn_roads",
            period="2025",
            amount_bn_vnd=7.0,
            recorded_on=dt.date(2025, 12, 12),
        ),
        new_disbursement_row(
            lines, costs, line_id="water_cam_con", period="2025", amount_bn_vnd=40.0, recorded_on=dt.date(2025, 12, 12)
        ),
    ]
    d = pd.concat([empty_disbursements(), *rows], ignore_index=True)
    d["recorded_at"] = ["2025-01-05T00:00:00Z", "2025-06-01T00:00:00Z", "2025-12-12T00:00:00Z", "2025-12-12T00:00:00Z"]
    summary = disbursement_summary(d, lines, costs, as_of=dt.date(2026, 1, 1)).set_index("line_id")
    # the 2025 figure replaces its first half
    assert summary.loc["province_ccn_roads", "disbursed_bn_vnd"] == 13.0
    assert summary.loc["province_ccn_roads", "disbursed_pct"] == pytest.approx(100 * 13 / 18)
    assert summary.loc["water_cam_con", "planned_bn_vnd"] == 100.0
    mid = disbursement_summary(d, lines, costs, as_of=dt.date(2025, 6, 30)).set_index("line_id")
    assert mid.loc["province_ccn_roads", "disbursed_bn_vnd"] == 9.0
    per = disbursements_by_period(d, as_of=dt.date(2026, 1, 1)).set_index("period")["amount_bn_vnd"].to_dict()
    assert per == {"2024": 6.0, "2025-H1": 3.0, "2025": 47.0}
    assert disbursement_summary(empty_disbursements(), lines, costs, as_of=dt.date(2026, 1, 1)).empty


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"line_id": "nope"}, "no funding line or project cost 'nope'"),
        ({"amount_bn_vnd": -1.0}, "≥ 0"),
        ({"period": "sometime"}, "not a reporting period"),
    ],
)
def test_disbursement_row_rejects(tables: dict, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    args = {"line_id": "district", "period": "2025", "amount_bn_vnd": 1.0, "recorded_on": dt.date(2025, 1, 1), **kwargs}
    with pytest.raises(InputDataError, match=message):
        new_disbursement_row(tables["funding_lines"], tables["project_costs"], **args)


def test_fmt_bn() -> None:
    assert fmt_bn(5224.5, "vi") == "5.224,50"
    assert fmt_bn(5224.5, "en") == "5,224.50"
    assert fmt_bn(-1330, "vi") == "-1.330,00"

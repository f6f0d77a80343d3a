"""Target statuses, recorded and derived values, reporting periods and deadlines."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point, Polygon, box

from analysis.targets import (
    PLAN_START,
    STATUS_RULES,
    STATUSES,
    Measure,
    combine_statuses,
    derive_value,
    elapsed_share,
    evaluate_targets,
    last_closed_period,
    measure_status,
    missing_data,
    new_actual_row,
    next_report_deadline,
    parse_number,
    parse_period,
    recorded_value,
    results_frame,
    status_counts,
    targets_from_frames,
)
from geo.errors import InputDataError
from geo.numbers import AmbiguousNumberError
from layers.plan_data import empty_actuals, load_tables
from layers.settings import DATA_DIR

DEADLINE = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def targets():  # type: ignore[no-untyped-def]
    tables = load_tables(DATA_DIR)
    return targets_from_frames(tables["targets"], tables["target_measures"])


def _target(targets, tid):  # type: ignore[no-untyped-def]
    return next(t for t in targets if t.id == tid)


def _actuals(*rows: tuple) -> pd.DataFrame:
    frame = empty_actuals()
    records = [
        {"target_id": t, "measure": m, "period": p, "value": v, "unit": u, "recorded_at": at, "source": "test"}
        for t, m, p, v, u, at in rows
    ]
    return pd.concat([frame, pd.DataFrame(records)], ignore_index=True) if records else frame


# --- the rule ---------------------------------------------------------------------------------------------


def test_rules_are_written_in_both_languages() -> None:
    assert set(STATUS_RULES) == {"vi", "en"}
    assert "Chưa có số liệu" in STATUS_RULES["vi"] and "no data" in STATUS_RULES["en"]


@pytest.mark.parametrize(
    ("actual", "as_of", "expected"),
    [
        (None, dt.date(2026, 1, 1), "no_data"),
        (529.0, dt.date(2026, 1, 1), "achieved"),
        (600.0, dt.date(2026, 1, 1), "achieved"),
        (528.9, dt.date(2026, 1, 1), "missed"),
        (528.9, DEADLINE, "missed"),  # the deadline day itself closes the target
        (529.0, dt.date(2023, 1, 1), "achieved"),  # reached early
        (400.0, dt.date(2023, 1, 1), "on_track"),  # 75.6 % done, 40 % of the time gone
        (100.0, dt.date(2023, 1, 1), "at_risk"),  # 18.9 % done, 40 % of the time gone
    ],
)
def test_at_least_target(actual, as_of, expected) -> None:  # type: ignore[no-untyped-def]
    status, progress = measure_status(actual, deadline=DEADLINE, as_of=as_of, target=529.0)
    assert status == expected
    if actual is None:
        assert progress is None
    else:
        assert progress == pytest.approx(100 * actual / 529.0)


@pytest.mark.parametrize(
    ("area", "as_of", "expected"),
    [
        (25.0, dt.date(2026, 1, 1), "achieved"),
        (20.0, dt.date(2026, 1, 1), "achieved"),
        (30.0, dt.date(2026, 1, 1), "achieved"),
        (19.9, dt.date(2026, 1, 1), "missed"),
        (30.1, dt.date(2026, 1, 1), "missed"),
        (31.0, dt.date(2023, 1, 1), "at_risk"),
        (15.0, dt.date(2023, 1, 1), "on_track"),
        (2.0, dt.date(2023, 1, 1), "at_risk"),
    ],
)
def test_range_target(area, as_of, expected) -> None:  # type: ignore[no-untyped-def]
    assert measure_status(area, deadline=DEADLINE, as_of=as_of, min_value=20, max_value=30)[0] == expected


def test_indicator_has_no_status() -> None:
    assert measure_status(93.9, deadline=DEADLINE, as_of=dt.date(2026, 1, 1)) == ("indicator", None)


def test_elapsed_share() -> None:
    assert elapsed_share(PLAN_START, deadline=DEADLINE) == 0.0
    assert elapsed_share(DEADLINE, deadline=DEADLINE) == 1.0
    assert elapsed_share(dt.date(2030, 1, 1), deadline=DEADLINE) == 1.0
    mid = PLAN_START + (DEADLINE - PLAN_START) / 2
    assert elapsed_share(mid, deadline=DEADLINE) == pytest.approx(0.5, abs=1e-3)


@given(
    actual=st.floats(min_value=0, max_value=1e4, allow_nan=False),
    target=st.floats(min_value=0.1, max_value=1e4, allow_nan=False),
    days=st.integers(min_value=0, max_value=3000),
)
def test_status_properties(actual: float, target: float, days: int) -> None:
    as_of = PLAN_START + dt.timedelta(days=days)
    status, _ = measure_status(actual, deadline=DEADLINE, as_of=as_of, target=target)
    assert status in STATUSES
    assert (status == "achieved") == (actual >= target)
    if as_of >= DEADLINE:
        assert status in ("achieved", "missed")
    else:
        assert status != "missed"
    # more of the same value never makes things worse
    better, _ = measure_status(actual * 2 + 1, deadline=DEADLINE, as_of=as_of, target=target)
    assert STATUSES.index(better) <= STATUSES.index(status)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (["achieved", "achieved"], "achieved"),
        (["achieved", "indicator"], "achieved"),
        (["achieved", "missed"], "missed"),
        (["on_track", "at_risk", "no_data"], "at_risk"),
        (["achieved", "no_data"], "no_data"),
        (["achieved", "on_track"], "on_track"),
        (["indicator"], "no_data"),
    ],
)
def test_combine(statuses, expected) -> None:  # type: ignore[no-untyped-def]
    assert combine_statuses(statuses) == expected


# --- periods ----------------------------------------------------------------------------------------------


def test_periods_follow_circular_14_2024() -> None:
    h1 = parse_period("2025-H1")
    assert (h1.start, h1.end, h1.due) == (dt.date(2024, 12, 15), dt.date(2025, 6, 14), dt.date(2025, 6, 15))
    year = parse_period("2025")
    assert (year.start, year.end, year.due) == (dt.date(2024, 12, 15), dt.date(2025, 12, 14), dt.date(2025, 12, 10))
    term = parse_period("2021-2025")
    assert (term.start, term.end, term.due, term.kind) == (dt.date(2021, 1, 1), dt.date(2025, 12, 31), None, "span")
    assert year.contains(h1) and term.contains(parse_period("2023"))
    assert "6 tháng đầu năm 2025" in h1.title("vi")
    assert "tổng kết" in term.title("vi") and "giữa kỳ" in parse_period("2021-2023").title("vi")


@pytest.mark.parametrize("label", ["6 tháng đầu năm 2025", "2025h1", "2025 - H1", "6 tháng 2025"])
def test_vietnamese_half_year_labels(label: str) -> None:
    assert parse_period(label).label == "2025-H1"


@pytest.mark.parametrize("label", ["2025-Q3", "năm ngoái", "2026-2021", "1890"])
def test_bad_periods(label: str) -> None:
    with pytest.raises(InputDataError):
        parse_period(label)


@pytest.mark.parametrize(
    ("today", "label", "due"),
    [
        (dt.date(2026, 11, 26), "2026", dt.date(2026, 12, 10)),
        (dt.date(2026, 12, 10), "2027-H1", dt.date(2027, 6, 15)),  # due *before* 10/12: on the day, the next one
        (dt.date(2025, 1, 5), "2025-H1", dt.date(2025, 6, 15)),
        (dt.date(2025, 6, 14), "2025-H1", dt.date(2025, 6, 15)),
        (dt.date(2025, 6, 15), "2025", dt.date(2025, 12, 10)),
    ],
)
def test_next_report_deadline(today, label, due) -> None:  # type: ignore[no-untyped-def]
    nxt = next_report_deadline(today)
    assert (nxt.period.label, nxt.due, nxt.days_left) == (label, due, (due - today).days)


def test_last_closed_period() -> None:
    assert last_closed_period(dt.date(2026, 11, 26)).label == "2026-H1"
    assert last_closed_period(dt.date(2026, 12, 20)).label == "2026"


# --- recorded values --------------------------------------------------------------------------------------


def test_no_actuals_means_no_data_everywhere(targets) -> None:  # type: ignore[no-untyped-def]
    results = evaluate_targets(targets, actuals=empty_actuals(), layers={}, as_of=dt.date(2026, 11, 26))
    assert [r.status for r in results] == ["no_data"] * 14
    assert all(mr.actual is None for r in results for mr in r.measures)
    assert len(missing_data(results)) == sum(len(t.measures) for t in targets)


def test_latest_period_and_corrections(targets) -> None:  # type: ignore[no-untyped-def]
    m = _target(targets, "1").measures[0]
    actuals = _actuals(
        ("1", "industry_value", "2024", 480.0, "bn VND", "2025-01-02T00:00:00Z"),
        ("1", "industry_value", "2025-H1", 250.0, "bn VND", "2025-06-01T00:00:00Z"),
        ("1", "industry_value", "2025", 520.0, "bn VND", "2025-12-01T00:00:00Z"),
        ("1", "industry_value", "2025", 531.0, "bn VND", "2026-01-10T00:00:00Z"),  # a correction
    )
    v = recorded_value(actuals, m, as_of=dt.date(2026, 11, 26))
    assert v.value == 531.0 and v.basis == "period 2025"
    # the 2025 report (data to 14/12/2025) sees the entries of that period, not what comes after
    v_h1 = recorded_value(actuals, m, as_of=dt.date(2025, 6, 14))
    assert v_h1.value == 250.0
    results = evaluate_targets([_target(targets, "1")], actuals=actuals, layers={}, as_of=dt.date(2026, 11, 26))
    assert results[0].status == "achieved"


def test_sum_of_non_overlapping_periods(targets) -> None:  # type: ignore[no-untyped-def]
    m = _target(targets, "training").measures[0]
    rows = [("training", "workers_trained", str(y), 300.0, "workers", "") for y in range(2021, 2026)]
    rows.append(("training", "workers_trained", "2025-H1", 120.0, "workers", ""))  # inside 2025: not added
    v = recorded_value(_actuals(*rows), m, as_of=dt.date(2026, 1, 1))
    assert v.value == 1500.0
    assert any("2025-H1" in e for e in v.evidence)
    status, progress = measure_status(v.value, deadline=m.deadline, as_of=dt.date(2026, 1, 1), target=m.target)
    assert (status, progress) == ("missed", 75.0)
    # a whole-term figure replaces the years inside it
    term = _actuals(*rows, ("training", "workers_trained", "2021-2025", 2100.0, "workers", ""))
    assert recorded_value(term, m, as_of=dt.date(2026, 1, 1)).value == 2100.0


def test_rows_in_another_unit_are_left_out(targets) -> None:  # type: ignore[no-untyped-def]
    m = _target(targets, "8").measures[0]
    v = recorded_value(_actuals(("8", "ttcn_value", "2025", 261000.0, "million VND", "")), m, as_of=DEADLINE)
    assert v.value is None and "million VND" in v.evidence[0]


def test_new_actual_row(targets) -> None:  # type: ignore[no-untyped-def]
    row = new_actual_row(
        targets,
        target_id="(8)",
        period="năm 2025",
        value=255.5,
        source="Chi cục Thống kê",
        recorded_on=dt.date(2026, 1, 15),
    )
    assert row.to_dict("records") == [
        {
            "target_id": "8",
            "measure": "ttcn_value",
            "period": "2025",
            "value": 255.5,
            "unit": "bn VND",
            "recorded_on": "2026-01-15",
            "source": "Chi cục Thống kê",
            "note": "",
        }
    ]
    # the first recorded measure of a target whose headline is derived
    assert (
        new_actual_row(targets, target_id="3", period="2025", value=5, recorded_on=DEADLINE)["measure"][0]
        == "taimu_capacity"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target_id": "99"}, "no target '99'"),
        ({"target_id": "4"}, "derived from the map layers"),
        ({"target_id": "3", "measure": "brick_facilities"}, "derived from layer 'brick_facilities'"),
        ({"target_id": "11", "measure": "households"}, "has no measure 'households'"),
        ({"period": "Q3"}, "not a reporting period"),
        ({"value": -1.0}, "must be a number ≥ 0"),
        ({"value": float("nan")}, "must be a number ≥ 0"),
        ({"target_id": "13", "value": 2.0}, "milestone"),
    ],
)
def test_new_actual_row_rejects(targets, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    args = {"target_id": "1", "period": "2025", "value": 10.0, "recorded_on": DEADLINE, **kwargs}
    with pytest.raises(InputDataError, match=message):
        new_actual_row(targets, **args)


# --- derived values from small built layers -----------------------------------------------------------------


def _points(rows: list[dict], crs: str = "EPSG:9208") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=[Point(500_000 + i, 2_450_000) for i in range(len(rows))], crs=crs)


def test_feature_counts(targets) -> None:  # type: ignore[no-untyped-def]
    m = _target(targets, "4").measures[0]
    mines = _points([{"id": f"m{i}", "name": f"Mỏ {i}", "geom_quality": "digitised"} for i in range(12)])
    assert derive_value(m, layers={"mines": mines}).value == 12.0
    assert derive_value(m, layers={"mines": mines.iloc[:0]}).value is None  # empty layer: no data, not 0
    assert derive_value(m, layers={}).value is None
    assert derive_value(m, layers={"mines": mines}, plan_only={"mines"}).value is None


def test_hydropower_statuses(targets) -> None:  # type: ignore[no-untyped-def]
    six = _target(targets, "6")
    hydro = _points(
        [
            {"name": "Thủy điện Vĩnh Hà", "status": "operating", "capacity_mw": 21.0},
            {"name": "Thủy điện Bắc Công", "status": "Đang hoạt động", "capacity_mw": None},
            {"name": "Thủy điện Phúc Long", "status": "under_construction", "capacity_mw": None},
            {"name": "Thủy điện Tân Tiến 1", "status": "operating", "capacity_mw": 3.4},
            {"name": "Thủy điện Tân Tiến 2", "status": "under_construction", "capacity_mw": 4.6},
            {"name": "Thủy điện Bảo Hà", "status": "proposed", "capacity_mw": 75.0},
        ]
    )
    operating = derive_value(six.measure("hydropower_operating"), layers={"hydropower": hydro})
    assert operating.value == 2.0
    assert any("Phúc Long" in e and "not counted" in e for e in operating.evidence)
    new_mw = derive_value(six.measure("hydropower_new_mw"), layers={"hydropower": hydro})
    assert new_mw.value == pytest.approx(8.0)  # Tân Tiến 1 + 2; Bảo Hà is only proposed
    assert new_mw.partial  # Tân Tiến 3, Xuân Thượng, Nghĩa Đô are not in the layer
    # "Tân Tiến 1" must not match "Tân Tiến 10"
    ten = _points([{"name": "Thủy điện Tân Tiến 10", "status": "operating", "capacity_mw": 9.0}])
    assert derive_value(six.measure("hydropower_new_mw"), layers={"hydropower": ten}).value is None
    [result] = evaluate_targets([six], actuals=empty_actuals(), layers={"hydropower": hydro}, as_of=dt.date(2026, 1, 1))
    assert result.status == "missed"
    assert result.measures[1].status == "indicator"


def test_water_capacity(targets) -> None:  # type: ignore[no-untyped-def]
    five = _target(targets, "5")
    water = _points(
        [
            {"name": "Nhà máy nước sạch Phố Ràng", "status": "operating", "capacity_m3_day": 2000.0},
            {"name": "Nhà máy nước sạch Bảo Hà", "status": "operating", "capacity_m3_day": 1500.0},
            {"name": "Nhà máy nước Cam Cọn", "status": "operating", "capacity_m3_day": 6000.0},
        ]
    )
    [r] = evaluate_targets([five], actuals=empty_actuals(), layers={"water_plants": water}, as_of=dt.date(2026, 1, 1))
    assert [m.actual for m in r.measures] == [3.0, 9500.0]
    assert r.status == "achieved"


def _square_ha(lon: float, lat: float, side_deg: float) -> tuple[Polygon, float]:
    poly = box(lon, lat, lon + side_deg, lat + side_deg)
    area_m2, _ = Geod(ellps="WGS84").geometry_area_perimeter(poly)
    return poly, abs(area_m2) / 10_000


def test_bao_ha_zone_area_against_geodesic(targets) -> None:  # type: ignore[no-untyped-def]
    m = _target(targets, "10").measures[0]
    poly, ha = _square_ha(104.40, 22.15, 0.0048)  # ~ 25 ha near Bảo Hà
    zone = gpd.GeoDataFrame(
        [
            {"id": "b1", "cluster_id": "ttcn_zone_bao_ha", "name": "Khu TTCN Bảo Hà", "geom_quality": "digitised"},
            {"id": "b2", "cluster_id": "ccn_bao_ha", "name": "CCN Bảo Hà", "geom_quality": "digitised"},
        ],
        geometry=[poly, box(104.5, 22.1, 104.6, 22.2)],
        crs="EPSG:4326",
    )
    v = derive_value(m, layers={"cluster_boundaries": zone})
    assert 20 < ha < 30
    assert v.value == pytest.approx(ha, rel=5e-4)
    # found by name when the cluster id differs
    by_name = zone.iloc[:1].assign(cluster_id="x", name="Khu tiểu thủ công nghiệp Bảo Hà")
    assert derive_value(m, layers={"cluster_boundaries": by_name}).value == pytest.approx(ha, rel=5e-4)
    # a schematic boundary is not a measurement
    schematic = zone.iloc[:1].assign(geom_quality="schematic")
    v = derive_value(m, layers={"cluster_boundaries": schematic})
    assert v.value is None and "schematic" in v.basis


def test_occupancy_is_passed_in(targets) -> None:  # type: ignore[no-untyped-def]
    seven = _target(targets, "7")
    [r] = evaluate_targets([seven], actuals=empty_actuals(), layers={}, as_of=dt.date(2026, 1, 1), occupancy_pct=42.0)
    assert (r.status, r.headline.progress_pct) == ("missed", 84.0)
    [r] = evaluate_targets([seven], actuals=empty_actuals(), layers={}, as_of=dt.date(2026, 1, 1))
    assert r.status == "no_data"


def test_frames_and_counts(targets) -> None:  # type: ignore[no-untyped-def]
    actuals = _actuals(("12", "brocade_households", "2025", 85.0, "households", ""))
    results = evaluate_targets(targets, actuals=actuals, layers={}, as_of=dt.date(2026, 11, 26))
    frame = results_frame(results, lang="vi")
    assert len(frame) == sum(len(t.measures) for t in targets)
    row = frame[frame["measure"] == "brocade_households"].iloc[0]
    assert (row["actual"], row["progress_pct"], row["status"], row["status_label"]) == (85.0, 106.2, "achieved", "Đạt")
    counts = status_counts(results)
    assert counts["achieved"] == 1 and counts["no_data"] == 13 and sum(counts.values()) == 14


def test_targets_from_frames_needs_columns() -> None:
    with pytest.raises(InputDataError, match="lacks column"):
        targets_from_frames(pd.DataFrame({"id": ["1"]}), pd.DataFrame())


def test_measure_goal_text() -> None:
    m = Measure("10", "a", "a", "a", "ha", DEADLINE, "derived", min_value=20, max_value=30)
    assert m.goal_text() == "20–30" and m.has_goal
    assert Measure("6", "b", "b", "b", "MW", DEADLINE, "derived").goal_text() == "—"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("255.5", 255.5),
        ("255,5", 255.5),
        ("1.330,5", 1330.5),
        ("1,330.5", 1330.5),
        ("6.554.500", 6554500.0),
        ("2150", 2150.0),
        (" 80 ", 80.0),
        ("0,25", 0.25),
        ("2.15", 2.15),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["2.150", "2,150", "abc", "1.2.3,4,5", ""])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(InputDataError):
        parse_number(text)


def test_goal_text_follows_the_language() -> None:
    m = Measure("5", "w", "w", "w", "m3/day", DEADLINE, "derived", target=9500)
    assert (m.goal_text("vi"), m.goal_text("en"), m.goal_text()) == ("9.500", "9,500", "9.500")
    r = Measure("10", "a", "a", "a", "ha", DEADLINE, "derived", min_value=20.5, max_value=1330.25)
    assert r.goal_text("vi") == "20,5–1.330,25" and r.goal_text("en") == "20.5–1,330.25"


def test_parse_number_names_both_readings_of_ambiguous_text() -> None:
    with pytest.raises(
        AmbiguousNumberError, match=r"2150 if '\.' separates thousands, 2,15 if '\.' is the decimal"
    ) as info:
        parse_number("2.150")
    assert info.value.code == "number.ambiguous"
    with pytest.raises(InputDataError, match=r"^'many' is not a number$"):
        parse_number("many")


# --- after the plan period: deadline wording ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "as_of", "vi", "en"),
    [
        ("no_data", dt.date(2026, 12, 1), "quá hạn (hạn 2025)", "past its deadline (2025)"),
        ("missed", dt.date(2026, 1, 1), "quá hạn (hạn 2025)", "past its deadline (2025)"),
        ("missed", DEADLINE, "", ""),  # on the deadline (the end-of-term report): due, not late
        ("no_data", dt.date(2025, 6, 30), "", ""),
        ("achieved", dt.date(2026, 12, 1), "", ""),
        ("indicator", dt.date(2026, 12, 1), "", ""),
        ("at_risk", dt.date(2026, 12, 1), "", ""),
    ],
)
def test_deadline_note(status: str, as_of: dt.date, vi: str, en: str) -> None:
    from analysis.targets import deadline_note

    assert deadline_note(status, deadline=DEADLINE, as_of=as_of, lang="vi") == vi
    assert deadline_note(status, deadline=DEADLINE, as_of=as_of, lang="en") == en


def test_a_deadline_that_is_not_the_end_of_a_year_is_named_by_its_day() -> None:
    from analysis.targets import deadline_note

    day = dt.date(2024, 6, 30)
    assert deadline_note("missed", deadline=day, as_of=dt.date(2025, 1, 1)) == "quá hạn (hạn 30/06/2024)"
    assert (
        deadline_note("no_data", deadline=day, as_of=dt.date(2025, 1, 1), lang="en") == "past its deadline (30/06/2024)"
    )


def test_after_the_plan_period_unmet_targets_say_they_are_overdue(targets) -> None:  # type: ignore[no-untyped-def]
    from analysis.targets import overdue_count

    actuals = _actuals(("12", "brocade_households", "2025", 85.0, "households", "2026-01-05"))
    late = evaluate_targets(targets, actuals=actuals, layers={}, as_of=dt.date(2026, 12, 1))
    by_id = {r.target.id: r for r in late}
    assert by_id["12"].status == "achieved" and by_id["12"].status_text("vi") == "Đạt"
    assert by_id["1"].status == "no_data"  # the status rule itself is unchanged
    assert by_id["1"].status_text("vi") == "Chưa có số liệu — quá hạn (hạn 2025)"
    assert by_id["1"].status_text("en") == "No data — past its deadline (2025)"
    assert overdue_count(late) == len(late) - 1
    frame = results_frame(late, lang="en")
    row = frame[frame["target_id"] == "1"].iloc[0]
    assert (row["status"], row["status_label"], row["deadline_note"]) == (
        "no_data",
        "No data — past its deadline (2025)",
        "past its deadline (2025)",
    )
    # the end-of-term evaluation, on the deadline itself, and one inside the period say nothing of it
    for day in (DEADLINE, dt.date(2025, 6, 14)):
        results = evaluate_targets(targets, actuals=actuals, layers={}, as_of=day)
        assert overdue_count(results) == 0
        assert not any("quá hạn" in s for s in results_frame(results, lang="vi")["status_label"])


def test_a_missed_target_after_the_deadline(targets) -> None:  # type: ignore[no-untyped-def]
    actuals = _actuals(("12", "brocade_households", "2025", 40.0, "households", "2026-01-05"))
    (result,) = [
        r
        for r in evaluate_targets(targets, actuals=actuals, layers={}, as_of=dt.date(2026, 6, 1))
        if r.target.id == "12"
    ]
    assert result.status == "missed"
    assert result.status_text("vi") == "Không đạt — quá hạn (hạn 2025)"
    assert result.headline.status_text("en") == "Missed — past its deadline (2025)"
    assert "(7)" in STATUS_RULES["vi"] and "quá hạn (hạn 2025)" in STATUS_RULES["vi"]
    assert "past its deadline (2025)" in STATUS_RULES["en"]

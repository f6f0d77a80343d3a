"""Schema mapping and type conversion, geometry checks, region and CRS guess."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from geo.validate import (
    apply_schema,
    check_geometries,
    duplicate_ids,
    guess_crs,
    km_outside_region,
    parse_number,
    region_bounds,
    suggest_mapping,
)


@dataclass(frozen=True)
class F:
    name: str
    dtype: str
    required: bool = False
    choices: tuple[str, ...] | None = None


FIELDS = (
    F("name", "str", True),
    F("area_ha", "float"),
    F("households", "int"),
    F("status", "str", choices=("leased", "vacant")),
)


def _frame(**cols: list[object]) -> gpd.GeoDataFrame:
    n = len(next(iter(cols.values())))
    return gpd.GeoDataFrame(cols, geometry=[shapely.Point(i, i) for i in range(n)], crs=9208)


def test_suggest_mapping_by_name_and_label() -> None:
    m = suggest_mapping(
        ["Tên", "Diện tích (ha)", "SO_HO"],
        FIELDS,
        labels={"name": ["Tên"], "area_ha": ["Diện tích"], "households": ["Số hộ"]},
    )
    assert m == {"name": "Tên", "area_ha": "Diện tích (ha)", "households": "SO_HO"}


def test_apply_schema_converts_and_lists_failures() -> None:
    frame = _frame(ten=["A", "B", None], dt=["1,5", "x", "2"], ho=["3", "4.5", ""], st=["leased", "Vacant", "sold"])
    out, check = apply_schema(
        frame,
        FIELDS,
        mapping={"name": "ten", "area_ha": "dt", "households": "ho", "status": "st"},
        normalise_choice=lambda f, v: next((c for c in f.choices if c == v.lower()), None),
    )
    assert list(out.columns) == ["name", "area_ha", "households", "status", "geometry"]
    assert out["area_ha"].iloc[0] == 1.5
    assert out["status"].tolist()[:2] == ["leased", "vacant"]
    failures = {(f.row, f.field) for f in check.failures}
    assert failures == {(2, "area_ha"), (2, "households"), (3, "status")}
    assert check.rows_without_required == ((3, "name"),)
    assert not check.ok
    assert any("row 2: area_ha = 'x' is not a number" in e for e in check.errors())


def test_missing_required_field() -> None:
    _, check = apply_schema(_frame(x=[1]), FIELDS, mapping={})
    assert check.missing_required == ("name",)
    assert check.unmapped == ("x",)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5", 1.5),
        ("2.460.000,5", 2460000.5),
        ("2,460,000.5", 2460000.5),
        (" 7 ", 7.0),
        ("1e3", 1000.0),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_parse_number_reads_ambiguous_text_as_the_language_writes_it() -> None:
    # "2.150" is two thousand one hundred and fifty in Vietnamese; it used to be read as 2.15
    assert parse_number("2.150") == 2150.0
    assert parse_number("2,150") == 2.15
    assert parse_number("2.150", lang="en") == 2.15
    assert parse_number("nan") is None and parse_number(True) is None and parse_number(float("inf")) is None


def test_apply_schema_reads_numbers_by_column() -> None:
    frame = _frame(ten=["A", "B", "C"], dt=["2.150", "1.234,5", "7"], ho=["2.150", "3.400", "12"])
    out, check = apply_schema(frame, FIELDS, mapping={"name": "ten", "area_ha": "dt", "households": "ho"})
    assert check.ok, check.errors()
    assert out["area_ha"].tolist() == [2150.0, 1234.5, 7.0]  # the column's "1.234,5" decides
    assert out["households"].tolist() == [2150, 3400, 12]  # nothing decides: read as Vietnamese
    (ambiguous,) = check.ambiguous
    assert (ambiguous.field, ambiguous.rows, ambiguous.values, ambiguous.mark) == (
        "households",
        (1, 2),
        (2150.0, 3400.0),
        ",",
    )
    (warning,) = check.warnings()
    assert warning.startswith("field households: row 1 '2.150' as 2150, row 2 '3.400' as 3400 — read with ','")
    _, english = apply_schema(frame, FIELDS, mapping={"name": "ten", "households": "ho"}, lang="en")
    assert {(f.row, f.field) for f in english.failures} == {(1, "households"), (2, "households")}  # 2.15, 3.4


def test_apply_schema_refuses_a_value_against_its_columns_mark() -> None:
    frame = _frame(ten=["A", "B", "C"], dt=["1,5", "2,25", "2.5"])
    out, check = apply_schema(frame, FIELDS, mapping={"name": "ten", "area_ha": "dt"})
    assert out["area_ha"].tolist()[:2] == [1.5, 2.25]
    assert [str(f) for f in check.failures] == [
        "row 3: area_ha = '2.5' is not a number written like the column's other values "
        "(',' decimal mark, '.' thousands)"
    ]


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 3)))
def test_parse_number_decimal_comma_property(v: float) -> None:
    assert parse_number(repr(v).replace(".", ",")) == pytest.approx(v)


def test_check_geometries() -> None:
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    frame = gpd.GeoDataFrame(geometry=[bowtie, None, shapely.Point(0, 0), shapely.box(0, 0, 1, 1)], crs=9208)
    out, check = check_geometries(frame)
    assert check.repaired == 1 and check.repaired_rows == (1,)
    assert check.empty == 1 and check.empty_rows == (2,)
    assert check.types == {"Polygon": 2, "Point": 1}
    assert check.mixed
    assert out.geometry.iloc[0].area == pytest.approx(0.5)


def test_duplicate_ids() -> None:
    assert duplicate_ids(_frame(id=["a", "b", "a", None, None]), "id") == ["a"]
    assert duplicate_ids(_frame(id=[1, 2]), "id") == []


def test_region() -> None:
    b = region_bounds(9208)
    assert 340_000 < b[0] < 360_000 and 2_330_000 < b[1] < 2_340_000
    assert km_outside_region((104.3, 22.1, 104.6, 22.4)) == 0
    assert km_outside_region((106.6, 10.7, 106.8, 10.9)) > 1000  # Hồ Chí Minh City
    assert guess_crs((300, 300, 400, 400))[0] is None


# --- Vietnam's extent (issue 14) -----------------------------------------------------------------------------


def test_outside_vietnam_by_feature() -> None:
    import geopandas as gpd
    import shapely

    from geo.validate import km_outside_vietnam, outside_vietnam

    inside = gpd.GeoDataFrame(geometry=[shapely.Point(473_000, 2_460_000)], crs=9208)
    assert outside_vietnam(inside) is None
    # a river drawn from Yunnan into Vietnam crosses the border: inside
    river = gpd.GeoDataFrame(geometry=[shapely.LineString([(101.0, 24.5), (105.5, 21.0)])], crs=4326)
    assert outside_vietnam(river) is None
    mixed = gpd.GeoDataFrame(geometry=[shapely.Point(104.5, 22.2), shapely.Point(22.2, 104.5)], crs=4326)
    found = outside_vietnam(mixed)
    assert found is not None and found.rows == (2,) and found.count == 1 and found.total == 2
    assert found.swapped and found.distance_km is None  # latitude 104° is off the globe
    bangkok = gpd.GeoDataFrame(geometry=[shapely.Point(100.5, 13.75)], crs=4326)
    far = outside_vietnam(bangkok)
    assert (
        far is not None and not far.swapped and far.distance_km == pytest.approx(km_outside_vietnam((100.5, 13.75) * 2))
    )
    assert 150 < (far.distance_km or 0) < 200


# --- issue 15: whole columns at a time give what value by value gives ---------------------------------------------

_SCHEMA_COLUMNS = {
    "text": pd.Series(["  A ", "Ho\u0300a", None, "", "   ", "b", "A"], dtype="str"),
    "text_object": pd.Series(["x", None, " y", "Ho\u0300a", "", "z", "x"], dtype=object),
    "ints": pd.Series([1, 2, 3, 4, 5, 6, 7]),
    "floats": pd.Series([1.0, 2.5, float("nan"), float("inf"), -0.0, 3.0, 1e15]),
    "nullable": pd.Series([1, None, 3, 4, None, 6, 7], dtype="Int64"),
    "choices": pd.Series(["leased", "Vacant", "sold", None, "leased ", "vacant", "x"], dtype="str"),
    "yesno": pd.Series(["có", "khong", "x", None, "yes", "1", "0"], dtype="str"),
    "days": pd.Series(["2024-01-02", "31/12/2025", "bad", None, "2020", "", "01.02.2021"], dtype="str"),
    "mixed": pd.Series([1, "a", None, 2.5, True, "b", 1], dtype=object),
}
_SCHEMA_FIELDS = (
    F("t_str", "str", True),
    F("t_obj", "str"),
    F("i_str", "str"),
    F("i_int", "int", True),
    F("f_float", "float"),
    F("f_int", "int"),
    F("f_str", "str"),
    F("n_int", "int"),
    F("status", "str", True, ("leased", "vacant")),
    F("flag", "bool"),
    F("day", "date"),
    F("m_str", "str"),
)
_SCHEMA_MAPPING = {
    "t_str": "text",
    "t_obj": "text_object",
    "i_str": "ints",
    "i_int": "ints",
    "f_float": "floats",
    "f_int": "floats",
    "f_str": "floats",
    "n_int": "nullable",
    "status": "choices",
    "flag": "yesno",
    "day": "days",
    "m_str": "mixed",
}


def test_whole_column_schema_mapping_is_the_value_by_value_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.validate as validate

    frame = gpd.GeoDataFrame(_SCHEMA_COLUMNS, geometry=[shapely.Point(i, i) for i in range(7)], crs=9208)
    fast, fast_check = apply_schema(frame, _SCHEMA_FIELDS, mapping=_SCHEMA_MAPPING)
    monkeypatch.setattr(validate, "_convert_column", lambda *args: None)
    slow, slow_check = apply_schema(frame, _SCHEMA_FIELDS, mapping=_SCHEMA_MAPPING)
    assert fast_check == slow_check
    assert fast_check.failures and fast_check.rows_without_required  # the columns do exercise both lists
    for name in fast.columns:
        assert fast[name].dtype == slow[name].dtype, name
        assert [repr(v) for v in fast[name]] == [repr(v) for v in slow[name]], name


def test_geometry_families_are_counted_in_the_order_they_first_occur() -> None:
    line = shapely.LineString([(0, 0), (1, 1)])
    frame = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), shapely.Point(0, 0), line, shapely.Point(1, 1)])
    assert list(check_geometries(frame)[1].types.items()) == [("Polygon", 1), ("Point", 2), ("LineString", 1)]
    assert list(check_geometries(frame.iloc[::-1])[1].types.items()) == [
        ("Point", 2),
        ("LineString", 1),
        ("Polygon", 1),
    ]


@pytest.mark.parametrize("epsg", [9208, 3405, 4326])
def test_the_envelope_check_agrees_with_the_per_feature_check(epsg: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside Vietnam the transformed envelope decides at once; across its edge every feature is checked."""
    import geo.validate as validate
    from geo.validate import outside_vietnam

    inside = gpd.GeoDataFrame(geometry=[shapely.box(104.4, 22.1, 104.5, 22.2), shapely.Point(105.0, 21.5)], crs=4326)
    across = gpd.GeoDataFrame(geometry=[shapely.box(104.4, 22.1, 104.5, 22.2), shapely.Point(100.0, 15.0)], crs=4326)
    for frame, expect in ((inside.to_crs(epsg), None), (across.to_crs(epsg), (2,))):
        fast = outside_vietnam(frame)
        monkeypatch.setattr(validate, "_all_in_vietnam", lambda *args: False)
        slow = outside_vietnam(frame)
        monkeypatch.undo()
        assert fast == slow
        assert (fast.rows if fast else None) == expect

"""Numbers written the Vietnamese and the English way: formatting, reading back, columns, export rounding."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.errors import InputDataError, PlanError
from geo.numbers import (
    AREA_HA_DECIMALS,
    MISSING_TEXT,
    AmbiguousNumberError,
    decimal_mark,
    format_amount,
    format_area_ha,
    format_number,
    format_pct,
    parse_column,
    parse_number,
    round_measured,
)

LANGS = st.sampled_from(["vi", "en"])
FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


def _rounded(x: float, decimals: int) -> float:
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


# --- examples ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lang", "kwargs", "text"),
    [
        (6699.5, "vi", {}, "6.699,5"),
        (6699.5, "en", {}, "6,699.5"),
        (1.0724, "vi", {"decimals": 2}, "1,07"),
        (210000.0, "vi", {}, "210.000"),
        (210000, "en", {}, "210,000"),
        (5224.5, "vi", {"decimals": 2}, "5.224,50"),
        (-1330, "vi", {"decimals": 2}, "-1.330,00"),
        (2025, "vi", {"group": False}, "2025"),
        (0.123456, "vi", {}, "0,1235"),  # at most four decimals by default
        (2.675, "vi", {"decimals": 2}, "2,68"),  # half away from zero on the value as written
        (-0.00001, "vi", {}, "0"),  # no "-0"
        (1234567.891, "en", {"decimals": 1}, "1,234,567.9"),
        (np.float32(1.5), "vi", {}, "1,5"),
        (None, "vi", {}, MISSING_TEXT),
        (math.nan, "en", {}, MISSING_TEXT),
        (math.inf, "vi", {}, MISSING_TEXT),
        (pd.NA, "vi", {}, MISSING_TEXT),
    ],
)
def test_format_number(value: object, lang: str, kwargs: dict[str, object], text: str) -> None:
    assert format_number(value, lang, **kwargs) == text  # type: ignore[arg-type]


def test_percentages_areas_and_amounts() -> None:
    assert format_pct(39.2, "vi") == "39,2 %"
    assert format_pct(39.2, "en") == "39.2 %"
    assert format_pct(100, "vi") == "100,0 %"
    assert format_pct(None, "vi") == MISSING_TEXT
    assert format_area_ha(1.0724, "vi") == "1,07 ha"
    assert format_area_ha(6789.3, "en") == "6,789.30 ha"
    assert format_amount(5224.5, "tỷ đồng", "vi") == "5.224,5 tỷ đồng"
    assert format_amount(math.nan, "MW", "en") == MISSING_TEXT


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="language 'fr'"):
        format_number(1.0, "fr")
    with pytest.raises(ValueError, match="decimals"):
        format_number(1.0, "vi", decimals=-1)
    with pytest.raises(TypeError):
        format_number("12", "vi")  # type: ignore[arg-type]
    assert decimal_mark("vi") == "," and decimal_mark("en") == "."


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6.699,5", 6699.5),
        ("6,699.5", 6699.5),
        ("1,5", 1.5),
        ("1.5", 1.5),
        ("0,25", 0.25),
        ("0.150", 0.15),  # a lone 0 is never a group of thousands
        ("1234.567", 1234.567),  # four digits before the mark: not grouped
        ("6.554.500", 6554500.0),
        ("6,554,500", 6554500.0),
        ("2.460.000,5", 2460000.5),
        ("2 150,5", 2150.5),
        ("2\u00a0150", 2150.0),
        ("1\u202f234.5", 1234.5),
        (" 80 ", 80.0),
        ("−5,5", -5.5),
        ("+7", 7.0),
        ("1e3", 1000.0),
        ("1,5e3", 1500.0),
        (".5", 0.5),
        (7, 7.0),
        (2.5, 2.5),
        (np.int64(3), 3.0),
    ],
)
def test_parse_number_unambiguous(text: object, value: float) -> None:
    for lang in ("vi", "en"):
        for strict in (True, False):
            result = parse_number(text, lang, strict=strict)
            assert result == value and type(result) is float


@pytest.mark.parametrize(
    ("text", "vi", "en"),
    [("2.150", 2150.0, 2.15), ("2,150", 2.15, 2150.0), ("-12.345", -12345.0, -12.345), ("999,000", 999.0, 999000.0)],
)
def test_ambiguous_text_follows_an_authoritative_language(text: str, vi: float, en: float) -> None:
    assert parse_number(text, "vi", strict=False) == vi
    assert parse_number(text, "en", strict=False) == en
    with pytest.raises(AmbiguousNumberError, match="ambiguous") as info:
        parse_number(text)
    exc = info.value
    assert isinstance(exc, InputDataError) and isinstance(exc, PlanError)
    assert exc.code == "number.ambiguous" and exc.params["text"] == text
    sep = "." if "." in text else ","
    assert {exc.as_thousands, exc.as_decimal} == {vi, en}
    assert exc.as_thousands == (vi if sep == "." else en)


def test_ambiguous_message_names_both_readings() -> None:
    with pytest.raises(AmbiguousNumberError) as info:
        parse_number("2.150", "vi")
    assert str(info.value) == (
        "'2.150' is ambiguous: 2150 if '.' separates thousands, 2,15 if '.' is the decimal mark; "
        "write 2150 or 2,15 to say which"
    )


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("abc", "number.invalid", "'abc' is not a number"),
        ("1.2.3,4,5", "number.invalid", "'1.2.3,4,5' is not a number"),
        ("1 2", "number.invalid", "'1 2' is not a number"),
        ("12,34,5", "number.invalid", "is not a number"),
        ("", "number.empty", "empty"),
        ("   ", "number.empty", "empty"),
        ("nan", "number.not_finite", "'nan' is not a finite number"),
        ("-inf", "number.not_finite", "is not a finite number"),
        ("Infinity", "number.not_finite", "is not a finite number"),
        ("1e999", "number.not_finite", "is not a finite number"),
        (math.nan, "number.not_finite", "is not a finite number"),
        (math.inf, "number.not_finite", "is not a finite number"),
        (None, "number.invalid", "None is not a number"),
        (True, "number.invalid", "True is not a number"),
    ],
)
def test_parse_number_refuses(value: object, code: str, message: str) -> None:
    with pytest.raises(InputDataError, match=re.escape(message)) as info:
        parse_number(value, strict=False)
    assert info.value.code == code
    assert "--" not in str(info.value)  # a neutral message: no command-line flag


# --- properties -------------------------------------------------------------------------------------------


@given(FINITE, LANGS, st.integers(min_value=0, max_value=4), st.booleans())
def test_format_then_parse_round_trips(x: float, lang: str, decimals: int, group: bool) -> None:
    text = format_number(x, lang, decimals=decimals, group=group)
    assert parse_number(text, lang, strict=False) == _rounded(x, decimals)


@given(FINITE, LANGS)
def test_format_with_needed_decimals_round_trips(x: float, lang: str) -> None:
    assert parse_number(format_number(x, lang), lang, strict=False) == _rounded(x, 4)


@given(FINITE, LANGS, st.integers(min_value=0, max_value=4))
def test_strict_reading_never_misreads(x: float, lang: str, decimals: int) -> None:
    text = format_number(x, lang, decimals=decimals)
    try:
        value = parse_number(text, "vi" if lang == "en" else "en")  # even in the other language
    except AmbiguousNumberError:
        return
    assert value == _rounded(x, decimals)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_grouping(n: int) -> None:
    vi, en = format_number(n, "vi"), format_number(n, "en")
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*", vi)
    assert vi == f"{n:,}".replace(",", ".") and en == f"{n:,}"
    assert format_number(n, "vi", group=False) == str(n)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999), st.sampled_from(".,"))
def test_a_lone_separator_before_three_digits_is_ambiguous(whole: int, frac: int, sep: str) -> None:
    text = f"{whole}{sep}{frac:03d}"
    thousands, decimal = float(whole * 1000 + frac), float(f"{whole}.{frac:03d}")
    with pytest.raises(AmbiguousNumberError) as info:
        parse_number(text, "vi", strict=True)
    assert (info.value.as_thousands, info.value.as_decimal) == (thousands, decimal)
    vi_reading = thousands if sep == "." else decimal
    en_reading = decimal if sep == "." else thousands
    assert parse_number(text, "vi", strict=False) == vi_reading
    assert parse_number(text, "en", strict=False) == en_reading


@given(st.sampled_from(["nan", "NaN", "inf", "-inf", "+Infinity", "1e400", "-1,5e999"]), LANGS, st.booleans())
def test_non_finite_text_is_refused(text: str, lang: str, strict: bool) -> None:
    with pytest.raises(InputDataError, match="not a finite number"):
        parse_number(text, lang, strict=strict)


# --- columns ----------------------------------------------------------------------------------------------


def test_column_with_a_decimal_comma_reads_ambiguous_cells_as_thousands() -> None:
    col = parse_column(["2.150", "1.234,5", None, "", math.nan, 3, "12,75"])
    assert col.values == [2150.0, 1234.5, None, None, None, 3.0, 12.75]
    assert col.decimal_mark == "," and col.ambiguous == [] and col.problems == [] and col.ok


def test_column_with_a_decimal_point_reads_ambiguous_cells_as_decimals() -> None:
    col = parse_column(["2.150", "1,234.5", "2,150"], lang="vi")  # the column's evidence beats the language
    assert col.values == [2.15, 1234.5, 2150.0]
    assert col.decimal_mark == "." and col.ambiguous == []


def test_a_repeated_separator_is_evidence_too() -> None:
    assert parse_column(["1.234.567", "2.150"]).values == [1234567.0, 2150.0]
    assert parse_column(["1,234,567", "2.150"]).values == [1234567.0, 2.15]


def test_column_without_evidence_lists_the_ambiguous_cells() -> None:
    col = parse_column(["2.150", "3.400", "15"], lang="vi")
    assert col.values == [2150.0, 3400.0, 15.0]
    assert col.decimal_mark is None and col.ambiguous == [(0, "2.150"), (1, "3.400")] and not col.ok
    assert parse_column(["2.150", "15"], lang="en").values == [2.15, 15.0]


def test_conflicting_evidence_goes_to_problems() -> None:
    col = parse_column(["1,5", "2,25", "2.5", "2.150", "x", True])
    assert col.decimal_mark == ","  # two cells prove ",", one proves "."
    assert col.values == [1.5, 2.25, None, 2150.0, None, None]
    assert [(i, t) for i, t, _ in col.problems] == [(2, "2.5"), (4, "x"), (5, "True")]
    assert "'2.5' has '.' as its decimal mark where the column's other values use ','" in col.problems[0][2]
    assert col.ambiguous == [(3, "2.150")]  # read with the column's mark, but the column disagrees with itself


def test_coordinates_with_a_decimal_comma() -> None:
    col = parse_column(["104,4705", "104,470", "22,150"])
    assert col.values == [104.4705, 104.47, 22.15] and col.decimal_mark == "," and col.ok


@given(
    st.lists(st.tuples(st.integers(1, 999), st.integers(0, 999)), min_size=1, max_size=8),
    st.sampled_from([",", "."]),
    LANGS,
)
def test_one_proving_cell_decides_every_ambiguous_one(pairs: list[tuple[int, int]], mark: str, lang: str) -> None:
    group = "." if mark == "," else ","
    cells = [f"{a}{group}{b:03d}" for a, b in pairs]  # all ambiguous: read as thousands under ``mark``
    proof = f"1{mark}5"
    col = parse_column([*cells, proof], lang=lang)
    assert col.decimal_mark == mark and col.ambiguous == [] and col.problems == []
    assert col.values == [float(a * 1000 + b) for a, b in pairs] + [1.5]


@given(st.lists(FINITE, max_size=10), LANGS, st.integers(min_value=0, max_value=4))
def test_a_formatted_column_reads_back(xs: list[float], lang: str, decimals: int) -> None:
    col = parse_column([format_number(x, lang, decimals=decimals) for x in xs], lang=lang)
    assert col.problems == []
    assert col.values == [_rounded(x, decimals) for x in xs]


# --- exports ----------------------------------------------------------------------------------------------


def test_round_measured() -> None:
    assert round_measured(64.9999999236553, AREA_HA_DECIMALS) == 65.0
    assert repr(round_measured(1.23456789, 4)) == "1.2346"
    assert round_measured(2.675, 2) == 2.68
    value = round_measured(-0.00001, 4)
    assert value == 0.0 and math.copysign(1.0, value) == 1.0
    assert (
        round_measured(None, 4) is None and round_measured(math.nan, 4) is None and round_measured(math.inf, 3) is None
    )


@given(FINITE, st.integers(min_value=0, max_value=6))
def test_round_measured_prints_no_more_decimals_than_asked(x: float, decimals: int) -> None:
    value = round_measured(x, decimals)
    assert value is not None and abs(value - x) <= 0.5 * 10**-decimals + abs(x) * 1e-15
    text = repr(value)
    if "e" not in text:
        assert len(text.split(".")[1]) <= max(decimals, 1)

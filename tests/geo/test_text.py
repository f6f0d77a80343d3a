from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.text import fold, matches, nfc


@pytest.mark.parametrize(
    "query, name",
    [
        ("pho rang", "Thị trấn Phố Ràng"),
        ("bao ha", "Xã Bảo Hà"),
        ("DIEN QUAN", "Điện Quan"),
        ("nghia do", "Nghĩa Đô"),
        ("xuan hoa", "Xuân Hòa"),
        ("xuan hoa", "Xuân Hoà"),
    ],
)
def test_search_ignores_diacritics_and_case(query: str, name: str) -> None:
    assert matches(query, name)


def test_search_needs_every_word() -> None:
    assert not matches("bao yen", "Bảo Hà")
    assert matches("ha bao", "Bảo Hà")


def test_nfc_composes_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Phố Ràng")
    assert decomposed != "Phố Ràng"
    assert nfc(decomposed) == "Phố Ràng"


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    once = fold(text)
    assert fold(once) == once


def test_fold_strips_all_vietnamese_marks() -> None:
    letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    folded = fold(letters + letters.upper())
    assert folded.isascii()


def test_the_one_normaliser_of_free_text() -> None:
    from geo.text import header_key, plain, unit_name_key, words

    assert plain("Tre, Vầu") == "tre vau" and plain("bo_de") == "bo de"
    assert words("CCN Phố Ràng (mở rộng)") == ["ccn", "pho", "rang", "mo", "rong"]
    assert header_key("Diện tích (ha)") == "dien tich" and header_key("Kinh_độ") == "kinh do"
    for name in ("Thị trấn Phố Ràng", "TT. Phố Ràng", "tt Phố Ràng", "PHỐ RÀNG"):
        assert unit_name_key(name) == "pho rang", name
    assert unit_name_key("Xã Điện Quan") == "dien quan" and unit_name_key("Xuân Hòa") == "xuan hoa"


@given(st.lists(st.one_of(st.none(), st.text()), max_size=30))
def test_a_text_column_comes_out_in_nfc_value_by_value(values: list[str | None]) -> None:
    import pandas as pd

    from geo.validate import nfc_texts

    column = pd.Series(values, dtype="string")
    out, changed = nfc_texts(column)
    expected = [None if v is None else nfc(v) for v in values]
    assert out.tolist() == expected
    assert changed == (expected != values)


def test_a_column_already_in_nfc_is_left_as_it_is() -> None:
    import pandas as pd

    from geo.validate import nfc_texts

    given = ["Phố Ràng", "Bảo Hà", None, "ascii", "Xã Cam Cọn\n"]
    out, changed = nfc_texts(pd.Series(given, dtype="string"))
    assert not changed and out.tolist() == given
    out, changed = nfc_texts(pd.Series([*given, unicodedata.normalize("NFD", "Lương Sơn")], dtype="string"))
    assert changed and out.tolist() == [*given, "Lương Sơn"]

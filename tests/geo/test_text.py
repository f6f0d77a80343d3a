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

"""Legacy Vietnamese encodings: tables checked against a second converter, detection, GDAL's 1258 damage."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.encoding import (
    codec_from_cpg,
    decode,
    decode_columns,
    decode_tcvn3,
    decode_vni,
    detect,
    encode_cp1258,
    encode_tcvn3,
    encode_vni,
    is_vietnamese_syllable,
    repair_legacy_text,
)
from geo.io import read_vector
from tests.geo.test_io_corpus import NAMES, legacy_shapefile

# Words encoded with an independent converter's tables: khiemdoan/VBKey, Modules/mdlCodeTable.bas
# (TCVN3_TABLE and VNI_WINDOWS_TABLE, stored there as Mac Roman text and turned back into bytes).
# Our tables come from the TCVN 5712:1993 VN3 / VNI-Windows layouts as listed by duydev/vietnamese-conversion.
KNOWN = [
    ("Bảo Yên", b"B\xb6o Y\xaan", b"Ba\xfbo Ye\xe2n"),
    ("Phố Ràng", b"Ph\xe8 R\xb5ng", b"Pho\xe1 Ra\xf8ng"),
    ("Nghĩa Đô", b"Ngh\xdca \xa7\xab", b"Ngh\xf3a \xd1o\xe2"),
    ("Lào Cai", b"L\xb5o Cai", b"La\xf8o Cai"),
    ("đường", b"\xae\xad\xeang", b"\xf1\xf6\xf4\xf8ng"),
    ("Xuân Hòa", b"Xu\xa9n H\xdfa", b"Xua\xe2n Ho\xf8a"),
]


@pytest.mark.parametrize(("text", "tcvn3", "vni"), KNOWN, ids=[k[0] for k in KNOWN])
def test_known_words_decode_and_encode(text: str, tcvn3: bytes, vni: bytes) -> None:
    assert decode_tcvn3(tcvn3) == text
    assert decode_vni(vni) == text
    assert encode_tcvn3(text) == tcvn3
    assert encode_vni(text) == vni
    assert unicodedata.is_normalized("NFC", decode_vni(vni))


def test_published_example_of_a_third_converter() -> None:
    # the README example of convertTcvn3ToUnicode (a public JS snippet): "B¶o Th¾ng" -> "Bảo Thắng"
    assert decode_tcvn3("B¶o Th¾ng".encode("latin-1")) == "Bảo Thắng"
    assert decode_tcvn3("M\xadêng Kh\xad¬ng".encode("latin-1")) == "Mường Khương"


def test_all_caps_words_in_tcvn3_become_capitals() -> None:
    assert decode_tcvn3(encode_tcvn3("PHỐ RÀNG")) == "PHỐ RÀNG"


_LOWER = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ "
vietnamese_letters = st.sampled_from([*_LOWER, "Đ", "Ư", "Ơ", "Â", "Ê", "Ô", "Ă", "B", "L", "Y"])


@given(st.lists(vietnamese_letters, min_size=1, max_size=30).map("".join))
def test_round_trip_any_vietnamese_text(text: str) -> None:
    assert decode_vni(encode_vni(text)) == text
    assert decode(encode_cp1258(text), "cp1258") == text
    lowered = text  # TCVN3 has no toned capitals; all our toned letters are lower case
    assert decode_tcvn3(encode_tcvn3(lowered)).lower() == lowered.lower()


@pytest.mark.parametrize(
    ("encoder", "expected"),
    [(encode_tcvn3, "tcvn3"), (encode_vni, "vni"), (encode_cp1258, "cp1258"), (str.encode, "utf-8")],
)
def test_detection_over_a_field(encoder, expected: str) -> None:  # type: ignore[no-untyped-def]
    det = detect(encoder(n) for n in [*NAMES, "Thượng Hà", "Khuổi Phường", "Cam Cọn", "Điện Quan"])
    assert det.encoding == expected
    assert det.ratio == 1.0


def test_ascii_only_is_ascii() -> None:
    assert detect([b"Pho Rang", b"Bao Yen"]).encoding == "ascii"


def test_syllable_checker() -> None:
    for word in ["nghĩa", "đường", "quyển", "giữa", "khuổi", "hoạch", "xuân"]:
        assert is_vietnamese_syllable(word), word
    for word in ["b¶o", "baûo", "caf\u00e9s", "xyz"]:
        assert not is_vietnamese_syllable(word), word


@pytest.mark.parametrize(
    ("text", "codec"),
    [("UTF-8", "utf-8"), ("1258", "cp1258"), ("ANSI 1258", "cp1258"), ("65001", "utf-8"), ("1252", "cp1252")],
)
def test_cpg_names(text: str, codec: str) -> None:
    assert codec_from_cpg(text) == codec
    assert codec_from_cpg("no such page") is None


def test_gdal_damages_code_page_1258(tmp_path: Path) -> None:
    """Why we decode .dbf bytes ourselves: GDAL's iconv CP1258 drops the last character of each value."""
    shp = legacy_shapefile(tmp_path, encode_cp1258, NAMES, cpg="1258")
    gdal = pyogrio.read_dataframe(shp)
    assert "Bảo Yên" not in set(gdal.iloc[:, 1].map(lambda v: unicodedata.normalize("NFC", v)))
    frame, report = read_vector(shp, crs="EPSG:9208")
    assert list(frame["name"]) == NAMES
    assert report.encoding.startswith("Windows-1258")


@pytest.mark.parametrize(("encoder", "label"), [(encode_tcvn3, "TCVN3"), (encode_vni, "VNI")])
def test_shapefile_without_cpg_is_detected_and_converted(tmp_path: Path, encoder, label: str) -> None:  # type: ignore[no-untyped-def]
    shp = legacy_shapefile(tmp_path, encoder, NAMES, cpg=None)
    frame, report = read_vector(shp, crs="EPSG:9208")
    assert list(frame["name"]) == NAMES
    assert label in report.encoding
    assert report.converted_fields == ["name"]


def test_western_cpg_with_tcvn3_text_is_converted_with_a_warning(tmp_path: Path) -> None:
    shp = legacy_shapefile(tmp_path, encode_tcvn3, NAMES, cpg="1252")
    frame, report = read_vector(shp, crs="EPSG:9208")
    assert list(frame["name"]) == NAMES
    assert any("Western code page" in w for w in report.warnings)


def test_utf8_cpg_is_honoured(tmp_path: Path) -> None:
    shp = legacy_shapefile(tmp_path, str.encode, NAMES, cpg="UTF-8")
    frame, report = read_vector(shp, crs="EPSG:9208")
    assert list(frame["name"]) == NAMES
    assert report.encoding == "UTF-8"
    assert report.converted_fields == []


def test_decode_columns_renames_legacy_field_names() -> None:
    name = encode_tcvn3("tên").decode("latin-1")
    frame = pd.DataFrame({name: [encode_tcvn3("Phố Ràng").decode("latin-1")]})
    out, rep = decode_columns(frame, declared=None)
    assert list(out.columns) == ["tên"]
    assert out.iloc[0, 0] == "Phố Ràng"
    assert rep.encoding == "tcvn3"


def test_repair_legacy_text_leaves_good_unicode_alone() -> None:
    frame = pd.DataFrame({"name": ["Lào Cai", "Bảo Yên", "café"]})
    out, rep = repair_legacy_text(frame)
    assert out.equals(frame)
    assert rep.fields_converted == ()


def test_repair_legacy_text_fixes_text_decoded_as_western() -> None:
    frame = pd.DataFrame({"Text": [encode_tcvn3(n).decode("cp1252", errors="strict") for n in NAMES]})
    out, rep = repair_legacy_text(frame)
    assert list(out["Text"]) == NAMES
    assert rep.encoding == "tcvn3"

"""Attribute text in legacy Vietnamese encodings: .cpg code pages, TCVN3 (ABC) and VNI, detection, NFC.

Why this module exists
----------------------
* GDAL decodes a shapefile's .dbf through iconv. For code page 1258 (``.cpg`` = ``1258``) iconv's CP1258
  converter is stateful and holds back the last character of every value, so GDAL returns "Bảo Yê" for
  "Bảo Yên" (checked with GDAL 3.12 here; ``tests/geo/test_encoding.py`` keeps the proof). The reader
  therefore asks GDAL for the bytes unchanged (as ISO-8859-1, which maps every byte to one code point)
  and decodes them here with Python's codecs.
* Government data made before Unicode carries text in TCVN3 ("ABC", the ``.Vn`` fonts, TCVN 5712:1993 VN3)
  or VNI-Windows, usually without any ``.cpg``. No maintained PyPI package decodes these (searched: only
  unmaintained or document-loader packages), so the tables are written here.

Where the tables come from
--------------------------
Both tables are the published TCVN 5712:1993 VN3 and VNI-Windows layouts, as used by the converters of
Unikey and of the npm package ``vietnamese-conversion`` (duydev/vietnamese-conversion, MIT,
``src/charsets.ts``), which list for each Vietnamese letter its TCVN3 and VNI form. The tests check the
decoders against words encoded with a *second*, independent converter's tables (khiemdoan/VBKey,
``Modules/mdlCodeTable.bas``), so a slip in a table here does not pass unnoticed.

TCVN3 has no precomposed capitals with tone marks (an all-capitals font shows the lower-case codes as
capitals), so a word whose other letters are all capitals is upper-cased after decoding ("PHè" → "PHỐ").
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

import pandas as pd

# --- TCVN3 (ABC, TCVN 5712:1993 VN3): one byte per letter -------------------------------------------------

#: byte -> letter for the bytes where TCVN3 differs from ASCII (0xA1..0xFE).
TCVN3_TO_UNICODE: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ",
    0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip

_TCVN3_TABLE = {b: ch for b, ch in TCVN3_TO_UNICODE.items()}
_UNICODE_TO_TCVN3 = {ch: bytes([b]) for b, ch in TCVN3_TO_UNICODE.items()}

# --- VNI-Windows: a base letter followed by a mark byte --------------------------------------------------

_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"

#: mark bytes (lower-case form, upper-case form) -> combining marks they add to the letter before them.
_VNI_MARKS: dict[tuple[int, int], str] = {
    (0xF8, 0xD8): _GRAVE,
    (0xF9, 0xD9): _ACUTE,
    (0xFB, 0xDB): _HOOK,
    (0xF5, 0xD5): _TILDE,
    (0xEF, 0xCF): _DOT,
    (0xE2, 0xC2): _CIRC,
    (0xEA, 0xCA): _BREVE,
    (0xE1, 0xC1): _CIRC + _ACUTE,
    (0xE0, 0xC0): _CIRC + _GRAVE,
    (0xE5, 0xC5): _CIRC + _HOOK,
    (0xE3, 0xC3): _CIRC + _TILDE,
    (0xE4, 0xC4): _CIRC + _DOT,
    (0xE9, 0xC9): _BREVE + _ACUTE,
    (0xE8, 0xC8): _BREVE + _GRAVE,
    (0xFA, 0xDA): _BREVE + _HOOK,
    (0xFC, 0xDC): _BREVE + _TILDE,
    (0xEB, 0xCB): _BREVE + _DOT,
}
VNI_MARK_BYTES: dict[int, str] = {b: marks for pair, marks in _VNI_MARKS.items() for b in pair}

#: letters VNI writes as one byte.
VNI_LETTERS: dict[int, str] = {
    0xF1: "đ", 0xD1: "Đ", 0xF4: "ơ", 0xD4: "Ơ", 0xF6: "ư", 0xD6: "Ư",
    0xEC: "ì", 0xCC: "Ì", 0xED: "í", 0xCD: "Í", 0xE6: "ỉ", 0xC6: "Ỉ",
    0xF3: "ĩ", 0xD3: "Ĩ", 0xF2: "ị", 0xD2: "Ị", 0xEE: "ỵ", 0xCE: "Ỵ",
}  # fmt: skip

_VOWELS_PLAIN = set("aeiouyAEIOUYơưƠƯ")


def _note(text: str, **coded: object) -> str:
    """A coded notice (geo.safety.CodedNote: the text, with a code and params for the user's language)."""
    from geo.safety import CodedNote

    code = str(coded.pop("code"))
    return CodedNote(text, code=code, **coded)


def decode_tcvn3(raw: bytes) -> str:
    """Decode TCVN3 (ABC) bytes to Unicode NFC."""
    text = "".join(_TCVN3_TABLE.get(b, chr(b)) for b in raw)
    return _capitalise_caps_words(unicodedata.normalize("NFC", text))


def encode_tcvn3(text: str) -> bytes:
    """Encode Unicode text to TCVN3; capitals with a tone mark become the lower-case code (as TCVN3 does)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _UNICODE_TO_TCVN3:
            out += _UNICODE_TO_TCVN3[ch]
        elif ch.lower() in _UNICODE_TO_TCVN3 and ord(ch) > 0x7F:
            out += _UNICODE_TO_TCVN3[ch.lower()]
        else:
            out += ch.encode("ascii")
    return bytes(out)


def decode_vni(raw: bytes) -> str:
    """Decode VNI-Windows bytes to Unicode NFC."""
    parts: list[str] = []
    for b in raw:
        if b in VNI_MARK_BYTES and parts and parts[-1][-1:] in _VOWELS_PLAIN | {"â", "ê", "ô", "Â", "Ê", "Ô"}:
            parts.append(VNI_MARK_BYTES[b])
        elif b in VNI_LETTERS:
            parts.append(VNI_LETTERS[b])
        else:
            parts.append(chr(b))
    return unicodedata.normalize("NFC", "".join(parts))


_VNI_BASES = {v: bytes([k]) for k, v in VNI_LETTERS.items() if v in "đĐơƠưƯ"}
_VNI_SINGLE = {v: bytes([k]) for k, v in VNI_LETTERS.items() if v not in "đĐơƠưƯ"}
_MARKS_TO_VNI: dict[tuple[str, bool], bytes] = {
    (marks, upper): bytes([pair[1] if upper else pair[0]])
    for pair, marks in _VNI_MARKS.items()
    for upper in (False, True)
}


def encode_vni(text: str) -> bytes:
    """Encode Unicode text to VNI-Windows (base letter + mark byte)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out += ch.encode("ascii")
            continue
        if ch in _VNI_SINGLE:
            out += _VNI_SINGLE[ch]
            continue
        if ch in _VNI_BASES:
            out += _VNI_BASES[ch]
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        if _HORN in marks:  # ơ / ư are single bytes in VNI, tone follows
            horn = unicodedata.normalize("NFC", base + _HORN)
            out += _VNI_BASES[horn]
            marks = marks.replace(_HORN, "")
        else:
            out += base.encode("ascii")
        if marks:
            # VNI puts the circumflex/breve first, then the tone, as one mark byte
            order = sorted(marks, key=lambda m: 0 if m in (_CIRC, _BREVE) else 1)
            out += _MARKS_TO_VNI[("".join(order), base.isupper())]
    return bytes(out)


_CAPS_WORD = re.compile(r"\w+")


def _capitalise_caps_words(text: str) -> str:
    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters):
            return word.upper()
        return word

    return _CAPS_WORD.sub(fix, text)


# --- Windows code page 1258 (Vietnamese, with combining tone marks) ---------------------------------------

_TONES = {_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT}


def encode_cp1258(text: str) -> bytes:
    """Encode Unicode text to code page 1258 (precomposed base letters, separate tone marks)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        out += base.encode("cp1258") + "".join(c for c in d if c in _TONES).encode("cp1258")
    return bytes(out)


# --- code pages ---------------------------------------------------------------------------------------

LEGACY_VIETNAMESE = ("tcvn3", "vni")

_CPG_ALIASES = {
    "UTF8": "utf-8",
    "UTF-8": "utf-8",
    "65001": "utf-8",
    "1258": "cp1258",
    "CP1258": "cp1258",
    "WINDOWS-1258": "cp1258",
    "ANSI1258": "cp1258",
    "1252": "cp1252",
    "ANSI1252": "cp1252",
    "88591": "latin-1",
    "ISO88591": "latin-1",
    "LATIN1": "latin-1",
    "TCVN3": "tcvn3",
    "TCVN": "tcvn3",
    "ABC": "tcvn3",
    "VNI": "vni",
}

#: dBASE language driver ids (byte 29 of the header) that name a code page; 0 means "not said".
LDID_CODECS = {0x01: "cp437", 0x02: "cp850", 0x03: "cp1252", 0x57: "cp1252", 0x58: "cp1252", 0x59: "cp1252"}


def codec_from_cpg(text: str) -> str | None:
    """Python codec (or ``"tcvn3"``/``"vni"``) for the contents of a ``.cpg`` file; None when unknown."""
    key = re.sub(r"[\s_]", "", text.strip().upper())
    if key in _CPG_ALIASES:
        return _CPG_ALIASES[key]
    try:
        return codecs.lookup(text.strip()).name
    except LookupError:
        digits = key.removeprefix("ANSI").removeprefix("CP").removeprefix("WINDOWS-")
        if digits.isdigit():
            try:
                return codecs.lookup(f"cp{digits}").name
            except LookupError:
                return None
        return None


def decode(raw: bytes, encoding: str) -> str:
    """Decode bytes in ``encoding`` (a Python codec, ``"tcvn3"`` or ``"vni"``) to Unicode NFC.

    Raises
    ------
    UnicodeDecodeError
        When the bytes are not valid in a strict codec (UTF-8).
    """
    if encoding == "tcvn3":
        return decode_tcvn3(raw)
    if encoding == "vni":
        return decode_vni(raw)
    return unicodedata.normalize("NFC", raw.decode(encoding))


def recover_bytes(text: str) -> bytes | None:
    """The bytes a single-byte decoding (ISO-8859-1, then cp1252) turned into ``text``; None if neither fits."""
    for codec in ("latin-1", "cp1252"):
        try:
            return text.encode(codec)
        except UnicodeEncodeError:
            continue
    return None


# --- is it Vietnamese? --------------------------------------------------------------------------------

_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]"
#: vowel clusters that may take a final consonant, and those that end in a semivowel and may not
_NUCLEI_OPEN = "iê|oa|oă|oe|oo|uâ|uê|uô|uơ|uy|ươ|uyê|yê|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
_NUCLEI_CLOSED = "iêu|yêu|oai|oao|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu"
_CODAS = "ch|ng|nh|c|m|n|p|t"
_SYLLABLE = re.compile(rf"^(?:{_ONSETS})?(?:(?:{_NUCLEI_OPEN})(?:{_CODAS})?|(?:{_NUCLEI_CLOSED}))$")
_SPLIT = re.compile(r"[\s0-9!-/:-@\[-`{-~]+")


def _strip_tone(token: str) -> tuple[str, int]:
    d = unicodedata.normalize("NFD", token)
    tones = sum(1 for c in d if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES)), tones


def is_vietnamese_syllable(token: str) -> bool:
    """True when ``token`` is spelled like a Vietnamese syllable (onset, vowel cluster, coda, ≤ 1 tone)."""
    bare, tones = _strip_tone(token.lower())
    return tones <= 1 and bool(_SYLLABLE.match(bare))


def vietnamese_score(texts: Iterable[str]) -> tuple[int, int]:
    """(valid, total) over the tokens that hold a non-ASCII character: how Vietnamese the texts read."""
    valid = total = 0
    for text in texts:
        for token in _SPLIT.split(text):
            if token and not token.isascii():
                total += 1
                valid += is_vietnamese_syllable(token)
    return valid, total


# --- detection ----------------------------------------------------------------------------------------

#: candidates tried on bytes of unknown encoding, in order of preference when they score alike
CANDIDATES: tuple[str, ...] = ("utf-8", "tcvn3", "vni", "cp1258", "cp1252")

ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "cp1258": "Windows-1258 (Vietnamese)",
    "tcvn3": "TCVN3 (ABC)",
    "vni": "VNI-Windows",
    "cp1252": "Windows-1252 (Western)",
    "latin-1": "ISO-8859-1",
    "ascii": "ASCII",
}


@dataclass(frozen=True)
class Detection:
    """The encoding chosen for a set of byte strings, and the score of every candidate tried."""

    encoding: str
    #: candidate -> (valid Vietnamese tokens, tokens with non-ASCII letters); None if it cannot decode
    scores: Mapping[str, tuple[int, int] | None] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        s = self.scores.get(self.encoding)
        return s[0] / s[1] if s and s[1] else 1.0


def detect(samples: Iterable[bytes]) -> Detection:
    """Choose the encoding of byte strings that carry Vietnamese text.

    ASCII-only samples give ``"ascii"``. Otherwise every candidate of :data:`CANDIDATES` decodes the
    samples and the one whose tokens read most like Vietnamese syllables wins (ties go to the earlier
    candidate, so valid UTF-8 beats everything).
    """
    data = [s for s in samples if s and not s.isascii()]
    if not data:
        return Detection("ascii", {})
    scores: dict[str, tuple[int, int] | None] = {}
    for enc in CANDIDATES:
        try:
            scores[enc] = vietnamese_score(decode(s, enc) for s in data)
        except UnicodeDecodeError:
            scores[enc] = None
    best = max(
        (enc for enc in CANDIDATES if scores[enc] is not None),
        key=lambda e: (_ratio(scores[e]), -CANDIDATES.index(e)),
    )
    return Detection(best, scores)


def _ratio(score: tuple[int, int] | None) -> float:
    if not score:
        return -1.0
    valid, total = score
    return valid / total if total else 1.0


@dataclass(frozen=True)
class TextRepair:
    """What :func:`decode_columns` or :func:`repair_legacy_text` did to a frame's text."""

    encoding: str
    #: where the encoding came from: "cpg", "ldid", "detected", "utf-8" (valid UTF-8), "ascii", "as read"
    source: str
    fields_converted: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    columns_renamed: Mapping[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)


# --- whole frames -------------------------------------------------------------------------------------

FrameT = TypeVar("FrameT", bound=pd.DataFrame)

_WESTERN = {"cp1252", "latin-1", "iso8859-1", "cp437", "cp850"}


def _text_columns(frame: pd.DataFrame) -> list[str]:
    cols = []
    for name in frame.columns:
        s = frame[name]
        if name == getattr(frame, "_geometry_column_name", None):
            continue
        if pd.api.types.is_string_dtype(s.dtype) or s.dtype == object:
            cols.append(name)
    return cols


def _map_column(s: pd.Series, func: Callable[[str], str]) -> pd.Series:
    uniques = {v for v in s.dropna().unique() if isinstance(v, str)}
    table = {v: func(v) for v in uniques}
    return s.map(lambda v: table.get(v, v) if isinstance(v, str) else v).astype(s.dtype)


def decode_columns(
    frame: FrameT, *, declared: str | None, ldid: int | None = None, label: str = "the file"
) -> tuple[FrameT, TextRepair]:
    """Decode a frame whose text was read byte-for-byte as ISO-8859-1 (a .dbf read with ``encoding="latin1"``).

    ``declared`` is the codec named by the ``.cpg`` (see :func:`codec_from_cpg`) or None. The declared code
    page is honoured, except that UTF-8 which is not valid UTF-8 falls back to detection, and a Western
    code page (1252, Latin-1) whose text reads clearly as TCVN3 or VNI is decoded as that (Western code
    pages cannot hold Vietnamese, so such a .cpg was written by a tool that did not know); both say so.
    Values and column names are both decoded; the result is Unicode NFC.
    """
    cols = _text_columns(frame)
    raw_values = [v.encode("latin-1") for c in cols for v in frame[c].dropna().unique() if isinstance(v, str)]
    raw_names = [str(c).encode("latin-1", errors="replace") for c in frame.columns]
    samples = raw_values + raw_names
    warnings: list[str] = []
    detection = detect(samples)
    encoding: str
    source: str
    if declared is not None:
        encoding, source = declared, "cpg"
        if declared == "utf-8" and detection.scores.get("utf-8") is None and detection.encoding != "ascii":
            encoding, source = detection.encoding, "detected"
            warnings.append(
                _note(
                    f"{label}: its .cpg says UTF-8 but the text is not UTF-8; read it as {ENCODING_LABELS[encoding]}",
                    code="encoding.not_unicode",
                    source=label,
                    encoding=ENCODING_LABELS[encoding],
                )
            )
        elif (
            declared in _WESTERN
            and detection.encoding in LEGACY_VIETNAMESE
            and detection.ratio >= 0.9
            and _ratio(detection.scores.get("cp1252")) < 0.5
        ):
            encoding, source = detection.encoding, "detected"
            warnings.append(
                _note(
                    f"{label}: its .cpg names a Western code page but the text is {ENCODING_LABELS[encoding]}; "
                    "converted to Unicode",
                    code="encoding.legacy_vietnamese",
                    source=label,
                    encoding=ENCODING_LABELS[encoding],
                )
            )
    elif detection.encoding == "ascii":
        encoding, source = "ascii", "ascii"
    else:
        encoding, source = detection.encoding, "detected"
        if encoding == "cp1252" and ldid in LDID_CODECS:
            encoding, source = LDID_CODECS[ldid], "ldid"

    def conv(value: str) -> str:
        raw = value.encode("latin-1")
        if raw.isascii():
            return value
        try:
            return decode(raw, "latin-1" if encoding == "ascii" else encoding)
        except UnicodeDecodeError:
            return decode(raw, "cp1258")

    out = frame.copy()
    converted: list[str] = []
    for c in cols:
        has_high = any(isinstance(v, str) and not v.isascii() for v in frame[c].dropna().unique())
        out[c] = _map_column(frame[c], conv)
        if has_high and encoding not in ("utf-8", "ascii"):
            converted.append(str(c))
    renamed = {c: conv(c) for c in frame.columns if isinstance(c, str) and not c.isascii()}
    if renamed:
        out = out.rename(columns=renamed)
    final_cols = [renamed.get(c, c) for c in converted]
    return out, TextRepair(encoding, source, tuple(final_cols), tuple(warnings), renamed)


def repair_legacy_text(frame: FrameT, *, label: str = "the file") -> tuple[FrameT, TextRepair]:
    """Find TCVN3/VNI/1258 text that a reader decoded as a Western code page, and convert it to Unicode.

    For formats whose text GDAL decodes itself (DXF, DGN, KML, GeoJSON, GeoPackage, CSV...): values made
    only of Latin-1/cp1252 characters are turned back into their bytes and tried as the legacy Vietnamese
    encodings. The frame is converted only when a legacy reading is clearly more Vietnamese than the text
    as read; otherwise it is returned unchanged.
    """
    cols = _text_columns(frame)
    recoverable: dict[str, bytes] = {}
    for c in cols:
        for v in frame[c].dropna().unique():
            if isinstance(v, str) and not v.isascii():
                raw = recover_bytes(v)
                if raw is not None:
                    recoverable[v] = raw
    if not recoverable:
        return frame, TextRepair("utf-8", "as read")
    as_read = _ratio(vietnamese_score(recoverable))
    best_enc, best_ratio = "", -1.0
    for enc in ("tcvn3", "vni", "cp1258"):
        try:
            r = _ratio(vietnamese_score(decode(b, enc) for b in recoverable.values()))
        except UnicodeDecodeError:
            continue
        if r > best_ratio:
            best_enc, best_ratio = enc, r
    if best_ratio < 0.7 or best_ratio < as_read + 0.3:
        return frame, TextRepair("utf-8", "as read")

    def conv(value: str) -> str:
        raw = recoverable.get(value)
        return decode(raw, best_enc) if raw is not None else value

    out = frame.copy()
    converted = []
    for c in cols:
        if any(isinstance(v, str) and v in recoverable for v in frame[c].dropna().unique()):
            out[c] = _map_column(frame[c], conv)
            converted.append(str(c))
    return out, TextRepair(
        best_enc,
        "detected",
        tuple(converted),
        (f"{label}: text in {', '.join(converted)} was {ENCODING_LABELS[best_enc]}; converted to Unicode",),
    )

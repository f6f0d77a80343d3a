"""The word lists of the language scans (issue 11, §5): English words on Vietnamese pages, and the reverse.

Both lists are built from the app's own labels (``ui.i18n.TEXT``), not typed in:

* English words: the words of the English labels that no Vietnamese label uses (so names, units and codes
  that both languages write — Bảo Yên, EPSG, VN-2000, ha, GeoJSON — drop out by themselves), minus
  :data:`ENGLISH_ALLOWED`.
* Vietnamese words: the words with Vietnamese letters (diacritics, đ) of the Vietnamese labels that no English
  label uses (names written in English labels too, such as Phố Ràng, drop out), minus :data:`VIETNAMESE_ALLOWED`.
  The data a page shows as it is (feature names, the plan's sentences, the authored notes, all Vietnamese) is left
  out where the page is scanned: the words of the store's values (:func:`store_words`) count only on Vietnamese
  pages.

What is not a word of a language: text in ``code`` (field names and values as files write them, shown so on
purpose, e.g. the status codes beside their Vietnamese words), identifiers (``cluster_lots``, ``ccn_mau.lot1``),
paths and URLs, all-capital abbreviations (EPSG, WKT, MDF), and a layer id in brackets after its title.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from layers.catalogue import CATALOGUE
from ui.i18n import TEXT

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_CODE_SPAN = re.compile(r"`[^`]*`")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_CODE_TOKEN = re.compile(r"\S*(?:[_/@\\]|\w\.\w|://)\S*")
_CAPS = re.compile(r"\b[A-ZĐ]{2,}\b")

#: English words that may stand on a Vietnamese page, with the reason
ENGLISH_ALLOWED: dict[str, str] = {
    "shapefile": "a file format's name (Vietnamese GIS users write it so)",
    "excel": "a program's name",
    "leaflet": "the map library's name, in its attribution",
    "openstreetmap": "a proper name",
    "esri": "a proper name",
    "geopackage": "a file format's name",
    "geoparquet": "a file format's name",
    "flatgeobuf": "a file format's name",
    "microstation": "a program's name",
    "autocad": "a program's name",
    "voronoi": "a mathematician's name",
    "make_valid": "shapely's function name",
}
#: Vietnamese words that may stand on an English page, with the reason
VIETNAMESE_ALLOWED: dict[str, str] = {
    "tiếng": "the language picker writes each language in itself (Tiếng Việt)",
    "việt": "the language picker writes each language in itself (Tiếng Việt); also in names (Việt Nam)",
}


def words(text: str) -> set[str]:
    """The words of ``text``, lower-cased (placeholders left out)."""
    return {w.lower() for w in WORD.findall(_PLACEHOLDER.sub(" ", text))}


def _label_words(text: str) -> set[str]:
    """The words of a label, without its code (the status codes a Vietnamese label names are not Vietnamese)."""
    return words(_CODE_SPAN.sub(" ", text))


def has_vietnamese_letter(word: str) -> bool:
    """Whether ``word`` has a letter English does not write: a diacritic, or đ."""
    return any(unicodedata.combining(c) or c in "đĐ" for c in unicodedata.normalize("NFD", word))


@functools.cache
def english_words() -> frozenset[str]:
    """The English UI words, from the English labels (see the module's docstring)."""
    vi = set().union(*(_label_words(v) for v, _ in TEXT.values()))
    en = set().union(*(_label_words(e) for _, e in TEXT.values()))
    return frozenset(w for w in en - vi - set(ENGLISH_ALLOWED) if len(w) >= 3 and not has_vietnamese_letter(w))


@functools.cache
def vietnamese_words() -> frozenset[str]:
    """The Vietnamese UI words, from the Vietnamese labels (see the module's docstring)."""
    vi = set().union(*(_label_words(v) for v, _ in TEXT.values()))
    en = set().union(*(_label_words(e) for _, e in TEXT.values()))
    return frozenset(w for w in vi - en - set(VIETNAMESE_ALLOWED) if has_vietnamese_letter(w))


@functools.cache
def _layer_id_in_brackets() -> re.Pattern[str]:
    ids = sorted((layer.id for layer in CATALOGUE), key=len, reverse=True)
    return re.compile(r"\((?:" + "|".join(re.escape(i) for i in ids) + r")\)")


def prose(text: str) -> str:
    """``text`` without what is not a word of a language: code, identifiers, paths, abbreviations, layer ids."""
    text = _CODE_SPAN.sub(" ", text)
    text = _layer_id_in_brackets().sub(" ", text)
    text = _CODE_TOKEN.sub(" ", text)
    return _CAPS.sub(" ", text)


def foreign_words(text: str, lang: str, *, data: frozenset[str] = frozenset()) -> set[str]:
    """The words of the other language found in ``text`` shown in ``lang`` ("vi": English words, else Vietnamese).

    ``data``: words of the store's own values (feature names, sources), which an English page shows as they are;
    they count only on English pages (on a Vietnamese page an English value is what the scan is for).
    """
    wanted = english_words() if lang == "vi" else vietnamese_words() - data
    return words(prose(text)) & wanted


def report(found: dict[str, dict[str, str]]) -> str:
    """Where each foreign word was seen: ``{place: {word: the line it is in}}`` as readable lines."""
    return "\n".join(
        f"{place}: {word!r} in {line[:160]!r}" for place, hits in found.items() for word, line in hits.items()
    )


def scan(texts: dict[str, str], lang: str, *, data: frozenset[str] = frozenset()) -> dict[str, dict[str, str]]:
    """``{place: {word: line}}`` of the foreign words in each place's text (a line per hit, for the message)."""
    out: dict[str, dict[str, str]] = {}
    for place, text in texts.items():
        for line in text.splitlines():
            for word in foreign_words(line, lang, data=data):
                out.setdefault(place, {}).setdefault(word, line.strip())
    return out


def store_words(store: object) -> frozenset[str]:
    """The words of every text value of every layer and table of ``store`` (a :class:`layers.store.Store`): data."""
    out: set[str] = set()
    frames = [store.read_layer(layer_id) for layer_id in store.layer_ids()]  # type: ignore[attr-defined]
    frames += [store.read_table(name) for name in store.table_names()]  # type: ignore[attr-defined]
    for frame in frames:
        geometry = frame.geometry.name if hasattr(frame, "geometry") else None
        for col in frame.columns:
            if col == geometry or str(frame[col].dtype) not in ("object", "string", "str"):
                continue
            for value in frame[col].dropna().unique():
                out |= words(str(value))
    return frozenset(out)

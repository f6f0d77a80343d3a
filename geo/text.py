"""Vietnamese text helpers: Unicode NFC everywhere, and a folded key for diacritic-insensitive search."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the one form the project stores and shows."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Search key: no diacritics, đ → d, case-folded, single spaces.

    >>> fold("  Phố  Ràng ")
    'pho rang'
    >>> fold("ĐIỆN QUAN") == fold("dien quan")
    True
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACE.sub(" ", stripped.casefold()).strip()


def matches(query: str, text: str) -> bool:
    """True when every word of ``query`` occurs in ``text``, ignoring diacritics and case."""
    hay = fold(text)
    return all(word in hay for word in fold(query).split())

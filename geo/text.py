"""Vietnamese text helpers: Unicode NFC everywhere, and the one normaliser of free text the project compares by.

:func:`fold` is the search key (no diacritics, đ → d, case-folded); :func:`plain` also turns punctuation into
single spaces ("Tre, Vầu" → "tre vau"); :func:`words` splits that; :func:`header_key` is a column header's key
(bracketed units dropped: "Diện tích (ha)" → "dien tich"); :func:`unit_name_key` an administrative unit's name
without its kind ("Thị trấn Phố Ràng" → "pho rang"). Every comparison of names, headers and species goes
through these, so that a name that matches in one place matches everywhere.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_BRACKETED = re.compile(r"[(\[].*?[)\]]")
#: the kinds of administrative unit a name may start with (folded), longest first
UNIT_KINDS: tuple[str, ...] = ("thi tran", "phuong", "commune", "town", "xa", "tt")


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


def plain(text: object) -> str:
    """Folded text with every run of punctuation or spaces as one space: ``"Tre, Vầu"`` → ``"tre vau"``."""
    return _NON_WORD.sub(" ", fold(nfc(str(text)))).strip()


def words(text: object) -> list[str]:
    """The words of :func:`plain` text."""
    return plain(text).split()


def header_key(text: object) -> str:
    """A column header's key: bracketed parts (units) dropped, then :func:`plain`."""
    return plain(_BRACKETED.sub("", str(text)))


def unit_name_key(name: object) -> str:
    """An administrative unit's name without its kind: ``"Thị trấn Phố Ràng"``, ``"TT. Phố Ràng"`` → ``"pho rang"``."""
    key = plain(name)
    for kind in UNIT_KINDS:
        if key.startswith(kind + " "):
            return key[len(kind) + 1 :]
    return key

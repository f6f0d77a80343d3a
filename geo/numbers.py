"""Numbers as Vietnamese and English readers write them: one place to format them and to read them back.

Vietnamese writes ``.`` between thousands and ``,`` before the decimals (``6.699,5``, ``1,07``,
``210.000``); English does the reverse (``6,699.5``). Everything a page, a report or a command shows goes
through :func:`format_number` and its small relatives, so one figure never appears in two styles side by
side; everything a planner types or a file holds goes through :func:`parse_number` (one value) or
:func:`parse_column` (a column, which decides its decimal mark from its own cells).

Text that two readings fit is the danger: ``2.150`` is two thousand one hundred and fifty to a Vietnamese
reader and two point one five to an English one. A lone ``.`` or ``,`` followed by exactly three digits
(and preceded by one to three digits, not a lone ``0``) is such text. :func:`parse_number` refuses it by
default (:class:`AmbiguousNumberError`, naming both readings); a caller for whom the language is
authoritative passes ``strict=False`` and gets the language's reading. :func:`parse_column` reads such
cells with the mark the other cells of the column prove, and lists them when the column proves nothing.

Machine-readable output (CSV, XLSX, JSON) keeps plain floats with a dot but rounded to what the
measurement supports (:func:`round_measured`, :data:`AREA_HA_DECIMALS`, :data:`PCT_DECIMALS`).

This module knows nothing about the plan.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Literal, SupportsFloat

import numpy as np
import pandas as pd

from geo.errors import InputDataError

DecimalMark = Literal[",", "."]

#: The languages numbers are written in.
LANGS: tuple[str, ...] = ("vi", "en")

#: What a missing or non-finite value is shown as.
MISSING_TEXT = "—"

#: Most decimals ``format_number(..., decimals=None)`` shows (trailing zeros are then dropped).
MAX_DECIMALS = 4

#: Decimals of an area in hectares in machine-readable output: 0.0001 ha is 1 m², finer than any survey here.
AREA_HA_DECIMALS = 4

#: Decimals of a percentage in machine-readable output (a thousandth of a percent point).
PCT_DECIMALS = 3

_MARKS: dict[str, tuple[DecimalMark, str]] = {"vi": (",", "."), "en": (".", ",")}
_LANG_NAMES = {"vi": "Vietnamese", "en": "English"}
# room for the 309 digits of the largest double; Decimal formatting then never fails
_CONTEXT = Context(prec=400, rounding=ROUND_HALF_UP)


class AmbiguousNumberError(InputDataError):
    """Text that reads as two different numbers (``2.150``: 2150 or 2.15) and no language was authoritative.

    Attributes
    ----------
    text : str
        The text as given.
    as_thousands : float
        The reading with the separator between thousands (Vietnamese ``2.150``, English ``2,150``).
    as_decimal : float
        The reading with the separator as the decimal mark.
    """

    def __init__(self, text: str, *, as_thousands: float, as_decimal: float, lang: str = "vi") -> None:
        sep = "." if "." in text else ","
        thousands = format_number(as_thousands, lang, group=False)
        decimal = format_number(as_decimal, lang, group=False)
        super().__init__(
            f"{text!r} is ambiguous: {thousands} if '{sep}' separates thousands, {decimal} if '{sep}' is the "
            f"decimal mark; write {thousands} or {decimal} to say which",
            code="number.ambiguous",
            text=text,
            as_thousands=as_thousands,
            as_decimal=as_decimal,
        )
        self.text = text
        self.as_thousands = as_thousands
        self.as_decimal = as_decimal


def _marks(lang: str) -> tuple[DecimalMark, str]:
    try:
        return _MARKS[lang]
    except KeyError:
        raise ValueError(f"no number style for language {lang!r}; use one of {', '.join(LANGS)}") from None


def decimal_mark(lang: str = "vi") -> DecimalMark:
    """The decimal mark of ``lang``: ``","`` for Vietnamese, ``"."`` for English."""
    return _marks(lang)[0]


# --- formatting -------------------------------------------------------------------------------------------


def _finite(value: object) -> float | None:
    """The value as a finite float, or None when it is missing (None, NaN, pd.NA) or infinite."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)):
        # float("2.150") is 2.15: text is read with parse_number, never here
        raise TypeError(f"{value!r} is text, not a number; read it with parse_number first")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        if value is pd.NA or value is pd.NaT:
            return None
        raise TypeError(f"{value!r} is not a number to format") from None
    return number if math.isfinite(number) else None


def format_number(
    value: SupportsFloat | None, lang: str = "vi", *, decimals: int | None = None, group: bool = True
) -> str:
    """A number as ``lang`` writes it: ``6.699,5`` (vi) or ``6,699.5`` (en); ``—`` when missing.

    Parameters
    ----------
    value
        Any real number (int, float, numpy scalar, Decimal). None, NaN, pd.NA and ±inf give
        :data:`MISSING_TEXT`.
    lang
        ``"vi"`` (``.`` groups thousands, ``,`` is the decimal mark) or ``"en"`` (the reverse).
    decimals
        Exactly this many decimals (rounded half away from zero, on the value as Python prints it, so
        2.675 shows as 2,68). None: as many as the value needs, up to :data:`MAX_DECIMALS`, trailing zeros
        dropped (``1.07`` → ``1,07``, ``210000.0`` → ``210.000``, ``0.123456`` → ``0,1235``).
    group
        Separate thousands (``210.000``); False for numbers read as codes, such as years (``2025``).

    Raises
    ------
    ValueError
        For an unknown ``lang`` or negative ``decimals``.
    TypeError
        When ``value`` is not a number (text included: read it with :func:`parse_number` first).
    """
    dec, grp = _marks(lang)
    if decimals is not None and decimals < 0:
        raise ValueError(f"decimals must be 0 or more, not {decimals}")
    number = _finite(value)
    if number is None:
        return MISSING_TEXT
    places = MAX_DECIMALS if decimals is None else decimals
    exact = Decimal(repr(abs(number)))
    rounded = exact.quantize(Decimal(1).scaleb(-places), context=_CONTEXT)
    text = format(rounded, ",f" if group else "f")
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    negative = number < 0 and rounded != 0
    text = text.translate({ord(","): grp, ord("."): dec})
    return f"-{text}" if negative else text


def format_pct(value: SupportsFloat | None, lang: str = "vi", *, decimals: int | None = 1) -> str:
    """A percentage (``value`` in percent, 39.2 not 0.392) as ``39,2 %`` (vi) or ``39.2 %`` (en).

    Both languages put a space before ``%``: Vietnamese administrative documents write it so, and English
    follows the SI/ISO 80000 style, which keeps a bilingual report alike in both. ``decimals`` as for
    :func:`format_number` (1 by default). A missing value gives ``—`` without the sign.
    """
    text = format_number(value, lang, decimals=decimals)
    return text if text == MISSING_TEXT else f"{text} %"


def format_amount(value: SupportsFloat | None, unit: str, lang: str = "vi", *, decimals: int | None = None) -> str:
    """A quantity with its unit label: ``5.224,5 tỷ đồng``, ``12 MW``; ``—`` (no unit) when missing.

    ``unit`` is written as given (already in ``lang``); ``decimals`` as for :func:`format_number`.
    """
    text = format_number(value, lang, decimals=decimals)
    return text if text == MISSING_TEXT or not unit else f"{text} {unit}"


def format_area_ha(value: SupportsFloat | None, lang: str = "vi", *, decimals: int | None = 2) -> str:
    """An area in hectares: ``1,07 ha`` (vi), ``1.07 ha`` (en); two decimals (100 m²) by default."""
    return format_amount(value, "ha", lang, decimals=decimals)


def round_measured(value: SupportsFloat | None, decimals: int) -> float | None:
    """A float for machine-readable output, rounded to what the measurement supports; None when missing.

    Exports keep plain floats (a dot, no grouping) so that other programs read them, but not the
    floating-point noise of a computation (``64.9999999236553`` → ``65.0`` at 4 decimals). Use
    :data:`AREA_HA_DECIMALS` for hectares (1 m²) and :data:`PCT_DECIMALS` for percentages. Rounding is half
    away from zero on the value as Python prints it, as :func:`format_number` does; ``-0.0`` becomes
    ``0.0``. None, NaN and ±inf give None.
    """
    number = _finite(value)
    if number is None:
        return None
    rounded = float(Decimal(repr(number)).quantize(Decimal(1).scaleb(-decimals), context=_CONTEXT))
    return rounded + 0.0  # -0.0 + 0.0 is 0.0


# --- parsing ----------------------------------------------------------------------------------------------

# every kind of space a spreadsheet or a word processor puts between thousands
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " "})
_MINUS = str.maketrans({"\u2212": "-", "\u2012": "-"})


def _pattern(dec: str, grp: str) -> re.Pattern[str]:
    d, g = re.escape(dec), re.escape(grp)
    grouped = rf"[1-9]\d{{0,2}}(?:{g}\d{{3}})+"
    spaced = r"[1-9]\d{0,2}(?: \d{3})+"
    return re.compile(
        rf"(?P<sign>[+-]?)(?:(?P<int>{grouped}|{spaced}|\d+)(?:{d}(?P<frac>\d*))?|{d}(?P<lead>\d+))"
        r"(?P<exp>[eE][+-]?\d+)?"
    )


_READINGS: dict[DecimalMark, re.Pattern[str]] = {",": _pattern(",", "."), ".": _pattern(".", ",")}


def _clean(text: str) -> str:
    return text.translate(_SPACES).translate(_MINUS).strip()


def _reading(text: str, mark: DecimalMark) -> float | None:
    """The value of ``text`` read with ``mark`` as the decimal mark, or None when it is not a number so."""
    m = _READINGS[mark].fullmatch(text)
    if m is None:
        return None
    whole = re.sub(r"[ .,]", "", m["int"] or "0")
    frac = m["frac"] if m["frac"] is not None else (m["lead"] or "")
    return float(f"{m['sign']}{whole}.{frac or '0'}{m['exp'] or ''}")


@dataclass(frozen=True)
class _Cell:
    """What one text says: its readings and the decimal mark it proves, if any."""

    comma: float | None  # read with "," as the decimal mark
    dot: float | None  # read with "." as the decimal mark

    @property
    def proves(self) -> DecimalMark | None:
        if self.comma is not None and self.dot is None:
            return ","
        if self.dot is not None and self.comma is None:
            return "."
        return None

    @property
    def ambiguous(self) -> bool:
        return self.comma is not None and self.dot is not None and self.comma != self.dot

    def value(self, mark: DecimalMark) -> float:
        chosen = self.comma if mark == "," else self.dot
        other = self.dot if mark == "," else self.comma
        result = chosen if chosen is not None else other
        assert result is not None  # a _Cell has at least one reading
        return result


def _not_a_number(text: object) -> InputDataError:
    return InputDataError(f"{text!r} is not a number", code="number.invalid", text=str(text))


def _not_finite(text: object) -> InputDataError:
    return InputDataError(f"{text!r} is not a finite number", code="number.not_finite", text=str(text))


def _read_cell(text: str) -> _Cell:
    """Both readings of a text; InputDataError when it is no number at all, or not a finite one."""
    raw = _clean(text)
    if not raw:
        raise InputDataError("the text is empty; a number is expected", code="number.empty", text=text)
    cell = _Cell(_reading(raw, ","), _reading(raw, "."))
    if cell.comma is None and cell.dot is None:
        try:
            special = float(raw)  # "nan", "inf", "Infinity": Python reads them, a planner should not
        except ValueError:
            raise _not_a_number(text) from None
        raise _not_finite(text) if not math.isfinite(special) else _not_a_number(text)
    if any(v is not None and not math.isfinite(v) for v in (cell.comma, cell.dot)):
        raise _not_finite(text)
    return cell


def _plain(value: object) -> float | None:
    """A number given as a number (not text) as a float, or None when ``value`` is text."""
    if isinstance(value, str):
        return None
    if isinstance(value, bool) or value is None:
        raise _not_a_number(value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _not_a_number(value) from None
    if not math.isfinite(number):
        raise _not_finite(value)
    return number


def parse_number(text: object, lang: str = "vi", *, strict: bool = True) -> float:
    """Read one number as a planner types it or a file holds it.

    Accepted: ints and floats (returned as float); text with either language's marks when only one reading
    fits it: ``6.699,5`` and ``6,699.5`` (both marks: the last one is the decimal mark), ``1,5`` and
    ``1.5``, ``6.554.500`` (a repeated mark groups thousands), ``0,150`` (a lone 0 is never a thousands
    group), ``2 150,5`` (spaces, also no-break and thin ones, group thousands), ``1e3``, ``−5`` (typographic
    minus). Text that both readings fit (``2.150``, ``2,150``: one separator followed by exactly three
    digits) raises :class:`AmbiguousNumberError` unless ``strict`` is False, in which case ``lang`` decides:
    in Vietnamese ``2.150`` is 2150 and ``2,150`` is 2.15; in English the reverse.

    Parameters
    ----------
    text
        The text or number.
    lang
        The language whose reading wins when ``strict`` is False (``"vi"`` or ``"en"``).
    strict
        True (the default): refuse ambiguous text. False: the caller states that ``lang`` is how the text
        was written.

    Raises
    ------
    AmbiguousNumberError
        Ambiguous text in strict mode (code ``number.ambiguous``; ``params`` hold both readings).
    InputDataError
        Text that is no number (``number.invalid``), empty text (``number.empty``), NaN or infinity
        (``number.not_finite``), None or a bool (``number.invalid``).
    """
    mark = decimal_mark(lang)
    plain = _plain(text)
    if plain is not None:
        return plain
    assert isinstance(text, str)
    cell = _read_cell(text)
    if cell.ambiguous:
        if strict:
            assert cell.comma is not None and cell.dot is not None
            as_thousands, as_decimal = (cell.comma, cell.dot) if "." in text else (cell.dot, cell.comma)
            raise AmbiguousNumberError(text, as_thousands=as_thousands, as_decimal=as_decimal, lang=lang)
        return cell.value(mark)
    return cell.value(cell.proves or mark)


@dataclass(frozen=True)
class ColumnNumbers:
    """A column of values read as numbers by :func:`parse_column`.

    Attributes
    ----------
    values
        One float per input value, None for blanks and for the cells listed in ``problems``.
    decimal_mark
        The decimal mark the column's own cells prove (``","`` or ``"."``), or None when none proves one.
        With conflicting evidence it is the mark most cells prove (the language's on a tie).
    ambiguous
        ``(index, text)`` of the cells two readings fit (``2.150``) that the column's evidence did not
        settle: they were read with ``lang``'s mark and the caller must say so. Indexes are 0-based
        positions in the input.
    problems
        ``(index, text, reason)`` of the cells that are no number, not finite, or prove the other mark than
        the column's (conflicting evidence).
    """

    values: list[float | None]
    decimal_mark: DecimalMark | None
    ambiguous: list[tuple[int, str]] = field(default_factory=list)
    problems: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every non-blank cell was read without doubt."""
        return not (self.ambiguous or self.problems)


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and bool(np.isnan(value))


def parse_column(values: Iterable[object], lang: str = "vi") -> ColumnNumbers:
    """Read a column of numbers, deciding its decimal mark from the column's own cells.

    A cell proves ``,`` is the decimal mark when only that reading fits it (``1,5``, ``1.234,5``,
    ``1.234.567``); it proves ``.`` likewise (``1.5``, ``1,234.5``). Cells that both readings fit
    (``2.150``) are read with the proven mark. When no cell proves a mark they are read with ``lang``'s
    and listed in :attr:`ColumnNumbers.ambiguous`; the caller reports them (never silently). When cells
    prove both marks, the mark more cells prove wins (``lang``'s on a tie), each cell proving the other goes
    to :attr:`ColumnNumbers.problems`, and the ambiguous cells are read with the winning mark but still
    listed. Numbers (not text) are taken as they are; blanks (None, NaN, empty text) give None.
    """
    lang_mark = decimal_mark(lang)
    out: list[float | None] = []
    cells: dict[int, _Cell] = {}
    texts: dict[int, str] = {}
    problems: list[tuple[int, str, str]] = []
    for i, v in enumerate(values):
        out.append(None)
        if _is_blank(v):
            continue
        try:
            plain = _plain(v)
            if plain is not None:
                out[i] = plain
                continue
            texts[i] = str(v)
            cells[i] = _read_cell(texts[i])
        except InputDataError as exc:
            problems.append((i, str(v), str(exc)))
    proofs = {mark: [i for i, c in cells.items() if c.proves == mark] for mark in (",", ".")}
    if proofs[","] and proofs["."]:
        n_comma, n_dot = len(proofs[","]), len(proofs["."])
        mark: DecimalMark | None = lang_mark if n_comma == n_dot else ("," if n_comma > n_dot else ".")
        conflict = True
    else:
        mark = "," if proofs[","] else "." if proofs["."] else None
        conflict = False
    ambiguous: list[tuple[int, str]] = []
    for i, c in cells.items():
        text = texts[i]
        if c.proves is not None and c.proves != mark:
            grp = "." if mark == "," else ","
            problems.append(
                (
                    i,
                    text,
                    f"{text!r} has '{c.proves}' as its decimal mark where the column's other values use "
                    f"'{mark}' (and '{grp}' between thousands); write it as they do",
                )
            )
            continue
        if c.ambiguous and (mark is None or conflict):
            ambiguous.append((i, text))
        out[i] = c.value(mark or lang_mark)
    problems.sort()
    return ColumnNumbers(out, mark, ambiguous, problems)

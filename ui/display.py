"""How pages write the store's own values for a planner: who changed a layer, when, and the project's own notes.

The store records ``system`` for the project's own build, and the build, the use cases and the store write fixed
English notes ("import …", "3 feature(s)"); a page shows them in the page's language (the stored values stay as they
are, for the command line and the audit).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from geo.numbers import MISSING_TEXT, format_number
from ui.i18n import t

#: the user names the store itself records -> i18n key of their label
_EDITORS: dict[str, str] = {
    "system": "display.user.system",
    "unknown": "display.user.unknown",
    "": "display.user.unknown",
}
#: the notes the project itself writes on a version or an audit entry (layers.build, the use cases, the store), and
#: the i18n key each is shown with; a planner's own note matches none and is shown as it was written. Tried in order:
#: a note may hold another (an import's note, then the store's feature count after it)
_NOTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^built from the project's data/$"), "display.note.built"),
    (re.compile(r"^built from the project's data/ \((?P<n>\d+) feature\(s\)\)$"), "display.note.built_n"),
    (re.compile(r"^(?P<note>.+) \((?P<n>\d+) feature\(s\)\)$"), "display.note.features"),
    (re.compile(r"^(?P<n>\d+) feature\(s\)$"), "display.note.features_only"),
    (re.compile(r"^(?P<note>.+) \((?P<n>\d+) row\(s\)\)$"), "display.note.rows"),
    (re.compile(r"^(?P<n>\d+) row\(s\)$"), "display.note.rows_only"),
    (re.compile(r"^appended (?P<n>\d+) row\(s\)$"), "display.note.appended"),
    (re.compile(r"^set (?P<key>\S+)$"), "display.note.set"),
    (re.compile(r"^import (?P<source>.+)$"), "display.note.import"),
    (re.compile(r"^rebuilt from (?P<note>.+)$"), "display.note.rebuilt"),
    (re.compile(r"^re-derived from (?P<note>.+)$"), "display.note.rederived"),
    (
        re.compile(r"^boundaries from (?P<source>.+): (?P<matched>\d+) of (?P<units>\d+) units matched$"),
        "display.note.boundaries",
    ),
    (re.compile(r"^(?P<n>\d+) candidate sites \(min (?P<ha>[\d.]+) ha\)$"), "display.note.sites"),
)


def editor_label(user: object, lang: str) -> str:
    """A stored user name as the page shows it: the project's own ``system`` and a missing name in words."""
    name = "" if user is None or (isinstance(user, float) and pd.isna(user)) else str(user)
    key = _EDITORS.get(name)
    return t(key, lang) if key else name


#: how a version came to be (the store's ``origin``), as i18n keys ``display.origin.<origin>``
ORIGINS: tuple[str, ...] = ("authored", "derived", "imported", "edited", "sample")


def origin_label(origin: object, lang: str) -> str:
    """A version's origin in words; an origin this table does not know as it is."""
    text = "" if origin is None else str(origin)
    return t(f"display.origin.{text}", lang) if text in ORIGINS else text


def version_note(message: object, lang: str) -> str:
    """A version's note or an audit summary: the project's own notes in ``lang``, a planner's note as written."""
    text = "" if message is None else str(message)
    for pattern, key in _NOTES:
        hit = pattern.match(text)
        if hit is None:
            continue
        parts = hit.groupdict()
        if "note" in parts:
            parts["note"] = version_note(parts["note"], lang)
        if "ha" in parts and lang == "vi":
            parts["ha"] = parts["ha"].replace(".", ",")
        return t(key, lang).format(**parts)
    return text


def when_text(at: object, lang: str) -> str:
    """A stored time (ISO 8601) as the page writes it: ``dd/mm/yyyy HH:MM`` in Vietnamese, ISO-like in English."""
    if at is None or at == "" or (isinstance(at, float) and pd.isna(at)):
        return "-"
    moment = pd.Timestamp(str(at))
    return moment.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")


def date_format(lang: str) -> str:
    """The format of a day in a table column (``st.column_config.DateColumn``): dd/mm/yyyy in Vietnamese."""
    return "DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD"


def number_table(frame: pd.DataFrame, lang: str, *, grouped: tuple[str, ...] = ()) -> Any:
    """``frame`` for ``st.dataframe`` with its numbers written as ``lang`` writes them (``6.699,5`` in Vietnamese).

    A pandas Styler: the table keeps the numbers (it still sorts them as numbers) and shows the display text.
    Real columns show as many decimals as each value has (up to four); whole-number columns are left as they are
    (years, versions, ranks) unless named in ``grouped`` (counts, which then get thousands separators).
    """
    formats: dict[str, Any] = {}
    for col in frame.columns:
        kind = frame[col].dtype.kind
        if kind == "f" or (kind in "iu" and col in grouped):
            formats[col] = lambda v, _lang=lang: format_number(v, _lang)
    return frame.style.format(formats, na_rep=MISSING_TEXT) if formats else frame

"""How pages write the store's own values for a planner: who changed a layer, when, and the project's own notes.

The store records ``system`` for the project's own build, and its build writes a fixed English note; a page shows
both in the page's language (the stored values stay as they are, for the command line and the audit).
"""

from __future__ import annotations

import re

import pandas as pd

from ui.i18n import t

#: the user names the store itself records -> i18n key of their label
_EDITORS: dict[str, str] = {
    "system": "display.user.system",
    "unknown": "display.user.unknown",
    "": "display.user.unknown",
}
#: the note layers.build writes on each version it builds from data/, with its optional feature count
_BUILT = re.compile(r"^built from the project's data/(?: \((\d+) feature\(s\)\))?$")


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
    """A version's note; the project's own build note in ``lang``, a planner's note as it was written."""
    text = "" if message is None else str(message)
    hit = _BUILT.match(text)
    if hit is None:
        return text
    if hit.group(1) is None:
        return t("display.note.built", lang)
    return t("display.note.built_n", lang).format(n=hit.group(1))


def when_text(at: object, lang: str) -> str:
    """A stored time (ISO 8601) as the page writes it: ``dd/mm/yyyy HH:MM`` in Vietnamese, ISO-like in English."""
    if at is None or at == "" or (isinstance(at, float) and pd.isna(at)):
        return "-"
    moment = pd.Timestamp(str(at))
    return moment.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")


def date_format(lang: str) -> str:
    """The format of a day in a table column (``st.column_config.DateColumn``): dd/mm/yyyy in Vietnamese."""
    return "DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD"

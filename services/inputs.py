"""Reading a planner's file as an input to a use case, with one meaning of "the CRS" everywhere.

``assume_crs`` is the CRS to assume when the file declares none (a file that declares one keeps it);
``override_crs`` replaces a declared CRS and the read report warns that it did. Both are the same for every
use case, the pages' and the commands'. Whichever CRS applies in the end (declared, assumed or overridden),
data that then lies outside Vietnam is refused by the reader (``crs.outside_vietnam``), never kept with a
warning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from geo.crs import parse_epsg
from geo.errors import InputDataError
from geo.io import MissingCRSError, ReadReport, read_vector
from geo.limits import Limits


@dataclass(frozen=True)
class CrsChoice:
    """What the person said about a file's CRS (each an ``EPSG:n`` text, or None)."""

    assume: str | None = None
    override: str | None = None

    @classmethod
    def of(cls, assume: str | int | None = None, override: str | int | None = None) -> CrsChoice:
        """Normalise the person's values (``9208``, ``"epsg:9208"`` …) to ``EPSG:n``."""
        return cls(
            assume=f"EPSG:{parse_epsg(str(assume))}" if assume not in (None, "") else None,
            override=f"EPSG:{parse_epsg(str(override))}" if override not in (None, "") else None,
        )

    def first_try(self) -> str | None:
        """The CRS to read with first: the override, else the file's own."""
        return self.override


def read_input(
    path: str | Path,
    *,
    what: str,
    crs: CrsChoice | None = None,
    limits: Limits | None = None,
    layer: str | None = None,
    may_be_empty: bool = False,
) -> tuple[gpd.GeoDataFrame, ReadReport]:
    """Read one input file; refuse it on the reader's blocking problems.

    Raises
    ------
    MissingCRSError
        The file declares no CRS and none is assumed.
    CRSError
        The data lies outside Vietnam in the CRS that applies (code ``crs.outside_vietnam``).
    InputDataError
        The reader found problems that block its use (the first is named, with how many more).
    """
    crs = crs or CrsChoice()
    try:
        frame, report = read_vector(path, layer=layer, crs=crs.first_try(), limits=limits)
    except MissingCRSError:
        if crs.assume is None:
            raise
        frame, report = read_vector(path, layer=layer, crs=crs.assume, limits=limits)
    if report.features == 0 and may_be_empty:
        return frame, report
    if report.errors:
        raise InputDataError(
            f"{what}: {report.errors[0]}"
            + (f" (and {len(report.errors) - 1} more problem(s))" if len(report.errors) > 1 else ""),
            code="input.refused",
            what=what,
            first=report.errors[0],
            more=len(report.errors) - 1,
        )
    return frame, report


def parse_day(text: str | dt.date | None, *, what: str) -> dt.date | None:
    """A day from ISO text (``2025-12-31``) or Vietnamese ``31/12/2025``; None stays None."""
    if text is None or isinstance(text, dt.date):
        return text
    value = str(text).strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        raise InputDataError(
            f"{what} '{value}' is not a date; write it as 2025-12-31 or 31/12/2025",
            code="input.bad_date",
            what=what,
            value=value,
        ) from None

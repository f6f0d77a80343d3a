"""Configurable limits for reading untrusted files (uploads, archives, XML, JSON): sizes, counts, time.

Every read of a file a user gives us is bounded: its size, what an archive may expand to, how many members
and features it may hold, how long a text value may be, and how long the whole read may take. Counts are
checked before anything is buffered wherever the format allows it (an archive's directory, a shapefile's
index, a GeoPackage's tables, the features of a GeoJSON or KML text), and GDAL is never asked for more
features than the limit allows. The time limit is checked between the stages of a read (:class:`Deadline`)
and inside the SQLite queries the checks run themselves; one GDAL call cannot be interrupted, which is why
the counts bound what each call may do.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from geo.errors import UnsafeInputError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Limits applied when reading a file a user gives us.

    All sizes are in bytes. The defaults suit a planning office: large enough for a province's cadastral
    layer, small enough that a hostile archive cannot fill the disk or the memory, and that a read ends
    in about a minute.
    """

    upload_bytes: int = 200 * MB
    archive_uncompressed_bytes: int = 2048 * MB
    archive_ratio: float = 100.0
    #: an archive holding this many members or more is refused
    archive_members: int = 10_000
    json_depth: int = 64
    #: coordinates beyond this magnitude (in any CRS unit) are absurd for Lào Cai
    coordinate_magnitude: float = 1e8
    #: a layer (or table, or sheet) with more features (rows) than this is refused before it is read
    max_features: int = 500_000
    #: a read that takes longer than this (seconds) is stopped at its next stage and refused
    max_seconds: float = 120.0
    #: a text value (attribute, cell, JSON string) longer than this many characters is refused
    max_text_chars: int = 100_000
    #: a member of an archive whose name (path inside the archive) is longer than this is refused
    archive_name_chars: int = 1_000

    def deadline(self) -> Deadline:
        """A :class:`Deadline` for one read, starting now."""
        return Deadline(self.max_seconds)

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, base: Limits | None = None) -> Limits:
        """Limits from ``BAOYEN_LIMIT_<FIELD>`` values of ``env`` (e.g. ``BAOYEN_LIMIT_MAX_FEATURES=100000``).

        The caller passes its environment (``os.environ``) once, at the edge; a value that is not a positive
        number is ignored, so a typo keeps the default rather than lifting a limit.
        """
        out = base or cls()
        changes: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"BAOYEN_LIMIT_{f.name.upper()}", "").strip()
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                continue
            if value > 0 and value == value and value != float("inf"):
                changes[f.name] = int(value) if isinstance(getattr(out, f.name), int) else value
        return replace(out, **changes) if changes else out  # type: ignore[arg-type]


@dataclass
class Deadline:
    """The time one read may take; :meth:`check` refuses the read once it has run out.

    Parameters
    ----------
    seconds
        The time allowed, from creation.
    """

    seconds: float
    start: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        """Seconds since the read began."""
        return time.monotonic() - self.start

    def expired(self) -> bool:
        """True when the time allowed has run out."""
        return self.elapsed > self.seconds

    def check(self, label: str) -> None:
        """Raise :class:`~geo.errors.UnsafeInputError` (code ``input.too_slow``) when the time has run out."""
        if self.expired():
            raise too_slow(label, self.seconds)


def too_slow(label: str, seconds: float) -> UnsafeInputError:
    """The error of a read that ran out of time."""
    return UnsafeInputError(
        f"{label} took longer than {seconds:g} seconds to read and was stopped; split it into smaller files",
        code="input.too_slow",
        source=label,
        seconds=float(seconds),
    )


def too_many_features(label: str, count: int | None, limit: int, *, what: str = "features") -> UnsafeInputError:
    """The error of a source with more features (rows, placemarks) than the limit; ``count`` when known."""
    said = f"holds {count:,} {what}" if count is not None else f"holds more than {limit:,} {what}"
    return UnsafeInputError(
        f"{label} {said}, above the limit of {limit:,}; split it into smaller files",
        code="input.too_many_features",
        source=label,
        count=count if count is not None else limit + 1,
        limit=limit,
    )


def text_too_long(
    label: str,
    chars: int,
    limit: int,
    *,
    field: str | None = None,
    feature: int | None = None,
    line: int | None = None,
) -> UnsafeInputError:
    """The error of a text value longer than the limit, located by field and feature (or line) when known."""
    parts = [f"field {field}" if field else "", f"feature {feature}" if feature else "", f"line {line}" if line else ""]
    where = " of ".join(p for p in parts[:2] if p) or parts[2] or "a value"
    return UnsafeInputError(
        f"{label}: {where} holds a text of {chars:,} characters, above the limit of {limit:,}; "
        "shorten it or keep long documents outside the layer",
        code="input.text_too_long",
        source=label,
        where=where,
        chars=chars,
        limit=limit,
        **{k: v for k, v in (("field", field), ("feature", feature), ("line", line)) if v},
    )

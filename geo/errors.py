"""The exception family of the project.

Every error a user can cause derives from :class:`PlanError`; the UI and the CLI catch only that root
and show its message, which names the problem and the fix. Subclasses also inherit the built-in they
resemble (as rasterio and pyogrio do), so callers may catch ``ValueError`` or ``OSError`` too.
Anything else that escapes is a bug and should surface.
"""

from __future__ import annotations


class PlanError(Exception):
    """Root of every error the project raises on purpose."""


class InputDataError(PlanError, ValueError):
    """Input data is wrong: bad values, bad geometry, unknown fields, wrong CRS."""


class CRSError(InputDataError):
    """The coordinate reference system is missing, unknown or implausible."""


class UnsafeInputError(InputDataError):
    """Input looks hostile or broken: archive bombs, path traversal, XML entities, truncation."""


class DataSourceError(PlanError, OSError):
    """A file or data source cannot be opened or read."""


class StoreError(PlanError, OSError):
    """The project store cannot be opened, read or written."""


class LayerNotFoundError(StoreError, KeyError):
    """A layer id that the store does not hold."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""

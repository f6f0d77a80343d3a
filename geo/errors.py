"""The exception family of the project.

Every error a user can cause derives from :class:`PlanError`; the UI and the CLI catch only that root.
Its message, in English, names the problem and what to provide in words; its ``code`` and ``params`` let
an edge compose the message in the user's language (``services.messages.describe``) and add its own hint
(a flag for the command line, a widget for a page). Subclasses also inherit the built-in they
resemble (as rasterio and pyogrio do), so callers may catch ``ValueError`` or ``OSError`` too.
Anything else that escapes is a bug and should surface.
"""

from __future__ import annotations


class PlanError(Exception):
    """Root of every error the project raises on purpose.

    Parameters
    ----------
    message
        The message in plain English: what is wrong and what to provide, in words. It is the fallback
        text; it never names a command-line flag or a page widget (the edges add those as hints).
    code
        A stable dotted id of the problem (``"crs.missing"``, ``"store.layer_missing"``), or None for an
        error that has no code yet. Edges translate by this code, never by matching the message.
    **params
        The values a message in another language needs (file label, layer names, the guess, ...).

    Attributes
    ----------
    code : str or None
        As given.
    params : dict
        The keyword values given, by name.
    """

    def __init__(self, message: str = "", *, code: str | None = None, **params: object) -> None:
        super().__init__(*((message,) if message else ()))
        self.code = code
        self.params: dict[str, object] = dict(params)


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

"""Who acts, and on which store: what every use case is given.

The entry tier (pages, commands) builds one :class:`Actor` per request from its settings and passes it to every
use case that writes. The next step (logins and roles) adds the role here and the permission check in the use
cases; nothing else has to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.build import BuildReport as BuildReport
from layers.build import ensure_store, init_store
from layers.settings import Settings
from layers.store import Store


@dataclass(frozen=True)
class Actor:
    """The person a change is recorded for."""

    user: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Actor:
        """The acting user of a single-user run: ``BAOYEN_USER``, else the OS user."""
        return cls(user=settings.user)


def open_store(settings: Settings, *, create: bool = True) -> Store:
    """The settings' store, built from the project's data first when it does not exist yet.

    A GeoPackage file, or the PostGIS store of a ``postgresql://`` URL (built inside that database).
    """
    return ensure_store(settings, create=create)


def initialise_store(settings: Settings) -> BuildReport:
    """Build the store if missing, else bring its authored layers up to date (imported layers are kept)."""
    return init_store(settings)

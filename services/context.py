"""Who acts, and on which store: what every use case is given.

The entry tier (pages, commands) gets one :class:`Actor` per request from :mod:`services.accounts` (a sign-in or a
session) and passes it to every use case that writes; the use case checks what that actor may do.
"""

from __future__ import annotations

from dataclasses import dataclass

from layers.build import BuildReport as BuildReport
from layers.build import ensure_store, init_store
from layers.settings import Settings
from layers.store import SYSTEM_USER, Store


@dataclass(frozen=True)
class Actor:
    """The person a change is made by, and how they were recognised.

    Made only by :mod:`services.accounts` (a sign-in with a password, a session token) — the entry tier never
    builds one (``tests/test_architecture.py``) — or for the project's own builds (:data:`SYSTEM`). Every use case
    that writes checks the actor against the store at the moment of the change (``services.accounts.require``).
    """

    user: str
    #: "password" (signed in just now), "session" (a session token), "system" (the project's own build), "none"
    via: str = "none"
    #: signed in with a one-time password that must be changed before any other change
    must_change: bool = False

    @property
    def signed_in(self) -> bool:
        """True for a person recognised by a password or a live session."""
        return bool(self.user) and self.via in ("password", "session")


#: nobody signed in: may read, may change nothing
NOBODY = Actor("", via="none")
#: the project's own build from data/ (and the synthetic sample), recorded as "system"
SYSTEM = Actor(SYSTEM_USER, via="system")


def open_store(settings: Settings, *, create: bool = True) -> Store:
    """The settings' store, built from the project's data first when it does not exist yet.

    A GeoPackage file, or the PostGIS store of a ``postgresql://`` URL (built inside that database).
    """
    return ensure_store(settings, create=create)


def initialise_store(settings: Settings) -> BuildReport:
    """Build the store if missing, else bring its authored layers up to date (imported layers are kept)."""
    return init_store(settings)

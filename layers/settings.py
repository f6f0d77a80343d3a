"""Settings in one typed object, read from the environment once at the edge and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from geo.limits import MB, Limits

#: The project's authored data, shipped with the code.
DATA_DIR = Path(__file__).resolve().parents[1] / "data"
#: a store location starting so is a PostgreSQL database (the PostGIS store), not a file
STORE_URL_SCHEMES = ("postgresql://", "postgres://")


def is_store_url(where: object) -> bool:
    """True when ``where`` is a ``postgresql://`` (or ``postgres://``) URL: a PostGIS store, not a file."""
    return isinstance(where, str) and where[:13].lower().startswith(STORE_URL_SCHEMES)


def default_store_path() -> Path:
    """Per-user store outside the repository: ``$XDG_DATA_HOME/baoyen/baoyen.gpkg``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "baoyen" / "baoyen.gpkg"


@dataclass(frozen=True)
class Settings:
    """Paths, language and limits for one run of the app or the CLI.

    ``store_path`` is where the store is: the :class:`~pathlib.Path` of a GeoPackage, or, for a shared PostGIS
    store, its ``postgresql://`` URL as given (a ``str``; see :attr:`store_url`). ``str(store_path)`` is the
    location either way, and ``Settings.from_env(store=str(settings.store_path))`` finds the same store again.
    """

    store_path: Path | str
    data_dir: Path = DATA_DIR
    language: str = "vi"
    limits: Limits = field(default_factory=Limits)
    #: the user name commands sign in with (BAOYEN_USER; ``--user`` wins), "" when none is given
    user: str = ""
    #: the first admin's password when the office chooses it (BAOYEN_ADMIN_PASSWORD), else a one-time one is made
    admin_password: str | None = field(default=None, repr=False)
    #: "changes" (viewing needs no sign-in; only on this machine) or "all" (every page needs one) — BAOYEN_LOGIN
    login: str = "changes"

    def __post_init__(self) -> None:
        if not isinstance(self.store_path, Path) and not is_store_url(self.store_path):
            object.__setattr__(self, "store_path", Path(self.store_path))  # a file given as text is still a file

    @property
    def store_url(self) -> str | None:
        """The ``postgresql://`` URL of a PostGIS store, or None for a GeoPackage file."""
        return self.store_path if isinstance(self.store_path, str) else None

    @classmethod
    def from_env(cls, *, store: str | os.PathLike[str] | None = None, language: str | None = None) -> Settings:
        """Build settings from explicit values, then ``BAOYEN_*`` environment variables, then defaults.

        ``BAOYEN_STORE`` (store path, or the ``postgresql://`` URL of a PostGIS store), ``BAOYEN_LANG`` (vi|en),
        ``BAOYEN_USER``, ``BAOYEN_ADMIN_PASSWORD`` (the first admin's, on a new store), ``BAOYEN_LOGIN``
        (changes|all), ``BAOYEN_UPLOAD_MB``.
        """
        env = os.environ
        given = store if store else env.get("BAOYEN_STORE") or None
        location: Path | str
        if is_store_url(given):
            location = str(given)
        else:
            store_path = Path(given) if given else None
            location = (store_path or default_store_path()).expanduser()
        lang = language or env.get("BAOYEN_LANG", "vi")
        if lang not in ("vi", "en"):
            lang = "vi"
        limits = Limits()
        if env.get("BAOYEN_UPLOAD_MB", "").isdigit():
            limits = Limits(upload_bytes=int(env["BAOYEN_UPLOAD_MB"]) * MB)
        limits = Limits.from_env(env, base=limits)  # BAOYEN_LIMIT_MAX_FEATURES, _MAX_SECONDS, ...
        user = env.get("BAOYEN_USER", "").strip()
        login = env.get("BAOYEN_LOGIN", "changes").strip().lower()
        return cls(
            store_path=location,
            language=lang,
            limits=limits,
            user=user,
            admin_password=env.get("BAOYEN_ADMIN_PASSWORD") or None,
            login=login if login in ("changes", "all") else "changes",
        )

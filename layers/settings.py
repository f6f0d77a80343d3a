"""Settings in one typed object, read from the environment once at the edge and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from geo.limits import MB, Limits

#: The project's authored data, shipped with the code.
DATA_DIR = Path(__file__).resolve().parents[1] / "data"


def default_store_path() -> Path:
    """Per-user store outside the repository: ``$XDG_DATA_HOME/baoyen/baoyen.gpkg``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "baoyen" / "baoyen.gpkg"


@dataclass(frozen=True)
class Settings:
    """Paths, language and limits for one run of the app or the CLI."""

    store_path: Path
    data_dir: Path = DATA_DIR
    language: str = "vi"
    limits: Limits = field(default_factory=Limits)
    #: who edits, recorded with every write (the OS user unless BAOYEN_USER says otherwise)
    user: str = "unknown"

    @classmethod
    def from_env(cls, *, store: str | os.PathLike[str] | None = None, language: str | None = None) -> Settings:
        """Build settings from explicit values, then ``BAOYEN_*`` environment variables, then defaults.

        ``BAOYEN_STORE`` (store path), ``BAOYEN_LANG`` (vi|en), ``BAOYEN_USER``, ``BAOYEN_UPLOAD_MB``.
        """
        env = os.environ
        store_path = Path(store) if store else Path(env["BAOYEN_STORE"]) if env.get("BAOYEN_STORE") else None
        lang = language or env.get("BAOYEN_LANG", "vi")
        if lang not in ("vi", "en"):
            lang = "vi"
        limits = Limits()
        if env.get("BAOYEN_UPLOAD_MB", "").isdigit():
            limits = Limits(upload_bytes=int(env["BAOYEN_UPLOAD_MB"]) * MB)
        user = env.get("BAOYEN_USER") or env.get("USER") or env.get("USERNAME") or "unknown"
        return cls(
            store_path=(store_path or default_store_path()).expanduser(),
            language=lang,
            limits=limits,
            user=user,
        )

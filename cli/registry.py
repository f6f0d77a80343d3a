"""The command registry: each command module registers its name, summary, options and handler once."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from cli.output import Ctx

Configure = Callable[[argparse.ArgumentParser, str], None]
Handler = Callable[[Ctx], int]


@dataclass(frozen=True)
class Command:
    """One ``baoyen`` subcommand: its name, its summary in Vietnamese and English, its options and handler."""

    name: str
    summary_vi: str
    summary_en: str
    configure: Configure
    run: Handler

    def summary(self, lang: str) -> str:
        """The one-line summary in ``lang``."""
        return self.summary_en if lang == "en" else self.summary_vi


COMMANDS: dict[str, Command] = {}


def command(name: str, *, vi: str, en: str, configure: Configure) -> Callable[[Handler], Handler]:
    """Register the decorated handler as the subcommand ``name``."""

    def register(run: Handler) -> Handler:
        if name in COMMANDS:
            raise RuntimeError(f"command {name} registered twice")
        COMMANDS[name] = Command(name, vi, en, configure, run)
        return run

    return register

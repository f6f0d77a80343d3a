"""What a command prints: results on stdout (a table, CSV or one JSON object), messages on stderr.

Messages follow ``--lang`` / ``BAOYEN_LANG`` (Vietnamese by default); JSON keys and exit codes never change with
the language. A failure the person can fix is one line: the message composed in their language from the error's
code, and the command-line hint for it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.errors import PlanError
from geo.numbers import format_number, format_pct
from layers.settings import Settings
from layers.store import Store
from services.context import Actor, open_store


class CommandFailed(Exception):
    """Raised by a handler to stop with an exit status; the message is already in the person's language."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _clean(value: Any) -> Any:
    """Make values JSON-safe: NaN → null, numpy scalars → Python, sets/tuples → lists."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit_json(obj: dict[str, Any]) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(json.dumps(_clean(obj), ensure_ascii=False, indent=2) + "\n")


def say(message: str) -> None:
    """A message for the person, on stderr (stdout is kept for results)."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def write(line: str = "") -> None:
    """A line of results on stdout."""
    sys.stdout.write(line + "\n")


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    """Print a plain, aligned text table on stdout."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if n == 0:
            sys.stdout.write("  ".join("-" * w for w in widths) + "\n")


def describe_error(exc: PlanError, lang: str, *, command: str | None = None) -> str:
    """The error in ``lang`` with the command-line hint for its code, when there is one."""
    from cli.hints import cli_hint
    from services.messages import describe

    text = describe(exc, lang)
    hint = cli_hint(exc, lang, command=command)
    return f"{text} ({hint})" if hint else text


@dataclass
class Ctx:
    """What a handler is given: its parsed options, the settings, the language, and the store on demand."""

    args: argparse.Namespace
    settings: Settings
    lang: str
    command: str
    _store: Store | None = field(default=None, repr=False)

    def t(self, vi: str, en: str) -> str:
        """The text in this run's language."""
        return en if self.lang == "en" else vi

    @property
    def actor(self) -> Actor:
        """The person this run acts for."""
        return Actor.from_settings(self.settings)

    def store(self, *, create: bool = True) -> Store:
        """The store of ``--store`` / ``BAOYEN_STORE``, built from the project's data when missing."""
        if self._store is None:
            self._store = open_store(self.settings, create=create)
        return self._store

    def num(self, value: float | None, decimals: int | None = None) -> str:
        """A number in this run's locale ("6.699,5" in Vietnamese)."""
        return format_number(value, self.lang, decimals=decimals)

    def ha(self, value: float | None, decimals: int = 4) -> str:
        """Hectares in this run's locale, e.g. "1,0724 ha"."""
        return f"{format_number(value, self.lang, decimals=decimals)} ha"

    def pct(self, value: float | None, decimals: int = 2) -> str:
        """A percentage in this run's locale, e.g. "39,20 %"."""
        return format_pct(value, self.lang, decimals=decimals)

    def number(self, text: str | None, flag: str, *, positive: bool = False) -> float | None:
        """The number an option gives (Vietnamese or English writing), None when not given; refused when negative."""
        from geo.numbers import parse_number

        if text is None:
            return None
        try:
            value = parse_number(str(text), self.lang)
        except PlanError:
            raise CommandFailed(
                self.t(f"{flag} '{text}' không phải là số", f"{flag} '{text}' is not a number")
            ) from None
        if value < 0 or (positive and value == 0):
            raise CommandFailed(
                self.t(f"{flag} {text} phải là số dương", f"{flag} {text} must be a positive number")
                if positive
                else self.t(f"{flag} {text} không được âm", f"{flag} {text} must be a non-negative number")
            )
        return value

    def yes(self, flag: bool) -> str:
        """Yes or no in this run's language."""
        return self.t("có", "yes") if flag else self.t("không", "no")

    def warn(self, message: str) -> None:
        """A warning line on stderr."""
        say(f"{self.t('cảnh báo', 'warning')}: {message}")

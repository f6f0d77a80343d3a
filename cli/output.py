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
from services.accounts import AuthError, first_start, sign_in
from services.context import Actor, open_store
from services.messages import describe


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

    _actor: Actor | None = field(default=None, repr=False)

    @property
    def actor(self) -> Actor:
        """The person this run acts for, signed in on the store (once per run; see :meth:`sign_in`)."""
        if self._actor is None:
            self._actor = self.sign_in(self.store())
        return self._actor

    def sign_in(self, store: Store) -> Actor:
        """Sign in on ``store`` (the use case refuses a missing name or a wrong password, in one line).

        The name comes from ``--user`` or ``BAOYEN_USER``, the password from ``BAOYEN_PASSWORD`` or a prompt.
        """
        name = getattr(self.args, "user", None) or self.settings.user
        if not name:
            raise AuthError("a change needs a user name and password", code="auth.sign_in_required")
        prompt = self.t(f"Mật khẩu của {name}: ", f"Password for {name}: ")
        return sign_in(store, name, self.password("BAOYEN_PASSWORD", prompt))

    def password(self, variable: str, prompt: str, *, confirm: str | None = None) -> str:
        """A password from the environment variable ``variable``, else typed on the terminal (not echoed)."""
        import getpass
        import os

        given = os.environ.get(variable)
        if given:
            return given
        if not sys.stdin.isatty():
            raise CommandFailed(
                self.t(
                    f"không có mật khẩu: đặt {variable} hoặc chạy lệnh trong một terminal để nhập",
                    f"no password: set {variable} or run the command in a terminal to type it",
                )
            )
        typed = getpass.getpass(prompt)
        if confirm is not None and getpass.getpass(confirm) != typed:
            raise CommandFailed(self.t("hai lần nhập mật khẩu khác nhau", "the two passwords typed differ"))
        return typed

    def store(self, *, create: bool = True) -> Store:
        """The store of ``--store`` / ``BAOYEN_STORE``, built from the project's data when missing.

        On the store's first start (no account yet) the admin account is made; a one-time password made for it
        is shown once, here.
        """
        if self._store is None:
            self._store = open_store(self.settings, create=create)
            self.first_start(self._store)
        return self._store

    def first_start(self, store: Store) -> None:
        """Make the first admin of a store without accounts and show its one-time password once (on stderr)."""
        from geo.errors import StoreError

        try:
            secret = first_start(store, password=self.settings.admin_password)
        except StoreError:  # a store this run cannot write: reading it still works, a change will say why
            return
        if secret:
            say(
                self.t(
                    f"đã tạo tài khoản quản trị 'admin' cho kho {store.location}; mật khẩu dùng một lần (chỉ hiện "
                    f"lần này): {secret} — đăng nhập rồi đặt mật khẩu mới: baoyen user passwd admin",
                    f"made the administrator account 'admin' for the store {store.location}; its one-time password "
                    f"(shown only now): {secret} — sign in and set a new one: baoyen user passwd admin",
                )
            )

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
        """A warning line on stderr; a coded notice (a read's, an export's) is said in this run's language."""
        say(f"{self.t('cảnh báo', 'warning')}: {describe(message, self.lang)}")

"""The ``baoyen`` command: thin wrappers over the use cases (:mod:`services`), for scripts, reports and tests.

Each command module registers its commands (:mod:`cli.registry`); options shared by several commands are declared
once (:mod:`cli.options`); output helpers live in :mod:`cli.output`. With ``--json`` stdout holds exactly one JSON
object and messages go to stderr. A failure the person can fix exits non-zero with one line on stderr in their
language (``--lang`` / ``BAOYEN_LANG``, Vietnamese by default) that names the problem and the fix.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from cli.options import add_lang, add_store, add_user
from cli.output import CommandFailed, Ctx, describe_error, say
from cli.registry import COMMANDS
from geo.errors import PlanError
from layers.settings import Settings

#: the modules whose commands make up ``baoyen``, in the order ``--help`` lists them
COMMAND_MODULES = (
    "cli.store_cmds",
    "cli.migrate_cmds",
    "cli.io_cmds",
    "cli.cluster_cmds",
    "cli.material_cmds",
    "cli.target_cmds",
    "cli.terrain_cmds",
    "cli.sample_cmds",
    "cli.audit_cmds",
    "cli.user_cmds",
)

#: the module that registers each command: a run of one command loads only its module (the others import terrain,
#: migration and report code it does not need: a tenth of a second of every start). tests/cli checks it against
#: what the modules register.
COMMAND_HOMES: dict[str, str] = {
    **dict.fromkeys(("init", "layers", "history", "restore"), "cli.store_cmds"),
    "migrate": "cli.migrate_cmds",
    **dict.fromkeys(("validate", "import", "export", "import-boundaries"), "cli.io_cmds"),
    "occupancy": "cli.cluster_cmds",
    **dict.fromkeys(("overlay", "supply"), "cli.material_cmds"),
    **dict.fromkeys(("targets", "budget-check", "report", "record-actual", "record-disbursement"), "cli.target_cmds"),
    **dict.fromkeys(("dem", "siting", "decree32"), "cli.terrain_cmds"),
    "sample": "cli.sample_cmds",
    "audit": "cli.audit_cmds",
    **dict.fromkeys(("user", "check-address"), "cli.user_cmds"),
}


def _load_commands(only: str | None = None) -> None:
    import importlib

    for name in [COMMAND_HOMES[only]] if only in COMMAND_HOMES else COMMAND_MODULES:
        importlib.import_module(name)


def command_of(argv: Sequence[str]) -> str | None:
    """The command a command line names (its first word that is not an option), None when it names none we know."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in COMMAND_HOMES else None


def language_of(argv: Sequence[str]) -> str:
    """The language of this run: ``--lang`` on the command line, else ``BAOYEN_LANG``, else Vietnamese."""
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("vi", "en"):
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in ("vi", "en"):
            return arg[7:]
    env = os.environ.get("BAOYEN_LANG", "vi")
    return env if env in ("vi", "en") else "vi"


def build_parser(lang: str = "vi", *, only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``baoyen`` command, its help in ``lang``; with ``only``, of that command alone."""
    _load_commands(only)
    en = lang == "en"
    parser = argparse.ArgumentParser(
        prog="baoyen",
        description=(
            "Planning GIS for Bảo Yên's industry and craft-village plan (2021–2025, vision 2030)."
            if en
            else "GIS quy hoạch công nghiệp, tiểu thủ công nghiệp và làng nghề Bảo Yên (2021–2025, tầm nhìn 2030)."
        ),
        epilog=(
            "Messages follow --lang or BAOYEN_LANG (vi by default)."
            if en
            else "Thông báo theo --lang hoặc BAOYEN_LANG (mặc định tiếng Việt)."
        ),
    )
    add_lang(parser, lang)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for cmd in COMMANDS.values():
        if only in COMMAND_HOMES and cmd.name != only:
            continue
        summary = cmd.summary(lang).replace("%", "%%")
        p = sub.add_parser(cmd.name, help=summary, description=summary)
        add_store(p, lang)
        add_user(p, lang)
        cmd.configure(p, lang)
        if not any("--lang" in action.option_strings for action in p._actions):
            add_lang(p, lang)
        p.set_defaults(_command=cmd)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = language_of(argv)
    args = build_parser(lang, only=command_of(argv)).parse_args(argv)
    lang = getattr(args, "lang", None) or lang
    settings = Settings.from_env(store=getattr(args, "store", None), language=lang)
    ctx = Ctx(args=args, settings=settings, lang=lang, command=args.command)
    try:
        return int(args._command.run(ctx))
    except CommandFailed as exc:
        if str(exc):
            say(f"baoyen {args.command}: {exc}")
        return exc.status
    except PlanError as exc:
        say(f"baoyen {args.command}: {describe_error(exc, lang, command=args.command)}")
        return 1
    except KeyboardInterrupt:
        say(
            f"baoyen {args.command}: "
            + ("interrupted; nothing was written" if lang == "en" else "đã dừng; chưa ghi gì")
        )
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `baoyen targets | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def run() -> None:
    """The ``baoyen`` command (its console script, and ``python -m cli``): :func:`main`, exiting with its status.

    The process ends next, so what the command made is frozen out of Python's collector first
    (:func:`gc.freeze`): the last collection at exit would walk it all once more for nothing (0.07 s after an
    import of 100,000 polygons). Everything is still freed, and every exit handler runs, as usual.
    """
    status = main()
    gc.freeze()
    sys.exit(status)


__all__ = ["CommandFailed", "Ctx", "build_parser", "main", "run"]

"""Every command README.md shows is run here, as a newcomer would type it: none may end in a traceback.

Commands whose arguments are placeholders (FILE, LAYER, ID, PATH, N, NAME) are run with ``--help``; the others are
run for real on a fresh store in a temporary folder. ``make run`` and ``make test`` are what CI and the end-to-end
tests run.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BAOYEN = Path(sys.executable).with_name("baoyen")
PLACEHOLDER = re.compile(r"\b(FILE|LAYER|ID|PATH|N|NAME)\b")


def readme_commands() -> list[str]:
    """The ``baoyen`` command lines of README.md's shell blocks, without their comments."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command.startswith(".venv/bin/baoyen"):
                lines.append(command.removeprefix(".venv/bin/"))
    return lines


def test_the_readme_shows_the_commands() -> None:
    commands = readme_commands()
    assert len(commands) >= 10 and "baoyen --help" in commands


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BAOYEN), *argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def workdir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, str]]:
    cwd = tmp_path_factory.mktemp("readme")
    env = {**os.environ, "BAOYEN_STORE": str(cwd / "store.gpkg"), "BAOYEN_USER": "admin"}
    env.pop("BAOYEN_LANG", None)
    for key in ("BAOYEN_STORE", "BAOYEN_USER"):
        monkeypatch.setenv(key, env[key])
    monkeypatch.delenv("BAOYEN_LANG", raising=False)
    monkeypatch.chdir(cwd)
    return cwd, env


def test_the_command_itself_starts(workdir: tuple[Path, dict[str, str]]) -> None:
    # the installed entry point, in a process of its own, as typed
    cwd, env = workdir
    for argv in (["--help"], ["--lang", "en", "--help"]):
        done = _run(argv, cwd, env)
        assert done.returncode == 0 and "Traceback" not in done.stderr and "import-boundaries" in done.stdout


@pytest.mark.parametrize("line", readme_commands())
def test_every_readme_command_runs(
    line: str, workdir: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    import cli

    argv = shlex.split(line)[1:]
    if PLACEHOLDER.search(line):
        argv = [argv[0], "--help"]
    try:
        status = cli.main(argv)
    except SystemExit as exc:  # --help
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err, out + err
    if status != 0:  # a refusal the person can act on: one line, in Vietnamese by default
        assert status == 1 and len(err.strip().splitlines()) == 1, out + err
        assert err.startswith(f"baoyen {argv[0]}: "), out + err
    else:
        assert (out + err).strip(), f"{line} printed nothing"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_command_has_help(lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    import cli
    from cli.registry import COMMANDS

    cli.build_parser()
    for name in COMMANDS:
        with pytest.raises(SystemExit) as done:
            cli.main([name, "--help", "--lang", lang])
        out = capsys.readouterr().out
        assert done.value.code == 0 and "--store" in out, (name, lang)


def test_make_run_binds_to_this_machine_and_ties_the_upload_limit() -> None:
    # `make run` listens on 127.0.0.1 unless told otherwise, and Streamlit refuses an upload over the app's limit
    # before buffering it (server.maxUploadSize = BAOYEN_UPLOAD_MB)
    done = subprocess.run(
        ["make", "-n", "run", "BAOYEN_UPLOAD_MB=37"], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    )
    recipe = done.stdout.replace("\\\n", " ")
    line = next(x for x in recipe.splitlines() if "streamlit run app.py" in x)
    assert "--server.address 127.0.0.1" in line and "--server.maxUploadSize 37" in line
    assert line.startswith("BAOYEN_UPLOAD_MB=37 ")
    from geo.limits import MB
    from layers.settings import Settings

    assert Settings.from_env().limits.upload_bytes == 200 * MB  # the same default as Streamlit's own (200 MB)

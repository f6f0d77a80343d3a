"""`baoyen init`, `layers`, `import-boundaries`, `history`, `restore`: JSON contract and clean failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from layers.catalogue import CATALOGUE

BAOYEN = Path(sys.executable).with_name("baoyen")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_init_then_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "s.gpkg")
    status, out, _ = run(capsys, "init", "--store", store, "--json")
    assert status == 0
    first = json.loads(out)
    assert first["created"] is True and len(first["layers_written"]) == len(CATALOGUE)
    status, out, _ = run(capsys, "init", "--store", store, "--json")
    again = json.loads(out)
    assert status == 0 and again["created"] is False and again["layers_written"] == []
    status, out, _ = run(capsys, "layers", "--store", store, "--json")
    layers = {row["id"]: row for row in json.loads(out)["layers"]}
    assert set(layers) == {layer.id for layer in CATALOGUE}
    assert layers["hydropower"]["features"] == 9
    assert layers["communes_legacy"]["geom_quality"] == {"schematic": 17}
    assert layers["communes_legacy"]["title"].endswith("(schematic)")  # the title says what the data is worth
    assert layers["mines"]["features"] == 0  # the plan gives only a count: an empty layer, not invented points
    status, out, _ = run(capsys, "layers", "--store", store)
    assert status == 0 and "hydropower" in out and "schematic 17" in out


def test_failure_is_one_line_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.gpkg"
    bogus.write_text("not a geopackage")
    status, out, err = run(capsys, "layers", "--store", str(bogus), "--json")
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "not a GeoPackage store" in err and "Traceback" not in err


def test_history_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "s.gpkg")
    run(capsys, "init", "--store", store)
    status, out, _ = run(capsys, "history", "hydropower", "--store", store, "--json")
    assert status == 0 and [v["version"] for v in json.loads(out)["versions"]] == [1]
    status, _, err = run(capsys, "restore", "hydropower", "1", "--store", store)
    assert status == 0 and "restored as version 2" in err
    status, _, err = run(capsys, "history", "nope", "--store", store)
    assert status == 1 and "no layer 'nope'" in err


def test_import_boundaries_from_real_communes(
    tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "s.gpkg")
    run(capsys, "init", "--store", store)
    status, out, _ = run(
        capsys, "import-boundaries", str(shared_data / "bao_yen_communes_2020.geojson"), "--store", store, "--json"
    )
    assert status == 0
    report = json.loads(out)
    assert report["matched"] == 17 and report["unmatched_units"] == [] and report["code_field"] == "ma_xa"
    status, out, _ = run(capsys, "layers", "--store", store, "--json")
    layers = {row["id"]: row for row in json.loads(out)["layers"]}
    assert layers["communes_legacy"]["geom_quality"] == {"digitised": 17}
    assert layers["communes_legacy"]["origin"] == "imported"
    # a later init keeps the imported boundaries
    status, out, _ = run(capsys, "init", "--store", store, "--json")
    assert "communes_legacy" not in json.loads(out)["layers_written"]


def test_import_boundaries_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "s.gpkg")
    run(capsys, "init", "--store", store)
    status, out, err = run(capsys, "import-boundaries", str(tmp_path / "absent.shp"), "--store", store)
    assert status != 0 and out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_console_script_entry_point(tmp_path: Path) -> None:
    assert BAOYEN.exists(), "the baoyen console script is not installed in the venv"
    done = subprocess.run(
        [str(BAOYEN), "layers", "--json", "--store", str(tmp_path / "s.gpkg")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["layers"]) == len(CATALOGUE)
    bad = subprocess.run(
        [str(BAOYEN), "restore", "hydropower", "x", "--store", str(tmp_path / "s.gpkg")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr  # argparse usage error


@pytest.mark.parametrize("entry", ["script", "module"])
def test_both_entries_exit_with_the_command_s_status(entry: str, tmp_path: Path) -> None:
    """The console script and ``python -m cli`` both go through ``cli.run``: the status is main's, 0 or 1."""
    command = [str(BAOYEN)] if entry == "script" else [sys.executable, "-m", "cli"]
    store = ["--store", str(tmp_path / "s.gpkg"), "--lang", "en"]
    ok = subprocess.run([*command, "layers", *store], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    failed = subprocess.run([*command, "history", "no_such_layer", *store], capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1 and "no layer 'no_such_layer'" in failed.stderr and "Traceback" not in failed.stderr


def test_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    store = str(tmp_path / "s.gpkg")
    subprocess.run([str(BAOYEN), "init", "--store", store], capture_output=True, timeout=120, check=True)
    done = subprocess.run(
        f"'{BAOYEN}' layers --store '{store}' | head -1", shell=True, capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr


# --- issue 14: nothing unsafe written, and failures in one line ---------------------------------------------------


def one_line(status: int, err: str) -> str:
    assert status == 1 and "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_export_never_writes_over_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from layers.store import open_store

    store = tmp_path / "s.gpkg"
    run(capsys, "init", "--store", str(store))
    run(capsys, "restore", "hydropower", "1", "--store", str(store))
    before = [v.version for v in open_store(store).history("hydropower")]
    for target in (store, Path(f"{store}-wal"), tmp_path / "." / "s.gpkg"):
        for fmt in ("gpkg", "csv"):
            status, out, err = run(
                capsys, "export", "hydropower", "--format", fmt, "-o", str(target), "--store", str(store)
            )
            line = one_line(status, err)
            assert "is the project store" in line and "-o PATH" in line and out == ""
    assert [v.version for v in open_store(store).history("hydropower")] == before == [1, 2]  # history kept


def test_export_to_a_folder_or_an_overlong_name_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "s.gpkg")
    run(capsys, "init", "--store", store)
    status, _, err = run(capsys, "export", "hydropower", "--format", "csv", "-o", str(tmp_path), "--store", store)
    assert "is a folder" in one_line(status, err) and f"{tmp_path}/hydropower.csv" in err
    long_name = str(tmp_path / ("b" * 300 + ".csv"))
    status, _, err = run(capsys, "export", "hydropower", "--format", "csv", "-o", long_name, "--store", store)
    assert "too long" in one_line(status, err)
    pipe = tmp_path / "pipe"  # for any device: never a real one, which a failing test would replace
    os.mkfifo(pipe)
    status, _, err = run(capsys, "export", "hydropower", "--format", "csv", "-o", str(pipe), "--store", store)
    assert "not a regular file" in one_line(status, err) and not pipe.is_file()
    pipe.unlink()
    status, _, err = run(
        capsys, "--lang", "vi", "export", "hydropower", "--format", "xlsx", "-o", str(tmp_path), "--store", store
    )
    assert "là một thư mục" in one_line(status, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.gpkg"]  # nothing left behind


def test_export_says_when_it_replaces_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "s.gpkg")
    out = tmp_path / "thuy_dien.csv"
    out.write_text("old")
    run(capsys, "init", "--store", store)
    status, stdout, _ = run(
        capsys, "export", "hydropower", "--format", "csv", "-o", str(out), "--store", store, "--json"
    )
    assert status == 0 and any("existed and was replaced" in w for w in json.loads(stdout)["warnings"])
    assert out.read_text(encoding="utf-8-sig").startswith("id,")


def test_restore_of_a_version_sqlite_cannot_hold_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "s.gpkg")
    run(capsys, "init", "--store", store)
    status, _, err = run(capsys, "restore", "hydropower", "99999999999999999999", "--store", store)
    assert "has no version 99999999999999999999" in one_line(status, err)


def test_a_layer_id_with_a_newline_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.geo.test_io_corpus import shapefile_zip

    store = str(tmp_path / "s.gpkg")
    z = str(shapefile_zip(tmp_path))
    status, _, err = run(capsys, "import", z, "--layer", "big\n", "--store", store)
    assert "'big\\n' is not a valid layer id" in one_line(status, err)
    status, _, err = run(capsys, "import", z, "--layer", "gpkg_contents", "--store", store)
    assert "not a valid layer id" in one_line(status, err)


def test_a_read_only_store_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = str(tmp_path / "s.gpkg")
    run(capsys, "init", "--store", store)
    monkeypatch.setattr(os, "access", lambda p, mode: mode != os.W_OK)  # the file and its folder cannot be written
    status, out, err = run(capsys, "layers", "--store", store, "--json")
    assert status == 0, err
    assert len(json.loads(out)["layers"]) == len(CATALOGUE)
    status, _, err = run(capsys, "restore", "hydropower", "1", "--store", store)
    line = one_line(status, err)
    assert "read-only" in line and "remove" not in line and "not a GeoPackage" not in line


def test_each_command_loads_only_the_module_that_registers_it() -> None:
    """``cli.COMMAND_HOMES`` names, for every command, the module its handler is in (and no command is missing)."""
    from cli.registry import COMMANDS

    cli.build_parser("vi")  # every module loaded
    assert set(COMMANDS) == set(cli.COMMAND_HOMES)
    assert {name: c.run.__module__ for name, c in COMMANDS.items()} == cli.COMMAND_HOMES
    assert set(cli.COMMAND_HOMES.values()) == set(cli.COMMAND_MODULES)
    assert cli.command_of(["import", "a.shp", "--layer", "x"]) == "import"
    assert cli.command_of(["--lang", "en", "import"]) is None  # "en" comes first: every command is loaded
    assert cli.command_of(["--help"]) is None and cli.command_of([]) is None
    parser = cli.build_parser("en", only="import")
    assert parser.parse_args(["import", "a.shp", "--layer", "x"]).command == "import"
    with pytest.raises(SystemExit):
        parser.parse_args(["export", "--layer", "x"])  # a parser for one command knows no other


def test_a_command_s_run_does_not_import_the_terrain_code() -> None:
    code = (
        "import sys, cli\n"
        "try:\n    cli.main(['layers', '--store', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
        "print('rasterio' in sys.modules, 'cli.terrain_cmds' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "/nonexistent/store.gpkg"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "BAOYEN_LANG": "en"},
    )
    assert done.stdout.split()[-2:] == ["False", "False"], done.stderr

"""`baoyen validate | import | export`: exit statuses, one JSON object, one line on stderr, and agreement."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli import main
from tests.geo.test_io_corpus import CASES, Case, sample_frame, shapefile_zip

REPO = Path(__file__).resolve().parents[2]
UNSAFE = {"UnsafeInputError", "DataSourceError"}


def _expected_status(case: Case) -> int:
    return 2 if case.error.__name__ in UNSAFE else 1


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


#: the cases the commands read as they are (default limits, the file's own CRS)
PLAIN = [c for c in CASES if c.limits == CASES[0].limits and c.crs is None]


@pytest.mark.parametrize("case", PLAIN, ids=lambda c: c.name)
def test_validate_json_for_every_hostile_input(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = case.build(tmp_path)
    status, out, _ = _run(["validate", str(path), "--json"], capsys)
    assert status == _expected_status(case)
    obj = json.loads(out)  # exactly one object
    assert {"ok", "features", "crs", "encoding", "errors", "warnings"} <= set(obj)
    assert obj["ok"] is False
    assert len(obj["errors"]) == 1


def test_validate_ok_and_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # in Vietnam but ~170 km east of Lào Cai: the CRS is probably wrong, a warning, still valid
    frame = sample_frame().set_crs(9213, allow_override=True)
    p = tmp_path / "w.gpkg"
    frame.to_file(p)
    status, out, _ = _run(["validate", str(p), "--json"], capsys)
    obj = json.loads(out)
    assert status == 0 and obj["ok"] is True
    assert obj["features"] == 3 and obj["crs"] == "EPSG:9213"
    assert any("probably wrong" in w for w in obj["warnings"])


def test_validate_missing_crs_is_status_1_with_a_guess(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    z = shapefile_zip(tmp_path, drop=("prj",))
    status, out, _ = _run(["validate", str(z), "--json"], capsys)
    obj = json.loads(out)
    assert status == 1 and obj["ok"] is False
    assert obj["crs_guess"] == "EPSG:9208"
    status, out, _ = _run(["validate", str(z), "--json", "--crs", "EPSG:9208"], capsys)
    assert status == 0 and json.loads(out)["crs"] == "EPSG:9208"


def test_validate_against_a_target_layer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    z = shapefile_zip(tmp_path)
    status, out, err = _run(["validate", str(z), "--target", "cluster_lots"], capsys)
    assert status == 1
    assert "required field(s) cluster_id, status" in out
    assert err.count("\n") == 1
    status, _, _ = _run(
        ["validate", str(z), "--target", "cluster_lots", "--map", "cluster_id=name", "--map", "status=name"], capsys
    )
    assert status == 1  # names are not lot statuses: listed as conversion failures


@pytest.mark.parametrize("case", PLAIN[:12] + PLAIN[-9:], ids=lambda c: c.name)
def test_validate_and_import_agree(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = case.build(tmp_path)
    store = tmp_path / "store.gpkg"
    v, _, _ = _run(["validate", str(path)], capsys)
    i, _, err = _run(["import", str(path), "--layer", "lots_test", "--store", str(store)], capsys)
    assert v == i
    assert err.count("\n") == 1 and err.startswith("baoyen import: ")
    assert not store.exists()  # a refused import does not even create the store


def test_import_then_export_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store.gpkg"
    z = shapefile_zip(tmp_path)
    status, out, _ = _run(["validate", str(z)], capsys)
    assert status == 0
    status, out, _err = _run(["import", str(z), "--layer", "lots_test", "--store", str(store), "--json"], capsys)
    assert status == 0
    assert json.loads(out)["version"] == 1
    for fmt, suffix in [("gpkg", ".gpkg"), ("shp", ".zip"), ("geojson", ".geojson"), ("csv", ".csv")]:
        target = tmp_path / f"out{suffix}"
        status, out, _ = _run(
            [
                "export",
                "lots_test",
                "--format",
                fmt,
                "-o",
                str(target),
                "--store",
                str(store),
                "--crs",
                "EPSG:4326",
                "--json",
            ],
            capsys,
        )
        assert status == 0
        assert json.loads(out)["crs"] == "EPSG:4326"
        assert target.exists()
        status, out, _ = _run(["validate", str(target), "--json"], capsys)
        assert status == 0 and json.loads(out)["features"] == 3


def test_import_refuses_bad_layer_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(
        ["import", str(shapefile_zip(tmp_path)), "--layer", "../etc", "--store", str(tmp_path / "s.gpkg")], capsys
    )
    assert status == 1 and "not a valid layer id" in err


def test_stderr_is_one_line_without_traceback_or_gdal_chatter(tmp_path: Path) -> None:
    """Run the real command in a subprocess: what the user sees on the terminal."""
    env = {**os.environ, "BAOYEN_STORE": str(tmp_path / "store.gpkg"), "PYTHONWARNINGS": "error"}
    broken = [c for c in CASES if c.name in ("truncated .shp", "XXE in KML", "bad JSON", "zip bomb (ratio)")]
    for case in broken:
        folder = tmp_path / case.name.replace(" ", "_")
        folder.mkdir()
        path = case.build(folder)
        for cmd in (["validate", str(path)], ["import", str(path), "--layer", "lots_test"]):
            proc = subprocess.run(
                [sys.executable, "-c", "import sys, cli; sys.exit(cli.main())", *cmd],
                capture_output=True,
                text=True,
                cwd=REPO,
                env=env,
                timeout=120,
            )
            assert proc.returncode == _expected_status(case), (case.name, proc.stderr)
            assert proc.stderr.count("\n") == 1, (case.name, proc.stderr)
            assert "Traceback" not in proc.stderr
            assert proc.stderr.startswith(f"baoyen {cmd[0]}: ")


def test_json_is_one_object_also_on_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    z = shapefile_zip(tmp_path)
    status, out, _ = _run(["validate", str(z), "--json", "--map", "no-equals-sign"], capsys)
    assert status == 1 and json.loads(out)["ok"] is False
    status, out, _ = _run(
        ["import", str(z), "--layer", "cluster_lots", "--store", str(tmp_path / "s.gpkg"), "--json"], capsys
    )
    assert status == 1
    obj = json.loads(out)
    assert obj["ok"] is False and obj["version"] is None


# --- issue 14 -------------------------------------------------------------------------------------------------


def test_import_says_unknown_quality_until_the_planner_says(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from layers.store import open_store

    store = tmp_path / "store.gpkg"
    z = shapefile_zip(tmp_path)
    status, _, _ = _run(["import", str(z), "--layer", "lots_test", "--store", str(store)], capsys)
    assert status == 0
    assert set(open_store(store).read_layer("lots_test")["geom_quality"]) == {"unknown"}
    status, _, _ = _run(
        ["import", str(z), "--layer", "lots_test", "--store", str(store), "--quality", "surveyed"], capsys
    )
    assert status == 0
    assert set(open_store(store).read_layer("lots_test")["geom_quality"]) == {"surveyed"}


def test_crs_for_a_file_that_declares_one_keeps_the_declaration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--crs`` only assumes; a declaration that puts the data abroad is refused, ``--override-crs`` fixes it."""
    from tests.geo.test_io_corpus import declared_wrongly

    p = declared_wrongly(tmp_path)
    store = tmp_path / "store.gpkg"
    status, out, err = _run(["import", str(p), "--layer", "lots_test", "--store", str(store), "--crs", "9208"], capsys)
    assert status == 1 and out == "" and err.count("\n") == 1
    assert "outside Vietnam in EPSG:32647" in err and "--override-crs" in err  # the command's own hint
    assert not store.exists()
    status, _, err = _run(
        ["import", str(p), "--layer", "lots_test", "--store", str(store), "--override-crs", "9208"], capsys
    )
    assert status == 0, err


def test_refusals_stay_one_line_in_a_real_terminal(tmp_path: Path) -> None:
    """NaN input makes shapely warn; with warnings as errors nothing may escape as a traceback or a second line."""
    from tests.geo.test_io_corpus import nan_polygon, swapped_axes, text_coordinates, unclosed_rings

    env = {**os.environ, "BAOYEN_STORE": str(tmp_path / "store.gpkg"), "PYTHONWARNINGS": "error"}
    for build in (nan_polygon, unclosed_rings, swapped_axes, text_coordinates):
        folder = tmp_path / build.__name__
        folder.mkdir()
        path = build(folder)
        for cmd in (["validate", str(path)], ["import", str(path), "--layer", "lots_test"]):
            proc = subprocess.run(
                [sys.executable, "-c", "import sys, cli; sys.exit(cli.main())", *cmd],
                capture_output=True,
                text=True,
                cwd=REPO,
                env=env,
                timeout=120,
            )
            assert proc.returncode == 1, (build.__name__, proc.stderr)
            assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
            if cmd[0] == "import":
                assert proc.stdout == "" and proc.stderr.count("\n") == 1, (build.__name__, proc.stderr)
                assert proc.stderr.startswith("baoyen import: ")


@pytest.mark.vietnamese
def test_import_and_export_warn_in_the_language_of_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The notices of a read and of an export are coded notes: said in Vietnamese, never their English text."""
    p = tmp_path / "xa_xa.gpkg"
    sample_frame().set_crs(9213, allow_override=True).to_file(p)  # in Vietnam, ~170 km east of Lào Cai
    store = tmp_path / "store.gpkg"
    status, _, err = _run(["import", str(p), "--layer", "lots_test", "--store", str(store)], capsys)
    assert status == 0, err
    assert "cảnh báo: `xa_xa.gpkg` nằm cách Lào Cai khoảng" in err and "có lẽ hệ tọa độ chưa đúng" in err
    assert "probably wrong" not in err
    out = tmp_path / "lo.kml"
    status, _, err = _run(["export", "lots_test", "--format", "kml", "-o", str(out), "--store", str(store)], capsys)
    assert status == 0, err
    assert "cảnh báo: tệp KML luôn dùng EPSG:4326 (kinh độ, vĩ độ), nên không dùng hệ tọa độ EPSG:9208 đã chọn" in err
    assert "KML is always" not in err

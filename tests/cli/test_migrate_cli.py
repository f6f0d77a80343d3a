"""`baoyen migrate --from A --to B`: the JSON report, the copy usable with --store, and a refusal in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import cli
from layers.store import open_store
from tests.layers.test_store_backends import fresh_schema


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_schema() as url:
        yield url


def test_migrate_to_a_new_geopackage(store_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "copy.gpkg"
    status, out, err = run(capsys, "migrate", "--from", str(store_copy), "--to", str(target), "--json")
    assert status == 0, err
    report = json.loads(out)
    assert report["target"] == str(target) and report["versions"] == len(report["layers"]) > 10
    assert report["tables"]["targets"] == 14 and report["left_out"] == []
    status, out, _ = run(capsys, "layers", "--store", str(target), "--json")
    assert status == 0 and {r["id"] for r in json.loads(out)["layers"]} == set(open_store(store_copy).layer_ids())
    status, _, err = run(capsys, "migrate", "--from", str(store_copy), "--to", str(tmp_path / "again.gpkg"))
    assert status == 0 and err.startswith("copied the store ") and "versions" in err


def test_a_target_that_is_not_empty_is_refused_in_one_line(
    store_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = store_copy.with_name("other.gpkg")
    other.write_bytes(store_copy.read_bytes())
    status, out, err = run(capsys, "migrate", "--from", str(store_copy), "--to", str(other), "--json")
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("baoyen migrate: ")
    assert "is not empty" in err and "--to" in err and "Traceback" not in err


@pytest.mark.vietnamese
def test_the_refusal_reads_in_vietnamese(store_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "migrate", "--from", str(store_copy), "--to", str(store_copy))
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert "kho nguồn và kho đích là một" in err and "--to" in err


def test_migrate_to_postgis_then_use_it_with_store(
    store_copy: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "migrate", "--from", str(store_copy), "--to", pg_url, "--json")
    assert status == 0, err
    assert json.loads(out)["target"].startswith("postgresql://")
    status, out, err = run(capsys, "history", "hydropower", "--store", pg_url, "--json")
    assert status == 0, err
    assert [v["user"] for v in json.loads(out)["versions"]] == ["tests"]  # who built it, copied as recorded
    status, _, err = run(capsys, "restore", "hydropower", "1", "--store", pg_url)
    assert status == 0 and "restored as version 2" in err
    status, _, err = run(capsys, "migrate", "--from", str(store_copy), "--to", pg_url)
    assert status == 1 and len(err.strip().splitlines()) == 1 and "is not empty" in err
    back = tmp_path / "back.gpkg"
    status, _, err = run(capsys, "migrate", "--from", pg_url, "--to", str(back))
    assert status == 0, err
    assert [v.version for v in open_store(back).history("hydropower")] == [1, 2]


def test_an_unreachable_database_is_one_line(store_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://planner:s3cret@127.0.0.1:1/baoyen?connect_timeout=2"
    status, _, err = run(capsys, "migrate", "--from", str(store_copy), "--to", url)
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert "cannot connect to the PostGIS store" in err and "s3cret" not in err and "--from/--to" in err

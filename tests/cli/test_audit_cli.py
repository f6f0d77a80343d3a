"""`baoyen audit`: the store's audit trail, as a table or as JSON, of one layer and from a day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import cli
from layers.store import open_store
from tests.layers.test_store_backends import every_kind

KEYS = {"at", "user", "action", "layer", "version_before", "version_after", "summary"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_audit_json_keys_layer_and_since(store_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store(store_copy)
    store.write_layer("survey", every_kind(3), user="planner", message="đo đạc")
    store.restore("survey", 1, user="lan")
    status, out, err = run(capsys, "audit", "--store", str(store_copy), "--json")
    assert status == 0, err
    entries = json.loads(out)["entries"]
    assert entries and all(set(e) == KEYS for e in entries)
    assert {e["user"] for e in entries} >= {"tests", "planner", "lan"}  # the build, then the two changes
    status, out, _ = run(capsys, "audit", "--store", str(store_copy), "--layer", "survey", "--json")
    survey = json.loads(out)["entries"]
    assert status == 0
    assert [(e["action"], e["user"], e["version_before"], e["version_after"]) for e in survey] == [
        ("write_layer", "planner", 0, 1),
        ("restore", "lan", 1, 2),
    ]
    today = dt.datetime.now(dt.UTC).date()
    tomorrow = today + dt.timedelta(days=1)
    for day in (today.isoformat(), today.strftime("%d/%m/%Y")):
        status, out, _ = run(capsys, "audit", "--store", str(store_copy), "--since", day, "--json")
        assert status == 0 and len(json.loads(out)["entries"]) == len(entries)
    status, out, _ = run(
        capsys, "audit", "--store", str(store_copy), "--since", tomorrow.strftime("%d/%m/%Y"), "--json"
    )
    assert status == 0 and json.loads(out) == {"entries": []}


def test_audit_table_and_a_bad_day(store_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_store(store_copy).write_layer("survey", every_kind(1), user="planner")
    status, out, err = run(capsys, "audit", "--store", str(store_copy), "--layer", "survey")
    assert status == 0, err
    assert "planner" in out and "write_layer" in out and "version after" in out
    status, out, err = run(capsys, "audit", "--store", str(store_copy), "--since", "tomorrow")
    assert status == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("baoyen audit: ") and "2025-12-31" in err and "Traceback" not in err

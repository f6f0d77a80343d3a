"""`baoyen user …` and signing in on the command line, on both backends: a write without a user, with a wrong
password or without a grant exits non-zero with one line; the first start shows its one-time password once."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import cli
from layers.store import open_store
from tests.conftest import ADMIN_PASSWORD
from tests.layers.test_store_backends import fresh_schema

BAOYEN = Path(sys.executable).with_name("baoyen")


@pytest.fixture(params=["gpkg", "postgis"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store location of each backend (the commands make the store and its first admin)."""
    if request.param == "gpkg":
        yield str(tmp_path / "store.gpkg")
        return
    with fresh_schema() as url:
        yield url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def lots_file(tmp_path: Path) -> Path:
    path = tmp_path / "lo.geojson"
    gpd.GeoDataFrame(
        {"id": ["L1"], "cluster_id": ["pho_rang"], "status": ["allocated"]},
        geometry=[shapely.box(470_000, 2_460_000, 470_050, 2_460_050)],
        crs="EPSG:9208",
    ).to_crs(4326).to_file(path, driver="GeoJSON")
    return path


def test_people_rights_and_refusals(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lots = str(lots_file(tmp_path))
    assert run(capsys, "init", "--store", where)[0] == 0  # the store and its first admin
    store = open_store(Path(where) if "://" not in where else where)
    before = store.current_version("cluster_lots")
    importing = ("import", lots, "--layer", "cluster_lots", "--store", where, "--base-version", str(before))
    # the admin (made at the first start with BAOYEN_ADMIN_PASSWORD) adds an editor
    monkeypatch.setenv("BAOYEN_NEW_PASSWORD", "mật-khẩu-của-lan")
    status, out, err = run(capsys, "user", "add", "lan", "--role", "editor", "--store", where, "--json")
    assert status == 0, err
    assert json.loads(out)["role"] == "editor" and "argon2" not in out
    # lan signs in: no grant yet, so the import is refused in one line and nothing is written
    monkeypatch.setenv("BAOYEN_PASSWORD", "mật-khẩu-của-lan")
    status, _, err = run(capsys, *importing, "--user", "lan")
    assert status == 1 and "may not change 'cluster_lots'" in one_line(err) and "baoyen user grant" in err
    assert store.current_version("cluster_lots") == before
    # a wrong password, and no user at all
    monkeypatch.setenv("BAOYEN_PASSWORD", "sai")
    status, _, err = run(capsys, *importing, "--user", "lan")
    assert status == 1 and "password is wrong" in one_line(err)
    monkeypatch.delenv("BAOYEN_USER")
    status, _, err = run(capsys, *importing)
    assert status == 1 and "needs a signed-in user" in one_line(err) and "--user" in err
    # the admin grants the layer; lan imports
    monkeypatch.setenv("BAOYEN_PASSWORD", ADMIN_PASSWORD)
    status, out, err = run(capsys, "user", "grant", "lan", "cluster_lots", "rw", "--store", where, "--user", "admin")
    assert status == 0, err
    monkeypatch.setenv("BAOYEN_PASSWORD", "mật-khẩu-của-lan")
    status, _, err = run(capsys, *importing, "--user", "lan")
    assert status == 0, err
    # only an admin lists people; the listing shows roles and grants, never a hash
    status, _, err = run(capsys, "user", "list", "--store", where, "--user", "lan")
    assert status == 1 and "only an administrator" in one_line(err)
    monkeypatch.setenv("BAOYEN_PASSWORD", ADMIN_PASSWORD)
    status, out, err = run(capsys, "user", "list", "--store", where, "--user", "admin", "--json")
    assert status == 0, err
    users = {u["name"]: u for u in json.loads(out)["users"]}
    assert users["lan"]["grants"] == {"cluster_lots": "rw"} and users["admin"]["role"] == "admin"
    assert "argon2" not in out and "mật-khẩu" not in out
    # the audit names who did what
    status, out, _ = run(capsys, "audit", "--store", where, "--json")
    actions = [(e["action"], e["user"]) for e in json.loads(out)["entries"]]
    assert ("user_add", "admin") in actions and ("grant", "admin") in actions and ("write_layer", "lan") in actions


def test_a_wrong_role_and_a_weak_password_read_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BAOYEN_LANG", "vi")
    where = str(tmp_path / "store.gpkg")
    monkeypatch.setenv("BAOYEN_NEW_PASSWORD", "ngắn")
    status, _, err = run(capsys, "user", "add", "lan", "--role", "editor", "--store", where)
    assert status == 1 and "ít nhất 10 ký tự" in one_line(err)
    with pytest.raises(SystemExit) as stopped:
        run(capsys, "user", "role", "admin", "boss", "--store", where)
    assert stopped.value.code == 2 and "boss" in capsys.readouterr().err  # argparse's own words


def test_the_first_start_shows_a_one_time_password_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("BAOYEN_ADMIN_PASSWORD", "BAOYEN_PASSWORD")}
    env.update(BAOYEN_STORE=str(tmp_path / "store.gpkg"), BAOYEN_LANG="en")
    first = subprocess.run([str(BAOYEN), "init"], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    [line] = [x for x in first.stderr.splitlines() if "one-time password" in x]
    secret = line.split("(shown only now): ")[1].split(" ")[0]
    again = subprocess.run([str(BAOYEN), "init"], env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "one-time password" not in again.stderr and secret not in again.stderr
    # with the one-time password only the password may change; then the new one works
    env.update(BAOYEN_USER="admin", BAOYEN_PASSWORD=secret, BAOYEN_NEW_PASSWORD="mật-khẩu-mới-của-admin")
    refused = subprocess.run([str(BAOYEN), "user", "list"], env=env, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "one-time password" in refused.stderr
    changed = subprocess.run(
        [str(BAOYEN), "user", "passwd", "admin"], env=env, capture_output=True, text=True, timeout=300
    )
    assert changed.returncode == 0, changed.stderr
    env["BAOYEN_PASSWORD"] = "mật-khẩu-mới-của-admin"
    listed = subprocess.run([str(BAOYEN), "user", "list"], env=env, capture_output=True, text=True, timeout=300)
    assert listed.returncode == 0 and "admin" in listed.stdout
    # whoever can write the store file itself can recover the admin
    recovered = subprocess.run(
        [str(BAOYEN), "user", "recover-admin", "--json"], env=env, capture_output=True, text=True, timeout=300
    )
    assert recovered.returncode == 0 and len(json.loads(recovered.stdout)["one_time_password"]) >= 16


def test_no_password_and_no_terminal_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "BAOYEN_PASSWORD"}
    env.update(BAOYEN_STORE=str(tmp_path / "store.gpkg"), BAOYEN_LANG="en")
    done = subprocess.run(
        [str(BAOYEN), "user", "list"], env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 1 and "no password: set BAOYEN_PASSWORD" in one_line(done.stderr)


def test_make_run_refuses_the_network_without_sign_in_for_viewing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    status, _, err = run(capsys, "check-address", "--address", "0.0.0.0")
    assert status == 1 and "BAOYEN_LOGIN=all" in one_line(err)
    assert run(capsys, "check-address", "--address", "127.0.0.1")[0] == 0
    monkeypatch.setenv("BAOYEN_LOGIN", "all")
    assert run(capsys, "check-address", "--address", "0.0.0.0")[0] == 0


def test_the_password_is_asked_on_a_terminal_and_not_echoed(tmp_path: Path) -> None:
    import os
    import pty
    import select

    env = {k: v for k, v in os.environ.items() if k != "BAOYEN_PASSWORD"}
    env.update(BAOYEN_STORE=str(tmp_path / "store.gpkg"), BAOYEN_LANG="en")
    assert subprocess.run([str(BAOYEN), "init"], env=env, capture_output=True, timeout=300).returncode == 0
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [str(BAOYEN), "user", "list", "--user", "admin"],
        env=env,
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    seen = b""
    while b"Password for admin: " not in seen:
        ready, _, _ = select.select([leader], [], [], 60)
        assert ready, seen
        seen += os.read(leader, 1024)
    os.write(leader, ADMIN_PASSWORD.encode() + b"\n")
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0 and b"admin" in out
    while select.select([leader], [], [], 0.5)[0]:  # what the terminal showed after the prompt
        try:
            seen += os.read(leader, 1024)
        except OSError:  # the terminal closed with the process
            break
    os.close(leader)
    assert ADMIN_PASSWORD.encode() not in seen  # the typed password was not echoed

"""The command speaks Vietnamese by default (numbers "1,0724 ha", "6.699,5"), English with --lang en; JSON keys and
exit codes are the same in both, and errors carry the command's own hints (flags), composed in the language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import cli

pytestmark = pytest.mark.vietnamese


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture()
def cluster_files(tmp_path: Path) -> tuple[str, str]:
    x, y = 473_000.0, 2_460_000.0  # near Phố Ràng
    boundary = gpd.GeoDataFrame({"id": ["c"]}, geometry=[shapely.box(x, y, x + 400, y + 250)], crs="EPSG:9208")
    lots = gpd.GeoDataFrame(
        {"id": ["a", "b"], "status": ["operating", "allocated"]},
        geometry=[shapely.box(x, y, x + 100, y + 107.24), shapely.box(x, y + 100, x + 100, y + 200)],
        crs="EPSG:9208",
    )
    b, lt = tmp_path / "c.gpkg", tmp_path / "l.gpkg"
    boundary.to_file(b)
    lots.to_file(lt)
    return str(b), str(lt)


def test_vietnamese_is_the_default_with_vietnamese_numbers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cluster_files: tuple[str, str]
) -> None:
    monkeypatch.delenv("BAOYEN_LANG", raising=False)
    status, out, _ = run(capsys, "occupancy", "--cluster", cluster_files[0], "--lots", cluster_files[1])
    assert status == 0 and "tỷ lệ lấp đầy" in out and "chồng lấn" in out
    assert "10,0000 ha" in out and "0,0724 ha" in out  # the cluster and the overlap, with a decimal comma
    assert not re.search(r"\d\.\d{4} ha", out)  # never "1.0724 ha" in Vietnamese
    status, out, _ = run(capsys, "occupancy", "--cluster", cluster_files[0], "--lots", cluster_files[1], "--lang", "en")
    assert status == 0 and "occupancy" in out and "10.0000 ha" in out


def test_json_does_not_change_with_the_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cluster_files: tuple[str, str]
) -> None:
    outs = []
    for lang in ("vi", "en"):
        monkeypatch.setenv("BAOYEN_LANG", lang)
        status, out, _ = run(capsys, "occupancy", "--cluster", cluster_files[0], "--lots", cluster_files[1], "--json")
        assert status == 0
        outs.append(json.loads(out))
    assert outs[0].keys() == outs[1].keys()
    assert outs[0]["overlap_ha"] == outs[1]["overlap_ha"] == pytest.approx(0.0724)


def test_errors_in_vietnamese_with_the_commands_flag(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.delenv("BAOYEN_LANG", raising=False)
    table = tmp_path / "diem.csv"
    table.write_text("id,x,y\np,4040,2462\n", encoding="utf-8")  # metres of no CRS used in Lào Cai
    status, _, err = run(capsys, "validate", str(table))
    assert status == 1 and len(err.strip().splitlines()) == 1
    assert "hệ tọa độ" in err and "--crs" in err  # the message in Vietnamese, the hint names the flag
    status, _, err = run(capsys, "validate", str(table), "--lang", "en")
    assert "CRS" in err and "--crs" in err


def test_help_is_in_the_language(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("BAOYEN_LANG", raising=False)
    with pytest.raises(SystemExit):
        cli.main(["occupancy", "--help"])
    vi = capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main(["occupancy", "--help", "--lang", "en"])
    en = capsys.readouterr().out
    assert "tỷ lệ lấp đầy" in vi and "50 %" in vi and "land occupancy" in en

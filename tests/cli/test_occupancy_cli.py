"""``baoyen occupancy``: files in several formats and CRSs, the store's layers, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

import cli
from layers.build import ensure_store
from layers.settings import Settings

WORK = "EPSG:9208"
X0, Y0 = 472_000.0, 2_460_000.0
KEYS = {
    "basis",
    "cluster_ha",
    "leasable_ha",
    "occupied_ha",
    "occupancy_pct",
    "target_pct",
    "gap_ha",
    "outside_ha",
    "overlap_ha",
    "repaired",
    "by_status",
    "warnings",
}
REPO = Path(__file__).resolve().parents[2]


def rect(x: float, y: float, w: float, h: float) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h)


def clusters() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": ["ccn_pho_rang", "ccn_bao_ha"], "name": ["CCN Phố Ràng", "CCN Bảo Hà"]},
        geometry=[rect(0, 0, 400, 250), rect(2000, 0, 200, 100)],  # 10 ha and 2 ha
        crs=WORK,
    )


def lots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["L1", "L2", "L3", "L4"],
            "status": ["Đã cho thuê", "đang hoạt động", "trống", "building"],
            "tenant": ["Nhôm kính A", "Cơ khí B", None, "Sửa xe C"],
            "leased_on": ["2022-03-01", "2024-05-01", None, "2023-01-01"],
        },
        geometry=[rect(0, 0, 100, 100), rect(100, 0, 100, 100), rect(200, 0, 100, 100), rect(300, 0, 50, 100)],
        crs=WORK,
    )


def write(frame: gpd.GeoDataFrame, path: Path) -> str:
    frame.to_file(path)
    return str(path)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert cli.main(["occupancy", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    return json.loads(out)


def run_fail(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status = cli.main(["occupancy", *argv])
    captured = capsys.readouterr()
    assert status != 0
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    return {
        "cluster": write(clusters().iloc[[0]], tmp_path / "cluster.gpkg"),
        "clusters": write(clusters(), tmp_path / "clusters.geojson"),  # written in 4326 by GeoJSON rules
        "lots": write(lots().to_crs("EPSG:3405"), tmp_path / "lots.gpkg"),
    }


def test_json_from_files_has_exactly_the_keys_and_the_right_numbers(
    capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    out = run_json(capsys, "--cluster", files["cluster"], "--lots", files["lots"])
    assert set(out) == KEYS
    assert out["basis"] == "gross"
    assert out["cluster_ha"] == pytest.approx(10.0, abs=1e-4)
    assert out["occupied_ha"] == pytest.approx(2.5, abs=1e-4)
    assert out["occupancy_pct"] == pytest.approx(25.0, abs=1e-3)
    assert out["target_pct"] == 50
    assert out["gap_ha"] == pytest.approx(2.5, abs=1e-4)
    assert out["by_status"] == pytest.approx({"vacant": 1.0, "allocated": 1.0, "building": 0.5, "operating": 1.0})
    assert out["repaired"] == 0 and out["outside_ha"] == 0 and out["overlap_ha"] == 0
    assert any("gross area" in w for w in out["warnings"])


def test_cluster_id_picks_one_of_several(capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
    out = run_json(capsys, "--cluster", files["clusters"], "--lots", files["lots"], "--cluster-id", "ccn_bao_ha")
    assert out["cluster_ha"] == pytest.approx(2.0, rel=1e-5)
    assert out["occupied_ha"] == 0
    assert out["outside_ha"] == pytest.approx(2.5, rel=1e-5)  # every counted lot lies in the other cluster


def test_several_clusters_without_an_id_fail_listing_the_ids(
    capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    line = run_fail(capsys, "--cluster", files["clusters"], "--lots", files["lots"], "--json")
    assert "ccn_pho_rang" in line and "ccn_bao_ha" in line and "--cluster-id" in line


def test_as_of_leasable_ha_and_zoning(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], tmp_path: Path
) -> None:
    base = ["--cluster", files["cluster"], "--lots", files["lots"]]
    on_day = run_json(capsys, *base, "--as-of", "2024-05-01", "--leasable-ha", "5")
    before = run_json(capsys, *base, "--as-of", "2024-04-30", "--leasable-ha", "5")
    assert on_day["basis"] == before["basis"] == "leasable"
    assert on_day["occupancy_pct"] == pytest.approx(50.0)  # 2.5 ha of 5
    assert before["occupancy_pct"] == pytest.approx(30.0)  # L2 leased on 1 May not yet counted
    zoning = gpd.GeoDataFrame(
        {"use": ["Đất công nghiệp", "đất giao thông"]},
        geometry=[rect(0, 0, 400, 150), rect(0, 150, 400, 100)],
        crs=WORK,
    )
    z = run_json(capsys, *base, "--zoning", write(zoning, tmp_path / "zoning.geojson"))
    assert z["basis"] == "leasable"
    assert z["leasable_ha"] == pytest.approx(6.0, rel=1e-5)
    assert z["occupancy_pct"] == pytest.approx(2.5 / 6 * 100, rel=1e-4)


def test_invalid_lots_are_counted_as_repaired(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], tmp_path: Path
) -> None:
    tie = shapely.Polygon([(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100)])
    bad = gpd.GeoDataFrame({"id": ["T"], "status": ["allocated"]}, geometry=[tie], crs=WORK)
    out = run_json(capsys, "--cluster", files["cluster"], "--lots", write(bad, tmp_path / "tie.gpkg"))
    assert out["repaired"] == 1
    assert out["occupied_ha"] == pytest.approx(0.5)  # both halves of the bow-tie


def test_empty_lot_file_gives_zero_with_a_warning(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], tmp_path: Path
) -> None:
    empty = gpd.GeoDataFrame({"status": []}, geometry=gpd.GeoSeries([], crs=WORK))
    out = run_json(capsys, "--cluster", files["cluster"], "--lots", write(empty, tmp_path / "empty.gpkg"))
    assert out["occupancy_pct"] == 0
    assert any("lot layer is empty" in w for w in out["warnings"])


def test_readable_table_without_json(capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> None:
    assert cli.main(["occupancy", "--cluster", files["cluster"], "--lots", files["lots"]]) == 0
    captured = capsys.readouterr()
    assert "CCN Phố Ràng" in captured.out
    assert "25.00 %" in captured.out and "2.5000 ha to reach 50 %" in captured.out
    assert "Decree 32/2024" in captured.out
    assert "warning:" in captured.err


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--as-of", "2024-13-01"], "31/12/2025"),
        (["--leasable-ha", "nhiều"], "not a number"),
        (["--leasable-ha", "-3"], "positive"),
        (["--cluster-id", "ccn_khong_co"], "ccn_pho_rang"),
    ],
)
def test_bad_options_fail_in_one_line(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], extra: list[str], expected: str
) -> None:
    line = run_fail(capsys, "--cluster", files["cluster"], "--lots", files["lots"], *extra)
    assert line.startswith("baoyen occupancy: ")
    assert expected in line


def test_bad_input_files_fail_in_one_line(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], tmp_path: Path
) -> None:
    wrong = lots()
    wrong.loc[1, "status"] = "đang đàm phán"
    line = run_fail(capsys, "--cluster", files["cluster"], "--lots", write(wrong, tmp_path / "wrong.gpkg"))
    assert "L2" in line and "đàm phán" in line and "allocated" in line
    line = run_fail(capsys, "--cluster", files["cluster"], "--lots", str(tmp_path / "missing.gpkg"))
    assert "missing.gpkg" in line
    line = run_fail(capsys, "--lots", files["lots"])
    assert "--cluster PATH" in line


def test_a_file_without_crs_needs_crs(
    capsys: pytest.CaptureFixture[str], files: dict[str, str], tmp_path: Path
) -> None:
    shp = tmp_path / "lots.shp"
    lots().to_file(shp)
    shp.with_suffix(".prj").unlink()
    line = run_fail(capsys, "--cluster", files["cluster"], "--lots", str(shp))
    assert "EPSG:9208" in line and "--crs" in line
    out = run_json(capsys, "--cluster", files["cluster"], "--lots", str(shp), "--crs", "EPSG:9208")
    assert out["occupied_ha"] == pytest.approx(2.5)


# --- the store ----------------------------------------------------------------------------------------------------


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store.gpkg"
    ensure_store(Settings.from_env(store=path))
    return path


def test_store_without_a_boundary_says_to_import_it(capsys: pytest.CaptureFixture[str], store_path: Path) -> None:
    line = run_fail(capsys, "--store", str(store_path), "--json")
    assert "cluster_boundaries" in line and "import" in line


def test_store_layers_are_measured_per_cluster(capsys: pytest.CaptureFixture[str], store_path: Path) -> None:
    store = ensure_store(Settings.from_env(store=store_path))
    bounds = clusters().rename(columns={"id": "cluster_id"})
    bounds["id"] = ["b1", "b2"]
    store.write_layer("cluster_boundaries", bounds, user="test", message="boundaries")
    line = run_fail(capsys, "--store", str(store_path), "--json")
    assert "ccn_pho_rang, ccn_bao_ha" in line
    empty = run_json(capsys, "--store", str(store_path), "--cluster-id", "ccn_pho_rang")
    assert empty["occupancy_pct"] == 0 and any("lot layer is empty" in w for w in empty["warnings"])

    lot_layer = lots()
    lot_layer["cluster_id"] = "ccn_pho_rang"
    other = lots().iloc[[0]].assign(id="X1", cluster_id="ccn_bao_ha")
    other.geometry = [rect(2000, 0, 100, 100)]
    store.write_layer("cluster_lots", gpd.pd.concat([lot_layer, other], ignore_index=True), user="test")
    zoning = gpd.GeoDataFrame(
        {"cluster_id": ["ccn_pho_rang"], "use": ["industrial"]}, geometry=[rect(0, 0, 400, 125)], crs=WORK
    )
    store.write_layer("cluster_zoning", zoning, user="test")
    pho_rang = run_json(capsys, "--store", str(store_path), "--cluster-id", "ccn_pho_rang")
    assert pho_rang["basis"] == "leasable" and pho_rang["leasable_ha"] == pytest.approx(5.0)
    assert pho_rang["occupancy_pct"] == pytest.approx(50.0)
    assert pho_rang["outside_ha"] == 0  # Bảo Hà's lot is not Phố Ràng's
    bao_ha = run_json(capsys, "--store", str(store_path), "--cluster-id", "ccn_bao_ha", "--as-of", "2022-03-01")
    assert bao_ha["basis"] == "gross"
    assert bao_ha["occupied_ha"] == pytest.approx(1.0)
    assert bao_ha["occupancy_pct"] == pytest.approx(50.0)


# --- the installed entry point ----------------------------------------------------------------------------------------


def test_console_script_entry_point(files: dict[str, str]) -> None:
    exe = Path(sys.executable).with_name("baoyen")
    assert exe.exists(), f"console script not installed beside {sys.executable}"
    done = subprocess.run(
        [str(exe), "occupancy", "--cluster", files["cluster"], "--lots", files["lots"], "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == KEYS
    assert out["occupancy_pct"] == pytest.approx(25.0)
    bad = subprocess.run(
        [str(exe), "occupancy", "--cluster", files["clusters"], "--lots", files["lots"]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert bad.returncode != 0
    assert bad.stdout == "" and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr

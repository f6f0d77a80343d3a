"""``baoyen overlay`` and ``baoyen supply``: files and the store's layers, JSON/CSV/table, errors as one line."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import LineString

import cli
from layers.build import ensure_store
from layers.settings import Settings

WORK = "EPSG:9208"
X0, Y0 = 470_000.0, 2_455_000.0
REPO = Path(__file__).resolve().parents[2]


def sq(x: float, y: float, w: float, h: float | None = None) -> shapely.Polygon:
    return shapely.box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + (w if h is None else h))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "baoyen.gpkg"
    ensure_store(Settings.from_env(store=str(path)))
    return path


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    zones = gpd.GeoDataFrame(
        {"sp": ["que", "que", "mo"]}, geometry=[sq(0, 0, 100), sq(50, 0, 100), sq(0, 0, 10)], crs=WORK
    )
    units = gpd.GeoDataFrame({"code": ["02950", "02947"]}, geometry=[sq(0, 0, 100), sq(80, 0, 120, 50)], crs=WORK)
    out = {"zones": tmp_path / "zones.geojson", "units": tmp_path / "units.gpkg"}
    zones.to_crs("EPSG:4326").to_file(out["zones"], driver="GeoJSON")
    units.to_file(out["units"], driver="GPKG")
    return out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# ---------------------------------------------------------------------------------------------- overlay


def test_overlay_files_json(files: dict[str, Path], store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(
        capsys, "overlay", "--store", str(store_path), "--zones", str(files["zones"]), "--units", str(files["units"]),
        "--zone-field", "sp", "--unit-field", "code", "--json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert set(data) >= {"rows", "unit_totals", "zone_totals", "unassigned_ha", "crs"}
    rows = {(r["unit"], r["zone"]): r["area_ha"] for r in data["rows"]}
    # the 20 × 50 m overlap of the units goes to "02947", the lower code (GeoJSON keeps ~1 cm: 1e-4 ha)
    assert rows[("02947", "que")] == pytest.approx(0.35, abs=1e-4)
    assert rows[("02950", "que")] == pytest.approx(0.90, abs=1e-4)
    assert rows[("02950", "mo")] == pytest.approx(0.01, abs=1e-4)
    assert data["unassigned_ha"] == pytest.approx(0.25, abs=1e-4)
    assert data["zone_totals"]["que"] == pytest.approx(1.5, abs=1e-4)
    assert data["crs"] == "EPSG:9208"
    assert sum(rows.values()) + data["unassigned_ha"] == pytest.approx(data["total_ha"], abs=1e-4)


def test_overlay_csv_and_table(files: dict[str, Path], store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["overlay", "--store", str(store_path), "--zones", str(files["zones"]), "--units", str(files["units"]),
            "--zone-field", "sp", "--unit-field", "code"]  # fmt: skip
    status, out, _ = run(capsys, *args, "--csv")
    assert status == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert table[0] == {"unit": "02947", "zone": "que", "area_ha": "0.3500"}
    assert {"unit": "", "zone": "que", "area_ha": "0.2500"} in table  # unassigned
    assert sum(float(r["area_ha"]) for r in table) == pytest.approx(1.51, abs=1e-4)
    status, out, err = run(capsys, *args)
    assert status == 0
    assert "02947" in out and "unassigned" in err


def test_overlay_on_store_communes_and_2025(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from layers.store import open_store

    communes = open_store(store_path).read_layer("communes_legacy")
    tan_duong = communes.loc[communes["ma_xa"] == "02965", "geometry"].iloc[0]
    stand = tan_duong.buffer(-100)
    zones = gpd.GeoDataFrame({"species": ["que"]}, geometry=[stand], crs=WORK)
    path = tmp_path / "stands.gpkg"
    zones.to_file(path, driver="GPKG")
    status, out, err = run(capsys, "overlay", "--store", str(store_path), "--zones", str(path), "--json")
    assert status == 0, err
    data = json.loads(out)
    assert data["unit_totals"] == pytest.approx({"02965": stand.area / 1e4}, rel=1e-9)
    assert data["units"] == "communes_legacy"
    status, out, err = run(
        capsys, "overlay", "--store", str(store_path), "--zones", str(path), "--units-2025", "--json"
    )
    assert status == 0, err
    assert json.loads(out)["unit_totals"] == pytest.approx({"02962": stand.area / 1e4}, rel=1e-9)  # Xuân Hòa


def test_overlay_errors_are_one_line(
    files: dict[str, Path], store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(
        capsys, "overlay", "--store", str(store_path), "--zones", str(files["zones"]), "--units", str(files["units"]),
        "--zone-field", "kind", "--unit-field", "code",
    )  # fmt: skip
    assert status != 0 and out == ""
    assert err.count("\n") == 1 and "no field 'kind'" in err and "Traceback" not in err
    status, _, err = run(
        capsys, "overlay", "--store", str(store_path), "--zones", str(files["zones"].with_name("x.shp"))
    )
    assert status != 0 and err.count("\n") == 1 and "Traceback" not in err


def test_overlay_error_in_a_subprocess_has_no_traceback(tmp_path: Path, store_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sys, cli; sys.exit(cli.main(sys.argv[1:]))", "overlay", "--store",
         str(store_path), "--zones", str(tmp_path / "missing.geojson")],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert proc.returncode != 0
    assert proc.stderr.startswith("baoyen overlay: ") and proc.stderr.count("\n") == 1, proc.stderr


# ----------------------------------------------------------------------------------------------- supply


def test_supply_without_mapped_stands_says_import_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.gpkg"
    ensure_store(Settings.from_env(store=str(path)))
    status, out, err = run(capsys, "supply", "--store", str(path), "--plant", "proc_mdf_bao_yen")
    assert status != 0 and out == ""
    assert "no mapped raw-material stands" in err and "import" in err and err.count("\n") == 1


@pytest.fixture(scope="module")
def stocked_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, shapely.Point]:
    from layers.store import open_store

    path = tmp_path_factory.mktemp("stocked") / "baoyen.gpkg"
    store = ensure_store(Settings.from_env(store=str(path)))
    plant = store.read_layer("processing_plants").set_index("id").loc["proc_mdf_bao_yen", "geometry"]
    x, y = plant.x, plant.y
    stands = gpd.GeoDataFrame(
        {
            "id": ["s1", "s2"],
            "name": ["Bồ Đề quanh nhà máy", "Quế"],
            "source": ["test", "test"],
            "geom_quality": ["digitised", "digitised"],
            "species": ["bo_de", "que"],
        },
        geometry=[
            shapely.box(x - 20_000, y - 20_000, x + 20_000, y + 20_000).segmentize(500.0),
            shapely.box(x, y, x + 1_000, y + 1_000),
        ],
        crs=WORK,
    )
    open_store(path).write_layer("material_zones_mapped", stands, user="test", message="test stands")
    return path, plant


def test_supply_straight_json(stocked_store: tuple[Path, shapely.Point], capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = stocked_store
    status, out, err = run(
        capsys, "supply", "--store", str(path), "--plant", "proc_mdf_bao_yen", "--distance-km", "5",
        "--yield-per-ha", "10", "--unit", "m3", "--capacity", "210000", "--json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    expected = math.pi * 5000**2 / 1e4  # the MDF plant's zone counts Bồ Đề, not cinnamon
    assert data["method"] == "straight"
    assert data["area_ha"] == pytest.approx(expected, rel=2e-4)
    assert set(data["by_species"]) == {"bo_de"}
    assert data["supply"] == pytest.approx(10 * data["area_ha"], rel=1e-6)
    assert data["supply_unit"] == "m3"
    assert data["capacity_ratio"] == pytest.approx(10 * data["area_ha"] / 210_000, rel=1e-4)
    # an explicit species overrides the plant's zone
    status, out, _ = run(
        capsys, "supply", "--store", str(path), "--plant", "proc_mdf_bao_yen", "--distance-km", "5", "--species",
        "Quế", "--json",
    )  # fmt: skip
    assert status == 0
    assert json.loads(out)["area_ha"] == pytest.approx(100.0, rel=1e-6)


def test_supply_by_road(
    stocked_store: tuple[Path, shapely.Point], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, plant = stocked_store
    road = gpd.GeoDataFrame(
        {"name": ["QL test"]},
        geometry=[LineString([(plant.x - 10_000, plant.y), (plant.x + 10_000, plant.y)])],
        crs=WORK,
    )
    road_file = tmp_path / "roads.geojson"
    road.to_crs("EPSG:4326").to_file(road_file, driver="GeoJSON")
    status, out, err = run(
        capsys, "supply", "--store", str(path), "--plant", "proc_mdf_bao_yen", "--distance-km", "2",
        "--roads", str(road_file), "--json",
    )  # fmt: skip
    assert status == 0, err
    data = json.loads(out)
    assert data["method"] == "road"
    # along a straight road: the cells whose centre has along + leg ≤ 2 km form a diamond of 2 × 2² km² = 800 ha
    assert data["area_ha"] == pytest.approx(800.0, rel=0.05)
    assert data["notes"]


def test_supply_errors(stocked_store: tuple[Path, shapely.Point], capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = stocked_store
    status, _, err = run(capsys, "supply", "--store", str(path), "--plant", "nowhere")
    assert status != 0 and "no processing plant 'nowhere'" in err and "proc_mdf_bao_yen" in err
    status, _, err = run(capsys, "supply", "--store", str(path), "--plant", "proc_trieu_duong")
    assert status != 0 and "has no location" in err
    status, _, err = run(capsys, "supply", "--store", str(path), "--plant", "proc_mdf_bao_yen", "--distance-km", "-3")
    assert status != 0 and "--distance-km" in err and err.count("\n") == 1


def test_supply_takes_the_plants_capacity_by_default(
    stocked_store: tuple[Path, shapely.Point], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = stocked_store
    base = ("supply", "--store", str(path), "--plant", "proc_mdf_bao_yen", "--distance-km", "5", "--yield-per-ha", "10")
    status, out, err = run(capsys, *base, "--json")
    assert status == 0, err
    data = json.loads(out)
    area_ha = math.pi * 5000**2 / 1e4
    # the MDF plant's data: 210,000 m3/yr (the company's figure); its unit becomes the yield's unit
    assert data["capacity_from"] == "plant" and data["capacity"] == 210_000
    assert data["supply_unit"] == "m3"
    assert data["supply"] == pytest.approx(10 * area_ha, rel=2e-4)
    assert data["capacity_ratio"] == pytest.approx(10 * area_ha / 210_000, rel=2e-4)
    assert "210,000 m3/yr from the plant's data" in data["capacity_note"]
    assert "tapchicongthuong.vn" in data["capacity_note"]
    # the table says which capacity was used
    status, out, _ = run(capsys, *base)
    assert status == 0 and "from the plant's data" in out and "m3/yr at 10 m3/ha" in out
    # an explicit capacity wins and is named as such
    status, out, _ = run(capsys, *base, "--capacity", "1000", "--unit", "m3", "--json")
    data = json.loads(out)
    assert (data["capacity_from"], data["capacity"]) == ("option", 1000)
    assert data["capacity_ratio"] == pytest.approx(10 * area_ha / 1000, rel=2e-4)
    assert data["capacity_note"] == "1,000 m3/yr from --capacity"
    # a yield in another unit cannot be set against a capacity in m3: not used, and the note says why
    status, out, _ = run(capsys, *base, "--unit", "t", "--json")
    data = json.loads(out)
    assert data["capacity_from"] is None and data["capacity"] is None and data["capacity_ratio"] is None
    assert data["supply_unit"] == "t" and "give --capacity in t" in data["capacity_note"]


def test_supply_plant_without_capacity(
    stocked_store: tuple[Path, shapely.Point], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = stocked_store
    status, out, err = run(
        capsys, "supply", "--store", str(path), "--plant", "proc_persimmon_bao_ha", "--yield-per-ha", "2", "--json"
    )
    assert status == 0, err
    data = json.loads(out)
    assert data["capacity_from"] is None and data["capacity"] is None and data["capacity_ratio"] is None
    assert data["supply_unit"] == "t" and "gives no capacity" in data["capacity_note"]

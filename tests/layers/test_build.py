"""Building the store from data/: complete, idempotent, atomic, and respectful of planners' data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from geo.errors import InputDataError, StoreError
from layers.build import build_store, ensure_store, init_store
from layers.catalogue import CATALOGUE
from layers.settings import DATA_DIR, Settings
from layers.store import open_store


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def settings_for(tmp_path: Path, data_dir: Path = DATA_DIR) -> Settings:
    return Settings(store_path=tmp_path / "store" / "baoyen.gpkg", data_dir=data_dir, user="tester")


def test_build_holds_every_catalogue_layer_and_the_plan_tables(tmp_path: Path) -> None:
    report = init_store(settings_for(tmp_path))
    assert report.created
    store = open_store(tmp_path / "store" / "baoyen.gpkg")
    assert set(store.layer_ids()) == {layer.id for layer in CATALOGUE}
    assert {"targets", "funding_lines"} <= set(store.table_names())
    assert not list((tmp_path / "store").glob(".*building*")), "temporary build file left behind"


def test_init_is_idempotent(tmp_path: Path) -> None:
    s = settings_for(tmp_path)
    init_store(s)
    before = {i.layer_id: i.version for i in open_store(s.store_path).layer_info()}
    again = init_store(s)
    assert again.written == [] and again.tables_written == []
    assert sorted(again.unchanged) == sorted(before)
    assert {i.layer_id: i.version for i in open_store(s.store_path).layer_info()} == before


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_changed_data_rewrites_only_that_layer_and_keeps_planners_data(tmp_path: Path, data_copy: Path) -> None:
    s = settings_for(tmp_path, data_copy)
    init_store(s)
    store = open_store(s.store_path)
    # a planner imports real lots and records an actual
    lots = store.read_layer("cluster_boundaries")
    store.write_layer("cluster_boundaries", lots, user="planner", origin="imported")
    actuals = store.read_table("target_actuals")
    row = {c: None for c in actuals.columns if c not in ("user", "recorded_at")}
    row.update({"target_id": "1", "period": "2025", "value": 480.0})
    store.append_rows("target_actuals", pd.DataFrame([row]), user="planner")
    # the project's data changes: a hydropower name is edited
    hydro = data_copy / "hydropower.yaml"
    _edit(hydro, "Vĩnh Hà", "Vĩnh Hà (ICT)")
    report = ensure_store(s) and init_store(s)
    assert report.written == [] or report.written == ["hydropower"]
    names = open_store(s.store_path).read_layer("hydropower")["name"].tolist()
    assert any("(ICT)" in n for n in names)
    versions = {i.layer_id: i.version for i in open_store(s.store_path).layer_info()}
    assert versions["hydropower"] == 2 and versions["water_plants"] == 1
    assert versions["cluster_boundaries"] == 2  # the import is kept as the current version
    assert open_store(s.store_path).latest_origin("cluster_boundaries")[0] == "imported"
    assert open_store(s.store_path).read_table("target_actuals")["value"].tolist() == [480.0]


def test_a_failed_build_leaves_no_store(tmp_path: Path, data_copy: Path) -> None:
    _edit(data_copy / "water_plants.yaml", "source:", "sauce:")
    s = settings_for(tmp_path, data_copy)
    with pytest.raises(InputDataError):
        build_store(s.store_path, s.data_dir, user="t")
    assert not s.store_path.exists()
    assert not list(s.store_path.parent.glob(".*building*"))


def test_ensure_store_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at") as info:
        ensure_store(settings_for(tmp_path), create=False)
    assert info.value.code == "store.missing"

"""The data use cases: versioned writes refuse a change made on a version that is no longer current."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from layers.store import LayerWrite, VersionConflictError, create_store
from services.data import current_version, layer_history, restore_version, save_layer, validate_file
from services.inputs import CrsChoice
from services.messages import describe
from tests.conftest import signed

ANA = "ana"
BINH = "binh"


def lots(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"id": [f"l{i}" for i in range(n)], "status": ["vacant"] * n},
        geometry=[shapely.box(i * 10, 0, i * 10 + 5, 5) for i in range(n)],
        crs="EPSG:9208",
    )


def test_a_change_on_an_old_version_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    store = create_store(tmp_path / "s.gpkg")
    first = save_layer(store, "cluster_lots", lots(1), actor=signed(store, ANA), base_version=0, message="first")
    assert (first.version, first.user) == (1, "ana")
    # both read version 1; Ana saves first, Binh's save is refused
    save_layer(store, "cluster_lots", lots(2), actor=signed(store, ANA), base_version=1, message="ana adds a lot")
    with pytest.raises(VersionConflictError) as refused:
        save_layer(store, "cluster_lots", lots(3), actor=signed(store, BINH), base_version=1, message="binh adds a lot")
    assert refused.value.code == "store.conflict"
    params = refused.value.params
    assert {k: params[k] for k in ("layer", "current", "base", "by")} == {
        "layer": "cluster_lots",
        "current": 2,
        "base": 1,
        "by": "ana",  # who saved in between, and when
    }
    assert str(params["at"]).endswith("Z")
    assert len(store.read_layer("cluster_lots")) == 2
    assert [v.user for v in layer_history(store, "cluster_lots").versions] == ["ana", "ana"]
    assert "người khác" in describe(refused.value, "vi") and "--" not in describe(refused.value, "vi")


def test_a_first_write_is_based_on_version_zero(tmp_path: Path) -> None:
    store = create_store(tmp_path / "s.gpkg")
    assert current_version(store, "cluster_lots") == 0
    save_layer(store, "cluster_lots", lots(1), actor=signed(store, ANA), base_version=0, message="first")
    with pytest.raises(VersionConflictError):  # someone else created it meanwhile
        save_layer(store, "cluster_lots", lots(1), actor=signed(store, BINH), base_version=0, message="also first")


def test_restore_is_versioned_too(tmp_path: Path) -> None:
    store = create_store(tmp_path / "s.gpkg")
    save_layer(store, "cluster_lots", lots(1), actor=signed(store, ANA), base_version=0, message="one")
    save_layer(store, "cluster_lots", lots(2), actor=signed(store, ANA), base_version=1, message="two")
    with pytest.raises(VersionConflictError):
        restore_version(store, "cluster_lots", 1, actor=signed(store, BINH), base_version=1)
    done = restore_version(store, "cluster_lots", 1, actor=signed(store, BINH), base_version=2)
    assert (done.version, done.restored, done.user) == (3, 1, "binh")
    assert len(store.read_layer("cluster_lots")) == 1


def test_several_layers_in_one_transaction_are_all_or_nothing(tmp_path: Path) -> None:
    store = create_store(tmp_path / "s.gpkg")
    store.write_layers([LayerWrite("a", lots(1)), LayerWrite("b", lots(1))], user="ana")
    with pytest.raises(VersionConflictError):
        store.write_layers(
            [LayerWrite("a", lots(2), base_version=1), LayerWrite("b", lots(2), base_version=7)], user="binh"
        )
    assert (len(store.read_layer("a")), len(store.read_layer("b"))) == (1, 1)
    assert store.current_version("a") == 1


def test_crs_assumed_only_when_the_file_declares_none(tmp_path: Path) -> None:
    declared = tmp_path / "declared.geojson"
    frame = gpd.GeoDataFrame({"id": ["p"]}, geometry=[shapely.Point(104.47, 22.24)], crs="EPSG:4326")
    frame.to_file(declared, driver="GeoJSON")
    kept = validate_file(declared, crs=CrsChoice.of(assume="EPSG:9208"))
    assert kept.read.crs_source == "file"  # the file's own CRS is kept
    overridden = validate_file(declared, crs=CrsChoice.of(override=4326))
    assert overridden.read.crs_source == "given"

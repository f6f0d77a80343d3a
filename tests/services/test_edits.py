"""Re-applying a refused edit on the new version (services.edits), on a real GeoPackage store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.errors import InputDataError
from layers.store import Store, VersionConflictError, create_store
from services.context import Actor
from services.data import save_layer
from services.edits import changes_since, rebase_edit, save_rebased
from services.messages import describe

PASSWORD = "mật-khẩu-đủ-dài-1"  # a test account's


def editor(store: Store, name: str) -> Actor:
    """A signed-in editor of every layer (the actor itself while the store has no accounts yet)."""
    try:
        from services import accounts
        from services.context import SYSTEM
    except ImportError:  # a tree from before logins: the actor is its name
        return Actor(name)
    accounts.add_user(store, name, "editor", PASSWORD, actor=SYSTEM)
    accounts.grant(store, name, "*", "rw", actor=SYSTEM)
    return accounts.sign_in(store, name, PASSWORD)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return create_store(tmp_path / "s.gpkg")


def lots() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["l1", "l2", "l3"],
            "lot_no": ["A1", "A2", "A3"],
            "status": ["vacant", "allocated", "operating"],
            "tenant": [None, "Cơ khí Bảo Yên", "Nhôm kính"],
            "leased_on": [None, dt.date(2024, 3, 1), dt.date(2022, 5, 1)],
            "workers": pd.array([None, 12, 30], dtype="Int64"),
        },
        geometry=[shapely.box(472_000 + 20 * i, 2_460_000, 472_010 + 20 * i, 2_460_010) for i in range(3)],
        crs="EPSG:9208",
    )


def edited(frame: gpd.GeoDataFrame, lot_id: str, **values: object) -> gpd.GeoDataFrame:
    out = frame.copy()
    for col, value in values.items():
        out[col] = out[col].astype(object)
        out.loc[out["id"] == lot_id, col] = value
    return out


def two_writers(store: Store) -> tuple[Actor, Actor]:
    ana, binh = editor(store, "ana"), editor(store, "binh")
    save_layer(store, "cluster_lots", lots(), actor=ana, base_version=0, message="first")
    return ana, binh


def test_an_edit_to_another_lot_is_reapplied_cleanly_on_the_new_version(store: Store) -> None:
    ana, binh = two_writers(store)
    mine = edited(store.read_layer("cluster_lots"), "l1", status="building")  # Ana edits lot A1 on version 1 ...
    theirs = edited(store.read_layer("cluster_lots"), "l3", tenant="Nhôm kính Phố Ràng")
    save_layer(store, "cluster_lots", theirs, actor=binh, base_version=1, message="binh: A3")  # ... Binh saves first
    with pytest.raises(VersionConflictError):
        save_layer(store, "cluster_lots", mine, actor=ana, base_version=1, message="ana: A1")

    rebase = rebase_edit(store, "cluster_lots", mine, base_version=1)
    assert rebase.clean and rebase.merge.applied == ("l1",)
    assert (rebase.base_version, rebase.current_version, rebase.changed_by) == (1, 2, "binh")
    assert rebase.changed_at == store.history("cluster_lots")[-1].written_at
    as_json = rebase.to_dict()
    assert (as_json["changed_by"], as_json["current_version"], as_json["applied"]) == ("binh", 2, ["l1"])
    assert [v["user"] for v in as_json["versions"]] == ["binh"]

    done = save_rebased(store, "cluster_lots", rebase, {}, actor=ana, message="ana: A1 (re-applied)")
    assert (done.saved.version, done.saved.user, done.applied) == (3, "ana", ("l1",))
    assert done.to_dict()["version"] == 3 and done.to_dict()["kept_theirs"] == []
    layer = store.read_layer("cluster_lots").set_index("id")
    assert layer.loc["l1", "status"] == "building"  # Ana's
    assert layer.loc["l3", "tenant"] == "Nhôm kính Phố Ràng"  # Binh's, not lost
    assert store.history("cluster_lots")[-1].message == "ana: A1 (re-applied)"


def test_the_same_lot_is_a_conflict_kept_as_theirs_unless_mine_is_chosen(store: Store) -> None:
    ana, binh = two_writers(store)
    mine = edited(store.read_layer("cluster_lots"), "l2", status="operating")
    theirs = edited(store.read_layer("cluster_lots"), "l2", tenant="Cơ khí Phố Ràng")
    save_layer(store, "cluster_lots", theirs, actor=binh, base_version=1, message="binh: A2")

    rebase = rebase_edit(store, "cluster_lots", mine, base_version=1)
    (conflict,) = rebase.merge.conflicts
    assert (conflict.id, conflict.kind, set(conflict.fields)) == ("l2", "edited", {"status", "tenant"})
    assert conflict.base is not None and conflict.mine is not None and conflict.theirs is not None
    assert (conflict.base["status"], conflict.mine["status"], conflict.theirs["status"]) == (
        "allocated",
        "operating",
        "allocated",
    )
    assert rebase.to_dict()["conflicts"][0]["theirs"]["tenant"] == "Cơ khí Phố Ràng"

    kept = save_rebased(store, "cluster_lots", rebase, {}, actor=ana, message="ana: A2")
    assert kept.kept_theirs == ("l2",) and kept.kept_mine == ()
    assert store.read_layer("cluster_lots").set_index("id").loc["l2", "tenant"] == "Cơ khí Phố Ràng"

    again = rebase_edit(store, "cluster_lots", mine, base_version=1)  # the edit is still the planner's to re-apply
    chosen = save_rebased(store, "cluster_lots", again, {"l2": "mine"}, actor=ana, message="ana: A2, mine")
    assert chosen.kept_mine == ("l2",) and chosen.saved.version == 4
    lot = store.read_layer("cluster_lots").set_index("id").loc["l2"]
    assert (lot["status"], lot["tenant"]) == ("operating", "Cơ khí Bảo Yên")


def test_a_lot_deleted_meanwhile_and_edited_here_can_be_brought_back(store: Store) -> None:
    ana, binh = two_writers(store)
    mine = edited(store.read_layer("cluster_lots"), "l3", status="vacant")
    current = store.read_layer("cluster_lots")
    save_layer(store, "cluster_lots", current[current["id"] != "l3"], actor=binh, base_version=1, message="-A3")
    rebase = rebase_edit(store, "cluster_lots", mine, base_version=1)
    (conflict,) = rebase.merge.conflicts
    assert (conflict.kind, conflict.theirs) == ("deleted_theirs", None)
    save_rebased(store, "cluster_lots", rebase, {"l3": "mine"}, actor=ana, message="A3 back")
    layer = store.read_layer("cluster_lots").set_index("id")
    assert layer.loc["l3", "status"] == "vacant" and len(layer) == 3


def test_a_third_writer_refuses_the_rebased_save_and_the_edit_rebases_again(store: Store) -> None:
    ana, binh = two_writers(store)
    chi = editor(store, "chi")
    mine = edited(store.read_layer("cluster_lots"), "l1", tenant="Mộc Bảo Hà")
    save_layer(store, "cluster_lots", edited(lots(), "l2", status="building"), actor=binh, base_version=1, message="b")
    rebase = rebase_edit(store, "cluster_lots", mine, base_version=1)
    save_layer(
        store,
        "cluster_lots",
        edited(store.read_layer("cluster_lots"), "l3", status="vacant"),
        actor=chi,
        base_version=2,
        message="c",
    )
    with pytest.raises(VersionConflictError) as refused:
        save_rebased(store, "cluster_lots", rebase, {}, actor=ana, message="a")
    assert refused.value.params["current"] == 3 and refused.value.params["base"] == 2
    assert store.current_version("cluster_lots") == 3  # nothing written
    again = rebase_edit(store, "cluster_lots", mine, base_version=1)
    assert again.changes.users == ("binh", "chi") and again.changed_by == "chi" and again.clean
    save_rebased(store, "cluster_lots", again, {}, actor=ana, message="a")
    layer = store.read_layer("cluster_lots").set_index("id")
    assert (layer.loc["l1", "tenant"], layer.loc["l2", "status"], layer.loc["l3", "status"]) == (
        "Mộc Bảo Hà",
        "building",
        "vacant",
    )


def test_the_saved_merge_keeps_the_layers_column_kinds(store: Store) -> None:
    ana, binh = two_writers(store)
    before = store.read_layer("cluster_lots")
    mine = edited(before, "l1", workers=4, leased_on=dt.date(2025, 1, 2))
    save_layer(store, "cluster_lots", edited(before, "l3", lot_no="A3b"), actor=binh, base_version=1, message="b")
    save_rebased(
        store, "cluster_lots", rebase_edit(store, "cluster_lots", mine, base_version=1), {}, actor=ana, message="a"
    )
    after = store.read_layer("cluster_lots")
    assert after.dtypes.astype(str).to_dict() == before.dtypes.astype(str).to_dict()
    lot = after.set_index("id").loc["l1"]
    assert (lot["workers"], lot["leased_on"]) == (4, dt.date(2025, 1, 2))
    assert after.set_index("id").loc["l3", "lot_no"] == "A3b"


def test_changes_since_a_version_and_a_layer_created_meanwhile(store: Store) -> None:
    ana, binh = editor(store, "ana"), editor(store, "binh")
    assert not changes_since(store, "cluster_lots", 0).changed
    save_layer(store, "cluster_lots", lots(), actor=binh, base_version=0, message="binh first")
    changes = changes_since(store, "cluster_lots", 0)
    assert changes.changed and (changes.current_version, changes.changed_by) == (1, "binh")
    assert changes.to_dict()["versions"][0]["message"] == "binh first"
    assert not changes_since(store, "cluster_lots", 1).changed
    # Ana drew a fourth lot on the empty layer: it applies, Binh's three lots stay
    mine = lots().iloc[[0]].assign(id=["l4"], lot_no=["B1"])
    rebase = rebase_edit(store, "cluster_lots", mine, base_version=0)
    assert rebase.clean and rebase.merge.applied == ("l4",)
    save_rebased(store, "cluster_lots", rebase, {}, actor=ana, message="B1")
    assert sorted(store.read_layer("cluster_lots")["id"]) == ["l1", "l2", "l3", "l4"]


def test_a_bad_choice_writes_nothing_and_says_so_in_both_languages(store: Store) -> None:
    ana, binh = two_writers(store)
    mine = edited(store.read_layer("cluster_lots"), "l2", status="operating")
    save_layer(store, "cluster_lots", edited(lots(), "l2", status="vacant"), actor=binh, base_version=1, message="b")
    rebase = rebase_edit(store, "cluster_lots", mine, base_version=1)
    for choices, code in (({"l1": "mine"}, "merge.not_in_conflict"), ({"l2": "both"}, "merge.bad_choice")):
        with pytest.raises(InputDataError) as refused:
            save_rebased(store, "cluster_lots", rebase, choices, actor=ana, message="a")
        assert refused.value.code == code
        assert describe(refused.value, "vi") != describe(refused.value, "en")
    assert store.current_version("cluster_lots") == 2
    with pytest.raises(ValueError, match="not 'other'"):
        save_rebased(store, "other", rebase, {}, actor=ana, message="a")

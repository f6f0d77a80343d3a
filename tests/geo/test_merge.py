"""Three-way merge of feature layers by feature id (geo.merge): the plain cases, then invariants with hypothesis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from hypothesis import given, settings
from hypothesis import strategies as hs

from geo.errors import InputDataError
from geo.merge import Merge, merge_features

WORK = "EPSG:9208"
X0, Y0 = 472_000.0, 2_460_000.0


def box(i: int, grow: float = 0.0) -> shapely.Polygon:
    return shapely.box(X0 + 20 * i, Y0, X0 + 20 * i + 10 + grow, Y0 + 10)


def lots(
    rows: list[tuple[str, str, str | None]], *, shapes: dict[str, shapely.Geometry] | None = None
) -> gpd.GeoDataFrame:
    """Lots (id, status, tenant), lot i drawn as the i-th box unless ``shapes`` gives it."""
    shapes = shapes or {}
    return gpd.GeoDataFrame(
        {
            "id": [r[0] for r in rows],
            "status": [r[1] for r in rows],
            "tenant": pd.Series([r[2] for r in rows], dtype=object),
        },
        geometry=[shapes.get(r[0], box(int(r[0][3:]))) for r in rows],
        crs=WORK,
    )


BASE = lots([("lot1", "vacant", None), ("lot2", "allocated", "Cơ khí"), ("lot3", "operating", "Nhôm kính")])


def by_id(frame: gpd.GeoDataFrame) -> dict[str, tuple[Any, ...]]:
    """Each feature's id -> (attributes in column order, normalised geometry WKB), empty values as None."""
    out: dict[str, tuple[Any, ...]] = {}
    cols = [c for c in frame.columns if c not in ("id", frame.geometry.name)]
    for i, fid in enumerate(frame["id"].astype(str)):
        values = tuple(None if pd.isna(frame[c].iloc[i]) else frame[c].iloc[i] for c in sorted(cols))
        out[fid] = (*values, shapely.normalize(frame.geometry.iloc[i]).wkb)
    return out


# --- the cases the issue names ----------------------------------------------------------------------------------------


def test_an_edit_to_another_lot_applies_cleanly() -> None:
    mine = BASE.copy()
    mine.loc[mine["id"] == "lot1", "status"] = "building"
    theirs = BASE.copy()
    theirs.loc[theirs["id"] == "lot3", "tenant"] = "Nhôm kính Phố Ràng"
    merged = merge_features(BASE, mine, theirs)
    assert merged.clean and merged.applied == ("lot1",)
    frame = merged.frame.set_index("id")
    assert frame.loc["lot1", "status"] == "building"  # mine
    assert frame.loc["lot3", "tenant"] == "Nhôm kính Phố Ràng"  # theirs
    assert frame.loc["lot2", "tenant"] == "Cơ khí"


def test_the_same_lot_edited_by_both_is_a_conflict_with_the_three_rows() -> None:
    mine = BASE.copy()
    mine.loc[mine["id"] == "lot2", "status"] = "operating"
    theirs = BASE.copy()
    theirs.loc[theirs["id"] == "lot2", "tenant"] = "Cơ khí Bảo Yên"
    merged = merge_features(BASE, mine, theirs)
    assert merged.applied == ()
    (conflict,) = merged.conflicts
    assert (conflict.id, conflict.kind) == ("lot2", "edited")
    assert conflict.base is not None and conflict.mine is not None and conflict.theirs is not None
    assert (conflict.base["status"], conflict.mine["status"], conflict.theirs["status"]) == (
        "allocated",
        "operating",
        "allocated",
    )
    assert conflict.theirs["tenant"] == "Cơ khí Bảo Yên" and conflict.mine["tenant"] == "Cơ khí"
    assert set(conflict.fields) == {"status", "tenant"}
    # unresolved, the current version's lot stays; resolved, the chosen side's whole row
    assert merged.frame.set_index("id").loc["lot2", "tenant"] == "Cơ khí Bảo Yên"
    kept_mine = merged.resolve({"lot2": "mine"}).set_index("id").loc["lot2"]
    assert (kept_mine["status"], kept_mine["tenant"]) == ("operating", "Cơ khí")
    kept_theirs = merged.resolve({"lot2": "theirs"}).set_index("id").loc["lot2"]
    assert (kept_theirs["status"], kept_theirs["tenant"]) == ("allocated", "Cơ khí Bảo Yên")
    as_json = conflict.to_dict()
    assert as_json["mine"]["geometry"].startswith("POLYGON") and as_json["kind"] == "edited"


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    mine = BASE.copy()
    mine.loc[mine["id"] == "lot1", "status"] = "building"
    merged = merge_features(BASE, mine, mine.copy())
    assert merged.clean and merged.applied == ()
    assert merged.frame.set_index("id").loc["lot1", "status"] == "building"


def test_rows_are_matched_by_id_never_by_position() -> None:
    # theirs deleted lot1, so every later lot moved up a row; mine edited lot3
    theirs = BASE[BASE["id"] != "lot1"].reset_index(drop=True)
    mine = BASE.copy()
    mine.loc[mine["id"] == "lot3", "tenant"] = "Gỗ Bảo Hà"
    merged = merge_features(BASE, mine.iloc[::-1].reset_index(drop=True), theirs)
    assert merged.clean and merged.applied == ("lot3",)
    frame = merged.frame
    assert frame["id"].tolist() == ["lot2", "lot3"]  # theirs' order
    assert frame.set_index("id").loc["lot2", "tenant"] == "Cơ khí"
    assert frame.set_index("id").loc["lot3", "tenant"] == "Gỗ Bảo Hà"


def test_additions_and_deletions() -> None:
    added = lots([("lot4", "vacant", None)])
    mine = pd.concat([BASE[BASE["id"] != "lot2"], added], ignore_index=True)
    theirs = pd.concat([BASE, lots([("lot5", "building", "Mộc")])], ignore_index=True)
    merged = merge_features(BASE, mine, theirs)
    assert merged.clean and set(merged.applied) == {"lot2", "lot4"}
    assert merged.frame["id"].tolist() == ["lot1", "lot3", "lot5", "lot4"]


def test_an_id_added_by_both_with_other_content_is_a_conflict() -> None:
    mine = pd.concat([BASE, lots([("lot4", "vacant", None)])], ignore_index=True)
    theirs = pd.concat([BASE, lots([("lot4", "operating", "Mộc")], shapes={"lot4": box(9)})], ignore_index=True)
    merged = merge_features(BASE, mine, theirs)
    (conflict,) = merged.conflicts
    assert (conflict.id, conflict.kind, conflict.base) == ("lot4", "added", None)
    assert "geometry" in conflict.fields and "status" in conflict.fields
    assert merged.resolve({"lot4": "mine"}).set_index("id").loc["lot4", "status"] == "vacant"
    same = merge_features(BASE, mine, mine.copy())
    assert same.clean and len(same.frame) == 4


def test_deleted_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    changed = BASE.copy()
    changed.loc[changed["id"] == "lot2", "status"] = "operating"
    deleted = BASE[BASE["id"] != "lot2"].reset_index(drop=True)

    mine_deleted = merge_features(BASE, deleted, changed)
    (conflict,) = mine_deleted.conflicts
    assert (conflict.kind, conflict.mine, conflict.fields) == ("deleted_mine", None, ("status",))
    assert "lot2" in set(mine_deleted.frame["id"])  # theirs kept until chosen
    assert "lot2" not in set(mine_deleted.resolve({"lot2": "mine"})["id"])

    theirs_deleted = merge_features(BASE, changed, deleted)
    (conflict,) = theirs_deleted.conflicts
    assert (conflict.kind, conflict.theirs) == ("deleted_theirs", None)
    assert "lot2" not in set(theirs_deleted.frame["id"])
    back = theirs_deleted.resolve({"lot2": "mine"})
    assert back["id"].tolist() == ["lot1", "lot3", "lot2"]
    assert back.set_index("id").loc["lot2", "status"] == "operating"


def test_deleting_an_unchanged_lot_or_deleting_on_both_sides_is_clean() -> None:
    deleted = BASE[BASE["id"] != "lot2"].reset_index(drop=True)
    assert merge_features(BASE, deleted, BASE).frame["id"].tolist() == ["lot1", "lot3"]
    assert merge_features(BASE, BASE, deleted).frame["id"].tolist() == ["lot1", "lot3"]
    both = merge_features(BASE, deleted, deleted)
    assert both.clean and both.frame["id"].tolist() == ["lot1", "lot3"]


def test_geometry_is_compared_within_a_centimetre() -> None:
    moved = BASE.copy()
    moved.geometry = [box(1, grow=0.004), box(2), box(3)]  # 4 mm: the same lot
    theirs = BASE.copy()
    theirs.loc[theirs["id"] == "lot1", "status"] = "building"
    assert merge_features(BASE, moved, theirs).clean
    reshaped = BASE.copy()
    reshaped.geometry = [box(1, grow=5.0), box(2), box(3)]
    merged = merge_features(BASE, reshaped, theirs)
    (conflict,) = merged.conflicts
    assert conflict.fields == ("status", "geometry")
    # the same shape with its ring started elsewhere is the same shape
    rotated = BASE.copy()
    ring = list(box(1).exterior.coords)[:-1]
    rotated.geometry = [shapely.Polygon(ring[2:] + ring[:2]), box(2), box(3)]
    assert merge_features(BASE, rotated, theirs).clean


def test_a_column_added_by_theirs_is_kept_with_its_values() -> None:
    theirs = BASE.copy()
    theirs["sector"] = ["", "Cơ khí", "Nhôm"]
    mine = BASE.copy()
    mine.loc[mine["id"] == "lot3", "status"] = "building"
    merged = merge_features(BASE, mine, theirs)
    assert merged.applied == ("lot3",)  # theirs added a column to lot3 too, but mine has no opinion on it
    frame = merged.frame.set_index("id")
    assert list(merged.frame.columns) == ["id", "status", "tenant", "geometry", "sector"]
    assert (frame.loc["lot3", "status"], frame.loc["lot3", "sector"]) == ("building", "Nhôm")


def test_values_compare_as_the_store_keeps_them() -> None:
    day = dt.date(2024, 3, 1)
    base = BASE.assign(leased_on=[day, None, None], area=[1.0, np.nan, 2.0], n=pd.array([1, None, 3], "Int64"))
    mine = BASE.assign(
        leased_on=pd.to_datetime(pd.Series([day, None, None])),  # a midnight timestamp is its date
        area=[1.0, None, 2.0],
        n=[1.0, np.nan, 3.0],
    )
    mine["tenant"] = mine["tenant"].map(lambda v: None if v is None else v.replace("ơ", "o\u031b"))  # NFD
    merged = merge_features(base, mine, base)
    assert merged.clean and merged.applied == ()


def test_dtypes_survive_the_merge() -> None:
    base = BASE.assign(n=pd.array([1, None, 3], "Int64"), leased_on=[dt.date(2024, 3, 1), None, None])
    mine = base.copy()
    mine.loc[mine["id"] == "lot1", "n"] = 7
    merged = merge_features(base, mine, base).frame
    assert str(merged["n"].dtype) == "Int64" and merged["n"].tolist()[0] == 7
    assert merged["leased_on"].tolist()[0] == dt.date(2024, 3, 1)
    assert merged.crs == BASE.crs


def test_a_first_version_merges_from_an_empty_base() -> None:
    empty = gpd.GeoDataFrame({"id": []}, geometry=gpd.GeoSeries([], crs=WORK))
    merged = merge_features(empty, BASE, lots([("lot9", "vacant", None)]))
    assert merged.clean and set(merged.frame["id"]) == {"lot1", "lot2", "lot3", "lot9"}


def test_bad_ids_and_crs_are_refused() -> None:
    twice = pd.concat([BASE, BASE.iloc[[0]]], ignore_index=True)
    with pytest.raises(InputDataError, match="repeated: lot1") as info:
        merge_features(BASE, twice, BASE)
    assert info.value.code == "merge.bad_ids" and info.value.params["frame"] == "mine"
    blank = BASE.copy()
    blank.loc[1, "id"] = None
    with pytest.raises(InputDataError, match="empty in row"):
        merge_features(BASE, BASE, blank)
    with pytest.raises(InputDataError, match="no `id` column"):
        merge_features(BASE, BASE.drop(columns="id"), BASE)
    with pytest.raises(ValueError, match="different CRSs"):
        merge_features(BASE, BASE.to_crs("EPSG:4326"), BASE)
    merged = merge_features(BASE, BASE, BASE)
    with pytest.raises(InputDataError, match="not in conflict"):
        merged.resolve({"lot1": "mine"})


def test_a_choice_is_mine_or_theirs() -> None:
    mine = BASE.assign(status=["building"] * 3)
    theirs = BASE.assign(status=["operating"] * 3)
    merged = merge_features(BASE, mine, theirs)
    with pytest.raises(InputDataError, match="neither mine nor theirs"):
        merged.resolve({"lot1": "both"})
    assert {c.id for c in merged.conflicts} == {"lot1", "lot2"}  # lot3 was "operating" already
    assert merged.resolve({"lot1": "mine"})["status"].tolist() == ["building", "operating", "building"]


# --- invariants -------------------------------------------------------------------------------------------------------

IDS = [f"lot{i}" for i in range(6)]
#: what one side does to a feature of base: keep, change its status, move it, delete it
OPS = hs.sampled_from(["keep", "status", "shape", "delete"])


@hs.composite
def three_versions(draw: hs.DrawFn) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    present = draw(hs.lists(hs.sampled_from(IDS), min_size=0, max_size=len(IDS), unique=True))
    base_rows = [(fid, draw(hs.sampled_from(["vacant", "allocated"])), None) for fid in present]

    def side(name: str) -> gpd.GeoDataFrame:
        rows: list[tuple[str, str, str | None]] = []
        shapes: dict[str, shapely.Geometry] = {}
        for fid, status, tenant in base_rows:
            op = draw(OPS, label=f"{name} {fid}")
            if op == "delete":
                continue
            if op == "shape":
                shapes[fid] = box(int(fid[3:]), grow=draw(hs.sampled_from([1.0, 2.0])))
            rows.append((fid, draw(hs.sampled_from(["building", "operating"])) if op == "status" else status, tenant))
        for fid in IDS:
            if fid not in present and draw(hs.booleans(), label=f"{name} adds {fid}"):
                rows.append((fid, draw(hs.sampled_from(["vacant", "building"])), None))
        order = draw(hs.permutations(range(len(rows))))
        return lots([rows[i] for i in order], shapes=shapes)

    return lots(base_rows), side("mine"), side("theirs")


@settings(max_examples=150, deadline=None)
@given(three_versions())
def test_the_merge_is_decided_by_id_and_content_alone(
    versions: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    base, mine, theirs = versions
    merged = merge_features(base, mine, theirs)
    shuffled = merge_features(base.iloc[::-1], mine.sample(frac=1, random_state=1), theirs)
    assert by_id(shuffled.frame) == by_id(merged.frame)
    assert {c.id for c in shuffled.conflicts} == {c.id for c in merged.conflicts}
    assert set(shuffled.applied) == set(merged.applied)
    # the swap of mine and theirs finds the same conflicts, and resolving all "mine" in one is all "theirs" in the other
    swapped = merge_features(base, theirs, mine)
    assert {c.id for c in swapped.conflicts} == {c.id for c in merged.conflicts}
    every = {c.id for c in merged.conflicts}
    assert by_id(merged.resolve(dict.fromkeys(every, "mine"))) == by_id(swapped.resolve({}))
    assert by_id(merged.resolve({})) == by_id(swapped.resolve(dict.fromkeys(every, "mine")))


@settings(max_examples=150, deadline=None)
@given(three_versions())
def test_one_sided_changes_never_conflict(
    versions: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    base, mine, theirs = versions
    unchanged_mine = merge_features(base, base, theirs)
    assert unchanged_mine.clean and unchanged_mine.applied == ()
    assert by_id(unchanged_mine.frame) == by_id(theirs)
    unchanged_theirs = merge_features(base, mine, base)
    assert unchanged_theirs.clean
    assert by_id(unchanged_theirs.frame) == by_id(mine)
    same = merge_features(base, mine, mine)
    assert same.clean and by_id(same.frame) == by_id(mine)


@settings(max_examples=150, deadline=None)
@given(three_versions())
def test_every_feature_ends_as_one_side_says(
    versions: tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame],
) -> None:
    base, mine, theirs = versions
    merged: Merge = merge_features(base, mine, theirs)
    out = by_id(merged.frame)
    b, m, t = by_id(base), by_id(mine), by_id(theirs)
    conflicting = {c.id for c in merged.conflicts}
    for fid in set(b) | set(m) | set(t):
        if fid in conflicting:
            assert out.get(fid) == t.get(fid)  # unresolved: the current version's
            continue
        mine_changed = m.get(fid) != b.get(fid)
        theirs_changed = t.get(fid) != b.get(fid)
        assert not (mine_changed and theirs_changed and m.get(fid) != t.get(fid))
        expected = m.get(fid) if mine_changed else t.get(fid)
        assert out.get(fid) == expected, fid
        assert (fid in merged.applied) == (mine_changed and not theirs_changed)
    assert len(merged.frame) == len(out)  # no id twice


def test_nothing_changed_gives_the_current_version_back_unchanged() -> None:
    theirs = BASE.assign(n=pd.array([1, None, 3], "Int64"), leased_on=[dt.date(2024, 3, 1), None, None])
    assert_geodataframe_equal(merge_features(BASE, BASE, theirs).frame, theirs[[*BASE.columns, "n", "leased_on"]])
    assert_geodataframe_equal(merge_features(theirs, theirs, theirs).frame, theirs)

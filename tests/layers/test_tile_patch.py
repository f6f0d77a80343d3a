"""An edit patched into the tile file of the version before: the same tiles as a full build, byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import shapely.affinity

from layers import tiles
from tests.tiles_data import PLOTS_LAYER, plots

STORE = "/srv/baoyen/baoyen.gpkg"
COLUMNS = ("geom_quality", "species")
REPO = Path(__file__).resolve().parents[2]


def rounded(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The plots as 49-vertex rounds: detailed enough for GDAL's simplification (boxes are not simplified)."""
    out = frame.copy()
    out["geometry"] = frame.geometry.centroid.buffer(20, quad_segs=12)
    return out


def edited(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One plot moved 40 m, one given another species, one deleted and one added: four kinds of edit."""
    out = frame.copy()
    out.loc[out.index[10], "geometry"] = shapely.affinity.translate(out.geometry.iloc[10], 40.0, 0.0)
    out.loc[out.index[20], "species"] = "che" if out.loc[out.index[20], "species"] != "che" else "que"
    added = out.iloc[[30]].copy()
    added["geometry"] = shapely.affinity.translate(out.geometry.iloc[30], 0.0, 25.0).buffer(5)
    return gpd.GeoDataFrame(
        [*out.drop(index=out.index[40]).itertuples(index=False), *added.itertuples(index=False)],
        columns=out.columns,
        geometry="geometry",
        crs=out.crs,
    )


def archive(path: Path):  # type: ignore[no-untyped-def]
    header, metadata, held = tiles._read_archive(path)
    return header, metadata, held


@pytest.mark.parametrize("shape", ["boxes", "rounds"])
def test_a_patched_file_holds_the_tiles_and_metadata_of_a_full_build(tmp_path: Path, shape: str) -> None:
    before = plots(1200) if shape == "boxes" else rounded(plots(1200))
    after = edited(before)
    old, new = tiles.tile_frame(before, COLUMNS), tiles.tile_frame(after, COLUMNS)
    boxes = tiles.changed_boxes(old, new)
    assert boxes is not None and len(boxes) == 6  # moved and restyled (before and after each), gone, added
    base = tiles.build_tiles(old, tmp_path / "v1.pmtiles", columns=COLUMNS)
    full = tiles.build_tiles(new, tmp_path / "full.pmtiles", columns=COLUMNS)
    patched = tiles.patch_tiles(new, tmp_path / "v2.pmtiles", base=base.path, boxes=boxes, columns=COLUMNS)
    assert patched is not None and patched.features == len(new)
    full_header, full_meta, full_tiles = archive(full.path)
    header, meta, held = archive(patched.path)
    assert held == full_tiles  # every tile, byte for byte
    assert held != archive(base.path)[2]  # and the edit is in them
    assert {k: v for k, v in meta.items() if k != "name"} == {k: v for k, v in full_meta.items() if k != "name"}
    assert meta["name"] == "v2"
    placed = ("min_zoom", "max_zoom", "min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7", "center_zoom")
    assert {k: header[k] for k in placed} == {k: full_header[k] for k in placed}
    assert abs(header["center_lon_e7"] - full_header["center_lon_e7"]) <= 1
    assert abs(header["center_lat_e7"] - full_header["center_lat_e7"]) <= 1
    assert tiles.file_content(patched.path) == tiles.content_digest(new)
    # GDAL reads it as it reads its own file
    assert tiles.found_in(patched.path, after, zoom=tiles.MAX_ZOOM).all()
    assert not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("shape", ["boxes", "rounds"])
def test_a_patch_repaints_the_overview_around_the_edit_only_and_records_it(tmp_path: Path, shape: str) -> None:
    before = plots(800) if shape == "boxes" else rounded(plots(800))
    keys = sorted(set(before["geom_quality"] + tiles.STYLE_KEY_SEP + before["species"]))
    styles = tuple(
        ((40 * i % 256, 90, 200, 120), (0, 0, 40 * i % 256, 255) if i % 3 else None) for i in range(len(keys))
    )
    palette = tiles.Palette({k: i for i, k in enumerate(keys)}, styles)
    after = edited(before)
    old, new = tiles.tile_frame(before, COLUMNS), tiles.tile_frame(after, COLUMNS)
    base = tiles.build_tiles(old, tmp_path / "v1.pmtiles", columns=COLUMNS, palette=palette)
    patched = tiles.patch_tiles(
        new, tmp_path / "v2.pmtiles", base=base.path, boxes=tiles.changed_boxes(old, new) or [], columns=COLUMNS,
        palette=palette,
    )  # fmt: skip
    full = tiles.build_tiles(new, tmp_path / "full.pmtiles", columns=COLUMNS, palette=palette)
    assert patched is not None and patched.overview == full.overview
    assert tiles.file_overview(patched.path) == full.overview
    assert tiles.overview_path(patched.path).read_bytes() == tiles.overview_path(full.path).read_bytes()
    assert not tiles.pending_path(patched.path).exists()
    # painted around the edit only (the layer's extent is the same): the same pixels as painted whole
    boxes = tiles.changed_boxes(old, new) or []
    window = tiles._patch_overview(new, tmp_path / "window.png", base.path, boxes, palette)
    assert window == full.overview
    assert (tmp_path / "window.png").read_bytes() == tiles.overview_path(full.path).read_bytes()
    assert (tmp_path / "window.png").read_bytes() != tiles.overview_path(base.path).read_bytes()
    # a layer whose extent grew gets a new grid: painted whole
    grown = new.copy()
    grown.loc[grown.index[0], "geometry"] = shapely.affinity.translate(new.geometry.iloc[0], -0.05, 0.0)  # west
    wider = tiles.changed_boxes(old, grown) or []
    assert tiles._patch_overview(grown, tmp_path / "grown.png", base.path, wider, palette) is None
    assert not (tmp_path / "grown.png").exists()
    # new colours, no shape changed: no tile to encode again, and the image is painted whole in them
    recoloured = tiles.Palette(palette.lookup, tuple(((9, 9, 9, 255), s) for _f, s in palette.styles))
    assert tiles._patch_overview(new, tmp_path / "recoloured.png", base.path, boxes, recoloured) is None
    redone = tiles.patch_tiles(new, tmp_path / "v4.pmtiles", base=patched.path, boxes=[], columns=COLUMNS,
                               palette=recoloured)  # fmt: skip
    painted = tiles.build_tiles(new, tmp_path / "painted.pmtiles", columns=COLUMNS, palette=recoloured)
    assert redone is not None and tiles._read_archive(redone.path)[2] == tiles._read_archive(full.path)[2]
    assert tiles.overview_path(redone.path).read_bytes() == tiles.overview_path(painted.path).read_bytes()
    # a base whose image has gone (removed by a newer build meanwhile): the image is painted whole
    tiles.overview_path(base.path).unlink()
    assert tiles._patch_overview(new, tmp_path / "gone.png", base.path, boxes, palette) is None
    again = tiles.patch_tiles(new, tmp_path / "v3.pmtiles", base=base.path, boxes=boxes, columns=COLUMNS,
                              palette=palette)  # fmt: skip
    assert again is not None and again.overview == full.overview
    assert tiles.overview_path(again.path).read_bytes() == tiles.overview_path(full.path).read_bytes()


def test_which_features_changed_is_found_by_content_and_order() -> None:
    frame = tiles.tile_frame(plots(50), COLUMNS)
    assert tiles.changed_boxes(frame, frame.copy()) == []
    moved = frame.copy()
    moved.loc[moved.index[3], "geometry"] = shapely.affinity.translate(frame.geometry.iloc[3], 0.001, 0.0)
    boxes = tiles.changed_boxes(frame, moved)
    assert boxes == [tuple(frame.geometry.iloc[3].bounds), tuple(moved.geometry.iloc[3].bounds)]
    twice = gpd.GeoDataFrame(
        [*frame.itertuples(index=False), *frame.iloc[[7]].itertuples(index=False)],
        columns=frame.columns, geometry="geometry", crs=frame.crs,
    )  # fmt: skip
    assert tiles.changed_boxes(twice, frame) == [tuple(frame.geometry.iloc[7].bounds)]  # one of two copies went
    swapped = frame.iloc[[1, 0, *range(2, 50)]]
    assert tiles.changed_boxes(frame, swapped) is None  # the tiles draw them in another order: built again
    assert tiles.changed_boxes(frame, frame[["geom_quality", "geometry"]]) is None


def test_a_file_cut_otherwise_or_an_edit_everywhere_is_built_again(tmp_path: Path) -> None:
    before, after = plots(600), edited(plots(600))
    old, new = tiles.tile_frame(before, COLUMNS), tiles.tile_frame(after, COLUMNS)
    boxes = tiles.changed_boxes(old, new)
    assert boxes is not None
    other = tiles.build_tiles(old, tmp_path / "zooms.pmtiles", columns=COLUMNS, min_zoom=10, max_zoom=14)
    assert tiles.patch_tiles(new, tmp_path / "a.pmtiles", base=other.path, boxes=boxes, columns=COLUMNS) is None
    base = tiles.build_tiles(old, tmp_path / "v1.pmtiles", columns=COLUMNS)
    one = ("geom_quality",)
    assert tiles.patch_tiles(tiles.tile_frame(after, one), tmp_path / "b.pmtiles", base=base.path, boxes=boxes,
                             columns=one) is None  # fmt: skip
    shifted = before.copy()
    shifted["geometry"] = before.geometry.translate(xoff=30.0)
    everywhere = tiles.changed_boxes(old, tiles.tile_frame(shifted, COLUMNS))
    assert everywhere is not None and len(everywhere) == 2 * len(old)
    assert tiles.patch_tiles(new, tmp_path / "c.pmtiles", base=base.path, boxes=everywhere, columns=COLUMNS) is None
    (tmp_path / "junk.pmtiles").write_bytes(b"not a tile file")
    assert tiles.patch_tiles(new, tmp_path / "d.pmtiles", base=tmp_path / "junk.pmtiles", boxes=boxes,
                             columns=COLUMNS) is None  # fmt: skip
    assert not any((tmp_path / n).exists() for n in ("a.pmtiles", "b.pmtiles", "c.pmtiles", "d.pmtiles"))


def test_the_base_is_the_newest_other_file_of_the_layer_carrying_the_same_columns(tmp_path: Path) -> None:
    frame = tiles.tile_frame(plots(100), COLUMNS)
    for version in (9, 10):
        tiles.build_tiles(frame, tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, version, COLUMNS), columns=COLUMNS)
    dest = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 11, COLUMNS)
    found = tiles.patch_base(tmp_path, STORE, PLOTS_LAYER, dest, COLUMNS)
    assert found is not None and tiles.file_version(found) == 10  # by number, not by name ("v10" < "v9")
    assert tiles.patch_base(tmp_path, STORE, PLOTS_LAYER, dest, ("geom_quality",)) is None
    assert tiles.patch_base(tmp_path, STORE, "cluster_lots", dest, COLUMNS) is None
    assert tiles.file_version(Path("abc-layer-v12-0123456789ab.pmtiles")) == 12
    assert tiles.file_version(Path("nonsense.pmtiles")) is None


def test_the_build_process_patches_when_given_a_base(tmp_path: Path) -> None:
    before, after = plots(900), edited(plots(900))
    old, new = tiles.tile_frame(before, COLUMNS), tiles.tile_frame(after, COLUMNS)
    base = tiles.build_tiles(old, tmp_path / "v1.pmtiles", columns=COLUMNS)
    tiles.write_frame(new, tmp_path / tiles.FRAME_FILE)
    outputs = []
    patch = {"base": str(base.path), "boxes": tiles.changed_boxes(old, new), "digest": tiles.content_digest(new)}
    for name, extra in (("v2", patch), ("v3", {})):
        job = {"frame": str(tmp_path / tiles.FRAME_FILE), "dest": str(tmp_path / f"{name}.pmtiles"),
               "columns": list(COLUMNS), **extra}  # fmt: skip
        run = subprocess.run(
            [sys.executable, "-m", "layers.tiles", tiles.STANDBY],
            cwd=REPO, input=json.dumps(job) + "\n", capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        outputs.append(json.loads(run.stdout.strip().splitlines()[-1]))
    assert [o["patched"] for o in outputs] == [True, False]
    assert tiles.file_content(tmp_path / "v2.pmtiles") == tiles.file_content(tmp_path / "v3.pmtiles") == patch["digest"]
    assert archive(tmp_path / "v2.pmtiles")[2] == archive(tmp_path / "v3.pmtiles")[2]

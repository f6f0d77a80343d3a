"""The PMTiles a layer version becomes: what the file holds, what it is called, which files a new version removes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from layers import tiles
from layers.catalogue import CATALOGUE
from tests.tiles_data import PLOTS_LAYER, plots

STORE = "/srv/baoyen/baoyen.gpkg"
COLUMNS = ("geom_quality", "species")


@pytest.fixture(scope="module")
def frame() -> gpd.GeoDataFrame:
    return plots(3000)


@pytest.fixture(scope="module")
def built(frame: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> tiles.TileFile:
    dest = tmp_path_factory.mktemp("tiles") / tiles.tile_name(STORE, PLOTS_LAYER, 1, COLUMNS)
    return tiles.build_tiles(frame, dest, columns=COLUMNS, min_zoom=10, max_zoom=13)


def test_the_file_holds_every_feature_at_the_deepest_zoom(frame: gpd.GeoDataFrame, built: tiles.TileFile) -> None:
    assert built.path.is_file() and built.bytes == built.path.stat().st_size > 0
    assert built.features == len(frame)
    assert tiles.found_in(built.path, frame, zoom=13).all()
    # and nothing else: a place between the plots holds no feature
    gaps = frame.copy()
    gaps["geometry"] = frame.geometry.translate(xoff=frame.geometry.bounds.eval("maxx - minx").max() * 0.75)
    assert not tiles.found_in(built.path, gaps.iloc[:50], zoom=13).any()


def tile_piece_at(back: gpd.GeoDataFrame, frame: gpd.GeoDataFrame, plot_id: str) -> gpd.GeoDataFrame:
    """The tile features that hold the interior point of ``plot_id`` (a feature cut by a tile edge: one piece)."""
    point = frame[frame["id"] == plot_id].to_crs(back.crs).geometry.iloc[0].point_on_surface()
    return back[back.geometry.intersects(point)]


def test_the_first_zoom_holds_the_features_too_and_carries_their_style_fields(
    frame: gpd.GeoDataFrame, built: tiles.TileFile
) -> None:
    back = tiles.read_tiles(built.path, zoom=10)
    assert tiles.found_in(built.path, frame, zoom=10).all()
    assert set(back.columns) == {*COLUMNS, "geometry", "mvt_id"}  # no id: a click is found by place
    assert back["mvt_id"].isna().all()
    (one,) = tile_piece_at(back, frame, "plot_7").itertuples()
    src = frame.set_index("id").loc["plot_7"]
    assert (one.species, one.geom_quality) == (src["species"], src["geom_quality"])
    assert "name" not in back.columns and "owner" not in back.columns  # popups read the store, not the tiles


def test_features_land_where_they_are(frame: gpd.GeoDataFrame, built: tiles.TileFile) -> None:
    back = tiles.read_tiles(built.path, zoom=13)
    truth = frame[frame["id"] == "plot_100"].to_crs("EPSG:4326").geometry.iloc[0]
    pieces = back[back.geometry.within(frame[frame["id"] == "plot_100"].to_crs(back.crs).geometry.iloc[0].buffer(5))]
    plot = pieces.to_crs("EPSG:4326").geometry.union_all()
    # a zoom-13 tile's grid is ~1.2 m here: the shape comes back within a few metres (1e-4° ~ 11 m)
    assert shapely.hausdorff_distance(plot, truth) < 1e-4


def test_features_without_a_place_are_left_out(tmp_path: Path) -> None:
    frame = plots(10)
    frame.loc[3, "geometry"] = None
    frame.loc[4, "geometry"] = shapely.Polygon()
    written = tiles.build_tiles(frame, tmp_path / "a.pmtiles", columns=("species",), min_zoom=12, max_zoom=12)
    assert written.features == 8
    assert tiles.found_in(written.path, plots(10), zoom=12).tolist() == [True] * 3 + [False] * 2 + [True] * 5


def test_a_missing_value_is_carried_as_empty_text(tmp_path: Path) -> None:
    frame = plots(5)
    frame["species"] = frame["species"].astype(object)
    frame.loc[0, "species"] = None
    written = tiles.build_tiles(frame, tmp_path / "a.pmtiles", columns=COLUMNS, min_zoom=12, max_zoom=12)
    back = tiles.read_tiles(written.path, zoom=12)
    assert tile_piece_at(back, frame, "plot_0")["species"].tolist() == [""]
    assert tile_piece_at(back, frame, "plot_1")["species"].tolist() == [frame.loc[1, "species"]]


def test_no_partial_file_is_left_when_the_build_fails(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no column"):
        tiles.build_tiles(plots(5), tmp_path / "a.pmtiles", columns=("species", "nope"))
    assert list(tmp_path.iterdir()) == []


def test_a_killed_build_s_temporary_file_is_deleted_by_the_next_build(tmp_path: Path) -> None:
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)  # a process that has ended: its part file is what a kill -9 leaves
    name = tiles.tile_name(STORE, PLOTS_LAYER, 1, COLUMNS)
    dead = tmp_path / f".{name}.{dead_pid}.part"
    running = tmp_path / f".{name}.{os.getpid()}.part"  # this process: alive, as a build under way is
    other = tmp_path / "notes.part"  # not a build's
    for p in (dead, running, other):
        p.write_bytes(b"half a file")
    written = tiles.build_tiles(plots(5), tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 2, COLUMNS), columns=COLUMNS)
    assert sorted(tmp_path.iterdir()) == sorted([written.path, running, other])  # a build under way is kept


def test_names_key_store_layer_version_and_contents() -> None:
    name = tiles.tile_name(STORE, PLOTS_LAYER, 3, COLUMNS)
    assert name == tiles.tile_name(STORE, PLOTS_LAYER, 3, COLUMNS)
    assert name.startswith(f"{tiles.store_tag(STORE)}-{PLOTS_LAYER}-v3-") and name.endswith(".pmtiles")
    others = {
        tiles.tile_name(STORE, PLOTS_LAYER, 4, COLUMNS),
        tiles.tile_name("/other/store.gpkg", PLOTS_LAYER, 3, COLUMNS),
        tiles.tile_name(STORE, "cluster_lots", 3, COLUMNS),
        tiles.tile_name(STORE, PLOTS_LAYER, 3, ("id",)),
    }
    assert name not in others and len(others) == 4


def test_a_database_url_never_reaches_a_file_name() -> None:
    url = "postgresql://planner:secret@db/baoyen"
    name = tiles.tile_name(url, PLOTS_LAYER, 1, COLUMNS)
    assert "secret" not in name and "planner" not in name


def test_superseded_files_are_removed_and_others_kept(tmp_path: Path) -> None:
    old = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 1, COLUMNS)
    new = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 2, COLUMNS)
    other_layer = tmp_path / tiles.tile_name(STORE, "cluster_lots", 1, ("id",))
    other_store = tmp_path / tiles.tile_name("/elsewhere.gpkg", PLOTS_LAYER, 1, COLUMNS)
    for p in (old, new, other_layer, other_store):
        p.write_bytes(b"x")
    assert tiles.layer_files(tmp_path, STORE, PLOTS_LAYER) == sorted([old, new])
    assert tiles.remove_superseded(tmp_path, STORE, PLOTS_LAYER, new) == [old]
    assert sorted(tmp_path.iterdir()) == sorted([new, other_layer, other_store])


def test_a_layer_whose_id_starts_like_another_is_not_touched(tmp_path: Path) -> None:
    mine = tmp_path / tiles.tile_name(STORE, "lots", 1, ("id",))
    longer = tmp_path / tiles.tile_name(STORE, "lots_old", 1, ("id",))
    for p in (mine, longer):
        p.write_bytes(b"x")
    keep = tmp_path / tiles.tile_name(STORE, "lots", 2, ("id",))
    assert tiles.remove_superseded(tmp_path, STORE, "lots", keep) == [mine]
    assert longer.exists()


@pytest.mark.parametrize(
    "gtype, features, coordinates, expected",
    [
        ("Polygon", 100, 500, False),
        ("Polygon", tiles.TILE_MIN_FEATURES, None, True),
        ("Polygon", 2000, tiles.TILE_MIN_COORDINATES, True),
        ("LineString", 20_000, None, True),
        ("Point", 100_000, 100_000, False),
    ],
)
def test_which_layers_are_drawn_from_tiles(gtype: str, features: int, coordinates: int | None, expected: bool) -> None:
    assert tiles.needs_tiles(gtype, features=features, coordinates=coordinates) is expected


def test_tiles_carry_only_the_fields_the_style_reads() -> None:
    lots = CATALOGUE.get("cluster_lots")
    assert tiles.tile_columns(lots, ["id", "name", "status", "tenant", "geom_quality"]) == ("geom_quality", "status")
    zones = CATALOGUE.get("material_zones_plan")
    assert tiles.tile_columns(zones, ["id", "species", "scope"]) == ("species", "scope")


def test_detailed_shapes_are_simplified_by_a_fraction_of_a_pixel_and_boxes_are_left_as_they_are(
    tmp_path: Path,
) -> None:
    boxes = plots(400)
    rounded = boxes.copy()
    rounded["geometry"] = boxes.geometry.centroid.buffer(20, quad_segs=12)  # 49 coordinates each, ~40 m across
    assert tiles.coordinates(rounded) / len(rounded) > tiles.SIMPLIFY_FROM_COORDINATES
    for frame, name in ((boxes, "boxes"), (rounded, "rounded")):
        written = tiles.build_tiles(frame, tmp_path / f"{name}.pmtiles", columns=COLUMNS, min_zoom=10, max_zoom=14)
        assert tiles.found_in(written.path, frame, zoom=10).all() and tiles.found_in(written.path, frame, zoom=14).all()
    low = tiles.read_tiles(tmp_path / "rounded.pmtiles", zoom=10)
    assert tiles.coordinates(low) / len(low) < 12  # ~40 m is 4 tile units at zoom 10: a few vertices do
    deep = tiles.read_tiles(tmp_path / "rounded.pmtiles", zoom=14).to_crs(boxes.crs)
    shape = deep[deep.geometry.intersects(rounded.geometry.iloc[77].centroid)].geometry.union_all()
    # an eighth of a pixel at zoom 14 is ~0.1 m; the tile grid itself ~0.6 m
    assert shapely.hausdorff_distance(shape, rounded.geometry.iloc[77]) < 1.0
    box_back = tiles.read_tiles(tmp_path / "boxes.pmtiles", zoom=10)
    assert tiles.coordinates(box_back) / len(box_back) == 5  # a box keeps its four corners


def test_the_build_command_runs_at_a_lower_priority_when_asked(tmp_path: Path) -> None:
    import json

    from services.tiles import BUILD_NICENESS

    src = tmp_path / "frame.parquet"
    tiles.tile_frame(plots(50), COLUMNS).to_parquet(src)
    dest = tmp_path / "a.pmtiles"
    cmd = [sys.executable, "-m", "layers.tiles", str(src), str(dest), *COLUMNS]
    env = {**os.environ, tiles.NICENESS_ENV: str(BUILD_NICENESS)}
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=repo, env=env)
    said = json.loads(done.stdout.strip().splitlines()[-1])
    assert said["niceness"] == min(19, os.nice(0) + BUILD_NICENESS) and said["features"] == 50
    assert tiles.found_in(dest, plots(50), zoom=tiles.MAX_ZOOM).all()


def test_a_file_that_is_no_tile_file_records_no_content(tmp_path: Path) -> None:
    junk = tmp_path / "junk.pmtiles"
    junk.write_bytes(b"not a PMTiles archive")
    assert tiles.file_content(junk) is None
    assert tiles.file_content(tmp_path / "missing.pmtiles") is None


def test_the_content_digest_follows_shapes_and_carried_values_only() -> None:
    frame = plots(50)
    base = tiles.content_digest(tiles.tile_frame(frame, ("geom_quality", "species")))
    renamed = frame.assign(name="khác", owner="khác")
    assert tiles.content_digest(tiles.tile_frame(renamed, ("geom_quality", "species"))) == base
    other = frame.assign(geom_quality="schematic")
    assert tiles.content_digest(tiles.tile_frame(other, ("geom_quality", "species"))) != base
    assert tiles.content_digest(tiles.tile_frame(frame, ("geom_quality",))) != base
    shifted = frame.set_geometry(frame.geometry.translate(1.0, 0.0))
    assert tiles.content_digest(tiles.tile_frame(shifted, ("geom_quality", "species"))) != base


def _palette(frame: gpd.GeoDataFrame, columns: tuple[str, ...]) -> tiles.Palette:
    """One style per style key of ``frame``: fill (40 + 7 i, 120, 200, 128), outline (i, 0, 0, 255)."""
    shown = tiles.tile_frame(frame, columns)
    keys = sorted(set(shown[list(columns)].astype(str).agg("\x1f".join, axis=1)))
    return tiles.Palette(
        {k: i for i, k in enumerate(keys)},
        tuple((((40 + 7 * i) % 256, 120, 200, 128), (i % 256, 0, 0, 255)) for i in range(len(keys))),
    )


def test_the_overview_paints_each_plot_in_its_style_and_nothing_elsewhere(tmp_path: Path) -> None:
    import rasterio
    import rasterio.errors
    from pyproj import Transformer

    columns = ("geom_quality", "species")
    big = plots(400)
    # 400 plots of ~0.4 km on a 20 x 20 grid: several overview pixels (38 m) each, so their insides are filled
    palette = _palette(big, columns)
    dest = tmp_path / "x.pmtiles.png"
    shown = tiles.tile_frame(big, columns)
    overview = tiles.build_overview(shown, dest, palette)
    assert overview is not None and overview.zoom == tiles.OVERVIEW_ZOOM
    assert not list(tmp_path.glob("*.aux.xml"))  # an image only: no georeferencing sidecar
    with pytest.warns(rasterio.errors.NotGeoreferencedWarning), rasterio.open(dest) as src:  # a plain image
        rgba = src.read()
    assert rgba.shape == (4, overview.height, overview.width)
    to_3857 = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    left, top = to_3857.transform(overview.west, overview.north)
    right, bottom = to_3857.transform(overview.east, overview.south)
    res = (right - left) / overview.width
    assert res == pytest.approx((top - bottom) / overview.height) and res == pytest.approx(
        2 * 20037508.342789244 / (256 * 2**tiles.OVERVIEW_ZOOM)
    )
    centres = shapely.centroid(np.asarray(big.to_crs("EPSG:3857").geometry.array, dtype=object))
    col = ((shapely.get_x(centres) - left) / res).astype(int)
    row = ((top - shapely.get_y(centres)) / res).astype(int)
    for i in (0, 57, 399):
        key = "\x1f".join(str(shown.iloc[i][c]) for c in columns)
        r, g, b, a = palette.styles[palette.lookup[key]][0]
        assert tuple(rgba[:, row[i], col[i]]) == (r, g, b, a)
    # between plots (their gaps are 30-50 % of the grid step): transparent
    gap_x = (shapely.get_x(centres[0]) + shapely.get_x(centres[1])) / 2
    gap = int((top - shapely.get_y(centres[0])) / res), int((gap_x - left) / res)
    assert rgba[3, gap[0], gap[1]] == 0


def test_the_overview_s_shapes_rasterize_as_the_geometries_themselves() -> None:
    """Polygons handed to rasterio as coordinate mappings paint the pixels their shapely geometries paint."""
    assert tiles._shapes(np.array([shapely.LineString([(0, 0), (1, 1)])], dtype=object))[1][0].geom_type == "LineString"
    import rasterio.features
    from rasterio.transform import Affine

    holed = shapely.Polygon([(0, 0), (40, 0), (40, 40), (0, 40)], holes=[[(10, 10), (30, 10), (30, 30), (10, 30)]])
    multi = shapely.MultiPolygon([shapely.box(50, 5, 60, 15), shapely.box(65, 20, 78, 38, ccw=False)])
    line = shapely.LineString([(5, 45), (75, 48)])
    for geoms in (
        np.array([holed, shapely.box(45, 2, 49, 30)], dtype=object),  # polygons only
        np.array([holed, multi, line], dtype=object),  # polygons and multipolygons together, and a line
    ):
        areas, edges = tiles._shapes(geoms)
        assert all(isinstance(a, dict) for a in areas[:2]) and all(isinstance(e, dict) for e in edges[:2])
        kw = {"out_shape": (50, 80), "transform": Affine(1, 0, 0, 0, -1, 50), "fill": 0, "dtype": "uint16"}
        values = list(range(1, len(geoms) + 1))
        want_areas = rasterio.features.rasterize(zip(geoms, values, strict=True), **kw)
        outlines = [shapely.boundary(g) if g.geom_type.endswith("Polygon") else g for g in geoms]
        want_edges = rasterio.features.rasterize(zip(outlines, values, strict=True), **kw)
        assert np.array_equal(rasterio.features.rasterize(zip(areas, values, strict=True), **kw), want_areas)
        assert np.array_equal(rasterio.features.rasterize(zip(edges, values, strict=True), **kw), want_edges)
        assert (want_areas > 0).sum() > 100 and (want_edges > 0).sum() > 100  # something was painted


def test_a_large_layer_s_overview_is_made_at_a_lower_zoom() -> None:
    zoom, res, left, top, width, height = tiles.overview_grid((11_000_000.0, 2_000_000.0, 12_000_000.0, 2_600_000.0))
    assert zoom < tiles.OVERVIEW_ZOOM and max(width, height) <= tiles.OVERVIEW_MAX_PX
    assert left <= 11_000_000.0 and top >= 2_600_000.0 and left + width * res >= 12_000_000.0
    assert left / res == pytest.approx(round(left / res))  # on the zoom's own pixel grid


def test_a_tile_file_records_its_overview_and_a_reused_file_brings_it(tmp_path: Path) -> None:
    columns = ("geom_quality", "species")
    frame = plots(300)
    palette = _palette(frame, columns)
    v1 = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 1, columns)
    first = tiles.build_tiles(frame, v1, columns=columns, palette=palette)
    assert first.overview is not None and tiles.file_overview(first.path) == first.overview
    assert tiles.overview_path(first.path).is_file()
    assert tiles.file_content(first.path) == tiles.content_digest(tiles.tile_frame(frame, columns), palette)
    assert tiles.content_digest(tiles.tile_frame(frame, columns)) != tiles.file_content(first.path)
    plain = tiles.build_tiles(frame, tmp_path / "plain.pmtiles", columns=columns)
    assert plain.overview is None and tiles.file_overview(plain.path) is None
    assert not tiles.overview_path(plain.path).exists()
    v2 = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 2, columns)
    digest = tiles.content_digest(tiles.tile_frame(frame.assign(owner="khác"), columns), palette)
    assert tiles.reuse_same_content(tmp_path, STORE, PLOTS_LAYER, v2, digest) == v2
    assert tiles.overview_path(v2).read_bytes() == tiles.overview_path(v1).read_bytes()
    assert tiles.file_overview(v2) == first.overview
    assert tiles.remove_superseded(tmp_path, STORE, PLOTS_LAYER, v2) == [v1]
    assert not tiles.overview_path(v1).exists() and tiles.overview_path(v2).is_file()
    assert tiles.remove_layer_files(tmp_path, STORE, PLOTS_LAYER) == [v2]
    assert not tiles.overview_path(v2).exists()


def test_while_the_tiles_are_written_the_painted_overview_is_described_and_after_it_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The map draws the district's views from the overview before the tile file exists (a build takes seconds)."""
    import pyogrio

    columns = ("geom_quality", "species")
    frame = plots(300)
    dest = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 1, columns)
    seen: list[tuple[bool, tiles.Overview | None]] = []
    write = pyogrio.write_dataframe

    def watched(*args: object, **kwargs: object) -> None:  # the real writer, with what a reader sees meanwhile
        seen.append((dest.exists(), tiles.pending_overview(dest)))
        write(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tiles.pyogrio, "write_dataframe", watched)
    built = tiles.build_tiles(frame, dest, columns=columns, palette=_palette(frame, columns))
    assert built.overview is not None and seen == [(False, built.overview)]
    assert not tiles.pending_path(dest).exists() and tiles.pending_overview(dest) is None
    assert tiles.file_overview(dest) == built.overview
    # a build that fails leaves no description behind
    failing = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 2, columns)

    def broken(*args: object, **kwargs: object) -> None:
        assert tiles.pending_overview(failing) is not None
        raise RuntimeError("disk full")

    monkeypatch.setattr(tiles.pyogrio, "write_dataframe", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        tiles.build_tiles(frame, failing, columns=columns, palette=_palette(frame, columns))
    assert not failing.exists() and not tiles.pending_path(failing).exists()
    assert tiles.pending_overview(failing) is None


def test_a_pending_description_is_read_only_with_its_image_and_removed_with_the_layer(tmp_path: Path) -> None:
    dest = tmp_path / tiles.tile_name(STORE, PLOTS_LAYER, 3, COLUMNS)
    dest.write_bytes(b"x")
    ov = tiles.Overview(12, 22.0, 104.0, 22.5, 104.6, 100, 90)
    tiles.pending_path(dest).write_text(json.dumps(ov.to_json()), encoding="utf-8")
    assert tiles.pending_overview(dest) is None  # no image beside it
    tiles.overview_path(dest).write_bytes(b"png")
    assert tiles.pending_overview(dest) == ov
    tiles.pending_path(dest).write_text("{not json", encoding="utf-8")
    assert tiles.pending_overview(dest) is None
    assert tiles.remove_layer_files(tmp_path, STORE, PLOTS_LAYER) == [dest]
    assert list(tmp_path.iterdir()) == []

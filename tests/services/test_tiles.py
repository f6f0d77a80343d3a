"""Tile builds in the background: started when a version has no tiles, ready when written, old versions removed."""

from __future__ import annotations

import itertools
import shutil
import time
from pathlib import Path

import pytest
import shapely.affinity

from layers import tiles
from layers.store import create_store
from services.tiles import TileBuilds, _patch_from, build_in_process, build_now, start_standby
from tests.tiles_data import PLOTS_LAYER, plots

COLUMNS = ("geom_quality", "species")


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    s = create_store(tmp_path / "s.gpkg")
    s.write_layer(PLOTS_LAYER, plots(1500), user="test", message="v1")
    return s


def test_a_version_without_tiles_is_built_in_the_background(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    builds = TileBuilds(tmp_path / "tiles")
    first = builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500)
    assert first.state == "building" and 0 <= first.progress < 1
    assert not builds.path(first.name).exists()
    done = builds.wait(first, timeout_s=120)
    assert done.state == "ready", done.error
    assert tiles.found_in(builds.path(done.name), plots(1500), zoom=tiles.MAX_ZOOM).all()
    again = builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500)
    assert again.state == "ready" and again.name == first.name


def test_a_new_version_gets_new_tiles_and_the_old_file_goes(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    builds = TileBuilds(tmp_path / "tiles")
    v1 = builds.wait(builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500), timeout_s=120)
    assert v1.ready
    version = store.write_layer(PLOTS_LAYER, plots(700), user="test", message="v2")
    # another process wrote the store: this one learns the version when the map next needs the layer
    v2 = builds.ensure(store, PLOTS_LAYER, version, columns=COLUMNS, features=700)
    assert v2.state == "building" and v2.name != v1.name
    v2 = builds.wait(v2, timeout_s=120)
    assert v2.ready, v2.error
    assert [p.name for p in (tmp_path / "tiles").iterdir()] == [v2.name]
    assert tiles.found_in(builds.path(v2.name), plots(700), zoom=tiles.MAX_ZOOM).all()
    assert not tiles.found_in(builds.path(v2.name), plots(1500), zoom=tiles.MAX_ZOOM).all()  # v1's plots lie elsewhere


def test_the_build_reads_the_version_it_was_asked_for(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store.write_layer(PLOTS_LAYER, plots(40), user="test", message="v2")
    builds = TileBuilds(tmp_path / "tiles")
    v1 = builds.wait(builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500), timeout_s=120)
    assert v1.ready and tiles.found_in(builds.path(v1.name), plots(1500), zoom=tiles.MAX_ZOOM).all()
    assert not tiles.found_in(builds.path(v1.name), plots(40), zoom=tiles.MAX_ZOOM).all()


def test_wait_all_waits_for_every_build(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    builds = TileBuilds(tmp_path / "tiles")
    assert builds.wait_all(timeout_s=0)  # nothing started
    status = builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500)
    assert builds.wait_all(timeout_s=120)
    assert builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500).name == status.name
    assert builds.path(status.name).is_file()


def test_a_failed_build_says_why(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    builds = TileBuilds(tmp_path / "tiles")
    failed = builds.wait(builds.ensure(store, PLOTS_LAYER, 9, columns=COLUMNS, features=10), timeout_s=60)
    assert failed.state == "failed" and "no version 9" in failed.error
    assert not (tmp_path / "tiles").exists() or not any((tmp_path / "tiles").iterdir())


def test_build_now_builds_the_current_version(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    written = build_now(store, PLOTS_LAYER, tmp_path, columns=COLUMNS)
    assert written.features == 1500
    assert written.path.name == tiles.tile_name(store.location, PLOTS_LAYER, 1, COLUMNS)


def test_a_build_does_not_stall_the_app_s_other_threads(tmp_path: Path) -> None:
    """GDAL's writer holds the GIL: in a thread of the app it froze every page for the whole build (5.5 s of 5.8)."""
    s = create_store(tmp_path / "big.gpkg")
    s.write_layer(PLOTS_LAYER, plots(30_000), user="test", message="30k")
    builds = TileBuilds(tmp_path / "tiles")
    status = builds.ensure(s, PLOTS_LAYER, 1, columns=COLUMNS, features=30_000)
    longest, last = 0.0, time.perf_counter()
    started = last
    while builds.ensure(s, PLOTS_LAYER, 1, columns=COLUMNS, features=30_000).state == "building":
        time.sleep(0.01)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    total = last - started
    assert builds.wait(status, timeout_s=1).ready
    # a build holding this process's GIL stalls the thread for the whole build; a loaded machine, for a moment
    assert longest < max(1.0, 0.5 * total), f"this thread stalled {longest:.2f} s of a {total:.2f} s build"


def test_a_frame_the_caller_holds_is_built_as_given(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    builds = TileBuilds(tmp_path / "tiles")
    held = plots(1500).to_crs("EPSG:4326")
    columns = list(held.columns)
    status = builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500, frame=held)
    done = builds.wait(status, timeout_s=120)
    assert done.ready and tiles.found_in(builds.path(done.name), held, zoom=tiles.MAX_ZOOM).all()
    assert held.crs.to_epsg() == 4326 and list(held.columns) == columns  # not modified


def test_an_edit_the_tiles_do_not_carry_reuses_the_file_and_a_shape_edit_rebuilds(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A new owner is in no tile: version 2 gets version 1's file under its own name; a moved plot is rebuilt."""
    builds = TileBuilds(tmp_path / "tiles")
    v1 = builds.wait(builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500), timeout_s=120)
    assert v1.ready and v1.elapsed_s > 0
    content = tiles.file_content(builds.path(v1.name))
    assert content is not None and len(content) == 64
    body = builds.path(v1.name).read_bytes()

    owners = store.read_layer(PLOTS_LAYER)
    owners.loc[owners.index[:10], "owner"] = "Hộ bà Lò Thị Mai"
    v2 = store.write_layer(PLOTS_LAYER, owners, user="test", message="owners corrected")
    reused = builds.wait(builds.ensure(store, PLOTS_LAYER, v2, columns=COLUMNS, features=1500), timeout_s=120)
    assert reused.ready and reused.name != v1.name and reused.elapsed_s == 0.0  # no build ran
    assert builds.path(reused.name).read_bytes() == body
    assert [p.name for p in (tmp_path / "tiles").iterdir()] == [reused.name]

    moved = store.read_layer(PLOTS_LAYER)
    moved.loc[moved.index[0], "geometry"] = shapely.affinity.translate(moved.geometry.iloc[0], 500.0, 0.0)
    v3 = store.write_layer(PLOTS_LAYER, moved, user="test", message="plot 0 moved")
    rebuilt = builds.wait(builds.ensure(store, PLOTS_LAYER, v3, columns=COLUMNS, features=1500), timeout_s=120)
    assert rebuilt.ready and rebuilt.elapsed_s > 0
    assert tiles.file_content(builds.path(rebuilt.name)) not in (None, content)
    assert tiles.found_in(builds.path(rebuilt.name), moved, zoom=tiles.MAX_ZOOM).all()

    species = store.read_layer(PLOTS_LAYER)
    species.loc[species.index[5], "species"] = "che" if species.loc[species.index[5], "species"] != "che" else "que"
    v4 = store.write_layer(PLOTS_LAYER, species, user="test", message="a style field changed")
    restyled = builds.wait(builds.ensure(store, PLOTS_LAYER, v4, columns=COLUMNS, features=1500), timeout_s=120)
    assert restyled.ready and restyled.elapsed_s > 0  # the tiles carry the species: rebuilt


def test_build_now_reuses_a_file_of_the_same_content(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = build_now(store, PLOTS_LAYER, tmp_path, columns=COLUMNS)
    frame = store.read_layer(PLOTS_LAYER)
    frame["name"] = frame["name"] + " (đổi tên)"
    store.write_layer(PLOTS_LAYER, frame, user="test", message="renamed")
    second = build_now(store, PLOTS_LAYER, tmp_path, columns=COLUMNS)
    assert second.seconds == 0.0 and second.features == 1500 and second.bytes == first.bytes
    assert not first.path.exists() and second.path.is_file()
    assert tiles.file_content(second.path) == tiles.content_digest(tiles.tile_frame(frame, COLUMNS))


def test_a_build_process_started_ahead_takes_the_job(tmp_path: Path) -> None:
    ahead = start_standby()
    dest = tmp_path / "a.pmtiles"
    build_in_process(tiles.tile_frame(plots(60), COLUMNS), dest, columns=COLUMNS, standby=ahead)
    assert ahead.returncode == 0  # it built the tiles and ended
    assert tiles.found_in(dest, plots(60), zoom=tiles.MAX_ZOOM).all()


def test_a_build_process_started_ahead_ends_without_a_job_and_a_gone_one_is_replaced(tmp_path: Path) -> None:
    idle = start_standby()
    out, _ = idle.communicate("", timeout=120)  # its input closed without a job: it ends, building nothing
    assert idle.returncode == 0 and out == ""
    gone = start_standby()
    gone.kill()
    gone.wait()
    dest = tmp_path / "b.pmtiles"
    build_in_process(tiles.tile_frame(plots(60), COLUMNS), dest, columns=COLUMNS, standby=gone)
    assert tiles.found_in(dest, plots(60), zoom=tiles.MAX_ZOOM).all()  # a new process built it


def test_the_app_s_builds_keep_a_process_ready_for_the_next_build(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    builds = TileBuilds(tmp_path / "tiles", standby=True)
    try:
        assert builds.standby_pid is None  # none before a first build: a page that builds nothing starts nothing
        done = builds.wait(builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500), timeout_s=120)
        assert done.ready, done.error
        first = builds.standby_pid
        assert first is not None  # started when the first build ended
        store.write_layer(PLOTS_LAYER, plots(700), user="test", message="v2")
        done = builds.wait(builds.ensure(store, PLOTS_LAYER, 2, columns=COLUMNS, features=700), timeout_s=120)
        assert done.ready, done.error
        assert tiles.found_in(builds.path(done.name), plots(700), zoom=tiles.MAX_ZOOM).all()
        assert builds.standby_pid not in (None, first)  # the waiting one took the build; a new one waits
    finally:
        builds.close()
    assert builds.standby_pid is None


def test_a_watch_checks_every_interval_keeps_an_error_and_ends_when_closed(tmp_path: Path) -> None:
    builds = TileBuilds(tmp_path / "tiles")
    calls: list[float] = []

    def check() -> None:
        calls.append(time.monotonic())
        if len(calls) == 2:
            raise RuntimeError("the store is away")

    builds.watch(check, every_s=0.05)
    builds.watch(check, every_s=0.05)  # a second watch changes nothing
    deadline = time.monotonic() + 30
    while len(calls) < 5 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(calls) >= 5, "the watch stopped after its check raised"
    assert builds.watch_error == ""  # the checks after the failed one went through
    gaps = [b - a for a, b in itertools.pairwise(calls)]
    assert min(gaps) >= 0.04  # one watch, at its interval (two watches would interleave their calls)
    builds.close()
    time.sleep(0.2)
    seen = len(calls)
    time.sleep(0.3)
    assert len(calls) == seen  # closed: no more checks


def test_a_failed_check_is_kept_until_one_goes_through(tmp_path: Path) -> None:
    builds = TileBuilds(tmp_path / "tiles")
    builds.watch(lambda: 1 / 0, every_s=0.05)
    deadline = time.monotonic() + 30
    while not builds.watch_error and time.monotonic() < deadline:
        time.sleep(0.02)
    builds.close()
    assert builds.watch_error.startswith("ZeroDivisionError")


def test_a_shape_edit_is_patched_into_the_file_before_and_gives_the_tiles_of_a_full_build(
    store, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    builds = TileBuilds(tmp_path / "tiles")
    v1 = builds.wait(builds.ensure(store, PLOTS_LAYER, 1, columns=COLUMNS, features=1500), timeout_s=120)
    assert v1.ready, v1.error
    moved = store.read_layer(PLOTS_LAYER)
    moved.loc[moved.index[3], "geometry"] = shapely.affinity.translate(moved.geometry.iloc[3], 60.0, 0.0)
    v2 = store.write_layer(PLOTS_LAYER, moved, user="test", message="plot 3 moved")
    base, boxes = _patch_from(store, tmp_path / "tiles", PLOTS_LAYER, builds.path("next.pmtiles"), COLUMNS,
                              tiles.tile_frame(moved, COLUMNS))  # fmt: skip
    assert base == builds.path(v1.name) and boxes is not None and len(boxes) == 2
    patched = builds.wait(builds.ensure(store, PLOTS_LAYER, v2, columns=COLUMNS, features=1500), timeout_s=120)
    assert patched.ready, patched.error
    full = tiles.build_tiles(tiles.tile_frame(moved, COLUMNS), tmp_path / "full.pmtiles", columns=COLUMNS)
    assert tiles._read_archive(builds.path(patched.name))[2] == tiles._read_archive(full.path)[2]
    assert [p.name for p in (tmp_path / "tiles").iterdir()] == [patched.name]
    # a file of a version the store does not hold is no base, nor is another store's: the whole file is built
    ghost = tmp_path / "tiles" / tiles.tile_name(store.location, PLOTS_LAYER, 99, COLUMNS)
    shutil.copyfile(builds.path(patched.name), ghost)
    assert _patch_from(store, tmp_path / "tiles", PLOTS_LAYER, builds.path("x.pmtiles"), COLUMNS,
                       tiles.tile_frame(moved, COLUMNS)) == (None, None)  # fmt: skip
    # unless the builds hold that version's frame already (the last one they built): the store is not read then
    known = (99, tiles.tile_frame(store.read_layer(PLOTS_LAYER), COLUMNS))
    base, boxes = _patch_from(store, tmp_path / "tiles", PLOTS_LAYER, builds.path("x.pmtiles"), COLUMNS,
                              tiles.tile_frame(moved, COLUMNS), known=known)  # fmt: skip
    assert base == ghost and boxes == []
    ghost.unlink()
    other = create_store(tmp_path / "other.gpkg")
    other.write_layer(PLOTS_LAYER, plots(10), user="test", message="v1")
    assert _patch_from(other, tmp_path / "tiles", PLOTS_LAYER, builds.path("x.pmtiles"), COLUMNS,
                       tiles.tile_frame(moved, COLUMNS)) == (None, None)  # fmt: skip

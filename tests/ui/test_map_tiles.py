"""The map page with a large layer (AppTest): built in the background with a progress bar, then drawn from tiles;
a click or a search reads the feature from the store."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers import tiles
from layers.store import open_store
from services.tiles import TileBuilds
from tests.tiles_data import PLOTS_LAYER, plots
from tests.ui import helpers
from tests.ui.helpers import store_at
from ui import assets, map_page, state

N = 6_000  # above the tile threshold (5,000 features)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with store_at(tmp_path_factory.mktemp("store") / "baoyen.gpkg") as path:
        open_store(path).write_layer(PLOTS_LAYER, plots(N), user="test", message="plots")
        yield path
        tiles.remove_layer_files(assets.TILES_DIR, str(path), PLOTS_LAYER)


def run_page(**session: object) -> AppTest:
    return helpers.run_page("map_page", "vi", timeout=120, **session)


def group_js(at: AppTest) -> str:
    (component,) = at.get("component_instance")
    return str(json.loads(component.proto.json_args)["feature_group"])


def wait_built(store_path: Path) -> None:
    assert map_page.tile_builds().wait_all(timeout_s=120), "a tile build still runs after 120 s"
    assert tiles.layer_files(assets.TILES_DIR, str(store_path), PLOTS_LAYER)


def test_a_large_layer_is_built_with_a_progress_bar_then_drawn_from_its_tiles(store_path: Path) -> None:
    assert tiles.layer_files(assets.TILES_DIR, str(store_path), PLOTS_LAYER) == []
    at = run_page()
    assert not at.exception
    texts = [p.proto.text for p in at.get("progress")]
    # titled, as everywhere on the page, with what the plots are worth (digitised and schematic ones)
    building = "Đang tạo lớp bản đồ «Vùng nguyên liệu đã khoanh vẽ (một phần sơ đồ)» (6.000 đối tượng)"
    assert any(building in t for t in texts), texts
    assert "baoyenMapkit.tiled(" not in group_js(at)  # not drawn until its tiles exist
    assert "plot_1" not in group_js(at)  # and never sent as GeoJSON
    wait_built(store_path)
    at = run_page()
    assert not at.exception and not at.get("progress")
    js = group_js(at)
    (name,) = (p.name for p in tiles.layer_files(assets.TILES_DIR, str(store_path), PLOTS_LAYER))
    assert f"{assets.TILES_URL}/{name}" in js and "baoyenMapkit.tiled(" in js
    assert "plot_1" not in js and len(js.encode()) < 1_500_000
    # the district's views draw the overview image the build made beside the tiles
    overview = tiles.file_overview(assets.TILES_DIR / name)
    assert overview is not None and (assets.TILES_DIR / f"{name}.png").is_file()
    assert f'"overview":{{"url":"{assets.TILES_URL}/{name}.png"' in js and f'"below":{overview.zoom}' in js
    # the layer switch shows its count; the legend lists the plots' species
    assert any(rf"\({N}\)" in box.label for box in at.checkbox if "Vùng nguyên liệu đã khoanh vẽ" in box.label)


def test_a_clicked_plot_is_read_from_the_store(store_path: Path) -> None:
    wait_built(store_path)
    at = run_page(**{state.MAP_COMPONENT: {"last_object_clicked_tooltip": f"⟦{PLOTS_LAYER}/plot_4321⟧"}})
    assert not at.exception
    (table,) = at.table
    values = set(table.value.iloc[:, 0].astype(str))
    assert {"plot_4321", "Lô trồng 4321", f"Hộ {4321 % 997}"} <= values
    js = group_js(at)
    assert "baoyenMapkit.selected(" in js and "Lô trồng 4321" in js


def test_search_finds_a_plot_and_outlines_it_from_the_store(store_path: Path) -> None:
    wait_built(store_path)
    at = run_page(**{state.MAP_SEARCH: "lo trong 4242"})
    assert not at.exception
    js = group_js(at)
    assert "baoyenMapkit.highlight(" in js and "Lô trồng 4242" in js
    assert json.loads(at.get("component_instance")[0].proto.json_args)["zoom"] >= 14


def test_a_version_written_elsewhere_gets_its_tiles_without_a_page(store_path: Path) -> None:
    """The app watches its store: a version another process wrote is built before any map asks for it."""
    wait_built(store_path)
    run_page()  # the map has been opened once: the process's builds (and their watch) exist
    version = open_store(store_path).write_layer(PLOTS_LAYER, plots(N, tag=" v2"), user="other", message="again")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        names = [p.name for p in tiles.layer_files(assets.TILES_DIR, str(store_path), PLOTS_LAYER)]
        if any(f"-v{version}-" in n for n in names):
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"no tiles of version {version} 120 s after it was written: {names}")
    assert map_page.tile_builds().watch_error == ""
    # the map opened now draws the new version at once, from its tiles (no build, no progress bar)
    assert map_page.tile_builds().wait_all(timeout_s=120)
    at = run_page()
    assert not at.exception and not at.get("progress")
    assert f"-v{version}-" in group_js(at)


def test_a_version_that_fails_to_prepare_is_not_tried_again_every_second(
    store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[object, ...]] = []

    def unreadable(*args: object) -> None:
        calls.append(args)
        raise RuntimeError("the version cannot be read")

    monkeypatch.setattr(map_page, "_tiled", unreadable)
    seen: dict[str, int] = {}
    builds = TileBuilds(tmp_path / "tiles")
    with pytest.raises(RuntimeError, match="cannot be read"):
        map_page.build_new_versions(str(store_path), builds, seen)
    assert seen == open_store(store_path).current_versions() and len(calls) == 1
    map_page.build_new_versions(str(store_path), builds, seen)  # no new version: nothing is tried again
    assert len(calls) == 1

"""The map's browser assets: Leaflet.draw is pinned, installed from node_modules, and served in place of the CDN."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import pytest
from folium.plugins import Draw
from streamlit_folium import _get_map_string

from geo.errors import DataSourceError
from ui import assets, mapkit

REPO = Path(__file__).resolve().parents[2]


def _draw_version(urls: list[tuple[str, str]]) -> str:
    versions = {m.group(1) for _, url in urls if (m := re.search(r"/leaflet\.draw/(\d+\.\d+\.\d+)/", url))}
    assert len(versions) == 1, urls
    return versions.pop()


def test_lockfile_pins_the_leaflet_draw_folium_asks_for() -> None:
    wanted = _draw_version(list(Draw.default_js))
    assert _draw_version(list(Draw.default_css)) == wanted
    assert assets.locked_versions()["leaflet-draw"] == wanted
    declared = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert declared["leaflet-draw"] == wanted  # exact, no range: `npm ci` installs what is locked
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/leaflet-draw"]["integrity"].startswith("sha512-")


def test_asset_names_are_folium_s_names() -> None:
    """use_local_assets swaps a link by its name: ours must be the names folium's Map and Draw give them."""
    js, css = dict(assets.js_urls()), dict(assets.css_urls())
    for name, _url in Draw.default_js:
        assert js[name] == f"{assets.VENDOR_URL}/leaflet-draw/leaflet.draw.js"
    for name, _url in Draw.default_css:
        assert css[name] == f"{assets.VENDOR_URL}/leaflet-draw/leaflet.draw.css"
    map_js, map_css = dict(folium.Map.default_js), dict(folium.Map.default_css)
    assert "leaflet" in map_js and js["leaflet"] == f"{assets.VENDOR_URL}/leaflet/leaflet.js"
    assert "leaflet_css" in map_css and css["leaflet_css"] == f"{assets.VENDOR_URL}/leaflet/leaflet.css"


def _fake_package(root: Path, package: str, version: str, files: dict[str, str]) -> None:
    pkg = root / package
    for rel, text in files.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    (pkg / "package.json").write_text(json.dumps({"name": package, "version": version}))


def _fake_node_modules(root: Path, *, draw_version: str = "1.0.2") -> Path:
    node_modules = root / "node_modules"
    _fake_package(
        node_modules,
        "leaflet",
        "1.9.4",
        {"dist/leaflet.js": "/* L */", "dist/leaflet.css": "/* L css */", "dist/images/layers.png": "png"},
    )
    _fake_package(
        node_modules,
        "leaflet-draw",
        draw_version,
        {
            "dist/leaflet.draw.js": "/* draw */",
            "dist/leaflet.draw-src.js": "/* draw src: not served */",
            "dist/leaflet.draw.css": ".x{background:url('images/spritesheet.svg')}",
            "dist/images/spritesheet.svg": "<svg/>",
            "dist/images/spritesheet.png": "png",
        },
    )
    _fake_package(node_modules, "proj4", "2.22.0", {"dist/proj4.js": "/* proj4 */", "LICENSE.md": "MIT"})
    _fake_package(
        node_modules,
        "protomaps-leaflet",
        "5.1.0",
        {"dist/protomaps-leaflet.js": "/* protomapsL */", "LICENSE": "BSD-3-Clause"},
    )
    return node_modules


def _lock(root: Path) -> Path:
    lock = root / "package-lock.json"
    packages = {
        "node_modules/leaflet": {"version": "1.9.4"},
        "node_modules/leaflet-draw": {"version": "1.0.2"},
        "node_modules/proj4": {"version": "2.22.0"},
        "node_modules/protomaps-leaflet": {"version": "5.1.0"},
    }
    lock.write_text(json.dumps({"lockfileVersion": 3, "packages": packages}))
    return lock


def test_install_copies_leaflet_draw_with_its_images(tmp_path: Path) -> None:
    node_modules, lock, dest = _fake_node_modules(tmp_path), _lock(tmp_path), tmp_path / "vendor"
    assert "leaflet-draw/leaflet.draw.js" in assets.missing(dest)
    manifest = assets.install(node_modules=node_modules, dest=dest, lockfile=lock)
    assert manifest["packages"] == {
        "leaflet": "1.9.4",
        "leaflet-draw": "1.0.2",
        "proj4": "2.22.0",
        "protomaps-leaflet": "5.1.0",
    }
    assert {
        "leaflet-draw/leaflet.draw.js",
        "leaflet-draw/leaflet.draw.css",
        "leaflet-draw/images/spritesheet.svg",
        "leaflet-draw/images/spritesheet.png",
    } <= set(manifest["files"])  # type: ignore[arg-type]
    assert not (dest / "leaflet-draw" / "leaflet.draw-src.js").exists()
    assert (dest / "leaflet-draw" / "leaflet.draw.js").read_text() == "/* draw */"
    assert assets.missing(dest) == []
    assets.check(dest)
    written = json.loads((dest / assets.MANIFEST).read_text(encoding="utf-8"))
    assert written["packages"]["leaflet-draw"] == "1.0.2"


def test_install_refuses_a_leaflet_draw_that_is_not_the_locked_one(tmp_path: Path) -> None:
    node_modules = _fake_node_modules(tmp_path, draw_version="1.0.4")
    with pytest.raises(DataSourceError, match=r"leaflet-draw.*1\.0\.4.*pins 1\.0\.2"):
        assets.install(node_modules=node_modules, dest=tmp_path / "vendor", lockfile=_lock(tmp_path))
    with pytest.raises(DataSourceError, match="not installed"):
        assets.check(tmp_path / "vendor")


def test_the_installed_stylesheet_finds_its_images(tmp_path: Path) -> None:
    """The real packages, installed to a scratch folder: every image leaflet.draw.css refers to is beside it."""
    if not (assets.NODE_MODULES / "leaflet-draw" / "package.json").is_file():
        pytest.skip("node_modules is not installed (npm ci)")
    dest = tmp_path / "vendor"
    assets.install(dest=dest)
    css = (dest / "leaflet-draw" / "leaflet.draw.css").read_text(encoding="utf-8")
    refs = set(re.findall(r"url\(['\"]?([^'\")]+)['\"]?\)", css))
    assert {"images/spritesheet.svg", "images/spritesheet.png"} <= refs
    for ref in refs:
        assert (dest / "leaflet-draw" / ref).is_file(), ref
    assert "L.Control.Draw" in (dest / "leaflet-draw" / "leaflet.draw.js").read_text(encoding="utf-8")


def _remote(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>)]+", text)


def test_a_map_holding_draw_loads_nothing_from_a_cdn() -> None:
    m = mapkit.base_map(center=(22.23, 104.47), zoom=15, lang=None)
    Draw(draw_options={"polyline": False}).add_to(m)
    mapkit.use_local_assets(m)  # a plugin added to a base map: pass the map through again
    html = m.get_root().render()
    assert _remote(html) == []
    assert re.findall(r'<script src="([^"]+)"', html) == [
        f"{assets.VENDOR_URL}/leaflet/leaflet.js",
        f"{assets.VENDOR_URL}/proj4/proj4.js",
        f"{assets.VENDOR_URL}/leaflet-draw/leaflet.draw.js",
    ]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html) == [
        f"{assets.VENDOR_URL}/leaflet/leaflet.css",
        f"{assets.VENDOR_URL}/leaflet-draw/leaflet.draw.css",
    ]
    # what streamlit-folium sends the browser: the script and every element's links
    assert "L.Control.Draw" in _get_map_string(m)
    links = [url for el in _walk(m) for attr in ("default_js", "default_css") for _, url in getattr(el, attr, [])]
    assert links and all(url.startswith(assets.VENDOR_URL) for url in links)
    # folium's own class lists are untouched: only this map's Draw changed
    assert all("cdnjs" in url for _, url in Draw.default_js)


def test_a_plain_folium_map_with_draw_is_made_local_too() -> None:
    m = folium.Map(tiles=None)
    Draw().add_to(m)
    html = mapkit.use_local_assets(m).get_root().render()
    assert _remote(html) == []
    assert f"{assets.VENDOR_URL}/leaflet-draw/leaflet.draw.js" in html


def _walk(element: object):  # -> Iterator[element]
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)

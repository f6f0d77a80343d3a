"""The browser assets the map serves itself: installed by npm (pinned in package-lock.json), copied to static/.

Nothing the map loads comes from a CDN. ``npm ci`` puts the pinned packages in ``node_modules/``; ``python -m
ui.assets install`` copies the few files the map needs to ``static/vendor/`` (git-ignored), which Streamlit serves
at ``/app/static/vendor/...`` when ``[server] enableStaticServing = true`` (``.streamlit/config.toml``).

The map itself runs inside streamlit-folium's component iframe, served at ``/component/<name>/index.html``, so the
asset URLs the map uses are relative to that page (:data:`VENDOR_URL`): they keep working under a
``server.baseUrlPath``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from geo.errors import DataSourceError

REPO = Path(__file__).resolve().parents[1]
#: Streamlit's app static folder: ``static/`` beside app.py
STATIC_DIR = REPO / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
NODE_MODULES = REPO / "node_modules"
LOCKFILE = REPO / "package-lock.json"
#: static/vendor as seen from streamlit-folium's iframe (``<base>/component/streamlit_folium.st_folium/``)
VENDOR_URL = "../../app/static/vendor"
MANIFEST = "MANIFEST.json"
FIX = "run `npm ci && .venv/bin/python -m ui.assets install` (or `make assets`) in the repository"


@dataclass(frozen=True)
class Asset:
    """One npm package and the files of it the map serves.

    ``files`` and ``dirs`` are (path in the package, path under static/vendor) pairs; ``js`` and ``css`` are
    (name, path under static/vendor) pairs, the name being the one folium gives the same file in its elements'
    ``default_js``/``default_css`` lists: :func:`ui.mapkit.use_local_assets` swaps a CDN link for the local file
    by that name.
    """

    package: str
    files: tuple[tuple[str, str], ...]
    #: copied whole (images a stylesheet refers to)
    dirs: tuple[tuple[str, str], ...] = ()
    js: tuple[tuple[str, str], ...] = ()
    css: tuple[tuple[str, str], ...] = ()


#: Leaflet is all the base map needs: no jQuery, Bootstrap, Font Awesome or marker plugins (circle markers, vector
#: layers and a legend drawn by the page). folium 0.20 asks for Leaflet 1.9.3; 1.9.4 is its bug-fix release.
LEAFLET = Asset(
    package="leaflet",
    files=(("dist/leaflet.js", "leaflet/leaflet.js"), ("dist/leaflet.css", "leaflet/leaflet.css")),
    dirs=(("dist/images", "leaflet/images"),),
    js=(("leaflet", "leaflet/leaflet.js"),),
    css=(("leaflet_css", "leaflet/leaflet.css"),),
)
#: Leaflet.draw for ``folium.plugins.Draw`` (the clusters page draws lots with it), the exact version folium 0.20's
#: Draw loads from its CDN (1.0.2), under the names Draw gives it. Its stylesheet's toolbar icons are images/.
LEAFLET_DRAW = Asset(
    package="leaflet-draw",
    files=(
        ("dist/leaflet.draw.js", "leaflet-draw/leaflet.draw.js"),
        ("dist/leaflet.draw.css", "leaflet-draw/leaflet.draw.css"),
    ),
    dirs=(("dist/images", "leaflet-draw/images"),),
    js=(("leaflet_draw_js", "leaflet-draw/leaflet.draw.js"),),
    css=(("leaflet_draw_css", "leaflet-draw/leaflet.draw.css"),),
)
#: proj4js for the map's cursor position in VN-2000 (EPSG:9208, its definition given by pyproj: ui.mapkit): the
#: bundled UMD build, which carries its own dependencies (mgrs, wkt-parser) inside it.
PROJ4 = Asset(
    package="proj4",
    files=(("dist/proj4.js", "proj4/proj4.js"), ("LICENSE.md", "proj4/LICENSE.md")),
    js=(("proj4", "proj4/proj4.js"),),
)
#: protomaps-leaflet draws a large layer's vector tiles (PMTiles, read with HTTP range requests) on Leaflet canvases:
#: its bundled IIFE build (``protomapsL``), which carries pmtiles and its other dependencies inside it
PROTOMAPS = Asset(
    package="protomaps-leaflet",
    files=(
        ("dist/protomaps-leaflet.js", "protomaps-leaflet/protomaps-leaflet.js"),
        ("LICENSE", "protomaps-leaflet/LICENSE"),
    ),
    js=(("protomaps_leaflet", "protomaps-leaflet/protomaps-leaflet.js"),),
)
ASSETS: tuple[Asset, ...] = (LEAFLET, LEAFLET_DRAW, PROJ4, PROTOMAPS)
#: where the app writes the large layers' vector tiles (git-ignored; served at /app/static/tiles/)
TILES_DIR = STATIC_DIR / "tiles"
#: TILES_DIR as seen from streamlit-folium's iframe
TILES_URL = "../../app/static/tiles"


def locked_versions(lockfile: Path = LOCKFILE) -> dict[str, str]:
    """The package versions pinned in ``package-lock.json`` (lockfile v2/v3 ``packages`` section)."""
    try:
        lock = json.loads(lockfile.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataSourceError(f"`{lockfile}` is missing; it pins the map's browser assets") from exc
    out: dict[str, str] = {}
    for key, entry in lock.get("packages", {}).items():
        if key.startswith("node_modules/") and "version" in entry:
            out[key.removeprefix("node_modules/")] = entry["version"]
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install(
    *, node_modules: Path = NODE_MODULES, dest: Path = VENDOR_DIR, lockfile: Path = LOCKFILE
) -> dict[str, object]:
    """Copy the map's assets from ``node_modules`` to ``dest``; check each package is the locked version.

    Returns the manifest written to ``dest/MANIFEST.json``: package versions and the sha256 of every file.
    Raises :class:`DataSourceError` when a package is missing or not the version package-lock.json pins.
    """
    versions = locked_versions(lockfile)
    manifest: dict[str, object] = {"packages": {}, "files": {}}
    files: dict[str, str] = {}
    for asset in ASSETS:
        pkg_dir = node_modules / asset.package
        pkg_json = pkg_dir / "package.json"
        if not pkg_json.is_file():
            raise DataSourceError(f"npm package `{asset.package}` is not in {node_modules}; {FIX}")
        installed = json.loads(pkg_json.read_text(encoding="utf-8"))["version"]
        locked = versions.get(asset.package)
        if installed != locked:
            raise DataSourceError(
                f"npm package `{asset.package}` is {installed} but package-lock.json pins {locked}; {FIX}"
            )
        manifest["packages"][asset.package] = installed  # type: ignore[index]
        pairs = list(asset.files)
        for src_dir, dst_dir in asset.dirs:
            for src in sorted((pkg_dir / src_dir).iterdir()):
                if src.is_file():
                    pairs.append((f"{src_dir}/{src.name}", f"{dst_dir}/{src.name}"))
        for src_rel, dst_rel in pairs:
            src, dst = pkg_dir / src_rel, dest / dst_rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            files[dst_rel] = _sha256(dst)
    manifest["files"] = files
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def expected_files() -> list[str]:
    """Paths under static/vendor that the map loads (scripts and stylesheets)."""
    return [path for asset in ASSETS for _name, path in (*asset.js, *asset.css)]


def missing(dest: Path = VENDOR_DIR) -> list[str]:
    """The map's asset files absent from ``dest`` (empty when the assets are installed)."""
    return [rel for rel in expected_files() if not (dest / rel).is_file()]


def check(dest: Path = VENDOR_DIR) -> None:
    """Raise :class:`DataSourceError` naming the fix when the map's assets are not installed."""
    absent = missing(dest)
    if absent:
        raise DataSourceError(f"the map's browser assets are not installed ({', '.join(absent)} missing); {FIX}")


def js_urls() -> list[tuple[str, str]]:
    """(name, url) of every script the map loads, relative to streamlit-folium's component page."""
    return [(name, f"{VENDOR_URL}/{path}") for asset in ASSETS for name, path in asset.js]


def css_urls() -> list[tuple[str, str]]:
    """(name, url) of every stylesheet the map loads, relative to streamlit-folium's component page."""
    return [(name, f"{VENDOR_URL}/{path}") for asset in ASSETS for name, path in asset.css]


def main(argv: list[str] | None = None) -> int:
    """``python -m ui.assets install|check``."""
    parser = argparse.ArgumentParser(prog="python -m ui.assets", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("install", "check"))
    args = parser.parse_args(argv)
    try:
        if args.action == "install":
            manifest = install()
            print(f"installed {len(manifest['files'])} files to {VENDOR_DIR}: {manifest['packages']}")  # type: ignore[arg-type]
        else:
            check()
            print(f"map assets present in {VENDOR_DIR}")
    except DataSourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

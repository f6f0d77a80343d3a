"""Vector tiles of one layer version: a PMTiles file written by GDAL's PMTiles driver (pyogrio's bundled GDAL).

A large layer reaches the browser as Mapbox Vector Tiles in one PMTiles archive instead of one GeoJSON text
(docs/DECISIONS.md, "Large layers are drawn from vector tiles"). This module is the pure part: a frame and the
version it is in go in, a file comes out; which layers need tiles (:func:`needs_tiles`), what a file is called
(:func:`tile_name`: store, layer, version and what the tiles carry), reading a file back (:func:`read_tiles`) and
removing the files a newer version superseded (:func:`remove_superseded`). Scheduling the builds in the background
is :mod:`services.tiles`'s work.

The tiles carry only the few attributes a feature's style depends on (``geom_quality``, the style's ``color_field``
and ``outline_when`` fields), as text, and no id: nothing a popup shows comes from a tile. A click sends where it
was, and the map page finds the feature at that place in the store's version (``ui.mapkit.feature_at``). An id
per feature was 37 % of a file (100,000 plots: 6.4 MB with ids, 4.0 MB without), and GDAL's PMTiles writer as
pyogrio drives it writes no MVT feature id (docs/DECISIONS.md).

Beside a tile file lies its overview (:func:`build_overview`): the layer painted once into a PNG, which the map
shows at the district's views instead of decoding every feature; and the file records a digest of its content
(:func:`content_digest`), so a version whose edit changed nothing the tiles show reuses the file
(:func:`reuse_same_content`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.crs import reproject, to_display, transformer
from layers.model import LayerDef

#: bump when what a tile file holds or how it is cut changes: every file is then rebuilt under a new name
TILE_FORMAT = 5
#: the vector layer inside every tile file
TILE_LAYER = "features"
#: data zooms written. The map draws data zoom z at display zoom z + 1 (protomaps-leaflet's 512 px tiles); below
#: display zoom 12 it draws the layer's overview image (:data:`OVERVIEW_ZOOM`), so the tiles start at data zoom 11.
#: Lower zooms hold every plot in a few huge tiles and cost GDAL the most (zoom 10: 2.4 s of 13.6 s for 100,000
#: plots; zooms 8-9: 43 s instead of 19 s); without an overview the map asks to zoom in there
MIN_ZOOM = 11
MAX_ZOOM = 14
#: a tile may hold up to this many bytes (GDAL's default, 500 kB, makes it re-encode the first view's dense tiles)
MAX_TILE_BYTES = 3_000_000
#: a layer is drawn from tiles from this many located features on ...
TILE_MIN_FEATURES = 5_000
#: ... or from this many coordinates (about 20 bytes each as the map's rounded GeoJSON: ~4 MB)
TILE_MIN_COORDINATES = 200_000
#: geometry types drawn from tiles; point layers stay GeoJSON (circle markers sized by a field)
TILED_TYPES: tuple[str, ...] = ("Polygon", "LineString")
SUFFIX = ".pmtiles"
#: a feature's style key is its tile columns' texts joined by this (the map's symbolizer and the overview pick a
#: style by it)
STYLE_KEY_SEP = "\x1f"
#: the environment variable by which a caller of :func:`main` lowers the build process's priority
NICENESS_ENV = "BAOYEN_TILE_NICENESS"
#: features of more coordinates than this on average are simplified in the tiles (GDAL's SIMPLIFICATION, in tile
#: units: 4096 a tile, 8 a screen pixel at the zoom it is drawn); a layer of boxes and small plots is not, which
#: would only cost build time
SIMPLIFY_FROM_COORDINATES = 12
#: a quarter of a screen pixel at every zoom but the deepest, an eighth there: what is drawn does not change
#: visibly, and a 48-vertex lot drawn at the district's view keeps about 7 of its vertices (6 times fewer to
#: decode and draw). The store, the popups and the selected outline keep every vertex.
SIMPLIFICATION = "2"
SIMPLIFICATION_MAX_ZOOM = "1"
#: GDAL's MVT tile size and buffer (EXTENT, BUFFER: its defaults, passed so that the patch below knows them): a
#: feature goes into every tile whose square, grown by BUFFER / EXTENT of its side, it meets
TILE_EXTENT = 4096
TILE_BUFFER = 80
#: an edit is patched into the file before (:func:`patch_tiles`) when it re-encodes at most this share of what a
#: full build encodes (features × zooms); a larger one builds the whole file again
PATCH_MAX_SHARE = 0.5


#: the overview: the layer drawn once as a PNG for the district's views, where 100,000 plots are a pixel or two
#: each and decoding and drawing them from the tiles cost the browser a second. Its pixel is a screen pixel at
#: this zoom; the map shows the image below that zoom and the vector tiles from it on
OVERVIEW_ZOOM = 12
#: the image's longest side: a larger layer's overview is made at a lower zoom (and shown below that one)
OVERVIEW_MAX_PX = 4096
#: an overview is the tile file's name with this added
OVERVIEW_SUFFIX = ".png"
#: while its tiles are built, an overview already painted is described by a file of the image's name with this
#: added (:func:`pending_overview`): the map draws the district's views from it before the tiles are written
PENDING_SUFFIX = ".json"
#: half the width of the Web Mercator world (EPSG:3857), metres
_MERCATOR_HALF = 20037508.342789244

#: RGBA, 0-255
Rgba = tuple[int, int, int, int]


@dataclass(frozen=True)
class Palette:
    """How the overview paints a feature.

    A feature's style key (its tile columns' texts joined by U+001F) picks a style (an unknown key the first);
    each style has a fill and a stroke colour, None where it has none.
    """

    lookup: dict[str, int]
    styles: tuple[tuple[Rgba | None, Rgba | None], ...]

    def to_json(self) -> dict[str, object]:
        return {"lookup": self.lookup, "styles": [list(s) for s in self.styles]}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Palette:
        lookup = {str(k): int(v) for k, v in dict(data["lookup"]).items()}  # type: ignore[call-overload]
        styles = tuple(
            (
                None if fill is None else _rgba(fill),
                None if stroke is None else _rgba(stroke),
            )
            for fill, stroke in data["styles"]  # type: ignore[attr-defined]
        )
        return cls(lookup, styles)


def _rgba(value: Iterable[object]) -> Rgba:
    r, g, b, a = (max(0, min(255, int(v))) for v in value)  # type: ignore[call-overload]
    return (r, g, b, a)


@dataclass(frozen=True)
class Overview:
    """Where an overview image lies (degrees; the image is north up in Web Mercator) and at which zoom."""

    zoom: int
    south: float
    west: float
    north: float
    east: float
    width: int
    height: int

    def to_json(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class TileFile:
    """A written tile file: where it is, how many features it holds, how long GDAL took and its size."""

    path: Path
    features: int
    seconds: float
    bytes: int
    #: the overview image beside it (:func:`overview_path`), None when none was made
    overview: Overview | None = None


def overview_path(tile_path: Path) -> Path:
    """The overview image of a tile file: its name with :data:`OVERVIEW_SUFFIX` added."""
    return tile_path.with_name(tile_path.name + OVERVIEW_SUFFIX)


def pending_path(tile_path: Path) -> Path:
    """The description of a tile file's overview while the tiles are still being built (:data:`PENDING_SUFFIX`)."""
    return tile_path.with_name(tile_path.name + OVERVIEW_SUFFIX + PENDING_SUFFIX)


def pending_overview(tile_path: Path) -> Overview | None:
    """The overview a build under way has painted already, None before (or once the tile file records it)."""
    try:
        data = json.loads(pending_path(tile_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return _overview(data) if overview_path(tile_path).is_file() else None


def needs_tiles(geometry_type: str, *, features: int, coordinates: int | None = None) -> bool:
    """True when a layer is large enough to be drawn from vector tiles rather than sent whole as GeoJSON.

    Polygon and line layers with at least :data:`TILE_MIN_FEATURES` located features or
    :data:`TILE_MIN_COORDINATES` coordinates; ``coordinates`` may be omitted when the count already decides.
    """
    if geometry_type not in TILED_TYPES:
        return False
    return features >= TILE_MIN_FEATURES or (coordinates or 0) >= TILE_MIN_COORDINATES


def coordinates(frame: gpd.GeoDataFrame) -> int:
    """The number of coordinates of a frame's geometries (what the GeoJSON's size grows with)."""
    return int(shapely.get_num_coordinates(frame.geometry.array).sum())


def tile_columns(layer: LayerDef, available: Iterable[str]) -> tuple[str, ...]:
    """The attributes a layer's tiles carry: those its style depends on, present in ``available`` (never ``id``)."""
    have = set(available)
    wanted = ["geom_quality"]
    if layer.style.color_field:
        wanted.append(layer.style.color_field)
    wanted += [f for f, _v in layer.style.outline_when]
    return tuple(dict.fromkeys(c for c in wanted if c in have))


def store_tag(store_location: str) -> str:
    """A short name for a store in file names (a hash: a PostGIS URL's credentials never reach a file name)."""
    return hashlib.sha256(store_location.encode("utf-8")).hexdigest()[:12]


def tile_name(store_location: str, layer_id: str, version: int, columns: Sequence[str]) -> str:
    """The file name of a layer version's tiles: ``<store>-<layer>-v<version>-<digest>.pmtiles``.

    The digest covers the store, layer, version, the attributes carried and :data:`TILE_FORMAT`, so a new version,
    another store or a new tile format never finds an old file.
    """
    key = "\0".join([store_location, layer_id, str(version), ",".join(columns), str(TILE_FORMAT)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"{store_tag(store_location)}-{layer_id}-v{version}-{digest}{SUFFIX}"


def _prefix(store_location: str, layer_id: str) -> str:
    return f"{store_tag(store_location)}-{layer_id}-v"


def layer_files(tiles_dir: Path, store_location: str, layer_id: str) -> list[Path]:
    """Every tile file of ``layer_id`` of that store in ``tiles_dir``, oldest name first."""
    if not tiles_dir.is_dir():
        return []
    prefix = _prefix(store_location, layer_id)
    return sorted(p for p in tiles_dir.iterdir() if p.name.startswith(prefix) and p.name.endswith(SUFFIX))


def remove_superseded(tiles_dir: Path, store_location: str, layer_id: str, keep: Path) -> list[Path]:
    """Delete the layer's other tile files (earlier versions, other formats) and their overviews.

    Returns the tile files deleted.
    """
    return _remove([p for p in layer_files(tiles_dir, store_location, layer_id) if p.name != keep.name])


def remove_layer_files(tiles_dir: Path, store_location: str, layer_id: str) -> list[Path]:
    """Delete every tile file of ``layer_id`` of that store, with its overview; returns the tile files deleted."""
    return _remove(layer_files(tiles_dir, store_location, layer_id))


def _remove(paths: list[Path]) -> list[Path]:
    for path in paths:
        pending_path(path).unlink(missing_ok=True)
        overview_path(path).unlink(missing_ok=True)
        path.unlink(missing_ok=True)
    return paths


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this machine (one we may not signal runs too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_parts(tiles_dir: Path) -> list[Path]:
    """Delete the temporary files of builds whose process has gone (killed, or the machine stopped mid-build).

    A build writes ``.<name>.<pid>.part`` and renames it when complete; a killed one leaves it behind. A part whose
    process still runs is another build under way and is kept. Returns what was deleted.
    """
    if not tiles_dir.is_dir():
        return []
    gone = []
    for path in tiles_dir.iterdir():
        name = path.name
        if not (name.startswith(".") and name.endswith(".part") and SUFFIX in name):
            continue
        pid = name.removesuffix(".part").rsplit(".", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            gone.append(path)
    return sorted(gone)


def content_digest(shown: gpd.GeoDataFrame, palette: Palette | None = None) -> str:
    """What a tile file is made of, as a hash: columns, values, shapes, overview palette and tile format.

    ``shown`` is a :func:`tile_frame`. Two versions of a layer whose edits touched no shape and no attribute the
    tiles carry (a tenant renamed, an owner corrected) have the same digest, so their tiles are the same file.
    """
    h = hashlib.sha256(f"tile-format-{TILE_FORMAT}\0".encode())
    h.update(json.dumps(None if palette is None else palette.to_json(), sort_keys=True).encode("utf-8"))
    columns = [c for c in shown.columns if c != shown.geometry.name]
    h.update(json.dumps(columns).encode("utf-8"))
    for c in columns:
        h.update("\x1f".join(str(v) for v in shown[c].tolist()).encode("utf-8") + b"\x1e")
    wkb = shapely.to_wkb(np.asarray(shown.geometry.array, dtype=object), byte_order=1, output_dimension=2)
    h.update(b"".join(wkb.tolist()))
    return h.hexdigest()


#: how a tile file records its content digest and overview (GDAL's PMTiles metadata "description": JSON after this)
_RECORD = "baoyen tiles "


def _record(path: Path) -> dict[str, object]:
    try:
        meta = pyogrio.read_info(path).get("dataset_metadata") or {}
    except (pyogrio.errors.DataSourceError, OSError):
        return {}
    text = str(meta.get("description", ""))
    if not text.startswith(_RECORD):
        return {}
    try:
        record = json.loads(text.removeprefix(_RECORD))
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def file_content(path: Path) -> str | None:
    """The content digest a tile file records (:func:`content_digest`), None when it records none or is unreadable."""
    content = _record(path).get("content")
    return content if isinstance(content, str) else None


def file_overview(path: Path) -> Overview | None:
    """The overview a tile file records, None when it has none (or its image is missing)."""
    data = _record(path).get("overview")
    return _overview(data) if overview_path(path).is_file() else None


def _overview(data: object) -> Overview | None:
    if not isinstance(data, dict):
        return None
    try:
        south, west, north, east = (float(data[k]) for k in ("south", "west", "north", "east"))
        return Overview(int(data["zoom"]), south, west, north, east, int(data["width"]), int(data["height"]))
    except (KeyError, TypeError, ValueError):
        return None


def reuse_same_content(tiles_dir: Path, store_location: str, layer_id: str, dest: Path, digest: str) -> Path | None:
    """Give ``dest`` the tiles of another version of the layer whose content digest is ``digest``; None if none.

    The file is linked (or copied) to a temporary sibling and renamed into place, as a build would: a reader
    never sees half a file. The other version's file is left as it is (:func:`remove_superseded` deletes it).
    """
    for other in reversed(layer_files(tiles_dir, store_location, layer_id)):
        if other.name == dest.name or file_content(other) != digest:
            continue
        try:
            if overview_path(other).is_file():  # the image first: a tile file is there only once its overview is
                _link(overview_path(other), overview_path(dest))
            _link(other, dest)
        except FileNotFoundError:  # another process removed it meanwhile: build instead
            continue
        return dest
    return None


def _link(src: Path, dest: Path) -> None:
    """``dest`` becomes ``src``'s content through a temporary sibling renamed into place (a hard link, or a copy)."""
    with _into_place(dest) as part:
        try:
            os.link(src, part)
        except FileNotFoundError:
            raise
        except OSError:
            shutil.copyfile(src, part)


def _part(dest: Path) -> Path:
    """The temporary sibling a file is written to before it is renamed into place (:func:`remove_stale_parts`)."""
    return dest.with_name(f".{dest.name}.{os.getpid()}.part")


@contextmanager
def _into_place(dest: Path) -> Iterator[Path]:
    """The temporary sibling (:func:`_part`) to write ``dest`` to, renamed into place when the block ends.

    It is deleted in any case (an error leaves ``dest`` as it was), so a reader never sees half a file.
    """
    part = _part(dest)
    part.unlink(missing_ok=True)
    try:
        yield part
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)


def tile_frame(frame: gpd.GeoDataFrame, columns: Sequence[str]) -> gpd.GeoDataFrame:
    """What goes into the tiles: located features in EPSG:4326 (2D), ``columns`` as text ("" for missing)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the frame has no column {', '.join(missing)} for its tiles")
    shown = to_display(frame, "the layer")
    geoms = shown.geometry.array
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out = gpd.GeoDataFrame(
        {c: shown[c][keep].astype("string").fillna("").to_numpy(dtype=object) for c in columns},
        geometry=gpd.GeoSeries(shapely.force_2d(geoms[keep]), crs=shown.crs),
    )
    return out


def _style_index(shown: gpd.GeoDataFrame, palette: Palette) -> np.ndarray:
    """Each feature's style in ``palette`` (by its tile columns' texts, as the map's symbolizer picks it)."""
    columns = [c for c in shown.columns if c != shown.geometry.name]
    if columns:
        keys = shown[columns[0]].astype(str)
        for c in columns[1:]:
            keys = keys + STYLE_KEY_SEP + shown[c].astype(str)
        found = keys.map(palette.lookup)
        return found.fillna(0).to_numpy(dtype=np.int64)
    return np.full(len(shown), palette.lookup.get("", 0), dtype=np.int64)


def overview_grid(bounds_3857: Sequence[float]) -> tuple[int, float, float, float, int, int]:
    """(zoom, resolution, left, top, width, height) of the overview of data with these Web Mercator bounds.

    The grid is the zoom's own pixel grid (so the image lines up with the map's pixels), at :data:`OVERVIEW_ZOOM`
    or lower until its longest side is at most :data:`OVERVIEW_MAX_PX`.
    """
    x0, y0, x1, y1 = (float(v) for v in bounds_3857)
    zoom = OVERVIEW_ZOOM
    while True:
        res = 2 * _MERCATOR_HALF / (256 * 2**zoom)
        left, right = np.floor(x0 / res) * res, np.ceil(x1 / res) * res
        bottom, top = np.floor(y0 / res) * res, np.ceil(y1 / res) * res
        width, height = max(1, round((right - left) / res)), max(1, round((top - bottom) / res))
        if max(width, height) <= OVERVIEW_MAX_PX or zoom == 0:
            return zoom, res, float(left), float(top), int(width), int(height)
        zoom -= 1


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for the block (its previous state restored after).

    Making a million coordinate lists for rasterio triggers a full collection of the whole heap again and again:
    0.59 s for 980,000 points against 0.12 s paused. The lists hold no cycles; they are freed by their counts.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _shapes(geoms: np.ndarray) -> tuple[list[object], list[object]]:
    """The geometries as rasterio takes them, to fill and to outline; polygons as GeoJSON-like mappings.

    rasterio reads a shapely geometry through ``__geo_interface__``, one coordinate at a time in Python: for 20,000
    lots of 48 vertices that took 2.5 of the overview's 2.7 s. Here the polygons' coordinates come out of shapely in
    one array (:func:`shapely.to_ragged_array`) and are cut into rings by their offsets, once for both: a polygon is
    filled as itself and outlined as its rings (a MultiLineString: its boundary). Other geometries are passed as
    they are, to both. Call it with the collector paused (:func:`_gc_paused`).
    """
    areas: list[object] = list(geoms)
    edges: list[object] = list(geoms)
    polygonal = np.flatnonzero(np.isin(shapely.get_type_id(geoms), (3, 6)))
    if not len(polygonal):
        return areas, edges
    kind, coords, offsets = shapely.to_ragged_array(geoms[polygonal])
    points = coords.tolist()
    ring_ends, *parts = (o.tolist() for o in offsets)
    rings = [points[a:b] for a, b in pairwise(ring_ends)]
    polygons = [rings[a:b] for a, b in pairwise(parts[0])]
    if kind == shapely.GeometryType.MULTIPOLYGON:
        grouped = [polygons[a:b] for a, b in pairwise(parts[1])]
        filled = [{"type": "MultiPolygon", "coordinates": g} for g in grouped]
        lined = [{"type": "MultiLineString", "coordinates": [r for p in g for r in p]} for g in grouped]
    else:
        filled = [{"type": "Polygon", "coordinates": p} for p in polygons]
        lined = [{"type": "MultiLineString", "coordinates": p} for p in polygons]
    for i, area, edge in zip(polygonal.tolist(), filled, lined, strict=True):
        areas[i], edges[i] = area, edge
    return areas, edges


def _pick(items: list[object], mask: np.ndarray) -> list[object]:
    return [items[i] for i in np.flatnonzero(mask).tolist()]


def build_overview(shown: gpd.GeoDataFrame, dest: Path, palette: Palette) -> Overview | None:
    """Paint a :func:`tile_frame` into one PNG (``dest``, written atomically); None for a frame without features.

    Fills, then outlines, in the order of the features, each in its style's colours: rasterio's rasterize on the
    overview's pixel grid (:func:`overview_grid`) in Web Mercator, the map's own projection, so the browser draws
    it as one image at the district's views.
    """
    from rasterio.transform import Affine

    if shown.empty:
        return None
    merc = reproject(shown, "EPSG:3857")
    geoms = np.asarray(merc.geometry.array, dtype=object)
    zoom, res, left, top, width, height = overview_grid(merc.total_bounds)
    style = _style_index(shown, palette)
    rgba = _paint(geoms, style, palette, (height, width), Affine(res, 0.0, left, 0.0, -res, top))
    _write_png(dest, rgba)
    return _grid_overview(zoom, res, left, top, width, height)


def _grid_overview(zoom: int, res: float, left: float, top: float, width: int, height: int) -> Overview:
    """Where an overview of this grid (:func:`overview_grid`) lies, in degrees."""
    to_4326 = transformer("EPSG:3857", "EPSG:4326")
    west, north = to_4326.transform(left, top)
    east, south = to_4326.transform(left + width * res, top - height * res)
    return Overview(zoom, float(south), float(west), float(north), float(east), width, height)


def _paint(
    geoms: np.ndarray, style: np.ndarray, palette: Palette, shape: tuple[int, int], transform: Any
) -> np.ndarray:
    """The RGBA pixels (rows, columns, 4) of Web Mercator shapes in their styles on a grid (rasterio's transform)."""
    import rasterio.features

    n = len(palette.styles)
    fills = np.zeros((n + 1, 4), dtype=np.uint8)
    strokes = np.zeros((n + 1, 4), dtype=np.uint8)
    for i, (fill, stroke) in enumerate(palette.styles):
        if fill is not None:
            fills[i + 1] = fill
        if stroke is not None:
            strokes[i + 1] = stroke
    style = np.where((style >= 0) & (style < n), style, 0)
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))

    def paint(shapes: list[object], which: np.ndarray) -> np.ndarray:
        """Each chosen shape's style + 1 in the pixels it covers (a line: a pixel wide, as a 1-px stroke is)."""
        if not which.any():
            return np.zeros(shape, dtype=np.uint16)
        pairs = zip(_pick(shapes, which), style[which] + 1, strict=True)
        return rasterio.features.rasterize(pairs, out_shape=shape, transform=transform, fill=0, dtype="uint16")

    with _gc_paused():
        areas, edges = _shapes(geoms)
        filled = paint(areas, polygonal & (fills[style + 1, 3] > 0))
        outlined = paint(edges, strokes[style + 1, 3] > 0)
    rgba = fills[filled]
    on_edge = outlined > 0
    rgba[on_edge] = strokes[outlined[on_edge]]
    return rgba


@contextmanager
def _image_env() -> Iterator[None]:
    """The overview's PNG opened by rasterio: an image the map places (no georeferencing, no .aux.xml beside it).

    Only rasterio's NotGeoreferencedWarning is silenced, and only for that file's opening.
    """
    import rasterio
    import rasterio.errors

    with warnings.catch_warnings(), rasterio.Env(GDAL_PAM_ENABLED="NO"):
        warnings.simplefilter("ignore", rasterio.errors.NotGeoreferencedWarning)
        yield


def _write_png(dest: Path, rgba: np.ndarray) -> None:
    """Write RGBA pixels (rows, columns, 4) as a PNG, atomically."""
    import rasterio

    height, width = rgba.shape[:2]
    with (
        _into_place(dest) as part,
        _image_env(),
        rasterio.open(part, "w", driver="PNG", width=width, height=height, count=4, dtype="uint8") as out,
    ):
        out.write(np.moveaxis(rgba, -1, 0))


def _patch_overview(
    shown: gpd.GeoDataFrame,
    dest: Path,
    base: Path,
    boxes: Sequence[Sequence[float]],
    palette: Palette,
    *,
    tree: shapely.STRtree | None = None,
) -> Overview | None:
    """Paint ``shown``'s overview into ``dest`` from ``base``'s image, again only around the ``boxes`` (EPSG:4326).

    The pixels around each box (two beyond it) are painted again from every feature that reaches them, in order:
    the image :func:`build_overview` paints, pixel for pixel (tested). Only those features are projected and
    styled (``tree``: an STRtree of ``shown``'s geometries, when the caller has one). None, writing nothing, when
    the base has no image, it was painted with another palette, or the grid moved (the layer's extent changed):
    the whole image is painted then.
    """
    import rasterio
    import rasterio.errors
    from rasterio.transform import Affine

    recorded = file_overview(base)
    if recorded is None or _record(base).get("palette") != _palette_key(palette):
        return None  # no image, or one painted in other colours
    to_3857 = transformer("EPSG:4326", "EPSG:3857")
    # Web Mercator is monotonic in each axis alone: the projected extent is the extent's corners projected (a
    # last-digit difference from projecting every vertex moves the grid, and the image is painted whole)
    west, south, east, north = (float(v) for v in shown.total_bounds)
    (x0, x1), (y0, y1) = to_3857.transform([west, east], [south, north])
    zoom, res, left, top, width, height = overview_grid((x0, y0, x1, y1))
    if recorded != _grid_overview(zoom, res, left, top, width, height):
        return None
    try:
        with _image_env(), rasterio.open(overview_path(base)) as image:
            rgba = np.moveaxis(image.read(), 0, -1).copy()
    except (rasterio.errors.RasterioIOError, OSError):  # removed meanwhile (a newer build superseded it)
        return None
    if rgba.shape != (height, width, 4):
        return None
    geoms = np.asarray(shown.geometry.array, dtype=object)
    tree = tree if tree is not None else shapely.STRtree(geoms)
    to_4326 = transformer("EPSG:3857", "EPSG:4326")
    for box in boxes:
        bx0, by0, bx1, by1 = to_3857.transform_bounds(box[0], box[1], box[2], box[3])
        c0, c1 = max(0, int(np.floor((bx0 - left) / res)) - 2), min(width, int(np.ceil((bx1 - left) / res)) + 2)
        r0, r1 = max(0, int(np.floor((top - by1) / res)) - 2), min(height, int(np.ceil((top - by0) / res)) + 2)
        if c0 >= c1 or r0 >= r1:
            continue
        wl, wt = left + c0 * res, top - r0 * res
        grown = (wl - res, wt - (r1 - r0 + 1) * res, wl + (c1 - c0 + 1) * res, wt + res)
        reach = np.sort(tree.query(shapely.box(*to_4326.transform_bounds(*grown))))
        near = reproject(shown.iloc[reach], "EPSG:3857")
        style = _style_index(shown.iloc[reach], palette)
        window = Affine(res, 0.0, wl, 0.0, -res, wt)
        near_geoms = np.asarray(near.geometry.array, dtype=object)
        rgba[r0:r1, c0:c1] = _paint(near_geoms, style, palette, (r1 - r0, c1 - c0), window)
    _write_png(dest, rgba)
    return recorded


def build_tiles(
    frame: gpd.GeoDataFrame,
    dest: Path,
    *,
    columns: Sequence[str],
    min_zoom: int = MIN_ZOOM,
    max_zoom: int = MAX_ZOOM,
    palette: Palette | None = None,
) -> TileFile:
    """Write the tiles of ``frame`` (any CRS) to ``dest`` (a ``.pmtiles`` path), atomically.

    GDAL writes a temporary sibling that is renamed into place when complete, so a reader (the app's static
    server) never sees half a file; what killed builds left behind is deleted first. Features without a geometry
    are left out; ``columns`` are carried as text. Detailed features are simplified in the tiles by a fraction of
    a pixel (:data:`SIMPLIFY_FROM_COORDINATES`). The file records its :func:`content_digest`.
    """
    if not dest.name.endswith(SUFFIX):
        raise ValueError(f"{dest} is not a {SUFFIX} file")
    shown = tile_frame(frame, columns)
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(dest.parent)
    started = time.perf_counter()
    overview = build_overview(shown, overview_path(dest), palette) if palette is not None else None
    record: dict[str, object] = {
        "content": content_digest(shown, palette),
        "overview": overview and overview.to_json(),
        "palette": _palette_key(palette),
    }
    pending = pending_path(dest)
    if overview is not None:  # the map may draw the district's views from the image while the tiles are written
        with _into_place(pending) as part:
            part.write_text(json.dumps(overview.to_json()), encoding="utf-8")
    options = _gdal_options(shown, min_zoom, max_zoom)
    record["build"] = _build_key(options, columns)
    options |= {"NAME": dest.stem, "DESCRIPTION": _RECORD + json.dumps(record, sort_keys=True)}
    try:
        with _into_place(dest) as part:
            _write_pmtiles(shown, part, options)
    finally:
        pending.unlink(missing_ok=True)  # the tile file records the overview now (or the build failed)
    return TileFile(dest, len(shown), time.perf_counter() - started, dest.stat().st_size, overview)


def _write_pmtiles(shown: gpd.GeoDataFrame, path: Path, options: dict[str, str]) -> None:
    """GDAL's PMTiles driver writes ``shown`` (a tile frame) to ``path`` with ``options``."""
    with warnings.catch_warnings():
        # GDAL says when a tile had to be encoded at a lower resolution: a drawing detail, not a data problem
        warnings.filterwarnings("ignore", message="At least one tile exceeded", category=RuntimeWarning)
        pyogrio.write_dataframe(
            shown, path, driver="PMTiles", layer=TILE_LAYER, use_arrow=True, dataset_options=options
        )


def _gdal_options(shown: gpd.GeoDataFrame, min_zoom: int, max_zoom: int) -> dict[str, str]:
    """GDAL's PMTiles options for ``shown`` between two zooms (without the file's name and record)."""
    options = {
        "MINZOOM": str(min_zoom),
        "MAXZOOM": str(max_zoom),
        "MAX_SIZE": str(MAX_TILE_BYTES),
        "EXTENT": str(TILE_EXTENT),
        "BUFFER": str(TILE_BUFFER),
    }
    if len(shown) and coordinates(shown) / len(shown) > SIMPLIFY_FROM_COORDINATES:
        options |= {"SIMPLIFICATION": SIMPLIFICATION, "SIMPLIFICATION_MAX_ZOOM": SIMPLIFICATION_MAX_ZOOM}
    return options


def _palette_key(palette: Palette | None) -> str | None:
    """A digest of the overview's palette, which a file records (a patch repaints only an image of the same)."""
    if palette is None:
        return None
    return hashlib.sha256(json.dumps(palette.to_json(), sort_keys=True).encode("utf-8")).hexdigest()


def _build_key(options: dict[str, str], columns: Sequence[str]) -> dict[str, object]:
    """How a file's tiles were cut (options, columns, format, GDAL): a patch writes into a file cut the same way."""
    return {**options, "columns": list(columns), "format": TILE_FORMAT, "gdal": pyogrio.__gdal_version_string__}


def file_version(path: Path) -> int | None:
    """The layer version a tile file (:func:`tile_name`) holds, None for a name that is not one."""
    parts = path.name.removesuffix(SUFFIX).rsplit("-", 2)
    if len(parts) != 3 or not parts[1].startswith("v") or not parts[1][1:].isdigit():
        return None
    return int(parts[1][1:])


def patch_base(tiles_dir: Path, store_location: str, layer_id: str, dest: Path, columns: Sequence[str]) -> Path | None:
    """The other tile file of the layer of the highest version whose tiles carry ``columns`` (to patch), or None."""
    versioned = [(v, p) for p in layer_files(tiles_dir, store_location, layer_id) if (v := file_version(p)) is not None]
    for _version, other in sorted(versioned, reverse=True):
        build = _record(other).get("build")
        if other.name != dest.name and isinstance(build, dict) and build.get("columns") == list(columns):
            return other
    return None


def _row_codes(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, int]:
    """Each feature of two tile frames as a number, equal for equal features (shape as 2D WKB, and its texts).

    Exact (each column is factorised by value, then the columns' codes together); returns both sides' numbers and
    how many distinct features there are.
    """
    combined = np.zeros(len(before) + len(after), dtype=np.int64)
    distinct = 1
    for column in [c for c in before.columns if c != before.geometry.name] + [None]:
        if column is None:
            halves = [
                shapely.to_wkb(np.asarray(f.geometry.array, dtype=object), byte_order=1, output_dimension=2)
                for f in (before, after)
            ]
        else:
            halves = [f[column].to_numpy(dtype=object) for f in (before, after)]
        codes, uniques = pd.factorize(np.concatenate(halves))
        combined, found = pd.factorize(combined * len(uniques) + codes)
        distinct = len(found)
    return combined[: len(before)], combined[len(before) :], distinct


def changed_boxes(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame) -> list[tuple[float, float, float, float]] | None:
    """Where the tiles of ``after`` differ from those of ``before`` (both tile frames): bounding boxes.

    A feature is compared whole (shape and the texts the tiles carry), as many times as it occurs: the boxes are
    those of the features only one side holds (a lot moved: where it was and where it is). None when the features
    both hold are not in the same order (the tiles draw them in it) or the columns differ: the whole file is made
    again then.
    """
    if list(before.columns) != list(after.columns):
        return None
    a, b, distinct = _row_codes(before, after)
    count_a = np.bincount(a, minlength=distinct)
    count_b = np.bincount(b, minlength=distinct)
    # occurrences beyond what the other side holds are the changed ones (the first ones are kept, in order)
    rank_a = _occurrence(a)
    rank_b = _occurrence(b)
    gone = rank_a >= count_b[a]
    added = rank_b >= count_a[b]
    if not np.array_equal(a[~gone], b[~added]):
        return None
    changed = np.concatenate([np.asarray(before.geometry.array)[gone], np.asarray(after.geometry.array)[added]])
    return [(float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1 in shapely.bounds(changed).tolist()]


def _occurrence(codes: np.ndarray) -> np.ndarray:
    """For each code, how many times it occurred before it (0 for its first occurrence)."""
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_codes)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    out = np.empty(len(codes), dtype=np.int64)
    out[order] = np.arange(len(codes)) - first
    return out


def _tile_range(box_3857: Sequence[float], zoom: int, margin: float) -> Iterator[tuple[int, int, int]]:
    """The tiles (z, x, y) of ``zoom`` whose square grown by ``margin`` of its side meets the box (Web Mercator)."""
    side = 2 * _MERCATOR_HALF / 2**zoom
    last = 2**zoom - 1
    x0, y0, x1, y1 = box_3857
    cols = range(
        max(0, int(np.floor((x0 + _MERCATOR_HALF) / side - margin))),
        min(last, int(np.floor((x1 + _MERCATOR_HALF) / side + margin))) + 1,
    )
    rows = range(
        max(0, int(np.floor((_MERCATOR_HALF - y1) / side - margin))),
        min(last, int(np.floor((_MERCATOR_HALF - y0) / side + margin))) + 1,
    )
    return ((zoom, x, y) for x in cols for y in rows)


def _tile_box(tile: tuple[int, int, int], margin: float) -> tuple[float, float, float, float]:
    """A tile's square grown by ``margin`` of its side (Web Mercator)."""
    z, x, y = tile
    side = 2 * _MERCATOR_HALF / 2**z
    left, top = -_MERCATOR_HALF + x * side, _MERCATOR_HALF - y * side
    return left - margin * side, top - (1 + margin) * side, left + (1 + margin) * side, top + margin * side


def _read_archive(path: Path) -> tuple[dict[str, Any], dict[str, Any], dict[tuple[int, int, int], bytes]]:
    """A PMTiles file's header, metadata and tiles ((z, x, y) -> the tile's bytes as stored)."""
    from pmtiles.reader import MemorySource, Reader, all_tiles

    source = MemorySource(path.read_bytes())
    reader = Reader(source)
    return dict(reader.header()), reader.metadata(), dict(all_tiles(source))


def _write_archive(
    dest: Path, header: dict[str, Any], metadata: dict[str, Any], tiles_at: dict[tuple[int, int, int], bytes]
) -> None:
    """Write a PMTiles file (atomically) of these tiles, in tile-id order, each distinct content stored once."""
    from pmtiles.tile import Entry, zxy_to_tileid
    from pmtiles.writer import finalize_header

    entries: list[Entry] = []
    offsets: dict[bytes, int] = {}
    data: list[bytes] = []
    size = 0
    for tile_id, content in sorted((zxy_to_tileid(*k), v) for k, v in tiles_at.items()):
        offset = offsets.get(content)
        if offset is None:
            offset = offsets[content] = size
            data.append(content)
            size += len(content)
        last = entries[-1] if entries else None
        if last is not None and last.offset == offset and last.tile_id + last.run_length == tile_id:
            last.run_length += 1
        else:
            entries.append(Entry(tile_id, offset, len(content), 1))
    head, root, meta, leaves = finalize_header(header, len(tiles_at), entries, len(data), metadata, True, size)
    with _into_place(dest) as part, part.open("wb") as out:
        for chunk in (head, root, meta, leaves, *data):
            out.write(chunk)


def _bounds_metadata(shown: gpd.GeoDataFrame, min_zoom: int) -> tuple[dict[str, str], dict[str, int]]:
    """The file's bounds and centre as GDAL writes them (metadata texts, header fields) for ``shown``'s extent."""
    west, south, east, north = (float(v) for v in shown.total_bounds)
    lon, lat = (west + east) / 2, (south + north) / 2
    texts = {"bounds": f"{west:.7f},{south:.7f},{east:.7f},{north:.7f}", "center": f"{lon:.7f},{lat:.7f},{min_zoom}"}
    e7 = {
        "min_lon_e7": round(west * 1e7),
        "min_lat_e7": round(south * 1e7),
        "max_lon_e7": round(east * 1e7),
        "max_lat_e7": round(north * 1e7),
        "center_zoom": min_zoom,
        "center_lon_e7": int(lon * 1e7),  # GDAL truncates the centre and rounds the bounds
        "center_lat_e7": int(lat * 1e7),
    }
    return texts, e7


def patch_tiles(
    shown: gpd.GeoDataFrame,
    dest: Path,
    *,
    base: Path,
    boxes: Sequence[Sequence[float]],
    columns: Sequence[str],
    min_zoom: int = MIN_ZOOM,
    max_zoom: int = MAX_ZOOM,
    palette: Palette | None = None,
    digest: str | None = None,
) -> TileFile | None:
    """Write the tiles of ``shown`` to ``dest`` from ``base``'s, re-encoding only the tiles an edit touched.

    ``base`` is the tile file of an earlier version, cut the same way; ``boxes`` are where the two differ
    (:func:`changed_boxes`, EPSG:4326). Every tile that meets a box (grown by GDAL's buffer) is encoded again by
    GDAL from the features that reach it, one zoom at a time; every other tile is ``base``'s, as it was. The
    tiles are those a full build writes, byte for byte (tested); so is the overview, painted again only around the
    boxes (:func:`_patch_overview`) and announced while the tiles are written, as a full build does. Returns
    None, writing nothing, when ``base`` was cut otherwise (other options, columns, format or GDAL) or is
    unreadable, or when the edit reaches more than :data:`PATCH_MAX_SHARE` of the work: :func:`build_tiles` then.
    ``digest`` is ``shown``'s :func:`content_digest` with ``palette`` when the caller has it already.
    """
    started = time.perf_counter()
    options = _gdal_options(shown, min_zoom, max_zoom)
    if _record(base).get("build") != _build_key(options, columns) or shown.empty:
        return None
    to_3857 = transformer("EPSG:4326", "EPSG:3857")
    dirty = [to_3857.transform_bounds(box[0], box[1], box[2], box[3]) for box in boxes]
    tree = shapely.STRtree(np.asarray(shown.geometry.array, dtype=object))
    to_4326 = transformer("EPSG:3857", "EPSG:4326")
    margin = 2 * TILE_BUFFER / TILE_EXTENT  # twice GDAL's buffer: a feature that reaches a tile is never missed
    plan: list[tuple[int, set[tuple[int, int, int]], np.ndarray]] = []
    work = 0
    for zoom in range(min_zoom, max_zoom + 1):
        touched = {t for box in dirty for t in _tile_range(box, zoom, margin)}
        query = [shapely.box(*to_4326.transform_bounds(*_tile_box(t, margin))) for t in touched]
        reach = np.unique(tree.query(query)[1]) if query else np.zeros(0, dtype=np.int64)
        work += len(reach)
        plan.append((zoom, touched, reach))
    if work > PATCH_MAX_SHARE * len(shown) * (max_zoom - min_zoom + 1):
        return None
    from pmtiles.tile import MagicNumberNotFound, SpecVersionUnsupported

    try:
        header, metadata, tiles_at = _read_archive(base)
    except (OSError, ValueError, KeyError, EOFError, MagicNumberNotFound, SpecVersionUnsupported):
        return None  # removed meanwhile, or not a PMTiles file after all: built whole
    overview = None
    if palette is not None:
        overview = _patch_overview(shown, overview_path(dest), base, boxes, palette, tree=tree)
        overview = overview or build_overview(shown, overview_path(dest), palette)
    record: dict[str, object] = {
        "content": digest or content_digest(shown, palette),
        "overview": overview and overview.to_json(),
        "palette": _palette_key(palette),
        "build": _build_key(options, columns),
    }
    pending = pending_path(dest)
    if overview is not None:  # as a full build does: the map may draw the new image while the tiles are written
        with _into_place(pending) as part:
            part.write_text(json.dumps(overview.to_json()), encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="baoyen-patch-") as tmp:
            for zoom, touched, reach in plan:
                fresh: dict[tuple[int, int, int], bytes] = {}
                if len(reach):
                    one = _gdal_options(shown, zoom, zoom)
                    if "SIMPLIFICATION" in one and zoom < max_zoom:  # GDAL's deepest zoom is the file's, not this one
                        one["SIMPLIFICATION_MAX_ZOOM"] = one["SIMPLIFICATION"]
                    part_file = Path(tmp) / f"z{zoom}{SUFFIX}"
                    _write_pmtiles(shown.iloc[reach], part_file, one)
                    fresh = _read_archive(part_file)[2]
                for tile in touched:
                    tiles_at.pop(tile, None)
                    if tile in fresh:
                        tiles_at[tile] = fresh[tile]
        texts, e7 = _bounds_metadata(shown, min_zoom)
        metadata |= {"name": dest.stem, "description": _RECORD + json.dumps(record, sort_keys=True), **texts}
        metadata["tilestats"] = _tilestats(metadata.get("tilestats"), shown)
        _write_archive(dest, header | e7, metadata, tiles_at)
    finally:
        pending.unlink(missing_ok=True)
    return TileFile(dest, len(shown), time.perf_counter() - started, dest.stat().st_size, overview)


def _tilestats(before: object, shown: gpd.GeoDataFrame) -> object:
    """GDAL's "tilestats" of the earlier file brought up to ``shown``: its feature count and each field's values."""
    if not isinstance(before, dict) or len(before.get("layers") or []) != 1:
        return before
    layer = dict(before["layers"][0])
    layer["count"] = len(shown)
    attributes = []
    for attribute in layer.get("attributes") or []:
        name = attribute.get("attribute") if isinstance(attribute, dict) else None
        if name not in shown.columns:
            attributes.append(attribute)
            continue
        present = list(dict.fromkeys(str(v) for v in shown[name].tolist()))
        kept = [v for v in attribute.get("values") or [] if v in set(present)]
        values = (kept + [v for v in present if v not in set(kept)])[: max(len(attribute.get("values") or []), 100)]
        attributes.append({**attribute, "count": len(values), "values": values})
    layer["attributes"] = attributes
    return {**before, "layers": [layer]}


def read_tiles(path: Path, *, zoom: int) -> gpd.GeoDataFrame:
    """The features of a tile file at one zoom level (EPSG:3857, clipped to tiles: a feature may repeat).

    For checks and tests; the map reads the tiles in the browser.
    """
    return pyogrio.read_dataframe(path, layer=TILE_LAYER, ZOOM_LEVEL=str(zoom))


def found_in(path: Path, frame: gpd.GeoDataFrame, *, zoom: int) -> np.ndarray:
    """For each feature of ``frame`` (any CRS): whether a feature of the tile file covers its interior point.

    The tiles carry no id, so a check that a file holds a layer's features asks where they are: a feature's
    point on its surface lies inside some tile feature at ``zoom`` (tiles hold shapes to within a grid cell, so
    a point near an edge is looked for within 1 m). Features without a geometry are False. For checks and tests.
    """
    back = read_tiles(path, zoom=zoom)
    geoms = np.asarray(frame.to_crs(back.crs or "EPSG:3857").geometry.array, dtype=object)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    out = np.zeros(len(geoms), dtype=bool)
    if not located.any() or back.empty:
        return out
    points = shapely.point_on_surface(geoms[located])
    tree = shapely.STRtree(np.asarray(back.geometry.array, dtype=object))
    hit, _ = tree.query(points, predicate="dwithin", distance=1.0)
    inside = np.zeros(len(points), dtype=bool)
    inside[hit] = True
    out[np.flatnonzero(located)] = inside
    return out


#: the overview's palette for :func:`main`: a JSON file of this name beside the frame's file
PALETTE_FILE = "palette.json"
#: the frame's file a build process is given (:func:`write_frame`)
FRAME_FILE = "frame.arrow"


def write_frame(shown: gpd.GeoDataFrame, path: Path) -> None:
    """Hand a tile frame to a build process: Arrow IPC, uncompressed (half the time of GeoParquet both ways)."""
    shown.to_feather(path, compression="uncompressed")


def read_frame(path: Path) -> gpd.GeoDataFrame:
    """A frame :func:`write_frame` wrote, or a GeoParquet file (``.parquet``)."""
    return gpd.read_parquet(path) if path.suffix == ".parquet" else gpd.read_feather(path)


#: the argument that makes :func:`main` a build waiting ahead for its job (one JSON line on standard input)
STANDBY = "standby"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m layers.tiles FRAME DEST.pmtiles COLUMN...``: build tiles in a process of their own.

    FRAME is a tile frame as :func:`write_frame` writes it, or GeoParquet (``.parquet``).

    :mod:`services.tiles` runs its builds this way: GDAL's writer holds Python's GIL, and inside the app's process
    it would stall every page for the length of a build; :data:`NICENESS_ENV` set to N lowers the process's
    priority by N. Prints the written :class:`TileFile` as JSON, with the niceness the build ran at.

    ``python -m layers.tiles standby`` is a build started ahead of its job: its imports done, it waits for one
    line on standard input, ``{"frame": ..., "dest": ..., "columns": [...]}``, and builds it; with ``"base"`` (an
    earlier version's tile file) and ``"boxes"`` (:func:`changed_boxes`) it patches that file when it can
    (:func:`patch_tiles`) and builds the whole file otherwise. Standard input
    closed without a line (its starter has gone, or no job came) ends it without building anything.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    lower = os.environ.get(NICENESS_ENV, "")
    if lower.isdigit():
        # a build in the background yields the CPU to the app and the browser (2 cores: both wait otherwise)
        os.nice(int(lower))
    if args == [STANDBY]:
        import rasterio.features  # noqa: F401  (the overview's painter: imported while no job waits)

        line = sys.stdin.readline()
        if not line.strip():
            return 0
        job = json.loads(line)
        args = [str(job["frame"]), str(job["dest"]), *(str(c) for c in job["columns"])]
        patch = (job.get("base"), job.get("boxes"), job.get("digest"))
    else:
        patch = (None, None, None)
    if len(args) < 2:
        print("usage: python -m layers.tiles FRAME DEST.pmtiles COLUMN... | standby", file=sys.stderr)
        return 2
    # the overview's palette, when the caller wants one, lies beside the frame (PALETTE_FILE)
    given = Path(args[0]).with_name(PALETTE_FILE)
    palette = Palette.from_json(json.loads(given.read_text(encoding="utf-8"))) if given.is_file() else None
    frame = read_frame(Path(args[0]))
    base, boxes, digest = patch
    written = None
    if isinstance(base, str) and isinstance(boxes, list) and Path(base).is_file():
        known = digest if isinstance(digest, str) else None
        written = patch_tiles(
            frame, Path(args[1]), base=Path(base), boxes=boxes, columns=args[2:], palette=palette, digest=known
        )
    patched = written is not None
    if written is None:
        written = build_tiles(frame, Path(args[1]), columns=args[2:], palette=palette)
    out = {
        "path": str(written.path),
        "features": written.features,
        "seconds": written.seconds,
        "niceness": os.nice(0),
        "patched": patched,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

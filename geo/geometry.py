"""Geometry repair: one place, so every reader and analysis repairs the same way."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import shapely
from numpy.typing import NDArray

#: arrays at least this long are checked in several threads (GEOS releases the GIL); below, one is faster
_THREADED_FROM = 20_000


def is_valid(geoms: NDArray[np.object_]) -> NDArray[np.bool_]:
    """``shapely.is_valid`` of an array, split over up to 4 threads (as many as there are CPUs) when it is long.

    The same answer as one call: each geometry is checked on its own. 100,000 plots: 0.14 s in one thread,
    0.07 s in two.
    """
    geoms = np.asarray(geoms, dtype=object)
    workers = min(4, os.cpu_count() or 1, len(geoms) // _THREADED_FROM)
    if workers < 2:
        return np.asarray(shapely.is_valid(geoms), dtype=bool)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(shapely.is_valid, np.array_split(geoms, workers)))
    return np.concatenate(parts).astype(bool)


def repair(geoms: NDArray[np.object_]) -> tuple[NDArray[np.object_], NDArray[np.bool_]]:
    """Repair invalid geometries; return the repaired copy and the mask of the ones that were invalid.

    ``shapely.make_valid`` with ``method="structure"`` keeps each geometry's dimension (a self-crossing
    polygon stays a (multi)polygon, both halves of a bow-tie kept; never a zero-width buffer, which can drop
    one). GEOS 3.14 can return an invalid MultiPolygon from that (two parts sharing an edge, e.g. for a ring
    that runs back along itself); those get a second pass, which joins the parts.
    Missing and empty geometries are left as they are and do not count as invalid.
    """
    out = np.asarray(geoms, dtype=object).copy()
    present = ~(shapely.is_missing(out) | shapely.is_empty(out))
    invalid = present & ~is_valid(out)
    if invalid.any():
        out[invalid] = shapely.make_valid(out[invalid], method="structure", keep_collapsed=False)
        again = np.zeros_like(invalid)
        again[invalid] = ~shapely.is_valid(out[invalid])  # only the repaired ones can still be invalid
        if again.any():
            out[again] = shapely.make_valid(out[again], method="structure", keep_collapsed=False)
    return out, invalid


def envelope_pairs(geoms: NDArray[np.object_]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The pairs ``(a, b)``, ``a < b``, of ``geoms`` whose envelopes overlap with positive area.

    Only such pairs can have interiors that meet: neighbours that merely share an edge along the axes (a grid of
    lots) drop out here, at numpy speed, before any geometry is compared.
    """
    a, b = shapely.STRtree(geoms).query(geoms)  # pairs whose envelopes meet, each pair twice
    keep = a < b
    a, b = a[keep], b[keep]
    box = shapely.bounds(geoms)
    wide = np.minimum(box[a, 2], box[b, 2]) > np.maximum(box[a, 0], box[b, 0])
    tall = np.minimum(box[a, 3], box[b, 3]) > np.maximum(box[a, 1], box[b, 1])
    return a[wide & tall], b[wide & tall]

"""Geometry repair: one place, so every reader and analysis repairs the same way."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray


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
    invalid = present & ~shapely.is_valid(out)
    if invalid.any():
        out[invalid] = shapely.make_valid(out[invalid], method="structure", keep_collapsed=False)
        again = invalid & ~shapely.is_valid(out)
        if again.any():
            out[again] = shapely.make_valid(out[again], method="structure", keep_collapsed=False)
    return out, invalid

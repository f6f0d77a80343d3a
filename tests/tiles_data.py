"""Synthetic plantation plots (lô trồng) built in code, in EPSG:9208 inside Bảo Yên district.

A grid of small square plots over the district's interior, each with an id, a name, a species of the catalogue and
a geometry quality: the size of a district's plot map (tens of thousands to 100,000 polygons). Used by the tile
tests, the browser test and ``bench/bench_tiles.py``. Nothing here is real data.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from layers.catalogue import CATALOGUE

#: the plots' layer: plantation plots mapped, coloured by species
PLOTS_LAYER = "material_zones_mapped"
#: lon/lat box inside the district the plots fill
WEST, SOUTH, EAST, NORTH = 104.28, 22.16, 104.56, 22.44
SPECIES: tuple[str, ...] = tuple(v for v, _c in CATALOGUE.get(PLOTS_LAYER).style.color_map)
QUALITIES: tuple[str, ...] = ("digitised", "approximate", "schematic")


def plots(n: int, *, seed: int = 15, tag: str = "") -> gpd.GeoDataFrame:
    """``n`` square plots of ~60-80 m on a regular grid (EPSG:9208); ``tag`` goes into every name.

    Plot ``i`` is ``plot_<i>``, named ``Lô trồng <i><tag>``; species and quality vary with ``i`` so every style
    of the layer occurs.
    """
    to_9208 = Transformer.from_crs("EPSG:4326", "EPSG:9208", always_xy=True)
    x0, y0 = to_9208.transform(WEST, SOUTH)
    x1, y1 = to_9208.transform(EAST, NORTH)
    side = int(np.ceil(np.sqrt(n)))
    dx, dy = (x1 - x0) / side, (y1 - y0) / side
    i = np.arange(n)
    cx = x0 + (i % side + 0.5) * dx
    cy = y0 + (i // side + 0.5) * dy
    rng = np.random.default_rng(seed)
    half = rng.uniform(0.25, 0.35, n) * min(dx, dy)
    ids = np.char.add("plot_", i.astype(str))
    return gpd.GeoDataFrame(
        {
            "id": ids,
            "name": np.char.add(np.char.add("Lô trồng ", i.astype(str)), tag),
            "source": "synthetic test plots",
            "geom_quality": np.array(QUALITIES)[i % len(QUALITIES)],
            "species": np.array(SPECIES)[i % len(SPECIES)],
            "owner": np.char.add("Hộ ", (i % 997).astype(str)),
            "year_planted": 2010 + (i % 15),
        },
        geometry=shapely.box(cx - half, cy - half, cx + half, cy + half),
        crs="EPSG:9208",
    )


def plot_center(frame: gpd.GeoDataFrame, i: int) -> tuple[float, float]:
    """(lat, lon) of plot ``i``'s centre in EPSG:4326."""
    to_4326 = Transformer.from_crs("EPSG:9208", "EPSG:4326", always_xy=True)
    c = frame.geometry.iloc[i].centroid
    lon, lat = to_4326.transform(c.x, c.y)
    return float(lat), float(lon)

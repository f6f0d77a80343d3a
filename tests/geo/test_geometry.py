from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.geometry import envelope_pairs, repair


def test_bow_tie_keeps_both_halves() -> None:
    bow = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    fixed, invalid = repair(np.array([bow, shapely.box(0, 0, 1, 1), None, shapely.Polygon()], dtype=object))
    assert invalid.tolist() == [True, False, False, False]
    assert fixed[0].is_valid and fixed[0].area == pytest.approx(2.0)
    assert fixed[1].equals(shapely.box(0, 0, 1, 1)) and fixed[2] is None and fixed[3].is_empty


def test_ring_running_back_along_itself_is_valid_after_repair() -> None:
    # GEOS 3.14's structure repair gives two triangles sharing an edge here: an invalid MultiPolygon
    ring = shapely.Polygon([(0, 1), (1, 0), (0, 3), (0, 1), (1, 0), (0, 0)])
    fixed, invalid = repair(np.array([ring], dtype=object))
    assert invalid.tolist() == [True]
    assert fixed[0].is_valid and fixed[0].area == pytest.approx(1.5)


coords = st.tuples(st.integers(0, 4), st.integers(0, 4))


@settings(max_examples=300, deadline=None)
@given(st.lists(coords, min_size=3, max_size=8))
def test_repair_always_gives_valid_geometry(points: list[tuple[int, int]]) -> None:
    poly = shapely.Polygon(points)
    fixed, _ = repair(np.array([poly], dtype=object))
    assert shapely.is_valid(fixed[0])


def test_validity_of_a_long_array_is_checked_in_threads_with_the_same_answer() -> None:
    from geo import geometry

    rng = np.random.default_rng(4)
    good = shapely.box(*np.stack([rng.uniform(0, 1e5, 45_000)] * 2 + [rng.uniform(1e5, 2e5, 45_000)] * 2, 1).T)
    bow = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    geoms = np.array(good.tolist(), dtype=object)
    geoms[[5, 22_500, 44_999]] = bow
    geoms[100] = None
    got = geometry.is_valid(geoms)
    assert got.dtype == bool and got.tolist() == shapely.is_valid(geoms).tolist()
    assert np.flatnonzero(~got).tolist() == [5, 100, 22_500, 44_999]
    assert geometry.is_valid(geoms[:10]).tolist() == shapely.is_valid(geoms[:10]).tolist()


def test_envelope_pairs_drop_edge_neighbours_and_keep_overlaps() -> None:
    # a 3 × 3 grid of unit squares (neighbours share edges and corners), a square shifted over two of them,
    # a missing geometry
    grid = [shapely.box(x, y, x + 1, y + 1) for x in range(3) for y in range(3)]
    shifted = shapely.box(0.5, 0.2, 1.5, 0.8)  # over squares 0 (0..1, 0..1) and 3 (1..2, 0..1)
    a, b = envelope_pairs(np.array([*grid, shifted, None], dtype=object))
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == [(0, 9), (3, 9)]
    assert (a < b).all()

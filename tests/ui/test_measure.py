"""The measure tool against an independent figure: the WGS 84 geodesic (pyproj.Geod) times the TM-3 scale factor.

Our figures are grid lengths and areas in EPSG:9208. A grid length is the ground (ellipsoidal) length times the
projection's point scale factor k: TM-3 104-45 has k = 0.9999 on the central meridian, rising to about 1.00003
at the district's western edge (~56 km off it). So a measurement must equal the geodesic one times k at the
shape (k² for areas) to within 10 ppm, and may differ from the geodesic one by no more than 1.2 × 10⁻⁴ in any case.
The 10 ppm allow for the datum shift (EPSG:6960): its 2D pipeline keeps the ellipsoidal height at 0 on both datums,
and WGS 84's h = 0 lies ~31 m off VN-2000's here, which shortens ground lengths by ~5–6 ppm (6 mm per km).
"""

from __future__ import annotations

import pytest
import shapely
from pyproj import Geod, Proj

from ui.measure import format_area, format_length, measure_drawings, measure_shape

GEOD = Geod(ellps="WGS84")
TM3 = Proj("EPSG:9208")
WORST_SCALE = 1.2e-4


def scale_at(lon: float, lat: float) -> float:
    return float(TM3.get_factors(lon, lat).meridional_scale)


def feature(geometry: dict) -> dict:
    return {"type": "Feature", "properties": {}, "geometry": geometry}


@pytest.mark.parametrize("lon0", [104.25, 104.45, 104.62])  # west edge, middle, near the central meridian
def test_line_length_is_the_geodesic_one_times_the_scale_factor(lon0: float) -> None:
    coords = [[lon0, 22.30], [lon0 + 0.012, 22.305], [lon0 + 0.02, 22.29]]
    (m,) = measure_drawings([feature({"type": "LineString", "coordinates": coords})])
    geodesic = GEOD.geometry_length(shapely.LineString(coords))
    k = scale_at(lon0 + 0.01, 22.30)
    assert m.kind == "line" and m.area_m2 is None
    assert m.length_m == pytest.approx(geodesic * k, rel=1e-5)
    assert abs(m.length_m / geodesic - 1) < WORST_SCALE
    assert 3_000 < m.length_m < 4_000  # ~1.3 km + ~1.9 km: not a figure in degrees


@pytest.mark.parametrize("lon0", [104.25, 104.62])
def test_polygon_area_and_perimeter_against_the_geodesic_ones(lon0: float) -> None:
    ring = [[lon0, 22.30], [lon0 + 0.01, 22.30], [lon0 + 0.01, 22.309], [lon0, 22.309], [lon0, 22.30]]
    (m,) = measure_drawings([feature({"type": "Polygon", "coordinates": [ring]})])
    area, perimeter = GEOD.geometry_area_perimeter(shapely.Polygon(ring))
    k = scale_at(lon0 + 0.005, 22.3045)
    assert m.kind == "polygon"
    assert m.area_m2 == pytest.approx(abs(area) * k * k, rel=2e-5)
    assert m.length_m == pytest.approx(perimeter * k, rel=1e-5)
    assert abs(m.area_m2 / abs(area) - 1) < 2 * WORST_SCALE
    assert m.area_ha == pytest.approx(m.area_m2 / 10_000)
    assert 100 < m.area_ha < 110  # ~1.03 km × ~1.0 km


def test_points_unfinished_and_broken_shapes_are_left_out() -> None:
    line = feature({"type": "LineString", "coordinates": [[104.4, 22.3], [104.41, 22.3]]})
    drawn = [
        feature({"type": "Point", "coordinates": [104.4, 22.3]}),
        {"type": "Feature", "geometry": None},
        feature({"type": "Polygon", "coordinates": [[[104.4, 22.3]]]}),  # a ring of one vertex
        line,
    ]
    assert [m.kind for m in measure_drawings(drawn)] == ["line"]
    assert measure_drawings(None) == []
    assert measure_shape(shapely.Point(104.4, 22.3)) is None


def test_figures_are_written_the_vietnamese_way_with_km_and_ha() -> None:
    assert format_length(845.34, "vi") == "845,3 m"
    assert format_length(12_345.67, "vi") == "12.345,7 m (12,35 km)"
    assert format_length(12_345.67, "en") == "12,345.7 m (12.35 km)"
    assert format_area(850.5, "vi") == "850,5 m²"
    assert format_area(6_699.5, "vi") == "6.699,5 m² (0,67 ha)"
    assert format_area(1_234_567.0, "en") == "1,234,567.0 m² (123.46 ha)"

"""CRS helpers against independent values: pyproj.Geod ellipsoidal areas and distances."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod, Proj, Transformer
from pyproj.transformer import TransformerGroup

from geo.crs import (
    WORK_CRS,
    area_ha,
    check_same_crs,
    get_crs,
    length_m,
    parse_epsg,
    reproject,
    require_crs,
    to_display,
    to_work,
    transformer,
)
from geo.errors import CRSError

GEOD = Geod(ellps="WGS84")

# polygons near Bảo Yên, in lon/lat: a ~1 km square at Phố Ràng, a long thin strip, and an irregular
# 7-vertex polygon spanning several communes (~15 km)
POLYS_4326 = [
    shapely.box(104.478, 22.244, 104.48773, 22.25302),
    shapely.box(104.30, 22.20, 104.60, 22.205),
    shapely.Polygon(
        [
            (104.35, 22.15),
            (104.52, 22.12),
            (104.60, 22.22),
            (104.55, 22.33),
            (104.44, 22.36),
            (104.33, 22.30),
            (104.31, 22.22),
        ]
    ),
]


def geodesic_ha(poly: shapely.Polygon) -> float:
    area, _ = GEOD.geometry_area_perimeter(poly)
    return abs(area) / 10_000


@pytest.mark.parametrize("epsg", [4326, 9208, 3405, 32648])
@pytest.mark.parametrize("poly", POLYS_4326, ids=["square", "strip", "irregular"])
def test_area_matches_ellipsoidal_within_0_05_pct(poly: shapely.Polygon, epsg: int) -> None:
    frame = gpd.GeoDataFrame(geometry=[poly], crs="EPSG:4326").to_crs(epsg=epsg)
    measured = float(area_ha(frame).iloc[0])
    expected = geodesic_ha(poly)
    assert measured == pytest.approx(expected, rel=5e-4)


@pytest.mark.parametrize("x0", [420_000.0, 470_000.0, 500_000.0])
def test_one_km_square_in_vn2000_against_projection_scale(x0: float) -> None:
    # facts.md: a 1 km² square near Lào Cai is 1 000 000 m² in EPSG:9208 and ≈ 1 000 053 m² on the
    # ellipsoid; the exact excess depends on the distance from the central meridian, which PROJ's areal
    # scale factor at the square's centre gives independently.
    y0 = 2_460_000.0
    square = gpd.GeoSeries([shapely.box(x0, y0, x0 + 1000, y0 + 1000)], crs=WORK_CRS)
    assert float(area_ha(square).iloc[0]) == pytest.approx(100.0, abs=1e-9)
    # on VN-2000's own ellipsoid (EPSG:4756), so the datum shift's scale term does not enter
    ellipsoidal_m2 = geodesic_ha(square.to_crs(4756).iloc[0]) * 10_000
    lon, lat = transformer(9208, 4326).transform(x0 + 500, y0 + 500)
    areal_scale = Proj(get_crs(9208)).get_factors(lon, lat).areal_scale
    assert ellipsoidal_m2 == pytest.approx(1_000_000 / areal_scale, rel=2e-6)
    assert ellipsoidal_m2 == pytest.approx(1_000_053, rel=5e-4)


def test_web_mercator_is_not_used_for_area() -> None:
    # measuring in the input CRS would inflate by ~17.7 %; area_ha always measures in EPSG:9208
    frame = gpd.GeoDataFrame(geometry=[POLYS_4326[0]], crs="EPSG:4326").to_crs(3857)
    naive_ha = float(frame.area.iloc[0]) / 10_000
    # Web Mercator's areal scale ~ 1/cos²(lat) (≈ +17 % at 22°N), so the naive figure is far off
    lat = POLYS_4326[0].centroid.y
    assert naive_ha / float(area_ha(frame).iloc[0]) == pytest.approx(1 / math.cos(math.radians(lat)) ** 2, rel=1e-2)
    assert float(area_ha(frame).iloc[0]) == pytest.approx(geodesic_ha(POLYS_4326[0]), rel=5e-4)


def test_length_matches_geodesic_distance() -> None:
    line = shapely.LineString([(104.30, 22.20), (104.60, 22.30)])
    expected = GEOD.line_length(*line.xy)
    frame = gpd.GeoSeries([line], crs="EPSG:4326")
    assert float(length_m(frame).iloc[0]) == pytest.approx(expected, rel=5e-4)


POINTS = [(104.4782, 22.2446), (104.27, 22.10), (104.62, 22.44)]


@pytest.mark.parametrize("lon, lat", POINTS)
def test_point_round_trip_with_height_within_1_mm(lon: float, lat: float) -> None:
    # Carrying the ellipsoidal height (3D), PROJ's EPSG:6960 shift is exactly invertible.
    src, vn = get_crs(4979), get_crs(9208).to_3d()
    fwd = Transformer.from_crs(src, vn, always_xy=True)
    back = Transformer.from_crs(vn, src, always_xy=True)
    x, y, h = fwd.transform(lon, lat, 0.0)
    lon2, lat2, _ = back.transform(x, y, h)
    assert GEOD.inv(lon, lat, lon2, lat2)[2] < 0.001
    # and the 2D working transform gives the same easting/northing as the 3D one
    x2, y2 = transformer(4326, 9208).transform(lon, lat)
    assert abs(x2 - x) < 1e-6 and abs(y2 - y) < 1e-6


@pytest.mark.parametrize("lon, lat", POINTS)
def test_point_round_trip_2d(lon: float, lat: float) -> None:
    # 2D pipelines pin the ellipsoidal height at 0 on both datums (WGS 84 h=0 is ~31 m above VN-2000
    # h=0 here), which costs ~1.1 mm on a 2D round trip (docs/DECISIONS.md). Bound it at 1.5 mm.
    x, y = transformer(4326, 9208).transform(lon, lat)
    lon2, lat2 = transformer(9208, 4326).transform(x, y)
    assert GEOD.inv(lon, lat, lon2, lat2)[2] < 0.0015


def test_proj_uses_epsg_6960_datum_shift() -> None:
    best = TransformerGroup(4326, 9208, always_xy=True).transformers[0]
    assert "VN-2000 to WGS 84 (2)" in best.description
    assert "proj=helmert" in best.definition  # PROJ's own 7-parameter definition, not a +towgs84 string
    x1, y1 = transformer(4326, 9208).transform(104.4782, 22.2446)
    x2, y2 = best.transform(104.4782, 22.2446)
    assert (x1, y1) == pytest.approx((x2, y2), abs=1e-6)
    # the shift moves points by some tens to hundreds of metres versus a no-shift projection
    x3, y3 = Transformer.from_crs(get_crs(4756), 9208, always_xy=True).transform(104.4782, 22.2446)
    assert 50 < ((x1 - x3) ** 2 + (y1 - y3) ** 2) ** 0.5 < 1000


def test_working_crs_is_proj_definition() -> None:
    crs = get_crs(9208)
    assert crs.name == "VN-2000 / TM-3 104-45"
    params = {p.name: p.value for p in crs.coordinate_operation.params}
    assert params["Longitude of natural origin"] == pytest.approx(104.75)
    assert params["Scale factor at natural origin"] == pytest.approx(0.9999)
    assert params["False easting"] == pytest.approx(500_000)


def test_parse_epsg_and_errors() -> None:
    assert parse_epsg("EPSG:9208") == 9208
    assert parse_epsg(" epsg:3405 ") == 3405
    assert parse_epsg("4326") == 4326
    with pytest.raises(CRSError, match="not an EPSG code"):
        parse_epsg("VN2000")
    with pytest.raises(CRSError, match="PROJ knows"):
        parse_epsg("EPSG:999999")


def test_missing_crs_is_refused_with_the_fix() -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])
    with pytest.raises(CRSError, match="EPSG:9208"):
        require_crs(frame, "lots.shp")
    with pytest.raises(CRSError):
        area_ha(frame)


def test_to_work_and_display_reproject_only_when_needed() -> None:
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(104.4782, 22.2446)], crs="EPSG:4326")
    work = to_work(frame)
    assert work.crs.to_epsg() == 9208
    assert to_work(work) is work
    assert to_display(work).geometry.iloc[0].distance(frame.geometry.iloc[0]) < 2e-8  # ~2 mm, see round trip


def test_check_same_crs() -> None:
    a = gpd.GeoSeries([shapely.Point(0, 0)], crs="EPSG:4326")
    check_same_crs(a, a)
    with pytest.raises(CRSError, match="different CRSs"):
        check_same_crs(a, a.to_crs(9208))


@pytest.mark.parametrize("threaded_from", [0, 10**12])  # in two threads / by geopandas' to_crs
def test_reproject_gives_to_crs_coordinates(threaded_from: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    import geo.crs as crs

    monkeypatch.setattr(crs, "_THREADED_COORDINATES", threaded_from)
    rng = np.random.default_rng(9)
    x, y = rng.uniform(440_000, 480_000, 300), rng.uniform(2_440_000, 2_480_000, 300)
    geoms = list(shapely.buffer(shapely.points(x, y), 25.0, quad_segs=4))
    geoms[3] = None
    geoms[4] = shapely.Polygon()
    geoms[5] = shapely.Point(x[5], y[5], 120.0)  # with z: kept
    geoms[6] = shapely.MultiPolygon([geoms[7], geoms[8]])
    frame = gpd.GeoDataFrame(
        {"id": range(300), "name": ["Bảo Yên"] * 300}, geometry=geoms, crs=WORK_CRS, index=[1, 1, *range(2, 300)]
    )
    before = frame.copy()
    for target in ("EPSG:4326", "EPSG:3857"):
        got, want = reproject(frame, target), frame.to_crs(target)
        assert got.crs == want.crs and list(got.columns) == list(want.columns)
        assert got.index.equals(want.index) and got["name"].tolist() == want["name"].tolist()
        for g, w in zip(got.geometry.array, want.geometry.array, strict=True):
            assert (g is None and w is None) or (
                g is not None and w is not None and shapely.equals_exact(g, w, 0.0) and g.has_z == w.has_z
            )
    assert frame.geometry.equals(before.geometry) and frame.crs == before.crs  # the input is not modified

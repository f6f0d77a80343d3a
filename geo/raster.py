"""Elevation rasters a planner gives us: read safely, put on an EPSG:9208 grid, written back as GeoTIFF.

Knows nothing about the plan. A DEM is read with rasterio (GeoTIFF, ASCII grid, and anything GDAL reads), its
no-data cells become NaN, and it is warped to EPSG:9208 (VN-2000 / TM-3 104°45′) with bilinear resampling at
about its own resolution; a DEM already in EPSG:9208 keeps its grid exactly. Hostile or broken rasters (a
declared size beyond the limit, an undeclared or wrong no-data value, truncation, a file that is no raster) give
one clear error; a DEM without a CRS raises :class:`geo.errors.CRSError` with code ``crs.missing`` and a guess,
as vector files do.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from affine import Affine
from pyproj import CRS

from geo.crs import WORK_EPSG, crs_label
from geo.errors import CRSError, DataSourceError, InputDataError, UnsafeInputError
from geo.safety import CodedNote
from geo.validate import guess_crs

#: most cells a DEM may declare (5 000 × 5 000 × 8: a 10 m DEM of 2 500 km²); beyond it the file is refused
MAX_CELLS = 200_000_000
#: elevations outside this range (metres) cannot be on Earth's land surface: read as no data, with a warning
ELEVATION_RANGE_M = (-500.0, 9_000.0)
#: the extent of Vietnam in degrees, with a margin (lon min, lat min, lon max, lat max)
VIETNAM_LONLAT = (101.5, 7.5, 110.5, 24.0)


def grid_bounds(transform: Affine, shape: tuple[int, int]) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of a grid of ``shape`` (rows, columns) under ``transform``."""
    rows, cols = shape
    xs = [transform.c + transform.a * c + transform.b * r for c, r in ((0, 0), (cols, 0), (0, rows), (cols, rows))]
    ys = [transform.f + transform.d * c + transform.e * r for c, r in ((0, 0), (cols, 0), (0, rows), (cols, rows))]
    return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class Raster:
    """A single-band grid: values (float64, NaN where there is no data), its affine transform and CRS."""

    data: np.ndarray
    transform: Affine
    crs: CRS
    source: str = ""

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (int(self.data.shape[0]), int(self.data.shape[1]))

    @property
    def res(self) -> tuple[float, float]:
        """Cell width and height in CRS units (both positive)."""
        return (abs(float(self.transform.a)), abs(float(self.transform.e)))

    @property
    def cell_area_m2(self) -> float:
        """Area of one cell (square CRS units: m² in EPSG:9208)."""
        return self.res[0] * self.res[1]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(minx, miny, maxx, maxy)."""
        return grid_bounds(self.transform, self.shape)

    def with_data(self, data: np.ndarray, source: str | None = None) -> Raster:
        """The same grid with other values (a slope, a mask)."""
        if data.shape != self.data.shape:
            raise ValueError(f"grid shape {data.shape} differs from {self.data.shape}")
        return Raster(data, self.transform, self.crs, self.source if source is None else source)


@dataclass
class RasterReport:
    """What reading a raster found."""

    path: str
    driver: str = ""
    crs: str | None = None
    crs_source: str = ""  # "file" | "given"
    width: int = 0
    height: int = 0
    res: tuple[float, float] = (0.0, 0.0)
    nodata: float | None = None
    warped: bool = False
    valid_cells: int = 0
    elev_min: float | None = None
    elev_max: float | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {
            "path": self.path,
            "driver": self.driver,
            "crs": self.crs,
            "crs_source": self.crs_source,
            "width": self.width,
            "height": self.height,
            "res_m": list(self.res),
            "nodata": self.nodata,
            "warped": self.warped,
            "valid_cells": self.valid_cells,
            "elev_min": self.elev_min,
            "elev_max": self.elev_max,
            "warnings": list(self.warnings),
        }


def _open_error(label: str, exc: Exception) -> DataSourceError:
    return DataSourceError(
        f"{label} is not a raster that can be read ({exc}); give a GeoTIFF or an ASCII grid (.asc)",
        code="raster.unreadable",
        source=label,
        detail=str(exc),
    )


def read_dem(
    path: str | Path,
    *,
    crs: str | int | None = None,
    max_cells: int = MAX_CELLS,
    label: str | None = None,
) -> tuple[Raster, RasterReport]:
    """Read a DEM and return it on an EPSG:9208 grid, with a report of what was found.

    Parameters
    ----------
    path
        A GeoTIFF, an ASCII grid or any single-band raster GDAL reads.
    crs
        The CRS to assume when the file declares none (a declared CRS is kept).
    max_cells
        Most cells the file may declare (checked before anything is read).
    label
        Name of the file in messages.

    Raises
    ------
    DataSourceError
        The file is not a readable raster, or is truncated.
    UnsafeInputError
        It declares more cells than ``max_cells``.
    CRSError
        It declares no CRS and none is assumed (code ``crs.missing``, with the guess), or it lies outside Vietnam.
    InputDataError
        It holds no elevation at all.
    """
    import rasterio
    from rasterio.errors import RasterioError

    p = Path(path)
    name = label or p.name
    report = RasterReport(path=str(p))
    if not p.is_file():
        raise DataSourceError(f"{name} does not exist or is not a file", code="raster.missing", source=name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            src = rasterio.open(p)
        except (RasterioError, OSError, ValueError) as exc:
            raise _open_error(name, exc) from None
        with src:
            report.driver, report.width, report.height = src.driver, src.width, src.height
            if src.width * src.height > max_cells:
                raise UnsafeInputError(
                    f"{name} declares {src.width} × {src.height} cells, more than the limit of {max_cells}; "
                    "clip or resample the DEM to the area you need",
                    code="raster.too_large",
                    source=name,
                    width=src.width,
                    height=src.height,
                    limit=max_cells,
                )
            if src.count < 1:
                raise _open_error(name, ValueError("no band"))
            try:
                masked = src.read(1, masked=True)
            except (RasterioError, OSError, ValueError) as exc:
                raise DataSourceError(
                    f"{name} could not be read to the end ({exc}); the file is probably truncated",
                    code="raster.truncated",
                    source=name,
                    detail=str(exc),
                ) from None
            transform, file_crs, nodata = src.transform, src.crs, src.nodata
    for w in caught:
        detail = " ".join(str(w.message).split())
        report.warnings.append(
            CodedNote(f"{name}: {detail}", code="raster.library_warning", source=name, detail=detail)
        )
    data = np.ma.filled(masked.astype("float64"), np.nan)
    report.nodata = None if nodata is None or not math.isfinite(float(nodata)) else float(nodata)
    data = _mask_implausible(data, name, report)
    if transform.is_identity:
        raise CRSError(
            f"{name} has no georeferencing (no cell size or origin); give a georeferenced DEM",
            code="raster.not_georeferenced",
            source=name,
        )
    source_crs = _source_crs(file_crs, crs, name, transform, data.shape, report)
    raster = Raster(data, transform, source_crs, name)
    work = CRS.from_epsg(WORK_EPSG)
    if not source_crs.equals(work):
        raster = warp_to(raster, work)
        report.warped = True
    _check_in_vietnam(raster, name)
    valid = np.isfinite(raster.data)
    report.valid_cells = int(valid.sum())
    if not report.valid_cells:
        raise InputDataError(f"{name} holds no elevation values", code="raster.empty", source=name)
    report.elev_min = float(np.nanmin(raster.data))
    report.elev_max = float(np.nanmax(raster.data))
    report.res = raster.res
    report.crs = crs_label(raster.crs)
    return raster, report


def _mask_implausible(data: np.ndarray, name: str, report: RasterReport) -> np.ndarray:
    lo, hi = ELEVATION_RANGE_M
    bad = np.isfinite(data) & ((data < lo) | (data > hi))
    if bad.any():
        values = np.unique(data[bad])
        shown = ", ".join(f"{v:g}" for v in values[:3]) + (" …" if len(values) > 3 else "")
        report.warnings.append(
            CodedNote(
                f"{name}: {int(bad.sum())} cells hold {shown}, which is no elevation on land; they are read as no "
                "data (the file's no-data value is probably missing or wrong)",
                code="raster.implausible",
                source=name,
                count=int(bad.sum()),
                values=[float(v) for v in values[:3]],
                more=len(values) > 3,
            )
        )
        data = np.where(bad, np.nan, data)
    return data


def _source_crs(
    file_crs: object,
    assume: str | int | None,
    name: str,
    transform: Affine,
    shape: tuple[int, int],
    report: RasterReport,
) -> CRS:
    if file_crs is not None:
        report.crs_source = "file"
        return CRS.from_user_input(file_crs)
    if assume is not None:
        report.crs_source = "given"
        return CRS.from_user_input(assume)
    bounds = grid_bounds(transform, shape)
    guess, reason = guess_crs(bounds)
    raise CRSError(
        f"{name} does not say its CRS; choose its CRS (VN-2000 / TM-3 104°45′ is EPSG:9208)",
        code="crs.missing",
        source=name,
        guess=guess,
        reason=reason,
        bounds=list(bounds),
    )


def warp_to(raster: Raster, crs: CRS) -> Raster:
    """The raster on a grid of ``crs`` at about its own resolution (bilinear; NaN stays no data)."""
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    rows, cols = raster.shape
    transform, width, height = calculate_default_transform(
        raster.crs, crs, cols, rows, *raster.bounds, dst_width=None, dst_height=None
    )
    out = np.full((int(height), int(width)), np.nan, dtype="float64")
    reproject(
        source=raster.data,
        destination=out,
        src_transform=raster.transform,
        src_crs=raster.crs,
        src_nodata=np.nan,
        dst_transform=transform,
        dst_crs=crs,
        dst_nodata=np.nan,
        resampling=Resampling.bilinear,
    )
    return Raster(out, transform, crs, raster.source)


def _check_in_vietnam(raster: Raster, name: str) -> None:
    from pyproj import Transformer

    minx, miny, maxx, maxy = raster.bounds
    to_lonlat = Transformer.from_crs(raster.crs, 4326, always_xy=True)
    lon, lat = to_lonlat.transform((minx + maxx) / 2, (miny + maxy) / 2)
    lo_lon, lo_lat, hi_lon, hi_lat = VIETNAM_LONLAT
    if not (math.isfinite(lon) and math.isfinite(lat) and lo_lon <= lon <= hi_lon and lo_lat <= lat <= hi_lat):
        raise CRSError(
            f"{name} lies outside Vietnam in {crs_label(raster.crs)} (centre at lon {lon:.3f}, lat {lat:.3f}); "
            "check its CRS",
            code="raster.outside_vietnam",
            source=name,
            crs=crs_label(raster.crs),
        )


def write_geotiff(raster: Raster, path: str | Path, *, cog: bool = True) -> Path:
    """Write the raster as a (Cloud-Optimised) GeoTIFF, float32, deflate-compressed, NaN as no data.

    Written to a temporary file beside ``path`` and renamed into place, so a reader never sees half a file.
    """
    import rasterio
    from rasterio.io import MemoryFile
    from rasterio.shutil import copy as rio_copy

    out = Path(path)
    tmp = out.with_name(f".{out.name}.part")
    rows, cols = raster.shape
    profile = {
        "driver": "GTiff",
        "width": cols,
        "height": rows,
        "count": 1,
        "dtype": "float32",
        "crs": raster.crs,
        "transform": raster.transform,
        "nodata": float("nan"),
    }
    try:
        if cog:
            with MemoryFile() as mem, mem.open(**profile) as dst:
                dst.write(raster.data.astype("float32"), 1)
                rio_copy(dst, tmp, driver="COG", compress="DEFLATE", predictor="3")
        else:
            with rasterio.open(tmp, "w", **profile, compress="deflate") as dst:
                dst.write(raster.data.astype("float32"), 1)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def open_memory(raster: Raster, *more: Raster):  # type: ignore[no-untyped-def]
    """A rasterio dataset in memory holding the raster (and ``more`` of the same grid as further bands).

    For exactextract and other rasterio readers; use as a context manager: ``with open_memory(r) as ds: ...``.
    """
    from contextlib import contextmanager

    from rasterio.io import MemoryFile

    bands = [raster, *more]
    if any(b.shape != raster.shape or b.transform != raster.transform for b in more):
        raise ValueError("the bands of one dataset must share the grid")

    @contextmanager
    def _cm():  # type: ignore[no-untyped-def]
        rows, cols = raster.shape
        with MemoryFile() as mem:
            with mem.open(
                driver="GTiff",
                width=cols,
                height=rows,
                count=len(bands),
                dtype="float64",
                crs=raster.crs,
                transform=raster.transform,
                nodata=float("nan"),
            ) as dst:
                dst.write(np.stack([b.data for b in bands]))
            with mem.open() as ds:
                yield ds

    return _cm()

"""The 2025 communes as seen from the plan's 17 legacy units.

Since 1 July 2025 the district tier is gone and Bảo Yên's 17 units were merged into 6 communes (some of
which also took in land outside the old district). The legacy layer carries each unit's successor code
(``successor_code``, from the vietnamadminunits conversion); this module rebuilds the 2025 polygons as the
union of their legacy parts — so they cover only the part inside the former district, and say so.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from geo.crs import WORK_CRS

_QUALITY_RANK = {"surveyed": 0, "digitised": 1, "approximate": 2, "schematic": 3, "unlocated": 4}
INSIDE_NOTE = "Chỉ phần nằm trong huyện Bảo Yên cũ / only the part inside the former Bảo Yên district"


def rebuild_2025(legacy: gpd.GeoDataFrame, current_2025: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``current_2025`` with each commune's geometry = union of its legacy units' geometries.

    The quality of a 2025 polygon is at best "approximate" (it is a union of parts and misses the land the
    new commune took in from outside the old district), and never better than its worst part.
    """
    legacy = legacy.to_crs(WORK_CRS)
    out = current_2025.to_crs(WORK_CRS).copy()
    for i, code in out["ma_xa"].astype(str).items():
        parts = legacy[legacy["successor_code"].astype(str) == code]
        if parts.empty:
            continue
        out.at[i, "geometry"] = shapely.union_all(parts.geometry.values)
        worst = max(parts["geom_quality"].astype(str), key=lambda q: _QUALITY_RANK.get(q, 4))
        out.at[i, "geom_quality"] = worst if _QUALITY_RANK.get(worst, 4) >= 2 else "approximate"
        if "location_note" in out.columns:
            out.at[i, "location_note"] = INSIDE_NOTE
        out.at[i, "source"] = "; ".join(dict.fromkeys(str(s) for s in parts["source"]))
    return out

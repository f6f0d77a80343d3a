"""The 2025 communes as seen from the plan's 17 legacy units.

Since 1 July 2025 the district tier is gone and Bảo Yên's 17 units were merged into 6 communes. By the
vietnamadminunits conversion only one of them, Bảo Hà (02989), also took in units from outside the old
district (Tân Thượng and Tân An of old Văn Bàn); the 2025 layer names them in ``outside_units``. The legacy
layer carries each unit's successor code (``successor_code``, from the same conversion); this module rebuilds
the 2025 polygons as the union of their legacy parts — so a commune with outside units is covered only in
the part inside the former district, and says so.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import WORK_CRS

_QUALITY_RANK = {"surveyed": 0, "digitised": 1, "approximate": 2, "schematic": 3, "unlocated": 4}
#: location notes of the rebuilt 2025 communes, in Vietnamese only like all the project's data text
#: (docs/DECISIONS.md); note of a commune when the frame does not say whether it took in outside units
INSIDE_NOTE = "Chỉ phần nằm trong huyện Bảo Yên cũ"
#: note of a commune that also took in units from outside the old district (``{units}``: their codes and names)
OUTSIDE_NOTE = "Chỉ phần nằm trong huyện Bảo Yên cũ, thiếu {units}"
#: note of a commune made, by the vietnamadminunits conversion, of legacy Bảo Yên units only
WHOLE_NOTE = "Hợp các xã, thị trấn cũ của huyện Bảo Yên đã sáp nhập thành xã này (bảng chuyển đổi vietnamadminunits)"


def _outside_units(row: pd.Series) -> str | None:
    """The units from outside the old district merged into the commune; None when the frame does not say."""
    if "outside_units" not in row.index:
        return None
    value = row["outside_units"]
    return "" if value is None or pd.isna(value) else str(value).strip()


def rebuild_2025(legacy: gpd.GeoDataFrame, current_2025: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``current_2025`` with each commune's geometry = union of its legacy units' geometries.

    The quality of a 2025 polygon is at best "approximate" (it is a union of parts; for a commune with
    ``outside_units`` it misses the land taken in from outside the old district), and never better than its
    worst part. The location note says which: only the part inside the old district (when the commune has
    outside units, or when the frame does not say), or the union of the units it was made of.
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
            outside = _outside_units(out.loc[i])
            if outside:
                out.at[i, "location_note"] = OUTSIDE_NOTE.format(units=outside)
            else:
                out.at[i, "location_note"] = INSIDE_NOTE if outside is None else WHOLE_NOTE
        out.at[i, "source"] = "; ".join(dict.fromkeys(str(s) for s in parts["source"]))
    return out

"""A sample dataset that shows the whole job on a first run: clearly synthetic, in a store of its own.

The real cluster's area and lots are not public, so on a fresh store the cluster page, the material-zone
comparison and the targets are honestly empty. ``build_sample`` writes a separate sample store (never the
planner's): the plan's own layers, plus one synthetic cluster (``ccn_mau``) with its boundary, zoning and lots with
lease dates, mapped plantations around the MDF plant, and a few recorded actuals and disbursements. Every feature
has the quality ``sample`` and says where it comes from; the store's metadata marks it as a sample, and pages and
reports made from it say "Dữ liệu mẫu — không phải số liệu thật". Generated in code with a fixed seed: the same
store every time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import WORK_CRS
from geo.errors import InputDataError, PlanError
from layers.build import build_store
from layers.settings import Settings, is_store_url
from layers.store import LayerWrite, Store, open_store
from services.context import SYSTEM

SAMPLE_META = "sample"
SAMPLE_QUALITY = "sample"
#: written in Vietnamese only, as a planner's source is: an English page shows data as it is, and says "sample"
#: through the quality label and the banner
SAMPLE_SOURCE = "dữ liệu mẫu tạo bằng mã (services/sample.py), không phải số liệu thật"
SAMPLE_CLUSTER = "ccn_mau"
BANNER = ("Dữ liệu mẫu — không phải số liệu thật", "Sample data — not real figures")
#: south-west corner of the sample cluster, EPSG:9208 (near Phố Ràng, on open ground of the schematic map)
X0, Y0 = 473_600.0, 2_459_200.0
SEED = 2021


def sample_path(settings: Settings) -> Path:
    """Where the sample store goes by default: beside the planner's store, never in its place."""
    real = settings.store_path
    folder = Path(real).parent if isinstance(real, Path) else Path.home() / ".local" / "share" / "baoyen"
    return folder / "baoyen-sample.gpkg"


def is_sample(store: Store) -> bool:
    """True when the store is a sample store."""
    return store.get_meta(SAMPLE_META) == "1"


def _common(n: int) -> dict[str, list[Any]]:
    return {"source": [SAMPLE_SOURCE] * n, "geom_quality": [SAMPLE_QUALITY] * n}


def _cluster(store: Store) -> gpd.GeoDataFrame:
    clusters = store.read_layer("clusters", crs=WORK_CRS)
    row: dict[str, Any] = {c: None for c in clusters.columns if c != clusters.geometry.name}
    row.update(
        id=SAMPLE_CLUSTER,
        name="CCN MẪU (dữ liệu mẫu, không có thật)",
        kind="ccn",
        status="operating",
        occupancy_target_pct=50.0,
        source=SAMPLE_SOURCE,
        geom_quality=SAMPLE_QUALITY,
    )
    extra = gpd.GeoDataFrame([row], geometry=[shapely.Point(X0 + 300, Y0 + 200)], crs=WORK_CRS)
    return gpd.GeoDataFrame(pd.concat([clusters, extra], ignore_index=True), crs=WORK_CRS)


def _boundary_zoning_lots() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    rng = np.random.default_rng(SEED)
    w, h = 600.0, 400.0  # 24 ha
    boundary = gpd.GeoDataFrame(
        {"id": ["ccn_mau_b1"], "cluster_id": [SAMPLE_CLUSTER], "name": ["CCN MẪU"], **_common(1)},
        geometry=[shapely.box(X0, Y0, X0 + w, Y0 + h)],
        crs=WORK_CRS,
    )
    road = shapely.box(X0, Y0 + 190, X0 + w, Y0 + 210)
    green = shapely.box(X0, Y0, X0 + w, Y0 + 20)
    industrial = shapely.box(X0, Y0 + 20, X0 + w, Y0 + h).difference(road)
    zoning = gpd.GeoDataFrame(
        {"id": ["z_ind", "z_road", "z_green"], "cluster_id": [SAMPLE_CLUSTER] * 3,
         "name": ["Đất công nghiệp", "Đất giao thông", "Đất cây xanh"],
         "use": ["industrial", "road", "green"], **_common(3)},
        geometry=[industrial, road, green],
        crs=WORK_CRS,
    )  # fmt: skip
    lots, rows = [], []
    statuses = ["operating", "operating", "building", "allocated", "vacant", "vacant"]
    n = 0
    for band, (y_lo, y_hi) in enumerate(((Y0 + 20, Y0 + 190), (Y0 + 210, Y0 + h))):
        for i in range(6):
            n += 1
            status = statuses[(i + band * 3) % len(statuses)]
            leased = (
                None if status == "vacant" else dt.date(2021, 1, 1) + dt.timedelta(days=int(rng.integers(0, 5 * 365)))
            )
            lots.append(shapely.box(X0 + i * 100, y_lo, X0 + (i + 1) * 100, y_hi))
            rows.append(
                {
                    "id": f"ccn_mau.lot{n}",
                    "name": f"Lô L{n}",
                    "cluster_id": SAMPLE_CLUSTER,
                    "lot_no": f"L{n}",
                    "status": status,
                    "tenant": None if status == "vacant" else f"Doanh nghiệp mẫu {n}",
                    "leased_on": leased,
                    **{k: v[0] for k, v in _common(1).items()},
                }
            )
    lot_frame = gpd.GeoDataFrame(pd.DataFrame(rows), geometry=lots, crs=WORK_CRS)
    return boundary, zoning, lot_frame


def _stands(store: Store) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(SEED + 1)
    plant = store.read_layer("processing_plants", crs=WORK_CRS).set_index("id").loc["proc_mdf_bao_yen", "geometry"]
    species = ["keo", "bo_de", "que", "keo", "bo_de", "tre_vau"]
    geoms, rows = [], []
    for k in range(30):
        angle, dist = rng.uniform(0, 2 * np.pi), rng.uniform(1_500, 18_000)
        cx, cy = plant.x + dist * np.cos(angle), plant.y + dist * np.sin(angle)
        side = rng.uniform(150, 450)
        geoms.append(shapely.box(cx, cy, cx + side, cy + side * rng.uniform(0.6, 1.4)))
        rows.append({"id": f"stand_{k + 1}", "name": f"Lô rừng mẫu {k + 1}", "species": species[k % len(species)]})
    frame = pd.DataFrame(rows).assign(**_common(len(rows)))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=WORK_CRS)


@dataclass(frozen=True)
class SampleStore:
    """The sample store made, and what it holds."""

    path: Path
    lots: int
    stands: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"path": str(self.path), "lots": self.lots, "stands": self.stands, "banner": BANNER[0]}


def build_sample(path: Path, settings: Settings) -> SampleStore:
    """Make the sample store at ``path`` anew (never the planner's store), deterministic.

    Written by the project itself (``system``): it changes no planner's store, so it needs no sign-in. The
    planner's store's accounts and grants are copied in, so the same people may edit the sample as the real one.
    """
    actor = SYSTEM
    if path.exists() and not is_sample(open_store(path)):  # only ever replaces an earlier sample store
        raise InputDataError(
            f"{path} holds a store that is not a sample store; the sample never replaces a planner's store: "
            "choose another path",
            code="sample.onto_store",
            path=str(path),
        )
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    build_store(path, settings.data_dir, user=actor.user)
    store = open_store(path)
    boundary, zoning, lots = _boundary_zoning_lots()
    stands = _stands(store)
    message = "dữ liệu mẫu"
    store.write_layers(
        [
            LayerWrite("clusters", _cluster(store), message=message, origin="sample"),
            LayerWrite("cluster_boundaries", boundary, message=message, origin="sample"),
            LayerWrite("cluster_zoning", zoning, message=message, origin="sample"),
            LayerWrite("cluster_lots", lots, message=message, origin="sample"),
            LayerWrite("material_zones_mapped", stands, message=message, origin="sample"),
        ],
        user=actor.user,
    )
    from services.targets import record_actual, record_disbursement

    today = dt.date(2026, 1, 15)
    for target, period, value in (("1", "2025", "482"), ("training", "2021-2025", "1860"), ("2", "2025", "65")):
        try:
            record_actual(store, actor=actor, target_id=target, period=period, value=value,
                          source=SAMPLE_SOURCE, today=today)  # fmt: skip
        except PlanError:  # a measure derived from the layers takes no recorded value: left out, not faked
            continue
    costs = store.read_table("project_costs")
    for line_id, amount in zip(costs["id"].astype(str).head(2), ("12,5", "4,8"), strict=False):
        record_disbursement(store, actor=actor, line_id=line_id, period="2025", amount_bn_vnd=amount,
                            source=SAMPLE_SOURCE, today=today)  # fmt: skip
    store.set_meta(SAMPLE_META, "1", user=actor.user)
    real = settings.store_path
    if (is_store_url(real) or Path(real).exists()) and str(real) != str(path):
        store.accounts().copy_from(open_store(real).accounts())
    return SampleStore(path, len(lots), len(stands))

"""Everything the targets, funding and reports need, read from the store in one place.

The CLI, the Streamlit page and the report builder call :func:`gather` and :func:`evaluate` so that they
all show the same figures: the target tables, the recorded actuals, the layers the derived measures need
(and which of them still hold only the plan's authored features), the occupancy of CCN Phố Ràng, and the
funding tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from analysis.targets import Names, Target, TargetResult, evaluate_targets, targets_from_frames
from geo.errors import InputDataError
from geo.numbers import format_pct
from layers.catalogue import CATALOGUE, LOT_STATUS_LABELS, STATUS_LABELS
from layers.model import GEOM_QUALITY_LABELS
from layers.plan_data import empty_actuals, empty_disbursements
from layers.store import Store

#: Origin of a layer version built from the project's data/ (layers.build): the plan, not a result.
AUTHORED_ORIGIN = "authored"
#: The cluster whose occupancy target (7) measures, as the clusters layer names it.
OCCUPANCY_CLUSTER_ID = "ccn_pho_rang"


@dataclass
class PlanInputs:
    """The tables and layers behind the targets page, the CLI and the reports."""

    targets: tuple[Target, ...]
    actuals: pd.DataFrame
    layers: dict[str, gpd.GeoDataFrame]
    plan_only: frozenset[str]
    funding_lines: pd.DataFrame
    project_costs: pd.DataFrame
    disbursements: pd.DataFrame
    occupancy_pct: float | None = None
    #: notes on how inputs were obtained, each (Vietnamese, English)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def note_texts(self, lang: str = "vi") -> list[str]:
        """The notes in ``lang``."""
        return [en if lang == "en" else vi for vi, en in self.notes]


def _table(store: Store, name: str, empty: pd.DataFrame | None = None) -> pd.DataFrame:
    if name in store.table_names():
        return store.read_table(name)
    if empty is not None:
        return empty
    raise InputDataError(
        f"the store has no table '{name}'; update the project store from the project data to build it",
        code="store.table_missing",
        table=name,
    )


def occupancy_of(
    layers: dict[str, gpd.GeoDataFrame], *, as_of: dt.date, cluster_name: str
) -> tuple[float | None, tuple[str, str]]:
    """Occupancy (%) of the cluster from the store's boundary, lots and zoning, or None; and a note (vi, en)."""
    from analysis.occupancy import lots_of_cluster, occupancy

    boundaries = layers.get("cluster_boundaries")
    if boundaries is None or boundaries.empty:
        return None, (
            "Tỷ lệ lấp đầy CCN: lớp cluster_boundaries chưa có ranh giới cụm.",
            "Cluster occupancy: layer cluster_boundaries holds no boundary.",
        )
    from analysis.clusters import choose_from

    clusters = layers.get("clusters")
    try:
        cluster = choose_from(
            boundaries,
            clusters if clusters is not None else boundaries.iloc[0:0],
            OCCUPANCY_CLUSTER_ID,
            require_boundary=False,
        ).boundary
    except InputDataError:
        cluster = boundaries.iloc[0:0]
    if cluster.empty:
        return None, (
            f"Tỷ lệ lấp đầy CCN: lớp cluster_boundaries chưa có ranh giới CCN {cluster_name}.",
            f"Cluster occupancy: layer cluster_boundaries holds no boundary of CCN {cluster_name}.",
        )
    lots = layers.get("cluster_lots")
    if lots is None or lots.empty:
        return None, (
            "Tỷ lệ lấp đầy CCN: lớp cluster_lots chưa có lô đất nào.",
            "Cluster occupancy: layer cluster_lots holds no lots.",
        )
    lots = lots_of_cluster(lots, cluster)
    if lots.empty:
        return None, (
            f"Tỷ lệ lấp đầy CCN: lớp cluster_lots chưa có lô đất của CCN {cluster_name}.",
            f"Cluster occupancy: layer cluster_lots holds no lots of CCN {cluster_name}.",
        )
    zoning = layers.get("cluster_zoning")
    zoning = lots_of_cluster(zoning, cluster) if zoning is not None and not zoning.empty else None
    try:
        result = occupancy(cluster, lots, zoning=zoning if zoning is not None and len(zoning) else None, as_of=as_of)
    except InputDataError as exc:  # the planner's data cannot be measured: say why, show no value
        return None, (f"Chưa tính được tỷ lệ lấp đầy CCN: {exc}", f"Cluster occupancy not computed: {exc}")
    pct = float(result.occupancy_pct)
    return pct, (
        f"Tỷ lệ lấp đầy CCN {cluster_name}: {format_pct(pct, 'vi')} "
        f"(cơ sở tính: {'đất cho thuê' if result.basis == 'leasable' else 'tổng diện tích cụm'}).",
        f"CCN {cluster_name} occupancy: {format_pct(pct, 'en')} ({result.basis} basis).",
    )


def gather(store: Store, *, as_of: dt.date) -> PlanInputs:
    """Read the target and funding tables, the actuals and the layers the derived measures use."""
    targets = targets_from_frames(_table(store, "targets"), _table(store, "target_measures"))
    wanted = {m.derive_layer for t in targets for m in t.measures if m.derive_layer}
    wanted |= {"clusters", "cluster_boundaries", "cluster_lots", "cluster_zoning"}
    held = {info.layer_id: info for info in store.layer_info()}
    layers = {lid: store.read_layer(lid) for lid in sorted(wanted) if lid in held}
    plan_only = frozenset(lid for lid, info in held.items() if info.origin == AUTHORED_ORIGIN and info.features > 0)
    inputs = PlanInputs(
        targets=targets,
        actuals=_table(store, "target_actuals", empty_actuals()),
        layers=layers,
        plan_only=plan_only,
        funding_lines=_table(store, "funding_lines"),
        project_costs=_table(store, "project_costs"),
        disbursements=_table(store, "disbursements", empty_disbursements()),
    )
    cluster = next((m.derive_cluster for t in targets for m in t.measures if m.derive_kind == "occupancy"), None)
    if cluster:
        inputs.occupancy_pct, note = occupancy_of(layers, as_of=as_of, cluster_name=cluster)
        inputs.notes.append(note)
    return inputs


#: how the targets' wording names the catalogue's layers, feature statuses and geometry qualities
NAMES = Names(
    layers={layer.id: (layer.title_vi, layer.title_en) for layer in CATALOGUE},
    statuses={**STATUS_LABELS, **LOT_STATUS_LABELS},
    qualities=GEOM_QUALITY_LABELS,
)


def evaluate(inputs: PlanInputs, *, as_of: dt.date) -> tuple[TargetResult, ...]:
    """The status of every target on ``as_of`` from the gathered inputs."""
    return evaluate_targets(
        inputs.targets,
        actuals=inputs.actuals,
        layers=inputs.layers,
        as_of=as_of,
        plan_only=inputs.plan_only,
        occupancy_pct=inputs.occupancy_pct,
        names=NAMES,
    )

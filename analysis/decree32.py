"""The Decree 32/2024/NĐ-CP gate for new and expanded industrial clusters, as an analysis.

Decree 32/2024 (facts.md): a new cluster may be established only where the clusters already established in the
area average more than 50 % occupancy, or hold no more than 100 ha of unleased industrial land; expanding a
cluster needs at least 60 % occupancy (and completed shared infrastructure, which the data cannot tell) and at most
75 ha after the expansion. Occupancy is each cluster's own measure (:func:`analysis.occupancy.occupancy`, on its
own basis). A cluster without a boundary or lots has no occupancy ("no data"), never 0 %; a verdict that depends
on it is None (cannot be decided), never a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.occupancy import (
    EXPANSION_MAX_HA,
    EXPANSION_MIN_PCT,
    NEW_CLUSTER_MIN_PCT,
    NEW_CLUSTER_UNLEASED_MAX_HA,
    OccupancyResult,
)
from geo.numbers import format_area_ha, format_pct

#: why a cluster has no occupancy yet, by key: (Vietnamese, English)
NO_DATA = {
    "no_boundary": ("chưa có ranh giới cụm", "no boundary yet"),
    "no_lots": ("chưa có lô đất", "no lots yet"),
}


@dataclass(frozen=True)
class ClusterStatus:
    """One established cluster as the gate counts it; ``result`` is None when it has no data yet."""

    cluster_id: str
    name: str
    result: OccupancyResult | None
    note: str = ""

    @property
    def occupancy_pct(self) -> float | None:
        """Its occupancy, or None without data."""
        return None if self.result is None else float(self.result.occupancy_pct)

    @property
    def unleased_ha(self) -> float | None:
        """Leasable land not leased yet (ha), or None without data."""
        if self.result is None:
            return None
        return max(float(self.result.leasable_ha) - float(self.result.occupied_ha), 0.0)

    def note_text(self, lang: str = "vi") -> str:
        """Why the cluster has no data, in ``lang`` ("" when it has)."""
        pair = NO_DATA.get(self.note)
        return "" if pair is None else pair[1] if lang == "en" else pair[0]

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """JSON-ready."""
        r = self.result
        return {
            "cluster_id": self.cluster_id,
            "name": self.name,
            "occupancy_pct": None if r is None else round(float(r.occupancy_pct), 3),
            "basis": None if r is None else r.basis,
            "cluster_ha": None if r is None else round(float(r.cluster_ha), 4),
            "leasable_ha": None if r is None else round(float(r.leasable_ha), 4),
            "unleased_ha": None if self.unleased_ha is None else round(self.unleased_ha, 4),
            "no_data": self.note or None,
            "note": self.note_text(lang),
        }


@dataclass(frozen=True)
class GateResult:
    """The gate's figures and verdicts (True, False, or None when data is missing)."""

    area: str
    clusters: tuple[ClusterStatus, ...]
    average_pct: float | None
    unleased_ha: float | None
    new_cluster_allowed: bool | None
    expansion: dict[str, Any] | None = None
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def expansion_allowed(self) -> bool | None:
        """The expansion verdict, None when none was asked or the data is missing."""
        return None if self.expansion is None else self.expansion["allowed"]

    def reason_texts(self, lang: str = "vi") -> list[str]:
        """Why, in ``lang``."""
        return [en if lang == "en" else vi for vi, en in self.reasons]

    def to_dict(self, lang: str = "vi") -> dict[str, Any]:
        """The decree32 JSON."""
        return {
            "area": self.area,
            "clusters": [c.to_dict(lang) for c in self.clusters],
            "average_pct": None if self.average_pct is None else round(self.average_pct, 3),
            "unleased_ha": None if self.unleased_ha is None else round(self.unleased_ha, 4),
            "new_cluster_allowed": self.new_cluster_allowed,
            "expansion_allowed": self.expansion_allowed,
            "expansion": self.expansion,
            "rules": {
                "new_cluster_min_avg_pct": NEW_CLUSTER_MIN_PCT,
                "new_cluster_max_unleased_ha": NEW_CLUSTER_UNLEASED_MAX_HA,
                "expansion_min_pct": EXPANSION_MIN_PCT,
                "expansion_max_ha_after": EXPANSION_MAX_HA,
            },
            "reasons": self.reason_texts(lang),
        }


def gate(
    clusters: Sequence[ClusterStatus],
    *,
    area: str = "district",
    expand: str | None = None,
    by_ha: float | None = None,
) -> GateResult:
    """The Decree 32 verdicts for ``area`` from its established clusters (and an expansion of ``expand``)."""
    known = [c for c in clusters if c.result is not None]
    missing = [c for c in clusters if c.result is None]
    reasons: list[tuple[str, str]] = []
    average = sum(c.occupancy_pct or 0.0 for c in known) / len(known) if known else None
    unleased = sum(c.unleased_ha or 0.0 for c in known) if known else None
    if not clusters:
        verdict: bool | None = None
        reasons.append(("Chưa có cụm công nghiệp nào trong khu vực.", "No cluster is established in the area."))
    elif missing:
        verdict = None
        names = ", ".join(c.name for c in missing)
        reasons.append(
            (
                f"Chưa đủ số liệu: {names} chưa có ranh giới hoặc lô đất, không thể tính tỷ lệ lấp đầy trung bình.",
                f"Data missing: {names} has no boundary or lots yet, so the average occupancy cannot be computed.",
            )
        )
    else:
        assert average is not None and unleased is not None
        verdict = average > NEW_CLUSTER_MIN_PCT or unleased <= NEW_CLUSTER_UNLEASED_MAX_HA
        above = ">" if average > NEW_CLUSTER_MIN_PCT else "≤"
        small = "≤" if unleased <= NEW_CLUSTER_UNLEASED_MAX_HA else ">"
        reasons.append(
            (
                f"Tỷ lệ lấp đầy trung bình {format_pct(average, 'vi')} ({above} 50 %), đất công nghiệp chưa cho thuê "
                f"{format_area_ha(unleased, 'vi')} ({small} 100 ha).",
                f"Average occupancy {format_pct(average, 'en')} ({above} 50 %), unleased industrial land "
                f"{format_area_ha(unleased, 'en')} ({small} 100 ha).",
            )
        )
    expansion = None
    if expand is not None:
        expansion = _expansion(clusters, expand, by_ha or 0.0, reasons)
    return GateResult(area, tuple(clusters), average, unleased, verdict, expansion, reasons)


def _expansion(
    clusters: Sequence[ClusterStatus], cluster_id: str, by_ha: float, reasons: list[tuple[str, str]]
) -> dict[str, Any]:
    hit = next((c for c in clusters if c.cluster_id == cluster_id), None)
    out: dict[str, Any] = {"cluster_id": cluster_id, "by_ha": by_ha, "allowed": None, "area_after_ha": None}
    if hit is None or hit.result is None:
        reasons.append(
            (
                f"Cụm {cluster_id} chưa có số liệu lấp đầy: không thể xét mở rộng.",
                f"Cluster {cluster_id} has no occupancy data: the expansion cannot be decided.",
            )
        )
        return out
    after = float(hit.result.cluster_ha) + by_ha
    pct = float(hit.result.occupancy_pct)
    allowed = pct >= EXPANSION_MIN_PCT and after <= EXPANSION_MAX_HA
    out.update(allowed=allowed, area_after_ha=round(after, 4), occupancy_pct=round(pct, 3))
    reasons.append(
        (
            f"Mở rộng {hit.name} thêm {format_area_ha(by_ha, 'vi', decimals=None)}: lấp đầy {format_pct(pct, 'vi')} "
            f"(cần ≥ 60 %), diện tích sau mở rộng {format_area_ha(after, 'vi')} (tối đa 75 ha); hạ tầng dùng chung "
            "đã hoàn thành hay chưa cần kiểm tra riêng.",
            f"Expanding {hit.name} by {format_area_ha(by_ha, 'en', decimals=None)}: occupancy {format_pct(pct, 'en')} "
            f"(needs ≥ 60 %), area after {format_area_ha(after, 'en')} (at most 75 ha); whether the shared "
            "infrastructure is complete must be checked separately.",
        )
    )
    return out

"""The periodic report of section VII: a Vietnamese administrative document (DOCX) and the same tables (XLSX).

``build_report("2025-H1" | "2025" | "2021-2025", store=...)`` returns the file's bytes. The document follows
the usual form of an administrative report (Decree 30/2020/NĐ-CP layout: issuing body and national motto
side by side, number/symbol, place and date, title, body, recipients and signature block) and holds:

1. a summary (targets by status, the data date, the next report deadline);
2. the table of targets: target, measure, unit, plan figure, actual, %, status, with the status rules;
3. the funding table as stated in section V, the project costs of II/III, disbursements, and the
   consistency notes computed from the same figures;
4. a map of the plan's features by status (PNG rendered with matplotlib, EPSG:9208) whose caption says what
   its data is worth (:func:`map_caption`): stand-in positions (commune centres) while points are schematic,
   schematic commune boundaries only while the communes are still the schematic cells;
5. the list of what lacks data;
6. the plan against public sources: every feature whose data records what a public source says beside the
   plan (``other_source`` and the typed ``other_*`` fields of the catalogue), the plan's figure next to the
   other one (:func:`public_source_rows`).

Nothing is filled in that the store does not hold: a target without data says so.

Every figure the document prints follows the report's language through :mod:`geo.numbers` (``6.699,5`` and
``106,2`` in Vietnamese, ``6,699.5`` in English) and dates are written dd/mm/yyyy; the XLSX keeps plain
numbers (figures to 4 decimals, percentages to 3) so that spreadsheets compute with them.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import pandas as pd

from analysis.funding import (
    Finding,
    by_project,
    consistency_check,
    disbursement_summary,
)
from analysis.targets import (
    PLAN_END,
    STATUS_RULES,
    ReportPeriod,
    TargetResult,
    missing_data,
    next_report_deadline,
    overdue_count,
    parse_period,
    results_frame,
    status_counts,
    status_label,
)
from geo.errors import InputDataError
from geo.numbers import AREA_HA_DECIMALS, MISSING_TEXT, PCT_DECIMALS, format_number, format_pct, round_measured
from layers.catalogue import CATALOGUE, STATUS_LABELS
from layers.export import protect_sheet
from layers.model import GEOM_QUALITIES, GEOM_QUALITY_LABELS, Catalogue, quality_mix
from layers.store import Store
from reports.plan_inputs import PlanInputs, evaluate, gather

FORMATS: tuple[str, ...] = ("docx", "xlsx")

#: Layers drawn on the report map (points coloured by their ``status``), in drawing order.
MAP_POINT_LAYERS: tuple[str, ...] = (
    "clusters",
    "hydropower",
    "water_plants",
    "processing_plants",
    "mineral_plants",
    "craft_villages",
    "mines",
    "brick_facilities",
    "ttcn_facilities",
)
MAP_BACKGROUND_LAYER = "communes_legacy"

#: Prefix of the catalogue fields that hold what a public source says beside the plan (``other_source`` is its
#: text; ``other_<field>`` a figure to read against the plan's own ``<field>``).
OTHER_PREFIX = "other_"


def other_source_layers(catalogue: Catalogue = CATALOGUE) -> tuple[str, ...]:
    """Ids of the layers whose features can record what a public source says (an ``other_*`` field)."""
    return tuple(layer.id for layer in catalogue if any(f.name.startswith(OTHER_PREFIX) for f in layer.fields))


#: Colours of the feature statuses on the map (keys of layers.catalogue.STATUS_CHOICES).
FEATURE_STATUS_COLORS: dict[str, str] = {
    "operating": "#1a9850",
    "expanding": "#66bd63",
    "upgrading": "#a6d96a",
    "under_construction": "#fdae61",
    "planned": "#4575b4",
    "proposed": "#9e9ac8",
    "": "#636363",
}

ISSUER_DEFAULT = ("ỦY BAN NHÂN DÂN", "HUYỆN BẢO YÊN")
PLAN_NAME_VI = (
    "Kế hoạch triển khai, thực hiện Đề án “Phát triển Công nghiệp, Tiểu thủ công nghiệp và làng nghề trên địa bàn "
    "huyện Bảo Yên giai đoạn 2020-2025, tầm nhìn đến năm 2030”"
)
PLAN_NAME_EN = (
    "the plan implementing the scheme “Development of industry, small industry and craft villages in Bảo Yên "
    "district 2020-2025, vision 2030”"
)
#: Recipients, as the plan lists them (seed, "Nơi nhận").
RECIPIENTS_VI: tuple[str, ...] = (
    "TT HU; HĐND, UBND huyện;",
    "Các cơ quan chuyên môn;",
    "UBND các xã, thị trấn;",
    "Lưu: VT, KTHT.",
)

_L: dict[str, dict[str, str]] = {
    "vi": {
        "motto1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto2": "Độc lập - Tự do - Hạnh phúc",
        "number": "Số:        /BC-UBND",
        "title": "BÁO CÁO",
        "subtitle": "Kết quả thực hiện {plan}, kỳ {period}",
        "intro": (
            "Thực hiện chế độ báo cáo tại mục VII của Kế hoạch, Phòng Kinh tế & Hạ tầng (cơ quan chủ trì theo mục "
            "VI) tổng hợp kết quả thực hiện {period} (số liệu đến ngày {as_of}) như sau:"
        ),
        "s1": "I. TÓM TẮT",
        "s2": "II. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU",
        "s3": "III. NGUỒN VỐN THỰC HIỆN",
        "s4": "IV. BẢN ĐỒ CÁC ĐỐI TƯỢNG QUY HOẠCH THEO TÌNH TRẠNG",
        "s5": "V. NHỮNG NỘI DUNG CHƯA CÓ SỐ LIỆU",
        "s6": "VI. KẾ HOẠCH VÀ CÁC NGUỒN CÔNG KHAI",
        "s7": "VII. ĐỊA ĐIỂM ỨNG VIÊN VÀ ĐIỀU KIỆN THEO NGHỊ ĐỊNH 32/2024/NĐ-CP",
        "g_cols": "Cụm công nghiệp|Tỷ lệ lấp đầy|Đất chưa cho thuê (ha)|Ghi chú",
        "g_new": "Được thành lập cụm công nghiệp mới: {v}.",
        "g_yes": "có",
        "g_no": "không",
        "g_nodata": "chưa đủ số liệu",
        "g_none": "Trên địa bàn chưa có cụm công nghiệp nào đã thành lập.",
        "sites_cols": "Hạng|Địa điểm|Diện tích (ha)|Độ dốc TB (%)|Cách đường (m)|Điểm",
        "sites_none": "Chưa lưu địa điểm ứng viên nào (trang Địa hình & chọn địa điểm).",
        "sites_annex": "Phụ lục: các địa điểm ứng viên (chất lượng: dẫn xuất từ DEM, không phải đo đạc)",
        "sheet_gate": "NĐ 32",
        "sheet_sites": "Địa điểm",
        "o_intro": (
            "Những đối tượng mà nguồn công khai nói khác hoặc bổ sung số liệu của Kế hoạch, như dữ liệu ghi lại "
            "(trường «Nguồn khác nói» và các số liệu «nguồn khác»). Số của Kế hoạch được giữ nguyên; số của nguồn "
            "khác ghi bên cạnh để đối chiếu."
        ),
        "o_cols": "Đối tượng|Dữ liệu (theo Kế hoạch)|Nguồn khác nói|Nguồn",
        "o_none": "Dữ liệu không ghi nguồn công khai nào khác với Kế hoạch.",
        "o_plan_none": "chưa có (Kế hoạch không nêu)",
        "summary_other": (
            "Kế hoạch và các nguồn công khai: {n} đối tượng có số liệu của nguồn khác khác với hoặc bổ sung cho Kế "
            "hoạch (mục VI)."
        ),
        "summary_counts": "Tổng số {n} mục tiêu (13 mục tiêu tại mục II và mục tiêu đào tạo tại mục IV.2): {parts}.",
        "summary_next": "Kỳ báo cáo tiếp theo: {title}, gửi trước ngày {due} (còn {days} ngày).",
        "summary_findings": "Kiểm tra số liệu nguồn vốn: {n} chỗ các số tổng và số chi tiết trong Kế hoạch không khớp "
        "(mục III.3).",
        "summary_derived": "Các chỉ tiêu tính từ bản đồ dùng dữ liệu hiện có trong kho tại ngày lập báo cáo.",
        "rules_head": "Cách đánh giá:",
        "t_cols": "STT|Mục tiêu|Chỉ tiêu|Đơn vị|Kế hoạch|Thực hiện|Tỷ lệ (%)|Đánh giá",
        "f_head": "1. Nguồn vốn theo mục V của Kế hoạch (số ghi trong Kế hoạch, tỷ đồng)",
        "f_cols": "Khoản mục|Mục|Số ghi (tỷ đồng)|Tổng các khoản con",
        "p_head": "2. Kinh phí dự kiến các dự án nêu tại mục II, III (tỷ đồng)",
        "p_cols": "Dự án, nhiệm vụ|Mục|Kinh phí (tỷ đồng)",
        "c_head": "3. Đối chiếu số liệu (tính từ các số ghi trong Kế hoạch)",
        "c_none": "Các số tổng và số chi tiết khớp nhau.",
        "d_head": "4. Giải ngân (số liệu đã nhập)",
        "d_cols": "Khoản mục, dự án|Kế hoạch (tỷ đồng)|Đã giải ngân (tỷ đồng)|Tỷ lệ (%)|Các kỳ",
        "d_none": "Chưa có số liệu giải ngân được nhập.",
        "map_caption": (
            "Hình 1. Các đối tượng quy hoạch theo tình trạng. {body}{communes}; không dùng để đo đạc. "
            "Hệ tọa độ VN-2000 / TM-3 104°45′ (EPSG:9208). "
            "{unlocated} đối tượng chưa xác định vị trí không thể hiện trên hình."
        ),
        "map_points_schematic": (
            "SƠ ĐỒ — vị trí tượng trưng (đặt tại trung tâm xã, có thể cách vị trí thật nhiều km), "
        ),
        "map_shared": "các đối tượng cùng một vị trí được vẽ tỏa quanh điểm đó",
        "map_communes_schematic": "ranh giới xã là sơ đồ",
        "map_communes_partly": "ranh giới một số xã là sơ đồ",
        "map_communes_real": "ranh giới xã: {quality}",
        "summary_ended": (
            "Kỳ kế hoạch 2021–2025 đã kết thúc ngày 31/12/2025: {n} mục tiêu không đạt hoặc chưa có số liệu đã quá "
            "hạn (ghi «quá hạn» trong bảng mục II)."
        ),
        "summary_end_of_term": (
            "Báo cáo tổng kết kỳ kế hoạch: các mục tiêu được đánh giá tại hạn 31/12/2025 (hết kỳ kế hoạch)."
        ),
        "map_none": "Kho dữ liệu không có lớp bản đồ để vẽ.",
        "missing_none": "Tất cả các chỉ tiêu đều đã có số liệu.",
        "recipients": "Nơi nhận:",
        "sign1": "TM. ỦY BAN NHÂN DÂN",
        "sign2": "KT. CHỦ TỊCH",
        "sign3": "PHÓ CHỦ TỊCH",
        "sign_name": "(Ký, ghi rõ họ tên, đóng dấu)",
        "place_date": "Bảo Yên, ngày {d} tháng {m} năm {y}",
        "data_as_of": "Số liệu đến ngày {date}",
        "period_of": "Kỳ báo cáo: {label}",
        "total": "Tổng",
        "sheet_summary": "Tóm tắt",
        "sheet_targets": "Mục tiêu",
        "sheet_funding": "Nguồn vốn",
        "sheet_projects": "Dự án",
        "sheet_checks": "Đối chiếu",
        "sheet_disb": "Giải ngân",
        "sheet_missing": "Thiếu số liệu",
        "sheet_other": "Nguồn khác",
        "sheet_map": "Bản đồ",
        "status": "Tình trạng",
        "no_status": "Chưa rõ",
    },
    "en": {
        "motto1": "SOCIALIST REPUBLIC OF VIETNAM",
        "motto2": "Independence - Freedom - Happiness",
        "number": "No.        /BC-UBND",
        "title": "REPORT",
        "subtitle": "Results of {plan}, period {period}",
        "intro": (
            "Under section VII of the plan, the Economy & Infrastructure Office (lead office, section VI) reports "
            "the results of {period} (data up to {as_of}):"
        ),
        "s1": "I. SUMMARY",
        "s2": "II. RESULTS BY TARGET",
        "s3": "III. FUNDING",
        "s4": "IV. MAP OF THE PLAN'S FEATURES BY STATUS",
        "s5": "V. WHAT LACKS DATA",
        "s6": "VI. THE PLAN AND PUBLIC SOURCES",
        "s7": "VII. CANDIDATE SITES AND THE CONDITIONS OF DECREE 32/2024/NĐ-CP",
        "g_cols": "Cluster|Occupancy|Unleased land (ha)|Note",
        "g_new": "A new industrial cluster may be established: {v}.",
        "g_yes": "yes",
        "g_no": "no",
        "g_nodata": "not enough data",
        "g_none": "No industrial cluster is established in the area.",
        "sites_cols": "Rank|Site|Area (ha)|Mean slope (%)|To a road (m)|Score",
        "sites_none": "No candidate sites kept yet (Terrain & siting page).",
        "sites_annex": "Annex: the candidate sites (quality: derived from a DEM, not surveyed)",
        "sheet_gate": "Decree 32",
        "sheet_sites": "Sites",
        "o_intro": (
            "Features for which a public source says something other than the plan, or adds figures it lacks, as "
            "the data records it ('Other source says' and the 'other source' figures). The plan's figure is kept; "
            "the other is shown beside it."
        ),
        "o_cols": "Feature|Data (the plan's)|Other source says|Sources",
        "o_none": "The data records no public source that differs from the plan.",
        "o_plan_none": "none (not in the plan)",
        "summary_other": "The plan and public sources: {n} features where another source differs or adds (VI).",
        "summary_counts": "{n} targets (the 13 targets of section II and the training target of IV.2): {parts}.",
        "summary_next": "Next report: {title}, due before {due} ({days} days left).",
        "summary_findings": "Funding check: {n} places where the plan's totals and parts disagree (III.3).",
        "summary_derived": "Measures derived from the map use the store's data as of the day of the report.",
        "rules_head": "How statuses are decided:",
        "t_cols": "No.|Target|Measure|Unit|Plan|Actual|Progress (%)|Status",
        "f_head": "1. Funding as stated in section V (bn VND)",
        "f_cols": "Line|Section|Stated (bn VND)|Sum of its parts",
        "p_head": "2. Project costs stated in sections II and III (bn VND)",
        "p_cols": "Project|Section|Cost (bn VND)",
        "c_head": "3. Consistency of the stated figures (computed)",
        "c_none": "Totals and parts agree.",
        "d_head": "4. Disbursements (as recorded)",
        "d_cols": "Line or project|Planned (bn VND)|Disbursed (bn VND)|Share (%)|Periods",
        "d_none": "No disbursement has been recorded.",
        "map_caption": (
            "Figure 1. The plan's features by status. {body}{communes}; not for measurement. "
            "CRS VN-2000 / TM-3 104°45′ (EPSG:9208). "
            "{unlocated} features without a known location are not shown."
        ),
        "map_points_schematic": (
            "SCHEMATIC — stand-in positions (commune centres, possibly kilometres from the real sites), "
        ),
        "map_shared": "features sharing a point are drawn around it",
        "map_communes_schematic": "schematic commune boundaries",
        "map_communes_partly": "some commune boundaries schematic",
        "map_communes_real": "commune boundaries: {quality}",
        "summary_ended": (
            "The plan period 2021–2025 ended on 31/12/2025: {n} targets missed or without data are past their "
            "deadline (marked in the table of II)."
        ),
        "summary_end_of_term": (
            "End-of-term report: the targets are judged at their deadline, 31/12/2025 (the end of the plan period)."
        ),
        "map_none": "The store holds no map layer to draw.",
        "missing_none": "Every measure has data.",
        "recipients": "Recipients:",
        "sign1": "ON BEHALF OF THE PEOPLE'S COMMITTEE",
        "sign2": "FOR THE CHAIRMAN",
        "sign3": "VICE CHAIRMAN",
        "sign_name": "(Signature, full name, seal)",
        "place_date": "Bảo Yên, {d:02d}/{m:02d}/{y}",
        "data_as_of": "Data as of {date}",
        "period_of": "Period: {label}",
        "total": "Total",
        "sheet_summary": "Summary",
        "sheet_targets": "Targets",
        "sheet_funding": "Funding",
        "sheet_projects": "Projects",
        "sheet_checks": "Consistency",
        "sheet_disb": "Disbursements",
        "sheet_missing": "Missing data",
        "sheet_other": "Other sources",
        "sheet_map": "Map",
        "status": "Status",
        "no_status": "Unknown",
    },
}


@dataclass(frozen=True)
class ReportContent:
    """Everything the DOCX and the XLSX show, computed once."""

    period: ReportPeriod
    as_of: dt.date
    today: dt.date
    lang: str
    results: tuple[TargetResult, ...]
    targets_table: pd.DataFrame
    funding_table: pd.DataFrame
    projects_table: pd.DataFrame
    findings: tuple[Finding, ...]
    disbursements_table: pd.DataFrame
    missing: tuple[str, ...]
    summary: tuple[str, ...]
    map_png: bytes | None
    unlocated: int
    issuer: tuple[str, ...]
    #: the plan against public sources (:func:`public_source_rows`)
    other_sources: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: made from the sample store: every page says so
    sample: bool = False
    #: the Decree 32 gate (``GateResult.to_dict``) and the kept candidate sites (rows, and a map of them)
    gate: dict[str, Any] | None = None
    sites: pd.DataFrame = field(default_factory=pd.DataFrame)
    sites_png: bytes | None = None
    #: the map's caption (:func:`map_caption`), from the qualities of what it draws
    map_caption: str = ""


def _num(value: object, lang: str, digits: int = 2) -> str:
    """A figure with at most ``digits`` decimals (trailing zeros dropped) as ``lang`` writes it; ``—`` if none."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MISSING_TEXT
    return format_number(round(number, digits) if math.isfinite(number) else number, lang)


def _date(day: dt.date, lang: str) -> str:
    """A date as the report writes it: dd/mm/yyyy (the Vietnamese administrative form, kept in English too)."""
    return day.strftime("%d/%m/%Y")


def _cell(value: object, decimals: int = AREA_HA_DECIMALS) -> object:
    """A number for an XLSX cell, rounded to what it measures (None when missing); other values as they are."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return round_measured(value, decimals)


def _funding_table(lines: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Section V as an indented table in the plan's order, with each line's sum of parts."""
    label = "label_en" if lang == "en" else "label_vi"
    kids: dict[str, list[str]] = {}
    for lid, parent in zip(lines["id"], lines["parent"].fillna(""), strict=True):
        if parent:
            kids.setdefault(str(parent), []).append(str(lid))
    amounts = dict(zip(lines["id"].astype(str), lines["amount_bn_vnd"].astype(float), strict=True))
    rows = []
    for row in lines.to_dict("records"):
        lid = str(row["id"])
        parts = math.fsum(amounts[k] for k in kids[lid]) if lid in kids else math.nan
        rows.append(
            {
                "id": lid,
                "level": int(row["level"]),
                "label": "    " * max(int(row["level"]) - 1, 0) + str(row[label]),
                "section": str(row["source"]),
                "stated_bn_vnd": float(row["amount_bn_vnd"]),
                "parts_bn_vnd": parts,
            }
        )
    return pd.DataFrame(rows)


def _field_text(fdef: Any, value: object, lang: str) -> str:
    """``label: value unit`` of a catalogue field, as the report writes it."""
    label = fdef.label_en if lang == "en" else fdef.label_vi
    if fdef.choices and str(value) in STATUS_LABELS:
        text = STATUS_LABELS[str(value)][1 if lang == "en" else 0]
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = format_number(value, lang) + (f" {fdef.unit}" if fdef.unit else "")
    else:
        text = str(value)
    return f"{label}: {text}"


def _present(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return not (isinstance(value, str) and not value.strip())


def public_source_rows(
    layers: dict[str, gpd.GeoDataFrame], *, lang: str = "vi", catalogue: Catalogue = CATALOGUE
) -> pd.DataFrame:
    """Every feature whose data records what a public source says beside the plan, the two side by side.

    A row per feature with an ``other_source`` text or an ``other_<field>`` figure: ``plan`` lists the
    plan's ``<field>`` values that the other figures stand against ("not in the plan" where it gives none),
    ``other`` the other figures and the source's words, ``source`` the feature's sources. Layers in catalogue
    order, features in the layer's order.
    """
    columns = ["layer", "layer_title", "id", "name", "plan", "other", "other_source", "source"]
    L = _L[lang]
    rows = []
    for layer in catalogue:
        frame = layers.get(layer.id)
        others = [f for f in layer.fields if f.name.startswith(OTHER_PREFIX) and f.name != "other_source"]
        has_text = "other_source" in layer.field_names
        if frame is None or frame.empty or not (others or has_text):
            continue
        for rec in pd.DataFrame(frame.drop(columns=frame.geometry.name)).to_dict("records"):
            text = rec.get("other_source") if has_text else None
            figures = [f for f in others if _present(rec.get(f.name))]
            if not figures and not _present(text):
                continue
            plan, other = [], []
            for f in figures:
                own = f.name.removeprefix(OTHER_PREFIX)
                fdef = layer.field(own) if own in layer.field_names else None
                if fdef is not None:
                    value = rec.get(own)
                    label = fdef.label_en if lang == "en" else fdef.label_vi
                    plan.append(_field_text(fdef, value, lang) if _present(value) else f"{label}: {L['o_plan_none']}")
                other.append(_field_text(f, rec.get(f.name), lang))
            rows.append(
                {
                    "layer": layer.id,
                    "layer_title": layer.title(lang),
                    "id": str(rec.get("id", "")),
                    "name": str(rec.get("name", "")),
                    "plan": "; ".join(plan),
                    "other": "; ".join(other),
                    "other_source": str(text).strip() if _present(text) else "",
                    "source": str(rec.get("source", "") or ""),
                }
            )
    return pd.DataFrame(rows, columns=columns)


#: Features placed on the same point (a commune centre) are drawn on a ring of this radius around it.
SPREAD_RADIUS_M = 900.0


def _spread(xs: Any, ys: Any, *, radius_m: float) -> tuple[Any, Any]:
    """Coordinates with the points that share a position spread evenly on a ring around it (display only)."""
    import numpy as np

    xs, ys = np.asarray(xs, dtype=float).copy(), np.asarray(ys, dtype=float).copy()
    keys = [(round(x, 0), round(y, 0)) for x, y in zip(xs, ys, strict=True)]
    groups: dict[tuple[float, float], list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    for members in groups.values():
        if len(members) < 2:
            continue
        angles = np.linspace(0.0, 2 * np.pi, len(members), endpoint=False) + np.pi / 2
        xs[members] = xs[members] + radius_m * np.cos(angles)
        ys[members] = ys[members] + radius_m * np.sin(angles)
    return xs, ys


def _sites_png(sites: gpd.GeoDataFrame, layers: dict[str, gpd.GeoDataFrame]) -> bytes | None:
    """The candidate sites over the commune outlines, as a PNG (EPSG:9208, metric axes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    work = sites.to_crs(9208)
    fig, ax = plt.subplots(figsize=(8, 7), dpi=120)
    communes = layers.get(MAP_BACKGROUND_LAYER)
    if communes is not None and len(communes):
        communes.to_crs(9208).boundary.plot(ax=ax, color="#888888", linewidth=0.6)
    work.plot(ax=ax, color="#6baed6", edgecolor="#08306b", linewidth=1.0)
    for rank, geom in zip(work["rank"], work.geometry, strict=True):
        at = geom.representative_point()
        ax.annotate(str(int(rank)), (at.x, at.y), ha="center", va="center", fontsize=9, weight="bold")
    minx, miny, maxx, maxy = work.total_bounds
    pad = max(maxx - minx, maxy - miny) * 0.6 + 500
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_xlabel("EPSG:9208 (m)")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _located_mix(frame: gpd.GeoDataFrame | None) -> dict[str, int]:
    """Features per geometry quality of the drawn (located) features of ``frame``."""
    if frame is None or frame.empty or "geom_quality" not in frame.columns:
        return {}
    located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    return quality_mix(located["geom_quality"])


def map_caption(lang: str, *, unlocated: int, communes_mix: Mapping[str, int], points_mix: Mapping[str, int]) -> str:
    """The caption of the report's map, saying only what its data is: schematic when it is.

    ``points_mix`` / ``communes_mix`` count the drawn features per ``geom_quality`` (points of the plan's
    layers; the commune background). Stand-in positions are named while any drawn point is schematic; the
    commune boundaries are called schematic only while every commune is (some of them: "some … schematic"),
    and once real boundaries are imported the caption names their quality instead.
    """
    L = _L[lang]
    body = (L["map_points_schematic"] if points_mix.get("schematic", 0) > 0 else "") + L["map_shared"]
    body = body[0].upper() + body[1:]
    located = {q: n for q, n in communes_mix.items() if n > 0 and q != "unlocated"}
    if not located:
        communes = ""
    elif set(located) == {"schematic"}:
        communes = "; " + L["map_communes_schematic"]
    elif "schematic" in located:
        communes = "; " + L["map_communes_partly"]
    else:
        worst = max(located, key=lambda q: GEOM_QUALITIES.index(q) if q in GEOM_QUALITIES else len(GEOM_QUALITIES))
        pair = GEOM_QUALITY_LABELS.get(worst, (worst, worst))
        word = (pair[1] if lang == "en" else pair[0]).lower()
        communes = "; " + L["map_communes_real"].format(quality=word)
    return L["map_caption"].format(body=body, communes=communes, unlocated=unlocated)


def render_map_png(layers: dict[str, gpd.GeoDataFrame], *, lang: str = "vi") -> tuple[bytes | None, int]:
    """The plan's point features coloured by status over the schematic communes, as PNG bytes (EPSG:9208).

    Returns the PNG (None when there is nothing to draw) and the number of features without a location.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.lines import Line2D

    from geo.crs import WORK_CRS
    from layers.catalogue import STATUS_LABELS

    L = _L[lang]
    points = []
    unlocated = 0
    for lid in MAP_POINT_LAYERS:
        frame = layers.get(lid)
        if frame is None or frame.empty:
            continue
        located = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        unlocated += len(frame) - len(located)
        if located.empty:
            continue
        located = located.to_crs(WORK_CRS)
        status = located["status"].fillna("").astype(str) if "status" in located.columns else ""
        points.append(located.assign(_status=status, _layer=lid))
    background = layers.get(MAP_BACKGROUND_LAYER)
    if not points and (background is None or background.empty):
        return None, unlocated
    fig, ax = plt.subplots(figsize=(7.0, 7.4), dpi=150)
    try:
        if background is not None and not background.empty:
            bg = background.to_crs(WORK_CRS)
            dashed = "schematic" in _located_mix(bg)  # drawn as the map page draws a schematic shape
            bg.plot(ax=ax, facecolor="#f2f2f2", edgecolor="#9e9e9e", linewidth=0.6, linestyle="--" if dashed else "-")
            name_col = "ten_xa" if "ten_xa" in bg.columns else "name"
            for geom, name in zip(bg.geometry, bg[name_col], strict=True):
                if geom is not None and not geom.is_empty:
                    c = geom.representative_point()
                    ax.annotate(str(name), (c.x, c.y), fontsize=5.5, color="#616161", ha="center")
        used: list[str] = []
        if points:
            allpts = pd.concat(points, ignore_index=True)
            xy = _spread(allpts.geometry.x.to_numpy(), allpts.geometry.y.to_numpy(), radius_m=SPREAD_RADIUS_M)
            allpts["_x"], allpts["_y"] = xy
            for status, group in allpts.groupby("_status", sort=False):
                color = FEATURE_STATUS_COLORS.get(str(status), FEATURE_STATUS_COLORS[""])
                xs, ys = group["_x"].to_numpy(), group["_y"].to_numpy()
                ax.scatter(xs, ys, s=28, color=color, edgecolor="black", linewidth=0.4, zorder=3, alpha=0.9)
                used.append(str(status))
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=6,
                markeredgecolor="black",
                color=FEATURE_STATUS_COLORS.get(s, FEATURE_STATUS_COLORS[""]),
                label=(STATUS_LABELS[s][1] if lang == "en" else STATUS_LABELS[s][0])
                if s in STATUS_LABELS
                else L["no_status"],
            )
            for s in sorted(
                set(used), key=lambda k: list(FEATURE_STATUS_COLORS).index(k) if k in FEATURE_STATUS_COLORS else 99
            )
        ]
        if handles:
            ax.legend(
                handles=handles, title=L["status"], loc="lower left", fontsize=7, title_fontsize=7.5, framealpha=0.9
            )
        if points and "schematic" in _located_mix(pd.concat(points, ignore_index=True)):
            ax.set_title(
                "SƠ ĐỒ — vị trí tượng trưng" if lang == "vi" else "SCHEMATIC — stand-in positions",
                fontsize=9,
                color="#b2182b",
            )
        ax.set_xlabel("E (m), VN-2000 / TM-3 104°45′ (EPSG:9208)", fontsize=7)
        ax.set_ylabel("N (m)", fontsize=7)
        ax.tick_params(labelsize=6)
        ax.ticklabel_format(style="plain", useOffset=False)
        ax.set_aspect("equal")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)
    return buf.getvalue(), unlocated


def report_content(
    period: str | ReportPeriod,
    inputs: PlanInputs,
    *,
    map_layers: dict[str, gpd.GeoDataFrame],
    today: dt.date,
    lang: str = "vi",
    issuer: Sequence[str] = ISSUER_DEFAULT,
    source_layers: dict[str, gpd.GeoDataFrame] | None = None,
) -> ReportContent:
    """Compute the report's tables, notes and map for ``period`` from gathered inputs.

    ``source_layers`` are the layers whose ``other_*`` fields section VI lists (default: the gathered and the
    map layers).
    """
    if lang not in _L:
        raise InputDataError(
            f"report language '{lang}' is not available; use vi or en", code="report.bad_language", lang=lang
        )
    p = parse_period(period) if isinstance(period, str) else period
    as_of = min(p.end, today)
    L = _L[lang]
    results = evaluate(inputs, as_of=as_of)
    targets_table = results_frame(results, lang=lang)
    findings = consistency_check(inputs.funding_lines, inputs.project_costs)
    disb = disbursement_summary(
        inputs.disbursements, inputs.funding_lines, inputs.project_costs, as_of=as_of, lang=lang
    )
    counts = status_counts(results)
    parts = ", ".join(f"{status_label(s, lang).lower()} {n}" for s, n in counts.items() if n)
    nxt = next_report_deadline(today)
    if as_of > PLAN_END:  # the plan period is over: unmet targets are late, whatever year the report is for
        ended = [L["summary_ended"].format(n=overdue_count(results))]
    elif p.kind == "span" and p.end == PLAN_END:
        ended = [L["summary_end_of_term"]]
    else:
        ended = []
    others = public_source_rows(
        source_layers if source_layers is not None else {**inputs.layers, **map_layers}, lang=lang
    )
    summary = [
        L["summary_counts"].format(n=len(results), parts=parts),
        *ended,
        L["summary_findings"].format(n=len(findings)),
        L["summary_other"].format(n=len(others)),
        L["summary_next"].format(
            title=nxt.period.title(lang), due=_date(nxt.due, lang), days=format_number(nxt.days_left, lang)
        ),
        L["summary_derived"],
        *inputs.note_texts(lang),
    ]
    png, unlocated = render_map_png(map_layers, lang=lang)
    points: dict[str, int] = {}
    for lid in MAP_POINT_LAYERS:
        for q, n in _located_mix(map_layers.get(lid)).items():
            points[q] = points.get(q, 0) + n
    caption = map_caption(
        lang, unlocated=unlocated, communes_mix=_located_mix(map_layers.get(MAP_BACKGROUND_LAYER)), points_mix=points
    )
    return ReportContent(
        period=p,
        as_of=as_of,
        today=today,
        lang=lang,
        results=results,
        targets_table=targets_table,
        funding_table=_funding_table(inputs.funding_lines, lang),
        projects_table=by_project(inputs.project_costs, lang=lang),
        findings=findings,
        disbursements_table=disb,
        missing=tuple(missing_data(results, lang=lang)),
        summary=tuple(summary),
        map_png=png,
        unlocated=unlocated,
        issuer=tuple(issuer),
        other_sources=others,
        map_caption=caption,
    )


def build_report(
    period: str,
    *,
    store: Store | None = None,
    inputs: PlanInputs | None = None,
    map_layers: dict[str, gpd.GeoDataFrame] | None = None,
    fmt: str = "docx",
    lang: str = "vi",
    today: dt.date | None = None,
    issuer: Sequence[str] = ISSUER_DEFAULT,
    gate: dict[str, Any] | None = None,
    sites: gpd.GeoDataFrame | None = None,
) -> bytes:
    """The report for ``period`` (``2025-H1``, ``2025``, ``2021-2025``) as DOCX or XLSX bytes.

    Give either ``store`` (everything is read from it) or ``inputs`` (gathered tables, see
    :func:`reports.plan_inputs.gather`) with optional ``map_layers``.

    Raises
    ------
    InputDataError
        Unknown period, format or language.
    """
    if fmt not in FORMATS:
        raise InputDataError(
            f"report format '{fmt}' is not available; use docx or xlsx", code="report.bad_format", format=fmt
        )
    today = today or dt.date.today()
    p = parse_period(period)
    source_layers = None
    if inputs is None:
        if store is None:
            raise InputDataError("build_report needs a store or gathered inputs")
        inputs = gather(store, as_of=min(p.end, today))
        if map_layers is None:
            ids = (MAP_BACKGROUND_LAYER, *MAP_POINT_LAYERS)
            map_layers = {lid: store.read_layer(lid) for lid in ids if store.has_layer(lid)}
        source_layers = {lid: store.read_layer(lid) for lid in other_source_layers() if store.has_layer(lid)}
    content = report_content(
        p, inputs, map_layers=map_layers or {}, today=today, lang=lang, issuer=issuer, source_layers=source_layers
    )
    if store is not None and store.get_meta("sample") == "1":
        content = replace(content, sample=True)
    if gate is not None or sites is not None:
        table = pd.DataFrame() if sites is None else pd.DataFrame(sites.drop(columns=sites.geometry.name))
        png = _sites_png(sites, map_layers or {}) if sites is not None and len(sites) else None
        content = replace(content, gate=gate, sites=table, sites_png=png)
    return _docx(content) if fmt == "docx" else _xlsx(content)


#: the banner of a report made from the sample store, on every page (Vietnamese, English)
SAMPLE_BANNER = ("DỮ LIỆU MẪU — KHÔNG PHẢI SỐ LIỆU THẬT", "SAMPLE DATA — NOT REAL FIGURES")


# --- DOCX -------------------------------------------------------------------------------------------------


def _docx(c: ReportContent) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    L = _L[c.lang]
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")

    def para(
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        align: Any = None,
        size: float | None = None,
        space_after: float = 4,
    ) -> Any:
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        p.paragraph_format.space_after = Pt(space_after)
        return p

    def cell_text(
        cell: Any,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        size: float = 13,
        align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    ) -> None:
        cell.text = ""
        lines = text.split("\n")
        p = cell.paragraphs[0]
        for n, line in enumerate(lines):
            if n:
                p = cell.add_paragraph()
            p.alignment = align
            p.paragraph_format.space_after = Pt(0)
            run = p.add_run(line)
            run.bold, run.italic = bold, italic
            run.font.size = Pt(size)

    # header: issuing body | national motto; number | place and date
    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    head.autofit = False
    _fix_widths(head, [6.0, 10.0])
    cell_text(head.cell(0, 0), "\n".join(c.issuer), bold=True, size=13)
    cell_text(head.cell(0, 1), f"{L['motto1']}\n{L['motto2']}", bold=True, size=13)
    cell_text(head.cell(1, 0), L["number"], size=13)
    cell_text(
        head.cell(1, 1), L["place_date"].format(d=c.today.day, m=c.today.month, y=c.today.year), italic=True, size=14
    )

    para("")
    para(L["title"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14, space_after=0)
    plan = PLAN_NAME_EN if c.lang == "en" else PLAN_NAME_VI
    para(
        L["subtitle"].format(plan=plan, period=c.period.title(c.lang)),
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=14,
        space_after=10,
    )
    intro = para(L["intro"].format(period=c.period.title(c.lang), as_of=_date(c.as_of, c.lang)))
    intro.paragraph_format.first_line_indent = Cm(1.0)

    para(L["s1"], bold=True)
    for line in c.summary:
        p = para(f"- {line}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        p.paragraph_format.first_line_indent = Cm(1.0)

    para(L["s2"], bold=True)
    cols = L["t_cols"].split("|")
    rows = []
    n = 0
    for r in c.targets_table.to_dict("records"):
        if r["target_title"]:
            n += 1
        rows.append(
            [
                str(n) if r["target_title"] else "",
                f"{r['target']} {r['target_title']}".strip() if r["target_title"] else "",
                r["measure_label"],
                r["unit_label"],
                r["goal"],
                _num(r["actual"], c.lang),
                _num(r["progress_pct"], c.lang, 1),
                r["status_label"],
            ]
        )
    _docx_table(doc, cols, rows, widths_cm=[1.1, 4.1, 3.5, 1.7, 1.4, 1.5, 1.3, 1.6], font_pt=9.5)
    rules = para(
        f"{L['rules_head']} {STATUS_RULES[c.lang].split(': ', 1)[1]}",
        italic=True,
        size=10,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    rules.paragraph_format.space_before = Pt(4)

    para(L["s3"], bold=True)
    para(L["f_head"], italic=True)
    f_rows = [
        [r["label"], r["section"], _num(r["stated_bn_vnd"], c.lang), _num(r["parts_bn_vnd"], c.lang)]
        for r in c.funding_table.to_dict("records")
    ]
    t = _docx_table(
        doc, L["f_cols"].split("|"), f_rows, widths_cm=[9.0, 1.6, 2.6, 2.8], font_pt=10, align_first_left=True
    )
    for i, r in enumerate(c.funding_table.to_dict("records"), start=1):
        if r["level"] <= 1:
            for cell in t.rows[i].cells:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    para(L["p_head"], italic=True)
    p_rows = [[r["label"], r["source"], _num(r["amount_bn_vnd"], c.lang)] for r in c.projects_table.to_dict("records")]
    _docx_table(doc, L["p_cols"].split("|"), p_rows, widths_cm=[11.2, 2.0, 2.8], font_pt=10, align_first_left=True)
    para(L["c_head"], italic=True)
    if c.findings:
        for i, f in enumerate(c.findings, start=1):
            p = para(f"{i}. {f.message(c.lang)}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=12)
            p.paragraph_format.first_line_indent = Cm(1.0)
    else:
        para(L["c_none"])
    para(L["d_head"], italic=True)
    if c.disbursements_table.empty:
        para(L["d_none"])
    else:
        d_rows = [
            [
                r["label"],
                _num(r["planned_bn_vnd"], c.lang),
                _num(r["disbursed_bn_vnd"], c.lang),
                _num(r["disbursed_pct"], c.lang, 1),
                r["periods"],
            ]
            for r in c.disbursements_table.to_dict("records")
        ]
        _docx_table(
            doc, L["d_cols"].split("|"), d_rows, widths_cm=[6.6, 2.4, 2.6, 1.8, 2.6], font_pt=10, align_first_left=True
        )

    para(L["s4"], bold=True)
    if c.map_png:
        doc.add_picture(io.BytesIO(c.map_png), width=Cm(15.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        para(c.map_caption, italic=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        para(L["map_none"])

    para(L["s5"], bold=True)
    if c.missing:
        for line in c.missing:
            p = para(f"- {line}", size=12, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            p.paragraph_format.first_line_indent = Cm(1.0)
    else:
        para(L["missing_none"])

    para(L["s6"], bold=True)
    if c.other_sources.empty:
        para(L["o_none"])
    else:
        intro6 = para(L["o_intro"], align=WD_ALIGN_PARAGRAPH.JUSTIFY, size=12)
        intro6.paragraph_format.first_line_indent = Cm(1.0)
        o_rows = [
            [
                f"{r['name']} ({r['layer_title']})",
                r["plan"],
                "\n".join(t for t in (r["other"], r["other_source"]) if t),
                r["source"],
            ]
            for r in c.other_sources.to_dict("records")
        ]
        _docx_table(
            doc, L["o_cols"].split("|"), o_rows, widths_cm=[3.6, 3.0, 6.6, 2.8], font_pt=9.5, align_first_left=True
        )

    if c.gate is not None:
        para(L["s7"], bold=True)
        if c.gate["clusters"]:
            g_rows = [
                [
                    g["name"],
                    L["g_nodata"] if g["occupancy_pct"] is None else format_pct(g["occupancy_pct"], c.lang),
                    "—" if g["unleased_ha"] is None else _num(g["unleased_ha"], c.lang),
                    g["note"],
                ]
                for g in c.gate["clusters"]
            ]
            _docx_table(doc, L["g_cols"].split("|"), g_rows, widths_cm=[6.0, 3.0, 3.4, 3.6], font_pt=10)
        else:
            para(L["g_none"])
        verdict = c.gate["new_cluster_allowed"]
        para(L["g_new"].format(v=L["g_nodata"] if verdict is None else L["g_yes"] if verdict else L["g_no"]))
        for reason in c.gate["reasons"]:
            para(f"- {reason}", size=12, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        if c.sites.empty:
            para(L["sites_none"])
        else:
            s_rows = [
                [r["rank"], r["id"], _num(r["area_ha"], c.lang), _num(r["slope_mean_pct"], c.lang),
                 "—" if r.get("road_m") is None or r["road_m"] != r["road_m"] else _num(r["road_m"], c.lang, 0),
                 _num(r["score"], c.lang, 3)]
                for r in c.sites.to_dict("records")
            ]  # fmt: skip
            _docx_table(doc, L["sites_cols"].split("|"), s_rows, widths_cm=[1.4, 3.4, 2.6, 2.8, 3.0, 2.4], font_pt=10)
        if c.sites_png:
            doc.add_page_break()
            para(L["sites_annex"], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            doc.add_picture(io.BytesIO(c.sites_png), width=Cm(15.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    para("")
    sign = doc.add_table(rows=1, cols=2)
    sign.autofit = False
    _fix_widths(sign, [8.0, 8.0])
    left = sign.cell(0, 0)
    cell_text(left, L["recipients"], bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in RECIPIENTS_VI:
        p = left.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(f"- {recipient}")
        run.font.size = Pt(11)
    cell_text(sign.cell(0, 1), f"{L['sign1']}\n{L['sign2']}\n{L['sign3']}\n\n\n\n{L['sign_name']}", bold=True, size=13)
    sign.cell(0, 1).paragraphs[-1].runs[0].bold = False
    sign.cell(0, 1).paragraphs[-1].runs[0].italic = True

    if c.sample:  # in the page header, so that every printed page says it
        for each in doc.sections:
            head = each.header.paragraphs[0]
            head.text = SAMPLE_BANNER[1 if c.lang == "en" else 0]
            head.alignment = WD_ALIGN_PARAGRAPH.CENTER
            head.runs[0].bold = True
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _docx_table(
    doc: Any,
    headers: list[str],
    rows: list[list[str]],
    *,
    widths_cm: list[float],
    font_pt: float,
    align_first_left: bool = False,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for i, h in enumerate(headers):
        cell = table.cell(0, i)
        cell.text = ""
        run = cell.paragraphs[0].add_run(h)
        run.bold = True
        run.font.size = Pt(font_pt)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    # repeat the header row on every page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for r, values in enumerate(rows, start=1):
        for i, value in enumerate(values):
            cell = table.cell(r, i)
            cell.text = ""
            p = cell.paragraphs[0]
            run = p.add_run(str(value))
            run.font.size = Pt(font_pt)
            left = i in (1, 2) if not align_first_left else i == 0
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    _fix_widths(table, widths_cm)
    return table


def _fix_widths(table: Any, widths_cm: Sequence[float]) -> None:
    """Column widths that Word and LibreOffice both keep: fixed layout, grid columns and cell widths."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for col, w in zip(table.columns, widths_cm, strict=True):
        col.width = Cm(w)
    for row in table.rows:
        for i, w in enumerate(widths_cm):
            row.cells[i].width = Cm(w)


# --- XLSX -------------------------------------------------------------------------------------------------


def _xlsx(c: ReportContent) -> bytes:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as XLImage
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    L = _L[c.lang]
    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, headers: list[str], rows: list[list[object]], widths: list[int]) -> Any:
        ws = wb.create_sheet(title)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in rows:
            ws.append([None if isinstance(v, float) and math.isnan(v) else v for v in row])
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        return ws

    ws = wb.active
    ws.title = L["sheet_summary"]
    ws.append([" – ".join(c.issuer)])
    ws.append(
        [
            f"{L['title']}: "
            + L["subtitle"].format(plan=PLAN_NAME_EN if c.lang == "en" else PLAN_NAME_VI, period=c.period.title(c.lang))
        ]
    )
    ws.append([L["place_date"].format(d=c.today.day, m=c.today.month, y=c.today.year)])
    ws.append(
        [
            L["data_as_of"].format(date=_date(c.as_of, c.lang)),
            L["period_of"].format(label=c.period.label),
            f"{_date(c.period.start, c.lang)} – {_date(c.period.end, c.lang)}",
        ]
    )
    ws.append([])
    for line in c.summary:
        ws.append([line])
    ws.append([])
    ws.append([STATUS_RULES[c.lang]])
    ws["A1"].font = bold
    ws["A2"].font = bold
    ws.column_dimensions["A"].width = 120

    cols = L["t_cols"].split("|")
    t_rows = [
        [
            r["target"],
            r["target_title"],
            r["measure_label"],
            r["unit_label"],
            r["goal"],
            _cell(r["actual"]),
            _cell(r["progress_pct"], PCT_DECIMALS),
            r["status_label"],
            r["status"],
            r["deadline"],
            r["method"],
            r["basis"],
            r["evidence"],
            r["source"],
            r["responsible"],
        ]
        for r in c.targets_table.to_dict("records")
    ]
    sheet(
        L["sheet_targets"],
        [*cols, "status", "deadline", "method", "basis", "evidence", "source", "responsible"],
        t_rows,
        [8, 50, 36, 12, 10, 12, 12, 18, 10, 12, 10, 40, 50, 10, 24],
    )
    f_rows = [
        [r["label"], r["section"], r["stated_bn_vnd"], r["parts_bn_vnd"], r["id"]]
        for r in c.funding_table.to_dict("records")
    ]
    sheet(L["sheet_funding"], [*L["f_cols"].split("|"), "id"], f_rows, [70, 10, 18, 18, 30])
    p_rows = [
        [r["label"], r["source"], r["amount_bn_vnd"], r["stated_as"], r["id"]]
        for r in c.projects_table.to_dict("records")
    ]
    sheet(L["sheet_projects"], [*L["p_cols"].split("|"), "stated_as", "id"], p_rows, [70, 10, 16, 50, 30])
    c_rows = [
        [i, f.kind, f.subject, ", ".join(f.sections), f.stated, f.computed, f.difference, f.message(c.lang)]
        for i, f in enumerate(c.findings, start=1)
    ]
    ws_c = sheet(
        L["sheet_checks"],
        ["#", "kind", "subject", "sections", "stated_bn_vnd", "computed_bn_vnd", "difference_bn_vnd", "message"],
        c_rows,
        [4, 16, 30, 22, 14, 14, 14, 120],
    )
    for row in ws_c.iter_rows(min_row=2, min_col=8, max_col=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    d_rows = [
        [
            r["label"],
            _cell(r["planned_bn_vnd"]),
            _cell(r["disbursed_bn_vnd"]),
            _cell(r["disbursed_pct"], PCT_DECIMALS),
            r["periods"],
            r["line_id"],
        ]
        for r in c.disbursements_table.to_dict("records")
    ]
    sheet(L["sheet_disb"], [*L["d_cols"].split("|"), "id"], d_rows, [60, 16, 16, 12, 24, 30])
    sheet(L["sheet_missing"], ["#", L["s5"]], [[i, m] for i, m in enumerate(c.missing, start=1)], [4, 140])
    o_rows = [
        [r["layer"], r["id"], r["name"], r["plan"], r["other"], r["other_source"], r["source"]]
        for r in c.other_sources.to_dict("records")
    ]
    sheet(
        L["sheet_other"],
        ["layer", "id", L["o_cols"].split("|")[0], *L["o_cols"].split("|")[1:3], "other_source", "source"],
        o_rows,
        [18, 22, 40, 30, 30, 80, 40],
    )
    if c.gate is not None:
        sheet(
            L["sheet_gate"],
            L["g_cols"].split("|"),
            [[g["name"], g["occupancy_pct"], g["unleased_ha"], g["note"]] for g in c.gate["clusters"]]
            + [[L["g_new"].format(v=c.gate["new_cluster_allowed"]), None, None, " ".join(c.gate["reasons"])]],
            [40, 14, 18, 80],
        )
        sheet(
            L["sheet_sites"],
            L["sites_cols"].split("|"),
            [[r["rank"], r["id"], r["area_ha"], r["slope_mean_pct"], r.get("road_m"), r["score"]]
             for r in c.sites.to_dict("records")],
            [8, 16, 14, 16, 16, 10],
        )  # fmt: skip
    ws_m = wb.create_sheet(L["sheet_map"])
    if c.map_png:
        img = XLImage(io.BytesIO(c.map_png))
        img.width, img.height = int(img.width * 0.5), int(img.height * 0.5)
        ws_m.add_image(img, "A3")
        ws_m["A1"] = c.map_caption
    else:
        ws_m["A1"] = L["map_none"]
    for each in wb.worksheets:  # the plan's and the planners' text: "=..." or "@..." stays text, never a formula
        protect_sheet(each)
        if c.sample:  # printed header of every sheet
            each.oddHeader.center.text = SAMPLE_BANNER[1 if c.lang == "en" else 0]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

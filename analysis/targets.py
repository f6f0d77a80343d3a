"""The plan's targets: status per target, derived indicators, reporting periods and deadlines.

Pure functions: the target tables (``targets``, ``target_measures``), the recorded actuals and the layers
come in as frames; results come out as small frozen dataclasses or frames. Nothing here reads a file.

How a status is decided is written once, in :data:`STATUS_RULES`, and shown in the UI and the reports:

- without a value a measure has **no data** (no value is ever invented);
- when the deadline has been reached: **achieved** if the value reaches the target (or lies in the range),
  else **missed**;
- before the deadline: **achieved** if the target is already reached; otherwise **on track** if the
  progress (value ÷ target) is at least the share of the plan period that has elapsed, else **at risk**;
  a value above a range's maximum is **at risk**;
- a target is achieved when every measure with a goal is achieved; missed if any is missed; at risk if any
  is at risk; no data if any has no data; else on track. Measures without a goal are indicators: shown,
  not counted;
- after its deadline a measure still missed or without data says so beside its status ("quá hạn (hạn 2025)",
  "past its deadline (2025)", :func:`deadline_note`): the plan period ended on 31/12/2025, and a report of 2026
  or later reads every unmet 2025 target as overdue, not as a status of the current year.

Recorded values (table ``target_actuals``, append-only): for each period the latest entry counts (a
correction is a new entry); ``latest`` measures take the value of the most recent period, ``sum`` measures
add up periods that do not overlap, a longer period replacing the shorter ones inside it.

Derived values come only from layers that planners have imported or edited: a layer still holding the
plan's own authored features (statuses as of 2021, schematic positions) describes the plan, not a result.
Areas are measured in EPSG:9208 and only on surveyed or digitised boundaries.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo import numbers
from geo.crs import area_ha
from geo.errors import InputDataError
from geo.text import fold, nfc, words
from layers.model import MeasureSpec

#: Status keys, from best to worst, and their labels (Vietnamese, English).
STATUSES: tuple[str, ...] = ("achieved", "on_track", "at_risk", "missed", "no_data")
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "achieved": ("Đạt", "Achieved"),
    "on_track": ("Đúng tiến độ", "On track"),
    "at_risk": ("Có nguy cơ không đạt", "At risk"),
    "missed": ("Không đạt", "Missed"),
    "no_data": ("Chưa có số liệu", "No data"),
    "indicator": ("Chỉ số theo dõi", "Indicator"),
}
STATUS_COLORS: dict[str, str] = {
    "achieved": "#1a9850",
    "on_track": "#91cf60",
    "at_risk": "#fc8d59",
    "missed": "#d73027",
    "no_data": "#bdbdbd",
    "indicator": "#74add1",
}

#: The rules, as shown to planners.
STATUS_RULES: dict[str, str] = {
    "vi": (
        "Cách đánh giá: (1) Không có số liệu → «Chưa có số liệu» (không tự đặt ra số liệu). "
        "(2) Đã đến hạn (mục tiêu năm 2025: ngày 31/12/2025): «Đạt» nếu số thực hiện ≥ chỉ tiêu (hoặc nằm trong "
        "khoảng, ví dụ 20–30 ha), ngược lại «Không đạt». "
        "(3) Chưa đến hạn: «Đạt» nếu đã đạt chỉ tiêu; «Đúng tiến độ» nếu tỷ lệ thực hiện (thực hiện ÷ chỉ tiêu) "
        "≥ tỷ lệ thời gian đã qua của kỳ kế hoạch (từ 01/01/2021); ngược lại «Có nguy cơ không đạt»; vượt mức "
        "tối đa của khoảng → «Có nguy cơ không đạt». "
        "(4) Một mục tiêu có nhiều chỉ tiêu: «Đạt» khi mọi chỉ tiêu đạt; «Không đạt» nếu có chỉ tiêu không đạt; "
        "«Có nguy cơ» nếu có chỉ tiêu có nguy cơ; «Chưa có số liệu» nếu có chỉ tiêu chưa có số liệu; còn lại "
        "«Đúng tiến độ». Chỉ số không có chỉ tiêu chỉ để theo dõi. "
        "(5) Số liệu nhập theo kỳ: mỗi kỳ lấy lần nhập sau cùng; chỉ tiêu mức (giá trị sản xuất, số hộ) lấy kỳ "
        "gần nhất; chỉ tiêu cộng dồn (lao động được đào tạo) cộng các kỳ không chồng lấn, kỳ dài thay cho các "
        "kỳ ngắn nằm trong nó. "
        "(6) Chỉ số tính từ bản đồ chỉ dùng lớp dữ liệu đã được cập nhật (nhập hoặc sửa), không dùng dữ liệu "
        "biên soạn từ văn bản kế hoạch; diện tích đo trong VN-2000 / TM-3 104°45′ (EPSG:9208), chỉ trên ranh "
        "giới đo đạc hoặc số hóa. "
        "(7) Sau hạn (kỳ kế hoạch kết thúc ngày 31/12/2025): chỉ tiêu «Không đạt» hoặc «Chưa có số liệu» ghi thêm "
        "«quá hạn (hạn 2025)»."
    ),
    "en": (
        "How statuses are decided: (1) No value → 'no data' (no value is ever invented). "
        "(2) Deadline reached (the 2025 targets: 31 Dec 2025): 'achieved' if the value reaches the target (or "
        "lies in the range, e.g. 20–30 ha), else 'missed'. "
        "(3) Before the deadline: 'achieved' if already reached; 'on track' if progress (value ÷ target) is at "
        "least the elapsed share of the plan period (from 1 Jan 2021); otherwise 'at risk'; above a range's "
        "maximum → 'at risk'. "
        "(4) A target with several measures: achieved when all are achieved; missed if any is missed; at risk "
        "if any is at risk; no data if any has no data; else on track. Measures without a goal are indicators. "
        "(5) Recorded values: per period the latest entry counts; level measures (production value, "
        "households) take the most recent period; cumulative measures (workers trained) add non-overlapping "
        "periods, a longer period replacing the shorter ones inside it. "
        "(6) Derived values use only layers planners have imported or edited, never the features authored from "
        "the plan text; areas are measured in VN-2000 / TM-3 104°45′ (EPSG:9208) on surveyed or digitised "
        "boundaries only. "
        "(7) After the deadline (the plan period ended on 31 Dec 2025): a measure 'missed' or with 'no data' adds "
        "'past its deadline (2025)'."
    ),
}

#: Units of the measures as written in Vietnamese and English.
UNIT_LABELS: dict[str, tuple[str, str]] = {
    "bn VND": ("tỷ đồng", "bn VND"),
    "milestone": ("mốc (1 = đạt)", "milestone (1 = done)"),
    "facilities": ("cơ sở", "facilities"),
    "units": ("đơn vị", "units"),
    "plants": ("nhà máy", "plants"),
    "m3/day": ("m³/ngày đêm", "m³/day"),
    "MW": ("MW", "MW"),
    "%": ("%", "%"),
    "ha": ("ha", "ha"),
    "households": ("hộ", "households"),
    "workers": ("người", "workers"),
    "million tiles/year": ("triệu viên/năm", "million tiles/year"),
}


def unit_label(unit: str, lang: str = "vi") -> str:
    """The label of a unit in ``lang`` (the unit itself when it has none)."""
    pair = UNIT_LABELS.get(unit)
    if pair is None:
        return unit
    return pair[1] if lang == "en" else pair[0]


#: First day of the plan period; the elapsed share of the period is counted from here.
PLAN_START = dt.date(2021, 1, 1)
PLAN_END = dt.date(2025, 12, 31)

#: Geometry qualities whose areas are measurements.
MEASURED_QUALITIES: frozenset[str] = frozenset({"surveyed", "digitised"})

_SEP = "|"


def _split(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    text = str(value).strip()
    return tuple(v for v in text.split(_SEP) if v) if text else ()


def _opt_float(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _opt_text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


# --- reporting periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPeriod:
    """A reporting period of section VII.

    ``start``/``end`` bound the data the report covers. Six-month and annual periods follow Circular
    14/2024/TT-BCT's data periods (15 Dec – 14 Jun and 15 Dec – 14 Dec); a span of years ("2021-2025", a
    mid-term or end-of-term summary) runs from 1 January to 31 December. ``due`` is the day the report must be
    in *before* (VII: six-month report before 15 June, annual report before 10 December); summaries have
    no date in the plan (None).
    """

    label: str
    kind: str  # "half_year" | "year" | "span"
    start: dt.date
    end: dt.date
    due: dt.date | None

    def title(self, lang: str = "vi") -> str:
        """The period as a report title names it ("6 tháng đầu năm 2025", "năm 2025", ...)."""
        if self.kind == "half_year":
            return f"6 tháng đầu năm {self.start.year + 1}" if lang == "vi" else f"first half of {self.end.year}"
        if self.kind == "year":
            return f"năm {self.end.year}" if lang == "vi" else f"year {self.end.year}"
        span = f"{self.start.year}–{self.end.year}"
        if self.start.year == PLAN_START.year and self.end.year == PLAN_END.year:
            return f"giai đoạn {span} (tổng kết)" if lang == "vi" else f"{span} (end of term)"
        if self.start.year == PLAN_START.year and self.end.year < PLAN_END.year:
            return f"giai đoạn {span} (sơ kết giữa kỳ)" if lang == "vi" else f"{span} (mid-term)"
        return f"giai đoạn {span}" if lang == "vi" else span

    def contains(self, other: ReportPeriod) -> bool:
        """True when ``other`` lies inside this period."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: ReportPeriod) -> bool:
        """True when the two periods share a day."""
        return self.start <= other.end and other.start <= self.end


_HALF = re.compile(r"^(\d{4})\s*-?\s*(?:H1|6T|6M)$", re.IGNORECASE)
_HALF_VI = re.compile(r"^6\s*tháng\s*(?:đầu\s*)?(?:năm\s*)?(\d{4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(?:năm\s*)?(\d{4})$", re.IGNORECASE)
_SPAN = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


def parse_period(label: str) -> ReportPeriod:
    """Parse a period label: ``2025-H1`` (also ``6 tháng 2025``), ``2025`` (``năm 2025``) or ``2021-2025``.

    Raises
    ------
    InputDataError
        When the label is none of those forms or the years are implausible.
    """
    text = nfc(str(label)).strip()
    if m := (_HALF.match(text) or _HALF_VI.match(text)):
        year = _year(int(m.group(1)), text)
        return ReportPeriod(
            f"{year}-H1", "half_year", dt.date(year - 1, 12, 15), dt.date(year, 6, 14), dt.date(year, 6, 15)
        )
    if m := _YEAR.match(text):
        year = _year(int(m.group(1)), text)
        return ReportPeriod(str(year), "year", dt.date(year - 1, 12, 15), dt.date(year, 12, 14), dt.date(year, 12, 10))
    if m := _SPAN.match(text):
        first, last = _year(int(m.group(1)), text), _year(int(m.group(2)), text)
        if first > last:
            raise InputDataError(
                f"period '{label}' ends before it starts; write it as {last}-{first}",
                code="targets.period_reversed",
                period=str(label),
                first=first,
                last=last,
            )
        if first == last:
            return parse_period(str(first))
        return ReportPeriod(f"{first}-{last}", "span", dt.date(first, 1, 1), dt.date(last, 12, 31), None)
    raise InputDataError(
        f"'{label}' is not a reporting period; use 2025-H1 (six months), 2025 (year) or 2021-2025 (several years)",
        code="targets.bad_period",
        period=str(label),
    )


def _year(year: int, text: str) -> int:
    if not 2000 <= year <= 2100:
        raise InputDataError(
            f"period '{text}' has the year {year}; use a year between 2000 and 2100",
            code="targets.bad_year",
            period=text,
            year=year,
        )
    return year


@dataclass(frozen=True)
class ReportDue:
    """A report to send: its period, kind and the day it is due before."""

    period: ReportPeriod
    due: dt.date
    days_left: int


def next_report_deadline(today: dt.date) -> ReportDue:
    """The next periodic report due on or after ``today`` (VII: 6-month before 15/6, annual before 10/12).

    A report is due *before* its date, so on the date itself the next one is returned.
    """
    candidates: list[ReportPeriod] = []
    for year in (today.year, today.year + 1):
        candidates += [parse_period(f"{year}-H1"), parse_period(str(year))]
    upcoming = sorted((p for p in candidates if p.due is not None and p.due > today), key=lambda p: p.due or today)
    period = upcoming[0]
    assert period.due is not None  # periodic reports always have one
    return ReportDue(period, period.due, (period.due - today).days)


def last_closed_period(today: dt.date) -> ReportPeriod:
    """The most recent periodic report whose data period has ended by ``today`` (the one to write now)."""
    candidates = []
    for year in (today.year - 1, today.year):
        candidates += [parse_period(f"{year}-H1"), parse_period(str(year))]
    closed = [p for p in candidates if p.end < today]
    return max(closed, key=lambda p: p.end)


def parse_number(text: str, lang: str = "vi") -> float:
    """Read a number typed by a planner: ``255.5``, ``255,5``, ``1.330,5`` (Vietnamese) or ``1,330.5``.

    A single separator followed by exactly three digits (``2.150``, ``2,150``) is ambiguous — thousands in
    Vietnamese writing, a decimal elsewhere — and is refused rather than guessed. This is
    :func:`geo.numbers.parse_number` in strict mode; ``lang`` only shapes the readings the message offers.

    Raises
    ------
    InputDataError
        When the text is not a number or is ambiguous (then a
        :class:`~geo.numbers.AmbiguousNumberError`, code ``number.ambiguous``).
    """
    return numbers.parse_number(text, lang, strict=True)


# --- targets as typed objects ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure(MeasureSpec):
    """One measurable part of a target (from the ``target_measures`` table), with what the analyses need."""

    @property
    def has_goal(self) -> bool:
        """True when the measure has a target value or a range (else it is an indicator)."""
        return self.target is not None or (self.min_value is not None and self.max_value is not None)

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def unit_label(self, lang: str = "vi") -> str:
        """The unit as the UI and reports write it in ``lang``."""
        return unit_label(self.unit, lang)

    def goal_text(self, lang: str = "vi") -> str:
        """The goal as ``lang`` writes it: ``529``, ``9.500`` (vi) / ``9,500`` (en), ``20–30``, or ``—``."""
        if self.target is not None:
            return _fmt(self.target, lang)
        if self.min_value is not None and self.max_value is not None:
            return f"{_fmt(self.min_value, lang)}–{_fmt(self.max_value, lang)}"
        return "—"


@dataclass(frozen=True)
class Target:
    """A target of the plan with its measures (the first is the headline)."""

    id: str
    number: int
    group: str
    text_vi: str
    text_en: str
    source: str
    responsible: str
    measures: tuple[Measure, ...]
    partners: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    title_vi: str = ""
    title_en: str = ""

    def text(self, lang: str = "vi") -> str:
        """The target as the plan words it (the seed's sentence in Vietnamese)."""
        return self.text_en if lang == "en" else self.text_vi

    def title(self, lang: str = "vi") -> str:
        """A short name for tables and cards (the full text when there is none)."""
        return (self.title_en if lang == "en" else self.title_vi) or self.text(lang)

    @property
    def label(self) -> str:
        """``(7)`` for a numbered target; the others by their seed section: ``(IV.2)`` for the training target."""
        return f"({self.id})" if self.id.isdigit() else f"({self.source or self.id})"

    def measure(self, key: str) -> Measure:
        for m in self.measures:
            if m.key == key:
                return m
        raise InputDataError(
            f"target {self.id} has no measure '{key}'; its measures: {', '.join(m.key for m in self.measures)}",
            code="targets.unknown_measure",
            target=self.id,
            measure=key,
            measures=[m.key for m in self.measures],
        )


def _fmt(value: float, lang: str = "vi") -> str:
    """A figure for display in ``lang``, with at most two decimals (trailing zeros dropped)."""
    return numbers.format_number(round(value, 2), lang)


def _fmt_evidence(value: float) -> str:
    """A figure in an evidence line (English words, shown in both languages): ``1330.5``, never ``1,330.5``.

    No thousands separator and at most two decimals, so a reader of either language cannot take it for
    another number (only a lone separator before exactly three digits is ambiguous), and no comma that
    would run into the commas between the parts of the line.
    """
    return numbers.format_number(round(value, 2), "en", group=False)


class Evidence(str):
    """One line of how a value was obtained: the English text (what JSON and logs carry), with its Vietnamese."""

    vi: str

    def __new__(cls, en: str, vi: str | None = None) -> Evidence:
        line = super().__new__(cls, en)
        line.vi = en if vi is None else vi
        return line

    def text(self, lang: str = "vi") -> str:
        """The line in ``lang``."""
        return self.vi if lang == "vi" else str(self)


def evidence_text(line: str, lang: str = "vi") -> str:
    """An evidence line in ``lang`` (a plain string is the same in both)."""
    return line.text(lang) if isinstance(line, Evidence) else line


@dataclass(frozen=True)
class Names:
    """How the evidence names layers, feature statuses and geometry qualities: (Vietnamese, English) by key.

    The catalogue's titles and labels, given by the caller; a key without a name is written as it is.
    """

    layers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    statuses: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    qualities: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def layer(self, layer_id: str, lang: str) -> str:
        pair = self.layers.get(layer_id)
        return (pair[0] if lang == "vi" else pair[1]) if pair else layer_id

    def status(self, key: str, lang: str) -> str:
        pair = self.statuses.get(key)
        return (pair[0] if lang == "vi" else pair[1]) if pair else key

    def quality(self, key: str, lang: str) -> str:
        pair = self.qualities.get(key)
        return (pair[0] if lang == "vi" else pair[1]) if pair else key


NO_NAMES = Names()


def _when(at: str, lang: str) -> str:
    """A store timestamp as the evidence writes it: dd/mm/yyyy HH:MM in Vietnamese, yyyy-mm-dd HH:MM in English."""
    try:
        moment = dt.datetime.fromisoformat(at)
    except ValueError:
        return at
    return moment.strftime("%d/%m/%Y %H:%M" if lang == "vi" else "%Y-%m-%d %H:%M")


def _who(user: str, lang: str) -> str:
    return "hệ thống" if lang == "vi" and user == "system" else user


def targets_from_frames(targets: pd.DataFrame, measures: pd.DataFrame) -> tuple[Target, ...]:
    """Build :class:`Target` objects from the ``targets`` and ``target_measures`` tables, in number order.

    Raises
    ------
    InputDataError
        When a column is missing or a target has no measure.
    """
    need_t = {"id", "number", "group", "text_vi", "text_en", "source", "responsible", "partners", "layers"}
    need_m = {
        "target_id",
        "key",
        "position",
        "label_vi",
        "label_en",
        "unit",
        "target_value",
        "min_value",
        "max_value",
        "deadline",
        "method",
        "aggregation",
    }
    for name, frame, need in (("targets", targets, need_t), ("target_measures", measures, need_m)):
        missing = need - set(frame.columns)
        if missing:
            raise InputDataError(
                f"table '{name}' lacks column(s) {', '.join(sorted(missing))}; update the project store from the "
                "project data",
                code="store.table_columns",
                table=name,
                columns=sorted(missing),
            )
    by_target: dict[str, list[tuple[int, Measure]]] = {}
    for row in measures.to_dict("records"):
        m = Measure(
            target_id=str(row["target_id"]),
            key=str(row["key"]),
            label_vi=str(row["label_vi"]),
            label_en=str(row["label_en"]),
            unit=str(row["unit"]),
            deadline=dt.date.fromisoformat(str(row["deadline"])[:10]),
            method=str(row["method"]),
            target=_opt_float(row.get("target_value")),
            min_value=_opt_float(row.get("min_value")),
            max_value=_opt_float(row.get("max_value")),
            baseline=_opt_float(row.get("baseline")),
            aggregation=_opt_text(row.get("aggregation")) or "latest",
            derive_kind=_opt_text(row.get("derive_kind")),
            derive_layer=_opt_text(row.get("derive_layer")),
            derive_features=_split(row.get("derive_features")),
            derive_ids=_split(row.get("derive_ids")),
            derive_statuses=_split(row.get("derive_statuses")),
            derive_field=_opt_text(row.get("derive_field")),
            derive_cluster=_opt_text(row.get("derive_cluster")),
            note=_opt_text(row.get("note")) or "",
        )
        by_target.setdefault(m.target_id, []).append((int(row["position"]), m))
    out = []
    for row in targets.to_dict("records"):
        tid = str(row["id"])
        ms = [m for _, m in sorted(by_target.get(tid, []), key=lambda pm: pm[0])]
        if not ms:
            raise InputDataError(
                f"target {tid} has no measures in table 'target_measures'; update the project store from the "
                "project data",
                code="targets.no_measures",
                target=tid,
            )
        out.append(
            Target(
                id=tid,
                number=int(row["number"]),
                group=str(row["group"]),
                text_vi=str(row["text_vi"]),
                text_en=str(row["text_en"]),
                source=str(row["source"]),
                responsible=str(row["responsible"]),
                measures=tuple(ms),
                partners=_split(row.get("partners")),
                layers=_split(row.get("layers")),
                title_vi=_opt_text(row.get("title_vi")) or "",
                title_en=_opt_text(row.get("title_en")) or "",
            )
        )
    return tuple(sorted(out, key=lambda t: t.number))


# --- the status rule ------------------------------------------------------------------------------------


def elapsed_share(as_of: dt.date, *, deadline: dt.date, start: dt.date = PLAN_START) -> float:
    """Share of the period ``start`` → ``deadline`` that has passed on ``as_of`` (0 … 1)."""
    total = (deadline - start).days
    if total <= 0:
        return 1.0
    return min(1.0, max(0.0, (as_of - start).days / total))


def measure_status(
    actual: float | None,
    *,
    deadline: dt.date,
    as_of: dt.date,
    target: float | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    start: dt.date = PLAN_START,
) -> tuple[str, float | None]:
    """Status and progress (% of the target, or of the range's minimum) of one value, by :data:`STATUS_RULES`.

    Returns ``("indicator", None)`` for a measure without a goal and ``("no_data", None)`` without a value.
    """
    is_range = target is None and min_value is not None and max_value is not None
    if target is None and not is_range:
        return "indicator", None
    if actual is None or (isinstance(actual, float) and math.isnan(actual)):
        return "no_data", None
    reference = target if target is not None else min_value
    assert reference is not None
    progress = 100.0 * actual / reference if reference > 0 else (100.0 if actual >= reference else 0.0)
    reached_deadline = as_of >= deadline
    if is_range:
        assert min_value is not None and max_value is not None
        if min_value <= actual <= max_value:
            return "achieved", progress
        if reached_deadline:
            return "missed", progress
        if actual > max_value:
            return "at_risk", progress
    else:
        assert target is not None
        if actual >= target:
            return "achieved", progress
        if reached_deadline:
            return "missed", progress
    share = elapsed_share(as_of, deadline=deadline, start=start)
    return ("on_track" if progress / 100.0 >= share else "at_risk"), progress


def combine_statuses(statuses: Sequence[str]) -> str:
    """The status of a target from its measures' statuses (indicators are ignored), by :data:`STATUS_RULES`."""
    counted = [s for s in statuses if s != "indicator"]
    if not counted:
        return "no_data"
    for worst in ("missed", "at_risk", "no_data"):
        if worst in counted:
            return worst
    return "achieved" if all(s == "achieved" for s in counted) else "on_track"


# --- recorded values ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A measure's value with how it was obtained."""

    value: float | None
    basis: str
    evidence: tuple[str, ...] = ()
    partial: bool = False
    basis_vi: str = ""

    def text(self, lang: str = "vi") -> str:
        """How the value was obtained, in ``lang``."""
        return (self.basis_vi or self.basis) if lang == "vi" else self.basis


def latest_per_period(
    rows: pd.DataFrame, *, as_of: dt.date
) -> tuple[dict[str, tuple[ReportPeriod, dict[str, object]]], list[str]]:
    """For each period ended by ``as_of``, the row recorded last (corrections are appended, never edited).

    Rows are ordered by ``recorded_at`` and then by their position. Returns the rows by period label and the
    notes on rows left out (unparseable periods).
    """
    notes: list[str] = []
    chosen: dict[str, tuple[ReportPeriod, dict[str, object]]] = {}
    stamps: dict[str, tuple[str, int]] = {}
    for order, row in enumerate(rows.to_dict("records")):
        try:
            period = parse_period(str(row["period"]))
        except InputDataError:
            notes.append(
                Evidence(
                    f"left out: '{row['period']}' is not a period",
                    f"bỏ qua: '{row['period']}' không phải một kỳ báo cáo",
                )
            )
            continue
        if period.end > as_of:
            continue
        stamp = (str(_opt_text(row.get("recorded_at")) or ""), order)
        if period.label not in stamps or stamp >= stamps[period.label]:
            stamps[period.label] = stamp
            chosen[period.label] = (period, {str(k): v for k, v in row.items()})
    return chosen, notes


def sum_non_overlapping(
    entries: Collection[tuple[ReportPeriod, dict[str, object]]], *, value_col: str
) -> tuple[float, list[tuple[ReportPeriod, dict[str, object]]], list[str]]:
    """Add the values of periods that do not overlap, longer periods first (a year replaces its half-year).

    Returns the total, the entries added (in time order) and notes on the entries left out.
    """
    chosen: list[tuple[ReportPeriod, dict[str, object]]] = []
    notes: list[str] = []
    for period, row in sorted(entries, key=lambda pr: (-(pr[0].end - pr[0].start).days, pr[0].start)):
        if any(period.overlaps(p) for p, _ in chosen):
            notes.append(
                Evidence(
                    f"not added: {period.label} lies in or overlaps a longer period",
                    f"không cộng: kỳ {period.label} nằm trong hoặc chồng lên một kỳ dài hơn",
                )
            )
            continue
        chosen.append((period, row))
    chosen.sort(key=lambda pr: pr[0].start)
    total = math.fsum(_as_float(r[value_col]) for _, r in chosen)
    return total, chosen, notes


def _as_float(value: object) -> float:
    number = _opt_float(value)
    return 0.0 if number is None else number


def recorded_value(actuals: pd.DataFrame, measure: Measure, *, as_of: dt.date) -> Value:
    """The value of a recorded measure from the ``target_actuals`` rows, using periods ended by ``as_of``.

    For each period the entry recorded last counts (corrections are appended). ``latest`` measures take the
    most recent period (a year before its own half-year); ``sum`` measures add non-overlapping periods, longer
    periods first. Rows in another unit are left out and named in the evidence.
    """
    if actuals.empty:
        return Value(None, "no values recorded", basis_vi="chưa nhập số liệu")
    rows = actuals[
        (actuals["target_id"].astype(str) == measure.target_id) & (actuals["measure"].astype(str) == measure.key)
    ]
    if rows.empty:
        return Value(None, "no values recorded", basis_vi="chưa nhập số liệu")
    units = rows["unit"].map(_opt_text) if "unit" in rows.columns else pd.Series(None, index=rows.index)
    other_unit = units.notna() & (units != measure.unit)
    evidence: list[str] = [
        Evidence(
            f"left out: {p} in '{u}', not '{measure.unit}'",
            f"bỏ qua: kỳ {p} ghi theo đơn vị '{u}', không phải '{measure.unit_label('vi')}'",
        )
        for p, u in zip(rows.loc[other_unit, "period"], units[other_unit], strict=True)
    ]
    latest, notes = latest_per_period(rows[~other_unit], as_of=as_of)
    evidence += notes
    if not latest:
        return Value(
            None,
            f"no values for periods ended by {as_of.isoformat()}",
            tuple(evidence),
            basis_vi=f"chưa có số liệu của kỳ kết thúc trước ngày {as_of.strftime('%d/%m/%Y')}",
        )
    if measure.aggregation == "sum":
        total, chosen, notes = sum_non_overlapping(list(latest.values()), value_col="value")
        evidence += notes + [_evidence(p, r) for p, r in chosen]
        labels = ", ".join(p.label for p, _ in chosen)
        return Value(total, f"sum of {labels}", tuple(evidence), basis_vi=f"cộng các kỳ {labels}")
    period, row = max(latest.values(), key=lambda pr: (pr[0].end, -pr[0].start.toordinal()))
    evidence.append(_evidence(period, row))
    return Value(_as_float(row["value"]), f"period {period.label}", tuple(evidence), basis_vi=f"kỳ {period.label}")


def _evidence(period: ReportPeriod, row: Mapping[str, object]) -> Evidence:
    """``2025: 85 (source: …; entered by: …; at …)``, in both languages."""
    lines = []
    for lang, words_ in (("en", ("source", "entered by", "at")), ("vi", ("nguồn", "người nhập", "lúc"))):
        parts = []
        for key, word in zip(("source", "user", "recorded_at"), words_, strict=True):
            text = _opt_text(row.get(key))
            if text:
                text = _who(text, lang) if key == "user" else _when(text, lang) if key == "recorded_at" else text
                parts.append(f"{word} {text}" if key == "recorded_at" else f"{word}: {text}")
        value = numbers.format_number(round(_as_float(row["value"]), 2), lang, group=False)
        lines.append(f"{period.label}: {value}" + (f" ({' · '.join(parts)})" if parts else ""))
    return Evidence(lines[0], lines[1])


# --- derived values -------------------------------------------------------------------------------------

#: Canonical status keys (layers.catalogue.STATUS_CHOICES) and other spellings accepted for them.
_STATUS_SPELLINGS: dict[str, tuple[str, ...]] = {
    "operating": (
        "operating",
        "operational",
        "in operation",
        "dang hoat dong",
        "hoat dong",
        "dang van hanh",
        "van hanh",
        "da van hanh",
    ),
    "expanding": ("expanding", "mo rong", "dang mo rong"),
    "upgrading": ("upgrading", "nang cap", "dang nang cap"),
    "under_construction": ("under construction", "under_construction", "dang xay dung", "xay dung", "dang thi cong"),
    "planned": ("planned", "theo ke hoach", "quy hoach"),
    "proposed": ("proposed", "de xuat", "de xuat / nghien cuu", "nghien cuu"),
}
_STATUS_KEY: dict[str, str] = {spelling: key for key, spellings in _STATUS_SPELLINGS.items() for spelling in spellings}


def canonical_status(value: object) -> str | None:
    """The canonical status key of a value written in English or Vietnamese, or None."""
    text = _opt_text(value)
    if text is None:
        return None
    return _STATUS_KEY.get(fold(text).replace("_", " ")) or _STATUS_KEY.get(fold(text))


def name_matches(query: str, name: object) -> bool:
    """True when every word of ``query`` is a word of ``name`` (diacritic- and case-insensitive)."""
    text = _opt_text(name)
    if text is None:
        return False
    found = set(words(text))
    return all(w in found for w in words(query))


def derive_value(
    measure: Measure,
    *,
    layers: Mapping[str, gpd.GeoDataFrame],
    plan_only: Collection[str] = (),
    occupancy_pct: float | None = None,
    names: Names = NO_NAMES,
) -> Value:
    """Compute a derived measure from the layers (and, for occupancy, the percentage the caller computed).

    Parameters
    ----------
    measure
        A measure with ``method == "derived"``.
    layers
        Layer frames by id; a layer missing here counts as absent.
    plan_only
        Ids of layers whose current content is still the plan's authored data: they give no value.
    occupancy_pct
        Occupancy of the cluster in % (leased ÷ leasable industrial land), from the occupancy analysis, or
        None when it could not be computed.
    names
        How the Vietnamese wording names layers, statuses and qualities (the catalogue's, from the caller).
    """
    kind = measure.derive_kind
    if kind == "occupancy":
        if occupancy_pct is None or math.isnan(occupancy_pct):
            return Value(
                None,
                "occupancy not computed (no cluster boundary or leased lots)",
                basis_vi="chưa tính được tỷ lệ lấp đầy (chưa có ranh giới cụm hoặc các lô đã thuê)",
            )
        return Value(
            float(occupancy_pct),
            f"occupancy analysis of CCN {measure.derive_cluster or ''}".strip(),
            basis_vi=f"phân tích tỷ lệ lấp đầy CCN {measure.derive_cluster or ''}".strip(),
        )
    layer_id = measure.derive_layer or ""
    title = f"«{names.layer(layer_id, 'vi')}»"
    frame = layers.get(layer_id)
    if frame is None or frame.empty:
        return Value(None, f"layer '{layer_id}' holds no features", basis_vi=f"lớp {title} chưa có đối tượng nào")
    if layer_id in plan_only:
        return Value(
            None,
            f"layer '{layer_id}' holds only the plan's authored features (not results)",
            basis_vi=f"lớp {title} mới chỉ có dữ liệu biên soạn từ văn bản Kế hoạch (chưa phải kết quả)",
        )
    if kind == "feature_count":
        return Value(
            float(len(frame)),
            f"{len(frame)} feature(s) in layer '{layer_id}'",
            basis_vi=f"{len(frame)} đối tượng trong lớp {title}",
        )
    if kind in ("status_count", "status_sum"):
        return _status_value(measure, frame, layer_id, names)
    if kind == "zone_area":
        return _zone_area(measure, frame, layer_id, names)
    raise InputDataError(f"measure '{measure.key}' has the unknown derive kind '{kind}'; see data/targets.yaml")


def _status_value(measure: Measure, frame: gpd.GeoDataFrame, layer_id: str, names: Names) -> Value:
    title = f"«{names.layer(layer_id, 'vi')}»"
    if "status" not in frame.columns or "name" not in frame.columns:
        return Value(
            None,
            f"layer '{layer_id}' has no 'name'/'status' columns",
            basis_vi=f"lớp {title} thiếu trường name/status",
        )
    if measure.derive_field and measure.derive_field not in frame.columns:
        return Value(
            None,
            f"layer '{layer_id}' has no field '{measure.derive_field}'",
            basis_vi=f"lớp {title} thiếu trường {measure.derive_field}",
        )
    wanted = set(measure.derive_statuses)
    found = 0
    total = 0.0
    evidence: list[str] = []
    missing: list[str] = []
    for query in measure.derive_features:
        hits = frame[frame["name"].map(lambda n, q=query: name_matches(q, n))]
        if hits.empty:
            missing.append(query)
            continue
        found += 1
        row = hits.iloc[0]
        status = canonical_status(row["status"])
        counted = status in wanted
        amount = _opt_float(row[measure.derive_field]) if measure.derive_field else None
        if counted:
            total += (amount or 0.0) if measure.derive_field else 1.0
        shown = f", {_fmt_evidence(amount)} {measure.unit}" if amount is not None else ""
        shown_vi = (
            f", {numbers.format_number(round(amount, 2), 'vi', group=False)} {measure.unit_label('vi')}"
            if amount is not None
            else ""
        )
        status_vi = names.status(status, "vi") if status else str(row["status"])
        evidence.append(
            Evidence(
                f"{row['name']}: {status or row['status']}{shown}" + ("" if counted else " (not counted)"),
                f"{row['name']}: {status_vi}{shown_vi}" + ("" if counted else " (không tính)"),
            )
        )
    if found == 0:
        wanted_names = ", ".join(measure.derive_features)
        return Value(
            None, f"none of {wanted_names} is in layer '{layer_id}'", basis_vi=f"lớp {title} không có {wanted_names}"
        )
    if missing:
        evidence.append(
            Evidence(
                f"not in layer '{layer_id}': {', '.join(missing)}", f"không có trong lớp {title}: {', '.join(missing)}"
            )
        )
    what = "sum of " + (measure.derive_field or "") if measure.derive_kind == "status_sum" else "count"
    basis = f"{what} over features with status {', '.join(measure.derive_statuses)} in layer '{layer_id}'"
    what_vi = f"tổng {measure.derive_field}" if measure.derive_kind == "status_sum" else "số đối tượng"
    statuses_vi = ", ".join(names.status(key, "vi") for key in measure.derive_statuses)
    basis_vi = f"{what_vi} có tình trạng {statuses_vi} trong lớp {title}"
    return Value(total, basis, tuple(evidence), partial=bool(missing), basis_vi=basis_vi)


def _zone_area(measure: Measure, frame: gpd.GeoDataFrame, layer_id: str, names: Names) -> Value:
    title = f"«{names.layer(layer_id, 'vi')}»"
    ids = set(measure.derive_ids)
    by_id = pd.Series(False, index=frame.index)
    for col in ("cluster_id", "id"):
        if col in frame.columns:
            by_id |= frame[col].astype(str).isin(ids)
    by_name = (
        frame["name"].map(lambda n: any(name_matches(q, n) for q in measure.derive_features))
        if "name" in frame.columns
        else pd.Series(False, index=frame.index)
    )
    hits = frame[by_id | by_name]
    if hits.empty:
        return Value(
            None,
            f"no boundary of {measure.derive_features[0]} in layer '{layer_id}'",
            basis_vi=f"lớp {title} chưa có ranh giới {measure.derive_features[0]}",
        )
    quality = hits["geom_quality"].astype(str) if "geom_quality" in hits.columns else pd.Series("", index=hits.index)
    measured = hits[quality.isin(MEASURED_QUALITIES)]
    measured = measured[measured.geometry.notna() & ~measured.geometry.is_empty]
    if measured.empty:
        qualities_vi = ", ".join(names.quality(q, "vi") for q in sorted(set(quality)))
        return Value(
            None,
            f"the boundary in layer '{layer_id}' is {', '.join(sorted(set(quality)))}, not surveyed "
            "or digitised; import a measured boundary",
            basis_vi=f"ranh giới trong lớp {title} là {qualities_vi}, không phải đo đạc hay số hóa; "
            "cần nhập ranh giới đo đạc",
        )
    ha = float(area_ha(measured).sum())
    return Value(
        ha,
        f"area of {len(measured)} boundary feature(s) in EPSG:9208",
        tuple(
            Evidence(
                f"{r.get('name', '')} ({r['geom_quality']})",
                f"{r.get('name', '')} ({names.quality(str(r['geom_quality']), 'vi')})",
            )
            for _, r in measured.iterrows()
        ),
        basis_vi=f"diện tích {len(measured)} đối tượng ranh giới, đo trong EPSG:9208",
    )


# --- evaluation -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureResult:
    """A measure's value, progress and status."""

    measure: Measure
    actual: float | None
    progress_pct: float | None
    status: str
    basis: str
    evidence: tuple[str, ...] = ()
    partial: bool = False
    basis_vi: str = ""
    #: the day the status is for (None: no deadline wording)
    as_of: dt.date | None = None

    def text(self, lang: str = "vi") -> str:
        """How the value was obtained, in ``lang``."""
        return (self.basis_vi or self.basis) if lang == "vi" else self.basis

    def deadline_note(self, lang: str = "vi") -> str:
        """``quá hạn (hạn 2025)`` when the measure is missed or has no data after its deadline; else ``""``."""
        if self.as_of is None:
            return ""
        return deadline_note(self.status, deadline=self.measure.deadline, as_of=self.as_of, lang=lang)

    def status_text(self, lang: str = "vi") -> str:
        """The status label with the deadline wording: ``Không đạt — quá hạn (hạn 2025)``."""
        return with_deadline(status_label(self.status, lang), self.deadline_note(lang))


@dataclass(frozen=True)
class TargetResult:
    """A target's status from its measures."""

    target: Target
    status: str
    measures: tuple[MeasureResult, ...]
    as_of: dt.date
    notes: tuple[str, ...] = field(default=())

    @property
    def headline(self) -> MeasureResult:
        return self.measures[0]

    def deadline_note(self, lang: str = "vi") -> str:
        """The deadline wording of a missed or no-data target past the deadline of the measures that make it so."""
        if self.status not in OVERDUE_STATUSES:
            return ""
        late = [mr.measure.deadline for mr in self.measures if mr.status == self.status and mr.deadline_note(lang)]
        return deadline_note(self.status, deadline=max(late), as_of=self.as_of, lang=lang) if late else ""

    def status_text(self, lang: str = "vi") -> str:
        """The status label with the deadline wording (``Chưa có số liệu — quá hạn (hạn 2025)``)."""
        return with_deadline(status_label(self.status, lang), self.deadline_note(lang))


def evaluate_targets(
    targets: Sequence[Target],
    *,
    actuals: pd.DataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    as_of: dt.date,
    plan_only: Collection[str] = (),
    occupancy_pct: float | None = None,
    names: Names = NO_NAMES,
) -> tuple[TargetResult, ...]:
    """Status of every target on ``as_of``, by :data:`STATUS_RULES`.

    ``actuals`` is the ``target_actuals`` table; ``layers`` the layer frames the derived measures need;
    ``plan_only`` the ids of layers that still hold only the plan's authored features; ``occupancy_pct``
    the occupancy of CCN Phố Ràng (%) or None.
    """
    results = []
    for target in targets:
        mres = []
        for m in target.measures:
            if m.method == "derived":
                v = derive_value(m, layers=layers, plan_only=plan_only, occupancy_pct=occupancy_pct, names=names)
            else:
                v = recorded_value(actuals, m, as_of=as_of)
            status, progress = measure_status(
                v.value, deadline=m.deadline, as_of=as_of, target=m.target, min_value=m.min_value, max_value=m.max_value
            )
            mres.append(
                MeasureResult(m, v.value, progress, status, v.basis, v.evidence, v.partial, v.basis_vi, as_of=as_of)
            )
        results.append(TargetResult(target, combine_statuses([r.status for r in mres]), tuple(mres), as_of))
    return tuple(results)


def results_frame(results: Sequence[TargetResult], *, lang: str = "vi") -> pd.DataFrame:
    """One row per measure: target, measure, unit, goal, actual, progress %, status, basis (for tables)."""
    rows = []
    for r in results:
        for n, mr in enumerate(r.measures):
            m = mr.measure
            rows.append(
                {
                    "target_id": r.target.id,
                    "target": r.target.label,
                    "target_text": r.target.text(lang) if n == 0 else "",
                    "target_title": r.target.title(lang) if n == 0 else "",
                    "measure": m.key,
                    "measure_label": m.label(lang),
                    "unit": m.unit,
                    "unit_label": m.unit_label(lang),
                    "goal": m.goal_text(lang),
                    "deadline": m.deadline.isoformat(),
                    "method": m.method,
                    "actual": mr.actual,
                    "progress_pct": None if mr.progress_pct is None else round(mr.progress_pct, 1),
                    "status": mr.status,
                    "status_label": mr.status_text(lang),
                    "deadline_note": mr.deadline_note(lang),
                    "target_status": r.status,
                    "basis": mr.text(lang),
                    "evidence": "; ".join(evidence_text(e, lang) for e in mr.evidence),
                    "responsible": r.target.responsible,
                    "source": r.target.source,
                }
            )
    return pd.DataFrame(rows)


#: Statuses that, after the deadline, are said to be overdue (the others are final or have no goal).
OVERDUE_STATUSES: frozenset[str] = frozenset({"missed", "no_data"})


def deadline_note(status: str, *, deadline: dt.date, as_of: dt.date, lang: str = "vi") -> str:
    """``quá hạn (hạn 2025)`` / ``past its deadline (2025)`` for a missed or no-data measure after its deadline.

    Empty on the deadline day itself (the end-of-term report of 2021–2025 is as of 31/12/2025: its targets are
    due, not late), before it and for achieved measures and indicators. A deadline on 31 December is named by
    its year, any other day as dd/mm/yyyy.
    """
    if status not in OVERDUE_STATUSES or as_of <= deadline:
        return ""
    when = str(deadline.year) if (deadline.month, deadline.day) == (12, 31) else deadline.strftime("%d/%m/%Y")
    return f"past its deadline ({when})" if lang == "en" else f"quá hạn (hạn {when})"


def with_deadline(label: str, note: str) -> str:
    """A status label followed by its deadline wording, when there is one."""
    return f"{label} — {note}" if note else label


def overdue_count(results: Sequence[TargetResult]) -> int:
    """How many targets are missed or without data after their deadline."""
    return sum(1 for r in results if r.deadline_note())


def status_label(status: str, lang: str = "vi") -> str:
    """The label of a status key in ``lang``."""
    pair = STATUS_LABELS.get(status, (status, status))
    return pair[1] if lang == "en" else pair[0]


def status_counts(results: Sequence[TargetResult]) -> dict[str, int]:
    """How many targets have each status (every status key present)."""
    counts = dict.fromkeys(STATUSES, 0)
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def missing_data(results: Sequence[TargetResult], *, lang: str = "vi") -> list[str]:
    """What lacks data: one line per measure without a value, with why and how to provide it."""
    out = []
    for r in results:
        for mr in r.measures:
            if mr.actual is not None:
                continue
            m = mr.measure
            how = (
                ("nhập số liệu thực hiện theo kỳ" if lang == "vi" else "record actuals per period")
                if m.method == "recorded"
                else (f"cập nhật lớp {m.derive_layer}" if lang == "vi" else f"update layer {m.derive_layer}")
                if m.derive_layer
                else ("nhập các lô đã thuê của CCN" if lang == "vi" else "enter the cluster's leased lots")
            )
            out.append(f"{r.target.label} {m.label(lang)}: {mr.text(lang)} — {how}")
    return out


def new_actual_row(
    targets: Sequence[Target],
    *,
    target_id: str,
    period: str,
    value: float,
    measure: str | None = None,
    source: str = "",
    note: str = "",
    recorded_on: dt.date,
) -> pd.DataFrame:
    """One validated row for the append-only ``target_actuals`` table (the store stamps user and time).

    ``measure`` defaults to the target's first recorded measure. Derived measures cannot be entered: they
    come from the layers.

    Raises
    ------
    InputDataError
        Unknown target or measure, a derived measure, a bad period, a negative or non-finite value, a
        milestone other than 0 or 1.
    """
    tid = str(target_id).strip().strip("()")
    found = [t for t in targets if t.id == tid]
    if not found:
        raise InputDataError(
            f"no target '{target_id}'; targets are {', '.join(t.id for t in targets)}",
            code="targets.unknown",
            target=str(target_id),
            targets=[t.id for t in targets],
        )
    target = found[0]
    if measure is None:
        recorded = [m for m in target.measures if m.method == "recorded"]
        if not recorded:
            raise InputDataError(
                f"target {tid} is derived from the map layers ({', '.join(m.key for m in target.measures)}); "
                "update the layers instead of recording a value",
                code="targets.derived",
                target=tid,
                measures=[m.key for m in target.measures],
            )
        m = recorded[0]
    else:
        m = target.measure(measure)
        if m.method != "recorded":
            raise InputDataError(
                f"measure '{m.key}' of target {tid} is derived from layer '{m.derive_layer or 'occupancy'}'; "
                "update that data instead of recording a value",
                code="targets.measure_derived",
                measure=m.key,
                target=tid,
                layer=m.derive_layer or "occupancy",
            )
    p = parse_period(period)
    if value is None or not math.isfinite(float(value)) or float(value) < 0:
        raise InputDataError(
            f"value {value!r} for target {tid} must be a number ≥ 0 in {m.unit}",
            code="targets.bad_value",
            value=numbers.MISSING_TEXT if value is None else float(value),
            target=tid,
            unit=unit_label(m.unit, "en"),
            unit_vi=unit_label(m.unit, "vi"),
        )
    if m.unit == "milestone" and float(value) not in (0.0, 1.0):
        raise InputDataError(
            f"measure '{m.key}' is a milestone: record 1 (done) or 0 (not yet), not {value}",
            code="targets.bad_milestone",
            measure=m.key,
            value=float(value),
        )
    return pd.DataFrame(
        [
            {
                "target_id": tid,
                "measure": m.key,
                "period": p.label,
                "value": float(value),
                "unit": m.unit,
                "recorded_on": recorded_on.isoformat(),
                "source": nfc(source.strip()),
                "note": nfc(note.strip()),
            }
        ]
    )

"""The plan's funding: sums by source, sector and project, disbursements, and a consistency check.

Pure functions over the ``funding_lines`` table (section V as a tree: ``id``, ``parent``, ``amount_bn_vnd``),
the ``project_costs`` table (costs sections II and III attach to projects) and the append-only
``disbursements`` table. All amounts are in bn VND (tỷ đồng).

The consistency check is computed from those tables; it has no finding written into it. It reports

- every line of V whose stated amount differs from the sum of its parts' stated amounts (``parts_sum``);
- every item stated in several places with different amounts (``amounts_differ``);
- every item whose amount is attached to different scopes in different places (``scopes_differ``; only
  where each place lists its scope in full, not ending in "...");
- every enterprise sector line of V smaller than the project costs sections II and III attach to that sector
  (``sector_itemised``): the line cannot hold the projects the plan itself itemises in it. A line larger than
  its itemised projects is no finding (the plan need not itemise everything; see
  :func:`sector_reconciliation`).

Each finding carries both figures, the difference, and explanations computed from the same tables: another
stated figure equal to the difference, a sum over deeper parts that does agree, a parent line that equals
the other figure, a separately stated cost for what one scope has and the other lacks, a project without
which a sector's projects add up to its line, another reading of a cost stated per facility.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.targets import ReportPeriod, latest_per_period, parse_period, sum_non_overlapping
from geo.errors import InputDataError
from geo.numbers import MISSING_TEXT, format_number
from geo.text import nfc

#: Two amounts closer than this (bn VND) are equal; the plan writes at most two decimals.
TOLERANCE_BN = 0.005

SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "central": ("Ngân sách Trung ương", "Central budget"),
    "province": ("Ngân sách tỉnh", "Provincial budget"),
    "district": ("Ngân sách huyện", "District budget"),
    "enterprise": ("Vốn doanh nghiệp tự huy động", "Enterprises' own funds"),
}
SECTOR_LABELS: dict[str, tuple[str, str]] = {
    "ttcn_craft": ("TTCN và làng nghề (khuyến công)", "Small industry and craft villages (promotion fund)"),
    "ccn_infrastructure": ("Hạ tầng cụm công nghiệp", "Industrial-cluster infrastructure"),
    "site_clearance": ("Giải phóng mặt bằng", "Site clearance"),
    "planning": ("Quy hoạch, chuẩn bị đầu tư", "Planning and investment preparation"),
    "mining_materials": ("Khai thác, chế biến khoáng sản, VLXD", "Mining and building materials"),
    "agro_forestry": ("Chế biến nông, lâm nghiệp", "Agro-forestry processing"),
    "power_water": ("Công nghiệp điện, nước", "Power and water"),
}


def fmt_bn(value: float, lang: str = "vi") -> str:
    """An amount in bn VND as the plan writes it: ``5.224,50`` (vi) or ``5,224.50`` (en), two decimals."""
    return format_number(value, lang, decimals=2)


def _label(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE_BN


def _split(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    return tuple(v for v in str(value).split("|") if v)


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


@dataclass(frozen=True)
class Statement:
    """One place where the plan states an amount: a line of V or a project cost of II/III."""

    id: str
    table: str  # "funding_lines" | "project_costs"
    section: str
    label_vi: str
    label_en: str
    amount_bn_vnd: float
    item: str
    scope: tuple[str, ...]
    scope_open: bool
    stated_as: str
    parent: str = ""

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi


@dataclass(frozen=True)
class Finding:
    """A place where the plan's stated figures disagree.

    ``stated`` is the figure the plan gives for the line or the first statement; ``computed`` the sum of
    the parts (``parts_sum``) or the other statement's figure; ``difference`` = ``computed - stated``.
    """

    kind: str  # "parts_sum" | "amounts_differ" | "scopes_differ" | "sector_itemised"
    subject: str  # funding-line id (parts_sum, sector_itemised) or item key
    label_vi: str
    label_en: str
    stated: float
    computed: float
    difference: float
    sections: tuple[str, ...]
    statements: tuple[Statement, ...]
    explanations_vi: tuple[str, ...] = ()
    explanations_en: tuple[str, ...] = ()

    def label(self, lang: str = "vi") -> str:
        return self.label_en if lang == "en" else self.label_vi

    def message(self, lang: str = "vi") -> str:
        """The finding in one paragraph, with both figures and the difference."""
        f = lambda v: fmt_bn(v, lang)  # noqa: E731
        sects = ", ".join(self.sections)
        if self.kind == "parts_sum":
            head = (
                f"{self.label_vi} ({sects}): ghi {f(self.stated)} tỷ đồng, tổng các khoản con {f(self.computed)} "
                f"tỷ đồng, chênh lệch {f(self.difference)} tỷ đồng."
                if lang == "vi"
                else f"{self.label_en} ({sects}): stated {f(self.stated)} bn VND, its parts sum to "
                f"{f(self.computed)} bn VND, difference {f(self.difference)} bn VND."
            )
        elif self.kind == "sector_itemised":
            head = (
                f"{self.label_vi} ({sects}): ghi {f(self.stated)} tỷ đồng, nhưng kinh phí các dự án thuộc lĩnh vực "
                f"này nêu tại mục II, III cộng lại {f(self.computed)} tỷ đồng (hạng mục nêu ở cả hai mục chỉ tính "
                f"một lần), nhiều hơn {f(self.difference)} tỷ đồng."
                if lang == "vi"
                else f"{self.label_en} ({sects}): stated {f(self.stated)} bn VND, but the project costs sections II "
                f"and III give in this sector sum to {f(self.computed)} bn VND (an item stated in both counted "
                f"once), {f(self.difference)} bn VND more."
            )
        elif self.kind == "amounts_differ":
            listing = "; ".join(f"{s.section}: {f(s.amount_bn_vnd)}" for s in self.statements)
            head = (
                f"{self.label_vi}: cùng hạng mục nhưng số khác nhau — {listing} tỷ đồng; chênh lệch "
                f"{f(self.difference)} tỷ đồng."
                if lang == "vi"
                else f"{self.label_en}: the same item with different amounts — {listing} bn VND; difference "
                f"{f(self.difference)} bn VND."
            )
        else:
            listing = "; ".join(f"{s.section}: {', '.join(s.scope)}" for s in self.statements)
            head = (
                f"{self.label_vi}: cùng số {f(self.stated)} tỷ đồng gắn với phạm vi khác nhau — {listing}."
                if lang == "vi"
                else f"{self.label_en}: the same {f(self.stated)} bn VND attached to different scopes — {listing}."
            )
        extra = self.explanations_en if lang == "en" else self.explanations_vi
        return " ".join([head, *extra])


def statements_from_frames(lines: pd.DataFrame, costs: pd.DataFrame) -> tuple[Statement, ...]:
    """Every stated amount of the two tables as a :class:`Statement`."""
    out = []
    for table, frame in (("funding_lines", lines), ("project_costs", costs)):
        for row in frame.to_dict("records"):
            out.append(
                Statement(
                    id=str(row["id"]),
                    table=table,
                    section=str(row["source"]),
                    label_vi=str(row["label_vi"]),
                    label_en=str(row["label_en"]),
                    amount_bn_vnd=float(row["amount_bn_vnd"]),
                    item=_text(row.get("item")),
                    scope=_split(row.get("scope")),
                    scope_open=bool(row.get("scope_open")) if row.get("scope_open") is not pd.NA else False,
                    stated_as=_text(row.get("stated_as")),
                    parent=_text(row.get("parent")),
                )
            )
    return tuple(out)


def _children(lines: pd.DataFrame) -> dict[str, list[str]]:
    kids: dict[str, list[str]] = {}
    for lid, parent in zip(lines["id"].astype(str), lines["parent"].map(_text), strict=True):
        if parent:
            kids.setdefault(parent, []).append(lid)
    return kids


def _bottom_up(line_id: str, amounts: dict[str, float], kids: dict[str, list[str]]) -> float:
    """The amount of a line computed from its deepest parts (its stated amount when it has no parts)."""
    if line_id not in kids:
        return amounts[line_id]
    return math.fsum(_bottom_up(k, amounts, kids) for k in kids[line_id])


def _equal_figures(value: float, statements: Sequence[Statement], exclude: set[str], lang: str) -> list[str]:
    """Other stated figures equal to ``value`` ("equals X (35.00, V.2)")."""
    hits = [s for s in statements if s.id not in exclude and _close(s.amount_bn_vnd, abs(value))]
    return [f"{s.label(lang)} ({fmt_bn(s.amount_bn_vnd, lang)}, {s.section})" for s in hits]


def consistency_check(lines: pd.DataFrame, costs: pd.DataFrame) -> tuple[Finding, ...]:
    """Every place where the plan's stated totals and parts, or its statements of one item, disagree.

    Parameters
    ----------
    lines
        The ``funding_lines`` table (``id``, ``parent``, ``amount_bn_vnd``, ``label_vi``, ``label_en``,
        ``source``, ``item``, ``scope``, ``scope_open``).
    costs
        The ``project_costs`` table (same columns without ``parent``).

    Returns
    -------
    tuple of Finding
        Parts-sum findings first (in the order of the lines), then the cross-section ones by item, then the
        sector lines smaller than their itemised projects (in the order of the lines).
    """
    statements = statements_from_frames(lines, costs)
    by_id = {s.id: s for s in statements}
    amounts = {s.id: s.amount_bn_vnd for s in statements if s.table == "funding_lines"}
    kids = _children(lines)
    findings: list[Finding] = []

    for line in (s for s in statements if s.table == "funding_lines" and s.id in kids):
        parts = [by_id[k] for k in kids[line.id]]
        parts_sum = math.fsum(p.amount_bn_vnd for p in parts)
        if _close(parts_sum, line.amount_bn_vnd):
            continue
        diff = parts_sum - line.amount_bn_vnd
        vi: list[str] = []
        en: list[str] = []
        deep = _bottom_up(line.id, amounts, kids)
        if not _close(deep, parts_sum):
            agrees = _close(deep, line.amount_bn_vnd)
            vi.append(
                f"Nếu cộng từ các khoản chi tiết của từng khoản con thì được {fmt_bn(deep, 'vi')} tỷ đồng"
                + (", khớp với số ghi." if agrees else ".")
            )
            en.append(
                f"Summing each part's own itemised lines instead gives {fmt_bn(deep, 'en')} bn VND"
                + (", which matches the stated figure." if agrees else ".")
            )
        exclude = {line.id}
        for lang, out in (("vi", vi), ("en", en)):
            equal = _equal_figures(diff, statements, exclude, lang)
            if equal:
                out.append(
                    ("Chênh lệch bằng: " if lang == "vi" else "The difference equals: ") + "; ".join(equal) + "."
                )
        findings.append(
            Finding(
                kind="parts_sum",
                subject=line.id,
                label_vi=line.label_vi,
                label_en=line.label_en,
                stated=line.amount_bn_vnd,
                computed=parts_sum,
                difference=diff,
                sections=tuple(dict.fromkeys([line.section, *(p.section for p in parts)])),
                statements=(line, *parts),
                explanations_vi=tuple(vi),
                explanations_en=tuple(en),
            )
        )

    items: dict[str, list[Statement]] = {}
    for s in statements:
        if s.item:
            items.setdefault(s.item, []).append(s)
    for item, group in items.items():
        if len(group) < 2:
            continue
        findings += _amount_finding(item, group, statements, by_id, kids)
        findings += _scope_finding(item, group, statements)
    findings += _sector_findings(lines, costs, statements)
    return tuple(findings)


def _sector_findings(lines: pd.DataFrame, costs: pd.DataFrame, statements: Sequence[Statement]) -> list[Finding]:
    """Enterprise sector lines of V smaller than the project costs of II/III in their sector."""
    by_id = {(s.table, s.id): s for s in statements}
    items = project_items(costs)
    rows = {str(r["id"]): r for r in items.to_dict("records")}
    kids = _children(lines)
    findings: list[Finding] = []
    for row in lines.to_dict("records"):
        lid, sector = str(row["id"]), _text(row.get("sector"))
        if lid in kids or not sector or _text(row.get("funding_source")) != "enterprise":
            continue
        parts = [by_id[("project_costs", i)] for i, r in rows.items() if _text(r.get("sector")) == sector]
        line = by_id[("funding_lines", lid)]
        itemised = math.fsum(p.amount_bn_vnd for p in parts)
        if not parts or itemised <= line.amount_bn_vnd + TOLERANCE_BN:
            continue
        diff = itemised - line.amount_bn_vnd
        vi: list[str] = []
        en: list[str] = []
        for p in parts:
            if _close(p.amount_bn_vnd, diff):
                vi.append(
                    f"Nếu bỏ {p.label_vi} ({fmt_bn(p.amount_bn_vnd, 'vi')}, {p.section}) thì tổng các dự án bằng đúng "
                    f"số ghi {fmt_bn(line.amount_bn_vnd, 'vi')}."
                )
                en.append(
                    f"Without {p.label_en} ({fmt_bn(p.amount_bn_vnd, 'en')}, {p.section}) the projects sum to exactly "
                    f"the stated {fmt_bn(line.amount_bn_vnd, 'en')}."
                )
        exclude = {line.id, *(p.id for p in parts)}
        for p in parts:
            quantity, unit_cost = _number(rows[p.id].get("quantity")), _number(rows[p.id].get("unit_cost_bn_vnd"))
            if quantity is None or unit_cost is None or quantity <= 1:
                continue
            other = itemised - p.amount_bn_vnd + unit_cost
            gap = line.amount_bn_vnd - other
            if _close(gap, 0.0):
                rest_vi, rest_en = ", bằng số ghi.", ", the stated figure."
            else:
                side_vi, side_en = ("ít", "below") if gap > 0 else ("nhiều", "above")
                rest_vi = f", {side_vi} hơn số ghi {fmt_bn(abs(gap), 'vi')} tỷ đồng."
                rest_en = f", {fmt_bn(abs(gap), 'en')} bn VND {side_en} the stated figure."
            vi.append(
                f"Nếu hiểu «{p.stated_as}» ({p.section}) là {fmt_bn(unit_cost, 'vi')} tỷ đồng cho cả "
                f"{int(quantity)} cơ sở, không phải mỗi cơ sở, thì tổng các dự án là {fmt_bn(other, 'vi')} tỷ đồng"
                + rest_vi
            )
            en.append(
                f"Reading '{p.stated_as}' ({p.section}) as {fmt_bn(unit_cost, 'en')} bn VND for the "
                f"{int(quantity)} facilities together rather than each, the projects sum to {fmt_bn(other, 'en')} "
                "bn VND" + rest_en
            )
            # a cost of another sector equal to that gap: the line may count it here
            for o in items.to_dict("records"):
                oid = str(o["id"])
                if _close(gap, 0.0) or oid in exclude or not _close(float(o["amount_bn_vnd"]), abs(gap)):
                    continue
                stmt = by_id[("project_costs", oid)]
                sec = _text(o.get("sector"))
                vi.append(
                    f"{fmt_bn(abs(gap), 'vi')} tỷ đồng bằng đúng kinh phí {stmt.label_vi} ({stmt.section}, lĩnh vực "
                    f"{_label(SECTOR_LABELS.get(sec, (sec, sec)), 'vi')})."
                )
                en.append(
                    f"{fmt_bn(abs(gap), 'en')} bn VND is exactly the cost of {stmt.label_en} ({stmt.section}, sector "
                    f"{_label(SECTOR_LABELS.get(sec, (sec, sec)), 'en')})."
                )
        findings.append(
            Finding(
                kind="sector_itemised",
                subject=line.id,
                label_vi=line.label_vi,
                label_en=line.label_en,
                stated=line.amount_bn_vnd,
                computed=itemised,
                difference=diff,
                sections=tuple(dict.fromkeys([line.section, *(p.section for p in parts)])),
                statements=(line, *parts),
                explanations_vi=tuple(vi),
                explanations_en=tuple(en),
            )
        )
    return findings


def _number(value: object) -> float | None:
    """``value`` as a finite float, or None (None, NA, NaN, text)."""
    if value is None or value is pd.NA or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _amount_finding(
    item: str,
    group: list[Statement],
    statements: Sequence[Statement],
    by_id: dict[str, Statement],
    kids: dict[str, list[str]],
) -> list[Finding]:
    distinct: list[float] = []
    for s in group:
        if not any(_close(s.amount_bn_vnd, d) for d in distinct):
            distinct.append(s.amount_bn_vnd)
    if len(distinct) < 2:
        return []
    first = group[0]
    other = next(s for s in group if not _close(s.amount_bn_vnd, first.amount_bn_vnd))
    diff = other.amount_bn_vnd - first.amount_bn_vnd
    exclude = {s.id for s in group}
    vi: list[str] = []
    en: list[str] = []
    for lang, out in (("vi", vi), ("en", en)):
        equal = _equal_figures(diff, statements, exclude, lang)
        if equal:
            out.append(("Chênh lệch bằng: " if lang == "vi" else "The difference equals: ") + "; ".join(equal) + ".")
    # a line of V whose parent equals another statement's figure: the other places count the siblings
    # inside or beside this item differently
    for s in group:
        parent = by_id.get(s.parent) if s.parent else None
        if parent is None:
            continue
        equal_to = [o for o in group if o is not s and _close(parent.amount_bn_vnd, o.amount_bn_vnd)]
        if not equal_to:
            continue
        where = ", ".join(dict.fromkeys(o.section for o in equal_to))
        siblings = [by_id[k] for k in kids.get(parent.id, []) if k != s.id]
        sib_vi = "; ".join(f"{b.label_vi} ({fmt_bn(b.amount_bn_vnd, 'vi')})" for b in siblings)
        sib_en = "; ".join(f"{b.label_en} ({fmt_bn(b.amount_bn_vnd, 'en')})" for b in siblings)
        vi.append(
            f"Ở {s.section}, khoản này ({fmt_bn(s.amount_bn_vnd, 'vi')}) cùng với {sib_vi} nằm trong "
            f"«{parent.label_vi}» {fmt_bn(parent.amount_bn_vnd, 'vi')} — bằng đúng số {where} ghi cho riêng "
            "hạng mục này."
        )
        en.append(
            f"In {s.section} this item ({fmt_bn(s.amount_bn_vnd, 'en')}) and {sib_en} sit inside "
            f"'{parent.label_en}' {fmt_bn(parent.amount_bn_vnd, 'en')} — the very figure {where} gives for this "
            "item alone."
        )
    # a cost stated beside the item, in a section that gives the other figure, equal to the difference
    other_sections = {o.section for o in group if not _close(o.amount_bn_vnd, first.amount_bn_vnd)}
    for b in statements:
        if b.id in exclude or b.table != "project_costs" or b.section not in other_sections:
            continue
        if _close(b.amount_bn_vnd, abs(diff)):
            vi.append(f"{b.section} ghi riêng {b.label_vi} ({fmt_bn(b.amount_bn_vnd, 'vi')}) bên cạnh hạng mục này.")
            en.append(f"{b.section} states {b.label_en} ({fmt_bn(b.amount_bn_vnd, 'en')}) separately, beside it.")
    return [_item_finding("amounts_differ", item, group, other=other, difference=diff, vi=vi, en=en)]


def _scope_finding(item: str, group: list[Statement], statements: Sequence[Statement]) -> list[Finding]:
    scoped = [s for s in group if s.scope]
    if len(scoped) < 2 or any(s.scope_open for s in scoped):
        return []
    if len({frozenset(s.scope) for s in scoped}) < 2:
        return []
    first = scoped[0]
    other = next(s for s in scoped if frozenset(s.scope) != frozenset(first.scope))
    vi: list[str] = []
    en: list[str] = []
    only_first = [k for k in first.scope if k not in other.scope]
    only_other = [k for k in other.scope if k not in first.scope]
    if set(first.scope) & set(other.scope):
        vi.append(
            f"Chỉ ở {first.section}: {', '.join(only_first) or '—'}; chỉ ở {other.section}: "
            f"{', '.join(only_other) or '—'}."
        )
        en.append(
            f"Only in {first.section}: {', '.join(only_first) or '—'}; only in {other.section}: "
            f"{', '.join(only_other) or '—'}."
        )
    else:
        vi.append("Hai phạm vi không có phần chung.")
        en.append("The two scopes have nothing in common.")
    exclude = {s.id for s in group}
    for key in only_first + only_other:
        for s in statements:
            if s.id in exclude or key not in s.scope:
                continue
            vi.append(f"{s.section} ghi riêng chi phí cho {key}: {s.label_vi} {fmt_bn(s.amount_bn_vnd, 'vi')} tỷ đồng.")
            en.append(
                f"{s.section} states a separate cost for {key}: {s.label_en} {fmt_bn(s.amount_bn_vnd, 'en')} bn VND."
            )
    same_amount = all(_close(s.amount_bn_vnd, first.amount_bn_vnd) for s in scoped)
    diff = 0.0 if same_amount else other.amount_bn_vnd - first.amount_bn_vnd
    return [_item_finding("scopes_differ", item, scoped, other=other, difference=diff, vi=vi, en=en)]


def _item_finding(
    kind: str,
    item: str,
    group: Sequence[Statement],
    *,
    other: Statement,
    difference: float,
    vi: list[str],
    en: list[str],
) -> Finding:
    """A finding on an item stated in several places: the first statement of ``group`` against ``other``."""
    first = group[0]
    return Finding(
        kind=kind,
        subject=item,
        label_vi=first.label_vi,
        label_en=first.label_en,
        stated=first.amount_bn_vnd,
        computed=other.amount_bn_vnd,
        difference=difference,
        sections=tuple(dict.fromkeys(s.section for s in group)),
        statements=tuple(group),
        explanations_vi=tuple(vi),
        explanations_en=tuple(en),
    )


def findings_frame(findings: Sequence[Finding], *, lang: str = "vi") -> pd.DataFrame:
    """The findings as a table: kind, subject, sections, stated, computed, difference, message."""
    return pd.DataFrame(
        [
            {
                "kind": f.kind,
                "subject": f.subject,
                "label": f.label(lang),
                "sections": ", ".join(f.sections),
                "stated_bn_vnd": f.stated,
                "computed_bn_vnd": f.computed,
                "difference_bn_vnd": f.difference,
                "message": f.message(lang),
            }
            for f in findings
        ],
        columns=[
            "kind",
            "subject",
            "label",
            "sections",
            "stated_bn_vnd",
            "computed_bn_vnd",
            "difference_bn_vnd",
            "message",
        ],
    )


# --- sums -----------------------------------------------------------------------------------------------


def by_source(lines: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """The four sources of V: stated amount, the sum of their parts, and their share of the stated total."""
    kids = _children(lines)
    amounts = dict(zip(lines["id"].astype(str), lines["amount_bn_vnd"].astype(float), strict=True))
    parent = dict(zip(lines["id"].astype(str), lines["parent"].map(_text), strict=True))
    total_id = next(i for i, p in parent.items() if not p)
    rows = []
    for lid in kids.get(total_id, []):
        src = _text(lines.loc[lines["id"] == lid, "funding_source"].iloc[0])
        parts = math.fsum(amounts[k] for k in kids.get(lid, [])) if lid in kids else amounts[lid]
        rows.append(
            {
                "funding_source": src,
                "label": _label(SOURCE_LABELS.get(src, (src, src)), lang),
                "stated_bn_vnd": amounts[lid],
                "parts_bn_vnd": parts,
                "share_of_total_pct": 100.0 * amounts[lid] / amounts[total_id] if amounts[total_id] else math.nan,
            }
        )
    return pd.DataFrame(
        rows, columns=["funding_source", "label", "stated_bn_vnd", "parts_bn_vnd", "share_of_total_pct"]
    )


def by_sector(lines: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """Sums of the itemised lines of V (lines without parts) by sector and source."""
    kids = _children(lines)
    leaves = lines[~lines["id"].astype(str).isin(kids.keys()) & (lines["sector"].map(_text) != "")]
    grouped = leaves.groupby(["sector", "funding_source"], sort=False)["amount_bn_vnd"].sum().reset_index()
    grouped["label"] = grouped["sector"].map(lambda s: _label(SECTOR_LABELS.get(s, (s, s)), lang))
    grouped = grouped.rename(columns={"amount_bn_vnd": "amount_bn_vnd"})
    return grouped[["sector", "label", "funding_source", "amount_bn_vnd"]]


def project_items(costs: pd.DataFrame) -> pd.DataFrame:
    """The project costs with one row per item: an item stated in both II and III counts once, as in III.

    Rows without an item stand for themselves.
    """
    frame = costs.copy()
    frame["_key"] = [i if _text(i) else f"_{c}" for i, c in zip(frame["item"].map(_text), frame["id"], strict=True)]
    frame["_rank"] = frame["source"].astype(str).str.startswith("III").map({True: 0, False: 1})
    # items attached to different scopes (findings) keep one row per scope
    frame["_scope"] = frame["scope"].map(_text)
    frame = frame.sort_values(["_key", "_rank"], kind="stable")
    out = frame.drop_duplicates(["_key"], keep="first")
    return out.drop(columns=["_key", "_rank", "_scope"]).reset_index(drop=True)


def by_project(costs: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """Every project cost the plan itemises, largest first, with its section."""
    label = "label_en" if lang == "en" else "label_vi"
    frame = costs[["id", label, "sector", "amount_bn_vnd", "source", "stated_as"]].rename(columns={label: "label"})
    return frame.sort_values("amount_bn_vnd", ascending=False, kind="stable").reset_index(drop=True)


def sector_reconciliation(lines: pd.DataFrame, costs: pd.DataFrame, *, lang: str = "vi") -> pd.DataFrame:
    """Each enterprise sector line of V beside the project costs of II/III in that sector.

    The plan does not say which projects make up a sector line, so a line larger than its itemised projects
    is not an inconsistency: ``not_itemised_bn_vnd`` shows how much of it the plan leaves unitemised. A line
    smaller than them cannot hold the projects the plan itself puts in the sector: ``finding`` is True, and
    :func:`consistency_check` reports it (kind ``sector_itemised``). An item stated in II and III counts once
    (as in III).
    """
    items = project_items(costs)
    sums = items.groupby("sector")["amount_bn_vnd"].sum()
    names = items.groupby("sector")["id"].agg(lambda ids: ", ".join(ids))
    kids = _children(lines)
    leaves = lines[~lines["id"].astype(str).isin(kids.keys()) & (lines["funding_source"].map(_text) == "enterprise")]
    rows = []
    for row in leaves.to_dict("records"):
        sector = _text(row["sector"])
        itemised = float(sums.get(sector, 0.0))
        rows.append(
            {
                "sector": sector,
                "label": _label(SECTOR_LABELS.get(sector, (sector, sector)), lang),
                "line_bn_vnd": float(row["amount_bn_vnd"]),
                "itemised_bn_vnd": itemised,
                "not_itemised_bn_vnd": float(row["amount_bn_vnd"]) - itemised,
                "projects": names.get(sector, ""),
                "finding": itemised > float(row["amount_bn_vnd"]) + TOLERANCE_BN,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["sector", "label", "line_bn_vnd", "itemised_bn_vnd", "not_itemised_bn_vnd", "projects", "finding"],
    )


# --- disbursements --------------------------------------------------------------------------------------


def disbursement_summary(
    disbursements: pd.DataFrame,
    lines: pd.DataFrame,
    costs: pd.DataFrame,
    *,
    as_of: dt.date,
    lang: str = "vi",
) -> pd.DataFrame:
    """Disbursed amounts per funding line or project up to ``as_of``, beside the planned amount.

    For each (line, period) the entry recorded last counts; periods that overlap are not added twice (a year
    replaces its half-year). One row per line or project that has disbursements.
    """
    columns = ["line_id", "label", "planned_bn_vnd", "disbursed_bn_vnd", "disbursed_pct", "periods"]
    if disbursements.empty:
        return pd.DataFrame(columns=columns)
    planned = {s.id: s for s in statements_from_frames(lines, costs)}
    rows = []
    for line_id, group in disbursements.groupby(disbursements["line_id"].astype(str), sort=True):
        latest, _ = latest_per_period(group, as_of=as_of)
        if not latest:
            continue
        total, chosen, _ = sum_non_overlapping(list(latest.values()), value_col="amount_bn_vnd")
        s = planned.get(str(line_id))
        plan = s.amount_bn_vnd if s else math.nan
        rows.append(
            {
                "line_id": line_id,
                "label": s.label(lang) if s else str(line_id),
                "planned_bn_vnd": plan,
                "disbursed_bn_vnd": total,
                "disbursed_pct": 100.0 * total / plan if s and plan else math.nan,
                "periods": ", ".join(p.label for p, _ in chosen),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def disbursements_by_period(disbursements: pd.DataFrame, *, as_of: dt.date) -> pd.DataFrame:
    """Disbursed amount per period (all lines), the entry recorded last per (line, period) counting."""
    if disbursements.empty:
        return pd.DataFrame(columns=["period", "amount_bn_vnd"])
    totals: dict[str, float] = {}
    starts: dict[str, dt.date] = {}
    for _, group in disbursements.groupby(disbursements["line_id"].astype(str), sort=True):
        latest, _ = latest_per_period(group, as_of=as_of)
        for label, (period, row) in latest.items():
            totals[label] = totals.get(label, 0.0) + float(row["amount_bn_vnd"])  # type: ignore[arg-type]
            starts[label] = period.start
    order = sorted(totals, key=lambda k: starts[k])
    return pd.DataFrame({"period": order, "amount_bn_vnd": [totals[k] for k in order]})


def new_disbursement_row(
    lines: pd.DataFrame,
    costs: pd.DataFrame,
    *,
    line_id: str,
    period: str,
    amount_bn_vnd: float,
    source: str = "",
    note: str = "",
    recorded_on: dt.date,
) -> pd.DataFrame:
    """One validated row for the append-only ``disbursements`` table (the store stamps user and time).

    Raises
    ------
    InputDataError
        Unknown line or project, a bad period, a negative or non-finite amount.
    """
    known = {s.id for s in statements_from_frames(lines, costs)}
    if line_id not in known:
        raise InputDataError(
            f"no funding line or project cost '{line_id}'; choose one of the funding lines or project costs "
            "of the budget check",
            code="funding.unknown_line",
            line=line_id,
            known=sorted(known),
        )
    p: ReportPeriod = parse_period(period)
    if amount_bn_vnd is None or not math.isfinite(float(amount_bn_vnd)) or float(amount_bn_vnd) < 0:
        raise InputDataError(
            f"amount {amount_bn_vnd!r} must be a number ≥ 0 in bn VND (tỷ đồng)",
            code="funding.bad_amount",
            value=MISSING_TEXT if amount_bn_vnd is None else float(amount_bn_vnd),
        )
    return pd.DataFrame(
        [
            {
                "line_id": line_id,
                "period": p.label,
                "amount_bn_vnd": float(amount_bn_vnd),
                "recorded_on": recorded_on.isoformat(),
                "source": nfc(source.strip()),
                "note": nfc(note.strip()),
            }
        ]
    )

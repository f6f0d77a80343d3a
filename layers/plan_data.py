"""The plan's targets and funding as authored in ``data/targets.yaml`` and ``data/funding.yaml``.

The YAML files are read into typed, validated objects (:class:`TargetSpec`, :class:`MeasureSpec`,
:class:`FundingLine`, :class:`ProjectCost`); :func:`load_tables` flattens them into the plain tables the
store holds (``targets``, ``target_measures``, ``funding_lines``, ``project_costs``) and adds the empty
append-only tables planners fill (``target_actuals``, ``disbursements``). Every problem found in a file is
collected and reported at once, naming the file and the entry.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from geo.errors import DataSourceError, InputDataError
from geo.text import nfc
from layers.model import MeasureSpec

TARGETS_FILE = "targets.yaml"
FUNDING_FILE = "funding.yaml"

METHODS: tuple[str, ...] = ("recorded", "derived")
AGGREGATIONS: tuple[str, ...] = ("latest", "sum")
#: How a derived measure is computed (see analysis.targets.derive_measure).
DERIVE_KINDS: tuple[str, ...] = ("feature_count", "status_count", "status_sum", "zone_area", "occupancy")
FUNDING_SOURCES: tuple[str, ...] = ("central", "province", "district", "enterprise")
SECTORS: tuple[str, ...] = (
    "ttcn_craft",
    "ccn_infrastructure",
    "site_clearance",
    "planning",
    "mining_materials",
    "agro_forestry",
    "power_water",
)

#: Separator of list values kept in one text column of a table.
LIST_SEP = "|"

#: Columns (and dtypes) of the append-only table of recorded target values. ``user`` and ``recorded_at``
#: are stamped by the store on every append.
ACTUALS_COLUMNS: dict[str, str] = {
    "target_id": "str",
    "measure": "str",
    "period": "str",
    "value": "float64",
    "unit": "str",
    "recorded_on": "str",
    "source": "str",
    "note": "str",
    "user": "str",
    "recorded_at": "str",
}

#: Columns of the append-only table of disbursed amounts (bn VND) per funding line or project and period.
DISBURSEMENT_COLUMNS: dict[str, str] = {
    "line_id": "str",
    "period": "str",
    "amount_bn_vnd": "float64",
    "recorded_on": "str",
    "source": "str",
    "note": "str",
    "user": "str",
    "recorded_at": "str",
}


@dataclass(frozen=True)
class TargetSpec:
    """One target of the plan (II.(1)-(13) and the training target of IV.2)."""

    id: str
    number: int
    group: str
    title_vi: str
    title_en: str
    text_vi: str
    text_en: str
    source: str
    responsible: str
    measures: tuple[MeasureSpec, ...]
    partners: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()

    @property
    def method(self) -> str:
        """How the headline measure is measured: recorded or derived."""
        return self.measures[0].method


@dataclass(frozen=True)
class FundingLine:
    """A line of section V (a source of funds, or a part of one)."""

    id: str
    parent: str | None
    label_vi: str
    label_en: str
    amount_bn_vnd: float
    source: str
    stated_as: str
    funding_source: str | None = None
    sector: str | None = None
    item: str | None = None
    scope: tuple[str, ...] = ()
    scope_open: bool = False
    approximate: bool = False


@dataclass(frozen=True)
class ProjectCost:
    """A cost that sections II or III attach to a project."""

    id: str
    label_vi: str
    label_en: str
    amount_bn_vnd: float
    source: str
    stated_as: str
    sector: str | None = None
    item: str | None = None
    scope: tuple[str, ...] = ()
    scope_open: bool = False
    quantity: float | None = None
    unit_cost_bn_vnd: float | None = None
    approximate: bool = False
    target: str | None = None
    layer: str | None = None
    feature: str | None = None
    note: str = ""


class _Problems:
    """Collects the problems of one file and raises them together."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, problem: str) -> None:
        self.items.append(f"{where}: {problem}")

    def raise_if_any(self) -> None:
        if self.items:
            listing = "; ".join(self.items)
            raise InputDataError(
                f"`{self.path.name}` has {len(self.items)} problem(s): {listing}. Fix the entries in {self.path}"
            )


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataSourceError(f"`{path}` is missing; the plan's data files belong in the project's data/ folder")
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputDataError(f"`{path.name}` is not valid YAML ({exc}); fix the file {path}") from exc
    except UnicodeDecodeError as exc:
        raise InputDataError(f"`{path.name}` is not UTF-8 text; save it as UTF-8") from exc
    if not isinstance(content, dict):
        raise InputDataError(f"`{path.name}` must hold a mapping at the top level; see the comments in the file")
    return content


def _text(entry: Mapping[str, Any], key: str, where: str, problems: _Problems, *, required: bool = True) -> str:
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.add(where, f"'{key}' is missing")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.add(where, f"'{key}' must be text, not {type(value).__name__}")
        return ""
    return nfc(str(value).strip())


def _number(
    entry: Mapping[str, Any],
    key: str,
    where: str,
    problems: _Problems,
    *,
    required: bool = False,
    positive: bool = True,
) -> float | None:
    value = entry.get(key)
    if value is None:
        if required:
            problems.add(where, f"'{key}' is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.add(where, f"'{key}' must be a number, not {value!r}")
        return None
    if positive and value < 0:
        problems.add(where, f"'{key}' must not be negative ({value})")
        return None
    return float(value)


def _str_list(entry: Mapping[str, Any], key: str, where: str, problems: _Problems) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(where, f"'{key}' must be a list of texts")
        return ()
    bad = [v for v in value if LIST_SEP in v]
    if bad:
        problems.add(where, f"'{key}' values must not contain '{LIST_SEP}': {bad}")
    return tuple(nfc(v.strip()) for v in value)


def _date(entry: Mapping[str, Any], key: str, where: str, problems: _Problems) -> dt.date | None:
    value = entry.get(key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(where, f"'{key}' must be a date YYYY-MM-DD, not {value!r}")
    return None


def _measure(target_id: str, raw: Any, where: str, problems: _Problems) -> MeasureSpec | None:
    if not isinstance(raw, dict):
        problems.add(where, "a measure must be a mapping")
        return None
    key = _text(raw, "key", where, problems)
    where = f"{where} '{key}'" if key else where
    method = _text(raw, "method", where, problems)
    if method and method not in METHODS:
        problems.add(where, f"method '{method}' is not one of {', '.join(METHODS)}")
    aggregation = _text(raw, "aggregation", where, problems, required=False) or "latest"
    if aggregation not in AGGREGATIONS:
        problems.add(where, f"aggregation '{aggregation}' is not one of {', '.join(AGGREGATIONS)}")
    target = _number(raw, "target", where, problems)
    lo = _number(raw, "min", where, problems)
    hi = _number(raw, "max", where, problems)
    if target is not None and (lo is not None or hi is not None):
        problems.add(where, "give either 'target' or 'min'/'max', not both")
    if (lo is None) != (hi is None):
        problems.add(where, "a range needs both 'min' and 'max'")
    if lo is not None and hi is not None and lo > hi:
        problems.add(where, f"'min' ({lo}) is larger than 'max' ({hi})")
    deadline = _date(raw, "deadline", where, problems)
    derive = raw.get("derive")
    kind = layer = fld = cluster = None
    features: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    if method == "derived":
        if not isinstance(derive, dict):
            problems.add(where, "a derived measure needs a 'derive' mapping")
        else:
            kind = _text(derive, "kind", where, problems)
            if kind and kind not in DERIVE_KINDS:
                problems.add(where, f"derive kind '{kind}' is not one of {', '.join(DERIVE_KINDS)}")
            layer = _text(derive, "layer", where, problems, required=kind != "occupancy") or None
            features = _str_list(derive, "features", where, problems)
            ids = _str_list(derive, "ids", where, problems)
            statuses = _str_list(derive, "statuses", where, problems)
            fld = _text(derive, "field", where, problems, required=kind == "status_sum") or None
            cluster = _text(derive, "cluster", where, problems, required=kind == "occupancy") or None
            if kind in ("status_count", "status_sum", "zone_area") and not features:
                problems.add(where, f"derive kind '{kind}' needs 'features' (names to look for)")
            if kind in ("status_count", "status_sum") and not statuses:
                problems.add(where, f"derive kind '{kind}' needs 'statuses'")
    elif derive is not None:
        problems.add(where, "only a derived measure has 'derive'")
    label_vi = _text(raw, "label_vi", where, problems)
    label_en = _text(raw, "label_en", where, problems)
    unit = _text(raw, "unit", where, problems)
    if deadline is None or not key or method not in METHODS:
        return None
    return MeasureSpec(
        target_id=target_id,
        key=key,
        label_vi=label_vi,
        label_en=label_en,
        unit=unit,
        deadline=deadline,
        method=method,
        target=target,
        min_value=lo,
        max_value=hi,
        baseline=_number(raw, "baseline", where, problems),
        aggregation=aggregation,
        derive_kind=kind,
        derive_layer=layer,
        derive_features=features,
        derive_ids=ids,
        derive_statuses=statuses,
        derive_field=fld,
        derive_cluster=cluster,
        note=_text(raw, "note", where, problems, required=False),
    )


def load_targets(data_dir: Path) -> tuple[TargetSpec, ...]:
    """Read and validate ``targets.yaml``.

    Raises
    ------
    InputDataError
        Naming the file and every entry that is wrong.
    DataSourceError
        When the file is missing.
    """
    path = Path(data_dir) / TARGETS_FILE
    raw = _read_yaml(path)
    problems = _Problems(path)
    default_responsible = nfc(str(raw.get("responsible_default") or ""))
    entries = raw.get("targets")
    if not isinstance(entries, list) or not entries:
        problems.add("targets", "must be a non-empty list")
        problems.raise_if_any()
    out: list[TargetSpec] = []
    seen_ids: set[str] = set()
    seen_numbers: set[int] = set()
    for n, entry in enumerate(entries or []):
        where = f"target #{n + 1}"
        if not isinstance(entry, dict):
            problems.add(where, "must be a mapping")
            continue
        tid = _text(entry, "id", where, problems)
        where = f"target '{tid}'" if tid else where
        if tid in seen_ids:
            problems.add(where, "duplicate id")
        seen_ids.add(tid)
        number = entry.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.add(where, f"'number' must be a positive integer, not {number!r}")
            number = 0
        elif number in seen_numbers:
            problems.add(where, f"duplicate number {number}")
        seen_numbers.add(number)
        raw_measures = entry.get("measures")
        measures: list[MeasureSpec] = []
        if not isinstance(raw_measures, list) or not raw_measures:
            problems.add(where, "'measures' must be a non-empty list")
        else:
            keys: set[str] = set()
            for m, raw_measure in enumerate(raw_measures):
                spec = _measure(tid, raw_measure, f"{where} measure #{m + 1}", problems)
                if spec is None:
                    continue
                if spec.key in keys:
                    problems.add(where, f"duplicate measure key '{spec.key}'")
                keys.add(spec.key)
                measures.append(spec)
        spec_t = TargetSpec(
            id=tid,
            number=number,
            group=_text(entry, "group", where, problems),
            title_vi=_text(entry, "title_vi", where, problems),
            title_en=_text(entry, "title_en", where, problems),
            text_vi=_text(entry, "text_vi", where, problems),
            text_en=_text(entry, "text_en", where, problems),
            source=_text(entry, "source", where, problems),
            responsible=_text(entry, "responsible", where, problems, required=False) or default_responsible,
            measures=tuple(measures),
            partners=_str_list(entry, "partners", where, problems),
            layers=_str_list(entry, "layers", where, problems),
        )
        if not spec_t.responsible:
            problems.add(where, "no 'responsible' office and no 'responsible_default'")
        if measures:
            out.append(spec_t)
    problems.raise_if_any()
    return tuple(out)


def _funding_common(entry: Mapping[str, Any], where: str, problems: _Problems) -> dict[str, Any]:
    sector = _text(entry, "sector", where, problems, required=False) or None
    if sector is not None and sector not in SECTORS:
        problems.add(where, f"sector '{sector}' is not one of {', '.join(SECTORS)}")
    scope_open = entry.get("scope_open", False)
    approximate = entry.get("approximate", False)
    for key, value in (("scope_open", scope_open), ("approximate", approximate)):
        if not isinstance(value, bool):
            problems.add(where, f"'{key}' must be true or false")
    return {
        "label_vi": _text(entry, "label_vi", where, problems),
        "label_en": _text(entry, "label_en", where, problems),
        "amount_bn_vnd": _number(entry, "amount_bn_vnd", where, problems, required=True),
        "source": _text(entry, "source", where, problems),
        "stated_as": _text(entry, "stated_as", where, problems),
        "sector": sector,
        "item": _text(entry, "item", where, problems, required=False) or None,
        "scope": _str_list(entry, "scope", where, problems),
        "scope_open": bool(scope_open),
        "approximate": bool(approximate),
    }


def load_funding(data_dir: Path) -> tuple[tuple[FundingLine, ...], tuple[ProjectCost, ...]]:
    """Read and validate ``funding.yaml``: the stated total and lines of V, and the project costs of II/III.

    The stated total is returned as the line with id ``total`` and no parent.

    Raises
    ------
    InputDataError
        Naming the file and every entry that is wrong (unknown parent, duplicate id, bad amount, ...).
    DataSourceError
        When the file is missing.
    """
    path = Path(data_dir) / FUNDING_FILE
    raw = _read_yaml(path)
    problems = _Problems(path)
    lines: list[FundingLine] = []
    total = raw.get("total")
    entries: list[tuple[str, Any]] = [("total", total)]
    raw_lines = raw.get("funding_lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        problems.add("funding_lines", "must be a non-empty list")
        raw_lines = []
    entries += [(f"funding line #{n + 1}", e) for n, e in enumerate(raw_lines)]
    ids: set[str] = set()
    for where, entry in entries:
        if not isinstance(entry, dict):
            problems.add(where, "must be a mapping")
            continue
        lid = _text(entry, "id", where, problems)
        where = f"funding line '{lid}'" if lid else where
        if lid in ids:
            problems.add(where, "duplicate id")
        ids.add(lid)
        parent = _text(entry, "parent", where, problems, required=where != "funding line 'total'") or None
        funding_source = _text(entry, "funding_source", where, problems, required=parent is not None) or None
        if funding_source is not None and funding_source not in FUNDING_SOURCES:
            problems.add(where, f"funding_source '{funding_source}' is not one of {', '.join(FUNDING_SOURCES)}")
        common = _funding_common(entry, where, problems)
        if common["amount_bn_vnd"] is None:
            continue
        lines.append(FundingLine(id=lid, parent=parent, funding_source=funding_source, **common))
    roots = [ln for ln in lines if ln.parent is None]
    if len(roots) != 1 or (roots and roots[0].id != "total"):
        problems.add("total", "exactly one line without a parent, the stated total with id 'total', is expected")
    by_id = {ln.id: ln for ln in lines}
    for ln in lines:
        if ln.parent is not None and ln.parent not in by_id:
            problems.add(f"funding line '{ln.id}'", f"parent '{ln.parent}' is not a funding line")
        seen = {ln.id}
        up = ln.parent
        while up is not None and up in by_id:
            if up in seen:
                problems.add(f"funding line '{ln.id}'", "its parents form a cycle")
                break
            seen.add(up)
            up = by_id[up].parent

    costs: list[ProjectCost] = []
    raw_costs = raw.get("project_costs")
    if not isinstance(raw_costs, list):
        problems.add("project_costs", "must be a list")
        raw_costs = []
    cost_ids: set[str] = set()
    for n, entry in enumerate(raw_costs):
        where = f"project cost #{n + 1}"
        if not isinstance(entry, dict):
            problems.add(where, "must be a mapping")
            continue
        cid = _text(entry, "id", where, problems)
        where = f"project cost '{cid}'" if cid else where
        if cid in cost_ids or cid in ids:
            problems.add(where, "duplicate id (ids are shared by funding lines and project costs)")
        cost_ids.add(cid)
        common = _funding_common(entry, where, problems)
        quantity = _number(entry, "quantity", where, problems)
        unit_cost = _number(entry, "unit_cost_bn_vnd", where, problems)
        amount = common["amount_bn_vnd"]
        if (quantity is None) != (unit_cost is None):
            problems.add(where, "'quantity' and 'unit_cost_bn_vnd' go together")
        elif (
            quantity is not None
            and unit_cost is not None
            and amount is not None
            and not math.isclose(quantity * unit_cost, amount, abs_tol=1e-9)
        ):
            problems.add(where, f"quantity x unit cost = {quantity * unit_cost:g}, not amount {amount:g}")
        if amount is None:
            continue
        costs.append(
            ProjectCost(
                id=cid,
                quantity=quantity,
                unit_cost_bn_vnd=unit_cost,
                target=_text(entry, "target", where, problems, required=False) or None,
                layer=_text(entry, "layer", where, problems, required=False) or None,
                feature=_text(entry, "feature", where, problems, required=False) or None,
                note=_text(entry, "note", where, problems, required=False),
                **common,
            )
        )
    problems.raise_if_any()
    return tuple(lines), tuple(costs)


def _join(values: tuple[str, ...]) -> str:
    return LIST_SEP.join(values)


def _frame(rows: list[dict[str, Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(dtypes))
    return frame.astype({c: ("object" if d == "str" else d) for c, d in dtypes.items()})


def empty_actuals() -> pd.DataFrame:
    """The empty ``target_actuals`` table with its columns."""
    return _frame([], ACTUALS_COLUMNS)


def empty_disbursements() -> pd.DataFrame:
    """The empty ``disbursements`` table with its columns."""
    return _frame([], DISBURSEMENT_COLUMNS)


_TARGET_COLUMNS: dict[str, str] = {
    "id": "str",
    "number": "int64",
    "group": "str",
    "title_vi": "str",
    "title_en": "str",
    "text_vi": "str",
    "text_en": "str",
    "source": "str",
    "responsible": "str",
    "partners": "str",
    "layers": "str",
    "method": "str",
    "measure_count": "int64",
}
_MEASURE_COLUMNS: dict[str, str] = {
    "target_id": "str",
    "key": "str",
    "position": "int64",
    "label_vi": "str",
    "label_en": "str",
    "unit": "str",
    "target_value": "float64",
    "min_value": "float64",
    "max_value": "float64",
    "baseline": "float64",
    "deadline": "str",
    "method": "str",
    "aggregation": "str",
    "derive_kind": "str",
    "derive_layer": "str",
    "derive_features": "str",
    "derive_ids": "str",
    "derive_statuses": "str",
    "derive_field": "str",
    "derive_cluster": "str",
    "note": "str",
    "source": "str",
}
_LINE_COLUMNS: dict[str, str] = {
    "id": "str",
    "parent": "str",
    "level": "int64",
    "funding_source": "str",
    "sector": "str",
    "item": "str",
    "scope": "str",
    "scope_open": "bool",
    "label_vi": "str",
    "label_en": "str",
    "amount_bn_vnd": "float64",
    "approximate": "bool",
    "stated_as": "str",
    "source": "str",
}
_COST_COLUMNS: dict[str, str] = {
    "id": "str",
    "sector": "str",
    "item": "str",
    "scope": "str",
    "scope_open": "bool",
    "label_vi": "str",
    "label_en": "str",
    "amount_bn_vnd": "float64",
    "quantity": "float64",
    "unit_cost_bn_vnd": "float64",
    "approximate": "bool",
    "stated_as": "str",
    "source": "str",
    "target_id": "str",
    "layer": "str",
    "feature": "str",
    "note": "str",
}


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def targets_frames(targets: tuple[TargetSpec, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``targets`` and ``target_measures`` tables of validated targets."""
    t_rows = []
    m_rows = []
    for t in targets:
        t_rows.append(
            {
                "id": t.id,
                "number": t.number,
                "group": t.group,
                "title_vi": t.title_vi,
                "title_en": t.title_en,
                "text_vi": t.text_vi,
                "text_en": t.text_en,
                "source": t.source,
                "responsible": t.responsible,
                "partners": _join(t.partners),
                "layers": _join(t.layers),
                "method": t.method,
                "measure_count": len(t.measures),
            }
        )
        for pos, m in enumerate(t.measures):
            m_rows.append(
                {
                    "target_id": t.id,
                    "key": m.key,
                    "position": pos,
                    "label_vi": m.label_vi,
                    "label_en": m.label_en,
                    "unit": m.unit,
                    "target_value": _nan(m.target),
                    "min_value": _nan(m.min_value),
                    "max_value": _nan(m.max_value),
                    "baseline": _nan(m.baseline),
                    "deadline": m.deadline.isoformat(),
                    "method": m.method,
                    "aggregation": m.aggregation,
                    "derive_kind": m.derive_kind or "",
                    "derive_layer": m.derive_layer or "",
                    "derive_features": _join(m.derive_features),
                    "derive_ids": _join(m.derive_ids),
                    "derive_statuses": _join(m.derive_statuses),
                    "derive_field": m.derive_field or "",
                    "derive_cluster": m.derive_cluster or "",
                    "note": m.note,
                    "source": t.source,
                }
            )
    return _frame(t_rows, _TARGET_COLUMNS), _frame(m_rows, _MEASURE_COLUMNS)


def funding_frames(lines: tuple[FundingLine, ...], costs: tuple[ProjectCost, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``funding_lines`` and ``project_costs`` tables."""
    by_id = {ln.id: ln for ln in lines}

    def level(ln: FundingLine) -> int:
        depth = 0
        while ln.parent is not None and ln.parent in by_id:
            depth += 1
            ln = by_id[ln.parent]
        return depth

    l_rows = [
        {
            "id": ln.id,
            "parent": ln.parent or "",
            "level": level(ln),
            "funding_source": ln.funding_source or "",
            "sector": ln.sector or "",
            "item": ln.item or "",
            "scope": _join(ln.scope),
            "scope_open": ln.scope_open,
            "label_vi": ln.label_vi,
            "label_en": ln.label_en,
            "amount_bn_vnd": ln.amount_bn_vnd,
            "approximate": ln.approximate,
            "stated_as": ln.stated_as,
            "source": ln.source,
        }
        for ln in lines
    ]
    c_rows = [
        {
            "id": c.id,
            "sector": c.sector or "",
            "item": c.item or "",
            "scope": _join(c.scope),
            "scope_open": c.scope_open,
            "label_vi": c.label_vi,
            "label_en": c.label_en,
            "amount_bn_vnd": c.amount_bn_vnd,
            "quantity": _nan(c.quantity),
            "unit_cost_bn_vnd": _nan(c.unit_cost_bn_vnd),
            "approximate": c.approximate,
            "stated_as": c.stated_as,
            "source": c.source,
            "target_id": c.target or "",
            "layer": c.layer or "",
            "feature": c.feature or "",
            "note": c.note,
        }
        for c in costs
    ]
    return _frame(l_rows, _LINE_COLUMNS), _frame(c_rows, _COST_COLUMNS)


def load_tables(data_dir: Path) -> dict[str, pd.DataFrame]:
    """The plain tables the store build writes, from ``targets.yaml`` and ``funding.yaml`` in ``data_dir``.

    Returns
    -------
    dict
        ``targets`` (one row per target), ``target_measures`` (one row per measure), ``funding_lines``
        (section V as a tree: ``parent``, ``level``), ``project_costs`` (II/III), and the empty append-only
        tables ``target_actuals`` and ``disbursements`` with their columns.

    Raises
    ------
    InputDataError
        When a file has wrong entries (all of them are named, with the file).
    DataSourceError
        When a file is missing.
    """
    data_dir = Path(data_dir)
    targets, measures = targets_frames(load_targets(data_dir))
    lines, costs = funding_frames(*load_funding(data_dir))
    problems = _Problems(data_dir / FUNDING_FILE)
    known_targets = set(targets["id"])
    for cid, tid in zip(costs["id"], costs["target_id"], strict=True):
        if tid and tid not in known_targets:
            problems.add(f"project cost '{cid}'", f"target '{tid}' is not a target of {TARGETS_FILE}")
    problems.raise_if_any()
    return {
        "targets": targets,
        "target_measures": measures,
        "funding_lines": lines,
        "project_costs": costs,
        "target_actuals": empty_actuals(),
        "disbursements": empty_disbursements(),
    }

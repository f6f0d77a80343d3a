"""Three-way merge of feature layers keyed by feature id: an edit made on an older version, re-applied on the new one.

``base`` is the version the edit was made on, ``mine`` the frame the person wants to save and ``theirs`` the current
version, which someone else saved since. Features are matched by the value of their key column (``id``), never by
row position. Per feature:

=====================================  ==============================================
mine vs base / theirs vs base          outcome
=====================================  ==============================================
changed / unchanged                    mine (applied)
unchanged / changed                    theirs
changed / changed, identically         that
changed / changed, differently         conflict (``edited``)
added / absent                         mine (applied)
added / added, identically             that
added / added, differently             conflict (``added``)
deleted / unchanged                    deleted (applied)
deleted / deleted                      deleted
deleted / changed                      conflict (``deleted_mine``)
changed / deleted                      conflict (``deleted_theirs``)
unchanged / deleted                    deleted
=====================================  ==============================================

A side has no opinion on the columns it lacks: a column added by theirs is kept (with theirs' values, also on
the features where mine wins), and a feature counts as changed only in the columns its frame holds (a column
missing from ``base`` reads as empty there). Geometries are equal when their normalised forms are equal within
``tolerance`` in the frame's CRS units (1 cm in a projected CRS in metres). Values are compared as the store
keeps them: empty (None, NaN, NA, NaT) is one value, text is compared in Unicode NFC, a midnight timestamp
equals its date.

Nothing here knows what the features are: it is the same for lots, zones and boundaries.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from geo.errors import InputDataError

#: how a conflict is resolved: the planner's row (or deletion) or the current version's
Side = Literal["mine", "theirs"]
MINE: Side = "mine"
THEIRS: Side = "theirs"
SIDES: tuple[Side, ...] = (MINE, THEIRS)
#: geometries closer than this (CRS units) are the same: 1 cm in a projected CRS in metres ...
PROJECTED_TOLERANCE = 0.01
#: ... and about 1 cm in degrees
GEOGRAPHIC_TOLERANCE = 1e-7
#: the kinds of conflict (see the module's table)
KINDS: tuple[str, ...] = ("edited", "added", "deleted_mine", "deleted_theirs")
#: stands for the geometry among the changed columns (whatever its column is called)
_GEOMETRY = "\x00geometry"


@dataclass(frozen=True)
class Conflict:
    """A feature both sides changed, each in its own way.

    ``base``, ``mine`` and ``theirs`` are the feature's attributes as a mapping (the geometry under the
    frame's geometry column name), or None where that side has no such feature (not yet added, or deleted).
    ``fields`` names the attributes (and the geometry column) that differ between mine and theirs.
    """

    id: str
    kind: str
    base: Mapping[str, Any] | None
    mine: Mapping[str, Any] | None
    theirs: Mapping[str, Any] | None
    fields: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (geometries as WKT)."""

        def side(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
            if row is None:
                return None
            return {k: _json_value(v) for k, v in row.items()}

        return {
            "id": self.id,
            "kind": self.kind,
            "fields": list(self.fields),
            "base": side(self.base),
            "mine": side(self.mine),
            "theirs": side(self.theirs),
        }


@dataclass(frozen=True)
class Merge:
    """The result of :func:`merge_features`.

    ``applied`` lists the ids whose change from ``mine`` (an edit, an addition or a deletion) is in the merge;
    ``conflicts`` the features both sides changed differently. :attr:`frame` is the merge with every conflict
    left as theirs (the clean part of the edit on the current version); :meth:`resolve` chooses per conflict.
    """

    key: str
    applied: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    #: (id, side the feature's values come from) in the merged order; a conflict's entry is its theirs
    _plan: tuple[tuple[str, Side], ...] = field(repr=False)
    _mine: gpd.GeoDataFrame = field(repr=False, compare=False)
    _theirs: gpd.GeoDataFrame = field(repr=False, compare=False)

    @property
    def clean(self) -> bool:
        """True when nothing conflicts."""
        return not self.conflicts

    @property
    def frame(self) -> gpd.GeoDataFrame:
        """The merged layer with every conflict left as theirs."""
        return self.resolve({})

    def resolve(self, choices: Mapping[str, str]) -> gpd.GeoDataFrame:
        """The merged layer with each conflict resolved as ``choices[id]`` ("mine" or "theirs"; theirs if absent).

        Raises
        ------
        InputDataError
            A choice names a feature that is not in conflict, or a side other than "mine" or "theirs".
        """
        ids = {c.id for c in self.conflicts}
        unknown = sorted(str(k) for k in choices if str(k) not in ids)
        if unknown:
            raise InputDataError(
                f"feature(s) {', '.join(unknown)} are not in conflict; choose only among the conflicting features",
                code="merge.not_in_conflict",
                ids=unknown,
            )
        bad = sorted(str(k) for k, v in choices.items() if v not in SIDES)
        if bad:
            raise InputDataError(
                f"the choice for feature(s) {', '.join(bad)} is neither mine nor theirs; keep one of the two",
                code="merge.bad_choice",
                ids=bad,
            )
        mine_ids = _positions(self._mine, self.key, "mine")
        theirs_ids = _positions(self._theirs, self.key, "theirs")
        plan: list[tuple[str, Side]] = []
        chosen_mine = {str(k) for k, v in choices.items() if v == MINE}
        for fid, side in self._plan:
            if fid in chosen_mine:
                if fid in mine_ids:  # mine's row in theirs' place (a deletion by mine drops it)
                    plan.append((fid, MINE))
            else:
                plan.append((fid, side))
        placed = {fid for fid, _ in self._plan}
        for fid in mine_ids:  # mine's rows theirs deleted, kept by the choice: in mine's order, at the end
            if fid in chosen_mine and fid not in placed:
                plan.append((fid, MINE))
        return _build(plan, self._mine, mine_ids, self._theirs, theirs_ids)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the applied ids and the conflicts."""
        return {"applied": list(self.applied), "conflicts": [c.to_dict() for c in self.conflicts]}


def merge_features(
    base: gpd.GeoDataFrame,
    mine: gpd.GeoDataFrame,
    theirs: gpd.GeoDataFrame,
    *,
    key: str = "id",
    tolerance: float | None = None,
) -> Merge:
    """Merge the changes ``mine`` made to ``base`` into ``theirs``, feature by feature (see the module's table).

    Parameters
    ----------
    base, mine, theirs
        The version the edit was made on, the edited frame and the current version; one CRS for the three
        (an empty frame without a CRS is accepted as ``base``, the layer that did not exist yet).
    key
        The column holding each feature's id: present, non-empty and unique in every frame.
    tolerance
        How far apart (CRS units) two geometries may be and still be the same; default 1 cm
        (:data:`PROJECTED_TOLERANCE` in a projected CRS, :data:`GEOGRAPHIC_TOLERANCE` in degrees).

    Returns
    -------
    Merge
        Merged rows in theirs' order, then the features only mine holds in mine's order; the columns of mine,
        then those only theirs holds.

    Raises
    ------
    InputDataError
        A frame without the key column or with empty or repeated ids.
    ValueError
        The frames are in different CRSs.
    """
    crs = _common_crs(base, mine, theirs)
    tol = tolerance if tolerance is not None else _default_tolerance(crs)
    b_rows, m_rows, t_rows = _Rows(base, key, "base"), _Rows(mine, key, "mine"), _Rows(theirs, key, "theirs")

    def conflict(fid: str, kind: str) -> Conflict:
        return _conflict(fid, kind, b_rows, m_rows, t_rows, tol)

    # the columns both sides hold (and the geometry): only a change there can meet the other side's
    shared = {c for c in m_rows.columns if c in t_rows.columns} | {_GEOMETRY}
    applied: list[str] = []
    conflicts: list[Conflict] = []
    outcome: dict[str, Side | None] = {}  # None: the feature is not in the merge (deleted)
    for fid in _ordered(b_rows.ids, t_rows.ids, m_rows.ids):
        in_b, in_m, in_t = fid in b_rows.ids, fid in m_rows.ids, fid in t_rows.ids
        if in_b:
            m_changes = m_rows.changes(fid, b_rows, tol) if in_m else set()
            t_changes = t_rows.changes(fid, b_rows, tol) if in_t else set()
            if in_m and in_t:
                m_shared, t_shared = bool(m_changes & shared), bool(t_changes & shared)
                if m_shared and t_shared and m_rows.apart(fid, t_rows, tol):
                    conflicts.append(conflict(fid, "edited"))
                    outcome[fid] = THEIRS
                    continue
                # the side that changed the shared part gives it; each side's own columns come from it
                outcome[fid] = MINE if m_shared else THEIRS
                if (m_shared and not t_shared) or m_changes - shared:
                    applied.append(fid)
            elif in_t:  # mine deleted it
                if t_changes:
                    conflicts.append(conflict(fid, "deleted_mine"))
                    outcome[fid] = THEIRS
                else:
                    outcome[fid] = None
                    applied.append(fid)
            else:  # theirs deleted it (and mine kept it, or deleted it too)
                if m_changes:
                    conflicts.append(conflict(fid, "deleted_theirs"))
                outcome[fid] = None
        elif in_m and in_t:  # added by both
            if m_rows.apart(fid, t_rows, tol):
                conflicts.append(conflict(fid, "added"))
                outcome[fid] = THEIRS
            else:
                outcome[fid] = MINE
        elif in_m:
            outcome[fid] = MINE
            applied.append(fid)
        else:
            outcome[fid] = THEIRS

    plan: list[tuple[str, Side]] = [(fid, s) for fid in t_rows.ids if (s := outcome.get(fid)) is not None]
    plan += [(fid, s) for fid in m_rows.ids if fid not in t_rows.ids and (s := outcome.get(fid)) is not None]
    mine_w = mine if mine.crs is not None or crs is None else mine.set_crs(crs)
    return Merge(key, tuple(applied), tuple(conflicts), tuple(plan), mine_w, theirs)


# --- internals ------------------------------------------------------------------------------------------------------


def _common_crs(*frames: gpd.GeoDataFrame) -> CRS | None:
    crss = [CRS.from_user_input(f.crs) for f in frames if f.crs is not None]
    for other in crss[1:]:
        if not other.equals(crss[0]):
            raise ValueError(f"the frames to merge are in different CRSs ({crss[0].to_string()}, {other.to_string()})")
    for f in frames:
        if f.crs is None and len(f):
            raise ValueError("a frame to merge has features but no CRS")
    return crss[0] if crss else None


def _default_tolerance(crs: CRS | None) -> float:
    return GEOGRAPHIC_TOLERANCE if crs is not None and crs.is_geographic else PROJECTED_TOLERANCE


def _positions(frame: gpd.GeoDataFrame, key: str, which: str) -> dict[str, int]:
    """Feature id (as text) -> row position, in row order; refuses missing, empty or repeated ids."""
    if not len(frame):
        return {}
    if key not in frame.columns:
        raise InputDataError(
            f"the {which} features have no `{key}` column; every feature needs its id to be merged",
            code="merge.no_key",
            frame=which,
            key=key,
        )
    out: dict[str, int] = {}
    empty: list[int] = []
    repeated: list[str] = []
    for i, value in enumerate(frame[key].tolist()):
        text = None if _norm(value) is None else str(value).strip()
        if not text:
            empty.append(i + 1)
        elif text in out:
            repeated.append(text)
        else:
            out[text] = i
    if empty or repeated:
        raise InputDataError(
            f"the {which} features' `{key}` must be unique and filled: "
            + "; ".join(
                part
                for part in (
                    f"empty in row(s) {', '.join(map(str, empty[:10]))}" if empty else "",
                    f"repeated: {', '.join(sorted(set(repeated))[:10])}" if repeated else "",
                )
                if part
            ),
            code="merge.bad_ids",
            frame=which,
            key=key,
            empty=len(empty),
            repeated=sorted(set(repeated))[:10],
        )
    return out


def _ordered(*maps: dict[str, int]) -> list[str]:
    seen: dict[str, None] = {}
    for m in maps:
        for fid in m:
            seen.setdefault(fid, None)
    return list(seen)


def _norm(value: Any) -> Any:
    """A value as the comparison sees it: one empty value, NFC text, dates for midnight timestamps."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    elif isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        if pd.isna(value):
            return None
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date()
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, shapely.Geometry):
        return value.wkt
    v = _norm(value)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


def _same_geometry(a: Any, b: Any, tol: float) -> bool:
    a_none = a is None or (isinstance(a, float) and math.isnan(a))
    b_none = b is None or (isinstance(b, float) and math.isnan(b))
    if a_none or b_none:
        return a_none and b_none
    if a.is_empty or b.is_empty:
        return bool(a.is_empty and b.is_empty)
    return bool(shapely.equals_exact(shapely.normalize(a), shapely.normalize(b), tolerance=tol))


class _Rows:
    """Row access to one frame by feature id: its attribute columns (not the key) and its geometry."""

    def __init__(self, frame: gpd.GeoDataFrame, key: str, which: str) -> None:
        self.frame = frame
        self.key = key
        self.ids = _positions(frame, key, which)
        self.geom_name: Hashable | None = frame.geometry.name if _has_geometry(frame) else None
        self.columns: list[Hashable] = [c for c in frame.columns if c != key and c != self.geom_name]
        self._values: dict[Hashable, list[Any]] = {c: frame[c].tolist() for c in self.columns}
        self._geoms: list[Any] = list(frame.geometry.to_numpy()) if self.geom_name is not None else []

    def value(self, fid: str, col: Hashable) -> Any:
        return _norm(self._values[col][self.ids[fid]]) if col in self._values else None

    def geometry(self, fid: str) -> Any:
        return self._geoms[self.ids[fid]] if self.geom_name is not None else None

    def changes(self, fid: str, base: _Rows, tol: float) -> set[Hashable]:
        """The columns of this frame (and :data:`_GEOMETRY`) in which the feature differs from ``base``'s."""
        in_base = fid in base.ids
        out: set[Hashable] = {
            c for c in self.columns if self.value(fid, c) != (base.value(fid, c) if in_base else None)
        }
        if not in_base or not _same_geometry(self.geometry(fid), base.geometry(fid), tol):
            out.add(_GEOMETRY)
        return out

    def apart(self, fid: str, other: _Rows, tol: float) -> set[Hashable]:
        """The columns both frames hold (and :data:`_GEOMETRY`) in which the feature differs from ``other``'s."""
        out: set[Hashable] = {
            c for c in self.columns if c in other._values and self.value(fid, c) != other.value(fid, c)
        }
        if not _same_geometry(self.geometry(fid), other.geometry(fid), tol):
            out.add(_GEOMETRY)
        return out

    def names(self, fields: set[Hashable], *others: _Rows) -> tuple[str, ...]:
        """``fields`` as column names in this frame's column order, the geometry (by its column's name) last."""
        order = self.columns + [c for o in others for c in o.columns if c not in self.columns]
        out = [str(c) for c in order if c in fields]
        if _GEOMETRY in fields:
            geom = self.geom_name if self.geom_name is not None else next((o.geom_name for o in others), None)
            out.append(str(geom if geom is not None else "geometry"))
        return tuple(out)

    def mapping(self, fid: str) -> dict[str, Any] | None:
        """The feature's key, attributes and geometry (None when this frame does not hold it)."""
        if fid not in self.ids:
            return None
        i = self.ids[fid]
        row: dict[str, Any] = {self.key: self.frame[self.key].iloc[i]}
        for c in self.columns:
            row[str(c)] = self._values[c][i]
        if self.geom_name is not None:
            row[str(self.geom_name)] = self._geoms[i]
        return row


def _has_geometry(frame: gpd.GeoDataFrame) -> bool:
    try:
        frame.geometry  # noqa: B018 - raises when the frame has no active geometry column
    except AttributeError:
        return False
    return True


def _conflict(fid: str, kind: str, base: _Rows, mine: _Rows, theirs: _Rows, tol: float) -> Conflict:
    if fid in mine.ids and fid in theirs.ids:
        fields = mine.names(mine.apart(fid, theirs, tol), theirs)
    else:  # one side deleted it: what the other side changed
        side = mine if fid in mine.ids else theirs
        fields = side.names(side.changes(fid, base, tol))
    return Conflict(fid, kind, base.mapping(fid), mine.mapping(fid), theirs.mapping(fid), fields)


def _build(
    plan: list[tuple[str, Side]],
    mine: gpd.GeoDataFrame,
    mine_ids: dict[str, int],
    theirs: gpd.GeoDataFrame,
    theirs_ids: dict[str, int],
) -> gpd.GeoDataFrame:
    """The frame of ``plan``: each row's values from its side, a column that side lacks from the other side."""
    mine_geom = mine.geometry.name if _has_geometry(mine) else None
    theirs_geom = theirs.geometry.name if _has_geometry(theirs) else None
    geom_name = mine_geom if mine_geom is not None else theirs_geom if theirs_geom is not None else "geometry"
    # mine's columns in mine's order (its geometry where it has it), then those only theirs holds
    columns: list[Hashable] = [geom_name if c == mine_geom else c for c in mine.columns]
    if mine_geom is None:
        columns.append(geom_name)
    columns += [c for c in theirs.columns if c != theirs_geom and c not in columns]
    crs = mine.crs if mine.crs is not None else theirs.crs
    sides = {MINE: (mine, mine_ids, mine_geom), THEIRS: (theirs, theirs_ids, theirs_geom)}
    other: dict[Side, Side] = {MINE: THEIRS, THEIRS: MINE}

    def gather(values_of: dict[Side, list[Any] | None]) -> list[Any]:
        out: list[Any] = []
        for fid, side in plan:
            for s in (side, other[side]):  # the winner's value, else the other side's (a column it lacks)
                values, ids = values_of[s], sides[s][1]
                if values is not None and fid in ids:
                    out.append(values[ids[fid]])
                    break
            else:
                out.append(None)
        return out

    index = pd.RangeIndex(len(plan))
    data: dict[Hashable, Any] = {}
    for col in columns:
        if col == geom_name:
            held_geoms = {s: (list(f.geometry.to_numpy()) if g is not None else None) for s, (f, _, g) in sides.items()}
            data[col] = gpd.GeoSeries(gather(held_geoms), crs=crs, index=index)
            continue
        held = {s: (f[col].tolist() if col in f.columns else None) for s, (f, _, _) in sides.items()}
        dtypes = [f[col].dtype for f, _, _ in sides.values() if col in f.columns]
        data[col] = _series(gather(held), dtypes).set_axis(index)
    return gpd.GeoDataFrame(pd.DataFrame(data, index=index, columns=columns), geometry=geom_name, crs=crs)


def _series(values: list[Any], dtypes: list[Any]) -> pd.Series:
    """The merged column in the dtype its frames gave it (when they agree and its values fit), else as inferred."""
    if dtypes and all(d == dtypes[0] for d in dtypes):
        try:
            return pd.Series(values, dtype=dtypes[0])
        except (TypeError, ValueError):
            pass
    return pd.Series(values, dtype=object).infer_objects()

"""The ``baoyen`` command: the same library functions as the UI, for scripts, reports and tests.

Every subcommand is a thin wrapper: parse arguments, call ``layers`` / ``analysis`` / ``reports``, print.
With ``--json`` stdout holds exactly one JSON object and messages go to stderr. A failure the user can
fix exits non-zero with one line on stderr that names the problem and the fix, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from geo.errors import PlanError
from geo.text import nfc
from layers.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]
_COMMANDS: list[tuple[str, str, Callable[[argparse.ArgumentParser], None], Handler]] = []


def command(
    name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]
) -> Callable[[Handler], Handler]:
    """Register a subcommand: ``configure`` adds its arguments, the decorated function runs it."""

    def register(func: Handler) -> Handler:
        _COMMANDS.append((name, help_text, configure, func))
        return func

    return register


class CommandFailed(Exception):
    """Raised by a handler to stop with an exit status after it has said why on stderr."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _clean(value: Any) -> Any:
    """Make values JSON-safe: NaN → null, numpy scalars → Python, sets/tuples → lists."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit_json(obj: dict[str, Any]) -> None:
    """Print exactly one JSON object on stdout."""
    sys.stdout.write(json.dumps(_clean(obj), ensure_ascii=False, indent=2) + "\n")


def say(message: str) -> None:
    """A message for the person, on stderr (stdout is kept for results)."""
    sys.stderr.write(message.rstrip("\n") + "\n")


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    """Print a plain, aligned text table on stdout."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if n == 0:
            sys.stdout.write("  ".join("-" * w for w in widths) + "\n")


def _store_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", help="GeoPackage store (default: $BAOYEN_STORE or ~/.local/share/baoyen/baoyen.gpkg)")


def _json_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def open_store_for(settings: Settings, *, create: bool = True):  # type: ignore[no-untyped-def]
    """Open the settings' store, building it from data/ first when it does not exist yet."""
    from layers.build import ensure_store

    return ensure_store(settings, create=create)


# === foundation commands (init, layers, import-boundaries) ===


@command("init", "build the store from the project's data (idempotent; imported layers are kept)", _json_arg)
def _cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    from layers.build import init_store

    report = init_store(settings)
    if args.json:
        emit_json(report.to_dict())
    else:
        verb = "built" if report.created else "updated"
        say(f"store {verb}: {report.store}")
        say(
            f"  layers written: {len(report.written)}, unchanged: {len(report.unchanged)}, "
            f"kept (imported): {', '.join(report.kept_imported) or '-'}"
        )
        say(
            f"  tables written: {', '.join(report.tables_written) or '-'}; kept: {', '.join(report.tables_kept) or '-'}"
        )
    return 0


@command("layers", "list the store's layers: id, title, feature count, geometry quality mix", _json_arg)
def _cmd_layers(args: argparse.Namespace, settings: Settings) -> int:
    from layers.catalogue import CATALOGUE

    store = open_store_for(settings)
    infos = {i.layer_id: i for i in store.layer_info()}
    rows = []
    for layer in CATALOGUE:
        info = infos.pop(layer.id, None)
        rows.append(
            {
                "id": layer.id,
                "title": layer.title(settings.language),
                "group": layer.group,
                "features": info.features if info else 0,
                "version": info.version if info else None,
                "origin": info.origin if info else None,
                "geom_quality": info.quality_mix if info else {},
            }
        )
    for info in infos.values():  # layers imported under ids the catalogue does not know
        rows.append(
            {
                "id": info.layer_id,
                "title": info.layer_id,
                "group": None,
                "features": info.features,
                "version": info.version,
                "origin": info.origin,
                "geom_quality": info.quality_mix,
            }
        )
    if args.json:
        emit_json({"store": str(settings.store_path), "layers": rows})
    else:
        print_table(
            [
                [r["id"], r["title"], r["features"], ", ".join(f"{q} {n}" for q, n in r["geom_quality"].items()) or "-"]
                for r in rows
            ],
            ["id", "title", "features", "geometry quality"],
        )
    return 0


def _configure_boundaries(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="vector file with the commune polygons (any format and CRS the import reads)")
    p.add_argument("--crs", help="CRS of the file when it does not declare one, e.g. EPSG:9208")
    p.add_argument("--source-layer", help="layer inside the file, when it has several")
    p.add_argument("--code-field", help="field with the official codes (found automatically)")
    p.add_argument("--name-field", help="field with the commune names (found automatically)")
    p.add_argument(
        "--quality",
        default="digitised",
        choices=["surveyed", "digitised", "approximate"],
        help="geometry quality of these boundaries (default: digitised)",
    )
    _json_arg(p)


@command("import-boundaries", "replace the schematic commune polygons with real boundaries", _configure_boundaries)
def _cmd_import_boundaries(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from geo.crs import parse_epsg
    from geo.io import read_vector
    from layers.boundaries import match_boundaries
    from layers.successors import rebuild_2025

    store = open_store_for(settings)
    crs = f"EPSG:{parse_epsg(args.crs)}" if args.crs else None
    incoming, _report = read_vector(Path(args.path), layer=args.source_layer, crs=crs, limits=settings.limits)
    units = store.read_layer("communes_legacy")
    result = match_boundaries(
        units,
        incoming,
        source=f"{Path(args.path).name} (import-boundaries)",
        quality=args.quality,
        code_field=args.code_field,
        name_field=args.name_field,
    )
    if not result.matched:
        raise CommandFailed(f"{args.path}: no unit matched the 17 official communes; nothing was written")
    msg = f"boundaries from {Path(args.path).name}: {len(result.matched)} of {len(units)} units matched"
    store.write_layer("communes_legacy", result.frame, user=settings.user, message=msg, origin="imported")
    current_2025 = store.read_layer("communes_2025")
    store.write_layer(
        "communes_2025",
        rebuild_2025(result.frame, current_2025),
        user=settings.user,
        message=f"rebuilt from {msg}",
        origin="imported",
    )
    out = result.to_dict()
    if args.json:
        emit_json(out)
    else:
        say(
            msg + f" (by code: {sum(1 for h in result.matched.values() if h == 'code')}, "
            f"by name: {sum(1 for h in result.matched.values() if h == 'name')})"
        )
        for unit in result.unmatched_units:
            say(f"  unit not found in the file (keeps its schematic cell): {unit}")
        for feat in result.unmatched_features:
            say(f"  feature in the file that matched no unit: {feat}")
        for w in result.warnings:
            say(f"  warning: {w}")
    return 0


def _configure_history(p: argparse.ArgumentParser) -> None:
    p.add_argument("layer", help="layer id")
    _json_arg(p)


@command("history", "list the stored versions of a layer (who, when, why)", _configure_history)
def _cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    versions = open_store_for(settings).history(args.layer)
    if args.json:
        emit_json({"layer": args.layer, "versions": [asdict(v) for v in versions]})
    else:
        print_table(
            [
                [v.version, "*" if v.current else "", v.written_at, v.user, v.origin, v.features, v.message]
                for v in versions
            ],
            ["version", "current", "written", "user", "origin", "features", "message"],
        )
    return 0


def _configure_restore(p: argparse.ArgumentParser) -> None:
    p.add_argument("layer", help="layer id")
    p.add_argument("version", type=int, help="version to restore (see `baoyen history LAYER`)")


@command("restore", "make an earlier version of a layer current again (kept as a new version)", _configure_restore)
def _cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    new = open_store_for(settings).restore(args.layer, args.version, user=settings.user)
    say(f"layer {args.layer}: version {args.version} restored as version {new}")
    return 0


# === import/export commands (validate, import, export) ===


def _io_status(exc: PlanError) -> int:
    """Exit status of a refused file: 2 unreadable or unsafe, 1 a problem that blocks an import."""
    from geo.errors import DataSourceError, UnsafeInputError

    return 2 if isinstance(exc, (UnsafeInputError, DataSourceError)) else 1


def _crs_option(value: str | None) -> str | None:
    from geo.crs import parse_epsg

    return f"EPSG:{parse_epsg(value)}" if value else None


def _mapping_option(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    out: dict[str, str] = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source.strip():
            raise CommandFailed(f"--map takes FIELD=COLUMN (for example name=Tên), not {pair!r}")
        out[target.strip()] = source.strip()
    return out


def _configure_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="file to check: shapefile .zip/.shp, GeoPackage, GeoJSON, KML/KMZ, DXF, DGN, CSV...")
    p.add_argument("--crs", help="CRS of the coordinates when the file does not declare one, e.g. EPSG:9208")
    p.add_argument("--layer", help="layer (or sheet, or file inside a .zip) to check when there are several")
    p.add_argument("--target", help="catalogue layer id to check the fields against (as `import --layer` would)")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="field mapping for --target (repeatable)")
    _json_arg(p)


@command(
    "validate",
    "check a file before importing it (exit 0 valid, 1 blocking problems, 2 unreadable or unsafe)",
    _configure_validate,
)
def _cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from geo.io import MissingCRSError
    from layers.importer import prepare_import

    path = Path(args.path)
    base: dict[str, Any] = {
        "path": str(path),
        "ok": False,
        "features": 0,
        "crs": None,
        "encoding": None,
        "errors": [],
        "warnings": [],
    }
    try:
        mapping = _mapping_option(args.map)
    except CommandFailed as exc:
        if args.json:
            emit_json({**base, "errors": [str(exc)], "status": 1})
        else:
            say(f"baoyen validate: {exc}")
        return 1
    try:
        crs = _crs_option(args.crs)
        # validate runs exactly what `import` runs, without writing: into --target, or into a new free layer
        preview = prepare_import(
            path,
            args.target or "validated_file",
            crs=crs,
            source_layer=args.layer,
            mapping=mapping,
            limits=settings.limits,
        )
    except PlanError as exc:
        status = _io_status(exc)
        if args.json:
            extra: dict[str, Any] = {}
            if isinstance(exc, MissingCRSError):
                extra = {
                    "crs_guess": f"EPSG:{exc.guess}" if exc.guess else None,
                    "crs_guess_reason": exc.reason,
                    "layers": exc.report.layers,
                    "driver": exc.report.driver,
                }
            emit_json({**base, **extra, "errors": [str(exc)], "status": status})
        else:
            say(f"baoyen validate: {exc}")
        return status
    report = preview.to_dict()
    report.pop("layer_id", None)
    status = 0 if preview.ok else 1
    if args.json:
        emit_json({**base, **report, "ok": preview.ok, "status": status})
        return status
    r = preview.read
    sys.stdout.write(
        f"{path.name}: {len(preview.frame)} features, {r.driver}, CRS {r.crs} ({r.crs_source}), "
        f"text {r.encoding or '-'}\n"
    )
    if r.converted_fields:
        sys.stdout.write(f"  converted to Unicode: {', '.join(r.converted_fields)}\n")
    for w in preview.warnings:
        sys.stdout.write(f"  warning: {w}\n")
    for e in preview.errors:
        sys.stdout.write(f"  problem: {e}\n")
    if not preview.ok:
        say(f"baoyen validate: {path.name} has {len(preview.errors)} problem(s) that block an import (listed above)")
    return status


def _configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="the file to import")
    p.add_argument("--layer", required=True, help="layer id to store it in, e.g. cluster_lots ([a-z][a-z0-9_]*)")
    p.add_argument("--crs", help="CRS of the coordinates when the file does not declare one, e.g. EPSG:9208")
    p.add_argument("--source-layer", help="layer (or sheet, or file inside a .zip) to import when there are several")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="field mapping (repeatable)")
    p.add_argument(
        "--quality",
        default="digitised",
        choices=["surveyed", "digitised", "approximate", "schematic"],
        help="geometry quality of the features (default: digitised)",
    )
    p.add_argument("--message", default="", help="note kept with the new version")
    _json_arg(p)


@command(
    "import",
    "import a file into a layer of the store (all or nothing; the previous version is kept)",
    _configure_import,
)
def _cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from layers.importer import commit_import, prepare_import
    from layers.store import check_layer_id

    path = Path(args.path)
    try:
        check_layer_id(args.layer)
        preview = prepare_import(
            path,
            args.layer,
            crs=_crs_option(args.crs),
            source_layer=args.source_layer,
            mapping=_mapping_option(args.map),
            geom_quality=args.quality,
            limits=settings.limits,
        )
    except PlanError as exc:
        raise CommandFailed(str(exc), _io_status(exc)) from exc
    if not preview.ok:
        if args.json:
            emit_json({**preview.to_dict(), "version": None})
        else:
            for e in preview.errors:
                sys.stdout.write(f"  problem: {e}\n")
        raise CommandFailed(
            f"{path.name} was not imported into {args.layer}: {len(preview.errors)} problem(s) "
            f"(first: {preview.errors[0]}); nothing was written",
            1,
        )
    store = open_store_for(settings)
    version = commit_import(store, preview, user=settings.user, message=args.message)
    if args.json:
        emit_json({**preview.to_dict(), "version": version})
    else:
        for w in preview.warnings:
            say(f"  warning: {w}")
        say(f"{path.name}: {len(preview.frame)} features stored in {args.layer} as version {version} (EPSG:9208)")
    return 0


def _configure_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("layer", help="layer id, e.g. cluster_lots")
    p.add_argument(
        "--format",
        required=True,
        choices=["gpkg", "shp", "geojson", "kml", "csv", "xlsx"],
        help="gpkg (styled for QGIS), shp (zipped), geojson, kml, csv or xlsx (with area_ha)",
    )
    p.add_argument("-o", "--output", required=True, help="file to write")
    p.add_argument("--crs", default="EPSG:9208", help="CRS of the output (default EPSG:9208; EPSG:4326 for the web)")
    _json_arg(p)


@command("export", "export a layer for QGIS, the web or a report", _configure_export)
def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from layers.export import export_layer
    from layers.store import check_layer_id

    check_layer_id(args.layer)
    crs = _crs_option(args.crs)
    store = open_store_for(settings)
    out = Path(args.output)
    if not out.parent.exists():
        raise CommandFailed(f"folder {out.parent} does not exist; create it or choose another -o path")
    result = export_layer(store, args.layer, args.format, out, crs=crs)
    if args.json:
        emit_json(result.to_dict())
    else:
        for w in result.warnings:
            say(f"  warning: {w}")
        say(f"{args.layer}: {result.features} features written to {out} ({args.format}, {result.crs})")
    return 0


# === occupancy commands ===


def _configure_occupancy(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cluster", metavar="PATH", help="cluster boundary file (default: the store's cluster_boundaries)")
    p.add_argument("--lots", metavar="PATH", help="lot polygons with status, leased_on (default: the store's lots)")
    p.add_argument("--zoning", metavar="PATH", help="land use inside the cluster; its industrial land is leasable")
    p.add_argument("--cluster-id", metavar="ID", help="the cluster to measure when the boundary holds several")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="count only lots leased on or before this day")
    p.add_argument("--leasable-ha", metavar="N", help="leasable industrial area in ha when there is no zoning")
    p.add_argument("--crs", metavar="EPSG", help="CRS of input files that declare none (e.g. EPSG:9208)")
    _json_arg(p)


def _occ_read(  # type: ignore[no-untyped-def]
    path: str, what: str, args: argparse.Namespace, settings: Settings, *, may_be_empty: bool = False
):
    """Read one input file with the import layer's reader; return (frame, report)."""
    from geo.io import MissingCRSError, read_vector

    try:
        frame, report = read_vector(path, limits=settings.limits)
    except MissingCRSError:
        if not args.crs:
            raise
        frame, report = read_vector(path, limits=settings.limits, crs=args.crs)
    if report.features == 0 and may_be_empty:
        return frame, report
    if report.errors:
        more = f" (and {len(report.errors) - 1} more problem(s))" if len(report.errors) > 1 else ""
        raise CommandFailed(f"{what}: {report.errors[0]}{more}")
    return frame, report


def _occ_inputs(args: argparse.Namespace, settings: Settings):  # type: ignore[no-untyped-def]
    """(cluster, lots, zoning, label, repaired_on_read, read_warnings) from files or from the store."""
    import geopandas as gpd

    from analysis.occupancy import lots_of_cluster, pick_cluster

    if args.cluster or args.lots:
        if not (args.cluster and args.lots):
            missing = "--lots PATH" if args.cluster else "--cluster PATH"
            raise CommandFailed(f"{missing} is needed too (or give neither to use the store's layers)")
        clusters, c_rep = _occ_read(args.cluster, "the cluster boundary", args, settings)
        lots, l_rep = _occ_read(args.lots, "the lots", args, settings, may_be_empty=True)
        reports = [c_rep, l_rep]
        zoning = None
        if args.zoning:
            zoning, z_rep = _occ_read(args.zoning, "the zoning", args, settings, may_be_empty=True)
            reports.append(z_rep)
        cluster = pick_cluster(clusters, args.cluster_id)
        warnings = [w for r in reports for w in r.warnings]
        return cluster, lots, zoning, l_rep.repaired, warnings
    if args.zoning:
        raise CommandFailed("--zoning PATH needs --cluster PATH and --lots PATH (the store has its own zoning layer)")
    store = open_store_for(settings)

    def layer(layer_id: str) -> gpd.GeoDataFrame | None:
        return store.read_layer(layer_id) if store.has_layer(layer_id) else None

    boundaries = layer("cluster_boundaries")
    if boundaries is None or len(boundaries) == 0:
        raise CommandFailed(
            "the store holds no cluster boundary yet; import the cluster's boundary into the layer "
            "cluster_boundaries first (page Cụm công nghiệp, or `baoyen import`), or give --cluster PATH --lots PATH"
        )
    cluster = pick_cluster(boundaries, args.cluster_id)
    lots = layer("cluster_lots")
    if lots is None:
        lots = gpd.GeoDataFrame({"status": []}, geometry=gpd.GeoSeries([], crs=boundaries.crs))
    zoning = layer("cluster_zoning")
    zoning = lots_of_cluster(zoning, cluster) if zoning is not None and len(zoning) else None
    return cluster, lots_of_cluster(lots, cluster), zoning if zoning is not None and len(zoning) else None, 0, []


def _occ_label(cluster: Any) -> str:
    for col in ("name", "cluster_id", "id"):
        if col in cluster.columns:
            vals = [str(v) for v in cluster[col].tolist() if v is not None and str(v).strip() and str(v) != "nan"]
            if vals:
                return vals[0]
    return "cluster"


def _occ_yes(flag: bool) -> str:
    return "yes" if flag else "no"


@command(
    "occupancy",
    "land occupancy of an industrial cluster against the plan's 50 % target (Decree 32/2024: 50 % / 60 %)",
    _configure_occupancy,
)
def _cmd_occupancy(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from analysis.occupancy import EXPANSION_MIN_PCT, NEW_CLUSTER_MIN_PCT, STATUSES, occupancy

    as_of = None
    if args.as_of is not None:
        try:
            as_of = dt.date.fromisoformat(args.as_of.strip())
        except ValueError:
            raise CommandFailed(f"--as-of '{args.as_of}' is not a date; write it as YYYY-MM-DD") from None
    leasable = None
    if args.leasable_ha is not None:
        try:
            leasable = float(str(args.leasable_ha).replace(",", "."))
        except ValueError:
            raise CommandFailed(f"--leasable-ha '{args.leasable_ha}' is not a number of hectares") from None
    cluster, lots, zoning, repaired_on_read, read_warnings = _occ_inputs(args, settings)
    result = occupancy(cluster, lots, zoning=zoning, leasable_ha=leasable, as_of=as_of)
    out = result.to_dict()
    out["repaired"] = out["repaired"] + int(repaired_on_read)
    out["warnings"] = [*read_warnings, *out["warnings"]]
    if args.json:
        emit_json(out)
        return 0
    label = _occ_label(cluster)
    basis = {"leasable": "leasable industrial land", "gross": "GROSS cluster area (no zoning, no leasable_ha)"}
    rows: list[tuple[str, str]] = [
        ("cluster", label + (f" (as of {as_of.isoformat()})" if as_of else "")),
        ("cluster area", f"{out['cluster_ha']:.4f} ha"),
        ("leasable land", f"{out['leasable_ha']:.4f} ha — {basis[out['basis']]}"),
        ("occupied", f"{out['occupied_ha']:.4f} ha"),
        ("occupancy", f"{out['occupancy_pct']:.2f} % (target {out['target_pct']:g} %)"),
        ("still needed", f"{out['gap_ha']:.4f} ha to reach {out['target_pct']:g} %"),
        (
            "Decree 32/2024",
            f"new cluster needs > {NEW_CLUSTER_MIN_PCT:g} %: {_occ_yes(result.occupancy_pct > NEW_CLUSTER_MIN_PCT)}; "
            f"expansion needs ≥ {EXPANSION_MIN_PCT:g} %: {_occ_yes(result.meets_expansion)}",
        ),
        ("outside cluster", f"{out['outside_ha']:.4f} ha (excluded)"),
        ("overlaps", f"{out['overlap_ha']:.4f} ha (counted once)"),
        ("repaired lots", str(out["repaired"])),
    ]
    rows += [(f"  {s}", f"{out['by_status'][s]:.4f} ha") for s in STATUSES]
    print_table(rows, ["measure", "value"])
    for w in out["warnings"]:
        say(f"warning: {w}")
    return 0


# === material-zone commands (overlay, supply) ===


def _mz_read(path: str, what: str, args: argparse.Namespace, settings: Settings):  # type: ignore[no-untyped-def]
    """Read an input file with geo.io.read_vector; refuse it on the reader's blocking problems."""
    from geo.io import MissingCRSError, read_vector

    try:
        frame, report = read_vector(path, limits=settings.limits)
    except MissingCRSError:
        if not getattr(args, "crs", None):
            raise
        frame, report = read_vector(path, limits=settings.limits, crs=args.crs)
    if report.errors:
        more = f" (and {len(report.errors) - 1} more problem(s))" if len(report.errors) > 1 else ""
        raise CommandFailed(f"{what}: {report.errors[0]}{more}")
    for w in report.warnings:
        say(f"warning: {what}: {w}")
    return frame


def _mz_number(text: str | None, flag: str, *, positive: bool = False) -> float | None:
    if text is None:
        return None
    try:
        value = float(str(text).replace(",", "."))
    except ValueError:
        raise CommandFailed(f"{flag} '{text}' is not a number") from None
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise CommandFailed(f"{flag} {text} must be a {'positive' if positive else 'non-negative'} number")
    return value


def _configure_overlay(p: argparse.ArgumentParser) -> None:
    p.add_argument("--zones", required=True, metavar="PATH", help="zone polygons with a class field (e.g. species)")
    p.add_argument("--units", metavar="PATH", help="unit polygons (default: the store's legacy communes, field ma_xa)")
    p.add_argument("--zone-field", default="species", metavar="F", help="class field of the zones (default: species)")
    p.add_argument("--unit-field", default="ma_xa", metavar="F", help="id field of the units (default: ma_xa)")
    p.add_argument(
        "--units-2025",
        action="store_true",
        help="regroup legacy-commune results to the 2025 communes (successor_code of communes_legacy)",
    )
    p.add_argument("--crs", metavar="EPSG", help="CRS of input files that declare none (e.g. EPSG:9208)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    out.add_argument("--csv", action="store_true", help="print CSV rows unit,zone,area_ha (unit empty = unassigned)")


@command(
    "overlay",
    "hectares of each zone class per unit; overlaps go to the lowest unit id, the rest is unassigned",
    _configure_overlay,
)
def _cmd_overlay(args: argparse.Namespace, settings: Settings) -> int:
    import csv

    from analysis.materials import to_successors
    from analysis.overlay import overlay_by_unit

    zones = _mz_read(args.zones, "the zones", args, settings)
    store = None
    if args.units:
        units = _mz_read(args.units, "the units", args, settings)
    else:
        store = open_store_for(settings)
        units = store.read_layer("communes_legacy")
        if len(units) == 0:
            raise CommandFailed("the store holds no communes; run `baoyen init` or give --units PATH")
    result = overlay_by_unit(zones, units, zone_field=args.zone_field, unit_field=args.unit_field)
    if args.units_2025:
        store = store or open_store_for(settings)
        result = to_successors(result, store.read_layer("communes_legacy"))
    out = result.to_dict()
    out["units"] = "2025" if args.units_2025 else (args.units or "communes_legacy")
    if args.json:
        emit_json(out)
        return 0
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["unit", "zone", "area_ha"])
        for row in out["rows"]:
            writer.writerow([row["unit"], row["zone"], f"{row['area_ha']:.4f}"])
        for zone, ha in out["unassigned_by_zone"].items():
            if ha:
                writer.writerow(["", zone, f"{ha:.4f}"])
        return 0
    print_table([(r["unit"], r["zone"], f"{r['area_ha']:.4f}") for r in out["rows"]], ["unit", "zone", "area_ha"])
    sys.stdout.write("\n")
    print_table(
        [(z, f"{t:.4f}", f"{out['unassigned_by_zone'].get(z, 0.0):.4f}") for z, t in out["zone_totals"].items()],
        ["zone", "total_ha", "unassigned_ha"],
    )
    say(
        f"total {out['total_ha']:.4f} ha, of which unassigned (outside every unit) {out['unassigned_ha']:.4f} ha; "
        f"measured in {out['crs']}"
    )
    return 0


def _configure_supply(p: argparse.ArgumentParser) -> None:
    p.add_argument("--plant", required=True, metavar="ID", help="id of a processing plant (layer processing_plants)")
    p.add_argument(
        "--species", metavar="S", help="species or zone kind, comma-separated (default: the plant's raw-material zone)"
    )
    p.add_argument("--distance-km", default="20", metavar="N", help="distance limit in km (default 20)")
    p.add_argument("--roads", metavar="PATH", help="road centre lines: measure the distance along them")
    p.add_argument("--yield-per-ha", metavar="N", help="yield per ha and year, to turn hectares into a supply")
    p.add_argument(
        "--unit",
        metavar="U",
        help="unit of the yield and the capacity (default: the unit of the plant's capacity, else t; e.g. m3)",
    )
    p.add_argument(
        "--capacity",
        metavar="N",
        help="the plant's capacity per year in the same unit (default: the capacity in the plant's data, if any)",
    )
    p.add_argument("--crs", metavar="EPSG", help="CRS of the road file when it declares none")
    _json_arg(p)


def _mz_amount(value: float) -> str:
    """A capacity with thousands separators, decimals only where it has them (210,000; 1,500.5)."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _mz_plant_capacity(row: Any, unit: str | None) -> tuple[float | None, str | None, str]:
    """The capacity on a plant feature: (per-year value, its unit without "/yr", a note of where it comes from).

    Value and unit are None when the plant has none usable (no figure, not per year, or not in ``unit``); the
    note then says why and what to give instead.
    """
    import pandas as pd

    value, per_year, source = row.get("capacity"), row.get("capacity_unit"), row.get("capacity_source")
    if value is None or pd.isna(value):
        return None, None, "the plant's data gives no capacity; give --capacity"
    text = "" if per_year is None or pd.isna(per_year) else str(per_year).strip()
    base, sep, period = text.partition("/")
    if not base or sep != "/" or period.strip() not in ("yr", "year", "năm"):
        return None, None, f"the plant's capacity unit '{text}' is not per year (e.g. m3/yr); give --capacity"
    if unit is not None and unit != base.strip():
        return None, None, f"the plant's capacity is in {text}, not {unit}/yr; give --capacity in {unit}"
    where = "" if source is None or pd.isna(source) else f" — {source}"
    return float(value), base.strip(), f"{_mz_amount(float(value))} {text} from the plant's data{where}"


@command(
    "supply",
    "mapped raw-material area a processing plant can draw on within a distance (straight or by road)",
    _configure_supply,
)
def _cmd_supply(args: argparse.Namespace, settings: Settings) -> int:
    from analysis.materials import plant_species, species_label, supply_area

    distance_km = _mz_number(args.distance_km, "--distance-km", positive=True) or 20.0
    yield_per_ha = _mz_number(args.yield_per_ha, "--yield-per-ha")
    capacity = _mz_number(args.capacity, "--capacity", positive=True)
    unit = args.unit.strip() if args.unit and args.unit.strip() else None
    store = open_store_for(settings)
    plants = store.read_layer("processing_plants")
    match = plants[plants["id"].astype(str) == args.plant]
    if match.empty:
        raise CommandFailed(f"no processing plant '{args.plant}'; known: {', '.join(plants['id'].astype(str))}")
    plant = match.iloc[[0]]
    geom = plant.geometry.iloc[0]
    if geom is None or geom.is_empty:
        raise CommandFailed(
            f"plant '{args.plant}' has no location (unlocated in the plan); set its point first "
            "(edit the layer processing_plants, or `baoyen import`)"
        )
    zones = store.read_layer("material_zones_mapped")
    if len(zones) == 0:
        raise CommandFailed(
            "the store holds no mapped raw-material stands yet (layer material_zones_mapped); import "
            "the planners' stand polygons first (`baoyen import FILE --layer material_zones_mapped` or "
            "the Data page) — the plan's schematic zones are not stands and are not used"
        )
    if args.species:
        species: tuple[str, ...] | None = tuple(s.strip() for s in args.species.split(",") if s.strip())
    else:
        species = plant_species(plant.iloc[0].to_dict(), store.read_layer("material_zones_plan"))
    roads = _mz_read(args.roads, "the roads", args, settings) if args.roads else None
    if capacity is not None:
        unit = unit or "t"
        capacity_from: str | None = "option"
        capacity_note = f"{_mz_amount(capacity)} {unit}/yr from --capacity"
    else:
        capacity, plant_unit, capacity_note = _mz_plant_capacity(plant.iloc[0], unit)
        capacity_from = "plant" if capacity is not None else None
        unit = unit or plant_unit or "t"
    result = supply_area(
        plant,
        zones,
        distance_km=distance_km,
        species=species,
        roads=roads,
        yield_per_ha=yield_per_ha,
        supply_unit=unit,
        capacity=capacity,
        plant_id=args.plant,
    )
    out = result.to_dict()
    out["plant_name"] = str(plant["name"].iloc[0])
    out["capacity_from"] = capacity_from
    out["capacity_note"] = capacity_note
    if args.json:
        emit_json(out)
        return 0
    how = "along roads" if result.method == "road" else "straight line"
    rows: list[tuple[str, str]] = [
        ("plant", f"{out['plant_name']} ({args.plant})"),
        ("distance", f"{distance_km:g} km, {how}"),
        ("species", ", ".join(result.species) if result.species else "all"),
        ("mapped area", f"{out['area_ha']:.4f} ha"),
    ]
    rows += [(f"  {species_label(k, settings.language)}", f"{v:.4f} ha") for k, v in out["by_species"].items()]
    if result.supply is not None:
        rows.append(("supply", f"{result.supply:,.1f} {unit}/yr at {yield_per_ha:g} {unit}/ha"))
    rows.append(("capacity", capacity_note))
    if result.capacity_ratio is not None and capacity is not None:
        rows.append(("of capacity", f"{result.capacity_ratio * 100:.1f} % of {_mz_amount(capacity)} {unit}/yr"))
    print_table(rows, ["measure", "value"])
    for n in result.notes:
        say(f"note: {n}")
    return 0


# === targets, budget and report commands ===


def _t_date(text: str | None, flag: str):  # type: ignore[no-untyped-def]
    """A date option (YYYY-MM-DD), today when not given."""
    import datetime as dt

    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandFailed(f"{flag} '{text}' is not a date; write it as YYYY-MM-DD") from None


def _t_number(text: str, flag: str) -> float:
    from analysis.targets import parse_number

    try:
        return parse_number(text)
    except PlanError as exc:
        raise CommandFailed(f"{flag}: {exc}") from None


def _configure_targets(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="evaluate on this day (default: today)")
    p.add_argument("--period", metavar="P", help="evaluate at the end of a reporting period: 2025-H1, 2025, 2021-2025")
    p.add_argument("--lang", choices=["vi", "en"], help="language of the labels (default: BAOYEN_LANG or vi)")
    _json_arg(p)


@command(
    "targets", "status of the plan's 13 targets and the training target (rules: see --json 'rules')", _configure_targets
)
def _cmd_targets(args: argparse.Namespace, settings: Settings) -> int:
    from analysis.targets import STATUS_RULES, next_report_deadline, parse_period, results_frame, status_counts
    from reports.plan_inputs import evaluate, gather

    if args.period and args.as_of:
        raise CommandFailed("give either --as-of DATE or --period P, not both")
    as_of = parse_period(args.period).end if args.period else _t_date(args.as_of, "--as-of")
    lang = args.lang or settings.language
    inputs = gather(open_store_for(settings), as_of=as_of)
    results = evaluate(inputs, as_of=as_of)
    frame = results_frame(results, lang=lang)
    nxt = next_report_deadline(as_of)
    if args.json:
        emit_json(
            {
                "as_of": as_of.isoformat(),
                "counts": status_counts(results),
                "next_report": {
                    "period": nxt.period.label,
                    "title": nxt.period.title(lang),
                    "due_before": nxt.due.isoformat(),
                    "days_left": nxt.days_left,
                },
                "rules": STATUS_RULES[lang],
                "notes": inputs.note_texts(lang),
                "targets": [
                    {
                        "id": r.target.id,
                        "status": r.status,
                        "text": r.target.text(lang),
                        "source": r.target.source,
                        "responsible": r.target.responsible,
                        "measures": [
                            {
                                "key": mr.measure.key,
                                "label": mr.measure.label(lang),
                                "unit": mr.measure.unit,
                                "method": mr.measure.method,
                                "target": mr.measure.target,
                                "min": mr.measure.min_value,
                                "max": mr.measure.max_value,
                                "deadline": mr.measure.deadline.isoformat(),
                                "actual": mr.actual,
                                "progress_pct": mr.progress_pct,
                                "status": mr.status,
                                "basis": mr.basis,
                                "evidence": list(mr.evidence),
                            }
                            for mr in r.measures
                        ],
                    }
                    for r in results
                ],
            }
        )
        return 0
    rows = [
        (
            r["target"],
            r["measure"],
            r["unit_label"],
            r["goal"],
            "—" if r["actual"] is None or r["actual"] != r["actual"] else f"{r['actual']:g}",
            "—" if r["progress_pct"] is None or r["progress_pct"] != r["progress_pct"] else f"{r['progress_pct']:g} %",
            r["status"],
        )
        for r in frame.to_dict("records")
    ]
    print_table(rows, ["target", "measure", "unit", "goal", "actual", "progress", "status"])
    say(
        f"as of {as_of.isoformat()}; next report: {nxt.period.label} due before {nxt.due.isoformat()} "
        f"({nxt.days_left} days)"
    )
    return 0


def _configure_budget_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=["vi", "en"], help="language of the messages (default: BAOYEN_LANG or vi)")
    _json_arg(p)


@command(
    "budget-check",
    "funding by source and sector, and every place where the plan's figures disagree",
    _configure_budget_check,
)
def _cmd_budget_check(args: argparse.Namespace, settings: Settings) -> int:
    from analysis.funding import by_sector, by_source, consistency_check, sector_reconciliation

    lang = args.lang or settings.language
    store = open_store_for(settings)
    lines, costs = store.read_table("funding_lines"), store.read_table("project_costs")
    findings = consistency_check(lines, costs)
    if args.json:
        emit_json(
            {
                "findings": [
                    {
                        "kind": f.kind,
                        "subject": f.subject,
                        "label": f.label(lang),
                        "sections": list(f.sections),
                        "stated_bn_vnd": f.stated,
                        "computed_bn_vnd": f.computed,
                        "difference_bn_vnd": f.difference,
                        "statements": [
                            {
                                "id": s.id,
                                "section": s.section,
                                "amount_bn_vnd": s.amount_bn_vnd,
                                "scope": list(s.scope),
                                "stated_as": s.stated_as,
                            }
                            for s in f.statements
                        ],
                        "message": f.message(lang),
                    }
                    for f in findings
                ],
                "by_source": by_source(lines, lang=lang).to_dict("records"),
                "by_sector": by_sector(lines, lang=lang).to_dict("records"),
                "sector_reconciliation": sector_reconciliation(lines, costs, lang=lang).to_dict("records"),
                "funding_line_ids": lines["id"].tolist(),
                "project_cost_ids": costs["id"].tolist(),
            }
        )
        return 0
    src = by_source(lines, lang=lang)
    print_table(
        [(r["label"], f"{r['stated_bn_vnd']:,.2f}", f"{r['parts_bn_vnd']:,.2f}") for r in src.to_dict("records")],
        ["source", "stated (bn VND)", "sum of parts"],
    )
    sys.stdout.write(f"\n{len(findings)} inconsistenc{'y' if len(findings) == 1 else 'ies'} in the stated figures:\n")
    for n, f in enumerate(findings, 1):
        sys.stdout.write(f"{n}. {f.message(lang)}\n")
    return 0


def _configure_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", required=True, metavar="P", help="2025-H1 (six months), 2025 (year), 2021-2025 (term)")
    p.add_argument("--format", choices=["docx", "xlsx"], default="docx", help="docx (Word/LibreOffice) or xlsx")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the report (default vi)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="date printed on the report (default: today)")
    p.add_argument(
        "--issuer",
        metavar="LINES",
        help="issuing body, lines separated by '|' (default: 'ỦY BAN NHÂN DÂN|HUYỆN BẢO YÊN', as the plan; since "
        "1/7/2025 e.g. 'ỦY BAN NHÂN DÂN|XÃ BẢO YÊN')",
    )


def _issuer_lines(text: str) -> tuple[str, ...]:
    lines = tuple(nfc(part.strip()) for part in text.split("|") if part.strip())
    if not lines:
        raise CommandFailed("--issuer is empty; write e.g. 'ỦY BAN NHÂN DÂN|XÃ BẢO YÊN'")
    return lines


@command("report", "write the periodic report (6-month, annual, mid-/end-of-term) as DOCX or XLSX", _configure_report)
def _cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from reports.report import build_report

    out = Path(args.output)
    if out.suffix.lower() != f".{args.format}":
        say(f"note: writing {args.format.upper()} to '{out.name}'")
    if not out.parent.exists():
        raise CommandFailed(f"the folder {out.parent} does not exist; create it or choose another -o FILE")
    data = build_report(
        args.period,
        store=open_store_for(settings),
        fmt=args.format,
        lang=args.lang,
        today=_t_date(args.today, "--today"),
        **({"issuer": _issuer_lines(args.issuer)} if args.issuer else {}),
    )
    tmp = out.with_name(f".{out.name}.part")
    tmp.write_bytes(data)
    tmp.replace(out)
    say(f"wrote {out} ({len(data):,} bytes)")
    return 0


def _configure_record_actual(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", required=True, metavar="ID", help="target id: 1..13 or training")
    p.add_argument("--measure", metavar="KEY", help="measure key (default: the target's first recorded measure)")
    p.add_argument("--period", required=True, metavar="P", help="2025-H1, 2025 or 2021-2025")
    p.add_argument("--value", required=True, metavar="V", help="the value, in the measure's unit")
    p.add_argument("--source", default="", metavar="S", help="where the figure comes from (report, statistics, ...)")
    p.add_argument("--note", default="", metavar="N", help="a note")
    _json_arg(p)


@command(
    "record-actual",
    "record a target's actual value for a period (append-only, with who and when)",
    _configure_record_actual,
)
def _cmd_record_actual(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from analysis.targets import new_actual_row, targets_from_frames

    store = open_store_for(settings)
    targets = targets_from_frames(store.read_table("targets"), store.read_table("target_measures"))
    row = new_actual_row(
        targets,
        target_id=args.target,
        measure=args.measure,
        period=args.period,
        value=_t_number(args.value, "--value"),
        source=args.source,
        note=args.note,
        recorded_on=dt.date.today(),
    )
    store.append_rows("target_actuals", row, user=settings.user)
    rec = row.iloc[0].to_dict()
    if args.json:
        emit_json({"recorded": {**rec, "user": settings.user}})
    else:
        say(
            f"recorded target {rec['target_id']} {rec['measure']} {rec['period']} = {rec['value']:g} {rec['unit']} "
            f"(by {settings.user})"
        )
    return 0


def _configure_record_disbursement(p: argparse.ArgumentParser) -> None:
    p.add_argument("--line", required=True, metavar="ID", help="funding line or project cost id (budget-check --json)")
    p.add_argument("--period", required=True, metavar="P", help="2025-H1, 2025 or 2021-2025")
    p.add_argument("--amount", required=True, metavar="BN", help="amount disbursed in bn VND (tỷ đồng)")
    p.add_argument("--source", default="", metavar="S", help="where the figure comes from")
    p.add_argument("--note", default="", metavar="N", help="a note")
    _json_arg(p)


@command(
    "record-disbursement",
    "record an amount disbursed for a funding line or project (append-only)",
    _configure_record_disbursement,
)
def _cmd_record_disbursement(args: argparse.Namespace, settings: Settings) -> int:
    import datetime as dt

    from analysis.funding import new_disbursement_row

    store = open_store_for(settings)
    row = new_disbursement_row(
        store.read_table("funding_lines"),
        store.read_table("project_costs"),
        line_id=args.line,
        period=args.period,
        amount_bn_vnd=_t_number(args.amount, "--amount"),
        source=args.source,
        note=args.note,
        recorded_on=dt.date.today(),
    )
    store.append_rows("disbursements", row, user=settings.user)
    rec = row.iloc[0].to_dict()
    if args.json:
        emit_json({"recorded": {**rec, "user": settings.user}})
    else:
        say(f"recorded {rec['amount_bn_vnd']:g} bn VND for {rec['line_id']} in {rec['period']} (by {settings.user})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``baoyen`` command with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="baoyen",
        description="Planning GIS for Bảo Yên's industry and craft-village plan (2021–2025, vision 2030).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, help_text, configure, func in _COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        _store_arg(p)
        configure(p)
        p.set_defaults(_handler=func)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.from_env(store=getattr(args, "store", None))
    try:
        return int(args._handler(args, settings))
    except CommandFailed as exc:
        if str(exc):
            say(f"baoyen {args.command}: {exc}")
        return exc.status
    except PlanError as exc:
        say(f"baoyen {args.command}: {exc}")
        return 1
    except KeyboardInterrupt:
        say(f"baoyen {args.command}: interrupted; nothing was written")
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `baoyen targets | head`): stop quietly, as Unix tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())

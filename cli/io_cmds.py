"""Files in and out: validate, import, export, import-boundaries."""

from __future__ import annotations

import argparse
import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cli.options import add_crs, add_json, h
from cli.output import CommandFailed, Ctx, describe_error, emit_json, say, write
from cli.registry import command
from geo.errors import DataSourceError, PlanError, UnsafeInputError
from geo.io import MissingCRSError, ReadReport
from geo.safety import CodedNote
from layers.export import FORMATS
from services.boundaries import QUALITIES as BOUNDARY_QUALITIES
from services.boundaries import boundary_versions, import_boundaries
from services.data import current_version, export, import_preview, validate_file
from services.inputs import CrsChoice
from services.messages import describe

#: what a planner may say of an imported file's geometry; "unknown" (the default) until they say
IMPORT_QUALITIES = ("unknown", "surveyed", "digitised", "approximate", "schematic")


def io_status(exc: PlanError) -> int:
    """Exit status of a refused file: 2 unreadable or unsafe, 1 a problem that blocks an import."""
    return 2 if isinstance(exc, (UnsafeInputError, DataSourceError)) else 1


@contextlib.contextmanager
def quiet_warnings() -> Iterator[list[str]]:
    """Collect the Python warnings of reading a file as lines for the report, so none reaches the terminal.

    The reader keeps its own in the read report; this catches what the mapping and reprojection after it
    raise. The lines are shown as warnings of a successful run (and in its JSON); a refusal shows only its
    one line.
    """
    lines: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield lines
        finally:
            for w in caught:
                text = " ".join(str(w.message).split())
                if text not in lines:
                    # a library's own words, inside a notice that says in the run's language who wrote them
                    lines.append(CodedNote(text, code="import.library_warning", detail=text))


def crs_choice(ctx: Ctx) -> CrsChoice:
    """The ``--crs`` / ``--override-crs`` of this run."""
    return CrsChoice.of(getattr(ctx.args, "crs", None), getattr(ctx.args, "override_crs", None))


def kept_crs_warning(ctx: Ctx, read: ReadReport, choice: CrsChoice) -> str | None:
    """When ``--crs`` was given for a file that declares its own CRS: say the file's was kept."""
    if choice.assume and read.crs_source == "file" and read.crs and choice.assume not in read.crs:
        return ctx.t(
            f"tệp đã khai báo {read.crs}; --crs chỉ dùng cho tệp không khai báo, nên giữ hệ của tệp "
            "(dùng --override-crs nếu khai báo của tệp sai)",
            f"the file declares {read.crs}; --crs applies only to files that declare none, so the file's CRS "
            "was kept (use --override-crs if the declaration is wrong)",
        )
    return None


def mapping_option(ctx: Ctx, pairs: list[str] | None) -> dict[str, str] | None:
    """``--map FIELD=COLUMN`` (repeatable) as a mapping."""
    if not pairs:
        return None
    out: dict[str, str] = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source.strip():
            raise CommandFailed(
                ctx.t(
                    f"--map cần dạng TRƯỜNG=CỘT (ví dụ name=Tên), không phải {pair!r}",
                    f"--map takes FIELD=COLUMN (for example name=Tên), not {pair!r}",
                )
            )
        out[target.strip()] = source.strip()
    return out


def _add_map(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help=h(lang, "ghép trường với cột của tệp (lặp lại được)", "field mapping (repeatable)"),
    )


def _configure_validate(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "path",
        help=h(
            lang,
            "tệp cần kiểm tra: shapefile .zip/.shp, GeoPackage, GeoJSON, KML/KMZ, DXF, DGN, CSV...",
            "file to check: shapefile .zip/.shp, GeoPackage, GeoJSON, KML/KMZ, DXF, DGN, CSV...",
        ),
    )
    add_crs(p, lang)
    p.add_argument(
        "--layer",
        help=h(
            lang,
            "lớp (hoặc trang tính, hoặc tệp trong .zip) cần kiểm tra khi tệp có nhiều",
            "layer (or sheet, or file inside a .zip) to check when there are several",
        ),
    )
    p.add_argument(
        "--target",
        help=h(
            lang,
            "mã lớp trong danh mục để đối chiếu các trường (như `import --layer`)",
            "catalogue layer id to check the fields against (as `import --layer` would)",
        ),
    )
    _add_map(p, lang)
    add_json(p, lang)


@command(
    "validate",
    vi="kiểm tra một tệp trước khi nhập (mã thoát 0 hợp lệ, 1 có lỗi chặn nhập, 2 không đọc được hoặc không an toàn)",
    en="check a file before importing it (exit 0 valid, 1 blocking problems, 2 unreadable or unsafe)",
    configure=_configure_validate,
)
def _validate(ctx: Ctx) -> int:
    args = ctx.args
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
        mapping = mapping_option(ctx, args.map)
    except CommandFailed as exc:
        if args.json:
            emit_json({**base, "errors": [str(exc)], "status": 1})
        else:
            say(f"baoyen validate: {exc}")
        return 1
    try:
        choice = crs_choice(ctx)
        with quiet_warnings() as caught:
            preview = validate_file(
                path,
                target=args.target,
                crs=choice,
                source_layer=args.layer,
                mapping=mapping,
                limits=ctx.settings.limits,
            )
        preview.warnings.extend(w for w in caught if w not in preview.warnings)
    except PlanError as exc:
        status = io_status(exc)
        text = describe_error(exc, ctx.lang, command="validate")
        if args.json:
            extra: dict[str, Any] = {}
            if isinstance(exc, MissingCRSError):
                extra = {
                    "crs_guess": f"EPSG:{exc.guess}" if exc.guess else None,
                    "crs_guess_reason": exc.reason,
                    "layers": exc.report.layers,
                    "driver": exc.report.driver,
                }
            emit_json({**base, **extra, "errors": [text], "status": status})
        else:
            say(f"baoyen validate: {text}")
        return status
    kept = kept_crs_warning(ctx, preview.read, choice)
    if kept:
        preview.warnings.append(kept)
    report = preview.to_dict()
    report.pop("layer_id", None)
    status = 0 if preview.ok else 1
    if args.json:
        emit_json({**base, **report, "ok": preview.ok, "status": status})
        return status
    r = preview.read
    write(
        ctx.t(
            f"{path.name}: {ctx.num(len(preview.frame))} đối tượng, {r.driver}, hệ tọa độ {r.crs} ({r.crs_source}), "
            f"mã chữ {r.encoding or '-'}",
            f"{path.name}: {ctx.num(len(preview.frame))} features, {r.driver}, CRS {r.crs} ({r.crs_source}), "
            f"text {r.encoding or '-'}",
        )
    )
    if r.converted_fields:
        write(ctx.t("  đã chuyển sang Unicode: ", "  converted to Unicode: ") + ", ".join(r.converted_fields))
    for w in preview.warnings:
        write(f"  {ctx.t('cảnh báo', 'warning')}: {describe(w, ctx.lang)}")
    for e in preview.errors:
        write(f"  {ctx.t('lỗi', 'problem')}: {describe(e, ctx.lang)}")
    if not preview.ok:
        say(
            ctx.t(
                f"baoyen validate: {path.name} có {len(preview.errors)} lỗi chặn việc nhập (liệt kê ở trên)",
                f"baoyen validate: {path.name} has {len(preview.errors)} problem(s) that block an import "
                "(listed above)",
            )
        )
    return status


def _configure_import(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("path", help=h(lang, "tệp cần nhập", "the file to import"))
    p.add_argument(
        "--layer",
        required=True,
        help=h(
            lang,
            "mã lớp sẽ lưu vào, vd cluster_lots ([a-z][a-z0-9_]*)",
            "layer id to store it in, e.g. cluster_lots ([a-z][a-z0-9_]*)",
        ),
    )
    add_crs(p, lang)
    p.add_argument(
        "--source-layer",
        help=h(
            lang,
            "lớp (hoặc trang tính, hoặc tệp trong .zip) cần nhập khi tệp có nhiều",
            "layer (or sheet, or file inside a .zip) to import when there are several",
        ),
    )
    _add_map(p, lang)
    p.add_argument(
        "--quality",
        default="unknown",
        choices=list(IMPORT_QUALITIES),
        help=h(
            lang,
            "chất lượng hình học: surveyed (đo đạc), digitised (số hóa), approximate, schematic; "
            "mặc định: unknown (chưa rõ) cho tới khi bạn chọn",
            "geometry quality of the features: surveyed, digitised, approximate, schematic; "
            "default: unknown until you say",
        ),
    )
    p.add_argument(
        "--message", default="", help=h(lang, "ghi chú lưu cùng phiên bản mới", "note kept with the new version")
    )
    p.add_argument(
        "--base-version",
        type=int,
        metavar="N",
        help=h(
            lang,
            "chỉ nhập nếu lớp vẫn ở phiên bản N (0: lớp chưa có); mặc định: phiên bản hiện hành lúc đọc",
            "import only if the layer is still at version N (0: it does not exist yet); default: the version read",
        ),
    )
    add_json(p, lang)


@command(
    "import",
    vi="nhập một tệp vào một lớp của kho (hoặc nhập hết hoặc không; phiên bản trước được giữ)",
    en="import a file into a layer of the store (all or nothing; the previous version is kept)",
    configure=_configure_import,
)
def _import(ctx: Ctx) -> int:
    # a refusal is one line on the terminal, whatever went wrong; the details are `baoyen validate`'s
    args = ctx.args
    path = Path(args.path)
    try:
        choice = crs_choice(ctx)
        with quiet_warnings() as caught:
            preview = validate_file(
                path,
                target=args.layer,
                crs=choice,
                source_layer=args.source_layer,
                mapping=mapping_option(ctx, args.map),
                geom_quality=args.quality,
                limits=ctx.settings.limits,
            )
    except PlanError as exc:
        raise CommandFailed(describe_error(exc, ctx.lang, command="import"), io_status(exc)) from exc
    preview.warnings.extend(w for w in caught if w not in preview.warnings)
    kept = kept_crs_warning(ctx, preview.read, choice)
    if kept:
        preview.warnings.append(kept)
    if not preview.ok:
        if args.json:
            emit_json({**preview.to_dict(), "version": None})
        first = describe(preview.errors[0], ctx.lang)
        raise CommandFailed(
            ctx.t(
                f"chưa nhập {path.name} vào {args.layer}: {len(preview.errors)} lỗi (lỗi đầu: {first}); "
                "chưa ghi gì (xem chi tiết bằng `baoyen validate`)",
                f"{path.name} was not imported into {args.layer}: {len(preview.errors)} problem(s) "
                f"(first: {first}); nothing was written (details: `baoyen validate`)",
            ),
            1,
        )
    store = ctx.store()
    base = args.base_version if args.base_version is not None else current_version(store, args.layer)
    done = import_preview(store, preview, actor=ctx.actor, base_version=base, message=args.message)
    if args.json:
        emit_json(done.to_dict())
        return 0
    for w in preview.warnings:
        ctx.warn(w)
    say(
        ctx.t(
            f"{path.name}: đã lưu {ctx.num(len(preview.frame))} đối tượng vào {args.layer}, phiên bản {done.version} "
            "(EPSG:9208)",
            f"{path.name}: {ctx.num(len(preview.frame))} features stored in {args.layer} as version {done.version} "
            "(EPSG:9208)",
        )
    )
    return 0


def _configure_export(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("layer", help=h(lang, "mã lớp, vd cluster_lots", "layer id, e.g. cluster_lots"))
    p.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        help=h(
            lang,
            "gpkg (kèm kiểu hiển thị QGIS), shp (nén zip), geojson, kml, csv hoặc xlsx (kèm area_ha)",
            "gpkg (styled for QGIS), shp (zipped), geojson, kml, csv or xlsx (with area_ha)",
        ),
    )
    p.add_argument("-o", "--output", required=True, help=h(lang, "tệp sẽ ghi", "file to write"))
    p.add_argument(
        "--output-crs",
        "--crs",
        dest="output_crs",
        default="EPSG:9208",
        metavar="EPSG",
        help=h(
            lang,
            "hệ tọa độ của tệp xuất (mặc định EPSG:9208; EPSG:4326 cho web); --crs là tên cũ của tùy chọn này",
            "CRS of the output (default EPSG:9208; EPSG:4326 for the web); --crs is this option's former name",
        ),
    )
    add_json(p, lang)


@command(
    "export",
    vi="xuất một lớp cho QGIS, web hoặc báo cáo",
    en="export a layer for QGIS, the web or a report",
    configure=_configure_export,
)
def _export(ctx: Ctx) -> int:
    args = ctx.args
    crs = CrsChoice.of(args.output_crs).assume
    result = export(ctx.store(), args.layer, args.format, Path(args.output), crs=crs)
    if args.json:
        emit_json(result.to_dict())
        return 0
    for w in result.warnings:
        ctx.warn(w)
    say(
        ctx.t(
            f"{args.layer}: đã ghi {ctx.num(result.features)} đối tượng vào {args.output} "
            f"({args.format}, {result.crs})",
            f"{args.layer}: {ctx.num(result.features)} features written to {args.output} ({args.format}, {result.crs})",
        )
    )
    return 0


def _configure_boundaries(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "path",
        help=h(
            lang,
            "tệp ranh giới xã (mọi định dạng và hệ tọa độ mà chức năng nhập đọc được)",
            "vector file with the commune polygons (any format and CRS the import reads)",
        ),
    )
    add_crs(p, lang)
    p.add_argument(
        "--source-layer",
        help=h(lang, "lớp trong tệp, khi tệp có nhiều lớp", "layer inside the file, when it has several"),
    )
    p.add_argument(
        "--code-field",
        help=h(
            lang, "trường chứa mã đơn vị hành chính (tự tìm)", "field with the official codes (found automatically)"
        ),
    )
    p.add_argument(
        "--name-field",
        help=h(lang, "trường chứa tên xã (tự tìm)", "field with the commune names (found automatically)"),
    )
    p.add_argument(
        "--quality",
        default="digitised",
        choices=list(BOUNDARY_QUALITIES),
        help=h(
            lang, "chất lượng hình học của ranh giới (mặc định: digitised)", "geometry quality (default: digitised)"
        ),
    )
    add_json(p, lang)


@command(
    "import-boundaries",
    vi="thay các ô xã sơ đồ bằng ranh giới thật (lớp xã cũ và xã 2025 được ghi trong một giao dịch)",
    en="replace the schematic commune polygons with real boundaries (legacy and 2025 layers in one transaction)",
    configure=_configure_boundaries,
)
def _import_boundaries(ctx: Ctx) -> int:
    args = ctx.args
    store = ctx.store()
    done = import_boundaries(
        store,
        Path(args.path),
        actor=ctx.actor,
        base_versions=boundary_versions(store),
        crs=crs_choice(ctx),
        source_layer=args.source_layer,
        quality=args.quality,
        code_field=args.code_field,
        name_field=args.name_field,
        limits=ctx.settings.limits,
    )
    if args.json:
        emit_json(done.to_dict())
        return 0
    m = done.match
    name = Path(args.path).name
    say(
        ctx.t(
            f"ranh giới từ {name}: khớp {len(m.matched)} trong {done.units} đơn vị "
            f"(theo mã: {done.by_code}, theo tên: {done.by_name}); đã dựng lại xã 2025",
            f"boundaries from {name}: {len(m.matched)} of {done.units} units matched "
            f"(by code: {done.by_code}, by name: {done.by_name}); 2025 communes rebuilt",
        )
    )
    for unit in m.unmatched_units:
        say(
            ctx.t(
                f"  không thấy đơn vị trong tệp (giữ ô sơ đồ): {unit}",
                f"  unit not found in the file (keeps its schematic cell): {unit}",
            )
        )
    for feat in m.unmatched_features:
        say(
            ctx.t(
                f"  đối tượng trong tệp không khớp đơn vị nào: {feat}",
                f"  feature in the file that matched no unit: {feat}",
            )
        )
    for w in m.warnings:
        ctx.warn(w)
    return 0

"""``baoyen migrate``: copy a whole store into an empty one (GeoPackage ↔ PostGIS)."""

from __future__ import annotations

import argparse

from cli.options import add_json, h
from cli.output import Ctx, emit_json, say
from cli.registry import command
from layers.settings import Settings
from services.context import open_store
from services.migrate import migrate_store


def _configure(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="STORE",
        help=h(
            lang,
            "kho nguồn: tệp GeoPackage hoặc URL postgresql://người_dùng@máy_chủ/cơ_sở_dữ_liệu",
            "source store: a GeoPackage file or a postgresql://user@host/database URL",
        ),
    )
    p.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="STORE",
        help=h(
            lang,
            "kho đích, phải trống: tệp GeoPackage (chưa có thì tạo mới) hoặc URL postgresql://",
            "target store, which must be empty: a GeoPackage file (made when missing) or a postgresql:// URL",
        ),
    )
    add_json(p, lang)


@command(
    "migrate",
    vi="chép toàn bộ một kho sang một kho trống (GeoPackage ↔ PostGIS): mọi lớp với mọi phiên bản, các bảng, thiết lập",
    en="copy a whole store into an empty one (GeoPackage ↔ PostGIS): every layer with all its versions, tables, "
    "settings",
    configure=_configure,
)
def _migrate(ctx: Ctx) -> int:
    source = open_store(Settings.from_env(store=ctx.args.source), create=False)
    ctx.first_start(source)
    actor = ctx.sign_in(source)  # an administrator of the source store
    report = migrate_store(ctx.args.source, ctx.args.target, actor=actor)
    if ctx.args.json:
        emit_json(report.to_dict())
        return 0
    layers, versions, tables, settings = len(report.layers), report.versions, len(report.tables), len(report.settings)
    say(
        ctx.t(
            f"đã chép kho {report.source} sang {report.target}: {layers} lớp ({versions} phiên bản), {tables} bảng, "
            f"{settings} thiết lập",
            f"copied the store {report.source} to {report.target}: {layers} layers ({versions} versions), "
            f"{tables} tables, {settings} settings",
        )
    )
    if report.left_out:
        ctx.warn(
            ctx.t(
                "kho PostGIS chưa lưu được raster: DEM của kho nguồn không được chép (vẫn còn ở kho nguồn)",
                "a PostGIS store keeps no rasters yet: the source's DEM was not copied (it stays in the source)",
            )
        )
    return 0

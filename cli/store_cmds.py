"""Store commands: init, layers, history, restore."""

from __future__ import annotations

import argparse

from cli.options import add_json, h
from cli.output import Ctx, emit_json, print_table, say
from cli.registry import command
from services.context import initialise_store
from services.data import current_version, layer_history, list_layers, restore_version


@command(
    "init",
    vi="dựng kho dữ liệu từ dữ liệu của dự án (chạy lại không sao; các lớp đã nhập được giữ)",
    en="build the store from the project's data (idempotent; imported layers are kept)",
    configure=add_json,
)
def _init(ctx: Ctx) -> int:
    report = initialise_store(ctx.settings)
    ctx.store()  # the first start: the admin account, its one-time password shown once
    if ctx.args.json:
        emit_json(report.to_dict())
        return 0
    verb = ctx.t("đã dựng", "built") if report.created else ctx.t("đã cập nhật", "updated")
    say(f"{ctx.t('kho dữ liệu', 'store')} {verb}: {report.store}")
    say(
        ctx.t(
            f"  lớp đã ghi: {len(report.written)}, không đổi: {len(report.unchanged)}, "
            f"giữ nguyên (đã nhập): {', '.join(report.kept_imported) or '-'}",
            f"  layers written: {len(report.written)}, unchanged: {len(report.unchanged)}, "
            f"kept (imported): {', '.join(report.kept_imported) or '-'}",
        )
    )
    written, kept = ", ".join(report.tables_written) or "-", ", ".join(report.tables_kept) or "-"
    say(ctx.t(f"  bảng đã ghi: {written}; giữ nguyên: {kept}", f"  tables written: {written}; kept: {kept}"))
    return 0


@command(
    "layers",
    vi="liệt kê các lớp trong kho: mã, tên, số đối tượng, chất lượng hình học",
    en="list the store's layers: id, title, feature count, geometry quality mix",
    configure=add_json,
)
def _layers(ctx: Ctx) -> int:
    store = ctx.store()
    listing = list_layers(store, lang=ctx.lang)
    if ctx.args.json:  # the file, or the database URL without its password
        emit_json({"store": store.location, **listing.to_dict()})
        return 0
    print_table(
        [
            [r.id, r.title, r.features, ", ".join(f"{q} {n}" for q, n in r.geom_quality.items()) or "-"]
            for r in listing.rows
        ],
        [
            ctx.t("mã", "id"),
            ctx.t("tên lớp", "title"),
            ctx.t("số đối tượng", "features"),
            ctx.t("chất lượng hình học", "geometry quality"),
        ],
    )
    return 0


def _configure_history(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("layer", help=h(lang, "mã lớp", "layer id"))
    add_json(p, lang)


@command(
    "history",
    vi="liệt kê các phiên bản đã lưu của một lớp (ai, khi nào, vì sao)",
    en="list the stored versions of a layer (who, when, why)",
    configure=_configure_history,
)
def _history(ctx: Ctx) -> int:
    history = layer_history(ctx.store(), ctx.args.layer)
    if ctx.args.json:
        emit_json(history.to_dict())
        return 0
    print_table(
        [
            [v.version, "*" if v.current else "", v.written_at, v.user, v.origin, v.features, v.message]
            for v in history.versions
        ],
        [
            ctx.t("phiên bản", "version"),
            ctx.t("hiện hành", "current"),
            ctx.t("lúc ghi", "written"),
            ctx.t("người ghi", "user"),
            ctx.t("nguồn", "origin"),
            ctx.t("đối tượng", "features"),
            ctx.t("ghi chú", "message"),
        ],
    )
    return 0


def _configure_restore(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("layer", help=h(lang, "mã lớp", "layer id"))
    p.add_argument(
        "version",
        type=int,
        help=h(
            lang,
            "phiên bản cần khôi phục (xem `baoyen history LỚP`)",
            "version to restore (see `baoyen history LAYER`)",
        ),
    )
    p.add_argument(
        "--base-version",
        type=int,
        metavar="N",
        help=h(
            lang,
            "chỉ khôi phục nếu lớp vẫn đang ở phiên bản N (tránh ghi đè thay đổi của người khác)",
            "restore only if the layer is still at version N (so nobody's change is overwritten)",
        ),
    )
    add_json(p, lang)


@command(
    "restore",
    vi="đặt lại một phiên bản cũ của lớp làm hiện hành (lưu thành phiên bản mới)",
    en="make an earlier version of a layer current again (kept as a new version)",
    configure=_configure_restore,
)
def _restore(ctx: Ctx) -> int:
    store = ctx.store()
    base = ctx.args.base_version
    done = restore_version(
        store,
        ctx.args.layer,
        ctx.args.version,
        actor=ctx.actor,
        base_version=base if base is not None else current_version(store, ctx.args.layer),
    )
    if ctx.args.json:
        emit_json(done.to_dict())
        return 0
    say(
        ctx.t(
            f"lớp {done.layer_id}: đã khôi phục phiên bản {done.restored} thành phiên bản {done.version}",
            f"layer {done.layer_id}: version {done.restored} restored as version {done.version}",
        )
    )
    return 0

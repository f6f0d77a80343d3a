"""``baoyen audit``: the store's audit trail (every change: who, when, what, the versions around it)."""

from __future__ import annotations

import argparse

from cli.options import add_json, h
from cli.output import Ctx, emit_json, print_table
from cli.registry import command
from services.data import audit_trail


def _configure(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--layer",
        metavar="ID",
        help=h(
            lang,
            "chỉ các thay đổi của lớp, bảng hoặc thiết lập này",
            "only the changes of this layer, table or setting",
        ),
    )
    p.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        help=h(
            lang,
            "chỉ các thay đổi từ ngày này (2025-12-31 hoặc 31/12/2025, giờ UTC)",
            "only the changes from this day on (2025-12-31 or 31/12/2025, UTC)",
        ),
    )
    add_json(p, lang)


@command(
    "audit",
    vi="nhật ký thay đổi của kho: ai, khi nào, thay đổi gì, phiên bản trước và sau",
    en="the store's audit trail: who changed what, when, and the versions before and after",
    configure=_configure,
)
def _audit(ctx: Ctx) -> int:
    trail = audit_trail(ctx.store(), layer=ctx.args.layer, since=ctx.args.since)
    if ctx.args.json:
        emit_json(trail.to_dict())
        return 0
    print_table(
        [
            [
                e.at,
                e.user,
                e.action,
                e.layer or "-",
                "-" if e.version_before is None else e.version_before,
                "-" if e.version_after is None else e.version_after,
                e.summary,
            ]
            for e in trail.entries
        ],
        [
            ctx.t("lúc", "at"),
            ctx.t("người thay đổi", "user"),
            ctx.t("thao tác", "action"),
            ctx.t("lớp / bảng", "layer / table"),
            ctx.t("phiên bản trước", "version before"),
            ctx.t("phiên bản sau", "version after"),
            ctx.t("tóm tắt", "summary"),
        ],
    )
    return 0

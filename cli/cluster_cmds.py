"""Industrial clusters: occupancy."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.occupancy import EXPANSION_MIN_PCT, NEW_CLUSTER_MIN_PCT, STATUSES
from cli.io_cmds import crs_choice
from cli.options import add_as_of, add_crs, add_json, h
from cli.output import CommandFailed, Ctx, emit_json, print_table
from cli.registry import command
from geo.errors import PlanError
from services.clusters import ClusterFiles, measure_cluster, measure_files
from services.inputs import parse_day
from services.targets import parse_number


def _configure(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--cluster",
        metavar="PATH",
        help=h(
            lang,
            "tệp ranh giới cụm (mặc định: lớp cluster_boundaries của kho)",
            "cluster boundary file (default: the store's cluster_boundaries)",
        ),
    )
    p.add_argument(
        "--lots",
        metavar="PATH",
        help=h(
            lang,
            "tệp các lô đất có status, leased_on (mặc định: các lô trong kho)",
            "lot polygons with status, leased_on (default: the store's lots)",
        ),
    )
    p.add_argument(
        "--zoning",
        metavar="PATH",
        help=h(
            lang,
            "quy hoạch sử dụng đất trong cụm; đất công nghiệp là đất cho thuê",
            "land use inside the cluster; its industrial land is leasable",
        ),
    )
    p.add_argument(
        "--cluster-id",
        metavar="ID",
        help=h(
            lang, "cụm cần tính khi ranh giới có nhiều cụm", "the cluster to measure when the boundary holds several"
        ),
    )
    add_as_of(
        p,
        lang,
        vi="chỉ tính các lô cho thuê đến hết ngày này",
        en="count only lots leased on or before this day",
    )
    p.add_argument(
        "--leasable-ha",
        metavar="N",
        help=h(
            lang,
            "diện tích đất công nghiệp cho thuê (ha) khi không có quy hoạch",
            "leasable industrial area in ha when there is no zoning",
        ),
    )
    add_crs(p, lang)
    add_json(p, lang)


@command(
    "occupancy",
    vi="tỷ lệ lấp đầy của cụm công nghiệp so với chỉ tiêu của cụm (mặc định 50 %; Nghị định 32/2024: 50 % / 60 %)",
    en="land occupancy of an industrial cluster against its target (default 50 %; Decree 32/2024: 50 % / 60 %)",
    configure=_configure,
)
def _occupancy(ctx: Ctx) -> int:
    args = ctx.args
    as_of = parse_day(args.as_of, what="--as-of")
    leasable = None
    if args.leasable_ha is not None:
        try:
            leasable = parse_number(str(args.leasable_ha))
        except PlanError:
            raise CommandFailed(
                ctx.t(
                    f"--leasable-ha '{args.leasable_ha}' không phải là số héc-ta",
                    f"--leasable-ha '{args.leasable_ha}' is not a number of hectares",
                )
            ) from None
    if args.cluster or args.lots:
        if not (args.cluster and args.lots):
            missing = "--lots PATH" if args.cluster else "--cluster PATH"
            raise CommandFailed(
                ctx.t(
                    f"cần cả {missing} (hoặc không đưa tệp nào để dùng các lớp trong kho)",
                    f"{missing} is needed too (or give neither to use the store's layers)",
                )
            )
        files = ClusterFiles(Path(args.cluster), Path(args.lots), Path(args.zoning) if args.zoning else None)
        measured = measure_files(
            files,
            cluster_id=args.cluster_id,
            crs=crs_choice(ctx),
            limits=ctx.settings.limits,
            as_of=as_of,
            leasable_ha=leasable,
        )
    else:
        if args.zoning:
            raise CommandFailed(
                ctx.t(
                    "--zoning PATH cần đi cùng --cluster PATH và --lots PATH (kho có lớp quy hoạch riêng)",
                    "--zoning PATH needs --cluster PATH and --lots PATH (the store has its own zoning layer)",
                )
            )
        measured = measure_cluster(ctx.store(), cluster_id=args.cluster_id, as_of=as_of, leasable_ha=leasable)
    out = measured.to_dict()
    if args.json:
        emit_json(out)
        return 0
    result = measured.result
    target = ctx.pct(out["target_pct"], 0 if float(out["target_pct"]).is_integer() else 1)
    basis = {
        "leasable": ctx.t("đất công nghiệp cho thuê", "leasable industrial land"),
        "gross": ctx.t(
            "TỔNG diện tích cụm (không có quy hoạch, không có leasable_ha)",
            "GROSS cluster area (no zoning, no leasable_ha)",
        ),
    }
    new_min, new_ok = ctx.pct(NEW_CLUSTER_MIN_PCT, 0), ctx.yes(result.occupancy_pct > NEW_CLUSTER_MIN_PCT)
    exp_min, exp_ok = ctx.pct(EXPANSION_MIN_PCT, 0), ctx.yes(result.meets_expansion)
    day = f" ({ctx.t('đến ngày', 'as of')} {as_of.strftime('%d/%m/%Y')})" if as_of else ""
    rows: list[tuple[str, str]] = [
        (ctx.t("cụm", "cluster"), measured.choice.name + day),
        (ctx.t("diện tích cụm", "cluster area"), ctx.ha(out["cluster_ha"])),
        (ctx.t("đất cho thuê", "leasable land"), f"{ctx.ha(out['leasable_ha'])} — {basis[out['basis']]}"),
        (ctx.t("đã cho thuê", "occupied"), ctx.ha(out["occupied_ha"])),
        (
            ctx.t("tỷ lệ lấp đầy", "occupancy"),
            f"{ctx.pct(out['occupancy_pct'])} ({ctx.t('chỉ tiêu', 'target')} {target})",
        ),
        (ctx.t("còn thiếu", "still needed"), f"{ctx.ha(out['gap_ha'])} {ctx.t('để đạt', 'to reach')} {target}"),
        (
            ctx.t("Nghị định 32/2024", "Decree 32/2024"),
            ctx.t(
                f"lập cụm mới cần > {new_min}: {new_ok}; mở rộng cần ≥ {exp_min}: {exp_ok}",
                f"new cluster needs > {new_min}: {new_ok}; expansion needs ≥ {exp_min}: {exp_ok}",
            ),
        ),
        (ctx.t("ngoài cụm", "outside cluster"), f"{ctx.ha(out['outside_ha'])} ({ctx.t('không tính', 'excluded')})"),
        (ctx.t("chồng lấn", "overlaps"), f"{ctx.ha(out['overlap_ha'])} ({ctx.t('tính một lần', 'counted once')})"),
        (ctx.t("lô đã sửa hình", "repaired lots"), str(out["repaired"])),
    ]
    rows += [(f"  {s}", ctx.ha(out["by_status"][s])) for s in STATUSES]
    print_table(rows, [ctx.t("chỉ số", "measure"), ctx.t("giá trị", "value")])
    for notice in result.notices:
        ctx.warn(notice.text(ctx.lang))
    for w in measured.read_warnings:
        ctx.warn(w)
    return 0

"""Targets, funding and reports: targets, budget-check, report, record-actual, record-disbursement."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.targets import results_frame
from cli.options import add_as_of, add_json, add_lang, add_period, h
from cli.output import CommandFailed, Ctx, emit_json, print_table, say, write
from cli.registry import command
from services.inputs import parse_day
from services.targets import (
    REPORT_FORMATS,
    as_of_day,
    budget_check,
    build_report,
    parse_issuer,
    record_actual,
    record_disbursement,
    targets_status,
)


def _configure_targets(p: argparse.ArgumentParser, lang: str) -> None:
    add_as_of(p, lang, vi="đánh giá vào ngày này (mặc định: hôm nay)", en="evaluate on this day (default: today)")
    add_period(p, lang)
    add_lang(p, lang, what="nhãn" if lang == "vi" else "the labels")
    add_json(p, lang)


@command(
    "targets",
    vi="tình trạng 13 chỉ tiêu của kế hoạch và chỉ tiêu đào tạo (quy tắc: xem 'rules' trong --json)",
    en="status of the plan's 13 targets and the training target (rules: see --json 'rules')",
    configure=_configure_targets,
)
def _targets(ctx: Ctx) -> int:
    args = ctx.args
    day = parse_day(args.as_of, what="--as-of")
    as_of = as_of_day(period=args.period, day=day)
    status = targets_status(ctx.store(), as_of=as_of, lang=ctx.lang)
    if args.json:
        emit_json(status.to_dict())
        return 0
    frame = results_frame(status.results, lang=ctx.lang)

    def value(v: object, suffix: str = "") -> str:
        if v is None or v != v:  # None or NaN
            return "—"
        return ctx.num(float(v)) + suffix  # type: ignore[arg-type]

    rows = [
        (
            r["target"],
            r["measure"],
            r["unit_label"],
            r["goal"],
            value(r["actual"]),
            value(r["progress_pct"], " %"),
            r["status"],
        )
        for r in frame.to_dict("records")
    ]
    print_table(
        rows,
        [
            ctx.t("chỉ tiêu", "target"),
            ctx.t("thước đo", "measure"),
            ctx.t("đơn vị", "unit"),
            ctx.t("mục tiêu", "goal"),
            ctx.t("thực hiện", "actual"),
            ctx.t("tiến độ", "progress"),
            ctx.t("tình trạng", "status"),
        ],
    )
    nxt = status.next_report
    say(
        ctx.t(
            f"đến ngày {as_of.strftime('%d/%m/%Y')}; báo cáo tiếp theo: {nxt.period.title('vi')} "
            f"({nxt.period.label}), hạn trước {nxt.due.strftime('%d/%m/%Y')} (còn {nxt.days_left} ngày)",
            f"as of {as_of.isoformat()}; next report: {nxt.period.label} due before {nxt.due.isoformat()} "
            f"({nxt.days_left} days)",
        )
    )
    return 0


def _configure_budget(p: argparse.ArgumentParser, lang: str) -> None:
    add_lang(p, lang, what="thông báo" if lang == "vi" else "the messages")
    add_json(p, lang)


@command(
    "budget-check",
    vi="nguồn vốn theo nguồn và lĩnh vực, và mọi chỗ các số liệu của kế hoạch không khớp nhau",
    en="funding by source and sector, and every place where the plan's figures disagree",
    configure=_configure_budget,
)
def _budget_check(ctx: Ctx) -> int:
    check = budget_check(ctx.store(), lang=ctx.lang)
    if ctx.args.json:
        emit_json(check.to_dict())
        return 0
    src = check.by_source()
    print_table(
        [(r["label"], ctx.num(r["stated_bn_vnd"], 2), ctx.num(r["parts_bn_vnd"], 2)) for r in src.to_dict("records")],
        [
            ctx.t("nguồn", "source"),
            ctx.t("theo kế hoạch (tỷ đồng)", "stated (bn VND)"),
            ctx.t("tổng các phần", "sum of parts"),
        ],
    )
    n = len(check.findings)
    write()
    write(
        ctx.t(
            f"{n} chỗ không khớp trong các số liệu của kế hoạch:",
            f"{n} inconsistenc{'y' if n == 1 else 'ies'} in the stated figures:",
        )
    )
    for i, f in enumerate(check.findings, 1):
        write(f"{i}. {f.message(ctx.lang)}")
    return 0


def _configure_report(p: argparse.ArgumentParser, lang: str) -> None:
    add_period(p, lang, required=True)
    p.add_argument(
        "--format",
        choices=list(REPORT_FORMATS),
        default="docx",
        help=h(lang, "docx (Word/LibreOffice) hoặc xlsx", "docx (Word/LibreOffice) or xlsx"),
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE", help=h(lang, "tệp sẽ ghi", "file to write"))
    p.add_argument(
        "--lang",
        choices=["vi", "en"],
        default=argparse.SUPPRESS,
        help=h(
            lang,
            "ngôn ngữ của báo cáo và thông báo (không có thì báo cáo bằng tiếng Việt, thông báo theo BAOYEN_LANG)",
            "language of the report and the messages (without it the report is in Vietnamese, the administrative "
            "language, and messages follow BAOYEN_LANG)",
        ),
    )
    p.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help=h(lang, "ngày ghi trên báo cáo (mặc định: hôm nay)", "date printed on the report (default: today)"),
    )
    p.add_argument(
        "--issuer",
        metavar="LINES",
        help=h(
            lang,
            "cơ quan ban hành, các dòng cách nhau bằng '|' (mặc định: 'ỦY BAN NHÂN DÂN|HUYỆN BẢO YÊN' như kế hoạch; "
            "từ 1/7/2025 vd 'ỦY BAN NHÂN DÂN|XÃ BẢO YÊN')",
            "issuing body, lines separated by '|' (default: 'ỦY BAN NHÂN DÂN|HUYỆN BẢO YÊN', as the plan; since "
            "1/7/2025 e.g. 'ỦY BAN NHÂN DÂN|XÃ BẢO YÊN')",
        ),
    )


@command(
    "report",
    vi="viết báo cáo định kỳ (6 tháng, năm, sơ kết, tổng kết) dạng DOCX hoặc XLSX",
    en="write the periodic report (6-month, annual, mid-/end-of-term) as DOCX or XLSX",
    configure=_configure_report,
)
def _report(ctx: Ctx) -> int:
    args = ctx.args
    out = Path(args.output)
    if out.suffix.lower() != f".{args.format}":
        say(
            ctx.t(
                f"ghi chú: ghi {args.format.upper()} vào '{out.name}'",
                f"note: writing {args.format.upper()} to '{out.name}'",
            )
        )
    if not out.parent.exists():
        raise CommandFailed(
            ctx.t(
                f"thư mục {out.parent} không tồn tại; hãy tạo nó hoặc chọn -o FILE khác",
                f"the folder {out.parent} does not exist; create it or choose another -o FILE",
            )
        )
    made = build_report(
        ctx.store(),
        args.period,
        fmt=args.format,
        lang=getattr(args, "lang", None) or "vi",
        today=parse_day(args.today, what="--today"),
        issuer=parse_issuer(args.issuer),
    )
    tmp = out.with_name(f".{out.name}.part")
    tmp.write_bytes(made.data)
    tmp.replace(out)
    say(ctx.t(f"đã ghi {out} ({ctx.num(len(made.data))} byte)", f"wrote {out} ({ctx.num(len(made.data))} bytes)"))
    return 0


def _add_record_common(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--source",
        default="",
        metavar="S",
        help=h(lang, "nguồn số liệu (báo cáo, thống kê, ...)", "where the figure comes from (report, statistics, ...)"),
    )
    p.add_argument("--note", default="", metavar="N", help=h(lang, "ghi chú", "a note"))
    add_json(p, lang)


def _configure_actual(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--target",
        required=True,
        metavar="ID",
        help=h(lang, "mã chỉ tiêu: 1..13 hoặc training", "target id: 1..13 or training"),
    )
    p.add_argument(
        "--measure",
        metavar="KEY",
        help=h(
            lang,
            "mã thước đo (mặc định: thước đo ghi nhận đầu tiên của chỉ tiêu)",
            "measure key (default: the target's first recorded measure)",
        ),
    )
    add_period(p, lang, required=True)
    p.add_argument(
        "--value",
        required=True,
        metavar="V",
        help=h(lang, "giá trị theo đơn vị của thước đo (vd 1.234,5)", "the value, in the measure's unit"),
    )
    _add_record_common(p, lang)


@command(
    "record-actual",
    vi="ghi giá trị thực hiện của một chỉ tiêu cho một kỳ (chỉ thêm, kèm ai và khi nào)",
    en="record a target's actual value for a period (append-only, with who and when)",
    configure=_configure_actual,
)
def _record_actual(ctx: Ctx) -> int:
    args = ctx.args
    done = record_actual(
        ctx.store(),
        actor=ctx.actor,
        target_id=args.target,
        measure=args.measure,
        period=args.period,
        value=args.value,
        source=args.source,
        note=args.note,
    )
    if args.json:
        emit_json(done.to_dict())
        return 0
    r = done.row
    say(
        ctx.t(
            f"đã ghi chỉ tiêu {r['target_id']} {r['measure']} kỳ {r['period']} = {ctx.num(r['value'])} {r['unit']} "
            f"(người ghi: {done.user})",
            f"recorded target {r['target_id']} {r['measure']} {r['period']} = {ctx.num(r['value'])} {r['unit']} "
            f"(by {done.user})",
        )
    )
    return 0


def _configure_disbursement(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--line",
        required=True,
        metavar="ID",
        help=h(
            lang,
            "mã dòng vốn hoặc dự án (budget-check --json)",
            "funding line or project cost id (budget-check --json)",
        ),
    )
    add_period(p, lang, required=True)
    p.add_argument(
        "--amount",
        required=True,
        metavar="BN",
        help=h(lang, "số vốn đã giải ngân, tỷ đồng (vd 12,5)", "amount disbursed in bn VND (tỷ đồng)"),
    )
    _add_record_common(p, lang)


@command(
    "record-disbursement",
    vi="ghi số vốn đã giải ngân cho một dòng vốn hoặc dự án (chỉ thêm)",
    en="record an amount disbursed for a funding line or project (append-only)",
    configure=_configure_disbursement,
)
def _record_disbursement(ctx: Ctx) -> int:
    args = ctx.args
    done = record_disbursement(
        ctx.store(),
        actor=ctx.actor,
        line_id=args.line,
        period=args.period,
        amount_bn_vnd=args.amount,
        source=args.source,
        note=args.note,
    )
    if args.json:
        emit_json(done.to_dict())
        return 0
    r = done.row
    say(
        ctx.t(
            f"đã ghi {ctx.num(r['amount_bn_vnd'])} tỷ đồng cho {r['line_id']} kỳ {r['period']} "
            f"(người ghi: {done.user})",
            f"recorded {ctx.num(r['amount_bn_vnd'])} bn VND for {r['line_id']} in {r['period']} (by {done.user})",
        )
    )
    return 0

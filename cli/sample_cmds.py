"""The sample dataset: ``baoyen sample`` writes a clearly synthetic store beside the real one."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.options import add_json, h
from cli.output import Ctx, emit_json, say
from cli.registry import command
from services.sample import BANNER, build_sample, sample_path


def _configure(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--to",
        metavar="PATH",
        help=h(
            lang,
            "nơi ghi kho mẫu (mặc định: baoyen-sample.gpkg cạnh kho thật; không bao giờ ghi vào kho thật)",
            "where to write the sample store (default: baoyen-sample.gpkg beside the real one; never the real one)",
        ),
    )
    add_json(p, lang)


@command(
    "sample",
    vi="tạo kho dữ liệu mẫu (một cụm công nghiệp giả định có lô đất, vùng nguyên liệu, số liệu thực hiện) để xem thử",
    en="make a sample store (a synthetic cluster with lots, mapped stands, recorded figures) to try the app",
    configure=_configure,
)
def _sample(ctx: Ctx) -> int:
    given = ctx.args.to or ctx.args.store  # `baoyen sample --store PATH` makes PATH the sample store
    target = Path(given) if given else sample_path(ctx.settings)
    made = build_sample(target, ctx.settings)
    if ctx.args.json:
        emit_json(made.to_dict())
        return 0
    say(
        ctx.t(
            f"đã tạo kho mẫu {made.path} ({made.lots} lô đất, {made.stands} lô rừng) — {BANNER[0]}; "
            f"xem bằng: make demo, hoặc BAOYEN_STORE={made.path} make run",
            f"sample store made at {made.path} ({made.lots} lots, {made.stands} stands) — {BANNER[1]}; "
            f"open it with: make demo, or BAOYEN_STORE={made.path} make run",
        )
    )
    return 0

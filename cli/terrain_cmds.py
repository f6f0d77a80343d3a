"""Terrain and siting: dem (import, slope, hillshade, zonal, info), siting, decree32."""

from __future__ import annotations

import argparse
from pathlib import Path

from analysis.siting import Criteria, Criterion
from cli.io_cmds import crs_choice
from cli.options import add_crs, add_json, h
from cli.output import CommandFailed, Ctx, emit_json, print_table, say
from cli.registry import command
from services.inputs import read_input
from services.terrain import (
    DEM_SOURCES,
    decree32,
    dem_from,
    dem_versions,
    import_dem,
    save_sites,
    siting,
    write_hillshade,
    write_slope,
    zonal,
)

DEM_ACTIONS = ("import", "slope", "hillshade", "zonal", "info")


def _configure_dem(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument("action", choices=DEM_ACTIONS, help=h(lang, "việc cần làm", "what to do"))
    p.add_argument(
        "source",
        nargs="?",
        default="stored",
        help=h(
            lang,
            "tệp DEM (GeoTIFF, ASCII grid…) hoặc 'stored' (DEM đã lưu trong kho, mặc định)",
            "DEM file (GeoTIFF, ASCII grid…) or 'stored' (the store's DEM, the default)",
        ),
    )
    p.add_argument("-o", "--output", metavar="OUT.tif", help=h(lang, "tệp raster sẽ ghi", "raster file to write"))
    p.add_argument(
        "--units", choices=["percent", "degrees"], default="percent", help=h(lang, "đơn vị độ dốc", "slope units")
    )
    p.add_argument("--zones", metavar="FILE", help=h(lang, "các vùng cần thống kê", "polygons to summarise"))
    p.add_argument("--id-field", metavar="F", help=h(lang, "trường mã của vùng", "id field of the zones"))
    p.add_argument(
        "--max-slope-pct",
        metavar="N",
        help=h(lang, "độ dốc tối đa (%) để tính tỷ lệ diện tích dưới nó", "slope (%) to give the share below"),
    )
    add_crs(p, lang)
    add_json(p, lang)


@command(
    "dem",
    vi="mô hình số độ cao: nhập vào kho, độ dốc, bóng địa hình, thống kê theo vùng (exactextract)",
    en="elevation model: import into the store, slope, hillshade, zonal statistics (exactextract)",
    configure=_configure_dem,
)
def _dem(ctx: Ctx) -> int:
    args = ctx.args
    store = ctx.store()
    if args.action == "info":
        versions = dem_versions(store)
        if args.json:
            emit_json({"versions": versions, "where_to_get_one": DEM_SOURCES[1 if ctx.lang == "en" else 0]})
        elif not versions:
            say(
                ctx.t("kho chưa có DEM; nguồn: ", "the store holds no DEM; get one from: ")
                + DEM_SOURCES[ctx.lang == "en"]
            )
        else:
            print_table(
                [
                    (v["version"], v["source"], v["crs"], "×".join(map(str, v["shape"])), v["user"], v["at"])
                    for v in versions
                ],
                [
                    ctx.t("phiên bản", "version"),
                    ctx.t("nguồn", "source"),
                    "CRS",
                    ctx.t("lưới", "grid"),
                    ctx.t("người nhập", "user"),
                    ctx.t("lúc", "at"),
                ],
            )
        return 0
    crs = crs_choice(ctx).assume
    if args.action == "import":
        if args.source == "stored":
            raise CommandFailed(ctx.t("dem import cần một tệp DEM", "dem import needs a DEM file"))
        done = import_dem(store, Path(args.source), actor=ctx.actor, base_version=len(dem_versions(store)), crs=crs)
        if args.json:
            emit_json(done.to_dict())
        else:
            r = done.report
            say(
                ctx.t(
                    f"đã lưu DEM phiên bản {done.version}: {r.width}×{r.height} ô, {r.crs}, "
                    f"ô {ctx.num(r.res[0], 2)} m, độ cao {ctx.num(r.elev_min, 1)}–{ctx.num(r.elev_max, 1)} m",
                    f"DEM stored as version {done.version}: {r.width}×{r.height} cells, {r.crs}, cell "
                    f"{ctx.num(r.res[0], 2)} m, elevation {ctx.num(r.elev_min, 1)}–{ctx.num(r.elev_max, 1)} m",
                )
            )
            for w in r.warnings:
                ctx.warn(w)
        return 0
    dem = dem_from(store, args.source, crs=crs)
    if args.action in ("slope", "hillshade"):
        if not args.output:
            raise CommandFailed(ctx.t(f"dem {args.action} cần -o OUT.tif", f"dem {args.action} needs -o OUT.tif"))
        out = Path(args.output)
        if not out.parent.exists():
            raise CommandFailed(ctx.t(f"thư mục {out.parent} không tồn tại", f"folder {out.parent} does not exist"))
        written = write_slope(dem, out, units=args.units) if args.action == "slope" else write_hillshade(dem, out)
        if args.json:
            emit_json({"output": str(written), "action": args.action, "units": args.units, "grid": list(dem.shape)})
        else:
            say(ctx.t(f"đã ghi {written}", f"wrote {written}"))
        return 0
    if not args.zones:
        raise CommandFailed(ctx.t("dem zonal cần --zones FILE", "dem zonal needs --zones FILE"))
    zones, _ = read_input(
        args.zones, what=ctx.t("các vùng", "the zones"), crs=crs_choice(ctx), limits=ctx.settings.limits
    )
    result = zonal(dem, zones, id_field=args.id_field, max_slope_pct=ctx.number(args.max_slope_pct, "--max-slope-pct"))
    if args.json:
        emit_json(result.to_dict())
        return 0
    print_table(
        [
            (
                r.id,
                ctx.num(r.area_ha, 2),
                ctx.num(r.elev_min, 1),
                ctx.num(r.elev_mean, 1),
                ctx.num(r.elev_max, 1),
                ctx.num(r.slope_mean_pct, 2),
                ctx.num(r.share_below_pct, 1),
            )
            for r in result.rows
        ],
        [
            "id",
            "ha",
            ctx.t("cao min", "elev min"),
            ctx.t("cao TB", "elev mean"),
            ctx.t("cao max", "elev max"),
            ctx.t("dốc TB %", "slope mean %"),
            ctx.t("% dưới ngưỡng", "% below"),
        ],
    )
    return 0


def _configure_siting(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--dem", default="stored", metavar="FILE", help=h(lang, "tệp DEM hoặc 'stored'", "DEM file or 'stored'")
    )
    p.add_argument("--min-ha", metavar="N", help=h(lang, "diện tích tối thiểu (ha)", "smallest area (ha)"))
    p.add_argument("--max-slope-pct", metavar="N", help=h(lang, "độ dốc tối đa (%)", "largest slope (%)"))
    p.add_argument("--roads", metavar="FILE", help=h(lang, "tim đường (đã nhập)", "road centre lines"))
    p.add_argument("--max-road-m", metavar="N", help=h(lang, "cách đường tối đa (m)", "farthest from a road (m)"))
    p.add_argument("--rivers", metavar="FILE", help=h(lang, "sông suối", "rivers"))
    p.add_argument("--min-river-m", metavar="N", help=h(lang, "cách sông tối thiểu (m)", "nearest to a river (m)"))
    p.add_argument(
        "--exclude",
        action="append",
        metavar="FILE",
        help=h(lang, "vùng loại trừ (lặp lại được)", "excluded areas (repeatable)"),
    )
    p.add_argument(
        "--communes",
        metavar="CODES",
        help=h(
            lang,
            "chỉ trong các xã (mã, cách nhau bằng dấu phẩy)",
            "only inside these communes (codes, comma-separated)",
        ),
    )
    p.add_argument(
        "--save",
        action="store_true",
        help=h(lang, "lưu thành lớp candidate_sites", "keep them as the layer candidate_sites"),
    )
    add_crs(p, lang)
    add_json(p, lang)


@command(
    "siting",
    vi="tìm địa điểm ứng viên cho khu công nghiệp mới theo các tiêu chí (độ dốc, đường, sông, vùng loại trừ)",
    en="candidate sites for a new industrial area from criteria (slope, roads, rivers, exclusions)",
    configure=_configure_siting,
)
def _siting(ctx: Ctx) -> int:
    from services.terrain import communes_frame

    args = ctx.args
    store = ctx.store()
    crs = crs_choice(ctx)
    dem = dem_from(store, args.dem, crs=crs.assume)

    def layer(path: str | None, what: str):  # type: ignore[no-untyped-def]
        return read_input(path, what=what, crs=crs, limits=ctx.settings.limits)[0] if path else None

    defaults = Criteria()

    def criterion(value: str | None, flag: str, default: Criterion | None) -> Criterion:
        assert default is not None
        if value is None:
            return default
        source = ctx.t(f"người dùng nhập ({flag})", f"given by the user ({flag})")
        return Criterion(default.key, ctx.number(value, flag) or 0.0, default.unit, source)

    criteria = Criteria(
        max_slope_pct=criterion(args.max_slope_pct, "--max-slope-pct", defaults.max_slope_pct),
        max_road_m=criterion(args.max_road_m, "--max-road-m", defaults.max_road_m),
        min_river_m=criterion(args.min_river_m, "--min-river-m", defaults.min_river_m),
        min_area_ha=criterion(args.min_ha, "--min-ha", defaults.min_area_ha),
    )
    within = (
        communes_frame(store, [c.strip() for c in args.communes.split(",") if c.strip()]) if args.communes else None
    )
    result = siting(
        dem,
        criteria=criteria,
        roads=layer(args.roads, ctx.t("tim đường", "the roads")),
        rivers=layer(args.rivers, ctx.t("sông suối", "the rivers")),
        exclusions=tuple(layer(x, ctx.t("vùng loại trừ", "an exclusion layer")) for x in (args.exclude or [])),
        within=within,
    )
    out = result.to_dict(ctx.lang)
    if args.save:
        saved = save_sites(store, result, actor=ctx.actor, base_version=None)
        out["saved"] = saved.to_dict()
    if args.json:
        emit_json(out)
        return 0
    print_table(
        [
            (
                c["rank"],
                c["id"],
                ctx.num(c["area_ha"], 2),
                ctx.num(c["slope_mean_pct"], 2),
                ctx.num(c["road_m"], 0),
                ctx.num(c["score"], 3),
            )
            for c in out["candidates"]
        ],
        [
            ctx.t("hạng", "rank"),
            "id",
            "ha",
            ctx.t("dốc TB %", "slope %"),
            ctx.t("cách đường m", "road m"),
            ctx.t("điểm", "score"),
        ],
    )
    say(
        ctx.t(
            f"{len(out['candidates'])} địa điểm ứng viên; đất phù hợp {ctx.ha(out['suitable_ha'], 2)} trên "
            f"{ctx.ha(out['considered_ha'], 2)} đã xét",
            f"{len(out['candidates'])} candidate sites; suitable land {ctx.ha(out['suitable_ha'], 2)} of "
            f"{ctx.ha(out['considered_ha'], 2)} considered",
        )
    )
    for note in out["notes"]:
        say(f"{ctx.t('ghi chú', 'note')}: {note}")
    return 0


def _configure_decree32(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--area",
        default="district",
        metavar="CODE",
        help=h(
            lang,
            "mã xã (cũ hoặc 2025), 'district' hoặc 'province'",
            "commune code (legacy or 2025), 'district' or 'province'",
        ),
    )
    p.add_argument("--expand", metavar="CLUSTER", help=h(lang, "cụm cần xét mở rộng", "cluster to expand"))
    p.add_argument("--by-ha", metavar="N", help=h(lang, "diện tích mở rộng (ha)", "hectares added"))
    add_json(p, lang)


@command(
    "decree32",
    vi="điều kiện thành lập mới, mở rộng cụm công nghiệp theo Nghị định 32/2024 (tỷ lệ lấp đầy các cụm hiện có)",
    en="Decree 32/2024 conditions for a new or expanded industrial cluster (occupancy of the clusters in the area)",
    configure=_configure_decree32,
)
def _decree32(ctx: Ctx) -> int:
    args = ctx.args
    if args.by_ha is not None and not args.expand:
        raise CommandFailed(ctx.t("--by-ha cần đi cùng --expand CLUSTER", "--by-ha needs --expand CLUSTER"))
    result = decree32(ctx.store(), area=args.area, expand=args.expand, by_ha=ctx.number(args.by_ha, "--by-ha"))
    if args.json:
        emit_json(result.to_dict(ctx.lang))
        return 0

    def verdict(v: bool | None) -> str:
        return ctx.t("chưa đủ số liệu", "no data") if v is None else ctx.yes(v)

    print_table(
        [
            (
                c.name,
                ctx.pct(c.occupancy_pct, 1) if c.occupancy_pct is not None else ctx.t("chưa có số liệu", "no data"),
                ctx.ha(c.unleased_ha, 2) if c.unleased_ha is not None else "—",
            )
            for c in result.clusters
        ],
        [ctx.t("cụm", "cluster"), ctx.t("lấp đầy", "occupancy"), ctx.t("chưa cho thuê", "unleased")],
    )
    say(f"{ctx.t('được thành lập cụm mới', 'new cluster allowed')}: {verdict(result.new_cluster_allowed)}")
    if args.expand:
        say(f"{ctx.t('được mở rộng', 'expansion allowed')} {args.expand}: {verdict(result.expansion_allowed)}")
    for reason in result.reason_texts(ctx.lang):
        say(f"  {reason}")
    return 0

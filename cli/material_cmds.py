"""Raw-material zones: overlay, supply."""

from __future__ import annotations

import argparse
import csv
import sys

from analysis.materials import species_label
from cli.io_cmds import crs_choice
from cli.options import add_crs, add_json, h
from cli.output import Ctx, emit_json, print_table, say, write
from cli.registry import command
from services.inputs import read_input
from services.materials import amount_text, overlay, supply
from services.messages import describe


def _configure_overlay(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--zones",
        required=True,
        metavar="PATH",
        help=h(lang, "các vùng có trường phân loại (vd loài cây)", "zone polygons with a class field (e.g. species)"),
    )
    p.add_argument(
        "--units",
        metavar="PATH",
        help=h(
            lang,
            "các đơn vị (mặc định: các xã cũ trong kho, trường ma_xa)",
            "unit polygons (default: the store's legacy communes, field ma_xa)",
        ),
    )
    p.add_argument(
        "--zone-field",
        default="species",
        metavar="F",
        help=h(lang, "trường phân loại của vùng (mặc định: species)", "class field of the zones (default: species)"),
    )
    p.add_argument(
        "--unit-field",
        default="ma_xa",
        metavar="F",
        help=h(lang, "trường mã của đơn vị (mặc định: ma_xa)", "id field of the units (default: ma_xa)"),
    )
    p.add_argument(
        "--units-2025",
        action="store_true",
        help=h(
            lang,
            "gộp kết quả theo xã cũ thành xã 2025 (successor_code của communes_legacy)",
            "regroup legacy-commune results to the 2025 communes (successor_code of communes_legacy)",
        ),
    )
    add_crs(p, lang)
    out = p.add_mutually_exclusive_group()
    out.add_argument(
        "--json",
        action="store_true",
        help=h(lang, "in một đối tượng JSON ra stdout", "print one JSON object on stdout"),
    )
    out.add_argument(
        "--csv",
        action="store_true",
        help=h(
            lang,
            "in các dòng CSV unit,zone,area_ha (unit trống = ngoài mọi đơn vị)",
            "print CSV rows unit,zone,area_ha (unit empty = unassigned)",
        ),
    )


def _read(ctx: Ctx, path: str, what: str):  # type: ignore[no-untyped-def]
    frame, report = read_input(path, what=what, crs=crs_choice(ctx), limits=ctx.settings.limits)
    for w in report.warnings:
        ctx.warn(f"{what}: {describe(w, ctx.lang)}")
    return frame


@command(
    "overlay",
    vi="diện tích (ha) từng loại vùng trong từng đơn vị; phần chồng lấn tính cho mã nhỏ nhất, phần còn lại "
    "là ngoài đơn vị",
    en="hectares of each zone class per unit; overlaps go to the lowest unit id, the rest is unassigned",
    configure=_configure_overlay,
)
def _overlay(ctx: Ctx) -> int:
    args = ctx.args
    zones = _read(ctx, args.zones, ctx.t("các vùng", "the zones"))
    units = _read(ctx, args.units, ctx.t("các đơn vị", "the units")) if args.units else None
    store = ctx.store() if units is None or args.units_2025 else None
    done = overlay(
        store,
        zones,
        units=units,
        units_label=args.units,
        zone_field=args.zone_field,
        unit_field=args.unit_field,
        to_2025=args.units_2025,
    )
    out = done.to_dict()
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
    print_table(
        [(r["unit"], r["zone"], ctx.num(r["area_ha"], 4)) for r in out["rows"]],
        [ctx.t("đơn vị", "unit"), ctx.t("vùng", "zone"), "area_ha"],
    )
    write()
    print_table(
        [(z, ctx.num(t, 4), ctx.num(out["unassigned_by_zone"].get(z, 0.0), 4)) for z, t in out["zone_totals"].items()],
        [ctx.t("vùng", "zone"), "total_ha", "unassigned_ha"],
    )
    total, outside = ctx.ha(out["total_ha"]), ctx.ha(out["unassigned_ha"])
    say(
        ctx.t(
            f"tổng {total}, trong đó ngoài mọi đơn vị {outside}; tính trong {out['crs']}",
            f"total {total}, of which unassigned (outside every unit) {outside}; measured in {out['crs']}",
        )
    )
    return 0


def _configure_supply(p: argparse.ArgumentParser, lang: str) -> None:
    p.add_argument(
        "--plant",
        required=True,
        metavar="ID",
        help=h(
            lang, "mã nhà máy chế biến (lớp processing_plants)", "id of a processing plant (layer processing_plants)"
        ),
    )
    p.add_argument(
        "--species",
        metavar="S",
        help=h(
            lang,
            "loài hoặc loại vùng, cách nhau bằng dấu phẩy (mặc định: vùng nguyên liệu của nhà máy)",
            "species or zone kind, comma-separated (default: the plant's raw-material zone)",
        ),
    )
    p.add_argument(
        "--distance-km",
        default="20",
        metavar="N",
        help=h(lang, "khoảng cách tối đa (km, mặc định 20)", "distance limit in km (default 20)"),
    )
    p.add_argument(
        "--roads",
        metavar="PATH",
        help=h(lang, "tim đường: đo khoảng cách theo đường", "road centre lines: measure the distance along them"),
    )
    p.add_argument(
        "--yield-per-ha",
        metavar="N",
        help=h(
            lang,
            "sản lượng mỗi ha mỗi năm, để đổi diện tích thành sản lượng",
            "yield per ha and year, to turn hectares into a supply",
        ),
    )
    p.add_argument(
        "--unit",
        metavar="U",
        help=h(
            lang,
            "đơn vị của sản lượng và công suất (mặc định: đơn vị công suất của nhà máy, nếu không thì t; vd m3)",
            "unit of the yield and the capacity (default: the unit of the plant's capacity, else t; e.g. m3)",
        ),
    )
    p.add_argument(
        "--capacity",
        metavar="N",
        help=h(
            lang,
            "công suất của nhà máy mỗi năm theo cùng đơn vị (mặc định: công suất trong số liệu nhà máy, nếu có)",
            "the plant's capacity per year in the same unit (default: the capacity in the plant's data, if any)",
        ),
    )
    add_crs(p, lang)
    add_json(p, lang)


@command(
    "supply",
    vi="diện tích vùng nguyên liệu đã lập bản đồ mà một nhà máy chế biến có thể dùng trong một khoảng cách",
    en="mapped raw-material area a processing plant can draw on within a distance (straight or by road)",
    configure=_configure_supply,
)
def _supply(ctx: Ctx) -> int:
    args = ctx.args
    distance_km = ctx.number(args.distance_km, "--distance-km", positive=True) or 20.0
    yield_per_ha = ctx.number(args.yield_per_ha, "--yield-per-ha")
    capacity = ctx.number(args.capacity, "--capacity", positive=True)
    species = tuple(s.strip() for s in args.species.split(",") if s.strip()) if args.species else None
    roads = _read(ctx, args.roads, ctx.t("tim đường", "the roads")) if args.roads else None
    done = supply(
        ctx.store(),
        args.plant,
        distance_km=distance_km,
        species=species,
        roads=roads,
        yield_per_ha=yield_per_ha,
        unit=args.unit,
        capacity=capacity,
    )
    out = done.to_dict(ctx.lang, give=("dùng --capacity", "give --capacity"))
    if done.capacity.origin == "option" and done.capacity.value is not None:
        figure = f"{amount_text(done.capacity.value, ctx.lang)} {done.unit}/{ctx.t('năm', 'yr')}"
        out["capacity_note"] = ctx.t(f"{figure} theo --capacity", f"{figure} from --capacity")
    if args.json:
        emit_json(out)
        return 0
    result, unit = done.result, done.unit
    how = ctx.t("theo đường", "along roads") if result.method == "road" else ctx.t("đường chim bay", "straight line")
    rows: list[tuple[str, str]] = [
        (ctx.t("nhà máy", "plant"), f"{done.plant_name} ({args.plant})"),
        (ctx.t("khoảng cách", "distance"), f"{ctx.num(distance_km)} km, {how}"),
        (ctx.t("loài", "species"), ", ".join(result.species) if result.species else ctx.t("tất cả", "all")),
        (ctx.t("diện tích đã lập bản đồ", "mapped area"), ctx.ha(result.area_ha)),
    ]
    rows += [(f"  {species_label(k, ctx.lang)}", ctx.ha(v)) for k, v in result.by_species.items()]
    per_year = ctx.t("năm", "yr")
    if result.supply is not None and yield_per_ha is not None:
        rows.append(
            (
                ctx.t("sản lượng", "supply"),
                f"{ctx.num(result.supply, 1)} {unit}/{per_year} {ctx.t('với', 'at')} {ctx.num(yield_per_ha)} {unit}/ha",
            )
        )
    rows.append((ctx.t("công suất", "capacity"), out["capacity_note"]))
    if result.capacity_ratio is not None and done.capacity.value is not None:
        rows.append(
            (
                ctx.t("so với công suất", "of capacity"),
                f"{ctx.pct(result.capacity_ratio * 100, 1)} {ctx.t('của', 'of')} "
                f"{amount_text(done.capacity.value, ctx.lang)} {unit}/{per_year}",
            )
        )
    print_table(rows, [ctx.t("chỉ số", "measure"), ctx.t("giá trị", "value")])
    for n in result.notes:
        say(f"{ctx.t('ghi chú', 'note')}: {describe(n, ctx.lang)}")
    return 0

"""The layer catalogue: every layer of the plan, declared once.

Each :class:`~layers.model.LayerDef` names its group, geometry type, typed fields with units, style and the
plan targets it serves ("1".."13" are the seed's numbered targets of section II, "training" is the ~2,000
trained workers of IV.2). Authored layers read their features from a text file under ``data/`` (see
:mod:`layers.authored` and ``docs/DATA.md``); ``user_data`` layers ship empty and wait for the planners' own
data (lots, mapped zones, and the entities the plan gives only as counts: 12 mines, 22 brick facilities,
344 small-industry facilities).
"""

from __future__ import annotations

from geo.text import fold
from layers.model import Catalogue, FieldDef, LayerDef, Style

#: Canonical status keys, in lifecycle order. Vietnamese labels for the UI: :data:`STATUS_LABELS`.
STATUS_CHOICES: tuple[str, ...] = ("operating", "expanding", "upgrading", "under_construction", "planned", "proposed")

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "operating": ("Đang hoạt động", "Operating"),
    "expanding": ("Mở rộng", "Expanding"),
    "upgrading": ("Nâng cấp", "Upgrading"),
    "under_construction": ("Đang xây dựng", "Under construction"),
    "planned": ("Theo kế hoạch", "Planned"),
    "proposed": ("Đề xuất / nghiên cứu", "Proposed / under study"),
}

#: Plan target ids: the 13 numbered targets of section II and the training target of IV.2.
TARGET_IDS: tuple[str, ...] = (*(str(n) for n in range(1, 14)), "training")

#: One colour per group (ColorBrewer-derived, distinct on a light basemap).
GROUP_COLORS: dict[str, str] = {
    "admin": "#4d4d4d",
    "clusters": "#762a83",
    "materials": "#1b7837",
    "minerals": "#8c510a",
    "hydropower": "#2166ac",
    "water": "#35978f",
    "processing": "#d95f02",
    "craft": "#c51b7d",
}

#: Raw-material species / zone kinds (canonical key -> Vietnamese, English).
SPECIES_LABELS: dict[str, tuple[str, str]] = {
    "que": ("Quế", "Cinnamon"),
    "mo": ("Mỡ", "Manglietia (Mỡ)"),
    "trau": ("Trầu (Trẩu)", "Tung-oil tree (Trẩu)"),
    "bo_de": ("Bồ Đề", "Styrax (Bồ Đề)"),
    "tre_vau": ("Tre, Vầu", "Bamboo"),
    "hong_khong_hat": ("Hồng không hạt", "Seedless persimmon"),
    "que_sa": ("Quế và sả (tinh dầu)", "Cinnamon and lemongrass (essential oil)"),
    "che": ("Chè", "Tea"),
    "go_mdf": ("Gỗ nguyên liệu MDF", "Wood for the MDF plant"),
    "may_tre": ("Mây, tre đan", "Rattan and bamboo"),
    "nong_lam": ("Nông, lâm sản tập trung", "Agro-forestry hub supply"),
}

SPECIES_COLORS: tuple[tuple[str, str], ...] = (
    ("que", "#a6611a"),
    ("mo", "#1b9e77"),
    ("trau", "#7570b3"),
    ("bo_de", "#66a61e"),
    ("tre_vau", "#b8b800"),
    ("hong_khong_hat", "#e7298a"),
    ("que_sa", "#d95f02"),
    ("che", "#006d2c"),
    ("go_mdf", "#8c6d31"),
    ("may_tre", "#e6ab02"),
    ("nong_lam", "#666666"),
)

#: Land use inside a cluster, as issue 4 defines it (Vietnamese input is normalised by analysis.occupancy).
CLUSTER_USE_CHOICES: tuple[str, ...] = ("industrial", "road", "green", "technical", "other")
#: Lot status, as issue 4 defines it (trống | đã cho thuê | đang xây dựng | đang hoạt động on input).
LOT_STATUS_CHOICES: tuple[str, ...] = ("vacant", "allocated", "building", "operating")


# --- fields used by several layers -------------------------------------------------------------------------


def _f(name: str, dtype: str, vi: str, en: str, unit: str | None = None, **kw: object) -> FieldDef:
    return FieldDef(name, dtype, vi, en, unit, **kw)  # type: ignore[arg-type]


STATUS = _f("status", "str", "Trạng thái", "Status", choices=STATUS_CHOICES, key=True)
TARGET_YEAR = _f("target_year", "int", "Năm mục tiêu", "Target year", "year")
BUDGET = _f("budget_bn", "float", "Kinh phí dự kiến", "Planned budget", "bn VND", key=True)
PLAN_TARGETS = _f("plan_targets", "str", "Mục tiêu kế hoạch", "Plan targets served")
COMMUNE_CODE = _f("commune_code", "str", "Mã xã (cũ)", "Commune code (legacy)")
COMMUNE_NAME = _f("commune_name", "str", "Xã (cũ)", "Commune (legacy)")
#: what a public source says where it adds to or disagrees with the plan; a key figure, so that every popup and
#: card shows it beside the plan's own figure (typed counterparts: ``other_<field>``, e.g. ``other_capacity_mw``)
OTHER_SOURCE = _f("other_source", "str", "Nguồn khác nói", "Other source says", key=True)
LOCATION_NOTE = _f("location_note", "str", "Ghi chú vị trí", "Location note")
NOTE = _f("note", "str", "Ghi chú", "Note")
OPERATOR = _f("operator", "str", "Chủ đầu tư / đơn vị", "Operator / investor")

#: fields of every authored point layer, after its own
_POINT_TAIL = (COMMUNE_CODE, COMMUNE_NAME, PLAN_TARGETS, OTHER_SOURCE, LOCATION_NOTE, NOTE)


def _targets(*ids: str) -> tuple[str, ...]:
    unknown = set(ids) - set(TARGET_IDS)
    if unknown:
        raise ValueError(f"unknown plan target(s) {sorted(unknown)}")
    return ids


_ADMIN_TARGETS = _targets("1", "8", "training")  # district-wide figures are reported by commune

LAYERS: tuple[LayerDef, ...] = (
    # --- admin -----------------------------------------------------------------------------------------
    LayerDef(
        id="communes_legacy",
        title_vi="Xã, thị trấn trước 7/2025",
        title_en="Communes before July 2025",
        group="admin",
        geometry_type="Polygon",
        fields=(
            _f("ma_xa", "str", "Mã xã", "Official code", required=True, key=True),
            _f("ten_xa", "str", "Tên xã", "Name", required=True, key=True),
            _f("loai", "str", "Loại đơn vị", "Unit type", choices=("Thị trấn", "Xã")),
            _f("successor_code", "str", "Mã xã mới (2025)", "2025 commune code", required=True),
            _f("successor_name", "str", "Xã mới (2025)", "2025 commune"),
            _f("successor_split", "bool", "Xã cũ bị chia", "Legacy unit split in 2025"),
            _f("centre_lat", "float", "Vĩ độ trung tâm", "Centre latitude", "°"),
            _f("centre_lon", "float", "Kinh độ trung tâm", "Centre longitude", "°"),
            LOCATION_NOTE,
        ),
        style=Style(color=GROUP_COLORS["admin"], fill_color="#f0f0f0", fill_opacity=0.05, weight=1.5),
        targets=_ADMIN_TARGETS,
        description_vi="17 xã, thị trấn mà kế hoạch sử dụng. Khi chưa nhập ranh giới thật, ranh giới là sơ đồ (ô "
        "Voronoi quanh tâm xã chính thức), không phải ranh giới pháp lý; hãy nhập ranh giới thật (trang Dữ liệu hoặc "
        "lệnh `import-boundaries`). Tên lớp ghi độ tin cậy của dữ liệu đang lưu.",
        description_en="The 17 units the plan uses. Until real boundaries are imported they are schematic (Voronoi "
        "cells around the official centre points), not legal boundaries; import real boundaries (Data page or the "
        "`import-boundaries` command). The layer's title says the quality of the stored data.",
        data_file="communes_legacy.csv",
    ),
    LayerDef(
        id="communes_2025",
        title_vi="Xã mới từ 7/2025",
        title_en="Communes since July 2025",
        group="admin",
        geometry_type="Polygon",
        fields=(
            _f("ma_xa", "str", "Mã xã", "Official code", required=True, key=True),
            _f("ten_xa", "str", "Tên xã", "Name", required=True, key=True),
            _f("area_km2", "float", "Diện tích chính thức", "Official area", "km²"),
            # a package figure that does not fit the units it merges: kept here, not as the official area
            _f("other_area_km2", "float", "Diện tích (nguồn khác)", "Area (other source)", "km²", key=True),
            OTHER_SOURCE,
            _f("legacy_codes", "str", "Mã các xã cũ", "Legacy unit codes"),
            # units from outside the old district that the vietnamadminunits conversion merges into it
            _f("outside_units", "str", "Xã cũ ngoài huyện Bảo Yên", "Legacy units from outside Bảo Yên", key=True),
            _f("centre_lat", "float", "Vĩ độ trung tâm", "Centre latitude", "°"),
            _f("centre_lon", "float", "Kinh độ trung tâm", "Centre longitude", "°"),
            LOCATION_NOTE,
        ),
        style=Style(color="#252525", fill_opacity=0.0, weight=2.5),
        targets=_ADMIN_TARGETS,
        description_vi="6 xã mới (sau sáp nhập 1/7/2025) phủ huyện Bảo Yên cũ: hợp các xã cũ (ô sơ đồ, hoặc ranh "
        "giới thật khi đã nhập). Theo "
        "bảng chuyển đổi vietnamadminunits, chỉ xã Bảo Hà (02989) còn gồm đất ngoài huyện cũ (xã Tân Thượng, Tân An "
        "của huyện Văn Bàn cũ); hình của xã này thiếu phần đó.",
        description_en="The 6 communes (after the 1 July 2025 merger) covering old Bảo Yên: unions of the legacy "
        "units (schematic cells, or the real boundaries once imported). By the vietnamadminunits conversion only "
        "Bảo Hà (02989) also takes in land outside the "
        "old district (Tân Thượng and Tân An of old Văn Bàn); its shape lacks that part.",
        data_file="communes_2025.csv",
        visible_by_default=False,
    ),
    LayerDef(
        id="commune_centres",
        title_vi="Tâm xã chính thức",
        title_en="Official commune centres",
        group="admin",
        geometry_type="Point",
        fields=(
            _f("ma_xa", "str", "Mã xã", "Official code", required=True, key=True),
            _f("ten_xa", "str", "Tên xã", "Name", required=True),
            _f("successor_code", "str", "Mã xã mới (2025)", "2025 commune code"),
            LOCATION_NOTE,
        ),
        style=Style(color=GROUP_COLORS["admin"], fill_color="#ffffff", fill_opacity=1.0, radius=3.0, weight=1.0),
        targets=_ADMIN_TARGETS,
        description_vi="Điểm tâm 17 xã, thị trấn cũ do gói vietnamadminunits cung cấp (mã hóa địa lý, không đo đạc).",
        description_en="Centre points of the 17 legacy units from the vietnamadminunits package (geocoded, not "
        "surveyed).",
        data_file="communes_legacy.csv",
        visible_by_default=False,
    ),
    # --- clusters --------------------------------------------------------------------------------------
    LayerDef(
        id="clusters",
        title_vi="Cụm công nghiệp, khu TTCN",
        title_en="Industrial clusters and small-industry zones",
        group="clusters",
        geometry_type="Point",
        fields=(
            _f("kind", "str", "Loại", "Kind", choices=("ccn", "ttcn_zone"), key=True),
            STATUS,
            _f("planned_ha", "float", "Diện tích quy hoạch", "Planned area", "ha", key=True),
            _f("area_min_ha", "float", "Diện tích tối thiểu", "Area, lower bound", "ha"),
            _f("area_max_ha", "float", "Diện tích tối đa", "Area, upper bound", "ha"),
            _f("occupancy_target_pct", "float", "Mục tiêu lấp đầy", "Occupancy target", "%", key=True),
            TARGET_YEAR,
            BUDGET,
            _f("infrastructure_bn", "float", "Hạ tầng (các hạng mục V.2)", "Infrastructure items (V.2)", "bn VND"),
            _f("clearance_bn", "float", "Giải phóng mặt bằng", "Site clearance", "bn VND"),
            _f("villages", "str", "Thôn, bản", "Villages"),
            _f("purpose", "str", "Phục vụ", "Serves"),
            *_POINT_TAIL,
        ),
        style=Style(color=GROUP_COLORS["clusters"], fill_color="#c2a5cf", fill_opacity=0.9, radius=9.0),
        targets=_targets("7", "10"),
        data_file="clusters.yaml",
    ),
    LayerDef(
        id="cluster_boundaries",
        title_vi="Ranh giới cụm công nghiệp",
        title_en="Industrial cluster boundaries",
        group="clusters",
        geometry_type="Polygon",
        fields=(
            _f("cluster_id", "str", "Cụm", "Cluster", required=True),
            STATUS,
            _f("leasable_ha", "float", "Đất công nghiệp có thể cho thuê", "Leasable industrial land", "ha", key=True),
            _f("plan_ref", "str", "Quyết định quy hoạch", "Planning decision"),
            NOTE,
        ),
        style=Style(color=GROUP_COLORS["clusters"], fill_color="#e7d4e8", fill_opacity=0.2, weight=2.5),
        targets=_targets("7", "10"),
        user_data=True,
        description_vi="Nhập ranh giới cụm từ hồ sơ quy hoạch (DGN, DWG, SHP...).",
        description_en="Import cluster boundaries from the planning files (DGN, DWG, SHP...).",
    ),
    LayerDef(
        id="cluster_zoning",
        title_vi="Quy hoạch sử dụng đất trong cụm",
        title_en="Land use inside clusters",
        group="clusters",
        geometry_type="Polygon",
        fields=(
            _f("cluster_id", "str", "Cụm", "Cluster", required=True),
            _f("use", "str", "Chức năng", "Land use", choices=CLUSTER_USE_CHOICES, required=True, key=True),
            NOTE,
        ),
        style=Style(
            color="#9970ab",
            fill_color="#e7d4e8",
            fill_opacity=0.4,
            weight=1.0,
            color_field="use",
            color_map=(
                ("industrial", "#d8daeb"),
                ("road", "#bababa"),
                ("green", "#a6dba0"),
                ("technical", "#80cdc1"),
                ("other", "#f0f0f0"),
            ),
        ),
        targets=_targets(
            "7",
        ),
        user_data=True,
        description_vi="Đất công nghiệp cho thuê (industrial) là mẫu số của tỷ lệ lấp đầy.",
        description_en="Leasable industrial land (use = industrial) is the denominator of occupancy.",
    ),
    LayerDef(
        id="cluster_lots",
        title_vi="Lô đất trong cụm",
        title_en="Cluster lots",
        group="clusters",
        geometry_type="Polygon",
        fields=(
            _f("cluster_id", "str", "Cụm", "Cluster", required=True),
            _f("lot_no", "str", "Số lô", "Lot number", key=True),
            _f("status", "str", "Tình trạng", "Status", choices=LOT_STATUS_CHOICES, required=True, key=True),
            _f("tenant", "str", "Đơn vị thuê", "Tenant", key=True),
            _f("sector", "str", "Ngành nghề", "Sector"),
            _f("leased_on", "date", "Ngày thuê", "Leased on"),
            _f("relocated_from", "str", "Di dời từ", "Relocated from"),
            _f("area_note", "str", "Ghi chú diện tích", "Area note"),
        ),
        style=Style(
            color="#542788",
            fill_color="#d8daeb",
            fill_opacity=0.5,
            weight=1.0,
            color_field="status",
            color_map=(
                ("vacant", "#f7f7f7"),
                ("allocated", "#fdb863"),
                ("building", "#e08214"),
                ("operating", "#542788"),
            ),
        ),
        targets=_targets("7", "9"),
        user_data=True,
        description_vi="Lô đất, bên thuê, ngày thuê, cơ sở di dời vào cụm: cơ sở để tính tỷ lệ lấp đầy (mục tiêu 50%).",
        description_en="Lots, tenants, lease dates and relocated facilities: the basis of the 50 % occupancy target.",
    ),
    # --- materials -------------------------------------------------------------------------------------
    LayerDef(
        id="material_zones_plan",
        title_vi="Vùng nguyên liệu theo kế hoạch",
        title_en="Planned raw-material zones",
        group="materials",
        geometry_type="Polygon",
        fields=(
            _f(
                "species",
                "str",
                "Cây trồng / loại vùng",
                "Species / zone kind",
                choices=tuple(SPECIES_LABELS),
                key=True,
            ),
            _f("scope", "str", "Phạm vi", "Scope", choices=("district", "communes")),
            _f("planned_ha", "float", "Diện tích kế hoạch", "Planned area", "ha", key=True),
            _f("area_min_ha", "float", "Diện tích tối thiểu", "Area, lower bound", "ha"),
            _f("communes", "str", "Các xã", "Communes"),
            _f("commune_codes", "str", "Mã các xã", "Commune codes"),
            _f("supplies", "str", "Cung cấp cho", "Supplies"),
            PLAN_TARGETS,
            OTHER_SOURCE,
            LOCATION_NOTE,
            NOTE,
        ),
        style=Style(
            color=GROUP_COLORS["materials"],
            fill_color="#a6dba0",
            fill_opacity=0.35,
            weight=1.5,
            hatch=True,
            outline_when=(("scope", "district"),),
            color_field="species",
            color_map=SPECIES_COLORS,
        ),
        targets=_targets(
            "2",
        ),
        description_vi="Diện tích là số liệu kế hoạch; hình là hợp các xã có vùng nguyên liệu (ô sơ đồ, hoặc ranh "
        "giới xã thật khi đã nhập), không phải vùng trồng thật.",
        description_en="Areas are the plan's figures; shapes are unions of the communes a zone lies in (schematic "
        "cells, or the real commune boundaries once imported), not real stands.",
        data_file="material_zones.yaml",
        shape_area_field="communes_area_ha",
    ),
    LayerDef(
        id="material_zones_mapped",
        title_vi="Vùng nguyên liệu đã khoanh vẽ",
        title_en="Mapped raw-material stands",
        group="materials",
        geometry_type="Polygon",
        fields=(
            _f("species", "str", "Cây trồng", "Species", choices=tuple(SPECIES_LABELS), required=True, key=True),
            _f("owner", "str", "Chủ rừng / hộ", "Owner"),
            _f("year_planted", "int", "Năm trồng", "Year planted", "year"),
            COMMUNE_CODE,
            NOTE,
        ),
        style=Style(
            color=GROUP_COLORS["materials"],
            fill_color="#5aae61",
            fill_opacity=0.5,
            weight=1.0,
            color_field="species",
            color_map=SPECIES_COLORS,
        ),
        targets=_targets(
            "2",
        ),
        user_data=True,
        description_vi="Lô trồng thực tế do người dùng nhập, để so với diện tích kế hoạch.",
        description_en="Actual stands entered by users, to compare against the planned areas.",
    ),
    # --- minerals --------------------------------------------------------------------------------------
    LayerDef(
        id="mineral_plants",
        title_vi="Nhà máy khoáng sản, VLXD",
        title_en="Mineral and building-material plants",
        group="minerals",
        geometry_type="Point",
        fields=(
            _f("kind", "str", "Loại", "Kind", choices=("graphite_processing", "roof_tiles"), key=True),
            STATUS,
            OPERATOR,
            _f("output_now_m_year", "float", "Công suất hiện tại", "Output now", "million units/yr"),
            _f("output_target_m_year", "float", "Công suất mục tiêu", "Output target", "million units/yr", key=True),
            BUDGET,
            TARGET_YEAR,
            *_POINT_TAIL,
        ),
        style=Style(color=GROUP_COLORS["minerals"], fill_color="#dfc27d", fill_opacity=0.9, radius=7.0),
        targets=_targets("2", "3"),
        data_file="minerals.yaml",
    ),
    LayerDef(
        id="mines",
        title_vi="Cơ sở khai thác khoáng sản (12)",
        title_en="Licensed extraction sites (12)",
        group="minerals",
        geometry_type="Point",
        fields=(
            _f(
                "material",
                "str",
                "Khoáng sản",
                "Material",
                choices=("sand", "stone", "gravel", "soil", "other"),
                key=True,
            ),
            OPERATOR,
            _f("licence_no", "str", "Số giấy phép", "Licence number"),
            _f("licence_expiry", "date", "Hạn giấy phép", "Licence expiry"),
            _f("reserve_m3", "float", "Trữ lượng", "Reserve", "m³"),
            COMMUNE_CODE,
            NOTE,
        ),
        style=Style(color=GROUP_COLORS["minerals"], fill_color="#a6611a", fill_opacity=0.9, radius=6.0),
        targets=_targets(
            "4",
        ),
        user_data=True,
        description_vi="Kế hoạch chỉ nêu số lượng (12 cơ sở, II.(4)); vị trí do người dùng nhập.",
        description_en="The plan gives only a count (12 sites, II.(4)); positions come from the users.",
    ),
    LayerDef(
        id="brick_facilities",
        title_vi="Cơ sở gạch không nung, tuynel (22)",
        title_en="Non-fired / tunnel-kiln brick facilities (22)",
        group="minerals",
        geometry_type="Point",
        fields=(
            _f("kind", "str", "Loại", "Kind", choices=("non_fired", "tunnel_kiln"), key=True),
            OPERATOR,
            STATUS,
            _f("output_m_bricks_year", "float", "Công suất", "Output", "million bricks/yr"),
            COMMUNE_CODE,
            NOTE,
        ),
        style=Style(color=GROUP_COLORS["minerals"], fill_color="#f6e8c3", fill_opacity=0.9, radius=5.0),
        targets=_targets(
            "3",
        ),
        user_data=True,
        description_vi="Kế hoạch chỉ nêu số lượng (22 cơ sở, II.(3)); vị trí do người dùng nhập.",
        description_en="The plan gives only a count (22 facilities, II.(3)); positions come from the users.",
    ),
    # --- hydropower ------------------------------------------------------------------------------------
    LayerDef(
        id="hydropower",
        title_vi="Thủy điện",
        title_en="Hydropower plants",
        group="hydropower",
        geometry_type="Point",
        fields=(
            STATUS,
            _f("capacity_mw", "float", "Công suất", "Capacity", "MW", key=True),
            BUDGET,
            TARGET_YEAR,
            _f("river", "str", "Sông", "River"),
            _f("energy_gwh_year", "float", "Điện năng", "Energy", "GWh/yr"),
            OPERATOR,
            # public sources' figures, beside the plan's own (the plan's are the fields above)
            _f("other_capacity_mw", "float", "Công suất (nguồn khác)", "Capacity (other source)", "MW", key=True),
            _f("other_energy_gwh_year", "float", "Điện năng (nguồn khác)", "Energy (other source)", "GWh/yr"),
            _f("other_status", "str", "Trạng thái (nguồn khác)", "Status (other source)", choices=STATUS_CHOICES),
            *_POINT_TAIL,
        ),
        style=Style(
            color=GROUP_COLORS["hydropower"],
            fill_color="#67a9cf",
            fill_opacity=0.85,
            size_field="capacity_mw",
            radius_min=5.0,
            radius_max=20.0,
            color_field="status",
            color_map=(("operating", "#2166ac"), ("under_construction", "#67a9cf"), ("proposed", "#d1e5f0")),
        ),
        targets=_targets("1", "6"),
        data_file="hydropower.yaml",
    ),
    # --- water -----------------------------------------------------------------------------------------
    LayerDef(
        id="water_plants",
        title_vi="Nhà máy nước sạch",
        title_en="Water treatment plants",
        group="water",
        geometry_type="Point",
        fields=(
            STATUS,
            _f("capacity_m3_day", "float", "Công suất", "Capacity", "m³/day", key=True),
            BUDGET,
            TARGET_YEAR,
            _f("serves", "str", "Phục vụ", "Serves"),
            *_POINT_TAIL,
        ),
        style=Style(
            color=GROUP_COLORS["water"],
            fill_color="#80cdc1",
            fill_opacity=0.85,
            size_field="capacity_m3_day",
            radius_min=6.0,
            radius_max=16.0,
        ),
        targets=_targets(
            "5",
        ),
        data_file="water_plants.yaml",
    ),
    # --- processing ------------------------------------------------------------------------------------
    LayerDef(
        id="processing_plants",
        title_vi="Nhà máy, doanh nghiệp chế biến",
        title_en="Processing plants and companies",
        group="processing",
        geometry_type="Point",
        fields=(
            _f("product", "str", "Sản phẩm", "Product", key=True),
            STATUS,
            OPERATOR,
            BUDGET,
            TARGET_YEAR,
            _f("material_zone", "str", "Vùng nguyên liệu", "Raw-material zone"),
            # capacity per year; its unit varies by plant ("m3/yr", "t/yr"), so it is a field of its own
            _f("capacity", "float", "Công suất", "Capacity"),
            _f("capacity_unit", "str", "Đơn vị công suất", "Capacity unit"),
            # where the capacity figure comes from (the plan gives none): filled only with a source
            _f("capacity_source", "str", "Nguồn số liệu công suất", "Capacity figure from"),
            *_POINT_TAIL,
        ),
        style=Style(color=GROUP_COLORS["processing"], fill_color="#fdb863", fill_opacity=0.9, radius=8.0),
        targets=_targets("1", "2"),
        data_file="processing_plants.yaml",
    ),
    # --- craft -----------------------------------------------------------------------------------------
    LayerDef(
        id="craft_villages",
        title_vi="Làng nghề",
        title_en="Craft villages",
        group="craft",
        geometry_type="Point",
        fields=(
            _f("craft", "str", "Nghề", "Craft", choices=("votive_paper", "brocade", "food", "rattan_bamboo"), key=True),
            STATUS,
            _f("villages", "str", "Thôn, bản", "Villages"),
            _f("households", "int", "Số hộ (mục tiêu)", "Households (target)", "households", key=True),
            _f("figure_group", "str", "Nhóm số liệu chung", "Shared-figure group"),
            _f("cooperatives", "int", "Hợp tác xã (mục tiêu)", "Cooperatives (target)", "cooperatives"),
            _f("recognition_sought", "bool", "Đề nghị công nhận", "Recognition sought"),
            _f("trial_ha", "float", "Vùng trồng thử nghiệm", "Trial planting zone", "ha"),
            TARGET_YEAR,
            *_POINT_TAIL,
        ),
        style=Style(color=GROUP_COLORS["craft"], fill_color="#f1b6da", fill_opacity=0.9, radius=8.0),
        targets=_targets("8", "11", "12", "13"),
        description_vi="Nếu nhiều làng chung một số liệu kế hoạch (figure_group), chỉ tính số đó một lần.",
        description_en="Villages sharing one plan figure carry the same figure_group: count that figure once.",
        data_file="craft_villages.yaml",
    ),
    LayerDef(
        id="ttcn_facilities",
        title_vi="Cơ sở tiểu thủ công nghiệp (344)",
        title_en="Small-industry facilities (344)",
        group="craft",
        geometry_type="Point",
        fields=(
            _f("sector", "str", "Ngành nghề", "Sector", key=True),
            OPERATOR,
            _f("employees", "int", "Lao động", "Employees", "people"),
            _f("trained_workers", "int", "Lao động được đào tạo", "Trained workers", "people"),
            _f("to_relocate", "bool", "Cần di dời vào CCN", "To relocate into a cluster"),
            COMMUNE_CODE,
            NOTE,
        ),
        style=Style(color=GROUP_COLORS["craft"], fill_color="#fde0ef", fill_opacity=0.9, radius=4.0),
        targets=_targets("8", "9", "training"),
        user_data=True,
        description_vi="Kế hoạch chỉ nêu số lượng (344 cơ sở, II.(9)); vị trí do người dùng nhập.",
        description_en="The plan gives only a count (344 facilities, II.(9)); positions come from the users.",
    ),
)

CATALOGUE: Catalogue = Catalogue(LAYERS)


#: labels of lot statuses and land uses inside a cluster (issue 4's Vietnamese input terms)
LOT_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "vacant": ("Trống", "Vacant"),
    "allocated": ("Đã cho thuê", "Allocated"),
    "building": ("Đang xây dựng", "Building"),
    "operating": ("Đang hoạt động", "Operating"),
}
USE_LABELS: dict[str, tuple[str, str]] = {
    "industrial": ("Đất công nghiệp", "Industrial land"),
    "road": ("Đất giao thông", "Roads"),
    "green": ("Đất cây xanh", "Green space"),
    "technical": ("Đất hạ tầng kỹ thuật", "Technical infrastructure"),
    "other": ("Đất khác", "Other"),
}

# a field's choices are looked up among these labels; plant and lot statuses share the field name
# "status", which is fine: only the choices of the field at hand are candidates
_CHOICE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "status": {**STATUS_LABELS, **LOT_STATUS_LABELS},
    "other_status": STATUS_LABELS,
    "use": USE_LABELS,
    "species": SPECIES_LABELS,
}


def normalise_choice(fdef: FieldDef, value: str) -> str | None:
    """Return the canonical key for ``value`` of a field with choices, or None when it is not one.

    Canonical keys match exactly; for ``status``, ``use`` and ``species`` the Vietnamese or English label is accepted
    too, diacritic- and case-insensitively ("Đang xây dựng" -> "under_construction").
    """
    if fdef.choices is None:
        return value
    if value in fdef.choices:
        return value
    key = fold(value)
    for choice in fdef.choices:
        labels = _CHOICE_LABELS.get(fdef.name, {}).get(choice, ())
        if key == fold(choice) or any(key == fold(label) for label in labels):
            return choice
    return None

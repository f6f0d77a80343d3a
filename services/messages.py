"""Messages of :class:`~geo.errors.PlanError` in the user's language, composed from the error's code.

The library raises neutral English messages with a stable ``code`` and the ``params`` a message needs; this
module holds one template per code in Vietnamese and English and composes the text. It says what is wrong
and what to provide, in words: the advice an edge adds (a command-line flag, a page's widget) is the edge's
own (``cli/hints.py``, ``ui/error_hints.py``). An error without a code, or with a code this table does not
know, keeps its own message.

Parameters are formatted here: a list is joined with ", ", a float is written with the language's decimal
mark (``geo.numbers.format_number``), ``bounds`` (minx, miny, maxx, maxy) also gives
``range`` ("x 401.000…402.000, y 2.450.000…2.451.000" in Vietnamese), and ``guess`` is an EPSG code written
as digits.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence

from geo.errors import PlanError
from geo.numbers import format_number

_VN2000 = "VN-2000 / TM-3 104°45′"

#: code -> (Vietnamese, English); placeholders are the error's params (and the derived ``range``)
TEMPLATES: dict[str, tuple[str, str]] = {
    # --- CRS of a file -----------------------------------------------------------------------------------
    "crs.missing": (
        f"{{source}} không ghi hệ tọa độ; hãy chọn hệ tọa độ của dữ liệu ({_VN2000} là EPSG:9208)",
        f"{{source}} does not say its CRS; choose its CRS ({_VN2000} is EPSG:9208)",
    ),
    "crs.no_coordinates": (
        f"{{source}} không có tọa độ dùng được để xác định hệ tọa độ; hãy chọn hệ tọa độ của dữ liệu "
        f"({_VN2000} là EPSG:9208)",
        f"{{source}} has no usable coordinates to tell its CRS from; choose its CRS ({_VN2000} is EPSG:9208)",
    ),
    "crs.undetermined": (
        "{source} không ghi hệ tọa độ và khoảng giá trị tọa độ ({range}) không khớp với hệ tọa độ nào thường dùng "
        f"ở Lào Cai; hãy chọn hệ tọa độ của dữ liệu ({_VN2000} là EPSG:9208) và kiểm tra xem hai cột tọa độ có "
        "bị đổi chỗ không",
        "{source} does not say its CRS and its values do not tell it ({reason}); choose its CRS "
        f"({_VN2000} is EPSG:9208)",
    ),
    "crs.not_degrees": (
        "{source}: các cột {columns} được đặt tên là kinh độ, vĩ độ nhưng giá trị ({range}) không phải là độ; "
        "hãy đổi tên các cột thành X, Y hoặc chọn đúng hệ tọa độ của dữ liệu",
        "{source}: columns {columns} are named as degrees but hold {reason}; rename them X/Y or choose the CRS "
        "the values are in",
    ),
    # --- choosing inside a file --------------------------------------------------------------------------
    "source.several_layers": (
        "{source} có nhiều lớp dữ liệu ({layers}); hãy chọn lớp cần đọc",
        "{source} holds several layers ({layers}); choose the layer to read",
    ),
    "source.several_sheets": (
        "{source} có nhiều trang tính chứa dữ liệu ({layers}); hãy chọn trang tính cần đọc",
        "{source} has several sheets ({layers}); choose the sheet to read",
    ),
    "source.several_files": (
        "{source} chứa nhiều tệp dữ liệu ({layers}); hãy chọn tệp cần đọc",
        "{source} holds several data files ({layers}); choose the one to read",
    ),
    "boundaries.no_fields": (
        "{source}: không có trường nào chứa mã đơn vị hành chính chính thức (02947–02998) hoặc tên xã; hãy chỉ rõ "
        "trường chứa mã hoặc trường chứa tên",
        "{source}: no field holds the official commune codes (02947–02998) or names; say which field holds the "
        "codes or the names",
    ),
    # --- the project store -------------------------------------------------------------------------------
    "store.missing": (
        "chưa có kho dữ liệu của dự án tại {path}; hãy khởi tạo kho trước hoặc chọn đường dẫn kho khác",
        "no project store at {path}; build the project store first or choose another store path",
    ),
    "store.not_gpkg": (
        "{path} không phải là kho dữ liệu GeoPackage; hãy chọn đường dẫn kho khác hoặc xóa tệp này",
        "{path} is not a GeoPackage store ({detail}); choose another store path or remove the file",
    ),
    "store.not_project": (
        "{path} không phải là kho dữ liệu của dự án; hãy chọn đường dẫn kho khác hoặc xóa tệp này",
        "{path} is not a project store of this application; choose another store path or remove the file",
    ),
    "store.layer_missing": (
        "kho dữ liệu không có lớp '{layer}'; hãy chọn một lớp có trong kho",
        "the store has no layer '{layer}'; choose one of the layers it holds",
    ),
    "store.version_missing": (
        "lớp '{layer}' không có phiên bản {version}; hãy chọn một phiên bản trong lịch sử của lớp",
        "layer '{layer}' has no version {version}; choose one of the versions in its history",
    ),
    "store.table_missing": (
        "kho dữ liệu không có bảng '{table}'; hãy cập nhật kho từ dữ liệu của dự án để tạo bảng này",
        "the store has no table '{table}'; update the project store from the project data to build it",
    ),
    "store.conflict": (
        "lớp '{layer}' vừa được người khác thay đổi (hiện là phiên bản {current}, thay đổi này dựa trên phiên bản "
        "{base}); chưa có gì được ghi, hãy tải lại lớp rồi thực hiện lại thay đổi",
        "layer '{layer}' was changed by someone else (now version {current}, the change was made on version "
        "{base}); nothing was written, reload the layer and make the change again",
    ),
    "store.table_columns": (
        "bảng '{table}' thiếu cột {columns}; hãy cập nhật kho từ dữ liệu của dự án",
        "table '{table}' lacks column(s) {columns}; update the project store from the project data",
    ),
    # --- analyses ----------------------------------------------------------------------------------------
    "funding.unknown_line": (
        "không có nguồn vốn hay dự án nào mang mã '{line}'; hãy chọn một nguồn vốn hoặc dự án trong bảng đối chiếu "
        "kinh phí",
        "no funding line or project cost '{line}'; choose one of the funding lines or project costs of the budget "
        "check",
    ),
    "supply.bad_distance": (
        "khoảng cách {distance_km} km không phải là số dương; hãy nhập khoảng cách lớn hơn 0 km (ví dụ 20)",
        "distance {distance_km} km is not a positive number; give a distance in kilometres above 0 (e.g. 20)",
    ),
    "cluster.empty": (
        "lớp ranh giới cụm công nghiệp chưa có dữ liệu; hãy nhập ranh giới của cụm trước (lớp `cluster_boundaries` "
        "trong kho hoặc một tệp ranh giới)",
        "the cluster boundary layer is empty; import the cluster's boundary first (store layer "
        "`cluster_boundaries`, or a boundary file)",
    ),
    "cluster.no_boundary": (
        "lớp ranh giới cụm công nghiệp (`cluster_boundaries`) chưa có dữ liệu; hãy nhập ranh giới của cụm trước",
        "the cluster boundary layer (`cluster_boundaries`) is empty; import the cluster's boundary first",
    ),
    "cluster.unknown": (
        "không có cụm công nghiệp nào mang mã '{id}'",
        "no cluster has the id '{id}'",
    ),
    "cluster.several": (
        "lớp ranh giới có nhiều cụm công nghiệp ({ids}); hãy chọn một cụm",
        "the boundary layer holds several clusters ({ids}); choose one of them",
    ),
    "occupancy.bad_leasable": (
        "diện tích đất công nghiệp cho thuê phải là một số héc-ta lớn hơn 0, không phải {value}",
        "the leasable area must be a positive number of hectares, not {value}",
    ),
    # --- numbers as typed ---------------------------------------------------------------------------------
    "number.empty": ("chưa nhập số; cần một con số", "the text is empty; a number is expected"),
    "number.invalid": ("'{text}' không phải là một con số", "'{text}' is not a number"),
    "number.not_finite": ("'{text}' không phải là một con số hữu hạn", "'{text}' is not a finite number"),
    "number.ambiguous": (
        "'{text}' có thể hiểu theo hai cách: {as_thousands} (dấu phân cách hàng nghìn) hoặc {as_decimal} (dấu "
        "thập phân); hãy viết {as_thousands} hoặc {as_decimal} cho rõ",
        "'{text}' is ambiguous: {as_thousands} if the mark separates thousands, {as_decimal} if it is the decimal "
        "mark; write {as_thousands} or {as_decimal} to say which",
    ),
    # --- the use cases (services/) -------------------------------------------------------------------------
    "boundaries.bad_quality": (
        "chất lượng hình học của ranh giới phải là một trong {choices}, không phải '{quality}'",
        "boundary quality must be one of {choices}, not '{quality}'",
    ),
    "boundaries.none_matched": (
        "{source}: không đối tượng nào khớp với {units} xã, thị trấn chính thức; chưa ghi gì — hãy kiểm tra trường "
        "mã hoặc tên xã trong tệp",
        "{source}: no unit matched the {units} official communes; nothing was written — check the file's code or "
        "name field",
    ),
    "import.blocked": (
        "chưa nhập được {source} vào lớp {layer}: {first} (và {more} lỗi khác); chưa ghi gì",
        "{source} cannot be imported into {layer}: {first} (and {more} more problems); nothing was written",
    ),
    "export.no_folder": (
        "thư mục {folder} không tồn tại; hãy tạo thư mục hoặc chọn nơi lưu khác",
        "folder {folder} does not exist; create it or choose another output file",
    ),
    "input.refused": (
        "{what}: {first} (và {more} lỗi khác)",
        "{what}: {first} (and {more} more problem(s))",
    ),
    "input.bad_date": (
        "{what} '{value}' không phải là ngày; hãy viết dạng 31/12/2025 hoặc 2025-12-31",
        "{what} '{value}' is not a date; write it as 2025-12-31 or 31/12/2025",
    ),
    "supply.unknown_plant": (
        "không có nhà máy chế biến '{plant}'; các nhà máy: {known}",
        "no processing plant '{plant}'; known: {known}",
    ),
    "supply.unlocated": (
        "nhà máy '{plant}' chưa có vị trí (kế hoạch không nêu); hãy đặt điểm của nhà máy trước",
        "plant '{plant}' has no location (unlocated in the plan); set its point first",
    ),
    "supply.no_stands": (
        "kho chưa có vùng nguyên liệu đã lập bản đồ (lớp material_zones_mapped); hãy nhập các lô rừng trồng trước "
        "— vùng sơ đồ của kế hoạch không phải lô rừng nên không được dùng",
        "the store holds no mapped raw-material stands yet (layer material_zones_mapped); import the planners' "
        "stand polygons first — the plan's schematic zones are not stands and are not used",
    ),
    "overlay.no_units": ("chưa có đơn vị để chồng xếp", "no units to overlay on"),
    "overlay.no_communes": ("kho chưa có lớp xã", "the store holds no communes"),
    "overlay.no_store": (
        "muốn gộp theo xã 2025 cần các xã cũ trong kho",
        "regrouping to 2025 communes needs the store's legacy communes",
    ),
    "number.not_positive": ("{what} {value} phải là số dương", "{what} {value} must be a positive number"),
    "number.negative": ("{what} {value} không được âm", "{what} {value} must be a non-negative number"),
    "targets.day_and_period": (
        "chỉ chọn một ngày hoặc một kỳ báo cáo, không chọn cả hai",
        "give either a day or a period, not both",
    ),
    "report.empty_issuer": (
        "chưa ghi cơ quan ban hành; hãy ghi các dòng, cách nhau bằng |, ví dụ 'ỦY BAN NHÂN DÂN|XÃ BẢO YÊN'",
        "the issuing body is empty; write its lines separated by |, e.g. 'ỦY BAN NHÂN DÂN|XÃ BẢO YÊN'",
    ),
    # --- terrain (geo/raster.py, analysis/terrain.py, services/terrain.py) -------------------------------
    "raster.missing": ("{source} không tồn tại hoặc không phải là tệp", "{source} does not exist or is not a file"),
    "raster.unreadable": (
        "{source} không phải là raster đọc được ({detail}); hãy dùng GeoTIFF hoặc lưới ASCII (.asc)",
        "{source} is not a raster that can be read ({detail}); give a GeoTIFF or an ASCII grid (.asc)",
    ),
    "raster.too_large": (
        "{source} khai báo {width} × {height} ô, vượt giới hạn {limit} ô; hãy cắt hoặc lấy mẫu lại DEM theo khu vực "
        "cần dùng",
        "{source} declares {width} × {height} cells, more than the limit of {limit}; clip or resample the DEM to "
        "the area you need",
    ),
    "raster.truncated": (
        "không đọc được {source} đến hết ({detail}); có lẽ tệp bị cắt cụt",
        "{source} could not be read to the end ({detail}); the file is probably truncated",
    ),
    "raster.not_georeferenced": (
        "{source} không có thông tin tọa độ (kích thước ô, gốc lưới); hãy dùng DEM đã được định vị",
        "{source} has no georeferencing (no cell size or origin); give a georeferenced DEM",
    ),
    "raster.outside_vietnam": (
        "{source} nằm ngoài lãnh thổ Việt Nam theo {crs}; hãy kiểm tra hệ tọa độ",
        "{source} lies outside Vietnam in {crs}; check its CRS",
    ),
    "raster.empty": ("{source} không có giá trị độ cao nào", "{source} holds no elevation values"),
    "raster.too_small": ("DEM cần ít nhất 3 × 3 ô để tính độ dốc", "a DEM needs at least 3 × 3 cells for a slope"),
    "terrain.bad_units": ("đơn vị độ dốc phải là percent hoặc degrees", "slope units must be percent or degrees"),
    "terrain.no_id_field": ("các vùng không có trường '{field}'", "the zones have no field '{field}'"),
    "terrain.not_work_crs": ("DEM phải ở lưới EPSG:9208", "the DEM must be on an EPSG:9208 grid"),
    "terrain.no_dem": (
        "kho chưa có DEM; hãy nhập một DEM trước — Copernicus DEM GLO-30 (ô N22E104) hoặc DEM của tỉnh",
        "the store holds no DEM yet; import one first — Copernicus DEM GLO-30 (tile N22E104) or the province's own",
    ),
    "terrain.no_raster_dir": ("kho này không lưu được raster", "this store keeps no rasters"),
    "terrain.unknown_commune": ("không có xã nào mang mã đã cho", "no commune has the given code(s)"),
}

#: params written without grouping the thousands (they are shown beside the digits they were read from)
UNGROUPED: frozenset[str] = frozenset({"as_thousands", "as_decimal"})

#: code -> parts appended when a param is given (truthy): (param, Vietnamese, English)
OPTIONAL_PARTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "crs.missing": (
        ("no_prj", "; tệp shapefile thiếu tệp .prj đi kèm", "; the shapefile has no .prj"),
        (
            "guess",
            "; theo khoảng giá trị tọa độ ({range}), nhiều khả năng là EPSG:{guess}",
            "; the coordinates suggest EPSG:{guess} ({reason})",
        ),
    ),
    "cluster.unknown": (("ids", "; lớp ranh giới có các cụm: {ids}", "; the boundary layer holds: {ids}"),),
}


def describe(exc: PlanError, lang: str = "vi") -> str:
    """The message of ``exc`` in ``lang`` ("vi", the default, or "en").

    Parameters
    ----------
    exc
        Any error of the project.
    lang
        "vi" or "en"; another value reads as "vi".

    Returns
    -------
    str
        The composed message (Unicode NFC). For an error without a code, with a code that has no template,
        or whose params do not fill the template, ``str(exc)``.
    """
    code = getattr(exc, "code", None)
    if code is None or code not in TEMPLATES:
        return str(exc)
    en = lang == "en"
    params = getattr(exc, "params", {}) or {}
    values = _values(params, lang)
    vi_text, en_text = TEMPLATES[code]
    parts = [en_text if en else vi_text]
    for param, vi_part, en_part in OPTIONAL_PARTS.get(code, ()):
        if params.get(param):
            parts.append(en_part if en else vi_part)
    try:
        text = "".join(parts).format_map(values)
    except (KeyError, IndexError, ValueError):  # params that do not fill the template: the library's own text
        return str(exc)
    return unicodedata.normalize("NFC", text)


def _values(params: Mapping[str, object], lang: str) -> dict[str, str]:
    """The params as text for ``lang``; adds ``range`` from ``bounds``."""
    out: dict[str, str] = {}
    for key, value in params.items():
        group = key not in UNGROUPED
        if key == "guess":  # an EPSG code: digits, never grouped
            out[key] = "" if value is None else str(value)
        elif isinstance(value, str):
            out[key] = value
        elif isinstance(value, Sequence):
            out[key] = ", ".join(_text(v, lang, group=group) for v in value)
        else:
            out[key] = _text(value, lang, group=group)
    bounds = params.get("bounds")
    if isinstance(bounds, Sequence) and not isinstance(bounds, str) and len(bounds) == 4:
        x0, y0, x1, y1 = (_text(v, lang, group=True) for v in bounds)
        out["range"] = f"x {x0}…{x1}, y {y0}…{y1}"
    return out


def _text(value: object, lang: str, *, group: bool) -> str:
    """A float as ``lang`` writes it (geo.numbers); anything else (ints such as versions, texts) as it prints."""
    if isinstance(value, bool) or not isinstance(value, float) or not math.isfinite(value):
        return str(value)
    return format_number(value, "en" if lang == "en" else "vi", group=group)

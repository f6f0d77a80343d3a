"""Messages of :class:`~geo.errors.PlanError` in the user's language, composed from the error's code.

The library raises neutral English messages with a stable ``code`` and the ``params`` a message needs; this
module holds one template per code in Vietnamese and English and composes the text. It says what is wrong
and what to provide, in words: the advice an edge adds (a command-line flag, a page's widget) is the edge's
own (``cli/hints.py``, ``ui/error_hints.py``). An error without a code, or with a code this table does not
know, keeps its own message.

Parameters are formatted here: a list is joined with ", ", a float is written with the language's decimal
mark (``geo.numbers.format_number``), ``bounds`` (minx, miny, maxx, maxy) also gives
``range`` ("x 401.000…402.000, y 2.450.000…2.451.000" in Vietnamese), and ``guess`` is an EPSG code written
as digits. A param that is itself coded (an error, or a :class:`~geo.safety.CodedNote` such as a row of a
table that could not be read) is composed in the same language; a list of them is joined with "; ", and coded
items among plain ones (a list cut short by "… and 2 more") are composed where they stand.

Notices (warnings and problems of a read, notes of a measure) that carry a code are composed the same way:
``describe(note, lang)`` takes any text, and gives back a text without a code as it is.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TypeGuard

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
    "crs.outside_vietnam": (
        "{source} nằm ngoài lãnh thổ Việt Nam khi đọc theo hệ tọa độ {crs} ({count}/{total} đối tượng: "
        f"{{features}}); hệ tọa độ không đúng — hãy chọn hệ tọa độ mà dữ liệu được lập ({_VN2000} là EPSG:9208)",
        "{source} lies outside Vietnam in {crs} ({count} of {total} features: {features}); the CRS is wrong — "
        f"choose the CRS the data was made in ({_VN2000} is EPSG:9208)",
    ),
    "crs.not_convertible": (
        "{source} dùng hệ tọa độ {crs}, không đổi được sang kinh độ/vĩ độ nên không đặt được vào Việt Nam; hãy "
        f"chọn hệ tọa độ mà dữ liệu được lập ({_VN2000} là EPSG:9208)",
        "{source} is in {crs}, which cannot be converted to longitude/latitude, so it cannot be placed in Vietnam; "
        f"choose the CRS the data was made in ({_VN2000} is EPSG:9208)",
    ),
    # --- what the values of a file without a CRS look like (geo.validate.guess_crs) --------------------------
    "crs.guess_not_finite": ("các tọa độ không phải là số hữu hạn", "the coordinates are not finite numbers"),
    "crs.guess_no_coordinates": ("dữ liệu không có tọa độ nào", "it has no coordinates"),
    "crs.guess_lonlat": (
        "các giá trị {range} giống kinh độ, vĩ độ (độ) quanh Lào Cai (WGS 84)",
        "{range} look like longitude/latitude in degrees around Lào Cai (WGS 84)",
    ),
    "crs.guess_latlon_swapped": (
        "các giá trị {range} giống vĩ độ, kinh độ ghi ngược thứ tự (x là vĩ độ); hãy đổi chỗ hai cột tọa độ",
        "{range} look like latitude/longitude in swapped order (x is latitude); swap the axes",
    ),
    "crs.guess_degrees_outside": (
        "các giá trị {range} giống giá trị độ nhưng nằm ngoài Lào Cai; hãy kiểm tra dữ liệu",
        "{range} look like degrees but lie outside Lào Cai; check the data",
    ),
    "crs.guess_tm": (
        f"các giá trị {{range}} khớp với {_VN2000} trên địa bàn Lào Cai (mét)",
        f"{{range}} fit {_VN2000} over Lào Cai (metres)",
    ),
    "crs.guess_utm": (
        "các giá trị {range} khớp với VN-2000 / UTM múi 48N trên địa bàn Lào Cai (mét)",
        "{range} fit VN-2000 / UTM zone 48N over Lào Cai (metres)",
    ),
    "crs.guess_en_swapped": (
        "các giá trị {range} giống tọa độ bắc, đông ghi ngược thứ tự (x là tọa độ bắc); hãy đổi chỗ hai cột tọa độ",
        "{range} look like northing/easting in swapped order (x is the northing); swap the axes",
    ),
    "crs.guess_none": (
        "các giá trị {range} không khớp với EPSG:9208, EPSG:3405 hay EPSG:4326 quanh Lào Cai",
        "{range} fit none of EPSG:9208, EPSG:3405 or EPSG:4326 around Lào Cai",
    ),
    # --- reading a file safely -----------------------------------------------------------------------------
    "file.cannot_open": (
        "không mở được {source} ({detail}); hãy kiểm tra đường dẫn hoặc đổi tên tệp cho ngắn hơn",
        "{source} cannot be opened ({detail}); check the path, or rename the file shorter",
    ),
    "archive.too_many_members": (
        "{source} chứa {count} tệp, từ giới hạn {limit} tệp trở lên; hãy chỉ nén các tệp của lớp dữ liệu",
        "{source} holds {count} files, at or above the limit of {limit}; zip only the files of the layer",
    ),
    "archive.name_too_long": (
        "{source}: tệp '{member}' trong tệp nén có tên quá dài để giải nén ({chars} ký tự); hãy đặt tên thư mục "
        "và tệp ngắn hơn rồi nén lại",
        "{source}: member '{member}' has a name too long to be extracted ({chars} characters); rename the folders "
        "and files inside the archive shorter and zip them again",
    ),
    "archive.duplicate_member": (
        "{source}: tệp '{member}' có hai lần trong tệp nén; hãy nén mỗi tệp một lần",
        "{source}: member '{member}' occurs twice; zip each file once",
    ),
    "archive.file_and_folder": (
        "{source}: '{member}' vừa là tệp vừa là thư mục trong tệp nén; hãy nén lại các tệp dữ liệu",
        "{source}: '{member}' is both a file and a folder in the archive; zip the data files again",
    ),
    "archive.cannot_extract": (
        "{source}: không giải nén được tệp '{member}' ({detail}); hãy nén lại các tệp dữ liệu với tên ngắn, đơn giản",
        "{source}: member '{member}' cannot be extracted ({detail}); zip the data files again with short, plain names",
    ),
    "input.too_slow": (
        "{source} đọc quá {seconds} giây nên đã dừng; hãy chia thành các tệp nhỏ hơn",
        "{source} took longer than {seconds} seconds to read and was stopped; split it into smaller files",
    ),
    "input.too_many_features": (
        "{source} có {count} đối tượng, vượt giới hạn {limit}; hãy chia thành các tệp nhỏ hơn",
        "{source} holds {count} features, above the limit of {limit}; split it into smaller files",
    ),
    "input.text_too_long": (
        "{source}: có một giá trị văn bản dài {chars} ký tự, vượt giới hạn {limit} ký tự; hãy rút ngắn giá trị đó "
        "hoặc để tài liệu dài bên ngoài lớp dữ liệu",
        "{source}: {where} holds a text of {chars} characters, above the limit of {limit}; shorten it or keep "
        "long documents outside the layer",
    ),
    "gpkg.view": (
        "{source}: lớp '{layer}' là một view (truy vấn lưu sẵn), không được đọc; hãy xuất lớp đó thành bảng",
        "{source}: layer '{layer}' is a view (a stored query), which is not read; export it as a table",
    ),
    "gpkg.views_only": (
        "{source} không có bảng đối tượng nào, chỉ có view (truy vấn lưu sẵn), không được đọc: {views}; hãy xuất "
        "lớp dữ liệu thành bảng",
        "{source} holds no table of features, only views (stored queries), which are not read: {views}; export "
        "the layer as a table",
    ),
    "geojson.coordinates_not_numbers": (
        "{source}: tọa độ của đối tượng {feature} không phải là số mà là {example}, nên tệp không phải GeoJSON "
        'hợp lệ: tọa độ phải là số (104.47, không phải "104.47"); hãy xuất lại tệp từ phần mềm GIS',
        "{source}: the coordinates of feature {feature} are not numbers but {example}, which is not GeoJSON: "
        'coordinates are numbers (104.47, not "104.47"); export the file again from a GIS',
    ),
    # --- lots drawn on the cluster map --------------------------------------------------------------------------
    "draw.too_many": (
        "đã vẽ {count} hình; mỗi lần chỉ lưu được tối đa {limit} hình, hoặc hãy nhập các lô bằng tệp",
        "{count} shapes were drawn; save at most {limit} at a time, or import the lots as a file",
    ),
    "draw.not_polygon": (
        "hình {n} không phải là đa giác; hãy vẽ lô bằng công cụ đa giác hoặc hình chữ nhật",
        "drawing {n} is not a polygon; draw lots with the polygon or rectangle tool",
    ),
    "draw.invalid": (
        "hình {n} không phải là đa giác hợp lệ; hãy vẽ lại",
        "drawing {n} is not a valid polygon; draw it again",
    ),
    "draw.not_lonlat": (
        "hình {n} có tọa độ không phải kinh độ/vĩ độ; hãy vẽ lại",
        "drawing {n} has coordinates that are not longitude/latitude; draw it again",
    ),
    "draw.no_area": (
        "hình {n} gần như không có diện tích (dưới {min_m2} m²); hãy vẽ lại lô theo các góc của nó",
        "drawing {n} encloses no area (less than {min_m2} m²); draw the lot again around its corners",
    ),
    "corners.not_xy": (
        "dòng tọa độ góc {n} ('{line}') không có dạng «X Y»; hãy ghi tọa độ Bắc (X) rồi tọa độ Đông (Y)",
        "corner line {n} ('{line}') is not 'X Y'; write the northing and the easting",
    ),
    "corners.too_few": (
        "một lô cần ít nhất ba góc khác nhau, mỗi dòng một cặp «X Y»",
        "a lot needs at least three different corners, one 'X Y' a line",
    ),
    "corners.not_lao_cai": (
        "các góc không nằm ở Lào Cai theo EPSG:9208: X (tọa độ Bắc) phải vào khoảng 2 460 000 và Y (tọa độ Đông) "
        "vào khoảng 470 000; hãy kiểm tra X và Y có bị đổi chỗ không và bảng có theo VN-2000 / TM-3 104°45′ không",
        "the corners are not in Lào Cai in EPSG:9208: X (northing) should be about 2 460 000 and Y (easting) about "
        "470 000; check that X and Y are not swapped and that the table is in VN-2000 / TM-3 104°45′",
    ),
    "corners.no_area": (
        "các góc không bao được diện tích nào; hãy liệt kê các góc theo thứ tự quanh lô",
        "the corners enclose no area; list them in order around the lot",
    ),
    "lots.no_status_field": (
        "tệp lô đất không có trường `status` (hay `trạng thái`); hãy ghi cho mỗi lô `trống`, `đã cho thuê`, "
        "`đang xây dựng` hoặc `đang hoạt động` (hay mã `vacant`, `allocated`, `building`, `operating`)",
        "the lot file has no `status` field (or `trạng thái`); give each lot `vacant`, `allocated`, `building` or "
        "`operating` (or `trống`, `đã cho thuê`, `đang xây dựng`, `đang hoạt động`)",
    ),
    "lots.no_use_field": (
        "tệp quy hoạch không có trường `use`; hãy ghi cho mỗi vùng `đất công nghiệp`, `đất giao thông`, "
        "`đất cây xanh`, `đất hạ tầng kỹ thuật`… (hay mã `industrial`, `road`, `green`, `technical`, `other`)",
        "the zoning file has no `use` field; give each polygon `industrial`, `road`, `green`, `technical` or "
        "`other` (or `đất công nghiệp`, `đất giao thông`, `đất cây xanh`, `đất hạ tầng kỹ thuật`, …)",
    ),
    "lots.number_taken": (
        "số lô {lot_no} đã dùng trong cụm này (lô {lot}); hãy đặt cho mỗi lô một số riêng",
        "lot number {lot_no} is already used in this cluster (lot {lot}); give each lot its own number",
    ),
    "lots.gone": (
        "lớp lô đất không còn lô `{lot}`; hãy tải lại trang",
        "there is no lot `{lot}` in the lot layer any more; reload the page",
    ),
    "map.layer_without_field": (
        "lớp «{layer}» không có cột `{field}`; mỗi đối tượng cần có mã (`id`) và tên (`name`) để vẽ lên bản đồ",
        "layer «{layer_en}» has no `{field}` column; every feature needs an id and a name to be drawn on the map",
    ),
    # --- a file that is not what its name says --------------------------------------------------------------
    "file.text_not_format": (
        "{source} có đuôi {extension} nhưng chỉ là tệp văn bản thường, không phải tệp {format}; hãy kiểm tra đã "
        "chọn đúng tệp chưa, hoặc xuất lại tệp từ phần mềm GIS (bảng tọa độ thì đặt đuôi .csv)",
        "{source} is named {extension} but holds plain text, not {format}; check that the right file was chosen, "
        "or export it again from the GIS (a table of coordinates is named .csv)",
    ),
    "file.unknown_content": (
        "{source} không phải định dạng đọc được (Shapefile .zip, GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, "
        "FlatGeobuf, GeoParquet, CSV/XLSX): nội dung tệp không khớp với tên tệp; hãy kiểm tra lại tệp",
        "{source} is not a format that can be read (shapefile .zip, GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, "
        "FlatGeobuf, GeoParquet, CSV/XLSX); its content does not match its name, check the file",
    ),
    "file.dwg": (
        "{source} là bản vẽ AutoCAD DWG, không đọc được; hãy lưu lại thành DXF từ phần mềm CAD",
        "{source} is an AutoCAD DWG drawing, which cannot be read; save it as DXF from CAD",
    ),
    "file.dgn_old": (
        "{source} là tệp MicroStation DGN V8, không đọc được; hãy lưu lại thành DGN V7 hoặc DXF từ MicroStation",
        "{source} is a MicroStation V8 DGN, which cannot be read; save it as DGN V7 or DXF from MicroStation",
    ),
    "file.xls": (
        "{source} là sổ tính Excel .xls đời cũ, không đọc được; hãy lưu lại thành .xlsx hoặc .csv",
        "{source} is an old Excel .xls workbook, which cannot be read; save it as .xlsx or .csv",
    ),
    "file.shapefile_part": (
        "{source} chỉ là một phần của Shapefile; hãy gửi tệp .shp cùng các tệp .shx, .dbf và .prj (tốt nhất nén "
        "thành một tệp .zip)",
        "{source} is only one part of a shapefile; send the .shp with its .shx, .dbf and .prj (best as a .zip)",
    ),
    "file.sqlite_not_gpkg": (
        "{source} là cơ sở dữ liệu SQLite nhưng không phải GeoPackage; hãy xuất lớp dữ liệu thành GeoPackage",
        "{source} is an SQLite database but not a GeoPackage; export the layer as GeoPackage",
    ),
    "file.xml_not_kml": (
        "{source} là tệp XML nhưng không phải KML; hãy xuất lớp dữ liệu thành KML, GeoJSON hoặc GeoPackage",
        "{source} is XML but not KML; export the layer as KML, GeoJSON or GeoPackage",
    ),
    "table.single_column": (
        "{source} chỉ có một cột; bảng tọa độ cần các cột như X và Y, hoặc Kinh độ và Vĩ độ",
        "{source} has a single column; a coordinate table needs columns such as X and Y or Kinh độ and Vĩ độ",
    ),
    "table.no_coordinates": (
        "{source} không có cột tọa độ (các cột: {headers}); hãy đặt tên cột là Kinh độ/Vĩ độ (hoặc lon/lat) cho tọa "
        "độ theo độ, X/Y cho tọa độ VN-2000 theo mét (X là tọa độ Bắc), hoặc wkt",
        "{source} has no coordinate columns (headers: {headers}); name them Kinh độ/Vĩ độ (or lon/lat) for degrees, "
        "X/Y for VN-2000 metres (X = northing), or wkt",
    ),
    # --- reading a file (geo/io.py) ----------------------------------------------------------------------
    "archive.dbf_without_shp": (
        "{source} chứa bảng .dbf nhưng thiếu tệp .shp đi kèm; hãy nén đủ các tệp của Shapefile (.shp, .shx, .dbf, "
        ".prj)",
        "{source} holds a .dbf table without its .shp; zip all parts of the shapefile (.shp .shx .dbf .prj)",
    ),
    "archive.empty": (
        "{source} không chứa tệp dữ liệu nào đọc được (tệp nén trống); hãy nén một Shapefile, GeoPackage, GeoJSON, "
        "KML, DXF hoặc CSV",
        "{source} holds no data file that can be read (it is empty); zip a shapefile, GeoPackage, GeoJSON, KML, DXF "
        "or CSV",
    ),
    "archive.no_data": (
        "{source} không chứa tệp dữ liệu nào đọc được (chỉ có {found}); hãy nén một Shapefile, GeoPackage, GeoJSON, "
        "KML, DXF hoặc CSV",
        "{source} holds no data file that can be read (found {found}); zip a shapefile, GeoPackage, GeoJSON, KML, "
        "DXF or CSV",
    ),
    "archive.nested": ("{member} (tệp nén nằm trong tệp nén)", "{member} (archive inside the archive)"),
    "list.more": ("… và {count} mục khác", "… and {count} more"),
    "file.unreadable": (
        "không đọc được {source} theo định dạng {driver} ({detail}); hãy kiểm tra tệp hoặc xuất lại tệp từ phần "
        "mềm GIS",
        "{source} cannot be read as {driver} ({detail}); check the file or export it again",
    ),
    "read.not_spatial": (
        "{source} không có hình học; một lớp dữ liệu cần có điểm, đường hoặc vùng",
        "{source} has no geometry; a layer needs points, lines or polygons",
    ),
    "parquet.damaged": (
        "{source} là tệp Parquet bị hỏng ({detail}); hãy xuất lại tệp",
        "{source} is a damaged Parquet file ({detail}); export it again",
    ),
    "parquet.not_geoparquet": (
        "{source} là tệp Parquet nhưng không có thông tin hình học (không phải GeoParquet); hãy xuất lại thành "
        "GeoParquet",
        "{source} is Parquet without geometry metadata (not GeoParquet); export it as GeoParquet",
    ),
    "export.no_crs": (
        f"không ghi được {{file}}: dữ liệu chưa có hệ tọa độ; hãy gán hệ tọa độ trước ({_VN2000} là EPSG:9208)",
        "cannot write {file}: the data has no CRS; set it first (EPSG:9208 for VN-2000)",
    ),
    "export.write_failed": (
        "không ghi được {file} theo định dạng {driver} ({detail}); chưa ghi gì",
        "cannot write {file} as {driver} ({detail}); nothing was written",
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
    "source.no_layer": (
        "{source} không có lớp dữ liệu '{layer}'; các lớp trong tệp: {layers}; hãy chọn một trong các lớp đó",
        "{source} has no layer '{layer}'; its layers are {layers}; choose one of them",
    ),
    "source.no_file": (
        "{source} không có tệp dữ liệu '{layer}'; các tệp dữ liệu trong tệp nén: {layers}; hãy chọn một trong các "
        "tệp đó",
        "{source} has no data file '{layer}'; it holds {layers}; choose one of them",
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
    # --- accounts and permissions (services/accounts.py) ------------------------------------------------------
    "auth.sign_in_required": (
        "thay đổi kho dữ liệu cần người dùng đã đăng nhập; chưa có gì được ghi",
        "a change to the store needs a signed-in user; nothing was changed",
    ),
    "auth.bad_credentials": (
        "tên người dùng hoặc mật khẩu không đúng; chưa có gì được ghi",
        "the user name or the password is wrong; nothing was changed",
    ),
    "auth.locked": (
        "tài khoản {user} bị khóa sau {failures} lần nhập sai mật khẩu, đến {until}; hãy chờ, hoặc nhờ quản trị viên "
        "đặt mật khẩu mới",
        "the account {user} is locked after {failures} wrong passwords until {until}; wait, or ask an administrator "
        "to set a new password",
    ),
    "auth.no_user": ("kho dữ liệu không có tài khoản {user}", "there is no account {user} in this store"),
    "auth.must_change": (
        "{user} đăng nhập bằng mật khẩu dùng một lần: hãy đặt mật khẩu mới trước khi thay đổi dữ liệu",
        "{user} signed in with a one-time password: set a new password before changing anything",
    ),
    "auth.not_admin": (
        "chỉ quản trị viên được làm việc này; {user} có vai trò {role}; chưa có gì được ghi",
        "only an administrator may do this; {user} is {role}; nothing was changed",
    ),
    "auth.no_right": (
        "{user} ({role}) không có quyền '{right}' với '{target}'; chưa có gì được ghi — quản trị viên có thể cấp quyền",
        "{user} ({role}) may not change '{target}' (needs the right '{right}'); nothing was changed — an "
        "administrator can grant it",
    ),
    "auth.bad_name": (
        "'{name}' không dùng được làm tên người dùng: bắt đầu bằng chữ cái, sau đó là chữ, số, '.', '_' hoặc '-' "
        "(tối đa 64 ký tự)",
        "'{name}' cannot be a user name: use a letter first, then letters, digits, '.', '_' or '-' (at most 64)",
    ),
    "auth.weak_password": (
        "mật khẩu của {user} phải có ít nhất {min} ký tự và khác tên người dùng",
        "the password for {user} must have at least {min} characters and not be the user name",
    ),
    "auth.user_exists": ("đã có tài khoản {user}", "there is already an account {user}"),
    "auth.bad_role": (
        "'{role}' không phải là vai trò; hãy dùng viewer (xem), editor (biên tập) hoặc admin (quản trị)",
        "'{role}' is not a role; use viewer, editor or admin",
    ),
    "auth.last_admin": (
        "{user} là quản trị viên cuối cùng nên giữ vai trò quản trị",
        "{user} is the last administrator and keeps the role",
    ),
    "auth.bad_target": (
        "không cấp quyền được cho '{target}': hãy ghi mã một lớp hoặc bảng (chữ thường, số, _) hoặc * cho tất cả",
        "'{target}' cannot be granted: name a layer or table (lower-case letters, digits, _) or * for all",
    ),
    "auth.bad_rights": (
        "'{rights}' không phải là quyền; hãy dùng các chữ r (đọc), w (ghi), a (quản lý lớp)",
        "'{rights}' are not rights; use letters of r (read), w (write), a (administer the layer)",
    ),
    "auth.grant_viewer": (
        "{user} là người xem, chỉ được đọc; hãy đổi vai trò thành editor trước",
        "{user} is a viewer and only reads; make them an editor first",
    ),
    "auth.open_bind": (
        "ứng dụng sẽ nghe trên {address}, nơi mọi máy trong mạng đều truy cập được, trong khi xem không cần đăng "
        "nhập; hãy bật đăng nhập cho mọi trang hoặc chỉ nghe trên 127.0.0.1",
        "the app would listen on {address}, where anyone on the network reaches it, and viewing needs no sign-in; "
        "require a sign-in for every page or listen on 127.0.0.1",
    ),
    "store.conflict": (
        "lớp '{layer}' vừa được người khác thay đổi (hiện là phiên bản {current}{who}, thay đổi này dựa trên phiên "
        "bản {base}); chưa có gì được ghi, hãy tải lại lớp rồi thực hiện lại thay đổi",
        "layer '{layer}' was changed by someone else (now version {current}{who}, the change was made on version "
        "{base}); nothing was written, reload the layer and make the change again",
    ),
    "store.not_finite": (
        "lớp '{layer}' không lưu được: đối tượng {features} có tọa độ hoặc giá trị không phải số hữu hạn (NaN "
        "hoặc vô hạn, ví dụ một điểm mà hệ tọa độ không đặt được); chưa ghi gì",
        "layer '{layer}' cannot be stored: {what} of feature(s) {features} are not finite numbers (NaN or "
        "infinite, e.g. a point its CRS cannot place); nothing was written",
    ),
    "store.readback_failed": (
        "lớp '{layer}' chưa được lưu: đọc lại sau khi ghi thì thấy dữ liệu không đọc được ({problem}); chưa ghi gì",
        "layer '{layer}' was not stored: reading it back, {problem}; nothing was written",
    ),
    "store.table_columns": (
        "bảng '{table}' thiếu cột {columns}; hãy cập nhật kho từ dữ liệu của dự án",
        "table '{table}' lacks column(s) {columns}; update the project store from the project data",
    ),
    "store.bad_layer_id": (
        "{layer} không phải là mã lớp hợp lệ; hãy dùng chữ thường không dấu, chữ số và dấu _, bắt đầu bằng một chữ "
        "cái (ví dụ cluster_lots)",
        "{layer} is not a valid layer id; use lower-case letters, digits and _ starting with a letter (for example "
        "cluster_lots)",
    ),
    "store.reserved_layer_id": (
        "{layer} không phải là mã lớp hợp lệ: GeoPackage, GDAL, QGIS hoặc chính kho dữ liệu đặt tên như vậy cho các "
        "bảng riêng (gpkg_…, rtree_…, sqlite_…, ogr_…, qgis_…, baoyen_…, layer_styles, tên có __v); hãy chọn mã lớp "
        "khác",
        "{layer} is not a valid layer id: GeoPackage, GDAL, QGIS or the store itself name their own tables so "
        "(gpkg_…, rtree_…, sqlite_…, ogr_…, qgis_…, baoyen_…, layer_styles, names with __v); choose another layer id",
    ),
    "store.bad_field_name": (
        "lớp '{layer}' có trường tên '{field}', không lưu được vào kho; hãy đổi tên trường chỉ gồm chữ cái không "
        "dấu, chữ số và dấu _ (không dùng tên fid hay geom)",
        "layer '{layer}' has a field named '{field}', which cannot be stored; rename it to letters, digits and _ "
        "(not fid or geom)",
    ),
    "store.field_case_clash": (
        "lớp '{layer}' có hai trường tên chỉ khác nhau ở chữ hoa, chữ thường ({fields}); hãy đổi tên một trường",
        "layer '{layer}' has two fields whose names differ only by case ({fields}); rename one",
    ),
    "store.bad_column_name": (
        "bảng '{table}' có cột tên '{column}'; tên cột chỉ được gồm chữ cái không dấu, chữ số và dấu _ (không dùng "
        "tên fid)",
        "table '{table}' has a column named '{column}'; use letters, digits and _ (not fid)",
    ),
    "store.unknown_columns": (
        "bảng '{table}' của kho dữ liệu không có cột {columns} (các cột của bảng: {known}); chưa ghi gì",
        "table '{table}' has no column(s) {columns}; known: {known}; nothing was written",
    ),
    "store.geometry_not_gpkg": (
        "kho dữ liệu chứa một hình học không ở dạng nhị phân GeoPackage; tệp kho có thể đã hỏng — hãy khôi phục từ "
        "bản sao lưu",
        "the store holds a geometry that is not GeoPackage binary; the file may be damaged — restore it from a "
        "backup copy",
    ),
    "store.geometry_envelope": (
        "kho dữ liệu chứa một hình học có khung bao (envelope) không đọc được; tệp kho có thể đã hỏng — hãy khôi "
        "phục từ bản sao lưu",
        "the store holds a geometry with an unknown envelope; the file may be damaged — restore it from a backup copy",
    ),
    "store.disk_full": (
        "ổ đĩa chứa kho dữ liệu {path} đã đầy; chưa có gì thay đổi — hãy giải phóng bớt dung lượng ổ đĩa rồi thử lại",
        "the disk holding the store {path} is full; nothing was changed — free some space on it and try again",
    ),
    "store.read_only": (
        "kho dữ liệu {path} chỉ đọc được: không thể ghi vào tệp, thư mục chứa tệp hoặc ổ đĩa; chưa có gì thay đổi",
        "the store {path} is read-only: the file, its folder or the disk cannot be written; nothing was changed",
    ),
    "store.locked": (
        "kho dữ liệu {path} đang được một chương trình khác dùng và khóa quá {seconds} giây; chưa có gì thay đổi — "
        "hãy thử lại sau ít phút",
        "the store {path} is in use: another program kept it locked for more than {seconds} s; nothing was changed "
        "— try again in a moment",
    ),
    "store.damaged": (
        "kho dữ liệu {path} là tệp SQLite nhưng không đọc được ({detail}); tệp có thể đã hỏng — hãy khôi phục từ bản "
        "sao lưu",
        "the store {path} is an SQLite file that cannot be read ({detail}); it may be damaged — restore it from a "
        "backup copy",
    ),
    "store.cannot_open": (
        "không mở được kho dữ liệu {path} ({detail}); hãy kiểm tra quyền đọc tệp và thư mục chứa tệp",
        "the store {path} cannot be opened ({detail}); check that the file and its folder can be read",
    ),
    "store.write_failed": (
        "không ghi được vào kho dữ liệu {path} ({detail}); chưa có gì thay đổi",
        "the store {path} could not be written ({detail}); nothing was changed",
    ),
    "store.read_failed": (
        "không đọc được kho dữ liệu {path} ({detail})",
        "the store {path} could not be read ({detail})",
    ),
    "store.other_database": (
        "{path} là một cơ sở dữ liệu SQLite nhưng không phải kho dữ liệu của dự án; hãy chọn đường dẫn kho khác",
        "{path} is an SQLite database, but not a project store of this application; choose another store path",
    ),
    # --- the shared PostGIS store (layers/postgis.py) and copying a store (services/migrate.py) ---------------
    "store.pg_connect": (
        "không kết nối được tới kho dữ liệu PostGIS {path} ({detail}); hãy kiểm tra máy chủ cơ sở dữ liệu có đang "
        "chạy không và máy chủ, cổng, tên cơ sở dữ liệu, người dùng, mật khẩu trong URL có đúng không",
        "cannot connect to the PostGIS store {path} ({detail}); check that the database server runs and that the "
        "URL's host, port, database, user and password are right",
    ),
    "store.pg_bad_url": (
        "{path} không phải là URL PostgreSQL đọc được ({detail}); hãy viết theo dạng "
        "postgresql://người_dùng@máy_chủ:cổng/cơ_sở_dữ_liệu",
        "{path} is not a PostgreSQL URL that can be read ({detail}); write it as postgresql://user@host:port/database",
    ),
    "store.pg_bad_schema": (
        "{schema} không dùng được làm tên schema của kho; hãy dùng chữ thường không dấu, chữ số và dấu _, bắt đầu "
        "bằng một chữ cái (không phải public, information_schema hay pg_…)",
        "{schema} cannot name the store's schema; use lower-case letters, digits and _ starting with a letter (not "
        "public, information_schema or pg_…)",
    ),
    "store.pg_no_postgis": (
        "cơ sở dữ liệu của {path} chưa có PostGIS; quản trị viên cơ sở dữ liệu cần bật một lần "
        "(CREATE EXTENSION postgis)",
        "the database of {path} has no PostGIS; its administrator must enable it once (CREATE EXTENSION postgis)",
    ),
    "store.pg_schema_in_use": (
        "schema {schema} của {path} đang chứa các bảng không phải kho dữ liệu của dự án; hãy chọn schema khác "
        "(schema=TÊN trong URL)",
        "schema {schema} of {path} holds tables that are not a project store of this application; choose another "
        "schema (schema=NAME in the URL)",
    ),
    "store.pg_no_srs": (
        "cơ sở dữ liệu của {path} chưa có định nghĩa EPSG:{epsg} và người dùng này không được thêm vào ({detail}); "
        "quản trị viên có thể cho phép thêm dòng vào spatial_ref_sys, hoặc tạo kho một lần",
        "the database of {path} has no definition of EPSG:{epsg} and this user may not add it ({detail}); its "
        "administrator can allow adding rows to spatial_ref_sys, or create the store once",
    ),
    "store.pg_denied": (
        "cơ sở dữ liệu của kho {path} từ chối yêu cầu ({detail}); chưa có gì thay đổi — quản trị viên có thể cấp cho "
        "người dùng này các quyền cần thiết trên schema {schema}",
        "the database of the store {path} refused the request ({detail}); nothing was changed — its administrator "
        "can give this user the rights it needs on schema {schema}",
    ),
    "store.pg_reserved_field": (
        "'{layer}' có trường tên {field}, là tên PostgreSQL dành riêng (tableoid, xmin, cmin, xmax, cmax, ctid); "
        "hãy đổi tên trường",
        "'{layer}' has a field named {field}, which PostgreSQL keeps for its own (tableoid, xmin, cmin, xmax, cmax, "
        "ctid); rename the field",
    ),
    "store.nul_text": (
        "'{layer}' không lưu được vào kho PostGIS: trường {field} của dòng {rows} chứa ký tự NUL, mà văn bản "
        "PostgreSQL không chứa được; hãy xóa ký tự đó khỏi dữ liệu; chưa ghi gì",
        "'{layer}' cannot be stored in the PostGIS store: field {field} of row(s) {rows} holds a NUL character, "
        "which PostgreSQL text cannot hold; remove it from the data; nothing was written",
    ),
    "store.version_exists": (
        "lớp '{layer}' đã có phiên bản {current} nên không thêm được phiên bản {version}; chưa ghi gì",
        "layer '{layer}' already has version {current}, so version {version} cannot be added; nothing was written",
    ),
    "migrate.target_not_empty": (
        "kho đích {target} không trống ({layers} lớp, {tables} bảng, {settings} thiết lập); chỉ chép vào một kho trống",
        "the target store {target} is not empty ({layers} layer(s), {tables} table(s), {settings} setting(s)); "
        "copy only into an empty store",
    ),
    "migrate.same_store": (
        "kho nguồn và kho đích là một ({target}); hãy chọn kho đích khác",
        "the source and the target are the same store ({target}); choose another target",
    ),
    "migrate.crs_differs": (
        "kho đích {target} lưu các lớp theo EPSG:{target_epsg}, kho nguồn theo EPSG:{source_epsg}; hãy chép vào một "
        "kho trống theo EPSG:{source_epsg}",
        "the target store {target} keeps its layers in EPSG:{target_epsg}, the source in EPSG:{source_epsg}; copy "
        "into an empty store in EPSG:{source_epsg}",
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
    # --- the occupancy measure's inputs (analysis/occupancy.py) ---------------------------------------------
    "occupancy.unknown_status": (
        "{count} lô có trạng thái không hợp lệ: {features}{and_more}; hãy ghi cho mỗi lô một trong các trạng "
        "thái `trống`, `đã cho thuê`, `đang xây dựng`, `đang hoạt động` (hay mã `vacant`, `allocated`, `building`, "
        "`operating`)",
        "unknown status in {count} feature(s): {features}{and_more}; allowed values are vacant (trống); allocated "
        "(đã cho thuê); building (đang xây dựng); operating (đang hoạt động) (Vietnamese terms are accepted too)",
    ),
    "occupancy.unknown_use": (
        "{count} vùng quy hoạch có loại đất không hợp lệ: {features}{and_more}; hãy ghi cho mỗi vùng một trong "
        "các loại `đất công nghiệp`, `đất giao thông`, `đất cây xanh`, `đất hạ tầng kỹ thuật`, `đất khác` (hay mã "
        "`industrial`, `road`, `green`, `technical`, `other`)",
        "unknown use in {count} feature(s): {features}{and_more}; allowed values are industrial (đất công nghiệp); "
        "road (đất giao thông); green (đất cây xanh); technical (đất hạ tầng kỹ thuật); other (đất khác) "
        "(Vietnamese terms are accepted too)",
    ),
    "occupancy.bad_dates": (
        "trường `{field}` của {count} đối tượng không phải là ngày: {features}{and_more}; hãy ghi ngày theo dạng "
        "YYYY-MM-DD hoặc DD/MM/YYYY (ví dụ 2023-05-31 hoặc 31/05/2023)",
        "`{field}` is not a date in {count} feature(s): {features}{and_more}; write dates as YYYY-MM-DD (or "
        "DD/MM/YYYY)",
    ),
    "occupancy.value": ("{feature} («{value}»)", "{feature} ('{value}')"),
    "occupancy.value_empty": ("{feature} (để trống)", "{feature} (empty)"),
    "occupancy.row": ("dòng {row}", "row {row}"),
    "occupancy.no_area": (
        "ranh giới cụm công nghiệp không có diện tích; hãy nhập ranh giới của cụm dạng vùng (đa giác)",
        "the cluster boundary has no area; give the cluster's boundary as a polygon",
    ),
    "occupancy.no_use_field": (
        "lớp quy hoạch sử dụng đất không có trường `use`; hãy ghi cho mỗi vùng một loại đất: `đất công nghiệp`, "
        "`đất giao thông`, `đất cây xanh`, `đất hạ tầng kỹ thuật` hoặc `đất khác` (hay mã `industrial`, `road`, "
        "`green`, `technical`, `other`)",
        "the zoning layer has no `use` field; give each polygon a use: industrial, road, green, technical or other "
        "(or the Vietnamese term, e.g. đất công nghiệp)",
    ),
    "occupancy.no_status_field": (
        "lớp lô đất không có trường `status`; hãy ghi cho mỗi lô một trạng thái: `trống`, `đã cho thuê`, "
        "`đang xây dựng` hoặc `đang hoạt động` (hay mã `vacant`, `allocated`, `building`, `operating`)",
        "the lot layer has no `status` field; give each lot a status: vacant, allocated, building or operating "
        "(or trống, đã cho thuê, đang xây dựng, đang hoạt động)",
    ),
    "occupancy.not_polygons": (
        "{count} lô không phải là vùng (đa giác): {features}{and_more}; mỗi lô phải là một vùng — hãy khép kín "
        "đường bao hoặc vẽ lại đường bao của lô",
        "{count} lot(s) are not polygons: {features}{and_more}; a lot must be a polygon (close the line or draw "
        "the lot's outline)",
    ),
    "occupancy.lot_kind": ("{feature} (là {have})", "{feature} ({have})"),
    "occupancy.leasable_differs": (
        "các phần của cụm ghi diện tích đất cho thuê (leasable_ha) khác nhau ({values} ha); hãy giữ một giá trị",
        "the cluster's parts give different leasable_ha ({values} ha); keep one value",
    ),
    "occupancy.bad_target": (
        "chỉ tiêu tỷ lệ lấp đầy của cụm phải lớn hơn 0 và không quá 100 %, không phải {value}",
        "the occupancy target must be above 0 and at most 100 %, not {value}",
    ),
    "occupancy.bad_relocation_area": (
        "diện tích cần cho các cơ sở di dời phải là một số héc-ta từ 0 trở lên, không phải {value}",
        "the area to relocate must be zero or more hectares, not {value}",
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
    "export.onto_store": (
        "{path} là kho dữ liệu của dự án hoặc một tệp của kho: ghi vào đó sẽ xóa mất kho và toàn bộ lịch sử; hãy chọn "
        "tệp xuất khác",
        "{path} is the project store or one of its files: writing there would destroy the store and its history; "
        "choose another output file",
    ),
    "export.is_directory": (
        "{path} là một thư mục; hãy ghi rõ tên tệp cần ghi, ví dụ {example}",
        "{path} is a folder; name the file to write, for example {example}",
    ),
    "export.not_a_file": (
        "{path} không phải là tệp thông thường (mà là thiết bị, đường ống hoặc socket); hãy chọn một tệp để ghi",
        "{path} is not a regular file (it is a device, a pipe or a socket); choose a file to write",
    ),
    "export.name_too_long": (
        "tên tệp {name} quá dài ({length} byte, ổ đĩa chỉ cho phép {limit}); hãy chọn tên ngắn hơn",
        "the file name {name} is too long ({length} bytes; the disk allows {limit}); choose a shorter name",
    ),
    "export.disk_full": (
        "không ghi được {path}: ổ đĩa đã đầy; chưa ghi gì vào đó",
        "{path} could not be written: the disk is full; nothing was written there",
    ),
    "export.no_permission": (
        "không ghi được {path}: không có quyền ghi vào đó (hoặc ổ đĩa chỉ đọc); chưa ghi gì vào đó",
        "{path} could not be written: no permission to write there (or the disk is read-only); nothing was written "
        "there",
    ),
    "export.cannot_write": (
        "không ghi được {path} ({reason}); chưa ghi gì vào đó",
        "{path} could not be written ({reason}); nothing was written there",
    ),
    # --- what an export noticed (layers/export.py, geo.io.write_vector) -------------------------------------
    "export.kml_lonlat": (
        "tệp KML luôn dùng EPSG:4326 (kinh độ, vĩ độ), nên không dùng hệ tọa độ {crs} đã chọn",
        "KML is always in EPSG:4326; {crs} was not used",
    ),
    "export.names_cut": (
        "tệp shapefile chỉ giữ tên trường dài tối đa 10 ký tự, nên các tên này bị cắt ngắn: {fields}",
        "shapefile field names are cut to 10 characters: {fields}",
    ),
    "export.names_kept": (
        "tệp shapefile cắt tên trường còn 10 ký tự ({names}); tên đầy đủ được lưu trong tệp {file} đi kèm và được "
        "khôi phục khi nhập lại tệp",
        "the shapefile cuts field names to 10 characters ({names}); the full names are kept in {file} beside it and "
        "are restored when the file is imported",
    ),
    "export.text_cut": (
        "trường {field}: {count} giá trị chữ dài hơn mức tệp shapefile chứa được ({limit} byte) đã bị cắt (đối tượng "
        "{rows}{and_more}); hãy xuất dạng GeoPackage (gpkg) để giữ nguyên",
        "field {field}: {count} text value(s) longer than a shapefile holds ({limit} bytes) were cut (features "
        "{rows}{and_more}); export as GeoPackage (gpkg) to keep them whole",
    ),
    "export.library_message": ("khi ghi tệp, thư viện GDAL báo: «{detail}»", "{detail}"),
    "export.area_unmeasured": (
        "để trống {column} của {count}/{total} đối tượng: hình học của chúng không phải do đo đạc hay số hóa, nên diện "
        "tích của hình không phải diện tích của đối tượng (xem cột {note_column})",
        "{column} left empty for {count} of {total} features: their geometry is not surveyed or digitised, so its "
        "area is not the feature's (see {note_column})",
    ),
    "export.area_of_shapes": (
        "{column} là diện tích đo được của từng hình, mà các hình của lớp {layer} không phải đường bao của chính các "
        "đối tượng (xem phần mô tả lớp): đó không phải diện tích của các đối tượng",
        "{column} is the measured area of each shape, and the shapes of {layer} are not its features' own outlines "
        "(see the layer's description): it is not the features' area",
    ),
    "export.formula_cells": (
        "{count} ô chữ bắt đầu giống công thức bảng tính (=, +, -, @); chúng được ghi dưới dạng chữ{quote}, nên không "
        "bao giờ chạy như công thức",
        "{count} text cell(s) begin like a spreadsheet formula (=, +, -, @); they are written as text{quote}, so they "
        "never run",
    ),
    "export.replaced": ("tệp {path} đã có từ trước và đã được ghi đè", "{path} existed and was replaced"),
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
    "overlay.zones_no_field": (
        "các vùng không có trường '{field}'{field_list}; hãy chọn trường chứa phân loại của vùng",
        "the zones have no field '{field}'{field_list}; choose the field that holds their class",
    ),
    "overlay.units_no_field": (
        "các đơn vị không có trường '{field}'{field_list}; hãy chọn trường chứa mã của đơn vị",
        "the units have no field '{field}'{field_list}; choose the field that holds their id",
    ),
    "overlay.zone_no_class": (
        "{count} vùng không có giá trị ở trường '{field}'; hãy điền giá trị cho các vùng đó hoặc xóa chúng",
        "{count} zone polygon(s) have no value in '{field}'; fill the field or remove those polygons",
    ),
    "overlay.unit_no_id": (
        "{count} đơn vị không có giá trị ở trường '{field}'; hãy điền mã cho các đơn vị đó hoặc xóa chúng",
        "{count} unit(s) have no value in '{field}'; fill the id or remove those units",
    ),
    "overlay.no_successor": (
        "chưa có xã mới (2025) kế thừa cho đơn vị {units}{and_more}; hãy bổ sung bảng đối chiếu xã cũ → xã 2025 "
        "(successor_code) cho các đơn vị đó",
        "no successor unit for {units}{and_more}; complete the legacy→2025 table (successor_code) for those units",
    ),
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
    # --- re-applying an edit on a newer version (geo/merge.py, services/edits.py) ----------------------------
    "merge.no_key": (
        "các đối tượng ({frame}) không có cột `{key}`; mỗi đối tượng cần mã riêng để ghép các thay đổi",
        "the {frame} features have no `{key}` column; every feature needs its id to be merged",
    ),
    "merge.bad_ids": (
        "cột `{key}` của các đối tượng ({frame}) phải có giá trị và không trùng nhau (trùng: {repeated}; bỏ trống: "
        "{empty} dòng); hãy sửa mã đối tượng rồi lưu lại",
        "the {frame} features' `{key}` must be unique and filled (repeated: {repeated}; empty: {empty} row(s)); "
        "fix the ids and save again",
    ),
    "merge.not_in_conflict": (
        "đối tượng {ids} không có xung đột; chỉ chọn giữa các đối tượng đang xung đột",
        "feature(s) {ids} are not in conflict; choose only among the conflicting features",
    ),
    "merge.bad_choice": (
        "lựa chọn cho đối tượng {ids} không phải «của tôi» hay «của người kia»; hãy giữ một trong hai",
        "the choice for feature(s) {ids} is neither mine nor theirs; keep one of the two",
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
    "raster.library_warning": ("{source}: khi đọc tệp, thư viện raster báo: «{detail}»", "{source}: {detail}"),
    "raster.implausible": (
        "{source}: {count} ô có giá trị {values}{and_more}, không thể là độ cao trên mặt đất; các ô này được coi là "
        "không có dữ liệu (có lẽ tệp thiếu hoặc ghi sai giá trị «không có dữ liệu»)",
        "{source}: {count} cells hold {values}{and_more}, which is no elevation on land; they are read as no data "
        "(the file's no-data value is probably missing or wrong)",
    ),
    "terrain.bad_units": ("đơn vị độ dốc phải là percent hoặc degrees", "slope units must be percent or degrees"),
    "terrain.no_id_field": ("các vùng không có trường '{field}'", "the zones have no field '{field}'"),
    "terrain.not_work_crs": ("DEM phải ở lưới EPSG:9208", "the DEM must be on an EPSG:9208 grid"),
    "terrain.no_dem": (
        "kho chưa có DEM; hãy nhập một DEM trước — Copernicus DEM GLO-30 (ô N22E104) hoặc DEM của tỉnh",
        "the store holds no DEM yet; import one first — Copernicus DEM GLO-30 (tile N22E104) or the province's own",
    ),
    "sample.onto_store": (
        "{path} là kho dữ liệu thật, không phải kho mẫu; dữ liệu mẫu không bao giờ ghi đè kho của người dùng: hãy chọn "
        "đường dẫn khác",
        "{path} holds a store that is not a sample store; the sample never replaces a planner's store: choose "
        "another path",
    ),
    "terrain.no_raster_dir": ("kho này không lưu được raster", "this store keeps no rasters"),
    "terrain.unknown_commune": ("không có xã nào mang mã đã cho", "no commune has the given code(s)"),
    # --- reading a file safely: size, archives, XML, JSON, truncation (geo/safety.py) -------------------------
    "file.missing": ("không tìm thấy {source}; hãy kiểm tra lại đường dẫn", "{source} does not exist; check the path"),
    "file.not_a_file": (
        "{source} không phải là một tệp; hãy chỉ đường dẫn tới một tệp dữ liệu (hoặc tệp .zip chứa dữ liệu)",
        "{source} is not a file; give the path of a data file (or a .zip of it)",
    ),
    "file.empty": (
        "{source} rỗng (0 byte): việc tải lên hoặc sao chép đã bị ngắt giữa chừng; hãy gửi lại tệp",
        "{source} is empty (0 bytes); the upload or copy was cut off, send the file again",
    ),
    "file.too_large": (
        "{source} có dung lượng {size_mb} MB, vượt giới hạn {limit_mb} MB; hãy chia thành các tệp nhỏ hơn hoặc nhờ "
        "quản trị viên nâng giới hạn (BAOYEN_UPLOAD_MB)",
        "{source} is {size_mb} MB, above the {limit_mb} MB limit; split it into smaller files or raise the limit "
        "(BAOYEN_UPLOAD_MB)",
    ),
    "archive.unreadable": (
        "{source} không phải là tệp nén .zip đọc được ({detail}); có thể tệp bị cắt cụt, hãy gửi lại tệp đầy đủ",
        "{source} is not a readable zip archive ({detail}); it may be truncated, send the complete file again",
    ),
    "archive.too_large": (
        "{source} khi giải nén sẽ chiếm {size_mb} MB, vượt giới hạn {limit_mb} MB (có thể là «bom nén»); hãy gửi "
        "trực tiếp các tệp dữ liệu không nén, hoặc gửi tệp nhỏ hơn",
        "{source} would expand to {size_mb} MB, above the {limit_mb} MB limit (a zip bomb?); send the data files "
        "without the archive, or smaller",
    ),
    "archive.expands_beyond": (
        "{source} khi giải nén vượt quá {limit_mb} MB (có thể là «bom nén») nên không được đọc; hãy gửi trực tiếp "
        "các tệp dữ liệu không nén, hoặc gửi tệp nhỏ hơn",
        "{source} expands beyond {limit_mb} MB (a zip bomb?); it was not read — send the data files without the "
        "archive, or smaller",
    ),
    "archive.symlink": (
        "{source}: tệp '{member}' trong tệp nén là một liên kết tượng trưng (symbolic link), bị từ chối vì không an "
        "toàn; hãy chỉ nén các tệp dữ liệu",
        "{source}: member '{member}' is a symbolic link, which is refused as unsafe; zip the data files alone",
    ),
    "archive.nul_name": (
        "{source}: tên tệp '{member}' trong tệp nén chứa ký tự NUL, bị từ chối vì không an toàn; hãy chỉ nén các tệp "
        "dữ liệu",
        "{source}: member name '{member}' holds a NUL byte, which is refused as unsafe; zip the data files alone",
    ),
    "archive.absolute_path": (
        "{source}: tệp '{member}' trong tệp nén có đường dẫn tuyệt đối, bị từ chối vì không an toàn; hãy chỉ nén các "
        "tệp dữ liệu",
        "{source}: member '{member}' has an absolute path, which is refused as unsafe; zip the data files alone",
    ),
    "archive.outside": (
        "{source}: tệp '{member}' trong tệp nén trỏ ra ngoài thư mục giải nén (..), bị từ chối vì không an toàn; hãy "
        "chỉ nén các tệp dữ liệu",
        "{source}: member '{member}' points outside the archive (..), which is refused as unsafe; zip the data "
        "files alone",
    ),
    "archive.encrypted": (
        "{source}: tệp '{member}' trong tệp nén được đặt mật khẩu; hãy gửi tệp nén không đặt mật khẩu",
        "{source}: member '{member}' is encrypted; send an archive without password",
    ),
    "archive.member_bomb": (
        "{source}: tệp '{member}' khi giải nén to gấp {ratio} lần (giới hạn {limit} lần), dấu hiệu của «bom nén», "
        "nên không được giải nén; hãy gửi trực tiếp các tệp dữ liệu không nén",
        "{source}: member '{member}' expands {ratio}× (limit {limit}×), the mark of a zip bomb; it was not extracted "
        "— send the data files without the archive",
    ),
    "archive.bomb": (
        "{source} khi giải nén to gấp {ratio} lần (giới hạn {limit} lần), dấu hiệu của «bom nén», nên không được "
        "giải nén; hãy gửi trực tiếp các tệp dữ liệu không nén",
        "{source} expands {ratio}× overall (limit {limit}×), the mark of a zip bomb; it was not extracted — send "
        "the data files without the archive",
    ),
    "archive.member_corrupt": (
        "{source}: tệp '{member}' trong tệp nén bị hỏng hoặc bị cắt cụt ({detail}); hãy gửi lại tệp nén đầy đủ",
        "{source}: member '{member}' is corrupt or truncated ({detail}); send the complete archive again",
    ),
    "xml.doctype": (
        "{source} khai báo DOCTYPE hoặc thực thể XML, bị từ chối vì không an toàn (XXE / bom thực thể); hãy xuất lại "
        "tệp từ Google Earth hoặc QGIS",
        "{source} declares a DOCTYPE or XML entities, which is refused as unsafe (XXE / entity bomb); export the "
        "file again from Google Earth or QGIS",
    ),
    "xml.unsafe": (
        "{source} dùng các tính năng XML bị từ chối vì không an toàn ({detail}); hãy xuất lại tệp từ Google Earth "
        "hoặc QGIS",
        "{source} uses XML features refused as unsafe ({detail}); export it again from Google Earth or QGIS",
    ),
    "xml.malformed": (
        "{source} không phải là XML hợp lệ ({detail}); có thể tệp bị cắt cụt, hãy gửi lại tệp đầy đủ",
        "{source} is not well-formed XML ({detail}); it may be truncated, send the complete file again",
    ),
    "json.too_deep": (
        "{source} lồng nhau tới {depth} cấp (giới hạn {limit} cấp), bị từ chối vì không an toàn; hãy xuất lại tệp "
        "thành GeoJSON thông thường",
        "{source} is nested {depth} levels deep (limit {limit}), which is refused as unsafe; export it again as "
        "plain GeoJSON",
    ),
    "json.incomplete": (
        "{source} không phải là JSON hoàn chỉnh (các dấu ngoặc không được đóng đủ); có thể tệp bị cắt cụt, hãy gửi "
        "lại tệp đầy đủ",
        "{source} is not complete JSON (its brackets do not close); it may be truncated, send the complete file again",
    ),
    "shapefile.missing_parts": (
        "{source} thiếu tệp {parts} đi kèm; Shapefile gồm nhiều tệp (.shp .shx .dbf .prj): hãy nén tất cả vào một "
        "tệp .zip rồi gửi tệp đó",
        "{source} lacks its {parts} part(s); a shapefile is several files (.shp .shx .dbf .prj): zip them all "
        "together and send the .zip",
    ),
    "shapefile.no_header": (
        "{source} ngắn hơn cả phần đầu (header) của một tệp Shapefile; hãy gửi lại tệp đầy đủ",
        "{source} is shorter than a shapefile header; send the complete file again",
    ),
    "shapefile.truncated": (
        "{source} bị cắt cụt (có {size} trên {expected} byte); hãy gửi lại Shapefile đầy đủ",
        "{source} is truncated ({size} of {expected} bytes); send the complete shapefile again",
    ),
    "shapefile.shx_truncated": (
        "{source}: tệp chỉ mục .shx bị cắt cụt ({size} byte); hãy gửi lại Shapefile đầy đủ",
        "{source}: its .shx index is truncated ({size} bytes); send the complete shapefile again",
    ),
    "shapefile.dbf_truncated": (
        "{source}: bảng thuộc tính .dbf bị cắt cụt; hãy gửi lại Shapefile đầy đủ",
        "{source}: its .dbf table is truncated; send the complete shapefile again",
    ),
    "shapefile.parts_differ": (
        "{source}: tệp .shx có {shapes} hình nhưng bảng .dbf có {records} bản ghi, tức là các tệp đến từ những lần "
        "xuất khác nhau; hãy gửi lại cùng lúc các tệp của cùng một lần xuất",
        "{source}: its .shx indexes {shapes} shapes but its .dbf holds {records} records; the parts come from "
        "different exports, send them again together",
    ),
    "gpkg.unreadable": (
        "{source} không phải là GeoPackage đọc được ({detail}); hãy gửi lại tệp đầy đủ",
        "{source} is not a readable GeoPackage ({detail}); send the complete file again",
    ),
    "gpkg.truncated": (
        "{source} bị cắt cụt (có {size} trên {expected} byte); hãy gửi lại GeoPackage đầy đủ",
        "{source} is truncated ({size} of {expected} bytes); send the complete GeoPackage again",
    ),
    "gpkg.damaged": (
        "{source} là GeoPackage bị hỏng ({detail}); hãy xuất lại tệp từ QGIS",
        "{source} is a damaged GeoPackage ({detail}); export it again from QGIS",
    ),
    "dxf.truncated": (
        "{source} không kết thúc bằng dấu EOF của DXF nên đã bị cắt cụt; hãy lưu lại tệp từ phần mềm CAD",
        "{source} does not end with the DXF EOF marker; it is truncated, save it again from CAD",
    ),
    "dgn.truncated": (
        "{source} không kết thúc bằng dấu kết thúc bản vẽ của DGN nên đã bị cắt cụt; hãy lưu lại tệp từ MicroStation",
        "{source} does not end with the DGN end-of-design marker; it is truncated, save it again from MicroStation",
    ),
    "fgb.truncated": (
        "{source} bị cắt cụt; hãy gửi lại tệp FlatGeobuf đầy đủ",
        "{source} is truncated; send the complete FlatGeobuf again",
    ),
    "parquet.truncated": (
        "{source} thiếu phần cuối (footer) của tệp Parquet nên đã bị cắt cụt; hãy gửi lại tệp đầy đủ",
        "{source} lacks its Parquet footer; it is truncated, send the complete file again",
    ),
    # --- coordinates of a file that are no numbers (notices of a read: geo/safety.py) ----------------------------
    # notices of a read (geo.io, geo.encoding, geo.validate) and of an import (layers.importer)
    "read.library_warning": (
        "{source}: khi đọc tệp, thư viện GDAL báo: «{detail}»",
        "{source}: while reading: {detail}",
    ),
    "read.cpg_unknown": (
        "{source}: tệp .cpg ghi một bảng mã không biết («{cpg}»); bảng mã chữ được tự nhận biết",
        "{source}: its .cpg names an unknown code page ({cpg}); the text encoding was detected instead",
    ),
    "read.views_skipped": (
        "{source}: {views} là khung nhìn (truy vấn lưu sẵn), không đọc như một lớp",
        "{source}: {views} are views (stored queries), not read as layers",
    ),
    "read.names_unreadable": (
        "{source}: bỏ qua tệp {file} (tên đầy đủ của các trường) vì không đọc được như JSON",
        "{source}: its {file} (the full field names) was ignored: it is not readable JSON",
    ),
    "read.names_not_map": (
        "{source}: bỏ qua tệp {file} (tên đầy đủ của các trường) vì không phải bảng đối chiếu tên trường",
        "{source}: its {file} (the full field names) was ignored: it does not map field names to names",
    ),
    "read.names_clash": (
        "{source}: bỏ qua tệp {file} (tên đầy đủ của các trường) vì sẽ làm hai trường trùng tên",
        "{source}: its {file} (the full field names) was ignored: it would give two fields the same name",
    ),
    "read.json_field": (
        "trường {field} chứa giá trị có cấu trúc; đã giữ dưới dạng văn bản JSON",
        "field {field} holds structured values; they were kept as JSON text",
    ),
    "read.crs_overridden": (
        "{source} ghi hệ tọa độ {declared}; đã đọc theo {used} như bạn chọn",
        "{source} declares {declared}; it was read as {used} as asked",
    ),
    "read.repaired": (
        "{source}: đã sửa {count} hình học không hợp lệ (đối tượng {rows}{and_more}); hãy kiểm tra lại các đối tượng "
        "này",
        "{source}: {count} invalid geometries were repaired (features {rows}{and_more})",
    ),
    "read.no_geometry": (
        "{source}: {count} đối tượng không có hình học (đối tượng {rows}{and_more})",
        "{source}: {count} feature(s) without geometry (features {rows}{and_more})",
    ),
    "read.unreadable_geometry": (
        "{source}: không đọc được hình học của {count} đối tượng ({reason}){listed}; hãy sửa các đối tượng này bằng "
        "phần mềm GIS rồi xuất lại tệp",
        "{source}: the geometry of {count} feature(s) cannot be read ({reason}){listed}; correct them in a GIS and "
        "export the file again",
    ),
    "read.ring_open": (
        "một vòng của đa giác không khép kín: điểm cuối phải trùng với điểm đầu",
        "a polygon ring is not closed: its last point must repeat its first",
    ),
    "read.ring_too_short": ("một vòng của đa giác có quá ít điểm", "a polygon ring has too few points"),
    "read.wkb_invalid": ("hình học không hợp lệ", "it is not valid"),
    "read.wkb_detail": ("thư viện hình học báo: «{detail}»", "{detail}"),
    "read.kind_count": ("{count} đối tượng kiểu {kind}", "{count} {kind}"),
    "read.mixed_types": (
        "{source} có nhiều kiểu hình học ({kinds}); mỗi lớp chỉ chứa một kiểu, hãy tách tệp trước",
        "{source} mixes geometry types ({kinds}); a layer holds one type",
    ),
    "read.no_features": (
        "{source} không có đối tượng nào; hãy kiểm tra đã xuất đúng lớp chưa",
        "{source} holds no features; check that the right layer was exported",
    ),
    "read.repeated_ids": (
        "{source}: trường {field} có mã lặp lại: {ids}",
        "{source}: field {field} repeats the id(s) {ids}",
    ),
    "read.far_outside": (
        "{source} nằm cách Lào Cai khoảng {km} km theo {crs} (kinh độ {lon0}…{lon1}, vĩ độ {lat0}…{lat1}): có lẽ hệ "
        "tọa độ chưa đúng; hãy chọn hệ tọa độ mà dữ liệu được lập (VN-2000 múi 3° kinh tuyến trục 104°45′ là "
        "EPSG:9208)",
        "{source} lies about {km} km outside Lào Cai in {crs} (lon {lon0}…{lon1}, lat {lat0}…{lat1}): the CRS is "
        "probably wrong; choose the CRS the data was made in (VN-2000 TM-3 104°45′ is EPSG:9208)",
    ),
    "encoding.not_unicode": (
        "{source}: tệp .cpg ghi UTF-8 nhưng chữ không phải UTF-8; đã đọc theo {encoding}",
        "{source}: its .cpg says UTF-8 but the text is not UTF-8; read it as {encoding}",
    ),
    "encoding.legacy_vietnamese": (
        "{source}: tệp .cpg ghi bảng mã phương Tây nhưng chữ là {encoding}; đã chuyển sang Unicode",
        "{source}: its .cpg names a Western code page but the text is {encoding}; converted to Unicode",
    ),
    "schema.required_unmapped": (
        "các trường bắt buộc {fields} chưa có cột nguồn; hãy chọn cột của tệp cho các trường này",
        "required field(s) {fields} have no source column; map a column to them",
    ),
    "import.columns_left": (
        "các cột không được nhập (không phải trường của lớp {layer}): {columns}",
        "column(s) not imported (not fields of {layer}): {columns}",
    ),
    "import.fields_renamed": (
        "đổi tên trường để lưu được: {fields}",
        "fields renamed to be storable: {fields}",
    ),
    "schema.bad_value": (
        "dòng {row}: {field} = «{value}» không phải {expected}; hãy sửa giá trị trong tệp hoặc chọn cột khác",
        "row {row}: {field} = '{value}' is not {expected}",
    ),
    "schema.more_bad": ("… và {count} giá trị khác không chuyển được", "… and {count} more values that do not convert"),
    "schema.cell": ("dòng {row} ({field})", "row {row} ({field})"),
    "schema.required_missing": (
        "thiếu giá trị bắt buộc ở {cells}{and_more}; hãy điền các ô này trong tệp",
        "required value missing in {cells}{and_more}",
    ),
    "schema.expected_mark": (
        "một số viết giống các giá trị khác của cột (dấu thập phân '{mark}', dấu phân cách hàng nghìn '{group}')",
        "a number written like the column's other values ('{mark}' decimal mark, '{group}' thousands)",
    ),
    "schema.ambiguous": (
        "{lead}trường {field}: {rows}{and_more} — đã đọc '{mark}' là dấu thập phân và '{group}' là dấu phân cách "
        "hàng nghìn vì không có giá trị nào khác trong cột cho biết cột dùng dấu nào; hãy kiểm tra các giá trị này, "
        "nếu đọc như vậy là sai thì hãy viết số không có dấu phân cách hàng nghìn (hoặc với số chữ số thập phân khác)",
        "{lead}field {field}: {rows}{and_more} — read with '{mark}' as the decimal mark and '{group}' between "
        "thousands because no other value of the column shows which mark it uses; check these values, and write "
        "them without a thousands separator (or with a different number of decimals) if that reading is wrong",
    ),
    "schema.ambiguous_conflicting": (
        "{lead}trường {field}: {rows}{and_more} — đã đọc '{mark}' là dấu thập phân và '{group}' là dấu phân cách "
        "hàng nghìn vì các giá trị trong cột không thống nhất về dấu thập phân; hãy kiểm tra các giá trị này, nếu "
        "đọc như vậy là sai thì hãy viết số không có dấu phân cách hàng nghìn (hoặc với số chữ số thập phân khác)",
        "{lead}field {field}: {rows}{and_more} — read with '{mark}' as the decimal mark and '{group}' between "
        "thousands because the column's values disagree on the decimal mark; check these values, and write them "
        "without a thousands separator (or with a different number of decimals) if that reading is wrong",
    ),
    "schema.ambiguous_row": ("dòng {row} «{written}» được đọc là {reading}", "row {row} '{written}' as {reading}"),
    "import.fold_clash": (
        "{source}: hai cột cho cùng một tên trường khi bỏ dấu; hãy đổi tên một cột",
        "{source}: two columns give the same field name once folded to ASCII; rename one",
    ),
    "import.mixed_types": (
        "{source} có nhiều kiểu hình học; mỗi lớp chỉ chứa một kiểu, hãy tách tệp trước",
        "{source} mixes geometry types; a layer holds one type, split the file first",
    ),
    "import.duplicate_ids": (
        "{source}: mã {ids} xuất hiện nhiều lần; mã phải không trùng trong một lớp",
        "{source}: the id(s) {ids} occur more than once; ids must be unique in a layer",
    ),
    "import.unplaceable": (
        "{source}: đối tượng {features}{and_more} không đặt được vào EPSG:9208 (tọa độ thành vô hạn); hãy kiểm tra hệ "
        "tọa độ",
        "{source}: feature(s) {features}{and_more} cannot be placed in EPSG:9208 (their coordinates become infinite)",
    ),
    "import.wrong_geometry": (
        "lớp {layer} chứa hình học kiểu {want} nhưng tệp có {have}; hãy chọn lớp khác hoặc chuyển đổi tệp",
        "layer {layer} holds {want} geometries but the file has {have}; choose another layer or convert the file",
    ),
    "import.unlocated": (
        "{count} đối tượng không có hình học được lưu là «chưa xác định vị trí»",
        "{count} feature(s) without geometry are stored as 'unlocated'",
    ),
    "import.library_warning": ("khi đọc và chuyển đổi tệp, một thư viện báo: «{detail}»", "{detail}"),
    "coords.nan": (
        "{source}: tọa độ không phải là số (NaN) ở đối tượng {features}{and_more}; hãy sửa tọa độ của các đối tượng "
        "này",
        "{source}: coordinates not a number (NaN) in feature(s) {features}{and_more}; correct them",
    ),
    "coords.infinite": (
        "{source}: tọa độ có giá trị vô hạn ở đối tượng {features}{and_more}; hãy sửa tọa độ của các đối tượng này",
        "{source}: coordinates infinite in feature(s) {features}{and_more}; correct them",
    ),
    "coords.too_large": (
        "{source}: tọa độ vượt quá ±{limit} ở đối tượng {features}{and_more}; hãy sửa tọa độ của các đối tượng này",
        "{source}: coordinates beyond ±{limit} in feature(s) {features}{and_more}; correct them",
    ),
    # --- tables of coordinates (geo/tables.py): errors, then the notices of a read ----------------------------
    "table.no_rows": (
        "{source} không có dòng nào; hãy gửi bảng có một dòng tiêu đề và mỗi điểm một dòng",
        "{source} has no rows; send a table with a header row and one row per point",
    ),
    "table.malformed": (
        "{source} không phải là bảng đúng định dạng ({detail}); có thể tệp bị cắt cụt, hãy gửi lại tệp đầy đủ",
        "{source} is not a well-formed table ({detail}); it may be truncated, send the complete file again",
    ),
    "table.truncated_row": (
        "{source} kết thúc giữa chừng một dòng (dòng {row} có {cells} trên {columns} ô), tức là tệp đã bị cắt cụt; "
        "hãy gửi lại tệp đầy đủ",
        "{source} ends in the middle of a row (row {row} has {cells} of {columns} cells); the file is truncated, "
        "send the complete file again",
    ),
    "table.xlsx_unreadable": (
        "{source} không phải là sổ tính Excel đọc được ({detail}); hãy lưu lại thành tệp .xlsx",
        "{source} is not a readable Excel workbook ({detail}); save it again as .xlsx",
    ),
    "table.no_sheet": (
        "{source} không có trang tính '{sheet}'; hãy chọn một trong các trang tính: {sheets}",
        "{source} has no sheet '{sheet}'; choose one of its sheets: {sheets}",
    ),
    "table.sheet_empty": (
        "{source}: trang tính '{sheet}' trống; hãy thêm một dòng tiêu đề và mỗi điểm một dòng",
        "{source}: sheet '{sheet}' is empty; put a header row and one row per point",
    ),
    "table.header_only": (
        "{source} chỉ có dòng tiêu đề, không có dòng dữ liệu nào; hãy thêm mỗi điểm một dòng",
        "{source} has a header but no rows; add one row per point",
    ),
    "table.not_numbers": (
        "{source}: tọa độ không phải là số ở {rows}{and_more}; hãy sửa lại",
        "{source}: coordinates that are not numbers in {rows}{and_more}; correct them",
    ),
    "table.not_degrees": (
        "{source}: tọa độ không phải là số hay độ ở {rows}{and_more}; hãy sửa lại",
        "{source}: coordinates that are not numbers or degrees in {rows}{and_more}; correct them",
    ),
    "table.bad_row": ("dòng {row} ({cells}{why})", "row {row} ({cells}{why})"),
    "table.half_coordinates": (
        "{source}: dòng {rows} chỉ có một trong hai tọa độ {x}/{y}; hãy điền đủ cả hai",
        "{source}: row(s) {rows} have only one of {x}/{y}; fill in both",
    ),
    "table.hemisphere_mixup": (
        "{source}: dòng {rows}{and_more} có chữ chỉ bán cầu của vĩ độ (N/S/B) trong cột kinh độ hoặc chữ chỉ bán cầu "
        "của kinh độ (E/W/Đ/T) trong cột vĩ độ ({x}/{y}); hãy sửa lại",
        "{source}: row(s) {rows}{and_more} have a latitude hemisphere (N/S/B) in the longitude column or a longitude "
        "hemisphere (E/W/Đ/T) in the latitude column ({x}/{y}); correct them",
    ),
    "table.bad_wkt": (
        "{source}: cột {column} không phải là WKT hợp lệ ở dòng {rows}; hãy sửa lại",
        "{source}: column {column} is not valid WKT in row(s) {rows}; correct them",
    ),
    "table.legacy_encoding": (
        "{source} không dùng bảng mã UTF-8; văn bản đã được đọc theo bảng mã {encoding}",
        "{source} is not UTF-8; its text was read as {encoding}",
    ),
    "table.rows_without_coordinates": (
        "{source}: {count} dòng không có tọa độ (dòng {rows}) vẫn được giữ lại nhưng không có vị trí",
        "{source}: {count} row(s) without coordinates ({rows}) are kept without a location",
    ),
    "table.lonlat_swapped": (
        "{source}: cột '{first}' chứa vĩ độ còn cột '{second}' chứa kinh độ (theo giá trị quanh Lào Cai); hai cột đã "
        "được đổi chỗ cho đúng",
        "{source}: the column '{first}' holds latitudes and '{second}' longitudes (values around Lào Cai); they "
        "were swapped",
    ),
    "table.x_northing": (
        "{source}: cột '{x}' chứa tọa độ Bắc và cột '{y}' chứa tọa độ Đông (theo quy ước Việt Nam, X là tọa độ Bắc); "
        "các điểm được tạo từ ({y}, {x})",
        "{source}: '{x}' holds northings and '{y}' eastings (the Vietnamese X = northing convention); points were "
        "made from ({y}, {x})",
    ),
    "table.x_easting": (
        "{source}: cột '{x}' chứa tọa độ Đông và cột '{y}' chứa tọa độ Bắc (theo quy ước của phần mềm GIS)",
        "{source}: '{x}' holds eastings and '{y}' northings (GIS convention)",
    ),
    "table.xy_degrees": (
        "{source}: các cột {x}/{y} chứa tọa độ theo độ; cột '{lon}' được hiểu là kinh độ và cột '{lat}' là vĩ độ",
        "{source}: {x}/{y} hold degrees; '{lon}' was taken as longitude and '{lat}' as latitude",
    ),
    "table.northing_assumed": (
        "{source}: không phân biệt được tọa độ Bắc và tọa độ Đông qua giá trị; đã coi cột {x} là tọa độ Bắc (theo "
        "quy ước Việt Nam)",
        "{source}: could not tell northing from easting by the values; took {x} as northing (the Vietnamese "
        "convention)",
    ),
    "table.crs_assumed": (
        "{source} không ghi hệ tọa độ; theo khoảng giá trị tọa độ ({range}) đã coi là {crs}; nếu không đúng, hãy chọn "
        "hệ tọa độ khác",
        "{source} does not say its CRS; assumed {crs} because {reason}; choose another CRS if that is wrong",
    ),
    # --- an angle as written in a table (geo/tables.py) -------------------------------------------------------
    "degrees.too_long": (
        "«{text}» không phải là góc theo độ: dài quá {limit} ký tự",
        "«{text}» is not an angle in degrees: longer than {limit} characters",
    ),
    "degrees.bad_hemisphere": (
        "«{text}» không phải là góc theo độ: '{letters}' không phải là chữ chỉ bán cầu (N, S, E, W, B, Đ, T, Bắc, "
        "Nam, Đông, Tây)",
        "«{text}» is not an angle in degrees: '{letters}' is not a hemisphere (N, S, E, W, B, Đ, T, Bắc, Nam, Đông, "
        "Tây)",
    ),
    "degrees.two_hemispheres": (
        "«{text}» không phải là góc theo độ: có hai chữ chỉ bán cầu; hãy chỉ ghi một",
        "«{text}» is not an angle in degrees: it has two hemisphere letters; keep one",
    ),
    "degrees.sign_and_hemisphere": (
        "«{text}» không phải là góc theo độ: có cả dấu trừ (hoặc cộng) lẫn chữ chỉ bán cầu; hãy chỉ giữ một",
        "«{text}» is not an angle in degrees: it has both a sign and a hemisphere letter; keep one",
    ),
    "degrees.no_degrees": (
        "«{text}» không phải là góc theo độ: không có số độ",
        "«{text}» is not an angle in degrees: no degrees",
    ),
    "degrees.unexpected": (
        "«{text}» không phải là góc theo độ: không đọc được phần «{rest}»",
        "«{text}» is not an angle in degrees: unexpected «{rest}»",
    ),
    "degrees.too_many_parts": (
        "«{text}» không phải là góc theo độ: có nhiều phần hơn độ, phút và giây",
        "«{text}» is not an angle in degrees: more than degrees, minutes and seconds",
    ),
    "degrees.out_of_order": (
        "«{text}» không phải là góc theo độ: có {found_vi} ở chỗ phải là {expected_vi}",
        "«{text}» is not an angle in degrees: {found} where {expected} should be",
    ),
    "degrees.decimals_not_last": (
        "«{text}» không phải là góc theo độ: chỉ phần cuối cùng (độ, phút hoặc giây) mới được có phần thập phân",
        "«{text}» is not an angle in degrees: only the last of degrees, minutes and seconds may have decimals",
    ),
    "degrees.minutes_too_large": (
        "«{text}» không phải là góc theo độ: {minutes} phút, trong khi số phút phải nhỏ hơn 60",
        "«{text}» is not an angle in degrees: {minutes} minutes; minutes must be below 60",
    ),
    "degrees.seconds_too_large": (
        "«{text}» không phải là góc theo độ: {seconds} giây, trong khi số giây phải nhỏ hơn 60",
        "«{text}» is not an angle in degrees: {seconds} seconds; seconds must be below 60",
    ),
    "degrees.beyond": (
        "«{text}» không phải là góc theo độ: {value}° vượt quá {limit}°",
        "«{text}» is not an angle in degrees: {value}° is beyond {limit}°",
    ),
    "degrees.latitude_not_longitude": (
        "«{text}» là vĩ độ (N/S) trong khi ở đây cần kinh độ",
        "«{text}» is a latitude (N/S) where a longitude is expected",
    ),
    "degrees.longitude_not_latitude": (
        "«{text}» là kinh độ (E/W) trong khi ở đây cần vĩ độ",
        "«{text}» is a longitude (E/W) where a latitude is expected",
    ),
    "degrees.not_latitude": (
        "«{text}» không phải là vĩ độ: {value}° vượt quá 90°",
        "«{text}» is not a latitude: {value}° is beyond 90°",
    ),
    # --- coordinate reference systems (geo/crs.py) -------------------------------------------------------------
    "crs.unknown": (
        f"'{{value}}' không phải là hệ tọa độ mà PROJ biết; hãy ghi mã EPSG, ví dụ EPSG:9208 ({_VN2000})",
        "'{value}' is not a coordinate reference system PROJ knows; give an EPSG code such as EPSG:9208 "
        "(VN-2000 / TM-3 104-45)",
    ),
    "crs.not_epsg": (
        "'{text}' không phải là mã EPSG; hãy viết theo dạng EPSG:9208 (hoặc chỉ 9208)",
        "'{text}' is not an EPSG code; write it as EPSG:9208 (or just 9208)",
    ),
    "crs.none": (
        f"dữ liệu chưa có hệ tọa độ; hãy chọn hệ tọa độ của dữ liệu ({_VN2000} là EPSG:9208)",
        "{what} has no coordinate reference system; choose one (VN-2000 TM-3 104°45′ is EPSG:9208)",
    ),
    "crs.differ": (
        "hai lớp dữ liệu ở hai hệ tọa độ khác nhau ({first} và {second}); hãy chuyển một lớp sang hệ tọa độ của lớp "
        "kia, ví dụ chuyển cả hai sang EPSG:9208",
        "the inputs are in different CRSs ({first} and {second}); reproject one of them, e.g. both to EPSG:9208",
    ),
    # --- raw-material zones and supply areas (analysis/materials.py) -------------------------------------------
    "materials.no_species": (
        "có lô rừng chưa ghi loài cây; hãy ghi loài cây (ví dụ Quế, Mỡ, Bồ Đề) cho mọi lô",
        "a species is empty; write the species (e.g. Quế, Mỡ, Bồ Đề) for every stand",
    ),
    "materials.no_species_field": (
        "các lô rừng đã lập bản đồ không có trường '{field}'; hãy bổ sung loài cây của từng lô (ví dụ Quế, Mỡ)",
        "the mapped stands have no field '{field}'; add the species of each stand (e.g. Quế, Mỡ)",
    ),
    "materials.legacy_no_field": (
        "lớp xã cũ (trước sắp xếp) không có trường '{field}'; hãy cập nhật kho từ dữ liệu của dự án",
        "the legacy units have no field '{field}'; update the project store from the project data",
    ),
    "materials.no_successor": (
        "chưa có xã mới (2025) kế thừa cho đơn vị {units}; hãy điền mã xã kế thừa (successor_code) cho các đơn vị đó",
        "no 2025 successor for {units}; fill successor_code for those units",
    ),
    "materials.not_legacy": (
        "{units} không phải là mã xã cũ (trước sắp xếp); hãy dùng mã ma_xa của lớp xã cũ (communes_legacy)",
        "unit(s) {units} are not legacy units; use the ma_xa codes of communes_legacy",
    ),
    "materials.unknown_commune": (
        "xã '{commune}' không có trong danh sách đơn vị ({known} …); hãy ghi mã chính thức hoặc tên xã như trong lớp "
        "xã",
        "commune '{commune}' is not one of the units ({known} …); write its official code or its name as in the "
        "commune layer",
    ),
    "materials.plan_no_species": (
        "lớp vùng nguyên liệu theo kế hoạch không có trường 'species' (loài cây); hãy cập nhật kho từ dữ liệu của "
        "dự án",
        "the plan zones have no field 'species'; update the project store from the project data",
    ),
    "supply.no_plant_point": (
        "cần đúng một nhà máy có vị trí (một điểm), nhưng nhà máy này chưa có vị trí; hãy đặt điểm của nhà máy trước",
        "give exactly one located plant (a point); this plant has no location",
    ),
    "supply.bad_yield": (
        "năng suất {value} trên mỗi héc-ta không hợp lệ; hãy nhập một số từ 0 trở lên",
        "yield {value} per ha is not a non-negative number; give a number of 0 or more",
    ),
    "supply.no_roads": (
        "lớp đường giao thông không có đối tượng dạng đường nào; hãy dùng lớp tim đường giao thông",
        "the road layer has no lines; give a layer of road centre lines",
    ),
    "supply.unknown_zone": (
        "vùng nguyên liệu '{zone}' của nhà máy không có trong lớp vùng nguyên liệu theo kế hoạch "
        "(material_zones_plan); hãy sửa trường material_zone của nhà máy",
        "plant's raw-material zone '{zone}' is not in material_zones_plan; fix material_zone",
    ),
    "supply.road_method": (
        "tính theo đường giao thông: nhà máy và các lô rừng được nối với đường gần nhất bằng một đoạn thẳng, chỗ các "
        "đường cắt nhau được coi là nút giao; lô rừng được tính theo ô {cell_m} m có tâm nằm trong phạm vi",
        "road distance: plant and stands join the nearest road by a straight leg; crossings are junctions; stands "
        "counted by {cell_m} m cells whose centre is within reach",
    ),
    "supply.far_from_road": (
        "nhà máy cách đường gần nhất {distance_km} km, xa hơn khoảng cách đã chọn, nên không có lô rừng nào được tính",
        "the plant is {distance_km} km from the nearest road, beyond the distance",
    ),
    # --- targets, funding and the report (analysis/targets.py, analysis/funding.py, reports/report.py) ---------
    "targets.period_reversed": (
        "kỳ báo cáo '{period}' kết thúc trước khi bắt đầu; hãy viết {last}-{first}",
        "period '{period}' ends before it starts; write it as {last}-{first}",
    ),
    "targets.bad_period": (
        "'{period}' không phải là kỳ báo cáo; hãy dùng 2025-H1 (6 tháng đầu năm), 2025 (cả năm) hoặc 2021-2025 "
        "(nhiều năm)",
        "'{period}' is not a reporting period; use 2025-H1 (six months), 2025 (year) or 2021-2025 (several years)",
    ),
    "targets.bad_year": (
        "kỳ báo cáo '{period}' có năm {year}; hãy dùng năm từ 2000 đến 2100",
        "period '{period}' has the year {year}; use a year between 2000 and 2100",
    ),
    "targets.unknown": (
        "không có mục tiêu '{target}'; hãy chọn một trong các mục tiêu: {targets}",
        "no target '{target}'; targets are {targets}",
    ),
    "targets.unknown_measure": (
        "mục tiêu {target} không có chỉ tiêu '{measure}'; hãy chọn một trong các chỉ tiêu của mục tiêu: {measures}",
        "target {target} has no measure '{measure}'; its measures: {measures}",
    ),
    "targets.no_measures": (
        "mục tiêu {target} chưa có chỉ tiêu nào trong bảng 'target_measures'; hãy cập nhật kho từ dữ liệu của dự án",
        "target {target} has no measures in table 'target_measures'; update the project store from the project data",
    ),
    "targets.derived": (
        "mục tiêu {target} được tính từ các lớp bản đồ ({measures}); hãy cập nhật các lớp đó thay vì nhập số liệu",
        "target {target} is derived from the map layers ({measures}); update the layers instead of recording a value",
    ),
    "targets.measure_derived": (
        "chỉ tiêu '{measure}' của mục tiêu {target} được tính từ lớp '{layer}'; hãy cập nhật dữ liệu đó thay vì nhập "
        "số liệu",
        "measure '{measure}' of target {target} is derived from layer '{layer}'; update that data instead of "
        "recording a value",
    ),
    "targets.bad_value": (
        "giá trị {value} của mục tiêu {target} không hợp lệ; hãy nhập một số từ 0 trở lên (đơn vị: {unit_vi})",
        "value {value} for target {target} must be a number ≥ 0 in {unit}",
    ),
    "targets.bad_milestone": (
        "chỉ tiêu '{measure}' là một mốc: hãy nhập 1 (đã đạt) hoặc 0 (chưa đạt), không phải {value}",
        "measure '{measure}' is a milestone: record 1 (done) or 0 (not yet), not {value}",
    ),
    "funding.bad_amount": (
        "số tiền {value} không hợp lệ; hãy nhập một số từ 0 trở lên, tính bằng tỷ đồng",
        "amount {value} must be a number ≥ 0 in bn VND (tỷ đồng)",
    ),
    "report.bad_language": (
        "báo cáo không có ngôn ngữ '{lang}'; hãy chọn vi (tiếng Việt) hoặc en (tiếng Anh)",
        "report language '{lang}' is not available; use vi or en",
    ),
    "report.bad_format": (
        "không có định dạng báo cáo '{format}'; hãy chọn docx hoặc xlsx",
        "report format '{format}' is not available; use docx or xlsx",
    ),
    "export.bad_format": (
        "'{format}' không phải là định dạng xuất dữ liệu; hãy chọn một trong các định dạng: {formats}",
        "'{format}' is not an export format; use one of {formats}",
    ),
    # --- commune boundaries from a file (layers/boundaries.py) --------------------------------------------------
    "boundaries.no_features": (
        "{source} không có đối tượng nào; hãy dùng tệp có các vùng ranh giới xã",
        "{source} holds no features; give a file with the commune polygons",
    ),
    "boundaries.no_polygons": (
        "{source} không có vùng (đa giác) nào, trong khi ranh giới xã phải là vùng; hãy dùng tệp ranh giới xã dạng "
        "vùng",
        "{source} holds no polygons; commune boundaries must be polygons",
    ),
    "boundaries.no_field": (
        "{source} không có trường '{field}'; hãy chọn một trong các trường của tệp: {fields}",
        "{source} has no field '{field}'; fields: {fields}",
    ),
    "boundaries.joined": (
        "{unit}: {count} vùng đã được gộp thành một đơn vị",
        "{unit}: {count} polygons joined into one unit",
    ),
}

#: params written without grouping the thousands (they are shown beside the digits they were read from)
UNGROUPED: frozenset[str] = frozenset({"as_thousands", "as_decimal", "reading"})

#: code -> named parts inside a template, empty unless a param is given (truthy): (name, param, Vietnamese,
#: English); "{features}{and_more}" reads "1, 2 và 5 đối tượng khác" when ``more`` is 5, "1, 2" without it
INLINE_PARTS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "coords.nan": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "schema.required_missing": (("and_more", "more", " và {more} ô khác", " and {more} more"),),
    "import.unplaceable": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "coords.infinite": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "coords.too_large": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "table.not_numbers": (("and_more", "more", " và {more} dòng khác", " and {more} more"),),
    "table.not_degrees": (("and_more", "more", " và {more} dòng khác", " and {more} more"),),
    "table.hemisphere_mixup": (("and_more", "more", " và {more} dòng khác", " and {more} more"),),
    "table.bad_row": (("why", "reasons", ": {reasons}", ": {reasons}"),),
    "overlay.zones_no_field": (("field_list", "fields", " (các trường: {fields})", " (fields: {fields})"),),
    "overlay.units_no_field": (("field_list", "fields", " (các trường: {fields})", " (fields: {fields})"),),
    "overlay.no_successor": (("and_more", "more", " và {more} đơn vị khác", " and {more} more"),),
    "occupancy.unknown_status": (("and_more", "more", " và {more} lô khác", " and {more} more"),),
    "occupancy.unknown_use": (("and_more", "more", " và {more} vùng khác", " and {more} more"),),
    "occupancy.bad_dates": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "occupancy.not_polygons": (("and_more", "more", " và {more} lô khác", " and {more} more"),),
    "read.repaired": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "read.no_geometry": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "read.unreadable_geometry": (
        ("and_more", "more", " và {more} đối tượng khác", " and {more} more"),
        ("listed", "rows", " (đối tượng {rows}{and_more})", " (features {rows}{and_more})"),
    ),
    "export.text_cut": (("and_more", "more", " và {more} đối tượng khác", " and {more} more"),),
    "export.formula_cells": (("quote", "csv", ", với dấu ' ở đầu", ", with a leading '"),),
    "raster.implausible": (("and_more", "more", " …", " …"),),
    "schema.ambiguous": (
        ("lead", "source", "{source}: ", "{source}: "),
        ("and_more", "more", " và {more} giá trị khác", " and {more} more"),
    ),
    "schema.ambiguous_conflicting": (
        ("lead", "source", "{source}: ", "{source}: "),
        ("and_more", "more", " và {more} giá trị khác", " and {more} more"),
    ),
}

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
    "crs.outside_vietnam": (
        ("distance_km", "; dữ liệu cách Việt Nam khoảng {distance_km} km", "; it lies about {distance_km} km away"),
        (
            "swapped",
            "; có vẻ X và Y bị đổi chỗ (vĩ độ ghi trước kinh độ)",
            "; x and y look swapped (latitude written before longitude)",
        ),
    ),
    "crs.guess_tm": (
        (
            "also_utm",
            "; EPSG:3405 (VN-2000 / UTM 48N) cũng khớp, khi đó dữ liệu nằm lệch về phía tây khoảng 26 km",
            "; EPSG:3405 (VN-2000 / UTM 48N) would also fit and place the data about 26 km farther west",
        ),
    ),
    "table.crs_assumed": (
        ("wgs84", " (kinh độ, vĩ độ theo VN-2000 là EPSG:4756)", " (VN-2000 degrees are EPSG:4756)"),
    ),
    "input.text_too_long": (
        ("field", " (trường {field})", ""),
        ("feature", " (đối tượng {feature})", ""),
        ("line", " (dòng {line})", ""),
    ),
}


def describe(exc: PlanError | str, lang: str = "vi") -> str:
    """The message of ``exc`` in ``lang`` ("vi", the default, or "en").

    Parameters
    ----------
    exc
        Any error of the project; or a notice (a :class:`~geo.safety.CodedNote`, or any text: one without a
        code is given back as it is).
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
        for name, param, vi_part, en_part in INLINE_PARTS.get(code, ()):
            values[name] = (en_part if en else vi_part).format_map(values) if params.get(param) else ""
        text = "".join(parts).format_map(values)
    except (KeyError, IndexError, ValueError):  # params that do not fill the template: the library's own text
        return str(exc)
    return unicodedata.normalize("NFC", text)


#: what a value should have been (geo.validate's words) and geometry kinds, in Vietnamese
_WORDS_VI: dict[str, str] = {
    "text": "văn bản",
    "a number": "một số",
    "a whole number": "một số nguyên",
    "yes/no": "có/không",
    "a date (YYYY-MM-DD or DD/MM/YYYY)": "một ngày (YYYY-MM-DD hoặc DD/MM/YYYY)",
    "a column of the file": "một cột của tệp",
    "Point": "điểm",
    "LineString": "đường",
    "Polygon": "vùng",
    "MultiPoint": "nhiều điểm",
    "MultiLineString": "nhiều đường",
    "MultiPolygon": "nhiều vùng",
    "GeometryCollection": "tập hình học",
}


def _words_vi(text: str) -> str:
    """``text`` (a word list of geo.validate) in Vietnamese; what this table does not know, as it is."""
    if text.startswith("one of "):
        return "một trong " + text.removeprefix("one of ")
    return ", ".join(_WORDS_VI.get(part, part) for part in text.split(", "))


def _values(params: Mapping[str, object], lang: str) -> dict[str, str]:
    """The params as text for ``lang``; adds ``range`` from ``bounds``."""
    out: dict[str, str] = {}
    for key, value in params.items():
        group = key not in UNGROUPED
        if key == "guess":  # an EPSG code: digits, never grouped
            out[key] = "" if value is None else str(value)
        elif _coded(value):
            out[key] = describe(value, lang)
        elif isinstance(value, str):
            out[key] = _words_vi(value) if lang != "en" and key in ("expected", "want", "have", "kind") else value
        elif isinstance(value, Sequence) and value and all(_coded(v) for v in value):
            out[key] = "; ".join(describe(v, lang) for v in value)
        elif isinstance(value, Sequence):  # coded items among plain ones (a list cut short by "… and 5 more")
            out[key] = ", ".join(describe(v, lang) if _coded(v) else _text(v, lang, group=group) for v in value)
        else:
            out[key] = _text(value, lang, group=group)
    if "by" in params and "at" in params:  # who changed a layer, and when (ISO UTC) in the language's writing
        by, at = str(params["by"] or ""), str(params["at"] or "")
        when = format_when(at, lang) if at else ""
        if lang == "en":
            out["who"] = f", saved by {by} on {when}" if by else ""
        else:
            out["who"] = f", do {by} lưu lúc {when}" if by else ""
    if params.get("until"):  # when a lock ends
        out["until"] = format_when(str(params["until"]), lang)
    bounds = params.get("bounds")
    if isinstance(bounds, Sequence) and not isinstance(bounds, str) and len(bounds) == 4:
        x0, y0, x1, y1 = (_text(v, lang, group=True) for v in bounds)
        out["range"] = f"x {x0}…{x1}, y {y0}…{y1}"
    return out


def _coded(value: object) -> TypeGuard[PlanError | str]:
    """True for an error or a notice whose code has a template (composed in the message's language)."""
    return isinstance(value, (PlanError, str)) and getattr(value, "code", None) in TEMPLATES


def format_when(at: str, lang: str) -> str:
    """An ISO time (UTC) in Vietnam's time (UTC+7): "01/12/2026 23:05" in Vietnamese, "2026-12-01 23:05 (UTC+7)"."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=7)))
    return local.strftime("%Y-%m-%d %H:%M (UTC+7)") if lang == "en" else local.strftime("%d/%m/%Y %H:%M")


def _text(value: object, lang: str, *, group: bool) -> str:
    """A float as ``lang`` writes it (geo.numbers); anything else (ints such as versions, texts) as it prints."""
    if isinstance(value, bool) or not isinstance(value, float) or not math.isfinite(value):
        return str(value)
    return format_number(value, "en" if lang == "en" else "vi", group=group)

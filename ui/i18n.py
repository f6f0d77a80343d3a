"""The one translation table of the UI: every label the pages show, in Vietnamese (default) and English.

Keys are grouped by page below; a page adds its keys under its own heading. ``t(key, lang)`` falls back
to the key itself when a label is missing, and ``tests/ui/test_i18n.py`` checks that none is missing.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"

TEXT: dict[str, tuple[str, str]] = {
    # --- app (shared sidebar, navigation) ---
    "app.title": ("Quy hoạch CN – TTCN – làng nghề Bảo Yên", "Bảo Yên industry & craft-village plan"),
    "app.language": ("Ngôn ngữ", "Language"),
    "app.store": ("Kho dữ liệu", "Data store"),
    "app.plan_source": (
        "Kế hoạch của UBND huyện Bảo Yên (8/2021) triển khai Đề án phát triển CN, TTCN và làng nghề 2020–2025, "
        "tầm nhìn 2030",
        "Plan of the Bảo Yên district People's Committee (Aug 2021) implementing the industry, small-industry "
        "and craft-village scheme 2020–2025, vision 2030",
    ),
    "app.error": ("Lỗi", "Error"),
    # --- sign-in (ui/login.py) ---
    "auth.title": ("Đăng nhập để thay đổi dữ liệu", "Sign in to change data"),
    "auth.name": ("Tên người dùng", "User name"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.sign_in": ("Đăng nhập", "Sign in"),
    "auth.sign_out": ("Đăng xuất", "Sign out"),
    "auth.signed_in_as": ("Đã đăng nhập: **{user}** ({role})", "Signed in: **{user}** ({role})"),
    "auth.role.viewer": ("người xem", "viewer"),
    "auth.role.editor": ("biên tập", "editor"),
    "auth.role.admin": ("quản trị", "admin"),
    "auth.must_change": (
        "Bạn đăng nhập bằng mật khẩu dùng một lần: hãy đặt mật khẩu mới trước khi thay đổi dữ liệu.",
        "You signed in with a one-time password: set a new password before changing anything.",
    ),
    "auth.new_password": ("Mật khẩu mới (ít nhất 10 ký tự)", "New password (10 characters or more)"),
    "auth.new_password_again": ("Nhập lại mật khẩu mới", "The new password again"),
    "auth.set_password": ("Đặt mật khẩu mới", "Set the new password"),
    "auth.passwords_differ": ("Hai lần nhập mật khẩu khác nhau.", "The two passwords typed differ."),
    "auth.first_start": (
        "Xem không cần đăng nhập. Lần chạy đầu tiên tạo tài khoản quản trị 'admin'; mật khẩu dùng một lần được in "
        "trong cửa sổ dòng lệnh đã chạy ứng dụng.",
        "Viewing needs no sign-in. The first start makes the administrator 'admin'; its one-time password is "
        "printed in the terminal that started the app.",
    ),
    "auth.required": (
        "Máy chủ này yêu cầu đăng nhập để xem dữ liệu: hãy đăng nhập ở thanh bên trái.",
        "This server needs a sign-in to view the data: sign in in the sidebar.",
    ),
    "nav.map": ("Bản đồ quy hoạch", "Planning map"),
    "nav.catalogue": ("Danh mục lớp dữ liệu", "Layer catalogue"),
    "nav.clusters": ("Cụm công nghiệp", "Industrial clusters"),
    "nav.materials": ("Vùng nguyên liệu", "Raw-material zones"),
    "nav.targets": ("Mục tiêu & kinh phí", "Targets & funding"),
    "nav.data": ("Dữ liệu", "Data"),
    "app.sample.banner": ("Dữ liệu mẫu — không phải số liệu thật", "Sample data — not real figures"),
    "app.sample.help": (
        "một cụm công nghiệp giả định (CCN MẪU) với lô đất, vùng nguyên liệu và số liệu thực hiện tạo bằng mã, để "
        "xem ứng dụng làm việc; kho dữ liệu thật không bị thay đổi.",
        "a synthetic cluster (CCN MẪU) with lots, mapped stands and recorded figures made in code, to see the app "
        "at work; the real store is not touched.",
    ),
    "app.sample.open": ("Xem thử với dữ liệu mẫu", "Try it with sample data"),
    "app.sample.open_help": (
        "Mở một kho dữ liệu mẫu riêng (không phải kho thật) cho phiên làm việc này.",
        "Opens a separate sample store (not the real one) for this session.",
    ),
    "app.sample.close": ("Quay lại dữ liệu thật", "Back to the real data"),
    "nav.terrain": ("Địa hình & chọn địa điểm", "Terrain & siting"),
    # --- map page ---
    "map.legend.outline": ("Chỉ vẽ đường viền: cả huyện", "Outline only: district-wide"),
    "map.title": ("Bản đồ quy hoạch", "Planning map"),
    "map.layers": ("Lớp bản đồ", "Map layers"),
    "map.layers.group": ("Hiện cả nhóm", "Show this group"),
    "map.layer_missing": ("Kho dữ liệu chưa có lớp", "The store has no layer"),
    "map.layer_empty": ("chưa có dữ liệu", "no data yet"),
    "map.basemap": ("Nền bản đồ", "Basemap"),
    "map.basemap.none": ("Không nền (chỉ lớp vector)", "None (vector layers only)"),
    "map.basemap.osm": ("OpenStreetMap (cần mạng)", "OpenStreetMap (needs internet)"),
    "map.basemap.satellite": ("Ảnh vệ tinh Esri (cần mạng)", "Esri satellite imagery (needs internet)"),
    "map.search": ("Tìm theo tên", "Search by name"),
    "map.search.placeholder": ("vd. pho rang, bao ha, thuy dien", "e.g. pho rang, bao ha, hydropower"),
    "map.search.none": ("Không tìm thấy đối tượng nào có tên này.", "No feature has that name."),
    "map.search.results": ("Kết quả", "Results"),
    "map.search.more": (
        "Chỉ hiện {shown} trên {total} kết quả; gõ cụ thể hơn.",
        "Showing {shown} of {total}; be more specific.",
    ),
    "map.search.no_place": ("chưa xác định vị trí", "no location"),
    "map.legend": ("Chú giải", "Legend"),
    "map.legend.size_by": ("Kích thước theo", "Size by"),
    "map.legend.quality": ("Độ tin cậy hình học", "Geometry quality"),
    "map.legend.quality_exact": ("Đo đạc / số hóa (nét liền)", "Surveyed / digitised (solid)"),
    "map.details": ("Thông tin đối tượng", "Feature details"),
    "map.details.empty": (
        "Bấm vào một đối tượng trên bản đồ để xem đầy đủ thuộc tính.",
        "Click a feature on the map to see all its attributes.",
    ),
    "map.details.gone": ("Đối tượng này không còn trong lớp dữ liệu.", "This feature is no longer in the layer."),
    "map.details.field": ("Thuộc tính", "Attribute"),
    "map.details.value": ("Giá trị", "Value"),
    "map.unlocated": ("Chưa xác định vị trí", "Location unknown"),
    "map.unlocated.help": (
        "Các đối tượng kế hoạch có nêu nhưng chưa có vị trí, nên không vẽ trên bản đồ.",
        "Features the plan names without a place; they are not drawn on the map.",
    ),
    "map.col.id": ("Mã đối tượng", "ID"),
    "map.col.layer": ("Lớp", "Layer"),
    "map.col.name": ("Tên", "Name"),
    "map.col.source": ("Nguồn", "Source"),
    "map.zoom_in": ("Phóng to", "Zoom in"),
    "map.zoom_out": ("Thu nhỏ", "Zoom out"),
    "map.popup.quality": ("Độ tin cậy vị trí", "Geometry quality"),
    "map.popup.targets": ("Mục tiêu kế hoạch", "Plan targets"),
    "map.popup.source": ("Nguồn", "Source"),
    "map.yes": ("Có", "Yes"),
    "map.no": ("Không", "No"),
    "map.quality_note.surveyed": ("đo đạc thực địa.", "surveyed in the field."),
    "map.quality_note.unknown": (
        "chưa rõ: tệp không cho biết hình học được đo đạc hay số hóa thế nào; hãy chọn chất lượng khi nhập.",
        "unknown: the file does not say how its geometry was surveyed or digitised; choose the quality on import.",
    ),
    "map.quality_note.digitised": ("số hóa từ bản đồ, bản vẽ quy hoạch.", "digitised from a map or planning drawing."),
    "map.quality_note.approximate": (
        "vị trí gần đúng (ước lượng, mã hóa theo địa danh); vẽ nét đứt.",
        "approximate position (estimated or geocoded from a place name); drawn dashed.",
    ),
    "map.quality_note.schematic": (
        "sơ đồ minh họa, vị trí và hình dạng không chính xác; vẽ nét chấm, nhạt màu.",
        "schematic: position and shape are only indicative; drawn dotted and lighter.",
    ),
    "map.quality_note.unlocated": (
        "kế hoạch có nêu nhưng chưa có vị trí; không vẽ, liệt kê dưới bản đồ.",
        "named by the plan without a place; not drawn, listed under the map.",
    ),
    "map.unit.ha": ("ha", "ha"),
    "map.unit.MW": ("MW", "MW"),
    "map.unit.m³/day": ("m³/ngày", "m³/day"),
    "map.unit.m³": ("m³", "m³"),
    "map.unit.km²": ("km²", "km²"),
    "map.unit.bn VND": ("tỷ đồng", "bn VND"),
    "map.unit.households": ("hộ", "households"),
    "map.unit.cooperatives": ("HTX", "cooperatives"),
    "map.unit.people": ("người", "people"),
    "map.unit.GWh/yr": ("GWh/năm", "GWh/yr"),
    "map.unit.million units/yr": ("triệu sản phẩm/năm", "million units/yr"),
    "map.unit.million bricks/yr": ("triệu viên/năm", "million bricks/yr"),
    "map.choice.ccn": ("Cụm công nghiệp", "Industrial cluster"),
    "map.choice.ttcn_zone": ("Khu tiểu thủ công nghiệp", "Small-industry zone"),
    "map.choice.graphite_processing": ("Chế biến graphit", "Graphite processing"),
    "map.choice.roof_tiles": ("Ngói xi măng không nung", "Non-fired cement roof tiles"),
    "map.choice.sand": ("Cát", "Sand"),
    "map.choice.stone": ("Đá", "Stone"),
    "map.choice.gravel": ("Sỏi", "Gravel"),
    "map.choice.soil": ("Đất", "Soil"),
    "map.choice.other": ("Khác", "Other"),
    "map.choice.non_fired": ("Gạch không nung", "Non-fired bricks"),
    "map.choice.tunnel_kiln": ("Lò tuynel", "Tunnel kiln"),
    "map.choice.votive_paper": ("Đan lát, cắt dán, hàng mã", "Weaving, paper cutting, votive paper"),
    "map.choice.brocade": ("Dệt thổ cẩm", "Brocade weaving"),
    "map.choice.food": ("Chế biến thực phẩm", "Food processing"),
    "map.choice.rattan_bamboo": ("Mây tre đan", "Rattan and bamboo"),
    "map.choice.industrial": ("Đất công nghiệp", "Industrial land"),
    "map.choice.services": ("Dịch vụ", "Services"),
    "map.choice.roads": ("Giao thông", "Roads"),
    "map.choice.road": ("Đất giao thông", "Roads"),
    "map.choice.allocated": ("Đã cho thuê", "Allocated"),
    "map.choice.building": ("Đang xây dựng", "Under construction"),
    "map.choice.operating": ("Đang hoạt động", "Operating"),
    "map.choice.green": ("Cây xanh", "Green space"),
    "map.choice.technical": ("Hạ tầng kỹ thuật", "Technical infrastructure"),
    "map.choice.water": ("Mặt nước", "Water"),
    "map.choice.leased": ("Đã cho thuê", "Leased"),
    "map.choice.vacant": ("Còn trống", "Vacant"),
    "map.choice.reserved": ("Đã giữ chỗ", "Reserved"),
    "map.choice.negotiating": ("Đang đàm phán", "Negotiating"),
    "map.choice.district": ("Toàn huyện", "District-wide"),
    "map.choice.communes": ("Một số xã", "Selected communes"),
    "map.assets_missing": ("Bản đồ chưa có thư viện hiển thị", "The map's browser assets are missing"),
    # --- map tools ---
    "map.cursor.crs": ("VN-2000 TM-3 104°45′", "VN-2000 TM-3 104°45′"),
    "map.cursor.lat": ("Vĩ độ", "Latitude"),
    "map.cursor.lng": ("Kinh độ", "Longitude"),
    "map.cursor.hint": (
        "Di chuột trên bản đồ để xem tọa độ VN-2000",
        "Move the mouse over the map for VN-2000 coordinates",
    ),
    "map.tiles.failed": (
        "Không tải được nền bản đồ (không có mạng?): chỉ các lớp vector được vẽ. Khi không có mạng, chọn «Không nền».",
        "The basemap tiles could not be loaded (no internet?): only the vector layers are drawn. Offline, choose "
        "“None”.",
    ),
    "map.tiles.zoom_in": (
        "Phóng to để xem lớp «{layer}» (lớp lớn, vẽ từ ô bản đồ).",
        "Zoom in to see “{layer}” (a large layer, drawn from map tiles).",
    ),
    "map.tiles.building": (
        "Đang tạo lớp bản đồ «{layer}» ({n} đối tượng) — khoảng {pct} %",
        "Building the map layer “{layer}” ({n} features) — about {pct} %",
    ),
    "map.tiles.building_help": (
        "Lớp lớn được vẽ từ ô bản đồ (vector tiles) do ứng dụng tự tạo cho mỗi phiên bản; bản đồ dùng chúng khi xong.",
        "Large layers are drawn from vector tiles the app makes for each version; the map uses them when done.",
    ),
    "map.tiles.failed_build": (
        "Không tạo được ô bản đồ cho lớp «{layer}»: {error}",
        "The map tiles of “{layer}” could not be built: {error}",
    ),
    "map.print.button": ("Dùng khung nhìn này để in bản đồ", "Use this view for the printed map"),
    "map.print.short": ("In", "Print"),
    "map.switch": ("Lớp trên bản đồ", "Layers on the map"),
    "map.print.hidden": (
        "Không in các lớp đã ẩn trên bản đồ: {layers}",
        "Layers hidden on the map are not printed: {layers}",
    ),
    "map.spread.moved": (
        "Vẽ lệch {m} m khỏi vị trí để tách khỏi các điểm cùng chỗ.",
        "Drawn {m} m off its place, apart from the points at the same place.",
    ),
    "map.names.communes": ("Hiện tên xã", "Show commune names"),
    "map.filter": ("Lọc theo thuộc tính", "Filter by attribute"),
    "map.filter.layer": ("Lớp cần lọc", "Layer to filter"),
    "map.filter.none": ("Không lọc", "No filter"),
    "map.filter.field": ("Trường", "Field"),
    "map.filter.values": ("Giá trị được hiện", "Values shown"),
    "map.filter.pick": (
        "Chọn giá trị để lọc; chưa chọn thì hiện tất cả.",
        "Pick values to filter by; none shows all.",
    ),
    "map.filter.no_fields": ("Lớp này không có trường để lọc.", "This layer has no field to filter by."),
    "map.filter.shown": (
        "Đang lọc «{layer}»: hiện {n}/{total} đối tượng có {field} là {values}.",
        "Filtering “{layer}”: {n} of {total} features shown, with {field} {values}.",
    ),
    "map.filter.hidden": (
        "Lớp «{layer}» đang tắt: bật lớp để xem kết quả lọc.",
        "The layer “{layer}” is switched off: switch it on to see the filter's result.",
    ),
    "map.measure": ("Đo đạc (VN-2000, EPSG:9208)", "Measure (VN-2000, EPSG:9208)"),
    "map.measure.help": (
        "Vẽ đường để đo khoảng cách, vẽ vùng để đo diện tích (công cụ ở góc trái bản đồ); số đo tính trong hệ "
        "VN-2000 / TM-3 104°45′. Xóa hình bằng nút thùng rác.",
        "Draw a line to measure a distance, a polygon to measure an area (tools at the map's left); figures are "
        "computed in VN-2000 / TM-3 104°45′. Delete shapes with the bin button.",
    ),
    "map.measure.none": ("Chưa có hình đo.", "Nothing measured yet."),
    "map.measure.line": ("Đường {i}: {length}", "Line {i}: {length}"),
    "map.measure.polygon": ("Vùng {i}: {area}; chu vi {length}", "Polygon {i}: {area}; perimeter {length}"),
    "map.measure.js.draw.toolbar.buttons.polyline": ("Đo khoảng cách (vẽ đường)", "Measure a distance (draw a line)"),
    "map.measure.js.draw.toolbar.buttons.polygon": ("Đo diện tích (vẽ vùng)", "Measure an area (draw a polygon)"),
    "map.measure.js.draw.handlers.polyline.tooltip.start": ("Bấm để đặt điểm đầu.", "Click to start the line."),
    "map.measure.js.draw.handlers.polyline.tooltip.cont": ("Bấm để đặt điểm tiếp theo.", "Click to add a point."),
    "map.measure.js.draw.handlers.polyline.tooltip.end": (
        "Bấm lại vào điểm cuối để kết thúc.",
        "Click the last point again to finish.",
    ),
    "map.measure.js.draw.handlers.polygon.tooltip.start": (
        "Bấm để đặt đỉnh đầu tiên.",
        "Click to place the first corner.",
    ),
    "map.measure.js.draw.handlers.polygon.tooltip.cont": (
        "Bấm để đặt đỉnh tiếp theo.",
        "Click to place the next corner.",
    ),
    "map.measure.js.draw.handlers.polygon.tooltip.end": (
        "Bấm vào đỉnh đầu tiên để khép vùng.",
        "Click the first corner to close the polygon.",
    ),
    "map.print": ("In bản đồ (PNG, PDF)", "Print the map (PNG, PDF)"),
    "map.print.paper": ("Khổ giấy", "Paper"),
    "map.print.orientation": ("Hướng giấy", "Orientation"),
    "map.print.landscape": ("Ngang", "Landscape"),
    "map.print.portrait": ("Dọc", "Portrait"),
    "map.print.title": ("Tiêu đề", "Title"),
    "map.print.default_title": (
        "Bản đồ quy hoạch công nghiệp – TTCN – làng nghề huyện Bảo Yên",
        "Bảo Yên industry, small-industry and craft-village plan",
    ),
    "map.print.frame.view": (
        "Khung in: khung nhìn của bản đồ khi bấm nút «In» (mức thu phóng {zoom}).",
        "Printed frame: the map's view when “Print” was pressed (zoom {zoom}).",
    ),
    "map.print.frame.default": (
        "Khung in: toàn huyện. Bấm nút «In» trên bản đồ để in đúng khung đang xem.",
        "Printed frame: the whole district. Press “Print” on the map to print the view you see.",
    ),
    "map.print.make": ("Tạo bản in", "Make the printed map"),
    "map.print.making": ("Đang tạo bản in (PNG và PDF)…", "Making the printed map (PNG and PDF)…"),
    "map.print.stale": (
        "Lớp, khung in hoặc lựa chọn đã thay đổi từ lần tạo bản in trước: bấm «Tạo bản in» để tạo lại.",
        "The layers, frame or choices changed since the printed map was made: click “Make the printed map” again.",
    ),
    "map.print.png": ("Tải ảnh PNG", "Download PNG"),
    "map.print.pdf": ("Tải PDF", "Download PDF"),
    "map.print.north": ("B", "N"),
    "map.print.quality": (
        "Độ tin cậy hình học của các đối tượng trên bản đồ",
        "Geometry quality of the features on this map",
    ),
    "map.print.quality.none": ("Không có đối tượng nào trong khung in.", "No feature lies within the printed frame."),
    "map.print.quality_note.sample": (
        "dữ liệu mẫu tạo bằng mã, không phải số liệu thật.",
        "sample data made in code, not real figures.",
    ),
    "map.print.footer": (
        "Hệ tọa độ VN-2000 / TM-3 kinh tuyến trục 104°45′ (EPSG:9208) · Tỷ lệ ≈ 1:{scale} trên khổ {paper} · "
        "Thước tỷ lệ {bar} · Lập ngày {day}",
        "CRS VN-2000 / TM-3 104°45′ (EPSG:9208) · Scale ≈ 1:{scale} on {paper} · Scale bar {bar} · Made on {day}",
    ),
    "map.print.filtered": ("Lọc: {layer} — {field}: {values}", "Filter: {layer} — {field}: {values}"),
    # --- catalogue page ---
    "catalogue.title": ("Danh mục lớp dữ liệu", "Layer catalogue"),
    "catalogue.intro": (
        "Mọi lớp của kế hoạch: nhóm, số đối tượng, độ tin cậy hình học và nguồn. Chọn một lớp để xem và tải "
        "bảng thuộc tính.",
        "Every layer of the plan: group, feature count, geometry quality and source. Pick a layer to see and "
        "download its attribute table.",
    ),
    "catalogue.col.title": ("Lớp", "Layer"),
    "catalogue.col.id": ("Mã lớp", "Layer id"),
    "catalogue.col.group": ("Nhóm", "Group"),
    "catalogue.col.geometry": ("Kiểu hình học", "Geometry"),
    "catalogue.col.features": ("Số đối tượng", "Features"),
    "catalogue.col.quality": ("Độ tin cậy hình học", "Geometry quality"),
    "catalogue.col.source": ("Nguồn", "Source"),
    "catalogue.col.targets": ("Mục tiêu kế hoạch", "Plan targets"),
    "catalogue.user_data": ("Dữ liệu người dùng nhập", "Entered by users"),
    "catalogue.not_in_store": ("chưa có trong kho", "not in the store"),
    "catalogue.pick": ("Bảng thuộc tính của lớp", "Attribute table of layer"),
    "catalogue.empty": ("Lớp này chưa có đối tượng nào.", "This layer has no features yet."),
    "catalogue.download": ("Tải CSV", "Download CSV"),
    "catalogue.geometry.Point": ("Điểm", "Point"),
    "catalogue.geometry.LineString": ("Đường", "Line"),
    "catalogue.geometry.Polygon": ("Vùng", "Polygon"),
    "catalogue.geometry.None": ("Không hình học", "No geometry"),
    "catalogue.wkt": ("Hình học (WKT, EPSG:4326)", "Geometry (WKT, EPSG:4326)"),
    # --- clusters page ---
    "clusters.title": ("Cụm công nghiệp – tỷ lệ lấp đầy", "Industrial clusters – land occupancy"),
    "clusters.intro": (
        "Mục tiêu II.(7) của kế hoạch: đến năm 2025 các cơ sở sản xuất di chuyển vào CCN Phố Ràng đạt 50 % diện tích "
        "quy hoạch. Tỷ lệ lấp đầy = diện tích các lô đã cho thuê, đang xây dựng hoặc đang hoạt động (trong ranh giới "
        "cụm và trên đất công nghiệp) ÷ diện tích đất công nghiệp có thể cho thuê; đo trong VN-2000 / TM-3 104°45′.",
        "Plan target II.(7): by 2025 the facilities moved into CCN Phố Ràng occupy 50 % of its planned area. "
        "Occupancy = area of the lots that are allocated, under construction or operating (inside the cluster, on "
        "industrial land) ÷ leasable industrial land; measured in VN-2000 / TM-3 104°45′.",
    ),
    "clusters.pick": ("Cụm", "Cluster"),
    "clusters.as_of": ("Tính đến ngày", "As of"),
    "clusters.as_of.help": (
        "Chỉ tính các lô thuê đến hết ngày này (theo ngày thuê). Để trống: mọi lô theo tình trạng hiện tại.",
        "Counts only the lots leased on or before this day. Empty: every lot with its current status.",
    ),
    "clusters.leasable": ("Đất công nghiệp cho thuê (ha)", "Leasable industrial land (ha)"),
    "clusters.leasable.help": (
        "Dùng khi chưa có lớp quy hoạch sử dụng đất trong cụm; để trống thì tính trên tổng diện tích cụm.",
        "Used when the cluster has no zoning layer; left empty, occupancy is over the cluster's gross area.",
    ),
    "clusters.pho_rang_note": (
        "Diện tích và các lô đất của CCN Phố Ràng chưa được công bố công khai, nên trang này bắt đầu trống với cụm "
        "này. Cách điền: (1) nhập ranh giới cụm từ hồ sơ quy hoạch chi tiết (DGN, DWG/DXF, Shapefile…) {where}; "
        "(2) nhập quy hoạch sử dụng đất (trường `use`, ghi bằng chữ hay bằng mã: `đất công nghiệp` hay `industrial`, "
        "`đất giao thông` hay `road`, `đất cây xanh` hay `green`, `đất hạ tầng kỹ thuật` hay `technical`) hoặc ghi "
        "diện tích đất cho thuê; (3) nhập lớp lô đất (trường `status`, ghi bằng chữ hay bằng mã: `trống` hay "
        "`vacant`, `đã cho thuê` hay `allocated`, `đang xây dựng` hay `building`, `đang hoạt động` hay `operating`; "
        "trường `leased_on`: ngày thuê) hoặc thêm từng lô theo tọa độ góc.",
        "CCN Phố Ràng's area and lots are not public, so this page starts empty for it. To fill it: (1) import the "
        "cluster boundary from the detailed-plan files (DGN, DWG/DXF, Shapefile…) {where}; (2) import the land use "
        "(field `use`, in words or as codes: `đất công nghiệp` or `industrial`, `đất giao thông` or `road`, "
        "`đất cây xanh` or `green`, `đất hạ tầng kỹ thuật` or `technical`) or enter the leasable area; (3) import "
        "the lot layer (field `status`, in words or as codes: `trống` or `vacant`, `đã cho thuê` or `allocated`, "
        "`đang xây dựng` or `building`, `đang hoạt động` or `operating`; field `leased_on`: the lease date) or add "
        "lots one by one from their corner coordinates.",
    ),
    "clusters.no_boundary": (
        "Chưa có ranh giới của {name}: hãy nhập ranh giới cụm ở phần «Nhập tệp cho cụm này» ngay bên dưới.",
        "{name} has no boundary yet: import it in «Import a file for this cluster» just below.",
    ),
    "clusters.where.below": (
        "ở phần «Nhập tệp cho cụm này» ngay bên dưới",
        "in «Import a file for this cluster» just below",
    ),
    "clusters.where.tab": ("ở thẻ «Nhập và sửa»", "in the «Import and edit» tab"),
    "clusters.gauge.target": ("Mục tiêu {pct} %", "Target {pct} %"),
    "clusters.gauge.expansion": ("Mở rộng {pct} %", "Expansion {pct} %"),
    "clusters.metric.occupancy": ("Tỷ lệ lấp đầy", "Occupancy"),
    "clusters.metric.occupied": ("Đã lấp đầy / đất cho thuê", "Occupied / leasable"),
    "clusters.metric.gap": ("Còn thiếu để đạt {pct} %", "Still needed for {pct} %"),
    "clusters.basis.leasable": ("Mẫu số: đất công nghiệp có thể cho thuê.", "Denominator: leasable industrial land."),
    "clusters.basis.gross": (
        "Mẫu số: tổng diện tích cụm (chưa có quy hoạch đất công nghiệp hay diện tích đất cho thuê).",
        "Denominator: the cluster's gross area (no industrial zoning or leasable area yet).",
    ),
    "clusters.decree": (
        "Nghị định 32/2024/NĐ-CP: lập cụm mới khi các cụm hiện có lấp đầy trên {new} % — {new_ok}; mở rộng cụm cần "
        "tối thiểu {exp} % — {exp_ok}.",
        "Decree 32/2024/NĐ-CP: a new cluster needs the existing ones above {new} % — {new_ok}; expanding a cluster "
        "needs at least {exp} % — {exp_ok}.",
    ),
    "clusters.yes": ("đạt", "met"),
    "clusters.no": ("chưa đạt", "not met"),
    "clusters.by_status": ("Diện tích theo tình trạng", "Area by status"),
    "clusters.status.vacant": ("Trống", "Vacant"),
    "clusters.status.allocated": ("Đã cho thuê", "Allocated"),
    "clusters.status.building": ("Đang xây dựng", "Under construction"),
    "clusters.status.operating": ("Đang hoạt động", "Operating"),
    "clusters.col.id": ("Mã", "ID"),
    "clusters.col.lot": ("Số lô", "Lot"),
    "clusters.col.status": ("Tình trạng", "Status"),
    "clusters.col.tenant": ("Đơn vị thuê", "Tenant"),
    "clusters.col.sector": ("Ngành nghề", "Sector"),
    "clusters.col.leased_on": ("Ngày thuê", "Leased on"),
    "clusters.col.relocated_from": ("Di dời từ", "Relocated from"),
    "clusters.col.area_ha": ("Diện tích (ha)", "Area (ha)"),
    "clusters.tab.map": ("Bản đồ", "Map"),
    "clusters.tab.lots": ("Các lô", "Lots"),
    "clusters.tab.time": ("Theo thời gian", "Over time"),
    "clusters.tab.whatif": ("Giả định di dời", "Relocation what-if"),
    "clusters.tab.data": ("Nhập và sửa", "Import and edit"),
    "clusters.map.assets": ("Bản đồ chưa hiển thị được", "The map cannot be shown"),
    "clusters.legend": ("Chú giải", "Legend"),
    "clusters.legend.boundary": ("Ranh giới cụm", "Cluster boundary"),
    "clusters.legend.industrial": ("Đất công nghiệp", "Industrial land"),
    "clusters.lots.empty": ("Chưa có lô đất nào.", "No lots yet."),
    "clusters.time.caption": (
        "Theo ngày thuê của các lô, với tình trạng hiện tại; lô chưa ghi ngày thuê không được tính.",
        "From the lots' lease dates, with their current status; lots without a lease date are left out.",
    ),
    "clusters.time.x": ("Ngày", "Date"),
    "clusters.time.y": ("Tỷ lệ lấp đầy (%)", "Occupancy (%)"),
    "clusters.time.line": ("Ngưỡng", "Threshold"),
    "clusters.whatif.caption": (
        "Kế hoạch: di dời các cơ sở gia công nhôm kính, sửa chữa xe, gia công cơ khí và các cơ sở gây ô nhiễm xen "
        "kẽ khu dân cư vào CCN Phố Ràng. Chọn cơ sở và nhập diện tích cần để xem tỷ lệ lấp đầy dự kiến.",
        "The plan moves aluminium-glass, vehicle-repair and mechanical workshops and other polluting facilities out "
        "of residential areas into CCN Phố Ràng. Pick facilities and enter the area they need to see the projection.",
    ),
    "clusters.whatif.pick": ("Cơ sở cần di dời vào cụm", "Facilities to relocate into the cluster"),
    "clusters.whatif.area": ("Diện tích cần: {name} (ha)", "Area needed: {name} (ha)"),
    "clusters.whatif.facilities": (
        "{n} cơ sở của lớp Cơ sở tiểu thủ công nghiệp cần di dời và nằm ngoài cụm: chọn và nhập diện tích mỗi cơ "
        "sở cần.",
        "{n} facilities of the small-industry layer are to relocate and lie outside the cluster: pick them and enter "
        "the area each needs.",
    ),
    "clusters.whatif.layer_empty": (
        "Lớp Cơ sở tiểu thủ công nghiệp (ttcn_facilities) chưa có dữ liệu, nên chưa chọn được từng cơ sở. Nhập lớp "
        "này trên trang {page}, với trường to_relocate (Cần di dời vào CCN) đúng cho các cơ sở cần di dời; đến khi "
        "đó, chọn theo nhóm cơ sở.",
        "The small-industry facilities layer (ttcn_facilities) is empty, so no single facility can be picked yet. "
        "Import it on the {page} page, with to_relocate (To relocate into a cluster) true for the facilities to "
        "move; until then, pick by category.",
    ),
    "clusters.whatif.none_marked": (
        "Lớp Cơ sở tiểu thủ công nghiệp (ttcn_facilities) không có cơ sở nào cần di dời (to_relocate) nằm ngoài "
        "cụm này. Đánh dấu to_relocate (Cần di dời vào CCN) cho các cơ sở cần di dời khi nhập lớp trên trang "
        "{page}; đến khi đó, chọn theo nhóm cơ sở.",
        "The small-industry facilities layer (ttcn_facilities) holds no facility to relocate (to_relocate) outside "
        "this cluster. Mark to_relocate (To relocate into a cluster) for the facilities to move when importing the "
        "layer on the {page} page; until then, pick by category.",
    ),
    "clusters.cand.aluminium_glass": ("Cơ sở gia công nhôm kính", "Aluminium-glass workshops"),
    "clusters.cand.vehicle_repair": ("Cơ sở sửa chữa xe máy, ô tô", "Vehicle-repair workshops"),
    "clusters.cand.mechanical": ("Cơ sở gia công cơ khí", "Mechanical workshops"),
    "clusters.cand.other_polluting": (
        "Cơ sở gây ô nhiễm khác trong khu dân cư",
        "Other polluting facilities in residential areas",
    ),
    "clusters.whatif.projected": ("Tỷ lệ lấp đầy dự kiến", "Projected occupancy"),
    "clusters.whatif.unplaced": (
        "{ha} ha không còn chỗ: đất cho thuê còn trống chỉ {free} ha.",
        "{ha} ha does not fit: only {free} ha of leasable land is free.",
    ),
    "clusters.whatif.meets": ("Đạt mục tiêu {pct} %.", "Reaches the {pct} % target."),
    "clusters.whatif.short": ("Còn thiếu {ha} ha để đạt {pct} %.", "{ha} ha short of {pct} %."),
    "clusters.import.title": ("Nhập tệp cho cụm này", "Import a file for this cluster"),
    "clusters.import.layer": ("Lớp", "Layer"),
    "clusters.import.layer.cluster_lots": ("Lô đất", "Lots"),
    "clusters.import.layer.cluster_boundaries": ("Ranh giới cụm", "Cluster boundary"),
    "clusters.import.layer.cluster_zoning": ("Quy hoạch sử dụng đất", "Land use (zoning)"),
    "clusters.import.file": ("Tệp dữ liệu", "Data file"),
    "clusters.import.help": (
        "Shapefile (.zip), GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, CSV/Excel có tọa độ. Lô đất: trường `status` "
        "(bằng chữ hay bằng mã: `trống`/`vacant`, `đã cho thuê`/`allocated`, `đang xây dựng`/`building`, "
        "`đang hoạt động`/`operating`), `leased_on`, `tenant`, `sector`, `relocated_from`. "
        "Quy hoạch: trường `use`. Các đối tượng hiện có của cụm này trong lớp được thay bằng nội dung tệp (phiên bản "
        "cũ vẫn được giữ).",
        "Shapefile (.zip), GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, CSV/Excel with coordinates. Lots: field "
        "`status` (in words or as codes: `trống`/`vacant`, `đã cho thuê`/`allocated`, `đang xây dựng`/`building`, "
        "`đang hoạt động`/`operating`), `leased_on`, `tenant`, `sector`, `relocated_from`. "
        "Zoning: field `use`. This cluster's features in the layer are replaced by the file (earlier versions are "
        "kept).",
    ),
    "clusters.import.quality": ("Chất lượng hình học", "Geometry quality"),
    "clusters.import.read": ("Đọc được {n} đối tượng, hệ tọa độ {crs}.", "Read {n} features, CRS {crs}."),
    "clusters.import.replace": (
        "Lưu sẽ thay {old} đối tượng hiện có của cụm bằng {new} đối tượng.",
        "Saving replaces the cluster's {old} current features with {new}.",
    ),
    "clusters.import.part": ("Tệp có nhiều ranh giới – chọn ranh giới của cụm", "The file holds several boundaries"),
    "clusters.import.save": ("Lưu thành phiên bản mới", "Save as a new version"),
    "clusters.saved": (
        "Đã lưu {layer}, phiên bản {version} (người sửa: {user}).",
        "Saved {layer}, version {version} (by {user}).",
    ),
    "clusters.edit.title": ("Sửa thuộc tính các lô", "Edit the lots' attributes"),
    "clusters.edit.save": ("Lưu thay đổi", "Save changes"),
    "clusters.edit.none": ("Không có thay đổi nào để lưu.", "There are no changes to save."),
    "clusters.edit.message": ("sửa {n} lô trên trang Cụm công nghiệp", "{n} lot(s) edited on the clusters page"),
    "clusters.add.title": ("Thêm lô theo tọa độ góc", "Add a lot from its corner coordinates"),
    "clusters.add.corners": (
        "Tọa độ các góc, VN-2000 kinh tuyến trục 104°45′ múi 3° (EPSG:9208): mỗi dòng «X Y», X là tọa độ Bắc, Y là "
        "tọa độ Đông (như bảng tọa độ mốc giới)",
        "Corner coordinates in VN-2000 / TM-3 104°45′ (EPSG:9208): one «X Y» per line, X northing and Y easting (as "
        "Vietnamese boundary-marker tables write them)",
    ),
    "clusters.add.button": ("Thêm lô", "Add lot"),
    "clusters.add.message": ("thêm lô {lot} trên trang Cụm công nghiệp", "lot {lot} added on the clusters page"),
    "clusters.draw.caption": (
        "Vẽ lô mới bằng công cụ đa giác hoặc hình chữ nhật ở góc trái bản đồ (vẽ xong đa giác thì bấm lại điểm đầu); "
        "có thể sửa hay xóa hình vừa vẽ bằng hai nút bên dưới. Sau đó điền thông tin lô bên dưới bản đồ và bấm «Lưu "
        "lô».",
        "Draw new lots with the polygon or rectangle tool at the map's top left (close a polygon by clicking its first "
        "point); the two buttons below them edit or delete what you drew. Then fill in the lots below the map and "
        "press «Save lots».",
    ),
    "clusters.draw.title": ("Lô vừa vẽ trên bản đồ", "Lots just drawn on the map"),
    "clusters.draw.shape": ("Hình {i}: {ha} ha", "Shape {i}: {ha} ha"),
    "clusters.draw.repaired": (
        "Hình {i} tự cắt nhau nên đã được sửa bằng shapely.make_valid (giữ mọi phần của hình): còn {ha} ha. Hãy kiểm "
        "tra lại trước khi lưu.",
        "Shape {i} crossed itself and was repaired with shapely.make_valid (every part kept): {ha} ha. Check it before "
        "saving.",
    ),
    "clusters.draw.outside": (
        "Hình {i} có {ha} ha nằm ngoài ranh giới cụm; phần này không được tính vào tỷ lệ lấp đầy.",
        "Shape {i} has {ha} ha outside the cluster boundary; that part does not count towards occupancy.",
    ),
    "clusters.draw.overlap": (
        "Hình {i} chồng lấn {ha} ha lên {lots}; phần chồng lấn chỉ được tính một lần vào tỷ lệ lấp đầy. Hãy sửa hình "
        "trước khi lưu nếu đây là nhầm lẫn.",
        "Shape {i} overlaps {lots} by {ha} ha; the overlap counts only once towards occupancy. Correct the shape "
        "before saving if this is a mistake.",
    ),
    "clusters.draw.save": ("Lưu lô", "Save lots"),
    "clusters.draw.message": (
        "vẽ {n} lô ({lots}) trên bản đồ, trang Cụm công nghiệp",
        "{n} lot(s) drawn on the map ({lots}) on the clusters page",
    ),
    "clusters.reshape.pick": ("Sửa hình dạng lô trên bản đồ", "Reshape a lot on the map"),
    "clusters.reshape.placeholder": ("Chọn lô…", "Choose a lot…"),
    "clusters.reshape.help": (
        "Lô được chọn hiện trên bản đồ với các đỉnh sửa được: bấm nút sửa (cây bút) trên thanh công cụ, kéo các đỉnh, "
        "bấm «Lưu» trên thanh công cụ, rồi bấm «Lưu hình mới» bên dưới bản đồ. Chỉ lô một phần (không phải đa phần) "
        "mới sửa hình được.",
        "The chosen lot is put on the map with editable corners: press the edit button (pencil) in the toolbar, drag "
        "the corners, press «Save» in the toolbar, then «Save the new shape» below the map. Only single-part lots can "
        "be reshaped.",
    ),
    "clusters.reshape.save": ("Lưu hình mới của lô {lot}", "Save the new shape of lot {lot}"),
    "clusters.reshape.unchanged": (
        "Hình của lô {lot} chưa thay đổi.",
        "The shape of lot {lot} has not changed.",
    ),
    "clusters.reshape.changed": (
        "Lô {lot}: {old} ha → {new} ha.",
        "Lot {lot}: {old} ha → {new} ha.",
    ),
    "clusters.reshape.message": ("sửa hình lô {lot} trên bản đồ", "lot {lot} reshaped on the map"),
    "clusters.delete.title": ("Xóa lô", "Delete a lot"),
    "clusters.delete.pick": ("Lô cần xóa", "Lot to delete"),
    "clusters.delete.button": ("Xóa lô", "Delete lot"),
    "clusters.delete.caption": (
        "Xóa tạo một phiên bản mới của lớp lô đất không còn lô này; các phiên bản trước vẫn được giữ (xem lịch sử).",
        "Deleting writes a new version of the lot layer without this lot; earlier versions are kept (see the history).",
    ),
    "clusters.delete.message": ("xóa lô {lot} trên trang Cụm công nghiệp", "lot {lot} deleted on the clusters page"),
    # Leaflet.draw's own labels (L.drawLocal paths after "clusters.draw.js."), for the tools the page offers
    "clusters.draw.js.draw.toolbar.actions.title": ("Hủy vẽ", "Cancel drawing"),
    "clusters.draw.js.draw.toolbar.actions.text": ("Hủy", "Cancel"),
    "clusters.draw.js.draw.toolbar.finish.title": ("Kết thúc vẽ", "Finish drawing"),
    "clusters.draw.js.draw.toolbar.finish.text": ("Xong", "Finish"),
    "clusters.draw.js.draw.toolbar.undo.title": ("Xóa điểm vừa vẽ", "Delete last point drawn"),
    "clusters.draw.js.draw.toolbar.undo.text": ("Xóa điểm cuối", "Delete last point"),
    "clusters.draw.js.draw.toolbar.buttons.polygon": ("Vẽ lô (đa giác)", "Draw a lot (polygon)"),
    "clusters.draw.js.draw.toolbar.buttons.rectangle": ("Vẽ lô (hình chữ nhật)", "Draw a lot (rectangle)"),
    "clusters.draw.js.draw.handlers.polygon.tooltip.start": (
        "Bấm để đặt góc đầu tiên.",
        "Click to place the first corner.",
    ),
    "clusters.draw.js.draw.handlers.polygon.tooltip.cont": (
        "Bấm để đặt góc tiếp theo.",
        "Click to place the next corner.",
    ),
    "clusters.draw.js.draw.handlers.polygon.tooltip.end": (
        "Bấm vào góc đầu tiên để khép lô.",
        "Click the first corner to close the lot.",
    ),
    "clusters.draw.js.draw.handlers.polyline.error": (
        "<strong>Lỗi:</strong> các cạnh không được cắt nhau!",
        "<strong>Error:</strong> edges cannot cross!",
    ),
    "clusters.draw.js.draw.handlers.rectangle.tooltip.start": (
        "Bấm và kéo để vẽ hình chữ nhật.",
        "Click and drag to draw a rectangle.",
    ),
    "clusters.draw.js.draw.handlers.simpleshape.tooltip.end": (
        "Thả chuột để kết thúc.",
        "Release the mouse to finish.",
    ),
    "clusters.draw.js.edit.toolbar.actions.save.title": ("Lưu thay đổi hình", "Save the shape changes"),
    "clusters.draw.js.edit.toolbar.actions.save.text": ("Lưu", "Save"),
    "clusters.draw.js.edit.toolbar.actions.cancel.title": (
        "Hủy sửa, bỏ mọi thay đổi",
        "Cancel editing, discard changes",
    ),
    "clusters.draw.js.edit.toolbar.actions.cancel.text": ("Hủy", "Cancel"),
    "clusters.draw.js.edit.toolbar.actions.clearAll.title": ("Xóa mọi hình vừa vẽ", "Clear every drawn shape"),
    "clusters.draw.js.edit.toolbar.actions.clearAll.text": ("Xóa hết", "Clear all"),
    "clusters.draw.js.edit.toolbar.buttons.edit": ("Sửa hình đã vẽ", "Edit drawn shapes"),
    "clusters.draw.js.edit.toolbar.buttons.editDisabled": ("Chưa có hình để sửa", "No shapes to edit"),
    "clusters.draw.js.edit.toolbar.buttons.remove": ("Xóa hình đã vẽ", "Delete drawn shapes"),
    "clusters.draw.js.edit.toolbar.buttons.removeDisabled": ("Chưa có hình để xóa", "No shapes to delete"),
    "clusters.draw.js.edit.handlers.edit.tooltip.text": (
        "Kéo các đỉnh để sửa hình.",
        "Drag the corners to edit the shapes.",
    ),
    "clusters.draw.js.edit.handlers.edit.tooltip.subtext": (
        "Bấm «Hủy» để bỏ thay đổi.",
        "Press «Cancel» to undo the changes.",
    ),
    "clusters.draw.js.edit.handlers.remove.tooltip.text": ("Bấm vào hình để xóa.", "Click a shape to delete it."),
    # --- the store's own values on every page (ui/display.py) ---
    "display.user.system": ("hệ thống", "system"),
    "display.user.unknown": ("không rõ", "unknown"),
    "display.origin.authored": ("dữ liệu của dự án", "project data"),
    "display.origin.derived": ("suy ra từ lớp khác", "derived"),
    "display.origin.imported": ("nhập từ tệp", "imported"),
    "display.origin.edited": ("sửa trên trang", "edited"),
    "display.origin.sample": ("dữ liệu mẫu", "sample"),
    "display.note.built": ("tạo từ dữ liệu của dự án (data/)", "built from the project's data/"),
    "display.note.built_n": (
        "tạo từ dữ liệu của dự án (data/), {n} đối tượng",
        "built from the project's data/ ({n} feature(s))",
    ),
    "display.note.features": ("{note} ({n} đối tượng)", "{note} ({n} feature(s))"),
    "display.note.features_only": ("{n} đối tượng", "{n} feature(s)"),
    "display.note.rows": ("{note} ({n} dòng)", "{note} ({n} row(s))"),
    "display.note.rows_only": ("{n} dòng", "{n} row(s)"),
    "display.note.appended": ("thêm {n} dòng", "appended {n} row(s)"),
    "display.note.set": ("đặt {key}", "set {key}"),
    "display.note.import": ("nhập từ {source}", "import {source}"),
    "display.note.rebuilt": ("dựng lại theo: {note}", "rebuilt from {note}"),
    "display.note.rederived": ("suy lại theo: {note}", "re-derived from {note}"),
    "display.note.boundaries": (
        "ranh giới từ {source}: khớp {matched}/{units} đơn vị",
        "boundaries from {source}: {matched} of {units} units matched",
    ),
    "display.note.sites": ("{n} địa điểm ứng viên (tối thiểu {ha} ha)", "{n} candidate sites (min {ha} ha)"),
    "clusters.history": ("Lịch sử phiên bản lớp lô đất", "Version history of the lot layer"),
    "clusters.col.version": ("Phiên bản", "Version"),
    "clusters.col.written_at": ("Thời điểm (UTC)", "When (UTC)"),
    "clusters.col.user": ("Người sửa", "By"),
    "clusters.col.message": ("Ghi chú", "Note"),
    # --- conflicts ---
    "conflicts.title": ("Thay đổi chưa lưu của bạn", "Your unsaved change"),
    "conflicts.changed": (
        "Lớp «{layer}» đã được {user} lưu lúc {at} (UTC) thành phiên bản {version}, sau phiên bản {base} mà bạn "
        "đã sửa. Thay đổi của bạn chưa được ghi nhưng vẫn được giữ lại ở đây.",
        "Layer «{layer}» was saved by {user} at {at} (UTC) as version {version}, after version {base} that you "
        "edited. Your change was not written, but it is kept here.",
    ),
    "conflicts.writers": (
        "Những người đã lưu lớp này từ phiên bản {base}: {users}.",
        "Saved since version {base} by: {users}.",
    ),
    "conflicts.clean": ("Áp dụng được ngay: {lots}.", "Applies cleanly: {lots}."),
    "conflicts.none_clean": (
        "Không còn thay đổi nào áp dụng được ngay (phiên bản hiện tại đã có chúng).",
        "Nothing else applies cleanly (the current version has it already).",
    ),
    "conflicts.conflicting": (
        "Người kia cũng đã thay đổi: {lots}. Hãy chọn cho từng lô bên dưới; lô không chọn lại giữ bản của người kia.",
        "Changed by the other person too: {lots}. Choose for each lot below; a lot you leave keeps theirs.",
    ),
    "conflicts.lot": ("Lô {lot}", "Lot {lot}"),
    "conflicts.kind.edited": ("cả hai cùng sửa lô này", "both changed this lot"),
    "conflicts.kind.added": ("cả hai cùng thêm một lô với mã này", "both added a lot with this id"),
    "conflicts.kind.deleted_mine": ("bạn xóa lô này, người kia lại sửa nó", "you deleted this lot, they changed it"),
    "conflicts.kind.deleted_theirs": ("bạn sửa lô này, người kia đã xóa nó", "you changed this lot, they deleted it"),
    "conflicts.col.field": ("Trường", "Field"),
    "conflicts.col.base": ("Trước khi sửa (phiên bản {version})", "Before (version {version})"),
    "conflicts.col.mine": ("Của bạn", "Yours"),
    "conflicts.col.theirs": ("Của {user} (phiên bản {version})", "{user}'s (version {version})"),
    "conflicts.col.differs": ("Khác nhau", "Differs"),
    "conflicts.shape": ("Hình dạng (diện tích)", "Shape (area)"),
    "conflicts.deleted": ("(đã xóa)", "(deleted)"),
    "conflicts.absent": ("(chưa có)", "(not there)"),
    "conflicts.keep": ("Giữ bản nào cho lô {lot}?", "Which to keep for lot {lot}?"),
    "conflicts.keep.mine": ("Giữ bản của tôi", "Keep mine"),
    "conflicts.keep.theirs": ("Giữ bản của người kia", "Keep theirs"),
    "conflicts.apply": ("Áp dụng lại trên phiên bản {version}", "Re-apply on version {version}"),
    "conflicts.discard": ("Bỏ thay đổi này", "Discard this change"),
    "conflicts.nothing_left": (
        "Phiên bản hiện tại đã có đúng thay đổi này; không còn gì để ghi.",
        "The current version already holds this very change; there is nothing left to write.",
    ),
    "conflicts.discarded": ("Đã bỏ thay đổi chưa lưu của bạn.", "Your unsaved change was discarded."),
    "conflicts.message": (
        "{message} (áp dụng lại trên phiên bản {version})",
        "{message} (re-applied on version {version})",
    ),
    "conflicts.saved": (
        "Đã áp dụng lại thay đổi của bạn: lớp «{layer}» thành phiên bản {version} ({user}); {applied} lô áp dụng "
        "ngay, {mine} lô giữ bản của bạn, {theirs} lô giữ bản của người kia.",
        "Your change was re-applied: layer «{layer}» is now version {version} ({user}); {applied} lot(s) applied "
        "cleanly, {mine} kept as yours, {theirs} kept as theirs.",
    ),
    "conflicts.toast": (
        "Lớp vừa được người khác lưu; thay đổi của bạn được giữ ở thẻ «{tab}».",
        "Someone else saved the layer just now; your change is kept in the «{tab}» tab.",
    ),
    "conflicts.held": (
        "Bảng đang hiển thị phiên bản {held} mà bạn đang sửa; {user} đã lưu phiên bản {current} sau đó. Khi lưu, "
        "các sửa đổi của bạn được áp dụng lại theo từng lô.",
        "The table shows version {held}, which you are editing; {user} saved version {current} since. Saving "
        "re-applies your edits lot by lot.",
    ),
    "conflicts.import_stale": (
        "Lớp «{layer}» đã thay đổi từ khi bạn xem trước: phiên bản {version} do {user} lưu lúc {at} (UTC). Vẫn nhập "
        "đè lên phiên bản {version}?",
        "Layer «{layer}» changed since your preview: version {version} by {user} at {at} (UTC). Import anyway over "
        "version {version}?",
    ),
    "conflicts.import_anyway": ("Vẫn nhập, thay phiên bản {version}", "Import anyway over version {version}"),
    # --- materials page ---
    "materials.title": ("Vùng nguyên liệu", "Raw-material zones"),
    "materials.intro": (
        "Diện tích theo kế hoạch (mục IV.4, III.3) so với diện tích đã khoanh vẽ theo từng xã, và vùng cung cấp "
        "nguyên liệu quanh các nhà máy chế biến. Diện tích tính trong VN-2000 / TM-3 104°45′ (EPSG:9208).",
        "The plan's areas (sections IV.4, III.3) against the mapped stands, commune by commune, and the supply "
        "areas around the processing plants. Areas are measured in VN-2000 / TM-3 104°45′ (EPSG:9208).",
    ),
    "materials.species": ("Cây trồng / vùng", "Species / zone"),
    "materials.units": ("Đơn vị hành chính", "Administrative units"),
    "materials.units.legacy": ("17 xã cũ (kế hoạch)", "17 legacy communes (the plan's)"),
    "materials.units.2025": ("Xã mới từ 7/2025", "Communes since July 2025"),
    "materials.scheme": ("Phân lớp", "Classes"),
    "materials.scheme.JenksCaspall": ("Ngắt tự nhiên (Jenks)", "Natural breaks (Jenks)"),
    "materials.scheme.Quantiles": ("Phân vị", "Quantiles"),
    "materials.scheme.EqualInterval": ("Khoảng đều nhau", "Equal intervals"),
    "materials.no_mapped": (
        "Chưa có lô trồng đã khoanh vẽ (lớp material_zones_mapped trống): bản đồ chỉ tô các xã mà kế hoạch nêu, "
        "với số liệu của kế hoạch. Cần nhập dữ liệu khoanh vẽ (trang Dữ liệu) để so sánh kế hoạch với thực tế.",
        "No mapped stands yet (layer material_zones_mapped is empty): the map only shades the communes the plan "
        "names, with the plan's figures. Import mapped stands (Data page) to compare the plan with what is planted.",
    ),
    "materials.plan.zone_ha": ("{ha} ha (cả vùng)", "{ha} ha (whole zone)"),
    "materials.plan.no_area": ("kế hoạch không nêu diện tích", "no area in the plan"),
    "materials.plan.legend": (
        "Xã tô màu: nằm trong vùng nguyên liệu của kế hoạch cho cây đã chọn (ranh giới xã là sơ đồ).",
        "Shaded communes: inside a plan zone for the chosen species (commune boundaries are schematic).",
    ),
    "materials.map.assets": ("Không hiển thị được bản đồ", "The map cannot be shown"),
    "materials.col.unit": ("Xã", "Commune"),
    "materials.col.code": ("Mã xã", "Code"),
    "materials.col.name": ("Tên xã", "Name"),
    "materials.col.total": ("Tổng (ha)", "Total (ha)"),
    "materials.col.mapped_ha": ("Đã khoanh vẽ", "Mapped"),
    "materials.col.plan": ("Kế hoạch", "Plan"),
    "materials.col.zone": ("Vùng nguyên liệu", "Zone"),
    "materials.col.species": ("Cây trồng", "Species"),
    "materials.col.communes": ("Các xã (mã)", "Communes (codes)"),
    "materials.col.planned_ha": ("Kế hoạch (ha)", "Planned (ha)"),
    "materials.col.mapped_in_ha": ("Đã khoanh vẽ trong vùng (ha)", "Mapped inside (ha)"),
    "materials.col.pct": ("Đạt (%)", "Achieved (%)"),
    "materials.col.mapped_outside_ha": ("Ở xã khác (ha)", "In other communes (ha)"),
    "materials.col.unassigned_ha": ("Ngoài các xã (ha)", "Outside every commune (ha)"),
    "materials.col.counted": ("Loài được tính", "Species counted"),
    "materials.district": ("toàn huyện", "whole district"),
    "materials.communes_short": ("xã", "communes"),
    "materials.plan_table": ("Từng vùng của kế hoạch", "Each plan zone"),
    "materials.outside": ("Ngoài các xã", "Outside every commune"),
    "materials.plan_vs_mapped": ("Kế hoạch và thực tế", "Plan against mapped"),
    "materials.by_commune": ("Diện tích theo xã (ha)", "Hectares by commune"),
    "materials.unassigned": (
        "{ha} ha lô trồng nằm ngoài mọi xã (khe hở ranh giới hoặc ngoài huyện): không tính cho xã nào.",
        "{ha} ha of stands lie outside every commune (boundary gaps or outside the district): counted for none.",
    ),
    "materials.sheet.communes": ("Theo xã", "By commune"),
    "materials.sheet.plan": ("Kế hoạch và thực tế", "Plan vs mapped"),
    "materials.download.csv": ("Tải CSV", "Download CSV"),
    "materials.download.xlsx": ("Tải XLSX", "Download XLSX"),
    "materials.supply.title": ("Vùng cung cấp nguyên liệu", "Supply area"),
    "materials.supply.plant": ("Nhà máy", "Plant"),
    "materials.supply.distance": ("Khoảng cách (km)", "Distance (km)"),
    "materials.supply.roads": ("Đo theo", "Measured"),
    "materials.supply.straight": ("đường chim bay", "straight line"),
    "materials.supply.no_plants": ("Chưa có nhà máy nào có vị trí.", "No plant has a location yet."),
    "materials.supply.need_mapped": (
        "Cần dữ liệu lô trồng đã khoanh vẽ để tính vùng cung cấp; vòng tròn chưa được vẽ.",
        "Mapped stands are needed to measure a supply area; nothing is drawn yet.",
    ),
    "materials.supply.yield": (
        "Năng suất mỗi ha mỗi năm (t hoặc m³; 0 = bỏ qua)",
        "Yield per ha and year (t or m³; 0 = none)",
    ),
    "materials.supply.capacity": ("Công suất nhà máy mỗi năm (cùng đơn vị)", "Plant capacity per year (same unit)"),
    "materials.capacity.from_plant": ("theo số liệu của nhà máy", "from the plant's data"),
    "materials.capacity.note_elsewhere": (
        "ghi chú nguồn của số liệu này trong dữ liệu chỉ có bằng tiếng Anh (thuộc tính «Nguồn số liệu công suất» của "
        "nhà máy trên trang Bản đồ quy hoạch)",
        "the data's note on this figure is written in Vietnamese only (the plant's «Capacity figure from» attribute "
        "on the planning map)",
    ),
    "materials.supply.area": ("Diện tích trong vùng", "Area within reach"),
    "materials.supply.amount": ("Sản lượng mỗi năm", "Supply per year"),
    "materials.supply.ratio": ("So với công suất", "Of capacity"),
    "materials.supply.species": ("Loài được tính: {species}", "Species counted: {species}"),
    "materials.supply.all_species": ("mọi loài", "all species"),
    # --- targets page ---
    "targets.report.issuer": ("Cơ quan ban hành", "Issuing body"),
    "targets.report.issuer_help": (
        "Các dòng cách nhau bởi dấu |. Kế hoạch do UBND huyện ban hành; từ 1/7/2025 không còn cấp huyện, "
        "ví dụ: ỦY BAN NHÂN DÂN | XÃ BẢO YÊN.",
        "Lines separated by |. The plan was issued by the district People's Committee; districts no longer exist "
        "since 1 July 2025, e.g. ỦY BAN NHÂN DÂN | XÃ BẢO YÊN.",
    ),
    "targets.title": ("Mục tiêu & kinh phí", "Targets & funding"),
    "targets.caption": (
        "Kết quả thực hiện 13 mục tiêu (mục II) và mục tiêu đào tạo (mục IV.2) của Kế hoạch; nguồn vốn (mục V) "
        "và đối chiếu số liệu; báo cáo định kỳ (mục VII).",
        "Results of the plan's 13 targets (section II) and the training target (IV.2); funding (section V) and "
        "its consistency; the periodic reports (section VII).",
    ),
    "targets.next_report": (
        "Kỳ báo cáo tiếp theo: {title} — gửi trước ngày {due} (còn {days} ngày). Báo cáo 6 tháng trước 15/6, "
        "báo cáo năm trước 10/12 (mục VII); báo cáo sơ kết, tổng kết theo chỉ đạo.",
        "Next report: {title} — due before {due} ({days} days left). Six-month report before 15 June, annual "
        "report before 10 December (section VII); mid-term and end-of-term summaries as directed.",
    ),
    "targets.as_of": ("Đánh giá tại ngày", "Evaluate on"),
    "targets.rules": ("Cách đánh giá", "How statuses are decided"),
    "targets.section.cards": ("Các mục tiêu", "The targets"),
    "targets.goal": ("Kế hoạch", "Plan"),
    "targets.actual": ("Thực hiện", "Actual"),
    "targets.progress": ("Tỷ lệ", "Progress"),
    "targets.basis": ("Căn cứ", "Basis"),
    "targets.evidence": ("Số liệu dùng", "Evidence"),
    "targets.source": ("Nguồn (mục)", "Source (section)"),
    "targets.responsible": ("Cơ quan chủ trì", "Lead office"),
    "targets.method.recorded": ("nhập theo kỳ", "recorded per period"),
    "targets.method.derived": ("tính từ bản đồ", "derived from the map"),
    "targets.plan_text": ("Nội dung trong Kế hoạch", "Text of the plan"),
    "targets.section.entry": ("Nhập số liệu thực hiện", "Record an actual value"),
    "targets.entry.help": (
        "Mỗi lần nhập được lưu thêm (không sửa, không xóa), kèm người nhập và thời điểm; muốn sửa thì nhập lại "
        "cho cùng kỳ — lần nhập sau cùng được dùng.",
        "Every entry is appended (never edited or deleted) with who and when; to correct a value, record it "
        "again for the same period — the latest entry counts.",
    ),
    "targets.entry.measure": ("Chỉ tiêu", "Measure"),
    "targets.entry.period": ("Kỳ (2025-H1, 2025, 2021-2025)", "Period (2025-H1, 2025, 2021-2025)"),
    "targets.entry.value": ("Giá trị", "Value"),
    "targets.entry.source": ("Nguồn số liệu", "Source of the figure"),
    "targets.entry.note": ("Ghi chú", "Note"),
    "targets.entry.submit": ("Lưu số liệu", "Save the value"),
    "targets.entry.saved": (
        "Đã lưu: {what} = {value} {unit}, kỳ {period} (người nhập: {user}).",
        "Saved: {what} = {value} {unit}, period {period} (by {user}).",
    ),
    "targets.entry.history": ("Lịch sử số liệu đã nhập", "Recorded values (history)"),
    "targets.col.unit": ("Đơn vị", "Unit"),
    "targets.col.user": ("Người nhập", "Entered by"),
    "targets.col.recorded_at": ("Thời điểm nhập", "Entered at"),
    "targets.entry.none": ("Chưa có số liệu nào được nhập.", "No value has been recorded yet."),
    "targets.section.funding": ("Nguồn vốn (mục V)", "Funding (section V)"),
    "targets.funding.by_source": ("Theo nguồn vốn (tỷ đồng, số ghi trong Kế hoạch)", "By source (bn VND, as stated)"),
    "targets.funding.by_sector": ("Theo lĩnh vực (các khoản chi tiết, tỷ đồng)", "By sector (itemised lines, bn VND)"),
    "targets.funding.projects": ("Kinh phí các dự án nêu tại mục II, III", "Project costs stated in II and III"),
    "targets.funding.checks": ("Đối chiếu số liệu", "Consistency of the figures"),
    "targets.funding.checks_help": (
        "Tính từ chính các số ghi trong Kế hoạch: mỗi chỗ số tổng khác tổng các khoản con, cùng một hạng mục "
        "được ghi số hay phạm vi khác nhau ở các mục, hoặc dòng vốn một lĩnh vực ở mục V nhỏ hơn tổng các dự án "
        "của lĩnh vực đó ở mục II/III.",
        "Computed from the plan's own figures: every place where a total differs from the sum of its parts, one "
        "item is given different amounts or scopes in different sections, or a sector line of V is smaller than "
        "the projects II/III cost in that sector.",
    ),
    "targets.funding.none": ("Các số tổng và số chi tiết khớp nhau.", "Totals and parts agree."),
    "targets.funding.reconciliation": (
        "Các dòng vốn doanh nghiệp so với kinh phí các dự án cùng lĩnh vực (Kế hoạch không nói dòng nào gồm dự án "
        "nào; dòng nhỏ hơn các dự án của nó là một điểm không khớp ở trên)",
        "The enterprise lines beside the project costs of the same sector (the plan does not say which projects "
        "make up a line; a line smaller than its projects is one of the findings above)",
    ),
    "targets.col.label": ("Khoản mục", "Line"),
    "targets.col.stated": ("Số ghi (tỷ đồng)", "Stated (bn VND)"),
    "targets.col.parts": ("Tổng các khoản con", "Sum of parts"),
    "targets.col.amount": ("Tỷ đồng", "bn VND"),
    "targets.col.section": ("Mục", "Section"),
    "targets.col.line": ("Dòng vốn (tỷ đồng)", "Line (bn VND)"),
    "targets.col.itemised": ("Đã nêu dự án (tỷ đồng)", "Itemised (bn VND)"),
    "targets.col.rest": ("Chưa nêu (tỷ đồng)", "Not itemised (bn VND)"),
    "targets.col.projects": ("Dự án", "Projects"),
    "targets.section.disbursement": ("Giải ngân", "Disbursements"),
    "targets.disb.line": ("Khoản mục hoặc dự án", "Funding line or project"),
    "targets.disb.amount": ("Số tiền (tỷ đồng)", "Amount (bn VND)"),
    "targets.disb.submit": ("Lưu giải ngân", "Save the disbursement"),
    "targets.disb.saved": (
        "Đã lưu giải ngân {amount} tỷ đồng cho {line}, kỳ {period} (người nhập: {user}).",
        "Saved {amount} bn VND for {line}, period {period} (by {user}).",
    ),
    "targets.disb.none": ("Chưa có số liệu giải ngân.", "No disbursement recorded yet."),
    "targets.col.planned": ("Kế hoạch (tỷ đồng)", "Planned (bn VND)"),
    "targets.col.disbursed": ("Đã giải ngân (tỷ đồng)", "Disbursed (bn VND)"),
    "targets.col.share": ("Tỷ lệ (%)", "Share (%)"),
    "targets.col.periods": ("Các kỳ", "Periods"),
    "targets.section.report": ("Báo cáo định kỳ", "Periodic report"),
    "targets.report.period": ("Kỳ báo cáo", "Reporting period"),
    "targets.report.lang": ("Ngôn ngữ báo cáo", "Report language"),
    "targets.report.make": ("Lập báo cáo", "Make the report"),
    "targets.report.docx": ("Tải báo cáo (DOCX)", "Download the report (DOCX)"),
    "targets.report.xlsx": ("Tải bảng số liệu (XLSX)", "Download the tables (XLSX)"),
    "targets.report.ready": ("Báo cáo {title} đã sẵn sàng.", "The report for {title} is ready."),
    # --- data page ---
    "data.title": ("Dữ liệu", "Data"),
    "data.tab.import": ("Nhập dữ liệu", "Import"),
    "data.tab.history": ("Lịch sử lớp", "Layer history"),
    "data.tab.export": ("Xuất dữ liệu", "Export"),
    "data.target": ("Nhập vào lớp", "Import into layer"),
    "data.new_layer": ("Lớp mới…", "New layer…"),
    "data.new_layer_id": ("Mã lớp mới", "New layer id"),
    "data.new_layer_help": (
        "Chữ thường không dấu, số và dấu _, bắt đầu bằng chữ (ví dụ: khu_dat_moi)",
        "Lower-case letters, digits and _, starting with a letter (e.g. new_parcels)",
    ),
    "data.upload": ("Tải tệp lên", "Upload a file"),
    "upload.button": ("Chọn tệp", "Choose a file"),
    "upload.limit": ("Tối đa {mb} MB mỗi tệp", "At most {mb} MB a file"),
    "upload.caption": (
        "Kéo thả tệp vào ô bên trên hoặc bấm nút «Chọn tệp» trong ô. Mỗi tệp tối đa {mb} MB.",
        "Drag a file onto the box above or press its button to choose one. At most {mb} MB a file.",
    ),
    "data.upload_help": (
        "Shapefile (.zip gồm .shp .shx .dbf .prj), GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, FlatGeobuf, "
        "GeoParquet, CSV/XLSX có cột tọa độ (X/Y VN-2000 hoặc Kinh độ/Vĩ độ)",
        "Shapefile (.zip with .shp .shx .dbf .prj), GeoPackage, GeoJSON, KML/KMZ, DXF, DGN v7, FlatGeobuf, "
        "GeoParquet, CSV/XLSX with coordinate columns (VN-2000 X/Y or longitude/latitude)",
    ),
    "data.upload_first": (
        "Chọn lớp đích và tải tệp lên để kiểm tra. Chưa có gì được ghi cho đến khi bấm « Lưu vào kho ».",
        "Choose the target layer and upload a file to check it. Nothing is written until you press “Save to store”.",
    ),
    "data.too_large": ("Tệp lớn hơn giới hạn tải lên ({mb} MB)", "The file is larger than the upload limit ({mb} MB)"),
    "data.quality": ("Chất lượng vị trí của dữ liệu", "Geometry quality of the data"),
    "data.source_layer": ("Chọn lớp trong tệp", "Choose the layer in the file"),
    "data.crs_guess": (
        "Đoán từ giá trị tọa độ: {crs} — {reason}",
        "Guess from the coordinate values: {crs} — {reason}",
    ),
    "data.crs_no_guess": ("Không đoán được hệ tọa độ: {reason}", "No CRS could be guessed: {reason}"),
    "data.crs_choose": ("Hệ tọa độ của tệp", "CRS of the file"),
    "data.crs_apply": ("Dùng hệ tọa độ này", "Use this CRS"),
    "data.crs_chosen": ("Hệ tọa độ đã chọn: {crs}", "CRS chosen: {crs}"),
    "data.crs_src.file": ("theo tệp", "from the file"),
    "data.crs_src.given": ("do người dùng chọn", "chosen by the user"),
    "data.crs_src.guessed": ("đoán từ giá trị", "guessed from the values"),
    "data.mapping": ("Ghép trường", "Field mapping"),
    "data.mapping_help": (
        "Chọn cột của tệp cho từng trường của lớp. Cột không được ghép sẽ không được nhập.",
        "Choose the file's column for each field of the layer. Columns not mapped are not imported.",
    ),
    "data.m.field": ("Trường", "Field"),
    "data.m.label": ("Tên trường", "Label"),
    "data.m.required": ("Bắt buộc", "Required"),
    "data.m.column": ("Cột trong tệp", "Column of the file"),
    "data.report": ("Báo cáo kiểm tra", "Validation report"),
    "data.r.item": ("Mục", "Item"),
    "data.r.value": ("Giá trị", "Value"),
    "data.r.features": ("Số đối tượng", "Features"),
    "data.r.driver": ("Định dạng", "Format"),
    "data.r.crs": ("Hệ tọa độ", "CRS"),
    "data.r.encoding": ("Bảng mã chữ", "Text encoding"),
    "data.r.converted": ("Trường đã chuyển sang Unicode", "Fields converted to Unicode"),
    "data.r.repaired": ("Hình học đã sửa (make_valid)", "Geometries repaired (make_valid)"),
    "data.r.empty": ("Đối tượng không có hình học", "Features without geometry"),
    "data.r.mixed": ("Lẫn nhiều kiểu hình học", "Mixed geometry types"),
    "data.r.duplicates": ("Mã trùng", "Duplicate ids"),
    "data.gdal": ("Thông báo của GDAL", "GDAL messages"),
    "data.preview": ("Xem trước", "Preview"),
    "data.preview_rows": ("Hiển thị {n} trên {total} dòng", "Showing {n} of {total} rows"),
    "data.message": ("Ghi chú cho phiên bản mới", "Note for the new version"),
    "data.commit": ("Lưu vào kho", "Save to store"),
    "data.discard": ("Bỏ tệp này", "Discard this file"),
    "data.blocked": (
        "Chưa thể lưu: sửa các lỗi ở trên (hoặc ghép trường) rồi tải lại tệp.",
        "Cannot be saved yet: fix the problems above (or the field mapping) and upload again.",
    ),
    "data.committed": (
        "Đã lưu {n} đối tượng vào lớp {layer}, phiên bản {version}. Phiên bản trước vẫn được giữ.",
        "Stored {n} features in layer {layer}, version {version}. The previous version is kept.",
    ),
    "data.no_layers": ("Kho chưa có lớp nào.", "The store has no layers yet."),
    "data.layer": ("Lớp", "Layer"),
    "data.h.version": ("Phiên bản", "Version"),
    "data.h.when": ("Thời điểm (UTC)", "Written (UTC)"),
    "data.h.user": ("Người ghi", "User"),
    "data.h.origin": ("Nguồn gốc", "Origin"),
    "data.h.features": ("Số đối tượng", "Features"),
    "data.h.message": ("Ghi chú", "Note"),
    "data.h.current": ("Hiện hành", "Current"),
    "data.audit.title": ("Nhật ký thay đổi của lớp", "Audit trail of the layer"),
    "data.audit.none": ("Chưa có thay đổi nào được ghi nhật ký.", "No change has been recorded yet."),
    "data.audit.at": ("Thời điểm (UTC)", "At (UTC)"),
    "data.audit.user": ("Người thay đổi", "User"),
    "data.audit.action": ("Thao tác", "Action"),
    "data.audit.before": ("Phiên bản trước", "Version before"),
    "data.audit.after": ("Phiên bản sau", "Version after"),
    "data.audit.summary": ("Tóm tắt", "Summary"),
    "data.audit.act.write_layer": ("Ghi lớp", "Layer written"),
    "data.audit.act.restore": ("Khôi phục", "Restored"),
    "data.audit.act.append_rows": ("Thêm dòng", "Rows appended"),
    "data.audit.act.write_table": ("Ghi bảng", "Table written"),
    "data.audit.act.set_meta": ("Đổi thiết lập", "Setting changed"),
    "data.audit.act.migrate": ("Chép kho", "Store copied"),
    "data.restore_pick": ("Khôi phục phiên bản", "Restore version"),
    "data.restore": ("Khôi phục", "Restore"),
    # --- terrain page ---
    "terrain.title": ("Địa hình & chọn địa điểm", "Terrain & siting"),
    "terrain.intro": (
        "Độ dốc, bóng địa hình và thống kê theo vùng từ mô hình số độ cao (DEM); địa điểm ứng viên cho khu, cụm công "
        "nghiệp mới theo tiêu chí do người lập quy hoạch đặt; điều kiện của Nghị định 32/2024/NĐ-CP.",
        "Slope, hillshade and zonal statistics from an elevation model (DEM); candidate sites for new industrial "
        "areas from the planner's criteria; the conditions of Decree 32/2024/NĐ-CP.",
    ),
    "terrain.no_dem": (
        "Kho chưa có DEM. Ứng dụng không có sẵn DEM của Lào Cai và không tự tạo: hãy nhập một DEM ({sources}).",
        "The store holds no DEM. The app has none of Lào Cai and never makes one up: import one ({sources}).",
    ),
    "terrain.import": ("Nhập DEM", "Import a DEM"),
    "terrain.import_help": (
        "GeoTIFF hoặc lưới ASCII ở bất kỳ hệ tọa độ nào; DEM được chuyển về lưới VN-2000 (EPSG:9208) với độ phân giải "
        "gần bằng độ phân giải gốc và lưu thành phiên bản mới.",
        "GeoTIFF or ASCII grid in any CRS; it is put on a VN-2000 (EPSG:9208) grid at about its own resolution and "
        "kept as a new version.",
    ),
    "terrain.upload": ("Tệp DEM", "DEM file"),
    "terrain.import_button": ("Lưu DEM vào kho", "Store the DEM"),
    "terrain.imported": (
        "Đã lưu DEM phiên bản {version} (người nhập: {user}).",
        "DEM stored as version {version} (by {user}).",
    ),
    "terrain.dem_caption": (
        "DEM phiên bản {version} ({source}, người nhập {user}): lưới {cols} × {rows} ô, ô {res} m, EPSG:9208.",
        "DEM version {version} ({source}, by {user}): {cols} × {rows} cells of {res} m, EPSG:9208.",
    ),
    "terrain.tab.map": ("Bản đồ độ dốc", "Slope map"),
    "terrain.tab.zonal": ("Thống kê theo vùng", "Zonal statistics"),
    "terrain.tab.siting": ("Chọn địa điểm", "Siting"),
    "terrain.tab.decree": ("Nghị định 32/2024", "Decree 32/2024"),
    "terrain.legend": ("Cấp độ dốc", "Slope classes"),
    "terrain.quality_note": (
        "Bóng địa hình và cấp độ dốc tính từ DEM đã nhập; độ chính xác theo DEM (chất lượng: dẫn xuất, không "
        "phải đo đạc).",
        "Hillshade and slope classes computed from the imported DEM; as accurate as the DEM (quality: derived, not "
        "surveyed).",
    ),
    "terrain.zonal.none": ("Chưa có lớp vùng nào để thống kê.", "No polygon layer to summarise yet."),
    "terrain.zonal.layer": ("Lớp vùng", "Polygon layer"),
    "terrain.zonal.threshold": ("Ngưỡng độ dốc (%)", "Slope threshold (%)"),
    "terrain.col.id": ("Mã", "Id"),
    "terrain.col.site": ("Địa điểm", "Site"),
    "terrain.col.name": ("Tên", "Name"),
    "terrain.col.area": ("Diện tích (ha)", "Area (ha)"),
    "terrain.col.elev_min": ("Cao độ thấp nhất (m)", "Min elevation (m)"),
    "terrain.col.elev_mean": ("Cao độ trung bình (m)", "Mean elevation (m)"),
    "terrain.col.elev_max": ("Cao độ cao nhất (m)", "Max elevation (m)"),
    "terrain.col.slope": ("Độ dốc trung bình (%)", "Mean slope (%)"),
    "terrain.col.below": ("Tỷ lệ diện tích dốc ≤ {t} % (%)", "Share with slope ≤ {t} % (%)"),
    "terrain.col.covered": ("Phần có DEM (%)", "Covered by the DEM (%)"),
    "terrain.col.rank": ("Thứ hạng", "Rank"),
    "terrain.col.road": ("Cách đường (m)", "To a road (m)"),
    "terrain.col.score": ("Điểm", "Score"),
    "terrain.crit.slope": ("Độ dốc tối đa (%)", "Largest slope (%)"),
    "terrain.crit.min_ha": ("Diện tích tối thiểu (ha)", "Smallest area (ha)"),
    "terrain.crit.road": ("Cách đường tối đa (m)", "Farthest from a road (m)"),
    "terrain.crit.roads": ("Lớp đường", "Road layer"),
    "terrain.crit.rivers": ("Lớp sông suối", "River layer"),
    "terrain.crit.river": ("Cách sông suối tối thiểu (m)", "Nearest to a river (m)"),
    "terrain.crit.exclude": (
        "Lớp loại trừ (rừng phòng hộ, vùng nguyên liệu, khu dân cư…)",
        "Exclusion layers (protected forest, raw-material zones, settlements…)",
    ),
    "terrain.crit.within": ("Chỉ trong các xã", "Only inside these communes"),
    "terrain.crit.run": ("Tìm địa điểm", "Find sites"),
    "terrain.crit.source": ("do người lập quy hoạch nhập trên trang", "set by the planner on the page"),
    "terrain.none": ("(không)", "(none)"),
    "terrain.sites.summary": (
        "**{n}** địa điểm ứng viên; đất phù hợp {suitable} ha trên {considered} ha đã xét.",
        "**{n}** candidate sites; suitable land {suitable} ha of {considered} ha considered.",
    ),
    "terrain.sites.save": ("Lưu thành lớp candidate_sites", "Keep as the layer candidate_sites"),
    "terrain.sites.saved": (
        "Đã lưu các địa điểm ứng viên, phiên bản {version}.",
        "Candidate sites kept as version {version}.",
    ),
    "terrain.decree.title": ("Điều kiện theo Nghị định 32/2024/NĐ-CP", "Conditions of Decree 32/2024/NĐ-CP"),
    "terrain.decree.expand": ("Xét mở rộng cụm", "Expand the cluster"),
    "terrain.decree.by_ha": ("Diện tích mở rộng (ha)", "Hectares added"),
    "terrain.decree.occupancy": ("Tỷ lệ lấp đầy", "Occupancy"),
    "terrain.decree.unleased": ("Đất chưa cho thuê (ha)", "Unleased (ha)"),
    "terrain.decree.note": ("Ghi chú", "Note"),
    "terrain.decree.new": ("Được thành lập cụm mới", "New cluster allowed"),
    "terrain.decree.expansion": ("Được mở rộng {name}", "Expansion of {name} allowed"),
    "terrain.decree.yes": ("Có", "Yes"),
    "terrain.decree.no": ("Không", "No"),
    "terrain.decree.nodata": ("Chưa đủ số liệu", "No data yet"),
    "data.boundaries.help": (
        "Nhập ranh giới thật của các xã, thị trấn (trước 7/2025): mỗi đối tượng trong tệp được ghép với một trong 17 "
        "đơn vị chính thức theo mã (ma_xa) hoặc theo tên; lớp xã 2025 được dựng lại từ ranh giới này trong cùng một "
        "lần ghi.",
        "Import the real boundaries of the communes (before 7/2025): each feature of the file is matched to one of "
        "the 17 official units by code (ma_xa) or by name; the 2025 communes are rebuilt from them in the same write.",
    ),
    "data.boundaries.commit": ("Nhập ranh giới xã", "Import the commune boundaries"),
    "data.boundaries.done": (
        "Đã khớp {matched}/{units} đơn vị (theo mã: {by_code}, theo tên: {by_name}); lớp xã cũ thành phiên bản "
        "{legacy}, lớp xã 2025 thành phiên bản {v2025}.",
        "Matched {matched} of {units} units (by code: {by_code}, by name: {by_name}); legacy communes are now "
        "version {legacy}, 2025 communes version {v2025}.",
    ),
    "data.restored": (
        "Đã khôi phục lớp {layer} về nội dung phiên bản {old} (thành phiên bản {version}).",
        "Layer {layer} restored to the content of version {old} (as version {version}).",
    ),
    "data.format": ("Định dạng", "Format"),
    "data.fmt.gpkg": ("GeoPackage (kèm kiểu hiển thị QGIS)", "GeoPackage (with QGIS style)"),
    "data.fmt.shp": ("Shapefile (.zip)", "Shapefile (.zip)"),
    "data.fmt.geojson": ("GeoJSON", "GeoJSON"),
    "data.fmt.kml": ("KML (Google Earth)", "KML (Google Earth)"),
    "data.fmt.csv": ("CSV (thuộc tính, diện tích ha)", "CSV (attributes, area in ha)"),
    "data.fmt.xlsx": ("Excel (thuộc tính, diện tích ha)", "Excel (attributes, area in ha)"),
    "data.export_crs": ("Hệ tọa độ xuất", "Output CRS"),
    "data.export": ("Tạo tệp", "Build the file"),
    "data.download": ("Tải về {name}", "Download {name}"),
    # --- quality titles ---
    "targets.plan_ended": (
        "Kỳ kế hoạch 2021–2025 đã kết thúc ngày 31/12/2025: {n} mục tiêu không đạt hoặc chưa có số liệu đã quá hạn.",
        "The plan period 2021–2025 ended on 31/12/2025: {n} targets missed or without data are past their deadline.",
    ),
}


def t(key: str, lang: str = DEFAULT_LANG) -> str:
    """The label for ``key`` in ``lang`` ("vi" or "en"); the key itself when it has no label."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]

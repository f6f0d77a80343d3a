"""The pages' advice for an error, by the error's code: which widget or page fixes it.

The library's messages say what to provide in words (``services.messages.describe`` composes them in
Vietnamese or English); a page adds where to provide it. Nothing here names a command-line flag or
command (``cli/hints.py`` holds those). Pure: no streamlit, so it is tested without a page.
"""

from __future__ import annotations

from geo.errors import PlanError

#: code -> (Vietnamese, English); widget names are the labels the pages show (ui/i18n.py)
PAGE_HINTS: dict[str, tuple[str, str]] = {
    "auth.sign_in_required": ("đăng nhập ở thanh bên trái", "sign in in the sidebar"),
    "auth.bad_credentials": ("kiểm tra tên và mật khẩu", "check the name and the password"),
    "auth.must_change": ("đặt mật khẩu mới ở thanh bên trái", "set a new password in the sidebar"),
    "auth.not_admin": ("đăng nhập bằng tài khoản quản trị", "sign in as an administrator"),
    "crs.missing": ("chọn hệ tọa độ trong danh sách bên dưới", "choose the CRS in the list below"),
    "crs.outside_vietnam": (
        "kiểm tra hệ tọa độ của tệp; nếu tệp khai báo sai, hãy sửa khai báo trong QGIS rồi tải tệp lên lại",
        "check the file's CRS; if the file declares a wrong one, fix it in QGIS and upload the file again",
    ),
    "crs.no_coordinates": ("chọn hệ tọa độ trong danh sách bên dưới", "choose the CRS in the list below"),
    "crs.undetermined": ("chọn hệ tọa độ trong danh sách bên dưới", "choose the CRS in the list below"),
    "crs.not_degrees": (
        "đổi tên các cột thành X, Y rồi tải tệp lên lại, hoặc chọn hệ tọa độ trong danh sách bên dưới",
        "rename the columns X and Y and upload the file again, or choose the CRS in the list below",
    ),
    "source.several_layers": (
        "chọn lớp ở ô «Chọn lớp trong tệp» bên dưới",
        "choose the layer in «Choose the layer in the file» below",
    ),
    "source.several_sheets": (
        "chọn trang tính ở ô «Chọn lớp trong tệp» bên dưới",
        "choose the sheet in «Choose the layer in the file» below",
    ),
    "source.several_files": (
        "chọn tệp ở ô «Chọn lớp trong tệp» bên dưới",
        "choose the file in «Choose the layer in the file» below",
    ),
    "boundaries.no_fields": (
        "chọn trường chứa mã xã hoặc tên xã trong danh sách trường của tệp",
        "choose the field with the commune codes or names among the file's fields",
    ),
    "boundaries.no_field": (
        "chọn trường chứa mã xã hoặc tên xã trong danh sách trường của tệp",
        "choose the field with the commune codes or names among the file's fields",
    ),
    "store.missing": (
        "hãy báo người quản trị hệ thống để khởi tạo kho dữ liệu của dự án",
        "ask the system administrator to build the project store",
    ),
    "store.not_gpkg": (
        "hãy báo người quản trị hệ thống kiểm tra đường dẫn kho dữ liệu",
        "ask the system administrator to check the store's path",
    ),
    "store.not_project": (
        "hãy báo người quản trị hệ thống kiểm tra đường dẫn kho dữ liệu",
        "ask the system administrator to check the store's path",
    ),
    "store.layer_missing": (
        "chọn một lớp có trong trang «Danh mục lớp dữ liệu»",
        "choose a layer listed on the «Layer catalogue» page",
    ),
    "store.version_missing": (
        "chọn một phiên bản trong lịch sử của lớp",
        "choose a version from the layer's history",
    ),
    "store.table_missing": (
        "hãy báo người quản trị hệ thống cập nhật kho từ dữ liệu của dự án",
        "ask the system administrator to update the store from the project data",
    ),
    "store.table_columns": (
        "hãy báo người quản trị hệ thống cập nhật kho từ dữ liệu của dự án",
        "ask the system administrator to update the store from the project data",
    ),
    "targets.no_measures": (
        "hãy báo người quản trị hệ thống cập nhật kho từ dữ liệu của dự án",
        "ask the system administrator to update the store from the project data",
    ),
    "materials.legacy_no_field": (
        "hãy báo người quản trị hệ thống cập nhật kho từ dữ liệu của dự án",
        "ask the system administrator to update the store from the project data",
    ),
    "materials.plan_no_species": (
        "hãy báo người quản trị hệ thống cập nhật kho từ dữ liệu của dự án",
        "ask the system administrator to update the store from the project data",
    ),
    "funding.unknown_line": (
        "chọn khoản mục ở ô «Khoản mục hoặc dự án»",
        "choose the line in «Funding line or project»",
    ),
    "supply.bad_distance": (
        "nhập ở ô «Khoảng cách (km)» một số lớn hơn 0",
        "enter a number above 0 in «Distance (km)»",
    ),
    "cluster.empty": (
        "nhập ranh giới cụm ở thẻ «Nhập và sửa» của trang Cụm công nghiệp",
        "import the cluster boundary in the «Import and edit» tab of the Industrial clusters page",
    ),
    "cluster.no_boundary": (
        "nhập ranh giới cụm ở thẻ «Nhập và sửa» của trang Cụm công nghiệp",
        "import the cluster boundary in the «Import and edit» tab of the Industrial clusters page",
    ),
    "cluster.unknown": (
        "chọn cụm ở ô «Cụm» của trang Cụm công nghiệp",
        "choose the cluster in «Cluster» on the Industrial clusters page",
    ),
    "cluster.several": (
        "chọn cụm ở ô «Cụm» của trang Cụm công nghiệp",
        "choose the cluster in «Cluster» on the Industrial clusters page",
    ),
    "occupancy.bad_leasable": (
        "nhập ở ô «Đất công nghiệp cho thuê (ha)» một số lớn hơn 0, hoặc để trống",
        "enter a number above 0 in «Leasable industrial land (ha)», or leave it empty",
    ),
    "occupancy.leasable_differs": (
        "nhập một giá trị ở ô «Đất công nghiệp cho thuê (ha)»",
        "enter one value in «Leasable industrial land (ha)»",
    ),
    "occupancy.no_area": (
        "nhập lại ranh giới cụm ở thẻ «Nhập và sửa» của trang Cụm công nghiệp",
        "import the cluster boundary again in the «Import and edit» tab of the Industrial clusters page",
    ),
    # a notice of analysis.occupancy (not an error): pass its code as "occupancy.<notice code>"
    "occupancy.gross_basis": (
        "nhập diện tích đất công nghiệp cho thuê (ha) ở ô bên trên hoặc nhập lớp quy hoạch sử dụng đất",
        "enter the leasable industrial land (ha) above or import the zoning layer",
    ),
}


def page_hint(exc: PlanError | str, lang: str = "vi") -> str | None:
    """The page's advice for an error, or None when the page has none to add.

    Parameters
    ----------
    exc
        A :class:`~geo.errors.PlanError` (its ``code`` is looked up), or a code as text (e.g.
        ``"occupancy.gross_basis"`` for a notice of the occupancy measure).
    lang
        "vi" (default) or "en"; another value reads as "vi".

    Returns
    -------
    str or None
        The advice, e.g. "chọn hệ tọa độ trong danh sách bên dưới".
    """
    code = exc if isinstance(exc, str) else exc.code
    pair = PAGE_HINTS.get(code) if code is not None else None
    if pair is None:
        return None
    return pair[1] if lang == "en" else pair[0]

"""The command line's advice for an error, by the error's code: the flag or command that fixes it.

The library's messages say what to provide in words (``services.messages.describe`` composes them in
Vietnamese or English); the command line adds the flag that provides it. Pages have their own advice
(``ui/error_hints.py``). Codes are matched exactly, never the message text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from geo.errors import PlanError

#: the flag that names the layer (sheet, file inside a .zip) to read, by command
SOURCE_LAYER_FLAG: dict[str, str] = {
    "import": "--source-layer",
    "import-boundaries": "--source-layer",
    "validate": "--layer",
}
#: the flag named when the command is not given: the import's
DEFAULT_SOURCE_LAYER_FLAG = "--source-layer"

_Hint = Callable[[Mapping[str, object], str | None], tuple[str, str] | None]


def _fixed(vi: str, en: str) -> _Hint:
    def hint(params: Mapping[str, object], command: str | None) -> tuple[str, str]:
        return vi.format_map(_Params(params)), en.format_map(_Params(params))

    return hint


def _crs(params: Mapping[str, object], command: str | None) -> tuple[str, str]:
    epsg = params.get("guess") or 9208
    return f"dùng --crs EPSG:{epsg}", f"give --crs EPSG:{epsg}"


def _source_layer(params: Mapping[str, object], command: str | None) -> tuple[str, str] | None:
    flag = DEFAULT_SOURCE_LAYER_FLAG if command is None else SOURCE_LAYER_FLAG.get(command)
    if flag is None:  # a command that reads one layer only: nothing to choose on its command line
        return None
    return f"chọn bằng {flag} NAME", f"choose with {flag} NAME"


_CLUSTER = _fixed("chọn cụm bằng --cluster-id ID", "choose the cluster with --cluster-id ID")
_STORE_PATH = _fixed("dùng --store PATH khác", "give another --store PATH")
_INIT = _fixed("chạy `baoyen init` để cập nhật kho", "run `baoyen init` to update the store")
_OUTPUT = _fixed("chọn tệp khác bằng -o PATH", "choose another file with -o PATH")


def _store_url(params: Mapping[str, object], command: str | None) -> tuple[str, str]:
    """A PostGIS store's URL: given with --from/--to to ``migrate``, with --store (or BAOYEN_STORE) elsewhere."""
    if command == "migrate":
        return "kiểm tra URL cho bằng --from/--to", "check the URL given with --from/--to"
    return (
        "kiểm tra URL cho bằng --store hoặc BAOYEN_STORE, dạng postgresql://người_dùng@máy_chủ:cổng/cơ_sở_dữ_liệu",
        "check the URL given with --store or BAOYEN_STORE, as postgresql://user@host:port/database",
    )


HINTS: dict[str, _Hint] = {
    "crs.missing": _crs,
    "crs.no_coordinates": _crs,
    "crs.undetermined": _crs,
    "crs.not_degrees": _fixed("dùng --crs với mã EPSG đúng của dữ liệu", "give --crs with the data's EPSG code"),
    # --crs applies only to a file that declares no CRS; a wrong declaration is replaced with --override-crs
    "crs.outside_vietnam": _fixed(
        "nếu tệp khai báo sai hệ tọa độ, dùng --override-crs EPSG:9208 (hoặc mã đúng); nếu không, kiểm tra --crs",
        "if the file declares the wrong CRS, give --override-crs EPSG:9208 (or the right code); else check --crs",
    ),
    "crs.not_convertible": _fixed(
        "dùng --override-crs với mã EPSG đúng của dữ liệu", "give --override-crs with the data's EPSG code"
    ),
    "source.several_layers": _source_layer,
    "source.several_sheets": _source_layer,
    "source.several_files": _source_layer,
    "source.no_layer": _source_layer,
    "source.no_file": _source_layer,
    "boundaries.no_fields": _fixed(
        "dùng --code-field NAME hoặc --name-field NAME", "give --code-field NAME or --name-field NAME"
    ),
    "boundaries.no_field": _fixed(
        "kiểm tra tên trường cho bằng --code-field hoặc --name-field",
        "check the field named with --code-field or --name-field",
    ),
    "store.missing": _fixed("tạo kho bằng `baoyen init --store {path}`", "create it with `baoyen init --store {path}`"),
    "store.not_gpkg": _STORE_PATH,
    "store.not_project": _STORE_PATH,
    "store.layer_missing": _fixed("`baoyen layers` liệt kê các lớp", "`baoyen layers` lists the layers"),
    "store.version_missing": _fixed(
        "`baoyen history {layer}` liệt kê các phiên bản", "`baoyen history {layer}` lists the versions"
    ),
    "store.table_missing": _INIT,
    "store.table_columns": _INIT,
    "targets.no_measures": _INIT,
    "materials.legacy_no_field": _INIT,
    "materials.plan_no_species": _INIT,
    "store.other_database": _STORE_PATH,
    "store.damaged": _STORE_PATH,
    "store.cannot_open": _STORE_PATH,
    "store.read_only": _fixed(
        "dùng --store PATH trỏ tới một bản sao ghi được", "give --store PATH of a copy that can be written"
    ),
    "store.locked": _fixed("chạy lại lệnh sau ít phút", "run the command again in a moment"),
    "store.pg_connect": _store_url,
    "store.pg_bad_url": _store_url,
    "store.pg_bad_schema": _store_url,
    "store.pg_schema_in_use": _store_url,
    "auth.sign_in_required": _fixed(
        "cho tên bằng --user NAME (hoặc BAOYEN_USER) và mật khẩu bằng BAOYEN_PASSWORD hoặc nhập khi được hỏi",
        "give the name with --user NAME (or BAOYEN_USER) and the password in BAOYEN_PASSWORD or at the prompt",
    ),
    "auth.bad_credentials": _fixed(
        "kiểm tra --user và BAOYEN_PASSWORD", "check --user and the password (BAOYEN_PASSWORD or the prompt)"
    ),
    "auth.must_change": _fixed(
        "đặt mật khẩu mới bằng `baoyen user passwd {user}`", "set a new one with `baoyen user passwd {user}`"
    ),
    "auth.no_right": _fixed(
        "quản trị viên cấp quyền bằng `baoyen user grant {user} {target} w`",
        "an administrator grants it with `baoyen user grant {user} {target} w`",
    ),
    "auth.not_admin": _fixed("đăng nhập bằng tài khoản quản trị (--user)", "sign in as an administrator (--user)"),
    "auth.no_user": _fixed("`baoyen user list` liệt kê các tài khoản", "`baoyen user list` lists the accounts"),
    "auth.locked": _fixed(
        "quản trị viên đặt mật khẩu mới bằng `baoyen user passwd {user}`",
        "an administrator can set a new password with `baoyen user passwd {user}`",
    ),
    "auth.weak_password": _fixed(
        "nhập mật khẩu khác (BAOYEN_NEW_PASSWORD hoặc khi được hỏi)",
        "give another one (BAOYEN_NEW_PASSWORD or at the prompt)",
    ),
    "auth.bad_role": _fixed("dùng --role viewer|editor|admin", "give --role viewer|editor|admin"),
    "auth.open_bind": _fixed(
        "đặt BAOYEN_LOGIN=all để mọi trang cần đăng nhập, hoặc ADDRESS=127.0.0.1",
        "set BAOYEN_LOGIN=all so that every page needs a sign-in, or ADDRESS=127.0.0.1",
    ),
    "migrate.target_not_empty": _fixed("chọn một kho đích trống bằng --to", "give an empty target store with --to"),
    "migrate.same_store": _fixed("chọn kho đích khác bằng --to", "give another target store with --to"),
    "migrate.crs_differs": _fixed("chọn kho đích khác bằng --to", "give another target store with --to"),
    "export.no_folder": _OUTPUT,
    "export.onto_store": _OUTPUT,
    "export.is_directory": _OUTPUT,
    "export.not_a_file": _OUTPUT,
    "export.name_too_long": _OUTPUT,
    "export.disk_full": _OUTPUT,
    "export.no_permission": _OUTPUT,
    "export.cannot_write": _OUTPUT,
    "funding.unknown_line": _fixed(
        "xem các mã trong `baoyen budget-check --json`", "see `baoyen budget-check --json` for the ids"
    ),
    "supply.bad_distance": _fixed("ví dụ --distance-km 20", "e.g. --distance-km 20"),
    "cluster.empty": _fixed("chỉ tệp ranh giới bằng --cluster PATH", "give the boundary file with --cluster PATH"),
    "cluster.no_boundary": _fixed(
        "nhập bằng `baoyen import PATH --layer cluster_boundaries`, hoặc dùng --cluster PATH --lots PATH",
        "import it with `baoyen import PATH --layer cluster_boundaries`, or give --cluster PATH --lots PATH",
    ),
    "cluster.unknown": _CLUSTER,
    "cluster.several": _CLUSTER,
    "occupancy.bad_leasable": _fixed("dùng --leasable-ha N (số héc-ta lớn hơn 0)", "give --leasable-ha N (ha above 0)"),
    "occupancy.leasable_differs": _fixed("cho một giá trị bằng --leasable-ha N", "give one value with --leasable-ha N"),
    "overlay.zones_no_field": _fixed("chọn trường bằng --zone-field NAME", "choose the field with --zone-field NAME"),
    "overlay.units_no_field": _fixed("chọn trường bằng --unit-field NAME", "choose the field with --unit-field NAME"),
    # a notice of analysis.occupancy (not an error): pass its code as "occupancy.<notice code>"
    "occupancy.gross_basis": _fixed("dùng --zoning PATH hoặc --leasable-ha N", "give --zoning PATH or --leasable-ha N"),
}


def cli_hint(exc: PlanError | str, lang: str = "vi", *, command: str | None = None) -> str | None:
    """The command-line advice for an error, or None when the command line has none to add.

    Parameters
    ----------
    exc
        The error; or a code (e.g. ``"occupancy.gross_basis"`` for a notice of the occupancy measure).
    lang
        "vi" (default) or "en"; another value reads as "vi".
    command
        The command that failed (``"import"``, ``"validate"`` ...), so that the flag it has is named: the
        layer inside a file is ``--source-layer`` for ``import`` but ``--layer`` for ``validate``.

    Returns
    -------
    str or None
        The advice, e.g. "dùng --crs EPSG:9208".
    """
    code, params = (exc, {}) if isinstance(exc, str) else (exc.code, exc.params)
    hint = HINTS.get(code) if code is not None else None
    if hint is None:
        return None
    pair = hint(params, command)
    if pair is None:
        return None
    return pair[1] if lang == "en" else pair[0]


class _Params(dict[str, object]):
    """Params for a hint template; a missing one reads as its placeholder in capitals."""

    def __missing__(self, key: str) -> str:
        return key.upper()

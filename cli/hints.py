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

HINTS: dict[str, _Hint] = {
    "crs.missing": _crs,
    "crs.no_coordinates": _crs,
    "crs.undetermined": _crs,
    "crs.not_degrees": _fixed("dùng --crs với mã EPSG đúng của dữ liệu", "give --crs with the data's EPSG code"),
    "source.several_layers": _source_layer,
    "source.several_sheets": _source_layer,
    "source.several_files": _source_layer,
    "boundaries.no_fields": _fixed(
        "dùng --code-field NAME hoặc --name-field NAME", "give --code-field NAME or --name-field NAME"
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

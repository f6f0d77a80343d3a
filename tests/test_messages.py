"""Errors carry a code and params; library text is neutral; each edge adds its own hints.

The library (geo/, layers/, analysis/, reports/, services/) never names a command-line flag or a ``baoyen``
command in a message: the command line adds those (cli/hints.py), the pages add widgets (ui/error_hints.py),
and services/messages.py composes the message itself in Vietnamese or English from the error's code.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
import unicodedata
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pytest
import shapely

from geo.errors import CRSError, InputDataError, LayerNotFoundError, PlanError, StoreError
from geo.io import MissingCRSError, SeveralLayersError, read_vector
from layers.store import GeoPackageStore, create_store, open_store
from services.messages import OPTIONAL_PARTS, TEMPLATES, describe
from ui.error_hints import PAGE_HINTS, page_hint

REPO = Path(__file__).resolve().parents[1]
#: where messages are written: no flag text in any of their string literals
MESSAGE_ROOMS = ("geo", "layers", "analysis", "reports", "services")
#: where errors are raised with a code: each code needs a template
LIBRARY_ROOMS = ("geo", "layers", "analysis", "reports", "services")
FLAG = re.compile(r"--[a-z][a-z0-9-]+|`baoyen ")
#: notice codes (warnings of analysis.occupancy, not errors) that the edges also give hints for
NOTICE_CODES = {"occupancy.gross_basis"}


def _cli_hints() -> ModuleType:
    """cli/hints.py, also while ``cli`` is still the module cli.py beside the new cli/ folder."""
    try:
        return importlib.import_module("cli.hints")
    except ModuleNotFoundError:
        spec = importlib.util.spec_from_file_location("_cli_hints_under_test", REPO / "cli" / "hints.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module


def _files(rooms: tuple[str, ...]) -> list[Path]:
    return [p for room in rooms for p in sorted((REPO / room).rglob("*.py"))]


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the string constants that are docstrings (first statement of a module, class or function)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal of a file but its docstrings; f-strings give their literal parts."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def _raised_codes() -> dict[str, list[str]]:
    """Each ``code="..."`` keyword of a call in the library -> where it is."""
    found: dict[str, list[str]] = {}
    for path in _files(LIBRARY_ROOMS):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg == "code" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.setdefault(kw.value.value, []).append(f"{path.relative_to(REPO)}:{node.lineno}")
        # defaults of a ``code`` parameter (SeveralLayersError, MissingCRSError) are raised codes too
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = node.args
                for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
                    if arg.arg == "code" and isinstance(default, ast.Constant) and isinstance(default.value, str):
                        found.setdefault(default.value, []).append(f"{path.relative_to(REPO)}:{node.lineno}")
    return found


# --- (a) no flag text in library strings ---------------------------------------------------------------------


def test_library_strings_name_no_flag_and_no_command() -> None:
    hits = [
        f"{path.relative_to(REPO)}:{line}: {text!r}"
        for path in _files(MESSAGE_ROOMS)
        for line, text in _literals(path)
        if FLAG.search(text)
    ]
    assert hits == [], "command-line advice belongs in cli/hints.py:\n" + "\n".join(hits)


def test_the_scan_sees_f_string_parts_and_skips_docstrings(tmp_path: Path) -> None:
    p = tmp_path / "m.py"
    p.write_text(
        '"""Module doc with `baoyen init`."""\n'
        "def f(x):\n"
        '    """Doc naming --crs."""\n'
        '    raise ValueError(f"{x} needs --crs EPSG:9208")\n',
        encoding="utf-8",
    )
    assert [text for _, text in _literals(p) if FLAG.search(text)] == [" needs --crs EPSG:9208"]


# --- (b) every code has both templates -------------------------------------------------------------------------


def test_every_raised_code_has_a_vietnamese_and_an_english_template() -> None:
    raised = _raised_codes()
    assert {"crs.missing", "source.several_layers", "store.missing", "cluster.several"} <= set(raised)
    missing = {code: where for code, where in raised.items() if code not in TEMPLATES}
    assert missing == {}
    for code in raised:
        vi, en = TEMPLATES[code]
        assert vi.strip() and en.strip() and vi != en, code


def test_templates_are_nfc_and_codes_are_dotted() -> None:
    for code, (vi, en) in TEMPLATES.items():
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", code), code
        for text in (vi, en, *(t for _, *parts in OPTIONAL_PARTS.get(code, ()) for t in parts)):
            assert unicodedata.is_normalized("NFC", text), code
            assert not FLAG.search(text), code
    assert set(OPTIONAL_PARTS) <= set(TEMPLATES)


def test_hint_tables_know_only_codes_that_exist() -> None:
    known = set(TEMPLATES) | NOTICE_CODES
    assert set(_cli_hints().HINTS) <= known
    assert set(PAGE_HINTS) <= known


# --- (c) real errors read in Vietnamese -----------------------------------------------------------------------


def _caught(call, *args, **kwargs) -> PlanError:  # type: ignore[no-untyped-def]
    with pytest.raises(PlanError) as info:
        call(*args, **kwargs)
    return info.value


def _vietnamese(text: str) -> None:
    assert text and "--" not in text and "baoyen " not in text
    assert unicodedata.is_normalized("NFC", text)
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", text), text


def test_a_csv_whose_values_tell_no_crs(tmp_path: Path) -> None:
    p = tmp_path / "diem.csv"
    p.write_text("X,Y\n100,200\n150,250\n", encoding="utf-8")
    exc = _caught(read_vector, p)
    assert isinstance(exc, CRSError) and exc.code == "crs.undetermined"
    assert exc.params["source"] == "`diem.csv`"
    text = describe(exc)
    _vietnamese(text)
    assert "`diem.csv`" in text and "EPSG:9208" in text and "hệ tọa độ" in text
    assert "x 200…250, y 100…150" in text  # X is the northing in Vietnamese tables
    assert describe(exc, "en").startswith("`diem.csv` does not say its CRS")


def test_a_shapefile_without_prj(tmp_path: Path) -> None:
    shp = tmp_path / "lo_dat.shp"
    frame = gpd.GeoDataFrame(
        {"id": [1, 2]},
        geometry=[
            shapely.box(420_000, 2_460_000, 420_100, 2_460_100),
            shapely.box(420_200, 2_460_000, 420_300, 2_460_100),
        ],
        crs=9208,
    )
    frame.to_file(shp)
    shp.with_suffix(".prj").unlink()
    exc = _caught(read_vector, shp)
    assert isinstance(exc, MissingCRSError) and exc.code == "crs.missing"
    assert exc.guess == 9208 and exc.report is not None and exc.reason  # the attributes the data page reads
    assert exc.params["guess"] == 9208 and exc.params["no_prj"] is True
    text = describe(exc)
    _vietnamese(text)
    assert "thiếu tệp .prj" in text and "EPSG:9208" in text and "420.000…420.300" in text
    assert "has no .prj" in str(exc) and "--crs" not in str(exc)
    assert _cli_hints().cli_hint(exc) == "dùng --crs EPSG:9208"
    assert _cli_hints().cli_hint(exc, "en") == "give --crs EPSG:9208"
    assert page_hint(exc) == "chọn hệ tọa độ trong danh sách bên dưới"


def test_a_store_path_that_does_not_exist(tmp_path: Path) -> None:
    where = tmp_path / "khong_co.gpkg"
    for call in (open_store, GeoPackageStore):
        exc = _caught(call, where)
        assert isinstance(exc, StoreError) and exc.code == "store.missing" and exc.params["path"] == str(where)
        text = describe(exc)
        _vietnamese(text)
        assert str(where) in text and "kho dữ liệu" in text
        assert _cli_hints().cli_hint(exc) == f"tạo kho bằng `baoyen init --store {where}`"


def test_a_layer_the_store_does_not_hold(tmp_path: Path) -> None:
    store = create_store(tmp_path / "kho.gpkg")
    exc = _caught(store.read_layer, "khong_co")
    assert isinstance(exc, LayerNotFoundError) and isinstance(exc, KeyError)
    assert str(exc) == "the store has no layer 'khong_co'; choose one of the layers it holds"  # not KeyError's quotes
    assert describe(exc) == "kho dữ liệu không có lớp 'khong_co'; hãy chọn một lớp có trong kho"


def test_without_a_code_or_with_an_unknown_one_the_message_stays() -> None:
    assert describe(InputDataError("plain words")) == "plain words"
    assert describe(InputDataError("plain words", code="no.such_code", x=1)) == "plain words"
    assert describe(InputDataError("params missing", code="cluster.several")) == "params missing"
    exc = InputDataError("x", code="cluster.several", ids=["ccn_pho_rang", "ccn_bao_ha"])
    assert exc.code == "cluster.several" and exc.params == {"ids": ["ccn_pho_rang", "ccn_bao_ha"]}
    assert describe(exc) == "lớp ranh giới có nhiều cụm công nghiệp (ccn_pho_rang, ccn_bao_ha); hãy chọn một cụm"
    assert (
        describe(exc, "en")
        == "the boundary layer holds several clusters (ccn_pho_rang, ccn_bao_ha); choose one of them"
    )


def test_numbers_follow_the_language() -> None:
    exc = InputDataError("x", code="supply.bad_distance", distance_km=-2.5)
    assert describe(exc).startswith("khoảng cách -2,5 km")
    assert describe(exc, "en").startswith("distance -2.5 km")


# --- (d) the command line names its own flag -------------------------------------------------------------------


def _two_layers(tmp_path: Path) -> Path:
    p = tmp_path / "hai_lop.gpkg"
    for name in ("lots", "zones"):
        gpd.GeoDataFrame({"id": [1]}, geometry=[shapely.box(420_000, 2_460_000, 420_100, 2_460_100)], crs=9208).to_file(
            p, layer=name
        )
    return p


def test_cli_hint_names_the_flag_of_the_command(tmp_path: Path) -> None:
    exc = _caught(read_vector, _two_layers(tmp_path))
    assert isinstance(exc, SeveralLayersError) and exc.code == "source.several_layers"
    assert exc.layers == ["lots", "zones"] and exc.params["layers"] == ["lots", "zones"]
    hints = _cli_hints()
    for_import = hints.cli_hint(exc, command="import")
    for_validate = hints.cli_hint(exc, command="validate")
    assert for_import is not None and "--source-layer" in for_import
    assert for_validate is not None and "--layer" in for_validate and "--source-layer" not in for_validate
    assert "--source-layer" in (hints.cli_hint(exc, "en", command="import-boundaries") or "")
    text = describe(exc)
    _vietnamese(text)
    assert "lots, zones" in text


def test_cli_hints_for_the_other_codes() -> None:
    hint = _cli_hints().cli_hint
    assert "--cluster-id" in (hint(InputDataError("x", code="cluster.several", ids=["a", "b"])) or "")
    assert "--leasable-ha" in (hint(InputDataError("x", code="occupancy.bad_leasable", value=0.0)) or "")
    assert "--leasable-ha" in (hint("occupancy.gross_basis", "en") or "")
    assert "--code-field" in (hint(InputDataError("x", code="boundaries.no_fields", source="a", fields=[])) or "")
    assert hint(InputDataError("no code")) is None
    assert hint(InputDataError("x", code="no.such_code")) is None


# --- (e) the pages name widgets, never a command line ----------------------------------------------------------


def test_page_hints_name_no_command_line() -> None:
    for code, (vi, en) in PAGE_HINTS.items():
        for text in (vi, en):
            assert "--" not in text and "baoyen " not in text, code
            assert unicodedata.is_normalized("NFC", text), code
    exc = InputDataError("x", code="cluster.several", ids=["a", "b"])
    assert page_hint(exc) == "chọn cụm ở ô «Cụm» của trang Cụm công nghiệp"
    assert page_hint(exc, "en") == "choose the cluster in «Cluster» on the Industrial clusters page"
    assert page_hint(InputDataError("no code")) is None


#: codes whose fix lies in a widget of a page and in a flag of a command: both edges must advise
BOTH_EDGES = (
    "crs.missing",
    "crs.no_coordinates",
    "crs.undetermined",
    "crs.not_degrees",
    "source.several_layers",
    "source.several_sheets",
    "source.several_files",
    "boundaries.no_fields",
    "store.missing",
    "store.not_gpkg",
    "store.layer_missing",
    "store.table_missing",
    "funding.unknown_line",
    "supply.bad_distance",
    "cluster.empty",
    "cluster.no_boundary",
    "cluster.unknown",
    "cluster.several",
    "occupancy.bad_leasable",
    "occupancy.gross_basis",
)


@pytest.mark.parametrize("code", BOTH_EDGES)
def test_both_edges_advise(code: str) -> None:
    assert _cli_hints().cli_hint(code) and _cli_hints().cli_hint(code, "en"), code
    assert page_hint(code) and page_hint(code, "en"), code


def test_error_hints_does_not_import_streamlit() -> None:
    tree = ast.parse((REPO / "ui" / "error_hints.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "streamlit" for name in names)

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
    "occupancy.leasable_differs",
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


# --- (f) every error a planner can reach in these files carries a code (issue 11 §5) ------------------------------

#: the files whose every raise of a project error carries a code, so that a page or the command line says it in the
#: user's language (their notices too: geo/safety.py, geo/tables.py and analysis/materials.py give coded notes)
CODED_FILES = (
    "geo/safety.py",
    "geo/tables.py",
    "geo/crs.py",
    "geo/numbers.py",
    "analysis/materials.py",
    "analysis/targets.py",
    "analysis/funding.py",
    "reports/report.py",
    "layers/export.py",
    "layers/boundaries.py",
    "analysis/occupancy.py",
    "analysis/overlay.py",
    "analysis/terrain.py",
    "layers/store.py",
    "layers/postgis.py",
    "layers/tiles.py",
    "geo/io.py",
    "geo/raster.py",
    "services/accounts.py",
    "services/boundaries.py",
    "services/clusters.py",
    "services/context.py",
    "services/data.py",
    "services/edits.py",
    "services/inputs.py",
    "services/materials.py",
    "services/migrate.py",
    "services/sample.py",
    "services/targets.py",
    "services/terrain.py",
    "services/tiles.py",
)
#: errors only a developer can reach, left without a code: (file, words of the message as written in the source)
UNCODED_ALLOWED = {
    # data/targets.yaml names a way of deriving a measure that the code does not know: the project's own data
    ("analysis/targets.py", "has the unknown derive kind"),
    # build_report called with neither a store nor gathered inputs: a wrong call, never a planner's input
    ("reports/report.py", "build_report needs a store or gathered inputs"),
    # the page draws the series from 2021 to today: no planner chooses its ends
    ("analysis/occupancy.py", "before it starts"),
    # write_layer(s) given something that is not a GeoDataFrame, or one layer twice: a wrong call
    ("layers/store.py", "must be a GeoDataFrame"),
    ("layers/store.py", "written only once in one transaction"),
    ("layers/postgis.py", "written only once in one transaction"),
    # write_table_records without records: copying a store passes each table's own write log, never empty
    ("layers/store.py", "comes without its write log"),
    ("layers/postgis.py", "comes without its write log"),
}


def _codes_itself(cls: type) -> bool:
    """True for an error class that sets its own code (AmbiguousNumberError, SeveralLayersError)."""
    import inspect

    init = cls.__init__  # type: ignore[misc]
    if init is PlanError.__init__:
        return False
    param = inspect.signature(init).parameters.get("code")
    return param is None or isinstance(param.default, str)


def _uncoded_errors(tree: ast.Module, namespace: dict[str, object]) -> list[tuple[int, str]]:
    """(line, message source) of every construction (or bare raise) of a project error without ``code=``.

    Names are resolved in ``namespace`` (the module's globals); a helper that builds the error (``refuse``,
    ``too_many_features``) is checked where it builds it.
    """

    def error_class(node: ast.expr) -> type | None:
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        value = namespace.get(name) if name else None
        return value if isinstance(value, type) and issubclass(value, PlanError) else None

    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            cls = error_class(node.func)
            if cls is None or _codes_itself(cls) or any(kw.arg == "code" for kw in node.keywords):
                continue
            found.append((node.lineno, ast.unparse(node.args[0]) if node.args else ""))
        elif isinstance(node, ast.Raise) and node.exc is not None and error_class(node.exc) is not None:
            found.append((node.lineno, ""))
    return sorted(found)


def test_the_code_scan_sees_constructions_bare_raises_and_self_coding_classes() -> None:
    from geo.numbers import AmbiguousNumberError

    tree = ast.parse(
        "def f(x):\n"
        "    if x == 1:\n"
        '        raise InputDataError(f"{x} is wrong")\n'
        "    if x == 2:\n"
        "        raise CRSError\n"
        "    if x == 3:\n"
        '        return InputDataError("fine", code="a.b")\n'
        '    raise AmbiguousNumberError("2.150", as_thousands=2150.0, as_decimal=2.15)\n'
    )
    namespace = {"InputDataError": InputDataError, "CRSError": CRSError, "AmbiguousNumberError": AmbiguousNumberError}
    assert _uncoded_errors(tree, namespace) == [(3, "f'{x} is wrong'"), (5, "")]


def test_every_error_of_the_coded_files_carries_a_code() -> None:
    uncoded: list[str] = []
    allowed_seen: set[tuple[str, str]] = set()
    for rel in CODED_FILES:
        module = importlib.import_module(rel.removesuffix(".py").replace("/", "."))
        tree = ast.parse((REPO / rel).read_text(encoding="utf-8"))
        for line, message in _uncoded_errors(tree, vars(module)):
            allowed = {(f, words) for f, words in UNCODED_ALLOWED if f == rel and words in message}
            if allowed:
                allowed_seen |= allowed
            else:
                uncoded.append(f"{rel}:{line}: {message}")
    assert uncoded == [], "give these errors a code and a template in services/messages.py:\n" + "\n".join(uncoded)
    assert allowed_seen == UNCODED_ALLOWED, "an allowed uncoded error is gone: drop it from UNCODED_ALLOWED"


def test_every_code_written_in_the_coded_files_has_a_template() -> None:
    """Codes passed on by a helper (``refuse(..., "degrees.no_degrees")``) are not ``code=`` keywords: seen here."""
    families = {code.split(".")[0] for code in TEMPLATES}
    file_names = {"gpkg", "geojson", "shp", "zip", "csv", "xlsx", "kml", "kmz", "json", "yaml", "dxf", "dgn", "fgb"}
    unknown = []
    for rel in CODED_FILES:
        for line, text in _literals(REPO / rel):
            family, _, rest = text.partition(".")
            if not re.fullmatch(r"[a-z]+\.[a-z_]+", text) or family not in families or rest in file_names:
                continue
            if text not in TEMPLATES:
                unknown.append(f"{rel}:{line}: {text}")
    assert unknown == []


# --- (f2) every notice a planner sees is coded, so that it is said in the planner's language ---------------------

#: the files that make the notices of a read, an import, a measure or an export (warnings, problems, notes): each
#: notice is a geo.safety.CodedNote with a template; a plain str shows as English on a Vietnamese page
NOTICE_FILES = (
    "geo/io.py",
    "geo/validate.py",
    "geo/tables.py",
    "geo/encoding.py",
    "geo/safety.py",
    "geo/raster.py",
    "layers/importer.py",
    "layers/boundaries.py",
    "layers/export.py",
    *sorted(p.relative_to(REPO).as_posix() for p in (REPO / "analysis").glob("*.py")),
    *sorted(p.relative_to(REPO).as_posix() for p in (REPO / "services").glob("*.py")),
    "cli/io_cmds.py",
)
#: the names of the lists (report fields, locals, keyword arguments) that hold notices, and of the methods giving them
NOTICE_LISTS = frozenset({"warnings", "errors", "problems", "notes", "notices", "messages", "kept", "skipped"})
#: methods of str whose result is plain text
_TEXT_METHODS = frozenset({"format", "join", "strip", "capitalize", "lower", "upper"})


def _plain_text(node: ast.expr | None) -> bool:
    """True for an expression that makes plain text: a literal, an f-string, text added or formatted, ``str(...)``.

    A tuple is not (a (Vietnamese, English) pair, as analysis.siting keeps its notes), nor a call of anything else
    (``CodedNote(...)``, a helper's notices: the corpus test below reads what the helpers give).
    """
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _plain_text(node.left) or _plain_text(node.right)
    if isinstance(node, ast.IfExp):
        return _plain_text(node.body) or _plain_text(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        return (isinstance(func, ast.Name) and func.id == "str") or (
            isinstance(func, ast.Attribute) and func.attr in _TEXT_METHODS
        )
    if isinstance(node, (ast.List, ast.Set)):
        return any(_plain_text(e) for e in node.elts)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return _plain_text(node.elt)
    if isinstance(node, ast.Starred):
        return _plain_text(node.value)
    return False


def _last_name(node: ast.expr) -> str | None:
    """``warnings`` of ``warnings``, ``report.warnings``, ``self.notes``..."""
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def _plain_notices(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, source) of plain text put into a notice list, or returned by a ``warnings()``-like method.

    Seen: ``<list>.append/extend/insert(text)``, ``<list> += text``, ``<list> = text``, a keyword argument
    ``warnings=[text]`` (a result built with its notices), ``return text`` in a method named like a notice list.
    """
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in ("append", "extend", "insert")
                and _last_name(func.value) in NOTICE_LISTS
            ):
                found += node.args[-1:]
            found += [
                kw.value
                for kw in node.keywords
                if kw.arg in NOTICE_LISTS and isinstance(kw.value, (ast.List, ast.ListComp, ast.GeneratorExp))
            ]
        elif (
            isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add) and _last_name(node.target) in NOTICE_LISTS
        ):
            found.append(node.value)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_last_name(t) in NOTICE_LISTS for t in targets):
                found.append(node.value)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in NOTICE_LISTS:
            found += [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and r.value is not None]
    return sorted((n.lineno, ast.unparse(n)) for n in found if _plain_text(n))


def test_the_notice_scan_sees_plain_text_put_into_a_notice_list() -> None:
    tree = ast.parse(
        "def f(report, name, n, rows, raw):\n"
        '    report.warnings.append(f"{name}: {n} polygons joined into one unit")\n'
        '    warnings.extend(f"{name}: {w}" for w in rows)\n'
        '    errors.insert(0, "no features; " + name)\n'
        '    notes += [f"{n} cells"]\n'
        "    out = Preview(warnings=[str(n)])\n"
        '    messages = ["GDAL: " + raw]\n'
        '    report.warnings.append(CodedNote(f"{name}: x", code="read.x", source=name))\n'
        '    notes.append(("Chưa có lớp đường.", "No roads."))\n'
        '    text = raw.decode("utf-8", errors="replace")\n'
        "    report.warnings.extend(info.warnings)\n"
        '    items.append(f"{n}")\n'
        "class Check:\n"
        "    def warnings(self):\n"
        "        return [str(a) for a in self.ambiguous]\n"
        "    def errors(self):\n"
        "        return [a.note() for a in self.failures]\n"
    )
    assert [line for line, _ in _plain_notices(tree)] == [2, 3, 4, 5, 6, 7, 15]


def test_no_notice_of_those_files_is_plain_text() -> None:
    plain = [
        f"{rel}:{line}: {source}"
        for rel in NOTICE_FILES
        for line, source in _plain_notices(ast.parse((REPO / rel).read_text(encoding="utf-8")))
    ]
    assert plain == [], "make these notices a geo.safety.CodedNote with a template in services/messages.py:\n" + (
        "\n".join(plain)
    )


def _uncoded(notices: list[str]) -> list[str]:
    """The notices that a Vietnamese page would show in English: plain text, or a code without a template."""
    return [str(n) for n in notices if getattr(n, "code", None) not in TEMPLATES]


def test_the_notice_check_sees_plain_text_and_unknown_codes() -> None:
    from geo.safety import CodedNote

    notices = [
        CodedNote("`a.gpkg` holds no features", code="read.no_features", source="`a.gpkg`"),
        "`a.gpkg`: 2 polygons joined into one unit",
        CodedNote("something new", code="read.not_written_yet"),
    ]
    assert _uncoded(notices) == ["`a.gpkg`: 2 polygons joined into one unit", "something new"]


def _odd_inputs_notices(tmp_path: Path) -> list[str]:
    """Every warning and problem of reading, importing, matching and exporting a corpus of odd (not hostile) inputs."""
    import json

    import numpy as np
    from affine import Affine

    from geo.encoding import encode_tcvn3
    from geo.raster import read_dem
    from layers.boundaries import match_boundaries
    from layers.export import export_frame
    from layers.importer import prepare_import
    from tests.geo.test_io_corpus import (
        LAT0,
        LON0,
        NAMES,
        declared_9208,
        legacy_shapefile,
        nan_polygon,
        sample_frame,
        unclosed_rings,
    )
    from tests.geo.test_raster import _write
    from tests.terrain_data import X0, Y0

    notices: list[str] = []

    def read(path: Path, **kwargs: object) -> None:
        _, report = read_vector(path, **kwargs)  # type: ignore[arg-type]
        notices.extend([*report.warnings, *report.errors])

    def geojson(name: str, features: list[dict[str, object]]) -> Path:
        p = tmp_path / name
        p.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        return p

    def feature(geometry: dict[str, object], **properties: object) -> dict[str, object]:
        return {"type": "Feature", "properties": properties, "geometry": geometry}

    point = {"type": "Point", "coordinates": [LON0, LAT0]}
    bowtie = {"type": "Polygon", "coordinates": [[[104.4, 22.2], [104.41, 22.21], [104.41, 22.2], [104.4, 22.21]]]}
    line = {"type": "LineString", "coordinates": [[LON0, LAT0], [LON0 + 0.01, LAT0]]}
    read(unclosed_rings(tmp_path))
    read(nan_polygon(tmp_path))
    read(geojson("odd.geojson", [feature(bowtie, id="a"), feature(point, id="a", tags={"x": 1}), feature(None)]))
    read(geojson("mixed.geojson", [feature(point), feature(line)]))
    far = tmp_path / "far.gpkg"
    sample_frame().translate(300_000, 0).to_file(far)  # in Vietnam, far east of Lào Cai
    read(far)
    read(declared_9208(tmp_path), crs="EPSG:3405")
    odd_cpg = legacy_shapefile(tmp_path / "cpg", encode_tcvn3, NAMES, cpg="not-a-code-page")
    read(odd_cpg)
    read(legacy_shapefile(tmp_path / "tcvn3", encode_tcvn3, NAMES, cpg="1252"))
    table = tmp_path / "diem.csv"
    table.write_text(
        "Kinh độ,Vĩ độ,tên\n104°28'41.5\"E,22°14'40.6\"N,a\n104°61',22.1,b\n,22.2,c\n,,d\n", encoding="utf-8"
    )
    read(table)

    # an import: numbers two readings fit, columns that are no field of the layer, names made storable
    communes = tmp_path / "xa.csv"
    communes.write_text(
        'X,Y,ma_xa,centre_lon,ghi chú\n2460000,473000,02947,"2.150",a\n2461000,474000,02950,"3.400",b\n'
    )
    for layer in ("communes_legacy", "free_layer"):
        preview = prepare_import(communes, layer)
        notices.extend([*preview.warnings, *preview.errors])

    # boundaries: two polygons of one commune
    units = gpd.GeoDataFrame(
        {"ma_xa": ["02947"], "ten_xa": ["Phố Ràng"], "geom_quality": ["schematic"], "source": ["sơ đồ"]},
        geometry=[None],
        crs=9208,
    )
    halves = gpd.GeoDataFrame(
        {"ma": ["02947", "02947"]},
        geometry=[
            shapely.box(470_000, 2_455_000, 470_500, 2_455_500),
            shapely.box(470_500, 2_455_000, 471_000, 2_455_500),
        ],
        crs=9208,
    )
    notices.extend(match_boundaries(units, halves, source="`xa.geojson`").warnings)

    # exports: cut names and text, KML in degrees, formulas, a file replaced
    frame = sample_frame(2).assign(ghi_chu_rat_dai=["Ghi chú về vùng nguyên liệu. " * 20, "=1+1"])
    for fmt, name in (("shp", "lo.zip"), ("kml", "lo.kml"), ("csv", "lo.csv"), ("csv", "lo.csv")):
        notices.extend(export_frame(frame, fmt, tmp_path / name, layer_name="lo").warnings)

    # a DEM whose no-data value is not declared
    z = np.full((20, 20), 450.0, dtype="float32")
    z[:5] = -32768
    _, dem_report = read_dem(_write(tmp_path / "nd.tif", z, Affine(30, 0, X0, 0, -30, Y0), "EPSG:9208"))
    notices.extend(dem_report.warnings)
    return notices


def test_every_notice_of_a_corpus_of_odd_inputs_is_coded_and_said_in_vietnamese(tmp_path: Path) -> None:
    notices = _odd_inputs_notices(tmp_path)
    assert _uncoded(notices) == [], "give these notices a code and a template in services/messages.py"
    codes = {getattr(n, "code", None) for n in notices}
    # the corpus keeps reaching the notices it was written for
    assert {
        "read.unreadable_geometry",
        "coords.nan",
        "read.repaired",
        "read.no_geometry",
        "read.repeated_ids",
        "read.json_field",
        "read.mixed_types",
        "read.far_outside",
        "read.crs_overridden",
        "read.cpg_unknown",
        "encoding.legacy_vietnamese",
        "table.not_degrees",
        "schema.ambiguous",
        "import.columns_left",
        "import.fields_renamed",
        "boundaries.joined",
        "export.names_kept",
        "export.text_cut",
        "export.kml_lonlat",
        "export.formula_cells",
        "export.replaced",
        "raster.implausible",
    } <= codes, codes
    for note in notices:
        text = describe(note, "vi")
        _vietnamese(text)
        assert text != describe(note, "en"), note


# --- (g) real errors and notices of those files, in Vietnamese and English -------------------------------------


def test_a_zip_whose_member_escapes_the_folder(tmp_path: Path) -> None:
    import zipfile

    from geo.limits import Limits
    from geo.safety import extract_zip

    p = tmp_path / "ranh_gioi.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("../../ngoai.shp", b"x")
    with pytest.raises(PlanError) as info, extract_zip(p, Limits()):
        pass
    exc = info.value
    assert exc.code == "archive.outside" and exc.params == {"source": "`ranh_gioi.zip`", "member": "../../ngoai.shp"}
    text = describe(exc)
    _vietnamese(text)
    assert text == (
        "`ranh_gioi.zip`: tệp '../../ngoai.shp' trong tệp nén trỏ ra ngoài thư mục giải nén (..), bị từ chối vì "
        "không an toàn; hãy chỉ nén các tệp dữ liệu"
    )
    assert describe(exc, "en") == str(exc)  # the English template is the library's own text


def test_a_file_too_large_writes_its_megabytes_as_the_language_does(tmp_path: Path) -> None:
    from geo.limits import MB, Limits
    from geo.safety import check_size

    p = tmp_path / "lon.gpkg"
    with p.open("wb") as fh:
        fh.truncate(1_200 * MB)  # sparse: nothing is written to the disk
    exc = _caught(check_size, p, Limits(upload_bytes=1_000 * MB))
    assert exc.code == "file.too_large" and exc.params["size_mb"] == 1200.0
    text = describe(exc)
    _vietnamese(text)
    assert text.startswith("`lon.gpkg` có dung lượng 1.200 MB, vượt giới hạn 1.000 MB; hãy chia")
    assert describe(exc, "en").startswith("`lon.gpkg` is 1,200 MB, above the 1,000 MB limit; split it")
    assert "--" not in text
    empty = tmp_path / "rong.geojson"
    empty.write_bytes(b"")
    assert describe(_caught(check_size, empty, Limits())).startswith("`rong.geojson` rỗng (0 byte)")


def test_a_shapefile_without_its_dbf(tmp_path: Path) -> None:
    from geo.safety import check_shapefile_parts

    shp = tmp_path / "lo_dat.shp"
    gpd.GeoDataFrame({"id": [1]}, geometry=[shapely.Point(420_000, 2_460_000)], crs=9208).to_file(shp)
    shp.with_suffix(".dbf").unlink()
    exc = _caught(check_shapefile_parts, shp, label="`lo_dat.shp`")
    assert exc.code == "shapefile.missing_parts" and exc.params["parts"] == [".dbf"]
    text = describe(exc)
    _vietnamese(text)
    assert text.startswith("`lo_dat.shp` thiếu tệp .dbf đi kèm; Shapefile gồm nhiều tệp")


def test_tables_without_rows(tmp_path: Path) -> None:
    from geo.limits import Limits
    from geo.tables import read_table

    p = tmp_path / "diem.csv"
    p.write_text("X;Y\n", encoding="utf-8")
    exc = _caught(read_table, p, kind="csv", limits=Limits(), label="`diem.csv`")
    assert exc.code == "table.header_only"
    assert describe(exc) == "`diem.csv` chỉ có dòng tiêu đề, không có dòng dữ liệu nào; hãy thêm mỗi điểm một dòng"
    assert describe(exc, "en") == str(exc) == "`diem.csv` has a header but no rows; add one row per point"
    p.write_bytes(b"\xef\xbb\xbf")  # a byte-order mark and nothing else
    exc = _caught(read_table, p, kind="csv", limits=Limits(), label="`diem.csv`")
    assert exc.code == "table.no_rows"
    _vietnamese(describe(exc))


def test_an_angle_that_is_not_one() -> None:
    from geo.tables import parse_degrees

    exc = _caught(parse_degrees, "104°61'")
    assert exc.code == "degrees.minutes_too_large" and exc.params == {"text": "104°61'", "minutes": 61.0}
    assert describe(exc) == "«104°61'» không phải là góc theo độ: 61 phút, trong khi số phút phải nhỏ hơn 60"
    exc = _caught(parse_degrees, "22°N", axis="lon")
    assert describe(exc) == "«22°N» là vĩ độ (N/S) trong khi ở đây cần kinh độ"
    exc = _caught(parse_degrees, "95,5", axis="lat")
    assert describe(exc) == "«95,5» không phải là vĩ độ: 95,5° vượt quá 90°"
    assert describe(exc, "en") == "«95,5» is not a latitude: 95.5° is beyond 90°"


def test_the_notices_of_a_table_read_in_vietnamese(tmp_path: Path) -> None:
    """The warnings and problems of a read stay English text, and carry a code: a page composes them."""
    from geo.limits import Limits
    from geo.safety import CodedNote
    from geo.tables import read_table

    p = tmp_path / "diem.csv"
    p.write_text("Kinh độ,Vĩ độ,tên\n104°28'41.5\"E,22°14'40.6\"N,a\n104°61',22.1,b\n,22.2,c\n,,d\n", encoding="utf-8")
    _, info = read_table(p, kind="csv", limits=Limits(), label="`diem.csv`")
    notes = {getattr(n, "code", None): n for n in [*info.warnings, *info.errors]}
    assert {
        "table.rows_without_coordinates",
        "table.crs_assumed",
        "table.not_degrees",
        "table.half_coordinates",
    } <= set(notes)
    assert all(isinstance(n, CodedNote) for n in notes.values())
    bad = notes["table.not_degrees"]
    assert str(bad).startswith("`diem.csv`: coordinates that are not numbers or degrees in row 3 (")  # English text
    text = describe(bad)
    _vietnamese(text)
    # the row's own reason (an error of the angle reader) is composed in the same language
    assert text == (
        "`diem.csv`: tọa độ không phải là số hay độ ở dòng 3 (Kinh độ=\"104°61'\", Vĩ độ='22.1': «104°61'» không "
        "phải là góc theo độ: 61 phút, trong khi số phút phải nhỏ hơn 60); hãy sửa lại"
    )
    assert describe(notes["table.half_coordinates"]) == (
        "`diem.csv`: dòng 4 chỉ có một trong hai tọa độ Kinh độ/Vĩ độ; hãy điền đủ cả hai"
    )
    assert describe(notes["table.rows_without_coordinates"]) == (
        "`diem.csv`: 1 dòng không có tọa độ (dòng 5) vẫn được giữ lại nhưng không có vị trí"
    )
    assumed = describe(notes["table.crs_assumed"])
    assert assumed.startswith("`diem.csv` không ghi hệ tọa độ; theo khoảng giá trị tọa độ (x 104,4782…")
    assert assumed.endswith("(kinh độ, vĩ độ theo VN-2000 là EPSG:4756)")
    assert describe("a plain line") == "a plain line"  # a notice without a code is given back as it is


def test_coordinates_that_are_not_numbers_count_the_rest() -> None:
    import numpy as np

    from geo.limits import Limits
    from geo.safety import coordinate_problems

    coords = np.full((12, 2), np.nan)
    (note,) = coordinate_problems(coords, np.arange(12), Limits(), label="`lo.geojson`")
    assert (
        str(note)
        == "`lo.geojson`: coordinates not a number (NaN) in feature(s) 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"
    )
    assert describe(note) == (
        "`lo.geojson`: tọa độ không phải là số (NaN) ở đối tượng 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 và 2 đối tượng khác; "
        "hãy sửa tọa độ của các đối tượng này"
    )
    (few,) = coordinate_problems(coords[:2], np.arange(2), Limits(), label="`lo.geojson`")
    assert describe(few, "en") == "`lo.geojson`: coordinates not a number (NaN) in feature(s) 1, 2; correct them"


def test_a_coded_note_survives_pickling() -> None:
    """Pages keep read reports in the session, which may pickle them."""
    import pickle

    from geo.safety import CodedNote

    note = CodedNote(
        "`a.csv` is not UTF-8; its text was read as TCVN3",
        code="table.legacy_encoding",
        source="`a.csv`",
        encoding="TCVN3",
    )
    back = pickle.loads(pickle.dumps(note))
    assert back == note and back.code == note.code and back.params == note.params
    assert describe(back).startswith("`a.csv` không dùng bảng mã UTF-8")


def test_crs_text_that_is_none() -> None:
    from geo.crs import get_crs, parse_epsg

    exc = _caught(parse_epsg, "VN2000")
    assert exc.code == "crs.not_epsg"
    assert describe(exc) == "'VN2000' không phải là mã EPSG; hãy viết theo dạng EPSG:9208 (hoặc chỉ 9208)"
    exc = _caught(get_crs, "không phải")
    assert exc.code == "crs.unknown" and isinstance(exc, CRSError)
    _vietnamese(describe(exc))


def test_targets_funding_and_report_inputs() -> None:
    import datetime as dt

    from analysis.funding import new_disbursement_row
    from analysis.targets import new_actual_row, parse_period, targets_from_frames
    from layers.plan_data import load_tables
    from layers.settings import DATA_DIR
    from reports.report import build_report

    tables = load_tables(DATA_DIR)
    targets = targets_from_frames(tables["targets"], tables["target_measures"])
    day = dt.date(2025, 6, 1)
    exc = _caught(new_actual_row, targets, target_id="1", period="2025", value=-2.5, recorded_on=day)
    assert exc.code == "targets.bad_value"
    text = describe(exc)
    _vietnamese(text)
    assert text.startswith("giá trị -2,5 của mục tiêu 1 không hợp lệ; hãy nhập một số từ 0 trở lên (đơn vị: ")
    assert describe(exc, "en").startswith("value -2.5 for target 1 must be a number ≥ 0 in ")
    exc = _caught(new_actual_row, targets, target_id="99", period="2025", value=1.0, recorded_on=day)
    assert exc.code == "targets.unknown" and describe(exc).startswith("không có mục tiêu '99'; hãy chọn một trong")
    exc = _caught(parse_period, "2026-2021")
    assert describe(exc) == "kỳ báo cáo '2026-2021' kết thúc trước khi bắt đầu; hãy viết 2021-2026"
    exc = _caught(
        new_disbursement_row,
        tables["funding_lines"],
        tables["project_costs"],
        line_id="province_ccn_roads",
        period="2024",
        amount_bn_vnd=-1.5,
        recorded_on=day,
    )
    assert describe(exc) == "số tiền -1,5 không hợp lệ; hãy nhập một số từ 0 trở lên, tính bằng tỷ đồng"
    exc = _caught(build_report, "2025", fmt="pdf")
    assert exc.code == "report.bad_format"
    assert describe(exc) == "không có định dạng báo cáo 'pdf'; hãy chọn docx hoặc xlsx"


def test_materials_and_boundaries_inputs() -> None:
    from analysis.materials import species_key
    from layers.boundaries import match_boundaries

    exc = _caught(species_key, "  ")
    assert exc.code == "materials.no_species"
    assert describe(exc) == "có lô rừng chưa ghi loài cây; hãy ghi loài cây (ví dụ Quế, Mỡ, Bồ Đề) cho mọi lô"
    units = gpd.GeoDataFrame({"ma_xa": ["02947"], "ten_xa": ["Phố Ràng"]}, geometry=[None], crs=9208)
    points = gpd.GeoDataFrame({"ma": ["02947"]}, geometry=[shapely.Point(470_000, 2_455_000)], crs=9208)
    exc = _caught(match_boundaries, units, points, source="`xa.geojson`", quality="digitised")
    assert exc.code == "boundaries.no_polygons"
    text = describe(exc)
    _vietnamese(text)
    assert text.startswith("`xa.geojson` không có vùng (đa giác) nào")


def test_supply_notes_in_the_language_of_the_page() -> None:
    from analysis.materials import supply_area

    here = 470_000.0, 2_455_000.0
    plant = gpd.GeoDataFrame(geometry=[shapely.Point(*here)], crs=9208)
    road = gpd.GeoDataFrame(
        geometry=[shapely.LineString([(here[0] + 2_500, here[1]), (here[0] + 2_500, here[1] + 5_000)])], crs=9208
    )
    stands = gpd.GeoDataFrame(
        {"species": ["Quế"]},
        geometry=[shapely.box(here[0] + 100, here[1] + 100, here[0] + 200, here[1] + 200)],
        crs=9208,
    )
    result = supply_area(plant, stands, distance_km=2, roads=road, cell_m=50)
    by_code = {getattr(n, "code", None): n for n in result.notes}
    assert set(by_code) == {"supply.road_method", "supply.far_from_road"}
    far = by_code["supply.far_from_road"]
    assert str(far) == "the plant is 2.5 km from the nearest road, beyond the distance"  # JSON and the CLI
    assert describe(far) == (
        "nhà máy cách đường gần nhất 2,5 km, xa hơn khoảng cách đã chọn, nên không có lô rừng nào được tính"
    )
    _vietnamese(describe(by_code["supply.road_method"]))
    assert "ô 50 m" in describe(by_code["supply.road_method"])


def test_a_reads_notices_are_said_in_both_languages(tmp_path: Path) -> None:
    """Repaired, empty and repeated features of a real read, in the words of the page's language."""
    bowtie = shapely.Polygon([(104.0, 22.0), (104.01, 22.01), (104.01, 22.0), (104.0, 22.01)])
    frame = gpd.GeoDataFrame(
        {"id": ["a", "a", "b"]}, geometry=[bowtie, shapely.Point(104.0, 22.0), None], crs="EPSG:4326"
    )
    path = tmp_path / "diem.geojson"
    frame.to_file(path, driver="GeoJSON")
    _, report = read_vector(path)
    vi = [describe(w, "vi") for w in report.warnings]
    en = [describe(w, "en") for w in report.warnings]
    assert any("đã sửa 1 hình học không hợp lệ (đối tượng 1)" in w for w in vi), vi
    assert any("1 đối tượng không có hình học (đối tượng 3)" in w for w in vi), vi
    assert any("trường id có mã lặp lại: a" in w for w in vi), vi
    assert all(w.startswith("`diem.geojson`") for w in vi + en)
    assert any("repaired (features 1)" in w for w in en) and any("repeats the id(s) a" in w for w in en)


def test_geometries_that_cannot_be_read_are_said_in_vietnamese(tmp_path: Path) -> None:
    from tests.geo.test_io_corpus import unclosed_rings

    _, report = read_vector(unclosed_rings(tmp_path))
    (note,) = report.errors
    assert note.code == "read.unreadable_geometry"  # type: ignore[attr-defined]
    assert note.params["count"] == 2 and note.params["rows"] == [2, 3]  # type: ignore[attr-defined]
    text = describe(note)
    _no_english(text, "feature", "cannot", "ring", "not closed", "correct")
    assert text == (
        "`unclosed.geojson`: không đọc được hình học của 2 đối tượng (một vòng của đa giác không khép kín: điểm cuối "
        "phải trùng với điểm đầu) (đối tượng 2, 3); hãy sửa các đối tượng này bằng phần mềm GIS rồi xuất lại tệp"
    )
    assert describe(note, "en") == str(note)  # the English template is the library's own text


def test_geometry_types_and_the_values_of_a_file_without_crs_in_vietnamese(tmp_path: Path) -> None:
    from tests.geo.test_io_corpus import LAT0, LON0, shapefile_zip

    mixed = tmp_path / "hon_hop.geojson"
    gpd.GeoDataFrame(
        geometry=[shapely.Point(LON0, LAT0), shapely.LineString([(LON0, LAT0), (LON0 + 0.01, LAT0)])], crs=4326
    ).to_file(mixed, driver="GeoJSON")
    _, report = read_vector(mixed)
    (note,) = [w for w in report.warnings if getattr(w, "code", None) == "read.mixed_types"]
    text = describe(note)
    _no_english(text, "Point", "LineString", "mixes")
    assert "(1 đối tượng kiểu điểm; 1 đối tượng kiểu đường)" in text

    exc = _caught(read_vector, shapefile_zip(tmp_path, drop=("prj",)))
    assert isinstance(exc, MissingCRSError) and getattr(exc.reason, "code", None) == "crs.guess_tm"
    reason = describe(exc.reason)  # what the data page says beside its guess
    _no_english(reason, "fit", "metres", "would")
    assert reason == (
        "các giá trị x 473.000…478.000, y 2.460.000…2.461.000 khớp với VN-2000 / TM-3 104°45′ trên địa bàn Lào Cai "
        "(mét); EPSG:3405 (VN-2000 / UTM 48N) cũng khớp, khi đó dữ liệu nằm lệch về phía tây khoảng 26 km"
    )
    assert str(exc.reason).startswith("x 473,000…478,000, y 2,460,000…2,461,000 fit VN-2000 / TM-3")


def test_numbers_two_readings_fit_are_said_in_vietnamese(tmp_path: Path) -> None:
    from layers.importer import prepare_import

    p = tmp_path / "xa.csv"
    p.write_text('X,Y,ma_xa,centre_lon\n2460000,473000,02947,"2.150"\n2461000,474000,02950,"3.400"\n')
    preview = prepare_import(p, "communes_legacy")
    (note,) = [w for w in preview.warnings if getattr(w, "code", None) == "schema.ambiguous"]
    assert [r.params["reading"] for r in note.params["rows"]] == [2150.0, 3400.0]  # type: ignore[attr-defined]
    text = describe(note)
    _no_english(text, "field", "row", "read with", "thousands", "check")
    # the reading is written without grouping: "2.150" read as 2150 (never "2.150" again)
    assert text.startswith(
        "`xa.csv`: trường centre_lon: dòng 1 «2.150» được đọc là 2150; dòng 2 «3.400» được đọc là 3400 — đã đọc ',' "
        "là dấu thập phân và '.' là dấu phân cách hàng nghìn vì không có giá trị nào khác trong cột"
    )
    assert str(note).startswith("`xa.csv`: field centre_lon: row 1 '2.150' as 2150, row 2 '3.400' as 3400 — read")


def test_what_an_export_cut_or_changed_is_said_in_vietnamese(tmp_path: Path) -> None:
    from layers.export import export_frame
    from tests.geo.test_io_corpus import sample_frame

    frame = sample_frame(12).assign(ghi_chu_rat_dai=["Ghi chú về vùng nguyên liệu. " * 20] * 12)
    result = export_frame(frame, "shp", tmp_path / "lo.zip", layer_name="lo")
    by_code = {getattr(w, "code", None): w for w in result.warnings}
    cut = describe(by_code["export.text_cut"])
    _no_english(cut, "field", "text value", "were cut", "features", "more")
    assert cut == (
        "trường ghi_chu_rat_dai: 12 giá trị chữ dài hơn mức tệp shapefile chứa được (254 byte) đã bị cắt (đối tượng "
        "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 và 2 đối tượng khác); hãy xuất dạng GeoPackage (gpkg) để giữ nguyên"
    )
    kept = describe(by_code["export.names_kept"])
    _vietnamese(kept)
    assert "(ghi_chu_rat_dai → ghi_chu_ra)" in kept and "lo.fieldnames.json" in kept
    kml = export_frame(frame.head(1), "kml", tmp_path / "lo.kml", layer_name="lo")
    assert [describe(w) for w in kml.warnings] == [
        "tệp KML luôn dùng EPSG:4326 (kinh độ, vĩ độ), nên không dùng hệ tọa độ EPSG:9208 đã chọn"
    ]


def test_values_that_do_not_convert_are_said_in_both_languages() -> None:
    from geo.validate import RowFailure, SchemaCheck

    check = SchemaCheck(
        mapping={},
        missing_optional=(),
        unmapped=(),
        failures=(
            RowFailure(4, "area_ha", "hai", "a number"),
            RowFailure(5, "status", "x", "one of vacant, allocated"),
        ),
        rows_without_required=((7, "name"),),
        missing_required=("lot_no",),
    )
    vi = [describe(e, "vi") for e in check.errors()]
    assert vi == [
        "các trường bắt buộc lot_no chưa có cột nguồn; hãy chọn cột của tệp cho các trường này",
        "dòng 4: area_ha = «hai» không phải một số; hãy sửa giá trị trong tệp hoặc chọn cột khác",
        "dòng 5: status = «x» không phải một trong vacant, allocated; hãy sửa giá trị trong tệp hoặc chọn cột khác",
        "thiếu giá trị bắt buộc ở dòng 7 (name); hãy điền các ô này trong tệp",
    ]
    assert [describe(e, "en") for e in check.errors()][1] == "row 4: area_ha = 'hai' is not a number"


# --- (h) occupancy, overlay, store and reading errors of real failures, in both languages ----------------------


def _no_english(text: str, *words: str) -> None:
    """A Vietnamese message: composed (NFC, diacritics, no flag) and without the English words of its template."""
    _vietnamese(text)
    for word in words:
        assert word not in text, (word, text)


def _lots(*rows: tuple[object, object, shapely.Geometry], crs: int = 9208) -> gpd.GeoDataFrame:
    ids, statuses, shapes = zip(*rows, strict=True)
    return gpd.GeoDataFrame({"id": list(ids), "status": list(statuses)}, geometry=list(shapes), crs=crs)


def _cluster(**fields: list[object]) -> gpd.GeoDataFrame:
    n = len(next(iter(fields.values()))) if fields else 1
    shapes = [shapely.box(420_000 + 500 * i, 2_460_000, 420_400 + 500 * i, 2_460_400) for i in range(n)]
    return gpd.GeoDataFrame(dict(fields), geometry=shapes, crs=9208)


def test_occupancy_inputs_that_are_wrong() -> None:
    from analysis.occupancy import occupancy, parse_dates

    lot = shapely.box(420_010, 2_460_010, 420_050, 2_460_050)
    lots = _lots(("L1", "allocated", lot), ("L2", "đang đàm phán", lot), ("L3", None, lot))
    exc = _caught(occupancy, _cluster(), lots)
    assert exc.code == "occupancy.unknown_status" and exc.params["count"] == 2
    assert "L2 ('đang đàm phán')" in str(exc) and "L3 (empty)" in str(exc)  # the library's own text stays
    text = describe(exc)
    _no_english(text, "unknown", "allowed", "empty", "feature")
    assert text.startswith("2 lô có trạng thái không hợp lệ: L2 («đang đàm phán»); L3 (để trống); hãy ghi")
    assert "`đã cho thuê`" in text
    assert describe(exc, "en").startswith("unknown status in 2 feature(s): L2 ('đang đàm phán'); L3 (empty)")

    points = _lots(("L1", "allocated", lot), ("L2", "vacant", shapely.Point(420_100, 2_460_100)))
    exc = _caught(occupancy, _cluster(), points)
    assert exc.code == "occupancy.not_polygons"
    text = describe(exc)
    _no_english(text, "Point", "polygon")
    assert text.startswith("1 lô không phải là vùng (đa giác): L2 (là điểm); mỗi lô phải là một vùng")
    assert describe(exc, "en").startswith("1 lot(s) are not polygons: L2 (Point)")

    # features without an id are named by their row, in the message's language
    exc = _caught(parse_dates, gpd.pd.Series(["2023-05-31", "năm 2023"]))
    assert exc.code == "occupancy.bad_dates"
    text = describe(exc)
    _no_english(text, "row", "date")
    assert text.startswith("trường `leased_on` của 1 đối tượng không phải là ngày: dòng 2 («năm 2023»); hãy ghi")
    assert describe(exc, "en").startswith("`leased_on` is not a date in 1 feature(s): row 2 ('năm 2023')")

    exc = _caught(occupancy, _cluster(leasable_ha=[12.5, 14.0]), _lots(("L1", "vacant", lot)))
    assert exc.code == "occupancy.leasable_differs" and exc.params["values"] == [12.5, 14.0]
    assert describe(exc) == (
        "các phần của cụm ghi diện tích đất cho thuê (leasable_ha) khác nhau (12,5, 14 ha); hãy giữ một giá trị"
    )
    assert describe(exc, "en") == "the cluster's parts give different leasable_ha (12.5, 14 ha); keep one value"
    assert "--leasable-ha" in (_cli_hints().cli_hint(exc) or "")
    assert "«Đất công nghiệp cho thuê (ha)»" in (page_hint(exc) or "")

    exc = _caught(occupancy, _cluster(), _lots(("L1", "vacant", lot)), target_pct=120.5)
    assert exc.code == "occupancy.bad_target"
    assert describe(exc).endswith("không quá 100 %, không phải 120,5")
    exc = _caught(occupancy, _cluster(), _lots(("L1", "vacant", lot)).drop(columns="status"))
    assert exc.code == "occupancy.no_status_field"
    _no_english(describe(exc), "field", "status:")


def test_overlay_inputs_that_are_wrong() -> None:
    from analysis.overlay import merge_results, overlay_by_unit

    zones = gpd.GeoDataFrame({"sp": ["Quế"]}, geometry=[shapely.box(0, 0, 300, 100)], crs=9208)
    units = gpd.GeoDataFrame(
        {"ma": [f"{i:02d}" for i in range(12)]},
        geometry=[shapely.box(25 * i, 0, 25 * i + 25, 100) for i in range(12)],
        crs=9208,
    )
    exc = _caught(overlay_by_unit, zones, units, zone_field="kind", unit_field="ma")
    assert exc.code == "overlay.zones_no_field" and exc.params == {"field": "kind", "fields": ["sp"]}
    assert "--" not in str(exc)  # the flag is the command line's own hint
    text = describe(exc)
    _no_english(text, "field", "class")
    assert text == "các vùng không có trường 'kind' (các trường: sp); hãy chọn trường chứa phân loại của vùng"
    assert describe(exc, "en") == "the zones have no field 'kind' (fields: sp); choose the field that holds their class"
    assert _cli_hints().cli_hint(exc) == "chọn trường bằng --zone-field NAME"

    result = overlay_by_unit(zones, units, zone_field="sp", unit_field="ma")
    exc = _caught(merge_results, result, {})
    assert exc.code == "overlay.no_successor" and exc.params["more"] == 2
    text = describe(exc)
    _no_english(text, "successor unit", "more")
    assert "00, 01, 02" in text and "09 và 2 đơn vị khác; hãy bổ sung" in text


def test_store_writes_that_are_refused(tmp_path: Path) -> None:
    import pandas as pd

    store = create_store(tmp_path / "kho.gpkg")
    frame = gpd.GeoDataFrame({"ten": ["a"]}, geometry=[shapely.Point(420_000, 2_460_000)], crs=9208)
    exc = _caught(store.write_layer, "lots", frame.assign(TEN="b"), user="t")
    assert exc.code == "store.field_case_clash" and exc.params == {"layer": "lots", "fields": ["ten", "TEN"]}
    text = describe(exc)
    _no_english(text, "field", "case")
    assert text == "lớp 'lots' có hai trường tên chỉ khác nhau ở chữ hoa, chữ thường (ten, TEN); hãy đổi tên một trường"
    exc = _caught(store.write_layer, "lots", frame.rename(columns={"ten": "tên lô"}), user="t")
    assert exc.code == "store.bad_field_name" and exc.params["field"] == "tên lô"
    _no_english(describe(exc), "field", "cannot")
    store.write_table("ghi_chep", pd.DataFrame({"gia_tri": [1.0], "user": ["t"], "recorded_at": ["x"]}), user="t")
    exc = _caught(store.append_rows, "ghi_chep", pd.DataFrame({"gia_tri": [2.0], "ghi_chu": ["x"]}), user="t")
    assert exc.code == "store.unknown_columns" and exc.params["columns"] == ["ghi_chu"]
    text = describe(exc)
    _no_english(text, "column", "known")
    assert text.startswith("bảng 'ghi_chep' của kho dữ liệu không có cột ghi_chu (các cột của bảng: gia_tri")
    assert store.read_table("ghi_chep")["gia_tri"].tolist() == [1.0]  # nothing was written


def test_files_whose_layer_or_data_cannot_be_found(tmp_path: Path) -> None:
    import zipfile

    gpkg = tmp_path / "nhieu_lop.gpkg"
    for i in range(7):
        gpd.GeoDataFrame({"id": [i]}, geometry=[shapely.Point(420_000, 2_460_000)], crs=9208).to_file(
            gpkg, layer=f"lop_{i}"
        )
    exc = _caught(read_vector, gpkg, layer="khong_co")
    assert exc.code == "source.no_layer" and exc.params["layer"] == "khong_co"
    text = describe(exc)
    _no_english(text, "layer '", "more", "choose")
    assert text == (
        "`nhieu_lop.gpkg` không có lớp dữ liệu 'khong_co'; các lớp trong tệp: lop_0, lop_1, lop_2, lop_3, lop_4, "
        "… và 2 mục khác; hãy chọn một trong các lớp đó"
    )
    assert describe(exc, "en").endswith("lop_4, … and 2 more; choose one of them")
    assert _cli_hints().cli_hint(exc, command="import") == "chọn bằng --source-layer NAME"

    archive = tmp_path / "goi.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
        zf.writestr("ben_trong.zip", b"PK\x05\x06" + b"\x00" * 18)
    exc = _caught(read_vector, archive)
    assert exc.code == "archive.no_data"
    assert "(archive inside the archive)" in str(exc)
    text = describe(exc)
    _no_english(text, "archive", "found")
    assert "ben_trong.zip (tệp nén nằm trong tệp nén)" in text and "anh.png" in text
    assert text.startswith("`goi.zip` không chứa tệp dữ liệu nào đọc được (chỉ có ")

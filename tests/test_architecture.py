"""The one-way import rule: app.py, ui/, cli/ -> services/ -> reports/, layers/, analysis/ -> geo/.

The entry tier (app.py, ui/, cli/) writes only through the use cases of services/: no call of a store's write
methods or of the import/build helpers below it.

One exception: analysis/ may import the purely declarative layers.model and layers.catalogue (tables, no I/O),
so that it reads the catalogue's vocabularies instead of copying them; nothing else of layers/, and layers/
never imports analysis/. Also: only app.py and ui/ import streamlit; analysis/ does no I/O and draws nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROJECT = ("geo", "layers", "analysis", "services", "ui", "reports", "cli", "app")

#: what each room may import from the project
ALLOWED: dict[str, set[str]] = {
    "geo": {"geo"},
    "layers": {"geo", "layers"},
    "analysis": {"geo", "analysis"},
    "reports": {"geo", "layers", "analysis", "reports"},
    "services": {"geo", "layers", "analysis", "reports", "services"},
    "ui": {"geo", "layers", "analysis", "services", "ui"},
    "cli": {"geo", "layers", "analysis", "services", "cli"},
    "app": {"geo", "layers", "analysis", "services", "ui", "app"},
}
#: modules of a room not in ALLOWED that a room may still import (they and what they define)
ALLOWED_MODULES: dict[str, set[str]] = {
    "analysis": {"layers.model", "layers.catalogue"},
}
STREAMLIT_OK = {"ui", "app"}
#: third-party modules analysis/ must not touch: file I/O, drawing, web
ANALYSIS_FORBIDDEN = {
    "pyogrio",
    "fiona",
    "folium",
    "streamlit",
    "streamlit_folium",
    "matplotlib",
    "docx",
    "openpyxl",
    "sqlite3",
    "requests",
}


def modules() -> list[tuple[str, Path]]:
    out = [("app", REPO / "app.py")]
    for room in ("geo", "layers", "analysis", "services", "ui", "cli", "reports"):
        out += [(room, p) for p in sorted((REPO / room).rglob("*.py"))]
    return [(room, p) for room, p in out if p.exists()]


def imported_paths(path: Path) -> set[str]:
    """Dotted paths of what a file imports: ``import a.b`` -> a.b, ``from a.b import c`` -> a.b.c."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # the imported name may be a submodule (from layers import store), so it is part of the path
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imported(path: Path) -> set[str]:
    """Top-level packages a file imports."""
    return {name.split(".")[0] for name in imported_paths(path)}


def wrong_imports(room: str, path: Path) -> set[str]:
    """What ``path`` (a module of ``room``) imports from the project against the rule."""
    extra = ALLOWED_MODULES.get(room, set())
    return {
        name
        for name in imported_paths(path)
        if name.split(".")[0] in PROJECT
        and name.split(".")[0] not in ALLOWED[room]
        and not any(name == m or name.startswith(f"{m}.") for m in extra)
    }


@pytest.mark.parametrize("room, path", modules(), ids=lambda v: str(v.relative_to(REPO)) if isinstance(v, Path) else v)
def test_imports_flow_one_way(room: str, path: Path) -> None:
    names = imported(path)
    wrong = wrong_imports(room, path)
    assert not wrong, f"{path.relative_to(REPO)} ({room}) must not import {sorted(wrong)}"
    if room not in STREAMLIT_OK:
        assert not names & {"streamlit", "streamlit_folium"}, f"{path.relative_to(REPO)} imports streamlit"
    if room == "analysis":
        bad = names & ANALYSIS_FORBIDDEN
        assert not bad, f"{path.relative_to(REPO)}: analysis is pure, but imports {sorted(bad)}"


def test_analysis_opens_no_files() -> None:
    for path in (REPO / "analysis").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
                assert name not in {
                    "open",
                    "read_file",
                    "to_file",
                    "read_dataframe",
                    "write_dataframe",
                    "read_csv",
                    "to_csv",
                    "read_parquet",
                    "to_parquet",
                }, f"{path.relative_to(REPO)}:{node.lineno} does I/O ({name}); analyses are pure functions"


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from ui.common import store\nimport streamlit as st\n")
    assert {"ui", "streamlit"} <= imported(bad)
    assert wrong_imports("analysis", bad) == {"ui.common.store"}


@pytest.mark.parametrize(
    "line, wrong",
    [
        ("from layers.store import open_store", {"layers.store.open_store"}),
        ("import layers.store", {"layers.store"}),
        ("from layers import store", {"layers.store"}),
        ("import layers", {"layers"}),
        ("from layers.catalogue_extra import X", {"layers.catalogue_extra.X"}),
        ("def f():\n    from layers.plan_data import load_tables", {"layers.plan_data.load_tables"}),
        ("from layers.catalogue import CATALOGUE, SPECIES_LABELS", set()),
        ("from layers import catalogue, model", set()),
        ("import layers.model as model", set()),
        ("from layers.model import FieldDef", set()),
    ],
)
def test_analysis_imports_only_the_declarative_layers(tmp_path: Path, line: str, wrong: set[str]) -> None:
    module = tmp_path / "mod.py"
    module.write_text(line + "\n")
    assert wrong_imports("analysis", module) == wrong


@pytest.mark.parametrize("module", sorted(ALLOWED_MODULES["analysis"]))
def test_what_analysis_may_import_stays_declarative(module: str) -> None:
    # analysis may import these only because they are tables: through them it must not reach the store or files
    path = REPO.joinpath(*module.split(".")).with_suffix(".py")
    assert wrong_imports("analysis", path) == set(), f"{module} must import nothing of layers/ but model, catalogue"
    assert not imported(path) & ANALYSIS_FORBIDDEN, f"{module} must do no I/O: analysis imports it"


def test_layers_still_must_not_import_analysis(tmp_path: Path) -> None:
    module = tmp_path / "mod.py"
    module.write_text("from analysis.targets import Measure\nfrom layers.model import FieldDef\n")
    assert wrong_imports("layers", module) == {"analysis.targets.Measure"}


#: what writes below the use cases: the store's write methods, and the import/build helpers that call them
WRITE_CALLS = {
    "write_layer",
    "write_layers",
    "write_table",
    "append_rows",
    "restore",
    "set_meta",
    "commit_import",
    "import_file",
    "build_store",
    "init_store",
    "sync_store",
    "ensure_store",
    "create_store",
    # the account records (users, grants, sessions) are written only by services/accounts.py
    "accounts",
    "_account_sql",
    # who acts is decided by a sign-in or a session (services/accounts.py), never made up by a page or command
    "Actor",
}
ENTRY_ROOMS = ("app", "ui", "cli")


def direct_writes(path: Path) -> list[str]:
    """``name:line`` of every call in ``path`` of a function or method that writes the store directly."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
            if name in WRITE_CALLS:
                found.append(f"{name}:{node.lineno}")
    return found


@pytest.mark.parametrize(
    "room, path",
    [(room, path) for room, path in modules() if room in ENTRY_ROOMS],
    ids=lambda v: str(v.relative_to(REPO)) if isinstance(v, Path) else v,
)
def test_the_entry_tier_writes_only_through_the_use_cases(room: str, path: Path) -> None:
    calls = direct_writes(path)
    assert not calls, f"{path.relative_to(REPO)} writes the store directly ({calls}); call a use case of services/"


def test_the_write_rule_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "page.py"
    bad.write_text(
        "def save(store, frame):\n    store.write_layer('x', frame, user='u')\n    store.restore('x', 1)\n"
        "    me = Actor('admin', via='password')\n    store.accounts().update_user('admin', role='admin')\n"
    )
    assert direct_writes(bad) == ["write_layer:2", "restore:3", "Actor:4", "accounts:5"]


def test_there_is_one_use_case_tier() -> None:
    # every module of the entry tier that changes data imports services/ (the CLI registry and options do not)
    writers = {"ui/data_page.py", "ui/cluster_forms.py", "ui/targets_page.py", "cli/io_cmds.py", "cli/store_cmds.py"}
    for rel in sorted(writers):
        assert "services" in imported(REPO / rel), f"{rel} changes data and must do it through services/"

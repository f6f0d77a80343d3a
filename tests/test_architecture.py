"""The one-way import rule: app.py, ui/, cli.py, reports/ -> layers/, analysis/ -> geo/.

Also: only app.py and ui/ import streamlit; analysis/ does no I/O and draws nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROJECT = ("geo", "layers", "analysis", "ui", "reports", "cli", "app")

#: what each room may import from the project
ALLOWED: dict[str, set[str]] = {
    "geo": {"geo"},
    "layers": {"geo", "layers"},
    "analysis": {"geo", "analysis"},
    "reports": {"geo", "layers", "analysis", "reports"},
    "ui": {"geo", "layers", "analysis", "reports", "ui"},
    "cli": {"geo", "layers", "analysis", "reports", "cli"},
    "app": {"geo", "layers", "analysis", "reports", "ui", "app"},
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
    out = [("app", REPO / "app.py"), ("cli", REPO / "cli.py")]
    for room in ("geo", "layers", "analysis", "ui", "reports"):
        out += [(room, p) for p in sorted((REPO / room).rglob("*.py"))]
    return [(room, p) for room, p in out if p.exists()]


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("room, path", modules(), ids=lambda v: str(v.relative_to(REPO)) if isinstance(v, Path) else v)
def test_imports_flow_one_way(room: str, path: Path) -> None:
    names = imported(path)
    wrong = {n for n in names if n in PROJECT} - ALLOWED[room]
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

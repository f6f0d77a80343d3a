"""The benchmarks of issue 15 run end to end at a tiny size, so they cannot rot (nothing here is timed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
VERDICT = re.compile(r"target[^:\n]*: (met|NOT met)$", re.MULTILINE)


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    return done.stdout


def _skips_or_figures(out: str, tool: str, figure: str) -> None:
    """A baseline tool either gave its figure or was skipped with a line saying so, never both, never neither."""
    skipped = f"skip: {tool} is not installed" in out or (tool == "DuckDB" and "skip: DuckDB" in out)
    assert skipped != (figure in out), out


def test_bench_import_at_a_tiny_size() -> None:
    out = _run("bench_import.py", "--features", "150", "--runs", "1")
    assert "baoyen import " in out and "(150 features stored)" in out
    assert "pyogrio.read_dataframe(use_arrow=True )" in out and "geopandas read_file + to_file script" in out
    _skips_or_figures(out, "ogr2ogr", "ogr2ogr -f GPKG")
    assert re.search(r"peak RSS \d", out)
    verdicts = VERDICT.findall(out)
    assert len(verdicts) == (2 if "ogr2ogr -f GPKG" in out else 1), out


def test_bench_overlay_at_a_tiny_size() -> None:
    out = _run("bench_overlay.py", "--scale", "0.002", "--runs", "1")
    for case in ("(a) ", "(b) ", "(c) "):
        assert case in out
    assert "baoyen overlay --csv" in out and "geopandas script (overlay, then dissolve)" in out
    _skips_or_figures(out, "DuckDB", "DuckDB spatial (the same in SQL)")
    assert "whole process against the geopandas script" in out
    assert "largest difference" in out
    assert len(VERDICT.findall(out)) == 4, out


@pytest.mark.parametrize("lots", [300])
def test_bench_occupancy_at_a_tiny_size(lots: int) -> None:
    out = _run("bench_occupancy.py", "--lots", str(lots), "--runs", "1")
    assert out.count("whole process, baoyen occupancy") == 2 and "lots turned 30°" in out
    assert "occupied area, measure − geopandas: 0.0000 m²" in out
    assert len(VERDICT.findall(out)) == 2, out

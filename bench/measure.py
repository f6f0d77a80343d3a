"""What the benchmarks share: whole-process runs with their peak memory, medians, verdicts, missing tools.

A whole process is timed from its start to its exit, and its peak resident memory is GNU time's "Maximum resident
set size" of that one process (or, without GNU time, the kernel's high-water mark ``VmHWM`` read until it exits).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: the repository this benchmark belongs to: its code is measured, not an installed copy of it (an editable
#: install may point at another checkout), in this process and in every process it starts
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a measured process: this one's, with the repository first on the import path."""
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    return env


@dataclass(frozen=True)
class Run:
    """One finished process."""

    seconds: float
    peak_mib: float
    returncode: int
    stdout: str
    stderr: str


#: GNU time, which reads the peak RSS of the very process it starts (a child forked from this interpreter would
#: count this interpreter's memory until its exec)
GNU_TIME = "/usr/bin/time"


def run_process(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: str | Path | None = None) -> Run:
    """Run ``cmd`` to its end; its wall time and its peak RSS (MiB). Raises when it fails.

    The peak comes from GNU time (``%M``) when it is installed, else from the kernel's high-water mark of the
    process (``VmHWM``), read until it exits.
    """
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        out_path, err_path, rss_path = (Path(tmp) / n for n in ("out", "err", "rss"))
        gnu = Path(GNU_TIME).is_file()
        argv = [GNU_TIME, "-q", "-f", "%M", "-o", str(rss_path), *cmd] if gnu else list(cmd)
        with out_path.open("wb") as out, err_path.open("wb") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=out, stderr=err, env=child_env() if env is None else env, cwd=cwd)
            hwm_kib = 0
            while proc.poll() is None:
                if not gnu:
                    hwm_kib = max(hwm_kib, _vm_hwm_kib(proc.pid))
                time.sleep(0.005)
            seconds = time.perf_counter() - t0
        if gnu:
            lines = [ln for ln in rss_path.read_text().splitlines() if ln.strip().isdigit()]
            hwm_kib = int(lines[-1]) if lines else 0
        run = Run(
            seconds,
            hwm_kib / 1024,
            int(proc.returncode),
            out_path.read_bytes().decode(errors="replace"),
            err_path.read_bytes().decode(errors="replace"),
        )
    if run.returncode != 0:
        shown = " ".join(map(str, cmd))
        raise SystemExit(f"{shown} failed ({run.returncode}):\n{run.stderr[-2000:]}{run.stdout[-2000:]}")
    return run


def _vm_hwm_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


@dataclass(frozen=True)
class Timing:
    """Several runs of the same thing."""

    seconds: list[float]
    peak_mib: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        """The median peak RSS (MiB); 0 for in-process timings."""
        return statistics.median(self.peak_mib) if self.peak_mib else 0.0

    def text(self) -> str:
        runs = ", ".join(f"{s:.2f}" for s in self.seconds)
        mem = f", peak RSS {self.peak:,.0f} MiB" if self.peak_mib else ""
        return f"median {self.median:6.2f} s of {len(self.seconds)} ({runs}){mem}"


def processes(make_cmd: Callable[[int], Sequence[str]], runs: int, **kw: Any) -> Timing:
    """``runs`` whole processes (``make_cmd(i)`` gives the i-th command line)."""
    done = [run_process(make_cmd(i), **kw) for i in range(runs)]
    return Timing([r.seconds for r in done], [r.peak_mib for r in done])


def in_process(func: Callable[[], object], runs: int) -> tuple[Timing, object]:
    """``runs`` calls of ``func`` in this process; the timing and the last result."""
    times, value = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - t0)
    return Timing(times, []), value


def verdict(ok: bool) -> str:
    """How a target is printed."""
    return "met" if ok else "NOT met"


def tool(name: str) -> str | None:
    """The path of a command-line tool, or None (after printing a skip line) when it is not installed."""
    found = shutil.which(name)
    if found is None:
        print(f"  skip: {name} is not installed here, so no figure is given for it")
    return found


def baoyen_command() -> list[str]:
    """The ``baoyen`` command of the environment this runs in (its console script, else ``python -m cli``)."""
    script = Path(sys.executable).with_name("baoyen")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cli"]


def bytecode_note() -> str:
    """Whether this environment's packages carry compiled bytecode (a cold start recompiles them otherwise)."""
    import pandas

    compiled = any(Path(pandas.__file__).parent.joinpath("__pycache__").glob("*.pyc"))
    writes = not sys.dont_write_bytecode
    return (
        f"bytecode of installed packages: {'compiled' if compiled else 'not compiled'}"
        f"{'' if writes else ' (PYTHONDONTWRITEBYTECODE is set: nothing is compiled at run time)'}"
    )

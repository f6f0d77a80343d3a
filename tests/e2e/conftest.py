"""End-to-end fixtures: the app started as the README starts it, on a free port, and the system Chromium.

No browser is downloaded: Playwright drives Debian's ``chromium`` (/usr/bin/chromium, installed by .ci/run).
Every request the page makes is recorded so tests can prove that nothing left the machine.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = Path(os.environ.get("BAOYEN_CHROMIUM", "/usr/bin/chromium"))
#: flags for a root, headless, offline Chromium: without the background-networking ones it phones Google at start
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], *, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout_s} s")


@dataclass
class App:
    """A running app: its URL, process, and when the process was started (time.monotonic())."""

    url: str
    proc: subprocess.Popen[bytes]
    started: float
    store: Path | str
    log: Path


def start_app(store: Path | str, log: Path, *, env: dict[str, str] | None = None) -> App:
    """``streamlit run app.py --server.port PORT --server.address 127.0.0.1 --server.headless true`` (as ``make run``)
    with BAOYEN_STORE=store (a GeoPackage path or a PostGIS URL)."""
    port = free_port()
    env = {**os.environ, "BAOYEN_STORE": str(store), **(env or {})}
    streamlit = Path(sys.executable).with_name("streamlit")
    cmd = [str(streamlit), "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"]
    cmd += ["--server.headless", "true"]
    started = time.monotonic()
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except Exception:
        proc.terminate()
        proc.wait(10)
        raise
    return App(url, proc, started, store, log)


def stop_app(app: App) -> None:
    app.proc.terminate()
    try:
        app.proc.wait(15)
    except subprocess.TimeoutExpired:
        app.proc.kill()
        app.proc.wait(5)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.is_file():
        pytest.skip(f"system Chromium not found at {CHROMIUM} (apt-get install -y chromium; .ci/run does this)")
    return CHROMIUM


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from data/ once for the e2e session (the app would build it too, on first use)."""
    from layers.build import ensure_store
    from layers.settings import Settings

    path = tmp_path_factory.mktemp("e2e-store") / "baoyen.gpkg"
    ensure_store(Settings.from_env(store=path))
    return path


@pytest.fixture(scope="session")
def app(built_store: Path, chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    from ui import assets

    assets.check()  # fails with the fix (`make assets`) when static/vendor is not installed
    running = start_app(built_store, tmp_path_factory.mktemp("e2e-log") / "streamlit.log")
    yield running
    stop_app(running)


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Page:
    """A browser page on the app, with every request it made."""

    page: object
    requests: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture
def page(browser: object, app: App) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 1050}, locale="vi-VN")  # type: ignore[attr-defined]
    pg = context.new_page()
    recorded = Page(pg)
    pg.on("request", lambda req: recorded.requests.append(req.url))
    pg.on("websocket", lambda ws: recorded.requests.append(ws.url))
    yield recorded
    context.close()


def sign_in(page: Page, app: App, name: str = "admin", password: str | None = None) -> None:
    """Sign in with the sidebar's form, as a planner does (Vietnamese labels); the session cookie then carries the
    sign-in to every page of this browser context (and to other app processes on the same host)."""
    from tests.conftest import password_of

    pg = page.page
    pg.goto(app.url, wait_until="domcontentloaded")  # type: ignore[attr-defined]
    side = pg.locator('[data-testid="stSidebar"]')  # type: ignore[attr-defined]
    side.get_by_label("Tên người dùng").fill(name)
    side.get_by_label("Mật khẩu", exact=True).fill(password or password_of(name))
    side.get_by_role("button", name="Đăng nhập").click()
    side.get_by_text("Đã đăng nhập").wait_for(timeout=30_000)
    wait_session_cookie(pg)


def wait_session_cookie(pg: object, *, timeout_s: float = 30) -> None:
    """Wait until the browser holds the session cookie, which a small frame of the page sets after the sign-in has
    shown: a page opened before it (``goto``, a new tab) would find nobody signed in."""
    from ui.common import SESSION_COOKIE

    context = pg.context  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout_s
    while not any(c["name"] == SESSION_COOKIE and c["value"] for c in context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {SESSION_COOKIE} cookie {timeout_s:.0f} s after the sign-in showed")
        pg.wait_for_timeout(100)  # type: ignore[attr-defined]


def save_screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.page.screenshot(path=str(path), full_page=False)  # type: ignore[attr-defined]
    return path


IDLE_JS = (
    "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'"
)


def wait_idle(pg: object, *, timeout_ms: float = 90_000) -> None:
    """Wait until the page's script run has ended (Streamlit's own ``data-test-script-state`` on the app root).

    A planner clicks a page that has finished drawing; a click made while a run is still drawing the page races it.
    """
    pg.wait_for_function(IDLE_JS, timeout=timeout_ms)  # type: ignore[attr-defined]


def page_messages(pg: object) -> list[str]:
    """The texts of the page's visible messages (success, info, warning, error, exception), for failure reports."""
    sel = '[data-testid="stAlert"], [data-testid="stException"]'
    return [t.strip()[:300] for t in pg.locator(sel).all_inner_texts()]  # type: ignore[attr-defined]


def click_and_wait_saved(
    page: Page, button: object, message: re.Pattern[str], *, moved: Callable[[], bool], app: App, shot: str
) -> None:
    """Once the page has finished its run, click a save button and wait (90 s, a loaded two-core machine) for the
    page's saved message.

    When it does not come, the failure says whether the store moved (the save happened but its message was not
    shown, or the click never reached the app), with the page's messages, a screenshot and the end of the app's log.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wait_idle(page.page)
    button.click()  # type: ignore[attr-defined]
    try:
        page.page.get_by_text(message).wait_for(timeout=90_000)  # type: ignore[attr-defined]
    except PlaywrightTimeout:
        path = save_screenshot(page, shot)
        log = app.log.read_text(encoding="utf-8", errors="replace")[-2000:]
        where = "the store moved: the message was lost" if moved() else "the store did not move: the click was lost"
        shown = page_messages(page.page)
        text = f"no {message.pattern!r} after 90 s; {where}; the page shows {shown}; screenshot {path}; app log:\n{log}"
        raise AssertionError(text) from None


def map_frame(pg: object, *, timeout_ms: float = 60_000) -> object:
    """The content frame of the page's one folium map, once the map being replaced (a rerun that makes a new map
    mounts it before the old one leaves) has gone."""
    count = f"document.querySelectorAll('{MAP_FRAME}').length === 1"
    pg.wait_for_function(f"() => {count}", timeout=timeout_ms)  # type: ignore[attr-defined]
    return pg.locator(MAP_FRAME).element_handle().content_frame()  # type: ignore[attr-defined]

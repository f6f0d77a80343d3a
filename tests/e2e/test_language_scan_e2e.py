"""Every page in Chromium, in Vietnamese and then in English: no word of the other language (issue 11, §5).

What a planner sees is read from the browser: the main area, the sidebar and every frame's text (the folium
maps: their controls, legends, attribution). The word lists are the app's own labels (tests/ui/language.py);
text in ``code`` is a code (a field name, a status as files write it), not a word. The scan opens the sample
store first (the sidebar's button) so that the pages show lots, statuses, stands and recorded figures.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from layers.store import open_store
from tests.e2e.conftest import REPO, App, Page, save_screenshot, sign_in
from tests.ui import language
from tests.ui.test_language_scan import KNOWN_ELSEWHERE

pytestmark = pytest.mark.e2e

#: the text a planner reads in a root (document or frame), without code elements
#: Streamlit's own uploader texts: the page's CSS shows ours over them (ui.common.widget_texts, checked below),
#: their words stay English in the page
UNTRANSLATABLE = (
    '[data-testid="stFileUploaderDropzoneInstructions"], [data-testid="stFileUploaderDropzone"] button, '
    '[data-testid="stFileUploaderDropzone"] [data-testid="stIconMaterial"]'
)
TEXT_JS = """(selector) => {
  const parts = [];
  const roots = selector ? document.querySelectorAll(selector) : [document.body];
  roots.forEach(root => {
    if (!root) { return; }
    const copy = root.cloneNode(true);
    copy.querySelectorAll("code, script, style").forEach(c => c.remove());
    // Streamlit's own uploader text ("Drag and drop…", "200MB per file", "Browse files") cannot be translated;
    // the page says it in the language beside the uploader (upload.caption)
    copy.querySelectorAll(UNTRANSLATABLE).forEach(c => c.remove());
    document.body.appendChild(copy);
    copy.style.position = "absolute"; copy.style.left = "-99999px";
    parts.push(copy.innerText);
    copy.remove();
  });
  return parts.join("\\n");
}""".replace("UNTRANSLATABLE", repr(UNTRANSLATABLE))
MAIN = '[data-testid="stMain"], [data-testid="stSidebar"]'
RUNNING = '.stApp[data-test-script-state="running"], [data-testid="stStatusWidgetRunningIcon"]'


def pages() -> list[tuple[str, str, str]]:
    """app.PAGES, read from app.py's source (importing app.py would run the Streamlit script)."""
    tree = ast.parse((REPO / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "PAGES":
            return [tuple(item) for item in ast.literal_eval(node.value)]  # type: ignore[arg-type]
    raise AssertionError("app.py has no PAGES")


def settle(page: Page) -> None:
    pg = page.page
    pg.wait_for_timeout(600)  # type: ignore[attr-defined]
    pg.wait_for_function(f"() => !document.querySelector('{RUNNING}')", timeout=90_000)  # type: ignore[attr-defined]
    pg.wait_for_timeout(900)  # type: ignore[attr-defined]


def visible_text(page: Page) -> str:
    pg = page.page
    texts = [pg.evaluate(TEXT_JS, MAIN)]  # type: ignore[attr-defined]
    for frame in pg.frames[1:]:  # type: ignore[attr-defined]
        try:
            texts.append(frame.evaluate(TEXT_JS, None))
        except PlaywrightError:  # a frame that went away while it was read has no text to give
            continue
    return "\n".join(texts)


def scan_every_page(page: Page, lang: str, data: frozenset[str]) -> dict[str, dict[str, str]]:
    pg = page.page
    found: dict[str, dict[str, str]] = {}
    links = pg.locator('[data-testid="stSidebarNav"] a')  # type: ignore[attr-defined]
    listed = pages()
    assert links.count() == len(listed)
    for i, (module, _label, _path) in enumerate(listed):
        links.nth(i).click()
        settle(page)
        if module == "clusters_page":  # the sample cluster: its lots, statuses, history and drawing forms
            pg.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').first.click()  # type: ignore[attr-defined]
            pg.get_by_role("option", name=re.compile("CCN MẪU")).click()  # type: ignore[attr-defined]
            settle(page)
            pg.get_by_text(re.compile("Tỷ lệ lấp đầy|Occupancy")).first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
        assert pg.locator('[data-testid="stException"]').count() == 0, module  # type: ignore[attr-defined]
        text = visible_text(page)
        assert len(text) > 300, f"{module}: too little text read ({text[:200]!r})"
        hits = {
            w: line
            for w, line in language.scan({module: text}, lang, data=data).get(module, {}).items()
            if (module, lang, w) not in KNOWN_ELSEWHERE
        }
        if hits:
            found[module] = hits
            save_screenshot(page, f"language_scan_{lang}_{module}.png")
    return found


def test_every_page_in_vietnamese_then_english_has_no_word_of_the_other_language(page: Page, app: App) -> None:
    pg = page.page
    sign_in(page, app)  # the forms that write show too
    side = pg.locator('[data-testid="stSidebar"]')  # type: ignore[attr-defined]
    side.get_by_role("button", name="Xem thử với dữ liệu mẫu").click()
    side.get_by_role("button", name="Quay lại dữ liệu thật").wait_for(timeout=120_000)
    settle(page)
    store = Path(str(app.store))
    data = language.store_words(open_store(store)) | language.store_words(
        open_store(store.with_name("baoyen-sample.gpkg"))
    )

    found_vi = scan_every_page(page, "vi", data)

    side.get_by_text("English", exact=True).click()
    settle(page)
    side.get_by_role("button", name="Back to the real data").wait_for(timeout=60_000)
    found_en = scan_every_page(page, "en", data)

    assert not found_vi and not found_en, (
        "words of the other language:\nvi pages:\n"
        + language.report(found_vi)
        + "\nen pages:\n"
        + language.report(found_en)
    )


UPLOADER_JS = """() => {
  const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
  const button = zone.querySelector('button [data-testid="stMarkdownContainer"] p');
  const limit = zone.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] span');
  return [getComputedStyle(button, '::after').content, getComputedStyle(limit, '::after').content,
          getComputedStyle(button).fontSize, getComputedStyle(limit).fontSize];
}"""


BUTTON_JS = "document.querySelector('[data-testid=stFileUploaderDropzone] button p')"


def test_the_uploaders_own_words_show_in_the_page_language(page: Page, app: App) -> None:
    pg = page.page
    pg.goto(f"{app.url}/du-lieu", wait_until="domcontentloaded")  # type: ignore[attr-defined]
    pg.locator('[data-testid="stFileUploaderDropzone"]').first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    hidden = f"() => getComputedStyle({BUTTON_JS}).fontSize === '0px'"
    pg.wait_for_function(hidden, timeout=30_000)  # type: ignore[attr-defined]
    assert pg.evaluate(UPLOADER_JS) == ['"Chọn tệp"', '"Tối đa 200 MB mỗi tệp"', "0px", "0px"]  # type: ignore[attr-defined]
    pg.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()  # type: ignore[attr-defined]
    english = f"() => getComputedStyle({BUTTON_JS}, '::after').content === '\"Choose a file\"'"
    pg.wait_for_function(english, timeout=60_000)  # type: ignore[attr-defined]
    assert pg.evaluate(UPLOADER_JS)[1] == '"At most 200 MB a file"'  # type: ignore[attr-defined]

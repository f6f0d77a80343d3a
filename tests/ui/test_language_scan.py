"""Every page, run under AppTest on the sample store, in Vietnamese and in English: no word of the other language.

The word lists are the app's own labels (tests/ui/language.py). The browser scan (tests/e2e/test_language_scan_e2e.py)
also reads the map and what widgets render; this one reads the elements' own texts and is cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from layers.settings import Settings
from layers.store import open_store
from services.sample import SAMPLE_CLUSTER, build_sample, sample_path
from tests.ui import helpers, language
from tests.ui.helpers import store_at
from ui import state

PAGES = ("map_page", "clusters_page", "materials_page", "terrain_page", "targets_page", "catalogue_page", "data_page")
#: the proto fields a planner reads (labels, help, options, markdown, alerts, captions, metrics)
SHOWN_FIELDS = frozenset({"body", "label", "help", "placeholder", "options", "caption", "text", "value"})
_TAG = re.compile(r"<[^>]*>")

#: foreign words that pages outside this change still show: (page, lang, word) -> where, to be fixed there
KNOWN_ELSEWHERE: dict[tuple[str, str, str], str] = {}
#: pages that show only an error on the sample store, with the reason (the error itself is scanned)
BROKEN_ON_SAMPLE: dict[str, str] = {}


def _strings(message: Message, out: list[str]) -> None:
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        if field.type == field.TYPE_STRING and field.name in SHOWN_FIELDS:
            out.extend(str(v) for v in values)
        elif field.type == field.TYPE_MESSAGE:
            for v in values:
                if isinstance(v, Message):
                    _strings(v, out)


def shown_text(at: AppTest) -> str:
    """The texts a planner reads on the page, one a line: element texts (HTML tags dropped) and table contents.

    Editable tables are left out: their raw values are shown through the column's labels in the browser.
    The folium map's HTML and the charts' specs are not read here (the browser scan reads the map).
    """
    out: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if kind == "arrow_data_frame" and proto is not None:
            if not getattr(proto, "editing_mode", 0):
                frame = node.value  # type: ignore[attr-defined]
                out.extend(str(c) for c in frame.columns)
                for col in frame.columns:
                    out.extend(str(v) for v in frame[col].dropna().astype(str).unique()[:300])
        elif isinstance(proto, Message) and kind not in ("component_instance", "arrow_vega_lite_chart"):
            _strings(proto, out)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return "\n".join(_TAG.sub(" ", s).replace("&nbsp;", " ") for s in out)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The planner's store built from data/ and the sample store beside it (the sample shows lots, stands, actuals)."""
    with store_at(tmp_path_factory.mktemp("scan") / "baoyen.gpkg") as path:
        build_sample(sample_path(Settings.from_env()), Settings.from_env())
        yield path


def _scan_pages(lang: str, *, sample: bool, data: frozenset[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    session: dict[str, object] = {state.USE_SAMPLE: True, state.CLUSTERS_PICK: SAMPLE_CLUSTER} if sample else {}
    for module in PAGES:
        at = helpers.run_page(module, lang, timeout=180, signed_in="admin", **session)
        assert not at.exception, (module, at.exception)
        text = shown_text(at)
        if not (sample and module in BROKEN_ON_SAMPLE):
            assert len(text) > 200, f"{module}: too little text read ({text!r}); the scan would see nothing"
        hits = language.scan({module: text}, lang, data=data).get(module, {})
        hits = {w: line for w, line in hits.items() if (module, lang, w) not in KNOWN_ELSEWHERE}
        if hits:
            found[f"{module}{' (sample)' if sample else ''}"] = hits
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_page_shows_words_of_the_other_language(sample_store: Path, lang: str) -> None:
    settings = Settings.from_env()
    data = language.store_words(open_store(settings.store_path)) | language.store_words(
        open_store(sample_path(settings))
    )
    found = {**_scan_pages(lang, sample=False, data=data), **_scan_pages(lang, sample=True, data=data)}
    assert not found, f"words of the other language on the {lang} pages:\n" + language.report(found)


def test_the_scan_sees_a_foreign_word_and_not_codes() -> None:
    assert language.foreign_words("Tình trạng: allocated", "vi") == {"allocated"}
    assert language.foreign_words("Tình trạng: `allocated` (mã trong tệp)", "vi") == set()
    assert language.foreign_words("Thủy điện (hydropower) · cluster_lots · EPSG:9208 · WKT", "vi") == set()
    assert language.foreign_words("Status: hãy chọn lại", "en") >= {"hãy", "chọn"}
    # a feature's name is data: its words count on an English page only when the store does not hold them
    assert language.foreign_words("Cụm công nghiệp Phố Ràng", "en") >= {"cụm", "nghiệp"}
    name = frozenset({"cụm", "công", "nghiệp", "phố", "ràng"})
    assert language.foreign_words("Cụm công nghiệp Phố Ràng", "en", data=name) == set()

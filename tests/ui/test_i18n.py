"""The one translation table: complete in both languages, NFC, and covering every key the UI asks for."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ui.i18n import TEXT, t

UI = Path(__file__).resolve().parents[2] / "ui"
APP = UI.parent / "app.py"
# literal keys passed to tr("...") / t("...", lang) anywhere in the UI
KEY_CALL = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)["']""")


def test_every_label_has_both_languages_in_nfc() -> None:
    for key, (vi, en) in TEXT.items():
        assert vi.strip() and en.strip(), f"{key} lacks a label"
        assert unicodedata.normalize("NFC", vi) == vi, f"{key}: Vietnamese label is not NFC"
        assert unicodedata.normalize("NFC", en) == en, f"{key}: English label is not NFC"


def test_every_key_the_ui_uses_exists() -> None:
    missing = []
    for path in [APP, *sorted(UI.glob("*.py"))]:
        for key in KEY_CALL.findall(path.read_text(encoding="utf-8")):
            if key not in TEXT:
                missing.append(f"{path.name}: {key}")
    assert not missing, "labels missing from ui/i18n.py: " + ", ".join(missing)


def test_fallback_and_language_choice() -> None:
    assert t("nav.map") == "Bản đồ quy hoạch"
    assert t("nav.map", "en") == "Planning map"
    assert t("no.such.key", "en") == "no.such.key"

"""The command-line tests written against the English messages run in English; the Vietnamese default is
tested in ``test_cli_language.py``. JSON keys and exit codes are the same in both."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    if "vietnamese" not in request.keywords:
        monkeypatch.setenv("BAOYEN_LANG", "en")

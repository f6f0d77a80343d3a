"""While the sample store is open, every page says so; the sidebar button opens it without touching the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layers.settings import Settings
from layers.store import open_store
from services.sample import build_sample
from tests.ui.helpers import store_at
from ui import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture()
def stores(store_copy: Path):  # type: ignore[no-untyped-def]
    with store_at(store_copy) as path:
        yield path


def test_the_sample_banner_and_button(stores: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, at.exception
    assert not any("Dữ liệu mẫu" in w.value for w in at.warning)
    at.button(key=state.SAMPLE_BUTTON).click().run()
    assert not at.exception, at.exception
    assert any("Dữ liệu mẫu — không phải số liệu thật" in w.value for w in at.warning)
    sample = stores.with_name("baoyen-sample.gpkg")
    assert open_store(sample).get_meta("sample") == "1" and open_store(stores).get_meta("sample") is None
    at.button(key=state.SAMPLE_BUTTON).click().run()
    assert not any("Dữ liệu mẫu" in w.value for w in at.warning)


def test_an_existing_sample_is_reused(stores: Path) -> None:
    build_sample(stores.with_name("baoyen-sample.gpkg"), Settings.from_env())
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[state.USE_SAMPLE] = True
    at.run()
    assert not at.exception and any("Dữ liệu mẫu" in w.value for w in at.warning)

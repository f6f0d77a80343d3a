"""The targets & funding page (AppTest) with a temporary store."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from streamlit.testing.v1 import AppTest

from analysis.targets import next_report_deadline
from layers.store import open_store
from tests.ui import helpers
from tests.ui.helpers import store_at
from ui import state


@pytest.fixture()
def store_path(tmp_path: Path) -> Iterator[Path]:
    """A store built from data/ in a temporary file; BAOYEN_STORE points at it during the test."""
    with store_at(tmp_path / "baoyen.gpkg", BAOYEN_USER="ui-tester") as path:
        yield path


def run_page(lang: str = "vi", **session: object) -> AppTest:
    return helpers.run_page("targets_page", lang, timeout=90, signed_in="ui-tester", **session)


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_cards_statuses_deadline_and_checks(store_path: Path) -> None:
    at = run_page()
    assert not at.exception
    assert at.subheader[0].value == "Mục tiêu & kinh phí"
    assert "Kỳ báo cáo tiếp theo" in at.info[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Chưa có số liệu"] == "14" and metrics["Đạt"] == "0"
    text = _markdown(at)
    assert "(7) Hạ tầng CCN Phố Ràng" in text and "(IV.2) Đào tạo khoảng 2.000 lao động" in text
    ended, *warnings = [w.value for w in at.warning]
    # today is after the plan period: every target without data is overdue, and its card says so
    assert ended.startswith("Kỳ kế hoạch 2021–2025 đã kết thúc ngày 31/12/2025: 14 mục tiêu")
    assert "Chưa có số liệu — quá hạn (hạn 2025)" in text
    assert len(warnings) == 7  # the seven findings of analysis.funding.consistency_check
    assert any("5.224,50" in w and "6.554,50" in w for w in warnings)
    assert any("4.158,00" in w and "4.178,00" in w for w in warnings)  # power and water, V.4 against II/III


def test_recording_an_actual_updates_the_card(store_path: Path) -> None:
    at = run_page()
    form_select = at.selectbox[0]
    pick = next(i for i, label in enumerate(form_select.options) if label.startswith("(12)"))
    form_select.select_index(pick)
    at.text_input[0].input("2025")  # period
    at.text_input[1].input("85")  # value
    at.text_input[2].input("UBND xã Nghĩa Đô")
    at.button[0].click().run()
    assert not at.exception
    assert any("Đã lưu" in s.value and "ui-tester" in s.value for s in at.success)
    at.run()  # a run nobody asked for (as a map's first value causes): the message is still there to read
    assert any("Đã lưu" in s.value and "ui-tester" in s.value for s in at.success)
    rows = open_store(store_path).read_table("target_actuals")
    assert len(rows) == 1
    assert (rows["target_id"][0], rows["measure"][0], rows["value"][0], rows["user"][0]) == (
        "12",
        "brocade_households",
        85.0,
        "ui-tester",
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Đạt"] == "1" and metrics["Chưa có số liệu"] == "13"


def test_the_saved_message_leaves_after_its_time(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import common

    at = run_page(**{state.TARGETS_SAVED: "Đã lưu: thử"})
    assert [s.value for s in at.success] == ["Đã lưu: thử"]
    monkeypatch.setattr(common, "FLASH_SECONDS", -1.0)
    at.run()
    assert not [s.value for s in at.success if s.value == "Đã lưu: thử"]
    assert state.TARGETS_SAVED not in at.session_state


def test_a_bad_value_is_shown_not_saved(store_path: Path) -> None:
    at = run_page()
    at.text_input[0].input("2025")
    at.text_input[1].input("2.150")  # ambiguous: thousands or decimals
    at.button[0].click().run()
    assert not at.exception
    assert any("hai cách" in e.value for e in at.error)  # "could be read two ways", in the page's Vietnamese
    assert open_store(store_path).read_table("target_actuals").empty


def test_report_download(store_path: Path) -> None:
    at = run_page()
    make = next(b for b in at.button if b.label == "Lập báo cáo")
    make.click().run()
    assert not at.exception
    made = at.session_state[state.TARGETS_REPORT]
    # the default is the report due next (the annual report of the current year in December)
    due = next_report_deadline(dt.date.today()).period.label
    assert made["period"] == due
    doc = Document(io.BytesIO(made["docx"]))
    assert any(t.rows[0].cells[0].text == "STT" for t in doc.tables)
    buttons = at.get("download_button")
    assert len(buttons) == 2


def test_english(store_path: Path) -> None:
    at = run_page("en")
    assert not at.exception
    assert at.subheader[0].value == "Targets & funding"
    assert {m.label for m in at.metric} >= {"Achieved", "No data"}

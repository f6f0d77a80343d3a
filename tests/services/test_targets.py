"""Targets use cases: report periods, the issuer, recording with who."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.errors import InputDataError
from layers.store import open_store
from services.targets import parse_issuer, record_actual, record_disbursement, report_periods
from tests.conftest import signed


def test_every_period_up_to_today_and_the_one_due_next() -> None:
    periods, due = report_periods(dt.date(2026, 12, 1))
    labels = [p.label for p in periods]
    assert due.label == "2026"  # the 2026 annual report is due before 10/12/2026
    assert {"2026", "2026-H1", "2025", "2025-H1", "2021", "2021-2025", "2021-2023"} <= set(labels)
    assert "2027" not in labels and "2020" not in labels
    assert labels[0] == "2026"  # newest first


def test_issuer_lines() -> None:
    assert parse_issuer("ỦY BAN NHÂN DÂN | XÃ BẢO YÊN") == ("ỦY BAN NHÂN DÂN", "XÃ BẢO YÊN")
    with pytest.raises(InputDataError) as empty:
        parse_issuer(" | ")
    assert empty.value.code == "report.empty_issuer"


def test_recording_reads_vietnamese_numbers_and_names_who(store_copy: Path) -> None:
    store = open_store(store_copy)
    done = record_actual(store, actor=signed(store, "lan"), target_id="training", period="2025", value="1.980,5")
    assert done.row["value"] == 1980.5 and done.user == "lan"
    assert store.read_table("target_actuals")["user"].tolist() == ["lan"]
    with pytest.raises(InputDataError):  # "2.150": thousands or decimals? refused, nothing written
        record_disbursement(store, actor=signed(store, "lan"), line_id="total", period="2025", amount_bn_vnd="2.150")
    assert store.read_table("disbursements").empty

"""`baoyen targets`, `budget-check`, `report`, `record-actual`, `record-disbursement`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from cli import main
from layers.store import open_store
from services.accounts import grant
from tests.conftest import as_user, signed


@pytest.fixture()
def store(store_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BAOYEN_STORE", str(store_copy))
    as_user(monkeypatch, store_copy, "planner1", role="editor")
    s = open_store(store_copy)
    for table in ("target_actuals", "disbursements"):  # the admin grants the editor the two tables it records in
        grant(s, "planner1", table, "w", actor=signed(s))
    return store_copy


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    out = capsys.readouterr().out
    return json.loads(out)


def test_targets_json_without_data(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, ["targets", "--json", "--as-of", "2026-11-26", "--lang", "vi"])
    assert [t["id"] for t in out["targets"]] == [*map(str, range(1, 14)), "training"]
    assert {t["status"] for t in out["targets"]} == {"no_data"}
    assert out["counts"]["no_data"] == 14
    assert out["next_report"] == {"period": "2026", "title": "năm 2026", "due_before": "2026-12-10", "days_left": 14}
    assert "Chưa có số liệu" in out["rules"]
    ten = next(t for t in out["targets"] if t["id"] == "10")
    assert (ten["measures"][0]["min"], ten["measures"][0]["max"]) == (20.0, 30.0)
    # after the plan period every target without data is overdue, and says so in the chosen language
    assert all(t["overdue"] for t in out["targets"])
    assert ten["status_text"] == "Chưa có số liệu — quá hạn (hạn 2025)"
    assert ten["measures"][0]["overdue"] and ten["measures"][0]["status_text"].endswith("quá hạn (hạn 2025)")
    before = _json(capsys, ["targets", "--json", "--as-of", "2025-06-30", "--lang", "en"])
    assert not any(t["overdue"] for t in before["targets"])
    assert next(t for t in before["targets"] if t["id"] == "10")["status_text"] == "No data"


def test_record_actual_then_targets(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # "2.150" could be 2150 (Vietnamese thousands) or 2.15: refused, nothing recorded
    assert main(["record-actual", "--target", "training", "--period", "2021-2025", "--value", "2.150"]) == 1
    assert "ambiguous" in capsys.readouterr().err
    rec = _json(
        capsys,
        [
            "record-actual",
            "--target",
            "training",
            "--period",
            "2021-2025",
            "--value",
            "1.980,0",
            "--source",
            "Phòng LĐ-TB&XH",
            "--json",
        ],
    )
    assert rec["recorded"]["value"] == 1980.0
    assert main(["record-actual", "--target", "training", "--period", "2021-2025", "--value", "2150"]) == 0
    capsys.readouterr()
    out = _json(capsys, ["targets", "--json", "--as-of", "2026-01-01", "--lang", "en"])
    training = next(t for t in out["targets"] if t["id"] == "training")
    assert training["status"] == "achieved"
    assert training["measures"][0]["actual"] == 2150.0  # the later entry for the same period counts
    rows = open_store(store).read_table("target_actuals")
    assert len(rows) == 2 and set(rows["user"]) == {"planner1"}
    assert rows["recorded_at"].notna().all()


def test_period_option(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["record-actual", "--target", "1", "--period", "2025", "--value", "530"])
    capsys.readouterr()
    h1 = _json(capsys, ["targets", "--json", "--period", "2025-H1"])
    assert h1["as_of"] == "2025-06-14" and h1["targets"][0]["status"] == "no_data"
    year = _json(capsys, ["targets", "--json", "--period", "2021-2025"])
    assert year["targets"][0]["status"] == "achieved"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["record-actual", "--target", "4", "--period", "2025", "--value", "12"], "derived from the map layers"),
        (["record-actual", "--target", "1", "--period", "Q3", "--value", "1"], "not a reporting period"),
        (["record-actual", "--target", "1", "--period", "2025", "--value", "many"], "is not a number"),
        (["targets", "--as-of", "26.11.2026"], "is not a date"),
        (["report", "--period", "2025-Q1", "-o", "x.docx"], "not a reporting period"),
        (["record-disbursement", "--line", "nope", "--period", "2025", "--amount", "1"], "no funding line"),
    ],
)
def test_failures_are_one_line_on_stderr(store: Path, capsys: pytest.CaptureFixture[str], argv, message) -> None:  # type: ignore[no-untyped-def]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in captured.err
    assert open_store(store).read_table("target_actuals").empty


def test_budget_check_json(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, ["budget-check", "--json"])
    found = {(f["kind"], f["subject"]): f for f in out["findings"]}
    assert set(found) == {
        ("parts_sum", "enterprise"),
        ("parts_sum", "total"),
        ("amounts_differ", "ccn_pho_rang_infrastructure"),
        ("scopes_differ", "ccn_pho_rang_site_clearance"),
        ("scopes_differ", "hydropower_investment"),
        ("sector_itemised", "enterprise_power_water"),
        ("sector_itemised", "enterprise_agro_forestry"),
    }
    enterprise = found[("parts_sum", "enterprise")]
    assert (enterprise["stated_bn_vnd"], enterprise["computed_bn_vnd"], enterprise["difference_bn_vnd"]) == (
        5224.5,
        6554.5,
        1330.0,
    )
    assert {r["funding_source"]: r["stated_bn_vnd"] for r in out["by_source"]} == {
        "central": 3.0,
        "province": 140.0,
        "district": 2.0,
        "enterprise": 5224.5,
    }
    assert "province_ccn_roads" in out["funding_line_ids"]


def test_budget_check_text(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["budget-check", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "7 inconsistencies" in out and "6,554.50" in out and "4,158.00" in out


@pytest.mark.parametrize(("fmt", "period"), [("docx", "2025-H1"), ("xlsx", "2025"), ("docx", "2021-2025")])
def test_report_files(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, period: str) -> None:
    out = tmp_path / f"bao_cao.{fmt}"
    assert main(["report", "--period", period, "--format", fmt, "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    data = out.read_bytes()
    if fmt == "docx":
        doc = Document(io.BytesIO(data))
        assert any(t.rows[0].cells[0].text == "STT" for t in doc.tables)
        assert len(doc.inline_shapes) == 1
    else:
        wb = load_workbook(io.BytesIO(data))
        assert "Mục tiêu" in wb.sheetnames and len(wb["Bản đồ"]._images) == 1
    assert not list(tmp_path.glob(".*.part"))


def test_report_issuer_after_the_2025_reform(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.docx"
    assert main(["report", "--period", "2025", "-o", str(out), "--issuer", "ỦY BAN NHÂN DÂN | XÃ BẢO YÊN"]) == 0
    header = Document(io.BytesIO(out.read_bytes())).tables[0].rows[0].cells[0].text
    assert header.splitlines()[:2] == ["ỦY BAN NHÂN DÂN", "XÃ BẢO YÊN"]
    assert main(["report", "--period", "2025", "-o", str(out), "--issuer", " | "]) == 1
    assert "issuing body is empty" in capsys.readouterr().err


def test_report_into_missing_folder(store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--period", "2025", "-o", str(tmp_path / "nope" / "r.docx")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_record_disbursement(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rec = _json(
        capsys,
        [
            "record-disbursement",
            "--line",
            "province_ccn_roads",
            "--period",
            "2025",
            "--amount",
            "6,5",
            "--source",
            "KBNN",
            "--json",
        ],
    )
    assert rec["recorded"]["amount_bn_vnd"] == 6.5
    rows = open_store(store).read_table("disbursements")
    assert len(rows) == 1 and rows["user"].iloc[0] == "planner1" and rows["line_id"].iloc[0] == "province_ccn_roads"

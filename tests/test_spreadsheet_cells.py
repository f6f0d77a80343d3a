"""No text becomes a live spreadsheet formula in any file the project hands out (issue 14).

Text starting with =, +, - or @ (or a tab or a carriage return) runs as a formula when Excel or LibreOffice opens
the file. Every table goes through the helpers of :mod:`layers.export`: in a CSV such a cell gets a leading ``'``,
in an XLSX it is a text cell. These tests read the files back with ``csv`` and openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

FORMULA = '=HYPERLINK("http://example.invalid","mở")'
DDE = "+1+cmd|' /C calc'!A0"
AT = "@SUM(A1:A9)"


def _no_formula(data: bytes) -> list[str]:
    """Every cell of every sheet is not a formula; the text cells' values."""
    texts = []
    for sheet in load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_the_report_xlsx_writes_planners_text_as_text(store_copy: Path) -> None:
    from layers.store import open_store
    from reports.report import build_report

    store = open_store(store_copy)
    funding = store.read_table("funding_lines")
    funding.loc[funding.index[0], ["label_vi", "stated_as"]] = [FORMULA, DDE]
    store.write_table("funding_lines", funding, user="tester")
    texts = _no_formula(build_report("2021-2025", store=store, fmt="xlsx", today=dt.date(2025, 7, 1)))
    assert FORMULA in texts  # shown as typed


def test_the_catalogue_csv_quotes_formulas_and_keeps_numbers() -> None:
    from ui.catalogue_page import csv_bytes

    table = pd.DataFrame({"name": [FORMULA, "Phố Ràng", "\r=1+1", "-5"], "capacity_mw": [-5.0, 1.5, 2.0, 3.0]})
    rows = _csv_rows(csv_bytes(table))
    assert rows[0] == ["name", "capacity_mw"]
    assert [r[0] for r in rows[1:]] == ["'" + FORMULA, "Phố Ràng", "'\r=1+1", "-5"]  # the CR stays in its cell
    assert [r[1] for r in rows[1:]] == ["-5.0", "1.5", "2.0", "3.0"]


def test_the_materials_downloads_write_zone_names_as_text() -> None:
    from ui.materials_page import _csv, _xlsx

    plan = pd.DataFrame({"Vùng": [FORMULA, AT, "Quế"], "Kế hoạch (ha)": [-1.5, 2.0, 21184.07]})
    assert [r[0] for r in _csv_rows(_csv(plan))[1:]] == ["'" + FORMULA, "'" + AT, "Quế"]
    texts = _no_formula(_xlsx({"Kế hoạch": plan, "=Xã": plan.assign(Vùng=[DDE, "x", "y"])}))
    assert FORMULA in texts and DDE in texts and AT in texts
    sheet = load_workbook(io.BytesIO(_xlsx({"Kế hoạch": plan})))["Kế hoạch"]
    assert sheet["B2"].value == -1.5 and sheet["B2"].data_type == "n"

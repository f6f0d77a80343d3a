"""The periodic report: a DOCX in administrative form and an XLSX with the same tables and the map."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from analysis.targets import new_actual_row, targets_from_frames
from geo.errors import InputDataError
from layers.plan_data import load_tables
from layers.settings import DATA_DIR
from layers.store import open_store
from reports.plan_inputs import gather
from reports.report import build_report, public_source_rows, render_map_png

TODAY = dt.date(2026, 11, 26)


def _record(store, target_id: str, period: str, value: float, measure: str | None = None) -> None:  # type: ignore[no-untyped-def]
    targets = targets_from_frames(store.read_table("targets"), store.read_table("target_measures"))
    row = new_actual_row(
        targets,
        target_id=target_id,
        measure=measure,
        period=period,
        value=value,
        source="Báo cáo thống kê",
        recorded_on=TODAY,
    )
    store.append_rows("target_actuals", row, user="tester")


def _docx_text(doc) -> str:  # type: ignore[no-untyped-def]
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _table_with_header(doc, first: str):  # type: ignore[no-untyped-def]
    return next(t for t in doc.tables if t.rows[0].cells[0].text == first)


def test_docx_holds_header_tables_map_and_missing_list(store_path: Path) -> None:
    store = open_store(store_path)
    _record(store, "12", "2025", 85.0)
    data = build_report("2025", store=store, fmt="docx", today=TODAY)
    doc = Document(io.BytesIO(data))
    text = _docx_text(doc)
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "HUYỆN BẢO YÊN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:",
        "Bảo Yên, ngày 26 tháng 11 năm 2026",
        "BÁO CÁO",
        "kỳ năm 2025",
        "TM. ỦY BAN NHÂN DÂN",
        "Nơi nhận:",
        "Cách đánh giá",
    ):
        assert expected in text, expected
    targets = _table_with_header(doc, "STT")
    assert [c.text for c in targets.rows[0].cells] == [
        "STT",
        "Mục tiêu",
        "Chỉ tiêu",
        "Đơn vị",
        "Kế hoạch",
        "Thực hiện",
        "Tỷ lệ (%)",
        "Đánh giá",
    ]
    measures = load_tables(DATA_DIR)["target_measures"]
    assert len(targets.rows) == 1 + len(measures)
    brocade = next(r for r in targets.rows if r.cells[2].text.startswith("Số hộ tham gia làng nghề dệt"))
    assert [c.text for c in brocade.cells[3:]] == ["hộ", "80", "85", "106,2", "Đạt"]
    assert sum(1 for r in targets.rows if r.cells[7].text == "Chưa có số liệu") == len(measures) - 2  # + indicator
    funding = _table_with_header(doc, "Khoản mục")
    funding_text = [[c.text for c in r.cells] for r in funding.rows]
    assert ["Nguồn vốn doanh nghiệp tự huy động", "V.4", "5.224,5", "6.554,5"] in funding_text
    assert "6.554,50" in text and "3.286,00" in text  # consistency notes
    assert len(doc.inline_shapes) == 1  # the map
    assert "SƠ ĐỒ — vị trí tượng trưng (đặt tại trung tâm xã, có thể cách vị trí thật nhiều km)" in text
    assert "V. NHỮNG NỘI DUNG CHƯA CÓ SỐ LIỆU" in text
    assert "(1) Giá trị sản xuất công nghiệp: chưa nhập số liệu" in text
    assert "(1) Giá trị sản xuất công nghiệp đạt 529 tỷ đồng" in text  # the short title in the table


def test_xlsx_holds_the_same_tables_and_the_map(store_path: Path) -> None:
    store = open_store(store_path)
    _record(store, "training", "2021-2025", 2100.0)
    data = build_report("2021-2025", store=store, fmt="xlsx", today=TODAY)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "Tóm tắt",
        "Mục tiêu",
        "Nguồn vốn",
        "Dự án",
        "Đối chiếu",
        "Giải ngân",
        "Thiếu số liệu",
        "Nguồn khác",
        "Bản đồ",
    ]
    targets = list(wb["Mục tiêu"].iter_rows(values_only=True))
    assert targets[0][:8] == ("STT", "Mục tiêu", "Chỉ tiêu", "Đơn vị", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)", "Đánh giá")
    training = next(r for r in targets if r[0] == "(IV.2)")
    assert (training[5], training[6], training[8]) == (2100.0, 105.0, "achieved")
    checks = list(wb["Đối chiếu"].iter_rows(values_only=True))
    assert len(checks) == 1 + 7
    assert {(r[2], r[4], r[5]) for r in checks[1:]} >= {("enterprise", 5224.5, 6554.5)}
    funding = list(wb["Nguồn vốn"].iter_rows(values_only=True))
    assert any(r[-1] == "total" and r[2] == 6699.5 for r in funding)
    assert len(wb["Bản đồ"]._images) == 1
    assert "tổng kết" in wb["Tóm tắt"]["A2"].value


def test_half_year_report_uses_the_half_year_data(store_path: Path) -> None:
    store = open_store(store_path)
    _record(store, "1", "2025-H1", 260.0)
    _record(store, "1", "2025", 530.0)
    doc = Document(io.BytesIO(build_report("2025-H1", store=store, today=TODAY)))
    row = next(r for r in _table_with_header(doc, "STT").rows if r.cells[2].text == "Giá trị sản xuất công nghiệp")
    # mid-2025: 49 % of 529 with 90 % of the period gone
    assert [c.text for c in row.cells[4:]] == ["529", "260", "49,1", "Có nguy cơ không đạt"]
    doc = Document(io.BytesIO(build_report("2025", store=store, today=TODAY)))
    row = next(r for r in _table_with_header(doc, "STT").rows if r.cells[2].text == "Giá trị sản xuất công nghiệp")
    assert [c.text for c in row.cells[4:]] == ["529", "530", "100,2", "Đạt"]


def test_english_report(store_path: Path) -> None:
    doc = Document(io.BytesIO(build_report("2025", store=open_store(store_path), lang="en", today=TODAY)))
    text = _docx_text(doc)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text and "REPORT" in text and "What lacks data".upper() in text


def test_from_gathered_inputs_without_a_map(store_path: Path) -> None:
    inputs = gather(open_store(store_path), as_of=dt.date(2025, 12, 14))
    doc = Document(io.BytesIO(build_report("2025", inputs=inputs, today=TODAY)))
    assert len(doc.inline_shapes) == 0
    assert "Kho dữ liệu không có lớp bản đồ để vẽ." in _docx_text(doc)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"period": "2025-Q3"}, "not a reporting period"), ({"fmt": "pdf"}, "docx or xlsx"), ({"lang": "fr"}, "vi or en")],
)
def test_bad_arguments(store_path: Path, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    args = {"period": "2025", "fmt": "docx", "lang": "vi", **kwargs}
    with pytest.raises(InputDataError, match=message):
        build_report(args.pop("period"), store=open_store(store_path), today=TODAY, **args)


def test_map_is_png_and_counts_unlocated(store_path: Path) -> None:
    store = open_store(store_path)
    layers = {lid: store.read_layer(lid) for lid in ("communes_legacy", "hydropower")}
    png, unlocated = render_map_png(layers)
    assert png is not None and png[:8] == b"\x89PNG\r\n\x1a\n"
    hydro = layers["hydropower"]
    assert unlocated == int((hydro.geometry.isna() | hydro.geometry.is_empty).sum()) > 0
    assert render_map_png({}) == (None, 0)


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_office() is None, reason="LibreOffice (soffice) is not on PATH; the PDF conversion is not tried")
def test_libreoffice_converts_the_docx_to_pdf(store_path: Path, tmp_path: Path) -> None:
    docx_path = tmp_path / "bao_cao_2025.docx"
    docx_path.write_bytes(build_report("2025", store=open_store(store_path), today=TODAY))
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            _office(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    pdf = tmp_path / "bao_cao_2025.pdf"
    assert done.returncode == 0, done.stderr
    assert pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 20_000  # text, tables and the map image


def test_vietnamese_report_writes_every_figure_the_vietnamese_way(store_path: Path) -> None:
    store = open_store(store_path)
    _record(store, "12", "2025", 85.0)
    doc = Document(io.BytesIO(build_report("2025", store=store, fmt="docx", today=TODAY)))
    text = _docx_text(doc)
    assert not re.search(r"\d\.\d+ ?%", text)  # no "39.2%" or "39.2 %"
    assert not re.search(r"\d,\d{3}\.\d", text)  # no English "6,699.5"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # dates are dd/mm/yyyy
    assert "6.699,5" in text
    water = next(
        r for r in _table_with_header(doc, "STT").rows if r.cells[2].text.startswith("Công suất các nhà máy nư")
    )
    assert water.cells[4].text == "9.500"  # the plan figure, grouped as Vietnamese writes it
    english = _docx_text(Document(io.BytesIO(build_report("2025", store=store, lang="en", today=TODAY))))
    assert "9,500" in english and "6,699.5" in english


def test_xlsx_summary_dates_are_dd_mm_yyyy(store_path: Path) -> None:
    wb = load_workbook(io.BytesIO(build_report("2025", store=open_store(store_path), fmt="xlsx", today=TODAY)))
    row = next(r for r in wb["Tóm tắt"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("Số liệu"))
    assert row[:3] == ("Số liệu đến ngày 14/12/2025", "Kỳ báo cáo: 2025", "15/12/2024 – 14/12/2025")


def test_plan_against_public_sources_section(store_path: Path) -> None:
    """Every conflict the data records between the plan and public sources, the plan's figure beside the other."""
    store = open_store(store_path)
    doc = Document(io.BytesIO(build_report("2025", store=store, fmt="docx", today=TODAY)))
    text = _docx_text(doc)
    assert "VI. KẾ HOẠCH VÀ CÁC NGUỒN CÔNG KHAI" in text
    assert "Kế hoạch và các nguồn công khai: 4 đối tượng" in text  # in the summary
    table = _table_with_header(doc, "Đối tượng")
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    bao_ha = rows["Thủy điện Bảo Hà (Thủy điện)"]
    assert bao_ha[1] == "Công suất: 75 MW"
    assert "Công suất (nguồn khác): 40 MW" in bao_ha[2] and "moitruong.net.vn" in bao_ha[2]
    vinh_ha = rows["Thủy điện Vĩnh Hà (Thủy điện)"]
    assert "Công suất: chưa có (Kế hoạch không nêu)" in vinh_ha[1] and "21 MW" in vinh_ha[2] and "89,07" in vinh_ha[2]
    phuc_long = rows["Thủy điện Phúc Long (Thủy điện)"]
    assert phuc_long[1] == "Trạng thái: Đang xây dựng" and "Đang hoạt động" in phuc_long[2]
    assert "1/7/2025" in phuc_long[2]
    xuan_hoa = rows["Xã Xuân Hòa (Xã mới từ 7/2025)"]
    assert "Diện tích (nguồn khác): 306 km²" in xuan_hoa[2] and "106,1" in xuan_hoa[2]
    assert len(rows) == 4
    english = _docx_text(Document(io.BytesIO(build_report("2025", store=store, lang="en", today=TODAY))))
    assert "VI. THE PLAN AND PUBLIC SOURCES" in english and "Capacity (other source): 40 MW" in english
    wb = load_workbook(io.BytesIO(build_report("2025", store=store, fmt="xlsx", today=TODAY)))
    sheet = list(wb["Nguồn khác"].iter_rows(values_only=True))
    assert {r[1] for r in sheet[1:]} == {"hydro_vinh_ha", "hydro_phuc_long", "hydro_bao_ha", "commune2025_02962"}


def test_public_source_rows_from_gathered_inputs_and_none(store_path: Path) -> None:
    store = open_store(store_path)
    inputs = gather(store, as_of=dt.date(2025, 12, 14))
    doc = Document(io.BytesIO(build_report("2025", inputs=inputs, today=TODAY)))
    # without a store only the gathered layers are read: the hydropower layer (target 6) holds three
    assert {r.cells[0].text for r in _table_with_header(doc, "Đối tượng").rows[1:]} == {
        "Thủy điện Vĩnh Hà (Thủy điện)",
        "Thủy điện Phúc Long (Thủy điện)",
        "Thủy điện Bảo Hà (Thủy điện)",
    }
    hydro = store.read_layer("hydropower")
    cleared = hydro.assign(**{c: None for c in hydro.columns if c.startswith("other_")})
    assert public_source_rows({"hydropower": cleared}).empty
    inputs.layers = {k: v for k, v in inputs.layers.items() if k != "hydropower"}
    doc = Document(io.BytesIO(build_report("2025", inputs=inputs, today=TODAY)))
    assert "Dữ liệu không ghi nguồn công khai nào khác với Kế hoạch." in _docx_text(doc)


# --- what the map and the statuses are worth ---------------------------------------------------------------


def test_map_caption_says_schematic_only_of_what_is_schematic() -> None:
    from reports.report import map_caption

    points = {"schematic": 20, "approximate": 1}
    schematic = map_caption("vi", unlocated=3, communes_mix={"schematic": 17}, points_mix=points)
    assert "ranh giới xã là sơ đồ" in schematic and "SƠ ĐỒ — vị trí tượng trưng" in schematic
    assert "3 đối tượng chưa xác định vị trí" in schematic
    real = map_caption("vi", unlocated=3, communes_mix={"digitised": 17}, points_mix=points)
    assert "sơ đồ" not in real.replace("SƠ ĐỒ — vị trí", "") and "ranh giới xã: số hóa từ bản đồ" in real
    partly = map_caption("en", unlocated=0, communes_mix={"digitised": 16, "schematic": 1}, points_mix=points)
    assert "some commune boundaries schematic" in partly
    en = map_caption("en", unlocated=0, communes_mix={"surveyed": 17}, points_mix={"surveyed": 4})
    assert "schematic" not in en.lower() and "commune boundaries: surveyed" in en
    assert en.startswith("Figure 1. The plan's features by status. Features sharing a point")
    assert "boundaries" not in map_caption("en", unlocated=0, communes_mix={}, points_mix=points)


def test_reports_after_the_plan_period_say_the_targets_are_overdue(store_path: Path) -> None:
    store = open_store(store_path)
    _record(store, "12", "2025", 85.0)
    late = _docx_text(Document(io.BytesIO(build_report("2026", store=store, today=dt.date(2026, 12, 1)))))
    assert "Kỳ kế hoạch 2021–2025 đã kết thúc ngày 31/12/2025: 13 mục tiêu" in late
    assert "Chưa có số liệu — quá hạn (hạn 2025)" in late
    english = build_report("2026", store=store, lang="en", today=dt.date(2026, 12, 1))
    late_en = _docx_text(Document(io.BytesIO(english)))
    assert "The plan period 2021–2025 ended on 31/12/2025: 13 targets" in late_en
    assert "No data — past its deadline (2025)" in late_en
    # the end-of-term report is as of 31/12/2025: the targets are judged at their deadline, not late
    end = _docx_text(Document(io.BytesIO(build_report("2021-2025", store=store, today=dt.date(2026, 12, 1)))))
    assert "Báo cáo tổng kết kỳ kế hoạch: các mục tiêu được đánh giá tại hạn 31/12/2025" in end
    assert "— quá hạn" not in end and "Chưa có số liệu" in end
    wb = load_workbook(io.BytesIO(build_report("2026", store=store, fmt="xlsx", today=dt.date(2026, 12, 1))))
    assert any("quá hạn (hạn 2025)" in str(v) for row in wb["Mục tiêu"].iter_rows(values_only=True) for v in row)


def test_the_caption_follows_real_boundaries(store_path: Path, shared_data: Path) -> None:
    from services.boundaries import boundary_versions, import_boundaries
    from tests.conftest import signed

    store = open_store(store_path)
    before = _docx_text(Document(io.BytesIO(build_report("2026", store=store, today=TODAY))))
    assert "ranh giới xã là sơ đồ" in before
    import_boundaries(
        store,
        shared_data / "bao_yen_communes_2020.geojson",
        actor=signed(store),
        base_versions=boundary_versions(store),
    )
    after = _docx_text(Document(io.BytesIO(build_report("2026", store=store, today=TODAY))))
    assert "ranh giới xã là sơ đồ" not in after and "ranh giới xã: số hóa từ bản đồ" in after
    assert "SƠ ĐỒ — vị trí tượng trưng" in after  # the plan's points still stand at commune centres
    english = _docx_text(Document(io.BytesIO(build_report("2026", store=store, lang="en", today=TODAY))))
    assert "schematic commune boundaries" not in english and "commune boundaries: digitised" in english

"""The printed map: page sizes at the chosen dpi, the PDF page, the legend, and an honest quality note."""

from __future__ import annotations

import datetime as dt
import io
import re

import geopandas as gpd
import pytest
from PIL import Image
from shapely.geometry import Point, box

from layers.catalogue import CATALOGUE
from ui import print_map
from ui.print_map import PrintLayer, PrintOptions

FRAME = (104.40, 22.25, 104.50, 22.33)  # west, south, east, north


def communes() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["a", "b"],
            "name": ["Xã Bảo Hà", "Thị trấn Phố Ràng"],
            "geom_quality": ["schematic", "schematic"],
        },
        geometry=[box(104.40, 22.25, 104.45, 22.33), box(104.45, 22.25, 104.50, 22.33)],
        crs="EPSG:4326",
    )


def hydropower() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "id": ["h1", "h2", "far"],
            "name": ["Thủy điện A", "Thủy điện B", "Ngoài khung"],
            "status": ["operating", "proposed", "operating"],
            "capacity_mw": [12.0, 30.0, 5.0],
            "geom_quality": ["surveyed", "schematic", "surveyed"],
        },
        geometry=[Point(104.42, 22.28), Point(104.47, 22.30), Point(104.9, 22.9)],
        crs="EPSG:4326",
    )


def layers() -> list[PrintLayer]:
    return [
        PrintLayer(CATALOGUE.get("communes_legacy"), communes()),
        PrintLayer(CATALOGUE.get("hydropower"), hydropower()),
    ]


@pytest.mark.parametrize(
    ("paper", "orientation", "dpi", "mm"),
    [("A4", "landscape", 150, (297, 210)), ("A4", "portrait", 100, (210, 297)), ("A3", "landscape", 72, (420, 297))],
)
def test_png_is_the_paper_size_at_the_dpi(paper: str, orientation: str, dpi: int, mm: tuple[int, int]) -> None:
    options = PrintOptions(title="Bản đồ thử", paper=paper, orientation=orientation, dpi=dpi)  # type: ignore[arg-type]
    png = print_map.render(layers(), FRAME, options, "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.size[0] - mm[0] / 25.4 * dpi) < 1 and abs(image.size[1] - mm[1] / 25.4 * dpi) < 1
    assert image.text["Title"] == "Bản đồ thử"
    assert "Thủy điện" in image.text["Description"]


def test_pdf_page_is_a3_portrait_in_points() -> None:
    options = PrintOptions(title="Bản đồ", paper="A3", orientation="portrait", made_on=dt.date(2026, 12, 1))
    pdf = print_map.render(layers(), FRAME, options, "pdf")
    assert pdf.startswith(b"%PDF")
    (media,) = re.findall(rb"/MediaBox \[ *0 0 ([\d.]+) ([\d.]+) *\]", pdf)
    assert float(media[0]) == pytest.approx(297 / 25.4 * 72, abs=0.01)
    assert float(media[1]) == pytest.approx(420 / 25.4 * 72, abs=0.01)


def test_legend_names_the_layers_their_classes_and_the_poorer_qualities() -> None:
    options = PrintOptions(title="Bản đồ", lang="vi", names_layer="communes_legacy", made_on=dt.date(2026, 12, 1))
    fig = print_map.build_figure(layers(), FRAME, options)
    entries = print_map.legend_texts(fig)
    assert entries[:2] == ["Xã, thị trấn trước 7/2025 (sơ đồ)", "Thủy điện (một phần sơ đồ)"]
    assert {"Đang hoạt động", "Đề xuất / nghiên cứu"} <= set(entries)  # hydropower is coloured by status
    assert "Độ tin cậy hình học: Sơ đồ" in entries
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [t.get_text() for t in fig.texts]
    assert "Xã Bảo Hà" in texts and "Thị trấn Phố Ràng" in texts  # commune names on the map
    assert "B" in texts  # the north arrow (Bắc)
    footer = next(t for t in texts if "EPSG:9208" in t)
    assert "01/12/2026" in footer and "A4 ngang" in footer and "1:" in footer
    assert any(t in ("0", "1 km", "2 km", "500 m", "1.000 m") for t in texts)  # the scale bar's marks
    en = print_map.legend_texts(print_map.build_figure(layers(), FRAME, PrintOptions(title="Map", lang="en")))
    assert "Hydropower plants (partly schematic)" in en and "Proposed / under study" in en


def test_quality_note_counts_what_is_drawn_and_never_calls_schematic_surveyed() -> None:
    shown = print_map._visible(layers(), print_map._view_box(FRAME))
    counts = print_map.quality_counts(shown)
    assert counts == {"surveyed": 1, "schematic": 3}  # the hydropower plant outside the frame is not counted
    note = print_map.quality_note(counts, "vi")
    assert note.startswith("Độ tin cậy hình học của các đối tượng trên bản đồ: đo đạc: 1; sơ đồ: 3.")
    assert "Sơ đồ: sơ đồ minh họa" in note
    only_schematic = print_map.quality_note({"schematic": 2}, "en")
    assert "surveyed" not in only_schematic.lower() and "Schematic: schematic" in only_schematic
    sample = print_map.quality_note({"sample": 4}, "vi")
    assert "không phải số liệu thật" in sample
    assert print_map.quality_note({}, "vi") == "Không có đối tượng nào trong khung in."


def test_unknown_paper_and_format_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown paper size"):
        print_map.page_size_mm("Letter", "portrait")
    with pytest.raises(ValueError, match="unknown format"):
        print_map.render(layers(), FRAME, PrintOptions(title="x"), "svg")  # type: ignore[arg-type]

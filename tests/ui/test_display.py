"""How pages write the store's own notes and names: the project's fixed English notes in the page's language."""

from __future__ import annotations

import pytest

from layers.store import layer_summary
from ui.display import editor_label, version_note


@pytest.mark.parametrize(
    ("stored", "vi", "en"),
    [
        ("built from the project's data/", "tạo từ dữ liệu của dự án (data/)", "built from the project's data/"),
        (layer_summary("import lô.shp", 12), "nhập từ lô.shp (12 đối tượng)", "import lô.shp (12 feature(s))"),
        (
            layer_summary("rebuilt from boundaries from xa.geojson: 16 of 17 units matched", 10),
            "dựng lại theo: ranh giới từ xa.geojson: khớp 16/17 đơn vị (10 đối tượng)",
            "rebuilt from boundaries from xa.geojson: 16 of 17 units matched (10 feature(s))",
        ),
        ("appended 3 row(s)", "thêm 3 dòng", "appended 3 row(s)"),
        ("7 candidate sites (min 2.5 ha)", "7 địa điểm ứng viên (tối thiểu 2,5 ha)", "7 candidate sites (min 2.5 ha)"),
        (layer_summary("", 4), "4 đối tượng", "4 feature(s)"),
        # a planner's own note is shown as it was written, only the store's count is the page's
        (layer_summary("Sửa lô R1", 5), "Sửa lô R1 (5 đối tượng)", "Sửa lô R1 (5 feature(s))"),
        ("ghi chú: set up lại", "ghi chú: set up lại", "ghi chú: set up lại"),
    ],
)
def test_the_projects_notes_in_the_page_language(stored: str, vi: str, en: str | None) -> None:
    assert version_note(stored, "vi") == vi
    if en is not None:
        assert version_note(stored, "en") == en


def test_the_stores_own_user_names_in_words() -> None:
    assert editor_label("system", "vi") == "hệ thống" and editor_label(None, "en") == "unknown"
    assert editor_label("lan", "vi") == "lan"

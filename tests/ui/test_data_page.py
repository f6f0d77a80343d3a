"""The data page: helpers, and the page in Streamlit's AppTest against a temporary store."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from layers.store import Store, create_store, open_store
from tests.geo.test_io_corpus import CASES, sample_frame, shapefile_zip
from ui import state
from ui.data_page import crs_label, crs_options, digest, mapping_from_table, mapping_table


def test_crs_options_put_the_guess_first() -> None:
    assert crs_options(9208) == [9208, 3405, 4326]
    assert crs_options(3405) == [3405, 9208, 4326]
    assert crs_options(None) == [9208, 3405, 4326]
    assert "đoán" in crs_label(9208, "vi", guess=9208)
    assert "guess" not in crs_label(4326, "en", guess=9208)


def test_mapping_table_round_trip() -> None:
    table = mapping_table("cluster_lots", {"name": "Tên", "status": "TT"}, "vi")
    assert {"id", "name", "source", "geom_quality", "cluster_id", "status"} <= set(table["field"])
    assert table.loc[table["field"] == "status", "required"].item()
    assert mapping_from_table(table) == {"name": "Tên", "status": "TT"}


def _app() -> None:
    from ui import data_page

    data_page.render()


#: the signed-in session of each test store's planner (empty on a tree without logins)
SESSIONS: dict[str, dict[str, object]] = {}
PASSWORD = "mật-khẩu-đủ-dài-1"  # a test account's


def signed_in(store: Store, name: str) -> dict[str, object]:
    """The session state of a tab where ``name``, an editor who may write and restore every layer, is signed in.

    On a tree without logins the acting user is ``BAOYEN_USER``, and nothing needs setting.
    """
    try:
        from services import accounts
        from services.context import SYSTEM
    except ImportError:
        return {}
    accounts.add_user(store, name, "editor", PASSWORD, actor=SYSTEM)
    accounts.grant(store, name, "*", "rwa", actor=SYSTEM)
    session = accounts.start_session(store, accounts.sign_in(store, name, PASSWORD))
    SESSIONS[os.environ["BAOYEN_STORE"]] = {state.SESSION_TOKEN: session.token}
    return SESSIONS[os.environ["BAOYEN_STORE"]]


def _session(at: AppTest) -> AppTest:
    for key, value in SESSIONS.get(os.environ.get("BAOYEN_STORE", ""), {}).items():
        at.session_state[key] = value
    return at


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("BAOYEN_STORE", str(path))
    monkeypatch.setenv("BAOYEN_USER", "chuyen_vien_a")
    st.cache_resource.clear()
    st.cache_data.clear()
    s = create_store(path)
    signed_in(s, "chuyen_vien_a")
    yield s
    SESSIONS.pop(str(path), None)
    st.cache_resource.clear()
    st.cache_data.clear()


def _page(upload: Path | None = None, *, target: str = "my_lots", lang: str = "vi", **extra: object) -> AppTest:
    # (format functions read the session language; AppTest formats in the test process, so tests use "vi")
    at = _session(AppTest.from_function(_app, default_timeout=60))
    at.session_state[state.LANG] = lang
    if target not in ("cluster_lots",):
        at.session_state[state.DATA_TARGET] = "__new__"
        at.session_state[state.DATA_NEW_ID] = target
    else:
        at.session_state[state.DATA_TARGET] = target
    if upload is not None:
        data = upload.read_bytes()
        at.session_state[state.DATA_UPLOAD] = {"name": upload.name, "data": data, "digest": digest(data)}
    for k, v in extra.items():
        at.session_state[k] = v
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [
        e.value for kind in ("info", "warning", "success", "error", "caption", "markdown") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_empty_page_asks_for_a_file(store: Store) -> None:
    at = _page()
    assert not at.exception
    assert "tải tệp lên" in _texts(at).lower()


def test_upload_preview_commit_history_restore(store: Store, tmp_path: Path) -> None:
    first = shapefile_zip(tmp_path / "a", sample_frame(3))
    at = _page(first)
    assert not at.exception
    report = at.table[0].value
    assert "3" in report.iloc[:, 1].tolist()
    assert at.dataframe[0].value.shape[0] == 3
    at.button(key=state.DATA_COMMIT).click().run()
    assert not at.exception
    assert "phiên bản 1" in _texts(at)
    assert [v.version for v in store.history("my_lots")] == [1]
    assert state.DATA_UPLOAD not in at.session_state

    second = shapefile_zip(tmp_path / "b", sample_frame(2))
    at = _page(second)
    at.button(key=state.DATA_COMMIT).click().run()
    assert len(store.read_layer("my_lots")) == 2

    at = _page()
    at.selectbox(key=state.DATA_HISTORY_LAYER).select("my_lots").run()
    assert at.dataframe[0].value.shape[0] == 2
    at.selectbox(key=state.DATA_RESTORE_PICK).select(1).run()
    at.button(key=state.DATA_RESTORE).click().run()
    assert not at.exception
    assert len(store.read_layer("my_lots")) == 3
    assert "khôi phục" in _texts(at).lower()


def test_missing_crs_offers_the_guess_and_the_usual_choices(store: Store, tmp_path: Path) -> None:
    at = _page(shapefile_zip(tmp_path, drop=("prj",)))
    assert not at.exception
    radio = at.radio(key=state.DATA_CRS_PICK)
    assert radio.options[0].startswith("EPSG:9208") and "đoán" in radio.options[0]
    assert [o.split(" ")[0] for o in radio.options] == ["EPSG:9208", "EPSG:3405", "EPSG:4326"]
    assert "Đoán từ giá trị tọa độ: EPSG:9208" in _texts(at)
    # the refusal and what the values look like, in the page's language
    assert "khớp với VN-2000 / TM-3 104°45′ trên địa bàn Lào Cai" in _texts(at)
    assert "thiếu tệp .prj" in _texts(at)
    assert "fit VN-2000" not in _texts(at) and "has no .prj" not in _texts(at)
    radio.set_value(9208).run()
    at.button(key=state.DATA_CRS_APPLY).click().run()
    assert not at.exception
    assert at.session_state[state.DATA_CRS] == "EPSG:9208"
    assert not at.button(key=state.DATA_COMMIT).disabled


def test_catalogue_layer_needs_mapping_and_blocks_commit(store: Store, tmp_path: Path) -> None:
    at = _page(shapefile_zip(tmp_path), target="cluster_lots")
    assert not at.exception
    assert at.button(key=state.DATA_COMMIT).disabled
    assert any("cluster_id, status" in e.value for e in at.error)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name in ("zip bomb (ratio)", "XXE in KML", "truncated .shp")], ids=lambda c: c.name
)
def test_hostile_upload_shows_one_error_and_writes_nothing(store: Store, tmp_path: Path, case) -> None:  # type: ignore[no-untyped-def]
    _page()  # the page opens (and builds) the store first
    before = {lid: [v.version for v in store.history(lid)] for lid in store.layer_ids()}
    at = _page(case.build(tmp_path))
    assert not at.exception
    assert len(at.error) == 1
    assert {lid: [v.version for v in store.history(lid)] for lid in store.layer_ids()} == before


def test_export_builds_a_download(store: Store, tmp_path: Path) -> None:
    store.write_layer("my_lots", sample_frame(2), user="t")
    at = _page()
    at.selectbox(key=state.DATA_EXPORT_LAYER).select("my_lots").run()
    at.selectbox(key=state.DATA_EXPORT_FORMAT).select("csv").run()
    at.button(key=state.DATA_EXPORT).click().run()
    assert not at.exception
    assert len(at.get("download_button")) == 1


def test_real_boundaries_from_the_page_rebuild_the_2025_communes(
    store_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the same use case as `baoyen import-boundaries`: both commune layers, in one transaction
    monkeypatch.setenv("BAOYEN_STORE", str(store_copy))
    monkeypatch.setenv("BAOYEN_USER", "chuyen_vien_b")
    st.cache_resource.clear()
    st.cache_data.clear()
    signed_in(open_store(store_copy), "chuyen_vien_b")
    units = open_store(store_copy).read_layer("communes_legacy")
    real = units[["ma_xa", "ten_xa", "geometry"]].rename(columns={"ten_xa": "name"})
    real["geometry"] = real.geometry.buffer(-30)
    path = tmp_path / "xa.geojson"
    real.to_crs(4326).to_file(path, driver="GeoJSON")
    at = _session(AppTest.from_function(_app, default_timeout=60))
    at.session_state[state.LANG] = "vi"
    at.session_state[state.DATA_TARGET] = "communes_legacy"
    data = path.read_bytes()
    at.session_state[state.DATA_UPLOAD] = {"name": path.name, "data": data, "digest": digest(data)}
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at.button(key=state.DATA_BOUNDARY_COMMIT).click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "17/17" in _texts(at)
    store = open_store(store_copy)
    assert set(store.read_layer("communes_legacy")["geom_quality"]) == {"digitised"}
    names = store.read_layer("communes_2025")["ten_xa"]
    assert names.notna().all() and (names.astype(str).str.strip() != "").all()
    assert store.history("communes_2025")[-1].user == "chuyen_vien_b"
    st.cache_resource.clear()
    st.cache_data.clear()


def test_a_restore_on_a_version_someone_replaced_is_refused(store: Store, tmp_path: Path) -> None:
    first = shapefile_zip(tmp_path / "a", sample_frame(3))
    at = _page(first)
    at.button(key=state.DATA_COMMIT).click().run()
    at = _page(shapefile_zip(tmp_path / "b", sample_frame(2)))
    at.button(key=state.DATA_COMMIT).click().run()
    at = _page()
    at.selectbox(key=state.DATA_HISTORY_LAYER).select("my_lots").run()
    at.selectbox(key=state.DATA_RESTORE_PICK).select(1).run()
    # meanwhile, somebody else saves the layer
    store.write_layer("my_lots", sample_frame(5), user="nguoi_khac", message="other session")
    at.button(key=state.DATA_RESTORE).click().run()
    assert not at.exception
    assert any("người khác" in e.value for e in at.error)
    assert "--" not in " ".join(e.value for e in at.error)  # no command-line advice on a page
    assert len(store.read_layer("my_lots")) == 5


def test_history_tab_shows_the_layers_audit_trail(store: Store, tmp_path: Path) -> None:
    at = _page(shapefile_zip(tmp_path / "a", sample_frame(3)))
    at.button(key=state.DATA_COMMIT).click().run()
    store.restore("my_lots", 1, user="nguoi_khac")
    at = _page()
    at.selectbox(key=state.DATA_HISTORY_LAYER).select("my_lots").run()
    assert not at.exception
    assert "Nhật ký thay đổi của lớp" in _texts(at)
    audit = at.dataframe[1].value
    assert list(audit.columns) == [
        "Thời điểm (UTC)",
        "Người thay đổi",
        "Thao tác",
        "Phiên bản trước",
        "Phiên bản sau",
        "Tóm tắt",
    ]
    assert audit["Người thay đổi"].tolist() == ["chuyen_vien_a", "nguoi_khac"]
    assert audit["Thao tác"].tolist() == ["Ghi lớp", "Khôi phục"]
    assert audit["Phiên bản trước"].tolist() == [0, 1] and audit["Phiên bản sau"].tolist() == [1, 2]
    first = store.audit(layer="my_lots")[0].at  # UTC ISO, shown as dd/mm/yyyy hh:mm
    assert audit["Thời điểm (UTC)"].iloc[0] == f"{first[8:10]}/{first[5:7]}/{first[:4]} {first[11:16]}"


def test_an_import_over_a_layer_changed_since_the_preview_asks_again(store: Store, tmp_path: Path) -> None:
    at = _page(shapefile_zip(tmp_path / "a", sample_frame(3)))
    at.button(key=state.DATA_COMMIT).click().run()
    at = _page(shapefile_zip(tmp_path / "b", sample_frame(2)))  # previewed over version 1
    # meanwhile, somebody else saves the layer
    store.write_layer("my_lots", sample_frame(5), user="nguoi_khac", message="other session")
    at.button(key=state.DATA_COMMIT).click().run()
    assert not at.exception, at.exception
    assert len(store.read_layer("my_lots")) == 5  # nothing written
    saved = store.history("my_lots")[-1].written_at
    when = f"{saved[8:10]}/{saved[5:7]}/{saved[:4]} {saved[11:16]}"
    question = [w.value for w in at.warning if "đã thay đổi từ khi bạn xem trước" in w.value]
    assert question == [
        f"Lớp «my_lots» đã thay đổi từ khi bạn xem trước: phiên bản 2 do nguoi_khac lưu lúc {when} (UTC). Vẫn nhập "
        "đè lên phiên bản 2?"
    ]
    assert not [b for b in at.button if b.key == state.DATA_COMMIT]  # only the question's button imports now
    anyway = at.button(key=state.DATA_COMMIT_ANYWAY)
    assert anyway.label == "Vẫn nhập, thay phiên bản 2"
    # and once more someone saves before the answer: the question is asked again, over the newer version
    store.write_layer("my_lots", sample_frame(4), user="nguoi_thu_ba")
    anyway.click().run()
    assert not at.exception, at.exception
    assert len(store.read_layer("my_lots")) == 4
    assert any("phiên bản 3 do nguoi_thu_ba" in w.value for w in at.warning)
    at.button(key=state.DATA_COMMIT_ANYWAY).click().run()
    assert not at.exception, at.exception
    assert len(store.read_layer("my_lots")) == 2 and store.current_version("my_lots") == 4
    assert store.history("my_lots")[-1].user == "chuyen_vien_a"
    assert "phiên bản 4" in _texts(at) and state.DATA_UPLOAD not in at.session_state


def test_a_tables_notices_show_in_the_pages_language(store: Store, tmp_path: Path) -> None:
    table = tmp_path / "diem.csv"
    table.write_text("ten,X,Y\nĐiểm A,2475000,438000\nĐiểm B,,\nĐiểm C,2475100,438100\n", encoding="utf-8")
    at = _page(table)
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("1 dòng không có tọa độ (dòng 3) vẫn được giữ lại nhưng không có vị trí" in w for w in warnings), (
        warnings
    )
    assert not any("without coordinates" in w for w in warnings)
    at = _page(table, lang="en")
    assert any("1 row(s) without coordinates (3) are kept without a location" in w.value for w in at.warning)

"""The sidebar's sign-in on the whole app (AppTest of app.py): sign in, a one-time password to change, sign out;
the pages refuse changes without a sign-in; listening beyond this machine needs a sign-in for viewing too."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from layers.store import open_store
from services import accounts
from tests.conftest import ADMIN_PASSWORD, signed
from tests.ui.helpers import store_at
from ui import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture()
def store(store_copy: Path) -> Iterator[Path]:
    with store_at(store_copy) as path:
        yield path


def app(**session: object) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def sidebar_text(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in [*at.sidebar.caption, *at.sidebar.markdown])


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.sidebar.text_input(key="auth.form.name").input(name)
    at.sidebar.text_input(key="auth.form.password").input(password)
    (button,) = [b for b in at.sidebar.button if b.label == "Đăng nhập"]
    return button.click().run()


def test_sign_in_and_out(store: Path) -> None:
    at = app()
    assert not at.exception, at.exception
    assert "Xem không cần đăng nhập" in sidebar_text(at)
    sign_in(at, "admin", "sai-mật-khẩu")
    assert any("tên người dùng hoặc mật khẩu không đúng" in e.value for e in at.error)
    sign_in(at, "admin", ADMIN_PASSWORD)
    assert not at.exception, at.exception
    assert "Đã đăng nhập: **admin** (quản trị)" in sidebar_text(at)
    token = at.session_state[state.SESSION_TOKEN]
    assert accounts.session_actor(open_store(store), token).user == "admin"  # the session is in the store
    next(b for b in at.sidebar.button if b.label == "Đăng xuất").click().run()
    assert accounts.session_actor(open_store(store), token).user == ""  # ended for every process
    assert "Đã đăng nhập" not in sidebar_text(at) and at.session_state[state.SIGNED_OUT]


def test_a_one_time_password_must_be_changed_first(store: Path) -> None:
    s = open_store(store)
    boss = signed(s)
    accounts.add_user(s, "lan", "editor", "mật-khẩu-ban-đầu", actor=boss)
    accounts.set_password(s, "lan", "một-lần-duy-nhất", actor=boss)  # an admin's reset: one-time
    at = app()
    sign_in(at, "lan", "một-lần-duy-nhất")
    assert any("mật khẩu dùng một lần" in w.value for w in at.sidebar.warning)
    at.sidebar.text_input(key="auth.form.new").input("mật-khẩu-mới-của-lan")
    at.sidebar.text_input(key="auth.form.again").input("mật-khẩu-mới-của-lan")
    next(b for b in at.sidebar.button if b.label == "Đặt mật khẩu mới").click().run()
    assert not at.exception, at.exception
    assert not at.sidebar.warning and "Đã đăng nhập: **lan** (biên tập)" in sidebar_text(at)
    assert accounts.sign_in(s, "lan", "mật-khẩu-mới-của-lan").must_change is False


def test_a_page_refuses_a_change_without_sign_in(store: Path) -> None:
    from tests.ui.helpers import run_page

    at = run_page("targets_page", signed_in=None, timeout=90)
    form_select = at.selectbox[0]
    form_select.select_index(0)
    at.text_input[1].input("85")
    at.button[0].click().run()
    assert any("cần người dùng đã đăng nhập" in e.value and "đăng nhập ở thanh bên trái" in e.value for e in at.error)
    assert open_store(store).read_table("target_actuals").empty


@pytest.mark.parametrize("address", ["0.0.0.0", ""])
def test_listening_on_the_network_without_sign_in_for_viewing_is_refused(
    store: Path, address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.set_option("server.address", address)
    at = app()
    assert any("mọi máy trong mạng" in e.value for e in at.error)
    assert not at.sidebar.text_input  # nothing else is served
    monkeypatch.setenv("BAOYEN_LOGIN", "all")  # every page needs a sign-in: allowed, and only the sign-in shows
    import streamlit as st

    st.cache_resource.clear()
    at = app()
    assert not at.error and any("yêu cầu đăng nhập để xem" in i.value for i in at.info)
    sign_in(at, "admin", ADMIN_PASSWORD)
    assert not at.info and "Đã đăng nhập" in sidebar_text(at)

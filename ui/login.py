"""The sidebar's sign-in: who is signed in, sign in, sign out, set a new password.

A sign-in starts a session (``services.accounts.start_session``): its token is kept in this tab's session state
and in a cookie (``SameSite=Strict``, this host only), so other tabs and other app processes over the same store
find the same session; the store keeps only the token's hash. Signing out ends the session in the store, so the
token no longer works anywhere, and clears the cookie.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from geo.errors import PlanError
from services.accounts import (
    SESSION_LIFETIME,
    set_password,
    sign_in,
    sign_out,
    start_session,
    whoami,
)
from services.context import Actor
from ui import state
from ui.common import SESSION_COOKIE, accounts_store, actor, session_token, show_error, tr
from ui.escape import js_json


def _cookie_script(token: str | None) -> str:
    """The script that sets (or, for None, clears) the session cookie of this host."""
    if token is None:
        value, age = "", 0
    else:
        value, age = token, int(SESSION_LIFETIME.total_seconds())
    cookie = f"{SESSION_COOKIE}={value}; Max-Age={age}; Path=/; SameSite=Strict"
    return f"<script>window.parent.document.cookie = {js_json(cookie)};</script>"


def _set_cookie(token: str | None) -> None:
    components.html(_cookie_script(token), height=0)


def _start(person: Actor) -> None:
    session = start_session(accounts_store(), person)
    st.session_state[state.SESSION_TOKEN] = session.token
    st.session_state[state.SIGNED_OUT] = False


def _sign_in_form() -> None:
    with st.form(state.AUTH_FORM, clear_on_submit=True):
        st.markdown(f"**{tr('auth.title')}**")
        name = st.text_input(tr("auth.name"), key="auth.form.name")
        password = st.text_input(tr("auth.password"), type="password", key="auth.form.password")
        submitted = st.form_submit_button(tr("auth.sign_in"))
    if submitted:
        try:
            _start(sign_in(accounts_store(), name, password))
        except PlanError as exc:
            show_error(exc)
            return
        st.rerun()


def _new_password_form(person: Actor) -> None:
    st.warning(tr("auth.must_change"))
    with st.form(state.AUTH_PASSWORD_FORM, clear_on_submit=True):
        new = st.text_input(tr("auth.new_password"), type="password", key="auth.form.new")
        again = st.text_input(tr("auth.new_password_again"), type="password", key="auth.form.again")
        submitted = st.form_submit_button(tr("auth.set_password"))
    if not submitted:
        return
    if new != again:
        st.error(tr("auth.passwords_differ"))
        return
    try:
        set_password(accounts_store(), person.user, new, actor=person)
        _start(sign_in(accounts_store(), person.user, new))  # the change ended every session of the account
    except PlanError as exc:
        show_error(exc)
        return
    st.rerun()


def sidebar() -> Actor:
    """The sign-in part of the sidebar; returns who is signed in (or nobody)."""
    person = actor()
    token = session_token()
    if person.signed_in:
        info = whoami(accounts_store(), person)
        role = tr(f"auth.role.{info.role}") if info else ""
        st.caption(tr("auth.signed_in_as").format(user=person.user, role=role))
        if st.session_state.get(state.SESSION_TOKEN) is None and token:
            st.session_state[state.SESSION_TOKEN] = token  # found in the cookie: kept for this tab
        _set_cookie(token)
        if person.must_change:
            _new_password_form(person)
        if st.button(tr("auth.sign_out"), key="auth.sign_out"):
            sign_out(accounts_store(), token)
            st.session_state[state.SESSION_TOKEN] = None
            st.session_state[state.SIGNED_OUT] = True
            st.rerun()
        return person
    if st.session_state.get(state.SIGNED_OUT) or token:  # signed out here, or a cookie of an ended session
        _set_cookie(None)
        st.session_state[state.SESSION_TOKEN] = None
    _sign_in_form()
    st.caption(tr("auth.first_start"))
    return person

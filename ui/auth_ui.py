"""Login wiring: streamlit-authenticator (through ui.auth_adapter) draws the login form and keeps
the re-login cookie; our database decides who may log in and whether a session is still valid."""
from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

import streamlit as st

import config
from config import ConfigError, check_startup, cookie_key, settings
from services import auth, clock
from services.authz import Actor
from ui import auth_adapter
from ui.auth_adapter import LoginWidget
from ui.client import client_address
from ui.i18n import t
from ui.session import ACTOR_KEY, AUTH_AT_KEY

LOGIN_RESULT_KEY = "nss_login_result"
AUTHENTICATOR_KEY = "_nss_authenticator"


class UserDirectory(Mapping):
    """Stands in for the library's credentials["usernames"] dict: one database lookup per
    question, never a copy of every user (its constructor would copy a real dict each run)."""

    def __contains__(self, login_id: object) -> bool:
        return isinstance(login_id, str) and auth.user_directory_entry(login_id) is not None

    def __getitem__(self, login_id: str) -> dict[str, Any]:
        entry = auth.user_directory_entry(login_id)
        if entry is None:
            raise KeyError(login_id)
        return entry

    def get(self, login_id, default=None):
        entry = auth.user_directory_entry(login_id) if isinstance(login_id, str) else None
        return default if entry is None else entry

    def __iter__(self) -> Iterator[str]:  # nothing may list every user
        return iter(())

    def __len__(self) -> int:
        return 0


def _check_credentials(login_id: str, password: str) -> bool:
    result = auth.authenticate(login_id, password, client=client_address())
    st.session_state[LOGIN_RESULT_KEY] = result
    if result.ok:
        st.session_state[AUTH_AT_KEY] = clock.now()
    return result.ok


def get_authenticator() -> LoginWidget:
    """One per run (app.py): the library keeps per-run component state."""
    cfg = settings()
    authenticator = LoginWidget(cookie_name=cfg.cookie_name, cookie_key=cookie_key(),
                                cookie_hours=cfg.cookie_hours, users=UserDirectory(),
                                check_credentials=_check_credentials)
    st.session_state[AUTHENTICATOR_KEY] = authenticator
    return authenticator


def current_authenticator() -> LoginWidget:
    return st.session_state[AUTHENTICATOR_KEY]


def login_form(authenticator: LoginWidget) -> bool:
    """The login page's form; True once this session is logged in (the library then asked for the
    re-login cookie, which this run writes into the browser at once)."""
    def draw() -> bool:
        return authenticator.form(key="nss_login", title=t("login.form"), login_id=t("login.login_id"),
                                  password=t("login.password"), submit=t("login.submit"))
    if not draw():  # the library refused a stale cookie before drawing: forget it, draw the form
        end_session(authenticator)
        draw()
    if not auth_adapter.is_logged_in():
        return False
    st.session_state.pop(LOGIN_RESULT_KEY, None)
    auth_adapter.render_cookie_writer()  # in this run, before any page shows the login
    return True


def _cookie_issued_at() -> datetime | None:
    cfg = settings()
    return auth_adapter.cookie_issued_at(st.context.cookies.get(cfg.cookie_name), cookie_key(), cfg.cookie_hours)


def start_session(actor: Actor) -> None:
    """Logged in without the form (demo button): mirror what the library sets."""
    auth_adapter.mark_logged_in(auth.login_key(actor.login_id), actor.display_name, sorted(actor.roles))
    st.session_state[AUTH_AT_KEY] = clock.now()
    _write_cookie_now()


def _write_cookie_now() -> None:
    """The library's cookie for this session, written by this run (app.py's writer only runs on
    the next one, which a URL opened meanwhile would not reach)."""
    current_authenticator().write_cookie()
    auth_adapter.render_cookie_writer()


def end_session(authenticator: LoginWidget) -> None:
    auth_adapter.mark_logged_out()
    ss = st.session_state
    for key in (ACTOR_KEY, AUTH_AT_KEY, LOGIN_RESULT_KEY):
        ss.pop(key, None)
    with contextlib.suppress(Exception):  # a cookie that is already gone is fine
        authenticator.delete_cookie()


def resolve_actor(authenticator: LoginWidget) -> Actor | None:
    """Run on every page run: restore from the cookie, then re-check the user in the database."""
    ss = st.session_state
    if not auth_adapter.is_logged_in():
        if not authenticator.restore_from_cookie():  # a cookie of a user who may no longer log in
            end_session(authenticator)
            return None
        if auth_adapter.is_logged_in():
            ss[AUTH_AT_KEY] = _cookie_issued_at()
    if not auth_adapter.is_logged_in():
        ss.pop(ACTOR_KEY, None)
        return None
    authenticated_at = ss.get(AUTH_AT_KEY)
    actor = auth.session_actor(auth_adapter.logged_in_username(), authenticated_at) if authenticated_at else None
    if actor is None:
        end_session(authenticator)
        return None
    ss[ACTOR_KEY] = actor
    return actor


def after_password_change(actor: Actor) -> None:
    """The change revoked older cookies; this session carries on with a fresh one."""
    st.session_state[AUTH_AT_KEY] = clock.now()
    st.session_state[ACTOR_KEY] = actor
    _write_cookie_now()


def logout(authenticator: LoginWidget, actor: Actor) -> None:
    auth.logout(actor)
    end_session(authenticator)


def _stop_server() -> None:
    """Streamlit shuts down on SIGTERM: the health check stops answering and a supervisor sees it."""
    os.kill(os.getpid(), signal.SIGTERM)


def refuse_if_misconfigured(stop_server: Callable[[], None] | None = None) -> None:
    """First thing on every run: a deployment that cannot work (a weak or missing cookie key) says
    why in the server log, shows a plain message, and stops the server, rather than reporting
    healthy while every page fails."""
    try:
        check_startup()
    except ConfigError as exc:
        sys.stderr.write(f"Refusing to start: {exc}\n")
        sys.stderr.flush()
        st.error(t("app.misconfigured"), icon=":material/error:")
        (stop_server or _stop_server)()
        st.stop()


def _server_address() -> str | None:
    return st.config.get_option("server.address")


def demo_logins_offered() -> bool:
    """One-click demo logins (staff included) only where nobody else can reach them, unless
    NSS_DEMO_PUBLIC=1: `dev.py run` binds the demo to 127.0.0.1; a server started on another
    address does not show them."""
    return config.demo_logins_offered(settings(), _server_address())

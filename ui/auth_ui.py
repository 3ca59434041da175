"""streamlit-authenticator wiring: it draws the login form and keeps the re-login cookie;
our database decides who may log in and whether a session is still valid."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import jwt
import streamlit as st
import streamlit_authenticator as stauth

from config import cookie_key, settings
from services import auth, clock
from services.authz import Actor
from ui.session import ACTOR_KEY, AUTH_AT_KEY, COOKIE_PENDING_KEY, COOKIE_WRITE_RUNS, LIBRARY_KEYS

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
    result = auth.authenticate(login_id, password)
    st.session_state[LOGIN_RESULT_KEY] = result
    if result.ok:
        st.session_state[AUTH_AT_KEY] = clock.now()
    return result.ok


def get_authenticator() -> stauth.Authenticate:
    """One per run (app.py): the library keeps per-run component state."""
    cfg = settings()
    authenticator = stauth.Authenticate(
        {"usernames": {}}, cfg.cookie_name, cookie_key(), cfg.cookie_hours / 24,
        login_sleep_time=0)
    model = authenticator.authentication_controller.authentication_model
    model.credentials["usernames"] = UserDirectory()
    model.check_credentials = _check_credentials
    st.session_state[AUTHENTICATOR_KEY] = authenticator
    return authenticator


def current_authenticator() -> stauth.Authenticate:
    return st.session_state[AUTHENTICATOR_KEY]


def _cookie_issued_at() -> datetime | None:
    token = st.context.cookies.get(settings().cookie_name)
    if not token:
        return None
    try:
        data = jwt.decode(token, cookie_key(), algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    expires = datetime.fromtimestamp(float(data["exp_date"]), tz=timezone.utc)
    return expires - timedelta(hours=settings().cookie_hours)


def start_session(actor: Actor) -> None:
    """Logged in without the form (demo button): mirror what the library sets."""
    ss = st.session_state
    ss["authentication_status"] = True
    ss["username"] = auth.login_key(actor.login_id)
    ss["name"] = actor.display_name
    ss["roles"] = sorted(actor.roles)
    ss["logout"] = False
    ss[AUTH_AT_KEY] = clock.now()
    ss[COOKIE_PENDING_KEY] = COOKIE_WRITE_RUNS


def end_session(authenticator: stauth.Authenticate) -> None:
    ss = st.session_state
    for key in LIBRARY_KEYS:
        ss[key] = None
    for key in (ACTOR_KEY, AUTH_AT_KEY, LOGIN_RESULT_KEY, COOKIE_PENDING_KEY):
        ss.pop(key, None)
    ss["logout"] = True  # the library then ignores a cookie still in the browser
    try:
        authenticator.cookie_controller.delete_cookie()
    except Exception:  # noqa: BLE001 - a cookie that is already gone is fine
        pass


def resolve_actor(authenticator: stauth.Authenticate) -> Actor | None:
    """Run on every page run: restore from the cookie, then re-check the user in the database."""
    ss = st.session_state
    if not ss.get("authentication_status"):
        authenticator.login(location="unrendered")
        if ss.get("authentication_status"):
            ss[AUTH_AT_KEY] = _cookie_issued_at()
    if not ss.get("authentication_status"):
        ss.pop(ACTOR_KEY, None)
        return None
    authenticated_at = ss.get(AUTH_AT_KEY)
    actor = auth.session_actor(ss["username"], authenticated_at) if authenticated_at else None
    if actor is None:
        end_session(authenticator)
        return None
    ss[ACTOR_KEY] = actor
    runs_left = int(ss.get(COOKIE_PENDING_KEY) or 0)
    if runs_left > 0:
        authenticator.cookie_controller.set_cookie()
        ss[COOKIE_PENDING_KEY] = runs_left - 1
    return actor


def after_password_change(actor: Actor) -> None:
    """The change revoked older cookies; this session carries on with a fresh one."""
    st.session_state[AUTH_AT_KEY] = clock.now()
    st.session_state[ACTOR_KEY] = actor
    st.session_state[COOKIE_PENDING_KEY] = COOKIE_WRITE_RUNS


def logout(authenticator: stauth.Authenticate, actor: Actor) -> None:
    auth.logout(actor)
    end_session(authenticator)

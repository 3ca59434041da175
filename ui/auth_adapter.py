"""The one module that knows streamlit-authenticator (pinned in requirements.txt).

The library draws the login form and keeps the re-login cookie. We swap two of its internals: its
credential store (a dict of every user, copied on each run) becomes a lookup of one user at a time,
and its password check becomes ours (services.auth: lockout, audit, temporary-account expiry).
What it keeps in session state and how it signs its cookie are read here too. All of that depends
on the library's internals of the pinned version; tests/unit/test_auth_adapter.py checks them, so
an upgrade fails there first. Nothing else imports the library.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import streamlit as st
import streamlit_authenticator as stauth

DISTRIBUTION = "streamlit-authenticator"
PINNED_VERSION = "0.4.2"

# The library's own session keys; cleared together when a session ends.
STATUS_KEY, USERNAME_KEY, NAME_KEY, ROLES_KEY = "authentication_status", "username", "name", "roles"
LOGOUT_KEY = "logout"
LIBRARY_KEYS = (STATUS_KEY, USERNAME_KEY, NAME_KEY, "email", ROLES_KEY)
COOKIE_ALGORITHM = "HS256"  # how the library signs its cookie
COOKIE_EXPIRY_CLAIM = "exp_date"


class LoginWidget:
    """The library's Authenticate object with our user lookup and password check plugged in."""

    def __init__(self, *, cookie_name: str, cookie_key: str, cookie_hours: float, users: Mapping[str, dict],
                 check_credentials: Callable[[str, str], bool]) -> None:
        self._library = stauth.Authenticate({"usernames": {}}, cookie_name, cookie_key, cookie_hours / 24,
                                            login_sleep_time=0)
        model = self._library.authentication_controller.authentication_model
        model.credentials["usernames"] = users
        model.check_credentials = check_credentials

    def form(self, *, key: str, title: str, login_id: str, password: str, submit: str) -> None:
        """Draw the login form; a correct submit logs in (see `is_logged_in`)."""
        self._library.login(location="main", key=key,
                            fields={"Form name": title, "Username": login_id, "Password": password,
                                    "Login": submit})

    def restore_from_cookie(self) -> None:
        """Log in from a valid re-login cookie, drawing nothing."""
        self._library.login(location="unrendered")

    def write_cookie(self) -> None:
        self._library.cookie_controller.set_cookie()

    def delete_cookie(self) -> None:
        self._library.cookie_controller.delete_cookie()


def is_logged_in() -> bool:
    return bool(st.session_state.get(STATUS_KEY))


def logged_in_username() -> str:
    return st.session_state[USERNAME_KEY]


def mark_logged_in(username: str, name: str, roles: list[str]) -> None:
    """What the library sets after its own form, for a login without the form (demo button)."""
    ss = st.session_state
    ss[STATUS_KEY] = True
    ss[USERNAME_KEY] = username
    ss[NAME_KEY] = name
    ss[ROLES_KEY] = roles
    ss[LOGOUT_KEY] = False


def mark_logged_out() -> None:
    ss = st.session_state
    for key in LIBRARY_KEYS:
        ss[key] = None
    ss[LOGOUT_KEY] = True  # the library then ignores a cookie still in the browser


def cookie_issued_at(token: str | None, cookie_key: str, cookie_hours: float) -> datetime | None:
    """When the library's re-login cookie `token` was written, or None if it is not a valid one."""
    if not token:
        return None
    try:
        data: dict[str, Any] = jwt.decode(token, cookie_key, algorithms=[COOKIE_ALGORITHM])
    except jwt.PyJWTError:
        return None
    expires = datetime.fromtimestamp(float(data[COOKIE_EXPIRY_CLAIM]), tz=UTC)
    return expires - timedelta(hours=cookie_hours)

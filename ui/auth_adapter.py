"""The one module that knows streamlit-authenticator (pinned in requirements.txt).

The library draws the login form and keeps the re-login cookie. We swap two of its internals: its
credential store (a dict of every user, copied on each run) becomes a lookup of one user at a time,
and its password check becomes ours (services.auth: lockout, audit, temporary-account expiry).
What it keeps in session state and how it signs its cookie are read here too. All of that depends
on the library's internals of the pinned version; tests/unit/test_auth_adapter.py checks them, so
an upgrade fails there first. Nothing else imports the library.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import jwt
import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.models import cookie_model
from streamlit_authenticator.utilities.exceptions import LoginError

from services import clock

DISTRIBUTION = "streamlit-authenticator"
PINNED_VERSION = "0.4.2"

# The library's own session keys; cleared together when a session ends.
STATUS_KEY, USERNAME_KEY, NAME_KEY, ROLES_KEY = "authentication_status", "username", "name", "roles"
LOGOUT_KEY = "logout"
LIBRARY_KEYS = (STATUS_KEY, USERNAME_KEY, NAME_KEY, "email", ROLES_KEY)
COOKIE_ALGORITHM = "HS256"  # how the library signs its cookie
COOKIE_EXPIRY_CLAIM = "exp_date"
COOKIE_USER_CLAIM = "username"
COOKIE_ISSUED_CLAIM = "iat"  # ours: when the cookie was written, so a logout or password change revokes it
CLOCK_SKEW_SECONDS = 60      # between app servers sharing one key


_COOKIE_WRITE_KEY = "nss_cookie_write"  # the cookie this session's browser must hold: set or delete


class DeferredCookies:
    """Stands in for extra_streamlit_components' CookieManager inside the library.

    That component is drawn on every run and reports the browser's cookies back, which makes
    Streamlit rerun the script on its own shortly after a page loads: a click landing then was lost
    (the first form sent after login showed no result). Here reading uses `st.context.cookies`
    (what the browser sent when the page loaded) and writing only records what the browser must
    hold; `render_cookie_writer()` writes it with a script that reports nothing back, so no rerun.
    """

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def get(self, cookie: str) -> str | None:
        return st.context.cookies.get(cookie)

    def get_all(self, *_args: Any, **_kwargs: Any) -> dict[str, str]:
        return dict(st.context.cookies)

    def set(self, cookie: str, val: str, expires_at: datetime | None = None, **_kwargs: Any) -> None:
        expires = (expires_at or datetime.now()).timestamp()
        st.session_state[_COOKIE_WRITE_KEY] = ("set", cookie, val, expires)

    def delete(self, cookie: str, **_kwargs: Any) -> None:
        st.session_state[_COOKIE_WRITE_KEY] = ("delete", cookie, "", 0.0)


# The library builds its cookie manager from this module attribute (models/cookie_model.py).
cookie_model.stx = SimpleNamespace(CookieManager=DeferredCookies)


# Drawn when nothing is to be written, so that the browser has the code that runs st.html's scripts
# before it is needed (fetched on a busy server right after the login, it came seconds late).
_IDLE_WRITER = "<script>/* nss: no cookie to write */</script>"


def render_cookie_writer() -> None:
    """Make the browser's cookie what this session says, from the page itself (no frame to load).

    app.py draws it first in the sidebar on every run, and the runs that log in or out draw it at
    once too (ui.auth_ui): the cookie is in the browser before the page shows who is logged in, so a
    URL opened or a reload at that moment keeps the login. The same content on every run keeps the
    same element, so the script runs once per change; a rerun right after a login cannot drop the
    write, because the next run draws it again. It reports nothing back, so no rerun."""
    pending = st.session_state.get(_COOKIE_WRITE_KEY)
    if not pending:
        st.html(_IDLE_WRITER, unsafe_allow_javascript=True)
        return
    op, name, value, expires = pending
    when = datetime.fromtimestamp(expires, tz=UTC) if op == "set" else datetime(1970, 1, 1, tzinfo=UTC)
    cookie = f"{name}={value}; expires={when.strftime('%a, %d %b %Y %H:%M:%S GMT')}; path=/; SameSite=Strict"
    # Only our own signed token and the configured name go in here, never user input; "<" escaped
    # so that nothing can close the script element.
    literal = json.dumps(cookie).replace("<", "\\u003c")
    st.html(f"<script>document.cookie = {literal};</script>", unsafe_allow_javascript=True)


def encode_cookie_token(username: str, cookie_key: str, cookie_hours: float) -> str:
    """The re-login cookie's token: the library's two claims plus when it was issued."""
    issued = clock.now().timestamp()
    return jwt.encode({COOKIE_USER_CLAIM: username, COOKIE_ISSUED_CLAIM: issued,
                       COOKIE_EXPIRY_CLAIM: issued + cookie_hours * 3600}, cookie_key, algorithm=COOKIE_ALGORITHM)


def decode_cookie_token(token: str | None, cookie_key: str, cookie_hours: float) -> dict[str, Any] | None:
    """The claims of a token this deployment issued and that is still within its lifetime, else None.

    Refused: a bad signature or shape, no issue time, one issued in the future, one older than the
    configured lifetime (whatever its expiry says), and one whose expiry lies beyond issue + lifetime.
    """
    if not token:
        return None
    try:
        data = jwt.decode(token, cookie_key, algorithms=[COOKIE_ALGORITHM], options={"verify_iat": False})
    except jwt.PyJWTError:
        return None
    username, issued, expires = (data.get(c) for c in (COOKIE_USER_CLAIM, COOKIE_ISSUED_CLAIM, COOKIE_EXPIRY_CLAIM))
    if not isinstance(username, str) or not username:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (issued, expires)):
        return None
    now, lifetime = clock.now().timestamp(), cookie_hours * 3600
    if not (now - lifetime <= issued <= now + CLOCK_SKEW_SECONDS):
        return None
    if expires > issued + lifetime + CLOCK_SKEW_SECONDS:
        return None
    return data


class LoginWidget:
    """The library's Authenticate object with our user lookup, password check and cookie token
    plugged in."""

    def __init__(self, *, cookie_name: str, cookie_key: str, cookie_hours: float, users: Mapping[str, dict],
                 check_credentials: Callable[[str, str], bool]) -> None:
        self._library = stauth.Authenticate({"usernames": {}}, cookie_name, cookie_key, cookie_hours / 24,
                                            login_sleep_time=0)
        model = self._library.authentication_controller.authentication_model
        model.credentials["usernames"] = users
        model.check_credentials = check_credentials
        # The library's token has only an expiry and its decoding lets any signed expiry through;
        # ours carries the issue time and is refused beyond the configured lifetime.
        cookies = self._library.cookie_controller.cookie_model
        cookies._token_encode = lambda: encode_cookie_token(st.session_state[USERNAME_KEY], cookie_key,
                                                            cookie_hours)
        cookies._token_decode = lambda: decode_cookie_token(cookies.token, cookie_key, cookie_hours) or False

    def form(self, *, key: str, title: str, login_id: str, password: str, submit: str) -> bool:
        """Draw the login form; a correct submit logs in (see `is_logged_in`). False when the
        library refused a re-login cookie (its user is gone or deactivated): end the session."""
        try:
            self._library.login(location="main", key=key,
                                fields={"Form name": title, "Username": login_id, "Password": password,
                                        "Login": submit})
        except LoginError:
            return False
        return True

    def restore_from_cookie(self) -> bool:
        """Log in from a valid re-login cookie, drawing nothing. False when the library refused the
        cookie's user (deactivated, a retired 仮ログイン ID): the caller ends the session."""
        try:
            self._library.login(location="unrendered")
        except LoginError:
            return False
        return True

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
    """When the re-login cookie `token` was written, or None if it is not a valid one."""
    data = decode_cookie_token(token, cookie_key, cookie_hours)
    return None if data is None else datetime.fromtimestamp(float(data[COOKIE_ISSUED_CLAIM]), tz=UTC)

"""The re-login cookie through app.py (issue 8 items 6 and 10): a stale cookie of a deactivated user or
a retired 仮ログイン ID shows the login form, never an error page; a valid one logs in."""
from __future__ import annotations

from datetime import timedelta

import pytest
import streamlit as st
from streamlit.runtime.context import ContextProxy, StreamlitCookies

from config import cookie_key, settings
from services import auth, clock, users
from services.authz import ADMIN, REVIEWER
from tests.factories import make_staff
from tests.ui.harness import app, texts
from ui import auth_adapter


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _browser_sends(monkeypatch, login_id: str) -> None:
    """A browser holding a re-login cookie for `login_id` (AppTest cannot seed st.context.cookies)."""
    token = auth_adapter.encode_cookie_token(auth.login_key(login_id), cookie_key(), settings().cookie_hours)
    jar = {settings().cookie_name: token}
    monkeypatch.setattr(ContextProxy, "cookies", property(lambda self: StreamlitCookies(jar)))


def _shows_login_form(at) -> bool:
    return [b.label for b in at.button if b.label == "ログイン"] == ["ログイン"] and len(at.text_input) >= 2


def test_a_valid_cookie_logs_in_without_the_form(sqlite_db, monkeypatch):
    with clock.shifted(timedelta(seconds=-5)):
        make_staff("rev1", REVIEWER)
    _browser_sends(monkeypatch, "rev1")
    at = app()
    assert not at.exception
    assert at.session_state["nss_actor"].login_id == "rev1"
    assert "rev1" in texts(at)


def test_a_cookie_of_a_deactivated_user_shows_the_login_form(sqlite_db, monkeypatch):
    with clock.shifted(timedelta(seconds=-5)):
        admin = make_staff("adm1", ADMIN)
        rev = make_staff("rev1", REVIEWER)
    _browser_sends(monkeypatch, "rev1")
    users.set_active(admin, rev.user_id, False)
    at = app()
    assert not at.exception, at.exception
    assert _shows_login_form(at)
    assert "nss_actor" not in at.session_state
    assert at.session_state["nss_cookie_write"][0] == "delete"  # the browser forgets the cookie
    at.run()  # and the next run draws the form again
    assert not at.exception and _shows_login_form(at)


def test_a_cookie_of_a_retired_temp_login_id_shows_the_login_form(sqlite_db, monkeypatch):
    from sqlalchemy import update

    from db.models import User
    from services.uow import UnitOfWork
    from tests.factories import issue
    result, _ = issue()
    with UnitOfWork() as u:  # what retire_temp_logins does after the office's first login
        u.session.execute(update(User).where(User.login_id == result.temp_login_id)
                          .values(is_active=False, sessions_valid_after=clock.now()))
        u.commit()
    _browser_sends(monkeypatch, result.temp_login_id)
    at = app()
    assert not at.exception, at.exception
    assert _shows_login_form(at)

"""パスワード変更 through app.py (issue 8 item 11): a weak password is refused in Japanese next to the
field; a 仮パスワード login sees only this page until it is changed."""
from __future__ import annotations

import pytest
import streamlit as st

from services.authz import ADMIN
from tests.factories import PASSWORD, issue, make_staff
from tests.ui.harness import app, texts

WEAK_MESSAGE = "推測されやすいパスワードです"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _login(login_id: str, password: str):
    at = app()
    at.text_input[0].input(login_id)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "ログイン").click().run()
    return at


def _change(at, current: str, new: str):
    at.text_input[0].input(current)
    at.text_input[1].input(new)
    at.text_input[2].input(new)
    next(b for b in at.button if b.label == "変更する").click().run()
    return at


@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "1234567890", "password12", "qwertyuiop"])
def test_a_weak_new_password_gets_the_japanese_message_under_its_field(sqlite_db, weak):
    make_staff("adm1", ADMIN, must_change=True)
    at = _change(_login("adm1", PASSWORD), PASSWORD, weak)
    assert not at.exception
    assert [e.value for e in at.error] and WEAK_MESSAGE in at.error[0].value
    assert at.session_state["nss_actor"].must_change_password  # nothing changed
    assert "パスワードを変更しました" not in texts(at)


def test_a_temporary_password_login_must_change_it_first(sqlite_db):
    result, password = issue()
    at = _login(result.temp_login_id, password)
    assert not at.exception
    assert "パスワード変更" in [t.value for t in at.title]
    assert "発行されたパスワードでログインしました" in texts(at)
    by_url = _login(result.temp_login_id, password)
    by_url.switch_page("screens/applicant/application.py").run()  # by URL: still the password page
    assert not by_url.exception
    assert "パスワード変更" in [t.value for t in by_url.title]
    at = _change(at, password, "Kiso-Umbrella-Orbit-73")
    assert not at.exception
    assert "パスワードを変更しました" in texts(at)
    assert at.session_state["nss_actor"].must_change_password is False


def test_a_password_over_72_bytes_is_refused_next_to_the_field(sqlite_db):
    make_staff("adm1", ADMIN, must_change=True)
    at = _change(_login("adm1", PASSWORD), PASSWORD, "パ" * 25)
    assert not at.exception
    assert "文字以上" in at.error[0].value

"""Through app.py: the login screen's entry links, and a temporary login landing on the guidance."""
from __future__ import annotations

import pytest
import streamlit as st

from tests.factories import FIRST_CHANGE_PASSWORD, issue
from tests.ui.harness import app, texts


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def test_login_screen_links_to_temp_account_and_reissue(sqlite_db):
    at = app()
    labels = [link.label for link in at.get("page_link")]
    assert "ログイン ID をお持ちでない方はこちら" in labels
    assert "ログインID・パスワードを忘れた方はこちら" in labels


def test_temp_login_lands_on_the_guidance(sqlite_db):
    result, password = issue()
    at = app()
    at.text_input[0].input(result.temp_login_id)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "ログイン").click().run()
    assert not at.exception
    assert "発行されたパスワードでログインしました" in texts(at)  # the 仮パスワード is changed first (SPEC §6)
    for field, value in zip(at.text_input, (password, FIRST_CHANGE_PASSWORD, FIRST_CHANGE_PASSWORD), strict=True):
        field.input(value)
    next(b for b in at.button if b.label == "変更する").click().run()
    assert "パスワードを変更しました" in texts(at)
    at.switch_page("screens/applicant/guidance.py").run()  # the full menu is open now
    assert not at.exception
    assert "利用開始までのガイダンス" in texts(at) and "3 件中 1 件完了" in texts(at)


def test_demo_button_logs_in_as_a_fresh_temp_account(sqlite_db, monkeypatch):
    from config import settings
    from services.demo import seeding as demo
    monkeypatch.setenv("NSS_DEMO", "1")
    monkeypatch.setattr("ui.auth_ui._server_address", lambda: "127.0.0.1")  # as `dev.py run` binds demo mode
    settings.cache_clear()
    demo.seed_if_empty()
    at = app()
    next(b for b in at.button if b.label == "申込者（仮アカウント発行直後）").click().run()
    assert not at.exception
    assert "利用開始までのガイダンス" in texts(at) and "3 件中 1 件完了" in texts(at)

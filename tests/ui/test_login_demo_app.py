"""The login page in demo mode (issue 8 item 13) and a misconfigured server (item 10), through app.py."""
from __future__ import annotations

import pytest
import streamlit as st

from config import settings
from tests.ui.harness import app, texts

LOCAL_ONLY = "このコンピューター（127.0.0.1）だけで待ち受けているサーバーにのみ表示されます"
HIDDEN = "デモ用ログインは表示していません"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


@pytest.fixture
def demo_mode(sqlite_db, monkeypatch):
    monkeypatch.setenv("NSS_DEMO", "1")
    monkeypatch.delenv("NSS_DEMO_PUBLIC", raising=False)
    settings.cache_clear()
    monkeypatch.setattr("services.demo.seeding.seed_if_empty", lambda **_kwargs: None)  # buttons need no demo data
    yield monkeypatch
    settings.cache_clear()


def _demo_buttons(at) -> list[str]:
    return [b.label for b in at.button if b.label.endswith("としてログイン")]


def test_on_loopback_the_demo_logins_show_with_the_local_only_caption(demo_mode):
    demo_mode.setattr("ui.auth_ui._server_address", lambda: "127.0.0.1")
    at = app()
    assert not at.exception
    assert "管理者としてログイン" in _demo_buttons(at) and "審査担当としてログイン" in _demo_buttons(at)
    assert LOCAL_ONLY in texts(at) and "NSS_DEMO_PUBLIC=1" in texts(at)


def test_on_a_network_address_no_one_click_login_is_offered(demo_mode):
    for address in (None, "0.0.0.0", "192.168.1.5"):
        demo_mode.setattr("ui.auth_ui._server_address", lambda address=address: address)
        at = app()
        assert not at.exception
        assert _demo_buttons(at) == [] and not any(b.key and b.key.startswith("demo_") for b in at.button)
        assert HIDDEN in texts(at)
        assert [b.label for b in at.button if b.label == "ログイン"] == ["ログイン"]  # the form stays


def test_nss_demo_public_offers_them_and_says_so(demo_mode):
    demo_mode.setenv("NSS_DEMO_PUBLIC", "1")
    settings.cache_clear()
    demo_mode.setattr("ui.auth_ui._server_address", lambda: "0.0.0.0")
    at = app()
    assert "管理者としてログイン" in _demo_buttons(at)
    assert "ネットワーク上の誰でも使えます" in texts(at)


def test_a_weak_cookie_key_stops_the_server_with_a_plain_message(sqlite_db, monkeypatch):
    stopped: list[bool] = []
    monkeypatch.setattr("ui.auth_ui._stop_server", lambda: stopped.append(True))
    monkeypatch.setenv("NSS_COOKIE_KEY", "abcdefgh" * 4)
    at = app()
    assert not at.exception
    assert stopped == [True]
    assert "サーバーの設定に誤りがあるため" in "\n".join(e.value for e in at.error)
    assert not [b for b in at.button if b.label == "ログイン"]  # nothing else was drawn

"""The first browser session of a freshly started server opens a deep link like any later one.

Streamlit takes a folder named `pages/` beside the entry script for its legacy multipage layout
until some session has called st.navigation; the first run of the first session then resolved the
URL against that folder and answered "Page not found". These tests open a URL as the very first
visitor of a new server (`fresh_server`: one per test, visited by nobody before) and watch both the screen and the wire.
"""
import re

from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, count_messages, open_app, shot, wait_for_cookie, wait_idle

READY = "仮ログイン ID、事業所コード、または職員 ID でログインしてください。"
NOT_FOUND = "Page not found"


def _count_page_not_found(page) -> dict:
    """Count the server's `page_not_found` messages: the dialog's cause, seen on the wire."""
    return count_messages(page, "page_not_found")


def _no_page_not_found(page, seen: dict) -> None:
    assert seen["page_not_found"] == 0, "the server sent page_not_found"
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)


def test_first_session_of_a_fresh_server_opens_a_deep_link(fresh_server, page):
    seen = _count_page_not_found(page)
    open_app(page, f"{fresh_server.base_url}/review", READY)  # the server's very first visitor
    _no_page_not_found(page, seen)
    expect(page).to_have_url(re.compile(r"/login$"))
    shot(page, "first-session-01-login-for-review")
    # Logged in within the same session, the link asked for opens.
    expect(page.get_by_label("パスワード", exact=True)).to_have_count(1)
    page.get_by_label("ログイン ID").fill("demo-reviewer")
    page.get_by_label("パスワード", exact=True).fill(DEMO_PASSWORD)
    act(page, lambda: page.get_by_role("button", name="ログイン", exact=True).click())
    page.get_by_text("でログイン中").first.wait_for()
    wait_idle(page)
    wait_for_cookie(page)
    expect(page).to_have_url(re.compile(r"/review$"))
    _no_page_not_found(page, seen)
    shot(page, "first-session-02-review-after-login")


def test_a_logged_out_reload_of_login_shows_no_dialog(fresh_server, page):
    seen = _count_page_not_found(page)
    open_app(page, f"{fresh_server.base_url}/login", READY)  # the server's very first visitor
    _no_page_not_found(page, seen)
    page.reload()
    page.get_by_text(READY).first.wait_for()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/login$"))
    _no_page_not_found(page, seen)

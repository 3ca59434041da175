"""A page opened by its URL, or reloaded, right after login keeps the login (issue 13 item 2).

A new page load is a new Streamlit session: only the re-login cookie carries the login over. The
cookie used to be written by a frame drawn after 「…でログイン中」, whose code the browser fetched
from the server only then; on a busy server that fetch came seconds late, and a URL opened as soon
as the user saw they were logged in went to the login page (4 of 10 pages in bench_browsers).

Here the busy server is made exact: every file the page asks for after the login click is held
until the user has navigated, and the user navigates the moment the logged-in line shows."""
import contextlib
import re

from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import open_app, shot, wait_idle

READY = "仮ログイン ID、事業所コード、または職員 ID でログインしてください。"
LOGGED_IN = "でログイン中"
STATIC = "**/static/**"


def _log_in_with_the_server_slow_to_send_files(page, base_url: str) -> list:
    open_app(page, base_url, READY)
    expect(page.get_by_label("パスワード", exact=True)).to_have_count(1)
    held: list = []
    page.route(STATIC, lambda route: held.append(route))  # answered only after the user has moved on
    page.get_by_label("ログイン ID").fill("demo-reviewer")
    page.get_by_label("パスワード", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    page.get_by_text(LOGGED_IN).first.wait_for()
    return held


def _release(page, held: list) -> None:
    page.unroute(STATIC)
    for route in held:
        with contextlib.suppress(Exception):  # the navigation cancelled that request: nothing to answer
            route.continue_()


def _still_logged_in_on_the_dashboard(page) -> None:
    page.get_by_text(LOGGED_IN).or_(page.get_by_text(READY)).first.wait_for()
    wait_idle(page)
    expect(page.get_by_text(READY), "the new page load went to the login page").to_have_count(0)
    expect(page).to_have_url(re.compile(r"/review$"))
    expect(page.get_by_role("heading", name="審査ダッシュボード").first).to_be_visible()


def test_a_url_opened_the_moment_login_shows_keeps_the_login(running_app, page):
    held = _log_in_with_the_server_slow_to_send_files(page, running_app.base_url)
    page.goto(f"{running_app.base_url}/review", wait_until="commit")  # at once: no wait for anything
    _release(page, held)
    _still_logged_in_on_the_dashboard(page)
    shot(page, "deeplink-right-after-login-01-review")


def test_a_reload_the_moment_the_page_shows_keeps_the_login(running_app, page):
    held = _log_in_with_the_server_slow_to_send_files(page, running_app.base_url)
    expect(page).to_have_url(re.compile(r"/review$"))  # the reviewer's own first page
    page.reload(wait_until="commit")
    _release(page, held)
    _still_logged_in_on_the_dashboard(page)

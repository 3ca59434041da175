"""Deep links (issue 13 item 6): every page of a role opens by its URL, also on a reload, and a link
opened before login (path and query string) opens right after the login."""
import re
import sqlite3

from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import login, open_app, shot, wait_idle

READY = "仮ログイン ID、事業所コード、または職員 ID でログインしてください。"
NOT_FOUND = "Page not found"


def test_reload_keeps_the_page_of_the_role(running_app, page):
    login(page, running_app.base_url, "demo-desk", DEMO_PASSWORD)
    for path, heading in (("desk", "窓口"), ("password", "パスワード変更")):
        open_app(page, f"{running_app.base_url}/{path}", "でログイン中")
        page.reload()
        page.get_by_text("でログイン中").first.wait_for()
        wait_idle(page)
        expect(page).to_have_url(re.compile(rf"/{path}$"))
        expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
        if heading:
            expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
    shot(page, "deeplink-01-password-reloaded")


def test_a_page_of_another_role_says_so_and_opens_home(running_app, page):
    login(page, running_app.base_url, "demo-desk", DEMO_PASSWORD)
    open_app(page, f"{running_app.base_url}/review", "でログイン中")
    expect(page.get_by_text("このアカウントでは開けません")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/desk$"))
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)


def test_a_link_opened_logged_out_opens_after_login(running_app, page):
    open_app(page, running_app.base_url, READY)  # the first visit seeds the demo data
    with sqlite3.connect(running_app.data_dir / "nss.db") as db:
        app_id, ref_no = db.execute("SELECT id, ref_no FROM applications WHERE ref_no IS NOT NULL "
                                    "ORDER BY id DESC LIMIT 1").fetchone()
    open_app(page, f"{running_app.base_url}/review-detail?app={app_id}", READY)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    shot(page, "deeplink-02-login-first")
    login(page, running_app.base_url, "demo-reviewer", DEMO_PASSWORD, path=f"/review-detail?app={app_id}")
    expect(page.get_by_role("heading", name="申込詳細").first).to_be_visible()
    expect(page.get_by_text(ref_no).first).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/review-detail\?app={app_id}$"))
    shot(page, "deeplink-03-detail-after-login")

"""Login through the real form, the re-login cookie across reloads, and logout."""
from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, open_app, shot, wait_for_cookie, wait_idle

READY = "仮ログイン ID、事業所コード、または職員 ID でログインしてください。"


def test_login_reload_logout_reload(running_app, page):
    open_app(page, running_app.base_url, READY)
    page.get_by_label("ログイン ID").fill("demo-reviewer")
    page.get_by_label("パスワード", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page.get_by_text("審査 太郎（demo-reviewer）でログイン中")).to_be_visible()
    wait_idle(page)
    shot(page, "login-01-logged-in")
    wait_for_cookie(page)

    page.reload()
    expect(page.get_by_text("審査 太郎（demo-reviewer）でログイン中")).to_be_visible()
    act(page, lambda: page.get_by_role("button", name="ログアウト").click())
    expect(page.get_by_label("ログイン ID").first).to_be_visible()
    wait_idle(page)
    page.reload()
    expect(page.get_by_label("ログイン ID").first).to_be_visible()
    wait_idle(page)  # the run after the reload has read the stale cookie and kept the form
    expect(page.get_by_text("でログイン中")).to_have_count(0)
    shot(page, "login-02-logged-out")


def test_wrong_password_message_in_browser(running_app, page):
    open_app(page, running_app.base_url, READY)
    page.get_by_label("ログイン ID").fill("demo-reviewer")
    page.get_by_label("パスワード", exact=True).fill("wrong-password")
    page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page.get_by_text("ログイン ID またはパスワードが正しくありません")).to_be_visible()


def test_a_cookie_copied_before_logout_no_longer_logs_in(running_app, page):
    login(page, running_app.base_url, "demo-reviewer", DEMO_PASSWORD)
    stolen = wait_for_cookie(page)
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_label("ログイン ID").first).to_be_visible()
    wait_idle(page)
    page.context.add_cookies(stolen)  # replay the old cookie
    page.reload()
    expect(page.get_by_label("ログイン ID").first).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("でログイン中")).to_have_count(0)

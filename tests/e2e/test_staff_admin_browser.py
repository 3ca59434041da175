"""Issue 11 items 7 and 8 in a real browser: a staff member locks their account by failed logins;
the administrator's home counts it and links to the staff page filtered to locked accounts; the
administrator re-issues the password (shown once) and lifts the lock; the staff member logs in
with it and must change it first."""
import re

from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, change_first_password, login, open_app, shot, wait_idle

LOGIN_HINT = "仮ログイン ID、事業所コード、または職員 ID でログインしてください。"


def _fail_login(page, base_url: str, login_id: str) -> None:
    open_app(page, base_url, LOGIN_HINT)
    page.get_by_label("ログイン ID").fill(login_id)
    page.get_by_label("パスワード", exact=True).fill("Wrong-Password-9")
    act(page, lambda: page.get_by_role("button", name="ログイン", exact=True).click())
    expect(page.get_by_text("ログイン ID またはパスワードが正しくありません。")).to_be_visible()


def test_admin_sees_a_locked_account_reissues_and_unlocks_it(running_app, page, browser, browser_context_args):
    base = running_app.base_url
    staff = browser.new_context(**browser_context_args).new_page()  # the desk member, in their own browser
    for _ in range(5):
        _fail_login(staff, base, "demo-desk")

    login(page, base, "demo-admin", DEMO_PASSWORD)
    expect(page.get_by_text("確認が必要な項目")).to_be_visible()
    expect(page.get_by_text("ロック中の職員アカウント：1 件")).to_be_visible()
    shot(page, "admin-01-home")
    act(page, lambda: page.get_by_role("link", name="ロック中の職員を表示").click())
    expect(page.get_by_text("この職員はログイン失敗が続いたためロックされています。")).to_be_visible()
    expect(page.get_by_text("1 件", exact=True)).to_be_visible()
    shot(page, "admin-02-locked-staff")

    act(page, lambda: page.get_by_role("button", name="パスワードを再発行").click())
    issued = page.get_by_text("demo-desk のパスワードを発行しました")
    expect(issued).to_be_visible()
    password = re.search(r"発行しました：(\S+?)　", issued.inner_text()).group(1)
    act(page, lambda: page.get_by_role("button", name="ロックを解除").click())
    expect(page.get_by_text("条件に合う職員はいません。")).to_be_visible()
    expect(page.get_by_text("demo-desk のパスワードを発行しました")).to_have_count(0)  # shown once only
    wait_idle(page)
    shot(page, "admin-03-unlocked")

    login(staff, base, "demo-desk", password)
    change_first_password(staff, password, "Desk-Fresh-Pass-81")
    expect(staff.get_by_text("でログイン中").first).to_be_visible()

"""The first form sent right after login keeps its result (the core-loop issue's first defect).

The re-login cookie used to be written by a component that reported back to the server shortly
after each page load, and the rerun that caused dropped whatever the user had just sent: the desk
issued a temporary account, saw no confirmation, and issued it again. Here the desk logs in and at
once sends the temporary-account form with a mistake, then corrected: both results show and exactly
one account is written."""
import sqlite3

from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import login, shot

CALLER = {"氏名": "初回 太郎", "氏名カナ": "ショカイ タロウ", "会社名": "初回物流株式会社", "電話番号": "03-1111-2222",
          "メールアドレス": "shokai@example.jp", "法人番号（13 桁）": "7000012050002"}


def test_first_form_after_login_shows_its_error_then_its_result_and_writes_once(running_app, page):
    login(page, running_app.base_url, "demo-desk", DEMO_PASSWORD)
    # No settling: the user acts as soon as the desk screen is there.
    page.get_by_role("tab", name="仮アカウントを発行する").click()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="仮アカウントを発行する"))
    expect(form.get_by_label("氏名", exact=True)).to_be_visible()
    for label, value in CALLER.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_label("メールアドレス（確認のため復唱）", exact=True).fill("shokai@example.com")  # misheard
    form.get_by_text("システム利用規程を読み上げ、電話で同意を得ました").click()
    form.get_by_role("button", name="仮アカウントを発行する").click()
    expect(page.get_by_text("確認用のメールアドレスが一致しません。")).to_be_visible()
    shot(page, "first-action-01-error")

    form.get_by_label("メールアドレス（確認のため復唱）", exact=True).fill("shokai@example.jp")
    form.get_by_role("button", name="仮アカウントを発行する").click()
    expect(page.get_by_text("仮アカウントを発行しました")).to_be_visible()
    expect(page.get_by_role("heading", name="初回 太郎 様")).to_be_visible()
    shot(page, "first-action-02-issued")

    assert running_app.inbox.wait_for("shokai@example.jp")
    with sqlite3.connect(running_app.data_dir / "nss.db") as db:
        rows = db.execute("SELECT count(*) FROM applicants WHERE email = ?", ("shokai@example.jp",)).fetchone()
    assert rows == (1,)

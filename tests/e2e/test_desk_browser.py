"""The desk in a real browser: a new caller on the phone gets a temporary account (mailed through
the SMTP server), a call note goes on the record, and the caller is found again by phone number."""
from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, shot, wait_idle


def test_desk_issues_a_temp_account_notes_the_call_and_finds_the_caller(running_app, page):
    login(page, running_app.base_url, "demo-desk", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="窓口", exact=True).first).to_be_visible()

    page.get_by_role("tab", name="仮アカウントを発行する").click()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="仮アカウントを発行する"))
    expect(form.get_by_label("氏名", exact=True)).to_be_visible()
    fields = {"氏名": "電話 太郎", "氏名カナ": "でんわ たろう", "会社名": "電話物流株式会社", "電話番号": "03-9876-5432",
              "メールアドレス": "denwa@example.jp", "メールアドレス（確認のため復唱）": "denwa@example.jp",
              "法人番号（13 桁）": "7000012050002"}
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    form.get_by_text("システム利用規程を読み上げ、電話で同意を得ました").click()
    form.get_by_role("button", name="仮アカウントを発行する").click()
    expect(page.get_by_text("仮アカウントを発行しました")).to_be_visible()
    expect(page.get_by_role("heading", name="電話 太郎 様")).to_be_visible()
    wait_idle(page)
    assert running_app.inbox.wait_for("denwa@example.jp")

    page.get_by_label("通話メモ（職員のみ閲覧できます）").fill("電話で仮アカウントを発行。メールの到着を確認済み。")
    act(page, lambda: page.get_by_role("button", name="メモを追加").click())
    expect(page.get_by_text("電話で仮アカウントを発行。メールの到着を確認済み。")).to_be_visible()
    wait_idle(page)
    shot(page, "desk-01-caller-record")

    act(page, lambda: page.get_by_role("button", name="検索結果に戻る").click())
    page.get_by_label("検索語").fill("０３９８７６５４３２")
    act(page, lambda: page.get_by_role("button", name="検索", exact=True).click())
    expect(page.get_by_text("検索項目：電話番号")).to_be_visible()
    expect(page.get_by_text("1 件（1 件を表示）")).to_be_visible()
    wait_idle(page)
    shot(page, "desk-02-search")

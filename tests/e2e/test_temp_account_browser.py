"""The self-service entry in a real browser: 仮アカウントの発行 from the login screen, the mail read
from a real SMTP server, the first login with the 仮ログイン ID landing on the guidance."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import act, change_first_password, login, open_app, shot, wait_idle
from tests.factories import CORPORATE_NUMBER

MAIL = "hanako.e2e@example.co.jp"


def test_issue_temp_account_read_mail_and_log_in(running_app, page):
    open_app(page, running_app.base_url, "ログイン ID をお持ちでない方はこちら")
    page.get_by_text("ログイン ID をお持ちでない方はこちら").click()
    expect(page.get_by_text("システム利用規程（第 1.0 版）", exact=True)).to_be_visible()
    wait_idle(page)
    shot(page, "entry-01-terms")

    act(page, lambda: page.get_by_role("button", name="次へ").click())
    expect(page.get_by_text("同意いただけない場合")).to_be_visible()
    act(page, lambda: page.get_by_text("システム利用規程に同意します").click())
    act(page, lambda: page.get_by_role("button", name="次へ").click())
    expect(page.get_by_text("申込担当者の情報", exact=True)).to_be_visible()

    page.get_by_role("textbox", name="氏名", exact=True).fill("佐藤 花子")
    page.get_by_role("textbox", name="氏名カナ", exact=True).fill("さとう はなこ")
    page.get_by_role("textbox", name="会社名", exact=True).fill("佐藤物流株式会社")
    page.get_by_role("textbox", name="電話番号", exact=True).fill("０４５－１２３－４５６７")
    page.get_by_role("textbox", name="メールアドレス", exact=True).fill(MAIL)
    page.get_by_role("textbox", name="メールアドレス（確認のため、もう一度入力してください）", exact=True).fill("other@example.co.jp")
    page.get_by_role("textbox", name="法人番号（13 桁）", exact=True).fill(CORPORATE_NUMBER)
    act(page, lambda: page.get_by_role("button", name="登録する").click())
    expect(page.get_by_text("確認用のメールアドレスが一致しません")).to_be_visible()
    wait_idle(page)
    shot(page, "entry-02-form-error")

    page.get_by_role("textbox", name="メールアドレス（確認のため、もう一度入力してください）", exact=True).fill(MAIL)
    act(page, lambda: page.get_by_role("button", name="登録する").click())
    expect(page.get_by_text("仮アカウントの発行が完了しました")).to_be_visible()
    wait_idle(page)
    shot(page, "entry-03-done")

    [mail] = running_app.inbox.wait_for(MAIL)
    body = mail.get_content()
    login_id = re.search(r"仮ログイン ID\s*:\s*(\S+)", body).group(1)
    password = re.search(r"仮パスワード\s*:\s*(\S+)", body).group(1)
    assert running_app.base_url in body and "仮アカウント登録完了" in mail["Subject"]

    login(page, running_app.base_url, login_id, password)
    change_first_password(page, password, "Harbor-Lantern-Quiet-58")  # the 仮パスワード first (SPEC §6)
    open_app(page, running_app.base_url, "3 件中 1 件完了")
    expect(page.get_by_text("3 件中 1 件完了")).to_be_visible()
    wait_idle(page)
    shot(page, "entry-04-guidance")

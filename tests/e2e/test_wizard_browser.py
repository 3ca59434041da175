"""The 新規の利用申込 in a real browser: a half-filled 一般 NACCS draft is completed screen by
screen (with the システム構成図), 一時保存 logs out, the next login finds it as left, 申込む gives
申込受付 with a reference number, and the 受付完了 mail reaches both addresses over SMTP."""

from playwright.sync_api import expect

from services.demo.applicants import DRAFT_ID
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, open_app, shot
from tests.e2e.journey_helpers import choose, click, field, fill, minimal_pdf, side, type_date

CLERK, MANAGER = "clerk.e2e@example.jp", "manager.e2e@example.jp"


def test_draft_completed_saved_resumed_and_submitted(running_app, page, tmp_path):
    base = running_app.base_url
    login(page, base, DRAFT_ID, DEMO_PASSWORD)
    open_app(page, base + "/application", "詳細入力画面")
    # The wizard opens where the work is: screens 1–3 are done, 4 is in progress.
    expect(page.get_by_role("heading", name="回線・論理端末")).to_be_visible()
    shot(page, "wizard-00-opens-on-the-screen-in-progress")
    side(page, "1. 申込担当者")
    shot(page, "wizard-01-applicant-contact")

    # 1 申込担当者: addresses this test can read mail for
    fill(page, {"申込事務担当者 メールアドレス *": CLERK, "申込事務担当者 メールアドレス（確認） *": CLERK,
                "管理責任者 メールアドレス *": MANAGER, "管理責任者 メールアドレス（確認） *": MANAGER,
                "管理責任者 電話番号 *": "０３－５５５５－１２３４"})  # full-width: converted
    click(page, "次へ")
    expect(page.get_by_role("heading", name="事業所・企業")).to_be_visible()

    # 2 事業所・企業: the システム構成図 with spaces and Japanese in its name
    diagram = minimal_pdf(tmp_path / "システム 構成図 v2.pdf")
    act(page, lambda: page.locator("input[type=file]").set_input_files(str(diagram)))
    page.get_by_text("システム 構成図 v2.pdf").first.wait_for()
    expect(page.get_by_role("button", name="システム構成図を添付する")).to_be_enabled()
    click(page, "システム構成図を添付する")
    expect(page.get_by_text("添付しました：システム 構成図 v2.pdf")).to_be_visible()
    shot(page, "wizard-02-office-attachment")
    click(page, "次へ")
    click(page, "次へ")  # 3 利用者コード was complete

    # 4 回線・論理端末
    expect(page.get_by_role("heading", name="回線・論理端末")).to_be_visible()
    choose(page, "処理方式", "SMTP/POP3", multi=True)
    fill(page, {"論理端末数 *": "1"})
    click(page, "次へ")

    # 5 回線工事
    expect(page.get_by_role("heading", name="回線工事")).to_be_visible()
    fill(page, {"設置場所 郵便番号 *": "1050023", "設置場所 住所 *": "東京都港区芝浦1-2-3 5階",
                "現地連絡先 氏名 *": "高橋 次郎", "現地連絡先 電話番号 *": "03-1234-5602"})
    type_date(page, "工事完了希望日 *", "20270401")
    click(page, "次へ")

    # 6 メールボックス (SMTP/POP3 chosen)
    expect(page.get_by_role("heading", name="メールボックス")).to_be_visible()
    fill(page, {"着信通知先メールアドレス *": MANAGER})
    click(page, "次へ")

    # 7 論理端末・証明書, then 一時保存 with its warning: logged out
    expect(page.get_by_role("heading", name="論理端末・証明書")).to_be_visible()
    fill(page, {"設置場所 *": "本社 3階 301 号室"})
    click(page, "一時保存")
    expect(page.get_by_text("同時にログアウトします")).to_be_visible()
    shot(page, "wizard-03-draft-save-warning")
    click(page, "一時保存してログアウトする")
    expect(page.get_by_label("ログイン ID")).to_be_visible()
    shot(page, "wizard-04-logged-out")

    # the next login (another day, a new tab) shows it as left
    old, page = page, page.context.new_page()
    old.close()
    login(page, base, DRAFT_ID, DEMO_PASSWORD)
    open_app(page, base + "/application", "詳細入力画面")
    side(page, "7. 論理端末・証明書")
    expect(field(page, "設置場所 *")).to_have_value("本社 3階 301 号室")
    side(page, "1. 申込担当者")
    expect(field(page, "管理責任者 電話番号 *")).to_have_value("03-5555-1234")

    # 8 料金プラン, 9 請求先
    side(page, "8. 料金プラン")
    field(page, "予想月間利用額（円） *").fill("20000")
    act(page, lambda: field(page, "予想月間利用額（円） *").press("Enter"))
    expect(page.get_by_text("プラン B がお得です")).to_be_visible()
    choose(page, "料金プラン *", "プラン B（従量料金のみ）")
    shot(page, "wizard-05-fee-plan")
    click(page, "次へ")
    expect(page.get_by_role("heading", name="請求先")).to_be_visible()
    act(page, lambda: page.get_by_text("請求先は事業所と同じ").click())
    click(page, "次へ")

    # 10 入力確認画面 → 申込む
    expect(page.get_by_role("heading", name="入力確認画面")).to_be_visible()
    shot(page, "wizard-06-review-screen")
    click(page, "申込む")
    expect(page.get_by_text("受付番号：NSS-")).to_be_visible()
    expect(page.get_by_text("申込受付").first).to_be_visible()
    shot(page, "wizard-07-submitted")

    clerk_mail = running_app.inbox.wait_for(CLERK)
    manager_mail = running_app.inbox.wait_for(MANAGER)
    assert "受付完了" in clerk_mail[0]["Subject"] and clerk_mail[0]["Subject"] == manager_mail[0]["Subject"]

    # 申込内容確認: the attachment downloads under its exact name
    open_app(page, base + "/application-view", "申込内容確認")
    with page.expect_download() as download:
        page.get_by_role("button", name="ダウンロード").first.click()
    assert download.value.suggested_filename == "システム 構成図 v2.pdf"
    shot(page, "wizard-08-application-view")

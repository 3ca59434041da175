"""The whole self-service journey in a real browser (issue 3): 仮アカウントの発行 from the login
screen, the mail read from a real SMTP server, login with the 仮ログイン ID, the guidance, a fresh
新規利用申込 of 一般 NACCS filled on every screen (回線工事, メールボックス, the システム構成図 with
spaces and Japanese in its name), 一時保存 → logged out, the next login finds it as left, the
入力確認画面, 「申込む」 → 申込受付 and the 受付完了 mail at both addresses."""
from playwright.sync_api import expect

from tests.e2e.conftest import act, change_first_password, login, open_app
from tests.e2e.journey_helpers import (
    Shots,
    choose,
    click,
    field,
    fill,
    heading,
    mail_value,
    minimal_pdf,
    settle,
    side,
    tick,
    type_date,
)
from tests.factories import CORPORATE_NUMBER

CLERK, MANAGER = "journey.clerk@example.co.jp", "journey.manager@example.co.jp"
DIAGRAM = "システム 構成図 2026.pdf"
shot = Shots("journey3")


def _issue_temp_account(page, base) -> None:
    open_app(page, base, "ログイン ID をお持ちでない方はこちら")
    shot(page, "login")
    page.get_by_text("ログイン ID をお持ちでない方はこちら").click()
    expect(page.get_by_text("システム利用規程に同意します")).to_be_visible()
    settle(page)
    tick(page, "システム利用規程に同意します")
    shot(page, "terms")
    click(page, "次へ")
    expect(page.get_by_text("申込担当者の情報", exact=True)).to_be_visible()
    form = page.get_by_test_id("stForm")
    fill(page, {"氏名": "山田 太郎", "氏名カナ": "やまだ たろう", "会社名": "山田海運株式会社",
                "部署名（任意）": "業務部", "電話番号": "０３－１２３４－５６７８", "メールアドレス": CLERK,
                "メールアドレス（確認のため、もう一度入力してください）": CLERK,
                "法人番号（13 桁）": CORPORATE_NUMBER}, scope=form)
    shot(page, "applicant-form")
    click(page, "登録する")
    expect(page.get_by_text("仮アカウントの発行が完了しました")).to_be_visible()
    shot(page, "temp-account-done")


def _fill_every_screen(page, tmp_path) -> None:
    # 1 申込担当者: the clerk came from the temporary account; the 管理責任者 is new
    expect(heading(page, "申込担当者")).to_be_visible()
    expect(field(page, "申込事務担当者 メールアドレス *")).to_have_value(CLERK)
    fill(page, {"管理責任者 氏名 *": "山田 一郎", "管理責任者 氏名カナ *": "やまだ いちろう",
                "管理責任者 部署名": "情報システム部", "管理責任者 電話番号 *": "03-1234-5679",
                "管理責任者 メールアドレス *": MANAGER, "管理責任者 メールアドレス（確認） *": MANAGER})
    shot(page, "wizard-applicant-contact")
    click(page, "次へ")

    # 2 事業所・企業, with the システム構成図 once 一般 NACCS is chosen
    expect(heading(page, "事業所・企業")).to_be_visible()
    fill(page, {"本社 郵便番号 *": "1000005", "本社 所在地 *": "東京都千代田区丸の内1-1-1",
                "本社 電話番号 *": "03-1234-5000", "事業所名 *": "東京営業所", "事業所 郵便番号 *": "105-0022",
                "事業所 所在地 *": "東京都港区海岸1-2-3", "事業所 電話番号 *": "03-1234-5001",
                "契約者 氏名 *": "山田 太郎", "契約者 役職 *": "代表取締役"})
    choose(page, "接続形態", "一般 NACCS（専用回線使用）")
    tick(page, "上記を確認しました。 *")
    pdf = minimal_pdf(tmp_path / DIAGRAM)
    act(page, lambda: page.locator("input[type=file]").set_input_files(str(pdf)))
    page.get_by_text(DIAGRAM).first.wait_for()
    expect(page.get_by_role("button", name="システム構成図を添付する")).to_be_enabled()
    click(page, "システム構成図を添付する")
    expect(page.get_by_text(f"添付しました：{DIAGRAM}")).to_be_visible()
    shot(page, "wizard-office-with-diagram")
    click(page, "次へ")

    # 3 利用者コード
    expect(heading(page, "利用者コード")).to_be_visible()
    choose(page, "システム区分", "海上")
    choose(page, "利用業種", "通関業", multi=True)
    fill(page, {"識別番号の数 *": "2"})
    shot(page, "wizard-user-code")
    click(page, "次へ")

    # 4 回線・論理端末: an SMTP method brings the メールボックス screen
    expect(heading(page, "回線・論理端末")).to_be_visible()
    choose(page, "回線種別", "専用回線 1Mbps")
    choose(page, "処理方式", "SMTP/POP3", multi=True)
    fill(page, {"論理端末数 *": "1", "サーバ台数（自社システム）": "1"})
    shot(page, "wizard-line")
    click(page, "次へ")

    # 5 回線工事
    expect(heading(page, "回線工事")).to_be_visible()
    fill(page, {"設置場所 郵便番号 *": "1050022", "設置場所 住所 *": "東京都港区海岸1-2-3 5階",
                "現地連絡先 氏名 *": "山田 次郎", "現地連絡先 電話番号 *": "03-1234-5002"})
    type_date(page, "工事完了希望日 *", "20270401")
    shot(page, "wizard-line-installation")
    click(page, "次へ")

    # 6 メールボックス
    expect(heading(page, "メールボックス")).to_be_visible()
    fill(page, {"着信通知先メールアドレス *": MANAGER})
    shot(page, "wizard-mailbox")
    click(page, "次へ")

    # 7 論理端末・証明書
    expect(heading(page, "論理端末・証明書")).to_be_visible()
    fill(page, {"設置場所 *": "東京営業所 3階 通関室"})
    shot(page, "wizard-logical-terminal")
    click(page, "次へ")

    # 8 料金プラン: the comparison follows the usage typed
    expect(heading(page, "料金プラン")).to_be_visible()
    field(page, "予想月間利用額（円） *").fill("20000")
    act(page, lambda: field(page, "予想月間利用額（円） *").press("Enter"))
    expect(page.get_by_text("プラン B がお得です")).to_be_visible()
    choose(page, "料金プラン *", "プラン B（従量料金のみ）")
    shot(page, "wizard-fee-plan")
    click(page, "次へ")

    # 9 請求先: another address than the office's
    expect(heading(page, "請求先")).to_be_visible()
    fill(page, {"請求先 名称 *": "山田海運株式会社 経理部", "請求先 郵便番号 *": "1000005",
                "請求先 住所 *": "東京都千代田区丸の内1-1-1", "請求先 担当者氏名 *": "山田 花子",
                "請求先 電話番号 *": "03-1234-5003"})
    shot(page, "wizard-billing")
    click(page, "保存")
    expect(page.get_by_text("保存しました。", exact=True)).to_be_visible()


def test_self_service_journey(running_app, page, tmp_path):
    base = running_app.base_url
    _issue_temp_account(page, base)
    [mail] = running_app.inbox.wait_for(CLERK)
    body = mail.get_content()
    assert "仮アカウント登録完了" in mail["Subject"]
    login_id, password = mail_value(body, "仮ログイン ID"), mail_value(body, "仮パスワード")
    assert mail_value(body, "ログイン専用 URL") == base

    login(page, base, login_id, password)
    password = "Harbor-Lantern-Quiet-58"  # the mailed 仮パスワード is changed at the first login (SPEC §6)
    change_first_password(page, mail_value(body, "仮パスワード"), password)
    open_app(page, base, "3 件中 1 件完了")
    expect(page.get_by_text("3 件中 1 件完了").first).to_be_visible()
    shot(page, "guidance")
    page.get_by_role("link", name="手続き").first.click()
    expect(page.get_by_text("申込の種類", exact=True)).to_be_visible()
    settle(page)
    page.get_by_text("新規利用申込", exact=True).click()
    shot(page, "wizard-start")
    click(page, "申込を始める")
    _fill_every_screen(page, tmp_path)

    # 一時保存 asks first, then logs out
    click(page, "一時保存")
    expect(page.get_by_text("同時にログアウトします")).to_be_visible()
    shot(page, "draft-save-confirm")
    click(page, "一時保存してログアウトする")
    expect(page.get_by_label("ログイン ID")).to_be_visible()
    shot(page, "logged-out")
    page.reload()  # a cookie left in the browser must not log back in
    expect(page.get_by_label("ログイン ID")).to_be_visible()
    settle(page)
    expect(page.get_by_text("でログイン中")).to_have_count(0)

    # the next login (a new tab) finds everything as left
    old, page = page, page.context.new_page()
    old.close()
    login(page, base, login_id, password)
    open_app(page, base + "/application", "詳細入力画面")
    expect(page.get_by_text("入力済").first).to_be_visible()
    side(page, "9. 請求先")
    expect(field(page, "請求先 担当者氏名 *")).to_have_value("山田 花子")
    side(page, "2. 事業所・企業")
    expect(field(page, "本社 所在地 *")).to_have_value("東京都千代田区丸の内1-1-1")
    expect(page.get_by_text(DIAGRAM, exact=True)).to_be_visible()
    shot(page, "resumed-office")
    side(page, "6. メールボックス")
    expect(field(page, "着信通知先メールアドレス *")).to_have_value(MANAGER)

    # 入力確認画面 → 申込む
    side(page, "10. 入力確認画面")
    expect(heading(page, "入力確認画面")).to_be_visible()
    expect(page.get_by_text("東京営業所 3階 通関室").first).to_be_visible()
    shot(page, "review-screen")
    click(page, "申込む")
    expect(page.get_by_text("受付番号：NSS-").first).to_be_visible()
    expect(page.get_by_text("申込受付").first).to_be_visible()
    shot(page, "submitted")
    ref_no = page.get_by_text("受付番号：NSS-").first.inner_text().split("：", 1)[1].strip()

    clerk_mail = [m for m in running_app.inbox.wait_for(CLERK, count=2) if "受付完了" in m["Subject"]]
    manager_mail = running_app.inbox.wait_for(MANAGER)
    assert len(clerk_mail) == 1 and "受付完了" in manager_mail[0]["Subject"]
    assert ref_no in clerk_mail[0]["Subject"] + clerk_mail[0].get_content()

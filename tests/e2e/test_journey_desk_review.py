"""The phone journey in a real browser (issue 4): the desk issues a temporary account for a caller,
enters a netNACCS application for them and submits it; a reviewer returns it with a comment on
one screen; the desk sees the comment there, corrects and resubmits; the reviewer approves with a
利用開始日 on a future business day; the caller reads the ID notice with the 仮ログイン ID (as the
確認完了 mail tells them), logs in with the 事業所コード, must change the password, and finds the
ID notice in 新着情報. Desk, reviewer and caller each have their own browser context."""
from playwright.sync_api import expect

from services import clock
from services.calendar import add_business_days, is_business_day
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, change_first_password, login, open_app
from tests.e2e.journey_helpers import (
    Shots,
    choose,
    click,
    field,
    fill,
    heading,
    mail_value,
    open_queue_row,
    settle,
    side,
    tick,
    type_date,
    wait_for_subject,
)

CALLER, MANAGER = "denwa.journey@example.jp", "boss.journey@example.jp"
COMMENT = "事業所の電話番号が本社と同じです。事業所の番号をご確認ください。"
shot = Shots("journey4")


def _new_page(browser, browser_context_args):
    return browser.new_context(**browser_context_args).new_page()


def _issue_for_caller(page, base) -> None:
    login(page, base, "demo-desk", DEMO_PASSWORD)
    expect(heading(page, "窓口")).to_be_visible()
    page.get_by_role("tab", name="仮アカウントを発行する").click()
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="仮アカウントを発行する"))
    expect(field(form, "氏名")).to_be_visible()
    fill(page, {"氏名": "電話 次郎", "氏名カナ": "でんわ じろう", "会社名": "電話通関株式会社",
                "電話番号": "045-222-3333", "メールアドレス": CALLER, "メールアドレス（確認のため復唱）": CALLER,
                "法人番号（13 桁）": "7000012050002"}, scope=form)
    form.get_by_text("システム利用規程を読み上げ、電話で同意を得ました").click()
    shot(page, "desk-new-caller")
    act(page, lambda: form.get_by_role("button", name="仮アカウントを発行する").click())
    expect(page.get_by_text("仮アカウントを発行しました")).to_be_visible()
    expect(heading(page, "電話 次郎 様")).to_be_visible()
    shot(page, "desk-caller-record")


def _enter_net_application(page) -> None:
    click(page, "この申込者として入力する")
    expect(page.get_by_text("申込の種類", exact=True)).to_be_visible()
    click(page, "申込を始める")

    expect(heading(page, "申込担当者")).to_be_visible()
    expect(field(page, "申込事務担当者 メールアドレス *")).to_have_value(CALLER)
    fill(page, {"管理責任者 氏名 *": "電話 一郎", "管理責任者 氏名カナ *": "デンワ イチロウ",
                "管理責任者 電話番号 *": "045-222-3334", "管理責任者 メールアドレス *": MANAGER,
                "管理責任者 メールアドレス（確認） *": MANAGER})
    shot(page, "desk-wizard-applicant-contact")
    click(page, "次へ")

    expect(heading(page, "事業所・企業")).to_be_visible()
    fill(page, {"本社 郵便番号 *": "2310002", "本社 所在地 *": "神奈川県横浜市中区海岸通1-1",
                "本社 電話番号 *": "045-222-3333", "事業所名 *": "本社", "事業所 郵便番号 *": "2310002",
                "事業所 所在地 *": "神奈川県横浜市中区海岸通1-1", "事業所 電話番号 *": "045-222-3333",
                "契約者 氏名 *": "電話 一郎", "契約者 役職 *": "代表取締役"})
    choose(page, "接続形態", "netNACCS（インターネット使用）")
    tick(page, "上記を確認しました。 *")
    expect(page.get_by_role("button", name="システム構成図を添付する")).to_have_count(0)  # 一般 NACCS only
    shot(page, "desk-wizard-office")
    click(page, "次へ")

    expect(heading(page, "利用者コード")).to_be_visible()
    choose(page, "システム区分", "航空")
    choose(page, "利用業種", "通関業", multi=True)
    fill(page, {"識別番号の数 *": "1"})
    click(page, "次へ")

    expect(heading(page, "回線・論理端末")).to_be_visible()
    choose(page, "回線種別", "インターネット")
    choose(page, "処理方式", "netNACCS", multi=True)
    fill(page, {"論理端末数 *": "1"})
    click(page, "次へ")

    # no 回線工事 and no メールボックス for netNACCS: straight to 論理端末・証明書
    expect(heading(page, "論理端末・証明書")).to_be_visible()
    fill(page, {"設置場所 *": "本社 2階 通関部"})
    tick(page, "電子証明書を申請する")
    click(page, "次へ")

    expect(heading(page, "料金プラン")).to_be_visible()
    field(page, "予想月間利用額（円） *").fill("60000")
    act(page, lambda: field(page, "予想月間利用額（円） *").press("Enter"))
    choose(page, "料金プラン *", "プラン A（基本料金＋従量料金）")
    click(page, "次へ")

    expect(heading(page, "請求先")).to_be_visible()
    tick(page, "請求先は事業所と同じ")
    click(page, "次へ")


def _submit(page) -> str:
    expect(heading(page, "入力確認画面")).to_be_visible()
    expect(page.get_by_text("本社 2階 通関部").first).to_be_visible()  # read back to the caller
    shot(page, "desk-review-screen")
    click(page, "申込む")
    expect(page.get_by_text("受付番号：NSS-").first).to_be_visible()
    return page.get_by_text("受付番号：NSS-").first.inner_text().split("：", 1)[1].strip()


def _open_in_queue(page, base, ref_no) -> None:
    # the dashboard is the reviewer's start page: at "/" (its own /review address would not resolve)
    open_app(page, base, "審査ダッシュボード")
    settle(page)
    shot(page, "review-dashboard")
    field(page, "受付番号").fill(ref_no)
    act(page, lambda: field(page, "受付番号").press("Enter"))
    expect(page.get_by_text("1 件").first).to_be_visible()
    open_queue_row(page)  # a click on the row opens it
    expect(heading(page, "申込詳細")).to_be_visible()
    expect(page.get_by_text(ref_no).first).to_be_visible()
    settle(page)


def test_desk_phone_application_returned_corrected_approved_and_office_login(
        running_app, page, browser, browser_context_args):
    base, inbox = running_app.base_url, running_app.inbox
    desk = page
    _issue_for_caller(desk, base)
    issued = inbox.wait_for(CALLER)[0].get_content()
    temp_id, temp_password = mail_value(issued, "仮ログイン ID"), mail_value(issued, "仮パスワード")

    _enter_net_application(desk)
    ref_no = _submit(desk)
    shot(desk, "desk-submitted")
    wait_for_subject(inbox, MANAGER, "受付完了")

    # The reviewer finds it in the queue and returns it with a comment on 事業所・企業
    reviewer = _new_page(browser, browser_context_args)
    login(reviewer, base, "demo-reviewer", DEMO_PASSWORD)
    _open_in_queue(reviewer, base, ref_no)
    shot(reviewer, "review-detail")
    reviewer.get_by_role("tab", name="差戻し").click()
    field(reviewer, "事業所・企業 へのコメント").fill(COMMENT)
    click(reviewer, "差戻す")
    expect(reviewer.get_by_text("差し戻しました。").first).to_be_visible()
    shot(reviewer, "review-returned")
    wait_for_subject(inbox, MANAGER, "差戻し")

    # The desk, acting for the caller again, sees the comment on that screen and corrects it
    act(desk, lambda: desk.get_by_role("link", name="窓口（申込者検索）").click())  # the same session: the caller stays open
    expect(heading(desk, "電話 次郎 様")).to_be_visible()
    _enter_returned(desk)
    shot(desk, "desk-corrected-resubmitted")

    # The reviewer approves with a 利用開始日 on a future business day
    start = add_business_days(clock.today_jst(), 7)
    assert is_business_day(start) and start > clock.today_jst()
    _open_in_queue(reviewer, base, ref_no)
    expect(reviewer.get_by_text("045-222-3399").first).to_be_attached()
    type_date(reviewer, "利用開始日", start.strftime("%Y%m%d"))
    expect(reviewer.get_by_text("システム設定申込の期限：")).to_be_visible()
    click(reviewer, "承認する")
    expect(reviewer.get_by_text("承認しました。事業所コード").first).to_be_visible()
    shot(reviewer, "review-approved")
    approval = wait_for_subject(inbox, CALLER, "確認完了").get_content()
    assert start.strftime("%Y/%m/%d") in approval and "仮ログイン ID でログインし" in approval

    # The caller reads the ID notice with the 仮ログイン ID, as the 確認完了 mail says
    caller = _new_page(browser, browser_context_args)
    login(caller, base, temp_id, temp_password)
    new_temp_password = "Caller-Lantern-Quiet-58"  # the mailed 仮パスワード is changed first (SPEC §6)
    change_first_password(caller, temp_password, new_temp_password)
    temp_password = new_temp_password
    office_code, office_password = _read_id_notice(caller, base)
    shot(caller, "caller-id-notice-temp-login")

    # ... logs in with the 事業所コード, must change the password, and sees the notice again
    act(caller, lambda: caller.get_by_role("button", name="ログアウト").click())
    login(caller, base, office_code, office_password)
    expect(caller.get_by_text("続けるには新しいパスワードに変更してください")).to_be_visible()
    shot(caller, "office-forced-password-change")
    settle(caller)
    new_password = "Journey-Office-2026!"
    form = caller.get_by_test_id("stForm")
    fill(caller, {"現在のパスワード": office_password, "新しいパスワード": new_password,
                  "新しいパスワード（確認）": new_password}, scope=form)
    click(caller, "変更する", scope=form)
    # the full office menu replaces the password-only one (the success message may go with the
    # rerun that writes the new cookie)
    expect(caller.get_by_role("link", name="新着情報")).to_be_visible()
    expect(caller.get_by_text("発行されたパスワードでログインしました")).to_have_count(0)
    code_again, _ = _read_id_notice(caller, base)
    assert code_again == office_code
    shot(caller, "office-id-notice")

    # From the office's first login on, the 仮ログイン ID no longer logs in
    other = _new_page(browser, browser_context_args)
    open_app(other, base, "仮ログイン ID、事業所コード、または職員 ID でログインしてください。")
    field(other, "ログイン ID").fill(temp_id)
    other.get_by_label("パスワード", exact=True).fill(temp_password)
    click(other, "ログイン")
    expect(other.get_by_text("でログイン中")).to_have_count(0)


def _enter_returned(desk) -> None:
    click(desk, "この申込者として入力する")
    expect(desk.get_by_text("審査担当から修正依頼があります").first).to_be_visible()
    expect(desk.get_by_text("要修正").first).to_be_visible()
    side(desk, "2. 事業所・企業")
    expect(desk.get_by_text(COMMENT).first).to_be_visible()
    shot(desk, "desk-returned-comment")
    field(desk, "事業所 電話番号 *").fill("045-222-3399")
    click(desk, "次へ")
    side(desk, "10. 入力確認画面")
    expect(heading(desk, "入力確認画面")).to_be_visible()
    expect(desk.get_by_text("045-222-3399").first).to_be_visible()
    click(desk, "申込む")
    expect(desk.get_by_text("受付番号：NSS-").first).to_be_visible()


def _read_id_notice(page, base) -> tuple[str, str]:
    open_app(page, base + "/notices", "新着情報")
    expect(page.get_by_text("ID 通知内容", exact=True).first).to_be_visible()
    click(page, "ID 通知内容を表示する")
    code_line = page.get_by_text("ログイン ID（事業所コード）：").first
    expect(code_line).to_be_visible()
    office_code = code_line.inner_text().split("：", 1)[1].strip()
    password_line = page.get_by_text("パスワード（事業所パスワード）：").first
    expect(password_line).to_be_visible()
    return office_code, password_line.inner_text().split("：", 1)[1].strip()

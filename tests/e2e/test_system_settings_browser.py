"""システム設定の申込 in a real browser (SPEC §2.4): the demo office logs in with its 事業所コード,
downloads the 貨物引渡業務登録調査票 from the 掲示板 and fills it in, opens the guidance and, from its
second 利用者コード's line, the system settings page; it fills the 「業種」 tab, attaches the filled form
(its name kept) and submits. A reviewer returns that tab with a comment; the office sees it on the
tab, corrects and submits again; the reviewer approves it and the first 利用者コード's application
that was waiting, and 契約内容確認 shows no × and the guidance says NACCS can be used."""
import re
import sqlite3

import openpyxl
from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from services.demo.system_settings import DEMO_OFFICE_CODE
from tests.e2e.conftest import act, login, open_app, shot

SURVEY_NAME = "貨物引渡業務登録調査票 記入済 2026.xlsx"


def _click(page, name, **kwargs):
    act(page, lambda: page.get_by_role("button", name=name, exact=True, **kwargs).first.click())


def _type(page, label, value):
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    act(page, lambda: box.press("Tab"))


def _person(browser, browser_context_args):
    return browser.new_context(**browser_context_args).new_page()


def _reviewer_opens(page, base, ref_no):
    open_app(page, base + "/review-detail", "申込詳細")
    page.get_by_label("受付番号").fill(ref_no)
    _click(page, "開く")
    expect(page.get_by_role("heading", name=re.compile(re.escape(ref_no)))).to_be_visible()


def _filled_survey_form(office, base, tmp_path):
    """The form as the 掲示板 serves it, opened in a spreadsheet and filled in."""
    open_app(office, base + "/bulletin-board", "NACCS 掲示板")
    title = office.get_by_text("貨物引渡業務登録調査票", exact=True).first
    expect(title).to_be_visible()
    button = title.locator("xpath=following::button[contains(., 'ダウンロード')][1]")  # that file's own button
    with office.expect_download() as download:  # the button does not rerun the script
        button.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    blank = tmp_path / download.value.suggested_filename
    download.value.save_as(blank)
    book = openpyxl.load_workbook(blank)
    assert "貨物引渡業務登録調査票" in str([c.value for r in book.active.iter_rows(max_row=5) for c in r])
    book.active.cell(row=book.active.max_row + 1, column=1, value="成田空港 貨物引渡 担当 山田")
    filled = tmp_path / SURVEY_NAME
    book.save(filled)
    return filled


def _waiting_ref_no(running_app, other_than: str) -> str:
    with sqlite3.connect(running_app.data_dir / "nss.db") as db:
        return db.execute("SELECT ref_no FROM applications WHERE kind = 'SYSTEM_SETTINGS' AND status = 'SUBMITTED'"
                          " AND ref_no != ?", (other_than,)).fetchone()[0]


def test_system_settings_journey(running_app, browser, browser_context_args, tmp_path):
    base = running_app.base_url
    office = _person(browser, browser_context_args)
    login(office, base, DEMO_OFFICE_CODE, DEMO_PASSWORD)
    survey = _filled_survey_form(office, base, tmp_path)
    open_app(office, base + "/guidance", "利用開始までのガイダンス")
    shot(office, "system-settings-01-guidance")
    # One 利用者コード's application already waits for review (the page shows it read-only); the
    # other one's line opens the page at 申請コード選択 with 「申込を始める」.
    links = office.get_by_role("link", name="手続き")
    expect(links).to_have_count(3)  # 新規利用申込 and one line per 利用者コード
    for line in (1, 2):
        act(office, lambda line=line: office.get_by_role("link", name="手続き").nth(line).click())
        expect(office.get_by_role("heading", name="システム設定の申込")).to_be_visible()
        if office.get_by_role("button", name="申込を始める").count():
            break
        expect(office.get_by_text("審査中です").first).to_be_visible()
        open_app(office, base + "/guidance", "利用開始までのガイダンス")
    expect(office.get_by_text("申請コード選択").first).to_be_visible()
    code = re.search(r"user_code=([A-Z0-9]+)", office.url).group(1)
    _click(office, "申込を始める")
    expect(office.get_by_role("heading", name="申込担当者の入力")).to_be_visible()
    shot(office, "system-settings-02-contact")
    _click(office, "次へ")
    expect(office.get_by_role("heading", name="システム設定情報の登録")).to_be_visible()
    expect(office.get_by_text("候補：").first).to_be_visible()
    act(office, lambda: office.get_by_role("tab", name=re.compile("航空貨物代理店")).click(), reruns=False)
    _type(office, "IATA 代理店コード *", "１２３４５６７")
    _type(office, "主な空港コード *", "nrt")
    act(office, lambda: office.locator("input[type=file]").set_input_files(str(survey)))
    expect(office.get_by_role("button", name="ファイルを添付する")).to_be_enabled()
    _click(office, "ファイルを添付する")
    expect(office.get_by_text(f"添付しました：{SURVEY_NAME}")).to_be_visible()
    expect(office.get_by_text("貨物引渡業務登録調査票　添付済")).to_be_visible()
    shot(office, "system-settings-03-tabs")
    _click(office, "次へ（入力内容の確認）")
    expect(office.get_by_role("heading", name="入力内容の確認")).to_be_visible()
    expect(office.get_by_text("1234567").first).to_be_visible()
    _click(office, "申込む")
    received = office.get_by_text("システム設定申込を受け付けました。")
    expect(received).to_be_visible()
    ref_no = re.search(r"NSS-\d{4}-\d{6}", received.inner_text()).group(0)
    expect(office.get_by_role("button", name="申込む")).to_have_count(0)  # the step-4 run drawn
    shot(office, "system-settings-04-submitted")

    # The reviewer returns the 航空貨物代理店 tab with a comment.
    reviewer = _person(browser, browser_context_args)
    login(reviewer, base, "demo-reviewer", DEMO_PASSWORD)
    _reviewer_opens(reviewer, base, ref_no)
    expect(reviewer.get_by_text(f"利用種別コード：{code}")).to_be_visible()
    act(reviewer, lambda: reviewer.get_by_role("tab", name="差戻し").click(), reruns=False)
    reviewer.get_by_label("航空貨物代理店 へのコメント").fill("空港コードは HND です。")
    _click(reviewer, "差戻す")
    expect(reviewer.get_by_text("差し戻しました。").first).to_be_visible()
    shot(reviewer, "system-settings-05-returned")

    # The office sees the comment on the tab, corrects it and submits again.
    open_app(office, base + f"/system-settings?user_code={code}", "システム設定の申込")
    expect(office.get_by_text("審査担当から修正の依頼があります").first).to_be_visible()
    act(office, lambda: office.get_by_role("tab", name=re.compile("航空貨物代理店")).click(), reruns=False)
    expect(office.get_by_text("空港コードは HND です。").first).to_be_visible()
    _type(office, "主な空港コード *", "HND")
    shot(office, "system-settings-06-correcting")
    _click(office, "次へ（入力内容の確認）")
    _click(office, "申込む")
    expect(office.get_by_text("システム設定申込を受け付けました。")).to_be_visible()

    # The reviewer approves: no 利用開始日 is asked for.
    _reviewer_opens(reviewer, base, ref_no)
    act(reviewer, lambda: reviewer.get_by_role("tab", name="承認").click(), reruns=False)
    expect(reviewer.get_by_text("利用開始日の指定はありません")).to_be_visible()
    _click(reviewer, "承認する")
    expect(reviewer.get_by_text(f"利用者コード {code} のシステム設定を登録しました")).to_be_visible()
    shot(reviewer, "system-settings-07-approved")

    open_app(office, base + "/guidance", "利用開始までのガイダンス")
    # The line of that 利用者コード reads 済 (the other one, still waiting for review, 未済).
    expect(office.locator("body")).to_contain_text(re.compile(rf"利用者コード {code}）\s*済"))
    shot(office, "system-settings-08-guidance-done")

    # The reviewer approves the first 利用者コード's application that was waiting: no × is left.
    _reviewer_opens(reviewer, base, _waiting_ref_no(running_app, ref_no))
    act(reviewer, lambda: reviewer.get_by_role("tab", name="承認").click(), reruns=False)
    _click(reviewer, "承認する")
    expect(reviewer.get_by_text("のシステム設定を登録しました").first).to_be_visible()
    open_app(office, base + "/contract", "契約内容確認")
    expect(office.get_by_text("システム設定の登録は完了です")).to_be_visible()
    expect(office.get_by_role("link", name="×", exact=True)).to_have_count(0)
    shot(office, "system-settings-09-contract-complete")
    open_app(office, base + "/guidance", "利用開始までのガイダンス")
    expect(office.get_by_text("すべての手続きが完了しました。NACCS を利用できます。")).to_be_visible()
    shot(office, "system-settings-10-naccs-can-be-used")

"""変更申込 in a real browser (SPEC §2.6): the demo office whose system settings are complete opens
申込実施 → 変更申込, chooses 利用業種・利用者コード and the first effective month, adds 船会社 to its
first 利用者コード and a new 利用者コード, and sees exactly those two items as 現在 → 変更後; the
reviewer sees the same two lines and approves; the office's guidance then asks for the new code's
システム設定の申込, and 契約内容確認 lists the change in the contract's history."""
import re
import sqlite3

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from services.demo.offices import ALL_ID
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, open_app, shot
from tests.e2e.journey_helpers import click, open_change_page, settle, tick

USER_CODES_PART = "利用業種、利用者コード・識別番号（追加・変更・削除）"


def _pick(page, label: str, option: str, index: int, *, multi: bool = False) -> None:
    """The index-th selectbox / multiselect of that label (one per 利用者コード row). Seen on a busy
    CI machine: the click on the option drew no run at all (the list had been drawn again under the
    pointer). The pick is then made again, as a person would, once the value is seen not to be there."""
    box = page.get_by_role("combobox", name=label).nth(index)
    chips = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_label(label)).nth(index)
    for attempt in range(3):
        settle(page)
        if multi and option in chips.inner_text():
            break  # picked, and its run is over (settled)
        box.click()
        wanted = page.get_by_role("option", name=option, exact=True)
        try:
            wanted.wait_for(timeout=15_000)
        except PlaywrightTimeout:
            box.press("ArrowDown")  # a focused box whose list did not open (as journey_helpers.choose)
        try:
            act(page, wanted.click, timeout=30_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    if multi:
        page.keyboard.press("Escape")
        settle(page)
        expect(chips).to_contain_text(option)


def _diff_rows(page):
    table = page.get_by_test_id("stTable").filter(has_text="変更後")
    expect(table).to_be_visible()
    return table.locator("tbody tr")


def test_an_office_adds_an_industry_and_a_user_code(running_app, browser, browser_context_args):
    base = running_app.base_url
    office = open_change_page(browser, browser_context_args, base, ALL_ID, DEMO_PASSWORD)
    tick(office, USER_CODES_PART)
    click(office, "変更申込を始める")
    expect(office.get_by_role("heading", name="1. 変更内容の入力")).to_be_visible()
    shot(office, "change-01-chosen-screen")
    _pick(office, "利用業種 *", "船会社", 0, multi=True)
    click(office, "行を追加")
    _pick(office, "システム区分 *", "航空", 2)
    _pick(office, "利用業種 *", "航空会社", 2, multi=True)
    box = office.get_by_label("識別番号の数 *").nth(2)
    box.fill("1")
    act(office, lambda: box.press("Tab"))
    click(office, "確認へ進む")
    expect(office.get_by_role("heading", name="2. 変更内容の確認（現在 → 変更後）")).to_be_visible()
    rows = _diff_rows(office)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("船会社")
    expect(rows.nth(1)).to_contain_text("利用者コードの追加 #1")
    shot(office, "change-02-confirm-diff")
    click(office, "申込む")
    received = office.get_by_text("変更申込を受け付けました")
    expect(received).to_be_visible()
    ref_no = re.search(r"NSS-\d{4}-\d{6}", received.inner_text()).group(0)

    reviewer = browser.new_context(**browser_context_args).new_page()
    login(reviewer, base, "demo-reviewer", DEMO_PASSWORD)
    open_app(reviewer, base + "/review-detail", "申込詳細")
    reviewer.get_by_label("受付番号").fill(ref_no)
    click(reviewer, "開く")
    expect(reviewer.get_by_role("heading", name=re.compile(re.escape(ref_no)))).to_be_visible()
    rows = _diff_rows(reviewer)
    expect(rows).to_have_count(2)  # exactly the office's two changes
    expect(rows.nth(0)).to_contain_text("通関業、船会社、海貨業")
    expect(rows.nth(1)).to_contain_text("利用者コードの追加 #1")
    shot(reviewer, "change-03-reviewer-diff")
    act(reviewer, lambda: reviewer.get_by_role("tab", name="承認").click(), reruns=False)
    click(reviewer, "承認する")
    expect(reviewer.get_by_text("承認しました。適用月").first).to_be_visible()
    shot(reviewer, "change-04-approved")

    with sqlite3.connect(running_app.data_dir / "nss.db") as db:
        new_code = db.execute("SELECT u.user_code FROM user_codes u JOIN applications a ON a.id = u.application_id"
                              " WHERE a.ref_no = ?", (ref_no,)).fetchone()[0]
    open_app(office, base + "/guidance", "利用開始までのガイダンス")
    expect(office.locator("body")).to_contain_text(re.compile(rf"利用者コード {new_code}）\s*未済"))
    shot(office, "change-05-guidance-asks-for-settings")
    open_app(office, base + "/contract", "契約内容確認")
    expect(office.get_by_text("契約の履歴")).to_be_visible()
    expect(office.get_by_test_id("stTable").filter(has_text=new_code).first).to_be_visible()
    shot(office, "change-06-contract-history")

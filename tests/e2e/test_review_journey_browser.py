"""The review journey in a real browser, between the applicant and the reviewer: a submitted
application is returned with a comment on one screen, the applicant sees it and submits again, the
reviewer approves, the applicant reads the ID notice with the 仮ログイン ID and logs in with the issued
事業所コード (forced to change the 事業所パスワード), after which the 仮ログイン ID no longer works.
Also: an attachment downloads under its original name."""
import re
from pathlib import Path

from playwright.sync_api import expect

from services.demo.applicants import RETURNED_ID, SUBMITTED_ID
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, open_app, shot

NEW_OFFICE_PASSWORD = "Office-Pass-2026x"


def _click(page, name, **kwargs):
    act(page, lambda: page.get_by_role("button", name=name, exact=True, **kwargs).first.click())


def _person(browser, browser_context_args):
    """Each person (and each later day) in a browser of their own, as in real life."""
    return browser.new_context(**browser_context_args).new_page()


def _open_as_reviewer(page, base, ref_no):
    login(page, base, "demo-reviewer", DEMO_PASSWORD)
    open_app(page, base + "/review-detail", "申込詳細")
    page.get_by_label("受付番号").fill(ref_no)
    _click(page, "開く")
    expect(page.get_by_role("heading", name=re.compile(re.escape(ref_no)))).to_be_visible()


def _ref_no_seen_by(page, base, login_id):
    login(page, base, login_id, DEMO_PASSWORD)
    open_app(page, base + "/application-view", "申込内容確認")
    return re.search(r"NSS-\d{4}-\d{6}", page.get_by_text("受付番号：").first.inner_text()).group(0)


def test_reviewer_downloads_an_attachment_under_its_original_name(running_app, browser, browser_context_args):
    ref_no = _ref_no_seen_by(_person(browser, browser_context_args), running_app.base_url, RETURNED_ID)
    page = _person(browser, browser_context_args)
    _open_as_reviewer(page, running_app.base_url, ref_no)
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").first.locator("button").click()
    assert download.value.suggested_filename == "システム構成図 2026 版.pdf"  # spaces kept, never "+"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")


def test_return_resubmit_approve_and_first_office_login(running_app, browser, browser_context_args):
    base = running_app.base_url
    page = _person(browser, browser_context_args)
    ref_no = _ref_no_seen_by(page, base, SUBMITTED_ID)  # as the applicant sees it

    # 差戻し with a comment on the 事業所・企業 screen.
    reviewer = _person(browser, browser_context_args)
    _open_as_reviewer(reviewer, base, ref_no)
    page, applicant = reviewer, page
    act(page, lambda: page.get_by_role("tab", name="差戻し").click(), reruns=False)
    page.get_by_label("事業所・企業 へのコメント").fill("事業所の電話番号をご確認ください。")
    _click(page, "差戻す")
    expect(page.get_by_text("差し戻しました。申込者にメールで通知しました。")).to_be_visible()
    shot(page, "review-journey-01-returned")

    # The applicant sees the comment on that screen and submits again from the 入力確認画面.
    page = applicant
    open_app(page, base + "/application", "詳細入力画面")
    act(page, lambda: page.get_by_role("button", name="2. 事業所・企業").first.click())
    expect(page.get_by_text("事業所の電話番号をご確認ください。").first).to_be_visible()
    shot(page, "review-journey-02-comment-seen")
    _click(page, "10. 入力確認画面")
    _click(page, "申込む")
    expect(page.get_by_text("受付番号：NSS-").first).to_be_visible()

    # 承認 with the default 利用開始日 (a business day two weeks ahead).
    page = reviewer
    open_app(page, base + "/review-detail", "申込詳細")
    page.get_by_label("受付番号").fill(ref_no)
    _click(page, "開く")
    _click(page, "承認する")
    approved = page.get_by_text("承認しました。事業所コード")
    expect(approved).to_be_visible()
    office_code = re.search(r"事業所コード ([A-Z0-9]+)", approved.inner_text()).group(1)
    shot(page, "review-journey-03-approved")

    # The 仮ログイン ID still opens 新着情報, where the ID notice shows the code and the password.
    page = applicant
    open_app(page, base + "/notices", "新着情報")
    _click(page, "ID 通知内容を表示する")
    expect(page.get_by_text(f"ログイン ID（事業所コード）：{office_code}")).to_be_visible()
    password = page.get_by_text("パスワード（事業所パスワード）：").inner_text().split("：", 1)[1].strip()
    shot(page, "review-journey-04-id-notice")

    # First login with the 事業所コード (the next day, a fresh browser): the password must be changed.
    page = _person(browser, browser_context_args)
    login(page, base, office_code, password)
    expect(page.get_by_text("発行されたパスワードでログインしました")).to_be_visible()
    page.get_by_label("現在のパスワード").fill(password)
    page.get_by_label("新しいパスワード", exact=True).fill(NEW_OFFICE_PASSWORD)
    page.get_by_label("新しいパスワード（確認）").fill(NEW_OFFICE_PASSWORD)
    _click(page, "変更する")
    # The full office menu replaces the password page (the success message may go with a rerun).
    expect(page.get_by_role("link", name="新着情報")).to_be_visible()
    expect(page.get_by_text("発行されたパスワードでログインしました")).to_have_count(0)
    shot(page, "review-journey-05-office-logged-in")

    # From now on the 仮ログイン ID no longer logs in.
    page = _person(browser, browser_context_args)
    open_app(page, base, "仮ログイン ID、事業所コード、または職員 ID でログインしてください。")
    page.get_by_label("ログイン ID").fill(SUBMITTED_ID)
    page.get_by_label("パスワード", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="ログイン", exact=True).click()
    expect(page.get_by_text("ログイン ID またはパスワードが正しくありません")).to_be_visible()

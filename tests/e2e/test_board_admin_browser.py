"""Issue 11 item 6 in a real browser: an administrator posts a notice and a file on the 掲示板,
uploads a new version of the file, and withdraws it; an applicant sees the notice and only the
file's current version, and no file once it is withdrawn."""
from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, open_app, shot, wait_idle
from tests.e2e.journey_helpers import minimal_pdf

TITLE, FILE_TITLE = "E2E 年末年始の窓口のお知らせ", "E2E 申込様式"
V1, V2 = "e2e-form-v1.pdf", "e2e-form-v2.pdf"


def _expander(scope, label: str):
    """The expander titled `label` inside `scope` (a page or a locator within one)."""
    page = getattr(scope, "page", scope)  # a filter's inner locator is built from the page
    return scope.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary").filter(has_text=label)).first


def _open(expander) -> None:
    summary = expander.locator("summary")
    if expander.locator("details[open]").count() == 0:
        summary.click()
    expect(expander.locator("details[open]")).to_have_count(1)


def _document(page):
    """The bordered box of the file posted by this test (the demo board has others)."""
    return page.get_by_test_id("stVerticalBlock").filter(
        has=page.get_by_text(FILE_TITLE, exact=True)).filter(
        has=page.locator("summary").filter(has_text="新しい版を掲載する")).last


def test_admin_posts_replaces_and_withdraws_a_file_applicant_sees_only_the_current_one(
        running_app, page, browser, browser_context_args, tmp_path):
    base = running_app.base_url
    v1, v2 = minimal_pdf(tmp_path / V1), minimal_pdf(tmp_path / V2)
    login(page, base, "demo-admin", DEMO_PASSWORD, path="/board-admin")
    expect(page.get_by_role("heading", name="掲示板の管理")).to_be_visible()

    # A notice (the form sends nothing until 掲載する).
    notice_box = _expander(page, "お知らせを掲載する")
    _open(notice_box)
    notice_box.get_by_label("表題", exact=True).fill(TITLE)
    notice_box.get_by_label("本文", exact=True).fill("12月29日から1月3日まで窓口を休みます。")
    act(page, lambda: notice_box.get_by_role("button", name="掲載する", exact=True).click())
    expect(page.get_by_text("お知らせを掲載しました。")).to_be_visible()

    # A file: name, upload, 掲載する.
    file_box = _expander(page, "ファイルを掲載する")
    _open(file_box)
    name = file_box.get_by_label("名称", exact=True)
    name.fill(FILE_TITLE)
    act(page, lambda: name.press("Tab"))
    act(page, lambda: file_box.locator("input[type=file]").set_input_files(str(v1)))
    expect(file_box.get_by_text(V1)).to_be_visible()
    act(page, lambda: file_box.get_by_role("button", name="掲載する", exact=True).click())
    expect(page.get_by_text("ファイルを掲載しました。")).to_be_visible()
    document = _document(page)
    expect(document.get_by_text(f"{V1}（", exact=False)).to_be_visible()
    shot(page, "board-admin-01-posted")

    # A new version of that file: the first is withdrawn.
    new_version = _expander(document, "新しい版を掲載する")
    _open(new_version)
    act(page, lambda: new_version.locator("input[type=file]").set_input_files(str(v2)))
    expect(new_version.get_by_text(V2)).to_be_visible()
    act(page, lambda: new_version.get_by_role("button", name="掲載する", exact=True).click())
    expect(page.get_by_text("第 2 版を掲載しました。これまでの版は掲載を終了しました。")).to_be_visible()
    document = _document(page)
    expect(document.get_by_text("第 2 版")).to_be_visible()
    shot(page, "board-admin-02-replaced")

    # The applicant, in a browser of their own: the notice, and the file's second version only.
    applicant = browser.new_context(**browser_context_args).new_page()
    login(applicant, base, "T000000001", DEMO_PASSWORD, path="/bulletin-board")
    expect(applicant.get_by_role("heading", name="NACCS 掲示板")).to_be_visible()
    expect(applicant.get_by_text(TITLE, exact=True)).to_be_visible()
    expect(applicant.get_by_text(FILE_TITLE, exact=True)).to_be_visible()
    expect(applicant.get_by_text(f"{V2}（", exact=False)).to_be_visible()
    expect(applicant.get_by_text(V1, exact=False)).to_have_count(0)
    shot(applicant, "board-admin-03-applicant-current")

    # The administrator withdraws the file; the applicant's next look shows it no more.
    act(page, lambda: document.get_by_role("button", name="掲載を終了する", exact=True).click())
    expect(page.get_by_text("掲載を終了しました。")).to_be_visible()
    wait_idle(page)
    shot(page, "board-admin-04-withdrawn")
    open_app(applicant, base + "/bulletin-board", "NACCS 掲示板")
    expect(applicant.get_by_text(TITLE, exact=True)).to_be_visible()
    expect(applicant.get_by_text(FILE_TITLE, exact=True)).to_have_count(0)
    expect(applicant.get_by_text(V2, exact=False)).to_have_count(0)
    shot(applicant, "board-admin-05-applicant-after-withdrawal")

"""The cut-off in the browser: the demo office the cut-off cancelled is refused at login with the
reason, and a reviewer finds it in the dashboard's deadline list and opens it through its link."""
from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, open_app, shot, wait_idle


def test_a_cancelled_office_is_told_why_and_staff_open_it_from_the_deadline_list(running_app, page):
    open_app(page, running_app.base_url, "仮ログイン ID、事業所コード、または職員 ID でログインしてください。")
    act(page, lambda: page.get_by_role("button", name="申込者（システム設定期限切れで承認取消）").click())
    expect(page.get_by_text("承認が取り消されました").first).to_be_visible()
    shot(page, "cutoff-01-login-refused")

    login(page, running_app.base_url, "demo-reviewer", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="審査ダッシュボード")).to_be_visible()
    listing = page.locator('[data-testid="stExpander"]').filter(has_text="システム設定の期限切れで承認取消")
    expect(listing).to_be_visible()
    listing.scroll_into_view_if_needed()
    wait_idle(page)
    shot(page, "cutoff-02-deadline-list")
    grid = listing.locator('[data-testid="stDataFrame"]')
    box = grid.bounding_box()
    assert box is not None
    link_x, link_y = box["x"] + box["width"] - 90, box["y"] + 35 + 17  # the first row's link text
    page.mouse.move(link_x, link_y)  # the grid finds the link under the pointer on hover
    with page.context.expect_page() as opened:  # the 開く link opens its 申込詳細 in a new tab
        page.mouse.click(link_x, link_y)
    detail = opened.value
    expect(detail.get_by_role("heading", name="申込詳細")).to_be_visible()
    assert "/review-detail?app=" in detail.url
    # The history table is a canvas grid: its accessible cells are in the DOM, not "visible".
    expect(detail.get_by_text("承認取消（システム設定の期限切れ）").first).to_be_attached()
    wait_idle(detail)
    shot(detail, "cutoff-03-detail")
    wait_idle(page)
    assert page.url.split("?")[0].endswith("/review")  # the dashboard stays where it was

"""The desk's search results at 1400 px (issue 13 item 9): every column, 次の手順 included, is
visible without scrolling the table sideways."""
from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import login, shot, wait_idle


def test_next_step_column_is_visible_at_1400_px(running_app, page):
    page.set_viewport_size({"width": 1400, "height": 900})
    login(page, running_app.base_url, "demo-desk", DEMO_PASSWORD)
    page.get_by_label("検索語").fill("株式会社")
    page.keyboard.press("Enter")
    expect(page.get_by_text("検索項目：").first).to_be_visible()
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.locator("th", has_text="次の手順")).to_have_count(1)
    shot(page, "desk-layout-1400")
    # The grid scrolls sideways only when its columns are wider than the table shown.
    overflow = grid.locator(".dvn-scroller").evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 1, f"the columns are {overflow} px wider than the table: 次の手順 is cut off"

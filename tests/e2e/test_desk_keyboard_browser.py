"""The desk worker on the phone, by keyboard only (issue 13): the search box has the focus on
arrival, Enter searches, Enter again opens the first result; the caller card shows at the top."""
import sqlite3

from playwright.sync_api import expect

from services.demo.applicants import APPROVED_ID
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import login, shot, wait_idle


def test_search_and_open_the_first_result_with_the_keyboard(running_app, page):
    login(page, running_app.base_url, "demo-desk", DEMO_PASSWORD)
    with sqlite3.connect(running_app.data_dir / "nss.db") as db:
        (name,) = db.execute("SELECT contact_name FROM applicants WHERE temp_login_id = ?", (APPROVED_ID,)).fetchone()
    search_box = page.get_by_label("検索語")
    expect(search_box).to_be_focused()

    page.keyboard.type(APPROVED_ID)
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 件（1 件を表示）")).to_be_visible()
    opener = page.get_by_role("button", name="開く", exact=True)
    expect(opener).to_be_focused()
    wait_idle(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name=f"{name} 様")).to_be_visible()
    expect(page.get_by_text("承認済みです。").first).to_be_visible()
    expect(page.get_by_text("利用開始日", exact=True).first).to_be_visible()
    wait_idle(page)
    shot(page, "desk-keyboard-01-card")

    page.get_by_role("button", name="検索結果に戻る").click()
    expect(search_box).to_be_focused()

"""A valid re-login cookie of a user deactivated meanwhile (issue 8 item 6): the reload shows the
login form, not Streamlit's error page, and the browser forgets the cookie."""
import sqlite3

from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import login, shot, wait_for_cookie, wait_idle


def test_reload_after_deactivation_shows_the_login_form(running_app, page):
    login(page, running_app.base_url, "demo-reviewer", DEMO_PASSWORD)
    wait_for_cookie(page)
    # An administrator deactivates the account elsewhere; this browser still holds a signed cookie.
    with sqlite3.connect(running_app.data_dir / "nss.db") as db:
        db.execute("UPDATE users SET is_active = 0 WHERE login_id = 'demo-reviewer'")
    page.reload()
    expect(page.get_by_label("ログイン ID").first).to_be_visible()
    wait_idle(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("でログイン中")).to_have_count(0)
    wait_for_cookie(page, present=False)  # ended cleanly: the cookie is deleted
    shot(page, "stale-cookie-login-form")
    page.reload()  # and a further reload stays on the form
    expect(page.get_by_label("ログイン ID").first).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)

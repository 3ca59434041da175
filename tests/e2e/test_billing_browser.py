"""Issue 11 in a real browser: an administrator imports a usage file with one bad row (sees its
line, nothing imported), fixes it and imports it (replacing the demo month); the office opens
請求内容参照, sees the month's charges and downloads the CSV."""
import sqlite3
from pathlib import Path

from playwright.sync_api import expect

from services import clock
from services.demo.offices import NONE_ID
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, open_app, shot, wait_idle


def _codes(data_dir, office_code: str) -> list[str]:
    with sqlite3.connect(data_dir / "nss.db") as db:
        return [r[0] for r in db.execute(
            "SELECT u.user_code FROM user_codes u JOIN applicants a ON a.id = u.applicant_id "
            "WHERE a.office_code = ? ORDER BY u.id", (office_code,))]


def _upload(page, content: str) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "usage.csv", "mimeType": "text/csv", "buffer": content.encode("utf-8-sig")}])
    expect(page.get_by_text("usage.csv").first).to_be_visible()
    wait_idle(page)


def test_admin_imports_usage_and_the_office_sees_its_charges(running_app, page, browser, browser_context_args):
    first, second = _codes(running_app.data_dir, NONE_ID)
    month = clock.today_jst().strftime("%Y-%m")
    login(page, running_app.base_url, "demo-admin", DEMO_PASSWORD)
    open_app(page, running_app.base_url + "/usage-import", "利用実績の取込")
    _upload(page, f"利用者コード,年月,利用額\r\n{first},{month},40000\r\nNOPE1,{month},5\r\n")
    # Inside a form: ticking the box does not rerun the script.
    act(page, lambda: page.get_by_text("取込済みの月を置き換える").click(), reruns=False)
    act(page, lambda: page.get_by_role("button", name="取り込む").click())
    expect(page.get_by_text("ファイルに誤りが 1 件あるため、取り込みませんでした")).to_be_visible()
    expect(page.get_by_text("利用者コード「NOPE1」は登録されていません")).to_be_visible()
    shot(page, "billing-01-import-refused")

    _upload(page, f"利用者コード,年月,利用額\r\n{first},{month},40000\r\n{second},{month},0\r\n")
    act(page, lambda: page.get_by_role("button", name="取り込む").click())
    expect(page.get_by_text("usage.csv の 2 行を取り込みました。")).to_be_visible()
    shot(page, "billing-02-imported")

    page = browser.new_context(**browser_context_args).new_page()  # the office, in its own browser
    login(page, running_app.base_url, NONE_ID, DEMO_PASSWORD)
    open_app(page, running_app.base_url + "/billing", "月別の請求額")
    expect(page.get_by_text("このページの情報は登録済みの情報です。")).to_be_visible()
    expect(page.get_by_text("料金プランの比較（参考）")).to_be_visible()
    wait_idle(page)
    shot(page, "billing-03-office")
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV をダウンロード").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("年月,") and text.splitlines()[1].startswith(f"{month},40000,")

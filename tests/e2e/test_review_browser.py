"""A reviewer in the browser: dashboard with the demo queue, CSV download, open an overdue
application, approve it, and the 確認完了 mail reaches the SMTP server."""
from pathlib import Path

from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, shot, wait_idle
from tests.e2e.journey_helpers import choose, open_queue_row


def test_reviewer_exports_opens_and_approves(running_app, page):
    login(page, running_app.base_url, "demo-reviewer", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="審査ダッシュボード")).to_be_visible()
    expect(page.get_by_text("件を表示").first).to_be_visible()
    shot(page, "review-01-dashboard")

    with page.expect_download() as download:  # the button does not rerun the script
        act(page, lambda: page.get_by_role("button", name="CSV ダウンロード（現在の絞り込み）").click(), reruns=False)
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "受付番号".encode() in data[:200]
    assert "申込受付".encode() in data and "新規利用申込".encode() in data  # codes shown as words

    # Only overdue items: they are all open, so the first one can be approved.
    choose(page, "期限", "期限超過")
    open_queue_row(page)  # a click on the row opens it
    expect(page.get_by_role("heading", name="申込詳細")).to_be_visible()
    wait_idle(page)
    shot(page, "review-02-detail")
    clerk = page.get_by_text("メールアドレス：").first.inner_text().split("：", 1)[1].strip()

    act(page, lambda: page.get_by_role("button", name="承認する").click())
    expect(page.get_by_text("承認しました。事業所コード")).to_be_visible()
    expect(page.get_by_text("この申込は審査が終了しています（確認完了）。")).to_be_visible()
    shot(page, "review-03-approved")
    mail = running_app.inbox.wait_for(clerk)[-1]
    assert "確認完了" in mail["Subject"]
    assert "システム設定の申込期限" in mail.get_content()

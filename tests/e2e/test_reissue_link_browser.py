"""Password re-issue in a real browser (SPEC §2.5, §6): request on the public page → the link
arrives at the 管理責任者 through a real SMTP server → open it → set a new password → log in with
it; the old password worked until then, and the same link a second time is refused."""
import re

import pytest
from playwright.sync_api import expect

import config
from services import auth
from tests.e2e.conftest import login, open_app, shot, start_app, wait_idle
from tests.factories import CORPORATE_NUMBER, OFFICE_PASSWORD, issue, raw_office

BOSS = "kanri.e2e@example.co.jp"
NEW_PASSWORD = "Reset-By-Link-2026"


@pytest.fixture
def app_and_office(tmp_path):
    app, smtp = start_app(tmp_path, demo=False)
    yield app
    app.process.terminate()
    app.process.wait(timeout=10)
    smtp.__exit__(None, None, None)


def _office_in(app, monkeypatch) -> str:
    """An approved office with a known password, written into the running app's own database."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{app.data_dir / 'nss.db'}")
    monkeypatch.setenv("NSS_DATA_DIR", str(app.data_dir))
    config.settings.cache_clear()
    from services import clock
    result, _ = issue()
    return raw_office(result.applicant_id, clock.today_jst(), admin_manager_email=BOSS)


def test_reissue_link_sets_a_new_password_once(app_and_office, page, monkeypatch):
    app = app_and_office
    open_app(page, app.base_url, "ログインID・パスワードを忘れた方はこちら")  # first run migrates
    office = _office_in(app, monkeypatch)

    page.get_by_text("ログインID・パスワードを忘れた方はこちら").click()
    expect(page.get_by_label("事業所コード", exact=True)).to_be_visible()
    wait_idle(page)
    page.get_by_label("事業所コード", exact=True).fill(office)
    page.get_by_label("管理責任者のメールアドレス", exact=True).fill(BOSS)
    page.get_by_label("法人番号（13 桁）", exact=True).fill(CORPORATE_NUMBER)
    page.get_by_role("button", name="再発行を申し込む").click()
    expect(page.get_by_text("受け付けました")).to_be_visible()
    shot(page, "reissue-01-requested")

    [mail] = app.inbox.wait_for(BOSS)
    body = mail.get_content()
    url = re.search(r"(http://\S+/reset-password\?token=\S+)", body).group(1)
    assert url.startswith(app.base_url) and "パスワード再発行" in mail["Subject"]
    assert auth.authenticate(office, OFFICE_PASSWORD).ok  # the old password still works

    open_app(page, url, "パスワードの再設定")
    expect(page.get_by_text(f"事業所コード {office} の新しいパスワード")).to_be_visible()
    page.get_by_label("新しいパスワード", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("新しいパスワード（確認）", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="パスワードを設定する").click()
    expect(page.get_by_text("新しいパスワードを設定しました")).to_be_visible()
    wait_idle(page)
    shot(page, "reissue-02-password-set")

    login(page, app.base_url, office, NEW_PASSWORD)
    expect(page.get_by_text("でログイン中").first).to_be_visible()
    assert not auth.authenticate(office, OFFICE_PASSWORD).ok

    second = page.context.browser.new_page()
    open_app(second, url, "パスワードの再設定")
    expect(second.get_by_text("このリンクは使えません")).to_be_visible()
    expect(second.get_by_label("新しいパスワード", exact=True)).to_have_count(0)
    shot(second, "reissue-03-link-spent")
    second.close()

"""No request leaves the machine: the login page, a reviewer's dashboard and an office's pages load
everything from the app server itself (a Material icon as page_icon made the browser fetch the
favicon from fonts.gstatic.com on every page)."""
from services.demo.offices import ALL_ID
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import login, open_app


def _outside(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    return seen


def test_every_request_stays_on_the_app_server(running_app, browser, browser_context_args):
    base = running_app.base_url
    reviewer = browser.new_context(**browser_context_args).new_page()
    seen = _outside(reviewer)
    login(reviewer, base, "demo-reviewer", DEMO_PASSWORD)
    open_app(reviewer, base + "/review", "審査ダッシュボード")
    open_app(reviewer, base + "/settings-status", "システム設定の状況")
    office = browser.new_context(**browser_context_args).new_page()
    seen_office = _outside(office)
    login(office, base, ALL_ID, DEMO_PASSWORD)
    for path, ready in (("/guidance", "利用開始までのガイダンス"), ("/contract", "契約内容確認"),
                        ("/bulletin-board", "NACCS 掲示板"), ("/billing", "請求内容参照")):
        open_app(office, base + path, ready)
    assert seen == [] and seen_office == []

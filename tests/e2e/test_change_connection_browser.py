"""変更申込 adding the other 接続形態 in a real browser (SPEC §2.6): the demo netNACCS office chooses
接続形態, picks 両方 on 事業所・企業, is asked for its システム構成図 there, and after saving finds the
回線工事 screen among its tabs (一般 NACCS now applies)."""
from playwright.sync_api import expect

from services.demo.offices import ALL_ID
from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, shot
from tests.e2e.journey_helpers import choose, click, open_change_page, tick


def test_a_net_office_adds_general_nacc(running_app, browser, browser_context_args):
    base = running_app.base_url
    office = open_change_page(browser, browser_context_args, base, ALL_ID, DEMO_PASSWORD)
    tick(office, "接続形態")
    click(office, "変更申込を始める")
    expect(office.get_by_role("heading", name="1. 変更内容の入力")).to_be_visible()
    attach = office.get_by_role("button", name="システム構成図を添付する", exact=True)
    expect(attach).to_have_count(0)  # netNACCS only: no diagram asked
    choose(office, "接続形態 *", "両方（netNACCS と 一般 NACCS）")
    expect(attach).to_be_visible()
    shot(office, "change-connection-01-both-asks-diagram")
    act(office, lambda: office.get_by_role("button", name="保存", exact=True).locator("visible=true").first.click())
    expect(office.get_by_role("tab", name="回線工事（未入力）")).to_be_visible()
    shot(office, "change-connection-02-line-work-tab")

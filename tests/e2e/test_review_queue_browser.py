"""Working the review queue in a browser at 1,400 × 900: the reviewer filters the queue, clicks a row,
approves it with 「承認して次へ」, lands on the next item of the same filtered queue, goes back and finds
the filter still set (also after a reload). Screenshots: review-queue-*.png in test-artifacts/."""
import re

import pytest
from playwright.sync_api import expect

from services.demo.seeding import DEMO_PASSWORD
from tests.e2e.conftest import act, login, shot
from tests.e2e.journey_helpers import click, heading, open_queue_row, queue_rows, settle

REF = re.compile(r"NSS-\d{4}-\d{6}")
# How far the page is scrolled, whichever element scrolls (Streamlit's main area, not the window).
_SCROLLED = "() => Math.max(window.scrollY, ...Array.from(document.querySelectorAll('*'), e => e.scrollTop))"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}}


def _choose(page, label: str, option: str) -> None:
    # The list opens in the browser alone; the pick reruns the script, and that run is waited for.
    settle(page)
    page.get_by_role("combobox", name=label, exact=True).click()
    act(page, lambda: page.get_by_role("option", name=option, exact=True).click())


def _ref(row_text: str) -> str:
    return REF.search(row_text).group(0)


def test_filter_click_approve_and_next_then_back_to_the_same_filter(running_app, page):
    login(page, running_app.base_url, "demo-reviewer", DEMO_PASSWORD)
    expect(heading(page, "審査ダッシュボード")).to_be_visible()
    _choose(page, "期限", "期限超過")
    expect(page).to_have_url(re.compile(r"due=overdue"))
    rows = queue_rows(page)
    first, second = _ref(rows[0]), _ref(rows[1])
    # At 1,400 px the last columns are on screen, whole: their headers and a value of each.
    grid = page.get_by_test_id("stDataFrame").first
    assert grid.bounding_box()["x"] + grid.bounding_box()["width"] <= 1400
    assert all(name in page.get_by_test_id("stDataFrame").first.locator("[role=row]").first.inner_text()
               for name in ("審査期限", "期限超過", "担当者"))
    shot(page, "review-queue-01-filtered-1400")

    open_queue_row(page, 0)
    expect(heading(page, "申込詳細")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(first))).to_be_visible()
    expect(page).to_have_url(re.compile(r"app=\d+.*due=overdue|due=overdue.*app=\d+"))
    # Each screen has its own comment box beside it.
    expect(page.get_by_label("事業所・企業 へのコメント")).to_be_visible()
    shot(page, "review-queue-02-detail-1400")

    page.get_by_role("button", name="承認して次へ", exact=True).scroll_into_view_if_needed()
    assert page.evaluate(_SCROLLED) > 0, "the action buttons are below the fold: the page is scrolled to them"
    click(page, "承認して次へ")
    expect(page.get_by_text("次の申込を開きました。").first).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(second))).to_be_visible()
    assert page.evaluate(_SCROLLED) == 0, "the next application opened where the last one was scrolled to"
    expect(page).to_have_url(re.compile(r"due=overdue"))
    shot(page, "review-queue-03-next-item-1400")

    # Claimed, the release button shows its whole label on one line.
    click(page, "自分が担当する")
    release = page.get_by_role("button", name="担当を外してキューに戻す", exact=True)
    expect(release).to_be_visible()
    fits = release.evaluate("b => b.scrollWidth <= b.clientWidth && b.getBoundingClientRect().height < 50")
    assert fits, "the release button's label is cut off or wrapped"
    shot(page, "review-queue-04-claimed-1400")

    click(page, "審査キューへ戻る")
    expect(heading(page, "審査ダッシュボード")).to_be_visible()
    expect(page.get_by_role("combobox", name="期限", exact=True)).to_have_value("期限超過")
    settle(page)
    assert _ref(queue_rows(page)[0]) == second  # the approved one has left the open queue
    shot(page, "review-queue-05-back-1400")

    page.reload()
    expect(heading(page, "審査ダッシュボード")).to_be_visible()
    settle(page)
    expect(page.get_by_role("combobox", name="期限", exact=True)).to_have_value("期限超過")
    assert _ref(queue_rows(page)[0]) == second

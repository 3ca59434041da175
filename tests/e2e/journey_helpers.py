"""Small Playwright helpers shared by the whole-journey browser tests (Streamlit widgets)."""
from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import shot, wait_idle


def settle(page, ms: int = 700) -> None:
    """Streamlit keeps the previous run's elements on screen until the new run replaces them."""
    page.wait_for_timeout(ms)
    wait_idle(page, timeout=30000)


def field(scope, label: str):
    return scope.get_by_label(label, exact=True)


def fill(page, values: dict[str, str], scope=None) -> None:
    """Each filled field outside a form reruns the script when focus moves on; on a busy machine
    those runs queue up and replace the next field while it is being typed into. Wait for the
    script to be idle after each one, as a person waits for the screen."""
    for label, value in values.items():
        field(scope or page, label).fill(value)
        if scope is None:
            wait_idle(page, timeout=30000)


def click(page, name: str, scope=None) -> None:
    settle(page)
    (scope or page).get_by_role("button", name=name, exact=True).first.click()
    settle(page)


def choose(page, label: str, option: str, *, multi: bool = False) -> None:
    """A Streamlit selectbox or multiselect: open it, pick the option (Escape closes a multiselect).
    A multiselect pick that lands while the previous rerun is still being drawn can be lost on a
    loaded machine: check that its chip shows, and pick once more if not."""
    chips = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_label(label, exact=False)).first
    for attempt in range(2):
        settle(page, 400)
        page.get_by_label(label, exact=False).first.click()
        page.get_by_role("option", name=option, exact=True).click()
        if multi:
            page.keyboard.press("Escape")
        settle(page, 700)
        if not multi:
            return
        try:
            expect(chips).to_contain_text(option, timeout=5000)
            return
        except AssertionError:
            if attempt:
                raise


def tick(page, label: str) -> None:
    page.get_by_text(label, exact=True).first.click()
    settle(page, 400)


def type_date(page, label: str, yyyymmdd: str) -> None:
    """A date field of segments (year, month, day): typing moves from one to the next; Escape
    closes the calendar that opens with it."""
    field(page, label).get_by_role("spinbutton").first.focus()
    page.keyboard.type(yyyymmdd)
    page.keyboard.press("Escape")
    settle(page)


def side(page, name: str) -> None:
    """A screen in the wizard's side list of 詳細入力画面."""
    settle(page)
    page.get_by_role("button", name=name).first.click()
    settle(page)


def heading(page, name: str):
    return page.get_by_role("heading", name=name, exact=True).first  # a rerun can briefly show two


def minimal_pdf(path: Path) -> Path:
    """A real one-page PDF (header, catalog, pages, page, xref table with true offsets, trailer)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def mail_value(body: str, label: str) -> str:
    """`  仮ログイン ID : T1234…` → the value after the colon."""
    return re.search(re.escape(label) + r"\s*[:：]\s*(\S+)", body).group(1)


class Shots:
    """Numbered screenshots of one journey: journey3-01-terms.png, journey3-02-…"""

    def __init__(self, prefix: str) -> None:
        self.prefix, self.number = prefix, 0

    def __call__(self, page, name: str) -> None:
        self.number += 1
        settle(page, 300)
        shot(page, f"{self.prefix}-{self.number:02d}-{name}")


def wait_for_subject(inbox, address: str, words: str, timeout: float = 30):
    """The first mail to `address` whose subject contains `words` (other mail may come first)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in inbox.to(address) if words in m["Subject"]]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address} about {words}; got {[m['Subject'] for m in inbox.to(address)]}")


ROW_HEIGHT, HEADER_HEIGHT = 35, 35  # st.dataframe's default geometry


def queue_rows(page) -> list[str]:
    """The review queue's rows as text (the grid's accessible rows, header excluded): 受付番号 first."""
    grid = page.get_by_test_id("stDataFrame").first
    rows = grid.locator("[role=row]")
    rows.nth(1).wait_for(state="attached", timeout=30000)  # the grid fills its rows after it is drawn
    return [rows.nth(i).inner_text() for i in range(1, rows.count())]


def open_queue_row(page, index: int = 0) -> None:
    """Click a cell of one queue row (the grid is a canvas: by position, on the 企業名 column) and
    wait for 申込詳細's URL. A click landing while the queue is redrawn is lost: click once more,
    only while the queue is still the page shown."""
    for attempt in range(2):
        settle(page)
        queue_rows(page)  # the grid is drawn and filled
        box = page.get_by_test_id("stDataFrame").first.bounding_box()
        page.mouse.click(box["x"] + 260, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * index + ROW_HEIGHT / 2)
        try:
            expect(page).to_have_url(re.compile(r"review-detail\?.*app=\d+"), timeout=15000)
            break
        except AssertionError:
            if attempt:
                raise
    settle(page)

"""Small Playwright helpers shared by the whole-journey browser tests (Streamlit widgets)."""
from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import PATIENCE_MS, PATIENCE_S, act, login, open_app, runs, shot, wait_idle


def settle(page, timeout: float = PATIENCE_MS) -> None:
    """Wait until the script is idle (nothing the user did is still being answered)."""
    wait_idle(page, timeout)


def field(scope, label: str):
    return scope.get_by_label(label, exact=True)


def fill(page, values: dict[str, str], scope=None) -> None:
    """Type into fields. Outside a form, a changed field reruns the script when it loses focus;
    Tab moves on as a person does, and the run it starts is waited for, so a queued run cannot
    replace the next field while it is being typed into. Inside a form nothing runs until submit."""
    for label, value in values.items():
        box = field(scope or page, label)
        if scope is not None or box.input_value() == value:
            box.fill(value)
            continue
        box.fill(value)
        act(page, lambda box=box: box.press("Tab"))


def click(page, name: str, scope=None) -> None:
    act(page, lambda: (scope or page).get_by_role("button", name=name, exact=True).first.click())


def choose(page, label: str, option: str, *, multi: bool = False) -> None:
    """A Streamlit selectbox or multiselect: open it and pick the option; the pick reruns the script
    (Escape closes a multiselect's list afterwards)."""
    settle(page)
    box = page.get_by_role("combobox", name=label, exact=True)
    if not box.count():  # a label with its required mark: 「料金プラン *」
        box = page.get_by_role("combobox", name=label)
    box.first.click()
    wanted = page.get_by_role("option", name=option, exact=True)
    try:
        wanted.wait_for()
    except PlaywrightTimeout:
        # Seen right after a file download: the click focuses the box without opening its list.
        # The arrow key opens a focused combobox's list, as it does for a keyboard user.
        box.first.press("ArrowDown")
    act(page, lambda: wanted.click())
    if multi:
        page.keyboard.press("Escape")
        chips = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_label(label, exact=False)).first
        expect(chips).to_contain_text(option)


def tick(page, label: str) -> None:
    act(page, lambda: page.get_by_text(label, exact=True).first.click())


def type_date(page, label: str, yyyymmdd: str) -> None:
    """A date field of segments (year, month, day): typing moves from one to the next; Escape
    closes the calendar that opens with it, and the new date reruns the script."""
    settle(page)
    before = runs(page)
    field(page, label).get_by_role("spinbutton").first.focus()
    page.keyboard.type(yyyymmdd)
    page.keyboard.press("Escape")
    wait_idle(page, after=before)


def side(page, name: str) -> None:
    """A screen in the wizard's side list of 詳細入力画面."""
    act(page, lambda: page.get_by_role("button", name=name).first.click())


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
        settle(page)
        shot(page, f"{self.prefix}-{self.number:02d}-{name}")


def wait_for_subject(inbox, address: str, words: str, timeout: float = PATIENCE_S):
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
    rows.nth(1).wait_for(state="attached")  # the grid fills its rows after it is drawn
    return [rows.nth(i).inner_text() for i in range(1, rows.count())]


def open_queue_row(page, index: int = 0) -> None:
    """Click a cell of one queue row (the grid is a canvas: by position, on the 企業名 column) once
    the queue is drawn and idle, and wait for 申込詳細's URL."""
    settle(page)
    queue_rows(page)  # the grid is drawn and filled
    box = page.get_by_test_id("stDataFrame").first.bounding_box()
    act(page, lambda: page.mouse.click(box["x"] + 260, box["y"] + HEADER_HEIGHT + ROW_HEIGHT * index + ROW_HEIGHT / 2))
    expect(page).to_have_url(re.compile(r"review-detail\?.*app=\d+"))
    settle(page)


def open_change_page(browser, browser_context_args, base: str, login_id: str, password: str):
    """A new browser logged in as the office, on 申込実施 → 変更申込 (its third procedure)."""
    office = browser.new_context(**browser_context_args).new_page()
    login(office, base, login_id, password)
    open_app(office, base + "/procedures", "申込実施")
    act(office, lambda: office.get_by_role("link", name="手続きへ").nth(2).click())
    expect(office.get_by_role("heading", name="変更申込", exact=True)).to_be_visible()
    return office

"""Issue 8, item 1 in Chromium: typed text pointing images and links at a local HTTP listener is
shown as text on the reviewer's detail page, the desk's caller record and the applicant's view of
a return comment, and the browser never contacts the listener.

The data is seeded through the use cases (tests.factories.make_hostile_application) into the
server's own embedded database before the server starts.
"""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

import config
from db.engine import dispose_all
from services.bootstrap import bootstrap
from tests.e2e.conftest import login, shot, start_app, stop_app
from tests.e2e.journey_helpers import click, field, settle
from tests.factories import PASSWORD, make_hostile_application


class Listener:
    """An HTTP server on 127.0.0.1 that records every request it gets (and answers 404)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the http.server API
                requests.append(self.path)
                self.send_error(404)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    with Listener() as running:
        yield running


@pytest.fixture
def hostile_app(tmp_path, monkeypatch, listener):
    """The embedded database in the server's data folder, migrated and seeded, then the server."""
    base = listener.base
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NSS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NSS_DEMO", "0")
    config.settings.cache_clear()
    dispose_all()
    bootstrap()
    texts = {
        # company, office, addresses, department, staff names (100 characters at most)
        "text": f"# 見出し ![x]({base}/image.png) [本人確認はこちら]({base}/link)",
        # the person names of the screens (50 at most)
        "name": f"<img src={base}/tag.png>",
        # comments and notes: every payload, one a line, a bare URL that Markdown would autolink
        "comment": "\n".join([f"# 見出し ![x]({base}/c-image.png)", f"[本人確認はこちら]({base}/c-link)",
                              f"<img src={base}/c-tag.png onerror=alert(1)>", "[押す](javascript:alert(1))",
                              f"{base}/c-bare www.phish.example"]),
    }
    seed = make_hostile_application(texts["text"], name=texts["name"], comment=texts["comment"])
    dispose_all()  # the server opens the file on its own
    app, smtp = start_app(tmp_path, demo=False)
    yield app, seed, texts
    stop_app(app, smtp, tmp_path)
    config.settings.cache_clear()


def _new_page(browser, browser_context_args):
    return browser.new_context(**browser_context_args).new_page()


def page_text(page) -> str:
    return page.evaluate("document.body.innerText").replace("\u2060", "")


def headings(page) -> list[str]:
    return [h.replace("\u2060", "") for h in
            page.locator("h1, h2, h3, h4, h5, h6").evaluate_all("(all) => all.map((e) => e.innerText)")]


def assert_shown_as_text(page, listener: Listener, *literals: str) -> None:
    """Each literal is on the page as text; nothing on the page points at the listener, runs a
    script URL or turned the text into a heading."""
    for literal in literals:  # as a reader sees it: the invisible word joiner of ui.format.plain left out
        try:
            page.wait_for_function("(literal) => document.body.innerText.replaceAll('\\u2060', '').includes(literal)",
                                   arg=literal)
        except PlaywrightTimeout:
            raise AssertionError(f"{literal!r} not shown in {page_text(page)!r}") from None
    port = listener.base.rsplit(":", 1)[1]
    # (Streamlit's own "#…" anchor beside a heading carries the heading's words: not a link away)
    for selector in (f'img[src*="{port}"]', f'a[href*="{port}"]:not([href^="#"])', 'a[href^="javascript"]',
                     'a[href*="phish"]:not([href^="#"])',
                     f'[style*="{port}"]', f'source[srcset*="{port}"]'):
        found = page.locator(selector).evaluate_all("(all) => all.map((e) => e.parentElement.outerHTML)")
        assert found == [], f"{selector}: {found}"
    made = [h for h in headings(page) if h.strip().startswith("見出し")]  # 「# 見出し」 as a heading drops the mark
    assert made == [], made
    assert listener.requests == [], listener.requests


def test_hostile_text_is_shown_literally_and_nothing_is_fetched(hostile_app, listener, page, browser,
                                                                 browser_context_args):
    app, seed, texts = hostile_app
    first_line = texts["comment"].splitlines()[0]

    # The reviewer's detail page: heading, the screens' tables, comments, notes
    login(page, app.base_url, seed.reviewer.login_id, PASSWORD)
    page.goto(f"{app.base_url}/review-detail?app={seed.application_id}")
    expect(page.get_by_role("heading", name="申込詳細")).to_be_visible()
    settle(page)
    closed = page.locator('[data-testid="stExpander"] details:not([open]) > summary')
    for _ in range(closed.count()):  # open every screen so its table shows (those with comments are open)
        closed.first.click()
    settle(page)
    assert_shown_as_text(page, listener, texts["text"], texts["name"], first_line,
                         "[押す](javascript:alert(1))", "www.phish.example")
    assert [h for h in headings(page) if texts["text"] in h]  # the subheader: 受付番号 and company
    shot(page, "user-text-01-review-detail")

    # The desk's caller record: heading 「… 様」, company, contact table, call note
    desk = _new_page(browser, browser_context_args)
    login(desk, app.base_url, seed.desk.login_id, PASSWORD)
    expect(desk.get_by_role("heading", name="窓口", exact=True).first).to_be_visible()
    settle(desk, 1500)
    field(desk, "検索語").fill("ヤマダ")
    click(desk, "検索")
    click(desk, "開く")
    expect(desk.get_by_role("button", name="この申込者として入力する")).to_be_visible()
    assert_shown_as_text(desk, listener, texts["text"], first_line, "www.phish.example")
    assert [h for h in headings(desk) if texts["text"] in h]  # 「… 様」
    shot(desk, "user-text-02-desk-caller")

    # The applicant reads the return comment on the wizard and on 申込内容確認
    applicant = _new_page(browser, browser_context_args)
    login(applicant, app.base_url, seed.applicant.login_id, PASSWORD)
    applicant.goto(f"{app.base_url}/application")
    expect(applicant.get_by_text("審査担当からの修正依頼").first).to_be_visible()
    settle(applicant)
    assert_shown_as_text(applicant, listener, first_line, "[押す](javascript:alert(1))", "www.phish.example")
    shot(applicant, "user-text-03-applicant-comment")
    applicant.goto(f"{app.base_url}/application-view")
    expect(applicant.get_by_role("heading", name="申込内容確認").first).to_be_visible()
    settle(applicant)
    assert_shown_as_text(applicant, listener, texts["text"], texts["name"], first_line)
    shot(applicant, "user-text-04-applicant-view")
    assert listener.requests == []

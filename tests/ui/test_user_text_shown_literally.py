"""Issue 8, item 1: what a person typed never acts as Markdown or HTML, on any page that shows it.

Each hostile value (a Markdown image, a link, a heading, an HTML tag, a `javascript:` URL) is seeded
into every typed field of one application, both staff names, the return comments and both kinds
of notes (tests.factories.make_hostile_application). Then, page by page, every element that shows
it is checked:

- elements that render Markdown (titles, headings, captions, alerts, st.markdown, st.table cells,
  expander and tab labels) must hold it escaped: every visible occurrence comes from
  ui.format.plain(value), and no image, link, tag or script URL syntax is left unescaped;
- elements that show plain text (st.text, st.code, st.dataframe cells, selectbox options) must hold
  it exactly as typed (no backslashes of a needless escape).

AppTest holds each element's Markdown source; tests/e2e/test_user_text_browser.py checks the same
pages in Chromium, where nothing may be fetched or linked.
"""
from __future__ import annotations

from collections import Counter

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from services.authz import ADMIN
from services.mail_text import neutral
from tests.factories import HOSTILE_TEXTS, PASSWORD, make_application, make_hostile_application, make_staff
from tests.ui.harness import MARKDOWN_KINDS, TIMEOUT, app, left_active, page, shown
from ui.desk import OPEN_CALLER_KEY
from ui.desk.search_view import LAST_QUERY_KEY
from ui.format import plain
from ui.target import ACTING_FOR_KEY

DETAIL, DASHBOARD, DESK = "screens/review/detail.py", "screens/review/dashboard.py", "screens/desk/search.py"
WIZARD, VIEW, HOME, OUTBOX, USERS = ("screens/applicant/application.py", "screens/applicant/application_view.py",
                                     "screens/common/home.py", "screens/admin/outbox.py", "screens/admin/users.py")
@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def assert_escaped(markdown: str, text: str, where: str) -> None:
    visible = shown(markdown)
    assert visible.count(text) == markdown.count(plain(text)), f"{where}: {text!r} not escaped in {markdown!r}"
    assert not left_active(markdown), f"{where}: active markup left in {markdown!r}"


def assert_raw(value: str, text: str, where: str) -> None:
    assert plain(text) not in value or plain(text) == text, f"{where}: {text!r} escaped in plain text {value!r}"


def positions(at: AppTest, text: str) -> Counter:
    """Checks every element of the page that shows `text`; counts them by kind."""
    assert not at.exception, at.exception
    found: Counter = Counter()
    for kind in MARKDOWN_KINDS:
        for element in getattr(at, kind):
            if text in shown(str(element.value)):
                assert_escaped(str(element.value), text, kind)
                found[kind] += 1
    for kind in ("expander", "tabs"):
        for element in getattr(at, kind):
            if text in shown(element.label):
                assert_escaped(element.label, text, kind + " label")
                found[kind] += 1
    for table in at.table:
        frame = table.value
        for cell in [*map(str, frame.values.ravel()), *map(str, frame.index), *map(str, frame.columns)]:
            if text in shown(cell):
                assert_escaped(cell, text, "table cell")
                found["table"] += 1
    for element in [*at.text, *at.code]:
        if text in element.value:
            assert_raw(element.value, text, "text")
            found["text"] += 1
    for frame in at.dataframe:
        for cell in map(str, frame.value.values.ravel()):
            if text in cell:
                assert_raw(cell, text, "dataframe cell")
                found["dataframe"] += 1
    for box in at.selectbox:
        for option in map(str, box.options):
            if text in option:
                assert_raw(option, text, "selectbox option")
                found["selectbox"] += 1
    return found


@pytest.fixture(params=HOSTILE_TEXTS, ids=["image", "link", "heading", "html", "javascript"])
def hostile(request, sqlite_db):
    return request.param, make_hostile_application(request.param)


def test_the_payloads_are_escaped_by_plain():
    for text in (*HOSTILE_TEXTS, "http://127.0.0.1:9/bare www.phish.example a@phish.example", "見出し\n===",
                 "&lt;b&gt; :red[赤] $x$ | a | b |", "    indented\n- item\n1. item"):
        assert not left_active(plain(text)) and shown(plain(text)).replace("\u00a0", " ") == text


def test_reviewer_detail_shows_every_typed_value_literally(hostile):
    text, seed = hostile
    found = positions(page(DETAIL, seed.reviewer, review_app_id=seed.application_id), text)
    assert found["subheader"] == 1                 # the heading: 受付番号 and company name
    assert found["table"] >= 9                     # the screens' tables: names, company, office, addresses...
    assert found["warning"] == 2                   # the two return comments on their screens
    assert found["caption"] >= 2                   # the reviewer's name over the comment and the note
    assert found["text"] >= 4                      # summary, comment bodies and note body as plain text
    assert found["dataframe"] >= 1                 # history: who did it


def test_review_queue_shows_the_company_literally(sqlite_db):
    reviewer = make_staff("rev1", "reviewer")
    for text in HOSTILE_TEXTS:
        make_application(company=text)
    at = page(DASHBOARD, reviewer)
    for text in HOSTILE_TEXTS:
        found = positions(at, text)
        assert found["dataframe"] >= 1  # the queue table (rows open by a click: no pick list any more)


def test_desk_search_results_and_caller_record_show_values_literally(hostile):
    text, seed = hostile
    results = page(DESK, seed.desk, **{LAST_QUERY_KEY: ("ヤマダ", "kana")})
    found = positions(results, text)
    assert found["dataframe"] >= 2 and found["selectbox"] == 1   # name and company; the pick list
    record = page(DESK, seed.desk, **{OPEN_CALLER_KEY: seed.applicant.applicant_id})
    found = positions(record, text)
    assert found["header"] == 1                    # 「… 様」
    assert found["caption"] >= 2                   # company under it; the author of the call note
    assert found["text"] >= 1 and found["dataframe"] >= 3        # note body; contact table, history


def test_acting_banner_names_the_caller_literally(hostile):
    text, seed = hostile

    def script():
        from ui.desk.banner import acting_banner
        from ui.session import current_actor
        acting_banner(current_actor())

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.session_state["nss_actor"] = seed.desk
    at.session_state[ACTING_FOR_KEY] = seed.applicant.applicant_id
    assert positions(at.run(), text)["warning"] == 1


def test_applicant_reads_the_return_comment_literally(hostile):
    text, seed = hostile
    wizard = page(WIZARD, seed.applicant, wiz_current="office")
    found = positions(wizard, text)
    assert found["warning"] == 1                   # 審査担当からの修正依頼（name）：comment
    view = page(VIEW, seed.applicant)
    found = positions(view, text)
    assert found["warning"] == 2 and found["table"] >= 9          # 申込内容確認: comments and screens


def test_staff_names_in_the_title_and_the_sidebar_are_literal(hostile):
    text, seed = hostile
    assert positions(page(HOME, seed.reviewer), text)["title"] == 1
    at = app()
    at.text_input[0].input(seed.reviewer.login_id)
    at.text_input[1].input(PASSWORD)
    next(b for b in at.button if b.label == "ログイン").click().run()
    assert positions(at, text)["caption"] >= 1     # 「… でログイン中」 in the sidebar


def test_outbox_and_staff_list_show_values_as_plain_text(hostile):
    text, _ = hostile
    admin = make_staff("admin1", ADMIN)
    found = positions(page(OUTBOX, admin), neutral(text))
    assert found["text"] >= 1                      # mail bodies (st.code) hold the company as mailed: inert
    found = positions(page(USERS, admin), text)
    assert found["dataframe"] >= 2                 # the reviewer's and desk user's names


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=["image", "link", "heading", "html", "javascript"])
def test_terms_version_label_and_text_are_literal_wherever_shown(sqlite_db, text):
    """An administrator's システム利用規程 version (label and text) on the admin page, the public
    temporary-account page, the admin home and the staff view of an account that agreed to it."""
    from datetime import timedelta

    from services import clock, terms
    from tests.factories import make_caller
    admin, desk = make_staff("adm1", ADMIN), make_staff("desk1", "desk")
    terms.add_version(admin, text, f"本文 {text}", clock.today_jst())
    scheduled = text + "2" if len(text) < terms.LABEL_MAX else None  # a label holds 32 characters
    if scheduled:
        terms.add_version(admin, scheduled, "予定", clock.today_jst() + timedelta(days=3))
    caller = make_caller()
    found = positions(page("screens/admin/terms.py", admin), text)
    assert found["markdown"] >= (2 if scheduled else 1) and found["text"] >= 1  # headings; the text as it is
    found = positions(page("screens/applicant/temp_account.py"), text)
    assert found["subheader"] == 1 and found["text"] == 1    # 「システム利用規程（第 … 版）」 and its text
    found = positions(page(HOME, admin), text)
    assert found["info"] == (2 if scheduled else 1)          # in force, and the scheduled one
    found = positions(page(DESK, desk, **{OPEN_CALLER_KEY: caller}), text)
    assert found["expander"] == 1 and found["text"] >= 2     # the agreed version: label; line and text

"""The caller card at the top of the desk record: status, the sentence to tell the caller, each
deadline with its countdown, and 「この申込者として入力する」 opening the caller's screen."""
import pytest
import streamlit as st

from services import deadlines
from services.authz import DESK
from services.workflow import ApplicationStatus
from tests.factories import PASSWORD, make_application, make_caller, make_staff, partly_entered
from tests.ui.harness import app, login, page, texts
from ui.desk import OPEN_CALLER_KEY
from ui.format import countdown, fmt_date

PAGE = "screens/desk/search.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def test_card_of_a_draft_says_what_to_tell_and_where_the_wizard_opens(sqlite_db):
    desk = make_staff("desk1", DESK)
    at = page(PAGE, desk, **{OPEN_CALLER_KEY: partly_entered()})
    assert not at.exception
    info = [i.value for i in at.info]
    assert any("申込内容を入力中です。残り " in v and "画面を入力し、入力確認画面から申し込んでください。" in v
               for v in info), info
    assert "入力画面は「回線・論理端末」から開きます。" in texts(at)


def test_card_of_an_approved_caller_shows_each_deadline_with_its_countdown(sqlite_db):
    desk = make_staff("desk1", DESK)
    start = deadlines.default_start_date()
    _, applicant_id = make_application(status=ApplicationStatus.APPROVED, start_date=start)
    at = page(PAGE, desk, **{OPEN_CALLER_KEY: applicant_id})
    text = texts(at)
    settings_due = deadlines.system_settings_deadline(start)
    assert f"システム設定申込（残り 2 件）を {fmt_date(settings_due)} までに完了してください" in text
    for label, due in (("システム設定申込の期限", settings_due), ("利用開始日", start)):
        assert label in text and f"**{fmt_date(due)}**　{countdown(due)}" in text


def test_card_of_a_new_caller_counts_down_the_temporary_account_in_hours(sqlite_db):
    at = page(PAGE, make_staff("desk1", DESK), **{OPEN_CALLER_KEY: make_caller()})
    text = texts(at)
    assert "仮ログイン ID の有効期限" in text and "あと " in text and " 時間" in text


def test_act_for_opens_the_callers_screen_not_the_last_callers(sqlite_db):
    make_staff("desk1", DESK)
    caller = partly_entered()
    at = login(app(), "desk1", PASSWORD)
    at.session_state["wiz_current"] = "office"  # where this desk session was for the caller before
    at.session_state[OPEN_CALLER_KEY] = caller
    at.switch_page(PAGE).run()
    at.button(key="desk_act_for").click().run()
    assert not at.exception
    assert "回線・論理端末" in [h.value for h in at.header]

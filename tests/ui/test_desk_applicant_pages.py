"""The desk sees the caller's 利用開始までのガイダンス and 新着情報 while acting for them (desk-guidance,
desk-notices); without a chosen caller the pages say to choose one first."""
from __future__ import annotations

import pytest
import streamlit as st

from services import clock
from services.authz import DESK
from services.notices import NoticeKind, add_notice
from services.uow import UnitOfWork
from tests.factories import OFFICE_PASSWORD, PASSWORD, add_id_notice, first_login, issue, make_staff
from tests.ui.harness import app, page, texts
from ui.nav import visible_pages
from ui.target import ACTING_FOR_KEY

GUIDANCE = "screens/applicant/guidance.py"
NOTICES = "screens/applicant/notices.py"
CHOOSE_FIRST = "先に窓口画面で申込者を選び"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _caller():
    result, password = issue()
    return first_login(result.temp_login_id, password)  # the 仮パスワード changed, as at first login


def test_desk_navigation_has_its_own_guidance_and_notices_entries(sqlite_db):
    desk = make_staff("desk1", DESK)
    paths = {p.url_path: p.path for p in visible_pages(desk)}
    assert paths["desk-guidance"] == GUIDANCE and paths["desk-notices"] == NOTICES
    assert "guidance" not in paths and "notices" not in paths
    applicant_paths = [p.url_path for p in visible_pages(_caller())]
    assert "guidance" in applicant_paths and "desk-guidance" not in applicant_paths
    assert not {"desk-guidance", "desk-notices"} & {p.url_path for p in visible_pages(make_staff("rev2", "reviewer"))}


@pytest.mark.parametrize("path", [GUIDANCE, NOTICES])
def test_desk_not_acting_for_anyone_is_told_to_choose_a_caller(sqlite_db, path):
    at = page(path, make_staff("desk1", DESK))
    assert not at.exception
    assert CHOOSE_FIRST in texts(at)


def test_desk_sees_the_callers_guidance(sqlite_db):
    caller = _caller()
    at = page(GUIDANCE, make_staff("desk1", DESK), **{ACTING_FOR_KEY: caller.applicant_id})
    assert not at.exception
    text = texts(at)
    assert "3 件中 1 件完了" in text and CHOOSE_FIRST not in text
    assert "仮ログイン ID の有効期限" in text


def test_desk_sees_the_callers_notices_and_opening_the_id_notice_does_not_mark_it_read(sqlite_db):
    caller = _caller()
    with UnitOfWork() as u:
        s = u.session
        add_notice(s, caller.applicant_id, NoticeKind.RECEIPT, {"ref_no": "NSS-2026-234567"})
        s.commit()
    notice_id = add_id_notice(caller.applicant_id, clock.today_jst())
    at = page(NOTICES, make_staff("desk1", DESK), **{ACTING_FOR_KEY: caller.applicant_id})
    assert not at.exception
    assert "NSS-2026-234567" in texts(at) and "未読" in texts(at)
    at.button(key=f"nt_open_{notice_id}").click().run()
    assert not at.exception and OFFICE_PASSWORD not in texts(at)  # only the caller, logged in, sees it
    assert "パスワード（事業所パスワード）：********" in texts(at)
    # The caller still finds the notice unread: the desk looking at it is not the caller reading it.
    assert "未読" in texts(page(NOTICES, caller))


def test_desk_reaches_the_callers_guidance_through_the_app(sqlite_db):
    caller = _caller()
    make_staff("desk1", DESK)
    at = app()
    at.text_input[0].input("desk1")
    at.text_input[1].input(PASSWORD)
    next(b for b in at.button if b.label == "ログイン").click().run()
    at.session_state[ACTING_FOR_KEY] = caller.applicant_id
    at.switch_page(GUIDANCE).run()
    assert not at.exception
    assert at.title[0].value == "利用開始までのガイダンス"
    assert "3 件中 1 件完了" in texts(at)
    assert any("代理入力中" in w.value for w in at.warning)

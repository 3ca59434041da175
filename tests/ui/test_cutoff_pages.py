"""AppTests of the cut-off where people see it: the dashboard's deadline lists (offices about to be cut
and cut ones, each with a link to its 申込詳細), the login refused with the reason, the desk card and
新着情報 of a cancelled office (SQLite)."""
from __future__ import annotations

from datetime import timedelta

import pytest
import streamlit as st

from services import clock, cutoff, deadlines
from services.authz import DESK, REVIEWER
from services.calendar import add_business_days
from tests.factories import at_jst, make_application, make_staff, office_credentials
from tests.ui.harness import app, page, texts
from ui.desk import OPEN_CALLER_KEY
from ui.format import fmt_date
from ui.target import ACTING_FOR_KEY

DASHBOARD = "screens/review/dashboard.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _cancelled_office(company: str = "取消済物流") -> tuple[int, int]:
    """Approved 14 days ago with the last business day as its 利用開始日, then cut by the job now."""
    start = add_business_days(clock.today_jst(), -1)
    with at_jst(start - timedelta(days=14)):
        ids = make_application(status="APPROVED", start_date=start, company=company)
    assert len(cutoff.run_cutoff().cancelled) == 1
    return ids


def _expander(at, prefix: str):
    return next(e for e in at.expander if e.label.startswith(prefix))


def test_the_deadline_lists_show_offices_at_risk_and_cut_ones_each_with_its_link(sqlite_db):
    reviewer = make_staff("rev1", REVIEWER)
    at_risk_id, _ = make_application(status="APPROVED", company="期限間近物流",
                                     start_date=add_business_days(clock.today_jst(), 6))
    cut_id, _ = _cancelled_office()
    at = page(DASHBOARD, reviewer)
    assert not at.exception
    at_risk = _expander(at, "システム設定申込が未完了").dataframe[0].value
    assert list(at_risk["会社名"]) == ["期限間近物流"]
    start = add_business_days(clock.today_jst(), 6)
    assert at_risk.iloc[0]["承認取消日（未完了のとき）"] == fmt_date(cutoff.cutoff_day(start))
    assert at_risk.iloc[0]["開く"].startswith(f"review-detail?app={at_risk_id}")
    cancelled_list = _expander(at, "システム設定の期限切れで承認取消（過去 30 日・1 件）")
    cut = cancelled_list.dataframe[0].value
    assert list(cut["会社名"]) == ["取消済物流"] and cut.iloc[0]["未完了の利用者コード"] == 2
    assert cut.iloc[0]["承認取消日"] == fmt_date(clock.today_jst())
    link = cut.iloc[0]["開く"]
    assert link.startswith(f"review-detail?app={cut_id}")  # the queue as shown rides along, for the way back
    # A click on the link cell is the link's (a new tab), not the click-to-open of the other cells.
    at.session_state[f"rq_deadline_{'APPROVAL_CANCELLED'}"] = {
        "selection": {"rows": [], "columns": [], "cells": [[0, "開く"]]}}
    at.run()
    assert not at.exception and "審査ダッシュボード" in texts(at)


def test_the_link_of_a_cancelled_office_opens_its_detail_with_the_cut_off_in_its_history(sqlite_db):
    reviewer = make_staff("rev1", REVIEWER)
    cut_id, _ = _cancelled_office()
    at = page("screens/review/detail.py", reviewer, **{})
    at.query_params["app"] = str(cut_id)
    at.run()
    assert not at.exception
    assert any("に取り消されました（事業所のログインは停止済み）" in e.value for e in at.error)
    assert "承認取消（システム設定の期限切れ）" in texts(at) or any(
        "承認取消（システム設定の期限切れ）" in df.value.to_string() for df in at.dataframe)
    history = next(df.value for df in at.dataframe if "操作" in df.value.columns)
    row = history[history["操作"] == "承認取消（システム設定の期限切れ）"].iloc[0]
    assert row["入力者"] == "システム（自動処理）"


def test_a_cancelled_office_logging_in_is_told_why_it_cannot(sqlite_db):
    _, applicant_id = _cancelled_office()
    office_code, password = office_credentials(applicant_id)
    at = app()
    at.text_input[0].input(office_code)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "ログイン").click().run()
    assert at.session_state["authentication_status"] is not True
    errors = "\n".join(e.value for e in at.error)
    assert "承認が取り消されました" in errors and "この ID ではログインできません" in errors


def test_the_desk_card_and_notices_of_a_cancelled_office_say_it_was_cut(sqlite_db):
    desk = make_staff("desk1", DESK)
    _, applicant_id = _cancelled_office()
    start = add_business_days(clock.today_jst(), -1)
    at = page("screens/desk/search.py", desk, **{OPEN_CALLER_KEY: applicant_id})
    assert not at.exception
    info = "\n".join(i.value for i in at.info)
    assert f"{fmt_date(deadlines.system_settings_deadline(start))}）までに完了しなかったため" in info
    notices = page("screens/applicant/notices.py", desk, **{ACTING_FOR_KEY: applicant_id})
    assert not notices.exception
    text = texts(notices)
    assert "承認取消" in text and "今回の承認は取り消されました" in text
    assert f"システム設定の申込期限：{fmt_date(deadlines.system_settings_deadline(start))}" in text


def test_the_guidance_of_a_cancelled_office_says_so_and_shows_no_deadline_left(sqlite_db):
    desk = make_staff("desk1", DESK)
    _, applicant_id = _cancelled_office()
    at = page("screens/applicant/guidance.py", desk, **{ACTING_FOR_KEY: applicant_id})
    assert not at.exception
    assert any(f"{fmt_date(clock.today_jst())} に承認が取り消されました" in e.value for e in at.error)
    assert "システム設定の申込の完了期限" not in texts(at) and "事業所パスワードの表示期限" not in texts(at)

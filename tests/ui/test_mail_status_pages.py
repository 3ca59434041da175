"""Desk record and review detail show one applicant's mail delivery status — recipient, subject,
status, times — and never a body or a password (issue 8, item 2)."""
import pytest
import streamlit as st

from services.authz import DESK, REVIEWER
from tests.factories import issue, make_application, make_staff
from tests.ui.harness import page, texts
from ui.desk import OPEN_CALLER_KEY


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _table_text(at) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


def test_desk_record_shows_the_callers_mail_status_without_the_password(sqlite_db):
    result, password = issue()
    at = page("screens/desk/search.py", make_staff("desk1", DESK), **{OPEN_CALLER_KEY: result.applicant_id})
    assert not at.exception
    assert "メールの送信状況" in texts(at)
    status = next(df.value for df in at.dataframe if "件名" in df.value.columns)
    assert list(status["宛先"]) == ["taro@example.co.jp"] and list(status["状態"]) == ["送信待ち"]
    assert "仮アカウント登録完了のお知らせ" in status["件名"].iloc[0]
    assert password not in texts(at) + _table_text(at) and "仮パスワード" not in _table_text(at)


def test_review_detail_shows_the_applicants_mail_status(sqlite_db):
    app_id, _ = make_application()
    at = page("screens/review/detail.py", make_staff("rev1", REVIEWER), review_app_id=app_id)
    assert not at.exception
    status = next(df.value for df in at.dataframe if "件名" in df.value.columns)
    assert len(status) == 2 and any("受付" in s for s in status["件名"])  # the account mail and the receipt
    assert "Temp-Pass-123" not in texts(at) + _table_text(at)

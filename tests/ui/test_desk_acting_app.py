"""Desk staff acting for a caller, through app.py: one 代理入力中 notice (the desk banner with the
caller's name and the stop button), and the applicant's screens open for the caller."""
import pytest
import streamlit as st

from services.authz import DESK
from tests.factories import PASSWORD, make_applicant, make_staff, started
from tests.ui.harness import app, texts
from ui.target import ACTING_FOR_KEY

WIZARD = "screens/applicant/application.py"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def _desk_acting_for(applicant_id: int):
    make_staff("desk1", DESK)
    at = app()
    at.text_input[0].input("desk1")
    at.text_input[1].input(PASSWORD)
    next(b for b in at.button if b.label == "ログイン").click().run()
    assert not at.exception
    at.session_state[ACTING_FOR_KEY] = applicant_id
    return at


def _acting_notices(at) -> list[str]:
    shown = [e.value for kind in ("warning", "info", "caption", "markdown") for e in getattr(at, kind)]
    return [text for text in shown if "代理" in text or "代行" in text]


def test_wizard_for_a_caller_shows_only_the_desk_banner(sqlite_db):
    caller = make_applicant()
    started(caller)
    at = _desk_acting_for(caller.applicant_id)
    at.switch_page(WIZARD).run()
    assert not at.exception
    assert _acting_notices(at) == ["山田 太郎 様（仮 ID T123456789）の代理入力中"]
    assert "申込者連絡先" in texts(at) or any(w.label.startswith("管理責任者 氏名") for w in at.text_input)
    assert at.button(key="desk_stop_acting")

"""Routing help on the pages (AppTest): the public 仮アカウント page's completion, the wizard's
入力確認画面 and the reviewer's 申込詳細 tell that a 変更申込 or 共同利用 may be what is wanted when an
existing office has the same 法人番号 or address, and say nothing otherwise."""
from __future__ import annotations

import pytest
import streamlit as st

from services.application.read import application_view
from services.application.save import save_section
from services.authz import REVIEWER
from services.demo.testdata import corporate_number
from tests.factories import make_applicant, make_office, make_staff, section_payloads, started
from tests.ui.harness import page, texts
from tests.ui.test_temp_account_page import GOOD, _fill, _to_form

SHARED_NUMBER = corporate_number("234567890123")   # the factories' 事業所・企業 screen
APPLICANT_NOTE = "同じ法人番号の事業所がすでに NACCS を利用しています"
ADDRESS_NOTE = "同じ所在地の事業所がすでに"


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def test_the_temporary_account_page_tells_when_an_office_has_the_corporate_number(sqlite_db):
    make_office()
    at = _fill(_to_form(page("screens/applicant/temp_account.py")), GOOD, corporate_number=SHARED_NUMBER)
    assert not at.exception
    assert "仮アカウントの発行が完了しました" in texts(at) and APPLICANT_NOTE in texts(at)
    at = _fill(_to_form(page("screens/applicant/temp_account.py")), GOOD | {"email": "hanako@example.co.jp",
                                                                          "email_confirm": "hanako@example.co.jp"},
               corporate_number=corporate_number("111111111111"))
    assert "仮アカウントの発行が完了しました" in texts(at) and APPLICANT_NOTE not in texts(at)


def _application(address: str, number: str, email: str):
    applicant = make_applicant(None, email)
    app_id = started(applicant)
    office = section_payloads()["office"] | {"head_office_address": address, "office_address": address,
                                             "corporate_number": number}
    save_section(applicant, app_id, "office", office, application_view(applicant, app_id).section("office").version)
    return applicant, app_id


def test_the_wizard_and_the_reviewer_are_told_of_an_office_at_the_same_address(sqlite_db):
    make_office()
    applicant, app_id = _application("東京都港区芝浦1-2-3", corporate_number("111111111111"), "a@example.jp")
    at = page("screens/applicant/application.py", applicant, wiz_current="review_screen")
    assert not at.exception
    assert "変更申込" in texts(at) and ADDRESS_NOTE in texts(at)
    reviewer = make_staff("rev-route-ui", REVIEWER)
    at = page("screens/review/detail.py", reviewer, review_app_id=app_id)
    assert not at.exception
    assert "同じ所在地の事業所がすでにあります。変更申込または共同利用" in texts(at)
    other, other_id = _application("大阪府大阪市北区梅田1-1-1", corporate_number("222222222222"), "b@example.jp")
    assert ADDRESS_NOTE not in texts(page("screens/applicant/application.py", other, wiz_current="review_screen"))
    assert ADDRESS_NOTE not in texts(page("screens/review/detail.py", reviewer, review_app_id=other_id))

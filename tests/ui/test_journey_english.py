"""The journey screens in English: every wizard screen (一般 NACCS, so all ten apply), the start
screen, a returned application, the review dashboard and detail — no raw label key such as
`wizard.something` anywhere in the texts, widget labels or options (a missing label shows as its key)."""
import re

import pytest
import streamlit as st

from locales import catalog
from services.application.attachments import add_attachment
from services.application.read import application_view
from services.application.sections import SECTIONS
from services.application.submit import submit_application
from services.authz import REVIEWER
from services.review import actions
from tests.factories import TEST_PDF, fill_all, make_applicant, make_staff, started
from tests.ui.harness import page, shown, texts

WIZARD, DASHBOARD, DETAIL = "screens/applicant/application.py", "screens/review/dashboard.py", "screens/review/detail.py"
PREFIXES = sorted({key.split(".", 1)[0] for key in catalog("en")})
RAW_KEY = re.compile(r"\b(?:" + "|".join(map(re.escape, PREFIXES)) + r")\.[A-Za-z_]+[\w.]*")
WIDGETS = ("button", "text_input", "text_area", "number_input", "selectbox", "multiselect", "checkbox",
           "radio", "date_input", "toggle", "expander", "tabs", "metric")


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_resource.clear()
    yield


def everything_shown(at) -> str:
    parts = [texts(at)]
    for kind in WIDGETS:
        for widget in getattr(at, kind, []):
            parts.append(str(getattr(widget, "label", "")))
            parts.extend(str(o) for o in getattr(widget, "options", []) or [])
    for table in at.table:
        parts.append(shown(table.value.to_string()))
    for frame in at.dataframe:
        parts.append(" ".join(map(str, frame.value.columns)))
    return "\n".join(parts)


def raw_keys(at) -> list[str]:
    assert not at.exception, at.exception
    return RAW_KEY.findall(everything_shown(at))


def test_the_regex_catches_a_raw_key():
    assert RAW_KEY.findall("Office\nwizard.section.nothing_here\nclerk@example.jp") == ["wizard.section.nothing_here"]


def test_every_wizard_screen_and_the_start_screen_in_english(sqlite_db):
    actor = make_applicant()
    start = page(WIZARD, actor, nss_lang="en")
    assert "Start the application" in everything_shown(start)
    assert raw_keys(start) == []
    app_id = started(actor)
    fill_all(actor, app_id, "GENERAL")
    for section in SECTIONS:
        at = page(WIZARD, actor, nss_lang="en", wiz_current=section.key)
        shown = everything_shown(at)
        assert raw_keys(at) == [], section.key
        assert "Detail screens" in shown and ("Next" in shown or "Apply" in shown), section.key
        assert "入力済" not in shown and "次へ" not in shown, section.key


def test_returned_application_and_review_pages_in_english(sqlite_db):
    applicant = make_applicant()
    app_id = started(applicant)
    fill_all(applicant, app_id, "GENERAL")
    add_attachment(applicant, app_id, "システム 構成図.pdf", TEST_PDF)
    submit_application(applicant, app_id, application_view(applicant, app_id).version)
    reviewer = make_staff("rev1", REVIEWER)

    dashboard = page(DASHBOARD, reviewer, nss_lang="en")
    shown = everything_shown(dashboard)
    assert raw_keys(dashboard) == [] and "Review queue" in shown and "審査ダッシュボード" not in shown
    detail = page(DETAIL, reviewer, nss_lang="en", review_app_id=app_id)
    shown = everything_shown(detail)
    assert raw_keys(detail) == [] and "Approve" in shown and "承認する" not in shown

    actions.return_for_correction(reviewer, app_id, {"office": "Please check the phone number."},
                                  application_view(reviewer, app_id).version)
    returned = page(WIZARD, applicant, nss_lang="en", wiz_current="office")
    shown = everything_shown(returned)
    assert raw_keys(returned) == [] and "Please check the phone number." in shown
    assert "要修正" not in shown
    detail = page(DETAIL, reviewer, nss_lang="en", review_app_id=app_id)
    assert raw_keys(detail) == []

"""The dashboard keeps its figures between runs (ui.review_figures, issue 9 item 2); a review step or
a submission in this server shows in them at once."""
from datetime import timedelta

import pytest
import streamlit as st

from services import clock
from services.authz import REVIEWER
from services.review import stats
from tests.factories import make_application, make_staff
from tests.ui.harness import page

DASHBOARD, DETAIL = "screens/review/dashboard.py", "screens/review/detail.py"


@pytest.fixture
def reviewer(sqlite_db):
    st.cache_resource.clear()
    return make_staff("rev1", REVIEWER)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_clicks_on_the_dashboard_do_not_recompute_the_figures(reviewer, monkeypatch):
    make_application(submitted_at=clock.now() - timedelta(days=1))
    computed = []
    original = stats.dashboard_stats
    monkeypatch.setattr(stats, "dashboard_stats", lambda actor: computed.append(actor) or original(actor))
    at = page(DASHBOARD, reviewer)
    at.selectbox(key="rq_connection").set_value("GENERAL").run()
    at.run()
    assert not at.exception
    assert len(computed) == 1
    assert _metrics(at)["未割当"] == "1"


def test_a_claim_on_the_detail_page_shows_in_the_figures_at_once(reviewer):
    app_id, _ = make_application(submitted_at=clock.now() - timedelta(days=1))
    before = page(DASHBOARD, reviewer)
    assert _metrics(before)["自分の担当"] == "0" and _metrics(before)["未割当"] == "1"
    detail = page(DETAIL, reviewer, review_app_id=app_id)
    next(b for b in detail.button if b.label == "自分が担当する").click().run()
    assert not detail.exception
    after = before.run()
    assert _metrics(after)["自分の担当"] == "1" and _metrics(after)["未割当"] == "0"


def test_each_reviewer_has_their_own_figures(reviewer):
    other = make_staff("rev2", REVIEWER)
    make_application(status="IN_REVIEW", assignee_id=reviewer.user_id)
    assert _metrics(page(DASHBOARD, reviewer))["自分の担当"] == "1"
    assert _metrics(page(DASHBOARD, other))["自分の担当"] == "0"


def test_a_system_settings_submission_on_its_page_shows_in_the_figures_at_once(reviewer):
    from services.system_settings.start import start_system_settings
    from tests.factories import fill_system_settings, make_office
    office = make_office([("通関業",)])
    app_id = start_system_settings(office.actor, office.applicant_id, office.user_codes[0])
    fill_system_settings(office.actor, app_id)
    before = page(DASHBOARD, reviewer)
    unassigned = int(_metrics(before)["未割当"])
    settings_page = page("screens/applicant/system_settings.py", office.actor, ss_user_code=office.user_codes[0],
                         ss_step={app_id: 3})
    next(b for b in settings_page.button if b.key == "ss_submit").click().run()
    assert not settings_page.exception and settings_page.header[0].value == "申請完了"
    assert int(_metrics(before.run())["未割当"]) == unassigned + 1

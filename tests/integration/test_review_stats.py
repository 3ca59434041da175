"""Dashboard figures and the deadline list, from SQL aggregates on both backends."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from db.models import Applicant, Application, UserCode
from services import clock
from services.authz import DESK, REVIEWER
from services.calendar import add_business_days
from services.deadlines import id_notice_display_until, system_settings_deadline
from services.errors import PermissionDenied
from services.review import actions
from services.review.stats import DeadlineKind, dashboard_stats
from services.uow import UnitOfWork
from tests.factories import make_application, make_staff, version_of


@pytest.fixture
def reviewer(db):
    return make_staff("rev1", REVIEWER)


def test_open_counts_oldest_and_mine(reviewer):
    now = clock.now()
    oldest_id, _ = make_application(submitted_at=now - timedelta(days=12))
    make_application(submitted_at=now - timedelta(days=1))
    make_application(status="IN_REVIEW", assignee_id=reviewer.user_id)
    make_application(status="APPROVED")
    make_application(status="RETURNED")
    make_application(status="DRAFT")
    figures = dashboard_stats(reviewer)
    assert figures.open_by_status == {"SUBMITTED": 2, "IN_REVIEW": 1, "RETURNED": 1}
    assert figures.oldest_waiting_id == oldest_id
    assert figures.mine_open == 1 and figures.unassigned_open == 2
    assert figures.overdue == 1


def test_submitted_and_approved_per_day(reviewer):
    now = clock.now()
    make_application(submitted_at=now - timedelta(days=2))
    make_application(submitted_at=now - timedelta(days=2))
    make_application(submitted_at=now - timedelta(days=40))  # outside the 30 days
    app_id, _ = make_application(submitted_at=now)
    actions.approve(reviewer, app_id, add_business_days(clock.today_jst(), 4), version_of(app_id))
    daily = dashboard_stats(reviewer).daily
    assert len(daily) == 30 and daily["date"].iloc[-1] == clock.today_jst()
    by_day = daily.set_index("date")
    two_days_ago = (now - timedelta(days=2)).astimezone(clock.JST).date()
    assert by_day.loc[two_days_ago, "submitted"] == 2
    assert by_day.loc[clock.today_jst(), "submitted"] == 1 and by_day.loc[clock.today_jst(), "approved"] == 1
    assert daily["submitted"].sum() == 3


def test_temporary_accounts_about_to_expire_without_an_application(reviewer):
    _, started = make_application()
    _, expiring = make_application()
    with UnitOfWork() as u:
        s = u.session
        soon = clock.now() + timedelta(hours=3)
        s.execute(update(Applicant).values(temp_expires_at=soon))
        s.execute(update(Application).where(Application.applicant_id == expiring).values(applicant_id=started))
        s.commit()
    items = [d for d in dashboard_stats(reviewer).deadlines if d.kind == DeadlineKind.TEMP_ACCOUNT_EXPIRY]
    assert [d.applicant_id for d in items] == [expiring]
    assert dashboard_stats(reviewer).deadline_counts[DeadlineKind.TEMP_ACCOUNT_EXPIRY] == 1


def test_pending_system_settings_and_ending_id_notices(reviewer):
    today = clock.today_jst()
    soon_id, _ = make_application()
    far_id, _ = make_application()
    done_id, _ = make_application()
    started_id, _ = make_application()
    for app_id, start in ((soon_id, add_business_days(today, 5)), (far_id, add_business_days(today, 40)),
                          (done_id, add_business_days(today, 5)), (started_id, add_business_days(today, 1))):
        actions.approve(reviewer, app_id, start, version_of(app_id))
    with UnitOfWork() as u:
        s = u.session
        s.execute(update(UserCode).where(UserCode.application_id == done_id).values(settings_completed_at=clock.now()))
        # The ID notice of this one started yesterday (as if approved earlier): its password display ends soon.
        s.execute(update(Application).where(Application.id == started_id)
                  .values(start_date=add_business_days(today, -1)))
        s.commit()
    figures = dashboard_stats(reviewer)
    settings = [d for d in figures.deadlines if d.kind == DeadlineKind.SYSTEM_SETTINGS_DUE]
    assert [d.application_id for d in settings] == [soon_id]
    assert settings[0].due == system_settings_deadline(add_business_days(today, 5)) and settings[0].detail == 2
    notices = [d for d in figures.deadlines if d.kind == DeadlineKind.ID_NOTICE_DISPLAY]
    assert [d.application_id for d in notices] == [started_id]
    assert notices[0].due == id_notice_display_until(add_business_days(today, -1))
    with UnitOfWork() as u:
        s = u.session
        office = s.scalar(select(Applicant.office_code).join(Application).where(Application.id == started_id))
    assert notices[0].reference == office


def test_desk_cannot_read_dashboard(reviewer):
    with pytest.raises(PermissionDenied):
        dashboard_stats(make_staff("desk1", DESK))

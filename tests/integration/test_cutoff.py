"""The system-settings cut-off (SPEC §2.5a, issue 10 item 5), SQLite and PostgreSQL: on its exact day
on the business-day calendar, only while settings are incomplete, with every effect (status, logins,
mail, 新着情報, audit, staff deadline list), and run twice changing nothing the second time."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from db.models import Applicant, Application, AuditEvent, MailOutbox, Notice, User, UserCode
from services import auth, clock, cutoff, deadlines, jobs
from services.audit import AuditAction
from services.authz import REVIEWER
from services.calendar import is_business_day
from services.notices import NoticeKind
from services.review.stats import DeadlineKind, dashboard_stats
from services.secrets import decrypt
from services.temp_accounts import ApplicantStatus
from services.uow import UnitOfWork
from tests.factories import last_mail, make_application, make_staff

CUTOFF_ONLY = [j for j in jobs.JOBS if j.name == "system_settings_cutoff"]
PHISH = "【重要】本人確認はこちら http://phish.example/login"


def _at(day: date, hour: int, minute: int = 0, second: int = 0):
    target = datetime.combine(day, time(hour, minute, second), tzinfo=clock.JST)
    return clock.shifted(target - clock.now())


def _approved_office(start: date, *, company: str = "テスト物流株式会社") -> tuple[int, int]:
    """A 新規利用申込 approved by the real review action 10 calendar days before `start` (noon JST)."""
    with _at(start - timedelta(days=10), 12):
        return make_application(status="APPROVED", start_date=start, company=company)


def _status(applicant_id: int) -> str:
    with UnitOfWork() as u:
        return u.session.get(Applicant, applicant_id).status


def _counts() -> dict[str, int]:
    with UnitOfWork() as u:
        s = u.session
        return {"mails": s.scalar(select(func.count()).select_from(MailOutbox)),
                "notices": s.scalar(select(func.count()).select_from(Notice)),
                "audit": s.scalar(select(func.count()).select_from(AuditEvent)),
                "active_users": s.scalar(select(func.count()).select_from(User).where(User.is_active.is_(True)))}


def _complete_settings(applicant_id: int, *, leave: int = 0) -> None:
    """システム設定 recorded for every 利用者コード but the last `leave` (the システム設定申込 helper sets
    the same column when its review approves)."""
    with UnitOfWork() as u:
        s = u.session
        ids = list(s.scalars(select(UserCode.id).where(UserCode.applicant_id == applicant_id).order_by(UserCode.id)))
        done = ids[:len(ids) - leave]
        s.execute(update(UserCode).where(UserCode.id.in_(done)).values(settings_completed_at=clock.now()))
        s.commit()


CALENDAR = [
    # (case, 利用開始日, its deadline = 4 business days before, the first day it is cut)
    # Thu 2/18: back over Wed, Tue, Mon to Fri 2/12; cut on Saturday, the calendar day after.
    pytest.param(date(2027, 2, 18), date(2027, 2, 12), date(2027, 2, 13), id="weekend"),
    # Mon 2/15: Thu 2/11 (建国記念の日) and the weekend do not count: the deadline is Mon 2/8.
    pytest.param(date(2027, 2, 15), date(2027, 2, 8), date(2027, 2, 9), id="national-holiday"),
    # Thu 1/7: 1/6, 1/5, 1/4, then 1/3–12/31 (year-end) are skipped: the deadline is Wed 12/30.
    pytest.param(date(2027, 1, 7), date(2026, 12, 30), date(2026, 12, 31), id="year-end"),
]


@pytest.mark.parametrize(("start", "deadline", "cut_on"), CALENDAR)
def test_cut_from_the_first_moment_of_the_day_after_the_deadline_day(db, start, deadline, cut_on):
    assert deadlines.system_settings_deadline(start) == deadline and cutoff.cutoff_day(start) == cut_on
    assert is_business_day(deadline)
    _, applicant_id = _approved_office(start)
    with _at(deadline, 23, 59, 59):  # the last second of the deadline day (JST): still in time
        assert cutoff.run_cutoff().cancelled == []
    assert _status(applicant_id) == ApplicantStatus.OFFICE
    with _at(cut_on, 0, 0, 1):       # one second into the next calendar day, JST
        result = cutoff.run_cutoff()
    assert len(result.cancelled) == 1 and _status(applicant_id) == ApplicantStatus.CANCELLED


def test_not_cut_when_every_user_code_is_set_up_and_cut_when_one_is_missing(db):
    start = date(2027, 2, 18)
    _, complete = _approved_office(start, company="完了物流株式会社")
    _, one_missing = _approved_office(start, company="一件未了物流株式会社")
    _complete_settings(complete)
    _complete_settings(one_missing, leave=1)
    with _at(date(2027, 2, 20), 9):
        cutoff.run_cutoff()
    assert _status(complete) == ApplicantStatus.OFFICE
    assert _status(one_missing) == ApplicantStatus.CANCELLED


def test_an_office_not_yet_due_is_left_alone(db):
    _, applicant_id = _approved_office(date(2027, 2, 18))
    with _at(date(2027, 2, 10), 9):  # before its deadline (2/12)
        assert cutoff.run_cutoff().cancelled == []
    assert _status(applicant_id) == ApplicantStatus.OFFICE


def _office_password(applicant_id: int) -> str:
    with UnitOfWork() as u:
        secret = u.session.scalar(select(Notice.secret).where(Notice.applicant_id == applicant_id,
                                                              Notice.kind == NoticeKind.ID_NOTICE))
        return decrypt(secret)


def test_cancelling_stops_logins_and_tells_the_office_and_the_history(db):
    start = date(2027, 2, 18)
    app_id, applicant_id = _approved_office(start, company=PHISH)
    with UnitOfWork() as u:
        office_code = u.session.get(Applicant, applicant_id).office_code
    password = _office_password(applicant_id)
    with _at(date(2027, 2, 11), 9):  # the office logs in before its deadline: a live session
        logged_in = auth.authenticate(office_code, password)
        assert logged_in.ok
        session_started = clock.now()
        assert auth.session_actor(office_code, session_started) is not None
    with _at(date(2027, 2, 13), 0, 5):
        assert cutoff.run_cutoff().cancelled == [office_code]
        # Its open session (and any re-login cookie) ends at the next page run; the login is refused
        # with the reason, but only for the right password.
        assert auth.session_actor(office_code, session_started) is None
        assert auth.authenticate(office_code, password).code == auth.APPROVAL_CANCELLED
        assert auth.authenticate(office_code, "Wrong-Pass-123").code == auth.INVALID
    with UnitOfWork() as u:
        s = u.session
        applicant = s.get(Applicant, applicant_id)
        assert applicant.status == ApplicantStatus.CANCELLED and applicant.cancelled_at is not None
        assert deadlines.jst_date(applicant.cancelled_at) == date(2027, 2, 13)
        users = list(s.scalars(select(User).where(User.applicant_id == applicant_id)))
        assert users and not any(user.is_active for user in users)  # 事業所コード and 仮ログイン ID alike
        assert s.get(Application, app_id).status == "APPROVED"  # the application keeps its record
        notice = s.scalar(select(Notice).where(Notice.applicant_id == applicant_id,
                                               Notice.kind == NoticeKind.CANCELLED))
        assert notice.params["settings_deadline"] == "2027-02-12" and len(notice.params["pending_user_codes"]) == 2
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.CUTOFF_APPROVAL_CANCELLED))
        assert event.target_id == app_id and event.actor_user_id is None
        assert event.after["status"] == "CANCELLED" and office_code in event.after["logins_stopped"]
    mail = last_mail("approval_cancelled")
    assert sorted(mail.recipients) == ["clerk@example.jp", "manager@example.jp"]
    assert mail.applicant_id == applicant_id and "承認取消" in mail.subject
    lines = [line for line in mail.body.splitlines() if line.strip()]
    assert lines[0].startswith("NACCS 利用申込ポータルから、受付番号")  # fixed wording first
    assert "2027/02/12" in mail.body and office_code in mail.body
    assert "http://phish" not in mail.body and "http[:]//phish[.]example/login" in mail.body  # typed text inert
    assert mail.body.index("http[:]//phish") > mail.body.index("今回の承認は取り消されました")


def test_running_twice_changes_nothing_the_second_time(db):
    _approved_office(date(2027, 2, 18))
    with _at(date(2027, 2, 15), 9):
        [first] = jobs.run_due_jobs(CUTOFF_ONLY)
        after_first = _counts()
        [second] = jobs.run_due_jobs(CUTOFF_ONLY)
    assert first.outcome == jobs.Outcome.RAN and first.result["cancelled"] == 1
    assert second.outcome == jobs.Outcome.RAN and second.result["cancelled"] == 0
    assert _counts() == after_first  # no second mail, notice, audit event or login change


def test_staff_see_offices_at_risk_and_cancelled_ones_in_the_deadline_list(db):
    reviewer = make_staff("rev1", REVIEWER)
    at_risk_id, _ = _approved_office(date(2027, 2, 18), company="期限間近物流")
    cut_id, _ = _approved_office(date(2027, 2, 8), company="取消済物流")
    with _at(date(2027, 2, 10), 9):
        cutoff.run_cutoff()     # cuts the 2/8 start (deadline 2/2); the 2/18 one is due 2/12
        figures = dashboard_stats(reviewer)
    at_risk = [d for d in figures.deadlines if d.kind == DeadlineKind.SYSTEM_SETTINGS_DUE]
    cancelled = [d for d in figures.deadlines if d.kind == DeadlineKind.APPROVAL_CANCELLED]
    assert [d.application_id for d in at_risk] == [at_risk_id]
    assert at_risk[0].due == date(2027, 2, 12) and at_risk[0].cut_on == date(2027, 2, 13)
    assert [d.application_id for d in cancelled] == [cut_id] and cancelled[0].company_name == "取消済物流"
    assert cancelled[0].cut_on == date(2027, 2, 10) and cancelled[0].detail == 2
    assert figures.deadline_counts[DeadlineKind.APPROVAL_CANCELLED] == 1
    assert not [d for d in figures.deadlines if d.kind == DeadlineKind.ID_NOTICE_DISPLAY and d.application_id == cut_id]
    with _at(date(2027, 3, 15), 9):  # a month later the cancelled office has left the list
        assert dashboard_stats(reviewer).deadline_counts[DeadlineKind.APPROVAL_CANCELLED] == 0


def test_the_demo_has_one_office_already_cut_which_staff_see(demo_on):
    from services.demo import seeding
    from services.demo.cutoff import CANCELLED_ID
    with UnitOfWork() as u:
        applicant = u.session.scalar(select(Applicant).where(Applicant.temp_login_id == CANCELLED_ID))
        assert applicant.status == ApplicantStatus.CANCELLED and applicant.office_code
        applicant_id, office_code = applicant.id, applicant.office_code
    reviewer = seeding.demo_login("demo-reviewer")
    cancelled = [d for d in dashboard_stats(reviewer).deadlines if d.kind == DeadlineKind.APPROVAL_CANCELLED]
    assert applicant_id in {d.applicant_id for d in cancelled}
    assert auth.authenticate(office_code, "any-Password-1").code == auth.INVALID  # the reason needs the password


def test_the_desk_reads_a_cancelled_office_as_cancelled_not_as_settings_pending(db):
    from services.desk.status import next_steps
    _, applicant_id = _approved_office(date(2027, 2, 18))
    with _at(date(2027, 2, 16), 9):
        cutoff.run_cutoff()
    with UnitOfWork() as u:
        applicant = u.session.get(Applicant, applicant_id)
        step = next_steps(u.session, [applicant])[applicant_id]
    assert step.code == "approval_cancelled" and step.params == {"cancelled_on": date(2027, 2, 16)}

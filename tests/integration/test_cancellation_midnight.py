"""解約日 at 00:00 JST exactly, on SQLite and PostgreSQL: the login and the open session of an office
whose app_id contract is cancelled stop at 00:00:00 even though the job has not run yet (it runs
every few minutes), and a cancelled 利用者コード leaves the lists of codes in use at that moment;
when the job does run, the office gets one mail, however often and on however many servers it runs."""
from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from db.models import Applicant, MailOutbox
from services import auth, clock, contract
from services.applicant_status import ApplicantStatus
from services.authz import REVIEWER, Actor
from services.cancellation import effect
from services.review import actions
from services.system_settings.registrations import table_for
from services.uow import UnitOfWork
from tests.factories import make_office, make_staff, office_credentials, submitted_cancellation, version_of

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def reviewer() -> Actor:
    return make_staff("rev-mid", REVIEWER)


def _approve(reviewer: Actor, app_id: int) -> None:
    actions.claim(reviewer, app_id, version_of(app_id))
    actions.approve(reviewer, app_id, None, version_of(app_id))


def _frozen_at(monkeypatch, day: date, moment: time) -> None:
    """The clock stands still at `moment` JST of `day` (bcrypt's quarter second must not cross midnight)."""
    fixed = datetime.combine(day, moment, tzinfo=clock.JST)
    monkeypatch.setattr(clock, "now", lambda: fixed)


def _effective_mails(applicant_id: int) -> list[MailOutbox]:
    with UnitOfWork() as u:
        rows = list(u.session.scalars(select(MailOutbox).where(
            MailOutbox.applicant_id == applicant_id, MailOutbox.template == effect.EFFECTIVE_TEMPLATE)))
        u.session.expunge_all()
        return rows


def test_the_office_logs_in_at_235959_and_not_at_000000_without_the_job(reviewer, monkeypatch):
    office = make_office()
    office_code, password = office_credentials(office.applicant_id)
    day = clock.today_jst() + timedelta(days=20)
    _approve(reviewer, submitted_cancellation(office, day))
    _frozen_at(monkeypatch, day - timedelta(days=1), time(23, 59, 59))
    logged_in = auth.authenticate(office_code, password)
    assert logged_in.ok
    started = clock.now()
    assert auth.session_actor(office_code, started) is not None
    _frozen_at(monkeypatch, day, time(0, 0, 0))  # no job has run
    assert auth.session_actor(office_code, started) is None                      # the open session ends
    assert auth.authenticate(office_code, password).code == auth.CONTRACT_ENDED  # told why
    assert auth.authenticate(office_code, "Wrong-Pass-123").code == auth.INVALID
    with UnitOfWork() as u:  # the job's side effects are still to come
        assert u.session.get(Applicant, office.applicant_id).status == ApplicantStatus.OFFICE
    assert _effective_mails(office.applicant_id) == []
    assert effect.run_due().applied and auth.authenticate(office_code, password).code == auth.CONTRACT_ENDED


def test_a_cancelled_user_code_leaves_the_lists_at_000000_without_the_job(reviewer, monkeypatch):
    office = make_office([("通関業",), ("航空会社",)])
    gone, kept = office.user_codes
    office_code, password = office_credentials(office.applicant_id)
    day = clock.today_jst() + timedelta(days=5)
    _approve(reviewer, submitted_cancellation(office, day, user_code=gone))

    def live() -> list[str]:
        with UnitOfWork() as u:
            return [r.user_code for r in table_for(u.session, office.applicant_id).rows]
    _frozen_at(monkeypatch, day - timedelta(days=1), time(23, 59, 59))
    assert sorted(live()) == sorted([gone, kept])
    _frozen_at(monkeypatch, day, time(0, 0, 0))
    assert live() == [kept]
    shown = {c.user_code: c.retired_on for c in contract.contract(office.actor, office.applicant_id).user_codes}
    assert shown == {gone: day, kept: None}
    assert auth.authenticate(office_code, password).ok  # one code ends, the office's login stays


def test_the_job_mails_the_office_once_on_the_cancellation_day(reviewer, monkeypatch):
    office = make_office(clerk="clerk-mid@example.jp", manager="manager-mid@example.jp")
    day = clock.today_jst() + timedelta(days=8)
    app_id = submitted_cancellation(office, day)
    _approve(reviewer, app_id)
    _frozen_at(monkeypatch, day - timedelta(days=1), time(23, 55))
    assert effect.run_due().applied == []
    assert _effective_mails(office.applicant_id) == []
    _frozen_at(monkeypatch, day, time(0, 5))
    assert effect.run_due().applied == [app_id]
    assert effect.run_due().applied == []  # a second round
    mails = _effective_mails(office.applicant_id)
    assert len(mails) == 1
    assert "解約日: " + day.strftime("%Y/%m/%d") in mails[0].body and "契約全体" in mails[0].body
    assert set(mails[0].recipients) >= {"clerk-mid@example.jp", "manager-mid@example.jp"}


def test_two_servers_running_the_job_at_once_send_one_mail(reviewer, monkeypatch):
    office = make_office([("通関業",), ("航空会社",)])
    day = clock.today_jst() + timedelta(days=6)
    app_id = submitted_cancellation(office, day, user_code=office.user_codes[0])
    _approve(reviewer, app_id)
    _frozen_at(monkeypatch, day, time(0, 5))
    barrier, applied, failures = threading.Barrier(2), [], []

    def server() -> None:
        try:
            barrier.wait(timeout=30)
            applied.extend(effect.run_due().applied)
        except Exception as exc:
            failures.append(exc)
    threads = [threading.Thread(target=server) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert not failures and applied == [app_id]
    assert len(_effective_mails(office.applicant_id)) == 1
    with UnitOfWork() as u:
        assert u.session.scalar(select(func.count()).select_from(MailOutbox).where(
            MailOutbox.template == effect.EFFECTIVE_TEMPLATE)) == 1

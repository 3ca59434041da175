"""The system-settings cut-off (SPEC §2.5a): an office whose システム設定申込 is not complete for
every 利用者コード by its deadline has its approval cancelled.

When exactly: the deadline is `deadlines.system_settings_deadline(start)` (4 business days before
the 利用開始日). Settings must be complete by the END of that day, JST, so the office is cut from
00:00 JST of the next CALENDAR day (`cutoff_day`) — a deadline on a Friday is cut on the Saturday,
not on the next business day: the job runs every day, and nothing the office may do on a holiday
counts after its deadline anyway.

What cancelling does, in one transaction per office: the applicant's status becomes CANCELLED
(`Applicant.cancelled_at` records when); every login of the applicant (事業所コード and a
仮ログイン ID still working) is deactivated with `auth.deactivate_logins`, so open sessions and
re-login cookies stop at their next page run (`auth.session_actor`); the 申込事務担当者 and the
管理責任者 get the 承認取消 mail; a 新着情報 item and an audit event are written. The application
itself stays 確認完了 (its record); the applicant's status says the approval no longer stands.

Idempotent: only offices still in status OFFICE are cut, and the status moves with a conditional
UPDATE, so a second run — or a second server racing past the job lock — changes nothing.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, UserCode
from services import audit, clock, deadlines, mail, notices
from services.audit import AuditAction
from services.auth import stop_office
from services.notices import NoticeKind
from services.review import decision_mail
from services.system_settings.registrations import is_live
from services.temp_accounts import ApplicantStatus
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus


def cutoff_day(start_date: date) -> date:
    """The first day (JST, from 00:00) on which an office still without its system settings is cut."""
    return deadlines.system_settings_deadline(start_date) + timedelta(days=1)


def latest_start_cut_by(today: date) -> date:
    """The latest 利用開始日 whose cut-off day is today or earlier. The deadline grows with the start
    date, so 'cut by today' is 'start_date <= this day', which the query can use as a range."""
    day = today
    while cutoff_day(day + timedelta(days=1)) <= today:
        day += timedelta(days=1)
    while cutoff_day(day) > today:
        day -= timedelta(days=1)
    return day


def _pending_settings(applicant_id):
    """A 利用者コード still lacking settings; one retired by a 解約申込 no longer needs any."""
    return exists().where(UserCode.applicant_id == applicant_id, UserCode.settings_completed_at.is_(None),
                          is_live())


def due_condition(today: date):
    """Approved 新規利用申込 of an office (not yet cut) whose cut-off day has come, with a 利用者コード
    still lacking system settings."""
    return (Application.kind == ApplicationKind.NEW_USAGE, Application.status == ApplicationStatus.APPROVED,
            Application.start_date <= latest_start_cut_by(today),
            Applicant.status == ApplicantStatus.OFFICE, _pending_settings(Applicant.id))


@dataclass(frozen=True)
class CutoffResult:
    cancelled: list[str]        # 事業所コード cut by this run (empty when nothing was due)

    def summary(self) -> dict:
        return {"cancelled": len(self.cancelled), "office_codes": self.cancelled}


def _cancel(s: Session, app: Application, applicant: Applicant) -> bool:
    logins = stop_office(s, applicant.id, ApplicantStatus.CANCELLED)
    s.refresh(applicant)
    if logins is None:  # another run cut it first
        return False
    start = app.start_date
    assert start is not None, "due_condition selects approved applications with a start date"
    deadline = deadlines.system_settings_deadline(start)
    pending = list(s.scalars(select(UserCode.user_code).where(UserCode.applicant_id == applicant.id,
                                                              UserCode.settings_completed_at.is_(None),
                                                              is_live())
                             .order_by(UserCode.user_code)))
    params = {"ref_no": app.ref_no, "start_date": start.isoformat(), "settings_deadline": deadline.isoformat(),
              "pending_user_codes": pending}
    notices.add_notice(s, applicant.id, NoticeKind.CANCELLED, params, application_id=app.id)
    audit.record(s, None, AuditAction.CUTOFF_APPROVAL_CANCELLED, target_type="application", target_id=app.id,
                 applicant_id=applicant.id,
                 before={"status": ApplicantStatus.OFFICE.value},
                 after={"status": ApplicantStatus.CANCELLED.value, "office_code": applicant.office_code,
                        "start_date": start.isoformat(), "settings_deadline": deadline.isoformat(),
                        "pending_user_codes": pending, "logins_stopped": logins})
    mail.enqueue(s, "approval_cancelled", decision_mail.recipients(s, app, applicant),
                 decision_mail.params(app, applicant, start_date=decision_mail.day(start),
                                      settings_deadline=decision_mail.day(deadline),
                                      office_code=applicant.office_code or "", pending_user_codes="、".join(pending)),
                 applicant_id=applicant.id)
    return True


def run_cutoff(*, today: date | None = None, only: Collection[int] | None = None,
               uow: UnitOfWork | None = None) -> CutoffResult:
    """The job (services.jobs): cut every office that is due, each in its own transaction, so one
    office that fails to cut does not hold the others back. Run by the system: no actor.
    `only` limits it to these applicants (the demo cuts its one office and leaves the rest to the job)."""
    today = today or clock.today_jst()
    conditions = [*due_condition(today)]
    if only is not None:
        conditions.append(Applicant.id.in_(list(only)))
    with (uow or UnitOfWork()) as u:
        due = list(u.session.execute(
            select(Application.id, Applicant.id).join(Applicant, Applicant.id == Application.applicant_id)
            .where(*conditions).order_by(Application.start_date, Application.id)).tuples())
    cancelled: list[str] = []
    for app_id, applicant_id in due:
        with (uow or UnitOfWork()) as u:
            s = u.session
            applicant = get_or_raise(s, Applicant, applicant_id)
            if _cancel(s, get_or_raise(s, Application, app_id), applicant):
                cancelled.append(applicant.office_code or "")
            u.commit()
    return CutoffResult(cancelled)

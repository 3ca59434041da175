"""What an approved 解約申込 does (SPEC §2.6), and when.

Approval (services.review.actions) records the 解約日 (`Application.effective_date`) and, for one
利用者コード, which code (`Application.user_code_id`). From 00:00 JST of the 解約日 the job
"contract_cancellation" (services.jobs, every round) applies it — "on that date" is this due job,
not a check at login:

- the whole contract: `auth.stop_office` with status CONTRACT_ENDED — the same stop as the
  system-settings cut-off: every login of the office (事業所コード, a 仮ログイン ID still working) is
  deactivated, open sessions and cookies end, and the login form says the contract has ended;
- one 利用者コード: `user_codes.retired_at` is set; the code is never reused (codes are issued once,
  services.codes), 契約内容確認 shows it as 解約, and the ○/× table, the guidance and the cut-off
  leave it out.

The login and the lists of codes in use do not wait for this job: from 00:00 they read the
解約日 themselves (services.cancellation.due); the job does the rest, and mails the office
(template cancellation_effective) in the same transaction as the change it reports.

A 解約日 already reached when the reviewer approves (the review took longer) applies at once, in
the approval's transaction. Each application applies in its own transaction; a conditional UPDATE
makes a second run (or a second server) change nothing, the mail included. The application, its screens and the
office's history stay as they were, readable to staff.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection, UserCode
from services import audit, clock, mail
from services.applicant_status import ApplicantStatus
from services.audit import AuditAction
from services.auth import stop_office
from services.cancellation.request import requested, target_text
from services.cancellation.sections import Scope
from services.errors import DomainError
from services.review import decision_mail
from services.uow import UnitOfWork, get_or_raise, rows_matched
from services.workflow import ApplicationKind, ApplicationStatus

EFFECTIVE_TEMPLATE = "cancellation_effective"  # templates/mail: the 解約日 has come, applied


@dataclass(frozen=True)
class Approved:
    user_code: str | None      # None: the whole contract
    cancel_date: date
    applied_now: bool          # the 解約日 had come: applied in the approval's transaction


def record_approval(s: Session, app: Application) -> Approved:
    """On 承認: the 解約日 and the 利用者コード onto the application; applied at once when due."""
    sections = {r.section_key: dict(r.data or {}) for r in s.scalars(
        select(ApplicationSection).where(ApplicationSection.application_id == app.id))}
    scope, code, day, _ = requested(sections)
    if scope is None or day is None:  # submit checked it; a row made otherwise is refused
        raise DomainError("cancellation.error.incomplete")
    if scope == Scope.USER_CODE:
        found = s.scalar(select(UserCode).where(UserCode.applicant_id == app.applicant_id,
                                                UserCode.user_code == code, UserCode.retired_at.is_(None)))
        if found is None:
            raise DomainError("cancellation.error.unknown_user_code")
        app.user_code_id = found.id
    app.effective_date = day
    applied = day <= clock.today_jst() and apply(s, app)
    return Approved(code, day, applied)


def apply(s: Session, app: Application) -> bool:
    """Puts one approved 解約申込 into effect; False when it already was (another run did it)."""
    cancelled_code: str | None = None
    if app.user_code_id is None:
        logins = stop_office(s, app.applicant_id, ApplicantStatus.CONTRACT_ENDED)
        if logins is None:
            return False
        after = {"scope": Scope.CONTRACT.value, "logins_stopped": logins}
    else:
        won = rows_matched(s, update(UserCode).where(UserCode.id == app.user_code_id, UserCode.retired_at.is_(None))
                           .values(retired_at=clock.now()).execution_options(synchronize_session=False))
        if won != 1:
            return False
        code = get_or_raise(s, UserCode, app.user_code_id)
        s.refresh(code)
        cancelled_code = code.user_code
        after = {"scope": Scope.USER_CODE.value, "user_code": cancelled_code}
    audit.record(s, None, AuditAction.CANCELLATION_APPLIED, target_type="application", target_id=app.id,
                 applicant_id=app.applicant_id,
                 after={**after, "cancel_date": app.effective_date.isoformat() if app.effective_date else None})
    _mail_effective(s, app, cancelled_code)
    return True


def _mail_effective(s: Session, app: Application, user_code: str | None) -> None:
    """The office is told on the 解約日; only the run whose UPDATE won gets here, so it is sent once."""
    applicant = get_or_raise(s, Applicant, app.applicant_id)
    cancel_date = decision_mail.day(app.effective_date) if app.effective_date else ""
    mail.enqueue(s, EFFECTIVE_TEMPLATE, decision_mail.recipients(s, app, applicant),
                 decision_mail.params(app, applicant, target=target_text(user_code), cancel_date=cancel_date),
                 applicant_id=applicant.id)


def due_condition(today: date):
    """Approved 解約申込 whose 解約日 has come, of an office still in use, not yet applied."""
    return (Application.kind == ApplicationKind.CANCELLATION, Application.status == ApplicationStatus.APPROVED,
            Application.effective_date <= today, Applicant.status == ApplicantStatus.OFFICE,
            or_(Application.user_code_id.is_(None), UserCode.retired_at.is_(None)))


@dataclass(frozen=True)
class CancellationRun:
    applied: list[int]         # the application ids applied by this run

    def summary(self) -> dict:
        return {"applied": len(self.applied), "application_ids": self.applied}


def run_due(*, today: date | None = None, uow: UnitOfWork | None = None) -> CancellationRun:
    """The job: every due 解約申込, each in its own transaction. Run by the system: no actor."""
    today = today or clock.today_jst()
    with (uow or UnitOfWork()) as u:
        due = list(u.session.scalars(
            select(Application.id).join(Applicant, Applicant.id == Application.applicant_id)
            .outerjoin(UserCode, UserCode.id == Application.user_code_id)
            .where(*due_condition(today)).order_by(Application.effective_date, Application.id)))
    applied: list[int] = []
    for app_id in due:
        with (uow or UnitOfWork()) as u:
            if apply(u.session, get_or_raise(u.session, Application, app_id)):
                applied.append(app_id)
            u.commit()
    return CancellationRun(applied)

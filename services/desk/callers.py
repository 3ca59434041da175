"""The caller's record at the desk: contact data, next step, history, and acting for the caller."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from db.models import Applicant, Application
from services import audit, history
from services.audit import AuditAction
from services.authz import DESK, Actor, require_role
from services.desk.status import NextStep, next_steps
from services.history import HistoryEntry
from services.uow import UnitOfWork, get_or_raise

HISTORY_LIMIT = 100


@dataclass(frozen=True)
class CallerSummary:
    """Enough to name the caller in the 代理入力中 banner."""
    applicant_id: int
    contact_name: str
    company_name: str
    temp_login_id: str
    office_code: str | None


@dataclass(frozen=True)
class ApplicationLine:
    application_id: int
    kind: str
    status: str
    ref_no: str | None
    submitted_at: datetime | None
    start_date: date | None


@dataclass(frozen=True)
class CallerRecord:
    applicant_id: int
    status: str                      # ApplicantStatus
    contact_name: str
    contact_kana: str
    company_name: str
    department: str | None
    phone: str
    email: str
    corporate_number: str | None
    temp_login_id: str
    office_code: str | None
    terms_agreed_via: str
    issued_at: datetime
    temp_expires_at: datetime
    next_step: NextStep
    applications: list[ApplicationLine] = field(default_factory=list)  # newest first


def get_caller(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> CallerRecord:
    require_role(actor, DESK)
    with (uow or UnitOfWork()) as u:
        s = u.session
        a = get_or_raise(s, Applicant, applicant_id)
        step = next_steps(s, [a])[a.id]
        apps = [ApplicationLine(x.id, x.kind, x.status, x.ref_no, x.submitted_at, x.start_date)
                for x in s.scalars(select(Application).where(Application.applicant_id == a.id)
                                   .order_by(Application.id.desc()))]
        return CallerRecord(a.id, a.status, a.contact_name, a.contact_kana, a.company_name, a.department,
                            a.phone, a.email, a.corporate_number, a.temp_login_id, a.office_code,
                            a.terms_agreed_via, a.issued_at, a.temp_expires_at, step, apps)


def caller_summary(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> CallerSummary:
    require_role(actor, DESK)
    with (uow or UnitOfWork()) as u:
        a = get_or_raise(u.session, Applicant, applicant_id)
        return CallerSummary(a.id, a.contact_name, a.company_name, a.temp_login_id, a.office_code)


def caller_history(actor: Actor, applicant_id: int, limit: int = HISTORY_LIMIT, *,
                   uow: UnitOfWork | None = None) -> list[HistoryEntry]:
    """Newest first: what staff did for the applicant, and what happened to its applications."""
    require_role(actor, DESK)
    with (uow or UnitOfWork()) as u:
        get_or_raise(u.session, Applicant, applicant_id)
        return history.history(u.session, applicant_id, limit=limit)


def start_acting_for(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> CallerSummary:
    """Desk staff take over the caller's screens; recorded so the history shows who started when."""
    require_role(actor, DESK)
    with (uow or UnitOfWork()) as u:
        s = u.session
        a = get_or_raise(s, Applicant, applicant_id)
        audit.record(s, actor, AuditAction.DESK_ACTING_STARTED, target_type="applicant", target_id=a.id,
                     applicant_id=a.id)
        summary = CallerSummary(a.id, a.contact_name, a.company_name, a.temp_login_id, a.office_code)
        u.commit()
        return summary


def stop_acting_for(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> None:
    require_role(actor, DESK)
    with (uow or UnitOfWork()) as u:
        s = u.session
        get_or_raise(s, Applicant, applicant_id)
        audit.record(s, actor, AuditAction.DESK_ACTING_STOPPED, target_type="applicant",
                     target_id=applicant_id, applicant_id=applicant_id)
        u.commit()

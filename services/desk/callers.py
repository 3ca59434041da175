"""The caller's record at the desk: contact data, next step, history, and acting for the caller."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import Applicant, Application, AuditEvent, User
from db.uow import uow
from services import audit
from services.authz import DESK, Actor, require_role
from services.desk.status import NextStep, next_steps
from services.errors import NotFound

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
    status: str                      # applicant status: TEMP_REGISTERING / TEMP_REGISTERED / OFFICE
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


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    actor_login_id: str | None
    actor_name: str | None
    on_behalf: bool                  # entered by staff for this applicant
    target_type: str | None
    target_id: int | None
    section: str | None = None       # the 詳細入力画面 a save was about, when the event says so


def _applicant(s: Session, applicant_id: int) -> Applicant:
    applicant = s.get(Applicant, applicant_id)
    if applicant is None:
        raise NotFound()
    return applicant


def _section(event: AuditEvent) -> str | None:
    section = (event.after or {}).get("section") if isinstance(event.after, dict) else None
    return section if isinstance(section, str) else None


def get_caller(actor: Actor, applicant_id: int) -> CallerRecord:
    require_role(actor, DESK)
    with uow() as s:
        a = _applicant(s, applicant_id)
        step = next_steps(s, [a])[a.id]
        apps = [ApplicationLine(x.id, x.kind, x.status, x.ref_no, x.submitted_at, x.start_date)
                for x in s.scalars(select(Application).where(Application.applicant_id == a.id)
                                   .order_by(Application.id.desc()))]
        return CallerRecord(a.id, a.status, a.contact_name, a.contact_kana, a.company_name, a.department,
                            a.phone, a.email, a.corporate_number, a.temp_login_id, a.office_code,
                            a.terms_agreed_via, a.issued_at, a.temp_expires_at, step, apps)


def caller_summary(actor: Actor, applicant_id: int) -> CallerSummary:
    require_role(actor, DESK)
    with uow() as s:
        a = _applicant(s, applicant_id)
        return CallerSummary(a.id, a.contact_name, a.company_name, a.temp_login_id, a.office_code)


def caller_history(actor: Actor, applicant_id: int, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """Newest first: what staff did for the applicant, and what happened to its applications."""
    require_role(actor, DESK)
    with uow() as s:
        _applicant(s, applicant_id)
        app_ids = select(Application.id).where(Application.applicant_id == applicant_id)
        who = aliased(User)
        rows = s.execute(
            select(AuditEvent, who.display_name).outerjoin(who, who.id == AuditEvent.actor_user_id)
            .where(or_(AuditEvent.on_behalf_of_applicant_id == applicant_id,
                       and_(AuditEvent.target_type == "application", AuditEvent.target_id.in_(app_ids)),
                       and_(AuditEvent.target_type == "applicant", AuditEvent.target_id == applicant_id)))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
        return [HistoryEntry(e.at, e.action, e.actor_login_id, name, e.on_behalf_of_applicant_id is not None,
                             e.target_type, e.target_id, _section(e)) for e, name in rows]


def start_acting_for(actor: Actor, applicant_id: int) -> CallerSummary:
    """Desk staff take over the caller's screens; recorded so the history shows who started when."""
    require_role(actor, DESK)
    with uow() as s:
        a = _applicant(s, applicant_id)
        audit.record(s, actor, "desk.acting_started", target_type="applicant", target_id=a.id,
                     applicant_id=a.id)
        s.commit()
        return CallerSummary(a.id, a.contact_name, a.company_name, a.temp_login_id, a.office_code)


def stop_acting_for(actor: Actor, applicant_id: int) -> None:
    require_role(actor, DESK)
    with uow() as s:
        _applicant(s, applicant_id)
        audit.record(s, actor, "desk.acting_stopped", target_type="applicant", target_id=applicant_id,
                     applicant_id=applicant_id)
        s.commit()

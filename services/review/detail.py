"""Everything a reviewer reads about one application: screens, attachments, history, comments, notes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from db.models import (Applicant, Application, ApplicationSection, Attachment, AuditEvent, InternalNote,
                       ReviewComment, User)
from db.uow import uow
from services import audit, clock
from services.application.read import ApplicationView, AttachmentInfo, CommentView, build_view
from services.authz import Actor, require_role
from services.errors import FieldError, NotFound, ValidationFailed
from services import deadlines
from services.review.queue import VIEWER_ROLES
from services.uow import UnitOfWork

HISTORY_LIMIT = 300
NOTE_MAX = 2000


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime                       # JST
    actor_login_id: str | None
    actor_name: str | None
    for_applicant: str | None          # set when staff entered it for the applicant
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class ApplicationDetail:
    id: int
    ref_no: str | None
    kind: str
    shared_use: bool
    status: str
    version: int
    applicant_id: int
    company_name: str
    contact_name: str
    email: str
    temp_login_id: str
    office_code: str | None
    connection_type: str | None
    submitted_at: datetime | None
    due_date: date | None
    start_date: date | None
    decision_reason: str | None
    assignee_id: int | None
    assignee_name: str | None
    view: ApplicationView             # every screen with its data and 入力状況 (the wizard's read model)
    attachments: list[AttachmentInfo]
    history: list[HistoryEntry]
    comments: list[CommentView]
    notes: list[CommentView]


def _jst(moment: datetime) -> datetime:
    return moment.astimezone(clock.JST)


def _history(s: Session, app: Application, section_ids: list[int], attachment_ids: list[int]) -> list[HistoryEntry]:
    actor_user, for_applicant = aliased(User), aliased(Applicant)
    about_this = or_(
        and_(AuditEvent.target_type == "application", AuditEvent.target_id == app.id),
        and_(AuditEvent.target_type.in_(("application_section", "section")), AuditEvent.target_id.in_(section_ids)),
        and_(AuditEvent.target_type == "attachment", AuditEvent.target_id.in_(attachment_ids)),
        AuditEvent.on_behalf_of_applicant_id == app.applicant_id)
    rows = s.execute(select(AuditEvent, actor_user.display_name, for_applicant.contact_name,
                            for_applicant.company_name)
                     .outerjoin(actor_user, actor_user.id == AuditEvent.actor_user_id)
                     .outerjoin(for_applicant, for_applicant.id == AuditEvent.on_behalf_of_applicant_id)
                     .where(about_this).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(HISTORY_LIMIT))
    # A reviewer's own steps are not "entered for" the applicant, though audit records whom they concern.
    return [HistoryEntry(_jst(e.at), e.actor_login_id, name,
                         f"{contact}（{company}）" if contact and not e.action.startswith("review.") else None,
                         e.action, e.before, e.after)
            for e, name, contact, company in rows]


def _comments(s: Session, model, app_id: int) -> list[CommentView]:
    rows = s.execute(select(model, User.display_name).join(User, User.id == model.author_user_id)
                     .where(model.application_id == app_id).order_by(model.created_at.desc(), model.id.desc()))
    return [CommentView(c.id, getattr(c, "section_key", None), c.body, name, _jst(c.created_at),
                        getattr(c, "resolved_at", None) is not None) for c, name in rows]


def application_detail(actor: Actor, application_id: int, *, uow: UnitOfWork | None = None) -> ApplicationDetail:
    require_role(actor, *VIEWER_ROLES)
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = s.get(Application, application_id)
        if app is None:
            raise NotFound()
        applicant = s.get(Applicant, app.applicant_id)
        assignee = s.get(User, app.assignee_id) if app.assignee_id else None
        section_ids = list(s.scalars(select(ApplicationSection.id).where(ApplicationSection.application_id == app.id)))
        attachments = [AttachmentInfo(a.id, a.purpose, a.file_name, a.size, a.content_type, _jst(a.uploaded_at))
                       for a in s.scalars(select(Attachment).where(Attachment.application_id == app.id)
                                          .order_by(Attachment.id))]
        return ApplicationDetail(
            id=app.id, ref_no=app.ref_no, kind=app.kind, shared_use=app.shared_use, status=app.status,
            version=app.version, applicant_id=applicant.id, company_name=applicant.company_name,
            contact_name=applicant.contact_name, email=applicant.email, temp_login_id=applicant.temp_login_id,
            office_code=applicant.office_code, connection_type=app.connection_type,
            submitted_at=_jst(app.submitted_at) if app.submitted_at else None,
            due_date=deadlines.due_date(app.submitted_at) if app.submitted_at else None,
            start_date=app.start_date, decision_reason=app.decision_reason, assignee_id=app.assignee_id,
            assignee_name=assignee.display_name if assignee else None, view=build_view(s, app),
            attachments=attachments, history=_history(s, app, section_ids, [a.id for a in attachments]),
            comments=_comments(s, ReviewComment, app.id), notes=_comments(s, InternalNote, app.id))


def find_by_ref_no(actor: Actor, ref_no: str, *, uow: UnitOfWork | None = None) -> int | None:
    require_role(actor, *VIEWER_ROLES)
    with (uow or UnitOfWork()) as u:
        return u.session.scalar(select(Application.id).where(Application.ref_no == ref_no.strip().upper()))


def add_internal_note(actor: Actor, application_id: int, body: str) -> None:
    """A note for staff only; the applicant never sees it."""
    require_role(actor, *VIEWER_ROLES)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"note": FieldError("review.note_required")})
    if len(body) > NOTE_MAX:
        raise ValidationFailed({"note": FieldError("review.too_long", {"max": NOTE_MAX})})
    with uow() as s:
        app = s.get(Application, application_id)
        if app is None:
            raise NotFound()
        s.add(InternalNote(application_id=app.id, body=body, author_user_id=actor.user_id, created_at=clock.now()))
        audit.record(s, actor, "review.note_added", target_type="application", target_id=app.id,
                     applicant_id=app.applicant_id)
        s.commit()

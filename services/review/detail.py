"""Everything a reviewer reads about one application: screens, attachments, history, comments, notes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, Attachment, ReviewComment, User, UserCode
from services import clock, deadlines, history, notes
from services.applicant_status import ApplicantStatus
from services.application.read import ApplicationView, AttachmentInfo, CommentView, build_view
from services.authz import Actor, require_role
from services.history import HistoryEntry
from services.notes import NoteKind, NoteView
from services.review.queue import VIEWER_ROLES
from services.uow import UnitOfWork, get_or_raise

HISTORY_LIMIT = 300


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
    notes: list[NoteView]
    cancelled_on: date | None = None  # the cut-off cancelled this office's approval (services.cutoff), JST day
    user_code: str | None = None      # システム設定申込: the 利用者コード it registers; 解約申込: the one it cancels
    contract_ended: bool = False      # the office's contract ended by a 解約申込 (cancelled_on: that day)


def _jst(moment: datetime) -> datetime:
    return moment.astimezone(clock.JST)


def _comments(s: Session, model, app_id: int) -> list[CommentView]:
    rows = s.execute(select(model, User.display_name).join(User, User.id == model.author_user_id)
                     .where(model.application_id == app_id).order_by(model.created_at.desc(), model.id.desc()))
    return [CommentView(c.id, getattr(c, "section_key", None), c.body, name, _jst(c.created_at),
                        getattr(c, "resolved_at", None) is not None) for c, name in rows]


def application_detail(actor: Actor, application_id: int, *, uow: UnitOfWork | None = None) -> ApplicationDetail:
    require_role(actor, *VIEWER_ROLES)
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = get_or_raise(s, Application, application_id)
        applicant = get_or_raise(s, Applicant, app.applicant_id)
        assignee = s.get(User, app.assignee_id) if app.assignee_id else None
        attachments = [AttachmentInfo(a.id, a.purpose, a.file_name, a.size, a.content_type, _jst(a.uploaded_at))
                       for a in s.scalars(select(Attachment).where(Attachment.application_id == app.id)
                                          .order_by(Attachment.id))]
        return ApplicationDetail(
            id=app.id, ref_no=app.ref_no, kind=app.kind, shared_use=app.shared_use, status=app.status,
            version=app.version, applicant_id=applicant.id,
            company_name=app.company_name or applicant.company_name,  # 事業所・企業's 企業名 once entered
            contact_name=applicant.contact_name, email=applicant.email, temp_login_id=applicant.temp_login_id,
            office_code=applicant.office_code, connection_type=app.connection_type,
            submitted_at=_jst(app.submitted_at) if app.submitted_at else None,
            due_date=deadlines.due_date(app.submitted_at) if app.submitted_at else None,
            start_date=app.start_date, decision_reason=app.decision_reason, assignee_id=app.assignee_id,
            assignee_name=assignee.display_name if assignee else None, view=build_view(s, app),
            attachments=attachments,
            history=history.history(s, app.applicant_id, application_id=app.id, limit=HISTORY_LIMIT),
            comments=_comments(s, ReviewComment, app.id), notes=notes.notes_of(s, NoteKind.INTERNAL, app.id),
            cancelled_on=deadlines.jst_date(applicant.cancelled_at) if applicant.cancelled_at else None,
            user_code=s.scalar(select(UserCode.user_code).where(UserCode.id == app.user_code_id))
            if app.user_code_id else None,
            contract_ended=applicant.status == ApplicantStatus.CONTRACT_ENDED)


def find_by_ref_no(actor: Actor, ref_no: str, *, uow: UnitOfWork | None = None) -> int | None:
    require_role(actor, *VIEWER_ROLES)
    with (uow or UnitOfWork()) as u:
        return u.session.scalar(select(Application.id).where(Application.ref_no == ref_no.strip().upper()))


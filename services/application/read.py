"""Read API for one application: every screen's data and 入力状況, attachments and open review
comments, as plain dataclasses. Shared by the wizard, 申込内容確認, the desk and the reviewer."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from db.models import Application, ApplicationSection, Attachment, ReviewComment, User
from services import workflow
from services.application.fieldspec import Context
from services.application.forms import definition_for
from services.application.sections import REVIEW_SCREEN, review_screen_status
from services.authz import Actor, require_applicant_access
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind


@dataclass(frozen=True)
class CommentView:
    """A 差戻し comment or an internal note, as every role reads it."""
    id: int
    section_key: str | None     # None: about the whole application
    body: str
    author_name: str
    created_at: datetime
    resolved: bool = False      # 差戻し comments are resolved when the applicant resubmits


@dataclass(frozen=True)
class SectionView:
    key: str
    label_key: str
    data: dict[str, Any]
    status: str                 # EMPTY / PARTIAL / COMPLETE, checked against the current choices
    version: int                # pass back as expected_version when saving this screen
    applies: bool               # False: not required for this 接続形態 / 処理方式
    offers_draft_save: bool     # 一時保存 offered on this screen (共同利用 limits it)
    comments: tuple[CommentView, ...] = ()
    updated_at: datetime | None = None
    updated_by_user_id: int | None = None

    @property
    def needs_correction(self) -> bool:
        """A reviewer asked to correct this screen and it has not been saved since (要修正)."""
        return bool(self.comments) and not self.corrected

    @property
    def corrected(self) -> bool:
        """Saved after the reviewer's newest comment on it (修正済), until the application is resubmitted."""
        if not self.comments or self.updated_at is None:
            return False
        return self.updated_at > max(c.created_at for c in self.comments)


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    purpose: str
    file_name: str
    size: int
    content_type: str
    uploaded_at: datetime


@dataclass(frozen=True)
class ApplicationView:
    id: int
    applicant_id: int
    kind: str
    status: str
    ref_no: str | None
    version: int                # pass back as expected_version when submitting
    shared_use: bool
    connection_type: str | None
    industries: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    first_submitted_at: datetime | None
    sections: tuple[SectionView, ...]
    attachments: tuple[AttachmentInfo, ...]
    general_comments: tuple[CommentView, ...] = field(default=())
    user_code_id: int | None = None   # システム設定申込: the 利用者コード it registers
    # The choices that shape the screens, read from every screen stored (a 変更申込 also has screens
    # it does not list: its 接続形態 may come from the contract's 事業所・企業).
    context: Context = field(default_factory=Context)

    @property
    def editable(self) -> bool:
        return self.status in workflow.EDITABLE_BY_APPLICANT

    def section(self, key: str) -> SectionView:
        return next(s for s in self.sections if s.key == key)

    def applicable(self) -> list[SectionView]:
        return [s for s in self.sections if s.applies]

    def data_of(self, key: str) -> dict[str, Any]:
        return self.section(key).data


def application_view(actor: Actor, application_id: int, *, uow: UnitOfWork | None = None) -> ApplicationView:
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = get_or_raise(s, Application, application_id)
        require_applicant_access(actor, app.applicant_id)
        return build_view(s, app)


def new_usage_id(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> int | None:
    """The applicant's 新規利用申込, if started (there is at most one)."""
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        return u.session.scalar(select(Application.id).where(Application.applicant_id == applicant_id,
                                                             Application.kind == ApplicationKind.NEW_USAGE))


def build_view(s, app: Application) -> ApplicationView:
    rows = {r.section_key: r for r in s.scalars(
        select(ApplicationSection).where(ApplicationSection.application_id == app.id))}
    data = {k: dict(r.data or {}) for k, r in rows.items()}
    definition = definition_for(app.kind)
    ctx = definition.context(data, app)
    comments = _open_comments(s, app)
    listed = definition.listed(ctx)
    statuses = {sec.key: sec.status(data.get(sec.key), ctx) for sec in listed if sec.key != REVIEW_SCREEN}
    statuses[REVIEW_SCREEN] = review_screen_status(statuses, ctx, tuple(s for s in listed if s.key != REVIEW_SCREEN))
    views = tuple(
        SectionView(key=sec.key, label_key=sec.label_key, data=data.get(sec.key, {}),
                    status=statuses[sec.key], version=rows[sec.key].version if sec.key in rows else 0,
                    applies=sec.applies(ctx), offers_draft_save=sec.offers_draft_save(app.shared_use),
                    comments=tuple(c for c in comments if c.section_key == sec.key),
                    updated_at=rows[sec.key].updated_at if sec.key in rows else None,
                    updated_by_user_id=rows[sec.key].updated_by_user_id if sec.key in rows else None)
        for sec in listed)
    attachments = tuple(
        AttachmentInfo(a.id, a.purpose, a.file_name, a.size, a.content_type, a.uploaded_at)
        for a in s.scalars(select(Attachment).where(Attachment.application_id == app.id)
                           .order_by(Attachment.id)))
    return ApplicationView(
        id=app.id, applicant_id=app.applicant_id, kind=app.kind, status=app.status, ref_no=app.ref_no,
        version=app.version, shared_use=app.shared_use, connection_type=app.connection_type,
        industries=app.industries, created_at=app.created_at, updated_at=app.updated_at,
        submitted_at=app.submitted_at, first_submitted_at=app.first_submitted_at,
        sections=views, attachments=attachments,
        general_comments=tuple(c for c in comments if c.section_key not in {v.key for v in views}),
        user_code_id=app.user_code_id, context=ctx)


def _open_comments(s, app: Application) -> list[CommentView]:
    """Unresolved 差戻し comments (resolved_at is set when the applicant resubmits)."""
    rows = s.execute(
        select(ReviewComment, User.display_name)
        .join(User, User.id == ReviewComment.author_user_id)
        .where(ReviewComment.application_id == app.id, ReviewComment.resolved_at.is_(None))
        .order_by(ReviewComment.id))
    return [CommentView(c.id, c.section_key, c.body, name, c.created_at) for c, name in rows]

"""システム構成図 attachments (一般 NACCS): add, list, remove, download.

Bytes live in the database so every app server serves the same file; the original file name is
kept exactly as uploaded (spaces and Japanese included, never turned into '+').
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import settings
from db.models import Application, Attachment
from db.reference import SURVEY_FORMS
from services import audit, clock
from services.application import filetypes
from services.application.read import AttachmentInfo
from services.application.save import load_editable
from services.audit import AuditAction
from services.authz import Actor, require_applicant_access
from services.errors import DomainError
from services.fields import has_refused_characters
from services.uow import UnitOfWork, get_or_raise

SYSTEM_DIAGRAM = "SYSTEM_DIAGRAM"
PURPOSES = (SYSTEM_DIAGRAM, *SURVEY_FORMS)  # a システム構成図, or a 掲示板 survey form (システム設定申込)
MAX_NAME_LENGTH = 255
MAX_FILES = 10          # per application: a システム構成図 is one or a few files
TOTAL_LIMIT_FACTOR = 3  # per application: the files together, in multiples of the per-file limit


@dataclass(frozen=True)
class Download:
    file_name: str
    content_type: str
    content: bytes


def _info(a: Attachment) -> AttachmentInfo:
    return AttachmentInfo(a.id, a.purpose, a.file_name, a.size, a.content_type, a.uploaded_at)


def check_file(file_name: str, content: bytes) -> str:
    """The content type, or a DomainError code the page shows next to the uploader."""
    if not file_name or len(file_name) > MAX_NAME_LENGTH or "/" in file_name or "\\" in file_name:
        raise DomainError("wizard.error.file_name")
    if has_refused_characters(file_name):  # NUL, control, RTL override (report\u202egnp.pdf)
        raise DomainError("wizard.error.file_name_chars")
    if not content:
        raise DomainError("wizard.error.file_empty")
    limit = settings().upload_limit_bytes
    if len(content) > limit:
        raise DomainError("wizard.error.file_too_large", limit_mb=settings().upload_limit_mb)
    return filetypes.check(file_name, content)  # parses the container; refuses with its own code


def add_attachment(actor: Actor, application_id: int, file_name: str, content: bytes,
                   purpose: str = SYSTEM_DIAGRAM, *, uow: UnitOfWork | None = None) -> AttachmentInfo:
    if purpose not in PURPOSES:
        raise DomainError("wizard.error.file_purpose")
    content_type = check_file(file_name, content)
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = load_editable(s, actor, application_id, lock=True)  # two uploads at once count in turn
        _check_room(s, app.id, len(content))
        row = Attachment(application_id=app.id, purpose=purpose, file_name=file_name,
                         content_type=content_type, size=len(content), content=content,
                         uploaded_at=clock.now(), uploaded_by_user_id=actor.user_id)
        s.add(row)
        u.flush()
        audit.record(s, actor, AuditAction.APPLICATION_ATTACHMENT_ADDED, target_type="application",
                     target_id=app.id, applicant_id=app.applicant_id,
                     after={"attachment_id": row.id, "file_name": file_name, "size": len(content)})
        info = _info(row)
        u.commit()
        return info


def total_limit_bytes() -> int:
    return settings().upload_limit_bytes * TOTAL_LIMIT_FACTOR


def _check_room(s: Session, application_id: int, size: int) -> None:
    """At most MAX_FILES files and total_limit_bytes() bytes per application (issue 8)."""
    count, total = s.execute(select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0))
                             .where(Attachment.application_id == application_id)).one()
    if count >= MAX_FILES:
        raise DomainError("wizard.error.too_many_files", max=MAX_FILES)
    if total + size > total_limit_bytes():
        raise DomainError("wizard.error.files_total_too_large",
                          limit_mb=settings().upload_limit_mb * TOTAL_LIMIT_FACTOR)


def list_attachments(actor: Actor, application_id: int, purpose: str | None = None, *,
                     uow: UnitOfWork | None = None) -> list[AttachmentInfo]:
    with (uow or UnitOfWork()) as u:
        s = u.session
        app = get_or_raise(s, Application, application_id)
        require_applicant_access(actor, app.applicant_id)
        query = select(Attachment).where(Attachment.application_id == app.id).order_by(Attachment.id)
        if purpose:
            query = query.where(Attachment.purpose == purpose)
        return [_info(a) for a in s.scalars(query)]


def remove_attachment(actor: Actor, attachment_id: int, *, uow: UnitOfWork | None = None) -> None:
    with (uow or UnitOfWork()) as u:
        s = u.session
        row = get_or_raise(s, Attachment, attachment_id)
        app = load_editable(s, actor, row.application_id)
        audit.record(s, actor, AuditAction.APPLICATION_ATTACHMENT_REMOVED, target_type="application",
                     target_id=app.id, applicant_id=app.applicant_id,
                     before={"attachment_id": row.id, "file_name": row.file_name})
        s.delete(row)
        u.commit()


def download_attachment(actor: Actor, attachment_id: int, *, uow: UnitOfWork | None = None) -> Download:
    with (uow or UnitOfWork()) as u:
        s = u.session
        row = get_or_raise(s, Attachment, attachment_id)
        app = get_or_raise(s, Application, row.application_id)
        require_applicant_access(actor, app.applicant_id)
        return Download(row.file_name, row.content_type, bytes(row.content))

"""新着情報: notices for an applicant, written in the same transaction as the event."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import Applicant, Application, Notice
from services import audit, clock
from services.audit import AuditAction
from services.authz import Actor, can_read_secret, require_applicant_access
from services.deadlines import id_notice_display_until
from services.errors import NotFound
from services.secrets import decrypt
from services.uow import UnitOfWork, get_or_raise


class NoticeKind(StrEnum):
    RECEIPT = "RECEIPT"        # 受付完了
    APPROVED = "APPROVED"      # 確認完了
    RETURNED = "RETURNED"      # 差戻し
    REJECTED = "REJECTED"      # 却下
    ID_NOTICE = "ID_NOTICE"    # ID 通知内容
    CANCELLED = "CANCELLED"    # 承認取消: system settings not complete by their deadline (services.cutoff)


def add_notice(s: Session, applicant_id: int, kind: NoticeKind, params: dict[str, Any] | None = None, *,
               application_id: int | None = None, secret: str | None = None) -> Notice:
    """`secret` is already encrypted by the caller (services.secrets.encrypt)."""
    notice = Notice(applicant_id=applicant_id, application_id=application_id, kind=kind,
                    params=params or {}, secret=secret, created_at=clock.now())
    s.add(notice)
    return notice


# ---------------------------------------------------------------- reading 新着情報 (applicant side)


@dataclass(frozen=True)
class NoticeItem:
    id: int
    kind: NoticeKind
    created_at: datetime
    params: dict[str, Any]
    application_id: int | None
    read: bool


@dataclass(frozen=True)
class IdNoticeView:
    notice_id: int
    office_code: str | None
    office_password: str | None   # None once the display period is over, and for anyone but the applicant
    start_date: date | None
    shown_until: date | None
    no_longer_shown: bool
    password_masked: bool = False  # staff: the password exists but is never shown to them (********)


def list_notices(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> list[NoticeItem]:
    """The applicant's notices, newest first."""
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        rows = u.session.scalars(select(Notice).where(Notice.applicant_id == applicant_id)
                                 .order_by(Notice.created_at.desc(), Notice.id.desc()))
        return [NoticeItem(n.id, NoticeKind(n.kind), n.created_at, dict(n.params or {}), n.application_id,
                           n.read_at is not None) for n in rows]


def mark_seen(actor: Actor, applicant_id: int, notice_ids: list[int], *, uow: UnitOfWork | None = None) -> None:
    """The applicant has seen these notices on 新着情報, so they are no longer 未読. Staff looking
    on the applicant's behalf mark nothing; the ID notice is read only once opened (open_id_notice)."""
    require_applicant_access(actor, applicant_id)
    if actor.applicant_id != applicant_id or not notice_ids:
        return
    with (uow or UnitOfWork()) as u:
        u.session.execute(update(Notice).where(
            Notice.id.in_(notice_ids), Notice.applicant_id == applicant_id, Notice.read_at.is_(None),
            Notice.kind != NoticeKind.ID_NOTICE).values(read_at=clock.now()))
        u.commit()


def _start_date(s: Session, notice: Notice) -> date | None:
    raw = (notice.params or {}).get("start_date")
    if raw:
        return date.fromisoformat(str(raw))
    if notice.application_id is not None:
        app = s.get(Application, notice.application_id)
        return app.start_date if app else None
    return None


def open_id_notice(actor: Actor, notice_id: int, *, uow: UnitOfWork | None = None) -> IdNoticeView:
    """Shows 事業所コード and, within the display period, 事業所パスワード; every view is audited."""
    with (uow or UnitOfWork()) as u:
        s = u.session
        notice = s.get(Notice, notice_id)
        if notice is None or notice.kind != NoticeKind.ID_NOTICE:
            raise NotFound()
        require_applicant_access(actor, notice.applicant_id)
        start = _start_date(s, notice)
        until = id_notice_display_until(start) if start else None
        within_display = until is not None and clock.today_jst() <= until
        if not within_display and notice.secret is not None:
            notice.secret = None  # never shown again: not kept either
        readable = within_display and notice.secret is not None
        masked = readable and not can_read_secret(actor, notice.applicant_id)
        password = decrypt(notice.secret) if readable and not masked and notice.secret is not None else None
        office_code = (notice.params or {}).get("office_code") or get_or_raise(s, Applicant, notice.applicant_id).office_code
        if notice.read_at is None and actor.applicant_id == notice.applicant_id:
            notice.read_at = clock.now()
        audit.record(s, actor, AuditAction.NOTICE_ID_NOTICE_VIEWED, target_type="notice", target_id=notice.id,
                     applicant_id=notice.applicant_id, after={"password_shown": password is not None})
        u.commit()
        return IdNoticeView(notice.id, office_code, password, start, until,
                            no_longer_shown=password is None and not masked, password_masked=masked)

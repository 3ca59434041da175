"""What needs an administrator's attention, as counts for the admin home (screens/common/home.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from db.models import BoardFileVersion, BoardNotice, MailOutbox, UsageImport
from services import clock, terms
from services.authz import ADMIN, Actor, require_role
from services.mail import MailStatus
from services.uow import UnitOfWork
from services.users import locked_staff_count

RECENT = timedelta(days=7)  # "recent" imports and board changes


@dataclass(frozen=True)
class ScheduledTerms:
    version: str
    effective_from: datetime


@dataclass(frozen=True)
class Attention:
    mails_failed: int
    mails_retrying: int           # waiting for another attempt after a failed one
    locked_staff: int
    recent_imports: int           # for information: imports are applied at once, none waits
    latest_import_at: datetime | None
    terms_version: str | None     # in force now
    terms_scheduled: tuple[ScheduledTerms, ...]  # written, with a future effective date; the next first
    board_changes: int            # notices and files added, replaced or retired recently

    @property
    def needs_action(self) -> bool:
        return bool(self.mails_failed or self.mails_retrying or self.locked_staff)


def attention(actor: Actor, *, uow: UnitOfWork | None = None) -> Attention:
    require_role(actor, ADMIN)
    now = clock.now()
    since = now - RECENT
    with (uow or UnitOfWork()) as u:
        s = u.session
        by_status = dict(s.execute(
            select(MailOutbox.status, func.count()).where(
                or_(MailOutbox.status == MailStatus.FAILED,
                    (MailOutbox.status == MailStatus.PENDING) & (MailOutbox.attempts > 0)))
            .group_by(MailOutbox.status)).all())
        imports, latest = s.execute(select(func.count(), func.max(UsageImport.imported_at))
                                    .where(UsageImport.imported_at >= since, UsageImport.undone_at.is_(None))).one()
        current = terms.in_force_at(s, now)
        future = tuple(ScheduledTerms(r.version, r.effective_from) for r in terms.scheduled(s, now))
        notices = s.scalar(select(func.count()).select_from(BoardNotice).where(
            or_(BoardNotice.created_at >= since, BoardNotice.retired_at >= since))) or 0
        # A file counts once however many of its versions moved (a replacement retires one, adds one).
        files = s.scalar(select(func.count(func.distinct(BoardFileVersion.document_id))).where(
            or_(BoardFileVersion.published_at >= since, BoardFileVersion.retired_at >= since))) or 0
        return Attention(
            mails_failed=by_status.get(MailStatus.FAILED.value, 0),
            mails_retrying=by_status.get(MailStatus.PENDING.value, 0),
            locked_staff=locked_staff_count(s),
            recent_imports=imports or 0, latest_import_at=latest,
            terms_version=current.version if current else None, terms_scheduled=future,
            board_changes=notices + files)

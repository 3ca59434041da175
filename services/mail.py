"""Mail: written to the outbox in the caller's transaction, sent over SMTP after commit.

A mail is never lost: a failed send stays in the outbox with its error and is retried with
back-off; staff can read every mail on the 送信メール page and retry it by hand.
"""
from __future__ import annotations

import smtplib
import string
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from config import settings
from db.models import MailOutbox
from services import clock
from services.authz import ADMIN, DESK, REVIEWER, Actor, require_role
from services.uow import UnitOfWork, after_commit, get_or_raise, rows_matched

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "mail"
MAX_ATTEMPTS = 8
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240)]
SENDING_TIMEOUT = timedelta(minutes=10)


class MailStatus(StrEnum):
    PENDING = "PENDING"    # waiting for its (next) attempt
    SENDING = "SENDING"    # claimed by a server; back to due if that server dies mid-send
    SENT = "SENT"
    FAILED = "FAILED"      # every attempt failed; staff may retry by hand


def render(template: str, params: dict[str, Any]) -> tuple[str, str]:
    """Subject is the template's first line, body the rest; `$name` placeholders."""
    text = (TEMPLATE_DIR / f"{template}.txt").read_text(encoding="utf-8")
    subject, _, body = text.partition("\n")
    values = {"base_url": settings().base_url, **params}
    return (string.Template(subject).substitute(values).strip(),
            string.Template(body.lstrip("\n")).substitute(values))


def enqueue(session: Session, template: str, recipients: list[str], params: dict[str, Any],
            applicant_id: int | None = None) -> MailOutbox:
    subject, body = render(template, params)
    row = MailOutbox(created_at=clock.now(), template=template, sender=settings().mail_from,
                     recipients=sorted(set(recipients)), subject=subject, body=body,
                     status=MailStatus.PENDING, attempts=0, next_attempt_at=clock.now(),
                     applicant_id=applicant_id)
    session.add(row)
    # Sent once the transaction that queued it commits (never for a rollback).
    after_commit(session, deliver_in_background)
    return row


def _send(row: MailOutbox, host: str) -> None:
    cfg = settings()
    msg = EmailMessage()
    msg["From"] = row.sender
    msg["To"] = ", ".join(row.recipients)
    msg["Subject"] = row.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="nss.local")
    msg.set_content(row.body, charset="utf-8")
    with smtplib.SMTP(host, cfg.smtp_port, timeout=15) as smtp:
        if cfg.smtp_starttls:
            smtp.starttls()
        if cfg.smtp_user:
            smtp.login(cfg.smtp_user, cfg.smtp_password or "")
        smtp.send_message(msg)


def _claim(row_id: int, attempts: int, *, uow: UnitOfWork | None = None) -> bool:
    """Mark a row SENDING unless another server took it first."""
    with (uow or UnitOfWork()) as u:
        claimed = rows_matched(u.session, (
            update(MailOutbox)
            .where(MailOutbox.id == row_id, MailOutbox.attempts == attempts,
                   MailOutbox.status.in_((MailStatus.PENDING, MailStatus.FAILED, MailStatus.SENDING)))
            .values(status=MailStatus.SENDING, attempts=attempts + 1,
                    next_attempt_at=clock.now() + SENDING_TIMEOUT)))
        u.commit()
        return claimed == 1


def deliver_pending(limit: int = 50, *, uow: UnitOfWork | None = None) -> int:
    """Send what is due; returns how many were sent. Safe to call from several servers.

    Each claim and each outcome is its own transaction; inside a caller's unit of work (`uow`)
    they become part of the caller's transaction instead."""
    host = settings().smtp_host
    if not host:
        return 0
    now = clock.now()
    with (uow or UnitOfWork()) as u:
        due = list(u.session.execute(
            select(MailOutbox.id, MailOutbox.attempts)
            .where(MailOutbox.status.in_((MailStatus.PENDING, MailStatus.SENDING)),
                   MailOutbox.next_attempt_at <= now)
            .order_by(MailOutbox.id).limit(limit)))
    sent = 0
    for row_id, attempts in due:
        if not _claim(row_id, attempts, uow=uow):
            continue
        with (uow or UnitOfWork()) as u:
            row = get_or_raise(u.session, MailOutbox, row_id)  # just claimed; outbox rows are never deleted
            try:
                _send(row, host)
            except Exception as exc:
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                exhausted = row.attempts >= MAX_ATTEMPTS
                row.status = MailStatus.FAILED if exhausted else MailStatus.PENDING
                row.next_attempt_at = None if exhausted else clock.now() + BACKOFF[min(row.attempts, len(BACKOFF)) - 1]
            else:
                row.status, row.sent_at, row.last_error, row.next_attempt_at = (
                    MailStatus.SENT, clock.now(), None, None)
                sent += 1
            u.commit()
    return sent


def deliver_in_background() -> None:
    """Called after a commit that queued mail: the user does not wait for the SMTP server."""
    if settings().smtp_host:
        threading.Thread(target=deliver_pending, name="nss-mail", daemon=True).start()


def retry(actor: Actor, mail_id: int, *, uow: UnitOfWork | None = None) -> None:
    require_role(actor, ADMIN, DESK, REVIEWER)
    with (uow or UnitOfWork()) as u:
        row = u.session.get(MailOutbox, mail_id)
        if row and row.status != MailStatus.SENT:
            row.status, row.next_attempt_at = MailStatus.PENDING, clock.now()
        u.after_commit(deliver_in_background)
        u.commit()


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    template: str
    sender: str
    recipients: list[str]
    subject: str
    body: str
    status: MailStatus
    attempts: int
    last_error: str | None
    sent_at: datetime | None


def _outbox_row(r: MailOutbox) -> OutboxRow:
    return OutboxRow(r.id, r.created_at, r.template, r.sender, list(r.recipients), r.subject, r.body,
                     MailStatus(r.status), r.attempts, r.last_error, r.sent_at)


def list_outbox(actor: Actor, *, search: str = "", status: MailStatus | None = None,
                page: int = 0, page_size: int = 50, uow: UnitOfWork | None = None) -> tuple[int, list[OutboxRow]]:
    """Newest first, paginated in the database."""
    require_role(actor, ADMIN, DESK, REVIEWER)
    conditions = []
    if status:
        conditions.append(MailOutbox.status == status)
    if search.strip():
        like = f"%{search.strip()}%"
        conditions.append(or_(MailOutbox.subject.ilike(like), MailOutbox.body.ilike(like),
                              func.cast(MailOutbox.recipients, type_=MailOutbox.subject.type).ilike(like)))
    with (uow or UnitOfWork()) as u:
        s = u.session
        total = s.scalar(select(func.count()).select_from(MailOutbox).where(*conditions)) or 0
        rows = s.scalars(select(MailOutbox).where(*conditions).order_by(MailOutbox.id.desc())
                         .offset(page * page_size).limit(page_size))
        return total, [_outbox_row(r) for r in rows]


def mails_to(address: str, *, uow: UnitOfWork | None = None) -> list[OutboxRow]:
    """Every mail for one address, oldest first (tests and the desk use it)."""
    with (uow or UnitOfWork()) as u:
        rows = u.session.scalars(select(MailOutbox).order_by(MailOutbox.id))
        return [_outbox_row(r) for r in rows if address in r.recipients]

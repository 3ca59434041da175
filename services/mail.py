"""Mail: written to the outbox in the caller's transaction, sent over SMTP after commit.

A mail is never lost: a failed send stays in the outbox with its error and is retried with
back-off by the periodic sender every app server runs (`start_periodic_sender`); an administrator
can read every mail on the 送信メール page and retry it by hand. A password a mail carries is
never readable there: the body shows MASK and the password is kept encrypted only until sending
(see `enqueue`).
"""
from __future__ import annotations

import json
import logging
import re
import smtplib
import string
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session

from config import settings
from db.models import MailOutbox
from services import clock
from services import secrets as secret_box
from services.authz import ADMIN, DESK, REVIEWER, Actor, require_applicant_access, require_role
from services.errors import DomainError
from services.periodic import OnePerProcess, Periodic
from services.uow import UnitOfWork, after_commit, get_or_raise, rows_matched

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates" / "mail"
MAX_ATTEMPTS = 8
BACKOFF = [timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240)]
LEASE = timedelta(minutes=10)  # a server that died mid-send: the row is due again after this
MASK = "********"              # what anyone reading the outbox sees in place of a password


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


def _render_masked(template: str, params: dict[str, Any],
                   secrets: Mapping[str, str]) -> tuple[str, str, list[list[Any]]]:
    """The body with MASK where each secret goes, and where (offset in the masked body, name).

    Each secret is first rendered as a random marker, so text typed by a user cannot stand in for it."""
    if set(secrets) & set(params):
        raise ValueError("a value is either a parameter or a secret")
    marks = {name: f"\x00{uuid.uuid4().hex}\x00" for name in secrets}
    subject, body = render(template, {**params, **marks})
    if any(mark in subject for mark in marks.values()):
        raise ValueError("a secret never goes into a subject")
    by_mark = {mark: name for name, mark in marks.items()}
    parts: list[str] = []
    spans: list[list[Any]] = []
    pos = length = 0
    for found in re.finditer("|".join(re.escape(m) for m in marks.values()), body) if marks else ():
        parts.append(body[pos:found.start()])
        length += found.start() - pos
        spans.append([length, by_mark[found.group()]])
        parts.append(MASK)
        length += len(MASK)
        pos = found.end()
    parts.append(body[pos:])
    if {name for _, name in spans} != set(secrets):
        raise ValueError(f"template {template} does not show every secret")
    return subject, "".join(parts), spans


def enqueue(session: Session, template: str, recipients: list[str], params: dict[str, Any],
            applicant_id: int | None = None, *, secrets: Mapping[str, str] | None = None) -> MailOutbox:
    """Queue a mail in the caller's transaction.

    `secrets` are the template values that are passwords: the stored body shows MASK in their place
    and they are kept encrypted only until the mail is sent or has failed for good."""
    secrets = dict(secrets or {})
    subject, body, spans = _render_masked(template, params, secrets)
    secret = (secret_box.encrypt_mail_secret(json.dumps({"values": secrets, "spans": spans}))
              if secrets else None)
    row = MailOutbox(created_at=clock.now(), template=template, sender=settings().mail_from,
                     recipients=sorted(set(recipients)), subject=subject, body=body,
                     status=MailStatus.PENDING, attempts=0, next_attempt_at=clock.now(),
                     applicant_id=applicant_id, has_secret=bool(secrets), secret=secret)
    session.add(row)
    # Sent once the transaction that queued it commits (never for a rollback).
    after_commit(session, deliver_in_background)
    return row


class _SecretUnavailable(Exception):
    """The mail's password was erased or cannot be decrypted (the key changed): it cannot be sent."""


def _compose_body(body: str, has_secret: bool, secret: str | None) -> str:
    """The body as the recipient receives it: MASK replaced by the decrypted secrets."""
    if not has_secret:
        return body
    plain = secret_box.decrypt_mail_secret(secret) if secret else None
    if plain is None:
        raise _SecretUnavailable()
    data = json.loads(plain)
    for offset, name in sorted(data["spans"], reverse=True):
        if body[offset:offset + len(MASK)] != MASK:
            raise _SecretUnavailable()
        body = body[:offset] + data["values"][name] + body[offset + len(MASK):]
    return body


@dataclass(frozen=True)
class _Outgoing:
    sender: str
    recipients: list[str]
    subject: str
    body: str


def _send(mail: _Outgoing, host: str) -> None:
    cfg = settings()
    msg = EmailMessage()
    msg["From"] = mail.sender
    msg["To"] = ", ".join(mail.recipients)
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="nss.local")
    msg.set_content(mail.body, charset="utf-8")
    with smtplib.SMTP(host, cfg.smtp_port, timeout=15) as smtp:
        if cfg.smtp_starttls:
            smtp.starttls()
        if cfg.smtp_user:
            smtp.login(cfg.smtp_user, cfg.smtp_password or "")
        smtp.send_message(msg)


def _due(now: datetime) -> ColumnElement[bool]:
    """Waiting, its back-off over, and no server holding a live lease (a dead server's lease runs out)."""
    return and_(MailOutbox.status.in_((MailStatus.PENDING, MailStatus.SENDING)),
                MailOutbox.next_attempt_at <= now,
                or_(MailOutbox.claimed_until.is_(None), MailOutbox.claimed_until < now))


def _claim_due(limit: int, *, uow: UnitOfWork | None = None) -> tuple[str, list[int]]:
    """Lease up to `limit` due rows with one UPDATE that only one server wins per row.

    Two servers racing: on PostgreSQL the second UPDATE waits for the first's row locks and then
    re-checks `_due` on the new row versions (leased: skipped); SQLite runs one writer at a time."""
    token, now = uuid.uuid4().hex, clock.now()
    with (uow or UnitOfWork()) as u:
        due_ids = select(MailOutbox.id).where(_due(now)).order_by(MailOutbox.id).limit(limit)
        u.session.execute(
            update(MailOutbox).where(MailOutbox.id.in_(due_ids), _due(now))
            .values(status=MailStatus.SENDING, attempts=MailOutbox.attempts + 1,
                    claim_token=token, claimed_until=now + LEASE))
        claimed = list(u.session.scalars(select(MailOutbox.id).where(MailOutbox.claim_token == token)
                                         .order_by(MailOutbox.id)))
        u.commit()
    return token, claimed


def _record(row_id: int, token: str, values: dict[str, Any], *, uow: UnitOfWork | None = None) -> bool:
    """The outcome, written only while this server still holds the row's lease."""
    with (uow or UnitOfWork()) as u:
        won = rows_matched(u.session, update(MailOutbox)
                           .where(MailOutbox.id == row_id, MailOutbox.claim_token == token)
                           .values(claim_token=None, claimed_until=None, **values))
        u.commit()
        return won == 1


def _failure(attempts: int, error: str, *, permanent: bool = False) -> dict[str, Any]:
    exhausted = permanent or attempts >= MAX_ATTEMPTS
    values: dict[str, Any] = {
        "last_error": error[:2000], "status": MailStatus.FAILED if exhausted else MailStatus.PENDING,
        "next_attempt_at": None if exhausted else clock.now() + BACKOFF[min(attempts, len(BACKOFF)) - 1]}
    if exhausted:
        values["secret"] = None  # failed for good: nothing will send it, so its password goes
    return values


def deliver_pending(limit: int = 50, *, uow: UnitOfWork | None = None) -> int:
    """Send what is due; returns how many were sent. Safe to call from several servers at once.

    Each claim and each outcome is its own transaction (the SMTP conversation runs outside any);
    inside a caller's unit of work (`uow`) they become part of the caller's transaction instead."""
    host = settings().smtp_host
    if not host:
        return 0
    token, claimed = _claim_due(limit, uow=uow)
    sent = 0
    for row_id in claimed:
        with (uow or UnitOfWork()) as u:
            row = get_or_raise(u.session, MailOutbox, row_id)  # just claimed; outbox rows are never deleted
            attempts, has_secret, secret = row.attempts, row.has_secret, row.secret
            outgoing = _Outgoing(row.sender, list(row.recipients), row.subject, row.body)
        try:
            outgoing = replace(outgoing, body=_compose_body(outgoing.body, has_secret, secret))
        except _SecretUnavailable:
            _record(row_id, token, _failure(attempts, "secret unavailable", permanent=True), uow=uow)
            continue
        try:
            _send(outgoing, host)
        except Exception as exc:
            _record(row_id, token, _failure(attempts, f"{type(exc).__name__}: {exc}"), uow=uow)
        else:
            if _record(row_id, token, {"status": MailStatus.SENT, "sent_at": clock.now(), "last_error": None,
                                       "next_attempt_at": None, "secret": None}, uow=uow):
                sent += 1
    return sent


class PeriodicSender(Periodic):
    """Runs `deliver_pending` every `interval` seconds (and when woken), so a mail whose send failed
    goes out once its back-off is over, without waiting for the next mail. Every app server runs one;
    the lease in `_claim_due` lets only one of them send each mail."""

    def __init__(self, interval: float, name: str = "nss-mail-periodic") -> None:
        super().__init__(interval, deliver_pending, name)


# Without SMTP_HOST there is nothing to send, so none runs.
_periodic = OnePerProcess(lambda: PeriodicSender(settings().mail_interval_seconds),
                          enabled=lambda: bool(settings().smtp_host))
start_periodic_sender = _periodic.start
stop_periodic_sender = _periodic.stop


def deliver_in_background() -> None:
    """Called after a commit that queued mail: the user does not wait for the SMTP server."""
    if not settings().smtp_host:
        return
    running = _periodic.running
    if running is not None and running.is_alive():
        running.wake()
    else:
        threading.Thread(target=deliver_pending, name="nss-mail", daemon=True).start()


def retry(actor: Actor, mail_id: int, *, uow: UnitOfWork | None = None) -> None:
    """An administrator sends a waiting or failed mail again now. A mail whose password was already
    erased (it failed for good) cannot be: the password has to be issued again."""
    require_role(actor, ADMIN)
    with (uow or UnitOfWork()) as u:
        row = u.session.get(MailOutbox, mail_id)
        if row and row.status != MailStatus.SENT:
            if row.has_secret and row.secret is None:
                raise DomainError("outbox.secret_erased")
            row.status, row.next_attempt_at = MailStatus.PENDING, clock.now()
            row.claim_token = row.claimed_until = None
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
    body: str                 # as stored: MASK in place of any password
    status: MailStatus
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    secret_erased: bool = False  # it carried a password that is gone: it can no longer be sent


def _outbox_row(r: MailOutbox) -> OutboxRow:
    return OutboxRow(r.id, r.created_at, r.template, r.sender, list(r.recipients), r.subject, r.body,
                     MailStatus(r.status), r.attempts, r.last_error, r.sent_at,
                     secret_erased=bool(r.has_secret) and r.secret is None and r.status != MailStatus.SENT)


def list_outbox(actor: Actor, *, search: str = "", status: MailStatus | None = None,
                page: int = 0, page_size: int = 50, uow: UnitOfWork | None = None) -> tuple[int, list[OutboxRow]]:
    """Every mail, newest first, paginated in the database: administrators only (the desk and
    reviewers see one applicant's deliveries, `deliveries_for`)."""
    require_role(actor, ADMIN)
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


@dataclass(frozen=True)
class MailDelivery:
    """What staff see of a mail to one applicant: never its body."""
    created_at: datetime
    recipients: list[str]
    subject: str
    status: MailStatus
    sent_at: datetime | None


def deliveries_for(actor: Actor, applicant_id: int, *, limit: int = 50,
                   uow: UnitOfWork | None = None) -> list[MailDelivery]:
    """The delivery status of the mails to one applicant, newest first (desk record, review detail)."""
    require_role(actor, ADMIN, DESK, REVIEWER)
    require_applicant_access(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        rows = u.session.execute(
            select(MailOutbox.created_at, MailOutbox.recipients, MailOutbox.subject, MailOutbox.status,
                   MailOutbox.sent_at)
            .where(MailOutbox.applicant_id == applicant_id)
            .order_by(MailOutbox.id.desc()).limit(limit))
        return [MailDelivery(created, list(recipients), subject, MailStatus(status), sent)
                for created, recipients, subject, status, sent in rows]


def mails_to(address: str, *, uow: UnitOfWork | None = None) -> list[OutboxRow]:
    """Every mail for one address, oldest first, as stored (tests use it)."""
    with (uow or UnitOfWork()) as u:
        rows = u.session.scalars(select(MailOutbox).order_by(MailOutbox.id))
        return [_outbox_row(r) for r in rows if address in r.recipients]

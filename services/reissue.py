"""Password re-issue for an office (SPEC §2.5, §6): 事業所コード + 管理責任者 mail + 法人番号.

A match mails a random single-use link to the 管理責任者's registered address (never to the
address typed in). Only the link token's SHA-256 is stored; the link expires after
LINK_LIFETIME and works once. Until it is used the old password keeps working, so a stranger who
knows the three public-ish facts can send the manager a mail, but cannot change anything.

The answer is the same whether anything matched or not, and so is the work done for it (a token
is drawn and hashed either way), so the form tells nobody which offices exist. Requests are limited
per client address and per office code typed (services/ratelimit.py), never globally: a flood of
junk requests blocks only its sender.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from config import settings
from db.models import Applicant, Application, ApplicationSection, PasswordResetToken, User
from services import audit, clock, mail, ratelimit
from services.audit import AuditAction
from services.auth import login_key, set_password, to_actor
from services.authz import UserKind
from services.errors import DomainError, FieldError, ValidationFailed
from services.fields import FieldInvalid, clean_corporate_number, clean_email, to_half_width_ascii
from services.passwords import policy_errors
from services.uow import UnitOfWork, get_or_raise, rows_matched
from services.workflow import ApplicationKind, ApplicationStatus

LINK_LIFETIME = timedelta(minutes=30)
LINK_MINUTES = int(LINK_LIFETIME.total_seconds() // 60)
TOKEN_BYTES = 32                 # secrets.token_urlsafe: 43 characters
MAX_TOKEN_LENGTH = 128           # anything longer in a URL is not one of ours
RESET_URL_PATH = "reset-password"  # the page's url_path in ui/nav.py
# Every answer takes at least this long: a match writes a token, a mail and an audit row (tens of ms
# on PostgreSQL), a miss writes nothing, and the difference must not tell which offices exist.
MIN_ANSWER_SECONDS = 0.25
LINK_INVALID = "reissue.link_invalid"  # unknown, used, expired or superseded: one answer
ADMIN_MANAGER_EMAIL = "admin_manager_email"  # key in the applicant_contact section (wizard uses it too)


@dataclass(frozen=True)
class ResetLink:
    """What the reset page may show about a valid link."""
    office_code: str
    expires_at: datetime


def admin_manager_email(s: Session, applicant_id: int) -> str | None:
    """The 管理責任者 mail of the applicant's approved 新規利用申込."""
    data = s.scalar(
        select(ApplicationSection.data)
        .join(Application, Application.id == ApplicationSection.application_id)
        .where(Application.applicant_id == applicant_id, Application.kind == ApplicationKind.NEW_USAGE,
               Application.status == ApplicationStatus.APPROVED, ApplicationSection.section_key == "applicant_contact")
        .order_by(Application.decided_at.desc(), Application.id.desc()).limit(1))
    value = (data or {}).get(ADMIN_MANAGER_EMAIL)
    return value.strip() if isinstance(value, str) and value.strip() else None


def registered_corporate_numbers(s: Session, applicant: Applicant) -> set[str]:
    """法人番号 from the temporary account and from any screen of the approved application."""
    numbers = {applicant.corporate_number} if applicant.corporate_number else set()
    rows = s.scalars(
        select(ApplicationSection.data)
        .join(Application, Application.id == ApplicationSection.application_id)
        .where(Application.applicant_id == applicant.id, Application.kind == ApplicationKind.NEW_USAGE,
               Application.status == ApplicationStatus.APPROVED))
    numbers.update(str(d["corporate_number"]) for d in rows if d and d.get("corporate_number"))
    return numbers


def usage_start_date(s: Session, applicant_id: int):
    return s.scalar(
        select(Application.start_date)
        .where(Application.applicant_id == applicant_id, Application.kind == ApplicationKind.NEW_USAGE,
               Application.status == ApplicationStatus.APPROVED, Application.start_date.is_not(None))
        .order_by(Application.start_date).limit(1))


def _clean_code(value: str) -> str:
    code = to_half_width_ascii(value or "").strip().upper()
    if not code:
        raise FieldInvalid("field.required")
    if len(code) > 16 or not (code.isascii() and code.isalnum()):
        raise FieldInvalid("reissue.code_format")
    return code


def _clean(office_code: str, email: str, corporate_number: str) -> tuple[str, str, str]:
    errors: dict[str, FieldError] = {}
    values = []
    for name, clean in (("office_code", lambda: _clean_code(office_code)),
                        ("email", lambda: clean_email(email)),
                        ("corporate_number", lambda: clean_corporate_number(corporate_number))):
        try:
            values.append(clean())
        except FieldInvalid as exc:
            errors[name] = exc.error
    if errors:
        raise ValidationFailed(errors)
    return values[0], values[1], values[2]


def _matching_office(s: Session, code: str, email: str, corporate_number: str) -> tuple[User, str] | None:
    user = s.scalar(select(User).where(User.login_key == login_key(code)))
    if user is None or user.kind != UserKind.OFFICE or not user.is_active or user.applicant_id is None:
        return None  # 仮ログイン IDs and staff never get a re-issued password
    applicant = get_or_raise(s, Applicant, user.applicant_id)
    registered = admin_manager_email(s, applicant.id)
    start = usage_start_date(s, applicant.id)
    if (registered is None or registered.lower() != email.lower()
            or corporate_number not in registered_corporate_numbers(s, applicant)
            or start is None or start > clock.today_jst()):
        return None
    return user, registered


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def reset_url(token: str) -> str:
    return f"{settings().base_url}/{RESET_URL_PATH}?token={quote(token, safe='')}"


def request_reissue(office_code: str, email: str, corporate_number: str, *, client: str | None = None,
                    uow: UnitOfWork | None = None) -> None:
    """Returns nothing on purpose: a match and a miss look the same to the visitor.

    Over a limit it raises ratelimit.RateLimited, which tells nothing either: every request counts
    against the client and the office code typed, whether or not that office exists.
    """
    started = time.monotonic()
    try:
        _request(office_code, email, corporate_number, client, uow)
    finally:  # refusals too: a limit says nothing about the office either
        time.sleep(max(0.0, MIN_ANSWER_SECONDS - (time.monotonic() - started)))


def _request(office_code: str, email: str, corporate_number: str, client: str | None,
             uow: UnitOfWork | None) -> None:
    code, email, corporate_number = _clean(office_code, email, corporate_number)
    ratelimit.admit([(ratelimit.REISSUE_PER_CLIENT, client or ratelimit.LOCAL_CLIENT),
                     (ratelimit.REISSUE_PER_OFFICE, code)], uow=uow)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    hashed = token_hash(token)  # drawn and hashed on a miss too: the same work either way
    with (uow or UnitOfWork()) as u:
        s = u.session
        match = _matching_office(s, code, email, corporate_number)
        if match is None:
            return
        user, registered = match
        now = clock.now()
        expires_at = now + LINK_LIFETIME
        s.add(PasswordResetToken(user_id=user.id, token_hash=hashed, created_at=now, expires_at=expires_at))
        # The link is a secret: the outbox keeps ******** in the body and the link encrypted until sent.
        mail.enqueue(s, "password_reset_link", [registered], {
            "office_code": user.login_id, "minutes": LINK_MINUTES,
            "expires_at": expires_at.astimezone(clock.JST).strftime("%Y/%m/%d %H:%M"),
        }, applicant_id=user.applicant_id, secrets={"reset_url": reset_url(token)})
        audit.record(s, to_actor(user), AuditAction.AUTH_REISSUE_LINK_SENT, target_type="user",
                     target_id=user.id, applicant_id=user.applicant_id)
        u.commit()


def _valid_link(s: Session, token: str | None) -> tuple[PasswordResetToken, User] | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = s.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == token_hash(token)))
    if row is None or row.used_at is not None or clock.now() >= row.expires_at:
        return None
    user = s.get(User, row.user_id)
    if user is None or not user.is_active or user.kind != UserKind.OFFICE:
        return None
    if row.created_at < user.password_changed_at:
        return None  # the password changed after this link was sent (another link, or the menu)
    return row, user


def check_link(token: str | None, *, uow: UnitOfWork | None = None) -> ResetLink:
    """The office a link is for, or DomainError(LINK_INVALID) for any link that cannot be used."""
    with (uow or UnitOfWork()) as u:
        found = _valid_link(u.session, token)
        if found is None:
            raise DomainError(LINK_INVALID, minutes=LINK_MINUTES)
        row, user = found
        return ResetLink(user.login_id, row.expires_at)


def reset_password(token: str | None, new: str, new_repeat: str, *, uow: UnitOfWork | None = None) -> str:
    """Set the office's password from a valid link, once; returns the 事業所コード to log in with.

    The link is spent, and so is every other link of that office; every browser still logged in
    with the old password must log in again (services.auth.set_password).
    """
    with (uow or UnitOfWork()) as u:
        s = u.session
        found = _valid_link(s, token)
        if found is None:
            raise DomainError(LINK_INVALID, minutes=LINK_MINUTES)
        row, user = found
        errors: dict[str, FieldError] = {}
        policy = policy_errors(new, user.login_id)
        if policy:
            errors["new"] = policy[0]
        if new != new_repeat:
            errors["new_repeat"] = FieldError("password.mismatch")
        if errors:
            raise ValidationFailed(errors)
        now = clock.now()
        claimed = rows_matched(s, update(PasswordResetToken)
                               .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
                               .values(used_at=now).execution_options(synchronize_session=False))
        if claimed != 1:
            raise DomainError(LINK_INVALID, minutes=LINK_MINUTES)  # the same link sent twice at once: the other one won
        s.execute(update(PasswordResetToken)
                  .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
                  .values(used_at=now).execution_options(synchronize_session=False))
        set_password(user, new, must_change=False)  # chosen by the manager just now
        audit.record(s, to_actor(user), AuditAction.AUTH_PASSWORD_REISSUED, target_type="user",
                     target_id=user.id, applicant_id=user.applicant_id)
        u.commit()
        return user.login_id

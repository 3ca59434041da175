"""Password re-issue for an office (SPEC §2.5): 事業所コード + 管理責任者 mail + 法人番号.

The answer is the same whether anything matched, was refused or was rate-limited, so the form
tells nobody which offices exist. The new password goes only to the 管理責任者's registered
address, never to the address typed in.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection, LoginAttempt, User
from services import audit, clock, mail
from services.audit import AuditAction
from services.auth import login_key, set_password, to_actor
from services.authz import UserKind
from services.errors import FieldError, ValidationFailed
from services.fields import FieldInvalid, clean_corporate_number, clean_email, to_half_width_ascii
from services.passwords import dummy_hash, generate_password, verify_password
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus

WINDOW = timedelta(hours=1)
PER_CODE_LIMIT = 5      # per 事業所コード and hour
PER_CLIENT_LIMIT = 10   # per browser session and hour
GLOBAL_LIMIT = 20       # for the whole portal and hour: re-issue is rare, a flood is an attack
KEY_PREFIX = "reissue:"
ADMIN_MANAGER_EMAIL = "admin_manager_email"  # key in the applicant_contact section (wizard uses it too)


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


def _recent(s: Session, key: str) -> int:
    return s.scalar(select(func.count()).select_from(LoginAttempt)
                    .where(LoginAttempt.login_key == key, LoginAttempt.at > clock.now() - WINDOW)) or 0


def _rate_limited(s: Session, code: str, client_key: str | None) -> bool:
    """Counts this request, then says whether any window is already over its limit."""
    keys = {f"{KEY_PREFIX}{code.lower()}"[:64]: PER_CODE_LIMIT, f"{KEY_PREFIX}*": GLOBAL_LIMIT}
    if client_key:
        keys[f"{KEY_PREFIX}client:{client_key}"[:64]] = PER_CLIENT_LIMIT
    limited = any(_recent(s, key) >= limit for key, limit in keys.items())
    for key in keys:
        s.add(LoginAttempt(login_key=key, at=clock.now(), success=False))
    return limited


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


def request_reissue(office_code: str, email: str, corporate_number: str, *, client_key: str | None = None,
                    uow: UnitOfWork | None = None) -> None:
    """Returns nothing on purpose: every outcome looks the same to the visitor."""
    code, email, corporate_number = _clean(office_code, email, corporate_number)
    with (uow or UnitOfWork()) as u:
        s = u.session
        if _rate_limited(s, code, client_key):
            u.commit()
            return
        match = _matching_office(s, code, email, corporate_number)
        if match is None:
            verify_password("x", dummy_hash())  # costs what hashing a new password costs
            u.commit()
            return
        user, registered = match
        password = generate_password()
        set_password(user, password, must_change=True)  # whoever used the old password is logged out
        mail.enqueue(s, "password_reissued", [registered], {"office_code": user.login_id},
                     applicant_id=user.applicant_id, secrets={"password": password})
        audit.record(s, to_actor(user), AuditAction.AUTH_PASSWORD_REISSUED, target_type="user",
                     target_id=user.id, applicant_id=user.applicant_id)
        u.commit()

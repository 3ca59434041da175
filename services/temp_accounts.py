"""仮アカウントの発行 (SPEC §2.1): terms agreement, applicant contact, 仮ログイン ID and 仮パスワード by mail.

The same function serves the public page (via="WEB") and the support desk on the phone
(via="PHONE", terms agreement given by phone, recorded as entered by the desk user).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import settings
from db.models import Applicant, TermsVersion, User
from db.uow import uow
from services import audit, clock, codes, mail
from services.auth import create_user, to_actor
from services.authz import APPLICANT, DESK, Actor, require_role
from services.errors import DomainError, FieldError, NotFound, ValidationFailed
from services.fields import (
    FieldInvalid, clean_corporate_number, clean_email, clean_kana, clean_phone, clean_required_text,
    phone_digits,
)
from services.passwords import generate_password

WEB, PHONE = "WEB", "PHONE"
TEMP_REGISTERED = "TEMP_REGISTERED"  # 仮ログイン登録完了
TERMS_CHANGED = "temp_account.terms_changed"
MUST_AGREE = "temp_account.must_agree"


@dataclass(frozen=True)
class Terms:
    id: int
    version: str
    body: str


@dataclass
class TempAccountForm:
    """What the 申込担当者 screen collects; raw strings as typed."""
    contact_name: str = ""
    contact_kana: str = ""
    company_name: str = ""
    department: str = ""
    phone: str = ""
    email: str = ""
    email_confirm: str = ""
    corporate_number: str = ""
    sole_proprietor: bool = False  # 個人事業主: no 法人番号
    terms_version_id: int | None = None
    agreed: bool = False
    submission_token: str | None = None


@dataclass(frozen=True)
class IssuedTempAccount:
    applicant_id: int
    temp_login_id: str
    email: str
    expires_at: datetime
    via: str


def current_terms() -> Terms:
    with uow() as s:
        row = newest_terms(s)
        if row is None:
            raise NotFound()
        return Terms(row.id, row.version, row.body)


def newest_terms(s: Session) -> TermsVersion | None:
    return s.scalar(select(TermsVersion).order_by(TermsVersion.created_at.desc(), TermsVersion.id.desc())
                    .limit(1))


def _field(errors: dict[str, FieldError], name: str, clean: Callable[[], Any]) -> Any:
    try:
        return clean()
    except FieldInvalid as exc:
        errors[name] = exc.error
        return None


def clean_form(form: TempAccountForm) -> dict[str, Any]:
    """Normalised values, or ValidationFailed with one message per wrong field."""
    errors: dict[str, FieldError] = {}
    values = {
        "contact_name": _field(errors, "contact_name", lambda: clean_required_text(form.contact_name, 100)),
        "contact_kana": _field(errors, "contact_kana", lambda: clean_kana(form.contact_kana, 100)),
        "company_name": _field(errors, "company_name", lambda: clean_required_text(form.company_name, 200)),
        "department": _field(errors, "department",
                             lambda: clean_required_text(form.department, 200, required=False)),
        "phone": _field(errors, "phone", lambda: clean_phone(form.phone)),
        "email": _field(errors, "email", lambda: clean_email(form.email)),
        "corporate_number": _field(errors, "corporate_number", lambda: clean_corporate_number(
            form.corporate_number, required=not form.sole_proprietor)),
    }
    confirm = _field(errors, "email_confirm", lambda: clean_email(form.email_confirm))
    if "email" not in errors and "email_confirm" not in errors and confirm.lower() != values["email"].lower():
        errors["email_confirm"] = FieldError("field.email_mismatch")
    if not form.agreed:
        errors["agreed"] = FieldError(MUST_AGREE)
    if errors:
        raise ValidationFailed(errors)
    return values


def _as_form(data: TempAccountForm | Mapping[str, Any]) -> TempAccountForm:
    return data if isinstance(data, TempAccountForm) else TempAccountForm(**dict(data))


def _result(applicant: Applicant) -> IssuedTempAccount:
    return IssuedTempAccount(applicant.id, applicant.temp_login_id, applicant.email,
                             applicant.temp_expires_at, applicant.terms_agreed_via)


def _already_issued(token: str | None) -> IssuedTempAccount | None:
    if not token:
        return None
    with uow() as s:
        applicant = s.scalar(select(Applicant).where(Applicant.submission_token == token))
        return _result(applicant) if applicant else None


def expiry_text(expires_at: datetime) -> str:
    """The deadline as written in the mail: JST, to the minute."""
    return expires_at.astimezone(clock.JST).strftime("%Y/%m/%d %H:%M")


def create_temp_account(s: Session, values: dict[str, Any], *, terms: TermsVersion, via: str,
                        password: str, issued_by: Actor | None = None, submission_token: str | None = None,
                        is_demo: bool = False, temp_login_id: str | None = None,
                        password_hash: str | None = None) -> tuple[Applicant, User]:
    """Adds the applicant and its TEMP user to the session and queues the mail; the caller commits.

    `temp_login_id` and `password_hash` (the precomputed hash of `password`) are for demo data only.
    """
    now = clock.now()
    applicant = Applicant(
        temp_login_id=temp_login_id or codes.new_temp_login_id(s), status=TEMP_REGISTERED,
        contact_name=values["contact_name"], contact_kana=values["contact_kana"],
        company_name=values["company_name"], department=values["department"] or None,
        phone=values["phone"], phone_digits=phone_digits(values["phone"]),
        email=values["email"], email_lower=values["email"].lower(),
        corporate_number=values["corporate_number"] or None,
        terms_version_id=terms.id, terms_agreed_at=now, terms_agreed_via=via,
        issued_by_user_id=issued_by.user_id if issued_by else None, issued_at=now,
        temp_expires_at=now + timedelta(hours=settings().temp_account_hours),
        is_demo=is_demo, submission_token=submission_token)
    s.add(applicant)
    s.flush()
    # A temporary password is used until approval, so it is not forced to change (SPEC §2.1).
    user = create_user(s, login_id=applicant.temp_login_id, display_name=applicant.contact_name,
                       password=None if password_hash else password, password_hash=password_hash,
                       roles={APPLICANT}, kind="TEMP", email=applicant.email,
                       applicant_id=applicant.id, must_change_password=False, is_demo=is_demo)
    s.flush()
    mail.enqueue(s, "temp_account_issued", [applicant.email], {
        "name": applicant.contact_name, "company": applicant.company_name,
        "temp_login_id": applicant.temp_login_id, "temp_password": password,
        "hours": settings().temp_account_hours, "expires_at": expiry_text(applicant.temp_expires_at),
    }, applicant_id=applicant.id)
    audit.record(s, issued_by or to_actor(user), "temp_account.issued", target_type="applicant",
                 target_id=applicant.id, applicant_id=applicant.id,
                 after={"via": via, "terms_version": terms.version, "temp_login_id": applicant.temp_login_id,
                        "terms_agreed_by_phone": via == PHONE})
    return applicant, user


def issue_temp_account(actor: Actor | None, data: TempAccountForm | Mapping[str, Any],
                       via: str = WEB) -> IssuedTempAccount:
    """Issues the account and queues its mail in one transaction, then sends the mail.

    The same submission token twice (a double click) returns the first account again.
    """
    if via == PHONE:
        require_role(actor, DESK)
    elif via != WEB:
        raise DomainError("temp_account.bad_channel")
    form = _as_form(data)
    values = clean_form(form)
    if (existing := _already_issued(form.submission_token)) is not None:
        return existing
    try:
        with uow() as s:
            terms = newest_terms(s)
            if terms is None or terms.id != form.terms_version_id:
                raise DomainError(TERMS_CHANGED)
            applicant, _ = create_temp_account(s, values, terms=terms, via=via, password=generate_password(),
                                               issued_by=actor if via == PHONE else None,
                                               submission_token=form.submission_token)
            result = _result(applicant)
            s.commit()
    except IntegrityError:
        # The twin of this submission committed first (unique submission token): answer with its account.
        if (existing := _already_issued(form.submission_token)) is not None:
            return existing
        raise
    mail.deliver_in_background()
    return result

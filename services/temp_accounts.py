"""仮アカウントの発行 (SPEC §2.1): terms agreement, applicant contact, 仮ログイン ID and 仮パスワード by mail.

The same function serves the public page (via=Channel.WEB) and the support desk on the phone
(via=Channel.PHONE, terms agreement given by phone, recorded as entered by the desk user).
The form's fields are field specs (services.application.fieldspec), checked by the wizard's engine
and drawn by ui.temp_account_form on both screens.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config import settings
from db.models import Applicant, TermsVersion, User
from services import audit, clock, codes, deadlines, mail, ratelimit
from services.applicant_status import STOPPED, ApplicantStatus  # noqa: F401 (re-exported: its home before)
from services.application import fieldspec as fs
from services.audit import AuditAction
from services.auth import create_user, to_actor
from services.authz import APPLICANT, DESK, Actor, UserKind, require_role
from services.errors import DomainError, FieldError, NotFound, ValidationFailed
from services.fields import phone_digits
from services.mail_text import neutral
from services.passwords import generate_password
from services.terms import in_force_at
from services.uow import UnitOfWork


class Channel(StrEnum):
    """How the terms were agreed and the account asked for (Applicant.terms_agreed_via)."""
    WEB = "WEB"
    PHONE = "PHONE"


TERMS_CHANGED = "temp_account.terms_changed"
MUST_AGREE = "temp_account.must_agree"
BAD_CHANNEL = "temp_account.bad_channel"
CORPORATE_NUMBER = "corporate_number"

# The 申込担当者 form, in screen order; the 法人番号 is required unless 個人事業主 is ticked.
FIELDS: tuple[fs.FieldSpec, ...] = (
    fs.FieldSpec("contact_name", fs.TEXT, max_len=100),
    fs.FieldSpec("contact_kana", fs.KANA, max_len=100),
    fs.FieldSpec("company_name", fs.TEXT, max_len=200),
    fs.FieldSpec("department", fs.TEXT, required=False, max_len=200),
    fs.FieldSpec("phone", fs.PHONE),
    fs.FieldSpec("email", fs.EMAIL),
    fs.FieldSpec("email_confirm", fs.EMAIL, same_as="email", hidden_in_view=True),
    fs.FieldSpec(CORPORATE_NUMBER, fs.CORP_NO),
)
TEXT_FIELDS = tuple(spec.name for spec in FIELDS)


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


def current_terms(*, uow: UnitOfWork | None = None) -> Terms:
    with (uow or UnitOfWork()) as u:
        row = terms_in_force(u.session)
        return Terms(row.id, row.version, row.body)


def terms_in_force(s: Session) -> TermsVersion:
    """The version in force now (services.terms.in_force_at); NotFound while none is."""
    row = in_force_at(s, clock.now())
    if row is None:
        raise NotFound()
    return row


def _specs(sole_proprietor: bool) -> tuple[fs.FieldSpec, ...]:
    return tuple(replace(spec, required=False) if spec.name == CORPORATE_NUMBER and sole_proprietor else spec
                 for spec in FIELDS)


def clean_form(form: TempAccountForm) -> dict[str, Any]:
    """Normalised values, or ValidationFailed with one message per wrong field."""
    checked = fs.validate_fields(_specs(form.sole_proprietor), asdict(form), fs.Context())
    errors = dict(checked.errors)
    if "email" in errors and errors.get("email_confirm") == FieldError("field.email_mismatch"):
        del errors["email_confirm"]  # nothing to compare with while the address itself is wrong
    if not form.agreed:
        errors["agreed"] = FieldError(MUST_AGREE)
    if errors:
        raise ValidationFailed(errors)
    return {name: checked.data[name] for name in TEXT_FIELDS if name != "email_confirm"}


def _result(applicant: Applicant) -> IssuedTempAccount:
    return IssuedTempAccount(applicant.id, applicant.temp_login_id, applicant.email,
                             applicant.temp_expires_at, applicant.terms_agreed_via)


def _already_issued(token: str | None, uow: UnitOfWork | None = None) -> IssuedTempAccount | None:
    if not token:
        return None
    with (uow or UnitOfWork()) as u:
        applicant = u.session.scalar(select(Applicant).where(Applicant.submission_token == token))
        return _result(applicant) if applicant else None


def expiry_text(expires_at: datetime) -> str:
    """The deadline as written in the mail: JST, to the minute."""
    return expires_at.astimezone(clock.JST).strftime("%Y/%m/%d %H:%M")


def create_temp_account(s: Session, values: dict[str, Any], *, terms: TermsVersion, via: Channel,
                        password: str, issued_by: Actor | None = None, submission_token: str | None = None,
                        is_demo: bool = False, temp_login_id: str | None = None,
                        password_hash: str | None = None) -> tuple[Applicant, User]:
    """Adds the applicant and its TEMP user to the session and queues the mail; the caller commits.

    `temp_login_id` and `password_hash` (the precomputed hash of `password`) are for demo data only.
    """
    now = clock.now()
    applicant = Applicant(
        temp_login_id=temp_login_id or codes.new_temp_login_id(s), status=ApplicantStatus.TEMP_REGISTERED,
        contact_name=values["contact_name"], contact_kana=values["contact_kana"],
        company_name=values["company_name"], department=values["department"] or None,
        phone=values["phone"], phone_digits=phone_digits(values["phone"]),
        email=values["email"], email_lower=values["email"].lower(),
        corporate_number=values["corporate_number"] or None,
        terms_version_id=terms.id, terms_agreed_at=now, terms_agreed_via=via,
        issued_by_user_id=issued_by.user_id if issued_by else None, issued_at=now,
        temp_expires_at=deadlines.temp_account_expiry(now),
        is_demo=is_demo, submission_token=submission_token)
    s.add(applicant)
    s.flush()
    # The 仮パスワード was mailed: it is single-use-to-change (SPEC §6), so the first login changes it.
    # Demo accounts are logged into by button with a published password, and are not forced.
    user = create_user(s, login_id=applicant.temp_login_id, display_name=applicant.contact_name,
                       password=None if password_hash else password, password_hash=password_hash,
                       roles={APPLICANT}, kind=UserKind.TEMP, email=applicant.email,
                       applicant_id=applicant.id, must_change_password=not is_demo, is_demo=is_demo)
    s.flush()
    mail.enqueue(s, "temp_account_issued", [applicant.email], {
        "name": neutral(applicant.contact_name), "company": neutral(applicant.company_name),  # typed text: inert
        "temp_login_id": applicant.temp_login_id,
        "hours": settings().temp_account_hours, "expires_at": expiry_text(applicant.temp_expires_at),
    }, applicant_id=applicant.id, secrets={"temp_password": password})
    audit.record(s, issued_by or to_actor(user), AuditAction.TEMP_ACCOUNT_ISSUED, target_type="applicant",
                 target_id=applicant.id, applicant_id=applicant.id,
                 after={"via": Channel(via).value, "terms_version": terms.version, "temp_login_id": applicant.temp_login_id,
                        "terms_agreed_by_phone": via == Channel.PHONE})
    return applicant, user


def issue_limits(actor: Actor | None, via: Channel, email: str,
                 client: str | None) -> list[tuple[ratelimit.Limit, str]]:
    """What one issue counts against: the desk per staff user; the public page per client
    address, recipient address, recipient domain and overall (each mail goes to a typed address)."""
    if via == Channel.PHONE and actor is not None:
        return [(ratelimit.TEMP_ACCOUNT_PER_STAFF, str(actor.user_id))]
    return [(ratelimit.TEMP_ACCOUNT_PER_CLIENT, client or ratelimit.LOCAL_CLIENT),
            (ratelimit.TEMP_ACCOUNT_PER_RECIPIENT, email),
            (ratelimit.TEMP_ACCOUNT_PER_DOMAIN, email.rpartition("@")[2]),
            (ratelimit.TEMP_ACCOUNT_OVERALL, ratelimit.OVERALL_KEY)]


def issue_temp_account(actor: Actor | None, form: TempAccountForm, via: Channel = Channel.WEB, *,
                       client: str | None = None, uow: UnitOfWork | None = None) -> IssuedTempAccount:
    """Issues the account and queues its mail in one transaction; the mail goes out after the commit.

    The same submission token twice (a double click) returns the first account again. Each new
    issue counts against `issue_limits` first (`client`: the requester's address, from the UI);
    over one of them it raises ratelimit.RateLimited and nothing is issued or mailed.
    """
    if via == Channel.PHONE:
        require_role(actor, DESK)
    elif via != Channel.WEB:
        raise DomainError(BAD_CHANNEL)
    values = clean_form(form)
    if (existing := _already_issued(form.submission_token, uow)) is not None:
        return existing
    ratelimit.admit(issue_limits(actor, Channel(via), values["email"], client), uow=uow)
    try:
        with (uow or UnitOfWork()) as u:
            s = u.session
            # The version shown must still be the one in force: a newer one may have taken effect
            # meanwhile (00:00 JST), and the account keeps the version it agreed to for good.
            in_force = in_force_at(s, clock.now())
            if in_force is None or in_force.id != form.terms_version_id:
                raise DomainError(TERMS_CHANGED)
            applicant, _ = create_temp_account(s, values, terms=in_force, via=Channel(via),
                                               password=generate_password(),
                                               issued_by=actor if via == Channel.PHONE else None,
                                               submission_token=form.submission_token)
            result = _result(applicant)
            u.commit()
    except IntegrityError:
        # The twin of this submission committed first (unique submission token): answer with its account.
        if (existing := _already_issued(form.submission_token)) is not None:
            return existing
        raise
    return result

"""Starting a 解約申込 and what it may ask for (SPEC §2.6).

Only the office itself (事業所コード) or the desk entering for it (authz.require_office). One open
解約申込 per office at a time: starting again opens the one in progress. What it asks for is checked
on 「申込む」 (`missing_items`, the submit rule of services.application.submit): the 解約日 lies
after today (JST) and within a year; a single 利用者コード must be one of the office's codes still in
use and not already being cancelled, and not its last one (that is the whole contract). A whole
contract already approved for cancellation takes no second 解約申込.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, UserCode
from services import clock, mail
from services.applicant_status import ApplicantStatus
from services.application.create import create_draft, lock_applicant, open_procedure
from services.authz import Actor, require_office
from services.cancellation.sections import REQUEST, SECTIONS, Scope, context_of
from services.errors import DomainError, FieldError
from services.mail_text import neutral
from services.system_settings import office
from services.system_settings.registrations import is_live
from services.uow import UnitOfWork, get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus

MAX_AHEAD = timedelta(days=366)
RECEIPT_TEMPLATE = "cancellation_receipt"


@dataclass(frozen=True)
class CancellationChoices:
    """What the 解約申込 page offers: the 利用者コード that may be cancelled one by one, and what is
    already on its way (the whole contract or codes approved for a later 解約日)."""
    user_codes: tuple[str, ...]
    open_application_id: int | None
    contract_ends_on: date | None          # an approved whole-contract 解約申込's 解約日
    codes_ending: dict[str, date]          # 利用者コード approved for cancellation, not yet retired


def _open(s: Session, applicant_id: int) -> Application | None:
    return open_procedure(s, ApplicationKind.CANCELLATION, Application.applicant_id == applicant_id)


def _pending(s: Session, applicant_id: int) -> list[tuple[str | None, date]]:
    """Approved 解約申込 not yet in effect: (利用者コード or None for the whole contract, 解約日)."""
    rows = s.execute(
        select(UserCode.user_code, Application.effective_date)
        .outerjoin(UserCode, UserCode.id == Application.user_code_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(Application.applicant_id == applicant_id, Application.kind == ApplicationKind.CANCELLATION,
               Application.status == ApplicationStatus.APPROVED, Applicant.status == ApplicantStatus.OFFICE,
               or_(Application.user_code_id.is_(None), UserCode.retired_at.is_(None)))
        .order_by(Application.effective_date))
    return [(code, day) for code, day in rows.tuples() if day is not None]


def _codes_in_use(s: Session, applicant_id: int) -> list[str]:
    return list(s.scalars(select(UserCode.user_code).where(UserCode.applicant_id == applicant_id,
                                                           is_live())
                          .order_by(UserCode.user_code)))


def choices(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> CancellationChoices:
    require_office(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        pending = _pending(s, applicant_id)
        ending = {code: day for code, day in pending if code is not None}
        contract_ends = next((day for code, day in pending if code is None), None)
        app = _open(s, applicant_id)
        return CancellationChoices(tuple(c for c in _codes_in_use(s, applicant_id) if c not in ending),
                                   app.id if app else None, contract_ends, ending)


def start_cancellation(actor: Actor, applicant_id: int, *, uow: UnitOfWork | None = None) -> int:
    """The id of the office's open 解約申込, started now (入力中) if there is none."""
    require_office(actor, applicant_id)
    with (uow or UnitOfWork()) as u:
        s = u.session
        lock_applicant(s, applicant_id)  # as application.start: a second click waits, then finds this one
        existing = _open(s, applicant_id)
        if existing is not None:
            return existing.id
        applicant = get_or_raise(s, Applicant, applicant_id)
        if any(code is None for code, _ in _pending(s, applicant_id)):
            raise DomainError("cancellation.error.contract_already_ending")
        app_id = create_draft(s, actor, ApplicationKind.CANCELLATION, applicant_id, screens=SECTIONS,
                              company_name=office.company_name(office.new_usage_screens(s, applicant_id), applicant))
        u.commit()
        return app_id


def requested(sections: dict[str, dict]) -> tuple[Scope | None, str | None, date | None, str]:
    """(scope, 利用者コード, 解約日, reason) as the screen holds them (None where not valid)."""
    data = sections.get(REQUEST) or {}
    scope = Scope(data["scope"]) if data.get("scope") in tuple(Scope) else None
    code = str(data.get("user_code") or "").strip().upper() or None if scope == Scope.USER_CODE else None
    try:
        day = date.fromisoformat(str(data.get("cancel_date") or ""))
    except ValueError:
        day = None
    return scope, code, day, str(data.get("reason") or "")


def date_error(day: date, today: date) -> FieldError | None:
    if day <= today:
        return FieldError("cancellation.error.date_not_future")
    if day > today + MAX_AHEAD:
        return FieldError("cancellation.error.date_too_far", {"days": MAX_AHEAD.days})
    return None


def missing_items(s: Session, app: Application, sections: dict[str, dict]) -> dict[str, FieldError]:
    """Everything that stops 「申込む」, keyed "cx_request.<field>" like the wizard's errors."""
    section = SECTIONS[0]
    checked = section.check(sections.get(REQUEST), context_of({}))
    errors = {f"{REQUEST}.{path}": err for path, err in checked.errors.items()}
    scope, code, day, _ = requested({REQUEST: checked.data})
    err = date_error(day, clock.today_jst()) if day is not None else None
    if err is not None and f"{REQUEST}.cancel_date" not in errors:
        errors[f"{REQUEST}.cancel_date"] = err
    pending = _pending(s, app.applicant_id)
    if any(c is None for c, _ in pending):
        errors[f"{REQUEST}.scope"] = FieldError("cancellation.error.contract_already_ending")
    if scope == Scope.USER_CODE and code and f"{REQUEST}.user_code" not in errors:
        in_use = _codes_in_use(s, app.applicant_id)
        if code not in in_use:
            errors[f"{REQUEST}.user_code"] = FieldError("cancellation.error.unknown_user_code")
        elif code in {c for c, _ in pending}:
            errors[f"{REQUEST}.user_code"] = FieldError("cancellation.error.code_already_ending")
        elif len(in_use) - len([c for c, _ in pending if c]) <= 1:
            errors[f"{REQUEST}.user_code"] = FieldError("cancellation.error.last_user_code")
    return errors


def send_receipt(s: Session, app: Application, sections: dict[str, dict], now: datetime) -> None:
    """受付完了 to the 申込事務担当者 and the 管理責任者 of the office's 新規利用申込."""
    applicant = get_or_raise(s, Applicant, app.applicant_id)
    scope, code, day, _ = requested(sections)
    mail.enqueue(s, RECEIPT_TEMPLATE, office.mail_recipients(s, app.applicant_id, applicant.email),
                 {"ref_no": app.ref_no, "company_name": neutral(app.company_name or applicant.company_name),
                  "contact_name": neutral(applicant.contact_name), "target": target_text(code),
                  "cancel_date": day.strftime("%Y/%m/%d") if day else "",
                  "submitted_at": now.astimezone(clock.JST).strftime("%Y/%m/%d %H:%M")},
                 applicant_id=app.applicant_id)


def target_text(code: str | None) -> str:
    """The 解約の対象 line of the mails (Japanese, like the templates)."""
    return f"利用者コード {code}" if code else "契約全体（事業所コードでのログインを含む）"

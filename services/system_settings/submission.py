"""What a システム設定申込 needs before 「申込む」 (SPEC §2.4), and its 受付完了 mail.

On a first システム設定申込 for a 利用者コード, 「名称」 must be complete and every shown 「業種」
tab 入力済; a later one registers what it carries, so an untouched tab is allowed but a tab begun
must be complete, and it must carry something. Every 業種 tab carried needs the survey forms of
its 業種 (db/system_settings_fields.toml) attached. Errors are keyed "<tab>.<field>" like the wizard's.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, Attachment, UserCode
from services import clock, mail
from services.application.sections import EMPTY
from services.errors import FieldError
from services.mail_text import neutral
from services.system_settings import office
from services.system_settings.sections import (
    CONTACT,
    NAME,
    context_of,
    screens,
    survey_forms_for,
)
from services.uow import get_or_raise
from services.workflow import ApplicationKind, ApplicationStatus

RECEIPT_TEMPLATE = "system_settings_receipt"
NOTHING_TO_REGISTER = f"{NAME}.registration"


def is_first(s: Session, app: Application) -> bool:
    """No システム設定申込 for this 利用者コード has been approved yet."""
    return s.scalar(select(Application.id).where(
        Application.kind == ApplicationKind.SYSTEM_SETTINGS, Application.user_code_id == app.user_code_id,
        Application.status == ApplicationStatus.APPROVED, Application.id != app.id).limit(1)) is None


def carried_sections(sections: dict[str, dict], industries: str | None, first: bool) -> list[str]:
    """The 名称 / 業種 tabs this application registers: all shown ones on a first application,
    else those with anything entered."""
    ctx = context_of(sections, industries)
    keys = []
    for section in screens().input_sections:
        if section.key == CONTACT or not section.applies(ctx):
            continue
        if first or section.status(sections.get(section.key), ctx) != EMPTY:
            keys.append(section.key)
    return keys


def missing_items(s: Session, app: Application, sections: dict[str, dict]) -> dict[str, FieldError]:
    ctx = context_of(sections, app.industries)
    first = is_first(s, app)
    carried = carried_sections(sections, app.industries, first)
    errors: dict[str, FieldError] = {}
    for section in screens().input_sections:
        if section.applies(ctx) and (section.key == CONTACT or section.key in carried):
            checked = section.check(sections.get(section.key), ctx)
            errors.update({f"{section.key}.{path}": err for path, err in checked.errors.items()})
    if not carried:
        errors[NOTHING_TO_REGISTER] = FieldError("system_settings.error.nothing_to_register")
    attached = set(s.scalars(select(Attachment.purpose).where(Attachment.application_id == app.id)))
    for key in carried:
        industry = screens().section_industry.get(key)
        for form in survey_forms_for((industry,)) if industry else ():
            if form not in attached:
                errors[f"{key}.{form}"] = FieldError("system_settings.error.survey_form_required")
    return errors


def send_receipt(s: Session, app: Application, sections: dict[str, dict], now: datetime) -> None:
    """受付完了 to the 申込事務担当者 and the 管理責任者 of the office's 新規利用申込."""
    applicant = get_or_raise(s, Applicant, app.applicant_id)
    code = get_or_raise(s, UserCode, app.user_code_id) if app.user_code_id else None
    contact = sections.get(CONTACT, {})
    mail.enqueue(s, RECEIPT_TEMPLATE, office.mail_recipients(s, app.applicant_id, contact.get("contact_email")),
                 {"ref_no": app.ref_no, "company_name": neutral(app.company_name or applicant.company_name),
                  "clerk_name": neutral(contact.get("contact_name", "")),
                  "user_code": code.user_code if code else "",
                  "submitted_at": now.astimezone(clock.JST).strftime("%Y/%m/%d %H:%M")},
                 applicant_id=app.applicant_id)

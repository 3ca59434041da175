"""What the office's approved 新規利用申込 says about it: the addresses the システム設定申込's mails go
to (申込事務担当者 and 管理責任者, SPEC §2.4) and the data its screens are pre-filled from."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection
from services.workflow import ApplicationKind, ApplicationStatus

APPLICANT_CONTACT, OFFICE, LINE = "applicant_contact", "office", "line"  # 新規利用申込 screens read here


def approved_new_usage(s: Session, applicant_id: int) -> Application | None:
    return s.scalar(select(Application).where(
        Application.applicant_id == applicant_id, Application.kind == ApplicationKind.NEW_USAGE,
        Application.status == ApplicationStatus.APPROVED).order_by(Application.id.desc()).limit(1))


def new_usage_screens(s: Session, applicant_id: int) -> dict[str, dict]:
    """The approved 新規利用申込's screens by key ({} when there is none)."""
    app = approved_new_usage(s, applicant_id)
    if app is None:
        return {}
    return {r.section_key: dict(r.data or {}) for r in s.scalars(
        select(ApplicationSection).where(ApplicationSection.application_id == app.id))}


def company_name(screens: dict[str, dict], applicant: Applicant) -> str:
    """The 企業名 a later procedure of the office carries (what reviewers see): the 新規利用申込's
    事業所・企業 (`screens`, as new_usage_screens gives them), else the temporary account's 会社名."""
    return (screens.get(OFFICE, {}).get("company_name") or applicant.company_name)[:100]


def mail_recipients(s: Session, applicant_id: int, fallback: str | None = None) -> list[str]:
    """申込事務担当者 and 管理責任者 from the approved 新規利用申込; `fallback` when neither is known."""
    contact = new_usage_screens(s, applicant_id).get(APPLICANT_CONTACT, {})
    found = [contact.get(k) for k in ("application_clerk_email", "admin_manager_email")]
    return [a for a in found if a] or ([fallback] if fallback else [])

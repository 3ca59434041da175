"""What an approval issues (SPEC §2.2): 事業所コード and 事業所パスワード (a new OFFICE login; the
仮ログイン ID stops working at the office's first login) and the 利用者コード with their 識別番号. Runs inside the approval's
transaction: any failure later rolls all of it back, reserved codes included."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Applicant, Application, ApplicationSection, UserCode
from services import clock, codes
from services.auth import create_user
from services.authz import APPLICANT, UserKind
from services.passwords import generate_password
from services.temp_accounts import ApplicantStatus
from services.workflow import ApplicationKind


@dataclass(frozen=True)
class IssuedIds:
    office_code: str
    office_password: str | None     # None when the office already existed (later procedures)
    user_ids: list[str]             # 利用者ID = 利用者コード + 識別番号


def section_data(s: Session, application_id: int, key: str) -> dict:
    data = s.scalar(select(ApplicationSection.data).where(ApplicationSection.application_id == application_id,
                                                          ApplicationSection.section_key == key))
    return data or {}


def _issue_office(s: Session, applicant: Applicant, admin_manager_email: str | None) -> tuple[str, str | None]:
    if applicant.office_code:
        return applicant.office_code, None
    office_code = codes.new_office_code(s)
    password = generate_password()
    applicant.office_code = office_code
    applicant.status = ApplicantStatus.OFFICE
    create_user(s, login_id=office_code, display_name=applicant.company_name, password=password,
                roles={APPLICANT}, kind=UserKind.OFFICE, email=admin_manager_email or applicant.email,
                applicant_id=applicant.id, must_change_password=True)
    # The 仮ログイン ID keeps working until the office first logs in (services.auth.retire_temp_logins):
    # it is how the applicant reads the ID notice with the new 事業所パスワード.
    return office_code, password


def _issue_user_codes(s: Session, application: Application) -> list[str]:
    user_ids: list[str] = []
    for row in section_data(s, application.id, "user_code").get("user_codes", []):
        code = codes.new_user_code(s)
        numbers = codes.new_id_numbers(s, code, max(1, int(row.get("id_number_count") or 1)))
        s.add(UserCode(applicant_id=application.applicant_id, application_id=application.id, user_code=code,
                       system_category=row.get("system_category", ""), industries=list(row.get("industries", [])),
                       id_numbers=numbers, created_at=clock.now()))
        user_ids += [code + n for n in numbers]
    return user_ids


def issue_for_approval(s: Session, application: Application, applicant: Applicant) -> IssuedIds:
    """Codes come with the 新規利用申込 only; later procedures of an existing office issue none here."""
    if application.kind != ApplicationKind.NEW_USAGE:
        return IssuedIds(applicant.office_code or "", None, [])
    contact = section_data(s, application.id, "applicant_contact")
    office_code, password = _issue_office(s, applicant, contact.get("admin_manager_email"))
    return IssuedIds(office_code, password, _issue_user_codes(s, application))

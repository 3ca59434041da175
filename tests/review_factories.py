"""Applications for review tests, inserted directly (no wizard): Applicant + Application + sections."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select

from db.models import Applicant, Application, ApplicationSection, Attachment, TermsVersion, User
from services import clock
from services.demo.testdata import complete_sections
from services.auth import create_user
from services.uow import UnitOfWork

_seq = itertools.count(1)


def section_payloads(connection_type: str = "NET", industries=("通関業",), clerk="clerk@example.jp",
                     manager="manager@example.jp") -> dict[str, dict]:
    """The wizard's complete screens, with two 利用者コード rows (2 and 1 識別番号)."""
    data = complete_sections(connection_type, clerk_email=clerk, manager_email=manager, company="テスト物流株式会社")
    data["user_code"] = {"user_codes": [
        {"system_category": "海上", "industries": list(industries), "id_number_count": 2,
         "management_reports": True, "bonded_storage_service": False},
        {"system_category": "航空", "industries": ["航空会社"], "id_number_count": 1,
         "management_reports": False, "bonded_storage_service": True}]}
    return data


def make_application(*, status: str = "SUBMITTED", connection_type: str = "NET", industries=("通関業",),
                     submitted_at: datetime | None = None, assignee_id: int | None = None,
                     company: str = "テスト物流株式会社", kind: str = "NEW_USAGE", with_temp_user: bool = True,
                     attachment: tuple[str, bytes] | None = None) -> tuple[int, int]:
    """Returns (application id, applicant id)."""
    n = next(_seq)
    now = clock.now()
    with UnitOfWork() as u:
        s = u.session
        terms_id = s.scalar(select(TermsVersion.id))
        applicant = Applicant(
            temp_login_id=f"T{n:09d}", status="TEMP_REGISTERED", contact_name="山田 太郎", contact_kana="ヤマダ タロウ",
            company_name=company, phone="03-1234-5678", phone_digits="0312345678", email=f"a{n}@example.jp",
            email_lower=f"a{n}@example.jp", terms_version_id=terms_id, terms_agreed_at=now, terms_agreed_via="WEB",
            issued_at=now, temp_expires_at=now + timedelta(hours=48))
        s.add(applicant)
        s.flush()
        if with_temp_user:
            create_user(s, login_id=applicant.temp_login_id, display_name=company, password="Temp-Pass-123",
                        roles={"applicant"}, kind="TEMP", applicant_id=applicant.id, must_change_password=False)
        submitted = None if status == "DRAFT" else (submitted_at or now)
        app = Application(
            ref_no=None if status == "DRAFT" else f"NSS-2026-{n:06d}", kind=kind, shared_use=False, status=status,
            applicant_id=applicant.id, connection_type=connection_type, industries="|" + "|".join(industries) + "|",
            assignee_id=assignee_id, submitted_at=submitted, first_submitted_at=submitted,
            created_at=now, updated_at=now)
        s.add(app)
        s.flush()
        for key, data in section_payloads(connection_type, industries).items():
            s.add(ApplicationSection(application_id=app.id, section_key=key, data=data, status="COMPLETE",
                                     updated_at=now))
        if attachment:
            s.add(Attachment(application_id=app.id, purpose="SYSTEM_DIAGRAM", file_name=attachment[0],
                             content_type="application/pdf", size=len(attachment[1]), content=attachment[1],
                             uploaded_at=now))
        s.commit()
        return app.id, applicant.id


def version_of(application_id: int) -> int:
    with UnitOfWork() as u:
        s = u.session
        return s.get(Application, application_id).version


def user_id(login_id: str) -> int:
    with UnitOfWork() as u:
        s = u.session
        return s.scalar(select(User.id).where(User.login_id == login_id))

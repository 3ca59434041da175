"""Applicants with a temporary login, and started applications, for the wizard tests."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.models import Applicant, ApplicationSection, TermsVersion
from services.uow import UnitOfWork
from services import clock
from services.auth import create_user, to_actor
from services.authz import APPLICANT, Actor, UserKind
from services.application.connection import ConnectionType
from services.application.read import application_view
from services.application.save import save_section
from services.application.start import start_application
from services.demo.testdata import complete_sections

PASSWORD = "Correct-Horse-42"


def make_applicant(temp_login_id: str = "T123456789", email: str = "clerk@example.jp") -> Actor:
    with UnitOfWork() as u:
        s = u.session
        now = clock.now()
        applicant = Applicant(
            temp_login_id=temp_login_id, status="TEMP_REGISTERED", contact_name="山田 太郎",
            contact_kana="ヤマダ タロウ", company_name="海洋物流株式会社", department="業務部",
            phone="03-1234-5678", phone_digits="0312345678", email=email, email_lower=email.lower(),
            corporate_number=None, terms_version_id=s.scalar(select(TermsVersion.id)),
            terms_agreed_at=now, terms_agreed_via="WEB", issued_at=now,
            temp_expires_at=now + timedelta(hours=48))
        s.add(applicant)
        s.flush()
        user = create_user(s, login_id=temp_login_id, display_name="山田 太郎", password=PASSWORD,
                           roles={APPLICANT}, kind=UserKind.TEMP, email=email, applicant_id=applicant.id,
                           must_change_password=False)
        u.commit()
        return to_actor(user)


def started(actor: Actor, shared_use: bool = False) -> int:
    return start_application(actor, actor.applicant_id, shared_use)


def fill_all(actor: Actor, app_id: int, connection_type: str = ConnectionType.GENERAL, **kwargs) -> None:
    for key, data in complete_sections(connection_type, **kwargs).items():
        version = application_view(actor, app_id).section(key).version
        save_section(actor, app_id, key, data, version)


def section_row(app_id: int, key: str) -> dict:
    with UnitOfWork() as u:
        s = u.session
        row = s.scalar(select(ApplicationSection).where(ApplicationSection.application_id == app_id,
                                                        ApplicationSection.section_key == key))
        return {"data": dict(row.data), "status": row.status, "version": row.version}
